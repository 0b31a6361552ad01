/*
 * Area "export": the ledger and the shifts of a period as CSV files for the
 * accounts, in the two shapes of lib/csv.h, streamed row by row from the
 * database (the worker's memory does not grow with the period). For a
 * president, or a key or token of a president with the lecture scope; by POST
 * with the credential in the form, or GET with it in the Authorization
 * header: a credential never travels in a URL.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "db_ledger.h"
#include "db_service.h"
#include "server.h"

/* The longest period exported at once: ten years (with their leap days). */
#define PERIOD_MAX ((int64_t)3653 * 86400000)

/* The period and the format of the request, checked: ST_OK, or
 * requete_malforme (a credential in the URL, jusqua not after depuis, a
 * period over ten years). */
static enum status
period(struct req *r)
{
	const struct value *from = &r->v[FLD_DEPUIS], *to = &r->v[FLD_JUSQUA];

	if (strcmp(r->method, "GET") == 0) {
		if (params_get(&r->params, field_defs[FLD_JETON].wire))
			return req_malformed(r, FLD_JETON);
		if (params_get(&r->params, field_defs[FLD_BEARER_TOKEN].wire))
			return req_malformed(r, FLD_BEARER_TOKEN);
	}
	if (to->i <= from->i || to->i - from->i > PERIOD_MAX)
		return req_malformed(r, FLD_JUSQUA);
	return ST_OK;
}

/* The local date of ms, as YYYY-MM-DD. */
static void
day(int64_t ms, char out[16])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 16, "%" PRId64, ms / 86400000);
}

static const char *const tx_names[] = {
	"id", "date", "type", "carte", "utilisateur", "montant", "moyen", "service", "valide",
	"produits",
};

/* The products cell: "2 × Bière (2,50) + 1 × Coca (1,80)". Returns 1, or 0
 * if the lines are damaged or do not fit in cap bytes. */
static int
products(const char *text, enum csv_format f, char *out, size_t cap)
{
	struct sale s;
	size_t w = 0;

	if (!ledger_lines_read(text, &s))
		return 0;
	for (size_t i = 0; i < s.n; i++) {
		char money[PUT_MONEY_MAX + 2];
		int k;

		*csv_put_money(money, s.line[i].price, f) = '\0';
		k = snprintf(out + w, cap - w, "%s%" PRId64 " × %s (%s)", i ? " + " : "", s.qty[i],
		    s.line[i].name, money);
		if (k < 0 || (size_t)k >= cap - w)
			return 0;
		w += (size_t)k;
	}
	return 1;
}

/* A ledger row (ledger_export) as a CSV line. */
static int
tx_row(sqlite3_stmt *st, char *buf, size_t cap, enum csv_format f)
{
	int type = sqlite3_column_int(st, 2), m = sqlite3_column_int(st, 6);
	const char *lines = (const char *)sqlite3_column_text(st, 9);
	struct csv c;

	csv_start(&c, buf, cap, f);
	csv_int(&c, sqlite3_column_int64(st, 0));
	csv_date(&c, sqlite3_column_int64(st, 1));
	csv_text(&c, type > 0 && type < TX_TYPE_WORDS ? tx_type_words[type] : NULL);
	csv_text(&c, (const char *)sqlite3_column_text(st, 3));
	csv_text(&c, (const char *)sqlite3_column_text(st, 4));
	csv_money(&c, sqlite3_column_int64(st, 5));
	csv_text(&c, ledger_has_means(type) && m >= 0 && m < MEANS__MAX ? means_words[m] : NULL);
	if (sqlite3_column_type(st, 7) == SQLITE_NULL)
		csv_empty(&c);
	else
		csv_int(&c, sqlite3_column_int64(st, 7));
	csv_bool(&c, sqlite3_column_int(st, 8) != 0);
	if (lines) {
		char cell[24 * 1024];

		if (!products(lines, f, cell, sizeof cell))
			return -1;
		csv_text(&c, cell);
	} else
		csv_empty(&c);
	return csv_end(&c);
}

static int
tx_row_fr(sqlite3_stmt *st, char *buf, size_t cap)
{
	return tx_row(st, buf, cap, CSV_FR);
}

static int
tx_row_rfc(sqlite3_stmt *st, char *buf, size_t cap)
{
	return tx_row(st, buf, cap, CSV_RFC4180);
}

static const char *const service_names[] = {
	"id", "caisse", "utilisateur", "ouverture", "fermeture", "fond", "attendu", "compte",
	"ecart", "especes", "carte", "virement", "offert", "attendu_fermeture", "modifie",
};
_Static_assert(MEANS__MAX == 4, "a column per means in service_names");

/* A shift (service_list) as a CSV line, with its figures as service/liste
 * gives them. */
static int
service_row(sqlite3_stmt *st, char *buf, size_t cap, enum csv_format f)
{
	struct service s;
	struct csv c;
	int64_t expected;

	service_fill(st, &s);
	expected = service_expected(&s);
	csv_start(&c, buf, cap, f);
	csv_int(&c, s.id);
	csv_text(&c, s.till);
	csv_text(&c, s.login);
	csv_date(&c, s.opened_ms);
	if (s.closed_ms)
		csv_date(&c, s.closed_ms);
	else
		csv_empty(&c);
	csv_money(&c, s.cash_float);
	csv_money(&c, expected);
	if (s.closed_ms) {
		csv_money(&c, s.counted);
		csv_money(&c, s.counted - expected);
	} else {
		csv_empty(&c);
		csv_empty(&c);
	}
	for (int m = 0; m < MEANS__MAX; m++)
		csv_money(&c, s.totals[m]);
	if (s.closed_ms)
		csv_money(&c, s.expected_at_close);
	else
		csv_empty(&c);
	if (s.changed_ms)
		csv_date(&c, s.changed_ms);
	else
		csv_empty(&c);
	return csv_end(&c);
}

static int
service_row_fr(sqlite3_stmt *st, char *buf, size_t cap)
{
	return service_row(st, buf, cap, CSV_FR);
}

static int
service_row_rfc(sqlite3_stmt *st, char *buf, size_t cap)
{
	return service_row(st, buf, cap, CSV_RFC4180);
}

/* What an export is: its name, its columns, its rows, and how each row is
 * written in each format. */
struct export {
	const char *what;
	const char *const *names;
	size_t n;
	sqlite3_stmt *(*rows)(int64_t from, int64_t to);
	row_fn row[CSV__MAX];
};

static const struct export transactions = {
	"transactions", tx_names, sizeof tx_names / sizeof tx_names[0], ledger_export,
	{ [CSV_FR] = tx_row_fr, [CSV_RFC4180] = tx_row_rfc },
};
static const struct export services = {
	"services", service_names, sizeof service_names / sizeof service_names[0], service_list,
	{ [CSV_FR] = service_row_fr, [CSV_RFC4180] = service_row_rfc },
};

/* Answers export e of the request's period: its headers (an attachment
 * named for what it is and the period's days), its head line, then its rows
 * as they are read. Statuses: requete_malforme (see period), erreur_bdd,
 * erreur_generique. */
static enum status
answer(struct req *r, const struct export *e)
{
	enum csv_format f = r->v[FLD_FORMAT].set ? (enum csv_format)r->v[FLD_FORMAT].i : CSV_FR;
	char first[16], last[16], days[40];
	sqlite3_stmt *list;
	enum status st;
	size_t len;
	char *head;

	if ((st = period(r)) != ST_OK)
		return st;
	if (!(list = e->rows(r->v[FLD_DEPUIS].i, r->v[FLD_JUSQUA].i)))
		return ST_ERREUR_BDD;
	if (!(head = csv_head(f, e->names, e->n, &len)))
		return ST_ERREUR_GENERIQUE;
	day(r->v[FLD_DEPUIS].i, first);
	day(r->v[FLD_JUSQUA].i - 1, last);
	snprintf(days, sizeof days, strcmp(first, last) ? "%s_%s" : "%s", first, last);
	req_raw(r, 200, "text/csv; charset=utf-8", head, len);
	if (!req_header(r, "Content-Disposition: attachment; filename=\"10p5-%s-%s.csv\"", e->what,
	    days) || !req_header(r, "Cache-Control: no-store"))
		return ST_ERREUR_GENERIQUE;
	req_stream(r, K_TRANSACTIONS, list, e->row[f], 0);
	return ST_OK;
}

/* The ledger rows dated in the period, by date then id: id, date (ISO 8601
 * with the offset), type as a word, card, user, amount, means, shift, valid,
 * products. Statuses: see answer. */
static enum status
h_transactions(struct req *r, json_object *out)
{
	(void)out;
	return answer(r, &transactions);
}

/* The shifts opened in the period, oldest first, with their figures.
 * Statuses: see answer. */
static enum status
h_services(struct req *r, json_object *out)
{
	(void)out;
	return answer(r, &services);
}

#define PERIOD (FB(FLD_DEPUIS) | FB(FLD_JUSQUA))

static const struct route routes[] = {
	{ .path = "export/transactions", .handler = h_transactions, .right = RIGHT_PRESIDENT,
	  .scope = SCOPE_LECTURE, .flags = R_GET, .takes = PERIOD | FB(FLD_FORMAT), .needs = PERIOD },
	{ .path = "export/services", .handler = h_services, .right = RIGHT_PRESIDENT,
	  .scope = SCOPE_LECTURE, .flags = R_GET, .takes = PERIOD | FB(FLD_FORMAT), .needs = PERIOD },
};

static const struct area area = {
	.name = "export", .routes = routes, .n = sizeof routes / sizeof routes[0],
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
