# Helpers for the utilisateur suites (utilisateur.t, utilisateur_mdp.t),
# sourced after lib.sh: the journal rows of user administration, a user's
# stored password, and a search of the database files for a secret's text.

# jcount: the number of journal rows for user administration.
jcount() { sql "SELECT count(*) FROM journal WHERE event = 'utilisateur'"; }
# jlast LOGIN: the last such row as "actor|cred_kind|1 if its detail names LOGIN".
jlast() {
	sql "SELECT u.login, j.cred_kind, j.detail LIKE '%\"$1\"%' FROM journal j
	     LEFT JOIN users u ON u.id = j.user_id
	     WHERE j.event = 'utilisateur' ORDER BY j.id DESC LIMIT 1"
}
# pw_of LOGIN: the stored password hash of a live login.
pw_of() { sql "SELECT password FROM users WHERE login = '$1' AND deleted_ms IS NULL"; }
# in_db_files TEXT: how many times TEXT occurs in the live database files
# (main file and WAL).
in_db_files() { cat "$DB" "$DB-wal" 2>/dev/null | grep -ca -- "$1"; }
