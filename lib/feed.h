/*
 * The live feed (doc/feed.md): the journal as Server-Sent Events. Under FastCGI,
 * one process holds every subscriber: each is a thread blocked on its own
 * condition, woken only for the events its filters take, and only ever
 * writing to its own peer; the main thread alone touches the database: it
 * follows the journal, renders each event once per shape into a ring that
 * replays the last cfg.feed_history journal entries, re-checks subscribers'
 * credentials, and runs the area's other routes. Under plain CGI the same
 * route streams for cfg.feed_cgi_ms, then ends; the client comes back with
 * Last-Event-ID.
 */
#ifndef TENP5_FEED_H
#define TENP5_FEED_H

#include "server.h"

/* The stream route's handler. Under CGI it is the whole stream (it writes
 * the answer itself, r->answered); under FastCGI feed_serve never calls it. */
enum status feed_stream(struct req *r, json_object *out);

/* The FastCGI server of an area that holds a stream route (struct area's
 * serve). Returns the process exit code. */
int feed_serve(const struct area *a);

#endif
