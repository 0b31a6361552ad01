// What every browser test shares: a real 10p5 stack (nginx/run.sh on a free
// port, a fresh database), Debian's headless Chromium through
// playwright-core, a TAP printer for prove, and helpers to call the API and
// look into the database. Nothing waits on the clock: the stack is ready when
// run.sh says it listens, a page when what is asserted is on screen.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, openSync, writeSync, closeSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const RACINE = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = resolve(RACINE, process.env.BIN || 'build-test');
export const CAPTURES = join(BIN, 'web');
export const PREZ = { login: 'prez', mdp: 'prez-secret-1' };
export const TAILLES = { telephone: { width: 390, height: 844 }, portable: { width: 1366, height: 768 } };

// --- TAP --------------------------------------------------------------------
const tests = [];
export function test(nom, f) { tests.push([nom, f]); }
let n = 0, echecs = 0;
const donnees = [];
const piles = []; // how to stop each stack and browser started
export function diag(texte) { for (const l of String(texte).split('\n')) console.log('# ' + l); }
// A failure's story goes to stderr, which prove shows (it hides # lines).
const echec = (texte) => { for (const l of String(texte).split('\n')) console.error('# ' + l); };
function resultat(ok, nom, detail) {
	n++;
	console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${nom}`);
	if (!ok) { echecs++; if (detail) echec(detail); }
}
// Runs the declared tests in order, each a TAP line; a failure inside a test
// (a throw, a timeout waiting for something on screen) fails that line only.
export async function lancer(avant, apres) {
	let ctx;
	try {
		ctx = await avant();
		for (const [nom, f] of tests) {
			try { await f(ctx); resultat(true, nom); }
			catch (e) { resultat(false, nom, e.stack || String(e)); await constat(ctx?.p, n); }
		}
	} catch (e) {
		resultat(false, 'mise en place', e.stack || String(e));
	} finally {
		try { await apres?.(ctx); } catch (e) { echec('arrêt : ' + e); }
		// Every stack and browser started stops, even when the suite failed
		// to set up (their pipes would keep this process alive).
		for (const arreter of piles.reverse()) await arreter().catch(() => {});
		// The stacks' data directories go, unless something failed.
		for (const d of donnees) {
			if (echecs) echec('données gardées : ' + d);
			else rmSync(d, { recursive: true, force: true });
		}
		console.log(`1..${n}`);
		process.exitCode = echecs ? 1 : 0;
	}
}
// What the main page showed when test n failed: its status lines, and a
// screenshot (echec-n) beside the others.
async function constat(p, n) {
	if (!p || p.isClosed()) return;
	try {
		echec('à l’écran : ' + (await p.evaluate(() => [...document.querySelectorAll('[role=status], [role=alert], .bande, #reseau')]
			.map((e) => e.textContent.trim()).filter(Boolean).join(' | '))));
		echec('capture : ' + await capture(p, 'echec-' + n));
	} catch (e) { echec('pas de constat : ' + e); }
}
export function affirmer(cond, message) { if (!cond) throw new Error(message); }
// The usual end of a suite whose set-up gives { pile, nav, p }: the page
// logged no error, then the browser and the stack stop.
export async function fermer(c) {
	if (c?.p) affirmer(c.p.erreurs.length === 0, 'erreurs dans la page : ' + c.p.erreurs.join('; '));
	await c?.nav?.close();
	await c?.pile?.arreter();
}
export function egal(a, b, message) {
	if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${message}: ${JSON.stringify(a)} au lieu de ${JSON.stringify(b)}`);
}

// --- the stack --------------------------------------------------------------
function portLibre() {
	return new Promise((ok, ko) => {
		const essayer = (reste) => {
			if (!reste) return ko(new Error('aucun port libre'));
			const p = 30000 + Math.floor(Math.random() * 5000);
			const s = createServer();
			s.once('error', () => essayer(reste - 1));
			s.listen(p, '127.0.0.1', () => s.close(() => ok(p)));
		};
		essayer(50);
	});
}

// The test clock: the test build adds the offset (ms) this file holds to its
// wall clock. The file keeps its length and is rewritten in place, since the
// workers read it through a shared mapping (as tests/api/lib.sh's clock_set).
function ecrireHorloge(fichier, ms) {
	const fd = openSync(fichier, existsSync(fichier) ? 'r+' : 'w');
	writeSync(fd, String(ms).padEnd(31) + '\n', 0);
	closeSync(fd);
}

// Starts a stack on a free port with a fresh data directory and resolves once
// it answers: nginx + the FastCGI pools (nginx/run.sh, which says "is
// listening" when the API answers through nginx), or with STACK=apache the
// shared-host deployment (the binaries as .cgi, www/ and the generated
// .htaccess under Apache, by tests/api/lib.sh's start_stack, which waits for
// coucou; CGI_MODE=suexec serves it as a ~user/ site, whose URL it says). pile.redemarrer() stops it and starts it again on the same port
// and data (a restart), pile.arreter() and pile.relancer() do each half (the
// network gone meanwhile); pile.horloge(ms) moves the server's clock;
// pile.verifier() runs `10p5-admin check` (throws unless every balance
// equals its ledger rows).
export async function demarrer(env = {}) {
	const port = await portLibre();
	const data = mkdtempSync(join(tmpdir(), '10p5-web-'));
	donnees.push(data);
	const horloge = join(data, 'clock');
	let decalage = 0;
	ecrireHorloge(horloge, 0);
	const reglages = { TENP5_SCRYPT_N: '1024', TENP5_ADDR_FAILS: '1000', TENP5_TEST_CLOCK: horloge, ...env };
	const apache = process.env.STACK === 'apache';
	let proc = null;
	async function lancerPile() {
		const e = { ...process.env, BIN, PORT: String(port), DATA: data, ADMIN_LOGIN: PREZ.login, ADMIN_MDP: PREZ.mdp };
		proc = apache
			? spawn('bash', ['-c', `. "$0/tests/api/lib.sh" && REUSE=1 start_stack "$@" && echo "is listening at $URL/" &&
				trap 'stop_stack; exit 0' TERM && while kill -0 "$STACK_PID" 2>/dev/null; do sleep 0.2; done`,
				RACINE, ...Object.entries(reglages).map(([k, v]) => `${k}=${v}`)], { env: e, stdio: ['ignore', 'pipe', 'pipe'] })
			: spawn(join(RACINE, 'nginx/run.sh'), [], { env: { ...e, ...reglages }, stdio: ['ignore', 'pipe', 'pipe'] });
		let sortie = '';
		await new Promise((ok, ko) => {
			const lu = (b) => {
				sortie += b;
				if (!sortie.includes('is listening')) return;
				// The site's URL: under suEXEC (CGI_MODE=suexec), a ~user/ site.
				const m = /is listening at (\S+)/.exec(sortie);
				if (m) url = m[1];
				ok();
			};
			proc.stdout.on('data', lu);
			proc.stderr.on('data', lu);
			proc.once('exit', (c) => ko(new Error(`la pile s'est arrêtée (${c}) : ${sortie}`)));
		});
	}
	const arreter = () => new Promise((ok) => {
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return ok();
		proc.once('exit', ok);
		proc.kill('SIGTERM');
	});
	let url = `http://127.0.0.1:${port}/`;
	piles.push(arreter);
	await lancerPile();
	const pile = {
		url, port, data, apache,
		db: (sql) => {
			const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 10000', join(data, '10p5.db'), sql], { encoding: 'utf8' });
			return out.trim() ? JSON.parse(out) : [];
		},
		// One API call the way the Android app makes it (form POST).
		api: async (chemin, params = {}) => {
			const r = await fetch(url + 'api/' + chemin, { method: 'POST', body: new URLSearchParams(params) });
			return r.json();
		},
		// The server's time now (ms), and moving it to `ms` (never backwards
		// in a test: sessions and lock-outs age with it).
		maintenant: () => Date.now() + decalage,
		horloge: (ms) => { decalage = ms - Date.now(); ecrireHorloge(horloge, decalage); },
		verifier: () => execFileSync(join(BIN, 'bin/10p5-admin'), ['-d', join(data, '10p5.db'), 'check'], { encoding: 'utf8' }),
		// The live feed's process (its pool's one worker), to kill it.
		processusDirect: () => execFileSync('pgrep', ['-P', readFileSync(join(data, 'run/evenements.pid'), 'utf8').trim()],
			{ encoding: 'utf8' }).trim().split('\n').map(Number),
		// The stack's first process (run.sh, or the Apache wrapper): its tree is the server.
		pid: () => proc.pid,
		arreter,
		relancer: lancerPile,
		redemarrer: async () => { await arreter(); await lancerPile(); },
	};
	process.once('exit', () => { try { proc.kill('SIGTERM'); } catch { /* already gone */ } });
	return pile;
}

// A logged-in president's jeton, for setting things up through the API.
export async function jetonPrez(pile) {
	const r = await pile.api('utilisateur/connexion', PREZ);
	affirmer(r.status === 'ok', 'connexion prez : ' + JSON.stringify(r));
	return r.jeton;
}

// --- the browser ------------------------------------------------------------
export async function navigateur() {
	const nav = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	piles.push(() => nav.close());
	return nav;
}

// A new page at `taille`, failing the test on any script error or CSP
// violation the page reports.
export async function page(nav, taille = 'portable') {
	const ctx = await nav.newContext({ viewport: TAILLES[taille], locale: 'fr-FR', timezoneId: 'Europe/Paris' });
	return onglet(ctx);
}

// A new tab in the browser context ctx (its storage and service worker
// shared with the context's other tabs), watched as page() watches.
export async function onglet(ctx) {
	const p = await ctx.newPage();
	p.erreurs = [];
	p.on('pageerror', (e) => p.erreurs.push(String(e)));
	p.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) p.erreurs.push(m.text()); });
	p.setDefaultTimeout(10000);
	return p;
}

export async function connecter(p, pile, qui = PREZ, ecran = 'caisse') {
	await p.goto(pile.url + '#/connexion');
	await p.getByLabel('Identifiant').fill(qui.login);
	await p.getByLabel('Mot de passe').fill(qui.mdp);
	await p.getByRole('button', { name: 'Se connecter' }).click();
	await p.waitForFunction(() => sessionStorage.getItem('10p5.session'));
	if (ecran) { await p.goto(pile.url + '#/' + ecran); await p.waitForSelector(`body[data-ecran="${ecran.split('/')[0]}"]`); }
}

// The parameters of every request the page sends to api/`chemin`, in order
// (URLSearchParams), as they are sent.
export function espionner(p, chemin) {
	const envois = [];
	p.on('request', (r) => { if (r.url().endsWith('/api/' + chemin)) envois.push(new URLSearchParams(r.postData() ?? '')); });
	return envois;
}

// Types `texte` then Enter where the focus is, each key stamped `ecart` ms
// after the one before: the page reads those times in its events'
// timeStamp, whatever the load of the machine. A USB card reader types a
// key every few ms, a person every 100 ms or more.
export async function taper(p, texte, ecart) {
	const cdp = await p.context().newCDPSession(p);
	let t = Date.now() / 1000;
	for (const k of [...texte, 'Enter']) {
		const entree = k === 'Enter', code = entree ? 13 : k.toUpperCase().charCodeAt(0);
		await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k, code: entree ? 'Enter' : undefined,
			windowsVirtualKeyCode: code, text: entree ? '\r' : k, timestamp: t });
		await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, windowsVirtualKeyCode: code, timestamp: t + 0.002 });
		t += ecart / 1000;
	}
	await cdp.detach();
}

// A screenshot kept under $BIN/web/ (build-test/web/ by default) (the whole
// page). It is taken from the top, then the page scrolled back: taken where
// the page was scrolled, the sticky header landed over the middle of it.
export async function capture(p, nom) {
	mkdirSync(CAPTURES, { recursive: true });
	const vp = p.viewportSize();
	const f = join(CAPTURES, `${nom}-${vp.width}x${vp.height}.png`);
	const y = await p.evaluate(() => { const y = window.scrollY; window.scrollTo(0, 0); return y; });
	await p.screenshot({ path: f, fullPage: true });
	await p.evaluate((y) => window.scrollTo(0, y), y);
	return f;
}

// axe-core's serious and critical violations on the page as it is.
const AXE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'node_modules/axe-core/axe.min.js'), 'utf8');
export async function accessibilite(p) {
	await p.evaluate(AXE);
	const r = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(' | ')}`);
}

// What the store `store` of the page's IndexedDB (the till's: horsligne.js,
// reprise.js) holds, read whole.
export const magasin = (p, store) => p.evaluate((store) => new Promise((ok, ko) => {
	const r = indexedDB.open('10p5');
	r.onsuccess = () => {
		const q = r.result.transaction(store).objectStore(store).getAll();
		q.onsuccess = () => { r.result.close(); ok(q.result); };
		q.onerror = () => ko(q.error);
	};
	r.onerror = () => ko(r.error);
}), store);

// A card's balance in cents, straight from the database (undefined: no account).
export const solde = (pile, carte) => pile.db(`SELECT balance FROM clients WHERE card='${carte}'`)[0]?.balance;
