/* Unit tests for lib/config.c: defaults, each setting read, values out of
 * range refused at start-up. */
#include "../tap.h"
#include "config.h"

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
	is_str(cfg.db_path, "var/10p5.db", "the database defaults to var/10p5.db");
	is_int(cfg.session_ttl_ms, 300000, "sessions live 5 minutes");
	is_int(cfg.cancel_window_ms, 120000, "the cancel window is 120 s");
	is_int(cfg.ceiling, 100000, "the ceiling is 1000.00");
	is_int(cfg.card_right, 2, "a card session carries at most right 2");
	is_int(cfg.login_max_fails, 5, "5 failures per login and address");
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
	ok(with("TENP5_ISSUER", "") && cfg.issuer == NULL, "an empty issuer is no issuer");
	return done_testing();
}
