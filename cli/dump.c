/*
 * The dump reader: a lexer over the whole file in memory and a parser for each
 * statement it accepts, one token of look-ahead, no recursion. Rows are
 * streamed: an INSERT of a million rows holds one row at a time. Strings are
 * unescaped, then decoded from the character set in force (SET NAMES, else the
 * column's, else the table's) to UTF-8.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dump.h"

const char *const dump_charset_words[DCS__MAX] = {
	[DCS_UNSET]  = "undeclared (read as UTF-8)",
	[DCS_UTF8]   = "UTF-8",
	[DCS_LATIN1] = "latin1",
};

const char *const dump_format_words[DF__MAX] = {
	[DF_PLAIN]      = "SQL",
	[DF_MYSQLDUMP]  = "mysqldump",
	[DF_PHPMYADMIN] = "phpMyAdmin",
};

#define ROW_MAX    65536   /* a row's decoded values together */
#define NUMBER_MAX 64      /* longest number literal */
#define DEPTH_MAX  32      /* nested parentheses in a CREATE or ALTER TABLE */
#define VARS_MAX   32      /* user variables (@OLD_TIME_ZONE...) */
#define TEXT_MAX   64      /* a variable's value that matters: a zone, a charset */

enum tok_kind {
	TK_EOF,
	TK_WORD,    /* a bare word: keyword or identifier */
	TK_IDENT,   /* a `backquoted` identifier */
	TK_STRING,  /* '...' or "..." */
	TK_NUMBER,
	TK_VAR,     /* @name */
	TK_SYSVAR,  /* @@name, @@session.name */
	TK_PUNCT,
	TK__MAX
};

static const char *const tok_words[TK__MAX] = {
	[TK_EOF]    = "the end of the file",
	[TK_WORD]   = "a word",
	[TK_IDENT]  = "a quoted name",
	[TK_STRING] = "a string",
	[TK_NUMBER] = "a number",
	[TK_VAR]    = "a variable",
	[TK_SYSVAR] = "a system variable",
	[TK_PUNCT]  = "a sign",
};

struct tok {
	enum tok_kind kind;
	const unsigned char *s;  /* its text; for strings and quoted names, between the quotes */
	size_t n;
	char c;                  /* TK_PUNCT: the character; TK_STRING: the quote */
	long line, col;
};

/* The keywords the parser looks for. */
enum kw {
	KW_NONE,
	KW_ADD, KW_ALTER, KW_AS, KW_AUTO_INCREMENT, KW_BEGIN, KW_CHARACTER, KW_CHARSET,
	KW_CHECK, KW_COLLATE, KW_COLUMN, KW_COMMIT, KW_CONSTRAINT, KW_CREATE, KW_DATABASE,
	KW_DEFAULT, KW_DISABLE, KW_DROP, KW_ENABLE, KW_EXISTS, KW_FOREIGN, KW_FULLTEXT,
	KW_GLOBAL, KW_IF, KW_INDEX, KW_INSERT, KW_INTO, KW_KEY, KW_KEYS, KW_LOCAL, KW_LOCK,
	KW_MODIFY, KW_NAMES, KW_NOT, KW_NULL, KW_PRIMARY, KW_SCHEMA, KW_SESSION, KW_SET,
	KW_SPATIAL, KW_START, KW_TABLE, KW_TABLES, KW_TRANSACTION, KW_UNIQUE, KW_UNLOCK,
	KW_USE, KW_VALUES,
	KW__MAX
};

static const char *const kw_words[KW__MAX] = {
	[KW_NONE] = "",
	[KW_ADD] = "ADD", [KW_ALTER] = "ALTER", [KW_AS] = "AS",
	[KW_AUTO_INCREMENT] = "AUTO_INCREMENT", [KW_BEGIN] = "BEGIN",
	[KW_CHARACTER] = "CHARACTER", [KW_CHARSET] = "CHARSET", [KW_CHECK] = "CHECK",
	[KW_COLLATE] = "COLLATE", [KW_COLUMN] = "COLUMN", [KW_COMMIT] = "COMMIT",
	[KW_CONSTRAINT] = "CONSTRAINT", [KW_CREATE] = "CREATE", [KW_DATABASE] = "DATABASE",
	[KW_DEFAULT] = "DEFAULT", [KW_DISABLE] = "DISABLE", [KW_DROP] = "DROP",
	[KW_ENABLE] = "ENABLE", [KW_EXISTS] = "EXISTS", [KW_FOREIGN] = "FOREIGN",
	[KW_FULLTEXT] = "FULLTEXT", [KW_GLOBAL] = "GLOBAL", [KW_IF] = "IF",
	[KW_INDEX] = "INDEX", [KW_INSERT] = "INSERT", [KW_INTO] = "INTO", [KW_KEY] = "KEY",
	[KW_KEYS] = "KEYS", [KW_LOCAL] = "LOCAL", [KW_LOCK] = "LOCK", [KW_MODIFY] = "MODIFY",
	[KW_NAMES] = "NAMES", [KW_NOT] = "NOT", [KW_NULL] = "NULL", [KW_PRIMARY] = "PRIMARY",
	[KW_SCHEMA] = "SCHEMA", [KW_SESSION] = "SESSION", [KW_SET] = "SET",
	[KW_SPATIAL] = "SPATIAL", [KW_START] = "START", [KW_TABLE] = "TABLE",
	[KW_TABLES] = "TABLES", [KW_TRANSACTION] = "TRANSACTION", [KW_UNIQUE] = "UNIQUE",
	[KW_UNLOCK] = "UNLOCK", [KW_USE] = "USE", [KW_VALUES] = "VALUES",
};

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

struct var {
	char name[DUMP_NAME_MAX + 1];
	char text[TEXT_MAX + 1];
};

struct reader {
	const unsigned char *base, *p, *end, *line_start;
	long line;
	bool exec;              /* inside a conditional comment */
	long exec_line, exec_col;
	bool have;              /* a token is waiting in `ahead` */
	struct tok ahead;

	enum dump_charset client;  /* character_set_client (SET NAMES sets it) */
	bool zone_set;
	char zone[TEXT_MAX + 1];   /* time_zone, when zone_set */
	struct var vars[VARS_MAX];
	size_t nvars;

	bool completed;            /* mysqldump's last comment was seen */
	bool open_tx;              /* START TRANSACTION without its COMMIT yet */

	struct dump_table tables[DUMP_TABLES_MAX];
	size_t ntables;

	char row[ROW_MAX];         /* the current row's decoded values, each ending
	                            * in a NUL */
	size_t used;               /* bytes of row in use, ROW_MAX at most */
	const struct dump_handler *h;
	void *arg;
	struct dump_info *info;
	struct dump_error *err;
};

int
dump_fail(struct dump_error *e, long line, long col, const char *table, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	e->col = col;
	snprintf(e->table, sizeof e->table, "%s", table ? table : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return 0;
}

/* Prints at most 40 bytes of t, unprintable bytes as '?', for messages. */
static const char *
shown(const struct tok *t, char out[44])
{
	size_t n = t->n < 40 ? t->n : 40, i;

	if (t->kind == TK_EOF)
		return "the end of the file";
	if (t->kind == TK_PUNCT) {
		snprintf(out, 44, "'%c'", t->c);
		return out;
	}
	for (i = 0; i < n; i++)
		out[i] = t->s[i] >= 0x20 && t->s[i] < 0x7F ? (char)t->s[i] : '?';
	out[i] = '\0';
	if (t->n > n)
		strcpy(out + 37, "...");
	return out;
}

/* ---- lexer ---- */

static long
col_of(const struct reader *r, const unsigned char *at)
{
	return (long)(at - r->line_start) + 1;
}

static int
lex_fail(struct reader *r, const unsigned char *at, const char *msg)
{
	return dump_fail(r->err, r->line, col_of(r, at), NULL, "%s", msg);
}

static void
newline(struct reader *r, const unsigned char *at)
{
	r->line++;
	r->line_start = at + 1;
}

static bool
is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '$';
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
starts(const unsigned char *p, const unsigned char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* A "-- " comment: notes the header and trailer comments of the tools. */
static void
line_comment(struct reader *r, const unsigned char *text)
{
	static const struct {
		const char *prefix;
		enum dump_format format;
	} headers[] = {
		{ "MySQL dump", DF_MYSQLDUMP },
		{ "MariaDB dump", DF_MYSQLDUMP },
		{ "phpMyAdmin SQL Dump", DF_PHPMYADMIN },
	};

	while (text < r->end && (*text == ' ' || *text == '\t'))
		text++;
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
		if (r->info->format == DF_PLAIN && starts(text, r->end, headers[i].prefix))
			r->info->format = headers[i].format;
	if (starts(text, r->end, "Dump completed"))
		r->completed = true;
}

/* Skips blanks and comments, opening and closing conditional comments on the
 * way. Returns 1, or 0 on an unterminated comment. */
static int
skip(struct reader *r)
{
	const unsigned char *p = r->p, *end = r->end;

	for (;;) {
		if (p < end && is_space(*p)) {
			if (*p == '\n')
				newline(r, p);
			p++;
		} else if (p < end && (*p == '#' || (starts(p, end, "--") &&
		    (p + 2 == end || is_space(p[2]))))) {
			if (*p == '-')
				line_comment(r, p + 2);
			while (p < end && *p != '\n')
				p++;
		} else if (starts(p, end, "*/") && r->exec) {
			r->exec = false;
			p += 2;
		} else if (starts(p, end, "/*")) {
			const unsigned char *open = p, *q = p + 2;
			bool cond = false;
			int digits = 0;

			if (q < end && *q == 'M' && q + 1 < end && q[1] == '!')
				q++;
			if (q < end && *q == '!') {
				q++;
				while (q < end && *q >= '0' && *q <= '9' && digits < 6)
					q++, digits++;
				/* Version 999999 is one no server reaches: MariaDB's
				 * "sandbox mode" line is a comment to everyone. */
				cond = !(digits == 6 && memcmp(q - 6, "999999", 6) == 0);
			}
			if (cond) {
				if (r->exec)
					return lex_fail(r, open, "a conditional comment inside another");
				r->exec = true;
				r->exec_line = r->line;
				r->exec_col = col_of(r, open);
				p = q;
				continue;
			}
			for (p = q; p < end && !starts(p, end, "*/"); p++)
				if (*p == '\n')
					newline(r, p);
			if (p == end) {
				r->p = p;
				return dump_fail(r->err, r->line, 0, NULL,
				    "the file ends inside a comment: it is truncated");
			}
			p += 2;
		} else
			break;
	}
	r->p = p;
	return 1;
}

/* Scans a quoted string or name from r->p (on the quote) into t. */
static int
lex_quoted(struct reader *r, struct tok *t, enum tok_kind kind)
{
	const unsigned char *p = r->p + 1, *end = r->end;
	unsigned char q = *r->p;
	long line = r->line, col = col_of(r, r->p);

	t->kind = kind;
	t->c = (char)q;
	t->s = p;
	for (;;) {
		if (p == end) {
			r->p = p;
			return dump_fail(r->err, line, col, NULL, "the file ends inside %s that "
			    "starts here: it is truncated", kind == TK_STRING ? "a string" : "a name");
		}
		if (*p == '\n')
			newline(r, p);
		if (*p == '\\' && kind == TK_STRING) {
			p++;
			if (p < end && *p == '\n')
				newline(r, p);
			if (p < end)
				p++;
			continue;
		}
		if (*p == q) {
			if (p + 1 < end && p[1] == q) {
				p += 2;
				continue;
			}
			break;
		}
		p++;
	}
	t->n = (size_t)(p - t->s);
	r->p = p + 1;
	if (kind == TK_IDENT && (t->n == 0 || t->n > 2 * DUMP_NAME_MAX))
		return dump_fail(r->err, line, col, NULL, "a quoted name must hold 1-%d characters",
		    DUMP_NAME_MAX);
	if (kind == TK_STRING && t->n > 2 * DUMP_VALUE_MAX)
		return dump_fail(r->err, line, col, NULL, "a string longer than %d bytes",
		    DUMP_VALUE_MAX);
	return 1;
}

/* Reads the next token into t. Returns 1, or 0 with the error set. */
static int
lex(struct reader *r, struct tok *t)
{
	const unsigned char *p, *end = r->end;

	if (r->have) {
		*t = r->ahead;
		r->have = false;
		return 1;
	}
	if (!skip(r))
		return 0;
	p = r->p;
	memset(t, 0, sizeof *t);
	t->line = r->line;
	t->col = col_of(r, p);
	t->s = p;
	if (p == end) {
		if (r->exec)
			return dump_fail(r->err, r->exec_line, r->exec_col, NULL,
			    "the file ends inside a conditional comment that starts here: it is truncated");
		t->kind = TK_EOF;
		return 1;
	}
	if (*p == '\'' || *p == '"')
		return lex_quoted(r, t, TK_STRING);
	if (*p == '`')
		return lex_quoted(r, t, TK_IDENT);
	if (*p >= '0' && *p <= '9') {
		const unsigned char *q = p;

		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q < end && *q == '.') {
			q++;
			while (q < end && *q >= '0' && *q <= '9')
				q++;
		}
		if (q < end && (*q == 'e' || *q == 'E')) {
			const unsigned char *e = q + 1;

			if (e < end && (*e == '+' || *e == '-'))
				e++;
			if (e < end && *e >= '0' && *e <= '9') {
				q = e;
				while (q < end && *q >= '0' && *q <= '9')
					q++;
			}
		}
		if (q < end && is_word_char(*q))
			return lex_fail(r, p, "a malformed number (hexadecimal and binary "
			    "literals are not read)");
		if ((size_t)(q - p) > NUMBER_MAX)
			return lex_fail(r, p, "a number longer than 64 characters");
		t->kind = TK_NUMBER;
		t->n = (size_t)(q - p);
		r->p = q;
		return 1;
	}
	if (is_word_char(*p)) {
		const unsigned char *q = p;

		while (q < end && is_word_char(*q))
			q++;
		t->kind = TK_WORD;
		t->n = (size_t)(q - p);
		r->p = q;
		if (t->n > DUMP_NAME_MAX)
			return lex_fail(r, p, "a word longer than 64 characters");
		return 1;
	}
	if (*p == '@') {
		const unsigned char *q = p + 1;

		t->kind = TK_VAR;
		if (q < end && *q == '@') {
			t->kind = TK_SYSVAR;
			q++;
		}
		t->s = q;
		while (q < end && (is_word_char(*q) || *q == '.'))
			q++;
		t->n = (size_t)(q - t->s);
		r->p = q;
		if (t->n == 0 || t->n > DUMP_NAME_MAX)
			return lex_fail(r, p, "a variable needs a name of 1-64 characters");
		return 1;
	}
	if (*p < 0x80 && strchr("(),;=.:+-*", *p)) {
		t->kind = TK_PUNCT;
		t->c = (char)*p;
		t->n = 1;
		r->p = p + 1;
		return 1;
	}
	if (*p >= 0x20 && *p < 0x7F)
		return dump_fail(r->err, r->line, col_of(r, p), NULL, "unexpected character '%c'", *p);
	return dump_fail(r->err, r->line, col_of(r, p), NULL,
	    "unexpected byte 0x%02X outside a string", *p);
}

static int
peek(struct reader *r, struct tok *t)
{
	if (!r->have) {
		if (!lex(r, &r->ahead))
			return 0;
		r->have = true;
	}
	*t = r->ahead;
	return 1;
}

/* ---- small parsing helpers ---- */

static enum kw
keyword(const struct tok *t)
{
	if (t->kind != TK_WORD)
		return KW_NONE;
	for (int k = 1; k < KW__MAX; k++)
		if (strlen(kw_words[k]) == t->n && strncasecmp(kw_words[k], (const char *)t->s, t->n) == 0)
			return (enum kw)k;
	return KW_NONE;
}

static bool
is_punct(const struct tok *t, char c)
{
	return t->kind == TK_PUNCT && t->c == c;
}

static int
unexpected(struct reader *r, const struct tok *t, const char *wanted)
{
	char buf[44];

	if (t->kind == TK_EOF)
		return dump_fail(r->err, t->line, 0, NULL, "the file ends where %s was expected: "
		    "it is truncated", wanted);
	if ((t->kind == TK_WORD || t->kind == TK_NUMBER) && t->s + t->n == r->end)
		return dump_fail(r->err, t->line, t->col, NULL, "expected %s, found %s, and the "
		    "file ends with it: it is truncated", wanted, shown(t, buf));
	return dump_fail(r->err, t->line, t->col, NULL, "expected %s, found %s %s", wanted,
	    tok_words[t->kind], shown(t, buf));
}

static int
expect_kw(struct reader *r, enum kw k)
{
	struct tok t;
	char want[32];

	if (!lex(r, &t))
		return 0;
	if (keyword(&t) == k)
		return 1;
	snprintf(want, sizeof want, "%s", kw_words[k]);
	return unexpected(r, &t, want);
}

static int
expect_punct(struct reader *r, char c)
{
	struct tok t;
	char want[8];

	if (!lex(r, &t))
		return 0;
	if (is_punct(&t, c))
		return 1;
	snprintf(want, sizeof want, "'%c'", c);
	return unexpected(r, &t, want);
}

/* Consumes the next token if it is keyword k; *seen says whether it was. */
static int
accept_kw(struct reader *r, enum kw k, bool *seen)
{
	struct tok t;

	if (!peek(r, &t))
		return 0;
	*seen = keyword(&t) == k;
	if (*seen)
		r->have = false;
	return 1;
}

/* A name (bare or quoted) into out. */
static int
name(struct reader *r, char out[DUMP_NAME_MAX + 1], struct tok *at)
{
	struct tok t;
	size_t n = 0;

	if (!lex(r, &t))
		return 0;
	if (at)
		*at = t;
	if (t.kind == TK_WORD) {
		memcpy(out, t.s, t.n);
		out[t.n] = '\0';
		return 1;
	}
	if (t.kind != TK_IDENT)
		return unexpected(r, &t, "a name");
	for (size_t i = 0; i < t.n; i++) {
		if (t.s[i] == '`')
			i++; /* `` is one backquote */
		if (n == DUMP_NAME_MAX || t.s[i] < 0x20 || t.s[i] >= 0x7F)
			return dump_fail(r->err, t.line, t.col, NULL,
			    "a name of 1-64 printable ASCII characters expected");
		out[n++] = (char)t.s[i];
	}
	out[n] = '\0';
	return 1;
}

/* A token's text as a NUL-terminated string (words and numbers), or
 * unquoted, for the short values SET deals in. Returns 1, or 0 if it does
 * not fit TEXT_MAX (the caller decides whether that matters). */
static int
tok_text(const struct tok *t, char out[TEXT_MAX + 1])
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		unsigned char c = t->s[i];

		if (t->kind == TK_STRING && (c == '\\' || c == (unsigned char)t->c)) {
			if (++i == t->n)
				break;
			c = t->s[i];
		}
		if (n == TEXT_MAX)
			return 0;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 1;
}

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
	char cs[TEXT_MAX + 1];
	const char *u = strchr(s, '_');
	size_t n = u ? (size_t)(u - s) : 0;

	if (n == 0 || n > TEXT_MAX)
		return DCS__MAX;
	memcpy(cs, s, n);
	cs[n] = '\0';
	return charset_named(cs) == DCS_UNSET ? DCS__MAX : charset_named(cs);
}

static int
refuse_charset(struct reader *r, const struct tok *t)
{
	char buf[44];

	return dump_fail(r->err, t->line, t->col, NULL, "character set %s is not read: "
	    "export the dump in UTF-8 (utf8mb4) or latin1", shown(t, buf));
}

/* Reads a charset (collation) name at t and refuses one we do not read. */
static int
charset_tok(struct reader *r, const struct tok *t, bool collation, enum dump_charset *out)
{
	char text[TEXT_MAX + 1];
	enum dump_charset cs = DCS__MAX;

	if ((t->kind == TK_WORD || t->kind == TK_STRING || t->kind == TK_IDENT) && tok_text(t, text))
		cs = collation ? charset_of_collation(text) : charset_named(text);
	if (cs == DCS__MAX || cs == DCS_UNSET)
		return refuse_charset(r, t);
	*out = cs;
	return 1;
}

/* Skips tokens to the next ',' or ')' at depth 0 (left to be read), or ';'
 * (left too). Parentheses nest up to DEPTH_MAX. If charset is not NULL,
 * CHARACTER SET x, CHARSET x and COLLATE x on the way are checked and the
 * charset stored there. */
static int
skip_clause(struct reader *r, enum dump_charset *charset)
{
	struct tok t;
	int depth = 0;

	for (;;) {
		enum kw k;

		if (!peek(r, &t))
			return 0;
		if (t.kind == TK_EOF)
			return dump_fail(r->err, t.line, 0, NULL,
			    "the file ends inside a statement: it is truncated");
		if (depth == 0 && (is_punct(&t, ',') || is_punct(&t, ')') || is_punct(&t, ';')))
			return 1;
		r->have = false;
		if (is_punct(&t, '(') && ++depth > DEPTH_MAX)
			return dump_fail(r->err, t.line, t.col, NULL, "parentheses nested too deep");
		if (is_punct(&t, ')'))
			depth--;
		k = keyword(&t);
		if (depth == 0 && (k == KW_CHARACTER || k == KW_CHARSET || k == KW_COLLATE)) {
			enum dump_charset cs;

			if (k == KW_CHARACTER && !expect_kw(r, KW_SET))
				return 0;
			if (!lex(r, &t))
				return 0;
			if (is_punct(&t, '=') && !lex(r, &t))
				return 0;
			if (!charset_tok(r, &t, k == KW_COLLATE, &cs))
				return 0;
			if (charset && k != KW_COLLATE)
				*charset = cs;
		}
	}
}

/* The end of a statement: ';' and no conditional comment left open. */
static int
end_statement(struct reader *r)
{
	struct tok t;

	if (!lex(r, &t))
		return 0;
	if (!is_punct(&t, ';'))
		return unexpected(r, &t, "';'");
	if (r->exec)
		return dump_fail(r->err, t.line, t.col, NULL,
		    "';' inside a conditional comment (triggers and routines are not read)");
	return 1;
}

static struct dump_table *
table_def(struct reader *r, const char *tname)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (strcasecmp(r->tables[i].name, tname) == 0)
			return &r->tables[i];
	return NULL;
}

static int
table_named(struct reader *r, char out[DUMP_NAME_MAX + 1])
{
	struct tok at;

	if (!name(r, out, &at))
		return 0;
	return r->h->table(r->arg, out, at.line, at.col, r->err);
}

/* ---- SET ---- */

static struct var *
var_find(struct reader *r, const struct tok *t, bool create)
{
	char n[DUMP_NAME_MAX + 1];

	memcpy(n, t->s, t->n);
	n[t->n] = '\0';
	for (size_t i = 0; i < r->nvars; i++)
		if (strcasecmp(r->vars[i].name, n) == 0)
			return &r->vars[i];
	if (!create || r->nvars == VARS_MAX)
		return NULL;
	snprintf(r->vars[r->nvars].name, sizeof r->vars[0].name, "%s", n);
	r->vars[r->nvars].text[0] = '\0';
	return &r->vars[r->nvars++];
}

/* The system variable t names (@@session.time_zone, time_zone), or SV__MAX. */
static enum sysvar
sysvar(const struct tok *t)
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
unknown_sysvar(struct reader *r, const struct tok *t)
{
	char buf[44];

	return dump_fail(r->err, t->line, t->col, NULL,
	    "SET of %s, a variable this reader does not know", shown(t, buf));
}

/* The value of one assignment, as text (charset names, zones) in out: "" for
 * a value we do not follow, "?" for one too long to be a charset or a zone. */
static int
set_value(struct reader *r, struct tok *t, char out[TEXT_MAX + 1])
{
	out[0] = '\0';
	if (!lex(r, t))
		return 0;
	if (is_punct(t, '-') || is_punct(t, '+')) {
		if (!lex(r, t))
			return 0;
		if (t->kind != TK_NUMBER)
			return unexpected(r, t, "a number");
		return 1;
	}
	switch (t->kind) {
	case TK_STRING:
	case TK_WORD:
	case TK_NUMBER:
		if (!tok_text(t, out))
			strcpy(out, "?");
		return 1;
	case TK_VAR: {
		struct var *v = var_find(r, t, false);

		if (v)
			snprintf(out, TEXT_MAX + 1, "%s", v->text);
		return 1;
	}
	case TK_SYSVAR:
		switch (sysvar(t)) {
		case SV_CHARACTER_SET_CLIENT:
			snprintf(out, TEXT_MAX + 1, "%s", r->client == DCS_LATIN1 ? "latin1" :
			    r->client == DCS_UTF8 ? "utf8mb4" : "");
			return 1;
		case SV_TIME_ZONE:
			snprintf(out, TEXT_MAX + 1, "%s", r->zone_set ? r->zone : "SYSTEM");
			return 1;
		case SV__MAX:
			return unknown_sysvar(r, t);
		default:
			return 1;
		}
	default:
		return unexpected(r, t, "a value");
	}
}

/* A charset set by name or restored from a variable ("": the default). */
static int
set_charset(struct reader *r, const struct tok *t, const char *text, bool client)
{
	enum dump_charset cs = charset_named(text);

	if (cs == DCS__MAX)
		return refuse_charset(r, t);
	if (client)
		r->client = cs;
	return 1;
}

/* SET NAMES x [COLLATE y] | [SESSION] var = value | @@var = value | @u = value, ... */
static int
st_set(struct reader *r)
{
	struct tok t, v;
	char text[TEXT_MAX + 1];

	for (;;) {
		enum kw k;

		if (!lex(r, &t))
			return 0;
		k = keyword(&t);
		if (k == KW_SESSION || k == KW_LOCAL || k == KW_GLOBAL) {
			if (!lex(r, &t))
				return 0;
			k = keyword(&t);
		}
		if (k == KW_NAMES || k == KW_CHARSET || k == KW_CHARACTER) {
			bool collate;

			if (k == KW_CHARACTER && !expect_kw(r, KW_SET))
				return 0;
			if (!lex(r, &v))
				return 0;
			if (keyword(&v) == KW_DEFAULT)
				r->client = DCS_UNSET;
			else if (!charset_tok(r, &v, false, &r->client))
				return 0;
			if (r->client != DCS_UNSET)
				r->info->names = r->client;
			if (!accept_kw(r, KW_COLLATE, &collate))
				return 0;
			if (collate) {
				enum dump_charset cs;

				if (!lex(r, &v) || !charset_tok(r, &v, true, &cs))
					return 0;
			}
		} else if (t.kind == TK_VAR) {
			struct var *var = var_find(r, &t, true);

			if (!var)
				return dump_fail(r->err, t.line, t.col, NULL,
				    "more than %d user variables", VARS_MAX);
			if (!lex(r, &v))
				return 0;
			if (is_punct(&v, ':') && !lex(r, &v))
				return 0;
			if (!is_punct(&v, '='))
				return unexpected(r, &v, "'='");
			if (!set_value(r, &v, text))
				return 0;
			snprintf(var->text, sizeof var->text, "%s", text);
		} else if (t.kind == TK_WORD || t.kind == TK_SYSVAR) {
			enum sysvar sv = sysvar(&t);

			if (sv == SV__MAX)
				return unknown_sysvar(r, &t);
			if (!expect_punct(r, '=') || !set_value(r, &v, text))
				return 0;
			switch (sv) {
			case SV_CHARACTER_SET_CLIENT:
			case SV_CHARACTER_SET_RESULTS:
			case SV_CHARACTER_SET_CONNECTION:
				if (!set_charset(r, &v, text, sv == SV_CHARACTER_SET_CLIENT))
					return 0;
				break;
			case SV_COLLATION_CONNECTION:
				if (text[0] && charset_of_collation(text) == DCS__MAX)
					return refuse_charset(r, &v);
				break;
			case SV_TIME_ZONE:
				r->zone_set = text[0] && strcasecmp(text, "SYSTEM") != 0;
				snprintf(r->zone, sizeof r->zone, "%s", text);
				break;
			default:
				break;
			}
		} else
			return unexpected(r, &t, "a variable");
		if (!peek(r, &t))
			return 0;
		if (!is_punct(&t, ','))
			return end_statement(r);
		r->have = false;
	}
}

/* ---- table statements ---- */

/* LOCK TABLES t [[AS] alias] READ [LOCAL] | [LOW_PRIORITY] WRITE, ... */
static int
st_lock(struct reader *r)
{
	char tname[DUMP_NAME_MAX + 1];
	struct tok t;

	if (!lex(r, &t))
		return 0;
	if (keyword(&t) != KW_TABLES && keyword(&t) != KW_TABLE)
		return unexpected(r, &t, "TABLES");
	for (;;) {
		if (!table_named(r, tname))
			return 0;
		for (;;) {
			if (!peek(r, &t))
				return 0;
			if (t.kind != TK_WORD && t.kind != TK_IDENT)
				break;
			r->have = false;
		}
		if (!is_punct(&t, ','))
			return end_statement(r);
		r->have = false;
	}
}

/* DROP TABLE [IF EXISTS] t, ... | DROP DATABASE [IF EXISTS] d */
static int
st_drop(struct reader *r)
{
	char tname[DUMP_NAME_MAX + 1];
	struct tok t;
	enum kw k;
	bool seen;

	if (!lex(r, &t))
		return 0;
	k = keyword(&t);
	if (k != KW_TABLE && k != KW_DATABASE && k != KW_SCHEMA)
		return unexpected(r, &t, "TABLE");
	if (!accept_kw(r, KW_IF, &seen))
		return 0;
	if (seen && !expect_kw(r, KW_EXISTS))
		return 0;
	for (;;) {
		if (k == KW_TABLE ? !table_named(r, tname) : !name(r, tname, NULL))
			return 0;
		if (!peek(r, &t))
			return 0;
		if (!is_punct(&t, ',') || k != KW_TABLE)
			return end_statement(r);
		r->have = false;
	}
}

/* The column definitions and keys of CREATE TABLE, then its options. */
static int
create_body(struct reader *r, struct dump_table *d)
{
	struct tok t;

	if (!expect_punct(r, '('))
		return 0;
	for (;;) {
		enum kw k;

		if (!peek(r, &t))
			return 0;
		k = keyword(&t);
		if (k == KW_PRIMARY || k == KW_KEY || k == KW_INDEX || k == KW_UNIQUE ||
		    k == KW_CONSTRAINT || k == KW_FOREIGN || k == KW_FULLTEXT || k == KW_SPATIAL ||
		    k == KW_CHECK) {
			if (!skip_clause(r, NULL))
				return 0;
		} else if (t.kind == TK_WORD || t.kind == TK_IDENT) {
			struct dump_column *c;
			struct tok type;

			if (d->ncolumns == DUMP_COLUMNS_MAX)
				return dump_fail(r->err, t.line, t.col, d->name,
				    "more than %d columns", DUMP_COLUMNS_MAX);
			c = &d->columns[d->ncolumns];
			if (!name(r, c->name, NULL))
				return 0;
			for (size_t i = 0; i < d->ncolumns; i++)
				if (strcasecmp(d->columns[i].name, c->name) == 0)
					return dump_fail(r->err, t.line, t.col, d->name,
					    "column %s is declared twice", c->name);
			if (!lex(r, &type))
				return 0;
			if (type.kind != TK_WORD)
				return unexpected(r, &type, "a column type");
			for (size_t i = 0; i < type.n; i++)
				c->type[i] = (char)(type.s[i] >= 'A' && type.s[i] <= 'Z' ?
				    type.s[i] + ('a' - 'A') : type.s[i]);
			c->type[type.n] = '\0';
			c->charset = DCS_UNSET;
			if (!skip_clause(r, &c->charset))
				return 0;
			d->ncolumns++;
		} else
			return unexpected(r, &t, "a column definition");
		if (!lex(r, &t))
			return 0;
		if (is_punct(&t, ')'))
			break;
		if (!is_punct(&t, ','))
			return unexpected(r, &t, "',' or ')'");
	}
	/* Table options: ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ... */
	return skip_clause(r, &d->charset) && end_statement(r);
}

/* CREATE TABLE [IF NOT EXISTS] t (...) options | CREATE DATABASE ... */
static int
st_create(struct reader *r)
{
	struct dump_table *d;
	struct tok t, at;
	bool seen;

	if (!lex(r, &t))
		return 0;
	if (keyword(&t) == KW_DATABASE || keyword(&t) == KW_SCHEMA) {
		char dname[DUMP_NAME_MAX + 1];

		if (!accept_kw(r, KW_IF, &seen))
			return 0;
		if (seen && !(expect_kw(r, KW_NOT) && expect_kw(r, KW_EXISTS)))
			return 0;
		return name(r, dname, NULL) && skip_clause(r, NULL) && end_statement(r);
	}
	if (keyword(&t) != KW_TABLE)
		return unexpected(r, &t, "TABLE or DATABASE");
	if (!accept_kw(r, KW_IF, &seen))
		return 0;
	if (seen && !(expect_kw(r, KW_NOT) && expect_kw(r, KW_EXISTS)))
		return 0;
	if (r->ntables == DUMP_TABLES_MAX)
		return dump_fail(r->err, t.line, t.col, NULL, "more than %d tables", DUMP_TABLES_MAX);
	d = &r->tables[r->ntables];
	memset(d, 0, sizeof *d);
	if (!name(r, d->name, &at) || !r->h->table(r->arg, d->name, at.line, at.col, r->err))
		return 0;
	if (table_def(r, d->name))
		return dump_fail(r->err, at.line, at.col, d->name, "the table is created twice");
	if (!create_body(r, d))
		return 0;
	r->ntables++;
	return r->h->create(r->arg, d, at.line, r->err);
}

/* ALTER TABLE t clause, ...: only what exports add after CREATE TABLE (keys,
 * constraints, MODIFY of a column's attributes, AUTO_INCREMENT). */
static int
st_alter(struct reader *r)
{
	char tname[DUMP_NAME_MAX + 1];
	struct tok t, w;

	if (!expect_kw(r, KW_TABLE) || !table_named(r, tname))
		return 0;
	for (;;) {
		enum kw k;

		if (!lex(r, &t))
			return 0;
		k = keyword(&t);
		if (k == KW_ADD) {
			if (!peek(r, &w))
				return 0;
			k = keyword(&w);
			if (k != KW_PRIMARY && k != KW_KEY && k != KW_INDEX && k != KW_UNIQUE &&
			    k != KW_CONSTRAINT && k != KW_FOREIGN && k != KW_FULLTEXT &&
			    k != KW_SPATIAL)
				return dump_fail(r->err, w.line, w.col, tname,
				    "ALTER TABLE may only add keys and constraints here");
		} else if (k == KW_MODIFY) {
			struct dump_table *d = table_def(r, tname);
			char cname[DUMP_NAME_MAX + 1];
			struct tok at;
			bool found = false, column;

			if (!accept_kw(r, KW_COLUMN, &column) || !name(r, cname, &at))
				return 0;
			for (size_t i = 0; d && i < d->ncolumns; i++)
				found = found || strcasecmp(d->columns[i].name, cname) == 0;
			if (!found)
				return dump_fail(r->err, at.line, at.col, tname,
				    "ALTER TABLE modifies column %s, which its CREATE TABLE lacks", cname);
			/* The new type must keep the type's first word. */
			if (!lex(r, &w))
				return 0;
			for (size_t i = 0; d && i < d->ncolumns; i++)
				if (strcasecmp(d->columns[i].name, cname) == 0 &&
				    (w.kind != TK_WORD || strlen(d->columns[i].type) != w.n ||
				    strncasecmp(d->columns[i].type, (const char *)w.s, w.n) != 0))
					return dump_fail(r->err, w.line, w.col, tname,
					    "ALTER TABLE changes the type of column %s", cname);
		} else if (k != KW_DISABLE && k != KW_ENABLE && k != KW_AUTO_INCREMENT)
			return unexpected(r, &t, "an ALTER TABLE clause on keys");
		if (!skip_clause(r, NULL) || !lex(r, &t))
			return 0;
		if (is_punct(&t, ';'))
			break;
		if (!is_punct(&t, ','))
			return unexpected(r, &t, "',' or ';'");
	}
	if (r->exec)
		return dump_fail(r->err, t.line, t.col, NULL, "';' inside a conditional comment");
	return 1;
}

/* ---- INSERT ---- */

static int
utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			len = 2, cp = c & 0x1F, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3, cp = c & 0x0F, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4, cp = c & 0x07, min = 0x10000;
		else
			goto bad;
		if (n - i < len)
			goto bad;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto bad;
		i += len;
	}
	return 1;
bad:
	*bad = i;
	return 0;
}

/* MySQL's latin1 is Windows-1252, with its five holes kept as C1 controls. */
static const uint16_t cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* Appends n bytes of the current value to the row buffer; 0 when they do
 * not fit. */
static int
put(struct reader *r, const void *p, size_t n)
{
	assert(r->used <= ROW_MAX);
	if (ROW_MAX - r->used < n)
		return 0;
	memcpy(r->row + r->used, p, n);
	r->used += n;
	return 1;
}

/* Ends the current value with its NUL; 0 when the buffer is full. A value
 * may have put no byte before (an empty string), so this checks on its own. */
static int
end_value(struct reader *r)
{
	return put(r, "", 1);
}

/* Unescapes string t and decodes it from cs into the row buffer, as *v. */
static int
string_value(struct reader *r, const struct tok *t, enum dump_charset cs, struct dump_value *v)
{
	unsigned char raw[DUMP_VALUE_MAX];
	size_t n = 0, bad;

	for (size_t i = 0; i < t->n; i++) {
		unsigned char c = t->s[i];

		if (c == '\\') {
			static const char from[] = "0bnrtZ", to[] = "\0\b\n\r\t\032";
			const char *e;

			c = t->s[++i]; /* the lexer never ends a string on a backslash */
			if (c && (e = strchr(from, c)) != NULL)
				c = (unsigned char)to[e - from];
			else if (c == '%' || c == '_') {
				if (n == sizeof raw)
					goto long_value;
				raw[n++] = '\\'; /* MySQL keeps these two escapes as written */
			}
		} else if (c == (unsigned char)t->c)
			i++; /* a doubled quote */
		if (n == sizeof raw)
			goto long_value;
		raw[n++] = c;
	}
	v->kind = DV_STRING;
	v->s = r->row + r->used;
	if (cs == DCS_LATIN1) {
		v->len = 0;
		for (size_t i = 0; i < n; i++) {
			uint32_t cp = raw[i] >= 0x80 && raw[i] < 0xA0 ? cp1252[raw[i] - 0x80] : raw[i];
			unsigned char u[3];
			size_t k;

			if (cp < 0x80)
				u[0] = (unsigned char)cp, k = 1;
			else if (cp < 0x800)
				u[0] = (unsigned char)(0xC0 | cp >> 6), u[1] = (unsigned char)(0x80 | (cp & 0x3F)), k = 2;
			else
				u[0] = (unsigned char)(0xE0 | cp >> 12),
				u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)),
				u[2] = (unsigned char)(0x80 | (cp & 0x3F)), k = 3;
			if (!put(r, u, k))
				goto long_row;
			v->len += k;
		}
	} else {
		if (!utf8_valid(raw, n, &bad))
			return dump_fail(r->err, t->line, t->col, NULL, "the string holds bytes that are "
			    "not UTF-8 (byte %zu of its value); if the dump is latin1, it lacks its "
			    "SET NAMES latin1", bad + 1);
		if (!put(r, raw, n))
			goto long_row;
		v->len = n;
	}
	if (!end_value(r))
		goto long_row;
	return 1;
long_value:
	return dump_fail(r->err, t->line, t->col, NULL, "a value longer than %d bytes", DUMP_VALUE_MAX);
long_row:
	return dump_fail(r->err, t->line, t->col, NULL, "a row longer than %d bytes", ROW_MAX);
}

/* One value of a row. */
static int
value(struct reader *r, enum dump_charset cs, struct dump_value *v)
{
	struct tok t;
	char sign = 0;

	if (!lex(r, &t))
		return 0;
	v->line = t.line;
	v->col = t.col;
	if (is_punct(&t, '-') || is_punct(&t, '+')) {
		sign = t.c;
		if (!lex(r, &t))
			return 0;
		if (t.kind != TK_NUMBER)
			return unexpected(r, &t, "a number");
	}
	switch (t.kind) {
	case TK_NUMBER:
		v->kind = DV_NUMBER;
		v->s = r->row + r->used;
		v->len = t.n + (sign == '-');
		if ((sign == '-' && !put(r, "-", 1)) || !put(r, t.s, t.n) || !end_value(r))
			return dump_fail(r->err, t.line, t.col, NULL, "a row longer than %d bytes", ROW_MAX);
		return 1;
	case TK_STRING:
		return string_value(r, &t, cs, v);
	case TK_WORD:
		if (keyword(&t) != KW_NULL)
			break;
		v->kind = DV_NULL;
		v->s = "";
		v->len = 0;
		return 1;
	default:
		break;
	}
	return unexpected(r, &t, "a value (a string, a number or NULL)");
}

/* INSERT INTO t [(c, ...)] VALUES (v, ...), ... */
static int
st_insert(struct reader *r)
{
	char tname[DUMP_NAME_MAX + 1], cols[DUMP_COLUMNS_MAX][DUMP_NAME_MAX + 1];
	const char *colp[DUMP_COLUMNS_MAX];
	enum dump_charset cs[DUMP_COLUMNS_MAX];
	struct dump_value vals[DUMP_COLUMNS_MAX];
	const struct dump_table *d;
	size_t n = 0;
	struct tok t, at;

	if (!expect_kw(r, KW_INTO) || !name(r, tname, &at) ||
	    !r->h->table(r->arg, tname, at.line, at.col, r->err))
		return 0;
	d = table_def(r, tname);
	if (!peek(r, &t))
		return 0;
	if (is_punct(&t, '(')) {
		r->have = false;
		for (;;) {
			if (n == DUMP_COLUMNS_MAX)
				return dump_fail(r->err, t.line, t.col, tname, "more than %d columns",
				    DUMP_COLUMNS_MAX);
			if (!name(r, cols[n], &t))
				return 0;
			for (size_t i = 0; i < n; i++)
				if (strcasecmp(cols[i], cols[n]) == 0)
					return dump_fail(r->err, t.line, t.col, tname,
					    "column %s is listed twice", cols[n]);
			n++;
			if (!lex(r, &t))
				return 0;
			if (is_punct(&t, ')'))
				break;
			if (!is_punct(&t, ','))
				return unexpected(r, &t, "',' or ')'");
		}
	} else if (d) {
		for (n = 0; n < d->ncolumns; n++)
			snprintf(cols[n], sizeof cols[n], "%s", d->columns[n].name);
	} else
		return dump_fail(r->err, at.line, at.col, tname, "an INSERT without a column list "
		    "before the table's CREATE TABLE: the order of its values is unknown");
	for (size_t i = 0; i < n; i++) {
		colp[i] = cols[i];
		cs[i] = r->client;
		for (size_t k = 0; cs[i] == DCS_UNSET && d && k < d->ncolumns; k++)
			if (strcasecmp(d->columns[k].name, cols[i]) == 0)
				cs[i] = d->columns[k].charset != DCS_UNSET ? d->columns[k].charset
				    : d->charset;
	}
	if (!r->h->insert(r->arg, tname, colp, n, at.line, r->err) || !expect_kw(r, KW_VALUES))
		return 0;
	for (;;) {
		size_t k = 0;
		struct tok open;

		r->used = 0;
		if (!lex(r, &open))
			return 0;
		if (!is_punct(&open, '('))
			return unexpected(r, &open, "'(' opening a row");
		for (;;) {
			if (k == n)
				return dump_fail(r->err, open.line, open.col, tname,
				    "a row with more values than its %zu columns", n);
			if (!value(r, cs[k], &vals[k]))
				return 0;
			k++;
			if (!lex(r, &t))
				return 0;
			if (is_punct(&t, ')'))
				break;
			if (!is_punct(&t, ','))
				return unexpected(r, &t, "',' or ')'");
		}
		if (k != n)
			return dump_fail(r->err, open.line, open.col, tname,
			    "a row of %zu values for %zu columns", k, n);
		r->info->rows++;
		if (!r->h->row(r->arg, vals, n, r->zone_set ? r->zone : NULL, r->err))
			return 0;
		if (!lex(r, &t))
			return 0;
		if (is_punct(&t, ';'))
			break;
		if (!is_punct(&t, ','))
			return unexpected(r, &t, "',' or ';'");
	}
	if (r->exec)
		return dump_fail(r->err, t.line, t.col, NULL, "';' inside a conditional comment");
	return 1;
}

/* ---- the statement loop ---- */

static int
statement(struct reader *r, const struct tok *t)
{
	char dname[DUMP_NAME_MAX + 1];

	switch (keyword(t)) {
	case KW_SET:
		return st_set(r);
	case KW_LOCK:
		return st_lock(r);
	case KW_UNLOCK:
		return expect_kw(r, KW_TABLES) && end_statement(r);
	case KW_DROP:
		return st_drop(r);
	case KW_CREATE:
		return st_create(r);
	case KW_ALTER:
		return st_alter(r);
	case KW_INSERT:
		return st_insert(r);
	case KW_USE:
		return name(r, dname, NULL) && end_statement(r);
	case KW_START:
		r->open_tx = true;
		return expect_kw(r, KW_TRANSACTION) && end_statement(r);
	case KW_BEGIN:
		r->open_tx = true;
		return end_statement(r);
	case KW_COMMIT:
		r->open_tx = false;
		return end_statement(r);
	default: {
		char buf[44];

		return dump_fail(r->err, t->line, t->col, NULL,
		    "a statement that is not read from a dump: %s", shown(t, buf));
	}
	}
}

int
dump_read(const char *buf, size_t len, const struct dump_handler *h, void *arg,
    struct dump_info *info, struct dump_error *err)
{
	struct reader *r;
	const char *nul = memchr(buf, '\0', len);
	struct tok t;
	int ok = 0;

	memset(info, 0, sizeof *info);
	memset(err, 0, sizeof *err);
	if (nul) {
		long line = 1;
		const char *ls = buf;

		for (const char *p = buf; p < nul; p++)
			if (*p == '\n')
				line++, ls = p + 1;
		return dump_fail(err, line, (long)(nul - ls) + 1, NULL,
		    "a NUL byte: this is not a text dump");
	}
	if (!(r = calloc(1, sizeof *r)))
		return dump_fail(err, 0, 0, NULL, "out of memory");
	r->base = r->p = r->line_start = (const unsigned char *)buf;
	r->end = r->base + len;
	if (starts(r->p, r->end, "\xEF\xBB\xBF")) /* a UTF-8 byte order mark */
		r->p += 3;
	r->line = 1;
	r->h = h;
	r->arg = arg;
	r->info = info;
	r->err = err;
	for (;;) {
		if (!lex(r, &t))
			goto out;
		if (t.kind == TK_EOF)
			break;
		if (is_punct(&t, ';'))
			continue;
		if (t.kind != TK_WORD) {
			unexpected(r, &t, "a statement");
			goto out;
		}
		if (!statement(r, &t))
			goto out;
		info->statements++;
	}
	info->lines = r->line - (len > 0 && buf[len - 1] == '\n'); /* as wc -l counts */
	if (info->format == DF_MYSQLDUMP && !r->completed)
		dump_fail(err, r->line, 0, NULL, "the dump ends before mysqldump's "
		    "\"-- Dump completed\" line: it is truncated");
	else if (r->open_tx)
		dump_fail(err, r->line, 0, NULL, "the dump ends inside the transaction it "
		    "started (no COMMIT): it is truncated");
	else
		ok = 1;
out:
	free(r);
	return ok;
}

/* ---- values ---- */

int
dump_cents(const char *s, int64_t *out)
{
	const char *int_part, *frac;
	size_t ni, nf, nd = 0;
	int neg = 0, exp = 0, eneg = 0;
	char digits[2 * NUMBER_MAX];
	long point, i;
	uint64_t v = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	int_part = s;
	ni = strspn(s, "0123456789");
	s += ni;
	frac = s;
	nf = 0;
	if (*s == '.') {
		frac = ++s;
		nf = strspn(s, "0123456789");
		s += nf;
	}
	if (ni == 0 || ni + nf >= sizeof digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		size_t ne;

		s++;
		if (*s == '-' || *s == '+')
			eneg = *s++ == '-';
		ne = strspn(s, "0123456789");
		if (ne == 0 || ne > 3)
			return 0;
		for (size_t k = 0; k < ne; k++)
			exp = exp * 10 + (s[k] - '0');
		s += ne;
		if (eneg)
			exp = -exp;
	}
	if (*s != '\0')
		return 0;
	memcpy(digits, int_part, ni);
	memcpy(digits + ni, frac, nf);
	nd = ni + nf;
	/* The value is 0.digits * 10^(ni + exp); in cents the point sits after
	 * `point` digits. Digits before index 0 or past the end are zeros. */
	point = (long)ni + exp + 2;
	for (i = 0; i < point; i++) {
		int d = i < (long)nd ? digits[i] - '0' : 0;

		if (v > (uint64_t)DUMP_CENTS_MAX / 10)
			return 0;
		v = v * 10 + (uint64_t)d;
	}
	if (point >= 0 && point < (long)nd && digits[point] >= '5')
		v++; /* the first digit dropped is 5 or more: half away from zero */
	if (v > (uint64_t)DUMP_CENTS_MAX)
		return 0;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 1;
}

int
dump_integer(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int neg = *s == '-';
	size_t n;
	uint64_t v = 0;

	s += neg;
	n = strspn(s, "0123456789");
	if (n == 0 || n > 19 || s[n] != '\0')
		return 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (v > (uint64_t)INT64_MAX)
		return 0;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return *out >= min && *out <= max;
}

static int
field(const char *s, size_t n, int min, int max, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v >= min && v <= max;
}

int
dump_datetime(const char *s, struct dump_datetime *d)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t n = strlen(s);
	int leap, ms = 0;

	if (n < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
		return 0;
	if (!field(s, 4, 1000, 9999, &d->year) || !field(s + 5, 2, 1, 12, &d->mon) ||
	    !field(s + 8, 2, 1, 31, &d->day) || !field(s + 11, 2, 0, 23, &d->hour) ||
	    !field(s + 14, 2, 0, 59, &d->min) || !field(s + 17, 2, 0, 59, &d->sec))
		return 0;
	leap = (d->year % 4 == 0 && d->year % 100 != 0) || d->year % 400 == 0;
	if (d->day > days[d->mon - 1] + (d->mon == 2 && leap))
		return 0;
	if (n > 19) {
		size_t f = n - 20;

		if (s[19] != '.' || f < 1 || f > 6 || strspn(s + 20, "0123456789") != f)
			return 0;
		for (size_t i = 0; i < 3; i++)
			ms = ms * 10 + (i < f ? s[20 + i] - '0' : 0);
	}
	d->msec = ms;
	return 1;
}
