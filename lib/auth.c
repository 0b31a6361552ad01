/*
 * Credentials. Session jetons live cfg.session_ttl_ms after their last use,
 * which is recorded only when the stored one is stale by more than
 * cfg.session_touch_ms; API key uses are counted in memory and written in
 * batches. Either way a read request stays a read.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "db_key.h"
#include "db_oauth.h"
#include "field.h"
#include "log.h"
#include "crypto.h"
#include "token.h"

const char *const auth_reason_words[AR__MAX] = {
	[AR_ABSENT]  = "absent",
	[AR_INCONNU] = "inconnu",
	[AR_EXPIRE]  = "expire",
};

void
auth_touch(const struct principal *who, int64_t now)
{
	/* Best effort: a database that cannot be written must still serve
	 * reads (db.c logs the failure). */
	if (who->kind == CRED_SESSION && who->touch_due)
		(void)db_exec("UPDATE sessions SET used_ms = max(used_ms, ?1) WHERE id = ?2", "ii",
		    now, who->cred_id);
	if (who->kind == CRED_HOLDER && who->touch_due)
		(void)db_exec("UPDATE holder_sessions SET used_ms = max(used_ms, ?1) WHERE id = ?2",
		    "ii", now, who->cred_id);
}

/* Pending API key uses of this process, written by auth_flush_usage. */
static struct {
	int64_t id, uses, last_ms;
} usage[64];
static size_t usage_n;
static int64_t usage_flushed_ms;

static void
count_use(int64_t key_id, int64_t now)
{
	size_t i;

	for (i = 0; i < usage_n && usage[i].id != key_id; i++)
		;
	if (i == usage_n) {
		if (usage_n == sizeof usage / sizeof usage[0] && !auth_flush_usage(now, true))
			return; /* the database is failing: this use goes uncounted */
		i = usage_n++;
		usage[i].id = key_id;
		usage[i].uses = 0;
	}
	usage[i].uses++;
	usage[i].last_ms = now;
}

int
auth_flush_usage(int64_t now, bool force)
{
	if (usage_n == 0 || (!force && now - usage_flushed_ms < AUTH_USAGE_LAG_MS))
		return 1;
	if (!db_begin(true))
		return 0;
	for (size_t i = 0; i < usage_n; i++) {
		if (!db_exec("UPDATE api_keys SET uses = uses + ?1,"
		    " last_used_ms = max(coalesce(last_used_ms, 0), ?2) WHERE id = ?3", "iii",
		    usage[i].uses, usage[i].last_ms, usage[i].id)) {
			db_rollback();
			return 0;
		}
	}
	if (!db_commit())
		return 0;
	usage_n = 0;
	usage_flushed_ms = now;
	return 1;
}

/* Each kind of credential is looked up by its secret's digest or by its own
 * row id, and every look-up selects the same columns: (0 cred id, 1 token id,
 * 2 user id, 3 login, 4 effective right, 5 scopes or NULL for all, 6 by card,
 * 7 expiry or NULL for never, 8 hash, 9 last use or NULL, 10 a holder's
 * account or 0). ?1 is the digest or the id; ?2, for sessions and holder
 * sessions only, their lifetime. A holder holds no scope and right 0: the
 * routes of area moi alone take it (request.c). */
#define SESSION_COLUMNS "SELECT s.id, s.id, u.id, u.login, min(u.droit, s.max_droit), NULL," \
	" s.by_card, s.used_ms + ?2, s.hash, s.used_ms, 0 FROM sessions s" \
	" JOIN users u ON u.id = s.user_id AND u.deleted_ms IS NULL WHERE "
#define KEY_COLUMNS "SELECT k.id, k.id, u.id, u.login, min(u.droit, k.droit), k.scopes, 0," \
	" k.expires_ms, k.hash, NULL, 0 FROM api_keys k" \
	" JOIN users u ON u.id = k.user_id AND u.deleted_ms IS NULL WHERE "
#define ACCESS_COLUMNS "SELECT t.app_id, t.id, u.id, u.login, u.droit, t.scopes, 0," \
	" t.expires_ms, t.hash, NULL, 0 FROM oauth_tokens t" \
	" JOIN users u ON u.id = t.user_id AND u.deleted_ms IS NULL" \
	" WHERE t.kind = 1 AND t.revoked_ms IS NULL AND "

#define HOLDER_COLUMNS "SELECT h.id, h.id, 0, '', 0, 0, 0, h.used_ms + ?2, h.hash, h.used_ms," \
	" h.client_id FROM holder_sessions h WHERE "

static const char *const by_hash_sql[CRED__MAX] = {
	[CRED_SESSION] = SESSION_COLUMNS "s.hash = ?1",
	[CRED_KEY]     = KEY_COLUMNS "k.hash = ?1",
	[CRED_OAUTH]   = ACCESS_COLUMNS "t.hash = ?1",
	[CRED_HOLDER]  = HOLDER_COLUMNS "h.hash = ?1",
};
static const char *const by_id_sql[CRED__MAX] = {
	[CRED_SESSION] = SESSION_COLUMNS "s.id = ?1",
	[CRED_KEY]     = KEY_COLUMNS "k.id = ?1",
	[CRED_OAUTH]   = ACCESS_COLUMNS "t.id = ?1",
	[CRED_HOLDER]  = HOLDER_COLUMNS "h.id = ?1",
};

/* Fills *who from a look-up's row (st positioned on it) and judges its expiry. */
static enum status
from_row(sqlite3_stmt *st, enum cred_kind kind, int64_t now, struct principal *who,
    enum auth_reason *why)
{
	bool expired;

	who->kind = kind;
	who->cred_id = sqlite3_column_int64(st, 0);
	who->token_id = sqlite3_column_int64(st, 1);
	who->user_id = sqlite3_column_int64(st, 2);
	snprintf(who->login, sizeof who->login, "%s", (const char *)sqlite3_column_text(st, 3));
	who->droit = sqlite3_column_int(st, 4);
	who->scopes = sqlite3_column_type(st, 5) == SQLITE_NULL ? SCOPE__ALL
	    : (unsigned)sqlite3_column_int(st, 5);
	who->by_card = sqlite3_column_int(st, 6) != 0;
	who->client_id = sqlite3_column_int64(st, 10);
	expired = sqlite3_column_type(st, 7) != SQLITE_NULL && now >= sqlite3_column_int64(st, 7);
	if (expired) {
		*why = AR_EXPIRE;
		return ST_JETON_INVALIDE;
	}
	return ST_OK;
}

/* A session's lifetime past its last recorded use (see config.c). */
static int64_t
session_life(void)
{
	return cfg.session_ttl_ms + cfg.session_touch_ms;
}

/* The lifetime bound as ?2 for a kind of credential. */
static int64_t
life_of(enum cred_kind kind)
{
	return kind == CRED_HOLDER ? HOLDER_SESSION_TTL_MS + cfg.session_touch_ms : session_life();
}

/* Whether a kind of credential is a session: bound to its lifetime, its uses
 * recorded. */
static bool
sessionlike(enum cred_kind kind)
{
	return kind == CRED_SESSION || kind == CRED_HOLDER;
}

/* Looks up the credential of kind whose secret is token. */
static enum status
by_hash(enum cred_kind kind, const char *token, int64_t now, enum auth_use use,
    struct principal *who, enum auth_reason *why)
{
	unsigned char h[SHA256_LEN];
	sqlite3_stmt *st;
	enum status res;
	int64_t used;
	int r;

	token_hash(token, h);
	r = db_row(&st, by_hash_sql[kind], sessionlike(kind) ? "bi" : "b", h, (size_t)SHA256_LEN,
	    life_of(kind));
	if (r == 1 && (sqlite3_column_bytes(st, 8) != SHA256_LEN ||
	    !ct_equal(sqlite3_column_blob(st, 8), h, SHA256_LEN))) {
		sqlite3_reset(st);
		r = 0;
	}
	if (r <= 0) {
		*why = AR_INCONNU;
		return r < 0 ? ST_ERREUR_BDD : ST_JETON_INVALIDE;
	}
	res = from_row(st, kind, now, who, why);
	used = sqlite3_column_int64(st, 9);
	sqlite3_reset(st);
	if (res != ST_OK || use == AUTH_PRECHECK)
		return res;
	if (kind == CRED_KEY)
		count_use(who->cred_id, now);
	if (sessionlike(kind) && now - used > cfg.session_touch_ms) {
		who->touch_due = true;
		if (use == AUTH_WRITE) {
			auth_touch(who, now);
			who->touch_due = false;
		}
	}
	return ST_OK;
}

enum status
auth_recheck(enum cred_kind kind, int64_t token_id, int64_t now, struct principal *who,
    enum auth_reason *why)
{
	sqlite3_stmt *st;
	enum status res;
	int r;

	memset(who, 0, sizeof *who);
	*why = AR_INCONNU;
	if (kind <= CRED_NONE || kind >= CRED__MAX)
		return ST_JETON_INVALIDE;
	r = db_row(&st, by_id_sql[kind], sessionlike(kind) ? "ii" : "i", token_id, life_of(kind));
	if (r <= 0)
		return r < 0 ? ST_ERREUR_BDD : ST_JETON_INVALIDE;
	res = from_row(st, kind, now, who, why);
	sqlite3_reset(st);
	return res;
}

enum status
auth_principal(const struct params *p, const char *authorization, int64_t now,
    enum auth_use use, struct principal *who, enum auth_reason *why)
{
	const struct param *jeton = params_get(p, field_defs[FLD_JETON].wire);
	const struct param *bearer = params_get(p, field_defs[FLD_BEARER_TOKEN].wire);
	const char *secret = NULL;
	int carriers = 0;

	memset(who, 0, sizeof *who);
	*why = AR_INCONNU;
	if (jeton && *jeton->value) {
		secret = jeton->value;
		carriers++;
	}
	if (bearer && *bearer->value) {
		secret = bearer->value;
		carriers++;
	}
	if (*authorization) {
		enum auth_scheme scheme = authorization_parse(authorization, &secret);

		who->via_header = true;
		carriers++;
		if (scheme != AUTH_BEARER && scheme != AUTH_APIKEY)
			return ST_JETON_INVALIDE;
	}
	if (carriers > 1)
		return ST_REQUETE_MALFORME; /* RFC 6750: one way at a time */
	if (!secret) {
		*why = AR_ABSENT;
		return ST_JETON_INVALIDE;
	}
	switch (token_kind(secret)) {
	case TOK_SESSION:
		return by_hash(CRED_SESSION, secret, now, use, who, why);
	case TOK_KEY:
		return by_hash(CRED_KEY, secret, now, use, who, why);
	case TOK_ACCESS:
		return by_hash(CRED_OAUTH, secret, now, use, who, why);
	case TOK_HOLDER:
		return by_hash(CRED_HOLDER, secret, now, use, who, why);
	default:
		return ST_JETON_INVALIDE; /* unknown shape or bad checksum: no lookup */
	}
}

int
auth_session_open(int64_t user_id, int max_droit, bool by_card, int64_t now,
    char token[SESSION_TOKEN_LEN + 1])
{
	unsigned char h[SHA256_LEN];
	char t[TOKEN_MAX];

	if (!token_make(TOK_SESSION, t))
		return 0;
	memcpy(token, t, SESSION_TOKEN_LEN + 1);
	wipe(t, sizeof t);
	token_hash(token, h);
	return db_exec("INSERT INTO sessions (hash, user_id, max_droit, by_card, created_ms, used_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)", "biiii", h, sizeof h, user_id, (int64_t)max_droit,
	    (int64_t)by_card, now);
}


int
auth_holder_open(int64_t client_id, int64_t now, char *token)
{
	unsigned char h[SHA256_LEN];

	if (!token_make(TOK_HOLDER, token))
		return 0;
	token_hash(token, h);
	return db_exec("INSERT INTO holder_sessions (hash, client_id, created_ms, used_ms)"
	    " VALUES (?1, ?2, ?3, ?3)", "bii", h, sizeof h, client_id, now);
}

enum status
auth_logout(const struct params *p, const char *authorization, int64_t now, enum cred_kind kind)
{
	struct principal who;
	enum auth_reason why;
	enum status st = auth_principal(p, authorization, now, AUTH_WRITE, &who, &why);
	int ended;

	assert(kind == CRED_SESSION || kind == CRED_HOLDER);
	if (st == ST_ERREUR_BDD)
		return st;
	if (st != ST_OK || who.kind != kind)
		return ST_OK;
	if (kind == CRED_SESSION)
		ended = db_exec("DELETE FROM sessions WHERE id = ?1", "i", who.cred_id);
	else
		ended = db_exec("DELETE FROM holder_sessions WHERE id = ?1", "i", who.cred_id);
	return ended ? ST_OK : ST_ERREUR_BDD;
}

int
auth_revoke_user(int64_t user_id, int64_t keep, bool keys, int64_t now, struct revoked *out)
{
	memset(out, 0, sizeof *out);
	out->sessions = db_count("SELECT count(*) FROM sessions WHERE user_id = ?1 AND id != ?2"
	    " AND used_ms + ?3 > ?4", "iiii", user_id, keep, session_life(), now);
	if (out->sessions < 0 ||
	    !db_exec("DELETE FROM sessions WHERE user_id = ?1 AND id != ?2", "ii", user_id, keep))
		return 0;
	if (keys && (out->keys = key_delete_user(user_id, now)) < 0)
		return 0;
	return (out->oauth = oauth_revoke_user(user_id, now)) >= 0;
}

void
auth_revoked_reply(json_object *o, const struct revoked *v)
{
	json_object *r = json_object_new_object();

	reply_object(o, K_REVOQUE, r);
	reply_int(r, K_SESSIONS, v->sessions);
	reply_int(r, K_CLES, v->keys);
	reply_int(r, K_OAUTH, v->oauth);
}

int
auth_sessions_purge(int64_t now)
{
	/* Kept a day past expiry so a late caller hears "expire", not "inconnu". */
	return db_exec("DELETE FROM sessions WHERE used_ms < ?1", "i",
	    now - cfg.session_ttl_ms - cfg.session_touch_ms - 86400000) &&
	    db_exec("DELETE FROM holder_sessions WHERE used_ms < ?1", "i",
	    now - HOLDER_SESSION_TTL_MS - cfg.session_touch_ms - 86400000);
}
