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
#include "db_product.h"
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
	enum means means;
	int64_t service_id;   /* 0: made outside any shift */
	int64_t received_ms;  /* a sale made offline: when it arrived; 0 for the others */
};

/* A new row, beside its client: see ledger_post. */
struct posting {
	int type;
	int64_t amount;
	int64_t qty;
	enum means means;        /* of creations, top-ups and emptyings */
	const struct sale *sale; /* a payment from the catalogue: its lines; else NULL */
	int64_t sold_ms;         /* a sale made offline: when (its date; it is received
	                          * now); 0 for one made now */
};

/* Whether rows of `type` carry a means of payment (the others show null). */
bool ledger_has_means(int type);

/* The signed effect of a row on its client's balance: types 1, 2 and 5 add
 * their amount (an adjustment's is signed), 3 and 4 subtract it. */
int64_t ledger_effect(int type, int64_t amount);

/* The lowest balance c may reach: 0, or minus the ceiling with overdraft. */
int64_t ledger_floor(const struct client *c);

/* Whether client c may go from c->balance to `balance`: ST_OK,
 * ST_MONTANT_TROP_ELEVE when rising above the ceiling, ST_SOLDE_INSUFFISANT
 * when falling below ledger_floor(c). */
enum status ledger_check(const struct client *c, int64_t balance);

/* Writes the row p for c, with its sale's lines, in the shift its user has
 * open if any; moves c->balance by its effect and journals it. The caller has
 * checked the result. Returns 1 with *tx_id set, or 0. */
int ledger_post(const struct principal *who, int64_t now, struct client *c,
    const struct posting *p, int64_t *tx_id);

/* Creates client c with its creation row (amount c->balance, paid by
 * `means`). Returns 1 with c->id and *tx_id set, or 0. */
int ledger_open_client(const struct principal *who, int64_t now, struct client *c,
    enum means means, int64_t *tx_id);

/* Returns 1 and fills *t, 0 if there is no row `id`, -1 on error. */
int ledger_get(int64_t id, struct ledger_row *t);

/* Flips row t to `valid`, moves c->balance accordingly and journals it as an
 * annulation or a refaire; a closed shift of the row notes the change. The
 * caller has checked the result. Returns 1 or 0. */
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
 * date, amount, qty, valid, means, shift id or NULL, lines or NULL: see
 * ledger_lines). NULL on error. */
sqlite3_stmt *ledger_list(int64_t client_id, int64_t user_id, const char *login,
    const struct ledger_page *pg);

/* Row writer for ledger_list statements (see row_fn). Fastest when cap
 * leaves room for the longest row without lines (some 900 bytes); a row with
 * lines may need some 40 kB. */
int ledger_row_json(sqlite3_stmt *st, char *buf, size_t cap);

/* The lines column of a list (the JSON text [[product, name, price, qty],
 * ...] that the lists' SQL makes of a payment's lines) read into *s (its
 * total and items too). Returns 1, or 0 on damaged text. */
int ledger_lines_read(const char *text, struct sale *s);

/* The same as the wire's lignes: a new json-c array of {produit, nom, prix,
 * qte}. NULL on damaged text. */
json_object *ledger_lines(const char *text);

/* The SQL expression of the lines column, for queries over transactions t. */
#define LEDGER_LINES_SQL "CASE WHEN t.lines > 0 THEN (SELECT json_group_array(json_array(" \
	"l.product_id, l.name, l.price, l.qty)) FROM sale_lines l WHERE l.transaction_id = t.id) END"

/* Statement of the rows dated from `from` (inclusive) to `to` (exclusive),
 * by date then id, for the exports: (id, date, type, card, login, amount,
 * means, shift id or NULL, valid, lines or NULL: see ledger_lines). NULL on
 * error. */
sqlite3_stmt *ledger_export(int64_t from, int64_t to);
/* The same for a card holder: `utilisateur` is null (staff logins are not
 * shown to holders). */
int ledger_row_holder(sqlite3_stmt *st, char *buf, size_t cap);

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
	int64_t openings;     /* sum of valid positive initial balances paid for (not offert) */
};

/* Returns 1 and fills *s, or 0 on error. */
int ledger_stats(struct ledger_stats *s);

/* Money put on cards from `from` (inclusive) to `to` (exclusive; 0 and
 * INT64_MAX: the whole ledger): the valid
 * top-ups' sums per means, in topups[]; and the credit given free (valid
 * top-ups and positive initial balances by offert) in *free. Returns 1, or 0
 * on error. */
int ledger_means(int64_t from, int64_t to, int64_t topups[MEANS__MAX], int64_t *free);

/* Statement of the evening over time: for each bucket of `step` ms from
 * `from` (inclusive) to `to` (exclusive) that holds valid payments or
 * top-ups, (bucket number, payments' sum, drinks, top-ups' sum), by bucket;
 * NULL on error. */
sqlite3_stmt *ledger_series(int64_t from, int64_t to, int64_t step);

#endif
