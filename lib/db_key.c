/*
 * The api_keys table. Deleting a row is the revocation: the next request
 * carrying the key finds nothing.
 */
#include "db.h"
#include "db_key.h"

int
key_insert(int64_t user_id, const struct key_spec *k, const unsigned char hash[SHA256_LEN],
    int64_t now, int64_t *id)
{
	sqlite3_stmt *st = db_query("INSERT INTO api_keys (user_id, name, prefix, hash, droit,"
	    " created_ms, expires_ms, scopes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "issbii",
	    user_id, k->name, k->prefix, hash, (size_t)SHA256_LEN, (int64_t)k->droit, now);

	if (!st)
		return 0;
	if (k->expires_ms)
		sqlite3_bind_int64(st, 7, k->expires_ms);
	if (k->scopes)
		sqlite3_bind_int64(st, 8, k->scopes);
	if (db_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	*id = db_last_id();
	return 1;
}

sqlite3_stmt *
key_list(int64_t user_id)
{
	return db_query("SELECT k.id, k.name, k.prefix, k.created_ms, k.last_used_ms, k.uses,"
	    " k.droit, k.expires_ms, u.login, k.scopes FROM api_keys k JOIN users u ON u.id = k.user_id"
	    " WHERE ?1 = 0 OR k.user_id = ?1 ORDER BY k.id", "i", user_id);
}

int
key_delete(int64_t id, int64_t user_id)
{
	if (!db_exec("DELETE FROM api_keys WHERE id = ?1 AND (?2 = 0 OR user_id = ?2)", "ii",
	    id, user_id))
		return -1;
	return db_changes() > 0;
}

int64_t
key_delete_user(int64_t user_id, int64_t now)
{
	int64_t live = db_count("SELECT count(*) FROM api_keys WHERE user_id = ?1"
	    " AND (expires_ms IS NULL OR expires_ms > ?2)", "ii", user_id, now);

	if (live < 0 || !db_exec("DELETE FROM api_keys WHERE user_id = ?1", "i", user_id))
		return -1;
	return live;
}
