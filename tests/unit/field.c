/* Unit tests for lib/field.c: the value shapes of the wire. */
#include "../tap.h"
#include "auth.h"
#include "field.h"

static void
money(const char *s, int well_formed, int64_t cents)
{
	int64_t v = -1;
	int r = field_parse(FT_MONEY, s, &v);

	if (well_formed)
		ok(r == 1 && v == cents, "money '%s' is %" PRId64 " cents (got %" PRId64 ")", s, cents, v);
	else
		ok(r == 0, "money '%s' is malformed", s);
}

static void
shape(enum ftype t, const char *s, int well_formed, const char *what)
{
	int64_t v;

	is_int(field_parse(t, s, &v), well_formed, "%s '%s' %s", what, s,
	    well_formed ? "passes" : "is malformed");
}

static void
test_money(void)
{
	money("1.8", 1, 180);
	money("1,80", 1, 180);
	money("10", 1, 1000);
	money("10.0", 1, 1000);
	money("0.01", 1, 1);
	money("-2.5", 1, -250);
	money("-0", 1, 0);
	money("007", 1, 700);
	money("1.", 0, 0);
	money(".5", 0, 0);
	money("1.234", 0, 0);
	money("1e3", 0, 0);
	money("0x10", 0, 0);
	money(" 1", 0, 0);
	money("1 ", 0, 0);
	money("+1", 0, 0);
	money("1,5.0", 0, 0);
	money("--1", 0, 0);
	money("", 0, 0);
	money("-", 0, 0);
	money("NaN", 0, 0);
	money("1.-5", 0, 0);
	{
		int64_t v;

		ok(field_parse(FT_MONEY, "99999999999999999999999", &v) && v == MONEY_MAX,
		    "a huge amount reads as MONEY_MAX (montant_trop_eleve), never wraps");
		ok(field_parse(FT_MONEY, "-99999999999999999999999.99", &v) && v == -MONEY_MAX,
		    "a huge negative amount reads as -MONEY_MAX");
		ok(field_parse(FT_MONEY, "92233720368547758.07", &v) && v == MONEY_MAX,
		    "INT64_MAX cents does not overflow");
		ok(field_parse(FT_MONEY, "999999999999999.99", &v) && v == MONEY_MAX - 1,
		    "the largest amount below the cap reads exactly");
	}
}

static void
test_shapes(void)
{
	int64_t v;

	shape(FT_BOOL, "true", 1, "bool");
	shape(FT_BOOL, "OUI", 1, "bool");
	shape(FT_BOOL, "Faux", 1, "bool");
	shape(FT_BOOL, "0", 1, "bool");
	shape(FT_BOOL, "yes", 0, "bool");
	shape(FT_BOOL, "", 0, "bool");
	field_parse(FT_BOOL, "vrai", &v);
	is_int(v, 1, "vrai is true");
	field_parse(FT_BOOL, "non", &v);
	is_int(v, 0, "non is false");
	shape(FT_ORDER, "recent", 1, "ordre");
	shape(FT_ORDER, "Ancien", 1, "ordre");
	shape(FT_ORDER, "récent", 0, "ordre");
	shape(FT_ORDER, "1", 0, "ordre");
	shape(FT_ORDER, "desc", 0, "ordre");
	field_parse(FT_ORDER, "recent", &v);
	is_int(v, 1, "recent is newest first");
	field_parse(FT_ORDER, "ancien", &v);
	is_int(v, 0, "ancien is oldest first");
	shape(FT_CARD, "AHS0DIEX", 1, "card");
	shape(FT_CARD, "04A2B3C4D5E6F7", 1, "card");
	shape(FT_CARD, "0123456789abcdef0123456789ABCDEF", 1, "card");
	shape(FT_CARD, "0123456789abcdef0123456789ABCDEF0", 0, "card");
	shape(FT_CARD, "AB-CD", 0, "card");
	shape(FT_CARD, "AB CD", 0, "card");
	shape(FT_CARD, "\xC3\xA9", 0, "card");
	shape(FT_LOGIN, "jean.dupont_2-b", 1, "login");
	shape(FT_LOGIN, "abcdefghijklmnopqrstuvwxyz0123", 1, "login");
	shape(FT_LOGIN, "abcdefghijklmnopqrstuvwxyz01234", 0, "login");
	shape(FT_LOGIN, "a b", 0, "login");
	shape(FT_LOGIN, "' OR 1=1 --", 0, "login");
	shape(FT_RIGHT, "0", 1, "droit");
	shape(FT_RIGHT, "3", 1, "droit");
	shape(FT_RIGHT, "4", 0, "droit");
	shape(FT_RIGHT, "-1", 0, "droit");
	shape(FT_RIGHT, "2.0", 0, "droit");
	shape(FT_ID, "0", 1, "id");
	shape(FT_ID, "123", 1, "id");
	shape(FT_ID, "-1", 0, "id");
	shape(FT_ID, "-0", 0, "id");
	shape(FT_ID, "1.5", 0, "id");
	shape(FT_ID, "abc", 0, "id");
	shape(FT_ID, "9007199254740991", 1, "id");
	shape(FT_ID, "9007199254740992", 0, "id");
	shape(FT_ID, "99999999999999999999", 0, "id");
	shape(FT_LIMIT, "1", 1, "limite");
	shape(FT_LIMIT, "10000", 1, "limite");
	shape(FT_LIMIT, "0", 0, "limite");
	shape(FT_LIMIT, "10001", 0, "limite");
	shape(FT_LIMIT, "99999999999999999999", 0, "limite");
	shape(FT_QTY, "1", 1, "quantite");
	shape(FT_QTY, "1000", 1, "quantite");
	shape(FT_QTY, "0", 0, "quantite");
	shape(FT_QTY, "-3", 0, "quantite");
	shape(FT_QTY, "1001", 0, "quantite");
	shape(FT_QTY, "3a", 0, "quantite");
	shape(FT_QTY, "99999999999999999999", 0, "quantite");
	shape(FT_QTY, "9223372036854775808", 0, "quantite");
	shape(FT_DATE, "1764547200000", 1, "date");
	shape(FT_DATE, "-1", 0, "date");
	shape(FT_STEP, "60", 1, "pas");
	shape(FT_STEP, "86400", 1, "pas");
	shape(FT_STEP, "59", 0, "pas");
	shape(FT_STEP, "86401", 0, "pas");
	shape(FT_REQUEST_ID, "550e8400-e29b-41d4-a716-446655440000", 1, "idRequete");
	shape(FT_REQUEST_ID, "a b", 0, "idRequete");
	{
		char id[66];

		memset(id, 'a', 65);
		id[65] = '\0';
		shape(FT_REQUEST_ID, id, 0, "idRequete of 65");
		id[64] = '\0';
		shape(FT_REQUEST_ID, id, 1, "idRequete of 64");
	}
	shape(FT_TOKEN, "abc", 1, "token");
	shape(FT_TOKEN, "a b", 0, "token");
	shape(FT_PASSWORD, "any thing é", 1, "password");
	is_int(utf8_length("\xC3\xA9t\xC3\xA9"), 3, "été has 3 code points");
}

/* A portee, read from a buffer that ends where the string does. */
static void
portee(const char *s, int64_t bits, const char *what)
{
	char *b = guarded_copy(s, strlen(s));
	int64_t v = -1;
	int r;

	b[strlen(s)] = '\0';
	r = field_parse(FT_SCOPES, b, &v);
	if (bits)
		ok(r == 1 && v == bits, "portee '%s' is %" PRId64 " (%s; got %d, %" PRId64 ")", s,
		    bits, what, r, v);
	else
		ok(r == 0, "portee '%s' is malformed (%s)", s, what);
}

static void
test_portee(void)
{
	portee("flux", SCOPE_FLUX, "a wall screen's");
	portee("compte", SCOPE_COMPTE, "one word");
	portee("lecture flux", SCOPE_LECTURE | SCOPE_FLUX, "a space between words");
	portee("lecture,flux", SCOPE_LECTURE | SCOPE_FLUX, "a comma");
	portee("lecture, flux", SCOPE_LECTURE | SCOPE_FLUX, "a comma and a space");
	portee("flux lecture", SCOPE_LECTURE | SCOPE_FLUX, "in any order");
	portee("compte lecture,caisse, admin flux", SCOPE__ALL, "every scope, separators mixed");
	portee("", 0, "nothing");
	portee(" ", 0, "a space alone");
	portee(",", 0, "a comma alone");
	portee(" flux", 0, "a space first");
	portee("flux ", 0, "a space last");
	portee("flux,", 0, "a comma last");
	portee(",flux", 0, "a comma first");
	portee("lecture  flux", 0, "two spaces");
	portee("lecture,,flux", 0, "an empty item");
	portee("lecture ,flux", 0, "a space before a comma");
	portee("lecture,  flux", 0, "a comma and two spaces");
	portee("lecture\tflux", 0, "a tab");
	portee("lecture;flux", 0, "a semicolon");
	portee("flux flux", 0, "a word twice");
	portee("lecture, flux,lecture", 0, "a word again later");
	portee("Flux", 0, "capitals");
	portee("flu", 0, "a word cut short");
	portee("fluxx", 0, "a word too long");
	portee("tout", 0, "an unknown word");
	portee("lecture tout", 0, "an unknown word after a known one");
	portee("flux\xC3\xA9", 0, "a letter beyond ASCII");
}

static void
test_validate(void)
{
	static struct params p;
	struct value v[FLD__MAX];
	const char *champ;
	char body[128];

	strcpy(body, "idCarte=AB12&montant=1,5&inconnu=x");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_ID_CARTE) | FB(FLD_MONTANT) | FB(FLD_QUANTITE),
	    FB(FLD_ID_CARTE), v, &champ), ST_OK, "a valid request validates");
	ok(v[FLD_ID_CARTE].set && strcmp(v[FLD_ID_CARTE].s, "AB12") == 0, "idCarte is set");
	is_int(v[FLD_MONTANT].i, 150, "montant is 150 cents");
	ok(!v[FLD_QUANTITE].set, "quantite is absent");
	strcpy(body, "idCarte=&montant=1");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_ID_CARTE) | FB(FLD_MONTANT), FB(FLD_ID_CARTE), v, &champ),
	    ST_REQUETE_MALFORME, "an empty required value is missing");
	is_str(champ, "idCarte", "champ names it");
	strcpy(body, "idCarte=AB&montant=1&montant=2");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_ID_CARTE) | FB(FLD_MONTANT), 0, v, &champ),
	    ST_REQUETE_MALFORME, "a repeated parameter is malformed");
	is_str(champ, "montant", "champ names it");
	strcpy(body, "x=1&x=2&idCarte=AB");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_ID_CARTE), 0, v, &champ), ST_REQUETE_MALFORME,
	    "even an unknown parameter may not repeat");
	strcpy(body, "montant=abc");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_MONTANT), 0, v, &champ), ST_REQUETE_MALFORME,
	    "a malformed optional value is malformed");
	is_str(champ, "montant", "champ names it");
	strcpy(body, "montant=abc");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_ID_CARTE), 0, v, &champ), ST_OK,
	    "a parameter the route does not take is ignored");
	strcpy(body, "portee=lecture+flux");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_PORTEE), 0, v, &champ), ST_OK, "a portee validates");
	is_int(v[FLD_PORTEE].i, SCOPE_LECTURE | SCOPE_FLUX, "into its scope bits");
	strcpy(body, "portee=flux&portee=lecture");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_PORTEE), 0, v, &champ), ST_REQUETE_MALFORME,
	    "a portee given twice is malformed");
	is_str(champ, "portee", "champ names it");
	strcpy(body, "portee=flux%2C%2Clecture");
	form_parse(&p, body, strlen(body), &champ);
	is_int(field_validate(&p, FB(FLD_PORTEE), 0, v, &champ), ST_REQUETE_MALFORME,
	    "a portee with an empty item is malformed");
	is_str(champ, "portee", "champ names it");
}

int
main(void)
{
	test_money();
	test_shapes();
	test_portee();
	test_validate();
	return done_testing();
}
