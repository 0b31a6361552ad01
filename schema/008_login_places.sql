-- A card's UID identifies, it does not authenticate (SPEC §5): a place where a
-- user only ever showed a card is known for that card, not for the password.
-- password: the user's password was right here. The rows kept so far may
-- come from either and stay known for both, as they were.
ALTER TABLE known_addresses ADD COLUMN password INTEGER NOT NULL DEFAULT 1
	CHECK (password IN (0, 1));

-- When each user's password was last checked: while passwords queue for their
-- hash, a login gets one check every few seconds (lib/login.c).
CREATE TABLE password_checks (
	user_id INTEGER PRIMARY KEY REFERENCES users(id),
	last_ms INTEGER NOT NULL
);
