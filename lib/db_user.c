/*
 * The users table. Partial unique indexes keep live logins and cards unique;
 * the handlers check first so they can answer utilisateur_existant or
 * carte_utilisee, and the indexes are the backstop.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_user.h"
#include "reply.h"

static int
user_fill(int r, sqlite3_stmt *st, struct user *u)
{
	const char *card;

	if (r <= 0)
		return r;
	u->id = sqlite3_column_int64(st, 0);
	snprintf(u->login, sizeof u->login, "%s", (const char *)sqlite3_column_text(st, 1));
	card = (const char *)sqlite3_column_text(st, 2);
	snprintf(u->card, sizeof u->card, "%s", card ? card : "");
	u->droit = sqlite3_column_int(st, 3);
	snprintf(u->password, sizeof u->password, "%s", (const char *)sqlite3_column_text(st, 4));
	sqlite3_reset(st);
	return 1;
}

int
user_by_login(const char *login, struct user *u)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, login, card, droit, password FROM users"
	    " WHERE login = ?1 AND deleted_ms IS NULL", "s", login);

	return user_fill(r, st, u);
}

int
user_by_card(const char *card, struct user *u)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, login, card, droit, password FROM users"
	    " WHERE card = ?1 AND deleted_ms IS NULL", "s", card);

	return user_fill(r, st, u);
}

int
user_by_id(int64_t id, struct user *u)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, login, card, droit, password FROM users"
	    " WHERE id = ?1 AND deleted_ms IS NULL", "i", id);

	return user_fill(r, st, u);
}

int
user_insert(const char *login, const char *hash, const char *card, int droit, int64_t now,
    int64_t *id)
{
	if (!db_exec("INSERT INTO users (login, password, card, droit, created_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", "sssii", login, hash, card, (int64_t)droit, now))
		return 0;
	*id = db_last_id();
	return 1;
}

int
user_set_password(int64_t id, const char *hash)
{
	return db_exec("UPDATE users SET password = ?1 WHERE id = ?2", "si", hash, id);
}

int
user_set_card(int64_t id, const char *card)
{
	return db_exec("UPDATE users SET card = ?1 WHERE id = ?2", "si", card, id);
}

int
user_set_droit(int64_t id, int droit)
{
	return db_exec("UPDATE users SET droit = ?1 WHERE id = ?2", "ii", (int64_t)droit, id);
}

int
user_delete(int64_t id, int64_t now)
{
	return db_exec("UPDATE users SET deleted_ms = ?1 WHERE id = ?2", "ii", now, id) &&
	    db_exec("DELETE FROM sessions WHERE user_id = ?1", "i", id);
}

int64_t
user_count_presidents(void)
{
	return db_int("SELECT count(*) FROM users WHERE droit = 3 AND deleted_ms IS NULL", -1);
}

int64_t
user_count(void)
{
	return db_int("SELECT count(*) FROM users WHERE deleted_ms IS NULL", -1);
}

sqlite3_stmt *
user_list(void)
{
	return db_query("SELECT login, droit, card FROM users WHERE deleted_ms IS NULL"
	    " ORDER BY login", "");
}

int
user_row_json(sqlite3_stmt *st, char *buf, size_t cap)
{
	struct row r = { buf, 0, cap, false };

	row_str(&r, K_LOGIN, (const char *)sqlite3_column_text(st, 0));
	row_int(&r, K_DROIT, sqlite3_column_int(st, 1));
	row_str(&r, K_ID_CARTE, (const char *)sqlite3_column_text(st, 2));
	return row_end(&r);
}
