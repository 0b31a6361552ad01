/*
 * Form-urlencoded and flat-JSON request parsing, in place. Hostile input is the
 * normal case here: every read is bounded by the length given, truncated escapes,
 * %00, overlong UTF-8 and unpaired surrogates are refused, and the number of pairs
 * is capped so a 10 000-key body costs nothing but a refusal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "parse.h"

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
url_decode(char *s, size_t len)
{
	size_t r = 0, w = 0;

	while (r < len) {
		if (s[r] == '%') {
			int hi, lo;

			if (len - r < 3)
				return 0;
			hi = hexval((unsigned char)s[r + 1]);
			lo = hexval((unsigned char)s[r + 2]);
			if (hi < 0 || lo < 0)
				return 0;
			s[w++] = (char)(hi << 4 | lo);
			r += 3;
		} else if (s[r] == '+') {
			s[w++] = ' ';
			r++;
		} else
			s[w++] = s[r++];
	}
	s[w] = '\0';
	return utf8_valid(s, w);
}

static enum parse_result
push(struct params *p, const char *name, const char *value, int in_array)
{
	if (p->n == PARAMS_MAX)
		return PARSE_TOO_MANY;
	p->v[p->n].name = name;
	p->v[p->n].value = value;
	p->v[p->n].in_array = in_array;
	p->n++;
	return PARSE_OK;
}

enum parse_result
form_parse(struct params *p, char *buf, size_t len, const char **bad)
{
	size_t i = 0;

	p->n = 0;
	*bad = NULL;
	buf[len] = '\0';
	while (i < len) {
		size_t start = i, eq = (size_t)-1, end;
		char *name;
		const char *value;
		enum parse_result pr;

		while (i < len && buf[i] != '&') {
			if (buf[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		end = i++;
		if (end == start)
			continue; /* "&&" */
		name = buf + start;
		if (eq == (size_t)-1) {
			if (!url_decode(name, end - start))
				return PARSE_MALFORMED;
			value = "";
		} else {
			char *v = buf + eq + 1;

			if (!url_decode(name, eq - start))
				return PARSE_MALFORMED;
			if (!url_decode(v, end - eq - 1)) {
				*bad = name;
				return PARSE_MALFORMED;
			}
			value = v;
		}
		if (*name == '\0')
			continue; /* "=value": nothing to name it by */
		if ((pr = push(p, name, value, 0)) != PARSE_OK)
			return pr;
	}
	return PARSE_OK;
}

/* The JSON reader: a cursor over buf[0..len). */
struct jr {
	char *buf;
	size_t len, pos;
};

static void
jr_ws(struct jr *j)
{
	while (j->pos < j->len && (j->buf[j->pos] == ' ' || j->buf[j->pos] == '\t' ||
	    j->buf[j->pos] == '\n' || j->buf[j->pos] == '\r'))
		j->pos++;
}

static int
jr_hex4(struct jr *j, uint32_t *out)
{
	uint32_t v = 0;

	if (j->len - j->pos < 4)
		return 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval((unsigned char)j->buf[j->pos + k]);

		if (h < 0)
			return 0;
		v = v << 4 | (uint32_t)h;
	}
	j->pos += 4;
	*out = v;
	return 1;
}

/* Reads a string token (cursor on the opening quote) and decodes it in place,
 * starting at the quote's position. Returns the decoded string or NULL. */
static char *
jr_string(struct jr *j)
{
	char *out = j->buf + j->pos;
	size_t w = 0;

	j->pos++; /* opening quote */
	for (;;) {
		unsigned char c;

		if (j->pos >= j->len)
			return NULL;
		c = (unsigned char)j->buf[j->pos++];
		if (c == '"')
			break;
		if (c < 0x20)
			return NULL;
		if (c != '\\') {
			out[w++] = (char)c;
			continue;
		}
		if (j->pos >= j->len)
			return NULL;
		c = (unsigned char)j->buf[j->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			out[w++] = (char)c;
			break;
		case 'b': out[w++] = '\b'; break;
		case 'f': out[w++] = '\f'; break;
		case 'n': out[w++] = '\n'; break;
		case 'r': out[w++] = '\r'; break;
		case 't': out[w++] = '\t'; break;
		case 'u': {
			uint32_t cp, lo;

			if (!jr_hex4(j, &cp))
				return NULL;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return NULL;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (j->len - j->pos < 6 || j->buf[j->pos] != '\\' ||
				    j->buf[j->pos + 1] != 'u')
					return NULL;
				j->pos += 2;
				if (!jr_hex4(j, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (cp == 0)
				return NULL;
			if (cp < 0x80)
				out[w++] = (char)cp;
			else if (cp < 0x800) {
				out[w++] = (char)(0xC0 | cp >> 6);
				out[w++] = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				out[w++] = (char)(0xE0 | cp >> 12);
				out[w++] = (char)(0x80 | (cp >> 6 & 0x3F));
				out[w++] = (char)(0x80 | (cp & 0x3F));
			} else {
				out[w++] = (char)(0xF0 | cp >> 18);
				out[w++] = (char)(0x80 | (cp >> 12 & 0x3F));
				out[w++] = (char)(0x80 | (cp >> 6 & 0x3F));
				out[w++] = (char)(0x80 | (cp & 0x3F));
			}
			break;
		}
		default:
			return NULL;
		}
	}
	/* The decoded text is never longer than its source, so the terminator
	 * lands at or before the closing quote, which is already consumed. */
	out[w] = '\0';
	return utf8_valid(out, w) ? out : NULL;
}

static int
isdigit_(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a JSON number; it is moved one byte to the left (over the ':' , '['
 * or blank that precedes it, already consumed) to make room for its terminator. */
static char *
jr_number(struct jr *j)
{
	size_t s = j->pos;
	char *b = j->buf;

	if (j->pos < j->len && b[j->pos] == '-')
		j->pos++;
	if (j->pos >= j->len || !isdigit_(b[j->pos]))
		return NULL;
	if (b[j->pos] == '0')
		j->pos++;
	else
		while (j->pos < j->len && isdigit_(b[j->pos]))
			j->pos++;
	if (j->pos < j->len && b[j->pos] == '.') {
		j->pos++;
		if (j->pos >= j->len || !isdigit_(b[j->pos]))
			return NULL;
		while (j->pos < j->len && isdigit_(b[j->pos]))
			j->pos++;
	}
	if (j->pos < j->len && (b[j->pos] == 'e' || b[j->pos] == 'E')) {
		j->pos++;
		if (j->pos < j->len && (b[j->pos] == '+' || b[j->pos] == '-'))
			j->pos++;
		if (j->pos >= j->len || !isdigit_(b[j->pos]))
			return NULL;
		while (j->pos < j->len && isdigit_(b[j->pos]))
			j->pos++;
	}
	memmove(b + s - 1, b + s, j->pos - s);
	b[j->pos - 1] = '\0';
	return b + s - 1;
}

static int
jr_word(struct jr *j, const char *w)
{
	size_t n = strlen(w);

	if (j->len - j->pos < n || memcmp(j->buf + j->pos, w, n) != 0)
		return 0;
	j->pos += n;
	return 1;
}

enum parse_result
json_body_parse(struct params *p, char *buf, size_t len, const char **bad)
{
	struct jr j = { buf, len, 0 };
	enum parse_result pr;

	p->n = 0;
	*bad = NULL;
	buf[len] = '\0';
	jr_ws(&j);
	if (j.pos >= len || buf[j.pos] != '{')
		return PARSE_MALFORMED;
	j.pos++;
	jr_ws(&j);
	if (j.pos < len && buf[j.pos] == '}') {
		j.pos++;
		goto end;
	}
	for (;;) {
		const char *name, *value;

		if (j.pos >= len || buf[j.pos] != '"' || !(name = jr_string(&j)))
			return PARSE_MALFORMED;
		jr_ws(&j);
		if (j.pos >= len || buf[j.pos] != ':')
			return PARSE_MALFORMED;
		j.pos++;
		jr_ws(&j);
		*bad = name;
		if (j.pos >= len)
			return PARSE_MALFORMED;
		switch (buf[j.pos]) {
		case '"':
			if (!(value = jr_string(&j)))
				return PARSE_MALFORMED;
			if ((pr = push(p, name, value, 0)) != PARSE_OK)
				return pr;
			break;
		case 't':
		case 'f':
			if (jr_word(&j, "true"))
				value = "true";
			else if (jr_word(&j, "false"))
				value = "false";
			else
				return PARSE_MALFORMED;
			if ((pr = push(p, name, value, 0)) != PARSE_OK)
				return pr;
			break;
		case 'n':
			if (!jr_word(&j, "null"))
				return PARSE_MALFORMED;
			break; /* null is absent */
		case '[':
			j.pos++;
			jr_ws(&j);
			if (j.pos < len && buf[j.pos] == ']') {
				j.pos++;
				break;
			}
			for (;;) {
				if (j.pos >= len || buf[j.pos] != '"' || !(value = jr_string(&j)))
					return PARSE_MALFORMED;
				if ((pr = push(p, name, value, 1)) != PARSE_OK)
					return pr;
				jr_ws(&j);
				if (j.pos < len && buf[j.pos] == ',') {
					j.pos++;
					jr_ws(&j);
					continue;
				}
				if (j.pos < len && buf[j.pos] == ']') {
					j.pos++;
					break;
				}
				return PARSE_MALFORMED;
			}
			break;
		default:
			if (!(value = jr_number(&j)))
				return PARSE_MALFORMED;
			if ((pr = push(p, name, value, 0)) != PARSE_OK)
				return pr;
			break;
		}
		*bad = NULL;
		jr_ws(&j);
		if (j.pos < len && buf[j.pos] == ',') {
			j.pos++;
			jr_ws(&j);
			continue;
		}
		if (j.pos < len && buf[j.pos] == '}') {
			j.pos++;
			break;
		}
		return PARSE_MALFORMED;
	}
end:
	jr_ws(&j);
	return j.pos == len ? PARSE_OK : PARSE_MALFORMED;
}

const struct param *
params_get(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

size_t
params_count(const struct params *p, const char *name)
{
	size_t c = 0;

	for (size_t i = 0; i < p->n; i++)
		c += strcmp(p->v[i].name, name) == 0;
	return c;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *
params_duplicate(const struct params *p, int (*repeatable)(const char *name))
{
	const char *names[PARAMS_MAX];

	for (size_t i = 0; i < p->n; i++)
		names[i] = p->v[i].name;
	qsort(names, p->n, sizeof names[0], cmp_name);
	for (size_t i = 1; i < p->n; i++)
		if (strcmp(names[i - 1], names[i]) == 0 && !repeatable(names[i]))
			return names[i];
	return NULL;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

int
cookie_find(const char *header, const char *name, const char **val, size_t *len)
{
	size_t want = strlen(name);
	const char *p = header;

	*val = NULL;
	*len = 0;
	while (*p) {
		const char *start, *eq, *end;

		while (blank(*p) || *p == ';')
			p++;
		start = p;
		while (*p && *p != ';')
			p++;
		end = p; /* the pair is [start, end) */
		eq = memchr(start, '=', (size_t)(end - start));
		if (!eq)
			continue;
		{
			const char *n_end = eq, *v = eq + 1, *v_end = end;

			while (n_end > start && blank(n_end[-1]))
				n_end--;
			while (v < v_end && blank(*v))
				v++;
			while (v_end > v && blank(v_end[-1]))
				v_end--;
			if ((size_t)(n_end - start) == want && memcmp(start, name, want) == 0) {
				*val = v;
				*len = (size_t)(v_end - v);
				return 1;
			}
		}
	}
	return 0;
}

enum auth_scheme
authorization_parse(const char *h, const char **cred)
{
	static const struct {
		const char *name;
		enum auth_scheme scheme;
	} schemes[] = {
		{ "Bearer", AUTH_BEARER },
		{ "ApiKey", AUTH_APIKEY },
		{ "Basic", AUTH_BASIC },
	};
	size_t n = strcspn(h, " \t");

	*cred = NULL;
	if (*h == '\0')
		return AUTH_NONE;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		const char *c;

		if (strlen(schemes[i].name) != n || strncasecmp(h, schemes[i].name, n) != 0)
			continue;
		c = h + n;
		if (!blank(*c))
			return AUTH_INVALID;
		while (blank(*c))
			c++;
		if (*c == '\0' || c[strcspn(c, " \t")] != '\0')
			return AUTH_INVALID;
		*cred = c;
		return schemes[i].scheme;
	}
	return AUTH_INVALID;
}

int
basic_parse(const char *b64, char *out, size_t cap, char **id, char **secret)
{
	long n;
	char *colon;

	*id = *secret = NULL;
	if (cap == 0)
		return 0;
	n = base64_decode(b64, strlen(b64), (unsigned char *)out, cap - 1);
	if (n < 0 || memchr(out, '\0', (size_t)n))
		return 0;
	out[n] = '\0';
	if (!(colon = strchr(out, ':')))
		return 0;
	*colon = '\0';
	if (!url_decode(out, (size_t)(colon - out)) ||
	    !url_decode(colon + 1, strlen(colon + 1)))
		return 0;
	*id = out;
	*secret = colon + 1;
	return 1;
}
