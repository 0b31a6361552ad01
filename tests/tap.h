/*
 * A tiny TAP producer for the unit tests: ok(), is_int(), is_str(), and a
 * buffer that ends on an unmapped page, so a parser that reads one byte too
 * far crashes instead of passing.
 */
#ifndef TENP5_TAP_H
#define TENP5_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 4, 5), unused))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s line %d\n", file, line);
	}
}

#define ok(cond, ...) tap_ok((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do { \
	int64_t g_ = (int64_t)(got), w_ = (int64_t)(want); \
	tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__); \
	if (g_ != w_) \
		printf("#   got: %" PRId64 ", expected: %" PRId64 "\n", g_, w_); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int p_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0); \
	tap_ok(p_, __FILE__, __LINE__, __VA_ARGS__); \
	if (!p_) \
		printf("#   got: '%s', expected: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

static __attribute__((unused)) int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* Reports a temporary directory left behind. */
static __attribute__((unused)) void
diag_rm(void)
{
	printf("# could not remove a temporary directory\n");
}

/* Returns n writable bytes whose end touches an inaccessible page. */
static __attribute__((unused)) char *
guarded(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (n + page - 1) / page + 1;
	char *base = mmap(NULL, pages * page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (base == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	mprotect(base + (pages - 1) * page, page, PROT_NONE);
	return base + (pages - 1) * page - n;
}

/* Copies s (len bytes) into a guarded buffer of len + 1 bytes, the room the
 * in-place parsers need for their terminator. */
static __attribute__((unused)) char *
guarded_copy(const char *s, size_t len)
{
	char *b = guarded(len + 1);

	memcpy(b, s, len);
	return b;
}

#endif
