/*
 * The request loop shared by every binary of cgi-bin/: accept (FastCGI, or one
 * request as plain CGI), parse, authorize, validate, run the handler inside one
 * transaction, write the reply. A binary is a route table and its handlers.
 */
#ifndef TENP5_SERVER_H
#define TENP5_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>
#include <json-c/json.h>

#include "auth.h"
#include "db_journal.h"
#include "field.h"
#include "parse.h"
#include "reply.h"

struct req;

/* A handler fills `out` (the reply object, which already holds "status") and
 * returns the status; the loop writes the reply. */
typedef enum status (*handler_fn)(struct req *r, json_object *out);

enum route_flag {
	R_GET = 1 << 0,           /* GET is accepted as well as POST */
	R_PUBLIC = 1 << 1,        /* no credential needed */
	R_WRITE = 1 << 2,         /* changes data: BEGIN IMMEDIATE, idRequete */
	R_RAW = 1 << 3,           /* not a JSON API reply: the handler fills r->raw */
	R_SESSION = 1 << 4,       /* only for a person logged in with a password: no API
	                             key, OAuth token or card can change credentials */
};

/* An optional step run before the transaction, for slow work that must not
 * hold the write lock (scrypt). Its results stay in the area's own file. */
typedef enum status (*prepare_fn)(struct req *r, json_object *out);

struct route {
	const char *path;  /* after "/api/", e.g. "client/payer"; or a whole path
	                      from the site's root, e.g. "/oauth/token" */
	handler_fn handler;
	prepare_fn prepare;
	int right;         /* minimum droit (unless R_PUBLIC) */
	unsigned flags;
	uint64_t takes;    /* FB(FLD_...) of the fields it reads */
	uint64_t needs;    /* those of them that are required */
};

/* A streamed list: the loop steps st after the handler and writes one element
 * per row through row(), which formats it into buf (cap bytes) and returns its
 * length, or -1 if it does not fit. With a limit, column 0 must be the row id. */
typedef int (*row_fn)(sqlite3_stmt *st, char *buf, size_t cap);

struct stream {
	enum key key;
	sqlite3_stmt *st;
	row_fn row;
	int64_t limit;     /* 0: every row */
};

/* A reply that is not the API's JSON (HTML pages, redirects, RFC 6749
 * errors), for R_RAW routes. */
struct raw_reply {
	int http;            /* 0: none, write the JSON reply */
	const char *type;    /* Content-Type */
	char headers[4096];  /* extra header lines, each ending in CRLF */
	char *body;          /* malloc'd; freed by the loop */
	size_t len;
};

struct req {
	unsigned long id;
	int64_t now;                /* ms since the epoch, read once per request */
	const char *method;
	const char *remote_addr;
	const struct route *route;
	struct params params;
	struct value v[FLD__MAX];   /* the route's validated fields */
	struct principal who;
	const char *champ;          /* set with ST_REQUETE_MALFORME */
	struct stream stream;       /* key K__MAX when there is none */
	unsigned char fp[32];       /* the idRequete fingerprint, when one is given */
	unsigned scope_missing;     /* the scope a token lacked (droits_insuffisants) */
	enum key secret;            /* a reply key holding a secret shown once, or K__MAX */
	const char *authorization;  /* the Authorization header, "" when absent */
	struct raw_reply raw;
	void *io;                   /* the transport, private to server.c */
};

/* The route whose path ends uri's path (query and trailing slash aside): an
 * API route "client/payer" matches ".../api/client/payer", a route starting
 * with "/" matches that path under any prefix. NULL if none. */
const struct route *server_find_route(const char *uri, const struct route *routes, size_t n);

/* Runs the loop (or, with the argument --routes, prints the route table).
 * Returns the process exit code. */
int server_main(int argc, char **argv, const char *prog, const struct route *routes, size_t n);

/* Asks the loop to stream rows of st as the array `key` after the handler's
 * keys; limit > 0 cuts the list and adds "suivant". */
void req_stream(struct req *r, enum key key, sqlite3_stmt *st, row_fn row, int64_t limit);

/* A CGI/FastCGI variable of the request ("" when absent): HTTP_HOST,
 * HTTP_COOKIE, HTTPS... */
const char *req_env(const struct req *r, const char *name);

/* Sets the raw reply: HTTP code, content type, body (taken, may be NULL). */
void req_raw(struct req *r, int http, const char *type, char *body, size_t len);

/* Appends a header line to the raw reply. Returns 1, or 0 if it does not fit. */
int req_header(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Marks reply key k as a secret shown once: an idRequete record keeps the
 * answer with k set to null, so a repeat changes nothing and shows no secret. */
void req_secret(struct req *r, enum key k);

/* ST_OK if the caller's right is at least `right`, else ST_DROITS_INSUFFISANTS. */
enum status req_require(const struct req *r, int right);

/* ST_OK if the caller is user_id or has at least `right`: the "if other"
 * rule of utilisateur/mdp, carte and fiche. */
enum status req_require_self(const struct req *r, int64_t user_id, int right);

/* Journals an administrative change made by the caller: detail (taken, may be
 * NULL) gets "requete" set to the endpoint. Returns 1, or 0 on error. */
int req_journal(struct req *r, enum journal_event ev, int64_t client_id, json_object *detail);

/* Sets champ and returns ST_REQUETE_MALFORME, for checks a handler makes
 * itself (one field XOR another). */
enum status req_malformed(struct req *r, enum fld f);

#endif
