#!/usr/bin/env bash
# The OAuth flow that works (doc/api.md#oauth): the authorization page (login
# and consent, CSRF double-submit cookie, anti-framing headers), the code
# exchanged with PKCE S256, the tokens on the API, refresh rotation, scope
# narrowing, a lecture token's limits, and revocation (RFC 7009).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oauth_lib.sh"

is "$(pkce dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk)" E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM \
	"the test's PKCE helper gives RFC 7636 appendix B's challenge"

oauth_stack
oauth_apps

# --- the happy path ---------------------------------------------------------------

VA=$(verifier)
STATE=af0ifjsldkj-Q_9.~
az_page "$(azq "$CA" "$RA" "lecture caisse" "$STATE" "$(pkce "$VA")")"
is "$CODE" 200 "authorize: GET shows the page (200)"
like "$(hdr Content-Type)" "$HTML" "authorize: the page is HTML"
is "$(hdr X-Frame-Options)" DENY "authorize: X-Frame-Options: DENY"
like "$(hdr Content-Security-Policy)" "frame-ancestors 'none'" "authorize: CSP frame-ancestors 'none'"
is "$(hdr Cache-Control)" no-store "authorize: the page is not cached"
cookie=$(hdr Set-Cookie)
like "$cookie" '^10p5_csrf=[A-Za-z0-9]{20,}; ' "authorize: the page sets the 10p5_csrf cookie"
like "$cookie" '; HttpOnly(;|$)' "the CSRF cookie is HttpOnly"
like "$cookie" '; SameSite=Strict(;|$)' "the CSRF cookie is SameSite=Strict"
csrf_cookie=${cookie#10p5_csrf=}
csrf_cookie=${csrf_cookie%%;*}
re='<input type="hidden" name="csrf" value="([^"]*)">'
csrf_field=
[[ $PAGE =~ $re ]] && csrf_field=${BASH_REMATCH[1]}
is "$csrf_field" "$csrf_cookie" "the form's hidden csrf field equals the cookie"
like "$PAGE" 'Portail &lt;i&gt;BDE&lt;/i&gt; &amp; Cie' "the page names the app, HTML-escaped"
unlike "$PAGE" '<i>BDE</i>' "the app's name cannot inject markup"
like "$PAGE" '<li><strong>lecture</strong>' "the page lists the scope lecture"
like "$PAGE" '<li><strong>caisse</strong>' "the page lists the scope caisse"
is "$(grep -o '<li>' <<<"$PAGE" | wc -l)" 2 "and only the two requested scopes"
unlike "$PAGE" '<script' "the page has no <script>: it works without JavaScript"
like "$PAGE" "<form method=\"post\" action=\"$(url_base)/oauth/authorize\">" "the page has a plain POST form to /oauth/authorize"
like "$PAGE" 'name="login"' "the form asks for the login"
like "$PAGE" 'type="password" name="mdp"' "the form asks for the password"
like "$PAGE" 'name="decision" value="autoriser"' "the form has an Autoriser button"
like "$PAGE" 'name="decision" value="refuser"' "the form has a Refuser button"
is "$(sql 'SELECT count(*) FROM oauth_codes')" 0 "showing the page issues no code"
like "$cookie" "; Path=$(url_base)/oauth/authorize;" "the CSRF cookie is scoped to the page's fixed path"
like "$(hdr Content-Security-Policy)" "form-action 'self'" "authorize: CSP form-action 'self': the password goes nowhere else"

# The page's form and cookie never echo the raw request line: a doubled slash
# would make the form protocol-relative (a host named "oauth"), and a path
# holding ";Max-Age=...;Path=/" would inject cookie attributes.
KEEP_PAGE=$PAGE KEEP_JAR=$JAR
AZQ=$(azq "$CA" "$RA" lecture s-path "$(pkce "$(verifier)")")
split_reply "$(curl -s -D - -w '\n%{http_code}' --path-as-is "$URL//oauth/authorize?$AZQ")"
unlike "$REPLY" 'action="//' "a GET of //oauth/authorize never renders a protocol-relative form"
unlike "$(hdr Set-Cookie)" 'Path=//' "nor a cookie scoped to //"
split_reply "$(curl -s -D - -w '\n%{http_code}' --path-as-is \
	"$URL/oauth/;Max-Age=99999999;Path=/;x/oauth/authorize?$AZQ")"
unlike "$(hdr Set-Cookie)" 'Max-Age|Path=/;' "a path holding cookie attributes sets no such cookie"
unlike "$REPLY" 'Max-Age' "nor shows them in the page"
# A Cookie header naming the CSRF cookie without "=": once a read past the
# header's end.
az_page "$AZQ"
get "oauth/authorize" -H "Cookie: 10p5_csrf" --data-urlencode "csrf=x" --data-urlencode "client_id=$CA" \
	--data-urlencode "redirect_uri=$RA" --data-urlencode "response_type=code" \
	--data-urlencode "code_challenge=$(pkce "$(verifier)")" --data-urlencode "code_challenge_method=S256" \
	--data-urlencode "login=bar" --data-urlencode "mdp=bar-secret-1" --data-urlencode "decision=autoriser"
is "$CODE" 403 "a Cookie header of a bare 10p5_csrf is a forged form (403), read within its bounds"
PAGE=$KEEP_PAGE JAR=$KEEP_JAR

az_post login=bar mdp=bar-secret-1 decision=autoriser
is "$CODE" 302 "authorize: logging in and approving answers 302"
like "$LOC" "^$RA\\?code=10p5ac_[A-Za-z0-9]{36}&state=" "the Location is the redirect_uri with a 10p5ac_ code"
C1=$(qparam code "$LOC")
SECRETS+=("$C1")
is "$(qparam state "$LOC")" "$STATE" "the state comes back unchanged"
ok "$(has_param error "$LOC"; echo $((!$?)))" "and no error"
is "$(hdr Referrer-Policy)" no-referrer "the redirect sends no Referer along"
is "$(hdr Cache-Control)" no-store "the redirect is not cached"
is "$(sql "SELECT count(*), hex(hash) = '$(sha "$C1")', redirect_uri, challenge, scopes, used_ms IS NULL,
	expires_ms - created_ms, user_id = $BAR_ID, app_id = $APPA_ID FROM oauth_codes")" \
	"1|1|$RA|$(pkce "$VA")|6|1|60000|1|1" \
	"oauth_codes: one row, hashed, bound to redirect_uri, challenge, scopes, user, app; 60 s"
C1_ID=$(sql 'SELECT id FROM oauth_codes')

exchange "$C1" "$RA" "$VA" -u "$CA:$SA"
is "$CODE" 200 "token: the code, its verifier and HTTP Basic client auth give 200"
like "$(hdr Content-Type)" '^application/json' "token: the reply is JSON"
is "$(hdr Cache-Control)" no-store "token: Cache-Control: no-store"
is "$(hdr Pragma)" no-cache "token: Pragma: no-cache"
tokens
AT1=$AT RT1=$RT
like "$AT1" '^10p5at_[A-Za-z0-9]{36}$' "token: access_token starts with 10p5at_"
like "$RT1" '^10p5rt_[A-Za-z0-9]{36}$' "token: refresh_token starts with 10p5rt_"
is "$(vals .token_type .expires_in .scope)" "Bearer 3600 lecture caisse" \
	"token: token_type Bearer, expires_in 3600, scope lecture caisse"
is "$(vals .user.login .user.droit)" "bar 2" "token: user {login, droit}"
is "$(json_keys)" "access_token,expires_in,refresh_token,scope,token_type,user" "token: no other key"
is "$(sql "SELECT used_ms IS NOT NULL FROM oauth_codes WHERE id = $C1_ID")" 1 "oauth_codes: the code is marked used"
is "$(sql "SELECT group_concat(kind || ':' || (family = $C1_ID) || ':' || scopes || ':' || (user_id = $BAR_ID) || ':' ||
	(expires_ms - created_ms), ' ') FROM (SELECT * FROM oauth_tokens ORDER BY kind)")" \
	"1:1:6:1:3600000 2:1:6:1:2592000000" "oauth_tokens: an access and a refresh row of the code's family, 1 h and 30 days"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE hex(hash) IN ('$(sha "$AT1")', '$(sha "$RT1")')")" 2 \
	"oauth_tokens keeps the SHA-256 of both tokens"

bearer client/fiche "idCarte=CAFE01" "$AT1"
is "$CODE $(vals .status .solde)" "200 ok 100" "API: client/fiche with Authorization: Bearer works"
call client/liste "bearer_token=$AT1"
is "$CODE $(st)" "200 ok" "API: client/liste with the bearer_token parameter works"
get api/v1/me -H "Authorization: Bearer $AT1"
is "$CODE $(vals .status .login .droit .scope)" "200 ok bar 2 lecture caisse" \
	"API: GET v1/me gives login, droit and the token's scope"
call client/payer "idCarte=CAFE01&montant=2.5" -H "Authorization: bearer $AT1"
is "$CODE $(vals .status .soldeNouveau)" "200 ok 97.5" "API: client/payer with the token (scheme in lower case) works"
TX=$(val .idTransaction)
is "$(sql "SELECT cred_kind, cred_id = $APPA_ID, user_id = $BAR_ID FROM journal WHERE transaction_id = $TX")" "3|1|1" \
	"journal: a payment made with an OAuth token has cred_kind 3, the app and the user"
call client/liste "bearer_token=$AT1" -H "Authorization: Bearer $AT1"
is "$(st)" requete_malforme "API: a token in both the header and bearer_token is refused"

# refresh, client auth in the body
refresh "$RT1" --data-urlencode "client_id=$CA" --data-urlencode "client_secret=$SA"
is "$CODE" 200 "refresh: client_id + client_secret in the body give 200"
tokens
AT2=$AT RT2=$RT
ok "$([ "$AT2" != "$AT1" ] && [ "$RT2" != "$RT1" ]; echo $?)" "refresh: new access and refresh tokens"
is "$(vals .scope .user.login)" "lecture caisse bar" "refresh: same scope, same user"
is "$(sql "SELECT used_ms IS NOT NULL, revoked_ms IS NULL FROM oauth_tokens WHERE hex(hash) = '$(sha "$RT1")'")" "1|1" \
	"oauth_tokens: the old refresh token is marked used"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE family = $C1_ID")" 4 "the new pair joins the code's family"
bearer client/liste "" "$AT2"
is "$CODE $(st)" "200 ok" "refresh: the new access token works"
bearer client/liste "" "$AT1"
is "$CODE $(st)" "200 ok" "refresh: the previous access token keeps working until it expires (rotation retires the refresh token only)"

# refresh with a JSON body
post oauth/token "$(jq -cn --arg t "$RT2" --arg c "$CA" --arg s "$SA" \
	'{grant_type: "refresh_token", refresh_token: $t, client_id: $c, client_secret: $s}')" \
	-H 'Content-Type: application/json'
is "$CODE $(val .token_type)" "200 Bearer" "refresh: a JSON body works too"
tokens
AT3=$AT RT3=$RT

# narrowing, widening
refresh "$RT3" -u "$CA:$SA" --data-urlencode "scope=lecture"
is "$CODE $(val .scope)" "200 lecture" "refresh: scope=lecture narrows lecture+caisse"
tokens
AT4=$AT RT4=$RT
refresh "$RT4" -u "$CA:$SA" --data-urlencode "scope=lecture caisse"
rfc_error 400 invalid_scope "refresh: widening back to lecture+caisse is invalid_scope"
refresh "$RT4" -u "$CA:$SA" --data-urlencode "scope=admin"
rfc_error 400 invalid_scope "refresh: widening to admin is invalid_scope"
refresh "$RT4" -u "$CA:$SA"
is "$CODE $(val .scope)" "200 lecture" "refresh: a refused widening does not burn the token; the narrowed scope stays"
tokens
AT5=$AT RT5=$RT

# scopes on the API: a lecture token
bearer client/fiche "idCarte=CAFE01" "$AT5"
is "$CODE $(st)" "200 ok" "scope lecture: client/fiche works"
bearer client/payer "idCarte=CAFE01&montant=1" "$AT5"
is "$CODE $(vals .status .error.code)" "403 droits_insuffisants FORBIDDEN" \
	"scope lecture: client/payer by header is HTTP 403 with error.code FORBIDDEN"
www=$(hdr WWW-Authenticate)
like "$www" 'error="insufficient_scope"' "and WWW-Authenticate says insufficient_scope"
like "$www" 'scope="caisse"' "and names the missing scope caisse"
call client/payer "idCarte=CAFE01&montant=1&bearer_token=$AT5"
is "$CODE $(st)" "200 droits_insuffisants" "scope lecture: client/payer by bearer_token is HTTP 200 droits_insuffisants"
bearer utilisateur/ajouter "login=intrus&mdp=intrus-secret-1&droit=3" "$AT5"
is "$CODE $(st)" "403 droits_insuffisants" "scope lecture: utilisateur/ajouter is refused"
is "$(sql "SELECT balance FROM clients WHERE card = 'CAFE01'")" 9750 "refused calls moved no money"

# revocation (RFC 7009)
post oauth/revoke "token=$AT5" -u "$CA:$SA"
is "$CODE $REPLY" "200 {}" "revoke: an access token is revoked (200)"
is "$(hdr Cache-Control)" no-store "revoke: Cache-Control: no-store"
bearer client/liste "" "$AT5"
is "$CODE $(vals .status .error.code)" "401 jeton_invalide UNAUTHORIZED" "revoke: the revoked access token gets 401 on the API"
like "$(hdr WWW-Authenticate)" '^Bearer .*error="invalid_token"' "and WWW-Authenticate: Bearer error=\"invalid_token\""
call client/liste "bearer_token=$AT5"
is "$CODE $(st)" "200 jeton_invalide" "revoke: by bearer_token it is HTTP 200 jeton_invalide"
bearer client/liste "" "$AT2"
is "$CODE" 200 "revoking an access token leaves its siblings alone"
post oauth/revoke "token=$RT5" -u "$CA:$SA"
is "$CODE" 200 "revoke: a refresh token is revoked (200)"
refresh "$RT5" -u "$CA:$SA"
rfc_error 400 invalid_grant "revoke: the revoked refresh token is invalid_grant"
bearer client/liste "" "$AT2"
is "$CODE" 401 "revoking a refresh token revokes its family: an older access token is dead"
is "$(live_family $C1_ID)" 0 "oauth_tokens: the whole family is revoked"
post oauth/revoke "token=10p5at_$(printf 'x%.0s' $(seq 36))" -u "$CA:$SA"
is "$CODE $REPLY" "200 {}" "revoke: an unknown token is answered 200 too"
post oauth/revoke "token=$RT5" -u "$CA:wrong"
rfc_error 401 invalid_client "revoke: a wrong client secret is 401 invalid_client"
post oauth/revoke "" -u "$CA:$SA"
rfc_error 400 invalid_request "revoke: token is required"

# revoke: cross-app
V10=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-50 "$V10"
exchange "$AZ_CODE" "$RA" "$V10" -u "$CA:$SA"
tokens
post oauth/revoke "token=$AT" -u "$CB:$SB"
rfc_error 400 unauthorized_client "revoke: another app cannot revoke this app's token"
bearer client/liste "" "$AT"
is "$CODE" 200 "and the token still works"
post oauth/revoke "token=$AT&token_type_hint=access_token" --data-urlencode "client_id=$CA" --data-urlencode "client_secret=$SA"
is "$CODE" 200 "revoke: client auth in the body and token_type_hint work"
bearer client/liste "" "$AT"
is "$CODE" 401 "and the token is dead"

oauth_finish
