/*
 * The ledger: transactions and every balance change. A balance moves only here,
 * in the caller's transaction, together with its ledger row and journal entry,
 * so that each client's balance always equals the sum of its valid rows.
 */
#ifndef TENP5_DB_LEDGER_H
#define TENP5_DB_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "auth.h"
#include "db_client.h"
#include "field.h"
#include "reply.h"

enum tx_type {
	TX_CREATION = 1,
	TX_RECHARGEMENT = 2,
	TX_PAIEMENT = 3,
	TX_VIDANGE = 4,
	TX_AJUSTEMENT = 5,  /* a signed amount reconciling an imported balance */
};

struct ledger_row {
	int64_t id;
	int type;
	int64_t client_id;
	int64_t user_id;
	int64_t date_ms;
	int64_t amount;
	int64_t qty;
	bool valid;
};

/* The signed effect of a row on its client's balance: types 1, 2 and 5 add
 * their amount (an adjustment's is signed), 3 and 4 subtract it. */
int64_t ledger_effect(int type, int64_t amount);

/* The lowest balance c may reach: 0, or minus the ceiling with overdraft. */
int64_t ledger_floor(const struct client *c);

/* Whether client c may go from c->balance to `balance`: ST_OK,
 * ST_MONTANT_TROP_ELEVE when rising above the ceiling, ST_SOLDE_INSUFFISANT
 * when falling below ledger_floor(c). */
enum status ledger_check(const struct client *c, int64_t balance);

/* Writes a new row of `type` for c, moves c->balance by its effect and journals
 * it. The caller has checked the result. Returns 1 with *tx_id set, or 0. */
int ledger_post(const struct principal *who, int64_t now, struct client *c, int type,
    int64_t amount, int64_t qty, int64_t *tx_id);

/* Creates client c with its creation row (amount c->balance). Returns 1 with
 * c->id and *tx_id set, or 0. */
int ledger_open_client(const struct principal *who, int64_t now, struct client *c,
    int64_t *tx_id);

/* Returns 1 and fills *t, 0 if there is no row `id`, -1 on error. */
int ledger_get(int64_t id, struct ledger_row *t);

/* Flips row t to `valid`, moves c->balance accordingly and journals it as an
 * annulation or a refaire. The caller has checked the result. Returns 1 or 0. */
int ledger_flip(const struct principal *who, int64_t now, struct ledger_row *t,
    struct client *c, bool valid);

/* Which rows of a list, in which order (doc/api.md, lists): ids above
 * `after` and below `before`, at most `limit` of them (0: all), newest first
 * or oldest first. */
struct ledger_page {
	int64_t after;
	int64_t before;  /* INT64_MAX: no bound */
	int64_t limit;
	bool newest;
};

/* The fields a list takes, and the page they ask for. */
#define LEDGER_PAGE_FIELDS (FB(FLD_LIMITE) | FB(FLD_APRES) | FB(FLD_AVANT) | FB(FLD_ORDRE))
struct ledger_page ledger_page(const struct value v[FLD__MAX]);

/* Statement listing the rows of page pg (one more than its limit, which tells
 * a cut list) of one client (client_id > 0), of one user (user_id > 0) or of
 * the users named login (login != NULL), as (id, type, client id, user id,
 * date, amount, qty, valid). NULL on error. */
sqlite3_stmt *ledger_list(int64_t client_id, int64_t user_id, const char *login,
    const struct ledger_page *pg);

/* Row writer for ledger_list statements (see row_fn). Fastest when cap
 * leaves room for the longest row (some 750 bytes). */
int ledger_row_json(sqlite3_stmt *st, char *buf, size_t cap);

/* Checks the invariant over the whole database: for each client whose balance
 * differs from the sum of its valid rows, calls bad(card, balance, sum, arg).
 * Returns how many differ, or -1 on error. */
int64_t ledger_verify(void (*bad)(const char *card, int64_t balance, int64_t sum, void *arg),
    void *arg);

struct ledger_stats {
	int64_t payments;     /* sum of valid payments */
	int64_t owed;         /* sum of positive balances */
	int64_t debts;        /* sum of negative balances (<= 0) */
	int64_t clients;
	int64_t drinks;       /* drinks paid for */
	int64_t balance_sum;
	int64_t openings;     /* sum of valid positive initial balances */
};

/* Returns 1 and fills *s, or 0 on error. */
int ledger_stats(struct ledger_stats *s);

/* Statement of the evening over time: for each bucket of `step` ms from
 * `from` (inclusive) to `to` (exclusive) that holds valid payments or
 * top-ups, (bucket number, payments' sum, drinks, top-ups' sum), by bucket;
 * NULL on error. */
sqlite3_stmt *ledger_series(int64_t from, int64_t to, int64_t step);

#endif
