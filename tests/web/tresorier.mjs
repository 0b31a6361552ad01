// The treasurer's screens. The till's catalogue and basket, on a phone: the
// products grouped by category, one tap per item, the total in view, one
// payment for the basket with its lines at the prices of the moment, the
// basket kept through a refusal and emptied by the payment only; the means of
// a top-up; keyboard only; accessibility. A barman's shift opened and closed
// with the counting aid, and the evening's close-out, printed on A4, with
// its export: the figures shown are the ledger's. The catalogue editor: a
// product added (once, however many taps), changed (only what changed is
// sent), taken off sale.
import { readFileSync } from 'node:fs';
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, solde, affirmer, egal, capture, fermer, accessibilite, espionner, PREZ } from './lib.mjs';

const sp = (t) => t.replace(/\s/g, ' ');
const lire = async (p, carte) => { await p.fill('#carte', carte); await p.press('#carte', 'Enter'); };
const attendreSolde = (p, t) => p.waitForFunction((t) => document.querySelector('#solde')?.textContent.replace(/\s/g, ' ') === t, t);
const total = (p) => p.locator('#total-panier').innerText().then(sp);
const produit = (p, nom) => p.locator('.produit', { has: p.getByText(nom, { exact: true }) });
const P = {};

test('les produits par catégorie, un tap par article, le total en vue', async ({ p }) => {
	await lire(p, 'PANIER1');
	await attendreSolde(p, '20,00 €');
	egal(await p.locator('.categorie h3').allInnerTexts(), ['Bières', 'Softs'], 'une rangée par catégorie, dans l’ordre du catalogue');
	egal(await p.locator('.categorie').nth(0).locator('.produit .nom').allInnerTexts(), ['Blonde', 'Ambrée'], 'les bières');
	egal(await produit(p, 'Eau').count(), 0, 'un produit inactif n’a pas de bouton');
	await produit(p, 'Blonde').click();
	await produit(p, 'Blonde').click();
	await produit(p, 'Coca').click();
	egal(await total(p), '6,80 €', '2 × 2,50 + 1,80');
	egal((await p.locator('.panier .lignes .quoi').allInnerTexts()).map(sp), ['2 × Blonde', '1 × Coca'], 'les lignes du panier');
	egal(await p.locator('.produit .nb').allInnerTexts(), ['×2', '×1'], 'chaque bouton dit combien il en a mis');
	egal(P.pile.db('SELECT count(*) n FROM transactions WHERE type = 3')[0].n, 0, 'rien n’est débité avant « Payer »');
	await capture(p, 'caisse-panier-telephone');
});

test('« Payer » : un paiement, ses lignes aux prix du moment, le panier vidé', async ({ p, pile }) => {
	const envois = espionner(p, 'client/payer');
	await p.getByRole('button', { name: 'Payer 6,80 €' }).click();
	await attendreSolde(p, '13,20 €');
	egal(solde(pile, 'PANIER1'), 1320, 'solde en base');
	const t = pile.db("SELECT id, amount, qty, lines FROM transactions WHERE type = 3");
	egal(t.map((r) => [r.amount, r.qty, r.lines]), [[680, 3, 2]], 'un seul paiement de 6,80 €, 3 articles, 2 lignes');
	egal(pile.db(`SELECT name, price, qty FROM sale_lines WHERE transaction_id = ${t[0].id} ORDER BY line`),
		[{ name: 'Blonde', price: 250, qty: 2 }, { name: 'Coca', price: 180, qty: 1 }], 'ses lignes');
	egal(envois.length, 1, 'une requête');
	affirmer(envois[0].get('idRequete'), 'avec son idRequete');
	egal(envois[0].get('produits'), `${P.blonde}:2,${P.coca}:1`, 'le panier en produits=id:qte');
	await p.getByText('Panier vide').waitFor();
	egal(await p.locator('.produit .nb').count(), 0, 'plus aucun compteur sur les boutons');
});

test('solde insuffisant : le panier reste entier, rien n’est débité', async ({ p, pile }) => {
	for (let i = 0; i < 6; i++) await produit(p, 'Ambrée').click();
	egal(await total(p), '18,00 €', '6 × 3,00');
	await p.getByRole('button', { name: 'Payer 18,00 €' }).click();
	await p.getByText('Solde insuffisant').waitFor();
	egal(await total(p), '18,00 €', 'le panier est toujours là');
	egal(solde(pile, 'PANIER1'), 1320, 'rien débité');
	await p.getByRole('button', { name: /\+5,00 € et payer/ }).click();
	await attendreSolde(p, '0,20 €');
	await p.getByText('Panier vide').waitFor();
	egal(solde(pile, 'PANIER1'), 20, 'rechargé de 5, puis le panier payé');
});

test('un produit retiré du catalogue entre-temps : refus dit en clair, rien débité', async ({ p, pile }) => {
	await lire(p, 'PANIER2');
	await attendreSolde(p, '50,00 €');
	await produit(p, 'Coca').click();
	await pile.api('produit/modifier', { jeton: P.j, id: P.coca, actif: 'non' });
	await p.getByRole('button', { name: 'Payer 1,80 €' }).click();
	await p.getByText('n’est plus en vente').waitFor();
	egal(solde(pile, 'PANIER2'), 5000, 'rien débité');
	await p.getByText('Panier vide').waitFor();
	egal(await produit(p, 'Coca').count(), 0, 'le catalogue rechargé n’a plus le Coca');
	await pile.api('produit/modifier', { jeton: P.j, id: P.coca, actif: 'oui' });
});

// The till's bounce guard ignores « Payer » tapped twice on one basket, not
// a new basket paid at once: on the page's clock, paused, every tap comes at
// the same instant, as the fastest hands would make them.
test('deux paniers payés coup sur coup : le second n’est pas pris pour un rebond ; un double tap ne paie qu’une fois', async ({ nav, pile }) => {
	const b = await page(nav, 'telephone');
	await b.clock.install({ time: pile.maintenant() });
	await connecter(b, pile);
	const envois = espionner(b, 'client/payer');
	await lire(b, 'PANIER4');
	await attendreSolde(b, '10,00 €');
	await b.clock.pauseAt(await b.evaluate(() => Date.now()) + 1000);
	await produit(b, 'Coca').click();
	await b.getByRole('button', { name: 'Payer 1,80 €' }).click();
	await attendreSolde(b, '8,20 €');
	await produit(b, 'Coca').click();
	await b.getByRole('button', { name: 'Payer 1,80 €' }).click();
	await attendreSolde(b, '6,40 €');
	await produit(b, 'Blonde').click();
	await b.getByRole('button', { name: 'Payer 2,50 €' }).dblclick();
	await attendreSolde(b, '3,90 €');
	await b.clock.resume();
	egal(envois.length, 3, 'trois paiements envoyés');
	egal(pile.db("SELECT amount FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = 'PANIER4' AND type = 3 ORDER BY t.id").map((r) => r.amount),
		[180, 180, 250], 'au grand livre : les deux paniers, puis le double tap une fois');
	egal(solde(pile, 'PANIER4'), 390, 'solde en base');
	await b.context().close();
});

test('un rechargement par carte bancaire porte son moyen', async ({ p, pile }) => {
	await p.getByLabel('Payé en').selectOption('carte');
	await p.getByRole('button', { name: '+10 €', exact: true }).click();
	await attendreSolde(p, '60,00 €');
	egal(pile.db("SELECT means FROM transactions WHERE type = 2 ORDER BY id DESC LIMIT 1")[0].means, 1, 'moyen carte en base');
	await p.getByLabel('Payé en').selectOption('especes');
});

test('le panier à l’écran : accessibilité', async ({ p }) => {
	await produit(p, 'Blonde').click();
	const v = await accessibilite(p);
	affirmer(v.length === 0, 'axe : ' + v.join('\n'));
	await p.getByRole('button', { name: 'Vider le panier' }).click();
	await p.getByText('Panier vide').waitFor();
});

test('au clavier seul : deux articles, en retirer un, payer', async ({ nav, pile }) => {
	const k = await page(nav, 'portable');
	await connecter(k, pile);
	await k.waitForFunction(() => document.activeElement?.id === 'carte');
	await k.keyboard.type('PANIER3');
	await k.keyboard.press('Enter');
	await attendreSolde(k, '10,00 €');
	await k.waitForFunction(() => document.activeElement?.classList.contains('produit'));
	await k.keyboard.press('Enter');
	await k.keyboard.press('Enter');
	await k.waitForFunction(() => document.querySelector('#total-panier')?.textContent.replace(/\s/g, ' ') === '5,00 €');
	const tabJusqua = async (nom) => {
		for (let i = 0; i < 40; i++) {
			await k.keyboard.press('Tab');
			const t = await k.evaluate(() => (document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '').trim());
			if (t.startsWith(nom)) return;
		}
		throw new Error('pas atteint au clavier : ' + nom);
	};
	await tabJusqua('Retirer un Blonde');
	await k.keyboard.press('Enter');
	await k.waitForFunction(() => document.querySelector('#total-panier')?.textContent.replace(/\s/g, ' ') === '2,50 €');
	await tabJusqua('Payer 2,50');
	await k.keyboard.press('Enter');
	await attendreSolde(k, '7,50 €');
	egal(solde(pile, 'PANIER3'), 750, 'solde en base');
	egal(k.erreurs, [], 'aucune erreur dans la page');
	await k.context().close();
});

test('un service ouvert puis fermé avec l’aide au comptage : attendu, compté, écart, ceux du grand livre', async ({ nav, pile }) => {
	const b = await page(nav, 'telephone');
	await connecter(b, pile, { login: 'bar1', mdp: 'bar1-secret-1' }, 'service');
	await b.getByLabel('Caisse', { exact: true }).fill('Bar du fond');
	await b.getByLabel('Billets de 20 €').fill('2');
	await b.getByLabel('Pièces de 50 c').fill('3');
	await b.waitForFunction(() => document.querySelector('.total-compte').textContent.replace(/\s/g, ' ') === '41,50 €');
	await b.getByRole('button', { name: 'Ouvrir le service' }).click();
	await b.getByRole('heading', { name: /^Service n° \d+$/ }).waitFor();
	const sv = pile.db("SELECT id, till, cash_float FROM services WHERE closed_ms IS NULL");
	egal(sv.map((r) => [r.till, r.cash_float]), [['Bar du fond', 4150]], 'le service en base, son fond en centimes');
	// The evening: a cash top-up, one by card, a cash emptying, all in the shift.
	const j = (await pile.api('utilisateur/connexion', { login: 'bar1', mdp: 'bar1-secret-1' })).jeton;
	for (const [chemin, p] of [['client/recharger', { idCarte: 'SERV1', montant: '20' }], ['client/recharger', { idCarte: 'SERV1', montant: '15', moyen: 'carte' }],
		['client/vidange', { idCarte: 'SERV2' }]]) affirmer((await pile.api(chemin, { jeton: j, ...p })).status === 'ok', chemin);
	await b.reload();
	await b.getByText(`Service n° ${sv[0].id}`).waitFor();
	await b.getByLabel('Billets de 50 €').fill('1');
	await b.getByLabel('Pièces de 2 €').fill('2');
	await b.getByLabel('Pièces de 10 c').fill('4');
	await b.getByLabel('Pièces de 5 c').fill('1');
	await b.waitForFunction(() => document.querySelector('.total-compte').textContent.replace(/\s/g, ' ') === '54,45 €');
	await capture(b, 'service-comptage-telephone');
	await b.getByRole('button', { name: 'Fermer le service' }).click();
	await b.getByRole('heading', { name: `Service n° ${sv[0].id} fermé` }).waitFor();
	// Recomputed from the ledger: the float, plus cash in, less cash out, over the shift's valid rows.
	const attendu = pile.db(`SELECT s.cash_float + coalesce(sum(CASE t.type WHEN 1 THEN max(t.amount, 0) WHEN 2 THEN t.amount WHEN 4 THEN -t.amount END), 0) a
		FROM services s LEFT JOIN transactions t ON t.service_id = s.id AND t.valid AND t.means = 0 AND t.type IN (1, 2, 4) WHERE s.id = ${sv[0].id}`)[0].a;
	egal(attendu, 4150 + 2000 - 800, 'attendu du grand livre');
	const chiffres = (await b.locator('.bilan .chiffre b').allInnerTexts()).map(sp);
	const e = (c) => (c / 100).toFixed(2).replace('.', ',') + ' €';
	egal(chiffres, [e(attendu), '54,45 €', e(5445 - attendu)], 'attendu, compté, écart à l’écran');
	egal(pile.db(`SELECT counted, expected FROM services WHERE id = ${sv[0].id}`), [{ counted: 5445, expected: attendu }], 'la fermeture en base');
	egal((await b.locator('.bilan tr').allInnerTexts()).map(sp).map((t) => t.replace(/\t/g, ' ')), ['Espèces 12,00 €', 'Carte bancaire 15,00 €', 'Virement 0,00 €', 'Offert 0,00 €'], 'par moyen');
	const v = await accessibilite(b);
	affirmer(v.length === 0, 'axe : ' + v.join('\n'));
	await capture(b, 'service-bilan-telephone');
	egal(b.erreurs, [], 'aucune erreur dans la page');
	await b.context().close();
});

test('la clôture de la soirée : chiffres et services du grand livre, imprimée sur A4, exportée', async ({ nav, pile }) => {
	const p = await page(nav, 'portable');
	await connecter(p, pile, undefined, 'cloture');
	await p.waitForSelector('table.services tbody tr');
	const e = (c) => (c / 100).toFixed(2).replace('.', ',') + ' €';
	const chiffre = (t) => p.locator('.chiffre', { has: p.getByText(t, { exact: true }) }).locator('b').innerText().then(sp);
	// Recomputed from the ledger: every row of this stack was made this evening.
	egal(await chiffre('Recettes'), e(pile.db('SELECT sum(amount) s FROM transactions WHERE type = 3 AND valid')[0].s), 'recettes');
	egal(await chiffre('Consommations'), String(pile.db('SELECT sum(qty) s FROM transactions WHERE type = 3 AND valid')[0].s), 'consommations');
	egal(await chiffre('Rechargements'), e(pile.db('SELECT sum(amount) s FROM transactions WHERE type = 2 AND valid')[0].s), 'rechargements');
	const sv = pile.db('SELECT id, cash_float, counted, expected FROM services WHERE closed_ms IS NOT NULL');
	egal(sv.length, 1, 'un service fermé');
	egal(await chiffre('Écart des caisses'), e(sv.reduce((s, x) => s + x.counted - x.expected, 0)), 'l’écart des caisses, des services fermés');
	// Money received per means during shifts: top-ups and openings in, emptyings out.
	const recu = pile.db(`SELECT m.means, coalesce(sum(CASE t.type WHEN 1 THEN max(t.amount, 0) WHEN 2 THEN t.amount WHEN 4 THEN -t.amount END), 0) s
		FROM (SELECT 0 means UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) m
		LEFT JOIN transactions t ON t.means = m.means AND t.valid AND t.service_id IS NOT NULL AND t.type IN (1, 2, 4)
		GROUP BY m.means ORDER BY m.means`);
	egal((await p.locator('table.moyens tr').allInnerTexts()).map(sp).map((t) => t.replace(/\t/g, ' ')),
		['Espèces', 'Carte bancaire', 'Virement', 'Offert'].map((t, i) => `${t} ${e(recu[i].s)}`), 'l’argent reçu par moyen, du grand livre');
	// Each bar of the chart: the takings of its slice of time, from the ledger.
	const pas = Number(await p.locator('[data-serie="recettes"]').getAttribute('data-pas'));
	const barresVues = await p.locator('[data-serie="recettes"] rect').evaluateAll((rs) => rs.map((r) => [Number(r.dataset.debut), r.querySelector('title').textContent]));
	affirmer(barresVues.length > 0 && pas > 0, 'le graphe a des barres');
	for (const [debut, titre] of barresVues) {
		const attendu = pile.db(`SELECT sum(amount) s FROM transactions WHERE type = 3 AND valid AND date_ms >= ${debut} AND date_ms < ${debut + pas}`)[0].s;
		egal(sp(titre.split(' : ').pop()), e(attendu), `la barre de ${new Date(debut).toISOString()}`);
	}
	egal(barresVues.length, pile.db(`SELECT count(DISTINCT (date_ms - ${barresVues[0][0]}) / ${pas}) n FROM transactions WHERE type = 3 AND valid AND amount > 0`)[0].n,
		'une barre par tranche où l’on a vendu');
	const cellules = (await p.locator(`tr[data-service="${sv[0].id}"] td`).allInnerTexts()).map(sp);
	egal(cellules.slice(5, 9), [e(sv[0].cash_float), e(sv[0].expected), e(sv[0].counted), e(sv[0].counted - sv[0].expected)], 'fond, attendu, compté, écart du service');
	egal((await p.locator('table.produits-vendus tbody tr').allInnerTexts()).map(sp).map((t) => t.replace(/ +/g, ' ')),
		pile.db(`SELECT p.name || ' ' || sum(l.qty) || ' ' || replace(printf('%.2f', sum(l.qty * l.price) / 100.0), '.', ',') || ' €' r
			FROM sale_lines l JOIN transactions t ON t.id = l.transaction_id JOIN products p ON p.id = l.product_id
			WHERE t.valid GROUP BY l.product_id ORDER BY l.product_id`).map((r) => r.r),
		'les ventes par produit');
	const v = await accessibilite(p);
	affirmer(v.length === 0, 'axe : ' + v.join('\n'));
	await capture(p, 'cloture-portable');
	// The export of the period: every row of the ledger, one line each after the header.
	const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Exporter les opérations (CSV)' }).click()]);
	const csv = readFileSync(await dl.path(), 'utf8');
	egal(csv.trimEnd().split('\r\n').length - 1, pile.db('SELECT count(*) n FROM transactions')[0].n, 'une ligne par opération');
	affirmer(/^10p5-transactions-\d{4}-\d{2}-\d{2}(_\d{4}-\d{2}-\d{2})?\.csv$/.test(dl.suggestedFilename()), 'un nom daté : ' + dl.suggestedFilename());
	// Printed: the sheet alone, on A4.
	await p.setViewportSize({ width: 794, height: 1123 });
	await p.emulateMedia({ media: 'print' });
	egal(await p.locator('.barre').isVisible(), false, 'l’en-tête de l’application ne s’imprime pas');
	egal(await p.locator('form.ecran-seul').isVisible(), false, 'ni le choix de la période');
	await capture(p, 'cloture-a4');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

test('catalogue (président) : ajouter un produit, changer son prix et sa catégorie, le retirer de la vente', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	await connecter(p, pile, PREZ, 'catalogue');
	const fiche = (nom) => p.locator('form.article', { has: p.locator('legend', { hasText: nom }) });
	const ajout = p.locator('section', { has: p.getByRole('heading', { name: 'Ajouter un produit' }) });
	await fiche('Blonde').waitFor();
	egal((await p.locator('form.article legend').allInnerTexts()).map(sp), ['Blonde', 'Ambrée', 'Coca', 'Eau (hors vente)'],
		'chaque produit, dans l’ordre de la caisse, les inactifs dits');
	const envois = espionner(p, 'produit/modifier');
	await ajout.getByLabel('Prix').fill('3,205');
	await ajout.getByLabel('Nom').fill('Cidre');
	await ajout.getByRole('button', { name: 'Ajouter' }).click();
	await ajout.getByText('champ prix').waitFor();
	egal(envois.length, 0, 'un prix à trois décimales n’est pas envoyé');
	await ajout.getByLabel('Prix').fill('3,20');
	await ajout.getByLabel('Catégorie').fill('Bières');
	await ajout.getByLabel('Place').fill('5');
	await ajout.getByRole('button', { name: 'Ajouter' }).click();
	await ajout.getByText('Cidre ajouté, à 3,20 €.').waitFor();
	egal(pile.db("SELECT price, category, active, sort FROM products WHERE name = 'Cidre'"),
		[{ price: 320, category: 'Bières', active: 1, sort: 5 }], 'ajouté en base, en vente');
	const cidre = fiche('Cidre');
	await cidre.getByLabel('Prix').fill('3,5');
	await cidre.getByLabel('Catégorie').fill('Cidres');
	await cidre.getByRole('button', { name: 'Enregistrer' }).click();
	await p.getByText('Cidre : enregistré.').waitFor();
	egal(pile.db("SELECT price, category FROM products WHERE name = 'Cidre'"), [{ price: 350, category: 'Cidres' }], 'prix et catégorie en base');
	egal([...envois[1].keys()].filter((k) => k !== 'jeton' && k !== 'idRequete').sort(), ['categorie', 'id', 'prix'],
		'seuls les champs changés sont envoyés');
	await cidre.getByLabel('En vente').uncheck();
	await cidre.getByRole('button', { name: 'Enregistrer' }).click();
	await p.getByText('Cidre : enregistré, retiré de la vente.').waitFor();
	egal(pile.db("SELECT active FROM products WHERE name = 'Cidre'")[0].active, 0, 'hors vente en base');
	await fiche('Cidre (hors vente)').waitFor();
	const coca = fiche('Coca');
	await coca.getByLabel('Catégorie').fill('');
	await coca.getByRole('button', { name: 'Enregistrer' }).click();
	await coca.getByText('champ categorie').waitFor();
	egal(envois.length, 3, 'une catégorie vidée n’est pas envoyée');
	egal(pile.db("SELECT category FROM products WHERE name = 'Coca'")[0].category, 'Softs', 'et reste en base');
	const v = await accessibilite(p);
	affirmer(v.length === 0, 'axe : ' + v.join('\n'));
	await capture(p, 'catalogue');
	await p.setViewportSize({ width: 1366, height: 768 });
	await capture(p, 'catalogue');
	await p.goto(pile.url + '#/caisse');
	await lire(p, 'PANIER3');
	await produit(p, 'Blonde').waitFor();
	egal(await produit(p, 'Cidre').count(), 0, 'la caisse n’a pas de bouton pour un produit hors vente');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

test('catalogue : deux taps sur « Ajouter » avant la réponse ajoutent un seul produit', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	await connecter(p, pile, PREZ, 'catalogue');
	await p.locator('form.article').first().waitFor();
	const ajout = p.locator('section', { has: p.getByRole('heading', { name: 'Ajouter un produit' }) });
	const envois = espionner(p, 'produit/modifier');
	// The first request is held until the second has had its answer.
	const tenues = [];
	await p.route('**/api/produit/modifier', (route) => { tenues.push(route); if (tenues.length > 1) route.continue(); });
	const seconde = p.waitForResponse((r) => r.url().endsWith('/api/produit/modifier'));
	await ajout.getByLabel('Nom').fill('Kriek');
	await ajout.getByLabel('Prix').fill('3');
	await ajout.getByRole('button', { name: 'Ajouter' }).click();
	await ajout.getByRole('button', { name: 'Ajouter' }).click();
	await seconde;
	await tenues[0].continue();
	await p.locator('form.article', { has: p.locator('legend', { hasText: 'Kriek' }) }).waitFor();
	egal(envois.length, 2, 'deux envois');
	egal(envois[1].get('idRequete'), envois[0].get('idRequete'), 'avec le même idRequete');
	egal(pile.db("SELECT count(*) n FROM products WHERE name = 'Kriek'")[0].n, 1, 'un seul produit en base');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

lancer(async () => {
	const pile = await demarrer();
	P.pile = pile;
	const J = P.j = await jetonPrez(pile);
	const api = async (chemin, params) => {
		const r = await pile.api(chemin, { jeton: J, ...params });
		affirmer(r.status === 'ok', chemin + ' : ' + JSON.stringify(r));
		return r;
	};
	P.coca = (await api('produit/modifier', { nom: 'Coca', prix: '1.8', categorie: 'Softs', ordre: 3 })).id;
	P.blonde = (await api('produit/modifier', { nom: 'Blonde', prix: '2.5', categorie: 'Bières', ordre: 1 })).id;
	await api('produit/modifier', { nom: 'Ambrée', prix: '3', categorie: 'Bières', ordre: 2 });
	await api('produit/modifier', { nom: 'Eau', prix: '1', categorie: 'Softs', ordre: 4, actif: 'non' });
	await api('client/ajouter', { idCarte: 'PANIER1', solde: '20' });
	await api('client/ajouter', { idCarte: 'PANIER2', solde: '50' });
	await api('client/ajouter', { idCarte: 'PANIER3', solde: '10' });
	await api('client/ajouter', { idCarte: 'PANIER4', solde: '10' });
	await api('client/ajouter', { idCarte: 'SERV1', solde: '5' });
	await api('client/ajouter', { idCarte: 'SERV2', solde: '8' });
	await api('utilisateur/ajouter', { login: 'bar1', mdp: 'bar1-secret-1', droit: 2 });
	const nav = await navigateur();
	const p = await page(nav, 'telephone');
	await connecter(p, pile);
	return { pile, nav, p };
}, fermer);
