// make bench-horsligne (and make bench): a till that comes back online with
// 500 sales queued sends them, and how fast, against the same 500 payments
// sent online by curl (one process, one connection, one after the other) in
// the same run. The queue is filled in the page through the till's own module
// while the network is cut (DevTools protocol), then the network is given
// back and the time to an empty queue measured in the page. Writes
// tests/bench/horsligne-results.md (HORSLIGNE_OUT); the ledger must then
// hold each sale once.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demarrer, navigateur, page, connecter, jetonPrez, affirmer } from '../web/lib.mjs';

const N = Number(process.env.HORSLIGNE_N || 500);
const OUT = process.env.HORSLIGNE_OUT || join(dirname(fileURLToPath(import.meta.url)), 'horsligne-results.md');
const BARMAN = { login: 'bar1', mdp: 'bar1-secret-1' };

const pile = await demarrer({ TENP5_SESSION_TTL: '86400', TENP5_CEILING: '1000000' });
let nav;
try {
	const J = await jetonPrez(pile);
	await pile.api('utilisateur/ajouter', { jeton: J, ...BARMAN, droit: 2 });
	// The till keeps to its offline caps as it queues: they let the N sales of 1 € in.
	await pile.api('horsligne/modifier', { jeton: J, plafondCarte: String(N), plafondCaisse: String(N) });
	for (const c of ['CURL1', 'FILE1']) await pile.api('client/ajouter', { jeton: J, idCarte: c, solde: String(N) });
	const B = (await pile.api('utilisateur/connexion', BARMAN)).jeton;

	// The reference: N payments online, one curl process, one after the other.
	const dir = mkdtempSync(join(tmpdir(), '10p5-bench-'));
	const conf = join(dir, 'curl.conf');
	writeFileSync(conf, Array.from({ length: N }, (_, i) =>
		`url = "${pile.url}api/client/payer"\ndata = "jeton=${B}&idCarte=CURL1&montant=1&idRequete=curl-${i}"\noutput = "/dev/null"\n`).join('next\n'));
	const t0 = process.hrtime.bigint();
	execFileSync('curl', ['-s', '-K', conf]);
	const curlS = Number(process.hrtime.bigint() - t0) / 1e9;
	rmSync(dir, { recursive: true, force: true });
	affirmer(pile.db("SELECT count(*) n FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = 'CURL1' AND type = 3")[0].n === N,
		'curl : ' + N + ' paiements');

	nav = await navigateur();
	const p = await page(nav, 'portable');
	await connecter(p, pile, BARMAN);
	await p.waitForFunction(() => localStorage.getItem('10p5.regles')); // the caps it queues by
	const cdp = await p.context().newCDPSession(p);
	await cdp.send('Network.enable');
	const reseau = (offline) => cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
	await reseau(true);
	await p.getByText('Pas de réseau').waitFor();
	await p.evaluate(async (n) => {
		const hl = await import('./js/horsligne.js');
		for (let i = 0; i < n; i++) {
			const v = await hl.vendre('FILE1', { montant: '1' }, 100, 'Paiement de 1 €');
			if (v.refus) throw new Error('vente ' + i + ' refusée : ' + v.refus);
		}
	}, N);
	// From the network given back to an empty queue, timed in the page.
	await p.evaluate(() => new Promise((pret) => {
		window.__fin = null;
		const db = indexedDB.open('10p5');
		db.onsuccess = () => addEventListener('horsligne', () => {
			const q = db.result.transaction('file').objectStore('file').count();
			q.onsuccess = () => { if (window.__fin === null && q.result === 0) window.__fin = performance.now(); };
		}) || pret(window.__debut = performance.now());
	}));
	await reseau(false);
	await p.waitForFunction(() => window.__fin !== null, null, { timeout: 600000 });
	const fileS = await p.evaluate(() => (window.__fin - window.__debut) / 1000);
	const l = pile.db("SELECT count(*) n, count(DISTINCT date_ms) d FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = 'FILE1' AND type = 3")[0];
	affirmer(l.n === N, `la file : ${l.n} ventes en base au lieu de ${N}`);

	const r = (s) => (N / s).toFixed(0);
	const ratio = (curlS / fileS).toFixed(2);
	const texte = `# Offline sales sent on reconnect

\`make bench-horsligne\` on ${execFileSync('nproc').toString().trim()} cores, ${new Date().toISOString().slice(0, 10)}: ${N} sales queued offline
in the till (headless Chromium, IndexedDB), sent when the network comes back, one at a
time, each leaving the queue in its own IndexedDB transaction once answered; against
${N} payments sent online by curl in the same run (one process, one kept connection,
one after the other). Each set ends in the ledger exactly once (checked).

| what | sales | seconds | sales/s | ratio |
|---|---|---|---|---|
| curl, online, one after the other | ${N} | ${curlS.toFixed(2)} | ${r(curlS)} | |
| the till's queue sent on reconnect | ${N} | ${fileS.toFixed(2)} | ${r(fileS)} | ${ratio} × curl |
`;
	writeFileSync(OUT, texte);
	console.log(texte);
} finally {
	await nav?.close();
	await pile.arreter();
	rmSync(pile.data, { recursive: true, force: true });
}
