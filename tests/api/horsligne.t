#!/usr/bin/env bash
# Selling offline (doc/api.md, "Selling offline"): the limits a till keeps
# (horsligne/regles, set by a president through horsligne/modifier); sales
# sent late through client/payer with horsLigne, recorded with their time,
# never refused for the balance, flagged beyond the card's offline cap, refused
# past dureeMax; what staff must settle (horsligne/dettes); the same sale sent
# twice at once charged once; the cancel window from a sale's arrival;
# idRequete records kept past dureeMax.
. "$(dirname "$0")/lib.sh"
# One stream watches most of the suite: under plain CGI it must outlast it.
staff_stack TENP5_FEED_CGI_SECONDS=600
rows() { sql "SELECT count(*) FROM transactions WHERE type = 3"; }

# --- the rules ----------------------------------------------------------------
call horsligne/regles "jeton=$B"
is "$(jv '.status, .plafondCarte, .plafondCaisse, .dureeMax, (.prix | length), (.produits | length)')" \
	"ok 10 150 7200 0 0" "a bar member reads the default limits, the prices and products"
NOW=$(val .maintenant)
wall=$(date +%s%3N)
ok "$([ $((NOW - wall)) -lt 60000 ] && [ $((wall - NOW)) -lt 60000 ]; echo $?)" \
	"maintenant is the server's time in ms"
call horsligne/regles "jeton=$E"
is "$(st)" droits_insuffisants "BDE (right 1) does not read them"

call prix/modifier "jeton=$P&quantite=1&prix=1.5"
call produit/modifier "jeton=$P&nom=Bi%C3%A8re&prix=2,5&categorie=Bi%C3%A8res"
call horsligne/regles "jeton=$B"
is "$(val '[.prix[0].prix, .produits[0].nom, .produits[0].prix] | map(tostring) | join(" ")')" "1.5 Bière 2.5" \
	"the rules carry the price table and the catalogue"

T=$(ticket "$P")
sse feed "ticket=$T&types=horsligne,transaction"
sse_wait feed '^:' || sse_wait feed 'retry'
call horsligne/modifier "jeton=$B&plafondCarte=4"
is "$(st)" droits_insuffisants "a bar member does not change the limits"
call horsligne/modifier "jeton=$P&plafondCarte=4&idRequete=m-1"
is "$(jv '.status, .plafondCarte, .plafondCaisse, .dureeMax')" "ok 4 150 7200" \
	"a president sets the card's cap, the others stay"
is "$(sql "SELECT card_cap, till_cap, max_age_ms FROM offline_rules")" "400|15000|7200000" "in the database"
is "$(sql "SELECT count(*) FROM journal WHERE event = 'horsligne' AND detail LIKE '%\"plafondCarte\":4%'")" 1 \
	"the change is journaled"
sse_wait feed '^event: horsligne'
is "$(sse_data feed horsligne | jq -r '[.plafondCarte, .plafondCaisse, .dureeMax, .par] | map(tostring) | join(" ")')" \
	"4 150 7200 prez" "and is a horsligne event in the feed"

before=$(sql "SELECT card_cap || till_cap || max_age_ms FROM offline_rules")
call horsligne/modifier "jeton=$P&plafondCarte=-1"
is "$(st) $(val .champ)" "requete_malforme plafondCarte" "a negative cap is malformed"
call horsligne/modifier "jeton=$P&plafondCaisse=1000.01"
is "$(st)" montant_trop_eleve "a cap above the ceiling is refused"
call horsligne/modifier "jeton=$P&dureeMax=59"
is "$(st) $(val .champ)" "requete_malforme dureeMax" "dureeMax under a minute is malformed"
call horsligne/modifier "jeton=$P&dureeMax=604801"
is "$(st) $(val .champ)" "requete_malforme dureeMax" "dureeMax over a week is malformed"
call horsligne/modifier "jeton=$P"
is "$(st) $(val .champ)" "requete_malforme plafondCarte" "a change that sets nothing is malformed"
is "$(sql "SELECT card_cap || till_cap || max_age_ms FROM offline_rules")" "$before" "refusals change no limit"

# --- offline sales --------------------------------------------------------------
call client/ajouter "jeton=$P&idCarte=OFF1&solde=5"
S1=$((NOW - 600000))
call client/payer "jeton=$B&idCarte=OFF1&montant=3&horsLigne=$S1&idRequete=o-1"
is "$(jv '.status, .soldeAncien, .soldeNouveau, .horsLigne, .dette, .signalee')" "ok 5 2 true false false" \
	"a sale made offline ten minutes ago is charged when it arrives"
tx1=$(val .idTransaction)
recu=$(val .recu)
is "$(sql "SELECT date_ms, received_ms FROM transactions WHERE id = $tx1")" "$S1|$recu" \
	"recorded with the sale's time as its date and the receiving time"
ok "$([ "$recu" -ge "$NOW" ]; echo $?)" "recu is the server's time when it arrived"
sse_wait feed "^data: .*\"id\":$tx1,"
is "$(sse_data feed transaction | jq -r "select(.id == $tx1) | [.date, .horsLigne, .recu] | map(tostring) | join(\" \")")" \
	"$S1 true $recu" "the feed's transaction carries its date, horsLigne and recu"
sse_stop feed

S2=$((NOW - 500000))
call client/payer "jeton=$B&idCarte=OFF1&montant=5&horsLigne=$S2&idRequete=o-2"
is "$(jv '.status, .soldeNouveau, .dette, .signalee')" "ok -3 true false" \
	"a sale the balance does not cover goes through offline: the card owes, within the offline cap"
is "$(sql "SELECT count(*) FROM offline_flags")" 0 "and is not flagged"
call client/payer "jeton=$B&idCarte=OFF1&montant=2&horsLigne=$((NOW - 400000))&idRequete=o-3"
is "$(jv '.status, .soldeNouveau, .dette, .signalee')" "ok -5 true true" \
	"a sale beyond the card's offline cap is recorded all the same, and flagged"
tx3=$(val .idTransaction)
is "$(sql "SELECT reasons FROM offline_flags WHERE transaction_id = $tx3")" 1 "flagged for the cap in the database"
call client/payer "jeton=$B&idCarte=OFF1&montant=1"
is "$(jv '.status, .solde, .manque')" "solde_insuffisant -5 6" "online, the card's balance still refuses a payment"
ledger_ok
ok $? "balances equal the ledger"

call horsligne/dettes "jeton=$B"
is "$(val '.cartes | tojson')" '[{"idCarte":"OFF1","solde":-5,"manque":5}]' \
	"horsligne/dettes lists the card left below zero by offline sales"
is "$(val ".ventes | map([.idTransaction, .idCarte, .utilisateur, .montant, .valide, (.motifs | join(\",\"))] | map(tostring) | join(\" \")) | join(\";\")")" \
	"$tx3 OFF1 bar 2 true plafond" "and the sale flagged, with its reason"
is "$(val '.ventes[0] | [.date, .recu] | map(type) | join(" ")')" "number number" "with its date and receiving time"
call horsligne/dettes "jeton=$E"
is "$(st)" droits_insuffisants "BDE (right 1) does not read the debts"
call client/ajouter "jeton=$P&idCarte=ONL1&solde=1"
call client/payer "jeton=$B&idCarte=ONL1&montant=1"
call horsligne/dettes "jeton=$B"
is "$(val '[.cartes[].idCarte] | join(",")')" "OFF1" "a card at zero through online sales is no debt"

call client/fiche "jeton=$B&idCarte=OFF1"
is "$(val "[.transactions[] | select(.horsLigne) | .id] | map(tostring) | join(\",\")")" \
	"$tx1,$(sql "SELECT id FROM transactions WHERE date_ms = $S2"),$tx3" "the fiche shows the offline sales as such"
is "$(val ".transactions[] | select(.id == $tx1) | [.date, .recu] | map(tostring) | join(\" \")")" "$S1 $recu" \
	"each with its date and recu"
is "$(val '[.transactions[] | select(.type != 3) | has("horsLigne")] | join(",")')" "false" \
	"rows made online carry neither key"
S4=$((NOW - 300000))
call client/payer "jeton=$B&idCarte=OFF1&montant=0.5&horsLigne=$S4&idRequete=o-4"
call client/fiche "jeton=$B&idCarte=OFF1"
is "$(val "[.transactions[] | select(.date == $S4)] | length")" 1 \
	"a fiche read after a new offline sale shows it (the kept history follows the card)"

call statistiques "jeton=$B&depuis=$S1&jusqua=$((S1 + 120000))&pas=60"
is "$(val '[.serie[] | .recettes] | map(tostring) | join(" ")')" "3 5" \
	"statistiques counts each offline sale in the bucket of its sale time"

# --- bad input ----------------------------------------------------------------
n=$(rows)
call client/payer "jeton=$B&idCarte=OFF1&montant=1&horsLigne=$((NOW + 600000))&idRequete=b-1"
is "$(st) $(val .champ)" "requete_malforme horsLigne" "a sale's time ten minutes ahead of the server is malformed"
call client/payer "jeton=$B&idCarte=OFF1&montant=1&horsLigne=12h30&idRequete=b-2"
is "$(st) $(val .champ)" "requete_malforme horsLigne" "a time that is not a number is malformed"
call client/payer "jeton=$B&idCarte=OFF1&montant=1&horsLigne=$((NOW - 7300000))&idRequete=b-3"
is "$(st)" horsligne_expire "a sale older than dureeMax is refused"
call client/payer "jeton=$B&idCarte=OFF1&montant=1&horsLigne=$NOW"
is "$(st) $(val .champ)" "requete_malforme idRequete" "an offline sale without idRequete is malformed"
call client/payer "jeton=$B&idCarte=NOPE&montant=1&horsLigne=$NOW&idRequete=b-4"
is "$(st)" client_inconnu "an offline sale on an unknown card is client_inconnu"
call client/payer "jeton=$B&idCarte=OFF1&montant=1001&horsLigne=$NOW&idRequete=b-5"
is "$(st)" montant_trop_eleve "an amount above the ceiling is refused offline too"
is "$(rows)" "$n" "none of them charged anything"
call client/payer "jeton=$B&idCarte=OFF1&montant=2.5&horsLigne=$((NOW - 400000))&idRequete=o-3"
is "$(st) $(val .champ)" "requete_malforme idRequete" "an idRequete used again with other contents is refused"
call client/payer "jeton=$B&idCarte=OFF1&montant=2&horsLigne=$((NOW - 400000))&idRequete=o-3"
is "$(jv '.status, .idTransaction, .soldeNouveau')" "ok $tx3 -5" "the same sale sent again answers as the first time"
is "$(rows)" "$n" "and charges nothing more"

# --- the same sale sent twice at once -------------------------------------------
call client/ajouter "jeton=$P&idCarte=RACE1&solde=10"
for i in $(seq 8); do echo "client/payer jeton=$B&idCarte=RACE1&montant=1.5&horsLigne=$((NOW - 60000))&idRequete=r-1"; done |
	storm 8 >"$DATA/race"
is "$(jq -r '[.status, .idTransaction] | map(tostring) | join(" ")' "$DATA/race" | sort -u | wc -l) $(jq -r .status "$DATA/race" | sort -u)" \
	"1 ok" "eight copies of one offline sale sent at once all answer the same payment"
is "$(sql "SELECT count(*), sum(amount) FROM transactions t JOIN clients c ON c.id = t.client_id
	WHERE c.card = 'RACE1' AND t.type = 3") $(balance RACE1)" "1|150 850" "charged once"

# --- blocked cards ---------------------------------------------------------------
call client/ajouter "jeton=$P&idCarte=BLK1&solde=5"
call client/ajouter "jeton=$P&idCarte=OLD1&solde=5"
call horsligne/regles "jeton=$B"
is "$(val '.bloquees | tojson')" '[]' "no card blocked: the rules list none"
call client/bloquer "jeton=$B&idCarte=BLK1"
blocked=$(sql "SELECT blocked_ms FROM clients WHERE card = 'BLK1'")
call client/remplacer "jeton=$B&idCarte=OLD1&nouvelleCarte=NEW1"
left=$(sql "SELECT replaced_ms FROM former_cards WHERE card = 'OLD1'")
call horsligne/regles "jeton=$B"
is "$(val '.bloquees | tojson')" '["BLK1","OLD1"]' \
	"the rules list the blocked cards and the former cards, for the till to refuse"
n=$(rows)
call client/payer "jeton=$B&idCarte=BLK1&montant=1&idRequete=k-0"
is "$(st) $(rows)" "carte_bloquee $n" "online, a blocked card is refused"
call client/payer "jeton=$B&idCarte=BLK1&montant=1&horsLigne=$((blocked - 1))&idRequete=k-1"
is "$(jv '.status, .soldeNouveau, .signalee, .bloquee')" "ok 4 false false" \
	"a sale made offline before its card was blocked stands"
call client/payer "jeton=$B&idCarte=BLK1&montant=2&horsLigne=$((blocked + 1))&idRequete=k-2"
is "$(jv '.status, .soldeNouveau, .signalee, .bloquee')" "ok 2 true true" \
	"a sale made offline after its card was blocked is recorded, and flagged"
k2=$(val .idTransaction)
is "$(sql "SELECT reasons FROM offline_flags WHERE transaction_id = $k2")" 2 "flagged for the block in the database"
call horsligne/dettes "jeton=$B"
is "$(val ".ventes[] | select(.idTransaction == $k2) | [.idCarte, (.motifs | join(\",\"))] | join(\" \")")" \
	"BLK1 bloquee" "horsligne/dettes names the reason"
call client/payer "jeton=$B&idCarte=OLD1&montant=1&horsLigne=$((left - 1))&idRequete=k-3"
is "$(jv '.status, .signalee')" "ok false" "a sale on a card made before it was replaced stands"
call client/payer "jeton=$B&idCarte=OLD1&montant=1&horsLigne=$((left + 1))&idRequete=k-4"
is "$(jv '.status, .signalee, .bloquee')" "ok true true" "one made after is recorded and flagged"
is "$(balance NEW1) $(sql "SELECT count(*) FROM transactions t JOIN clients c ON c.id = t.client_id
	WHERE c.card = 'NEW1' AND t.received_ms IS NOT NULL")" "300 2" "both are charged to the account, on its new card"
call client/debloquer "jeton=$B&idCarte=BLK1"
is "$(sql "SELECT blocked, blocked_ms IS NULL FROM clients WHERE card = 'BLK1'")" "0|1" \
	"unblocked, the card keeps no blocking time"
call client/payer "jeton=$B&idCarte=BLK1&montant=1&horsLigne=$((blocked + 2))&idRequete=k-5"
is "$(jv '.status, .signalee')" "ok false" "a sale sent once the card is found again is not flagged"
ledger_ok
ok $? "balances equal the ledger"

# --- cancelling a sale made offline ---------------------------------------------
call client/ajouter "jeton=$P&idCarte=WIN1&solde=5"
call client/payer "jeton=$B&idCarte=WIN1&montant=1&horsLigne=$((NOW - 600000))&idRequete=w-1"
w1=$(val .idTransaction)
call client/payer "jeton=$B&idCarte=WIN1&montant=2&horsLigne=$((NOW - 600000))&idRequete=w-2"
w2=$(val .idTransaction)
call annuler "jeton=$B&idTransaction=$w1"
is "$(jv '.status, .soldeNouveau')" "ok 3" \
	"its seller cancels a sale made offline ten minutes before, just after it arrived"
clock_forward 130
call annuler "jeton=$B&idTransaction=$w2"
is "$(st)" transaction_expiree "the cancel window runs from its arrival"

# --- idRequete records outlive dureeMax by a day ----------------------------------
# (FastCGI workers forget stale records between requests; under plain CGI no
# process outlives its request and every record is kept.)
[ "${STACK:-nginx}" = nginx ] || finish
call horsligne/modifier "jeton=$P&dureeMax=172800"
call client/payer "jeton=$B&idCarte=OFF1&montant=0.1&horsLigne=$NOW&idRequete=keep-1"
kept=$(val .idTransaction)
stale() { sql "SELECT count(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = 'bar')"; }
purged_when() { # purged_when CHECK: waits (30 s at most) for CHECK to print 0
	local deadline=$((SECONDS + 30))
	until [ "$($1)" = 0 ]; do [ "$SECONDS" -ge "$deadline" ] && return 1; sleep 0.05; done
}
clock_forward 129600 # a day and a half: past a day, within dureeMax and a day
login bde bde-secret-1 >/dev/null # a turn: the worker then forgets what is stale
purged_when stale
ok $? "the day-old sessions are forgotten"
is "$(sql "SELECT count(*) FROM requests WHERE request_id = 'keep-1'")" 1 \
	"in the same pass, an offline sale's record a day and a half old is kept (dureeMax two days)"
B=$(login bar bar-secret-1)
call client/payer "jeton=$B&idCarte=OFF1&montant=0.1&horsLigne=$NOW&idRequete=keep-1"
is "$(st) $(val .idTransaction)" "ok $kept" "sent again then, it answers as the first time"
clock_forward 129600 # three days in all
login bde bde-secret-1 >/dev/null
keep1() { sql "SELECT count(*) FROM requests WHERE request_id = 'keep-1'"; }
purged_when keep1
ok $? "past dureeMax and a day, it is forgotten"

# Raising dureeMax brings no forgotten record back: a sale sent again once
# its record may be gone is expired, never charged a second time.
P=$(admin_jeton)
B=$(login bar bar-secret-1)
call horsligne/modifier "jeton=$P&dureeMax=60"
call horsligne/regles "jeton=$B"
T=$(val .maintenant)
call client/payer "jeton=$B&idCarte=OFF1&montant=0.1&horsLigne=$T&idRequete=keep-2"
is "$(st)" ok "an offline sale under a dureeMax of a minute"
clock_forward 86520 # a day and two minutes: past dureeMax and a day
login bde bde-secret-1 >/dev/null
keep2() { sql "SELECT count(*) FROM requests WHERE request_id = 'keep-2'"; }
purged_when keep2
ok $? "its record is forgotten a day past dureeMax"
P=$(admin_jeton)
B=$(login bar bar-secret-1)
call horsligne/modifier "jeton=$P&dureeMax=604800"
n=$(rows)
call client/payer "jeton=$B&idCarte=OFF1&montant=0.1&horsLigne=$T&idRequete=keep-2"
is "$(st) $(rows)" "horsligne_expire $n" \
	"dureeMax then raised to a week, the same sale sent again is horsligne_expire and charged nothing"
call horsligne/regles "jeton=$B"
call client/payer "jeton=$B&idCarte=OFF1&montant=0.1&horsLigne=$(val .maintenant)&idRequete=keep-3"
is "$(st)" ok "a sale made since goes through"
ledger_ok
ok $? "balances equal the ledger"

finish
