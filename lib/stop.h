/*
 * A worker's graceful stop: the flag that SIGTERM, SIGINT, SIGQUIT and
 * SIGUSR1 (how FastCGI managers stop their workers) set, for every loop and
 * wait of the process to read. It keeps the loop's name, server_stopping,
 * and sits below every module that waits, so none of them reaches up to the
 * loop for it.
 */
#ifndef TENP5_STOP_H
#define TENP5_STOP_H

#include <signal.h>

/* Set once server_catch_signals() ran and one of those signals came: loops
 * end between turns, waits end early. */
extern volatile sig_atomic_t server_stopping;

/* Installs the handlers, without SA_RESTART: a poll() or a condition wait
 * returns when they run. */
void server_catch_signals(void);

#endif
