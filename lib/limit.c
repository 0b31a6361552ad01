/*
 * The limits table: one row per key (kind, login, address). A window opens at
 * the first failure; once it holds its kind's maximum, attempts are refused
 * until it closes. The maximum and the window depend on the kind (config.h).
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "db_journal.h"
#include "limit.h"
#include "reply.h"

const char *const limit_kind_words[LIMIT__MAX] = {
	[LIMIT_LOGIN_ADDR]   = "login_adresse",
	[LIMIT_LOGIN]        = "login",
	[LIMIT_CARDS]        = "adresse",
	[LIMIT_LOGIN_DEVICE] = "login_appareil",
	[LIMIT_PROBE]        = "consultation",
};

#define DAY_MS 86400000

static int64_t
max_fails(enum limit_kind kind)
{
	switch (kind) {
	case LIMIT_LOGIN:
		return cfg.login_day_fails;
	case LIMIT_CARDS:
		return cfg.addr_max_fails;
	case LIMIT_PROBE:
		return cfg.probe_max_fails;
	default:
		return cfg.login_max_fails;
	}
}

static int64_t
window(enum limit_kind kind)
{
	return kind == LIMIT_LOGIN ? DAY_MS : cfg.fail_window_ms;
}

static const char *
part(const char *s)
{
	return s ? s : "";
}

int64_t
limit_wait(const struct limit_key *k, int64_t now)
{
	sqlite3_stmt *st;
	int64_t fails, first;
	int r = db_row(&st, "SELECT fails, first_ms FROM limits WHERE kind = ?1 AND login = ?2"
	    " AND addr = ?3", "iss", (int64_t)k->kind, part(k->login), part(k->addr));

	if (r <= 0)
		return r;
	fails = sqlite3_column_int64(st, 0);
	first = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (fails < max_fails(k->kind) || now - first >= window(k->kind))
		return 0;
	return (first + window(k->kind) - now + 999) / 1000;
}

/* Journals the lock-out that starts now. */
static int
journal_lock(const struct limit_key *k, int64_t fails, int64_t until)
{
	struct journal_entry e = { .event = EV_VERROU, .detail = json_object_new_object() };

	reply_str(e.detail, K_TYPE, limit_kind_words[k->kind]);
	reply_str(e.detail, K_LOGIN, *part(k->login) ? k->login : NULL);
	reply_str(e.detail, K_ADRESSE, *part(k->addr) ? k->addr : NULL);
	reply_int(e.detail, K_ECHECS, fails);
	reply_int(e.detail, K_JUSQUA, until);
	return journal_add(NULL, until - window(k->kind), &e);
}

int
limit_fail(const struct limit_key *k, int64_t now)
{
	sqlite3_stmt *st;
	int64_t fails, first;
	int r = db_row(&st, "INSERT INTO limits (kind, login, addr, fails, first_ms)"
	    " VALUES (?1, ?2, ?3, 1, ?4) ON CONFLICT (kind, login, addr) DO UPDATE SET"
	    " fails = CASE WHEN ?4 - first_ms >= ?5 THEN 1 ELSE fails + 1 END,"
	    " first_ms = CASE WHEN ?4 - first_ms >= ?5 THEN ?4 ELSE first_ms END"
	    " RETURNING fails, first_ms", "issii", (int64_t)k->kind, part(k->login),
	    part(k->addr), now, window(k->kind));

	if (r != 1)
		return 0;
	fails = sqlite3_column_int64(st, 0);
	first = sqlite3_column_int64(st, 1);
	/* A RETURNING statement completes its change only when stepped to the end. */
	if (db_step(st) != SQLITE_DONE)
		return 0;
	sqlite3_reset(st);
	return fails != max_fails(k->kind) || journal_lock(k, fails, first + window(k->kind));
}

int
limit_undo(const struct limit_key *k)
{
	return db_exec("UPDATE limits SET fails = max(fails - 1, 0)"
	    " WHERE kind = ?1 AND login = ?2 AND addr = ?3", "iss", (int64_t)k->kind,
	    part(k->login), part(k->addr));
}

int
limit_clear(const struct limit_key *k)
{
	return db_exec("DELETE FROM limits WHERE kind = ?1 AND login = ?2 AND addr = ?3", "iss",
	    (int64_t)k->kind, part(k->login), part(k->addr));
}

int
limit_purge(int64_t now)
{
	return db_exec("DELETE FROM limits WHERE first_ms < ?1 - CASE kind WHEN 2 THEN ?2 ELSE ?3 END",
	    "iii", now, (int64_t)DAY_MS, cfg.fail_window_ms) &&
	    db_exec("DELETE FROM known_addresses WHERE last_ms < ?1", "i", now - 90 * (int64_t)DAY_MS);
}

/* The SQL of "this row is a lock-out now": ?1 now, ?2 the window, ?3-?6 the
 * maximum of kinds 2, 3, 5 and the others (the parameters of locked_args). */
#define STR_(x) #x
#define STR(x) STR_(x)
#define LOCKED " fails >= CASE kind WHEN 2 THEN ?3 WHEN 3 THEN ?4 WHEN 5 THEN ?5 ELSE ?6 END" \
	" AND ?1 - first_ms < CASE kind WHEN 2 THEN " STR(DAY_MS) " ELSE ?2 END"

sqlite3_stmt *
limit_locks(int64_t now)
{
	return db_query("SELECT id, kind, login, addr, fails,"
	    " first_ms + CASE kind WHEN 2 THEN " STR(DAY_MS) " ELSE ?2 END FROM limits WHERE"
	    LOCKED " ORDER BY first_ms, id", "iiiiii", now, cfg.fail_window_ms,
	    (int64_t)cfg.login_day_fails, (int64_t)cfg.addr_max_fails,
	    (int64_t)cfg.probe_max_fails, (int64_t)cfg.login_max_fails);
}

int
limit_lift(int64_t id, int64_t now, struct limit_lock *l)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT kind, login, addr FROM limits WHERE id = ?7 AND" LOCKED,
	    "iiiiiii", now, cfg.fail_window_ms,
	    (int64_t)cfg.login_day_fails, (int64_t)cfg.addr_max_fails,
	    (int64_t)cfg.probe_max_fails, (int64_t)cfg.login_max_fails, id);

	if (r <= 0)
		return r;
	l->kind = (enum limit_kind)sqlite3_column_int(st, 0);
	snprintf(l->login, sizeof l->login, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(l->addr, sizeof l->addr, "%s", (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	return db_exec("DELETE FROM limits WHERE id = ?1", "i", id) ? 1 : -1;
}

int
limit_known(int64_t user_id, const char *addr, bool password)
{
	return db_exists("SELECT 1 FROM known_addresses WHERE user_id = ?1 AND addr = ?2"
	    " AND password >= ?3", "isi", user_id, addr, (int64_t)password);
}

int
limit_spaced(int64_t user_id, int64_t now, int64_t *wait_ms)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT last_ms FROM password_checks WHERE user_id = ?1", "i", user_id);
	int64_t next;

	if (r <= 0)
		return r < 0 ? -1 : 1;
	next = sqlite3_column_int64(st, 0) + LIMIT_SPACING_MS;
	sqlite3_reset(st);
	if (next <= now)
		return 1;
	*wait_ms = next - now;
	return 0;
}

int
limit_checked(int64_t user_id, int64_t now)
{
	return db_exec("INSERT INTO password_checks (user_id, last_ms) VALUES (?1, ?2)"
	    " ON CONFLICT (user_id) DO UPDATE SET last_ms = max(last_ms, ?2)", "ii", user_id, now);
}

int
limit_remember(int64_t user_id, const char *addr, int64_t now, bool password)
{
	return db_exec("INSERT INTO known_addresses (user_id, addr, last_ms, password)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id, addr) DO UPDATE SET"
	    " last_ms = max(last_ms, ?3), password = max(password, ?4)", "isii",
	    user_id, addr, now, (int64_t)password);
}
