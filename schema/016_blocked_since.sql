-- When a card was blocked (doc/api.md, "Selling offline"): a sale made
-- offline on a card blocked before the sale's time is recorded and flagged,
-- one made before the card was blocked stands. NULL while the card is not
-- blocked. The journal says it too, but has no index on its client (schema
-- 003): the payment reads the time with the card's row instead.
ALTER TABLE clients ADD COLUMN blocked_ms INTEGER;

-- Cards blocked before this schema: the journal's last row blocking each, or
-- the card's creation when none says it.
UPDATE clients SET blocked_ms = coalesce((SELECT max(j.date_ms) FROM journal j
	WHERE j.client_id = clients.id AND j.event = 'client' AND json_valid(j.detail)
	AND json_extract(j.detail, '$.bloquee') = 1), created_ms)
WHERE blocked = 1;
