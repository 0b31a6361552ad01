/*
 * CSV lines (csv.h). Dates are local time: the zone's offset is looked up
 * once per quarter of an hour of the timeline (every zone's offsets and
 * changes fall on quarters of an hour), so that a million rows do not cost a
 * million calls to localtime_r.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"

static const char seps[CSV__MAX] = { [CSV_FR] = ';', [CSV_RFC4180] = ',' };
static const char points[CSV__MAX] = { [CSV_FR] = ',', [CSV_RFC4180] = '.' };

void
csv_start(struct csv *c, char *buf, size_t cap, enum csv_format f)
{
	c->p = c->start = buf;
	c->end = buf + cap;
	c->f = f;
	c->first = true;
	c->full = false;
}

/* Room for n more bytes (and the separator before the cell)? */
static bool
room(struct csv *c, size_t n)
{
	if (c->full || (size_t)(c->end - c->p) < n + 1) {
		c->full = true;
		return false;
	}
	if (!c->first)
		*c->p++ = seps[c->f];
	c->first = false;
	return true;
}

void
csv_empty(struct csv *c)
{
	(void)room(c, 0);
}

void
csv_text(struct csv *c, const char *s)
{
	size_t n, quotes = 0;
	bool quote, formula;

	if (!s) {
		csv_empty(c);
		return;
	}
	n = strlen(s);
	for (size_t i = 0; i < n; i++)
		quotes += s[i] == '"';
	quote = quotes || strchr(s, seps[c->f]) || strpbrk(s, "\r\n");
	formula = n > 0 && strchr("=+-@\t\r", s[0]);
	if (!room(c, n + quotes + 2 * quote + formula))
		return;
	if (quote)
		*c->p++ = '"';
	if (formula)
		*c->p++ = '\'';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			*c->p++ = '"';
		*c->p++ = s[i];
	}
	if (quote)
		*c->p++ = '"';
}

void
csv_int(struct csv *c, int64_t v)
{
	if (room(c, PUT_INT_MAX))
		c->p = put_int(c->p, v);
}

char *
csv_put_money(char *p, int64_t cents, enum csv_format f)
{
	uint64_t m = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	unsigned frac = (unsigned)(m % 100);

	if (cents < 0)
		*p++ = '-';
	p = put_int(p, (int64_t)(m / 100));
	*p++ = points[f];
	*p++ = (char)('0' + frac / 10);
	*p++ = (char)('0' + frac % 10);
	return p;
}

void
csv_money(struct csv *c, int64_t cents)
{
	/* A decimal comma is the separator of RFC 4180 only, never of French
	 * lines: no quotes needed in either. */
	if (room(c, PUT_MONEY_MAX + 1))
		c->p = csv_put_money(c->p, cents, c->f);
}

void
csv_bool(struct csv *c, bool v)
{
	static const char *const words[CSV__MAX][2] = {
		[CSV_FR] = { "non", "oui" }, [CSV_RFC4180] = { "false", "true" },
	};
	const char *w = words[c->f][v];
	size_t n = strlen(w);

	if (room(c, n)) {
		memcpy(c->p, w, n);
		c->p += n;
	}
}

/* Two digits of v at p. */
static char *
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

#define QUARTER_MS 900000

/* The quarter of an hour last looked up: its local date and hour, its
 * minute, and its zone's offset; minute -1 when it is outside the years ISO
 * 8601 writes plainly (0001 to 9999). */
static struct {
	int64_t q;
	char head[32];  /* 2026-12-02T22: */
	size_t head_len;
	char zone[40];  /* +01:00 */
	int minute;
} quarter = { .q = INT64_MIN };

static void
look_up(int64_t q)
{
	time_t t = (time_t)(q * (QUARTER_MS / 1000));
	struct tm tm;
	long off;

	quarter.q = q;
	quarter.minute = -1;
	if (!localtime_r(&t, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
		return;
	off = tm.tm_gmtoff;
	quarter.head_len = (size_t)snprintf(quarter.head, sizeof quarter.head, "%04d-%02d-%02dT%02d:",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour);
	snprintf(quarter.zone, sizeof quarter.zone, "%c%02ld:%02ld", off < 0 ? '-' : '+',
	    labs(off) / 3600, labs(off) % 3600 / 60);
	quarter.minute = tm.tm_min;
}

void
csv_date(struct csv *c, int64_t ms)
{
	int64_t q = ms >= 0 ? ms / QUARTER_MS : -((-(ms + 1)) / QUARTER_MS) - 1;
	int64_t in = ms - q * QUARTER_MS; /* 0 .. QUARTER_MS - 1 */
	char *p;

	if (q != quarter.q)
		look_up(q);
	if (quarter.minute < 0) {
		/* The milliseconds as stored, rather than a line lost. */
		csv_int(c, ms);
		return;
	}
	if (!room(c, quarter.head_len + 16))
		return;
	p = c->p;
	memcpy(p, quarter.head, quarter.head_len);
	p = two(p + quarter.head_len, quarter.minute + (int)(in / 60000));
	*p++ = ':';
	p = two(p, (int)(in % 60000 / 1000));
	*p++ = '.';
	*p++ = (char)('0' + in % 1000 / 100);
	p = two(p, (int)(in % 100));
	memcpy(p, quarter.zone, 6);
	c->p = p + 6;
}

int
csv_end(struct csv *c)
{
	if (c->full || c->end - c->p < 2)
		return -1;
	*c->p++ = '\r';
	*c->p++ = '\n';
	return (int)(c->p - c->start);
}

char *
csv_head(enum csv_format f, const char *const *names, size_t n, size_t *len)
{
	char line[1024], *out;
	struct csv c;
	size_t bom = f == CSV_FR ? 3 : 0;
	int w;

	csv_start(&c, line, sizeof line, f);
	for (size_t i = 0; i < n; i++)
		csv_text(&c, names[i]);
	if ((w = csv_end(&c)) < 0 || !(out = malloc(bom + (size_t)w)))
		return NULL;
	memcpy(out, "\xEF\xBB\xBF", bom);
	memcpy(out + bom, line, (size_t)w);
	*len = bom + (size_t)w;
	return out;
}
