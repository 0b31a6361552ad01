/* Unit tests for lib/token.c: every kind's shape, recognition by shape,
 * checksums that catch typos, the displayed prefix, the stored hash. */
#include "../tap.h"
#include "crypto.h"
#include "token.h"

int
main(void)
{
	static const char *const prefixes[TOK__MAX] = {
		"", "10p5_", "10p5at_", "10p5rt_", "10p5ac_", "10p5cs_", "10p5tk_", "10p5ts_"
	};
	char t[TOKEN_MAX], u[TOKEN_MAX], shown[TOKEN_MAX];
	unsigned char h[SHA256_LEN], want[SHA256_LEN];

	if (!crypto_init())
		return 2;
	for (int k = TOK_SESSION; k < TOK__MAX; k++) {
		ok(token_make((enum token_kind)k, t), "a token of kind %d is made", k);
		is_int(strlen(t), k == TOK_SESSION ? 30 : strlen(prefixes[k]) + 36,
		    "with its length (%s)", t);
		ok(strncmp(t, prefixes[k], strlen(prefixes[k])) == 0, "and its prefix");
		is_int(token_kind(t), k, "its kind is recognised by its shape");
		token_make((enum token_kind)k, u);
		ok(strcmp(t, u) != 0, "two tokens of a kind differ");
	}
	token_make(TOK_KEY, t);
	memcpy(u, t, sizeof u);
	u[10] = u[10] == 'a' ? 'b' : 'a';
	is_int(token_kind(u), TOK_INVALID, "a key with one character changed fails its checksum");
	memcpy(u, t, sizeof u);
	u[strlen(u) - 1] = '\0';
	is_int(token_kind(u), TOK_INVALID, "so does a key one character short");
	memcpy(u, t, sizeof u);
	u[7] = '-';
	is_int(token_kind(u), TOK_INVALID, "and a key with a character outside base 62");
	is_int(token_kind("10p5zz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), TOK_INVALID, "an unknown prefix");
	is_int(token_kind(""), TOK_INVALID, "nothing");
	is_int(token_kind("abc def ghi jkl mno pqr stu vw"), TOK_INVALID,
	    "30 characters that are not base 62 are no session");
	token_display(t, shown);
	is_int(strlen(shown), 11, "a key is shown as its prefix and six characters");
	ok(strncmp(shown, t, 11) == 0, "the first eleven of the key (%s)", shown);
	token_hash(t, h);
	sha256(t, strlen(t), want);
	ok(memcmp(h, want, sizeof h) == 0, "a token is stored as its SHA-256");
	return done_testing();
}
