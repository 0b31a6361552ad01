/*
 * The live feed's load for `make bench`: holds N subscribers at once (one
 * epoll loop), spread over loopback addresses (127.0.0.2, .3, ... 100 each, so
 * that the front server's per-address limit applies as in a bar), each
 * following its own card (CARD0000, CARD0001, ...) except the first W, which
 * follow every transaction (tills, wall screens). For every transaction event
 * it measures commit to delivery (arrival time minus the event's date) and
 * checks ids: each subscriber's must grow strictly (a repeat is a double).
 *
 *   sse PORT AUTHORIZATION N W
 * prints "ready" once every stream is open, "EVENTS <events so far>" on
 * SIGUSR1, then, on SIGTERM or SIGINT, one line
 * "RESULT <open> <events> <doubles> <p50 ms> <p99 ms> <max ms>", and
 * "SUB <i> <card or *> <events>" for each subscriber.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HIST_MAX 60000 /* the latency histogram's width, ms */

struct sub {
	int fd;
	char card[16];        /* "" follows everything */
	bool open;            /* the stream's first line came */
	char line[8192];      /* the line being read */
	size_t n;
	int64_t id, last;     /* the event being read, the last one done */
	long events;
};

static struct sub *subs;
static long hist[HIST_MAX + 1], doubles, events;
static volatile sig_atomic_t stop, report;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		report = 1;
	else
		stop = 1;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
connect_from(int i, int port)
{
	struct sockaddr_in local = { .sin_family = AF_INET }, peer = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	local.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)(i / 100)); /* 127.0.0.2 + i / 100 */
	peer.sin_addr.s_addr = htonl(0x7f000001u);
	peer.sin_port = htons((uint16_t)port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof local) != 0 ||
	    connect(fd, (struct sockaddr *)&peer, sizeof peer) != 0) {
		perror("connect");
		exit(2);
	}
	return fd;
}

/* One line of a stream (without its newline). HTTP/1.0: the body comes as
 * it is, after the headers. */
static void
line(struct sub *s)
{
	s->line[s->n] = '\0';
	if (strncmp(s->line, "retry:", 6) == 0)
		s->open = true;
	else if (strncmp(s->line, "id: ", 4) == 0)
		s->id = strtoll(s->line + 4, NULL, 10);
	else if (strncmp(s->line, "data: ", 6) == 0) {
		const char *d = strstr(s->line, "\"date\":");
		int64_t lat = d ? now_ms() - strtoll(d + 7, NULL, 10) : 0;

		if (s->id <= s->last)
			doubles++;
		s->last = s->id;
		s->events++;
		events++;
		hist[lat < 0 ? 0 : lat > HIST_MAX ? HIST_MAX : lat]++;
	}
	s->n = 0;
}

static long
percentile(double p)
{
	long want = (long)(p * (double)events), seen = 0, top = 0;

	for (long i = 0; i <= HIST_MAX; i++) {
		if (hist[i])
			top = i;
		if ((seen += hist[i]) > want && p < 1)
			return i;
	}
	return top;
}

int
main(int argc, char **argv)
{
	int port, n, w, ep, ready = 0;
	struct epoll_event ev, got[256];
	struct sigaction sa;

	if (argc != 5) {
		fprintf(stderr, "usage: sse PORT AUTHORIZATION N W\n");
		return 2;
	}
	port = atoi(argv[1]);
	n = atoi(argv[3]);
	w = atoi(argv[4]);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	subs = calloc((size_t)n, sizeof *subs);
	ep = epoll_create1(0);
	for (int i = 0; i < n; i++) {
		char req[512];
		struct sub *s = &subs[i];

		if (i >= w)
			snprintf(s->card, sizeof s->card, "CARD%04d", i - w);
		s->fd = connect_from(i, port);
		snprintf(req, sizeof req, "GET /api/evenements?types=transaction%s%s HTTP/1.0\r\n"
		    "Host: bench\r\nAccept: text/event-stream\r\nAuthorization: %s\r\n\r\n",
		    s->card[0] ? "&client=" : "", s->card, argv[2]);
		if (write(s->fd, req, strlen(req)) != (ssize_t)strlen(req)) {
			perror("write");
			return 2;
		}
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
	}
	while (!stop) {
		int k = epoll_wait(ep, got, 256, 100);

		if (report) {
			report = 0;
			printf("EVENTS %ld\n", events);
			fflush(stdout);
		}
		for (int e = 0; e < k; e++) {
			struct sub *s = &subs[got[e].data.u32];
			char buf[65536];
			ssize_t r = read(s->fd, buf, sizeof buf);

			if (r <= 0) {
				if (r < 0 && errno == EINTR)
					continue;
				epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
				close(s->fd);
				s->fd = -1;
				continue;
			}
			for (ssize_t i = 0; i < r; i++) {
				bool was = s->open;

				if (buf[i] == '\n') {
					if (s->n > 0 && s->line[s->n - 1] == '\r')
						s->n--;
					line(s);
					if (!was && s->open && ++ready == n) {
						printf("ready\n");
						fflush(stdout);
					}
				} else if (s->n < sizeof s->line - 1)
					s->line[s->n++] = buf[i];
			}
		}
	}
	{
		int open = 0;

		for (int i = 0; i < n; i++)
			open += subs[i].fd >= 0 && subs[i].open;
		printf("RESULT %d %ld %ld %ld %ld %ld\n", open, events, doubles, percentile(0.5),
		    percentile(0.99), percentile(1.0));
		for (int i = 0; i < n; i++)
			printf("SUB %d %s %ld\n", i, subs[i].card[0] ? subs[i].card : "*", subs[i].events);
	}
	return 0;
}
