-- Each card's version: a number that changes, in the same transaction, with
-- every change to the card's ledger rows or to its name. A worker keeps a
-- card's history as it sent it and gives it again while the card's version
-- is unchanged (lib/answers.h), whatever happens to other cards meanwhile.
--
-- What a card's history shows comes from its own rows and from names that
-- never change: a card keeps its number (an update of it bumps the version
-- all the same) and a staff login is never renamed. A card is never deleted
-- (its ledger rows name it), so no other card ever takes its id and its
-- version: the trigger below refuses it. A migration that makes either table
-- again makes these triggers again.
ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER transactions_insert_version AFTER INSERT ON transactions BEGIN
	UPDATE clients SET version = version + 1 WHERE id = NEW.client_id;
END;

CREATE TRIGGER transactions_update_version AFTER UPDATE ON transactions BEGIN
	UPDATE clients SET version = version + 1 WHERE id IN (OLD.client_id, NEW.client_id);
END;

CREATE TRIGGER transactions_delete_version AFTER DELETE ON transactions BEGIN
	UPDATE clients SET version = version + 1 WHERE id = OLD.client_id;
END;

CREATE TRIGGER clients_card_version AFTER UPDATE OF card ON clients BEGIN
	UPDATE clients SET version = version + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER clients_never_deleted BEFORE DELETE ON clients BEGIN
	SELECT RAISE(ABORT, 'a card is never deleted');
END;
