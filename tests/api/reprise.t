#!/usr/bin/env bash
# After a switch-over (doc/api.md, "After a switch-over"): a database put back
# from a copy shows another identity in coucou; the sales a till was told were
# recorded, sent again with their time (horsLigne) and their idRequete, are
# answered from their record where the copy has them and recorded once where
# it does not, never refused for the balance; the ledger checks.
. "$(dirname "$0")/lib.sh"
staff_stack
add_user "$P" bis bis-secret-1 2
B2=$(login bis bis-secret-1)
rows() { sql "SELECT count(*) FROM transactions WHERE type = 3 AND client_id = (SELECT id FROM clients WHERE card = '$1')"; }
call horsligne/regles "jeton=$B"
NOW=$(val .maintenant)

call client/ajouter "jeton=$P&idCarte=REP1&solde=10"
call client/payer "jeton=$B&idCarte=REP1&montant=2&idRequete=a-1"
is "$(jv '.status, .soldeNouveau')" "ok 8" "a sale answered online"
first=$REPLY
tx1=$(val .idTransaction)
call client/payer "jeton=$B&idCarte=REP1&montant=2&idRequete=a-1&horsLigne=$NOW"
is "$REPLY" "$first" "sent again with its time, it is answered from its record, word for word"
is "$(rows REP1) $(balance REP1)" "1 800" "and charged once"
call client/payer "jeton=$B&idCarte=REP1&montant=3&idRequete=a-1&horsLigne=$NOW"
is "$(st) $(val .champ)" "requete_malforme idRequete" "its idRequete with another amount is still refused"
call client/payer "jeton=$B2&idCarte=REP1&montant=2&idRequete=a-1&horsLigne=$((NOW - 5000))"
is "$(jv '.status, .horsLigne')" "ok true" "another login's idRequete is another sale (records are per login)"
is "$(rows REP1) $(balance REP1)" "2 600" "recorded as one"

get api/coucou
base=$(val .base)
as_owner "$ADMIN" -d "$DB" backup "$DATA/copie.db"
is "$?" 0 "a copy of the database is taken"

# After the copy: two sales acknowledged that the copy will lack.
call client/payer "jeton=$B&idCarte=REP1&montant=5&idRequete=a-2"
is "$(jv '.status, .soldeNouveau')" "ok 1" "a sale acknowledged after the copy"
call client/payer "jeton=$B&idCarte=REP1&montant=4&idRequete=a-3&horsLigne=$((NOW - 1000))"
is "$(jv '.status, .soldeNouveau, .dette')" "ok -3 true" "and a sale made offline, acknowledged too"
lost2=$NOW lost3=$((NOW - 1000))

# The server is replaced by the copy (as a replica that lags would be).
stop_stack
out=$(as_owner "$ADMIN" -d "$DB" restore "$DATA/copie.db")
is "$?" 0 "the copy is put in the database's place"
REUSE=1 start_stack
get api/coucou
like "$(val .base)" '^[0-9a-f]{32}$' "coucou gives the restored database's identity"
ok "$([ "$(val .base)" != "$base" ] && [ "$out" = "identity $(val .base)" ]; echo $?)" \
	"another one than before the copy: a till can tell the server was replaced"
is "$(balance REP1)" 600 "the copy lacks the last two sales"

# Meanwhile another till sells on the new server, from what it believes.
call client/payer "jeton=$B2&idCarte=REP1&montant=5&idRequete=b-1"
is "$(jv '.status, .soldeNouveau')" "ok 1" "another till sells on the restored database"

# The first till sends again what it was told was recorded, oldest first.
call client/payer "jeton=$B&idCarte=REP1&montant=2&idRequete=a-1&horsLigne=$NOW"
is "$REPLY" "$first" "a sale the copy has is answered from its record"
call client/payer "jeton=$B&idCarte=REP1&montant=4&idRequete=a-3&horsLigne=$lost3"
is "$(jv '.status, .soldeAncien, .soldeNouveau, .horsLigne, .dette, .signalee')" "ok 1 -3 true true false" \
	"a sale the copy lacks is recorded with its time, though the card cannot pay it now"
call client/payer "jeton=$B&idCarte=REP1&montant=5&idRequete=a-2&horsLigne=$lost2"
is "$(jv '.status, .soldeNouveau, .dette, .signalee')" "ok -8 true false" \
	"never refused for the balance: it was served (a debt, flagged only past the offline cap)"
again=$REPLY
call client/payer "jeton=$B&idCarte=REP1&montant=5&idRequete=a-2&horsLigne=$lost2"
is "$REPLY" "$again" "sent once more, it is answered from its new record"
is "$(rows REP1) $(balance REP1)" "5 -800" "each sale in the ledger once"
is "$(sql "SELECT count(*) FROM transactions WHERE received_ms IS NOT NULL AND date_ms IN ($lost2, $lost3)")" 2 \
	"the two sent again are dated when they were made"
ledger_ok
is "$?" 0 "every balance equals its ledger"
finish
