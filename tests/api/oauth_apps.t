#!/usr/bin/env bash
# OAuth apps (doc/api.md#oauth): registration (app/creer), the list
# (app/liste), deletion (app/supprimer) and what it takes with it, and the
# metadata document (RFC 8414).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oauth_lib.sh"

oauth_stack

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
is "$(val '.scopes_supported | sort | join(" ")')" "admin caisse compte flux lecture" "metadata: the five scopes"
is "$(val '.token_endpoint_auth_methods_supported | sort | join(" ")')" "client_secret_basic client_secret_post" \
	"metadata: client auth by Basic or in the body"

# --- app/supprimer: a deleted app takes its codes and tokens along -------------

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
is "$CODE $(val .error)" "401 invalid_client" "revoked app: its refresh token is refused: the app can no longer authenticate"
exchange "$Kc" "$RC" "$V9b" -u "$CC:$SC"
is "$CODE $(val .error)" "401 invalid_client" "revoked app: its pending code is refused the same way"
is "$(sql "SELECT (SELECT count(*) FROM oauth_tokens WHERE app_id = $APPC_ID) + (SELECT count(*) FROM oauth_codes WHERE app_id = $APPC_ID)")" 0 \
	"revoked app: no code or token of it is left"
get "oauth/authorize?$(azq "$CC" "$RC" caisse s-42 "$(pkce "$(verifier)")")"
is "$CODE" 400 "revoked app: its authorization page is an error page"
ok "$(no_location; echo $?)" "with no Location"
call app/supprimer "jeton=$P&client_id=$CC"
is "$(st)" application_inconnue "app/supprimer: deleting it twice is application_inconnue"
call app/liste "jeton=$P"
is "$(val "[.apps[].client_id] | index(\"$CC\")")" null "app/liste no longer shows it"

oauth_finish
