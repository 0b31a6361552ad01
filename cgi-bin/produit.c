/*
 * Area "produit": the catalogue the till's buttons sell from, grouped by
 * category, in the president's order. A payment from it (client/payer with
 * produits) keeps each line with the name and price of the moment of sale
 * (lib/db_product.h). The per-quantity price table (prix/liste,
 * prix/modifier) stays beside it for the Android app.
 */
#include <stdio.h>

#include "config.h"
#include "db.h"
#include "db_product.h"
#include "server.h"

/* Every product, active or not, in the till's order (ordre, then id).
 * Statuses: erreur_bdd. */
static enum status
h_liste(struct req *r, json_object *out)
{
	(void)r;
	return product_list_reply(out) ? ST_OK : ST_ERREUR_BDD;
}

/* Creates a product (without id: nom and prix needed; active, no category
 * and order 0 unless given) or changes the fields given of product id.
 * Answers id. Statuses: produit_inconnu (no product id), requete_malforme
 * (nom or prix missing for a new one, prix not positive), montant_trop_eleve
 * (prix above the ceiling), erreur_bdd. */
static enum status
h_modifier(struct req *r, json_object *out)
{
	const struct value *v = r->v;
	struct product p = { .active = true };
	json_object *d;
	int found;

	if (v[FLD_PRIX].set && v[FLD_PRIX].i <= 0)
		return req_malformed(r, FLD_PRIX);
	if (v[FLD_PRIX].i > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if (v[FLD_ID].set) {
		if ((found = product_get(v[FLD_ID].i, &p)) <= 0)
			return found < 0 ? ST_ERREUR_BDD : ST_PRODUIT_INCONNU;
	} else if (!v[FLD_NOM].set || !v[FLD_PRIX].set)
		return req_malformed(r, v[FLD_NOM].set ? FLD_PRIX : FLD_NOM);
	if (v[FLD_NOM].set)
		snprintf(p.name, sizeof p.name, "%s", v[FLD_NOM].s);
	if (v[FLD_PRIX].set)
		p.price = v[FLD_PRIX].i;
	if (v[FLD_CATEGORIE].set)
		snprintf(p.category, sizeof p.category, "%s", v[FLD_CATEGORIE].s);
	if (v[FLD_ACTIF].set)
		p.active = v[FLD_ACTIF].i != 0;
	if (v[FLD_RANG].set)
		p.sort = v[FLD_RANG].i;
	if (!product_put(&p, r->now))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_int(d, K_ID, p.id);
	reply_str(d, K_NOM, p.name);
	reply_money(d, K_PRIX, p.price);
	reply_str(d, K_CATEGORIE, p.category);
	reply_bool(d, K_ACTIF, p.active);
	reply_int(d, K_ORDRE, p.sort);
	if (!req_journal(r, EV_PRODUIT, 0, d))
		return ST_ERREUR_BDD;
	reply_int(out, K_ID, p.id);
	return ST_OK;
}

static const struct route routes[] = {
	{ .path = "produit/liste", .handler = h_liste, .right = RIGHT_BDE, .scope = SCOPE_LECTURE },
	{ .path = "produit/modifier", .handler = h_modifier, .right = RIGHT_PRESIDENT,
	  .flags = R_WRITE, .takes = FB(FLD_ID) | FB(FLD_NOM) | FB(FLD_PRIX) | FB(FLD_CATEGORIE) |
	  FB(FLD_ACTIF) | FB(FLD_RANG) | FB(FLD_ID_REQUETE) },
};

static const struct area area = {
	.name = "produit", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
