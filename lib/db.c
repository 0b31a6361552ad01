/*
 * SQLite access. Statements are prepared once per process and kept; every
 * failure is logged here with SQLite's message (never shown to callers) and
 * turned into a plain return value.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "log.h"

#define STMT_CACHE 160

static sqlite3 *conn;
static char conn_path[4096];
static bool conn_broken;
static bool conn_readonly;   /* opened read-only (the file could not be written) */
static uint64_t openings;    /* connections opened, and restores: see db_mark */
static time_t readonly_since;
static int wal_pages;      /* pages in the WAL after our last commit */
static int writer_fd = -1;   /* <db>-writer: where writers queue, see writer_lock */
static bool writer_held;
static bool grouped;         /* inside db_group_begin ... db_group_commit */
static struct {
	const char *sql;
	sqlite3_stmt *st;
} cache[STMT_CACHE];
static size_t cached;

sqlite3 *
db_handle(void)
{
	return conn;
}

/* Notes failures that mean the storage itself is in trouble. */
static void
db_fault(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_READONLY:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_FULL:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		conn_broken = true;
		break;
	default:
		break;
	}
}

static void
db_log(const char *what, int rc)
{
	log_error("sqlite: %s: %s (%d)", what, conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc), rc);
	db_fault(rc);
}

/* Waits for the write lock in short naps rather than SQLite's default backoff
 * (which sleeps up to 100 ms a try and makes waiting order unfair under a
 * payment storm), and gives up after cfg.busy_timeout_ms. */
static int
busy_wait(void *arg, int tries)
{
	int64_t nap_us = tries < 50 ? 100 + 20 * tries : 1000, waited;

	(void)arg;
	waited = tries < 50 ? 100 * tries + 10 * tries * (tries - 1)
	    : 100 * 50 + 10 * 50 * 49 + 1000 * (int64_t)(tries - 50);
	if (waited / 1000 >= cfg.busy_timeout_ms)
		return 0;
	usleep((useconds_t)nap_us);
	return 1;
}

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
 * forever). Returns 1 when held (or when there is no side file), 0 on timeout. */
static int
writer_lock(void)
{
	struct sigaction sa, old;
	struct itimerval t;
	int rc;

	if (writer_fd < 0)
		return 1;
	if (flock(writer_fd, LOCK_EX | LOCK_NB) == 0) {
		writer_held = true;
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
	rc = flock(writer_fd, LOCK_EX);
	memset(&t, 0, sizeof t);
	setitimer(ITIMER_REAL, &t, NULL);
	sigaction(SIGALRM, &old, NULL);
	if (rc != 0) {
		log_error("gave up waiting for the write lock");
		return 0;
	}
	writer_held = true;
	return 1;
}

static void
writer_unlock(void)
{
	if (writer_held)
		flock(writer_fd, LOCK_UN);
	writer_held = false;
}

int
db_side_file(const char *path, const char *suffix)
{
	char name[4096];
	struct stat st, db;
	int fd;

	if (snprintf(name, sizeof name, "%s%s", path, suffix) >= (int)sizeof name) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	if (geteuid() == 0 && stat(path, &db) == 0 && db.st_uid != 0 && st.st_uid != db.st_uid &&
	    fchown(fd, db.st_uid, db.st_gid) != 0)
		log_error("cannot give %s to the database's owner", suffix);
	return fd;
}

/* Replaces SQLite's automatic checkpoint, which would run inside a commit,
 * so on the paying customer's time: commits only note the WAL's size, and
 * db_checkpoint runs once the reply is sent. */
static int
on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)arg;
	(void)db;
	(void)name;
	wal_pages = pages;
	return SQLITE_OK;
}

void
db_checkpoint(bool force)
{
	int rc;

	if (!conn || (!force && wal_pages < 1000))
		return;
	rc = sqlite3_wal_checkpoint_v2(conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		db_log("checkpoint", rc);
	wal_pages = 0;
}

/* The schema version the file holds, or -1 on error. */
static int
user_version(void)
{
	sqlite3_stmt *st;
	int v;

	if (db_row(&st, "PRAGMA user_version", "") != 1)
		return -1;
	v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return v;
}

/* Applies the migrations the file lacks. Checking costs a read: the write
 * lock is taken only when there is something to apply (a CGI process opens
 * the database for every request, and must not queue behind payments to
 * learn that the schema is current). */
static int
db_migrate(void)
{
	int have, rc;

	if ((have = user_version()) < 0)
		return 0;
	if (db_migrations_n == 0 || have >= db_migrations[db_migrations_n - 1].version)
		return 1;
	if (!db_begin(true))
		return 0;
	if ((have = user_version()) < 0) /* again, under the lock */
		goto fail;
	for (size_t i = 0; i < db_migrations_n; i++) {
		char pragma[64];

		if (db_migrations[i].version <= have)
			continue;
		rc = sqlite3_exec(conn, db_migrations[i].sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			db_log(db_migrations[i].name, rc);
			goto fail;
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
		    db_migrations[i].version);
		if ((rc = sqlite3_exec(conn, pragma, NULL, NULL, NULL)) != SQLITE_OK) {
			db_log("user_version", rc);
			goto fail;
		}
	}
	return db_commit();
fail:
	db_rollback();
	return 0;
}

/* What the database holds (password hashes, the key that signs device
 * cookies, every balance) is its owner's alone. Files this process makes from
 * now on (the database, backups, side files) are 0600; a database or backup
 * file of ours made before, 0644 by default, loses group's and others'
 * access, and SQLite gives the -wal and -shm it makes the database's mode. */
static void
owner_only(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char name[sizeof conn_path + 8];
	struct stat st;

	umask(077);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
		if (lstat(name, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    (st.st_mode & 077) && chmod(name, st.st_mode & 07700) != 0)
			log_error("cannot keep the database%s to its owner", suffixes[i]);
	}
}

int
db_open(const char *path, bool create)
{
	static const char *const pragmas[] = {
		"PRAGMA synchronous = FULL",
		"PRAGMA foreign_keys = ON",
		"PRAGMA temp_store = MEMORY",
		"PRAGMA mmap_size = 268435456",
	};
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	bool readonly;
	int rc;

	if (strlen(path) >= sizeof conn_path) {
		log_error("database path too long");
		return 0;
	}
	if (conn_path != path)
		strcpy(conn_path, path);
	owner_only(path);
	writer_fd = db_side_file(path, "-writer");
	rc = sqlite3_open_v2(path, &conn, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		db_log("open", rc);
		db_close();
		return 0;
	}
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_handler(conn, busy_wait, NULL);
	sqlite3_wal_hook(conn, on_wal, NULL);
	/* SQLite falls back to read-only when the file cannot be written: then
	 * serve reads, and let db_heal try again for writes every second. */
	readonly = sqlite3_db_readonly(conn, "main") == 1;
	if (readonly != conn_readonly)
		log_error(readonly ? "the database is read-only: serving reads only"
		    : "the database is writable again");
	conn_readonly = readonly;
	readonly_since = time(NULL);
	if (!readonly && (rc = sqlite3_exec(conn, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) != SQLITE_OK) {
		db_log("journal_mode", rc);
		db_close();
		return 0;
	}
	for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
		if ((rc = sqlite3_exec(conn, pragmas[i], NULL, NULL, NULL)) != SQLITE_OK) {
			db_log(pragmas[i], rc);
			db_close();
			return 0;
		}
	}
	if (!conn_readonly && !db_migrate()) {
		db_close();
		return 0;
	}
	conn_broken = false;
	openings++;
	return 1;
}

void
db_close(void)
{
	for (size_t i = 0; i < cached; i++)
		sqlite3_finalize(cache[i].st);
	cached = 0;
	if (conn)
		sqlite3_close(conn);
	conn = NULL;
	writer_unlock();
	if (writer_fd >= 0)
		close(writer_fd);
	writer_fd = -1;
}

void
db_heal(void)
{
	if (grouped)
		return; /* never under a group's open transaction */
	if (conn && conn_readonly && time(NULL) != readonly_since)
		conn_broken = true; /* maybe writable again */
	if (!conn_broken && conn)
		return;
	if (conn && !conn_readonly)
		log_error("storage failed: reopening the database");
	db_close();
	if (!db_open(conn_path, false))
		conn_broken = true;
}

sqlite3_stmt *
db_prepare(const char *sql)
{
	sqlite3_stmt *st;
	int rc;

	if (!conn)
		return NULL;
	for (size_t i = 0; i < cached; i++) {
		if (cache[i].sql == sql) {
			sqlite3_reset(cache[i].st);
			sqlite3_clear_bindings(cache[i].st);
			return cache[i].st;
		}
	}
	rc = sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		db_log("prepare", rc);
		return NULL;
	}
	if (cached < STMT_CACHE) {
		cache[cached].sql = sql;
		cache[cached].st = st;
		cached++;
	} else {
		/* Not reachable with the code base's few dozen statements. */
		log_error("statement cache full");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static sqlite3_stmt *
vquery(const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = db_prepare(sql);
	int rc = SQLITE_OK;

	if (!st)
		return NULL;
	for (int i = 1; *fmt && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
			    : sqlite3_bind_null(st, i);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);

			rc = sqlite3_bind_blob(st, i, p, (int)n, SQLITE_STATIC);
			break;
		}
		default:
			rc = SQLITE_MISUSE;
		}
	}
	if (rc != SQLITE_OK) {
		db_log("bind", rc);
		return NULL;
	}
	return st;
}

sqlite3_stmt *
db_query(const char *sql, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;

	va_start(ap, fmt);
	st = vquery(sql, fmt, ap);
	va_end(ap);
	return st;
}

int
db_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_log("step", rc);
		sqlite3_reset(st);
	}
	return rc;
}

int
db_exec(const char *sql, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int rc;

	va_start(ap, fmt);
	st = vquery(sql, fmt, ap);
	va_end(ap);
	if (!st)
		return 0;
	while ((rc = db_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

static int
vrow(sqlite3_stmt **out, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = vquery(sql, fmt, ap);
	int rc;

	*out = st;
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_row(sqlite3_stmt **out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vrow(out, sql, fmt, ap);
	va_end(ap);
	return r;
}

int
db_exists(const char *sql, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int r;

	va_start(ap, fmt);
	r = vrow(&st, sql, fmt, ap);
	va_end(ap);
	if (r == 1)
		sqlite3_reset(st);
	return r;
}

int64_t
db_int(const char *sql, int64_t none)
{
	sqlite3_stmt *st;
	int64_t v;

	if (db_row(&st, sql, "") != 1)
		return none;
	v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int64_t
db_last_id(void)
{
	return sqlite3_last_insert_rowid(conn);
}

int
db_changes(void)
{
	return sqlite3_changes(conn);
}

/* Resets every statement still positioned on a row, so none holds the
 * transaction open past its end. */
static void
reset_busy(void)
{
	for (size_t i = 0; i < cached; i++)
		if (sqlite3_stmt_busy(cache[i].st))
			sqlite3_reset(cache[i].st);
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
	return conn && !sqlite3_get_autocommit(conn);
}

int
db_begin(bool write)
{
	if (grouped)
		return group_alive() && control("SAVEPOINT request");
	if (!write)
		return control("BEGIN");
	if (!writer_lock())
		return 0;
	if (control("BEGIN IMMEDIATE"))
		return 1;
	writer_unlock();
	return 0;
}

int
db_commit(void)
{
	reset_busy();
	if (grouped)
		return group_alive() && control("RELEASE request");
	if (control("COMMIT")) {
		writer_unlock();
		return 1;
	}
	db_rollback();
	return 0;
}

void
db_rollback(void)
{
	reset_busy();
	if (grouped) {
		if (group_alive() && control("ROLLBACK TO request"))
			(void)control("RELEASE request");
		return;
	}
	if (conn && !sqlite3_get_autocommit(conn))
		(void)control("ROLLBACK");
	writer_unlock();
}

int
db_group_begin(void)
{
	if (!db_begin(true))
		return 0;
	grouped = true;
	return 1;
}

int
db_group_commit(void)
{
	bool alive = group_alive();

	grouped = false;
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

static int
copy(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int64_t waited = 0;
	int rc;

	if (!b) {
		log_error("sqlite: backup: %s", sqlite3_errmsg(to));
		return 0;
	}
	/* All pages in one step: a consistent snapshot of the source. A lock
	 * held elsewhere is waited for, cfg.busy_timeout_ms at most. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (waited >= cfg.busy_timeout_ms)
			break;
		sqlite3_sleep(50);
		waited += 50;
	}
	sqlite3_backup_finish(b);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		log_error("the database stayed locked for %lld ms (TENP5_BUSY_TIMEOUT): try again",
		    (long long)waited);
		return 0;
	}
	if (rc != SQLITE_DONE) {
		log_error("sqlite: backup: %s", sqlite3_errstr(rc));
		return 0;
	}
	return 1;
}

static int
with_file(const char *path, int flags, bool restore)
{
	sqlite3 *other;
	int ok;

	if (sqlite3_open_v2(path, &other, flags, NULL) != SQLITE_OK) {
		log_error("sqlite: %s: %s", path, sqlite3_errmsg(other));
		sqlite3_close(other);
		return 0;
	}
	sqlite3_busy_timeout(other, (int)cfg.busy_timeout_ms);
	ok = restore ? copy(conn, other) : copy(other, conn);
	sqlite3_close(other);
	return ok;
}

int
db_backup(const char *path)
{
	owner_only(path); /* a file made before, by anyone's rules, gets the database's */
	return with_file(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, false);
}

int
db_restore(const char *path)
{
	openings++; /* the contents change under this connection */
	return with_file(path, SQLITE_OPEN_READONLY, true);
}

int
db_mark(struct db_mark *m)
{
	m->opening = openings;
	m->changes = conn ? sqlite3_total_changes64(conn) : -1;
	m->version = db_int("PRAGMA data_version", -1);
	return m->version >= 0;
}
