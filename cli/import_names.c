/*
 * The names a dump's rows refer to (cards, logins), interned by their ASCII
 * lower case in an open-addressing table (struct names, import_in.h), and
 * the arrays the rows are read into, grown by doubling. Invariants: a name
 * is in the table once, whatever its case; its index never changes; the
 * table's slots stay at least twice the names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_in.h"

/* Makes room for one more element of `size` bytes in the array whose
 * pointer is at pp (copied in and out, never read through a void **).
 * Returns 1, or 0 when out of memory. */
int
import_grow(void *pp, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 256;
	void *p, *q;

	if (n < *cap)
		return 1;
	memcpy(&p, pp, sizeof p);
	if (!(q = realloc(p, c * size)))
		return 0;
	memcpy(pp, &q, sizeof q);
	*cap = c;
	return 1;
}

static uint64_t
fold_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 1099511628211u;
	}
	return h;
}

static int
names_rehash(struct names *ns, size_t nslot)
{
	uint32_t *slot = calloc(nslot, sizeof *slot);

	if (!slot)
		return 0;
	for (size_t i = 0; i < ns->n; i++) {
		size_t k = fold_hash(ns->v[i].text) & (nslot - 1);

		while (slot[k])
			k = (k + 1) & (nslot - 1);
		slot[k] = (uint32_t)i + 1;
	}
	free(ns->slot);
	ns->slot = slot;
	ns->nslot = nslot;
	return 1;
}

/* The index of name s (at most 32 bytes), added if new; -1 when out of memory. */
long
names_intern(struct names *ns, const char *s)
{
	size_t k;

	if (ns->nslot < 2 * (ns->n + 1) && !names_rehash(ns, ns->nslot ? ns->nslot * 2 : 1024))
		return -1;
	for (k = fold_hash(s) & (ns->nslot - 1); ns->slot[k]; k = (k + 1) & (ns->nslot - 1))
		if (strcasecmp(ns->v[ns->slot[k] - 1].text, s) == 0)
			return (long)ns->slot[k] - 1;
	if (!import_grow(&ns->v, &ns->cap, ns->n, sizeof *ns->v))
		return -1;
	snprintf(ns->v[ns->n].text, sizeof ns->v[0].text, "%s", s);
	ns->v[ns->n].owner = -1;
	ns->v[ns->n].line = 0;
	ns->slot[k] = (uint32_t)ns->n + 1;
	return (long)ns->n++;
}

/* The name s is claimed by its owner (a client or a user) at line: -1 when
 * out of memory, else its index, with *dup set to the earlier owner's line
 * when the name already had one. */
long
names_claim(struct names *ns, const char *s, int32_t owner, long line, long *dup)
{
	long i = names_intern(ns, s);

	*dup = 0;
	if (i < 0)
		return -1;
	if (ns->v[i].owner >= 0) {
		*dup = ns->v[i].line;
		return i;
	}
	snprintf(ns->v[i].text, sizeof ns->v[0].text, "%s", s);
	ns->v[i].owner = owner;
	ns->v[i].line = line;
	return i;
}

void
names_free(struct names *ns)
{
	free(ns->v);
	free(ns->slot);
}
