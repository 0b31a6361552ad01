#!/usr/bin/env bash
# A dead primary mid-party (doc/deploy.md, "The primary is dead"), with two
# data directories on one machine as two machines. Payments arrive from curl
# clients, at a bar's pace and then in a storm; the primary's stack and its
# replication are killed with SIGKILL; the replica is restored into the
# second directory and served at the same address. The restored database
# passes 10p5-admin check and has a new identity; it lacks only payments
# acknowledged within the bound the replication's intervals promise; payments
# flow again with the session the client had; a payment sent again with its
# idRequete is recorded once. The figures go to the TAP output (diag).
. "$(dirname "$0")/lib.sh"
[ -x "$LITESTREAM" ] || { echo "Bail out! no replication engine: run make deps-replica"; exit 1; }

# What the configuration promises: a commit is read from the write-ahead log
# at the engine's next look (monitor-interval, 1 s) and shipped at the
# replica's next sync (sync-interval, 1 s). A payment acknowledged more than
# BOUND_MS before the kill is in the replica (doc/performance.md#replication).
BOUND_MS=2000

CLIENTS_PID=

# One payment of 1 cent on R1 with idRequete $1 (a reply line: "idRequete JSON").
pay_line() { echo "$1 $(curl -s --max-time 10 "$URL/api/client/payer" -d "jeton=$P&idCarte=R1&montant=0.01&idRequete=$1")"; }
# The acknowledged payments of a file of reply lines: "idRequete idTransaction".
acks_of() { sed -n 's/^\([^ ]*\) .*"idTransaction":\([0-9]*\).*/\1 \2/p' "$1"; }
paid() { sql "SELECT count(*) FROM transactions WHERE type = 3"; }

# primary: a fresh primary with one card and its replication.
primary() {
	if [ -n "${STANDBY:-}" ]; then next_stack; else start_stack; fi
	P=$(admin_jeton)
	call client/ajouter "jeton=$P&idCarte=R1&solde=1000"
	replica_start "$DATA.replica"
	STANDBY=$DATA.standby
	DIRS+=("$DATA" "$DATA.replica")
}
DIRS=()

# switch_over NAME: the primary dies (the clients run on until then and stop
# at once), the standby takes over, and the acknowledged payments are counted.
switch_over() {
	local name=$1 base_before acked lost nlost late newest flowing one again first
	PRIMARY_DATA=$DATA PRIMARY_DB=$DB
	call coucou ""
	base_before=$(val .base)
	primary_kill
	if [ "$name" = storm ]; then kill "$(cat "$DATA/storm.pid")"; else kill "$CLIENTS_PID"; fi
	standby_serve "$STANDBY"
	like "$RESTORE_OUT" "ledger ok"$'\n'"identity [0-9a-f]{32}" \
		"$name: the replica is restored into the standby's empty directory, checked, and given a new identity"

	# The acknowledged payments (by idRequete) the standby lacks, dated from
	# the dead primary's own file (still readable here; not in a bar).
	wait "$CLIENTS_PID" 2>/dev/null
	CLIENTS_PID=
	acks_of "$PRIMARY_DATA/replies" | sort >"$PRIMARY_DATA/acks"
	sql "SELECT request_id FROM requests" | sort >"$PRIMARY_DATA/kept"
	acked=$(wc -l <"$PRIMARY_DATA/acks")
	lost=$(join -v 1 "$PRIMARY_DATA/acks" "$PRIMARY_DATA/kept" | cut -d' ' -f2 | paste -sd,)
	nlost=0 late=0
	if [ -n "$lost" ]; then
		nlost=$(awk -F, '{ print NF }' <<<"$lost")
		late=$(sqlite3 "$PRIMARY_DB" "SELECT count(*) FROM transactions WHERE id IN ($lost) AND date_ms <= $KILL_MS - $BOUND_MS")
	fi
	newest=$(sqlite3 "$PRIMARY_DB" "SELECT max(date_ms) FROM transactions WHERE id IN ($(join "$PRIMARY_DATA/acks" "$PRIMARY_DATA/kept" | cut -d' ' -f2 | paste -sd,))")
	ok "$([ "$acked" -ge 100 ]; echo $?)" "$name: payments were acknowledged before the kill ($acked)"
	is "$late" 0 "$name: every acknowledged payment the standby lacks was made in the last $BOUND_MS ms before the kill"

	# Payments flowing again: the first one the standby accepts, at the same
	# address with the session the client already had.
	for _ in $(seq 600); do
		call client/payer "jeton=$P&idCarte=R1&montant=0.01&idRequete=$name-reprise"
		[ "$(st)" = ok ] && break
		sleep 0.05
	done
	flowing=$(($(date +%s%N) / 1000000))
	is "$(st)" ok "$name: payments flow again on the standby, at the same address, with the same session"
	diag "$name: $acked acknowledged, $nlost lost; the newest kept was made $((KILL_MS - newest)) ms before the kill; the first payment on the standby $((flowing - KILL_MS)) ms after it"
	call coucou ""
	ok "$([ -n "$(val .base)" ] && [ "$(val .base)" != "$base_before" ]; echo $?)" \
		"$name: coucou's base tells the tills that the database changed"
	is "$(as_owner "$ADMIN" -d "$DB" check)" "ledger ok" "$name: 10p5-admin check passes on the standby"

	# Sent again with its idRequete (what a web till does after a switch-over):
	# a payment the standby kept is answered from it, one it lacked is recorded.
	one=$(join "$PRIMARY_DATA/acks" "$PRIMARY_DATA/kept" | head -1)
	call client/payer "jeton=$P&idCarte=R1&montant=0.01&idRequete=${one%% *}"
	is "$(st) $(val .idTransaction)" "ok ${one#* }" "$name: a kept payment sent again is answered from its idRequete"
	if [ -n "$lost" ]; then
		again=$(join -v 1 "$PRIMARY_DATA/acks" "$PRIMARY_DATA/kept" | head -1 | cut -d' ' -f1)
		call client/payer "jeton=$P&idCarte=R1&montant=0.01&idRequete=$again"
		first=$(val .idTransaction)
		is "$(st) $(sql "SELECT count(*) FROM transactions WHERE id = $first")" "ok 1" "$name: a lost payment sent again is recorded"
		call client/payer "jeton=$P&idCarte=R1&montant=0.01&idRequete=$again"
		is "$(st) $(val .idTransaction)" "ok $first" "$name: once, however often it is sent"
	fi
	is "$(as_owner "$ADMIN" -d "$DB" check)" "ledger ok" "$name: the ledger still checks"
}

# A bar's pace: a payment every 50 ms, each from its own curl as phones and
# tills send them; the primary dies once 150 are in (some 8 s of the bar).
primary
(
	i=0
	while :; do
		i=$((i + 1))
		pay_line "pace$i" >>"$DATA/replies" &
		sleep 0.05
	done
) &
CLIENTS_PID=$!
for _ in $(seq 6000); do [ "$(paid)" -ge 150 ] && break; sleep 0.05; done
switch_over pace

# A storm: 8 payments in flight at all times; the primary dies once 3 000 are
# in.
primary
seq 20000 | sed 's/^/storm/' >"$DATA/ids"
( sed "s|^|client/payer jeton=$P\&idCarte=R1\&montant=0.01\&idRequete=|" "$DATA/ids" | STORM_PIDFILE=$DATA/storm.pid storm 8 |
	paste -d' ' "$DATA/ids" - >"$DATA/replies" ) &
CLIENTS_PID=$!
for _ in $(seq 6000); do [ "$(paid)" -ge 3000 ] && break; sleep 0.05; done
switch_over storm

# The restore puts a replica nowhere but in an empty directory, and leaves
# nothing behind when it fails.
before=$(sha256sum "$DB")
out=$(TENP5_LITESTREAM=$LITESTREAM "$ADMIN" -d "$DB" restore-replica "$REPLICA_URL" 2>&1)
is "$?: ${out##*$'\n'}" "1: 10p5-admin: $DATA is not empty: a replica is restored into a fresh data directory only" \
	"restore-replica refuses a data directory that holds anything"
is "$(sha256sum "$DB")" "$before" "and leaves its database alone"
mkdir "$DATA.empty"
DIRS+=("$DATA.empty")
out=$(TENP5_LITESTREAM=$LITESTREAM "$ADMIN" -d "$DATA.empty/10p5.db" restore-replica "file://$DATA.nowhere" 2>&1)
is "$?: ${out##*$'\n'}" "1: 10p5-admin: the replica at file://$DATA.nowhere could not be restored" \
	"a replica that is not there is said so"
is "$(ls -A "$DATA.empty")" "" "and the directory stays empty"
# Run by another user than the directory's owner (root forgetting sudo -u
# tenp5), it would leave a database the server cannot write: every payment
# would fail. Needs root, to give the directory to someone else.
if [ "$(id -u)" = 0 ]; then
	chown nobody "$DATA.empty"
	out=$(TENP5_LITESTREAM=$LITESTREAM "$ADMIN" -d "$DATA.empty/10p5.db" restore-replica "$REPLICA_URL" 2>&1)
	is "$?: ${out##*$'\n'}" "1: 10p5-admin: $DATA.empty belongs to nobody: run restore-replica as nobody (sudo -u nobody), or the server could not write the database" \
		"restore-replica refuses a directory another user owns"
	is "$(ls -A "$DATA.empty")" "" "and leaves it empty"
fi

[ "$T_FAIL" = 0 ] && rm -rf "${DIRS[@]}"
finish
