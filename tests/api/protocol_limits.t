#!/usr/bin/env bash
# The edges of a request (doc/api.md#requests, doc/api.md#counts): bodies and
# parameter counts at and over the caps, numbers out of range (refused, never
# clamped), methods and paths, and what the front server refuses before any
# worker sees it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protocol_lib.sh"
protocol_stack

# size caps (nginx and the workers both hold 64 KiB)
body=$DATA/body
head="jeton=$B&idCarte=ABCD&pad="
tail="&montant=0.01"
{ printf '%s' "$head"; pad $((65536 - ${#head} - ${#tail})); printf '%s' "$tail"; } >"$body"
is "$(stat -c %s "$body")" 65536 "the body at the limit is 65536 bytes"
accepted "a body of exactly 64 KiB is read to its end (montant is its last parameter)" 1 client/payer "@$body"
{ printf '%s' "$head"; pad $((65537 - ${#head} - ${#tail})); printf '%s' "$tail"; } >"$body"
refused "413 requete_trop_grande -" "a body of 64 KiB + 1 is 413 requete_trop_grande" client/payer "@$body"
{ printf '%s' "{\"jeton\":\"$B\",\"idCarte\":\"ABCD\",\"pad\":\""; pad 65536; printf '",%s}' '"montant":1'; } >"$body"
refused_json "413 requete_trop_grande -" "a JSON body over 64 KiB is 413" client/payer "@$body"
keys() { seq -f 'k%g=' "$1" | paste -sd '&'; }
keep client/fiche "jeton=$B&idCarte=ABCD&$(keys 998)"
is "$CODE $(st) $(val .idCarte)" "200 ok ABCD" "exactly 1000 parameters are accepted"
refused "413 requete_trop_grande -" "1001 parameters are 413 requete_trop_grande" \
	client/payer "$PAY&montant=1&$(keys 998)"
keys 1500 >"$body"
printf '&%s' "$PAY&montant=1" >>"$body"
refused "413 requete_trop_grande -" "1500 parameters under 64 KiB are 413 requete_trop_grande" client/payer "@$body"
keys 10000 >"$body"
printf '&%s' "$PAY&montant=1" >>"$body"
refused "413 requete_trop_grande -" "10 000 parameters (over 64 KiB) are 413" client/payer "@$body"
printf '{%s' "$J,\"montant\":1" >"$body"
seq -f ',"k%g":""' 1500 | tr -d '\n' >>"$body"
printf '}' >>"$body"
refused_json "413 requete_trop_grande -" "1500 JSON keys are 413" client/payer "@$body"
{ printf '%s' "$PAY&montant=1&idRequete="; pad $((1024 * 1024)); } >"$body"
refused "413 requete_trop_grande -" "a 1 MB value is 413" client/payer "@$body"
is "$(val .status)" requete_trop_grande "and the 413 body is JSON with its status"

# numbers out of range: refused, never clamped (doc/api.md#counts)
refused "200 requete_malforme idTransaction" "idTransaction=99999999999999999999 is malformed" \
	annuler "jeton=$B&idTransaction=99999999999999999999"
refused "200 requete_malforme idTransaction" "an idTransaction past 2^53 is malformed" \
	annuler "jeton=$B&idTransaction=9007199254740992"
refused "200 requete_malforme idTransaction" "a negative idTransaction is malformed" annuler "jeton=$B&idTransaction=-1"
refused "200 requete_malforme idTransaction" "a fractional idTransaction is malformed" annuler "jeton=$B&idTransaction=1.0"
refused "200 requete_malforme limite" "limite=99999999999999999999 is malformed" \
	transactions "jeton=$P&limite=99999999999999999999"
refused "200 requete_malforme limite" "limite=0 is malformed" transactions "jeton=$P&limite=0"
refused "200 requete_malforme quantite" "quantite=99999999999999999999 is malformed" \
	client/payer "$PAY&quantite=99999999999999999999"
refused "200 requete_malforme quantite" "quantite=1001 is malformed (1-1000)" client/payer "$PAY&quantite=1001"
refused "200 requete_malforme quantite" "prix/modifier: quantite=99999999999999999999 is malformed" \
	prix/modifier "jeton=$P&quantite=99999999999999999999&prix=1"
refused "200 requete_malforme apres" "apres=99999999999999999999 is malformed" \
	transactions "jeton=$P&apres=99999999999999999999"

# methods and paths
refused "405 methode_non_autorisee -" "GET on a write endpoint is 405 and pays nothing" \
	"client/payer?$PAY&montant=1" "" -G
refused "405 methode_non_autorisee -" "DELETE is 405" client/payer "$PAY&montant=1" -X DELETE
refused "405 methode_non_autorisee -" "PUT is 405" client/payer "$PAY&montant=1" -X PUT
refused "404 requete_inconnue -" "an unknown verb is 404" client/payerr "$PAY&montant=1"
refused "404 requete_inconnue -" "the old .php path is 404" client/payer.php "$PAY&montant=1"
refused "404 requete_inconnue -" "an unknown area is 404 (nginx answers it)" nope/payer "$PAY&montant=1"
accepted "a trailing slash is accepted" 100 client/payer/ "$PAY&montant=1"
refused "200 requete_malforme montant" "a POST's query string is not read for parameters" \
	"client/payer?montant=1" "$PAY"

# what the front server refuses before any worker sees it: nginx answers in
# JSON; Apache (STACK=apache, a shared host) with its own pages, which an
# .htaccess cannot change, so there only the codes are checked.
front() { # front REGEX APACHE_CODES NAME PATH BODY [curl args...]
	local re=$1 codes=$2 name=$3
	shift 3
	if [ "${STACK:-nginx}" = apache ]; then
		call "$@"
		like "$CODE" "^($codes)\$" "$name (Apache: its own $CODE page)"
	else
		keep "$@"
		like "$CODE $(sc)" "$re" "$name"
	fi
}
front '^41[34] requete_trop_grande -$' '413|414' \
	"a 9 kB request line is a JSON requete_trop_grande (413 or 414)" \
	"client/payer?$(pad 9000)" "$PAY&montant=1"
front '^(400 requete_malforme|404 requete_inconnue) -$' '400|404' \
	"a bad escape in the path is a JSON requete_malforme (400) or requete_inconnue (404)" \
	"client/pay%zzer" "$PAY&montant=1"
front '^(400 requete_malforme|413 requete_trop_grande|431 requete_trop_grande) -$' '400|413|431' \
	"a 9 kB header is a JSON requete_malforme or requete_trop_grande" \
	client/payer "$PAY&montant=1" -H "X-Grand: $(pad 9000)"
is "$(snap)" "$BASE" "and none of them changed anything"

protocol_finish 25
