/*
 * Ledger writes and reads. Creation and rechargement add their amount,
 * paiement and vidange subtract it, an ajustement (written by the import from
 * the PHP version) adds its signed amount; annuler and refaire flip `valid`
 * and move the balance by the row's effect. Every function here runs inside
 * the caller's transaction and never commits.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "db_journal.h"
#include "db_ledger.h"

int64_t
ledger_effect(int type, int64_t amount)
{
	return type == TX_CREATION || type == TX_RECHARGEMENT || type == TX_AJUSTEMENT ? amount
	    : -amount;
}

int64_t
ledger_floor(const struct client *c)
{
	return c->overdraft ? -cfg.ceiling : 0;
}

enum status
ledger_check(const struct client *c, int64_t balance)
{
	/* Only the direction of the move is judged: a balance already past a
	 * limit (the ceiling was lowered, overdraft withdrawn) may still move
	 * back towards it. */
	if (balance > c->balance && balance > cfg.ceiling)
		return ST_MONTANT_TROP_ELEVE;
	if (balance < c->balance && balance < ledger_floor(c))
		return ST_SOLDE_INSUFFISANT;
	return ST_OK;
}

static int
journal_move(const struct principal *who, int64_t now, enum journal_event ev,
    const struct client *c, int64_t tx_id)
{
	struct journal_entry e = {
		.event = ev, .client_id = c->id, .tx_id = tx_id,
		.has_balance = true, .balance = c->balance,
	};

	return journal_add(who, now, &e);
}

int
ledger_post(const struct principal *who, int64_t now, struct client *c, int type,
    int64_t amount, int64_t qty, int64_t *tx_id)
{
	int64_t balance = c->balance + ledger_effect(type, amount);

	if (!db_exec("INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "iiiiii", (int64_t)type, c->id, who->user_id,
	    now, amount, qty))
		return 0;
	*tx_id = db_last_id();
	if (!client_set_balance(c->id, balance))
		return 0;
	c->balance = balance;
	return journal_move(who, now, EV_TRANSACTION, c, *tx_id);
}

int
ledger_open_client(const struct principal *who, int64_t now, struct client *c, int64_t *tx_id)
{
	int64_t initial = c->balance;

	c->balance = 0;
	if (!client_insert(c, now))
		return 0;
	return ledger_post(who, now, c, TX_CREATION, initial, 0, tx_id);
}

int
ledger_get(int64_t id, struct ledger_row *t)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, type, client_id, user_id, date_ms, amount, qty, valid"
	    " FROM transactions WHERE id = ?1", "i", id);

	if (r <= 0)
		return r;
	t->id = sqlite3_column_int64(st, 0);
	t->type = sqlite3_column_int(st, 1);
	t->client_id = sqlite3_column_int64(st, 2);
	t->user_id = sqlite3_column_int64(st, 3);
	t->date_ms = sqlite3_column_int64(st, 4);
	t->amount = sqlite3_column_int64(st, 5);
	t->qty = sqlite3_column_int64(st, 6);
	t->valid = sqlite3_column_int(st, 7) != 0;
	sqlite3_reset(st);
	return 1;
}

int
ledger_flip(const struct principal *who, int64_t now, struct ledger_row *t, struct client *c,
    bool valid)
{
	int64_t effect = ledger_effect(t->type, t->amount);
	int64_t balance = c->balance + (valid ? effect : -effect);

	if (!db_exec("UPDATE transactions SET valid = ?1 WHERE id = ?2", "ii", (int64_t)valid, t->id))
		return 0;
	if (!client_set_balance(c->id, balance))
		return 0;
	t->valid = valid;
	c->balance = balance;
	return journal_move(who, now, valid ? EV_REFAIRE : EV_ANNULATION, c, t->id);
}

/* No joins on the hot path of long histories: cards and logins are looked
 * up through small caches (a client's card and a user's login never change:
 * a deleted user keeps its row). */
#define LEDGER_COLUMNS "SELECT t.id, t.type, t.client_id, t.user_id, t.date_ms, t.amount," \
	" t.qty, t.valid FROM transactions t"

/* The lists, oldest first and newest first, by what they are of. Parameters:
 * ?1 client id, ?2 user id, ?3 login, ?4 after, ?5 before, ?6 limit. */
#define LIST(of) { \
	LEDGER_COLUMNS " WHERE " of "t.id > ?4 AND t.id < ?5 ORDER BY t.id LIMIT ?6", \
	LEDGER_COLUMNS " WHERE " of "t.id > ?4 AND t.id < ?5 ORDER BY t.id DESC LIMIT ?6" }
enum list_of { OF_CLIENT_LOGIN, OF_CLIENT, OF_USER, OF_LOGIN, OF_ALL, OF__MAX };
static const char *const list_sql[OF__MAX][2] = {
	[OF_CLIENT_LOGIN] = LIST("t.client_id = ?1 AND t.user_id IN (SELECT id FROM users"
	    " WHERE login = ?3) AND "),
	[OF_CLIENT] = LIST("t.client_id = ?1 AND "),
	[OF_USER] = LIST("t.user_id = ?2 AND "),
	[OF_LOGIN] = LIST("t.user_id IN (SELECT id FROM users WHERE login = ?3) AND "),
	[OF_ALL] = LIST(""),
};

struct ledger_page
ledger_page(const struct value v[FLD__MAX])
{
	return (struct ledger_page){
		.after = v[FLD_APRES].i,
		.before = v[FLD_AVANT].set ? v[FLD_AVANT].i : INT64_MAX,
		.limit = v[FLD_LIMITE].i,
		.newest = v[FLD_ORDRE].i != 0,
	};
}

sqlite3_stmt *
ledger_list(int64_t client_id, int64_t user_id, const char *login, const struct ledger_page *pg)
{
	enum list_of of = client_id > 0 ? (login ? OF_CLIENT_LOGIN : OF_CLIENT)
	    : user_id > 0 ? OF_USER : login ? OF_LOGIN : OF_ALL;

	return db_query(list_sql[of][pg->newest], "iisiii", client_id, user_id, login, pg->after,
	    pg->before, pg->limit > 0 ? pg->limit + 1 : (int64_t)-1);
}

#define NAME_CACHE 256
#define NAME_MAX_BYTES 32 /* what a name may hold: 32 letters and digits */

struct name_slot {
	int64_t id;     /* 0: empty */
	size_t len;
	char json[PUT_STR_MAX(NAME_MAX_BYTES)]; /* the name as a JSON string */
};

/* The card or login of `id`, as JSON text, through a direct-mapped cache;
 * NULL on error. */
static const struct name_slot *
cached_name(struct name_slot *cache, int64_t id, const char *sql)
{
	struct name_slot *slot = &cache[(uint64_t)id % NAME_CACHE];
	sqlite3_stmt *st;
	const char *name;

	if (slot->id == id)
		return slot;
	if (db_row(&st, sql, "i", id) != 1)
		return NULL;
	name = (const char *)sqlite3_column_text(st, 0);
	slot->len = (size_t)(put_str(slot->json, name, NAME_MAX_BYTES) - slot->json);
	sqlite3_reset(st);
	slot->id = id;
	return slot;
}

/* The keys of a transaction object, in their order on the wire. */
static const enum key ledger_keys[] = {
	K_ID, K_TYPE, K_CLIENT, K_UTILISATEUR, K_DATE, K_MONTANT, K_QTE, K_VALIDE,
};
#define LEDGER_KEYS (sizeof ledger_keys / sizeof ledger_keys[0])

/* The longest row: every key's text (the last one copied whole), the values
 * at their longest, the closing brace. */
#define LEDGER_ROW_MAX (LEDGER_KEYS * ROW_KEY_TEXT + 4 * PUT_INT_MAX + PUT_MONEY_MAX + \
	PUT_BOOL_MAX + 2 * PUT_STR_MAX(NAME_MAX_BYTES) + 1)

int
ledger_row_json(sqlite3_stmt *st, char *buf, size_t cap)
{
	static struct name_slot cards[NAME_CACHE], logins[NAME_CACHE];
	static struct row_shape shape;
	const struct name_slot *card, *login;
	char *p = buf;

	if (cap < LEDGER_ROW_MAX) {
		/* Too little room for the longest row: made aside, then copied
		 * if it fits. */
		char whole[LEDGER_ROW_MAX];
		int n = ledger_row_json(st, whole, sizeof whole);

		if (n < 0 || (size_t)n > cap)
			return -1;
		memcpy(buf, whole, (size_t)n);
		return n;
	}
	if (!shape.n)
		row_shape_init(&shape, ledger_keys, LEDGER_KEYS);
	card = cached_name(cards, sqlite3_column_int64(st, 2), "SELECT card FROM clients WHERE id = ?1");
	login = cached_name(logins, sqlite3_column_int64(st, 3), "SELECT login FROM users WHERE id = ?1");
	if (!card || !login)
		return -1; /* never a null where the ledger has a name */
	p = put_key(p, &shape, 0);
	p = put_int(p, sqlite3_column_int64(st, 0));
	p = put_key(p, &shape, 1);
	p = put_int(p, sqlite3_column_int(st, 1));
	p = put_key(p, &shape, 2);
	memcpy(p, card->json, card->len);
	p += card->len;
	p = put_key(p, &shape, 3);
	memcpy(p, login->json, login->len);
	p += login->len;
	p = put_key(p, &shape, 4);
	p = put_int(p, sqlite3_column_int64(st, 4));
	p = put_key(p, &shape, 5);
	p = put_money(p, sqlite3_column_int64(st, 5));
	p = put_key(p, &shape, 6);
	p = put_int(p, sqlite3_column_int64(st, 6));
	p = put_key(p, &shape, 7);
	p = put_bool(p, sqlite3_column_int(st, 7) != 0);
	*p++ = '}';
	return (int)(p - buf);
}

/* Adjustments (type 5) are in no total: they are neither takings, nor money
 * brought by a top-up or an opening; they only show in the balances. */
int
ledger_stats(struct ledger_stats *s)
{
	sqlite3_stmt *st;

	if (db_row(&st, "SELECT"
	    " (SELECT coalesce(sum(amount), 0) FROM transactions WHERE type = 3 AND valid),"
	    " (SELECT coalesce(sum(max(qty, 1)), 0) FROM transactions WHERE type = 3 AND valid),"
	    " (SELECT coalesce(sum(max(amount, 0)), 0) FROM transactions WHERE type = 1 AND valid),"
	    " coalesce(sum(max(balance, 0)), 0), coalesce(sum(min(balance, 0)), 0),"
	    " count(*), coalesce(sum(balance), 0) FROM clients", "") != 1)
		return 0;
	s->payments = sqlite3_column_int64(st, 0);
	s->drinks = sqlite3_column_int64(st, 1);
	s->openings = sqlite3_column_int64(st, 2);
	s->owed = sqlite3_column_int64(st, 3);
	s->debts = sqlite3_column_int64(st, 4);
	s->clients = sqlite3_column_int64(st, 5);
	s->balance_sum = sqlite3_column_int64(st, 6);
	sqlite3_reset(st);
	return 1;
}

sqlite3_stmt *
ledger_series(int64_t from, int64_t to, int64_t step)
{
	return db_query("SELECT (date_ms - ?1) / ?3 AS b,"
	    " sum(CASE WHEN type = 3 THEN amount ELSE 0 END),"
	    " sum(CASE WHEN type = 3 THEN max(qty, 1) ELSE 0 END),"
	    " sum(CASE WHEN type = 2 THEN amount ELSE 0 END)"
	    " FROM transactions WHERE date_ms >= ?1 AND date_ms < ?2 AND valid AND type IN (2, 3)"
	    " GROUP BY b ORDER BY b", "iii", from, to, step);
}

int64_t
ledger_verify(void (*bad)(const char *card, int64_t balance, int64_t sum, void *arg), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT c.card, c.balance, coalesce(sum(CASE"
	    " WHEN NOT t.valid THEN 0 WHEN t.type IN (1, 2, 5) THEN t.amount ELSE -t.amount END), 0) AS s"
	    " FROM clients c LEFT JOIN transactions t ON t.client_id = c.id"
	    " GROUP BY c.id HAVING s != c.balance ORDER BY c.card", "");
	int64_t n = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		bad((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
		    sqlite3_column_int64(st, 2), arg);
		n++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}
