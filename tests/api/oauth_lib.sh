# Helpers for the OAuth suites (oauth_*.t, doc/api.md#oauth), sourced after
# lib.sh: PKCE, the authorization page driven as a browser drives it, the
# token grants, and the setups the suites share.
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/oauth_lib.sh"
#   oauth_stack                      # the stack, prez (P), bar (B), caissier, card CAFE01
#   oauth_apps                       # apps A (CA, SA; RA, RA2) and B (CB, SB; RB)
#   new_family s-1                   # bar grants lecture to A: AT, RT, FAMILY
#   oauth_finish                     # no secret at rest, the ledger holds; finish

# Helpers avoid spawning processes where bash can do the work: the suites make
# several hundred requests.
# unhtml TEXT: undoes the five entities the pages use.
unhtml() {
	local s=$1
	s=${s//'&quot;'/'"'}
	s=${s//'&#39;'/"'"}
	s=${s//'&lt;'/'<'}
	s=${s//'&gt;'/'>'}
	s=${s//'&amp;'/'&'}
	printf '%s' "$s"
}
# qparam NAME URL: the decoded value of a query parameter of URL, "" if absent.
qparam() {
	local q p parts
	[[ $2 == *\?* ]] || return 0
	q=${2#*\?}
	IFS='&' read -ra parts <<<"$q"
	for p in "${parts[@]}"; do
		[ "${p%%=*}" = "$1" ] && { urldec "${p#*=}"; return 0; }
	done
}
# has_param NAME URL: whether the query of URL has the parameter NAME.
has_param() { [[ "&${2#*\?}" == *"&$1="* ]]; }
# pkce VERIFIER: its S256 challenge, base64url(sha256(verifier)) without padding.
pkce() {
	local h b i bin=''
	h=$(printf %s "$1" | sha256sum)
	for ((i = 0; i < 64; i += 2)); do bin+="\\x${h:i:2}"; done
	b=$(printf '%b' "$bin" | base64 -w0)
	b=${b//+/-}
	b=${b//\//_}
	printf '%s\n' "${b%%=*}"
}
# verifier: a fresh PKCE verifier, 64 characters of [A-Za-z0-9._~-].
verifier() {
	local set='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~' v='' i
	for ((i = 0; i < 64; i++)); do v+=${set:RANDOM % 66:1}; done
	printf '%s\n' "$v"
}
# vals FILTER...: several simple jq paths of the last reply in one jq run,
# space-separated.
vals() { local IFS=,; jq -r "[$*] | map(tostring) | join(\" \")" <<<"$REPLY"; }
# post PATH BODY [curl args]: a POST to $URL/PATH (not /api/), same outputs as call.
post() { local path=$1 body=$2; shift 2; get "$path" --data-binary "$body" "$@"; }
# msg: the error message shown on the last HTML page ("" if none).
msg() { local re='class="erreur">([^<]*)'; [[ $REPLY =~ $re ]] && printf '%s\n' "${BASH_REMATCH[1]}"; }
# json_keys: the sorted top-level keys of the last reply, comma-separated.
json_keys() { jq -r 'keys | join(",")' <<<"$REPLY" 2>/dev/null; }
# no_location: whether the last reply carries no Location header (prints 0/1 for ok).
no_location() { [ -z "$(hdr Location)" ]; }

# azq CLIENT REDIRECT SCOPE STATE CHALLENGE: an authorization request's query
# (scope and state left out when empty).
azq() {
	local q="response_type=code&client_id=$(urlenc "$1")&redirect_uri=$(urlenc "$2")"
	[ -n "$3" ] && q+="&scope=$(urlenc "$3")"
	[ -n "$4" ] && q+="&state=$(urlenc "$4")"
	echo "$q&code_challenge=$(urlenc "$5")&code_challenge_method=S256"
}
# az_page QUERY: GETs the authorization page with a fresh cookie jar ($JAR);
# the page is kept in $PAGE.
az_page() {
	JAR=$(mktemp "$DATA/jar.XXXXXX")
	get "oauth/authorize?$1" -c "$JAR"
	PAGE=$REPLY
}
# az_post [name=value...]: submits the form of $PAGE the way a browser does:
# its hidden fields (except those overridden by an argument, or dropped by
# "!name"), the arguments, and the cookie jar $AZ_JAR (default $JAR).
az_post() {
	local args=() n v a action skip=" "
	for a in "$@"; do
		a=${a#!}
		skip+="${a%%=*} "
	done
	local re_form='<form method="post" action="([^"]*)"' rest=$PAGE
	local re='<input type="hidden" name="([^"]*)" value="([^"]*)">'
	[[ $PAGE =~ $re_form ]] && action=${BASH_REMATCH[1]}
	while [[ $rest =~ $re ]]; do
		n=${BASH_REMATCH[1]}
		v=${BASH_REMATCH[2]}
		rest=${rest#*"${BASH_REMATCH[0]}"}
		[[ $skip == *" $n "* ]] || args+=(--data-urlencode "$n=$(unhtml "$v")")
	done
	for a in "$@"; do
		[[ $a == '!'* ]] || args+=(--data-urlencode "$a")
	done
	# The action is a path from the host's root; $URL may hold a directory
	# of its own (a ~user/ site), which the path starts with.
	action=${action#"$(url_base)"}
	get "${action#/}" -b "${AZ_JAR:-$JAR}" -c "$JAR" "${args[@]}"
	[ "$CODE" = 200 ] && PAGE=$REPLY
	LOC=$(hdr Location)
}
# grant LOGIN MDP CLIENT REDIRECT SCOPE STATE VERIFIER: the page, then the
# login and consent POST; sets LOC and AZ_CODE (empty if no code came back).
grant() {
	az_page "$(azq "$3" "$4" "$5" "$6" "$(pkce "$7")")"
	az_post "login=$1" "mdp=$2" decision=autoriser
	AZ_CODE=$(qparam code "$LOC")
}
# exchange CODE REDIRECT VERIFIER [curl args]: the authorization_code grant.
exchange() {
	local c=$1 r=$2 v=$3
	shift 3
	post oauth/token "grant_type=authorization_code&code=$c&redirect_uri=$(urlenc "$r")&code_verifier=$v" "$@"
}
# refresh REFRESH_TOKEN [curl args]: the refresh_token grant.
refresh() { local t=$1; shift; post oauth/token "grant_type=refresh_token&refresh_token=$t" "$@"; }
# tokens: AT and RT from the last token reply.
tokens() { read -r AT RT <<<"$(vals .access_token .refresh_token)"; SECRETS+=("$AT" "$RT"); }
# code_id CODE: the oauth_codes row of a code (the family of its tokens).
code_id() { sql "SELECT id FROM oauth_codes WHERE hex(hash) = '$(sha "$1")'"; }
# new_family STATE: bar grants lecture to app A and the code is exchanged;
# sets FAMILY (the code's row), AT and RT.
new_family() {
	local v
	v=$(verifier)
	grant bar bar-secret-1 "$CA" "$RA" lecture "$1" "$v"
	FAMILY=$(code_id "$AZ_CODE")
	exchange "$AZ_CODE" "$RA" "$v" -u "$CA:$SA"
	tokens
}
# bearer PATH BODY TOKEN: an API call with the token in the Authorization header.
bearer() { call "$1" "$2" -H "Authorization: Bearer $3"; }
# live_family ID: how many tokens of family ID are not revoked.
live_family() { sql "SELECT count(*) FROM oauth_tokens WHERE family = $1 AND revoked_ms IS NULL"; }
# rfc_error CODE ERROR NAME: the last reply is an RFC 6749 §5.2 error.
rfc_error() {
	is "$CODE $(val .error)" "$1 $2" "$3"
}
# storm8 PATH BODY USER:SECRET: POSTs BODY to $URL/PATH eight times at once
# (one curl, eight transfers in flight). Sets P_CODES (HTTP codes, sorted,
# "200x1 400x7"), P_WINS (replies holding an access_token), P_TOKENS (those
# access tokens) and P_ERRORS (the distinct RFC errors).
storm8() {
	local dir i t
	dir=$(mktemp -d "$DATA/par.XXXXXX")
	for i in 1 2 3 4 5 6 7 8; do
		[ $i -gt 1 ] && echo next
		printf 'url = "%s/%s"\ndata = "%s"\nuser = "%s"\noutput = "%s/%d"\nwrite-out = "%%{http_code}\\n"\nsilent\n' \
			"$URL" "$1" "$2" "$3" "$dir" "$i"
	done >"$dir/config"
	P_CODES=$(curl --parallel --parallel-immediate --parallel-max 8 -K "$dir/config" 2>/dev/null |
		sort | uniq -c | awk '{print $2 "x" $1}' | xargs)
	P_TOKENS=$(cat "$dir"/[1-8] | jq -r '.access_token // empty' | xargs)
	P_WINS=$(wc -w <<<"$P_TOKENS")
	P_ERRORS=$(cat "$dir"/[1-8] | jq -r '.error // empty' | sort -u | xargs)
	for t in $P_TOKENS; do SECRETS+=("$t"); done
	diag "$1 x8: $P_CODES"
}
# all_codes TOKEN...: prints the HTTP codes of client/liste with each token.
all_codes() { local t; for t in "$@"; do bearer client/liste "" "$t"; printf '%s ' "$CODE"; done; }
SECRETS=()
HTML='^text/html; charset=utf-8$'
RA=https://portail.example.org/cb
RA2=http://127.0.0.1:8765/callback
RB='https://tableur.example.org/oauth?x=1'
RC=https://eph.example/cb
NOM_A='Portail <i>BDE</i> & Cie'

# oauth_stack [VAR=value...]: starts the stack; P is the president's jeton,
# bar and caissier are bar members (droit 2), B is bar's jeton and BAR_ID his
# row; card CAFE01 holds 100.
oauth_stack() {
	start_stack "$@"
	P=$(admin_jeton)
	add_user "$P" bar bar-secret-1 2
	add_user "$P" caissier caisse-secret-1 2
	B=$(login bar bar-secret-1)
	BAR_ID=$(sql "SELECT id FROM users WHERE login = 'bar'")
	call client/ajouter "jeton=$P&idCarte=CAFE01&solde=100"
	[ "$(st)" = ok ] || diag "client/ajouter: $REPLY"
}

# oauth_apps: the president registers app A (named NOM_A, redirect_uri RA and
# RA2: CA, SA, APPA_ID) and app B (redirect_uri RB, with a query: CB, SB).
oauth_apps() {
	call app/creer "jeton=$P&nom=$(urlenc "$NOM_A")&redirect_uri=$(urlenc $RA)&redirect_uri=$(urlenc $RA2)"
	[ "$(st)" = ok ] || diag "app/creer A: $REPLY"
	CA=$(val .client_id)
	SA=$(val .client_secret)
	SECRETS+=("$SA")
	APPA_ID=$(sql "SELECT id FROM apps WHERE client_id = '$CA'")
	call app/creer "jeton=$P&nom=Tableur&redirect_uri=$(urlenc "$RB")"
	[ "$(st)" = ok ] || diag "app/creer B: $REPLY"
	CB=$(val .client_id)
	SB=$(val .client_secret)
	SECRETS+=("$SB")
}

# oauth_finish: every code, token and client secret is kept as a digest, none
# of those the suite saw is in the database, its WAL or the logs, and the
# ledger holds; then finish.
oauth_finish() {
	local s leaks=0
	is "$(sql "SELECT (SELECT count(*) FROM oauth_codes WHERE typeof(hash) != 'blob' OR length(hash) != 32)
		+ (SELECT count(*) FROM oauth_tokens WHERE typeof(hash) != 'blob' OR length(hash) != 32)
		+ (SELECT count(*) FROM apps WHERE typeof(secret_hash) != 'blob' OR length(secret_hash) != 32)")" 0 \
		"every code, token and client secret is kept as a 32-byte digest"
	for s in "${SECRETS[@]}"; do
		[ -n "$s" ] || continue
		cat "$DB" "$DB-wal" 2>/dev/null | grep -aqF "$s" && { leaks=$((leaks + 1)); diag "in the database: ${s:0:12}..."; }
	done
	is "$leaks" 0 "no token, code or client secret text in the database or its WAL (${#SECRETS[@]} secrets checked)"
	leaks=0
	for s in "${SECRETS[@]}"; do
		[ -n "$s" ] || continue
		cat "$DATA"/log/*.log "$DATA/run.out" 2>/dev/null | grep -aqF "$s" && leaks=$((leaks + 1))
	done
	is "$leaks" 0 "no secret in the workers' logs"
	ok "$(ledger_ok; echo $?)" "the ledger invariant holds"
	finish
}
