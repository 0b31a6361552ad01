#!/usr/bin/env bash
# The README's commands run as written: `make run` with the variables its
# table gives (PORT, DATA, ADMIN_LOGIN and ADMIN_MDP, or a generated password
# without them; the data kept across a restart), and the curl tour against
# that server, each answer with the shape the README shows (the same keys,
# each with a value of the same JSON type, and the same status).
. "$(dirname "$0")/lib.sh"
README=$ROOT/README.md
case $BIN in "$ROOT"/*) BUILD=${BIN#"$ROOT"/} ;; *) BUILD=$BIN ;; esac

# The tour: the first sh block of its section, continuation lines joined.
TOUR=$(awk '
	/^## A five-minute tour/ { in_section = 1; next }
	in_section && /^## / { exit }
	in_section && /^```sh$/ { in_block = 1; next }
	in_block && /^```$/ { exit }
	in_block { print }
' "$README" | sed -e ':a' -e '/\\$/N; s/\\\n *//; ta')
ok "$([ -n "$TOUR" ]; echo $?)" "the README has its curl tour"

# serve COMMAND...: runs COMMAND in the background (PORT and DATA in its
# environment; new_port picks PORT first) and returns once it says it listens.
SERVE_PID=
new_port() {
	PORT=$(free_port)
	URL=http://127.0.0.1:$PORT
}
serve() {
	PORT=$PORT DATA=$DATA "$@" >"$DATA.out" 2>&1 &
	SERVE_PID=$!
	local deadline=$((SECONDS + 180))
	while [ "$SECONDS" -lt "$deadline" ]; do
		grep -q "is listening on http://127.0.0.1:$PORT/" "$DATA.out" && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "Bail out! $* did not start:"
	sed 's/^/# /' "$DATA.out"
	exit 1
}
stop_serving() {
	kill -TERM "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID" 2>/dev/null
	SERVE_PID=
}
trap '[ -z "$SERVE_PID" ] || stop_serving; rm -f "$DATA.out"' EXIT
# run_make WORDS...: `make WORDS` with the test's build, on a free port, with
# PORT and DATA on its command line as the README gives them (not the
# suite's make: its jobserver and level are not this one's).
run_make() {
	new_port
	serve env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$ROOT" "$@" BUILD="$BUILD" HOOKS=1 \
		PORT="$PORT" DATA="$DATA"
}
# run_script [env args...]: what make run runs, nginx/run.sh, on a free port.
run_script() {
	new_port
	serve env "$@" BIN="$BIN" "$ROOT/nginx/run.sh"
}

# shape: each value replaced by its JSON type; an array by its elements'
# distinct shapes.
SHAPE='def shape: if type == "object" then with_entries(.value |= shape)
	elif type == "array" then map(shape) | unique else type end; shape'

DATA=$(mktemp -d /tmp/10p5-test.XXXXXX)
DB=$DATA/10p5.db

# Runs the tour: the make run line starts the server, each curl line runs
# against it and is compared with the answer shown in the comment lines
# after it, each NAME=VALUE line takes VALUE from the last real answer (where
# the README shows an example secret).
expected= actual= cmd= shown=0 runs=0 last_expected= last_actual=
compare() {
	[ -n "$cmd" ] || return 0
	if [ -z "$expected" ]; then
		ok 1 "the README shows what \`$cmd\` answers"
	else
		local want got
		want=$(jq -cS "$SHAPE" <<<"$expected" 2>&1)
		got=$(jq -cS "$SHAPE" <<<"$actual" 2>&1)
		is "$(jq -r .status <<<"$actual" 2>/dev/null) $got" "$(jq -r .status <<<"$expected") $want" \
			"README: \`${cmd:0:90}\` answers the status and shape shown"
		shown=$((shown + 1))
	fi
	cmd= expected=
}
while IFS= read -r line; do
	case $line in
	'make run'*)
		line=${line%%#*}
		eval "words=(${line#make })"
		run_make "${words[@]}"
		runs=$((runs + 1))
		;;
	'curl '*)
		compare
		cmd=$line
		actual=$(eval "${line//localhost:8080/localhost:$PORT}")
		;;
	'# {'*)
		expected=${line#'# '}
		;;
	'#  '*)
		[ -z "$expected" ] || expected+=${line#'#  '}
		;;
	[A-Z]*=*)
		compare
		name=${line%%=*} value=${line#*=}
		key=$(jq -r --arg v "$value" 'to_entries[] | select(.value == $v) | .key' <<<"$last_expected")
		if [ -n "$key" ]; then
			printf -v "$name" %s "$(jq -r --arg k "$key" '.[$k]' <<<"$last_actual")"
		else
			printf -v "$name" %s "$value"
		fi
		;;
	esac
	# What the NAME=VALUE lines read: the last command's answers.
	[ -z "$expected" ] || last_expected=$expected
	[ -z "$actual" ] || last_actual=$actual
done <<<"$TOUR"
compare
is "$runs" 1 "the tour starts the server with make run"
ok "$([ "$shown" -ge 10 ]; echo $?)" "the tour ran $shown commands, each answering as shown"

# make run's variables: the state directory holds what the README says, and
# the president is the one ADMIN_LOGIN and ADMIN_MDP named.
ok "$([ -f "$DB" ] && [ -d "$DATA/log" ] && [ -d "$DATA/run" ]; echo $?)" \
	"make run keeps its database, logs and sockets in DATA"
is "$(sql "SELECT login, droit FROM users WHERE deleted_ms IS NULL")" "prez|3" \
	"on an empty database, ADMIN_LOGIN and ADMIN_MDP make the first president"
stop_serving

# What make run runs (nginx/run.sh, with the same variables) keeps the data
# when it runs again on the same DATA, and adds no president.
run_script
is "$(balance AHS0DIEX)" 4750 "run again on the same DATA, it keeps the data"
is "$(sql "SELECT count(*) FROM users")" 1 "and creates no other president"
stop_serving
rm -rf "$DATA" "$DATA.out"

# Without ADMIN_LOGIN and ADMIN_MDP, a president named president, with a
# password generated and printed once.
DATA=$(mktemp -d /tmp/10p5-test.XXXXXX)
DB=$DATA/10p5.db
run_script -u ADMIN_LOGIN -u ADMIN_MDP
pw=$(sed -n 's/^password (shown once): //p' "$DATA.out")
like "$pw" '^[0-9A-Za-z]{20}$' "without ADMIN_LOGIN and ADMIN_MDP, a generated password is printed once"
call utilisateur/connexion "login=president&mdp=$pw"
is "$(st) $(val .droit)" "ok 3" "which opens the president's account, named president"
stop_serving
trap - EXIT
rm -f "$DATA.out"

finish
