/*
 * API keys: named, revocable secrets that act as their owner, capped at the
 * key's right and the owner's current right.
 */
#ifndef TENP5_DB_KEY_H
#define TENP5_DB_KEY_H

#include <stdint.h>
#include <sqlite3.h>

#include "crypto.h"

/* Stores a key. expires_ms 0 means never. Returns 1 with *id set, or 0. */
int key_insert(int64_t user_id, const char *name, const char *prefix,
    const unsigned char hash[SHA256_LEN], int droit, int64_t now, int64_t expires_ms,
    int64_t *id);

/* Statement listing keys (of user_id, or everyone's when user_id is 0) as
 * (id, name, prefix, created, last used, uses, droit, expires, owner login). */
sqlite3_stmt *key_list(int64_t user_id);

/* Deletes key id if it belongs to user_id (any owner when user_id is 0).
 * Returns 1 if a key went, 0 if none matched, -1 on error. */
int key_delete(int64_t id, int64_t user_id);

#endif
