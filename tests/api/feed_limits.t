#!/usr/bin/env bash
# The feed's limits: no credential, and no crowd, can fill it; past a limit a
# stream is answered 429 trop_de_connexions at once, and tickets still are.
. "$(dirname "$0")/lib.sh"
fastcgi_only "the FastCGI feed process (plain CGI has one stream per process)"
# --- one credential cannot fill the feed ----------------------------------------
# A key's streams past TENP5_FEED_PER_CREDENTIAL are refused at once, whether
# the key comes in the header or through a ticket; other credentials' streams
# still open, and a stream that ends frees its place.
start_stack TENP5_FEED_PER_CREDENTIAL=3
P=$(admin_jeton)
call cle/creer "jeton=$P&nom=caisse&droit=2"
K=$(val .cle)
call cle/creer "jeton=$P&nom=mur&droit=2"
K2=$(val .cle)
for i in 1 2 3; do sse "k$i" -H "Authorization: ApiKey $K" ""; done
opened=0
for i in 1 2 3; do sse_wait "k$i" '^retry' && opened=$((opened + 1)); done
is "$opened" 3 "a key opens as many streams as its limit"
get api/evenements -H "Authorization: ApiKey $K" --max-time 20
is "$CODE $REPLY" '429 {"status":"trop_de_connexions"}' "one more with the same key is answered 429 trop_de_connexions at once"
like "$HEADERS" 'Retry-After: 10' "saying when to come back"
call evenements/ticket "" -H "Authorization: ApiKey $K"
get "api/evenements?ticket=$(val .ticket)" --max-time 20
is "$CODE $REPLY" '429 {"status":"trop_de_connexions"}' "and so is one through a ticket the key took"
sse other -H "Authorization: ApiKey $K2" ""
sse_wait other '^retry'
ok $? "another key's stream still opens"
sse_stop k1
# The feed sees the stream gone at its next write: nginx at a heartbeat, then
# the feed at the next (20 s; waited for up to 2 min, for a sanitized build on
# a loaded machine).
deadline=$((SECONDS + 120))
freed=1
while [ "$SECONDS" -lt "$deadline" ]; do
	sse k4 -H "Authorization: ApiKey $K" ""
	sse_wait k4 '^retry|trop_de_connexions'
	grep -q '^retry' "$DATA/sse.k4" && { freed=0; break; }
	sse_stop k4
	sleep 0.2 # the next try, while the feed has not yet seen k1 go
done
[ "$freed" = 0 ]
ok $? "a stream that ended frees its place for the key's next one"
for s in k2 k3 k4 other; do sse_stop "$s"; done

# --- a full pool ----------------------------------------------------------------
# Past TENP5_FEED_MAX streams in all, one more is refused at once, and the
# feed process still answers tickets (threads are kept for them).
next_stack TENP5_FEED_MAX=3
P=$(admin_jeton)
for i in 1 2 3; do
	call cle/creer "jeton=$P&nom=caisse$i&droit=2"
	sse "full$i" -H "Authorization: ApiKey $(val .cle)" ""
done
opened=0
for i in 1 2 3; do sse_wait "full$i" '^retry' && opened=$((opened + 1)); done
is "$opened" 3 "the feed holds as many streams as TENP5_FEED_MAX"
get "api/evenements?ticket=$(ticket "$P")" --max-time 20
is "$CODE $REPLY" '429 {"status":"trop_de_connexions"}' "one more is answered 429 trop_de_connexions at once"
call evenements/ticket "jeton=$P" --max-time 20
is "$(st)" ok "a ticket is still given while the pool is full"
for i in 1 2 3; do sse_stop "full$i"; done
finish
