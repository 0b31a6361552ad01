#!/usr/bin/env bash
# The shared host as it serves the deployment (Apache, CGI_MODE plain, suexec
# or chroot: see start_apache): the web app's own files and the API, and
# nothing else of the directory (10p5.conf, a file left there, the programs by
# their names, a listing); the programs run as the host says (the site's
# owner under suEXEC, inside the chroot); a live stream whose browser went
# away ends within seconds, not when Apache's timeout kills it.
. "$(dirname "$0")/lib.sh"
[ "${STACK:-nginx}" = apache ] || STACK=apache
start_stack TENP5_FEED_CGI_SECONDS=300

get ""
is "$CODE $(hdr Content-Type)" "200 text/html; charset=utf-8" "the web app's page is served at the directory's URL"
get js/app.js
is "$CODE $(hdr Content-Type)" "200 text/javascript; charset=utf-8" "and its modules"
get moi/
like "$CODE $(hdr Content-Type) $REPLY" '^200 text/html; charset=utf-8 .*src="moi\.js"' "the card holders' page is served at moi/"
like "$(hdr Content-Security-Policy)" "^default-src 'self';" "under the web app's content security policy"

# What a treasurer may leave in the directory is not served.
printf 'code du coffre: 1234\n' >"$WWW/notes.txt"
printf '{"secret": "sauvegarde"}\n' >"$WWW/sauvegarde.json"
for path in notes.txt notes sauvegarde.json 10p5.conf .htaccess client.cgi js/ index.html.bak; do
	get "$path"
	is "$CODE $(st)" "404 requete_inconnue" "/$path is not served (a JSON 404)"
	unlike "$REPLY" "coffre|sauvegarde|TENP5_" "and shows nothing of it"
done

# A stream holds one process of the host's for as long as it lasts: when the
# browser goes, the process must end within a few seconds.
P=$(admin_jeton)
call evenements/ticket "jeton=$P"
curl -s -N --max-time 300 "$URL/api/evenements?ticket=$(val .ticket)" >"$DATA/flux.out" &
curl_pid=$!
for _ in $(seq 600); do grep -qs "^retry:" "$DATA/flux.out" && break; sleep 0.05; done
# The stream's program: the process running in the web directory.
stream_pid=
for p in /proc/[0-9]*; do
	[ "$(readlink "$p/cwd" 2>/dev/null)" = "$WWW" ] && stream_pid=${p#/proc/} && break
done
ok "$([ -n "$stream_pid" ]; echo $?)" "a stream is open, served by its own process"
case ${CGI_MODE:-plain} in
suexec)
	is "$(stat -c %U "/proc/$stream_pid")" "$SUEXEC_USER" "under suEXEC, it runs as the site's owner" ;;
chroot)
	is "$(readlink "/proc/$stream_pid/root")" "$DATA" "it runs inside the chroot"
	dynamic=$(for b in $(binaries "$STATIC_BIN"); do
		ldd "$b" 2>&1 | grep -q 'not a dynamic executable' || echo "${b##*/}"; done)
	is "$dynamic" "" "where only self-contained programs can run: ldd finds none of them dynamic" ;;
esac
kill "$curl_pid"
wait "$curl_pid" 2>/dev/null
t0=$(date +%s%N)
for _ in $(seq 1200); do [ -d "/proc/$stream_pid" ] || break; sleep 0.05; done
gone=$((($(date +%s%N) - t0) / 1000000))
ok "$([ ! -d "/proc/$stream_pid" ] && [ "$gone" -le 12000 ]; echo $?)" \
	"the stream's process ends within 12 s of its browser leaving (${gone} ms)"
finish
