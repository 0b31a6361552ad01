/*
 * The dump reader's lexical shape: a lexer over the whole file in memory, one
 * token of look-ahead, no recursion, and the pieces every statement is made
 * of (names, a list's separators, a statement's end). See dump_lex.h for its
 * invariants. The input is hostile: every read is bounded by the buffer's
 * end, which carries no terminator.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dump_lex.h"

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

static long
col_of(const struct lex *lx, const unsigned char *at)
{
	return (long)(at - lx->line_start) + 1;
}

/* Refuses the text at `at`, on the current line. Returns 0. */
static int
fail_at(struct lex *lx, const unsigned char *at, const char *msg)
{
	return dump_fail(lx->err, lx->line, col_of(lx, at), NULL, "%s", msg);
}

static void
newline(struct lex *lx, const unsigned char *at)
{
	lx->line++;
	lx->line_start = at + 1;
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

void
lex_init(struct lex *lx, const char *buf, size_t len, struct dump_error *err)
{
	memset(lx, 0, sizeof *lx);
	lx->p = lx->line_start = (const unsigned char *)buf;
	lx->end = lx->p + len;
	if (starts(lx->p, lx->end, "\xEF\xBB\xBF")) /* a UTF-8 byte order mark */
		lx->p += 3;
	lx->line = 1;
	lx->format = DF_PLAIN;
	lx->err = err;
}

/* A "-- " comment: notes the header and trailer comments of the tools. */
static void
line_comment(struct lex *lx, const unsigned char *text)
{
	static const struct {
		const char *prefix;
		enum dump_format format;
	} headers[] = {
		{ "MySQL dump", DF_MYSQLDUMP },
		{ "MariaDB dump", DF_MYSQLDUMP },
		{ "phpMyAdmin SQL Dump", DF_PHPMYADMIN },
	};

	while (text < lx->end && (*text == ' ' || *text == '\t'))
		text++;
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
		if (lx->format == DF_PLAIN && starts(text, lx->end, headers[i].prefix))
			lx->format = headers[i].format;
	if (starts(text, lx->end, "Dump completed"))
		lx->completed = true;
}

/* Skips blanks and comments, opening and closing conditional comments on the
 * way. Returns 1, or 0 on an unterminated comment. */
static int
skip(struct lex *lx)
{
	const unsigned char *p = lx->p, *end = lx->end;

	for (;;) {
		if (p < end && is_space(*p)) {
			if (*p == '\n')
				newline(lx, p);
			p++;
		} else if (p < end && (*p == '#' || (starts(p, end, "--") &&
		    (p + 2 == end || is_space(p[2]))))) {
			if (*p == '-')
				line_comment(lx, p + 2);
			while (p < end && *p != '\n')
				p++;
		} else if (starts(p, end, "*/") && lx->exec) {
			lx->exec = false;
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
				if (lx->exec)
					return fail_at(lx, open, "a conditional comment inside another");
				lx->exec = true;
				lx->exec_line = lx->line;
				lx->exec_col = col_of(lx, open);
				p = q;
				continue;
			}
			for (p = q; p < end && !starts(p, end, "*/"); p++)
				if (*p == '\n')
					newline(lx, p);
			if (p == end) {
				lx->p = p;
				return dump_fail(lx->err, lx->line, 0, NULL,
				    "the file ends inside a comment: it is truncated");
			}
			p += 2;
		} else
			break;
	}
	lx->p = p;
	return 1;
}

/* Scans a quoted string or name from lx->p (on the quote) into t. */
static int
lex_quoted(struct lex *lx, struct tok *t, enum tok_kind kind)
{
	const unsigned char *p = lx->p + 1, *end = lx->end;
	unsigned char q = *lx->p;
	long line = lx->line, col = col_of(lx, lx->p);

	t->kind = kind;
	t->c = (char)q;
	t->s = p;
	for (;;) {
		if (p == end) {
			lx->p = p;
			return dump_fail(lx->err, line, col, NULL, "the file ends inside %s that "
			    "starts here: it is truncated", kind == TK_STRING ? "a string" : "a name");
		}
		if (*p == '\n')
			newline(lx, p);
		if (*p == '\\' && kind == TK_STRING) {
			p++;
			if (p < end && *p == '\n')
				newline(lx, p);
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
	lx->p = p + 1;
	if (kind == TK_IDENT && (t->n == 0 || t->n > 2 * DUMP_NAME_MAX))
		return dump_fail(lx->err, line, col, NULL, "a quoted name must hold 1-%d characters",
		    DUMP_NAME_MAX);
	if (kind == TK_STRING && t->n > 2 * DUMP_VALUE_MAX)
		return dump_fail(lx->err, line, col, NULL, "a string longer than %d bytes",
		    DUMP_VALUE_MAX);
	return 1;
}

/* Reads the next token into t. Returns 1, or 0 with the error set. */
int
lex_next(struct lex *lx, struct tok *t)
{
	const unsigned char *p, *end = lx->end;

	if (lx->have) {
		*t = lx->ahead;
		lx->have = false;
		return 1;
	}
	if (!skip(lx))
		return 0;
	p = lx->p;
	memset(t, 0, sizeof *t);
	t->line = lx->line;
	t->col = col_of(lx, p);
	t->s = p;
	if (p == end) {
		if (lx->exec)
			return dump_fail(lx->err, lx->exec_line, lx->exec_col, NULL,
			    "the file ends inside a conditional comment that starts here: it is truncated");
		t->kind = TK_EOF;
		return 1;
	}
	if (*p == '\'' || *p == '"')
		return lex_quoted(lx, t, TK_STRING);
	if (*p == '`')
		return lex_quoted(lx, t, TK_IDENT);
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
			return fail_at(lx, p, "a malformed number (hexadecimal and binary "
			    "literals are not read)");
		if ((size_t)(q - p) > LEX_NUMBER_MAX)
			return fail_at(lx, p, "a number longer than 64 characters");
		t->kind = TK_NUMBER;
		t->n = (size_t)(q - p);
		lx->p = q;
		return 1;
	}
	if (is_word_char(*p)) {
		const unsigned char *q = p;

		while (q < end && is_word_char(*q))
			q++;
		t->kind = TK_WORD;
		t->n = (size_t)(q - p);
		lx->p = q;
		if (t->n > DUMP_NAME_MAX)
			return fail_at(lx, p, "a word longer than 64 characters");
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
		lx->p = q;
		if (t->n == 0 || t->n > DUMP_NAME_MAX)
			return fail_at(lx, p, "a variable needs a name of 1-64 characters");
		return 1;
	}
	if (*p < 0x80 && strchr("(),;=.:+-*", *p)) {
		t->kind = TK_PUNCT;
		t->c = (char)*p;
		t->n = 1;
		lx->p = p + 1;
		return 1;
	}
	if (*p >= 0x20 && *p < 0x7F)
		return dump_fail(lx->err, lx->line, col_of(lx, p), NULL, "unexpected character '%c'", *p);
	return dump_fail(lx->err, lx->line, col_of(lx, p), NULL,
	    "unexpected byte 0x%02X outside a string", *p);
}

int
lex_peek(struct lex *lx, struct tok *t)
{
	if (!lx->have) {
		if (!lex_next(lx, &lx->ahead))
			return 0;
		lx->have = true;
	}
	*t = lx->ahead;
	return 1;
}

void
lex_drop(struct lex *lx)
{
	assert(lx->have);
	lx->have = false;
}

enum kw
lex_keyword(const struct tok *t)
{
	if (t->kind != TK_WORD)
		return KW_NONE;
	for (int k = 1; k < KW__MAX; k++)
		if (strlen(kw_words[k]) == t->n && strncasecmp(kw_words[k], (const char *)t->s, t->n) == 0)
			return (enum kw)k;
	return KW_NONE;
}

bool
lex_is_punct(const struct tok *t, char c)
{
	return t->kind == TK_PUNCT && t->c == c;
}

/* Prints at most 40 bytes of t, unprintable bytes as '?', for messages. */
const char *
lex_shown(const struct tok *t, char out[LEX_SHOWN])
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

int
lex_unexpected(struct lex *lx, const struct tok *t, const char *wanted)
{
	char buf[LEX_SHOWN];

	if (t->kind == TK_EOF)
		return dump_fail(lx->err, t->line, 0, NULL, "the file ends where %s was expected: "
		    "it is truncated", wanted);
	if ((t->kind == TK_WORD || t->kind == TK_NUMBER) && t->s + t->n == lx->end)
		return dump_fail(lx->err, t->line, t->col, NULL, "expected %s, found %s, and the "
		    "file ends with it: it is truncated", wanted, lex_shown(t, buf));
	return dump_fail(lx->err, t->line, t->col, NULL, "expected %s, found %s %s", wanted,
	    tok_words[t->kind], lex_shown(t, buf));
}

int
lex_expect_kw(struct lex *lx, enum kw k)
{
	struct tok t;
	char want[32];

	if (!lex_next(lx, &t))
		return 0;
	if (lex_keyword(&t) == k)
		return 1;
	snprintf(want, sizeof want, "%s", kw_words[k]);
	return lex_unexpected(lx, &t, want);
}

int
lex_expect_punct(struct lex *lx, char c)
{
	struct tok t;
	char want[8];

	if (!lex_next(lx, &t))
		return 0;
	if (lex_is_punct(&t, c))
		return 1;
	snprintf(want, sizeof want, "'%c'", c);
	return lex_unexpected(lx, &t, want);
}

/* Consumes the next token if it is keyword k; *seen says whether it was. */
int
lex_accept_kw(struct lex *lx, enum kw k, bool *seen)
{
	struct tok t;

	if (!lex_peek(lx, &t))
		return 0;
	*seen = lex_keyword(&t) == k;
	if (*seen)
		lx->have = false;
	return 1;
}

/* A name (bare or quoted) into out. */
int
lex_name(struct lex *lx, char out[DUMP_NAME_MAX + 1], struct tok *at)
{
	struct tok t;
	size_t n = 0;

	if (!lex_next(lx, &t))
		return 0;
	if (at)
		*at = t;
	if (t.kind == TK_WORD) {
		memcpy(out, t.s, t.n);
		out[t.n] = '\0';
		return 1;
	}
	if (t.kind != TK_IDENT)
		return lex_unexpected(lx, &t, "a name");
	for (size_t i = 0; i < t.n; i++) {
		if (t.s[i] == '`')
			i++; /* `` is one backquote */
		if (n == DUMP_NAME_MAX || t.s[i] < 0x20 || t.s[i] >= 0x7F)
			return dump_fail(lx->err, t.line, t.col, NULL,
			    "a name of 1-64 printable ASCII characters expected");
		out[n++] = (char)t.s[i];
	}
	out[n] = '\0';
	return 1;
}

/* A token's text as a NUL-terminated string (words and numbers), or
 * unquoted, for the short values SET deals in. Returns 1, or 0 if it does
 * not fit LEX_TEXT_MAX (the caller decides whether that matters). */
int
lex_text(const struct tok *t, char out[LEX_TEXT_MAX + 1])
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		unsigned char c = t->s[i];

		if (t->kind == TK_STRING && (c == '\\' || c == (unsigned char)t->c)) {
			if (++i == t->n)
				break;
			c = t->s[i];
		}
		if (n == LEX_TEXT_MAX)
			return 0;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 1;
}

/* A ';' read at t ends a statement only outside a conditional comment. */
static int
statement_ends(struct lex *lx, const struct tok *t)
{
	assert(lex_is_punct(t, ';'));
	if (lx->exec)
		return dump_fail(lx->err, t->line, t->col, NULL,
		    "';' inside a conditional comment (triggers and routines are not read)");
	return 1;
}

/* The end of a statement: ';' and no conditional comment left open. */
int
lex_end_statement(struct lex *lx)
{
	struct tok t;

	if (!lex_next(lx, &t))
		return 0;
	if (!lex_is_punct(&t, ';'))
		return lex_unexpected(lx, &t, "';'");
	return statement_ends(lx, &t);
}

/* Reads what follows an item of a list of items separated by ',' and closed
 * by `close`. Every list of a statement goes through here:
 *	do { read an item } while ((m = lex_more(lx, ')')) == MORE_ITEM); */
enum more
lex_more(struct lex *lx, char close)
{
	struct tok t;

	assert(close == ')' || close == ';');
	if (!lex_next(lx, &t))
		return MORE_ERROR;
	if (lex_is_punct(&t, ','))
		return MORE_ITEM;
	if (!lex_is_punct(&t, close)) {
		lex_unexpected(lx, &t, close == ')' ? "',' or ')'" : "',' or ';'");
		return MORE_ERROR;
	}
	if (close == ';' && !statement_ends(lx, &t))
		return MORE_ERROR;
	return MORE_END;
}
