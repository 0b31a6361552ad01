// The app's frame: hash routes (#/caisse, #/clients/ID, …) so that it works
// from any directory, the header with the screens this right may open, the
// login screen, and the dialog that renews a lapsed session while the
// action that met it waits (see api.js).
import * as api from './api.js';
import { h, vider, message, champ, DROITS, delai, euros } from './ui.js';
import { normaliser, boutonNfc, lecteurUsb } from './carte.js';

// Each screen's module exports afficher(main, args, session) → a function
// that stops what the screen started (timers, live feed), or nothing.
const ECRANS = {
	caisse: { titre: 'Caisse', droit: 1, charger: () => import('./caisse.js') },
	service: { titre: 'Service', droit: 2, charger: () => import('./service.js') },
	clients: { titre: 'Clients', droit: 2, charger: () => import('./clients.js') },
	soiree: { titre: 'Soirée', droit: 2, charger: () => import('./soiree.js') },
	cloture: { titre: 'Clôture', droit: 3, charger: () => import('./cloture.js') },
	catalogue: { titre: 'Catalogue', droit: 3, charger: () => import('./catalogue.js') },
	bureau: { titre: 'Bureau', droit: 3, charger: () => import('./bureau.js') },
	mur: { titre: 'Mur', droit: null, charger: () => import('./mur.js') },
	connexion: { titre: 'Connexion', droit: null, charger: async () => ({ afficher: connexion }) },
};

const main = document.getElementById('principal');
let arreter = null;
let apres = 'caisse'; // where to go once logged in

function route() {
	const [nom = '', ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
	return { nom, args };
}

function aller(nom) { location.hash = '#/' + nom; }

async function afficher() {
	let { nom, args } = route();
	const s = api.courante();
	if (!ECRANS[nom]) nom = s ? (s.droit >= 1 ? 'caisse' : 'connexion') : 'connexion';
	const e = ECRANS[nom];
	if (e.droit !== null && !s) { apres = location.hash.slice(2) || 'caisse'; return aller('connexion'); }
	if (nom === 'connexion' && s && s.droit >= 1) return aller('caisse');
	arreter?.();
	arreter = null;
	document.body.dataset.ecran = nom;
	document.title = e.titre + ' · 10p5';
	entete();
	if (e.droit !== null && s.droit < e.droit) {
		vider(main, h('p', { class: 'vide' }, `${e.titre} : réservé au droit ${e.droit} et plus (vous avez le droit ${s.droit}).`));
		return;
	}
	const m = await e.charger();
	if (route().nom !== nom && ECRANS[route().nom]) return; // moved on meanwhile
	vider(main);
	arreter = m.afficher(main, args, s) || null;
}

function entete() {
	const s = api.courante();
	const courant = document.body.dataset.ecran;
	const liens = Object.entries(ECRANS)
		.filter(([n, e]) => n !== 'connexion' && (e.droit === null || (s && s.droit >= e.droit)))
		.map(([n, e]) => h('a', { href: '#/' + n, 'aria-current': n === courant ? 'page' : false }, e.titre));
	vider(document.getElementById('nav'), liens);
	// Logging out is behind the login, a step away from the screens' tabs.
	vider(document.getElementById('qui'), s && h('details', { class: 'compte' },
		h('summary', { 'aria-label': `${s.login}, droit ${s.droit} : menu du compte` }, s.login),
		h('div', { class: 'menu' },
			h('p', { class: 'aide' }, `${s.login} · ${DROITS[s.droit] ?? 'droit ' + s.droit}`),
			h('button', { type: 'button', onclick: deconnecter }, 'Déconnexion'))));
}
// The account's menu closes when anything else is touched.
document.addEventListener('click', (e) => {
	const menu = document.querySelector('#qui details[open]');
	if (menu && !menu.contains(e.target)) menu.open = false;
});

async function deconnecter() {
	await api.appel('utilisateur/deconnexion');
	api.fermer();
	aller('connexion');
}

// A refused login's sentence. A password held back (trop_de_tentatives):
// how long, and the staff card, which wrong passwords never hold back.
function refus(rep, params) {
	if (rep.status !== 'trop_de_tentatives' || !params.mdp) return message(rep);
	return `Mot de passe retenu après trop d’essais : réessayez dans ${delai(rep.attente)}, ou entrez avec votre carte de membre.`;
}

// The login screen: login and password, or a staff card (USB reader, typing
// or Web NFC). A card session carries at most right 2. A reader's burst is a
// card wherever the focus is, never a password (carte.js, lecteurUsb).
// Returns what stops listening for the reader.
function connexion(racine) {
	const etat = h('div', { class: 'etat', role: 'alert' });
	const dire = (texte, genre = 'erreur') => vider(etat, texte && h('p', { class: genre }, texte));
	const login = champ('Identifiant', { name: 'login', autocomplete: 'username', autocapitalize: 'off', required: true });
	const mdp = champ('Mot de passe', { name: 'mdp', type: 'password', autocomplete: 'current-password', required: true });
	const carte = champ('Carte de membre', { name: 'carte', autocomplete: 'off', inputmode: 'text' });
	async function entrer(params) {
		dire('Connexion…', 'info');
		const rep = await api.appel('utilisateur/connexion', params);
		if (rep.status !== 'ok') { dire(refus(rep, params)); return; }
		api.ouvrir({ jeton: rep.jeton, login: rep.login, droit: rep.droit });
		if (rep.droit < 1) { dire('Ce compte n’a accès à aucun écran (droit 0).'); return; }
		aller(apres === 'connexion' ? 'caisse' : apres);
	}
	const f1 = h('form', { class: 'pile', onsubmit: (e) => {
		e.preventDefault();
		entrer({ login: login.lastChild.value.trim(), mdp: mdp.lastChild.value });
	} }, login, mdp, h('button', { class: 'principal' }, 'Se connecter'));
	const lireCarte = (texte) => {
		const id = normaliser(texte);
		if (!id) { dire('Numéro de carte illisible.'); return; }
		entrer({ idCarte: id });
	};
	const f2 = h('form', { class: 'pile', onsubmit: (e) => { e.preventDefault(); lireCarte(carte.lastChild.value); carte.lastChild.value = ''; } },
		carte, h('button', {}, 'Entrer avec la carte'), boutonNfc(lireCarte, (t) => dire(t)));
	const arret = lecteurUsb(lireCarte);
	const attente = h('section', { class: 'bloc horsligne', id: 'connexion-attente', 'aria-labelledby': 'connexion-attente-titre', hidden: true });
	racine.append(h('div', { class: 'connexion' },
		h('h1', {}, '10p5 · connexion'), etat, attente,
		h('section', { class: 'bloc' }, h('h2', {}, 'Avec un mot de passe'), f1),
		h('section', { class: 'bloc' }, h('h2', {}, 'Ou avec sa carte'), h('p', { class: 'aide' }, 'Passez la carte sur le lecteur, ou tapez son numéro. Une carte ouvre au plus le droit 2.'), f2)));
	login.lastChild.focus();
	const suivre = attenteHorsLigne(attente);
	return () => { arret(); suivre(); };
}

// What the login screen says of the sales made offline on this device: how
// many wait and how much, and that each leaves once its seller logs in here
// (horsligne.js sends a login's own sales only). Returns what stops it.
function attenteHorsLigne(bloc) {
	let fini = false;
	const hl = import('./horsligne.js');
	async function dessiner() {
		const m = await hl;
		const file = await m.enAttente();
		if (fini) return;
		bloc.hidden = !file.length;
		if (!file.length) return vider(bloc);
		const total = file.reduce((a, v) => a + v.montant, 0);
		const vendeurs = [...new Set(file.map((v) => v.login))];
		vider(bloc,
			h('h2', { id: 'connexion-attente-titre' }, 'Ventes faites hors ligne'),
			h('p', { id: 'connexion-attente-nombre' }, h('strong', {}, `${file.length} vente${file.length > 1 ? 's' : ''} en attente`),
				` sur cet appareil · ${euros(total / 100)}`),
			h('p', { class: 'aide' }, vendeurs.length === 1 ? `Elles partiront dès que ${vendeurs[0]} se connectera ici`
				: `Chacune partira dès que son vendeur (${vendeurs.join(', ')}) se connectera ici`,
				m.connecte() ? '.' : ', le réseau revenu : rien n’est perdu d’ici là.'));
	}
	addEventListener('horsligne', dessiner);
	dessiner();
	return () => { fini = true; removeEventListener('horsligne', dessiner); };
}

// The dialog that renews a lapsed session for the same person. Resolves
// once a new session is open; rejects if they give up (back to login).
function reconnecter(s, libelle) {
	return new Promise((resolve, reject) => {
		const etat = h('div', { class: 'etat', role: 'alert' });
		const dire = (texte, genre = 'erreur') => vider(etat, texte && h('p', { class: genre }, texte));
		const mdp = champ('Mot de passe', { type: 'password', autocomplete: 'current-password' });
		const carte = champ('Ou sa carte', { autocomplete: 'off' });
		const d = h('dialog', { class: 'reconnexion', 'aria-labelledby': 'reco-titre' });
		let fini = false;
		const arret = lecteurUsb((id) => essayer({ idCarte: id }));
		const fin = (ok) => { fini = true; arret(); d.close(); d.remove(); ok ? resolve() : (api.fermer(), aller('connexion'), reject(new Error('abandon'))); };
		async function essayer(params) {
			dire('Connexion…', 'info');
			const rep = await api.appel('utilisateur/connexion', params);
			if (rep.status !== 'ok') { dire(refus(rep, params)); return; }
			if (rep.login !== s.login) {
				api.appel('utilisateur/deconnexion', {}, { jeton: rep.jeton });
				dire(`Cette carte est celle de ${rep.login}, pas de ${s.login}.`);
				return;
			}
			api.ouvrir({ jeton: rep.jeton, login: rep.login, droit: rep.droit });
			fin(true);
		}
		d.append(h('form', { method: 'dialog', class: 'pile', onsubmit: (e) => {
			e.preventDefault();
			const id = normaliser(carte.lastChild.value);
			if (carte.lastChild.value.trim()) return id ? essayer({ idCarte: id }) : dire('Numéro de carte illisible.');
			if (mdp.lastChild.value) essayer({ login: s.login, mdp: mdp.lastChild.value });
		} },
		h('h2', { id: 'reco-titre' }, 'Session expirée'),
		h('p', {}, `${s.login}, reconnectez-vous : `, h('strong', {}, libelle || 'l’opération en cours'),
			' attend : elle ne comptera qu’une fois.'),
		etat, mdp, carte,
		h('div', { class: 'actions' },
			h('button', { class: 'principal' }, 'Reprendre'),
			h('button', { type: 'button', onclick: () => fin(false) }, 'Abandonner'))));
		d.addEventListener('cancel', (e) => { e.preventDefault(); });
		d.addEventListener('close', () => { if (!fini) fin(false); });
		document.body.append(d);
		d.showModal();
		mdp.lastChild.focus();
	});
}

// The worker that keeps the app's files for opening with no network (sw.js;
// only on a secure origin: https, or this machine). While online, the page
// asks it to check for a new deployment; once one is kept whole, a button
// reloads into it.
if (navigator.serviceWorker) {
	navigator.serviceWorker.register('sw.js').then(() => navigator.serviceWorker.ready).then((r) => {
		if (navigator.onLine) r.active.postMessage('verifier');
	}, () => {});
	navigator.serviceWorker.addEventListener('message', (e) => {
		if (e.data?.type !== 'version') return;
		document.documentElement.dataset.version = e.data.version ?? '';
		if (!e.data.nouvelle) return;
		const b = document.getElementById('version');
		vider(b, h('p', {}, 'Une nouvelle version de 10p5 est prête. ',
			h('button', { type: 'button', onclick: () => location.reload() }, 'Recharger')));
		b.hidden = false;
	});
}

api.surExpiration(reconnecter);
addEventListener('hashchange', afficher);
addEventListener('session', entete);
let horsLigne = false; // horsligne.js says so: the band says it rather than each try
addEventListener('reseau', (e) => {
	const b = document.getElementById('reseau');
	if (horsLigne) return;
	b.hidden = e.detail === 'ok';
	b.textContent = e.detail === 'essai' ? 'Connexion perdue : nouvel essai…' : 'Serveur injoignable.';
});
// Offline, the band says what works (selling, once logged in) and what
// waits on this device: on a phone the till's panel is a scroll away.
let tour = 0;
async function bandeHorsLigne() {
	const b = document.getElementById('reseau');
	const n = ++tour;
	b.hidden = !horsLigne;
	b.classList.toggle('durable', horsLigne);
	if (!horsLigne) return;
	const file = await (await import('./horsligne.js')).enAttente();
	if (n !== tour) return; // a newer drawing is on its way
	const total = file.reduce((a, v) => a + v.montant, 0);
	b.textContent = (api.courante() ? 'Hors ligne : la caisse vend sur ses règles gardées.' : 'Hors ligne : la connexion attend le réseau.')
		+ (file.length ? ` ${file.length} vente${file.length > 1 ? 's' : ''} en attente · ${euros(total / 100)}.` : '');
}
addEventListener('horsligne', (e) => { horsLigne = !e.detail.enLigne; bandeHorsLigne(); });
addEventListener('session', () => { if (horsLigne) bandeHorsLigne(); });
afficher();
