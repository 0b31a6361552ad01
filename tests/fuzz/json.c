/*
 * libFuzzer harness: the flat JSON body parser, then field validation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct params p;
	struct value v[FLD__MAX];
	const char *bad;
	char *buf = malloc(len + 1);

	if (!buf)
		return 0;
	memcpy(buf, data, len);
	if (json_body_parse(&p, buf, len, &bad) == PARSE_OK) {
		for (size_t i = 0; i < p.n; i++)
			if (!utf8_valid(p.v[i].value, strlen(p.v[i].value)))
				abort();
		(void)field_validate(&p, ~(uint64_t)0, 0, v, &bad);
	}
	free(buf);
	return 0;
}
