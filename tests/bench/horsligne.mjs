// make bench-horsligne (and make bench): a till that comes back online with
// 1 000 sales queued sends them while other tills keep selling, and what that
// costs the others. The other tills are curl processes, each sending
// payments one after the other on its own card, for the whole run; their
// payments a second are counted from the ledger's dates in slices of a
// second, alone before the flush, during it and alone after it (medians),
// with the CPU each side used; the goal is at least 0.8 × the alone rate
// during the flush. The till's queue is filled in the page through its own
// module while the network is cut (DevTools protocol), then the network is
// given back and the time to an empty queue taken in the page. Then the same
// requests from this script in turns (a second sending, a second not), with
// the till's pause between two sales and without: the server's side of it,
// each second compared with its neighbours, so that the load of the machine
// drifting meanwhile cancels out. Writes tests/bench/horsligne-results.md
// (HORSLIGNE_OUT); the ledger must then hold each sale once and pass
// 10p5-admin check.
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demarrer, navigateur, page, connecter, jetonPrez, affirmer } from '../web/lib.mjs';

const N = Number(process.env.HORSLIGNE_N || 1000);
const AUTRES = Number(process.env.HORSLIGNE_CAISSES || 2); // the other tills (curl)
const SEUL_MS = Number(process.env.HORSLIGNE_SEUL_MS || 6000); // the others alone, before and after each flush
const TRANCHE_MS = 1000; // the slices their rate is counted in
const RETENUE = 2, RETENUE_MAX = 2000; // as www/js/horsligne.js
const PAR_CURL = 100000; // payments in each curl's list: more than a run sends
const OUT = process.env.HORSLIGNE_OUT || join(dirname(fileURLToPath(import.meta.url)), 'horsligne-results.md');
const BARMAN = { login: 'bar1', mdp: 'bar1-secret-1' };
const attendre = (ms) => new Promise((ok) => setTimeout(ok, ms));

// The processes of each tree whose root is given ({name: pid}; a process
// belongs to the nearest root above it, this script itself to none), and
// the CPU seconds each tree used so far (user and system time from /proc),
// the trees as they are now: {groupe: Map pid → name, cpu: {name: seconds}}.
const HZ = Number(execFileSync('getconf', ['CLK_TCK']).toString());
function arbres(racines) {
	const parent = new Map(), temps = new Map();
	for (const d of readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const st = readFileSync(`/proc/${d}/stat`, 'utf8');
			const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
			parent.set(Number(d), Number(f[1]));
			temps.set(Number(d), (Number(f[11]) + Number(f[12])) / HZ);
		} catch { /* gone meanwhile */ }
	}
	const racine = (pid) => {
		for (let p = pid; p > 1; p = parent.get(p)) for (const [n, r] of Object.entries(racines)) if (p === r) return n;
		return null;
	};
	const groupe = new Map(), cpu = Object.fromEntries(Object.keys(racines).map((n) => [n, 0]));
	for (const [pid, s] of temps) {
		const n = pid === process.pid ? null : racine(pid);
		if (n) { groupe.set(pid, n); cpu[n] += s; }
	}
	return { groupe, cpu };
}

const pile = await demarrer({ TENP5_SESSION_TTL: '86400', TENP5_CEILING: '1000000' });
const dir = mkdtempSync(join(tmpdir(), '10p5-bench-'));
const curls = [];
let nav;
try {
	const J = await jetonPrez(pile);
	await pile.api('utilisateur/ajouter', { jeton: J, ...BARMAN, droit: 2 });
	// The till keeps to its offline caps as it queues: they let the N sales of 1 € in.
	await pile.api('horsligne/modifier', { jeton: J, plafondCarte: String(N), plafondCaisse: String(N) });
	const autres = Array.from({ length: AUTRES }, (_, i) => `CURL${i + 1}`);
	for (const c of ['FILE1', 'FILE2', 'FILE3']) await pile.api('client/ajouter', { jeton: J, idCarte: c, solde: String(N) });
	for (const c of autres) await pile.api('client/ajouter', { jeton: J, idCarte: c, solde: '5000' });

	nav = await navigateur();
	const p = await page(nav, 'portable');
	await connecter(p, pile, BARMAN);
	await p.waitForFunction(() => localStorage.getItem('10p5.regles'));
	const cdp = await p.context().newCDPSession(p);
	await cdp.send('Network.enable');
	const reseau = (offline) => cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
	// The page notes when its queue is empty (its clock is this machine's).
	await p.evaluate(() => new Promise((pret) => {
		window.__fin = null;
		const db = indexedDB.open('10p5');
		db.onsuccess = () => { addEventListener('horsligne', () => {
			const q = db.result.transaction('file').objectStore('file').count();
			q.onsuccess = () => { if (window.__fin === null && q.result === 0) window.__fin = Date.now(); };
		}); pret(); };
	}));

	// The other tills: one curl each, a session each, one payment of 1 cent
	// after the other over one kept connection, until stopped.
	for (const c of autres) {
		const jeton = (await pile.api('utilisateur/connexion', BARMAN)).jeton;
		const conf = join(dir, c + '.conf');
		writeFileSync(conf, Array.from({ length: PAR_CURL }, (_, i) =>
			`url = "${pile.url}api/client/payer"\ndata = "jeton=${jeton}&idCarte=${c}&montant=0.01&idRequete=${c}-${i}"\noutput = "/dev/null"\n`).join('next\n'));
		curls.push(spawn('curl', ['-s', '-K', conf], { stdio: 'ignore' }));
	}
	const dansLesAutres = (de, a) => pile.db(`SELECT count(*) n FROM transactions t JOIN clients c ON c.id = t.client_id
		WHERE c.card IN (${autres.map((c) => `'${c}'`).join(', ')}) AND t.date_ms >= ${de} AND t.date_ms < ${a}`)[0].n;
	while (dansLesAutres(0, Date.now() + 1000) === 0) await attendre(100); // the others have started

	// The browser is this script's child that is neither curl nor the stack.
	const racines = { chromium: process.pid, serveur: pile.pid(), ...Object.fromEntries(curls.map((c, i) => ['curl' + i, c.pid])) };
	const mesure = () => ({ t: Date.now(), cpu: arbres(racines).cpu });
	// The points taken every TRANCHE_MS until `fin` (a promise of the end
	// time) resolves, its end the last.
	async function tranches(fin) {
		const pts = [mesure()];
		let t = null;
		fin.then((x) => { t = x; });
		while (t === null) {
			await Promise.race([attendre(TRANCHE_MS), fin]);
			pts.push(t === null ? mesure() : { ...mesure(), t });
		}
		return pts;
	}
	// One round: the others alone, the flush (`vider`, which resolves with
	// the time the queue is empty), the others alone again, each in slices.
	async function tour(nom, carte, vider) {
		await attendre(1000);
		const avant = await tranches(attendre(SEUL_MS).then(() => Date.now()));
		const pendant = await tranches(vider());
		const apres = await tranches(attendre(SEUL_MS).then(() => Date.now()));
		const l = pile.db(`SELECT count(*) n, count(received_ms) r FROM transactions t JOIN clients c ON c.id = t.client_id
			WHERE c.card = '${carte}' AND type = 3`)[0];
		affirmer(l.n === N && l.r === N, `${nom} : ${l.n} ventes en base au lieu de ${N}`);
		return { nom, avant, pendant, apres };
	}
	// The till: N sales queued offline in the page, sent when the network is
	// given back, until the page sees its queue empty.
	await reseau(true);
	await p.getByText('Pas de réseau').waitFor();
	await p.evaluate(async (n) => {
		const hl = await import('./js/horsligne.js');
		for (let i = 0; i < n; i++) {
			const v = await hl.vendre('FILE1', { montant: '1' }, 100, 'Paiement de 1 €');
			if (v.refus) throw new Error('vente ' + i + ' refusée : ' + v.refus);
		}
		window.__fin = null; // the queue was empty when the network went
	}, N);
	const tours = [await tour('the till', 'FILE1', async () => {
		await reseau(false);
		await p.waitForFunction(() => window.__fin !== null, null, { timeout: 600000, polling: 100 });
		return p.evaluate(() => window.__fin);
	})];
	// The same requests from this script, one after the other, in turns:
	// a slice sending, a slice not, until all are sent. What the flush asks
	// of the server, without the browser's work on these cores (in a bar the
	// till is a phone of its own); each slice sending is compared with the
	// slices alone on either side of it, so the machine's drift cancels.
	// With `retenue`, the till's pause between two sales (RETENUE times the
	// round trip, at most RETENUE_MAX ms, www/js/horsligne.js).
	const jeton = (await pile.api('utilisateur/connexion', BARMAN)).jeton;
	async function enAlternance(carte, retenue) {
		const t0 = Date.now() - 60000;
		const seul = [], envoi = [];
		let envoyees = 0;
		while (envoyees < N) {
			seul.push(await tranches(attendre(TRANCHE_MS).then(() => Date.now())));
			const a = mesure(), fin = a.t + TRANCHE_MS;
			while (envoyees < N && Date.now() < fin) {
				const debut = performance.now();
				const rep = await (await fetch(pile.url + 'api/client/payer', { method: 'POST', body: new URLSearchParams({
					jeton, idCarte: carte, montant: '1', horsLigne: String(t0 + envoyees), idRequete: `${carte}-${envoyees}` }) })).json();
				affirmer(rep.status === 'ok', JSON.stringify(rep));
				envoyees++;
				if (retenue) await attendre(Math.min(RETENUE * (performance.now() - debut), RETENUE_MAX));
			}
			envoi.push([a, mesure()]);
		}
		seul.push(await tranches(attendre(TRANCHE_MS).then(() => Date.now())));
		affirmer(pile.db(`SELECT count(*) n FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = '${carte}' AND type = 3`)[0].n === N,
			'le script : chaque vente une fois');
		return { seul, envoi, duree: envoi.reduce((x, [a, b]) => x + (b.t - a.t), 0) / 1000 };
	}
	const scripts = [['without a pause', await enAlternance('FILE2', false)], ['with the till\'s pause', await enAlternance('FILE3', true)]];
	for (const c of curls) c.kill();
	pile.verifier();

	const duree = (a, b) => (b.t - a.t) / 1000;
	// The others' payments a second in each slice of a phase (slices under
	// half a slice long left out), and their median.
	const taux = (pts) => pts.slice(1).map((b, i) => [pts[i], b]).filter(([a, b]) => duree(a, b) >= TRANCHE_MS / 2000)
		.map(([a, b]) => dansLesAutres(a.t, b.t) / duree(a, b));
	const mediane = (l) => { const x = [...l].sort((a, b) => a - b); return x.length % 2 ? x[x.length >> 1] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2; };
	// Cores used in a phase: CPU seconds over its seconds.
	const coeurs = (pts, qui) => (Object.keys(pts[0].cpu).filter((n) => n.startsWith(qui))
		.reduce((x, n) => x + pts.at(-1).cpu[n] - pts[0].cpu[n], 0) / duree(pts[0], pts.at(-1))).toFixed(2);
	const ligneCpu = (pts) => `${coeurs(pts, 'chromium')} | ${coeurs(pts, 'serveur')} | ${coeurs(pts, 'curl')}`;
	const f1 = (x) => x.toFixed(1), f0 = (x) => x.toFixed(0);
	const ratios = tours.map(({ avant, pendant, apres }) => mediane(taux(pendant)) / mediane([...taux(avant), ...taux(apres)]));
	const enTranche = ([a, b]) => dansLesAutres(a.t, b.t) / duree(a, b);
	for (const [, { seul, envoi }] of scripts) ratios.push(mediane(envoi.map((w, i) => enTranche(w) / ((taux(seul[i])[0] + taux(seul[i + 1])[0]) / 2))));
	const lignes = ({ nom, avant, pendant, apres }) => `| ${nom} | others alone, before | ${f0(mediane(taux(avant)))} | ${ligneCpu(avant)} |
| | **the queue of ${N}: ${f1(duree(pendant[0], pendant.at(-1)))} s, ${f0(N / duree(pendant[0], pendant.at(-1)))} a second**; others meanwhile | ${f0(mediane(taux(pendant)))} | ${ligneCpu(pendant)} |
| | others alone, after | ${f0(mediane(taux(apres)))} | ${ligneCpu(apres)} |`;
	const script = scripts.map(([nom, { seul, envoi, duree: d }]) => `| the same requests from a script, ${nom}, in turns | others alone (slices between) | ${f0(mediane(seul.flatMap(taux)))} | | | |
| | **${N} sent in ${f1(d)} s of sending, ${f0(N / d)} a second**; others meanwhile | ${f0(mediane(envoi.map(enTranche)))} | | | |`).join('\n');
	const verdict = (r) => `**${r.toFixed(2)} ×** (${r >= 0.8 ? 'met' : 'missed'})`;
	const texte = `# Offline sales sent on reconnect, beside other tills

\`make bench-horsligne\` on ${execFileSync('nproc').toString().trim()} cores, ${new Date().toISOString().slice(0, 10)}: ${N} sales queued offline
in one till (headless Chromium, IndexedDB), sent when the network comes back, one at a
time with a pause of twice the round trip between two, each leaving the queue in its own
IndexedDB transaction once answered. Meanwhile
${AUTRES} other tills (curl, each one payment after the other on its own card over one
kept connection) sell for the whole run. Their payments a second are counted from the
ledger's dates in slices of ${TRANCHE_MS / 1000} s, alone before the flush (${SEUL_MS / 1000} s), during it and alone after it
(${SEUL_MS / 1000} s): the medians below; the CPU each side used from /proc. Then the same requests
sent by this script one after the other, with the till's pause between two and
without, in turns (a second sending, a second not, each second sending against the
seconds alone on either side, so that the machine's load drifting meanwhile cancels):
what the flush asks of the server, without the browser's work on these cores (in a
bar, the till is a phone of its own).
Each queue ends in the ledger exactly once and \`10p5-admin check\` passes (checked).

| round | phase | the others' payments/s (median) | cores used: Chromium | the server | curl |
|---|---|---|---|---|---|
${tours.map(lignes).join('\n')}
${script}

The other tills during the flush, against their rate alone (goal ≥ 0.8 ×):
- the till: ${verdict(ratios[0])}
${scripts.map(([nom, { envoi }], i) => `- the same requests from a script, ${nom}, in turns (each slice sending against the slices alone on either side, median of ${envoi.length}): ${verdict(ratios[i + 1])}`).join('\n')}
`;
	writeFileSync(OUT, texte);
	console.log(texte);
} finally {
	for (const c of curls) if (c.exitCode === null) c.kill();
	await nav?.close();
	await pile.arreter();
	rmSync(dir, { recursive: true, force: true });
	rmSync(pile.data, { recursive: true, force: true });
}
