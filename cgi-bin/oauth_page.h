/*
 * The HTML of the OAuth authorization flow (cgi-bin/oauth_page.c): the login
 * and consent page with its CSRF token, the page for a request that cannot go
 * back to its app, and the headers every page and redirect of the flow
 * carries. The grants, the codes and the tokens are oauth.c's; this file
 * only writes pages, and reads nothing but the CSRF cookie and field.
 *
 * Invariants: every value from the request or the database is written
 * through text_html (escaped); a page is written once, whole, with its
 * headers; the CSRF token sent in the cookie is the one in the form.
 */
#ifndef TENP5_OAUTH_PAGE_H
#define TENP5_OAUTH_PAGE_H

#include <stdbool.h>

#include "server.h"

/* What the consent page shows and echoes back in its form. The strings are
 * the caller's; a NULL one leaves its hidden field out. */
struct oauth_consent {
	const char *app_name;
	unsigned scopes;              /* the SCOPE_* bits asked for */
	const char *client_id, *redirect_uri, *response_type, *scope, *state;
	const char *challenge, *challenge_method;
};

/* Adds the headers of every page and redirect of the flow: no framing, no
 * caching, nothing loaded from elsewhere, no referrer. */
void oauth_page_headers(struct req *r);

/* Answers the page for a request that cannot be sent back to its app (an
 * unknown client, an unregistered redirect_uri, a forged form), with HTTP
 * status http and message. Never a redirect. Returns ST_OK. */
enum status oauth_page_error(struct req *r, int http, const char *message);

/* Answers the login and consent page for c, with a fresh CSRF token in a
 * cookie and in the form (the POST must bring both, equal); message: an
 * error to show, or NULL. The form posts to, and the cookie is scoped to, the
 * fixed path of this page under the site's base: never to anything copied
 * from the request line. Returns ST_OK, or ST_ERREUR_GENERIQUE when no token
 * could be drawn. */
enum status oauth_page_consent(struct req *r, const struct oauth_consent *c, const char *message);

/* Whether the consent form's CSRF field matches the cookie set with its
 * page (compared in constant time). */
bool oauth_page_csrf_ok(const struct req *r);

#endif
