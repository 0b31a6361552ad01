/*
 * A binary's main loop. Under spawn-fcgi, fd 0 is a listening socket: the
 * worker takes turns (writer.c) until SIGTERM, SIGINT or SIGUSR1, and in
 * between writes batched key uses and forgets what has expired. Otherwise it
 * serves the one CGI request of its environment. With --routes it prints its
 * route table instead, for the tests and the front servers' configurations.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcgiapp.h>

#include "clock.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "db_feed.h"
#include "db_request.h"
#include "hooks.h"
#include "limit.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "writer.h"

volatile sig_atomic_t server_stopping;

static void
on_signal(int sig)
{
	(void)sig;
	server_stopping = 1;
}

void
server_catch_signals(void)
{
	struct sigaction sa;

	/* No SA_RESTART: a poll() or a condition wait must return. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL); /* what multiwatch sends its children on SIGTERM */
}

/* Between turns: writes batched key uses when due, and every ten minutes
 * forgets stale sessions, login failures and idempotency records. */
static void
idle(int64_t now)
{
	static int64_t last;

	(void)auth_flush_usage(now, false);
	db_checkpoint(false);
	if (now - last < 600000)
		return;
	last = now;
	if (!db_begin(true))
		return;
	if (auth_sessions_purge(now) && limit_purge(now) && request_purge(now) && ticket_purge(now))
		(void)db_commit();
	else
		db_rollback();
}

static int
start(const char *prog)
{
	log_init(prog);
	if (!config_load())
		return 0;
	if (!crypto_init()) {
		log_error("libsodium cannot start");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	/* A file-size limit reached must be an error to answer (erreur_bdd), not
	 * a signal that kills the worker in the middle of a request. */
	signal(SIGXFSZ, SIG_IGN);
	/* A worker without its database still answers (erreur_bdd) and retries
	 * the open before each request, so service resumes once it is fixed. */
	if (!db_open(cfg.db_path, true))
		log_error("cannot open the database (TENP5_DB)");
	return 1;
}

static void
stop(void)
{
	(void)auth_flush_usage(now_ms(), true);
	db_close();
}

/* The one request of a plain CGI process. */
static int
serve_cgi(const struct area *a)
{
	struct req r;

	if (!req_init(&r, a, true)) {
		log_error("out of memory");
		return 1;
	}
	db_heal();
	req_begin(&r);
	if (req_read(&r) && req_prepare(&r)) {
		hook_pause("run");
		req_run(&r);
	}
	req_end(&r);
	req_free(&r);
	stop();
	return 0;
}

static int
serve_fastcgi(const struct area *a)
{
	size_t n = (size_t)cfg.group_max;
	struct req *slots = calloc(n, sizeof *slots);
	int rc = 0;

	if (!slots) {
		log_error("out of memory");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!req_init(&slots[i], a, false)) {
			log_error("out of memory");
			rc = 1;
			goto out;
		}
	}
	server_catch_signals();
	transport_init(0);
	while (!server_stopping) {
		/* Wakes every second, so an idle worker writes its batched key
		 * uses on time. */
		int fd = transport_accept(0, 1000);

		if (fd == -2) {
			rc = 1;
			break;
		}
		if (fd >= 0) {
			db_heal();
			writer_run(slots, writer_gather(0, fd, slots, n));
		}
		idle(now_ms());
	}
out:
	for (size_t i = 0; i < n; i++)
		req_free(&slots[i]);
	free(slots);
	stop();
	return rc;
}

static const char *
pool(const struct area *a, const struct route *rt)
{
	return rt->pool ? rt->pool : a->name;
}

/* The scope --routes shows: 0 when any credential will do. */
static unsigned
shown_scope(const struct route *rt)
{
	if (rt->scope == SCOPE_ANY)
		return 0;
	return rt->scope ? rt->scope : SCOPE_ADMIN;
}

/* `<binary> --routes` prints one JSON object a line, for the tests that check
 * every endpoint (rights matrix, hostile input); --routes=tsv prints "path
 * area pool flags" lines, from which the build writes nginx's locations and
 * Apache's rewrite rules. */
static int
print_routes(const struct area *a, bool tsv)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct route *rt = &a->routes[i];
		json_object *o, *takes;

		if (tsv) {
			printf("%s\t%s\t%s\t%s%s%s\n", rt->path, a->name, pool(a, rt),
			    rt->flags & R_GET ? "get" : "post", rt->flags & R_RAW ? ",raw" : "",
			    rt->flags & R_STREAM ? ",stream" : "");
			continue;
		}
		o = json_object_new_object();
		takes = json_object_new_array();
		json_object_object_add(o, "path", json_object_new_string(rt->path));
		json_object_object_add(o, "area", json_object_new_string(a->name));
		json_object_object_add(o, "pool", json_object_new_string(pool(a, rt)));
		json_object_object_add(o, "right", json_object_new_int((int)rt->right));
		json_object_object_add(o, "public", json_object_new_boolean(rt->flags & R_PUBLIC));
		json_object_object_add(o, "write", json_object_new_boolean(rt->flags & R_WRITE));
		json_object_object_add(o, "get", json_object_new_boolean(rt->flags & R_GET));
		json_object_object_add(o, "raw", json_object_new_boolean(rt->flags & R_RAW));
		json_object_object_add(o, "session", json_object_new_boolean(rt->flags & R_SESSION));
		json_object_object_add(o, "stream", json_object_new_boolean(rt->flags & R_STREAM));
		json_object_object_add(o, "scope", json_object_new_int((int)shown_scope(rt)));
		for (int f = 0; f < FLD__MAX; f++) {
			json_object *fo;

			if (!(rt->takes & FB(f)))
				continue;
			fo = json_object_new_object();
			json_object_object_add(fo, "name", json_object_new_string(field_defs[f].wire));
			json_object_object_add(fo, "type", json_object_new_int(field_defs[f].type));
			json_object_object_add(fo, "required", json_object_new_boolean(rt->needs & FB(f)));
			json_object_array_add(takes, fo);
		}
		json_object_object_add(o, "fields", takes);
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	return 0;
}

int
server_main(int argc, char **argv, const struct area *a)
{
	if (argc == 2 && strcmp(argv[1], "--routes") == 0)
		return print_routes(a, false);
	if (argc == 2 && strcmp(argv[1], "--routes=tsv") == 0)
		return print_routes(a, true);
	if (!start(a->name))
		return 1;
	/* The FastCGI library answers "CGI" when fd 0 is not a listening socket. */
	if (FCGX_Init() != 0 || FCGX_IsCGI())
		return serve_cgi(a);
	return a->serve ? a->serve(a) : serve_fastcgi(a);
}
