/*
 * Area "client": the cards and their money. Opening an account, top-ups,
 * payments (by amount, by quantity from the price table, or a basket from the
 * catalogue), emptying, the read side (list, fiche), and lost cards: blocking,
 * moving an account to a new card, the holder's code. Each balance change and
 * its ledger row are written by db_ledger.c inside the loop's one BEGIN
 * IMMEDIATE transaction.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "db_client.h"
#include "db_ledger.h"
#include "db_offline.h"
#include "db_price.h"
#include "db_product.h"
#include "db_user.h"
#include "holder.h"
#include "password.h"
#include "server.h"

/* What client/code's prepare step hands to its handler, in r->ctx. */
struct ctx {
	char code[HOLDER_CODE_LEN + 1];
	char hash[PASSWORD_HASH_MAX];
};

/* Whether card is a former card (carte_bloquee, naming its replacement to
 * the bar's staff) or unknown (client_inconnu). */
static enum status
not_found(const struct req *r, json_object *out, const char *card)
{
	char now_card[33];
	int former = client_former(card, now_card, NULL);

	if (former <= 0)
		return former < 0 ? ST_ERREUR_BDD : ST_CLIENT_INCONNU;
	if (r->who.droit >= RIGHT_BAR)
		reply_str(out, K_REMPLACEE_PAR, now_card);
	return ST_CARTE_BLOQUEE;
}

/* Looks the request's card up. */
static enum status
find(const struct req *r, json_object *out, struct client *c)
{
	int found = client_by_card(r->v[FLD_ID_CARTE].s, c);

	if (found < 0)
		return ST_ERREUR_BDD;
	return found ? ST_OK : not_found(r, out, r->v[FLD_ID_CARTE].s);
}

/* Looks the request's card up for a payment or a top-up: a blocked card
 * takes neither. */
static enum status
find_open(const struct req *r, json_object *out, struct client *c)
{
	enum status st = find(r, out, c);

	return st == ST_OK && c->blocked ? ST_CARTE_BLOQUEE : st;
}

/* Looks the request's card up for a sale made offline at `sold`: blocked or
 * not, it takes the sale (the drink was served); *blocked_before tells
 * whether it was blocked before the sale. A former card's sale goes to its
 * account, blocked before the sale if it was left before (doc/api.md,
 * "Selling offline"). Statuses: client_inconnu, erreur_bdd. */
static enum status
find_sold(const struct req *r, struct client *c, int64_t sold, bool *blocked_before)
{
	const char *card = r->v[FLD_ID_CARTE].s;
	int64_t left = INT64_MAX;
	char now_card[33];
	int found = client_by_card(card, c);

	if (found == 0 && (found = client_former(card, now_card, &left)) > 0)
		found = client_by_card(now_card, c);
	if (found <= 0)
		return found < 0 ? ST_ERREUR_BDD : ST_CLIENT_INCONNU;
	*blocked_before = left <= sold || (c->blocked && c->blocked_ms <= sold);
	return ST_OK;
}

/* The request's means of payment: especes unless moyen says otherwise. */
static enum means
means(const struct req *r)
{
	return r->v[FLD_MOYEN].set ? (enum means)r->v[FLD_MOYEN].i : MEANS_ESPECES;
}

/* Opens an account with its initial balance (paid by moyen). Statuses: client_existant,
 * carte_bloquee (a former card),
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
	if ((found = client_former(r->v[FLD_ID_CARTE].s, c.card, NULL)) != 0)
		return found < 0 ? ST_ERREUR_BDD : ST_CARTE_BLOQUEE;
	snprintf(c.card, sizeof c.card, "%s", r->v[FLD_ID_CARTE].s);
	if (!ledger_open_client(&r->who, r->now, &c, means(r), &tx))
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

/* Tops a card up (paid by moyen). Statuses: client_inconnu, carte_bloquee
 * (+remplaceePar for a former card), rechargement_negatif, montant_trop_eleve,
 * erreur_bdd. */
static enum status
h_recharger(struct req *r, json_object *out)
{
	int64_t amount = r->v[FLD_MONTANT].i, before, tx;
	struct posting p = { .type = TX_RECHARGEMENT, .amount = amount, .means = means(r) };
	struct client c;
	enum status st;

	if (amount <= 0)
		return ST_RECHARGEMENT_NEGATIF;
	if (amount > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if ((st = find_open(r, out, &c)) != ST_OK)
		return st;
	if ((st = ledger_check(&c, c.balance + amount)) != ST_OK)
		return st;
	before = c.balance;
	if (!ledger_post(&r->who, r->now, &c, &p, &tx))
		return ST_ERREUR_BDD;
	moved(out, tx, before, c.balance);
	return ST_OK;
}

/* A sale made offline (doc/api.md, "Selling offline"): its time, on the
 * server's clock as the till estimated it, at most a minute ahead, with an
 * idRequete, no older than the limits allow. Sets p->sold_ms. Statuses:
 * requete_malforme, horsligne_expire, erreur_bdd. */
static enum status
offline_sale(struct req *r, const struct offline_rules *rules, struct posting *p)
{
	int64_t sold = r->v[FLD_HORS_LIGNE].i;

	if (!r->v[FLD_ID_REQUETE].set)
		return req_malformed(r, FLD_ID_REQUETE); /* a sale sent again must count once */
	if (sold > r->now + OFFLINE_AHEAD_MS)
		return req_malformed(r, FLD_HORS_LIGNE);
	/* Past dureeMax; or maybe sent before, and its record already forgotten
	 * (dureeMax raised since): charging it could charge it twice. A sale's
	 * time may be ahead of its arrival by OFFLINE_AHEAD_MS. */
	if (r->now - sold > rules->max_age_ms || sold < rules->forgotten_ms + OFFLINE_AHEAD_MS)
		return ST_HORSLIGNE_EXPIRE;
	p->sold_ms = sold;
	return ST_OK;
}

/* What an offline sale that took c to c->balance earns: dette when the card
 * is now below what it is allowed, a flag for staff beyond the offline cap or
 * on a card blocked before the sale. Records the flag and writes them in the
 * answer. Returns 1, or 0 on error. */
static int
offline_outcome(json_object *out, const struct offline_rules *rules, const struct client *c,
    bool blocked_before, int64_t tx, int64_t now)
{
	int64_t floor = ledger_floor(c);
	unsigned reasons = 0;

	if (c->balance < floor - rules->card_cap)
		reasons |= OFFLINE_BEYOND_CAP;
	if (blocked_before)
		reasons |= OFFLINE_BLOCKED;
	if (reasons && !offline_flag(tx, reasons))
		return 0;
	reply_bool(out, K_HORS_LIGNE, true);
	reply_int(out, K_RECU, now);
	reply_bool(out, K_DETTE, c->balance < floor);
	reply_bool(out, K_SIGNALEE, reasons != 0);
	reply_bool(out, K_BLOQUEE, blocked_before);
	return 1;
}

/* Charges a card: by amount, by a quantity of drinks from the price table,
 * or by a basket from the catalogue at its current prices (exactly one of
 * the three). With horsLigne, a sale made offline: recorded with its time,
 * never refused for the balance nor for a blocked card (doc/api.md, "Selling
 * offline"). Statuses: client_inconnu, carte_bloquee (+remplaceePar for a
 * former card; online only),
 * paiement_negatif, produit_inconnu (no price for the quantity; a product
 * unknown or inactive), montant_trop_eleve, solde_insuffisant (+solde,
 * manque), horsligne_expire, requete_malforme (horsLigne ahead of the clock
 * or without idRequete), erreur_bdd. */
static enum status
h_payer(struct req *r, json_object *out)
{
	const struct value *amount_v = &r->v[FLD_MONTANT], *qty_v = &r->v[FLD_QUANTITE];
	const struct value *basket_v = &r->v[FLD_PRODUITS];
	struct posting p = { .type = TX_PAIEMENT };
	struct offline_rules rules = { 0 };
	bool offline = r->v[FLD_HORS_LIGNE].set, blocked_before = false;
	struct sale sale;
	int64_t before, tx;
	struct client c;
	enum status st;

	if (amount_v->set + qty_v->set + basket_v->set != 1)
		return req_malformed(r, amount_v->set ? (qty_v->set ? FLD_QUANTITE : FLD_PRODUITS)
		    : qty_v->set ? FLD_PRODUITS : FLD_MONTANT);
	if (offline) {
		if (!offline_rules_get(&rules))
			return ST_ERREUR_BDD;
		if ((st = offline_sale(r, &rules, &p)) != ST_OK)
			return st;
	}
	if (qty_v->set) {
		int found;

		p.qty = qty_v->i; /* 1..1000 (FT_QTY) */
		if ((found = price_get(p.qty, &p.amount)) <= 0)
			return found < 0 ? ST_ERREUR_BDD : ST_PRODUIT_INCONNU;
	} else if (basket_v->set) {
		struct basket b;

		(void)basket_parse(basket_v->s, &b); /* well-formed (FT_BASKET) */
		if ((st = product_price(&b, &sale)) != ST_OK)
			return st;
		p.amount = sale.total;
		p.qty = sale.items;
		p.sale = &sale;
	} else if ((p.amount = amount_v->i) <= 0)
		return ST_PAIEMENT_NEGATIF;
	if (p.amount > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if ((st = offline ? find_sold(r, &c, p.sold_ms, &blocked_before) : find_open(r, out, &c)) !=
	    ST_OK)
		return st;
	if (!offline && ledger_check(&c, c.balance - p.amount) != ST_OK) {
		reply_money(out, K_SOLDE, c.balance);
		reply_money(out, K_MANQUE, ledger_floor(&c) - (c.balance - p.amount));
		return ST_SOLDE_INSUFFISANT;
	}
	before = c.balance;
	if (!ledger_post(&r->who, r->now, &c, &p, &tx))
		return ST_ERREUR_BDD;
	moved(out, tx, before, c.balance);
	reply_money(out, K_MONTANT, p.amount);
	if (offline && !offline_outcome(out, &rules, &c, blocked_before, tx, r->now))
		return ST_ERREUR_BDD;
	return ST_OK;
}

/* Empties a card (the bar hands the money back, by moyen), blocked or not.
 * Statuses: client_inconnu, carte_bloquee (+remplaceePar: a former card),
 * solde_negatif (nothing to give back), erreur_bdd. */
static enum status
h_vidange(struct req *r, json_object *out)
{
	struct posting p = { .type = TX_VIDANGE, .means = means(r) };
	int64_t before, tx;
	struct client c;
	enum status st;

	if ((st = find(r, out, &c)) != ST_OK)
		return st;
	if (c.balance <= 0)
		return ST_SOLDE_NEGATIF;
	before = c.balance;
	p.amount = c.balance;
	if (!ledger_post(&r->who, r->now, &c, &p, &tx))
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

/* One card: balance, blocked flag, overdraft flag (president) and history.
 * Statuses: client_inconnu, carte_bloquee (+remplaceePar: a former card),
 * erreur_bdd. */
static enum status
h_fiche(struct req *r, json_object *out)
{
	struct client c;
	enum status st;
	struct ledger_page pg = ledger_page(r->v);
	sqlite3_stmt *list;

	if ((st = find(r, out, &c)) != ST_OK)
		return st;
	reply_str(out, K_ID_CARTE, c.card);
	reply_money(out, K_SOLDE, c.balance);
	reply_bool(out, K_BLOQUEE, c.blocked);
	if (r->who.droit >= RIGHT_PRESIDENT)
		reply_bool(out, K_DECOUVERT, c.overdraft);
	if (!(list = ledger_list(c.id, 0, NULL, &pg)))
		return ST_ERREUR_BDD;
	req_stream(r, K_TRANSACTIONS, list, ledger_row_json, r->v[FLD_LIMITE].i);
	req_stream_card(r, c.id);
	return ST_OK;
}

/* Allows or forbids a card to go below zero. Statuses: client_inconnu,
 * carte_bloquee (a former card), erreur_bdd. */
static enum status
h_decouvert(struct req *r, json_object *out)
{
	struct client c;
	enum status st;
	json_object *d;

	if ((st = find(r, out, &c)) != ST_OK)
		return st;
	if (!client_set_overdraft(c.id, r->v[FLD_DECOUVERT].i != 0))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_bool(d, K_DECOUVERT, r->v[FLD_DECOUVERT].i != 0);
	return req_journal(r, EV_CLIENT, c.id, d) ? ST_OK : ST_ERREUR_BDD;
}

/* Blocks or unblocks the request's card; a change is journaled and in the
 * feed, a card already so is left as it is. */
static enum status
set_blocked(struct req *r, json_object *out, bool blocked)
{
	struct client c;
	enum status st;
	json_object *d;

	if ((st = find(r, out, &c)) != ST_OK)
		return st;
	reply_str(out, K_ID_CARTE, c.card);
	reply_bool(out, K_BLOQUEE, blocked);
	if (c.blocked == blocked)
		return ST_OK;
	if (!client_set_blocked(c.id, blocked, r->now))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_bool(d, K_BLOQUEE, blocked);
	if (blocked && r->v[FLD_MOTIF].set)
		reply_str(d, K_MOTIF, r->v[FLD_MOTIF].s);
	return req_journal(r, EV_CLIENT, c.id, d) ? ST_OK : ST_ERREUR_BDD;
}

/* Blocks a card: payments and top-ups refused until unblocked. Answers
 * idCarte, bloquee. Statuses: client_inconnu, carte_bloquee (+remplaceePar: a
 * former card, blocked for good already), erreur_bdd. */
static enum status
h_bloquer(struct req *r, json_object *out)
{
	return set_blocked(r, out, true);
}

/* Unblocks a card (found again). Statuses: as client/bloquer; a former card
 * stays blocked. */
static enum status
h_debloquer(struct req *r, json_object *out)
{
	return set_blocked(r, out, false);
}

/* Moves the account to a new card, in this one transaction: balance,
 * overdraft flag, history and holder code follow, the old card stays a former
 * card. No ledger row: the account is the same. Answers idCarte (the new
 * card), solde. Statuses: client_inconnu, carte_bloquee (the old card is a
 * former card, +remplaceePar; or the new one is), client_existant (the new
 * card holds an account, the same card included), carte_utilisee (the new
 * card is a staff card), erreur_bdd. */
static enum status
h_remplacer(struct req *r, json_object *out)
{
	const char *card = r->v[FLD_NOUVELLE_CARTE].s;
	struct client c, other;
	struct user u;
	char now_card[33];
	enum status st;
	json_object *d;
	int found;

	if ((st = find(r, out, &c)) != ST_OK)
		return st;
	if ((found = client_by_card(card, &other)) != 0)
		return found < 0 ? ST_ERREUR_BDD : ST_CLIENT_EXISTANT;
	if ((found = client_former(card, now_card, NULL)) != 0)
		return found < 0 ? ST_ERREUR_BDD : ST_CARTE_BLOQUEE;
	if ((found = user_by_card(card, &u)) != 0)
		return found < 0 ? ST_ERREUR_BDD : ST_CARTE_UTILISEE;
	if (!client_move(&c, card, r->now))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_str(d, K_ID_CARTE, c.card);
	reply_str(d, K_NOUVELLE_CARTE, card);
	reply_bool(d, K_BLOQUEE, false);
	if (!req_journal(r, EV_CLIENT, c.id, d))
		return ST_ERREUR_BDD;
	reply_str(out, K_ID_CARTE, card);
	reply_money(out, K_SOLDE, c.balance);
	return ST_OK;
}

/* Draws the holder code and hashes it (scrypt) before the transaction.
 * Statuses: erreur_generique. */
static enum status
p_code(struct req *r, json_object *out)
{
	struct ctx *x = r->ctx;

	(void)out;
	if (!holder_code_make(x->code) || !password_hash(x->code, x->hash))
		return ST_ERREUR_GENERIQUE;
	return ST_OK;
}

/* Gives the card a new holder code, shown once (codeClient, grouped in
 * fours); the old code and the holder's sessions end. Statuses:
 * client_inconnu, carte_bloquee (+remplaceePar: a former card), erreur_bdd. */
static enum status
h_code(struct req *r, json_object *out)
{
	struct ctx *x = r->ctx;
	char shown[HOLDER_CODE_SHOWN + 1];
	struct client c;
	enum status st;

	if ((st = find(r, out, &c)) != ST_OK)
		return st;
	if (!client_set_code(c.id, x->hash) || !req_journal(r, EV_CLIENT, c.id, NULL))
		return ST_ERREUR_BDD;
	holder_code_show(x->code, shown);
	wipe(x->code, sizeof x->code);
	reply_str(out, K_ID_CARTE, c.card);
	reply_str(out, K_CODE_CLIENT, shown);
	wipe(shown, sizeof shown);
	req_secret(r, K_CODE_CLIENT);
	return ST_OK;
}

#define CARD FB(FLD_ID_CARTE)
#define RID FB(FLD_ID_REQUETE)
#define MEANS FB(FLD_MOYEN)
#define READS "client-lecture" /* the area's reads have a pool of their own */
#define CODES "client-code"    /* and holder codes (scrypt) one apart from payments */

static const struct route routes[] = {
	{ .path = "client/ajouter", .handler = h_ajouter, .right = RIGHT_BDE, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = CARD | FB(FLD_SOLDE) | FB(FLD_DECOUVERT) | MEANS | RID,
	  .needs = CARD | FB(FLD_SOLDE) },
	{ .path = "client/recharger", .handler = h_recharger, .right = RIGHT_BAR,
	  .scope = SCOPE_CAISSE, .flags = R_WRITE, .takes = CARD | FB(FLD_MONTANT) | MEANS | RID,
	  .needs = CARD | FB(FLD_MONTANT) },
	{ .path = "client/payer", .handler = h_payer, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE,
	  .takes = CARD | FB(FLD_MONTANT) | FB(FLD_QUANTITE) | FB(FLD_PRODUITS) |
	  FB(FLD_HORS_LIGNE) | RID, .needs = CARD },
	{ .path = "client/vidange", .handler = h_vidange, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = CARD | MEANS | RID, .needs = CARD },
	{ .path = "client/liste", .handler = h_liste, .right = RIGHT_BAR, .scope = SCOPE_LECTURE,
	  .pool = READS },
	{ .path = "client/fiche", .handler = h_fiche, .right = RIGHT_BAR, .scope = SCOPE_LECTURE,
	  .pool = READS, .takes = CARD | LEDGER_PAGE_FIELDS, .needs = CARD },
	{ .path = "client/decouvert", .handler = h_decouvert, .right = RIGHT_PRESIDENT,
	  .flags = R_WRITE, .takes = CARD | FB(FLD_DECOUVERT) | RID,
	  .needs = CARD | FB(FLD_DECOUVERT) },
	{ .path = "client/bloquer", .handler = h_bloquer, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = CARD | FB(FLD_MOTIF) | RID, .needs = CARD },
	{ .path = "client/debloquer", .handler = h_debloquer, .right = RIGHT_BAR,
	  .scope = SCOPE_CAISSE, .flags = R_WRITE, .takes = CARD | RID, .needs = CARD },
	{ .path = "client/remplacer", .handler = h_remplacer, .right = RIGHT_BAR,
	  .scope = SCOPE_CAISSE, .flags = R_WRITE,
	  .takes = CARD | FB(FLD_NOUVELLE_CARTE) | RID, .needs = CARD | FB(FLD_NOUVELLE_CARTE) },
	{ .path = "client/code", .handler = h_code, .prepare = p_code, .right = RIGHT_BAR,
	  .scope = SCOPE_CAISSE, .flags = R_WRITE, .pool = CODES, .takes = CARD | RID,
	  .needs = CARD },
};

static const struct area area = {
	.name = "client", .routes = routes, .n = sizeof routes / sizeof routes[0],
	.ctx_size = sizeof(struct ctx),
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
