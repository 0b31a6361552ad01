/*
 * Credentials: who is calling, with which right. One function turns whatever
 * the request carries into a struct principal; sessions are created and ended
 * here too. Secrets are kept only as SHA-256 digests.
 */
#ifndef TENP5_AUTH_H
#define TENP5_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "reply.h"

#define SESSION_TOKEN_LEN 30

enum cred_kind {
	CRED_NONE,    /* no credential (public endpoints, the admin command) */
	CRED_SESSION, /* a jeton from utilisateur/connexion */
	CRED_KEY,     /* an API key */
	CRED_OAUTH,   /* an OAuth access token */
	CRED__MAX
};

struct principal {
	int64_t user_id;
	char login[32];
	int droit;             /* effective right: the user's, capped by the credential */
	enum cred_kind kind;
	int64_t cred_id;       /* sessions.id, ... */
	bool by_card;          /* a session opened with a card, not a password */
};

/* Why a credential was refused: the `raison` of jeton_invalide. */
enum auth_reason {
	AR_ABSENT,
	AR_INCONNU,
	AR_EXPIRE,
	AR__MAX
};
extern const char *const auth_reason_words[AR__MAX];

/* Resolves the request's credential into *who. Returns ST_OK, or
 * ST_JETON_INVALIDE with *why set, or ST_ERREUR_BDD. Runs outside any
 * transaction; at most a throttled last-use update is written. */
enum status auth_principal(const struct params *p, int64_t now, struct principal *who,
    enum auth_reason *why);

/* Opens a session for user_id whose right is capped at max_droit (by_card: it
 * was opened with a card); writes the 30-character token to token (31 bytes).
 * Returns 1, or 0 on failure (logged). */
int auth_session_open(int64_t user_id, int max_droit, bool by_card, int64_t now,
    char token[SESSION_TOKEN_LEN + 1]);

/* Ends one session. Returns 1, or 0 on failure. */
int auth_session_close(int64_t session_id);

/* Ends every session of user_id except `keep` (0 keeps none). Returns 1 or 0. */
int auth_sessions_close_user(int64_t user_id, int64_t keep);

/* Deletes sessions that expired long ago. Returns 1 or 0. */
int auth_sessions_purge(int64_t now);

#endif
