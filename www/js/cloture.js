// The evening's close-out on one printable page (doc/treasurer.md): for a
// period (by default this evening, from 16:00), the takings, drinks, top-ups
// and free credit; what sold per product; the takings over time as a chart;
// the shifts with what each expected, counted and missed, and each one's
// money per means of payment; then the period's two CSV exports. Every
// figure is the server's (statistiques, service/liste), computed from the
// ledger. "Imprimer" prints it on A4 (app.css, @media print).
import { appel, courante } from './api.js';
import { h, vider, euros, message, date, MOYENS } from './ui.js';
import { barres } from './graphe.js';

const H = 3600 * 1000;
const HM = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const JOUR = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full' });
// A datetime-local field's value for ms, and back (local time).
const local = (ms) => { const d = new Date(ms); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 16); };
function soir(t) {
	const d = new Date(t);
	if (d.getHours() < 6) d.setDate(d.getDate() - 1);
	d.setHours(16, 0, 0, 0);
	return Math.min(d.getTime(), t - H);
}

export function afficher(racine) {
	const maintenant = Date.now();
	const du = h('input', { id: 'cloture-du', type: 'datetime-local', value: local(soir(maintenant)) });
	const au = h('input', { id: 'cloture-au', type: 'datetime-local', value: local(maintenant + 60000) });
	const etat = h('div', { class: 'etat', role: 'status' });
	const feuille = h('div', { class: 'feuille' });
	const exports = h('div', { class: 'actions' },
		h('button', { type: 'button', onclick: (e) => telecharger('transactions', e.currentTarget) }, 'Exporter les opérations (CSV)'),
		h('button', { type: 'button', onclick: (e) => telecharger('services', e.currentTarget) }, 'Exporter les services (CSV)'),
		h('label', { class: 'case', for: 'cloture-rfc' }, h('input', { type: 'checkbox', id: 'cloture-rfc' }), 'Format programmes (virgules, RFC 4180)'));
	racine.append(h('h1', {}, 'Clôture de la soirée'),
		h('form', { class: 'bloc formulaire ecran-seul', onsubmit: (e) => { e.preventDefault(); charger(); } },
			h('div', { class: 'champ' }, h('label', { for: 'cloture-du' }, 'Du'), du),
			h('div', { class: 'champ' }, h('label', { for: 'cloture-au' }, 'Au'), au),
			h('button', { class: 'principal' }, 'Afficher'),
			h('button', { type: 'button', onclick: () => window.print() }, 'Imprimer')),
		etat, feuille,
		h('section', { class: 'bloc ecran-seul' }, h('h2', {}, 'Exports de la période'), exports));

	const periode = () => {
		const a = new Date(du.value).getTime(), b = new Date(au.value).getTime();
		return Number.isFinite(a) && Number.isFinite(b) && b > a ? { depuis: a, jusqua: b } : null;
	};
	const chiffre = ([t, v]) => h('div', { class: 'chiffre' }, h('b', {}, v), h('span', {}, t));
	const somme = (l, f) => Math.round(l.reduce((t, x) => t + f(x) * 100, 0)) / 100;

	async function charger() {
		const p = periode();
		if (!p) return vider(etat, h('p', { class: 'erreur' }, 'Période invalide : la fin doit suivre le début.'));
		const pas = Math.max(900, Math.ceil((p.jusqua - p.depuis) / 1000 / 1000 / 900) * 900);
		vider(etat, h('p', { class: 'info' }, 'Chargement…'));
		const [st, sv] = await Promise.all([appel('statistiques', { ...p, pas: Math.min(pas, 86400) }), appel('service/liste', p)]);
		const refus = [st, sv].find((r) => r.status !== 'ok');
		if (refus) return vider(etat, h('p', { class: 'erreur' }, message(refus)));
		vider(etat);
		const serie = st.serie ?? [];
		const services = sv.services;
		const parMoyen = Object.fromEntries(Object.keys(MOYENS).map((m) => [m, somme(services, (s) => s.totaux[m])]));
		const ecarts = somme(services.filter((s) => s.ecart !== null), (s) => s.ecart);
		vider(feuille,
			h('header', { class: 'entete-feuille' },
				h('p', {}, `Du ${date(p.depuis)} au ${date(p.jusqua)}`),
				h('p', { class: 'aide' }, `Imprimé le ${JOUR.format(new Date())} à ${HM.format(new Date())} par ${courante()?.login ?? ''}`)),
			h('section', { class: 'bloc' }, h('h2', {}, 'Chiffres de la période'),
				h('div', { class: 'chiffres' }, [
					['Recettes', euros(somme(serie, (b) => b.recettes))],
					['Consommations', String(somme(serie, (b) => b.consommations))],
					['Rechargements', euros(somme(serie, (b) => b.rechargements))],
					['Écart des caisses', euros(ecarts)],
				].map(chiffre))),
			h('section', { class: 'bloc graphe', 'data-serie': 'recettes', 'data-pas': pas * 1000 }, h('h2', {}, 'Recettes au fil de la soirée'),
				barres(serie.map((b) => ({ debut: b.debut, valeur: b.recettes })), { largeur: Math.min(feuille.clientWidth || 700, 900) - 34, format: euros,
					axe: (v) => String(v).replace('.', ',') + ' €', classe: 'barre-recettes',
					titre: `Recettes par tranche de ${pas >= 3600 ? pas / 3600 + ' h' : pas / 60 + ' min'}`, heure: (ms) => HM.format(new Date(ms)) })),
			h('section', { class: 'bloc' }, h('h2', {}, 'Argent reçu par moyen (services de la période)'),
				h('p', { class: 'aide' }, 'Rechargements et ouvertures de compte, moins les vidanges, faits pendant un service.'),
				h('table', { class: 'moyens' }, h('tbody', {}, Object.entries(MOYENS).map(([k, t]) =>
					h('tr', {}, h('th', { scope: 'row' }, t), h('td', { class: 'nombre' }, euros(parMoyen[k]))))))),
			h('section', { class: 'bloc' }, h('h2', {}, 'Services et écarts'),
				services.length ? h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Services' }, h('table', { class: 'services' },
					h('thead', {}, h('tr', {}, ['N°', 'Caisse', 'Membre', 'Ouverture', 'Fermeture', 'Fond', 'Attendu', 'Compté', 'Écart', ...Object.values(MOYENS)]
						.map((t, i) => h('th', { scope: 'col', class: i >= 5 ? 'nombre' : null }, t)))),
					h('tbody', {}, services.map((s) => h('tr', { class: s.modifie ? 'modifie' : null, 'data-service': s.id },
						h('td', {}, s.id), h('td', {}, s.caisse), h('td', {}, s.utilisateur), h('td', {}, date(s.ouverture)),
						h('td', {}, s.fermeture ? date(s.fermeture) : 'ouvert'),
						[s.fond, s.attendu, s.compte, s.ecart].map((v) => h('td', { class: 'nombre' }, v === null ? '—' : euros(v))),
						Object.keys(MOYENS).map((m) => h('td', { class: 'nombre' }, euros(s.totaux[m]))))))))
					: h('p', { class: 'aide' }, 'Aucun service ouvert sur cette période.'),
				services.some((s) => s.modifie) && h('p', { class: 'aide' },
					'En italique : un service dont une opération a été annulée ou rétablie après sa fermeture ; « Attendu » suit le grand livre, la fermeture attendait ',
					services.filter((s) => s.modifie).map((s) => `${euros(s.attenduFermeture)} (n° ${s.id})`).join(', '), '.')),
			h('section', { class: 'bloc' }, h('h2', {}, 'Ventes par produit'),
				st.produits?.length ? h('table', { class: 'produits-vendus' },
					h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Produit'), h('th', { scope: 'col', class: 'nombre' }, 'Quantité'), h('th', { scope: 'col', class: 'nombre' }, 'Montant'))),
					h('tbody', {}, st.produits.map((x) => h('tr', {}, h('td', {}, x.nom), h('td', { class: 'nombre' }, x.qte), h('td', { class: 'nombre' }, euros(x.montant))))))
					: h('p', { class: 'aide' }, 'Aucune vente du catalogue sur cette période.')));
	}

	// The file is asked for by a POST carrying the session (a credential never
	// travels in a URL), then handed to the browser as a download.
	async function telecharger(quoi, bouton) {
		const p = periode();
		if (!p) return vider(etat, h('p', { class: 'erreur' }, 'Période invalide : la fin doit suivre le début.'));
		const corps = new URLSearchParams({ jeton: courante().jeton, depuis: p.depuis, jusqua: p.jusqua });
		if (document.getElementById('cloture-rfc').checked) corps.set('format', 'rfc4180');
		bouton.disabled = true;
		try {
			const r = await fetch('api/export/' + quoi, { method: 'POST', body: corps, cache: 'no-store' });
			if (!(r.headers.get('Content-Type') ?? '').startsWith('text/csv')) {
				const rep = await r.json().catch(() => ({ status: 'erreur_generique' }));
				return vider(etat, h('p', { class: 'erreur' }, message(rep)));
			}
			const nom = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') ?? '')?.[1] ?? quoi + '.csv';
			const url = URL.createObjectURL(await r.blob());
			const a = h('a', { href: url, download: nom, hidden: true });
			document.body.append(a);
			a.click();
			a.remove();
			setTimeout(() => URL.revokeObjectURL(url), 10000);
			vider(etat, h('p', { class: 'ok' }, `Export prêt : ${nom}.`));
		} catch {
			vider(etat, h('p', { class: 'erreur' }, message({ status: 'reseau' })));
		} finally {
			bouton.disabled = false;
		}
	}

	charger();
}
