/*
 * The requests table. Records live a day past the longest an offline sale
 * may wait: long enough for any retry, short enough that the table stays
 * small.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_request.h"

enum request_record
request_find(int64_t user_id, const char *rid, const unsigned char fp[SHA256_LEN], char **reply)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT fingerprint, reply FROM requests"
	    " WHERE user_id = ?1 AND request_id = ?2", "is", user_id, rid);

	*reply = NULL;
	if (r <= 0)
		return r < 0 ? RECORD_ERROR : RECORD_NONE;
	if (sqlite3_column_bytes(st, 0) != SHA256_LEN ||
	    memcmp(sqlite3_column_blob(st, 0), fp, SHA256_LEN) != 0) {
		sqlite3_reset(st);
		return RECORD_OTHER;
	}
	*reply = strdup((const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return *reply ? RECORD_SAME : RECORD_ERROR;
}

int
request_save(int64_t user_id, const char *rid, const unsigned char fp[SHA256_LEN],
    const char *reply, int64_t now)
{
	return db_exec("INSERT INTO requests (user_id, request_id, fingerprint, reply, created_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", "isbsi", user_id, rid, fp, (size_t)SHA256_LEN, reply, now);
}

int
request_purge(int64_t now)
{
	/* A sale sent from offline may be sent again as long as it may wait
	 * (doc/api.md, "Selling offline"): its record outlives that by a day.
	 * How far back records went is kept, for the sales older than that a
	 * raised dureeMax would otherwise accept again. */
	return db_exec("UPDATE offline_rules SET forgotten_ms = max(forgotten_ms,"
	    " ?1 - 86400000 - max_age_ms) WHERE id = 1", "i", now) &&
	    db_exec("DELETE FROM requests WHERE created_ms < ?1 - 86400000"
	    " - coalesce((SELECT max_age_ms FROM offline_rules WHERE id = 1), 0)", "i", now);
}
