-- A card's UID identifies, it does not authenticate (doc/api.md#cards): a place where a
-- user only ever showed a card is known for that card, not for the password.
-- password: the user's password was right here. The rows kept so far may
-- come from a card and count for cards only: a place becomes known for the
-- password again at its user's next password login there (as browsers do,
-- whose cookies given so far, to cards too, are no longer accepted).
ALTER TABLE known_addresses ADD COLUMN password INTEGER NOT NULL DEFAULT 0
	CHECK (password IN (0, 1));

-- When each user's password was last checked: while passwords queue for their
-- hash, a login gets one check every few seconds (lib/login.c).
CREATE TABLE password_checks (
	user_id INTEGER PRIMARY KEY REFERENCES users(id),
	last_ms INTEGER NOT NULL
);
