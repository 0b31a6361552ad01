/*
 * Journal writes. Triggers in the schema refuse any UPDATE or DELETE, so the
 * journal can only grow.
 */
#include "db.h"
#include "db_journal.h"

const char *const journal_event_words[EV__MAX] = {
	[EV_TRANSACTION] = "transaction",
	[EV_ANNULATION]  = "annulation",
	[EV_REFAIRE]     = "refaire",
	[EV_CLIENT]      = "client",
	[EV_UTILISATEUR] = "utilisateur",
	[EV_PRIX]        = "prix",
	[EV_CLE]         = "cle",
	[EV_APP]         = "app",
	[EV_VERROU]      = "verrou",
	[EV_IMPORT]      = "import",
	[EV_SERVICE]     = "service",
	[EV_PRODUIT]     = "produit",
	[EV_HORSLIGNE]   = "horsligne",
};

int
journal_add(const struct principal *who, int64_t now, struct journal_entry *e)
{
	sqlite3_stmt *st = db_prepare("INSERT INTO journal (date_ms, user_id, cred_kind, cred_id,"
	    " event, client_id, transaction_id, balance, detail)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	int ok = 0;

	if (!st)
		goto out;
	sqlite3_bind_int64(st, 1, now);
	if (who && who->user_id)
		sqlite3_bind_int64(st, 2, who->user_id);
	sqlite3_bind_int(st, 3, who ? (int)who->kind : CRED_NONE);
	if (who && who->cred_id)
		sqlite3_bind_int64(st, 4, who->cred_id);
	sqlite3_bind_text(st, 5, journal_event_words[e->event], -1, SQLITE_STATIC);
	if (e->client_id)
		sqlite3_bind_int64(st, 6, e->client_id);
	if (e->tx_id)
		sqlite3_bind_int64(st, 7, e->tx_id);
	if (e->has_balance)
		sqlite3_bind_int64(st, 8, e->balance);
	if (e->detail)
		sqlite3_bind_text(st, 9, json_object_to_json_string_ext(e->detail,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), -1, SQLITE_TRANSIENT);
	ok = db_step(st) == SQLITE_DONE;
	sqlite3_reset(st);
out:
	json_object_put(e->detail);
	e->detail = NULL;
	return ok;
}
