-- A credential's id is never given to another: sessions, API keys, OAuth apps,
-- codes and tokens take AUTOINCREMENT ids, which SQLite never hands out twice,
-- even after the row with the largest id was deleted. Whatever names a
-- credential by its id (a feed ticket, a stream's re-check, the journal's
-- cred_id, the card look-up limiter) then names that credential and no other:
-- a session ended, a key revoked or an app deleted stays unknown for good.
--
-- SQLite cannot add AUTOINCREMENT to a table: each is rebuilt, its rows (with
-- their ids), indexes and foreign keys kept. Dropping apps would delete its
-- children's rows (ON DELETE CASCADE), so the children are copied and dropped
-- first, and every table comes back with its rows. Each sequence then starts
-- past the largest id the database still mentions anywhere (the table, the
-- journal, the tickets, the tokens' families): the ids deleted before this
-- migration are not given again either.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE sessions_copy AS SELECT * FROM sessions;
CREATE TEMP TABLE api_keys_copy AS SELECT * FROM api_keys;
CREATE TEMP TABLE apps_copy AS SELECT * FROM apps;
CREATE TEMP TABLE app_redirects_copy AS SELECT * FROM app_redirects;
CREATE TEMP TABLE oauth_codes_copy AS SELECT * FROM oauth_codes;
CREATE TEMP TABLE oauth_tokens_copy AS SELECT * FROM oauth_tokens;
DROP TABLE oauth_tokens;
DROP TABLE oauth_codes;
DROP TABLE app_redirects;
DROP TABLE apps;
DROP TABLE api_keys;
DROP TABLE sessions;

-- Sessions: only the SHA-256 of the token is kept.
CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	hash       BLOB NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	max_droit  INTEGER NOT NULL CHECK (max_droit BETWEEN 0 AND 3),
	by_card    INTEGER NOT NULL DEFAULT 0 CHECK (by_card IN (0, 1)),
	created_ms INTEGER NOT NULL,
	used_ms    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_used ON sessions(used_ms);

CREATE TABLE api_keys (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
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

INSERT INTO sessions (id, hash, user_id, max_droit, by_card, created_ms, used_ms)
	SELECT id, hash, user_id, max_droit, by_card, created_ms, used_ms FROM sessions_copy;
INSERT INTO api_keys (id, user_id, name, prefix, hash, droit, created_ms, expires_ms,
	last_used_ms, uses)
	SELECT id, user_id, name, prefix, hash, droit, created_ms, expires_ms, last_used_ms, uses
	FROM api_keys_copy;
INSERT INTO apps (id, client_id, name, secret_hash, created_by, created_ms)
	SELECT id, client_id, name, secret_hash, created_by, created_ms FROM apps_copy;
INSERT INTO app_redirects (app_id, uri) SELECT app_id, uri FROM app_redirects_copy;
INSERT INTO oauth_codes (id, hash, app_id, user_id, redirect_uri, challenge, scopes, created_ms,
	expires_ms, used_ms)
	SELECT id, hash, app_id, user_id, redirect_uri, challenge, scopes, created_ms, expires_ms,
	used_ms FROM oauth_codes_copy;
INSERT INTO oauth_tokens (id, hash, kind, app_id, user_id, family, scopes, created_ms,
	expires_ms, used_ms, revoked_ms)
	SELECT id, hash, kind, app_id, user_id, family, scopes, created_ms, expires_ms, used_ms,
	revoked_ms FROM oauth_tokens_copy;

-- The journal's cred_id is a session's id (cred_kind 1), a key's (2) or an
-- app's (3); a ticket's token_id a session's (1), a key's (2) or an access
-- token's (3); a token's family a code's id.
DELETE FROM sqlite_sequence WHERE name IN ('sessions', 'api_keys', 'apps', 'oauth_codes',
	'oauth_tokens');
INSERT INTO sqlite_sequence (name, seq) VALUES
	('sessions', max(
		(SELECT coalesce(max(id), 0) FROM sessions_copy),
		(SELECT coalesce(max(cred_id), 0) FROM journal WHERE cred_kind = 1),
		(SELECT coalesce(max(token_id), 0) FROM tickets WHERE cred_kind = 1))),
	('api_keys', max(
		(SELECT coalesce(max(id), 0) FROM api_keys_copy),
		(SELECT coalesce(max(cred_id), 0) FROM journal WHERE cred_kind = 2),
		(SELECT coalesce(max(token_id), 0) FROM tickets WHERE cred_kind = 2))),
	('apps', max(
		(SELECT coalesce(max(id), 0) FROM apps_copy),
		(SELECT coalesce(max(cred_id), 0) FROM journal WHERE cred_kind = 3))),
	('oauth_codes', max(
		(SELECT coalesce(max(id), 0) FROM oauth_codes_copy),
		(SELECT coalesce(max(family), 0) FROM oauth_tokens_copy))),
	('oauth_tokens', max(
		(SELECT coalesce(max(id), 0) FROM oauth_tokens_copy),
		(SELECT coalesce(max(token_id), 0) FROM tickets WHERE cred_kind = 3)));

DROP TABLE sessions_copy;
DROP TABLE api_keys_copy;
DROP TABLE apps_copy;
DROP TABLE app_redirects_copy;
DROP TABLE oauth_codes_copy;
DROP TABLE oauth_tokens_copy;
