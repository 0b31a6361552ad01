/*
 * What the live feed reads and writes: its tickets, and the journal's rows as
 * events, joined with what they need to be shown (the card, the transaction,
 * who made it).
 */
#ifndef TENP5_DB_FEED_H
#define TENP5_DB_FEED_H

#include <stdint.h>
#include <sqlite3.h>

#include "auth.h"
#include "crypto.h"

/* Stores a ticket standing for credential kind/token_id, which keeps its
 * TICKETS_KEPT newest tickets only: a browser needs one per (re)connection,
 * and a flood of them cannot grow the table. Returns 1 or 0. */
#define TICKETS_KEPT 20
int ticket_insert(const unsigned char hash[SHA256_LEN], enum cred_kind kind, int64_t token_id,
    int64_t now, int64_t expires);

enum ticket_use {
	TICKET_OK,       /* *kind and *token_id set; the ticket is spent */
	TICKET_UNKNOWN,  /* no such ticket, or spent already */
	TICKET_EXPIRED,
	TICKET_ERROR,
};

/* Spends a ticket (in a write transaction of the caller's). */
enum ticket_use ticket_use(const unsigned char hash[SHA256_LEN], int64_t now,
    enum cred_kind *kind, int64_t *token_id);

/* Forgets tickets expired an hour ago. Returns 1 or 0. */
int ticket_purge(int64_t now);

/* The journal's newest id (0 when empty), or -1 on error. */
int64_t feed_newest(void);

/* Statement listing the journal's rows of the feed's kinds with id > after,
 * oldest first, at most limit, as (0 id, 1 event, 2 date, 3 card or NULL,
 * 4 overdraft, 5 balance or NULL, 6 detail or NULL, 7 transaction id or NULL,
 * 8 its type, 9 amount, 10 qty, 11 date, 12 login of who made it, 13 login of
 * who acted, 14 its means, 15 its shift or NULL, 16 its lines or NULL: see
 * ledger_lines). NULL on error. */
sqlite3_stmt *feed_rows(int64_t after, int64_t limit);

#endif
