/*
 * libscrypt wrapped once: libscrypt_hash answers >0/0, libscrypt_check >0/0/<0
 * and rewrites the hash it is given, so it only ever sees a copy.
 *
 * scrypt is the one slow thing a worker does, so it runs at idle CPU
 * priority (SCHED_IDLE): a storm of logins takes only the CPU time payments
 * leave free. The worker is back at normal priority before it touches the
 * database again, since holding the write lock at idle priority would make
 * the till wait behind it. Where the way back is not allowed (an unprivileged
 * user whose RLIMIT_NICE is too low), it does not lower itself at all.
 *
 * Idle priority is not enough where the two "cores" are two threads of one
 * (a virtual machine's vCPUs often are): a hash on one slows a payment on the
 * other by sharing its caches and units. So hashes also take turns on the
 * machine, one at a time, each starting no sooner than HASH_REST times the
 * last one's length after it ended: a storm of logins gets at most a third of
 * one core, whatever the number of workers. The turns are a queue kept in
 * the file <db>-hash: under its flock, a hash books the next free start and
 * moves the queue's end past its own turn, then waits for its start without
 * holding anything (and, at its start, for a hash that outlasted its turn).
 * The queue's length is what password_crowded tells the login check, which
 * turns away a guess from where its user never logged in rather than make it
 * queue: otherwise a flood of guesses would fill the queue and the workers
 * waiting in it, and staff would wait behind them. What this keeps of the
 * till's rate, and of staff logins during a flood, is measured in
 * doc/performance.md#logins.
 */
#include <crypt.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libscrypt.h>

#include "config.h"
#include "log.h"
#include "password.h"
#include "crypto.h"
#include "db.h"
#include "stop.h"

static bool
idle_begin(void)
{
	static int allowed = -1;
	struct sched_param sp = { 0 };

	if (allowed < 0) {
		struct rlimit rl;
		int prio;

		errno = 0;
		prio = getpriority(PRIO_PROCESS, 0);
		allowed = sched_getscheduler(0) == SCHED_OTHER && errno == 0 &&
		    (geteuid() == 0 || (getrlimit(RLIMIT_NICE, &rl) == 0 &&
		    (rl.rlim_cur == RLIM_INFINITY || (long)rl.rlim_cur >= 20 - prio)));
	}
	return allowed && sched_setscheduler(0, SCHED_IDLE, &sp) == 0;
}

static void
idle_end(bool was_idle)
{
	struct sched_param sp = { 0 };

	if (was_idle && sched_setscheduler(0, SCHED_OTHER, &sp) != 0)
		log_error("cannot return to normal CPU priority after scrypt");
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The turn file, opened once it can be: until then (no database path, a
 * directory we cannot write, a directory in its place) hashes go without
 * turns, and each hash tries again, so the turns come back as soon as the file
 * can be made. */
static int
turn_file(void)
{
	static int fd = -1;
	static bool told;

	if (fd >= 0 || !cfg.db_path)
		return fd;
	if ((fd = db_side_file(cfg.db_path, "-hash")) < 0) {
		if (!told)
			log_error("cannot open the hashes' turn file (%s): hashes go without turns"
			    " until it can be", strerror(errno));
		told = true;
	}
	return fd;
}

#define HASH_REST 2 /* the machine's rest after a hash, in hashes' lengths */
#define TURN_HORIZON (60 * (int64_t)1000000000) /* no queue is longer (ns) */

/* What the turn file holds (monotonic nanoseconds): when the queue ends, that
 * is when a hash booked now may start, and the last hash's length. */
struct turns {
	int64_t free_at, len;
};

/* Reads the turns with the file's flock held. A queue ending more than
 * TURN_HORIZON ahead cannot be (a worker waits in it for each booked turn):
 * the file outlived a reboot, which restarts the clock, and counts as empty.
 * A file of another size (none yet, or an older format) holds no turns. */
static struct turns
turns_read(int fd, int64_t now)
{
	struct turns t;

	if (pread(fd, &t, sizeof t, 0) != (ssize_t)sizeof t)
		return (struct turns){ now, 0 };
	if (t.free_at < 0 || t.free_at - now > TURN_HORIZON)
		t.free_at = now;
	if (t.len < 0 || t.len > TURN_HORIZON)
		t.len = 0;
	return t;
}

static void
turns_write(int fd, struct turns t)
{
	if (pwrite(fd, &t, sizeof t, 0) != (ssize_t)sizeof t)
		log_error("cannot write the hashes' turn file");
}

/* The hash running now holds a lock on the file's byte after the turns (an
 * open file description's lock, apart from the flock that guards the turns):
 * a hash that outlasts its booked turn delays the next instead of running
 * beside it. */
static void
run_lock(int fd, short type)
{
	struct flock l = { .l_type = type, .l_whence = SEEK_SET,
		.l_start = sizeof(struct turns), .l_len = 1 };

	while (fcntl(fd, F_OFD_SETLKW, &l) != 0 && errno == EINTR)
		;
}

struct slow {
	bool idle, turn;
	int64_t start, booked; /* booked: the length the queue was moved by */
};

/* Books the next turn and waits for it, then lowers the priority. */
static struct slow
slow_begin(void)
{
	struct slow w = { 0 };
	int fd = turn_file();
	int64_t now = mono_ns(), start = now;

	if (fd >= 0 && flock(fd, LOCK_EX) == 0) {
		struct turns t = turns_read(fd, now);

		if (t.free_at > start)
			start = t.free_at;
		w.booked = (1 + HASH_REST) * t.len;
		t.free_at = start + w.booked;
		turns_write(fd, t);
		flock(fd, LOCK_UN);
		w.turn = true;
		if (start > now) {
			struct timespec rest = { (time_t)((start - now) / 1000000000),
			    (long)((start - now) % 1000000000) };

			/* A worker told to stop answers the login it holds at once
			 * rather than wait out the queue. */
			while (nanosleep(&rest, &rest) != 0 && errno == EINTR && !server_stopping)
				;
		}
		run_lock(fd, F_WRLCK);
	}
	w.start = mono_ns();
	w.idle = idle_begin();
	return w;
}

/* Back to normal priority; the queue's end moves by what the hash and its
 * rest really took against what was booked for them, but never sooner than
 * its rest after it: an empty queue must not look long after one long hash,
 * and turns booked meanwhile keep theirs (the run lock keeps them apart). */
static void
slow_end(struct slow w)
{
	int fd = turn_file();
	int64_t now, len;
	struct turns t;

	idle_end(w.idle);
	if (!w.turn)
		return;
	run_lock(fd, F_UNLCK);
	if (flock(fd, LOCK_EX) != 0)
		return;
	now = mono_ns();
	len = now - w.start;
	t = turns_read(fd, now);
	t.free_at += (1 + HASH_REST) * len - w.booked;
	if (t.free_at < now + HASH_REST * len)
		t.free_at = now + HASH_REST * len;
	t.len = len;
	turns_write(fd, t);
	flock(fd, LOCK_UN);
}

bool
password_crowded(int64_t *wait_ms)
{
	int fd = turn_file();
	int64_t now = mono_ns(), ahead;
	struct turns t;

	if (fd < 0 || flock(fd, LOCK_SH) != 0)
		return false;
	t = turns_read(fd, now);
	flock(fd, LOCK_UN);
	ahead = t.free_at - now - (1 + HASH_REST) * t.len;
	if (ahead <= 0)
		return false;
	*wait_ms = (ahead + 999999) / 1000000;
	return true;
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	struct slow w = slow_begin();
	int r = libscrypt_hash(out, pw, cfg.scrypt_n, 8, 1);

	slow_end(w);
	if (r <= 0) {
		log_error("scrypt: cannot hash");
		return 0;
	}
	return 1;
}

enum password_kind
password_kind(const char *s)
{
	static const char b64[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	int cost;

	if (strncmp(s, "$s1$", 4) == 0)
		return PW_SCRYPT;
	if (strlen(s) != 60 || s[0] != '$' || s[1] != '2' || !strchr("yba", s[2]) ||
	    s[3] != '$' || s[6] != '$' || s[4] < '0' || s[4] > '9' || s[5] < '0' || s[5] > '9')
		return PW_UNKNOWN;
	/* Costs above 14 would hold a worker for seconds at each attempt. */
	cost = (s[4] - '0') * 10 + (s[5] - '0');
	if (cost < 4 || cost > 14 || strspn(s + 7, b64) != 53)
		return PW_UNKNOWN;
	return PW_BCRYPT;
}

/* bcrypt through libxcrypt's crypt_rn, which answers NULL on failure (never
 * a "*0" string as crypt_r may); its 32 KB of state go on the heap and are
 * wiped. */
static int
bcrypt_check(const char *stored, const char *pw)
{
	struct crypt_data *cd = calloc(1, sizeof *cd);
	size_t n = strlen(stored);
	const char *out;
	struct slow w;
	int r = -1;

	if (!cd) {
		log_error("bcrypt: out of memory");
		return -1;
	}
	w = slow_begin();
	out = crypt_rn(pw, stored, cd, (int)sizeof *cd);
	slow_end(w);
	if (!out || strlen(out) != n)
		log_error("bcrypt: cannot check a stored hash");
	else
		r = ct_equal(out, stored, n);
	wipe(cd, sizeof *cd);
	free(cd);
	return r;
}

int
password_check(const char *stored, const char *pw)
{
	char copy[PASSWORD_HASH_MAX];
	size_t n = strlen(stored);
	struct slow w;
	int r;

	if (password_kind(stored) == PW_BCRYPT)
		return bcrypt_check(stored, pw);
	if (n >= sizeof copy)
		return -1;
	memcpy(copy, stored, n + 1);
	w = slow_begin();
	r = libscrypt_check(copy, pw);
	slow_end(w);
	wipe(copy, sizeof copy);
	if (r < 0)
		return -1;
	return r > 0;
}

int
password_digest(const char *pw, const unsigned char *salt, size_t saltlen, unsigned char out[32])
{
	struct slow w = slow_begin();
	int r = libscrypt_scrypt((const uint8_t *)pw, strlen(pw), salt, saltlen, cfg.scrypt_n, 8, 1,
	    out, 32);

	slow_end(w);
	if (r != 0) {
		log_error("scrypt: cannot derive");
		return 0;
	}
	return 1;
}

void
password_waste(const char *pw)
{
	static char dummy[PASSWORD_HASH_MAX];

	if (!dummy[0] && !password_hash("10p5 timing equaliser", dummy))
		return;
	(void)password_check(dummy, pw);
}
