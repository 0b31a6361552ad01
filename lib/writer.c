/*
 * Group commit. In a pool of one worker (cfg.group_max > 1: the payments'
 * writer), the writes gathered in one turn run in one transaction, each in a
 * savepoint of its own, and none is answered before the group's single
 * COMMIT: one fsync for them all. A request alone is a group of one, so
 * nobody waits for a group to fill. (With several workers on a socket,
 * another could take a connection seen waiting: hence one worker.) Nothing
 * here waits on a peer while a transaction is open: every request of the
 * turn is whole in memory before the first BEGIN, and answers are written
 * after the COMMIT.
 */
#include <assert.h>
#include <stdbool.h>

#include "clock.h"
#include "config.h"
#include "db.h"
#include "hooks.h"
#include "log.h"
#include "transport.h"
#include "writer.h"

#define TURN_MAX 64 /* the most requests a turn holds (cfg.group_max's bound) */

size_t
writer_gather(int listener, int fd, struct req *slots, size_t n)
{
	int fds[TURN_MAX];
	size_t got = 0, open = 0;
	int64_t deadline = mono_ms() + cfg.read_timeout_ms;

	fds[got++] = fd;
	while (got < n && got < TURN_MAX && transport_pending(listener)) {
		int next = transport_accept(listener, 0);

		if (next < 0)
			break;
		fds[got++] = next;
	}
	/* The deadline is shared: a stalled peer delays its turn by it at most. */
	for (size_t i = 0; i < got; i++)
		if (transport_wait(&slots[open].io, fds[i], deadline) && io_open(&slots[open].io, fds[i]))
			open++;
	return open;
}

static bool
writes(const struct req *r)
{
	return r->route->flags & R_WRITE;
}

void
writer_run(struct req *slots, size_t n)
{
	bool go[TURN_MAX], grouped = false;
	size_t group = 0;

	assert(n <= TURN_MAX); /* writer_gather opens no more */
	for (size_t i = 0; i < n; i++) {
		req_begin(&slots[i]);
		go[i] = req_read(&slots[i]) && req_prepare(&slots[i]);
		group += go[i] && cfg.group_max > 1 && writes(&slots[i]);
	}
	hook_pause("run"); /* read and prepared, not yet in a transaction */
	if (group > 0 && !(grouped = db_group_begin())) {
		for (size_t i = 0; i < n; i++) {
			if (go[i] && writes(&slots[i])) {
				slots[i].st = ST_ERREUR_BDD; /* the group's transaction did not open */
				go[i] = false;
			}
		}
	}
	if (grouped) {
		for (size_t i = 0; i < n; i++)
			if (go[i] && writes(&slots[i]))
				req_run(&slots[i]);
		if (!db_group_commit()) {
			/* None of the group's writes happened. */
			for (size_t i = 0; i < n; i++)
				if (go[i] && writes(&slots[i]))
					req_fail(&slots[i], ST_ERREUR_BDD);
		}
	}
	/* Reads after the group: they see only what is durable. */
	for (size_t i = 0; i < n; i++)
		if (go[i] && !(grouped && writes(&slots[i])))
			req_run(&slots[i]);
	for (size_t i = 0; i < n; i++)
		req_end(&slots[i]);
}
