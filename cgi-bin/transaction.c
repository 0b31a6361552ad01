/*
 * Area "transaction": cancelling (annuler) and re-applying (refaire) a ledger
 * row, and the president's view of the whole ledger. Below droit 3, staff may
 * only touch their own rows, within the cancel window, of a shift still open;
 * a president's change to a closed shift's row is noted on the shift.
 */
#include "config.h"
#include "db_client.h"
#include "db_ledger.h"
#include "db_service.h"
#include "server.h"

/* Flips a row to `valid` after the checks both verbs share. Statuses:
 * transaction_inconnue, transaction_autre, transaction_expiree,
 * service_ferme (a closed shift's row, below right 3), solde_insuffisant,
 * montant_trop_eleve, erreur_bdd; `already` when the row is in that state
 * already. */
static enum status
flip(struct req *r, json_object *out, bool valid, enum status already)
{
	struct ledger_row t;
	struct client c;
	int64_t before, effect;
	enum status st;
	int found;

	if ((found = ledger_get(r->v[FLD_ID_TRANSACTION].i, &t)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : ST_TRANSACTION_INCONNUE;
	if (r->who.droit < RIGHT_PRESIDENT) {
		if (t.user_id != r->who.user_id)
			return ST_TRANSACTION_AUTRE;
		/* A sale made offline is open from when it arrived: the till
		 * learns its id only then (doc/api.md, "Selling offline"). */
		if (r->now - (t.received_ms ? t.received_ms : t.date_ms) > cfg.cancel_window_ms)
			return ST_TRANSACTION_EXPIREE;
		if (t.service_id && (found = service_closed(t.service_id)) != 0)
			return found < 0 ? ST_ERREUR_BDD : ST_SERVICE_FERME;
	}
	if (t.valid == valid)
		return already;
	if ((found = client_by_id(t.client_id, &c)) <= 0)
		return ST_ERREUR_BDD; /* the schema makes this impossible */
	before = c.balance;
	effect = ledger_effect(t.type, t.amount);
	if ((st = ledger_check(&c, before + (valid ? effect : -effect))) != ST_OK)
		return st;
	if (!ledger_flip(&r->who, r->now, &t, &c, valid))
		return ST_ERREUR_BDD;
	reply_int(out, K_ID_TRANSACTION, t.id);
	reply_str(out, K_CLIENT, c.card);
	reply_money(out, K_SOLDE_ANCIEN, before);
	reply_money(out, K_SOLDE_NOUVEAU, c.balance);
	return ST_OK;
}

/* Cancels a row. Statuses: see flip, and transactions_deja_annulee. */
static enum status
h_annuler(struct req *r, json_object *out)
{
	return flip(r, out, false, ST_TRANSACTIONS_DEJA_ANNULEE);
}

/* Re-applies a cancelled row. Statuses: see flip, and transactions_deja_active. */
static enum status
h_refaire(struct req *r, json_object *out)
{
	return flip(r, out, true, ST_TRANSACTIONS_DEJA_ACTIVE);
}

/* The ledger, oldest first or newest first, optionally of one client and/or
 * one user, paged with limite and apres or avant. An unknown client gives an
 * empty list. Statuses: erreur_bdd. */
static enum status
h_transactions(struct req *r, json_object *out)
{
	const struct value *card = &r->v[FLD_CLIENT], *login = &r->v[FLD_UTILISATEUR];
	int64_t client_id = 0;
	struct ledger_page pg = ledger_page(r->v);
	sqlite3_stmt *list;

	(void)out;
	if (card->set) {
		struct client c;
		int found = client_by_card(card->s, &c);

		if (found < 0)
			return ST_ERREUR_BDD;
		/* No client: an id no row has, so the list is empty. */
		client_id = found ? c.id : INT64_MAX;
	}
	list = ledger_list(client_id, 0, login->set ? login->s : NULL, &pg);
	if (!list)
		return ST_ERREUR_BDD;
	req_stream(r, K_TRANSACTIONS, list, ledger_row_json, r->v[FLD_LIMITE].i);
	return ST_OK;
}

#define RID FB(FLD_ID_REQUETE)

static const struct route routes[] = {
	{ .path = "annuler", .handler = h_annuler, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = FB(FLD_ID_TRANSACTION) | RID, .needs = FB(FLD_ID_TRANSACTION) },
	{ .path = "refaire", .handler = h_refaire, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = FB(FLD_ID_TRANSACTION) | RID, .needs = FB(FLD_ID_TRANSACTION) },
	{ .path = "transactions", .handler = h_transactions, .right = RIGHT_PRESIDENT,
	  .scope = SCOPE_LECTURE,
	  .takes = FB(FLD_CLIENT) | FB(FLD_UTILISATEUR) | LEDGER_PAGE_FIELDS },
};

static const struct area area = {
	.name = "transaction", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
