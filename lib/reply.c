/*
 * The wire vocabulary: status words with their HTTP codes, JSON key names, and the
 * json-c adders the handlers use. Money goes out through json_object_new_double_s
 * so the number json-c prints is exactly the decimal text we computed from cents.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "reply.h"

const struct status_def status_defs[ST__MAX] = {
	[ST_OK]                        = { "ok", 200, "OK" },
	[ST_REQUETE_MALFORME]          = { "requete_malforme", 200, "OK" },
	[ST_REQUETE_INCONNUE]          = { "requete_inconnue", 404, "Not Found" },
	[ST_REQUETE_TROP_GRANDE]       = { "requete_trop_grande", 413, "Payload Too Large" },
	[ST_METHODE_NON_AUTORISEE]     = { "methode_non_autorisee", 405, "Method Not Allowed" },
	[ST_ERREUR_BDD]                = { "erreur_bdd", 200, "OK" },
	[ST_ERREUR_GENERIQUE]          = { "erreur_generique", 500, "Internal Server Error" },
	[ST_JETON_INVALIDE]            = { "jeton_invalide", 200, "OK" },
	[ST_DROITS_INSUFFISANTS]       = { "droits_insuffisants", 200, "OK" },
	[ST_IDENTIFIANTS_INVALIDES]    = { "identifiants_invalides", 200, "OK" },
	[ST_CARTE_INCONNUE]            = { "carte_inconnue", 200, "OK" },
	[ST_TROP_DE_TENTATIVES]        = { "trop_de_tentatives", 200, "OK" },
	[ST_UTILISATEUR_INCONNU]       = { "utilisateur_inconnu", 200, "OK" },
	[ST_UTILISATEUR_EXISTANT]      = { "utilisateur_existant", 200, "OK" },
	[ST_MDP_TROP_COURT]            = { "mdp_trop_court", 200, "OK" },
	[ST_CARTE_UTILISEE]            = { "carte_utilisee", 200, "OK" },
	[ST_DERNIER_PRESIDENT]         = { "dernier_president", 200, "OK" },
	[ST_CLIENT_EXISTANT]           = { "client_existant", 200, "OK" },
	[ST_CLIENT_INCONNU]            = { "client_inconnu", 200, "OK" },
	[ST_SOLDE_NEGATIF]             = { "solde_negatif", 200, "OK" },
	[ST_SOLDE_INSUFFISANT]         = { "solde_insuffisant", 200, "OK" },
	[ST_RECHARGEMENT_NEGATIF]      = { "rechargement_negatif", 200, "OK" },
	[ST_PAIEMENT_NEGATIF]          = { "paiement_negatif", 200, "OK" },
	[ST_PRODUIT_INCONNU]           = { "produit_inconnu", 200, "OK" },
	[ST_MONTANT_TROP_ELEVE]        = { "montant_trop_eleve", 200, "OK" },
	[ST_TRANSACTION_INCONNUE]      = { "transaction_inconnue", 200, "OK" },
	[ST_TRANSACTIONS_DEJA_ANNULEE] = { "transactions_deja_annulee", 200, "OK" },
	[ST_TRANSACTIONS_DEJA_ACTIVE]  = { "transactions_deja_active", 200, "OK" },
	[ST_TRANSACTION_EXPIREE]       = { "transaction_expiree", 200, "OK" },
	[ST_TRANSACTION_AUTRE]         = { "transaction_autre", 200, "OK" },
	[ST_CLE_INCONNUE]              = { "cle_inconnue", 200, "OK" },
	[ST_APPLICATION_INCONNUE]      = { "application_inconnue", 200, "OK" },
	[ST_VERROU_INCONNU]            = { "verrou_inconnu", 200, "OK" },
	[ST_TROP_DE_CONNEXIONS]        = { "trop_de_connexions", 429, "Too Many Requests" },
	[ST_SERVICE_OUVERT]            = { "service_ouvert", 200, "OK" },
	[ST_SERVICE_INCONNU]           = { "service_inconnu", 200, "OK" },
	[ST_SERVICE_FERME]             = { "service_ferme", 200, "OK" },
	[ST_HORSLIGNE_EXPIRE]          = { "horsligne_expire", 200, "OK" },
	[ST_CARTE_BLOQUEE]             = { "carte_bloquee", 200, "OK" },
};

const char *const key_names[K__MAX] = {
	[K_STATUS]          = "status",
	[K_CHAMP]           = "champ",
	[K_RAISON]          = "raison",
	[K_ATTENTE]         = "attente",
	[K_VERSION]         = "version",
	[K_BASE]            = "base",
	[K_JETON]           = "jeton",
	[K_LOGIN]           = "login",
	[K_DROIT]           = "droit",
	[K_ID_CARTE]        = "idCarte",
	[K_UTILISATEURS]    = "utilisateurs",
	[K_TRANSACTIONS]    = "transactions",
	[K_SUIVANT]         = "suivant",
	[K_ID_TRANSACTION]  = "idTransaction",
	[K_SOLDE]           = "solde",
	[K_SOLDE_ANCIEN]    = "soldeAncien",
	[K_SOLDE_NOUVEAU]   = "soldeNouveau",
	[K_MONTANT]         = "montant",
	[K_MANQUE]          = "manque",
	[K_DECOUVERT]       = "decouvert",
	[K_CLIENTS]         = "clients",
	[K_CLIENT]          = "client",
	[K_UTILISATEUR]     = "utilisateur",
	[K_PRIX]            = "prix",
	[K_QUANTITE]        = "quantite",
	[K_RECETTES]        = "recettes",
	[K_DETTES]          = "dettes",
	[K_BENEFICES]       = "benefices",
	[K_CLIENTS_NB]      = "clientsNb",
	[K_CONSOMMATIONS_NB] = "consommationsNb",
	[K_SOLDE_MOY]       = "soldeMoy",
	[K_FACTURE_BDE]     = "factureBDE",
	[K_REQUETE]         = "requete",
	[K_ERROR]           = "error",
	[K_CODE]            = "code",
	[K_MESSAGE]         = "message",
	[K_CLE]             = "cle",
	[K_CLES]            = "cles",
	[K_PREFIXE]         = "prefixe",
	[K_NOM]             = "nom",
	[K_CREATION]        = "creation",
	[K_DERNIERE_UTILISATION] = "derniereUtilisation",
	[K_UTILISATIONS]    = "utilisations",
	[K_EXPIRATION]      = "expiration",
	[K_DEPUIS]          = "depuis",
	[K_PROPRIETAIRE]    = "proprietaire",
	[K_PORTEE]          = "portee",
	[K_REVOQUE]         = "revoque",
	[K_SESSIONS]        = "sessions",
	[K_OAUTH]           = "oauth",
	[K_APPS]            = "apps",
	[K_CLIENT_ID]       = "client_id",
	[K_CLIENT_SECRET]   = "client_secret",
	[K_REDIRECT_URI]    = "redirect_uri",
	[K_SCOPE]           = "scope",
	[K_USER]            = "user",
	[K_ERROR_DESCRIPTION] = "error_description",
	[K_ACCESS_TOKEN]    = "access_token",
	[K_TOKEN_TYPE]      = "token_type",
	[K_EXPIRES_IN]      = "expires_in",
	[K_REFRESH_TOKEN]   = "refresh_token",
	[K_ISSUER]          = "issuer",
	[K_AUTHORIZATION_ENDPOINT] = "authorization_endpoint",
	[K_TOKEN_ENDPOINT]  = "token_endpoint",
	[K_REVOCATION_ENDPOINT] = "revocation_endpoint",
	[K_RESPONSE_TYPES_SUPPORTED] = "response_types_supported",
	[K_GRANT_TYPES_SUPPORTED] = "grant_types_supported",
	[K_CODE_CHALLENGE_METHODS_SUPPORTED] = "code_challenge_methods_supported",
	[K_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED] = "token_endpoint_auth_methods_supported",
	[K_REVOCATION_ENDPOINT_AUTH_METHODS_SUPPORTED] = "revocation_endpoint_auth_methods_supported",
	[K_SCOPES_SUPPORTED] = "scopes_supported",
	[K_ID]              = "id",
	[K_TYPE]            = "type",
	[K_DATE]            = "date",
	[K_QTE]             = "qte",
	[K_VALIDE]          = "valide",
	[K_VERROUS]         = "verrous",
	[K_ADRESSE]         = "adresse",
	[K_ECHECS]          = "echecs",
	[K_JUSQUA]          = "jusqua",
	[K_SERIE]           = "serie",
	[K_DEBUT]           = "debut",
	[K_CONSOMMATIONS]   = "consommations",
	[K_RECHARGEMENTS]   = "rechargements",
	[K_FENETRE_ANNULATION] = "fenetreAnnulation",
	[K_TICKET]          = "ticket",
	[K_PAR]             = "par",
	[K_MOYEN]           = "moyen",
	[K_SERVICE]         = "service",
	[K_LIGNES]          = "lignes",
	[K_PRODUIT]         = "produit",
	[K_PRODUITS]        = "produits",
	[K_CATEGORIE]       = "categorie",
	[K_ACTIF]           = "actif",
	[K_ORDRE]           = "ordre",
	[K_SERVICES]        = "services",
	[K_CAISSE]          = "caisse",
	[K_OUVERTURE]       = "ouverture",
	[K_FERMETURE]       = "fermeture",
	[K_FOND]            = "fond",
	[K_ATTENDU]         = "attendu",
	[K_COMPTE]          = "compte",
	[K_ECART]           = "ecart",
	[K_TOTAUX]          = "totaux",
	[K_MODIFIE]         = "modifie",
	[K_ATTENDU_FERMETURE] = "attenduFermeture",
	[K_RECHARGEMENTS_PAR_MOYEN] = "rechargementsParMoyen",
	[K_OFFERT]          = "offert",
	[K_HORS_LIGNE]      = "horsLigne",
	[K_RECU]            = "recu",
	[K_DETTE]           = "dette",
	[K_SIGNALEE]        = "signalee",
	[K_PLAFOND_CARTE]   = "plafondCarte",
	[K_PLAFOND_CAISSE]  = "plafondCaisse",
	[K_DUREE_MAX]       = "dureeMax",
	[K_BLOQUEES]        = "bloquees",
	[K_MAINTENANT]      = "maintenant",
	[K_CARTES]          = "cartes",
	[K_VENTES]          = "ventes",
	[K_MOTIFS]          = "motifs",
	[K_BLOQUEE]         = "bloquee",
	[K_REMPLACEE_PAR]   = "remplaceePar",
	[K_NOUVELLE_CARTE]  = "nouvelleCarte",
	[K_CODE_CLIENT]     = "codeClient",
	[K_MOTIF]           = "motif",
};

const char *const means_words[MEANS__MAX] = {
	[MEANS_ESPECES]  = "especes",
	[MEANS_CARTE]    = "carte",
	[MEANS_VIREMENT] = "virement",
	[MEANS_OFFERT]   = "offert",
};

const char *const csv_words[CSV__MAX] = {
	[CSV_FR]      = "fr",
	[CSV_RFC4180] = "rfc4180",
};

const char *const tx_type_words[TX_TYPE_WORDS] = {
	[1] = "creation",
	[2] = "rechargement",
	[3] = "paiement",
	[4] = "vidange",
	[5] = "ajustement",
};

/* "00" to "99": integers are written two digits at a time. */
static const char digit_pairs[200] = {
	'0','0','0','1','0','2','0','3','0','4','0','5','0','6','0','7','0','8','0','9',
	'1','0','1','1','1','2','1','3','1','4','1','5','1','6','1','7','1','8','1','9',
	'2','0','2','1','2','2','2','3','2','4','2','5','2','6','2','7','2','8','2','9',
	'3','0','3','1','3','2','3','3','3','4','3','5','3','6','3','7','3','8','3','9',
	'4','0','4','1','4','2','4','3','4','4','4','5','4','6','4','7','4','8','4','9',
	'5','0','5','1','5','2','5','3','5','4','5','5','5','6','5','7','5','8','5','9',
	'6','0','6','1','6','2','6','3','6','4','6','5','6','6','6','7','6','8','6','9',
	'7','0','7','1','7','2','7','3','7','4','7','5','7','6','7','7','7','8','7','9',
	'8','0','8','1','8','2','8','3','8','4','8','5','8','6','8','7','8','8','8','9',
	'9','0','9','1','9','2','9','3','9','4','9','5','9','6','9','7','9','8','9','9',
};

static size_t
digits(uint64_t v)
{
	size_t n = 1;

	for (; v >= 10000; v /= 10000)
		n += 4;
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* Writes the decimal digits of v at p; returns their end. */
static char *
put_u64(char *p, uint64_t v)
{
	size_t n = digits(v);
	char *end = p + n, *q = end;

	while (v >= 100) {
		unsigned pair = (unsigned)(v % 100) * 2;

		v /= 100;
		*--q = digit_pairs[pair + 1];
		*--q = digit_pairs[pair];
	}
	if (v >= 10) {
		*--q = digit_pairs[v * 2 + 1];
		*--q = digit_pairs[v * 2];
	} else
		*--q = (char)('0' + v);
	return end;
}

char *
put_int(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v); /* INT64_MIN too */
	}
	return put_u64(p, (uint64_t)v);
}

char *
put_money(char *p, int64_t cents)
{
	/* Work on the magnitude as unsigned so INT64_MIN cannot overflow. */
	uint64_t m = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	unsigned frac = (unsigned)(m % 100);

	if (cents < 0)
		*p++ = '-';
	p = put_u64(p, m / 100);
	if (frac) {
		*p++ = '.';
		*p++ = digit_pairs[frac * 2];
		if (frac % 10)
			*p++ = digit_pairs[frac * 2 + 1];
	}
	return p;
}

char *
put_bool(char *p, bool v)
{
	memcpy(p, v ? "true" : "false", 5);
	return p + (v ? 4 : 5);
}

/* Bytes that JSON strings escape: ", \ and the control characters. */
static bool
escaped(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

char *
put_str(char *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	*p++ = '"';
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!escaped(c))
			*p++ = (char)c;
		else if (c >= 0x20) {
			*p++ = '\\';
			*p++ = (char)c;
		} else {
			memcpy(p, "\\u00", 4);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 15];
			p += 6;
		}
	}
	*p++ = '"';
	return p;
}

void
row_shape_init(struct row_shape *s, const enum key *keys, size_t n)
{
	assert(n <= ROW_SHAPE_KEYS);
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		const char *name = key_names[keys[i]];
		size_t len = strlen(name);

		assert(len + 4 < ROW_KEY_TEXT);
		s->key[i].text[0] = i ? ',' : '{';
		s->key[i].text[1] = '"';
		memcpy(s->key[i].text + 2, name, len);
		memcpy(s->key[i].text + 2 + len, "\":", 2);
		s->key[i].len = len + 4;
	}
	s->n = n;
}

char *
money_format(int64_t cents, char *buf)
{
	*put_money(buf, cents) = '\0';
	return buf;
}

void
row_raw(struct row *b, const char *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

void
row_key(struct row *b, enum key k)
{
	const char *name = key_names[k];

	row_raw(b, b->n ? ",\"" : "{\"", 2);
	row_raw(b, name, strlen(name));
	row_raw(b, "\":", 2);
}

void
row_int(struct row *b, enum key k, int64_t v)
{
	char num[24];
	size_t n;

	row_key(b, k);
	n = (size_t)(put_int(num, v) - num);
	row_raw(b, num, n);
}

void
row_money(struct row *b, enum key k, int64_t cents)
{
	char m[MONEY_BUF];

	row_key(b, k);
	money_format(cents, m);
	row_raw(b, m, strlen(m));
}

/* The length of s as a JSON string, quotes included: what put_str writes. */
static size_t
str_len(const char *s)
{
	size_t n = 2;

	for (; *s; s++)
		n += !escaped((unsigned char)*s) ? 1 : (unsigned char)*s >= 0x20 ? 2 : 6;
	return n;
}

void
row_str(struct row *b, enum key k, const char *s)
{
	row_key(b, k);
	if (!s) {
		row_raw(b, "null", 4);
		return;
	}
	if (b->full || b->n + str_len(s) > b->cap) {
		b->full = true;
		return;
	}
	b->n = (size_t)(put_str(b->p + b->n, s, strlen(s)) - b->p);
	assert(b->n <= b->cap);
}

void
row_money_words(struct row *b, enum key k, const char *const *words, const int64_t *cents,
    size_t n)
{
	row_key(b, k);
	for (size_t i = 0; i < n; i++) {
		char m[MONEY_BUF];

		row_raw(b, i ? ",\"" : "{\"", 2);
		row_raw(b, words[i], strlen(words[i]));
		row_raw(b, "\":", 2);
		money_format(cents[i], m);
		row_raw(b, m, strlen(m));
	}
	row_raw(b, n ? "}" : "{}", n ? 1 : 2);
}

void
row_bool(struct row *b, enum key k, bool v)
{
	row_key(b, k);
	row_raw(b, v ? "true" : "false", v ? 4 : 5);
}

int
row_end(struct row *b)
{
	row_raw(b, "}", 1);
	return b->full ? -1 : (int)b->n;
}

static void
add(json_object *o, enum key k, json_object *v)
{
	json_object_object_add_ex(o, key_names[k], v, JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

void
reply_int(json_object *o, enum key k, int64_t v)
{
	add(o, k, json_object_new_int64(v));
}

json_object *
reply_money_new(int64_t cents)
{
	char buf[MONEY_BUF];

	money_format(cents, buf);
	return json_object_new_double_s((double)cents / 100.0, buf);
}

void
reply_money(json_object *o, enum key k, int64_t cents)
{
	add(o, k, reply_money_new(cents));
}

void
reply_object(json_object *o, enum key k, json_object *v)
{
	add(o, k, v);
}

void
reply_str(json_object *o, enum key k, const char *s)
{
	add(o, k, s ? json_object_new_string(s) : NULL);
}

void
reply_bool(json_object *o, enum key k, bool v)
{
	add(o, k, json_object_new_boolean(v));
}

json_object *
reply_array(json_object *o, enum key k)
{
	json_object *a = json_object_new_array();

	add(o, k, a);
	return a;
}

json_object *
reply_push_object(json_object *a)
{
	json_object *e = json_object_new_object();

	json_object_array_add(a, e);
	return e;
}
