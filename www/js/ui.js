// Small helpers every screen shares: building DOM nodes, money and dates in
// French, the sentence for each status word, and the announcement area.

// h('button', {class: 'gros', onclick: f}, 'Payer') builds an element.
// Props starting with "on" are listeners; class, text, and any other are
// attributes (false/null/undefined leave them out). Children: nodes or text.
export function h(tag, props = {}, ...enfants) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(props)) {
		if (v === false || v === null || v === undefined) continue;
		if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
		else if (k === 'text') el.textContent = v;
		else if (k === 'value') el.value = v;
		else el.setAttribute(k, v === true ? '' : v);
	}
	for (const e of enfants.flat(Infinity)) if (e !== null && e !== undefined && e !== false)
		el.append(e instanceof Node ? e : String(e));
	return el;
}

export function vider(el, ...enfants) { el.replaceChildren(...enfants.flat(Infinity).filter((e) => e != null && e !== false)); return el; }

const EUR = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
// 12.3 → "12,30 €" (amounts arrive as JSON numbers with at most two decimals).
export function euros(n) { return EUR.format(Math.round(n * 100) / 100); }

// What a person typed as an amount ("1,5", "2.50", "3") → the wire form
// ("1.5"), or null when it is not an amount of at most two decimals.
export function montant(texte) {
	const t = String(texte).trim().replace(/\s|€/g, '');
	return /^\d{1,7}([.,]\d{1,2})?$/.test(t) ? t.replace(',', '.') : null;
}

const HEURE = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const JOUR = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
export function heure(ms) { return HEURE.format(new Date(ms)); }
export function date(ms) { return ms ? JOUR.format(new Date(ms)) : '—'; }

export const TYPES = { 1: 'création', 2: 'rechargement', 3: 'paiement', 4: 'vidange', 5: 'ajustement' };
// The means of payment of top-ups, openings and emptyings (doc/api.md), in their order.
export const MOYENS = { especes: 'Espèces', carte: 'Carte bancaire', virement: 'Virement', offert: 'Offert' };
export const DROITS = { 0: '0 · pot de miel', 1: '1 · BDE', 2: '2 · bar', 3: '3 · président' };

// Signed effect of a transaction on the balance (creation and top-up add,
// payment and emptying take; an adjustment carries its own sign).
export function effet(t) { return t.type === 3 || t.type === 4 ? -t.montant : t.montant; }

const MESSAGES = {
	reseau: 'Pas de réponse du serveur. Rien n’est perdu : réessayez, l’opération ne sera pas comptée deux fois.',
	requete_inconnue: 'Ce serveur ne connaît pas cette fonction (requete_inconnue) : il n’est pas encore à jour.',
	jeton_invalide: 'Session terminée : reconnectez-vous.',
	droits_insuffisants: 'Vos droits ne permettent pas cette opération.',
	identifiants_invalides: 'Identifiant ou mot de passe incorrect.',
	carte_inconnue: 'Cette carte n’est celle d’aucun membre.',
	client_inconnu: 'Carte inconnue : aucun compte sur cette carte.',
	client_existant: 'Cette carte a déjà un compte.',
	carte_bloquee: 'Carte bloquée : elle ne paie ni ne se recharge plus (débloquez-la depuis sa fiche si elle est retrouvée).',
	solde_negatif: 'Le solde doit être positif.',
	rechargement_negatif: 'Le montant du rechargement doit être positif.',
	paiement_negatif: 'Le montant à payer doit être positif.',
	produit_inconnu: 'Ce nombre de consommations n’a pas de prix.',
	montant_trop_eleve: 'Montant trop élevé : le plafond est dépassé.',
	transaction_inconnue: 'Opération introuvable.',
	transactions_deja_annulee: 'Opération déjà annulée.',
	transactions_deja_active: 'Opération déjà rétablie.',
	transaction_expiree: 'Trop tard : le délai d’annulation est passé.',
	transaction_autre: 'Seul le membre qui l’a faite (ou un président) peut annuler cette opération.',
	utilisateur_inconnu: 'Membre inconnu.',
	utilisateur_existant: 'Cet identifiant est déjà pris.',
	mdp_trop_court: 'Mot de passe trop court.',
	carte_utilisee: 'Cette carte est déjà celle d’un autre membre.',
	dernier_president: 'Impossible : c’est le dernier président.',
	verrou_inconnu: 'Ce verrou n’existe plus.',
	service_ouvert: 'Un service est déjà ouvert à votre nom.',
	service_ferme: 'Ce service est déjà fermé.',
	service_inconnu: 'Service introuvable.',
	requete_malforme: 'Valeur refusée par le serveur',
	erreur_bdd: 'Erreur de la base de données : réessayez.',
	erreur_generique: 'Erreur du serveur : réessayez.',
	trop_grande: 'Requête trop grande.',
	horsligne_expire: 'Vente hors ligne arrivée trop tard (plus vieille que la durée maximale) : rien n’a été débité, à régler à la main.',
};

// A wait in seconds (attente) as a person reads it: « 8 s », « 15 min ».
export function delai(s) { return s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`; }

// The French sentence for a reply that is not "ok".
export function message(rep) {
	if (rep.status === 'solde_insuffisant')
		return `Solde insuffisant : il manque ${euros(rep.manque)} (solde ${euros(rep.solde)}).`;
	if (rep.status === 'trop_de_tentatives')
		return `Trop de tentatives : réessayez dans ${delai(rep.attente)}, ou demandez à un président de lever le verrou (Bureau).`;
	if (rep.status === 'carte_bloquee' && rep.remplaceePar)
		return `Carte bloquée : elle a été remplacée par la carte ${rep.remplaceePar}.`;
	if (rep.status === 'requete_malforme')
		return `${MESSAGES.requete_malforme}${rep.champ ? ` (champ ${rep.champ})` : ''}.`;
	return MESSAGES[rep.status] ?? `Refusé par le serveur (${rep.status}).`;
}

// A short message in the announcement area (read out by screen readers).
export function annoncer(texte, genre = 'info') {
	const zone = document.getElementById('annonces');
	const m = h('p', { class: 'annonce ' + genre, role: genre === 'erreur' ? 'alert' : 'status' }, texte);
	zone.append(m);
	setTimeout(() => m.remove(), genre === 'erreur' ? 8000 : 4000);
}

// A <section> with a heading, the shape of every block of every screen.
export function bloc(titre, ...enfants) {
	return h('section', { class: 'bloc' }, h('h2', {}, titre), ...enfants);
}

// A labelled field: champ('Montant', {name: 'montant', inputmode: 'decimal'}).
let serie = 0;
export function champ(libelle, props = {}) {
	const id = props.id ?? 'c' + ++serie;
	const ctl = props.options
		? h('select', { ...props, options: null, id }, props.options.map(([v, t]) => h('option', { value: v }, t)))
		: h('input', { type: 'text', autocomplete: 'off', ...props, id });
	return h('div', { class: 'champ' }, h('label', { for: id }, libelle), ctl);
}

// Puts `texte` on the clipboard; falls back to selecting it for the person
// where the Clipboard API is refused (plain-http origins).
export async function copier(texte, repli) {
	try { await navigator.clipboard.writeText(texte); annoncer('Copié.'); }
	catch { repli?.select(); document.execCommand?.('copy'); annoncer('Sélectionné : copiez avec Ctrl+C.'); }
}

// A status line under a block's title, and a two-tap button for what
// cannot be undone (its second tap says `question`).
export function etatDe() { return h('div', { class: 'etat', role: 'status' }); }
export function dire(etat, rep, fait) {
	vider(etat, h('p', { class: rep.status === 'ok' ? 'ok' : 'erreur' }, rep.status === 'ok' ? fait : message(rep)));
}
export function confirmer(texte, action, classe = 'danger', question = 'Confirmer ?') {
	const b = h('button', { type: 'button', class: classe }, texte);
	let arme = null;
	b.addEventListener('click', () => {
		if (!arme) {
			b.textContent = question;
			b.classList.add('confirmer');
			arme = setTimeout(() => { arme = null; b.textContent = texte; b.classList.remove('confirmer'); }, 4000);
			return;
		}
		clearTimeout(arme);
		arme = null;
		b.textContent = texte;
		b.classList.remove('confirmer');
		action();
	});
	return b;
}
