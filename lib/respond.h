/*
 * Writing a request's answer: the HTTP status and headers (HTTP semantics for
 * credentials sent in the Authorization header), the JSON reply with its
 * streamed list, a stored answer replayed for a repeated idRequete, or the raw
 * page of an R_RAW route.
 */
#ifndef TENP5_RESPOND_H
#define TENP5_RESPOND_H

#include "request.h"

/* Writes the answer for r->st. A list that fails half-way (a storage error)
 * is cut with io_abort, never completed. */
void respond(struct req *r);

/* Answers a CORS preflight (OPTIONS): browsers ask before sending an
 * Authorization header or a JSON body. */
void respond_preflight(struct req *r);

#endif
