/*
 * libFuzzer harness: the header parsers (Cookie, Authorization and its Basic
 * credentials) on arbitrary text, copied into a buffer of exactly its length
 * so that AddressSanitizer catches any read past the terminator.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1), out[256], *id, *secret;
	const char *v, *cred;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	if (cookie_find(s, "10p5_csrf", &v, &n) && (v < s || v + n > s + strlen(s)))
		abort(); /* a value lies inside the header */
	if (authorization_parse(s, &cred) == AUTH_BASIC &&
	    basic_parse(cred, out, sizeof out, &id, &secret) && (!id || !secret))
		abort();
	(void)basic_parse(s, out, sizeof out, &id, &secret);
	free(s);
	return 0;
}
