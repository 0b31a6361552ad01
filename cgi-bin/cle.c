/*
 * Area "cle": API keys for scripts (a nightly export, a treasurer's
 * spreadsheet) and screens (a wall's, which follows the feed only). A key is
 * created by someone logged in with their password, is shown once, acts as its
 * owner capped at its own right and within its scopes, and is revoked at once
 * when deleted.
 */
#include "db.h"
#include "db_key.h"
#include "server.h"
#include "token.h"

/* The words of a key's scopes: every scope when it was made without any. */
static void
reply_portee(json_object *o, unsigned scopes)
{
	char words[64];

	scope_format(scopes ? scopes : SCOPE__ALL, words, sizeof words);
	reply_str(o, K_PORTEE, words);
}

/* Creates a key, for someone logged in with a password (R_SESSION: a key must
 * not outlive a stolen card, another key or a token). portee narrows what it
 * may do (a wall screen's key: flux); without it the key holds every scope,
 * its right alone capping it. With an idRequete, a repeat creates nothing and
 * answers the same without the secret (cle null): it is shown once and
 * stored nowhere. Statuses: droits_insuffisants (a right above one's own),
 * requete_malforme (portee: an unknown, repeated or empty word), erreur_bdd. */
static enum status
h_creer(struct req *r, json_object *out)
{
	int64_t days = r->v[FLD_EXPIRATION].set ? r->v[FLD_EXPIRATION].i : 90, id;
	struct key_spec k = {
		.name = r->v[FLD_NOM].s,
		.droit = r->v[FLD_DROIT].set ? (int)r->v[FLD_DROIT].i : r->who.droit,
		.scopes = r->v[FLD_PORTEE].set ? (unsigned)r->v[FLD_PORTEE].i : 0,
		.expires_ms = r->now + days * 86400000,
	};
	char key[TOKEN_MAX], prefix[TOKEN_MAX];
	unsigned char hash[SHA256_LEN];
	json_object *d;

	if (k.droit > r->who.droit)
		return ST_DROITS_INSUFFISANTS;
	if (!token_make(TOK_KEY, key))
		return ST_ERREUR_GENERIQUE;
	token_display(key, prefix);
	token_hash(key, hash);
	k.prefix = prefix;
	if (!key_insert(r->who.user_id, &k, hash, r->now, &id))
		return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_int(d, K_ID, id);
	reply_str(d, K_NOM, k.name);
	reply_int(d, K_DROIT, k.droit);
	reply_portee(d, k.scopes);
	if (!req_journal(r, EV_CLE, 0, d))
		return ST_ERREUR_BDD;
	reply_int(out, K_ID, id);
	reply_str(out, K_CLE, key);
	req_secret(r, K_CLE);
	reply_str(out, K_PREFIXE, prefix);
	reply_str(out, K_NOM, k.name);
	reply_int(out, K_DROIT, k.droit);
	reply_portee(out, k.scopes);
	reply_int(out, K_EXPIRATION, k.expires_ms);
	wipe(key, sizeof key);
	return ST_OK;
}

static void
optional_int(json_object *o, enum key k, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		reply_str(o, k, NULL);
	else
		reply_int(o, k, sqlite3_column_int64(st, col));
}

/* The caller's keys, each with its portee; a president's list holds
 * everyone's. Use counts may lag a couple of seconds (they are written in
 * batches). Statuses: erreur_bdd. */
static enum status
h_liste(struct req *r, json_object *out)
{
	sqlite3_stmt *st = key_list(r->who.droit >= RIGHT_PRESIDENT ? 0 : r->who.user_id);
	json_object *list;
	int rc;

	if (!st)
		return ST_ERREUR_BDD;
	list = reply_array(out, K_CLES);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list);

		reply_int(e, K_ID, sqlite3_column_int64(st, 0));
		reply_str(e, K_NOM, (const char *)sqlite3_column_text(st, 1));
		reply_str(e, K_PREFIXE, (const char *)sqlite3_column_text(st, 2));
		reply_int(e, K_CREATION, sqlite3_column_int64(st, 3));
		optional_int(e, K_DERNIERE_UTILISATION, st, 4);
		reply_int(e, K_UTILISATIONS, sqlite3_column_int64(st, 5));
		reply_int(e, K_DROIT, sqlite3_column_int64(st, 6));
		optional_int(e, K_EXPIRATION, st, 7);
		reply_str(e, K_PROPRIETAIRE, (const char *)sqlite3_column_text(st, 8));
		reply_portee(e, (unsigned)sqlite3_column_int(st, 9));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? ST_OK : ST_ERREUR_BDD;
}

/* Revokes a key: one's own, or anyone's for a president. Statuses:
 * cle_inconnue (also for someone else's key), erreur_bdd. */
static enum status
h_supprimer(struct req *r, json_object *out)
{
	int gone = key_delete(r->v[FLD_ID].i, r->who.droit >= RIGHT_PRESIDENT ? 0 : r->who.user_id);
	json_object *d;

	(void)out;
	if (gone <= 0)
		return gone < 0 ? ST_ERREUR_BDD : ST_CLE_INCONNUE;
	d = json_object_new_object();
	reply_int(d, K_ID, r->v[FLD_ID].i);
	return req_journal(r, EV_CLE, 0, d) ? ST_OK : ST_ERREUR_BDD;
}

static const struct route routes[] = {
	{ .path = "cle/creer", .handler = h_creer, .right = RIGHT_BDE, .flags = R_WRITE | R_SESSION,
	  .takes = FB(FLD_NOM) | FB(FLD_DROIT) | FB(FLD_PORTEE) | FB(FLD_EXPIRATION) |
	  FB(FLD_ID_REQUETE),
	  .needs = FB(FLD_NOM) },
	{ .path = "cle/liste", .handler = h_liste, .right = RIGHT_BDE },
	{ .path = "cle/supprimer", .handler = h_supprimer, .right = RIGHT_BDE, .flags = R_WRITE,
	  .takes = FB(FLD_ID) | FB(FLD_ID_REQUETE), .needs = FB(FLD_ID) },
};

static const struct area area = {
	.name = "cle", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
