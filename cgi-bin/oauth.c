/*
 * Area "oauth": the OAuth 2.0 provider (RFC 6749 with PKCE, RFC 7636). The
 * authorization page where a staff member logs in and approves an app's scopes,
 * the token endpoint (authorization_code and refresh_token grants, with
 * single-use codes and rotating refresh tokens), revocation (RFC 7009) and the
 * server's metadata (RFC 8414). These answer in OAuth's terms, not the API's:
 * HTML pages, redirects and RFC 6749 error objects.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "crypto.h"
#include "db_app.h"
#include "db_oauth.h"
#include "db_user.h"
#include "login.h"
#include "oauth_page.h"
#include "server.h"
#include "text.h"
#include "token.h"

/* RFC 6749 section 4.1.2.1 and 5.2, RFC 7009 section 2.2.1. */
enum oauth_error {
	OE_INVALID_REQUEST,
	OE_INVALID_CLIENT,
	OE_INVALID_GRANT,
	OE_UNAUTHORIZED_CLIENT,
	OE_UNSUPPORTED_GRANT_TYPE,
	OE_INVALID_SCOPE,
	OE_ACCESS_DENIED,
	OE_UNSUPPORTED_RESPONSE_TYPE,
	OE__MAX
};

static const char *const oauth_error_words[OE__MAX] = {
	[OE_INVALID_REQUEST]           = "invalid_request",
	[OE_INVALID_CLIENT]            = "invalid_client",
	[OE_INVALID_GRANT]             = "invalid_grant",
	[OE_UNAUTHORIZED_CLIENT]       = "unauthorized_client",
	[OE_UNSUPPORTED_GRANT_TYPE]    = "unsupported_grant_type",
	[OE_INVALID_SCOPE]             = "invalid_scope",
	[OE_ACCESS_DENIED]             = "access_denied",
	[OE_UNSUPPORTED_RESPONSE_TYPE] = "unsupported_response_type",
};

/* The authorization request being handled, from prepare to handler (r->ctx). */
struct authz {
	struct app app;
	unsigned scopes;
	const char *redirect_uri, *state, *challenge;
	bool issue;          /* approved by a logged-in user: the handler issues a code */
	struct login login;
};

static struct authz *
authz(struct req *r)
{
	return r->ctx;
}

static const uint64_t authorize_fields = FB(FLD_CLIENT_ID) | FB(FLD_REDIRECT_URI) |
    FB(FLD_RESPONSE_TYPE) | FB(FLD_SCOPE) | FB(FLD_STATE) | FB(FLD_CODE_CHALLENGE) |
    FB(FLD_CODE_CHALLENGE_METHOD) | FB(FLD_LOGIN) | FB(FLD_MDP) | FB(FLD_DECISION) | FB(FLD_CSRF);

/* The login and consent page for the request being handled; message: an
 * error to show, or NULL. */
static enum status
consent_page(struct req *r, const char *message)
{
	const struct authz *az = authz(r);
	const struct oauth_consent c = {
		.app_name = az->app.name, .scopes = az->scopes,
		.client_id = az->app.client_id, .redirect_uri = az->redirect_uri,
		.response_type = r->v[FLD_RESPONSE_TYPE].s, .scope = r->v[FLD_SCOPE].s,
		.state = az->state, .challenge = az->challenge,
		.challenge_method = r->v[FLD_CODE_CHALLENGE_METHOD].s,
	};

	return oauth_page_consent(r, &c, message);
}

/* Sends the user back to the app with query parameters: pairs of name and
 * value, ending with NULL; state is echoed when the app sent one. */
static enum status
redirect(struct req *r, const char *first, ...)
{
	const struct authz *az = authz(r);
	struct text t = { 0 };
	const char *name = first;
	va_list ap;
	char *loc;
	size_t len;

	text_puts(&t, az->redirect_uri);
	text_puts(&t, strchr(az->redirect_uri, '?') ? "&" : "?");
	va_start(ap, first);
	while (name) {
		const char *value = va_arg(ap, const char *);

		text_puts(&t, name);
		text_puts(&t, "=");
		text_url(&t, value);
		name = va_arg(ap, const char *);
		if (name)
			text_puts(&t, "&");
	}
	va_end(ap);
	if (az->state) {
		text_puts(&t, "&state=");
		text_url(&t, az->state);
	}
	if (!(loc = text_take(&t, &len)))
		return ST_ERREUR_GENERIQUE;
	req_raw(r, 302, "text/plain; charset=utf-8", NULL, 0);
	if (!req_header(r, "Location: %s", loc)) {
		free(loc);
		return oauth_page_error(r, 400, "L'adresse de retour est trop longue.");
	}
	free(loc);
	oauth_page_headers(r);
	return ST_OK;
}

static enum status
redirect_error(struct req *r, enum oauth_error e, const char *description)
{
	return redirect(r, "error", oauth_error_words[e], "error_description", description,
	    (const char *)NULL);
}

/* GET shows the page; POST logs in and decides. Client and redirect_uri are
 * checked before anything else, and any problem with them is a page, never a
 * redirect. Everything heavy (scrypt) happens here, before the transaction. */
/* One parameter of the authorization request, on its own: 1 and *out set when
 * it is given exactly once and well formed, else 0. */
static int
single(const struct req *r, enum fld f, const char **out)
{
	const struct param *pm = params_get(&r->params, field_defs[f].wire);
	int64_t ignored;

	*out = NULL;
	if (!pm || params_count(&r->params, field_defs[f].wire) != 1 ||
	    !field_parse(field_defs[f].type, pm->value, &ignored))
		return 0;
	*out = pm->value;
	return 1;
}

static enum status
p_authorize(struct req *r, json_object *out)
{
	struct authz *az = authz(r);
	const char *champ = NULL, *client_id, *redirect_uri, *type, *method;
	enum status st;
	int64_t wait = 0;
	char msg[128];
	int found;

	(void)out;
	if (!single(r, FLD_CLIENT_ID, &client_id))
		return oauth_page_error(r, 400, "Cette application est inconnue.");
	if ((found = app_by_client_id(client_id, &az->app)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : oauth_page_error(r, 400, "Cette application est inconnue.");
	if (!single(r, FLD_REDIRECT_URI, &redirect_uri))
		return oauth_page_error(r, 400, "L'adresse de retour (redirect_uri) manque ou est invalide.");
	if ((found = app_redirect_ok(az->app.id, redirect_uri)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : oauth_page_error(r, 400,
		    "Cette adresse de retour n'est pas enregistrée pour cette application.");
	/* From here on, the app hears about problems through its redirect_uri. */
	az->redirect_uri = redirect_uri;
	(void)single(r, FLD_STATE, &az->state);
	st = field_validate(&r->params, authorize_fields & ~(FB(FLD_LOGIN) | FB(FLD_MDP)), 0,
	    r->v, &champ);
	if (st != ST_OK) {
		snprintf(msg, sizeof msg, "parameter %s is malformed or repeated", champ ? champ : "?");
		return redirect_error(r, OE_INVALID_REQUEST, msg);
	}
	if (!r->v[FLD_RESPONSE_TYPE].set)
		return redirect_error(r, OE_INVALID_REQUEST, "response_type is required");
	type = r->v[FLD_RESPONSE_TYPE].s;
	if (strcmp(type, "code") != 0)
		return redirect_error(r, OE_UNSUPPORTED_RESPONSE_TYPE, "only response_type=code");
	method = r->v[FLD_CODE_CHALLENGE_METHOD].set ? r->v[FLD_CODE_CHALLENGE_METHOD].s : "";
	if (!r->v[FLD_CODE_CHALLENGE].set || strcmp(method, "S256") != 0)
		return redirect_error(r, OE_INVALID_REQUEST, "PKCE with code_challenge_method=S256 is required");
	az->challenge = r->v[FLD_CODE_CHALLENGE].s;
	if (!scope_parse_oauth(r->v[FLD_SCOPE].set ? r->v[FLD_SCOPE].s : "", &az->scopes))
		return redirect_error(r, OE_INVALID_SCOPE, "scopes are compte, lecture, caisse, admin, flux");
	if (!az->scopes)
		az->scopes = SCOPE_COMPTE;
	if (strcmp(r->method, "GET") == 0)
		return consent_page(r, NULL);
	if (!oauth_page_csrf_ok(r))
		return oauth_page_error(r, 403, "Ce formulaire a expiré ou ne vient pas de 10p5. "
		    "Rechargez la page d'autorisation.");
	if (r->v[FLD_DECISION].set && strcmp(r->v[FLD_DECISION].s, "refuser") == 0)
		return redirect_error(r, OE_ACCESS_DENIED, "the user refused");
	if (!r->v[FLD_DECISION].set || strcmp(r->v[FLD_DECISION].s, "autoriser") != 0)
		return consent_page(r, "Choisissez « Autoriser » ou « Refuser ».");
	/* A login or password of the wrong shape is a wrong login or password. */
	if (field_validate(&r->params, FB(FLD_LOGIN) | FB(FLD_MDP), 0, r->v, &champ) != ST_OK)
		return consent_page(r, "Identifiant ou mot de passe incorrect.");
	if (!r->v[FLD_LOGIN].set || !r->v[FLD_MDP].set)
		return consent_page(r, "Indiquez votre identifiant et votre mot de passe.");
	st = login_check(r->remote_addr, req_env(r, "HTTP_COOKIE"), r->v[FLD_LOGIN].s,
	    r->v[FLD_MDP].s, NULL, r->now, &az->login, &wait);
	if (st == ST_TROP_DE_TENTATIVES) {
		snprintf(msg, sizeof msg, "Trop de tentatives : réessayez dans %lld s.", (long long)wait);
		return consent_page(r, msg);
	}
	if (st != ST_OK)
		return st;
	if (az->login.verdict != ST_OK)
		return consent_page(r, "Identifiant ou mot de passe incorrect.");
	az->issue = true;
	return ST_OK;
}

/* Issues the single-use code of an approved request and sends the user back
 * with it, once the login is confirmed (the password checked is still the
 * user's: else the page says it is wrong). Statuses: erreur_bdd,
 * erreur_generique. */
static enum status
h_authorize(struct req *r, json_object *out)
{
	struct authz *az = authz(r);
	struct oauth_code c = { .app_id = az->app.id, .scopes = az->scopes };
	char code[TOKEN_MAX], cookie[LOGIN_COOKIE_MAX];
	unsigned char hash[SHA256_LEN];
	enum status st;

	(void)out;
	if (!az->issue)
		return ST_OK; /* the page, the error page or the redirect is ready */
	if ((st = login_confirm(&az->login, r->now)) != ST_OK)
		return st == ST_IDENTIFIANTS_INVALIDES ?
		    consent_page(r, "Identifiant ou mot de passe incorrect.") : st;
	c.user_id = az->login.user.id;
	c.expires_ms = r->now + cfg.code_ttl_ms;
	snprintf(c.redirect_uri, sizeof c.redirect_uri, "%s", az->redirect_uri);
	snprintf(c.challenge, sizeof c.challenge, "%s", az->challenge);
	if (!token_make(TOK_CODE, code))
		return ST_ERREUR_GENERIQUE;
	token_hash(code, hash);
	if (!login_cookie(&az->login, cookie) || !oauth_code_insert(hash, &c, r->now))
		return ST_ERREUR_BDD;
	st = redirect(r, "code", code, (const char *)NULL);
	req_device_cookie(r, LOGIN_COOKIE, cookie);
	wipe(code, sizeof code);
	return st;
}

/* An RFC 6749 section 5.2 error from the token or revocation endpoint. */
static enum status
token_error(struct req *r, enum oauth_error e, const char *description)
{
	json_object *o = json_object_new_object();
	char *body;

	reply_str(o, K_ERROR, oauth_error_words[e]);
	reply_str(o, K_ERROR_DESCRIPTION, description);
	body = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	req_raw(r, e == OE_INVALID_CLIENT ? 401 : 400, "application/json; charset=utf-8", body,
	    body ? strlen(body) : 0);
	req_header(r, "Cache-Control: no-store");
	req_header(r, "Pragma: no-cache");
	if (e == OE_INVALID_CLIENT)
		req_header(r, "WWW-Authenticate: Basic realm=\"10p5\"");
	return body ? ST_OK : ST_ERREUR_GENERIQUE;
}

static enum status
json_reply(struct req *r, json_object *o)
{
	char *body = strdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	if (!body)
		return ST_ERREUR_GENERIQUE;
	req_raw(r, 200, "application/json; charset=utf-8", body, strlen(body));
	req_header(r, "Cache-Control: no-store");
	req_header(r, "Pragma: no-cache");
	return ST_OK;
}

/* Authenticates the calling app: HTTP Basic (client_secret_basic) or
 * client_id and client_secret in the body (client_secret_post), not both.
 * Returns 1 with *a set, or 0 after setting the error reply. */
static int
client_auth(struct req *r, struct app *a)
{
	const char *id = r->v[FLD_CLIENT_ID].set ? r->v[FLD_CLIENT_ID].s : NULL;
	const char *secret = r->v[FLD_CLIENT_SECRET].set ? r->v[FLD_CLIENT_SECRET].s : NULL;
	const char *cred, *fault = NULL;
	char basic[256], *bid, *bsecret;
	unsigned char hash[SHA256_LEN];
	enum oauth_error e = OE_INVALID_CLIENT;
	int found;

	if (authorization_parse(r->authorization, &cred) == AUTH_BASIC) {
		if (!basic_parse(cred, basic, sizeof basic, &bid, &bsecret))
			fault = "malformed HTTP Basic credentials";
		else if (secret) {
			e = OE_INVALID_REQUEST;
			fault = "use one client authentication method";
		} else if (id && strcmp(id, bid) != 0)
			fault = "client authentication failed";
		id = bid;
		secret = bsecret;
	}
	if (!fault && (!id || !secret))
		fault = "client authentication is required";
	if (!fault) {
		found = app_by_client_id(id, a);
		token_hash(secret, hash);
		if (found <= 0 || !ct_equal(hash, a->secret_hash, SHA256_LEN))
			fault = "client authentication failed";
	}
	wipe(basic, sizeof basic);
	if (fault)
		token_error(r, e, fault);
	return fault == NULL;
}

/* Issues an access token and a refresh token of family `family` and writes
 * the token response (RFC 6749 section 5.1). */
static enum status
issue(struct req *r, const struct app *a, const struct user *u, unsigned scopes, int64_t family)
{
	struct oauth_token at = { .kind = OAUTH_ACCESS, .app_id = a->id, .user_id = u->id,
	    .family = family, .scopes = scopes, .expires_ms = r->now + cfg.access_ttl_ms };
	struct oauth_token rt = at;
	char access[TOKEN_MAX], refresh[TOKEN_MAX], words[64];
	unsigned char ha[SHA256_LEN], hr[SHA256_LEN];
	json_object *o, *user;
	int64_t id;

	rt.kind = OAUTH_REFRESH;
	rt.expires_ms = r->now + cfg.refresh_ttl_ms;
	if (!token_make(TOK_ACCESS, access) || !token_make(TOK_REFRESH, refresh))
		return ST_ERREUR_GENERIQUE;
	token_hash(access, ha);
	token_hash(refresh, hr);
	if (!oauth_token_insert(ha, &at, r->now, &id) || !oauth_token_insert(hr, &rt, r->now, &id))
		return ST_ERREUR_BDD;
	scope_format(scopes, words, sizeof words);
	o = json_object_new_object();
	reply_str(o, K_ACCESS_TOKEN, access);
	reply_str(o, K_TOKEN_TYPE, "Bearer");
	reply_int(o, K_EXPIRES_IN, cfg.access_ttl_ms / 1000);
	reply_str(o, K_REFRESH_TOKEN, refresh);
	reply_str(o, K_SCOPE, words);
	user = json_object_new_object();
	reply_str(user, K_LOGIN, u->login);
	reply_int(user, K_DROIT, u->droit);
	json_object_object_add_ex(o, key_names[K_USER], user, JSON_C_OBJECT_ADD_CONSTANT_KEY);
	wipe(access, sizeof access);
	wipe(refresh, sizeof refresh);
	return json_reply(r, o);
}

static enum status
grant_code(struct req *r, const struct app *a)
{
	struct oauth_code c;
	struct user u;
	unsigned char hash[SHA256_LEN], digest[SHA256_LEN];
	char challenge[64];
	int found;

	if (!r->v[FLD_CODE].set || !r->v[FLD_REDIRECT_URI].set || !r->v[FLD_CODE_VERIFIER].set)
		return token_error(r, OE_INVALID_REQUEST, "code, redirect_uri and code_verifier are required");
	if (token_kind(r->v[FLD_CODE].s) != TOK_CODE)
		return token_error(r, OE_INVALID_GRANT, "unknown code");
	token_hash(r->v[FLD_CODE].s, hash);
	if ((found = oauth_code_get(hash, &c)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : token_error(r, OE_INVALID_GRANT, "unknown code");
	if (c.app_id != a->id)
		return token_error(r, OE_INVALID_GRANT, "this code was issued to another client");
	if (c.used_ms) {
		/* A replayed code: whoever holds it, every token it gave is revoked. */
		if (!oauth_family_revoke(c.id, r->now))
			return ST_ERREUR_BDD;
		return token_error(r, OE_INVALID_GRANT, "code already used: its tokens are revoked");
	}
	if (!oauth_code_use(c.id, r->now))
		return ST_ERREUR_BDD;
	if (r->now >= c.expires_ms)
		return token_error(r, OE_INVALID_GRANT, "code expired");
	if (strcmp(c.redirect_uri, r->v[FLD_REDIRECT_URI].s) != 0)
		return token_error(r, OE_INVALID_GRANT, "redirect_uri differs from the authorization request");
	sha256(r->v[FLD_CODE_VERIFIER].s, strlen(r->v[FLD_CODE_VERIFIER].s), digest);
	base64url(digest, sizeof digest, challenge);
	if (strlen(c.challenge) != strlen(challenge) || !ct_equal(challenge, c.challenge, strlen(challenge)))
		return token_error(r, OE_INVALID_GRANT, "code_verifier does not match the code_challenge");
	if ((found = user_by_id(c.user_id, &u)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : token_error(r, OE_INVALID_GRANT, "user gone");
	return issue(r, a, &u, c.scopes, c.id);
}

static enum status
grant_refresh(struct req *r, const struct app *a)
{
	struct oauth_token t;
	struct user u;
	unsigned char hash[SHA256_LEN];
	unsigned scopes;
	int found;

	if (!r->v[FLD_REFRESH_TOKEN].set)
		return token_error(r, OE_INVALID_REQUEST, "refresh_token is required");
	if (token_kind(r->v[FLD_REFRESH_TOKEN].s) != TOK_REFRESH)
		return token_error(r, OE_INVALID_GRANT, "unknown refresh token");
	token_hash(r->v[FLD_REFRESH_TOKEN].s, hash);
	if ((found = oauth_token_get(hash, &t)) <= 0 || t.kind != OAUTH_REFRESH)
		return found < 0 ? ST_ERREUR_BDD : token_error(r, OE_INVALID_GRANT, "unknown refresh token");
	if (t.app_id != a->id)
		return token_error(r, OE_INVALID_GRANT, "this token was issued to another client");
	if (t.revoked_ms)
		return token_error(r, OE_INVALID_GRANT, "refresh token revoked");
	if (t.used_ms) {
		/* Rotation makes each refresh token single-use: a second use means it
		 * leaked, so the whole family goes. */
		if (!oauth_family_revoke(t.family, r->now))
			return ST_ERREUR_BDD;
		return token_error(r, OE_INVALID_GRANT, "refresh token already used: its family is revoked");
	}
	if (r->now >= t.expires_ms)
		return token_error(r, OE_INVALID_GRANT, "refresh token expired");
	scopes = t.scopes;
	if (r->v[FLD_SCOPE].set) {
		if (!scope_parse_oauth(r->v[FLD_SCOPE].s, &scopes) || (scopes & ~t.scopes))
			return token_error(r, OE_INVALID_SCOPE, "a refresh may only narrow the scope");
		if (!scopes)
			scopes = t.scopes;
	}
	if ((found = user_by_id(t.user_id, &u)) <= 0)
		return found < 0 ? ST_ERREUR_BDD : token_error(r, OE_INVALID_GRANT, "user gone");
	if (!oauth_token_use(t.id, r->now))
		return ST_ERREUR_BDD;
	return issue(r, a, &u, scopes, t.family);
}

/* POST /oauth/token. Runs in one BEGIN IMMEDIATE transaction, so two
 * concurrent exchanges of one code or refresh token cannot both succeed.
 * Statuses: erreur_bdd, erreur_generique (everything else is an RFC reply). */
static enum status
h_token(struct req *r, json_object *out)
{
	const char *champ = NULL, *grant;
	struct app a;

	(void)out;
	if (field_validate(&r->params, FB(FLD_GRANT_TYPE) | FB(FLD_CODE) | FB(FLD_REDIRECT_URI) |
	    FB(FLD_CODE_VERIFIER) | FB(FLD_REFRESH_TOKEN) | FB(FLD_CLIENT_ID) |
	    FB(FLD_CLIENT_SECRET) | FB(FLD_SCOPE), 0, r->v, &champ) != ST_OK ||
	    params_count(&r->params, field_defs[FLD_REDIRECT_URI].wire) > 1)
		return token_error(r, OE_INVALID_REQUEST, "a parameter is malformed or repeated");
	if (!client_auth(r, &a))
		return ST_OK;
	grant = r->v[FLD_GRANT_TYPE].set ? r->v[FLD_GRANT_TYPE].s : NULL;
	if (!grant)
		return token_error(r, OE_INVALID_REQUEST, "grant_type is required");
	if (strcmp(grant, "authorization_code") == 0)
		return grant_code(r, &a);
	if (strcmp(grant, "refresh_token") == 0)
		return grant_refresh(r, &a);
	return token_error(r, OE_UNSUPPORTED_GRANT_TYPE, "authorization_code or refresh_token");
}

/* POST /oauth/revoke (RFC 7009): revokes an access token, or a refresh token
 * with its whole family. Unknown tokens are answered 200 like known ones.
 * Statuses: erreur_bdd, erreur_generique. */
static enum status
h_revoke(struct req *r, json_object *out)
{
	const char *champ = NULL;
	struct oauth_token t;
	unsigned char hash[SHA256_LEN];
	struct app a;
	enum token_kind kind;
	int found;

	(void)out;
	if (field_validate(&r->params, FB(FLD_TOKEN) | FB(FLD_TOKEN_TYPE_HINT) | FB(FLD_CLIENT_ID) |
	    FB(FLD_CLIENT_SECRET), 0, r->v, &champ) != ST_OK)
		return token_error(r, OE_INVALID_REQUEST, "a parameter is malformed or repeated");
	if (!client_auth(r, &a))
		return ST_OK;
	if (!r->v[FLD_TOKEN].set)
		return token_error(r, OE_INVALID_REQUEST, "token is required");
	kind = token_kind(r->v[FLD_TOKEN].s);
	if (kind == TOK_ACCESS || kind == TOK_REFRESH) {
		token_hash(r->v[FLD_TOKEN].s, hash);
		if ((found = oauth_token_get(hash, &t)) < 0)
			return ST_ERREUR_BDD;
		if (found && t.app_id != a.id)
			return token_error(r, OE_UNAUTHORIZED_CLIENT, "this token was issued to another client");
		if (found && !(t.kind == OAUTH_REFRESH ? oauth_family_revoke(t.family, r->now)
		    : oauth_token_revoke(t.id, r->now)))
			return ST_ERREUR_BDD;
	}
	return json_reply(r, json_object_new_object());
}

/* The issuer: TENP5_ISSUER, or this request's scheme and host and the path
 * the site is mounted under. */
static void
issuer(const struct req *r, char *out, size_t cap)
{
	char base[256];

	if (cfg.issuer)
		snprintf(out, cap, "%s", cfg.issuer);
	else
		snprintf(out, cap, "%s://%s%s", strcmp(req_env(r, "HTTPS"), "on") == 0 ? "https" :
		    "http", *req_env(r, "HTTP_HOST") ? req_env(r, "HTTP_HOST") : "localhost",
		    req_base(r, base, sizeof base));
}

static json_object *
strings(const char *const *v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static void
add(json_object *o, enum key k, json_object *v)
{
	json_object_object_add_ex(o, key_names[k], v, JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

/* GET /.well-known/oauth-authorization-server (RFC 8414). */
static enum status
h_metadata(struct req *r, json_object *out)
{
	static const char *const code[] = { "code" };
	static const char *const grants[] = { "authorization_code", "refresh_token" };
	static const char *const s256[] = { "S256" };
	static const char *const auth[] = { "client_secret_basic", "client_secret_post" };
	char iss[512], url[600];
	json_object *o = json_object_new_object();

	(void)out;
	issuer(r, iss, sizeof iss);
	reply_str(o, K_ISSUER, iss);
	snprintf(url, sizeof url, "%s/oauth/authorize", iss);
	reply_str(o, K_AUTHORIZATION_ENDPOINT, url);
	snprintf(url, sizeof url, "%s/oauth/token", iss);
	reply_str(o, K_TOKEN_ENDPOINT, url);
	snprintf(url, sizeof url, "%s/oauth/revoke", iss);
	reply_str(o, K_REVOCATION_ENDPOINT, url);
	add(o, K_RESPONSE_TYPES_SUPPORTED, strings(code, 1));
	add(o, K_GRANT_TYPES_SUPPORTED, strings(grants, 2));
	add(o, K_CODE_CHALLENGE_METHODS_SUPPORTED, strings(s256, 1));
	add(o, K_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED, strings(auth, 2));
	add(o, K_REVOCATION_ENDPOINT_AUTH_METHODS_SUPPORTED, strings(auth, 2));
	add(o, K_SCOPES_SUPPORTED, strings(scope_words, SCOPE_COUNT));
	return json_reply(r, o);
}

static const struct route routes[] = {
	{ .path = "/oauth/authorize", .handler = h_authorize, .prepare = p_authorize,
	  .flags = R_RAW | R_PUBLIC | R_GET | R_WRITE },
	{ .path = "/oauth/token", .handler = h_token, .flags = R_RAW | R_PUBLIC | R_WRITE },
	{ .path = "/oauth/revoke", .handler = h_revoke, .flags = R_RAW | R_PUBLIC | R_WRITE },
	{ .path = "/.well-known/oauth-authorization-server", .handler = h_metadata,
	  .flags = R_RAW | R_PUBLIC | R_GET },
};

static const struct area area = {
	.name = "oauth", .routes = routes, .n = sizeof routes / sizeof routes[0],
	.ctx_size = sizeof(struct authz),
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &area);
}
