// The wall screen: big type, the price list and the bar's last operations,
// live, for hours. A session would lapse after 5 idle minutes, so the wall
// uses an API key that the president creates on the desk and pastes here
// once: right 2 and the flux scope alone, so that whoever opens this browser
// can follow the feed and nothing more (no payment, no top-up, no account).
// It stays in this device's localStorage (never in a URL) and goes as
// "Authorization: ApiKey" for the feed's tickets only: each ticket's answer
// carries the price list, asked again when a prix event says it changed. A
// key revoked, expired or fallen below right 2 sends the wall back to its
// set-up, saying why.
import { appel } from './api.js';
import { h, vider, euros, heure, TYPES, effet, message } from './ui.js';
import { suivre } from './direct.js';

const CLE = '10p5.mur';
const LIGNES = 9;

export function afficher(racine) {
	let arret = null;
	const vers = {
		reglage: (erreur) => { arret?.(); arret = reglage(racine, vers, erreur); },
		mur: (cle) => { arret?.(); arret = mur(racine, cle, vers); },
	};
	const cle = localStorage.getItem(CLE);
	if (cle) vers.mur(cle); else vers.reglage();
	return () => arret?.();
}

const REFUS = {
	jeton_invalide: 'Cette clé n’est pas (ou plus) acceptée : révoquée, expirée ou mal copiée. Demandez-en une nouvelle au président.',
	droits_insuffisants: 'Cette clé ne peut pas suivre le direct (il lui faut le droit 2, et la portée flux ou lecture ; ou son propriétaire a perdu le droit 2). Demandez-en une nouvelle au président.',
};

function reglage(racine, vers, erreur) {
	const etat = h('p', { class: 'etat', role: 'alert' }, erreur && h('span', { class: 'erreur' }, erreur));
	const champ = h('input', { id: 'cle-mur', autocomplete: 'off', spellcheck: 'false', placeholder: '10p5_…' });
	vider(racine, h('div', { class: 'connexion' },
		h('h1', {}, 'Écran mural'),
		h('p', {}, 'Cet écran reste allumé des heures : il n’utilise pas de session (elle expirerait après 5 minutes) mais une clé API qui ne peut que suivre le direct.'),
		h('ol', {}, h('li', {}, 'Au bureau, le président touche « Créer la clé de l’écran mural » et copie la clé.'),
			h('li', {}, 'Ici, collez-la une fois : elle reste sur cet appareil.')),
		etat,
		h('form', { class: 'pile', onsubmit: async (e) => {
			e.preventDefault();
			const k = champ.value.trim();
			if (!k) return;
			// The feed needs right 2 and the flux (or lecture) scope: a
			// ticket proves the key has them.
			const rep = await appel('evenements/ticket', {}, { cle: k });
			if (rep.status !== 'ok') { vider(etat, h('span', { class: 'erreur' }, 'Clé refusée. ' + (REFUS[rep.status] ?? message(rep)))); return; }
			localStorage.setItem(CLE, k);
			vers.mur(k);
		} }, h('label', { class: 'champ', for: 'cle-mur' }, h('span', {}, 'Clé API'), champ), h('button', { class: 'principal' }, 'Afficher')),
		h('p', {}, h('a', { href: '#/caisse' }, '← Retour à la caisse'))));
	champ.focus();
	return null;
}

function mur(racine, cle, vers) {
	const tarifs = h('ul', { class: 'tarifs' });
	const flux = h('ol', { class: 'ops flux', 'aria-live': 'polite' }, h('li', { class: 'aide' }, 'Les consommations apparaîtront ici.'));
	const etat = h('span', { role: 'status' }, 'Connexion…');
	const horloge = h('span');
	vider(racine, h('div', { class: 'mur' },
		h('section', {}, h('h2', {}, 'Tarifs'), tarifs),
		h('section', {}, h('h2', {}, 'Au bar'), flux),
		h('div', { class: 'pied' }, horloge, etat,
			h('span', {}, h('button', { type: 'button', class: 'discret', onclick: () => { localStorage.removeItem(CLE); vers.reglage(); } }, 'Changer de clé'),
				' ', h('a', { href: '#/caisse' }, 'Quitter')))));

	let fini = false;
	function refuse(rep) {
		if (fini) return;
		fini = true;
		localStorage.removeItem(CLE);
		vers.reglage(REFUS[rep.status] ?? message(rep));
	}
	function montrerPrix(prix) {
		vider(tarifs, prix.map((p) => h('li', {}, h('span', {}, `${p.quantite} conso${p.quantite > 1 ? 's' : ''}`), h('span', {}, euros(p.prix)))));
		if (!prix.length) tarifs.append(h('li', { class: 'aide' }, 'Pas encore de tarifs.'));
	}
	// The key may not ask prix/liste: a ticket's answer carries the list.
	async function chargerPrix() {
		const rep = await appel('evenements/ticket', {}, { cle });
		if (fini) return;
		if (REFUS[rep.status]) return refuse(rep);
		if (rep.status !== 'ok') { etat.textContent = message(rep); return; }
		montrerPrix(rep.prix);
	}
	function recu(type, d, id) {
		if (type === 'prix') return chargerPrix();
		if (!['transaction', 'annulation', 'refaire'].includes(type)) return;
		flux.querySelector('li.aide')?.remove();
		const quoi = type === 'transaction' ? (d.type === 3 && d.qte ? `${d.qte} conso${d.qte > 1 ? 's' : ''}` : TYPES[d.type]) : type === 'annulation' ? 'annulé' : 'rétabli';
		flux.prepend(h('li', { class: 'nouveau' + (type === 'annulation' ? ' annulee' : ''), 'data-evenement': id },
			h('span', {}, heure(d.date)), h('span', {}, quoi), h('span', {}, euros(Math.abs(effet(d))))));
		while (flux.children.length > LIGNES) flux.lastChild.remove();
	}
	const arretFlux = suivre({
		cle, types: ['transaction', 'annulation', 'refaire', 'prix'], recu,
		ticket: (rep) => { if (!fini) montrerPrix(rep.prix); },
		etat: (mot, d) => {
			if ((mot === 'refus' || mot === 'fin') && REFUS[d?.status]) return refuse(d);
			etat.textContent = { direct: '● en direct', coupure: 'reconnexion…', refus: 'direct refusé : ' + (d ? message(d) : ''), fin: 'direct arrêté : ' + (d ? message(d) : '') }[mot];
		},
		reinitialiser: chargerPrix,
	});
	const tic = () => { horloge.textContent = heure(Date.now()).slice(0, 5); };
	tic();
	const minuteur = setInterval(tic, 10000);
	return () => { fini = true; arretFlux(); clearInterval(minuteur); };
}
