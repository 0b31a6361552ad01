/*
 * The live feed's subscribers and its fan-out, under FastCGI: the ring of
 * events that can be replayed (each rendered once per shape), the
 * subscribers (each a connection thread asleep on its own condition), and
 * the publishing of new events, which wakes only the subscribers whose
 * filters may take them. The CGI stream uses the subscriber's filters and
 * shapes alone.
 *
 * What holds (asserted):
 * - the ring's events are in strictly increasing id order, none after the
 *   newest journal id published, none older than cfg.feed_history ids before
 *   it, and at most its capacity;
 * - an enlisted subscriber is on the list of all and on exactly one list of
 *   followers: its card's, or that of those following every card;
 * - a subscriber's last id handled never goes back once it is enlisted, and
 *   a new shape never applies from an id before the previous change's;
 * - a subscriber copies out no event published after it read its shapes.
 */
#ifndef TENP5_FEED_REGISTRY_H
#define TENP5_FEED_REGISTRY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "feed_event.h"
#include "reply.h"

#define FEED_CHECK_MS 10000 /* credentials re-checked this often: fin within 30 s */

/* A subscriber's shape, and the one it had for the events up to from. */
struct shapes {
	enum shape now, before;
	int64_t from;
};

struct subscriber {
	pthread_cond_t cond;     /* signalled under the registry's lock */
	bool pending;            /* events, an end, or shutdown to look at */
	int64_t last;            /* the last event id handled */
	bool reinit;             /* to be told to start afresh */
	struct shapes shapes;    /* what it sees of each event (see subscriber_set_shape) */
	unsigned types;          /* bits of enum feed_kind */
	char card[33];           /* "" for every card */
	enum cred_kind kind;     /* the credential, re-checked every FEED_CHECK_MS */
	int64_t token_id;
	bool oauth;
	int64_t next_check;
	enum status end;         /* ST_OK while it goes on; else fin's status */
	enum auth_reason why;
	bool admitted;           /* registry_admit has given its verdict */
	struct subscriber *prev, *next; /* every subscriber */
	struct subscriber *same; /* the next following the same card, or every card */
};

/* What a subscriber acts upon, read at once: its end (ST_OK while it goes
 * on), its shapes, and the newest id published when they were read. Its
 * shapes hold for the events up to that id: a change of right is applied
 * before anything after its journal row is published. */
struct view {
	enum status end;
	struct shapes shapes;
	int64_t upto;
};

/* A credential's verdict, read afresh: ST_OK with the shape it may follow
 * in; else why it may not (*why for jeton_invalide), ST_ERREUR_BDD when it
 * could not be read. */
typedef enum status (*registry_verdict_fn)(enum cred_kind kind, int64_t token_id, int64_t now,
    enum shape *shape, enum auth_reason *why);

/* The shape s sees event id in. */
enum shape subscriber_shape_of(const struct shapes *v, int64_t id);

/* Whether s takes event e in shape: shown in it, of a kind and card s follows. */
bool subscriber_wants(const struct subscriber *s, enum shape shape, const struct event *e);

/* A new shape applies to the events after upto, the journal's last id read
 * before the re-check: those up to it keep the shape they were published
 * under (the lesser of two, for a stream lagging behind two changes). So a
 * president demoted sees his demotion, and nothing of a president's after. */
void subscriber_set_shape(struct subscriber *s, enum shape shape, int64_t upto);

/* Whether a resume point is out of what can be replayed (too old, or from
 * another database) against the journal's newest id: the client must then
 * start afresh. */
bool registry_out_of_reach(int64_t last, int64_t newest);

/* Makes the ring (cap events), starting after the journal id newest.
 * Returns 1, or 0 out of memory. */
int registry_init(size_t cap, int64_t newest);

/* The newest journal id published (the follower is its only writer). */
int64_t registry_newest(void);

/* Appends the events batch[0..n) (taken), the journal having been read up to
 * seen, and wakes the subscribers they concern. */
void registry_publish(struct event *batch, size_t n, int64_t seen);

/* Adds s to the registry; it will look at the ring at once. The follower's
 * (registry_admit), and the unit tests'. */
void registry_enlist(struct subscriber *s);

/* In s's connection thread: hands s (its credential, filters and resume
 * point read) to the follower and waits for its admission. Returns ST_OK
 * once s is enlisted, its resume point settled (s->last, s->reinit); else
 * the refusal (s->why for jeton_invalide): the credential's verdict,
 * trop_de_connexions past its share, or erreur_generique when the process
 * stops first. */
enum status registry_join(struct subscriber *s);

/* In the follower: gives each subscriber that joined its verdict, read
 * afresh where the follower stands in the journal, so that its shape holds
 * up to the newest id published and every later barrier re-checks it; a
 * subscriber whose credential already has cfg.feed_per_credential is refused
 * with trop_de_connexions. */
void registry_admit(int64_t now, registry_verdict_fn verdict);

/* In the follower: waits until a subscriber joins, or ms pass. */
void registry_idle(int ms);

/* Takes s out of the registry. */
void registry_delist(struct subscriber *s);

/* Waits, in s's thread, until s has something to look at (events, its end,
 * shutdown) or the monotonic clock reaches until; then reads its view. */
void registry_wait(struct subscriber *s, int64_t until, struct view *v);

/* s has more to look at than it took: its next wait returns at once. */
void registry_more(struct subscriber *s);

/* Copies the events after s->last and up to v->upto that s takes, each in
 * the shape v says, into out (cap bytes at most); those published since v
 * was read wait for the next round (their publishing woke s again). Returns
 * the bytes copied; *more when some are left for the next round; *overrun
 * when the ring forgot events s had not handled yet (a subscriber too slow
 * to keep up). */
size_t registry_collect(struct subscriber *s, const struct view *v, char *out, size_t cap,
    bool *more, bool *overrun);

/* Re-checks the credential of s: a new shape applies to the events after
 * upto; any other verdict, a database error included, ends the stream (fin
 * with that status: a credential that cannot be checked is not trusted). */
void subscriber_recheck(struct subscriber *s, int64_t now, int64_t upto,
    registry_verdict_fn verdict);

/* Re-checks the credentials that are due, once per credential; all of them
 * at a barrier (the id of a journal row that may change a right), -1 for
 * none. Subscribers whose stream ends are woken. */
void registry_recheck(int64_t now, int64_t barrier, registry_verdict_fn verdict);

/* Wakes every subscriber (shutdown). */
void registry_wake_all(void);

#endif
