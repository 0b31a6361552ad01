/*
 * Area "service": shifts. A bar member opens one at a till with the cash
 * float counted, and closes it with the cash counted: the answer says what
 * the ledger expected, the gap, and the totals per means of payment (see
 * lib/db_service.h). Every row a user writes while their shift is open
 * carries its id (lib/db_ledger.c). A president lists them for the close-out.
 */
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "db_service.h"
#include "server.h"

/* The largest float or count taken, in cents: a million euros, the bound of
 * any ceiling (a cash box may hold more than one operation's ceiling). */
#define CASH_MAX ((int64_t)100000000)

/* A count of cash: ST_OK, requete_malforme (negative) or montant_trop_eleve. */
static enum status
cash(struct req *r, enum fld f)
{
	if (r->v[f].i < 0)
		return req_malformed(r, f);
	return r->v[f].i > CASH_MAX ? ST_MONTANT_TROP_ELEVE : ST_OK;
}

/* The totals per means of s, as a new object keyed by the means' words. */
static json_object *
totals(const struct service *s)
{
	json_object *o = json_object_new_object();

	for (int m = 0; m < MEANS__MAX; m++)
		json_object_object_add(o, means_words[m], reply_money_new(s->totals[m]));
	return o;
}

/* Journals a shift's opening or closing (its figures for presidents: see
 * lib/feed_event.c). */
static int
journal(struct req *r, const struct service *s, const int64_t *counted, int64_t expected)
{
	json_object *d = json_object_new_object();

	reply_int(d, K_ID, s->id);
	reply_str(d, K_CAISSE, s->till);
	reply_str(d, K_UTILISATEUR, s->login);
	reply_money(d, K_FOND, s->cash_float);
	if (counted) {
		reply_money(d, K_ATTENDU, expected);
		reply_money(d, K_COMPTE, *counted);
		reply_money(d, K_ECART, *counted - expected);
		reply_object(d, K_TOTAUX, totals(s));
	}
	return req_journal(r, EV_SERVICE, 0, d);
}

/* Opens the caller's shift at till `caisse` (default: the login) with the
 * float `fond` (default 0). Statuses: service_ouvert (the caller has one
 * open), requete_malforme (fond negative), montant_trop_eleve, erreur_bdd. */
static enum status
h_ouvrir(struct req *r, json_object *out)
{
	struct service s = { .user_id = r->who.user_id, .opened_ms = r->now };
	int64_t id;
	enum status st;
	int found;

	if ((st = cash(r, FLD_FOND)) != ST_OK)
		return st;
	if ((found = service_open_of(r->who.user_id, &id)) != 0) {
		if (found < 0)
			return ST_ERREUR_BDD;
		reply_int(out, K_ID, id);
		return ST_SERVICE_OUVERT;
	}
	s.cash_float = r->v[FLD_FOND].i;
	snprintf(s.login, sizeof s.login, "%s", r->who.login);
	snprintf(s.till, sizeof s.till, "%s", r->v[FLD_CAISSE].set ? r->v[FLD_CAISSE].s : r->who.login);
	if (!service_open(s.user_id, s.till, s.cash_float, r->now, &s.id) || !journal(r, &s, NULL, 0))
		return ST_ERREUR_BDD;
	reply_int(out, K_ID, s.id);
	return ST_OK;
}

/* Closes shift `id` (one's own, or anyone's for a president) with the cash
 * counted: answers attendu (the float, plus the cash taken by top-ups and
 * openings, less the cash paid out by emptyings, in that shift), compte,
 * ecart (compte - attendu) and totaux per means. Statuses: service_inconnu,
 * droits_insuffisants (another's shift below right 3), service_ferme (closed
 * already), requete_malforme (compte negative), montant_trop_eleve,
 * erreur_bdd. */
static enum status
h_fermer(struct req *r, json_object *out)
{
	int64_t counted = r->v[FLD_COMPTE].i, expected;
	struct service s;
	enum status st;
	int found;

	if ((st = cash(r, FLD_COMPTE)) != ST_OK)
		return st;
	if ((found = service_get(r->v[FLD_ID].i, &s)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : ST_SERVICE_INCONNU;
	if ((st = req_require_self(r, s.user_id, RIGHT_PRESIDENT)) != ST_OK)
		return st;
	if (s.closed_ms)
		return ST_SERVICE_FERME;
	expected = service_expected(&s);
	if (!service_close(&s, r->who.user_id, r->now, counted, expected) ||
	    !journal(r, &s, &counted, expected))
		return ST_ERREUR_BDD;
	reply_int(out, K_ID, s.id);
	reply_money(out, K_ATTENDU, expected);
	reply_money(out, K_COMPTE, counted);
	reply_money(out, K_ECART, counted - expected);
	reply_object(out, K_TOTAUX, totals(&s));
	return ST_OK;
}

/* The shifts opened from depuis (default: the first) to jusqua (default:
 * now), oldest first, with their figures from the ledger as it stands, and
 * for closed ones what was expected at closing and when their rows last
 * changed since (modifie). Statuses: requete_malforme (jusqua not after
 * depuis), erreur_bdd. */
static enum status
h_liste(struct req *r, json_object *out)
{
	int64_t from = r->v[FLD_DEPUIS].i, to = r->v[FLD_JUSQUA].set ? r->v[FLD_JUSQUA].i : INT64_MAX;
	sqlite3_stmt *st;

	(void)out;
	if (to <= from)
		return req_malformed(r, FLD_JUSQUA);
	if (!(st = service_list(from, to)))
		return ST_ERREUR_BDD;
	req_stream(r, K_SERVICES, st, service_row_json, 0);
	return ST_OK;
}

#define RID FB(FLD_ID_REQUETE)

static const struct route routes[] = {
	{ .path = "service/ouvrir", .handler = h_ouvrir, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = FB(FLD_CAISSE) | FB(FLD_FOND) | RID },
	{ .path = "service/fermer", .handler = h_fermer, .right = RIGHT_BAR, .scope = SCOPE_CAISSE,
	  .flags = R_WRITE, .takes = FB(FLD_ID) | FB(FLD_COMPTE) | RID,
	  .needs = FB(FLD_ID) | FB(FLD_COMPTE) },
	{ .path = "service/liste", .handler = h_liste, .right = RIGHT_PRESIDENT,
	  .scope = SCOPE_LECTURE, .takes = FB(FLD_DEPUIS) | FB(FLD_JUSQUA) },
};

static const struct area area = {
	.name = "service", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
