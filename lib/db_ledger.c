/*
 * Ledger writes and reads. Creation and rechargement add their amount,
 * paiement and vidange subtract it, an ajustement (written by the import from
 * the PHP version) adds its signed amount; annuler and refaire flip `valid`
 * and move the balance by the row's effect. Every function here runs inside
 * the caller's transaction and never commits.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "db_journal.h"
#include "db_ledger.h"
#include "db_service.h"

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

bool
ledger_has_means(int type)
{
	return type == TX_CREATION || type == TX_RECHARGEMENT || type == TX_VIDANGE;
}

int
ledger_post(const struct principal *who, int64_t now, struct client *c, const struct posting *p,
    int64_t *tx_id)
{
	int64_t balance = c->balance + ledger_effect(p->type, p->amount), shift = 0;
	int64_t lines = p->sale ? (int64_t)p->sale->n : 0;
	int64_t means = ledger_has_means(p->type) ? (int64_t)p->means : MEANS_ESPECES;

	assert(db_writing()); /* the row and the balance it moves commit together */
	if (service_open_of(who->user_id, &shift) < 0)
		return 0;
	if (!db_exec("INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, means,"
	    " service_id, lines, received_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9,"
	    " nullif(?10, 0))", "iiiiiiiiii", (int64_t)p->type, c->id, who->user_id,
	    p->sold_ms ? p->sold_ms : now, p->amount, p->qty, means, shift, lines,
	    p->sold_ms ? now : 0))
		return 0;
	*tx_id = db_last_id();
	if (lines && !product_record_lines(*tx_id, p->sale))
		return 0;
	if (!client_set_balance(c->id, balance))
		return 0;
	c->balance = balance;
	return journal_move(who, now, EV_TRANSACTION, c, *tx_id);
}

int
ledger_open_client(const struct principal *who, int64_t now, struct client *c, enum means means,
    int64_t *tx_id)
{
	struct posting p = { .type = TX_CREATION, .amount = c->balance, .means = means };

	c->balance = 0;
	if (!client_insert(c, now))
		return 0;
	return ledger_post(who, now, c, &p, tx_id);
}

int
ledger_get(int64_t id, struct ledger_row *t)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id, type, client_id, user_id, date_ms, amount, qty, valid,"
	    " means, service_id, received_ms FROM transactions WHERE id = ?1", "i", id);

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
	t->means = (enum means)sqlite3_column_int(st, 8);
	t->service_id = sqlite3_column_int64(st, 9);
	t->received_ms = sqlite3_column_int64(st, 10);
	sqlite3_reset(st);
	return 1;
}

int
ledger_flip(const struct principal *who, int64_t now, struct ledger_row *t, struct client *c,
    bool valid)
{
	int64_t effect = ledger_effect(t->type, t->amount);
	int64_t balance = c->balance + (valid ? effect : -effect);

	assert(db_writing());
	assert(t->valid != valid); /* a cancel undoes a valid row, a redo a cancelled one */
	if (!db_exec("UPDATE transactions SET valid = ?1 WHERE id = ?2", "ii", (int64_t)valid, t->id))
		return 0;
	if (!client_set_balance(c->id, balance))
		return 0;
	if (t->service_id && !service_touch(t->service_id, now))
		return 0;
	t->valid = valid;
	c->balance = balance;
	return journal_move(who, now, valid ? EV_REFAIRE : EV_ANNULATION, c, t->id);
}

/* No joins on the hot path of long histories: cards and logins are looked
 * up through small caches (a user's login never changes: a deleted user
 * keeps its row; a client's card changes only when the account moves to a new
 * card, which leaves a former card behind: the cards' cache is forgotten
 * whenever a list finds more former cards than it was filled with). */
#define LEDGER_COLUMNS "SELECT t.id, t.type, t.client_id, t.user_id, t.date_ms, t.amount," \
	" t.qty, t.valid, t.means, t.service_id, " LEDGER_LINES_SQL ", t.received_ms" \
	" FROM transactions t"

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

#define NAME_CACHE 256
#define NAME_MAX_BYTES 32 /* what a name may hold: 32 letters and digits */

struct name_slot {
	int64_t id;     /* 0: empty */
	size_t len;
	char json[PUT_STR_MAX(NAME_MAX_BYTES)]; /* the name as a JSON string */
};

static struct name_slot card_names[NAME_CACHE], login_names[NAME_CACHE];
static int64_t card_names_former = -1; /* former cards when card_names was good */

sqlite3_stmt *
ledger_list(int64_t client_id, int64_t user_id, const char *login, const struct ledger_page *pg)
{
	int64_t former = db_count("SELECT count(*) FROM former_cards", "");
	enum list_of of = client_id > 0 ? (login ? OF_CLIENT_LOGIN : OF_CLIENT)
	    : user_id > 0 ? OF_USER : login ? OF_LOGIN : OF_ALL;

	if (former < 0)
		return NULL;
	if (former != card_names_former) {
		memset(card_names, 0, sizeof card_names);
		card_names_former = former;
	}
	return db_query(list_sql[of][pg->newest], "iisiii", client_id, user_id, login, pg->after,
	    pg->before, pg->limit > 0 ? pg->limit + 1 : (int64_t)-1);
}

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

/* The keys of a transaction object, in their order on the wire (lignes, on
 * the rows that have lines, is added last). */
static const enum key ledger_keys[] = {
	K_ID, K_TYPE, K_CLIENT, K_UTILISATEUR, K_DATE, K_MONTANT, K_QTE, K_VALIDE, K_MOYEN,
	K_SERVICE,
};
#define LEDGER_KEYS (sizeof ledger_keys / sizeof ledger_keys[0])
#define MEANS_WORD_MAX 8 /* the longest means word: "virement" */

/* What a sale made offline adds after service, before its receiving time:
 * ,"horsLigne":true,"recu": (made once from the key names). */
#define OFFLINE_TEXT_MAX (2 * ROW_KEY_TEXT)

/* The longest row without lines: every key's text (the last one copied
 * whole), the values at their longest, an offline sale's keys. */
#define LEDGER_ROW_MAX (LEDGER_KEYS * ROW_KEY_TEXT + 5 * PUT_INT_MAX + PUT_MONEY_MAX + \
	PUT_BOOL_MAX + 2 * PUT_STR_MAX(NAME_MAX_BYTES) + PUT_STR_MAX(MEANS_WORD_MAX) + \
	OFFLINE_TEXT_MAX + PUT_INT_MAX)

int
ledger_lines_read(const char *text, struct sale *s)
{
	json_object *in = json_tokener_parse(text);
	size_t n = in && json_object_is_type(in, json_type_array) ? json_object_array_length(in) : 0;
	int ok = n > 0 && n <= BASKET_MAX;

	s->n = s->total = s->items = 0;
	for (size_t i = 0; ok && i < n; i++) {
		json_object *l = json_object_array_get_idx(in, i);
		struct product *p = &s->line[i];

		if (!json_object_is_type(l, json_type_array) || json_object_array_length(l) != 4) {
			ok = 0;
			break;
		}
		p->id = json_object_get_int64(json_object_array_get_idx(l, 0));
		snprintf(p->name, sizeof p->name, "%s", json_object_get_string(json_object_array_get_idx(l, 1)));
		p->price = json_object_get_int64(json_object_array_get_idx(l, 2));
		s->qty[i] = json_object_get_int64(json_object_array_get_idx(l, 3));
		s->total += p->price * s->qty[i];
		s->items += s->qty[i];
		s->n++;
	}
	json_object_put(in);
	return ok;
}

json_object *
ledger_lines(const char *text)
{
	struct sale s;
	json_object *out;

	if (!ledger_lines_read(text, &s))
		return NULL;
	out = json_object_new_array();
	for (size_t i = 0; i < s.n; i++) {
		json_object *e = reply_push_object(out);

		reply_int(e, K_PRODUIT, s.line[i].id);
		reply_str(e, K_NOM, s.line[i].name);
		reply_money(e, K_PRIX, s.line[i].price);
		reply_int(e, K_QTE, s.qty[i]);
	}
	return out;
}

/* Writes ,"lignes":[...] of lines `text` at buf, within cap bytes; returns
 * its length, or -1. */
static int
put_lines(const char *text, char *buf, size_t cap)
{
	json_object *a = ledger_lines(text);
	const char *s;
	size_t n, k;
	int w = -1;

	if (!a)
		return -1;
	s = json_object_to_json_string_length(a, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	k = strlen(key_names[K_LIGNES]);
	if (k + 4 + n <= cap) {
		buf[0] = ',';
		buf[1] = '"';
		memcpy(buf + 2, key_names[K_LIGNES], k);
		memcpy(buf + 2 + k, "\":", 2);
		memcpy(buf + 4 + k, s, n);
		w = (int)(k + 4 + n);
	}
	json_object_put(a);
	return w;
}

/* A row, with the staff login that made it or, for a holder, null. */
static int
row_json(sqlite3_stmt *st, char *buf, size_t cap, bool staff)
{
	static const struct name_slot nobody = { .id = 0, .len = 4, .json = "null" };
	static struct row_shape shape;
	static struct {
		char json[PUT_STR_MAX(MEANS_WORD_MAX)];
		size_t len;
	} means[MEANS__MAX];
	static char offline[OFFLINE_TEXT_MAX];
	static size_t offline_len;
	const struct name_slot *card, *login;
	/* Without room for the longest row, it is made aside, then copied if
	 * it fits. */
	char whole[LEDGER_ROW_MAX], *start = cap >= LEDGER_ROW_MAX ? buf : whole, *p = start;
	const char *lines;
	int type = sqlite3_column_int(st, 1), m = sqlite3_column_int(st, 8);
	size_t n;

	if (!shape.n) {
		row_shape_init(&shape, ledger_keys, LEDGER_KEYS);
		for (int i = 0; i < MEANS__MAX; i++)
			means[i].len = (size_t)(put_str(means[i].json, means_words[i],
			    MEANS_WORD_MAX) - means[i].json);
		offline_len = (size_t)snprintf(offline, sizeof offline, ",\"%s\":true,\"%s\":",
		    key_names[K_HORS_LIGNE], key_names[K_RECU]);
	}
	card = cached_name(card_names, sqlite3_column_int64(st, 2), "SELECT card FROM clients WHERE id = ?1");
	login = !staff ? &nobody : cached_name(login_names, sqlite3_column_int64(st, 3),
	    "SELECT login FROM users WHERE id = ?1");
	if (!card || !login || m < 0 || m >= MEANS__MAX)
		return -1; /* never a null where the ledger has a name */
	p = put_key(p, &shape, 0);
	p = put_int(p, sqlite3_column_int64(st, 0));
	p = put_key(p, &shape, 1);
	p = put_int(p, type);
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
	p = put_key(p, &shape, 8);
	if (ledger_has_means(type)) {
		memcpy(p, means[m].json, means[m].len);
		p += means[m].len;
	} else {
		memcpy(p, "null", 4);
		p += 4;
	}
	p = put_key(p, &shape, 9);
	if (sqlite3_column_type(st, 9) == SQLITE_NULL) {
		memcpy(p, "null", 4);
		p += 4;
	} else
		p = put_int(p, sqlite3_column_int64(st, 9));
	if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
		memcpy(p, offline, offline_len);
		p = put_int(p + offline_len, sqlite3_column_int64(st, 11));
	}
	n = (size_t)(p - start);
	if (start == whole) {
		if (n > cap)
			return -1;
		memcpy(buf, whole, n);
	}
	if ((lines = (const char *)sqlite3_column_text(st, 10))) {
		int w = put_lines(lines, buf + n, cap - n);

		if (w < 0)
			return -1; /* too long for cap, or damaged */
		n += (size_t)w;
	}
	if (n >= cap)
		return -1;
	buf[n++] = '}';
	return (int)n;
}

int
ledger_row_json(sqlite3_stmt *st, char *buf, size_t cap)
{
	return row_json(st, buf, cap, true);
}

int
ledger_row_holder(sqlite3_stmt *st, char *buf, size_t cap)
{
	return row_json(st, buf, cap, false);
}

/* Adjustments (type 5) are in no total: they are neither takings, nor money
 * brought by a top-up or an opening; they only show in the balances. Nor is
 * credit given free (means offert) money collected at an opening. */
int
ledger_stats(struct ledger_stats *s)
{
	sqlite3_stmt *st;

	if (db_row(&st, "SELECT"
	    " (SELECT coalesce(sum(amount), 0) FROM transactions WHERE type = 3 AND valid),"
	    " (SELECT coalesce(sum(max(qty, 1)), 0) FROM transactions WHERE type = 3 AND valid),"
	    " (SELECT coalesce(sum(max(amount, 0)), 0) FROM transactions WHERE type = 1 AND valid"
	    " AND means != 3),"
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

int
ledger_means(int64_t from, int64_t to, int64_t topups[MEANS__MAX], int64_t *free)
{
	/* The whole ledger is read straight through rather than by date. */
	sqlite3_stmt *st = from == 0 && to == INT64_MAX ?
	    db_query("SELECT means, type, sum(max(amount, 0)) FROM transactions"
	    " WHERE valid AND type IN (1, 2) GROUP BY means, type", "") :
	    db_query("SELECT means, type, sum(max(amount, 0)) FROM transactions"
	    " WHERE date_ms >= ?1 AND date_ms < ?2 AND valid AND type IN (1, 2)"
	    " GROUP BY means, type", "ii", from, to);
	int rc;

	if (!st)
		return 0;
	*free = 0;
	for (int m = 0; m < MEANS__MAX; m++)
		topups[m] = 0;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		int m = sqlite3_column_int(st, 0), type = sqlite3_column_int(st, 1);
		int64_t sum = sqlite3_column_int64(st, 2);

		if (m < 0 || m >= MEANS__MAX)
			continue; /* the schema makes this impossible */
		if (type == TX_RECHARGEMENT)
			topups[m] = sum;
		if (m == MEANS_OFFERT)
			*free += sum;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
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

sqlite3_stmt *
ledger_export(int64_t from, int64_t to)
{
	return db_query("SELECT t.id, t.date_ms, t.type, c.card, u.login, t.amount, t.means,"
	    " t.service_id, t.valid, " LEDGER_LINES_SQL " FROM transactions t"
	    " JOIN clients c ON c.id = t.client_id JOIN users u ON u.id = t.user_id"
	    " WHERE t.date_ms >= ?1 AND t.date_ms < ?2 ORDER BY t.date_ms, t.id", "ii", from, to);
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
