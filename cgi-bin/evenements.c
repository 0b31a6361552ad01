/*
 * Area "evenements": the live feed (doc/feed.md). Tickets for browsers, whose
 * EventSource cannot send a header, and the stream itself, which lib/feed.c
 * serves: every subscriber of a stack in one process.
 */
#include "config.h"
#include "db_feed.h"
#include "db_price.h"
#include "feed.h"
#include "server.h"
#include "token.h"

#define TICKET_TTL_MS 30000

/* A single-use ticket, valid 30 s, standing for the caller's credential (a
 * stream opened with it follows the credential's right, and ends with it),
 * and the journal's newest id: a client that has seen no event yet resumes
 * from there (depuis=) when its stream breaks, so that what happened while
 * it came back is not lost. With them, the price list as of that id: a
 * screen whose key may follow the feed only (flux) shows it, and fetches it
 * again with a ticket when a prix event says it changed. Statuses:
 * erreur_bdd, erreur_generique. */
static enum status
h_ticket(struct req *r, json_object *out)
{
	char ticket[TOKEN_MAX];
	unsigned char hash[SHA256_LEN];
	int64_t newest = feed_newest();

	if (newest < 0 || !price_list_reply(out))
		return ST_ERREUR_BDD;

	if (!token_make(TOK_TICKET, ticket))
		return ST_ERREUR_GENERIQUE;
	token_hash(ticket, hash);
	if (!ticket_insert(hash, r->who.kind, r->who.token_id, r->now, r->now + TICKET_TTL_MS))
		return ST_ERREUR_BDD;
	reply_str(out, K_TICKET, ticket);
	reply_int(out, K_EXPIRATION, r->now + TICKET_TTL_MS);
	reply_int(out, K_DEPUIS, newest);
	wipe(ticket, sizeof ticket);
	return ST_OK;
}

static const struct route routes[] = {
	{ .path = "evenements/ticket", .handler = h_ticket, .right = RIGHT_BAR,
	  .scope = SCOPE_LECTURE | SCOPE_FLUX, .flags = R_WRITE },
	/* The stream checks its credential itself (a ticket, or the header):
	 * R_PUBLIC only means the usual check is not the one. */
	{ .path = "evenements", .handler = feed_stream, .flags = R_PUBLIC | R_GET | R_STREAM,
	  .takes = FB(FLD_TICKET) | FB(FLD_CLIENT) | FB(FLD_TYPES) | FB(FLD_DEPUIS) },
};

static const struct area area = {
	.name = "evenements", .routes = routes, .n = sizeof routes / sizeof routes[0],
	.serve = feed_serve,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
