#!/usr/bin/env bash
# What an OAuth token may do (doc/api.md#oauth): its scope and its owner's
# right both bound it, a demotion applies at once, and a deleted owner's
# tokens and pending codes die with him.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oauth_lib.sh"

oauth_stack
oauth_apps

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

oauth_finish
