/*
 * The import from the PHP version, in three stages. The dump is read whole and
 * checked row by row (dump.c reads the SQL, this file knows the original
 * schema). Once every table is read (mysqldump writes Transactions before
 * Utilisateurs), references are resolved and each card's ledger is summed.
 * Then one write transaction inserts everything, books an adjustment (type 5)
 * for each balance that differs from its ledger, checks the invariant and
 * journals the import. A refusal comes before the write, or rolls it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "config.h"
#include "db.h"
#include "db_client.h"
#include "db_journal.h"
#include "db_ledger.h"
#include "db_price.h"
#include "db_user.h"
#include "dump.h"
#include "field.h"
#include "import_php.h"
#include "password.h"
#include "reply.h"
#include "crypto.h"

#define DUMP_FILE_MAX ((size_t)1 << 30)  /* 1 GiB, some ten million transactions */
#define PRICES_MAX    1000
#define PACK_MAX      1000               /* the largest n of "biere<n>" */
#define ADJUSTER      "import-php"       /* the deleted account adjustments are booked to */
#define NO_PASSWORD   "!"                /* a stored hash no password can match */
#define SHOWN         (40 * 4 + 8)       /* a value shown in a message */

/* The original schema (10p5-server's migrations/1462024985.sql). */
enum php_table {
	PT_CLIENTS,
	PT_TRANSACTIONS,
	PT_UTILISATEURS,
	PT_PRIX,
	PT_SESSIONS,
	PT__MAX
};

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

/* The keys of the import's journal entry. */
enum jkey {
	JK_REQUETE, JK_PAR, JK_SUDO, JK_FICHIER, JK_EMPREINTE, JK_FORMAT, JK_DATES, JK_CLIENTS,
	JK_UTILISATEURS, JK_TRANSACTIONS, JK_PRIX, JK_SESSIONS, JK_RENOMMAGES, JK_ANCIEN,
	JK_NOUVEAU, JK_AJUSTEMENTS, JK_ID_CARTE, JK_SOLDE, JK_SOMME, JK_ECART,
	JK_ID_TRANSACTION, JK__MAX
};

static const char *const jkey_words[JK__MAX] = {
	[JK_REQUETE]        = "requete",
	[JK_PAR]            = "par",
	[JK_SUDO]           = "sudo",
	[JK_FICHIER]        = "fichier",
	[JK_EMPREINTE]      = "empreinte",
	[JK_FORMAT]         = "format",
	[JK_DATES]          = "dates",
	[JK_CLIENTS]        = "clients",
	[JK_UTILISATEURS]   = "utilisateurs",
	[JK_TRANSACTIONS]   = "transactions",
	[JK_PRIX]           = "prix",
	[JK_SESSIONS]       = "sessionsIgnorees",
	[JK_RENOMMAGES]     = "renommages",
	[JK_ANCIEN]         = "ancien",
	[JK_NOUVEAU]        = "nouveau",
	[JK_AJUSTEMENTS]    = "ajustements",
	[JK_ID_CARTE]       = "idCarte",
	[JK_SOLDE]          = "solde",
	[JK_SOMME]          = "sommeTransactions",
	[JK_ECART]          = "ecart",
	[JK_ID_TRANSACTION] = "idTransaction",
};

/* --renommer-carte / --renommer-login OLD=NEW */
struct rename {
	const char *from, *to;
	bool used;
};

enum zone_kind {
	ZK_LOCAL,   /* the time zone of the machine running the import */
	ZK_OFFSET,  /* "+01:00" */
	ZK_NAMED,   /* "Europe/Paris" */
	ZK__MAX
};

struct zone {
	enum zone_kind kind;
	int offset_s;
	char name[64];
};

struct options {
	const char *dump;
	struct zone zone;        /* --fuseau, else the local zone */
	bool zone_given;
	bool dry_run;            /* --essai */
	struct rename *cards, *logins;
	size_t ncards, nlogins;
};

/* Names (cards, logins) interned by their ASCII lower case, since MySQL
 * compared them without case: a transaction's 'ab12' is the client 'AB12'. */
struct name {
	char text[33];     /* the owner's spelling, once it is read */
	int32_t owner;     /* the client or user of that name; -1 while only referred to */
	long line;         /* where the owner was read */
};

struct names {
	struct name *v;
	size_t n, cap;
	uint32_t *slot;    /* 1 + an index into v; 0 when free */
	size_t nslot;      /* a power of two, more than twice n */
};

struct client_in {
	uint32_t card;
	int64_t balance;   /* as stored by the PHP version */
	bool overdraft;
	int64_t sum;       /* its valid rows' effects */
	int64_t first_ms;  /* its oldest row's date; 0 if it has none */
	int64_t adjustment_id;
};

struct user_in {
	uint32_t login;
	int32_t card;      /* in staff_cards, or -1 */
	int droit;
	char hash[61];
};

struct price_in {
	int64_t qty, cents;
	long line;
};

struct tx_in {
	int64_t id, date_ms, amount;
	uint32_t card, login, line;
	int32_t qty;
	uint8_t type, valid;
};

struct import {
	const struct options *o;
	enum php_table table;                /* of the INSERT being read */
	int map[DUMP_COLUMNS_MAX];           /* its columns, by the table's column enum */
	bool created[PT__MAX];
	bool date_local;                     /* Transactions.date is a DATETIME */
	const char *zone_text;               /* the dump's time zone for the row being read */
	struct names cards, logins, staff_cards;
	struct client_in *clients;
	size_t nclients, cap_clients;
	struct user_in *users;
	size_t nusers, cap_users;
	struct price_in prices[PRICES_MAX];
	size_t nprices;
	long bare_biere;                     /* the line of a "biere" without a number */
	struct tx_in *txs;
	size_t ntxs, cap_txs;
	long sessions, cancelled, presidents, adjustments;
	char dump_zone_text[65];             /* the last zone the dump set, parsed */
	struct zone dump_zone;
	long dates_dump, dates_fallback;
	char *tz_orig;                       /* $TZ as the import found it (NULL: unset) */
	char tz_now[80];                     /* what tzset last saw ("" before) */
	struct dump_info info;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

/* Makes room for one more element of `size` bytes in the array whose
 * pointer is at pp (copied in and out, never read through a void **).
 * Returns 1, or 0 when out of memory. */
static int
grow(void *pp, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 256;
	void *p, *q;

	if (n < *cap)
		return 1;
	memcpy(&p, pp, sizeof p);
	if (!(q = realloc(p, c * size)))
		return 0;
	memcpy(pp, &q, sizeof q);
	*cap = c;
	return 1;
}

/* ---- names ---- */

static uint64_t
fold_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 1099511628211u;
	}
	return h;
}

static int
names_rehash(struct names *ns, size_t nslot)
{
	uint32_t *slot = calloc(nslot, sizeof *slot);

	if (!slot)
		return 0;
	for (size_t i = 0; i < ns->n; i++) {
		size_t k = fold_hash(ns->v[i].text) & (nslot - 1);

		while (slot[k])
			k = (k + 1) & (nslot - 1);
		slot[k] = (uint32_t)i + 1;
	}
	free(ns->slot);
	ns->slot = slot;
	ns->nslot = nslot;
	return 1;
}

/* The index of name s (at most 32 bytes), added if new; -1 when out of memory. */
static long
names_intern(struct names *ns, const char *s)
{
	size_t k;

	if (ns->nslot < 2 * (ns->n + 1) && !names_rehash(ns, ns->nslot ? ns->nslot * 2 : 1024))
		return -1;
	for (k = fold_hash(s) & (ns->nslot - 1); ns->slot[k]; k = (k + 1) & (ns->nslot - 1))
		if (strcasecmp(ns->v[ns->slot[k] - 1].text, s) == 0)
			return (long)ns->slot[k] - 1;
	if (!grow(&ns->v, &ns->cap, ns->n, sizeof *ns->v))
		return -1;
	snprintf(ns->v[ns->n].text, sizeof ns->v[0].text, "%s", s);
	ns->v[ns->n].owner = -1;
	ns->v[ns->n].line = 0;
	ns->slot[k] = (uint32_t)ns->n + 1;
	return (long)ns->n++;
}

/* The name s is claimed by its owner (a client or a user) at line: -1 when
 * out of memory, else its index, with *dup set to the earlier owner's line
 * when the name already had one. */
static long
names_claim(struct names *ns, const char *s, int32_t owner, long line, long *dup)
{
	long i = names_intern(ns, s);

	*dup = 0;
	if (i < 0)
		return -1;
	if (ns->v[i].owner >= 0) {
		*dup = ns->v[i].line;
		return i;
	}
	snprintf(ns->v[i].text, sizeof ns->v[0].text, "%s", s);
	ns->v[i].owner = owner;
	ns->v[i].line = line;
	return i;
}

static void
names_free(struct names *ns)
{
	free(ns->v);
	free(ns->slot);
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

/* Reads "+01:00", "-05:30", "local" or a zone name of the system's database
 * ("Europe/Paris", "UTC"). Returns 1, or 0. */
static int
zone_parse(const char *s, struct zone *z)
{
	const char *dir = getenv("TZDIR");
	char path[256];
	int hh, mm;

	memset(z, 0, sizeof *z);
	snprintf(z->name, sizeof z->name, "%s", s);
	if ((s[0] == '+' || s[0] == '-') && strlen(s) == 6 && s[3] == ':' &&
	    strspn(s + 1, "0123456789") == 2 && strspn(s + 4, "0123456789") == 2) {
		hh = (s[1] - '0') * 10 + (s[2] - '0');
		mm = (s[4] - '0') * 10 + (s[5] - '0');
		if (hh > 14 || mm > 59)
			return 0;
		z->kind = ZK_OFFSET;
		z->offset_s = (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
		return 1;
	}
	if (strcmp(s, "local") == 0) {
		z->kind = ZK_LOCAL;
		return 1;
	}
	/* A name the C library would silently read as UTC if it had no file. */
	if (!*s || strlen(s) >= sizeof z->name || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(s) || strstr(s, "..") || *s == '/')
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", s);
	if (access(path, R_OK) != 0)
		return 0;
	z->kind = ZK_NAMED;
	return 1;
}

/* Describes z for the report. */
static const char *
zone_words(const struct zone *z, char out[128])
{
	char link[256];
	const char *tz = getenv("TZ"), *at;
	ssize_t n;

	if (z->kind == ZK_OFFSET)
		snprintf(out, 128, "UTC%s", z->offset_s ? z->name : "");
	else if (z->kind == ZK_NAMED)
		snprintf(out, 128, "%s", z->name);
	else if (tz && *tz)
		snprintf(out, 128, "the local time zone (TZ=%s)", tz);
	else if ((n = readlink("/etc/localtime", link, sizeof link - 1)) > 0 &&
	    (link[n] = '\0', at = strstr(link, "zoneinfo/")) != NULL)
		snprintf(out, 128, "the local time zone (%s)", at + 9);
	else
		snprintf(out, 128, "the local time zone");
	return out;
}

/* Points the C library's local time at name (NULL: $TZ as it was). */
static void
tz_use(struct import *im, const char *name)
{
	const char *want = name ? name : im->tz_orig;

	if (im->tz_now[0] && strcmp(im->tz_now + 1, want ? want : "") == 0 &&
	    (im->tz_now[0] == '=') == (want != NULL))
		return;
	if (want)
		setenv("TZ", want, 1);
	else
		unsetenv("TZ");
	tzset();
	snprintf(im->tz_now, sizeof im->tz_now, "%c%s", want ? '=' : '-', want ? want : "");
}

/* d read in zone z, as milliseconds since 1970. Returns 1, or 0 for a time
 * that does not exist there. */
static int
zone_ms(struct import *im, const struct zone *z, const struct dump_datetime *d, int64_t *out)
{
	struct tm tm = {
		.tm_year = d->year - 1900, .tm_mon = d->mon - 1, .tm_mday = d->day,
		.tm_hour = d->hour, .tm_min = d->min, .tm_sec = d->sec, .tm_isdst = -1,
	};
	time_t t;

	if (z->kind == ZK_OFFSET)
		t = timegm(&tm) - z->offset_s;
	else {
		tz_use(im, z->kind == ZK_NAMED ? z->name : NULL);
		if ((t = mktime(&tm)) == (time_t)-1)
			return 0;
	}
	*out = (int64_t)t * 1000 + d->msec;
	return 1;
}

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
			if (!zone_parse(im->zone_text, &im->dump_zone) || im->dump_zone.kind == ZK_LOCAL)
				return bad(im, v, err, "the dump's time zone '%s' (SET TIME_ZONE) is "
				    "not an offset such as '+01:00' or a zone name such as "
				    "'Europe/Paris'", shown(im->zone_text, strlen(im->zone_text), s));
			snprintf(im->dump_zone_text, sizeof im->dump_zone_text, "%s", im->zone_text);
		}
		z = &im->dump_zone;
		im->dates_dump++;
	} else
		im->dates_fallback++;
	if (!zone_ms(im, z, &d, ms))
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
	if (!grow(&im->clients, &im->cap_clients, im->nclients, sizeof *im->clients) ||
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
	if (!grow(&im->txs, &im->cap_txs, im->ntxs, sizeof *im->txs) ||
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
	if (!grow(&im->users, &im->cap_users, im->nusers, sizeof *im->users) ||
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

/* ---- the write ---- */

/* Two decimals, for the report's columns. */
static const char *
euros(int64_t cents, char out[32])
{
	uint64_t m = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;

	snprintf(out, 32, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", m / 100, m % 100);
	return out;
}

static json_object *
money_json(int64_t cents)
{
	char buf[MONEY_BUF];

	return json_object_new_double_s((double)cents / 100.0, money_format(cents, buf));
}

static void
put(json_object *o, enum jkey k, json_object *v)
{
	json_object_object_add(o, jkey_words[k], v);
}

/* Who ran the import, what from, and what it adjusted: the journal entry. */
static json_object *
journal_detail(const struct import *im, const char *file, const unsigned char digest[SHA256_LEN],
    const char *dates)
{
	json_object *d = json_object_new_object(), *a = json_object_new_array(), *r;
	const struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");
	char hex[2 * SHA256_LEN + 8], uid[32];

	snprintf(uid, sizeof uid, "uid %ld", (long)getuid());
	strcpy(hex, "sha256:");
	for (size_t i = 0; i < SHA256_LEN; i++)
		snprintf(hex + 7 + 2 * i, 3, "%02x", digest[i]);
	put(d, JK_REQUETE, json_object_new_string("admin/import-php"));
	put(d, JK_PAR, json_object_new_string(pw ? pw->pw_name : uid));
	if (sudo && *sudo)
		put(d, JK_SUDO, json_object_new_string(sudo));
	put(d, JK_FICHIER, json_object_new_string(file));
	put(d, JK_EMPREINTE, json_object_new_string(hex));
	put(d, JK_FORMAT, json_object_new_string(dump_format_words[im->info.format]));
	put(d, JK_DATES, json_object_new_string(dates));
	put(d, JK_CLIENTS, json_object_new_int64((int64_t)im->nclients));
	put(d, JK_UTILISATEURS, json_object_new_int64((int64_t)im->nusers));
	put(d, JK_TRANSACTIONS, json_object_new_int64((int64_t)im->ntxs));
	put(d, JK_PRIX, json_object_new_int64((int64_t)im->nprices));
	put(d, JK_SESSIONS, json_object_new_int64(im->sessions));
	r = json_object_new_array();
	for (int k = 0; k < 2; k++) {
		const struct rename *rn = k ? im->o->logins : im->o->cards;

		for (size_t i = 0; i < (k ? im->o->nlogins : im->o->ncards); i++) {
			json_object *o = json_object_new_object();

			put(o, JK_ANCIEN, json_object_new_string(rn[i].from));
			put(o, JK_NOUVEAU, json_object_new_string(rn[i].to));
			json_object_array_add(r, o);
		}
	}
	put(d, JK_RENOMMAGES, r);
	for (size_t i = 0; i < im->nclients; i++) {
		const struct client_in *c = &im->clients[i];
		json_object *o;

		if (!c->adjustment_id)
			continue;
		o = json_object_new_object();
		put(o, JK_ID_CARTE, json_object_new_string(im->cards.v[c->card].text));
		put(o, JK_SOLDE, money_json(c->balance));
		put(o, JK_SOMME, money_json(c->sum));
		put(o, JK_ECART, money_json(c->balance - c->sum));
		put(o, JK_ID_TRANSACTION, json_object_new_int64(c->adjustment_id));
		json_object_array_add(a, o);
	}
	put(d, JK_AJUSTEMENTS, a);
	return d;
}

static void
no_report(const char *card, int64_t balance, int64_t sum, void *arg)
{
	char a[32], b[32];

	(void)arg;
	fprintf(stderr, "10p5-admin: import-php: after the import, card %s holds %s but its "
	    "ledger sums to %s\n", card, euros(balance, a), euros(sum, b));
}

/* The database is empty of what an import brings. Returns 1, or 0 after
 * saying what it holds. */
static int
target_empty(void)
{
	sqlite3_stmt *st;
	int64_t n[4];

	if (db_row(&st, "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM users),"
	    " (SELECT count(*) FROM transactions), (SELECT count(*) FROM prices)", "") != 1)
		return 0;
	for (int i = 0; i < 4; i++)
		n[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	if (n[0] + n[1] + n[2] + n[3] == 0)
		return 1;
	fprintf(stderr, "10p5-admin: import-php: the database already holds %" PRId64 " client(s), "
	    "%" PRId64 " user(s), %" PRId64 " transaction(s) and %" PRId64 " price(s): import into "
	    "a new database file\n", n[0], n[1], n[2], n[3]);
	return 0;
}

/* Inserts everything in one transaction, books the adjustments, checks the
 * invariant and journals the import; commits unless dry_run. Returns 1, or 0
 * after rolling back and saying why. */
static int
write_all(struct import *im, const char *file, const unsigned char digest[SHA256_LEN],
    const char *dates)
{
	int64_t now = now_ms(), id;
	struct principal adjuster = { .kind = CRED_NONE };
	struct journal_entry e = { .event = EV_IMPORT };
	int64_t *user_ids = NULL, *client_ids = NULL;
	int ok = 0;

	if (!(user_ids = calloc(im->nusers + 1, sizeof *user_ids)) ||
	    !(client_ids = calloc(im->nclients + 1, sizeof *client_ids))) {
		fprintf(stderr, "10p5-admin: import-php: out of memory\n");
		goto out;
	}
	if (!db_begin(true))
		goto out;
	if (!target_empty())
		goto fail;
	for (size_t i = 0; i < im->nusers; i++) {
		const struct user_in *u = &im->users[i];

		if (!user_insert(im->logins.v[u->login].text, u->hash,
		    u->card >= 0 ? im->staff_cards.v[u->card].text : NULL, u->droit, now, &user_ids[i]))
			goto fail;
	}
	for (size_t i = 0; i < im->nclients; i++) {
		struct client_in *ci = &im->clients[i];
		struct client c = { .balance = ci->sum, .overdraft = ci->overdraft };

		snprintf(c.card, sizeof c.card, "%s", im->cards.v[ci->card].text);
		if (!client_insert(&c, ci->first_ms ? ci->first_ms : now))
			goto fail;
		client_ids[i] = c.id;
	}
	for (size_t i = 0; i < im->nprices; i++)
		if (!price_set(im->prices[i].qty, im->prices[i].cents))
			goto fail;
	/* Historic rows keep their ids, so no ledger function writes them. */
	for (size_t i = 0; i < im->ntxs; i++) {
		const struct tx_in *t = &im->txs[i];

		if (!db_exec("INSERT INTO transactions (id, type, client_id, user_id, date_ms, amount,"
		    " qty, valid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "iiiiiiii", t->id,
		    (int64_t)t->type, client_ids[im->cards.v[t->card].owner],
		    user_ids[im->logins.v[t->login].owner], t->date_ms, t->amount, (int64_t)t->qty,
		    (int64_t)t->valid))
			goto fail;
	}
	if (im->adjustments > 0) {
		/* A deleted account: it names the adjustments in the history and
		 * can never log in. */
		if (!user_insert(ADJUSTER, NO_PASSWORD, NULL, 0, now, &id) || !user_delete(id, now))
			goto fail;
		adjuster.user_id = id;
		snprintf(adjuster.login, sizeof adjuster.login, "%s", ADJUSTER);
	}
	for (size_t i = 0; i < im->nclients; i++) {
		struct client_in *ci = &im->clients[i];
		struct client c = { .id = client_ids[i], .balance = ci->sum, .overdraft = ci->overdraft };

		if (ci->sum == ci->balance)
			continue;
		snprintf(c.card, sizeof c.card, "%s", im->cards.v[ci->card].text);
		if (!ledger_post(&adjuster, now, &c, TX_AJUSTEMENT, ci->balance - ci->sum, 0,
		    &ci->adjustment_id))
			goto fail;
	}
	if (ledger_verify(no_report, NULL) != 0) {
		fprintf(stderr, "10p5-admin: import-php: the imported ledger does not hold\n");
		goto fail;
	}
	e.detail = journal_detail(im, file, digest, dates);
	if (!journal_add(NULL, now, &e))
		goto fail;
	if (im->o->dry_run)
		db_rollback();
	else if (!db_commit())
		goto out;
	ok = 1;
	goto out;
fail:
	db_rollback();
out:
	free(user_ids);
	free(client_ids);
	return ok;
}

/* ---- the command ---- */

static void
report(const struct import *im, const char *file, const char *dates, const char *db_path)
{
	char a[32], b[32], c[32];

	printf("import-php: %s (%s, %s, %ld lines)\n", file, dump_format_words[im->info.format],
	    dump_charset_words[im->info.names], im->info.lines);
	printf("  %zu clients, %zu users (%zu bcrypt passwords, each replaced by scrypt at its "
	    "first login), %ld president(s)\n", im->nclients, im->nusers, im->nusers,
	    im->presidents);
	printf("  %zu transactions", im->ntxs);
	if (im->ntxs)
		printf(" (ids %" PRId64 " to %" PRId64 ", %ld cancelled)", im->txs[0].id,
		    im->txs[im->ntxs - 1].id, im->cancelled);
	printf(", %zu prices, %ld sessions not imported\n", im->nprices, im->sessions);
	printf("  dates: %s\n", dates);
	if (im->bare_biere)
		printf("  prices: 'biere' (line %ld), with no number, became the price of 1 drink\n",
		    im->bare_biere);
	for (size_t i = 0; i < im->o->ncards; i++)
		printf("  renamed card %s to %s\n", im->o->cards[i].from, im->o->cards[i].to);
	for (size_t i = 0; i < im->o->nlogins; i++)
		printf("  renamed login %s to %s\n", im->o->logins[i].from, im->o->logins[i].to);
	if (im->presidents == 0)
		printf("  no user has right 3: create a president with 10p5-admin president LOGIN\n");
	for (size_t i = 0; i < im->nclients; i++)
		if (im->clients[i].balance > cfg.ceiling)
			printf("  card %s holds %s, above the ceiling (TENP5_CEILING): it can pay, "
			    "not be topped up\n", im->cards.v[im->clients[i].card].text,
			    euros(im->clients[i].balance, a));
	if (im->adjustments == 0)
		printf("every stored balance equals the sum of its valid transactions: no adjustment\n");
	else {
		printf("balances that differ from their valid transactions, each reconciled by an "
		    "adjustment (type 5, by %s):\n", ADJUSTER);
		printf("  %-32s %14s %14s %14s %12s\n", "card", "stored balance", "ledger sum",
		    "difference", "transaction");
		for (size_t i = 0; i < im->nclients; i++) {
			const struct client_in *ci = &im->clients[i];

			if (ci->sum != ci->balance)
				printf("  %-32s %14s %14s %14s %12" PRId64 "\n",
				    im->cards.v[ci->card].text, euros(ci->balance, a), euros(ci->sum, b),
				    euros(ci->balance - ci->sum, c), ci->adjustment_id);
		}
	}
	printf("ledger ok: every balance equals the sum of its valid transactions\n");
	if (im->o->dry_run)
		printf("nothing written (--essai)\n");
	else
		printf("imported into %s\n", db_path);
}

/* Reads the file (or standard input for "-") whole, up to DUMP_FILE_MAX.
 * Returns a buffer to free, or NULL after saying why. */
static char *
read_all(const char *path, size_t *len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 1 << 20, n = 0;
	char *buf = NULL, *more;
	ssize_t r;

	if (fd < 0) {
		fprintf(stderr, "10p5-admin: import-php: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap || !buf) {
			if (buf)
				cap *= 2;
			if (cap > DUMP_FILE_MAX + 1)
				cap = DUMP_FILE_MAX + 1;
			if (!(more = realloc(buf, cap)))
				goto fail;
			buf = more;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "10p5-admin: import-php: %s: %s\n", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > DUMP_FILE_MAX) {
			fprintf(stderr, "10p5-admin: import-php: %s is larger than 1 GiB\n", path);
			goto fail;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*len = n;
	return buf;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return NULL;
}

static int
usage(void)
{
	fprintf(stderr, "usage: 10p5-admin [-d database] import-php [--essai] [--fuseau ZONE]\n"
	    "           [--renommer-carte OLD=NEW]... [--renommer-login OLD=NEW]... DUMP.sql\n"
	    "  DUMP.sql is mysqldump's output or phpMyAdmin's SQL export of the PHP version's\n"
	    "  database (- reads standard input). --essai checks and reports, writes nothing.\n"
	    "  --fuseau: the old server's time zone (+01:00, Europe/Paris; default: local),\n"
	    "  for dates the dump does not place itself (no SET TIME_ZONE, or DATETIME).\n");
	return 2;
}

/* Adds "OLD=NEW" (split at the last '=') to a rename list. */
static int
add_rename(struct rename **list, size_t *n, char *arg, enum ftype type)
{
	char *eq = strrchr(arg, '=');
	struct rename *more;
	int64_t dummy;

	if (!eq || eq == arg || !field_parse(type, eq + 1, &dummy)) {
		fprintf(stderr, "10p5-admin: import-php: '%s': OLD=NEW, where NEW is %s\n", arg,
		    type == FT_CARD ? "1-32 letters and digits" : "1-30 of letters, digits, '.', '_', '-'");
		return 0;
	}
	if (!(more = realloc(*list, (*n + 1) * sizeof **list)))
		return 0;
	*list = more;
	*eq = '\0';
	more[*n].from = arg;
	more[*n].to = eq + 1;
	more[*n].used = false;
	(*n)++;
	return 1;
}

static int
parse_options(struct options *o, int argc, char **argv)
{
	int i;

	o->zone.kind = ZK_LOCAL;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *opt = argv[i];

		if (strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(opt, "--essai") == 0) {
			o->dry_run = true;
			continue;
		}
		if (i + 1 == argc)
			return usage();
		if (strcmp(opt, "--fuseau") == 0) {
			if (!zone_parse(argv[++i], &o->zone)) {
				fprintf(stderr, "10p5-admin: import-php: --fuseau %s: an offset such as "
				    "+01:00, a zone such as Europe/Paris, or local\n", argv[i]);
				return 2;
			}
			o->zone_given = true;
		} else if (strcmp(opt, "--renommer-carte") == 0) {
			if (!add_rename(&o->cards, &o->ncards, argv[++i], FT_CARD))
				return 2;
		} else if (strcmp(opt, "--renommer-login") == 0) {
			if (!add_rename(&o->logins, &o->nlogins, argv[++i], FT_LOGIN))
				return 2;
		} else
			return usage();
	}
	if (i != argc - 1)
		return usage();
	o->dump = argv[i];
	return 0;
}

/* What the report and the journal say about the dates. */
static void
dates_words(const struct import *im, char *out, size_t cap)
{
	char z[128];
	size_t w = 0;

	if (im->dates_dump)
		w += (size_t)snprintf(out, cap, "%ld TIMESTAMP values in %s, as the dump's SET "
		    "TIME_ZONE says", im->dates_dump, zone_words(&im->dump_zone, z));
	if (im->dates_fallback && w < cap)
		w += (size_t)snprintf(out + w, cap - w, "%s%ld %s values in %s%s", w ? "; " : "",
		    im->dates_fallback, im->date_local ? "DATETIME" : "TIMESTAMP",
		    zone_words(&im->o->zone, z), im->o->zone_given ? " (--fuseau)"
		    : ", assumed to be the old server's (--fuseau to change)");
	if (!im->dates_dump && !im->dates_fallback)
		snprintf(out, cap, "none");
}

int
import_php_main(const char *db_path, int argc, char **argv)
{
	struct options o = { 0 };
	struct import *im = NULL;
	struct dump_handler h = { on_table, on_create, on_insert, on_row };
	struct dump_error err;
	unsigned char digest[SHA256_LEN];
	char *buf = NULL, file[4096], dates[512], tmpdir[] = "/tmp/10p5-essai.XXXXXX";
	char trial[sizeof tmpdir + 8];
	const char *tz = getenv("TZ"), *target = db_path;
	size_t len = 0;
	int status = 1, r;

	if ((r = parse_options(&o, argc, argv)) != 0) {
		free(o.cards);
		free(o.logins);
		return r;
	}
	if (!(im = calloc(1, sizeof *im)) || (tz && !(im->tz_orig = strdup(tz)))) {
		fprintf(stderr, "10p5-admin: import-php: out of memory\n");
		goto out;
	}
	im->o = &o;
	if (!(buf = read_all(o.dump, &len)))
		goto out;
	if (strcmp(o.dump, "-") == 0)
		snprintf(file, sizeof file, "(standard input)");
	else if (!realpath(o.dump, file))
		snprintf(file, sizeof file, "%s", o.dump);
	sha256(buf, len, digest);
	if (!dump_read(buf, len, &h, im, &im->info, &err) || !resolve(im, &err)) {
		fprintf(stderr, "10p5-admin: import-php: %s", o.dump);
		if (err.line)
			fprintf(stderr, ", line %ld", err.line);
		if (err.col)
			fprintf(stderr, ", column %ld", err.col);
		if (err.table[0])
			fprintf(stderr, " (table %s)", err.table);
		fprintf(stderr, ": %s\nnothing was written\n", err.msg);
		goto out;
	}
	tz_use(im, NULL);
	dates_words(im, dates, sizeof dates);
	/* A trial on a database that does not exist yet runs in a throw-away
	 * one, so that it creates nothing. */
	if (o.dry_run && access(db_path, F_OK) != 0) {
		if (!mkdtemp(tmpdir)) {
			fprintf(stderr, "10p5-admin: import-php: %s: %s\n", tmpdir, strerror(errno));
			goto out;
		}
		snprintf(trial, sizeof trial, "%s/10p5.db", tmpdir);
		target = trial;
	}
	if (!db_open(target, true)) {
		fprintf(stderr, "10p5-admin: import-php: cannot open %s\n", target);
		goto out;
	}
	/* The history's indexes are filled in client order, not id order: a
	 * cache that holds them keeps a million rows from going to disk
	 * page by page (256 MB at most, for this command only). */
	if (sqlite3_exec(db_handle(), "PRAGMA cache_size = -262144", NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "10p5-admin: import-php: cannot enlarge the page cache\n");
	if (write_all(im, file, digest, dates)) {
		report(im, file, dates, db_path);
		status = 0;
	} else
		fprintf(stderr, "nothing was written\n");
	db_close();
out:
	if (im && im->tz_now[0])
		tz_use(im, NULL); /* $TZ as it was */
	if (target == trial) {
		static const char *const suffix[] = { "", "-wal", "-shm", "-writer" };
		char f[sizeof trial + 8];

		for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
			snprintf(f, sizeof f, "%s%s", trial, suffix[i]);
			unlink(f);
		}
		rmdir(tmpdir);
	}
	if (im) {
		names_free(&im->cards);
		names_free(&im->logins);
		names_free(&im->staff_cards);
		free(im->clients);
		free(im->users);
		free(im->txs);
		free(im->tz_orig);
	}
	free(im);
	free(buf);
	free(o.cards);
	free(o.logins);
	return status;
}
