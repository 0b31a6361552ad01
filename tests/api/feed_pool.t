#!/usr/bin/env bash
# The feed process's threads and what they wait on: events reach streams
# while its database jobs (tickets, key uses) wait for the write lock.
. "$(dirname "$0")/lib.sh"
fastcgi_only "the FastCGI feed process (plain CGI has one stream per process)"

# --- delivery while a ticket waits for the write lock ----------------------------
# The writers' queue (the flock on <db>-writer that every write takes before
# BEGIN IMMEDIATE) is held here, so a ticket's insert waits in the feed
# process; a price change written straight into the journal (no queue)
# must still reach a stream.
start_stack TENP5_BUSY_TIMEOUT=60000
P=$(admin_jeton)
call cle/creer "jeton=$P&nom=mur&droit=2"
K=$(val .cle)
sse wall -H "Authorization: ApiKey $K" "types=prix"
sse_wait wall '^retry'
flock "$DB-writer" -c "touch '$DATA/locked'; while [ ! -e '$DATA/unlock' ]; do sleep 0.05; done" &
holder=$!
for _ in $(seq 1000); do [ -e "$DATA/locked" ] && break; sleep 0.01; done
curl -s --max-time 90 --data-binary "jeton=$P" "$URL/api/evenements/ticket" >"$DATA/ticket.out" &
asker=$!
feed=$(pool_pids evenements)
inode=$(stat -c %i "$DB-writer")
waiting() { grep -qE -- "-> FLOCK +ADVISORY +WRITE +${feed% } [0-9a-f]+:[0-9a-f]+:$inode " /proc/locks; }
for _ in $(seq 3000); do waiting && break; sleep 0.01; done
waiting
ok $? "the ticket's insert waits for the writers' lock in the feed process"
sql "INSERT INTO journal (date_ms, cred_kind, event, detail) VALUES ($(date +%s%3N), 0, 'prix', '{\"quantite\":7,\"prix\":2.5}')"
sse_wait wall '"quantite":7'
ok $? "an event committed meanwhile reaches the stream all the same"
touch "$DATA/unlock"
wait "$holder"
wait "$asker"
is "$(jq -r .status "$DATA/ticket.out")" ok "and the ticket is given once the lock is free"
sse_stop wall
finish
