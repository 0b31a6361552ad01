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
};

/* Each returns 1 and fills *c when found, 0 when not, -1 on error. */
int client_by_card(const char *card, struct client *c);
int client_by_id(int64_t id, struct client *c);

/* Inserts a client. Returns 1 with c->id set, or 0 on error. */
int client_insert(struct client *c, int64_t now);
int client_set_balance(int64_t id, int64_t balance);
int client_set_overdraft(int64_t id, bool overdraft);

/* Statement listing (card, balance, overdraft) by card, and the row writers
 * for it: with or without the overdraft flag. */
sqlite3_stmt *client_list(void);
int client_row(sqlite3_stmt *st, char *buf, size_t cap);
int client_row_full(sqlite3_stmt *st, char *buf, size_t cap);

#endif
