// Every screen at phone (390×844) and laptop (1366×768) sizes: a screenshot
// kept under build/web/, and axe-core's check (no serious or critical
// violation). Then the bytes a first load moves, compressed as nginx sends
// them (goal ≤ 200 KB).
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, accessibilite, capture, affirmer, diag, TAILLES } from './lib.mjs';

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
			if (nom === 'soiree' && !pile.serie) await serieDepuisLaBase(p, pile);
			if (route) await connecter(p, pile, undefined, route);
			else await p.goto(pile.url + '#/connexion');
			if (typeof pret === 'string') await p.waitForSelector(extra ?? pret);
			else await pret(p, cle);
			const f = await capture(p, nom);
			const v = await accessibilite(p);
			affirmer(v.length === 0, 'axe : ' + v.join('\n'));
			affirmer(p.erreurs.length === 0, 'erreurs dans la page : ' + p.erreurs.join('; '));
			diag(f.replace(/.*\/build\//, 'build/'));
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

// Until the server answers statistiques with its time series (depuis, pas →
// serie), the test adds to the server's own reply the series the contract
// describes, summed here from the ledger, so that the charts are drawn and
// seen from real data.
async function serieDepuisLaBase(p, pile) {
	await p.route('**/api/statistiques', async (route) => {
		const rep = await (await route.fetch()).json();
		const q = new URLSearchParams(route.request().postData());
		const depuis = Number(q.get('depuis')), jusqua = Number(q.get('jusqua')), pas = Number(q.get('pas')) * 1000;
		const lignes = pile.db(`SELECT (date_ms - ${depuis}) / ${pas} AS i,
			sum(CASE WHEN type = 3 THEN amount ELSE 0 END) AS r, sum(CASE WHEN type = 3 THEN qty ELSE 0 END) AS c,
			sum(CASE WHEN type = 2 THEN amount ELSE 0 END) AS t
			FROM transactions WHERE valid = 1 AND date_ms >= ${depuis} AND date_ms < ${jusqua} GROUP BY i`);
		rep.serie = Array.from({ length: Math.ceil((jusqua - depuis) / pas) }, (_, i) => {
			const l = lignes.find((x) => x.i === i);
			return { debut: depuis + i * pas, recettes: (l?.r ?? 0) / 100, consommations: l?.c ?? 0, rechargements: (l?.t ?? 0) / 100 };
		});
		await route.fulfill({ json: rep });
	});
}

lancer(async () => {
	const pile = await demarrer();
	const J = await jetonPrez(pile);
	for (const [q, x] of [[1, '1.5'], [2, '2.8'], [3, '4'], [6, '7.5']]) await pile.api('prix/modifier', { jeton: J, quantite: q, prix: x });
	for (const [c, s] of [['AHS0DIEX', '20'], ['04A2B3C4D5E6F7', '12.5'], ['QUAELUY1RO', '2.7']]) await pile.api('client/ajouter', { jeton: J, idCarte: c, solde: s });
	for (let i = 0; i < 6; i++) await pile.api('client/payer', { jeton: J, idCarte: 'AHS0DIEX', quantite: 1 + (i % 2) });
	await pile.api('client/recharger', { jeton: J, idCarte: 'AHS0DIEX', montant: '10' });
	await pile.api('utilisateur/ajouter', { jeton: J, login: 'bar1', mdp: 'bar1-secret-1', droit: 2, idCarte: 'CARTEBAR1' });
	await pile.api('app/creer', { jeton: J, nom: 'Portail BDE', redirect_uri: 'https://portail.example.org/retour' });
	const cle = (await pile.api('cle/creer', { jeton: J, nom: 'Écran mural', droit: 2 })).cle;
	pile.serie = Array.isArray((await pile.api('statistiques', { jeton: J, depuis: Date.now() - 3600e3 })).serie);
	if (!pile.serie) diag('statistiques sans serie sur ce serveur : la série des captures de la soirée est sommée par le test depuis la base');
	return { pile, nav: await navigateur(), cle };
}, async (c) => {
	await c?.nav?.close();
	await c?.pile?.arreter();
});
