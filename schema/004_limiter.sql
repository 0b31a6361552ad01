-- The login limiter, rebuilt so that it cannot lock people out (doc/api.md#logins). A
-- guesser gets a handful of tries per login and address (or per login and
-- browser), a bounded number per login and day from everywhere together, and a
-- bounded number of unknown cards per address; an address or a browser where
-- a user has logged in before is not locked by guesses made elsewhere.
-- kind: 1 login from an address, 2 login from everywhere (a day), 3 unknown
-- cards from an address, 4 login from a browser (its device cookie), 5 unknown
-- cards looked up by one credential (carte/info). '' stands for "not part of
-- the key", so that the UNIQUE constraint holds (NULLs would all differ).
DROP TABLE login_failures;
CREATE TABLE limits (
	id       INTEGER PRIMARY KEY,
	kind     INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
	login    TEXT NOT NULL DEFAULT '',
	addr     TEXT NOT NULL DEFAULT '',
	fails    INTEGER NOT NULL,
	first_ms INTEGER NOT NULL,
	UNIQUE (kind, login, addr)
);
CREATE INDEX limits_first ON limits(first_ms);

-- Where each user has logged in successfully (kept 90 days after the last).
CREATE TABLE known_addresses (
	user_id INTEGER NOT NULL REFERENCES users(id),
	addr    TEXT NOT NULL,
	last_ms INTEGER NOT NULL,
	PRIMARY KEY (user_id, addr)
) WITHOUT ROWID;

-- Server secrets: the key that signs browsers' device cookies.
CREATE TABLE secrets (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO secrets (name, value) VALUES ('device_cookie', randomblob(32));

-- (The journal's cred_kind 0, "no credential", is now also the server itself:
-- a lock-out starts with no one acting.)
