#!/usr/bin/env bash
# Deployment wiring: every route of every binary (from its --routes table) is
# reached through the front server, nginx's locations or Apache's rewrite
# rules (STACK=apache), and lands in the binary that serves it; the systemd
# units start the same pools as nginx/run.sh.
. "$(dirname "$0")/lib.sh"
start_stack

n=0 lost=""
for bin in $(binaries); do
	while read -r path get; do
		n=$((n + 1))
		case $path in
		/*) url=$URL$path ;;
		*) url=$URL/api/$path ;;
		esac
		if [ "$get" = true ]; then
			out=$(curl -s -o /dev/null -w '%{http_code}' "$url")
		else
			out=$(curl -s -o /dev/null -w '%{http_code}' --data-binary 'x=1' "$url")
		fi
		[ "$out" = 404 ] && lost+=" ${bin##*/}:$path"
	done < <("$bin" --routes | jq -r '"\(.path) \(.get)"')
done
ok "$([ "$n" -gt 30 ]; echo $?)" "the binaries declare $n routes"
is "${lost# }" "" "the front server sends every one of them to its binary (none is a 404)"

# One normalised path decides both the pool and the handler (doc/api.md#paths): a raw
# request line whose path says one endpoint and, after a "#", another.
P=$(admin_jeton)
call client/ajouter "jeton=$P&idCarte=HASH1&solde=50"
base=$(sed -E 's|^https?://[^/]+||' <<<"$URL") # "" or a ~user/ site's path
raw_line() { # raw_line TARGET BODY: a POST with the site's path and TARGET, verbatim, as its request line
	split_reply "$(curl -s -D - -w '\n%{http_code}' --request-target "$base$1" --data-binary "$2" "$URL")"
}
raw_line "/api/client/liste#/api/client/payer" "jeton=$P&idCarte=HASH1&montant=1"
is "$(sql "SELECT count(*) FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = 'HASH1'")" 1 \
	"POST /api/client/liste#/api/client/payer charges nothing"
unlike "$REPLY" '"idTransaction"' "and answers no payment"
raw_line "/api/utilisateur/fiche#/api/utilisateur/connexion" "login=prez&mdp=prez-secret-1"
unlike "$REPLY" '"jeton"' "POST /api/utilisateur/fiche#/api/utilisateur/connexion logs nobody in"
raw_line "/api/client/fiche/../payer" "jeton=$P&idCarte=HASH1&montant=1"
is "$(jq -r .status <<<"$REPLY" 2>/dev/null) $(sql "SELECT balance FROM clients WHERE card = 'HASH1'")" "ok 4900" \
	"a path with dot segments runs the endpoint it normalises to, which nginx routed"

# The pools of nginx/run.sh, api.conf's sockets and the systemd target agree.
pools_run=$(sed -n 's/^\t"\([a-z-]*\) [a-z]* \(\${POOL_.*\|[0-9]*"\)$/\1/p' "$ROOT/nginx/run.sh" | sort | paste -sd' ')
socks=$(grep -o 'unix:@RUN@/[a-z-]*\.sock' "$BIN/nginx/routes.conf" | sed 's|.*/||; s|\.sock||' | sort -u | paste -sd' ')
units=$(grep -o '10p5-pool@[a-z-]*\.service' "$ROOT/nginx/systemd/10p5.target" | sed 's/10p5-pool@//; s/\.service//' |
	sort | paste -sd' ')
ok "$([ -n "$pools_run" ]; echo $?)" "nginx/run.sh declares pools ($pools_run)"
is "$socks" "$pools_run" "the generated nginx routes send requests to exactly those pools"
is "$units" "$pools_run" "10p5.target starts exactly those pools"
if command -v systemd-analyze >/dev/null; then
	dir=$(mktemp -d)
	cp "$ROOT"/nginx/systemd/* "$dir"
	out=$(cd "$dir" && systemd-analyze verify --man=no ./10p5-pool@client.service ./10p5.target \
		./10p5-backup.service ./10p5-backup.timer ./10p5-replication.service 2>&1)
	is "$out" "" "systemd-analyze finds nothing wrong in the units"
	rm -rf "$dir"
else
	ok 0 "# SKIP systemd-analyze is not installed"
fi
finish
