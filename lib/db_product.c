/*
 * The products and sale_lines tables. Lines are written in the payment's
 * transaction, with the payment's row, and never change.
 */
#include <stdio.h>

#include "db.h"
#include "db_product.h"

static void
fill(sqlite3_stmt *st, struct product *p)
{
	p->id = sqlite3_column_int64(st, 0);
	snprintf(p->name, sizeof p->name, "%s", (const char *)sqlite3_column_text(st, 1));
	p->price = sqlite3_column_int64(st, 2);
	snprintf(p->category, sizeof p->category, "%s", (const char *)sqlite3_column_text(st, 3));
	p->active = sqlite3_column_int(st, 4) != 0;
	p->sort = sqlite3_column_int64(st, 5);
}

int
product_get(int64_t id, struct product *p)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, name, price, category, active, sort FROM products"
	    " WHERE id = ?1", "i", id);

	if (r <= 0)
		return r;
	fill(st, p);
	sqlite3_reset(st);
	return 1;
}

int
product_put(struct product *p, int64_t now)
{
	if (p->id > 0)
		return db_exec("UPDATE products SET name = ?2, price = ?3, category = ?4, active = ?5,"
		    " sort = ?6 WHERE id = ?1", "isisii", p->id, p->name, p->price, p->category,
		    (int64_t)p->active, p->sort);
	if (!db_exec("INSERT INTO products (name, price, category, active, sort, created_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "sisiii", p->name, p->price, p->category,
	    (int64_t)p->active, p->sort, now))
		return 0;
	p->id = db_last_id();
	return 1;
}

int
product_list_reply(json_object *o)
{
	sqlite3_stmt *st = db_query("SELECT id, name, price, category, active, sort FROM products"
	    " ORDER BY sort, id", "");
	json_object *list;
	int rc;

	if (!st)
		return 0;
	list = reply_array(o, K_PRODUITS);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list);

		reply_int(e, K_ID, sqlite3_column_int64(st, 0));
		reply_str(e, K_NOM, (const char *)sqlite3_column_text(st, 1));
		reply_money(e, K_PRIX, sqlite3_column_int64(st, 2));
		reply_str(e, K_CATEGORIE, (const char *)sqlite3_column_text(st, 3));
		reply_bool(e, K_ACTIF, sqlite3_column_int(st, 4) != 0);
		reply_int(e, K_ORDRE, sqlite3_column_int64(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

enum status
product_price(const struct basket *b, struct sale *s)
{
	s->n = 0;
	s->total = 0;
	s->items = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct product *p = &s->line[i];
		int found = product_get(b->line[i].product, p);

		if (found < 0)
			return ST_ERREUR_BDD;
		if (!found || !p->active)
			return ST_PRODUIT_INCONNU;
		/* At most 100 lines of 1000 items at the ceiling's bound (a
		 * million euros): far within int64. */
		s->qty[i] = b->line[i].qty;
		s->total += p->price * s->qty[i];
		s->items += s->qty[i];
		s->n++;
	}
	return ST_OK;
}

int
product_record_lines(int64_t tx_id, const struct sale *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct product *p = &s->line[i];

		if (!db_exec("INSERT INTO sale_lines (transaction_id, line, product_id, name, price, qty)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "iiisii", tx_id, (int64_t)(i + 1), p->id, p->name,
		    p->price, s->qty[i]))
			return 0;
	}
	return 1;
}

sqlite3_stmt *
product_sales(int64_t from, int64_t to)
{
	return db_query("SELECT l.product_id, p.name, sum(l.qty), sum(l.price * l.qty)"
	    " FROM transactions t JOIN sale_lines l ON l.transaction_id = t.id"
	    " JOIN products p ON p.id = l.product_id"
	    " WHERE t.date_ms >= ?1 AND t.date_ms < ?2 AND t.type = 3 AND t.valid AND t.lines > 0"
	    " GROUP BY l.product_id ORDER BY l.product_id", "ii", from, to);
}
