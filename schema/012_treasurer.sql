-- The treasurer (doc/api.md, "The treasurer"): the means of payment of each
-- top-up, opening and emptying; the shifts (a staff member's session at a
-- till, with the cash float counted at its start and the cash counted at its
-- end); the product catalogue, and the lines of the payments made from it.
-- Money is integer cents, dates milliseconds, as everywhere.

-- A shift. Its figures (the cash expected, the totals per means) are computed
-- from the ledger rows that carry its id; `expected` keeps what they said at
-- closing, and `changed_ms` the last time one of its rows was cancelled or
-- redone after closing (a president's correction), so that the close-out shows
-- the figures moved since. A user has one open shift at most.
CREATE TABLE services (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	till       TEXT NOT NULL CHECK (length(till) BETWEEN 1 AND 64),
	opened_ms  INTEGER NOT NULL,
	cash_float INTEGER NOT NULL CHECK (typeof(cash_float) = 'integer' AND cash_float >= 0),
	closed_ms  INTEGER,
	closed_by  INTEGER REFERENCES users(id),
	counted    INTEGER CHECK (counted IS NULL OR (typeof(counted) = 'integer' AND counted >= 0)),
	expected   INTEGER CHECK (expected IS NULL OR typeof(expected) = 'integer'),
	changed_ms INTEGER,
	CHECK ((closed_ms IS NULL) = (counted IS NULL) AND (closed_ms IS NULL) = (expected IS NULL)
	    AND (closed_ms IS NULL) = (closed_by IS NULL) AND (changed_ms IS NULL OR closed_ms IS NOT NULL))
);
CREATE UNIQUE INDEX services_open ON services(user_id) WHERE closed_ms IS NULL;
CREATE INDEX services_opened ON services(opened_ms);
CREATE TRIGGER services_no_delete BEFORE DELETE ON services
BEGIN SELECT RAISE(ABORT, 'shifts are kept'); END;
CREATE TRIGGER services_closed_once BEFORE UPDATE OF user_id, till, opened_ms, cash_float, closed_ms,
	closed_by, counted, expected ON services WHEN OLD.closed_ms IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed shift keeps its closing'); END;

-- The ledger's new columns, added in place (no rebuild of a million rows):
-- means 0 especes (cash, what every row before this version was), 1 carte
-- (the bank-card terminal), 2 virement (bank transfer), 3 offert (credit given
-- free); it means something for creations, top-ups and emptyings only. The
-- shift the row was made in, if its user had one open. How many lines a
-- payment made from the catalogue has (0 otherwise), so that lists look the
-- lines up only for the rows that have some.
ALTER TABLE transactions ADD COLUMN means INTEGER NOT NULL DEFAULT 0 CHECK (means BETWEEN 0 AND 3);
ALTER TABLE transactions ADD COLUMN service_id INTEGER REFERENCES services(id);
ALTER TABLE transactions ADD COLUMN lines INTEGER NOT NULL DEFAULT 0 CHECK (lines BETWEEN 0 AND 100);
CREATE TRIGGER transactions_treasury_fixed BEFORE UPDATE OF means, service_id, lines ON transactions
BEGIN SELECT RAISE(ABORT, 'only valid may change in the ledger'); END;

-- The fiche's covering index holds the new columns too; a shift's rows are
-- found by their shift.
DROP INDEX transactions_client;
CREATE INDEX transactions_client ON transactions(client_id, id, type, user_id, date_ms, amount, qty,
	valid, means, service_id, lines);
CREATE INDEX transactions_service ON transactions(service_id, type, valid, means, amount)
	WHERE service_id IS NOT NULL;

-- The catalogue: what the till's buttons sell. A product is never deleted
-- (old lines name it); it is made inactive.
CREATE TABLE products (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	price      INTEGER NOT NULL CHECK (typeof(price) = 'integer' AND price > 0),
	category   TEXT NOT NULL DEFAULT '' CHECK (length(category) <= 64),
	active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	sort       INTEGER NOT NULL DEFAULT 0,
	created_ms INTEGER NOT NULL
);
CREATE TRIGGER products_no_delete BEFORE DELETE ON products
BEGIN SELECT RAISE(ABORT, 'products are kept'); END;

-- The lines of a payment made from the catalogue, with the name and price of
-- the moment of sale: a later change of the catalogue leaves them as they
-- were. Written with their payment, never changed.
CREATE TABLE sale_lines (
	transaction_id INTEGER NOT NULL REFERENCES transactions(id),
	line           INTEGER NOT NULL CHECK (line BETWEEN 1 AND 100),
	product_id     INTEGER NOT NULL REFERENCES products(id),
	name           TEXT NOT NULL,
	price          INTEGER NOT NULL CHECK (typeof(price) = 'integer' AND price > 0),
	qty            INTEGER NOT NULL CHECK (qty BETWEEN 1 AND 1000),
	PRIMARY KEY (transaction_id, line)
) WITHOUT ROWID;
CREATE TRIGGER sale_lines_no_delete BEFORE DELETE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER sale_lines_no_update BEFORE UPDATE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
