/*
 * Area "utilisateur": staff accounts. Logging in (password or card), logging
 * out, and the president's administration of accounts, passwords, cards and
 * rights. Password hashing (scrypt, tens of milliseconds) always happens in a
 * prepare step, before the transaction, so it never holds the write lock.
 */
#include <string.h>

#include "config.h"
#include "db.h"
#include "db_ledger.h"
#include "limit.h"
#include "db_user.h"
#include "login.h"
#include "password.h"
#include "server.h"
#include "crypto.h"

/* What the prepare steps hand to the handlers, in r->ctx. */
struct ctx {
	struct login login;             /* connexion: the verdict */
	char hash[PASSWORD_HASH_MAX];   /* mdp, ajouter: the new password's hash */
};

static struct ctx *
ctx_of(struct req *r)
{
	return r->ctx;
}

/* Counts and checks the attempt, outside any transaction. Statuses: ok (the
 * handler then acts on the verdict), requete_malforme, trop_de_tentatives
 * (+attente), erreur_bdd. */
static enum status
p_connexion(struct req *r, json_object *out)
{
	const struct value *login = &r->v[FLD_LOGIN], *mdp = &r->v[FLD_MDP];
	const struct value *card = &r->v[FLD_ID_CARTE];
	int64_t wait = 0;
	enum status st;

	if (card->set && (login->set || mdp->set))
		return req_malformed(r, FLD_ID_CARTE);
	if (!card->set && !login->set)
		return req_malformed(r, FLD_LOGIN);
	if (!card->set && !mdp->set)
		return req_malformed(r, FLD_MDP);
	st = login_check(r->remote_addr, req_env(r, "HTTP_COOKIE"), login->s, mdp->s,
	    card->set ? card->s : NULL, r->now, &ctx_of(r)->login, &wait);
	if (st == ST_TROP_DE_TENTATIVES)
		reply_int(out, K_ATTENTE, wait);
	return st;
}

/* Acts on the verdict: a failure stays counted; a success, once confirmed
 * (the password or card checked is still the account's), opens a session
 * and, after a password, gives the browser its signed device cookie.
 * Statuses: identifiants_invalides, carte_inconnue, erreur_bdd. */
static enum status
h_connexion(struct req *r, json_object *out)
{
	struct login *l = &ctx_of(r)->login;
	char token[SESSION_TOKEN_LEN + 1], cookie[LOGIN_COOKIE_MAX];
	enum status st;

	if (l->verdict != ST_OK)
		return l->verdict;
	if ((st = login_confirm(l, r->now)) != ST_OK)
		return st;
	if ((!l->by_card && !login_cookie(l, cookie)) ||
	    !auth_session_open(l->user.id, l->max_droit, l->by_card, r->now, token))
		return ST_ERREUR_BDD;
	if (!l->by_card)
		req_device_cookie(r, LOGIN_COOKIE, cookie);
	reply_str(out, K_JETON, token);
	reply_str(out, K_LOGIN, l->user.login);
	reply_int(out, K_DROIT, l->user.droit < l->max_droit ? l->user.droit : l->max_droit);
	wipe(token, sizeof token);
	return ST_OK;
}

/* Ends the caller's session. Idempotent: a session that is absent, unknown or
 * expired is as ended as can be, and a client whose session lapsed must always
 * be able to reset its screen. Statuses: erreur_bdd. */
static enum status
h_deconnexion(struct req *r, json_object *out)
{
	(void)out;
	return auth_logout(&r->params, r->authorization, r->now, CRED_SESSION);
}

/* Hashes the new password before the transaction. Statuses: mdp_trop_court,
 * erreur_generique. */
static enum status
p_hash(struct req *r, json_object *out)
{
	(void)out;
	if (utf8_length(r->v[FLD_MDP].s) < (size_t)cfg.pwd_min)
		return ST_MDP_TROP_COURT;
	if (!password_hash(r->v[FLD_MDP].s, ctx_of(r)->hash))
		return ST_ERREUR_GENERIQUE;
	return ST_OK;
}

/* Looks up the target of an "if other" endpoint and checks the right. */
static enum status
target(struct req *r, struct user *u)
{
	int found = user_by_login(r->v[FLD_LOGIN].s, u);

	if (found < 0)
		return ST_ERREUR_BDD;
	if (!found)
		return r->who.droit >= RIGHT_PRESIDENT ? ST_UTILISATEUR_INCONNU : ST_DROITS_INSUFFISANTS;
	return req_require_self(r, u->id, RIGHT_PRESIDENT);
}

static json_object *
detail_login(const char *login)
{
	json_object *d = json_object_new_object();

	reply_str(d, K_LOGIN, login);
	return d;
}

/* Sets a password and closes the doors the old one may have opened to a
 * thief: a president's reset of someone else's ends all their sessions, API
 * keys and OAuth grants; one's own change ends one's other sessions and one's
 * OAuth grants (one's keys stay: one made them). The answer and the journal
 * say how many of each still worked. Only a password session may (R_SESSION):
 * a card proves who holds it, not who they are, and a key or a token must not
 * turn into a password. Statuses: utilisateur_inconnu, droits_insuffisants,
 * erreur_bdd. */
static enum status
h_mdp(struct req *r, json_object *out)
{
	struct revoked gone;
	struct user u;
	enum status st;
	json_object *d;
	bool own;

	if ((st = target(r, &u)) != ST_OK)
		return st;
	own = u.id == r->who.user_id;
	if (!user_set_password(u.id, ctx_of(r)->hash) ||
	    !auth_revoke_user(u.id, own ? r->who.cred_id : 0, !own, r->now, &gone))
		return ST_ERREUR_BDD;
	d = detail_login(u.login);
	auth_revoked_reply(d, &gone);
	if (!req_journal(r, EV_UTILISATEUR, 0, d))
		return ST_ERREUR_BDD;
	auth_revoked_reply(out, &gone);
	return ST_OK;
}

/* Sets a user's card, for a password session only (R_SESSION: a key or a
 * token must not bind a card, which opens sessions). Statuses: utilisateur_inconnu, droits_insuffisants,
 * carte_utilisee, erreur_bdd. */
static enum status
h_carte(struct req *r, json_object *out)
{
	struct user u, holder;
	enum status st;
	int found;

	(void)out;
	if ((st = target(r, &u)) != ST_OK)
		return st;
	if ((found = user_by_card(r->v[FLD_ID_CARTE].s, &holder)) < 0)
		return ST_ERREUR_BDD;
	if (found && holder.id != u.id)
		return ST_CARTE_UTILISEE;
	if (!user_set_card(u.id, r->v[FLD_ID_CARTE].s) ||
	    !req_journal(r, EV_UTILISATEUR, 0, detail_login(u.login)))
		return ST_ERREUR_BDD;
	return ST_OK;
}

/* Lists the staff. Statuses: erreur_bdd. */
static enum status
h_liste(struct req *r, json_object *out)
{
	sqlite3_stmt *st = user_list();

	(void)out;
	if (!st)
		return ST_ERREUR_BDD;
	req_stream(r, K_UTILISATEURS, st, user_row_json, 0);
	return ST_OK;
}

/* A user's account and the transactions they made. Statuses:
 * utilisateur_inconnu, droits_insuffisants, erreur_bdd. */
static enum status
h_fiche(struct req *r, json_object *out)
{
	struct user u;
	enum status st;
	struct ledger_page pg = ledger_page(r->v);
	sqlite3_stmt *list;

	if ((st = target(r, &u)) != ST_OK)
		return st;
	reply_str(out, K_LOGIN, u.login);
	reply_int(out, K_DROIT, u.droit);
	reply_str(out, K_ID_CARTE, u.card[0] ? u.card : NULL);
	list = ledger_list(0, u.id, NULL, &pg);
	if (!list)
		return ST_ERREUR_BDD;
	req_stream(r, K_TRANSACTIONS, list, ledger_row_json, r->v[FLD_LIMITE].i);
	return ST_OK;
}

/* Creates an account. Statuses: utilisateur_existant, carte_utilisee,
 * mdp_trop_court (prepare), erreur_bdd. */
static enum status
h_ajouter(struct req *r, json_object *out)
{
	const char *card = r->v[FLD_ID_CARTE].set ? r->v[FLD_ID_CARTE].s : NULL;
	struct user u;
	int64_t id;
	int found;
	json_object *d;

	(void)out;
	if ((found = user_by_login(r->v[FLD_LOGIN].s, &u)) < 0)
		return ST_ERREUR_BDD;
	if (found)
		return ST_UTILISATEUR_EXISTANT;
	if (card && (found = user_by_card(card, &u)) != 0)
		return found < 0 ? ST_ERREUR_BDD : ST_CARTE_UTILISEE;
	if (!user_insert(r->v[FLD_LOGIN].s, ctx_of(r)->hash, card, (int)r->v[FLD_DROIT].i, r->now,
	    &id))
		return ST_ERREUR_BDD;
	d = detail_login(r->v[FLD_LOGIN].s);
	reply_int(d, K_DROIT, r->v[FLD_DROIT].i);
	return req_journal(r, EV_UTILISATEUR, 0, d) ? ST_OK : ST_ERREUR_BDD;
}

/* The last president can be neither demoted nor deleted. */
static enum status
keep_a_president(const struct user *u)
{
	int64_t n;

	if (u->droit < RIGHT_PRESIDENT)
		return ST_OK;
	if ((n = user_count_presidents()) < 0)
		return ST_ERREUR_BDD;
	return n > 1 ? ST_OK : ST_DERNIER_PRESIDENT;
}

/* Sets a user's right. Statuses: utilisateur_inconnu, dernier_president,
 * erreur_bdd. */
static enum status
h_droit(struct req *r, json_object *out)
{
	struct user u;
	int found;
	enum status st;
	json_object *d;

	(void)out;
	if ((found = user_by_login(r->v[FLD_LOGIN].s, &u)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : ST_UTILISATEUR_INCONNU;
	if (r->v[FLD_DROIT].i < RIGHT_PRESIDENT && (st = keep_a_president(&u)) != ST_OK)
		return st;
	if (!user_set_droit(u.id, (int)r->v[FLD_DROIT].i))
		return ST_ERREUR_BDD;
	d = detail_login(u.login);
	reply_int(d, K_DROIT, r->v[FLD_DROIT].i);
	return req_journal(r, EV_UTILISATEUR, 0, d) ? ST_OK : ST_ERREUR_BDD;
}

/* Deletes an account (its history stays). Statuses: utilisateur_inconnu,
 * dernier_president, erreur_bdd. */
static enum status
h_supprimer(struct req *r, json_object *out)
{
	struct user u;
	int found;
	enum status st;

	(void)out;
	if ((found = user_by_login(r->v[FLD_LOGIN].s, &u)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : ST_UTILISATEUR_INCONNU;
	if ((st = keep_a_president(&u)) != ST_OK)
		return st;
	if (!user_delete(u.id, r->now) ||
	    !req_journal(r, EV_UTILISATEUR, 0, detail_login(u.login)))
		return ST_ERREUR_BDD;
	return ST_OK;
}

/* Current lock-outs of the login limiter, oldest first. Statuses: erreur_bdd. */
static enum status
h_verrous(struct req *r, json_object *out)
{
	sqlite3_stmt *st = limit_locks(r->now);
	json_object *list;
	int rc;

	if (!st)
		return ST_ERREUR_BDD;
	list = reply_array(out, K_VERROUS);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list);
		const char *login = (const char *)sqlite3_column_text(st, 2);
		const char *addr = (const char *)sqlite3_column_text(st, 3);
		int kind = sqlite3_column_int(st, 1);

		reply_int(e, K_ID, sqlite3_column_int64(st, 0));
		reply_str(e, K_TYPE, kind > 0 && kind < LIMIT__MAX ? limit_kind_words[kind] : NULL);
		reply_str(e, K_LOGIN, *login ? login : NULL);
		reply_str(e, K_ADRESSE, *addr ? addr : NULL);
		reply_int(e, K_ECHECS, sqlite3_column_int64(st, 4));
		reply_int(e, K_JUSQUA, sqlite3_column_int64(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? ST_OK : ST_ERREUR_BDD;
}

/* Lifts a lock-out; journaled. Statuses: verrou_inconnu (none such now),
 * erreur_bdd. */
static enum status
h_deverrouiller(struct req *r, json_object *out)
{
	struct limit_lock lk;
	int found = limit_lift(r->v[FLD_ID].i, r->now, &lk);
	json_object *d;

	(void)out;
	if (found <= 0)
		return found < 0 ? ST_ERREUR_BDD : ST_VERROU_INCONNU;
	d = json_object_new_object();
	reply_int(d, K_ID, r->v[FLD_ID].i);
	reply_str(d, K_TYPE, limit_kind_words[lk.kind]);
	reply_str(d, K_LOGIN, lk.login[0] ? lk.login : NULL);
	reply_str(d, K_ADRESSE, lk.addr[0] ? lk.addr : NULL);
	return req_journal(r, EV_VERROU, 0, d) ? ST_OK : ST_ERREUR_BDD;
}

#define RID FB(FLD_ID_REQUETE)
#define LOGIN FB(FLD_LOGIN)

static const struct route routes[] = {
	{ .path = "utilisateur/connexion", .handler = h_connexion, .prepare = p_connexion,
	  .flags = R_PUBLIC | R_WRITE, .takes = LOGIN | FB(FLD_MDP) | FB(FLD_ID_CARTE) },
	{ .path = "utilisateur/deconnexion", .handler = h_deconnexion, .flags = R_PUBLIC | R_WRITE },
	{ .path = "utilisateur/mdp", .handler = h_mdp, .prepare = p_hash, .right = RIGHT_BDE,
	  .flags = R_WRITE | R_SESSION, .takes = LOGIN | FB(FLD_MDP) | RID,
	  .needs = LOGIN | FB(FLD_MDP) },
	{ .path = "utilisateur/carte", .handler = h_carte, .right = RIGHT_BDE,
	  .flags = R_WRITE | R_SESSION, .takes = LOGIN | FB(FLD_ID_CARTE) | RID,
	  .needs = LOGIN | FB(FLD_ID_CARTE) },
	{ .path = "utilisateur/liste", .handler = h_liste, .right = RIGHT_PRESIDENT,
	  .scope = SCOPE_LECTURE },
	{ .path = "utilisateur/fiche", .handler = h_fiche, .right = RIGHT_BDE, .scope = SCOPE_LECTURE,
	  .takes = LOGIN | LEDGER_PAGE_FIELDS, .needs = LOGIN },
	{ .path = "utilisateur/ajouter", .handler = h_ajouter, .prepare = p_hash,
	  .right = RIGHT_PRESIDENT, .flags = R_WRITE,
	  .takes = LOGIN | FB(FLD_MDP) | FB(FLD_ID_CARTE) | FB(FLD_DROIT) | RID,
	  .needs = LOGIN | FB(FLD_MDP) },
	{ .path = "utilisateur/droit", .handler = h_droit, .right = RIGHT_PRESIDENT, .flags = R_WRITE,
	  .takes = LOGIN | FB(FLD_DROIT) | RID, .needs = LOGIN | FB(FLD_DROIT) },
	{ .path = "utilisateur/supprimer", .handler = h_supprimer, .right = RIGHT_PRESIDENT,
	  .flags = R_WRITE, .takes = LOGIN | RID, .needs = LOGIN },
	{ .path = "utilisateur/verrous", .handler = h_verrous, .right = RIGHT_PRESIDENT },
	{ .path = "utilisateur/deverrouiller", .handler = h_deverrouiller,
	  .right = RIGHT_PRESIDENT, .flags = R_WRITE, .takes = FB(FLD_ID) | RID,
	  .needs = FB(FLD_ID) },
};

static const struct area area = {
	.name = "utilisateur", .routes = routes, .n = sizeof routes / sizeof routes[0],
	.ctx_size = sizeof(struct ctx),
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
