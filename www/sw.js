// The staff app's files kept in the browser, so that the till opens with the
// network gone (doc/bar.md, "When the Wi-Fi drops"). One version at a time:
// a version is every file below, downloaded together and named by the hash
// of their contents; the files are served from it, never from the network
// while it exists. When the page asks (verifier, while online), every file
// is read again (a revalidation: unchanged files cost a 304); if their hash
// differs, a new deployment came: its files are kept whole under its own
// name, the current version switches to it in one write, the old one is
// deleted, and the page is told (it offers to reload). Nothing else of the
// site is touched: the API, the OAuth pages and the holders' page go to the
// network as if there were no worker.
const FICHIERS = [
	'index.html', 'css/app.css', 'icone.svg',
	'js/acces.js', 'js/api.js', 'js/app.js', 'js/bureau.js', 'js/caisse.js', 'js/carte.js',
	'js/catalogue.js', 'js/clients.js', 'js/cloture.js', 'js/direct.js', 'js/graphe.js',
	'js/horsligne.js', 'js/mur.js', 'js/qr.js', 'js/reprise.js', 'js/service.js', 'js/soiree.js', 'js/titulaire.js', 'js/ui.js',
];
const COURANTE = '10p5-courante'; // holds the current version's name under 'version'
const PREFIXE = '10p5-app-';

const url = (f) => new URL(f, registration.scope).href;

async function courante() {
	const r = await (await caches.open(COURANTE)).match('version');
	return r ? r.text() : null;
}

// Reads every file; keeps them as a new version if they are not the current
// one. Resolves with {version, nouvelle}; rejects when a file is missing.
async function telecharger() {
	const reps = await Promise.all(FICHIERS.map(async (f) => {
		const r = await fetch(url(f), { cache: 'no-cache' });
		if (!r.ok) throw new Error(`${f}: HTTP ${r.status}`);
		return [f, r, new Uint8Array(await r.clone().arrayBuffer())];
	}));
	const nom = new TextEncoder();
	const parts = reps.flatMap(([f, , corps]) => [nom.encode(f + '\n' + corps.length + '\n'), corps]);
	const tout = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((o, p) => (tout.set(p, o), o + p.length), 0);
	const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', tout));
	const version = Array.from(hash.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
	const avant = await courante();
	if (avant === PREFIXE + version) return { version, nouvelle: false };
	const c = await caches.open(PREFIXE + version);
	await Promise.all(reps.map(([f, r]) => c.put(url(f), r)));
	await (await caches.open(COURANTE)).put('version', new Response(PREFIXE + version));
	for (const k of await caches.keys()) if (k.startsWith(PREFIXE) && k !== PREFIXE + version) await caches.delete(k);
	return { version, nouvelle: avant !== null };
}

self.addEventListener('install', (e) => { e.waitUntil(telecharger().then(() => self.skipWaiting())); });
self.addEventListener('activate', (e) => { e.waitUntil(self.clients.claim()); });

self.addEventListener('message', (e) => {
	if (e.data !== 'verifier') return;
	e.waitUntil(telecharger().then((r) => e.source.postMessage({ type: 'version', ...r }),
		(err) => e.source.postMessage({ type: 'version', erreur: String(err) })));
});

// The app's own files (the page itself for the site's root) from the
// current version; anything else, or a file the version lacks, from the
// network.
self.addEventListener('fetch', (e) => {
	const req = e.request;
	if (req.method !== 'GET') return;
	const u = new URL(req.url);
	const base = new URL(registration.scope);
	if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname)) return;
	const f = u.pathname.slice(base.pathname.length) || 'index.html';
	if (!FICHIERS.includes(f)) return;
	e.respondWith((async () => {
		const v = await courante();
		const r = v && await (await caches.open(v)).match(url(f));
		return r || fetch(req);
	})());
});
