/*
 * The live feed (feed.h): who may follow it, the CGI stream, and the FastCGI
 * server that holds every subscriber of a stack. An event is one journal row
 * of a kind the feed shows (feed_event.c); the ring, the subscribers and the
 * fan-out are feed_registry.c's; what a stream writes is feed_sse.c's.
 *
 * Threads (FastCGI):
 * - connection threads accept, read whole requests and write answers and
 *   streams; they never touch the database;
 * - the main thread runs the database jobs they hand it (another route's
 *   request, a ticket among them; a stream's credential, spending its
 *   ticket) and writes the key uses: it may wait for the write lock;
 * - the follower, with a connection of its own that never writes, admits
 *   subscribers, follows the journal (PRAGMA data_version, every 10 ms),
 *   publishes and re-checks credentials: no write anywhere delays delivery.
 * Locks: job_mutex (the job queue), pool_mutex (the thread and stream
 * counts), and the registry's. None is held while writing to a peer.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcgiapp.h>

#include "clock.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "db_feed.h"
#include "feed.h"
#include "feed_event.h"
#include "feed_registry.h"
#include "feed_sse.h"
#include "hooks.h"
#include "log.h"
#include "request.h"
#include "respond.h"
#include "token.h"

#define CGI_BEAT_MS 2000    /* under CGI, a comment line this often: Apache learns that
                               a browser is gone only when it writes to it, and a host
                               counts each stream's process until then (doc/deploy.md) */
#define BATCH_MAX 1000      /* journal rows read at once */

/* Whether who may follow the feed, and with which shape: right 2 at least,
 * and for an OAuth token or a key with scopes, lecture or flux; the
 * president's shape for right 3 with every scope (a token or a key needs
 * admin, as for the president's endpoints). */
static enum status
may_follow(struct req *r, const struct principal *who, enum shape *shape)
{
	if (!(who->scopes & (SCOPE_LECTURE | SCOPE_FLUX | SCOPE_ADMIN))) {
		r->scope_missing = SCOPE_LECTURE | SCOPE_FLUX;
		return ST_DROITS_INSUFFISANTS;
	}
	if (who->droit < RIGHT_BAR)
		return ST_DROITS_INSUFFISANTS;
	*shape = who->droit >= RIGHT_PRESIDENT && (who->scopes & SCOPE_ADMIN) ? SHAPE_PRESIDENT
	    : SHAPE_BAR;
	return ST_OK;
}

/* Resolves the stream's credential (the Authorization header, or a ticket
 * spent now), checks it may follow, and reads the filters and the resume
 * point into *s. Runs where the database is written (the main thread, or the
 * CGI process). Returns ST_OK, or the refusal (r->out may hold raison/champ). */
static enum status
subscribe(struct req *r, struct subscriber *s)
{
	const char *last = req_env(r, "HTTP_LAST_EVENT_ID");
	enum auth_reason why = AR_ABSENT;
	enum status st;
	int64_t v;

	/* A credential never travels in a URL: a ticket does. */
	if (params_get(&r->params, field_defs[FLD_JETON].wire))
		return req_malformed(r, FLD_JETON);
	if (params_get(&r->params, field_defs[FLD_BEARER_TOKEN].wire))
		return req_malformed(r, FLD_BEARER_TOKEN);
	if (r->fields != ST_OK)
		return r->fields;
	/* The filters and the resume point first: a malformed one spends no
	 * ticket. */
	s->types = (1u << FK__MAX) - 1;
	if (params_get(&r->params, "types") && r->v[FLD_TYPES].set &&
	    !feed_parse_types(r->v[FLD_TYPES].s, &s->types))
		return req_malformed(r, FLD_TYPES);
	snprintf(s->card, sizeof s->card, "%s", r->v[FLD_CLIENT].set ? r->v[FLD_CLIENT].s : "");
	s->last = -1; /* live only, unless a resume point says otherwise */
	if (*last) {
		if (!field_parse(FT_ID, last, &v))
			return req_malformed(r, FLD_DEPUIS);
		s->last = v;
	} else if (r->v[FLD_DEPUIS].set)
		s->last = r->v[FLD_DEPUIS].i;
	if (*r->authorization) {
		st = auth_principal(&r->params, r->authorization, r->now, AUTH_READ, &r->who, &why);
		auth_touch(&r->who, r->now);
	} else if (r->v[FLD_TICKET].set) {
		unsigned char h[SHA256_LEN];
		enum ticket_use u = TICKET_UNKNOWN;
		enum cred_kind kind;
		int64_t id;

		token_hash(r->v[FLD_TICKET].s, h);
		if (token_kind(r->v[FLD_TICKET].s) == TOK_TICKET) {
			if (!db_begin(true))
				return ST_ERREUR_BDD;
			u = ticket_use(h, r->now, &kind, &id);
			if (u == TICKET_ERROR || !db_commit()) {
				db_rollback();
				return ST_ERREUR_BDD;
			}
		}
		why = u == TICKET_EXPIRED ? AR_EXPIRE : AR_INCONNU;
		st = u == TICKET_OK ? auth_recheck(kind, id, r->now, &r->who, &why) : ST_JETON_INVALIDE;
	} else
		st = ST_JETON_INVALIDE;
	if (st == ST_JETON_INVALIDE)
		reply_str(r->out, K_RAISON, auth_reason_words[why]);
	if (st != ST_OK || (st = may_follow(r, &r->who, &s->shapes.now)) != ST_OK)
		return st;
	s->shapes.before = s->shapes.now;
	s->shapes.from = -1;
	s->kind = r->who.kind;
	s->token_id = r->who.token_id;
	s->oauth = r->who.kind == CRED_OAUTH;
	s->next_check = r->now + FEED_CHECK_MS;
	s->end = ST_OK;
	return ST_OK;
}

/* The verdict on a stream's credential (registry_verdict_fn): may it still
 * follow, and in which shape. */
static enum status
verdict(enum cred_kind kind, int64_t token_id, int64_t now, enum shape *shape,
    enum auth_reason *why)
{
	struct principal who;
	struct req dummy = { 0 };
	enum status st = hook_fail("recheck") ? ST_ERREUR_BDD
	    : auth_recheck(kind, token_id, now, &who, why);

	return st == ST_OK ? may_follow(&dummy, &who, shape) : st;
}

/* --- the CGI stream --------------------------------------------------------- */

/* Writes the events after s->last read from the journal (CGI: no ring), up
 * to BATCH_MAX rows, or up to a row that may change the credential's right
 * (*barrier then: the caller re-checks before going on). Returns how many
 * rows were read, or -1 on error. */
static int
stream_rows(struct io *io, struct subscriber *s, bool *barrier)
{
	sqlite3_stmt *st = feed_rows(s->last, BATCH_MAX);
	int rc, n = 0;

	*barrier = false;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		struct event e;
		int shown = feed_render(st, &e);

		if (shown < 0) {
			sqlite3_reset(st);
			return -1;
		}
		s->last = sqlite3_column_int64(st, 0);
		if (shown && subscriber_wants(s, s->shapes.now, &e))
			io_puts(io, e.text[s->shapes.now]);
		feed_event_free(&e);
		n++;
		if ((*barrier = feed_row_credentials(st)))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || *barrier ? n : -1;
}

enum status
feed_stream(struct req *r, json_object *out)
{
	struct subscriber s = { 0 };
	int64_t newest, until, beat, version = -1;
	enum status st;

	(void)out;
	if ((st = subscribe(r, &s)) != ST_OK)
		return st;
	if ((newest = feed_newest()) < 0)
		return ST_ERREUR_BDD;
	sse_headers(&r->io);
	r->answered = true;
	if (s.last >= 0 && registry_out_of_reach(s.last, newest))
		sse_reinit(&r->io, newest);
	if (s.last < 0 || registry_out_of_reach(s.last, newest))
		s.last = newest;
	until = mono_ms() + cfg.feed_cgi_ms;
	beat = mono_ms() + CGI_BEAT_MS;
	while (mono_ms() < until) {
		int64_t v = db_int("PRAGMA data_version", -1), now = now_ms();

		bool barrier = false;

		if (v != version) {
			int n;

			version = v;
			while ((n = stream_rows(&r->io, &s, &barrier)) == BATCH_MAX || barrier) {
				if (barrier)
					subscriber_recheck(&s, now, s.last, verdict);
				if (s.end != ST_OK)
					break;
			}
			if (n < 0)
				break;
		}
		if (now >= s.next_check)
			subscriber_recheck(&s, now, s.last, verdict);
		if (s.end != ST_OK) {
			sse_fin(&r->io, s.end, s.why);
			break;
		}
		if (mono_ms() >= beat) {
			sse_ping(&r->io);
			beat = mono_ms() + CGI_BEAT_MS;
		}
		if (!io_flush(&r->io))
			break; /* the browser is gone */
		usleep(250000);
	}
	return ST_OK;
}

/* --- the FastCGI server: threads, jobs, subscribers ------------------------ */

enum job_kind {
	JOB_REQUEST,   /* run another route's request through the pipeline */
	JOB_SUBSCRIBE, /* resolve a stream's credential (registry_join admits it) */
};

struct job {
	enum job_kind kind;
	struct req *r;
	struct subscriber *sub;
	bool full;     /* JOB_SUBSCRIBE: no room left, answered trop_de_connexions */
	bool done;
	struct job *next;
};

static pthread_mutex_t job_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_ready = PTHREAD_COND_INITIALIZER, job_done = PTHREAD_COND_INITIALIZER;
static struct job *jobs;

static pthread_mutex_t pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_empty = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t accept_mutex = PTHREAD_MUTEX_INITIALIZER;
static int threads, spare; /* all connection threads; those not serving one */
static int streams;        /* connections on the stream route: cfg.feed_max at most */

/* Threads kept beyond the streams', for tickets and refusals: a full feed
 * still answers at once. */
#define SPARE_THREADS 8
static pthread_attr_t thread_attr;
static const struct area *feed_area;


/* Hands a job to the main thread and waits for it to be done. */
static void
run_job(struct job *j)
{
	pthread_mutex_lock(&job_mutex);
	j->next = jobs;
	jobs = j;
	pthread_cond_signal(&job_ready);
	while (!j->done)
		pthread_cond_wait(&job_done, &job_mutex);
	pthread_mutex_unlock(&job_mutex);
}

/* The main thread: runs the waiting jobs (newest first is fine: each waits
 * alone for its own). */
static void
do_jobs(void)
{
	struct job *list, *j;

	pthread_mutex_lock(&job_mutex);
	list = jobs;
	jobs = NULL;
	pthread_mutex_unlock(&job_mutex);
	for (j = list; j; j = j->next) {
		struct req *r = j->r;

		if (j->kind == JOB_REQUEST) {
			req_begin(r);
			if (req_read(r) && req_prepare(r))
				req_run(r);
			continue;
		}
		req_begin(r);
		if (req_read(r))
			r->st = j->full ? ST_TROP_DE_CONNEXIONS : subscribe(r, j->sub);
	}
	pthread_mutex_lock(&job_mutex);
	for (j = list; j; j = j->next)
		j->done = true;
	pthread_cond_broadcast(&job_done);
	pthread_mutex_unlock(&job_mutex);
}

static bool
stream_route(const struct req *r)
{
	const char *name = io_env(&r->io, "TENP5_ROUTE");

	for (size_t i = 0; i < feed_area->n; i++)
		if (strcmp(feed_area->routes[i].path, name) == 0)
			return feed_area->routes[i].flags & R_STREAM;
	return false;
}

/* Serves one open connection: a stream, or any other route's request. A
 * stream past cfg.feed_max open ones is refused without a look at its
 * credential (no ticket spent), one past its credential's share by the
 * follower's admission (registry_admit). */
static void
serve_connection(struct req *r)
{
	struct job j = { .r = r };
	struct subscriber s = { 0 };

	if (!stream_route(r)) {
		j.kind = JOB_REQUEST;
		run_job(&j);
		req_end(r);
		return;
	}
	pthread_mutex_lock(&pool_mutex);
	j.full = streams >= cfg.feed_max;
	if (!j.full)
		streams++;
	assert(streams <= cfg.feed_max);
	pthread_mutex_unlock(&pool_mutex);
	pthread_cond_init(&s.cond, NULL);
	j.kind = JOB_SUBSCRIBE;
	j.sub = &s;
	run_job(&j);
	if (r->st == ST_OK && !r->answered) {
		if ((r->st = registry_join(&s)) == ST_OK) {
			r->answered = true;
			sse_follow(&r->io, &s);
		} else if (r->st == ST_JETON_INVALIDE)
			reply_str(r->out, K_RAISON, auth_reason_words[s.why]);
	}
	req_end(r); /* the JSON refusal, or the stream's clean end */
	pthread_cond_destroy(&s.cond);
	if (!j.full) {
		pthread_mutex_lock(&pool_mutex);
		streams--;
		pthread_mutex_unlock(&pool_mutex);
	}
}

static void *connection_thread(void *arg);

/* Starts one more connection thread. Under pool_mutex. */
static void
spawn(void)
{
	pthread_t t;

	if (pthread_create(&t, &thread_attr, connection_thread, NULL) == 0) {
		threads++;
		spare++;
	} else
		log_error("cannot start a thread: %s", strerror(errno));
}

/* Takes connections one after the other; another thread is started when
 * none is left spare, up to cfg.feed_max (the streams) + SPARE_THREADS, and
 * a thread ends when too many are spare. */
static void *
connection_thread(void *arg)
{
	struct req r;

	(void)arg;
	if (!req_init(&r, feed_area, false)) {
		log_error("out of memory");
		server_stopping = 1;
	}
	while (!server_stopping) {
		int fd;

		pthread_mutex_lock(&accept_mutex);
		fd = server_stopping ? -1 : transport_accept(0, 1000);
		pthread_mutex_unlock(&accept_mutex);
		if (fd == -2)
			server_stopping = 1;
		if (fd < 0) {
			bool extra;

			pthread_mutex_lock(&pool_mutex);
			extra = spare > 8;
			pthread_mutex_unlock(&pool_mutex);
			if (extra)
				break;
			continue;
		}
		pthread_mutex_lock(&pool_mutex);
		if (--spare == 0 && threads < cfg.feed_max + SPARE_THREADS)
			spawn();
		pthread_mutex_unlock(&pool_mutex);
		if (transport_wait(&r.io, fd, mono_ms() + cfg.read_timeout_ms) && io_open(&r.io, fd))
			serve_connection(&r);
		pthread_mutex_lock(&pool_mutex);
		spare++;
		if (spare > 8) {
			/* Enough others wait for connections: this one goes (without
			 * leaving spare counted twice). */
			spare--;
			threads--;
			pthread_mutex_unlock(&pool_mutex);
			req_free(&r);
			pthread_mutex_lock(&pool_mutex);
			pthread_cond_broadcast(&pool_empty);
			pthread_mutex_unlock(&pool_mutex);
			return NULL;
		}
		pthread_mutex_unlock(&pool_mutex);
	}
	req_free(&r);
	pthread_mutex_lock(&pool_mutex);
	threads--;
	spare--;
	pthread_cond_broadcast(&pool_empty);
	pthread_mutex_unlock(&pool_mutex);
	return NULL;
}

/* Reads the journal's new rows into the ring and wakes the subscribers they
 * concern. The journal's newest id is read first: rows up to it were all
 * committed before, and ids grow in commit order (writers are serialised),
 * so none can appear below it later. It stops after a row that may change a
 * credential's right (a user demoted or deleted, a key or an app revoked),
 * setting *barrier to its id: nothing after it is published before every
 * stream's credential is re-checked. A row that cannot be rendered (memory
 * running out) is never skipped: what came before it is published, and it
 * is read again at the next turn. Returns 1, or 0 on error (tried again). */
static int
follow_journal(int64_t *barrier)
{
	struct event *batch = calloc(BATCH_MAX, sizeof *batch);
	int64_t newest = feed_newest();
	int ok = batch && newest >= 0;

	while (ok && registry_newest() < newest) {
		sqlite3_stmt *st = feed_rows(registry_newest(), BATCH_MAX);
		int64_t seen = registry_newest();
		size_t n = 0, rows = 0;
		int rc = SQLITE_ERROR;
		bool unrendered = false;

		while (st && (rc = db_step(st)) == SQLITE_ROW) {
			int shown;

			if (sqlite3_column_int64(st, 0) > newest)
				break; /* committed since: the next turn's */
			if ((shown = feed_render(st, &batch[n])) < 0) {
				unrendered = true;
				break;
			}
			seen = sqlite3_column_int64(st, 0);
			n += (size_t)shown;
			rows++;
			if (feed_row_credentials(st)) {
				*barrier = seen;
				break;
			}
		}
		if (st)
			sqlite3_reset(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
			for (size_t i = 0; i < n; i++)
				feed_event_free(&batch[i]);
			ok = 0;
			break;
		}
		if (rows < BATCH_MAX && *barrier < 0 && !unrendered)
			seen = newest; /* the rest up to newest are rows the feed does not show */
		registry_publish(batch, n, seen);
		if (unrendered) {
			static int64_t told = -1; /* said once per row, not at every turn */

			if (seen != told)
				log_error("the journal's row after %lld could not be rendered: tried again",
				    (long long)seen);
			told = seen;
			ok = 0;
			break;
		}
		if (*barrier >= 0)
			break;
	}
	free(batch);
	return ok;
}

/* Follows the journal up to its newest row, re-checking every credential at
 * each barrier. Returns 1, or 0 on error. */
static int
follow_all(void)
{
	for (;;) {
		int64_t barrier = -1;

		if (!follow_journal(&barrier))
			return 0;
		if (barrier < 0)
			return 1;
		registry_recheck(now_ms(), barrier, verdict);
	}
}

/* The follower: admits subscribers, follows the journal and re-checks
 * credentials, on a connection of its own that never writes. The first turn
 * loads the ring with what can be replayed; nobody is admitted before. */
static void *
follower(void *arg)
{
	int64_t version = -1, checked = 0;
	bool loaded = false;

	(void)arg;
	if (!db_open_thread())
		log_error("the feed's follower cannot open the database: tried again");
	while (!server_stopping) {
		int64_t v, now;

		db_heal();
		v = db_int("PRAGMA data_version", -1);
		if (v != version) {
			version = v;
			if (follow_all())
				loaded = true;
			else
				version = -1; /* try again at the next turn */
		}
		now = now_ms();
		if (loaded)
			registry_admit(now, verdict);
		if (now - checked >= 1000) {
			checked = now;
			registry_recheck(now, -1, verdict);
		}
		registry_idle(10);
	}
	db_close_thread();
	return NULL;
}

int
feed_serve(const struct area *a)
{
	sigset_t block, old;
	int64_t idle = 0, newest;
	struct timespec ts;
	pthread_t follower_thread;
	int rc;

	feed_area = a;
	/* The ring starts with what can be replayed. */
	if ((newest = feed_newest()) < 0) {
		log_error("cannot read the journal");
		return 1;
	}
	if (!registry_init((size_t)cfg.feed_history,
	    newest > cfg.feed_history ? newest - cfg.feed_history : 0))
		return 1;
	transport_init(0);
	server_catch_signals();
	/* Signals are the main thread's: the others block them (SIGALRM too:
	 * it must interrupt the main thread's wait for the write lock). */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&follower_thread, NULL, follower, NULL);
	pthread_attr_init(&thread_attr);
	pthread_attr_setdetachstate(&thread_attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&thread_attr, 256 * 1024);
	pthread_mutex_lock(&pool_mutex);
	if (rc == 0) {
		spawn();
		spawn();
	}
	pthread_mutex_unlock(&pool_mutex);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("cannot start the feed's follower: %s", strerror(rc));
		return 1;
	}
	while (!server_stopping) {
		pthread_mutex_lock(&job_mutex);
		if (!jobs) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000000; /* the idle work's clock, and a stop */
			ts.tv_sec += ts.tv_nsec / 1000000000;
			ts.tv_nsec %= 1000000000;
			pthread_cond_timedwait(&job_ready, &job_mutex, &ts);
		}
		pthread_mutex_unlock(&job_mutex);
		db_heal();
		do_jobs();
		if (mono_ms() - idle >= 1000) {
			idle = mono_ms();
			(void)auth_flush_usage(now_ms(), false);
			db_checkpoint(false);
		}
	}
	/* Shutdown: every stream ends cleanly, then the threads go. */
	registry_wake_all();
	pthread_join(follower_thread, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 3;
	pthread_mutex_lock(&pool_mutex);
	while (threads > 0) {
		/* Jobs still waiting are answered, so their threads can end. */
		pthread_mutex_unlock(&pool_mutex);
		do_jobs();
		pthread_mutex_lock(&pool_mutex);
		if (pthread_cond_timedwait(&pool_empty, &pool_mutex, &ts) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&pool_mutex);
	(void)auth_flush_usage(now_ms(), true);
	db_close();
	return 0;
}
