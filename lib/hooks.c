/*
 * The test hooks of hooks.h; an empty unit in production builds.
 */
#include "hooks.h"

#ifdef TENP5_TEST_HOOKS
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The part of $name after "point:", or NULL when it names another point. */
static const char *
arg(const char *name, const char *point)
{
	const char *v = getenv(name);
	size_t n = strlen(point);

	if (!v || strncmp(v, point, n) != 0 || v[n] != ':')
		return NULL;
	return v + n + 1;
}

void
hook_pause(const char *point)
{
	const char *file = arg("TENP5_TEST_PAUSE", point);
	char held[4096];
	int fd;

	if (!file || access(file, F_OK) != 0)
		return;
	snprintf(held, sizeof held, "%s.held", file);
	if ((fd = open(held, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) >= 0)
		close(fd);
	for (int i = 0; i < 3000 && access(file, F_OK) == 0; i++)
		usleep(10000);
	unlink(held);
}

bool
hook_fail(const char *point)
{
	static long seen;
	const char *n = arg("TENP5_TEST_FAIL", point), *k;
	long from;

	if (!n)
		return false;
	from = atol(n);
	k = strchr(n, ':');
	return ++seen >= from && (!k || seen < from + atol(k + 1));
}
#else
typedef int hooks_unused; /* an empty unit is not valid C */
#endif
