#!/usr/bin/env bash
# The evening's close-out recomputed from the ledger (doc/api.md, "The
# treasurer"): a random evening of 2 000 operations by four staff at once
# (openings, top-ups by every means, payments by amount, quantity and basket,
# emptyings, cancels and redos, inside and across shifts that open and close
# between rounds), then every shift's cash expected and totals per means, and
# every figure of statistiques, must equal to the cent what SQL written here
# computes from the ledger rows, and the admin command's check must pass.
# CLOTURE_SEED replays an evening.
. "$(dirname "$0")/lib.sh"
start_stack TENP5_SESSION_TTL=3600
SEED=${CLOTURE_SEED:-$$}
RANDOM=$SEED
diag "seed $SEED"
P=$(admin_jeton)
for i in 1 2 3; do add_user "$P" "bar$i" "bar$i-secret-1" 2; done
declare -A J=([prez]=$P)
for i in 1 2 3; do J[bar$i]=$(login "bar$i" "bar$i-secret-1"); done
staff=(prez bar1 bar2 bar3)
means=(especes carte virement offert)
for p in "Bière:2.5" "Coca:1.8" "Chips:1" "Cocktail:6.35"; do
	call produit/modifier "jeton=$P&nom=${p%%:*}&prix=${p#*:}"
done
call prix/modifier "jeton=$P&quantite=1&prix=2"
call prix/modifier "jeton=$P&quantite=3&prix=5.5"
t0=$(sql "SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)")

# Random choices in this shell only (a subshell would draw from another
# sequence, and CLOTURE_SEED would not replay): each sets a variable.
pick() { local a=("$@"); PICK=${a[RANDOM % ${#a[@]}]}; }
amount() { local c=$((RANDOM % $1 + 1)); AMOUNT=$((c / 100)).$((c % 100 / 10))$((c % 10)); }
open_shift() { OPEN=$(sql "SELECT id FROM services WHERE closed_ms IS NULL AND user_id = (SELECT id FROM users WHERE login = '$1')"); }
cards=0
txs=()  # "id maker" of each row made so far
ops=0
for round in $(seq 1 10); do
	# Between rounds, shifts open and close (with a count near what is due).
	for who in "${staff[@]}"; do
		[ $((RANDOM % 3)) = 0 ] || continue
		open_shift "$who"
		if [ -n "$OPEN" ]; then
			closer=$who
			[ $((RANDOM % 4)) = 0 ] && closer=prez
			amount 60000
			call service/fermer "jeton=${J[$closer]}&id=$OPEN&compte=$AMOUNT"
		else
			amount 20000
			call service/ouvrir "jeton=${J[$who]}&fond=$AMOUNT&caisse=Caisse%20$who"
		fi
		ops=$((ops + 1))
	done
	: >"$DATA/plan"
	for _ in $(seq 1 200); do
		pick "${staff[@]}"
		who=$PICK
		j=${J[$who]}
		r=$((RANDOM % 100))
		pick "${means[@]}"
		m=$PICK
		if [ $cards -lt 5 ] || [ $r -lt 8 ]; then
			cards=$((cards + 1))
			amount 5000
			echo "$who client/ajouter jeton=$j&idCarte=SOIR$cards&solde=$AMOUNT&moyen=$m" >>"$DATA/plan"
			continue
		fi
		card=SOIR$((RANDOM % cards + 1))
		if [ $r -lt 30 ]; then
			amount 5000
			line="client/recharger jeton=$j&idCarte=$card&montant=$AMOUNT&moyen=$m"
		elif [ $r -lt 45 ]; then
			amount 1500
			line="client/payer jeton=$j&idCarte=$card&montant=$AMOUNT"
		elif [ $r -lt 52 ]; then
			pick 1 3
			line="client/payer jeton=$j&idCarte=$card&quantite=$PICK"
		elif [ $r -lt 66 ]; then
			pick 1:1 2:2 1:1,3:2 4:1,2:1,1:3
			line="client/payer jeton=$j&idCarte=$card&produits=$PICK"
		elif [ $r -lt 72 ]; then
			line="client/vidange jeton=$j&idCarte=$card&moyen=$m"
		elif [ ${#txs[@]} -gt 0 ]; then
			# A cancel or redo of an earlier row: by its maker, or by the
			# president, inside its shift or after it closed.
			read -r id who <<<"${txs[RANDOM % ${#txs[@]}]}"
			[ $((RANDOM % 2)) = 0 ] && who=prez
			pick annuler annuler refaire
			line="$PICK jeton=${J[$who]}&idTransaction=$id"
		else
			line="client/recharger jeton=$j&idCarte=$card&montant=1"
		fi
		echo "$who $line" >>"$DATA/plan"
	done
	cut -d' ' -f2- "$DATA/plan" | storm 4 >"$DATA/round.out"
	ops=$((ops + 200))
	while read -r who path _ id; do
		[ -n "$id" ] && [[ $path == client/* ]] && txs+=("$id $who")
	done < <(paste -d' ' "$DATA/plan" <(jq -R -r '(fromjson? // {}) | .idTransaction // ""' "$DATA/round.out"))
	diag "round $round: $(grep -c '"status":"ok"' "$DATA/round.out") of 200 accepted"
done
for who in "${staff[@]}"; do
	open_shift "$who"
	[ -n "$OPEN" ] && call service/fermer "jeton=$P&id=$OPEN&compte=100"
done
ok "$([ $ops -ge 2000 ]; echo $?)" "an evening of $ops operations, $(sql "SELECT count(*) FROM transactions") rows, $(sql "SELECT count(*) FROM services") shifts"
is "$(sql "SELECT count(DISTINCT service_id IS NULL) || ' ' || count(DISTINCT means) || ' ' || (SELECT count(*) > 0 FROM transactions WHERE NOT valid)
	|| ' ' || (SELECT count(*) > 0 FROM services WHERE changed_ms IS NOT NULL) FROM transactions")" "2 4 1 1" \
	"rows in and out of shifts, by every means, cancelled ones, shifts corrected after closing"

# --- every shift, to the cent -------------------------------------------------
# Written apart from the server's query: one sum per kind of row.
sum() { echo "(SELECT coalesce(sum($1), 0) FROM transactions t WHERE t.service_id = s.id AND t.valid AND $2)"; }
per_means() { echo "$(sum amount "t.means = $1 AND t.type = 2") + $(sum amount "t.means = $1 AND t.type = 1 AND t.amount > 0") - $(sum amount "t.means = $1 AND t.type = 4")"; }
sql "SELECT s.id, s.cash_float + $(per_means 0), s.counted, $(per_means 0), $(per_means 1), $(per_means 2), $(per_means 3),
	s.expected FROM services s ORDER BY s.id" | tr '|' ' ' >"$DATA/want"
call service/liste "jeton=$P"
jq -r '.services[] | [.id] + ([.attendu, .compte, .totaux.especes, .totaux.carte, .totaux.virement,
	.totaux.offert, .attenduFermeture] | map(if . == null then "" else . * 100 | round end))
	| map(tostring) | join(" ")' <<<"$REPLY" >"$DATA/got"
is "$(diff "$DATA/want" "$DATA/got")" "" "every shift's attendu, compte, totals per means and attenduFermeture equal the ledger's, to the cent"
is "$(jq -r '[.services[] | select(.ecart != null) | ((.compte * 100 | round) - (.attendu * 100 | round)) == (.ecart * 100 | round)]
	| all' <<<"$REPLY")" true "every ecart is compte - attendu"
is "$(jq -r '[.services[] | select(.modifie == null) | .attendu == .attenduFermeture] | all' <<<"$REPLY")" true \
	"a shift untouched since its closing expects what it expected then"
is "$(sql "SELECT count(*) FROM transactions t JOIN services s ON s.id = t.service_id
	WHERE t.user_id != s.user_id OR t.date_ms < s.opened_ms OR t.date_ms > s.closed_ms")" 0 \
	"every row of a shift was made by its user while it was open"
is "$(sql "SELECT count(*) FROM transactions t JOIN services s ON s.user_id = t.user_id
	WHERE t.service_id IS NULL AND t.date_ms > s.opened_ms AND t.date_ms < s.closed_ms")" 0 \
	"and every row made while its user had a shift open carries it"
is "$(sql "SELECT count(*) FROM transactions t WHERE t.lines != (SELECT count(*) FROM sale_lines l WHERE l.transaction_id = t.id)
	OR (t.lines > 0 AND t.amount != (SELECT sum(price * qty) FROM sale_lines l WHERE l.transaction_id = t.id))
	OR (t.lines > 0 AND t.qty != (SELECT sum(qty) FROM sale_lines l WHERE l.transaction_id = t.id))")" 0 \
	"every basket's amount and items are the sum of its lines"

# --- statistiques, to the cent --------------------------------------------------
money() { jq -r "$1 | . * 100 | round" <<<"$REPLY"; }
call statistiques "jeton=$P"
got="$(money .recettes) $(money .dettes) $(money .benefices) $(val .consommationsNb) $(money .factureBDE) $(money .offert)"
got+=" $(money .rechargementsParMoyen.especes) $(money .rechargementsParMoyen.carte) $(money .rechargementsParMoyen.virement) $(money .rechargementsParMoyen.offert)"
topup() { echo "(SELECT coalesce(sum(amount), 0) FROM transactions WHERE valid AND type = 2 AND means = $1)"; }
want=$(sql "SELECT (SELECT coalesce(sum(amount), 0) FROM transactions WHERE valid AND type = 3)
	|| ' ' || (SELECT coalesce(sum(balance), 0) FROM clients WHERE balance > 0)
	|| ' ' || ((SELECT coalesce(sum(amount), 0) FROM transactions WHERE valid AND type = 3) + (SELECT coalesce(sum(balance), 0) FROM clients WHERE balance < 0))
	|| ' ' || (SELECT coalesce(sum(CASE WHEN qty > 0 THEN qty ELSE 1 END), 0) FROM transactions WHERE valid AND type = 3)
	|| ' ' || (SELECT coalesce(sum(amount), 0) FROM transactions WHERE valid AND type = 1 AND amount > 0 AND means != 3)
	|| ' ' || (SELECT coalesce(sum(amount), 0) FROM transactions WHERE valid AND type IN (1, 2) AND amount > 0 AND means = 3)
	|| ' ' || $(topup 0) || ' ' || $(topup 1) || ' ' || $(topup 2) || ' ' || $(topup 3)")
is "$got" "$want" "statistiques: takings, debts, profit, drinks, openings, free credit and top-ups per means equal the ledger's"
now=$(($(sql "SELECT max(date_ms) FROM transactions") + 1))
call statistiques "jeton=$P&depuis=$t0&jusqua=$now&pas=3600"
is "$(jq -c '[.produits[] | [.id, .qte, (.montant * 100 | round)]]' <<<"$REPLY")" \
	"$(sql "SELECT json_group_array(json_array(product_id, q, m)) FROM (SELECT l.product_id, sum(l.qty) AS q,
		sum(l.qty * l.price) AS m FROM sale_lines l JOIN transactions t ON t.id = l.transaction_id
		WHERE t.valid GROUP BY l.product_id ORDER BY l.product_id)")" \
	"statistiques' produits: each product's items and amount over the valid baskets"
is "$(jq -c '[.serie[] | (.recettes * 100 | round)] | add' <<<"$REPLY") $(money '.rechargementsParMoyen.especes')" \
	"$(sql "SELECT (SELECT sum(amount) FROM transactions WHERE valid AND type = 3) || ' ' || $(topup 0)")" \
	"the series add up to the takings, and the period's top-ups per means to the ledger's"
ledger_ok
ok $? "10p5-admin check passes"
finish
