/*
 * The oauth_codes and oauth_tokens tables. A code is spent, and a token used
 * or revoked, by stamping its time (used_ms, revoked_ms); nothing here clears
 * a stamp, so what is spent or revoked stays so (deleting an app removes its
 * rows altogether, db_app.c).
 */
#include <stdio.h>

#include "db.h"
#include "db_oauth.h"

int
oauth_code_insert(const unsigned char hash[SHA256_LEN], const struct oauth_code *c, int64_t now)
{
	return db_exec("INSERT INTO oauth_codes (hash, app_id, user_id, redirect_uri, challenge,"
	    " scopes, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "biissiii",
	    hash, (size_t)SHA256_LEN, c->app_id, c->user_id, c->redirect_uri, c->challenge,
	    (int64_t)c->scopes, now, c->expires_ms);
}

int
oauth_code_get(const unsigned char hash[SHA256_LEN], struct oauth_code *c)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, app_id, user_id, redirect_uri, challenge, scopes,"
	    " expires_ms, coalesce(used_ms, 0) FROM oauth_codes WHERE hash = ?1", "b",
	    hash, (size_t)SHA256_LEN);

	if (r <= 0)
		return r;
	c->id = sqlite3_column_int64(st, 0);
	c->app_id = sqlite3_column_int64(st, 1);
	c->user_id = sqlite3_column_int64(st, 2);
	snprintf(c->redirect_uri, sizeof c->redirect_uri, "%s", (const char *)sqlite3_column_text(st, 3));
	snprintf(c->challenge, sizeof c->challenge, "%s", (const char *)sqlite3_column_text(st, 4));
	c->scopes = (unsigned)sqlite3_column_int(st, 5);
	c->expires_ms = sqlite3_column_int64(st, 6);
	c->used_ms = sqlite3_column_int64(st, 7);
	sqlite3_reset(st);
	return 1;
}

int
oauth_code_use(int64_t id, int64_t now)
{
	return db_exec("UPDATE oauth_codes SET used_ms = ?1 WHERE id = ?2", "ii", now, id);
}

int
oauth_token_insert(const unsigned char hash[SHA256_LEN], const struct oauth_token *t, int64_t now,
    int64_t *id)
{
	if (!db_exec("INSERT INTO oauth_tokens (hash, kind, app_id, user_id, family, scopes,"
	    " created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "biiiiiii",
	    hash, (size_t)SHA256_LEN, (int64_t)t->kind, t->app_id, t->user_id, t->family,
	    (int64_t)t->scopes, now, t->expires_ms))
		return 0;
	*id = db_last_id();
	return 1;
}

int
oauth_token_get(const unsigned char hash[SHA256_LEN], struct oauth_token *t)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, kind, app_id, user_id, family, scopes, expires_ms,"
	    " coalesce(used_ms, 0), coalesce(revoked_ms, 0) FROM oauth_tokens WHERE hash = ?1",
	    "b", hash, (size_t)SHA256_LEN);

	if (r <= 0)
		return r;
	t->id = sqlite3_column_int64(st, 0);
	t->kind = sqlite3_column_int(st, 1);
	t->app_id = sqlite3_column_int64(st, 2);
	t->user_id = sqlite3_column_int64(st, 3);
	t->family = sqlite3_column_int64(st, 4);
	t->scopes = (unsigned)sqlite3_column_int(st, 5);
	t->expires_ms = sqlite3_column_int64(st, 6);
	t->used_ms = sqlite3_column_int64(st, 7);
	t->revoked_ms = sqlite3_column_int64(st, 8);
	sqlite3_reset(st);
	return 1;
}

int
oauth_token_use(int64_t id, int64_t now)
{
	return db_exec("UPDATE oauth_tokens SET used_ms = ?1 WHERE id = ?2", "ii", now, id);
}

int
oauth_token_revoke(int64_t id, int64_t now)
{
	return db_exec("UPDATE oauth_tokens SET revoked_ms = ?1 WHERE id = ?2 AND revoked_ms IS NULL",
	    "ii", now, id);
}

int
oauth_family_revoke(int64_t family, int64_t now)
{
	return db_exec("UPDATE oauth_tokens SET revoked_ms = ?1 WHERE family = ?2"
	    " AND revoked_ms IS NULL", "ii", now, family);
}

int64_t
oauth_revoke_user(int64_t user_id, int64_t now)
{
	/* A refresh token lives until rotated (used_ms); an access token until
	 * it expires. */
	int64_t live = db_count("SELECT (SELECT count(DISTINCT family) FROM oauth_tokens"
	    " WHERE user_id = ?1 AND revoked_ms IS NULL AND expires_ms > ?2"
	    " AND (kind = 1 OR used_ms IS NULL)) + (SELECT count(*) FROM oauth_codes"
	    " WHERE user_id = ?1 AND used_ms IS NULL AND expires_ms > ?2)", "ii", user_id, now);

	if (live < 0 ||
	    !db_exec("UPDATE oauth_tokens SET revoked_ms = ?2 WHERE user_id = ?1"
	    " AND revoked_ms IS NULL", "ii", user_id, now) ||
	    !db_exec("UPDATE oauth_codes SET used_ms = ?2 WHERE user_id = ?1 AND used_ms IS NULL",
	    "ii", user_id, now))
		return -1;
	return live;
}
