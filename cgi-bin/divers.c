/*
 * Area "divers": the small endpoints. coucou (is the server there?), who am
 * I (v1/me), what a card is (carte/info), the bar's figures (statistiques)
 * and the price table.
 */
#include <inttypes.h>
#include <stdio.h>

#include "config.h"
#include "db.h"
#include "db_client.h"
#include "db_ledger.h"
#include "db_price.h"
#include "db_product.h"
#include "db_user.h"
#include "limit.h"
#include "server.h"

#ifndef VERSION
#define VERSION "1.0.0"
#endif

/* The version, and which database answers (its identity: a till that sees
 * it change knows the server was replaced, doc/api.md). Statuses:
 * erreur_bdd. */
static enum status
h_coucou(struct req *r, json_object *out)
{
	char base[DB_IDENTITY_LEN + 1];

	(void)r;
	if (!db_identity(base))
		return ST_ERREUR_BDD;
	reply_str(out, K_VERSION, VERSION);
	reply_str(out, K_BASE, base);
	return ST_OK;
}

/* Which client and which staff member a card belongs to (either may be
 * null). Look-ups of cards that are neither are limited per credential, as
 * failed logins are, so that nobody walks the space of card ids (or finds
 * the staff's cards, which open sessions). Statuses: trop_de_tentatives
 * (+attente), erreur_bdd. */
static enum status
h_carte_info(struct req *r, json_object *out)
{
	char who[48];
	struct limit_key k = { LIMIT_PROBE, "", who };
	struct client c;
	struct user u;
	int64_t wait;
	int fc, fu;

	snprintf(who, sizeof who, "%c:%" PRId64, "-ska"[r->who.kind], r->who.cred_id);
	if ((wait = limit_wait(&k, r->now)) != 0) {
		if (wait < 0)
			return ST_ERREUR_BDD;
		reply_int(out, K_ATTENTE, wait);
		return ST_TROP_DE_TENTATIVES;
	}
	fc = client_by_card(r->v[FLD_ID_CARTE].s, &c);
	fu = user_by_card(r->v[FLD_ID_CARTE].s, &u);
	if (fc < 0 || fu < 0)
		return ST_ERREUR_BDD;
	if (!fc && !fu && !limit_fail(&k, r->now))
		return ST_ERREUR_BDD;
	reply_str(out, K_CLIENT, fc ? c.card : NULL);
	reply_str(out, K_UTILISATEUR, fu ? u.login : NULL);
	return ST_OK;
}

/* The evening over time, from depuis to jusqua (now by default): one bucket
 * of `pas` seconds (3600 by default) after the other, empty ones included,
 * at most SERIES_MAX of them. */
#define SERIES_MAX 1000

/* The length of a bucket, in ms. */
static int64_t
series_step(const struct req *r)
{
	return (r->v[FLD_PAS].set ? r->v[FLD_PAS].i : 3600) * 1000;
}

/* The number of buckets from `from` to `to`. */
static int64_t
series_length(const struct req *r, int64_t from, int64_t to)
{
	int64_t step = series_step(r);

	return (to - from + step - 1) / step;
}

static enum status
series(struct req *r, json_object *out, int64_t from, int64_t to)
{
	int64_t step = series_step(r), n = series_length(r, from, to);
	sqlite3_stmt *st;
	json_object *list;
	int rc;

	if (!(st = ledger_series(from, to, step)))
		return ST_ERREUR_BDD;
	list = reply_array(out, K_SERIE);
	rc = db_step(st);
	for (int64_t b = 0; b < n; b++) {
		json_object *e = reply_push_object(list);
		bool here = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == b;

		reply_int(e, K_DEBUT, from + b * step);
		reply_money(e, K_RECETTES, here ? sqlite3_column_int64(st, 1) : 0);
		reply_int(e, K_CONSOMMATIONS, here ? sqlite3_column_int64(st, 2) : 0);
		reply_money(e, K_RECHARGEMENTS, here ? sqlite3_column_int64(st, 3) : 0);
		if (here)
			rc = db_step(st);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? ST_OK : ST_ERREUR_BDD;
}

/* What sold from the catalogue over the series' period: produits [{id, nom
 * (its current name), qte, montant (at the prices of sale)}]. */
static enum status
product_figures(json_object *out, int64_t from, int64_t to)
{
	sqlite3_stmt *st = product_sales(from, to);
	json_object *list;
	int rc;

	if (!st)
		return ST_ERREUR_BDD;
	list = reply_array(out, K_PRODUITS);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list);

		reply_int(e, K_ID, sqlite3_column_int64(st, 0));
		reply_str(e, K_NOM, (const char *)sqlite3_column_text(st, 1));
		reply_int(e, K_QTE, sqlite3_column_int64(st, 2));
		reply_money(e, K_MONTANT, sqlite3_column_int64(st, 3));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? ST_OK : ST_ERREUR_BDD;
}

/* The bar's figures: recettes (valid payments), dettes (what the bar owes
 * card holders: positive balances), benefices (recettes less what overdrawn
 * cards still owe), clientsNb, consommationsNb (drinks paid for), soldeMoy,
 * factureBDE (money collected when accounts were opened: the positive
 * initial balances of creations still valid, but credit given free);
 * rechargementsParMoyen (valid top-ups per means) and offert (credit given
 * free: top-ups and openings), over the whole ledger, or with depuis over the
 * series' period; with depuis, the series and produits (what sold from the
 * catalogue). Statuses: requete_malforme (jusqua not after depuis, more than
 * 1000 buckets), erreur_bdd. */
static enum status
h_statistiques(struct req *r, json_object *out)
{
	bool period = r->v[FLD_DEPUIS].set;
	int64_t from = period ? r->v[FLD_DEPUIS].i : 0;
	int64_t to = !period ? INT64_MAX : r->v[FLD_JUSQUA].set ? r->v[FLD_JUSQUA].i : r->now;
	int64_t avg = 0, topups[MEANS__MAX], free;
	struct ledger_stats s;
	json_object *means;
	enum status st;

	if (period && to <= from)
		return req_malformed(r, FLD_JUSQUA);
	if (period && series_length(r, from, to) > SERIES_MAX)
		return req_malformed(r, FLD_PAS); /* before any figure is written */
	if (!ledger_stats(&s) || !ledger_means(from, to, topups, &free))
		return ST_ERREUR_BDD;
	if (s.clients > 0) {
		/* Rounded half away from zero, in cents. */
		int64_t half = s.clients / 2;

		avg = s.balance_sum >= 0 ? (s.balance_sum + half) / s.clients
		    : (s.balance_sum - half) / s.clients;
	}
	reply_money(out, K_RECETTES, s.payments);
	reply_money(out, K_DETTES, s.owed);
	reply_money(out, K_BENEFICES, s.payments + s.debts);
	reply_int(out, K_CLIENTS_NB, s.clients);
	reply_int(out, K_CONSOMMATIONS_NB, s.drinks);
	reply_money(out, K_SOLDE_MOY, avg);
	reply_money(out, K_FACTURE_BDE, s.openings);
	means = json_object_new_object();
	for (int m = 0; m < MEANS__MAX; m++)
		json_object_object_add(means, means_words[m], reply_money_new(topups[m]));
	reply_object(out, K_RECHARGEMENTS_PAR_MOYEN, means);
	reply_money(out, K_OFFERT, free);
	if (!period)
		return ST_OK;
	if ((st = series(r, out, from, to)) != ST_OK)
		return st;
	return product_figures(out, from, to);
}

/* The price table. Statuses: erreur_bdd. */
static enum status
h_prix_liste(struct req *r, json_object *out)
{
	(void)r;
	return price_list_reply(out) ? ST_OK : ST_ERREUR_BDD;
}

/* Sets the price of `quantite` (1..1000) drinks, or removes it without
 * `prix`. Statuses: requete_malforme (prix not positive), montant_trop_eleve,
 * erreur_bdd. */
static enum status
h_prix_modifier(struct req *r, json_object *out)
{
	int64_t qty = r->v[FLD_QUANTITE].i, price = r->v[FLD_PRIX].i;
	json_object *d;

	(void)out;
	if (r->v[FLD_PRIX].set && price <= 0)
		return req_malformed(r, FLD_PRIX);
	if (price > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if (!price_set(qty, price))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_int(d, K_QUANTITE, qty);
	if (price)
		reply_money(d, K_PRIX, price);
	return req_journal(r, EV_PRIX, 0, d) ? ST_OK : ST_ERREUR_BDD;
}

/* Who the credential belongs to: login, effective right, card, and the scopes
 * it carries. Any credential may ask. Statuses: erreur_bdd. */
static enum status
h_me(struct req *r, json_object *out)
{
	struct user u;
	char words[64];
	int found = user_by_id(r->who.user_id, &u);

	if (found <= 0)
		return ST_ERREUR_BDD; /* the credential was just resolved to this user */
	scope_format(r->who.scopes, words, sizeof words);
	reply_str(out, K_LOGIN, u.login);
	reply_int(out, K_DROIT, r->who.droit);
	reply_str(out, K_ID_CARTE, u.card[0] ? u.card : NULL);
	reply_str(out, K_SCOPE, words);
	/* What a client needs to show how long a transaction may be cancelled. */
	reply_int(out, K_FENETRE_ANNULATION, cfg.cancel_window_ms / 1000);
	return ST_OK;
}

static const struct route routes[] = {
	{ .path = "coucou", .handler = h_coucou, .flags = R_PUBLIC | R_GET },
	{ .path = "v1/me", .handler = h_me, .scope = SCOPE_ANY, .flags = R_GET },
	{ .path = "carte/info", .handler = h_carte_info, .right = RIGHT_BDE, .scope = SCOPE_LECTURE,
	  .flags = R_WRITE, .takes = FB(FLD_ID_CARTE), .needs = FB(FLD_ID_CARTE) },
	{ .path = "statistiques", .handler = h_statistiques, .right = RIGHT_BAR,
	  .scope = SCOPE_LECTURE, .takes = FB(FLD_DEPUIS) | FB(FLD_JUSQUA) | FB(FLD_PAS) },
	{ .path = "prix/liste", .handler = h_prix_liste, .right = RIGHT_BDE, .scope = SCOPE_LECTURE },
	{ .path = "prix/modifier", .handler = h_prix_modifier, .right = RIGHT_PRESIDENT,
	  .flags = R_WRITE, .takes = FB(FLD_QUANTITE) | FB(FLD_PRIX) | FB(FLD_ID_REQUETE),
	  .needs = FB(FLD_QUANTITE) },
};

static const struct area area = {
	.name = "divers", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
