-- Selling offline (doc/api.md, "Selling offline"): a till that lost the
-- network keeps its sales and sends them when it comes back. A sale sent late
-- is recorded with the time it was made (its date) and the time it arrived
-- (received_ms, NULL for every sale made online); dates then no longer grow
-- with ids, which the date index does not need.

-- The limits the president sets, one row: the most a card may go below what
-- it is allowed through offline sales (cents), the most one till may sell
-- offline in all (cents: the till keeps to it), the oldest sale accepted (ms).
CREATE TABLE offline_rules (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	card_cap   INTEGER NOT NULL CHECK (typeof(card_cap) = 'integer' AND card_cap >= 0),
	till_cap   INTEGER NOT NULL CHECK (typeof(till_cap) = 'integer' AND till_cap >= 0),
	max_age_ms INTEGER NOT NULL CHECK (typeof(max_age_ms) = 'integer' AND max_age_ms > 0)
);
INSERT INTO offline_rules (id, card_cap, till_cap, max_age_ms) VALUES (1, 1000, 15000, 7200000);

ALTER TABLE transactions ADD COLUMN received_ms INTEGER;
CREATE TRIGGER transactions_received_fixed BEFORE UPDATE OF received_ms ON transactions
BEGIN SELECT RAISE(ABORT, 'only valid may change in the ledger'); END;

-- The fiche's covering index holds the new column too (schema 012's columns
-- kept); the cards offline sales reached are found without a scan.
DROP INDEX transactions_client;
CREATE INDEX transactions_client ON transactions(client_id, id, type, user_id, date_ms, amount, qty,
	valid, means, service_id, lines, received_ms);
CREATE INDEX transactions_offline ON transactions(client_id) WHERE received_ms IS NOT NULL;

-- Offline sales the staff must look at, written with their sale: reasons is
-- a set of bits, 1 the card went further below its allowance than the
-- offline cap, 2 the card was blocked before the sale's time.
CREATE TABLE offline_flags (
	transaction_id INTEGER PRIMARY KEY REFERENCES transactions(id),
	reasons        INTEGER NOT NULL CHECK (reasons BETWEEN 1 AND 3)
);
CREATE TRIGGER offline_flags_no_delete BEFORE DELETE ON offline_flags
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER offline_flags_no_update BEFORE UPDATE ON offline_flags
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
