/*
 * Tickets and the journal as the feed reads it. A ticket is spent by the
 * statement that finds it, so two connections cannot both use one.
 */
#include "db.h"
#include "db_feed.h"
#include "db_ledger.h"

int
ticket_insert(const unsigned char hash[SHA256_LEN], enum cred_kind kind, int64_t token_id,
    int64_t now, int64_t expires)
{
	return db_exec("INSERT INTO tickets (hash, cred_kind, token_id, created_ms, expires_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", "biiii", hash, (size_t)SHA256_LEN, (int64_t)kind,
	    token_id, now, expires) &&
	    db_exec("DELETE FROM tickets WHERE cred_kind = ?1 AND token_id = ?2 AND hash NOT IN"
	    " (SELECT hash FROM tickets WHERE cred_kind = ?1 AND token_id = ?2"
	    " ORDER BY created_ms DESC, hash LIMIT ?3)", "iii", (int64_t)kind, token_id,
	    (int64_t)TICKETS_KEPT);
}

enum ticket_use
ticket_use(const unsigned char hash[SHA256_LEN], int64_t now, enum cred_kind *kind,
    int64_t *token_id)
{
	sqlite3_stmt *st;
	int64_t expires;
	int r = db_row(&st, "UPDATE tickets SET used_ms = ?2 WHERE hash = ?1 AND used_ms IS NULL"
	    " RETURNING cred_kind, token_id, expires_ms", "bi", hash, (size_t)SHA256_LEN, now);

	if (r <= 0)
		return r < 0 ? TICKET_ERROR : TICKET_UNKNOWN;
	*kind = (enum cred_kind)sqlite3_column_int(st, 0);
	*token_id = sqlite3_column_int64(st, 1);
	expires = sqlite3_column_int64(st, 2);
	if (db_step(st) != SQLITE_DONE) /* the UPDATE completes at its end */
		return TICKET_ERROR;
	sqlite3_reset(st);
	return now >= expires ? TICKET_EXPIRED : TICKET_OK;
}

int
ticket_purge(int64_t now)
{
	return db_exec("DELETE FROM tickets WHERE expires_ms < ?1", "i", now - 3600000);
}

int64_t
feed_newest(void)
{
	return db_int("SELECT coalesce(max(id), 0) FROM journal", -1);
}

sqlite3_stmt *
feed_rows(int64_t after, int64_t limit)
{
	return db_query("SELECT j.id, j.event, j.date_ms, c.card, c.overdraft, j.balance, j.detail,"
	    " t.id, t.type, t.amount, t.qty, t.date_ms, tu.login, ju.login, t.means, t.service_id, "
	    LEDGER_LINES_SQL ", t.received_ms"
	    " FROM journal j LEFT JOIN clients c ON c.id = j.client_id"
	    " LEFT JOIN transactions t ON t.id = j.transaction_id"
	    " LEFT JOIN users tu ON tu.id = t.user_id LEFT JOIN users ju ON ju.id = j.user_id"
	    " WHERE j.id > ?1 AND j.event IN ('transaction', 'annulation', 'refaire', 'client',"
	    " 'prix', 'utilisateur', 'verrou', 'cle', 'app', 'service', 'horsligne') ORDER BY j.id LIMIT ?2", "ii",
	    after, limit);
}
