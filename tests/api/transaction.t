#!/usr/bin/env bash
# Area transaction: cancelling (annuler) and re-applying (refaire) ledger rows,
# who may touch which row and for how long, the balance limits a flip must
# respect, and the president's paged view of the whole ledger.
. "$(dirname "$0")/lib.sh"

# The signed sum of a client's valid rows, in cents.
ledger_sum() {
	sql "SELECT coalesce(sum(CASE WHEN t.type IN (1, 2) THEN t.amount ELSE -t.amount END), 0)
	    FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = '$1' AND t.valid"
}
valid() { sql "SELECT valid FROM transactions WHERE id = $1"; }

staff_stack
add_user "$P" bar2 bar2-secret-1 2
B2=$(login bar2 bar2-secret-1)
BAR_ID=$(sql "SELECT id FROM users WHERE login = 'bar' AND deleted_ms IS NULL")

# annuler
call client/ajouter "jeton=$B&idCarte=ANN1&solde=20"
call client/payer "jeton=$B&idCarte=ANN1&montant=4.5"
pay=$(val .idTransaction)
call annuler "jeton=$B&idTransaction=$pay"
is "$(st)" ok "a bar member cancels their own payment"
is "$(val .idTransaction) $(val .client)" "$pay ANN1" "the reply names the row and the client's card"
is "$(val .soldeAncien) $(val .soldeNouveau)" "15.5 20" "the balance goes back from 15.5 to 20"
is "$(val 'keys | join(",")')" "client,idTransaction,soldeAncien,soldeNouveau,status" "the reply has exactly the documented keys"
is "$(valid "$pay") $(balance ANN1)" "0 2000" "the row is invalid and the balance is 2000 cents in the database"
is "$(sql "SELECT user_id, balance FROM journal WHERE transaction_id = $pay AND event = 'annulation'")" \
	"$BAR_ID|2000" "the cancellation is journaled with its author and the new balance"
call annuler "jeton=$B&idTransaction=$pay"
is "$(st)" transactions_deja_annulee "a second cancellation is refused"
is "$(balance ANN1) $(sql "SELECT count(*) FROM journal WHERE transaction_id = $pay AND event = 'annulation'")" \
	"2000 1" "and neither moves the balance nor writes the journal"
call annuler "jeton=$B&idTransaction=999999"
is "$(st)" transaction_inconnue "an unknown id is transaction_inconnue"
call annuler "jeton=$B&idTransaction=99999999999999999999"
is "$(st) $(val .champ)" "requete_malforme idTransaction" "an id past 2^53 is malformed, not clamped"
call client/payer "jeton=$B&idCarte=ANN1&montant=2"
pay2=$(val .idTransaction)
call annuler "jeton=$B2&idTransaction=$pay2"
is "$(st)" transaction_autre "a bar member cannot cancel another member's row"
is "$(valid "$pay2") $(balance ANN1)" "1 1800" "the other member's row stays valid"
call annuler "jeton=$P&idTransaction=$pay2"
is "$(st) $(val .soldeNouveau)" "ok 20" "a president cancels anyone's row"
call annuler "jeton=$E&idTransaction=$pay"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot cancel"
for id in abc -1 1.5; do
	call annuler "jeton=$B&idTransaction=$id"
	is "$(st) $(val .champ)" "requete_malforme idTransaction" "idTransaction=$id is malformed"
done
call annuler "jeton=$B"
is "$(st) $(val .champ)" "requete_malforme idTransaction" "a missing idTransaction is malformed"

call client/ajouter "jeton=$B&idCarte=SPENT1&solde=5"
call client/recharger "jeton=$B&idCarte=SPENT1&montant=20"
top=$(val .idTransaction)
call client/payer "jeton=$B&idCarte=SPENT1&montant=20"
call annuler "jeton=$B&idTransaction=$top"
is "$(st)" solde_insuffisant "cancelling a top-up already spent is refused"
is "$(valid "$top") $(balance SPENT1)" "1 500" "the top-up stays valid and the balance stays 5"
call client/ajouter "jeton=$P&idCarte=OVD1&solde=5&decouvert=oui"
call client/recharger "jeton=$B&idCarte=OVD1&montant=20"
top=$(val .idTransaction)
call client/payer "jeton=$B&idCarte=OVD1&montant=20"
call annuler "jeton=$B&idTransaction=$top"
is "$(st) $(val .soldeNouveau)" "ok -15" "an overdraft client may be left negative by a cancellation"

call client/ajouter "jeton=$B&idCarte=CRE1&solde=30"
cre=$(val .idTransaction)
call client/recharger "jeton=$B&idCarte=CRE1&montant=10"
top=$(val .idTransaction)
call annuler "jeton=$B&idTransaction=$cre"
is "$(st) $(val .soldeAncien) $(val .soldeNouveau)" "ok 40 10" "cancelling a creation removes only the initial balance"
is "$(sql "SELECT count(*) FROM clients WHERE card = 'CRE1'") $(valid "$cre") $(valid "$top")" \
	"1 0 1" "the client still exists and its later top-up stays valid"

call client/ajouter "jeton=$B&idCarte=IDR1&solde=10"
call client/payer "jeton=$B&idCarte=IDR1&montant=2"
idr=$(val .idTransaction)
call annuler "jeton=$B&idTransaction=$idr&idRequete=annul-$idr"
first=$REPLY
call annuler "jeton=$B&idTransaction=$idr&idRequete=annul-$idr"
is "$REPLY" "$first" "a repeated idRequete answers what the first cancellation answered"
is "$(balance IDR1) $(sql "SELECT count(*) FROM journal WHERE transaction_id = $idr AND event = 'annulation'")" \
	"1000 1" "and cancels once"

# refaire
call refaire "jeton=$B&idTransaction=$pay"
is "$(st)" ok "a bar member re-applies their cancelled payment"
is "$(val .idTransaction) $(val .client) $(val .soldeAncien) $(val .soldeNouveau)" \
	"$pay ANN1 20 15.5" "the reply has the same shape as annuler's and the balance moves back"
is "$(valid "$pay") $(balance ANN1)" "1 1550" "the row is valid again and the balance is 1550 cents"
is "$(sql "SELECT user_id, balance FROM journal WHERE transaction_id = $pay AND event = 'refaire'")" \
	"$BAR_ID|1550" "the re-application is journaled with the new balance"
call refaire "jeton=$B&idTransaction=$pay"
is "$(st)" transactions_deja_active "re-applying an active row is refused"
is "$(balance ANN1)" 1550 "and does not move the balance"
call refaire "jeton=$B&idTransaction=999999"
is "$(st)" transaction_inconnue "re-applying an unknown id is transaction_inconnue"
call annuler "jeton=$B&idTransaction=$pay"
call refaire "jeton=$B2&idTransaction=$pay"
is "$(st)" transaction_autre "a bar member cannot re-apply another member's row"
is "$(valid "$pay") $(balance ANN1)" "0 2000" "the row stays cancelled"
call refaire "jeton=$E&idTransaction=$pay"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot re-apply"
call refaire "jeton=$B&idTransaction=1.5"
is "$(st) $(val .champ)" "requete_malforme idTransaction" "refaire checks idTransaction's shape"

call client/ajouter "jeton=$B&idCarte=RF1&solde=15"
call client/payer "jeton=$B&idCarte=RF1&montant=10"
rf=$(val .idTransaction)
call annuler "jeton=$B&idTransaction=$rf"
call client/payer "jeton=$B&idCarte=RF1&montant=12"
call refaire "jeton=$B&idTransaction=$rf"
is "$(st)" solde_insuffisant "re-applying a payment the balance no longer covers is refused"
is "$(valid "$rf") $(balance RF1)" "0 300" "the row stays cancelled and the balance stays 3"

# transactions
call client/recharger "jeton=$B2&idCarte=ANN1&montant=1"
call client/recharger "jeton=$B2&idCarte=RF1&montant=1"
call transactions "jeton=$B"
is "$(st)" droits_insuffisants "a bar member (droit 2) cannot read the whole ledger"
all=$(sql "SELECT group_concat(id, ',') FROM (SELECT id FROM transactions ORDER BY id)")
call transactions "jeton=$P"
is "$(st) $(val '[.transactions[].id] | join(",")')" "ok $all" "the president gets the whole ledger, oldest first"
is "$(val 'has("suivant")')" false "without limite there is no suivant"
is "$(val '[.transactions[] | keys | join(",")] | unique | join(" ")')" \
	"client,date,id,montant,moyen,qte,service,type,utilisateur,valide" "every row has the documented keys"
is "$(val ".transactions[] | select(.id == $pay) | [.type, .client, .utilisateur, .montant, .qte, .valide] | join(\" \")")" \
	"3 ANN1 bar 4.5 0 false" "a cancelled payment reads back with valide false"
is "$(val ".transactions[] | select(.id == $cre) | [.type, .montant, .valide] | join(\" \")")" \
	"1 30 false" "a cancelled creation reads back with its initial balance"

want=$(sql "SELECT group_concat(t.id, ',') FROM (SELECT t.id FROM transactions t JOIN clients c
    ON c.id = t.client_id WHERE c.card = 'ANN1' ORDER BY t.id) t")
call transactions "jeton=$P&client=ANN1"
is "$(val '[.transactions[].id] | join(",")')" "$want" "client filters on the card"
want=$(sql "SELECT group_concat(id, ',') FROM (SELECT t.id FROM transactions t JOIN users u
    ON u.id = t.user_id WHERE u.login = 'bar2' ORDER BY t.id)")
call transactions "jeton=$P&utilisateur=bar2"
is "$(val '[.transactions[].id] | join(",")') $(val '[.transactions[].utilisateur] | unique | join(",")')" \
	"$want bar2" "utilisateur filters on the login"
want=$(sql "SELECT group_concat(id, ',') FROM (SELECT t.id FROM transactions t JOIN users u
    ON u.id = t.user_id JOIN clients c ON c.id = t.client_id
    WHERE u.login = 'bar2' AND c.card = 'ANN1' ORDER BY t.id)")
call transactions "jeton=$P&client=ANN1&utilisateur=bar2"
is "$(val '[.transactions[].id] | join(",")')" "$want" "client and utilisateur together intersect"
is "$(val '.transactions | length')" 1 "that intersection is bar2's one top-up on ANN1"
call transactions "jeton=$P&client=NOPE"
is "$(st) $(val '.transactions | length')" "ok 0" "an unknown client gives an empty list"
call transactions "jeton=$P&utilisateur=nobody"
is "$(st) $(val '.transactions | length')" "ok 0" "an unknown user gives an empty list"
mid=$(sql "SELECT id FROM transactions ORDER BY id LIMIT 1 OFFSET 4")
want=$(sql "SELECT group_concat(id, ',') FROM (SELECT id FROM transactions WHERE id > $mid ORDER BY id)")
call transactions "jeton=$P&apres=$mid"
is "$(val '[.transactions[].id] | join(",")')" "$want" "apres keeps only the larger ids"

seen= pages=0 after=0 sizes_ok=0
while :; do
	call transactions "jeton=$P&limite=3&apres=$after"
	[ "$(st)" = ok ] || break
	[ "$(val '.transactions | length')" -le 3 ] || sizes_ok=1
	seen=$seen${seen:+,}$(val '[.transactions[].id] | join(",")')
	pages=$((pages + 1))
	[ "$(val 'has("suivant")')" = true ] || break
	after=$(val .suivant)
	[ "$pages" -lt 100 ] || break
done
is "$seen" "$all" "limite, suivant and apres walk the whole ledger exactly once"
ok "$sizes_ok" "no page is longer than limite"
is "$pages" $(( ($(sql "SELECT count(*) FROM transactions") + 2) / 3 )) "the walk takes ceil(rows / 3) pages"
n=$(sql "SELECT count(*) FROM transactions")
call transactions "jeton=$P&limite=$n"
is "$(val '.transactions | length') $(val 'has("suivant")')" "$n false" "a limite equal to the row count is not cut"
call transactions "jeton=$P&limite=$((n - 1))"
is "$(val 'has("suivant")') $(val .suivant)" "true $(sql "SELECT id FROM transactions ORDER BY id DESC LIMIT 1 OFFSET 1")" \
	"a limite one short is cut and suivant is the last id returned"
for lim in 0 10001 -1 abc; do
	call transactions "jeton=$P&limite=$lim"
	is "$(st) $(val .champ)" "requete_malforme limite" "limite=$lim is malformed"
done
call transactions "jeton=$P&limite=10000"
is "$(st) $(val 'has("suivant")')" "ok false" "limite=10000 is allowed"

# Newest first (ordre=recent), paged with avant.
desc() { sql "SELECT group_concat(id, ',') FROM (SELECT t.id FROM transactions t ${1:-} ORDER BY t.id DESC)"; }
call transactions "jeton=$P&ordre=recent"
is "$(st) $(val '[.transactions[].id] | join(",")')" "ok $(desc)" "ordre=recent gives the whole ledger newest first"
call transactions "jeton=$P&ordre=ancien"
is "$(val '[.transactions[].id] | join(",")')" "$all" "ordre=ancien gives the default order, oldest first"
call transactions "jeton=$P&ordre=RECENT&client=ANN1"
is "$(val '[.transactions[].id] | join(",")')" "$(desc "JOIN clients c ON c.id = t.client_id WHERE c.card = 'ANN1'")" \
	"newest first for one client (the word's case ignored)"
call transactions "jeton=$P&ordre=recent&utilisateur=bar2"
is "$(val '[.transactions[].id] | join(",")')" "$(desc "JOIN users u ON u.id = t.user_id WHERE u.login = 'bar2'")" \
	"newest first for one user"
call transactions "jeton=$P&ordre=recent&client=ANN1&utilisateur=bar2"
is "$(val '[.transactions[].id] | join(",")')" "$(desc "JOIN users u ON u.id = t.user_id JOIN clients c
    ON c.id = t.client_id WHERE u.login = 'bar2' AND c.card = 'ANN1'")" "newest first for both"
is "$(pages transactions "jeton=$P" 3 recent)" "$(desc)" \
	"limite, suivant and avant walk the whole ledger newest first, each row once"
is "$(pages transactions "jeton=$P" 3 ancien)" "$all" "and with apres oldest first"
n=$(sql "SELECT count(*) FROM transactions")
call transactions "jeton=$P&ordre=recent&limite=$((n - 1))"
is "$(val .suivant)" "$(sql "SELECT min(id) FROM transactions WHERE id > (SELECT min(id) FROM transactions)")" \
	"cut newest first, suivant is the smallest id given: the next page's avant"
call transactions "jeton=$P&avant=$mid"
is "$(val '[.transactions[].id] | join(",")')" "$(desc "WHERE t.id < $mid" | tr ',' '\n' | sort -n | paste -sd,)" \
	"avant alone keeps the smaller ids, oldest first"
lo=$(sql "SELECT id FROM transactions ORDER BY id LIMIT 1 OFFSET 1")
call transactions "jeton=$P&apres=$lo&avant=$mid&ordre=recent"
is "$(val '[.transactions[].id] | join(",")')" "$(desc "WHERE t.id > $lo AND t.id < $mid")" \
	"apres and avant together give the rows between, newest first"
call transactions "jeton=$P&avant=0"
is "$(st) $(val '.transactions | length')" "ok 0" "avant=0 gives an empty list"
for bad in "ordre=nouveau" "ordre=desc" "ordre=1" "ordre=recent&ordre=ancien"; do
	call transactions "jeton=$P&$bad"
	is "$(st) $(val .champ)" "requete_malforme ordre" "$bad is malformed"
done
for bad in -1 abc 1.5 9007199254740992; do
	call transactions "jeton=$P&ordre=recent&avant=$bad"
	is "$(st) $(val .champ)" "requete_malforme avant" "avant=$bad is malformed"
done

ledger_ok
ok $? "the ledger invariant holds (admin check)"
is "$(sql "SELECT count(*) FROM clients c WHERE balance != (SELECT coalesce(sum(CASE WHEN type IN (1, 2)
    THEN amount ELSE -amount END), 0) FROM transactions WHERE client_id = c.id AND valid)")" 0 \
	"every client's balance is the sum of its valid rows"
is "$(ledger_sum ANN1) $(ledger_sum CRE1) $(ledger_sum OVD1)" "$(balance ANN1) $(balance CRE1) $(balance OVD1)" \
	"in particular for the clients that were flipped"

# A one-second cancel window and a 100 euro ceiling.
next_stack TENP5_CANCEL_WINDOW=1 TENP5_CEILING=100
P=$(admin_jeton)
add_user "$P" bar bar-secret-1 2
add_user "$P" bar2 bar2-secret-1 2
B=$(login bar bar-secret-1)
B2=$(login bar2 bar2-secret-1)
call client/ajouter "jeton=$B&idCarte=WIN1&solde=50"
call client/payer "jeton=$B&idCarte=WIN1&montant=5"
p1=$(val .idTransaction)
call client/payer "jeton=$B&idCarte=WIN1&montant=5"
p2=$(val .idTransaction)
call client/recharger "jeton=$B&idCarte=WIN1&montant=30"
top=$(val .idTransaction)
call annuler "jeton=$P&idTransaction=$p2"
is "$(st) $(balance WIN1)" "ok 7500" "a president cancels a bar member's payment"
clock_forward 2 # past the 1 s window, on the test clock
call annuler "jeton=$B&idTransaction=$p1"
is "$(st)" transaction_expiree "after the window a bar member cannot cancel their own row"
is "$(valid "$p1") $(balance WIN1)" "1 7500" "the expired row stays valid"
call annuler "jeton=$B2&idTransaction=$p1"
is "$(st)" transaction_autre "another member is told the row is not theirs, whatever its age"
call annuler "jeton=$P&idTransaction=$p1"
is "$(st) $(val .soldeNouveau)" "ok 80" "a president may still cancel it"
call refaire "jeton=$B&idTransaction=$p2"
is "$(st)" transaction_expiree "after the window a bar member cannot re-apply their own row"
is "$(valid "$p2")" 0 "the row stays cancelled"
call annuler "jeton=$P&idTransaction=$top"
is "$(st) $(val .soldeNouveau)" "ok 50" "a president cancels the top-up of 30"
call client/recharger "jeton=$B&idCarte=WIN1&montant=40"
call refaire "jeton=$P&idTransaction=$top"
is "$(st)" montant_trop_eleve "re-applying a top-up that would pass the ceiling is refused"
is "$(valid "$top") $(balance WIN1)" "0 9000" "the top-up stays cancelled and the balance stays 90"
call refaire "jeton=$P&idTransaction=$p2"
is "$(st) $(val .soldeNouveau)" "ok 85" "a president re-applies an old payment"
ledger_ok
ok $? "the ledger invariant holds on the second stack"
finish
