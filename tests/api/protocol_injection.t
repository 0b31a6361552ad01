#!/usr/bin/env bash
# Hostile text in every field (doc/api.md#parameters): SQL-looking values in
# each text parameter and password, and CR/LF in values that could reach a
# header; each refused, nothing changed, every table still there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protocol_lib.sh"
protocol_stack

# SQL-looking text in every text field
INJ=("' OR 1=1 --" "x'; DROP TABLE clients; --" "ABCD\" OR \"\"=\"")
for s in "${INJ[@]}"; do
	e=$(urlenc "$s")
	refused "200 requete_malforme idCarte" "idCarte \"$s\" is malformed" client/payer "jeton=$B&idCarte=$e&montant=1"
	refused "200 requete_malforme login" "login \"$s\" is malformed" utilisateur/connexion "login=$e&mdp=x"
	refused "200 jeton_invalide -" "jeton \"$s\" is jeton_invalide" client/payer "jeton=$e&idCarte=ABCD&montant=1"
	refused "200 requete_malforme client" "transactions filter client \"$s\" is malformed" transactions "jeton=$P&client=$e"
	refused "200 requete_malforme utilisateur" "transactions filter utilisateur \"$s\" is malformed" \
		transactions "jeton=$P&utilisateur=$e"
	refused "200 requete_malforme idRequete" "idRequete \"$s\" is malformed" \
		client/payer "$PAY&montant=1&idRequete=$e"
	refused "200 requete_malforme idTransaction" "idTransaction \"$s\" is malformed" annuler "jeton=$B&idTransaction=$e"
	refused_json "200 requete_malforme idCarte" "idCarte \"$s\" in JSON is malformed" \
		client/payer "$(jq -cn --arg j "$B" --arg c "$s" '{jeton: $j, idCarte: $c, montant: 1}')"
done
for s in "${INJ[@]}" "' OR '1'='1" "cible-secret-1' --"; do
	keep utilisateur/connexion "login=cible&mdp=$(urlenc "$s")"
	is "$(sc) | $(snap)" "identifiants_invalides - | $BASE" "mdp \"$s\" is identifiants_invalides, nothing opened"
done
J30="' OR '1'='1' --$(printf 'x%.0s' $(seq 15))"
refused "200 jeton_invalide -" "a 30-character jeton made of SQL is jeton_invalide" \
	client/payer "jeton=$(urlenc "$J30")&idCarte=ABCD&montant=1"
is "$(val .raison)" inconnu "with raison inconnu"
is "$(sql "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)")" \
	"$TABLES" "every table still exists"

# header-like values
refused "200 requete_malforme idCarte" "a CRLF in idCarte is malformed" \
	client/payer "jeton=$B&idCarte=ABCD%0D%0AX-Injecte:%201&montant=1"
[[ $HEADERS != *X-Injecte* ]]
ok $? "the reply's headers hold no X-Injecte line"
refused_json "200 requete_malforme idCarte" "a \\r\\n in a JSON idCarte is malformed" \
	client/payer "{\"jeton\":\"$B\",\"idCarte\":\"ABCD\\r\\nX-Injecte: 1\",\"montant\":1}"
[[ $HEADERS != *X-Injecte* ]]
ok $? "nor after a JSON CRLF"

protocol_finish 30
