// The only way the app talks to the server. Every call is a form POST to a
// path relative to the app's directory ("api/client/payer" beside js/, so the
// app also works from a sub-directory of a shared host, and the holder's page
// from moi/), with the session's jeton or an API key.
// Every change carries an idRequete made here; a call that gets no answer is
// sent again with the same idRequete, and a call refused with jeton_invalide
// waits for a new login and is then sent again, still with the same
// idRequete: the server replays the first answer instead of charging twice.
// Only a refusal of the current session asks for a login: a call sent before
// a new login and refused after it is sent again under the new session.

const CHANGES = new Set([
	'client/ajouter', 'client/recharger', 'client/payer', 'client/vidange', 'client/decouvert',
	'client/bloquer', 'client/debloquer', 'client/remplacer', 'client/code',
	'annuler', 'refaire', 'prix/modifier', 'produit/modifier', 'service/ouvrir', 'service/fermer',
	'utilisateur/ajouter', 'utilisateur/droit', 'utilisateur/supprimer', 'utilisateur/mdp',
	'utilisateur/carte', 'utilisateur/deverrouiller',
	'cle/creer', 'cle/supprimer', 'app/creer', 'app/supprimer',
]);
// Pauses before each new try when the network fails (then the caller is told).
const PAUSES = [200, 500, 1000, 2000, 4000];
const DELAI = 8000; // ms without an answer before the request is abandoned and sent again
const CLE_SESSION = '10p5.session';

let session = lire();
let reconnecter = null;   // set by app.js: (session, libelle) => Promise of the new session
let enCours = null;       // the one re-login in progress, shared by every waiting call
let acquitter = null;     // set by reprise.js: (chemin, params, rep) => Promise, for each change answered ok

function lire() {
	try { return JSON.parse(sessionStorage.getItem(CLE_SESSION)); } catch { return null; }
}

// The current session {jeton, login, droit}, or null.
export function courante() { return session; }

export function ouvrir(s) {
	session = s;
	sessionStorage.setItem(CLE_SESSION, JSON.stringify(s));
	dispatchEvent(new CustomEvent('session', { detail: s }));
}

export function fermer() {
	session = null;
	sessionStorage.removeItem(CLE_SESSION);
	dispatchEvent(new CustomEvent('session', { detail: null }));
}

// How a lapsed session is renewed: a function that asks the person to log
// in again and resolves with the new session, or rejects if they give up.
export function surExpiration(f) { reconnecter = f; }

// What is done with each change the server answered ok under the session,
// before its caller is told: f(chemin, params, rep) resolves once it is done
// (reprise.js keeps the sales, to send them again to a server that replaced
// this one).
export function surAcquittement(f) { acquitter = f; }

// 32 hexadecimal characters from the browser's random generator
// (crypto.randomUUID is missing on plain-http origins such as a LAN address).
export function nouvelId() {
	const o = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(o, (b) => b.toString(16).padStart(2, '0')).join('');
}

function signaler(etat) { dispatchEvent(new CustomEvent('reseau', { detail: etat })); }
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// One HTTP exchange. Resolves with the JSON reply, or rejects when there is
// no usable answer (network down, timeout, a front server's 429 or 502/503/504),
// which is worth sending again.
async function envoyer(chemin, corps, entetes) {
	const arret = new AbortController();
	const minuteur = setTimeout(() => arret.abort(), DELAI);
	try {
		const r = await fetch(new URL('../api/' + chemin, import.meta.url), {
			method: 'POST', body: corps, headers: entetes, signal: arret.signal,
			cache: 'no-store', credentials: 'same-origin',
		});
		// A front server's gateway errors, and nginx's 429 when this address
		// has too many requests in progress (trop_de_connexions): try later.
		if (r.status === 429 || r.status === 502 || r.status === 503 || r.status === 504) throw new Error('HTTP ' + r.status);
		try { return await r.json(); } catch { return { status: 'erreur_generique', http: r.status }; }
	} finally {
		clearTimeout(minuteur);
	}
}

// Calls the endpoint `chemin` with the parameters `params` (an object; for a
// change, params.idRequete is set once here and kept, so calling again with
// the same object is the same request). opts.cle: an API key sent as
// "Authorization: ApiKey" instead of the session; opts.libelle: what the
// re-login dialog says is waiting; opts.jeton: another session's jeton;
// opts.essais: how many times a call without an answer is sent again (5);
// opts.silence: the call says nothing of the network (a probe). Resolves
// with the server's reply, or with
// {status: "reseau"} when no answer came after every try, or
// {status: "jeton_invalide", abandon: true} when the person gave up logging in
// again. Never rejects.
export async function appel(chemin, params = {}, opts = {}) {
	if (CHANGES.has(chemin) && !params.idRequete) params.idRequete = nouvelId();
	const essais = opts.essais ?? PAUSES.length;
	const dire = opts.silence ? () => {} : signaler;
	for (let essai = 0; ; ) {
		const corps = new URLSearchParams();
		for (const [k, v] of Object.entries(params)) {
			if (v === undefined || v === null || v === '') continue;
			for (const x of Array.isArray(v) ? v : [v]) corps.append(k, x);
		}
		const entetes = {};
		const jeton = opts.cle ? null : opts.jeton ?? session?.jeton;
		if (opts.cle) entetes.Authorization = 'ApiKey ' + opts.cle;
		else if (jeton) corps.set('jeton', jeton);
		let rep;
		try {
			rep = await envoyer(chemin, corps, entetes);
		} catch {
			if (essai >= essais) { dire('perdu'); return { status: 'reseau' }; }
			dire('essai');
			await pause(PAUSES[essai++]);
			continue;
		}
		dire('ok');
		if (rep.status === 'ok' && acquitter && CHANGES.has(chemin) && !opts.cle && !opts.jeton && session)
			await acquitter(chemin, params, rep).catch(() => {});
		if (rep.status !== 'jeton_invalide' || opts.cle || !reconnecter || !session) return rep;
		// Sent under a session since renewed (its answer came after the new
		// login): the new one has not been refused, send it again under it.
		if (!opts.jeton && jeton !== session.jeton) continue;
		try {
			enCours ??= reconnecter(session, opts.libelle).finally(() => { enCours = null; });
			await enCours;
		} catch {
			return { ...rep, abandon: true };
		}
	}
}
