// Every screen at phone (390×844) and laptop (1366×768) sizes: a screenshot
// kept under build-test/web/, and axe-core's check (no serious or critical
// violation). Then the bytes a first load moves, compressed as nginx sends
// them (goal ≤ 200 KB).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, accessibilite, capture, affirmer, diag, TAILLES, RACINE } from './lib.mjs';

// With DOC=1, the README's screenshots are written to doc/ as well.
const DOC = { 'caisse-telephone': 'caisse-telephone.png', 'soiree-portable': 'soiree.png', 'bureau-portable': 'bureau.png' };

// Each screen: its route and what shows it is drawn.
const ECRANS = [
	['connexion', null, 'connexion', '.connexion form'],
	['caisse', 'caisse', async (p) => { await p.fill('#carte', 'AHS0DIEX'); await p.press('#carte', 'Enter'); await p.waitForSelector('.boisson'); await p.click('.boisson'); await p.waitForSelector('.ops li button'); }],
	['caisse-inconnue', 'caisse', async (p) => { await p.fill('#carte', 'NOUVELLE1'); await p.press('#carte', 'Enter'); await p.getByText('aucun compte').waitFor(); }],
	['clients', 'clients', '.rangee'],
	['fiche', 'clients/AHS0DIEX', 'tbody tr'],
	['soiree', 'soiree', '.graphe svg rect'],
	['bureau', 'bureau', 'section:has(h2:text("Clés API")) tbody tr'],
	['mur-reglage', 'mur', '#cle-mur'],
	['mur', 'mur', async (p, cle) => { await p.fill('#cle-mur', cle); await p.click('text=Afficher'); await p.waitForSelector('.tarifs li'); }],
];

for (const taille of Object.keys(TAILLES)) {
	for (const [nom, route, pret, extra] of ECRANS) {
		test(`${nom} en ${TAILLES[taille].width}×${TAILLES[taille].height} : capture et accessibilité`, async ({ nav, pile, cle }) => {
			const p = await page(nav, taille);
			await p.clock.install({ time: pile.maintenant() });
			if (route) await connecter(p, pile, undefined, route);
			else await p.goto(pile.url + '#/connexion');
			if (typeof pret === 'string') await p.waitForSelector(extra ?? pret);
			else await pret(p, cle);
			const f = await capture(p, nom);
			const v = await accessibilite(p);
			affirmer(v.length === 0, 'axe : ' + v.join('\n'));
			affirmer(p.erreurs.length === 0, 'erreurs dans la page : ' + p.erreurs.join('; '));
			diag(f.replace(RACINE + '/', ''));
			if (process.env.DOC && DOC[`${nom}-${taille}`]) {
				// The README's pictures: what the screen shows, without scrolling.
				mkdirSync(join(RACINE, 'doc'), { recursive: true });
				await p.screenshot({ path: join(RACINE, 'doc', DOC[`${nom}-${taille}`]) });
			}
			await p.context().close();
		});
	}
}

test('premier chargement : octets transférés (objectif ≤ 200 Ko compressés)', async ({ nav, pile }) => {
	const mesurer = async (route, pret) => {
		const p = await page(nav, 'telephone');
		const cdp = await p.context().newCDPSession(p);
		await cdp.send('Network.enable');
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
		const octets = new Map();
		cdp.on('Network.loadingFinished', (e) => octets.set(e.requestId, e.encodedDataLength));
		const urls = new Map();
		cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url.replace(pile.url, '') + (e.response.headers['Content-Encoding'] || e.response.headers['content-encoding'] ? ' (gzip)' : '')));
		await pret(p);
		await p.waitForLoadState('networkidle');
		const total = [...octets.values()].reduce((a, b) => a + b, 0);
		const detail = [...octets.entries()].map(([id, n]) => `${urls.get(id) ?? id} ${n}`).join(', ');
		await p.context().close();
		return { total, detail };
	};
	const premier = await mesurer('connexion', (p) => p.goto(pile.url));
	diag(`premier chargement (écran de connexion) : ${(premier.total / 1024).toFixed(1)} Ko transférés`);
	diag(premier.detail);
	const caisse = await mesurer('caisse', (p) => connecter(p, pile, undefined, 'caisse'));
	diag(`connexion puis caisse, API comprise : ${(caisse.total / 1024).toFixed(1)} Ko transférés`);
	affirmer(premier.total <= 200 * 1024, `${premier.total} octets au premier chargement`);
	affirmer(caisse.total <= 200 * 1024, `${caisse.total} octets jusqu'à la caisse`);
});

lancer(async () => {
	const pile = await demarrer();
	const J = await jetonPrez(pile);
	// An evening of the bar on the server's test clock, two days ahead, from
	// 20:00 to 01:45 UTC, through an API key (a session would lapse as the
	// clock jumps): payments swelling to midnight, a top-up now and then.
	const script = (await pile.api('cle/creer', { jeton: J, nom: 'Script du trésorier', droit: 3 })).cle;
	const cle = (await pile.api('cle/creer', { jeton: J, nom: 'Écran mural', droit: 2, portee: 'flux' })).cle;
	const api = (chemin, params) => pile.api(chemin, { jeton: script, ...params });
	for (const [q, x] of [[1, '1.5'], [2, '2.8'], [3, '4'], [6, '7.5']]) await api('prix/modifier', { quantite: q, prix: x });
	for (const [c, s] of [['AHS0DIEX', '20'], ['04A2B3C4D5E6F7', '12.5'], ['QUAELUY1RO', '2.7']]) await api('client/ajouter', { idCarte: c, solde: s });
	await api('utilisateur/ajouter', { login: 'bar1', mdp: 'bar1-secret-1', droit: 2, idCarte: 'CARTEBAR1' });
	await api('app/creer', { nom: 'Portail BDE', redirect_uri: 'https://portail.example.org/retour' });
	const cartes = Array.from({ length: 24 }, (_, i) => 'SOIR' + String(i + 1).padStart(2, '0'));
	const t0 = (() => { const d = new Date(); d.setUTCDate(d.getUTCDate() + 2); d.setUTCHours(19, 0, 0, 0); return d.getTime(); })();
	pile.horloge(t0);
	for (const c of cartes) await api('client/ajouter', { idCarte: c, solde: '40' });
	let graine = 7;
	const hasard = () => (graine = (graine * 48271) % 2147483647) / 2147483647;
	for (let quart = 0; quart < 23; quart++) {
		pile.horloge(t0 + quart * 15 * 60000 + 60000);
		const n = Math.round(2 + 9 * Math.sin(Math.PI * (quart + 1) / 24) * (0.7 + 0.6 * hasard()));
		for (let i = 0; i < n; i++) {
			const c = cartes[Math.floor(hasard() * cartes.length)];
			const r = await api('client/payer', { idCarte: c, quantite: [1, 1, 1, 2, 2, 3, 6][Math.floor(hasard() * 7)] });
			if (r.status === 'solde_insuffisant') await api('client/recharger', { idCarte: c, montant: '20' });
		}
	}
	pile.horloge(t0 + 5 * 3600000 + 45 * 60000);
	for (let i = 0; i < 6; i++) await api('client/payer', { idCarte: 'AHS0DIEX', quantite: 1 + (i % 2) });
	await api('client/recharger', { idCarte: 'AHS0DIEX', montant: '10' });
	// Someone guessing bar1's password: a lock-out for the desk to show.
	for (let i = 0; i < 5; i++) await pile.api('utilisateur/connexion', { login: 'bar1', mdp: 'devine-' + i });
	return { pile, nav: await navigateur(), cle };
}, async (c) => {
	await c?.nav?.close();
	await c?.pile?.arreter();
});
