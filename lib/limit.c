/*
 * The limits table: one row per key (kind, login, address) and two ways of
 * waiting (doc/api.md, failed logins):
 *   a password's keys (a login from one address, or from one browser) grow:
 *   past cfg.login_max_fails failures each one makes the next attempt wait,
 *   cfg.login_delay_ms doubled by every further failure, at most
 *   cfg.login_delay_max_ms; the count is forgotten cfg.login_quiet_ms after
 *   the last failure, which first_ms holds for these keys;
 *   the others count in fixed windows opened by their first failure (first_ms):
 *   once a window holds its kind's maximum, attempts wait until it closes.
 * Both are one SQL expression, UNTIL, so that waiting, listing and lifting
 * always agree.
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

#define STR_(x) #x
#define STR(x) STR_(x)
#define DAY_MS 86400000

/* When a row's wait ends (0 or a past time: none), and how long after its
 * first_ms a row is forgotten, in SQL. The settings are its first eight
 * parameters (SETTINGS, bound by LIMIT_ARGS): ?1 the window, ?2-?4 the
 * maximum of kinds 2, 3 and 5, ?5 the failures without a wait, ?6 the first
 * wait, ?7 the longest, ?8 the quiet spell. A shift of 32 is past any cap. */
#define GROWS "kind IN (1, 4)" /* LIMIT_LOGIN_ADDR, LIMIT_LOGIN_DEVICE: grows() */
#define UNTIL "CASE WHEN " GROWS " THEN" \
	" CASE WHEN fails >= ?5 THEN first_ms + min(?7, ?6 << min(fails - ?5, 32)) ELSE 0 END" \
	" WHEN fails >= CASE kind WHEN 2 THEN ?2 WHEN 3 THEN ?3 ELSE ?4 END" \
	" THEN first_ms + CASE kind WHEN 2 THEN " STR(DAY_MS) " ELSE ?1 END ELSE 0 END"
#define FORGET "CASE WHEN " GROWS " THEN ?8 WHEN kind = 2 THEN " STR(DAY_MS) " ELSE ?1 END"
#define SETTINGS "iiiiiiii"
#define LIMIT_ARGS cfg.fail_window_ms, (int64_t)cfg.login_day_fails, \
	(int64_t)cfg.addr_max_fails, (int64_t)cfg.probe_max_fails, \
	(int64_t)cfg.login_max_fails, cfg.login_delay_ms, cfg.login_delay_max_ms, \
	cfg.login_quiet_ms

/* The failures at which a key's first wait starts. */
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

/* Whether the key's waits grow (GROWS). */
static bool
grows(enum limit_kind kind)
{
	return kind == LIMIT_LOGIN_ADDR || kind == LIMIT_LOGIN_DEVICE;
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
	int64_t until;
	int r = db_row(&st, "SELECT " UNTIL " FROM limits WHERE kind = ?9 AND login = ?10"
	    " AND addr = ?11", SETTINGS "iss", LIMIT_ARGS, (int64_t)k->kind, part(k->login),
	    part(k->addr));

	if (r <= 0)
		return r;
	until = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return until > now ? (until - now + 999) / 1000 : 0;
}

/* Journals the lock-out that starts at `at`. */
static int
journal_lock(const struct limit_key *k, int64_t fails, int64_t at, int64_t until)
{
	struct journal_entry e = { .event = EV_VERROU, .detail = json_object_new_object() };

	reply_str(e.detail, K_TYPE, limit_kind_words[k->kind]);
	reply_str(e.detail, K_LOGIN, *part(k->login) ? k->login : NULL);
	reply_str(e.detail, K_ADRESSE, *part(k->addr) ? k->addr : NULL);
	reply_int(e.detail, K_ECHECS, fails);
	reply_int(e.detail, K_JUSQUA, until);
	return journal_add(NULL, at, &e);
}

int
limit_fail(const struct limit_key *k, int64_t now)
{
	sqlite3_stmt *st;
	int64_t fails, first, until;
	/* A forgotten count starts again; a growing key keeps its last failure. */
	int r = db_row(&st, "INSERT INTO limits (kind, login, addr, fails, first_ms)"
	    " VALUES (?9, ?10, ?11, 1, ?12) ON CONFLICT (kind, login, addr) DO UPDATE SET"
	    " fails = CASE WHEN ?12 - first_ms >= " FORGET " THEN 1 ELSE fails + 1 END,"
	    " first_ms = CASE WHEN ?12 - first_ms >= " FORGET " OR " GROWS
	    " THEN max(first_ms, ?12) ELSE first_ms END"
	    " RETURNING fails, first_ms, " UNTIL, SETTINGS "issi", LIMIT_ARGS, (int64_t)k->kind,
	    part(k->login), part(k->addr), now);

	if (r != 1)
		return 0;
	fails = sqlite3_column_int64(st, 0);
	first = sqlite3_column_int64(st, 1);
	until = sqlite3_column_int64(st, 2);
	/* A RETURNING statement completes its change only when stepped to the end. */
	if (db_step(st) != SQLITE_DONE)
		return 0;
	sqlite3_reset(st);
	/* Each longer wait is journaled too: the desk's list follows it live. */
	if (fails == max_fails(k->kind) || (fails > max_fails(k->kind) && grows(k->kind)))
		return journal_lock(k, fails, first, until);
	return 1;
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
	return db_exec("DELETE FROM limits WHERE first_ms <= ?9 - " FORGET, SETTINGS "i",
	    LIMIT_ARGS, now) &&
	    db_exec("DELETE FROM known_addresses WHERE last_ms < ?1", "i", now - 90 * (int64_t)DAY_MS);
}

/* The current lock-outs as (id, kind, login, addr, fails, until), ?9 being now. */
#define LOCKS "SELECT id, kind, login, addr, fails, until FROM (SELECT id, kind, login, addr," \
	" fails, first_ms, " UNTIL " AS until FROM limits) WHERE until > ?9"

sqlite3_stmt *
limit_locks(int64_t now)
{
	return db_query(LOCKS " ORDER BY first_ms, id", SETTINGS "i", LIMIT_ARGS, now);
}

int
limit_lift(int64_t id, int64_t now, struct limit_lock *l)
{
	sqlite3_stmt *st;
	int r = db_row(&st, LOCKS " AND id = ?10", SETTINGS "ii", LIMIT_ARGS, now, id);

	if (r <= 0)
		return r;
	l->kind = (enum limit_kind)sqlite3_column_int(st, 1);
	snprintf(l->login, sizeof l->login, "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(l->addr, sizeof l->addr, "%s", (const char *)sqlite3_column_text(st, 3));
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
