/*
 * The dump reader's lexical shape (cli/dump_lex.c): tokens, comments and
 * MySQL's conditional comments, keywords, and what every statement is made
 * of (names, lists separated by ',', the ';' that ends a statement). Private
 * to the reader: dump.h is its interface.
 *
 * Invariants: one token of look-ahead at most (lex_peek keeps it, lex_next or
 * lex_drop takes it); every token lies inside the buffer and every length is
 * bounded (words and names DUMP_NAME_MAX, numbers LEX_NUMBER_MAX, strings
 * twice DUMP_VALUE_MAX); a function that returns 0 has filled the error.
 */
#ifndef TENP5_DUMP_LEX_H
#define TENP5_DUMP_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "dump.h"

#define LEX_NUMBER_MAX 64  /* longest number literal */
#define LEX_TEXT_MAX   64  /* the unquoted text of a short token (a zone, a charset) */
#define LEX_SHOWN      44  /* a token shown in a message, with its NUL */

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

struct tok {
	enum tok_kind kind;
	const unsigned char *s;  /* its text; for strings and quoted names, between the quotes */
	size_t n;
	char c;                  /* TK_PUNCT: the character; TK_STRING: the quote */
	long line, col;
};

/* The keywords the statements look for. */
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

/* The lexer over a whole dump in memory. */
struct lex {
	const unsigned char *p, *end, *line_start;
	long line;
	bool exec;                 /* inside a conditional comment */
	long exec_line, exec_col;
	bool have;                 /* a token is waiting in `ahead` */
	struct tok ahead;
	enum dump_format format;   /* from the tool's header comment */
	bool completed;            /* mysqldump's last comment was seen */
	struct dump_error *err;
};

/* Starts lx on buf[0..len) (a UTF-8 byte order mark skipped), filling err on
 * failures. The buffer must outlive lx. */
void lex_init(struct lex *lx, const char *buf, size_t len, struct dump_error *err);

/* Reads the next token into t (TK_EOF at the end). Returns 1, or 0 with the
 * error set (an unterminated comment or string, a byte outside any token). */
int lex_next(struct lex *lx, struct tok *t);

/* Copies the next token into t and keeps it for lex_next. Returns as lex_next. */
int lex_peek(struct lex *lx, struct tok *t);

/* Takes the token lex_peek kept. */
void lex_drop(struct lex *lx);

/* The keyword t is, or KW_NONE. */
enum kw lex_keyword(const struct tok *t);

bool lex_is_punct(const struct tok *t, char c);

/* At most 40 bytes of t, unprintable bytes as '?', for messages; written in
 * out unless it is a constant. */
const char *lex_shown(const struct tok *t, char out[LEX_SHOWN]);

/* Refuses t where `wanted` was expected (saying so when the file ends there:
 * it is truncated). Returns 0. */
int lex_unexpected(struct lex *lx, const struct tok *t, const char *wanted);

/* The next token must be keyword k (the character c): 1, or 0 with the
 * error set. */
int lex_expect_kw(struct lex *lx, enum kw k);
int lex_expect_punct(struct lex *lx, char c);

/* Takes the next token if it is keyword k; *seen says whether it was. */
int lex_accept_kw(struct lex *lx, enum kw k, bool *seen);

/* A name, bare or `quoted` (1-64 printable ASCII characters), into out;
 * its token into *at unless at is NULL. */
int lex_name(struct lex *lx, char out[DUMP_NAME_MAX + 1], struct tok *at);

/* t's text (a string's unquoted) in out. Returns 1, or 0 when it is longer
 * than LEX_TEXT_MAX. */
int lex_text(const struct tok *t, char out[LEX_TEXT_MAX + 1]);

/* The end of a statement: ';', outside any conditional comment. */
int lex_end_statement(struct lex *lx);

/* What follows an item of a list: ',' and another item, or the list's end. */
enum more {
	MORE_ITEM,   /* a ',' was read: another item follows */
	MORE_END,    /* `close` was read (')', or ';' ending the statement) */
	MORE_ERROR,  /* anything else: the error is set */
	MORE__MAX
};

/* Reads what follows an item of a list of items separated by ',' and closed
 * by `close` (')' or ';'). Every list of a statement goes through here:
 *	do { read an item } while ((m = lex_more(lx, ')')) == MORE_ITEM); */
enum more lex_more(struct lex *lx, char close);

#endif
