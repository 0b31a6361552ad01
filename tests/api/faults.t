#!/usr/bin/env bash
# Faults: workers killed during a payment storm, the whole stack killed and
# restarted mid-load, the database turning read-only or full. What must hold:
# no partial transaction, no acknowledged payment lost, no double charge after
# retries, answers that are JSON (never a hang), and service that resumes by
# itself once the cause is gone.
. "$(dirname "$0")/lib.sh"
# As root, the workers run without the capability to override file
# permissions, so that a file made read-only is read-only to them too (the
# read-only case below), whatever the file system.
NO_OVERRIDE=()
[ "$(id -u)" = 0 ] && NO_OVERRIDE=(WRAP="$(command -v setpriv) --bounding-set=-dac_override,-dac_read_search --")
# Sessions live a day: on a loaded machine the storms and checks between two
# uses of a jeton outlast an idle session's 300 s, and the cases met
# jeton_invalide instead of their fault.
start_stack TENP5_SESSION_TTL=86400 "${NO_OVERRIDE[@]}"
P=$(admin_jeton)
add_user "$P" till till-secret-1 2
T=$(login till till-secret-1)

payments() { sql "SELECT count(*) FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = '$1' AND t.type = 3 AND t.valid"; }

# --- multiwatch respawns killed workers --------------------------------------
respawn() { # respawn POOL: kills its workers and waits for their successors
	local old
	old=$(pool_pids "$1")
	kill -9 $old
	for _ in $(seq 500); do
		new=$(pool_pids "$1")
		[ -n "$new" ] && [ "$new" != "$old" ] && return 0
		sleep 0.02
	done
	return 1
}
respawn client
ok $? "a killed writer is respawned"
call client/ajouter "jeton=$P&idCarte=KILL1&solde=900"
is "$(st)" ok "and the respawned writer serves"

# --- kill -9 of random workers during a payment storm -------------------------
# The writer is killed every 50 ms during a storm of 2 000 payments (20 times
# at most per storm: multiwatch gives up on a worker that dies 100 times in a
# row). Payments share commits and go fast: if no kill caught one in flight,
# another storm follows, three at most.
N=0 killed=0 round=0
: >"$DATA/storm.in"
: >"$DATA/storm.out"
while [ "$killed" = 0 ] && [ $round -lt 3 ]; do
	round=$((round + 1))
	for i in $(seq 2000); do echo "client/payer jeton=$T&idCarte=KILL1&montant=0.1&idRequete=k-$round-$i"; done >"$DATA/round.in"
	STORM_CODES=1 storm 16 <"$DATA/round.in" >"$DATA/round.out" &
	storm_pid=$!
	kills=0
	while kill -0 "$storm_pid" 2>/dev/null && [ $kills -lt 20 ]; do
		sleep 0.05
		kill -9 $(pool_pids client) 2>/dev/null && kills=$((kills + 1))
	done
	wait "$storm_pid"
	cat "$DATA/round.in" >>"$DATA/storm.in"
	cat "$DATA/round.out" >>"$DATA/storm.out"
	N=$((N + 2000))
	killed=$(grep -c '^502 ' "$DATA/storm.out")
done
is "$(wc -l <"$DATA/storm.out")" $N "every caller got an answer (none hung past its deadline)"
is "$(grep -cv '^000 ' "$DATA/storm.out")" $N "none of them was a dropped connection"
is "$(grep -vcE '^(200 \{"status":"ok",|502 \{"status":"erreur_generique"\})' "$DATA/storm.out")" 0 \
	"each answer is either ok or nginx's JSON 502"
grep -vE '^(200 \{"status":"ok",|502 \{"status":"erreur_generique"\})' "$DATA/storm.out" | head -5 | sed 's/^/# /'
ok "$([ "$killed" -gt 0 ]; echo $?)" "workers died mid-storm ($killed of $N payments were in flight in one, $round storm(s))"
ok "$("$ADMIN" -d "$DB" check >/dev/null; echo $?)" "the ledger check passes: no partial transaction"
# Phones retry what they got no answer for, with the same idRequete.
paste -d' ' "$DATA/storm.in" "$DATA/storm.out" | awk '$3 != "200" { print $1, $2 }' >"$DATA/retry.in"
storm 8 <"$DATA/retry.in" >"$DATA/retry.out"
is "$(jq -r .status "$DATA/retry.out" | grep -cv '^ok$')" 0 "every retry with the same idRequete answers ok"
is "$(payments KILL1)" $N "exactly $N payments exist: none lost, none charged twice"
is "$(balance KILL1)" $((90000 - N * 10)) "the balance is exactly 900 - $N × 0.10"

# --- the whole stack killed mid-load and restarted ------------------------------
call client/ajouter "jeton=$P&idCarte=CRASH1&solde=900"
M=6000 # long enough to be cut short however fast payments go
for i in $(seq $M); do echo "client/payer jeton=$T&idCarte=CRASH1&montant=0.1&idRequete=c-$i"; done >"$DATA/crash.in"
STORM_CODES=1 storm 16 <"$DATA/crash.in" >"$DATA/crash.out" &
storm_pid=$!
# Wait until payments are landing, then pull the plug.
until [ "$(sql "SELECT count(*) FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = 'CRASH1' AND type = 3")" -gt 300 ]; do sleep 0.05; done
# No goodbye: SIGKILL to nginx, every pool and the launcher.
stack_pids=$(pgrep -P "$STACK_PID"; for f in "$DATA"/run/*.pid; do pgrep -P "$(cat "$f")"; done)
kill -9 $stack_pids "$STACK_PID" 2>/dev/null
wait "$STACK_PID" 2>/dev/null
wait "$storm_pid"
acked=$(grep -c '^200 {"status":"ok"' "$DATA/crash.out")
ok "$([ "$acked" -gt 0 ] && [ "$acked" -lt $M ]; echo $?)" "the crash landed mid-storm ($acked of $M acknowledged)"
REUSE=1 start_stack TENP5_SESSION_TTL=86400 "${NO_OVERRIDE[@]}"
grep '^200 {"status":"ok"' "$DATA/crash.out" | sed 's/^200 //' | jq -r .idTransaction | sort -u >"$DATA/acked.ids"
found=$(sql "SELECT count(*) FROM transactions WHERE id IN ($(paste -sd, "$DATA/acked.ids")) AND type = 3 AND valid")
is "$found" "$(wc -l <"$DATA/acked.ids")" "after the restart, every acknowledged payment is in the ledger"
ok "$("$ADMIN" -d "$DB" check >/dev/null; echo $?)" "and the ledger check passes"
sed "s/jeton=[^&]*/jeton=$T/" "$DATA/crash.in" | storm 16 >"$DATA/crash.retry"
is "$(jq -r .status "$DATA/crash.retry" | grep -cv '^ok$')" 0 "replaying the whole storm with its idRequete answers ok"
is "$(payments CRASH1) $(balance CRASH1)" "$M $((90000 - M * 10))" "and charges each payment exactly once"

# --- the database becomes read-only --------------------------------------------
# The file loses its write permission, and the client area's workers start
# afresh on it (an open descriptor would keep writing).
call client/ajouter "jeton=$P&idCarte=RO1&solde=50"
n=$(sql "SELECT count(*) FROM transactions")
chmod a-w "$DB" "$DB-wal"
respawn client && respawn client-lecture
ok $? "the client workers start again on the read-only file"
call client/payer "jeton=$T&idCarte=RO1&montant=1"
is "$(st)" erreur_bdd "with the database read-only, a payment answers erreur_bdd"
unlike "$REPLY" "sqlite|/tmp|readonly|attempt" "without details"
call client/fiche "jeton=$T&idCarte=RO1"
is "$(st) $(val .solde)" "ok 50" "reads keep working"
call client/payer "jeton=$T&idCarte=RO1&montant=1"
is "$(st)" erreur_bdd "and writes keep failing cleanly"
chmod u+w "$DB" "$DB-wal"
# A worker retries writing at most once a second: wait for it (readiness).
for _ in $(seq 100); do
	call client/payer "jeton=$T&idCarte=RO1&montant=1&idRequete=ro-back"
	[ "$(st)" = ok ] && break
	sleep 0.1
done
is "$(st) $(val .soldeNouveau)" "ok 49" "once writable again, payments resume by themselves"
is "$(sql "SELECT count(*) FROM transactions")" "$((n + 1))" "nothing was half-written meanwhile"

# --- the disk fills up (a file-size limit on the writer) -----------------------
call client/ajouter "jeton=$P&idCarte=FULL1&solde=50"
n=$(sql "SELECT count(*) FROM transactions")
writers=$(pool_pids client)
for w in $writers; do prlimit --pid "$w" --fsize=4096: ; done
call client/payer "jeton=$T&idCarte=FULL1&montant=2"
is "$(st)" erreur_bdd "with no room to write, a payment answers erreur_bdd"
# In parallel, payments share commits (group commit): a failed commit must
# fail every payment of its group, none answered ok.
for i in $(seq 100); do echo "client/payer jeton=$T&idCarte=FULL1&montant=0.01"; done | storm 16 >"$DATA/full.out"
is "$(jq -r .status "$DATA/full.out" | sort | uniq -c | awk '{print $1, $2}')" "100 erreur_bdd" \
	"100 payments in parallel on a full disk all answer erreur_bdd"
call client/fiche "jeton=$T&idCarte=FULL1"
is "$(st) $(val .solde)" "ok 50" "reads keep working"
is "$(sql "SELECT count(*) FROM transactions") $(balance FULL1)" "$n 5000" "nothing was half-written"
for w in $writers; do prlimit --pid "$w" --fsize=unlimited: ; done
call client/payer "jeton=$T&idCarte=FULL1&montant=2"
is "$(st) $(val .soldeNouveau)" "ok 48" "once there is room again, payments resume by themselves"
ok "$("$ADMIN" -d "$DB" check >/dev/null; echo $?)" "the ledger check passes at the end"
# --- a peer that stalls mid-request ----------------------------------------------
# Something connects to the payments' writer and sends half a FastCGI request,
# then nothing. The writer reads whole requests before it takes any lock, and
# gives up on this one after TENP5_READ_TIMEOUT: payments carry on.
call client/ajouter "jeton=$P&idCarte=STALL1&solde=50"
perl -MIO::Socket::UNIX -e '
	my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!";
	# FCGI_BEGIN_REQUEST (responder), then the first bytes of FCGI_PARAMS.
	syswrite $s, pack("CCnnCx", 1, 1, 1, 8, 0) . pack("nCx5", 1, 0);
	syswrite $s, pack("CCnnCx", 1, 4, 1, 200, 0) . "\x0e\x04REQUEST_M";
	open my $f, ">", $ARGV[1] or die "$ARGV[1]: $!";
	close $f;
	sleep 20;' "$DATA/run/client.sock" "$DATA/stalled" &
stall_pid=$!
# The payments start once the half request is in the writer's socket.
for _ in $(seq 1000); do [ -e "$DATA/stalled" ] && break; sleep 0.01; done
ok "$([ -e "$DATA/stalled" ]; echo $?)" "a peer holds a half-sent request to the writer"
s=""
for i in $(seq 10); do
	s+=$(curl -s --max-time 8 --data-binary "jeton=$T&idCarte=STALL1&montant=1" "$URL/api/client/payer" |
		jq -r .status 2>/dev/null || echo timeout)" "
done
kill "$stall_pid" 2>/dev/null
wait "$stall_pid" 2>/dev/null
is "$s" "$(printf 'ok %.0s' $(seq 10))" "payments go through while a peer holds a half-sent request to the writer"
is "$(balance STALL1)" 4000 "each of them charged once"

# --- a list that fails half-way ----------------------------------------------------
# A storage error while a fiche streams (induced at its third row): the answer
# must not look complete, so the client sees a failure instead of a history
# with holes.
next_stack TENP5_TEST_FAIL=row:3
P=$(admin_jeton)
call client/ajouter "jeton=$P&idCarte=CUT1&solde=50"
for i in $(seq 9); do call client/payer "jeton=$P&idCarte=CUT1&montant=1"; done
out=$(curl -s -w '\n%{http_code} %{exitcode}' --data-binary "jeton=$P&idCarte=CUT1" "$URL/api/client/fiche")
tail=${out##*$'\n'}
body=${out%$'\n'*}
ok "$([ "${tail#* }" != 0 ] || [ "${tail% *}" != 200 ]; echo $?)" \
	"a fiche whose third row fails is cut: the client sees a failed transfer ($tail)"
ok "$(! jq -e .transactions <<<"$body" >/dev/null 2>&1; echo $?)" "and never a complete list"
unlike "$body" 'null' "nor a row with a null where a name belongs"
finish
