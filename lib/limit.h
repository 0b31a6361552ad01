/*
 * Failed-login limiting, per login (or card) and per client address, in fixed
 * windows. A blocked caller is told how long to wait; the worker never sleeps.
 */
#ifndef TENP5_LIMIT_H
#define TENP5_LIMIT_H

#include <stdint.h>

enum limit_kind {
	LIMIT_LOGIN,
	LIMIT_CARD,
	LIMIT_ADDR,
	LIMIT__MAX
};

/* Returns 0 if (kind, who) may try now, the seconds to wait (> 0) if it is
 * blocked, or -1 on error. */
int64_t limit_wait(enum limit_kind kind, const char *who, int64_t now);

/* Counts one failure for (kind, who). Returns 1, or 0 on error. */
int limit_fail(enum limit_kind kind, const char *who, int64_t now);

/* Takes back one failure counted for (kind, who). Returns 1 or 0. */
int limit_undo(enum limit_kind kind, const char *who);

/* Forgets the failures of (kind, who), after a success. Returns 1 or 0. */
int limit_clear(enum limit_kind kind, const char *who);

/* Forgets finished windows. Returns 1 or 0. */
int limit_purge(int64_t now);

#endif
