/*
 * The login_failures table: one row per "l:<login>", "c:<card>", "a:<address>".
 * A window opens at the first failure; once it holds the maximum number of
 * failures, attempts are refused until it closes.
 */
#include <stdio.h>

#include "config.h"
#include "db.h"
#include "limit.h"

static const char prefix[LIMIT__MAX] = {
	[LIMIT_LOGIN] = 'l',
	[LIMIT_CARD]  = 'c',
	[LIMIT_ADDR]  = 'a',
};

static int
max_fails(enum limit_kind kind)
{
	return kind == LIMIT_ADDR ? cfg.addr_max_fails : cfg.login_max_fails;
}

static void
make_key(char *key, size_t cap, enum limit_kind kind, const char *who)
{
	snprintf(key, cap, "%c:%s", prefix[kind], who ? who : "");
}

int64_t
limit_wait(enum limit_kind kind, const char *who, int64_t now)
{
	char key[128];
	sqlite3_stmt *st;
	int64_t fails, first;
	int r;

	make_key(key, sizeof key, kind, who);
	r = db_row(&st, "SELECT fails, first_ms FROM login_failures WHERE key = ?1", "s", key);
	if (r <= 0)
		return r;
	fails = sqlite3_column_int64(st, 0);
	first = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (fails < max_fails(kind) || now - first >= cfg.fail_window_ms)
		return 0;
	return (first + cfg.fail_window_ms - now + 999) / 1000;
}

int
limit_fail(enum limit_kind kind, const char *who, int64_t now)
{
	char key[128];

	make_key(key, sizeof key, kind, who);
	return db_exec("INSERT INTO login_failures (key, fails, first_ms) VALUES (?1, 1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET"
	    " fails = CASE WHEN ?2 - first_ms >= ?3 THEN 1 ELSE fails + 1 END,"
	    " first_ms = CASE WHEN ?2 - first_ms >= ?3 THEN ?2 ELSE first_ms END",
	    "sii", key, now, cfg.fail_window_ms);
}

int
limit_undo(enum limit_kind kind, const char *who)
{
	char key[128];

	make_key(key, sizeof key, kind, who);
	return db_exec("UPDATE login_failures SET fails = max(fails - 1, 0) WHERE key = ?1", "s", key);
}

int
limit_clear(enum limit_kind kind, const char *who)
{
	char key[128];

	make_key(key, sizeof key, kind, who);
	return db_exec("DELETE FROM login_failures WHERE key = ?1", "s", key);
}

int
limit_purge(int64_t now)
{
	return db_exec("DELETE FROM login_failures WHERE first_ms < ?1", "i", now - cfg.fail_window_ms);
}
