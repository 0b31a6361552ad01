/*
 * Shifts (the wire's services): a staff member's time at a till, from the
 * cash float counted at its opening to the cash counted at its closing. Its
 * figures are computed from the ledger rows that carry its id, valid ones
 * only: the cash expected is the float, plus the cash taken by top-ups and by
 * account openings (their positive initial balances), less the cash paid out
 * by emptyings; the totals per means are the same sums for each means.
 */
#ifndef TENP5_DB_SERVICE_H
#define TENP5_DB_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "reply.h"

#define TILL_MAX 64 /* bytes of a till's name, as FT_NAME takes them */

struct service {
	int64_t id;
	int64_t user_id;
	char login[32];
	char till[TILL_MAX + 1];
	int64_t opened_ms;
	int64_t closed_ms;          /* 0 while open */
	int64_t cash_float;
	int64_t counted;            /* when closed */
	int64_t expected_at_close;  /* when closed: the cash expected then */
	int64_t changed_ms;         /* 0, or when its rows last changed after closing */
	int64_t totals[MEANS__MAX]; /* now, from the ledger */
};

/* The cash expected of s now: its float plus its cash total. */
int64_t service_expected(const struct service *s);

/* The open shift of user_id: 1 with *id set, 0 when none, -1 on error. */
int service_open_of(int64_t user_id, int64_t *id);

/* Opens a shift. Returns 1 with *id set, or 0 on error. */
int service_open(int64_t user_id, const char *till, int64_t cash_float, int64_t now,
    int64_t *id);

/* Returns 1 and fills *s with its figures, 0 when there is no shift `id`, -1
 * on error. */
int service_get(int64_t id, struct service *s);

/* Closes shift s by user `by`, with the cash counted and the cash expected
 * now. Returns 1, or 0 on error. */
int service_close(const struct service *s, int64_t by, int64_t now, int64_t counted,
    int64_t expected);

/* Notes that a row of shift `id` was cancelled or redone at `now`, if the
 * shift is closed. Returns 1, or 0 on error. */
int service_touch(int64_t id, int64_t now);

/* Whether shift id (> 0) is closed: 1, 0, or -1 on error. */
int service_closed(int64_t id);

/* Statement listing the shifts opened from `from` (inclusive) to `to`
 * (exclusive), oldest first, with their figures; service_fill reads a row of
 * it. NULL on error. */
sqlite3_stmt *service_list(int64_t from, int64_t to);
void service_fill(sqlite3_stmt *st, struct service *s);

/* Row writer for service_list statements (see row_fn): the wire's shift
 * object. */
int service_row_json(sqlite3_stmt *st, char *buf, size_t cap);

#endif
