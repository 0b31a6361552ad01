#!/usr/bin/env bash
# The live feed when something fails or races, through the test builds'
# hooks: a credential's re-check that meets a database error ends the stream.
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
finish
