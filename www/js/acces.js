// Access for other programs, on the president's desk: API keys (the wall
// screen's among them) and OAuth apps. A secret is shown once, right after
// it is made, with a copy button; the server keeps only its hash. A key is
// made for one job: its portée names what it may do, and the wall screen's
// holds flux alone (the live feed: it can neither pay nor read an account).
import { appel } from './api.js';
import { h, vider, date, champ, bloc, copier, DROITS, etatDe, dire, confirmer } from './ui.js';

// The secret, once: a box to copy it from, gone when the person says so.
function secret(zone, titre, valeur, note) {
	const boite = h('textarea', { class: 'secret', readonly: true, rows: 2, 'aria-label': titre }, valeur);
	vider(zone, h('div', { class: 'bloc' },
		h('h3', {}, titre), h('p', { class: 'aide' }, note), boite,
		h('div', { class: 'actions' },
			h('button', { type: 'button', class: 'principal', onclick: () => copier(valeur, boite) }, 'Copier'),
			h('button', { type: 'button', onclick: () => vider(zone) }, 'C’est noté, masquer'))));
	boite.focus();
	boite.select();
}

// What a key may do (its portee, doc/integrators.md), as the form offers it.
const PORTEES = [
	['', 'Tout ce que permet son droit'],
	['lecture', 'Lecture (consulter)'],
	['lecture caisse', 'Lecture et caisse'],
	['flux', 'Direct seulement (écran)'],
	['compte', 'Identité seulement'],
];
const TOUTES = 'compte lecture caisse admin flux';

export function cles(s) {
	const etat = etatDe();
	const zone = h('div');
	const corps = h('tbody');
	const nom = champ('Nom', { required: true, maxlength: 60, placeholder: 'ex. Écran mural' });
	const droit = champ('Droit', { options: Object.entries(DROITS).filter(([v]) => +v <= s.droit) });
	const portee = champ('Portée', { options: PORTEES });
	const jours = champ('Expire dans (jours, facultatif)', { inputmode: 'numeric', pattern: '[0-9]*' });
	droit.lastChild.value = '2';

	async function charger() {
		const rep = await appel('cle/liste');
		if (rep.status !== 'ok') return dire(etat, rep);
		vider(corps, rep.cles.map((k) => h('tr', {},
			h('th', { scope: 'row' }, k.nom, h('br'), h('code', { class: 'aide' }, k.prefixe + '…')),
			h('td', { 'data-titre': 'Droit' }, k.droit), h('td', { 'data-titre': 'Portée' }, k.portee === TOUTES ? 'toutes' : k.portee),
			h('td', { 'data-titre': 'À' }, k.proprietaire ?? s.login),
			h('td', { 'data-titre': 'Utilisée' }, date(k.derniereUtilisation), h('br'), h('span', { class: 'aide' }, `${k.utilisations} utilisation${k.utilisations > 1 ? 's' : ''}`)),
			h('td', { 'data-titre': 'Expire' }, k.expiration ? date(k.expiration) : 'jamais'),
			h('td', {}, confirmer('Révoquer', async () => {
				const r = await appel('cle/supprimer', { id: k.id }, { libelle: 'Révocation de la clé ' + k.nom });
				dire(etat, r, `Clé « ${k.nom} » révoquée.`);
				charger();
			})))));
		if (!rep.cles.length) corps.append(h('tr', {}, h('td', { colspan: 7, class: 'aide' }, 'Aucune clé.')));
	}
	async function creer(params) {
		const rep = await appel('cle/creer', params, { libelle: 'Création de la clé ' + params.nom });
		if (rep.status !== 'ok') return dire(etat, rep);
		vider(etat);
		secret(zone, `Clé « ${rep.nom} » (droit ${rep.droit}, portée ${rep.portee === TOUTES ? 'toutes' : rep.portee})`, rep.cle,
			'Copiez-la maintenant : elle ne sera plus jamais affichée. Pour l’écran mural, collez-la une fois sur l’appareil du mur (page « Écran mural »).');
		charger();
	}
	const form = h('form', { class: 'formulaire', onsubmit: (e) => {
		e.preventDefault();
		creer({ nom: nom.lastChild.value.trim(), droit: droit.lastChild.value, portee: portee.lastChild.value || undefined,
			expiration: jours.lastChild.value.trim() || undefined });
		form.reset();
		droit.lastChild.value = '2';
	} }, nom, droit, portee, jours, h('button', { class: 'principal' }, 'Créer la clé'));
	charger();
	return bloc('Clés API', etat, zone,
		h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Tableau défilant' }, h('table', { class: 'empile' }, h('thead', {}, h('tr', {},
			['Nom', 'Droit', 'Portée', 'À', 'Dernière utilisation', 'Expire', ''].map((t) => h('th', { scope: 'col' }, t)))), corps)),
		h('h3', {}, 'Nouvelle clé'), form,
		h('div', { class: 'actions' }, h('button', { type: 'button', class: 'recharger', onclick: () => creer({ nom: 'Écran mural', droit: 2, portee: 'flux' }) },
			'Créer la clé de l’écran mural (direct seulement)')));
}

export function apps() {
	const etat = etatDe();
	const zone = h('div');
	const corps = h('tbody');
	const nom = champ('Nom de l’application', { required: true, maxlength: 60 });
	const uris = h('textarea', { id: 'redirections', rows: 3, required: true, placeholder: 'https://exemple.org/retour' });
	async function charger() {
		const rep = await appel('app/liste');
		if (rep.status !== 'ok') return dire(etat, rep);
		vider(corps, rep.apps.map((a) => h('tr', {},
			h('th', { scope: 'row' }, a.nom, h('br'), h('code', { class: 'aide' }, a.client_id)),
			h('td', {}, (a.redirect_uri ?? []).map((u) => h('div', { class: 'adresse' }, u))),
			h('td', {}, confirmer('Supprimer', async () => {
				const r = await appel('app/supprimer', { client_id: a.client_id }, { libelle: 'Suppression de ' + a.nom });
				dire(etat, r, `« ${a.nom} » supprimée, ses jetons révoqués.`);
				charger();
			})))));
		if (!rep.apps.length) corps.append(h('tr', {}, h('td', { colspan: 3, class: 'aide' }, 'Aucune application.')));
	}
	const form = h('form', { class: 'pile', onsubmit: async (e) => {
		e.preventDefault();
		const liste = uris.value.split(/\s+/).filter(Boolean);
		const rep = await appel('app/creer', { nom: nom.lastChild.value.trim(), redirect_uri: liste }, { libelle: 'Création d’une application' });
		if (rep.status !== 'ok') return dire(etat, rep);
		vider(etat);
		form.reset();
		secret(zone, `Secret de « ${rep.nom} » (client_id ${rep.client_id})`, rep.client_secret,
			'Copiez-le maintenant pour l’application : il ne sera plus jamais affiché.');
		charger();
	} }, nom, h('label', { class: 'champ', for: 'redirections' }, h('span', {}, 'Adresses de retour (une par ligne)'), uris),
		h('button', { class: 'principal' }, 'Créer l’application'));
	charger();
	return bloc('Applications OAuth', etat, zone,
		h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Tableau défilant' }, h('table', { class: 'empile' }, h('thead', {}, h('tr', {},
			['Application', 'Adresses de retour', ''].map((t) => h('th', { scope: 'col' }, t)))), corps)),
		h('h3', {}, 'Nouvelle application'), form);
}
