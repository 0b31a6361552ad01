/* Unit tests for lib/feed_sse.c: the bytes a stream's client receives (the
 * headers and retry:, fin as an API call would answer, reinitialiser with
 * its id, comment lines), and a stream followed in its own thread, as under
 * FastCGI, written here as plain CGI output to a file. */
#include <pthread.h>
#include <time.h>

#include "../tap.h"
#include "clock.h"
#include "config.h"
#include "feed_sse.h"
#include "log.h"

/* Output of the stream being captured: stdout goes to a file meanwhile, and
 * the test prints nothing until it is given back. */
static FILE *captured;
static int saved_stdout = -1;

static void
capture_start(void)
{
	fflush(stdout);
	captured = tmpfile();
	saved_stdout = dup(1);
	dup2(fileno(captured), 1);
}

/* What the capture holds so far (static). */
static const char *
capture_text(void)
{
	static char buf[8192];
	ssize_t n;

	fflush(stdout);
	n = pread(fileno(captured), buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Ends the capture, returns what it holds (static). */
static const char *
capture_end(void)
{
	const char *s = capture_text();

	dup2(saved_stdout, 1);
	close(saved_stdout);
	fclose(captured);
	return s;
}

/* Waits (5 s at most) until the capture holds want. */
static bool
capture_wait(const char *want)
{
	int64_t deadline = mono_ms() + 5000;

	while (!strstr(capture_text(), want)) {
		struct timespec nap = { 0, 5 * 1000000 };

		if (mono_ms() > deadline)
			return false;
		nanosleep(&nap, NULL);
	}
	return true;
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static struct event
ev(int64_t id, const char *text)
{
	struct event e = { .id = id, .kind = FK_TRANSACTION };

	e.text[SHAPE_BAR] = e.text[SHAPE_PRESIDENT] = strdup(text);
	return e;
}

/* The verdict on a credential whose right fell below 2. */
static enum status
ended(enum cred_kind kind, int64_t token_id, int64_t now, enum shape *shape,
    enum auth_reason *why)
{
	(void)kind, (void)token_id, (void)now, (void)shape, (void)why;
	return ST_DROITS_INSUFFISANTS;
}

struct follower {
	struct io io;
	struct subscriber s;
};

static void *
follow(void *arg)
{
	struct follower *f = arg;

	sse_follow(&f->io, &f->s);
	return NULL;
}

int
main(void)
{
	struct io io;
	struct follower f;
	pthread_t t;
	const char *out;
	bool seen_second, seen_fin;

	log_init("unit-feed_sse");
	if (!config_load() || !io_init(&io, true))
		return 2;

	capture_start();
	sse_headers(&io);
	sse_ping(&io);
	sse_reinit(&io, 42);
	sse_fin(&io, ST_JETON_INVALIDE, AR_EXPIRE);
	sse_fin(&io, ST_DROITS_INSUFFISANTS, AR_INCONNU);
	out = capture_end();
	ok(starts(out, "Status: 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"),
	    "a stream is 200 text/event-stream");
	ok(strstr(out, "\r\nCache-Control: no-store\r\n") && strstr(out, "\r\nX-Accel-Buffering: no\r\n"),
	    "neither kept nor buffered on the way");
	ok(io.headers_sent, "the headers are sent once");
	out = strstr(out, "\r\n\r\n") + 4;
	ok(starts(out, "retry: 3000\n\n"), "the body starts with retry:");
	out += strlen("retry: 3000\n\n");
	ok(starts(out, ": ping\n\n"), "a comment line keeps the connection alive");
	out += strlen(": ping\n\n");
	ok(starts(out, "id: 42\nevent: reinitialiser\ndata: {}\n\n"),
	    "reinitialiser carries the id the client goes on from");
	out += strlen("id: 42\nevent: reinitialiser\ndata: {}\n\n");
	is_str(out, "event: fin\ndata: {\"status\":\"jeton_invalide\",\"raison\":\"expire\"}\n\n"
	    "event: fin\ndata: {\"status\":\"droits_insuffisants\"}\n\n",
	    "fin carries the status an API call would get, and raison for jeton_invalide");
	io_free(&io);

	/* A stream in its own thread: the events published after it, then its
	 * end. */
	cfg.feed_history = 100;
	if (!registry_init(100, 7) || !io_init(&f.io, true))
		return 2;
	memset(&f.s, 0, sizeof f.s);
	pthread_cond_init(&f.s.cond, NULL);
	f.s.types = (1u << FK__MAX) - 1;
	f.s.shapes.from = -1;
	f.s.kind = CRED_KEY;
	f.s.token_id = 1;
	f.s.last = 5;
	f.s.reinit = true; /* as if its resume point were out of reach */
	f.s.end = ST_OK;
	registry_enlist(&f.s);
	capture_start();
	pthread_create(&t, NULL, follow, &f);
	{
		struct event e = ev(8, "id: 8\nevent: transaction\ndata: {}\n\n");

		capture_wait("retry:");
		registry_publish(&e, 1, 8);
		e = ev(9, "id: 9\nevent: transaction\ndata: {}\n\n");
		registry_publish(&e, 1, 9);
	}
	seen_second = capture_wait("id: 9\n");
	registry_recheck(now_ms(), 9, ended);
	seen_fin = capture_wait("event: fin");
	pthread_join(t, NULL);
	out = capture_end();
	ok(seen_second, "the stream writes the events published while it runs");
	out = strstr(out, "\r\n\r\n") + 4;
	is_str(out, "retry: 3000\n\nid: 5\nevent: reinitialiser\ndata: {}\n\n"
	    "id: 8\nevent: transaction\ndata: {}\n\nid: 9\nevent: transaction\ndata: {}\n\n"
	    "event: fin\ndata: {\"status\":\"droits_insuffisants\"}\n\n",
	    "retry:, reinitialiser first when told, each event once in order, then fin");
	ok(seen_fin, "a stream whose credential ends writes fin and returns");
	io_free(&f.io);
	return done_testing();
}
