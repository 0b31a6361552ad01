/*
 * A reference for `make bench`: the cheapest possible FastCGI responder, a
 * libfcgi accept loop that answers a fixed JSON object. Through nginx it shows
 * what the FastCGI hop itself costs, whatever the program behind it does.
 * With the query string "bytes=N" the object is padded to N bytes: the cost
 * of moving a reply that long (a long history) through nginx, without
 * producing it.
 */
#include <stdlib.h>
#include <string.h>
#include <fcgiapp.h>

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
		FCGX_PutStr(body, (int)body_len, r.out);
		FCGX_Detach(&r); /* a plain close, as the workers do on a Unix socket */
		FCGX_Finish_r(&r);
	}
	free(body);
	return 0;
}
