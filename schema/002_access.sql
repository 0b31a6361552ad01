-- Third-party access: API keys, OAuth applications, authorization codes and
-- tokens. Every secret is kept only as its SHA-256 (they are long and random).
-- Scopes are a bit set: 1 compte, 2 lecture, 4 caisse, 8 admin.

CREATE TABLE api_keys (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id),
	name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	prefix       TEXT NOT NULL,               -- shown in lists: "10p5_Ab3dEf"
	hash         BLOB NOT NULL UNIQUE,
	droit        INTEGER NOT NULL CHECK (droit BETWEEN 0 AND 3),
	created_ms   INTEGER NOT NULL,
	expires_ms   INTEGER,                     -- NULL: never
	last_used_ms INTEGER,
	uses         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_user ON api_keys(user_id);

CREATE TABLE apps (
	id          INTEGER PRIMARY KEY,
	client_id   TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	secret_hash BLOB NOT NULL,
	created_by  INTEGER NOT NULL REFERENCES users(id),
	created_ms  INTEGER NOT NULL
);

CREATE TABLE app_redirects (
	app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
	uri    TEXT NOT NULL,
	PRIMARY KEY (app_id, uri)
) WITHOUT ROWID;

-- A code is single-use: used_ms is set by its exchange, and a second exchange
-- revokes every token of the family it started.
CREATE TABLE oauth_codes (
	id           INTEGER PRIMARY KEY,
	hash         BLOB NOT NULL UNIQUE,
	app_id       INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users(id),
	redirect_uri TEXT NOT NULL,
	challenge    TEXT NOT NULL,               -- PKCE S256 code_challenge
	scopes       INTEGER NOT NULL,
	created_ms   INTEGER NOT NULL,
	expires_ms   INTEGER NOT NULL,
	used_ms      INTEGER
);

-- kind 1: access token, 2: refresh token. family is the code the chain of
-- tokens grew from; a replayed refresh token revokes the whole family.
CREATE TABLE oauth_tokens (
	id         INTEGER PRIMARY KEY,
	hash       BLOB NOT NULL UNIQUE,
	kind       INTEGER NOT NULL CHECK (kind IN (1, 2)),
	app_id     INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	family     INTEGER NOT NULL,
	scopes     INTEGER NOT NULL,
	created_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL,
	used_ms    INTEGER,                       -- refresh tokens: when rotated
	revoked_ms INTEGER
);
CREATE INDEX oauth_tokens_family ON oauth_tokens(family);
CREATE INDEX oauth_tokens_app ON oauth_tokens(app_id);
