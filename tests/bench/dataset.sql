-- The benchmark's data set: 100 000 ordinary clients with nine transactions
-- each, three clients with 1 000, 10 000 and 100 000 transactions, a card to
-- pay from and a thousand more: about a million ledger rows in all. Balances are computed from
-- the rows, so the ledger invariant holds. A run that needs fewer ordinary clients creates
-- temp.dataset_size first (bench.sh fiche: none).
CREATE TEMP TABLE IF NOT EXISTS dataset_size AS SELECT 100000 AS ordinary;
BEGIN;
INSERT INTO users (login, password, droit, created_ms)
SELECT 'bench', password, 2, 0 FROM users WHERE login = 'prez';
-- Staff for the login runs, each with prez's password, who logged in from the
-- bench's address before (as staff at their bar have).
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99)
INSERT INTO users (login, password, droit, created_ms)
SELECT printf('staff%04d', i), password, 1, 0 FROM n, users WHERE login = 'prez';
INSERT INTO known_addresses (user_id, addr, last_ms, password)
SELECT id, '127.0.0.1', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 1
FROM users WHERE login GLOB 'staff[0-9]*';

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT ordinary FROM dataset_size))
INSERT INTO clients (card, balance, overdraft, created_ms)
SELECT printf('C%06d', i), 0, 0, 0 FROM n WHERE i <= (SELECT ordinary FROM dataset_size);
INSERT INTO clients (card, balance, overdraft, created_ms)
VALUES ('H1K', 0, 0, 0), ('H10K', 0, 0, 0), ('H100K', 0, 0, 0), ('PAY', 0, 0, 0);
-- A thousand cards for the live feed's runs: payments go round them, each
-- followed by a subscriber of its own.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
INSERT INTO clients (card, balance, overdraft, created_ms)
SELECT printf('CARD%04d', i), 0, 0, 0 FROM n;

-- Creations: 50.00 for ordinary cards, 1000.00 for the long histories, and
-- a million for the card the payment runs draw on (the benchmark raises the
-- ceiling): grouped commits take more than 100 000 payments in a run.
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty)
SELECT 1, c.id, u.id, 1700000000000 + c.id,
    CASE WHEN c.card LIKE 'CARD%' THEN 10000000 WHEN c.card LIKE 'C%' THEN 5000
    WHEN c.card = 'PAY' THEN 100000000 ELSE 100000 END, 0
FROM clients c, users u WHERE u.login = 'bench';

-- Ordinary cards: one top-up and seven drinks.
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty)
SELECT 2, c.id, u.id, 1700100000000 + c.id, 1000, 0
FROM clients c, users u WHERE u.login = 'bench' AND c.card GLOB 'C[0-9]*';
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 7)
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty)
SELECT 3, c.id, u.id, 1700200000000 + c.id * 10 + k.j, 150, 1
FROM clients c, users u, k WHERE u.login = 'bench' AND c.card GLOB 'C[0-9]*';

-- The long histories: payments of 0.01.
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 99999)
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty)
SELECT 3, c.id, u.id, 1700300000000 + k.j, 1, 0
FROM clients c, users u, k
WHERE u.login = 'bench' AND ((c.card = 'H1K' AND k.j < 1000) OR (c.card = 'H10K' AND k.j < 10000)
    OR c.card = 'H100K');

UPDATE clients SET balance = (SELECT sum(CASE WHEN type IN (1, 2) THEN amount ELSE -amount END)
    FROM transactions WHERE client_id = clients.id);
COMMIT;
