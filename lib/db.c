/*
 * SQLite access. Statements are prepared once per connection and kept; every
 * failure is logged here with SQLite's message (never shown to callers) and
 * turned into a plain return value. A connection is used by one thread at a
 * time: the process's, or a thread's own (db_open_thread). Transactions, the
 * write lock and the group commit's savepoints are in db_txn.c.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "db_conn.h"
#include "log.h"

static struct connection first = { .writer_fd = -1 };
_Thread_local struct connection *db_conn = &first;
static char conn_path[4096];

sqlite3 *
db_handle(void)
{
	return db_conn->db;
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
		db_conn->broken = true;
		break;
	default:
		break;
	}
}

void
db_log(const char *what, int rc)
{
	log_error("sqlite: %s: %s (%d)", what, db_conn->db ? sqlite3_errmsg(db_conn->db) : sqlite3_errstr(rc), rc);
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
 * db_checkpoint runs once the reply is sent. It stays PASSIVE, also under a
 * replication engine: it never makes the WAL start over (a writer does, once
 * no reader needs it, and the engine holds a read transaction), and it keeps
 * the engine's own checkpoints short (doc/performance.md#replication). */
static int
on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)arg;
	(void)db;
	(void)name;
	db_conn->wal_pages = pages;
	return SQLITE_OK;
}

void
db_checkpoint(bool force)
{
	int rc;

	if (!db_conn->db || (!force && db_conn->wal_pages < 1000))
		return;
	rc = sqlite3_wal_checkpoint_v2(db_conn->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		db_log("checkpoint", rc);
	db_conn->wal_pages = 0;
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
		rc = sqlite3_exec(db_conn->db, db_migrations[i].sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			db_log(db_migrations[i].name, rc);
			goto fail;
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
		    db_migrations[i].version);
		if ((rc = sqlite3_exec(db_conn->db, pragma, NULL, NULL, NULL)) != SQLITE_OK) {
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
	rc = sqlite3_open_v2(path, &db_conn->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		db_log("open", rc);
		db_close();
		return 0;
	}
	/* Once the database is there: a failed open leaves no side file. */
	db_conn->writer_fd = db_side_file(path, "-writer");
	sqlite3_extended_result_codes(db_conn->db, 1);
	sqlite3_busy_handler(db_conn->db, busy_wait, NULL);
	sqlite3_wal_hook(db_conn->db, on_wal, NULL);
	/* SQLite falls back to read-only when the file cannot be written: then
	 * serve reads, and let db_heal try again for writes every second. */
	readonly = sqlite3_db_readonly(db_conn->db, "main") == 1;
	if (readonly != db_conn->readonly)
		log_error(readonly ? "the database is read-only: serving reads only"
		    : "the database is writable again");
	db_conn->readonly = readonly;
	db_conn->readonly_since = time(NULL);
	if (!readonly && (rc = sqlite3_exec(db_conn->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) != SQLITE_OK) {
		db_log("journal_mode", rc);
		db_close();
		return 0;
	}
	for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
		if ((rc = sqlite3_exec(db_conn->db, pragmas[i], NULL, NULL, NULL)) != SQLITE_OK) {
			db_log(pragmas[i], rc);
			db_close();
			return 0;
		}
	}
	if (!db_conn->readonly && !db_migrate()) {
		db_close();
		return 0;
	}
	db_conn->broken = false;
	db_conn->openings++;
	return 1;
}

void
db_close(void)
{
	for (size_t i = 0; i < db_conn->cached; i++)
		sqlite3_finalize(db_conn->cache[i].st);
	db_conn->cached = 0;
	if (db_conn->db)
		sqlite3_close(db_conn->db);
	db_conn->db = NULL;
	db_writer_unlock();
	if (db_conn->writer_fd >= 0)
		close(db_conn->writer_fd);
	db_conn->writer_fd = -1;
}

int
db_open_thread(void)
{
	struct connection *own;

	assert(db_conn == &first && *conn_path);
	if (!(own = calloc(1, sizeof *own))) {
		log_error("out of memory");
		return 0;
	}
	own->writer_fd = -1;
	db_conn = own;
	return db_open(conn_path, false);
}

void
db_close_thread(void)
{
	if (db_conn == &first)
		return;
	db_close();
	free(db_conn);
	db_conn = &first;
}

void
db_heal(void)
{
	if (db_conn->grouped)
		return; /* never under a group's open transaction */
	if (db_conn->db && db_conn->readonly && time(NULL) != db_conn->readonly_since)
		db_conn->broken = true; /* maybe writable again */
	if (!db_conn->broken && db_conn->db)
		return;
	if (db_conn->db && !db_conn->readonly)
		log_error("storage failed: reopening the database");
	db_close();
	if (!db_open(conn_path, false))
		db_conn->broken = true;
}

sqlite3_stmt *
db_prepare(const char *sql)
{
	sqlite3_stmt *st;
	int rc;

	if (!db_conn->db)
		return NULL;
	for (size_t i = 0; i < db_conn->cached; i++) {
		if (db_conn->cache[i].sql == sql) {
			sqlite3_reset(db_conn->cache[i].st);
			sqlite3_clear_bindings(db_conn->cache[i].st);
			return db_conn->cache[i].st;
		}
	}
	rc = sqlite3_prepare_v3(db_conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		db_log("prepare", rc);
		return NULL;
	}
	if (db_conn->cached < STMT_CACHE) {
		db_conn->cache[db_conn->cached].sql = sql;
		db_conn->cache[db_conn->cached].st = st;
		db_conn->cached++;
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
db_count(const char *sql, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int64_t n;
	int r;

	va_start(ap, fmt);
	r = vrow(&st, sql, fmt, ap);
	va_end(ap);
	if (r != 1)
		return r == 0 ? 0 : -1;
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
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
	return sqlite3_last_insert_rowid(db_conn->db);
}

int
db_changes(void)
{
	return sqlite3_changes(db_conn->db);
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
	ok = restore ? copy(db_conn->db, other) : copy(other, db_conn->db);
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
	db_conn->openings++; /* the contents change under this connection */
	return with_file(path, SQLITE_OPEN_READONLY, true);
}

int
db_identity(char id[DB_IDENTITY_LEN + 1])
{
	sqlite3_stmt *st;
	const unsigned char *text;
	int ok = 0;

	id[0] = '\0';
	if (db_row(&st, "SELECT id FROM identity WHERE one = 1", "") != 1) {
		log_error("the database has no identity");
		return 0;
	}
	/* The schema's CHECK holds its length; its text lives until the reset. */
	text = sqlite3_column_text(st, 0);
	if (text && strlen((const char *)text) == DB_IDENTITY_LEN) {
		memcpy(id, text, DB_IDENTITY_LEN + 1);
		ok = 1;
	}
	sqlite3_reset(st);
	return ok;
}

int
db_identity_renew(char id[DB_IDENTITY_LEN + 1])
{
	id[0] = '\0';
	if (!db_begin(true))
		return 0;
	/* The same making as the migration's: SQLite's generator, seeded by the
	 * system's randomness. */
	if (!db_exec("UPDATE identity SET id = lower(hex(randomblob(16))) WHERE one = 1", "") ||
	    db_changes() != 1 || !db_identity(id) || !db_commit()) {
		db_rollback();
		id[0] = '\0';
		return 0;
	}
	return 1;
}

int
db_mark(struct db_mark *m)
{
	m->opening = db_conn->openings;
	m->card = 0;
	m->changes = db_conn->db ? sqlite3_total_changes64(db_conn->db) : -1;
	m->version = db_int("PRAGMA data_version", -1);
	return m->version >= 0;
}

int
db_card_mark(struct db_mark *m, int64_t card)
{
	sqlite3_stmt *st;

	assert(card > 0);
	/* Inside a transaction that only reads: the version and the rows come
	 * from one snapshot, and none of it may yet be undone. */
	assert(db_conn->db && !sqlite3_get_autocommit(db_conn->db) && sqlite3_txn_state(db_conn->db, NULL) != SQLITE_TXN_WRITE);
	if (db_row(&st, "SELECT version FROM clients WHERE id = ?1", "i", card) != 1)
		return 0;
	m->opening = db_conn->openings;
	m->card = card;
	m->version = sqlite3_column_int64(st, 0);
	m->changes = 0;
	sqlite3_reset(st);
	return 1;
}
