/*
 * Idempotency records: the first answer given to a (user, idRequete), so a phone
 * retrying after a timeout gets the same answer instead of a second charge.
 */
#ifndef TENP5_DB_REQUEST_H
#define TENP5_DB_REQUEST_H

#include <stdint.h>

#include "crypto.h"

enum request_record {
	RECORD_NONE,   /* a first call */
	RECORD_SAME,   /* a repeat: *reply holds the first answer */
	RECORD_OTHER,  /* the idRequete was used for another request */
	RECORD_ERROR,
};

/* Looks up (user_id, rid). With RECORD_SAME, *reply is malloc'd (the caller
 * frees it); otherwise it is NULL. */
enum request_record request_find(int64_t user_id, const char *rid,
    const unsigned char fp[SHA256_LEN], char **reply);

/* Records the answer. Returns 1, or 0 on error. */
int request_save(int64_t user_id, const char *rid, const unsigned char fp[SHA256_LEN],
    const char *reply, int64_t now);

/* Forgets records older than a day past the time an offline sale may wait
 * (db_offline.h), and moves offline_rules' forgotten_ms up to that time.
 * Returns 1 or 0. */
int request_purge(int64_t now);

#endif
