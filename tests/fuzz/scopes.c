/*
 * libFuzzer harness: the scope lists, a key's portee (strict) and an OAuth
 * scope parameter. Whatever parses as a portee names known scopes, each
 * once, and is no longer than every word with ", " between them; printed
 * back it parses to the same scopes, and so does the OAuth reading of it
 * (commas as spaces). Whatever the OAuth reading accepts prints back to the
 * same scopes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "field.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* The longest portee: each word once, with ", " between them. */
#define PORTEE_MAX (sizeof "compte, lecture, caisse, admin, flux" - 1)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1), words[64];
	unsigned bits, again;
	int64_t v;

	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	if (scope_parse_oauth(s, &bits)) {
		if (bits & ~(unsigned)SCOPE__ALL)
			abort();
		scope_format(bits, words, sizeof words);
		if (!scope_parse_oauth(words, &again) || again != bits)
			abort();
	}
	if (field_parse(FT_SCOPES, s, &v)) {
		bits = (unsigned)v;
		if (v <= 0 || (bits & ~(unsigned)SCOPE__ALL) || strlen(s) > PORTEE_MAX)
			abort();
		scope_format(bits, words, sizeof words);
		if (!scope_parse_portee(words, &again) || again != bits)
			abort();
		for (char *c = s; *c; c++)
			if (*c == ',')
				*c = ' ';
		if (!scope_parse_oauth(s, &again) || again != bits)
			abort();
	}
	free(s);
	return 0;
}
