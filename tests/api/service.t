#!/usr/bin/env bash
# Means of payment and shifts (doc/api.md, "The treasurer"): moyen on
# openings, top-ups and emptyings; opening, closing and listing shifts, the
# rows each carries, the cash expected and the gap, to the cent; corrections
# after closing; statistiques per means.
. "$(dirname "$0")/lib.sh"
staff_stack
add_user "$P" bar2 bar2-secret-1 2
B2=$(login bar2 bar2-secret-1)
row() { sql "SELECT type, amount, means, coalesce(service_id, '-') FROM transactions WHERE id = $1"; }

# --- means of payment ---------------------------------------------------------
call client/ajouter "jeton=$E&idCarte=MOY1&solde=20"
is "$(row "$(val .idTransaction)")" "1|2000|0|-" "an opening without moyen is cash (especes), outside any shift"
call client/ajouter "jeton=$E&idCarte=MOY2&solde=15&moyen=offert"
is "$(row "$(val .idTransaction)")" "1|1500|3|-" "an opening may be credit given free (offert)"
call client/recharger "jeton=$B&idCarte=MOY1&montant=10&moyen=carte"
is "$(row "$(val .idTransaction)")" "2|1000|1|-" "a top-up by bank card (carte)"
call client/recharger "jeton=$B&idCarte=MOY1&montant=5&moyen=virement"
is "$(row "$(val .idTransaction)")" "2|500|2|-" "a top-up by transfer (virement)"
call client/recharger "jeton=$B&idCarte=MOY1&montant=5&moyen=cheque"
is "$(st) $(val .champ)" "requete_malforme moyen" "an unknown means is malformed"
call client/recharger "jeton=$B&idCarte=MOY1&montant=5&moyen=Especes"
is "$(st) $(val .champ)" "requete_malforme moyen" "means are lower-case words"
call client/payer "jeton=$B&idCarte=MOY1&montant=1"
tx=$(val .idTransaction)
call client/vidange "jeton=$B&idCarte=MOY2&moyen=virement"
is "$(row "$(val .idTransaction)")" "4|1500|2|-" "an emptying paid back by transfer"
call client/fiche "jeton=$B&idCarte=MOY1"
is "$(val '[.transactions[] | .moyen] | tojson')" '["especes","carte","virement",null]' \
	"transaction objects carry moyen, null for a payment"
is "$(val '[.transactions[] | .service] | tojson')" '[null,null,null,null]' "and service, null outside any shift"
call statistiques "jeton=$B"
is "$(jv '(.rechargementsParMoyen | tojson), .offert, .factureBDE')" \
	'{"especes":0,"carte":10,"virement":5,"offert":0} 15 20' \
	"statistiques: top-ups per means; offert counted apart, and not in factureBDE"

# --- opening a shift ----------------------------------------------------------
call service/ouvrir "jeton=$B&caisse=Bar%20du%20fond&fond=50,5"
is "$(st)" ok "a bar member opens a shift"
S1=$(val .id)
is "$(sql "SELECT till, cash_float, closed_ms IS NULL, user_id = (SELECT id FROM users WHERE login = 'bar') FROM services WHERE id = $S1")" \
	"Bar du fond|5050|1|1" "with its till and float counted, open, theirs"
call service/ouvrir "jeton=$B&fond=10"
is "$(st) $(val .id)" "service_ouvert $S1" "a second open shift is refused, naming the open one"
is "$(sql "SELECT count(*) FROM services")" 1 "and none is made"
call service/ouvrir "jeton=$B2"
S2=$(val .id)
is "$(sql "SELECT till, cash_float FROM services WHERE id = $S2")" "bar2|0" "the till defaults to the login, the float to 0"
call service/ouvrir "jeton=$E"
is "$(st)" droits_insuffisants "BDE (right 1) opens no shift"
call service/ouvrir "jeton=$P&fond=-1"
is "$(st) $(val .champ)" "requete_malforme fond" "a negative float is malformed"
call service/ouvrir "jeton=$P&fond=1.005"
is "$(st) $(val .champ)" "requete_malforme fond" "a float with three decimals is malformed"
call service/ouvrir "jeton=$P&fond=1000000.01"
is "$(st)" montant_trop_eleve "a float above a million euros is refused"
is "$(sql "SELECT count(*) FROM services WHERE user_id = 1")" 0 "refused openings leave no shift"
call service/ouvrir "jeton=$P&fond=20&idRequete=ouv-1"
first=$REPLY
SP=$(val .id)
call service/ouvrir "jeton=$P&fond=20&idRequete=ouv-1"
is "$REPLY" "$first" "an opening repeated with its idRequete answers the same"
is "$(sql "SELECT count(*) FROM services WHERE user_id = 1")" 1 "and opens nothing more"

# --- rows made in a shift -----------------------------------------------------
call client/ajouter "jeton=$B&idCarte=SRV1&solde=30"
is "$(row "$(val .idTransaction)")" "1|3000|0|$S1" "an opening made in a shift carries its id"
call client/recharger "jeton=$B&idCarte=SRV1&montant=20&moyen=carte"
is "$(row "$(val .idTransaction)")" "2|2000|1|$S1" "so does a top-up"
call client/recharger "jeton=$B&idCarte=SRV1&montant=12.34"
cash_topup=$(val .idTransaction)
call client/payer "jeton=$B&idCarte=SRV1&montant=4.5"
is "$(row "$(val .idTransaction)")" "3|450|0|$S1" "and a payment"
call client/recharger "jeton=$B2&idCarte=SRV1&montant=7"
is "$(row "$(val .idTransaction)")" "2|700|0|$S2" "each user's rows carry their own shift"
call client/ajouter "jeton=$B&idCarte=SRV2&solde=8&moyen=offert"
call client/vidange "jeton=$B&idCarte=MOY1"
is "$(row "$(val .idTransaction)")" "4|3400|0|$S1" "an emptying in cash, in the shift"
call client/ajouter "jeton=$P&idCarte=SRV3&solde=-5&decouvert=oui"
is "$(row "$(val .idTransaction)")" "1|-500|0|$SP" "a president's rows carry theirs"
call client/fiche "jeton=$B&idCarte=SRV1"
is "$(val '[.transactions[] | .service] | unique | tojson')" "[$S1,$S2]" "the fiche shows each row's shift"

# --- closing ------------------------------------------------------------------
# Expected cash of S1: 50.50 float + 30 (opening) + 12.34 (top-up) - 34 (emptying).
call service/fermer "jeton=$B2&id=$S1&compte=60"
is "$(st)" droits_insuffisants "a bar member cannot close someone else's shift"
call service/fermer "jeton=$B&id=$S1&compte=60.001"
is "$(st) $(val .champ)" "requete_malforme compte" "a count with three decimals is malformed"
call service/fermer "jeton=$B&id=$S1&compte=-1"
is "$(st) $(val .champ)" "requete_malforme compte" "a negative count is malformed"
call service/fermer "jeton=$B&id=$S1"
is "$(st) $(val .champ)" "requete_malforme compte" "closing needs the count"
call service/fermer "jeton=$B&id=999&compte=1"
is "$(st)" service_inconnu "an unknown shift is service_inconnu"
is "$(sql "SELECT count(*) FROM services WHERE closed_ms IS NOT NULL")" 0 "refused closings close nothing"
call service/fermer "jeton=$B&id=$S1&compte=58,80"
is "$(st)" ok "a bar member closes their own shift"
is "$(jv '.attendu, .compte, .ecart')" "58.84 58.8 -0.04" \
	"attendu is the float plus cash in less cash out; ecart is compte - attendu"
is "$(val '.totaux | tojson')" '{"especes":8.34,"carte":20,"virement":0,"offert":8}' \
	"totaux: each means' money in less money out in the shift"
is "$(sql "SELECT counted, expected, closed_by = (SELECT id FROM users WHERE login = 'bar') FROM services WHERE id = $S1")" \
	"5880|5884|1" "the closing is stored"
call service/fermer "jeton=$B&id=$S1&compte=58.8"
is "$(st)" service_ferme "closing twice is refused"
call client/recharger "jeton=$B&idCarte=SRV1&montant=1"
is "$(row "$(val .idTransaction)")" "2|100|0|-" "after closing, the user's rows carry no shift"
call service/ouvrir "jeton=$B"
is "$(st)" ok "and a new shift may open"
S3=$(val .id)
call service/fermer "jeton=$P&id=$S2&compte=7"
is "$(st) $(jv .ecart)" "ok 0" "a president closes anyone's shift"

# --- corrections after closing ------------------------------------------------
call annuler "jeton=$B&idTransaction=$cash_topup"
is "$(st)" service_ferme "below right 3, a row of a closed shift cannot be cancelled"
is "$(sql "SELECT valid FROM transactions WHERE id = $cash_topup")" 1 "and it is not"
call annuler "jeton=$P&idTransaction=$cash_topup&idRequete=fix-1"
is "$(st)" ok "a president cancels it"
call service/liste "jeton=$P"
s1=$(val ".services[] | select(.id == $S1)")
is "$(jq -r '[.attendu, .attenduFermeture, .compte, .ecart] | join(" ")' <<<"$s1")" "46.5 58.84 58.8 12.3" \
	"the closed shift's figures follow the ledger; what was expected at closing stays"
ok "$(jq -e '.modifie > 0' <<<"$s1" >/dev/null; echo $?)" "and the shift says it changed after closing (modifie)"
call refaire "jeton=$P&idTransaction=$cash_topup"
call service/liste "jeton=$P"
is "$(val ".services[] | select(.id == $S1) | .attendu")" 58.84 "a redo brings the figures back"
call service/liste "jeton=$P"
is "$(val ".services[] | select(.id == $S2) | .modifie")" null "an untouched closed shift has modifie null"

# --- the list -----------------------------------------------------------------
is "$(val '[.services[] | .id] | tojson')" "[$S1,$S2,$SP,$S3]" "service/liste gives every shift, oldest first"
is "$(val ".services[] | select(.id == $S3) | [.fermeture, .compte, .ecart, .attenduFermeture] | tojson")" \
	"[null,null,null,null]" "an open shift has no closing figures"
is "$(val ".services[0] | keys_unsorted | join(\",\")")" \
	"id,caisse,utilisateur,ouverture,fermeture,fond,attendu,compte,ecart,totaux,attenduFermeture,modifie" \
	"each shift has its keys"
t3=$(sql "SELECT opened_ms FROM services WHERE id = $S3")
call service/liste "jeton=$P&depuis=$t3"
is "$(val '[.services[] | .id] | tojson')" "[$S3]" "depuis keeps the shifts opened since"
call service/liste "jeton=$P&jusqua=$t3"
is "$(val '[.services[] | .id] | tojson')" "[$S1,$S2,$SP]" "jusqua those opened before"
call service/liste "jeton=$P&depuis=$t3&jusqua=$t3"
is "$(st) $(val .champ)" "requete_malforme jusqua" "jusqua not after depuis is malformed"
call service/liste "jeton=$B"
is "$(st)" droits_insuffisants "a bar member does not list shifts"

# --- the journal --------------------------------------------------------------
is "$(sql "SELECT count(*) FROM journal WHERE event = 'service'")" 6 "each opening and closing is journaled"
is "$(sql "SELECT json_extract(detail, '$.requete') || ' ' || json_extract(detail, '$.ecart') FROM journal
	WHERE event = 'service' AND json_extract(detail, '$.id') = $S1 ORDER BY id DESC LIMIT 1")" \
	"service/fermer -0.04" "with its figures"

# --- races --------------------------------------------------------------------
# Eight openings by one user at once: one shift, seven told which one is open.
add_user "$P" bar3 bar3-secret-1 2
B3=$(login bar3 bar3-secret-1)
for i in 1 2 3 4 5 6 7 8; do echo "service/ouvrir jeton=$B3&fond=$i"; done | storm 8 | jq -r .status | sort | uniq -c |
	awk '{ printf "%s:%s ", $2, $1 }' >"$DATA/opens"
is "$(cat "$DATA/opens")" "ok:1 service_ouvert:7 " "eight openings at once open one shift"
is "$(sql "SELECT count(*) FROM services WHERE user_id = (SELECT id FROM users WHERE login = 'bar3')")" 1 "and only one is stored"
S4=$(sql "SELECT id FROM services WHERE user_id = (SELECT id FROM users WHERE login = 'bar3')")
# Its owner and a president close it at once, four times each: one closing.
for i in 1 2 3 4; do echo "service/fermer jeton=$B3&id=$S4&compte=$i"; echo "service/fermer jeton=$P&id=$S4&compte=$((i + 10))"; done |
	storm 8 | jq -r .status | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }' >"$DATA/closes"
is "$(cat "$DATA/closes")" "ok:1 service_ferme:7 " "eight closings at once close it once"
is "$(sql "SELECT count(*) FROM journal WHERE event = 'service' AND json_extract(detail, '$.id') = $S4")" 2 \
	"one opening and one closing journaled"

ledger_ok
ok $? "the ledger invariant holds"
finish
