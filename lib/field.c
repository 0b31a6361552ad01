/*
 * The wire parameters and their validators. A value that does not have its
 * type's exact shape, or an integer outside its type's range, is malformed:
 * never clamped. An amount is the one exception, since "too much" is a
 * business answer (montant_trop_eleve): beyond MONEY_MAX it reads as
 * MONEY_MAX, which is above any ceiling and so always refused.
 */
#include <string.h>
#include <strings.h>

#include "scope.h"
#include "field.h"

const struct field_def field_defs[FLD__MAX] = {
	[FLD_JETON]          = { .wire = "jeton", .type = FT_TOKEN },
	[FLD_LOGIN]          = { .wire = "login", .type = FT_LOGIN },
	[FLD_MDP]            = { .wire = "mdp", .type = FT_PASSWORD },
	[FLD_ID_CARTE]       = { .wire = "idCarte", .type = FT_CARD },
	[FLD_DROIT]          = { .wire = "droit", .type = FT_RIGHT },
	[FLD_SOLDE]          = { .wire = "solde", .type = FT_MONEY },
	[FLD_DECOUVERT]      = { .wire = "decouvert", .type = FT_BOOL },
	[FLD_MONTANT]        = { .wire = "montant", .type = FT_MONEY },
	[FLD_QUANTITE]       = { .wire = "quantite", .type = FT_QTY },
	[FLD_ID_TRANSACTION] = { .wire = "idTransaction", .type = FT_ID },
	[FLD_CLIENT]         = { .wire = "client", .type = FT_CARD },
	[FLD_UTILISATEUR]    = { .wire = "utilisateur", .type = FT_LOGIN },
	[FLD_LIMITE]         = { .wire = "limite", .type = FT_LIMIT },
	[FLD_APRES]          = { .wire = "apres", .type = FT_ID },
	[FLD_PRIX]           = { .wire = "prix", .type = FT_MONEY },
	[FLD_ID_REQUETE]     = { .wire = "idRequete", .type = FT_REQUEST_ID },
	[FLD_BEARER_TOKEN]   = { .wire = "bearer_token", .type = FT_TOKEN },
	[FLD_NOM]            = { .wire = "nom", .type = FT_NAME },
	[FLD_EXPIRATION]     = { .wire = "expiration", .type = FT_DAYS },
	[FLD_ID]             = { .wire = "id", .type = FT_ID },
	[FLD_REDIRECT_URI]   = { .wire = "redirect_uri", .type = FT_URI, .repeat = true },
	[FLD_CLIENT_ID]      = { .wire = "client_id", .type = FT_CLIENT_ID },
	[FLD_CLIENT_SECRET]  = { .wire = "client_secret", .type = FT_TOKEN },
	[FLD_RESPONSE_TYPE]  = { .wire = "response_type", .type = FT_TEXT },
	[FLD_SCOPE]          = { .wire = "scope", .type = FT_TEXT },
	[FLD_STATE]          = { .wire = "state", .type = FT_TEXT },
	[FLD_CODE_CHALLENGE] = { .wire = "code_challenge", .type = FT_PKCE },
	[FLD_CODE_CHALLENGE_METHOD] = { .wire = "code_challenge_method", .type = FT_TEXT },
	[FLD_CODE]           = { .wire = "code", .type = FT_TOKEN },
	[FLD_CODE_VERIFIER]  = { .wire = "code_verifier", .type = FT_PKCE },
	[FLD_GRANT_TYPE]     = { .wire = "grant_type", .type = FT_TEXT },
	[FLD_REFRESH_TOKEN]  = { .wire = "refresh_token", .type = FT_TOKEN },
	[FLD_TOKEN]          = { .wire = "token", .type = FT_TOKEN },
	[FLD_TOKEN_TYPE_HINT] = { .wire = "token_type_hint", .type = FT_TEXT },
	[FLD_DECISION]       = { .wire = "decision", .type = FT_TEXT },
	[FLD_CSRF]           = { .wire = "csrf", .type = FT_TOKEN },
	[FLD_DEPUIS]         = { .wire = "depuis", .type = FT_ID },
	[FLD_JUSQUA]         = { .wire = "jusqua", .type = FT_DATE },
	[FLD_PAS]            = { .wire = "pas", .type = FT_STEP },
	[FLD_TICKET]         = { .wire = "ticket", .type = FT_TOKEN },
	[FLD_TYPES]          = { .wire = "types", .type = FT_TEXT },
	[FLD_ORDRE]          = { .wire = "ordre", .type = FT_ORDER },
	[FLD_AVANT]          = { .wire = "avant", .type = FT_ID },
	[FLD_PORTEE]         = { .wire = "portee", .type = FT_SCOPES },
	[FLD_MOYEN]          = { .wire = "moyen", .type = FT_MEANS },
	[FLD_CAISSE]         = { .wire = "caisse", .type = FT_NAME },
	[FLD_FOND]           = { .wire = "fond", .type = FT_MONEY },
	[FLD_COMPTE]         = { .wire = "compte", .type = FT_MONEY },
	[FLD_PRODUITS]       = { .wire = "produits", .type = FT_BASKET },
	[FLD_CATEGORIE]      = { .wire = "categorie", .type = FT_NAME },
	[FLD_ACTIF]          = { .wire = "actif", .type = FT_BOOL },
	[FLD_RANG]           = { .wire = "ordre", .type = FT_RANK }, /* a route takes one "ordre" */
	[FLD_FORMAT]         = { .wire = "format", .type = FT_CSV },
	[FLD_HORS_LIGNE]     = { .wire = "horsLigne", .type = FT_DATE },
	[FLD_PLAFOND_CARTE]  = { .wire = "plafondCarte", .type = FT_MONEY },
	[FLD_PLAFOND_CAISSE] = { .wire = "plafondCaisse", .type = FT_MONEY },
	[FLD_DUREE_MAX]      = { .wire = "dureeMax", .type = FT_AGE },
	[FLD_MOTIF]          = { .wire = "motif", .type = FT_NAME },
	[FLD_NOUVELLE_CARTE] = { .wire = "nouvelleCarte", .type = FT_CARD },
	[FLD_CODE_CLIENT]    = { .wire = "code", .type = FT_NAME },
};

static int
charset(const char *s, size_t min, size_t max, const char *extra)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];

		if (n == max)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c && strchr(extra, c))))
			return 0;
	}
	return n >= min;
}

/* Decimal digits s[0..n) into *out; 0 if their value passes cap. */
static int
digits(const char *s, size_t n, int64_t cap, int64_t *out)
{
	int64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		if (v > (cap - (s[i] - '0')) / 10)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* A plain decimal integer within [min, max] ("-" only where min < 0, so that
 * "-0" is no count). */
static int
int_in(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int neg = *s == '-';
	size_t n;
	int64_t v;

	if (neg && min >= 0)
		return 0;
	s += neg;
	n = strspn(s, "0123456789");
	if (n == 0 || s[n] != '\0' || !digits(s, n, INT64_MAX, &v))
		return 0;
	if (neg)
		v = -v;
	if (v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

static int
parse_money(const char *s, int64_t *out)
{
	int neg = *s == '-';
	size_t n, f = 0;
	int64_t units, cents = 0;

	s += neg;
	n = strspn(s, "0123456789");
	if (n == 0)
		return 0;
	if (s[n] == '.' || s[n] == ',') {
		f = strspn(s + n + 1, "0123456789");
		if (f == 0 || f > 2 || s[n + 1 + f] != '\0')
			return 0;
		(void)digits(s + n + 1, f, 99, &cents);
		cents *= f == 1 ? 10 : 1;
	} else if (s[n] != '\0')
		return 0;
	if (!digits(s, n, MONEY_MAX / 100, &units))
		units = MONEY_MAX / 100; /* far beyond any ceiling: refused by the handler */
	units = units * 100 + cents;
	if (units > MONEY_MAX)
		units = MONEY_MAX;
	*out = neg ? -units : units;
	return 1;
}

/* UTF-8 (checked by the parser) of min..max bytes without control characters. */
static int
text(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n == max || (unsigned char)s[n] < 0x20 || s[n] == 0x7F)
			return 0;
	return n >= min;
}

/* An absolute https URL, or http to a loopback host (a native app or a
 * developer's machine); no fragment, no blanks (RFC 6749 3.1.2). */
static int
uri(const char *s)
{
	static const char *const loopback[] = { "http://localhost", "http://127.0.0.1",
	    "http://[::1]" };
	const char *rest = NULL;

	if (!text(s, 10, 512) || strpbrk(s, "# \\"))
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	for (size_t i = 0; !rest && i < 3; i++) {
		size_t n = strlen(loopback[i]);

		if (strncmp(s, loopback[i], n) == 0 && strchr(":/?", s[n] ? s[n] : '/'))
			rest = s + 7;
	}
	return rest && *rest && *rest != '/';
}

/* One of the n words of a table: its index. */
static int
word_in(const char *s, const char *const *words, size_t n, int64_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s, words[i]) == 0) {
			*out = (int64_t)i;
			return 1;
		}
	}
	return 0;
}

int
basket_parse(const char *s, struct basket *b)
{
	b->n = 0;
	do {
		struct basket_line *l = &b->line[b->n];
		size_t n = strspn(s, "0123456789");

		if (b->n == BASKET_MAX || n == 0 || n > 16 || s[n] != ':' ||
		    !digits(s, n, ID_MAX, &l->product) || l->product < 1)
			return 0;
		s += n + 1;
		n = strspn(s, "0123456789");
		if (n == 0 || n > 4 || (s[n] != ',' && s[n] != '\0') || !digits(s, n, 1000, &l->qty) ||
		    l->qty < 1)
			return 0;
		s += n;
		for (size_t i = 0; i < b->n; i++)
			if (b->line[i].product == l->product)
				return 0; /* each product once: its quantity says how many */
		b->n++;
	} while (*s++ == ',');
	return 1;
}

static int
parse_bool(const char *s, int64_t *out)
{
	static const char *const yes[] = { "true", "1", "vrai", "oui" };
	static const char *const no[] = { "false", "0", "faux", "non" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 1;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 1;
		}
	}
	return 0;
}

/* Case ignored, as for booleans. */
static int
parse_order(const char *s, int64_t *out)
{
	*out = strcasecmp(s, "recent") == 0;
	return *out || strcasecmp(s, "ancien") == 0;
}

int
field_parse(enum ftype t, const char *s, int64_t *out)
{
	size_t n;

	*out = 0;
	switch (t) {
	case FT_TOKEN:
		for (n = 0; s[n]; n++)
			if (n == 256 || s[n] < 0x21 || s[n] > 0x7E)
				return 0;
		return n > 0;
	case FT_LOGIN:
		return charset(s, 1, 30, "._-");
	case FT_PASSWORD:
		n = strlen(s);
		return n >= 1 && n <= 1024;
	case FT_CARD:
		return charset(s, 1, 32, "");
	case FT_RIGHT:
		return int_in(s, 0, 3, out);
	case FT_MONEY:
		return parse_money(s, out);
	case FT_BOOL:
		return parse_bool(s, out);
	case FT_QTY:
		return int_in(s, 1, 1000, out);
	case FT_ID:
		return int_in(s, 0, ID_MAX, out);
	case FT_LIMIT:
		return int_in(s, 1, 10000, out);
	case FT_DATE:
		return int_in(s, 0, ID_MAX, out);
	case FT_STEP:
		return int_in(s, 60, 86400, out);
	case FT_REQUEST_ID:
		return charset(s, 1, 64, "._:-");
	case FT_NAME:
		return text(s, 1, 64);
	case FT_TEXT:
		return text(s, 1, 512);
	case FT_DAYS:
		return int_in(s, 1, 3650, out);
	case FT_URI:
		return uri(s);
	case FT_CLIENT_ID:
		return charset(s, 1, 64, "_");
	case FT_PKCE:
		return charset(s, 43, 128, "._~-");
	case FT_ORDER:
		return parse_order(s, out);
	case FT_SCOPES: {
		unsigned bits;

		if (!scope_parse_portee(s, &bits))
			return 0;
		*out = bits;
		return 1;
	}
	case FT_MEANS:
		return word_in(s, means_words, MEANS__MAX, out);
	case FT_BASKET: {
		struct basket b;

		return basket_parse(s, &b);
	}
	case FT_RANK:
		return int_in(s, 0, 1000000, out);
	case FT_AGE:
		return int_in(s, 60, 604800, out);
	case FT_CSV:
		return word_in(s, csv_words, CSV__MAX, out);
	case FT__MAX:
		break;
	}
	return 0;
}

static int
repeatable(const char *name)
{
	for (int f = 0; f < FLD__MAX; f++)
		if (field_defs[f].repeat && strcmp(field_defs[f].wire, name) == 0)
			return 1;
	return 0;
}

size_t
field_values(const struct params *p, enum fld f, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].name, field_defs[f].wire) != 0 || !*p->v[i].value)
			continue;
		if (n < max)
			out[n] = p->v[i].value;
		n++;
	}
	return n;
}

enum status
field_validate(const struct params *p, uint64_t takes, uint64_t needs,
    struct value v[FLD__MAX], const char **champ)
{
	*champ = params_duplicate(p, repeatable);
	if (*champ)
		return ST_REQUETE_MALFORME;
	for (int f = 0; f < FLD__MAX; f++) {
		const struct param *pm;

		if (!(takes & FB(f)))
			continue;
		v[f].set = false;
		v[f].i = 0;
		v[f].s = NULL;
		pm = params_get(p, field_defs[f].wire);
		if (!pm || pm->value[0] == '\0') {
			if (needs & FB(f)) {
				*champ = field_defs[f].wire;
				return ST_REQUETE_MALFORME;
			}
			continue;
		}
		if ((pm->in_array && !field_defs[f].repeat) ||
		    !field_parse(field_defs[f].type, pm->value, &v[f].i)) {
			*champ = field_defs[f].wire;
			return ST_REQUETE_MALFORME;
		}
		if (field_defs[f].repeat) {
			/* Every other value must be well-formed too. */
			for (size_t i = 0; i < p->n; i++) {
				int64_t ignored;

				if (strcmp(p->v[i].name, field_defs[f].wire) == 0 && *p->v[i].value &&
				    !field_parse(field_defs[f].type, p->v[i].value, &ignored)) {
					*champ = field_defs[f].wire;
					return ST_REQUETE_MALFORME;
				}
			}
		}
		v[f].set = true;
		v[f].s = pm->value;
	}
	return ST_OK;
}

size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}
