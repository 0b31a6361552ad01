/*
 * Long answers kept between requests: the streamed part of a list (a fiche's
 * transactions, every client) as it was sent, under a key naming its query,
 * the query's parameters and its row writer, stamped with the db_mark of the
 * read it came from. A kept answer is given again only while the mark is
 * unchanged, that is for the very contents it was read from: any commit
 * (a payment, a cancel, a session recorded) forgets them all. Per process,
 * bounded by cfg.answer_cache bytes in all, each answer at most a quarter of
 * that; the least recently used go first.
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
 * read at m, after answers_find found none there. */
void answers_keep(const char *key, const struct db_mark *m, char *bytes, size_t len);

#endif
