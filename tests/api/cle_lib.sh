# Helpers for the key suites (cle*.t, doc/integrators.md), sourced after
# lib.sh: the stack with its users and a card, and the keys made the way a
# user makes them.
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/cle_lib.sh"
#   cle_stack                        # prez (P), bar (B), bde (E), miel (M), bar2 (B2), card CAFE1
#   read -r ID KEY <<<"$(new_key "$B" nom)"
#   cle_finish                       # no key's secret at rest or in a log; finish

KEYS=() # every key created, to prove none is written down anywhere

# The stack, and the users and card every key suite starts from. ENV as
# start_stack takes it.
cle_stack() {
	start_stack "$@"
	P=$(admin_jeton)
	add_user "$P" bar bar-secret-1 2
	add_user "$P" bde bde-secret-1 1
	add_user "$P" miel miel-secret-1 0
	add_user "$P" bar2 bar2-secret-1 2
	B=$(login bar bar-secret-1)
	E=$(login bde bde-secret-1)
	M=$(login miel miel-secret-1)
	B2=$(login bar2 bar2-secret-1)
	call client/ajouter "jeton=$P&idCarte=CAFE1&solde=100"
	BAR_ID=$(sql "SELECT id FROM users WHERE login = 'bar' AND deleted_ms IS NULL")
}

now_ms() { date +%s%3N; }
# The 6 base-62 digits of the CRC-32 (IEEE) of a key's first 35 characters.
B62=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz
check6() {
	local c out= i
	c=$(printf %s "$1" | gzip -c | tail -c8 | head -c4 | od -An -tu4 | tr -d ' ')
	for i in 1 2 3 4 5 6; do
		out=${B62:c % 62:1}$out
		c=$((c / 62))
	done
	echo "$out"
}
# new_key JETON NOM [more params]: creates a key, prints "id key".
new_key() {
	call cle/creer "jeton=$1&nom=$2${3:+&$3}"
	[ "$(st)" = ok ] || echo "# new_key $2: $REPLY" >&2
	echo "$(val .id) $(val .cle)"
}
# The president's view of one key's row in cle/liste.
key_entry() {
	call cle/liste "jeton=$P"
	val "[.cles[] | select(.id == $1)][0]"
}
# wait_uses ID N: polls cle/liste (up to 30 s: a readiness wait, the lag
# itself is checked apart) until the key shows N uses; prints how long it
# took in ms.
wait_uses() {
	local t0 i
	t0=$(now_ms)
	for i in $(seq 150); do
		[ "$(key_entry "$1" | jq -r .utilisations)" = "$2" ] && break
		sleep 0.2
	done
	echo $(($(now_ms) - t0))
}
auth() { printf 'Authorization: %s' "$*"; }

# Every key made by the suite has the key shape, and no key's secret part is
# in the database, its -wal file or the workers' logs; the ledger holds.
cle_finish() {
	is "$(printf '%s\n' "${KEYS[@]}" | grep -cvE '^10p5_[0-9A-Za-z]{36}$')" 0 "all ${#KEYS[@]} keys made here have the key shape"
	printf '%s\n' "${KEYS[@]}" | grep -E '^10p5_[0-9A-Za-z]{36}$' | cut -c12- >"$DATA/secrets"
	is "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -acFf "$DATA/secrets")" 0 "none of the keys' secret parts is in the db or -wal file"
	is "$(cat "$DATA"/log/*.log 2>/dev/null | grep -acFf "$DATA/secrets")" 0 "nor in the workers' logs"
	ledger_ok
	ok $? "the ledger invariant holds"
	finish
}
