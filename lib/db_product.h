/*
 * The product catalogue (what the till's buttons sell) and the lines of the
 * payments made from it, each kept with the name and price of the moment of
 * sale. The per-quantity price table (db_price.h) stays beside it for the
 * Android app.
 */
#ifndef TENP5_DB_PRODUCT_H
#define TENP5_DB_PRODUCT_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "field.h"
#include "reply.h"

#define PRODUCT_NAME_MAX 64 /* bytes, as FT_NAME takes them */

struct product {
	int64_t id;
	char name[PRODUCT_NAME_MAX + 1];
	int64_t price;
	char category[PRODUCT_NAME_MAX + 1]; /* "" for none */
	bool active;
	int64_t sort;
};

/* A basket priced at the catalogue's current prices. */
struct sale {
	size_t n;
	struct product line[BASKET_MAX]; /* each with the basket's quantity in qty */
	int64_t qty[BASKET_MAX];
	int64_t total;                   /* the sum of price x qty */
	int64_t items;                   /* the sum of qty */
};

/* Returns 1 and fills *p, 0 when there is no product `id`, -1 on error. */
int product_get(int64_t id, struct product *p);

/* Inserts p (p->id is set) or, when p->id > 0, updates product p->id.
 * Returns 1, or 0 on error. */
int product_put(struct product *p, int64_t now);

/* Adds to o every product, active or not, in the till's order (by sort,
 * then id), as `produits` [{id, nom, prix, categorie, actif, ordre}].
 * Returns 1, or 0 on error. */
int product_list_reply(json_object *o);

/* Prices basket b into *s. ST_OK; ST_PRODUIT_INCONNU when a product is
 * unknown or inactive; ST_ERREUR_BDD. */
enum status product_price(const struct basket *b, struct sale *s);

/* Writes the lines of payment tx_id. Returns 1, or 0 on error. */
int product_record_lines(int64_t tx_id, const struct sale *s);

/* Statement of what sold from the catalogue between from (inclusive) and to
 * (exclusive), by valid payments: (product id, its current name, items,
 * amount at the prices of sale), by product id. NULL on error. */
sqlite3_stmt *product_sales(int64_t from, int64_t to);

#endif
