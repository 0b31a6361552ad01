/*
 * Field validation: every wire parameter the API knows, its type, and one function
 * that checks a request's parameters against a route's declaration and turns them
 * into typed values. Handlers read req->v[FLD_...], never raw strings.
 */
#ifndef TENP5_FIELD_H
#define TENP5_FIELD_H

#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "reply.h"

enum fld {
	FLD_JETON,
	FLD_LOGIN,
	FLD_MDP,
	FLD_ID_CARTE,
	FLD_DROIT,
	FLD_SOLDE,
	FLD_DECOUVERT,
	FLD_MONTANT,
	FLD_QUANTITE,
	FLD_ID_TRANSACTION,
	FLD_CLIENT,
	FLD_UTILISATEUR,
	FLD_LIMITE,
	FLD_APRES,
	FLD_PRIX,
	FLD_ID_REQUETE,
	FLD_BEARER_TOKEN,
	/* API keys and OAuth applications */
	FLD_NOM,
	FLD_EXPIRATION,
	FLD_ID,
	FLD_REDIRECT_URI,
	FLD_CLIENT_ID,
	/* the OAuth endpoints (RFC 6749, 7009, 7636 names) */
	FLD_CLIENT_SECRET,
	FLD_RESPONSE_TYPE,
	FLD_SCOPE,
	FLD_STATE,
	FLD_CODE_CHALLENGE,
	FLD_CODE_CHALLENGE_METHOD,
	FLD_CODE,
	FLD_CODE_VERIFIER,
	FLD_GRANT_TYPE,
	FLD_REFRESH_TOKEN,
	FLD_TOKEN,
	FLD_TOKEN_TYPE_HINT,
	FLD_DECISION,
	FLD_CSRF,
	/* statistiques' series, and the feed's resume point */
	FLD_DEPUIS,
	FLD_JUSQUA,
	FLD_PAS,
	/* the live feed */
	FLD_TICKET,
	FLD_TYPES,
	/* lists, newest first */
	FLD_ORDRE,
	FLD_AVANT,
	/* an API key's scopes */
	FLD_PORTEE,
	/* the treasurer: means, shifts, the catalogue, exports */
	FLD_MOYEN,
	FLD_CAISSE,
	FLD_FOND,
	FLD_COMPTE,
	FLD_PRODUITS,
	FLD_CATEGORIE,
	FLD_ACTIF,
	FLD_RANG,      /* a product's place in the till: "ordre" too, a number there */
	FLD_FORMAT,
	/* selling offline */
	FLD_HORS_LIGNE,
	FLD_PLAFOND_CARTE,
	FLD_PLAFOND_CAISSE,
	FLD_DUREE_MAX,
	/* card holders */
	FLD_MOTIF,
	FLD_NOUVELLE_CARTE,
	FLD_CODE_CLIENT,   /* a holder code as typed ("code" of area moi) */
	FLD__MAX
};

#define FB(f) ((uint64_t)1 << (f)) /* a field's bit in a route's mask */
_Static_assert(FLD__MAX <= 64, "a route's masks hold every field");

/* Integers travel as JSON numbers: ids and dates stay exact in every client
 * (2^53 - 1, JavaScript's largest safe integer). */
#define ID_MAX ((int64_t)9007199254740991)
/* The largest amount read, in cents: 10^15 euros, far above any ceiling. */
#define MONEY_MAX ((int64_t)100000000000000000)

enum ftype {
	FT_TOKEN,      /* 1-256 printable ASCII characters */
	FT_LOGIN,      /* 1-30 of [A-Za-z0-9._-] */
	FT_PASSWORD,   /* 1-1024 bytes of UTF-8 */
	FT_CARD,       /* 1-32 of [A-Za-z0-9] */
	FT_RIGHT,      /* 0..3 */
	FT_MONEY,      /* decimal with "." or ",", at most 2 decimals -> cents; beyond
	                  MONEY_MAX it reads as MONEY_MAX, which every handler refuses
	                  as montant_trop_eleve (the ceiling is far below) */
	FT_BOOL,       /* true/1/vrai/oui, false/0/faux/non */
	FT_QTY,        /* a count of drinks: 1..1000 */
	FT_ID,         /* a row id: 0..ID_MAX */
	FT_LIMIT,      /* 1..10000 */
	FT_DATE,       /* ms since the epoch: 0..ID_MAX */
	FT_STEP,       /* a bucket width in seconds: 60..86400 */
	FT_REQUEST_ID, /* 1-64 of [A-Za-z0-9._:-] */
	FT_NAME,       /* 1-64 bytes of UTF-8 without control characters */
	FT_TEXT,       /* 1-512 bytes of UTF-8 without control characters */
	FT_DAYS,       /* 1..3650 */
	FT_URI,        /* an https URL, or http to a loopback host; no fragment */
	FT_CLIENT_ID,  /* 1-64 of [A-Za-z0-9_] */
	FT_PKCE,       /* 43-128 of [A-Za-z0-9._~-] (RFC 7636) */
	FT_ORDER,      /* a list's order: ancien (0, oldest first) or recent (1) */
	FT_SCOPES,     /* scope words, each once, separated by " ", "," or ", " (see
	                  scope_parse_portee) -> their enum scope bits */
	FT_MEANS,      /* a word of means_words: its enum means */
	FT_BASKET,     /* id:qte,id:qte...: see basket_parse */
	FT_RANK,       /* a product's place: 0..1000000 */
	FT_AGE,        /* how long an offline sale may wait, in seconds: 60..604800 */
	FT_CSV,        /* a word of csv_words: its enum csv_format */
	FT__MAX
};

struct field_def {
	const char *wire;
	enum ftype type;
	bool repeat;   /* may be given several times (each value is validated) */
};
extern const struct field_def field_defs[FLD__MAX];

struct value {
	bool set;
	int64_t i;     /* the number of the numeric types (cents for FT_MONEY, 0/1 for FT_BOOL) */
	const char *s; /* the text as received (all types) */
};

/* Checks p against a route that takes the fields in `takes` and needs those in
 * `needs`; fills v for those fields only (others are left as they are). Returns ST_OK or ST_REQUETE_MALFORME with *champ set to the
 * wire name at fault (NULL if it has none). Parameters not in `takes` are
 * ignored, except that no parameter may be given twice. */
enum status field_validate(const struct params *p, uint64_t takes, uint64_t needs,
    struct value v[FLD__MAX], const char **champ);

/* Copies up to max values of a repeatable field into out; returns how many
 * the request holds. */
size_t field_values(const struct params *p, enum fld f, const char **out, size_t max);

/* Parses one value of type t into *out. Returns 1 if well-formed, else 0. */
int field_parse(enum ftype t, const char *s, int64_t *out);

/* A basket (client/payer's produits): at most BASKET_MAX lines of a
 * product id (1..ID_MAX) and a quantity (1..1000), "id:qte,id:qte...", each
 * product once. */
#define BASKET_MAX 100
struct basket {
	size_t n;
	struct basket_line {
		int64_t product;
		int64_t qty;
	} line[BASKET_MAX];
};

/* Parses s into *b. Returns 1 if it is a basket as above, else 0. */
int basket_parse(const char *s, struct basket *b);

/* Number of Unicode code points in the UTF-8 string s. */
size_t utf8_length(const char *s);

#endif
