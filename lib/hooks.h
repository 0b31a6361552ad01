/*
 * Test hooks, compiled in only by test builds (TENP5_TEST_HOOKS): points where
 * a suite can hold a worker (to act in the window between two stages) or make
 * an operation fail (to see how the failure is answered). In production builds
 * they are empty and cost nothing.
 *
 * $TENP5_TEST_PAUSE = "point:file": at that point the worker writes file.held
 *   and waits (thirty seconds at most) for file to disappear, if file exists.
 * $TENP5_TEST_FAIL = "point:n": the n-th time the point is reached, and every
 *   time after, hook_fail() answers true; "point:n:k": only k times from the
 *   n-th (a passing failure, to see it retried).
 */
#ifndef TENP5_HOOKS_H
#define TENP5_HOOKS_H

#include <stdbool.h>

#ifdef TENP5_TEST_HOOKS
void hook_pause(const char *point);
bool hook_fail(const char *point);
#else
static inline void
hook_pause(const char *point)
{
	(void)point;
}

static inline bool
hook_fail(const char *point)
{
	(void)point;
	return false;
}
#endif

#endif
