#!/usr/bin/env bash
# Concurrency: many tills charging the same card at once. Every answer is
# exact, no update is lost, the ledger invariant holds, and no request fails
# with erreur_bdd.
. "$(dirname "$0")/lib.sh"
start_stack
P=$(admin_jeton)
jetons=()
for i in 1 2 3 4; do
	add_user "$P" "till$i" "till-secret-$i" 2
	jetons+=("$(login "till$i" "till-secret-$i")")
done
call client/ajouter "jeton=$P&idCarte=STORM1&solde=600"
call client/ajouter "jeton=$P&idCarte=RACE1&solde=500"
call client/ajouter "jeton=$P&idCarte=DRAIN1&solde=10"

# 500 payments of 1.00 from 32 parallel clients on one card.
for i in $(seq 500); do
	echo "client/payer jeton=${jetons[i % 4]}&idCarte=STORM1&montant=1"
done | storm 32 >"$DATA/storm.out"
is "$(wc -l <"$DATA/storm.out")" 500 "500 payments got 500 answers"
is "$(jq -r .status "$DATA/storm.out" | sort | uniq -c | sed 's/^ *//')" "500 ok" "every one of them is ok"
is "$(sql "SELECT balance FROM clients WHERE card = 'STORM1'")" 10000 "the balance is exactly 600 - 500 = 100.00"
is "$(sql "SELECT count(*), sum(amount) FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = 'STORM1' AND type = 3")" "500|50000" "500 payment rows of 1.00 are in the ledger"
is "$(jq -r .idTransaction "$DATA/storm.out" | sort -u | wc -l)" 500 "each answer names its own transaction"
is "$(jq -r .soldeNouveau "$DATA/storm.out" | sort -n -u | wc -l)" 500 "no two answers saw the same balance"

# Cancels racing payments: 50 earlier payments cancelled while 200 new ones land.
for i in $(seq 50); do echo "client/payer jeton=$P&idCarte=RACE1&montant=1"; done |
	storm 1 | jq -r .idTransaction >"$DATA/earlier"
{
	for i in $(seq 200); do echo "client/payer jeton=${jetons[i % 4]}&idCarte=RACE1&montant=1"; done
	while read -r id; do echo "annuler jeton=$P&idTransaction=$id"; done <"$DATA/earlier"
} | shuf | storm 32 >"$DATA/race.out"
is "$(wc -l <"$DATA/race.out")" 250 "250 racing requests got 250 answers"
is "$(jq -r .status "$DATA/race.out" | sort | uniq -c | sed 's/^ *//')" "250 ok" "all of them ok"
is "$(sql "SELECT balance FROM clients WHERE card = 'RACE1'")" 30000 "the balance is exactly 500 - 50 - 200 + 50 = 300.00"
is "$(sql "SELECT count(*) FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = 'RACE1' AND type = 3 AND valid = 0")" 50 "the 50 cancelled rows are marked invalid"

# Twenty tills cancel the same payment at once: it is cancelled once.
call client/payer "jeton=$P&idCarte=RACE1&montant=5"
id=$(val .idTransaction)
for i in $(seq 20); do echo "annuler jeton=$P&idTransaction=$id"; done | storm 20 >"$DATA/same.out"
is "$(jq -r .status "$DATA/same.out" | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')" "1 ok 19 transactions_deja_annulee " "one cancel wins, the others see it done"
is "$(sql "SELECT balance FROM clients WHERE card = 'RACE1'")" 30000 "and the money came back once"

# 32 payments of 1.00 race for a card holding 10.00: exactly ten succeed.
for i in $(seq 32); do echo "client/payer jeton=${jetons[i % 4]}&idCarte=DRAIN1&montant=1"; done | storm 32 >"$DATA/drain.out"
is "$(jq -r .status "$DATA/drain.out" | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')" "10 ok 22 solde_insuffisant " "ten payments pass, 22 are refused"
is "$(sql "SELECT balance FROM clients WHERE card = 'DRAIN1'")" 0 "the card is at zero, never below"

ok "$(grep -c erreur_bdd "$DATA"/*.out | awk -F: '{s += $2} END {print s}')" "no request answered erreur_bdd"
ledger_ok
ok $? "the ledger invariant holds over the whole database"
# --- rights are resolved inside the write's transaction ----------------------
# A worker is held between reading a payment and running it (the window in
# which a right once checked could go stale); meanwhile another writer demotes
# the payer, deletes them, or revokes their key. The payment must then be
# refused, and change nothing.
HOLD=$(mktemp -u /tmp/10p5-hold.XXXXXX)
next_stack TENP5_TEST_PAUSE="run:$HOLD"
P=$(admin_jeton)
call client/ajouter "jeton=$P&idCarte=RACE1&solde=50"
# held_pay CREDENTIAL-ARGS... -- CHANGE-SQL: a payment held before its
# transaction while CHANGE-SQL commits; prints the payment's answer.
held_pay() {
	local out=$DATA/held.out sqlc=$1
	shift
	: >"$HOLD"
	curl -s "$@" --data-binary "idCarte=RACE1&montant=1" "$URL/api/client/payer" >"$out" &
	local pid=$!
	held "$HOLD" || diag "the payment never reached its hold" >&2
	sql "$sqlc" || diag "the change did not commit: $sqlc" >&2
	rm -f "$HOLD"
	wait "$pid"
	jq -r .status "$out"
}
add_user "$P" race1 race1-secret-1 2
T=$(login race1 race1-secret-1)
is "$(held_pay "UPDATE users SET droit = 1 WHERE login = 'race1'" --data-urlencode "jeton=$T")" \
	droits_insuffisants "a member demoted while their payment waits is refused"
add_user "$P" race2 race2-secret-1 2
T=$(login race2 race2-secret-1)
is "$(held_pay "UPDATE users SET deleted_ms = 1 WHERE login = 'race2'" --data-urlencode "jeton=$T")" \
	jeton_invalide "a member deleted while their payment waits is refused"
call cle/creer "jeton=$P&nom=caisse&droit=2"
K=$(val .cle) KID=$(val .id)
is "$(held_pay "DELETE FROM api_keys WHERE id = $KID" -H "Authorization: ApiKey $K")" \
	jeton_invalide "a key revoked while its payment waits is refused"
is "$(sql "SELECT balance, (SELECT count(*) FROM transactions) FROM clients WHERE card = 'RACE1'")" "5000|1" \
	"none of the three payments changed anything"
ledger_ok
ok $? "the ledger invariant holds"
finish
