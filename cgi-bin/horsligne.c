/*
 * Area "horsligne": what a till needs to keep selling when the network is
 * gone (doc/api.md, "Selling offline"): the limits the president sets, the
 * prices and products to sell from, the server's time to measure its clock
 * by; and, once the sales have come back, what staff must settle. The sales
 * themselves arrive through client/payer with horsLigne.
 */
#include "config.h"
#include "db_offline.h"
#include "db_price.h"
#include "db_product.h"
#include "server.h"

/* Writes the limits under their wire names. */
static void
rules_reply(json_object *o, const struct offline_rules *rules)
{
	reply_money(o, K_PLAFOND_CARTE, rules->card_cap);
	reply_money(o, K_PLAFOND_CAISSE, rules->till_cap);
	reply_int(o, K_DUREE_MAX, rules->max_age_ms / 1000);
}

/* What a till keeps for offline sales: plafondCarte, plafondCaisse,
 * dureeMax (seconds), bloquees (the cards it must refuse), prix, produits,
 * maintenant (the server's time, ms).
 * Statuses: erreur_bdd. */
static enum status
h_regles(struct req *r, json_object *out)
{
	struct offline_rules rules;

	if (!offline_rules_get(&rules))
		return ST_ERREUR_BDD;
	rules_reply(out, &rules);
	if (!offline_blocked_reply(out) || !price_list_reply(out) || !product_list_reply(out))
		return ST_ERREUR_BDD;
	reply_int(out, K_MAINTENANT, r->now);
	return ST_OK;
}

/* Sets the limits given (the others stay): plafondCarte, plafondCaisse
 * (0 to the ceiling), dureeMax (60 s to a week). Journaled; a horsligne
 * event in the feed. Statuses: requete_malforme (a cap negative or none
 * given), montant_trop_eleve (a cap above the ceiling), erreur_bdd. */
static enum status
h_modifier(struct req *r, json_object *out)
{
	const struct value *v = r->v;
	struct offline_rules rules;
	json_object *d;

	if (!v[FLD_PLAFOND_CARTE].set && !v[FLD_PLAFOND_CAISSE].set && !v[FLD_DUREE_MAX].set)
		return req_malformed(r, FLD_PLAFOND_CARTE);
	if (v[FLD_PLAFOND_CARTE].i < 0)
		return req_malformed(r, FLD_PLAFOND_CARTE);
	if (v[FLD_PLAFOND_CAISSE].i < 0)
		return req_malformed(r, FLD_PLAFOND_CAISSE);
	if (v[FLD_PLAFOND_CARTE].i > cfg.ceiling || v[FLD_PLAFOND_CAISSE].i > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if (!offline_rules_get(&rules))
		return ST_ERREUR_BDD;
	if (v[FLD_PLAFOND_CARTE].set)
		rules.card_cap = v[FLD_PLAFOND_CARTE].i;
	if (v[FLD_PLAFOND_CAISSE].set)
		rules.till_cap = v[FLD_PLAFOND_CAISSE].i;
	if (v[FLD_DUREE_MAX].set)
		rules.max_age_ms = v[FLD_DUREE_MAX].i * 1000;
	if (!offline_rules_set(&rules))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	rules_reply(d, &rules);
	if (!req_journal(r, EV_HORSLIGNE, 0, d))
		return ST_ERREUR_BDD;
	rules_reply(out, &rules);
	return ST_OK;
}

/* What offline sales left for staff to settle: cartes, the cards they left
 * below their allowance [{idCarte, solde, manque}]; ventes, the sales
 * flagged [{idTransaction, idCarte, utilisateur, date, recu, montant,
 * valide, motifs}]. Statuses: erreur_bdd. */
static enum status
h_dettes(struct req *r, json_object *out)
{
	(void)r;
	return offline_debts_reply(out, cfg.ceiling) ? ST_OK : ST_ERREUR_BDD;
}

#define LIMITS (FB(FLD_PLAFOND_CARTE) | FB(FLD_PLAFOND_CAISSE) | FB(FLD_DUREE_MAX))

static const struct route routes[] = {
	{ .path = "horsligne/regles", .handler = h_regles, .right = RIGHT_BAR,
	  .scope = SCOPE_CAISSE | SCOPE_LECTURE },
	{ .path = "horsligne/modifier", .handler = h_modifier, .right = RIGHT_PRESIDENT,
	  .flags = R_WRITE, .takes = LIMITS | FB(FLD_ID_REQUETE) },
	{ .path = "horsligne/dettes", .handler = h_dettes, .right = RIGHT_BAR,
	  .scope = SCOPE_LECTURE },
};

static const struct area area = {
	.name = "horsligne", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
