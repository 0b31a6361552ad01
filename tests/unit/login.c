/* Unit tests for lib/login.c: the limiter's rules at login (doc/api.md#logins), known
 * addresses, the signed device cookie, cards. */
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "login.h"
#include "password.h"
#include "unitdb.h"

static int64_t now = 1700000000000;
static int64_t last_wait; /* the last attempt's wait, in seconds */

/* The queue of hashes (lib/password.c's turn file next to the database):
 * crowd() makes it 300 ms long after hashes of 1 ms, uncrowd() empties it. */
static void
turns(int64_t ahead_ns)
{
	char path[160];
	struct timespec ts;
	int64_t q[2] = { 0, 1000000 };
	int fd;

	snprintf(path, sizeof path, "%s/t.db-hash", unitdb_dir);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ahead_ns)
		q[0] = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec + ahead_ns;
	if ((fd = open(path, O_RDWR)) < 0 || pwrite(fd, q, sizeof q, 0) != (ssize_t)sizeof q)
		printf("# cannot write %s\n", path);
	if (fd >= 0)
		close(fd);
}
static void crowd(void) { turns(300000000); }
static void uncrowd(void) { turns(0); }

/* A device cookie of the given version for user 1 and device "dev", signed
 * with the database's key, as a Cookie header. */
static void
signed_cookie(const char *version, char *out, size_t cap)
{
	sqlite3_stmt *st;
	unsigned char key[32] = { 0 }, h[SHA256_LEN];
	char text[64], mac[44];

	if (db_row(&st, "SELECT value FROM secrets WHERE name = 'device_cookie'", "") == 1) {
		memcpy(key, sqlite3_column_blob(st, 0), sizeof key);
		sqlite3_reset(st);
	}
	snprintf(text, sizeof text, "%s.1.dev", version);
	hmac_sha256(key, sizeof key, text, strlen(text), h);
	base64url(h, sizeof h, mac);
	snprintf(out, cap, "%s=%s.%s", LOGIN_COOKIE, text, mac);
}

/* One attempt from addr with the given Cookie header; the status, and the
 * verdict in *verdict (after its confirmation, as utilisateur/connexion makes
 * it). A success is recorded as utilisateur/connexion would. */
static enum status
attempt(const char *addr, const char *cookies, const char *login, const char *mdp,
    const char *card, enum status *verdict, struct login *l)
{
	int64_t wait = 0;
	enum status st = login_check(addr, cookies, login, mdp, card, now, l, &wait);

	last_wait = wait;

	*verdict = st == ST_OK ? l->verdict : st;
	if (st == ST_OK && l->verdict == ST_OK) {
		db_begin(true);
		*verdict = login_confirm(l, now);
		db_commit();
	}
	now += 1000;
	return st;
}

/* Wrong passwords for login from addr, each as soon as the last wait allows,
 * until the next one must wait at least `seconds`; how many were checked. */
static int
guess_until(const char *addr, const char *login, int64_t seconds)
{
	struct login l;
	enum status v;
	int n = 0;

	for (int i = 0; i < 1000; i++) {
		attempt(addr, "", login, "faux", NULL, &v, &l);
		if (v != ST_TROP_DE_TENTATIVES) {
			n++;
			continue;
		}
		if (last_wait >= seconds)
			return n;
		now += last_wait * 1000;
	}
	return -1;
}

int
main(void)
{
	char hash[PASSWORD_HASH_MAX], cookie[LOGIN_COOKIE_MAX], header[200], forged[200];
	struct login l;
	enum status v;
	int locked, checked;

	setenv("TENP5_SCRYPT_N", "1024", 1);
	if (!unitdb_open("unit-login") || !password_hash("bon-secret-1", hash))
		return 2;
	db_exec("INSERT INTO users (login, password, card, droit, created_ms)"
	    " VALUES ('prez', ?1, 'CAFE01', 3, 0), ('bar', ?1, NULL, 2, 0)", "s", hash);

	attempt("10.0.0.1", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "the right password logs in");
	ok(!l.known, "from an address never seen before");
	ok(login_cookie(&l, cookie), "the browser gets a device cookie");
	ok(strncmp(cookie, "v2.1.", 5) == 0 && strlen(cookie) > 60, "signed for user 1: %s", cookie);

	for (int i = 0; i < cfg.login_max_fails; i++)
		attempt("10.0.0.2", "", "prez", "faux", NULL, &v, &l);
	is_int(v, ST_IDENTIFIANTS_INVALIDES, "TENP5_LOGIN_FAILS wrong passwords from 10.0.0.2 are refusals");
	now -= 1000; /* at the instant of the last */
	attempt("10.0.0.2", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "then even the right one from there waits");
	is_int(last_wait, cfg.login_delay_ms / 1000, "TENP5_LOGIN_DELAY");
	is_int(guess_until("10.0.0.2", "prez", 60), 5,
	    "guesses as soon as allowed: 5 more are checked before the wait passes a minute (4, 8 ... 64 s)");
	attempt("10.0.0.3", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "from another address, the right password still works");
	snprintf(header, sizeof header, "autre=1; %s=%s", LOGIN_COOKIE, cookie);
	attempt("10.0.0.2", header, "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "and from the locked address, a browser with its device cookie gets through");
	ok(l.known, "as a known browser");
	snprintf(forged, sizeof forged, "%s=%.*sx", LOGIN_COOKIE, (int)strlen(cookie) - 1, cookie);
	attempt("10.0.0.2", forged, "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "a cookie with a forged signature counts for nothing");
	snprintf(forged, sizeof forged, "%s=v2.2.%s", LOGIN_COOKIE, cookie + 5);
	attempt("10.0.0.2", forged, "bar", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "(bar from 10.0.0.2 is not locked: guesses at prez lock prez)");
	ok(!l.known && !l.device[0], "and prez's cookie relabelled for bar is refused");

	/* Guesses from everywhere: the daily count of the login. */
	locked = 0;
	for (int i = 0; i < cfg.login_day_fails + 2; i++) {
		char addr[32];

		snprintf(addr, sizeof addr, "10.1.%d.%d", i / 200, i % 200);
		attempt(addr, "", "bar", "faux", NULL, &v, &l);
		locked += v == ST_TROP_DE_TENTATIVES;
	}
	is_int(locked, 2, "after TENP5_LOGIN_DAY_FAILS guesses from all over, bar is locked everywhere new");
	attempt("10.9.9.9", "", "bar", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "even with the right password, from an address never seen");
	attempt("10.0.0.2", "", "bar", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "but where bar logged in before, guesses made elsewhere change nothing");

	/* Cards: unknown ones lock the address, not the staff who use it. */
	for (int i = 0; i < cfg.addr_max_fails; i++)
		attempt("10.0.0.5", "", NULL, NULL, "DEADBEEF", &v, &l);
	is_int(v, ST_CARTE_INCONNUE, "unknown cards are carte_inconnue up to TENP5_ADDR_FAILS");
	attempt("10.0.0.5", "", NULL, NULL, "DEADBEEF", &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "then the address waits");
	attempt("10.0.0.5", "", NULL, NULL, "CAFE01", &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "a staff card never used from there waits too");
	attempt("10.0.0.6", "", NULL, NULL, "CAFE01", &v, &l);
	is_int(v, ST_OK, "it logs in from another address");
	is_int(l.max_droit, cfg.card_right, "capped at TENP5_CARD_RIGHT");
	now -= 1000; /* same instant, other address: known now */
	attempt("10.0.0.5", header, NULL, NULL, "CAFE01", &v, &l);
	is_int(v, ST_OK, "and from the locked address with the browser that logged in before");
	attempt("10.0.0.5", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "one address's card guesses never stop a password login from it");

	/* A card identifies, it does not authenticate: where prez only showed the
	 * card, prez's password is a stranger's. */
	for (int i = 0; i < cfg.login_day_fails; i++) {
		char addr[32];

		snprintf(addr, sizeof addr, "10.2.%d.%d", i / 200, i % 200);
		attempt(addr, "", "prez", "faux", NULL, &v, &l);
	}
	attempt("10.0.0.6", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "once prez is locked everywhere new, the card's place is new for the password");
	attempt("10.0.0.6", "", NULL, NULL, "CAFE01", &v, &l);
	ok(v == ST_OK && l.known, "while it stays known for the card");
	signed_cookie("v1", header, sizeof header);
	attempt("10.0.0.6", header, "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "a well-signed v1 cookie (given to cards too) counts for nothing");
	signed_cookie("v2", header, sizeof header);
	attempt("10.0.0.6", header, "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "(where the same, v2, gets through)");
	attempt("10.0.0.1", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "where the password was right before, it works");

	/* While passwords queue, a user's password is checked once per
	 * LIMIT_SPACING_MS, right or wrong, wherever it comes from. */
	now += LIMIT_SPACING_MS;
	crowd();
	attempt("10.0.0.1", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "with the queue crowded, prez logs in where known");
	crowd();
	attempt("10.0.0.3", "", "prez", "faux", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "a second check of prez's password a second later waits");
	ok(last_wait >= 1 && last_wait <= LIMIT_SPACING_MS / 1000, "(told how long: %lld s)",
	    (long long)last_wait);
	crowd();
	attempt("10.0.0.3", "", "prez", "faux", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "so does the next");
	crowd();
	attempt("10.0.0.2", "", "bar", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "another user is not held back by prez's turn");
	db_exec("INSERT INTO users (login, password, droit, created_ms) VALUES ('tiers', ?1, 1, 0)",
	    "s", hash);
	crowd();
	attempt("10.9.9.8", "", "tiers", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "a password from a place its user never logged in is turned away");
	uncrowd();
	attempt("10.9.9.8", "", "tiers", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "and let in once the queue is short");
	uncrowd();
	attempt("10.9.9.7", "", "tiers", "faux", NULL, &v, &l);
	is_int(v, ST_IDENTIFIANTS_INVALIDES, "a stranger's guess at tiers is checked while the queue is short");
	crowd();
	attempt("10.9.9.8", "", "tiers", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "but does not hold tiers back where tiers is known, once it is crowded");
	now += LIMIT_SPACING_MS;
	crowd();
	attempt("10.0.0.3", "", "prez", "faux", NULL, &v, &l);
	is_int(v, ST_IDENTIFIANTS_INVALIDES, "LIMIT_SPACING_MS later, prez's password is checked again");
	uncrowd();
	attempt("10.0.0.3", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "and with no queue, checks follow each other freely");

	/* One wrong password a second for an hour, from one address: the waits
	 * double up to TENP5_LOGIN_DELAY_MAX, and the guesser is checked 16
	 * times (5, then after 2, 4, 8 ... 512 s, then every 900 s); fixed
	 * windows of 5 failures per 5 minutes checked 50, all the day's cap
	 * allows. */
	db_exec("INSERT INTO users (login, password, droit, created_ms) VALUES ('devin', ?1, 1, 0)",
	    "s", hash);
	checked = 0;
	for (int i = 0; i < 3600; i++) {
		attempt("10.0.0.9", "", "devin", "faux", NULL, &v, &l);
		checked += v == ST_IDENTIFIANTS_INVALIDES;
	}
	is_int(checked, 16, "an hour of one guess a second from one address: 16 checked");
	attempt("10.0.0.9", "", "devin", "bon-secret-1", NULL, &v, &l);
	ok(v == ST_TROP_DE_TENTATIVES && last_wait <= cfg.login_delay_max_ms / 1000,
	    "the right password from there waits, at most TENP5_LOGIN_DELAY_MAX (%lld s)",
	    (long long)last_wait);

	/* A check is confirmed inside the write transaction: what changed since
	 * (scrypt ran outside it) makes it a wrong one. */
	db_exec("INSERT INTO users (login, password, card, droit, created_ms)"
	    " VALUES ('chg', ?1, 'CAFE02', 2, 0)", "s", hash);
	login_check("10.0.0.1", "", "chg", "bon-secret-1", NULL, now, &l, &last_wait);
	is_int(l.verdict, ST_OK, "chg's password is right at its check");
	db_exec("UPDATE users SET password = 'changed' WHERE login = 'chg'", "");
	db_begin(true);
	is_int(login_confirm(&l, now), ST_IDENTIFIANTS_INVALIDES,
	    "changed before the transaction, it is refused there as a wrong password");
	db_commit();
	is_int(db_int("SELECT fails FROM limits WHERE kind = 1 AND login = 'chg'", -1), 1,
	    "and stays counted as one");
	login_check("10.0.0.1", "", NULL, NULL, "CAFE02", now, &l, &last_wait);
	db_exec("UPDATE users SET card = 'CAFE03' WHERE login = 'chg'", "");
	db_begin(true);
	is_int(login_confirm(&l, now), ST_CARTE_INCONNUE, "a card moved since its check is unknown");
	db_rollback();
	login_check("10.0.0.1", "", NULL, NULL, "CAFE03", now, &l, &last_wait);
	db_exec("UPDATE users SET droit = 1 WHERE login = 'chg'", "");
	db_begin(true);
	is_int(login_confirm(&l, now), ST_OK, "a card still its user's is confirmed");
	is_int(l.user.droit, 1, "with the user's right as of the transaction");
	db_rollback();
	unitdb_close();
	return done_testing();
}
