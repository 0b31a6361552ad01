/* Unit tests for lib/auth.c: sessions and their lifetime, and the log-out. */
#include "../tap.h"
#include "auth.h"
#include "token.h"
#include "unitdb.h"

static struct params p;

static enum status
with_jeton(const char *jeton, int64_t now, struct principal *who, enum auth_reason *why)
{
	char body[128];

	snprintf(body, sizeof body, "jeton=%s", jeton);
	form_parse(&p, body, strlen(body), &(const char *){ NULL });
	return auth_principal(&p, "", now, AUTH_WRITE, who, why);
}

static enum status
logout(const char *jeton, int64_t now, enum cred_kind kind)
{
	char body[128];

	snprintf(body, sizeof body, "jeton=%s", jeton);
	form_parse(&p, body, strlen(body), &(const char *){ NULL });
	return auth_logout(&p, "", now, kind);
}

/* Ten times the staff sessions, plus the holder sessions. */
static int64_t
sessions(void)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (db_row(&st, "SELECT (SELECT count(*) FROM sessions) * 10 +"
	    " (SELECT count(*) FROM holder_sessions)", "") == 1) {
		v = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return v;
}

static int64_t
used_ms(void)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (db_row(&st, "SELECT used_ms FROM sessions", "") == 1) {
		v = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return v;
}

int
main(void)
{
	char token[SESSION_TOKEN_LEN + 1], holder[TOKEN_MAX];
	struct principal who;
	enum auth_reason why;
	int64_t t0 = 1700000000000, ttl, touch;
	sqlite3_stmt *st;
	unsigned char h[SHA256_LEN];

	if (!unitdb_open("unit-auth"))
		return 2;
	ttl = cfg.session_ttl_ms;
	touch = cfg.session_touch_ms;
	db_exec("INSERT INTO users (login, password, droit, created_ms) VALUES ('prez', 'x', 3, 0)", "");

	form_parse(&p, (char[]){ "" }, 0, &(const char *){ NULL });
	is_int(auth_principal(&p, "", t0, AUTH_WRITE, &who, &why), ST_JETON_INVALIDE, "no jeton is refused");
	is_int(why, AR_ABSENT, "as absent");
	ok(auth_session_open(1, 2, true, t0, token), "a session opens");
	is_int(strlen(token), 30, "its jeton has 30 characters");
	sha256(token, 30, h);
	ok(db_row(&st, "SELECT count(*) FROM sessions WHERE hash = ?1", "b", h, sizeof h) == 1 &&
	    sqlite3_column_int(st, 0) == 1, "only its SHA-256 is stored");
	sqlite3_reset(st);
	is_int(with_jeton(token, t0 + 1000, &who, &why), ST_OK, "the jeton is accepted");
	is_str(who.login, "prez", "as its user");
	is_int(who.droit, 2, "capped at the session's right");
	is_int(who.kind, CRED_SESSION, "as a session");
	ok(who.by_card, "opened with a card");
	is_int(used_ms(), t0, "a use within the touch interval writes nothing");
	is_int(with_jeton(token, t0 + touch + 1, &who, &why), ST_OK, "a later use is accepted");
	is_int(used_ms(), t0 + touch + 1, "and recorded");
	is_int(with_jeton(token, t0 + touch + 1 + ttl, &who, &why), ST_OK,
	    "the session lives its full TTL after its last recorded use");
	is_int(with_jeton(token, t0 + touch + 1 + ttl + touch + ttl + touch + 1, &who, &why),
	    ST_JETON_INVALIDE, "after TTL (and the recording lag) it is refused");
	is_int(why, AR_EXPIRE, "as expired");
	token[0] = token[0] == 'a' ? 'b' : 'a';
	is_int(with_jeton(token, t0, &who, &why), ST_JETON_INVALIDE, "a changed jeton is refused");
	is_int(why, AR_INCONNU, "as unknown");
	is_int(with_jeton("short", t0, &who, &why), ST_JETON_INVALIDE, "a short jeton is refused");
	ok(auth_session_open(1, 3, false, t0, token), "another session");
	db_exec("INSERT INTO clients (card, balance, created_ms) VALUES ('ABCD', 0, 0)", "");
	ok(auth_holder_open(1, t0, holder), "and a card holder's session");
	is_int(logout(token, t0, CRED_HOLDER), ST_OK, "a holder log-out with a staff jeton answers ok");
	is_int(sessions(), 21, "and ends nothing");
	is_int(logout(holder, t0, CRED_SESSION), ST_OK, "a staff log-out with a holder jeton answers ok");
	is_int(sessions(), 21, "and ends nothing");
	is_int(logout("", t0, CRED_SESSION), ST_OK, "a log-out with no jeton answers ok");
	is_int(logout(holder, t0, CRED_HOLDER), ST_OK, "a holder log-out answers ok");
	is_int(sessions(), 20, "and ends the holder's session only");
	is_int(logout(holder, t0, CRED_HOLDER), ST_OK, "twice, ok again");
	is_int(logout(token, t0, CRED_SESSION), ST_OK, "a staff log-out answers ok");
	is_int(sessions(), 10, "and ends that session only");
	ok(auth_session_open(1, 3, false, t0, token), "a session again");
	db_exec("UPDATE users SET droit = 1", "");
	is_int(with_jeton(token, t0, &who, &why), ST_OK, "still valid after a demotion");
	is_int(who.droit, 1, "but with the user's current right");
	db_exec("UPDATE users SET deleted_ms = 1", "");
	is_int(with_jeton(token, t0, &who, &why), ST_JETON_INVALIDE, "a deleted user's session is dead");
	ok(auth_sessions_purge(t0 + 10 * 86400000LL), "old sessions are purged");
	is_int(used_ms(), -1, "all of them");

	unitdb_close();
	return done_testing();
}
