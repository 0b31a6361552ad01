/*
 * The dump reader: one loop over the statements of a dump (dump_read), and
 * the statements it accepts, each a function that reads its parts with the
 * lexer's pieces (dump_lex.h): SET (dump_session.c), LOCK, DROP, CREATE,
 * ALTER, INSERT, USE and the transaction's. Rows are streamed: an INSERT of a
 * million rows holds one row at a time (dump_value.c). A string is decoded
 * from the character set in force: SET NAMES's, else its column's, else its
 * table's.
 *
 * Invariants: no recursion; ntables <= DUMP_TABLES_MAX and each table's
 * columns DUMP_COLUMNS_MAX; a callback sees only what the reader has checked,
 * and once one refuses, the reading stops.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dump.h"
#include "dump_lex.h"
#include "dump_session.h"
#include "dump_value.h"

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

#define DEPTH_MAX 32   /* nested parentheses in a CREATE or ALTER TABLE */

struct reader {
	struct lex lex;
	struct session session;
	bool open_tx;              /* START TRANSACTION without its COMMIT yet */
	struct dump_table tables[DUMP_TABLES_MAX];
	size_t ntables;
	struct values values;      /* the row being read */
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

/* Skips tokens to the next ',' or ')' at depth 0 (left to be read), or ';'
 * (left too). Parentheses nest up to DEPTH_MAX. If charset is not NULL,
 * CHARACTER SET x, CHARSET x and COLLATE x on the way are checked and the
 * charset stored there. */
static int
skip_clause(struct reader *r, enum dump_charset *charset)
{
	struct lex *lx = &r->lex;
	struct tok t;
	int depth = 0;

	for (;;) {
		enum kw k;

		if (!lex_peek(lx, &t))
			return 0;
		if (t.kind == TK_EOF)
			return dump_fail(r->err, t.line, 0, NULL,
			    "the file ends inside a statement: it is truncated");
		if (depth == 0 && (lex_is_punct(&t, ',') || lex_is_punct(&t, ')') ||
		    lex_is_punct(&t, ';')))
			return 1;
		lex_drop(lx);
		if (lex_is_punct(&t, '(') && ++depth > DEPTH_MAX)
			return dump_fail(r->err, t.line, t.col, NULL, "parentheses nested too deep");
		if (lex_is_punct(&t, ')'))
			depth--;
		assert(depth >= 0); /* a ')' at depth 0 ends the clause before */
		k = lex_keyword(&t);
		if (depth == 0 && (k == KW_CHARACTER || k == KW_CHARSET || k == KW_COLLATE)) {
			enum dump_charset cs;

			if (k == KW_CHARACTER && !lex_expect_kw(lx, KW_SET))
				return 0;
			if (!lex_next(lx, &t))
				return 0;
			if (lex_is_punct(&t, '=') && !lex_next(lx, &t))
				return 0;
			if (!session_charset(lx, &t, k == KW_COLLATE, &cs))
				return 0;
			if (charset && k != KW_COLLATE)
				*charset = cs;
		}
	}
}

/* The CREATE TABLE read for tname (names compare without case), or NULL. */
static struct dump_table *
table_def(struct reader *r, const char *tname)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (strcasecmp(r->tables[i].name, tname) == 0)
			return &r->tables[i];
	return NULL;
}

/* A table's name, into out, shown to the table callback. */
static int
table_named(struct reader *r, char out[DUMP_NAME_MAX + 1])
{
	struct tok at;

	if (!lex_name(&r->lex, out, &at))
		return 0;
	return r->h->table(r->arg, out, at.line, at.col, r->err);
}

/* Skips the words that come next (a lock's alias and kind). */
static int
skip_words(struct reader *r)
{
	struct lex *lx = &r->lex;
	struct tok t;

	while (lex_peek(lx, &t)) {
		if (t.kind != TK_WORD && t.kind != TK_IDENT)
			return 1;
		lex_drop(lx);
	}
	return 0;
}

/* LOCK TABLES t [[AS] alias] READ [LOCAL] | [LOW_PRIORITY] WRITE, ... */
static int
st_lock(struct reader *r)
{
	struct lex *lx = &r->lex;
	char tname[DUMP_NAME_MAX + 1];
	struct tok t;
	enum more m;

	if (!lex_next(lx, &t))
		return 0;
	if (lex_keyword(&t) != KW_TABLES && lex_keyword(&t) != KW_TABLE)
		return lex_unexpected(lx, &t, "TABLES");
	do {
		if (!table_named(r, tname) || !skip_words(r))
			return 0;
	} while ((m = lex_more(lx, ';')) == MORE_ITEM);
	return m == MORE_END;
}

/* DROP TABLE [IF EXISTS] t, ... | DROP DATABASE [IF EXISTS] d */
static int
st_drop(struct reader *r)
{
	struct lex *lx = &r->lex;
	char tname[DUMP_NAME_MAX + 1];
	struct tok t;
	enum more m;
	enum kw k;
	bool seen;

	if (!lex_next(lx, &t))
		return 0;
	k = lex_keyword(&t);
	if (k != KW_TABLE && k != KW_DATABASE && k != KW_SCHEMA)
		return lex_unexpected(lx, &t, "TABLE");
	if (!lex_accept_kw(lx, KW_IF, &seen))
		return 0;
	if (seen && !lex_expect_kw(lx, KW_EXISTS))
		return 0;
	if (k != KW_TABLE)
		return lex_name(lx, tname, NULL) && lex_end_statement(lx);
	do {
		if (!table_named(r, tname))
			return 0;
	} while ((m = lex_more(lx, ';')) == MORE_ITEM);
	return m == MORE_END;
}

/* The words that open a key or a constraint in CREATE and ALTER TABLE. */
static bool
opens_key(enum kw k)
{
	return k == KW_PRIMARY || k == KW_KEY || k == KW_INDEX || k == KW_UNIQUE ||
	    k == KW_CONSTRAINT || k == KW_FOREIGN || k == KW_FULLTEXT || k == KW_SPATIAL;
}

/* One item of CREATE TABLE's list: a key (skipped) or a column, added to d. */
static int
create_item(struct reader *r, struct dump_table *d)
{
	struct lex *lx = &r->lex;
	struct dump_column *c;
	struct tok t, type;

	if (!lex_peek(lx, &t))
		return 0;
	if (opens_key(lex_keyword(&t)) || lex_keyword(&t) == KW_CHECK)
		return skip_clause(r, NULL);
	if (t.kind != TK_WORD && t.kind != TK_IDENT)
		return lex_unexpected(lx, &t, "a column definition");
	if (d->ncolumns == DUMP_COLUMNS_MAX)
		return dump_fail(r->err, t.line, t.col, d->name, "more than %d columns",
		    DUMP_COLUMNS_MAX);
	c = &d->columns[d->ncolumns];
	if (!lex_name(lx, c->name, NULL))
		return 0;
	for (size_t i = 0; i < d->ncolumns; i++)
		if (strcasecmp(d->columns[i].name, c->name) == 0)
			return dump_fail(r->err, t.line, t.col, d->name,
			    "column %s is declared twice", c->name);
	if (!lex_next(lx, &type))
		return 0;
	if (type.kind != TK_WORD)
		return lex_unexpected(lx, &type, "a column type");
	assert(type.n <= DUMP_NAME_MAX); /* the lexer bounds words */
	for (size_t i = 0; i < type.n; i++)
		c->type[i] = (char)(type.s[i] >= 'A' && type.s[i] <= 'Z' ?
		    type.s[i] + ('a' - 'A') : type.s[i]);
	c->type[type.n] = '\0';
	c->charset = DCS_UNSET;
	if (!skip_clause(r, &c->charset))
		return 0;
	d->ncolumns++;
	return 1;
}

/* The column definitions and keys of CREATE TABLE, then its options. */
static int
create_body(struct reader *r, struct dump_table *d)
{
	struct lex *lx = &r->lex;
	enum more m;

	if (!lex_expect_punct(lx, '('))
		return 0;
	do {
		if (!create_item(r, d))
			return 0;
	} while ((m = lex_more(lx, ')')) == MORE_ITEM);
	/* Table options: ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ... */
	return m == MORE_END && skip_clause(r, &d->charset) && lex_end_statement(lx);
}

/* CREATE TABLE [IF NOT EXISTS] t (...) options | CREATE DATABASE ... */
static int
st_create(struct reader *r)
{
	struct lex *lx = &r->lex;
	struct dump_table *d;
	struct tok t, at;
	bool seen;

	if (!lex_next(lx, &t))
		return 0;
	if (lex_keyword(&t) == KW_DATABASE || lex_keyword(&t) == KW_SCHEMA) {
		char dname[DUMP_NAME_MAX + 1];

		if (!lex_accept_kw(lx, KW_IF, &seen))
			return 0;
		if (seen && !(lex_expect_kw(lx, KW_NOT) && lex_expect_kw(lx, KW_EXISTS)))
			return 0;
		return lex_name(lx, dname, NULL) && skip_clause(r, NULL) && lex_end_statement(lx);
	}
	if (lex_keyword(&t) != KW_TABLE)
		return lex_unexpected(lx, &t, "TABLE or DATABASE");
	if (!lex_accept_kw(lx, KW_IF, &seen))
		return 0;
	if (seen && !(lex_expect_kw(lx, KW_NOT) && lex_expect_kw(lx, KW_EXISTS)))
		return 0;
	if (r->ntables == DUMP_TABLES_MAX)
		return dump_fail(r->err, t.line, t.col, NULL, "more than %d tables", DUMP_TABLES_MAX);
	d = &r->tables[r->ntables];
	memset(d, 0, sizeof *d);
	if (!lex_name(lx, d->name, &at) || !r->h->table(r->arg, d->name, at.line, at.col, r->err))
		return 0;
	if (table_def(r, d->name))
		return dump_fail(r->err, at.line, at.col, d->name, "the table is created twice");
	if (!create_body(r, d))
		return 0;
	r->ntables++;
	return r->h->create(r->arg, d, at.line, r->err);
}

/* Column cname of table d (NULL: no such table), or NULL. */
static const struct dump_column *
column_def(const struct dump_table *d, const char *cname)
{
	for (size_t i = 0; d && i < d->ncolumns; i++)
		if (strcasecmp(d->columns[i].name, cname) == 0)
			return &d->columns[i];
	return NULL;
}

/* One clause of ALTER TABLE tname: ADD of a key or a constraint, MODIFY that
 * keeps a column's type, DISABLE/ENABLE KEYS, AUTO_INCREMENT. */
static int
alter_one(struct reader *r, const char *tname)
{
	struct lex *lx = &r->lex;
	struct tok t, w;
	enum kw k;

	if (!lex_next(lx, &t))
		return 0;
	k = lex_keyword(&t);
	if (k == KW_ADD) {
		if (!lex_peek(lx, &w))
			return 0;
		if (!opens_key(lex_keyword(&w)))
			return dump_fail(r->err, w.line, w.col, tname,
			    "ALTER TABLE may only add keys and constraints here");
	} else if (k == KW_MODIFY) {
		const struct dump_column *c;
		char cname[DUMP_NAME_MAX + 1];
		struct tok at;
		bool column;

		if (!lex_accept_kw(lx, KW_COLUMN, &column) || !lex_name(lx, cname, &at))
			return 0;
		if (!(c = column_def(table_def(r, tname), cname)))
			return dump_fail(r->err, at.line, at.col, tname,
			    "ALTER TABLE modifies column %s, which its CREATE TABLE lacks", cname);
		/* The new type must keep the type's first word. */
		if (!lex_next(lx, &w))
			return 0;
		if (w.kind != TK_WORD || strlen(c->type) != w.n ||
		    strncasecmp(c->type, (const char *)w.s, w.n) != 0)
			return dump_fail(r->err, w.line, w.col, tname,
			    "ALTER TABLE changes the type of column %s", cname);
	} else if (k != KW_DISABLE && k != KW_ENABLE && k != KW_AUTO_INCREMENT)
		return lex_unexpected(lx, &t, "an ALTER TABLE clause on keys");
	return skip_clause(r, NULL);
}

/* ALTER TABLE t clause, ...: only what exports add after CREATE TABLE (keys,
 * constraints, MODIFY of a column's attributes, AUTO_INCREMENT). */
static int
st_alter(struct reader *r)
{
	struct lex *lx = &r->lex;
	char tname[DUMP_NAME_MAX + 1];
	enum more m;

	if (!lex_expect_kw(lx, KW_TABLE) || !table_named(r, tname))
		return 0;
	do {
		if (!alter_one(r, tname))
			return 0;
	} while ((m = lex_more(lx, ';')) == MORE_ITEM);
	return m == MORE_END;
}

/* Refuses value token t as the values module found it. */
static int
value_refused(struct reader *r, const struct tok *t, enum value_status st, size_t bad)
{
	switch (st) {
	case VS_LONG_VALUE:
		return dump_fail(r->err, t->line, t->col, NULL, "a value longer than %d bytes",
		    DUMP_VALUE_MAX);
	case VS_LONG_ROW:
		return dump_fail(r->err, t->line, t->col, NULL, "a row longer than %d bytes",
		    VALUES_MAX);
	case VS_NOT_UTF8:
		return dump_fail(r->err, t->line, t->col, NULL, "the string holds bytes that are "
		    "not UTF-8 (byte %zu of its value); if the dump is latin1, it lacks its "
		    "SET NAMES latin1", bad + 1);
	default:
		assert(!"a value refused without a reason");
		return dump_fail(r->err, t->line, t->col, NULL, "a value refused");
	}
}

/* One value of a row: a number (with its sign), a string decoded from cs, or
 * NULL. */
static int
value(struct reader *r, enum dump_charset cs, struct dump_value *v)
{
	struct lex *lx = &r->lex;
	enum value_status st;
	struct tok t;
	char sign = 0;
	size_t bad = 0;

	if (!lex_next(lx, &t))
		return 0;
	v->line = t.line;
	v->col = t.col;
	if (lex_is_punct(&t, '-') || lex_is_punct(&t, '+')) {
		sign = t.c;
		if (!lex_next(lx, &t))
			return 0;
		if (t.kind != TK_NUMBER)
			return lex_unexpected(lx, &t, "a number");
	}
	switch (t.kind) {
	case TK_NUMBER:
		st = values_number(&r->values, sign == '-', t.s, t.n, v);
		break;
	case TK_STRING:
		st = values_string(&r->values, t.s, t.n, t.c, cs, v, &bad);
		break;
	case TK_WORD:
		if (lex_keyword(&t) != KW_NULL)
			return lex_unexpected(lx, &t, "a value (a string, a number or NULL)");
		v->kind = DV_NULL;
		v->s = "";
		v->len = 0;
		return 1;
	default:
		return lex_unexpected(lx, &t, "a value (a string, a number or NULL)");
	}
	return st == VS_OK || value_refused(r, &t, st, bad);
}

/* An INSERT being read: its table, its columns and the charset of each, and
 * the values of the row being read. */
struct insert {
	char table[DUMP_NAME_MAX + 1];
	const struct dump_table *def;   /* its CREATE TABLE, or NULL */
	char cols[DUMP_COLUMNS_MAX][DUMP_NAME_MAX + 1];
	enum dump_charset cs[DUMP_COLUMNS_MAX];
	size_t n;
	struct dump_value vals[DUMP_COLUMNS_MAX];
};

/* One name of the INSERT's column list. */
static int
insert_column(struct reader *r, struct insert *in)
{
	struct lex *lx = &r->lex;
	struct tok t;

	if (!lex_peek(lx, &t))
		return 0;
	if (in->n == DUMP_COLUMNS_MAX)
		return dump_fail(r->err, t.line, t.col, in->table, "more than %d columns",
		    DUMP_COLUMNS_MAX);
	if (!lex_name(lx, in->cols[in->n], &t))
		return 0;
	for (size_t i = 0; i < in->n; i++)
		if (strcasecmp(in->cols[i], in->cols[in->n]) == 0)
			return dump_fail(r->err, t.line, t.col, in->table,
			    "column %s is listed twice", in->cols[in->n]);
	in->n++;
	return 1;
}

/* One row: (v, ...), handed to the row callback. */
static int
insert_row(struct reader *r, struct insert *in)
{
	struct lex *lx = &r->lex;
	struct tok open;
	size_t k = 0;
	enum more m;

	assert(in->n <= DUMP_COLUMNS_MAX);
	values_clear(&r->values);
	if (!lex_next(lx, &open))
		return 0;
	if (!lex_is_punct(&open, '('))
		return lex_unexpected(lx, &open, "'(' opening a row");
	do {
		if (k == in->n)
			return dump_fail(r->err, open.line, open.col, in->table,
			    "a row with more values than its %zu columns", in->n);
		if (!value(r, in->cs[k], &in->vals[k]))
			return 0;
		k++;
	} while ((m = lex_more(lx, ')')) == MORE_ITEM);
	if (m != MORE_END)
		return 0;
	if (k != in->n)
		return dump_fail(r->err, open.line, open.col, in->table,
		    "a row of %zu values for %zu columns", k, in->n);
	r->info->rows++;
	return r->h->row(r->arg, in->vals, in->n, session_zone(&r->session), r->err);
}

/* INSERT INTO t [(c, ...)] VALUES (v, ...), ... */
static int
st_insert(struct reader *r)
{
	struct lex *lx = &r->lex;
	struct insert ins;
	struct insert *in = &ins;
	const char *colp[DUMP_COLUMNS_MAX];
	struct tok t, at;
	enum more m;

	in->n = 0;
	if (!lex_expect_kw(lx, KW_INTO) || !lex_name(lx, in->table, &at) ||
	    !r->h->table(r->arg, in->table, at.line, at.col, r->err))
		return 0;
	in->def = table_def(r, in->table);
	if (!lex_peek(lx, &t))
		return 0;
	if (lex_is_punct(&t, '(')) {
		lex_drop(lx);
		do {
			if (!insert_column(r, in))
				return 0;
		} while ((m = lex_more(lx, ')')) == MORE_ITEM);
		if (m != MORE_END)
			return 0;
	} else if (in->def) {
		for (; in->n < in->def->ncolumns; in->n++)
			snprintf(in->cols[in->n], sizeof in->cols[0], "%s",
			    in->def->columns[in->n].name);
	} else
		return dump_fail(r->err, at.line, at.col, in->table, "an INSERT without a column "
		    "list before the table's CREATE TABLE: the order of its values is unknown");
	/* A string is read in SET NAMES's charset, else its column's, else its
	 * table's. */
	for (size_t i = 0; i < in->n; i++) {
		const struct dump_column *c = column_def(in->def, in->cols[i]);

		colp[i] = in->cols[i];
		in->cs[i] = r->session.client;
		if (in->cs[i] == DCS_UNSET && c)
			in->cs[i] = c->charset != DCS_UNSET ? c->charset : in->def->charset;
	}
	if (!r->h->insert(r->arg, in->table, colp, in->n, at.line, r->err) ||
	    !lex_expect_kw(lx, KW_VALUES))
		return 0;
	do {
		if (!insert_row(r, in))
			return 0;
	} while ((m = lex_more(lx, ';')) == MORE_ITEM);
	return m == MORE_END;
}

/* The statement whose first word is t, to its ';'. */
static int
statement(struct reader *r, const struct tok *t)
{
	struct lex *lx = &r->lex;
	char dname[DUMP_NAME_MAX + 1];

	switch (lex_keyword(t)) {
	case KW_SET:
		return session_set(lx, &r->session);
	case KW_LOCK:
		return st_lock(r);
	case KW_UNLOCK:
		return lex_expect_kw(lx, KW_TABLES) && lex_end_statement(lx);
	case KW_DROP:
		return st_drop(r);
	case KW_CREATE:
		return st_create(r);
	case KW_ALTER:
		return st_alter(r);
	case KW_INSERT:
		return st_insert(r);
	case KW_USE:
		return lex_name(lx, dname, NULL) && lex_end_statement(lx);
	case KW_START:
		r->open_tx = true;
		return lex_expect_kw(lx, KW_TRANSACTION) && lex_end_statement(lx);
	case KW_BEGIN:
		r->open_tx = true;
		return lex_end_statement(lx);
	case KW_COMMIT:
		r->open_tx = false;
		return lex_end_statement(lx);
	default: {
		char buf[LEX_SHOWN];

		return dump_fail(r->err, t->line, t->col, NULL,
		    "a statement that is not read from a dump: %s", lex_shown(t, buf));
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
	lex_init(&r->lex, buf, len, err);
	r->h = h;
	r->arg = arg;
	r->info = info;
	r->err = err;
	for (;;) {
		if (!lex_next(&r->lex, &t))
			goto out;
		if (t.kind == TK_EOF)
			break;
		if (lex_is_punct(&t, ';'))
			continue;
		if (t.kind != TK_WORD) {
			lex_unexpected(&r->lex, &t, "a statement");
			goto out;
		}
		if (!statement(r, &t))
			goto out;
		info->statements++;
	}
	info->lines = r->lex.line - (len > 0 && buf[len - 1] == '\n'); /* as wc -l counts */
	if (r->lex.format == DF_MYSQLDUMP && !r->lex.completed)
		dump_fail(err, r->lex.line, 0, NULL, "the dump ends before mysqldump's "
		    "\"-- Dump completed\" line: it is truncated");
	else if (r->open_tx)
		dump_fail(err, r->lex.line, 0, NULL, "the dump ends inside the transaction it "
		    "started (no COMMIT): it is truncated");
	else
		ok = 1;
out:
	info->format = r->lex.format;
	info->names = r->session.names;
	free(r);
	return ok;
}
