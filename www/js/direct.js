// The live feed (SPEC §6): a single-use ticket from api/evenements/ticket,
// then an EventSource on api/evenements?ticket=… (a browser cannot send a
// header with EventSource, and a credential never goes in a URL). On an
// error the stream is closed and reopened with a fresh ticket and
// depuis=<last id seen>, so nothing is lost or doubled.
import { appel } from './api.js';

const TYPES = ['transaction', 'annulation', 'refaire', 'client', 'prix', 'utilisateur'];

// Follows the feed. o.types: event kinds wanted; o.client: one card; o.cle:
// an API key instead of the session; o.recu(type, data): each event;
// o.etat(mot, detail): "direct", "coupure", "absent" (this server has no
// feed), "refus" (a reply that is not ok), "fin" (the server ended it);
// o.reinitialiser(): refetch state. Returns a function that stops it.
export function suivre(o) {
	let source = null, dernier = null, arrete = false, pauseMs = 500, minuteur = null;

	async function ouvrir() {
		if (arrete) return;
		const rep = await appel('evenements/ticket', {}, { cle: o.cle });
		if (arrete) return;
		if (rep.status === 'requete_inconnue') return o.etat('absent');
		if (rep.status === 'reseau') return relancer();
		if (rep.status !== 'ok') return o.etat('refus', rep);
		const q = new URLSearchParams({ ticket: rep.ticket });
		if (o.types) q.set('types', o.types.join(','));
		if (o.client) q.set('client', o.client);
		if (dernier !== null) q.set('depuis', dernier);
		source = new EventSource('api/evenements?' + q);
		source.addEventListener('open', () => { pauseMs = 500; o.etat('direct'); });
		for (const t of TYPES) source.addEventListener(t, (e) => {
			if (e.lastEventId) dernier = e.lastEventId;
			o.recu(t, JSON.parse(e.data));
		});
		source.addEventListener('reinitialiser', (e) => { if (e.lastEventId) dernier = e.lastEventId; o.reinitialiser?.(); });
		source.addEventListener('fin', (e) => {
			source.close();
			const d = JSON.parse(e.data || '{}');
			o.etat('fin', d);
			// A lapsed session: follow again once someone has logged in anew
			// (asking for a login here would pop a dialog nobody asked for).
			if (d.status === 'jeton_invalide' && !o.cle) addEventListener('session', relancer, { once: true });
		});
		source.addEventListener('error', () => { source.close(); o.etat('coupure'); relancer(); });
	}

	function relancer() {
		if (arrete) return;
		clearTimeout(minuteur);
		minuteur = setTimeout(ouvrir, pauseMs);
		pauseMs = Math.min(pauseMs * 2, 15000);
	}

	ouvrir();
	return () => { arrete = true; clearTimeout(minuteur); source?.close(); };
}

