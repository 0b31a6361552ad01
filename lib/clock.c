/*
 * The clocks. The test offset is read through a shared mapping of its file,
 * so a suite can change it under running workers (it must rewrite the file in
 * place, at the same length: see tests/api/lib.sh, clock_forward).
 */
#include <time.h>

#include "clock.h"

#ifdef TENP5_TEST_HOOKS
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#define OFFSET_FILE_LEN 32

/* The offset the test clock file holds, or 0. */
static int64_t
test_offset(void)
{
	static const char *map;
	static int tried;
	int64_t v = 0;
	int neg = 0, i = 0;

	if (!tried) {
		const char *path = getenv("TENP5_TEST_CLOCK");
		int fd;

		tried = 1;
		if (path && *path && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			void *m = mmap(NULL, OFFSET_FILE_LEN, PROT_READ, MAP_SHARED, fd, 0);

			if (m != MAP_FAILED)
				map = m;
			close(fd);
		}
	}
	if (!map)
		return 0;
	while (i < OFFSET_FILE_LEN && map[i] == ' ')
		i++;
	if (i < OFFSET_FILE_LEN && map[i] == '-')
		neg = 1, i++;
	for (; i < OFFSET_FILE_LEN && map[i] >= '0' && map[i] <= '9'; i++)
		v = v * 10 + (map[i] - '0');
	return neg ? -v : v;
}
#else
static int64_t
test_offset(void)
{
	return 0;
}
#endif

int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + test_offset();
}

int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
