/*
 * SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104), constant-time comparison,
 * buffer wiping and base64url: what secrets need besides scrypt. Tokens are
 * high-entropy, so one SHA-256 is the right way to store them.
 */
#ifndef TENP5_SHA256_H
#define TENP5_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);
/* One-shot digest of data[0..n). */
void sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);
void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
    unsigned char out[SHA256_LEN]);

/* 1 if a[0..n) equals b[0..n), in time independent of the contents. */
int ct_equal(const void *a, const void *b, size_t n);

/* Zeroes n bytes in a way the compiler may not remove. NULL is allowed. */
void wipe(void *p, size_t n);

/* Writes the unpadded base64url form of in[0..n) and a terminator to out,
 * which must hold 4 * ((n + 2) / 3) + 1 bytes. Returns out. */
char *base64url(const unsigned char *in, size_t n, char *out);

/* Decodes standard base64 (RFC 4648 section 4, padding optional) from in into
 * out (cap bytes). Returns the decoded length, or -1 if in is not base64 or
 * does not fit. */
long base64_decode(const char *in, unsigned char *out, size_t cap);

#endif
