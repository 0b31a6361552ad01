/* Unit tests for lib/crypto.c: SHA-256 and HMAC against FIPS 180-4 and RFC 4231,
 * base64 against RFC 4648, and the shape and spread of random tokens. */
#include "../tap.h"
#include "crypto.h"

static void
tokens(void)
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
}

static void
decode(void)
{
	unsigned char out[16];

	is_int(base64_decode("Zm9vYg==", 8, out, sizeof out), 4, "base64 with padding");
	ok(memcmp(out, "foob", 4) == 0, "decodes to foob");
	is_int(base64_decode("Zm9vYg", 6, out, sizeof out), 4, "base64 without padding");
	is_int(base64_decode("", 0, out, sizeof out), 0, "empty base64");
	is_int(base64_decode("Zm9vYg=", 7, out, sizeof out), -1, "wrong padding is refused");
	is_int(base64_decode("Zm9v-_", 6, out, sizeof out), -1, "the url-safe alphabet is not standard base64");
	is_int(base64_decode("Zm9v YQ", 7, out, sizeof out), -1, "a blank is refused");
	is_int(base64_decode("Zm9vYmFyYmF6cXV4cXV1eA", 22, out, 8), -1, "too long for the buffer is refused");
}

static const char *
hex(const unsigned char *d, size_t n)
{
	static char out[129];

	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	return out;
}

int
main(void)
{
	unsigned char d[SHA256_LEN], key[20];
	struct sha256 c;
	char b64[64];

	if (!crypto_init())
		return 2;

	sha256("abc", 3, d);
	is_str(hex(d, 32), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of abc");
	sha256("", 0, d);
	is_str(hex(d, 32), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of nothing");
	sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	is_str(hex(d, 32), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "SHA-256 of the 448-bit vector");
	sha256_init(&c);
	for (int i = 0; i < 1000000; i++)
		sha256_update(&c, "a", 1);
	sha256_final(&c, d);
	is_str(hex(d, 32), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "SHA-256 of a million a, byte by byte");
	memset(key, 0x0b, sizeof key);
	hmac_sha256(key, 20, "Hi There", 8, d);
	is_str(hex(d, 32), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "HMAC RFC 4231 case 1");
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
	is_str(hex(d, 32), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "HMAC RFC 4231 case 2");
	{
		unsigned char k[131];
		const char *m = "Test Using Larger Than Block-Size Key - Hash Key First";

		memset(k, 0xaa, sizeof k);
		hmac_sha256(k, sizeof k, m, strlen(m), d);
		is_str(hex(d, 32), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "HMAC RFC 4231 case 6 (long key)");
	}
	is_str(base64url((const unsigned char *)"", 0, b64), "", "base64url of nothing");
	is_str(base64url((const unsigned char *)"f", 1, b64), "Zg", "base64url of f");
	is_str(base64url((const unsigned char *)"fo", 2, b64), "Zm8", "base64url of fo");
	is_str(base64url((const unsigned char *)"foo", 3, b64), "Zm9v", "base64url of foo");
	is_str(base64url((const unsigned char *)"foob", 4, b64), "Zm9vYg", "base64url of foob");
	is_str(base64url((const unsigned char *)"\xfb\xff", 2, b64), "-_8", "base64url uses - and _");
	/* RFC 7636 appendix B: the S256 challenge of the example verifier. */
	sha256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", 43, d);
	is_str(base64url(d, 32, b64), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "the PKCE S256 example");
	ok(ct_equal("abc", "abc", 3), "equal buffers compare equal");
	ok(!ct_equal("abc", "abd", 3), "different buffers do not");
	decode();
	tokens();
	return done_testing();
}
