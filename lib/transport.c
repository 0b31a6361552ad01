/*
 * FastCGI and CGI I/O. The worker accepts connections itself, waits for a
 * whole request with MSG_PEEK (nothing is consumed), then gives the
 * connection to libfcgi, whose reads can no longer block: its request
 * structure is handed the descriptor with keepConnection set, so that
 * FCGX_Accept_r reads from it instead of accepting, and its own listener is
 * -1, so that it never accepts by itself.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <fastcgi.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "transport.h"

/* A connection that stops reading our answer for this long is dropped. */
#define SEND_TIMEOUT_S 30

/* Over a Unix socket, connections close at once; over TCP, libfcgi's
 * lingering close keeps unread bytes from turning into a reset. */
static bool unix_listener;

void
transport_init(int listener)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof addr;
	int flags = fcntl(listener, F_GETFL);

	unix_listener = getsockname(listener, (struct sockaddr *)&addr, &len) == 0 &&
	    addr.ss_family == AF_UNIX;
	/* Workers of a pool wait on one listener: all wake for a connection,
	 * one takes it, and the others' accept() must come back at once
	 * rather than block until the next (their idle work would wait). */
	if (flags >= 0)
		fcntl(listener, F_SETFL, flags | O_NONBLOCK);
}

int
io_init(struct io *io, bool cgi)
{
	memset(io, 0, sizeof *io);
	io->cgi = cgi;
	FCGX_InitRequest(&io->fr, -1, 0);
	return (io->body = malloc(cfg.body_max + 1)) != NULL;
}

void
io_free(struct io *io)
{
	if (io->open)
		io_close(io);
	free(io->body);
	io->body = NULL;
	free(io->long_buf);
	io->long_buf = NULL;
}

int
transport_accept(int listener, int timeout_ms)
{
	struct pollfd p = { .fd = listener, .events = POLLIN };
	int fd;

	if (poll(&p, 1, timeout_ms) != 1)
		return -1;
	fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		return fd;
	switch (errno) {
	case EAGAIN:
	case EINTR:
	case ECONNABORTED:
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		return -1; /* passing: the next turn tries again */
	default:
		log_error("accept: %s", strerror(errno));
		return -2;
	}
}

bool
transport_pending(int listener)
{
	struct pollfd p = { .fd = listener, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Whether the records in b[0..n) hold a whole request: it ends with an empty
 * FCGI_STDIN record. Anything that is not FastCGI counts as whole, for
 * libfcgi to refuse. */
static bool
whole(const unsigned char *b, size_t n)
{
	size_t pos = 0;

	while (n - pos >= FCGI_HEADER_LEN) {
		size_t content = (size_t)b[pos + 4] << 8 | b[pos + 5];

		if (b[pos] != FCGI_VERSION_1)
			return true;
		if (b[pos + 1] == FCGI_STDIN && content == 0)
			return true;
		pos += FCGI_HEADER_LEN + content + b[pos + 6];
		if (pos > n)
			break;
	}
	return false;
}

int
transport_wait(struct io *io, int fd, int64_t deadline_ms)
{
	unsigned char *peek = (unsigned char *)io->body;
	size_t cap = cfg.body_max + 1;
	struct timeval send = { SEND_TIMEOUT_S, 0 };
	int64_t nap_us = 100;

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send, sizeof send);
	for (;;) {
		/* Looked at once at least, even past the deadline: a request that
		 * waited behind a stalled one is whole by then. */
		ssize_t n = recv(fd, peek, cap, MSG_PEEK | MSG_DONTWAIT);
		int64_t left = deadline_ms - mono_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			break; /* hung up */
		if (n > 0 && (whole(peek, (size_t)n) || (size_t)n == cap)) {
			/* Whole, or longer than any request taken (its size will
			 * refuse it, after bounded reads). */
			struct timeval rest = { 1, 0 };

			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &rest, sizeof rest);
			return 1;
		}
		if (left <= 0)
			break;
		if (n < 0) {
			/* Nothing queued yet: sleep in poll until the first bytes. */
			(void)poll(&p, 1, (int)left);
			continue;
		}
		/* Part of it is there: poll would not wait for the rest, so nap,
		 * a little longer each time. */
		usleep((useconds_t)(nap_us < left * 1000 ? nap_us : left * 1000));
		if (nap_us < 10000)
			nap_us *= 2;
	}
	close(fd);
	return 0;
}

int
io_open(struct io *io, int fd)
{
	io->fr.ipcFd = fd;
	io->fr.keepConnection = 1; /* FCGX_Accept_r reads fd rather than accepting */
	if (FCGX_Accept_r(&io->fr) != 0) {
		/* Refused as it read: it closed fd, then tried its listener (-1),
		 * which failed at once. Refused before reading: fd is still ours. */
		if (io->fr.ipcFd >= 0)
			close(io->fr.ipcFd);
		io->fr.ipcFd = -1;
		return 0;
	}
	io->fr.keepConnection = 0; /* one request per connection */
	io->open = true;
	io->headers_sent = false;
	io->aborted = false;
	io->long_n = 0;
	io->long_sent = false;
	return 1;
}

const char *
io_env(const struct io *io, const char *name)
{
	const char *v = io->cgi ? getenv(name) : FCGX_GetParam(name, io->fr.envp);

	return v ? v : "";
}

size_t
io_read(struct io *io, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int r;

		if (io->cgi)
			r = (int)fread(buf + got, 1, n - got, stdin);
		else
			r = FCGX_GetStr(buf + got, (int)(n - got), io->fr.in);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* Writes a header and n bytes at s to fd, through interruptions. Returns 1,
 * or 0 when the peer is gone or stopped reading for SEND_TIMEOUT_S (a part
 * may have left: the stream is then broken). */
static int
write_all(int fd, const unsigned char *h, size_t hn, const char *s, size_t n)
{
	struct iovec v[2] = { { (void *)(uintptr_t)h, hn }, { (void *)(uintptr_t)s, n } };
	struct iovec *p = v;
	int cnt = 2;

	while (cnt > 0) {
		ssize_t w = writev(fd, p, cnt);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EPIPE;
			return 0;
		}
		for (; cnt > 0 && (size_t)w >= p->iov_len; p++, cnt--)
			w -= (ssize_t)p->iov_len;
		if (cnt > 0) {
			p->iov_base = (char *)p->iov_base + w;
			p->iov_len -= (size_t)w;
		}
	}
	return 1;
}

/* Sends n bytes at s as one FCGI_STDOUT record of our own, once libfcgi has
 * sent what it holds (the headers, the reply's start); under CGI, to stdout.
 * The answer is cut if the connection fails. */
static void
send_record(struct io *io, const char *s, size_t n)
{
	unsigned char h[FCGI_HEADER_LEN] = { FCGI_VERSION_1, FCGI_STDOUT,
		(unsigned char)(io->fr.requestId >> 8), (unsigned char)io->fr.requestId,
		(unsigned char)(n >> 8), (unsigned char)n, 0, 0 }; /* no padding */

	if (n == 0 || io->aborted)
		return;
	if (io->cgi) {
		fwrite(s, 1, n, stdout);
		return;
	}
	if (!io->long_sent && FCGX_FFlush(io->fr.out) != 0) {
		io->aborted = true;
		return;
	}
	io->long_sent = true;
	if (!write_all(io->fr.ipcFd, h, sizeof h, s, n)) {
		if (errno != EPIPE && errno != ECONNRESET) /* not merely hung up */
			log_error("a long answer could not be sent (%s): it is cut", strerror(errno));
		io->aborted = true;
	}
}

/* Sends what long_buf holds. */
static void
send_long(struct io *io)
{
	size_t n = io->long_n;

	io->long_n = 0;
	send_record(io, io->long_buf, n);
}

char *
io_space(struct io *io, size_t n)
{
	assert(n <= IO_LONG);
	if (!io->long_buf && !(io->long_buf = malloc(IO_LONG))) {
		log_error("out of memory");
		io->aborted = true;
	}
	if (io->aborted)
		return NULL;
	if (IO_LONG - io->long_n < n)
		send_long(io);
	return io->aborted ? NULL : io->long_buf + io->long_n;
}

void
io_used(struct io *io, size_t n)
{
	assert(n <= IO_LONG - io->long_n);
	io->long_n += n;
}

void
io_write(struct io *io, const char *s, size_t n)
{
	if (io->long_n > 0 || io->long_sent) {
		io_write_long(io, s, n); /* after the long buffer's bytes, never before */
		return;
	}
	if (io->cgi)
		fwrite(s, 1, n, stdout);
	else
		FCGX_PutStr(s, (int)n, io->fr.out);
}

int
io_write_long(struct io *io, const char *s, size_t n)
{
	while (n > 0 && !io->aborted) {
		size_t k = n < IO_LONG ? n : IO_LONG;
		char *p;

		if (k == IO_LONG) {
			send_long(io);
			send_record(io, s, k);
		} else if ((p = io_space(io, k))) {
			memcpy(p, s, k);
			io_used(io, k);
		}
		s += k;
		n -= k;
	}
	return !io->aborted;
}

void
io_puts(struct io *io, const char *s)
{
	io_write(io, s, strlen(s));
}

/* An answer that never filled the long buffer goes through libfcgi (or
 * stdio), as if written by io_write. */
static void
end_long(struct io *io)
{
	if (io->long_sent || io->cgi) {
		send_long(io);
		return;
	}
	if (io->long_n > 0 && !io->aborted)
		FCGX_PutStr(io->long_buf, (int)io->long_n, io->fr.out);
	io->long_n = 0;
}

int
io_flush(struct io *io)
{
	end_long(io);
	if (io->cgi)
		return fflush(stdout) == 0;
	return !io->aborted && FCGX_FFlush(io->fr.out) == 0;
}

void
io_abort(struct io *io)
{
	io->aborted = true;
}

void
io_close(struct io *io)
{
	if (!io->aborted)
		end_long(io);
	io->long_n = 0;
	io->long_sent = false;
	if (io->cgi) {
		fflush(stdout);
		return;
	}
	if (!io->open)
		return;
	/* Close without libfcgi's lingering close (shutdown, then wait for the
	 * peer to hang up): on a Unix socket nothing written is lost, and the
	 * worker is free a round trip sooner. */
	if (unix_listener)
		FCGX_Detach(&io->fr);
	if (io->aborted)
		FCGX_Free(&io->fr, 1); /* no FCGI_END_REQUEST: the answer is cut */
	else
		FCGX_Finish_r(&io->fr);
	io->open = false;
}
