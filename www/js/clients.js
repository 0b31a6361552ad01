// Looking back at the clients: the whole list (it can hold 100 000 cards, so
// only the rows in view are in the page), a search on the card id, and each
// card's fiche with its history newest first, in pages of 50. A lost card
// is blocked, replaced and given a holder code from here (titulaire.js).
import { appel } from './api.js';
import { h, vider, euros, message, TYPES, effet, bloc } from './ui.js';
import { boutonBlocage, remplacement, codeTitulaire } from './titulaire.js';

const HAUTEUR = 52;   // px per row, as in the stylesheet (.liste .rangee)
const PAGE = 50;
const HEURE = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const SOIR = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

// The evening a time belongs to, as its day's midnight: a bar's night runs
// past midnight, so before 6:00 is still the evening before.
function soiree(ms) {
	const d = new Date(ms - 6 * 3600 * 1000);
	d.setHours(0, 0, 0, 0);
	return d.getTime();
}

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
		h('label', { class: 'champ', for: 'recherche' }, h('span', {}, 'Numéro de carte (ou une partie)'), recherche), etat, fenetre),
	bloc('Remplacer une carte perdue', remplacement()));

	// Only the rows in view (and a few around) exist in the page.
	function dessiner() {
		const debut = Math.max(0, Math.floor(fenetre.scrollTop / HAUTEUR) - 5);
		const fin = Math.min(vus.length, debut + Math.ceil(fenetre.clientHeight / HAUTEUR) + 10);
		const rangees = [];
		for (let i = debut; i < fin; i++) {
			const c = vus[i];
			const a = h('a', { class: 'rangee' + (c.bloquee ? ' bloquee' : ''), role: 'listitem', href: '#/clients/' + encodeURIComponent(c.idCarte),
				'aria-setsize': vus.length, 'aria-posinset': i + 1 },
				h('span', {}, c.idCarte), h('span', { class: 'aide' }, [c.bloquee && 'bloquée', c.decouvert && 'découvert'].filter(Boolean).join(' · ')),
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
	const plus = h('button', { type: 'button', hidden: true }, `${PAGE} plus anciennes`);
	const etatBloquee = h('span');
	// Shown once the card has a fiche (a grid's display would beat `hidden`).
	const outils = h('div', { hidden: true }, h('div', { class: 'grille deux' },
		bloc('Remplacer la carte', remplacement(id)), bloc('Titulaire', codeTitulaire(id))));
	let suivant = null, soirPrecedent = null;
	const historique = bloc('Historique (plus récentes d’abord)',
			h('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': 'Historique de la carte' }, h('table', { class: 'historique' },
				h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Heure'), h('th', { scope: 'col' }, 'Opération'),
					h('th', { scope: 'col', class: 'nombre' }, 'Montant'))),
				corps)), plus);
	racine.append(h('p', {}, h('a', { href: '#/clients' }, '← Tous les clients')),
		h('h1', {}, 'Carte ' + id, etatBloquee), etat, tete, outils, historique);

	// Newest first (ordre=recent, pages with avant), under one heading per
	// evening: tonight's on top.
	async function page() {
		plus.disabled = true;
		const rep = await appel('client/fiche', { idCarte: id, limite: PAGE, ordre: 'recent', avant: suivant ?? undefined });
		plus.disabled = false;
		if (rep.status === 'carte_bloquee' && rep.remplaceePar) return remplacee(rep.remplaceePar);
		if (rep.status !== 'ok') { vider(etat, h('p', { class: 'erreur' }, message(rep))); return; }
		if (suivant === null) entete(rep);
		const ceSoir = soiree(Date.now());
		for (const t of rep.transactions) {
			const soir = soiree(t.date);
			if (soir !== soirPrecedent) {
				soirPrecedent = soir;
				corps.append(h('tr', { class: 'soir' }, h('th', { colspan: 3, scope: 'colgroup' },
					soir === ceSoir ? 'Ce soir' : SOIR.format(new Date(soir)).replace(/^./, (c) => c.toUpperCase()))));
			}
			const quoi = t.type === 3 && t.qte ? `${t.qte} conso${t.qte > 1 ? 's' : ''}` : TYPES[t.type] ?? 'type ' + t.type;
			corps.append(h('tr', { class: t.valide ? '' : 'annulee', 'data-id': t.id },
				h('td', {}, HEURE.format(new Date(t.date))),
				h('td', {}, quoi, t.valide ? '' : ' (annulée)', h('span', { class: 'aide detail' }, `${t.utilisateur} · n° ${t.id}`)),
				h('td', { class: 'nombre' + (effet(t) < 0 ? ' negatif' : '') }, (effet(t) > 0 ? '+' : '') + euros(effet(t)))));
		}
		if (!corps.children.length) corps.append(h('tr', {}, h('td', { colspan: 3, class: 'aide' }, 'Aucune opération.')));
		suivant = rep.suivant ?? null;
		plus.hidden = suivant === null;
	}
	plus.addEventListener('click', page);

	// A former card has no fiche of its own: it names the card its account moved to.
	function remplacee(nouvelle) {
		historique.hidden = true;
		vider(etatBloquee, ' ', h('span', { class: 'badge bloquee' }, 'bloquée'));
		vider(tete, h('section', { class: 'bloc' }, h('p', { class: 'alerte' }, 'Ancienne carte, bloquée pour toujours : son compte est passé sur la carte ',
			h('a', { href: '#/clients/' + encodeURIComponent(nouvelle) }, nouvelle), '.')));
	}

	function entete(rep) {
		const dec = s.droit >= 3 ? h('input', { type: 'checkbox', id: 'decouvert', checked: !!rep.decouvert }) : null;
		dec?.addEventListener('change', async () => {
			const r = await appel('client/decouvert', { idCarte: id, decouvert: dec.checked ? 'oui' : 'non' },
				{ libelle: `Découvert de ${id}` });
			vider(etat, h('p', { class: r.status === 'ok' ? 'ok' : 'erreur' },
				r.status === 'ok' ? (dec.checked ? 'Découvert autorisé.' : 'Découvert retiré.') : message(r)));
			if (r.status !== 'ok') dec.checked = !dec.checked;
			rep.decouvert = dec.checked;
		});
		vider(etatBloquee, rep.bloquee && [' ', h('span', { class: 'badge bloquee' }, 'bloquée')]);
		vider(tete, h('section', { class: 'bloc' + (rep.bloquee ? ' bloquee' : '') },
			rep.bloquee && h('p', { class: 'alerte' }, 'Carte bloquée : elle ne paie ni ne se recharge plus.'),
			h('p', { class: 'aide' }, 'Solde'), h('p', { class: 'solde' + (rep.solde < 0 ? ' negatif' : '') }, euros(rep.solde)),
			dec ? h('label', { class: 'case', for: 'decouvert' }, dec, 'Découvert autorisé')
				: rep.decouvert !== undefined && h('p', {}, rep.decouvert ? 'Découvert autorisé' : 'Sans découvert'),
			h('div', { class: 'actions' }, h('a', { class: 'bouton', href: '#/caisse/' + encodeURIComponent(id) }, 'Ouvrir à la caisse'),
				boutonBlocage(id, rep.bloquee, etat, (b) => { rep.bloquee = b; entete(rep); }))));
		outils.hidden = false;
	}
	page();
	// A holder's slip printed from here is the only thing printed while it is shown.
	return () => document.body.classList.remove('avec-ticket');
}
