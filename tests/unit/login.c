/* Unit tests for lib/login.c: the limiter's rules at login (SPEC §5), known
 * addresses, the signed device cookie, cards. */
#include "../tap.h"
#include "login.h"
#include "password.h"
#include "unitdb.h"

static int64_t now = 1700000000000;

/* One attempt from addr with the given Cookie header; the status, and the
 * verdict in *verdict. A success is recorded as utilisateur/connexion would. */
static enum status
attempt(const char *addr, const char *cookies, const char *login, const char *mdp,
    const char *card, enum status *verdict, struct login *l)
{
	int64_t wait = 0;
	enum status st = login_check(addr, cookies, login, mdp, card, now, l, &wait);

	*verdict = st == ST_OK ? l->verdict : st;
	if (st == ST_OK && l->verdict == ST_OK) {
		db_begin(true);
		login_succeeded(l, now);
		db_commit();
	}
	now += 1000;
	return st;
}

int
main(void)
{
	char hash[PASSWORD_HASH_MAX], cookie[LOGIN_COOKIE_MAX], header[200], forged[200];
	struct login l;
	enum status v;
	int locked;

	setenv("TENP5_SCRYPT_N", "1024", 1);
	if (!unitdb_open("unit-login") || !password_hash("bon-secret-1", hash))
		return 2;
	db_exec("INSERT INTO users (login, password, card, droit, created_ms)"
	    " VALUES ('prez', ?1, 'CAFE01', 3, 0), ('bar', ?1, NULL, 2, 0)", "s", hash);

	attempt("10.0.0.1", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "the right password logs in");
	ok(!l.known, "from an address never seen before");
	ok(login_cookie(&l, cookie), "the browser gets a device cookie");
	ok(strncmp(cookie, "v1.1.", 5) == 0 && strlen(cookie) > 60, "signed for user 1: %s", cookie);

	for (int i = 0; i < cfg.login_max_fails; i++)
		attempt("10.0.0.2", "", "prez", "faux", NULL, &v, &l);
	is_int(v, ST_IDENTIFIANTS_INVALIDES, "TENP5_LOGIN_FAILS wrong passwords from 10.0.0.2 are refusals");
	attempt("10.0.0.2", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "then even the right one from there waits");
	attempt("10.0.0.3", "", "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "from another address, the right password still works");
	snprintf(header, sizeof header, "autre=1; %s=%s", LOGIN_COOKIE, cookie);
	attempt("10.0.0.2", header, "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_OK, "and from the locked address, a browser with its device cookie gets through");
	ok(l.known, "as a known browser");
	snprintf(forged, sizeof forged, "%s=%.*sx", LOGIN_COOKIE, (int)strlen(cookie) - 1, cookie);
	attempt("10.0.0.2", forged, "prez", "bon-secret-1", NULL, &v, &l);
	is_int(v, ST_TROP_DE_TENTATIVES, "a cookie with a forged signature counts for nothing");
	snprintf(forged, sizeof forged, "%s=v1.2.%s", LOGIN_COOKIE, cookie + 5);
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
	unitdb_close();
	return done_testing();
}
