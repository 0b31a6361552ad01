/* Unit tests for lib/config.c: defaults, each setting read, values out of
 * range refused at start-up. */
#include "../tap.h"
#include "config.h"

static char dir[] = "/tmp/10p5-unit-config.XXXXXX";

/* Writes text to a file of the test's directory; returns its path. */
static const char *
file(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "w")))
		return path;
	fputs(text, f);
	fclose(f);
	return path;
}

/* config_load with one variable set to value; its result. */
static int
with(const char *name, const char *value)
{
	int r;

	setenv(name, value, 1);
	r = config_load();
	unsetenv(name);
	return r;
}

int
main(void)
{
	if (!freopen("/dev/null", "w", stderr)) /* the refusals below print there */
		return 2;
	unsetenv("TENP5_DB");
	ok(config_load(), "no setting at all is a valid configuration");
	ok(cfg.db_path == NULL, "the database has no default (a server without one refuses to serve)");
	is_int(cfg.session_ttl_ms, 300000, "sessions live 5 minutes");
	is_int(cfg.cancel_window_ms, 120000, "the cancel window is 120 s");
	is_int(cfg.ceiling, 100000, "the ceiling is 1000.00");
	is_int(cfg.card_right, 2, "a card session carries at most right 2");
	is_int(cfg.login_max_fails, 5, "5 failures per login and address without a wait");
	ok(cfg.login_delay_ms == 2000 && cfg.login_delay_max_ms == 900000 &&
	    cfg.login_quiet_ms == 3600000, "then 2 s, doubling up to 15 min, forgotten after an hour");
	is_int(cfg.login_day_fails, 50, "50 per login a day");
	is_int(cfg.group_max, 1, "no group commit unless asked");
	is_int(cfg.read_timeout_ms, 2000, "2 s to read a whole request");
	ok(with("TENP5_SESSION_TTL", "60") && cfg.session_ttl_ms == 60000, "TENP5_SESSION_TTL is seconds");
	ok(!with("TENP5_SESSION_TTL", "0"), "a session TTL of 0 is refused");
	ok(!with("TENP5_SESSION_TTL", "5m"), "so is a unit");
	ok(!with("TENP5_SESSION_TTL", "99999999999999999999"), "and a number too large for anything");
	ok(with("TENP5_CEILING", "250,50") && cfg.ceiling == 25050, "TENP5_CEILING is an amount");
	ok(!with("TENP5_CEILING", "1000001"), "a ceiling above a million euros is refused (no sum may overflow)");
	ok(!with("TENP5_CEILING", "0"), "so is a ceiling of 0");
	ok(!with("TENP5_SCRYPT_N", "1000"), "scrypt's N must be a power of two");
	ok(with("TENP5_SCRYPT_N", "1024") && cfg.scrypt_n == 1024, "1024 is");
	ok(!with("TENP5_CARD_RIGHT", "4"), "a right above 3 is refused");
	ok(!with("TENP5_GROUP", "65"), "a group above 64 is refused");
	ok(!with("TENP5_LOGIN_QUIET", "900"), "a quiet spell no longer than the longest wait is refused");
	ok(with("TENP5_ISSUER", "") && cfg.issuer == NULL, "an empty issuer is no issuer");

	/* 10p5.conf: what suEXEC does not pass, for CGI programs. */
	if (!mkdtemp(dir))
		return 2;
	unsetenv("TENP5_MDP_MIN");
	setenv("TENP5_SESSION_TTL", "90", 1);
	ok(config_file(file("a.conf", "# the bar's settings\n\nTENP5_DB=/home/bar/10p5-data/10p5.db\n"
	    "TENP5_MDP_MIN=12\r\nTENP5_SESSION_TTL=600\nTENP5_ISSUER=https://x.example/a=b\n")),
	    "a settings file is read");
	ok(config_load(), "and loads");
	is_str(cfg.db_path, "/home/bar/10p5-data/10p5.db", "its TENP5_DB is the database");
	is_int(cfg.pwd_min, 12, "a line ending in CRLF is read without its CR");
	is_str(cfg.issuer, "https://x.example/a=b", "a value is taken whole, '=' included");
	is_int(cfg.session_ttl_ms, 90000, "a setting of the environment wins over the file's");
	ok(config_file("/nonexistent/10p5.conf"), "no file is no setting");
	ok(config_file(file("empty.conf", "")), "nor is an empty one");
	ok(!config_file(file("b.conf", "TENP5_DB /x\n")), "a line without '=' is refused");
	ok(!config_file(file("c.conf", "export TENP5_DB=/x\n")), "so is a shell's export");
	ok(!config_file(file("d.conf", "PATH=/tmp\n")), "and any variable not of 10p5's");
	ok(!config_file(file("e.conf", "TENP5_=/x\n")), "or without a name");
	ok(!config_file(file("f.conf", "TENP5_SESSION_TTL=5\nTENP5_Db=/x\n")),
	    "or a name not in capitals, whatever came before it");
	for (const char *const *n = (const char *const[]){ "a", "empty", "b", "c", "d", "e", "f", NULL }; *n; n++) {
		char path[128];

		snprintf(path, sizeof path, "%s/%s.conf", dir, *n);
		unlink(path);
	}
	rmdir(dir);
	return done_testing();
}
