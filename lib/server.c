/*
 * A binary's main loop. Under spawn-fcgi, fd 0 is a listening socket: the
 * worker takes turns (writer.c) until SIGTERM, SIGINT or SIGUSR1, and in
 * between writes batched key uses and forgets what has expired. Otherwise it
 * serves the one CGI request of its environment, with the settings of
 * CGI_CONF in its directory. With --routes it prints its route table instead,
 * for the tests and the front servers' configurations.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
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

/* Under plain CGI, the settings file beside the programs (doc/deploy.md). */
#define CGI_CONF "10p5.conf"

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

/* Under plain CGI, whether the database at path lies outside what the web
 * server serves: the programs' directory (the working directory, where Apache
 * and suEXEC run them) and the site's root (DOCUMENT_ROOT, and
 * CONTEXT_DOCUMENT_ROOT for a ~user/ site). A relative path is in the first.
 * A directory that does not exist is left to the open, which says so. */
static bool
outside_web(const char *path)
{
	const char *roots[] = { ".", getenv("DOCUMENT_ROOT"), getenv("CONTEXT_DOCUMENT_ROOT") };
	char dir[PATH_MAX], real[PATH_MAX], root[PATH_MAX];
	char *slash;

	if (path[0] != '/') {
		log_error("TENP5_DB is relative (%s), so in the programs' directory, which is "
		    "served: give an absolute path outside the web root", path);
		return false;
	}
	if (strlen(path) >= sizeof dir)
		return true; /* the open refuses it */
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	slash[slash == dir] = '\0'; /* "/x.db" keeps "/" */
	if (!realpath(dir, real))
		return true;
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		size_t n;

		if (!roots[i] || !*roots[i] || !realpath(roots[i], root))
			continue;
		n = strlen(root);
		if (strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0' || n == 1)) {
			log_error("TENP5_DB (%s) is inside %s, which the web server serves: "
			    "the database must live outside the web root", path, root);
			return false;
		}
	}
	return true;
}

/* Under plain CGI: a program running as another user than the owner of its
 * directory runs as the web server's user, whom the host likely shares
 * between every site's CGI (no suEXEC): then every site can read this
 * database. Said in the log at each request, since nothing can fix it here. */
static void
check_owner(void)
{
	struct stat st;

	if (stat(".", &st) == 0 && st.st_uid != geteuid())
		log_error("runs as uid %u, not as its directory's owner (uid %u): this host "
		    "seems to run every site's CGI as one user, who can then read the database; "
		    "a host that runs CGI as each account (suEXEC) keeps it private",
		    (unsigned)geteuid(), (unsigned)st.st_uid);
}

/* Reads the configuration and opens the database. Returns 1, or 0 when the
 * program cannot serve (logged). */
static int
start(bool cgi)
{
	/* Under CGI, settings also come from CGI_CONF beside the programs: suEXEC
	 * passes none of the site's variables (doc/deploy.md). */
	if (cgi && !config_file(CGI_CONF))
		return 0;
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
	if (!cfg.db_path) {
		log_error(cgi ? "no database: set TENP5_DB in " CGI_CONF " beside the programs, "
		    "to a path outside the web root" : "no database: set TENP5_DB");
		return 0;
	}
	if (cgi) {
		check_owner();
		if (!outside_web(cfg.db_path))
			return 0;
	}
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

/* The one request of a plain CGI process; with ready false (the program
 * cannot serve: see start), answered erreur_generique. */
static int
serve_cgi(const struct area *a, bool ready)
{
	struct req r;

	if (!req_init(&r, a, true)) {
		log_error("out of memory");
		return 1;
	}
	req_begin(&r);
	if (!ready)
		r.st = ST_ERREUR_GENERIQUE;
	else {
		db_heal();
		if (req_read(&r) && req_prepare(&r)) {
			hook_pause("run");
			req_run(&r);
		}
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
		json_object_object_add(o, "holder", json_object_new_boolean(rt->flags & R_HOLDER));
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
	bool cgi, ready;

	if (argc == 2 && strcmp(argv[1], "--routes") == 0)
		return print_routes(a, false);
	if (argc == 2 && strcmp(argv[1], "--routes=tsv") == 0)
		return print_routes(a, true);
	log_init(a->name);
	/* The FastCGI library answers "CGI" when fd 0 is not a listening socket. */
	cgi = FCGX_Init() != 0 || FCGX_IsCGI();
	ready = start(cgi);
	if (cgi)
		return serve_cgi(a, ready);
	if (!ready)
		return 1;
	return a->serve ? a->serve(a) : serve_fastcgi(a);
}
