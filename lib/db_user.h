/*
 * Staff accounts (users): lookups, creation, changes and soft deletion. A
 * deleted user keeps its row so the ledger still names who did what; its login
 * and card become free for a new account.
 */
#ifndef TENP5_DB_USER_H
#define TENP5_DB_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "password.h"

struct user {
	int64_t id;
	char login[32];
	char card[33];      /* "" when the user has none */
	int droit;
	char password[PASSWORD_HASH_MAX];
};

/* Live (not deleted) users. Each returns 1 and fills *u when found, 0 when
 * not, -1 on error. */
int user_by_login(const char *login, struct user *u);
int user_by_card(const char *card, struct user *u);
int user_by_id(int64_t id, struct user *u);

/* Inserts a user; card may be NULL. Returns 1 with *id set, or 0 on error. */
int user_insert(const char *login, const char *hash, const char *card, int droit,
    int64_t now, int64_t *id);
int user_set_password(int64_t id, const char *hash);
int user_set_card(int64_t id, const char *card);
int user_set_droit(int64_t id, int droit);
int user_delete(int64_t id, int64_t now);

/* Number of live users with droit 3, or -1 on error. */
int64_t user_count_presidents(void);
/* Number of live users, or -1 on error. */
int64_t user_count(void);

/* Statement listing live users as (login, droit, card) by login, and its row
 * writer. */
sqlite3_stmt *user_list(void);
int user_row_json(sqlite3_stmt *st, char *buf, size_t cap);

#endif
