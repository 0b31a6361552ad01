/* Unit tests for lib/password.c: scrypt through libscrypt, wrapped once. */
#include <sched.h>
#include <time.h>

#include "../tap.h"
#include "config.h"
#include "log.h"
#include "password.h"

int
main(void)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX], keep[PASSWORD_HASH_MAX];
	struct timespec a, b;

	log_init("unit-password");
	config_load();
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
	clock_gettime(CLOCK_MONOTONIC, &a);
	password_waste("whatever");
	clock_gettime(CLOCK_MONOTONIC, &b);
	ok(1, "a wasted check takes %.1f ms (scrypt N=%u)",
	    (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6, cfg.scrypt_n);
	return done_testing();
}
