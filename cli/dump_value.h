/*
 * The values of a dump's rows (cli/dump_value.c): the buffer that holds the
 * row being read, each string unescaped and decoded to UTF-8 in it, and the
 * parsers of amounts, integers and dates (dump.h). Private to the reader.
 *
 * Invariants: used <= VALUES_MAX; every value handed out lies in
 * buf[0..used) and is followed there by a NUL that its len does not count.
 */
#ifndef TENP5_DUMP_VALUE_H
#define TENP5_DUMP_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "dump.h"

#define VALUES_MAX 65536   /* a row's decoded values together, their NULs included */

struct values {
	char buf[VALUES_MAX];
	size_t used;
};

enum value_status {
	VS_OK,
	VS_LONG_VALUE,   /* more than DUMP_VALUE_MAX bytes once unescaped */
	VS_LONG_ROW,     /* the row's values pass VALUES_MAX */
	VS_NOT_UTF8,     /* bytes that are not UTF-8 where UTF-8 is read */
	VS__MAX
};

/* Empties the buffer for the next row: the values handed out before are gone. */
void values_clear(struct values *vs);

/* A number literal's text (digits, with '-' before them if negative) as *v. */
enum value_status values_number(struct values *vs, bool negative, const unsigned char *s,
    size_t n, struct dump_value *v);

/* A string's text between its quotes (s[0..n), quoted by `quote`), unescaped
 * as MySQL writes it and decoded from cs to UTF-8, as *v. VS_NOT_UTF8 sets
 * *bad to the offset of the first bad byte in the unescaped value. */
enum value_status values_string(struct values *vs, const unsigned char *s, size_t n,
    char quote, enum dump_charset cs, struct dump_value *v, size_t *bad);

#endif
