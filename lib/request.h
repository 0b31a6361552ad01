/*
 * What a request is and the path it takes. An area (a binary of cgi-bin/) is
 * its name, its route table and the size of the state its steps share within
 * a request; struct req is one request, from its transport to its answer,
 * and owns what it allocates until req_end. Its path, in stages that the
 * loops call in order, whatever the transport: req_begin, req_read (method,
 * body, fields: no database), req_prepare (slow work outside any
 * transaction), req_run (the credential, the right, the idRequete record and
 * the handler, in one transaction), then respond() and io_close(). The group-commit writer runs the req_run of
 * several requests inside one transaction and answers them after its commit.
 */
#ifndef TENP5_REQUEST_H
#define TENP5_REQUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>
#include <json-c/json.h>

#include "auth.h"
#include "db_journal.h"
#include "field.h"
#include "parse.h"
#include "reply.h"
#include "transport.h"

struct req;

/* A handler fills `out` (the reply object, which already holds "status") and
 * returns the status; the loop writes the reply. It runs inside the request's
 * transaction, after the credential and right were checked in it. */
typedef enum status (*handler_fn)(struct req *r, json_object *out);

/* An optional step run before the transaction, for slow work that must not
 * hold the write lock (scrypt). Its results go to r->ctx. */
typedef enum status (*prepare_fn)(struct req *r, json_object *out);

enum route_flag {
	R_GET = 1 << 0,           /* GET is accepted as well as POST */
	R_PUBLIC = 1 << 1,        /* no credential needed */
	R_WRITE = 1 << 2,         /* changes data: BEGIN IMMEDIATE */
	R_RAW = 1 << 3,           /* not a JSON API reply: the handler fills r->raw */
	R_SESSION = 1 << 4,       /* only for a person logged in with a password: no API
	                             key, OAuth token or card can change credentials */
	R_STREAM = 1 << 5,        /* a stream (the live feed): its handler answers by
	                             itself, outside any transaction, for as long as it
	                             lasts; the front server must not buffer it */
	R_HOLDER = 1 << 6,        /* a card holder's own (area moi): taken with a holder
	                             session only, which opens nothing else */
};

struct route {
	const char *path;  /* after "/api/", e.g. "client/payer"; or a whole path
	                      from the site's root, e.g. "/oauth/token" */
	handler_fn handler;
	prepare_fn prepare;
	enum right right;  /* the least right it needs (unless R_PUBLIC) */
	unsigned scope;    /* the SCOPE_* an OAuth token needs: 0 means admin,
	                      SCOPE_ANY any token */
	unsigned flags;
	const char *pool;  /* the pool serving it; NULL: the area's own */
	uint64_t takes;    /* FB(FLD_...) of the fields it reads */
	uint64_t needs;    /* those of them that are required */
};

struct area {
	const char *name;           /* the binary, its log's name, its default pool */
	const struct route *routes;
	size_t n;
	size_t ctx_size;            /* bytes of r->ctx, zeroed for each request */
	int (*serve)(const struct area *); /* its own FastCGI server (the feed's), or NULL */
};

/* A streamed list: the loop steps st after the handler and writes one element
 * per row through row(), which formats it into buf (cap bytes) and returns its
 * length, or -1 if it does not fit or a look-up failed (the answer is then
 * cut, see io_abort). With a limit, column 0 must be the row id. */
typedef int (*row_fn)(sqlite3_stmt *st, char *buf, size_t cap);

struct stream {
	enum key key;
	sqlite3_stmt *st;
	row_fn row;
	int64_t limit;     /* 0: every row */
	int64_t card;      /* > 0: the rows are that card's alone (req_stream_card) */
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
	const struct area *area;
	const struct route *route;  /* NULL: no such endpoint */
	const char *method;
	const char *remote_addr;
	const char *authorization;  /* the Authorization header, "" when absent */
	struct params params;
	struct value v[FLD__MAX];   /* the route's validated fields */
	struct principal who;
	const char *champ;          /* set with ST_REQUETE_MALFORME */
	struct stream stream;       /* key K__MAX when there is none */
	unsigned char fp[32];       /* the idRequete fingerprint, when one is given */
	unsigned scope_missing;     /* the scope a token lacked (droits_insuffisants) */
	enum key secret;            /* a reply key holding a secret shown once, or K__MAX */
	struct raw_reply raw;
	void *ctx;                  /* the area's per-request state (area->ctx_size) */

	/* The request path's own state. */
	struct io io;
	json_object *out;           /* the reply being built */
	char *replay;               /* a stored answer to send again (idRequete) */
	enum status st;             /* the answer's status */
	enum status fields;         /* the fields' verdict: told only once the credential
	                               and its right passed, as a stranger learns nothing */
	bool answered;              /* already written (a streamed list, a preflight) */
};


/* Allocates what a request slot keeps from one request to the next (the body
 * buffer, the area's context). cgi selects plain CGI. Returns 1, or 0. */
int req_init(struct req *r, const struct area *a, bool cgi);
void req_free(struct req *r);

/* Starts a request whose transport is open: resets everything the previous
 * one left, reads the clock, numbers it. */
void req_begin(struct req *r);

/* Finds the endpoint, answers a CORS preflight, checks the method, reads and
 * parses the body and validates the route's fields. Returns true when the
 * request goes on; false when its answer is known (r->st) or written
 * (r->answered). */
bool req_read(struct req *r);

/* For routes with slow work before their transaction (scrypt): checks the
 * credential first, so a stranger costs nothing; computes the idRequete
 * fingerprint; runs the route's prepare step. Same return as req_read. */
bool req_prepare(struct req *r);

/* Runs the request in its transaction (a savepoint of the group's, under
 * db_group_begin) and sets r->st. A streamed list is written from inside
 * its read transaction (r->answered). */
void req_run(struct req *r);

/* The request's writes were lost with the group's commit: its answer becomes
 * erreur_bdd, whatever it was. */
void req_fail(struct req *r, enum status st);

/* Writes the answer (unless already written) and ends the request. */
void req_end(struct req *r);

/* Helpers for handlers. */

/* Asks the loop to stream rows of st as the array `key` after the handler's
 * keys; limit > 0 cuts the list and adds "suivant". */
void req_stream(struct req *r, enum key key, sqlite3_stmt *st, row_fn row, int64_t limit);

/* Says that the rows streamed depend on nothing but card's ledger rows and
 * name: the answer kept may then be given again until that card changes,
 * rather than until any commit (lib/answers.h). */
void req_stream_card(struct req *r, int64_t card);

/* A CGI/FastCGI variable of the request ("" when absent): HTTP_HOST,
 * HTTP_COOKIE, HTTPS... */
const char *req_env(const struct req *r, const char *name);

/* The path the site is mounted under ("" at the root, "/bar" on a shared
 * host), from the normalised path the front server routed on; only ever
 * "" or "/" and segments of [A-Za-z0-9._~-], so it is safe in a page, a
 * header or a URL. */
const char *req_base(const struct req *r, char *buf, size_t cap);

/* Sets the raw reply: HTTP code, content type, body (taken, may be NULL). */
void req_raw(struct req *r, int http, const char *type, char *body, size_t len);

/* Appends a header line to the raw reply. Returns 1, or 0 if it does not fit. */
int req_header(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the cookie name=value for a year on the whole site (its Path is
 * req_base's), HttpOnly, SameSite=Strict, and Secure when the request came by
 * HTTPS: how a browser keeps a device cookie (login.h). Returns req_header's
 * 1, or 0 if it does not fit. */
int req_device_cookie(struct req *r, const char *name, const char *value);

/* Marks reply key k as a secret shown once: an idRequete record keeps the
 * answer with k set to null, so a repeat changes nothing and shows no secret. */
void req_secret(struct req *r, enum key k);

/* ST_OK if the caller's right is at least `right`, else ST_DROITS_INSUFFISANTS. */
enum status req_require(const struct req *r, enum right right);

/* ST_OK if the caller is user_id or has at least `right`: the "if other"
 * rule of utilisateur/mdp, carte and fiche. */
enum status req_require_self(const struct req *r, int64_t user_id, enum right right);

/* Journals an administrative change made by the caller: detail (taken, may be
 * NULL) gets "requete" set to the endpoint. Returns 1, or 0 on error. */
int req_journal(struct req *r, enum journal_event ev, int64_t client_id, json_object *detail);

/* Sets champ and returns ST_REQUETE_MALFORME, for checks a handler makes
 * itself (one field XOR another). */
enum status req_malformed(struct req *r, enum fld f);

#endif
