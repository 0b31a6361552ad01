#!/usr/bin/env bash
# doc/deploy.md's shared-hosting section, run as written: a fresh account on
# a host with suEXEC and ~user/ sites (Debian's Apache with mod_userdir), each
# of the section's shell blocks run in order (make static in this repository,
# the others as the account in its home, the site's address being its ~user/
# one), what a block prints compared with what the section shows under its
# commands ("# " lines, "…" standing for anything); then the president it
# made logs in and the web app is served.
. "$(dirname "$0")/lib.sh"
DATA=$(mktemp -d /tmp/10p5-deploy.XXXXXX)
mkdir -p "$DATA/run" "$DATA/log"
chmod 0755 "$DATA"

# The fresh account, with its public_html, as a host makes it.
acct=tenp5-$(tr -dc a-z0-9 </dev/urandom | head -c 6)
home=$DATA/$acct
useradd --home-dir "$home" --create-home --shell /bin/bash "$acct" || { echo "Bail out! useradd $acct"; exit 1; }
install -d -o "$acct" -g "$acct" -m 0755 "$home" "$home/public_html"
gone() { stop_stack; userdel "$acct" 2>/dev/null; }
trap gone EXIT

PORT=$(free_port)
chown www-data:www-data "$DATA/run" "$DATA/log"
apache_launch "$(suexec_site "$acct" "$home")" "$DATA/run" www-data www-data
for _ in $(seq 3600); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" != 000 ] && break
	kill -0 "$STACK_PID" 2>/dev/null || break
	sleep 0.05
done
SITE=http://127.0.0.1:$PORT/~$acct/

# The section's shell blocks, each as one script.
blocks=$(awk '/^## Plain CGI \(shared hosting\)/ { on = 1; next } /^## / { on = 0 }
	on && /^```sh$/ { n++; code = 1; next } /^```$/ { code = 0 } on && code { print n "\t" $0 }' "$ROOT/doc/deploy.md")
n=$(tail -1 <<<"$blocks" | cut -f1)
ok "$([ "${n:-0}" -ge 3 ]; echo $?)" "the section has its shell blocks (${n:-0})"
for i in $(seq "${n:-0}"); do
	text=$(awk -F'\t' -v i="$i" '$1 == i { sub(/^[^\t]*\t/, ""); print }' <<<"$blocks")
	script=$(grep -v '^# ' <<<"$text" | sed "s|https://your\.host/|$SITE|g")
	want=$(sed -n 's/^# //p' <<<"$text" | sed "s/^you\$/$acct/")
	if grep -q '^make static$' <<<"$script"; then
		out=$(cd "$ROOT" && bash -e -c "$script" 2>&1 >/dev/null)
		rc=$?
		# What the build made is copied to the account's home.
		install -o "$acct" -g "$acct" -m 0644 "$ROOT/build-static/10p5.tar.gz" "$home/"
	else
		out=$(cd "$home" && runuser -u "$acct" -- env -i HOME="$home" USER="$acct" LOGNAME="$acct" \
			PATH=/usr/bin:/bin bash -e -c "$script" 2>"$DATA/block-$i.err")
		rc=$?
	fi
	is "$rc" 0 "block $i runs: $(head -1 <<<"$script")"
	[ "$rc" = 0 ] || sed 's/^/# /' "$DATA/block-$i.err" 2>/dev/null <<<"$out"
	if [ -n "$want" ]; then
		# The shown output as a pattern: "…" is anything, the rest literal.
		pat= rest=$want
		while [[ $rest == *…* ]]; do pat+=$(printf '%q' "${rest%%…*}")'*'; rest=${rest#*…}; done
		pat+=$(printf '%q' "$rest")
		if eval "[[ \$out == $pat ]]"; then
			ok 0 "block $i prints what the section shows"
		else
			ok 1 "block $i prints what the section shows"
			diag "printed: $out"
			diag "shown:   $want"
		fi
	fi
	case $script in *"president chef"*) pw=$(sed -n 's/^password (shown once): //p' <<<"$out") ;; esac
done

# It works: the president logs in through the API, and the web app is there.
URL=${SITE%/}/bar
call utilisateur/connexion "login=chef&mdp=${pw:-}"
is "$(st) $(val .droit)" "ok 3" "the president the section made logs in"
get ""
is "$CODE $(hdr Content-Type)" "200 text/html; charset=utf-8" "the web app is served at the site's address"
ok "$(runuser -u "$acct" -- test -r "$home/10p5-data/10p5.db"; echo $?)" "the database is the account's"
ok "$([ "$(stat -c %a "$home/10p5-data/10p5.db")" = 600 ]; echo $?)" "and its own alone (0600)"

stop_stack
trap - EXIT
userdel "$acct"
echo "1..$T_N"
[ "$T_FAIL" = 0 ] && rm -rf "$DATA"
exit $((T_FAIL > 254 ? 254 : T_FAIL))
