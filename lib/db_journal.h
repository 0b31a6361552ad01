/*
 * The append-only journal: every change with the acting user, the credential
 * used and the time. The realtime feed replays it.
 */
#ifndef TENP5_DB_JOURNAL_H
#define TENP5_DB_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "auth.h"

enum journal_event {
	EV_TRANSACTION,  /* a new ledger row */
	EV_ANNULATION,   /* a row cancelled */
	EV_REFAIRE,      /* a row re-applied */
	EV_CLIENT,       /* a client's settings changed */
	EV_UTILISATEUR,  /* staff administration */
	EV_PRIX,         /* the price table changed */
	EV_CLE,          /* API keys */
	EV_APP,          /* OAuth applications */
	EV_VERROU,       /* a lock-out of the login limiter, started or lifted */
	EV_IMPORT,       /* a database brought in from the PHP version */
	EV_SERVICE,      /* a shift opened or closed */
	EV_PRODUIT,      /* the catalogue changed */
	EV_HORSLIGNE,    /* the limits of offline sales changed */
	EV__MAX
};
extern const char *const journal_event_words[EV__MAX];

struct journal_entry {
	enum journal_event event;
	int64_t client_id;      /* 0: none */
	int64_t tx_id;          /* 0: none */
	bool has_balance;
	int64_t balance;        /* the client's new balance */
	json_object *detail;    /* taken (put) by journal_add; NULL for none */
};

/* Appends e on behalf of who (NULL: no credential: the admin command, or the
 * server itself, as for a lock-out). Returns 1, or 0 on error. */
int journal_add(const struct principal *who, int64_t now, struct journal_entry *e);

#endif
