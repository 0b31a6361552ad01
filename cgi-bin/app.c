/*
 * Area "app": the president registers the third-party applications allowed to
 * ask staff for access through OAuth 2.0, each with its exact redirect URIs.
 * The client secret is shown once; deleting an app revokes all its tokens.
 */
#include <string.h>

#include "db.h"
#include "crypto.h"
#include "db_app.h"
#include "server.h"
#include "token.h"

#define REDIRECTS_MAX 10

/* Registers an app. With an idRequete, a repeat registers nothing and answers
 * the same without the secret (client_secret null). Statuses: requete_malforme (more than 10 redirect_uri),
 * erreur_bdd. */
static enum status
h_creer(struct req *r, json_object *out)
{
	const char *uris[REDIRECTS_MAX];
	size_t n = field_values(&r->params, FLD_REDIRECT_URI, uris, REDIRECTS_MAX);
	char client_id[32] = "app_", secret[TOKEN_MAX];
	unsigned char hash[SHA256_LEN];
	json_object *list, *d;
	int64_t id;

	if (n > REDIRECTS_MAX)
		return req_malformed(r, FLD_REDIRECT_URI);
	if (!rand_token(client_id + 4, 20) || !token_make(TOK_CLIENT_SECRET, secret))
		return ST_ERREUR_GENERIQUE;
	token_hash(secret, hash);
	if (!app_insert(client_id, r->v[FLD_NOM].s, hash, r->who.user_id, r->now, &id))
		return ST_ERREUR_BDD;
	for (size_t i = 0; i < n; i++)
		if (!app_add_redirect(id, uris[i]))
			return ST_ERREUR_BDD;
	d = json_object_new_object();
	reply_str(d, K_CLIENT_ID, client_id);
	reply_str(d, K_NOM, r->v[FLD_NOM].s);
	if (!req_journal(r, EV_APP, 0, d))
		return ST_ERREUR_BDD;
	reply_str(out, K_CLIENT_ID, client_id);
	reply_str(out, K_CLIENT_SECRET, secret);
	req_secret(r, K_CLIENT_SECRET);
	reply_str(out, K_NOM, r->v[FLD_NOM].s);
	list = reply_array(out, K_REDIRECT_URI);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(list, json_object_new_string(uris[i]));
	wipe(secret, sizeof secret);
	return ST_OK;
}

/* The registered apps. Statuses: erreur_bdd. */
static enum status
h_liste(struct req *r, json_object *out)
{
	sqlite3_stmt *st = app_list();
	json_object *list;
	int rc;

	(void)r;
	if (!st)
		return ST_ERREUR_BDD;
	list = reply_array(out, K_APPS);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list), *uris;
		sqlite3_stmt *ru = app_redirects(sqlite3_column_int64(st, 0));
		int rr;

		reply_str(e, K_CLIENT_ID, (const char *)sqlite3_column_text(st, 1));
		reply_str(e, K_NOM, (const char *)sqlite3_column_text(st, 2));
		reply_int(e, K_CREATION, sqlite3_column_int64(st, 3));
		reply_str(e, K_PROPRIETAIRE, (const char *)sqlite3_column_text(st, 4));
		uris = reply_array(e, K_REDIRECT_URI);
		if (!ru) {
			sqlite3_reset(st);
			return ST_ERREUR_BDD;
		}
		while ((rr = db_step(ru)) == SQLITE_ROW)
			json_object_array_add(uris,
			    json_object_new_string((const char *)sqlite3_column_text(ru, 0)));
		sqlite3_reset(ru);
		if (rr != SQLITE_DONE) {
			sqlite3_reset(st);
			return ST_ERREUR_BDD;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? ST_OK : ST_ERREUR_BDD;
}

/* Deletes an app, revoking its codes and tokens at once. Statuses:
 * application_inconnue, erreur_bdd. */
static enum status
h_supprimer(struct req *r, json_object *out)
{
	int gone = app_delete(r->v[FLD_CLIENT_ID].s);
	json_object *d;

	(void)out;
	if (gone <= 0)
		return gone < 0 ? ST_ERREUR_BDD : ST_APPLICATION_INCONNUE;
	d = json_object_new_object();
	reply_str(d, K_CLIENT_ID, r->v[FLD_CLIENT_ID].s);
	return req_journal(r, EV_APP, 0, d) ? ST_OK : ST_ERREUR_BDD;
}

static const struct route routes[] = {
	{ .path = "app/creer", .handler = h_creer, .right = RIGHT_PRESIDENT, .flags = R_WRITE,
	  .takes = FB(FLD_NOM) | FB(FLD_REDIRECT_URI) | FB(FLD_ID_REQUETE),
	  .needs = FB(FLD_NOM) | FB(FLD_REDIRECT_URI) },
	{ .path = "app/liste", .handler = h_liste, .right = RIGHT_PRESIDENT },
	{ .path = "app/supprimer", .handler = h_supprimer, .right = RIGHT_PRESIDENT, .flags = R_WRITE,
	  .takes = FB(FLD_CLIENT_ID) | FB(FLD_ID_REQUETE), .needs = FB(FLD_CLIENT_ID) },
};

static const struct area area = {
	.name = "app", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
