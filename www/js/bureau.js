// The president's desk: staff (add, right, card, password, delete), the
// lock-outs left by failed logins, the staff's activity live, the price
// list and overdraft flags; API keys and OAuth apps are in acces.js. Each
// block loads and redraws itself; the live feed's `utilisateur` events (sent
// to right 3 only) redraw the staff and lock-outs as they change.
import { appel } from './api.js';
import { h, vider, euros, montant, message, date, heure, champ, bloc, DROITS, etatDe, dire, confirmer } from './ui.js';
import { normaliser } from './carte.js';
import { cles, apps } from './acces.js';
import { suivre } from './direct.js';

export function afficher(racine, args, s) {
	const m = membres(s), v = verrous();
	const activite = h('ol', { class: 'ops activite', 'aria-label': 'Activité de l’équipe' },
		h('li', { class: 'aide' }, 'Verrous et changements de l’équipe s’afficheront ici dès qu’ils arrivent.'));
	const etatDirect = h('p', { class: 'aide', role: 'status' }, 'Connexion au direct…');
	racine.append(h('h1', {}, 'Bureau du président'),
		h('div', { class: 'grille deux' },
			h('div', {}, v, bloc('Activité de l’équipe, en direct', etatDirect, activite), m),
			h('div', {}, tarifs(), decouverts())),
		h('div', { class: 'grille' }, cles(s), apps()));
	return suivre({
		types: ['utilisateur'],
		recu: (type, d, id) => {
			activite.querySelector('li.aide')?.remove();
			activite.prepend(h('li', { class: 'op' + (d.requete === 'verrou' ? ' verrou' : ''), 'data-evenement': id },
				h('span', { class: 'quoi' }, activiteTexte(d)), h('span', { class: 'qui' }, heure(d.date))));
			while (activite.children.length > 8) activite.lastChild.remove();
			// What this president did is redrawn already, after its reply.
			if (d.requete === 'verrou' || d.requete === 'utilisateur/deverrouiller') v.charger();
			else if (d.par !== s.login) m.charger();
		},
		reinitialiser: () => { v.charger(); m.charger(); },
		etat: (mot, d) => {
			etatDirect.textContent = { direct: '● En direct.', coupure: 'Direct coupé : reconnexion…',
				fin: 'Direct arrêté : ' + (d ? message(d) : ''), refus: 'Direct refusé : ' + (d ? message(d) : '') }[mot];
			etatDirect.classList.toggle('erreur', mot !== 'direct');
		},
	});
}

// One line of the staff's activity, from a `utilisateur` event.
function activiteTexte(d) {
	const qui = d.login ?? d.adresse ?? '?';
	switch (d.requete) {
	case 'verrou': return `Verrou : ${qui}${d.login && d.adresse ? ' depuis ' + d.adresse : ''} (${TYPES_VERROU[d.type] ?? d.type}), jusqu’à ${heure(d.jusqua)}`;
	case 'utilisateur/deverrouiller': return `${d.par} a levé le verrou de ${qui}`;
	case 'utilisateur/ajouter': return `${d.par} a ajouté ${qui}${d.droit !== undefined ? ' (droit ' + d.droit + ')' : ''}`;
	case 'utilisateur/droit': return `${d.par} a donné le droit ${d.droit} à ${qui}`;
	case 'utilisateur/supprimer': return `${d.par} a supprimé ${qui}`;
	case 'utilisateur/carte': return `${d.par} a changé la carte de ${qui}`;
	case 'utilisateur/mdp': return `${d.par} a changé le mot de passe de ${qui}`;
	default: return `${d.requete} : ${qui}${d.par ? ' (par ' + d.par + ')' : ''}`;
	}
}

const valeur = (c) => c.lastChild.value.trim();

function membres(s) {
	const etat = etatDe();
	const corps = h('tbody');
	const login = champ('Identifiant', { required: true, autocapitalize: 'off', pattern: '[A-Za-z0-9._\\-]{1,30}' });
	const mdp = champ('Mot de passe', { type: 'password', autocomplete: 'new-password', required: true });
	const droit = champ('Droit', { options: Object.entries(DROITS), value: '2' });
	const carte = champ('Carte (facultatif)', {});
	droit.lastChild.value = '2';

	async function charger() {
		const rep = await appel('utilisateur/liste');
		if (rep.status !== 'ok') return dire(etat, rep);
		vider(corps, rep.utilisateurs.map((u) => ligne(u)));
	}
	function ligne(u) {
		const choixDroit = h('select', { 'aria-label': 'Droit de ' + u.login },
			Object.entries(DROITS).map(([v, t]) => h('option', { value: v, selected: Number(v) === u.droit }, t)));
		choixDroit.addEventListener('change', async () => {
			const rep = await appel('utilisateur/droit', { login: u.login, droit: choixDroit.value }, { libelle: `Droit de ${u.login}` });
			dire(etat, rep, `${u.login} a maintenant le droit ${choixDroit.value}.`);
			if (rep.status !== 'ok') choixDroit.value = String(u.droit);
		});
		const detail = h('tr', { hidden: true }, h('td', { colspan: 4 }, edition(u)));
		return [h('tr', {},
			h('th', { scope: 'row' }, u.login, u.login === s.login ? ' (vous)' : ''),
			h('td', {}, choixDroit),
			h('td', { 'data-titre': 'Carte' }, u.idCarte ?? '—'),
			h('td', {}, h('button', { type: 'button', 'aria-expanded': 'false', onclick: (e) => {
				detail.hidden = !detail.hidden;
				e.currentTarget.setAttribute('aria-expanded', String(!detail.hidden));
			} }, 'Modifier'))), detail];
	}
	function edition(u) {
		const carteU = h('input', { 'aria-label': 'Nouvelle carte de ' + u.login, autocomplete: 'off', placeholder: 'nouvelle carte' });
		const mdpU = h('input', { type: 'password', 'aria-label': 'Nouveau mot de passe de ' + u.login, autocomplete: 'new-password', placeholder: 'nouveau mot de passe' });
		return h('div', { class: 'pile' },
			h('form', { class: 'ligne', onsubmit: async (e) => {
				e.preventDefault();
				const id = normaliser(carteU.value);
				if (!id) return dire(etat, { status: 'requete_malforme', champ: 'idCarte' });
				const rep = await appel('utilisateur/carte', { login: u.login, idCarte: id }, { libelle: `Carte de ${u.login}` });
				dire(etat, rep, `Carte de ${u.login} : ${id}.`);
				if (rep.status === 'ok') charger();
			} }, carteU, h('button', {}, 'Changer la carte')),
			h('form', { class: 'ligne', onsubmit: async (e) => {
				e.preventDefault();
				const rep = await appel('utilisateur/mdp', { login: u.login, mdp: mdpU.value }, { libelle: `Mot de passe de ${u.login}` });
				dire(etat, rep, `Mot de passe de ${u.login} changé.`);
				if (rep.status === 'ok') mdpU.value = '';
			} }, mdpU, h('button', {}, 'Changer le mot de passe')),
			h('div', { class: 'actions' }, confirmer('Supprimer ' + u.login, async () => {
				const rep = await appel('utilisateur/supprimer', { login: u.login }, { libelle: `Suppression de ${u.login}` });
				dire(etat, rep, `${u.login} supprimé.`);
				charger();
			}, 'supprimer')));
	}
	const form = h('form', { class: 'formulaire', onsubmit: async (e) => {
		e.preventDefault();
		const c = valeur(carte);
		if (c && !normaliser(c)) return dire(etat, { status: 'requete_malforme', champ: 'idCarte' });
		const rep = await appel('utilisateur/ajouter', { login: valeur(login), mdp: mdp.lastChild.value, droit: droit.lastChild.value, idCarte: c ? normaliser(c) : undefined },
			{ libelle: 'Ajout de ' + valeur(login) });
		dire(etat, rep, `${valeur(login)} ajouté.`);
		if (rep.status === 'ok') { form.reset(); droit.lastChild.value = '2'; charger(); }
	} }, login, mdp, droit, carte, h('button', { class: 'principal' }, 'Ajouter'));
	charger();
	return Object.assign(bloc('Membres', etat,
		h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Tableau défilant' }, h('table', { class: 'empile' }, h('thead', {}, h('tr', {},
			['Identifiant', 'Droit', 'Carte', ''].map((t) => h('th', { scope: 'col' }, t)))), corps)),
		h('h3', {}, 'Ajouter un membre'), form), { charger });
}

// What each kind of lock-out blocks (the limiter's counters, doc/api.md#logins).
const TYPES_VERROU = {
	login_adresse: 'cet identifiant depuis cette adresse',
	login_appareil: 'cet identifiant depuis ce navigateur',
	login: 'cet identifiant depuis tout nouvel endroit',
	adresse: 'les cartes inconnues depuis cette adresse',
	consultation: 'les consultations de cartes inconnues de ce compte',
};
function verrous() {
	const etat = etatDe();
	const liste = h('div');
	async function charger() {
		const rep = await appel('utilisateur/verrous');
		if (rep.status !== 'ok') return vider(liste, h('p', { class: 'aide' }, message(rep)));
		if (!rep.verrous.length) return vider(liste, h('p', { class: 'aide' }, 'Aucun verrou : personne n’est bloqué.'));
		vider(liste, h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Tableau défilant' }, h('table', { class: 'empile' },
			h('thead', {}, h('tr', {}, ['Bloqué', 'Échecs', 'Jusqu’à', ''].map((t) => h('th', { scope: 'col' }, t)))),
			h('tbody', {}, rep.verrous.map((v) => h('tr', {},
				h('td', {}, [v.login, v.adresse].filter(Boolean).join(' · '), h('br'), h('span', { class: 'aide' }, TYPES_VERROU[v.type] ?? v.type)),
				h('td', { class: 'nombre', 'data-titre': 'Échecs' }, v.echecs), h('td', { 'data-titre': 'Jusqu’à' }, date(v.jusqua)),
				h('td', {}, h('button', { type: 'button', 'aria-label': 'Lever le verrou de ' + (v.login ?? v.adresse), onclick: async () => {
					const r = await appel('utilisateur/deverrouiller', { id: v.id }, { libelle: 'Levée d’un verrou' });
					dire(etat, r, 'Verrou levé.');
					charger();
				} }, 'Lever'))))))));
	}
	charger();
	return Object.assign(bloc('Verrous (connexions bloquées)',
		h('p', { class: 'aide' }, 'Trop d’échecs bloquent un temps la connexion. Levez un verrou quand vous savez qui c’était.'),
		etat, liste, h('button', { type: 'button', class: 'discret', onclick: charger }, 'Actualiser')), { charger });
}

function tarifs() {
	const etat = etatDe();
	const corps = h('tbody');
	const q = champ('Nombre de consos', { inputmode: 'numeric', pattern: '[0-9]*', required: true });
	const p = champ('Prix', { inputmode: 'decimal', required: true, placeholder: '1,50' });
	async function charger() {
		const rep = await appel('prix/liste');
		if (rep.status !== 'ok') return dire(etat, rep);
		vider(corps, rep.prix.map((x) => {
			const saisie = h('input', { inputmode: 'decimal', value: x.prix.toFixed(2).replace('.', ','), 'aria-label': `Prix de ${x.quantite} conso` });
			return h('tr', {}, h('th', { scope: 'row' }, `${x.quantite} conso${x.quantite > 1 ? 's' : ''}`),
				h('td', {}, h('form', { class: 'ligne', onsubmit: (e) => { e.preventDefault(); fixer(x.quantite, saisie.value); } },
					saisie, h('button', {}, 'Enregistrer'))),
				h('td', {}, confirmer('Retirer', () => fixer(x.quantite, null))));
		}));
		if (!rep.prix.length) corps.append(h('tr', {}, h('td', { colspan: 3, class: 'aide' }, 'Aucun prix : la caisse ne prend que des montants.')));
	}
	async function fixer(quantite, texte) {
		const m = texte === null ? undefined : montant(texte);
		if (m === null) return dire(etat, { status: 'requete_malforme', champ: 'prix' });
		const rep = await appel('prix/modifier', { quantite, prix: m }, { libelle: 'Prix de ' + quantite });
		dire(etat, rep, m === undefined ? `Prix de ${quantite} retiré.` : `${quantite} conso${quantite > 1 ? 's' : ''} : ${euros(Number(m))}.`);
		charger();
	}
	const form = h('form', { class: 'formulaire', onsubmit: (e) => {
		e.preventDefault();
		const n = valeur(q);
		if (!/^\d{1,4}$/.test(n) || +n < 1 || +n > 1000) return dire(etat, { status: 'requete_malforme', champ: 'quantite' });
		fixer(Number(n), p.lastChild.value);
		form.reset();
	} }, q, p, h('button', { class: 'principal' }, 'Ajouter'));
	charger();
	return bloc('Prix', etat, h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Tableau défilant' }, h('table', { class: 'empile' }, corps)), h('h3', {}, 'Ajouter un prix'), form);
}

function decouverts() {
	const etat = etatDe();
	const liste = h('ul', { class: 'ops' });
	const carte = champ('Carte', { autocomplete: 'off' });
	async function charger() {
		const rep = await appel('client/liste');
		if (rep.status !== 'ok') return dire(etat, rep);
		const l = rep.clients.filter((c) => c.decouvert);
		vider(liste, l.length ? l.map((c) => h('li', { class: 'op' },
			h('span', { class: 'quoi' }, h('a', { href: '#/clients/' + encodeURIComponent(c.idCarte) }, c.idCarte)),
			h('span', { class: 'qui' + (c.solde < 0 ? ' negatif' : '') }, 'solde ' + euros(c.solde)),
			h('button', { type: 'button', onclick: () => fixer(c.idCarte, false) }, 'Retirer'))) : h('li', { class: 'aide' }, 'Aucune carte n’a de découvert.'));
	}
	async function fixer(id, oui) {
		const rep = await appel('client/decouvert', { idCarte: id, decouvert: oui ? 'oui' : 'non' }, { libelle: 'Découvert de ' + id });
		dire(etat, rep, `${id} : découvert ${oui ? 'autorisé' : 'retiré'}.`);
		charger();
	}
	const form = h('form', { class: 'formulaire', onsubmit: (e) => {
		e.preventDefault();
		const id = normaliser(valeur(carte));
		if (!id) return dire(etat, { status: 'requete_malforme', champ: 'idCarte' });
		fixer(id, true);
		form.reset();
	} }, carte, h('button', { class: 'principal' }, 'Autoriser le découvert'));
	charger();
	return bloc('Découverts autorisés', etat, liste, form);
}
