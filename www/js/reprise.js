// When the server is replaced (doc/bar.md, "When the server is replaced";
// doc/api.md, "After a switch-over"). The till keeps each sale the server
// answered ok, for GARDE_MS, in IndexedDB beside the offline queue. coucou
// names the database that answers (base); when it names another than the
// one this device saw, a copy took the dead server's place and may lack the
// last sales: every sale kept goes to "renvoi", which horsligne.js sends
// before its queue, oldest first, as it sends the queue (the same idRequete,
// the sale's time as horsLigne, by the login that made it). The new server
// answers those it has from their record and records the others.
import { appel, courante, surAcquittement } from './api.js';
import * as hl from './horsligne.js';
import { euros } from './ui.js';

// How long a sale answered ok is kept: at least ten times the bound on what
// a replica may lack (the replication ships the database every second and
// loses a few seconds of sales at worst, doc/performance.md), and more than
// a switch-over takes, so that a sale the copy lacks is still kept when the
// till meets the new server.
export const GARDE_MS = 10 * 60 * 1000;
// Between two looks at coucou while calls go through: a till that made no
// call while the server was replaced notices it within this.
const VEILLE_MS = 15 * 1000;
const BASE_VUE = '10p5.base';    // localStorage: the database this device last saw
const REPRISE = '10p5.reprise';  // localStorage: the last switch-over noticed {quand, n}, until dismissed
const DEPUIS = '10p5.remplace';  // localStorage: when (ms, here) the last switch-over was noticed

// --- keeping ---------------------------------------------------------------
// Store "gardees": {idRequete, login, carte, params, horsLigne (the sale's
// time on the server's clock), montant (cents), libelle, garde (when kept,
// on this device's clock), idTransaction (as last answered), annulee},
// by idRequete: a sale answered again (sent again after a switch-over) is the
// same entry. A sale cancelled here is not sent again: a copy that lacks it
// lacks its cancellation too.
async function garder(chemin, params, rep) {
	if (!courante()) return;
	if (chemin === 'annuler' || chemin === 'refaire') return marquer(params.idTransaction, chemin === 'annuler');
	if (chemin !== 'client/payer' || !params.idRequete) return;
	const { idCarte, idRequete, horsLigne, jeton, ...autres } = params;
	const cents = Math.round(rep.montant * 100);
	const v = { idRequete, login: courante().login, carte: idCarte, params: autres, idTransaction: rep.idTransaction,
		horsLigne: horsLigne ?? hl.maintenant(), montant: cents, libelle: `Vente de ${euros(cents / 100)}`, garde: Date.now() };
	await hl.transaction(['gardees'], 'readwrite', (s) => {
		const g = s.gardees;
		// Answered again: only its number may have changed (recorded anew).
		g.get(idRequete).onsuccess = (e) => { const x = e.target.result; g.put(x ? { ...x, idTransaction: rep.idTransaction } : v); };
		// Those past their time go (an index: never the whole store read).
		g.index('garde').openCursor(IDBKeyRange.upperBound(Date.now() - GARDE_MS)).onsuccess = (e) => {
			const c = e.target.result;
			if (c) { c.delete(); c.continue(); }
		};
	});
}
surAcquittement(garder);

// The sale kept with that transaction number, cancelled (or restored).
function marquer(idTransaction, annulee) {
	const id = Number(idTransaction);
	return hl.transaction(['gardees'], 'readwrite', (s) => {
		s.gardees.openCursor().onsuccess = (e) => {
			const c = e.target.result;
			if (!c) return;
			if (c.value.idTransaction === id) c.update({ ...c.value, annulee });
			c.continue();
		};
	});
}

// The sales kept, oldest first.
export async function gardees() {
	const l = await hl.transaction(['gardees'], 'readonly', (s) => hl.tout(s.gardees));
	return l.sort((a, b) => a.horsLigne - b.horsLigne || a.garde - b.garde);
}
// The sales to send again still waiting, oldest first.
export function aRenvoyer() { return hl.transaction(['renvoi'], 'readonly', (s) => hl.tout(s.renvoi)); }
// The last switch-over this device noticed {quand (ms, here), n (sales sent
// again)}, until dismissed, or null.
export function derniere() {
	try { return JSON.parse(localStorage.getItem(REPRISE)); } catch { return null; }
}
// When (ms, on this device's clock) the last switch-over was noticed, or 0:
// the numbers of operations answered before it named rows of the replaced
// database, and must not be used with the new one (caisse.js's list).
export function depuis() { return Number(localStorage.getItem(DEPUIS)) || 0; }
export function oublierDerniere() {
	localStorage.removeItem(REPRISE);
	dispatchEvent(new CustomEvent('horsligne', { detail: { enLigne: hl.connecte() } }));
}

// --- noticing --------------------------------------------------------------
// Looks at coucou's answer: the first database seen is remembered; another
// one means the server was replaced, and every sale kept is put in "renvoi"
// (in the sales' order, the kept ones still kept: a second switch-over sends
// them again). Once per switch-over across the tabs (Web Locks). Resolves
// with the number put back, or 0 (horsligne.js's probe calls it first).
export async function regarder(rep) {
	if (rep.status !== 'ok' || !rep.base || localStorage.getItem(BASE_VUE) === rep.base) return 0;
	const faire = async () => {
		const vue = localStorage.getItem(BASE_VUE);
		if (vue === rep.base) return 0; // another tab did it
		let n = 0;
		if (vue) {
			const l = (await gardees()).filter((v) => Date.now() - v.garde <= GARDE_MS && !v.annulee);
			await hl.transaction(['renvoi'], 'readwrite', (s) => {
				for (const { garde, idTransaction, annulee, ...v } of l) s.renvoi.add(v);
			});
			n = l.length;
			const quand = Date.now();
			localStorage.setItem(DEPUIS, String(quand));
			localStorage.setItem(REPRISE, JSON.stringify({ quand, n }));
		}
		localStorage.setItem(BASE_VUE, rep.base);
		return n;
	};
	const n = await (navigator.locks ? navigator.locks.request('10p5-reprise', faire) : faire());
	if (localStorage.getItem(REPRISE)) dispatchEvent(new CustomEvent('horsligne', { detail: { enLigne: hl.connecte() } }));
	return n;
}

// While online, coucou is asked now and then, and after a call that had to
// be sent again (the server may have been replaced meanwhile); offline,
// horsligne.js asks it until the server answers. A switch-over noticed
// here sends at once.
// One look at a time, and one timer.
let veille = null, enVeille = false;
async function veiller() {
	if (enVeille) return;
	enVeille = true;
	clearTimeout(veille);
	try {
		if (courante() && hl.connecte()) {
			const rep = await appel('coucou', {}, { essais: 0, silence: true });
			if (rep.status === 'ok' && (await regarder(rep)) > 0) hl.envoyer();
		}
	} catch {
		// The device's storage failed: the next look tries again.
	} finally {
		enVeille = false;
		clearTimeout(veille);
		veille = setTimeout(veiller, VEILLE_MS);
	}
}
let douteux = false;
addEventListener('reseau', (e) => {
	if (e.detail === 'essai') douteux = true;
	else if (e.detail === 'ok' && douteux) { douteux = false; veiller(); }
});
veille = setTimeout(veiller, VEILLE_MS);
