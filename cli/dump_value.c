/*
 * The values of a dump's rows: strings unescaped as MySQL writes them and
 * decoded to UTF-8 (from UTF-8, checked, or from MySQL's latin1) into the row
 * buffer, and the amounts, integers and dates the import reads from them,
 * parsed from text without floating point. See dump_value.h for the buffer's
 * invariants.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "dump_value.h"

#define DIGITS_MAX 128   /* an amount's digits, before and after its point */

/* 1 if s[0..n) is UTF-8 (shortest forms, no surrogates, at most U+10FFFF);
 * else 0 with *bad the offset of the first byte that is not. */
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

/* Appends n bytes of the current value; VS_LONG_ROW when they do not fit. */
static enum value_status
put(struct values *vs, const void *p, size_t n)
{
	assert(vs->used <= VALUES_MAX);
	if (VALUES_MAX - vs->used < n)
		return VS_LONG_ROW;
	memcpy(vs->buf + vs->used, p, n);
	vs->used += n;
	return VS_OK;
}

/* Ends the current value with its NUL. A value may have put no byte before
 * (an empty string), so this checks on its own. */
static enum value_status
end_value(struct values *vs)
{
	return put(vs, "", 1);
}

void
values_clear(struct values *vs)
{
	vs->used = 0;
}

enum value_status
values_number(struct values *vs, bool negative, const unsigned char *s, size_t n,
    struct dump_value *v)
{
	v->kind = DV_NUMBER;
	v->s = vs->buf + vs->used;
	v->len = n + negative;
	if ((negative && put(vs, "-", 1) != VS_OK) || put(vs, s, n) != VS_OK)
		return VS_LONG_ROW;
	return end_value(vs);
}

/* MySQL's escapes; \% and \_ are kept as written. Returns the unescaped
 * length, or DUMP_VALUE_MAX + 1 when it is longer than that. */
static size_t
unescape(const unsigned char *s, size_t n, char quote, unsigned char raw[DUMP_VALUE_MAX])
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '\\') {
			static const char from[] = "0bnrtZ", to[] = "\0\b\n\r\t\032";
			const char *e;

			assert(i + 1 < n); /* the lexer never ends a string on a backslash */
			c = s[++i];
			if (c && (e = strchr(from, c)) != NULL)
				c = (unsigned char)to[e - from];
			else if (c == '%' || c == '_') {
				if (w == DUMP_VALUE_MAX)
					return DUMP_VALUE_MAX + 1;
				raw[w++] = '\\'; /* MySQL keeps these two escapes as written */
			}
		} else if (c == (unsigned char)quote)
			i++; /* a doubled quote */
		if (w == DUMP_VALUE_MAX)
			return DUMP_VALUE_MAX + 1;
		raw[w++] = c;
	}
	return w;
}

/* raw[0..n) from MySQL's latin1 to UTF-8, appended. */
static enum value_status
put_latin1(struct values *vs, const unsigned char *raw, size_t n, size_t *len)
{
	*len = 0;
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
		if (put(vs, u, k) != VS_OK)
			return VS_LONG_ROW;
		*len += k;
	}
	return VS_OK;
}

enum value_status
values_string(struct values *vs, const unsigned char *s, size_t n, char quote,
    enum dump_charset cs, struct dump_value *v, size_t *bad)
{
	unsigned char raw[DUMP_VALUE_MAX];
	size_t len = unescape(s, n, quote, raw);
	enum value_status st;

	if (len > DUMP_VALUE_MAX)
		return VS_LONG_VALUE;
	v->kind = DV_STRING;
	v->s = vs->buf + vs->used;
	if (cs == DCS_LATIN1)
		st = put_latin1(vs, raw, len, &v->len);
	else if (!utf8_valid(raw, len, bad))
		return VS_NOT_UTF8;
	else {
		st = put(vs, raw, len);
		v->len = len;
	}
	return st != VS_OK ? st : end_value(vs);
}

int
dump_cents(const char *s, int64_t *out)
{
	const char *int_part, *frac;
	size_t ni, nf, nd = 0;
	int neg = 0, exp = 0, eneg = 0;
	char digits[DIGITS_MAX];
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
