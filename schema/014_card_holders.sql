-- Card holders and lost cards (doc/api.md, card holders): a card may be
-- blocked; an account may move to a new card, its former cards kept blocked
-- for good; a holder code (scrypt, as passwords are) opens holder sessions,
-- which see their own card and nothing else.
--
-- A card's version (schema 013) moves with what its kept history shows: its
-- ledger rows and its number. A replacement changes the number (the existing
-- trigger bumps it); blocking and a new code change neither the rows nor the
-- number, and the fiche reads them afresh with the balance, outside the kept
-- part.
ALTER TABLE clients ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1));
ALTER TABLE clients ADD COLUMN code_hash TEXT;

-- Cards an account left behind: each answers carte_bloquee for ever and
-- names the account, whose card is its replacement.
CREATE TABLE former_cards (
	card        TEXT PRIMARY KEY CHECK (length(card) BETWEEN 1 AND 32),
	client_id   INTEGER NOT NULL REFERENCES clients(id),
	replaced_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX former_cards_client ON former_cards(client_id);

-- A former card never holds an account again.
CREATE TRIGGER clients_not_former_insert BEFORE INSERT ON clients
WHEN EXISTS (SELECT 1 FROM former_cards WHERE card = NEW.card) BEGIN
	SELECT RAISE(ABORT, 'a former card is blocked for good');
END;
CREATE TRIGGER clients_not_former_update BEFORE UPDATE OF card ON clients
WHEN EXISTS (SELECT 1 FROM former_cards WHERE card = NEW.card) BEGIN
	SELECT RAISE(ABORT, 'a former card is blocked for good');
END;

-- Holder sessions: only the SHA-256 of the token is kept; ids never reused
-- (schema 009), as the journal names them.
CREATE TABLE holder_sessions (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	hash       BLOB NOT NULL UNIQUE,
	client_id  INTEGER NOT NULL REFERENCES clients(id),
	created_ms INTEGER NOT NULL,
	used_ms    INTEGER NOT NULL
);
CREATE INDEX holder_sessions_client ON holder_sessions(client_id);
CREATE INDEX holder_sessions_used ON holder_sessions(used_ms);

-- The journal takes a fourth kind of credential (4, a holder session). A
-- CHECK cannot change in place: the table is rebuilt with its rows and ids,
-- and its append-only triggers made again.
CREATE TABLE journal_new (
	id             INTEGER PRIMARY KEY,
	date_ms        INTEGER NOT NULL,
	user_id        INTEGER REFERENCES users(id),
	cred_kind      INTEGER NOT NULL CHECK (cred_kind BETWEEN 0 AND 4),
	cred_id        INTEGER,
	event          TEXT NOT NULL,
	client_id      INTEGER REFERENCES clients(id),
	transaction_id INTEGER REFERENCES transactions(id),
	balance        INTEGER,
	detail         TEXT
);
INSERT INTO journal_new SELECT id, date_ms, user_id, cred_kind, cred_id, event, client_id,
	transaction_id, balance, detail FROM journal;
DROP TABLE journal;
ALTER TABLE journal_new RENAME TO journal;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
