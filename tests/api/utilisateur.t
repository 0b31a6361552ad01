#!/usr/bin/env bash
# Area utilisateur: logging in by password or card, the session jeton's life
# (absent, unknown, logged out, expired), and the president's administration
# of accounts, cards and rights, with the database rows and journal entries
# each write leaves behind. Passwords are in utilisateur_mdp.t, the limiter's
# rules and sessions sliding in utilisateur_limiter.t.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/utilisateur_lib.sh"

# session_exists JETON: 1 while its session row exists.
session_exists() { sql "SELECT count(*) FROM sessions WHERE hash = X'$(sha "$1")'"; }
start_stack
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
is "$(val .champ)" idCarte "champ names the card, the one to drop"
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

# utilisateur/fiche: transactions made by the user
E=$(login bde bde12345)
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
is "$(val '.transactions[0] | keys | join(",")')" "client,date,id,montant,moyen,qte,service,type,utilisateur,valide" \
	"each transaction has the documented keys"
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
B2=$(login bar bar-secret-1)
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
D=$(login bde bde12345)
call utilisateur/deconnexion "jeton=$D"
is "$(st)" ok "logging out answers ok"
is "$(session_exists "$D")" 0 "the session row is gone"
call utilisateur/fiche "jeton=$D&login=bde"
is "$(jv '.status, .raison')" "jeton_invalide inconnu" "the jeton no longer works"
call utilisateur/fiche "jeton=$E&login=bde"
is "$(st)" ok "the user's other session is untouched"
call utilisateur/deconnexion "jeton=$O"
is "$(st) $(session_exists "$O")" "ok 0" "even a honeypot may log out"
# Logging out is idempotent (doc/api.md#sessions): a client whose session lapsed must
# always be able to reset its screen.
call utilisateur/deconnexion ""
is "$(jv '.status, .raison')" "ok null" "logging out without a jeton answers ok"
call utilisateur/deconnexion "jeton=$D"
is "$(jv '.status, .raison')" "ok null" "logging out twice answers ok"
Z=$(login bde bde12345)
sql "UPDATE sessions SET used_ms = used_ms - 3600000 WHERE hash = X'$(sha "$Z")'"
call client/liste "jeton=$Z"
is "$(jv '.status, .raison')" "jeton_invalide expire" "a session an hour idle has expired"
call utilisateur/deconnexion "jeton=$Z"
is "$(jv '.status, .raison')" "ok null" "logging out with the expired jeton answers ok"
call utilisateur/deconnexion "jeton=abc" -H "Authorization: Bearer 10p5_nothing"
is "$(st)" ok "even a malformed or doubled credential gets ok"

ledger_ok
ok $? "the ledger invariant holds"

finish
