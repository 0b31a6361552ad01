/*
 * Time. now_ms() is the wall clock that dates transactions and ages sessions,
 * codes and lock-outs; mono_ms() measures deadlines and never jumps. Test
 * builds (TENP5_TEST_HOOKS) let a suite move now_ms() forward: the file named
 * by $TENP5_TEST_CLOCK holds an offset in milliseconds, so time-based rules are
 * tested without sleeping. Production builds ignore the variable.
 */
#ifndef TENP5_CLOCK_H
#define TENP5_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch. */
int64_t now_ms(void);

/* Milliseconds on a monotonic clock, for deadlines. */
int64_t mono_ms(void);

#endif
