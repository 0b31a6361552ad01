/*
 * The accept loop and a request's path through it:
 *   method, path and size checks -> body parsing -> credential -> right ->
 *   fields -> handler inside one transaction (with idRequete replay) -> reply.
 * Under spawn-fcgi, fd 0 is a listening socket and FCGX_Accept_r serves request
 * after request; otherwise the same code serves the one CGI request from the
 * environment, stdin and stdout.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <fcgiapp.h>

#include "config.h"
#include "db.h"
#include "db_request.h"
#include "limit.h"
#include "log.h"
#include "password.h"
#include "server.h"
#include "sha256.h"

struct io {
	FCGX_Request *fr; /* NULL under plain CGI */
	bool headers_sent;
};

static volatile sig_atomic_t stopping;
static char *body;         /* cfg.body_max + 1 bytes, reused by every request */

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

static void
send_headers(struct io *io, enum status st, const struct route *route)
{
	char line[128];

	snprintf(line, sizeof line, "Status: %d %s\r\n", status_defs[st].http,
	    status_defs[st].reason);
	io_puts(io, line);
	io_puts(io, "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Access-Control-Allow-Origin: *\r\n");
	if (st == ST_METHODE_NON_AUTORISEE)
		io_puts(io, route && (route->flags & R_GET) ? "Allow: GET, POST, OPTIONS\r\n"
		    : "Allow: POST, OPTIONS\r\n");
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
		reply_str(out, K_STATUS, status_defs[st].word);
		if (st == ST_REQUETE_MALFORME && r->champ)
			reply_str(out, K_CHAMP, r->champ);
	}
	text = json_object_to_json_string_length(out,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	send_headers(io, st, r->route);
	if (st == ST_OK && r->stream.key != K__MAX) {
		io_write(io, text, len - 1); /* all but the closing brace */
		if (!send_stream(io, r))
			log_error("reply stream cut short");
	} else
		io_write(io, text, len);
	json_object_put(bare);
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

static const struct route *
find_route(const char *uri, const struct route *routes, size_t n)
{
	const char *p = strstr(uri, "/api/");
	size_t len;

	if (!p)
		return NULL;
	p += 5;
	len = strcspn(p, "?");
	if (len > 0 && p[len - 1] == '/')
		len--;
	for (size_t i = 0; i < n; i++)
		if (strlen(routes[i].path) == len && memcmp(routes[i].path, p, len) == 0)
			return &routes[i];
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
		memcpy(body, qs, len);
	} else {
		char *end;
		unsigned long long want = 0;

		if (*clen) {
			errno = 0;
			want = strtoull(clen, &end, 10);
			if (errno || *end)
				return ST_REQUETE_MALFORME;
		}
		if (want > cfg.body_max)
			return ST_REQUETE_TROP_GRANDE;
		len = (size_t)io_read(io, body, (size_t)want);
		if (len != want)
			return ST_REQUETE_MALFORME;
		if (*ctype) {
			size_t mlen = strcspn(ctype, "; \t");

			if (mlen == 16 && strncasecmp(ctype, "application/json", 16) == 0)
				json = true;
			else if (!(mlen == 33 && strncasecmp(ctype,
			    "application/x-www-form-urlencoded", 33) == 0))
				return ST_REQUETE_MALFORME;
		}
	}
	pr = json ? json_body_parse(&r->params, body, len, &bad)
	    : form_parse(&r->params, body, len, &bad);
	if (pr == PARSE_TOO_MANY)
		return ST_REQUETE_TROP_GRANDE;
	if (pr != PARSE_OK) {
		r->champ = bad;
		return ST_REQUETE_MALFORME;
	}
	return ST_OK;
}

static void
serve(struct io *io, struct req *r, const struct route *routes, size_t n)
{
	json_object *out = json_object_new_object();
	char *replay = NULL;
	bool sent = false;
	enum status st;
	enum auth_reason why = AR_ABSENT;

	reply_str(out, K_STATUS, NULL); /* keeps "status" the first key */
	r->method = io_env(io, "REQUEST_METHOD");
	r->remote_addr = io_env(io, "REMOTE_ADDR");
	r->route = find_route(io_env(io, "REQUEST_URI"), routes, n);
	r->champ = NULL;
	r->stream.key = K__MAX;
	r->params.n = 0;
	memset(&r->who, 0, sizeof r->who);
	for (int f = 0; f < FLD__MAX; f++)
		r->v[f].set = false;

	if (!r->route) {
		st = ST_REQUETE_INCONNUE;
		goto reply;
	}
	if (strcmp(r->method, "OPTIONS") == 0) {
		/* CORS preflight: browsers ask before sending Authorization or JSON. */
		io_puts(io, "Status: 204 No Content\r\n"
		    "Access-Control-Allow-Origin: *\r\n"
		    "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n"
		    "Access-Control-Allow-Headers: Authorization, Content-Type\r\n"
		    "Access-Control-Max-Age: 86400\r\n\r\n");
		goto out;
	}
	if (!(strcmp(r->method, "POST") == 0 ||
	    (strcmp(r->method, "GET") == 0 && (r->route->flags & R_GET)))) {
		st = ST_METHODE_NON_AUTORISEE;
		goto reply;
	}
	if ((st = read_params(io, r)) != ST_OK)
		goto reply;
	if (!(r->route->flags & R_PUBLIC)) {
		st = auth_principal(&r->params, r->now, &r->who, &why);
		if (st == ST_JETON_INVALIDE)
			reply_str(out, K_RAISON, auth_reason_words[why]);
		if (st != ST_OK)
			goto reply;
		if ((st = req_require(r, r->route->right)) != ST_OK)
			goto reply;
	}
	st = field_validate(&r->params, r->route->takes, r->route->needs, r->v, &r->champ);
	if (st != ST_OK)
		goto reply;
	if ((r->route->flags & R_WRITE) && r->v[FLD_ID_REQUETE].set && !fingerprint(r)) {
		st = ST_ERREUR_GENERIQUE;
		goto reply;
	}
	if (r->route->prepare && (st = r->route->prepare(r, out)) != ST_OK)
		goto reply;
	st = run_handler(io, r, out, &replay, &sent);
reply:
	if (replay) {
		send_headers(io, ST_OK, r->route);
		io_puts(io, replay);
		free(replay);
	} else if (!sent)
		send_reply(io, r, st, out);
out:
	json_object_put(out);
}

/* Forgets stale sessions, login failures and idempotency records, every ten
 * minutes per process, outside any request's transaction. */
static void
housekeeping(int64_t now)
{
	static int64_t last;

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
	struct sigaction sa;

	log_init(prog);
	if (!config_load())
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: accept() must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!(body = malloc(cfg.body_max + 1))) {
		log_error("out of memory");
		return 0;
	}
	/* A worker without its database still answers (erreur_bdd) and retries
	 * the open before each request, so service resumes once it is fixed. */
	if (!db_open(cfg.db_path, true))
		log_error("cannot open the database (TENP5_DB)");
	return 1;
}

static void
stop(void)
{
	db_close();
	free(body);
	body = NULL;
}

int
server_main(int argc, char **argv, const char *prog, const struct route *routes, size_t n)
{
	static struct req r; /* large (the params array): not on the stack */
	struct io io = { 0 };
	FCGX_Request fr;

	(void)argc;
	(void)argv;
	if (!start(prog))
		return 1;
	/* The FastCGI library answers "CGI" when fd 0 is not a listening socket. */
	if (FCGX_Init() != 0 || FCGX_IsCGI()) {
		r.id = 1;
		db_heal();
		r.now = now_ms();
		serve(&io, &r, routes, n);
		fflush(stdout);
		stop();
		return 0;
	}
	FCGX_InitRequest(&fr, 0, FCGI_FAIL_ACCEPT_ON_INTR);
	io.fr = &fr;
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		r.id++;
		r.now = now_ms();
		log_request(r.id);
		db_heal();
		io.headers_sent = false;
		serve(&io, &r, routes, n);
		FCGX_Finish_r(&fr);
		housekeeping(r.now);
		log_request(0);
	}
	FCGX_Free(&fr, 1);
	stop();
	return 0;
}
