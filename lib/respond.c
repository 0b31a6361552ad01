/*
 * Answers. Business refusals are HTTP 200 with their status word, as the
 * Android app expects; a credential that came in the Authorization header
 * gets 401 and 403 instead (RFC 6750). Storage and internal errors show
 * nothing of what the handler had added.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "answers.h"
#include "auth.h"
#include "db.h"
#include "hooks.h"
#include "log.h"
#include "respond.h"
#include "text.h"

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
send_headers(struct req *r, enum status st)
{
	struct io *io = &r->io;
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
		io_puts(io, r->route && (r->route->flags & R_GET) ? "Allow: GET, POST, OPTIONS\r\n"
		    : "Allow: POST, OPTIONS\r\n");
	if (st == ST_TROP_DE_CONNEXIONS)
		io_puts(io, "Retry-After: 10\r\n"); /* as the front server's own 429 */
	if (code == 401)
		io_puts(io, "WWW-Authenticate: Bearer realm=\"10p5\", error=\"invalid_token\"\r\n");
	if (code == 403 && r->scope_missing) {
		char words[64];

		scope_format(r->scope_missing, words, sizeof words);
		snprintf(line, sizeof line, "WWW-Authenticate: Bearer realm=\"10p5\", "
		    "error=\"insufficient_scope\", scope=\"%s\"\r\n", words);
		io_puts(io, line);
	}
	io_puts(io, r->raw.headers); /* a handler's own (a cookie) */
	io_puts(io, "\r\n");
	io->headers_sent = true;
}

/* The room a row writer is given (see row_fn): ROW_MAX, which every row
 * without a payment's lines fits in; a row that does not (a payment from the
 * catalogue with its lines, up to some 40 kB) is made again in ROW_LONG. */
#define ROW_MAX 1023
#define ROW_LONG (48 * 1024)
_Static_assert(ROW_LONG + 1 <= IO_LONG, "a long row fits in the transport's buffer");

enum sent {
	SENT_WHOLE,
	SENT_FAILED,   /* a row could not be read or written: a storage error */
	SENT_GONE,     /* the answer can no longer be delivered */
};

/* Writes the list's current row into the answer's buffer after a comma
 * (unless first), first within ROW_MAX bytes, else within ROW_LONG. Returns
 * where it went, *n its length with the comma (the caller then calls
 * io_used); NULL when the row failed, and then *gone if it is because the
 * answer can no longer be delivered. */
static char *
put_row(struct req *r, bool first, size_t *n, bool *gone)
{
	static const size_t room[] = { ROW_MAX, ROW_LONG };
	size_t comma = first ? 0 : 1;

	*gone = false;
	for (size_t i = 0; i < sizeof room / sizeof room[0]; i++) {
		char *p = io_space(&r->io, room[i] + comma);
		int w;

		if (!p) {
			*gone = true;
			return NULL;
		}
		if (comma)
			*p = ',';
		if ((w = r->stream.row(r->stream.st, p + comma, room[i])) >= 0) {
			*n = (size_t)w + comma;
			return p;
		}
	}
	return NULL;
}

/* Whether r's list may be kept for the next identical request (answers.h),
 * and if so its key in *key: a read answered inside its own transaction,
 * which only reads (what a write transaction sees may yet be undone), by a
 * process that serves more than one request. */
static bool
keepable(struct req *r, struct text *key)
{
	char head[96];
	char *sql;

	if (r->io.cgi || answers_max() == 0 || (r->route->flags & R_WRITE) ||
	    sqlite3_get_autocommit(db_handle()) || sqlite3_txn_state(db_handle(), NULL) == SQLITE_TXN_WRITE ||
	    !(sql = sqlite3_expanded_sql(r->stream.st)))
		return false;
	snprintf(head, sizeof head, "%d %p %" PRId64 " ", (int)r->stream.key,
	    (void *)r->stream.row, r->stream.limit);
	text_puts(key, head);
	text_puts(key, sql);
	sqlite3_free(sql);
	return !key->failed;
}

/* Adds n bytes at s to the copy being kept, if any; past the longest answer
 * kept (or out of memory), the copy is let go. */
static void
copy(struct text **kept, const char *s, size_t n)
{
	if (!*kept)
		return;
	text_add(*kept, s, n);
	if ((*kept)->failed || (*kept)->n > answers_max()) {
		text_free(*kept);
		*kept = NULL;
	}
}

/* Writes s to the answer and to the copy being kept. */
static void
put(struct io *io, struct text **kept, const char *s)
{
	io_puts(io, s);
	copy(kept, s, strlen(s));
}

/* Writes the streamed list and closes the object, each row straight into the
 * transport's buffer for long answers, or the bytes of the same list kept
 * from an earlier request on the same contents. Stops at the first failure:
 * the caller then cuts the answer. */
static enum sent
send_stream(struct req *r)
{
	struct io *io = &r->io;
	struct text key = { 0 }, whole = { 0 }, *kept = NULL;
	struct db_mark mark;
	enum sent res = SENT_FAILED;
	char tail[64];
	int64_t count = 0, last = 0;
	bool cut = false;
	const char *b;
	char *bytes;
	size_t n;
	int rc;

	if (keepable(r, &key) &&
	    (r->stream.card ? db_card_mark(&mark, r->stream.card) : db_mark(&mark))) {
		if ((b = answers_find(key.p, &mark, &n))) {
			res = io_write_long(io, b, n) ? SENT_WHOLE : SENT_GONE;
			goto out;
		}
		kept = &whole;
	}
	put(io, &kept, ",\"");
	put(io, &kept, key_names[r->stream.key]);
	put(io, &kept, "\":[");
	while ((rc = db_step(r->stream.st)) == SQLITE_ROW) {
		char *p;
		size_t w;
		bool gone;

		if (r->stream.limit > 0 && count == r->stream.limit) {
			cut = true;
			break;
		}
		if (!(p = put_row(r, count == 0, &w, &gone)) || hook_fail("row")) {
			res = gone ? SENT_GONE : SENT_FAILED;
			goto out;
		}
		io_used(io, w);
		copy(&kept, p, w);
		last = sqlite3_column_int64(r->stream.st, 0);
		count++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto out;
	put(io, &kept, "]");
	if (cut) {
		snprintf(tail, sizeof tail, ",\"%s\":%" PRId64, key_names[K_SUIVANT], last);
		put(io, &kept, tail);
	}
	put(io, &kept, "}");
	if (kept && (bytes = text_take(kept, &n)))
		answers_keep(key.p, &mark, bytes, n);
	res = SENT_WHOLE;
out:
	sqlite3_reset(r->stream.st);
	text_free(&key);
	text_free(&whole);
	return res;
}

/* Cuts the answer when its list did not go out whole. */
static void
list_end(struct req *r, enum sent res)
{
	switch (res) {
	case SENT_WHOLE:
		break;
	case SENT_FAILED:
		log_error("a list failed half-way: its answer is cut");
		/* fall through */
	case SENT_GONE:
		io_abort(&r->io);
		break;
	}
}

/* Writes the JSON reply for status st from r->out. */
static void
send_reply(struct req *r, enum status st)
{
	json_object *out = r->out, *bare = NULL;
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
	send_headers(r, st);
	if (st == ST_OK && r->stream.key != K__MAX) {
		io_write(&r->io, text, len - 1); /* all but the closing brace */
		list_end(r, send_stream(r));
	} else
		io_write(&r->io, text, len);
	json_object_put(bare);
}

static const char *
reason_phrase(int http)
{
	switch (http) {
	case 200: return "OK";
	case 302: return "Found";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	default: return "Error";
	}
}

/* Writes the rows of a raw reply's list after its body, as they come (an
 * export's lines). Stops at the first failure: the caller then cuts the
 * answer. */
static enum sent
send_rows(struct req *r)
{
	enum sent res = SENT_WHOLE;
	int rc;

	while ((rc = db_step(r->stream.st)) == SQLITE_ROW) {
		size_t w;
		bool gone;

		if (!put_row(r, true, &w, &gone) || hook_fail("row")) {
			res = gone ? SENT_GONE : SENT_FAILED;
			break;
		}
		io_used(&r->io, w);
	}
	if (res == SENT_WHOLE && rc != SQLITE_DONE)
		res = SENT_FAILED;
	sqlite3_reset(r->stream.st);
	return res;
}

/* Writes a raw reply (R_RAW routes, or a handler's own reply such as an
 * export), then its list if it has one. */
static void
send_raw(struct req *r)
{
	char line[128];

	snprintf(line, sizeof line, "Status: %d %s\r\nContent-Type: %s\r\n", r->raw.http,
	    reason_phrase(r->raw.http), r->raw.type ? r->raw.type : "text/plain; charset=utf-8");
	io_puts(&r->io, line);
	io_puts(&r->io, "X-Content-Type-Options: nosniff\r\n");
	io_puts(&r->io, r->raw.headers);
	io_puts(&r->io, "\r\n");
	if (r->raw.body)
		io_write(&r->io, r->raw.body, r->raw.len);
	if (r->stream.key == K__MAX)
		return;
	list_end(r, send_rows(r));
}

void
respond(struct req *r)
{
	if (r->replay) {
		send_headers(r, ST_OK);
		io_puts(&r->io, r->replay);
	} else if (r->raw.http && r->st == ST_OK)
		send_raw(r);
	else
		send_reply(r, r->st);
}

void
respond_preflight(struct req *r)
{
	io_puts(&r->io, "Status: 204 No Content\r\n"
	    "Access-Control-Allow-Origin: *\r\n"
	    "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n"
	    "Access-Control-Allow-Headers: Authorization, Content-Type\r\n"
	    "Access-Control-Max-Age: 86400\r\n\r\n");
	r->io.headers_sent = true;
	r->answered = true;
}
