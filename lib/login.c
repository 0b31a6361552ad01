/*
 * The login check. A failure needs no further write: it was counted before
 * the check. A success clears the login's (or card's) counter and takes back
 * the one attempt counted against the address.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "login.h"
#include "password.h"
#include "sha256.h"

static enum status
admit(struct login *l, int64_t now, int64_t *wait)
{
	int64_t w_id, w_addr;

	if (!db_begin(true))
		return ST_ERREUR_BDD;
	w_id = limit_wait(l->kind, l->who, now);
	w_addr = limit_wait(LIMIT_ADDR, l->addr, now);
	if (w_id != 0 || w_addr != 0) {
		db_rollback();
		if (w_id < 0 || w_addr < 0)
			return ST_ERREUR_BDD;
		*wait = w_id > w_addr ? w_id : w_addr;
		return ST_TROP_DE_TENTATIVES;
	}
	if (!limit_fail(l->kind, l->who, now) || !limit_fail(LIMIT_ADDR, l->addr, now) ||
	    !db_commit()) {
		db_rollback();
		return ST_ERREUR_BDD;
	}
	return ST_OK;
}

enum status
login_check(const char *addr, const char *login, const char *mdp, const char *card, int64_t now,
    struct login *l, int64_t *wait)
{
	enum status st;
	int found;

	memset(l, 0, sizeof *l);
	l->by_card = card != NULL;
	l->kind = card ? LIMIT_CARD : LIMIT_LOGIN;
	snprintf(l->who, sizeof l->who, "%s", card ? card : login);
	snprintf(l->addr, sizeof l->addr, "%s", addr);
	if ((st = admit(l, now, wait)) != ST_OK)
		return st;
	if (card) {
		if ((found = user_by_card(card, &l->user)) < 0)
			return ST_ERREUR_BDD;
		l->verdict = found ? ST_OK : ST_CARTE_INCONNUE;
		l->max_droit = cfg.card_right;
	} else {
		if ((found = user_by_login(login, &l->user)) < 0)
			return ST_ERREUR_BDD;
		if (!found) {
			password_waste(mdp);
			l->verdict = ST_IDENTIFIANTS_INVALIDES;
		} else {
			switch (password_check(l->user.password, mdp)) {
			case 1:
				l->verdict = ST_OK;
				if (password_kind(l->user.password) != PW_BCRYPT)
					break;
				if (!password_hash(mdp, l->rehash)) {
					wipe(l->user.password, sizeof l->user.password);
					return ST_ERREUR_GENERIQUE;
				}
				memcpy(l->replaced, l->user.password, sizeof l->replaced);
				break;
			case 0:
				l->verdict = ST_IDENTIFIANTS_INVALIDES;
				break;
			default:
				return ST_ERREUR_GENERIQUE;
			}
		}
		l->max_droit = 3;
	}
	wipe(l->user.password, sizeof l->user.password);
	return ST_OK;
}

/* Replaces the bcrypt hash the check matched, if it is still the stored one:
 * a president may have set a new password meanwhile. */
static int
rehash(const struct login *l)
{
	struct user u;
	int found = user_by_id(l->user.id, &u), ok;

	if (found < 0)
		return 0;
	ok = !found || strcmp(u.password, l->replaced) != 0 ||
	    user_set_password(u.id, l->rehash);
	wipe(u.password, sizeof u.password);
	return ok;
}

int
login_succeeded(const struct login *l)
{
	return limit_clear(l->kind, l->who) && limit_undo(LIMIT_ADDR, l->addr) &&
	    (!l->rehash[0] || rehash(l));
}
