/*
 * The services table, and each shift's figures from the ledger (see
 * db_service.h): one query computes them, for one shift or for a period.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_service.h"

/* A row's effect on the money at the till: openings bring their positive
 * initial balance, top-ups their amount, emptyings take theirs out. Rows of
 * other types (payments, adjustments) move no money there. */
#define TILL_EFFECT "CASE t.type WHEN 1 THEN max(t.amount, 0) WHEN 2 THEN t.amount ELSE -t.amount END"
#define MEANS_SUM(m) " coalesce(sum(CASE WHEN t.means = " #m " THEN " TILL_EFFECT " END), 0)"
#define SERVICE_SELECT "SELECT s.id, s.user_id, u.login, s.till, s.opened_ms, s.closed_ms," \
	" s.cash_float, s.counted, s.expected, s.changed_ms," \
	MEANS_SUM(0) "," MEANS_SUM(1) "," MEANS_SUM(2) "," MEANS_SUM(3) \
	" FROM services s JOIN users u ON u.id = s.user_id LEFT JOIN transactions t" \
	" ON t.service_id = s.id AND t.type IN (1, 2, 4) AND t.valid"

_Static_assert(MEANS__MAX == 4, "one sum per means in SERVICE_SELECT");

int64_t
service_expected(const struct service *s)
{
	return s->cash_float + s->totals[MEANS_ESPECES];
}

int
service_open_of(int64_t user_id, int64_t *id)
{
	sqlite3_stmt *st;
	int r = db_row(&st, "SELECT id FROM services WHERE user_id = ?1 AND closed_ms IS NULL",
	    "i", user_id);

	if (r <= 0)
		return r;
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 1;
}

int
service_open(int64_t user_id, const char *till, int64_t cash_float, int64_t now, int64_t *id)
{
	if (!db_exec("INSERT INTO services (user_id, till, opened_ms, cash_float)"
	    " VALUES (?1, ?2, ?3, ?4)", "isii", user_id, till, now, cash_float))
		return 0;
	*id = db_last_id();
	return 1;
}

void
service_fill(sqlite3_stmt *st, struct service *s)
{
	s->id = sqlite3_column_int64(st, 0);
	s->user_id = sqlite3_column_int64(st, 1);
	snprintf(s->login, sizeof s->login, "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(s->till, sizeof s->till, "%s", (const char *)sqlite3_column_text(st, 3));
	s->opened_ms = sqlite3_column_int64(st, 4);
	s->closed_ms = sqlite3_column_int64(st, 5);
	s->cash_float = sqlite3_column_int64(st, 6);
	s->counted = sqlite3_column_int64(st, 7);
	s->expected_at_close = sqlite3_column_int64(st, 8);
	s->changed_ms = sqlite3_column_int64(st, 9);
	for (int m = 0; m < MEANS__MAX; m++)
		s->totals[m] = sqlite3_column_int64(st, 10 + m);
}

int
service_get(int64_t id, struct service *s)
{
	sqlite3_stmt *st;
	int r = db_row(&st, SERVICE_SELECT " WHERE s.id = ?1 GROUP BY s.id", "i", id);

	if (r <= 0)
		return r;
	service_fill(st, s);
	sqlite3_reset(st);
	return 1;
}

int
service_close(const struct service *s, int64_t by, int64_t now, int64_t counted, int64_t expected)
{
	return db_exec("UPDATE services SET closed_ms = ?2, closed_by = ?3, counted = ?4, expected = ?5"
	    " WHERE id = ?1 AND closed_ms IS NULL", "iiiii", s->id, now, by, counted, expected) &&
	    db_changes() == 1;
}

int
service_touch(int64_t id, int64_t now)
{
	return db_exec("UPDATE services SET changed_ms = ?2 WHERE id = ?1 AND closed_ms IS NOT NULL",
	    "ii", id, now);
}

int
service_closed(int64_t id)
{
	return db_exists("SELECT 1 FROM services WHERE id = ?1 AND closed_ms IS NOT NULL", "i", id);
}

sqlite3_stmt *
service_list(int64_t from, int64_t to)
{
	return db_query(SERVICE_SELECT " WHERE s.opened_ms >= ?1 AND s.opened_ms < ?2"
	    " GROUP BY s.id ORDER BY s.id", "ii", from, to);
}

int
service_row_json(sqlite3_stmt *st, char *buf, size_t cap)
{
	struct row r = { buf, 0, cap, false };
	struct service s;
	int64_t expected;

	service_fill(st, &s);
	expected = service_expected(&s);
	row_int(&r, K_ID, s.id);
	row_str(&r, K_CAISSE, s.till);
	row_str(&r, K_UTILISATEUR, s.login);
	row_int(&r, K_OUVERTURE, s.opened_ms);
	if (s.closed_ms) {
		row_int(&r, K_FERMETURE, s.closed_ms);
	} else
		row_str(&r, K_FERMETURE, NULL);
	row_money(&r, K_FOND, s.cash_float);
	row_money(&r, K_ATTENDU, expected);
	if (s.closed_ms) {
		row_money(&r, K_COMPTE, s.counted);
		row_money(&r, K_ECART, s.counted - expected);
	} else {
		row_str(&r, K_COMPTE, NULL);
		row_str(&r, K_ECART, NULL);
	}
	row_money_words(&r, K_TOTAUX, means_words, s.totals, MEANS__MAX);
	/* What was expected at closing, and when its rows last changed since
	 * (a president's cancel or redo): the figures above then differ. */
	if (s.closed_ms) {
		row_money(&r, K_ATTENDU_FERMETURE, s.expected_at_close);
	} else
		row_str(&r, K_ATTENDU_FERMETURE, NULL);
	if (s.changed_ms) {
		row_int(&r, K_MODIFIE, s.changed_ms);
	} else
		row_str(&r, K_MODIFIE, NULL);
	return row_end(&r);
}
