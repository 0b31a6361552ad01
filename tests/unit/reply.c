/* Unit tests for lib/reply.c: the status and key tables, money formatting. */
#include "../tap.h"
#include "reply.h"

static void
money(int64_t cents, const char *want)
{
	char buf[MONEY_BUF];

	is_str(money_format(cents, buf), want, "%" PRId64 " cents print exactly", cents);
}

int
main(void)
{
	int complete = 1, unique = 1;
	json_object *o;
	char buf[64];
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

	ok(reply_put_str(buf, sizeof buf, &w, "a\"b\\c\n"), "a string with quotes fits");
	buf[w] = '\0';
	is_str(buf, "\"a\\\"b\\\\c\\u000a\"", "and is escaped");
	w = 0;
	ok(!reply_put_str(buf, 4, &w, "abcdef"), "a string that does not fit is refused");
	return done_testing();
}
