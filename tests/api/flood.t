#!/usr/bin/env bash
# One address cannot take the front server for itself: thousands of idle
# connections from one address, and more requests in progress than the
# per-address limit from another, while payments from a third go through.
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
finish
