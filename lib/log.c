/*
 * stderr logging with a fixed prefix. Callers never pass secrets in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "10p5";
static _Thread_local unsigned long log_req; /* per thread: the feed's serve several */

void
log_init(const char *prog)
{
	log_prog = prog;
}

void
log_request(unsigned long id)
{
	log_req = id;
}

void
log_error(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s[%ld] req %lu: %s\n", log_prog, (long)getpid(), log_req, line);
}
