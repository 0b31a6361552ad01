/*
 * The live feed's events: one journal row (as db_feed.c's feed_rows reads
 * it) rendered as Server-Sent Events text, once for each shape a subscriber
 * may see: right 2 (and OAuth tokens with lecture) and right 3. Kept apart
 * from feed.c, which serves them, so that what a subscriber may see is read
 * in one place.
 */
#ifndef TENP5_FEED_EVENT_H
#define TENP5_FEED_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

enum feed_kind {
	FK_TRANSACTION,
	FK_ANNULATION,
	FK_REFAIRE,
	FK_CLIENT,
	FK_PRIX,
	FK_UTILISATEUR,
	FK_SERVICE,
	FK_HORSLIGNE,
	FK__MAX
};

enum shape {
	SHAPE_BAR,       /* right 2, or an OAuth token with lecture */
	SHAPE_PRESIDENT, /* right 3 */
	SHAPE__MAX
};

struct event {
	int64_t id;                 /* the journal's */
	enum feed_kind kind;
	char card[33];              /* "" when it concerns no card */
	char *text[SHAPE__MAX];     /* malloc'd; text[1] may be text[0]; NULL: not shown */
};

/* Renders a feed_rows row into *e: 1, 0 when it shows nothing to anyone, -1
 * out of memory. A transaction event shows the row as it stood then (valid
 * unless this event cancels it); a bar member never sees an overdraft, nor
 * staff administration; nobody sees a secret (the journal holds none). */
int feed_render(sqlite3_stmt *st, struct event *e);

void feed_event_free(struct event *e);

/* Whether a feed_rows row may change what a credential may do (staff
 * administration, API keys, OAuth apps): the feed re-checks every stream's
 * credential before it publishes anything after such a row. */
bool feed_row_credentials(sqlite3_stmt *st);

/* Parses a types= list ("transaction,prix") into bits of enum feed_kind.
 * Returns 1, or 0 on an unknown kind, an empty list or an empty item. */
int feed_parse_types(const char *s, unsigned *out);

#endif
