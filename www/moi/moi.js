// The card holder's page (/moi/, doc/api.md, card holders): the card's
// number and the code on the holder's slip open a holder session, which
// shows the balance and the history newest first in pages, blocks the card
// at once when it is lost, and ends. Phone first; nothing of the staff shows.
import * as api from '../js/api.js';
import { h, vider, euros, date, delai, TYPES, effet, bloc, champ, confirmer, message } from '../js/ui.js';
import { normaliser } from '../js/carte.js';

const CLE = '10p5.titulaire'; // sessionStorage: the holder's session {jeton, idCarte}
const PAGE = 20;
const main = document.getElementById('principal');

function lire() {
	try { return JSON.parse(sessionStorage.getItem(CLE)); } catch { return null; }
}
function garder(s) {
	if (s) sessionStorage.setItem(CLE, JSON.stringify(s));
	else sessionStorage.removeItem(CLE);
}

// A refusal as a holder reads it (message() speaks to the bar's staff).
function refus(rep) {
	switch (rep.status) {
	case 'identifiants_invalides': return 'Numéro de carte ou code incorrect.';
	case 'trop_de_tentatives': return `Trop d’essais pour cette carte : réessayez dans ${delai(rep.attente)}.`;
	case 'requete_malforme':
		return rep.champ === 'code' ? 'Ce code n’a pas la bonne forme : 12 lettres et chiffres, comme sur votre ticket.'
			: 'Numéro de carte illisible.';
	default: return message(rep);
	}
}

// The form: the card's number (prefilled from the slip's QR code, ?carte=)
// and the code. `avis` says why it is back (a session ended).
function connexion(carte, avis) {
	document.title = 'Ma carte · 10p5';
	vider(document.getElementById('qui'));
	const etat = h('div', { class: 'etat', role: 'alert' });
	const dire = (texte, genre = 'erreur') => vider(etat, texte && h('p', { class: genre }, texte));
	const idc = champ('Numéro de la carte', { name: 'carte', value: carte ?? '', required: true,
		autocapitalize: 'characters', spellcheck: 'false' });
	const code = champ('Code (sur votre ticket)', { name: 'code', required: true, placeholder: 'XXXX-XXXX-XXXX',
		autocapitalize: 'characters', spellcheck: 'false' });
	async function entrer(e) {
		e.preventDefault();
		const id = normaliser(idc.lastChild.value);
		if (!id) { dire('Numéro de carte illisible.'); idc.lastChild.focus(); return; }
		dire('Connexion…', 'info');
		const rep = await api.appel('moi/connexion', { idCarte: id, code: code.lastChild.value.trim() });
		if (rep.status !== 'ok') { dire(refus(rep)); code.lastChild.select(); code.lastChild.focus(); return; }
		const s = { jeton: rep.jeton, idCarte: rep.idCarte };
		garder(s);
		fiche(s);
	}
	vider(main, h('div', { class: 'connexion' },
		h('h1', {}, 'Ma carte'),
		h('p', { class: 'aide' }, 'Avec le numéro de votre carte et le code du ticket remis au bar : votre solde, '
			+ 'vos opérations, et bloquer la carte si vous la perdez.'),
		etat,
		h('section', { class: 'bloc' }, h('form', { class: 'pile', onsubmit: entrer },
			idc, code, h('button', { class: 'principal' }, 'Voir ma carte')))));
	if (avis) dire(avis, 'info');
	(carte ? code : idc).lastChild.focus();
}

// A session that lapsed (15 minutes without use) or was ended (a new code):
// back to the form, the card kept.
function terminee(s, rep) {
	garder(null);
	connexion(s.idCarte, rep.raison === 'expire'
		? 'Session terminée après 15 minutes sans activité : entrez de nouveau votre code.'
		: 'Session terminée : entrez de nouveau votre code.');
}

// What a transaction was, for the one who paid: its items, its drinks, or
// its kind.
function quoi(t) {
	if (t.lignes?.length) return t.lignes.map((l) => `${l.qte} × ${l.nom}`).join(', ');
	if (t.type === 3 && t.qte) return `${t.qte} conso${t.qte > 1 ? 's' : ''}`;
	return TYPES[t.type] ?? 'opération';
}

// The card: balance, what to do when it is lost, the history in pages.
function fiche(s) {
	document.title = 'Carte ' + s.idCarte + ' · 10p5';
	const etat = h('div', { class: 'etat', role: 'status' });
	const tete = h('section', { class: 'bloc' });
	const perte = h('section', { class: 'bloc perte', 'aria-labelledby': 'perte-titre' });
	const ops = h('ul', { class: 'ops', 'aria-label': 'Mes opérations' });
	const plus = h('button', { type: 'button', hidden: true, onclick: () => page() }, 'Opérations plus anciennes');
	let suivant = null;
	vider(document.getElementById('qui'), h('button', { type: 'button', class: 'discret', onclick: deconnecter }, 'Se déconnecter'));
	vider(main, h('h1', {}, 'Carte ', h('span', { class: 'id' }, s.idCarte)), etat, tete, perte,
		bloc('Mes opérations', ops, plus));

	async function page() {
		plus.disabled = true;
		const rep = await api.appel('moi/fiche', { limite: PAGE, ordre: 'recent', avant: suivant ?? undefined }, { jeton: s.jeton });
		plus.disabled = false;
		if (rep.status === 'jeton_invalide') return terminee(s, rep);
		if (rep.status !== 'ok') { vider(etat, h('p', { class: 'erreur' }, message(rep))); return; }
		if (suivant === null) montrer(rep);
		// One line per operation, its date under it: it fits a phone's width.
		for (const t of rep.transactions) {
			ops.append(h('li', { class: 'op' + (t.valide ? '' : ' annulee'), 'data-id': t.id },
				h('span', { class: 'quoi' }, quoi(t), t.valide ? '' : ' (annulée)'),
				h('span', { class: 'qui' }, date(t.date)),
				h('span', { class: 'montant' + (effet(t) < 0 ? ' negatif' : '') }, (effet(t) > 0 ? '+' : '') + euros(effet(t)))));
		}
		if (!ops.children.length) ops.append(h('li', { class: 'aide' }, 'Aucune opération.'));
		suivant = rep.suivant ?? null;
		plus.hidden = suivant === null;
	}

	function montrer(rep) {
		vider(tete, h('p', { class: 'aide' }, 'Solde'),
			h('p', { class: 'solde' + (rep.solde < 0 ? ' negatif' : ''), id: 'solde' }, euros(rep.solde)),
			h('button', { type: 'button', class: 'discret', onclick: () => fiche(s) }, 'Actualiser'));
		if (rep.bloquee) {
			perte.classList.add('bloquee');
			vider(perte, h('h2', { id: 'perte-titre' }, 'Carte bloquée'),
				h('p', {}, 'Plus personne ne peut payer avec cette carte.'),
				h('p', {}, 'Votre argent n’est pas perdu : passez au bar avec une nouvelle carte. L’équipe y transfère '
					+ 'votre solde et vos opérations ; votre code restera le même.'));
			return;
		}
		vider(perte, h('h2', { id: 'perte-titre' }, 'Carte perdue ?'),
			h('p', { class: 'aide' }, 'Bloquez-la tout de suite : plus personne ne pourra payer avec. '
				+ 'Seul le bar pourra la débloquer ou passer votre solde sur une nouvelle carte.'),
			confirmer('Carte perdue', bloquer, 'danger gros', 'Oui, bloquer ma carte'));
	}

	async function bloquer() {
		const rep = await api.appel('moi/bloquer', {}, { jeton: s.jeton });
		if (rep.status === 'jeton_invalide') return terminee(s, rep);
		if (rep.status !== 'ok') { vider(etat, h('p', { class: 'erreur' }, message(rep))); return; }
		fiche(s);
	}

	async function deconnecter() {
		await api.appel('moi/deconnexion', {}, { jeton: s.jeton });
		garder(null);
		connexion(s.idCarte, 'Vous êtes déconnecté.');
	}

	page();
}

addEventListener('reseau', (e) => {
	const b = document.getElementById('reseau');
	b.hidden = e.detail === 'ok';
	b.textContent = e.detail === 'essai' ? 'Connexion perdue : nouvel essai…' : 'Serveur injoignable.';
});

// A slip's QR code opens /moi/?carte=…: a session for another card than
// that one ends, and the form asks for the new card's code.
const carte = normaliser(new URLSearchParams(location.search).get('carte') ?? '');
const s = lire();
if (s && (!carte || carte === s.idCarte)) fiche(s);
else {
	if (s) { api.appel('moi/deconnexion', {}, { jeton: s.jeton }); garder(null); }
	connexion(carte);
}
