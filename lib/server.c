/*
 * The accept loop and a request's path through it:
 *   method, path and size checks -> body parsing -> credential -> right ->
 *   fields -> handler inside one transaction (with idRequete replay) -> reply.
 * Under spawn-fcgi, fd 0 is a listening socket and FCGX_Accept_r serves request
 * after request; otherwise the same code serves the one CGI request from the
 * environment, stdin and stdout.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <fcgiapp.h>

#include "config.h"
#include "db.h"
#include "db_request.h"
#include "limit.h"
#include "log.h"
#include "password.h"
#include "server.h"
#include "crypto.h"

struct io {
	FCGX_Request *fr; /* NULL under plain CGI */
	bool headers_sent;
	char *body;       /* cfg.body_max + 1 bytes, reused request after request */
};

static volatile sig_atomic_t stopping;

static const char *
io_env(struct io *io, const char *name)
{
	const char *v = io->fr ? FCGX_GetParam(name, io->fr->envp) : getenv(name);

	return v ? v : "";
}

static int
io_read(struct io *io, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int r;

		if (io->fr)
			r = FCGX_GetStr(buf + got, (int)(n - got), io->fr->in);
		else
			r = (int)fread(buf + got, 1, n - got, stdin);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (int)got;
}

static void
io_write(struct io *io, const char *s, size_t n)
{
	if (io->fr)
		FCGX_PutStr(s, (int)n, io->fr->out);
	else
		fwrite(s, 1, n, stdout);
}

static void
io_puts(struct io *io, const char *s)
{
	io_write(io, s, strlen(s));
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
req_stream(struct req *r, enum key key, sqlite3_stmt *st, row_fn row, int64_t limit)
{
	r->stream.key = key;
	r->stream.st = st;
	r->stream.row = row;
	r->stream.limit = limit;
}

void
req_secret(struct req *r, enum key k)
{
	r->secret = k;
}

enum status
req_require(const struct req *r, int right)
{
	return r->who.droit >= right ? ST_OK : ST_DROITS_INSUFFISANTS;
}

enum status
req_require_self(const struct req *r, int64_t user_id, int right)
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
	return io_env(r->io, name);
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

/* A credential sent in the Authorization header gets HTTP semantics: 401 when
 * it is refused, 403 when its right or scope falls short (RFC 6750). */
static int
http_code(const struct req *r, enum status st, const char **reason)
{
	if (r->who.via_header && st == ST_JETON_INVALIDE) {
		*reason = "Unauthorized";
		return 401;
	}
	if (r->who.via_header && st == ST_DROITS_INSUFFISANTS) {
		*reason = "Forbidden";
		return 403;
	}
	*reason = status_defs[st].reason;
	return status_defs[st].http;
}

static void
send_headers(struct io *io, const struct req *r, enum status st)
{
	const struct route *route = r->route;
	const char *reason;
	char line[256];
	int code = http_code(r, st, &reason);

	snprintf(line, sizeof line, "Status: %d %s\r\n", code, reason);
	io_puts(io, line);
	io_puts(io, "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Access-Control-Allow-Origin: *\r\n");
	if (st == ST_METHODE_NON_AUTORISEE)
		io_puts(io, route && (route->flags & R_GET) ? "Allow: GET, POST, OPTIONS\r\n"
		    : "Allow: POST, OPTIONS\r\n");
	if (code == 401)
		io_puts(io, "WWW-Authenticate: Bearer realm=\"10p5\", error=\"invalid_token\"\r\n");
	if (code == 403 && r->scope_missing) {
		char words[64];

		auth_scopes_format(r->scope_missing, words, sizeof words);
		snprintf(line, sizeof line, "WWW-Authenticate: Bearer realm=\"10p5\", "
		    "error=\"insufficient_scope\", scope=\"%s\"\r\n", words);
		io_puts(io, line);
	}
	io_puts(io, "\r\n");
	io->headers_sent = true;
}

/* Writes the streamed list; returns 0 if it had to stop half-way (the reply is
 * then left unterminated so no client mistakes it for a complete list). */
static int
send_stream(struct io *io, struct req *r)
{
	char row[1024], tail[64];
	int64_t count = 0, last = 0;
	bool cut = false;
	int rc;

	io_puts(io, ",\"");
	io_puts(io, key_names[r->stream.key]);
	io_puts(io, "\":[");
	while ((rc = db_step(r->stream.st)) == SQLITE_ROW) {
		int n;

		if (r->stream.limit > 0 && count == r->stream.limit) {
			cut = true;
			break;
		}
		if ((n = r->stream.row(r->stream.st, row + 1, sizeof row - 1)) < 0) {
			log_error("row too long for the stream buffer");
			return 0;
		}
		row[0] = ',';
		if (count == 0)
			io_write(io, row + 1, (size_t)n);
		else
			io_write(io, row, (size_t)n + 1);
		last = sqlite3_column_int64(r->stream.st, 0);
		count++;
	}
	sqlite3_reset(r->stream.st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return 0;
	io_puts(io, "]");
	if (cut) {
		snprintf(tail, sizeof tail, ",\"%s\":%" PRId64, key_names[K_SUIVANT], last);
		io_puts(io, tail);
	}
	io_puts(io, "}");
	return 1;
}

/* Writes the reply for status st from `out` (borrowed). */
static void
send_reply(struct io *io, struct req *r, enum status st, json_object *out)
{
	json_object *bare = NULL;
	const char *text;
	size_t len;

	if (st == ST_ERREUR_BDD || st == ST_ERREUR_GENERIQUE) {
		/* Whatever the handler added before failing stays private. */
		out = bare = json_object_new_object();
		reply_str(out, K_STATUS, status_defs[st].word);
	} else {
		const char *reason;
		int code = http_code(r, st, &reason);

		reply_str(out, K_STATUS, status_defs[st].word);
		if (st == ST_REQUETE_MALFORME && r->champ)
			reply_str(out, K_CHAMP, r->champ);
		if (code == 401 || code == 403) {
			json_object *e = json_object_new_object();

			reply_str(e, K_CODE, code == 401 ? "UNAUTHORIZED" : "FORBIDDEN");
			reply_str(e, K_MESSAGE, code == 401 ?
			    "Identifiant de connexion absent, inconnu, expiré ou révoqué" :
			    r->scope_missing ? "Portée (scope) insuffisante pour cette requête" :
			    "Droits insuffisants pour cette requête");
			json_object_object_add_ex(out, key_names[K_ERROR], e,
			    JSON_C_OBJECT_ADD_CONSTANT_KEY);
		}
	}
	text = json_object_to_json_string_length(out,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	send_headers(io, r, st);
	if (st == ST_OK && r->stream.key != K__MAX) {
		io_write(io, text, len - 1); /* all but the closing brace */
		if (!send_stream(io, r))
			log_error("reply stream cut short");
	} else
		io_write(io, text, len);
	json_object_put(bare);
}

/* Writes a raw reply (R_RAW routes). */
static void
send_raw(struct io *io, const struct req *r)
{
	char line[128];

	snprintf(line, sizeof line, "Status: %d %s\r\nContent-Type: %s\r\n", r->raw.http,
	    r->raw.http == 200 ? "OK" : r->raw.http == 302 ? "Found" : r->raw.http == 400 ?
	    "Bad Request" : r->raw.http == 401 ? "Unauthorized" : r->raw.http == 403 ?
	    "Forbidden" : r->raw.http == 404 ? "Not Found" : "Error",
	    r->raw.type ? r->raw.type : "text/plain; charset=utf-8");
	io_puts(io, line);
	io_puts(io, "X-Content-Type-Options: nosniff\r\n");
	io_puts(io, r->raw.headers);
	io_puts(io, "\r\n");
	if (r->raw.body)
		io_write(io, r->raw.body, r->raw.len);
}

/* The digest that ties an idRequete to one endpoint and one set of values,
 * computed before the transaction. A password enters it only through scrypt,
 * salted by the user and the idRequete, so the record keeps nothing weaker
 * than the users table does. Returns 1, or 0 if scrypt failed. */
static int
fingerprint(struct req *r)
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, r->route->path, strlen(r->route->path) + 1);
	for (int f = 0; f < FLD__MAX; f++) {
		unsigned char secret[32], salt[SHA256_LEN];
		char who[32];
		struct sha256 s;

		if (f == FLD_ID_REQUETE || !r->v[f].set)
			continue;
		sha256_update(&c, field_defs[f].wire, strlen(field_defs[f].wire) + 1);
		if (field_defs[f].type != FT_PASSWORD) {
			sha256_update(&c, r->v[f].s, strlen(r->v[f].s) + 1);
			continue;
		}
		snprintf(who, sizeof who, "%" PRId64, r->who.user_id);
		sha256_init(&s);
		sha256_update(&s, who, strlen(who) + 1);
		sha256_update(&s, r->v[FLD_ID_REQUETE].s, strlen(r->v[FLD_ID_REQUETE].s));
		sha256_final(&s, salt);
		if (!password_digest(r->v[f].s, salt, sizeof salt, secret))
			return 0;
		sha256_update(&c, secret, sizeof secret);
		wipe(secret, sizeof secret);
	}
	sha256_final(&c, r->fp);
	return 1;
}

/* Runs the handler in its transaction. Returns the status; *replay is set to a
 * stored answer when an idRequete repeats. When the reply includes a stream, it
 * is written from inside the (read) transaction and *sent is set. */
static enum status
run_handler(struct io *io, struct req *r, json_object *out, char **replay, bool *sent)
{
	const struct route *rt = r->route;
	bool write = rt->flags & R_WRITE;
	const char *rid = r->v[FLD_ID_REQUETE].set ? r->v[FLD_ID_REQUETE].s : NULL;
	enum status st;

	if (!db_begin(write))
		return ST_ERREUR_BDD;
	if (write && rid) {
		switch (request_find(r->who.user_id, rid, r->fp, replay)) {
		case 1:
			db_rollback();
			return ST_OK;
		case 2:
			db_rollback();
			return req_malformed(r, FLD_ID_REQUETE);
		case 0:
			break;
		default:
			db_rollback();
			return ST_ERREUR_BDD;
		}
	}
	if (write && !db_savepoint()) {
		db_rollback();
		return ST_ERREUR_BDD;
	}
	st = rt->handler(r, out);
	if (st == ST_ERREUR_BDD || st == ST_ERREUR_GENERIQUE) {
		db_rollback();
		return st;
	}
	if (write && st != ST_OK)
		db_rollback_savepoint(); /* a refusal changes nothing */
	if (write && rid) {
		json_object *copy = NULL;
		const char *text;
		int ok;

		/* The stored answer is the full reply, status included. */
		if (json_object_deep_copy(out, &copy, NULL) != 0) {
			db_rollback();
			return ST_ERREUR_GENERIQUE;
		}
		reply_str(copy, K_STATUS, status_defs[st].word);
		if (st == ST_REQUETE_MALFORME && r->champ)
			reply_str(copy, K_CHAMP, r->champ);
		if (r->secret != K__MAX)
			reply_str(copy, r->secret, NULL); /* replaced in place: never stored */
		text = json_object_to_json_string_ext(copy,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		ok = request_save(r->who.user_id, rid, r->fp, text, r->now);
		json_object_put(copy);
		if (!ok) {
			db_rollback();
			return ST_ERREUR_BDD;
		}
	}
	if (st == ST_OK && r->stream.key != K__MAX) {
		send_reply(io, r, st, out);
		*sent = true;
		db_rollback(); /* a read snapshot: nothing to keep */
		return st;
	}
	if (!db_commit())
		return ST_ERREUR_BDD;
	return st;
}

/* Finds the route whose path ends the URI's path (query and trailing slash
 * set aside), so the API also works from a sub-directory of a shared host. */
const struct route *
server_find_route(const char *uri, const struct route *routes, size_t n)
{
	size_t len = strcspn(uri, "?");

	if (len > 1 && uri[len - 1] == '/')
		len--;
	for (size_t i = 0; i < n; i++) {
		const char *p = routes[i].path;
		bool api = p[0] != '/';
		size_t pl = strlen(p), need = pl + (api ? 5 : 0);

		if (len < need || memcmp(uri + len - pl, p, pl) != 0)
			continue;
		if (api && memcmp(uri + len - need, "/api/", 5) != 0)
			continue;
		return &routes[i];
	}
	return NULL;
}

/* Reads and parses the body (POST) or the query string (GET). */
static enum status
read_params(struct io *io, struct req *r)
{
	enum parse_result pr;
	const char *ctype = io_env(io, "CONTENT_TYPE");
	const char *clen = io_env(io, "CONTENT_LENGTH");
	const char *bad = NULL;
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
			if (errno || *end)
				return ST_REQUETE_MALFORME;
			if (want > cfg.body_max)
				return ST_REQUETE_TROP_GRANDE;
			len = (size_t)io_read(io, io->body, (size_t)want);
			if (len != want)
				return ST_REQUETE_MALFORME;
		} else {
			/* No length: a chunked body passed on as it came (Apache's
			 * CGI does so), which ends at end of input. */
			len = (size_t)io_read(io, io->body, cfg.body_max + 1);
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

/* A request's path up to its handler, r->route being found: method, body,
 * credential, right, fields. Returns true when the handler is to run (then *st is
 * ST_OK); false when the answer is known (*st), or already sent (*st is
 * ST__MAX: a CORS preflight). */
static bool
serve_begin(struct io *io, struct req *r, json_object *out, enum status *st)
{
	enum auth_reason why = AR_ABSENT;

	reply_str(out, K_STATUS, NULL); /* keeps "status" the first key */
	r->method = io_env(io, "REQUEST_METHOD");
	r->remote_addr = io_env(io, "REMOTE_ADDR");
	r->authorization = io_env(io, "HTTP_AUTHORIZATION");
	r->io = io;
	r->scope_missing = 0;
	r->secret = K__MAX;
	req_raw(r, 0, NULL, NULL, 0);
	r->raw.headers[0] = '\0';
	r->champ = NULL;
	r->stream.key = K__MAX;
	r->params.n = 0;
	memset(&r->who, 0, sizeof r->who);
	for (int f = 0; f < FLD__MAX; f++)
		r->v[f].set = false;

	if (!r->route) {
		*st = ST_REQUETE_INCONNUE;
		return false;
	}
	if (strcmp(r->method, "OPTIONS") == 0) {
		/* CORS preflight: browsers ask before sending Authorization or JSON. */
		io_puts(io, "Status: 204 No Content\r\n"
		    "Access-Control-Allow-Origin: *\r\n"
		    "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n"
		    "Access-Control-Allow-Headers: Authorization, Content-Type\r\n"
		    "Access-Control-Max-Age: 86400\r\n\r\n");
		*st = ST__MAX;
		return false;
	}
	if (!(strcmp(r->method, "POST") == 0 ||
	    (strcmp(r->method, "GET") == 0 && (r->route->flags & R_GET)))) {
		*st = ST_METHODE_NON_AUTORISEE;
		return false;
	}
	if ((*st = read_params(io, r)) != ST_OK)
		return false;
	if (!(r->route->flags & R_PUBLIC)) {
		unsigned need = auth_scope_for(r->route->path);

		*st = auth_principal(&r->params, r->authorization, r->now, &r->who, &why);
		if (*st == ST_JETON_INVALIDE)
			reply_str(out, K_RAISON, auth_reason_words[why]);
		if (*st != ST_OK)
			return false;
		if (need && !(r->who.scopes & (need | SCOPE_ADMIN))) {
			r->scope_missing = need;
			*st = ST_DROITS_INSUFFISANTS;
			return false;
		}
		if ((*st = req_require(r, r->route->right)) != ST_OK)
			return false;
		if ((r->route->flags & R_SESSION) &&
		    (r->who.kind != CRED_SESSION || r->who.by_card)) {
			*st = ST_DROITS_INSUFFISANTS;
			return false;
		}
	}
	/* Raw routes validate their own fields, to answer in their own terms. */
	if (!(r->route->flags & R_RAW) && (*st = field_validate(&r->params, r->route->takes,
	    r->route->needs, r->v, &r->champ)) != ST_OK)
		return false;
	if ((r->route->flags & R_WRITE) && r->v[FLD_ID_REQUETE].set && !fingerprint(r)) {
		*st = ST_ERREUR_GENERIQUE;
		return false;
	}
	if (r->route->prepare && (*st = r->route->prepare(r, out)) != ST_OK)
		return false;
	return true;
}

/* Sends the answer (unless the handler streamed it) and frees the request's
 * reply state. */
static void
serve_end(struct io *io, struct req *r, json_object *out, enum status st, char *replay, bool sent)
{
	if (st == ST__MAX)
		;
	else if (replay) {
		send_headers(io, r, ST_OK);
		io_puts(io, replay);
	} else if (r->raw.http && st == ST_OK)
		send_raw(io, r);
	else if (!sent)
		send_reply(io, r, st, out);
	free(replay);
	req_raw(r, 0, NULL, NULL, 0);
	json_object_put(out);
}

static void
serve(struct io *io, struct req *r, const struct route *routes, size_t n)
{
	json_object *out = json_object_new_object();
	char *replay = NULL;
	bool sent = false;
	enum status st;

	r->route = server_find_route(io_env(io, "REQUEST_URI"), routes, n);
	if (serve_begin(io, r, out, &st))
		st = run_handler(io, r, out, &replay, &sent);
	serve_end(io, r, out, st, replay, sent);
}

/* Group commit. In a pool of one worker (TENP5_GROUP > 1: the payments'
 * writer), the writes that queued up while one was being served are accepted
 * together and run in one transaction, each in a savepoint of its own, and
 * none is answered before the group's single COMMIT: one fsync for them all.
 * A request alone is a group of one, so nobody waits for a group to fill.
 * (With several workers on a socket, another could take the connection
 * seen waiting, and accept would block: hence one worker.) */
struct slot {
	FCGX_Request fr;
	struct io io;
	struct req r;
	json_object *out;
	char *replay;
	enum status st;
	bool sent;
	bool in_group; /* run, waiting for the group's commit */
};
static struct slot *slots;
static size_t slots_n;
static uint64_t password_fields; /* FB() of the FT_PASSWORD fields, set by start */
static unsigned long request_id;

static void
slot_start(struct slot *s)
{
	s->r.id = ++request_id;
	s->r.now = now_ms();
	s->io.headers_sent = false;
	s->out = json_object_new_object();
	s->replay = NULL;
	s->sent = false;
	log_request(s->r.id);
}

static void
slot_end(struct slot *s, bool unix_socket)
{
	log_request(s->r.id);
	serve_end(&s->io, &s->r, s->out, s->st, s->replay, s->sent);
	/* Close without libfcgi's lingering close (shutdown, then wait for
	 * nginx to hang up): on a Unix socket nothing written is lost, and
	 * the worker is free a round trip sooner. */
	if (unix_socket)
		FCGX_Detach(&s->fr);
	FCGX_Finish_r(&s->fr);
	log_request(0);
}

/* A connection just accepted: over TCP it inherits the listener's one-second
 * timeout, which must not cut a request short; a Unix one does not (and
 * every system call counts on the payment path). */
static void
accepted(struct slot *s, bool unix_socket)
{
	static const struct timeval none = { 0, 0 };

	if (!unix_socket)
		setsockopt(s->fr.ipcFd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
}

/* Commits the grouped writes and answers them: erreur_bdd for all if the
 * commit failed, since none of them happened. */
static void
group_end(bool unix_socket)
{
	bool ok = db_group_commit();

	for (size_t i = 0; i < slots_n; i++) {
		struct slot *s = &slots[i];

		if (!s->in_group)
			continue;
		if (!ok) {
			free(s->replay);
			s->replay = NULL;
			req_raw(&s->r, 0, NULL, NULL, 0);
			json_object_put(s->out);
			s->out = json_object_new_object();
			reply_str(s->out, K_STATUS, NULL);
			s->st = ST_ERREUR_BDD;
		}
		s->in_group = false;
		slot_end(s, unix_socket);
	}
}

/* Is another connection waiting on the listening socket? */
static bool
pending(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Whether a request does slow work before its handler (scrypt, in a prepare
 * step or the idRequete fingerprint of a password): never under a group's
 * open transaction, which holds the write lock. */
static bool
slow_start(const struct route *rt)
{
	return rt && (rt->prepare || (rt->takes & password_fields));
}

/* Serves the request accepted in slots[0], and the writes queued behind it
 * as one group when grouping is on. */
static void
serve_accepted(const struct route *routes, size_t n, bool unix_socket)
{
	struct slot *s = &slots[0];
	size_t k = 0; /* writes run in the open group */

	for (;;) {
		bool run, join;

		slot_start(s);
		s->r.route = server_find_route(io_env(&s->io, "REQUEST_URI"), routes, n);
		if (k > 0 && slow_start(s->r.route)) {
			group_end(unix_socket);
			k = 0;
		}
		run = serve_begin(&s->io, &s->r, s->out, &s->st);
		join = run && (s->r.route->flags & R_WRITE) && slots_n > 1;
		if (join && k == 0 && !db_group_begin()) {
			s->st = ST_ERREUR_BDD; /* the group's transaction did not open */
			run = join = false;
		}
		if (run && !join && k > 0) {
			/* a read sees only what is durable: the group first */
			group_end(unix_socket);
			k = 0;
		}
		if (run)
			s->st = run_handler(&s->io, &s->r, s->out, &s->replay, &s->sent);
		if (join) {
			s->in_group = true;
			k++;
		} else
			slot_end(s, unix_socket);
		if (stopping || k == slots_n || !pending())
			break;
		for (s = slots; s->in_group; s++)
			; /* a free slot: k < slots_n */
		if (FCGX_Accept_r(&s->fr) < 0)
			break;
		accepted(s, unix_socket);
	}
	if (k > 0)
		group_end(unix_socket);
}

/* Between requests: writes batched key uses when due, and every ten minutes
 * forgets stale sessions, login failures and idempotency records. */
static void
idle(int64_t now)
{
	static int64_t last;

	(void)auth_flush_usage(now, false);
	db_checkpoint(false);
	if (now - last < 600000)
		return;
	last = now;
	if (!db_begin(true))
		return;
	if (auth_sessions_purge(now) && limit_purge(now) && request_purge(now))
		(void)db_commit();
	else
		db_rollback();
}

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static int
start(const char *prog)
{
	log_init(prog);
	if (!config_load())
		return 0;
	if (!crypto_init()) {
		log_error("libsodium cannot start");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	/* A file-size limit reached must be an error to answer (erreur_bdd), not
	 * a signal that kills the worker in the middle of a request. */
	signal(SIGXFSZ, SIG_IGN);
	for (int f = 0; f < FLD__MAX; f++)
		if (field_defs[f].type == FT_PASSWORD)
			password_fields |= FB(f);
	slots_n = (size_t)cfg.group_max;
	if (!(slots = calloc(slots_n, sizeof *slots))) {
		log_error("out of memory");
		return 0;
	}
	for (size_t i = 0; i < slots_n; i++) {
		if (!(slots[i].io.body = malloc(cfg.body_max + 1))) {
			log_error("out of memory");
			return 0;
		}
		slots[i].io.fr = &slots[i].fr;
	}
	/* A worker without its database still answers (erreur_bdd) and retries
	 * the open before each request, so service resumes once it is fixed. */
	if (!db_open(cfg.db_path, true))
		log_error("cannot open the database (TENP5_DB)");
	return 1;
}

static void
stop(int64_t now)
{
	(void)auth_flush_usage(now, true);
	db_close();
	for (size_t i = 0; slots && i < slots_n; i++)
		free(slots[i].io.body);
	free(slots);
	slots = NULL;
}

/* `<binary> --routes` prints the route table, one JSON object a line, for
 * the tests that check every endpoint (rights matrix, hostile input). */
static int
print_routes(const struct route *routes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct route *rt = &routes[i];
		json_object *o = json_object_new_object(), *takes = json_object_new_array();

		json_object_object_add(o, "path", json_object_new_string(rt->path));
		json_object_object_add(o, "right", json_object_new_int(rt->right));
		json_object_object_add(o, "public", json_object_new_boolean(rt->flags & R_PUBLIC));
		json_object_object_add(o, "write", json_object_new_boolean(rt->flags & R_WRITE));
		json_object_object_add(o, "get", json_object_new_boolean(rt->flags & R_GET));
		json_object_object_add(o, "raw", json_object_new_boolean(rt->flags & R_RAW));
		json_object_object_add(o, "session", json_object_new_boolean(rt->flags & R_SESSION));
		json_object_object_add(o, "scope", json_object_new_int((int)auth_scope_for(rt->path)));
		for (int f = 0; f < FLD__MAX; f++) {
			json_object *fo;

			if (!(rt->takes & FB(f)))
				continue;
			fo = json_object_new_object();
			json_object_object_add(fo, "name", json_object_new_string(field_defs[f].wire));
			json_object_object_add(fo, "type", json_object_new_int(field_defs[f].type));
			json_object_object_add(fo, "required", json_object_new_boolean(rt->needs & FB(f)));
			json_object_array_add(takes, fo);
		}
		json_object_object_add(o, "fields", takes);
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	return 0;
}

int
server_main(int argc, char **argv, const char *prog, const struct route *routes, size_t n)
{
	struct timeval wake = { 1, 0 };
	struct sigaction sa;
	bool unix_socket;

	if (argc == 2 && strcmp(argv[1], "--routes") == 0)
		return print_routes(routes, n);
	if (!start(prog))
		return 1;
	/* The FastCGI library answers "CGI" when fd 0 is not a listening socket. */
	if (FCGX_Init() != 0 || FCGX_IsCGI()) {
		struct slot *s = &slots[0];

		s->io.fr = NULL;
		db_heal();
		slot_start(s);
		serve(&s->io, &s->r, routes, n);
		fflush(stdout);
		stop(s->r.now);
		return 0;
	}
	/* After FCGX_Init, which installs its own SIGUSR1 handler: SIGUSR1 (the
	 * graceful stop of FastCGI managers), SIGTERM and SIGINT all end the loop
	 * between requests. No SA_RESTART: accept() must return. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	for (size_t i = 0; i < slots_n; i++)
		FCGX_InitRequest(&slots[i].fr, 0, FCGI_FAIL_ACCEPT_ON_INTR);
	/* accept() gives up every second, so an idle worker still writes its
	 * batched key uses on time. */
	setsockopt(0, SOL_SOCKET, SO_RCVTIMEO, &wake, sizeof wake);
	{
		struct sockaddr_storage addr;
		socklen_t len = sizeof addr;

		unix_socket = getsockname(0, (struct sockaddr *)&addr, &len) == 0 &&
		    addr.ss_family == AF_UNIX;
	}
	while (!stopping) {
		int rc = FCGX_Accept_r(&slots[0].fr);

		if (rc < 0) {
			/* Timeouts come back as -EAGAIN, stray signals (a debugger
			 * attaching) as -EINTR; anything else ends the worker. */
			if (stopping || (rc != -EAGAIN && rc != -EWOULDBLOCK && rc != -EINTR)) {
				if (!stopping)
					log_error("accept: %s", strerror(-rc));
				break;
			}
			idle(now_ms());
			continue;
		}
		accepted(&slots[0], unix_socket);
		db_heal();
		serve_accepted(routes, n, unix_socket);
		idle(now_ms());
	}
	for (size_t i = 0; i < slots_n; i++)
		FCGX_Free(&slots[i].fr, 1);
	stop(now_ms());
	return 0;
}
