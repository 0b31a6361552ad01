/*
 * The HTML of the OAuth authorization flow: the login and consent page, the
 * error page, and the headers of every page and redirect (oauth_page.h says
 * what holds). The pages are in French, for the staff who approve an app.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "oauth_page.h"
#include "text.h"

/* What each scope lets an app do, as the consent page says it. */
static const char *const scope_texts[SCOPE_COUNT] = {
	"voir votre identifiant et vos droits",                        /* compte */
	"consulter les comptes, les historiques et les statistiques",  /* lecture */
	"ouvrir des comptes, recharger, encaisser, vider et annuler",  /* caisse */
	"tout faire en votre nom, y compris administrer",              /* admin */
	"suivre en direct les opérations du bar et ses tarifs",        /* flux */
};

static const char csrf_cookie[] = "10p5_csrf";

void
oauth_page_headers(struct req *r)
{
	req_header(r, "X-Frame-Options: DENY");
	req_header(r, "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	req_header(r, "Cache-Control: no-store");
	req_header(r, "Referrer-Policy: no-referrer");
}

static void
page_start(struct text *t, const char *title)
{
	text_puts(t, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	text_html(t, title);
	text_puts(t, "</title><style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;"
	    "padding:0 1rem;color:#222}label{display:block;margin:.8rem 0}input{width:100%;"
	    "padding:.4rem;box-sizing:border-box}button{padding:.5rem 1.2rem;margin:.8rem .5rem 0 0}"
	    ".erreur{color:#a00;font-weight:bold}.petit{font-size:.85rem;color:#555}</style>"
	    "</head><body><main><h1>");
	text_html(t, title);
	text_puts(t, "</h1>");
}

static void
page_send(struct req *r, int http, struct text *t)
{
	size_t len;
	char *body;

	text_puts(t, "</main></body></html>\n");
	body = text_take(t, &len);
	req_raw(r, http, "text/html; charset=utf-8", body, len);
	oauth_page_headers(r);
}

enum status
oauth_page_error(struct req *r, int http, const char *message)
{
	struct text t = { 0 };

	assert(message);
	page_start(&t, "Autorisation impossible");
	text_puts(&t, "<p class=\"erreur\">");
	text_html(&t, message);
	text_puts(&t, "</p><p>Revenez à l'application et recommencez, ou prévenez ses auteurs.</p>");
	page_send(r, http, &t);
	return ST_OK;
}

static void
hidden(struct text *t, const char *name, const char *value)
{
	if (!value)
		return;
	text_puts(t, "<input type=\"hidden\" name=\"");
	text_puts(t, name);
	text_puts(t, "\" value=\"");
	text_html(t, value);
	text_puts(t, "\">");
}

enum status
oauth_page_consent(struct req *r, const struct oauth_consent *c, const char *message)
{
	char csrf[SESSION_TOKEN_LEN + 1], base[256], action[300];
	struct text t = { 0 };

	assert(c->app_name && c->redirect_uri);
	if (!rand_token(csrf, SESSION_TOKEN_LEN))
		return ST_ERREUR_GENERIQUE;
	snprintf(action, sizeof action, "%s/oauth/authorize", req_base(r, base, sizeof base));
	page_start(&t, "Autoriser une application");
	text_puts(&t, "<p>L'application <strong>");
	text_html(&t, c->app_name);
	text_puts(&t, "</strong> demande l'accès à votre compte 10p5 pour :</p><ul>");
	for (int i = 0; i < SCOPE_COUNT; i++) {
		if (!(c->scopes & (1u << i)))
			continue;
		text_puts(&t, "<li><strong>");
		text_puts(&t, scope_words[i]);
		text_puts(&t, "</strong> : ");
		text_html(&t, scope_texts[i]);
		text_puts(&t, "</li>");
	}
	text_puts(&t, "</ul>");
	if (message) {
		text_puts(&t, "<p class=\"erreur\">");
		text_html(&t, message);
		text_puts(&t, "</p>");
	}
	text_puts(&t, "<form method=\"post\" action=\"");
	text_html(&t, action);
	text_puts(&t, "\">");
	hidden(&t, field_defs[FLD_CLIENT_ID].wire, c->client_id);
	hidden(&t, field_defs[FLD_REDIRECT_URI].wire, c->redirect_uri);
	hidden(&t, field_defs[FLD_RESPONSE_TYPE].wire, c->response_type);
	hidden(&t, field_defs[FLD_SCOPE].wire, c->scope);
	hidden(&t, field_defs[FLD_STATE].wire, c->state);
	hidden(&t, field_defs[FLD_CODE_CHALLENGE].wire, c->challenge);
	hidden(&t, field_defs[FLD_CODE_CHALLENGE_METHOD].wire, c->challenge_method);
	hidden(&t, field_defs[FLD_CSRF].wire, csrf);
	text_puts(&t, "<label>Identifiant <input name=\"login\" autocomplete=\"username\" required>"
	    "</label><label>Mot de passe <input type=\"password\" name=\"mdp\" "
	    "autocomplete=\"current-password\" required></label>"
	    "<button name=\"decision\" value=\"autoriser\">Autoriser</button>"
	    "<button name=\"decision\" value=\"refuser\" formnovalidate>Refuser</button>"
	    "</form><p class=\"petit\">Vous serez ensuite renvoyé vers ");
	text_html(&t, c->redirect_uri);
	text_puts(&t, "</p>");
	page_send(r, 200, &t);
	req_header(r, "Set-Cookie: %s=%s; Path=%s; HttpOnly; SameSite=Strict%s", csrf_cookie, csrf,
	    action, strcmp(req_env(r, "HTTPS"), "on") == 0 ? "; Secure" : "");
	wipe(csrf, sizeof csrf);
	return ST_OK;
}

bool
oauth_page_csrf_ok(const struct req *r)
{
	const char *v;
	size_t len;

	return r->v[FLD_CSRF].set &&
	    cookie_find(req_env(r, "HTTP_COOKIE"), csrf_cookie, &v, &len) &&
	    len == strlen(r->v[FLD_CSRF].s) && ct_equal(v, r->v[FLD_CSRF].s, len);
}
