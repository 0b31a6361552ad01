/*
 * What secrets need besides scrypt, from libsodium: SHA-256 and HMAC-SHA-256,
 * constant-time comparison, wiping, base64, and randomness with the tokens made
 * from it. Tokens are long and random, so one SHA-256 is the right way to store
 * them. crypto_init() runs once before any of it.
 */
#ifndef TENP5_CRYPTO_H
#define TENP5_CRYPTO_H

#include <stddef.h>
#include <sodium.h>

#define SHA256_LEN 32

/* Initialises libsodium. Returns 1, or 0 if it cannot run on this system. */
int crypto_init(void);

struct sha256 {
	crypto_hash_sha256_state s;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);
/* One-shot digest of data[0..n). */
void sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);
/* HMAC-SHA-256 of msg[0..n) under key[0..keylen). */
void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
    unsigned char out[SHA256_LEN]);

/* 1 if a[0..n) equals b[0..n), in time independent of the contents. */
int ct_equal(const void *a, const void *b, size_t n);

/* Zeroes n bytes in a way the compiler may not remove. NULL is allowed. */
void wipe(void *p, size_t n);

/* Writes the unpadded base64url form of in[0..n) and a terminator to out,
 * which must hold 4 * ((n + 2) / 3) + 1 bytes. Returns out. */
char *base64url(const unsigned char *in, size_t n, char *out);

/* Decodes standard base64 (RFC 4648 section 4, padding optional) of in[0..len)
 * into out (cap bytes). Returns the decoded length, or -1 if in is not base64
 * or does not fit. */
long base64_decode(const char *in, size_t len, unsigned char *out, size_t cap);

/* Fills buf with n random bytes. Returns 1 (the kernel's generator does not
 * fail once seeded). */
int rand_bytes(void *buf, size_t n);

/* Writes n random characters of [0-9A-Za-z] and a terminator into out
 * (n + 1 bytes), without modulo bias. Returns 1. */
int rand_token(char *out, size_t n);

#endif
