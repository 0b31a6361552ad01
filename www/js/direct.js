// The live feed (doc/feed.md#tickets): a single-use ticket from api/evenements/ticket,
// then an EventSource on api/evenements?ticket=… (a browser cannot send a
// header with EventSource, and a credential never goes in a URL). Whenever
// the stream breaks (network, a restarted server, a plain-CGI host ending
// each stream after a few seconds), it is closed here, before EventSource
// could resend its old URL with the spent ticket, and opened again with a
// fresh ticket and depuis=<last id seen> (the first ticket's own depuis before
// any event): the server replays what was missed, and an id already seen is
// never handed on twice.
import { appel, courante } from './api.js';

const TYPES = ['transaction', 'annulation', 'refaire', 'client', 'prix', 'utilisateur'];

// Follows the feed. o.types: event kinds wanted; o.client: one card; o.cle:
// an API key instead of the session; o.ticket(reply): each ticket's answer
// (the price list as of its depuis, for a screen that may ask nothing else);
// o.recu(type, data, id): each event, once, in order; o.etat(mot, detail): "direct", "coupure", "refus" (the ticket
// was refused: detail is the reply), "fin" (the server ended the stream:
// detail is {status, raison}); o.reinitialiser(): the server cannot replay
// from our last id (another database): refetch what is on screen. After a
// "fin" for a lapsed session, following starts again once someone has
// logged in anew. Returns a function that stops it.
export function suivre(o) {
	let source = null, dernier = null, arrete = false, pauseMs = 500, minuteur = null;

	async function ouvrir() {
		if (arrete) return;
		const rep = await appel('evenements/ticket', {}, { cle: o.cle });
		if (arrete) return;
		if (rep.status === 'reseau' || rep.status === 'erreur_bdd' || rep.status === 'erreur_generique') return relancer();
		if (rep.status !== 'ok') return o.etat('refus', rep);
		const jeton = courante()?.jeton; // the session this stream follows under
		o.ticket?.(rep);
		const q = new URLSearchParams({ ticket: rep.ticket });
		if (o.types) q.set('types', o.types.join(','));
		if (o.client) q.set('client', o.client);
		// The first ticket's depuis (the journal's newest id when it was
		// issued) makes the first stream start there: nothing done between
		// the screen's own fetch and the stream's start is missed.
		if (dernier === null && Number.isSafeInteger(rep.depuis)) dernier = rep.depuis;
		if (dernier !== null) q.set('depuis', dernier);
		const s = source = new EventSource('api/evenements?' + q);
		s.addEventListener('open', () => { pauseMs = 500; o.etat('direct'); });
		for (const t of TYPES) s.addEventListener(t, (e) => {
			const id = Number(e.lastEventId);
			if (dernier !== null && id <= dernier) return; // already handed on
			dernier = id;
			o.recu(t, JSON.parse(e.data), id);
		});
		s.addEventListener('reinitialiser', (e) => {
			// Start afresh from the id it carries (the journal's newest).
			dernier = e.lastEventId ? Number(e.lastEventId) : null;
			o.reinitialiser?.();
		});
		s.addEventListener('fin', (e) => {
			s.close();
			const d = JSON.parse(e.data || '{}');
			o.etat('fin', d);
			// A lapsed session: follow again once someone has logged in anew
			// (asking for a login here would pop a dialog nobody asked for),
			// at once if that happened before the server ended this stream.
			if (d.status !== 'jeton_invalide' || o.cle) return;
			if (courante() && courante().jeton !== jeton) relancer();
			else addEventListener('session', reprendre);
		});
		s.addEventListener('error', () => {
			if (s !== source || arrete) return;
			s.close();
			o.etat('coupure');
			relancer();
		});
	}

	function reprendre(e) {
		if (!e.detail) return;
		removeEventListener('session', reprendre);
		relancer();
	}

	function relancer() {
		if (arrete) return;
		clearTimeout(minuteur);
		minuteur = setTimeout(ouvrir, pauseMs);
		pauseMs = Math.min(pauseMs * 2, 15000);
	}

	ouvrir();
	return () => {
		arrete = true;
		clearTimeout(minuteur);
		removeEventListener('session', reprendre);
		source?.close();
	};
}
