/*
 * The long answers a worker keeps (answers.h).
 */
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "config.h"

#define KEPT_MAX 16

static struct kept {
	char *key;       /* NULL: a free place */
	char *bytes;
	size_t len;
	uint64_t used;   /* when last given or kept, in uses */
} kept[KEPT_MAX];
static struct db_mark held;  /* the contents every kept answer was read from */
static size_t total;         /* bytes kept */
static uint64_t uses;

static bool
same(const struct db_mark *a, const struct db_mark *b)
{
	return a->opening == b->opening && a->version == b->version && a->changes == b->changes;
}

static void
drop(struct kept *k)
{
	total -= k->len;
	free(k->key);
	free(k->bytes);
	memset(k, 0, sizeof *k);
}

/* Forgets everything unless it was read from contents m; m becomes the
 * contents held. */
static void
hold(const struct db_mark *m)
{
	if (same(&held, m))
		return;
	for (size_t i = 0; i < KEPT_MAX; i++)
		if (kept[i].key)
			drop(&kept[i]);
	held = *m;
}

size_t
answers_max(void)
{
	return cfg.answer_cache / 4;
}

const char *
answers_find(const char *key, const struct db_mark *m, size_t *len)
{
	hold(m);
	for (size_t i = 0; i < KEPT_MAX; i++) {
		if (kept[i].key && strcmp(kept[i].key, key) == 0) {
			kept[i].used = ++uses;
			*len = kept[i].len;
			return kept[i].bytes;
		}
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

	hold(m);
	if (len > answers_max()) {
		free(bytes);
		return;
	}
	/* key is not kept yet (answers_find found nothing under it at m). len
	 * is at most a quarter of the bound: while there is no room, some
	 * answer is kept. */
	while (total + len > cfg.answer_cache || !(k = free_place()))
		drop(lru());
	if (!(k->key = strdup(key))) {
		free(bytes);
		return;
	}
	/* The copy grew by doubling: what it reserved past len goes back. */
	k->bytes = len > 0 && (p = realloc(bytes, len)) ? p : bytes;
	k->len = len;
	k->used = ++uses;
	total += len;
}
