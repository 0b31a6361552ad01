/*
 * Configuration, read once from the environment at start-up (spawn-fcgi passes
 * its environment to the workers; under plain CGI, 10p5.conf beside the
 * programs adds what the web server's environment lacks: suEXEC passes none of
 * a site's variables). Every knob but the database has a safe default; a
 * malformed value is refused at start-up.
 */
#ifndef TENP5_CONFIG_H
#define TENP5_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct config {
	const char *db_path;       /* TENP5_DB; NULL when not set (no default: see
	                            * server.c) */
	int64_t session_ttl_ms;    /* TENP5_SESSION_TTL, seconds (300) */
	int64_t session_touch_ms;  /* how stale a session's last use may be recorded */
	int64_t cancel_window_ms;  /* TENP5_CANCEL_WINDOW, seconds (120) */
	int64_t ceiling;           /* TENP5_CEILING, euros (1000): cents here */
	int card_right;            /* TENP5_CARD_RIGHT (2): cap of card-opened sessions */
	uint32_t scrypt_n;         /* TENP5_SCRYPT_N (8192), a power of two */
	size_t body_max;           /* TENP5_BODY_MAX, bytes (65536) */
	int pwd_min;               /* TENP5_MDP_MIN, code points (8) */
	int login_max_fails;       /* TENP5_LOGIN_FAILS (5): wrong passwords per login and
	                            * address (or browser) answered without a wait */
	int64_t login_delay_ms;    /* TENP5_LOGIN_DELAY, seconds (2): the wait after them,
	                            * doubled by each further wrong password */
	int64_t login_delay_max_ms; /* TENP5_LOGIN_DELAY_MAX, seconds (900): the longest wait */
	int64_t login_quiet_ms;    /* TENP5_LOGIN_QUIET, seconds (3600): wrong passwords are
	                            * forgotten after this long without one */
	int login_day_fails;       /* TENP5_LOGIN_DAY_FAILS (50) per login per day, from
	                            * addresses and browsers the user never logged in from */
	int addr_max_fails;        /* TENP5_ADDR_FAILS (20) unknown cards per address per window */
	int probe_max_fails;       /* TENP5_PROBE_FAILS (30) unknown cards looked up by one
	                            * credential per window (carte/info) */
	int64_t fail_window_ms;    /* TENP5_FAIL_WINDOW, seconds (300) */
	int64_t busy_timeout_ms;   /* TENP5_BUSY_TIMEOUT, milliseconds (5000); 0: no wait */
	int group_max;             /* TENP5_GROUP: writes sharing one commit (1: none);
	                            * only for a pool of one worker, see writer.c */
	int64_t read_timeout_ms;   /* TENP5_READ_TIMEOUT, milliseconds (2000): how long a
	                            * worker waits for a whole request */
	int64_t feed_history;      /* TENP5_FEED_HISTORY (10000): the journal entries the
	                            * live feed can replay */
	int64_t feed_cgi_ms;       /* TENP5_FEED_CGI_SECONDS (25): how long a stream lasts
	                            * under plain CGI */
	int feed_max;              /* TENP5_FEED_MAX (2000): streams the feed holds */
	int feed_per_credential;   /* TENP5_FEED_PER_CREDENTIAL (32): streams of one credential */
	size_t answer_cache;       /* TENP5_ANSWER_CACHE, MB (16): long answers a FastCGI
	                            * worker keeps until the next commit (0: none) */
	const char *issuer;        /* TENP5_ISSUER: the OAuth issuer URL; NULL: from the request */
	int64_t access_ttl_ms;     /* TENP5_ACCESS_TTL, seconds (3600) */
	int64_t refresh_ttl_ms;    /* TENP5_REFRESH_TTL, seconds (30 days) */
	int64_t code_ttl_ms;       /* TENP5_CODE_TTL, seconds (60) */
};

extern struct config cfg;

/* Loads cfg from the environment. Returns 1, or 0 after printing to stderr
 * which variable is malformed. */
int config_load(void);

/* Adds the settings of the file at path to the environment, where it lacks
 * them: lines TENP5_NAME=value (the value taken as it is, to the end of the
 * line), blank lines and # comments. Returns 1 (also when there is no such
 * file), or 0 after printing to stderr the line that is not a setting. */
int config_file(const char *path);

#endif
