/*
 * A reference for `make bench`: the cheapest possible FastCGI responder, a
 * libfcgi accept loop that answers a fixed JSON object. Through nginx it shows
 * what the FastCGI hop itself costs, whatever the program behind it does.
 */
#include <fcgiapp.h>

int
main(void)
{
	static const char reply[] = "Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
	    "\r\n{\"status\":\"ok\"}";
	FCGX_Request r;

	FCGX_Init();
	FCGX_InitRequest(&r, 0, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(reply, sizeof reply - 1, r.out);
		FCGX_Detach(&r); /* a plain close, as the workers do on a Unix socket */
		FCGX_Finish_r(&r);
	}
	return 0;
}
