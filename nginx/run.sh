#!/usr/bin/env bash
# Runs 10p5 in the foreground: one FastCGI pool per API area (spawn-fcgi opens
# the socket, multiwatch keeps N workers alive on it) and nginx in front.
# One SIGINT (Ctrl-C) or SIGTERM stops everything this script started: each
# pool and nginx run in a session of their own, so the signal reaches this
# script alone, which stops them in order, by PID, and kills what is still
# there after STOP_GRACE seconds.
#
# Environment: BIN (build directory), PORT, DATA (state directory), ADMIN_LOGIN
# and ADMIN_MDP (first president of an empty database), POOL_<AREA> (workers
# per area), ACCESS_LOG (path, or "off"), EXTRA_CONF (a file of nginx
# directives added to the server block, e.g. the benchmark's reference
# location), WRAP (a command the workers run under, by absolute path, e.g.
# valgrind), WWW (the web app's directory), STOP_GRACE (seconds, 5), and any
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

# Pools: "socket binary workers". Payments go through a single writer (the
# client area's writes), which commits the payments queued behind each other
# together; the client area's reads have their own pool. Logins cost ~40 ms
# of scrypt each, which the workers run at idle CPU priority (lib/password.c),
# so a storm of logins cannot starve the till. The live feed is one process,
# whose threads hold every subscriber (lib/feed.c). multiwatch respawns a worker
# that dies, giving up only on a crash loop (100 deaths, each within 2 s of
# its start), and stops its workers with SIGTERM, honoured between requests.
# Exports (a president's, rare, long) have a worker of their own, so that a
# year's CSV never keeps a shift from opening.
pools=(
	"client client ${POOL_CLIENT:-1}"
	"client-lecture client ${POOL_CLIENT_LECTURE:-3}"
	"client-code client ${POOL_CLIENT_CODE:-1}"
	"utilisateur utilisateur ${POOL_UTILISATEUR:-2}"
	"transaction transaction ${POOL_TRANSACTION:-2}"
	"divers divers ${POOL_DIVERS:-2}"
	"cle cle ${POOL_CLE:-1}"
	"app app ${POOL_APP:-1}"
	"oauth oauth ${POOL_OAUTH:-2}"
	"moi moi ${POOL_MOI:-2}"
	"evenements evenements 1"
	"service service ${POOL_SERVICE:-1}"
	"produit produit ${POOL_PRODUIT:-1}"
	"export export ${POOL_EXPORT:-1}"
	"horsligne horsligne ${POOL_HORSLIGNE:-1}"
)

# One instance per data directory: the lock's file is ours alone, so that
# nobody else can open it to hold the lock and keep the stack from starting.
umask_was=$(umask)
umask 077
exec 9>"$run/lock"
umask "$umask_was"
chmod 600 "$run/lock"
if ! flock -n 9; then
	echo "10p5: another instance is running on $DATA" >&2
	exit 1
fi

# nginx holds a descriptor per client and per request to a pool: take all the
# system allows (at most 65536), for nginx and the pools alike.
nofile=$(ulimit -Hn)
{ [ "$nofile" = unlimited ] || [ "$nofile" -gt 65536 ]; } && nofile=65536
ulimit -n "$nofile"
connections=$((nofile / 2 > 16384 ? 16384 : nofile / 2))

"$BIN/bin/10p5-admin" init
"$BIN/bin/10p5-admin" bootstrap

# Each part is the leader of a session of its own (setsid does not fork a
# process that leads no group, which a background job of a script does not):
# its PID is its process group's, which the stop below kills whole if it
# lingers.
pids=()
stop() {
	local deadline left
	trap - EXIT INT TERM
	((${#pids[@]})) || return 0
	kill -TERM "${pids[@]}" 2>/dev/null || true
	deadline=$((SECONDS + ${STOP_GRACE:-5}))
	while [ "$SECONDS" -lt "$deadline" ]; do
		left=0
		for p in "${pids[@]}"; do
			kill -0 -- "-$p" 2>/dev/null && left=1
		done
		[ "$left" = 0 ] && break
		sleep 0.05
	done
	for p in "${pids[@]}"; do
		kill -KILL -- "-$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for p in "${pools[@]}"; do
	read -r sock bin workers <<<"$p"
	# A pool of one worker commits the writes queued behind each other
	# together (group commit, see lib/writer.c); with more, it cannot.
	group=1
	[ "$workers" = 1 ] && group=${TENP5_GROUP:-16}
	TENP5_GROUP=$group setsid spawn-fcgi -n -s "$run/$sock.sock" -M 0600 -- \
		"$(command -v multiwatch)" -f "$workers" -r 100 -t 2000 -s TERM -- ${WRAP:-} "$BIN/cgi-bin/$bin" \
		>>"$log/$bin.log" 2>&1 </dev/null &
	pids+=($!)
	echo $! >"$run/$sock.pid" # multiwatch's: its children are the pool's workers
done

user=""
[ "$(id -u)" = 0 ] && user="user root;"  # sockets are 0600, owned by the caller
access=${ACCESS_LOG:-$log/nginx-access.log}
[ "$access" = off ] || access="$access tenp5" # the format without query strings
sed -e "s|@USER@|$user|" -e "s|@PORT@|$PORT|g" -e "s|@RUN@|$run|g" -e "s|@LOG@|$log|g" \
	-e "s|@NOFILE@|$nofile|g" -e "s|@CONNECTIONS@|$connections|g" \
	-e "s|@CONF@|$conf|g" -e "s|@ACCESS_LOG@|$access|g" \
	-e "s|@EXTRA@|${EXTRA_CONF:+include $EXTRA_CONF;}|" \
	"$conf/10p5.conf.in" >"$run/nginx.conf"
sed -e "s|@RUN@|$run|g" -e "s|@CONF@|$conf|g" -e "s|@WWW@|${WWW:-$(dirname "$conf")/www}|g" \
	-e "s|@ROUTES@|$run/routes.conf|g" "$conf/api.conf" >"$run/api.conf"
sed -e "s|@RUN@|$run|g" -e "s|@CONF@|$conf|g" "$BIN/nginx/routes.conf" >"$run/routes.conf"
sed -i "s|include $conf/api.conf;|include $run/api.conf;|" "$run/nginx.conf"
setsid nginx -e "$log/nginx-error.log" -p "$run" -c "$run/nginx.conf" -g 'daemon off;' </dev/null &
pids+=($!)

# Ready when every pool's socket exists (a request queues on it until a
# worker takes it) and the API answers through nginx: waited for on a
# generous deadline (a busy machine starts slowly), giving up early if a
# part died.
ready() {
	local p sock
	for p in "${pools[@]}"; do
		read -r sock _ <<<"$p"
		[ -S "$run/$sock.sock" ] || return 1
	done
	curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/coucou" 2>/dev/null
}
deadline=$((SECONDS + ${START_DEADLINE:-120}))
until ready; do
	for p in "${pids[@]}"; do
		if ! kill -0 "$p" 2>/dev/null; then
			echo "10p5: a part stopped while starting (see $log)" >&2
			exit 1
		fi
	done
	if [ "$SECONDS" -ge "$deadline" ]; then
		echo "10p5: not answering after ${START_DEADLINE:-120} s (see $log)" >&2
		exit 1
	fi
	sleep 0.05
done
echo "10p5 is listening on http://127.0.0.1:$PORT/ (web app), /api/ (API) (data: $DATA, logs: $log)"

# Whichever part stops first stops the rest.
wait -n "${pids[@]}" || true
