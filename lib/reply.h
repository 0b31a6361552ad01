/*
 * Replies: the status table (enum -> French wire word -> HTTP code), the table of
 * JSON keys, and small json-c helpers that write money without float noise.
 * The French words of the wire live in reply.c only; logic uses the enums.
 */
#ifndef TENP5_REPLY_H
#define TENP5_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <json-c/json.h>

enum status {
	ST_OK,
	ST_REQUETE_MALFORME,
	ST_REQUETE_INCONNUE,
	ST_REQUETE_TROP_GRANDE,
	ST_METHODE_NON_AUTORISEE,
	ST_ERREUR_BDD,
	ST_ERREUR_GENERIQUE,
	ST_JETON_INVALIDE,
	ST_DROITS_INSUFFISANTS,
	ST_IDENTIFIANTS_INVALIDES,
	ST_CARTE_INCONNUE,
	ST_TROP_DE_TENTATIVES,
	ST_UTILISATEUR_INCONNU,
	ST_UTILISATEUR_EXISTANT,
	ST_MDP_TROP_COURT,
	ST_CARTE_UTILISEE,
	ST_DERNIER_PRESIDENT,
	ST_CLIENT_EXISTANT,
	ST_CLIENT_INCONNU,
	ST_SOLDE_NEGATIF,
	ST_SOLDE_INSUFFISANT,
	ST_RECHARGEMENT_NEGATIF,
	ST_PAIEMENT_NEGATIF,
	ST_PRODUIT_INCONNU,
	ST_MONTANT_TROP_ELEVE,
	ST_TRANSACTION_INCONNUE,
	ST_TRANSACTIONS_DEJA_ANNULEE,
	ST_TRANSACTIONS_DEJA_ACTIVE,
	ST_TRANSACTION_EXPIREE,
	ST_TRANSACTION_AUTRE,
	ST_CLE_INCONNUE,
	ST_APPLICATION_INCONNUE,
	ST_VERROU_INCONNU,
	ST_TROP_DE_CONNEXIONS,
	ST_SERVICE_OUVERT,
	ST_SERVICE_INCONNU,
	ST_SERVICE_FERME,
	ST_HORSLIGNE_EXPIRE,
	ST_CARTE_BLOQUEE,
	ST__MAX
};

struct status_def {
	const char *word; /* the wire word */
	int http;         /* HTTP code when the credential came as a parameter */
	const char *reason; /* HTTP reason phrase for that code */
};
extern const struct status_def status_defs[ST__MAX];

/* Keys of the JSON replies. */
enum key {
	K_STATUS,
	K_CHAMP,
	K_RAISON,
	K_ATTENTE,
	K_VERSION,
	K_BASE,
	K_JETON,
	K_LOGIN,
	K_DROIT,
	K_ID_CARTE,
	K_UTILISATEURS,
	K_TRANSACTIONS,
	K_SUIVANT,
	K_ID_TRANSACTION,
	K_SOLDE,
	K_SOLDE_ANCIEN,
	K_SOLDE_NOUVEAU,
	K_MONTANT,
	K_MANQUE,
	K_DECOUVERT,
	K_CLIENTS,
	K_CLIENT,
	K_UTILISATEUR,
	K_PRIX,
	K_QUANTITE,
	K_RECETTES,
	K_DETTES,
	K_BENEFICES,
	K_CLIENTS_NB,
	K_CONSOMMATIONS_NB,
	K_SOLDE_MOY,
	K_FACTURE_BDE,
	K_REQUETE,
	K_ERROR,
	K_CODE,
	K_MESSAGE,
	K_CLE,
	K_CLES,
	K_PREFIXE,
	K_NOM,
	K_CREATION,
	K_DERNIERE_UTILISATION,
	K_UTILISATIONS,
	K_EXPIRATION,
	K_DEPUIS,
	K_PROPRIETAIRE,
	K_PORTEE,
	K_REVOQUE,
	K_SESSIONS,
	K_OAUTH,
	K_APPS,
	K_CLIENT_ID,
	K_CLIENT_SECRET,
	K_REDIRECT_URI,
	K_SCOPE,
	K_USER,
	K_ERROR_DESCRIPTION,
	K_ACCESS_TOKEN,
	K_TOKEN_TYPE,
	K_EXPIRES_IN,
	K_REFRESH_TOKEN,
	K_ISSUER,
	K_AUTHORIZATION_ENDPOINT,
	K_TOKEN_ENDPOINT,
	K_REVOCATION_ENDPOINT,
	K_RESPONSE_TYPES_SUPPORTED,
	K_GRANT_TYPES_SUPPORTED,
	K_CODE_CHALLENGE_METHODS_SUPPORTED,
	K_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
	K_REVOCATION_ENDPOINT_AUTH_METHODS_SUPPORTED,
	K_SCOPES_SUPPORTED,
	/* transaction objects */
	K_ID,
	K_TYPE,
	K_DATE,
	K_QTE,
	K_VALIDE,
	/* the login limiter's lock-outs */
	K_VERROUS,
	K_ADRESSE,
	K_ECHECS,
	K_JUSQUA,
	/* statistiques' series */
	K_SERIE,
	K_DEBUT,
	K_CONSOMMATIONS,
	K_RECHARGEMENTS,
	K_FENETRE_ANNULATION,
	/* the live feed */
	K_TICKET,
	K_PAR,
	/* the treasurer */
	K_MOYEN,
	K_SERVICE,
	K_LIGNES,
	K_PRODUIT,
	K_PRODUITS,
	K_CATEGORIE,
	K_ACTIF,
	K_ORDRE,
	K_SERVICES,
	K_CAISSE,
	K_OUVERTURE,
	K_FERMETURE,
	K_FOND,
	K_ATTENDU,
	K_COMPTE,
	K_ECART,
	K_TOTAUX,
	K_MODIFIE,
	K_ATTENDU_FERMETURE,
	K_RECHARGEMENTS_PAR_MOYEN,
	K_OFFERT,
	/* selling offline */
	K_HORS_LIGNE,
	K_RECU,
	K_DETTE,
	K_SIGNALEE,
	K_PLAFOND_CARTE,
	K_PLAFOND_CAISSE,
	K_DUREE_MAX,
	K_BLOQUEES,
	K_MAINTENANT,
	K_CARTES,
	K_VENTES,
	K_MOTIFS,
	/* card holders */
	K_BLOQUEE,
	K_REMPLACEE_PAR,
	K_NOUVELLE_CARTE,
	K_CODE_CLIENT,
	K_MOTIF,
	K__MAX
};
extern const char *const key_names[K__MAX];

/* Means of payment of top-ups, openings and emptyings (the wire's moyen, the
 * ledger's means column). The words also name the keys of the totals per
 * means. */
enum means {
	MEANS_ESPECES,   /* cash: the default */
	MEANS_CARTE,     /* the bank-card terminal */
	MEANS_VIREMENT,  /* a bank transfer */
	MEANS_OFFERT,    /* credit given free */
	MEANS__MAX
};
extern const char *const means_words[MEANS__MAX];

/* The two shapes of an export (the wire's format). */
enum csv_format {
	CSV_FR,          /* ";", decimal comma, a byte-order mark: the default */
	CSV_RFC4180,     /* ",", decimal point */
	CSV__MAX
};
extern const char *const csv_words[CSV__MAX];

/* Transaction types as words (the exports), by type number; NULL where none. */
#define TX_TYPE_WORDS 6
extern const char *const tx_type_words[TX_TYPE_WORDS];

/* Money: integer cents written as a JSON number with at most two decimals.
 * money_format writes into buf (at least MONEY_BUF bytes) and returns buf. */
#define MONEY_BUF 32
char *money_format(int64_t cents, char *buf);

/* Adders: each adds key k to object o; json-c takes the new value.
 * reply_str with s == NULL adds JSON null. */
void reply_int(json_object *o, enum key k, int64_t v);
void reply_money(json_object *o, enum key k, int64_t cents);
void reply_str(json_object *o, enum key k, const char *s);
void reply_bool(json_object *o, enum key k, bool v);
/* Adds v (taken) under k. */
void reply_object(json_object *o, enum key k, json_object *v);
/* A new JSON number of cents, written as reply_money writes it. */
json_object *reply_money_new(int64_t cents);
/* Adds an empty array under k and returns it (owned by o). */
json_object *reply_array(json_object *o, enum key k);
/* Appends a new empty object to array a and returns it (owned by a). */
json_object *reply_push_object(json_object *a);

/* Rows of streamed lists, written by hand for speed (a long history is tens
 * of thousands of them): start with struct row r = { buf, 0, cap, false },
 * add fields, and row_end returns the length, or -1 if it did not fit. */
struct row {
	char *p;
	size_t n, cap;
	bool full;
};
void row_raw(struct row *b, const char *s, size_t n);
void row_key(struct row *b, enum key k);
void row_int(struct row *b, enum key k, int64_t v);
void row_money(struct row *b, enum key k, int64_t cents);
void row_str(struct row *b, enum key k, const char *s); /* NULL writes null */
void row_bool(struct row *b, enum key k, bool v);
/* k: an object of n money values, each named by its word (words[i]: cents[i]);
 * words are plain names that JSON strings need not escape. */
void row_money_words(struct row *b, enum key k, const char *const *words, const int64_t *cents,
    size_t n);
int row_end(struct row *b);


/* The fastest rows (a history of a hundred thousand of them): a row's keys
 * made once into the text before each value, and writers that put a value at
 * p without checking room and return its end. The caller makes sure the
 * longest text fits: each key's text is copied ROW_KEY_TEXT bytes at a time,
 * and values are at most PUT_INT_MAX, PUT_MONEY_MAX, PUT_BOOL_MAX and
 * PUT_STR_MAX(n) bytes. The text is the same as the row_* writers'. */
#define ROW_KEY_TEXT 32
#define ROW_SHAPE_KEYS 12
struct row_shape {
	size_t n;
	struct {
		char text[ROW_KEY_TEXT]; /* {"key": for the first, ,"key": after */
		size_t len;
	} key[ROW_SHAPE_KEYS];
};
/* Makes s from n (at most ROW_SHAPE_KEYS) keys, whose names are short. */
void row_shape_init(struct row_shape *s, const enum key *keys, size_t n);

static inline char *
put_key(char *p, const struct row_shape *s, size_t i)
{
	memcpy(p, s->key[i].text, ROW_KEY_TEXT); /* a fixed size copies fastest */
	return p + s->key[i].len;
}

#define PUT_INT_MAX 20      /* -9223372036854775808 */
#define PUT_MONEY_MAX 21    /* -92233720368547758.08 */
#define PUT_BOOL_MAX 5
#define PUT_STR_MAX(n) (2 + 6 * (size_t)(n))
char *put_int(char *p, int64_t v);
char *put_money(char *p, int64_t cents);
char *put_bool(char *p, bool v);
/* The n bytes of s (up to a NUL among them), quoted and escaped as
 * reply_put_str does. */
char *put_str(char *p, const char *s, size_t n);

#endif
