// Two web tills across a switch-over (doc/bar.md, "When the server is
// replaced"): both sell; a copy of the database taken mid-evening stands in
// for a replica that lags; more sales; the server stopped by its PID, the
// tills sell offline meanwhile; the copy, given a new identity, is served on
// the same address. The tills notice the new identity, send again the sales
// the copy lacks before their queue (not one cancelled meanwhile), and say
// so; every sale acknowledged to a till (and not cancelled) is in the ledger
// exactly once, every balance equals its ledger, and the till's list of its
// operations no longer offers to cancel rows of the replaced database.
// Then the same with the replication engine: both tills selling, the primary
// killed with SIGKILL, its replica restored into an empty data directory and
// served on the same address.
import { copyFileSync, rmSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, affirmer, egal, capture, fermer, accessibilite, diag, RACINE, magasin as base } from './lib.mjs';

const BARMEN = [{ login: 'bar1', mdp: 'bar1-secret-1' }, { login: 'bar2', mdp: 'bar2-secret-1' }];
const CARTES = [['RA1', 'RA2'], ['RB1', 'RB2']];   // each till's cards, 50 € each
const HORS = ['RAH', 'RBH'];                        // sold on offline, while the server is down
const ADMIN = resolve(RACINE, process.env.BIN || 'build-test', 'bin/10p5-admin');
const LITESTREAM = join(RACINE, 'replica/node_modules/@flydotio/litestream-linux-x64/litestream'); // make deps-replica
const lire = async (p, carte) => { await p.fill('#carte', carte); await p.press('#carte', 'Enter'); };

// Every sale a till was told was recorded: idRequete → {carte, cents,
// login}, from the answers the page received (a sale answered again is the
// same sale).
function acquittees(t, login) {
	const l = new Map();
	t.on('response', async (r) => {
		if (!r.url().endsWith('/api/client/payer')) return;
		const q = new URLSearchParams(r.request().postData() ?? '');
		let rep;
		try { rep = await r.json(); } catch { return; }
		if (rep.status === 'ok' && !l.has(q.get('idRequete')))
			l.set(q.get('idRequete'), { carte: q.get('idCarte'), cents: Math.round(rep.montant * 100), login });
	});
	return l;
}
// n sales on `carte`, each answered before the next (two buttons in turn:
// the same one twice within 400 ms is a bounce).
async function vendre(t, carte, n) {
	await lire(t, carte);
	await t.locator('#solde').filter({ hasText: '€' }).waitFor();
	for (let k = 0; k < n; k++) {
		const reponse = t.waitForResponse((r) => r.url().endsWith('/api/client/payer'));
		await t.click(`.boisson[data-quantite="${k % 2 ? 2 : 1}"]`);
		egal((await (await reponse).json()).status, 'ok', `vente ${k + 1} sur ${carte}`);
	}
}

// Resolves once cond() holds: the answers the pages received are read
// through the DevTools protocol, a moment after the page has them.
async function jusqua(cond, quoi, tours = 500) {
	for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
	for (let i = 0; i < tours && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
	affirmer(cond(), quoi);
}

let tills = [], vus = [], copie, avant = 0, manquantes = [], dernier = 0, annulee = null;

test('deux caisses vendent ; chacune garde les ventes acquittées, et la base qu’elle a vue', async ({ pile }) => {
	for (const [i, t] of tills.entries()) await vendre(t, CARTES[i][0], 6);
	await jusqua(() => vus.every((m) => m.size === 6), 'six ventes acquittées par caisse');
	for (const [i, t] of tills.entries()) {
		const g = await base(t, 'gardees');
		egal(g.map((v) => v.idRequete).sort(), [...vus[i].keys()].sort(), `la caisse ${i + 1} garde chaque vente acquittée`);
		affirmer(g.every((v) => v.login === BARMEN[i].login && v.carte === CARTES[i][0] && v.montant > 0 && v.horsLigne > 0),
			'avec son vendeur, sa carte, son montant et son heure');
		const coucou = await pile.api('coucou');
		egal(await t.evaluate(() => localStorage.getItem('10p5.base')), coucou.base, 'et la base du serveur');
	}
});

test('une copie prise en pleine soirée (une réplique en retard), puis d’autres ventes', async ({ pile }) => {
	copie = join(pile.data, 'copie.db');
	execFileSync(ADMIN, ['-d', join(pile.data, '10p5.db'), 'backup', copie]);
	avant = new Set(vus.flatMap((m) => [...m.keys()]));
	for (const [i, t] of tills.entries()) await vendre(t, CARTES[i][1], 5);
	await jusqua(() => vus.every((m) => m.size === 11), 'onze ventes acquittées par caisse');
	manquantes = vus.map((m) => [...m.keys()].filter((k) => !avant.has(k)));
	egal(manquantes.map((l) => l.length), [5, 5], 'cinq ventes par caisse après la copie');
	// The first till cancels its last sale: the copy lacks both.
	const t = tills[0];
	await t.getByRole('list', { name: 'Opérations faites ici' }).getByRole('button', { name: /^Annuler/ }).first().click();
	await t.locator('.bande', { hasText: 'Annulation' }).filter({ hasText: 'fait' }).waitFor();
	const g = (await base(t, 'gardees')).filter((v) => v.annulee);
	egal(g.map((v) => v.idRequete), manquantes[0].slice(-1), 'la caisse sait sa dernière vente annulée');
	annulee = g[0].idRequete;
	manquantes[0] = manquantes[0].slice(0, -1);
	const n = execFileSync('sqlite3', [copie, 'SELECT count(*) FROM transactions WHERE type = 3'], { encoding: 'utf8' }).trim();
	egal(Number(n), 12, 'la copie n’a que les douze premières');
	dernier = Number(execFileSync('sqlite3', [copie, 'SELECT max(id) FROM transactions'], { encoding: 'utf8' }).trim());
});

test('serveur arrêté : les caisses vendent hors ligne', async ({ pile }) => {
	await pile.arreter();
	for (const [i, t] of tills.entries()) {
		await t.getByText('Pas de réseau').waitFor();
		await lire(t, HORS[i]);
		await t.locator('#solde', { hasText: 'inconnu hors ligne' }).waitFor();
		for (let k = 0; k < 2; k++) {
			await t.click(`.boisson[data-quantite="${k % 2 ? 2 : 1}"]`);
			await t.waitForFunction((n) => document.querySelector('#horsligne-attente')?.textContent.startsWith(`${n} vente`), k + 1);
		}
	}
});

test('la copie, sous une nouvelle identité, prend la place du serveur : les caisses renvoient ce qui manque, puis leur file', async ({ pile }) => {
	const db = join(pile.data, '10p5.db');
	for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
	copyFileSync(copie, db);
	const dit = execFileSync(ADMIN, ['-d', db, 'new-identity'], { encoding: 'utf8' });
	affirmer(/^identity [0-9a-f]{32}\n$/.test(dit), 'new-identity dit la nouvelle identité : ' + dit);
	await pile.relancer();
	for (const [i, t] of tills.entries()) {
		const n = 6 + manquantes[i].length;
		await t.locator('#horsligne-reprise', { hasText: `Serveur remplacé : ${n} ventes renvoyées, toutes envoyées.` }).waitFor({ timeout: 30000 });
		await t.waitForFunction(() => document.querySelector('#horsligne-attente')?.textContent.startsWith('0 vente'));
	}
	await capture(tills[0], 'reprise-caisse');
	egal(await accessibilite(tills[0]), [], 'axe-core, le serveur remplacé');
	for (const [i, t] of tills.entries()) {
		egal((await base(t, 'renvoi')).length, 0, `caisse ${i + 1} : plus rien à renvoyer`);
		egal(await base(t, 'sorts'), [], `caisse ${i + 1} : rien à régler`);
		egal(await t.evaluate(() => localStorage.getItem('10p5.base')), (await pile.api('coucou')).base, 'la caisse a retenu la nouvelle base');
		await t.getByRole('list', { name: 'Opérations faites ici' }).getByText('Rien encore sur cet appareil.').waitFor();
	}
});

test('chaque vente acquittée à une caisse est au grand livre une fois ; les soldes égalent le grand livre', async ({ pile }) => {
	await jusqua(() => vus.every((m) => m.size === 13), 'treize ventes acquittées par caisse');
	const toutes = new Map(vus.flatMap((m) => [...m]).filter(([id]) => id !== annulee));
	egal(toutes.size, 2 * (6 + 5 + 2) - 1, 'treize ventes acquittées par caisse, une annulée');
	const l = pile.db(`SELECT u.login, r.request_id id, json_extract(r.reply, '$.idTransaction') tx, c.card carte, t.amount cents
		FROM requests r JOIN users u ON u.id = r.user_id JOIN transactions t ON t.id = json_extract(r.reply, '$.idTransaction')
		JOIN clients c ON c.id = t.client_id WHERE t.type = 3`);
	const parId = new Map(l.map((v) => [v.id, v]));
	for (const [id, v] of toutes) {
		const x = parId.get(id);
		affirmer(x, `la vente ${id} (${v.carte}) est au grand livre`);
		egal([x.login, x.carte, x.cents], [v.login, v.carte, v.cents], `la vente ${id} telle qu’acquittée`);
	}
	egal(pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n, toutes.size, 'et aucune autre vente : chacune une fois');
	egal(new Set(l.map((v) => v.tx)).size, l.length, 'une transaction par vente');
	for (const [i] of tills.entries()) {
		// Per till, after the copy's rows: the sales the copy lacked, in
		// their order, then the offline queue.
		const ids = pile.db(`SELECT r.request_id id FROM requests r JOIN users u ON u.id = r.user_id
			JOIN transactions t ON t.id = json_extract(r.reply, '$.idTransaction')
			WHERE u.login = '${BARMEN[i].login}' AND t.id > ${dernier} ORDER BY t.id`).map((v) => v.id);
		egal(ids.slice(0, manquantes[i].length), manquantes[i], `caisse ${i + 1} : celles que la copie n’avait pas, dans l’ordre, d’abord`);
		egal(ids.length, manquantes[i].length + 2, `caisse ${i + 1} : puis ses deux ventes hors ligne`);
	}
	for (const c of [...CARTES.flat(), ...HORS]) {
		const vendu = [...toutes.values()].filter((v) => v.carte === c).reduce((a, v) => a + v.cents, 0);
		egal(pile.db(`SELECT balance b FROM clients WHERE card = '${c}'`)[0].b, 5000 - vendu, `${c} débitée de ce qui lui a été vendu`);
	}
	pile.verifier();
	for (const t of tills) affirmer(t.erreurs.length === 0, 'erreurs dans la page : ' + t.erreurs.join('; '));
});

test('« Vu » efface l’annonce du serveur remplacé', async () => {
	const t = tills[0];
	await t.getByRole('button', { name: 'Vu : serveur remplacé' }).click();
	await t.locator('#horsligne-reprise').waitFor({ state: 'detached' });
	egal(await t.evaluate(() => localStorage.getItem('10p5.reprise')), null, 'oubliée');
});

test('une base remplacée sans coupure est remarquée au premier appel qu’il a fallu renvoyer : tout ce qui est gardé repart, rien n’est compté deux fois', async ({ pile }) => {
	const t = tills[0];
	const gardees = (await base(t, 'gardees')).filter((v) => !v.annulee).length;
	execFileSync(ADMIN, ['-d', join(pile.data, '10p5.db'), 'new-identity'], { stdio: 'ignore' });
	const avant = pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n;
	// The next sale's first try is lost on the way (the till sends it again).
	let coupe = false;
	const couper = (route) => { if (coupe) return route.continue(); coupe = true; return route.abort('connectionreset'); };
	await t.route('**/api/client/payer', couper);
	await vendre(t, CARTES[0][0], 1);
	await t.unroute('**/api/client/payer', couper);
	affirmer(coupe, 'le premier essai a été coupé');
	await t.locator('#horsligne-reprise', { hasText: `Serveur remplacé : ${gardees + 1} ventes renvoyées, toutes envoyées.` }).waitFor();
	egal(pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n, avant + 1, 'seule la nouvelle vente est au grand livre');
	pile.verifier();
});

test('les ventes à renvoyer d’un autre vendeur attendent sa connexion sur la caisse, puis partent', async ({ pile }) => {
	const t = tills[0];
	await t.getByRole('button', { name: 'Vu : serveur remplacé' }).click();
	const gardees = (await base(t, 'gardees')).filter((v) => !v.annulee).length;
	execFileSync(ADMIN, ['-d', join(pile.data, '10p5.db'), 'new-identity'], { stdio: 'ignore' });
	const avant = pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n;
	// bar1 logs out, bar2 takes the till, and the page is opened again: it
	// asks coucou first.
	const deconnecter = async () => {
		await t.locator('#qui summary').click();
		await t.getByRole('button', { name: 'Déconnexion' }).click();
		await t.waitForSelector('body[data-ecran="connexion"]');
	};
	await deconnecter();
	await connecter(t, pile, BARMEN[1]);
	await t.reload();
	await t.locator('#horsligne-reprise', { hasText: `Serveur remplacé : ${gardees} ventes renvoyées (${gardees} en cours d’envoi, dont celles de ${BARMEN[0].login}, à leur connexion ici).` }).waitFor();
	egal((await base(t, 'renvoi')).length, gardees, 'elles attendent');
	await deconnecter();
	await connecter(t, pile, BARMEN[0]);
	await t.locator('#horsligne-reprise', { hasText: `Serveur remplacé : ${gardees} ventes renvoyées, toutes envoyées.` }).waitFor();
	egal(pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n, avant, 'toutes connues du serveur : rien de plus au grand livre');
});

// --- with the replication engine -------------------------------------------
// The replica's snapshots (Litestream's own listing).
const instantanes = (replique) => {
	try { return execFileSync(LITESTREAM, ['snapshots', 'file://' + replique], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return ''; }
};
const lignes = (db, sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, sql], { encoding: 'utf8' }).split('\n').filter(Boolean);

test('réplique : les deux caisses vendent, le serveur meurt (SIGKILL) ; sa réplique, restaurée dans un répertoire vide et servie à la même adresse, reçoit des caisses ce qui lui manque, une fois', async (c) => {
	affirmer(existsSync(LITESTREAM), 'pas de moteur de réplication : make deps-replica');
	for (const t of tills) await t.context().close();
	const pile = c.replique = await demarrer();
	await installer(pile, '200');
	const db = join(pile.data, '10p5.db');
	const replique = c.repertoireReplique = mkdtempSync(join(tmpdir(), '10p5-replique-'));
	// As production's configuration: a look at the log and a sync every second.
	writeFileSync(join(pile.data, 'litestream.yml'), `dbs:\n  - path: ${db}\n    monitor-interval: 1s\n    replicas:\n` +
		`      - type: file\n        path: ${replique}\n        sync-interval: 1s\n`);
	c.moteur = spawn(LITESTREAM, ['replicate', '-config', join(pile.data, 'litestream.yml')], { detached: true, stdio: 'ignore' });
	await jusqua(() => /^file/m.test(instantanes(replique)), 'la réplique a son premier instantané');
	const caisses = await ouvrir(c.nav, pile);
	const envoyes = new Set();
	for (const { t } of caisses) t.on('request', (r) => {
		if (r.url().endsWith('/api/client/payer')) envoyes.add(new URLSearchParams(r.postData() ?? '').get('idRequete'));
	});

	// Both tills sell, each sale answered before the next, until the kill.
	let arret = false, fin;
	const debut = Date.now();
	const arrete = new Promise((r) => { fin = r; });
	const boucles = caisses.map(async ({ t }, i) => {
		await lire(t, CARTES[i][0]);
		await t.locator('#solde').filter({ hasText: '€' }).waitFor();
		for (let k = 0; !arret; k++) {
			const reponse = t.waitForResponse((r) => r.url().endsWith('/api/client/payer'), { timeout: 0 }).catch(() => null);
			await t.click(`.boisson[data-quantite="${k % 2 ? 2 : 1}"]`);
			await Promise.race([reponse, arrete]);
		}
	});
	await jusqua(() => caisses.every((x) => x.vus.size >= 15), 'quinze ventes acquittées par caisse', 3000);
	// The primary dies: the engine and every part of the stack (each is the
	// leader of its process group) get SIGKILL at once, by PID.
	const groupes = readdirSync(join(pile.data, 'run')).filter((f) => f.endsWith('.pid'))
		.map((f) => Number(readFileSync(join(pile.data, 'run', f), 'utf8')));
	arret = true;
	for (const g of [c.moteur.pid, ...groupes]) { try { process.kill(-g, 'SIGKILL'); } catch { /* gone already */ } }
	const tue = Date.now();
	fin();
	await Promise.all(boucles);
	await pile.arreter(); // run.sh, its parts gone
	const avantMort = new Set(caisses.flatMap((x) => [...x.vus.keys()]));

	// The standby: the dead primary's directory is out of reach, the replica
	// restored into an empty one at the same place, served on the same port.
	renameSync(pile.data, pile.data + '.mort');
	c.mort = pile.data + '.mort';
	mkdirSync(pile.data);
	const dit = execFileSync(ADMIN, ['-d', db, 'restore-replica', 'file://' + replique],
		{ encoding: 'utf8', env: { ...process.env, TENP5_LITESTREAM: LITESTREAM }, stdio: ['ignore', 'pipe', 'pipe'] });
	affirmer(/ledger ok\nidentity [0-9a-f]{32}\n$/.test(dit), 'la réplique est restaurée, vérifiée, sous une nouvelle identité : ' + dit);
	const gardees = new Set(lignes(db, 'SELECT request_id FROM requests'));
	const perdues = [...avantMort].filter((id) => !gardees.has(id));
	copyFileSync(join(c.mort, 'clock'), join(pile.data, 'clock'));
	await pile.relancer();
	const servi = Date.now();
	for (const { t } of caisses)
		await t.locator('#horsligne-reprise', { hasText: /Serveur remplacé : \d+ ventes renvoyées, toutes envoyées\./ }).waitFor({ timeout: 60000 });
	const fini = Date.now();
	diag(`réplique : ${avantMort.size} ventes acquittées aux caisses en ${((tue - debut) / 1000).toFixed(1)} s avant la mort, ${perdues.length} absentes de la réplique ` +
		`(renvoyées par les caisses) ; servie ${servi - tue} ms après la mort, tout renvoyé ${fini - tue} ms après`);
	const toutes = new Map(caisses.flatMap((x) => [...x.vus]));
	const l = pile.db(`SELECT u.login, r.request_id id, c.card carte, t.amount cents FROM requests r JOIN users u ON u.id = r.user_id
		JOIN transactions t ON t.id = json_extract(r.reply, '$.idTransaction') JOIN clients c ON c.id = t.client_id WHERE t.type = 3`);
	const parId = new Map(l.map((v) => [v.id, v]));
	for (const [id, v] of toutes) {
		const x = parId.get(id);
		affirmer(x, `la vente acquittée ${id} (${v.carte}) est au grand livre` + (perdues.includes(id) ? ' (la réplique ne l’avait pas)' : ''));
		egal([x.login, x.carte, x.cents], [v.login, v.carte, v.cents], `la vente ${id} telle qu’acquittée`);
	}
	const ventes = pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n;
	egal(ventes, l.length, 'chaque vente a sa réponse gardée');
	affirmer(l.every((v) => envoyes.has(v.id)), 'aucune vente que les caisses n’ont pas envoyée');
	egal(new Set(l.map((v) => v.id)).size, l.length, 'chacune une fois');
	pile.verifier();
	for (const { t } of caisses) affirmer(t.erreurs.length === 0, 'erreurs dans la page : ' + t.erreurs.join('; '));
});

// Prices, the barmen and the cards, each with `solde` euros.
async function installer(pile, solde) {
	const J = await jetonPrez(pile);
	await pile.api('prix/modifier', { jeton: J, quantite: 1, prix: '1.5' });
	await pile.api('prix/modifier', { jeton: J, quantite: 2, prix: '2.8' });
	for (const b of BARMEN) await pile.api('utilisateur/ajouter', { jeton: J, ...b, droit: 2 });
	for (const c of [...CARTES.flat(), ...HORS]) await pile.api('client/ajouter', { jeton: J, idCarte: c, solde });
}
// Two tills, each its own browser context (its own storage: another phone),
// logged in, with what they were told was recorded: [{t, vus}].
async function ouvrir(nav, pile) {
	const l = [];
	for (const b of BARMEN) {
		const t = await page(nav, 'telephone');
		const vus = acquittees(t, b.login);
		await connecter(t, pile, b);
		await t.waitForFunction(() => localStorage.getItem('10p5.regles') && localStorage.getItem('10p5.base'));
		l.push({ t, vus });
	}
	return l;
}

lancer(async () => {
	const pile = await demarrer();
	await installer(pile, '50');
	const nav = await navigateur();
	for (const { t, vus: v } of await ouvrir(nav, pile)) { tills.push(t); vus.push(v); }
	return { pile, nav };
}, async (c) => {
	try { if (c?.moteur) process.kill(-c.moteur.pid, 'SIGKILL'); } catch { /* gone */ }
	await c?.replique?.arreter();
	for (const d of [c?.mort, c?.repertoireReplique]) if (d) rmSync(d, { recursive: true, force: true });
	await fermer(c);
});
