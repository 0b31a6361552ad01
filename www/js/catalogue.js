// The catalogue editor (president; doc/api.md, "The treasurer"): what the
// till's buttons sell. Each product, in the till's order (as loaded), is a
// small form of its own (name, price, category, place, on sale or not)
// sending only the fields changed to produit/modifier; a form below adds
// one. A product is never deleted: taken off sale, it leaves the till's
// buttons and keeps its past sales' lines.
import { appel } from './api.js';
import { h, vider, euros, montant, bloc, champ, etatDe, dire } from './ui.js';

const prixTexte = (p) => p.toFixed(2).replace('.', ',');
const saisie = (c) => c.lastChild.value.trim();

export function afficher(racine) {
	const etat = etatDe();
	const liste = h('div', { class: 'catalogue' });
	const categories = h('datalist', { id: 'catalogue-categories' });

	async function charger() {
		const rep = await appel('produit/liste');
		if (rep.status !== 'ok') return dire(etat, rep);
		vider(categories, [...new Set(rep.produits.map((p) => p.categorie).filter(Boolean))].map((c) => h('option', { value: c })));
		vider(liste, rep.produits.length ? rep.produits.map(fiche)
			: h('p', { class: 'aide' }, 'Aucun produit : la caisse n’a pas de boutons de produits. Ajoutez-en ci-dessous.'));
	}

	// The form of one product, with its own status line; what differs from
	// p is sent, and p follows what was saved.
	function fiche(p) {
		const nom = champ('Nom', { value: p.nom, maxlength: '64', required: true });
		const prix = champ('Prix', { value: prixTexte(p.prix), inputmode: 'decimal', required: true });
		const cat = champ('Catégorie', { value: p.categorie, maxlength: '64', list: categories.id });
		const ordre = champ('Place', { value: String(p.ordre), inputmode: 'numeric', pattern: '[0-9]*' });
		const actif = h('input', { type: 'checkbox', checked: p.actif });
		const titre = h('legend');
		const etatP = etatDe();
		const form = h('form', { class: 'article', 'data-id': p.id, onsubmit: async (e) => {
			e.preventDefault();
			const champs = {};
			if (saisie(nom) !== p.nom) champs.nom = saisie(nom);
			if (saisie(prix) !== prixTexte(p.prix)) {
				champs.prix = montant(saisie(prix));
				if (champs.prix === null) return dire(etatP, { status: 'requete_malforme', champ: 'prix' });
			}
			// A category is changed, never emptied; a place is a number.
			if (saisie(cat) !== p.categorie) champs.categorie = saisie(cat);
			if (champs.categorie === '') return dire(etatP, { status: 'requete_malforme', champ: 'categorie' });
			if (saisie(ordre) !== String(p.ordre)) champs.ordre = saisie(ordre);
			if (champs.ordre === '') return dire(etatP, { status: 'requete_malforme', champ: 'ordre' });
			if (actif.checked !== p.actif) champs.actif = actif.checked ? 'oui' : 'non';
			if (!Object.keys(champs).length) return dire(etatP, { status: 'ok' }, `${p.nom} : rien n’a changé.`);
			const rep = await appel('produit/modifier', { id: p.id, ...champs }, { libelle: 'Le produit ' + p.nom });
			dire(etatP, rep, `${champs.nom ?? p.nom} : enregistré${champs.actif ? (champs.actif === 'oui' ? ', remis en vente' : ', retiré de la vente') : ''}.`);
			if (rep.status !== 'ok') return;
			Object.assign(p, { nom: saisie(nom), prix: Number(montant(saisie(prix))), categorie: saisie(cat),
				ordre: Number(saisie(ordre)), actif: actif.checked });
			prix.lastChild.value = prixTexte(p.prix);
			dessiner();
			if (p.categorie && ![...categories.options].some((o) => o.value === p.categorie)) categories.append(h('option', { value: p.categorie }));
		} },
		h('fieldset', {}, titre,
			h('div', { class: 'formulaire' }, nom, prix, cat, ordre,
				h('label', { class: 'case' }, actif, 'En vente'),
				h('button', {}, 'Enregistrer')), etatP));
		function dessiner() {
			vider(titre, p.nom, !p.actif && h('span', { class: 'aide' }, ' (hors vente)'));
			form.classList.toggle('inactif', !p.actif);
		}
		dessiner();
		return form;
	}

	const nom = champ('Nom', { maxlength: '64', required: true });
	const prix = champ('Prix', { inputmode: 'decimal', required: true, placeholder: '2,50' });
	const cat = champ('Catégorie', { maxlength: '64', list: categories.id, placeholder: 'Bières' });
	const ordre = champ('Place', { inputmode: 'numeric', pattern: '[0-9]*', placeholder: '0' });
	const etatAjout = etatDe();
	// The product being added: the same request (its idRequete) until it is
	// answered, so a second tap, or a tap again after no answer, adds one.
	let envoi = null;
	const ajout = h('form', { class: 'formulaire', onsubmit: async (e) => {
		e.preventDefault();
		const m = montant(saisie(prix));
		if (m === null) return dire(etatAjout, { status: 'requete_malforme', champ: 'prix' });
		const champs = { nom: saisie(nom), prix: m, categorie: saisie(cat), ordre: saisie(ordre) };
		if (!envoi || Object.keys(champs).some((k) => envoi[k] !== champs[k])) envoi = champs;
		const rep = await appel('produit/modifier', envoi, { libelle: 'L’ajout de ' + champs.nom });
		if (rep.status !== 'reseau') envoi = null;
		dire(etatAjout, rep, `${champs.nom} ajouté, à ${euros(Number(m))}.`);
		if (rep.status === 'ok') { ajout.reset(); charger(); }
	} }, nom, prix, cat, ordre, h('button', { class: 'principal' }, 'Ajouter'));

	racine.append(h('h1', {}, 'Catalogue'), categories,
		h('p', { class: 'aide' }, 'Les boutons de la caisse, par catégorie, dans l’ordre des places. Un produit n’est jamais supprimé : décochez « En vente » pour le retirer de la caisse ; les ventes passées gardent leur nom et leur prix.'),
		bloc('Produits', etat, liste), bloc('Ajouter un produit', etatAjout, ajout));
	charger();
}
