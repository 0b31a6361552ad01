#!/usr/bin/env bash
# Moving in from the PHP version (doc/import.md). A private MariaDB server (on a
# socket in a temporary directory, in another time zone) is loaded with the
# original schema and generated data: floats that do not round trip, a card
# whose balance lost an update, cancelled rows, references in another case,
# bcrypt passwords from htpasswd -B. It is exported by mysqldump (with and
# without UTC dates, in latin1) and in phpMyAdmin's format. Then: the import,
# checked against the server's own answers; the report and the journal; old
# passwords logging in through the API and the OAuth page, stored as scrypt
# afterwards; and every bad input refused, naming its line, nothing written.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/import/mariadb.sh"

for tool in mariadb-install-db mariadbd mariadb-dump htpasswd; do
	command -v "$tool" >/dev/null || { echo "Bail out! $tool is missing (make deps-test)"; exit 1; }
done
W=$(mktemp -d /tmp/10p5-import.XXXXXX)
mkdir -p "$W/mariadb" "$W/db"
trap 'mariadb_stop' EXIT
mariadb_start "$W/mariadb" --default-time-zone=+02:00 || { echo "Bail out! MariaDB did not start"; exit 1; }

# --- the PHP version's database ------------------------------------------------

bcrypt() { htpasswd -nbB -C "$1" x "$2" | cut -d: -f2-; }
mdb -e 'CREATE DATABASE bar'
mdb bar <"$ROOT/tests/import/php-schema.sql"
{
	# Dates are given in UTC; the server itself runs at +02:00.
	echo "SET time_zone = '+00:00';"
	printf "INSERT INTO Utilisateurs VALUES ('prez', '%s', NULL, 3), ('barman', '%s', 'BADGE01', 2),
		('bde', '%s', '', 1), ('pot.de-miel_0', '%s', NULL, 0);\n" \
		"$(bcrypt 5 'ancien secret prez')" "$(bcrypt 10 'barman-2016')" \
		"$(bcrypt 6 'bde mot de passe')" "$(bcrypt 4 'miel miel miel')"
	cat <<'SQL'
INSERT INTO Clients VALUES ('AHS0DIEX', 48.3, 0), ('CARD0002', 18.3, 0), ('ovr1', -5.5, 1),
	('GROS', 1000.06, 0), ('VIDE01', 0, 0), ('ORPHELIN', 2.5, 0), ('Neuf', 0, NULL);
INSERT INTO Prix VALUES ('biere', 1.80), ('biere6', 9.50);
INSERT INTO Sessions VALUES ('a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5', 'prez', '2016-05-04 10:00:00');
-- CARD0002: two payments at the same second, the balance kept only one.
-- ORPHELIN: a balance and no row. Id 7 was never written. OVR1 and Barman
-- differ in case from their rows, which MySQL's collation ignores.
INSERT INTO Transactions (id, type, client, date, montant, quantite, utilisateur, valide) VALUES
	(1, '1', 'AHS0DIEX', '2016-05-01 20:00:00', 50, 0, 'bde', 1),
	(2, '3', 'AHS0DIEX', '2016-05-01 20:15:00', 1.7, 0, 'barman', 1),
	(3, '3', 'AHS0DIEX', '2016-05-01 20:16:30', 1.8, 1, 'barman', 0),
	(4, '1', 'CARD0002', '2016-05-01 21:00:00', 20, 0, 'bde', 1),
	(5, '3', 'CARD0002', '2016-05-01 22:30:00', 1.7, 0, 'barman', 1),
	(6, '3', 'CARD0002', '2016-05-01 22:30:00', 1.7, 0, 'prez', 1),
	(8, '1', 'OVR1', '2016-05-02 19:00:00', 0, 0, 'prez', 1),
	(9, '3', 'ovr1', '2016-05-02 19:05:00', 3.6, 2, 'barman', 1),
	(10, '3', 'ovr1', '2016-05-02 19:10:00', 1.9, NULL, 'Barman', 1),
	(11, '1', 'GROS', '2016-05-03 12:00:00', 999.99, 0, 'prez', 1),
	(12, '2', 'GROS', '2016-05-03 12:01:00', 0.07, 0, 'prez', 1),
	(13, '1', 'VIDE01', '2016-05-03 18:00:00', 15.5, 0, 'bde', 1),
	(14, '4', 'VIDE01', '2016-10-30 01:30:00', 15.5, 0, 'barman', 1);
SQL
} | mdb bar
mariadb_dump bar >"$W/dump.sql"
mariadb_dump --skip-tz-utc bar >"$W/dump-local.sql"
phpmyadmin_export bar >"$W/export.sql"

# variant NAME SQL: a copy of bar (without its foreign keys, as MyISAM or a
# hand-made database would be) changed by SQL, dumped to $W/NAME.sql.
variant() {
	local name=$1 t
	mdb -e "CREATE DATABASE $name"
	for t in Clients Prix Sessions Transactions Utilisateurs; do
		mdb -e "CREATE TABLE $name.$t LIKE bar.$t; INSERT INTO $name.$t SELECT * FROM bar.$t"
	done
	mdb --default-character-set=utf8mb4 "$name" -e "SET time_zone = '+00:00'; $2"
	mariadb_dump --default-character-set="${3:-utf8mb4}" "$name" >"$W/$name.sql"
}
PREZ_HASH="(SELECT mdp FROM bar.Utilisateurs WHERE login = 'prez')"
variant latin "INSERT INTO Utilisateurs VALUES ('josé', $PREZ_HASH, NULL, 2);
	INSERT INTO Transactions VALUES (20, '2', 'AHS0DIEX', '2016-06-01 10:00:00', 5, 0, 'josé', 1);
	UPDATE Clients SET solde = 53.3 WHERE idCarte = 'AHS0DIEX'" latin1
mariadb_dump --default-character-set=latin2 latin >"$W/latin2.sql"
variant stock "CREATE TABLE Stock (produit char(30), fus int); INSERT INTO Stock VALUES ('blonde', 3)"
variant credit "ALTER TABLE Clients ADD COLUMN credit tinyint(1) DEFAULT 0"
variant dup "ALTER TABLE Transactions MODIFY id bigint(20) unsigned NOT NULL, DROP PRIMARY KEY;
	INSERT INTO Transactions SELECT * FROM Transactions WHERE id = 5"
variant ghost "INSERT INTO Transactions VALUES (30, '2', 'GHOST', '2016-06-01 10:00:00', 5, 0, 'prez', 1)"
variant fantome "INSERT INTO Transactions VALUES (30, '2', 'AHS0DIEX', '2016-06-01 10:00:00', 5, 0, 'fantome', 1)"
variant colon "INSERT INTO Clients VALUES ('AB:12', 3, 0);
	INSERT INTO Transactions VALUES (30, '1', 'AB:12', '2016-06-01 10:00:00', 3, 0, 'prez', 1)"
variant space "INSERT INTO Utilisateurs VALUES ('jean dupont', $PREZ_HASH, NULL, 2)"
variant nomdp "UPDATE Utilisateurs SET mdp = NULL WHERE login = 'bde'"
variant cafe "INSERT INTO Prix VALUES ('cafe', 0.5)"

# The server's own view, the oracle for what the import must hold: cents
# rounded by the server, dates as seconds since 1970, names as the referenced
# rows spell them.
oracle() { mdb -N -B bar -e "$1" | LC_ALL=C sort; }
ORACLE_CLIENTS=$(oracle "SELECT idCarte, round(solde * 100), ifnull(decouvert, 0) FROM Clients")
ORACLE_TX=$(oracle "SELECT t.id, t.type, c.idCarte, u.login, unix_timestamp(t.date) * 1000,
	round(t.montant * 100), ifnull(t.quantite, 0), t.valide FROM Transactions t
	JOIN Clients c ON c.idCarte = t.client JOIN Utilisateurs u ON u.login = t.utilisateur")
ORACLE_USERS=$(oracle "SELECT login, droit, ifnull(idCarte, ''), mdp FROM Utilisateurs")
mariadb_stop
trap - EXIT

# --- helpers -------------------------------------------------------------------

# imp DB ARGS...: runs the import; sets RC, OUT (stdout) and ERR (stderr).
imp() {
	local db=$1
	shift
	OUT=$("$ADMIN" -d "$db" import-php "$@" 2>"$W/err")
	RC=$?
	ERR=$(<"$W/err")
}
q() { sqlite3 -batch -noheader -separator $'\t' "$1" "$2" | LC_ALL=C sort; }
clients_of() { q "$1" "SELECT card, balance, overdraft FROM clients"; }
tx_of() {
	q "$1" "SELECT t.id, t.type, c.card, u.login, t.date_ms, t.amount, t.qty, t.valid
		FROM transactions t JOIN clients c ON c.id = t.client_id JOIN users u ON u.id = t.user_id
		WHERE t.type != 5"
}
users_of() { q "$1" "SELECT login, droit, ifnull(card, ''), password FROM users WHERE deleted_ms IS NULL"; }
# rows DB: what an import writes, counted.
rows() {
	sqlite3 "$1" "SELECT (SELECT count(*) FROM clients) || ' ' || (SELECT count(*) FROM users) || ' ' ||
		(SELECT count(*) FROM transactions) || ' ' || (SELECT count(*) FROM prices) || ' ' ||
		(SELECT count(*) FROM journal)"
}

# --- the mysqldump file ----------------------------------------------------------

A=$W/db/a.db
imp "$A" "$W/dump.sql"
is "$RC" 0 "mysqldump: the import succeeds"
[ "$RC" = 0 ] || diag "$ERR"
is "$("$ADMIN" -d "$A" check)" "ledger ok" "10p5-admin check passes on the imported database"
is "$(clients_of "$A")" "$ORACLE_CLIENTS" "every balance is the server's, to the cent, with its overdraft"
is "$(tx_of "$A")" "$ORACLE_TX" \
	"every transaction keeps its id, type, card, user, date, amount, quantity and validity"
is "$(q "$A" "SELECT group_concat(id, ' ') FROM (SELECT id FROM transactions WHERE type != 5 ORDER BY id)")" \
	"1 2 3 4 5 6 8 9 10 11 12 13 14" "ids are kept, gap included"
is "$(q "$A" "SELECT count(*) FROM transactions WHERE NOT valid")" 1 "the cancelled row stays cancelled"
is "$(users_of "$A")" "$ORACLE_USERS" "staff keep their rights, cards and bcrypt hashes"
is "$(q "$A" "SELECT qty || '=' || price FROM prices" | tr '\n' ' ')" "1=180 6=950 " \
	"prices: biere is 1 drink at 1.80, biere6 6 drinks at 9.50"
is "$(q "$A" "SELECT count(*) FROM sessions")" 0 "sessions are not imported"
is "$(q "$A" "SELECT c.card || ' ' || t.amount || ' ' || u.login || ' ' || (t.id > 14)
	FROM transactions t JOIN clients c ON c.id = t.client_id JOIN users u ON u.id = t.user_id
	WHERE t.type = 5" | tr '\n' ,)" "CARD0002 170 import-php 1,ORPHELIN 250 import-php 1," \
	"the lost update and the orphan balance get one adjustment each (type 5), after every old id"
is "$(q "$A" "SELECT (deleted_ms IS NOT NULL) || password FROM users WHERE login = 'import-php'")" "1!" \
	"adjustments are booked to a deleted account that cannot log in"
like "$OUT" $'\n  CARD0002 +18\\.30 +16\\.60 +1\\.70 +15\n  ORPHELIN +2\\.50 +0\\.00 +2\\.50 +16\n' \
	"the report lists each card: stored balance, ledger sum, difference, adjustment"
like "$OUT" "'biere' \\(line [0-9]+\\), with no number, became the price of 1 drink" \
	"the report says what became of the bare 'biere'"
like "$OUT" "dates: 13 TIMESTAMP values in UTC, as the dump's SET TIME_ZONE says" \
	"the report says how dates were read"
is "$(q "$A" "SELECT created_ms FROM clients WHERE card = 'AHS0DIEX'")" 1462132800000 \
	"a client is created at its first row's date (20:00 UTC, written 22:00 by the +02:00 server)"
J=$(q "$A" "SELECT detail FROM journal WHERE detail LIKE '%admin/import-php%'")
is "$(jq -r '[.par, .fichier, .format, (.ajustements | map("\(.idCarte):\(.ecart):\(.idTransaction)") | join(" "))] | join("|")' <<<"$J")" \
	"$(id -un)|$W/dump.sql|mysqldump|CARD0002:1.7:15 ORPHELIN:2.5:16" \
	"the journal records who imported, from which file, and what was adjusted"
like "$(jq -r .empreinte <<<"$J")" "^sha256:$(sha256sum "$W/dump.sql" | cut -c1-64)$" \
	"and the file's SHA-256"
is "$(q "$A" "SELECT count(*) FROM journal WHERE event = 'transaction' AND transaction_id IN (15, 16)")" 2 \
	"each adjustment is journaled as a transaction"

# --- the phpMyAdmin export ---------------------------------------------------------

B=$W/db/b.db
ok "$(grep -q '48\.29999923706055' "$W/export.sql"; echo $?)" \
	"the phpMyAdmin export holds floats that do not round trip (48.29999923706055)"
imp "$B" "$W/export.sql"
is "$RC" 0 "phpMyAdmin: the import succeeds"
[ "$RC" = 0 ] || diag "$ERR"
like "$OUT" "\\(phpMyAdmin, UTF-8," "the report names the format"
is "$("$ADMIN" -d "$B" check)" "ledger ok" "10p5-admin check passes"
is "$(clients_of "$B")" "$ORACLE_CLIENTS" "balances to the cent from the double-precision text"
is "$(q "$B" "SELECT group_concat(balance, ' ') FROM (SELECT balance FROM clients
	WHERE card IN ('AHS0DIEX', 'GROS') ORDER BY card)")" "4830 100006" \
	"48.29999923706055 is 48.30 and 1000.0599975585938 is 1000.06: rounded, not truncated"
is "$(tx_of "$B")" "$ORACLE_TX" "the same history as the server's"
is "$(users_of "$B")" "$ORACLE_USERS" "the same staff"

# --- dates in the server's zone ------------------------------------------------------

TZ=UTC imp "$W/db/c.db" "$W/dump-local.sql"
like "$OUT" "13 TIMESTAMP values in the local time zone \\(TZ=UTC\\), assumed to be the old server's" \
	"without SET TIME_ZONE, the report says the dates were read in the local zone"
is "$(q "$W/db/c.db" "SELECT date_ms FROM transactions WHERE id = 1")" 1462140000000 \
	"which puts a +02:00 server's dates two hours late"
imp "$W/db/d.db" --fuseau +02:00 "$W/dump-local.sql"
is "$RC$(tx_of "$W/db/d.db")" "0$ORACLE_TX" "with --fuseau +02:00 every date is the server's"

# --- latin1 ------------------------------------------------------------------------

ok "$(LC_ALL=C grep -q $'\xe9' "$W/latin.sql"; echo $?)" "the latin1 dump holds latin1 bytes"
imp "$W/db/e.db" "$W/latin.sql"
is "$RC" 1 "latin1: a login our rules refuse is refused"
like "$ERR" "line [0-9]+, column [0-9]+ \\(table Transactions\\): login 'josé' breaks 10p5's rules.*--renommer-login 'josé=NEW'" \
	"naming it in UTF-8, with its line, and the way through"
imp "$W/db/e.db" --renommer-login 'josé=jose' "$W/latin.sql"
is "$RC" 0 "with --renommer-login josé=jose the latin1 dump imports"
is "$(q "$W/db/e.db" "SELECT u.login || ' ' || u.droit FROM transactions t JOIN users u ON u.id = t.user_id WHERE t.id = 20")" \
	"jose 2" "the renamed user keeps its right and its transactions"
like "$OUT" "renamed login josé to jose" "the report lists the renaming"

# --- standard input ------------------------------------------------------------------

OUT=$("$ADMIN" -d "$W/db/stdin.db" import-php - <"$W/dump.sql" 2>&1)
is "$?" 0 "the dump can come on standard input (from a mysqldump of a live server)"
is "$(tx_of "$W/db/stdin.db")" "$ORACLE_TX" "with the same history"
is "$(q "$W/db/stdin.db" "SELECT json_extract(detail, '$.fichier') FROM journal WHERE detail LIKE '%import-php%'")" \
	"(standard input)" "and the journal says where it came from"

# --- a trial ----------------------------------------------------------------------

imp "$W/db/trial.db" --essai "$W/dump.sql"
is "$RC" 0 "--essai checks the whole import"
like "$OUT" "CARD0002 +18\\.30 +16\\.60 +1\\.70" "and shows the report"
like "$OUT" "nothing written \\(--essai\\)" "saying it wrote nothing"
ok "$([ ! -e "$W/db/trial.db" ]; echo $?)" "and it did not create the database"

# --- bad input, refused with nothing written ------------------------------------------

EMPTY=$W/db/empty.db
"$ADMIN" -d "$EMPTY" init
refused() { # refused NAME DUMP REGEX [import options]: the import fails, says REGEX, writes nothing
	local name=$1 dump=$2 re=$3
	shift 3
	imp "$EMPTY" "$@" "$dump"
	is "$RC" 1 "$name: refused"
	like "$ERR" "$re" "$name: the message names the place and the reason"
	like "$ERR" $'\nnothing was written$' "$name: the command says nothing was written"
	is "$(rows "$EMPTY")" "0 0 0 0 0" "$name: and nothing was"
}
refused "unknown table" "$W/stock.sql" "stock.sql, line [0-9]+, column [0-9]+ \\(table Stock\\): table Stock is not part of the PHP 10p5 database"
refused "unknown column" "$W/credit.sql" "line [0-9]+ \\(table Clients\\): column credit is not in the PHP version's table Clients"
head -c "$(($(stat -c %s "$W/dump.sql") * 2 / 3))" "$W/dump.sql" >"$W/cut.sql"
refused "a file cut in a statement" "$W/cut.sql" "cut.sql, line [0-9]+.*: it is truncated"
grep -v '^-- Dump completed' "$W/dump.sql" >"$W/cut2.sql"
refused "a file cut between statements" "$W/cut2.sql" "line [0-9]+: the dump ends before mysqldump's \"-- Dump completed\" line: it is truncated"
grep -v '^COMMIT;' "$W/export.sql" >"$W/cut3.sql"
refused "a phpMyAdmin export cut before its COMMIT" "$W/cut3.sql" "no COMMIT\\): it is truncated"
{ head -c 3000 "$W/dump.sql"; printf '\0'; tail -c +3001 "$W/dump.sql"; } >"$W/nul.sql"
refused "a NUL byte" "$W/nul.sql" "nul.sql, line $(head -c 3000 "$W/dump.sql" | wc -l | awk '{ print $1 + 1 }'), column [0-9]+: a NUL byte"
refused "another charset" "$W/latin2.sql" "line 11, column [0-9]+: character set latin2 is not read"
refused "duplicate ids" "$W/dup.sql" "line [0-9]+ \\(table Transactions\\): transaction id 5 is already at line [0-9]+"
refused "a transaction for an unknown card" "$W/ghost.sql" "line [0-9]+ \\(table Transactions\\): transaction 30 is for card 'GHOST', which is not in Clients"
refused "a transaction by an unknown user" "$W/fantome.sql" "line [0-9]+ \\(table Transactions\\): transaction 30 was made by 'fantome', who is not in Utilisateurs"
refused "a card id our rules refuse" "$W/colon.sql" "line [0-9]+, column [0-9]+ \\(table Clients\\): card id 'AB:12' breaks 10p5's rules .*--renommer-carte 'AB:12=NEWID'"
refused "a login our rules refuse" "$W/space.sql" "\\(table Utilisateurs\\): login 'jean dupont' breaks 10p5's rules .*--renommer-login 'jean dupont=NEW'"
refused "a password that is not bcrypt" "$W/nomdp.sql" "\\(table Utilisateurs\\): the password of 'bde' is not a bcrypt hash"
refused "a product that is not beer" "$W/cafe.sql" "\\(table Prix\\): product 'cafe' is not 'biere' or 'biere<n>'"
refused "an unused renaming" "$W/dump.sql" "--renommer-carte NOPE: the dump has no such card" --renommer-carte NOPE=NEW
imp "$W/db/fresh.db" "$W/ghost.sql"
ok "$([ "$RC" = 1 ] && [ ! -e "$W/db/fresh.db" ]; echo $?)" "a refused dump does not even create the database file"

imp "$W/db/f.db" --renommer-carte AB:12=AB12 "$W/colon.sql"
is "$RC" 0 "--renommer-carte AB:12=AB12 lets the card in"
is "$(q "$W/db/f.db" "SELECT c.card || ' ' || c.balance || ' ' || t.id FROM clients c JOIN transactions t ON t.client_id = c.id WHERE c.card = 'AB12'")" \
	"AB12 300 30" "with its balance and its transactions"
imp "$W/db/g.db" --renommer-login 'jean dupont=jean.dupont' "$W/space.sql"
is "$RC$(q "$W/db/g.db" "SELECT droit FROM users WHERE login = 'jean.dupont'")" 02 \
	"--renommer-login 'jean dupont=jean.dupont' lets the user in"

before=$(rows "$A")
imp "$A" "$W/dump.sql"
is "$RC" 1 "a database that already holds data is refused"
like "$ERR" "the database already holds 7 client\\(s\\), 5 user\\(s\\), 15 transaction\\(s\\) and 2 price\\(s\\)" \
	"saying what it holds"
is "$(rows "$A")" "$before" "and nothing is added to it"

# --- first logins, through the API --------------------------------------------------

# A state directory of its own, as start_stack makes one (under Apache it is
# given to the web server's user, who could not enter $W).
DATA=$(mktemp -d /tmp/10p5-test.XXXXXX)
cp "$A" "$DATA/10p5.db"
REUSE=1
PORT=
start_stack
hash_of() { sql "SELECT substr(password, 1, 4) FROM users WHERE login = '$1' AND deleted_ms IS NULL"; }

call utilisateur/connexion "login=prez&mdp=ancien+secret+prez"
is "$(st) $(val .droit)" "ok 3" "an old password logs in through utilisateur/connexion"
P=$(val .jeton)
is "$(hash_of prez)" '$s1$' "and the stored hash is scrypt afterwards"
call utilisateur/connexion "login=prez&mdp=ancien+secret+prez"
is "$(st)" ok "the same password logs in again, against scrypt"
call utilisateur/connexion "login=barman&mdp=barman-2015"
is "$(st)" identifiants_invalides "a wrong password against a bcrypt hash is refused"
is "$(hash_of barman)" '$2y$' "and leaves the bcrypt hash"
is "$(sql "SELECT fails FROM limits WHERE kind = 1 AND login = 'barman'")" 1 "and counts as a failed login"
call utilisateur/connexion "login=barman&mdp=barman-2016"
is "$(st) $(hash_of barman)" 'ok $s1$' "the right one logs in and is stored as scrypt"
call utilisateur/connexion "idCarte=BADGE01"
is "$(st) $(val .login) $(val .droit)" "ok barman 2" "a staff card still opens its account"
call utilisateur/connexion "login=Barman&mdp=barman-2016"
is "$(st)" identifiants_invalides "logins are exact from now on (MySQL ignored case)"

call client/fiche "jeton=$P&idCarte=AHS0DIEX"
is "$(val '.solde') $(val '[.transactions[] | "\(.id):\(.type):\(.montant):\(.valide)"] | join(" ")')" \
	"48.3 1:1:50:true 2:3:1.7:true 3:3:1.8:false" "client/fiche: balance and history with the old ids"
call client/fiche "jeton=$P&idCarte=CARD0002"
is "$(val '.transactions[-1] | "\(.id) \(.type) \(.montant) \(.utilisateur)"')" "15 5 1.7 import-php" \
	"the adjustment shows in the card's history"
call utilisateur/liste "jeton=$P"
is "$(val '[.utilisateurs[] | "\(.login):\(.droit):\(.idCarte)"] | join(" ")')" \
	"barman:2:BADGE01 bde:1:null pot.de-miel_0:0:null prez:3:null" "utilisateur/liste: rights and cards"
call statistiques "jeton=$P"
is "$(val '"\(.recettes) \(.consommationsNb) \(.factureBDE)"')" "10.6 6 1085.49" \
	"statistiques: adjustments are neither takings nor openings"
call client/payer "jeton=$P&idCarte=CARD0002&montant=1.3"
is "$(st) $(val .soldeNouveau)" "ok 17" "an imported card pays"
is "$("$ADMIN" -d "$DB" check)" "ledger ok" "and the ledger still holds"

# The OAuth login page goes through the same check.
call app/creer "jeton=$P&nom=Portail&redirect_uri=https://portail.example.org/cb"
CID=$(val .client_id)
V=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
H=$(printf %s "$V" | sha256sum)
CH=$(printf '%b' "$(sed 's/\(..\)/\\x\1/g' <<<"${H:0:64}")" | base64 -w0 | tr '+/' '-_' | tr -d =)
AQ="response_type=code&client_id=$CID&redirect_uri=https%3A%2F%2Fportail.example.org%2Fcb&scope=lecture&state=s&code_challenge=$CH&code_challenge_method=S256"
get "oauth/authorize?$AQ" -c "$DATA/jar"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' <<<"$REPLY" | cut -d'"' -f4)
get oauth/authorize -b "$DATA/jar" --data "$AQ&csrf=$CSRF&decision=autoriser&login=bde" \
	--data-urlencode "mdp=bde mot de passe"
like "$HEADERS" $'\n[Ll]ocation: https://portail\\.example\\.org/cb\\?code=' \
	"an old password logs in on the OAuth page"
is "$(hash_of bde)" '$s1$' "which stores it as scrypt too"
if [ "$T_FAIL" = 0 ]; then rm -rf "$W"; else diag "the dumps and databases are kept in $W"; fi
finish
