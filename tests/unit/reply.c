/* Unit tests for lib/reply.c: the status and key tables, money formatting,
 * and the unchecked writers of the fastest rows against printf and the
 * checked writers, each on a buffer that ends at a guard page. */
#include "../tap.h"
#include "reply.h"

static void
money(int64_t cents, const char *want)
{
	char buf[MONEY_BUF];

	is_str(money_format(cents, buf), want, "%" PRId64 " cents print exactly", cents);
}

/* Integers whose digits change count, and their neighbours. */
static int64_t
edge(int i)
{
	static const int64_t fixed[] = { 0, 1, -1, 9, -9, INT64_MAX, INT64_MIN, INT64_MIN + 1 };
	int64_t p = 1;

	if (i < (int)(sizeof fixed / sizeof fixed[0]))
		return fixed[i];
	i -= (int)(sizeof fixed / sizeof fixed[0]);
	for (int k = 0; k < (i / 6) % 19; k++)
		p *= 10;
	switch (i % 6) {
	case 0: return p;
	case 1: return p - 1;
	case 2: return p + 1;
	case 3: return -p;
	case 4: return -p + 1;
	default: return -p - 1;
	}
}

/* A reference for money, through printf: the magnitude's euros, then the
 * cents without trailing zeros. */
static void
money_ref(int64_t cents, char *out, size_t cap)
{
	uint64_t m = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	int n = snprintf(out, cap, "%s%" PRIu64 ".%02u", cents < 0 ? "-" : "", m / 100,
	    (unsigned)(m % 100));

	while (out[n - 1] == '0')
		out[--n] = '\0';
	if (out[n - 1] == '.')
		out[n - 1] = '\0';
}

/* The JSON string of s, written the plainest way: the reference the writers
 * are checked against. */
static size_t
ref_str(char *out, const char *s)
{
	size_t w = 0;

	out[w++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			w += (size_t)sprintf(out + w, "\\%c", c);
		else if (c < 0x20)
			w += (size_t)sprintf(out + w, "\\u%04x", c);
		else
			out[w++] = (char)c;
	}
	out[w++] = '"';
	return w;
}

/* The unchecked writers, each at the very end of a guarded buffer of its
 * documented maximum, against printf (integers, money) and ref_str
 * (strings). */
static void
fast_writers(void)
{
	char *ibuf = guarded(PUT_INT_MAX), *mbuf = guarded(PUT_MONEY_MAX), *bbuf = guarded(PUT_BOOL_MAX);
	char want[64], got[64], checked[256], s[40];
	uint64_t x = 88172645463325252u;
	int ints = 1, money_ok = 1, strs = 1;
	struct row_shape shape;
	static const enum key keys[] = { K_ID, K_UTILISATEUR, K_VALIDE };
	size_t w;

	for (int i = 0; i < 20000; i++) {
		int64_t v;
		size_t n;

		if (i < 8 + 6 * 19)
			v = edge(i);
		else {
			x ^= x << 13; /* xorshift: any bit pattern */
			x ^= x >> 7;
			x ^= x << 17;
			v = (int64_t)(i % 2 ? x : x >> (i % 64));
		}
		snprintf(want, sizeof want, "%" PRId64, v);
		n = (size_t)(put_int(ibuf, v) - ibuf);
		memcpy(got, ibuf, n);
		got[n] = '\0';
		if (strcmp(got, want) != 0 && ints) {
			ints = 0;
			printf("# put_int(%s) wrote %s\n", want, got);
		}
		money_ref(v, want, sizeof want);
		n = (size_t)(put_money(mbuf, v) - mbuf);
		memcpy(got, mbuf, n);
		got[n] = '\0';
		if (strcmp(got, want) != 0 && money_ok) {
			money_ok = 0;
			printf("# put_money(%" PRId64 ") wrote %s, not %s\n", v, got, want);
		}
		if (strcmp(money_format(v, got), want) != 0)
			money_ok = 0;
	}
	ok(ints, "put_int writes what printf does, within PUT_INT_MAX bytes");
	ok(money_ok, "put_money and money_format write euros and at most two decimals, "
	    "within PUT_MONEY_MAX bytes");
	is_int(put_bool(bbuf, true) - bbuf, 4, "true is 4 bytes");
	ok(memcmp(bbuf, "true", 4) == 0, "and reads true");
	is_int(put_bool(bbuf, false) - bbuf, 5, "false is 5 bytes, within PUT_BOOL_MAX");
	ok(memcmp(bbuf, "false", 5) == 0, "and reads false");

	/* Every byte, alone and between letters; then a NUL inside ends it. */
	for (int c = 1; c < 256; c++) {
		char *sbuf = guarded(PUT_STR_MAX(3));
		size_t n;

		snprintf(s, sizeof s, "a%cb", c);
		n = (size_t)(put_str(sbuf, s, 3) - sbuf);
		w = ref_str(checked, s);
		if (w != n || memcmp(checked, sbuf, n) != 0)
			strs = 0;
	}
	ok(strs, "put_str escapes every byte as JSON says (quote, backslash, controls "
	    "as \\u00XX), within PUT_STR_MAX(n)");
	{
		char *sbuf = guarded(PUT_STR_MAX(32));
		char *end = put_str(sbuf, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
		    "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x01", 32);

		is_int(end - sbuf, PUT_STR_MAX(32), "32 control characters take PUT_STR_MAX(32) bytes");
		end = put_str(sbuf, "ab\0cd", 5);
		*end = '\0';
		is_str(sbuf, "\"ab\"", "a NUL ends the string, as in the checked writer");
		end = put_str(sbuf, "abcdef", 3);
		*end = '\0';
		is_str(sbuf, "\"abc\"", "and so does n");
	}

	row_shape_init(&shape, keys, 3);
	w = 0;
	{
		char *row = guarded(3 * ROW_KEY_TEXT + 64), *p = row;

		p = put_key(p, &shape, 0);
		p = put_int(p, -42);
		p = put_key(p, &shape, 1);
		p = put_str(p, "x\"y", 3);
		p = put_key(p, &shape, 2);
		p = put_bool(p, false);
		*p++ = '}';
		*p = '\0';
		is_str(row, "{\"id\":-42,\"utilisateur\":\"x\\\"y\",\"valide\":false}",
		    "a row from its shape reads as the checked writers write it");
	}
}

int
main(void)
{
	int complete = 1, unique = 1;
	json_object *o;
	char buf[256];
	size_t w = 0;

	for (int i = 0; i < ST__MAX; i++) {
		if (!status_defs[i].word || !status_defs[i].reason || status_defs[i].http < 200)
			complete = 0;
		for (int j = 0; j < i; j++)
			if (status_defs[i].word && status_defs[j].word &&
			    strcmp(status_defs[i].word, status_defs[j].word) == 0)
				unique = 0;
	}
	ok(complete, "every status has a word, a code and a reason");
	ok(unique, "status words are unique");
	is_str(status_defs[ST_OK].word, "ok", "ST_OK is ok");
	is_int(status_defs[ST_REQUETE_INCONNUE].http, 404, "requete_inconnue is a 404");
	is_int(status_defs[ST_METHODE_NON_AUTORISEE].http, 405, "methode_non_autorisee is a 405");
	is_int(status_defs[ST_REQUETE_TROP_GRANDE].http, 413, "requete_trop_grande is a 413");
	is_int(status_defs[ST_ERREUR_GENERIQUE].http, 500, "erreur_generique is a 500");
	is_int(status_defs[ST_SOLDE_INSUFFISANT].http, 200, "business refusals are 200");
	complete = unique = 1;
	for (int i = 0; i < K__MAX; i++) {
		if (!key_names[i])
			complete = 0;
		for (int j = 0; j < i; j++)
			if (key_names[i] && key_names[j] && strcmp(key_names[i], key_names[j]) == 0)
				unique = 0;
	}
	ok(complete, "every reply key has a name");
	ok(unique, "reply key names are unique");

	money(0, "0");
	money(5, "0.05");
	money(50, "0.5");
	money(170, "1.7");
	money(4830, "48.3");
	money(850, "8.5");
	money(5000, "50");
	money(100001, "1000.01");
	money(-5, "-0.05");
	money(-1000, "-10");
	money(INT64_MIN, "-92233720368547758.08");
	money(INT64_MAX, "92233720368547758.07");

	o = json_object_new_object();
	reply_money(o, K_SOLDE, 30); /* 0.1 + 0.2 in cents */
	reply_money(o, K_MONTANT, 4830);
	reply_str(o, K_CLIENT, NULL);
	reply_bool(o, K_VALIDE, true);
	is_str(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"solde\":0.3,\"montant\":48.3,\"client\":null,\"valide\":true}",
	    "money reaches JSON without float noise");
	json_object_put(o);

	{
		struct row r = { buf, 0, sizeof buf, false };
		int64_t totals[] = { 150, 0, -5 };
		static const char *const words[] = { "especes", "carte", "offert" };

		row_str(&r, K_CLIENT, "a\"b\\c\n");
		row_str(&r, K_UTILISATEUR, NULL);
		row_money_words(&r, K_TOTAUX, words, totals, 3);
		w = (size_t)row_end(&r);
		buf[w] = '\0';
		is_str(buf, "{\"client\":\"a\\\"b\\\\c\\u000a\",\"utilisateur\":null,"
		    "\"totaux\":{\"especes\":1.5,\"carte\":0,\"offert\":-0.05}}",
		    "a row escapes its strings and writes an object of money by words");
	}
	{
		/* {"client":"abc"} is 16 bytes: it fits in 16, not in 15. */
		struct row fits = { buf, 0, 16, false }, short_by_one = { buf, 0, 15, false };

		row_str(&fits, K_CLIENT, "abc");
		is_int(row_end(&fits), 16, "a row that fits exactly is written");
		row_str(&short_by_one, K_CLIENT, "abc");
		is_int(row_end(&short_by_one), -1, "a row one byte too long is refused");
		short_by_one = (struct row){ buf, 0, 14, false };
		row_str(&short_by_one, K_CLIENT, "abc");
		is_int(row_end(&short_by_one), -1, "and so is a string that does not fit");
	}
	fast_writers();
	return done_testing();
}
