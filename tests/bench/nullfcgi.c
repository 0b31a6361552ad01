/*
 * A reference for `make bench`: the cheapest possible FastCGI responder, a
 * libfcgi accept loop that answers a fixed JSON object. Through nginx it shows
 * what the FastCGI hop itself costs, whatever the program behind it does.
 * With the query string "bytes=N" the object is padded to N bytes: the cost
 * of moving a reply that long (a long history) through nginx, without
 * producing it. Such a body leaves as the workers send long answers (see
 * lib/transport.h): in records of IO_LONG bytes written straight to the
 * connection, not through libfcgi's 8 kB ones, so that the reference is the
 * best the workers' own way of sending could do.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcgiapp.h>
#include <fastcgi.h>

#include "transport.h"

/* Sends body as FastCGI STDOUT records of IO_LONG bytes at most, after what
 * libfcgi holds. Returns 0 when the connection failed. */
static int
records(FCGX_Request *r, const char *body, size_t n)
{
	if (FCGX_FFlush(r->out) != 0)
		return 0;
	while (n > 0) {
		size_t k = n < IO_LONG ? n : IO_LONG, off = 0;
		unsigned char h[FCGI_HEADER_LEN] = { FCGI_VERSION_1, FCGI_STDOUT,
			(unsigned char)(r->requestId >> 8), (unsigned char)r->requestId,
			(unsigned char)(k >> 8), (unsigned char)k, 0, 0 };

		if (write(r->ipcFd, h, sizeof h) != (ssize_t)sizeof h)
			return 0;
		while (off < k) {
			ssize_t w = write(r->ipcFd, body + off, k - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return 0;
			off += (size_t)w;
		}
		body += k;
		n -= k;
	}
	return 1;
}

static const char head[] = "Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n\r\n";

int
main(void)
{
	char *body = NULL;
	size_t body_len = 0;
	FCGX_Request r;

	FCGX_Init();
	FCGX_InitRequest(&r, 0, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		const char *qs = FCGX_GetParam("QUERY_STRING", r.envp);
		size_t want = qs && strncmp(qs, "bytes=", 6) == 0 ? strtoul(qs + 6, NULL, 10) : 0;

		if (want > (64u << 20))
			want = 64u << 20;
		if (want < 16)
			want = 15; /* {"status":"ok"} */
		if (want != body_len) {
			free(body);
			body = malloc(want + 1);
			if (!body)
				return 1;
			body_len = want;
			if (want == 15)
				memcpy(body, "{\"status\":\"ok\"}", 15);
			else {
				/* {"status":"ok","pad":"xxx...x"} */
				memcpy(body, "{\"status\":\"ok\",\"pad\":\"", 22);
				memset(body + 22, 'x', want - 24);
				memcpy(body + want - 2, "\"}", 2);
			}
		}
		FCGX_PutStr(head, sizeof head - 1, r.out);
		if (body_len > IO_LONG)
			(void)records(&r, body, body_len);
		else
			FCGX_PutStr(body, (int)body_len, r.out);
		FCGX_Detach(&r); /* a plain close, as the workers do on a Unix socket */
		FCGX_Finish_r(&r);
	}
	free(body);
	return 0;
}
