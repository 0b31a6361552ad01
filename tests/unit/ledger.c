/* Unit tests for lib/db_ledger.c: the balance rules and the ledger writes. */
#include "../tap.h"
#include "db_ledger.h"
#include "unitdb.h"

int
main(void)
{
	char row[512];
	struct principal who = { .user_id = 1, .kind = CRED_SESSION, .cred_id = 7, .droit = 3 };
	struct client c = { .balance = 1000 }, o = { .balance = 0, .overdraft = true };
	struct ledger_row t;
	struct ledger_stats s;
	int64_t tx, pay;
	sqlite3_stmt *st;
	int bad = 0, n;

	if (!unitdb_open("unit-ledger"))
		return 2;
	db_exec("INSERT INTO users (login, password, droit, created_ms) VALUES ('prez', 'x', 3, 0)", "");

	is_int(ledger_effect(TX_CREATION, 5), 5, "a creation adds");
	is_int(ledger_effect(TX_RECHARGEMENT, 5), 5, "a top-up adds");
	is_int(ledger_effect(TX_PAIEMENT, 5), -5, "a payment subtracts");
	is_int(ledger_effect(TX_VIDANGE, 5), -5, "emptying subtracts");
	is_int(ledger_effect(TX_AJUSTEMENT, -5), -5, "an adjustment moves by its signed amount");
	is_int(ledger_effect(TX_AJUSTEMENT, 5), 5, "either way");
	is_int(ledger_check(&c, -1), ST_SOLDE_INSUFFISANT, "no overdraft: below zero is refused");
	is_int(ledger_check(&c, 0), ST_OK, "zero is fine");
	is_int(ledger_check(&c, cfg.ceiling + 1), ST_MONTANT_TROP_ELEVE, "above the ceiling is refused");
	is_int(ledger_check(&o, -cfg.ceiling), ST_OK, "overdraft: down to minus the ceiling");
	is_int(ledger_check(&o, -cfg.ceiling - 1), ST_SOLDE_INSUFFISANT, "but no further");
	{
		struct client high = { .balance = cfg.ceiling + 500 };

		is_int(ledger_check(&high, cfg.ceiling + 100), ST_OK,
		    "a balance above a lowered ceiling may still go down");
	}

	strcpy(c.card, "CARD1");
	db_begin(true);
	ok(ledger_open_client(&who, 1000, &c, MEANS_ESPECES, &tx), "a client is opened");
	is_int(c.balance, 1000, "with its initial balance");
	ok(ledger_post(&who, 2000, &c, &(struct posting){ .type = TX_PAIEMENT, .amount = 250, .qty = 2 },
	    &pay), "a payment is posted");
	is_int(c.balance, 750, "the balance moves");
	db_commit();
	is_int(db_int("SELECT balance FROM clients WHERE card = 'CARD1'", -999), 750, "and is stored");
	is_int(db_int("SELECT count(*) FROM journal WHERE event = 'transaction' AND cred_id = 7", -999), 2,
	    "both rows are journaled with the credential");
	ok(ledger_get(pay, &t) == 1 && t.amount == 250 && t.qty == 2 && t.valid, "the row reads back");
	is_int(ledger_get(999, &t), 0, "an unknown row is not found");
	ledger_get(pay, &t);
	db_begin(true);
	ok(ledger_flip(&who, 3000, &t, &c, false), "the payment is cancelled");
	is_int(c.balance, 1000, "the balance comes back");
	ok(ledger_flip(&who, 3000, &t, &c, true), "and re-applied");
	is_int(c.balance, 750, "the balance goes down again");
	db_commit();
	is_int(db_int("SELECT count(*) FROM journal WHERE event IN ('annulation', 'refaire')", -999), 2,
	    "both flips are journaled");
	is_int(ledger_verify(unitdb_count_bad, &bad), 0, "the invariant holds");

	st = ledger_list(c.id, 0, NULL, &(struct ledger_page){ .before = INT64_MAX });
	ok(st && db_step(st) == SQLITE_ROW, "the client's history lists");
	n = ledger_row_json(st, row, sizeof row);
	ok(n > 0, "a row formats");
	row[n > 0 ? n : 0] = '\0';
	is_str(row, "{\"id\":1,\"type\":1,\"client\":\"CARD1\",\"utilisateur\":\"prez\",\"date\":1000,"
	    "\"montant\":10,\"qte\":0,\"valide\":true,\"moyen\":\"especes\",\"service\":null}",
	    "as doc/api.md's transaction object");
	ok(ledger_row_json(st, row, 40) < 0, "a row that does not fit is refused, not cut");
	sqlite3_reset(st);
	st = ledger_list(c.id, 0, NULL, &(struct ledger_page){ .before = INT64_MAX, .newest = true });
	ok(st && db_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == pay,
	    "newest first, the payment comes first");
	ok(db_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == 1 && db_step(st) == SQLITE_DONE,
	    "then the creation, and nothing else");
	st = ledger_list(c.id, 0, NULL, &(struct ledger_page){ .before = pay, .newest = true });
	ok(st && db_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == 1 &&
	    db_step(st) == SQLITE_DONE, "before the payment's id: only the creation");
	sqlite3_reset(st);

	ok(ledger_stats(&s), "statistics compute");
	is_int(s.payments, 250, "payments");
	is_int(s.drinks, 2, "drinks");
	is_int(s.openings, 1000, "initial balances");
	is_int(s.clients, 1, "clients");

	/* Type 5, the adjustment an import writes. */
	db_begin(true);
	ok(ledger_post(&who, 4000, &c, &(struct posting){ .type = TX_AJUSTEMENT, .amount = -20 }, &tx),
	    "a negative adjustment is posted");
	is_int(c.balance, 730, "the balance moves down by it");
	ok(!db_exec("INSERT INTO transactions (type, client_id, user_id, date_ms, amount) VALUES (5, 1, 1, 0, 0)", ""),
	    "an adjustment of nothing is refused");
	ok(!db_exec("INSERT INTO transactions (type, client_id, user_id, date_ms, amount) VALUES (6, 1, 1, 0, 1)", ""),
	    "there is no type 6");
	db_commit();
	is_int(ledger_verify(unitdb_count_bad, &bad), 0, "the invariant counts the adjustment");
	ok(ledger_stats(&s) && s.payments == 250 && s.openings == 1000 && s.drinks == 2,
	    "which is neither takings, drinks nor an opening");
	ledger_get(tx, &t);
	db_begin(true);
	ok(ledger_flip(&who, 5000, &t, &c, false) && c.balance == 750, "cancelling it gives the amount back");
	db_commit();
	is_int(ledger_verify(unitdb_count_bad, &bad), 0, "and the invariant still holds");
	unitdb_close();
	return done_testing();
}
