/*
 * Session jetons: 30 random [0-9A-Za-z] characters (the Android app checks the
 * length), stored as their SHA-256, valid for cfg.session_ttl_ms after their
 * last use. The last use is recorded only when the stored one is stale by more
 * than cfg.session_touch_ms, so reads stay reads.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "field.h"
#include "sha256.h"
#include "rand.h"

const char *const auth_reason_words[AR__MAX] = {
	[AR_ABSENT]  = "absent",
	[AR_INCONNU] = "inconnu",
	[AR_EXPIRE]  = "expire",
};

static enum status
auth_session(const char *token, int64_t now, struct principal *who, enum auth_reason *why)
{
	unsigned char h[SHA256_LEN];
	sqlite3_stmt *st;
	int64_t used;
	int r;

	if (strlen(token) != SESSION_TOKEN_LEN) {
		*why = AR_INCONNU;
		return ST_JETON_INVALIDE;
	}
	sha256(token, SESSION_TOKEN_LEN, h);
	r = db_row(&st,
	    "SELECT s.id, s.hash, s.used_ms, u.id, u.login, min(u.droit, s.max_droit), s.by_card"
	    " FROM sessions s JOIN users u ON u.id = s.user_id AND u.deleted_ms IS NULL"
	    " WHERE s.hash = ?1", "b", h, sizeof h);
	if (r < 0)
		return ST_ERREUR_BDD;
	if (r == 0 || sqlite3_column_bytes(st, 1) != SHA256_LEN ||
	    !ct_equal(sqlite3_column_blob(st, 1), h, SHA256_LEN)) {
		sqlite3_reset(st);
		*why = AR_INCONNU;
		return ST_JETON_INVALIDE;
	}
	used = sqlite3_column_int64(st, 2);
	who->kind = CRED_SESSION;
	who->cred_id = sqlite3_column_int64(st, 0);
	who->user_id = sqlite3_column_int64(st, 3);
	snprintf(who->login, sizeof who->login, "%s", (const char *)sqlite3_column_text(st, 4));
	who->droit = sqlite3_column_int(st, 5);
	who->by_card = sqlite3_column_int(st, 6) != 0;
	sqlite3_reset(st);
	if (now - used > cfg.session_ttl_ms + cfg.session_touch_ms) {
		*why = AR_EXPIRE;
		return ST_JETON_INVALIDE;
	}
	if (now - used > cfg.session_touch_ms &&
	    !db_exec("UPDATE sessions SET used_ms = max(used_ms, ?1) WHERE id = ?2", "ii",
	    now, who->cred_id))
		return ST_ERREUR_BDD;
	return ST_OK;
}

enum status
auth_principal(const struct params *p, int64_t now, struct principal *who, enum auth_reason *why)
{
	const struct param *jeton = params_get(p, field_defs[FLD_JETON].wire);

	memset(who, 0, sizeof *who);
	if (!jeton || jeton->value[0] == '\0') {
		*why = AR_ABSENT;
		return ST_JETON_INVALIDE;
	}
	return auth_session(jeton->value, now, who, why);
}

int
auth_session_open(int64_t user_id, int max_droit, bool by_card, int64_t now,
    char token[SESSION_TOKEN_LEN + 1])
{
	unsigned char h[SHA256_LEN];

	if (!rand_token(token, SESSION_TOKEN_LEN))
		return 0;
	sha256(token, SESSION_TOKEN_LEN, h);
	return db_exec("INSERT INTO sessions (hash, user_id, max_droit, by_card, created_ms, used_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)", "biiii", h, sizeof h, user_id, (int64_t)max_droit,
	    (int64_t)by_card, now);
}

int
auth_session_close(int64_t session_id)
{
	return db_exec("DELETE FROM sessions WHERE id = ?1", "i", session_id);
}

int
auth_sessions_close_user(int64_t user_id, int64_t keep)
{
	return db_exec("DELETE FROM sessions WHERE user_id = ?1 AND id != ?2", "ii", user_id, keep);
}

int
auth_sessions_purge(int64_t now)
{
	/* Kept a day past expiry so a late caller hears "expire", not "inconnu". */
	return db_exec("DELETE FROM sessions WHERE used_ms < ?1", "i",
	    now - cfg.session_ttl_ms - cfg.session_touch_ms - 86400000);
}
