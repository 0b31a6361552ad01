#!/usr/bin/env bash
# Double submits: a phone that retries with the same idRequete is charged once
# and hears the first answer again, byte for byte.
. "$(dirname "$0")/lib.sh"
start_stack
P=$(admin_jeton)
add_user "$P" till till-secret-1 2
add_user "$P" till2 till-secret-2 2
T=$(login till till-secret-1)
T2=$(login till2 till-secret-2)
call client/ajouter "jeton=$P&idCarte=IDEM1&solde=20"

rid=3f2c8a1e-7b4d-4c55-9a1e-0c6f2b9d1a77
call client/payer "jeton=$T&idCarte=IDEM1&montant=2.5&idRequete=$rid"
first=$REPLY
is "$(st) $(val .soldeNouveau)" "ok 17.5" "the first payment goes through"
call client/payer "jeton=$T&idCarte=IDEM1&montant=2.5&idRequete=$rid"
is "$REPLY" "$first" "the same idRequete answers exactly the same"
is "$(sql "SELECT balance FROM clients WHERE card = 'IDEM1'")" 1750 "and charges once"
is "$(sql "SELECT count(*) FROM transactions WHERE type = 3")" 1 "one payment row exists"
is "$(sql "SELECT count(*) FROM requests WHERE request_id = '$rid'")" 1 "one idempotency record is kept"

T_again=$(login till till-secret-1)
call client/payer "jeton=$T_again&idCarte=IDEM1&montant=2.5&idRequete=$rid"
is "$REPLY" "$first" "a retry after logging in again still replays"
call client/payer "jeton=$T2&idCarte=IDEM1&montant=2.5&idRequete=$rid"
is "$(st) $(val .soldeNouveau)" "ok 15" "another user's identical idRequete is another request"

call client/payer "jeton=$T&idCarte=IDEM1&montant=3&idRequete=$rid"
is "$(st) $(val .champ)" "requete_malforme idRequete" "reusing an idRequete for other values is refused"
call client/recharger "jeton=$T&idCarte=IDEM1&montant=2.5&idRequete=$rid"
is "$(st) $(val .champ)" "requete_malforme idRequete" "reusing it on another endpoint is refused"
is "$(sql "SELECT balance FROM clients WHERE card = 'IDEM1'")" 1500 "neither moved money"

# Sixteen copies of one request at once (a phone hammering retry).
rid2=burst-0001
for i in $(seq 16); do echo "client/payer jeton=$T&idCarte=IDEM1&montant=1&idRequete=$rid2"; done |
	storm 16 >"$DATA/burst.out"
is "$(sort -u "$DATA/burst.out" | wc -l)" 1 "sixteen simultaneous copies get one identical answer"
is "$(jq -r .status "$DATA/burst.out" | sort -u)" ok "which is ok"
is "$(sql "SELECT balance FROM clients WHERE card = 'IDEM1'")" 1400 "and the card is charged once"

# A refusal is an answer too: replayed, not re-judged.
call client/payer "jeton=$T&idCarte=IDEM1&montant=50&idRequete=big-1"
refusal=$REPLY
is "$(st)" solde_insuffisant "a payment above the balance is refused"
call client/recharger "jeton=$T&idCarte=IDEM1&montant=100"
call client/payer "jeton=$T&idCarte=IDEM1&montant=50&idRequete=big-1"
is "$REPLY" "$refusal" "its retry replays the refusal, even once money is there"
call client/payer "jeton=$T&idCarte=IDEM1&montant=50&idRequete=big-2"
is "$(st)" ok "a new idRequete is judged afresh"

# Every write endpoint honours it: top-up, opening, cancel.
call client/recharger "jeton=$T&idCarte=IDEM1&montant=1&idRequete=r-1"
call client/recharger "jeton=$T&idCarte=IDEM1&montant=1&idRequete=r-1"
is "$(sql "SELECT count(*) FROM transactions WHERE type = 2 AND amount = 100")" 1 "a retried top-up credits once"
call client/ajouter "jeton=$T&idCarte=IDEM2&solde=5&idRequete=o-1"
a=$REPLY
call client/ajouter "jeton=$T&idCarte=IDEM2&solde=5&idRequete=o-1"
is "$REPLY" "$a" "a retried opening answers ok again, not client_existant"
id=$(sql "SELECT max(id) FROM transactions WHERE type = 3")
call annuler "jeton=$T&idTransaction=$id&idRequete=c-1"
a=$REPLY
call annuler "jeton=$T&idTransaction=$id&idRequete=c-1"
is "$REPLY" "$a" "a retried cancel answers ok again, not transactions_deja_annulee"

# Without idRequete nothing is remembered.
call client/payer "jeton=$T&idCarte=IDEM1&montant=1"
call client/payer "jeton=$T&idCarte=IDEM1&montant=1"
is "$(sql "SELECT count(*) FROM transactions WHERE type = 3 AND amount = 100 AND valid")" 3 "two plain payments charge twice"

# Every value of a repeated field is in the fingerprint: a retry of app/creer
# with another list of redirect_uri is another request, not a replay.
A=https://a.example.org/cb B=https://b.example.org/cb C=https://c.example.org/cb
call app/creer "jeton=$P&nom=Portail&redirect_uri=$A&redirect_uri=$B&idRequete=app-1"
is "$(st) $(val '.redirect_uri | join(" ")')" "ok $A $B" "an app is registered with two redirect URIs"
call app/creer "jeton=$P&nom=Portail&redirect_uri=$A&redirect_uri=$C&idRequete=app-1"
is "$(st) $(val .champ)" "requete_malforme idRequete" "the same idRequete with another second redirect_uri is refused, not replayed"
call app/creer "jeton=$P&nom=Portail&redirect_uri=$A&idRequete=app-1"
is "$(st) $(val .champ)" "requete_malforme idRequete" "so is one with a redirect_uri fewer"
call app/creer "jeton=$P&nom=Portail&redirect_uri=$A&redirect_uri=$B&idRequete=app-1"
is "$(st) $(val .client_secret)" "ok null" "the same list replays the first answer, without its secret"
is "$(sql "SELECT count(*) FROM apps")" 1 "one app exists"

ledger_ok
ok $? "the ledger invariant holds"
finish
