/*
 * Idempotency records: the first answer given to a (user, idRequete), so a phone
 * retrying after a timeout gets the same answer instead of a second charge.
 */
#ifndef TENP5_DB_REQUEST_H
#define TENP5_DB_REQUEST_H

#include <stdint.h>

#include "crypto.h"

/* Looks up (user_id, rid). Returns 1 with *reply set (malloc'd, the caller
 * frees it) when found with the same fingerprint, 2 when found with another,
 * 0 when absent, -1 on error. */
int request_find(int64_t user_id, const char *rid, const unsigned char fp[SHA256_LEN],
    char **reply);

/* Records the answer. Returns 1, or 0 on error. */
int request_save(int64_t user_id, const char *rid, const unsigned char fp[SHA256_LEN],
    const char *reply, int64_t now);

/* Forgets records older than a day. Returns 1 or 0. */
int request_purge(int64_t now);

#endif
