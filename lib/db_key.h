/*
 * API keys: named, revocable secrets that act as their owner, capped at the
 * key's right and the owner's current right, within the key's scopes.
 */
#ifndef TENP5_DB_KEY_H
#define TENP5_DB_KEY_H

#include <stdint.h>
#include <sqlite3.h>

#include "crypto.h"

/* What a key is made with. */
struct key_spec {
	const char *name, *prefix;
	int droit;
	unsigned scopes;    /* enum scope bits; 0: every scope */
	int64_t expires_ms; /* 0: never */
};

/* Stores a key. Returns 1 with *id set, or 0. */
int key_insert(int64_t user_id, const struct key_spec *k, const unsigned char hash[SHA256_LEN],
    int64_t now, int64_t *id);

/* Statement listing keys (of user_id, or everyone's when user_id is 0) as
 * (id, name, prefix, created, last used, uses, droit, expires, owner login,
 * scopes or NULL for every scope). */
sqlite3_stmt *key_list(int64_t user_id);

/* Deletes key id if it belongs to user_id (any owner when user_id is 0).
 * Returns 1 if a key went, 0 if none matched, -1 on error. */
int key_delete(int64_t id, int64_t user_id);

/* Deletes every key of user_id. Returns how many had not expired by now, or
 * -1 on error. */
int64_t key_delete_user(int64_t user_id, int64_t now);

#endif
