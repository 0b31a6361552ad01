/*
 * The subscribers and the fan-out (feed_registry.h). Locks: reg_mutex (the
 * subscribers, those joining, their conditions, the id published), ring.lock
 * (events). None is held while writing to a peer. One thread, the feed's
 * follower, admits, publishes and re-checks; each subscriber's own thread
 * waits, copies out and writes. No credential holds more than
 * cfg.feed_per_credential subscribers (registry_admit refuses the next).
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "config.h"
#include "feed_registry.h"
#include "server.h"

/* --- subscribers ------------------------------------------------------------ */

enum shape
subscriber_shape_of(const struct shapes *v, int64_t id)
{
	return id > v->from ? v->now : v->before;
}

bool
subscriber_wants(const struct subscriber *s, enum shape shape, const struct event *e)
{
	return e->text[shape] && (s->types & (1u << e->kind)) &&
	    (!s->card[0] || strcmp(s->card, e->card) == 0);
}

void
subscriber_set_shape(struct subscriber *s, enum shape shape, int64_t upto)
{
	struct shapes *v = &s->shapes;

	assert(upto >= v->from);
	if (shape == v->now)
		return;
	if (v->now < v->before)
		v->before = v->now;
	v->now = shape;
	v->from = upto;
}

void
subscriber_recheck(struct subscriber *s, int64_t now, int64_t upto, registry_verdict_fn verdict)
{
	enum shape shape;
	enum status st = verdict(s->kind, s->token_id, now, &shape, &s->why);

	if (st == ST_OK)
		subscriber_set_shape(s, shape, upto);
	s->end = st;
	s->next_check = now + FEED_CHECK_MS;
}

bool
registry_out_of_reach(int64_t last, int64_t newest)
{
	return last > newest || last < newest - cfg.feed_history;
}

/* --- the ring ------------------------------------------------------------------ */

static pthread_mutex_t reg_mutex = PTHREAD_MUTEX_INITIALIZER;
static int64_t published;  /* the ring's newest id, as subscribers read it: under reg_mutex */

static struct {
	pthread_rwlock_t lock;
	struct event *ev;       /* cap slots, circular: ev[(start + i) % cap] */
	size_t cap, start, n;
	int64_t newest;         /* the newest journal id looked at */
} ring = { .lock = PTHREAD_RWLOCK_INITIALIZER };

int
registry_init(size_t cap, int64_t newest)
{
	ring.cap = cap;
	if (!(ring.ev = calloc(ring.cap, sizeof *ring.ev)))
		return 0;
	ring.newest = published = newest;
	return 1;
}

int64_t
registry_newest(void)
{
	return ring.newest; /* the follower is its only writer */
}

/* The index (0..n) of the first event with id > last; under ring.lock. */
static size_t
ring_after(int64_t last)
{
	size_t lo = 0, hi = ring.n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ring.ev[(ring.start + mid) % ring.cap].id <= last)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Appends events (taken) and forgets those out of reach; under the lock. */
static void
ring_push(struct event *batch, size_t n, int64_t newest)
{
	for (size_t i = 0; i < n; i++) {
		assert(batch[i].id <= newest);
		assert(ring.n == 0 || batch[i].id > ring.ev[(ring.start + ring.n - 1) % ring.cap].id);
		if (ring.n == ring.cap) {
			feed_event_free(&ring.ev[ring.start]);
			ring.start = (ring.start + 1) % ring.cap;
			ring.n--;
		}
		ring.ev[(ring.start + ring.n) % ring.cap] = batch[i];
		ring.n++;
	}
	if (newest > ring.newest)
		ring.newest = newest;
	while (ring.n > 0 && ring.ev[ring.start].id < ring.newest - cfg.feed_history) {
		feed_event_free(&ring.ev[ring.start]);
		ring.start = (ring.start + 1) % ring.cap;
		ring.n--;
	}
	assert(ring.n <= ring.cap);
}

/* --- the registry -------------------------------------------------------------- */

static struct subscriber *subs;
static struct subscriber *joining; /* waiting for registry_admit, by ->next */
static pthread_cond_t joined = PTHREAD_COND_INITIALIZER; /* the follower's */
/* The subscribers by the card they follow (those following every card in
 * everyone), so that a batch of events wakes its card's followers without a
 * look at the others. */
#define CARD_BUCKETS 1024
static struct subscriber *by_card[CARD_BUCKETS], *everyone;

static struct subscriber **
followers(const char *card)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	if (!*card)
		return &everyone;
	for (; *card; card++)
		h = (h ^ (unsigned char)*card) * 16777619u;
	return &by_card[h % CARD_BUCKETS];
}

/* Wakes s to look at the ring. Under reg_mutex. */
static void
wake(struct subscriber *s)
{
	if (!s->pending) {
		s->pending = true;
		pthread_cond_signal(&s->cond);
	}
}

/* Adds s to the registry. Under reg_mutex. */
static void
enlist(struct subscriber *s)
{
	struct subscriber **list = followers(s->card);

	s->pending = true; /* what happened between subscribing and now */
	s->prev = NULL;
	s->next = subs;
	if (subs)
		subs->prev = s;
	subs = s;
	s->same = *list;
	*list = s;
}

void
registry_enlist(struct subscriber *s)
{
	pthread_mutex_lock(&reg_mutex);
	enlist(s);
	pthread_mutex_unlock(&reg_mutex);
}

enum status
registry_join(struct subscriber *s)
{
	pthread_mutex_lock(&reg_mutex);
	s->admitted = false;
	s->next = joining;
	joining = s;
	pthread_cond_signal(&joined);
	while (!s->admitted && !server_stopping) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&s->cond, &reg_mutex, &ts);
	}
	if (!s->admitted) {
		/* The process stops: s leaves the queue unanswered. */
		struct subscriber **p;

		for (p = &joining; *p != s; p = &(*p)->next)
			;
		*p = s->next;
		s->end = ST_ERREUR_GENERIQUE;
	}
	pthread_mutex_unlock(&reg_mutex);
	return s->end;
}

/* How many subscribers follow with the credential (kind, token_id). Under
 * reg_mutex. */
static int
streams_of(enum cred_kind kind, int64_t token_id)
{
	int n = 0;

	for (struct subscriber *s = subs; s; s = s->next)
		n += s->kind == kind && s->token_id == token_id;
	return n;
}

void
registry_admit(int64_t now, registry_verdict_fn verdict)
{
	pthread_mutex_lock(&reg_mutex);
	while (joining) {
		struct subscriber *s = joining;
		enum shape shape;

		joining = s->next;
		s->end = verdict(s->kind, s->token_id, now, &shape, &s->why);
		if (s->end == ST_OK && streams_of(s->kind, s->token_id) >= cfg.feed_per_credential)
			s->end = ST_TROP_DE_CONNEXIONS;
		if (s->end == ST_OK) {
			s->shapes.now = s->shapes.before = shape;
			s->shapes.from = -1;
			s->next_check = now + FEED_CHECK_MS;
			s->reinit = s->last >= 0 && registry_out_of_reach(s->last, published);
			if (s->last < 0 || s->reinit)
				s->last = published;
			enlist(s);
		}
		s->admitted = true;
		pthread_cond_signal(&s->cond);
	}
	pthread_mutex_unlock(&reg_mutex);
}

void
registry_idle(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	pthread_mutex_lock(&reg_mutex);
	if (!joining)
		pthread_cond_timedwait(&joined, &reg_mutex, &ts);
	pthread_mutex_unlock(&reg_mutex);
}

void
registry_delist(struct subscriber *s)
{
	struct subscriber **p;

	pthread_mutex_lock(&reg_mutex);
	if (s->prev)
		s->prev->next = s->next;
	else
		subs = s->next;
	if (s->next)
		s->next->prev = s->prev;
	for (p = followers(s->card); *p && *p != s; p = &(*p)->same)
		;
	assert(*p == s);
	*p = s->same;
	pthread_mutex_unlock(&reg_mutex);
}

void
registry_publish(struct event *batch, size_t n, int64_t seen)
{
	pthread_rwlock_wrlock(&ring.lock);
	ring_push(batch, n, seen);
	pthread_rwlock_unlock(&ring.lock);
	pthread_mutex_lock(&reg_mutex);
	published = ring.newest; /* the follower is its only writer */
	for (struct subscriber *s = everyone; n > 0 && s; s = s->same)
		wake(s);
	for (size_t i = 0; i < n; i++)
		for (struct subscriber *s = batch[i].card[0] ? *followers(batch[i].card) : NULL; s;
		    s = s->same)
			if (strcmp(s->card, batch[i].card) == 0)
				wake(s);
	pthread_mutex_unlock(&reg_mutex);
}

void
registry_wait(struct subscriber *s, int64_t until, struct view *v)
{
	pthread_mutex_lock(&reg_mutex);
	while (!s->pending && !server_stopping && mono_ms() < until) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1; /* a bounded wait: the heartbeat's clock is monotonic */
		pthread_cond_timedwait(&s->cond, &reg_mutex, &ts);
	}
	s->pending = false;
	v->end = s->end;
	v->shapes = s->shapes; /* the follower's re-checks may change them */
	v->upto = published;
	pthread_mutex_unlock(&reg_mutex);
}

void
registry_more(struct subscriber *s)
{
	pthread_mutex_lock(&reg_mutex);
	s->pending = true;
	pthread_mutex_unlock(&reg_mutex);
}

size_t
registry_collect(struct subscriber *s, const struct view *v, char *out, size_t cap,
    bool *more, bool *overrun)
{
	size_t w = 0, i;
	int64_t was = s->last;

	*more = false;
	pthread_rwlock_rdlock(&ring.lock);
	if ((*overrun = registry_out_of_reach(s->last, ring.newest))) {
		s->last = ring.newest;
		pthread_rwlock_unlock(&ring.lock);
		return 0;
	}
	for (i = ring_after(s->last); i < ring.n; i++) {
		const struct event *e = &ring.ev[(ring.start + i) % ring.cap];
		enum shape shape;

		if (e->id > v->upto)
			break; /* published after v was read: v's shapes may not hold */
		shape = subscriber_shape_of(&v->shapes, e->id);
		if (subscriber_wants(s, shape, e)) {
			size_t n = strlen(e->text[shape]);

			if (w + n > cap) {
				*more = w > 0;
				if (w > 0)
					break;
				n = cap; /* cannot happen: an event is far smaller */
			}
			memcpy(out + w, e->text[shape], n);
			w += n;
		}
		s->last = e->id;
	}
	if (!*more) {
		/* Past rows the feed does not show, up to what v covers. */
		int64_t past = ring.newest < v->upto ? ring.newest : v->upto;

		if (past > s->last)
			s->last = past;
	}
	pthread_rwlock_unlock(&ring.lock);
	assert(s->last >= was && s->last <= (v->upto > was ? v->upto : was));
	return w;
}

void
registry_recheck(int64_t now, int64_t barrier, registry_verdict_fn verdict)
{
	int64_t upto = barrier >= 0 ? barrier : ring.newest; /* the follower writes it */

	pthread_mutex_lock(&reg_mutex);
	if (barrier >= 0)
		for (struct subscriber *s = subs; s; s = s->next)
			s->next_check = now;
	for (struct subscriber *s = subs; s; s = s->next) {
		if (s->end != ST_OK || s->next_check > now)
			continue;
		subscriber_recheck(s, now, upto, verdict);
		/* Others holding the same credential share the verdict. */
		for (struct subscriber *o = s->next; o; o = o->next) {
			if (o->kind == s->kind && o->token_id == s->token_id && o->end == ST_OK &&
			    o->next_check <= now) {
				o->end = s->end;
				o->why = s->why;
				if (s->end == ST_OK)
					subscriber_set_shape(o, s->shapes.now, upto);
				o->next_check = s->next_check;
				if (o->end != ST_OK)
					wake(o);
			}
		}
		if (s->end != ST_OK)
			wake(s);
	}
	pthread_mutex_unlock(&reg_mutex);
}

void
registry_wake_all(void)
{
	pthread_mutex_lock(&reg_mutex);
	for (struct subscriber *s = subs; s; s = s->next)
		pthread_cond_signal(&s->cond);
	for (struct subscriber *s = joining; s; s = s->next)
		pthread_cond_signal(&s->cond);
	pthread_cond_signal(&joined);
	pthread_mutex_unlock(&reg_mutex);
}
