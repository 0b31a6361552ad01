#!/usr/bin/env bash
# make bench: the stack on a free port with a generated data set (about a
# million ledger rows), wrk on loopback against the main endpoints at c = 1,
# 16 and 64, and in the same run the two references every figure is compared
# with: nginx answering a fixed JSON by itself (the HTTP ceiling) and a raw
# SQLite commit loop with the server's durability (the storage ceiling).
# Prints a table and writes it to tests/bench/results.md (BENCH_OUT).
#
#   bench.sh                 every run
#   bench.sh feed-tickets    the live feed's delivery during payments, with and
#                            without tickets asked beside them, alone; prints
#                            its table and leaves results.md as it is
#   bench.sh holders         10 000 wrong holder codes during payments, alone;
#                            prints its table and leaves results.md as it is
#   bench.sh fiche           a 10 000-row fiche asked while other cards pay,
#                            alone, on a data set without the 100 000 ordinary
#                            clients; prints its table and leaves results.md
#                            as it is
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../api/lib.sh"
DUR=${BENCH_SECONDS:-5}
OUT=${BENCH_OUT:-$here/results.md}
rows=()
feed_rows=()
storm_notes=()
only=${1:-}
case $only in
"" | feed-tickets | holders | fiche) ;;
*) echo "usage: bench.sh [feed-tickets | holders | fiche]" >&2; exit 2 ;;
esac

say() { printf '%s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; } # the machine's load averages, 1, 5 and 15 min

# bench NAME C PATH [BODY [AUTH [METHOD]]]: one wrk run; sets RPS P50 P99 BAD N.
bench() {
	local name=$1 c=$2 path=$3 body=${4:-} auth=${5:-} method=${6:-}
	local t=$((c < 2 ? 1 : 2)) line
	[ -n "$method" ] || { [ -n "$body" ] && method=POST || method=GET; }
	line=$(WRK_METHOD=$method WRK_BODY=$body WRK_AUTH=$auth \
		wrk -t"$t" -c"$c" -d"${DUR}s" --timeout 10s -s "$here/wrk.lua" "$URL/$path" 2>&1 |
		grep '^RESULT')
	read -r _ RPS P50 P99 BAD N <<<"$line"
	sleep 1 # let the long replies of this run drain before the next
	say "  $name c=$c: $RPS req/s, p50 $P50 ms, p99 $P99 ms, $BAD bad of $N"
}

# row NAME C REFERENCE_RPS REFERENCE_NAME TARGET: records the last run.
row() {
	local ratio=""
	[ -n "$3" ] && ratio=$(awk -v a="$RPS" -v b="$3" 'BEGIN { printf "%.2f", a / b }')
	rows+=("| $1 | $2 | $RPS | $P50 | $P99 | ${ratio:+$ratio × $4} | $BAD | $5 |")
}

# The largest resident set of an area's workers, in kB: $1 VmRSS (all of
# it), or RssAnon (the worker's own memory, without the pages of the database
# file it maps, which the kernel shares between all workers).
rss() {
	local pids
	pids=$(pgrep -f "$BIN/cgi-bin/$2\$" | tr '\n' ' ')
	[ -n "$pids" ] || { echo 0; return; }
	for p in $pids; do awk -v k="$1:" '$1 == k { print $2 }' "/proc/$p/status"; done | sort -n | tail -1
}
mb() { echo "$(($1 / 1024)).$((($1 % 1024) * 10 / 1024))"; }

wal_frames() { # bytes of WAL written so far (the file only grows between checkpoints)
	stat -c %s "$DB-wal" 2>/dev/null || echo 0
}

refdir=$(mktemp -d /tmp/10p5-bench-ref.XXXXXX)
extra=$refdir/extra.conf
cat >"$extra" <<CONF
location = /bench/ceiling {
	default_type "application/json; charset=utf-8";
	return 200 '{"status":"ok"}';
}
location = /bench/fastcgi {
	include $ROOT/nginx/fastcgi.conf;
	fastcgi_pass unix:$refdir/null.sock;
}
location = /bench/fastcgi-long {
	include $ROOT/nginx/fastcgi.conf;
	fastcgi_pass unix:$refdir/null-long.sock;
}
CONF
# The null responders, as many as the workers they are compared with: short
# replies against the divers pool's (coucou), long ones against the client
# area's reads (nginx/run.sh). (Without fastcgi_keep_conn, which the API's
# locations set: libfcgi would then wait for nginx to close each connection.)
null_pids=()
for pool in "null 2" "null-long 3"; do
	read -r sock n <<<"$pool"
	spawn-fcgi -n -s "$refdir/$sock.sock" -- "$(command -v multiwatch)" -f "$n" -- "$BIN/tests/nullfcgi" \
		>/dev/null 2>&1 &
	null_pids+=($!)
done

# stack [ENV...]: (re)starts the stack on the same data and port, with ENV.
# The feed's subscribers all hold one key (a bar's would hold a credential
# each): the limits on open streams are lifted.
stack() {
	[ -n "${STACK_PID:-}" ] && stop_stack
	REUSE=${STARTED:-0} start_stack TENP5_SESSION_TTL=86400 TENP5_CEILING=1000000 \
		TENP5_FEED_PER_CREDENTIAL=100000 TENP5_FEED_MAX=100000 EXTRA_CONF="$extra" "$@"
	STARTED=1
	trap 'kill -TERM "${null_pids[@]}" 2>/dev/null; stop_stack' EXIT
}
teardown() {
	stop_stack
	kill -TERM "${null_pids[@]}" 2>/dev/null
	wait "${null_pids[@]}" 2>/dev/null
	rm -rf "$refdir"
}
say "== starting the stack"
stack
say "== generating the data set"
t0=$(date +%s.%N)
# The fiche's run alone needs the long histories and the thousand paying
# cards, not the 100 000 ordinary clients.
{
	[ "$only" = fiche ] && echo "CREATE TEMP TABLE dataset_size AS SELECT 0 AS ordinary;"
	cat "$here/dataset.sql"
} | sqlite3 "$DB" || { echo "data set failed"; exit 1; }
say "   $(sql 'SELECT count(*) FROM transactions') ledger rows, $(sql 'SELECT count(*) FROM clients') clients in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
"$ADMIN" -d "$DB" check >/dev/null || { echo "the data set breaks the ledger invariant"; exit 1; }
P=$(admin_jeton)
B=$(login bench prez-secret-1)
call cle/creer "jeton=$P&nom=bench"
K=$(val .cle)
for area in client divers; do
	eval "rss_${area}_start=$(rss VmRSS $area) anon_${area}_start=$(rss RssAnon $area)"
done

# The live feed's runs (below, and alone with `bench.sh feed-tickets`). The
# subscribers come from several loopback addresses, 100 each, as a bar's
# phones would. W of them follow every transaction (tills, wall screens); the
# others each follow a card of their own (CARD0000, CARD0001...). First, the
# payments on one card as in the runs above, the others' cards idle; then
# payments going round a thousand cards, each followed.
call cle/creer "jeton=$P&nom=feed&droit=2"
FK=$(val .cle)
feed_rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$(pool_pids evenements | awk '{ print $1 }')/status"; }
nginx_rss() { # the nginx workers' own memory, in all, kB
	local s=0 p
	for p in $(pgrep -P "$(cat "$DATA/run/nginx.pid")"); do
		s=$((s + $(awk '$1 == "RssAnon:" { print $2 }' "/proc/$p/status")))
	done
	echo "$s"
}
# feed_run N W CARDS [TICKETS]: payments at c=16 (on PAY, or round CARDS
# cards) with N subscribers connected, and TICKETS evenements/ticket requests
# a second with the subscribers' key beside them; adds a row to the feed's
# table and sets DP99 (the delivery's p99, ms).
feed_run() {
	local n=$1 w=$2 cards=$3 tickets=${4:-0} r0 g0 r1 g1 start expected got deadline sse_pid what card ticker
	r0=$(feed_rss RssAnon) g0=$(nginx_rss)
	"$BIN/tests/sse" "$PORT" "ApiKey $FK" "$n" "$w" >"$DATA/sse.out" 2>&1 &
	sse_pid=$!
	deadline=$((SECONDS + 120))
	until grep -q '^ready' "$DATA/sse.out" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.05; done
	sleep 1 # let the idle subscribers settle before measuring memory
	r1=$(feed_rss RssAnon) g1=$(nginx_rss)
	start=$(sql "SELECT max(id) FROM journal")
	if [ "$tickets" != 0 ]; then
		(WRK_METHOD=POST WRK_BODY="jeton=$FK" WRK_RATE=$tickets \
			wrk -t1 -c2 -d"${DUR}s" -s "$here/wrk.lua" "$URL/api/evenements/ticket" |
			grep '^RESULT' >"$refdir/tickets") &
		ticker=$!
	fi
	if [ "$cards" = 0 ]; then
		bench "payer, $n subscribers${4:+, $tickets tickets/s}" 16 api/client/payer "jeton=$B&idCarte=PAY&montant=0.01"
		what="on one card; $w follow everything, $((n - w)) their own idle card"
		ref=$PAYF0
	else
		WRK_ROTATE=$cards bench "payer over $cards cards, $n subscribers" 16 api/client/payer \
			"jeton=$B&idCarte=CARD%N%&montant=0.01"
		what="round $cards cards; $w follow everything, $((n - w)) a card each"
		ref=$PAYC0
	fi
	if [ "$tickets" != 0 ]; then
		wait "$ticker"
		read -r _ trps _ tp99 tbad _ <"$refdir/tickets"
		say "  tickets beside: $trps/s, p99 $tp99 ms, $tbad bad"
		what="$what; $tickets tickets/s asked, $trps/s given (p99 $tp99 ms, $tbad bad)"
	fi
	# Every transaction goes to the W that follow everything, and to the
	# follower of its card if it has one.
	expected=$(sql "SELECT count(*) * $w + sum(CASE WHEN c.card GLOB 'CARD[0-9]*' AND
		CAST(substr(c.card, 5) AS INTEGER) < $((n - w)) THEN 1 ELSE 0 END)
		FROM journal j JOIN clients c ON c.id = j.client_id WHERE j.id > $start AND j.event = 'transaction'")
	deadline=$((SECONDS + 60))
	got=0
	while [ "$got" != "$expected" ] && [ "$SECONDS" -lt "$deadline" ]; do
		kill -USR1 "$sse_pid"
		sleep 0.2
		got=$(grep '^EVENTS' "$DATA/sse.out" | tail -1 | cut -d' ' -f2)
		got=$((got + 0))
	done
	kill -TERM "$sse_pid"
	wait "$sse_pid"
	read -r _ open total doubles p50 DP99 max <<<"$(grep '^RESULT' "$DATA/sse.out")"
	say "  $n subscribers: $open open, $total events of $expected expected, $doubles doubled, delivery p50 $p50 ms, p99 $DP99 ms, max $max ms"
	say "  memory: feed $(mb "$r0") → $(mb "$r1") MB own, nginx workers $(mb "$g0") → $(mb "$g1") MB own"
	feed_rows+=("| $n | $what | $open | $RPS | $(awk -v a="$RPS" -v b="$ref" 'BEGIN { printf "%.2f", a / b }') | $p50 | $DP99 | $max | $((expected - total)) | $doubles | $(( (r1 - r0) / n )) kB + $(( (g1 - g0) / n )) kB | $(mb "$r1") MB |")
}
# The feed process's own writes (a ticket's insert, a key's uses) wait for
# the write lock behind the payments; delivery must not wait with them
# (doc/feed.md). feed_tickets: 100 subscribers during payments on one card,
# in turns without tickets and with 20 a second (without first and last);
# sets TICKETS_WITH and TICKETS_WITHOUT, each kind of run's delivery p99s
# (ms): the machine's load drifts between runs, they are compared by their
# medians.
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
feed_tickets() {
	local i with=() without=()
	feed_run 100 5 0
	without+=("$DP99")
	for i in 1 2 3; do
		feed_run 100 5 0 20
		with+=("$DP99")
		feed_run 100 5 0
		without+=("$DP99")
	done
	TICKETS_WITH=${with[*]} TICKETS_WITHOUT=${without[*]}
	say "  delivery p99 with tickets $TICKETS_WITH ms, without $TICKETS_WITHOUT ms"
}
feed_table() {
	echo "## The live feed"
	echo
	echo "Payments at c=16 with subscribers connected, against the same payments with none just"
	echo "before (\"× none\"). Delivery: an event's arrival at its subscriber minus the transaction's"
	echo "date (which precedes the commit), over every event delivered. Lost: events a subscriber"
	echo "should have had and did not, once payments stopped; doubled: an id seen twice. Memory per"
	echo "idle subscriber: the growth of the feed process's own memory (RssAnon) and of nginx's"
	echo "workers', divided by the subscribers."
	echo
	echo "| subscribers | payments, who follows what | open | payments/s | × none | delivery p50 ms | p99 ms | max ms | lost | doubled | memory per idle subscriber (feed + nginx) | feed in all |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${feed_rows[@]}"
	echo
	echo "- Delivery while the feed process writes: 100 subscribers during payments on one card,"
	echo "  three runs with 20 \`evenements/ticket\` a second (each a ticket's insert, and uses"
	echo "  of the key written once a second) between four without. Delivery p99 with tickets"
	echo "  $TICKETS_WITH ms, without $TICKETS_WITHOUT ms; medians $(median $TICKETS_WITH) and $(median $TICKETS_WITHOUT) ms,"
	echo "  $(awk -v a="$(median $TICKETS_WITH)" -v b="$(median $TICKETS_WITHOUT)" 'BEGIN { printf "%.2f", a / b }') × (target ≤ 1.25 ×)."
}
# A card holder's code guessed 10 000 times from 50 addresses (moi/connexion,
# doc/api.md) while payments go at a steady PAY_RATE a second and the real
# holder logs in from their own browser (its device cookie) once a second:
# the holder is never locked out, and the payments keep their rate and their
# p99. Each run with guesses lasts as long as the guesses do, between a run
# of 10 s before and one as long as it after, without them (the same
# holder's logins, the same payments): their mean is the reference. Sets HOLDER_ROWS, HOLDER_NOTES and
# HOLDER_LOCKOUTS (the holder's logins that were not ok, in all).
PAY_RATE=${PAY_RATE:-200}
holder_logins() { # holder_logins STOPFILE OUT: the holder's logins, a second apart
	while [ ! -e "$1" ]; do
		curl -s -b "$DATA/holder.jar" -c "$DATA/holder.jar" --interface 127.0.22.1 \
			--data-binary "idCarte=TITULAIRE&code=$HOLDER_CODE" "$URL/api/moi/connexion" | jq -r .status >>"$2"
		sleep 1
	done
}
# holder_run SECONDS|guesses: payments at PAY_RATE with the holder's logins,
# for SECONDS or while the 10 000 guesses last; sets HRPS HP99 HSECS, and
# HOK HLOCK (the holder's logins that were ok, and not).
holder_run() {
	local stop=$refdir/holder.stop out=$refdir/holder.out wrk_pid logins t0
	rm -f "$stop" "$out"
	: >"$out"
	holder_logins "$stop" "$out" &
	logins=$!
	WRK_METHOD=POST WRK_BODY="jeton=$B&idCarte=PAY&montant=0.01" WRK_RATE=$PAY_RATE \
		wrk -t1 -c8 -d600s --timeout 10s -s "$here/wrk.lua" "$URL/api/client/payer" >"$refdir/holder.wrk" 2>&1 &
	wrk_pid=$!
	t0=$(date +%s.%N)
	if [ "$1" = guesses ]; then
		storm 50 <"$refdir/guesses" >"$refdir/guesses.out"
	else
		sleep "$1"
	fi
	HSECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	kill -INT "$wrk_pid" # wrk stops and reports what it measured
	wait "$wrk_pid"
	touch "$stop"
	wait "$logins"
	read -r _ HRPS _ HP99 hbad _ <<<"$(grep '^RESULT' "$refdir/holder.wrk")"
	HOK=$(grep -c '^ok$' "$out")
	HLOCK=$(grep -vc '^ok$' "$out")
	say "  payer at $PAY_RATE/s${2:+, $2}: $HRPS/s, p99 $HP99 ms, $hbad bad over $HSECS s; holder: $HOK ok, $HLOCK not"
}
holder_guesses() {
	local i code out guess rps0 p990 rps1 p991
	call client/ajouter "jeton=$B&idCarte=TITULAIRE&solde=10"
	call client/code "jeton=$B&idCarte=TITULAIRE"
	HOLDER_CODE=$(val .codeClient)
	rm -f "$DATA/holder.jar"
	curl -s -c "$DATA/holder.jar" --interface 127.0.22.1 --data-binary "idCarte=TITULAIRE&code=$HOLDER_CODE" \
		"$URL/api/moi/connexion" >/dev/null
	# 10 000 codes of the right shape, none the right one, from 127.0.21.1-50.
	awk -v right="${HOLDER_CODE//-/}" 'BEGIN {
		a = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
		for (i = 0; i < 10000; i++) {
			code = ""; n = i
			for (k = 0; k < 12; k++) { code = code substr(a, n % 31 + 1, 1); n = int(n / 31) }
			if (code == right) code = "Z" substr(code, 2)
			printf "moi/connexion idCarte=TITULAIRE&code=%s 127.0.21.%d\n", code, i % 50 + 1
		}
	}' >"$refdir/guesses"
	HOLDER_ROWS=() HOLDER_NOTES=() HOLDER_LOCKOUTS=0
	for i in 1 2 3; do
		holder_run 10 "without guesses"
		read -r rps0 p990 <<<"$HRPS $HP99"
		HOLDER_LOCKOUTS=$((HOLDER_LOCKOUTS + HLOCK))
		holder_run guesses "10 000 guesses"
		read -r rps1 p991 g_secs g_ok g_lock <<<"$HRPS $HP99 $HSECS $HOK $HLOCK"
		HOLDER_LOCKOUTS=$((HOLDER_LOCKOUTS + HLOCK))
		holder_run "$g_secs" "without guesses"
		HOLDER_LOCKOUTS=$((HOLDER_LOCKOUTS + HLOCK))
		rps0=$(awk -v a="$rps0" -v b="$HRPS" 'BEGIN { printf "%.1f", (a + b) / 2 }')
		p990=$(awk -v a="$p990" -v b="$HP99" 'BEGIN { printf "%.3f", (a + b) / 2 }')
		out=$(jq -sr 'group_by(.status) | map("\(length) \(.[0].status)") | join(", ")' "$refdir/guesses.out")
		HOLDER_ROWS+=("| $i | $g_secs | $out | $g_ok ok, $g_lock locked out | $rps1 | $(awk -v a="$rps1" -v b="$rps0" 'BEGIN { printf "%.2f", a / b }') | $p991 | $p990 | $(awk -v a="$p991" -v b="$p990" 'BEGIN { printf "%.2f", a / b }') |")
	done
	HOLDER_NOTES+=("the holder's logins that were not ok, in all the runs: $HOLDER_LOCKOUTS (target 0)")
}
holder_table() {
	echo "## A holder's code guessed during payments"
	echo
	echo "10 000 wrong holder codes for one card, 50 at a time from 50 addresses, while payments"
	echo "go at a steady $PAY_RATE a second (c=8) and the card's holder logs in from their own browser"
	echo "(its device cookie, another address) once a second. Each run with guesses lasts as long as"
	echo "they do; the reference is the mean of a 10 s run just before and one as long as it just after,"
	echo "with the same payments and the holder's logins but no guesses. Targets: the holder never"
	echo "locked out; payments/s ≥ 0.95 × without (the rate kept); p99 ≤ 2 × without."
	echo
	echo "| run | guesses' s | guesses' answers | holder's logins | payments/s | × without | p99 ms | without | × without |"
	echo "|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${HOLDER_ROWS[@]}"
	echo
	printf -- '- %s.\n' "${HOLDER_NOTES[@]}"
}
# A long answer's body, as a fingerprint: its length and sha256 when it is
# JSON with "status":"ok", else "bad". fingerprint PATH BODY [AUTH]
fingerprint() {
	local out
	out=$(curl -s ${2:+--data-binary "$2"} ${3:+-H "Authorization: $3"} "$URL/$1")
	jq -e '.status == "ok"' <<<"$out" >/dev/null 2>&1 || { echo bad; return; }
	echo "${#out} $(sha256sum <<<"$out")"
}

# long NAME C PATH [BODY [AUTH]]: bench for an answer of megabytes. wrk does
# not read the bodies (WRK_LONG, see wrk.lua); the body is checked here, before
# and after the run: "status":"ok" and the very same bytes both times (these
# runs change nothing). A failed check counts as one more bad answer.
long() {
	local before after
	before=$(fingerprint "$3" "${4:-}" "${5:-}")
	WRK_LONG=1 bench "$@"
	after=$(fingerprint "$3" "${4:-}" "${5:-}")
	if [ "$before" = bad ] || [ "$before" != "$after" ]; then
		BAD=$((BAD + 1))
		say "  $1 c=$2: the answer failed its check ($before / $after)"
	fi
}

# A 10 000-row fiche asked at c=16 while payments go round a thousand other
# cards at c=4: each worker gives the history it kept until that card changes
# (lib/answers.h). Its reference is the null reply of the same length with the
# same payments running (alone: bench.sh fiche). beside CMD...: runs CMD
# during those payments; sets BESIDE (the payments' rate).
beside() {
	(WRK_METHOD=POST WRK_BODY="jeton=$B&idCarte=CARD%N%&montant=0.01" WRK_ROTATE=1000 \
		wrk -t1 -c4 -d"$((DUR + 2))s" -s "$here/wrk.lua" "$URL/api/client/payer" |
		grep '^RESULT' >"$refdir/beside") &
	local pay=$!
	"$@"
	wait "$pay"
	read -r _ BESIDE _ <"$refdir/beside"
}
# fiche_beside: the null reply and the fiche in turns, FICHE_TURNS times (3)
# each, the same payments beside every run; a row each, of their medians.
# In turns, as this machine's load drifts within seconds: the same null
# reply, asked twice a few seconds apart, ran at 157 and 358/s. Sets
# FICHE_TURNS_SAID: each fiche run against the null reply's just before it.
fiche_beside() {
	local n i nr=() n50=() n99=() np=() fr=() f50=() f99=() fp=() nbad=0 fbad=0
	n=$(curl -s --data-binary "jeton=$B&idCarte=H10K" "$URL/api/client/fiche" | wc -c)
	FICHE_TURNS_SAID=""
	for i in $(seq "${FICHE_TURNS:-3}"); do
		beside long "null FastCGI, $n bytes, other cards paying, turn $i" 16 "bench/fastcgi-long?bytes=$n"
		nr+=("$RPS") n50+=("$P50") n99+=("$P99") np+=("$BESIDE") nbad=$((nbad + BAD))
		beside long "fiche 10K, other cards paying, turn $i" 16 api/client/fiche "jeton=$B&idCarte=H10K"
		fr+=("$RPS") f50+=("$P50") f99+=("$P99") fp+=("$BESIDE") fbad=$((fbad + BAD))
		FICHE_TURNS_SAID+="${FICHE_TURNS_SAID:+, }$(awk -v a="$RPS" -v b="${nr[-1]}" 'BEGIN { printf "%.2f", a / b }') ×"
	done
	read -r RPS P50 P99 BAD <<<"$(median "${nr[@]}") $(median "${n50[@]}") $(median "${n99[@]}") $nbad"
	NULL_BESIDE=$RPS
	row "reference: nginx → FastCGI, fixed reply of $n bytes, while other cards pay at c=4; median of ${#nr[@]} runs (${nr[*]} req/s, p99 ${n99[*]} ms, payments ${np[*]}/s)" 16 "" "" ""
	read -r RPS P50 P99 BAD <<<"$(median "${fr[@]}") $(median "${f50[@]}") $(median "${f99[@]}") $fbad"
	row "\`client/fiche\`, 10 000 transactions, while other cards pay at c=4; median of ${#fr[@]} runs, each after one of the null reply's (${fr[*]} req/s, p99 ${f99[*]} ms, payments ${fp[*]}/s)" 16 "$NULL_BESIDE" \
		"same-length null reply, same payments" "≥ 0.8 × same-length null reply, p99 < 100 ms"
}

# rows_table: the table of the runs recorded by row.
rows_table() {
	echo "| what | c | req/s | p50 | p99 | ratio | bad | target |"
	echo "|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
}

if [ "$only" = fiche ]; then
	l0=$(load)
	say "== a card's history while other cards pay (load $l0)"
	fiche_beside
	l1=$(load)
	teardown
	rows_table
	echo
	echo "- Each run of the fiche against the null reply's just before it: $FICHE_TURNS_SAID."
	echo "- The machine's load averages (1, 5 and 15 min) before the runs: $l0; after: $l1."
	exit 0
fi

if [ "$only" = holders ]; then
	say "== a holder's code guessed during payments"
	holder_guesses
	teardown
	holder_table
	[ "$HOLDER_LOCKOUTS" = 0 ]
	exit
fi

if [ "$only" = feed-tickets ]; then
	say "== the live feed while its process writes"
	bench "payer, no subscriber" 16 api/client/payer "jeton=$B&idCarte=PAY&montant=0.01"
	PAYF0=$RPS
	feed_tickets
	teardown
	feed_table
	exit 0
fi

say "== references"
bench "nginx return 200" 16 bench/ceiling
CEIL16=$RPS; row "reference: nginx \`return 200\`" 16 "" "" ""
bench "nginx return 200" 1 bench/ceiling
CEIL1=$RPS; row "reference: nginx \`return 200\`" 1 "" "" ""
bench "nginx return 200" 64 bench/ceiling
CEIL64=$RPS; row "reference: nginx \`return 200\`" 64 "" "" ""
for c in 1 16 64; do
	eval ceil=\$CEIL$c
	bench "nginx to a null FastCGI responder" "$c" bench/fastcgi
	eval "NULL$c=$RPS"
	row "reference: nginx → FastCGI, fixed reply" "$c" "$ceil" "nginx" ""
done
COMMITS=$("$BIN/tests/sqliteloop" commit "$DATA/commitloop.db" "$DUR")
say "  SQLite commit loop (WAL, synchronous=FULL): $COMMITS commits/s"
rows+=("| reference: SQLite commit loop, WAL + FULL | 1 | $COMMITS | | | | | |")

say "== endpoints"
for c in 1 16 64; do
	eval ceil=\$CEIL$c null=\$NULL$c
	bench coucou "$c" api/coucou
	row "\`GET api/coucou\`" "$c" "$ceil" "nginx" \
		"≥ 0.5 × nginx ($(awk -v a="$RPS" -v b="$null" 'BEGIN { printf "%.2f", a / b }') × null FastCGI)"
done
# Logins of 100 staff in turn: one user's password is checked once per 5 s at
# most while hashes queue (lib/login.c), so one login over and over would
# measure refusals.
for c in 1 16; do
	WRK_ROTATE=100 bench connexion "$c" api/utilisateur/connexion "login=staff%N%&mdp=prez-secret-1"
	row "\`utilisateur/connexion\` (scrypt)" "$c" "" "" ""
done
for c in 1 16 64; do
	bench payer "$c" api/client/payer "jeton=$B&idCarte=PAY&montant=0.01"
	row "\`client/payer\`" "$c" "$COMMITS" "commit loop" "≥ 0.8 × commit loop"
done

# For each long answer (a 10 000-row history, a 100 000-row one, every
# client), two references: the transport alone, the null responder sending a
# reply of the same length; and the storage alone, SQLite stepping through
# its rows with the worker's query (lib/db_ledger.c, lib/db_client.c),
# reading every column, on one core (the stack runs on $(nproc) of them).
FICHE_SQL="SELECT t.id, t.type, t.client_id, t.user_id, t.date_ms, t.amount, t.qty, t.valid
	FROM transactions t WHERE t.client_id = (SELECT id FROM clients WHERE card = ?1)
	AND t.id > 0 ORDER BY t.id"
for what in 10K 100K LISTE; do
	if [ "$what" = LISTE ]; then
		call client/liste "jeton=$B"
		query=("SELECT card, balance, overdraft FROM clients ORDER BY card")
		label="\`client/liste\` (every client)"
	else
		call client/fiche "jeton=$B&idCarte=H$what"
		query=("$FICHE_SQL" "H$what")
		label="a ${what/K/ 000}-row fiche"
	fi
	n=${#REPLY}
	long "null FastCGI, $n bytes" 16 "bench/fastcgi-long?bytes=$n"
	eval "NULL_$what=\$RPS"
	row "reference: nginx → FastCGI, fixed reply of $n bytes, the length of $label" 16 "" "" ""
	best=0 # the best of three short runs: this machine's speed varies by the second
	for _ in 1 2 3; do
		read -r rate rows_n < <("$BIN/tests/sqliteloop" read "$DB" 2 "${query[@]}")
		best=$(awk -v a="$rate" -v b="$best" 'BEGIN { print (a > b ? a : b) }')
	done
	eval "SCAN_$what=$best"
	say "  SQLite alone, $label: $best passes/s ($rows_n rows)"
	rows+=("| reference: SQLite alone stepping the rows of $label, one core | 1 | $best | | | | | |")
done
w0=$(wal_frames)
for h in 1K 10K 100K; do
	for c in 1 16 64; do
		long "fiche $h" "$c" api/client/fiche "jeton=$B&idCarte=H$h"
		target="" ref=""
		if [ "$c" = 16 ] && [ "$h" != 1K ]; then
			eval "ref=\$NULL_$h"
			target="p99 < 1 s"
			[ "$h" = 10K ] && target="≥ 0.8 × same-length null reply, p99 < 100 ms"
		fi
		row "\`client/fiche\`, ${h/K/ 000} transactions" "$c" "$ref" "${ref:+same-length null reply}" "$target"
		[ "$c" = 1 ] && eval "lat_$h=$P50"
		# Longer than any answer kept, the 100 000-row fiche is read afresh.
		[ "$c" = 16 ] && [ "$h" = 100K ] && AFRESH_100K=$RPS
	done
done
for h in 1K 100K; do
	bench "fiche $h paged" 16 api/client/fiche "jeton=$B&idCarte=H$h&limite=100"
	row "\`client/fiche\`, ${h/K/ 000} transactions, \`limite=100\`" 16 "" "" "flat with history"
done
bench "fiche 1K by API key" 16 api/client/fiche "idCarte=H1K" "Bearer $K"
row "\`client/fiche\`, 1 000 transactions, API key" 16 "" "" ""
for c in 1 16 64; do
	long "client/liste" "$c" api/client/liste "jeton=$B"
	ref="" target=""
	[ "$c" = 16 ] && ref=$NULL_LISTE target="≥ 128 req/s (3 × 42.7)"
	row "\`client/liste\` (101 004 clients)" "$c" "$ref" "${ref:+same-length null reply}" "$target"
done
for c in 1 16 64; do
	bench transactions "$c" api/transactions "jeton=$P&limite=100&apres=500000"
	row "\`transactions\`, \`limite=100\`" "$c" "" "" ""
done
w1=$(wal_frames)

say "== a card's history while other cards pay (load $(load))"
fiche_beside

say "== a storm of logins during payments, three times"
# Each time against the rate alone just before and just after (their mean):
# this machine's speed drifts within a minute.
for i in 1 2 3; do
	bench "payer alone, before" 16 api/client/payer "jeton=$B&idCarte=PAY&montant=0.01"
	PAY16=$RPS
	(WRK_METHOD=POST WRK_BODY="login=staff%N%&mdp=prez-secret-1" WRK_ROTATE=100 \
		wrk -t2 -c16 -d"${DUR}s" -s "$here/wrk.lua" "$URL/api/utilisateur/connexion" |
		grep '^RESULT' >"$refdir/storm") &
	storm=$!
	bench "payer during logins" 16 api/client/payer "jeton=$B&idCarte=PAY&montant=0.01"
	wait "$storm"
	read -r DURING DP50 DP99 DBAD <<<"$RPS $P50 $P99 $BAD"
	bench "payer alone, after" 16 api/client/payer "jeton=$B&idCarte=PAY&montant=0.01"
	PAY16=$(awk -v a="$PAY16" -v b="$RPS" 'BEGIN { printf "%.1f", (a + b) / 2 }')
	read -r RPS P50 P99 BAD <<<"$DURING $DP50 $DP99 $DBAD"
	row "\`client/payer\` during a login storm (c=16), run $i" 16 "$PAY16" "alone ($PAY16 req/s)" "≥ 0.8 × alone"
	read -r _ lrps _ lp99 _ _ <"$refdir/storm"
	storm_notes+=("run $i: $lrps logins/s, p99 $lp99 ms")
done

for area in client divers; do
	eval "rss_${area}_end=$(rss VmRSS $area) anon_${area}_end=$(rss RssAnon $area)"
done

# The long answers above were, after their first, answers kept by the workers
# until the next commit (lib/answers.h): the runs changed nothing. After a
# commit, each worker reads the answer afresh; here is that rate, with the
# workers keeping nothing. (A 100 000-row fiche is longer than any answer kept:
# its runs above were all read afresh.)
say "== long answers read afresh, as after a commit"
stack TENP5_ANSWER_CACHE=0
long "fiche 10K, afresh" 16 api/client/fiche "jeton=$B&idCarte=H10K"
row "\`client/fiche\`, 10 000 transactions, read afresh" 16 "$NULL_10K" "same-length null reply" ""
AFRESH_10K=$RPS
long "client/liste, afresh" 16 api/client/liste "jeton=$B"
row "\`client/liste\` (101 004 clients), read afresh" 16 "$NULL_LISTE" "same-length null reply" ""
AFRESH_LISTE=$RPS
stack

say "== the live feed: subscribers while payments run"
bench "payer, no subscriber" 16 api/client/payer "jeton=$B&idCarte=PAY&montant=0.01"
PAYF0=$RPS
for n in 1 100 1000; do
	feed_run "$n" $((n < 5 ? n : 5)) 0
done
WRK_ROTATE=1000 bench "payer over 1000 cards, no subscriber" 16 api/client/payer "jeton=$B&idCarte=CARD%N%&montant=0.01"
PAYC0=$RPS
feed_run 1000 5 1000
feed_tickets
say "== a holder's code guessed during payments"
holder_guesses
"$ADMIN" -d "$DB" check >/dev/null
ledger=$?
lost=$(sql "SELECT count(*) FROM clients WHERE card = 'PAY' AND balance != 100000000 - (SELECT count(*) FROM transactions t WHERE t.client_id = clients.id AND type = 3)")
teardown

# ceiling WHAT LABEL: that ceiling for SCAN_WHAT and NULL_WHAT, against the
# measured c=16 rate of the answer read afresh (AFRESH_WHAT).
ceiling() {
	eval "local scan=\$SCAN_$1 null=\$NULL_$1 got=\$AFRESH_$1"
	awk -v s="$scan" -v t="$null" -v g="$got" -v n="$(nproc)" -v l="$2" 'BEGIN {
		c = n / (1 / s + n / t)
		printf "%s ≈ %.0f/s (%.2f × the null reply), measured %.0f/s", l, c, c / t, g }'
}

{
	echo "# Benchmark results"
	echo
	echo "\`make bench\` on $(nproc) cores, $(date -u +%Y-%m-%d), wrk on loopback, ${DUR} s per run,"
	echo "data set of $(printf "%'d" 1011004) ledger rows. Every answer is checked (HTTP 200 and"
	echo "\`\"status\":\"ok\"\`); \"bad\" counts those that were not. Long answers (the fixed replies"
	echo "of a long answer's length, full \`client/fiche\`, \`client/liste\`) are checked by HTTP status"
	echo "and framing in the run, and by their body with curl before and after it (wrk.lua says why)."
	echo "Latencies in milliseconds."
	echo
	rows_table
	echo
	echo "- Long answers are kept by each worker until the next commit: the runs of \`client/fiche\`"
	echo "  and \`client/liste\` above measure answers given again, but for the 100 000-row fiche,"
	echo "  longer than any answer kept, and the rows \"read afresh\", measured with the workers"
	echo "  keeping nothing, as each worker's first answer after a commit is."
	echo "- The null reply of a long answer's length comes from as many workers as the client area's"
	echo "  reads, and sends its body as they send long answers: in FastCGI records of 64 kB"
	echo "  written straight to nginx."
	echo "- The ceiling of a long answer read afresh at c=16, estimated: each answer costs SQLite's stepping"
	echo "  through its rows (one core's time, above) plus the transport of a reply of its length"
	echo "  (the null reply's $(nproc) cores divided by its rate), and nothing for formatting. A little"
	echo "  low, as the null reply's cost includes its own program's writes, which the worker also"
	echo "  makes."
	echo "  - $(ceiling 10K "10 000-row fiche")"
	echo "  - $(ceiling 100K "100 000-row fiche")"
	echo "  - $(ceiling LISTE "\`client/liste\`")"
	echo "- \`client/fiche\` at c=1, p50 per request: 1 000 rows ${lat_1K} ms, 10 000 rows ${lat_10K} ms, 100 000 rows ${lat_100K} ms."
	echo "- Worker memory (largest worker of the area), start → end of the run, own memory"
	echo "  (RssAnon) and in all (VmRSS, which adds the pages of the mapped database file that"
	echo "  the kernel shares between workers):"
	echo "  client $(mb $anon_client_start) → $(mb $anon_client_end) MB own, $(mb $rss_client_start) → $(mb $rss_client_end) MB in all;"
	echo "  divers $(mb $anon_divers_start) → $(mb $anon_divers_end) MB own, $(mb $rss_divers_start) → $(mb $rss_divers_end) MB in all."
	echo "- The fiche while other cards pay, each run against the null reply's just before it: $FICHE_TURNS_SAID."
	echo "- WAL bytes written during the read-only runs (fiche, liste, transactions): $((w1 - w0))."
	echo "- Ledger check after the run: $([ "$ledger" = 0 ] && echo passed || echo FAILED); payments lost: $lost."
	echo "- Logins during the storms (c=16, the right passwords of 100 staff in turn): $(IFS=';'; echo "${storm_notes[*]}" | sed 's/;/; /g')."
	echo
	feed_table
	echo
	holder_table
} | tee "$OUT"
# The holder locked out by others' guesses fails the run.
[ "$HOLDER_LOCKOUTS" = 0 ]
