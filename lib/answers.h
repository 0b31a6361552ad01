/*
 * Long answers kept between requests: the streamed part of a list (a fiche's
 * transactions, every client) as it was sent, under a key naming its query,
 * the query's parameters and its row writer, stamped with the mark of the
 * read it came from (db.h). A kept answer is given again only under the very
 * same mark, that is for the very contents it was read from. A list marked by
 * the whole database (every client) is forgotten at any commit (a payment, a
 * cancel, a session recorded); a card's history, marked by that card alone,
 * stays good through other cards' payments and is forgotten when a row of
 * that card changes. Per process, bounded by cfg.answer_cache bytes in all,
 * each answer at most a quarter of that; the least recently used go first,
 * and an answer found under another mark than the one asked goes at once.
 */
#ifndef TENP5_ANSWERS_H
#define TENP5_ANSWERS_H

#include <stddef.h>

#include "db.h"

/* The longest answer that would be kept; 0 when none is. */
size_t answers_max(void);

/* The bytes kept under key for contents m, and their length; NULL if none. */
const char *answers_find(const char *key, const struct db_mark *m, size_t *len);

/* Keeps len bytes (malloc'd: taken over, or freed when not kept) under key,
 * read at m, after answers_find(key, m) found none. */
void answers_keep(const char *key, const struct db_mark *m, char *bytes, size_t len);

#endif
