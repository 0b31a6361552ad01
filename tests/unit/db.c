/* Unit tests for lib/db.c: opening, migrations, pragmas, the transaction
 * helper, the statement cache, backup and restore, and the schema's guards. */
#include <sys/stat.h>

#include "../tap.h"
#include "config.h"
#include "db.h"
#include "db_ledger.h"
#include "log.h"
#include "unitdb.h"

static char dir[] = "/tmp/10p5-unit-db.XXXXXX";

/* A file's permission bits, or -1. */
static int
mode_of(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

int
main(void)
{
	char path[128], copy[128], wal[140], shm[140];
	sqlite3_stmt *a, *b;
	sqlite3_stmt *st = NULL;
	int bad = 0;

	log_init("unit-db");
	if (!freopen("/dev/null", "w", stderr)) /* the failures below are on purpose */
		return 2;
	config_load();
	if (!mkdtemp(dir))
		return 2;
	snprintf(path, sizeof path, "%s/t.db", dir);
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);

	ok(!db_open(path, false), "a missing database is not created unless asked");
	ok(db_open(path, true), "a new database is created");
	is_int(db_int("PRAGMA user_version", -999), db_migrations[db_migrations_n - 1].version,
	    "every migration is applied");
	ok(db_prepare("PRAGMA journal_mode") && db_row(&st, "PRAGMA journal_mode", "") == 1 &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0, "the journal is WAL");
	if (st)
		sqlite3_reset(st);
	is_int(db_int("PRAGMA synchronous", -999), 2, "commits are durable (synchronous = FULL)");
	is_int(db_int("PRAGMA foreign_keys", -999), 1, "foreign keys are enforced");
	ok(mode_of(path) == 0600 && mode_of(wal) == 0600 && mode_of(shm) == 0600,
	    "the database, its -wal and -shm are their owner's alone (%o %o %o)",
	    mode_of(path), mode_of(wal), mode_of(shm));
	db_close();
	umask(022);
	chmod(path, 0644);
	ok(db_open(path, false), "reopening applies nothing twice");
	ok(mode_of(path) == 0600, "and takes back the access others had to it (%o)", mode_of(path));

	a = db_prepare("SELECT 1");
	b = db_prepare("SELECT 1");
	ok(a && a == b, "a statement is prepared once and reused");

	ok(db_begin(true), "BEGIN IMMEDIATE");
	ok(db_exec("INSERT INTO prices (qty, price) VALUES (?1, ?2)", "ii", (int64_t)1, (int64_t)150),
	    "an insert with bound values");
	db_rollback();
	is_int(db_int("SELECT count(*) FROM prices", -999), 0, "a rollback undoes it");
	db_begin(true);
	db_exec("INSERT INTO prices (qty, price) VALUES (1, 150)", "");
	ok(db_savepoint(), "a savepoint inside");
	db_exec("INSERT INTO prices (qty, price) VALUES (2, 280)", "");
	db_rollback_savepoint();
	ok(db_commit(), "COMMIT");
	is_int(db_int("SELECT count(*) FROM prices", -999), 1, "the savepoint undid only its part");
	ok(!db_exec("INSERT INTO prices (qty, price) VALUES (3, 0)", ""), "a zero price breaks a CHECK");
	ok(!db_exec("INSERT INTO prices (qty, price) VALUES (4, 1.5)", ""), "a REAL price breaks a CHECK");

	/* Ledger guards. */
	db_exec("INSERT INTO users (login, password, droit, created_ms) VALUES ('u', 'x', 3, 0)", "");
	db_exec("INSERT INTO clients (card, balance, created_ms) VALUES ('C1', 500, 0)", "");
	db_exec("INSERT INTO transactions (type, client_id, user_id, date_ms, amount) VALUES (1, 1, 1, 0, 500)", "");
	ok(!db_exec("DELETE FROM transactions", ""), "ledger rows cannot be deleted");
	ok(!db_exec("UPDATE transactions SET amount = 1", ""), "ledger amounts cannot change");
	ok(db_exec("UPDATE transactions SET valid = 0", "") && db_exec("UPDATE transactions SET valid = 1", ""),
	    "only valid may flip");
	ok(!db_exec("INSERT INTO transactions (type, client_id, user_id, date_ms, amount) VALUES (3, 1, 1, 0, -5)", ""),
	    "a payment cannot be negative");
	ok(!db_exec("INSERT INTO transactions (type, client_id, user_id, date_ms, amount) VALUES (3, 99, 1, 0, 5)", ""),
	    "a row needs its client");
	db_exec("INSERT INTO journal (date_ms, cred_kind, event) VALUES (0, 0, 'x')", "");
	ok(!db_exec("UPDATE journal SET event = 'y'", "") && !db_exec("DELETE FROM journal", ""),
	    "the journal is append-only");
	is_int(ledger_verify(unitdb_count_bad, &bad), 0, "the ledger check passes on a consistent database");

	umask(022);
	fclose(fopen(copy, "w")); /* made before, as anyone's files are: 0644 */
	ok(db_backup(copy), "an online backup is taken");
	is_int(mode_of(copy), 0600, "only its owner may read it, even in a file made before");
	db_exec("UPDATE clients SET balance = 499", "");
	bad = 0;
	is_int(ledger_verify(unitdb_count_bad, &bad), 1, "the check names a client whose balance drifted");
	is_int(bad, 1, "once");
	ok(db_restore(copy), "the backup is restored");
	is_int(db_int("SELECT balance FROM clients", -999), 500, "the restored balance is the saved one");
	is_int(ledger_verify(unitdb_count_bad, &bad), 0, "and the check passes again");
	db_close();
	ok(db_prepare("SELECT 1") == NULL, "a closed database prepares nothing");
	{
		char cmd[200];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			diag_rm();
	}
	return done_testing();
}
