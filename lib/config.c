/*
 * Environment configuration. Values are checked here, once, so the rest of the
 * code can trust cfg.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "field.h"

struct config cfg;

static int
num(const char *name, int64_t def, int64_t min, int64_t max, int64_t *out)
{
	const char *s = getenv(name);
	char *end;
	long long v;

	*out = def;
	if (!s || !*s)
		return 1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "%s: must be an integer between %lld and %lld\n",
		    name, (long long)min, (long long)max);
		return 0;
	}
	*out = v;
	return 1;
}

int
config_load(void)
{
	int64_t v;
	const char *s;

	cfg.db_path = getenv("TENP5_DB");
	if (cfg.db_path && !*cfg.db_path)
		cfg.db_path = NULL;
	if (!num("TENP5_SESSION_TTL", 300, 1, 86400 * 30, &v))
		return 0;
	cfg.session_ttl_ms = v * 1000;
	/* Recording every use would make each read a write; a use is recorded
	 * when the stored one is older than a twentieth of the lifetime, and the
	 * check allows for that lag, so a session lives at least its TTL. */
	cfg.session_touch_ms = cfg.session_ttl_ms / 20;
	if (!num("TENP5_CANCEL_WINDOW", 120, 0, 86400 * 365, &v))
		return 0;
	cfg.cancel_window_ms = v * 1000;
	cfg.ceiling = 100000;
	if ((s = getenv("TENP5_CEILING")) && *s) {
		/* At most a million euros: then no sum of amounts or balances can
		 * overflow before 2^36 ledger rows. */
		if (!field_parse(FT_MONEY, s, &cfg.ceiling) || cfg.ceiling <= 0 ||
		    cfg.ceiling > 100000000) {
			fprintf(stderr, "TENP5_CEILING: must be an amount from 0.01 to 1000000\n");
			return 0;
		}
	}
	if (!num("TENP5_CARD_RIGHT", 2, 0, 3, &v))
		return 0;
	cfg.card_right = (int)v;
	if (!num("TENP5_SCRYPT_N", 8192, 2, 1 << 22, &v))
		return 0;
	if (v & (v - 1)) {
		fprintf(stderr, "TENP5_SCRYPT_N: must be a power of two\n");
		return 0;
	}
	cfg.scrypt_n = (uint32_t)v;
	if (!num("TENP5_BODY_MAX", 65536, 1024, 16 << 20, &v))
		return 0;
	cfg.body_max = (size_t)v;
	if (!num("TENP5_MDP_MIN", 8, 1, 128, &v))
		return 0;
	cfg.pwd_min = (int)v;
	if (!num("TENP5_LOGIN_FAILS", 5, 1, 1000000, &v))
		return 0;
	cfg.login_max_fails = (int)v;
	if (!num("TENP5_LOGIN_DELAY", 2, 1, 3600, &v))
		return 0;
	cfg.login_delay_ms = v * 1000;
	if (!num("TENP5_LOGIN_DELAY_MAX", 900, 1, 86400, &v))
		return 0;
	cfg.login_delay_max_ms = v * 1000;
	if (!num("TENP5_LOGIN_QUIET", 3600, 2, 7 * 86400, &v))
		return 0;
	cfg.login_quiet_ms = v * 1000;
	/* A wait as long as the quiet spell would forget the failures it
	 * follows, and the next guess would be free again. */
	if (cfg.login_quiet_ms <= cfg.login_delay_max_ms) {
		fprintf(stderr, "TENP5_LOGIN_QUIET: must be longer than TENP5_LOGIN_DELAY_MAX\n");
		return 0;
	}
	if (!num("TENP5_LOGIN_DAY_FAILS", 50, 1, 1000000, &v))
		return 0;
	cfg.login_day_fails = (int)v;
	if (!num("TENP5_ADDR_FAILS", 20, 1, 1000000, &v))
		return 0;
	cfg.addr_max_fails = (int)v;
	if (!num("TENP5_PROBE_FAILS", 30, 1, 1000000, &v))
		return 0;
	cfg.probe_max_fails = (int)v;
	if (!num("TENP5_FAIL_WINDOW", 300, 1, 86400, &v))
		return 0;
	cfg.fail_window_ms = v * 1000;
	if (!num("TENP5_BUSY_TIMEOUT", 5000, 0, 600000, &v))
		return 0;
	cfg.busy_timeout_ms = v;
	cfg.issuer = getenv("TENP5_ISSUER");
	if (cfg.issuer && !*cfg.issuer)
		cfg.issuer = NULL;
	if (!num("TENP5_ACCESS_TTL", 3600, 1, 86400, &v))
		return 0;
	cfg.access_ttl_ms = v * 1000;
	if (!num("TENP5_REFRESH_TTL", 30 * 86400, 1, 365 * 86400, &v))
		return 0;
	cfg.refresh_ttl_ms = v * 1000;
	if (!num("TENP5_CODE_TTL", 60, 1, 600, &v))
		return 0;
	cfg.code_ttl_ms = v * 1000;
	if (!num("TENP5_GROUP", 1, 1, 64, &v))
		return 0;
	cfg.group_max = (int)v;
	if (!num("TENP5_READ_TIMEOUT", 2000, 10, 60000, &v))
		return 0;
	cfg.read_timeout_ms = v;
	if (!num("TENP5_FEED_HISTORY", 10000, 10, 1000000, &v))
		return 0;
	cfg.feed_history = v;
	if (!num("TENP5_FEED_CGI_SECONDS", 25, 1, 3600, &v))
		return 0;
	cfg.feed_cgi_ms = v * 1000;
	if (!num("TENP5_FEED_MAX", 2000, 2, 100000, &v))
		return 0;
	cfg.feed_max = (int)v;
	if (!num("TENP5_FEED_PER_CREDENTIAL", 32, 1, 100000, &v))
		return 0;
	cfg.feed_per_credential = (int)v;
	if (!num("TENP5_ANSWER_CACHE", 16, 0, 1024, &v))
		return 0;
	cfg.answer_cache = (size_t)v << 20;
	return 1;
}

int
config_file(const char *path)
{
	char line[4096];
	FILE *f = fopen(path, "re");
	int n = 0, ok = 1;

	if (!f)
		return errno == ENOENT;
	while (ok && fgets(line, sizeof line, f)) {
		char *eq, *end = line + strcspn(line, "\r\n");
		const char *c = line;

		n++;
		if (!*end && !feof(f)) {
			fprintf(stderr, "%s:%d: line too long\n", path, n);
			ok = 0;
			break;
		}
		*end = '\0';
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (eq && strncmp(line, "TENP5_", 6) == 0)
			for (c = line + 6; c < eq && (isupper((unsigned char)*c) ||
			    isdigit((unsigned char)*c) || *c == '_'); c++)
				;
		if (!eq || c != eq || eq == line + 6) {
			fprintf(stderr, "%s:%d: expected TENP5_NAME=value\n", path, n);
			ok = 0;
			break;
		}
		*eq = '\0';
		setenv(line, eq + 1, 0); /* the environment's own setting wins */
	}
	if (ok && ferror(f)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		ok = 0;
	}
	fclose(f);
	return ok;
}
