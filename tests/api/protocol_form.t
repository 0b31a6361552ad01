#!/usr/bin/env bash
# Form bodies through nginx and the FastCGI workers (doc/api.md#requests,
# doc/api.md#parameters): '+' and percent-escapes, UTF-8, repeated, empty and
# unknown parameters, the Content-Types read as a form and those refused, and
# the shapes of amounts, booleans, card ids and logins.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protocol_lib.sh"
protocol_stack

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

protocol_finish 80
