#!/usr/bin/env bash
# The operator's command: first president (on a database it creates),
# password reset, the ledger check (and that it catches a drifted balance),
# online backup during a payment storm, and restore.
. "$(dirname "$0")/lib.sh"
start_stack
P=$(admin_jeton)
ok "$([ ${#P} = 30 ]; echo $?)" "the president from ADMIN_LOGIN / ADMIN_MDP can log in"

# One step to a first president, on a database that does not exist yet.
mkdir -p "$DATA/neuf" "$DATA/vide"
out=$(ADMIN_MDP=neuf-secret-1 "$ADMIN" -d "$DATA/neuf/10p5.db" president chef 2>&1)
is "$?: $out" "0: president chef created" "president on a database that does not exist creates it"
"$ADMIN" -d "$DATA/neuf/10p5.db" check >/dev/null
is "$?" 0 "a database ready to serve (its ledger checks)"
out=$("$ADMIN" -d "$DATA/vide/10p5.db" check 2>&1)
is "$?: $out" "1: 10p5-admin: no database at $DATA/vide/10p5.db (10p5-admin init creates it)" \
	"a command that needs a database says plainly that there is none"
is "$(ls -A "$DATA/vide")" "" "and leaves no file behind"

out=$("$ADMIN" -d "$DB" bootstrap)
is "$out" "" "bootstrap leaves a database with users alone"
out=$(ADMIN_MDP= "$ADMIN" -d "$DB" president chef)
like "$out" "password \(shown once\): [0-9A-Za-z]{20}" "a new president gets a generated password, printed once"
pw=${out##*: }
call utilisateur/connexion "login=chef&mdp=$pw"
is "$(st) $(val .droit)" "ok 3" "which logs in as droit 3"
C=$(val .jeton)
call cle/creer "jeton=$C&nom=chef-script"
KC=$(val .cle)
out=$(ADMIN_MDP=new-chef-secret "$ADMIN" -d "$DB" president chef)
is "$out" "president chef reset; ended: sessions 1, API keys 1, OAuth grants 0" "a reset says what it ended"
call utilisateur/connexion "login=chef&mdp=$pw"
is "$(st)" identifiants_invalides "a reset retires the old password"
call client/liste "jeton=$C"
is "$(st)" jeton_invalide "and ends the president's sessions"
call client/liste "jeton=$KC"
is "$(st) $(val .raison)" "jeton_invalide inconnu" "and revokes the president's API keys"
is "$(sql "SELECT json_extract(detail, '\$.revoque.cles') FROM journal WHERE json_extract(detail, '\$.requete') = 'admin/president/reinitialiser'")" 1 \
	"the journal says so too"
call utilisateur/connexion "login=chef&mdp=new-chef-secret"
is "$(st)" ok "the new password works"
ADMIN_MDP=short "$ADMIN" -d "$DB" president chef 2>/dev/null
is "$?" 1 "a too-short password is refused"
"$ADMIN" -d "$DB" president "bad login" 2>/dev/null
is "$?" 1 "a malformed login is refused"
is "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -ac -e 'new-chef-secret' -e "$pw")" 0 "no password is stored in clear"

call client/ajouter "jeton=$P&idCarte=BK1&solde=1000"
for i in $(seq 5000); do echo "client/payer jeton=$P&idCarte=BK1&montant=0.1"; done | storm 8 >"$DATA/storm.out" &
storm_pid=$!
paid() { as_owner sqlite3 -cmd ".timeout 5000" "$1" "SELECT count(*) FROM transactions WHERE type = 3"; }
# Once payments are landing (a readiness wait, not a clock), back up.
for _ in $(seq 3000); do [ "$(paid "$DB")" -ge 50 ] && break; sleep 0.01; done
as_owner "$ADMIN" -d "$DB" backup "$DATA/backup.db"
is "$?" 0 "an online backup is taken during a payment storm"
ok "$(kill -0 "$storm_pid" 2>/dev/null; echo $?)" "while the storm is still running"
wait "$storm_pid"
is "$(jq -r .status "$DATA/storm.out" | sort -u)" ok "the storm was not disturbed"
out=$("$ADMIN" -d "$DATA/backup.db" check)
is "$?$out" "0ledger ok" "the backup passes the ledger check"
n=$(paid "$DATA/backup.db")
ok "$([ "$n" -ge 50 ] && [ "$n" -lt 5000 ]; echo $?)" "the backup holds part of the storm ($n of 5000 payments)"
is "$(sqlite3 "$DATA/backup.db" "SELECT balance FROM clients")" $((100000 - n * 10)) \
	"and exactly the balance those payments leave: a consistent snapshot"
is "$("$ADMIN" -d "$DB" check)" "ledger ok" "the live database passes the check"

sql "UPDATE clients SET balance = balance + 1 WHERE card = 'BK1'"
out=$("$ADMIN" -d "$DB" check)
is "$?" 1 "a balance that drifted from its ledger fails the check"
like "$out" "client BK1: balance [0-9.]+, valid transactions sum to [0-9.]+" "and the check names the client"
stop_stack
# A restore waits for the database's lock a bounded time, then says why it
# gave up, rather than waiting for ever.
setsid sqlite3 -cmd ".timeout 10000" "$DB" "BEGIN IMMEDIATE;" ".shell touch $DATA/locked" ".shell sleep 60" >/dev/null 2>&1 &
lock_pid=$!
for _ in $(seq 1000); do [ -e "$DATA/locked" ] && break; sleep 0.01; done
out=$(TENP5_BUSY_TIMEOUT=300 timeout 20 "$ADMIN" -d "$DB" restore "$DATA/backup.db" 2>&1)
is "$?" 1 "a restore while the database stays locked gives up (after TENP5_BUSY_TIMEOUT) and exits 1"
like "$out" "stayed locked" "and says why"
kill -- -"$lock_pid" 2>/dev/null
wait "$lock_pid" 2>/dev/null
before=$(sql 'SELECT id FROM identity')
is "$(sqlite3 "$DATA/backup.db" 'SELECT id FROM identity')" "$before" "a backup holds its database's identity"
out=$("$ADMIN" -d "$DB" restore "$DATA/backup.db")
is "$?" 0 "the backup is restored"
after=$(sql 'SELECT id FROM identity')
is "$out" "identity $after" "under a new identity, which the restore prints"
ok "$([[ $after =~ ^[0-9a-f]{32}$ ]] && [ "$after" != "$before" ]; echo $?)" \
	"another one than the database had: the web tills see that the server went back in time"
is "$("$ADMIN" -d "$DB" check)" "ledger ok" "the restored database passes the check"
is "$(sqlite3 "$DB" 'SELECT balance FROM clients')" "$(sqlite3 "$DATA/backup.db" 'SELECT balance FROM clients')" \
	"with the backup's balance"
out=$("$ADMIN" -d "$DB" new-identity)
is "$?: $out" "0: identity $(sql 'SELECT id FROM identity')" "new-identity gives the database a new identity and prints it"
ok "$([ "${out#identity }" != "$after" ]; echo $?)" "another one again"
is "$("$ADMIN" -d "$DB" check)" "ledger ok" "and changes nothing else that the check sees"
"$ADMIN" -d "$DB" new-identity extra 2>/dev/null
is "$?" 2 "new-identity takes no argument"
n=$(for i in 1 2 3; do "$ADMIN" -d "$DATA/id$i.db" init && sqlite3 "$DATA/id$i.db" 'SELECT id FROM identity'; done |
	grep -cE '^[0-9a-f]{32}$' | cat; for i in 1 2 3; do sqlite3 "$DATA/id$i.db" 'SELECT id FROM identity'; done | sort -u | wc -l)
is "$(echo $n)" "3 3" "each database created gets an identity of its own"
"$ADMIN" -d "$DB" nonsense 2>/dev/null
is "$?" 2 "an unknown command is a usage error"
finish
