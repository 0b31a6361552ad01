/*
 * Scope words and their bits (doc/api.md#scopes); see scope.c.
 */
#ifndef TENP5_SCOPE_H
#define TENP5_SCOPE_H

#include <stddef.h>

/* Scopes, as bits: an OAuth token's, an API key's (its portee). Sessions, and
 * keys made without a portee, hold them all. */
enum scope {
	SCOPE_COMPTE = 1 << 0,  /* who am I (the default) */
	SCOPE_LECTURE = 1 << 1, /* fiches, lists, statistics */
	SCOPE_CAISSE = 1 << 2,  /* opening, top-up, payment, emptying, cancel */
	SCOPE_ADMIN = 1 << 3,   /* everything */
	SCOPE_FLUX = 1 << 4,    /* the live feed only (a wall screen): its tickets, the
	                           stream, and who am I */
	SCOPE__ALL = (1 << 5) - 1,
	SCOPE_ANY = 1 << 5      /* in a route: any token will do (never held) */
};
#define SCOPE_COUNT 5
extern const char *const scope_words[SCOPE_COUNT]; /* by bit position */

/* Parses an OAuth scope parameter (RFC 6749 3.3: words separated by spaces)
 * into bits. Returns 1, or 0 if a word is unknown. "" gives 0. */
int scope_parse_oauth(const char *s, unsigned *out);

/* Parses a key's portee (doc/integrators.md): scope words, each once,
 * separated by one space, one comma, or a comma and a space; nothing before
 * the first or after the last. Returns 1 with *out set (never 0 bits), or 0
 * for anything else: an unknown or repeated word, an empty item, "". */
int scope_parse_portee(const char *s, unsigned *out);

/* Writes the scope words of bits, space-separated, into out (cap bytes). */
void scope_format(unsigned bits, char *out, size_t cap);

#endif
