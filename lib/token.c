/*
 * Token shapes. The checksum is CRC-32 (IEEE) of prefix and random part,
 * written as 6 base-62 digits: it catches typos, it is not a secret.
 */
#include <stdint.h>
#include <string.h>

#include "token.h"
#include "crypto.h"

#define RANDOM_LEN 30
#define CHECK_LEN 6

static const char *const prefixes[TOK__MAX] = {
	[TOK_SESSION]       = "",
	[TOK_KEY]           = "10p5_",
	[TOK_ACCESS]        = "10p5at_",
	[TOK_REFRESH]       = "10p5rt_",
	[TOK_CODE]          = "10p5ac_",
	[TOK_CLIENT_SECRET] = "10p5cs_",
	[TOK_TICKET]        = "10p5tk_",
	[TOK_HOLDER]        = "10p5ts_",
};

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static uint32_t
crc32(const char *s, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)s[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void
checksum(const char *s, size_t n, char out[CHECK_LEN])
{
	uint32_t c = crc32(s, n);

	for (int i = CHECK_LEN - 1; i >= 0; i--) {
		out[i] = base62[c % 62];
		c /= 62;
	}
}

static int
all_base62(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(base62, s[i]))
			return 0;
	return 1;
}

int
token_make(enum token_kind k, char out[TOKEN_MAX])
{
	size_t p = strlen(prefixes[k]);

	memcpy(out, prefixes[k], p);
	if (!rand_token(out + p, RANDOM_LEN))
		return 0;
	if (k != TOK_SESSION) {
		checksum(out, p + RANDOM_LEN, out + p + RANDOM_LEN);
		out[p + RANDOM_LEN + CHECK_LEN] = '\0';
	}
	return 1;
}

enum token_kind
token_kind(const char *s)
{
	size_t n = strlen(s);

	if (n == RANDOM_LEN && all_base62(s, n))
		return TOK_SESSION;
	for (int k = TOK_KEY; k < TOK__MAX; k++) {
		size_t p = strlen(prefixes[k]);
		char check[CHECK_LEN];

		if (n != p + RANDOM_LEN + CHECK_LEN || strncmp(s, prefixes[k], p) != 0)
			continue;
		if (!all_base62(s + p, RANDOM_LEN + CHECK_LEN))
			return TOK_INVALID;
		checksum(s, p + RANDOM_LEN, check);
		return memcmp(check, s + p + RANDOM_LEN, CHECK_LEN) == 0 ? (enum token_kind)k
		    : TOK_INVALID;
	}
	return TOK_INVALID;
}

void
token_display(const char *s, char out[TOKEN_MAX])
{
	enum token_kind k = token_kind(s);
	size_t p = k > TOK_SESSION ? strlen(prefixes[k]) : 0;
	size_t n = strlen(s) < p + 6 ? strlen(s) : p + 6;

	memcpy(out, s, n);
	out[n] = '\0';
}

void
token_hash(const char *s, unsigned char out[SHA256_LEN])
{
	sha256(s, strlen(s), out);
}
