/*
 * CSV for the exports, in the two shapes of doc/api.md ("Exports"): French
 * (";" between cells, decimal commas, a byte-order mark, what LibreOffice and
 * Excel set to French open as they are) and RFC 4180 ("," and decimal points,
 * for programs); lines end in CRLF in both. A cell that holds the separator,
 * a quote or a line break is quoted; a text cell that a spreadsheet would
 * take for a formula (=, +, -, @, a tab or CR first) starts with a ' instead.
 */
#ifndef TENP5_CSV_H
#define TENP5_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reply.h"

/* A line being written into buf: cells are added in order, csv_end closes
 * it. Writers never write past cap; a line that does not fit is refused. */
struct csv {
	char *p, *start, *end;
	enum csv_format f;
	bool first;
	bool full;
};

void csv_start(struct csv *c, char *buf, size_t cap, enum csv_format f);
void csv_text(struct csv *c, const char *s); /* NULL: an empty cell */
void csv_int(struct csv *c, int64_t v);
void csv_money(struct csv *c, int64_t cents); /* always two decimals */
void csv_bool(struct csv *c, bool v);         /* oui/non, or true/false */
/* ms since the epoch as ISO 8601 local time with its offset, to the
 * millisecond: 2026-12-02T22:15:03.120+01:00. */
void csv_date(struct csv *c, int64_t ms);
void csv_empty(struct csv *c);
/* Adds the line end; returns the line's length, or -1 if it did not fit. */
int csv_end(struct csv *c);

/* Writes cents at p as csv_money writes them (without quotes): "2,50" or
 * "2.50"; returns the end (at most PUT_MONEY_MAX + 1 bytes). */
char *csv_put_money(char *p, int64_t cents, enum csv_format f);

/* The file's head: the byte-order mark (French) and the line of the column
 * names. Returns a malloc'd string (*len its length), or NULL. */
char *csv_head(enum csv_format f, const char *const *names, size_t n, size_t *len);

#endif
