#!/usr/bin/env bash
# Area client: opening accounts, top-ups, payments, emptying, lists and fiches,
# the overdraft switch, and the database rows each write leaves behind.
. "$(dirname "$0")/lib.sh"
staff_stack

# client/ajouter
call client/ajouter "jeton=$E&idCarte=AHS0DIEX&solde=50"
is "$(st)" ok "BDE (droit 1) opens an account"
is "$(val .soldeNouveau)" 50 "the new balance is the initial one"
tx=$(val .idTransaction)
is "$(sql "SELECT type, amount, valid FROM transactions WHERE id = $tx")" "1|5000|1" "a creation row of 5000 cents is written"
is "$(sql "SELECT balance, overdraft FROM clients WHERE card = 'AHS0DIEX'")" "5000|0" "the client row holds 5000 cents, no overdraft"
call client/ajouter "jeton=$E&idCarte=AHS0DIEX&solde=5"
is "$(st)" client_existant "a card opens one account only"
call client/ajouter "jeton=$E&idCarte=ZERO1&solde=0"
is "$(st)" solde_negatif "an initial balance of 0 without overdraft is refused"
call client/ajouter "jeton=$E&idCarte=NEG1&solde=-5"
is "$(st)" solde_negatif "a negative initial balance without overdraft is refused"
call client/ajouter "jeton=$E&idCarte=OVER1&solde=-5&decouvert=oui"
is "$(st)" droits_insuffisants "asking for overdraft below droit 3 is refused"
is "$(sql "SELECT count(*) FROM clients WHERE card IN ('ZERO1','NEG1','OVER1')")" 0 "refused openings leave no client"
call client/ajouter "jeton=$P&idCarte=OVER1&solde=-5&decouvert=vrai"
is "$(st)" ok "a president opens an overdraft account with a negative balance"
is "$(val .soldeNouveau)" -5 "its balance is -5"
call client/ajouter "jeton=$E&idCarte=RICH1&solde=1000.01"
is "$(st)" montant_trop_eleve "an initial balance above the ceiling is refused"
call client/ajouter "jeton=$E&idCarte=RICH1&solde=1000"
is "$(st)" ok "an initial balance at the ceiling is accepted"
call client/ajouter "jeton=$E&idCarte=bad-card!&solde=5"
is "$(st)" requete_malforme "a card id outside [A-Za-z0-9] is malformed"
is "$(val .champ)" idCarte "champ names idCarte"
call client/ajouter "jeton=$E&idCarte=ABCD&solde=1.234"
is "$(st)$(val .champ)" requete_malformesolde "three decimals are malformed"

# client/recharger
call client/recharger "jeton=$E&idCarte=AHS0DIEX&montant=10"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot top up"
call client/recharger "jeton=$B&idCarte=AHS0DIEX&montant=10,5"
is "$(st)" ok "a bar member tops up with a comma decimal"
is "$(val .soldeAncien) $(val .soldeNouveau)" "50 60.5" "old and new balances are returned"
is "$(sql "SELECT balance FROM clients WHERE card = 'AHS0DIEX'")" 6050 "the balance is 6050 cents in the database"
call client/recharger "jeton=$B&idCarte=AHS0DIEX&montant=0"
is "$(st)" rechargement_negatif "a top-up of 0 is refused"
call client/recharger "jeton=$B&idCarte=AHS0DIEX&montant=-3"
is "$(st)" rechargement_negatif "a negative top-up is refused"
call client/recharger "jeton=$B&idCarte=NOPE&montant=3"
is "$(st)" client_inconnu "topping up an unknown card says client_inconnu"
call client/recharger "jeton=$B&idCarte=RICH1&montant=0.01"
is "$(st)" montant_trop_eleve "a top-up past the ceiling is refused"
is "$(sql "SELECT balance FROM clients WHERE card = 'RICH1'")" 100000 "and the balance did not move"

# client/payer
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=1.8"
is "$(st)" ok "a payment by amount goes through"
is "$(val .montant) $(val .soldeAncien) $(val .soldeNouveau)" "1.8 60.5 58.7" "montant, soldeAncien and soldeNouveau are exact"
tx=$(val .idTransaction)
is "$(sql "SELECT type, amount, qty, valid FROM transactions WHERE id = $tx")" "3|180|0|1" "a paiement row of 180 cents is written"
is "$(sql "SELECT count(*) FROM journal WHERE transaction_id = $tx AND event = 'transaction'")" 1 "the payment is journaled"
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=100"
is "$(st)" solde_insuffisant "paying more than the balance is refused"
is "$(val .solde) $(val .manque)" "58.7 41.3" "the reply gives solde and manque"
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=0"
is "$(st)" paiement_negatif "a payment of 0 is refused"
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=-0"
is "$(st)" paiement_negatif "a payment of -0 is refused"
call client/payer "jeton=$B&idCarte=AHS0DIEX&quantite=2"
is "$(st)" produit_inconnu "a quantity without a price is produit_inconnu"
call prix/modifier "jeton=$P&quantite=1&prix=1.2"
call prix/modifier "jeton=$P&quantite=2&prix=2"
call client/payer "jeton=$B&idCarte=AHS0DIEX&quantite=2"
is "$(st) $(val .montant) $(val .soldeNouveau)" "ok 2 56.7" "two drinks cost the pack price"
tx=$(val .idTransaction)
is "$(sql "SELECT amount, qty FROM transactions WHERE id = $tx")" "200|2" "the row records the quantity"
call client/payer "jeton=$B&idCarte=AHS0DIEX&quantite=0"
is "$(st) $(val .champ)" "requete_malforme quantite" "a quantity of 0 is malformed (quantite is 1-1000)"
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=1&quantite=1"
is "$(st)" requete_malforme "montant and quantite together are malformed"
call client/payer "jeton=$B&idCarte=AHS0DIEX"
is "$(st)$(val .champ)" requete_malformemontant "neither montant nor quantite is malformed"
call client/payer "jeton=$B&idCarte=NOPE&montant=1"
is "$(st)" client_inconnu "paying from an unknown card says client_inconnu"
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=1000.01"
is "$(st)" montant_trop_eleve "a payment above the ceiling is refused"
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=99999999999999999999999"
is "$(st)" montant_trop_eleve "a huge amount is montant_trop_eleve"
call client/payer "jeton=$B&idCarte=OVER1&montant=10"
is "$(st) $(val .soldeNouveau)" "ok -15" "an overdraft client may go below zero"
call client/payer "jeton=$B&idCarte=OVER1&montant=990"
is "$(st) $(val .manque)" "solde_insuffisant 5" "but not below minus the ceiling"
is "$(sql "SELECT balance FROM clients WHERE card = 'AHS0DIEX'")" 5670 "refused payments did not move the balance"

# client/vidange
call client/vidange "jeton=$B&idCarte=AHS0DIEX"
is "$(st) $(val .soldeAncien) $(val .soldeNouveau)" "ok 56.7 0" "emptying returns the whole balance"
tx=$(val .idTransaction)
is "$(sql "SELECT type, amount FROM transactions WHERE id = $tx")" "4|5670" "a vidange row of 5670 cents is written"
call client/vidange "jeton=$B&idCarte=AHS0DIEX"
is "$(st)" solde_negatif "emptying an empty card is solde_negatif"
call client/vidange "jeton=$B&idCarte=NOPE"
is "$(st)" client_inconnu "emptying an unknown card says client_inconnu"

# client/decouvert
call client/decouvert "jeton=$B&idCarte=AHS0DIEX&decouvert=true"
is "$(st)" droits_insuffisants "a bar member cannot change the overdraft flag"
call client/decouvert "jeton=$P&idCarte=AHS0DIEX&decouvert=OUI"
is "$(st)" ok "a president allows overdraft"
is "$(sql "SELECT overdraft FROM clients WHERE card = 'AHS0DIEX'")" 1 "the flag is stored"
call client/decouvert "jeton=$P&idCarte=AHS0DIEX&decouvert=peut-etre"
is "$(st)$(val .champ)" requete_malformedecouvert "a boolean outside the list is malformed"
call client/decouvert "jeton=$P&idCarte=NOPE&decouvert=non"
is "$(st)" client_inconnu "changing an unknown card says client_inconnu"

# client/liste and client/fiche
call client/liste "jeton=$B"
is "$(val '.clients | length')" 3 "the list has every client"
is "$(val '.clients[0] | has("decouvert")')" false "a bar member does not see the overdraft flag"
call client/liste "jeton=$P"
is "$(val '[.clients[] | select(.idCarte == "AHS0DIEX")][0].decouvert')" true "a president does"
call client/liste "jeton=$E"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot list clients"
call client/fiche "jeton=$B&idCarte=AHS0DIEX"
is "$(st) $(val .idCarte) $(val .solde)" "ok AHS0DIEX 0" "the fiche gives card and balance"
is "$(val '.transactions | length')" 5 "and the card's five transactions"
is "$(val '[.transactions[].type] | join(",")')" "1,2,3,3,4" "oldest first"
is "$(val '.transactions[2] | keys | join(",")')" "client,date,id,montant,moyen,qte,service,type,utilisateur,valide" \
	"each transaction has the documented keys"
is "$(val '.transactions[2].utilisateur')" bar "and names who made it"
first=$(val '.transactions[0].id')
call client/fiche "jeton=$B&idCarte=AHS0DIEX&limite=2"
is "$(val '.transactions | length')" 2 "limite cuts the history"
next=$(val .suivant)
call client/fiche "jeton=$B&idCarte=AHS0DIEX&limite=2&apres=$next"
is "$(val '.transactions | length') $(val '.transactions[0].id > '$next)" "2 true" "apres continues after suivant"
call client/fiche "jeton=$B&idCarte=AHS0DIEX&limite=10"
is "$(val 'has("suivant")')" false "an uncut list has no suivant"
call client/fiche "jeton=$B&idCarte=AHS0DIEX&limite=10001"
is "$(st)$(val .champ)" requete_malformelimite "limite above 10000 is malformed"
call client/fiche "jeton=$B&idCarte=AHS0DIEX&ordre=recent"
is "$(val '[.transactions[].type] | join(",")')" "4,3,3,2,1" "ordre=recent lists the history newest first"
hist=$(val '[.transactions[].id] | join(",")')
is "$(pages client/fiche "jeton=$B&idCarte=AHS0DIEX" 2 recent)" "$hist" \
	"limite, suivant and avant walk it newest first, each row once"
is "$(pages client/fiche "jeton=$B&idCarte=AHS0DIEX" 2 ancien)" "$(tr ',' '\n' <<<"$hist" | tac | paste -sd,)" \
	"and apres oldest first"
call client/fiche "jeton=$B&idCarte=AHS0DIEX&ordre=dernier"
is "$(st)$(val .champ)" requete_malformeordre "an unknown ordre is malformed"
call client/fiche "jeton=$B&idCarte=AHS0DIEX&avant=-5"
is "$(st)$(val .champ)" requete_malformeavant "a negative avant is malformed"
call client/fiche "jeton=$B&idCarte=NOPE"
is "$(st)" client_inconnu "the fiche of an unknown card says client_inconnu"

# Long answers are kept by each read worker, a card's history until that
# card changes (lib/answers.h). Each state is asked for as many times as there are
# workers, twice over: every worker answers it, from the database or from what
# it kept, and every answer is the same and agrees with the database.
# states WHAT: the distinct answers (balance, then each row's id and validity).
states() {
	for _ in 1 2 3 4 5 6; do
		call client/fiche "jeton=$B&idCarte=AHS0DIEX"
		val '[.solde, [.transactions[] | [.id, .valide]]] | tojson'
	done | sort -u
}
in_db() {
	sql "SELECT json_array(balance / 100.0, (SELECT json_group_array(json_array(id, json(CASE
		WHEN valid THEN 'true' ELSE 'false' END))) FROM (SELECT id, valid FROM transactions
		WHERE client_id = clients.id ORDER BY id))) FROM clients WHERE card = 'AHS0DIEX'" |
		jq -c '[(.[0] | if . == floor then floor else . end), .[1]]'
}
is "$(states)" "$(in_db)" "a fiche asked of every worker, twice each: one answer, the database's"
call client/recharger "jeton=$B&idCarte=AHS0DIEX&montant=7"
tx=$(val .idTransaction)
is "$(states)" "$(in_db)" "after a top-up (another process's commit), every worker shows it"
call annuler "jeton=$B&idTransaction=$tx"
is "$(st)" ok "the top-up is cancelled"
is "$(states)" "$(in_db)" "and every worker shows it cancelled"
call client/payer "jeton=$B&idCarte=RICH1&montant=1"
is "$(st)" ok "another card pays"
is "$(states)" "$(in_db)" "every worker's answer for this card is still the database's"
call client/payer "jeton=$B&idCarte=AHS0DIEX&montant=0.5"
is "$(st)" ok "then this card pays"
is "$(states)" "$(in_db)" "and every worker shows the payment, its history kept before read afresh"
# The kept answer of a list is that list's, in its order: each worker asked
# in turns for the history oldest first and newest first gives each its own.
orders=
for i in 1 2 3 4 5 6; do
	call client/fiche "jeton=$B&idCarte=AHS0DIEX"
	orders+="$(val '[.transactions[].id] | . == sort')"
	call client/fiche "jeton=$B&idCarte=AHS0DIEX&ordre=recent"
	orders+=" $(val '[.transactions[].id] | . == (sort | reverse)') "
done
is "$orders" "$(printf 'true true %.0s' 1 2 3 4 5 6)" \
	"a fiche asked oldest first then newest first, six times: never the other order's kept answer"
for i in 1 2 3; do
	call client/liste "jeton=$B"
	bar=$(val '[.clients[] | has("decouvert")] | any')
	call client/liste "jeton=$P"
	prez=$(val '[.clients[] | has("decouvert")] | all')
	is "$bar $prez" "false true" "lists asked by turns, bar then president ($i): each gets its own"
done

ledger_ok
ok $? "the ledger invariant holds"
finish
