# Helpers for the API tests: a fresh stack (nginx + spawn-fcgi pools + SQLite
# file) per test file on a free loopback port, curl calls shaped like the
# Android app's, database peeks, and TAP output for prove.
#
#   . "$(dirname "$0")/lib.sh"
#   start_stack                      # env such as TENP5_SESSION_TTL=... is passed on
#   call client/payer "jeton=$J&idCarte=AB12&montant=1.5"
#   is "$(st)" ok "a payment goes through"
#   finish                           # stops the stack, checks its logs, prints the plan

set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${BIN:-$ROOT/build}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
ADMIN=$BIN/bin/10p5-admin
STATIC_BIN=${STATIC_BIN:-$ROOT/build-static}
case $STATIC_BIN in /*) ;; *) STATIC_BIN=$ROOT/$STATIC_BIN ;; esac
WWW=            # the web directory of an Apache stack (start_apache)
T_N=0
T_FAIL=0
STACK_PID=
REPLY=
CODE=
HEADERS=

ok() { # ok CONDITION-STATUS NAME
	T_N=$((T_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		echo "# failed: $T_N - $2" >&2 # prove shows stderr, and hides # lines
		T_FAIL=$((T_FAIL + 1))
	fi
}

is() { # is GOT EXPECTED NAME
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" >&2
	fi
}

like() { # like GOT REGEX NAME
	if [[ $1 =~ $2 ]]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected to match: %s\n' "$1" "$2" >&2
	fi
}

unlike() { # unlike GOT REGEX NAME
	if [[ $1 =~ $2 ]]; then
		ok 1 "$3"
		printf '#   got:      %s\n#   expected not to match: %s\n' "$1" "$2" >&2
	else
		ok 0 "$3"
	fi
}

diag() { printf '# %s\n' "$*"; }

# The test clock: test builds add the offset this file holds (ms) to their
# wall clock, so a suite ages sessions and lock-outs without sleeping. The file
# keeps its length, since workers read it through a shared mapping.
CLOCK_MS=0
clock_set() { # clock_set MS
	CLOCK_MS=$1
	printf '%-31s\n' "$1" | dd of="$DATA/clock" conv=notrunc status=none
}
# The self-contained programs of make static (CGI_MODE=chroot) are a
# production build, which reads no test clock: there clock_forward waits for
# the wall clock to move that far, and only a few seconds may be asked.
clock_forward() { # clock_forward SECONDS
	if [ "${CGI_MODE:-}" = chroot ]; then
		[ "$1" -le 5 ] || { echo "Bail out! clock_forward $1 needs a test build's clock"; exit 1; }
		local until=$(($(date +%s%N) / 1000000 + $1 * 1000))
		while [ $(($(date +%s%N) / 1000000)) -lt "$until" ]; do sleep 0.05; done
		return
	fi
	clock_set $((CLOCK_MS + $1 * 1000))
}

# A free port below the range the kernel gives out to outgoing connections
# (32768 and up here), so that no client of another test takes it meanwhile.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 12000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
	return 1
}

# fastcgi_only WHY: ends a suite about the FastCGI processes as skipped, with
# WHY, where the stack is plain CGI under Apache (STACK=apache).
fastcgi_only() {
	[ "${STACK:-nginx}" = apache ] || return 0
	echo "1..0 # SKIP $1"
	exit 0
}

# Starts the stack with the given VAR=value settings. Sets PORT, URL, DATA, DB.
# With REUSE=1 it starts again on the same DATA and PORT (a restart). With
# STACK=apache the binaries are deployed as plain CGI under Apache instead,
# as on a shared host.
start_stack() {
	local try
	if [ "${REUSE:-}" != 1 ]; then
		DATA=$(mktemp -d /tmp/10p5-test.XXXXXX)
		PORT=
	fi
	DB=$DATA/10p5.db
	STACK_ENV=("$@")
	[ -f "$DATA/clock" ] || clock_set 0
	set -- "$@" TENP5_ADDR_FAILS="${TENP5_ADDR_FAILS:-1000}" TENP5_TEST_CLOCK="$DATA/clock"
	if [ -n "${VALGRIND:-}" ]; then
		# Every worker under memcheck; scrypt made cheap so logins stay quick.
		set -- "$@" TENP5_SCRYPT_N=1024 TENP5_BUSY_TIMEOUT=30000 \
			WRAP="$(command -v valgrind) --quiet --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --track-fds=no --log-file=$DATA/log/valgrind-%p.log"
	fi
	for try in 1 2 3; do
		[ "${REUSE:-}" = 1 ] && [ -n "$PORT" ] || PORT=$(free_port)
		URL=http://127.0.0.1:$PORT
		rm -f "$DATA/run.out" # a restart must not read the last run's
		if [ "${STACK:-nginx}" = apache ]; then
			start_apache "$@"
		else
			# ACCESS_LOG=on keeps nginx's access log in the data directory.
			env "$@" BIN="$BIN" PORT="$PORT" DATA="$DATA" \
				ACCESS_LOG="$([ "${ACCESS_LOG:-off}" = on ] && echo "$DATA/log/nginx-access.log" || echo off)" \
				ADMIN_LOGIN="${ADMIN_LOGIN:-prez}" ADMIN_MDP="${ADMIN_MDP:-prez-secret-1}" \
				"$ROOT/nginx/run.sh" >"$DATA/run.out" 2>&1 &
			STACK_PID=$!
		fi
		# Ready when it says so (run.sh waits on the API itself) or, for
		# Apache, when coucou answers: a generous deadline, since a busy
		# machine starts slowly, and a dead launcher ends the wait.
		local deadline=$((SECONDS + 180))
		while [ "$SECONDS" -lt "$deadline" ]; do
			if grep -q "is listening" "$DATA/run.out" 2>/dev/null ||
				{ [ "${STACK:-nginx}" = apache ] && curl -sf -o /dev/null "$URL/api/coucou"; }; then
				trap 'stop_stack' EXIT
				return 0
			fi
			kill -0 "$STACK_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill -TERM "$STACK_PID" 2>/dev/null
		wait "$STACK_PID" 2>/dev/null
	done
	echo "Bail out! the stack did not start:"
	sed 's/^/# /' "$DATA/run.out" "$DATA"/log/*.log 2>/dev/null
	exit 1
}

# The area binaries of $BIN, or of the build given (build/cgi-bin also holds
# their object files).
binaries() { find "${1:-$BIN}/cgi-bin" -maxdepth 1 -type f -perm -u+x ! -name '*.o' | sort; }

# The shared-host deployment (STACK=apache): each binary copied as <area>.cgi
# next to the generated .htaccess, the web app and 10p5.conf (the stack's
# settings, and the database outside the web root), as doc/deploy.md says,
# and Apache in the foreground with the minimal server of
# apache/httpd.conf.in. Run as root, Apache serves as www-data. CGI_MODE says
# how the host runs the programs:
#   plain   as Apache's user (the state directory is given to www-data);
#   suexec  as the site's owner, through Debian's suEXEC, which strips every
#           variable of the site's: the site is ~$SUEXEC_USER/<run>/ (mod_userdir),
#           a dedicated user's, who owns the state directory;
#   chroot  the self-contained binaries of STATIC_BIN (make static), in an
#           empty chroot, the state directory: it holds the web directory, the
#           database, the test clock and /dev/urandom, nothing else the
#           programs could use (Apache's ChrootDir).
SUEXEC_USER=tenp5cgi
start_apache() {
	local mode=${CGI_MODE:-plain} www=$DATA/www bins=$BIN conf="" kv site="" docroot user group
	mkdir -p "$DATA/run" "$DATA/log"
	case $mode in
	suexec)
		id -u "$SUEXEC_USER" >/dev/null 2>&1 ||
			useradd --create-home --shell /usr/sbin/nologin "$SUEXEC_USER" 2>/dev/null ||
			id -u "$SUEXEC_USER" >/dev/null || return 1
		local home
		home=$(getent passwd "$SUEXEC_USER" | cut -d: -f6)
		install -d -o "$SUEXEC_USER" -g "$SUEXEC_USER" -m 0755 "$home" "$home/public_html"
		www=$home/public_html/${DATA##*/}
		URL=$URL/~$SUEXEC_USER/${DATA##*/}
		site=$(suexec_site "$SUEXEC_USER" "$home")
		;;
	chroot)
		bins=$STATIC_BIN
		site="ChrootDir $DATA"
		mkdir -p "$DATA/dev" "$DATA${DATA%/*}"
		[ -c "$DATA/dev/urandom" ] || mknod -m 444 "$DATA/dev/urandom" c 1 9
		# Apache checks its paths before it enters the chroot, and uses them
		# inside it: there, the state directory's own path leads to its root.
		[ -L "$DATA$DATA" ] || ln -s / "$DATA$DATA"
		;;
	esac
	WWW=$www
	mkdir -p "$www"
	for b in $(binaries "$bins"); do cp "$b" "$www/${b##*/}.cgi"; done
	cp -r "$ROOT"/www/. "$www/"
	cp "$BIN/apache/htaccess" "$www/.htaccess"
	# The programs' settings only: a front server's pool sizes (POOL_*) mean
	# nothing to a CGI program, and its configuration file refuses them.
	for kv in TENP5_DB="$DB" "$@"; do
		case $kv in TENP5_*) conf+="${kv%%=*}=${kv#*=}"$'\n' ;; esac
	done
	# In the chroot, paths are the chroot's.
	[ "$mode" = chroot ] && conf=${conf//"$DATA/"/\/}
	printf '%s' "$conf" >"$www/10p5.conf"
	local admin=("$ADMIN") db=$DB
	if [ "$mode" = chroot ]; then
		# The database is made as on the host: by the static 10p5-admin,
		# inside the chroot, which holds it beside the programs.
		mkdir -p "$DATA/bin"
		cp "$STATIC_BIN/bin/10p5-admin" "$DATA/bin/"
		admin=(chroot "$DATA" /bin/10p5-admin) db=/${DB#"$DATA/"}
		set -- "${@//"$DATA/"/\/}"
	fi
	env "$@" TENP5_DB="$db" "${admin[@]}" init >/dev/null
	env "$@" TENP5_DB="$db" ADMIN_LOGIN="${ADMIN_LOGIN:-prez}" ADMIN_MDP="${ADMIN_MDP:-prez-secret-1}" \
		"${admin[@]}" bootstrap >/dev/null
	if [ "$(id -u)" = 0 ]; then
		user=www-data group=www-data
		if [ "$mode" = suexec ]; then
			# The site's owner keeps the database; Apache keeps its own files.
			chown -R "$SUEXEC_USER:$SUEXEC_USER" "$DATA" "$www"
			chown -R "$user:$group" "$DATA/run" "$DATA/log"
			chmod 0711 "$DATA"
		else
			chown -R "$user:$group" "$DATA"
		fi
	else
		user=$(id -un) group=$(id -gn)
	fi
	# The server's own root: the site itself, but for suEXEC, which serves
	# only ~user/ sites (a site under the server's root would run as www-data).
	docroot=$www
	[ "$mode" = suexec ] && docroot=$DATA/run
	apache_launch "$site" "$docroot" "$user" "$group"
}

# apache_launch SITE DOCROOT USER GROUP: Apache in the foreground on $PORT
# with the minimal server of apache/httpd.conf.in, SITE's lines added (what
# a kind of host does), DOCROOT its root, serving as USER:GROUP. Sets
# STACK_PID.
apache_launch() {
	SITE=$1 awk -v port="$PORT" -v data="$DATA" -v www="$2" -v user="$3" -v group="$4" '
		{ gsub(/@PORT@/, port); gsub(/@DATA@/, data); gsub(/@WWW@/, www)
		  gsub(/@USER@/, user); gsub(/@GROUP@/, group) }
		/^@SITE@$/ { printf "%s\n", ENVIRON["SITE"]; next }
		{ print }' "$ROOT/apache/httpd.conf.in" >"$DATA/httpd.conf"
	# In a session of its own: when stopping, Apache signals its whole
	# process group, which would otherwise be the test's.
	setsid apache2 -f "$DATA/httpd.conf" -DFOREGROUND >"$DATA/run.out" 2>&1 &
	STACK_PID=$!
}

# suexec_site USER HOME: the lines that serve USER's ~/public_html through
# suEXEC (mod_userdir), as a shared host does.
suexec_site() {
	cat <<SITE
LoadModule userdir_module /usr/lib/apache2/modules/mod_userdir.so
LoadModule suexec_module /usr/lib/apache2/modules/mod_suexec.so
UserDir public_html
UserDir disabled
UserDir enabled $1
<Directory $2/public_html>
	AllowOverride All
	Options Indexes FollowSymLinks MultiViews
	Require all granted
</Directory>
SITE
}

stop_stack() {
	trap - EXIT
	if [ -n "${REPLICA_PID:-}" ]; then # replica_start's
		kill -TERM -- "-$REPLICA_PID" 2>/dev/null
		wait "$REPLICA_PID" 2>/dev/null
		REPLICA_PID=
	fi
	if [ -n "$STACK_PID" ]; then
		kill -TERM "$STACK_PID" 2>/dev/null
		wait "$STACK_PID" 2>/dev/null
		STACK_PID=
	fi
}

# The worker PIDs of a pool ("client", "client-lecture", "divers"...).
pool_pids() {
	pgrep -P "$(cat "$DATA/run/$1.pid")" | tr '\n' ' '
}

# The workers' logs hold no valgrind or sanitizer report.
check_logs() {
	local found
	if [ -n "${VALGRIND:-}" ]; then
		# --quiet: a log says something only when there is an error to report.
		found=$(grep -lE 'are (definitely|indirectly) lost|Invalid |uninitialised|Mismatched|Syscall param|overlap' \
			"$DATA"/log/valgrind-*.log 2>/dev/null)
		is "$found" "" "valgrind: no invalid access and no leak in any worker"
		[ -z "$found" ] || sed 's/^/# /' $found | head -80
	fi
	if [ -n "${SANITIZED:-}" ]; then
		found=$(grep -lE 'AddressSanitizer|LeakSanitizer|runtime error:' "$DATA"/log/*.log 2>/dev/null)
		is "$found" "" "no sanitizer report in the workers' logs"
		[ -z "$found" ] || sed 's/^/# /' $found | head -60
	fi
}

# next_stack [VAR=value...]: stops the stack, checks its logs and starts a
# fresh one with other settings.
next_stack() {
	stop_stack
	check_logs
	if [ "$T_FAIL" = 0 ]; then rm -rf "$DATA" ${WWW:+"$WWW"}; else diag "the previous stack's files are kept in $DATA"; fi
	start_stack "$@"
}

# Stops the stack, checks the workers' logs, prints the plan and exits.
finish() {
	stop_stack
	check_logs
	echo "1..$T_N"
	[ "$T_FAIL" = 0 ] && rm -rf "$DATA" ${WWW:+"$WWW"}
	exit $((T_FAIL > 254 ? 254 : T_FAIL))
}

# call PATH BODY [curl args...]: POSTs BODY (already urlencoded) to /api/PATH
# the way the Android app does. Sets REPLY (body), CODE (HTTP status) and
# HEADERS.
call() {
	local path=$1 body=$2
	shift 2
	split_reply "$(curl -s -D - -w '\n%{http_code}' --data-binary "$body" "$@" "$URL/api/$path")"
}

# get PATH [curl args...]: a GET of $URL/PATH, same outputs as call.
get() {
	local path=$1
	shift
	split_reply "$(curl -s -D - -w '\n%{http_code}' "$@" "$URL/$path")"
}

# url_base: the path of $URL from the host's root ("" but on a ~user/ site),
# which the pages' own links and cookie paths start with.
url_base() { [[ $URL =~ ^[a-z]+://[^/]+(.*)$ ]] && printf '%s\n' "${BASH_REMATCH[1]}"; }

split_reply() {
	local all=$1 crlf=$'\r\n\r\n'
	CODE=${all##*$'\n'}
	all=${all%$'\n'*}
	# Interim "100 Continue" answers go; only a status line says 100 (a
	# "Content-Length: 100" header once sent a whole answer with them).
	while [[ ${all%%$'\r\n'*} =~ ^HTTP/[0-9.]+\ 100 ]]; do all=${all#*"$crlf"}; done
	HEADERS=${all%%"$crlf"*}
	REPLY=${all#*"$crlf"}
	[ "$HEADERS" = "$all" ] && REPLY=
}

# urlenc VALUE / urldec VALUE: percent-encoding both ways (urlenc escapes
# every byte outside [A-Za-z0-9._~-]), without a process per value.
urlenc() {
	local LC_ALL=C s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c"; out+=$c ;;
		esac
	done
	printf '%s\n' "$out"
}
urldec() { local s=${1//+/ }; printf '%b' "${s//%/\\x}"; }

st() { jq -r .status <<<"$REPLY"; }        # the reply's status
val() { jq -r "$1" <<<"$REPLY"; }          # val '.soldeNouveau'
# jv 'EXPR, EXPR': several values of the reply, space-separated (strings bare,
# anything else as JSON: null, true, numbers).
jv() { jq -r "[$1] | map(if type == \"string\" then . else tojson end) | join(\" \")" <<<"$REPLY"; }
# sql STATEMENTS: run on the test's database, waiting (as the workers do) while
# a worker holds the write lock: a worker between turns may be writing key uses
# or forgetting stale sessions, and a statement that gave up at once would
# leave the test checking what it meant to change. As the database's owner
# (as_owner), since under plain CGI it may be the one to create -wal or -shm.
sql() { as_owner sqlite3 -batch -noheader -cmd ".timeout 10000" "$DB" "$1"; }
# as_owner CMD...: CMD as the database's owner when the tests run as root and
# the stack does not (Apache's CGI runs as www-data, suEXEC's as the site's
# owner). While the site is live, a process of root's that opens the database
# may create its -wal or -shm file, which SQLite hands to the database's owner
# only just after creating it: a CGI opening it in that instant gets it
# read-only, and its payment fails.
as_owner() {
	local owner
	owner=$(stat -c %U "$DB" 2>/dev/null)
	if [ "$(id -u)" = 0 ] && [ -n "$owner" ] && [ "$owner" != root ]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}
# hdr NAME: the first value of a header of the last reply (without the name
# and the CR), "" if absent.
hdr() {
	local line name=${1,,}
	while IFS= read -r line; do
		line=${line%$'\r'}
		if [[ ${line,,} == "$name:"* ]]; then
			line=${line:${#name}+1}
			printf '%s\n' "${line#"${line%%[! ]*}"}"
			return
		fi
	done <<<"$HEADERS"
}
# balance CARD: a client's balance in cents, from the database.
balance() { sql "SELECT balance FROM clients WHERE card = '$1'"; }
# sessions_of LOGIN: the number of sessions a live login holds.
sessions_of() {
	sql "SELECT count(*) FROM sessions WHERE user_id =
	     (SELECT id FROM users WHERE login = '$1' AND deleted_ms IS NULL)"
}
# sha TEXT: the SHA-256 of TEXT in upper-case hex, as sqlite's hex() shows it
# (and as X'...' takes it).
sha() { local h; h=$(printf %s "$1" | sha256sum); h=${h%% *}; printf '%s\n' "${h^^}"; }

# login LOGIN MDP: prints a fresh jeton.
login() {
	call utilisateur/connexion "login=$1&mdp=$2"
	val .jeton
}

# The first president's jeton, and a helper to create staff.
admin_jeton() { login "${ADMIN_LOGIN:-prez}" "${ADMIN_MDP:-prez-secret-1}"; }
add_user() { # add_user JETON LOGIN MDP DROIT
	call utilisateur/ajouter "jeton=$1&login=$2&mdp=$3&droit=$4"
	[ "$(st)" = ok ] || echo "# add_user $2: $REPLY" >&2
}
# staff_stack [VAR=value...]: start_stack, then the staff most suites work
# with, logged in: the president (P), bar (B, right 2) and bde (E, right 1).
staff_stack() {
	start_stack "$@"
	P=$(admin_jeton)
	add_user "$P" bar bar-secret-1 2
	add_user "$P" bde bde-secret-1 1
	B=$(login bar bar-secret-1)
	E=$(login bde bde-secret-1)
}

# held HOLD: waits until a worker stands at the pause point armed with the
# file HOLD (test builds, lib/hooks.h: it writes HOLD.held there, and goes on
# once HOLD is removed); 1 if none came within 30 s.
held() {
	for _ in $(seq 3000); do [ -e "$1.held" ] && return 0; sleep 0.01; done
	return 1
}

# oauth_code JETON SCOPE LOGIN MDP: an app made with JETON, then the
# authorization request with PKCE through the consent page, as LOGIN: prints
# "CLIENT_ID CLIENT_SECRET CODE", for oauth_exchange.
OAUTH_VERIFIER=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ
OAUTH_CB=https%3A%2F%2Ft.example%2Fcb
oauth_code() {
	local cid cs q csrf loc jar=$DATA/oauth.jar ch
	call app/creer "jeton=$1&nom=Jeton%20$2&redirect_uri=$OAUTH_CB"
	cid=$(val .client_id) cs=$(val .client_secret)
	ch=$(printf "$(printf %s "$OAUTH_VERIFIER" | sha256sum | cut -c1-64 | sed 's/../\\x&/g')" | base64 -w0 | tr '+/' '-_' | tr -d '=')
	q="client_id=$cid&redirect_uri=$OAUTH_CB&response_type=code&scope=$2&code_challenge=$ch&code_challenge_method=S256"
	csrf=$(curl -s -c "$jar" "$URL/oauth/authorize?$q" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
	loc=$(curl -s -b "$jar" -o /dev/null -w '%{redirect_url}' "$URL/oauth/authorize" \
		--data "$q&csrf=$csrf&login=$3&mdp=$4&decision=autoriser")
	rm -f "$jar"
	echo "$cid $cs $(sed 's/.*code=\([^&]*\).*/\1/' <<<"$loc")"
}
# oauth_exchange CLIENT_ID CLIENT_SECRET CODE: the code for tokens; prints
# the token endpoint's answer.
oauth_exchange() {
	curl -s -u "$1:$2" "$URL/oauth/token" \
		-d "grant_type=authorization_code&code=$3&redirect_uri=$OAUTH_CB&code_verifier=$OAUTH_VERIFIER"
}
# oauth_token JETON SCOPE LOGIN MDP: both: prints the access token.
oauth_token() {
	local cid cs code
	read -r cid cs code <<<"$(oauth_code "$@")"
	oauth_exchange "$cid" "$cs" "$code" | jq -r .access_token
}
# ledger_ok: the admin command's invariant check passes.
ledger_ok() {
	as_owner "$ADMIN" -d "$DB" check >/dev/null 2>&1
}

# pages PATH BODY LIMITE ORDRE: the ids of the list PATH answers (its
# `transactions`), read LIMITE at a time in ORDRE (ancien or recent), each
# page asked from the last one's suivant (as apres oldest first, as avant
# newest first); comma-separated. A refusal, a page longer than LIMITE or a
# suivant that does not move prints what went wrong instead.
pages() {
	local path=$1 body=$2 limite=$3 ordre=$4 key=apres from= ids= page n=0
	[ "$ordre" = recent ] && key=avant
	while [ $((n += 1)) -le 1000 ]; do
		call "$path" "$body&limite=$limite&ordre=$ordre${from:+&$key=$from}"
		[ "$(st)" = ok ] || { echo "$(st)"; return; }
		[ "$(val '.transactions | length')" -le "$limite" ] || { echo "a page of more than $limite"; return; }
		page=$(val '[.transactions[].id] | join(",")')
		ids=$ids${ids:+${page:+,}}$page
		[ "$(val 'has("suivant")')" = true ] || break
		[ "$(val .suivant)" != "$from" ] || { echo "suivant does not move"; return; }
		from=$(val .suivant)
	done
	echo "$ids"
}

# storm CONCURRENCY < LINES: each line is "PATH BODY [ADDRESS]" (BODY
# urlencoded); all are POSTed to /api/PATH by one curl process with that many
# requests in flight, each given 30 s at most, from ADDRESS if given. Prints
# one reply per line, in input order.
storm() {
	local conc=$1 dir i=0 path body addr
	dir=$(mktemp -d)
	while read -r path body addr; do
		i=$((i + 1))
		[ "$i" -gt 1 ] && echo next
		printf 'url = "%s/api/%s"\ndata-binary = "%s"\noutput = "%s/%06d"\n' \
			"$URL" "$path" "$body" "$dir" "$i"
		[ -z "$addr" ] || printf 'interface = "%s"\n' "$addr"
		printf 'dump-header = "%s/h%06d"\nmax-time = 30\nsilent\n' "$dir" "$i"
	done >"$dir/config"
	# STORM_PIDFILE: where curl's PID goes, for a test that stops it midway
	# (the requests it had not answered print as empty lines).
	curl --parallel --parallel-max "$conc" -K "$dir/config" 2>/dev/null &
	[ -z "${STORM_PIDFILE:-}" ] || echo $! >"$STORM_PIDFILE"
	wait $!
	# One line per request, in order; STORM_CODES=1 puts the HTTP code first
	# (000: no answer at all).
	awk -v dir="$dir" -v n="$i" -v codes="${STORM_CODES:-}" 'BEGIN {
		for (k = 1; k <= n; k++) {
			f = sprintf("%s/%06d", dir, k); h = sprintf("%s/h%06d", dir, k)
			code = "000"
			if ((getline line < h) > 0 && match(line, /^HTTP\/[0-9.]+ [0-9]+/))
				code = substr(line, RSTART + RLENGTH - 3, 3)
			close(h)
			body = ""
			while ((getline line < f) > 0)
				body = body line
			close(f)
			if (codes != "")
				printf "%s ", code
			print body
		}
	}'
	rm -rf "$dir"
}

# The live feed. sse NAME [curl args...] QUERY: opens a stream in the background
# into $DATA/sse.NAME (the query after /api/evenements?).
sse() {
	local name=$1
	shift
	curl -sN --max-time 120 "${@:1:$#-1}" "$URL/api/evenements?${!#}" >"$DATA/sse.$name" 2>/dev/null &
	eval "SSE_$name=$!"
}
sse_stop() { local v="SSE_$1"; kill "${!v}" 2>/dev/null; wait "${!v}" 2>/dev/null; }
# sse_wait NAME REGEX: waits (30 s at most) until the stream holds REGEX.
sse_wait() {
	local deadline=$((SECONDS + 30))
	until grep -qE "$2" "$DATA/sse.$1" 2>/dev/null; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}
sse_ids() { sed -n 's/^id: //p' "$DATA/sse.$1" | tr '\n' ' '; }
sse_events() { sed -n 's/^event: //p' "$DATA/sse.$1" | tr '\n' ' '; }
# sse_data NAME EVENT: the data lines of one kind of event, one per line.
sse_data() { awk -v e="$2" '/^event: / { k = substr($0, 8) } /^data: / && k == e { print substr($0, 7) }' "$DATA/sse.$1"; }
# ticket JETON: a stream's ticket; newest: the journal's newest id.
ticket() { call evenements/ticket "jeton=$1"; val .ticket; }
newest() { sql "SELECT max(id) FROM journal"; }

# The replication between two data directories on one machine, as between two
# machines (doc/deploy.md, "Replication" and "The primary is dead"). Needs
# make deps-replica.
LITESTREAM=${LITESTREAM:-$ROOT/replica/node_modules/@flydotio/litestream-linux-x64/litestream}
REPLICA_PID=
# replica_start DIR: Litestream follows $DB and ships it to the file replica DIR,
# as production's configuration does (monitor and sync every second); its log
# is $DATA/log/litestream.log. Returns once the replica holds a snapshot.
replica_start() {
	REPLICA_URL=file://$1
	cat >"$DATA/litestream.yml" <<-YML
	dbs:
	  - path: $DB
	    monitor-interval: 1s
	    replicas:
	      - type: file
	        path: $1
	        sync-interval: 1s
	YML
	setsid "$LITESTREAM" replicate -config "$DATA/litestream.yml" >>"$DATA/log/litestream.log" 2>&1 </dev/null &
	REPLICA_PID=$!
	local deadline=$((SECONDS + 60))
	until "$LITESTREAM" snapshots "$REPLICA_URL" 2>/dev/null | grep -q '^file'; do
		[ "$SECONDS" -lt "$deadline" ] && kill -0 "$REPLICA_PID" 2>/dev/null ||
			{ echo "Bail out! the replication did not start"; sed 's/^/# /' "$DATA/log/litestream.log"; exit 1; }
		sleep 0.05
	done
}
# primary_kill: the primary machine dies. Its replication and every process
# of its stack (the launcher, each pool with its workers, nginx) get SIGKILL,
# by PID, at once; KILL_MS is the time (ms) of the kill.
primary_kill() {
	local groups=() f
	for f in "$DATA"/run/*.pid; do groups+=("-$(cat "$f")"); done
	kill -KILL "$STACK_PID" "-$REPLICA_PID" "${groups[@]}" 2>/dev/null
	KILL_MS=$(($(date +%s%N) / 1000000))
	wait "$STACK_PID" "$REPLICA_PID" 2>/dev/null
	STACK_PID= REPLICA_PID=
}
# standby_serve DIR: the standby takes over at the same address: the replica
# restored into the empty data directory DIR (10p5-admin restore-replica, which
# checks it and gives it a new identity; its output in $RESTORE_OUT), then the
# stack started on it on the same port. DATA and DB then name the standby's.
standby_serve() {
	mkdir -p "$1"
	RESTORE_OUT=$(TENP5_LITESTREAM=$LITESTREAM "$ADMIN" -d "$1/10p5.db" restore-replica "$REPLICA_URL" 2>&1) ||
		{ echo "Bail out! the replica was not restored:"; sed 's/^/# /' <<<"$RESTORE_OUT"; exit 1; }
	DATA=$1
	REUSE=1 start_stack "${STACK_ENV[@]}"
}
