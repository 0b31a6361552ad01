/*
 * libFuzzer harness: the dump reader (cli/dump.c) on arbitrary bytes, with
 * callbacks that look at every value handed out; and its amount parser,
 * checked against the API's own where both apply (plain decimals with at
 * most two decimals must give the same cents).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/dump.h"
#include "field.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static size_t sink;

static int
on_table(void *arg, const char *name, long line, long col, struct dump_error *err)
{
	(void)arg;
	(void)line;
	(void)col;
	(void)err;
	sink += strlen(name);
	return 1;
}

static int
on_create(void *arg, const struct dump_table *t, long line, struct dump_error *err)
{
	(void)arg;
	(void)line;
	(void)err;
	for (size_t i = 0; i < t->ncolumns; i++)
		sink += strlen(t->columns[i].name) + strlen(t->columns[i].type);
	return 1;
}

static int
on_insert(void *arg, const char *table, const char *const *columns, size_t n, long line,
    struct dump_error *err)
{
	(void)arg;
	(void)line;
	(void)err;
	sink += strlen(table);
	for (size_t i = 0; i < n; i++)
		sink += strlen(columns[i]);
	return 1;
}

/* Every value is read to its end, and parsed the ways the import parses it. */
static int
on_row(void *arg, const struct dump_value *v, size_t n, const char *zone, struct dump_error *err)
{
	struct dump_datetime d;
	int64_t x;

	(void)arg;
	(void)err;
	for (size_t i = 0; i < n; i++) {
		if (v[i].s[v[i].len] != '\0')
			abort(); /* values are terminated */
		for (size_t k = 0; k < v[i].len; k++)
			sink += (unsigned char)v[i].s[k];
		(void)dump_cents(v[i].s, &x);
		(void)dump_integer(v[i].s, INT64_MIN, INT64_MAX, &x);
		(void)dump_datetime(v[i].s, &d);
	}
	if (zone)
		sink += strlen(zone);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const struct dump_handler h = { on_table, on_create, on_insert, on_row };
	struct dump_info info;
	struct dump_error err;
	char *copy = malloc(len ? len : 1), *s;
	int64_t a, b;

	if (!copy)
		return 0;
	memcpy(copy, data, len);
	/* The reader gets exactly len bytes, no terminator: ASan catches a read
	 * one past the end. */
	(void)dump_read(copy, len, &h, NULL, &info, &err);
	free(copy);

	if (len > 80 || !(s = malloc(len + 1)))
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	if (s[0] != ',' && strchr(s, ',') == NULL && strchr(s, 'e') == NULL &&
	    strchr(s, 'E') == NULL && s[0] != '+' && field_parse(FT_MONEY, s, &a) &&
	    a > -DUMP_CENTS_MAX && a < DUMP_CENTS_MAX && (!dump_cents(s, &b) || a != b))
		abort(); /* the API's amounts and the dump's disagree */
	free(s);
	return 0;
}
