/* Unit tests for lib/password.c: scrypt through libscrypt, wrapped once, and
 * the bcrypt hashes imported from the PHP version. */
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "config.h"
#include "log.h"
#include "password.h"

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Forks a child that takes the turn file's flock (the turns') or, with run,
 * the lock of the hash running now (the byte after the turns), holds it for
 * ms milliseconds and exits; returns once it holds it. */
static pid_t
held_by_child(const char *turn, bool run, int ms)
{
	int held[2];
	pid_t child;
	char c;

	if (pipe(held) != 0)
		return -1;
	if ((child = fork()) == 0) {
		struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2 * sizeof(int64_t),
			.l_len = 1 };
		int cfd = open(turn, O_RDWR);
		int64_t t0;

		if (run)
			fcntl(cfd, F_OFD_SETLKW, &l);
		else
			flock(cfd, LOCK_EX);
		t0 = mono_ns();
		if (write(held[1], "x", 1) != 1)
			_exit(1);
		while (mono_ns() - t0 < ms * (int64_t)1000000)
			usleep(10000);
		_exit(0);
	}
	close(held[1]);
	if (child < 0 || read(held[0], &c, 1) != 1)
		child = -1;
	close(held[0]);
	return child;
}

/* How long a hash takes while a child holds a lock as held_by_child does
 * (ns; -1 if no child could hold it). */
static int64_t
hash_while_held(const char *turn, bool run, int ms)
{
	char h[PASSWORD_HASH_MAX];
	pid_t child = held_by_child(turn, run, ms);
	int64_t t0 = mono_ns();

	if (child < 0)
		return -1;
	password_hash("tour", h);
	t0 = mono_ns() - t0;
	waitpid(child, NULL, 0);
	return t0;
}

/* Hashes take turns on the machine: one at a time, each starting no sooner
 * than twice the last one's length after it ended. <db>-hash holds the queue:
 * when its end is (monotonic ns), then the last hash's length. */
static void
turns(const char *turn)
{
	char h[PASSWORD_HASH_MAX];
	int64_t t0, t1, next, q[2], wait_ms;
	int fd, c2;
	pid_t child;

	t0 = mono_ns();
	ok(password_hash("tour", h), "a hash with a turn file");
	t1 = mono_ns();
	fd = open(turn, O_RDWR);
	ok(fd >= 0, "made the turn file next to the database");
	ok(pread(fd, &next, sizeof next, 0) == (ssize_t)sizeof next, "which holds the next start");
	ok(next >= t1 && next <= t1 + 2 * (t1 - t0), "the hash's end plus twice its length (%.1f ms after)",
	    (next - t1) / 1e6);

	next = mono_ns() + 200000000;
	ok(pwrite(fd, &next, sizeof next, 0) == (ssize_t)sizeof next, "a next start 200 ms ahead");
	t0 = mono_ns();
	password_hash("tour", h);
	ok(mono_ns() - t0 >= 200000000, "makes the next hash wait for it");

	next = mono_ns() + 600 * (int64_t)1000000000;
	ok(pwrite(fd, &next, sizeof next, 0) == (ssize_t)sizeof next, "a queue ending ten minutes ahead");
	ok(!password_crowded(&wait_ms), "is not believed by the login check");
	t0 = mono_ns();
	password_hash("tour", h);
	ok(mono_ns() - t0 < 30 * (int64_t)1000000000, "nor by a hash (the file outlived a reboot)");

	q[0] = mono_ns() + 500000000;
	q[1] = 40000000;
	ok(pwrite(fd, q, sizeof q, 0) == (ssize_t)sizeof q, "a queue 500 ms long after hashes of 40 ms");
	ok(password_crowded(&wait_ms), "is crowded");
	ok(wait_ms > 300 && wait_ms <= 380, "until it is one turn long (%lld ms)", (long long)wait_ms);
	q[0] = mono_ns() + 50000000;
	ok(pwrite(fd, q, sizeof q, 0) == (ssize_t)sizeof q, "one 50 ms long");
	ok(!password_crowded(&wait_ms), "is not: a login waits one turn at most");

	next = mono_ns() + 2 * (int64_t)1000000000;
	q[0] = next;
	q[1] = 30000000;
	ok(pwrite(fd, q, sizeof q, 0) == (ssize_t)sizeof q, "a queue ending 2 s ahead after hashes of 30 ms");
	if ((child = fork()) == 0)
		_exit(password_hash("tour", h) ? 0 : 1);
	while (pread(fd, q, sizeof q, 0) == (ssize_t)sizeof q && q[0] == next && mono_ns() < next)
		usleep(1000);
	t1 = mono_ns();
	ok(q[0] == next + 90000000 && t1 < next,
	    "a hash books its turn and rest at the queue's end before it waits (%.0f ms after)", (q[0] - next) / 1e6);
	c2 = password_crowded(&wait_ms);
	ok(c2 && wait_ms * 1000000 > next - t1 - 100000000, "which the login check sees as a queue (%lld ms)",
	    (long long)wait_ms);
	waitpid(child, &c2, 0);
	t1 = mono_ns();
	ok(WIFEXITED(c2) && WEXITSTATUS(c2) == 0 && t1 >= next, "the hash ran once its turn came");
	c2 = pread(fd, q, sizeof q, 0) == (ssize_t)sizeof q;
	ok(c2 && q[1] > 0 && q[0] >= next + 3 * q[1] && q[0] <= t1 + 2 * q[1],
	    "the queue then ends at its end plus its rest, its length measured (%.1f ms)", q[1] / 1e6);

	/* 10 s: longer than any hash here, even at idle priority on a busy
	 * machine (one took 890 ms under a load of 20 on two cores). */
	q[0] = mono_ns();
	q[1] = 10 * (int64_t)1000000000;
	ok(pwrite(fd, q, sizeof q, 0) == (ssize_t)sizeof q, "an empty queue after a hash of 10 s");
	t0 = mono_ns();
	password_hash("tour", h);
	c2 = pread(fd, q, sizeof q, 0) == (ssize_t)sizeof q;
	ok(c2 && q[0] < t0 + 30 * (int64_t)1000000000 && q[0] >= t0 + 3 * q[1],
	    "a shorter hash gives back what it booked beyond its length and rest (%.0f ms)", (q[0] - t0) / 1e6);
	ok(!password_crowded(&wait_ms), "so the queue is empty again, not one long hash's turn long");

	ok(hash_while_held(turn, false, 200) >= 100000000, "a hash waits while another process holds the turn");

	q[0] = mono_ns();
	q[1] = 0;
	ok(pwrite(fd, q, sizeof q, 0) == (ssize_t)sizeof q, "with no turn booked,");
	ok(hash_while_held(turn, true, 500) >= 400000000, "a hash still waits for one that outlasts its turn");
	close(fd);
}

int
main(void)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX], keep[PASSWORD_HASH_MAX];
	struct timespec a, b;

	char dir[] = "/tmp/10p5-unit-password.XXXXXX", db[64], turn[80];

	log_init("unit-password");
	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof db, "%s/10p5.db", dir);
	snprintf(turn, sizeof turn, "%s-hash", db);
	setenv("TENP5_DB", db, 1);
	config_load();
	{
		/* The turn file cannot be made (a directory in its place): hashes
		 * go without turns, and the turns come back once it can be. */
		struct stat st;

		char target[sizeof dir + 16];
		int tfd;

		ok(mkdir(turn, 0700) == 0, "a directory where the turn file goes");
		ok(password_hash("sans tour", h1), "a hash goes without turns");
		rmdir(turn);
		/* Nor through a link someone put there (the admin command runs as
		 * root, and gives the file to the database's owner). */
		snprintf(target, sizeof target, "%s/cible", dir);
		tfd = open(target, O_RDWR | O_CREAT, 0600);
		ok(tfd >= 0 && symlink(target, turn) == 0, "a symbolic link where the turn file goes");
		ok(password_hash("sans tour", h1), "a hash goes without turns");
		ok(fstat(tfd, &st) == 0 && st.st_size == 0, "and leaves the link's target as it was");
		close(tfd);
		unlink(turn);
		unlink(target);
		ok(password_hash("sans tour", h1), "the next, once they are gone,");
		ok(stat(turn, &st) == 0 && S_ISREG(st.st_mode), "makes the turn file");
	}
	ok(password_hash("correct horse", h1), "a password hashes");
	ok(strncmp(h1, "$s1$", 4) == 0, "to an scrypt MCF string");
	ok(password_hash("correct horse", h2) && strcmp(h1, h2) != 0, "with a fresh salt each time");
	strcpy(keep, h1);
	is_int(password_check(h1, "correct horse"), 1, "the right password matches");
	is_str(h1, keep, "and the stored hash is left untouched");
	is_int(password_check(h1, "correct horsE"), 0, "a wrong one does not");
	is_int(password_check(h1, ""), 0, "nor an empty one");
	is_int(password_check("not a hash", "x"), -1, "an unreadable hash is an error");
	is_int(sched_getscheduler(0), SCHED_OTHER,
	    "after scrypt (run at idle priority) the process is back at normal priority");

	/* bcrypt hashes kept from the PHP version (these from htpasswd -B). */
	{
		const char *b10 = "$2y$10$5OcfbXsJdZPSLhCdQewyF.AUWnBGh1k/LdvIojJ.j/NNkxN6ixL7e";
		const char *b04 = "$2y$04$UbyaYKOV/8kzbMcc/hk2OuxSuXW4hI8W6GvGh/6UANTu2YpJv9F7u";
		char other[61];

		is_int(password_kind(h1), PW_SCRYPT, "our hashes are scrypt");
		is_int(password_kind(b10), PW_BCRYPT, "PHP's $2y$ hashes are bcrypt");
		is_int(password_check(b10, "correct horse"), 1, "a bcrypt hash matches its password");
		is_int(password_check(b10, "correct horsE"), 0, "and not another");
		is_int(password_check(b04, "vieux mot de passe"), 1, "at any cost from 04");
		strcpy(other, b04);
		other[2] = 'b';
		is_int(password_kind(other), PW_BCRYPT, "$2b$ is bcrypt too");
		is_int(password_check(other, "vieux mot de passe"), 1, "and checks the same");
		other[58] = other[58] == 'F' ? 'G' : 'F';
		is_int(password_check(other, "vieux mot de passe"), 0,
		    "a hash differing in its last characters does not match");
		strcpy(other, b04);
		memcpy(other + 4, "15", 2);
		is_int(password_kind(other), PW_UNKNOWN, "a cost above 14 is not accepted");
		is_int(password_check(other, "x"), -1, "and is unreadable");
		is_int(password_kind("$2y$10$short"), PW_UNKNOWN, "a truncated bcrypt hash is unknown");
		is_int(password_kind("$2x$04$UbyaYKOV/8kzbMcc/hk2OuxSuXW4hI8W6GvGh/6UANTu2YpJv9F7u"),
		    PW_UNKNOWN, "so is the flawed $2x$ variant");
		is_int(password_check("$1$abc$0123456789abcdef012345", "x"), -1, "and an MD5 crypt hash");
	}

	clock_gettime(CLOCK_MONOTONIC, &a);
	password_waste("whatever");
	clock_gettime(CLOCK_MONOTONIC, &b);
	ok(1, "a wasted check takes %.1f ms (scrypt N=%u)",
	    (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6, cfg.scrypt_n);
	turns(turn);
	unlink(turn);
	rmdir(dir);
	return done_testing();
}
