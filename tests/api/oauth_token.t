#!/usr/bin/env bash
# The OAuth token endpoint when something is wrong (doc/api.md#oauth): every
# refused request is an RFC 6749 error, a code is single-use (a failed try
# spends it, a replay revokes what it gave), a replayed refresh token revokes
# its family, and of eight concurrent uses of one code or refresh token
# exactly one succeeds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oauth_lib.sh"

oauth_stack
oauth_apps
new_family s-19
RT0=$RT

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
exchange "$RT0" "$RA" "$V1" -u "$CA:$SA"
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
is "$P_WINS" 1 "8 concurrent refreshes of one token: exactly one succeeds"
is "$P_ERRORS" invalid_grant "concurrent refreshes: the others are invalid_grant"
is "$P_CODES" "200x1 400x7" "concurrent refreshes: the seven others are HTTP 400"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE family = $K5_ID AND kind = 2 AND revoked_ms IS NULL AND used_ms IS NULL")" 0 \
	"concurrent refreshes: no live refresh token is left in the family (the replays revoked it)"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE family = $K5_ID AND kind = 2")" 2 \
	"concurrent refreshes: only the winner's rotation wrote a refresh token"
is "$(all_codes $AT $P_TOKENS)" "401 401 " "concurrent refreshes: both access tokens of the family are revoked"

# concurrent exchanges of one code
V5b=$(verifier)
grant bar bar-secret-1 "$CA" "$RA" lecture s-26 "$V5b"
K5b_ID=$(code_id "$AZ_CODE")
storm8 oauth/token "grant_type=authorization_code&code=$AZ_CODE&redirect_uri=$(urlenc "$RA")&code_verifier=$V5b" "$CA:$SA"
is "$P_WINS" 1 "8 concurrent exchanges of one code: exactly one succeeds"
is "$P_ERRORS" invalid_grant "concurrent exchanges: the others are invalid_grant"
is "$(live_family "$K5b_ID")" 0 "concurrent exchanges: the replays revoked whatever the code gave"
is "$(all_codes $P_TOKENS)" "401 " "concurrent exchanges: the winner's access token is dead"

oauth_finish
