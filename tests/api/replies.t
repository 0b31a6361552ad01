#!/usr/bin/env bash
# The long replies byte for byte: on a known history (replies.sql), the fiches,
# the lists and the transactions, whole, paged and cut, must be exactly the
# bytes of the committed fixture (replies.expected, written by the code before
# the lists were first made faster), and the long ones exactly what a renderer
# written here, reading the database, makes of the same rows. A list whose
# storage fails half-way, after many full records have left, is still cut.
#
# REPLIES_WRITE=1 writes the fixture instead of comparing with it.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
start_stack
as_owner sqlite3 -cmd ".timeout 10000" "$DB" <"$here/replies.sql" || { echo "Bail out! replies.sql failed"; exit 1; }
P=$(admin_jeton)
B=$(login bar-2 prez-secret-1)

# The HTTP code and the headers the worker writes, in a fixed order (the front
# servers add their own, and Apache reorders them), then the body's length and
# SHA-256, then the body itself when it is short.
record() { # record NAME PATH BODY
	local name=$1 path=$2 body=$3 h sum len
	h=$(mktemp)
	curl -s -D "$h" -o "$DATA/body" --data-binary "$body" "$URL/api/$path"
	echo "### $name"
	tr -d '\r' <"$h" | awk 'NR == 1 { print $2 }'
	tr -d '\r' <"$h" | awk 'tolower($1) ~ /^(content-type|cache-control|x-content-type-options|access-control-allow-origin):$/' |
		LC_ALL=C sort
	rm -f "$h"
	len=$(stat -c %s "$DATA/body")
	sum=$(sha256sum <"$DATA/body")
	echo "$len ${sum%% *}"
	if [ "$len" -le 4096 ]; then cat "$DATA/body"; echo; fi
}

requests=(
	"fiche, whole|client/fiche|jeton=$B&idCarte=LONG"
	"fiche, whole, president|client/fiche|jeton=$P&idCarte=LONG"
	"fiche, limite=100|client/fiche|jeton=$B&idCarte=LONG&limite=100"
	"fiche, limite=100 apres=9000|client/fiche|jeton=$B&idCarte=LONG&limite=100&apres=9000"
	"fiche, limite=10000|client/fiche|jeton=$B&idCarte=LONG&limite=10000"
	"fiche, limite=10000 apres=13000|client/fiche|jeton=$B&idCarte=LONG&limite=10000&apres=13000"
	"fiche, limite=1 past the end|client/fiche|jeton=$B&idCarte=LONG&limite=1&apres=99999"
	"fiche, int64 minimum|client/fiche|jeton=$P&idCarte=MIN"
	"fiche, int64 maximum|client/fiche|jeton=$P&idCarte=MAX"
	"fiche, no history|client/fiche|jeton=$B&idCarte=VIDE"
	"fiche, one opening|client/fiche|jeton=$P&idCarte=C0033"
	"fiche, unknown card|client/fiche|jeton=$B&idCarte=NOPE"
	"liste|client/liste|jeton=$B"
	"liste, president|client/liste|jeton=$P"
	"transactions, all|transactions|jeton=$P"
	"transactions, limite=777 apres=1234|transactions|jeton=$P&limite=777&apres=1234"
	"transactions, limite=1|transactions|jeton=$P&limite=1"
	"transactions, of a client by a user|transactions|jeton=$P&client=LONG&utilisateur=x_y"
	"transactions, of a deleted user|transactions|jeton=$P&utilisateur=ancien&limite=50"
	"transactions, of an unknown client|transactions|jeton=$P&client=NOPE"
	"utilisateur/fiche, whole|utilisateur/fiche|jeton=$P&login=caisse.1"
	"utilisateur/fiche, limite=10000|utilisateur/fiche|jeton=$P&login=caisse.1&limite=10000"
	"utilisateur/fiche, limite=3 apres=100|utilisateur/fiche|jeton=$P&login=caisse.1&limite=3&apres=100"
	"utilisateur/fiche, self|utilisateur/fiche|jeton=$B&login=bar-2"
	"utilisateur/liste|utilisateur/liste|jeton=$P"
)
got=$DATA/replies.got
for q in "${requests[@]}"; do
	IFS='|' read -r name path body <<<"$q"
	record "$name" "$path" "$body"
done >"$got"

if [ "${REPLIES_WRITE:-}" = 1 ]; then
	cp "$got" "$here/replies.expected"
	diag "wrote $here/replies.expected"
fi
if cmp -s "$got" "$here/replies.expected"; then
	ok 0 "${#requests[@]} replies are byte for byte the fixture's"
else
	ok 1 "${#requests[@]} replies are byte for byte the fixture's"
	diff "$here/replies.expected" "$got" | head -40 | sed 's/^/# /'
fi

# --- the long replies against a rendering of the database ---------------------
# Rows come out of sqlite3 with text as hex, and perl writes them as the API
# documents them: money from cents without arithmetic on the value, strings
# with ", \ and control characters escaped.
render() { # render tx|client|client_full|money < rows
	perl -e '
		my $mode = shift;
		sub money {
			my ($v) = @_;
			my $neg = $v =~ s/^-//;
			$v = ("0" x (3 - length $v)) . $v if length $v < 3;
			my ($int, $frac) = ($v =~ /^(\d+)(\d\d)$/);
			$int =~ s/^0+(?=\d)//;
			my $s = ($neg ? "-" : "") . $int;
			$s .= "." . substr($frac, 0, 1) if $frac ne "00";
			$s .= substr($frac, 1, 1) if substr($frac, 1, 1) ne "0";
			return $s;
		}
		sub str {
			my $s = pack("H*", $_[0]);
			$s =~ s/(["\\])/\\$1/g;
			$s =~ s/([\x00-\x1f])/sprintf("\\u%04x", ord $1)/ge;
			return "\"$s\"";
		}
		my @out;
		while (<STDIN>) {
			chomp;
			my @f = split /\t/, $_, -1;
			if ($mode eq "money") {
				push @out, money($f[0]);
			} elsif ($mode eq "tx") {
				my @means = ("especes", "carte", "virement", "offert");
				my $row = sprintf("{\"id\":%s,\"type\":%s,\"client\":%s,\"utilisateur\":%s,\"date\":%s,\"montant\":%s,\"qte\":%s,\"valide\":%s,\"moyen\":%s,\"service\":%s",
				    $f[0], $f[1], str($f[2]), str($f[3]), $f[4], money($f[5]), $f[6], $f[7] ? "true" : "false",
				    $f[1] =~ /^[124]$/ ? "\"$means[$f[8]]\"" : "null", $f[9] eq "" ? "null" : $f[9]);
				if ($f[10] ne "") {
					$row .= ",\"lignes\":[" . join(",", map {
						my ($p, $n, $price, $q) = split /,/;
						sprintf("{\"produit\":%s,\"nom\":%s,\"prix\":%s,\"qte\":%s}", $p, str($n), money($price), $q)
					} split /;/, $f[10]) . "]";
				}
				push @out, "$row}";
			} else {
				my $row = sprintf("{\"idCarte\":%s,\"solde\":%s,\"bloquee\":%s", str($f[0]), money($f[1]),
				    $f[3] ? "true" : "false");
				$row .= ",\"decouvert\":" . ($f[2] ? "true" : "false") if $mode eq "client_full";
				push @out, "$row}";
			}
		}
		print join(",", @out);' "$1"
}
tx_rows() { # tx_rows WHERE [LIMIT]
	as_owner sqlite3 -batch -noheader -separator $'\t' "$DB" "SELECT t.id, t.type, hex(c.card), hex(u.login),
		t.date_ms, t.amount, t.qty, t.valid, t.means, coalesce(t.service_id, ''),
		coalesce((SELECT group_concat(product_id || ',' || hex(name) || ',' || price || ',' || qty, ';')
		FROM (SELECT * FROM sale_lines l WHERE l.transaction_id = t.id ORDER BY line)), '')
		FROM transactions t JOIN clients c ON c.id = t.client_id
		JOIN users u ON u.id = t.user_id WHERE $1 ORDER BY t.id LIMIT ${2:--1}"
}
long_id=$(sql "SELECT id FROM clients WHERE card = 'LONG'")
long_solde=$(sql "SELECT balance FROM clients WHERE card = 'LONG'" | render money)
rows=$(tx_rows "t.client_id = $long_id" | render tx)
cmp_reply() { # cmp_reply NAME PATH BODY EXPECTED
	local name=$1 got
	call "$2" "$3"
	if [ "$REPLY" = "$4" ]; then
		ok 0 "$name is the rendering of its rows (${#REPLY} bytes)"
	else
		ok 1 "$name is the rendering of its rows"
		diff <(tr ',' '\n' <<<"$4") <(tr ',' '\n' <<<"$REPLY") | head -20 | sed 's/^/# /'
	fi
}
cmp_reply "client/fiche of 12 000 rows" client/fiche "jeton=$B&idCarte=LONG" \
	"{\"status\":\"ok\",\"idCarte\":\"LONG\",\"solde\":$long_solde,\"bloquee\":false,\"transactions\":[$rows]}"
cmp_reply "client/fiche of 12 000 rows, for a president" client/fiche "jeton=$P&idCarte=LONG" \
	"{\"status\":\"ok\",\"idCarte\":\"LONG\",\"solde\":$long_solde,\"bloquee\":false,\"decouvert\":true,\"transactions\":[$rows]}"
rows=$(tx_rows "t.client_id = $long_id AND t.id > 5000" 10000 | render tx)
last=$(tx_rows "t.client_id = $long_id AND t.id > 5000" 10000 | tail -1 | cut -f1)
cmp_reply "a page of 10 000 rows" client/fiche "jeton=$B&idCarte=LONG&limite=10000&apres=5000" \
	"{\"status\":\"ok\",\"idCarte\":\"LONG\",\"solde\":$long_solde,\"bloquee\":false,\"transactions\":[$rows],\"suivant\":$last}"
cmp_reply "client/liste" client/liste "jeton=$B" \
	"{\"status\":\"ok\",\"clients\":[$(as_owner sqlite3 -batch -noheader -separator $'\t' "$DB" \
	"SELECT hex(card), balance, overdraft, blocked FROM clients ORDER BY card" | render client)]}"
cmp_reply "client/liste for a president" client/liste "jeton=$P" \
	"{\"status\":\"ok\",\"clients\":[$(as_owner sqlite3 -batch -noheader -separator $'\t' "$DB" \
	"SELECT hex(card), balance, overdraft, blocked FROM clients ORDER BY card" | render client_full)]}"
cmp_reply "transactions, all" transactions "jeton=$P" \
	"{\"status\":\"ok\",\"transactions\":[$(tx_rows 1 | render tx)]}"
cmp_reply "utilisateur/fiche" utilisateur/fiche "jeton=$P&login=caisse.1" \
	"{\"status\":\"ok\",\"login\":\"caisse.1\",\"droit\":2,\"idCarte\":\"CARTECAISSE1\",\"transactions\":[$(tx_rows "u.login = 'caisse.1'" | render tx)]}"

# --- a long list that fails half-way ------------------------------------------
# The storage fails at the 8 000th row (some 1 MB already sent): the answer
# must not look complete, through FastCGI as when it went out in few records.
next_stack TENP5_TEST_FAIL=row:8000
as_owner sqlite3 -cmd ".timeout 10000" "$DB" <"$here/replies.sql" || { echo "Bail out! replies.sql failed"; exit 1; }
B=$(login bar-2 prez-secret-1)
out=$(curl -s -w '\n%{http_code} %{exitcode}' --data-binary "jeton=$B&idCarte=LONG" "$URL/api/client/fiche")
tail=${out##*$'\n'}
body=${out%$'\n'*}
if [ "${STACK:-nginx}" = nginx ]; then
	ok "$([ "${tail#* }" != 0 ] || [ "${tail% *}" != 200 ]; echo $?)" \
		"a fiche whose 8 000th row fails is cut: the client sees a failed transfer ($tail)"
fi
like "${#body}" '^[0-9]{6,}$' "after much of it had left (${#body} bytes)"
ok "$(! jq -e .transactions <<<"$body" >/dev/null 2>&1; echo $?)" "and never a complete list"
finish
