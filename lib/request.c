/*
 * A request's stages (see request.h) and the helpers handlers call. The
 * endpoint is decided once, from the route the front server chose on the
 * normalised path (TENP5_ROUTE, set by the generated nginx locations; under
 * plain CGI, the path the generated .htaccess rules matched); the credential
 * and the right are resolved inside the transaction that uses them, so a user
 * demoted or a key revoked a moment before cannot still complete a write.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "db_request.h"
#include "log.h"
#include "password.h"
#include "request.h"
#include "respond.h"

int
req_init(struct req *r, const struct area *a, bool cgi)
{
	/* Not a memset of the whole (its parameter table alone is 24 kB): the
	 * live feed holds one per subscriber, and req_begin resets what each
	 * request uses. */
	r->area = a;
	r->ctx = NULL;
	r->out = NULL;
	r->replay = NULL;
	r->raw.body = NULL;
	r->raw.headers[0] = '\0';
	r->params.n = 0;
	if (a->ctx_size && !(r->ctx = malloc(a->ctx_size)))
		return 0;
	return io_init(&r->io, cgi);
}

void
req_free(struct req *r)
{
	io_free(&r->io);
	free(r->ctx);
	r->ctx = NULL;
}

void
req_begin(struct req *r)
{
	static unsigned long last_id;

	r->id = ++last_id;
	r->now = now_ms();
	r->route = NULL;
	r->method = io_env(&r->io, "REQUEST_METHOD");
	r->remote_addr = io_env(&r->io, "REMOTE_ADDR");
	r->authorization = io_env(&r->io, "HTTP_AUTHORIZATION");
	r->params.n = 0;
	for (int f = 0; f < FLD__MAX; f++)
		r->v[f].set = false;
	memset(&r->who, 0, sizeof r->who);
	r->champ = NULL;
	r->stream.key = K__MAX;
	r->scope_missing = 0;
	r->secret = K__MAX;
	req_raw(r, 0, NULL, NULL, 0);
	r->raw.headers[0] = '\0';
	if (r->ctx)
		memset(r->ctx, 0, r->area->ctx_size);
	r->out = json_object_new_object();
	reply_str(r->out, K_STATUS, NULL); /* keeps "status" the first key */
	r->replay = NULL;
	r->st = ST_OK;
	r->fields = ST_OK;
	r->answered = false;
	log_request(r->id);
}

/* The path Apache's rewrite rule matched, under plain CGI: the original URL
 * (REDIRECT_URL, normalised) relative to the directory of the program it was
 * rewritten to (SCRIPT_NAME), which holds the .htaccess; without its one
 * optional trailing slash. These are the request's own variables, which
 * suEXEC passes on where it strips every variable of the site's. NULL when
 * the request was not rewritten from that directory (the program was asked
 * by its own name). */
static const char *
cgi_path(const struct req *r, char *buf, size_t cap)
{
	const char *url = io_env(&r->io, "REDIRECT_URL");
	const char *script = io_env(&r->io, "SCRIPT_NAME");
	const char *slash = strrchr(script, '/');
	size_t dir = slash ? (size_t)(slash - script) + 1 : 0, n;

	if (!*url || dir == 0 || strncmp(url, script, dir) != 0)
		return NULL;
	n = strlen(url + dir);
	if (n > 0 && url[dir + n - 1] == '/')
		n--;
	if (n >= cap)
		return NULL;
	memcpy(buf, url + dir, n);
	buf[n] = '\0';
	return buf;
}

/* The route the front server chose on the normalised path (doc/api.md):
 * nginx names it (TENP5_ROUTE); under plain CGI it is the path the .htaccess
 * rule matched (cgi_path), "api/<route>" or a whole path's without its first
 * slash. NULL when none of the area's. */
static const struct route *
find_route(const struct req *r)
{
	char buf[256];
	const char *name = io_env(&r->io, "TENP5_ROUTE"), *path = NULL;

	if (r->io.cgi && !(path = cgi_path(r, buf, sizeof buf)))
		return NULL;
	for (size_t i = 0; i < r->area->n; i++) {
		const char *rp = r->area->routes[i].path;

		if (!path ? strcmp(rp, name) == 0
		    : rp[0] == '/' ? strcmp(rp + 1, path) == 0
		    : strncmp(path, "api/", 4) == 0 && strcmp(rp, path + 4) == 0)
			return &r->area->routes[i];
	}
	return NULL;
}

/* Reads and parses the body (POST) or the query string (GET). */
static enum status
read_params(struct req *r)
{
	struct io *io = &r->io;
	const char *ctype = io_env(io, "CONTENT_TYPE");
	const char *clen = io_env(io, "CONTENT_LENGTH");
	const char *bad = NULL;
	enum parse_result pr;
	size_t len = 0;
	bool json = false;

	if (strcmp(r->method, "GET") == 0) {
		const char *qs = io_env(io, "QUERY_STRING");

		len = strlen(qs);
		if (len > cfg.body_max)
			return ST_REQUETE_TROP_GRANDE;
		memcpy(io->body, qs, len);
	} else {
		char *end;
		unsigned long long want;

		if (*clen) {
			errno = 0;
			want = strtoull(clen, &end, 10);
			if (errno || *end || *clen == '-')
				return ST_REQUETE_MALFORME;
			if (want > cfg.body_max)
				return ST_REQUETE_TROP_GRANDE;
			len = io_read(io, io->body, (size_t)want);
			if (len != want)
				return ST_REQUETE_MALFORME;
		} else {
			/* No length: a chunked body passed on as it came (Apache's
			 * CGI does so), which ends at end of input. */
			len = io_read(io, io->body, cfg.body_max + 1);
			if (len > cfg.body_max)
				return ST_REQUETE_TROP_GRANDE;
		}
		if (*ctype) {
			size_t mlen = strcspn(ctype, "; \t");

			if (mlen == 16 && strncasecmp(ctype, "application/json", 16) == 0)
				json = true;
			else if (!(mlen == 33 && strncasecmp(ctype,
			    "application/x-www-form-urlencoded", 33) == 0))
				return ST_REQUETE_MALFORME;
		}
	}
	pr = json ? json_body_parse(&r->params, io->body, len, &bad)
	    : form_parse(&r->params, io->body, len, &bad);
	if (pr == PARSE_TOO_MANY)
		return ST_REQUETE_TROP_GRANDE;
	if (pr != PARSE_OK) {
		r->champ = bad;
		return ST_REQUETE_MALFORME;
	}
	return ST_OK;
}

bool
req_read(struct req *r)
{
	if (!(r->route = find_route(r))) {
		r->st = ST_REQUETE_INCONNUE;
		return false;
	}
	if (strcmp(r->method, "OPTIONS") == 0) {
		respond_preflight(r);
		return false;
	}
	if (!(strcmp(r->method, "POST") == 0 ||
	    (strcmp(r->method, "GET") == 0 && (r->route->flags & R_GET)))) {
		r->st = ST_METHODE_NON_AUTORISEE;
		return false;
	}
	if ((r->st = read_params(r)) != ST_OK)
		return false;
	/* Raw routes validate their own fields, to answer in their own terms. */
	if (!(r->route->flags & R_RAW))
		r->fields = field_validate(&r->params, r->route->takes, r->route->needs, r->v,
		    &r->champ);
	if (r->fields != ST_OK && (r->route->flags & R_PUBLIC)) {
		r->st = r->fields; /* no credential to check first */
		return false;
	}
	return true;
}

/* The credential, its right and its scopes against the route. */
static enum status
authorize(struct req *r, enum auth_use use)
{
	const struct route *rt = r->route;
	unsigned need = rt->scope ? rt->scope : SCOPE_ADMIN;
	enum auth_reason why = AR_ABSENT;
	enum status st;

	memset(&r->who, 0, sizeof r->who);
	st = auth_principal(&r->params, r->authorization, r->now, use, &r->who, &why);
	if (st == ST_JETON_INVALIDE)
		reply_str(r->out, K_RAISON, auth_reason_words[why]);
	if (st != ST_OK)
		return st;
	if (!(rt->flags & R_HOLDER) != (r->who.kind != CRED_HOLDER))
		return ST_DROITS_INSUFFISANTS; /* a holder's routes and the staff's are apart */
	if (need != SCOPE_ANY && !(r->who.scopes & (need | SCOPE_ADMIN))) {
		r->scope_missing = need;
		return ST_DROITS_INSUFFISANTS;
	}
	if ((st = req_require(r, rt->right)) != ST_OK)
		return st;
	if ((rt->flags & R_SESSION) && (r->who.kind != CRED_SESSION || r->who.by_card))
		return ST_DROITS_INSUFFISANTS;
	return ST_OK;
}

/* Whether the route does slow work before its transaction. */
static bool
slow(const struct route *rt)
{
	if (rt->prepare)
		return true;
	for (int f = 0; f < FLD__MAX; f++)
		if ((rt->takes & FB(f)) && field_defs[f].type == FT_PASSWORD)
			return true;
	return false;
}

/* The digest that ties an idRequete to one endpoint and one set of values,
 * every value of a repeated field included. A sale's time (horsLigne) says
 * when, not what: a sale answered online and sent again later with its time,
 * by a till that fears the server forgot it (doc/api.md, "After a
 * switch-over"), is the same request. A password enters it only through
 * scrypt, salted by the user and the idRequete, so the record keeps nothing
 * weaker than the users table does. Returns 1, or 0 if scrypt failed. */
static int
fingerprint(struct req *r)
{
	const char *rid = r->v[FLD_ID_REQUETE].s;
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, r->route->path, strlen(r->route->path) + 1);
	for (int f = 0; f < FLD__MAX; f++) {
		const char *wire = field_defs[f].wire;

		if (f == FLD_ID_REQUETE || f == FLD_HORS_LIGNE || !(r->route->takes & FB(f)) ||
		    !r->v[f].set)
			continue;
		for (size_t i = 0; i < r->params.n; i++) {
			const char *value = r->params.v[i].value;
			unsigned char secret[32], salt[SHA256_LEN];
			char who[32];
			struct sha256 s;

			if (strcmp(r->params.v[i].name, wire) != 0 || !*value)
				continue;
			sha256_update(&c, wire, strlen(wire) + 1);
			if (field_defs[f].type != FT_PASSWORD) {
				sha256_update(&c, value, strlen(value) + 1);
				continue;
			}
			snprintf(who, sizeof who, "%" PRId64, r->who.user_id);
			sha256_init(&s);
			sha256_update(&s, who, strlen(who) + 1);
			sha256_update(&s, rid, strlen(rid));
			sha256_final(&s, salt);
			if (!password_digest(value, salt, sizeof salt, secret))
				return 0;
			sha256_update(&c, secret, sizeof secret);
			wipe(secret, sizeof secret);
		}
	}
	sha256_final(&c, r->fp);
	return 1;
}

bool
req_prepare(struct req *r)
{
	const struct route *rt = r->route;

	/* Refused before any slow work: the authoritative check is req_run's. */
	if (!(rt->flags & R_PUBLIC) && slow(rt) &&
	    (r->st = authorize(r, AUTH_PRECHECK)) != ST_OK)
		return false;
	if (r->fields != ST_OK) {
		/* Told after the credential: by req_run, or here for slow routes. */
		if (slow(rt))
			r->st = r->fields;
		return !slow(rt);
	}
	if ((rt->flags & R_WRITE) && r->v[FLD_ID_REQUETE].set && !fingerprint(r)) {
		r->st = ST_ERREUR_GENERIQUE;
		return false;
	}
	if (rt->prepare && (r->st = rt->prepare(r, r->out)) != ST_OK)
		return false;
	return true;
}

/* Keeps the answer of a write that carried an idRequete, for its repeats:
 * the full reply, status included, without the secret shown once. */
static int
keep_answer(struct req *r, enum status st)
{
	json_object *copy = NULL;
	const char *text;
	int ok;

	if (json_object_deep_copy(r->out, &copy, NULL) != 0)
		return 0;
	reply_str(copy, K_STATUS, status_defs[st].word);
	if (st == ST_REQUETE_MALFORME && r->champ)
		reply_str(copy, K_CHAMP, r->champ);
	if (r->secret != K__MAX)
		reply_str(copy, r->secret, NULL); /* replaced in place: never stored */
	text = json_object_to_json_string_ext(copy,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	ok = request_save(r->who.user_id, r->v[FLD_ID_REQUETE].s, r->fp, text, r->now);
	json_object_put(copy);
	return ok;
}

/* The body of req_run, inside the transaction it opened. Returns the status;
 * the caller rolls the transaction back unless *done says it ended. */
static enum status
run(struct req *r, bool write, bool *done)
{
	const struct route *rt = r->route;
	bool rid = r->v[FLD_ID_REQUETE].set;
	enum status st;

	if (!(rt->flags & R_PUBLIC) &&
	    (st = authorize(r, write ? AUTH_WRITE : AUTH_READ)) != ST_OK)
		return st;
	if (r->fields != ST_OK)
		return r->fields;
	if (write && rid) {
		switch (request_find(r->who.user_id, r->v[FLD_ID_REQUETE].s, r->fp, &r->replay)) {
		case RECORD_SAME:
			return ST_OK;
		case RECORD_OTHER:
			return req_malformed(r, FLD_ID_REQUETE);
		case RECORD_ERROR:
			return ST_ERREUR_BDD;
		case RECORD_NONE:
			break;
		}
	}
	if (write && !db_savepoint())
		return ST_ERREUR_BDD;
	st = rt->handler(r, r->out);
	if (st == ST_ERREUR_BDD || st == ST_ERREUR_GENERIQUE)
		return st;
	if (write && st != ST_OK)
		db_rollback_savepoint(); /* a refusal changes nothing */
	if (write && rid && !keep_answer(r, st))
		return ST_ERREUR_BDD;
	if (write && !db_commit())
		return ST_ERREUR_BDD; /* the caller's rollback ends what is left of it */
	if (st == ST_OK && r->stream.key != K__MAX) {
		/* A list is written from inside its read snapshot. */
		r->st = st;
		respond(r);
		r->answered = true;
	}
	if (!write)
		db_rollback(); /* a read: nothing to keep */
	*done = true;
	return st;
}

void
req_run(struct req *r)
{
	bool write = r->route->flags & R_WRITE, done = false;
	enum status st;

	log_request(r->id);
	if (r->route->flags & R_STREAM) {
		/* A stream answers by itself, outside any transaction. */
		r->st = r->route->handler(r, r->out);
		return;
	}
	if (!db_begin(write)) {
		r->st = ST_ERREUR_BDD;
		return;
	}
	st = run(r, write, &done);
	if (!done)
		db_rollback();
	if (!write)
		auth_touch(&r->who, r->now);
	r->st = st;
}

void
req_fail(struct req *r, enum status st)
{
	free(r->replay);
	r->replay = NULL;
	req_raw(r, 0, NULL, NULL, 0);
	json_object_put(r->out);
	r->out = json_object_new_object();
	reply_str(r->out, K_STATUS, NULL);
	r->stream.key = K__MAX;
	r->st = st;
}

void
req_end(struct req *r)
{
	log_request(r->id);
	if (!r->answered)
		respond(r);
	io_close(&r->io);
	free(r->replay);
	r->replay = NULL;
	req_raw(r, 0, NULL, NULL, 0);
	json_object_put(r->out);
	r->out = NULL;
	if (r->ctx)
		wipe(r->ctx, r->area->ctx_size); /* it may hold a password's hash */
	log_request(0);
}

/* Helpers for handlers. */

void
req_stream(struct req *r, enum key key, sqlite3_stmt *st, row_fn row, int64_t limit)
{
	r->stream.key = key;
	r->stream.st = st;
	r->stream.row = row;
	r->stream.limit = limit;
	r->stream.card = 0;
}

void
req_stream_card(struct req *r, int64_t card)
{
	assert(r->stream.key != K__MAX && card > 0); /* after req_stream */
	r->stream.card = card;
}

void
req_secret(struct req *r, enum key k)
{
	r->secret = k;
}

enum status
req_require(const struct req *r, enum right right)
{
	return r->who.droit >= (int)right ? ST_OK : ST_DROITS_INSUFFISANTS;
}

enum status
req_require_self(const struct req *r, int64_t user_id, enum right right)
{
	return r->who.user_id == user_id ? ST_OK : req_require(r, right);
}

int
req_journal(struct req *r, enum journal_event ev, int64_t client_id, json_object *detail)
{
	struct journal_entry e = { .event = ev, .client_id = client_id };

	e.detail = detail ? detail : json_object_new_object();
	reply_str(e.detail, K_REQUETE, r->route->path);
	return journal_add(&r->who, r->now, &e);
}

enum status
req_malformed(struct req *r, enum fld f)
{
	r->champ = field_defs[f].wire;
	return ST_REQUETE_MALFORME;
}

const char *
req_env(const struct req *r, const char *name)
{
	return io_env(&r->io, name);
}

/* One path segment character of a base we are willing to print anywhere. */
static bool
base_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '~' || c == '-';
}

const char *
req_base(const struct req *r, char *buf, size_t cap)
{
	/* nginx's $document_uri, or Apache's original URL: both normalised. */
	const char *uri = req_env(r, "DOCUMENT_URI");
	const char *path = r->route ? r->route->path : "";
	size_t ulen, plen = strlen(path), blen;
	bool api = path[0] != '/';

	if (!*uri)
		uri = req_env(r, "REDIRECT_URL");
	ulen = strcspn(uri, "?");
	if (ulen > 1 && uri[ulen - 1] == '/')
		ulen--;
	buf[0] = '\0';
	if (ulen < plen + (api ? 5 : 0) || memcmp(uri + ulen - plen, path, plen) != 0)
		return buf;
	blen = ulen - plen - (api ? 5 : 0);
	if (api && memcmp(uri + blen, "/api/", 5) != 0)
		return buf;
	if (blen >= cap)
		return buf;
	/* "" or "/seg/seg": no empty segment (no "//"), nothing to escape. */
	for (size_t i = 0; i < blen; i++) {
		if (uri[i] == '/' ? (i + 1 == blen || uri[i + 1] == '/') : !base_char(uri[i]))
			return buf;
	}
	if (blen > 0 && uri[0] != '/')
		return buf;
	memcpy(buf, uri, blen);
	buf[blen] = '\0';
	return buf;
}

void
req_raw(struct req *r, int http, const char *type, char *body, size_t len)
{
	free(r->raw.body);
	r->raw.http = http;
	r->raw.type = type;
	r->raw.body = body;
	r->raw.len = body ? len : 0;
}

int
req_header(struct req *r, const char *fmt, ...)
{
	size_t used = strlen(r->raw.headers);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->raw.headers + used, sizeof r->raw.headers - used - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof r->raw.headers - used - 2) {
		r->raw.headers[used] = '\0';
		return 0;
	}
	memcpy(r->raw.headers + used + n, "\r\n", 3);
	return 1;
}

int
req_device_cookie(struct req *r, const char *name, const char *value)
{
	char base[256];

	return req_header(r, "Set-Cookie: %s=%s; Path=%s/; Max-Age=31536000; HttpOnly;"
	    " SameSite=Strict%s", name, value, req_base(r, base, sizeof base),
	    strcmp(req_env(r, "HTTPS"), "on") == 0 ? "; Secure" : "");
}
