/*
 * Logging in, shared by utilisateur/connexion and the OAuth login page: the
 * limiter's rules (doc/api.md#logins) and the password (scrypt) or card check,
 * run outside any transaction so that scrypt never holds the write lock; then,
 * inside the request's transaction, the check confirmed against the stored
 * account and what a success changes.
 *
 * A browser where a password was right keeps a signed device cookie
 * (10p5_appareil); an address or browser where the user logged in before (with
 * the password, for a password) is not locked by guesses made elsewhere, and
 * guesses made from one address never lock another user.
 */
#ifndef TENP5_LOGIN_H
#define TENP5_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

#include "db_user.h"
#include "limit.h"
#include "password.h"
#include "reply.h"

#define LOGIN_COOKIE "10p5_appareil"
#define HOLDER_COOKIE "10p5_titulaire" /* a card holder's browser (area moi) */
#define LOGIN_COOKIE_MAX 128

struct login {
	enum status verdict;   /* ST_OK, ST_IDENTIFIANTS_INVALIDES or ST_CARTE_INCONNUE */
	struct user user;      /* the account, when found */
	bool found;
	int max_droit;         /* the cap of a session opened this way */
	bool by_card;
	bool known;            /* from an address or browser where the user logged in */
	int64_t holder;        /* a card holder's login: the account; 0 for staff */
	struct limit_key local, global;  /* the keys the attempt was counted against */
	char login[48], addr[64], device[48], local_addr[64];
	char rehash[PASSWORD_HASH_MAX];   /* a bcrypt match: its scrypt replacement; "" if none */
	char checked[PASSWORD_HASH_MAX];  /* the stored hash a right password matched */
};

/* Counts the attempt against its keys first, in a short transaction of its
 * own, so that concurrent guesses cannot all slip under the limit; then checks
 * the password (card == NULL) or the card. A password that matches a bcrypt
 * hash kept from the PHP version is hashed again with scrypt here, into
 * l->rehash. `cookies` is the request's Cookie
 * header ("" if none). Returns ST_OK with l->verdict set, ST_TROP_DE_TENTATIVES
 * with *wait in seconds, ST_ERREUR_BDD or ST_ERREUR_GENERIQUE. */
enum status login_check(const char *addr, const char *cookies, const char *login,
    const char *mdp, const char *card, int64_t now, struct login *l, int64_t *wait);

/* After a successful check, inside the caller's write transaction: confirms
 * that the account still holds what was checked (the hash the password
 * matched, or the card), since a password or card may have changed since the
 * check; then takes the counted attempt back, remembers the address, and
 * stores l->rehash in place of the bcrypt hash. l->user is read again (its
 * right as of now). Returns ST_OK; the wrong password's or unknown card's
 * status when the account changed (nothing is written: the attempt stays
 * counted as a failure, as for a wrong password); or ST_ERREUR_BDD. */
enum status login_confirm(struct login *l, int64_t now);

/* A card holder's login (area moi), under the same limiter as a password's
 * (doc/api.md, card holders): the card's holder code tried from this address,
 * or from this browser when it shows the holder's device cookie (HOLDER_COOKIE,
 * which then also spares it the card's daily cap), and the card from
 * everywhere over a day. code is the bare code (holder.h). Returns as
 * login_check; the verdict is ST_OK or ST_IDENTIFIANTS_INVALIDES (an unknown
 * card, or one without a code, included). */
enum status login_holder_check(const char *addr, const char *cookies, const char *card,
    const char *code, int64_t now, struct login *l, int64_t *wait);

/* After a holder's successful check, inside the caller's write transaction:
 * confirms that the card still holds the code checked, then takes the counted
 * attempt back. Returns ST_OK, ST_IDENTIFIANTS_INVALIDES or ST_ERREUR_BDD. */
enum status login_holder_confirm(struct login *l);

/* The value of the device cookie to set after a password's success (the
 * browser's own device id, or a new one), signed for l's user (or l's
 * holder), into out (LOGIN_COOKIE_MAX bytes). Returns 1, or 0 if the key could
 * not be read. */
int login_cookie(const struct login *l, char out[LOGIN_COOKIE_MAX]);

#endif
