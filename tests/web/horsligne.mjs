// The till through a Wi-Fi drop (doc/bar.md, "When the Wi-Fi drops"): the
// server really stopped, then the network cut through the DevTools protocol;
// sales made offline on several cards, the page reloaded and its tab closed
// and opened again with no network (the app from its worker's cache), the
// limits and a blocked card refused with their reason; back online, every
// sale in the ledger once, in order, with its sale time, after logging in
// again when the session lapsed; a sale flagged, one expired and kept shown;
// a new deployment replacing the kept files whole.
import { cpSync, readdirSync, appendFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, lancer, demarrer, navigateur, page, onglet, connecter, jetonPrez, affirmer, egal, capture, fermer, accessibilite, solde, TAILLES, RACINE, magasin as base } from './lib.mjs';

const BARMAN = { login: 'bar1', mdp: 'bar1-secret-1' };
const BARMAN2 = { login: 'bar2', mdp: 'bar2-secret-1' };
const INSTABLES = ['FLK1', 'FLK2', 'FLK3']; // 20 € each, 9 € (the offline cap) sold on each over a flaky network
const DEUX = 'TAB1'; // two sales on it at once from two tabs of one till
const DUO = 'DUO1'; // 2 € on it: two tills' offline sales take it past its offline cap
const CARTES = ['HL1', 'HL2', 'HL3', 'HL4', 'HL5'];
const lire = async (p, carte) => { await p.fill('#carte', carte); await p.press('#carte', 'Enter'); };

// (ms: how long at most; a flush through a network that keeps dropping
// waits a probe, 3 s, after each drop. An empty queue is waited for a
// minute by default: the till paces what it sends, a pause of twice each
// round trip, and a loaded machine stretches the trips.)
const attendre = (p, n, ms) => p.waitForFunction((n) => document.querySelector('#horsligne-attente')?.textContent.startsWith(`${n} vente`), n,
	{ timeout: ms ?? (n ? undefined : 60000) });
// What the panel says waits: count and euros, read from the screen.
async function affiche(p) {
	const t = (await p.locator('#horsligne-attente').innerText()).replace(/\s/g, ' ');
	const m = /^(\d+) ventes? en attente · ([\d ]+,\d\d) €$/.exec(t);
	affirmer(m, 'panneau illisible : ' + t);
	return [Number(m[1]), Math.round(Number(m[2].replace(/ /g, '').replace(',', '.')) * 100)];
}
// A tap on a drink while offline, and its queued line.
async function vendre(p, q) {
	const avant = (await base(p, 'file')).length;
	await p.click(`.boisson[data-quantite="${q}"]`);
	await attendre(p, avant + 1);
}
// The offline sales the ledger holds: [card, cents, date, received].
const ventes = (pile) => pile.db(`SELECT c.card carte, t.amount montant, t.date_ms date, t.received_ms recu, t.id FROM transactions t
	JOIN clients c ON c.id = t.client_id WHERE t.received_ms IS NOT NULL ORDER BY t.id`);
const grandLivre = (pile) => pile.db(`SELECT count(*) n FROM clients c WHERE balance != (SELECT coalesce(sum(CASE WHEN type IN (3,4) THEN -amount ELSE amount END), 0)
	FROM transactions t WHERE t.client_id = c.id AND t.valid)`)[0].n;

// The staff app's files: www/ but the worker itself and the holders' page.
function fichiersApp(www) {
	const l = [];
	const parcourir = (d, pre) => {
		for (const f of readdirSync(d)) {
			if (statSync(join(d, f)).isDirectory()) { if (pre + f !== 'moi') parcourir(join(d, f), pre + f + '/'); }
			else if (pre + f !== 'sw.js') l.push(pre + f);
		}
	};
	parcourir(www, '');
	return l.sort();
}
// The network cut for the page, or given back (DevTools protocol).
async function reseau(p, coupe) {
	const cdp = await p.context().newCDPSession(p);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: coupe, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
	p.cdp = cdp;
}
// The network given back to the page whose network reseau() cut.
const rendre = (p) => p.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
// A till of its own (a browser context: its own storage, as another phone),
// logged in, its rules kept.
async function caisse(nav, pile, qui) {
	const t = await page(nav, 'telephone');
	await connecter(t, pile, qui);
	await t.waitForFunction(() => localStorage.getItem('10p5.regles'));
	return t;
}

let faites = []; // the sales made offline, as queued: idRequete, card, cents, time

test('en ligne, le worker garde chaque fichier de l’app, et la caisse ses règles et les cartes bloquées', async ({ p, pile, www }) => {
	await p.waitForFunction(() => navigator.serviceWorker.controller && document.documentElement.dataset.version);
	const gardes = await p.evaluate(async () => {
		const v = await (await (await caches.open('10p5-courante')).match('version')).text();
		return (await (await caches.open(v)).keys()).map((r) => new URL(r.url).pathname.slice(1));
	});
	egal(gardes.sort(), fichiersApp(www), 'sw.js garde exactement les fichiers de l’app');
	// The rules are read once the till is up: wait for them to be kept.
	await p.waitForFunction(() => localStorage.getItem('10p5.regles'));
	const r = await p.evaluate(() => JSON.parse(localStorage.getItem('10p5.regles')));
	egal([r.plafondCarte, r.plafondCaisse, r.bloquees], [9, 150, ['BLOQ1']], 'règles gardées');
});

test('serveur arrêté : la caisse dit qu’elle est hors ligne et vend 20 consos sur 5 cartes', async ({ p, pile }) => {
	await pile.arreter();
	await p.getByText('Pas de réseau').waitFor();
	for (const [i, carte] of CARTES.entries()) {
		await lire(p, carte);
		await p.locator('#solde', { hasText: 'inconnu hors ligne' }).waitFor();
		// Two buttons in turn: the same button twice within 400 ms is a bounce.
		for (let k = 0; k < 4; k++) await vendre(p, k % 2 ? 2 : 1);
		if (i === 0) {
			await p.getByText('Hors ligne : rechargements et vidanges attendent le réseau.').waitFor();
			affirmer(!await p.locator('.panier').isVisible(), 'pas de catalogue : pas de cadre de panier vide');
			await capture(p, 'horsligne-caisse');
		}
	}
	faites = await base(p, 'file');
	egal(faites.length, 20, '20 ventes en attente dans IndexedDB');
	const total = faites.reduce((a, v) => a + v.montant, 0);
	egal(await affiche(p), [20, total], 'le panneau montre le nombre et la somme d’IndexedDB');
	await p.locator('#reseau', { hasText: `Hors ligne : la caisse vend sur ses règles gardées. 20 ventes en attente · ${(total / 100).toFixed(2).replace('.', ',')}` }).waitFor();
	egal(total, 5 * 2 * (150 + 280), 'au prix gardé');
	egal(new Set(faites.map((v) => v.idRequete)).size, 20, 'chaque vente a son idRequete');
	egal(pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n, 0, 'rien n’est arrivé au serveur');
	egal(await accessibilite(p), [], 'axe-core, hors ligne');
});

test('hors ligne, le plafond de la carte refuse la vente de trop, en disant pourquoi', async ({ p }) => {
	await lire(p, 'HL5'); // 8,60 € waiting, 1,50 € more passes the card's 9 €
	await p.click('.boisson[data-quantite="1"]');
	await p.getByText('plafond hors ligne de la carte atteint').waitFor();
	egal((await base(p, 'file')).length, 20, 'rien mis en attente');
});

test('hors ligne, une carte bloquée est refusée', async ({ p }) => {
	await lire(p, 'BLOQ1');
	await p.getByText('la carte BLOQ1 est bloquée').waitFor();
	egal((await base(p, 'file')).length, 20, 'rien mis en attente');
});

test('hors ligne, un rechargement dit qu’il faut le réseau', async ({ p }) => {
	await lire(p, 'HL1');
	await p.getByRole('button', { name: '+10 €' }).click();
	await p.getByText('il faut le réseau').waitFor();
	egal((await base(p, 'file')).length, 20, 'rien mis en attente');
});

test('rechargée sans réseau, la caisse s’ouvre depuis le cache avec sa file', async ({ p }) => {
	await p.reload();
	await p.waitForSelector('body[data-ecran="caisse"]');
	await attendre(p, 20);
	egal((await affiche(p))[0], 20, 'les 20 ventes attendent toujours');
});

test('onglet fermé et rouvert sans réseau : l’app s’ouvre, la file est gardée, l’écran de connexion dit ce qui attend', async (c) => {
	const ctx = c.p.context();
	await c.p.close();
	c.p = await onglet(ctx);
	await c.p.goto(c.pile.url);
	await c.p.getByRole('button', { name: 'Se connecter' }).waitFor();
	egal((await base(c.p, 'file')).length, 20, 'les 20 ventes sont dans IndexedDB');
	// The login screen says what waits, and what sends it.
	const total = faites.reduce((a, v) => a + v.montant, 0);
	const bloc = c.p.locator('#connexion-attente');
	await bloc.getByText('le réseau revenu').waitFor();
	const dit = (await bloc.innerText()).replace(/\s/g, ' ');
	affirmer(dit.includes(`20 ventes en attente sur cet appareil · ${(total / 100).toFixed(2).replace('.', ',')} €`), 'écran de connexion : ' + dit);
	affirmer(dit.includes('Elles partiront dès que bar1 se connectera ici, le réseau revenu'), 'écran de connexion : ' + dit);
	await c.p.locator('#reseau', { hasText: 'Hors ligne : la connexion attend le réseau. 20 ventes en attente' }).waitFor();
	egal(await accessibilite(c.p), [], 'axe-core, la connexion hors ligne');
	await capture(c.p, 'horsligne-connexion');
});

test('réseau revenu, connecté de nouveau : les 20 ventes arrivent une fois chacune, dans l’ordre, à leur heure', async ({ p, pile }) => {
	await pile.relancer();
	await connecter(p, pile, BARMAN);
	await attendre(p, 0);
	const l = ventes(pile);
	egal(l.length, 20, '20 ventes hors ligne en base');
	egal(l.map((v) => [v.carte, v.montant, v.date]), faites.map((v) => [v.carte, v.montant, v.horsLigne]),
		'dans l’ordre de la vente, chacune avec sa carte, son montant et son heure');
	affirmer(l.every((v) => v.recu >= v.date), 'chacune avec son heure d’arrivée');
	egal(grandLivre(pile), 0, 'les soldes égalent le grand livre');
	egal(pile.db("SELECT balance b FROM clients WHERE card = 'HL1'")[0].b, 2000 - 2 * (150 + 280), 'HL1 débitée de 4 consos');
});

test('session expirée pendant la coupure : la file attend la reconnexion, puis part', async ({ p, pile, J }) => {
	await lire(p, 'HL2');
	await p.locator('#solde', { hasText: '11,40' }).waitFor();
	affirmer(!await p.getByText('attendent le réseau').isVisible(), 'en ligne, rien ne dit qu’il faut le réseau');
	await reseau(p, true);
	await p.getByText('Pas de réseau').waitFor();
	await lire(p, 'HL2');
	await vendre(p, 1);
	// Meanwhile HL3 is blocked at the counter: the till does not know yet.
	await pile.api('client/bloquer', { jeton: J, idCarte: 'HL3' });
	await lire(p, 'HL3');
	await vendre(p, 2);
	const file = await base(p, 'file');
	pile.horloge(pile.maintenant() + 6 * 60 * 1000); // the 5-minute session lapses
	await p.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
	await p.getByRole('heading', { name: 'Session expirée' }).waitFor();
	egal(ventes(pile).length, 20, 'rien n’est parti sans session');
	await p.getByRole('dialog').getByLabel('Mot de passe').fill(BARMAN.mdp);
	await p.getByRole('button', { name: 'Reprendre' }).click();
	await attendre(p, 0);
	const l = ventes(pile).slice(20);
	egal(l.map((v) => [v.carte, v.date]), file.map((v) => [v.carte, v.horsLigne]), 'les deux ventes, une fois, dans l’ordre');
	egal(pile.db(`SELECT reasons FROM offline_flags WHERE transaction_id = ${l[1].id}`)[0]?.reasons, 2, 'la vente sur HL3 bloquée avant est signalée');
	await p.locator('.sort', { hasText: 'carte bloquée avant la vente' }).waitFor();
	await capture(p, 'horsligne-sorts');
});

test('deux caisses hors ligne en même temps sur la même carte : toutes leurs ventes arrivent, le dépassement est signalé', async ({ nav, pile }) => {
	const [a, b] = [await caisse(nav, pile, BARMAN), await caisse(nav, pile, BARMAN2)];
	for (const t of [a, b]) { await reseau(t, true); await t.getByText('Pas de réseau').waitFor(); }
	// Each till keeps to the card's offline cap (9 €) for its own sales
	// only: 8,60 € each, 17,20 € on a card holding 2 €.
	for (const t of [a, b]) {
		await lire(t, DUO);
		for (let k = 0; k < 4; k++) await vendre(t, k % 2 ? 2 : 1);
		await t.click('.boisson[data-quantite="1"]');
		await t.getByText('plafond hors ligne de la carte atteint').waitFor();
	}
	const [fa, fb] = [await base(a, 'file'), await base(b, 'file')];
	egal([fa.length, fb.length], [4, 4], 'quatre ventes en attente sur chaque caisse');
	await Promise.all([rendre(a), rendre(b)]);
	await Promise.all([attendre(a, 0), attendre(b, 0)]);
	const l = pile.db(`SELECT t.id, u.login, t.amount montant, t.date_ms date, coalesce(f.reasons, 0) motifs FROM transactions t
		JOIN clients c ON c.id = t.client_id JOIN users u ON u.id = t.user_id LEFT JOIN offline_flags f ON f.transaction_id = t.id
		WHERE c.card = '${DUO}' AND t.type = 3 ORDER BY t.id`);
	for (const [qui, f] of [[BARMAN, fa], [BARMAN2, fb]])
		egal(l.filter((v) => v.login === qui.login).map((v) => [v.montant, v.date]), f.map((v) => [v.montant, v.horsLigne]),
			`les ventes de ${qui.login}, une fois chacune, dans son ordre`);
	// In commit order, a sale is flagged when it took the card further than
	// 9 € below zero, whichever till made it.
	let solde = 200;
	const attendus = l.map((v) => { solde -= v.montant; return solde < -900 ? 1 : 0; });
	egal(l.map((v) => v.motifs), attendus, 'signalées : celles qui passent le plafond de la carte');
	egal(pile.db(`SELECT balance b FROM clients WHERE card = '${DUO}'`)[0].b, 200 - 2 * 860, 'la carte doit 15,20 €');
	egal(grandLivre(pile), 0, 'les soldes égalent le grand livre');
	pile.verifier();
	const d = await pile.api('horsligne/dettes', { jeton: await jetonPrez(pile) });
	egal(d.cartes.find((c) => c.idCarte === DUO)?.solde, -15.2, 'horsligne/dettes nomme la carte');
	egal(d.ventes.filter((v) => v.idCarte === DUO).map((v) => v.idTransaction), l.filter((v) => v.motifs).map((v) => v.id),
		'et les ventes signalées');
	// Each till shows its own flagged sales, to settle.
	for (const [t, qui] of [[a, BARMAN], [b, BARMAN2]]) {
		const n = l.filter((v) => v.motifs && v.login === qui.login).length;
		await t.waitForFunction((n) => document.querySelectorAll('.sort').length === n, n);
		if (n) await t.locator('.sort', { hasText: 'au-delà du plafond de la carte' }).first().waitFor();
		affirmer(t.erreurs.length === 0, 'erreurs dans la page : ' + t.erreurs.join('; '));
	}
	await a.context().close();
	await b.context().close();
});

test('deux ventes hors ligne au même instant sur une carte, dans deux onglets de la même caisse : son plafond tient', async ({ nav, pile }) => {
	// One till, two tabs logged in, one IndexedDB queue. Each sale checks
	// the caps against what waits and joins the queue in one step: two at
	// once (taps in two tabs, here two calls in the same instant) cannot
	// both pass the card's cap.
	const a = await caisse(nav, pile, BARMAN);
	const b = await onglet(a.context());
	await connecter(b, pile, BARMAN);
	for (const t of [a, b]) { await reseau(t, true); await t.getByText('Pas de réseau').waitFor(); }
	await lire(a, DEUX);
	for (const q of [1, 2, 1]) await vendre(a, q); // 5,80 € waiting: one more 2,80 € fits the 9 € cap, two do not
	const refusees = await b.evaluate(async (carte) => {
		const hl = await import('./js/horsligne.js');
		const vente = () => hl.vendre(carte, { quantite: 2 }, 280, 'Paiement de 2 consos (2,80 €)');
		return (await Promise.all([vente(), vente()])).map((v) => v.refus ?? null);
	}, DEUX);
	egal(refusees.filter(Boolean).length, 1, 'une des deux est refusée : ' + JSON.stringify(refusees));
	affirmer(refusees.some((r) => r?.startsWith('plafond hors ligne de la carte atteint')), 'pour le plafond de la carte');
	const l = (await base(a, 'file')).filter((v) => v.carte === DEUX);
	egal([l.length, l.reduce((s, v) => s + v.montant, 0)], [4, 860], 'quatre ventes en attente, 8,60 €');
	// The other tab's tap sees the same queue.
	await lire(b, DEUX);
	await b.click('.boisson[data-quantite="1"]');
	await b.getByText('plafond hors ligne de la carte atteint').waitFor();
	egal((await base(b, 'file')).filter((v) => v.carte === DEUX).length, 4, 'rien de plus en attente');
	affirmer(a.erreurs.length + b.erreurs.length === 0, 'erreurs dans la page : ' + [...a.erreurs, ...b.erreurs].join('; '));
	await a.context().close();
});

test('réseau instable pendant l’envoi (une coupure toutes les trois requêtes) : chaque vente une fois, dans l’ordre', async ({ nav, pile }) => {
	// A context without the worker, so that its requests pass through route().
	const ctx = await nav.newContext({ viewport: TAILLES.telephone, locale: 'fr-FR', timezoneId: 'Europe/Paris', serviceWorkers: 'block' });
	const t = await onglet(ctx);
	await connecter(t, pile, BARMAN);
	await t.waitForFunction(() => localStorage.getItem('10p5.regles'));
	await reseau(t, true);
	await t.getByText('Pas de réseau').waitFor();
	const file = await t.evaluate(async (cartes) => {
		const hl = await import('./js/horsligne.js');
		for (let i = 0; i < 30; i++) await hl.vendre(cartes[i % 3], { montant: '0.9' }, 90, 'Paiement de 0,90 €');
		return hl.enAttente();
	}, INSTABLES);
	await attendre(t, 30);
	// Every third try of a sale the network drops, in turn before the request
	// leaves and after the server answered it (the answer lost on the way
	// back); it comes back once the till has seen it gone.
	const essais = [], retours = [];
	let n = 0;
	await ctx.route('**/api/client/payer', async (route) => {
		const k = ++n;
		essais.push(new URLSearchParams(route.request().postData()).get('idRequete'));
		if (k % 3) return route.continue();
		if (k % 6 === 0) await route.fetch();
		await t.cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
		await route.abort('internetdisconnected');
		retours.push(t.waitForFunction(() => !document.getElementById('reseau').hidden).then(() => rendre(t)));
	});
	await rendre(t);
	await attendre(t, 0, 180000);
	await Promise.all(retours);
	affirmer(retours.length >= 10, `${retours.length} coupures seulement`);
	const ordre = essais.map((id) => file.findIndex((v) => v.idRequete === id));
	affirmer(ordre.every((i, j) => i >= 0 && (j === 0 || i >= ordre[j - 1])), 'envoyées dans l’ordre, chacune jusqu’à sa réponse : ' + ordre.join(' '));
	const l = pile.db(`SELECT c.card carte, t.amount montant, t.date_ms date FROM transactions t JOIN clients c ON c.id = t.client_id
		WHERE c.card IN (${INSTABLES.map((c) => `'${c}'`).join(', ')}) AND t.type = 3 ORDER BY t.id`);
	egal(l.map((v) => [v.carte, v.montant, v.date]), file.map((v) => [v.carte, v.montant, v.horsLigne]),
		'les 30 ventes en base, une fois chacune, dans l’ordre, à leur heure');
	egal(pile.db(`SELECT count(*) n FROM requests WHERE request_id IN (${file.map((v) => `'${v.idRequete}'`).join(', ')})`)[0].n, 30,
		'une réponse gardée par vente');
	for (const c of INSTABLES) egal(solde(pile, c), 2000 - 900, `${c} débitée de 9 €`);
	pile.verifier();
	affirmer(t.erreurs.length === 0, 'erreurs dans la page : ' + t.erreurs.join('; '));
	await ctx.close();
});

// Tab until the focus is on what `sel` finds (at most 40 presses); fails if
// the keyboard never gets there.
async function tabuler(p, sel) {
	for (let i = 0; i < 40; i++) {
		if (await p.evaluate((sel) => document.activeElement?.matches(sel), sel)) return;
		await p.keyboard.press('Tab');
	}
	throw new Error('le clavier n’atteint pas ' + sel);
}
// Whether the focused element shows it (an outline of its own).
const focusVisible = (p) => p.evaluate(() => {
	const e = document.activeElement;
	return e.matches(':focus-visible') && getComputedStyle(e).outlineStyle !== 'none' && parseFloat(getComputedStyle(e).outlineWidth) > 0;
});

test('au clavier seul, hors ligne : lire une carte, vendre, se voir refuser un rechargement, marquer une vente vue', async ({ p, pile }) => {
	await reseau(p, true);
	await p.getByText('Pas de réseau').waitFor();
	const avant = ventes(pile).length;
	const sorts = await p.locator('.sort').count();
	affirmer(sorts > 0, 'une vente à régler est affichée');
	await p.keyboard.press('Escape'); // another card: the focus goes to its field
	egal(await p.evaluate(() => document.activeElement.id), 'carte', 'Échap : le champ de la carte');
	for (const k of 'HL1') await p.keyboard.press(k);
	await p.keyboard.press('Enter');
	await p.locator('#solde', { hasText: 'inconnu hors ligne' }).waitFor();
	await p.waitForFunction(() => document.activeElement?.matches('.boisson[data-quantite="1"]'));
	affirmer(await focusVisible(p), 'le bouton en focus se voit');
	await p.keyboard.press('Enter');
	await attendre(p, 1);
	await tabuler(p, '.boisson[data-quantite="2"]');
	await p.keyboard.press(' ');
	await attendre(p, 2);
	await tabuler(p, '.recharger');
	await p.keyboard.press('Enter');
	await p.getByText('il faut le réseau').waitFor();
	await tabuler(p, '.sort button');
	affirmer(await focusVisible(p), '« Vu » en focus se voit');
	await p.keyboard.press('Enter');
	await p.waitForFunction((n) => document.querySelectorAll('.sort').length === n, sorts - 1);
	egal(await accessibilite(p), [], 'axe-core, la caisse hors ligne après une vente au clavier');
	await capture(p, 'horsligne-clavier');
	await rendre(p);
	await attendre(p, 0);
	egal(ventes(pile).slice(avant).map((v) => [v.carte, v.montant]), [['HL1', 150], ['HL1', 280]], 'les deux ventes faites au clavier, une fois');
});

test('une vente plus vieille que dureeMax revient horsligne_expire, reste affichée, rien n’est débité', async ({ p, pile }) => {
	await pile.api('horsligne/modifier', { jeton: await jetonPrez(pile), dureeMax: '60' });
	await p.reload();
	await p.waitForFunction(() => JSON.parse(localStorage.getItem('10p5.regles'))?.dureeMax === 60);
	await reseau(p, true);
	await p.getByText('Pas de réseau').waitFor();
	await lire(p, 'HL4');
	await vendre(p, 1);
	const avant = pile.db('SELECT count(*) n FROM transactions')[0].n;
	pile.horloge(pile.maintenant() + 2 * 60 * 1000);
	await p.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
	await p.locator('.sort[data-statut="horsligne_expire"]').waitFor();
	egal(pile.db('SELECT count(*) n FROM transactions')[0].n, avant, 'rien débité');
	await p.reload();
	await p.locator('.sort[data-statut="horsligne_expire"]', { hasText: 'à régler à la main' }).waitFor();
	await capture(p, 'horsligne-expire');
	egal(await accessibilite(p), [], 'axe-core, les ventes à régler');
	await p.setViewportSize({ width: 1366, height: 768 });
	await capture(p, 'horsligne-expire');
	await p.setViewportSize({ width: 390, height: 844 });
});

test('une nouvelle version déployée remplace les fichiers gardés en entier', async ({ p, www }) => {
	const avant = await p.evaluate(() => caches.keys());
	appendFileSync(join(www, 'js/ui.js'), '\n// version de test\n');
	await p.reload();
	await p.getByRole('button', { name: 'Recharger' }).click();
	await p.waitForSelector('body[data-ecran="caisse"]');
	const apres = await p.evaluate(() => caches.keys());
	const apps = apres.filter((k) => k.startsWith('10p5-app-'));
	egal(apps.length, 1, 'une seule version gardée : ' + apres.join(', '));
	affirmer(!avant.includes(apps[0]), 'une autre que la précédente');
	const ui = await p.evaluate(async () => (await fetch('js/ui.js')).text());
	affirmer(ui.endsWith('// version de test\n'), 'le fichier servi est celui de la nouvelle version');
	egal(await p.evaluate((n) => caches.open(n).then((c) => c.keys()).then((k) => k.length), apps[0]), fichiersApp(www).length,
		'la nouvelle version a tous ses fichiers');
});

lancer(async () => {
	// A copy of the app that a test deploys anew.
	const www = mkdtempSync(join(tmpdir(), '10p5-www-'));
	cpSync(join(RACINE, 'www'), www, { recursive: true });
	const pile = await demarrer({ WWW: www });
	const J = await jetonPrez(pile);
	await pile.api('prix/modifier', { jeton: J, quantite: 1, prix: '1.5' });
	await pile.api('prix/modifier', { jeton: J, quantite: 2, prix: '2.8' });
	for (const b of [BARMAN, BARMAN2]) await pile.api('utilisateur/ajouter', { jeton: J, ...b, droit: 2 });
	await pile.api('horsligne/modifier', { jeton: J, plafondCarte: '9' });
	for (const c of [...CARTES, ...INSTABLES, DEUX, 'BLOQ1']) await pile.api('client/ajouter', { jeton: J, idCarte: c, solde: '20' });
	await pile.api('client/ajouter', { jeton: J, idCarte: DUO, solde: '2' });
	await pile.api('client/bloquer', { jeton: J, idCarte: 'BLOQ1' });
	const nav = await navigateur();
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BARMAN);
	return { pile, nav, p, www, J };
}, async (c) => { if (c?.www) rmSync(c.www, { recursive: true, force: true }); await fermer(c); });
