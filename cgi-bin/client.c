/*
 * Area "client": the cards and their money. Opening an account, top-ups,
 * payments (by amount or by quantity from the price table), emptying, and the
 * read side (list, fiche). Each balance change and its ledger row are written
 * by db_ledger.c inside the loop's one BEGIN IMMEDIATE transaction.
 */
#include <stdio.h>

#include "config.h"
#include "db_client.h"
#include "db_ledger.h"
#include "db_price.h"
#include "server.h"

/* Looks the request's card up. */
static enum status
find(const struct req *r, struct client *c)
{
	int found = client_by_card(r->v[FLD_ID_CARTE].s, c);

	if (found < 0)
		return ST_ERREUR_BDD;
	return found ? ST_OK : ST_CLIENT_INCONNU;
}

/* Opens an account with its initial balance. Statuses: client_existant,
 * solde_negatif (solde <= 0 without decouvert), droits_insuffisants (decouvert
 * asked below droit 3), montant_trop_eleve, erreur_bdd. */
static enum status
h_ajouter(struct req *r, json_object *out)
{
	struct client c = { .balance = r->v[FLD_SOLDE].i, .overdraft = r->v[FLD_DECOUVERT].i != 0 };
	json_object *d;
	int64_t tx;
	int found;

	if (c.overdraft && r->who.droit < RIGHT_PRESIDENT)
		return ST_DROITS_INSUFFISANTS;
	if (c.balance <= 0 && !c.overdraft)
		return ST_SOLDE_NEGATIF;
	if (c.balance > cfg.ceiling || c.balance < -cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if ((found = client_by_card(r->v[FLD_ID_CARTE].s, &c)) != 0)
		return found < 0 ? ST_ERREUR_BDD : ST_CLIENT_EXISTANT;
	snprintf(c.card, sizeof c.card, "%s", r->v[FLD_ID_CARTE].s);
	if (!ledger_open_client(&r->who, r->now, &c, &tx))
		return ST_ERREUR_BDD;
	/* The account itself, beside its creation's ledger row: the live feed's
	 * client event. */
	d = json_object_new_object();
	reply_money(d, K_SOLDE, c.balance);
	reply_bool(d, K_DECOUVERT, c.overdraft);
	if (!req_journal(r, EV_CLIENT, c.id, d))
		return ST_ERREUR_BDD;
	reply_int(out, K_ID_TRANSACTION, tx);
	reply_money(out, K_SOLDE_NOUVEAU, c.balance);
	return ST_OK;
}

/* Writes the answer every balance change shares. */
static void
moved(json_object *out, int64_t tx, int64_t before, int64_t after)
{
	reply_int(out, K_ID_TRANSACTION, tx);
	reply_money(out, K_SOLDE_ANCIEN, before);
	reply_money(out, K_SOLDE_NOUVEAU, after);
}

/* Tops a card up. Statuses: client_inconnu, rechargement_negatif,
 * montant_trop_eleve, erreur_bdd. */
static enum status
h_recharger(struct req *r, json_object *out)
{
	int64_t amount = r->v[FLD_MONTANT].i, before, tx;
	struct client c;
	enum status st;

	if (amount <= 0)
		return ST_RECHARGEMENT_NEGATIF;
	if (amount > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if ((st = find(r, &c)) != ST_OK)
		return st;
	if ((st = ledger_check(&c, c.balance + amount)) != ST_OK)
		return st;
	before = c.balance;
	if (!ledger_post(&r->who, r->now, &c, TX_RECHARGEMENT, amount, 0, &tx))
		return ST_ERREUR_BDD;
	moved(out, tx, before, c.balance);
	return ST_OK;
}

/* Charges a card, by amount or by a quantity of drinks from the price table.
 * Statuses: client_inconnu, paiement_negatif, produit_inconnu,
 * montant_trop_eleve, solde_insuffisant (+solde, manque), erreur_bdd. */
static enum status
h_payer(struct req *r, json_object *out)
{
	const struct value *amount_v = &r->v[FLD_MONTANT], *qty_v = &r->v[FLD_QUANTITE];
	int64_t amount, qty = 0, before, tx;
	struct client c;
	enum status st;

	if (amount_v->set == qty_v->set)
		return req_malformed(r, amount_v->set ? FLD_QUANTITE : FLD_MONTANT);
	if (qty_v->set) {
		int found;

		qty = qty_v->i; /* 1..1000 (FT_QTY) */
		if ((found = price_get(qty, &amount)) <= 0)
			return found < 0 ? ST_ERREUR_BDD : ST_PRODUIT_INCONNU;
	} else if ((amount = amount_v->i) <= 0)
		return ST_PAIEMENT_NEGATIF;
	if (amount > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if ((st = find(r, &c)) != ST_OK)
		return st;
	if (ledger_check(&c, c.balance - amount) != ST_OK) {
		reply_money(out, K_SOLDE, c.balance);
		reply_money(out, K_MANQUE, ledger_floor(&c) - (c.balance - amount));
		return ST_SOLDE_INSUFFISANT;
	}
	before = c.balance;
	if (!ledger_post(&r->who, r->now, &c, TX_PAIEMENT, amount, qty, &tx))
		return ST_ERREUR_BDD;
	moved(out, tx, before, c.balance);
	reply_money(out, K_MONTANT, amount);
	return ST_OK;
}

/* Empties a card (the bar hands the money back). Statuses: client_inconnu,
 * solde_negatif (nothing to give back), erreur_bdd. */
static enum status
h_vidange(struct req *r, json_object *out)
{
	int64_t before, tx;
	struct client c;
	enum status st;

	if ((st = find(r, &c)) != ST_OK)
		return st;
	if (c.balance <= 0)
		return ST_SOLDE_NEGATIF;
	before = c.balance;
	if (!ledger_post(&r->who, r->now, &c, TX_VIDANGE, c.balance, 0, &tx))
		return ST_ERREUR_BDD;
	moved(out, tx, before, c.balance);
	return ST_OK;
}

/* Every card and its balance (and overdraft flag for a president). Statuses:
 * erreur_bdd. */
static enum status
h_liste(struct req *r, json_object *out)
{
	sqlite3_stmt *st = client_list();

	(void)out;
	if (!st)
		return ST_ERREUR_BDD;
	req_stream(r, K_CLIENTS, st, r->who.droit >= RIGHT_PRESIDENT ? client_row_full : client_row, 0);
	return ST_OK;
}

/* One card: balance, overdraft flag (president) and history. Statuses:
 * client_inconnu, erreur_bdd. */
static enum status
h_fiche(struct req *r, json_object *out)
{
	struct client c;
	enum status st;
	struct ledger_page pg = ledger_page(r->v);
	sqlite3_stmt *list;

	if ((st = find(r, &c)) != ST_OK)
		return st;
	reply_str(out, K_ID_CARTE, c.card);
	reply_money(out, K_SOLDE, c.balance);
	if (r->who.droit >= RIGHT_PRESIDENT)
		reply_bool(out, K_DECOUVERT, c.overdraft);
	if (!(list = ledger_list(c.id, 0, NULL, &pg)))
		return ST_ERREUR_BDD;
	req_stream(r, K_TRANSACTIONS, list, ledger_row_json, r->v[FLD_LIMITE].i);
	return ST_OK;
}

/* Allows or forbids a card to go below zero. Statuses: client_inconnu,
 * erreur_bdd. */
static enum status
h_decouvert(struct req *r, json_object *out)
{
	struct client c;
	enum status st;
	json_object *d;

	(void)out;
	if ((st = find(r, &c)) != ST_OK)
		return st;
	if (!client_set_overdraft(c.id, r->v[FLD_DECOUVERT].i != 0))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_bool(d, K_DECOUVERT, r->v[FLD_DECOUVERT].i != 0);
	return req_journal(r, EV_CLIENT, c.id, d) ? ST_OK : ST_ERREUR_BDD;
}

#define CARD FB(FLD_ID_CARTE)
#define RID FB(FLD_ID_REQUETE)
#define READS "client-lecture" /* the area's reads have a pool of their own */

static const struct route routes[] = {
	{ .path = "client/ajouter", .handler = h_ajouter, .right = RIGHT_BDE, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = CARD | FB(FLD_SOLDE) | FB(FLD_DECOUVERT) | RID,
	  .needs = CARD | FB(FLD_SOLDE) },
	{ .path = "client/recharger", .handler = h_recharger, .right = RIGHT_BAR,
	  .scope = SCOPE_CAISSE, .flags = R_WRITE, .takes = CARD | FB(FLD_MONTANT) | RID,
	  .needs = CARD | FB(FLD_MONTANT) },
	{ .path = "client/payer", .handler = h_payer, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = CARD | FB(FLD_MONTANT) | FB(FLD_QUANTITE) | RID,
	  .needs = CARD },
	{ .path = "client/vidange", .handler = h_vidange, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = CARD | RID, .needs = CARD },
	{ .path = "client/liste", .handler = h_liste, .right = RIGHT_BAR, .scope = SCOPE_LECTURE,
	  .pool = READS },
	{ .path = "client/fiche", .handler = h_fiche, .right = RIGHT_BAR, .scope = SCOPE_LECTURE,
	  .pool = READS, .takes = CARD | LEDGER_PAGE_FIELDS, .needs = CARD },
	{ .path = "client/decouvert", .handler = h_decouvert, .right = RIGHT_PRESIDENT,
	  .flags = R_WRITE, .takes = CARD | FB(FLD_DECOUVERT) | RID,
	  .needs = CARD | FB(FLD_DECOUVERT) },
};

static const struct area area = {
	.name = "client", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
