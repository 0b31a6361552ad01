/*
 * libFuzzer harness: routing an arbitrary REQUEST_URI through a table shaped
 * like the real ones (API paths and whole-site paths), and the decoders a
 * request path meets (percent-decoding, UTF-8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static enum status
none(struct req *r, json_object *out)
{
	(void)r;
	(void)out;
	return ST_OK;
}

static const struct route routes[] = {
	{ "client/payer", none, NULL, 2, R_WRITE, 0, 0 },
	{ "client/fiche", none, NULL, 2, 0, 0, 0 },
	{ "annuler", none, NULL, 2, R_WRITE, 0, 0 },
	{ "coucou", none, NULL, 0, R_PUBLIC | R_GET, 0, 0 },
	{ "v1/me", none, NULL, 0, R_GET, 0, 0 },
	{ "/oauth/token", none, NULL, 0, R_RAW | R_PUBLIC, 0, 0 },
	{ "/.well-known/oauth-authorization-server", none, NULL, 0, R_RAW | R_PUBLIC | R_GET, 0, 0 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1);
	const struct route *rt;

	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	rt = server_find_route(s, routes, sizeof routes / sizeof routes[0]);
	if (rt && !strstr(s, rt->path))
		abort(); /* a route is only ever found by its own path */
	(void)url_decode(s, strlen(s));
	free(s);
	return 0;
}
