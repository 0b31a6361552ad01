/*
 * Transactions on the thread's connection, and the group commit's side of
 * them. A writer first queues on the write lock (an flock() of the database's
 * side file), then runs BEGIN IMMEDIATE: one writer at a time, first come
 * first served. Inside a group (db_group_begin ... db_group_commit, run by
 * the payments' writer, lib/writer.c), db_begin, db_commit and db_rollback
 * are a savepoint of the group's transaction, so each request's work can be
 * undone alone and all of it is made durable by one COMMIT.
 *
 * Invariants: the write lock is held exactly while a write transaction (or a
 * group) is open on this connection; no statement stays positioned on a row
 * past a transaction's end.
 */
#include <assert.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "db_conn.h"
#include "log.h"

static void
on_alarm(int sig)
{
	(void)sig; /* only interrupts flock() */
}

/* Writers queue on an flock() of a side file before BEGIN IMMEDIATE: the
 * kernel wakes the next one the moment the lock is released, where SQLite's
 * own lock can only be polled. A payment storm then runs at the disk's commit
 * rate, first come first served. The wait is bounded by cfg.busy_timeout_ms;
 * 0 means no wait at all (a zero timer would be no timer, and flock would wait
 * forever). The timer's SIGALRM must reach the waiting thread: in a process of
 * several threads, the others block it (feed.c). Returns 1 when held (or when
 * there is no side file), 0 on timeout. */
static int
writer_lock(void)
{
	struct sigaction sa, old;
	struct itimerval t;
	int rc;

	if (db_conn->writer_fd < 0)
		return 1;
	if (flock(db_conn->writer_fd, LOCK_EX | LOCK_NB) == 0) {
		db_conn->writer_held = true;
		return 1;
	}
	if (cfg.busy_timeout_ms == 0) {
		log_error("the write lock is taken and TENP5_BUSY_TIMEOUT is 0: not waiting");
		return 0;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART: flock must return */
	sigaction(SIGALRM, &sa, &old);
	memset(&t, 0, sizeof t);
	t.it_value.tv_sec = cfg.busy_timeout_ms / 1000;
	t.it_value.tv_usec = (cfg.busy_timeout_ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &t, NULL);
	rc = flock(db_conn->writer_fd, LOCK_EX);
	memset(&t, 0, sizeof t);
	setitimer(ITIMER_REAL, &t, NULL);
	sigaction(SIGALRM, &old, NULL);
	if (rc != 0) {
		log_error("gave up waiting for the write lock");
		return 0;
	}
	db_conn->writer_held = true;
	return 1;
}

void
db_writer_unlock(void)
{
	if (db_conn->writer_held)
		flock(db_conn->writer_fd, LOCK_UN);
	db_conn->writer_held = false;
}

/* Resets every statement still positioned on a row, so none holds the
 * transaction open past its end. */
static void
reset_busy(void)
{
	for (size_t i = 0; i < db_conn->cached; i++)
		if (sqlite3_stmt_busy(db_conn->cache[i].st))
			sqlite3_reset(db_conn->cache[i].st);
}

/* Runs a prepared, cached control statement (BEGIN, COMMIT...): parsing
 * them anew for every request showed in profiles. */
static int
control(const char *sql)
{
	sqlite3_stmt *st = db_prepare(sql);
	int rc;

	if (!st)
		return 0;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_log(sql, rc);
		return 0;
	}
	return 1;
}

/* Inside a group (db_group_begin), each request's transaction is a
 * savepoint of the group's: the group fails whole if SQLite has ended the
 * transaction underneath (a full disk, an I/O error). */
static bool
group_alive(void)
{
	return db_conn->db && !sqlite3_get_autocommit(db_conn->db);
}

bool
db_writing(void)
{
	/* The write lock and an open transaction: what db_begin(true) and
	 * db_group_begin hold (SQLite's own state is no witness: on a file
	 * opened read-only, BEGIN IMMEDIATE opens no write transaction, and
	 * the write itself fails, as it must). */
	return db_conn->db && db_conn->writer_held && !sqlite3_get_autocommit(db_conn->db);
}

int
db_begin(bool write)
{
	if (db_conn->grouped)
		return group_alive() && control("SAVEPOINT request");
	assert(!db_conn->writer_held); /* no transaction is open on this connection */
	if (!write)
		return control("BEGIN");
	if (!writer_lock())
		return 0;
	if (control("BEGIN IMMEDIATE"))
		return 1;
	db_writer_unlock();
	return 0;
}

int
db_commit(void)
{
	reset_busy();
	if (db_conn->grouped)
		return group_alive() && control("RELEASE request");
	if (control("COMMIT")) {
		db_writer_unlock();
		return 1;
	}
	db_rollback();
	return 0;
}

void
db_rollback(void)
{
	reset_busy();
	if (db_conn->grouped) {
		if (group_alive() && control("ROLLBACK TO request"))
			(void)control("RELEASE request");
		return;
	}
	if (db_conn->db && !sqlite3_get_autocommit(db_conn->db))
		(void)control("ROLLBACK");
	db_writer_unlock();
}

int
db_group_begin(void)
{
	assert(!db_conn->grouped);
	if (!db_begin(true))
		return 0;
	db_conn->grouped = true;
	return 1;
}

int
db_group_commit(void)
{
	bool alive = group_alive();

	db_conn->grouped = false;
	if (alive)
		return db_commit();
	db_rollback();
	return 0;
}

int
db_savepoint(void)
{
	return control("SAVEPOINT handler");
}

void
db_rollback_savepoint(void)
{
	reset_busy();
	(void)control("ROLLBACK TO handler");
}

