/*
 * Area "moi": a card holder's own side (doc/api.md, card holders). The holder
 * logs in with the card and its holder code, under the staff logins' limiter
 * (login.c), and gets a holder session that opens this area and nothing
 * else: the card's balance and history, and blocking the card at once when
 * it is lost.
 */
#include <string.h>

#include "crypto.h"
#include "db_client.h"
#include "db_ledger.h"
#include "holder.h"
#include "login.h"
#include "server.h"
#include "token.h"

/* What connexion's prepare step hands to its handler, in r->ctx. */
struct ctx {
	struct login login;
};

/* Reads the code, then counts and checks the attempt outside any
 * transaction. Statuses: ok (the handler acts on the verdict),
 * requete_malforme (a code that cannot be one: not counted),
 * trop_de_tentatives (+attente), erreur_bdd, erreur_generique. */
static enum status
p_connexion(struct req *r, json_object *out)
{
	struct ctx *x = r->ctx;
	char code[HOLDER_CODE_LEN + 1];
	int64_t wait = 0;
	enum status st;

	if (!holder_code_read(r->v[FLD_CODE_CLIENT].s, code))
		return req_malformed(r, FLD_CODE_CLIENT);
	st = login_holder_check(r->remote_addr, req_env(r, "HTTP_COOKIE"), r->v[FLD_ID_CARTE].s,
	    code, r->now, &x->login, &wait);
	wipe(code, sizeof code);
	if (st == ST_TROP_DE_TENTATIVES)
		reply_int(out, K_ATTENTE, wait);
	return st;
}

/* Acts on the verdict: a failure stays counted; a success, once confirmed
 * (the code checked is still the card's), opens a holder session and gives
 * the browser the holder's device cookie. Statuses: identifiants_invalides,
 * erreur_bdd. */
static enum status
h_connexion(struct req *r, json_object *out)
{
	struct login *l = &((struct ctx *)r->ctx)->login;
	char token[TOKEN_MAX], cookie[LOGIN_COOKIE_MAX];
	enum status st;

	if (l->verdict != ST_OK)
		return l->verdict;
	if ((st = login_holder_confirm(l)) != ST_OK)
		return st;
	if (!login_cookie(l, cookie) || !auth_holder_open(l->holder, r->now, token))
		return ST_ERREUR_BDD;
	req_device_cookie(r, HOLDER_COOKIE, cookie);
	reply_str(out, K_JETON, token);
	reply_str(out, K_ID_CARTE, r->v[FLD_ID_CARTE].s);
	wipe(token, sizeof token);
	return ST_OK;
}

/* The holder's card as it is now (the account may have moved to a new card
 * since the session opened). */
static enum status
own(const struct req *r, struct client *c)
{
	int found = client_by_id(r->who.client_id, c);

	return found < 0 ? ST_ERREUR_BDD : found ? ST_OK : ST_ERREUR_GENERIQUE;
}

/* The holder's card: balance, blocked flag and history, without the staff's
 * names. Statuses: erreur_bdd. */
static enum status
h_fiche(struct req *r, json_object *out)
{
	struct ledger_page pg = ledger_page(r->v);
	sqlite3_stmt *list;
	struct client c;
	enum status st;

	if ((st = own(r, &c)) != ST_OK)
		return st;
	reply_str(out, K_ID_CARTE, c.card);
	reply_money(out, K_SOLDE, c.balance);
	reply_bool(out, K_BLOQUEE, c.blocked);
	if (!(list = ledger_list(c.id, 0, NULL, &pg)))
		return ST_ERREUR_BDD;
	req_stream(r, K_TRANSACTIONS, list, ledger_row_holder, r->v[FLD_LIMITE].i);
	req_stream_card(r, c.id);
	return ST_OK;
}

/* Blocks the holder's card at once (lost or stolen); only the bar's staff
 * unblock it. Journaled with the holder session as the credential. Answers
 * idCarte, bloquee. Statuses: erreur_bdd. */
static enum status
h_bloquer(struct req *r, json_object *out)
{
	struct client c;
	enum status st;
	json_object *d;

	if ((st = own(r, &c)) != ST_OK)
		return st;
	reply_str(out, K_ID_CARTE, c.card);
	reply_bool(out, K_BLOQUEE, true);
	if (c.blocked)
		return ST_OK;
	if (!client_set_blocked(c.id, true, r->now))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_bool(d, K_BLOQUEE, true);
	return req_journal(r, EV_CLIENT, c.id, d) ? ST_OK : ST_ERREUR_BDD;
}

/* Ends the caller's holder session. Idempotent, as utilisateur/deconnexion:
 * any jeton, or none, answers ok. Statuses: erreur_bdd. */
static enum status
h_deconnexion(struct req *r, json_object *out)
{
	(void)out;
	return auth_logout(&r->params, r->authorization, r->now, CRED_HOLDER);
}

static const struct route routes[] = {
	{ .path = "moi/connexion", .handler = h_connexion, .prepare = p_connexion,
	  .flags = R_PUBLIC | R_WRITE, .takes = FB(FLD_ID_CARTE) | FB(FLD_CODE_CLIENT),
	  .needs = FB(FLD_ID_CARTE) | FB(FLD_CODE_CLIENT) },
	{ .path = "moi/fiche", .handler = h_fiche, .scope = SCOPE_ANY, .flags = R_HOLDER,
	  .takes = LEDGER_PAGE_FIELDS },
	{ .path = "moi/bloquer", .handler = h_bloquer, .scope = SCOPE_ANY,
	  .flags = R_HOLDER | R_WRITE },
	{ .path = "moi/deconnexion", .handler = h_deconnexion, .flags = R_PUBLIC | R_WRITE },
};

static const struct area area = {
	.name = "moi", .routes = routes, .n = sizeof routes / sizeof routes[0],
	.ctx_size = sizeof(struct ctx),
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
