/* Unit tests for lib/feed_registry.c: who is woken by an event, what each
 * subscriber copies out of the ring and in which shape, resume points out of
 * reach, a subscriber too slow for the ring, and re-checks shared by the
 * streams of one credential. One process, one registry: the cases run in
 * order on the same ring. */
#include <pthread.h>

#include "../tap.h"
#include "config.h"
#include "feed_registry.h"
#include "log.h"

#define HISTORY 8

/* An event of kind on card, seen as bar by a bar member and as prez by a
 * president (NULL: not shown in that shape). */
static struct event
ev(int64_t id, enum feed_kind kind, const char *card, const char *bar, const char *prez)
{
	struct event e = { .id = id, .kind = kind };

	snprintf(e.card, sizeof e.card, "%s", card);
	e.text[SHAPE_BAR] = bar ? strdup(bar) : NULL;
	if (prez && bar && strcmp(bar, prez) == 0)
		e.text[SHAPE_PRESIDENT] = e.text[SHAPE_BAR];
	else
		e.text[SHAPE_PRESIDENT] = prez ? strdup(prez) : NULL;
	return e;
}

static void
publish1(struct event e, int64_t seen)
{
	registry_publish(&e, 1, seen);
}

static void
subscriber(struct subscriber *s, const char *card, enum shape shape, enum cred_kind kind,
    int64_t token)
{
	memset(s, 0, sizeof *s);
	pthread_cond_init(&s->cond, NULL);
	s->types = (1u << FK__MAX) - 1;
	snprintf(s->card, sizeof s->card, "%s", card);
	s->shapes.now = s->shapes.before = shape;
	s->shapes.from = -1;
	s->kind = kind;
	s->token_id = token;
	s->last = registry_newest();
	s->end = ST_OK;
}

/* What s copies out with view v, as one string (static). */
static const char *
take_in(struct subscriber *s, const struct view *v, size_t cap, bool *more, bool *overrun)
{
	static char out[4096];
	bool m, o;
	size_t n = registry_collect(s, v, out, cap < sizeof out ? cap : sizeof out - 1,
	    more ? more : &m, overrun ? overrun : &o);

	out[n] = '\0';
	return out;
}

/* What s copies out now, in its shapes, as one string (static). */
static const char *
take(struct subscriber *s, size_t cap, bool *more, bool *overrun)
{
	struct view v = { .end = s->end, .shapes = s->shapes, .upto = registry_newest() };

	return take_in(s, &v, cap, more, overrun);
}

static int checks;

/* Verdicts: the credential revoked; its right lowered to bar member; the
 * database failing. */
static enum status
revoked(enum cred_kind kind, int64_t token_id, int64_t now, enum shape *shape,
    enum auth_reason *why)
{
	(void)kind, (void)token_id, (void)now, (void)shape;
	checks++;
	*why = AR_INCONNU;
	return ST_JETON_INVALIDE;
}

static enum status
demoted(enum cred_kind kind, int64_t token_id, int64_t now, enum shape *shape,
    enum auth_reason *why)
{
	(void)kind, (void)token_id, (void)now, (void)why;
	checks++;
	*shape = SHAPE_BAR;
	return ST_OK;
}

static enum status
failing(enum cred_kind kind, int64_t token_id, int64_t now, enum shape *shape,
    enum auth_reason *why)
{
	(void)kind, (void)token_id, (void)now, (void)shape, (void)why;
	return ST_ERREUR_BDD;
}

/* A connection thread's join, as feed.c makes it. */
static void *
join(void *arg)
{
	struct subscriber *s = arg;

	s->end = registry_join(s);
	return NULL;
}

/* Joins s from a thread of its own, admits it with verdict, and returns
 * what its join returned. */
static enum status
admitted(struct subscriber *s, registry_verdict_fn verdict)
{
	pthread_t t;

	s->admitted = false;
	pthread_create(&t, NULL, join, s);
	do {
		registry_idle(100); /* returns once s joined, or after 100 ms */
		registry_admit(900, verdict);
	} while (!s->admitted); /* set by registry_admit, in this thread */
	pthread_join(t, NULL);
	return s->end;
}

int
main(void)
{
	struct subscriber all, card_x, card_y, prices, prez, other;
	struct view view;
	bool more, overrun;

	log_init("unit-feed_registry");
	if (!config_load())
		return 2;
	cfg.feed_history = HISTORY;

	ok(!registry_out_of_reach(100, 100), "a resume point at the newest id is within reach");
	ok(!registry_out_of_reach(100 - HISTORY, 100), "and one the history's length before it");
	ok(registry_out_of_reach(99 - HISTORY, 100), "one before that is out of reach");
	ok(registry_out_of_reach(101, 100), "so is one past the newest (another database)");

	ok(registry_init(HISTORY, 10), "a ring of %d events, after id 10", HISTORY);
	is_int(registry_newest(), 10, "which is the newest id published");

	subscriber(&all, "", SHAPE_BAR, CRED_SESSION, 1);
	subscriber(&card_x, "X", SHAPE_BAR, CRED_SESSION, 2);
	subscriber(&card_y, "Y", SHAPE_BAR, CRED_SESSION, 3);
	registry_enlist(&all);
	registry_enlist(&card_x);
	registry_enlist(&card_y);
	ok(all.pending && card_x.pending && card_y.pending,
	    "an enlisted subscriber looks at the ring at once");
	registry_wait(&all, 0, &view);
	is_int(view.end, ST_OK, "a wait reads the end: none yet");
	registry_wait(&card_x, 0, &view);
	registry_wait(&card_y, 0, &view);
	ok(!all.pending && !card_x.pending && !card_y.pending, "and clears what was to look at");

	publish1(ev(11, FK_TRANSACTION, "X", "tx11\n", "tx11\n"), 11);
	ok(all.pending, "an event wakes those following every card");
	ok(card_x.pending, "and those following its card");
	ok(!card_y.pending, "not those following another card");
	is_str(take(&all, 4096, NULL, NULL), "tx11\n", "who follows every card takes it");
	is_str(take(&card_x, 4096, NULL, NULL), "tx11\n", "so does its card's follower");
	is_str(take(&card_y, 4096, NULL, NULL), "", "another card's follower takes nothing");
	is_int(card_y.last, 11, "but moves past it");

	subscriber(&prices, "", SHAPE_BAR, CRED_KEY, 4);
	prices.types = 1u << FK_PRIX;
	subscriber(&prez, "", SHAPE_PRESIDENT, CRED_SESSION, 5);
	registry_enlist(&prices);
	registry_enlist(&prez);
	publish1(ev(12, FK_CLIENT, "X", "{bar}\n", "{bar, decouvert}\n"), 12);
	publish1(ev(13, FK_UTILISATEUR, "", NULL, "{staff}\n"), 13);
	publish1(ev(14, FK_PRIX, "", "prix14\n", "prix14\n"), 14);
	is_str(take(&all, 4096, NULL, NULL), "{bar}\nprix14\n",
	    "a bar member takes each event in the bar's shape, and none a bar member may not see");
	is_str(take(&prez, 4096, NULL, NULL), "{bar, decouvert}\n{staff}\nprix14\n",
	    "a president takes the president's shape of each");
	is_str(take(&prices, 4096, NULL, NULL), "prix14\n", "types=prix takes prices only");
	is_int(prices.last, 14, "and stands at the newest");

	publish1(ev(15, FK_TRANSACTION, "Y", "tx15\n", "tx15\n"), 17);
	is_str(take(&card_y, 4096, NULL, NULL), "tx15\n", "rows that show nothing (16, 17) publish no event");
	is_int(card_y.last, 17, "but the last id handled moves past them");
	is_int(registry_newest(), 17, "and so does the newest id published");

	/* Shapes: a change applies after the id it was decided at. */
	subscriber_set_shape(&prez, SHAPE_BAR, 18);
	publish1(ev(18, FK_CLIENT, "X", "{bar18}\n", "{prez18}\n"), 18);
	publish1(ev(19, FK_CLIENT, "X", "{bar19}\n", "{prez19}\n"), 19);
	is_str(take(&prez, 4096, NULL, NULL), "tx15\n{prez18}\n{bar19}\n",
	    "a president demoted at 18 sees up to 18 as a president, then as a bar member");
	subscriber_set_shape(&prez, SHAPE_PRESIDENT, 19);
	subscriber_set_shape(&prez, SHAPE_BAR, 19);
	is_int(prez.shapes.before, SHAPE_BAR,
	    "promoted then demoted again, the events before the last change take the lesser shape");
	is_int(subscriber_shape_of(&prez.shapes, 19), SHAPE_BAR, "up to the change");
	is_int(subscriber_shape_of(&prez.shapes, 20), SHAPE_BAR, "and after it");

	/* A view holds up to the newest id published when it was read: what
	 * comes after, maybe after a change of right, waits for the next. */
	registry_wait(&all, 0, &view);
	is_int(view.upto, 19, "a view holds up to the newest id published");
	subscriber_set_shape(&all, SHAPE_PRESIDENT, 19);
	publish1(ev(20, FK_CLIENT, "X", "{bar20}\n", "{prez20}\n"), 20);
	ok(all.pending, "an event published after the view was read wakes its subscriber again");
	is_str(take_in(&all, &view, 4096, NULL, NULL), "tx15\n{bar18}\n{bar19}\n",
	    "which copies out, with that view, only what was published before it");
	is_int(all.last, 19, "and stands at its end");
	registry_wait(&all, 0, &view);
	is_str(take_in(&all, &view, 4096, NULL, NULL), "{prez20}\n",
	    "the next view takes the rest, in the shape of then");

	/* A subscriber's buffer: what does not fit waits for the next round. */
	publish1(ev(21, FK_PRIX, "", "p20\n", "p20\n"), 21);
	publish1(ev(22, FK_PRIX, "", "p21\n", "p21\n"), 22);
	registry_wait(&prices, 0, &view);
	is_str(take(&prices, 6, &more, NULL), "p20\n", "what fits the buffer is copied");
	ok(more, "and the rest is said to be left");
	is_int(prices.last, 21, "the last id handled is the last copied");
	registry_more(&prices);
	ok(prices.pending, "a subscriber with more left looks again at once");
	is_str(take(&prices, 6, &more, NULL), "p21\n", "the next round takes the rest");
	ok(!more, "and nothing is left");

	/* A subscriber too slow for the ring. */
	for (int64_t id = 23; id < 23 + HISTORY + 2; id++)
		publish1(ev(id, FK_PRIX, "", "p\n", "p\n"), id);
	is_str(take(&card_x, 4096, NULL, &overrun), "", "a subscriber the ring went past takes nothing");
	ok(overrun, "it is told it fell behind (reinitialiser)");
	is_int(card_x.last, registry_newest(), "and goes on from the newest id");
	take(&all, 4096, NULL, NULL);
	take(&prez, 4096, NULL, NULL);
	take(&card_y, 4096, NULL, NULL);

	/* Re-checks. */
	subscriber(&other, "Z", SHAPE_PRESIDENT, CRED_SESSION, 5); /* prez's credential */
	registry_enlist(&other);
	registry_wait(&all, 0, &view);
	registry_wait(&prices, 0, &view);
	checks = 0;
	all.next_check = prices.next_check = card_x.next_check = card_y.next_check = 1000;
	prez.next_check = other.next_check = 0;
	registry_recheck(500, -1, demoted);
	is_int(checks, 1, "the two streams of a credential due for a re-check are checked once");
	is_int(other.shapes.now, SHAPE_BAR, "and share the verdict");
	is_int(other.shapes.from, registry_newest(), "from the newest id published");
	is_int(prez.next_check, 500 + FEED_CHECK_MS, "both are next due FEED_CHECK_MS later");
	is_int(other.next_check, 500 + FEED_CHECK_MS, "(both)");
	checks = 0;
	registry_recheck(600, -1, revoked);
	is_int(checks, 0, "nobody due, nobody checked");
	registry_recheck(600, 30, revoked);
	is_int(checks, 5, "at a barrier, every credential is checked at once");
	ok(all.end == ST_JETON_INVALIDE && other.end == ST_JETON_INVALIDE, "and each stream gets the verdict");
	ok(all.pending && prices.pending, "a stream whose credential ended is woken");
	registry_wait(&all, 0, &view);
	is_int(view.end, ST_JETON_INVALIDE, "and its wait reads the end");

	{
		struct subscriber lone;

		subscriber(&lone, "", SHAPE_BAR, CRED_KEY, 9);
		subscriber_recheck(&lone, 700, registry_newest(), failing);
		is_int(lone.end, ST_ERREUR_BDD,
		    "a re-check that cannot read the credential ends the stream: fin erreur_bdd");
	}

	/* Admission: the follower's verdict, read afresh, settles the shape and
	 * the resume point. */
	{
		struct subscriber late, refused, behind;

		subscriber(&late, "", SHAPE_PRESIDENT, CRED_SESSION, 11);
		late.last = -1; /* live only */
		is_int(admitted(&late, demoted), ST_OK, "a subscriber the follower admits may stream");
		is_int(late.shapes.now, SHAPE_BAR, "in the shape of its credential's right now");
		is_int(late.shapes.before, SHAPE_BAR, "for the events it replays as well");
		is_int(late.last, registry_newest(), "live only, it starts at the newest id published");
		ok(!late.reinit, "and is not told to start afresh");
		is_int(late.next_check, 900 + FEED_CHECK_MS, "its credential is next due FEED_CHECK_MS later");
		subscriber(&behind, "", SHAPE_BAR, CRED_SESSION, 12);
		behind.last = 1;
		is_int(admitted(&behind, demoted), ST_OK, "one whose resume point is out of reach is admitted");
		ok(behind.reinit, "told to start afresh");
		is_int(behind.last, registry_newest(), "from the newest id");
		subscriber(&refused, "", SHAPE_BAR, CRED_KEY, 13);
		is_int(admitted(&refused, revoked), ST_JETON_INVALIDE,
		    "a subscriber whose credential went meanwhile is refused with its verdict");
		is_int(refused.why, AR_INCONNU, "and its raison");
		publish1(ev(41, FK_TRANSACTION, "", "tx41\n", "tx41\n"), 41);
		ok(late.pending && !refused.pending, "the refused one is not enlisted");
		registry_delist(&late);
		registry_delist(&behind);
	}

	/* A credential's share of the feed. */
	{
		struct subscriber first, second, third, elsewhere;

		cfg.feed_per_credential = 2;
		subscriber(&first, "", SHAPE_BAR, CRED_KEY, 20);
		subscriber(&second, "X", SHAPE_BAR, CRED_KEY, 20);
		subscriber(&third, "", SHAPE_BAR, CRED_KEY, 20);
		subscriber(&elsewhere, "", SHAPE_BAR, CRED_KEY, 21);
		is_int(admitted(&first, demoted), ST_OK, "a key's first stream is admitted");
		is_int(admitted(&second, demoted), ST_OK, "and its second, up to its share");
		is_int(admitted(&third, demoted), ST_TROP_DE_CONNEXIONS,
		    "one past its share is refused: trop_de_connexions");
		is_int(admitted(&elsewhere, demoted), ST_OK, "another key's stream is admitted");
		publish1(ev(42, FK_TRANSACTION, "", "tx42\n", "tx42\n"), 42);
		ok(first.pending && !third.pending, "the refused one is not enlisted");
		registry_delist(&first);
		subscriber(&third, "", SHAPE_BAR, CRED_KEY, 20);
		is_int(admitted(&third, demoted), ST_OK, "once one of its streams ends, the key's next is admitted");
		registry_delist(&second);
		registry_delist(&third);
		registry_delist(&elsewhere);
	}

	registry_delist(&card_x);
	registry_wait(&card_x, 0, &view);
	publish1(ev(43, FK_TRANSACTION, "X", "tx43\n", "tx43\n"), 43);
	ok(!card_x.pending, "a subscriber delisted is no longer woken");
	registry_delist(&all);
	registry_delist(&card_y);
	registry_delist(&prices);
	registry_delist(&prez);
	registry_delist(&other);
	return done_testing();
}
