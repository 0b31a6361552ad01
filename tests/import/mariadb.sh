# A private MariaDB server for the import test and its benchmark: a data
# directory and a socket in a directory of the caller's, started here and
# stopped by its PID, never the system's service. Exports come from the real
# tools: mysqldump, and phpMyAdmin's SQL export format written from the
# server's own answers (SHOW CREATE TABLE, QUOTE(), the server's number text).
#
#   . tests/import/mariadb.sh
#   mariadb_start "$DIR" [mariadbd options]   # sets MDB_SOCK, MDB_PID
#   mdb bar -e 'SELECT 1'                      # the client, as root on the socket
#   mariadb_dump bar >dump.sql                 # mysqldump
#   phpmyadmin_export bar >export.sql
#   mariadb_stop

MDB_PID=
MDB_SOCK=

mariadb_start() {
	local dir=$1 user=()
	shift
	MDB_SOCK=$dir/mysqld.sock
	[ "$(id -u)" = 0 ] && user=(--user=root)
	if ! mariadb-install-db --no-defaults --datadir="$dir/data" --skip-test-db \
		--auth-root-authentication-method=normal "${user[@]}" >"$dir/install.log" 2>&1; then
		echo "# mariadb-install-db failed:"
		sed 's/^/# /' "$dir/install.log"
		return 1
	fi
	mariadbd --no-defaults --datadir="$dir/data" --socket="$MDB_SOCK" --skip-networking \
		--pid-file="$dir/mysqld.pid" --log-error="$dir/mysqld.err" "${user[@]}" "$@" \
		>>"$dir/mysqld.out" 2>&1 &
	MDB_PID=$!
	for _ in $(seq 300); do
		mariadb-admin --no-defaults -S "$MDB_SOCK" -uroot ping >/dev/null 2>&1 && return 0
		kill -0 "$MDB_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# mariadbd did not start:"
	sed 's/^/# /' "$dir/mysqld.err"
	mariadb_stop
	return 1
}

mariadb_stop() {
	if [ -n "$MDB_PID" ]; then
		kill -TERM "$MDB_PID" 2>/dev/null
		wait "$MDB_PID" 2>/dev/null
		MDB_PID=
	fi
}

mdb() { mariadb --no-defaults -S "$MDB_SOCK" -uroot "$@"; }
mariadb_dump() { mariadb-dump --no-defaults -S "$MDB_SOCK" -uroot "$@"; }

# phpmyadmin_export DB: the database as phpMyAdmin's "SQL" export writes it
# (version 5.2): its header, START TRANSACTION and SET time_zone = "+00:00",
# each table's CREATE TABLE without its keys, multi-row INSERTs with column
# lists (a few rows per statement), then the keys, AUTO_INCREMENT and foreign
# keys as ALTER TABLE, and COMMIT. Floats are read back in double precision
# (CAST AS DOUBLE): 48.3 stored in a FLOAT is written 48.29999923706055.
phpmyadmin_export() {
	local db=$1 t cols exprs keys
	keys=$(mktemp)
	cat <<EOF
-- phpMyAdmin SQL Dump
-- version 5.2.1
-- https://www.phpmyadmin.net/
--
-- Host: localhost
-- Generation Time: $(LC_ALL=C date -u '+%b %d, %Y at %I:%M %p')
-- Server version: $(mdb -N -B -e 'SELECT version()')
-- PHP Version: 8.2.7

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
START TRANSACTION;
SET time_zone = "+00:00";


/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;

--
-- Database: \`$db\`
--
EOF
	for t in $(mdb -N -B -e "SELECT table_name FROM information_schema.tables
		WHERE table_schema = '$db' ORDER BY table_name"); do
		printf '\n-- --------------------------------------------------------\n\n'
		printf -- '--\n-- Table structure for table `%s`\n--\n\n' "$t"
		# The keys go to the end, as ALTER TABLE, as phpMyAdmin writes them.
		mdb -N -B -r -e "SHOW CREATE TABLE \`$t\`" "$db" | cut -f2- |
			awk -v t="$t" -v keys="$keys" '
			/^  (PRIMARY KEY|UNIQUE KEY|KEY|CONSTRAINT) / {
				k = $0; sub(/,$/, "", k); sub(/^  /, "", k)
				print t "\t" (k ~ /^CONSTRAINT/ ? "C" : "K") "\tADD " k >> keys; next }
			/AUTO_INCREMENT,?$/ { a = $0; sub(/,$/, "", a); sub(/^  /, "", a) }
			/^\) / { if (a != "" && match($0, /AUTO_INCREMENT=[0-9]+/))
					print t "\tA\tMODIFY " a ", " substr($0, RSTART, RLENGTH) >> keys
				 sub(/ AUTO_INCREMENT=[0-9]+/, "") }
			{ line[++n] = $0 }
			END { for (i = 1; i <= n; i++) {
				if (line[i + 1] ~ /^\) /) sub(/,$/, "", line[i])
				print line[i] (i == n ? ";" : "") } }'
		cols=$(mdb -N -B -e "SELECT group_concat(concat('\`', column_name, '\`')
			ORDER BY ordinal_position SEPARATOR ', ') FROM information_schema.columns
			WHERE table_schema = '$db' AND table_name = '$t'")
		exprs=$(mdb -N -B -e "SELECT group_concat(CASE
			WHEN data_type IN ('float', 'double') THEN
				concat('ifnull(cast(\`', column_name, '\` AS double), ''NULL'')')
			WHEN data_type IN ('tinyint', 'int', 'bigint') THEN
				concat('ifnull(\`', column_name, '\`, ''NULL'')')
			ELSE concat('quote(\`', column_name, '\`)') END
			ORDER BY ordinal_position SEPARATOR ', '', '', ') FROM information_schema.columns
			WHERE table_schema = '$db' AND table_name = '$t'")
		printf '\n--\n-- Dumping data for table `%s`\n--\n' "$t"
		mdb -N -B -r --default-character-set=utf8mb4 -e "SET time_zone = '+00:00';
			SELECT concat('(', $exprs, ')') FROM \`$t\`" "$db" |
			awk -v head="INSERT INTO \`$t\` ($cols) VALUES" '
			{ if (n % 4 == 0) printf "%s%s\n", n ? ";\n\n" : "\n", head; else printf ",\n"
			  printf "%s", $0; n++ }
			END { if (n) print ";" }'
	done
	printf '\n--\n-- Indexes for dumped tables\n--\n'
	awk -F'\t' '$2 == "K" { if (!($1 in k)) o[++n] = $1; k[$1] = k[$1] (k[$1] == "" ? "" : ",\n") "  " $3 }
		END { for (i = 1; i <= n; i++) printf "\n--\n-- Indexes for table `%s`\n--\nALTER TABLE `%s`\n%s;\n", o[i], o[i], k[o[i]] }' \
		"$keys"
	printf '\n--\n-- AUTO_INCREMENT for dumped tables\n--\n'
	awk -F'\t' '$2 == "A" { printf "\n--\n-- AUTO_INCREMENT for table `%s`\n--\nALTER TABLE `%s`\n  %s;\n", $1, $1, $3 }' \
		"$keys"
	printf '\n--\n-- Constraints for dumped tables\n--\n'
	awk -F'\t' '$2 == "C" { if (!($1 in k)) o[++n] = $1; k[$1] = k[$1] (k[$1] == "" ? "" : ",\n") "  " $3 }
		END { for (i = 1; i <= n; i++) printf "\n--\n-- Constraints for table `%s`\n--\nALTER TABLE `%s`\n%s;\n", o[i], o[i], k[o[i]] }' \
		"$keys"
	cat <<'EOF'
COMMIT;

/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
EOF
	rm -f "$keys"
}
