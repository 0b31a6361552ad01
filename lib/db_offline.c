/*
 * The offline limits (one row), the flags of offline sales and the list of
 * what staff must settle. Flags are written beside their ledger row, in the
 * caller's transaction, and never change.
 */
#include "db.h"
#include "db_offline.h"
#include "reply.h"

int
offline_rules_get(struct offline_rules *r)
{
	sqlite3_stmt *st;

	if (db_row(&st, "SELECT card_cap, till_cap, max_age_ms, forgotten_ms FROM offline_rules"
	    " WHERE id = 1", "") != 1)
		return 0;
	r->card_cap = sqlite3_column_int64(st, 0);
	r->till_cap = sqlite3_column_int64(st, 1);
	r->max_age_ms = sqlite3_column_int64(st, 2);
	r->forgotten_ms = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	return 1;
}

int
offline_rules_set(const struct offline_rules *r)
{
	return db_exec("UPDATE offline_rules SET card_cap = ?1, till_cap = ?2, max_age_ms = ?3"
	    " WHERE id = 1", "iii", r->card_cap, r->till_cap, r->max_age_ms);
}

int
offline_flag(int64_t tx_id, unsigned reasons)
{
	return db_exec("INSERT INTO offline_flags (transaction_id, reasons) VALUES (?1, ?2)", "ii",
	    tx_id, (int64_t)reasons);
}

int
offline_blocked_reply(json_object *o)
{
	/* Read when a till starts or refreshes its rules, never per sale: a
	 * scan of the clients costs little at that rate. */
	sqlite3_stmt *st = db_query("SELECT card FROM clients WHERE blocked"
	    " UNION ALL SELECT card FROM former_cards ORDER BY 1", "");
	json_object *list;
	int rc;

	if (!st)
		return 0;
	list = reply_array(o, K_BLOQUEES);
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_object_array_add(list,
		    json_object_new_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

/* The words of the reasons, by bit. */
static const char *const reason_words[] = { "plafond", "bloquee" };

int
offline_debts_reply(json_object *o, int64_t ceiling)
{
	/* Few cards ever sell offline: they are found through their index. */
	sqlite3_stmt *st = db_query("SELECT c.card, c.balance,"
	    " (CASE WHEN c.overdraft THEN -?1 ELSE 0 END) - c.balance FROM clients c"
	    " WHERE c.id IN (SELECT client_id FROM transactions WHERE received_ms IS NOT NULL)"
	    " AND c.balance < (CASE WHEN c.overdraft THEN -?1 ELSE 0 END) ORDER BY c.card",
	    "i", ceiling);
	json_object *list;
	int rc;

	if (!st)
		return 0;
	list = reply_array(o, K_CARTES);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list);

		reply_str(e, K_ID_CARTE, (const char *)sqlite3_column_text(st, 0));
		reply_money(e, K_SOLDE, sqlite3_column_int64(st, 1));
		reply_money(e, K_MANQUE, sqlite3_column_int64(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 0;
	if (!(st = db_query("SELECT t.id, c.card, u.login, t.date_ms, t.received_ms, t.amount,"
	    " t.valid, f.reasons FROM offline_flags f JOIN transactions t ON t.id = f.transaction_id"
	    " JOIN clients c ON c.id = t.client_id JOIN users u ON u.id = t.user_id ORDER BY t.id",
	    "")))
		return 0;
	list = reply_array(o, K_VENTES);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		json_object *e = reply_push_object(list), *why;
		int64_t reasons = sqlite3_column_int64(st, 7);

		reply_int(e, K_ID_TRANSACTION, sqlite3_column_int64(st, 0));
		reply_str(e, K_ID_CARTE, (const char *)sqlite3_column_text(st, 1));
		reply_str(e, K_UTILISATEUR, (const char *)sqlite3_column_text(st, 2));
		reply_int(e, K_DATE, sqlite3_column_int64(st, 3));
		reply_int(e, K_RECU, sqlite3_column_int64(st, 4));
		reply_money(e, K_MONTANT, sqlite3_column_int64(st, 5));
		reply_bool(e, K_VALIDE, sqlite3_column_int(st, 6) != 0);
		why = reply_array(e, K_MOTIFS);
		for (size_t b = 0; b < sizeof reason_words / sizeof reason_words[0]; b++)
			if (reasons & (1 << b))
				json_object_array_add(why, json_object_new_string(reason_words[b]));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}
