/* Unit tests for lib/parse.c: form-urlencoded and JSON bodies, the Cookie and
 * Authorization headers, HTTP Basic credentials; hostile input on guarded buffers. */
#include "../tap.h"
#include "crypto.h"
#include "parse.h"

static struct params p;

static enum parse_result
form(const char *s, const char **bad)
{
	return form_parse(&p, guarded_copy(s, strlen(s)), strlen(s), bad);
}

static enum parse_result
json(const char *s, const char **bad)
{
	return json_body_parse(&p, guarded_copy(s, strlen(s)), strlen(s), bad);
}

static const char *
get(const char *name)
{
	const struct param *pm = params_get(&p, name);

	return pm ? pm->value : NULL;
}

static int
no_repeat(const char *name)
{
	(void)name;
	return 0;
}

static int
repeat_uri(const char *name)
{
	return strcmp(name, "redirect_uri") == 0;
}

static void
test_form(void)
{
	const char *bad;

	is_int(form("jeton=abc&idCarte=AHS0DIEX", &bad), PARSE_OK, "a plain form parses");
	is_int(p.n, 2, "into two pairs");
	is_str(get("idCarte"), "AHS0DIEX", "values are found by name");
	is_int(form("a=b+c%20d%2B", &bad), PARSE_OK, "+ and escapes decode");
	is_str(get("a"), "b c d+", "+ is a space, %%2B a plus");
	is_int(form("a%3D=1", &bad), PARSE_OK, "names decode too");
	is_str(get("a="), "1", "an escaped = stays in the name");
	is_int(form("", &bad), PARSE_OK, "an empty body parses");
	is_int(p.n, 0, "into nothing");
	is_int(form("&&a=1&&", &bad), PARSE_OK, "empty segments are skipped");
	is_int(p.n, 1, "leaving one pair");
	is_int(form("flag&x=", &bad), PARSE_OK, "names without = or value parse");
	is_str(get("flag"), "", "a bare name has an empty value");
	is_str(get("x"), "", "x= has an empty value");
	is_int(form("=v&a=1", &bad), PARSE_OK, "a nameless value is ignored");
	is_int(p.n, 1, "only a remains");
	is_int(form("a=1=2", &bad), PARSE_OK, "a second = belongs to the value");
	is_str(get("a"), "1=2", "value is 1=2");
	is_int(form("montant=%4", &bad), PARSE_MALFORMED, "a truncated escape at the end is refused");
	is_str(bad, "montant", "and blamed on its parameter");
	is_int(form("montant=%", &bad), PARSE_MALFORMED, "a lone %% at the end is refused");
	is_int(form("montant=%zz", &bad), PARSE_MALFORMED, "a non-hex escape is refused");
	is_int(form("idCarte=A%00B", &bad), PARSE_MALFORMED, "%%00 is refused");
	is_int(form("login=%C3%28", &bad), PARSE_MALFORMED, "invalid UTF-8 is refused");
	is_int(form("login=%C0%AF", &bad), PARSE_MALFORMED, "overlong UTF-8 is refused");
	is_int(form("login=%E0%80%AF", &bad), PARSE_MALFORMED, "a 3-byte overlong form is refused");
	is_int(form("login=%ED%A0%80", &bad), PARSE_MALFORMED, "an encoded surrogate is refused");
	is_int(form("login=%F4%90%80%80", &bad), PARSE_MALFORMED, "a code point above U+10FFFF is refused");
	is_int(form("login=%E2%82", &bad), PARSE_MALFORMED, "a truncated sequence is refused");
	is_int(form("login=%C3%A9t%C3%A9", &bad), PARSE_OK, "valid UTF-8 passes");
	is_str(get("login"), "\xC3\xA9t\xC3\xA9", "and decodes to été");
	is_int(form("%zz=1", &bad), PARSE_MALFORMED, "a bad escape in a name is refused");
	ok(bad == NULL, "without naming a parameter it could not read");
}

static void
test_form_sizes(void)
{
	size_t n = 1 << 20;
	char *big = malloc(n + 8), *keys;
	const char *bad;
	size_t w = 0;

	memcpy(big, "v=", 2);
	memset(big + 2, 'x', n);
	big[n + 2] = '\0';
	is_int(form(big, &bad), PARSE_OK, "a 1 MB value parses (the size cap is the loop's job)");
	is_int(strlen(get("v")), n, "whole");
	free(big);
	keys = malloc(10000 * 8 + 1);
	for (int i = 0; i < 10000; i++)
		w += (size_t)sprintf(keys + w, "k%d=&", i);
	is_int(form(keys, &bad), PARSE_TOO_MANY, "10 000 keys are refused as too many");
	w = 0;
	for (int i = 0; i < PARAMS_MAX; i++)
		w += (size_t)sprintf(keys + w, "k%d=1&", i);
	is_int(form(keys, &bad), PARSE_OK, "exactly PARAMS_MAX keys are fine");
	ok(params_duplicate(&p, no_repeat) == NULL, "and none repeats");
	free(keys);
}

static void
test_duplicates(void)
{
	const char *bad;

	form("a=1&b=2&a=3", &bad);
	is_str(params_duplicate(&p, no_repeat), "a", "a repeated name is found");
	is_int(params_count(&p, "a"), 2, "and counted");
	form("redirect_uri=x&redirect_uri=y&c=1", &bad);
	ok(params_duplicate(&p, repeat_uri) == NULL, "a repeatable name may repeat");
}

static void
test_json(void)
{
	const char *bad;

	is_int(json("{\"jeton\":\"abc\",\"montant\":1.5,\"decouvert\":true,\"n\":null}", &bad),
	    PARSE_OK, "a flat object parses");
	is_str(get("jeton"), "abc", "strings keep their text");
	is_str(get("montant"), "1.5", "numbers keep their source text");
	is_str(get("decouvert"), "true", "true reads as true");
	ok(get("n") == NULL, "null is absent");
	is_int(json("  {  }  ", &bad), PARSE_OK, "an empty object with blanks parses");
	is_int(json("{\"a\":-0.25e+2}", &bad), PARSE_OK, "exponents are JSON numbers");
	is_str(get("a"), "-0.25e+2", "kept as written (validators refuse them)");
	is_int(json("{\"a\":\"\\u0041\\u00e9\\ud83d\\ude00\\n\\\"\"}", &bad), PARSE_OK, "escapes decode");
	is_str(get("a"), "A\xC3\xA9\xF0\x9F\x98\x80\n\"", "to UTF-8");
	is_int(json("{\"a\":\"\\u0000\"}", &bad), PARSE_MALFORMED, "\\u0000 is refused");
	is_str(bad, "a", "and blamed on its key");
	is_int(json("{\"a\":\"\\ud800\"}", &bad), PARSE_MALFORMED, "a lone high surrogate is refused");
	is_int(json("{\"a\":\"\\udc00\"}", &bad), PARSE_MALFORMED, "a lone low surrogate is refused");
	is_int(json("{\"a\":\"\\x\"}", &bad), PARSE_MALFORMED, "an unknown escape is refused");
	is_int(json("{\"a\":\"\xC0\xAF\"}", &bad), PARSE_MALFORMED, "raw overlong UTF-8 is refused");
	is_int(json("{\"a\":\"tab\there\"}", &bad), PARSE_MALFORMED, "a raw control character is refused");
	is_int(json("{\"a\":{\"b\":1}}", &bad), PARSE_MALFORMED, "a nested object is refused");
	is_str(bad, "a", "naming the key");
	is_int(json("{\"r\":[\"x\",\"y\"]}", &bad), PARSE_OK, "an array of strings parses");
	is_int(params_count(&p, "r"), 2, "as repeated pairs");
	is_int(json("{\"r\":[1]}", &bad), PARSE_MALFORMED, "an array of numbers is refused");
	is_int(json("[1,2]", &bad), PARSE_MALFORMED, "a top-level array is refused");
	is_int(json("{\"a\":1", &bad), PARSE_MALFORMED, "a truncated object is refused");
	is_int(json("{\"a\":\"1", &bad), PARSE_MALFORMED, "a truncated string is refused");
	is_int(json("{\"a\":1}x", &bad), PARSE_MALFORMED, "trailing garbage is refused");
	is_int(json("{\"a\":01}", &bad), PARSE_MALFORMED, "a leading zero is refused");
	is_int(json("{\"a\":1.}", &bad), PARSE_MALFORMED, "a bare decimal point is refused");
	is_int(json("{\"a\":tru}", &bad), PARSE_MALFORMED, "a broken literal is refused");
	is_int(json("{\"a\":1,}", &bad), PARSE_MALFORMED, "a trailing comma is refused");
	is_int(json("{a:1}", &bad), PARSE_MALFORMED, "an unquoted key is refused");
	is_int(json("", &bad), PARSE_MALFORMED, "an empty body is not an object");
	is_int(json("{\"a\":1,\"a\":2}", &bad), PARSE_OK, "duplicate keys parse");
	is_str(params_duplicate(&p, no_repeat), "a", "and are caught as duplicates");
	/* Every proper prefix of a valid body must be refused without reading past it. */
	{
		const char *full = "{\"jeton\":\"abc\",\"m\":-12.5e3,\"b\":false,\"r\":[\"\\u00e9\"]}";
		int all = 1;

		for (size_t n = 0; n < strlen(full); n++) {
			char *b = guarded_copy(full, n);

			if (json_body_parse(&p, b, n, &bad) != PARSE_MALFORMED)
				all = 0;
		}
		ok(all, "every truncation of a valid body is refused, none reads past its end");
	}
}

static void
test_utf8(void)
{
	ok(utf8_valid("plain", 5), "ASCII is valid");
	ok(!utf8_valid("a\0b", 3), "NUL is not");
	ok(utf8_valid("\xF0\x9F\x98\x80", 4), "a 4-byte emoji is valid");
	ok(!utf8_valid("\xF0\x9F\x98", 3), "a cut emoji is not");
	ok(!utf8_valid("\xF8\x88\x80\x80\x80", 5), "5-byte forms are not");
	ok(!utf8_valid("\x80", 1), "a lone continuation byte is not");
	ok(utf8_valid("\xEF\xBF\xBF", 3), "U+FFFF is valid");
}

/* A C string whose terminator is the last byte before an unmapped page. */
static const char *
guarded_str(const char *s)
{
	size_t n = strlen(s);
	char *b = guarded(n + 1);

	memcpy(b, s, n + 1);
	return b;
}

static int
cookie_is(const char *header, const char *name, const char *want)
{
	const char *v;
	size_t len;

	if (!cookie_find(guarded_str(header), name, &v, &len))
		return want == NULL;
	return want && strlen(want) == len && memcmp(v, want, len) == 0;
}

static void
test_cookies(void)
{
	ok(cookie_is("10p5_csrf=abc", "10p5_csrf", "abc"), "a lone cookie");
	ok(cookie_is("a=1; 10p5_csrf=abc; b=2", "10p5_csrf", "abc"), "a cookie among others");
	ok(cookie_is("x10p5_csrf=no; 10p5_csrf=yes", "10p5_csrf", "yes"), "a longer name does not match");
	ok(cookie_is("10p5_csrfx=no", "10p5_csrf", NULL), "nor does a name it prefixes");
	ok(cookie_is("10p5_csrf", "10p5_csrf", NULL), "a name without = is no cookie (the heap over-read)");
	ok(cookie_is("10p5_csrf;", "10p5_csrf", NULL), "nor with a ; after it");
	ok(cookie_is("a=1; 10p5_csrf", "10p5_csrf", NULL), "nor at the end of a list");
	ok(cookie_is("10p5_csrf=", "10p5_csrf", ""), "an empty value is found, empty");
	ok(cookie_is("  10p5_csrf = abc  ;", "10p5_csrf", "abc"), "blanks around name and value are ignored");
	ok(cookie_is("", "10p5_csrf", NULL), "an empty header holds nothing");
	ok(cookie_is(";;; ;", "10p5_csrf", NULL), "nor a header of separators");
	ok(cookie_is("a=b=c", "a", "b=c"), "a value may hold =");
	{
		const char *full = "a=1; 10p5_csrf=abcdef; b=2";
		int all = 1;

		for (size_t n = 0; n <= strlen(full); n++) {
			char *b = guarded(n + 1);
			const char *v;
			size_t len;

			memcpy(b, full, n);
			b[n] = '\0';
			(void)cookie_find(b, "10p5_csrf", &v, &len);
			if (n < 15 && v)
				all = 0;
		}
		ok(all, "every truncation of a header is parsed within its end");
	}
}

static void
test_authorization(void)
{
	const char *c;

	is_int(authorization_parse(guarded_str(""), &c), AUTH_NONE, "no header");
	is_int(authorization_parse(guarded_str("Bearer abc"), &c), AUTH_BEARER, "Bearer");
	is_str(c, "abc", "its credential");
	is_int(authorization_parse(guarded_str("bearer   abc"), &c), AUTH_BEARER, "any case, several blanks");
	is_int(authorization_parse(guarded_str("ApiKey 10p5_x"), &c), AUTH_APIKEY, "ApiKey");
	is_int(authorization_parse(guarded_str("Basic Zm9vOmJhcg=="), &c), AUTH_BASIC, "Basic");
	is_int(authorization_parse(guarded_str("Bearer"), &c), AUTH_INVALID, "a scheme without credential");
	ok(c == NULL, "gives no credential");
	is_int(authorization_parse(guarded_str("Bearer "), &c), AUTH_INVALID, "nor with a blank after it");
	is_int(authorization_parse(guarded_str("Bearer a b"), &c), AUTH_INVALID, "two credentials");
	is_int(authorization_parse(guarded_str("Bearer a "), &c), AUTH_INVALID, "a trailing blank");
	is_int(authorization_parse(guarded_str("Bearerx abc"), &c), AUTH_INVALID, "a longer scheme name");
	is_int(authorization_parse(guarded_str("Digest abc"), &c), AUTH_INVALID, "another scheme");
	is_int(authorization_parse(guarded_str(" Bearer abc"), &c), AUTH_INVALID, "a leading blank");
}

static void
test_basic(void)
{
	char out[64], *id, *secret;

	ok(basic_parse(guarded_str("YXBwX3g6czNjcmV0"), out, sizeof out, &id, &secret), "id:secret");
	is_str(id, "app_x", "the id");
	is_str(secret, "s3cret", "the secret");
	ok(basic_parse(guarded_str("YSUyMGI6YyUzQWQ="), out, sizeof out, &id, &secret),
	    "form-encoded halves");
	is_str(id, "a b", "the id is decoded");
	is_str(secret, "c:d", "the secret is decoded");
	ok(basic_parse(guarded_str("YTpiOmM="), out, sizeof out, &id, &secret), "a : in the secret");
	is_str(secret, "b:c", "splits at the first :");
	ok(!basic_parse(guarded_str("YWJj"), out, sizeof out, &id, &secret), "no : is refused");
	ok(!basic_parse(guarded_str("YQBiOmM="), out, sizeof out, &id, &secret), "a NUL byte is refused");
	ok(!basic_parse(guarded_str("YTpi%"), out, sizeof out, &id, &secret), "bad base64 is refused");
	ok(!basic_parse(guarded_str("YSUyOmI="), out, sizeof out, &id, &secret), "a bad escape is refused");
	ok(!basic_parse(guarded_str("YWFhYWFhYWFhYWFhYWFhYTpi"), out, 8, &id, &secret),
	    "too long for the buffer is refused");
	ok(!basic_parse(guarded_str(""), out, sizeof out, &id, &secret), "nothing is refused");
}

int
main(void)
{
	if (!crypto_init())
		return 2;
	test_cookies();
	test_authorization();
	test_basic();
	test_form();
	test_form_sizes();
	test_duplicates();
	test_json();
	test_utf8();
	return done_testing();
}
