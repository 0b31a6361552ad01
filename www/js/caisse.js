// The till: read a card, then pay (one tap per drink button, or an amount),
// top up, open an account on an unknown card, or empty it. The operations
// made on this device can be cancelled or redone while the window lasts,
// with a countdown; the bar's other operations arrive live below.
import { appel } from './api.js';
import { h, vider, euros, montant, message, heure, annoncer, TYPES, effet } from './ui.js';
import { normaliser, boutonNfc, capterClavier } from './carte.js';
import { suivre } from './direct.js';

// How long a cancel stays open (TENP5_CANCEL_WINDOW), as v1/me tells it;
// the server has the last word and answers transaction_expiree past it.
let fenetreMs = null;
const RECENTES = '10p5.recentes';  // this device's operations (localStorage)
const GARDE_MS = 400;               // a second tap on the same button within this is a bounce
const RECHARGES = [5, 10, 20];

export function afficher(racine, args, s) {
	let client = null;      // {idCarte, solde, decouvert, membre}
	let prix = [];
	let occupe = false;
	let dernierTap = { cle: '', t: 0 };
	const faites = new Set(); // "kind:transaction id" of what this screen did
	const arrets = [];

	const etat = h('div', { class: 'etat', role: 'status', 'aria-live': 'polite' });
	const champCarte = h('input', { id: 'carte', name: 'carte', autocomplete: 'off', autocapitalize: 'characters',
		spellcheck: 'false', placeholder: 'Passez une carte', 'aria-describedby': 'carte-aide' });
	const formCarte = h('form', { class: 'lecture', onsubmit: (e) => { e.preventDefault(); lire(champCarte.value); } },
		h('label', { for: 'carte' }, 'Carte'),
		h('div', { class: 'ligne' }, champCarte, h('button', { class: 'principal' }, 'Lire')),
		h('p', { id: 'carte-aide', class: 'aide' }, 'Lecteur USB, numéro tapé puis Entrée, ou NFC.'),
		boutonNfc((id) => lire(id), (t) => dire(t, 'erreur')));

	const fiche = h('div', { class: 'fiche', hidden: true });
	const recentes = h('ol', { class: 'ops', 'aria-label': 'Opérations faites ici' });
	const direct = h('ol', { class: 'ops direct', 'aria-label': 'Opérations du bar en direct' });
	const etatDirect = h('p', { class: 'aide', role: 'status' }, 'Connexion au direct…');

	racine.append(h('div', { class: 'caisse' },
		h('div', { class: 'colonne' }, h('h1', { class: 'cache' }, 'Caisse'), formCarte, etat, fiche),
		h('div', { class: 'colonne' },
			h('section', { class: 'bloc' }, h('h2', {}, 'Faites ici'), recentes),
			h('section', { class: 'bloc' }, h('h2', {}, 'Au bar, en direct'), etatDirect, direct))));

	function dire(texte, genre = 'info', ...actions) {
		vider(etat, texte && h('p', { class: genre }, texte), actions.length > 0 && h('div', { class: 'actions' }, actions));
	}

	// --- reading a card ---------------------------------------------------
	async function lire(texte) {
		const id = normaliser(texte);
		champCarte.value = '';
		if (!id) { dire('Numéro de carte illisible : 1 à 32 lettres ou chiffres.', 'erreur'); return; }
		dire('Lecture de ' + id + '…');
		const [f, info] = await Promise.all([
			s.droit >= 2 ? appel('client/fiche', { idCarte: id, limite: 1 }) : null,
			appel('carte/info', { idCarte: id }),
		]);
		const membre = info.status === 'ok' ? info.utilisateur : null;
		if (f && f.status === 'ok') return montrer({ idCarte: id, solde: f.solde, decouvert: !!f.decouvert, membre });
		if ((f && f.status === 'client_inconnu') || (!f && info.status === 'ok' && !info.client)) return ouverture(id, membre);
		if (!f && info.status === 'ok') { client = null; fiche.hidden = true; return dire(`La carte ${id} a déjà un compte (le droit 1 n’en voit pas le solde).`); }
		dire(message(f || info), 'erreur');
	}

	function nouvelleCarte() {
		client = null;
		fiche.hidden = true;
		dire('');
		champCarte.focus();
	}

	// --- a known card -----------------------------------------------------
	const soldeEl = h('output', { class: 'solde', 'aria-live': 'polite', id: 'solde' });
	const boissons = h('div', { class: 'boissons' });
	function montrer(c) {
		client = c;
		dire('');
		montrerSolde();
		const montantPaye = h('input', { id: 'montant-payer', inputmode: 'decimal', autocomplete: 'off', placeholder: '0,00' });
		const montantRecharge = h('input', { id: 'montant-recharger', inputmode: 'decimal', autocomplete: 'off', placeholder: '0,00' });
		const vidange = h('button', { type: 'button', class: 'danger', onclick: () => vider1(vidange) }, 'Vider la carte');
		vider(fiche,
			h('div', { class: 'tete' },
				h('p', { class: 'id' }, 'Carte ', h('strong', {}, c.idCarte)),
				h('button', { type: 'button', class: 'discret', onclick: nouvelleCarte, 'aria-keyshortcuts': 'Escape' }, 'Autre carte')),
			h('p', { class: 'montant-solde' }, h('span', { class: 'cache' }, 'Solde : '), soldeEl),
			(c.decouvert || c.membre) && h('p', {},
				c.decouvert && h('span', { class: 'badge' }, 'découvert autorisé'), ' ',
				c.membre && h('span', { class: 'badge membre' }, 'carte du membre ' + c.membre)),
			h('h2', {}, 'Payer'), boissons,
			h('form', { class: 'ligne', onsubmit: (e) => { e.preventDefault(); payerMontant(montantPaye); } },
				h('label', { for: 'montant-payer' }, 'Autre montant'), montantPaye, h('button', { class: 'payer' }, 'Payer')),
			h('h2', {}, 'Recharger'),
			h('div', { class: 'recharges' }, RECHARGES.map((m) =>
				h('button', { type: 'button', class: 'recharger', onclick: () => recharger(m) }, `+${m} €`))),
			h('form', { class: 'ligne', onsubmit: (e) => { e.preventDefault(); rechargerMontant(montantRecharge); } },
				h('label', { for: 'montant-recharger' }, 'Montant'), montantRecharge, h('button', { class: 'recharger' }, 'Recharger')),
			h('div', { class: 'fin' }, vidange));
		dessinerBoissons();
		fiche.hidden = false;
		if (s.droit < 2) fiche.hidden = true;
		boissons.querySelector('button')?.focus();
	}

	function dessinerBoissons() {
		vider(boissons, prix.length ? prix.map((p) => h('button', { type: 'button', class: 'boisson', 'data-quantite': p.quantite,
			onclick: () => payerQuantite(p) },
			h('span', { class: 'n' }, p.quantite), h('span', { class: 'u' }, p.quantite > 1 ? 'consos' : 'conso'),
			h('span', { class: 'p' }, euros(p.prix))))
			: h('p', { class: 'aide' }, 'Aucun prix : le président les fixe au bureau. Payez par montant.'));
	}

	// --- changes ----------------------------------------------------------
	// Sends one change for the card on screen and shows its outcome. `libelle`
	// names it in the re-login dialog and in the list of this device's
	// operations; `ajout` turns the reply into that list's entry.
	async function operation(chemin, params, libelle, ajout) {
		const c = client;
		const p = { idCarte: c.idCarte, ...params }; // keeps its idRequete across retries
		async function envoyer() {
			occupe = true;
			document.body.classList.add('occupe');
			const rep = await appel(chemin, p, { libelle });
			occupe = false;
			document.body.classList.remove('occupe');
			if (rep.status === 'ok') {
				if (rep.idTransaction) faites.add('transaction:' + rep.idTransaction);
				c.solde = rep.soldeNouveau;
				if (client === c) montrerSolde();
				noter({ id: rep.idTransaction, client: c.idCarte, login: s.login, t: Date.now(), valide: true, ...ajout(rep) });
				dire(`${libelle} : fait. Nouveau solde ${euros(rep.soldeNouveau)}.`, 'ok');
				return rep;
			}
			if (rep.status === 'solde_insuffisant' && chemin === 'client/payer') {
				dire(message(rep), 'erreur',
					h('button', { type: 'button', class: 'recharger', onclick: async () => {
						// A new attempt, hence a new idRequete (the refusal is what the old one replays).
						if ((await recharger(rep.manque)) && client === c) operation(chemin, params, libelle, ajout);
					} }, `Recharger ${euros(rep.manque)} et payer`),
					h('button', { type: 'button', class: 'recharger', onclick: () => recharger(10) }, 'Recharger ' + euros(10)));
			} else if (rep.status === 'reseau') {
				dire(`${libelle} : ${message(rep)}`, 'erreur', h('button', { type: 'button', class: 'principal', onclick: envoyer }, 'Réessayer'));
			} else {
				dire(`${libelle} refusé. ${message(rep)}`, 'erreur');
			}
			return null;
		}
		return envoyer();
	}

	function montrerSolde() {
		soldeEl.textContent = euros(client.solde);
		soldeEl.classList.toggle('negatif', client.solde < 0);
	}

	function rebond(cle) {
		const t = performance.now();
		if (occupe || (dernierTap.cle === cle && t - dernierTap.t < GARDE_MS)) return true;
		dernierTap = { cle, t };
		return false;
	}

	function payerQuantite(p) {
		if (!client || rebond('q' + p.quantite)) return;
		const libelle = `Paiement de ${p.quantite} conso${p.quantite > 1 ? 's' : ''} (${euros(p.prix)}) sur ${client.idCarte}`;
		return operation('client/payer', { quantite: p.quantite }, libelle, (r) => ({ type: 3, montant: r.montant, qte: p.quantite }));
	}

	function payerMontant(input) {
		const m = montant(input.value);
		if (!m || Number(m) <= 0) { dire('Montant invalide : par exemple 2,50.', 'erreur'); input.focus(); return; }
		if (!client || rebond('m' + m)) return;
		input.value = '';
		return operation('client/payer', { montant: m }, `Paiement de ${euros(Number(m))} sur ${client.idCarte}`,
			(r) => ({ type: 3, montant: r.montant }));
	}

	function recharger(m) {
		if (!client || rebond('r' + m)) return null;
		return operation('client/recharger', { montant: String(m) }, `Rechargement de ${euros(m)} sur ${client.idCarte}`,
			() => ({ type: 2, montant: m }));
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
		operation('client/vidange', {}, `Vidange de ${client.idCarte}`, (r) => ({ type: 4, montant: r.soldeAncien - r.soldeNouveau }));
	}

	// --- an unknown card --------------------------------------------------
	function ouverture(id, membre) {
		client = null;
		const champSolde = h('input', { id: 'solde-initial', inputmode: 'decimal', autocomplete: 'off', placeholder: '0,00' });
		const dec = s.droit >= 3 ? h('input', { type: 'checkbox', id: 'decouvert-initial' }) : null;
		const ouvrir = async (m) => {
			const v = montant(m);
			if (v === null) { dire('Montant invalide : par exemple 10.', 'erreur'); return; }
			const libelle = `Ouverture du compte ${id} avec ${euros(Number(v))}`;
			const rep = await appel('client/ajouter', { idCarte: id, solde: v, decouvert: dec?.checked ? 'oui' : undefined }, { libelle });
			if (rep.status !== 'ok') { dire(libelle + ' refusée. ' + message(rep), 'erreur'); return; }
			noter({ id: rep.idTransaction, client: id, login: s.login, t: Date.now(), valide: true, type: 1, montant: rep.soldeNouveau });
			if (s.droit >= 2) montrer({ idCarte: id, solde: rep.soldeNouveau, decouvert: !!dec?.checked, membre });
			else fiche.hidden = true;
			dire(`Compte ouvert sur ${id} : ${euros(rep.soldeNouveau)}.`, 'ok');
		};
		fiche.hidden = false;
		vider(fiche, h('div', { class: 'inconnue' },
			h('p', { class: 'id' }, 'Carte ', h('strong', {}, id), ' : aucun compte.', membre ? ` (carte du membre ${membre})` : ''),
			h('h2', {}, 'Ouvrir un compte'),
			h('div', { class: 'recharges' }, RECHARGES.map((m) => h('button', { type: 'button', class: 'recharger', onclick: () => ouvrir(String(m)) }, `Ouvrir avec ${euros(m)}`))),
			h('form', { class: 'ligne', onsubmit: (e) => { e.preventDefault(); ouvrir(champSolde.value); } },
				h('label', { for: 'solde-initial' }, 'Solde initial'), champSolde, h('button', { class: 'principal' }, 'Ouvrir')),
			dec && h('label', { class: 'case', for: 'decouvert-initial' }, dec, 'Découvert autorisé'),
			h('button', { type: 'button', class: 'discret', onclick: nouvelleCarte }, 'Autre carte')));
		dire('');
		fiche.querySelector('button').focus();
	}

	// --- this device's operations: cancel / redo with a countdown ----------
	function charger() { try { return JSON.parse(localStorage.getItem(RECENTES)) || []; } catch { return []; } }
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

	function dessinerRecentes() {
		const maintenant = Date.now();
		const l = charger();
		if (!l.length) return vider(recentes, h('li', { class: 'aide' }, 'Rien encore sur cet appareil.'));
		vider(recentes, l.map((op) => {
			const reste = fenetreMs === null ? Infinity : fenetreMs - (maintenant - op.t);
			const sienne = op.login === s.login || s.droit >= 3;
			const ouverte = s.droit >= 3 || (reste > 0 && !op.expiree);
			const m = Math.max(0, Math.ceil(reste / 1000));
			return h('li', { class: 'op' + (op.valide ? '' : ' annulee') },
				h('span', { class: 'quoi' }, `${op.type === 3 && op.qte ? `${op.qte} conso${op.qte > 1 ? 's' : ''}` : TYPES[op.type]} ${euros(op.montant)}`, op.valide ? '' : ' (annulé)'),
				h('span', { class: 'qui' }, `${op.client} · ${heure(op.t)}${op.login !== s.login ? ' · ' + op.login : ''}`),
				sienne && ouverte ? h('button', { type: 'button', class: op.valide ? 'annuler' : 'refaire', onclick: () => basculer(op) },
					op.valide ? 'Annuler' : 'Refaire',
					s.droit < 3 && reste !== Infinity ? h('span', { class: 'compte' }, ` ${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`) : '')
					: h('span', { class: 'aide' }, sienne ? 'délai passé' : ''));
		}));
	}
	dessinerRecentes();
	const horloge = setInterval(dessinerRecentes, 1000);
	arrets.push(() => clearInterval(horloge));

	// --- the bar, live ----------------------------------------------------
	// Every operation of the bar as it happens, each once (keyed by the
	// feed's id). The balance on screen follows operations made elsewhere on
	// the same card; this device's own are already there. Presidents also
	// see lock-outs as they start: the server sends `utilisateur` events to
	// right 3 only, whatever is asked.
	function evenement(type, d, id) {
		if (type === 'prix') { chargerPrix(); return; }
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
			types: ['transaction', 'annulation', 'refaire', 'prix', 'utilisateur'],
			recu: evenement,
			reinitialiser: chargerPrix,
			etat: (mot, d) => {
				etatDirect.textContent = {
					direct: '● En direct.', coupure: 'Direct coupé : reconnexion…',
					fin: d?.status === 'jeton_invalide' ? 'Direct en pause : session terminée. Il reprendra à la prochaine connexion.'
						: 'Direct arrêté : ' + (d ? message(d) : ''),
					refus: 'Direct refusé : ' + (d ? message(d) : ''),
				}[mot];
				etatDirect.classList.toggle('erreur', mot !== 'direct');
			},
		}));
	} else etatDirect.textContent = 'Le direct est réservé au droit 2.';

	async function chargerPrix() {
		const rep = await appel('prix/liste');
		if (rep.status === 'ok') { prix = rep.prix; if (client) dessinerBoissons(); }
		else dire('Prix indisponibles : ' + message(rep), 'erreur');
	}
	chargerPrix();
	if (fenetreMs === null) appel('v1/me').then((r) => {
		if (r.status === 'ok' && Number.isFinite(r.fenetreAnnulation)) { fenetreMs = r.fenetreAnnulation * 1000; dessinerRecentes(); }
	});

	arrets.push(capterClavier(champCarte));
	const echap = (e) => { if (e.key === 'Escape' && !document.querySelector('dialog[open]')) nouvelleCarte(); };
	document.addEventListener('keydown', echap);
	arrets.push(() => document.removeEventListener('keydown', echap));
	if (args[0]) lire(args[0]); else champCarte.focus();
	return () => arrets.forEach((f) => f());
}
