/*
 * Selling offline (doc/api.md, "Selling offline"): the limits a till keeps to
 * while the network is gone, the flags an offline sale may earn when it
 * arrives, and the list of what staff must settle afterwards.
 */
#ifndef TENP5_DB_OFFLINE_H
#define TENP5_DB_OFFLINE_H

#include <stdint.h>
#include <json-c/json.h>

/* How far ahead of the server's clock a sale's time may be: a till's
 * estimate of the offset is that good. */
#define OFFLINE_AHEAD_MS 60000

struct offline_rules {
	int64_t card_cap;   /* cents a card may go below its allowance offline */
	int64_t till_cap;   /* cents one till may sell offline in all */
	int64_t max_age_ms; /* the oldest sale accepted */
	int64_t forgotten_ms; /* idRequete records received before may be gone */
};

/* The reasons an offline sale is flagged for staff (bits). */
enum offline_flag {
	OFFLINE_BEYOND_CAP = 1, /* the card went further below its allowance than card_cap */
	OFFLINE_BLOCKED = 2,    /* the card was blocked before the sale's time */
};

/* Returns 1 and fills *r, or 0 on error. */
int offline_rules_get(struct offline_rules *r);

/* Sets the limits (not forgotten_ms, which request_purge moves). Returns 1,
 * or 0 on error. */
int offline_rules_set(const struct offline_rules *r);

/* Records the reasons (offline_flag bits, non-zero) of ledger row tx_id.
 * Returns 1, or 0 on error. */
int offline_flag(int64_t tx_id, unsigned reasons);

/* Adds to o the cards a till must refuse offline, as `bloquees` [idCarte]:
 * those blocked now and the former cards (blocked for good). Returns 1, or 0
 * on error. */
int offline_blocked_reply(json_object *o);

/* Adds to o the cards left below their allowance (0, or the overdraft floor
 * -ceiling) that offline sales reached, as `cartes` [{idCarte, solde,
 * manque}], and the flagged sales as `ventes` [{idTransaction, idCarte,
 * utilisateur, date, recu, montant, valide, motifs}]. Returns 1, or 0 on
 * error. */
int offline_debts_reply(json_object *o, int64_t ceiling);

#endif
