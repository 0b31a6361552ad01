#!/usr/bin/env bash
# The import's benchmark (make bench-import): a private MariaDB server loaded
# with the original schema, 1 000 cards, 20 staff and N transactions (100 000
# by default; N=... to change), a few balances off their ledger; the
# mysqldump of it imported RUNS times (3) into fresh databases, timed from
# the command's start to its exit (reading, checking, writing, the durable
# commit). Prints the figures and writes tests/bench/import-results.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/build}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
N=${N:-100000}
RUNS=${RUNS:-3}
. "$ROOT/tests/import/mariadb.sh"

W=$(mktemp -d /tmp/10p5-bench-import.XXXXXX)
trap 'mariadb_stop; rm -rf "$W"' EXIT
mkdir -p "$W/mariadb"
mariadb_start "$W/mariadb"
mdb -e 'CREATE DATABASE bar'
mdb bar <"$ROOT/tests/import/php-schema.sql"
hash=$(htpasswd -nbB -C 4 x 'mot de passe' | cut -d: -f2-)
# MariaDB's SEQUENCE engine gives the rows (seq_1_to_N); amounts have cents
# and pass through FLOAT as the PHP version stored them.
mdb bar <<SQL
INSERT INTO Utilisateurs SELECT concat('staff', seq), '$hash', NULL, seq % 4 FROM seq_1_to_20;
INSERT INTO Clients SELECT concat('C', lpad(seq, 7, '0')), 0, seq % 10 = 0 FROM seq_1_to_1000;
INSERT INTO Prix VALUES ('biere', 1.80), ('biere6', 9.50);
INSERT INTO Transactions (id, type, client, date, montant, quantite, utilisateur, valide)
	SELECT seq, CASE WHEN seq <= 1000 THEN '1' WHEN seq % 10 = 0 THEN '2' ELSE '3' END,
		concat('C', lpad((seq - 1) % 1000 + 1, 7, '0')),
		from_unixtime(1462000000 + seq * 37),
		CASE WHEN seq <= 1000 THEN 500 WHEN seq % 10 = 0 THEN 20 ELSE 1 + (seq % 7) * 0.35 END,
		seq % 3, concat('staff', seq % 20 + 1), seq % 50 != 0
	FROM seq_1_to_$N;
UPDATE Clients c SET solde = (SELECT coalesce(sum(CASE WHEN t.type IN ('1', '2') THEN t.montant
	ELSE -t.montant END), 0) FROM Transactions t WHERE t.client = c.idCarte AND t.valide);
UPDATE Clients SET solde = solde + 1.7 WHERE idCarte LIKE '%7';
SQL
mariadb_dump bar >"$W/dump.sql"
mariadb_stop
size=$(stat -c %s "$W/dump.sql")

times=()
for r in $(seq "$RUNS"); do
	start=$(date +%s%N)
	"$BIN/bin/10p5-admin" -d "$W/run$r.db" import-php "$W/dump.sql" >"$W/out$r"
	end=$(date +%s%N)
	times+=("$(((end - start) / 1000000))")
	"$BIN/bin/10p5-admin" -d "$W/run$r.db" check >/dev/null
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
adjusted=$(grep -c '^  C[0-9]\{7\} ' "$W/out1" || true)
rows=$(sqlite3 "$W/run1.db" 'SELECT count(*) FROM transactions')
line=$(printf 'import-php: %s transactions (%s MB mysqldump file, 1 000 cards, %s adjusted) in %s.%03d s (median of %s runs: %s ms)' \
	"$N" "$((size / 1000000))" "$adjusted" "$((median / 1000))" "$((median % 1000))" "$RUNS" "${times[*]}")
echo "$line"
{
	echo "# Import benchmark"
	echo
	echo "$(date -u '+%F'), $(nproc) cores, $(uname -m); \`make bench-import\` (tests/bench/import.sh)."
	echo
	echo "- $line"
	echo "- $rows ledger rows after the import (adjustments included); every run passed \`10p5-admin check\`."
} >"$ROOT/tests/bench/import-results.md"
