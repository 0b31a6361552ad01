#!/usr/bin/env bash
# Area divers and the wire rules every area shares: coucou, unknown paths and
# methods, the body cap, carte/info, the bar's figures, the price table, and
# money written without float noise.
. "$(dirname "$0")/lib.sh"

# hdr NAME: the value of a header of the last reply (first one, no CR).
# raw KEY: the literal text of a top-level number in the last reply, as sent.
raw() { grep -oE "\"$1\":-?[0-9.eE+]+" <<<"$REPLY" | head -1 | cut -d: -f2; }
JSON='application/json; charset=utf-8'

staff_stack
add_user "$P" pot pot-secret-1 0
H=$(login pot pot-secret-1)

# coucou
get api/coucou
is "$CODE $(st)" "200 ok" "GET coucou answers ok without a jeton"
like "$(val .version)" '^[0-9]+\.[0-9]+' "and gives a version"
like "$(val .base)" '^[0-9a-f]{32}$' "and which database answers: its identity, 128 bits in hexadecimal"
is "$(val .base)" "$(sql 'SELECT id FROM identity')" "the one the database holds"
is "$(val 'keys | join(",")')" "base,status,version" "and nothing else"
base=$(val .base)
get api/coucou
is "$(val .base)" "$base" "the same database answers with the same identity"
is "$(hdr Content-Type)" "$JSON" "the reply is JSON in UTF-8"
is "$(hdr Access-Control-Allow-Origin)" "*" "any origin may read it"
call coucou ""
is "$CODE $(st) $(hdr Content-Type)" "200 ok $JSON" "POST coucou with an empty body answers ok"
call coucou "jeton=nimportequoi"
is "$(st)" ok "coucou ignores a bogus jeton"
get api/coucou/
is "$CODE $(st)" "200 ok" "a trailing slash is accepted"
call coucou/ ""
is "$CODE $(st)" "200 ok" "a trailing slash is accepted on POST too"

# unknown paths, methods, size
get api/nope
is "$CODE $REPLY" '404 {"status":"requete_inconnue"}' "an unknown /api/ path is 404 requete_inconnue"
is "$(hdr Content-Type)" "$JSON" "nginx's own 404 has the same Content-Type as the workers' replies"
is "$(hdr Access-Control-Allow-Origin)" "*" "and lets any origin read it"
call nope "jeton=$P"
is "$CODE $(st)" "404 requete_inconnue" "POST to an unknown /api/ path is 404 too"
call client/nope "jeton=$P"
is "$CODE $(st) $(hdr Content-Type)" "404 requete_inconnue $JSON" "an unknown verb in a known area is 404 from the worker"
call carte/ "jeton=$P"
is "$CODE $(st)" "404 requete_inconnue" "an area prefix alone is not a route"
get nowhere.html
is "$CODE $(st)" "404 requete_inconnue" "a path that is neither the API nor a file of the web app is 404 requete_inconnue"
get ""
like "$CODE $HEADERS" "^200 .*Content-Security-Policy: default-src 'self'" "the root is the web app, under a strict content security policy"
get sw.js
like "$CODE $(hdr Content-Type)" "^200 .*javascript" "the app's worker (sw.js) is served from the site's root as JavaScript"
is "$(hdr Cache-Control)" no-cache "never kept without asking: a new deployment's worker is seen at once"
like "$(hdr Content-Security-Policy)" "worker-src 'self'" "the content security policy lets the site's own worker run"
get moi/
like "$CODE $HEADERS$REPLY" "^200 .*Content-Security-Policy: default-src 'self'.*src=\"moi\\.js\"" "the card holders' page is at moi/, under the same policy"
get api/coucou -X PUT
is "$CODE $REPLY" '405 {"status":"methode_non_autorisee"}' "PUT on coucou is 405 with a JSON body"
is "$(hdr Content-Type) | $(hdr Allow)" "$JSON | GET, POST, OPTIONS" "with the JSON Content-Type and an Allow header"
get api/coucou -X DELETE
is "$CODE $(st)" "405 methode_non_autorisee" "DELETE on coucou is 405"
get api/client/payer
is "$CODE $(st) $(hdr Allow)" "405 methode_non_autorisee POST, OPTIONS" "GET is only for coucou: GET client/payer is 405"
get api/client/payer -X OPTIONS -H 'Origin: https://bar.example' \
	-H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: authorization'
is "$CODE" 204 "an OPTIONS preflight on client/payer is 204"
like "$(hdr Access-Control-Allow-Headers)" 'Authorization' "it allows the Authorization header"
is "$(hdr Access-Control-Allow-Origin)" "*" "from any origin"
like "$(hdr Access-Control-Allow-Methods)" 'POST' "for POST"
pad=$(head -c 65536 /dev/zero | tr '\0' a)
call coucou "x=${pad:2}"
is "$CODE $(st)" "200 ok" "a body of exactly 64 KiB is accepted"
call coucou "x=${pad:1}"
is "$CODE $REPLY" '413 {"status":"requete_trop_grande"}' "a body one byte over 64 KiB is 413 requete_trop_grande"
call client/payer "jeton=$B&idCarte=AAAA&montant=1&x=$pad"
is "$CODE $(st)" "413 requete_trop_grande" "the cap holds on a paying endpoint too"

# statistiques
call statistiques "jeton=$B"
is "$(st) $(raw recettes) $(raw dettes) $(raw clientsNb) $(raw soldeMoy)" "ok 0 0 0 0" \
	"the figures of an empty bar are zeros"
call prix/modifier "jeton=$P&quantite=2&prix=2.5"
call client/ajouter "jeton=$B&idCarte=STA&solde=50"
call client/ajouter "jeton=$B&idCarte=STB&solde=20"
call client/payer "jeton=$B&idCarte=STA&montant=1.5"
call client/payer "jeton=$B&idCarte=STB&quantite=2"
call client/ajouter "jeton=$P&idCarte=STC&solde=-10&decouvert=oui"
call client/ajouter "jeton=$B&idCarte=STD&solde=5"
cre=$(val .idTransaction)
call client/recharger "jeton=$B&idCarte=STD&montant=1.03"
call annuler "jeton=$B&idTransaction=$cre"
call client/payer "jeton=$B&idCarte=STA&montant=3"
call annuler "jeton=$B&idTransaction=$(val .idTransaction)"
is "$(sql "SELECT group_concat(balance, ' ') FROM (SELECT balance FROM clients ORDER BY card)")" \
	"4850 1750 -1000 103" "the scenario leaves balances 48.5, 17.5, -10 and 1.03"
call statistiques "jeton=$B"
is "$(st)" ok "a bar member reads the figures"
is "$(raw recettes)" 4 "recettes: the valid payments 1.5 + 2.5, not the cancelled 3"
is "$(raw dettes)" 67.03 "dettes: the positive balances 48.5 + 17.5 + 1.03"
is "$(raw benefices)" -6 "benefices: recettes less the -10 still owed"
is "$(raw clientsNb)" 4 "clientsNb counts every client"
is "$(raw consommationsNb)" 3 "consommationsNb: 1 for the amount payment, 2 for the pack"
is "$(raw soldeMoy)" 14.26 "soldeMoy: 57.03 / 4 = 14.2575, rounded to the cent"
is "$(raw factureBDE)" 70 "factureBDE: the money collected at valid openings, 50 + 20 (the overdraft opening at -10 collected nothing)"
is "$(val 'keys | join(",")')" "benefices,clientsNb,consommationsNb,dettes,factureBDE,offert,recettes,rechargementsParMoyen,soldeMoy,status" \
	"the reply has exactly the documented keys"
call statistiques "jeton=$E"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot read the figures"
# The largest values the API accepts cannot make a later read fail: packs of
# 1000 drinks at the ceiling, paid twice, still add up.
call prix/modifier "jeton=$P&quantite=1000&prix=1000"
is "$(st)" ok "a pack of 1000 drinks may cost the ceiling, 1000"
for c in BIG1 BIG2; do
	call client/ajouter "jeton=$P&idCarte=$c&solde=1000"
	call client/payer "jeton=$B&idCarte=$c&quantite=1000"
	is "$(st) $(val .montant)" "ok 1000" "$c pays for 1000 drinks"
done
call statistiques "jeton=$B"
is "$(st) $(raw recettes) $(raw consommationsNb)" "ok 2004 2003" "statistiques still answers, with every sum exact"
call prix/modifier "jeton=$P&quantite=1000"

# carte/info
call utilisateur/ajouter "jeton=$P&login=cartier&mdp=cartier-secret-1&droit=1&idCarte=CAFE01"
call utilisateur/ajouter "jeton=$P&login=double&mdp=double-secret-1&droit=2&idCarte=BOTH01"
call client/ajouter "jeton=$B&idCarte=BOTH01&solde=5"
call carte/info "jeton=$E&idCarte=STA"
is "$(st) $(val '[.client, .utilisateur] | tojson')" 'ok ["STA",null]' "a client's card: client named, utilisateur null"
is "$(val 'keys | join(",")')" "client,status,utilisateur" "both keys are present even when null"
call carte/info "jeton=$E&idCarte=CAFE01"
is "$(st) $(val '[.client, .utilisateur] | tojson')" 'ok [null,"cartier"]' "a staff card: utilisateur named, client null"
call carte/info "jeton=$E&idCarte=BOTH01"
is "$(st) $(val '[.client, .utilisateur] | tojson')" 'ok ["BOTH01","double"]' "a card that is both gives both"
call carte/info "jeton=$E&idCarte=NONE01"
is "$(st) $(val '[.client, .utilisateur] | tojson')" 'ok [null,null]' "an unknown card gives two nulls, not an error"
call utilisateur/supprimer "jeton=$P&login=cartier"
call carte/info "jeton=$E&idCarte=CAFE01"
is "$(val '[.client, .utilisateur] | tojson')" '[null,null]' "a deleted user's card no longer names them"
call carte/info "jeton=$H&idCarte=STA"
is "$(st)" droits_insuffisants "a honeypot (droit 0) cannot read card info"
call carte/info "jeton=$E"
is "$(st) $(val .champ)" "requete_malforme idCarte" "a missing idCarte is malformed"
call carte/info "jeton=$E&idCarte=bad-card"
is "$(st) $(val .champ)" "requete_malforme idCarte" "a card id outside [A-Za-z0-9] is malformed"
# Walking the card-id space is limited per credential: TENP5_PROBE_FAILS (30)
# look-ups of cards that are nobody's, then trop_de_tentatives.
E2=$(login bde bde-secret-1)
s=""
for i in $(seq 30); do
	call carte/info "jeton=$E2&idCarte=$(printf 'PROBE%03d' "$i")"
	[ "$(st)" = ok ] || s+="$i:$(st) "
done
is "$s" "" "30 look-ups of unknown cards answer"
call carte/info "jeton=$E2&idCarte=PROBE031"
is "$(jv '.status, .attente > 0')" "trop_de_tentatives true" "the 31st waits, with attente"
call carte/info "jeton=$E2&idCarte=STA"
is "$(st)" trop_de_tentatives "so does a look-up of a known card, from that session"
call carte/info "jeton=$E&idCarte=STA"
is "$(st) $(val .client)" "ok STA" "another session of the same user is another credential"
is "$(sql "SELECT count(*) FROM journal WHERE event = 'verrou' AND detail LIKE '%consultation%'")" 1 \
	"the lock-out is journaled"

# prix/liste and prix/modifier
prices() { sql "SELECT group_concat(qty || ':' || price, ' ') FROM (SELECT qty, price FROM prices ORDER BY qty)"; }
prix_events() { sql "SELECT count(*) FROM journal WHERE event = 'prix'"; }
call prix/modifier "jeton=$P&quantite=6&prix=12"
is "$(st)" ok "a president adds the price of 6 drinks"
call prix/modifier "jeton=$P&quantite=1&prix=1,3"
is "$(prices)" "1:130 2:250 6:1200" "the prices table holds cents"
is "$(sql "SELECT user_id IS NOT NULL, json_extract(detail, '\$.quantite'), json_extract(detail, '\$.prix')
    FROM journal WHERE event = 'prix' ORDER BY id DESC LIMIT 1")" "1|1|1.3" "the change is journaled with quantite and prix"
call prix/liste "jeton=$E"
is "$(st)" ok "BDE (droit 1) reads the price table"
like "$REPLY" '"prix":\[\{"quantite":1,"prix":1\.3\},\{"quantite":2,"prix":2\.5\},\{"quantite":6,"prix":12\}\]' \
	"prix lists {quantite, prix} by quantite, prices without float noise"
call prix/liste "jeton=$H"
is "$(st)" droits_insuffisants "a honeypot (droit 0) cannot read the price table"
call prix/modifier "jeton=$P&quantite=6&prix=11.5"
is "$(st) $(prices)" "ok 1:130 2:250 6:1150" "a president changes a price"
n=$(prix_events)
call prix/modifier "jeton=$P&quantite=6"
is "$(st) $(prices)" "ok 1:130 2:250" "without prix the price is removed"
is "$(prix_events) $(sql "SELECT json_extract(detail, '\$.quantite') || '|' || (json_extract(detail, '\$.prix') IS NULL)
    FROM journal WHERE event = 'prix' ORDER BY id DESC LIMIT 1")" "$((n + 1)) 6|1" "the removal is journaled without a prix"
call prix/liste "jeton=$B"
is "$(val '[.prix[].quantite] | join(",")')" "1,2" "the removed price is gone from the list"
call prix/modifier "jeton=$P&quantite=1&prix="
is "$(st) $(prices)" "ok 2:250" "an empty prix counts as absent and removes"
call prix/modifier "jeton=$P&quantite=1&prix=1.3"
n=$(prix_events)
call prix/modifier "jeton=$B&quantite=1&prix=0.5"
is "$(st) $(prices)" "droits_insuffisants 1:130 2:250" "a bar member (droit 2) cannot change prices"
call prix/modifier "jeton=$P&quantite=0&prix=1"
is "$(st) $(val .champ)" "requete_malforme quantite" "quantite 0 is malformed"
call prix/modifier "jeton=$P&quantite=-2&prix=1"
is "$(st) $(val .champ)" "requete_malforme quantite" "a negative quantite is malformed"
call prix/modifier "jeton=$P&prix=1"
is "$(st) $(val .champ)" "requete_malforme quantite" "a missing quantite is malformed"
call prix/modifier "jeton=$P&quantite=1&prix=0"
is "$(st) $(val .champ)" "requete_malforme prix" "prix 0 is malformed"
call prix/modifier "jeton=$P&quantite=1&prix=-1"
is "$(st) $(val .champ)" "requete_malforme prix" "prix -1 is malformed"
call prix/modifier "jeton=$P&quantite=1&prix=1.234"
is "$(st) $(val .champ)" "requete_malforme prix" "prix with three decimals is malformed"
call prix/modifier "jeton=$P&quantite=1&prix=1000.01"
is "$(st)" montant_trop_eleve "a price above the ceiling is montant_trop_eleve"
is "$(prices) $(prix_events)" "1:130 2:250 $n" "refused changes leave the table and the journal alone"
call prix/modifier "jeton=$P&quantite=20&prix=1000"
is "$(st) $(prices)" "ok 1:130 2:250 20:100000" "a price at the ceiling is accepted"

# money formatting
call client/ajouter "jeton=$B&idCarte=MNY1&solde=0.1"
call client/recharger "jeton=$B&idCarte=MNY1&montant=0.2"
is "$(raw soldeAncien) $(raw soldeNouveau)" "0.1 0.3" "0.1 + 0.2 is written 0.3"
call client/ajouter "jeton=$B&idCarte=MNY2&solde=1.1"
call client/recharger "jeton=$B&idCarte=MNY2&montant=2.2"
is "$(raw soldeNouveau)" 3.3 "1.1 + 2.2 is written 3.3"
call client/payer "jeton=$B&idCarte=MNY2&montant=3.25"
is "$(raw montant) $(raw soldeNouveau)" "3.25 0.05" "two decimals stay two, 5 cents is 0.05"
call client/ajouter "jeton=$B&idCarte=MNY3&solde=8.50"
is "$(raw soldeNouveau)" 8.5 "8.50 is written 8.5"
call client/ajouter "jeton=$B&idCarte=MNY4&solde=50.00"
is "$(raw soldeNouveau)" 50 "50.00 is written 50"
call client/ajouter "jeton=$P&idCarte=MNY5&solde=-0.05&decouvert=oui"
is "$(raw soldeNouveau)" -0.05 "a negative balance of 5 cents is written -0.05"
call client/fiche "jeton=$B&idCarte=MNY3"
like "$REPLY" '"montant":8\.5,' "streamed ledger rows write 8.5 too"
like "$REPLY" '"solde":8\.5[,}]' "and so does the fiche's balance"

# statistiques over time: a later evening, hour by hour (the test clock moves
# a day, then an hour at a time).
clock_forward 86400
P=$(admin_jeton)
B=$(login bar bar-secret-1)
call prix/modifier "jeton=$P&quantite=2&prix=2.5"
call client/ajouter "jeton=$B&idCarte=EVE1&solde=50"
call client/payer "jeton=$B&idCarte=EVE1&montant=1.5"
t0=$(sql "SELECT date_ms FROM transactions WHERE id = $(val .idTransaction)")
call client/payer "jeton=$B&idCarte=EVE1&quantite=2"
call client/payer "jeton=$B&idCarte=EVE1&montant=7"
call annuler "jeton=$B&idTransaction=$(val .idTransaction)"
clock_forward 3600
B=$(login bar bar-secret-1)
call client/recharger "jeton=$B&idCarte=EVE1&montant=10"
clock_forward 3600
B=$(login bar bar-secret-1) # a session lives 5 idle minutes
call statistiques "jeton=$B&depuis=$t0&jusqua=$((t0 + 3 * 3600000))&pas=3600"
is "$(st) $(val '.serie | length')" "ok 3" "statistiques with depuis, jusqua and pas gives one bucket an hour"
is "$(val '.serie | map("\(.debut - '"$t0"') \(.recettes) \(.consommations) \(.rechargements)") | join(", ")')" \
	"0 4 3 0, 3600000 0 0 10, 7200000 0 0 0" \
	"each bucket: its start, takings (1.5 + 2.5, not the cancelled 7), drinks, top-ups; empty hours too"
is "$(val '.recettes * 100 | round') $(raw clientsNb)" "$(sql "SELECT sum(amount) FROM transactions WHERE type = 3 AND valid") $(sql "SELECT count(*) FROM clients")" \
	"the figures beside the series still cover everything"
call statistiques "jeton=$B&depuis=$t0"
is "$(st) $(val '.serie | length')" "ok 3" "jusqua defaults to now, pas to an hour"
call statistiques "jeton=$B&depuis=$t0&jusqua=$t0"
is "$(st) $(val .champ)" "requete_malforme jusqua" "jusqua not after depuis is malformed"
call statistiques "jeton=$B&depuis=$t0&jusqua=$((t0 + 30 * 86400000))&pas=60"
is "$(st) $(val .champ)" "requete_malforme pas" "more than 1000 buckets is malformed"
is "$(val 'keys | join(",")')" "champ,status" "and the refusal carries no figure"
call statistiques "jeton=$B&depuis=$t0&pas=59"
is "$(st) $(val .champ)" "requete_malforme pas" "a bucket under a minute is malformed"
get api/v1/me -H "Authorization: Bearer $B"
is "$(st) $(val .fenetreAnnulation)" "ok 120" "v1/me tells the cancel window, in seconds"

ledger_ok
ok $? "the ledger invariant holds"
finish
