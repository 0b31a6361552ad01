#!/usr/bin/env bash
# Passwords (doc/api.md#sessions): utilisateur/mdp on one's own account and
# by a president, with its refusals and idRequete; what a change ends
# (revoque: sessions, API keys, OAuth grants); a change racing a login's
# check of the old password; a prank on the bar's shared address; and a card
# session, which cannot choose a password.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/utilisateur_lib.sh"

# Logins stop between their check and their transaction while $HOLD exists.
HOLD=$(mktemp -u /tmp/10p5-hold.XXXXXX)
start_stack TENP5_TEST_PAUSE="login:$HOLD"
P=$(admin_jeton)
add_user "$P" bar bar-secret-1 2
add_user "$P" bde bde12345 1
call utilisateur/carte "jeton=$P&login=prez&idCarte=CAFE0001"
is "$(st)" ok "setup: the president holds card CAFE0001"
B=$(login bar bar-secret-1)

# utilisateur/mdp
B2=$(login bar bar-secret-1)
old=$(pw_of bar)
j0=$(jcount)
call utilisateur/mdp "jeton=$B&login=bar&mdp=bar-secret-2"
is "$(st)" ok "a bar member (droit 2) changes their own password"
new=$(pw_of bar)
ok "$([ "$new" != "$old" ] && [ "${new:0:4}" = '$s1$' ]; echo $?)" "the stored hash changes and is an scrypt MCF string"
is "$(($(jcount) - j0))|$(jlast bar)" "1|bar|1|1" "the change is journaled"
is "$(in_db_files bar-secret-2)" 0 "the new password's text appears nowhere in the database files"
call utilisateur/fiche "jeton=$B2&login=bar"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "the user's other session has ended"
call utilisateur/fiche "jeton=$B&login=bar"
is "$(st)" ok "the session that changed the password goes on"
is "$(sessions_of bar)" 1 "bar has one session left in the database"
call utilisateur/connexion "login=bar&mdp=bar-secret-1"
is "$(st)" identifiants_invalides "the old password no longer works"
call utilisateur/connexion "login=bar&mdp=bar-secret-2"
is "$(st)" ok "the new one does"
call utilisateur/mdp "jeton=$B&login=bar&mdp=short77"
is "$(st)" mdp_trop_court "a 7-character new password is mdp_trop_court"
is "$(pw_of bar)" "$new" "and the hash is unchanged"
old=$(pw_of prez)
j0=$(jcount)
call utilisateur/mdp "jeton=$B&login=prez&mdp=hijacked-1"
is "$(st)" droits_insuffisants "a bar member cannot change another user's password"
is "$(pw_of prez)" "$old" "the president's hash is unchanged"
call utilisateur/mdp "jeton=$B&login=ghost&mdp=whatever-12"
is "$(st)" droits_insuffisants "below 3, an unknown login is droits_insuffisants (nothing learned)"
call utilisateur/mdp "jeton=$P&login=ghost&mdp=whatever-12"
is "$(st)" utilisateur_inconnu "a president naming an unknown login gets utilisateur_inconnu"
call utilisateur/mdp "jeton=$P&login=bar"
is "$(jv '.status, .champ')" "requete_malforme mdp" "a missing mdp is malformed, champ mdp"
is "$(($(jcount) - j0))" 0 "refused password changes leave no journal entry"
E=$(login bde bde12345)
call utilisateur/mdp "jeton=$E&login=bde&mdp=bde-secret-2"
is "$(st)" ok "a BDE member (droit 1) changes their own password"
call utilisateur/connexion "login=bde&mdp=bde-secret-2"
is "$(jv '.status, .login')" "ok bde" "and logs in with it"
j0=$(jcount)
call utilisateur/mdp "jeton=$E&login=bde&mdp=bde-secret-3&idRequete=mdp-bde-1"
first=$REPLY
call utilisateur/mdp "jeton=$E&login=bde&mdp=bde-secret-3&idRequete=mdp-bde-1"
is "$(st)|$REPLY" "ok|$first" "a password change repeated with its idRequete answers the first answer"
is "$(($(jcount) - j0))" 1 "and is applied and journaled once"
call utilisateur/mdp "jeton=$E&login=bde&mdp=bde-secret-4&idRequete=mdp-bde-1"
is "$(jv '.status, .champ')" "requete_malforme idRequete" \
	"the idRequete reused with another password is malformed, champ idRequete"
call utilisateur/connexion "login=bde&mdp=bde-secret-4"
is "$(st)" identifiants_invalides "and that password was not set"
call utilisateur/mdp "jeton=$P&login=bar&mdp=bar-secret-3"
is "$(st)" ok "a president resets another user's password"
is "$(sessions_of bar)" 0 "that ends every session of that user"
call utilisateur/fiche "jeton=$B&login=bar"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "including the one bar was using"
call utilisateur/liste "jeton=$P"
is "$(st)" ok "while the president's own session goes on"
is "$(jlast bar)" "prez|1|1" "the reset is journaled, by prez, naming bar"
B=$(login bar bar-secret-3)

# A password reset closes the doors a thief may have opened with the old one.
# A president's reset of another user ends all their sessions, API keys and
# OAuth grants (tokens, and codes not yet exchanged); the answer and the
# journal say how many of each still worked.
add_user "$P" vole vole-secret-1 2
V1=$(login vole vole-secret-1)
V2=$(login vole vole-secret-1)
call cle/creer "jeton=$V1&nom=volee"
KV=$(val .cle)
read -r cid cs code <<<"$(oauth_code "$P" lecture vole vole-secret-1)"
grant=$(oauth_exchange "$cid" "$cs" "$code")
AT=$(jq -r .access_token <<<"$grant") RT=$(jq -r .refresh_token <<<"$grant")
read -r cid2 cs2 code2 <<<"$(oauth_code "$P" caisse vole vole-secret-1)"
call client/liste "" -H "Authorization: Bearer $AT"
is "$(st)" ok "setup: vole's OAuth token works before the reset"
call utilisateur/mdp "jeton=$P&login=vole&mdp=vole-secret-2"
is "$(st) $(jq -c .revoque <<<"$REPLY")" 'ok {"sessions":2,"cles":1,"oauth":2}' \
	"a president's reset answers what it ended: 2 sessions, 1 key, 2 OAuth grants (a token, a code)"
call client/liste "jeton=$V1"
is "$(st) $(val .raison)" "jeton_invalide inconnu" "the user's sessions are over"
call client/liste "jeton=$KV"
is "$(st) $(val .raison)" "jeton_invalide inconnu" "the key made with the old password is revoked"
is "$(sql "SELECT count(*) FROM api_keys WHERE user_id = (SELECT id FROM users WHERE login = 'vole')")" 0 \
	"and gone from the database"
call client/liste "" -H "Authorization: Bearer $AT"
is "$CODE $(st)" "401 jeton_invalide" "the OAuth access token is revoked"
is "$(curl -s -u "$cid:$cs" "$URL/oauth/token" -d "grant_type=refresh_token&refresh_token=$RT" | jq -r .error)" \
	invalid_grant "its refresh token too"
is "$(oauth_exchange "$cid2" "$cs2" "$code2" | jq -r .error)" invalid_grant \
	"and a code not yet exchanged no longer gives tokens"
is "$(sql "SELECT count(*) FROM oauth_tokens WHERE revoked_ms IS NULL AND user_id = (SELECT id FROM users WHERE login = 'vole')")" 0 \
	"no token of the user is left unrevoked"
is "$(sql "SELECT json_extract(detail, '\$.revoque') FROM journal WHERE event = 'utilisateur' ORDER BY id DESC LIMIT 1")" \
	'{"sessions":2,"cles":1,"oauth":2}' "the journal says what the reset ended"
call client/liste "jeton=$(login vole vole-secret-2)"
is "$(st)" ok "the user logs in again with the new password"

# One's own change ends one's other sessions and one's OAuth grants; one's
# keys stay, and so does the session that made the change.
add_user "$P" soi soi-secret-1 2
S1=$(login soi soi-secret-1)
S2=$(login soi soi-secret-1)
call cle/creer "jeton=$S1&nom=mienne"
KS=$(val .cle)
AT2=$(oauth_token "$P" lecture soi soi-secret-1)
call utilisateur/mdp "jeton=$S1&login=soi&mdp=soi-secret-2"
is "$(st) $(jq -c .revoque <<<"$REPLY")" 'ok {"sessions":1,"cles":0,"oauth":1}' \
	"one's own change answers what it ended: the other session, the OAuth grant, no key"
call client/liste "jeton=$S2"
is "$(st) $(val .raison)" "jeton_invalide inconnu" "the other session is over"
call client/liste "" -H "Authorization: Bearer $AT2"
is "$CODE $(st)" "401 jeton_invalide" "the OAuth token is revoked"
call client/liste "jeton=$KS"
is "$(st)" ok "one's own key goes on"
call client/liste "jeton=$S1"
is "$(st)" ok "as does the session that changed the password"

# A password changed between a login's check of the old one and its
# transaction: the old password opens no session (the check is confirmed
# inside the transaction).
add_user "$P" chg chg-secret-1 2
C=$(login chg chg-secret-1)
: >"$HOLD"
curl -s --data-binary "login=chg&mdp=chg-secret-1" "$URL/api/utilisateur/connexion" >"$DATA/held.out" &
pid=$!
held "$HOLD" || diag "the login never reached its hold"
call utilisateur/mdp "jeton=$C&login=chg&mdp=chg-secret-2"
changed=$(st)
rm -f "$HOLD"
wait "$pid"
is "$changed $(jq -r '.status, has("jeton")' "$DATA/held.out" | xargs)" "ok identifiants_invalides false" \
	"a login with the old password, judged before a password change and confirmed after it, is refused"
is "$(sessions_of chg)" 1 "and opened no session (the one that changed the password remains)"

# A prank on the bar's shared address: five wrong passwords for a barman, who
# has no device cookie (the Android app), cost him seconds, not minutes: with
# the default settings five are answered at once, then the wait is 2 s.
add_user "$P" bar2 bar2-secret-1 2
s=""
for i in 1 2 3 4 5; do
	call utilisateur/connexion "login=bar2&mdp=farce-$i" --interface 127.0.0.40
	s+="$(st) "
done
is "$s" "$(printf 'identifiants_invalides %.0s' 1 2 3 4 5)" "five wrong passwords for bar2 from the bar's address"
clock_forward 10
call utilisateur/connexion "login=bar2&mdp=bar2-secret-1" --interface 127.0.0.40
is "$(st)" ok "and 10 s later, bar2's right password gets in from there"

# A card identifies, it does not authenticate: a card session (capped at 2)
# must not become a password session of droit 3 by choosing a new password.
old=$(pw_of prez)
call utilisateur/connexion "idCarte=CAFE0001"
C=$(val .jeton)
call utilisateur/mdp "jeton=$C&login=prez&mdp=cloned-card-1"
answer=$(st)
[ "$(pw_of prez)" = "$old" ] && hash=unchanged || hash=changed
call utilisateur/connexion "login=prez&mdp=cloned-card-1"
is "$hash $(jv '.status, .droit')" "unchanged identifiants_invalides null" \
	"a card session cannot set the president's password and so gain droit 3"
[ "$hash" = unchanged ] || diag "utilisateur/mdp on self from prez's card session answered $answer"

ledger_ok
ok $? "the ledger invariant holds"

finish
