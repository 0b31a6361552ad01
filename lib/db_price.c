/*
 * The prices table.
 */
#include "db.h"
#include "db_price.h"

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

sqlite3_stmt *
price_list(void)
{
	return db_query("SELECT qty, price FROM prices ORDER BY qty", "");
}
