/*
 * What lib/db.c and lib/db_txn.c share about a connection, for them alone:
 * no other module includes this file.
 */
#ifndef TENP5_DB_CONN_H
#define TENP5_DB_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <sqlite3.h>

#define STMT_CACHE 160

/* A connection and what goes with it. The process has one; a thread may open
 * its own (db_open_thread), which its db_* calls then use alone. */
struct connection {
	sqlite3 *db;
	bool broken;
	bool readonly;            /* opened read-only (the file could not be written) */
	time_t readonly_since;
	uint64_t openings;        /* opened, and restores: see db_mark */
	int wal_pages;            /* pages in the WAL after our last commit */
	int writer_fd;            /* <db>-writer: where writers queue, see db_txn.c */
	bool writer_held;
	bool grouped;             /* inside db_group_begin ... db_group_commit */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
	size_t cached;
};

/* The thread's connection: the process's, or the one its thread opened
 * (db_open_thread). */
extern _Thread_local struct connection *db_conn;

/* Logs SQLite's message for a failure of what, and notes a failure of the
 * storage itself (the connection is then healed, db_heal). */
void db_log(const char *what, int rc);

/* Lets the next writer in, if this connection holds the write lock. */
void db_writer_unlock(void);

#endif
