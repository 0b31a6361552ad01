/*
 * Request parsing: form-urlencoded bodies and query strings, and flat JSON object
 * bodies, into one list of (name, value) pairs. Both parsers decode in place, in
 * the caller's buffer, so a request costs no allocation; values are NUL-terminated,
 * valid UTF-8 and free of NUL bytes, or the parse fails.
 */
#ifndef TENP5_PARSE_H
#define TENP5_PARSE_H

#include <stddef.h>

#define PARAMS_MAX 1000

struct param {
	const char *name;
	const char *value; /* "" when the parameter was given without a value */
	int in_array;      /* 1 when it came from a JSON array */
};

struct params {
	struct param v[PARAMS_MAX];
	size_t n;
};

enum parse_result {
	PARSE_OK,
	PARSE_MALFORMED, /* *bad names the offending parameter, or is NULL */
	PARSE_TOO_MANY,  /* more than PARAMS_MAX parameters */
};

/* Parses buf[0..len) as application/x-www-form-urlencoded ("+" is a space).
 * buf must hold len + 1 writable bytes; it is rewritten and p points into it.
 * On PARSE_MALFORMED, *bad is the (decoded) name of the faulty parameter when it
 * could be decoded, else NULL. */
enum parse_result form_parse(struct params *p, char *buf, size_t len, const char **bad);

/* Parses buf[0..len) as one JSON object whose values are strings, numbers
 * (kept as their source text), booleans ("true"/"false"), null (skipped) or
 * arrays of strings (one pair per element). Same buffer and *bad rules. */
enum parse_result json_body_parse(struct params *p, char *buf, size_t len, const char **bad);

/* Returns the first pair named name, or NULL. */
const struct param *params_get(const struct params *p, const char *name);

/* Returns how many pairs are named name. */
size_t params_count(const struct params *p, const char *name);

/* Returns the name of a parameter given more than once, for which
 * repeatable(name) is false; NULL when there is none. */
const char *params_duplicate(const struct params *p, int (*repeatable)(const char *name));

/* Decodes s[0..len) in place as one form-urlencoded component (percent
 * escapes, "+" as a space) and terminates it. Returns 1, or 0 on a bad escape,
 * a NUL byte or invalid UTF-8. s must hold len + 1 bytes. */
int url_decode(char *s, size_t len);

/* 1 if s[0..len) is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF) and contains no NUL byte, else 0. */
int utf8_valid(const char *s, size_t len);

#endif
