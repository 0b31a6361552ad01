/*
 * Raw protocol text, parsed in one place: form-urlencoded bodies and query
 * strings, flat JSON object bodies, the Cookie header, the Authorization header's
 * schemes and HTTP Basic credentials. The body parsers decode in place, in the
 * caller's buffer, so a request costs no allocation; values are NUL-terminated,
 * valid UTF-8 and free of NUL bytes, or the parse fails. Every function reads
 * nothing past the terminator (or the length) it is given.
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

/* Finds the cookie `name` in a Cookie header (RFC 6265 section 5.4: name=value
 * pairs separated by ";" and blanks). Returns 1 with *val and *len set to its
 * value (inside header, not terminated), 0 when it is absent. A pair without
 * "=" is skipped. */
int cookie_find(const char *header, const char *name, const char **val, size_t *len);

/* The schemes of an Authorization header the server understands. */
enum auth_scheme {
	AUTH_NONE,     /* no header, or an empty one */
	AUTH_BEARER,   /* RFC 6750 */
	AUTH_APIKEY,   /* "ApiKey <key>" */
	AUTH_BASIC,    /* RFC 7617 */
	AUTH_INVALID,  /* another scheme, or not "<scheme> <one credential>" */
};

/* Parses an Authorization header: a scheme (any case), blanks, then one
 * credential without blanks. Returns the scheme with *cred pointing at the
 * credential inside h, or AUTH_NONE / AUTH_INVALID with *cred NULL. */
enum auth_scheme authorization_parse(const char *h, const char **cred);

/* Decodes HTTP Basic credentials (the base64 after "Basic "): at most cap - 1
 * decoded bytes into out, split at the first ':', each half then
 * form-url-decoded as RFC 6749 section 2.3.1 asks. Returns 1 with *id and
 * *secret pointing into out, or 0 if the credentials are malformed (bad base64,
 * no ':', a NUL byte, invalid UTF-8, too long). */
int basic_parse(const char *b64, char *out, size_t cap, char **id, char **secret);

#endif
