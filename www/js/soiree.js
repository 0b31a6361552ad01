// The evening as figures and charts: statistiques with its time series
// (depuis, jusqua, pas → serie: takings, drinks and top-ups per bucket, empty
// ones included), drawn by graphe.js, each chart with its table for those
// who prefer numbers (and for screen readers); beneath, the bar's figures
// since it opened, which statistiques gives beside the series. They follow
// the live feed: each operation of the bar asks for them again.
import { appel } from './api.js';
import { h, vider, euros, message } from './ui.js';
import { barres } from './graphe.js';
import { suivre } from './direct.js';

const H = 3600 * 1000;
// Each period: where it starts (from now) and its bucket width in seconds
// (the server takes 60 to 86 400, at most 1 000 buckets). Starts fall on
// whole hours or local midnights, so that each bar is an hour, a quarter of
// a day or a day of the clock on the wall.
const PERIODES = [
	{ nom: 'Ce soir', depuis: soir, pas: 900 },
	{ nom: '24 heures', depuis: (t) => heureRonde(t) - 23 * H, pas: 3600 },
	{ nom: '7 jours', depuis: (t) => minuit(t, 6), pas: 6 * 3600 },
	{ nom: '30 jours', depuis: (t) => minuit(t, 29), pas: 86400 },
];
function heureRonde(t) { const d = new Date(t); d.setMinutes(0, 0, 0); return d.getTime(); }
function minuit(t, jours) { const d = new Date(t); d.setDate(d.getDate() - jours); d.setHours(0, 0, 0, 0); return d.getTime(); }
// An evening starts at 16:00, today's or yesterday's before 6:00, and shows
// at least its last hour.
function soir(t) {
	const d = new Date(t);
	if (d.getHours() < 6) d.setDate(d.getDate() - 1);
	d.setHours(16, 0, 0, 0);
	return Math.min(d.getTime(), t - H);
}

const JOUR = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', day: 'numeric' });
const HM = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const nombre = (n) => n.toLocaleString('fr-FR');
const somme = (serie, cle) => Math.round(serie.reduce((t, b) => t + b[cle] * 100, 0)) / 100;

export function afficher(racine) {
	let choix = 0;
	const boutons = PERIODES.map((p, i) => h('button', { type: 'button', 'aria-pressed': String(i === choix), onclick: () => { choix = i; charger(); } }, p.nom));
	const periode = h('div', { class: 'chiffres' });
	const graphes = h('div', { class: 'grille' });
	const totaux = h('div', { class: 'chiffres' });
	const etat = h('div', { class: 'etat', role: 'status' });
	const etatDirect = h('p', { class: 'aide', role: 'status' }, 'Connexion au direct…');
	racine.append(h('h1', {}, 'La soirée'),
		h('div', { class: 'periodes', role: 'group', 'aria-label': 'Période' }, boutons),
		etatDirect, etat, periode, graphes,
		h('section', { class: 'bloc' }, h('h2', {}, 'Depuis l’ouverture du bar'), totaux));

	const chiffre = ([t, v]) => h('div', { class: 'chiffre' }, h('b', {}, v), h('span', {}, t));
	// One request at a time: operations arriving meanwhile ask for one more
	// once it is back (a rush does not make a request per payment).
	let enCours = 0, encore = false, attente = null;
	function suivreLeBar() {
		if (attente) { encore = true; return; }
		attente = charger().finally(() => { attente = null; if (encore) { encore = false; suivreLeBar(); } });
	}
	async function charger() {
		boutons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === choix)));
		const p = PERIODES[choix], maintenant = Date.now(), n = ++enCours;
		const rep = await appel('statistiques', { depuis: p.depuis(maintenant), jusqua: maintenant, pas: p.pas });
		if (n !== enCours) return; // another period was asked meanwhile
		if (rep.status !== 'ok') { vider(etat, h('p', { class: 'erreur' }, message(rep))); return; }
		vider(etat);
		let serie = rep.serie ?? [];
		// The evening from the hour before its first operation: no empty
		// afternoon squeezing the bars.
		if (choix === 0) {
			const premier = serie.findIndex((b) => b.recettes || b.consommations || b.rechargements);
			const depuis = premier < 0 ? 0 : serie.findIndex((b) => b.debut >= serie[premier].debut - H);
			serie = serie.slice(Math.max(0, Math.min(depuis, serie.length - 4)));
		}
		vider(periode, [
			[`Recettes · ${p.nom.toLowerCase()}`, euros(somme(serie, 'recettes'))],
			[`Consommations · ${p.nom.toLowerCase()}`, nombre(somme(serie, 'consommations'))],
			[`Rechargements · ${p.nom.toLowerCase()}`, euros(somme(serie, 'rechargements'))],
		].map(chiffre));
		vider(totaux, [
			['Recettes', euros(rep.recettes)], ['Consommations', nombre(rep.consommationsNb)], ['Clients', nombre(rep.clientsNb)],
			['Dû aux clients', euros(rep.dettes)], ['Bénéfices', euros(rep.benefices)], ['Solde moyen', euros(rep.soldeMoy)],
			['Facture BDE', euros(rep.factureBDE)],
		].map(chiffre));
		const court = p.pas >= 86400 ? (ms) => JOUR.format(new Date(ms)) : p.pas >= 6 * 3600
			? (ms) => JOUR.format(new Date(ms)) + ' ' + HM.format(new Date(ms)) : (ms) => HM.format(new Date(ms));
		const axe = p.pas >= 6 * 3600 ? (ms) => JOUR.format(new Date(ms)) : court;
		const courbe = (titre, cle, format, classe) => {
			const points = serie.map((b) => ({ debut: b.debut, valeur: b[cle] }));
			const pleins = points.filter((x) => x.valeur);
			return h('section', { class: 'bloc graphe', 'data-serie': cle }, h('h2', {}, `${titre} · ${format(somme(serie, cle))}`),
				barres(points, { largeur: graphes.clientWidth - 34, format, axe: format === euros ? (v) => String(v).replace('.', ',') + ' €' : format, classe, entier: format !== euros,
					titre: `${titre}, ${p.nom.toLowerCase()}, par tranche de ${p.pas >= 3600 ? p.pas / 3600 + ' h' : p.pas / 60 + ' min'}`,
					heure: axe, detail: court }),
				h('details', {}, h('summary', {}, 'Voir en tableau'), h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': `${titre} en tableau` }, h('table', {},
					h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Début'), h('th', { scope: 'col', class: 'nombre' }, titre))),
					h('tbody', {}, pleins.length ? pleins.map((x) => h('tr', {}, h('td', {}, court(x.debut)), h('td', { class: 'nombre' }, format(x.valeur))))
						: h('tr', {}, h('td', { colspan: 2, class: 'aide' }, 'Rien sur cette période.')))))));
		};
		vider(graphes,
			courbe('Recettes', 'recettes', euros, 'barre-recettes'),
			courbe('Consommations', 'consommations', (v) => String(v), 'barre-consommations'),
			courbe('Rechargements', 'rechargements', euros, 'barre-rechargements'));
	}
	charger();
	return suivre({
		types: ['transaction', 'annulation', 'refaire'],
		recu: suivreLeBar,
		reinitialiser: suivreLeBar,
		etat: (mot, d) => {
			etatDirect.textContent = { direct: '● En direct : les chiffres suivent les opérations du bar.',
				coupure: 'Direct coupé : reconnexion…', fin: 'Direct arrêté : ' + (d ? message(d) : ''),
				refus: 'Direct refusé : ' + (d ? message(d) : '') }[mot];
			etatDirect.classList.toggle('erreur', mot !== 'direct');
		},
	});
}
