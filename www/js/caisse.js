// The till: read a card, then pay (the catalogue's products into a basket,
// one tap per item, or one tap per drink button of the price table, or an
// amount), top up (saying by which means), open an account on an unknown
// card, or empty it. One change at a
// time, shown while it is sent; a change left without an answer is settled
// (sent again with its idRequete) before that card starts another. Results
// and refusals take one fixed place, so the buttons never move under a
// thumb. The operations made on this device can be cancelled or redone while
// the window lasts, with a countdown; the bar's other operations arrive live.
// With the network gone, sales wait on this device (horsligne.js) within the
// president's limits and are sent when it comes back; a panel says how many
// wait, what is left of the limits and what each became once sent, and
// when the server was replaced, how many sales went again (reprise.js).
import { appel } from './api.js';
import * as hl from './horsligne.js';
import * as reprise from './reprise.js';
import { h, vider, euros, montant, message, heure, TYPES, MOYENS, effet } from './ui.js';
import { normaliser, boutonNfc, capterClavier } from './carte.js';
import { suivre } from './direct.js';

// How long a cancel stays open (TENP5_CANCEL_WINDOW), as v1/me tells it;
// the server has the last word and answers transaction_expiree past it.
let fenetreMs = null;
const RECENTES = '10p5.recentes';  // this device's operations (localStorage)
const GARDE_MS = 400;               // a second tap on the same button within this is a bounce
const RECHARGES = [5, 10, 20];
const RONDS = [5, 10, 20, 50];      // top-ups offered first for a shortfall: no odd change
// A basket's bounds (doc/api.md, "Paying from a basket").
const PANIER_LIGNES = 100, PANIER_QTE = 1000;
const MONTREES = 5;                 // the waiting sales listed (the newest; the count says all)
let moyenRecharge = 'especes';      // the means last chosen here, until the page is reloaded
// A change left without an answer outlives the screen and a reload of the
// page: kept in the tab (sessionStorage) by card, with its idRequete and its
// seller, so that a look at the card's history, another screen or a reload
// never turns the next tap into a second charge. The server answers an
// idRequete again for the same user only, and for a day.
const DOUTES = '10p5.doutes';
const DOUTE_MAX_MS = 12 * 3600 * 1000;
const TYPE_CHANGE = { 'client/ajouter': 1, 'client/recharger': 2, 'client/payer': 3, 'client/vidange': 4 };
function doutesGardes() {
	try { return JSON.parse(sessionStorage.getItem(DOUTES)) || {}; } catch { return {}; }
}
function ecrireDoutes(d) {
	try { sessionStorage.setItem(DOUTES, JSON.stringify(d)); } catch { /* storage full or refused: the screen's own map still holds it */ }
}

export function afficher(racine, args, s) {
	let carte = null;       // the card on screen, with an account or not
	let client = null;      // its account: {idCarte, solde, decouvert, membre}
	const gardees = hl.regles();  // what the till sells from while offline
	let prix = gardees?.prix ?? [];
	let produits = (gardees?.produits ?? []).filter((p) => p.actif); // the catalogue's active products, in the till's order
	const panier = new Map(); // product id → quantity; kept across cards, emptied only of what was paid
	let tourPanier = 0;       // counts the basket's changes: « Payer » tapped again after one is not a bounce
	let dernierTap = { cle: '', t: 0 };
	const faites = new Set(); // "kind:transaction id" of what this screen did
	const arrets = [];

	// The one place for results and refusals: a band of fixed height (see
	// app.css), so that nothing below it moves when a message comes or goes.
	const etat = h('div', { class: 'etat bande', role: 'status', 'aria-live': 'polite' });
	const champCarte = h('input', { id: 'carte', name: 'carte', autocomplete: 'off', autocapitalize: 'characters',
		spellcheck: 'false', placeholder: 'Passez une carte' });
	const formCarte = h('form', { class: 'lecture', onsubmit: (e) => { e.preventDefault(); lire(champCarte.value); } },
		h('label', { for: 'carte' }, 'Carte'),
		h('div', { class: 'ligne' }, champCarte, h('button', { class: 'principal' }, 'Lire')),
		boutonNfc((id) => lire(id), (t) => dire(t, 'erreur')));

	const fiche = h('div', { class: 'fiche', hidden: true });
	const recentes = h('ol', { class: 'ops', 'aria-label': 'Opérations faites ici' });
	const direct = h('ol', { class: 'ops direct', 'aria-label': 'Opérations du bar en direct' });
	const etatDirect = h('p', { class: 'aide', role: 'status' }, 'Connexion au direct…');
	const horsLignePanneau = h('section', { class: 'bloc horsligne', 'aria-labelledby': 'horsligne-titre', hidden: true });

	racine.append(h('div', { class: 'caisse' },
		h('div', { class: 'colonne' }, h('h1', { class: 'cache' }, 'Caisse'), formCarte, etat, fiche),
		h('div', { class: 'colonne' }, horsLignePanneau,
			h('section', { class: 'bloc' }, h('h2', {}, 'Faites ici'), recentes),
			h('section', { class: 'bloc' }, h('h2', {}, 'Au bar, en direct'), etatDirect, direct))));

	// With nothing to say, the band says how to read a card.
	function dire(texte, genre = 'info', ...actions) {
		vider(etat, texte ? h('p', { class: genre }, texte)
			: h('p', { class: 'repos' }, 'Lecteur USB, numéro tapé puis Entrée, ou NFC.'),
		actions.length > 0 && h('div', { class: 'actions' }, actions));
	}
	dire('');

	// --- reading a card ---------------------------------------------------
	async function lire(texte) {
		const id = normaliser(texte);
		champCarte.value = '';
		if (!id) { dire('Numéro de carte illisible : 1 à 32 lettres ou chiffres.', 'erreur'); return; }
		if (!hl.connecte()) return lireHorsLigne(id);
		dire('Lecture de ' + id + '…');
		const [f, info] = await Promise.all([
			s.droit >= 2 ? appel('client/fiche', { idCarte: id, limite: 1 }) : null,
			appel('carte/info', { idCarte: id }),
		]);
		const membre = info.status === 'ok' ? info.utilisateur : null;
		if (f && f.status === 'ok') return montrer({ idCarte: id, solde: f.solde, decouvert: !!f.decouvert, bloquee: !!f.bloquee, membre });
		if ((f && f.status === 'client_inconnu') || (!f && info.status === 'ok' && !info.client)) return ouverture(id, membre);
		if (!f && info.status === 'ok') { carte = client = null; fiche.hidden = true; return dire(`La carte ${id} a déjà un compte (le droit 1 n’en voit pas le solde).`); }
		dire(message(f || info), 'erreur');
	}

	// Offline, a card is known by the kept rules only: a blocked card is
	// refused at once; any other may buy, its balance unknown here.
	function lireHorsLigne(id) {
		const r = hl.regles();
		if (r?.bloquees.includes(id)) {
			carte = client = null;
			fiche.hidden = true;
			return dire(`Hors ligne : la carte ${id} est bloquée, aucune vente.`, 'erreur');
		}
		montrer({ idCarte: id, solde: null, decouvert: false, membre: null });
	}

	function nouvelleCarte() {
		carte = client = null;
		fiche.hidden = true;
		dire('');
		champCarte.focus();
	}

	// --- a known card -----------------------------------------------------
	const soldeEl = h('output', { class: 'solde', 'aria-live': 'polite', id: 'solde' });
	const boissons = h('div', { class: 'boissons' });
	function montrer(c) {
		carte = c.idCarte;
		client = c;
		dire('');
		montrerSolde();
		const montantPaye = h('input', { id: 'montant-payer', inputmode: 'decimal', autocomplete: 'off', placeholder: '0,00' });
		const montantRecharge = h('input', { id: 'montant-recharger', inputmode: 'decimal', autocomplete: 'off', placeholder: '0,00' });
		const vidange = h('button', { type: 'button', class: 'danger', onclick: () => vider1(vidange) }, 'Vider la carte');
		const moyen = h('select', { id: 'moyen-recharge', onchange: () => { moyenRecharge = moyen.value; } },
			Object.entries(MOYENS).map(([v, t]) => h('option', { value: v, selected: v === moyenRecharge }, t)));
		vider(fiche,
			h('div', { class: 'tete' },
				h('p', { class: 'id' }, 'Carte ', h('strong', {}, c.idCarte)),
				h('button', { type: 'button', class: 'discret', onclick: nouvelleCarte, 'aria-keyshortcuts': 'Escape' }, 'Autre carte')),
			h('p', { class: 'montant-solde' }, h('span', { class: 'cache' }, 'Solde : '), soldeEl,
				s.droit >= 2 && h('a', { href: '#/clients/' + encodeURIComponent(c.idCarte) }, 'Historique')),
			(c.decouvert || c.membre || c.bloquee) && h('p', {},
				c.bloquee && h('span', { class: 'badge bloquee' }, 'carte bloquée'), ' ',
				c.decouvert && h('span', { class: 'badge' }, 'découvert autorisé'), ' ',
				c.membre && h('span', { class: 'badge membre' }, 'carte du membre ' + c.membre)),
			h('h2', {}, 'Payer'), catalogue, panierEl, boissons,
			h('form', { class: 'ligne', onsubmit: (e) => { e.preventDefault(); payerMontant(montantPaye); } },
				h('label', { for: 'montant-payer' }, 'Autre montant'), montantPaye, h('button', { class: 'payer' }, 'Payer')),
			h('h2', {}, 'Recharger'),
			h('p', { class: 'aide reseau-requis' }, 'Hors ligne : rechargements et vidanges attendent le réseau.'),
			h('div', { class: 'ligne moyen' }, h('label', { for: 'moyen-recharge' }, 'Payé en'), moyen),
			h('div', { class: 'recharges' }, RECHARGES.map((m) =>
				h('button', { type: 'button', class: 'recharger', onclick: (e) => recharger(m, e.currentTarget) }, `+${m} €`))),
			h('form', { class: 'ligne', onsubmit: (e) => { e.preventDefault(); rechargerMontant(montantRecharge); } },
				h('label', { for: 'montant-recharger' }, 'Montant'), montantRecharge, h('button', { class: 'recharger' }, 'Recharger')),
			h('div', { class: 'fin' }, vidange));
		dessinerBoissons();
		dessinerCatalogue();
		fiche.hidden = false;
		if (s.droit < 2) fiche.hidden = true;
		if (c.bloquee) dire(message({ status: 'carte_bloquee' }), 'erreur');
		const d = doutes.get(c.idCarte);
		if (d) direDoute(d);
		dessinerHorsLigne();
		fiche.querySelector('.produit, .boisson')?.focus();
	}

	// --- the catalogue and the basket ------------------------------------
	const catalogue = h('div', { class: 'catalogue' });
	const panierEl = h('section', { class: 'panier', 'aria-label': 'Panier' });
	function dessinerCatalogue() {
		const groupes = new Map();
		for (const p of produits) {
			if (!groupes.has(p.categorie)) groupes.set(p.categorie, []);
			groupes.get(p.categorie).push(p);
		}
		let n = 0;
		vider(catalogue, [...groupes].map(([cat, l]) => {
			const id = 'categorie-' + ++n;
			return h('div', { class: 'categorie', role: 'group', 'aria-labelledby': id },
				h('h3', { id }, cat || 'Autres'),
				h('div', { class: 'produits' }, l.map((p) => h('button', { type: 'button', class: 'produit', 'data-produit': p.id,
					onclick: () => ajouter(p) },
					h('span', { class: 'nom' }, p.nom), h('span', { class: 'p' }, euros(p.prix)),
					panier.get(p.id) ? h('span', { class: 'nb' }, '×' + panier.get(p.id)) : ''))));
		}));
		dessinerPanier();
	}

	// In cents, so that the total shown is the server's sum to the cent.
	const centimes = (e) => Math.round(e * 100);
	function totalPanier(l = panier) {
		let t = 0;
		for (const [id, q] of l) t += centimes(produits.find((p) => p.id === id)?.prix ?? 0) * q;
		return t / 100;
	}

	function dessinerPanier() {
		// A product no longer sold leaves the basket when the catalogue is reloaded.
		for (const id of panier.keys()) if (!produits.some((p) => p.id === id)) panier.delete(id);
		if (!produits.length) return vider(panierEl);
		if (!panier.size) return vider(panierEl, h('p', { class: 'aide' }, 'Panier vide : touchez un produit par article.'));
		const total = totalPanier();
		vider(panierEl,
			h('ul', { class: 'lignes' }, [...panier].map(([id, q]) => {
				const p = produits.find((x) => x.id === id);
				return h('li', {}, h('span', { class: 'quoi' }, `${q} × ${p.nom}`), h('span', { class: 'montant' }, euros(centimes(p.prix) * q / 100)),
					h('button', { type: 'button', class: 'discret moins', 'aria-label': `Retirer un ${p.nom}`, onclick: () => retirer(id) }, '−'));
			})),
			h('p', { class: 'total' }, 'Total ', h('output', { id: 'total-panier', 'aria-live': 'polite' }, euros(total))),
			h('div', { class: 'actions' },
				h('button', { type: 'button', class: 'payer', onclick: (e) => payerPanier(e.currentTarget) }, `Payer ${euros(total)}`),
				h('button', { type: 'button', class: 'discret', onclick: () => { panier.clear(); tourPanier++; dessinerCatalogue(); } }, 'Vider le panier')));
	}

	function ajouter(p) {
		const q = panier.get(p.id) ?? 0;
		if (q >= PANIER_QTE) return dire(`Au plus ${PANIER_QTE} ${p.nom} par panier.`, 'erreur');
		if (!q && panier.size >= PANIER_LIGNES) return dire(`Au plus ${PANIER_LIGNES} produits différents par panier.`, 'erreur');
		panier.set(p.id, q + 1);
		tourPanier++;
		dessinerCatalogue();
		catalogue.querySelector(`[data-produit="${p.id}"]`)?.focus();
	}

	function retirer(id) {
		const q = panier.get(id);
		if (q > 1) panier.set(id, q - 1); else panier.delete(id);
		tourPanier++;
		dessinerCatalogue();
		(panierEl.querySelector('.moins') ?? catalogue.querySelector(`[data-produit="${id}"]`))?.focus();
	}

	// One payment for the whole basket, its idRequete kept as every change's.
	// The basket loses what was paid only once the server said ok (items
	// tapped meanwhile stay); a refusal or a doubt leaves it whole.
	function payerPanier(bouton) {
		if (!panier.size) return null;
		const paye = new Map(panier);
		const articles = [...paye.values()].reduce((a, b) => a + b, 0);
		const libelle = `Paiement du panier (${articles} article${articles > 1 ? 's' : ''}, ${euros(totalPanier(paye))})`;
		return operation('client/payer', { produits: [...paye].map(([id, q]) => `${id}:${q}`).join(',') }, libelle, (r) => {
			for (const [id, q] of paye) {
				const reste = (panier.get(id) ?? 0) - q;
				if (reste > 0) panier.set(id, reste); else panier.delete(id);
			}
			dessinerCatalogue();
			return { type: 3, montant: r.montant, qte: articles };
		}, 'panier' + tourPanier, bouton);
	}

	function dessinerBoissons() {
		vider(boissons, prix.length ? prix.map((p) => h('button', { type: 'button', class: 'boisson', 'data-quantite': p.quantite,
			onclick: (e) => payerQuantite(p, e.currentTarget) },
			h('span', { class: 'n' }, p.quantite), h('span', { class: 'u' }, p.quantite > 1 ? 'consos' : 'conso'),
			h('span', { class: 'p' }, euros(p.prix))))
			: !produits.length && h('p', { class: 'aide' }, 'Aucun prix : le président les fixe au bureau. Payez par montant.'));
	}

	// --- changes ----------------------------------------------------------
	// A change is {chemin, p (its parameters, idRequete included once sent),
	// libelle, carte, fait(rep) → the sentence said of its success}. One is sent
	// at a time (`enVol`): a tap meanwhile starts nothing, and the result says
	// so. A change that got no answer at all is left in `doutes` under its
	// card: it may have been done or not. The next change asked for that card
	// sends it again instead (same idRequete: the server answers what it did,
	// or does it now, once) and starts nothing else.
	let enVol = null, ignores = 0;
	const vives = new Map(); // this screen's doubts, with what their success does here
	const doutes = {
		get: (id) => vives.get(id) ?? reprendreDoute(id),
		set(id, op) {
			vives.set(id, op);
			ecrireDoutes({ ...doutesGardes(), [id]: { chemin: op.chemin, p: op.p, libelle: op.libelle, carte: id, login: s.login, t: Date.now() } });
		},
		delete(id) {
			vives.delete(id);
			const d = doutesGardes();
			if (d[id]) { delete d[id]; ecrireDoutes(d); }
		},
	};
	// A doubt left by an earlier screen (or before a reload) by this login:
	// sent again as it was, its success noted as any change of this device.
	function reprendreDoute(id) {
		const g = doutesGardes()[id];
		if (!g || g.login !== s.login || !(Date.now() - g.t < DOUTE_MAX_MS)) return undefined;
		const type = TYPE_CHANGE[g.chemin];
		const qte = g.p.quantite ? Number(g.p.quantite)
			: g.p.produits ? String(g.p.produits).split(',').reduce((a, x) => a + Number(x.split(':')[1] || 0), 0) : undefined;
		return { chemin: g.chemin, p: g.p, libelle: g.libelle, carte: id, fait: (rep) => {
			const m = type === 1 ? rep.soldeNouveau : type === 2 ? Number(g.p.montant) : type === 3 ? rep.montant : rep.soldeAncien - rep.soldeNouveau;
			noter({ id: rep.idTransaction, client: id, login: s.login, t: Date.now(), valide: true, type, montant: m, qte });
			if (client?.idCarte === id) { client.solde = rep.soldeNouveau; montrerSolde(); }
			else if (type === 1 && carte === id && s.droit >= 2) montrer({ idCarte: id, solde: rep.soldeNouveau, decouvert: g.p.decouvert === 'oui', membre: null });
			return type === 1 ? `Compte ouvert sur ${id} : ${euros(rep.soldeNouveau)}.` : `${g.libelle} : fait. Nouveau solde ${euros(rep.soldeNouveau)}.`;
		} };
	}

	function occupe(op, bouton) {
		enVol = op;
		ignores = 0;
		fiche.setAttribute('aria-busy', 'true');
		document.body.classList.add('occupe');
		bouton?.classList.add('envoi');
		dire(`${op.libelle} : envoi…`, 'attente');
	}
	function libre() {
		enVol = null;
		fiche.removeAttribute('aria-busy');
		document.body.classList.remove('occupe');
		fiche.querySelectorAll('.envoi').forEach((b) => b.classList.remove('envoi'));
	}

	function direDoute(op) {
		dire(`${op.libelle} : pas de réponse du serveur. Le prochain tap vérifie s’il est passé, jamais deux fois.`,
			'erreur', h('button', { type: 'button', class: 'principal', onclick: (e) => { if (!enVol) envoyer(op, e.currentTarget); } }, 'Réessayer'));
	}

	// Sends op and says how it went; `note` is added to what is said. Resolves
	// with the reply when it is ok, else null.
	async function envoyer(op, bouton, note = '') {
		occupe(op, bouton);
		const rep = await appel(op.chemin, op.p, { libelle: `${op.libelle} (carte ${op.carte})` });
		libre();
		const ici = carte === op.carte;
		const pendant = ignores === 0 ? '' : ignores === 1 ? ' Un tap fait pendant l’envoi n’a rien débité.'
			: ` ${ignores} taps faits pendant l’envoi n’ont rien débité.`;
		if (rep.status === 'reseau') {
			doutes.set(op.carte, op);
			if (ici) direDoute(op);
			return null;
		}
		doutes.delete(op.carte);
		if (rep.status === 'ok') {
			if (rep.idTransaction) faites.add('transaction:' + rep.idTransaction);
			const texte = op.fait(rep);
			if (carte === op.carte) dire(texte + note + pendant, 'ok');
			return rep;
		}
		if (!ici) return null;
		if (rep.status === 'solde_insuffisant' && op.chemin === 'client/payer') {
			// Round amounts first: the customer pays cash, the change is easy.
			const ronds = RONDS.filter((m) => m >= rep.manque).slice(0, 2);
			const montants = ronds.includes(rep.manque) ? ronds : [...ronds, rep.manque];
			dire(message(rep) + note + pendant, 'erreur', montants.map((m) =>
				h('button', { type: 'button', class: 'recharger', onclick: async (e) => {
					// A new attempt, hence a new idRequete (the refusal is what the old one replays).
					if ((await recharger(m, e.currentTarget)) && carte === op.carte)
						envoyer({ ...op, p: { ...op.p, idRequete: undefined } });
				} }, `+${euros(m)} et payer`)));
		} else if (rep.status === 'produit_inconnu' && op.p.produits) {
			chargerProduits();
			dire(`${op.libelle} refusé : un produit du panier n’est plus en vente. Le catalogue est rechargé, vérifiez le panier.${note}${pendant}`, 'erreur');
		} else {
			dire(`${op.libelle} refusé. ${message(rep)}${note}${pendant}`, 'erreur');
		}
		return null;
	}

	// The change left in doubt on its card, settled before anything else.
	function eclaircir(op, bouton) {
		return envoyer(op, bouton, ' Rien d’autre n’a été débité : retapez pour une nouvelle opération.');
	}

	// Starts a change on the card on screen, unless one is in flight (then
	// this tap is only counted), it is a bounce of the tap `cle` (null: no
	// bounce to fear) or the card has one in doubt (settled first).
	function operation(chemin, params, libelle, fait, cle, bouton) {
		if (!client) return null;
		if (enVol) {
			ignores++;
			dire(`${enVol.libelle} : envoi… Attendez la réponse : ce tap n’a rien débité.`, 'attente');
			return null;
		}
		if (cle && rebond(cle)) return null;
		// A change left in doubt is settled first, online or not: the
		// sale it may be is never made twice.
		const d = doutes.get(client.idCarte);
		if (d) return eclaircir(d, bouton);
		if (!hl.connecte()) return vendreHorsLigne(chemin, params, libelle, fait);
		const c = client;
		return envoyer({ chemin, p: { idCarte: c.idCarte, ...params }, libelle, carte: c.idCarte, fait: (rep) => {
			c.solde = rep.soldeNouveau;
			if (client === c) montrerSolde();
			noter({ id: rep.idTransaction, client: c.idCarte, login: s.login, t: Date.now(), valide: true, ...fait(rep) });
			return `${libelle} : fait. Nouveau solde ${euros(rep.soldeNouveau)}.`;
		} }, bouton);
	}

	// A sale made offline: its amount from the prices kept, the limits and
	// the blocked cards checked here, then queued. Anything else needs the
	// network. fait is called for what it does beside the answer (the
	// basket loses what was sold).
	async function vendreHorsLigne(chemin, params, libelle, fait) {
		const c = client;
		if (chemin !== 'client/payer') return dire(`${libelle} : il faut le réseau. Hors ligne, la caisse ne fait que des ventes.`, 'erreur');
		const cents = params.quantite ? centimes(prix.find((p) => p.quantite === params.quantite)?.prix ?? NaN)
			: params.produits ? centimes(totalPanier(new Map(params.produits.split(',').map((x) => x.split(':').map(Number)))))
				: centimes(Number(params.montant));
		if (!Number.isFinite(cents) || cents <= 0) return dire(`${libelle} : prix inconnu hors ligne.`, 'erreur');
		enVol = { libelle };
		try {
			const v = await hl.vendre(c.idCarte, params, cents, libelle);
			if (v.refus) return dire(`${libelle} refusé hors ligne : ${v.refus}`, 'erreur');
			fait({ montant: cents / 100 });
			if (client === c) dire(`${libelle} : vendu hors ligne, en attente d’envoi.`, 'ok');
		} finally {
			enVol = null;
		}
	}

	function montrerSolde() {
		soldeEl.textContent = client.solde === null ? 'Solde inconnu hors ligne' : euros(client.solde);
		soldeEl.classList.toggle('negatif', client.solde < 0);
		soldeEl.classList.toggle('inconnu', client.solde === null);
	}

	// A second tap on the same button soon after the first is a bounce.
	function rebond(cle) {
		const t = performance.now();
		if (dernierTap.cle === cle && t - dernierTap.t < GARDE_MS) return true;
		dernierTap = { cle, t };
		return false;
	}

	function payerQuantite(p, bouton) {
		const libelle = `Paiement de ${p.quantite} conso${p.quantite > 1 ? 's' : ''} (${euros(p.prix)})`;
		return operation('client/payer', { quantite: p.quantite }, libelle,
			(r) => ({ type: 3, montant: r.montant, qte: p.quantite }), 'q' + p.quantite, bouton);
	}

	function payerMontant(input) {
		const m = montant(input.value);
		if (!m || Number(m) <= 0) { dire('Montant invalide : par exemple 2,50.', 'erreur'); input.focus(); return; }
		input.value = '';
		return operation('client/payer', { montant: m }, `Paiement de ${euros(Number(m))}`,
			(r) => ({ type: 3, montant: r.montant }), 'm' + m);
	}

	function recharger(m, bouton) {
		const moyen = moyenRecharge;
		const dit = moyen === 'especes' ? '' : ` (${MOYENS[moyen].toLowerCase()})`;
		return operation('client/recharger', { montant: String(m), moyen }, `Rechargement de ${euros(m)}${dit}`,
			() => ({ type: 2, montant: m }), 'r' + m, bouton);
	}

	function rechargerMontant(input) {
		const m = montant(input.value);
		if (!m || Number(m) <= 0) { dire('Montant invalide : par exemple 10 ou 7,50.', 'erreur'); input.focus(); return; }
		input.value = '';
		recharger(Number(m));
	}

	// Emptying hands the whole balance back in cash: a second tap confirms.
	let confirmer = null;
	function vider1(bouton) {
		if (!client) return;
		if (!confirmer) {
			bouton.textContent = `Confirmer : rendre ${euros(client.solde)}`;
			bouton.classList.add('confirmer');
			confirmer = setTimeout(() => { confirmer = null; bouton.textContent = 'Vider la carte'; bouton.classList.remove('confirmer'); }, 5000);
			return;
		}
		clearTimeout(confirmer);
		confirmer = null;
		bouton.textContent = 'Vider la carte';
		bouton.classList.remove('confirmer');
		operation('client/vidange', {}, 'Vidange', (r) => ({ type: 4, montant: r.soldeAncien - r.soldeNouveau }), null, bouton);
	}

	// --- an unknown card --------------------------------------------------
	// Opening is a change like the others: one at a time, a bounce ignored,
	// settled first if its reply was lost. Focus goes to the amount, so that
	// a stray Enter opens nothing.
	function ouverture(id, membre) {
		carte = id;
		client = null;
		const champSolde = h('input', { id: 'solde-initial', inputmode: 'decimal', autocomplete: 'off', placeholder: '0,00' });
		const dec = s.droit >= 3 ? h('input', { type: 'checkbox', id: 'decouvert-initial' }) : null;
		const ouvrir = (m, bouton) => {
			const v = montant(m);
			if (v === null) { dire('Montant invalide : par exemple 10.', 'erreur'); champSolde.focus(); return; }
			if (enVol) { ignores++; dire(`${enVol.libelle} : envoi… Attendez la réponse.`, 'attente'); return; }
			if (rebond('o' + id)) return;
			const op = doutes.get(id) ?? { chemin: 'client/ajouter', carte: id,
				p: { idCarte: id, solde: v, decouvert: dec?.checked ? 'oui' : undefined },
				libelle: `Ouverture avec ${euros(Number(v))}`,
				fait: (rep) => {
					noter({ id: rep.idTransaction, client: id, login: s.login, t: Date.now(), valide: true, type: 1, montant: rep.soldeNouveau });
					if (s.droit >= 2) montrer({ idCarte: id, solde: rep.soldeNouveau, decouvert: op.p.decouvert === 'oui', membre });
					else fiche.hidden = true;
					return `Compte ouvert sur ${id} : ${euros(rep.soldeNouveau)}.`;
				} };
			envoyer(op, bouton);
		};
		fiche.hidden = false;
		vider(fiche, h('div', { class: 'inconnue' },
			h('p', { class: 'id' }, 'Carte ', h('strong', {}, id), ' : aucun compte.', membre ? ` (carte du membre ${membre})` : ''),
			h('h2', {}, 'Ouvrir un compte'),
			h('form', { class: 'ligne', onsubmit: (e) => { e.preventDefault(); ouvrir(champSolde.value); } },
				h('label', { for: 'solde-initial' }, 'Solde initial'), champSolde, h('button', { class: 'principal' }, 'Ouvrir')),
			h('div', { class: 'recharges' }, RECHARGES.map((m) => h('button', { type: 'button', class: 'recharger',
				onclick: (e) => ouvrir(String(m), e.currentTarget) }, `Ouvrir avec ${euros(m)}`))),
			dec && h('label', { class: 'case', for: 'decouvert-initial' }, dec, 'Découvert autorisé'),
			h('button', { type: 'button', class: 'discret', onclick: nouvelleCarte }, 'Autre carte')));
		const d = doutes.get(id);
		if (d) direDoute(d); else dire('');
		champSolde.focus();
	}

	// --- this device's operations: cancel / redo with a countdown ----------
	// Those made before the server was replaced are gone from the list: their
	// numbers named rows of the old database (reprise.js).
	function charger() {
		try { return (JSON.parse(localStorage.getItem(RECENTES)) || []).filter((o) => o.t >= reprise.depuis()); } catch { return []; }
	}
	function garder(l) { localStorage.setItem(RECENTES, JSON.stringify(l.slice(0, 10))); }
	function noter(op) { garder([op, ...charger().filter((o) => o.id !== op.id)]); dessinerRecentes(); }

	async function basculer(op) {
		const chemin = op.valide ? 'annuler' : 'refaire';
		const libelle = `${op.valide ? 'Annulation' : 'Rétablissement'} : ${TYPES[op.type]} de ${euros(op.montant)} sur ${op.client}`;
		const rep = await appel(chemin, { idTransaction: op.id }, { libelle });
		if (rep.status === 'ok') faites.add((op.valide ? 'annulation:' : 'refaire:') + op.id);
		if (rep.status !== 'ok') { dire(libelle + ' refusée. ' + message(rep), 'erreur'); if (rep.status === 'transaction_expiree') marquer(op.id, { expiree: true }); return; }
		marquer(op.id, { valide: !op.valide });
		if (client && client.idCarte === rep.client) { client.solde = rep.soldeNouveau; montrerSolde(); }
		dire(`${libelle} : fait. Solde de ${rep.client} : ${euros(rep.soldeNouveau)}.`, 'ok');
	}
	function marquer(id, champs) { garder(charger().map((o) => (o.id === id ? { ...o, ...champs } : o))); dessinerRecentes(); }

	// Seconds left to cancel op (Infinity while the window is not known).
	const reste = (op, maintenant) => (fenetreMs === null ? Infinity : fenetreMs - (maintenant - op.t));
	const ouverte = (op, maintenant) => s.droit >= 3 || (reste(op, maintenant) > 0 && !op.expiree);
	const compte = (r) => { const m = Math.max(0, Math.ceil(r / 1000)); return ` ${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`; };

	// Drawn when the list changes; the focused button is found again after.
	function dessinerRecentes() {
		const maintenant = Date.now();
		const l = charger();
		const focus = recentes.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
		if (!l.length) return vider(recentes, h('li', { class: 'aide' }, 'Rien encore sur cet appareil.'));
		vider(recentes, l.map((op) => {
			const sienne = op.login === s.login || s.droit >= 3;
			const r = reste(op, maintenant);
			return h('li', { class: 'op' + (op.valide ? '' : ' annulee'), 'data-id': op.id, 'data-t': op.t },
				h('span', { class: 'quoi' }, `${op.type === 3 && op.qte ? `${op.qte} conso${op.qte > 1 ? 's' : ''}` : TYPES[op.type]} ${euros(op.montant)}`, op.valide ? '' : ' (annulé)'),
				h('span', { class: 'qui' }, `${op.client} · ${heure(op.t)}${op.login !== s.login ? ' · ' + op.login : ''}`),
				sienne && ouverte(op, maintenant) ? h('button', { type: 'button', class: op.valide ? 'annuler' : 'refaire', onclick: () => basculer(op) },
					op.valide ? 'Annuler' : 'Refaire',
					s.droit < 3 && r !== Infinity ? h('span', { class: 'compte' }, compte(r)) : '')
					: h('span', { class: 'aide' }, sienne ? 'délai passé' : ''));
		}));
		if (focus) recentes.querySelector(`li[data-id="${focus}"] button`)?.focus();
	}
	// Each second only the countdowns' text changes (a focused « Annuler »
	// stays the same element); the list is drawn again when one runs out.
	function decompter() {
		const maintenant = Date.now();
		for (const li of recentes.querySelectorAll('li[data-t]')) {
			const c = li.querySelector('.compte');
			if (!c) continue;
			const r = fenetreMs - (maintenant - Number(li.dataset.t));
			if (r <= 0) return dessinerRecentes();
			c.textContent = compte(r);
		}
	}
	dessinerRecentes();
	const horloge = setInterval(decompter, 1000);
	arrets.push(() => clearInterval(horloge));

	// --- the bar, live ----------------------------------------------------
	// Every operation of the bar as it happens, each once (keyed by the
	// feed's id). The balance on screen follows operations made elsewhere on
	// the same card; this device's own are already there. Presidents also
	// see lock-outs as they start: the server sends `utilisateur` events to
	// right 3 only, whatever is asked.
	function evenement(type, d, id) {
		if (type === 'prix') { chargerPrix(); hl.rafraichir(); return; }
		if (type === 'horsligne' || (type === 'client' && 'bloquee' in d)) { hl.rafraichir(); return; }
		let quoi, qui, classe = 'op';
		if (type === 'utilisateur') {
			if (d.requete !== 'verrou') return;
			quoi = `Verrou : ${d.login ?? d.adresse ?? '?'}`;
			qui = `${d.adresse && d.login ? d.adresse + ' · ' : ''}jusqu’à ${heure(d.jusqua)} · à lever au Bureau`;
			classe += ' verrou';
		} else if (['transaction', 'annulation', 'refaire'].includes(type)) {
			if (client && d.client === client.idCarte && !faites.has(type + ':' + d.id) && d.soldeNouveau !== undefined) {
				client.solde = d.soldeNouveau;
				montrerSolde();
			}
			if (type !== 'transaction' && charger().some((o) => o.id === d.id)) marquer(d.id, { valide: type === 'refaire' });
			quoi = type === 'transaction' ? (d.type === 3 && d.qte ? `${d.qte} conso${d.qte > 1 ? 's' : ''}` : TYPES[d.type])
				: type === 'annulation' ? `annulation (${TYPES[d.type]})` : `rétabli (${TYPES[d.type]})`;
			quoi += ' ' + euros(Math.abs(effet(d)));
			qui = `${d.client} · ${heure(d.date)} · ${d.utilisateur}`;
			if (type === 'annulation') classe += ' annulee';
		} else return;
		direct.querySelector('li.aide')?.remove();
		direct.prepend(h('li', { class: classe, 'data-evenement': id }, h('span', { class: 'quoi' }, quoi), h('span', { class: 'qui' }, qui)));
		while (direct.children.length > 12) direct.lastChild.remove();
	}
	if (s.droit >= 2) {
		direct.append(h('li', { class: 'aide' }, 'Les opérations des autres caisses s’afficheront ici.'));
		arrets.push(suivre({
			types: ['transaction', 'annulation', 'refaire', 'prix', 'utilisateur', 'horsligne', 'client'],
			recu: evenement,
			reinitialiser: () => { chargerPrix(); chargerProduits(); },
			etat: (mot, d) => {
				etatDirect.textContent = {
					direct: '● En direct.', coupure: 'Direct coupé : reconnexion…',
					fin: d?.status === 'jeton_invalide' ? 'Direct en pause : session terminée. Il reprendra à la prochaine connexion.'
						: 'Direct arrêté : ' + (d ? message(d) : ''),
					refus: 'Direct refusé : ' + (d ? message(d) : ''),
				}[mot];
				etatDirect.classList.toggle('erreur', mot !== 'direct');
				if (mot === 'coupure') hl.sonder();
			},
		}));
	} else etatDirect.textContent = 'Le direct est réservé au droit 2.';

	// Read again whenever the live feed starts over (often, on a CGI host):
	// the buttons are drawn again only when what they show changed, so a tap
	// or the keyboard's focus never lands on a button just replaced.
	const pareil = (a, b) => JSON.stringify(a) === JSON.stringify(b);
	// Takes the prices and active products given, drawing again only what changed.
	function adopter(nouveauxPrix, actifs) {
		const autresProduits = !pareil(actifs, produits);
		if (!autresProduits && pareil(nouveauxPrix, prix)) return;
		prix = nouveauxPrix;
		produits = actifs;
		if (!client) return;
		if (autresProduits) dessinerCatalogue();
		dessinerBoissons();
	}
	async function chargerPrix() {
		if (!hl.connecte()) return;
		const rep = await appel('prix/liste');
		if (rep.status !== 'ok') return dire('Prix indisponibles : ' + message(rep), 'erreur');
		adopter(rep.prix, produits);
	}
	async function chargerProduits() {
		if (!hl.connecte()) return;
		const rep = await appel('produit/liste');
		if (rep.status === 'ok') adopter(prix, rep.produits.filter((p) => p.actif));
	}
	// The first probe says whether to ask the server or sell on what is kept.
	hl.pret.then(() => {
		if (!hl.connecte()) return;
		chargerPrix();
		chargerProduits();
		hl.rafraichir();
		hl.envoyer();
		if (fenetreMs === null) appel('v1/me').then((r) => {
			if (r.status === 'ok' && Number.isFinite(r.fenetreAnnulation)) { fenetreMs = r.fenetreAnnulation * 1000; dessinerRecentes(); }
		});
	});

	// --- offline: what waits, the limits left, what each sale became --------
	async function dessinerHorsLigne() {
		const [file, fates, renvoi] = await Promise.all([hl.enAttente(), hl.sorts(), reprise.aRenvoyer()]);
		const r = hl.regles();
		const enLigne = hl.connecte();
		const remplace = reprise.derniere();
		const total = file.reduce((a, v) => a + v.montant, 0);
		horsLignePanneau.hidden = enLigne && !file.length && !fates.length && !remplace;
		document.body.classList.toggle('hors-ligne', !enLigne);
		const ici = client ? file.filter((v) => v.carte === client.idCarte).reduce((a, v) => a + v.montant, 0) : 0;
		const autres = new Set(file.filter((v) => v.login !== s.login).map((v) => v.login));
		vider(horsLignePanneau,
			h('h2', { id: 'horsligne-titre' }, enLigne ? 'Ventes faites hors ligne' : 'Hors ligne'),
			remplace && h('p', { id: 'horsligne-reprise', role: 'status' },
				h('strong', {}, `Serveur remplacé : ${remplace.n} vente${remplace.n > 1 ? 's' : ''} renvoyée${remplace.n > 1 ? 's' : ''}`),
				renvoi.length ? ` (${renvoi.length} en cours d’envoi${vendeursRenvoi(renvoi)}).` : remplace.n ? ', toutes envoyées.' : '.',
				' ', h('button', { type: 'button', class: 'discret', 'aria-label': 'Vu : serveur remplacé',
					onclick: () => reprise.oublierDerniere() }, 'Vu')),
			h('p', { class: enLigne ? 'aide' : 'erreur', id: 'horsligne-etat', role: 'status' }, enLigne
				? (file.length ? 'Réseau revenu : envoi des ventes en attente…' : 'Réseau revenu : toutes les ventes sont parties.')
				: 'Pas de réseau : la caisse vend sur ses règles gardées ; rechargements, ouvertures et vidanges attendent le réseau.'),
			h('p', { id: 'horsligne-attente' }, h('strong', {}, `${file.length} vente${file.length > 1 ? 's' : ''} en attente`), ` · ${euros(total / 100)}`),
			r && h('p', { class: 'aide', id: 'horsligne-limites' },
				`Reste à vendre hors ligne : ${euros(Math.max(0, r.plafondCaisse * 100 - total) / 100)} pour la caisse`,
				client ? `, ${euros(Math.max(0, r.plafondCarte * 100 - ici) / 100)} pour la carte ${client.idCarte}` : '',
				` (plafonds ${euros(r.plafondCaisse)} et ${euros(r.plafondCarte)} par carte ; une vente attend au plus ${Math.round(r.dureeMax / 60)} min).`),
			!r && h('p', { class: 'erreur' }, 'Règles hors ligne jamais lues : pas de vente sans réseau.'),
			autres.size > 0 && h('p', { class: 'aide' }, `Partiront à la connexion de : ${[...autres].join(', ')}.`),
			!navigator.serviceWorker && h('p', { class: 'aide' }, 'Cette adresse n’est pas sûre (http) : la caisse garde ses ventes tant qu’elle reste ouverte, mais ne s’ouvre pas sans réseau.'),
			file.length > 0 && h('ol', { class: 'ops file', 'aria-label': 'Ventes en attente, les plus récentes' }, file.slice(-MONTREES).reverse().map((v) =>
				h('li', { class: 'op' }, h('span', { class: 'quoi' }, `${euros(v.montant / 100)} · ${v.carte}`),
					h('span', { class: 'qui' }, `${heure(v.horsLigne)} · ${v.login}`)))),
			file.length > MONTREES && h('p', { class: 'aide' }, `… et ${file.length - MONTREES} plus anciennes.`),
			fates.length > 0 && h('ol', { class: 'ops sorts', 'aria-label': 'Ventes hors ligne à régler' }, fates.map((v) =>
				h('li', { class: 'op sort', 'data-statut': v.status },
					h('span', { class: 'quoi' }, `${v.carte} ${euros(v.montant / 100)} : ${sortTexte(v)}`),
					h('span', { class: 'qui' }, `vendu à ${heure(v.horsLigne)} · ${v.login}`),
					h('button', { type: 'button', class: 'discret', 'aria-label': `Vu : ${euros(v.montant / 100)} sur ${v.carte}, réglé`,
						onclick: () => hl.oublier(v.n) }, 'Vu')))));
	}
	// The sellers other than this session's whose sales sent again wait for
	// them to log in here, as " dont celles de …, à leur connexion ici".
	function vendeursRenvoi(renvoi) {
		const autres = [...new Set(renvoi.filter((v) => v.login !== s.login).map((v) => v.login))];
		return autres.length ? `, dont celles de ${autres.join(', ')}, à leur connexion ici` : '';
	}
	function sortTexte(v) {
		if (v.status !== 'ok') return message(v);
		const motifs = [v.bloquee && 'carte bloquée avant la vente', v.signalee && !v.bloquee && 'au-delà du plafond de la carte'].filter(Boolean);
		return `passée, signalée (${motifs.join(', ')})${v.dette ? ', la carte doit de l’argent' : ''} : à régler`;
	}
	// Drawn at most every 100 ms: a queue sent on reconnect changes it at each sale.
	let prevu = null;
	const redessiner = () => { prevu ??= setTimeout(() => { prevu = null; dessinerHorsLigne(); dessinerRecentes(); }, 100); };
	arrets.push(() => clearTimeout(prevu));
	// The rules carry the prices and products too: a till reads them once.
	const relire = (e) => {
		adopter(e.detail.prix, e.detail.produits.filter((p) => p.actif));
		dessinerHorsLigne();
	};
	addEventListener('horsligne', redessiner);
	addEventListener('regles', relire);
	arrets.push(() => { removeEventListener('horsligne', redessiner); removeEventListener('regles', relire); });
	dessinerHorsLigne();

	arrets.push(capterClavier(champCarte));
	const echap = (e) => { if (e.key === 'Escape' && !document.querySelector('dialog[open]')) nouvelleCarte(); };
	document.addEventListener('keydown', echap);
	arrets.push(() => document.removeEventListener('keydown', echap));
	if (args[0]) lire(args[0]); else champCarte.focus();
	return () => arrets.forEach((f) => f());
}
