/* Unit tests for the migrations that rebuild tables: a database made by the
 * migrations before one, holding rows, is opened by the current code; its
 * rows, their ids and their links must come through. */
#include "../tap.h"
#include "unitdb.h"

/* Makes path a database at schema version `upto`, as the code of that
 * version left it, then runs sql on it. Returns 1, or 0. */
static int
database_at(const char *path, int upto, const char *sql)
{
	sqlite3 *c;
	int ok = sqlite3_open(path, &c) == SQLITE_OK &&
	    sqlite3_exec(c, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) == SQLITE_OK;
	char pragma[64];

	for (size_t i = 0; ok && i < db_migrations_n && db_migrations[i].version <= upto; i++)
		ok = sqlite3_exec(c, db_migrations[i].sql, NULL, NULL, NULL) == SQLITE_OK;
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", upto);
	ok = ok && sqlite3_exec(c, pragma, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_exec(c, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(c);
	return ok;
}

/* The id a new row of table gets. */
static int64_t
next_id(const char *insert)
{
	return db_exec(insert, "") ? sqlite3_last_insert_rowid(db_handle()) : -1;
}

int
main(void)
{
	char path[160];

	if (!unitdb_open("unit-schema"))
		return 2;
	db_close();
	snprintf(path, sizeof path, "%s/v8.db", unitdb_dir);
	/* Rows at version 8, the largest ids of each kind already deleted: the
	 * journal and the tickets still name them. */
	ok(database_at(path, 8,
	    "INSERT INTO users (id, login, password, droit, created_ms) VALUES (1, 'prez', 'x', 3, 0),"
	    " (2, 'bar', 'x', 2, 0);"
	    "INSERT INTO sessions (id, hash, user_id, max_droit, created_ms, used_ms) VALUES"
	    " (1, x'01', 1, 3, 0, 0), (5, x'05', 2, 2, 0, 0);"
	    "INSERT INTO api_keys (id, user_id, name, prefix, hash, droit, created_ms) VALUES"
	    " (3, 2, 'mur', '10p5_a', x'03', 2, 0);"
	    "INSERT INTO apps (id, client_id, name, secret_hash, created_by, created_ms) VALUES"
	    " (2, 'app_a', 'A', x'aa', 1, 0);"
	    "INSERT INTO app_redirects (app_id, uri) VALUES (2, 'https://a.example/cb');"
	    "INSERT INTO oauth_codes (id, hash, app_id, user_id, redirect_uri, challenge, scopes,"
	    " created_ms, expires_ms) VALUES (4, x'c4', 2, 1, 'https://a.example/cb', 'c', 2, 0, 0);"
	    "INSERT INTO oauth_tokens (id, hash, kind, app_id, user_id, family, scopes, created_ms,"
	    " expires_ms) VALUES (6, x'd6', 1, 2, 1, 4, 2, 0, 0), (7, x'd7', 2, 2, 1, 4, 2, 0, 0);"
	    "INSERT INTO journal (date_ms, user_id, cred_kind, cred_id, event) VALUES"
	    " (0, 2, 1, 9, 'cle'), (0, 2, 2, 8, 'cle'), (0, 1, 3, 11, 'app');"
	    "INSERT INTO tickets (hash, cred_kind, token_id, created_ms, expires_ms) VALUES"
	    " (x'e1', 1, 12, 0, 0), (x'e3', 3, 20, 0, 0);"), "a database at version 8 with credentials");
	ok(db_open(path, false), "the current code opens it");
	is_int(db_int("PRAGMA user_version", -1), db_migrations[db_migrations_n - 1].version,
	    "and migrates it");
	is_int(db_int("SELECT group_concat(id, '') FROM (SELECT id FROM sessions ORDER BY id)", -1), 15,
	    "sessions keep their rows and ids");
	is_int(db_int("SELECT id * 10 + user_id FROM api_keys", -1), 32, "so do keys, with their owner");
	is_int(db_int("SELECT count(*) FROM app_redirects WHERE app_id = 2", -1), 1,
	    "an app keeps its redirect URIs (not deleted with the old apps table)");
	is_int(db_int("SELECT count(*) FROM oauth_codes WHERE id = 4 AND app_id = 2", -1), 1,
	    "its codes");
	is_int(db_int("SELECT group_concat(id, '') FROM (SELECT id FROM oauth_tokens WHERE family = 4"
	    " ORDER BY id)", -1), 67, "and its tokens");
	is_int(db_int("SELECT count(*) FROM pragma_foreign_key_check", -1), 0,
	    "every foreign key holds");
	is_int(db_int("SELECT count(*) FROM sqlite_master WHERE name IN ('sessions_user',"
	    " 'sessions_used', 'api_keys_user', 'oauth_tokens_family', 'oauth_tokens_app')", -1), 5,
	    "the indexes are back");
	is_int(next_id("INSERT INTO sessions (hash, user_id, max_droit, created_ms, used_ms)"
	    " VALUES (x'10', 1, 3, 0, 0)"), 13, "a new session's id is past every one the tickets and the journal name");
	is_int(next_id("INSERT INTO api_keys (user_id, name, prefix, hash, droit, created_ms)"
	    " VALUES (1, 'k', 'p', x'11', 3, 0)"), 9, "a new key's too");
	is_int(next_id("INSERT INTO apps (client_id, name, secret_hash, created_by, created_ms)"
	    " VALUES ('app_b', 'B', x'bb', 1, 0)"), 12, "a new app's too");
	is_int(next_id("INSERT INTO oauth_tokens (hash, kind, app_id, user_id, family, scopes,"
	    " created_ms, expires_ms) VALUES (x'd8', 1, 2, 1, 4, 2, 0, 0)"), 21, "a new token's too");
	is_int(next_id("INSERT INTO oauth_codes (hash, app_id, user_id, redirect_uri, challenge,"
	    " scopes, created_ms, expires_ms) VALUES (x'c5', 2, 1, 'u', 'c', 2, 0, 0)"), 5,
	    "and a new code's");
	db_exec("DELETE FROM sessions WHERE id = 13", "");
	is_int(next_id("INSERT INTO sessions (hash, user_id, max_droit, created_ms, used_ms)"
	    " VALUES (x'13', 1, 3, 0, 0)"), 14, "the id of a session deleted is never given again");
	db_exec("DELETE FROM apps WHERE id = 2", "");
	is_int(db_int("SELECT count(*) FROM oauth_tokens", -1) +
	    db_int("SELECT count(*) FROM app_redirects", -1), 0,
	    "deleting an app still takes its tokens and redirect URIs with it");
	unitdb_close();
	return done_testing();
}
