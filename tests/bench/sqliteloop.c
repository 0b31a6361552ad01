/*
 * The storage ceilings for `make bench`, SQLite alone with the server's
 * settings:
 *
 * sqliteloop commit FILE SECONDS -> "commits_per_second"
 *   the commit rate with the server's durability (WAL, synchronous=FULL),
 *   doing what a payment does at its core: BEGIN IMMEDIATE; UPDATE a balance;
 *   INSERT a ledger row; COMMIT.
 *
 * sqliteloop read FILE SECONDS SQL [TEXT] -> "passes_per_second rows_per_pass"
 *   how often one core steps through the rows of a query and reads every
 *   column of each (integers as integers, text as its bytes), the file mapped
 *   as the workers map it; TEXT, when given, is bound to ?1. Nothing is
 *   formatted or sent: what a long answer costs beyond this is the worker's
 *   writing and the transport.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
commit_loop(sqlite3 *db, double seconds)
{
	sqlite3_stmt *up, *in;
	double start, end;
	long n = 0;

	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	    "CREATE TABLE IF NOT EXISTS c (id INTEGER PRIMARY KEY, balance INTEGER);"
	    "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, client INTEGER, amount INTEGER);"
	    "CREATE INDEX IF NOT EXISTS t_client ON t(client, id);"
	    "INSERT OR IGNORE INTO c VALUES (1, 100000000);", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE c SET balance = balance - 1 WHERE id = 1", -1, &up, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO t (client, amount) VALUES (1, 1)", -1, &in, NULL))
		return 1;
	start = now();
	end = start + seconds;
	while (now() < end) {
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return 1;
		sqlite3_step(up);
		sqlite3_reset(up);
		sqlite3_step(in);
		sqlite3_reset(in);
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return 1;
		n++;
	}
	printf("%.1f\n", n / (now() - start));
	sqlite3_finalize(up);
	sqlite3_finalize(in);
	return 0;
}

static int
read_loop(sqlite3 *db, double seconds, const char *sql, const char *text)
{
	sqlite3_stmt *st;
	double start, end;
	long passes = 0, rows = 0;
	volatile uint64_t sum = 0; /* the reads are used */

	if (sqlite3_exec(db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    (text && sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC) != SQLITE_OK))
		return 1;
	start = now();
	end = start + seconds;
	do {
		int rc;

		rows = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++)
				if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
					sum = sum + (uint64_t)sqlite3_column_int64(st, i);
				else if (sqlite3_column_blob(st, i))
					sum = sum + (uint64_t)sqlite3_column_bytes(st, i);
			rows++;
		}
		if (rc != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
		passes++;
	} while (now() < end);
	printf("%.3f %ld\n", passes / (now() - start), rows);
	sqlite3_finalize(st);
	return 0;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	int commit = argc == 4 && strcmp(argv[1], "commit") == 0;
	int reading = (argc == 5 || argc == 6) && strcmp(argv[1], "read") == 0;
	int rc;

	if ((!commit && !reading) || sqlite3_open_v2(argv[2], &db, (commit ?
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK)
		return 2;
	rc = commit ? commit_loop(db, atof(argv[3]))
	    : read_loop(db, atof(argv[3]), argv[4], argc == 6 ? argv[5] : NULL);
	sqlite3_close(db);
	return rc;
}
