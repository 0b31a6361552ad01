/*
 * The import's third stage: one write transaction inserts what import_read()
 * checked, books an adjustment (type 5) for each balance that differs from
 * its ledger, checks the invariant and journals the import; then the report.
 * A refusal rolls everything back.
 */
#include <assert.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "clock.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "db_journal.h"
#include "db_ledger.h"
#include "db_price.h"
#include "db_user.h"
#include "import_in.h"
#include "reply.h"

#define NO_PASSWORD   "!"                /* a stored hash no password can match */

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
int
import_write(struct import *im, const char *file, const unsigned char *digest,
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

		assert(im->cards.v[t->card].owner >= 0 && im->logins.v[t->login].owner >= 0);
		assert(i == 0 || t->id > t[-1].id);
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
		struct posting p = { .type = TX_AJUSTEMENT, .amount = ci->balance - ci->sum };

		if (ci->sum == ci->balance)
			continue;
		snprintf(c.card, sizeof c.card, "%s", im->cards.v[ci->card].text);
		if (!ledger_post(&adjuster, now, &c, &p, &ci->adjustment_id))
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

void
import_report(const struct import *im, const char *file, const char *dates, const char *db_path)
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

