/*
 * A worker's graceful stop (stop.h): the signal handlers and their flag.
 */
#include <string.h>

#include "stop.h"

volatile sig_atomic_t server_stopping;

static void
on_signal(int sig)
{
	(void)sig;
	server_stopping = 1;
}

void
server_catch_signals(void)
{
	struct sigaction sa;

	/* No SA_RESTART: a poll() or a condition wait must return. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL); /* what multiwatch sends its children on SIGTERM */
}
