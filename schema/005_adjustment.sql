-- Transaction type 5, "ajustement": a signed amount that brings a balance in
-- line with its ledger. Only `10p5-admin import-php` writes it, when the
-- original PHP server's stored balance differs from the sum of the card's
-- valid rows (that server lost updates under concurrency). It is neither
-- takings nor a top-up, so `statistiques` counts it in no total. The
-- invariant reads: clients.balance = sum of the valid rows' effects, where
-- types 1, 2 and 5 add `amount` and types 3 and 4 subtract it.
--
-- Imported users keep the PHP version's bcrypt hash in users.password until
-- their first login replaces it with scrypt.
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt, its
-- rows, indexes and triggers kept. The journal's rows refer to transactions:
-- with foreign keys deferred, dropping the table counts them as dangling and
-- putting the same ids back counts them as resolved, all before the commit.
-- Each of those counts looks the row up in the journal, hence an index for
-- the time of the rebuild (without it, a million rows take hours).
PRAGMA defer_foreign_keys = ON;
CREATE INDEX journal_transaction_rebuild ON journal(transaction_id);

CREATE TEMP TABLE ledger_copy AS SELECT * FROM transactions;
DROP TABLE transactions;

CREATE TABLE transactions (
	id        INTEGER PRIMARY KEY,
	type      INTEGER NOT NULL CHECK (type BETWEEN 1 AND 5),
	client_id INTEGER NOT NULL REFERENCES clients(id),
	user_id   INTEGER NOT NULL REFERENCES users(id),
	date_ms   INTEGER NOT NULL,
	amount    INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND
	              (type = 1 OR amount > 0 OR (type = 5 AND amount < 0))),
	qty       INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
	valid     INTEGER NOT NULL DEFAULT 1 CHECK (valid IN (0, 1))
);
INSERT INTO transactions (id, type, client_id, user_id, date_ms, amount, qty, valid)
	SELECT id, type, client_id, user_id, date_ms, amount, qty, valid FROM ledger_copy;
DROP TABLE ledger_copy;
DROP INDEX journal_transaction_rebuild;

CREATE INDEX transactions_client ON transactions(client_id, id, type, user_id, date_ms, amount, qty, valid);
CREATE INDEX transactions_user ON transactions(user_id, id);

CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER transactions_only_valid_changes
BEFORE UPDATE OF id, type, client_id, user_id, date_ms, amount, qty ON transactions
BEGIN SELECT RAISE(ABORT, 'only valid may change in the ledger'); END;
