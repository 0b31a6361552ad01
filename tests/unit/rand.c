/* Unit tests for lib/rand.c: token shape and spread. */
#include "../tap.h"
#include "rand.h"

int
main(void)
{
	char a[31], b[31];
	int counts[62] = { 0 }, shaped = 1;
	const char *alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	double chi = 0, expected;
	enum { N = 20000 };

	ok(rand_token(a, 30) && rand_token(b, 30), "tokens are made");
	is_int(strlen(a), 30, "a token has 30 characters");
	ok(strcmp(a, b) != 0, "two tokens differ");
	for (int i = 0; i < N; i++) {
		char t[31];

		rand_token(t, 30);
		for (int k = 0; k < 30; k++) {
			const char *p = strchr(alphabet, t[k]);

			if (!p || !t[k])
				shaped = 0;
			else
				counts[p - alphabet]++;
		}
	}
	ok(shaped, "every character is in [0-9A-Za-z]");
	expected = N * 30.0 / 62;
	for (int i = 0; i < 62; i++)
		chi += (counts[i] - expected) * (counts[i] - expected) / expected;
	/* 61 degrees of freedom: chi-square above 120 has probability < 1e-5. */
	ok(chi < 120, "characters are evenly spread (chi-square %.1f)", chi);
	return done_testing();
}
