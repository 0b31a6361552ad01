/*
 * A binary of cgi-bin/: server_main runs its area (request.h says what an
 * area, its routes and its requests are) by the shared request path
 * (request.c), transports (transport.c) and loop (this file and writer.c).
 * The route table is the one source of every fact about an endpoint: its
 * path, the right and OAuth scope it needs, the pool that serves it; the
 * front servers' configurations are generated from it.
 */
#ifndef TENP5_SERVER_H
#define TENP5_SERVER_H

#include "request.h"
#include "stop.h"

/* Runs the loop (or, with the argument --routes, prints the route table as
 * JSON lines; with --routes=tsv, as "path area pool flags" lines for the
 * front servers' configurations). Returns the process exit code. */
int server_main(int argc, char **argv, const struct area *a);

#endif
