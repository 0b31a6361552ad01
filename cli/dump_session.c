/*
 * The SQL session a dump sets up: SET, its session variables and user
 * variables, and the character sets a dump may name. Only what changes how
 * the rest is read is kept (the client's character set, the time zone);
 * the other variables dumps set are known by name and let through, and any
 * other is refused. See dump_session.h for the invariants.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dump_session.h"

/* The session variables dumps set, and what reading them back gives. */
enum sysvar {
	SV_CHARACTER_SET_CLIENT,
	SV_CHARACTER_SET_RESULTS,
	SV_CHARACTER_SET_CONNECTION,
	SV_COLLATION_CONNECTION,
	SV_TIME_ZONE,
	SV_SQL_MODE,
	SV_FOREIGN_KEY_CHECKS,
	SV_UNIQUE_CHECKS,
	SV_SQL_NOTES,
	SV_AUTOCOMMIT,
	SV_SQL_LOG_BIN,
	SV_SQL_QUOTE_SHOW_CREATE,
	SV__MAX
};

static const char *const sysvar_words[SV__MAX] = {
	[SV_CHARACTER_SET_CLIENT]     = "character_set_client",
	[SV_CHARACTER_SET_RESULTS]    = "character_set_results",
	[SV_CHARACTER_SET_CONNECTION] = "character_set_connection",
	[SV_COLLATION_CONNECTION]     = "collation_connection",
	[SV_TIME_ZONE]                = "time_zone",
	[SV_SQL_MODE]                 = "sql_mode",
	[SV_FOREIGN_KEY_CHECKS]       = "foreign_key_checks",
	[SV_UNIQUE_CHECKS]            = "unique_checks",
	[SV_SQL_NOTES]                = "sql_notes",
	[SV_AUTOCOMMIT]               = "autocommit",
	[SV_SQL_LOG_BIN]              = "sql_log_bin",
	[SV_SQL_QUOTE_SHOW_CREATE]    = "sql_quote_show_create",
};

/* The charset a name stands for, DCS_UNSET for "" (back to the default), or
 * DCS__MAX for one we refuse. */
static enum dump_charset
charset_named(const char *s)
{
	static const struct {
		const char *name;
		enum dump_charset cs;
	} names[] = {
		{ "utf8", DCS_UTF8 }, { "utf8mb3", DCS_UTF8 }, { "utf8mb4", DCS_UTF8 },
		{ "latin1", DCS_LATIN1 }, { "", DCS_UNSET },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].cs;
	return DCS__MAX;
}

/* A collation belongs to its charset by prefix: utf8mb4_general_ci. */
static enum dump_charset
charset_of_collation(const char *s)
{
	char cs[LEX_TEXT_MAX + 1];
	const char *u = strchr(s, '_');
	size_t n = u ? (size_t)(u - s) : 0;

	if (n == 0 || n > LEX_TEXT_MAX)
		return DCS__MAX;
	memcpy(cs, s, n);
	cs[n] = '\0';
	return charset_named(cs) == DCS_UNSET ? DCS__MAX : charset_named(cs);
}

static int
refuse_charset(struct lex *lx, const struct tok *t)
{
	char buf[LEX_SHOWN];

	return dump_fail(lx->err, t->line, t->col, NULL, "character set %s is not read: "
	    "export the dump in UTF-8 (utf8mb4) or latin1", lex_shown(t, buf));
}

int
session_charset(struct lex *lx, const struct tok *t, bool collation, enum dump_charset *out)
{
	char text[LEX_TEXT_MAX + 1];
	enum dump_charset cs = DCS__MAX;

	if ((t->kind == TK_WORD || t->kind == TK_STRING || t->kind == TK_IDENT) && lex_text(t, text))
		cs = collation ? charset_of_collation(text) : charset_named(text);
	if (cs == DCS__MAX || cs == DCS_UNSET)
		return refuse_charset(lx, t);
	*out = cs;
	return 1;
}

static struct session_var *
var_find(struct session *s, const struct tok *t, bool create)
{
	char n[DUMP_NAME_MAX + 1];

	memcpy(n, t->s, t->n);
	n[t->n] = '\0';
	for (size_t i = 0; i < s->nvars; i++)
		if (strcasecmp(s->vars[i].name, n) == 0)
			return &s->vars[i];
	if (!create || s->nvars == SESSION_VARS_MAX)
		return NULL;
	snprintf(s->vars[s->nvars].name, sizeof s->vars[0].name, "%s", n);
	s->vars[s->nvars].text[0] = '\0';
	return &s->vars[s->nvars++];
}

/* The system variable t names (@@session.time_zone, time_zone), or SV__MAX. */
static enum sysvar
sysvar_of(const struct tok *t)
{
	const char *s = (const char *)t->s;
	size_t n = t->n;
	static const char *const scopes[] = { "session.", "global.", "local." };

	for (size_t i = 0; i < 3; i++) {
		size_t m = strlen(scopes[i]);

		if (n > m && strncasecmp(s, scopes[i], m) == 0) {
			s += m;
			n -= m;
			break;
		}
	}
	for (int v = 0; v < SV__MAX; v++)
		if (strlen(sysvar_words[v]) == n && strncasecmp(sysvar_words[v], s, n) == 0)
			return (enum sysvar)v;
	return SV__MAX;
}

static int
unknown_sysvar(struct lex *lx, const struct tok *t)
{
	char buf[LEX_SHOWN];

	return dump_fail(lx->err, t->line, t->col, NULL,
	    "SET of %s, a variable this reader does not know", lex_shown(t, buf));
}

/* The value of one assignment, as text (charset names, zones) in out: "" for
 * a value we do not follow, "?" for one too long to be a charset or a zone. */
static int
set_value(struct lex *lx, struct session *s, struct tok *t, char out[LEX_TEXT_MAX + 1])
{
	out[0] = '\0';
	if (!lex_next(lx, t))
		return 0;
	if (lex_is_punct(t, '-') || lex_is_punct(t, '+')) {
		if (!lex_next(lx, t))
			return 0;
		if (t->kind != TK_NUMBER)
			return lex_unexpected(lx, t, "a number");
		return 1;
	}
	switch (t->kind) {
	case TK_STRING:
	case TK_WORD:
	case TK_NUMBER:
		if (!lex_text(t, out))
			strcpy(out, "?");
		return 1;
	case TK_VAR: {
		struct session_var *v = var_find(s, t, false);

		if (v)
			snprintf(out, LEX_TEXT_MAX + 1, "%s", v->text);
		return 1;
	}
	case TK_SYSVAR:
		switch (sysvar_of(t)) {
		case SV_CHARACTER_SET_CLIENT:
			snprintf(out, LEX_TEXT_MAX + 1, "%s", s->client == DCS_LATIN1 ? "latin1" :
			    s->client == DCS_UTF8 ? "utf8mb4" : "");
			return 1;
		case SV_TIME_ZONE:
			snprintf(out, LEX_TEXT_MAX + 1, "%s", s->zone_set ? s->zone : "SYSTEM");
			return 1;
		case SV__MAX:
			return unknown_sysvar(lx, t);
		default:
			return 1;
		}
	default:
		return lex_unexpected(lx, t, "a value");
	}
}

/* A charset set by name or restored from a variable ("": the default). */
static int
set_charset(struct lex *lx, struct session *s, const struct tok *t, const char *text, bool client)
{
	enum dump_charset cs = charset_named(text);

	if (cs == DCS__MAX)
		return refuse_charset(lx, t);
	if (client)
		s->client = cs;
	return 1;
}

/* One assignment of a SET: NAMES x [COLLATE y] | [SESSION] var = value |
 * @@var = value | @u = value. */
static int
set_one(struct lex *lx, struct session *s)
{
	struct tok t, v;
	char text[LEX_TEXT_MAX + 1];
	enum kw k;

	if (!lex_next(lx, &t))
		return 0;
	k = lex_keyword(&t);
	if (k == KW_SESSION || k == KW_LOCAL || k == KW_GLOBAL) {
		if (!lex_next(lx, &t))
			return 0;
		k = lex_keyword(&t);
	}
	if (k == KW_NAMES || k == KW_CHARSET || k == KW_CHARACTER) {
		bool collate;

		if (k == KW_CHARACTER && !lex_expect_kw(lx, KW_SET))
			return 0;
		if (!lex_next(lx, &v))
			return 0;
		if (lex_keyword(&v) == KW_DEFAULT)
			s->client = DCS_UNSET;
		else if (!session_charset(lx, &v, false, &s->client))
			return 0;
		if (s->client != DCS_UNSET)
			s->names = s->client;
		if (!lex_accept_kw(lx, KW_COLLATE, &collate))
			return 0;
		if (collate) {
			enum dump_charset cs;

			if (!lex_next(lx, &v) || !session_charset(lx, &v, true, &cs))
				return 0;
		}
		return 1;
	}
	if (t.kind == TK_VAR) {
		struct session_var *var = var_find(s, &t, true);

		if (!var)
			return dump_fail(lx->err, t.line, t.col, NULL,
			    "more than %d user variables", SESSION_VARS_MAX);
		if (!lex_next(lx, &v))
			return 0;
		if (lex_is_punct(&v, ':') && !lex_next(lx, &v))
			return 0;
		if (!lex_is_punct(&v, '='))
			return lex_unexpected(lx, &v, "'='");
		if (!set_value(lx, s, &v, text))
			return 0;
		snprintf(var->text, sizeof var->text, "%s", text);
		return 1;
	}
	if (t.kind == TK_WORD || t.kind == TK_SYSVAR) {
		enum sysvar sv = sysvar_of(&t);

		if (sv == SV__MAX)
			return unknown_sysvar(lx, &t);
		if (!lex_expect_punct(lx, '=') || !set_value(lx, s, &v, text))
			return 0;
		switch (sv) {
		case SV_CHARACTER_SET_CLIENT:
		case SV_CHARACTER_SET_RESULTS:
		case SV_CHARACTER_SET_CONNECTION:
			return set_charset(lx, s, &v, text, sv == SV_CHARACTER_SET_CLIENT);
		case SV_COLLATION_CONNECTION:
			if (text[0] && charset_of_collation(text) == DCS__MAX)
				return refuse_charset(lx, &v);
			return 1;
		case SV_TIME_ZONE:
			s->zone_set = text[0] && strcasecmp(text, "SYSTEM") != 0;
			snprintf(s->zone, sizeof s->zone, "%s", text);
			return 1;
		default:
			return 1;
		}
	}
	return lex_unexpected(lx, &t, "a variable");
}

/* SET assignment, ... */
int
session_set(struct lex *lx, struct session *s)
{
	enum more m;

	do {
		if (!set_one(lx, s))
			return 0;
	} while ((m = lex_more(lx, ';')) == MORE_ITEM);
	return m == MORE_END;
}

const char *
session_zone(const struct session *s)
{
	return s->zone_set ? s->zone : NULL;
}
