/*
 * The apps and app_redirects tables. Codes and tokens reference their app
 * with ON DELETE CASCADE: deleting an app revokes everything it was given.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_app.h"

int
app_insert(const char *client_id, const char *name, const unsigned char hash[SHA256_LEN],
    int64_t user_id, int64_t now, int64_t *id)
{
	if (!db_exec("INSERT INTO apps (client_id, name, secret_hash, created_by, created_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", "ssbii", client_id, name, hash, (size_t)SHA256_LEN,
	    user_id, now))
		return 0;
	*id = db_last_id();
	return 1;
}

int
app_add_redirect(int64_t app_id, const char *uri)
{
	return db_exec("INSERT OR IGNORE INTO app_redirects (app_id, uri) VALUES (?1, ?2)", "is",
	    app_id, uri);
}

int
app_by_client_id(const char *client_id, struct app *a)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, client_id, name, secret_hash FROM apps WHERE client_id = ?1",
	    "s", client_id);

	if (r <= 0)
		return r;
	a->id = sqlite3_column_int64(st, 0);
	snprintf(a->client_id, sizeof a->client_id, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(a->name, sizeof a->name, "%s", (const char *)sqlite3_column_text(st, 2));
	memset(a->secret_hash, 0, sizeof a->secret_hash);
	if (sqlite3_column_bytes(st, 3) == SHA256_LEN)
		memcpy(a->secret_hash, sqlite3_column_blob(st, 3), SHA256_LEN);
	sqlite3_reset(st);
	return 1;
}

int
app_redirect_ok(int64_t app_id, const char *uri)
{
	return db_exists("SELECT 1 FROM app_redirects WHERE app_id = ?1 AND uri = ?2", "is",
	    app_id, uri);
}

sqlite3_stmt *
app_list(void)
{
	return db_query("SELECT a.id, a.client_id, a.name, a.created_ms, u.login FROM apps a"
	    " JOIN users u ON u.id = a.created_by ORDER BY a.id", "");
}

sqlite3_stmt *
app_redirects(int64_t app_id)
{
	return db_query("SELECT uri FROM app_redirects WHERE app_id = ?1 ORDER BY uri", "i", app_id);
}

int
app_delete(const char *client_id)
{
	if (!db_exec("DELETE FROM apps WHERE client_id = ?1", "s", client_id))
		return -1;
	return db_changes() > 0;
}
