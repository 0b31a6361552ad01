#!/usr/bin/env bash
# Exports (doc/api.md, "Exports"): the ledger and the shifts of a period as
# CSV, French (";", decimal commas, a byte-order mark, CRLF) by default and
# RFC 4180 on request, read back as a spreadsheet set to French reads them
# (python3's csv module: see csvcheck.py) and compared cell by cell with the
# API; who may export, and how the credential travels; bad periods.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
start_stack TZ=Europe/Paris
P=$(admin_jeton)
add_user "$P" -bar bar-secret-1 2
add_user "$P" bar2 bar2-secret-1 2
B=$(login -bar bar-secret-1)
B2=$(login bar2 bar2-secret-1)

# A bit of every kind: openings, top-ups by each means, payments by amount,
# by quantity and from the catalogue (names with the separators, quotes and a
# formula), emptyings, a cancelled row, an adjustment, two shifts.
t0=$(($(sql "SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)") - 60000))
call service/ouvrir "jeton=$B&caisse=%3DSOMME(A1)%3B%22x%22&fond=20"
S1=$(val .id)
call produit/modifier "jeton=$P&nom=Bi%C3%A8re%20%22pression%22%3B%2C&prix=2.5"
call produit/modifier "jeton=$P&nom=%2BCocktail&prix=7,35"
call prix/modifier "jeton=$P&quantite=2&prix=3"
{
	echo "client/ajouter jeton=$B&idCarte=EXP1&solde=40"
	echo "client/ajouter jeton=$B&idCarte=EXP2&solde=25.5&moyen=carte"
	echo "client/recharger jeton=$B&idCarte=EXP1&montant=10&moyen=virement"
	echo "client/recharger jeton=$B&idCarte=EXP2&montant=5&moyen=offert"
	echo "client/payer jeton=$B&idCarte=EXP1&montant=1,7"
	echo "client/payer jeton=$B&idCarte=EXP1&quantite=2"
	echo "client/payer jeton=$B&idCarte=EXP2&produits=1:2,2:1"
	echo "client/recharger jeton=$B2&idCarte=EXP2&montant=0.05"
} | storm 1 >/dev/null
call client/payer "jeton=$B&idCarte=EXP1&montant=0.01"
call annuler "jeton=$B&idTransaction=$(val .idTransaction)"
call client/vidange "jeton=$B&idCarte=EXP2&moyen=carte"
call service/fermer "jeton=$B&id=$S1&compte=45.5"
call service/ouvrir "jeton=$B2&fond=10"
sql "BEGIN; INSERT INTO transactions (type, client_id, user_id, date_ms, amount)
	SELECT 5, id, 1, $t0 + 30000, -123 FROM clients WHERE card = 'EXP1';
	UPDATE clients SET balance = balance - 123 WHERE card = 'EXP1'; COMMIT;"
t1=$(($(sql "SELECT max(date_ms) FROM transactions") + 1))
call transactions "jeton=$P"
echo "$REPLY" >"$DATA/transactions.json"
call service/liste "jeton=$P"
echo "$REPLY" >"$DATA/services.json"

# export NAME BODY [curl args]: POSTs BODY to /api/export/NAME into
# $DATA/out.csv; sets CODE and HEADERS.
export_csv() {
	local name=$1 body=$2
	shift 2
	CODE=$(curl -s -D "$DATA/h" -o "$DATA/out.csv" -w '%{http_code}' ${body:+--data-binary "$body"} \
		"$@" "$URL/api/export/$name")
	HEADERS=$(cat "$DATA/h")
}
check() { # check transactions|services fr|rfc4180 DEPUIS JUSQUA
	python3 "$here/csvcheck.py" "$1" "$2" "$DATA/out.csv" "$DATA/$1.json" "$3" "$4" 2>&1
}
day=$(TZ=Europe/Paris date -d "@$((t0 / 1000))" +%F)

export_csv transactions "jeton=$P&depuis=$t0&jusqua=$t1"
is "$CODE $(hdr Content-Type)" "200 text/csv; charset=utf-8" "a president exports the ledger as CSV"
like "$(hdr Content-Disposition)" "^attachment; filename=\"10p5-transactions-$day(_[0-9-]+)?\\.csv\"$" \
	"as an attachment named for the period's days"
is "$(hdr Cache-Control)" no-store "kept by no cache"
is "$(head -c 3 "$DATA/out.csv" | od -An -tx1 | tr -d ' ')" efbbbf "French by default: UTF-8 with a byte-order mark"
is "$(check transactions fr "$t0" "$t1")" "" \
	"read as French CSV, every cell of its $(($(grep -c $'\r$' "$DATA/out.csv") - 1)) rows is the API's"
export_csv transactions "jeton=$P&depuis=$t0&jusqua=$t1&format=rfc4180"
is "$(check transactions rfc4180 "$t0" "$t1")" "" "format=rfc4180: ',', decimal points, no mark, the same cells"
mid=$(sql "SELECT date_ms FROM transactions WHERE type = 3 AND lines > 0")
export_csv transactions "jeton=$P&depuis=$t0&jusqua=$mid"
is "$(check transactions fr "$t0" "$mid")" "" "a period gives the rows dated from depuis to just before jusqua"
export_csv transactions "jeton=$P&depuis=$mid&jusqua=$t1"
is "$(check transactions fr "$mid" "$t1")" "" "and the next period the others"

export_csv services "jeton=$P&depuis=$t0&jusqua=$t1"
is "$CODE $(check services fr "$t0" "$t1")" "200 " "the shifts, open and closed, cell by cell as service/liste gives them"
like "$(hdr Content-Disposition)" "filename=\"10p5-services-$day" "named for what they are"
is "$(sed -n 2p "$DATA/out.csv" | cut -d';' -f1,2,3,4)" "1;\"'=SOMME(A1);\"\"x\"\"\";'-bar" \
	"a till's name or a login that a spreadsheet would compute starts with ' (and is quoted as needed)"
export_csv services "jeton=$P&depuis=$t0&jusqua=$t1&format=rfc4180"
is "$(check services rfc4180 "$t0" "$t1")" "" "and in RFC 4180"

# --- who, and how --------------------------------------------------------------
export_csv transactions "jeton=$B&depuis=$t0&jusqua=$t1"
is "$CODE $(jq -r .status "$DATA/out.csv")" "200 droits_insuffisants" "a bar member exports nothing"
call cle/creer "jeton=$P&nom=compta"
KP=$(val .cle)
call cle/creer "jeton=$P&nom=bar&droit=2"
K2=$(val .cle)
export_csv transactions "" -G -d "depuis=$t0&jusqua=$t1" -H "Authorization: Bearer $KP"
is "$CODE $(check transactions fr "$t0" "$t1")" "200 " "GET with a president's key in the Authorization header"
export_csv transactions "" -G -d "depuis=$t0&jusqua=$t1" -H "Authorization: Bearer $K2"
is "$CODE $(jq -r .status "$DATA/out.csv")" "403 droits_insuffisants" "a key of right 2 is forbidden"
AT=$(oauth_token "$P" lecture prez prez-secret-1)
export_csv services "" -G -d "depuis=$t0&jusqua=$t1" -H "Authorization: Bearer $AT"
is "$CODE" 200 "an OAuth token of a president with the lecture scope exports"
AC=$(oauth_token "$P" caisse prez prez-secret-1)
export_csv services "" -G -d "depuis=$t0&jusqua=$t1" -H "Authorization: Bearer $AC"
is "$CODE $(jq -r .status "$DATA/out.csv")" "403 droits_insuffisants" "one with caisse only does not"
export_csv transactions "" -G -d "depuis=$t0&jusqua=$t1&jeton=$P"
is "$CODE $(jq -r '"\(.status) \(.champ)"' "$DATA/out.csv")" "200 requete_malforme jeton" \
	"a jeton in the URL is refused: a credential never travels in a URL"
export_csv transactions "" -G -d "depuis=$t0&jusqua=$t1&bearer_token=$AT"
is "$(jq -r '"\(.status) \(.champ)"' "$DATA/out.csv")" "requete_malforme bearer_token" "nor a token"
export_csv transactions "" -G -d "depuis=$t0&jusqua=$t1"
is "$CODE $(jq -r '"\(.status) \(.raison)"' "$DATA/out.csv")" "200 jeton_invalide absent" \
	"GET without a credential exports nothing"

# --- bad periods ----------------------------------------------------------------
for q in "depuis=$t1&jusqua=$t0|jusqua|a reversed period" "depuis=$t0&jusqua=$t0|jusqua|an empty period" \
	"depuis=0&jusqua=315619200001|jusqua|a period over ten years" "jusqua=$t1|depuis|a period without depuis" \
	"depuis=$t0|jusqua|a period without jusqua" "depuis=$t0&jusqua=$t1&format=xls|format|an unknown format"; do
	IFS='|' read -r body champ what <<<"$q"
	export_csv transactions "jeton=$P&$body"
	is "$(jq -r '"\(.status) \(.champ)"' "$DATA/out.csv")" "requete_malforme $champ" "$what is malformed"
done
export_csv services "jeton=$P&depuis=0&jusqua=315619200000"
is "$CODE $(hdr Content-Type)" "200 text/csv; charset=utf-8" "ten years exactly are exported"

ledger_ok
ok $? "the ledger invariant holds"
finish
