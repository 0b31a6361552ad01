/*
 * The prices table: what n drinks cost together, one row a quantity. A price
 * of 0 takes the quantity's row away, so every price listed or charged is
 * positive (the schema refuses any other).
 */
#include "db.h"
#include "db_price.h"
#include "reply.h"

int
price_get(int64_t qty, int64_t *price)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT price FROM prices WHERE qty = ?1", "i", qty);

	if (r <= 0)
		return r;
	*price = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 1;
}

int
price_set(int64_t qty, int64_t price)
{
	if (price == 0)
		return db_exec("DELETE FROM prices WHERE qty = ?1", "i", qty);
	return db_exec("INSERT INTO prices (qty, price) VALUES (?1, ?2)"
	    " ON CONFLICT (qty) DO UPDATE SET price = excluded.price", "ii", qty, price);
}

int
price_list_reply(json_object *o)
{
	sqlite3_stmt *st = db_query("SELECT qty, price FROM prices ORDER BY qty", "");
	json_object *list;
	int rc;

	if (!st)
		return 0;
	list = reply_array(o, K_PRIX);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list);

		reply_int(e, K_QUANTITE, sqlite3_column_int64(st, 0));
		reply_money(e, K_PRIX, sqlite3_column_int64(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}
