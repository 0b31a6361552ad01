/*
 * Logging in, shared by utilisateur/connexion and the OAuth login page: the
 * failed-login limiter and the password (scrypt) or card check, run outside
 * any transaction so that scrypt never holds the write lock. A bcrypt hash
 * kept from the PHP version is replaced by scrypt at its first good login.
 */
#ifndef TENP5_LOGIN_H
#define TENP5_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

#include "db_user.h"
#include "limit.h"
#include "reply.h"

struct login {
	enum status verdict;   /* ST_OK, ST_IDENTIFIANTS_INVALIDES or ST_CARTE_INCONNUE */
	struct user user;      /* the account, when the verdict is ST_OK */
	int max_droit;         /* the cap of a session opened this way */
	bool by_card;
	enum limit_kind kind;  /* the limiter's key for this attempt */
	char who[64];
	char addr[64];
	char rehash[PASSWORD_HASH_MAX];   /* a bcrypt match: its scrypt replacement; "" if none */
	char replaced[PASSWORD_HASH_MAX]; /* the bcrypt hash that rehash replaces */
};

/* Counts the attempt against the login (or card) and the address first, in a
 * short transaction of its own, so concurrent guesses cannot all slip under
 * the limit; then checks the password (card == NULL) or the card. A password
 * that matches a bcrypt hash is hashed again with scrypt here, into
 * l->rehash. Returns ST_OK with l->verdict set, ST_TROP_DE_TENTATIVES with
 * *wait in seconds, ST_ERREUR_BDD or ST_ERREUR_GENERIQUE. */
enum status login_check(const char *addr, const char *login, const char *mdp, const char *card,
    int64_t now, struct login *l, int64_t *wait);

/* After a successful check, inside the caller's write transaction: takes the
 * counted attempt back, and stores l->rehash in place of the bcrypt hash
 * (unless the password was changed since the check). Returns 1, or 0 on
 * error. */
int login_succeeded(const struct login *l);

#endif
