/*
 * Clients: NFC cards holding a balance in cents, optionally allowed to go
 * below zero (overdraft, the wire's `decouvert`).
 */
#ifndef TENP5_DB_CLIENT_H
#define TENP5_DB_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

struct client {
	int64_t id;
	char card[33];
	int64_t balance;
	bool overdraft;
	bool blocked;      /* payments and top-ups refused (doc/api.md, card holders) */
	int64_t blocked_ms; /* since when, while blocked (0 when not) */
};

/* Each returns 1 and fills *c when found, 0 when not, -1 on error. */
int client_by_card(const char *card, struct client *c);
int client_by_id(int64_t id, struct client *c);

/* Inserts a client. Returns 1 with c->id set, or 0 on error. */
int client_insert(struct client *c, int64_t now);
int client_set_balance(int64_t id, int64_t balance);
int client_set_overdraft(int64_t id, bool overdraft);
/* Blocks (since now) or unblocks the account. Returns 1, or 0 on error. */
int client_set_blocked(int64_t id, bool blocked, int64_t now);

/* Whether card is a card an account left (blocked for good): 1 with the
 * account's card now in now_card and, unless replaced_ms is NULL, the time
 * it was left in *replaced_ms; 0 if not, -1 on error. */
int client_former(const char *card, char now_card[33], int64_t *replaced_ms);

/* Moves account c to card (free: no account, no former card), in the
 * caller's transaction: c's card becomes a former card, the account's
 * balance, overdraft flag, history and code go with it, unblocked. Returns 1,
 * or 0 on error. */
int client_move(const struct client *c, const char *card, int64_t now);

/* The account on card and its holder code's hash (into hash,
 * PASSWORD_HASH_MAX bytes): 1 when the card holds an account with a code, 0
 * when not (no such card, a former card, no code yet), -1 on error.
 * client_code_of looks the account up by its id. */
int client_code(const char *card, int64_t *id, char *hash);
int client_code_of(int64_t client_id, int64_t *id, char *hash);

/* Sets the holder code's hash (scrypt MCF) and ends the holder's sessions.
 * Returns 1, or 0 on error. */
int client_set_code(int64_t id, const char *hash);

/* Statement listing (card, balance, overdraft, blocked) by card, and the row writers
 * for it: with or without the overdraft flag. */
sqlite3_stmt *client_list(void);
int client_row(sqlite3_stmt *st, char *buf, size_t cap);
int client_row_full(sqlite3_stmt *st, char *buf, size_t cap);

#endif
