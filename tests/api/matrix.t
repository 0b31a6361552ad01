#!/usr/bin/env bash
# Every endpoint, from the binaries' own route tables (--routes), against
# doc/api.md#rights and #scopes: each right 0-3 with a session, an API key of
# each right, an OAuth token of each scope and an API key of each portee; then
# hostile values in every field of every endpoint, each answering a clear
# status and, unless it is ok, changing nothing.
. "$(dirname "$0")/lib.sh"

# The right each endpoint needs (doc/api.md#rights; "self" routes: 1 on one's
# own account, 3 on another's) and the scopes an OAuth token or a key with a
# portee may open it with (doc/api.md#scopes: any one of them; admin opens
# everything). (utilisateur/deconnexion needs none: logging out is
# idempotent, doc/api.md#sessions.)
declare -A RIGHT=(
	[utilisateur/mdp]=1 [utilisateur/carte]=1
	[utilisateur/liste]=3 [utilisateur/fiche]=1 [utilisateur/ajouter]=3
	[utilisateur/droit]=3 [utilisateur/supprimer]=3
	[client/ajouter]=1 [client/recharger]=2 [client/payer]=2 [client/vidange]=2
	[client/liste]=2 [client/fiche]=2 [client/decouvert]=3
	[client/bloquer]=2 [client/debloquer]=2 [client/remplacer]=2 [client/code]=2
	[moi/fiche]=0 [moi/bloquer]=0
	[carte/info]=1 [annuler]=2 [refaire]=2 [transactions]=3 [statistiques]=2
	[prix/liste]=1 [prix/modifier]=3 [v1/me]=0
	[cle/creer]=1 [cle/liste]=1 [cle/supprimer]=1
	[app/creer]=3 [app/liste]=3 [app/supprimer]=3
	[utilisateur/verrous]=3 [utilisateur/deverrouiller]=3
	[evenements/ticket]=2
	[service/ouvrir]=2 [service/fermer]=2 [service/liste]=3
	[produit/liste]=1 [produit/modifier]=3
	[export/transactions]=3 [export/services]=3
	[horsligne/regles]=2 [horsligne/modifier]=3 [horsligne/dettes]=2
)
# Credentials are changed by a person logged in with a password only.
SESSION_ONLY=" utilisateur/mdp utilisateur/carte cle/creer "
# A card holder's own endpoints take a holder session and nothing else, and a
# holder session opens nothing else (doc/api.md, card holders).
HOLDER_ONLY=" moi/fiche moi/bloquer "
declare -A SCOPE=(
	[v1/me]=any
	[utilisateur/fiche]=lecture [utilisateur/liste]=lecture [client/liste]=lecture
	[client/fiche]=lecture [carte/info]=lecture [transactions]=lecture
	[statistiques]=lecture [prix/liste]=lecture [evenements/ticket]="lecture flux"
	[client/ajouter]=caisse [client/recharger]=caisse [client/payer]=caisse
	[client/vidange]=caisse [annuler]=caisse [refaire]=caisse
	[service/ouvrir]=caisse [service/fermer]=caisse [service/liste]=lecture [produit/liste]=lecture
	[export/transactions]=lecture [export/services]=lecture
	[horsligne/regles]="caisse lecture" [horsligne/dettes]=lecture
	[client/bloquer]=caisse [client/debloquer]=caisse [client/remplacer]=caisse
	[client/code]=caisse
)

# Sessions live an hour: the honeypot's, last used at its gates, is logged out
# at the end, minutes later on a busy machine, and must not have lapsed by then.
start_stack TENP5_LOGIN_FAILS=100000 TENP5_SESSION_TTL=3600
for b in "$BIN"/cgi-bin/*; do
	[ -x "$b" ] && [ "${b%.o}" = "$b" ] && "$b" --routes
done | jq -c 'select(.raw | not) | select(.public | not)' >"$DATA/routes"
is "$(jq -r .path "$DATA/routes" | sort | tr '\n' ' ')" "$(printf '%s\n' "${!RIGHT[@]}" | sort | tr '\n' ' ')" \
	"the route tables hold exactly the documented authenticated endpoints"
mismatch=$(jq -r '"\(.path) \(.right)"' "$DATA/routes" | while read -r path right; do
	[ "$right" = "${RIGHT[$path]}" ] || echo "$path declares $right, doc/api.md says ${RIGHT[$path]}"
done)
is "$mismatch" "" "every route declares the documented right"
is "$(jq -r 'select(.session) | .path' "$DATA/routes" | sort | tr '\n' ' ')" "cle/creer utilisateur/carte utilisateur/mdp " \
	"exactly the credential-changing endpoints are for password sessions only"
is "$(jq -r 'select(.holder) | .path' "$DATA/routes" | sort | tr '\n' ' ')" "moi/bloquer moi/fiche " \
	"exactly the holder's own endpoints take a holder session"
paths=$(jq -r .path "$DATA/routes" | sort)

P=$(admin_jeton)
for d in 0 1 2 3; do add_user "$P" "u$d" "u$d-secret-1" "$d"; done
declare -A SESSION KEY
for d in 0 1 2 3; do SESSION[$d]=$(login "u$d" "u$d-secret-1"); done
for d in 0 1 2 3; do
	call cle/creer "jeton=$P&nom=k$d&droit=$d"
	KEY[$d]=$(val .cle)
done

# gates DESC JETON [HEADER]: calls every endpoint with that credential (no
# other parameter) and prints "path status http" lines.
gates() {
	local desc=$1 jeton=$2 header=${3:-} path
	for path in $paths; do echo "$path jeton=$jeton"; done >"$DATA/gates.in"
	if [ -n "$header" ]; then
		sed -i 's/ jeton=.*/ x=1/' "$DATA/gates.in"
		while read -r path _; do
			call "$path" "" -H "$header"
			echo "$path $(st) $CODE"
		done <"$DATA/gates.in"
	else
		STORM_CODES=1 storm 8 <"$DATA/gates.in" | paste -d' ' <(cut -d' ' -f1 "$DATA/gates.in") - |
			while read -r path code reply; do echo "$path $(jq -r .status <<<"$reply") $code"; done
	fi
}

# check_gates DESC (path status http lines on stdin) EXPECT: prints the
# endpoints that pass or stop at the gate wrongly. EXPECT is a function
# answering 1 (refused) or 0 for a path.
check_gates() {
	local desc=$1 expect=$2 path s code refused
	while read -r path s code; do
		refused=$($expect "$path")
		if [ "$refused" = 1 ]; then
			[ "$s" = droits_insuffisants ] || echo "$desc $path: expected droits_insuffisants, got $s ($code)"
		else
			case $s in
			droits_insuffisants | jeton_invalide | erreur_bdd | erreur_generique | "" | null)
				echo "$desc $path: expected to pass the gate, got '$s' ($code)" ;;
			esac
		fi
	done
}

below_right() {
	if [[ $HOLDER_ONLY == *" $1 "* ]] || [ "$D" -lt "${RIGHT[$1]}" ]; then echo 1; else echo 0; fi
}
key_refused() {
	if [[ $SESSION_ONLY == *" $1 "* ]]; then echo 1; else below_right "$1"; fi
}
fails=""
for D in 0 1 2 3; do
	fails+=$(gates "session" "${SESSION[$D]}" | check_gates "session droit $D" below_right)
done
is "$fails" "" "sessions of droit 0-3: each endpoint refuses exactly below its right"
fails=""
for D in 0 1 2 3; do
	out=$(gates "key" "" "Authorization: Bearer ${KEY[$D]}")
	fails+=$(check_gates "API key droit $D" key_refused <<<"$out")
	fails+=$(awk '$2 == "droits_insuffisants" && $3 != 403 { print "API key: " $1 " answered HTTP " $3 }' <<<"$out")
done
is "$fails" "" "API keys of droit 0-3: the same gates, as 403 in the header"

# OAuth: a token of each scope, for the president (in a fresh session: the
# gates above may outlast one on a busy machine).
P=$(admin_jeton)
SCOPES="compte lecture caisse admin flux"
declare -A TOKEN
for scope in $SCOPES; do
	TOKEN[$scope]=$(oauth_token "$P" "$scope" prez prez-secret-1)
done
is "$(printf '%s\n' "${TOKEN[@]}" | grep -c '^10p5at_')" 5 "an OAuth token of each scope"
scope_refused() {
	local need=${SCOPE[$1]:-admin}
	if [[ $SESSION_ONLY$HOLDER_ONLY == *" $1 "* ]]; then echo 1
	elif [ "$need" = any ] || [[ " $need " == *" $SC "* ]] || [ "$SC" = admin ]; then echo 0
	else echo 1; fi
}
fails=""
for SC in $SCOPES; do
	fails+=$(gates "token" "" "Authorization: Bearer ${TOKEN[$SC]}" | check_gates "OAuth scope $SC" scope_refused)
done
is "$fails" "" "OAuth tokens of each scope: exactly the documented endpoints pass"

# A holder session: its own endpoints pass, every staff endpoint refuses it.
call client/ajouter "jeton=$P&idCarte=HOLDER1&solde=5"
call client/code "jeton=$P&idCarte=HOLDER1"
call moi/connexion "idCarte=HOLDER1&code=$(val .codeClient)"
holder_refused() { [[ $HOLDER_ONLY == *" $1 "* ]] && echo 0 || echo 1; }
is "$(gates "holder" "$(val .jeton)" | check_gates "holder session" holder_refused)" "" \
	"a holder session: its own endpoints pass, every staff endpoint answers droits_insuffisants"

SESSION[0]=$(login u0 u0-secret-1) # the gates above may outlast the first
call utilisateur/deconnexion "jeton=${SESSION[0]}"
is "$(st)" ok "even a honeypot may log out"
call client/liste "jeton=${SESSION[0]}"
is "$(st) $(val .raison)" "jeton_invalide inconnu" "and its session is over"

# Keys with a portee: the president's, of right 3, each holding one scope,
# pass exactly where an OAuth token of that scope does; refused, HTTP 403 in
# the header and 200 as a parameter.
declare -A SCOPED
P=$(admin_jeton)
for SC in $SCOPES; do
	call cle/creer "jeton=$P&nom=portee-$SC&portee=$SC"
	SCOPED[$SC]=$(val .cle)
done
fails=""
for SC in $SCOPES; do
	out=$(gates "key" "" "Authorization: ApiKey ${SCOPED[$SC]}")
	fails+=$(check_gates "API key portee $SC (header)" scope_refused <<<"$out")
	fails+=$(awk -v sc="$SC" '$2 == "droits_insuffisants" && $3 != 403 { print "key " sc ": " $1 " answered HTTP " $3 }' <<<"$out")
	out=$(gates "key" "${SCOPED[$SC]}")
	fails+=$(check_gates "API key portee $SC (jeton)" scope_refused <<<"$out")
	fails+=$(awk -v sc="$SC" '$2 == "droits_insuffisants" && $3 != 200 { print "key " sc ": " $1 " answered HTTP " $3 }' <<<"$out")
done
is "$fails" "" "API keys of each portee: exactly the endpoints of their scope pass, as OAuth tokens'"

# --- hostile values in every field of every endpoint ------------------------
P=$(admin_jeton) # the gates above may outlast a session on a busy machine
call client/ajouter "jeton=$P&idCarte=HOST1&solde=100"
call client/payer "jeton=$P&idCarte=HOST1&montant=1"
add_user "$P" victim victim-secret-1 1
declare -A GOOD=(
	[idCarte]=HOST1 [client]=HOST1 [login]=victim [utilisateur]=victim [mdp]=victim-secret-2
	[montant]=1 [solde]=5 [prix]=1 [decouvert]=non [droit]=1 [quantite]=1 [idTransaction]=999999
	[limite]=10 [apres]=0 [avant]=999999 [ordre]=recent [nom]=x [expiration]=1 [id]=999999 [client_id]=app_nope
	[redirect_uri]=https%3A%2F%2Fh.example%2Fcb [idRequete]=h-0 [depuis]=0 [jusqua]=3600000 [pas]=3600 [portee]=lecture
	[moyen]=carte [caisse]=x [fond]=1 [compte]=1 [produits]=1:1 [categorie]=x [actif]=oui
	[format]=rfc4180 [horsLigne]=0 [plafondCarte]=1 [plafondCaisse]=1 [dureeMax]=3600
	[motif]=perdue [nouvelleCarte]=NEW9
)
hostile=(
	"%27%20OR%201%3D1%20--" "%27%3B%20DROP%20TABLE%20clients%3B%20--" "A%00B" "%C3%28" "%C0%AF"
	"99999999999999999999999" "-0" "1e3" "a%0D%0AX-Evil%3A%201" "%20" "$(head -c 10000 /dev/zero | tr '\0' 9)"
)
fingerprint() {
	sql "SELECT (SELECT count(*) FROM transactions) || ':' || (SELECT total(balance) FROM clients)
	    || ':' || (SELECT count(*) FROM clients) || ':' || (SELECT count(*) FROM users)
	    || ':' || (SELECT count(*) FROM api_keys) || ':' || (SELECT count(*) FROM apps)
	    || ':' || (SELECT count(*) FROM prices) || ':' || (SELECT total(overdraft) FROM clients)
	    || ':' || (SELECT total(blocked) FROM clients) || ':' || (SELECT count(*) FROM former_cards)
	    || ':' || (SELECT group_concat(password, '') FROM users)
	    || ':' || (SELECT count(*) || total(closed_ms IS NULL) FROM services)
	    || ':' || (SELECT count(*) || group_concat(price || active, '') FROM products)
	    || ':' || (SELECT count(*) FROM sale_lines)
	    || ':' || (SELECT card_cap || '/' || till_cap || '/' || max_age_ms FROM offline_rules)
	    || ':' || (SELECT count(*) FROM offline_flags)"
}
# One batch per (endpoint, field): the database is fingerprinted around the
# batch, and again around each request of a batch in which something passed.
bad=()
changed=()
n=0
while read -r route; do
	path=$(jq -r .path <<<"$route")
	[ "$path" = utilisateur/deconnexion ] && continue
	fields=$(jq -r '.fields[].name' <<<"$route")
	for f in $fields; do
		: >"$DATA/batch"
		for h in "${hostile[@]}"; do
			body="jeton=$P"
			for g in $fields; do
				if [ "$g" = "$f" ]; then body+="&$g=$h"; else body+="&$g=${GOOD[$g]}"; fi
			done
			echo "$path $body" >>"$DATA/batch"
		done
		before=$(fingerprint)
		STORM_CODES=1 storm 1 <"$DATA/batch" >"$DATA/batch.out"
		after=$(fingerprint)
		n=$((n + ${#hostile[@]}))
		paste -d' ' <(cut -d' ' -f1 "$DATA/batch.out") \
			<(cut -d' ' -f2- "$DATA/batch.out" | jq -R -r '(fromjson? // {}) | .status // "none"' 2>/dev/null ||
			  true) >"$DATA/batch.st"
		while read -r code s; do
			reply=$s
			case "$code $s" in
			"200 erreur_bdd" | "200 erreur_generique" | "200 " | "200 null") bad+=("$path $f: HTTP $code '${reply:0:80}'") ;;
			"200 "* | "413 requete_trop_grande") ;;
			*) bad+=("$path $f: HTTP $code '${reply:0:80}'") ;;
			esac
		done <"$DATA/batch.st"
		if ! grep -q '"status":"ok"' "$DATA/batch.out"; then
			[ "$after" = "$before" ] || changed+=("$path $f: only refusals, yet the database changed")
			continue
		fi
		# Something passed (a value valid for this field): check the others one by one.
		[ "$path" = utilisateur/mdp ] && P=$(admin_jeton) # a changed password ends other sessions
		while read -r line; do
			line=$(sed "s/jeton=[^&]*/jeton=$P/" <<<"$line")
			before=$(fingerprint)
			call "${line%% *}" "${line#* }"
			[ "$(st)" = ok ] || [ "$(fingerprint)" = "$before" ] ||
				changed+=("$path $f: $(st), yet the database changed")
			[ "$(st)" = ok ] && [ "$path" = utilisateur/mdp ] && P=$(admin_jeton)
		done <"$DATA/batch"
	done
done <"$DATA/routes"
is "$(printf '%s\n' "${bad[@]}")" "" "$n hostile requests over every field of every endpoint: each answers a clear status"
is "$(printf '%s\n' "${changed[@]}")" "" "and every refusal leaves the database as it was"
is "$(sql 'SELECT count(*) FROM sqlite_master WHERE name IN ("clients", "transactions", "users")')" 3 "no table went missing"
ledger_ok
ok $? "the ledger invariant holds"

# Oversized requests at every area.
for path in client/payer utilisateur/liste annuler prix/liste cle/liste app/liste; do
	head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' a >"$DATA/big"
	CODE=$(curl -s -o "$DATA/big.out" -w '%{http_code}' --data-binary @"$DATA/big" "$URL/api/$path")
	is "$CODE $(jq -r .status "$DATA/big.out")" "413 requete_trop_grande" "a 10 MB body to $path is refused with 413"
done
seq -f 'k%g=' 100000 | tr '\n' '&' >"$DATA/many"
CODE=$(curl -s -o "$DATA/many.out" -w '%{http_code}' --data-binary @"$DATA/many" "$URL/api/client/payer")
is "$CODE $(jq -r .status "$DATA/many.out")" "413 requete_trop_grande" "100 000 parameters are refused with 413"
finish
