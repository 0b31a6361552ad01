/*
 * The live feed's stream writer: what a subscriber's connection receives, as
 * Server-Sent Events (the headers and retry: line, the events, comment lines,
 * reinitialiser, fin), and, under FastCGI, a stream from its registration to
 * its end in its connection's thread.
 */
#ifndef TENP5_FEED_SSE_H
#define TENP5_FEED_SSE_H

#include <stdint.h>

#include "auth.h"
#include "feed_registry.h"
#include "reply.h"
#include "transport.h"

#define SSE_HEARTBEAT_MS 10000 /* a comment line at least this often */

/* The answer's headers, and the retry: line. */
void sse_headers(struct io *io);

/* The last event of a stream whose credential ended: fin, with the status
 * (and raison) an API call would get. */
void sse_fin(struct io *io, enum status st, enum auth_reason why);

/* Tells the client to start afresh from id, the journal's newest: its id
 * line makes a browser's EventSource resume from there. */
void sse_reinit(struct io *io, int64_t id);

/* A comment line, which keeps the connection alive. */
void sse_ping(struct io *io);

/* A stream, from its registration to its end (the client gone, the
 * credential's end, shutdown), in its connection's thread; s is delisted
 * when it returns. */
void sse_follow(struct io *io, struct subscriber *s);

#endif
