/*
 * The stream writer (feed_sse.h). What holds (asserted): the headers go
 * first and once, before any event or comment line; a stream thread holds
 * no lock while it writes to its peer, so a slow reader delays nobody but
 * itself.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "clock.h"
#include "feed_sse.h"
#include "hooks.h"
#include "server.h"

#define RETRY_MS 3000       /* what clients are told to wait before coming back */
#define OUT_MAX (64 * 1024) /* bytes a subscriber copies out of the ring at once */

void
sse_headers(struct io *io)
{
	char retry[32];

	assert(!io->headers_sent);
	io_puts(io, "Status: 200 OK\r\n"
	    "Content-Type: text/event-stream; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Accel-Buffering: no\r\n"
	    "Access-Control-Allow-Origin: *\r\n\r\n");
	snprintf(retry, sizeof retry, "retry: %d\n\n", RETRY_MS);
	io_puts(io, retry);
	io->headers_sent = true;
}

void
sse_fin(struct io *io, enum status st, enum auth_reason why)
{
	json_object *o = json_object_new_object();

	assert(io->headers_sent);
	reply_str(o, K_STATUS, status_defs[st].word);
	if (st == ST_JETON_INVALIDE)
		reply_str(o, K_RAISON, auth_reason_words[why]);
	io_puts(io, "event: fin\ndata: ");
	io_puts(io, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	io_puts(io, "\n\n");
	json_object_put(o);
}

void
sse_reinit(struct io *io, int64_t id)
{
	char line[64];

	assert(io->headers_sent);
	snprintf(line, sizeof line, "id: %lld\nevent: reinitialiser\ndata: {}\n\n", (long long)id);
	io_puts(io, line);
}

void
sse_ping(struct io *io)
{
	assert(io->headers_sent);
	io_puts(io, ": ping\n\n");
}

void
sse_follow(struct io *io, struct subscriber *s)
{
	char *out = malloc(OUT_MAX);
	int64_t beat = mono_ms() + SSE_HEARTBEAT_MS;

	sse_headers(io);
	if (s->reinit)
		sse_reinit(io, s->last);
	while (out && !server_stopping) {
		struct view v;
		bool more, overrun;
		size_t n;

		registry_wait(s, beat, &v);
		if (v.end != ST_OK) {
			sse_fin(io, v.end, s->why);
			io_flush(io);
			break;
		}
		hook_pause("collect"); /* its shapes read, the ring not yet */
		n = registry_collect(s, &v, out, OUT_MAX, &more, &overrun);
		if (overrun)
			sse_reinit(io, s->last);
		if (n > 0)
			io_write(io, out, n);
		if (mono_ms() >= beat) {
			sse_ping(io);
			beat = mono_ms() + SSE_HEARTBEAT_MS;
		}
		if (!io_flush(io))
			break; /* the client went away */
		if (more)
			registry_more(s);
	}
	registry_delist(s);
	free(out);
}
