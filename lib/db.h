/*
 * The database: one SQLite connection per process (and one for a thread that
 * asks for its own), opened at start-up in WAL mode with durable commits; the
 * schema migrations compiled in from schema/; a cache of prepared statements;
 * bind/step helpers; and the one transaction helper.
 */
#ifndef TENP5_DB_H
#define TENP5_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

struct migration {
	int version;      /* the number the file name starts with */
	const char *name; /* file name under schema/ */
	const char *sql;
};
extern const struct migration db_migrations[];
extern const size_t db_migrations_n;

/* Opens path (creating it when create is true), sets the pragmas and applies
 * pending migrations. Returns 1, or 0 after logging why. */
int db_open(const char *path, bool create);
/* Opens (makes) the file <path><suffix> next to the database, read-write: a
 * regular file of one link, never through a symbolic link. Run as root on a
 * database owned by another user (the admin command on the web server's
 * file), it gives the file to that user, as SQLite does with its -wal and -shm
 * files: otherwise the workers could no longer use it. -1 with errno. */
int db_side_file(const char *path, const char *suffix);
void db_close(void);
sqlite3 *db_handle(void);

/* Gives the calling thread a connection of its own to the database db_open
 * opened, for a thread that must never wait on the one that writes (the live
 * feed's): its db_* calls use it alone until db_close_thread. Returns 1, or
 * 0 after logging (db_heal then tries again). */
int db_open_thread(void);
void db_close_thread(void);

/* If the last failure looked like the storage going away (read-only file, I/O
 * error, full disk), reopens the connection so service resumes by itself once
 * the cause is fixed. Cheap when nothing failed. */
void db_heal(void);

/* Copies the WAL back into the database (a passive checkpoint) when it has
 * grown past 1000 pages, or always with force. Called between requests. */
void db_checkpoint(bool force);

/* Returns the cached statement for sql (a string literal: it is cached by
 * address), reset and with its bindings cleared; NULL after logging. */
sqlite3_stmt *db_prepare(const char *sql);

/* Prepares sql and binds its parameters from fmt: 'i' int64_t, 's' const char *
 * (NULL binds null), 'b' a blob as (const void *, size_t). Returns the statement
 * ready to step, or NULL after logging. */
sqlite3_stmt *db_query(const char *sql, const char *fmt, ...);

/* Steps st once: returns SQLITE_ROW or SQLITE_DONE, or logs and returns the
 * error code. */
int db_step(sqlite3_stmt *st);

/* db_query then steps to the end: returns 1 on success, 0 after logging. */
int db_exec(const char *sql, const char *fmt, ...);

/* db_query then one step: 1 and the statement positioned on the first row,
 * 0 if there is no row, -1 on error (logged). */
int db_row(sqlite3_stmt **st, const char *sql, const char *fmt, ...);

/* Whether the query has a row: 1, 0, or -1 on error (logged). */
int db_exists(const char *sql, const char *fmt, ...);

/* The first column of a count's row (binding as db_query): the count, or -1
 * on error (logged). */
int64_t db_count(const char *sql, const char *fmt, ...);

/* The first column of the first row of a query without parameters, or
 * `none` when there is no row or an error (logged). */
int64_t db_int(const char *sql, int64_t none);

/* Copies the whole database to the file `path` with SQLite's online backup
 * (writers carry on meanwhile), or back from it (restore). Return 1, or 0
 * after logging. */
int db_backup(const char *path);
int db_restore(const char *path);

/* The database's identity (schema/017_identity.sql): 128 random bits as
 * DB_IDENTITY_LEN lowercase hexadecimal characters, copied with a NUL into
 * id. A restored backup or replica gets a new one, so that the web tills know
 * it is another database (doc/api.md, coucou). db_identity reads it in the
 * caller's transaction or alone; db_identity_renew makes a new one in a write
 * transaction of its own and copies it into id. Return 1, or 0 after logging
 * (id then holds an empty string). */
#define DB_IDENTITY_LEN 32
int db_identity(char id[DB_IDENTITY_LEN + 1]);
int db_identity_renew(char id[DB_IDENTITY_LEN + 1]);

/* Marks what the connection's open transaction reads. db_mark marks all of
 * it: two equal marks (taken inside read transactions) see the same
 * contents, since any commit in between, by this connection or another, a
 * restore or a reopening changes the mark. db_card_mark marks one card's
 * ledger rows and name alone: two equal marks see the same rows of that card
 * whatever else changed, since any change to them changes the card's version
 * in the same transaction (schema/013_card_versions.sql); it is taken inside a
 * transaction that only reads, never one that writes, whose changes may yet be
 * undone.
 * Return 1, or 0 after logging (or, for a card, when it is unknown). */
struct db_mark {
	uint64_t opening;  /* which opening of the connection */
	int64_t card;      /* the card marked; 0: all of the contents */
	int64_t version;   /* PRAGMA data_version (others' commits), or the card's version */
	int64_t changes;   /* rows this connection changed; 0 for a card */
};
int db_mark(struct db_mark *m);
int db_card_mark(struct db_mark *m, int64_t card);

int64_t db_last_id(void);
int db_changes(void);

/* Transactions. db_begin(true) is BEGIN IMMEDIATE: it takes the write lock at
 * once (waiting up to the busy timeout), so a read-then-write inside never
 * fails on a snapshot conflict. db_begin(false) is a deferred, read-only
 * snapshot. Each returns 1 on success, 0 after logging. */
int db_begin(bool write);
int db_commit(void);
void db_rollback(void);
/* A savepoint inside the current transaction, to undo a handler's work. */
int db_savepoint(void);
/* Whether a write transaction (or a group's) is open on this thread's
 * connection: what every change to money asserts before it writes. */
bool db_writing(void);

/* Group commit: one write transaction for several requests, each of whose
 * db_begin / db_commit / db_rollback becomes a savepoint, its release, its
 * rollback. db_group_commit makes them all durable at once (1), or none (0). */
int db_group_begin(void);
int db_group_commit(void);

void db_rollback_savepoint(void);

#endif
