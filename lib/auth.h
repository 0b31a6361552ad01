/*
 * Credentials: who is calling, with which right and scopes. One function turns
 * whatever the request carries (the jeton or bearer_token parameter, or an
 * Authorization header) into a struct principal, whatever the secret is: a
 * session jeton, an API key or an OAuth access token, told apart by their
 * shape. Secrets are kept only as SHA-256 digests.
 */
#ifndef TENP5_AUTH_H
#define TENP5_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "reply.h"
#include "scope.h"

#define SESSION_TOKEN_LEN 30

/* Rights (the wire's droit). */
enum right {
	RIGHT_HONEYPOT,   /* 0: can log in, nothing else */
	RIGHT_BDE,        /* 1: opens client accounts, looks cards up */
	RIGHT_BAR,        /* 2: the till: everything but users and overdrafts */
	RIGHT_PRESIDENT,  /* 3: everything */
	RIGHT__MAX
};

enum cred_kind {
	CRED_NONE,    /* no credential (public endpoints, the admin command) */
	CRED_SESSION, /* a jeton from utilisateur/connexion */
	CRED_KEY,     /* an API key */
	CRED_OAUTH,   /* an OAuth access token */
	CRED_HOLDER,  /* a card holder's session (area moi): that card's own routes only */
	CRED__MAX
};

struct principal {
	int64_t user_id;        /* 0 for a holder */
	int64_t client_id;      /* a holder's account; 0 for staff */
	char login[32];
	int droit;             /* effective right: the user's, capped by the credential */
	unsigned scopes;       /* enum scope bits */
	enum cred_kind kind;
	int64_t cred_id;       /* sessions.id, api_keys.id, or apps.id for OAuth */
	int64_t token_id;      /* the credential's own row: cred_id, or oauth_tokens.id */
	bool by_card;          /* a session opened with a card, not a password */
	bool via_header;       /* the credential came in the Authorization header */
	bool touch_due;        /* a session whose use is yet to be recorded (auth_touch) */
};

/* Why a credential was refused: the `raison` of jeton_invalide. */
enum auth_reason {
	AR_ABSENT,
	AR_INCONNU,
	AR_EXPIRE,
	AR__MAX
};
extern const char *const auth_reason_words[AR__MAX];

/* How a credential is being resolved. */
enum auth_use {
	AUTH_PRECHECK, /* before the transaction, to refuse early: records no use */
	AUTH_READ,     /* in a read transaction: a session's use is left to auth_touch */
	AUTH_WRITE,    /* in a write transaction: a session's use is recorded in it */
};

/* Resolves the request's credential into *who. `authorization` is the
 * Authorization header ("" when absent). Returns ST_OK; ST_JETON_INVALIDE
 * with *why set; ST_REQUETE_MALFORME when more than one carrier is used; or
 * ST_ERREUR_BDD. who->via_header is set as soon as a header was given, even
 * on failure. Called inside the request's transaction, so that what it finds
 * (a right, a revoked key) holds until the commit. A session's last use is
 * recorded at most every cfg.session_touch_ms; an API key's use is counted
 * (see auth_flush_usage) unless `use` is AUTH_PRECHECK. */
enum status auth_principal(const struct params *p, const char *authorization, int64_t now,
    enum auth_use use, struct principal *who, enum auth_reason *why);

/* Records the use of who's session (best effort, outside any transaction). */
void auth_touch(const struct principal *who, int64_t now);

/* Resolves again the credential kind/token_id (a principal's) into *who, with
 * the user's current right, for those who hold it over time (a live feed, a
 * ticket): as auth_principal answers for its secret, use counted nowhere. A
 * credential's id is never given to another (schema/009), so kind/token_id
 * names that credential for good: once it has ended, it stays unknown. */
enum status auth_recheck(enum cred_kind kind, int64_t token_id, int64_t now,
    struct principal *who, enum auth_reason *why);


/* Opens a session for user_id whose right is capped at max_droit (by_card: it
 * was opened with a card); writes the 30-character token to token (31 bytes).
 * Returns 1, or 0 on failure (logged). */
int auth_session_open(int64_t user_id, int max_droit, bool by_card, int64_t now,
    char token[SESSION_TOKEN_LEN + 1]);

/* A holder session lives this long after its last use. */
#define HOLDER_SESSION_TTL_MS (15 * 60 * 1000)

/* Opens a holder session for account client_id; writes its token to token
 * (TOKEN_MAX bytes). Returns 1, or 0 on failure (logged). */
int auth_holder_open(int64_t client_id, int64_t now, char *token);

/* The log-out of an area whose sessions are of `kind` (CRED_SESSION:
 * utilisateur/deconnexion; CRED_HOLDER: moi/deconnexion): ends the caller's
 * credential when it is one of those. Idempotent: a credential that is absent,
 * unknown, expired or of another kind is as ended as can be, and a screen
 * whose session lapsed must always be able to reset itself, so all of them
 * answer ST_OK. Returns ST_OK, or ST_ERREUR_BDD. Called inside the request's
 * write transaction. */
enum status auth_logout(const struct params *p, const char *authorization, int64_t now,
    enum cred_kind kind);

/* What a password change ended: how many of the user's credentials of each
 * kind still worked (expired ones go too, uncounted). */
struct revoked {
	int64_t sessions;
	int64_t keys;
	int64_t oauth;    /* OAuth grants: an app's tokens from one consent, or a
	                     code not yet exchanged */
};

/* Closes the doors a stolen password may have opened for user_id, in the
 * caller's write transaction: every session but `keep` (0 keeps none), every
 * OAuth grant (tokens revoked, codes spent) and, with keys, every API key.
 * Fills *out. Returns 1, or 0 on error. */
int auth_revoke_user(int64_t user_id, int64_t keep, bool keys, int64_t now, struct revoked *out);

/* Adds *v to o as "revoque": {sessions, cles, oauth}, as answers and the
 * journal say it. */
void auth_revoked_reply(json_object *o, const struct revoked *v);

/* Deletes sessions that expired long ago. Returns 1 or 0. */
int auth_sessions_purge(int64_t now);

/* API key uses are counted in memory and written in one transaction every
 * AUTH_USAGE_LAG_MS at most (and at exit with force): reads stay reads.
 * Returns 1, or 0 on a database error (the counts are kept for the next try). */
#define AUTH_USAGE_LAG_MS 2000
int auth_flush_usage(int64_t now, bool force);

#endif
