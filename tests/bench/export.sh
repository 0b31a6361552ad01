#!/usr/bin/env bash
# The exports' benchmark (make bench-export, and the end of make bench): the
# stack with the benchmark's data set (about a million ledger rows) and
# 100 000 payments from the catalogue (a basket of two lines each), then the
# whole ledger exported as CSV through nginx, RUNS times (3) in each format:
# rows per second, against SQLite alone stepping through the same rows with
# the export's own query in the same run (the goal is at least half its
# rate), and the export worker's own memory (RssAnon) before, at its highest
# during the runs (sampled every 20 ms) and after: it must stay flat. Prints
# the figures and writes tests/bench/export-results.md (EXPORT_OUT).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../api/lib.sh"
RUNS=${RUNS:-3}
OUT=${EXPORT_OUT:-$here/export-results.md}
say() { printf '%s\n' "$*" >&2; }
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$2/status"; }
mb() { echo "$(($1 / 1024)).$((($1 % 1024) * 10 / 1024))"; }

start_stack TENP5_SESSION_TTL=86400 TENP5_CEILING=1000000
say "== generating the data set"
sqlite3 "$DB" <"$here/dataset.sql" || { echo "data set failed"; exit 1; }
# Baskets: 2 × Bière (2,50) + 1 × Coca (1,80) from the first 100 000
# ordinary cards, their balances following.
sqlite3 "$DB" <<'SQL' || { echo "baskets failed"; exit 1; }
BEGIN;
INSERT INTO products (name, price, category, created_ms) VALUES ('Bière', 250, 'Bières', 0), ('Coca', 180, 'Softs', 0);
INSERT INTO transactions (type, client_id, user_id, date_ms, amount, qty, lines)
SELECT 3, c.id, u.id, 1700400000000 + c.id, 680, 3, 2
FROM clients c, users u WHERE u.login = 'bench' AND c.card GLOB 'C[0-9]*';
INSERT INTO sale_lines (transaction_id, line, product_id, name, price, qty)
SELECT t.id, l.line, p.id, p.name, p.price, CASE l.line WHEN 1 THEN 2 ELSE 1 END
FROM transactions t, (SELECT 1 AS line, 'Bière' AS name UNION ALL SELECT 2, 'Coca') l
JOIN products p ON p.name = l.name WHERE t.lines = 2;
UPDATE clients SET balance = balance - 680 WHERE card GLOB 'C[0-9]*';
COMMIT;
SQL
"$ADMIN" -d "$DB" check >/dev/null || { echo "the data set breaks the ledger invariant"; exit 1; }
P=$(admin_jeton)
FROM=1690000000000 TO=1710000000000
ROWS=$(sql "SELECT count(*) FROM transactions WHERE date_ms >= $FROM AND date_ms < $TO")
say "   $ROWS ledger rows to export, $(sql 'SELECT count(*) FROM transactions WHERE lines > 0') with lines"
worker=$(pool_pids export | awk '{ print $1 }')

# The export's query (lib/db_ledger.c, ledger_export; LEDGER_LINES_SQL), the
# period inlined.
SQL="SELECT t.id, t.date_ms, t.type, c.card, u.login, t.amount, t.means, t.service_id, t.valid,
	CASE WHEN t.lines > 0 THEN (SELECT json_group_array(json_array(l.product_id, l.name, l.price, l.qty))
	FROM sale_lines l WHERE l.transaction_id = t.id) END FROM transactions t
	JOIN clients c ON c.id = t.client_id JOIN users u ON u.id = t.user_id
	WHERE t.date_ms >= $FROM AND t.date_ms < $TO ORDER BY t.date_ms, t.id"
best_scan=0
for _ in 1 2 3; do
	read -r passes rows_n < <("$BIN/tests/sqliteloop" read "$DB" 5 "$SQL")
	best_scan=$(awk -v a="$passes" -v r="$rows_n" -v b="$best_scan" 'BEGIN { x = a * r; printf "%.0f", (x > b ? x : b) }')
done
say "   SQLite alone: $best_scan rows/s ($rows_n rows a pass)"

anon0=$(kb RssAnon "$worker") rss0=$(kb VmRSS "$worker")
peak_all=$anon0
lines=()
for format in fr rfc4180; do
	best=0
	for _ in $(seq "$RUNS"); do
		peak=$anon0
		curl -s -o "$DATA/export.csv" -w '%{http_code} %{time_total}\n' --data-binary \
			"jeton=$P&depuis=$FROM&jusqua=$TO&format=$format" "$URL/api/export/transactions" >"$DATA/curl.out" &
		c=$!
		while kill -0 "$c" 2>/dev/null; do
			a=$(kb RssAnon "$worker")
			[ "${a:-0}" -gt "$peak" ] && peak=$a
			sleep 0.02
		done
		wait "$c"
		read -r code secs <"$DATA/curl.out"
		got=$(($(wc -l <"$DATA/export.csv") - 1))
		[ "$code" = 200 ] && [ "$got" = "$ROWS" ] || { echo "export failed: HTTP $code, $got rows of $ROWS"; exit 1; }
		rate=$(awk -v n="$ROWS" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
		[ "$rate" -gt "$best" ] && best=$rate
		say "   $format: $ROWS rows, $(stat -c %s "$DATA/export.csv") bytes in $secs s ($rate rows/s), worker's own memory at most $(mb "$peak") MB"
		[ "$peak" -gt "$peak_all" ] && peak_all=$peak
	done
	lines+=("| \`export/transactions\`, $format | $ROWS | $best | $(awk -v a="$best" -v b="$best_scan" 'BEGIN { printf "%.2f", a / b }') × | ≥ 0.5 × |")
done
anon1=$(kb RssAnon "$worker") rss1=$(kb VmRSS "$worker")
stop_stack
rm -rf "$DATA"

{
	echo "# Export benchmark"
	echo
	echo "\`make bench-export\` on $(nproc) cores, $(date -u +%Y-%m-%d): the benchmark's data set and 100 000"
	echo "payments of two lines, the whole ledger exported through nginx to curl, the best of $RUNS runs"
	echo "per format, against SQLite alone stepping through the same rows with the export's own query"
	echo "(best of three 5 s runs, one core): $best_scan rows/s."
	echo
	echo "| what | rows | rows/s | × SQLite alone | target |"
	echo "|---|---|---|---|---|"
	printf '%s\n' "${lines[@]}"
	echo
	echo "The export worker's own memory (RssAnon): $(mb "$anon0") MB before the runs, at most"
	echo "$(mb "$peak_all") MB during them, $(mb "$anon1") MB after; in all (VmRSS, with the pages of the"
	echo "database file it maps, which the kernel shares): $(mb "$rss0") MB → $(mb "$rss1") MB."
} | tee "$OUT"
