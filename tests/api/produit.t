#!/usr/bin/env bash
# The catalogue (doc/api.md, "The treasurer"): products made and changed by a
# president; payments from a basket (produits=id:qte,...), one payment with
# its lines at the prices of the moment; every refusal of a bad basket,
# changing nothing; what sold, in statistiques.
. "$(dirname "$0")/lib.sh"
staff_stack
state() { sql "SELECT (SELECT count(*) FROM transactions) || ':' || (SELECT count(*) FROM sale_lines)
	|| ':' || (SELECT group_concat(balance) FROM clients)"; }

# --- the catalogue ------------------------------------------------------------
call produit/modifier "jeton=$P&nom=Bi%C3%A8re&prix=2,5&categorie=Bi%C3%A8res&ordre=2"
is "$(st) $(val .id)" "ok 1" "a president adds a product"
BEER=$(val .id)
call produit/modifier "jeton=$P&nom=Coca&prix=1.8&categorie=Softs&ordre=1"
COKE=$(val .id)
call produit/modifier "jeton=$P&nom=Chips&prix=1"
CHIPS=$(val .id)
is "$(sql "SELECT name, price, category, active, sort FROM products WHERE id = $CHIPS")" "Chips|100||1|0" \
	"a product without category nor order is active, uncategorised, order 0"
call produit/modifier "jeton=$P&nom=Eau"
is "$(st) $(val .champ)" "requete_malforme prix" "a new product needs a price"
call produit/modifier "jeton=$P&prix=1"
is "$(st) $(val .champ)" "requete_malforme nom" "and a name"
call produit/modifier "jeton=$P&nom=Eau&prix=0"
is "$(st) $(val .champ)" "requete_malforme prix" "a price of 0 is malformed"
call produit/modifier "jeton=$P&nom=Eau&prix=1000.01"
is "$(st)" montant_trop_eleve "a price above the ceiling is refused"
call produit/modifier "jeton=$P&nom=Eau&prix=1.001"
is "$(st) $(val .champ)" "requete_malforme prix" "a price with three decimals is malformed"
call produit/modifier "jeton=$P&id=99&prix=2"
is "$(st)" produit_inconnu "changing an unknown product is produit_inconnu"
call produit/modifier "jeton=$P&nom=$(head -c 65 /dev/zero | tr '\0' x)&prix=1"
is "$(st) $(val .champ)" "requete_malforme nom" "a name over 64 bytes is malformed"
call produit/modifier "jeton=$B&nom=Eau&prix=1"
is "$(st)" droits_insuffisants "a bar member does not change the catalogue"
is "$(sql "SELECT count(*) FROM products")" 3 "refusals add no product"
call produit/liste "jeton=$E"
is "$(st)" ok "BDE (right 1) reads the catalogue"
is "$(val '[.produits[] | .nom] | join(",")')" "Chips,Coca,Bière" "in the till's order (ordre, then id)"
is "$(val '.produits[2] | tojson')" \
	'{"id":1,"nom":"Bière","prix":2.5,"categorie":"Bières","actif":true,"ordre":2}' "each with its fields"
is "$(sql "SELECT count(*) FROM journal WHERE event = 'produit'")" 3 "each change is journaled"

# --- paying from a basket -----------------------------------------------------
call client/ajouter "jeton=$P&idCarte=PANIER&solde=50"
call client/payer "jeton=$B&idCarte=PANIER&produits=$BEER:3,$COKE:1&idRequete=p-1"
is "$(st) $(jv '.montant, .soldeAncien, .soldeNouveau')" "ok 9.3 50 40.7" \
	"a basket is one payment of the sum at the current prices"
first=$REPLY
tx=$(val .idTransaction)
is "$(sql "SELECT type, amount, qty, lines FROM transactions WHERE id = $tx")" "3|930|4|2" \
	"one payment row: its amount, its items as qte, its number of lines"
is "$(sql "SELECT group_concat(line || ':' || product_id || ':' || name || ':' || price || ':' || qty, ' ')
	FROM sale_lines WHERE transaction_id = $tx")" "1:1:Bière:250:3 2:2:Coca:180:1" "its lines, with name and price"
call client/payer "jeton=$B&idCarte=PANIER&produits=$BEER:3,$COKE:1&idRequete=p-1"
is "$REPLY" "$first" "a basket repeated with its idRequete answers the same"
is "$(sql "SELECT count(*) FROM sale_lines")" 2 "and charges nothing more"
call produit/modifier "jeton=$P&id=$BEER&prix=3&nom=Blonde"
is "$(st)" ok "a price and name change later"
call client/fiche "jeton=$B&idCarte=PANIER"
is "$(val ".transactions[] | select(.id == $tx) | .lignes | tojson")" \
	'[{"produit":1,"nom":"Bière","prix":2.5,"qte":3},{"produit":2,"nom":"Coca","prix":1.8,"qte":1}]' \
	"leave the lines of the past as they were sold (lignes on the transaction object)"
is "$(val '.transactions[0] | has("lignes")')" false "a row without lines has no lignes"
call client/payer "jeton=$B&idCarte=PANIER&produits=$BEER:1"
is "$(jv .montant)" 3 "a new basket takes the new price"
call transactions "jeton=$P&limite=10"
is "$(val ".transactions[] | select(.id == $tx) | .lignes | length")" 2 "transactions shows lignes too"

# --- bad baskets --------------------------------------------------------------
before=$(state)
bad=("0:1" "$BEER:0" "$BEER:-1" "$BEER:1001" "$BEER" "$BEER:1," ",$BEER:1" "$BEER:1;$COKE:1"
	"$BEER:1,$BEER:2" "$BEER:1.5" "x:1" "$BEER:1,,$COKE:1" "$BEER%3A%201" "$(seq -s, -f '%g:1' 1 101)")
for b in "${bad[@]}"; do echo "client/payer jeton=$B&idCarte=PANIER&produits=$b"; done | storm 4 |
	jq -r '"\(.status) \(.champ)"' >"$DATA/bad"
is "$(sort -u "$DATA/bad")" "requete_malforme produits" \
	"${#bad[@]} bad baskets (product 0, quantities 0, -1, 1001 or none, empty items, other separators, a product twice, 101 lines...) are malformed"
call client/payer "jeton=$B&idCarte=PANIER&produits=77:1"
is "$(st)" produit_inconnu "an unknown product is produit_inconnu"
call produit/modifier "jeton=$P&id=$CHIPS&actif=non"
call client/payer "jeton=$B&idCarte=PANIER&produits=$COKE:1,$CHIPS:1"
is "$(st)" produit_inconnu "an inactive product is produit_inconnu"
call client/payer "jeton=$B&idCarte=PANIER&produits=$COKE:1&montant=1.8"
is "$(st) $(val .champ)" "requete_malforme produits" "produits with montant is malformed"
call client/payer "jeton=$B&idCarte=PANIER&produits=$COKE:1&quantite=1"
is "$(st) $(val .champ)" "requete_malforme produits" "produits with quantite is malformed"
call client/payer "jeton=$B&idCarte=PANIER&produits=$COKE:300"
is "$(st) $(jv .solde)" "solde_insuffisant 37.7" "a basket over the balance is solde_insuffisant"
call client/payer "jeton=$B&idCarte=PANIER&produits=$BEER:1000"
is "$(st)" montant_trop_eleve "a basket over the ceiling is montant_trop_eleve"
call client/payer "jeton=$B&idCarte=NOPE&produits=$COKE:1"
is "$(st)" client_inconnu "a basket for an unknown card is client_inconnu"
is "$(state)" "$before" "no refusal wrote a row, a line or a balance"

# --- a long basket ------------------------------------------------------------
# 100 products with names of 64 bytes that JSON and CSV must escape: a row of
# some 15 kB, past the room a list gives a row at first.
name=$(printf '%s' '"\;,=' ; head -c 59 /dev/zero | tr '\0' e)
for i in $(seq 1 100); do echo "produit/modifier jeton=$P&nom=$(jq -rn --arg n "$name" '$n|@uri')&prix=0.01&categorie=Long"; done |
	storm 4 | grep -c '"status":"ok"' >"$DATA/made"
is "$(cat "$DATA/made")" 100 "a hundred more products"
long=$(sql "SELECT group_concat(id || ':1000', ',') FROM (SELECT id FROM products WHERE category = 'Long' ORDER BY id)")
call client/ajouter "jeton=$P&idCarte=LONGUE&solde=1000"
call client/payer "jeton=$B&idCarte=LONGUE&produits=$long"
is "$(st) $(jv .montant)" "ok 1000" "a basket of 100 lines of 1000 items each"
call client/fiche "jeton=$B&idCarte=LONGUE"
is "$(jq -r --arg n "$name" '[(.transactions[1].lignes | length), (.transactions[1].lignes | all(.nom == $n))]
	| join(" ")' <<<"$REPLY")" "100 true" "its row is whole in the fiche, every line and name"
is "$(val '.transactions[1].qte')" 100000 "qte counts its items"

# --- statistiques -------------------------------------------------------------
call statistiques "jeton=$B&depuis=0&pas=86400&jusqua=86400000"
is "$(val '.produits | tojson')" "[]" "no sales long ago"
t0=$(sql "SELECT min(date_ms) FROM transactions")
call statistiques "jeton=$B&depuis=$t0&pas=3600"
is "$(val '[.produits[] | select(.id <= 2)] | tojson')" \
	'[{"id":1,"nom":"Blonde","qte":4,"montant":10.5},{"id":2,"nom":"Coca","qte":1,"montant":1.8}]' \
	"statistiques with depuis: what sold, per product, at the prices of sale"
call annuler "jeton=$B&idTransaction=$tx"
call statistiques "jeton=$B&depuis=$t0&pas=3600"
is "$(val '[.produits[] | select(.id <= 2)] | tojson')" '[{"id":1,"nom":"Blonde","qte":1,"montant":3}]' \
	"a cancelled basket no longer counts"
is "$(val .consommationsNb)" 100001 "its items count as drinks"

# --- the Android app's price table stays ----------------------------------------
call prix/modifier "jeton=$P&quantite=2&prix=3"
call client/payer "jeton=$B&idCarte=PANIER&quantite=2"
is "$(st) $(jv .montant)" "ok 3" "paying by quantity from the price table still works"

ledger_ok
ok $? "the ledger invariant holds"
finish
