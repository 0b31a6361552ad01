-- The known history of replies.t: every shape a list row can take (each
-- transaction type, valid or not, amounts with no, one and two decimals,
-- negative adjustments, the int64 extremes, cards and logins that need
-- escaping, a deleted user), long enough to cross any buffer or record
-- boundary at every offset. Dates and ids are fixed, so the replies are too.
-- Balances are the sums of the valid rows' effects, as the ledger keeps them.
BEGIN;
INSERT INTO users (login, password, card, droit, created_ms, deleted_ms)
SELECT v.login, p.password, v.card, v.droit, 0, v.deleted
FROM users p, (SELECT 'bar-2' AS login, NULL AS card, 2 AS droit, NULL AS deleted
	UNION ALL SELECT 'caisse.1', 'CARTECAISSE1', 2, NULL
	UNION ALL SELECT 'x_y', NULL, 1, NULL
	UNION ALL SELECT 'ancien', NULL, 2, 1600000000000
	UNION ALL SELECT 'abcdefghijklmnopqrstuvwxyz.-_9', NULL, 3, NULL) v
WHERE p.login = 'prez' ORDER BY v.login;
-- Users 1 (prez) to 6, in that order: rows name them by id below.

-- Two shifts, and products whose names need escaping (one of 64 bytes).
INSERT INTO services (user_id, till, opened_ms, cash_float)
SELECT id, 'Bar', 1700000000000, 0 FROM users WHERE login IN ('caisse.1', 'bar-2') ORDER BY id;
INSERT INTO products (name, price, created_ms) VALUES ('Bière "pression" \ /€', 250, 0), ('Coca', 180, 0),
	('abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij"\', 1, 0);

INSERT INTO clients (card, balance, overdraft, created_ms) VALUES
	('LONG', 0, 1, 0), ('MIN', 0, 1, 0), ('MAX', 0, 0, 0), ('VIDE', 0, 0, 0),
	('q"uote', 0, 0, 0), ('back\slash', 0, 1, 0), ('ctl' || char(1) || char(10) || char(9) || char(31), 0, 0, 0),
	('slash/é€', 0, 0, 0), ('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', 0, 0, 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO clients (card, balance, overdraft, created_ms)
SELECT printf('C%04d', i), 0, i % 3 = 0, 0 FROM n;

-- Each card of C0001..C3000 opened by caisse.1: their ids collide in any
-- small cache of names. Opening amounts from -999.99 to 999.99, zero included.
-- Paid by each means in turn, some in a shift.
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, valid, means, service_id)
SELECT 1, c.id, u.id, 1700000000000 + c.id * 1000, (c.id * 7919) % 199999 - 99999, 0, c.id % 11 != 0,
	c.id % 4, CASE WHEN c.id % 5 = 0 THEN 1 END
FROM clients c, users u WHERE u.login = 'caisse.1' AND c.card GLOB 'C[0-9]*' ORDER BY c.id;

-- The odd cards: one row of each type, by users in turn.
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 5)
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, valid, means, service_id)
SELECT k.j, c.id, 1 + (c.id + k.j) % 6,
	1710000000000 + c.id * 10 + k.j,
	CASE k.j WHEN 1 THEN 12345 WHEN 5 THEN -5 ELSE k.j * 105 END, k.j * 2 % 3, k.j != 4,
	CASE WHEN k.j IN (1, 2, 4) THEN (c.id + k.j) % 4 ELSE 0 END, CASE WHEN k.j = 2 THEN 2 END
FROM clients c, k
WHERE c.card NOT GLOB 'C[0-9]*' AND c.card NOT IN ('LONG', 'MIN', 'MAX', 'VIDE') ORDER BY c.id, k.j;

INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, valid)
SELECT 1, id, 1, 0, -9223372036854775807 - 1, 0, 1 FROM clients WHERE card = 'MIN';
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, valid)
SELECT 1, id, 1, 9223372036854775807, 9223372036854775807, 1000, 1 FROM clients WHERE card = 'MAX';

-- The long history: 12 000 rows of every type by six users (the deleted one
-- among them), amounts from 0.01 to 99 999.99, quantities up to 1000.
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, valid)
SELECT 1, id, 1, 1720000000000, 100000, 0, 1 FROM clients WHERE card = 'LONG';
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 11999)
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, valid, means, service_id)
SELECT 2 + (k.j * 13) % 4, c.id, 1 + k.j % 6,
	1720000000000 + k.j * 61001,
	CASE WHEN (k.j * 13) % 4 = 3 AND k.j % 2 = 0 THEN -((k.j * 37) % 5000 + 1)
	     ELSE 1 + (k.j * k.j * 7) % (CASE k.j % 5 WHEN 0 THEN 10 WHEN 1 THEN 1000
	          WHEN 2 THEN 100000 WHEN 3 THEN 10000000 ELSE 100 END) END,
	(k.j * 17) % 1001, k.j % 7 != 3,
	CASE WHEN (k.j * 13) % 4 IN (0, 2) THEN k.j * 7 % 4 ELSE 0 END,
	CASE k.j % 3 WHEN 0 THEN 1 WHEN 1 THEN 2 END
FROM clients c, k WHERE c.card = 'LONG';

-- Forty payments from the catalogue, of one to three lines, some cancelled.
CREATE TEMP TABLE basket AS
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 40),
	i(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM i WHERE i < 3)
SELECT k.j AS j, i.i AS line, p.id AS product, p.name AS name, p.price AS price, k.j % 5 + i.i AS qty
FROM k, i, products p WHERE i.i <= 1 + k.j % 3 AND p.id = 1 + (k.j + i.i) % 3;
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, valid, service_id, lines)
SELECT 3, c.id, 2, 1730000000000 + b.j, sum(b.price * b.qty), sum(b.qty), b.j % 4 != 0,
	CASE WHEN b.j % 2 THEN 1 END, count(*)
FROM basket b, clients c WHERE c.card = 'LONG' GROUP BY b.j ORDER BY b.j;
INSERT INTO sale_lines (transaction_id, line, product_id, name, price, qty)
SELECT t.id, b.line, b.product, b.name, b.price, b.qty
FROM basket b JOIN transactions t ON t.date_ms = 1730000000000 + b.j AND t.lines > 0;
DROP TABLE basket;

UPDATE clients SET balance = coalesce((SELECT sum(CASE WHEN type IN (1, 2, 5) THEN amount
	ELSE -amount END) FROM transactions WHERE client_id = clients.id AND valid), 0);
COMMIT;
