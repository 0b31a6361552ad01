/*
 * The clients table. Balances are changed only through the ledger
 * (db_ledger.c), in the same transaction as the ledger row.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_client.h"
#include "password.h"
#include "reply.h"

static int
client_fill(int r, sqlite3_stmt *st, struct client *c)
{
	if (r <= 0)
		return r;
	c->id = sqlite3_column_int64(st, 0);
	snprintf(c->card, sizeof c->card, "%s", (const char *)sqlite3_column_text(st, 1));
	c->balance = sqlite3_column_int64(st, 2);
	c->overdraft = sqlite3_column_int(st, 3) != 0;
	c->blocked = sqlite3_column_int(st, 4) != 0;
	c->blocked_ms = sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	return 1;
}

int
client_by_card(const char *card, struct client *c)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, card, balance, overdraft, blocked, blocked_ms FROM clients"
	    " WHERE card = ?1", "s", card);

	return client_fill(r, st, c);
}

int
client_by_id(int64_t id, struct client *c)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, card, balance, overdraft, blocked, blocked_ms FROM clients"
	    " WHERE id = ?1", "i", id);

	return client_fill(r, st, c);
}

int
client_insert(struct client *c, int64_t now)
{
	if (!db_exec("INSERT INTO clients (card, balance, overdraft, created_ms)"
	    " VALUES (?1, ?2, ?3, ?4)", "siii", c->card, c->balance, (int64_t)c->overdraft, now))
		return 0;
	c->id = db_last_id();
	return 1;
}

int
client_set_balance(int64_t id, int64_t balance)
{
	assert(db_writing());
	return db_exec("UPDATE clients SET balance = ?1 WHERE id = ?2", "ii", balance, id);
}

int
client_set_overdraft(int64_t id, bool overdraft)
{
	return db_exec("UPDATE clients SET overdraft = ?1 WHERE id = ?2", "ii",
	    (int64_t)overdraft, id);
}

int
client_set_blocked(int64_t id, bool blocked, int64_t now)
{
	return db_exec("UPDATE clients SET blocked = ?1, blocked_ms = CASE WHEN ?1 THEN ?3 END"
	    " WHERE id = ?2", "iii", (int64_t)blocked, id, now);
}

int
client_former(const char *card, char now_card[33], int64_t *replaced_ms)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT c.card, f.replaced_ms FROM former_cards f"
	    " JOIN clients c ON c.id = f.client_id WHERE f.card = ?1", "s", card);

	if (r <= 0)
		return r;
	snprintf(now_card, 33, "%s", (const char *)sqlite3_column_text(st, 0));
	if (replaced_ms)
		*replaced_ms = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 1;
}

int
client_move(const struct client *c, const char *card, int64_t now)
{
	assert(db_writing());
	return db_exec("INSERT INTO former_cards (card, client_id, replaced_ms) VALUES (?1, ?2, ?3)",
	    "sii", c->card, c->id, now) &&
	    db_exec("UPDATE clients SET card = ?1, blocked = 0, blocked_ms = NULL WHERE id = ?2",
	    "si", card, c->id);
}

/* Fills *id and hash from a (id, code_hash) row. */
static int
code_fill(int r, sqlite3_stmt *st, int64_t *id, char *hash)
{
	if (r <= 0)
		return r;
	*id = sqlite3_column_int64(st, 0);
	snprintf(hash, PASSWORD_HASH_MAX, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return 1;
}

int
client_code(const char *card, int64_t *id, char *hash)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, code_hash FROM clients WHERE card = ?1"
	    " AND code_hash IS NOT NULL", "s", card);

	return code_fill(r, st, id, hash);
}

int
client_code_of(int64_t client_id, int64_t *id, char *hash)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, code_hash FROM clients WHERE id = ?1"
	    " AND code_hash IS NOT NULL", "i", client_id);

	return code_fill(r, st, id, hash);
}

int
client_set_code(int64_t id, const char *hash)
{
	return db_exec("UPDATE clients SET code_hash = ?1 WHERE id = ?2", "si", hash, id) &&
	    db_exec("DELETE FROM holder_sessions WHERE client_id = ?1", "i", id);
}

sqlite3_stmt *
client_list(void)
{
	return db_query("SELECT card, balance, overdraft, blocked FROM clients ORDER BY card", "");
}

/* The keys of a client/liste row, in their order on the wire. */
static const enum key list_keys[] = { K_ID_CARTE, K_SOLDE, K_BLOQUEE, K_DECOUVERT };
#define LIST_KEYS (sizeof list_keys / sizeof list_keys[0])

/* A row whose card is too long for the fast writer's bound (no card the API
 * takes is): field by field, each checked against cap. */
static int
row_checked(sqlite3_stmt *st, char *buf, size_t cap, bool full)
{
	struct row r = { buf, 0, cap, false };

	row_str(&r, K_ID_CARTE, (const char *)sqlite3_column_text(st, 0));
	row_money(&r, K_SOLDE, sqlite3_column_int64(st, 1));
	row_bool(&r, K_BLOQUEE, sqlite3_column_int(st, 3) != 0);
	if (full)
		row_bool(&r, K_DECOUVERT, sqlite3_column_int(st, 2) != 0);
	return row_end(&r);
}

static int
row(sqlite3_stmt *st, char *buf, size_t cap, bool full)
{
	static struct row_shape shape;
	/* The bytes as stored: sqlite3_column_text would copy each card to end it
	 * with a NUL. */
	const char *card = (const char *)sqlite3_column_blob(st, 0);
	size_t n = (size_t)sqlite3_column_bytes(st, 0);
	char *p = buf;

	if (!card || cap < LIST_KEYS * ROW_KEY_TEXT + PUT_STR_MAX(n) + PUT_MONEY_MAX + 2 * PUT_BOOL_MAX + 1)
		return row_checked(st, buf, cap, full);
	if (!shape.n)
		row_shape_init(&shape, list_keys, LIST_KEYS);
	p = put_key(p, &shape, 0);
	p = put_str(p, card, n);
	p = put_key(p, &shape, 1);
	p = put_money(p, sqlite3_column_int64(st, 1));
	p = put_key(p, &shape, 2);
	p = put_bool(p, sqlite3_column_int(st, 3) != 0);
	if (full) {
		p = put_key(p, &shape, 3);
		p = put_bool(p, sqlite3_column_int(st, 2) != 0);
	}
	*p++ = '}';
	return (int)(p - buf);
}

int
client_row(sqlite3_stmt *st, char *buf, size_t cap)
{
	return row(st, buf, cap, false);
}

int
client_row_full(sqlite3_stmt *st, char *buf, size_t cap)
{
	return row(st, buf, cap, true);
}
