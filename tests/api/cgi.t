#!/usr/bin/env bash
# Plain CGI: the same binaries, started once per request by a web server with
# the request in the environment and the body on stdin (cheap shared hosting).
. "$(dirname "$0")/lib.sh"
DATA=$(mktemp -d /tmp/10p5-cgi.XXXXXX)
DB=$DATA/10p5.db
export TENP5_DB=$DB

# cgi AREA METHOD URI BODY [CONTENT_TYPE]: sets HEADERS, REPLY and CODE. The
# route is what the front server's rewrite rule would name: the path after
# /api/.
cgi() {
	local out path=${3%%\?*}
	out=$(printf '%s' "$4" | env -i PATH="$PATH" TENP5_DB="$DB" GATEWAY_INTERFACE=CGI/1.1 \
		${TENP5_BUSY_TIMEOUT:+TENP5_BUSY_TIMEOUT=$TENP5_BUSY_TIMEOUT} \
		REDIRECT_TENP5_ROUTE="${path#*/api/}" REDIRECT_URL="$path" \
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
cgi client POST /api/client/inconnu "jeton=$J"
is "$CODE $(st)" "404 requete_inconnue" "an unknown path is a 404"
cgi client GET /api/client/payer ""
is "$CODE $(st)" "405 methode_non_autorisee" "a GET on payer is a 405"
like "$HEADERS" "Allow: POST" "with an Allow header"
out=$(env -i TENP5_DB="$DB" REQUEST_METHOD=POST TENP5_ROUTE=client/payer CONTENT_LENGTH=999999 \
	"$BIN/cgi-bin/client" </dev/null 2>>"$DATA/cgi.log")
like "$out" "Status: 413" "a declared body over the cap is a 413 before any read"
like "$out" '"status":"requete_trop_grande"' "with its JSON status"
cgi client POST /api/client/payer "jeton=$J&idCarte=CGI1&montant=1" text/plain
is "$(st)" requete_malforme "an unknown content type is malformed"
out=$(env -i TENP5_DB="$DATA/nodir/x.db" REQUEST_METHOD=GET TENP5_ROUTE=coucou \
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
	TENP5_ROUTE=client/payer CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=${#body} \
	REMOTE_ADDR=192.0.2.7 "$BIN/cgi-bin/client" 2>>"$DATA/cgi.log")
like "$out" '"status":"erreur_bdd"' "with TENP5_BUSY_TIMEOUT=0 a payment behind another writer is refused at once, not held forever"
kill -- -"$lock_pid" 2>/dev/null
wait "$lock_pid" 2>/dev/null
is "$(sql "SELECT balance FROM clients WHERE card = 'CGI1'")" 1750 "and the balance did not move"
"$ADMIN" -d "$DB" check >/dev/null
ok $? "the ledger invariant holds"
echo "1..$T_N"
[ "$T_FAIL" = 0 ] && rm -rf "$DATA"
exit "$T_FAIL"
