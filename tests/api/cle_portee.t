#!/usr/bin/env bash
# What an API key may do: never more than its own droit nor its owner's
# current right (a demotion, a deletion act at once), and within its scopes
# (portee: a wall screen's key follows the feed and nothing else), the
# same way through a parameter and through the Authorization header.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cle_lib.sh"
cle_stack
# --- right capping ---------------------------------------------------------
call cle/creer "jeton=$P&nom=bde-script&droit=1"
K1=$(val .cle)
K1_ID=$(val .id)
KEYS+=("$K1")
is "$(st) $(val .droit)" "ok 1" "a president creates a droit-1 key"
get api/v1/me -H "$(auth Bearer "$K1")"
is "$(val .login) $(val .droit) $(val .scope)" "prez 1 compte lecture caisse admin flux" "v1/me with it: login prez, droit capped at 1, every scope"
call client/payer "idCarte=CAFE1&montant=1" -H "$(auth Bearer "$K1")"
is "$CODE $(st) $(val .error.code)" "403 droits_insuffisants FORBIDDEN" "it cannot pay through the header (HTTP 403 FORBIDDEN)"
unlike "$HEADERS" 'invalid_token' "a 403 does not say invalid_token"
call client/payer "jeton=$K1&idCarte=CAFE1&montant=1"
is "$CODE $(st)" "200 droits_insuffisants" "nor as a parameter (HTTP 200 droits_insuffisants)"
is "$(sql "SELECT balance FROM clients WHERE card = 'CAFE1'")" 10000 "the refused payments did not move the balance"
call client/ajouter "idCarte=K1CARD&solde=5" -H "$(auth ApiKey "$K1")"
is "$CODE $(st)" "200 ok" "but it opens an account (droit 1)"
is "$(sql "SELECT u.login FROM transactions t JOIN users u ON u.id = t.user_id JOIN clients c ON c.id = t.client_id WHERE c.card = 'K1CARD'")" prez "in the president's name"
call utilisateur/liste "jeton=$K1"
is "$(st)" droits_insuffisants "a droit-1 key of a president cannot list users"

read -r K2_ID K2 <<<"$(new_key "$B2" bar2-cle)"
KEYS+=("$K2")
call client/payer "jeton=$K2&idCarte=CAFE1&montant=1"
is "$(st) $(val .soldeNouveau)" "ok 99" "a droit-2 user's key pays"
call utilisateur/droit "jeton=$P&login=bar2&droit=1"
is "$(st)" ok "the president demotes its owner to 1"
call client/payer "jeton=$K2&idCarte=CAFE1&montant=1"
is "$(st)" droits_insuffisants "the same key is refused payer at once"
call client/payer "idCarte=CAFE1&montant=1" -H "$(auth Bearer "$K2")"
is "$CODE $(st)" "403 droits_insuffisants" "through the header too (403)"
get api/v1/me -H "$(auth Bearer "$K2")"
is "$(val .droit)" 1 "v1/me shows the key capped at the owner's new right"
call utilisateur/droit "jeton=$P&login=bar2&droit=2"
call client/payer "jeton=$K2&idCarte=CAFE1&montant=1"
is "$(st) $(val .soldeNouveau)" "ok 98" "promoted back, the key pays again"
call utilisateur/supprimer "jeton=$P&login=bar2"
is "$(st)" ok "the president deletes the owner"
call client/liste "jeton=$K2"
is "$(st) $(val .raison)" "jeton_invalide inconnu" "the key is dead at once"
call client/liste "" -H "$(auth Bearer "$K2")"
is "$CODE $(st)" "401 jeton_invalide" "and HTTP 401 through the header"
add_user "$P" bar2 bar2-secret-2 2
call client/liste "jeton=$K2"
is "$(st)" jeton_invalide "a new user with the same login does not revive it"

# --- portee: a key within its scopes ----------------------------------------
call client/ajouter "jeton=$P&idCarte=PORT1&solde=50"
call cle/creer "jeton=$B&nom=mur&droit=2&portee=flux"
is "$(st) $(val .portee) $(val .droit)" "ok flux 2" "a key made for a wall screen holds the flux scope alone"
KF=$(val .cle) KF_ID=$(val .id)
KEYS+=("$KF")
is "$(sql "SELECT scopes, droit FROM api_keys WHERE id = $KF_ID")" "16|2" "its row holds its scopes (16: flux) beside its right"
is "$(sql "SELECT json_extract(detail, '\$.portee') FROM journal WHERE event = 'cle' AND json_extract(detail, '\$.id') = $KF_ID")" \
	flux "the journal says what the key may do"
is "$(key_entry "$KF_ID" | jq -r .portee)" flux "cle/liste shows its portee"
bal=$(balance PORT1)
call client/payer "jeton=$KF&idCarte=PORT1&montant=1"
is "$CODE $(st)" "200 droits_insuffisants" "a flux key cannot pay (form credential: HTTP 200 droits_insuffisants)"
call client/payer "idCarte=PORT1&montant=1" -H "$(auth ApiKey "$KF")"
is "$CODE $(st) $(val .error.code)" "403 droits_insuffisants FORBIDDEN" "nor through the header: HTTP 403"
like "$(hdr WWW-Authenticate)" 'error="insufficient_scope", scope="caisse"' "insufficient_scope, naming caisse, as for an OAuth token"
call client/recharger "jeton=$KF&idCarte=PORT1&montant=500"
is "$(st)" droits_insuffisants "nor top up"
call client/vidange "jeton=$KF&idCarte=PORT1"
is "$(st)" droits_insuffisants "nor empty a card"
is "$(balance PORT1)" "$bal" "the balance did not move"
call client/liste "jeton=$KF"
is "$(st)" droits_insuffisants "nor read the accounts (lecture)"
call prix/liste "jeton=$KF"
is "$(st)" droits_insuffisants "nor even the price list"
get api/v1/me -H "$(auth ApiKey "$KF")"
is "$CODE $(val .login) $(val .droit) $(val .scope)" "200 bar 2 flux" "v1/me says who it is and what it may do"
call evenements/ticket "jeton=$KF"
is "$(st)" ok "it takes feed tickets"
is "$(val '.prix | type')" array "whose answer holds the price list, which the wall shows"
call cle/creer "jeton=$B&nom=lect&portee=lecture%2C+compte"
KL=$(val .cle)
KEYS+=("$KL")
is "$(st) $(val .portee)" "ok compte lecture" "a portee lists its scopes as words, whatever their order and separators"
call client/fiche "jeton=$KL&idCarte=PORT1"
is "$(st)" ok "a lecture key reads a fiche"
call client/payer "jeton=$KL&idCarte=PORT1&montant=1"
is "$(st)" droits_insuffisants "but does not pay"
call cle/creer "jeton=$B&nom=caisse&portee=caisse"
KK=$(val .cle)
KEYS+=("$KK")
call client/payer "jeton=$KK&idCarte=PORT1&montant=1"
is "$(st)" ok "a caisse key pays"
call client/liste "jeton=$KK"
is "$(st)" droits_insuffisants "but lists nothing"
call cle/creer "jeton=$E&nom=bde-caisse&portee=caisse&droit=1"
KE1=$(val .cle) KE1_ID=$(val .id)
KEYS+=("$KE1")
call client/payer "jeton=$KE1&idCarte=PORT1&montant=1"
is "$(st)" droits_insuffisants "a scope never lifts a key above its right"
call cle/supprimer "jeton=$E&id=$KE1_ID"
n=$(sql "SELECT count(*) FROM api_keys")
for bad in tout flux%2Cflux "lecture%2C%2Cflux" "lecture++flux" "+flux" "flux%2C" Flux "lecture%3Bflux"; do
	call cle/creer "jeton=$B&nom=x&portee=$bad"
	is "$(st) $(val .champ)" "requete_malforme portee" "portee=$bad is malformed, champ portee"
done
is "$(sql "SELECT count(*) FROM api_keys")" "$n" "and creates no key"
call cle/creer "jeton=$B&nom=vide&portee="
is "$(st) $(val .portee)" "ok compte lecture caisse admin flux" "an empty portee is absent: every scope"
KEYS+=("$(val .cle)")

cle_finish
