#!/usr/bin/env bash
# The OAuth authorization page when something is wrong (doc/api.md#oauth): an
# unknown app or redirect_uri gets an error page and never a redirect; a bad
# request from a known app goes back to it with an RFC 6749 error and its
# state; forged forms (no CSRF pair) are refused; a wrong login stays on the
# page; no failure issues a code. And the default scope, compte.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oauth_lib.sh"

oauth_stack
oauth_apps

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

oauth_finish
