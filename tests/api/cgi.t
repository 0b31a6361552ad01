#!/usr/bin/env bash
# Plain CGI: the same binaries, started once per request by a web server with
# the request in the environment and the body on stdin (cheap shared hosting).
. "$(dirname "$0")/lib.sh"
DATA=$(mktemp -d /tmp/10p5-cgi.XXXXXX)
DB=$DATA/10p5.db
export TENP5_DB=$DB

# cgi AREA METHOD URI BODY [CONTENT_TYPE]: sets HEADERS, REPLY and CODE. The
# variables are those Apache gives a program its .htaccess rule rewrote the
# URI to (REDIRECT_URL, and SCRIPT_NAME: the program in the URI's base), as
# suEXEC passes them on.
cgi() {
	local out path=${3%%\?*}
	out=$(printf '%s' "$4" | env -i PATH="$PATH" TENP5_DB="$DB" GATEWAY_INTERFACE=CGI/1.1 \
		${TENP5_BUSY_TIMEOUT:+TENP5_BUSY_TIMEOUT=$TENP5_BUSY_TIMEOUT} \
		${HTTP_AUTHORIZATION:+HTTP_AUTHORIZATION="$HTTP_AUTHORIZATION"} \
		SCRIPT_NAME="${path%%/api/*}/$1.cgi" REDIRECT_URL="$path" \
		REQUEST_METHOD="$2" REQUEST_URI="$3" QUERY_STRING="${3#*\?}" CONTENT_LENGTH="${#4}" \
		CONTENT_TYPE="${5:-application/x-www-form-urlencoded}" REMOTE_ADDR=192.0.2.7 \
		"$BIN/cgi-bin/$1" 2>>"$DATA/cgi.log")
	HEADERS=${out%%$'\r\n\r\n'*}
	REPLY=${out#*$'\r\n\r\n'}
	CODE=$(sed -n 's/^Status: \([0-9]*\).*/\1/p' <<<"$HEADERS")
}

cgi divers GET /api/coucou ""
is "$CODE $(st)" "200 ok" "coucou answers as CGI, creating the database on first use"
like "$HEADERS" "Content-Type: application/json; charset=utf-8" "with the JSON content type"
ok "$([ -f "$DB" ]; echo $?)" "the database file exists"
ADMIN_LOGIN=prez ADMIN_MDP=prez-secret-1 "$ADMIN" -d "$DB" bootstrap >/dev/null
cgi utilisateur POST /10p5/api/utilisateur/connexion "login=prez&mdp=prez-secret-1"
is "$(st)" ok "a login works under a sub-directory install"
J=$(val .jeton)
is "${#J}" 30 "and returns a 30-character jeton"
cgi client POST /api/client/ajouter "jeton=$J&idCarte=CGI1&solde=20"
is "$(st) $(val .soldeNouveau)" "ok 20" "a client is opened"
cgi client POST /api/client/payer "{\"jeton\":\"$J\",\"idCarte\":\"CGI1\",\"montant\":\"2,5\"}" application/json
is "$(st) $(val .soldeNouveau)" "ok 17.5" "a JSON payment goes through"
cgi client POST /api/client/fiche "jeton=$J&idCarte=CGI1"
is "$(val '.transactions | length')" 2 "the fiche streams its two transactions"

# The treasurer's areas: a shift, the catalogue, a basket paid in the shift,
# and the exports streamed as attachments, by POST and by GET with the
# Authorization header (which the .htaccess hands to the programs).
cgi service POST /api/service/ouvrir "jeton=$J&caisse=CGI&fond=20"
is "$(st)" ok "a shift is opened as CGI"
S=$(val .id)
cgi produit POST /api/produit/modifier "jeton=$J&nom=Blonde&prix=2,5&categorie=Bi%C3%A8res"
is "$(st)" ok "a product is added"
BLONDE=$(val .id)
cgi produit POST /api/produit/liste "jeton=$J"
is "$(val '[.produits[] | .nom + " " + (.prix | tostring)] | join(",")')" "Blonde 2.5" "the catalogue lists it"
cgi client POST /api/client/ajouter "jeton=$J&idCarte=CGI2&solde=10"
cgi client POST /api/client/payer "jeton=$J&idCarte=CGI2&produits=$BLONDE:2"
is "$(st) $(val .soldeNouveau)" "ok 5" "a basket is paid"
is "$(sql "SELECT t.service_id || ':' || l.name || ':' || l.qty FROM transactions t JOIN sale_lines l ON l.transaction_id = t.id")" \
	"$S:Blonde:2" "in the shift, with its line"
cgi service POST /api/service/fermer "jeton=$J&id=$S&compte=30"
is "$(st) $(jv '.attendu, .compte, .ecart')" "ok 30 30 0" "the shift closes: the float and the cash opening, to the cent"
now=$(($(date +%s) * 1000))
cgi export POST /api/export/transactions "jeton=$J&depuis=$((now - 86400000))&jusqua=$((now + 86400000))"
is "$CODE" 200 "export/transactions streams its file"
like "$HEADERS" $'Content-Type: text/csv; charset=utf-8\r' "as CSV"
like "$HEADERS" 'Content-Disposition: attachment; filename="10p5-transactions-[0-9-]+(_[0-9-]+)?\.csv"' "as an attachment named for its days"
is "$(printf '%s' "$REPLY" | head -c 3 | od -An -tx1 | tr -d ' ')" efbbbf "French: a byte-order mark first"
is "$(printf '%s\n' "$REPLY" | grep -c $'\r$')" 5 "a header and the four ledger rows, CRLF ended"
like "$REPLY" ';2 × Blonde \(2,50\)'$'\r' "the basket's row names its line"
cgi cle POST /api/cle/creer "jeton=$J&nom=compta&portee=lecture"
HTTP_AUTHORIZATION="Bearer $(val .cle)" cgi export GET \
	"/api/export/services?depuis=$((now - 86400000))&jusqua=$((now + 86400000))&format=rfc4180" ""
like "$HEADERS" 'Content-Disposition: attachment; filename="10p5-services-' "export/services by GET with a key in the Authorization header"
is "$(printf '%s\n' "$REPLY" | tail -n +2 | cut -d, -f1 | tr -d '\r')" "$S" "its one row, the shift"
cgi client POST /api/client/inconnu "jeton=$J"
is "$CODE $(st)" "404 requete_inconnue" "an unknown path is a 404"
cgi client GET /api/client/payer ""
is "$CODE $(st)" "405 methode_non_autorisee" "a GET on payer is a 405"
like "$HEADERS" "Allow: POST" "with an Allow header"
out=$(env -i TENP5_DB="$DB" REQUEST_METHOD=POST REDIRECT_URL=/api/client/payer SCRIPT_NAME=/client.cgi CONTENT_LENGTH=999999 \
	"$BIN/cgi-bin/client" </dev/null 2>>"$DATA/cgi.log")
like "$out" "Status: 413" "a declared body over the cap is a 413 before any read"
like "$out" '"status":"requete_trop_grande"' "with its JSON status"
cgi client POST /api/client/payer "jeton=$J&idCarte=CGI1&montant=1" text/plain
is "$(st)" requete_malforme "an unknown content type is malformed"
out=$(env -i TENP5_DB="$DATA/nodir/x.db" REQUEST_METHOD=GET REDIRECT_URL=/api/coucou SCRIPT_NAME=/divers.cgi \
	"$BIN/cgi-bin/divers" 2>"$DATA/err.log" </dev/null)
like "$out" '"status":"erreur_bdd"' "with an unusable database path the binary answers erreur_bdd"
unlike "$out" "nodir|sqlite|unable" "without telling the client where or why"
like "$(cat "$DATA/err.log")" "cannot open the database" "and says why on stderr, for the server's log"
# Opening the database costs a CGI request no write lock: while another
# connection holds it (a payment's commit, a backup), reads answer at once.
setsid sqlite3 -cmd ".timeout 10000" "$DB" "BEGIN IMMEDIATE;" ".shell touch $DATA/locked" ".shell sleep 60" >/dev/null 2>&1 &
lock_pid=$!
for _ in $(seq 1000); do [ -e "$DATA/locked" ] && break; sleep 0.01; done
export TENP5_BUSY_TIMEOUT=300
cgi divers GET /api/coucou ""
is "$(st)" ok "coucou answers while another connection holds the write lock"
cgi client POST /api/client/fiche "jeton=$J&idCarte=CGI1"
is "$(st)" ok "so does a fiche"
cgi client POST /api/client/payer "jeton=$J&idCarte=CGI1&montant=1"
is "$(st)" erreur_bdd "while a payment, which needs the lock, gives up after TENP5_BUSY_TIMEOUT"
unset TENP5_BUSY_TIMEOUT
kill -- -"$lock_pid" 2>/dev/null
wait "$lock_pid" 2>/dev/null
# TENP5_BUSY_TIMEOUT=0 means do not wait: a payment behind another writer
# (which holds the writers' queue, <db>-writer) is refused at once. The
# timeout only keeps a regression from hanging the suite; it kills, since a
# TERM would itself end the wait with the same answer.
setsid flock "$DB-writer" sh -c "touch $DATA/queued; exec sleep 60" >/dev/null 2>&1 &
lock_pid=$!
for _ in $(seq 1000); do [ -e "$DATA/queued" ] && break; sleep 0.01; done
body="jeton=$J&idCarte=CGI1&montant=1"
out=$(printf '%s' "$body" | timeout -s KILL 20 env -i TENP5_DB="$DB" TENP5_BUSY_TIMEOUT=0 REQUEST_METHOD=POST \
	REDIRECT_URL=/api/client/payer SCRIPT_NAME=/client.cgi CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=${#body} \
	REMOTE_ADDR=192.0.2.7 "$BIN/cgi-bin/client" 2>>"$DATA/cgi.log")
like "$out" '"status":"erreur_bdd"' "with TENP5_BUSY_TIMEOUT=0 a payment behind another writer is refused at once, not held forever"
kill -- -"$lock_pid" 2>/dev/null
wait "$lock_pid" 2>/dev/null
is "$(sql "SELECT balance FROM clients WHERE card = 'CGI1'")" 1750 "and the balance did not move"
"$ADMIN" -d "$DB" check >/dev/null
ok $? "the ledger invariant holds"

# run DIR VAR=value... AREA: the program as Apache (or suEXEC) runs it, in its
# own directory DIR, with nothing but the variables given; GET, no body. Sets
# HEADERS, REPLY and CODE; its log goes to $DATA/run.log.
run() {
	local dir=$1 out
	shift
	out=$(cd "$dir" && env -i PATH="$PATH" REQUEST_METHOD=GET "${@:1:$#-1}" \
		"$BIN/cgi-bin/${!#}" </dev/null 2>"$DATA/run.log")
	HEADERS=${out%%$'\r\n\r\n'*}
	REPLY=${out#*$'\r\n\r\n'}
	CODE=$(sed -n 's/^Status: \([0-9]*\).*/\1/p' <<<"$HEADERS")
}
# The route is the path the .htaccess rule matched: the URL relative to the
# program's directory, as suEXEC passes them (it strips any other variable).
mkdir -p "$DATA/nue"
run "$DATA/nue" TENP5_DB="$DB" REDIRECT_URL=/~bar/caisse/api/coucou/ SCRIPT_NAME=/~bar/caisse/divers.cgi divers
is "$CODE $(st)" "200 ok" "the route is the URL after the programs' directory, a trailing slash allowed"
run "$DATA/nue" TENP5_DB="$DB" REDIRECT_URL=/bar/.well-known/oauth-authorization-server SCRIPT_NAME=/bar/oauth.cgi oauth
is "$CODE" 200 "a route given as a whole path is found under the programs' directory"
run "$DATA/nue" TENP5_DB="$DB" REDIRECT_URL=/bar/autre/api/coucou SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "404 requete_inconnue" "a URL deeper than the programs' directory names no route"
run "$DATA/nue" TENP5_DB="$DB" REDIRECT_URL=/autre/api/coucou SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "404 requete_inconnue" "nor does a URL outside it"
run "$DATA/nue" TENP5_DB="$DB" REDIRECT_URL=/bar/notes.txt SCRIPT_NAME=/bar/divers.cgi TENP5_ROUTE=coucou divers
is "$CODE $(st)" "404 requete_inconnue" "a TENP5_ROUTE in a CGI's environment is not a route: the URL is"
run "$DATA/nue" TENP5_DB="$DB" SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "404 requete_inconnue" "a program asked by its own name (no rewrite) answers no route"
run "$DATA/nue" TENP5_DB="$DB" REDIRECT_URL=/bar/api/client/payer SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "404 requete_inconnue" "another program's route is none of this one's"

# Settings come from 10p5.conf in the programs' directory: suEXEC passes no
# SetEnv of the site's.
mkdir -p "$DATA/site" "$DATA/prive"
printf '# the bar\nTENP5_DB=%s\nTENP5_CEILING=20\n' "$DATA/prive/10p5.db" >"$DATA/site/10p5.conf"
run "$DATA/site" REDIRECT_URL=/bar/api/coucou SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "200 ok" "without TENP5_DB in the environment, 10p5.conf beside the programs names the database"
ok "$([ -f "$DATA/prive/10p5.db" ]; echo $?)" "which is created there"
printf 'TENP5_DB %s\n' "$DATA/prive/10p5.db" >"$DATA/site/10p5.conf"
run "$DATA/site" REDIRECT_URL=/bar/api/coucou SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "500 erreur_generique" "a line of 10p5.conf that is not a setting: erreur_generique"
like "$(cat "$DATA/run.log")" "10p5.conf:1: expected TENP5_NAME=value" "and the log names the line"

# Never a database in the web root.
run "$DATA/nue" REDIRECT_URL=/bar/api/coucou SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "500 erreur_generique" "without TENP5_DB anywhere the programs refuse to serve"
like "$(cat "$DATA/run.log")" "no database: set TENP5_DB in 10p5.conf" "saying so in the log"
is "$(ls -A "$DATA/nue")" "" "and create nothing in the web directory"
printf 'TENP5_DB=var/10p5.db\n' >"$DATA/site/10p5.conf"
run "$DATA/site" REDIRECT_URL=/bar/api/coucou SCRIPT_NAME=/bar/divers.cgi divers
is "$CODE $(st)" "500 erreur_generique" "a relative TENP5_DB (in the programs' directory) is refused"
like "$(cat "$DATA/run.log")" "TENP5_DB is relative" "with a clear log line"
ok "$([ ! -e "$DATA/site/var" ]; echo $?)" "and nothing is created"
mkdir -p "$DATA/site/donnees"
run "$DATA/nue" TENP5_DB="$DATA/site/donnees/10p5.db" DOCUMENT_ROOT="$DATA/site" \
	REDIRECT_URL=/api/coucou SCRIPT_NAME=/divers.cgi divers
is "$CODE $(st)" "500 erreur_generique" "a database under the site's DOCUMENT_ROOT is refused"
run "$DATA/nue" TENP5_DB="$DATA/site/donnees/10p5.db" DOCUMENT_ROOT=/var/www CONTEXT_DOCUMENT_ROOT="$DATA/site" \
	REDIRECT_URL=/~bar/api/coucou SCRIPT_NAME=/~bar/divers.cgi divers
is "$CODE $(st)" "500 erreur_generique" "so is one under a ~user site's root (CONTEXT_DOCUMENT_ROOT)"
like "$(cat "$DATA/run.log")" "is inside $DATA/site, which the web server serves" "naming it in the log"
is "$(ls -A "$DATA/site/donnees")" "" "which holds no database afterwards"

# A host running every site's CGI as one user: the program runs as another
# user than its directory's owner.
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$DATA/commun"
	chown nobody "$DATA/commun"
	chmod 755 "$DATA"
	out=$(cd "$DATA/nue" && runuser -u nobody -- env -i TENP5_DB="$DATA/commun/10p5.db" REQUEST_METHOD=GET \
		REDIRECT_URL=/api/coucou SCRIPT_NAME=/divers.cgi "$BIN/cgi-bin/divers" 2>&1 >/dev/null </dev/null)
	like "$out" "this host seems to run every site's CGI as one user" \
		"a program run as another user than its directory's owner says the host shares one CGI user"
	unlike "$(cat "$DATA/cgi.log")" "one user" "one run as its directory's owner does not"
fi
echo "1..$T_N"
[ "$T_FAIL" = 0 ] && rm -rf "$DATA"
exit "$T_FAIL"
