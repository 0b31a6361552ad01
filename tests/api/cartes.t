#!/usr/bin/env bash
# Lost cards, the staff's side: blocking and unblocking, moving an account to
# a new card, the holder code; the rows, journal and feed each change leaves;
# a replacement racing another and racing payments.
. "$(dirname "$0")/lib.sh"
# One stream watches the whole suite: under plain CGI it must outlast it.
start_stack TENP5_FEED_CGI_SECONDS=600
P=$(admin_jeton)
add_user "$P" bar bar-secret-1 2
add_user "$P" bde bde-secret-1 1
add_user "$P" staff staff-secret-1 2
call utilisateur/carte "jeton=$P&login=staff&idCarte=STAFF1"
B=$(login bar bar-secret-1)
E=$(login bde bde-secret-1)
call client/ajouter "jeton=$B&idCarte=LOST1&solde=30"
call client/ajouter "jeton=$B&idCarte=OTHER1&solde=5"
call client/ajouter "jeton=$P&idCarte=OVER1&solde=10&decouvert=oui"
sse bar "ticket=$(ticket "$B")"
sse_wait bar '^retry'

# client/bloquer, client/debloquer
call client/bloquer "jeton=$E&idCarte=LOST1"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot block a card"
call client/bloquer "jeton=$B&idCarte=NOPE1"
is "$(st)" client_inconnu "blocking an unknown card says client_inconnu"
call client/bloquer "jeton=$B&idCarte=LOST1&motif=perdue au bar"
is "$(st) $(val .idCarte) $(val .bloquee)" "ok LOST1 true" "a bar member blocks a card"
is "$(sql "SELECT blocked FROM clients WHERE card = 'LOST1'")" 1 "the client row is blocked"
is "$(sql "SELECT json_extract(detail, '$.bloquee') || ' ' || json_extract(detail, '$.motif')
	|| ' ' || cred_kind FROM journal WHERE event = 'client' ORDER BY id DESC LIMIT 1")" \
	"1 perdue au bar 1" "the block is journaled with its reason and the staff session"
call client/payer "jeton=$B&idCarte=LOST1&montant=1"
is "$(st)" carte_bloquee "a blocked card cannot pay"
call client/recharger "jeton=$B&idCarte=LOST1&montant=1"
is "$(st)" carte_bloquee "a blocked card cannot be topped up"
is "$(balance LOST1) $(sql "SELECT count(*) FROM transactions t JOIN clients c ON c.id = t.client_id
	WHERE c.card = 'LOST1'")" "3000 1" "the refused payment and top-up left no row and the balance as it was"
call client/fiche "jeton=$B&idCarte=LOST1"
is "$(st) $(val .bloquee) $(val .solde)" "ok true 30" "the fiche of a blocked card says bloquee"
call client/liste "jeton=$B"
is "$(val '[.clients[] | select(.idCarte == "LOST1" or .idCarte == "OTHER1") | .bloquee] | join(" ")')" \
	"true false" "the list carries bloquee for each card"
call client/bloquer "jeton=$B&idCarte=LOST1"
is "$(st) $(sql "SELECT count(*) FROM journal WHERE event = 'client' AND json_extract(detail, '$.bloquee') = 1")" \
	"ok 1" "blocking a blocked card again answers ok and journals nothing"
call client/debloquer "jeton=$B&idCarte=LOST1"
is "$(st) $(val .bloquee) $(sql "SELECT blocked FROM clients WHERE card = 'LOST1'")" "ok false 0" \
	"unblocking a card clears the flag"
call client/payer "jeton=$B&idCarte=LOST1&montant=1"
is "$(st) $(val .soldeNouveau)" "ok 29" "an unblocked card pays again"
call client/bloquer "jeton=$B&idCarte=OTHER1"
call client/vidange "jeton=$B&idCarte=OTHER1"
is "$(st) $(val .soldeNouveau)" "ok 0" "a blocked card can still be emptied"
sse_wait bar '"bloquee":false' &&
	is "$(sse_data bar client | jq -r 'select(has("bloquee")) | "\(.idCarte) \(.bloquee)"' | head -2 | tr '\n' ' ')" \
	"LOST1 true LOST1 false " "the feed tells a block and an unblock as client events with bloquee" ||
	ok 1 "the feed tells the unblock"

# client/code
call client/code "jeton=$E&idCarte=LOST1"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot give a holder code"
call client/code "jeton=$B&idCarte=LOST1&idRequete=code-1"
is "$(st)" ok "a bar member gives a card its holder code"
code=$(val .codeClient)
like "$code" '^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$' \
	"the code is 12 characters of the alphabet, grouped in fours"
hash=$(sql "SELECT code_hash FROM clients WHERE card = 'LOST1'")
like "$hash" '^\$s1\$' "the code is stored as a scrypt hash"
unlike "$hash" "${code//-/}" "and never as itself"
call client/code "jeton=$B&idCarte=LOST1&idRequete=code-1"
is "$(st) $(val .codeClient)" "ok null" "a repeat of the same request does not show the code again"
is "$(sql "SELECT code_hash FROM clients WHERE card = 'LOST1'")" "$hash" "and leaves the code as it was"
call client/code "jeton=$B&idCarte=LOST1"
[ "$(val .codeClient)" != "$code" ] && [ "$(sql "SELECT code_hash FROM clients WHERE card = 'LOST1'")" != "$hash" ]
ok $? "a new code replaces the old one"
hash=$(sql "SELECT code_hash FROM clients WHERE card = 'LOST1'")
is "$(sql "SELECT count(*) FROM journal WHERE event = 'client' AND detail LIKE '%client/code%'
	AND detail NOT LIKE '%codeClient%'")" 2 "each new code is journaled, without the code"

# client/remplacer
call client/remplacer "jeton=$E&idCarte=LOST1&nouvelleCarte=NEW1"
is "$(st)" droits_insuffisants "BDE (droit 1) cannot replace a card"
call client/remplacer "jeton=$B&idCarte=LOST1"
is "$(st) $(val .champ)" "requete_malforme nouvelleCarte" "a replacement needs the new card"
call client/remplacer "jeton=$B&idCarte=LOST1&nouvelleCarte=bad-card"
is "$(st) $(val .champ)" "requete_malforme nouvelleCarte" "a new card outside [A-Za-z0-9] is malformed"
call client/remplacer "jeton=$B&idCarte=NOPE1&nouvelleCarte=NEW1"
is "$(st)" client_inconnu "replacing an unknown card says client_inconnu"
call client/remplacer "jeton=$B&idCarte=LOST1&nouvelleCarte=OTHER1"
is "$(st)" client_existant "a card that holds an account cannot take another"
call client/remplacer "jeton=$B&idCarte=LOST1&nouvelleCarte=LOST1"
is "$(st)" client_existant "a card cannot replace itself"
call client/remplacer "jeton=$B&idCarte=LOST1&nouvelleCarte=STAFF1"
is "$(st)" carte_utilisee "a staff card cannot take an account"
is "$(sql "SELECT count(*) FROM former_cards")" 0 "refused replacements leave no former card"
before=$(sql "SELECT id, balance, overdraft, code_hash, version FROM clients WHERE card = 'LOST1'")
history=$(sql "SELECT group_concat(id) FROM transactions t WHERE client_id =
	(SELECT id FROM clients WHERE card = 'LOST1')")
rows=$(sql "SELECT count(*) FROM transactions")
call client/fiche "jeton=$B&idCarte=LOST1"
call client/bloquer "jeton=$B&idCarte=LOST1"
call client/remplacer "jeton=$B&idCarte=LOST1&nouvelleCarte=NEW1"
is "$(st) $(val .idCarte) $(val .solde)" "ok NEW1 29" "a bar member moves the account to a new card"
IFS='|' read -r id bal over code_hash version <<<"$before"
is "$(sql "SELECT id, balance, overdraft, code_hash, blocked FROM clients WHERE card = 'NEW1'")" \
	"$id|$bal|$over|$code_hash|0" "the same account, its balance, overdraft flag and code now on the new card, unblocked"
is "$(sql "SELECT count(*) FROM clients WHERE card = 'LOST1'") $(sql "SELECT client_id FROM former_cards WHERE card = 'LOST1'")" \
	"0 $id" "the old card is a former card of the account"
is "$(sql "SELECT count(*) FROM transactions")" "$rows" "no ledger row is written"
is "$(sql "SELECT json_extract(detail, '$.idCarte') || ' ' || json_extract(detail, '$.nouvelleCarte')
	FROM journal WHERE event = 'client' ORDER BY id DESC LIMIT 1")" "LOST1 NEW1" "the replacement is journaled"
call client/fiche "jeton=$B&idCarte=NEW1"
is "$(st) $(val '[.transactions[].id] | join(",")') $(val '[.transactions[].client] | unique | join(",")')" \
	"ok $history NEW1" "the new card's fiche holds the whole history, under the new card (no kept answer of the old name)"
call client/payer "jeton=$B&idCarte=LOST1&montant=1"
is "$(st) $(val .remplaceePar)" "carte_bloquee NEW1" "the old card cannot pay, and says which card replaced it"
call client/recharger "jeton=$B&idCarte=LOST1&montant=1"
is "$(st) $(val .remplaceePar)" "carte_bloquee NEW1" "the old card cannot be topped up"
call client/fiche "jeton=$B&idCarte=LOST1"
is "$(st) $(val .remplaceePar)" "carte_bloquee NEW1" "the old card's fiche says it was replaced"
call client/debloquer "jeton=$B&idCarte=LOST1"
is "$(st)" carte_bloquee "a former card cannot be unblocked"
call client/ajouter "jeton=$B&idCarte=LOST1&solde=5"
is "$(st)" carte_bloquee "no account can be opened on a former card"
call client/ajouter "jeton=$E&idCarte=LOST1&solde=5"
is "$(st) $(val .remplaceePar)" "carte_bloquee null" "BDE (droit 1) hears carte_bloquee without the new card"
call client/remplacer "jeton=$B&idCarte=LOST1&nouvelleCarte=NEW2"
is "$(st)" carte_bloquee "a former card cannot be replaced again"
call client/remplacer "jeton=$B&idCarte=OTHER1&nouvelleCarte=LOST1"
is "$(st)" carte_bloquee "a former card cannot take another account"
call client/payer "jeton=$B&idCarte=NEW1&montant=1"
is "$(st) $(val .soldeNouveau)" "ok 28" "the new card pays"
sse_wait bar '"nouvelleCarte":"NEW1"' &&
	is "$(sse_data bar client | jq -r 'select(has("nouvelleCarte")) | "\(.idCarte) \(.nouvelleCarte) \(.bloquee)"')" \
	"LOST1 NEW1 false" "the feed tells the replacement as a client event with nouvelleCarte" ||
	ok 1 "the feed tells the replacement"
sse_stop bar

# Two staff replace the same card at once, onto two new cards: one wins.
call client/ajouter "jeton=$B&idCarte=RACE1&solde=20"
printf 'client/remplacer jeton=%s&idCarte=RACE1&nouvelleCarte=RACEA\nclient/remplacer jeton=%s&idCarte=RACE1&nouvelleCarte=RACEB\n' \
	"$B" "$P" | storm 2 >"$DATA/race"
is "$(jq -r .status "$DATA/race" | sort | tr '\n' ' ')" "carte_bloquee ok " \
	"two replacements of one card at once: exactly one goes through, the other hears carte_bloquee"
is "$(sql "SELECT count(*) FROM clients WHERE card IN ('RACE1', 'RACEA', 'RACEB')") $(sql "SELECT count(*) FROM former_cards WHERE card = 'RACE1'")" \
	"1 1" "one account is left, on one new card, and the old card is one former card"

# Payments on a card while it is replaced: each is made before the move, or
# refused after it; none is half done.
call client/ajouter "jeton=$B&idCarte=PAYR1&solde=100"
{
	for i in $(seq 1 30); do
		echo "client/payer jeton=$B&idCarte=PAYR1&montant=1"
		[ "$i" = 10 ] && echo "client/remplacer jeton=$P&idCarte=PAYR1&nouvelleCarte=PAYR2"
	done
} | storm 8 >"$DATA/pays"
paid=$(jq -r 'select(.montant) | .status' "$DATA/pays" | grep -c '^ok$')
is "$(jq -r 'select(.idCarte) | .status' "$DATA/pays")" ok "the replacement goes through among the payments"
is "$(jq -r 'select(.montant or .remplaceePar or (.status != "ok")) | .status' "$DATA/pays" |
	grep -cvE '^(ok|carte_bloquee)$')" 0 "payments racing the replacement are either made or refused with carte_bloquee"
is "$(balance PAYR2)" $((10000 - paid * 100)) "the new card's balance is the old one less the payments made"
ledger_ok
ok $? "the ledger invariant holds"
finish
