/*
 * Randomness from the kernel (getrandom), and the random tokens made from it.
 */
#ifndef TENP5_RAND_H
#define TENP5_RAND_H

#include <stddef.h>

/* Fills buf with n random bytes. Returns 1, or 0 if the kernel refused. */
int rand_bytes(void *buf, size_t n);

/* Writes n random characters of [0-9A-Za-z] and a terminator into out
 * (n + 1 bytes), without modulo bias. Returns 1, or 0 on failure. */
int rand_token(char *out, size_t n);

#endif
