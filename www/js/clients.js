// Looking back at the clients: the whole list (it can hold 100 000 cards, so
// only the rows in view are in the page), a search on the card id, and each
// card's fiche with its history in pages of 50 (limite/apres).
import { appel } from './api.js';
import { h, vider, euros, message, date, TYPES, effet, bloc } from './ui.js';

const HAUTEUR = 52;   // px per row, as in the stylesheet (.liste .rangee)
const PAGE = 50;

export function afficher(racine, args, s) {
	return args[0] ? fiche(racine, args[0], s) : liste(racine, s);
}

function liste(racine, s) {
	const etat = h('p', { class: 'aide', role: 'status' }, 'Chargement…');
	const recherche = h('input', { id: 'recherche', type: 'search', autocomplete: 'off', placeholder: 'ex. 04A2', spellcheck: 'false' });
	const fenetre = h('div', { class: 'liste', role: 'list', 'aria-label': 'Clients', tabindex: '0' });
	const cale = h('div');
	fenetre.append(cale);
	let tous = [], vus = [];
	racine.append(h('h1', {}, 'Clients'), bloc('Chercher',
		h('label', { class: 'champ', for: 'recherche' }, h('span', {}, 'Numéro de carte (ou une partie)'), recherche), etat, fenetre));

	// Only the rows in view (and a few around) exist in the page.
	function dessiner() {
		const debut = Math.max(0, Math.floor(fenetre.scrollTop / HAUTEUR) - 5);
		const fin = Math.min(vus.length, debut + Math.ceil(fenetre.clientHeight / HAUTEUR) + 10);
		const rangees = [];
		for (let i = debut; i < fin; i++) {
			const c = vus[i];
			const a = h('a', { class: 'rangee', role: 'listitem', href: '#/clients/' + encodeURIComponent(c.idCarte),
				'aria-setsize': vus.length, 'aria-posinset': i + 1 },
				h('span', {}, c.idCarte), h('span', { class: 'aide' }, c.decouvert ? 'découvert' : ''),
				h('span', { class: 'montant' + (c.solde < 0 ? ' negatif' : '') }, euros(c.solde)));
			a.style.top = i * HAUTEUR + 'px';
			rangees.push(a);
		}
		cale.style.height = vus.length * HAUTEUR + 'px';
		vider(cale, rangees);
	}
	function filtrer() {
		const q = recherche.value.trim().toLowerCase().replace(/[\s:]/g, '');
		vus = q ? tous.filter((c) => c.idCarte.toLowerCase().includes(q)) : tous;
		const total = vus.reduce((t, c) => t + Math.round(c.solde * 100), 0) / 100;
		etat.textContent = `${vus.length.toLocaleString('fr-FR')} client${vus.length > 1 ? 's' : ''}${q ? ' trouvés' : ''} · total des soldes ${euros(total)}`;
		fenetre.scrollTop = 0;
		dessiner();
	}
	let image = 0;
	fenetre.addEventListener('scroll', () => { cancelAnimationFrame(image); image = requestAnimationFrame(dessiner); });
	recherche.addEventListener('input', filtrer);
	recherche.addEventListener('keydown', (e) => {
		if (e.key === 'Enter' && vus.length) location.hash = '#/clients/' + encodeURIComponent(vus[0].idCarte);
	});
	appel('client/liste').then((rep) => {
		if (rep.status !== 'ok') { etat.textContent = message(rep); return; }
		tous = rep.clients;
		filtrer();
	});
	recherche.focus();
}

function fiche(racine, id, s) {
	const etat = h('div', { class: 'etat', role: 'status' });
	const tete = h('div');
	const corps = h('tbody');
	const plus = h('button', { type: 'button', hidden: true }, `${PAGE} suivantes`);
	let suivant = null;
	racine.append(h('p', {}, h('a', { href: '#/clients' }, '← Tous les clients')),
		h('h1', {}, 'Carte ' + id), etat, tete,
		bloc('Historique (plus anciennes d’abord)',
			h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Tableau défilant' }, h('table', {},
				h('thead', {}, h('tr', {}, ['Date', 'Opération', 'Montant', 'Qté', 'Par', 'N°'].map((t, i) =>
					h('th', { scope: 'col', class: i === 2 || i === 3 ? 'nombre' : false }, t)))),
				corps)), plus));

	async function page() {
		plus.disabled = true;
		const rep = await appel('client/fiche', { idCarte: id, limite: PAGE, apres: suivant ?? undefined });
		plus.disabled = false;
		if (rep.status !== 'ok') { vider(etat, h('p', { class: 'erreur' }, message(rep))); return; }
		if (suivant === null) entete(rep);
		for (const t of rep.transactions) corps.append(h('tr', { class: t.valide ? '' : 'annulee' },
			h('td', {}, date(t.date)), h('td', {}, TYPES[t.type] ?? 'type ' + t.type, t.valide ? '' : ' (annulée)'),
			h('td', { class: 'nombre' + (effet(t) < 0 ? ' negatif' : '') }, (effet(t) > 0 ? '+' : '') + euros(effet(t))),
			h('td', { class: 'nombre' }, t.qte || ''), h('td', {}, t.utilisateur), h('td', {}, t.id)));
		if (!corps.children.length) corps.append(h('tr', {}, h('td', { colspan: 6, class: 'aide' }, 'Aucune opération.')));
		suivant = rep.suivant ?? null;
		plus.hidden = suivant === null;
	}
	plus.addEventListener('click', page);

	function entete(rep) {
		const dec = s.droit >= 3 && h('input', { type: 'checkbox', id: 'decouvert', checked: !!rep.decouvert });
		dec?.addEventListener('change', async () => {
			const r = await appel('client/decouvert', { idCarte: id, decouvert: dec.checked ? 'oui' : 'non' },
				{ libelle: `Découvert de ${id}` });
			vider(etat, h('p', { class: r.status === 'ok' ? 'ok' : 'erreur' },
				r.status === 'ok' ? (dec.checked ? 'Découvert autorisé.' : 'Découvert retiré.') : message(r)));
			if (r.status !== 'ok') dec.checked = !dec.checked;
		});
		vider(tete, h('section', { class: 'bloc' },
			h('p', { class: 'aide' }, 'Solde'), h('p', { class: 'solde' + (rep.solde < 0 ? ' negatif' : '') }, euros(rep.solde)),
			dec ? h('label', { class: 'case', for: 'decouvert' }, dec, 'Découvert autorisé')
				: rep.decouvert !== undefined && h('p', {}, rep.decouvert ? 'Découvert autorisé' : 'Sans découvert'),
			h('div', { class: 'actions' }, h('a', { class: 'bouton', href: '#/caisse/' + encodeURIComponent(id) }, 'Ouvrir à la caisse'))));
	}
	page();
}
