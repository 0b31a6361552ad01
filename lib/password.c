/*
 * libscrypt wrapped once: libscrypt_hash answers >0/0, libscrypt_check >0/0/<0
 * and rewrites the hash it is given, so it only ever sees a copy.
 */
#include <string.h>
#include <libscrypt.h>

#include "config.h"
#include "log.h"
#include "password.h"
#include "sha256.h"

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	if (libscrypt_hash(out, pw, cfg.scrypt_n, 8, 1) <= 0) {
		log_error("scrypt: cannot hash");
		return 0;
	}
	return 1;
}

int
password_check(const char *stored, const char *pw)
{
	char copy[PASSWORD_HASH_MAX];
	size_t n = strlen(stored);
	int r;

	if (n >= sizeof copy)
		return -1;
	memcpy(copy, stored, n + 1);
	r = libscrypt_check(copy, pw);
	wipe(copy, sizeof copy);
	if (r < 0)
		return -1;
	return r > 0;
}

int
password_digest(const char *pw, const unsigned char *salt, size_t saltlen, unsigned char out[32])
{
	if (libscrypt_scrypt((const uint8_t *)pw, strlen(pw), salt, saltlen, cfg.scrypt_n, 8, 1,
	    out, 32) != 0) {
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
