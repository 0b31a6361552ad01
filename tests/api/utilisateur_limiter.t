#!/usr/bin/env bash
# The failed-login limiter (doc/api.md#logins) and the sessions' lifetime
# (doc/api.md#sessions), with the test clock and several loopback addresses:
# 3 failures per login and address answered at once, then waits of 120 s
# doubling (long, so that real time passing between two requests of a busy
# machine never ends one), 6 per login a day from everywhere, 4 unknown cards
# per address; eight workers so that simultaneous guesses really run side by
# side. Sessions live TENP5_SESSION_TTL (300 s) after their last use, sliding.
. "$(dirname "$0")/lib.sh"

TENP5_ADDR_FAILS=4 start_stack TENP5_LOGIN_FAILS=3 TENP5_LOGIN_DELAY=120 TENP5_LOGIN_DAY_FAILS=6 \
	TENP5_CARD_RIGHT=3 POOL_UTILISATEUR=8
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
is "$(jv '(.attente | type), .attente > 100 and .attente <= 120')" "number true" \
	"attente is the seconds left of TENP5_LOGIN_DELAY (120)"
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

# Each wrong password past the first three doubles the wait; the staff card
# stays apart from it.
add_user "$P" dbl dbl-secret-1 2
call utilisateur/carte "jeton=$P&login=dbl&idCarte=DB100001"
for i in 1 2 3; do from 6 dbl "wrong-$i"; done
clock_forward 120
is "$(fromst 6 dbl wrong-4)" identifiants_invalides "once the wait is over, the next guess is checked"
from 6 dbl dbl-secret-1
is "$(jv '.status, .attente > 200 and .attente <= 240')" "trop_de_tentatives true" \
	"and, wrong, it doubles the wait (240 s)"
call utilisateur/verrous "jeton=$P"
is "$(val "[.verrous[] | select(.login == \"dbl\") | \"\(.echecs) \(.jusqua - $(sql "SELECT first_ms FROM limits WHERE login = 'dbl' AND kind = 1"))\"] | join(\",\")")" \
	"4 240000" "utilisateur/verrous lists it: 4 failures, waiting 240 s from the last"
call utilisateur/connexion "idCarte=DB100001" --interface 127.0.0.6
is "$(jv '.status, .login')" "ok dbl" "meanwhile dbl's card logs in from that address at once"

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
is "$(st)" ok "once the wait has passed, attempts are judged again"
# The president's session outlives 301 s idle only by its touch margin (15 s),
# which the guesses above may have taken on a loaded machine.
P=$(admin_jeton)

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
