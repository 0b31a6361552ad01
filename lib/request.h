/*
 * A request's path, in stages that the loops call in order, whatever the
 * transport: req_begin, req_read (method, body, fields: no database),
 * req_prepare (slow work outside any transaction), req_run (the credential,
 * the right, the idRequete record and the handler, in one transaction), then
 * respond() and io_close(). The group-commit writer runs the req_run of
 * several requests inside one transaction and answers them after its commit.
 */
#ifndef TENP5_REQUEST_H
#define TENP5_REQUEST_H

#include <stdbool.h>

#include "server.h"

/* Allocates what a request slot keeps from one request to the next (the body
 * buffer, the area's context). cgi selects plain CGI. Returns 1, or 0. */
int req_init(struct req *r, const struct area *a, bool cgi);
void req_free(struct req *r);

/* Starts a request whose transport is open: resets everything the previous
 * one left, reads the clock, numbers it. */
void req_begin(struct req *r);

/* Finds the endpoint, answers a CORS preflight, checks the method, reads and
 * parses the body and validates the route's fields. Returns true when the
 * request goes on; false when its answer is known (r->st) or written
 * (r->answered). */
bool req_read(struct req *r);

/* For routes with slow work before their transaction (scrypt): checks the
 * credential first, so a stranger costs nothing; computes the idRequete
 * fingerprint; runs the route's prepare step. Same return as req_read. */
bool req_prepare(struct req *r);

/* Runs the request in its transaction (a savepoint of the group's, under
 * db_group_begin) and sets r->st. A streamed list is written from inside
 * its read transaction (r->answered). */
void req_run(struct req *r);

/* The request's writes were lost with the group's commit: its answer becomes
 * erreur_bdd, whatever it was. */
void req_fail(struct req *r, enum status st);

/* Writes the answer (unless already written) and ends the request. */
void req_end(struct req *r);

#endif
