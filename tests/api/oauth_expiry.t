#!/usr/bin/env bash
# OAuth with short lifetimes, a low login limit and a fixed issuer
# (doc/api.md#oauth): codes and tokens expire, TENP5_ISSUER names the
# endpoints, the consent page confirms its login inside the transaction, and
# the page and the API share the limiter.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oauth_lib.sh"

# Logins stop between their check and their transaction while $HOLD exists;
# past 3 wrong passwords they wait 300 s (longer than a busy machine takes
# between two requests).
HOLD=$(mktemp -u /tmp/10p5-hold.XXXXXX)
oauth_stack TENP5_CODE_TTL=30 TENP5_ACCESS_TTL=30 TENP5_REFRESH_TTL=30 TENP5_LOGIN_FAILS=3 \
	TENP5_LOGIN_DELAY=300 TENP5_ISSUER=https://bar.example.org TENP5_TEST_PAUSE="login:$HOLD"
add_user "$P" cible cible-secret-1 2
oauth_apps

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

oauth_finish
