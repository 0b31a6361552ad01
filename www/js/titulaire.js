// A lost card and its holder, on the card's fiche (clients.js): blocking and
// unblocking, moving the account to a new card, a holder code shown once
// with its printed slip (the code, a QR code of the holder page, the bar),
// and the holder page's address written onto the card by Web NFC. The staff's
// account of it is doc/cards.md; the endpoints, doc/api.md#client.
import { appel } from './api.js';
import { h, vider, euros, message, champ, etatDe, dire, confirmer, annoncer } from './ui.js';
import { normaliser, boutonNfc } from './carte.js';
import { svg } from './qr.js';

// The holder page's address for a card: next to the app, so that it holds
// on a shared host's sub-directory too.
export function adresseTitulaire(id) {
	return new URL('moi/?carte=' + encodeURIComponent(id), location.href).href;
}

// The bar's name on the slip: nothing in the system holds one, and the
// address the holders' phones will open names the bar well enough.
const nomDuBar = () => location.hostname;

function refus(etat, texte) { vider(etat, h('p', { class: 'erreur' }, texte)); }

// « Bloquer la carte » (one confirmation) or « Débloquer »; fait(bloquee)
// once the server has agreed, the outcome said in `etat`.
export function boutonBlocage(id, bloquee, etat, fait) {
	async function agir(chemin, libelle, texte) {
		const r = await appel(chemin, { idCarte: id }, { libelle });
		dire(etat, r, texte);
		if (r.status === 'ok') fait(r.bloquee);
	}
	return bloquee
		? h('button', { type: 'button', onclick: () => agir('client/debloquer', `Déblocage de ${id}`,
			'Carte débloquée : elle paie et se recharge de nouveau.') }, 'Débloquer')
		: confirmer('Bloquer la carte', () => agir('client/bloquer', `Blocage de ${id}`,
			'Carte bloquée : plus aucun paiement ni rechargement.'));
}

// client/remplacer's refusals, said of the card they are about.
function refusRemplacement(r, a, n) {
	switch (r.status) {
	case 'client_inconnu': return `Aucun compte sur la carte ${a} : rien à déplacer.`;
	case 'client_existant': return `La carte ${n} a déjà un compte : prenez une carte neuve.`;
	case 'carte_utilisee': return `La carte ${n} est celle d’un membre du bar : prenez une carte neuve.`;
	case 'carte_bloquee': return r.remplaceePar
		? `La carte ${a} a déjà été remplacée, par la carte ${r.remplaceePar}.`
		: `La carte ${n} est une ancienne carte, bloquée pour toujours : prenez-en une neuve.`;
	default: return message(r);
	}
}

// Moving an account to a new card: the old card is given (from its fiche)
// or read here, then the new one; one confirmation says what moves, as the
// server has it now; then the new card's fiche. Cards are read by a USB
// reader (it types the id and Enter into the field in focus), by typing, or
// by Web NFC (into the first empty field).
export function remplacement(ancienne = null) {
	const etat = etatDe();
	const opts = { autocapitalize: 'characters', spellcheck: 'false' };
	const a = ancienne ? null : champ('Ancienne carte (perdue)', { name: 'ancienne', ...opts });
	const n = champ('Nouvelle carte', { name: 'nouvelle', ...opts });
	const confirmation = h('div', { class: 'confirmation' });
	const entrees = () => [a?.lastChild, n.lastChild].filter(Boolean);
	const lu = (id) => {
		const vide = entrees().find((e) => !e.value.trim()) ?? n.lastChild;
		vide.value = id;
		if (vide === n.lastChild) verifier(); else n.lastChild.focus();
	};
	a?.lastChild.addEventListener('keydown', (e) => {
		if (e.key === 'Enter') { e.preventDefault(); n.lastChild.focus(); }
	});

	async function verifier() {
		vider(confirmation);
		const ida = ancienne ?? normaliser(a.lastChild.value), idn = normaliser(n.lastChild.value);
		if (!ida) return refus(etat, 'Ancienne carte illisible : 1 à 32 lettres ou chiffres.');
		if (!idn) return refus(etat, 'Nouvelle carte illisible : 1 à 32 lettres ou chiffres.');
		if (ida === idn) return refus(etat, 'La nouvelle carte est l’ancienne : passez une autre carte.');
		vider(etat, h('p', { class: 'info' }, `Lecture du compte de ${ida}…`));
		const f = await appel('client/fiche', { idCarte: ida, limite: 1 });
		if (f.status !== 'ok') return refus(etat, refusRemplacement(f, ida, idn));
		vider(etat);
		// Only a president's fiche says whether the card may go negative.
		const decouvert = f.decouvert === undefined ? 'son découvert s’il en a un'
			: f.decouvert ? 'découvert autorisé' : 'sans découvert';
		const params = { idCarte: ida, nouvelleCarte: idn };  // one idRequete for every try
		const ok = h('button', { type: 'button', class: 'principal', onclick: async () => {
			ok.disabled = true;
			const r = await appel('client/remplacer', params, { libelle: `Remplacement de ${ida}` });
			if (r.status !== 'ok') { vider(confirmation); return refus(etat, refusRemplacement(r, ida, idn)); }
			annoncer(`Compte passé de ${ida} à ${r.idCarte} : ${euros(r.solde)}.`, 'ok');
			location.hash = '#/clients/' + encodeURIComponent(r.idCarte);
		} }, 'Confirmer le remplacement');
		vider(confirmation, h('p', { class: 'question', id: 'question-remplacement' },
			`Le compte de la carte ${ida} passe sur la carte ${idn} : `, h('strong', {}, euros(f.solde)), ` (${decouvert}), l’historique et le code titulaire. `,
			`La carte ${ida} restera bloquée pour toujours.`),
		h('div', { class: 'actions' }, ok,
			h('button', { type: 'button', onclick: () => { vider(confirmation); n.lastChild.focus(); } }, 'Annuler')));
		ok.focus();
	}

	return h('form', { class: 'pile remplacement', onsubmit: (e) => { e.preventDefault(); verifier(); } },
		a, n, boutonNfc(lu, (t) => refus(etat, t)),
		h('button', {}, 'Remplacer…'), etat, confirmation);
}

// A new holder code (client/code), shown once, and its slip to print: the
// bar, the card, the code in groups of four, a QR code of the holder page.
// While a slip is on screen the body carries « avec-ticket », by which the
// print style sheet prints the slip alone.
export function codeTitulaire(id) {
	const etat = etatDe();
	const zone = h('div');
	const bouton = confirmer('Nouveau code titulaire', async () => {
		const r = await appel('client/code', { idCarte: id }, { libelle: `Code titulaire de ${id}` });
		if (r.status !== 'ok') return dire(etat, r);
		// A retry answered from its idRequete: the code was made, but a secret
		// is never kept for a replay (doc/api.md#secrets).
		if (!r.codeClient) return refus(etat, 'Code fait, mais sa réponse s’est perdue en route : faites-en un nouveau.');
		vider(etat);
		const adresse = adresseTitulaire(id);
		vider(zone,
			h('p', { class: 'aide' }, 'Montré une seule fois : imprimez le ticket ou recopiez le code maintenant.'),
			h('div', { class: 'ticket', role: 'region', 'aria-label': 'Ticket du titulaire' },
				h('p', { class: 'bar' }, nomDuBar()),
				h('p', {}, 'Carte ', h('strong', {}, id)),
				h('p', { class: 'libelle' }, 'Code titulaire'),
				h('p', { class: 'code', id: 'code-titulaire' }, r.codeClient),
				svg(adresse, 'QR code de la page du titulaire'),
				h('p', { class: 'adresse' }, adresse),
				h('p', { class: 'consigne' }, 'Votre solde et vos opérations sur cette page, avec ce code. '
					+ 'Carte perdue : bloquez-la là, tout de suite ; le bar déplace votre solde sur une carte neuve.')),
			h('div', { class: 'actions' }, h('button', { type: 'button', class: 'principal', onclick: () => print() }, 'Imprimer le ticket')));
		document.body.classList.add('avec-ticket');
	}, 'principal');
	return [h('p', { class: 'aide' }, 'Le code permet au porteur de voir son solde et de bloquer sa carte depuis son téléphone. '
		+ 'Un nouveau code remplace l’ancien et déconnecte le porteur.'),
	h('div', { class: 'actions' }, bouton, boutonEcrire(id, etat)), etat, zone];
}

// Where the browser has Web NFC: a button that writes the holder page's
// address onto the card as an NDEF URL record. A card that already holds
// data is not overwritten unless the person says so.
function boutonEcrire(id, etat) {
	if (!('NDEFReader' in window)) return null;
	async function ecrire(ecraser) {
		vider(etat, h('p', { class: 'info' }, `Approchez la carte ${id}…`));
		try {
			await new window.NDEFReader().write({ records: [{ recordType: 'url', data: adresseTitulaire(id) }] }, { overwrite: ecraser });
			vider(etat, h('p', { class: 'ok' }, 'Adresse écrite : un téléphone posé sur la carte ouvre la page du titulaire.'));
		} catch (e) {
			if (e.name !== 'NotAllowedError' || ecraser) return refus(etat, 'Écriture impossible : ' + (e.message || e.name));
			vider(etat, h('p', { class: 'erreur' }, 'La carte contient déjà des données (ou le NFC est refusé) : rien n’a été écrit.'),
				h('div', { class: 'actions' }, confirmer('Remplacer ce qu’elle contient', () => ecrire(true))));
		}
	}
	return h('button', { type: 'button', class: 'ecrire-nfc', onclick: () => ecrire(false) }, 'Écrire l’adresse sur la carte (NFC)');
}
