#!/usr/bin/env bash
# The live feed when something fails or races, through the test builds'
# hooks: a credential's re-check that meets a database error ends the stream;
# an event that cannot be rendered is tried again, never skipped; streams
# demoted while they copy events out get nothing of a president's after
# their demotion.
. "$(dirname "$0")/lib.sh"
fastcgi_only "the FastCGI feed process's faults (plain CGI streams from the journal)"

# --- a re-check that fails -----------------------------------------------------
start_stack TENP5_TEST_FAIL=recheck:2 # the first check is the stream's admission
P=$(admin_jeton)
call cle/creer "jeton=$P&nom=mur&droit=2"
K=$(val .cle)
sse wall -H "Authorization: ApiKey $K" ""
sse_wait wall '^retry'
call utilisateur/ajouter "jeton=$P&login=apres&mdp=apres-secret-1&droit=1" # re-checks at once
sse_wait wall '^event: fin'
ok $? "a stream whose credential cannot be re-checked (database error) ends"
is "$(sse_data wall fin)" '{"status":"erreur_bdd"}' "with fin erreur_bdd, as an API call would answer"
sse_stop wall

# --- an event that cannot be rendered ------------------------------------------
# The feed reads the journal's last rows when it starts; the third row after
# those fails to render, once.
next_stack
P=$(admin_jeton)
call cle/creer "jeton=$P&nom=caisse&droit=2"
K=$(val .cle)
call client/ajouter "jeton=$P&idCarte=RENDU&solde=50"
rows=$(sql "SELECT count(*) FROM journal WHERE event IN ('transaction', 'annulation', 'refaire', 'client', 'prix', 'utilisateur', 'verrou', 'cle', 'app')")
stop_stack
REUSE=1 start_stack TENP5_TEST_FAIL=render:$((rows + 3)):1
start=$(newest)
sse till -H "Authorization: ApiKey $K" "types=transaction"
sse_wait till '^retry'
for i in 1 2 3 4 5; do call client/payer "idCarte=RENDU&montant=1" -H "Authorization: ApiKey $K"; done
sse_wait till 'soldeNouveau":45[,}]'
is "$(sse_ids till)" "$(sql "SELECT group_concat(id, ' ') || ' ' FROM journal WHERE id > $start AND event = 'transaction'")" \
	"an event that failed to render once is tried again: every payment reaches the stream, once, in order"
sse_stop till

# --- a demotion while streams copy events out ------------------------------------
# Twenty streams of a president following one card are held (a test hook)
# between reading their shape and copying events out of the ring. Meanwhile
# the president is demoted to bar member and the card's overdraft changes;
# then a bar member's key is revoked: its stream's fin says the feed has
# handled all of it. Released, the held streams get nothing of the overdraft:
# its event comes after their demotion.
HOLD=$(mktemp -u /tmp/10p5-hold.XXXXXX)
next_stack TENP5_TEST_PAUSE="collect:$HOLD"
P=$(admin_jeton)
add_user "$P" prez2 prez2-secret-1 3
add_user "$P" bar bar-secret-1 2
P2=$(login prez2 prez2-secret-1)
B=$(login bar bar-secret-1)
call cle/creer "jeton=$B&nom=temoin&droit=2"
KW=$(val .cle) KW_ID=$(val .id)
call client/ajouter "jeton=$P&idCarte=DEMOTE&solde=50"
call client/ajouter "jeton=$P&idCarte=TEMOIN&solde=50"
N=20
for i in $(seq $N); do sse "held$i" -H "Authorization: Bearer $P2" "client=DEMOTE"; done
sse witness -H "Authorization: ApiKey $KW" "client=TEMOIN"
for i in $(seq $N); do sse_wait "held$i" '^retry'; done
sse_wait witness '^retry'
: >"$HOLD"
call client/payer "jeton=$P&idCarte=DEMOTE&montant=1"
for _ in $(seq 3000); do [ -e "$HOLD.held" ] && break; sleep 0.01; done
ok "$([ -e "$HOLD.held" ]; echo $?)" "the streams are held between reading their shape and the ring"
call utilisateur/droit "jeton=$P&login=prez2&droit=2"
call client/decouvert "jeton=$P&idCarte=DEMOTE&decouvert=oui"
call cle/supprimer "jeton=$B&id=$KW_ID"
sse_wait witness '^event: fin'
ok $? "the feed has published the demotion and the overdraft (a later key's revocation ended its stream)"
rm -f "$HOLD"
call client/payer "jeton=$P&idCarte=DEMOTE&montant=1"
for i in $(seq $N); do sse_wait "held$i" 'soldeNouveau":48[,}]'; done
shown=0
for i in $(seq $N); do
	[ -n "$(sse_data "held$i" client | jq -c 'select(has("decouvert"))')" ] && shown=$((shown + 1))
done
is "$shown" 0 "none of the $N streams demoted while held shows the overdraft that came after"
is "$(sse_events held1)" "transaction transaction " "each gets the card's two payments, before and after"
for i in $(seq $N); do sse_stop "held$i"; done
sse_stop witness
finish
