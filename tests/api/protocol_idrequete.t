#!/usr/bin/env bash
# idRequete (doc/api.md#parameters): its length, a replay answering the first
# reply and charging nothing, the same id with other values refused (another
# amount, card or password), and a JSON replay of a form request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protocol_lib.sh"
protocol_stack
# A second card, for the same idRequete on another card.
C32=$(printf 'C%.0s' $(seq 32))
call client/ajouter "jeton=$B&idCarte=$C32&solde=1"
rebase

R64=$(printf 'r%.0s' $(seq 64))
refused "200 requete_malforme idRequete" "a 65-character idRequete is malformed" \
	client/payer "$PAY&montant=1&idRequete=${R64}x"
accepted "a 64-character idRequete is accepted" 100 client/payer "$PAY&montant=1&idRequete=$R64"
first=$REPLY
keep client/payer "$PAY&montant=1&idRequete=$R64"
is "$REPLY | $(snap)" "$first | $BASE" "the same idRequete and values answer the first reply and charge nothing"
refused "200 requete_malforme idRequete" "the same idRequete with another montant is malformed and charges nothing" \
	client/payer "$PAY&montant=2&idRequete=$R64"
refused "200 requete_malforme idRequete" "the same idRequete on another card is malformed" \
	client/payer "jeton=$B&idCarte=$C32&montant=1&idRequete=$R64"
keep utilisateur/mdp "jeton=$P&login=cible&mdp=cible-secret-2&idRequete=mdp-1"
is "$(sc)" "ok -" "a password change with an idRequete goes through"
rebase
hash=$(sql "SELECT password FROM users WHERE login = 'cible'")
refused "200 requete_malforme idRequete" "the same idRequete with another mdp is malformed, not a replayed ok" \
	utilisateur/mdp "jeton=$P&login=cible&mdp=cible-secret-3&idRequete=mdp-1"
is "$(sql "SELECT password FROM users WHERE login = 'cible'")" "$hash" "and the password did not change"
json client/payer "{$J,\"montant\":1,\"idRequete\":\"$R64\"}"
is "$REPLY | $(snap)" "$first | $BASE" "the same request as JSON (montant 1 as a number) replays too"

protocol_finish 8
