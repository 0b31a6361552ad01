# Helpers for the wire-convention suites (protocol_*.t, doc/api.md#requests
# and doc/api.md#parameters), sourced after lib.sh. Every refused write is
# checked twice: the status it answers, and a database that did not move
# (balance, ledger, journal, sessions, clients, users); every reply is kept
# for the checks protocol_finish makes on all of them.
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/protocol_lib.sh"
#   protocol_stack                    # the stack, P, B, cible, card ABCD, PAY, J
#   refused "200 requete_malforme idCarte" NAME client/payer "$PAY&..."
#   accepted NAME CENTS client/payer "$PAY&montant=1"
#   protocol_finish 40                # the kept replies' checks, the ledger; finish

# protocol_stack: the stack (failed logins are part of the checks here, not
# their rate limit), prez (P), bar (B, right 2) and cible (right 2), the card
# ABCD with 500, the price of one drink at 1.20; PAY and J (the JSON
# equivalent) name B and ABCD, TABLES the database's tables; BASE is taken.
protocol_stack() {
	start_stack TENP5_LOGIN_FAILS=1000
	P=$(admin_jeton)
	add_user "$P" bar bar-secret-1 2
	add_user "$P" cible cible-secret-1 2
	B=$(login bar bar-secret-1)
	call client/ajouter "jeton=$P&idCarte=ABCD&solde=500"
	call prix/modifier "jeton=$P&quantite=1&prix=1.2"
	TABLES=$(sql "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)")
	PAY="jeton=$B&idCarte=ABCD"
	J="\"jeton\":\"$B\",\"idCarte\":\"ABCD\""
	REPLIES=$DATA/replies
	: >"$REPLIES"
	rebase
}

# What a refused request must leave alone.
snap() {
	sql "SELECT (SELECT balance FROM clients WHERE card = 'ABCD') || ' tx=' ||
	    (SELECT count(*) FROM transactions) || ' journal=' || (SELECT count(*) FROM journal) ||
	    ' sessions=' || (SELECT count(*) FROM sessions) || ' clients=' ||
	    (SELECT count(*) FROM clients) || ' users=' || (SELECT count(*) FROM users) ||
	    ' overdraft=' || (SELECT overdraft FROM clients WHERE card = 'ABCD')"
}
rebase() { BASE=$(snap); }

# Every reply of a suite goes through keep, which appends it to $REPLIES
# (fields split by \x1f, records by \x1e, which JSON text never holds) for the
# checks on all replies at the end: content type, JSON shape, HTTP code, leaks.
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
# refused_json EXPECTED NAME PATH BODY [curl args...]: the same, BODY sent as JSON.
refused_json() { refused "$1" "$2" "$3" "$4" -H 'Content-Type: application/json' "${@:5}"; }

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

# pad N: N bytes of 'x'.
pad() { head -c "$1" /dev/zero | tr '\0' x; }

records() { # the kept replies as JSON objects {path, code, headers, body}
	jq -Rs 'split("\u001e")[:-1][] | split("\u001f")
		| {path: .[0][:60], code: .[1], headers: .[2], body: .[3]} | '"$1"' ' "$REPLIES" | paste -sd ';'
}

# protocol_finish MIN: checks every kept reply (at least MIN of them): content
# type, JSON shape, HTTP code, no leak, no database error; then the ledger
# invariant, and finishes.
protocol_finish() {
	local n
	n=$(tr -cd '\036' <"$REPLIES" | wc -c)
	[ "$n" -ge "$1" ]
	ok $? "at least $1 replies were collected ($n)"
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
}
