#!/usr/bin/env bash
# Area utilisateur: logging in by password or card, the session jeton's life
# (absent, unknown, logged out, sliding, expired), the failed-login limiter,
# and the president's administration of accounts, passwords, cards and
# rights, with the database rows and journal entries each write leaves behind.
# Three stacks: the main one, one with a low limiter, one with a 1 s session.
. "$(dirname "$0")/lib.sh"

# Several values of the reply in one jq run, space-separated (null as null).
# The number of journal rows for user administration.
jcount() { sql "SELECT count(*) FROM journal WHERE event = 'utilisateur'"; }
# jlast LOGIN: the last such row as "actor|cred_kind|1 if its detail names LOGIN".
jlast() {
	sql "SELECT u.login, j.cred_kind, j.detail LIKE '%\"$1\"%' FROM journal j
	     LEFT JOIN users u ON u.id = j.user_id
	     WHERE j.event = 'utilisateur' ORDER BY j.id DESC LIMIT 1"
}
# The upper-case hex SHA-256 of a string, as sqlite's hex() writes it.
# The number of sessions a live login holds.
sessions_of() {
	sql "SELECT count(*) FROM sessions WHERE user_id =
	     (SELECT id FROM users WHERE login = '$1' AND deleted_ms IS NULL)"
}
session_exists() { sql "SELECT count(*) FROM sessions WHERE hash = X'$(sha "$1")'"; }
pw_of() { sql "SELECT password FROM users WHERE login = '$1' AND deleted_ms IS NULL"; }
# How many times a text occurs in the live database files (main file and WAL).
in_db_files() { cat "$DB" "$DB-wal" 2>/dev/null | grep -ca -- "$1"; }
# Logins stop between their check and their transaction while $HOLD exists.
HOLD=$(mktemp -u /tmp/10p5-hold.XXXXXX)
start_stack TENP5_TEST_PAUSE="login:$HOLD"
P=$(admin_jeton)

# utilisateur/connexion by login and password
call utilisateur/connexion "login=prez&mdp=prez-secret-1"
is "$(st)" ok "the president logs in with login and password"
like "$HEADERS" $'(^|\n)[Cc]ontent-[Tt]ype: application/json; charset=utf-8(\r|$)' "the reply is JSON in UTF-8"
J=$(val .jeton)
like "$J" '^[0-9A-Za-z]{30}$' "the jeton is 30 characters of [0-9A-Za-z]"
is "$(jv '.login, .droit')" "prez 3" "the reply names the login and the session's right"
is "$(sql "SELECT typeof(hash), length(hash) FROM sessions WHERE hash = X'$(sha "$J")'")" "blob|32" \
	"the session row keeps the jeton's SHA-256 as a 32-byte blob"
is "$(in_db_files "$J")" 0 "the jeton's text appears nowhere in the database files"
ok "$([ "$(in_db_files prez)" -gt 0 ]; echo $?)" "while the same search does find the login there"
call utilisateur/connexion '{"login":"prez","mdp":"prez-secret-1"}' -H 'Content-Type: application/json'
is "$(jv '.status, (.jeton | length)')" "ok 30" "a JSON body logs in too"
call utilisateur/connexion "login=prez&mdp=wrong-secret"
is "$(st)" identifiants_invalides "a wrong password is identifiants_invalides"
is "$(val 'has("jeton")')" false "a refused login carries no jeton"
is "$(sql "SELECT group_concat(k, ' ') FROM (SELECT kind || ':' || fails AS k FROM limits WHERE login = 'prez' ORDER BY kind)")" \
	"1:1 2:1" "the failure counts against the login from this address, and the login's day"
call utilisateur/connexion "login=nobody&mdp=prez-secret-1"
is "$(st)" identifiants_invalides "an unknown login gets the same answer as a wrong password"
call utilisateur/connexion "login=prez&mdp=prez-secret-1"
is "$(st)" ok "the right password works after a failure"
is "$(sql "SELECT group_concat(k, ' ') FROM (SELECT kind || ':' || fails AS k FROM limits WHERE login = 'prez' ORDER BY kind)")" \
	"2:1" "a success clears the address's count and takes its own attempt back from the day's"
call utilisateur/connexion "login=prez&mdp=prez-secret-1&idCarte=CAFE0001"
is "$(st)" requete_malforme "login and idCarte together are malformed"
like "$(val .champ)" '^(login|mdp|idCarte)$' "champ names one of the clashing parameters"
call utilisateur/connexion "idCarte=CAFE0001&mdp=prez-secret-1"
is "$(st)" requete_malforme "idCarte with a password is malformed"
call utilisateur/connexion ""
is "$(jv '.status, .champ')" "requete_malforme login" "neither login nor idCarte is malformed, champ login"
call utilisateur/connexion "login=prez&idCarte="
is "$(jv '.status, .champ')" "requete_malforme mdp" "a login without a password (empty idCarte = absent) is malformed, champ mdp"

# jeton_invalide and its raison
call utilisateur/liste ""
is "$(jv '.status, .raison') $CODE" "jeton_invalide absent 200" "no jeton: jeton_invalide, raison absent, HTTP 200"
call utilisateur/liste "jeton="
is "$(jv '.status, .raison')" "jeton_invalide absent" "an empty jeton counts as absent"
call utilisateur/liste "jeton=AbCdEfGhIjKlMnOpQrStUvWxYz0123"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "a made-up 30-character jeton is inconnu"
call utilisateur/liste "jeton=abc"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "a jeton of the wrong length is inconnu"

# utilisateur/ajouter
j0=$(jcount)
call utilisateur/ajouter "jeton=$P&login=bar&mdp=bar-secret-1&droit=2&idCarte=BA120001"
is "$(st)" ok "a president adds a bar member with a card"
is "$(sql "SELECT droit, card, substr(password, 1, 4), deleted_ms IS NULL FROM users WHERE login = 'bar'")" \
	'2|BA120001|$s1$|1' "the row holds droit 2, the card and an scrypt MCF hash"
is "$(($(jcount) - j0))|$(jlast bar)" "1|prez|1|1" "the addition is journaled once, by prez's session, naming bar"
is "$(sql "SELECT j.cred_id = s.id FROM journal j, sessions s WHERE s.hash = X'$(sha "$P")'
	ORDER BY j.id DESC LIMIT 1")" 1 "the journal row names the very session that was used"
is "$(in_db_files bar-secret-1)" 0 "the password's text appears nowhere in the database files"
B=$(login bar bar-secret-1)
call utilisateur/ajouter "jeton=$P&login=pot&mdp=pot-secret-1"
is "$(st)" ok "a user may be added without droit"
is "$(sql "SELECT droit, card IS NULL FROM users WHERE login = 'pot'")" "0|1" \
	"the default droit is 0 (honeypot) and there is no card"
call utilisateur/ajouter "jeton=$P&login=bde&mdp=bde12345&droit=1&idCarte=BDE00001"
is "$(st)" ok "a password of exactly 8 characters is long enough"
call utilisateur/ajouter "jeton=$P&login=esp.a_ce-1&mdp=trois+mots+ici&droit=1"
is "$(st)" ok "a login may use . _ - and a password may hold spaces (+)"
call utilisateur/connexion "login=esp.a_ce-1&mdp=trois%20mots%20ici"
is "$(jv '.status, .droit')" "ok 1" "the password with spaces logs in, percent-encoded this time"
j0=$(jcount)
call utilisateur/ajouter "jeton=$P&login=bar&mdp=other-secret-1&droit=1"
is "$(st)" utilisateur_existant "a login already taken is utilisateur_existant"
is "$(sql "SELECT count(*), max(droit), max(card) FROM users WHERE login = 'bar'")" "1|2|BA120001" \
	"and the existing account is untouched"
call utilisateur/ajouter "jeton=$P&login=court&mdp=1234567"
is "$(st)" mdp_trop_court "a 7-character password is mdp_trop_court"
call utilisateur/ajouter "jeton=$P&login=court&mdp=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
is "$(st)" mdp_trop_court "seven accented letters (14 bytes) are 7 characters, still too short"
call utilisateur/ajouter "jeton=$P&login=court&mdp=court-secret-1&idCarte=BA120001"
is "$(st)" carte_utilisee "a card held by another user is carte_utilisee"
call utilisateur/ajouter "jeton=$P&login=court&mdp=court-secret-1&droit=4"
is "$(jv '.status, .champ')" "requete_malforme droit" "droit 4 is out of range: malformed, champ droit"
call utilisateur/ajouter "jeton=$P&login=court&mdp=court-secret-1&droit=-1"
is "$(jv '.status, .champ')" "requete_malforme droit" "droit -1 is out of range: malformed, champ droit"
call utilisateur/ajouter "jeton=$P&login=bad%20login%21&mdp=court-secret-1"
is "$(jv '.status, .champ')" "requete_malforme login" "a login with a space and ! is malformed, champ login"
call utilisateur/ajouter "jeton=$P&login=a234567890123456789012345678901&mdp=court-secret-1"
is "$(jv '.status, .champ')" "requete_malforme login" "a 31-character login is malformed, champ login"
call utilisateur/ajouter "jeton=$P&mdp=court-secret-1"
is "$(jv '.status, .champ')" "requete_malforme login" "a missing login is malformed, champ login"
call utilisateur/ajouter "jeton=$B&login=court&mdp=court-secret-1"
is "$(st)" droits_insuffisants "a bar member (droit 2) cannot add users"
is "$(sql "SELECT count(*) FROM users WHERE login NOT IN ('prez', 'bar', 'pot', 'bde', 'esp.a_ce-1')")" 0 \
	"refused additions leave no row"
is "$(($(jcount) - j0))" 0 "and no journal entry"

# idRequete on utilisateur/ajouter
j0=$(jcount)
call utilisateur/ajouter "jeton=$P&login=idem&mdp=idem-secret-1&droit=1&idRequete=ajout-idem-1"
first=$REPLY
is "$(st)" ok "an addition with an idRequete goes through"
call utilisateur/ajouter "jeton=$P&login=idem&mdp=idem-secret-1&droit=1&idRequete=ajout-idem-1"
is "$REPLY" "$first" "the same idRequete again answers exactly the first answer (not utilisateur_existant)"
is "$(sql "SELECT count(*) FROM users WHERE login = 'idem'")" 1 "and there is one idem row"
is "$(($(jcount) - j0))" 1 "and one journal entry"
call utilisateur/ajouter "jeton=$P&login=idem2&mdp=idem-secret-1&droit=1&idRequete=ajout-idem-1"
is "$(sql "SELECT count(*) FROM users WHERE login = 'idem2'")" 0 "the idRequete reused for another login changes nothing"

# utilisateur/connexion by card (cards set by utilisateur/carte or ajouter)
j0=$(jcount)
call utilisateur/carte "jeton=$P&login=prez&idCarte=CAFE0001"
is "$(st)" ok "the president sets their own card"
is "$(sql "SELECT card FROM users WHERE login = 'prez'")" CAFE0001 "the card is stored"
is "$(($(jcount) - j0))|$(jlast prez)" "1|prez|1|1" "the card change is journaled"
call utilisateur/connexion "idCarte=CAFE0001"
is "$(jv '.status, .login, .droit')" "ok prez 2" "a card login opens a session capped at droit 2, even for a president"
PC=$(val .jeton)
like "$PC" '^[0-9A-Za-z]{30}$' "the card session's jeton has the same shape"
is "$(sql "SELECT max_droit FROM sessions WHERE hash = X'$(sha "$PC")'")" 2 "the session row records the cap"
call utilisateur/liste "jeton=$PC"
is "$(st)" droits_insuffisants "president work needs the password: a card session cannot list users"
call utilisateur/connexion "idCarte=BDE00001"
is "$(jv '.status, .login, .droit')" "ok bde 1" "a card given by ajouter logs its user in, at their own lower right"
call utilisateur/connexion "idCarte=DEAD0000"
is "$(st)" carte_inconnue "an unknown card is carte_inconnue"
is "$(val 'has("jeton")')" false "with no jeton"
is "$(sql "SELECT fails FROM limits WHERE kind = 3 AND addr = '127.0.0.1'")" 1 \
	"the failure counts against the address's unknown cards"
call utilisateur/connexion "idCarte=bad-card"
is "$(jv '.status, .champ')" "requete_malforme idCarte" "a card id outside [A-Za-z0-9] is malformed"

# utilisateur/liste
call utilisateur/liste "jeton=$P"
is "$(st)" ok "a president lists the users"
is "$(val '[.utilisateurs[] | "\(.login):\(.droit):\(.idCarte)"] | sort | join(" ")')" \
	"bar:2:BA120001 bde:1:BDE00001 esp.a_ce-1:1:null idem:1:null pot:0:null prez:3:CAFE0001" \
	"the list gives every user's login, droit and idCarte (null without a card)"
is "$(val '[.utilisateurs[] | keys | join(",")] | unique | join(";")')" "droit,idCarte,login" \
	"each entry has exactly login, droit and idCarte"
call utilisateur/liste "jeton=$B"
is "$(st) $CODE" "droits_insuffisants 200" "a bar member (droit 2) cannot list users (HTTP 200)"

# utilisateur/carte
j0=$(jcount)
call utilisateur/carte "jeton=$B&login=bar&idCarte=BA120002"
is "$(st)" ok "a bar member changes their own card"
is "$(sql "SELECT card FROM users WHERE login = 'bar'")" BA120002 "the new card is stored"
is "$(($(jcount) - j0))|$(jlast bar)" "1|bar|1|1" "the change is journaled, by bar"
call utilisateur/connexion "idCarte=BA120001"
is "$(st)" carte_inconnue "the replaced card no longer logs in"
call utilisateur/connexion "idCarte=BA120002"
is "$(jv '.status, .login')" "ok bar" "the new one does"
call utilisateur/carte "jeton=$B&login=bar&idCarte=BA120002"
is "$(st)" ok "setting the card one already holds is fine"
j0=$(jcount)
call utilisateur/carte "jeton=$B&login=bar&idCarte=CAFE0001"
is "$(st)" carte_utilisee "taking the president's card is carte_utilisee"
is "$(sql "SELECT login, card FROM users WHERE card IN ('CAFE0001', 'BA120002') ORDER BY login")" \
	"$(printf 'bar|BA120002\nprez|CAFE0001')" "both cards stay where they were"
call utilisateur/carte "jeton=$B&login=bde&idCarte=BDE00002"
is "$(st)" droits_insuffisants "a bar member cannot set another user's card"
is "$(sql "SELECT card FROM users WHERE login = 'bde'")" BDE00001 "and bde's card is untouched"
call utilisateur/carte "jeton=$P&login=ghost&idCarte=0123ABCD"
is "$(st)" utilisateur_inconnu "a president setting an unknown user's card gets utilisateur_inconnu"
call utilisateur/carte "jeton=$P&login=bde&idCarte=BDE-2"
is "$(jv '.status, .champ')" "requete_malforme idCarte" "a malformed card is refused, champ idCarte"
is "$(($(jcount) - j0))" 0 "refused card changes leave no journal entry"
call utilisateur/carte "jeton=$P&login=bde&idCarte=BDE00002"
is "$(st)" ok "a president sets another user's card"
is "$(sql "SELECT card FROM users WHERE login = 'bde'")" BDE00002 "it is stored"
is "$(jlast bde)" "prez|1|1" "and journaled, by prez, naming bde"

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
reused=$(st)
BDE_MDP=bde-secret-3
call utilisateur/connexion "login=bde&mdp=bde-secret-4"
[ "$(st)" = ok ] && BDE_MDP=bde-secret-4
ok "$([ "$reused" != ok ] || [ "$BDE_MDP" = bde-secret-4 ]; echo $?)" \
	"the idRequete reused with another password is not answered ok unless that password was set"
[ "$reused" = ok ] && [ "$BDE_MDP" != bde-secret-4 ] && diag "answered ok, but bde-secret-4 does not log in"
call utilisateur/mdp "jeton=$P&login=bar&mdp=bar-secret-3"
is "$(st)" ok "a president resets another user's password"
is "$(sessions_of bar)" 0 "that ends every session of that user"
call utilisateur/fiche "jeton=$B&login=bar"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "including the one bar was using"
call utilisateur/liste "jeton=$P"
is "$(st)" ok "while the president's own session goes on"
is "$(jlast bar)" "prez|1|1" "the reset is journaled, by prez, naming bar"
B=$(login bar bar-secret-3)

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

# utilisateur/fiche: transactions made by the user
s=""
call client/ajouter "jeton=$B&idCarte=C11E0001&solde=20"; s+="$(st) "
call client/recharger "jeton=$B&idCarte=C11E0001&montant=10"; s+="$(st) "
call client/payer "jeton=$B&idCarte=C11E0001&montant=2.5"; s+="$(st) "
call client/payer "jeton=$P&idCarte=C11E0001&montant=1"; s+="$(st) "
call client/payer "jeton=$B&idCarte=C11E0001&montant=1,5"; s+="$(st)"
is "$s" "ok ok ok ok ok" "setup: bar opens a client, tops it up and takes two payments; prez takes one"
call utilisateur/fiche "jeton=$B&login=bar"
is "$(jv '.status, .login, .droit, .idCarte')" "ok bar 2 BA120002" "a bar member reads their own fiche"
is "$(val '[.transactions[].type] | join(",")')" "1,2,3,3" "it lists the four transactions bar made, oldest first, not prez's"
is "$(val '[.transactions[].montant] | join(",")')" "20,10,2.5,1.5" "with their amounts"
is "$(val '[.transactions[] | .utilisateur + ":" + .client] | unique | join(",")')" "bar:C11E0001" \
	"each names bar and the client"
is "$(val '[.transactions[].id] | . == sort')" true "ids ascend"
is "$(val '.transactions[0] | keys | join(",")')" "client,date,id,montant,qte,type,utilisateur,valide" \
	"each transaction has the SPEC's keys"
is "$(val 'has("suivant")')" false "an uncut list has no suivant"
all=$(val '[.transactions[].id] | join(",")')
call utilisateur/fiche "jeton=$B&login=bar&limite=2"
is "$(jv '(.transactions | length), .suivant == .transactions[1].id')" "2 true" \
	"limite=2 cuts the list and suivant is the last id given"
page1=$(val '[.transactions[].id] | join(",")')
call utilisateur/fiche "jeton=$B&login=bar&limite=2&apres=$(val .suivant)"
is "$page1,$(val '[.transactions[].id] | join(",")')" "$all" "apres=suivant gives the rest, in order"
is "$(val 'has("suivant")')" false "the last page has no suivant"
call utilisateur/fiche "jeton=$B&login=bar&apres=${all%%,*}"
is "$(val '[.transactions[].type] | join(",")')" "2,3,3" "apres without limite gives every later row"
call utilisateur/fiche "jeton=$B&login=bar&ordre=recent"
is "$(val '[.transactions[].id] | join(",")')" "$(tr ',' '\n' <<<"$all" | tac | paste -sd,)" \
	"ordre=recent lists them newest first"
is "$(pages utilisateur/fiche "jeton=$B&login=bar" 3 recent)" "$(tr ',' '\n' <<<"$all" | tac | paste -sd,)" \
	"limite, suivant and avant walk them newest first, each once"
is "$(pages utilisateur/fiche "jeton=$B&login=bar" 3 ancien)" "$all" "and apres oldest first"
call utilisateur/fiche "jeton=$B&login=bar&ordre=recent&avant=${all##*,}"
is "$(val '[.transactions[].type] | join(",")')" "3,2,1" "avant keeps the earlier rows"
call utilisateur/fiche "jeton=$B&login=bar&ordre=plusrecent"
is "$(jv '.status, .champ')" "requete_malforme ordre" "an unknown ordre is malformed"
call utilisateur/fiche "jeton=$B&login=bar&avant=x"
is "$(jv '.status, .champ')" "requete_malforme avant" "an avant that is no id is malformed"
call utilisateur/fiche "jeton=$B&login=bar&limite=0"
is "$(jv '.status, .champ')" "requete_malforme limite" "limite=0 is malformed"
call utilisateur/fiche "jeton=$B&login=prez"
is "$(st)" droits_insuffisants "a bar member cannot read another user's fiche"
call utilisateur/fiche "jeton=$P&login=bar"
is "$(jv '.status, (.transactions | length)')" "ok 4" "a president reads bar's fiche"
call utilisateur/fiche "jeton=$P&login=prez"
is "$(val '[.transactions[].montant] | join(",")')" "1" "and their own, with their one payment"
call utilisateur/fiche "jeton=$P&login=pot"
is "$(jv '.status, .droit, .idCarte, (.transactions | length)')" "ok 0 null 0" \
	"a fiche without card or history: idCarte null, no transactions"
call utilisateur/fiche "jeton=$P&login=ghost"
is "$(st)" utilisateur_inconnu "the fiche of an unknown login is utilisateur_inconnu"
call utilisateur/fiche "jeton=$E&login=bde"
is "$(jv '.status, .login, .droit')" "ok bde 1" "a BDE member (droit 1) reads their own fiche"

# utilisateur/droit
j0=$(jcount)
call utilisateur/droit "jeton=$P&login=prez&droit=2"
is "$(st)" dernier_president "the only president cannot be demoted"
is "$(sql "SELECT droit FROM users WHERE login = 'prez'")" 3 "prez is still droit 3"
call utilisateur/supprimer "jeton=$P&login=prez"
is "$(st)" dernier_president "nor deleted"
is "$(sql "SELECT deleted_ms IS NULL FROM users WHERE login = 'prez'")" 1 "prez still exists"
call utilisateur/droit "jeton=$P&login=ghost&droit=1"
is "$(st)" utilisateur_inconnu "changing an unknown user's right is utilisateur_inconnu"
call utilisateur/droit "jeton=$P&login=bde&droit=4"
is "$(jv '.status, .champ')" "requete_malforme droit" "droit 4 is malformed, champ droit"
call utilisateur/droit "jeton=$P&login=bde"
is "$(jv '.status, .champ')" "requete_malforme droit" "a missing droit is malformed, champ droit"
call utilisateur/droit "jeton=$B&login=bar&droit=3"
is "$(st)" droits_insuffisants "a bar member cannot promote themself"
is "$(sql "SELECT droit FROM users WHERE login = 'bar'")" 2 "bar is still droit 2"
is "$(($(jcount) - j0))" 0 "refused right changes leave no journal entry"
call client/liste "jeton=$E"
is "$(st)" droits_insuffisants "bde (droit 1) cannot list clients yet"
call utilisateur/droit "jeton=$P&login=bde&droit=2"
is "$(st)" ok "a president raises bde to droit 2"
is "$(sql "SELECT droit FROM users WHERE login = 'bde'")" 2 "the new right is stored"
is "$(($(jcount) - j0))|$(jlast bde)" "1|prez|1|1" "the change is journaled, by prez, naming bde"
call client/liste "jeton=$E"
is "$(st)" ok "bde's existing session gets the new right at once"
add_user "$P" vice vice-secret-1 2
call utilisateur/droit "jeton=$P&login=vice&droit=3"
is "$(st)" ok "a second president is made"
V=$(login vice vice-secret-1)
call utilisateur/liste "jeton=$V"
is "$(st)" ok "the new president lists users"
call utilisateur/droit "jeton=$P&login=vice&droit=2"
is "$(st)" ok "with two presidents, one can be demoted"
is "$(sql "SELECT droit FROM users WHERE login = 'vice'")" 2 "vice is droit 2 in the database"
call utilisateur/liste "jeton=$V"
is "$(st)" droits_insuffisants "the demoted president's existing session loses the right at once"
call utilisateur/droit "jeton=$P&login=prez&droit=2"
is "$(st)" dernier_president "prez is the last president again and cannot step down"

# utilisateur/supprimer
j0=$(jcount)
call utilisateur/supprimer "jeton=$P&login=ghost"
is "$(st)" utilisateur_inconnu "deleting an unknown login is utilisateur_inconnu"
call utilisateur/supprimer "jeton=$B&login=pot"
is "$(st)" droits_insuffisants "a bar member cannot delete users"
call utilisateur/supprimer "jeton=$P"
is "$(jv '.status, .champ')" "requete_malforme login" "a missing login is malformed, champ login"
is "$(sql "SELECT count(*) FROM users WHERE login = 'pot' AND deleted_ms IS NULL")|$(($(jcount) - j0))" "1|0" \
	"refused deletions change nothing and leave no journal entry"
B2=$(login bar bar-secret-3)
call utilisateur/supprimer "jeton=$P&login=bar"
is "$(st)" ok "a president deletes bar"
is "$(sql "SELECT count(*), max(deleted_ms IS NOT NULL) FROM users WHERE login = 'bar'")" "1|1" \
	"the row stays, marked deleted"
is "$(sql "SELECT count(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = 'bar')")" 0 \
	"its sessions are gone from the database"
is "$(($(jcount) - j0))|$(jlast bar)" "1|prez|1|1" "the deletion is journaled, by prez, naming bar"
call utilisateur/fiche "jeton=$B&login=bar"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "the deleted user's sessions stop working at once"
call client/liste "jeton=$B2"
is "$(st)" jeton_invalide "all of them"
call utilisateur/connexion "login=bar&mdp=bar-secret-3"
is "$(st)" identifiants_invalides "the deleted user can no longer log in"
call utilisateur/connexion "idCarte=BA120002"
is "$(st)" carte_inconnue "nor with their card"
call utilisateur/fiche "jeton=$P&login=bar"
is "$(st)" utilisateur_inconnu "the deleted user has no fiche"
call utilisateur/liste "jeton=$P"
is "$(val '[.utilisateurs[].login] | index("bar")')" null "nor a place in the list"
call client/fiche "jeton=$P&idCarte=C11E0001"
is "$(val '[.transactions[].utilisateur] | join(",")')" "bar,bar,bar,prez,bar" \
	"the deleted user's past transactions still show their login"
call utilisateur/ajouter "jeton=$P&login=bar&mdp=bar-secret-9&droit=1&idCarte=BA120002"
is "$(st)" ok "the login and its old card can be given to a new account"
is "$(sql "SELECT count(*), sum(deleted_ms IS NULL) FROM users WHERE login = 'bar'")" "2|1" \
	"beside the deleted row there is one live bar"
call utilisateur/fiche "jeton=$P&login=bar"
is "$(jv '.status, .droit, (.transactions | length)')" "ok 1 0" "the new bar starts with droit 1 and no history"
call utilisateur/connexion "login=bar&mdp=bar-secret-9"
is "$(jv '.status, .droit')" "ok 1" "and logs in with the new password"
call utilisateur/droit "jeton=$P&login=vice&droit=3"
call utilisateur/supprimer "jeton=$P&login=vice"
is "$(st)" ok "with two presidents, one can be deleted"

# droit 0: the honeypot
call utilisateur/connexion "login=pot&mdp=pot-secret-1"
is "$(jv '.status, .login, .droit')" "ok pot 0" "a honeypot account can log in"
O=$(val .jeton)
old=$(pw_of pot)
call utilisateur/mdp "jeton=$O&login=pot&mdp=pot-secret-2"
is "$(st)" droits_insuffisants "but cannot change its own password"
is "$(pw_of pot)" "$old" "its hash is unchanged"
call utilisateur/carte "jeton=$O&login=pot&idCarte=F00D0001"
is "$(st)" droits_insuffisants "nor set its own card"
call utilisateur/fiche "jeton=$O&login=pot"
is "$(st)" droits_insuffisants "nor read its own fiche"
call client/liste "jeton=$O"
is "$(st)" droits_insuffisants "nor list clients"
call utilisateur/liste "jeton=$O"
is "$(st)" droits_insuffisants "nor list users"

# utilisateur/deconnexion
D=$(login bde "$BDE_MDP")
call utilisateur/deconnexion "jeton=$D"
is "$(st)" ok "logging out answers ok"
is "$(session_exists "$D")" 0 "the session row is gone"
call utilisateur/fiche "jeton=$D&login=bde"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "the jeton no longer works"
call utilisateur/fiche "jeton=$E&login=bde"
is "$(st)" ok "the user's other session is untouched"
call utilisateur/deconnexion "jeton=$O"
is "$(st) $(session_exists "$O")" "ok 0" "even a honeypot may log out"
# Logging out is idempotent (SPEC §5): a client whose session lapsed must
# always be able to reset its screen.
call utilisateur/deconnexion ""
is "$(jv '.status, .raison')" "ok null" "logging out without a jeton answers ok"
call utilisateur/deconnexion "jeton=$D"
is "$(jv '.status, .raison')" "ok null" "logging out twice answers ok"
Z=$(login bde "$BDE_MDP")
sql "UPDATE sessions SET used_ms = used_ms - 3600000 WHERE hash = X'$(sha "$Z")'"
call client/liste "jeton=$Z"
is "$(jv '.status, .raison')" "jeton_invalide expire" "a session an hour idle has expired"
call utilisateur/deconnexion "jeton=$Z"
is "$(jv '.status, .raison')" "ok null" "logging out with the expired jeton answers ok"
call utilisateur/deconnexion "jeton=abc" -H "Authorization: Bearer 10p5_nothing"
is "$(st)" ok "even a malformed or doubled credential gets ok"

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

# The failed-login limiter (SPEC §5), with the test clock and several
# loopback addresses: 3 failures per login and address, 6 per login a day
# from everywhere, 4 unknown cards per address; eight workers so that
# simultaneous guesses really run side by side.
TENP5_ADDR_FAILS=4 next_stack TENP5_LOGIN_FAILS=3 TENP5_LOGIN_DAY_FAILS=6 TENP5_CARD_RIGHT=3 \
	POOL_UTILISATEUR=8
P=$(admin_jeton)
add_user "$P" lim lim-secret-1 2
add_user "$P" clr clr-secret-1 2
# from ADDR LOGIN MDP: a password login from 127.0.0.ADDR (with the cookie
# jar $JAR if set); fromst: the same, printing its status.
from() { call utilisateur/connexion "login=$2&mdp=$3" --interface "127.0.0.$1" ${JAR:+-b "$JAR" -c "$JAR"}; }
fromst() { from "$@"; st; }
s=""
for _ in 1 2 3; do s+="$(fromst 2 lim wrong-secret) "; done
is "$s" "identifiants_invalides identifiants_invalides identifiants_invalides " \
	"the first TENP5_LOGIN_FAILS (3) wrong passwords from an address are plain refusals"
from 2 lim wrong-secret
is "$(st)" trop_de_tentatives "the next attempt from that address is trop_de_tentatives"
is "$(jv '(.attente | type), .attente > 0 and .attente <= 300')" "number true" \
	"attente is a positive number of seconds, within the window"
from 2 lim lim-secret-1
is "$(st) $(jv 'has("jeton")')" "trop_de_tentatives false" \
	"even the right password is refused from that address"
is "$(sessions_of lim)" 0 "and no session was opened"
is "$(fromst 3 lim lim-secret-1)" ok "from another address the right password logs in: guesses elsewhere lock nobody"
is "$(fromst 2 clr clr-secret-1)" ok "and another login from the guessing address is not affected"
s=""
for m in wrong-1 wrong-2 clr-secret-1 wrong-3 wrong-4 clr-secret-1; do s+="$(fromst 4 clr "$m") "; done
is "$s" "identifiants_invalides identifiants_invalides ok identifiants_invalides identifiants_invalides ok " \
	"a success clears the count: 2 failures, success, 2 failures, success"
is "$(sql "SELECT count(*) FROM journal WHERE event = 'verrou' AND detail LIKE '%\"login\":\"lim\"%127.0.0.2%'")" 1 \
	"the lock-out of lim from 127.0.0.2 is journaled once"

# A president sees it and lifts it.
call utilisateur/verrous "jeton=$P"
is "$(st) $(val '[.verrous[] | select(.login == "lim") | "\(.type) \(.adresse) \(.echecs)"] | join(",")')" \
	"ok login_adresse 127.0.0.2 3" "utilisateur/verrous lists it: type, address, failures"
like "$(val '.verrous[0].jusqua')" '^[0-9]{13}$' "with when it ends (ms)"
V=$(val '[.verrous[] | select(.login == "lim")][0].id')
call utilisateur/deverrouiller "jeton=$P&id=$V"
is "$(st)" ok "utilisateur/deverrouiller lifts it"
is "$(fromst 2 lim lim-secret-1)" ok "then lim logs in from 127.0.0.2 again"
call utilisateur/deverrouiller "jeton=$P&id=$V"
is "$(st)" verrou_inconnu "a lock-out lifted twice is verrou_inconnu"
is "$(sql "SELECT count(*) FROM journal WHERE event = 'verrou' AND detail LIKE '%utilisateur/deverrouiller%'")" 1 \
	"lifting is journaled, with who lifted it"
call utilisateur/verrous "jeton=$(login lim lim-secret-1)"
is "$(st)" droits_insuffisants "a bar member cannot list lock-outs"

# Guesses from everywhere lock a login for a day, except where its user logged
# in before (a known address, or a browser's device cookie).
add_user "$P" day day-secret-1 2
JAR=$DATA/day.jar
is "$(fromst 10 day day-secret-1)" ok "day logs in from 127.0.0.10, with a browser (cookie jar)"
like "$(grep -o "10p5_appareil.*" "$JAR")" '^10p5_appareil	v2\.[0-9]+\.' "which keeps a signed device cookie"
unset JAR
for a in 21 22 23 24 25 26; do from "$a" day wrong-secret; done
is "$(fromst 27 day day-secret-1)" trop_de_tentatives \
	"after TENP5_LOGIN_DAY_FAILS (6) guesses from six addresses, the right password from a new address waits"
is "$(fromst 10 day day-secret-1)" ok "from the address where day logged in before, it works"
JAR=$DATA/day.jar
is "$(fromst 28 day day-secret-1)" ok "and so it does from a new address, with the browser's device cookie"
unset JAR
call utilisateur/carte "jeton=$P&login=day&idCarte=DAY00001"
call utilisateur/connexion "idCarte=DAY00001" --interface 127.0.0.30 -b "$DATA/card.jar" -c "$DATA/card.jar"
is "$(st)" ok "day logs in with a card from 127.0.0.30"
is "$(cat "$DATA/card.jar" 2>/dev/null | grep -c 10p5_appareil)" 0 \
	"and that browser gets no device cookie: a card identifies, it does not authenticate"
is "$(fromst 30 day day-secret-1)" trop_de_tentatives \
	"nor does that address become known for day's password: it waits like any new one"
call utilisateur/connexion "idCarte=DAY00001" --interface 127.0.0.30
is "$(st)" ok "(the card still logs in from there)"
clock_forward 86401
is "$(fromst 29 day day-secret-1)" ok "a day later, from anywhere"
P=$(admin_jeton) # the president's session did not live through the day

# Cards: guessing them locks the address for cards, not its staff.
call utilisateur/carte "jeton=$P&login=clr&idCarte=CAFE0001"
is "$(st)" ok "clr gets a card"
call utilisateur/connexion "idCarte=CAFE0001" --interface 127.0.0.5
is "$(st)" ok "and logs in with it from 127.0.0.5"
s=""
for i in 1 2 3 4 5; do
	call utilisateur/connexion "idCarte=BAD0000$i" --interface 127.0.0.5
	s+="$(st) "
done
is "$s" "carte_inconnue carte_inconnue carte_inconnue carte_inconnue trop_de_tentatives " \
	"unknown cards from one address: TENP5_ADDR_FAILS (4) refusals, then trop_de_tentatives"
call utilisateur/connexion "idCarte=CAFE0001" --interface 127.0.0.5
is "$(st)" ok "a staff card that logged in from that address before still does"
is "$(fromst 5 lim lim-secret-1)" ok "and a password login from it is not stopped"
call utilisateur/connexion "idCarte=CAFE0002" --interface 127.0.0.5
is "$(st)" trop_de_tentatives "while another card, never used from there, waits"

out=$(for i in 1 2 3 4 5 6 7 8; do echo "utilisateur/connexion login=clr&mdp=guess-$i"; done | storm 8)
is "$(grep -cE '"status":"(identifiants_invalides|trop_de_tentatives)"' <<<"$out")" 8 \
	"8 simultaneous wrong guesses are all refused"
n=$(grep -c '"identifiants_invalides"' <<<"$out")
ok "$([ "$n" -le 3 ]; echo $?)" "but at most TENP5_LOGIN_FAILS (3) of them are judged, the rest are trop_de_tentatives"
[ "$n" -le 3 ] || diag "$n guesses were answered identifiants_invalides"
clock_forward 301
call utilisateur/connexion "login=clr&mdp=clr-secret-1"
is "$(st)" ok "once the window has passed, attempts are judged again"

# Sessions live TENP5_SESSION_TTL (300 s) after their last use, sliding; a
# card session may keep droit 3 when configured.
call utilisateur/connexion "idCarte=CAFE0001"
is "$(jv '.status, .droit')" "ok 2" "clr's card session carries clr's droit 2"
call utilisateur/carte "jeton=$P&login=prez&idCarte=CAFE0003"
call utilisateur/connexion "idCarte=CAFE0003"
is "$(jv '.status, .droit')" "ok 3" "with TENP5_CARD_RIGHT=3, a president's card session carries droit 3"
call utilisateur/liste "jeton=$(val .jeton)"
is "$(st)" ok "and may list users"
S=$(login prez prez-secret-1)
X=$(login prez prez-secret-1)
s=""
for _ in 1 2 3 4 5 6; do
	clock_forward 200
	call utilisateur/liste "jeton=$S"
	s+="$(st) "
done
is "$s" "ok ok ok ok ok ok " "a session used every 200 s outlives its 300 s lifetime (sliding)"
is "$(sql "SELECT used_ms - created_ms >= 1000000 FROM sessions WHERE hash = X'$(sha "$S")'")" 1 \
	"its last use is recorded in the database"
call utilisateur/liste "jeton=$X"
is "$(jv '.status, .raison') $CODE" "jeton_invalide expire 200" "a session left idle for 1200 s is jeton_invalide expire"
call utilisateur/liste "jeton=$X"
is "$(jv '.status, .raison')" "jeton_invalide expire" "trying it does not revive it"

finish
