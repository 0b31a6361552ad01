#!/usr/bin/env bash
# One address cannot take the front server for itself: thousands of idle
# connections from one address, and more requests in progress than the
# per-address limit from another, while payments from a third go through.
# Nor can a flood of logins keep staff out.
. "$(dirname "$0")/lib.sh"
start_stack
P=$(admin_jeton)
call client/ajouter "jeton=$P&idCarte=FLOOD1&solde=500"

# hold ADDRESS N PAYLOAD: opens N connections to the server from ADDRESS, each
# sending PAYLOAD (maybe nothing), and keeps them open; prints the PID of the
# holder once they are all open (how many is in $DATA/held.ADDRESS).
hold() {
	local addr=$1 out=$DATA/held.$1
	perl -MIO::Socket::INET -e '
		my ($port, $addr, $n, $payload, $out) = @ARGV;
		my @s;
		for (1 .. $n) {
			my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port,
			    LocalAddr => $addr, Proto => "tcp") or last;
			syswrite $c, $payload if length $payload;
			push @s, $c;
		}
		open my $f, ">", "$out.tmp" or die; print $f scalar(@s), "\n"; close $f;
		rename "$out.tmp", $out;
		sleep 120;' "$PORT" "$addr" "$2" "$3" "$out" &
	HOLDER=$!
	for _ in $(seq 6000); do [ -e "$out" ] && return 0; sleep 0.01; done
	return 1
}

# Thousands of idle sockets from one address (more than the 8192 a server
# with 4096 connections per worker could hold), within the header timeout.
want=9000
ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((want + 100)) ] && want=$(($(ulimit -n) - 100))
hold 127.0.0.2 "$want" ""
idle=$HOLDER
diag "$(cat "$DATA/held.127.0.0.2") idle connections held from 127.0.0.2"
s=""
for i in $(seq 20); do
	s+=$(curl -s --max-time 5 --data-binary "jeton=$P&idCarte=FLOOD1&montant=1" "$URL/api/client/payer" |
		jq -r .status 2>/dev/null || echo failed)" "
done
is "$s" "$(printf 'ok %.0s' $(seq 20))" "payments from 127.0.0.1 go through while 127.0.0.2 holds $want idle connections"
kill "$idle"
wait "$idle" 2>/dev/null

# Requests in progress: 140 from one address, each stalled in its body. The
# first 128 are held; beyond, that address is told to wait, others are not.
hold 127.0.0.3 140 $'POST /api/coucou HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n'
slow=$HOLDER
get api/coucou --interface 127.0.0.3
is "$CODE $REPLY" '429 {"status":"trop_de_connexions"}' "the 129th request in progress from one address is 429 trop_de_connexions"
like "$HEADERS" "Retry-After: " "with a Retry-After header"
get api/coucou --interface 127.0.0.4
is "$CODE $(st)" "200 ok" "another address is served meanwhile"
call client/payer "jeton=$P&idCarte=FLOOD1&montant=1"
is "$(st)" ok "and so are payments"
kill "$slow"
wait "$slow" 2>/dev/null
is "$(sql "SELECT balance FROM clients WHERE card = 'FLOOD1'")" 47900 "every payment charged once"
# A flood of logins that exist nowhere, 120 at a time, each of which would
# cost a hash: staff still get in, where they logged in before or not, at once
# rather than behind the flood, and the made-up logins are turned away
# uncounted while hashes queue.
for i in $(seq 2000); do echo "utilisateur/connexion login=inconnu$i&mdp=devine"; done >"$DATA/guesses"
(while [ ! -e "$DATA/flood.stop" ]; do storm 120 <"$DATA/guesses" >>"$DATA/flood.out"; done) &
flood=$!
for _ in $(seq 1200); do grep -q trop_de_tentatives "$DATA/flood.out" 2>/dev/null && break; sleep 0.1; done
like "$(cat "$DATA/flood.out")" '"status":"trop_de_tentatives"' "a flood of unknown logins is turned away while hashes queue"
# 10 s: far longer than a login takes (0.2-0.9 s measured), far shorter than
# it took behind the flood when every unknown login queued for its hash (16 s).
call utilisateur/connexion "login=prez&mdp=prez-secret-1" --max-time 10
is "$(st) $(val .droit)" "ok 3" "the president still logs in from where he did before, within 10 s"
call utilisateur/connexion "login=prez&mdp=prez-secret-1" --max-time 10 --interface 127.0.0.9
is "$(st) $(val .droit)" "ok 3" "and from an address never seen"
touch "$DATA/flood.stop"
wait "$flood"
is "$(jq -sr '[.[] | .status] | unique | join(" ")' "$DATA/flood.out")" "identifiants_invalides trop_de_tentatives" \
	"the flood's logins are judged or turned away"
is "$(jq -sr 'map(select(.status == "trop_de_tentatives") | (.attente | type == "number" and . >= 1)) | unique | join(" ")' \
	"$DATA/flood.out")" true "each turned away with attente, at least a second"
hashed=$(grep -c '"identifiants_invalides"' "$DATA/flood.out")
is "$(sql "SELECT sum(fails) FROM limits WHERE kind = 1 AND login LIKE 'inconnu%'")" "$hashed" \
	"only the flood's logins that were judged are counted ($hashed of $(wc -l <"$DATA/flood.out"))"
like "$(cat "$DATA"/log/*.log)" "unknown logins turned away while passwords were being checked: [0-9]+ since" \
	"and the workers' log says they were turned away"
finish
