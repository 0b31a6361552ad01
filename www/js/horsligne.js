// Selling while the network is gone (doc/bar.md, "When the Wi-Fi drops";
// doc/api.md, "Selling offline"). The rules the president sets, the prices,
// the products and the blocked cards are kept in localStorage, read again
// whenever the server answers. Sales made offline wait in IndexedDB (they
// survive a reload, a closed tab, a phone put to sleep), each with its own
// idRequete and its time on the server's clock, and are sent oldest first
// when the server answers again, one at a time, by the login that made them:
// a sale whose answer was lost is sent again with the same idRequete and the
// server answers it from its record, never charging twice. What each sale
// became when sent (its fate) is kept for the staff to see and settle.
// After a switch-over, the sales reprise.js puts back in "renvoi" go first,
// the same way.
import { appel, courante, nouvelId } from './api.js';

const REGLES = '10p5.regles';
const BASE = '10p5', VERSION_BASE = 2;
const SONDE_MS = 3000; // between two probes while the server does not answer
// Between two sales sent, the till waits RETENUE times the last one's round
// trip (at most RETENUE_MAX ms). Sent back to back, a queue took a full
// share of a busy server, as one more till selling nonstop: two tills at the
// counter beside it lost a third to a half of their pace. Waiting so, it
// takes about a third of that share (doc/performance.md, "offline-queue").
// A hidden page does not wait: the browser would stretch each pause to a
// second or more.
const RETENUE = 2, RETENUE_MAX = 2000;
// Answers that say nothing about the sale (the server was not reached, or
// could not decide): the sale stays queued and is sent again later.
const PASSAGERES = new Set(['reseau', 'erreur_bdd', 'erreur_generique', 'trop_de_connexions', 'jeton_invalide']);

let enLigne = navigator.onLine;
let sonde = null;
let envoi = null;
let encore = false;  // asked to send while a sending was ending: once more
// What coucou's answer says of a replaced server is looked at before the
// queue is sent (reprise.js, which uses this module: imported once this one
// is, and never failing the probe).
const reprise = import('./reprise.js').catch(() => null);

function annoncer() { dispatchEvent(new CustomEvent('horsligne', { detail: { enLigne } })); }

// Whether the server answered last (a guess between two calls).
export function connecte() { return enLigne; }

// --- the rules --------------------------------------------------------------
// {plafondCarte, plafondCaisse, dureeMax, bloquees, prix, produits, ecart (ms
// the server's clock is ahead of this one), lu (when, here)}, or null.
export function regles() {
	try { return JSON.parse(localStorage.getItem(REGLES)); } catch { return null; }
}

// Reads the rules again; resolves with them, or null when not answered.
export async function rafraichir(opts = {}) {
	const avant = Date.now();
	const rep = await appel('horsligne/regles', {}, opts);
	if (rep.status !== 'ok') return null;
	const apres = Date.now();
	const r = {
		plafondCarte: rep.plafondCarte, plafondCaisse: rep.plafondCaisse, dureeMax: rep.dureeMax,
		bloquees: rep.bloquees, prix: rep.prix, produits: rep.produits,
		ecart: rep.maintenant - Math.round((avant + apres) / 2), lu: apres,
	};
	localStorage.setItem(REGLES, JSON.stringify(r));
	dispatchEvent(new CustomEvent('regles', { detail: r }));
	return r;
}

// The time now on the server's clock, as this device estimates it.
export function maintenant() { return Date.now() + (regles()?.ecart ?? 0); }

// --- the queue (IndexedDB) ----------------------------------------------------
// Store "file": {n (order), idRequete, login, carte, params, horsLigne,
// montant (cents), libelle}. Store "sorts": the sales the staff must look
// at, the same with the answer's {status, idTransaction, signalee, dette,
// bloquee, recu}, until dismissed; a sale that simply went through keeps
// nothing. Stores "gardees" (the sales answered ok lately, by idRequete)
// and "renvoi" (those to send again, as "file") are reprise.js's.
let base = null;
function ouvrirBase() {
	base ??= new Promise((ok, ko) => {
		const r = indexedDB.open(BASE, VERSION_BASE);
		r.onupgradeneeded = () => {
			const db = r.result, a = (n) => db.objectStoreNames.contains(n);
			if (!a('file')) db.createObjectStore('file', { keyPath: 'n', autoIncrement: true });
			if (!a('sorts')) db.createObjectStore('sorts', { keyPath: 'n' });
			if (!a('gardees')) db.createObjectStore('gardees', { keyPath: 'idRequete' }).createIndex('garde', 'garde');
			if (!a('renvoi')) db.createObjectStore('renvoi', { keyPath: 'n', autoIncrement: true });
		};
		r.onsuccess = () => {
			// A newer version of the app in another tab needs this one closed.
			r.result.onversionchange = () => { r.result.close(); base = null; };
			ok(r.result);
		};
		r.onerror = () => { base = null; ko(r.error); };
	});
	return base;
}

// Runs f(stores) in one transaction over `noms`; resolves with f's result once committed.
export async function transaction(noms, mode, f) {
	const db = await ouvrirBase();
	return new Promise((ok, ko) => {
		const t = db.transaction(noms, mode);
		const stores = Object.fromEntries(noms.map((n) => [n, t.objectStore(n)]));
		let resultat;
		Promise.resolve(f(stores)).then((v) => { resultat = v; });
		t.oncomplete = () => ok(resultat);
		t.onerror = t.onabort = () => ko(t.error);
	});
}
export const tout = (store) => new Promise((ok, ko) => { const r = store.getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });

// The sales waiting, oldest first.
export function enAttente() { return transaction(['file'], 'readonly', (s) => tout(s.file)); }
// The fates not yet dismissed, newest sale first (those of sales sent again
// after a switch-over are keyed apart, below zero).
export async function sorts() {
	return (await transaction(['sorts'], 'readonly', (s) => tout(s.sorts))).sort((a, b) => b.horsLigne - a.horsLigne);
}
export function oublier(n) {
	return transaction(['sorts'], 'readwrite', (s) => { s.sorts.delete(n); }).then(() => annoncer());
}
// The oldest sale waiting in `store` that `login` made, or null (a cursor:
// the queue is not read whole for each sale sent).
function premiere(store, login) {
	return transaction([store], 'readonly', (s) => new Promise((ok, ko) => {
		const r = s[store].openCursor();
		r.onsuccess = () => {
			const c = r.result;
			if (!c) ok(null);
			else if (c.value.login === login) ok(c.value);
			else c.continue();
		};
		r.onerror = () => ko(r.error);
	}));
}

// Why the sale of `cents` on `carte` may not be made offline (a sentence),
// or null: the rules known, the card not blocked, the card's and the till's
// caps not passed by `l`, the sales waiting here.
function refus(l, carte, cents) {
	const r = regles();
	if (!r) return 'la caisse n’a jamais lu les règles hors ligne : elle ne peut pas vendre sans réseau.';
	if (r.bloquees.includes(carte)) return `la carte ${carte} est bloquée.`;
	const carteDeja = l.filter((v) => v.carte === carte).reduce((a, v) => a + v.montant, 0);
	const caisseDeja = l.reduce((a, v) => a + v.montant, 0);
	if (carteDeja + cents > Math.round(r.plafondCarte * 100))
		return `plafond hors ligne de la carte atteint (${r.plafondCarte} € au plus par carte, ${(carteDeja / 100).toFixed(2)} € déjà en attente).`;
	if (caisseDeja + cents > Math.round(r.plafondCaisse * 100))
		return `plafond hors ligne de la caisse atteint (${r.plafondCaisse} € au plus, ${(caisseDeja / 100).toFixed(2)} € déjà en attente).`;
	return null;
}

// Queues a sale made now by the session's login, unless the rules refuse
// it: resolves with its entry, or { refus } (the sentence saying why). The
// caps are read and the sale queued in one IndexedDB transaction, so that
// two tabs of this till selling at once cannot both pass a cap.
export async function vendre(carte, params, cents, libelle) {
	const v = { idRequete: nouvelId(), login: courante().login, carte, params, horsLigne: maintenant(), montant: cents, libelle };
	const pourquoi = await transaction(['file'], 'readwrite', (s) => new Promise((ok, ko) => {
		const r = s.file.getAll();
		r.onsuccess = () => {
			const non = refus(r.result, carte, cents);
			if (non) return ok(non);
			s.file.add(v).onsuccess = (e) => { v.n = e.target.result; ok(null); };
		};
		r.onerror = () => ko(r.error);
	}));
	if (pourquoi) return { refus: pourquoi };
	annoncer();
	return v;
}

// Sends the sales to send again after a switch-over, then the queue, oldest
// first, the session's login's sales only, one at a time; a sale leaves its
// store and becomes a fate in the same IndexedDB transaction once the server
// gave its answer. Stops at the first sale left without an answer (the
// server is gone again). One sender at a time, across the tabs (Web Locks,
// where the browser has them); asked while one ends, it goes round again.
export function envoyer() {
	if (envoi) { encore = true; return envoi; }
	envoi = (navigator.locks ? navigator.locks.request('10p5-file', vider) : vider()).finally(() => {
		envoi = null;
		if (encore) { encore = false; envoyer(); }
	});
	return envoi;
}
async function vider() {
	for (;;) {
		const s = courante();
		if (!s) return;
		const renvoi = await premiere('renvoi', s.login);
		const v = renvoi ?? await premiere('file', s.login);
		if (!v) return;
		const store = renvoi ? 'renvoi' : 'file';
		const debut = performance.now();
		const rep = await appel('client/payer', { ...v.params, idCarte: v.carte, horsLigne: v.horsLigne, idRequete: v.idRequete },
			{ libelle: `${v.libelle} ${renvoi ? 'renvoyée' : 'hors ligne'} (carte ${v.carte})` });
		if (PASSAGERES.has(rep.status) || rep.abandon) { if (rep.status === 'reseau') horsLigne(); return; }
		const sort = { ...v, n: renvoi ? -v.n : v.n, status: rep.status, idTransaction: rep.idTransaction, signalee: !!rep.signalee,
			dette: !!rep.dette, bloquee: !!rep.bloquee, recu: rep.recu };
		await transaction([store, 'sorts'], 'readwrite', (x) => {
			x[store].delete(v.n);
			if (rep.status !== 'ok' || rep.signalee) x.sorts.put(sort);
		});
		annoncer();
		const retenue = Math.min(RETENUE * (performance.now() - debut), RETENUE_MAX);
		if (!document.hidden) await new Promise((ok) => setTimeout(ok, retenue));
	}
}

// --- online or not ------------------------------------------------------------
function horsLigne() {
	if (enLigne) { enLigne = false; annoncer(); }
	sonde ??= setTimeout(sonder, SONDE_MS);
}
function retour() {
	if (!enLigne) { enLigne = true; annoncer(); }
	if (courante()) envoyer().then(() => rafraichir({ essais: 0 }));
}
// Asks the server once whether it is there (coucou, no session needed).
export async function sonder() {
	clearTimeout(sonde);
	sonde = null;
	const rep = await appel('coucou', {}, { essais: 0, silence: true });
	if (rep.status === 'reseau') return horsLigne();
	await (await reprise)?.regarder(rep).catch(() => 0);
	retour();
}

addEventListener('offline', horsLigne);
addEventListener('online', sonder);
// api.js's calls: a call that found no server after its tries, or one answered.
addEventListener('reseau', (e) => {
	if (e.detail === 'perdu') horsLigne();
	else if (e.detail === 'ok' && !enLigne) sonder(); // coucou first: the server may have been replaced
});
addEventListener('session', (e) => { if (e.detail && enLigne) envoyer(); });
// Settled once the server answered the page's first probe, or did not.
export const pret = sonder();
