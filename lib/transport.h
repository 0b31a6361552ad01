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

/* A long answer's buffer (see io_space): its bytes leave as one FastCGI
 * record each time it fills, well under the record's limit of 65535. */
#define IO_LONG (64 * 1024 - 512)

struct io {
	FCGX_Request fr;      /* FastCGI only */
	bool cgi;             /* plain CGI: getenv, stdin, stdout */
	bool open;            /* a FastCGI request is open on fr */
	bool headers_sent;
	bool aborted;         /* the answer failed half-way: see io_abort */
	char *body;           /* the request body, cfg.body_max + 1 bytes */
	char *long_buf;       /* IO_LONG bytes; NULL until used */
	size_t long_n;        /* bytes of the answer waiting in long_buf */
	bool long_sent;       /* records of ours went out: the rest must follow them */
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
/* Writes n bytes of a long answer after what io_space's buffer holds (as
 * io_write does once that buffer is in use), each whole IO_LONG of them as a
 * record sent straight from s, without copying. Returns 1, or 0 once the
 * answer can no longer be delivered. */
int io_write_long(struct io *io, const char *s, size_t n);

/* Long answers (streamed lists), written straight into a buffer of the
 * transport's rather than through libfcgi's 8 kB records: io_space returns
 * where the next n bytes of the answer go (n <= IO_LONG), after sending what
 * the buffer holds if it lacks room; io_used(io, k) then adds the k bytes
 * written there. Under FastCGI each full buffer leaves as one record written
 * to the connection, libfcgi's own buffer flushed first; an answer that never
 * fills the buffer goes through libfcgi at io_close, exactly as io_write would
 * have sent it. io_space returns NULL once the answer cannot be delivered (the
 * peer hung up or stalled past the send timeout): the answer is then cut, as
 * by io_abort. The buffer is allocated at first use and kept. */
char *io_space(struct io *io, size_t n);
void io_used(struct io *io, size_t n);

/* Pushes what was written so far to the front server (streams), by io_write
 * and io_space alike. Returns 1, or 0 when the peer is gone. */
int io_flush(struct io *io);

/* The answer failed half-way (a storage error while streaming a list): it
 * must not look complete. io_close then drops what is still buffered and the
 * connection, without ending the FastCGI request, so the front server reports
 * a failure to the client; under CGI the body is simply left unterminated. */
void io_abort(struct io *io);

/* Ends the request and its connection. */
void io_close(struct io *io);

#endif
