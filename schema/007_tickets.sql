-- Tickets of the live feed (doc/feed.md#tickets): a browser's EventSource cannot send a
-- header, so it shows a ticket in the URL instead of its credential. A ticket
-- is single-use, lives 30 s and stands for the credential it was made with
-- (kind and row, as struct principal's token_id); only its SHA-256 is kept.
CREATE TABLE tickets (
	hash       BLOB PRIMARY KEY,
	cred_kind  INTEGER NOT NULL CHECK (cred_kind BETWEEN 1 AND 3),
	token_id   INTEGER NOT NULL,
	created_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL,
	used_ms    INTEGER
) WITHOUT ROWID;
CREATE INDEX tickets_expires ON tickets(expires_ms);
