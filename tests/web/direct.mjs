// The live feed in the browser, against the real stack: a payment made
// through the API shows on the till and on the wall within a second; a
// stream that breaks (the feed's process killed, the whole stack restarted)
// comes back with a fresh ticket and depuis=, losing nothing and showing
// nothing twice (checked by the journal's ids); a revoked wall key sends the
// wall back to its set-up; lock-outs and staff changes reach presidents
// only, and only while they are presidents.
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, affirmer, egal, diag } from './lib.mjs';

const BARMAN = { login: 'bar1', mdp: 'bar1-secret-1' };
const PREZ2 = { login: 'prez2', mdp: 'prez2-secret-1' };
const J = {};

// The journal ids of the bar's operations since the pages opened, oldest first.
let debut = 0;
const operations = (pile) => pile.db(`SELECT id FROM journal WHERE id > ${debut} AND event IN ('transaction', 'annulation', 'refaire') ORDER BY id`).map((r) => r.id);
// The ids a list shows (newest first on screen), oldest first.
const affiches = async (p, sel) => (await p.locator(sel + ' li[data-evenement]').evaluateAll((l) => l.map((e) => Number(e.dataset.evenement)))).reverse();
// Waits until the list shows exactly these ids, then checks there is no other.
async function attendreIds(p, sel, ids) {
	try {
		await p.waitForFunction(([sel, attendu]) => {
			const vus = [...document.querySelectorAll(sel + ' li[data-evenement]')].map((e) => Number(e.dataset.evenement)).reverse();
			return JSON.stringify(vus) === JSON.stringify(attendu);
		}, [sel, ids], { timeout: 20000 });
	} catch {
		egal(await affiches(p, sel), ids, `${sel} : chaque opération une fois, dans l’ordre`);
	}
}

// Holds the page's requests for a feed ticket until relacher() is called:
// the stream stays down, deterministically, while the test makes changes.
function retenirTickets(p) {
	let retenus = [], actif = false, signal = null;
	p.route('**/api/evenements/ticket', (r) => {
		if (!actif) return r.continue();
		retenus.push(r);
		signal?.();
	});
	return {
		retenir() { actif = true; retenus = []; },
		// Resolves once the page has asked for a new ticket (it saw the break).
		demande: () => new Promise((ok) => { if (retenus.length) ok(); else signal = ok; }),
		async relacher() { actif = false; for (const r of retenus) await r.continue().catch(() => {}); retenus = []; },
	};
}

test('un paiement fait par l’API arrive en moins d’une seconde sur la caisse et sur le mur', async (c) => {
	const { caisse, mur, pile } = c;
	await caisse.getByText('● En direct.').waitFor();
	await mur.getByText('● en direct').waitFor();
	const t0 = performance.now();
	const r = await pile.api('client/payer', { jeton: J.prez, idCarte: 'DIR1', quantite: 2 });
	egal(r.status, 'ok', 'paiement');
	await Promise.all([
		caisse.locator('.direct li', { hasText: 'DIR1' }).waitFor(),
		mur.locator('.flux li', { hasText: '2 consos' }).waitFor(),
	]);
	const ms = performance.now() - t0;
	diag(`paiement par l’API → affiché sur la caisse et le mur : ${ms.toFixed(0)} ms`);
	affirmer(ms < 1000, `${ms.toFixed(0)} ms`);
	const ligne = await caisse.locator('.direct li', { hasText: 'DIR1' }).innerText();
	affirmer(/2 consos\s+2,80\s€/.test(ligne) && /DIR1 · \d\d:\d\d:\d\d · prez/.test(ligne), 'la ligne de la caisse : ' + ligne);
	affirmer((await mur.locator('.flux li').first().innerText()).includes('2,80'), 'le mur montre le montant');
	await attendreIds(caisse, '.direct', operations(pile));
	await attendreIds(mur, '.flux', operations(pile));
});

test('la carte à l’écran suit les opérations faites ailleurs', async ({ caisse, pile }) => {
	await caisse.fill('#carte', 'DIR2');
	await caisse.press('#carte', 'Enter');
	await caisse.waitForFunction(() => document.querySelector('#solde')?.textContent.replace(/\s/g, ' ') === '20,00 €');
	await pile.api('client/recharger', { jeton: J.prez, idCarte: 'DIR2', montant: '5' });
	await caisse.waitForFunction(() => document.querySelector('#solde')?.textContent.replace(/\s/g, ' ') === '25,00 €');
});

test('processus du direct tué : reconnexion avec un nouveau ticket, rien de perdu, rien en double', async (c) => {
	const { caisse, mur, pile, tickets } = c;
	if (pile.apache) {
		// Under plain CGI each stream ends after TENP5_FEED_CGI_SECONDS: every
		// payment below crosses such breaks.
		for (let i = 0; i < 3; i++) await pile.api('client/payer', { jeton: J.prez, idCarte: 'DIR1', montant: '1' });
	} else {
		tickets.caisse.retenir();
		tickets.mur.retenir();
		const [pid] = pile.processusDirect();
		process.kill(pid, 'SIGKILL');
		await Promise.all([tickets.caisse.demande(), tickets.mur.demande()]);
		await caisse.getByText('Direct coupé').waitFor();
		for (let i = 0; i < 3; i++) await pile.api('client/payer', { jeton: J.prez, idCarte: 'DIR1', montant: '1' });
		await tickets.caisse.relacher();
		await tickets.mur.relacher();
	}
	await attendreIds(caisse, '.direct', operations(pile));
	await attendreIds(mur, '.flux', operations(pile));
	await caisse.getByText('● En direct.').waitFor();
});

test('pile redémarrée : le direct reprend là où il en était', async (c) => {
	const { caisse, mur, pile, tickets } = c;
	tickets.caisse.retenir();
	tickets.mur.retenir();
	await pile.redemarrer();
	await Promise.all([tickets.caisse.demande(), tickets.mur.demande()]);
	await pile.api('client/payer', { jeton: J.prez, idCarte: 'DIR1', quantite: 1 });
	const r = await pile.api('client/payer', { jeton: J.prez, idCarte: 'DIR1', quantite: 1 });
	await pile.api('annuler', { jeton: J.prez, idTransaction: r.idTransaction });
	await tickets.caisse.relacher();
	await tickets.mur.relacher();
	await attendreIds(caisse, '.direct', operations(pile));
	await attendreIds(mur, '.flux', operations(pile));
	await caisse.locator('.direct li.annulee', { hasText: 'annulation' }).waitFor();
	egal(caisse.erreurs.concat(mur.erreurs), [], 'aucune erreur dans les pages');
});

test('événements « utilisateur » : le président voit un verrou en direct (caisse et bureau), le barman jamais', async (c) => {
	const { nav, caisse, pile } = c;
	const prez = await page(nav, 'telephone');
	await connecter(prez, pile, PREZ2);
	await prez.getByText('● En direct.').waitFor();
	const bureau = await page(nav, 'portable');
	await connecter(bureau, pile, undefined, 'bureau');
	await bureau.getByText('● En direct.').waitFor();
	for (let i = 0; i < 5; i++) await pile.api('utilisateur/connexion', { login: 'cible', mdp: 'mauvais-' + i });
	await prez.locator('.direct li.verrou', { hasText: 'Verrou : cible' }).waitFor();
	await bureau.locator('.activite li', { hasText: 'Verrou : cible depuis 127.0.0.1' }).waitFor();
	// The lock-out list redraws itself: no click on « Actualiser ».
	await bureau.getByRole('button', { name: 'Lever le verrou de cible' }).waitFor();
	// Events come in order: once a later payment is on the barman's till, the
	// lock-out would be there too if he had been sent it.
	await pile.api('client/payer', { jeton: J.prez, idCarte: 'DIR3', montant: '1' });
	await caisse.locator('.direct li', { hasText: 'DIR3' }).waitFor();
	egal(await caisse.locator('.direct li.verrou').count(), 0, 'aucun verrou chez le barman');
	// prez2 demoted to 2: the next lock-out no longer reaches him. The feed
	// re-checks every open stream's credential on the turn that reads a
	// change of rights from the journal, so no clock moves here.
	egal((await pile.api('utilisateur/droit', { jeton: J.prez, login: PREZ2.login, droit: 2 })).status, 'ok', 'rétrogradé');
	await bureau.locator('.activite li', { hasText: 'prez a donné le droit 2 à prez2' }).waitFor();
	for (let i = 0; i < 5; i++) await pile.api('utilisateur/connexion', { login: 'cible2', mdp: 'mauvais-' + i });
	await bureau.locator('.activite li', { hasText: 'Verrou : cible2' }).waitFor();
	await pile.api('client/payer', { jeton: J.prez, idCarte: 'DIR3', montant: '2' });
	await prez.locator('.direct li', { hasText: 'paiement 2,00 €' }).waitFor();
	egal(await prez.locator('.direct li.verrou', { hasText: 'cible2' }).count(), 0, 'plus de verrou pour le droit 2');
	egal(await prez.locator('.direct li.verrou').count(), 1, 'le premier verrou reste affiché');
	egal(prez.erreurs.concat(bureau.erreurs), [], 'aucune erreur dans les pages');
	await prez.context().close();
	await bureau.context().close();
});

test('clé du mur révoquée : « fin », le mur revient à son réglage et dit pourquoi', async ({ mur, pile }) => {
	const id = pile.db("SELECT id FROM api_keys WHERE name = 'Mur'")[0].id;
	egal((await pile.api('cle/supprimer', { jeton: J.prez, id })).status, 'ok', 'clé révoquée');
	await mur.getByText('Cette clé n’est pas (ou plus) acceptée').waitFor({ timeout: 30000 });
	await mur.getByLabel('Clé API').waitFor();
	egal(await mur.evaluate(() => localStorage.getItem('10p5.mur')), null, 'la clé est oubliée');
	egal(mur.erreurs, [], 'aucune erreur dans la page');
});

lancer(async () => {
	const pile = await demarrer(pile0Env());
	J.prez = await jetonPrez(pile);
	for (const [q, x] of [[1, '1.5'], [2, '2.8']]) await pile.api('prix/modifier', { jeton: J.prez, quantite: q, prix: x });
	await pile.api('utilisateur/ajouter', { jeton: J.prez, ...BARMAN, droit: 2 });
	await pile.api('utilisateur/ajouter', { jeton: J.prez, ...PREZ2, droit: 3 });
	for (const l of ['cible', 'cible2']) await pile.api('utilisateur/ajouter', { jeton: J.prez, login: l, mdp: l + '-secret-1', droit: 2 });
	for (const c of ['DIR1', 'DIR2', 'DIR3']) await pile.api('client/ajouter', { jeton: J.prez, idCarte: c, solde: '20' });
	const cle = (await pile.api('cle/creer', { jeton: J.prez, nom: 'Mur', droit: 2, portee: 'flux' })).cle;
	debut = pile.db('SELECT max(id) AS n FROM journal')[0].n;
	const nav = await navigateur();
	const caisse = await page(nav, 'telephone');
	const mur = await page(nav, 'portable');
	const tickets = { caisse: retenirTickets(caisse), mur: retenirTickets(mur) };
	await connecter(caisse, pile, BARMAN);
	await mur.goto(pile.url + '#/mur');
	await mur.getByLabel('Clé API').fill(cle);
	await mur.getByRole('button', { name: 'Afficher' }).click();
	await mur.locator('.tarifs li', { hasText: '2,80 €' }).waitFor();
	return { pile, nav, caisse, mur, tickets };
}, async (c) => {
	await c?.nav?.close();
	await c?.pile?.arreter();
});

// Under plain CGI (STACK=apache) a stream lasts a few seconds, then ends.
// Lock-outs last 5 minutes, so that the desk shows them whatever the time
// the page takes to draw its list.
function pile0Env() {
	return { TENP5_LOGIN_DELAY: '300', ...(process.env.STACK === 'apache' ? { TENP5_FEED_CGI_SECONDS: '3' } : {}) };
}
