/*
 * What the form and JSON harnesses share: a request body parser on arbitrary
 * bytes, then the field validation every route runs. The buffer is exactly
 * len + 1 bytes (the room the in-place parsers are allowed), so any
 * over-read is caught; whatever a parser accepts must be valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "parse.h"

typedef enum parse_result body_parser(struct params *, char *, size_t, const char **);

static int
fuzz_body(const uint8_t *data, size_t len, body_parser *parse)
{
	static struct params p;
	struct value v[FLD__MAX];
	const char *bad;
	char *buf = malloc(len + 1);

	if (!buf)
		return 0;
	memcpy(buf, data, len);
	if (parse(&p, buf, len, &bad) == PARSE_OK) {
		for (size_t i = 0; i < p.n; i++)
			if (!utf8_valid(p.v[i].value, strlen(p.v[i].value)))
				abort();
		(void)field_validate(&p, ~(uint64_t)0, 0, v, &bad);
	}
	free(buf);
	return 0;
}
