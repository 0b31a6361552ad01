/*
 * Holder codes: drawn by rejection from random bytes, so each of the 31
 * characters is equally likely (31^12, about 2^59 codes).
 */
#include <string.h>

#include "crypto.h"
#include "holder.h"

static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
#define ALPHABET_N (sizeof alphabet - 1)

int
holder_code_make(char out[HOLDER_CODE_LEN + 1])
{
	unsigned char b[64];
	size_t n = 0;

	while (n < HOLDER_CODE_LEN) {
		if (!rand_bytes(b, sizeof b))
			return 0;
		for (size_t i = 0; i < sizeof b && n < HOLDER_CODE_LEN; i++)
			if (b[i] < 256 - 256 % ALPHABET_N) /* keeps the draw uniform */
				out[n++] = alphabet[b[i] % ALPHABET_N];
	}
	out[n] = '\0';
	wipe(b, sizeof b);
	return 1;
}

int
holder_code_read(const char *typed, char out[HOLDER_CODE_LEN + 1])
{
	size_t n = 0;

	for (const char *p = typed; *p; p++) {
		char c = *p;

		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n == HOLDER_CODE_LEN || !strchr(alphabet, c))
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == HOLDER_CODE_LEN;
}

void
holder_code_show(const char *code, char out[HOLDER_CODE_SHOWN + 1])
{
	size_t w = 0;

	for (size_t i = 0; i < HOLDER_CODE_LEN; i++) {
		if (i && i % 4 == 0)
			out[w++] = '-';
		out[w++] = code[i];
	}
	out[w] = '\0';
}
