/* Unit tests for lib/limit.c: counting, a password's growing waits, windows
 * for the other kinds, journaled lock-outs, listing and lifting them, known
 * addresses. */
#include "../tap.h"
#include "limit.h"
#include "unitdb.h"

static int64_t
journaled(const char *event)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if (db_row(&st, "SELECT count(*) FROM journal WHERE event = ?1", "s", event) == 1) {
		n = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return n;
}

int
main(void)
{
	int64_t t0 = 1700000000000, t, win, delay, id = 0, device_id = 0;
	struct limit_key bob = { LIMIT_LOGIN_ADDR, "bob", "10.0.0.1" };
	struct limit_key bob_device = { LIMIT_LOGIN_DEVICE, "bob", "d:abc" };
	struct limit_key bob_other = { LIMIT_LOGIN_ADDR, "bob", "10.0.0.2" };
	struct limit_key bob_day = { LIMIT_LOGIN, "bob", "" };
	struct limit_key cards = { LIMIT_CARDS, "", "10.0.0.1" };
	struct limit_key probe = { LIMIT_PROBE, "", "s:7" };
	struct limit_lock lk;
	sqlite3_stmt *st;
	int n;

	if (!unitdb_open("unit-limit"))
		return 2;
	win = cfg.fail_window_ms;
	delay = cfg.login_delay_ms;
	ok(db_begin(true), "a transaction");

	is_int(limit_wait(&bob, t0), 0, "no failure, no wait");
	for (int i = 0; i < cfg.login_max_fails - 1; i++)
		limit_fail(&bob, t0 + i);
	is_int(limit_wait(&bob, t0 + 10), 0, "below TENP5_LOGIN_FAILS, no wait");
	is_int(journaled("verrou"), 0, "and no lock-out journaled");
	t = t0 + 10;
	limit_fail(&bob, t);
	is_int(limit_wait(&bob, t), delay / 1000, "at TENP5_LOGIN_FAILS, a wait of TENP5_LOGIN_DELAY");
	is_int(limit_wait(&bob, t + delay - 1000), 1, "which counts down");
	is_int(journaled("verrou"), 1, "the lock-out is journaled as it starts");
	is_int(limit_wait(&bob_other, t), 0, "the same login from another address is another key");
	is_int(limit_wait(&cards, t), 0, "the address's cards are another key");
	is_int(limit_wait(&bob, t + delay), 0, "the wait ends");
	for (int i = 1; i < 64 && limit_wait(&bob, t) < cfg.login_delay_max_ms / 1000; i++) {
		t += limit_wait(&bob, t) * 1000;
		limit_fail(&bob, t);
		is_int(journaled("verrou"), 1 + i, "each longer wait is journaled, for the desk's list");
		if (i == 1)
			is_int(limit_wait(&bob, t), 2 * delay / 1000, "each further failure doubles it");
		if (i == 2)
			is_int(limit_wait(&bob, t), 4 * delay / 1000, "and again");
	}
	limit_fail(&bob, t + cfg.login_delay_max_ms);
	is_int(limit_wait(&bob, t + cfg.login_delay_max_ms), cfg.login_delay_max_ms / 1000,
	    "up to TENP5_LOGIN_DELAY_MAX, and no longer");
	t += cfg.login_delay_max_ms + cfg.login_quiet_ms;
	limit_fail(&bob, t);
	is_int(limit_wait(&bob, t), 0, "after TENP5_LOGIN_QUIET without a failure, they are forgotten");
	is_int(db_int("SELECT fails FROM limits WHERE kind = 1 AND addr = '10.0.0.1'", -1), 1,
	    "and the count starts again");
	for (int i = 0; i < cfg.login_max_fails; i++)
		limit_fail(&bob_device, t0);
	is_int(limit_wait(&bob_device, t0), delay / 1000, "a browser's key waits the same way");

	for (int i = 0; i < cfg.login_day_fails; i++)
		limit_fail(&bob_day, t0 + i * 1000);
	ok(limit_wait(&bob_day, t0 + win * 2) > 0, "the login's daily count outlasts the short window");
	is_int(limit_wait(&bob_day, t0 + 86400000 + 1000 * cfg.login_day_fails), 0,
	    "and ends after a day");

	for (int i = 0; i < cfg.addr_max_fails; i++)
		limit_fail(&cards, t0);
	ok(limit_wait(&cards, t0) > 0, "unknown cards lock their address at TENP5_ADDR_FAILS");
	limit_undo(&cards);
	is_int(limit_wait(&cards, t0), 0, "taking one failure back reopens it");
	limit_fail(&cards, t0);
	for (int i = 0; i < cfg.probe_max_fails; i++)
		limit_fail(&probe, t0);
	ok(limit_wait(&probe, t0) > 0, "a credential's unknown look-ups lock at TENP5_PROBE_FAILS");

	n = 0;
	st = limit_locks(t0 + 5);
	while (st && db_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 1) == LIMIT_CARDS) {
			id = sqlite3_column_int64(st, 0);
			is_str((const char *)sqlite3_column_text(st, 3), "10.0.0.1", "the list names the address");
			is_int(sqlite3_column_int64(st, 5), t0 + win, "and when the lock-out ends");
		}
		if (sqlite3_column_int(st, 1) == LIMIT_LOGIN_DEVICE) {
			device_id = sqlite3_column_int64(st, 0);
			is_int(sqlite3_column_int64(st, 5), t0 + delay,
			    "a password's wait ends TENP5_LOGIN_DELAY after its last failure");
		}
		n++;
	}
	if (st)
		sqlite3_reset(st);
	is_int(n, 4, "four lock-outs now: the cards' address, the credential's look-ups, bob's day,"
	    " bob's browser");
	is_int(limit_lift(device_id, t0 + 5, &lk), 1, "a president lifts the browser's");
	is_int(limit_wait(&bob_device, t0 + 5), 0, "which may try again");
	limit_fail(&bob_device, t0 + 5);
	is_int(limit_wait(&bob_device, t0 + 5), 0, "its failures forgotten");
	is_int(limit_lift(device_id, t0 + 5 + delay, &lk), 0, "nor, with one failure since, any lock-out to lift");
	is_int(limit_lift(id, t0 + 5, &lk), 1, "a president lifts the address's");
	is_int(lk.kind, LIMIT_CARDS, "which is described");
	is_str(lk.addr, "10.0.0.1", "with its address");
	is_int(limit_wait(&cards, t0 + 5), 0, "the address may try again");
	is_int(limit_lift(id, t0 + 5, &lk), 0, "a lifted lock-out is gone");
	is_int(limit_lift(999999, t0 + 5, &lk), 0, "an unknown one is no lock-out");

	is_int(limit_known(1, "10.0.0.9", false), 0, "an address nobody logged in from is unknown");
	db_exec("INSERT INTO users (login, password, droit, created_ms) VALUES ('bob', 'x', 2, 0)", "");
	ok(limit_remember(1, "10.0.0.9", t0, false), "a successful card login is remembered");
	is_int(limit_known(1, "10.0.0.9", false), 1, "the address is then known for that user's card");
	is_int(limit_known(1, "10.0.0.9", true), 0, "not for the password");
	is_int(limit_known(2, "10.0.0.9", false), 0, "nor for another user");
	ok(limit_remember(1, "10.0.0.9", t0, true), "a successful password login there");
	is_int(limit_known(1, "10.0.0.9", true), 1, "makes it known for the password");
	ok(limit_remember(1, "10.0.0.9", t0 + 1, false), "and a card login after it");
	is_int(limit_known(1, "10.0.0.9", true), 1, "does not take that back");
	ok(limit_purge(t - 1 + cfg.login_quiet_ms), "purging just before bob's quiet spell ends");
	is_int(db_int("SELECT fails FROM limits WHERE kind = 1 AND addr = '10.0.0.1'", -1), 1,
	    "keeps his count");
	ok(limit_purge(t + cfg.login_quiet_ms), "purging as it ends");
	is_int(db_int("SELECT count(*) FROM limits WHERE kind = 1", -1), 0, "forgets it");
	ok(limit_purge(t0 + 100LL * 86400000), "purging after 100 days");
	is_int(limit_known(1, "10.0.0.9", false), 0, "forgets the address");
	is_int(db_int("SELECT count(*) FROM limits", -1), 0, "and every finished window");
	db_rollback();
	unitdb_close();
	return done_testing();
}
