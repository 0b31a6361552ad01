-- A client's history is read far more often than written: a covering index
-- lets a fiche scan it without visiting the table row by row.
DROP INDEX transactions_client;
CREATE INDEX transactions_client ON transactions(client_id, id, type, user_id, date_ms, amount, qty, valid);

-- Every payment writes a journal row; an index on the journal's client would
-- be one more page per payment for a query nothing makes on the hot path.
DROP INDEX journal_client;
