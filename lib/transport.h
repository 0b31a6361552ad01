/*
 * Transport: how a request arrives and how its answer leaves, by FastCGI (a
 * front server, one connection per request) or as plain CGI (environment,
 * stdin, stdout). A FastCGI request is read whole before any other stage
 * runs: the worker waits, until a deadline and holding no lock, for the
 * complete request to sit in the socket's buffer, so that no stage after it
 * can block on a slow or stalled peer.
 */
#ifndef TENP5_TRANSPORT_H
#define TENP5_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <fcgiapp.h>

struct io {
	FCGX_Request fr;      /* FastCGI only */
	bool cgi;             /* plain CGI: getenv, stdin, stdout */
	bool open;            /* a FastCGI request is open on fr */
	bool headers_sent;
	bool aborted;         /* the answer failed half-way: see io_abort */
	char *body;           /* the request body, cfg.body_max + 1 bytes */
};

/* Prepares io; cgi selects plain CGI. Returns 1, or 0 out of memory. */
int io_init(struct io *io, bool cgi);
void io_free(struct io *io);

/* Notes what kind of socket the listener is (Unix or TCP), once at start. */
void transport_init(int listener);

/* Waits up to timeout_ms for a connection on the listening socket and accepts
 * it. Returns its descriptor; -1 when none came in time or a signal arrived;
 * -2 when the listener itself fails (logged). */
int transport_accept(int listener, int timeout_ms);

/* True when another connection is already waiting on the listener. */
bool transport_pending(int listener);

/* Waits until the whole FastCGI request sent on connection fd is queued in
 * its buffer (or more than io's body buffer holds, which is more than any
 * request the server takes), until deadline_ms (on the mono_ms() clock); io's
 * body buffer serves to look. Returns 1 when it is; 0 when the peer stalled,
 * hung up or sent something else than FastCGI, and fd is then closed. */
int transport_wait(struct io *io, int fd, int64_t deadline_ms);

/* Opens, through libfcgi, the request queued on connection fd (see
 * transport_wait). Returns 1, or 0 when it is not a valid FastCGI request
 * (fd is then closed). */
int io_open(struct io *io, int fd);

/* A request variable ("" when absent): REQUEST_METHOD, HTTP_COOKIE... */
const char *io_env(const struct io *io, const char *name);

/* Reads up to n bytes of the body into buf; returns how many (fewer at its
 * end, or on a transport error). */
size_t io_read(struct io *io, char *buf, size_t n);

void io_write(struct io *io, const char *s, size_t n);
void io_puts(struct io *io, const char *s);

/* Pushes what was written so far to the front server (streams). Returns 1, or
 * 0 when the peer is gone. */
int io_flush(struct io *io);

/* The answer failed half-way (a storage error while streaming a list): it
 * must not look complete. io_close then drops the connection without ending
 * the FastCGI request, so the front server reports a failure to the client;
 * under CGI the body is simply left unterminated. */
void io_abort(struct io *io);

/* Ends the request and its connection. */
void io_close(struct io *io);

#endif
