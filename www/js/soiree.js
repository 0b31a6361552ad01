// The evening as figures and charts: statistiques for the totals, and its
// time series (depuis, jusqua, pas → serie) for takings, drinks and top-ups
// over time, drawn by graphe.js, each with its table for those who prefer
// numbers (and for screen readers).
import { appel } from './api.js';
import { h, vider, euros, message, bloc } from './ui.js';
import { barres } from './graphe.js';

const H = 3600 * 1000;
// Each period: where it starts (from now) and its bucket width in seconds.
const PERIODES = [
	{ nom: 'Ce soir', depuis: soir, pas: 900 },
	{ nom: '24 heures', depuis: (t) => t - 24 * H, pas: 3600 },
	{ nom: '7 jours', depuis: (t) => t - 7 * 24 * H, pas: 6 * 3600 },
	{ nom: '30 jours', depuis: (t) => t - 30 * 24 * H, pas: 86400 },
];
// An evening starts at 16:00, today's or yesterday's before 6:00.
function soir(t) {
	const d = new Date(t);
	if (d.getHours() < 6) d.setDate(d.getDate() - 1);
	d.setHours(16, 0, 0, 0);
	return Math.min(d.getTime(), t - H);
}

const JOUR = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', day: 'numeric' });
const HM = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });

export function afficher(racine) {
	let choix = 0;
	const boutons = PERIODES.map((p, i) => h('button', { type: 'button', 'aria-pressed': String(i === choix), onclick: () => { choix = i; charger(); } }, p.nom));
	const chiffres = h('div', { class: 'chiffres' });
	const graphes = h('div', { class: 'grille' });
	const etat = h('div', { class: 'etat', role: 'status' });
	racine.append(h('h1', {}, 'La soirée'), h('div', { class: 'periodes', role: 'group', 'aria-label': 'Période' }, boutons,
		h('button', { type: 'button', class: 'discret', onclick: () => charger() }, 'Actualiser')), etat, chiffres, graphes);

	async function charger() {
		boutons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === choix)));
		const p = PERIODES[choix], maintenant = Date.now();
		const rep = await appel('statistiques', { depuis: p.depuis(maintenant), jusqua: maintenant, pas: p.pas });
		if (rep.status !== 'ok') { vider(etat, h('p', { class: 'erreur' }, message(rep))); return; }
		vider(etat);
		vider(chiffres, [
			['Recettes', euros(rep.recettes)], ['Consommations', rep.consommationsNb], ['Clients', rep.clientsNb],
			['Dû aux clients', euros(rep.dettes)], ['Bénéfices', euros(rep.benefices)], ['Solde moyen', euros(rep.soldeMoy)],
			['Facture BDE', euros(rep.factureBDE)],
		].map(([t, v]) => h('div', { class: 'chiffre' }, h('b', {}, v), h('span', {}, t))));
		if (!Array.isArray(rep.serie)) {
			vider(graphes, h('p', { class: 'vide' }, 'Ce serveur ne donne pas encore l’évolution dans le temps (statistiques sans « serie ») : seuls les totaux sont affichés.'));
			return;
		}
		const heure = (ms) => (p.pas >= 86400 ? JOUR : p.pas >= 6 * 3600 ? JOUR : HM).format(new Date(ms));
		const etiquette = (ms) => (p.pas >= 6 * 3600 && p.pas < 86400 ? JOUR.format(new Date(ms)) + ' ' + HM.format(new Date(ms)) : heure(ms));
		const courbe = (titre, cle, format, classe) => {
			const points = rep.serie.map((b) => ({ debut: b.debut, valeur: b[cle] }));
			const total = points.reduce((t, x) => t + x.valeur, 0);
			return h('section', { class: 'bloc graphe' }, h('h2', {}, `${titre} · ${format(Math.round(total * 100) / 100)}`),
				barres(points, { largeur: graphes.clientWidth - 34, format, axe: format === euros ? (v) => v + ' €' : format, classe, titre: `${titre}, ${p.nom.toLowerCase()}`, heure }),
				h('details', {}, h('summary', {}, 'Voir en tableau'), h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Tableau défilant' }, h('table', {},
					h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Début'), h('th', { scope: 'col', class: 'nombre' }, titre))),
					h('tbody', {}, points.filter((x) => x.valeur).map((x) => h('tr', {}, h('td', {}, etiquette(x.debut)), h('td', { class: 'nombre' }, format(x.valeur)))))))));
		};
		vider(graphes,
			courbe('Recettes', 'recettes', euros, 'barre-recettes'),
			courbe('Consommations', 'consommations', (v) => String(v), 'barre-consommations'),
			courbe('Rechargements', 'rechargements', euros, 'barre-rechargements'));
	}
	charger();
	const minuteur = setInterval(charger, 60000);
	return () => clearInterval(minuteur);
}
