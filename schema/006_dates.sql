-- statistiques draws the evening over time (its `serie`): the ledger is read
-- by date. Dates grow with ids, so the index is only ever appended to.
CREATE INDEX transactions_date ON transactions(date_ms);
