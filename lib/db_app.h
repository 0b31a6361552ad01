/*
 * OAuth applications (clients, RFC 6749 section 2): their id, name, secret
 * digest and exact redirect URIs.
 */
#ifndef TENP5_DB_APP_H
#define TENP5_DB_APP_H

#include <stdint.h>
#include <sqlite3.h>

#include "crypto.h"

struct app {
	int64_t id;
	char client_id[65];
	char name[65];
	unsigned char secret_hash[SHA256_LEN];
};

/* Stores an app. Returns 1 with *id set, or 0. */
int app_insert(const char *client_id, const char *name, const unsigned char hash[SHA256_LEN],
    int64_t user_id, int64_t now, int64_t *id);
int app_add_redirect(int64_t app_id, const char *uri);

/* Returns 1 and fills *a, 0 if no such client, -1 on error. */
int app_by_client_id(const char *client_id, struct app *a);

/* 1 if uri is registered for app_id (exact match), 0 if not, -1 on error. */
int app_redirect_ok(int64_t app_id, const char *uri);

/* Statement listing apps as (id, client_id, name, created, creator login), and
 * one listing an app's redirect URIs. */
sqlite3_stmt *app_list(void);
sqlite3_stmt *app_redirects(int64_t app_id);

/* Deletes an app with its redirects, codes and tokens. Returns 1 if it went,
 * 0 if there was none, -1 on error. */
int app_delete(const char *client_id);

#endif
