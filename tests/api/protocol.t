#!/usr/bin/env bash
# Wire conventions (doc/api.md#requests and doc/api.md#parameters) and hostile input, through nginx and the FastCGI
# workers: body encodings and Content-Types, percent-escapes and UTF-8, money,
# boolean, card and login shapes, size caps, SQL-looking text, idRequete. Every
# refused write is checked twice: the status it answers, and a database that
# did not move (balance, ledger, journal, sessions, clients, users).
. "$(dirname "$0")/lib.sh"
# Failed logins are part of the checks here, not their rate limit.
start_stack TENP5_LOGIN_FAILS=1000
P=$(admin_jeton)
add_user "$P" bar bar-secret-1 2
add_user "$P" cible cible-secret-1 2
B=$(login bar bar-secret-1)
call client/ajouter "jeton=$P&idCarte=ABCD&solde=500"
call prix/modifier "jeton=$P&quantite=1&prix=1.2"
TABLES=$(sql "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)")

# What a refused request must leave alone.
snap() {
	sql "SELECT (SELECT balance FROM clients WHERE card = 'ABCD') || ' tx=' ||
	    (SELECT count(*) FROM transactions) || ' journal=' || (SELECT count(*) FROM journal) ||
	    ' sessions=' || (SELECT count(*) FROM sessions) || ' clients=' ||
	    (SELECT count(*) FROM clients) || ' users=' || (SELECT count(*) FROM users) ||
	    ' overdraft=' || (SELECT overdraft FROM clients WHERE card = 'ABCD')"
}
rebase() { BASE=$(snap); }
rebase

# Every reply of this file goes through post, which appends it to $REPLIES
# (fields split by \x1f, records by \x1e, which JSON text never holds) for the
# checks on all replies at the end: content type, JSON shape, HTTP code, leaks.
REPLIES=$DATA/replies
: >"$REPLIES"
keep() { # keep PATH BODY [curl args...]: call, and keep the reply
	call "$@"
	printf '%s\x1f%s\x1f%s\x1f%s\x1e' "$1" "$CODE" "$HEADERS" "$REPLY" >>"$REPLIES"
}
json() { keep "$1" "$2" -H 'Content-Type: application/json' "${@:3}"; }

# "status champ" of a flat reply, without a jq per call (the JSON shape of
# every reply is checked once, at the end); champ is "-" when absent.
sc() {
	local s=- c=-
	[[ $REPLY =~ \"status\":\"([a-z_]+)\" ]] && s=${BASH_REMATCH[1]}
	[[ $REPLY =~ \"champ\":\"([A-Za-z]+)\" ]] && c=${BASH_REMATCH[1]}
	echo "$s $c"
}

# refused EXPECTED NAME PATH BODY [curl args...]: EXPECTED is "HTTP status champ";
# the database must be as it was.
refused() {
	local want=$1 name=$2 now
	shift 2
	keep "$@"
	now=$(snap)
	is "$CODE $(sc) | $now" "$want | $BASE" "$name"
	BASE=$now # one wrongful change must not fail every later check
}
refused_json() {
	local want=$1 name=$2 now
	shift 2
	json "$@"
	now=$(snap)
	is "$CODE $(sc) | $now" "$want | $BASE" "$name"
	BASE=$now
}

# accepted NAME CENTS PATH BODY [curl args...]: a payment of CENTS went through,
# once, with a ledger row of that amount.
accepted() {
	local name=$1 cents=$2 before after tx
	shift 2
	before=$(sql "SELECT balance FROM clients WHERE card = 'ABCD'")
	keep "$@"
	tx=0
	[[ $REPLY =~ \"idTransaction\":([0-9]+) ]] && tx=${BASH_REMATCH[1]}
	after=$(sql "SELECT balance FROM clients WHERE card = 'ABCD'")
	is "$(sc) $((before - after)) $(sql "SELECT amount FROM transactions WHERE id = $tx")" \
		"ok - $cents $cents" "$name"
	rebase
}

PAY="jeton=$B&idCarte=ABCD"

# form-urlencoded: "+", escapes, UTF-8
call utilisateur/ajouter "jeton=$P&login=espace&mdp=mot+de+passe+1&droit=1"
keep utilisateur/connexion "login=espace&mdp=mot%20de%20passe%201"
is "$(st)" ok "'+' in a form value decodes to a space (password set with '+', login with %20)"
keep utilisateur/connexion "login=espace&mdp=mot%2Bde%2Bpasse%2B1"
is "$(st)" identifiants_invalides "a %2B is a literal '+', not a space"
rebase
refused "200 requete_malforme login" "a login 'a+b' is 'a b': the space is malformed" \
	utilisateur/connexion "login=a+b&mdp=whatever-1"
refused "200 requete_malforme login" "a login 'a%2Bb' is 'a+b': '+' is not a login character" \
	utilisateur/connexion "login=a%2Bb&mdp=whatever-1"
accepted "idCarte=AB%43D is percent-decoded to ABCD" 100 client/payer "jeton=$B&idCarte=AB%43D&montant=1"
accepted "lower-case hex escapes decode too (%2c is a comma)" 150 client/payer "$PAY&montant=1%2c5"
for bad in ABCD%4 ABCD% AB%zzD ABCD%00 ABCD%C3%28 ABCD%C0%AF ABCD%ED%A0%80 ABCD%F4%90%80%80 ABCD%FF; do
	refused "200 requete_malforme idCarte" "a bad escape or byte in a value ($bad) is malformed and names the parameter" \
		client/payer "jeton=$B&idCarte=$bad&montant=1"
done
refused "200 requete_malforme idCarte" "a truncated escape at the very end of the body is malformed" \
	client/payer "jeton=$B&montant=1&idCarte=ABCD%"
refused "200 requete_malforme -" "a bad escape in a parameter name is malformed" \
	client/payer "$PAY&mont%zzant=1"
refused "200 requete_malforme jeton" "a bad escape in the jeton is malformed before any credential check" \
	client/payer "jeton=%zz&idCarte=ABCD&montant=1"

# repeated, empty and unknown parameters
refused "200 requete_malforme montant" "montant given twice is malformed" \
	client/payer "$PAY&montant=1&montant=2"
refused "200 requete_malforme montant" "montant given twice with the same value is still malformed" \
	client/payer "$PAY&montant=1&montant=1"
refused "200 requete_malforme idCarte" "idCarte given twice is malformed" \
	client/payer "$PAY&idCarte=ABCD&montant=1"
refused "200 requete_malforme jeton" "jeton given twice is malformed" \
	client/payer "$PAY&montant=1&jeton=$B"
accepted "an empty montant counts as absent: montant=&quantite=1 pays the price of one" 120 \
	client/payer "$PAY&montant=&quantite=1"
refused "200 requete_malforme idCarte" "an empty idCarte counts as absent (it is required)" \
	client/payer "jeton=$B&idCarte=&montant=1"
refused "200 jeton_invalide -" "an empty jeton counts as absent" \
	client/payer "jeton=&idCarte=ABCD&montant=1"
is "$(val .raison)" absent "and its raison is absent"
accepted "unknown parameters are ignored" 100 client/payer "$PAY&montant=1&couleur=rouge&x=&=y&&z"

# Content-Type
accepted "no Content-Type at all is read as a form" 100 client/payer "$PAY&montant=1" -H 'Content-Type:'
accepted "application/x-www-form-urlencoded; charset=UTF-8 works" 100 \
	client/payer "$PAY&montant=1" -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8'
accepted "a chunked body (no Content-Length) is read like any other" 100 \
	client/payer "$PAY&montant=1" -H 'Transfer-Encoding: chunked'
refused "200 requete_malforme -" "text/plain is malformed" \
	client/payer "$PAY&montant=1" -H 'Content-Type: text/plain'
refused "200 requete_malforme -" "multipart/form-data is malformed" \
	client/payer "$PAY&montant=1" -H 'Content-Type: multipart/form-data; boundary=xyz'
part() { printf -- '--xyz\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' "$1" "$2"; }
refused "200 requete_malforme -" "a real multipart body is malformed" \
	client/payer "$(part jeton "$B"; part idCarte ABCD; part montant 1; printf -- '--xyz--\r\n')" \
	-H 'Content-Type: multipart/form-data; boundary=xyz'
refused "200 requete_malforme -" "a media type that only starts like the form one is malformed" \
	client/payer "$PAY&montant=1" -H 'Content-Type: application/x-www-form-urlencodedx'
refused "200 requete_malforme -" "a form body sent as application/json is malformed" \
	client/payer "$PAY&montant=1" -H 'Content-Type: application/json'

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

# money shapes
for m in 1.8:180 1,80:180 10:1000 10.0:1000 0.05:5 007:700; do
	accepted "the amount '${m%%:*}' is accepted as ${m#*:} cents" "${m#*:}" client/payer "$PAY&montant=$(urlenc "${m%%:*}")"
done
for m in 1. .5 1.234 1e3 0x10 " 1" "1 " +1 1,5.0 --1 1..5 , 1,,5 ٣ 1.5€ "1 000"; do
	refused "200 requete_malforme montant" "the amount '$m' is malformed" client/payer "$PAY&montant=$(urlenc "$m")"
done
refused "200 requete_malforme montant" "a raw '+1' in a form is ' 1': malformed" client/payer "$PAY&montant=+1"
refused "200 paiement_negatif -" "the amount -0 is paiement_negatif" client/payer "$PAY&montant=-0"
refused "200 montant_trop_eleve -" "the amount 99999999999999999999999 is montant_trop_eleve" \
	client/payer "$PAY&montant=99999999999999999999999"
refused "200 montant_trop_eleve -" "a huge amount with decimals is montant_trop_eleve" \
	client/payer "$PAY&montant=99999999999999999999999,99"

# booleans
# Yes and no alternate (the flag starts at 0), so each word is seen to act.
for b in true false 1 0 vrai faux oui non TRUE FALSE Oui Non VRAI NON; do
	case ${b,,} in true | 1 | vrai | oui) want=1 ;; *) want=0 ;; esac
	keep client/decouvert "jeton=$P&idCarte=ABCD&decouvert=$b"
	is "$(sc) $(sql "SELECT overdraft FROM clients WHERE card = 'ABCD'")" "ok - $want" "decouvert=$b is accepted as $want"
done
rebase
for b in yes no y 2 -1 " true" "true " tru truee; do
	refused "200 requete_malforme decouvert" "decouvert='$b' is malformed" \
		client/decouvert "jeton=$P&idCarte=ABCD&decouvert=$(urlenc "$b")"
done

# card ids and logins
C32=$(printf 'C%.0s' $(seq 32))
refused "200 requete_malforme idCarte" "a 33-character card id is malformed" client/payer "jeton=$B&idCarte=${C32}D&montant=1"
keep client/ajouter "jeton=$B&idCarte=$C32&solde=1"
is "$(st) $(sql "SELECT balance FROM clients WHERE card = '$C32'")" "ok 100" "a 32-character card id is accepted"
rebase
refused "200 requete_malforme idCarte" "a card id with a non-ASCII letter is malformed" \
	client/payer "jeton=$B&idCarte=ABC%C3%89&montant=1"
L30=$(printf 'l%.0s' $(seq 30))
refused "200 requete_malforme login" "a 31-character login is malformed" \
	utilisateur/connexion "login=${L30}x&mdp=whatever-1"
keep utilisateur/connexion "login=$L30&mdp=whatever-1"
is "$(st)" identifiants_invalides "a 30-character login has the right shape (unknown account)"
rebase

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

# size caps (nginx and the workers both hold 64 KiB)
pad() { head -c "$1" /dev/zero | tr '\0' x; }
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

# header-like values
refused "200 requete_malforme idCarte" "a CRLF in idCarte is malformed" \
	client/payer "jeton=$B&idCarte=ABCD%0D%0AX-Injecte:%201&montant=1"
[[ $HEADERS != *X-Injecte* ]]
ok $? "the reply's headers hold no X-Injecte line"
refused_json "200 requete_malforme idCarte" "a \\r\\n in a JSON idCarte is malformed" \
	client/payer "{\"jeton\":\"$B\",\"idCarte\":\"ABCD\\r\\nX-Injecte: 1\",\"montant\":1}"
[[ $HEADERS != *X-Injecte* ]]
ok $? "nor after a JSON CRLF"

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

# idRequete
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

# every reply collected above
records() { # the kept replies as JSON objects {path, code, headers, body}
	jq -Rs 'split("\u001e")[:-1][] | split("\u001f")
		| {path: .[0][:60], code: .[1], headers: .[2], body: .[3]} | '"$1"' ' "$REPLIES" | paste -sd ';'
}
n=$(tr -cd '\036' <"$REPLIES" | wc -c)
[ "$n" -ge 150 ]
ok $? "at least 150 replies were collected ($n)"
is "$(records 'select(.headers | test("(^|\n)content-type: application/json; charset=utf-8(\r?\n|$)"; "i") | not)
	| "\(.code) \(.path):\(.headers | capture("(^|\n)content-type:(?<t>[^\r\n]*)"; "i").t // " none")"')" \
	"" "every reply is Content-Type: application/json; charset=utf-8"
is "$(records '(.body | try fromjson catch null) as $b
	| select(($b | type) != "object" or ($b.status | type) != "string") | "\(.code) \(.path): \(.body[:80])"')" \
	"" "every reply is one JSON object with a status"
is "$(records '(.body | try fromjson catch {}) as $b | .code as $c
	| select(({"requete_trop_grande": ["413", "414"], "methode_non_autorisee": ["405"],
	    "requete_inconnue": ["404"], "requete_malforme": ["200", "400"]}[$b.status // ""] // ["200"])
	    | index($c) | not) | "\(.code) \(.path): \(.body[:80])"')" \
	"" "business refusals are HTTP 200; only 404, 405, 413 (and nginx's 400, 414) are not"
is "$(records '(.body | try (fromjson | del(.jeton) | tostring) catch .)
	| select(test("sql|sqlite|/tmp|/work|constraint"; "i"))')" \
	"" "no reply shows SQL, sqlite, paths or constraint text"
is "$(records 'select(.body | test("erreur_bdd|erreur_generique")) | "\(.code) \(.path): \(.body)"')" \
	"" "no hostile input caused erreur_bdd or erreur_generique"

ledger_ok
ok $? "the ledger invariant holds"
finish
