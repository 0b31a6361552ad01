/*
 * The import's first two stages: the dump's rows, read through dump.c's
 * handler, checked one by one against the original schema (its tables and
 * columns below), then, once every table is read (mysqldump writes
 * Transactions before Utilisateurs), references resolved and each card's
 * ledger summed. Nothing here touches the database.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_ledger.h"
#include "field.h"
#include "import_in.h"
#include "password.h"

#define PACK_MAX      1000               /* the largest n of "biere<n>" */
#define SHOWN         (40 * 4 + 8)       /* a value shown in a message */


enum { CL_ID_CARTE, CL_SOLDE, CL_DECOUVERT, CL__MAX };
enum { TR_ID, TR_TYPE, TR_CLIENT, TR_DATE, TR_MONTANT, TR_QUANTITE, TR_UTILISATEUR, TR_VALIDE,
	TR__MAX };
enum { UT_LOGIN, UT_MDP, UT_ID_CARTE, UT_DROIT, UT__MAX };
enum { PR_PRODUIT, PR_PRIX, PR__MAX };
enum { SE_JETON, SE_UTILISATEUR, SE_DATE, SE__MAX };

#define PHP_COLUMNS_MAX TR__MAX

struct import;
typedef int row_fn(struct import *, const struct dump_value *const *v, long line,
    struct dump_error *);
static row_fn row_client, row_transaction, row_user, row_price, row_session;

static const struct php_table_def {
	const char *name;
	const char *columns[PHP_COLUMNS_MAX];  /* by the table's column enum */
	size_t ncolumns;
	bool required;                         /* part of every export of the database */
	row_fn *row;
} php_tables[PT__MAX] = {
	[PT_CLIENTS]      = { "Clients", { "idCarte", "solde", "decouvert" }, CL__MAX, true,
	                      row_client },
	[PT_TRANSACTIONS] = { "Transactions", { "id", "type", "client", "date", "montant",
	                      "quantite", "utilisateur", "valide" }, TR__MAX, true,
	                      row_transaction },
	[PT_UTILISATEURS] = { "Utilisateurs", { "login", "mdp", "idCarte", "droit" }, UT__MAX,
	                      true, row_user },
	[PT_PRIX]         = { "Prix", { "produit", "prix" }, PR__MAX, true, row_price },
	[PT_SESSIONS]     = { "Sessions", { "jeton", "utilisateur", "date" }, SE__MAX, false,
	                      row_session },
};

/* s[0..n) for a message: at most 40 bytes, unprintable ones as \xNN. */
static const char *
shown(const char *s, size_t n, char out[SHOWN])
{
	size_t w = 0;

	for (size_t i = 0; i < n && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F || c == '\\')
			w += (size_t)snprintf(out + w, SHOWN - w, "\\x%02X", c);
		else
			out[w++] = (char)c;
	}
	if (n > 40)
		w += (size_t)snprintf(out + w, SHOWN - w, "...");
	out[w] = '\0';
	return out;
}

static const char *
table_name(const struct import *im)
{
	return php_tables[im->table].name;
}

/* A refusal about value v of the row being read. */
static int __attribute__((format(printf, 4, 5)))
bad(struct import *im, const struct dump_value *v, struct dump_error *err, const char *fmt, ...)
{
	char msg[sizeof err->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return dump_fail(err, v->line, v->col, table_name(im), "%s", msg);
}

static int
out_of_memory(struct dump_error *err)
{
	return dump_fail(err, 0, 0, NULL, "out of memory");
}

/* ---- values ---- */

static int
int_value(struct import *im, const struct dump_value *v, const char *what, int64_t min,
    int64_t max, int64_t *out, struct dump_error *err)
{
	char s[SHOWN];

	if (v->kind == DV_NULL)
		return bad(im, v, err, "%s is NULL", what);
	if (v->len == strlen(v->s) && dump_integer(v->s, min, max, out))
		return 1;
	return bad(im, v, err, "%s must be an integer from %" PRId64 " to %" PRId64 ", not '%s'",
	    what, min, max, shown(v->s, v->len, s));
}

static int
cents_value(struct import *im, const struct dump_value *v, const char *what, int64_t *out,
    struct dump_error *err)
{
	char s[SHOWN];

	if (v->kind == DV_NULL)
		return bad(im, v, err, "%s is NULL", what);
	if (v->len == strlen(v->s) && dump_cents(v->s, out))
		return 1;
	return bad(im, v, err, "%s '%s' is not an amount", what, shown(v->s, v->len, s));
}

/* A card id (FT_CARD) or a login (FT_LOGIN) after the renames, into out. */
static int
name_value(struct import *im, const struct dump_value *v, enum ftype type, char out[33],
    struct dump_error *err)
{
	bool card = type == FT_CARD;
	struct rename *r = card ? im->o->cards : im->o->logins;
	size_t n = card ? im->o->ncards : im->o->nlogins;
	const char *s = v->s;
	char sh[SHOWN];
	int64_t dummy;

	if (v->kind != DV_STRING)
		return bad(im, v, err, "a %s is NULL or not text", card ? "card id" : "login");
	for (size_t i = 0; i < n; i++) {
		if (strlen(r[i].from) == v->len && strcasecmp(r[i].from, s) == 0) {
			r[i].used = true;
			s = r[i].to;
			break;
		}
	}
	if ((s != v->s || v->len == strlen(s)) && field_parse(type, s, &dummy)) {
		snprintf(out, 33, "%s", s);
		return 1;
	}
	if (card)
		return bad(im, v, err, "card id '%s' breaks 10p5's rules (1-32 letters and digits): "
		    "give it another with --renommer-carte '%s=NEWID'", shown(v->s, v->len, sh), sh);
	return bad(im, v, err, "login '%s' breaks 10p5's rules (1-30 of letters, digits, '.', "
	    "'_' and '-'): give it another with --renommer-login '%s=NEW'",
	    shown(v->s, v->len, sh), sh);
}

/* ---- dates ---- */

/* A transaction's date. A TIMESTAMP is in the zone the dump set (mysqldump
 * and phpMyAdmin both write UTC), else in --fuseau's; a DATETIME is always
 * in --fuseau's (the old server's local time). */
static int
date_value(struct import *im, const struct dump_value *v, int64_t *ms, struct dump_error *err)
{
	const struct zone *z = &im->o->zone;
	struct dump_datetime d;
	char s[SHOWN];

	if (v->kind != DV_STRING || v->len != strlen(v->s) || !dump_datetime(v->s, &d))
		return bad(im, v, err, "the date '%s' is not a date and time (YYYY-MM-DD HH:MM:SS)",
		    shown(v->s, v->len, s));
	if (!im->date_local && im->zone_text) {
		if (strcmp(im->zone_text, im->dump_zone_text) != 0) {
			if (!import_zone_parse(im->zone_text, &im->dump_zone) || im->dump_zone.kind == ZK_LOCAL)
				return bad(im, v, err, "the dump's time zone '%s' (SET TIME_ZONE) is "
				    "not an offset such as '+01:00' or a zone name such as "
				    "'Europe/Paris'", shown(im->zone_text, strlen(im->zone_text), s));
			snprintf(im->dump_zone_text, sizeof im->dump_zone_text, "%s", im->zone_text);
		}
		z = &im->dump_zone;
		im->dates_dump++;
	} else
		im->dates_fallback++;
	if (!import_zone_ms(im, z, &d, ms))
		return bad(im, v, err, "the date '%s' does not exist in that time zone", v->s);
	return 1;
}

/* ---- rows ---- */

static int
row_client(struct import *im, const struct dump_value *const *v, long line,
    struct dump_error *err)
{
	struct client_in c = { .adjustment_id = 0 };
	int64_t overdraft = 0;
	char card[33], s[SHOWN];
	long i, dup;

	if (!name_value(im, v[CL_ID_CARTE], FT_CARD, card, err) ||
	    !cents_value(im, v[CL_SOLDE], "the balance (solde)", &c.balance, err))
		return 0;
	if (v[CL_DECOUVERT]->kind != DV_NULL && !int_value(im, v[CL_DECOUVERT],
	    "decouvert", 0, 1, &overdraft, err))
		return 0;
	c.overdraft = overdraft == 1;
	if (!import_grow(&im->clients, &im->cap_clients, im->nclients, sizeof *im->clients) ||
	    (i = names_claim(&im->cards, card, (int32_t)im->nclients, line, &dup)) < 0)
		return out_of_memory(err);
	if (dup)
		return bad(im, v[CL_ID_CARTE], err, "card '%s' is a client already, at line %ld",
		    shown(card, strlen(card), s), dup);
	c.card = (uint32_t)i;
	im->clients[im->nclients++] = c;
	return 1;
}

static int
row_transaction(struct import *im, const struct dump_value *const *v, long line,
    struct dump_error *err)
{
	struct tx_in t = { .line = (uint32_t)line };
	int64_t type, qty = 0, valid;
	char card[33], login[33];
	long c, u;

	if (!int_value(im, v[TR_ID], "the id", 1, INT64_MAX, &t.id, err) ||
	    !int_value(im, v[TR_TYPE], "the type", TX_CREATION, TX_VIDANGE, &type, err) ||
	    !name_value(im, v[TR_CLIENT], FT_CARD, card, err) ||
	    !date_value(im, v[TR_DATE], &t.date_ms, err) ||
	    !cents_value(im, v[TR_MONTANT], "the amount (montant)", &t.amount, err) ||
	    !name_value(im, v[TR_UTILISATEUR], FT_LOGIN, login, err) ||
	    !int_value(im, v[TR_VALIDE], "valide", 0, 1, &valid, err))
		return 0;
	if (v[TR_QUANTITE]->kind != DV_NULL && !int_value(im, v[TR_QUANTITE], "the quantity "
	    "(quantite)", 0, INT32_MAX, &qty, err))
		return 0;
	if (type != TX_CREATION && t.amount <= 0)
		return bad(im, v[TR_MONTANT], err, "transaction %" PRId64 " of type %" PRId64 " has "
		    "an amount of %s, %" PRId64 " cents once rounded: top-ups, payments and "
		    "emptyings need a positive one", t.id, type, v[TR_MONTANT]->s, t.amount);
	t.type = (uint8_t)type;
	t.valid = (uint8_t)valid;
	t.qty = (int32_t)qty;
	if (!import_grow(&im->txs, &im->cap_txs, im->ntxs, sizeof *im->txs) ||
	    (c = names_intern(&im->cards, card)) < 0 || (u = names_intern(&im->logins, login)) < 0)
		return out_of_memory(err);
	t.card = (uint32_t)c;
	t.login = (uint32_t)u;
	im->cancelled += !t.valid;
	im->txs[im->ntxs++] = t;
	return 1;
}

static int
row_user(struct import *im, const struct dump_value *const *v, long line,
    struct dump_error *err)
{
	struct user_in u = { .card = -1 };
	const struct dump_value *mdp = v[UT_MDP], *card = v[UT_ID_CARTE];
	char login[33], id[33], s[SHOWN];
	int64_t droit;
	long i, dup;

	if (!name_value(im, v[UT_LOGIN], FT_LOGIN, login, err) ||
	    !int_value(im, v[UT_DROIT], "the right (droit)", 0, 3, &droit, err))
		return 0;
	if (mdp->kind != DV_STRING || mdp->len != strlen(mdp->s) ||
	    password_kind(mdp->s) != PW_BCRYPT)
		return bad(im, mdp, err, "the password of '%s' is not a bcrypt hash from PHP's "
		    "password_hash ($2y$, cost 04 to 14): give the account a password in the PHP "
		    "version, then export again", login);
	memcpy(u.hash, mdp->s, sizeof u.hash);
	u.droit = (int)droit;
	/* The PHP version stored no card as NULL, and matched '' with nothing. */
	if (card->kind != DV_NULL && card->len > 0) {
		if (!name_value(im, card, FT_CARD, id, err))
			return 0;
		if ((i = names_claim(&im->staff_cards, id, (int32_t)im->nusers, line, &dup)) < 0)
			return out_of_memory(err);
		if (dup)
			return bad(im, card, err, "card '%s' is already the card of the user at line "
			    "%ld: a card opens one account", shown(id, strlen(id), s), dup);
		u.card = (int32_t)i;
	}
	if (!import_grow(&im->users, &im->cap_users, im->nusers, sizeof *im->users) ||
	    (i = names_claim(&im->logins, login, (int32_t)im->nusers, line, &dup)) < 0)
		return out_of_memory(err);
	if (dup)
		return bad(im, v[UT_LOGIN], err, "user '%s' is already at line %ld", login, dup);
	u.login = (uint32_t)i;
	im->presidents += u.droit == 3;
	im->users[im->nusers++] = u;
	return 1;
}

static int
row_price(struct import *im, const struct dump_value *const *v, long line,
    struct dump_error *err)
{
	const struct dump_value *p = v[PR_PRODUIT];
	struct price_in pr = { .line = line };
	char s[SHOWN];

	if (p->kind == DV_STRING && strcmp(p->s, "biere") == 0) {
		pr.qty = 1;
		im->bare_biere = line;
	} else if (p->kind != DV_STRING || p->len != strlen(p->s) || strncmp(p->s, "biere", 5) ||
	    p->s[5] == '0' || !dump_integer(p->s + 5, 1, PACK_MAX, &pr.qty))
		return bad(im, p, err, "product '%s' is not 'biere' or 'biere<n>' (a pack of n "
		    "drinks, n up to %d), the only prices 10p5 keeps: take its row out of the dump",
		    shown(p->s, p->len, s), PACK_MAX);
	if (!cents_value(im, v[PR_PRIX], "the price (prix)", &pr.cents, err))
		return 0;
	if (pr.cents <= 0)
		return bad(im, v[PR_PRIX], err, "the price of %s is not positive", p->s);
	for (size_t i = 0; i < im->nprices; i++)
		if (im->prices[i].qty == pr.qty)
			return bad(im, p, err, "%" PRId64 " drink(s) already have a price, at line %ld",
			    pr.qty, im->prices[i].line);
	if (im->nprices == PRICES_MAX)
		return bad(im, p, err, "more than %d prices", PRICES_MAX);
	im->prices[im->nprices++] = pr;
	return 1;
}

static int
row_session(struct import *im, const struct dump_value *const *v, long line,
    struct dump_error *err)
{
	(void)v;
	(void)line;
	(void)err;
	im->sessions++;
	return 1;
}

/* ---- the reader's callbacks ---- */

static enum php_table
php_table(const char *name)
{
	for (int t = 0; t < PT__MAX; t++)
		if (strcasecmp(php_tables[t].name, name) == 0)
			return (enum php_table)t;
	return PT__MAX;
}

static int
php_column(enum php_table t, const char *name)
{
	for (size_t c = 0; c < php_tables[t].ncolumns; c++)
		if (strcasecmp(php_tables[t].columns[c], name) == 0)
			return (int)c;
	return -1;
}

static int
on_table(void *arg, const char *name, long line, long col, struct dump_error *err)
{
	(void)arg;
	if (php_table(name) != PT__MAX)
		return 1;
	return dump_fail(err, line, col, name, "table %s is not part of the PHP 10p5 database: "
	    "export only its tables (Clients, Prix, Sessions, Transactions, Utilisateurs)", name);
}

static int
on_create(void *arg, const struct dump_table *d, long line, struct dump_error *err)
{
	struct import *im = arg;
	enum php_table t = php_table(d->name);
	bool seen[PHP_COLUMNS_MAX] = { false };

	for (size_t i = 0; i < d->ncolumns; i++) {
		int c = php_column(t, d->columns[i].name);

		if (c < 0)
			return dump_fail(err, line, 0, d->name, "column %s is not in the PHP "
			    "version's table %s", d->columns[i].name, php_tables[t].name);
		seen[c] = true;
		if (t == PT_TRANSACTIONS && c == TR_DATE) {
			im->date_local = strcmp(d->columns[i].type, "datetime") == 0;
			if (!im->date_local && strcmp(d->columns[i].type, "timestamp") != 0)
				return dump_fail(err, line, 0, d->name, "column date is a %s, not a "
				    "timestamp or a datetime", d->columns[i].type);
		}
	}
	for (size_t c = 0; c < php_tables[t].ncolumns; c++)
		if (!seen[c])
			return dump_fail(err, line, 0, d->name, "column %s is missing",
			    php_tables[t].columns[c]);
	im->created[t] = true;
	return 1;
}

static int
on_insert(void *arg, const char *table, const char *const *columns, size_t n, long line,
    struct dump_error *err)
{
	struct import *im = arg;
	enum php_table t = php_table(table);
	bool seen[PHP_COLUMNS_MAX] = { false };

	if (!im->created[t])
		return dump_fail(err, line, 0, table, "rows before the table's CREATE TABLE: "
		    "export the structure with the data");
	for (size_t i = 0; i < n; i++) {
		int c = php_column(t, columns[i]);

		if (c < 0)
			return dump_fail(err, line, 0, table, "column %s is not in the PHP version's "
			    "table %s", columns[i], php_tables[t].name);
		im->map[i] = c;
		seen[c] = true;
	}
	for (size_t c = 0; c < php_tables[t].ncolumns; c++)
		if (!seen[c])
			return dump_fail(err, line, 0, table, "the INSERT lacks column %s",
			    php_tables[t].columns[c]);
	im->table = t;
	return 1;
}

static int
on_row(void *arg, const struct dump_value *v, size_t n, const char *zone,
    struct dump_error *err)
{
	struct import *im = arg;
	const struct dump_value *by[PHP_COLUMNS_MAX];

	for (size_t i = 0; i < n; i++)
		by[im->map[i]] = &v[i];
	im->zone_text = zone;
	return php_tables[im->table].row(im, by, v[0].line, err);
}

/* ---- after the reading ---- */

static int
by_id(const void *a, const void *b)
{
	const struct tx_in *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Checks what only the whole dump shows, and sums each card's ledger. */
static int
resolve(struct import *im, struct dump_error *err)
{
	const struct tx_in *first = NULL;
	const char *what = NULL;

	for (int t = 0; t < PT__MAX; t++)
		if (php_tables[t].required && !im->created[t])
			return dump_fail(err, 0, 0, php_tables[t].name, "the dump has no table %s: it "
			    "is truncated, or not a whole export of the PHP 10p5 database",
			    php_tables[t].name);
	for (size_t i = 0; i < im->o->ncards; i++)
		if (!im->o->cards[i].used)
			return dump_fail(err, 0, 0, NULL, "--renommer-carte %s: the dump has no such "
			    "card", im->o->cards[i].from);
	for (size_t i = 0; i < im->o->nlogins; i++)
		if (!im->o->logins[i].used)
			return dump_fail(err, 0, 0, NULL, "--renommer-login %s: the dump has no such "
			    "login", im->o->logins[i].from);
	if (im->ntxs > 0)
		qsort(im->txs, im->ntxs, sizeof *im->txs, by_id);
	for (size_t i = 0; i < im->ntxs; i++) {
		const struct tx_in *t = &im->txs[i];

		if (i > 0 && t->id == t[-1].id)
			return dump_fail(err, t->line, 0, "Transactions", "transaction id %" PRId64
			    " is already at line %" PRIu32, t->id, t[-1].line);
		if ((im->cards.v[t->card].owner < 0 || im->logins.v[t->login].owner < 0) &&
		    (!first || t->line < first->line)) {
			first = t;
			what = im->cards.v[t->card].owner < 0 ? "card" : "user";
		}
	}
	if (first && strcmp(what, "card") == 0)
		return dump_fail(err, first->line, 0, "Transactions", "transaction %" PRId64 " is for "
		    "card '%s', which is not in Clients", first->id, im->cards.v[first->card].text);
	if (first)
		return dump_fail(err, first->line, 0, "Transactions", "transaction %" PRId64 " was "
		    "made by '%s', who is not in Utilisateurs", first->id,
		    im->logins.v[first->login].text);
	for (size_t i = 0; i < im->ntxs; i++) {
		const struct tx_in *t = &im->txs[i];
		struct client_in *c = &im->clients[im->cards.v[t->card].owner];

		if (t->valid && __builtin_add_overflow(c->sum, ledger_effect(t->type, t->amount),
		    &c->sum))
			return dump_fail(err, t->line, 0, "Transactions", "card '%s': the sum of its "
			    "transactions overflows", im->cards.v[t->card].text);
		if (!c->first_ms || t->date_ms < c->first_ms)
			c->first_ms = t->date_ms;
	}
	for (size_t i = 0; i < im->nclients; i++)
		im->adjustments += im->clients[i].sum != im->clients[i].balance;
	if (im->adjustments > 0) {
		long i = names_intern(&im->logins, ADJUSTER);

		if (i < 0)
			return out_of_memory(err);
		if (im->logins.v[i].owner >= 0)
			return dump_fail(err, im->logins.v[i].line, 0, "Utilisateurs", "the dump has a "
			    "user named %s, the name the import gives its adjustments: give it "
			    "another with --renommer-login '%s=NEW'", ADJUSTER, ADJUSTER);
	}
	return 1;
}

bool
import_read(struct import *im, const char *buf, size_t len, struct dump_error *err)
{
	struct dump_handler h = { on_table, on_create, on_insert, on_row };

	return dump_read(buf, len, &h, im, &im->info, err) && resolve(im, err);
}

void
import_free(struct import *im)
{
	names_free(&im->cards);
	names_free(&im->logins);
	names_free(&im->staff_cards);
	free(im->clients);
	free(im->users);
	free(im->txs);
	free(im->tz_orig);
}
