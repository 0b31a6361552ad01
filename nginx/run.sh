#!/usr/bin/env bash
# Runs 10p5 in the foreground: one FastCGI pool per API area (spawn-fcgi opens
# the socket, multiwatch keeps N workers alive on it) and nginx in front.
# Ctrl-C or SIGTERM stops everything this script started, by PID.
#
# Environment: BIN (build directory), PORT, DATA (state directory), ADMIN_LOGIN
# and ADMIN_MDP (first president of an empty database), POOL_<AREA> (workers
# per area), ACCESS_LOG (path, or "off"), EXTRA_CONF (a file of nginx
# directives added to the server block, e.g. the benchmark's reference
# location), WRAP (a command the workers run under, by absolute path, e.g.
# valgrind), and any
# TENP5_* setting.
set -euo pipefail

conf=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${BIN:-build}" && pwd)
PORT=${PORT:-8080}
mkdir -p "${DATA:-./var}"
DATA=$(cd "${DATA:-./var}" && pwd)
run=$DATA/run
log=$DATA/log
mkdir -p "$run/tmp" "$log"
export TENP5_DB=${TENP5_DB:-$DATA/10p5.db}

# Pools: "socket binary workers". Payments go through a single writer (see
# nginx/api.conf), which commits the payments queued behind each other
# together; the client area's reads have their own pool. Logins cost ~40 ms
# of scrypt each, which the workers run at idle CPU priority (lib/password.c),
# so a storm of logins cannot starve the till. multiwatch respawns a worker
# that dies, giving up only on a crash loop (100 deaths, each within 2 s of
# its start), and stops its workers with SIGTERM, honoured between requests.
pools=(
	"client client ${POOL_CLIENT:-1}"
	"client-lecture client ${POOL_CLIENT_LECTURE:-3}"
	"utilisateur utilisateur ${POOL_UTILISATEUR:-2}"
	"transaction transaction ${POOL_TRANSACTION:-2}"
	"divers divers ${POOL_DIVERS:-2}"
	"cle cle ${POOL_CLE:-1}"
	"app app ${POOL_APP:-1}"
	"oauth oauth ${POOL_OAUTH:-2}"
)

exec 9>"$run/lock"
if ! flock -n 9; then
	echo "10p5: another instance is running on $DATA" >&2
	exit 1
fi

"$BIN/bin/10p5-admin" init
"$BIN/bin/10p5-admin" bootstrap

pids=()
stop() {
	trap - EXIT INT TERM
	((${#pids[@]})) && kill -TERM "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for p in "${pools[@]}"; do
	read -r sock bin workers <<<"$p"
	# A pool of one worker commits the writes queued behind each other
	# together (group commit, see lib/server.c); with more, it cannot.
	group=1
	[ "$workers" = 1 ] && group=${TENP5_GROUP:-16}
	TENP5_GROUP=$group spawn-fcgi -n -s "$run/$sock.sock" -M 0600 -- \
		"$(command -v multiwatch)" -f "$workers" -r 100 -t 2000 -s TERM -- ${WRAP:-} "$BIN/cgi-bin/$bin" \
		>>"$log/$bin.log" 2>&1 &
	pids+=($!)
	echo $! >"$run/$sock.pid" # multiwatch's: its children are the pool's workers
done

user=""
[ "$(id -u)" = 0 ] && user="user root;"  # sockets are 0600, owned by the caller
sed -e "s|@USER@|$user|" -e "s|@PORT@|$PORT|g" -e "s|@RUN@|$run|g" -e "s|@LOG@|$log|g" \
	-e "s|@CONF@|$conf|g" -e "s|@ACCESS_LOG@|${ACCESS_LOG:-$log/nginx-access.log}|g" \
	-e "s|@EXTRA@|${EXTRA_CONF:+include $EXTRA_CONF;}|" \
	"$conf/10p5.conf.in" >"$run/nginx.conf"
sed -e "s|@RUN@|$run|g" -e "s|@CONF@|$conf|g" -e "s|@WWW@|${WWW:-$(dirname "$conf")/www}|g" \
	-e "s|@ROUTES@|$run/routes.conf|g" "$conf/api.conf" >"$run/api.conf"
sed -e "s|@RUN@|$run|g" -e "s|@CONF@|$conf|g" "$BIN/nginx/routes.conf" >"$run/routes.conf"
sed -i "s|include $conf/api.conf;|include $run/api.conf;|" "$run/nginx.conf"
nginx -e "$log/nginx-error.log" -p "$run" -c "$run/nginx.conf" -g 'daemon off;' &
pids+=($!)

for _ in $(seq 100); do
	if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/coucou" 2>/dev/null; then
		echo "10p5 is listening on http://127.0.0.1:$PORT/api/ (data: $DATA, logs: $log)"
		break
	fi
	kill -0 "${pids[@]}" 2>/dev/null || break
	sleep 0.05
done

# Whichever part stops first stops the rest.
wait -n "${pids[@]}" || true
