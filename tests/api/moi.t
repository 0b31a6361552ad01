#!/usr/bin/env bash
# Area moi, the card holder's side: logging in with the card and its holder
# code, the holder session (its own card only, 15 minutes sliding), blocking
# a lost card, logging out; wrong codes under the staff logins' limiter, the
# holder's own browser never locked out by others' guesses.
. "$(dirname "$0")/lib.sh"
# 3 wrong codes per card and address answered at once, then waits of 120 s;
# 6 per card a day from everywhere.
start_stack TENP5_LOGIN_FAILS=3 TENP5_LOGIN_DELAY=120 TENP5_LOGIN_DAY_FAILS=6
P=$(admin_jeton)
add_user "$P" bar bar-secret-1 2
B=$(login bar bar-secret-1)
call client/ajouter "jeton=$B&idCarte=HOLD1&solde=20"
call client/payer "jeton=$B&idCarte=HOLD1&montant=2"
call client/payer "jeton=$B&idCarte=HOLD1&montant=3"
call client/ajouter "jeton=$B&idCarte=HOLD2&solde=10"

# from ADDR CARD CODE: a holder's login from 127.0.0.ADDR (with the cookie jar
# $JAR if set); fromst: the same, printing its status.
from() { call moi/connexion "idCarte=$2&code=$3" --interface "127.0.0.$1" ${JAR:+-b "$JAR" -c "$JAR"}; }
fromst() { from "$@"; st; }

is "$(fromst 1 HOLD1 ABCD-EFGH-JKMN)" identifiants_invalides "a card without a holder code opens nothing"
call client/code "jeton=$B&idCarte=HOLD1"
C1=$(val .codeClient)
call client/code "jeton=$B&idCarte=HOLD2"
C2=$(val .codeClient)
bare=${C1//-/}
typed="${bare:0:3}+${bare:3:6}-${bare:9}" # + is a space in a form
JAR=$DATA/holder.jar
from 1 HOLD1 "${typed,,}"
is "$(st) $(val .idCarte)" "ok HOLD1" "the code logs in typed in lowercase, with spaces and dashes anywhere"
H=$(val .jeton)
like "$H" '^10p5ts_' "the holder's jeton is a holder session's"
like "$HEADERS" 'Set-Cookie: 10p5_titulaire=h1\.' "the holder's browser gets its own device cookie"
is "$(sql "SELECT count(*) FROM holder_sessions WHERE client_id = (SELECT id FROM clients WHERE card = 'HOLD1')")" 1 \
	"a holder session is recorded for the card"
unset JAR
counted=$(sql "SELECT coalesce(sum(fails), 0) FROM limits WHERE login = 'carte:HOLD1'")
from 1 HOLD1 "O${bare:1}"
is "$(st) $(val .champ)" "requete_malforme code" "a code with a character outside the alphabet is malformed"
is "$(sql "SELECT coalesce(sum(fails), 0) FROM limits WHERE login = 'carte:HOLD1'")" "$counted" "and is not counted as a guess"
is "$(fromst 1 HOLD1 "$C2")" identifiants_invalides "another card's code does not open this card"
is "$(sql "SELECT fails FROM limits WHERE login = 'carte:HOLD1' AND kind = 1")" 1 "a wrong code is counted against the card and address"

# moi/fiche
call moi/fiche "jeton=$H"
is "$(st) $(val .idCarte) $(val .solde) $(val .bloquee)" "ok HOLD1 15 false" "the holder sees the card's balance"
is "$(val '[.transactions[] | "\(.type):\(.montant):\(.utilisateur)"] | join(" ")')" "1:20:null 3:2:null 3:3:null" \
	"and its history, without the staff's names"
call moi/fiche "jeton=$H&limite=2&ordre=recent"
is "$(val '[.transactions[].montant] | join(" ")') $(val 'has("suivant")')" "3 2 true" "the history comes in pages, newest first"
is "$(pages moi/fiche "jeton=$H" 1 ancien)" "$(sql "SELECT group_concat(id) FROM (SELECT t.id FROM transactions t
	JOIN clients c ON c.id = t.client_id WHERE c.card = 'HOLD1' ORDER BY t.id)")" "page after page, the whole history"
call moi/fiche "jeton=$B"
is "$(st)" droits_insuffisants "a staff session cannot use the holder's side"
call client/fiche "jeton=$H&idCarte=HOLD2"
is "$(st)" droits_insuffisants "a holder session cannot read another card"
call client/fiche "jeton=$H&idCarte=HOLD1"
is "$(st)" droits_insuffisants "nor its own through the staff's side"
call client/payer "jeton=$H&idCarte=HOLD2&montant=1"
is "$(st) $(balance HOLD2)" "droits_insuffisants 1000" "nor pay with any card"

# moi/bloquer
call moi/bloquer "jeton=$H"
is "$(st) $(val .idCarte) $(val .bloquee)" "ok HOLD1 true" "the holder blocks the lost card"
is "$(sql "SELECT blocked FROM clients WHERE card = 'HOLD1'")" 1 "the card is blocked in the database"
is "$(sql "SELECT coalesce(user_id, 'none') || ' ' || cred_kind || ' ' || (cred_id = (SELECT max(id) FROM holder_sessions))
	|| ' ' || json_extract(detail, '$.requete') FROM journal WHERE event = 'client' ORDER BY id DESC LIMIT 1")" \
	"none 4 1 moi/bloquer" "the block is journaled with the holder session as its credential"
call client/payer "jeton=$B&idCarte=HOLD1&montant=1"
is "$(st)" carte_bloquee "then the till refuses the card"
call moi/fiche "jeton=$H"
is "$(st) $(val .bloquee)" "ok true" "and the holder sees it blocked"

# The account moves to a new card: the session follows it.
call client/remplacer "jeton=$B&idCarte=HOLD1&nouvelleCarte=HOLD1B"
call moi/fiche "jeton=$H"
is "$(st) $(val .idCarte) $(val .bloquee) $(val .solde)" "ok HOLD1B false 15" "after a replacement the holder sees the new card"
is "$(fromst 7 HOLD1B "$C1")" ok "the code moved with the account to the new card"
is "$(fromst 7 HOLD1 "$C1")" identifiants_invalides "and no longer opens the old card"

# Sessions end: a new code, a logout, fifteen minutes unused.
call client/code "jeton=$B&idCarte=HOLD1B"
C1=$(val .codeClient)
call moi/fiche "jeton=$H"
is "$(st) $(val .raison)" "jeton_invalide inconnu" "a new code ends the holder's sessions"
H=$(from 7 HOLD1B "$C1"; val .jeton)
call moi/deconnexion "jeton=$H"
is "$(st)" ok "the holder logs out"
call moi/fiche "jeton=$H"
is "$(st)" jeton_invalide "and the session is over"
call moi/deconnexion "jeton=$H"
is "$(st)" ok "logging out again still answers ok"
H=$(from 7 HOLD1B "$C1"; val .jeton)
clock_forward $((14 * 60))
call moi/fiche "jeton=$H"
is "$(st)" ok "a holder session used within 15 minutes lives on"
clock_forward $((16 * 60))
call moi/fiche "jeton=$H"
is "$(st) $(val .raison)" "jeton_invalide expire" "15 minutes unused end it"

# The limiter. HOLD2's holder logged in from this browser before.
JAR=$DATA/holder2.jar
is "$(fromst 9 HOLD2 "$C2")" ok "HOLD2's holder logs in from their phone"
unset JAR
s=""
for _ in 1 2 3; do s+="$(fromst 2 HOLD2 AAAA-BBBB-CCCC) "; done
is "$s" "identifiants_invalides identifiants_invalides identifiants_invalides " \
	"the first 3 wrong codes from an address are plain refusals"
from 2 HOLD2 "$C2"
is "$(st) $(jv 'has("jeton")')" "trop_de_tentatives false" "then even the right code waits there"
is "$(fromst 3 HOLD1B "$C1")" ok "while another card logs in from another address"
is "$(fromst 2 HOLD1B "$C1")" ok "and from the guessing address too: one card's guesses lock no other card"
for a in 4 5 6 7; do from "$a" HOLD2 DDDD-EEEE-FFFF; done
is "$(fromst 8 HOLD2 "$C2")" trop_de_tentatives "past 6 wrong codes a day from everywhere, the card waits at new places"
JAR=$DATA/holder2.jar
from 2 HOLD2 "$C2"
is "$(st) $(jv 'has("jeton")')" "ok true" \
	"but the holder's own browser logs in at once, even from the guessing address"
unset JAR
is "$(sql "SELECT count(*) FROM journal WHERE event = 'verrou' AND detail LIKE '%carte:HOLD2%'")" 2 \
	"the lock-outs are journaled, for the desk's list"

ledger_ok
ok $? "the ledger invariant holds"
finish
