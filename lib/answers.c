/*
 * The long answers a worker keeps (answers.h).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "config.h"

#define KEPT_MAX 16

/* Invariants: each key is kept once at most; total is the sum of the kept
 * lengths and stays within cfg.answer_cache, each length within a quarter of
 * it. */
static struct kept {
	char *key;       /* NULL: a free place */
	struct db_mark mark;  /* the contents the answer was read from */
	char *bytes;
	size_t len;
	uint64_t used;   /* when last given or kept, in uses */
} kept[KEPT_MAX];
static size_t total;         /* bytes kept */
static uint64_t uses;

static bool
same(const struct db_mark *a, const struct db_mark *b)
{
	return a->opening == b->opening && a->card == b->card && a->version == b->version &&
	    a->changes == b->changes;
}

static void
drop(struct kept *k)
{
	total -= k->len;
	free(k->key);
	free(k->bytes);
	memset(k, 0, sizeof *k);
}

size_t
answers_max(void)
{
	return cfg.answer_cache / 4;
}

const char *
answers_find(const char *key, const struct db_mark *m, size_t *len)
{
	for (size_t i = 0; i < KEPT_MAX; i++) {
		if (!kept[i].key || strcmp(kept[i].key, key) != 0)
			continue;
		if (!same(&kept[i].mark, m)) {
			drop(&kept[i]); /* read from other contents: never good again */
			return NULL;
		}
		kept[i].used = ++uses;
		*len = kept[i].len;
		return kept[i].bytes;
	}
	return NULL;
}

/* A free place, or NULL. */
static struct kept *
free_place(void)
{
	for (size_t i = 0; i < KEPT_MAX; i++)
		if (!kept[i].key)
			return &kept[i];
	return NULL;
}

/* The least recently used answer kept (one is). */
static struct kept *
lru(void)
{
	struct kept *l = NULL;

	for (size_t i = 0; i < KEPT_MAX; i++)
		if (kept[i].key && (!l || kept[i].used < l->used))
			l = &kept[i];
	return l;
}

void
answers_keep(const char *key, const struct db_mark *m, char *bytes, size_t len)
{
	struct kept *k;
	char *p;

	if (len > answers_max()) {
		free(bytes);
		return;
	}
	/* key is not kept (answers_find(key, m) found nothing and let go of
	 * what was kept under it). len is at most a quarter of the bound:
	 * while there is no room, some answer is kept. */
	for (size_t i = 0; i < KEPT_MAX; i++)
		assert(!kept[i].key || strcmp(kept[i].key, key) != 0);
	while (total + len > cfg.answer_cache || !(k = free_place()))
		drop(lru());
	if (!(k->key = strdup(key))) {
		free(bytes);
		return;
	}
	/* The copy grew by doubling: what it reserved past len goes back. */
	k->bytes = len > 0 && (p = realloc(bytes, len)) ? p : bytes;
	k->mark = *m;
	k->len = len;
	k->used = ++uses;
	total += len;
	assert(total <= cfg.answer_cache);
}
