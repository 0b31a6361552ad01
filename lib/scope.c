/*
 * Scope words: what an OAuth token or an API key may open beyond its right
 * (doc/api.md#scopes). The words, their bits, and the two spellings they
 * come in: OAuth's space-separated scope (RFC 6749 3.3) and a key's portee.
 * Invariant: a word's bit is 1 << its index in scope_words, and formatting
 * bits gives words that parse back to the same bits, either way.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "scope.h"

static_assert(SCOPE__ALL == (1 << SCOPE_COUNT) - 1, "one bit per scope word");
static_assert(SCOPE_ANY == 1 << SCOPE_COUNT, "SCOPE_ANY is no word's bit");

const char *const scope_words[SCOPE_COUNT] = {
	"compte",  /* SCOPE_COMPTE */
	"lecture", /* SCOPE_LECTURE */
	"caisse",  /* SCOPE_CAISSE */
	"admin",   /* SCOPE_ADMIN */
	"flux",    /* SCOPE_FLUX */
};

/* The bit of the scope word s[0..n), or 0 if it is none. */
static unsigned
scope_bit(const char *s, size_t n)
{
	for (int i = 0; i < SCOPE_COUNT; i++)
		if (strlen(scope_words[i]) == n && strncmp(scope_words[i], s, n) == 0)
			return 1u << i;
	return 0;
}

int
scope_parse_oauth(const char *s, unsigned *out)
{
	*out = 0;
	while (*s) {
		size_t n = strcspn(s, " ");
		unsigned bit = scope_bit(s, n);

		if (n && !bit)
			return 0;
		*out |= bit;
		s += n;
		s += strspn(s, " ");
	}
	return 1;
}

int
scope_parse_portee(const char *s, unsigned *out)
{
	*out = 0;
	for (;;) {
		size_t n = strcspn(s, " ,");
		unsigned bit = scope_bit(s, n);

		if (!bit || (*out & bit))
			return 0; /* unknown, empty or repeated */
		*out |= bit;
		s += n;
		if (!*s)
			return 1;
		s += *s == ',' && s[1] == ' ' ? 2 : 1;
	}
}

void
scope_format(unsigned bits, char *out, size_t cap)
{
	size_t w = 0;

	out[0] = '\0';
	for (int i = 0; i < SCOPE_COUNT; i++) {
		if (!(bits & (1u << i)))
			continue;
		w += (size_t)snprintf(out + w, w < cap ? cap - w : 0, "%s%s", w ? " " : "",
		    scope_words[i]);
	}
}

