/*
 * OAuth authorization codes and tokens (RFC 6749, 7636). Codes and tokens are
 * stored as the SHA-256 of their secret. Tokens grown from one code form a
 * family: a replayed code or refresh token revokes the whole family.
 */
#ifndef TENP5_DB_OAUTH_H
#define TENP5_DB_OAUTH_H

#include <stdint.h>

#include "crypto.h"

enum oauth_token_kind {
	OAUTH_ACCESS = 1,
	OAUTH_REFRESH = 2,
};

struct oauth_code {
	int64_t id, app_id, user_id;
	char redirect_uri[520];
	char challenge[132];
	unsigned scopes;
	int64_t expires_ms;
	int64_t used_ms;     /* 0: never exchanged */
};

struct oauth_token {
	int64_t id, app_id, user_id, family;
	int kind;
	unsigned scopes;
	int64_t expires_ms;
	int64_t used_ms;     /* refresh tokens: 0 until rotated */
	int64_t revoked_ms;  /* 0: live */
};

int oauth_code_insert(const unsigned char hash[SHA256_LEN], const struct oauth_code *c,
    int64_t now);
/* Returns 1 and fills *c, 0 if there is no such code, -1 on error. */
int oauth_code_get(const unsigned char hash[SHA256_LEN], struct oauth_code *c);
int oauth_code_use(int64_t id, int64_t now);

/* Stores a token. Returns 1 with *id set, or 0. */
int oauth_token_insert(const unsigned char hash[SHA256_LEN], const struct oauth_token *t,
    int64_t now, int64_t *id);
/* Returns 1 and fills *t, 0 if there is no such token, -1 on error. */
int oauth_token_get(const unsigned char hash[SHA256_LEN], struct oauth_token *t);
/* Marks a refresh token rotated. Returns 1, or 0. */
int oauth_token_use(int64_t id, int64_t now);
/* Revokes one token, or every live token of a family. Return 1, or 0. */
int oauth_token_revoke(int64_t id, int64_t now);
int oauth_family_revoke(int64_t family, int64_t now);

/* Ends every grant user_id made: revokes their tokens, spends their codes not
 * yet exchanged. Returns how many grants still worked (a family with a live
 * token, or a live code), or -1 on error. */
int64_t oauth_revoke_user(int64_t user_id, int64_t now);

#endif
