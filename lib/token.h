/*
 * Secret tokens: API keys, OAuth codes, access and refresh tokens, client
 * secrets. Each is a fixed prefix (so a leaked one is recognisable, and its kind
 * known without a lookup), 30 random [0-9A-Za-z] and a 6-character CRC-32
 * checksum (so a mistyped one is refused without a lookup). Session jetons are
 * the bare 30 random characters the Android app expects.
 */
#ifndef TENP5_TOKEN_H
#define TENP5_TOKEN_H

#include "crypto.h"

enum token_kind {
	TOK_INVALID = -1,
	TOK_SESSION,
	TOK_KEY,
	TOK_ACCESS,
	TOK_REFRESH,
	TOK_CODE,
	TOK_CLIENT_SECRET,
	TOK_TICKET,         /* a live feed's single-use ticket */
	TOK_HOLDER,         /* a card holder's session (area moi) */
	TOK__MAX
};

#define TOKEN_MAX 48 /* longest token plus its terminator */

/* Makes a new token of kind k into out. Returns 1, or 0 if randomness failed. */
int token_make(enum token_kind k, char out[TOKEN_MAX]);

/* The kind of s by its shape, prefix and checksum; TOK_INVALID if none fits. */
enum token_kind token_kind(const char *s);

/* The prefix shown to people for a token: its kind's prefix and the first six
 * random characters, as "10p5_Ab3dEf". out holds TOKEN_MAX bytes. */
void token_display(const char *s, char out[TOKEN_MAX]);

/* How a token is stored: its SHA-256. */
void token_hash(const char *s, unsigned char out[SHA256_LEN]);

#endif
