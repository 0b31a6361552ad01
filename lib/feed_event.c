/*
 * Rendering the journal's rows as events (feed_event.h). Each is built once
 * with json-c per shape, and kept as the text the subscribers copy out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "db_ledger.h"
#include "feed_event.h"
#include "hooks.h"
#include "reply.h"

static const char *const feed_kind_words[FK__MAX] = {
	[FK_TRANSACTION] = "transaction",
	[FK_ANNULATION]  = "annulation",
	[FK_REFAIRE]     = "refaire",
	[FK_CLIENT]      = "client",
	[FK_PRIX]        = "prix",
	[FK_UTILISATEUR] = "utilisateur",
	[FK_SERVICE]     = "service",
	[FK_HORSLIGNE]   = "horsligne",
};

/* --- rendering ------------------------------------------------------------ */

static void
add_json(json_object *o, enum key k, json_object *v)
{
	json_object_object_add_ex(o, key_names[k], v, JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

/* Copies key k of detail (when present) into o. */
static void
copy_key(json_object *o, json_object *detail, enum key k)
{
	json_object *v;

	if (detail && json_object_object_get_ex(detail, key_names[k], &v))
		add_json(o, k, json_object_get(v));
}

static char *
sse(int64_t id, enum feed_kind kind, json_object *data)
{
	const char *json = json_object_to_json_string_ext(data,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(json) + 64;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "id: %" PRId64 "\nevent: %s\ndata: %s\n\n", id, feed_kind_words[kind],
		    json);
	return s;
}

void
feed_event_free(struct event *e)
{
	if (e->text[1] != e->text[0])
		free(e->text[1]);
	free(e->text[0]);
	e->text[0] = e->text[1] = NULL;
}

bool
feed_row_credentials(sqlite3_stmt *st)
{
	const char *word = (const char *)sqlite3_column_text(st, 1);

	return strcmp(word, "utilisateur") == 0 || strcmp(word, "cle") == 0 ||
	    strcmp(word, "app") == 0;
}

/* What a transaction object holds beyond its first eight keys
 * (doc/api.md#transaction-objects): its means (null but for openings, top-ups
 * and emptyings), its shift, and the lines of a payment from the catalogue. */
static void
transaction_more(json_object *o, sqlite3_stmt *st)
{
	int type = sqlite3_column_int(st, 8), m = sqlite3_column_int(st, 14);
	const char *lines = (const char *)sqlite3_column_text(st, 16);

	reply_str(o, K_MOYEN, ledger_has_means(type) && m >= 0 && m < MEANS__MAX ? means_words[m] : NULL);
	if (sqlite3_column_type(st, 15) == SQLITE_NULL)
		reply_str(o, K_SERVICE, NULL);
	else
		reply_int(o, K_SERVICE, sqlite3_column_int64(st, 15));
	if (sqlite3_column_type(st, 17) != SQLITE_NULL) {
		/* A sale made offline: its date is when it was made. */
		reply_bool(o, K_HORS_LIGNE, true);
		reply_int(o, K_RECU, sqlite3_column_int64(st, 17));
	}
	if (lines)
		reply_object(o, K_LIGNES, ledger_lines(lines));
}

int
feed_render(sqlite3_stmt *st, struct event *e)
{
	const char *word = (const char *)sqlite3_column_text(st, 1);
	const char *card = (const char *)sqlite3_column_text(st, 3);
	const char *text = (const char *)sqlite3_column_text(st, 6);
	json_object *detail = text ? json_tokener_parse(text) : NULL, *o = json_object_new_object();
	json_object *bar = NULL, *requete;
	const char *req = detail && json_object_object_get_ex(detail, key_names[K_REQUETE], &requete)
	    ? json_object_get_string(requete) : "";
	int shown = 1;

	if (hook_fail("render")) {
		json_object_put(o);
		json_object_put(detail);
		return -1; /* as when memory runs out */
	}
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	snprintf(e->card, sizeof e->card, "%s", card ? card : "");
	if (strcmp(word, "transaction") == 0 || strcmp(word, "annulation") == 0 ||
	    strcmp(word, "refaire") == 0) {
		/* The transaction as it stood then: valid unless this cancels it. */
		e->kind = word[0] == 't' ? FK_TRANSACTION : word[0] == 'a' ? FK_ANNULATION : FK_REFAIRE;
		reply_int(o, K_ID, sqlite3_column_int64(st, 7));
		reply_int(o, K_TYPE, sqlite3_column_int64(st, 8));
		reply_str(o, K_CLIENT, e->card);
		reply_str(o, K_UTILISATEUR, (const char *)sqlite3_column_text(st, 12));
		reply_int(o, K_DATE, sqlite3_column_int64(st, 11));
		reply_money(o, K_MONTANT, sqlite3_column_int64(st, 9));
		reply_int(o, K_QTE, sqlite3_column_int64(st, 10));
		reply_bool(o, K_VALIDE, e->kind != FK_ANNULATION);
		transaction_more(o, st);
		reply_money(o, K_SOLDE_NOUVEAU, sqlite3_column_int64(st, 5));
		e->text[SHAPE_PRESIDENT] = e->text[SHAPE_BAR] = sse(e->id, e->kind, o);
	} else if (strcmp(word, "client") == 0) {
		e->kind = FK_CLIENT;
		reply_str(o, K_ID_CARTE, e->card);
		reply_str(o, K_REQUETE, req);
		reply_int(o, K_DATE, sqlite3_column_int64(st, 2));
		copy_key(o, detail, K_SOLDE);
		/* A lost card's events: the card as it was named then (a
		 * replacement's old card), its blocking and its new card. */
		copy_key(o, detail, K_ID_CARTE);
		copy_key(o, detail, K_BLOQUEE);
		copy_key(o, detail, K_MOTIF);
		copy_key(o, detail, K_NOUVELLE_CARTE);
		if (strcmp(req, "client/decouvert") != 0) {
			json_object_deep_copy(o, &bar, NULL);
			e->text[SHAPE_BAR] = sse(e->id, e->kind, bar);
		}
		copy_key(o, detail, K_DECOUVERT); /* presidents only */
		e->text[SHAPE_PRESIDENT] = sse(e->id, e->kind, o);
	} else if (strcmp(word, "prix") == 0) {
		json_object *v;

		e->kind = FK_PRIX;
		copy_key(o, detail, K_QUANTITE);
		if (detail && json_object_object_get_ex(detail, key_names[K_PRIX], &v))
			add_json(o, K_PRIX, json_object_get(v));
		else
			reply_str(o, K_PRIX, NULL); /* removed */
		reply_int(o, K_DATE, sqlite3_column_int64(st, 2));
		e->text[SHAPE_PRESIDENT] = e->text[SHAPE_BAR] = sse(e->id, e->kind, o);
	} else if (strcmp(word, "utilisateur") == 0 || strcmp(word, "verrou") == 0) {
		/* Staff administration and lock-outs: presidents only, and never a
		 * secret (the journal's details hold none). */
		e->kind = FK_UTILISATEUR;
		reply_str(o, K_REQUETE, *req ? req : "verrou");
		copy_key(o, detail, K_LOGIN);
		copy_key(o, detail, K_DROIT);
		copy_key(o, detail, K_TYPE);
		copy_key(o, detail, K_ADRESSE);
		copy_key(o, detail, K_JUSQUA);
		reply_int(o, K_DATE, sqlite3_column_int64(st, 2));
		reply_str(o, K_PAR, (const char *)sqlite3_column_text(st, 13));
		e->text[SHAPE_PRESIDENT] = sse(e->id, e->kind, o);
	} else if (strcmp(word, "service") == 0) {
		/* A shift opened or closed: its figures for presidents only. */
		e->kind = FK_SERVICE;
		copy_key(o, detail, K_ID);
		copy_key(o, detail, K_CAISSE);
		copy_key(o, detail, K_UTILISATEUR);
		reply_str(o, K_REQUETE, req);
		reply_int(o, K_DATE, sqlite3_column_int64(st, 2));
		reply_str(o, K_PAR, (const char *)sqlite3_column_text(st, 13));
		json_object_deep_copy(o, &bar, NULL);
		e->text[SHAPE_BAR] = sse(e->id, e->kind, bar);
		copy_key(o, detail, K_FOND);
		copy_key(o, detail, K_ATTENDU);
		copy_key(o, detail, K_COMPTE);
		copy_key(o, detail, K_ECART);
		copy_key(o, detail, K_TOTAUX);
		e->text[SHAPE_PRESIDENT] = sse(e->id, e->kind, o);
	} else if (strcmp(word, "horsligne") == 0) {
		/* The offline limits changed: every till takes the new ones. */
		e->kind = FK_HORSLIGNE;
		copy_key(o, detail, K_PLAFOND_CARTE);
		copy_key(o, detail, K_PLAFOND_CAISSE);
		copy_key(o, detail, K_DUREE_MAX);
		reply_int(o, K_DATE, sqlite3_column_int64(st, 2));
		reply_str(o, K_PAR, (const char *)sqlite3_column_text(st, 13));
		e->text[SHAPE_PRESIDENT] = e->text[SHAPE_BAR] = sse(e->id, e->kind, o);
	} else
		shown = 0;
	json_object_put(o);
	json_object_put(bar);
	json_object_put(detail);
	if (shown && !e->text[SHAPE_PRESIDENT]) {
		feed_event_free(e);
		return -1;
	}
	return shown;
}

int
feed_parse_types(const char *s, unsigned *out)
{
	*out = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		int found = 0;

		for (int k = 0; k < FK__MAX; k++) {
			if (strlen(feed_kind_words[k]) == n && strncmp(feed_kind_words[k], s, n) == 0) {
				*out |= 1u << k;
				found = 1;
			}
		}
		if (!found)
			return 0;
		s += n;
		if (*s == ',' && !*++s)
			return 0; /* a trailing comma names nothing */
	}
	return *out != 0; /* nor does an empty list */
}

