-- The core of 10p5: staff, clients (cards with a balance), the ledger, the price
-- table, sessions, the failed-login counters, the idempotency records and the
-- journal. Money is INTEGER cents everywhere; dates are milliseconds since 1970.

CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	login      TEXT NOT NULL CHECK (length(login) BETWEEN 1 AND 30),
	password   TEXT NOT NULL,                 -- scrypt MCF string
	card       TEXT CHECK (card IS NULL OR length(card) BETWEEN 1 AND 32),
	droit      INTEGER NOT NULL CHECK (droit BETWEEN 0 AND 3),
	created_ms INTEGER NOT NULL,
	deleted_ms INTEGER                        -- kept so history still names them
);
CREATE UNIQUE INDEX users_login ON users(login) WHERE deleted_ms IS NULL;
CREATE UNIQUE INDEX users_card ON users(card) WHERE deleted_ms IS NULL AND card IS NOT NULL;

CREATE TABLE clients (
	id         INTEGER PRIMARY KEY,
	card       TEXT NOT NULL UNIQUE CHECK (length(card) BETWEEN 1 AND 32),
	balance    INTEGER NOT NULL CHECK (typeof(balance) = 'integer'),
	overdraft  INTEGER NOT NULL DEFAULT 0 CHECK (overdraft IN (0, 1)),
	created_ms INTEGER NOT NULL
);

-- type: 1 creation, 2 rechargement, 3 paiement, 4 vidange. Creation and
-- rechargement add `amount` to the balance, paiement and vidange subtract it;
-- `valid` flips on annuler/refaire. Invariant, kept by every writer in one
-- transaction: clients.balance = sum of the signed amounts of its valid rows.
CREATE TABLE transactions (
	id        INTEGER PRIMARY KEY,
	type      INTEGER NOT NULL CHECK (type BETWEEN 1 AND 4),
	client_id INTEGER NOT NULL REFERENCES clients(id),
	user_id   INTEGER NOT NULL REFERENCES users(id),
	date_ms   INTEGER NOT NULL,
	amount    INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND (type = 1 OR amount > 0)),
	qty       INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
	valid     INTEGER NOT NULL DEFAULT 1 CHECK (valid IN (0, 1))
);
CREATE INDEX transactions_client ON transactions(client_id, id);
CREATE INDEX transactions_user ON transactions(user_id, id);

CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER transactions_only_valid_changes
BEFORE UPDATE OF id, type, client_id, user_id, date_ms, amount, qty ON transactions
BEGIN SELECT RAISE(ABORT, 'only valid may change in the ledger'); END;

-- Price of n drinks bought together (packs may be cheaper than n singles).
CREATE TABLE prices (
	qty   INTEGER PRIMARY KEY CHECK (qty > 0),
	price INTEGER NOT NULL CHECK (typeof(price) = 'integer' AND price > 0)
);

-- Sessions: only the SHA-256 of the token is kept.
CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	hash       BLOB NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	max_droit  INTEGER NOT NULL CHECK (max_droit BETWEEN 0 AND 3),
	by_card    INTEGER NOT NULL DEFAULT 0 CHECK (by_card IN (0, 1)),
	created_ms INTEGER NOT NULL,
	used_ms    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_used ON sessions(used_ms);

-- Failed logins, per "l:<login>", "c:<card>" and "a:<address>", in fixed windows.
CREATE TABLE login_failures (
	key      TEXT PRIMARY KEY,
	fails    INTEGER NOT NULL,
	first_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- idRequete: the first answer to a (user, idRequete), replayed on repeats.
-- fingerprint is the SHA-256 of the endpoint and its parameters, so the same
-- idRequete reused for a different request is refused rather than replayed.
CREATE TABLE requests (
	user_id     INTEGER NOT NULL,
	request_id  TEXT NOT NULL,
	fingerprint BLOB NOT NULL,
	reply       TEXT NOT NULL,
	created_ms  INTEGER NOT NULL,
	PRIMARY KEY (user_id, request_id)
) WITHOUT ROWID;
CREATE INDEX requests_created ON requests(created_ms);

-- The journal: every change, who made it and with which credential
-- (cred_kind 0 the admin command, 1 a session, 2 an API key, 3 an OAuth token).
CREATE TABLE journal (
	id             INTEGER PRIMARY KEY,
	date_ms        INTEGER NOT NULL,
	user_id        INTEGER REFERENCES users(id),
	cred_kind      INTEGER NOT NULL CHECK (cred_kind BETWEEN 0 AND 3),
	cred_id        INTEGER,
	event          TEXT NOT NULL,
	client_id      INTEGER REFERENCES clients(id),
	transaction_id INTEGER REFERENCES transactions(id),
	balance        INTEGER,
	detail         TEXT
);
CREATE INDEX journal_client ON journal(client_id, id) WHERE client_id IS NOT NULL;

CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
