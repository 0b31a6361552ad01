/*
 * The price table: what n drinks bought together cost (packs may be cheaper
 * than n singles).
 */
#ifndef TENP5_DB_PRICE_H
#define TENP5_DB_PRICE_H

#include <stdint.h>
#include <json-c/json.h>

/* Returns 1 with *price set, 0 when there is no price for qty, -1 on error. */
int price_get(int64_t qty, int64_t *price);
/* Sets (price > 0) or removes (price == 0) the price of qty. Returns 1 or 0. */
int price_set(int64_t qty, int64_t price);
/* Adds the price list to o as "prix": [{quantite, prix}], by quantity.
 * Returns 1, or 0 on error (logged). */
int price_list_reply(json_object *o);

#endif
