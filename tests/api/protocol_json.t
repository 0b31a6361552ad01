#!/usr/bin/env bash
# JSON bodies through nginx and the FastCGI workers (doc/api.md#requests):
# numbers and strings for amounts, escapes, null, true and false, and every
# malformed shape (nesting, arrays, truncation, trailing text, duplicate keys,
# bad UTF-8, control characters) refused without a change.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protocol_lib.sh"
protocol_stack

# JSON bodies
J="\"jeton\":\"$B\",\"idCarte\":\"ABCD\""
accepted "a JSON payment with montant 1.5 charges exactly 150 cents" 150 \
	client/payer "{$J,\"montant\":1.5}" -H 'Content-Type: application/json'
is "$(val .montant)" 1.5 "and answers montant 1.5"
accepted "a JSON montant as the string \"1,5\" works" 150 \
	client/payer "{$J,\"montant\":\"1,5\"}" -H 'Content-Type: application/json'
accepted "application/json; charset=utf-8 with blanks around the tokens works" 180 \
	client/payer "{ $J ,
	 \"montant\" : 1.80 }" -H 'Content-Type: application/json; charset=utf-8'
accepted "\\u escapes decode: \"\\u0041BCD\" is ABCD" 100 \
	client/payer "{\"jeton\":\"$B\",\"idCarte\":\"\\u0041BCD\",\"montant\":1}" -H 'Content-Type: application/json'
accepted "a null montant counts as absent" 120 \
	client/payer "{$J,\"montant\":null,\"quantite\":1}" -H 'Content-Type: application/json'
refused_json "200 requete_malforme montant" "a JSON number 1e3 is malformed" client/payer "{$J,\"montant\":1e3}"
refused_json "200 requete_malforme montant" "a JSON number 1.234 is malformed" client/payer "{$J,\"montant\":1.234}"
refused_json "200 paiement_negatif -" "a JSON number -0 is paiement_negatif" client/payer "{$J,\"montant\":-0}"
refused_json "200 requete_malforme montant" "a nested object value is malformed" \
	client/payer "{$J,\"montant\":{\"valeur\":1}}"
refused_json "200 requete_malforme montant" "an array of two values is malformed" \
	client/payer "{$J,\"montant\":[\"1\",\"2\"]}"
refused_json "200 requete_malforme montant" "an array of one value for a single-valued parameter is malformed" \
	client/payer "{$J,\"montant\":[\"1\"]}"
refused_json "200 requete_malforme -" "an array body is malformed" client/payer "[{$J,\"montant\":1}]"
refused_json "200 requete_malforme -" "a string body is malformed" client/payer "\"montant\""
refused_json "200 requete_malforme -" "an empty JSON body is malformed" client/payer ""
refused_json "200 requete_malforme -" "truncated JSON is malformed" client/payer "{$J,\"montant\":1"
refused_json "200 requete_malforme montant" "JSON cut inside a value is malformed" client/payer "{$J,\"montant\":\"1"
refused_json "200 requete_malforme -" "trailing garbage after the object is malformed" client/payer "{$J,\"montant\":1}x"
refused_json "200 requete_malforme -" "two objects in one body are malformed" client/payer "{$J,\"montant\":1}{}"
refused_json "200 requete_malforme -" "a trailing comma is malformed" client/payer "{$J,\"montant\":1,}"
refused_json "200 requete_malforme -" "single-quoted strings are malformed" client/payer "{$J,'montant':1}"
refused_json "200 requete_malforme montant" "duplicate keys are malformed" \
	client/payer "{$J,\"montant\":1,\"montant\":2}"
refused_json "200 requete_malforme montant" "duplicate keys spelt differently (\\u006dontant) are malformed" \
	client/payer "{$J,\"montant\":1,\"\\u006dontant\":2}"
refused_json "200 requete_malforme idCarte" "\\u0000 in a string is malformed" \
	client/payer "{\"jeton\":\"$B\",\"idCarte\":\"AB\\u0000CD\",\"montant\":1}"
refused_json "200 requete_malforme idCarte" "a lone surrogate \\ud800 is malformed" \
	client/payer "{\"jeton\":\"$B\",\"idCarte\":\"AB\\ud800CD\",\"montant\":1}"
refused_json "200 requete_malforme idCarte" "raw invalid UTF-8 in a JSON string is malformed" \
	client/payer "$(printf '{"jeton":"%s","idCarte":"AB\xc3\x28CD","montant":1}' "$B")"
refused_json "200 requete_malforme idCarte" "a raw control character in a JSON string is malformed" \
	client/payer "$(printf '{"jeton":"%s","idCarte":"AB\tCD","montant":1}' "$B")"
refused_json "200 requete_malforme montant" "a bare word value is malformed" client/payer "{$J,\"montant\":un}"
json client/decouvert "{\"jeton\":\"$P\",\"idCarte\":\"ABCD\",\"decouvert\":true}"
is "$(st) $(sql "SELECT overdraft FROM clients WHERE card = 'ABCD'")" "ok 1" "JSON true sets decouvert"
json client/decouvert "{\"jeton\":\"$P\",\"idCarte\":\"ABCD\",\"decouvert\":false}"
is "$(st) $(sql "SELECT overdraft FROM clients WHERE card = 'ABCD'")" "ok 0" "JSON false clears it"
rebase
refused_json "200 requete_malforme decouvert" "JSON True (capitalised literal) is malformed" \
	client/decouvert "{\"jeton\":\"$P\",\"idCarte\":\"ABCD\",\"decouvert\":True}"

protocol_finish 25
