/*
 * The price table: what n drinks bought together cost (packs may be cheaper
 * than n singles).
 */
#ifndef TENP5_DB_PRICE_H
#define TENP5_DB_PRICE_H

#include <stdint.h>
#include <sqlite3.h>

/* Returns 1 with *price set, 0 when there is no price for qty, -1 on error. */
int price_get(int64_t qty, int64_t *price);
/* Sets (price > 0) or removes (price == 0) the price of qty. Returns 1 or 0. */
int price_set(int64_t qty, int64_t price);
/* Statement listing (qty, price) by qty. */
sqlite3_stmt *price_list(void);

#endif
