-- The database's identity (doc/api.md, coucou's `base`): 128 random bits in
-- hexadecimal, made when the database is created or migrated, and made anew
-- by `10p5-admin new-identity` (a restored backup or replica is another
-- database: a web till that sees the identity change sends again the sales it
-- was told were recorded, doc/bar.md). One row.
CREATE TABLE identity (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	id  TEXT NOT NULL CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*')
);
INSERT INTO identity (one, id) VALUES (1, lower(hex(randomblob(16))));
