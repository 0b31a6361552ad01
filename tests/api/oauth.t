#!/usr/bin/env bash
# The OAuth 2.0 provider (SPEC §5, issue 3), driven with curl alone: app
# registration (app/creer, app/liste, app/supprimer), the authorization page
# (login + consent, CSRF double-submit cookie, anti-framing headers), the code
# exchange with PKCE S256, refresh rotation and family revocation, revocation
# (RFC 7009), the metadata document (RFC 8414), scopes and rights of access
# tokens on the API, and every failure path on the way. A second stack with
# short lifetimes, a low login limit and a fixed issuer covers expiry, the
# limiter and TENP5_ISSUER.
. "$(dirname "$0")/lib.sh"

# --- helpers -----------------------------------------------------------------

# Helpers avoid spawning processes where bash can do the work: this file makes
# several hundred requests.
# urlenc VALUE / urldec VALUE: percent-encoding both ways.
urlenc() {
	local LC_ALL=C s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c"; out+=$c ;;
		esac
	done
	printf '%s\n' "$out"
}
urldec() { local s=${1//+/ }; printf '%b' "${s//%/\\x}"; }
# unhtml TEXT: undoes the five entities the pages use.
unhtml() {
	local s=$1
	s=${s//'&quot;'/'"'}
	s=${s//'&#39;'/"'"}
	s=${s//'&lt;'/'<'}
	s=${s//'&gt;'/'>'}
	s=${s//'&amp;'/'&'}
	printf '%s' "$s"
}
# qparam NAME URL: the decoded value of a query parameter of URL, "" if absent.
qparam() {
	local q p parts
	[[ $2 == *\?* ]] || return 0
	q=${2#*\?}
	IFS='&' read -ra parts <<<"$q"
	for p in "${parts[@]}"; do
		[ "${p%%=*}" = "$1" ] && { urldec "${p#*=}"; return 0; }
	done
}
# has_param NAME URL: whether the query of URL has the parameter NAME.
has_param() { [[ "&${2#*\?}" == *"&$1="* ]]; }
# pkce VERIFIER: its S256 challenge, base64url(sha256(verifier)) without padding.
pkce() {
	local h b i bin=''
	h=$(printf %s "$1" | sha256sum)
	for ((i = 0; i < 64; i += 2)); do bin+="\\x${h:i:2}"; done
	b=$(printf '%b' "$bin" | base64 -w0)
	b=${b//+/-}
	b=${b//\//_}
	printf '%s\n' "${b%%=*}"
}
# verifier: a fresh PKCE verifier, 64 characters of [A-Za-z0-9._~-].
verifier() {
	local set='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~' v='' i
	for ((i = 0; i < 64; i++)); do v+=${set:RANDOM % 66:1}; done
	printf '%s\n' "$v"
}
# vals FILTER...: several simple jq paths of the last reply in one jq run,
# space-separated.
vals() { local IFS=,; jq -r "[$*] | map(tostring) | join(\" \")" <<<"$REPLY"; }
# post PATH BODY [curl args]: a POST to $URL/PATH (not /api/), same outputs as call.
post() { local path=$1 body=$2; shift 2; get "$path" --data-binary "$body" "$@"; }
# msg: the error message shown on the last HTML page ("" if none).
msg() { local re='class="erreur">([^<]*)'; [[ $REPLY =~ $re ]] && printf '%s\n' "${BASH_REMATCH[1]}"; }
# json_keys: the sorted top-level keys of the last reply, comma-separated.
json_keys() { jq -r 'keys | join(",")' <<<"$REPLY" 2>/dev/null; }
# no_location: whether the last reply carries no Location header (prints 0/1 for ok).
no_location() { [ -z "$(hdr Location)" ]; }

# azq CLIENT REDIRECT SCOPE STATE CHALLENGE: an authorization request's query
# (scope and state left out when empty).
azq() {
	local q="response_type=code&client_id=$(urlenc "$1")&redirect_uri=$(urlenc "$2")"
	[ -n "$3" ] && q+="&scope=$(urlenc "$3")"
	[ -n "$4" ] && q+="&state=$(urlenc "$4")"
	echo "$q&code_challenge=$(urlenc "$5")&code_challenge_method=S256"
}
# az_page QUERY: GETs the authorization page with a fresh cookie jar ($JAR);
# the page is kept in $PAGE.
az_page() {
	JAR=$(mktemp "$DATA/jar.XXXXXX")
	get "oauth/authorize?$1" -c "$JAR"
	PAGE=$REPLY
}
# az_post [name=value...]: submits the form of $PAGE the way a browser does:
# its hidden fields (except those overridden by an argument, or dropped by
# "!name"), the arguments, and the cookie jar $AZ_JAR (default $JAR).
az_post() {
	local args=() n v a action skip=" "
	for a in "$@"; do
		a=${a#!}
		skip+="${a%%=*} "
	done
	local re_form='<form method="post" action="([^"]*)"' rest=$PAGE
	local re='<input type="hidden" name="([^"]*)" value="([^"]*)">'
	[[ $PAGE =~ $re_form ]] && action=${BASH_REMATCH[1]}
	while [[ $rest =~ $re ]]; do
		n=${BASH_REMATCH[1]}
		v=${BASH_REMATCH[2]}
		rest=${rest#*"${BASH_REMATCH[0]}"}
		[[ $skip == *" $n "* ]] || args+=(--data-urlencode "$n=$(unhtml "$v")")
	done
	for a in "$@"; do
		[[ $a == '!'* ]] || args+=(--data-urlencode "$a")
	done
	get "${action#/}" -b "${AZ_JAR:-$JAR}" -c "$JAR" "${args[@]}"
	[ "$CODE" = 200 ] && PAGE=$REPLY
	LOC=$(hdr Location)
}
# grant LOGIN MDP CLIENT REDIRECT SCOPE STATE VERIFIER: the page, then the
# login and consent POST; sets LOC and AZ_CODE (empty if no code came back).
grant() {
	az_page "$(azq "$3" "$4" "$5" "$6" "$(pkce "$7")")"
	az_post "login=$1" "mdp=$2" decision=autoriser
	AZ_CODE=$(qparam code "$LOC")
}
# exchange CODE REDIRECT VERIFIER [curl args]: the authorization_code grant.
exchange() {
	local c=$1 r=$2 v=$3
	shift 3
	post oauth/token "grant_type=authorization_code&code=$c&redirect_uri=$(urlenc "$r")&code_verifier=$v" "$@"
}
# refresh REFRESH_TOKEN [curl args]: the refresh_token grant.
refresh() { local t=$1; shift; post oauth/token "grant_type=refresh_token&refresh_token=$t" "$@"; }
# tokens: AT and RT from the last token reply.
tokens() { read -r AT RT <<<"$(vals .access_token .refresh_token)"; SECRETS+=("$AT" "$RT"); }
# code_id CODE: the oauth_codes row of a code (the family of its tokens).
code_id() { sql "SELECT id FROM oauth_codes WHERE hex(hash) = '$(sha "$1")'"; }
# new_family STATE: bar grants lecture to app A and the code is exchanged;
# sets FAMILY (the code's row), AT and RT.
new_family() {
	local v
	v=$(verifier)
	grant bar bar-secret-1 "$CA" "$RA" lecture "$1" "$v"
	FAMILY=$(code_id "$AZ_CODE")
	exchange "$AZ_CODE" "$RA" "$v" -u "$CA:$SA"
	tokens
}
# bearer PATH BODY TOKEN: an API call with the token in the Authorization header.
bearer() { call "$1" "$2" -H "Authorization: Bearer $3"; }
# live_family ID: how many tokens of family ID are not revoked.
live_family() { sql "SELECT count(*) FROM oauth_tokens WHERE family = $1 AND revoked_ms IS NULL"; }
# rfc_error CODE ERROR NAME: the last reply is an RFC 6749 §5.2 error.
rfc_error() {
	is "$CODE $(val .error)" "$1 $2" "$3"
}
# storm8 PATH BODY USER:SECRET: POSTs BODY to $URL/PATH eight times at once
# (one curl, eight transfers in flight). Sets P_CODES (HTTP codes, sorted,
# "200x1 400x7"), P_WINS (replies holding an access_token), P_TOKENS (those
# access tokens) and P_ERRORS (the distinct RFC errors).
storm8() {
	local dir i t
	dir=$(mktemp -d "$DATA/par.XXXXXX")
	for i in 1 2 3 4 5 6 7 8; do
		[ $i -gt 1 ] && echo next
		printf 'url = "%s/%s"\ndata = "%s"\nuser = "%s"\noutput = "%s/%d"\nwrite-out = "%%{http_code}\\n"\nsilent\n' \
			"$URL" "$1" "$2" "$3" "$dir" "$i"
	done >"$dir/config"
	P_CODES=$(curl --parallel --parallel-immediate --parallel-max 8 -K "$dir/config" 2>/dev/null |
		sort | uniq -c | awk '{print $2 "x" $1}' | xargs)
	P_TOKENS=$(cat "$dir"/[1-8] | jq -r '.access_token // empty' | xargs)
	P_WINS=$(wc -w <<<"$P_TOKENS")
	P_ERRORS=$(cat "$dir"/[1-8] | jq -r '.error // empty' | sort -u | xargs)
	for t in $P_TOKENS; do SECRETS+=("$t"); done
	diag "$1 x8: $P_CODES"
}
# all_codes TOKEN...: prints the HTTP codes of client/liste with each token.
all_codes() { local t; for t in "$@"; do bearer client/liste "" "$t"; printf '%s ' "$CODE"; done; }
SECRETS=()
HTML='^text/html; charset=utf-8$'
RA=https://portail.example.org/cb
RA2=http://127.0.0.1:8765/callback
RB='https://tableur.example.org/oauth?x=1'
RC=https://eph.example/cb

is "$(pkce dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk)" E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM \
	"the test's PKCE helper gives RFC 7636 appendix B's challenge"

start_stack
P=$(admin_jeton)
add_user "$P" bar bar-secret-1 2
add_user "$P" caissier caisse-secret-1 2
B=$(login bar bar-secret-1)
BAR_ID=$(sql "SELECT id FROM users WHERE login = 'bar'")
call client/ajouter "jeton=$P&idCarte=CAFE01&solde=100"
[ "$(st)" = ok ] || diag "client/ajouter: $REPLY"

# --- app/creer, app/liste ------------------------------------------------------

call app/creer "jeton=$B&nom=Bar&redirect_uri=$(urlenc https://bar.example/cb)"
is "$(st)" droits_insuffisants "app/creer: a bar member (droit 2) cannot register an app"
call app/creer "jeton=$P&nom=Evil&redirect_uri=$(urlenc http://evil.example/cb)"
is "$(vals .status .champ)" "requete_malforme redirect_uri" "app/creer: a plain-http redirect_uri off loopback is malformed"
call app/creer "jeton=$P&nom=Frag&redirect_uri=$(urlenc https://portail.example.org/cb#frag)"
is "$(vals .status .champ)" "requete_malforme redirect_uri" "app/creer: a redirect_uri with a #fragment is malformed"
call app/creer "jeton=$P&nom=Rel&redirect_uri=$(urlenc /cb)"
is "$(vals .status .champ)" "requete_malforme redirect_uri" "app/creer: a relative redirect_uri is malformed"
call app/creer "jeton=$P&nom=Loc&redirect_uri=$(urlenc http://localhost.evil.example/cb)"
is "$(vals .status .champ)" "requete_malforme redirect_uri" "app/creer: http to a host merely starting with localhost is malformed"
call app/creer "jeton=$P&nom=Js&redirect_uri=$(urlenc 'javascript:alert(1)')"
is "$(vals .status .champ)" "requete_malforme redirect_uri" "app/creer: a javascript: redirect_uri is malformed"
call app/creer "jeton=$P&nom=Rien"
is "$(vals .status .champ)" "requete_malforme redirect_uri" "app/creer: redirect_uri is required"
call app/creer "jeton=$P&redirect_uri=$(urlenc $RA)"
is "$(vals .status .champ)" "requete_malforme nom" "app/creer: nom is required"
many=$(for i in $(seq 11); do printf '&redirect_uri=%s' "$(urlenc "https://x.example/$i")"; done)
call app/creer "jeton=$P&nom=Trop$many"
is "$(vals .status .champ)" "requete_malforme redirect_uri" "app/creer: eleven redirect_uri are too many"
is "$(sql 'SELECT count(*) FROM apps')" 0 "refused registrations leave no app"

NOM_A='Portail <i>BDE</i> & Cie'
call app/creer "jeton=$P&nom=$(urlenc "$NOM_A")&redirect_uri=$(urlenc $RA)&redirect_uri=$(urlenc $RA2)"
is "$(st)" ok "app/creer: the president registers an app with two redirect_uri"
CA=$(val .client_id)
SA=$(val .client_secret)
SECRETS+=("$SA")
like "$CA" '^app_[A-Za-z0-9]+$' "the client_id is app_ and letters"
like "$SA" '^10p5cs_[A-Za-z0-9]{36}$' "the client_secret starts with 10p5cs_"
is "$(val .nom)|$(val '.redirect_uri | join(" ")')" "$NOM_A|$RA $RA2" "the reply gives the name and both redirect_uri"
APPA_ID=$(sql "SELECT id FROM apps WHERE client_id = '$CA'")
is "$(sql "SELECT hex(secret_hash) FROM apps WHERE id = $APPA_ID")" "$(sha "$SA")" \
	"the apps row keeps the SHA-256 of the secret"
is "$(sql "SELECT typeof(secret_hash), length(secret_hash) FROM apps WHERE id = $APPA_ID")" "blob|32" \
	"a 32-byte digest, not the secret itself"
is "$(sql "SELECT group_concat(uri, ' ') FROM (SELECT uri FROM app_redirects WHERE app_id = $APPA_ID ORDER BY uri)")" \
	"$RA2 $RA" "both redirect_uri are stored"

call app/creer "jeton=$P&nom=Tableur&redirect_uri=$(urlenc "$RB")"
is "$(st)" ok "app/creer: a second app, whose redirect_uri has a query"
CB=$(val .client_id)
SB=$(val .client_secret)
SECRETS+=("$SB")
isnt_same=$([ "$SA" != "$SB" ] && [ "$CA" != "$CB" ] && echo 0 || echo 1)
ok "$isnt_same" "each app gets its own client_id and secret"

call app/liste "jeton=$B"
is "$(st)" droits_insuffisants "app/liste: a bar member cannot list apps"
call app/liste "jeton=$P"
is "$(st) $(val '.apps | length')" "ok 2" "app/liste lists both apps"
is "$(val '[.apps[] | keys[]] | unique | join(",")')" "client_id,creation,nom,proprietaire,redirect_uri" \
	"each entry has client_id, nom, redirect_uri, creation, proprietaire and nothing else"
is "$(val ".apps[] | select(.client_id == \"$CA\") | [.nom, (.redirect_uri | sort | join(\" \")), .proprietaire] | join(\"|\")")" \
	"$NOM_A|$RA2 $RA|prez" "app A's entry has its name, both redirect_uri and its owner"
like "$(val ".apps[] | select(.client_id == \"$CA\") | .creation")" '^1[0-9]{12}$' "creation is a date in milliseconds"
unlike "$REPLY" '10p5cs_|secret' "app/liste shows no secret"

# --- metadata (RFC 8414) --------------------------------------------------------

get .well-known/oauth-authorization-server
is "$CODE" 200 "metadata: GET /.well-known/oauth-authorization-server answers 200"
like "$(hdr Content-Type)" '^application/json' "metadata: it is JSON"
is "$(val .issuer)" "$URL" "metadata: without TENP5_ISSUER the issuer is this server's scheme and host"
is "$(val '[.authorization_endpoint, .token_endpoint, .revocation_endpoint] | join(" ")')" \
	"$URL/oauth/authorize $URL/oauth/token $URL/oauth/revoke" "metadata: the three endpoints under the issuer"
is "$(val '.code_challenge_methods_supported | tojson')" '["S256"]' "metadata: PKCE S256 only"
is "$(val '.response_types_supported | tojson')" '["code"]' "metadata: response_type code only"
is "$(val '.grant_types_supported | sort | join(" ")')" "authorization_code refresh_token" \
	"metadata: grants authorization_code and refresh_token"
is "$(val '.scopes_supported | sort | join(" ")')" "admin caisse compte lecture" "metadata: the four scopes"
is "$(val '.token_endpoint_auth_methods_supported | sort | join(" ")')" "client_secret_basic client_secret_post" \
	"metadata: client auth by Basic or in the body"

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
like "$PAGE" '<form method="post" action="/oauth/authorize">' "the page has a plain POST form to /oauth/authorize"
like "$PAGE" 'name="login"' "the form asks for the login"
like "$PAGE" 'type="password" name="mdp"' "the form asks for the password"
like "$PAGE" 'name="decision" value="autoriser"' "the form has an Autoriser button"
like "$PAGE" 'name="decision" value="refuser"' "the form has a Refuser button"
is "$(sql 'SELECT count(*) FROM oauth_codes')" 0 "showing the page issues no code"
like "$cookie" '; Path=/oauth/authorize;' "the CSRF cookie is scoped to the page's fixed path"
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

# --- authorize: failure paths -------------------------------------------------------

VF=$(verifier)
CHF=$(pkce "$VF")
get "oauth/authorize?$(azq app_inconnue "$RA" lecture s1 "$CHF")"
is "$CODE" 400 "authorize: an unknown client_id is 400"
like "$(hdr Content-Type)" "$HTML" "with an HTML error page"
ok "$(no_location; echo $?)" "and no Location: never a redirect"
like "$(msg)" 'inconnue' "the page says the app is unknown"
is "$(hdr X-Frame-Options)" DENY "error pages are not framable either"
get "oauth/authorize?$(azq "" "$RA" lecture s1 "$CHF")"
is "$CODE" 400 "authorize: a missing client_id is 400"
ok "$(no_location; echo $?)" "with no Location"
get "oauth/authorize?$(azq "$CA" https://evil.example/cb lecture s1 "$CHF")"
is "$CODE" 400 "authorize: an unregistered https redirect_uri is 400"
ok "$(no_location; echo $?)" "with no Location"
like "$(msg)" "enregistr" "the page says the address is not registered"
get "oauth/authorize?$(azq "$CA" "$RB" lecture s1 "$CHF")"
is "$CODE" 400 "authorize: another app's redirect_uri is 400"
ok "$(no_location; echo $?)" "with no Location"
get "oauth/authorize?$(azq "$CA" "$RA/" lecture s1 "$CHF")"
is "$CODE" 400 "authorize: redirect_uri must match exactly (a trailing slash differs)"
ok "$(no_location; echo $?)" "with no Location"
get "oauth/authorize?$(azq "$CA" http://evil.example/cb lecture s1 "$CHF")"
is "$CODE" 400 "authorize: a malformed redirect_uri is 400"
ok "$(no_location; echo $?)" "with no Location"
like "$(msg)" 'redirect_uri' "and the page blames the redirect_uri, not the app"
get "oauth/authorize?response_type=code&client_id=$CA&scope=lecture&state=s1&code_challenge=$CHF&code_challenge_method=S256"
is "$CODE" 400 "authorize: a missing redirect_uri is 400"
ok "$(no_location; echo $?)" "with no Location"
like "$(hdr Content-Type)" "$HTML" "and an HTML page"
get "oauth/authorize?$(azq "$CA" "$RA" lecture s1 "$CHF")&redirect_uri=$(urlenc "$RA2")"
is "$CODE" 400 "authorize: two redirect_uri are 400"
ok "$(no_location; echo $?)" "with no Location"

get "oauth/authorize?$(azq "$CA" "$RA" lecture s-2 "$CHF" | sed 's/response_type=code/response_type=token/')"
is "$CODE" 302 "authorize: response_type=token is sent back to the app (302)"
like "$(hdr Location)" "^$RA\\?error=unsupported_response_type&" "with error=unsupported_response_type"
is "$(qparam state "$(hdr Location)")" s-2 "and the state"
get "oauth/authorize?response_type=code&client_id=$CA&redirect_uri=$(urlenc "$RA")&scope=lecture&state=s-3"
is "$CODE $(qparam error "$(hdr Location)")" "302 invalid_request" "authorize: a missing code_challenge is invalid_request"
is "$(qparam state "$(hdr Location)")" s-3 "and the state comes back"
get "oauth/authorize?$(azq "$CA" "$RA" lecture s-4 "$VF" | sed 's/code_challenge_method=S256/code_challenge_method=plain/')"
is "$CODE $(qparam error "$(hdr Location)")" "302 invalid_request" "authorize: code_challenge_method=plain is invalid_request"
get "oauth/authorize?$(azq "$CA" "$RA" lecture s-5 "$CHF" | sed 's/&code_challenge_method=S256//')"
is "$CODE $(qparam error "$(hdr Location)")" "302 invalid_request" "authorize: a missing code_challenge_method is invalid_request"
get "oauth/authorize?$(azq "$CA" "$RA" lecture s-6 tooshort)"
is "$CODE $(qparam error "$(hdr Location)")" "302 invalid_request" "authorize: a malformed code_challenge is invalid_request"
get "oauth/authorize?$(azq "$CA" "$RA" bogus s-7 "$CHF")"
is "$CODE $(qparam error "$(hdr Location)")" "302 invalid_scope" "authorize: scope=bogus is invalid_scope"
is "$(qparam state "$(hdr Location)")" s-7 "and the state comes back"
get "oauth/authorize?$(azq "$CA" "$RA" "lecture bogus" s-8 "$CHF")"
is "$CODE $(qparam error "$(hdr Location)")" "302 invalid_scope" "authorize: one unknown scope among known ones is invalid_scope"
get "oauth/authorize?$(azq "$CB" "$RB" bogus s-9 "$CHF")"
like "$(hdr Location)" '^https://tableur\.example\.org/oauth\?x=1&error=invalid_scope&' \
	"authorize: errors keep the redirect_uri's own query"

TRICKY='é/ x&y=z+1?#'
az_page "$(azq "$CA" "$RA" lecture "$TRICKY" "$CHF")"
az_post decision=refuser '!login' '!mdp'
is "$CODE $(qparam error "$LOC")" "302 access_denied" "authorize: decision=refuser is error=access_denied"
is "$(qparam state "$LOC")" "$TRICKY" "and the state comes back intact, however odd"
ok "$(has_param code "$LOC"; echo $((!$?)))" "and no code"
az_page "$(azq "$CA" "$RA" lecture s-10 "$CHF")"
az_post login=bar mdp=bar-secret-1 decision=refuser
is "$CODE $(qparam error "$LOC")" "302 access_denied" "authorize: refusing after typing the password also denies"

codes=$(sql 'SELECT count(*) FROM oauth_codes')
az_page "$(azq "$CA" "$RA" lecture s-11 "$CHF")&login=bar&mdp=bar-secret-1&decision=autoriser"
is "$CODE $(hdr Location)" "200 " "authorize: a GET carrying login and mdp only shows the page"
az_page "$(azq "$CA" "$RA" lecture s-11 "$CHF")"
AZ_JAR=/dev/null az_post login=bar mdp=bar-secret-1 decision=autoriser
is "$CODE" 403 "authorize: a POST without the CSRF cookie is 403"
ok "$(no_location; echo $?)" "with no Location"
like "$(hdr Content-Type)" "$HTML" "and an HTML page"
az_page "$(azq "$CA" "$RA" lecture s-12 "$CHF")"
az_post login=bar mdp=bar-secret-1 decision=autoriser csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
is "$CODE" 403 "authorize: a wrong csrf field is 403"
ok "$(no_location; echo $?)" "with no Location"
az_page "$(azq "$CA" "$RA" lecture s-13 "$CHF")"
az_post login=bar mdp=bar-secret-1 decision=autoriser '!csrf'
is "$CODE" 403 "authorize: a missing csrf field is 403"
ok "$(no_location; echo $?)" "with no Location"
az_page "$(azq "$CA" "$RA" lecture s-14 "$CHF")"
AZ_JAR=/dev/null az_post login=bar mdp=bar-secret-1 decision=refuser
is "$CODE" 403 "authorize: even a refusal needs the CSRF pair (no forged redirects)"
is "$(sql 'SELECT count(*) FROM oauth_codes')" "$codes" "forged and refused forms issue no code"

az_page "$(azq "$CA" "$RA" lecture s-15 "$CHF")"
az_post login=bar mdp=wrong-password decision=autoriser
is "$CODE" 200 "authorize: a wrong password shows the page again (200)"
like "$(msg)" 'incorrect' "with an error message"
ok "$(no_location; echo $?)" "and no redirect"
like "$(hdr Set-Cookie)" '^10p5_csrf=' "and a fresh CSRF cookie"
az_post login=personne mdp=wrong-password decision=autoriser
is "$CODE" 200 "authorize: an unknown login shows the page again"
like "$(msg)" 'incorrect' "with the same message"
az_post 'login=bar tender' mdp=wrong-password decision=autoriser
is "$CODE" 200 "authorize: a login with a blank in it shows the page again (200)"
like "$(msg)" 'incorrect' "with the wrong-credentials message"
ok "$(no_location; echo $?)" "and no redirect"
az_post login=bar "mdp=$(printf 'a%.0s' $(seq 1100))" decision=autoriser
is "$CODE" 200 "authorize: an over-long password shows the page again (200)"
like "$(msg)" 'incorrect' "with the wrong-credentials message"
az_post login=bar '!mdp' decision=autoriser
is "$CODE" 200 "authorize: a missing password shows the page again"
like "$(msg)" 'Indiquez votre identifiant' "asking for it"
is "$(sql 'SELECT count(*) FROM oauth_codes')" "$codes" "failed logins issue no code"
az_post login=bar mdp=bar-secret-1 decision=peut-etre
ok "$(has_param code "$LOC"; echo $((!$?)))" "authorize: a decision that is neither autoriser nor refuser issues no code"
is "$(sql 'SELECT count(*) FROM oauth_codes')" "$codes" "and writes none"
[ "$CODE" = 302 ] && az_page "$(azq "$CA" "$RA" lecture s-15 "$CHF")"
az_post login=bar mdp=bar-secret-1 decision=autoriser
is "$CODE $(qparam state "$LOC")" "302 s-15" "the retried form with the right password goes through"
like "$(qparam code "$LOC")" '^10p5ac_' "and brings a code"

VN=$(verifier)
az_page "response_type=code&client_id=$CA&redirect_uri=$(urlenc "$RA")&code_challenge=$(pkce "$VN")&code_challenge_method=S256"
like "$PAGE" '<li><strong>compte</strong>' "authorize: without scope the page asks for compte"
is "$(grep -o '<li>' <<<"$PAGE" | wc -l)" 1 "and only compte"
az_post login=bar mdp=bar-secret-1 decision=autoriser
ok "$(has_param state "$LOC"; echo $((!$?)))" "authorize: no state sent, none returned"
exchange "$(qparam code "$LOC")" "$RA" "$VN" -u "$CA:$SA"
is "$CODE $(val .scope)" "200 compte" "scope defaults to compte"
tokens
get api/v1/me -H "Authorization: Bearer $AT"
is "$CODE $(vals .login .scope)" "200 bar compte" "scope compte: v1/me works"
bearer client/liste "" "$AT"
is "$CODE $(st)" "403 droits_insuffisants" "scope compte: client/liste is 403"
like "$(hdr WWW-Authenticate)" 'insufficient_scope.*scope="lecture"' "asking for scope lecture"

# --- token endpoint: failure paths --------------------------------------------------

V1=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-20 "$V1"
K1=$AZ_CODE
like "$K1" '^10p5ac_' "token failures: a fresh code"
K1_ID=$(code_id "$K1")
post oauth/token "grant_type=authorization_code&code=$K1&redirect_uri=$(urlenc "$RA")" -u "$CA:$SA"
rfc_error 400 invalid_request "token: a missing code_verifier is invalid_request"
like "$(hdr Content-Type)" '^application/json' "errors are JSON"
is "$(hdr Cache-Control)" no-store "errors carry Cache-Control: no-store"
is "$(json_keys)" "error,error_description" "errors are {error, error_description}"
exchange "$K1" "$RA" "$V1" -u "$CA:wrong-secret"
rfc_error 401 invalid_client "token: a wrong client secret (Basic) is 401 invalid_client"
like "$(hdr WWW-Authenticate)" '^Basic' "with WWW-Authenticate: Basic"
is "$(hdr Cache-Control)" no-store "and Cache-Control: no-store"
exchange "$K1" "$RA" "$V1" --data-urlencode "client_id=$CA" --data-urlencode "client_secret=$SB"
rfc_error 401 invalid_client "token: a wrong client secret in the body is invalid_client"
exchange "$K1" "$RA" "$V1"
rfc_error 401 invalid_client "token: no client authentication is invalid_client"
exchange "$K1" "$RA" "$V1" --data-urlencode "client_id=$CA"
rfc_error 401 invalid_client "token: a client_id without a secret is invalid_client"
exchange "$K1" "$RA" "$V1" -u "app_inconnue:$SA"
rfc_error 401 invalid_client "token: an unknown client is invalid_client"
exchange "$K1" "$RA" "$V1" -u "$CA:$SA" --data-urlencode "client_secret=$SA"
rfc_error 400 invalid_request "token: Basic and client_secret in the body together are invalid_request"
exchange "$K1" "$RA" "$V1" -u "$CA:$SA" --data-urlencode "client_id=$CB"
rfc_error 401 invalid_client "token: a body client_id differing from the Basic one is invalid_client"
post oauth/token "grant_type=password&username=bar&password=bar-secret-1" -u "$CA:$SA"
rfc_error 400 unsupported_grant_type "token: grant_type=password is unsupported_grant_type"
post oauth/token "code=$K1&redirect_uri=$(urlenc "$RA")&code_verifier=$V1" -u "$CA:$SA"
rfc_error 400 invalid_request "token: a missing grant_type is invalid_request"
exchange "$K1" "$RB" "$V1" -u "$CB:$SB"
rfc_error 400 invalid_grant "token: a code issued to app A presented by app B is invalid_grant"
exchange "10p5ac_$(printf 'A%.0s' $(seq 36))" "$RA" "$V1" -u "$CA:$SA"
rfc_error 400 invalid_grant "token: an unknown code is invalid_grant"
exchange "$RT1" "$RA" "$V1" -u "$CA:$SA"
rfc_error 400 invalid_grant "token: a refresh token passed as a code is invalid_grant"
exchange "$K1" "$RA" "$V1" -H 'Authorization: Basic !!!'
rfc_error 401 invalid_client "token: malformed HTTP Basic credentials are invalid_client"
get oauth/token
is "$CODE" 405 "token: GET is not allowed"
is "$(sql "SELECT used_ms IS NULL FROM oauth_codes WHERE id = $K1_ID")" 1 "requests refused before the grant check leave the code unused"
exchange "$K1" "$RA" "$(verifier)" -u "$CA:$SA"
rfc_error 400 invalid_grant "token: a wrong code_verifier is invalid_grant"
exchange "$K1" "$RA" "$V1" -u "$CA:$SA"
rfc_error 400 invalid_grant "token: the code is spent by the failed try (single use)"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE family = $K1_ID")" 0 "no token was issued from it"

V2=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-21 "$V2"
exchange "$AZ_CODE" "$RA2" "$V2" -u "$CA:$SA"
rfc_error 400 invalid_grant "token: a redirect_uri differing from the authorize one (even a registered one) is invalid_grant"
V2b=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-22 "$V2b"
post oauth/token "grant_type=authorization_code&code=$AZ_CODE&code_verifier=$V2b" -u "$CA:$SA"
rfc_error 400 invalid_request "token: a missing redirect_uri is invalid_request"

# code reuse
V3=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" "lecture caisse" s-23 "$V3"
K3=$AZ_CODE
K3_ID=$(code_id "$K3")
exchange "$K3" "$RA" "$V3" -u "$CA:$SA"
is "$CODE" 200 "code reuse: the first exchange succeeds"
tokens
AT_R=$AT RT_R=$RT
bearer client/liste "" "$AT_R"
is "$CODE" 200 "code reuse: its access token works"
exchange "$K3" "$RA" "$V3" -u "$CA:$SA"
rfc_error 400 invalid_grant "code reuse: the second exchange is invalid_grant"
bearer client/liste "" "$AT_R"
is "$CODE $(st)" "401 jeton_invalide" "code reuse: the access token of the first exchange is now revoked"
refresh "$RT_R" -u "$CA:$SA"
rfc_error 400 invalid_grant "code reuse: and so is its refresh token"
is "$(live_family "$K3_ID")" 0 "oauth_tokens: every token from the code is revoked"

# refresh replay
new_family s-24
K4_ID=$FAMILY
RTa=$RT
refresh "$RTa" -u "$CA:$SA"
is "$CODE" 200 "refresh replay: the first rotation succeeds"
tokens
ATb=$AT RTb=$RT
bearer client/liste "" "$RTb"
is "$CODE $(st)" "401 jeton_invalide" "API: a refresh token is not an access token"
refresh "$ATb" -u "$CA:$SA"
rfc_error 400 invalid_grant "refresh: an access token is not a refresh token"
refresh "$RTb" -u "$CB:$SB"
rfc_error 400 invalid_grant "refresh: another app's refresh token is invalid_grant"
bearer client/liste "" "$ATb"
is "$CODE" 200 "and that attempt did not harm the family"
refresh "$RTa" -u "$CA:$SA"
rfc_error 400 invalid_grant "refresh replay: the rotated-out refresh token is invalid_grant"
bearer client/liste "" "$ATb"
is "$CODE" 401 "refresh replay: the newest access token is revoked with the family"
refresh "$RTb" -u "$CA:$SA"
rfc_error 400 invalid_grant "refresh replay: the newest refresh token is revoked with the family"
is "$(live_family "$K4_ID")" 0 "oauth_tokens: the whole family is revoked"

# concurrent refreshes
new_family s-25
K5_ID=$FAMILY
storm8 oauth/token "grant_type=refresh_token&refresh_token=$RT" "$CA:$SA"
ok "$([ "$P_WINS" -le 1 ]; echo $?)" "8 concurrent refreshes of one token: at most one succeeds"
is "$P_ERRORS" invalid_grant "concurrent refreshes: the others are invalid_grant"
like "$P_CODES" '^(200x1 )?400x[0-9]+$' "concurrent refreshes: every other answer is HTTP 400"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE family = $K5_ID AND kind = 2 AND revoked_ms IS NULL AND used_ms IS NULL")" 0 \
	"concurrent refreshes: no live refresh token is left in the family (the replays revoked it)"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE family = $K5_ID AND kind = 2")" $((1 + P_WINS)) \
	"concurrent refreshes: only the winner's rotation wrote a refresh token"
like "$(all_codes $AT $P_TOKENS)" '^(401 )+$' "concurrent refreshes: every access token of the family is revoked"

# concurrent exchanges of one code
V5b=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-26 "$V5b"
K5b_ID=$(code_id "$AZ_CODE")
storm8 oauth/token "grant_type=authorization_code&code=$AZ_CODE&redirect_uri=$(urlenc "$RA")&code_verifier=$V5b" "$CA:$SA"
ok "$([ "$P_WINS" -le 1 ]; echo $?)" "8 concurrent exchanges of one code: at most one succeeds"
is "$P_ERRORS" invalid_grant "concurrent exchanges: the others are invalid_grant"
is "$(live_family "$K5b_ID")" 0 "concurrent exchanges: the replays revoked whatever the code gave"
like "$(all_codes $P_TOKENS)" '^(401 )*$' "concurrent exchanges: the winner's access token is dead"

# --- scopes and rights ----------------------------------------------------------------

V6=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" admin s-30 "$V6"
exchange "$AZ_CODE" "$RA" "$V6" -u "$CA:$SA"
is "$CODE $(vals .scope .user.droit)" "200 admin 2" "scope admin granted by a bar member (droit 2)"
tokens
bearer client/payer "idCarte=CAFE01&montant=1" "$AT"
is "$CODE $(st)" "200 ok" "scope admin covers caisse: client/payer works"
bearer utilisateur/liste "" "$AT"
is "$CODE $(vals .status .error.code)" "403 droits_insuffisants FORBIDDEN" \
	"scope admin does not raise droit 2: utilisateur/liste is refused"
unlike "$(hdr WWW-Authenticate)" insufficient_scope "and it is a right, not a scope, that is missing"
call utilisateur/liste "bearer_token=$AT"
is "$CODE $(st)" "200 droits_insuffisants" "the same by bearer_token: 200 droits_insuffisants"
call app/creer "bearer_token=$AT&nom=X&redirect_uri=$(urlenc https://x.example/cb)"
is "$(st)" droits_insuffisants "scope admin, droit 2: app/creer is refused"

V7=$(verifier)
grant prez prez-secret-1 "$CA" "$RA" lecture s-31 "$V7"
exchange "$AZ_CODE" "$RA" "$V7" -u "$CA:$SA"
is "$CODE $(val .user.droit)" "200 3" "a president's token with scope lecture"
tokens
bearer utilisateur/ajouter "login=intrus&mdp=intrus-secret-1&droit=3" "$AT"
is "$CODE $(st)" "403 droits_insuffisants" "president + scope lecture: utilisateur/ajouter is 403"
like "$(hdr WWW-Authenticate)" 'insufficient_scope.*scope="admin"' "unlisted endpoints need scope admin"
is "$(sql "SELECT count(*) FROM users WHERE login = 'intrus'")" 0 "no user was created"

# demoted, then deleted owner
V8=$(verifier)
grant caissier caisse-secret-1 "$CA" "$RA" caisse s-32 "$V8"
exchange "$AZ_CODE" "$RA" "$V8" -u "$CA:$SA"
tokens
ATd=$AT RTd=$RT
bearer client/payer "idCarte=CAFE01&montant=1" "$ATd"
is "$CODE $(st)" "200 ok" "owner droit 2 + scope caisse: client/payer works"
call utilisateur/droit "jeton=$P&login=caissier&droit=1"
is "$(st)" ok "the president demotes the owner to droit 1"
bearer client/payer "idCarte=CAFE01&montant=1" "$ATd"
is "$CODE $(st)" "403 droits_insuffisants" "demoted owner: the token can no longer client/payer, at once"
call client/payer "idCarte=CAFE01&montant=1&bearer_token=$ATd"
is "$CODE $(st)" "200 droits_insuffisants" "demoted owner: by bearer_token, droits_insuffisants"
get api/v1/me -H "Authorization: Bearer $ATd"
is "$CODE $(val .droit)" "200 1" "demoted owner: v1/me shows droit 1"
refresh "$RTd" -u "$CA:$SA"
is "$CODE $(vals .user.droit .scope)" "200 1 caisse" "demoted owner: a refresh reports the current droit 1"
tokens
ATd=$AT RTd=$RT
V8b=$(verifier)
grant caissier caisse-secret-1 "$CA" "$RA" caisse s-33 "$V8b"
K8b=$AZ_CODE
call utilisateur/supprimer "jeton=$P&login=caissier"
is "$(st)" ok "the president deletes the owner"
bearer client/liste "" "$ATd"
is "$CODE $(st)" "401 jeton_invalide" "deleted owner: the access token is dead"
get api/v1/me -H "Authorization: Bearer $ATd"
is "$CODE" 401 "deleted owner: even v1/me is 401"
refresh "$RTd" -u "$CA:$SA"
rfc_error 400 invalid_grant "deleted owner: the refresh token is invalid_grant"
exchange "$K8b" "$RA" "$V8b" -u "$CA:$SA"
rfc_error 400 invalid_grant "deleted owner: a code issued before the deletion is invalid_grant"

# --- revoked app --------------------------------------------------------------------------

call app/creer "jeton=$P&nom=$(urlenc 'Éphémère')&redirect_uri=$(urlenc $RC)"
CC=$(val .client_id)
SC=$(val .client_secret)
SECRETS+=("$SC")
APPC_ID=$(sql "SELECT id FROM apps WHERE client_id = '$CC'")
V9=$(verifier)
grant bar bar-secret-1 "$CC" "$RC" caisse s-40 "$V9"
exchange "$AZ_CODE" "$RC" "$V9" -u "$CC:$SC"
is "$CODE" 200 "revoked app: a token for the third app"
tokens
ATc=$AT RTc=$RT
V9b=$(verifier)
grant bar bar-secret-1 "$CC" "$RC" caisse s-41 "$V9b"
Kc=$AZ_CODE
get api/v1/me -H "Authorization: Bearer $ATc"
is "$CODE $(val .scope)" "200 caisse" "revoked app: its token works"
call app/supprimer "jeton=$B&client_id=$CC"
is "$(st)" droits_insuffisants "app/supprimer: a bar member cannot delete an app"
call app/supprimer "jeton=$P&client_id=app_inconnue"
is "$(st)" application_inconnue "app/supprimer: an unknown client_id is application_inconnue"
call app/supprimer "jeton=$P&client_id=$CC"
is "$(st)" ok "app/supprimer: the president deletes the app"
get api/v1/me -H "Authorization: Bearer $ATc"
is "$CODE $(st)" "401 jeton_invalide" "revoked app: its access token is dead at once"
refresh "$RTc" -u "$CC:$SC"
like "$CODE $(val .error)" '^(401 invalid_client|400 invalid_grant)$' "revoked app: its refresh token is refused"
exchange "$Kc" "$RC" "$V9b" -u "$CC:$SC"
like "$CODE $(val .error)" '^(401 invalid_client|400 invalid_grant)$' "revoked app: its pending code is refused"
is "$(sql "SELECT (SELECT count(*) FROM oauth_tokens WHERE app_id = $APPC_ID) + (SELECT count(*) FROM oauth_codes WHERE app_id = $APPC_ID)")" 0 \
	"revoked app: no code or token of it is left"
get "oauth/authorize?$(azq "$CC" "$RC" caisse s-42 "$CHF")"
is "$CODE" 400 "revoked app: its authorization page is an error page"
ok "$(no_location; echo $?)" "with no Location"
call app/supprimer "jeton=$P&client_id=$CC"
is "$(st)" application_inconnue "app/supprimer: deleting it twice is application_inconnue"
call app/liste "jeton=$P"
is "$(val "[.apps[].client_id] | index(\"$CC\")")" null "app/liste no longer shows it"

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

# --- secrets at rest -------------------------------------------------------------------

is "$(sql "SELECT (SELECT count(*) FROM oauth_codes WHERE typeof(hash) != 'blob' OR length(hash) != 32)
	+ (SELECT count(*) FROM oauth_tokens WHERE typeof(hash) != 'blob' OR length(hash) != 32)
	+ (SELECT count(*) FROM apps WHERE typeof(secret_hash) != 'blob' OR length(secret_hash) != 32)")" 0 \
	"every code, token and client secret is kept as a 32-byte digest"
leaks=0
for s in "${SECRETS[@]}"; do
	[ -n "$s" ] || continue
	cat "$DB" "$DB-wal" 2>/dev/null | grep -aqF "$s" && { leaks=$((leaks + 1)); diag "in the database: ${s:0:12}..."; }
done
is "$leaks" 0 "no token, code or client secret text in the database or its WAL (${#SECRETS[@]} secrets checked)"
leaks=0
for s in "${SECRETS[@]}"; do
	[ -n "$s" ] || continue
	cat "$DATA"/log/*.log "$DATA/run.out" 2>/dev/null | grep -aqF "$s" && leaks=$((leaks + 1))
done
is "$leaks" 0 "no secret in the workers' logs"

ok "$(ledger_ok; echo $?)" "the ledger invariant holds"

# --- second stack: expiry, the login limiter, a fixed issuer ------------------------------

# Logins stop between their check and their transaction while $HOLD exists.
HOLD=$(mktemp -u /tmp/10p5-hold.XXXXXX)
next_stack TENP5_CODE_TTL=30 TENP5_ACCESS_TTL=30 TENP5_REFRESH_TTL=30 TENP5_LOGIN_FAILS=3 \
	TENP5_ISSUER=https://bar.example.org TENP5_TEST_PAUSE="login:$HOLD"
P=$(admin_jeton)
add_user "$P" bar bar-secret-1 2
add_user "$P" cible cible-secret-1 2
call app/creer "jeton=$P&nom=Portail&redirect_uri=$(urlenc $RA)"
CA=$(val .client_id)
SA=$(val .client_secret)

get .well-known/oauth-authorization-server
is "$(val .issuer)" https://bar.example.org "metadata: TENP5_ISSUER is the issuer, exactly"
is "$(val '[.authorization_endpoint, .token_endpoint, .revocation_endpoint] | join(" ")')" \
	"https://bar.example.org/oauth/authorize https://bar.example.org/oauth/token https://bar.example.org/oauth/revoke" \
	"metadata: the endpoints hang off that issuer"

VE=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-60 "$VE"
KE=$AZ_CODE
is "$(sql "SELECT expires_ms - created_ms FROM oauth_codes")" 30000 "TENP5_CODE_TTL=30: the code lives 30 s"
VL=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-61 "$VL"
exchange "$AZ_CODE" "$RA" "$VL" -u "$CA:$SA"
is "$CODE $(val .expires_in)" "200 30" "TENP5_ACCESS_TTL=30: expires_in is 30"
tokens
clock_forward 31 # past the 30 s lifetimes, on the test clock (a slow machine
# under valgrind took more than 1 s between a code and its exchange)
exchange "$KE" "$RA" "$VE" -u "$CA:$SA"
rfc_error 400 invalid_grant "an expired code is invalid_grant"
bearer client/liste "" "$AT"
is "$CODE $(vals .status .raison)" "401 jeton_invalide expire" "an expired access token is 401, raison expire"
refresh "$RT" -u "$CA:$SA"
rfc_error 400 invalid_grant "an expired refresh token is invalid_grant"

# The consent page's login confirms its check inside the transaction: a
# password changed while it was between the two gives no code.
add_user "$P" change change-secret-1 2
CJ=$(login change change-secret-1)
VR=$(verifier)
az_page "$(azq "$CA" "$RA" lecture s-63 "$(pkce "$VR")")"
: >"$HOLD"
(az_post login=change mdp=change-secret-1 decision=autoriser; echo "$CODE|$(msg)|$LOC") >"$DATA/held.out" &
pid=$!
held "$HOLD" || diag "the login never reached its hold"
call utilisateur/mdp "jeton=$CJ&login=change&mdp=change-secret-2"
changed=$(st)
rm -f "$HOLD"
wait "$pid"
is "$changed|$(cat "$DATA/held.out")" "ok|200|Identifiant ou mot de passe incorrect.|" \
	"a consent with the old password, judged before a password change and confirmed after it, stays on the page"
is "$(sql "SELECT count(*) FROM oauth_codes c JOIN users u ON u.id = c.user_id WHERE u.login = 'change'")" 0 \
	"and no code was issued"

VT=$(verifier)
az_page "$(azq "$CA" "$RA" lecture s-62 "$(pkce "$VT")")"
for i in 1 2 3; do
	az_post login=cible mdp=mauvais-mdp-$i decision=autoriser
	is "$CODE $(msg)" "200 Identifiant ou mot de passe incorrect." "limiter: wrong password $i of 3 is refused on the page"
done
az_post login=cible mdp=cible-secret-1 decision=autoriser
is "$CODE" 200 "limiter: after TENP5_LOGIN_FAILS failures even the right password stays on the page"
like "$(msg)" '^Trop de tentatives' "and the page says Trop de tentatives"
ok "$(no_location; echo $?)" "and gives no code"
is "$(sql 'SELECT count(*) FROM oauth_codes c JOIN users u ON u.id = c.user_id WHERE u.login = '"'cible'")" 0 \
	"no code was issued to the limited login"
call utilisateur/connexion "login=cible&mdp=cible-secret-1"
is "$(st)" trop_de_tentatives "the page and the API share the limiter"

finish
