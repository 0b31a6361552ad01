/*
 * A FastCGI worker's turn: the connections waiting on the listener are
 * accepted and each request read whole; then they run, the writes of a turn
 * sharing one transaction in a pool of one worker (group commit); then they
 * are answered.
 */
#ifndef TENP5_WRITER_H
#define TENP5_WRITER_H

#include <stddef.h>

#include "request.h"

/* Takes connection fd and those already waiting behind it (up to n in all)
 * and opens each one's whole request in slots[0..). Waits on no peer beyond
 * cfg.read_timeout_ms, and holds no lock while it waits. Returns how many
 * requests are open. */
size_t writer_gather(int listener, int fd, struct req *slots, size_t n);

/* Runs and answers the n open requests of slots. */
void writer_run(struct req *slots, size_t n);

#endif
