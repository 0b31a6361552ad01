/*
 * The SQL session a dump sets up as it goes (cli/dump_session.c): the SET
 * statement, with the character set strings are sent in (SET NAMES,
 * character_set_client), the time zone of TIMESTAMP values, and the user
 * variables dumps save settings in; and the character set names a dump may
 * use anywhere. Private to the reader. A struct session starts zeroed: no
 * character set declared, no time zone, no variable.
 *
 * Invariants: nvars <= SESSION_VARS_MAX; client and names are DCS_UNSET,
 * DCS_UTF8 or DCS_LATIN1, never another.
 */
#ifndef TENP5_DUMP_SESSION_H
#define TENP5_DUMP_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "dump.h"
#include "dump_lex.h"

#define SESSION_VARS_MAX 32   /* user variables (@OLD_TIME_ZONE...) */

struct session_var {
	char name[DUMP_NAME_MAX + 1];
	char text[LEX_TEXT_MAX + 1];   /* a value that matters: a zone, a charset */
};

struct session {
	enum dump_charset client;    /* character_set_client (SET NAMES sets it) */
	enum dump_charset names;     /* the last SET NAMES, DCS_UNSET if none */
	bool zone_set;
	char zone[LEX_TEXT_MAX + 1]; /* time_zone, when zone_set */
	struct session_var vars[SESSION_VARS_MAX];
	size_t nvars;
};

/* Reads a SET statement, its keyword read: NAMES x [COLLATE y] | [SESSION]
 * var = value | @@var = value | @u = value, ... up to its ';'. Returns 1, or
 * 0 with the error set (a character set other than UTF-8 and latin1, a
 * variable dumps do not set). */
int session_set(struct lex *lx, struct session *s);

/* The character set token t names (a collation's if `collation`), in *out.
 * Returns 1, or 0 with the error set when it is not UTF-8 or latin1. */
int session_charset(struct lex *lx, const struct tok *t, bool collation, enum dump_charset *out);

/* The time zone the dump set for TIMESTAMP values, or NULL. */
const char *session_zone(const struct session *s);

#endif
