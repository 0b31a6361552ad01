/*
 * libsodium, wrapped once: its calls answer 0 / -1 and take their lengths in
 * their own order; the rest of the code sees the few shapes crypto.h declares.
 */
#include <string.h>

#include "crypto.h"

int
crypto_init(void)
{
	return sodium_init() >= 0;
}

void
sha256_init(struct sha256 *c)
{
	crypto_hash_sha256_init(&c->s);
}

void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	crypto_hash_sha256_update(&c->s, data, n);
}

void
sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN])
{
	crypto_hash_sha256_final(&c->s, out);
	sodium_memzero(c, sizeof *c);
}

void
sha256(const void *data, size_t n, unsigned char out[SHA256_LEN])
{
	crypto_hash_sha256(out, data, n);
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
    unsigned char out[SHA256_LEN])
{
	crypto_auth_hmacsha256_state s;

	crypto_auth_hmacsha256_init(&s, key, keylen);
	crypto_auth_hmacsha256_update(&s, msg, n);
	crypto_auth_hmacsha256_final(&s, out);
	sodium_memzero(&s, sizeof s);
}

int
ct_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void
wipe(void *p, size_t n)
{
	if (p)
		sodium_memzero(p, n);
}

char *
base64url(const unsigned char *in, size_t n, char *out)
{
	return sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING), in, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

long
base64_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
	size_t n;

	/* The padded form when it ends in '=' or its length says it must be,
	 * the unpadded one otherwise: either way the whole input is read. */
	if (sodium_base642bin(out, cap, in, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_ORIGINAL) == 0 ||
	    sodium_base642bin(out, cap, in, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING) == 0)
		return (long)n;
	return -1;
}

int
rand_bytes(void *buf, size_t n)
{
	randombytes_buf(buf, n);
	return 1;
}

int
rand_token(char *out, size_t n)
{
	static const char alphabet[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(62)];
	out[n] = '\0';
	return 1;
}
