#!/usr/bin/env bash
# No credential lands in a log or a file: jetons, API keys and passwords sent
# every way a client may send them (in a body, in the Authorization header,
# in a URL's query string) are searched for in every file of the data
# directory afterwards: the front server's access log, the workers' logs, the
# database and its WAL.
. "$(dirname "$0")/lib.sh"
ACCESS_LOG=on start_stack
SECRETS=(prez-secret-1)
P=$(admin_jeton)
SECRETS+=("$P")
call utilisateur/connexion "login=prez&mdp=wrong-secret-for-the-log"
SECRETS+=(wrong-secret-for-the-log)
add_user "$P" logbar logbar-secret-1 2
SECRETS+=(logbar-secret-1)
call cle/creer "jeton=$P&nom=logs&droit=2"
K=$(val .cle)
SECRETS+=("$K")
get "api/v1/me?jeton=$P"
is "$(st)" ok "a jeton in a URL's query string is accepted on GET v1/me"
get "api/v1/me?jeton=$K"
is "$(st)" ok "so is an API key"
get "api/v1/me?bearer_token=$K"
is "$(st)" ok "in bearer_token too"
call client/liste "" -H "Authorization: ApiKey $K"
is "$(st)" ok "a key in the Authorization header"
call utilisateur/mdp "jeton=$P&login=logbar&mdp=logbar-secret-2"
SECRETS+=(logbar-secret-2)
get "api/nowhere?jeton=$P&mdp=logbar-secret-2"
is "$CODE" 404 "an unknown path with a jeton and a password in its query"
# What holds password hashes and the cookies' key is its owner's alone, and so
# is the lock that keeps a second stack off the data directory.
# (Plain CGI has no lock, and no -wal or -shm between two requests.)
kept=("$DB" "$DB-hash")
[ "${STACK:-}" = apache ] || kept+=("$DB-wal" "$DB-shm" "$DATA/run/lock")
is "$(stat -c '%a' "${kept[@]}" | sort -u | tr '\n' ' ')" "600 " \
	"the database, its -wal, -shm and -hash, and the stack's lock are 0600"
stop_stack
logs=$(find "$DATA/log" -type f -name '*access*')
ok "$([ -n "$logs" ] && [ -s ${logs%% *} ]; echo $?)" "the front server kept an access log ($(basename ${logs%% *}))"
like "$(cat $logs)" 'GET /api/v1/me ' "which names the paths called"
found=""
for s in "${SECRETS[@]}"; do
	f=$(grep -rlaF -- "$s" "$DATA" 2>/dev/null | tr '\n' ' ')
	[ -n "$f" ] && found+="$s in $f; "
done
is "$found" "" "no jeton, key or password appears in any file under the data directory"
finish
