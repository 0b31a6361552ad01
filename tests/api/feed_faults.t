#!/usr/bin/env bash
# The live feed when something fails or races, through the test builds'
# hooks: a credential's re-check that meets a database error ends the stream;
# an event that cannot be rendered is tried again, never skipped.
. "$(dirname "$0")/lib.sh"
if [ "${STACK:-nginx}" = apache ]; then
	echo "1..0 # SKIP the FastCGI feed process's faults (plain CGI streams from the journal)"
	exit 0
fi

# --- a re-check that fails -----------------------------------------------------
start_stack TENP5_TEST_FAIL=recheck:1
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
finish
