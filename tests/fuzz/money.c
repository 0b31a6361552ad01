/*
 * libFuzzer harness: every value parser, and money's round trip: whatever
 * parses as money prints back to text that parses to the same cents.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1), out[MONEY_BUF];
	int64_t v, again;

	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	for (int t = 0; t < FT__MAX; t++)
		(void)field_parse((enum ftype)t, s, &v);
	if (field_parse(FT_MONEY, s, &v)) {
		money_format(v, out);
		if (!field_parse(FT_MONEY, out, &again) || again != v)
			abort();
	}
	free(s);
	return 0;
}
