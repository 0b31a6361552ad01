// The wall screen: big type, the price list and the bar's last operations,
// live, for hours. A session would lapse after 5 idle minutes, so the wall
// uses an API key of right 2 that the president creates on the desk and
// pastes here once: it stays in this device's localStorage (never in a URL)
// and goes as "Authorization: ApiKey" for the price list and feed tickets.
import { appel } from './api.js';
import { h, vider, euros, heure, TYPES, effet, message } from './ui.js';
import { suivre } from './direct.js';

const CLE = '10p5.mur';
const LIGNES = 9;

export function afficher(racine) {
	const cle = localStorage.getItem(CLE);
	return cle ? mur(racine, cle) : reglage(racine);
}

function reglage(racine, erreur) {
	const etat = h('p', { class: 'etat', role: 'alert' }, erreur && h('span', { class: 'erreur' }, erreur));
	const champ = h('input', { id: 'cle-mur', autocomplete: 'off', spellcheck: 'false', placeholder: '10p5_…' });
	vider(racine, h('div', { class: 'connexion' },
		h('h1', {}, 'Écran mural'),
		h('p', {}, 'Cet écran reste allumé des heures : il n’utilise pas de session (elle expirerait après 5 minutes) mais une clé API de droit 2.'),
		h('ol', {}, h('li', {}, 'Au bureau, le président touche « Créer la clé de l’écran mural » et copie la clé.'),
			h('li', {}, 'Ici, collez-la une fois : elle reste sur cet appareil.')),
		etat,
		h('form', { class: 'pile', onsubmit: async (e) => {
			e.preventDefault();
			const k = champ.value.trim();
			const rep = await appel('prix/liste', {}, { cle: k });
			if (rep.status !== 'ok') { etat.textContent = 'Clé refusée : ' + message(rep); return; }
			localStorage.setItem(CLE, k);
			vider(racine);
			arret = mur(racine, k);
		} }, h('label', { class: 'champ', for: 'cle-mur' }, h('span', {}, 'Clé API'), champ), h('button', { class: 'principal' }, 'Afficher')),
		h('p', {}, h('a', { href: '#/caisse' }, '← Retour à la caisse'))));
	let arret = null;
	champ.focus();
	return () => arret?.();
}

function mur(racine, cle) {
	const tarifs = h('ul', { class: 'tarifs' });
	const flux = h('ol', { class: 'ops flux', 'aria-live': 'polite' }, h('li', { class: 'aide' }, 'Les consommations apparaîtront ici.'));
	const etat = h('span', {}, 'Connexion…');
	const horloge = h('span');
	racine.append(h('div', { class: 'mur' },
		h('section', {}, h('h2', {}, 'Tarifs'), tarifs),
		h('section', {}, h('h2', {}, 'Au bar'), flux),
		h('div', { class: 'pied' }, horloge, etat,
			h('span', {}, h('button', { type: 'button', class: 'discret', onclick: oublier }, 'Changer de clé'), ' ', h('a', { href: '#/caisse' }, 'Quitter')))));

	function oublier() { localStorage.removeItem(CLE); arreter(); vider(racine); reglage(racine); }
	async function chargerPrix() {
		const rep = await appel('prix/liste', {}, { cle });
		if (rep.status === 'jeton_invalide') return refuse(rep);
		if (rep.status !== 'ok') { etat.textContent = message(rep); return; }
		vider(tarifs, rep.prix.map((p) => h('li', {}, h('span', {}, `${p.quantite} conso${p.quantite > 1 ? 's' : ''}`), h('span', {}, euros(p.prix)))));
	}
	function refuse(rep) {
		arreter();
		localStorage.removeItem(CLE);
		vider(racine);
		reglage(racine, 'La clé n’est plus acceptée (révoquée ou expirée) : ' + message(rep));
	}
	function recu(type, d) {
		if (type === 'prix') return chargerPrix();
		if (!['transaction', 'annulation', 'refaire'].includes(type)) return;
		flux.querySelector('li.aide')?.remove();
		const quoi = type === 'transaction' ? (d.type === 3 && d.qte ? `${d.qte} conso${d.qte > 1 ? 's' : ''}` : TYPES[d.type]) : type === 'annulation' ? 'annulé' : 'rétabli';
		flux.prepend(h('li', { class: 'nouveau' + (type === 'annulation' ? ' annulee' : '') },
			h('span', {}, heure(d.date || Date.now())), h('span', {}, quoi), h('span', {}, euros(Math.abs(effet(d))))));
		while (flux.children.length > LIGNES) flux.lastChild.remove();
	}
	const arretFlux = suivre({
		cle, types: ['transaction', 'annulation', 'refaire', 'prix'], recu,
		etat: (mot, d) => {
			if ((mot === 'refus' || mot === 'fin') && d?.status === 'jeton_invalide') return refuse(d);
			etat.textContent = { direct: '● en direct', coupure: 'reconnexion…', absent: 'direct indisponible sur ce serveur (requete_inconnue)', refus: 'direct refusé : ' + (d ? message(d) : ''), fin: 'direct arrêté' }[mot];
		},
		reinitialiser: chargerPrix,
	});
	const tic = () => { horloge.textContent = heure(Date.now()).slice(0, 5); };
	tic();
	const minuteur = setInterval(tic, 10000);
	chargerPrix();
	function arreter() { arretFlux(); clearInterval(minuteur); }
	return arreter;
}
