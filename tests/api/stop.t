#!/usr/bin/env bash
# One signal stops everything: `make run` in a terminal is a process group
# (make, then nginx/run.sh); Ctrl-C sends SIGINT to the whole group, a
# supervisor SIGTERM. Either, once, must leave no process of the stack behind,
# every time. Processes are found by the stack's data directory (in their
# environment or command line), never by name.
. "$(dirname "$0")/lib.sh"

# The PIDs of the processes of the stack whose data directory is $1.
stack_processes() {
	local p
	for p in /proc/[0-9]*; do
		if grep -qsaF "TENP5_DB=$1/10p5.db" "$p/environ" ||
			tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF "$1/run"; then
			echo "${p#/proc/}"
		fi
	done
}

# cycle SIGNAL: starts the stack under a parent shell in a new process group
# (as make is in a terminal), waits until it answers, sends SIGNAL once to the
# group, and prints what is left after the launcher exits ("" if nothing).
# A background job starts with SIGINT ignored, which a shell cannot undo:
# perl restores the default first, as a terminal's foreground job has it.
# A port taken between free_port and nginx's bind is another port's try.
cycle() {
	local data port pgid deadline try
	data=$(mktemp -d /tmp/10p5-stop.XXXXXX)
	for try in 1 2 3; do
		port=$(free_port)
		BIN=$BIN PORT=$port DATA=$data ACCESS_LOG=off ADMIN_LOGIN=prez ADMIN_MDP=prez-secret-1 \
			setsid perl -e '$SIG{INT} = $SIG{QUIT} = "DEFAULT"; exec @ARGV or die' \
			bash -c '"$1"; exit $?' run "$ROOT/nginx/run.sh" \
			>"$data/run.out" 2>&1 </dev/null &
		pgid=$!
		deadline=$((SECONDS + 180))
		until grep -q "is listening" "$data/run.out" 2>/dev/null; do
			if ! kill -0 "$pgid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
				wait "$pgid" 2>/dev/null
				grep -q "Address already in use" "$data/run.out" && [ "$try" -lt 3 ] && continue 2
				echo "did-not-start: $(tail -n 5 "$data/run.out" | tr '\n' ' ')"
				return
			fi
			sleep 0.05
		done
		break
	done
	kill -"$1" -- "-$pgid"
	deadline=$((SECONDS + 30))
	# The launcher's parent ends with it; a zombie is not a live process.
	while [ -n "$(ps -o stat= -p "$pgid" | grep -v Z)" ] && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.05
	done
	if [ "$SECONDS" -ge "$deadline" ]; then
		echo "still-running-after-30s"
		kill -KILL -- "-$pgid" 2>/dev/null
	fi
	wait "$pgid" 2>/dev/null
	# A process killed in the middle of a write to the disk leaves /proc
	# once the write ends: a few seconds on a slow disk.
	deadline=$((SECONDS + 10))
	while left=$(stack_processes "$data") && [ -n "$left" ] && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.1
	done
	if [ -n "$left" ]; then
		for p in $left; do printf '%s(%s) ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"; done
		printf '| %s' "$(tail -n 5 "$data/run.out" | tr '\n' ' ')"
		kill -KILL $left 2>/dev/null
	else
		rm -rf "$data"
	fi
}

for sig in TERM INT; do
	bad=""
	for i in 1 2 3 4 5 6; do
		out=$(BIN=$BIN cycle "$sig")
		[ -n "$out" ] && bad+="[$i: $out] "
	done
	is "$bad" "" "one SIG$sig to the group stops the whole stack, 6 times out of 6"
done
echo "1..$T_N"
exit $((T_FAIL > 254 ? 254 : T_FAIL))
