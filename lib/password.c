/*
 * libscrypt wrapped once: libscrypt_hash answers >0/0, libscrypt_check >0/0/<0
 * and rewrites the hash it is given, so it only ever sees a copy.
 *
 * scrypt is the one slow thing a worker does (~40 ms), so it runs at idle CPU
 * priority (SCHED_IDLE): a storm of logins takes only the CPU time payments
 * leave free. The worker is back at normal priority before it touches the
 * database again, since holding the write lock at idle priority would make
 * the till wait behind it. Where the way back is not allowed (an unprivileged
 * user whose RLIMIT_NICE is too low), it does not lower itself at all.
 */
#include <crypt.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <libscrypt.h>

#include "config.h"
#include "log.h"
#include "password.h"
#include "crypto.h"

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

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	bool idle = idle_begin();
	int r = libscrypt_hash(out, pw, cfg.scrypt_n, 8, 1);

	idle_end(idle);
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
	bool idle;
	int r = -1;

	if (!cd) {
		log_error("bcrypt: out of memory");
		return -1;
	}
	idle = idle_begin();
	out = crypt_rn(pw, stored, cd, (int)sizeof *cd);
	idle_end(idle);
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
	bool idle;
	int r;

	if (password_kind(stored) == PW_BCRYPT)
		return bcrypt_check(stored, pw);
	if (n >= sizeof copy)
		return -1;
	memcpy(copy, stored, n + 1);
	idle = idle_begin();
	r = libscrypt_check(copy, pw);
	idle_end(idle);
	wipe(copy, sizeof copy);
	if (r < 0)
		return -1;
	return r > 0;
}

int
password_digest(const char *pw, const unsigned char *salt, size_t saltlen, unsigned char out[32])
{
	bool idle = idle_begin();
	int r = libscrypt_scrypt((const uint8_t *)pw, strlen(pw), salt, saltlen, cfg.scrypt_n, 8, 1,
	    out, 32);

	idle_end(idle);
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
