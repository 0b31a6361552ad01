/*
 * Random bytes and tokens. getrandom(2) blocks only before the pool is first
 * seeded and never fails afterwards but for EINTR, which we retry.
 */
#include <errno.h>
#include <sys/random.h>

#include "rand.h"
#include "sha256.h"

int
rand_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		p += r;
		n -= (size_t)r;
	}
	return 1;
}

int
rand_token(char *out, size_t n)
{
	static const char alphabet[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	unsigned char pool[64];
	size_t have = 0, used = 0, w = 0;

	while (w < n) {
		if (used == have) {
			if (!rand_bytes(pool, sizeof pool))
				return 0;
			have = sizeof pool;
			used = 0;
		}
		/* 248 = 4 * 62: bytes at or above it would favour the first letters. */
		if (pool[used] < 248)
			out[w++] = alphabet[pool[used] % 62];
		used++;
	}
	out[n] = '\0';
	wipe(pool, sizeof pool);
	return 1;
}
