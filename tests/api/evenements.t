#!/usr/bin/env bash
# The live feed (doc/feed.md): each kind of event, in order, shaped by the
# subscriber's right; filters; tickets (single-use, 30 s) and credentials
# refused in a URL; resume by id across a disconnect, a killed feed process
# and a restart of the whole stack, every event exactly once; fin when the
# credential goes; a comment line while nothing happens.
. "$(dirname "$0")/lib.sh"
if [ "${STACK:-nginx}" = apache ]; then
	# Plain CGI (shared hosting): a stream lasts TENP5_FEED_CGI_SECONDS and
	# ends; the client comes back with Last-Event-ID and loses nothing.
	start_stack TENP5_FEED_CGI_SECONDS=3
	P=$(admin_jeton)
	tk() { call evenements/ticket "jeton=$P"; val .ticket; }
	call client/ajouter "jeton=$P&idCarte=CGIF1&solde=50"
	t0=$SECONDS
	get "api/evenements?depuis=0&ticket=$(tk)" -N --max-time 30
	like "$CODE $(hdr Content-Type)" "^200 text/event-stream" "under CGI, the feed streams text/event-stream"
	ok "$([ $((SECONDS - t0)) -ge 2 ] && [ $((SECONDS - t0)) -le 15 ]; echo $?)" \
		"for TENP5_FEED_CGI_SECONDS (3), then ends ($((SECONDS - t0)) s)"
	ids=$(sed -n 's/^id: //p' <<<"$REPLY" | tr '\n' ' ')
	is "$ids" "$(sql "SELECT group_concat(id, ' ') || ' ' FROM journal WHERE event IN ('utilisateur', 'transaction', 'client')")" \
		"replaying the journal from depuis=0"
	last=${ids% }
	last=${last##* }
	call client/payer "jeton=$P&idCarte=CGIF1&montant=2"
	get "api/evenements?ticket=$(tk)" -N --max-time 30 -H "Last-Event-ID: $last"
	is "$(sed -n 's/^id: //p' <<<"$REPLY" | tr '\n' ' ')" "$(sql "SELECT group_concat(id, ' ') || ' ' FROM journal WHERE id > $last AND event = 'transaction'")" \
		"the reconnect with Last-Event-ID gets what happened since, once"
	finish
fi
staff_stack

# --- tickets ---------------------------------------------------------------
call evenements/ticket "jeton=$B"
like "$(jv '.status, .ticket')" '^ok 10p5tk_[A-Za-z0-9]{36}$' "a bar member gets a ticket (10p5tk_...)"
is "$(val '.expiration - now * 1000 | . > 25000 and . < 35000')" true "valid 30 s"
TK=$(val .ticket)
is "$(val .depuis)" "$(newest)" "with the journal's newest id, to resume from before any event is seen"
is "$(sql "SELECT count(*) FROM tickets WHERE hash = X'$(sha "$TK")'")" 1 "only its hash is stored"
call evenements/ticket "jeton=$E"
is "$(st)" droits_insuffisants "BDE (right 1) gets none"
cred=$(sql "SELECT cred_kind || ' AND token_id = ' || token_id FROM tickets WHERE hash = X'$(sha "$TK")'")
for i in $(seq 1 25); do echo "evenements/ticket jeton=$B"; done | storm 4 >/dev/null
is "$(sql "SELECT count(*) FROM tickets WHERE cred_kind = $cred")" 20 \
	"a credential keeps its 20 newest tickets, however many it asks for"
TK=$(ticket "$B")

get "api/evenements?ticket=$TK" --max-time 2 -N
like "$CODE $(hdr Content-Type)" "^200 text/event-stream" "the ticket opens a stream of text/event-stream"
like "$REPLY" $'^retry: [0-9]+\n' "which tells clients when to come back"
get "api/evenements?ticket=$TK"
is "$CODE $(jv '.status, .raison')" "200 jeton_invalide inconnu" "a ticket works once"
TK=$(ticket "$B")
clock_forward 31
get "api/evenements?ticket=$TK"
is "$(jv '.status, .raison')" "jeton_invalide expire" "and for 30 s"
B=$(login bar bar-secret-1)
P=$(admin_jeton)
get "api/evenements?jeton=$B"
is "$CODE $(jv '.status, .champ')" "200 requete_malforme jeton" "a jeton in the URL is refused"
get "api/evenements?bearer_token=$B&ticket=$(ticket "$B")"
is "$(jv '.status, .champ')" "requete_malforme bearer_token" "so is a bearer_token, even with a ticket"
get "api/evenements" -H "Authorization: Bearer $E"
is "$CODE $(st)" "403 droits_insuffisants" "right 1 with the Authorization header: HTTP 403"
get "api/evenements"
is "$CODE $(jv '.status, .raison')" "200 jeton_invalide absent" "no credential at all: jeton_invalide absent"
TK=$(ticket "$B")
sql "UPDATE users SET droit = 1 WHERE login = 'bar'"
get "api/evenements?ticket=$TK"
is "$CODE $(st)" "200 droits_insuffisants" "a ticket follows its credential's right now: demoted, refused"
sql "UPDATE users SET droit = 2 WHERE login = 'bar'"
TK=$(ticket "$B")
get "api/evenements?types=transaction,chat&ticket=$TK"
is "$(jv '.status, .champ')" "requete_malforme types" "an unknown kind in types is malformed"
get "api/evenements?types=transaction,&ticket=$TK"
is "$(jv '.status, .champ')" "requete_malforme types" "and an empty item"
get "api/evenements?ticket=$TK" -H "Last-Event-ID: x"
is "$(jv '.status, .champ')" "requete_malforme depuis" "and a Last-Event-ID that is no id"
get "api/evenements?ticket=$TK" --max-time 2 -N
like "$CODE $REPLY" $'^200 retry: ' "none of them spent the ticket"

# --- each kind, in order, shaped by right -----------------------------------
sse bar "ticket=$(ticket "$B")"
sse prez "ticket=$(ticket "$P")"
sse one "client=FEED1&ticket=$(ticket "$B")"
sse prices "types=prix&ticket=$(ticket "$B")"
sse_wait bar '^retry' && sse_wait prez '^retry' && sse_wait one '^retry' && sse_wait prices '^retry'
start=$(newest)
call client/ajouter "jeton=$P&idCarte=FEED1&solde=50"
call client/ajouter "jeton=$B&idCarte=FEED2&solde=20"
call client/payer "jeton=$B&idCarte=FEED1&montant=1.5"
tx=$(val .idTransaction)
call annuler "jeton=$B&idTransaction=$tx"
call refaire "jeton=$B&idTransaction=$tx"
call client/decouvert "jeton=$P&idCarte=FEED1&decouvert=oui"
call prix/modifier "jeton=$P&quantite=3&prix=4"
call utilisateur/ajouter "jeton=$P&login=nouveau&mdp=nouveau-secret-1&droit=2"
call cle/creer "jeton=$P&nom=cachee&droit=2"
KEY=$(val .cle)
call prix/modifier "jeton=$P&quantite=3"
sse_wait prez '"quantite":3,"prix":null' && sse_wait bar '"quantite":3,"prix":null' &&
	sse_wait prices '"quantite":3,"prix":null' && sse_wait one 'event: refaire'
is "$(sse_events prez)" \
	"transaction client transaction client transaction annulation refaire client prix utilisateur prix " \
	"a president sees every kind: transactions, a cancel, a redo, clients, prices, users"
is "$(sse_events bar)" "transaction client transaction client transaction annulation refaire prix prix " \
	"a bar member sees the same but the overdraft change and the staff's administration"
is "$(sse_ids prez)" "$(sql "SELECT group_concat(id, ' ') || ' ' FROM journal WHERE id > $start AND event != 'cle'")" \
	"the ids are the journal's, in order"
is "$(sse_data bar transaction | sed -n 3p)" \
	"{\"id\":$tx,\"type\":3,\"client\":\"FEED1\",\"utilisateur\":\"bar\",\"date\":$(sql "SELECT date_ms FROM transactions WHERE id = $tx"),\"montant\":1.5,\"qte\":0,\"valide\":true,\"moyen\":null,\"service\":null,\"soldeNouveau\":48.5}" \
	"a transaction event is the transaction object and the new balance"
is "$(sse_data bar annulation | jq -c '[.id, .valide, .soldeNouveau]')" "[$tx,false,50]" \
	"an annulation shows the row cancelled and the balance after"
is "$(sse_data bar refaire | jq -c '[.id, .valide, .soldeNouveau]')" "[$tx,true,48.5]" "a refaire, the row valid again"
is "$(sse_data bar client | jq -c 'keys')" $'["date","idCarte","requete","solde"]\n["date","idCarte","requete","solde"]' \
	"a bar member's client events never hold decouvert"
is "$(sse_data prez client | jq -c '[.requete, .decouvert]' | tr '\n' ' ')" \
	'["client/ajouter",false] ["client/ajouter",false] ["client/decouvert",true] ' "a president's do"
is "$(sse_data prez utilisateur | jq -c '[.requete, .login, .droit, .par]')" \
	'["utilisateur/ajouter","nouveau",2,"prez"]' "a user event: what was done, to whom, by whom"
unlike "$(cat "$DATA"/sse.*)" "nouveau-secret|${KEY:-no-key}|10p5_|mdp" "no stream shows a password, a key or a secret"
is "$(sse_events one)" "transaction client transaction annulation refaire " "client=FEED1: that card's events only"
is "$(sse_events prices)" "prix prix " "types=prix: prices only"
sse_stop prez
sse_stop one
sse_stop prices

# --- resume: a disconnect, a killed feed process, a restart ------------------
last=$(sse_ids bar | awk '{ print $NF }')
sse_stop bar
for i in 1 2 3; do call client/payer "jeton=$B&idCarte=FEED2&montant=1"; done
sse back -H "Last-Event-ID: $last" "ticket=$(ticket "$B")"
sse_wait back 'soldeNouveau":17[,}]'
is "$(sse_ids back)" "$(sql "SELECT group_concat(id, ' ') || ' ' FROM journal WHERE id > $last AND event = 'transaction'")" \
	"Last-Event-ID after a disconnect: every event since, once"
last=$(sse_ids back | awk '{ print $NF }')
old=$(pool_pids evenements)
kill -9 $old
sse_stop back
for i in 1 2 3; do call client/payer "jeton=$B&idCarte=FEED2&montant=1"; done
for _ in $(seq 500); do
	new=$(pool_pids evenements)
	[ -n "$new" ] && [ "$new" != "$old" ] && break
	sleep 0.02
done
sse again "depuis=$last&ticket=$(ticket "$B")"
sse_wait again 'soldeNouveau":14[,}]'
is "$(sse_ids again)" "$(sql "SELECT group_concat(id, ' ') || ' ' FROM journal WHERE id > $last AND event = 'transaction'")" \
	"after kill -9 of the feed's process: depuis= replays what it missed, once"
last=$(sse_ids again | awk '{ print $NF }')
sse_stop again
stop_stack
REUSE=1 start_stack
B=$(login bar bar-secret-1)
P=$(admin_jeton)
call client/payer "jeton=$B&idCarte=FEED2&montant=1"
sse restart -H "Last-Event-ID: $last" "ticket=$(ticket "$B")"
sse_wait restart 'soldeNouveau":13[,}]'
is "$(sse_ids restart)" "$(sql "SELECT group_concat(id, ' ') || ' ' FROM journal WHERE id > $last AND event IN ('transaction', 'client', 'prix')")" \
	"after a restart of the whole stack: the same"
get "api/evenements?depuis=999999999&ticket=$(ticket "$B")" --max-time 2 -N
like "$REPLY" $'id: '"$(newest)"$'\nevent: reinitialiser' "an id from another database (past the newest): reinitialiser, from the newest id"
sse_stop restart

# --- fin: the credential goes, the stream ends (checked every 10 s) ------------
call cle/creer "jeton=$P&nom=mur&droit=2"
K1=$(val .cle) K1_ID=$(val .id)
add_user "$P" demote demote-secret-1 2
D=$(login demote demote-secret-1)
call cle/creer "jeton=$D&nom=mur2&droit=2"
K2=$(val .cle)
S=$(login bar bar-secret-1)
sse revoked -H "Authorization: ApiKey $K1" ""
sse demoted -H "Authorization: ApiKey $K2" ""
sse expired "ticket=$(ticket "$S")"
sse_wait revoked '^retry' && sse_wait demoted '^retry' && sse_wait expired '^retry'
t0=$SECONDS
call cle/supprimer "jeton=$P&id=$K1_ID"
call utilisateur/droit "jeton=$P&login=demote&droit=1"
sse_wait revoked '^event: fin' && sse_wait demoted '^event: fin'
ok "$([ $((SECONDS - t0)) -le 30 ]; echo $?)" "a key revoked and a user demoted end their streams within 30 s ($((SECONDS - t0)) s)"
clock_forward 400 # the session of the third, idle, expires
sse_wait expired '^event: fin'
ok $? "so does a session that expires"
is "$(sse_data revoked fin)" '{"status":"jeton_invalide","raison":"inconnu"}' "a revoked key: fin, jeton_invalide inconnu"
is "$(sse_data demoted fin)" '{"status":"droits_insuffisants"}' "a user demoted to 1: fin, droits_insuffisants"
is "$(sse_data expired fin)" '{"status":"jeton_invalide","raison":"expire"}' "an expired session: fin, jeton_invalide expire"

# A change of rights is a barrier: the feed hands on nothing after it before
# every stream's credential is re-checked. A president demoted to bar member
# in the middle of a quick run of changes sees his demotion, then neither
# staff administration nor an overdraft.
P=$(admin_jeton)
add_user "$P" prez2 prez2-secret-1 3
P2=$(login prez2 prez2-secret-1)
sse down "ticket=$(ticket "$P2")"
sse_wait down '^retry'
{
	echo "utilisateur/droit jeton=$P&login=prez2&droit=2"
	for i in 1 2 3 4 5 6 7 8; do
		echo "client/decouvert jeton=$P&idCarte=FEED2&decouvert=$([ $((i % 2)) = 1 ] && echo oui || echo non)"
		echo "utilisateur/ajouter jeton=$P&login=apres$i&mdp=apres-secret-1&droit=1"
	done
	echo "client/payer jeton=$P&idCarte=FEED2&montant=1"
} | storm 1 >/dev/null
sse_wait down '^event: transaction'
is "$(sse_data down utilisateur | jq -r .login | tr '\n' ' ')" "prez2 " \
	"a president demoted to 2 sees his demotion, then no staff administration"
is "$(sse_data down client | jq -c 'select(has("decouvert"))')" "" "nor an overdraft"
sse_stop down

# An OAuth token of a president with the lecture scope sees what right 2 does:
# the president's events need the admin scope, as his endpoints do.
AT=$(oauth_token "$P" lecture prez prez-secret-1)
like "$AT" '^10p5at_' "an OAuth token with the lecture scope, for the president"
sse lect -H "Authorization: Bearer $AT" "x=1"
sse_wait lect '^retry'
call client/decouvert "jeton=$P&idCarte=FEED2&decouvert=oui"
call utilisateur/ajouter "jeton=$P&login=lecture1&mdp=lecture-secret-1&droit=1"
call client/payer "jeton=$P&idCarte=FEED2&montant=1"
sse_wait lect '^event: transaction'
is "$(sse_events lect)" "transaction " "it sees the payment, not the overdraft nor the new member"
sse_stop lect

# A wall screen's key holds the flux scope alone: it follows the feed as a bar
# member does, and its tickets carry the price list it may not ask for.
call prix/modifier "jeton=$P&quantite=2&prix=2.8"
call cle/creer "jeton=$P&nom=mur-flux&droit=2&portee=flux"
KF=$(val .cle)
call evenements/ticket "jeton=$KF"
is "$(st)" ok "a flux key takes a ticket"
prices=$(jq -c .prix <<<"$REPLY")
call prix/liste "jeton=$P"
is "$prices" "$(jq -c .prix <<<"$REPLY")" "whose answer holds the price list"
sse wall "ticket=$(ticket "$KF")"
sse wallh -H "Authorization: ApiKey $KF" "x=1"
sse_wait wall '^retry' && sse_wait wallh '^retry'
call client/decouvert "jeton=$P&idCarte=FEED2&decouvert=non"
call prix/modifier "jeton=$P&quantite=2&prix=2.9"
call client/payer "jeton=$P&idCarte=FEED2&montant=1"
sse_wait wall '^event: transaction' && sse_wait wallh '^event: transaction'
is "$(sse_events wall)" "prix transaction " "a flux key follows the feed by ticket, as right 2 sees it"
is "$(sse_events wallh)" "prix transaction " "and by the header"
sse_stop wall
sse_stop wallh
call cle/creer "jeton=$P&nom=caisse-seule&droit=2&portee=caisse"
KC=$(val .cle)
get "api/evenements" -H "Authorization: ApiKey $KC"
is "$CODE $(st)" "403 droits_insuffisants" "a key with neither lecture nor flux may not follow the feed"
like "$(hdr WWW-Authenticate)" 'error="insufficient_scope", scope="lecture flux"' "insufficient_scope, naming either"
call evenements/ticket "jeton=$KC"
is "$CODE $(st)" "200 droits_insuffisants" "nor take a ticket"
call cle/creer "jeton=$P&nom=mur-bde&droit=1&portee=flux"
call evenements/ticket "jeton=$(val .cle)"
is "$(st)" droits_insuffisants "a flux key below right 2 takes no ticket"

# --- a credential's id is never another's -------------------------------------
# A stream or a ticket stands for one credential: once it has ended, the next
# credential made cannot answer in its name. The logout and the president's
# login go back to back, well within the 10 s between two re-checks of the
# stream; the president's change of staff then forces one.
B=$(login bar bar-secret-1)
sse loggedout "ticket=$(ticket "$B")"
sse_wait loggedout '^retry'
dead=$(sql "SELECT id FROM sessions WHERE hash = X'$(sha "$B")'")
{
	echo "utilisateur/deconnexion jeton=$B"
	echo "utilisateur/connexion login=prez&mdp=prez-secret-1"
} | storm 1 >"$DATA/relogin"
P=$(tail -1 "$DATA/relogin" | jq -r .jeton)
is "$(sql "SELECT id != $dead FROM sessions WHERE hash = X'$(sha "$P")'")" 1 "a session opened after another ended never takes its id"
call utilisateur/ajouter "jeton=$P&login=apreslogout&mdp=apres-secret-1&droit=1"
call client/decouvert "jeton=$P&idCarte=FEED2&decouvert=non"
call client/payer "jeton=$P&idCarte=FEED2&montant=1"
sse_wait loggedout '^event: (fin|transaction)'
is "$(sse_data loggedout fin)" '{"status":"jeton_invalide","raison":"inconnu"}' \
	"a right-2 stream whose session was ended ends at its next re-check, a president's new session notwithstanding"
is "$(sse_events loggedout)" "fin " "having been handed nothing of the president's"
sse_stop loggedout

B2=$(login bar bar-secret-1)
call cle/creer "jeton=$B2&nom=jetable&droit=2"
KT=$(val .cle) KT_ID=$(val .id)
TK=$(ticket "$KT")
call cle/supprimer "jeton=$B2&id=$KT_ID"
call cle/creer "jeton=$P&nom=presidente&droit=3"
ok "$([ "$(val .id)" != "$KT_ID" ]; echo $?)" "a key made after another was deleted never takes its id"
get "api/evenements?ticket=$TK" --max-time 3 -N
is "$CODE $(jv '.status, .raison')" "200 jeton_invalide inconnu" \
	"a ticket taken with a key since deleted opens nothing, though a president made a key after it"

# --- the treasurer's events ------------------------------------------------------
# A shift's opening and closing are service events, their figures for
# presidents only; transaction events carry the means, the shift and a
# basket's lines.
B=$(login bar bar-secret-1)
P=$(admin_jeton)
sse tbar "ticket=$(ticket "$B")"
sse tprez "types=service,transaction&ticket=$(ticket "$P")"
sse_wait tbar '^retry' && sse_wait tprez '^retry'
call produit/modifier "jeton=$P&nom=Ti%27punch&prix=4"
call service/ouvrir "jeton=$B&caisse=Terrasse&fond=30"
S=$(val .id)
call client/recharger "jeton=$B&idCarte=FEED2&montant=10&moyen=carte"
call client/payer "jeton=$B&idCarte=FEED2&produits=1:2"
call service/fermer "jeton=$B&id=$S&compte=30"
sse_wait tbar '"requete":"service/fermer"' && sse_wait tprez '"requete":"service/fermer"'
is "$(sse_events tbar)" "service transaction transaction service " "a shift's opening and closing are service events"
is "$(sse_data tbar service | jq -c '[.id, .caisse, .utilisateur, .requete, has("ecart"), has("fond")]' | tr '\n' ' ')" \
	"[$S,\"Terrasse\",\"bar\",\"service/ouvrir\",false,false] [$S,\"Terrasse\",\"bar\",\"service/fermer\",false,false] " \
	"a bar member sees which shift, of whom, at which till, without its figures"
is "$(sse_data tprez service | sed -n 2p | jq -c '[.fond, .attendu, .compte, .ecart, .totaux.carte]')" "[30,30,30,0,10]" \
	"a president sees its figures"
is "$(sse_data tbar transaction | jq -c '[.moyen, .service, .lignes]' | tr '\n' ' ')" \
	"[\"carte\",$S,null] [null,$S,[{\"produit\":1,\"nom\":\"Ti'punch\",\"prix\":4,\"qte\":2}]] " \
	"transaction events carry the means, the shift and a basket's lines"
sse_stop tbar
sse_stop tprez

# --- liveness -------------------------------------------------------------------
B=$(login bar bar-secret-1)
sse quiet "ticket=$(ticket "$B")"
sse_wait quiet '^: ' 
ok $? "a stream with nothing to say sends a comment line (within 10 s)"
sse_stop quiet
finish
