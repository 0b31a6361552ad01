/*
 * The limiter of failed attempts (doc/api.md#logins): failures are
 * counted per key. A password's keys make each failure past the first few
 * wait longer, doubling up to a cap, until a quiet spell forgets them; the
 * others lock for the rest of a fixed window once it holds their kind's
 * maximum. The moment a key starts to wait (or waits longer) is journaled;
 * a president lists the waits (lock-outs) and lifts them. A blocked caller is
 * told how long to wait: the worker never sleeps. Every function runs in the
 * caller's transaction.
 */
#ifndef TENP5_LIMIT_H
#define TENP5_LIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

enum limit_kind {
	LIMIT_LOGIN_ADDR = 1,   /* one login tried from one address */
	LIMIT_LOGIN = 2,        /* one login tried from everywhere, over a day */
	LIMIT_CARDS = 3,        /* unknown cards tried from one address */
	LIMIT_LOGIN_DEVICE = 4, /* one login tried from one browser (device cookie) */
	LIMIT_PROBE = 5,        /* unknown cards looked up by one credential */
	LIMIT__MAX
};
extern const char *const limit_kind_words[LIMIT__MAX]; /* the wire's verrou types */

struct limit_key {
	enum limit_kind kind;
	const char *login;  /* "" or NULL when not part of the key */
	const char *addr;   /* an address, "d:<device>" or "s:<credential>"; "" or NULL */
};

/* 0 if the key may try now, the seconds to wait (> 0) if it is locked, or -1
 * on error. */
int64_t limit_wait(const struct limit_key *k, int64_t now);

/* Counts one failure; the failure that starts the key's first wait is
 * journaled as a lock-out, and so is each one that makes a password's wait
 * longer. Returns 1, or 0 on error. */
int limit_fail(const struct limit_key *k, int64_t now);

/* Takes one failure back (an attempt counted before it was judged, and
 * judged good). Returns 1 or 0. */
int limit_undo(const struct limit_key *k);

/* Forgets the key's failures, after a success. Returns 1 or 0. */
int limit_clear(const struct limit_key *k);

/* Forgets finished windows, quiet passwords' counts and old known addresses.
 * Returns 1 or 0. */
int limit_purge(int64_t now);

/* Statement listing current lock-outs as (id, kind, login, addr, fails,
 * until_ms), oldest first; NULL on error. */
sqlite3_stmt *limit_locks(int64_t now);

/* A lock-out, as limit_lift describes the one it lifted. */
struct limit_lock {
	enum limit_kind kind;
	char login[64];
	char addr[80];
};

/* Lifts lock-out id (its failures are forgotten) and describes it in *l.
 * Returns 1, 0 if there is no such lock-out now, -1 on error. */
int limit_lift(int64_t id, int64_t now, struct limit_lock *l);

/* Whether user_id has logged in successfully from addr (with the password,
 * if password): 1, 0, or -1. */
int limit_known(int64_t user_id, const char *addr, bool password);

/* While passwords queue for their hash, one user's password is checked once
 * per LIMIT_SPACING_MS at most, wherever it comes from: one who keeps trying
 * from known places (an insider with cookies of their own, a shared login
 * tried on every phone at once) does not fill the queue. limit_spaced: 1 if
 * user_id may be checked now, 0 with the wait in *wait_ms, -1 on error;
 * limit_checked records a check (1, or 0 on error). */
#define LIMIT_SPACING_MS 5000
int limit_spaced(int64_t user_id, int64_t now, int64_t *wait_ms);
int limit_checked(int64_t user_id, int64_t now);

/* Records a successful login of user_id from addr (with the password, if
 * password). Returns 1 or 0. */
int limit_remember(int64_t user_id, const char *addr, int64_t now, bool password);

#endif
