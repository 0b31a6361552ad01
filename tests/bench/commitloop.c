/*
 * The storage ceiling for `make bench`: the commit rate of SQLite itself with
 * the server's durability (WAL, synchronous=FULL), doing what a payment does
 * at its core: BEGIN IMMEDIATE; UPDATE a balance; INSERT a ledger row; COMMIT.
 * usage: commitloop FILE SECONDS -> prints "commits_per_second"
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *up, *in;
	double start, end;
	long n = 0;

	if (argc != 3 || sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 2;
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	    "CREATE TABLE IF NOT EXISTS c (id INTEGER PRIMARY KEY, balance INTEGER);"
	    "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, client INTEGER, amount INTEGER);"
	    "CREATE INDEX IF NOT EXISTS t_client ON t(client, id);"
	    "INSERT OR IGNORE INTO c VALUES (1, 100000000);", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE c SET balance = balance - 1 WHERE id = 1", -1, &up, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO t (client, amount) VALUES (1, 1)", -1, &in, NULL))
		return 1;
	start = now();
	end = start + atof(argv[2]);
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
	sqlite3_close(db);
	return 0;
}
