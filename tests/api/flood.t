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
# A flood of guesses, 120 at a time, each of which would cost a hash: made-up
# logins, and wrong passwords of a real login from 100 addresses where it never
# logged in; and a staff member who keeps logging in with the right password.
# Staff where they logged in before still get in, at once rather than behind
# the flood, and what is turned away while hashes queue is counted nowhere.
add_user "$P" chef chef-secret-1 1
add_user "$P" barman barman-secret-1 1
login barman barman-secret-1 >/dev/null
for i in $(seq 2000); do
	case $((i % 4)) in
	0) echo "utilisateur/connexion login=chef&mdp=devine$i 127.0.13.$((i % 100 + 1))" ;;
	1) echo "utilisateur/connexion login=barman&mdp=barman-secret-1" ;;
	*) echo "utilisateur/connexion login=inconnu$i&mdp=devine" ;;
	esac
done >"$DATA/guesses"
(while [ ! -e "$DATA/flood.stop" ]; do storm 120 <"$DATA/guesses" >>"$DATA/flood.out"; done) &
flood=$!
for _ in $(seq 1200); do grep -q trop_de_tentatives "$DATA/flood.out" 2>/dev/null && break; sleep 0.1; done
like "$(cat "$DATA/flood.out")" '"status":"trop_de_tentatives"' "the flood is turned away while hashes queue"
# 10 s: far longer than a login takes (0.2-0.9 s measured), far shorter than
# it took behind the flood when every guess queued for its hash (16 s with
# made-up logins alone, and minutes with wrong passwords from many addresses).
call utilisateur/connexion "login=prez&mdp=prez-secret-1" --max-time 10
is "$(st) $(val .droit)" "ok 3" "the president still logs in from where he did before, within 10 s"
touch "$DATA/flood.stop"
wait "$flood"
# Each of the flood's replies next to the line that asked it.
awk -v n="$(wc -l <"$DATA/guesses")" '{ print (NR - 1) % n + 1 }' "$DATA/flood.out" |
	awk 'NR == FNR { g[FNR] = $2; next } { print g[$1] }' "$DATA/guesses" - >"$DATA/flood.who"
paste -d' ' "$DATA/flood.who" "$DATA/flood.out" >"$DATA/flood.both"
is "$(jq -sr '[.[] | .status] | unique | join(" ")' "$DATA/flood.out")" "identifiants_invalides ok trop_de_tentatives" \
	"the flood's logins are judged or turned away"
is "$(jq -sr 'map(select(.status == "trop_de_tentatives") | (.attente | type == "number" and . >= 1)) | unique | join(" ")' \
	"$DATA/flood.out")" true "each turned away with attente, at least a second"
for who in inconnu chef; do
	judged=$(grep "login=$who" "$DATA/flood.both" | grep -c '"identifiants_invalides"')
	is "$(sql "SELECT coalesce(sum(fails), 0) FROM limits WHERE kind = 1 AND login LIKE '$who%'")" "$judged" \
		"$who: only the guesses that were judged are counted ($judged)"
done
n=$(grep -c "login=barman" "$DATA/flood.both")
ok "$(grep "login=barman" "$DATA/flood.both" | grep -q '"trop_de_tentatives"'; echo $?)" \
	"one who keeps logging in with the right password is turned away too ($(grep "login=barman" "$DATA/flood.both" | grep -c '"ok"') of $n got in)"
# From an address never seen, the president waits while hashes queue, and
# gets in once the queue is short. The queue is written as a flood leaves it
# (lib/password.c's turn file next to the database: when the next hash may
# start, and the last hash's length, in monotonic ns), 40 s long after
# hashes of 1 ms; then emptied.
queue() { # queue MS_AHEAD
	perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e '
		my $now = int(clock_gettime(CLOCK_MONOTONIC) * 1e9);
		open my $f, "+<", $ARGV[0] or open $f, ">", $ARGV[0] or die "$ARGV[0]: $!";
		print $f pack("q<q<", $ARGV[1] ? $now + $ARGV[1] * 1e6 : 0, 1e6);
		close $f;' "$DB-hash" "$1"
}
queue 40000
call utilisateur/connexion "login=prez&mdp=prez-secret-1" --interface 127.0.0.9
like "$(st) $(val .attente)" '^trop_de_tentatives ([1-9]|[1-3][0-9]|40)$' \
	"while hashes queue, the president is told to wait from an address never seen"
is "$(sql "SELECT count(*) FROM limits WHERE addr = '127.0.0.9'")" 0 "and that login was not counted"
queue 0
call utilisateur/connexion "login=prez&mdp=prez-secret-1" --interface 127.0.0.9
is "$(st)" ok "once the queue is short, the president gets in from the new address"
like "$(cat "$DATA"/log/*.log)" "logins turned away while passwords were being checked: [0-9]+ since" \
	"and the workers' log says logins were turned away"
finish
