// A barman's evening on a phone, in one go, as it happens at 1 a.m.: he logs
// in with his card on the USB reader, serves regulars and a newcomer, the
// Wi-Fi drops twice (once for a moment, once long enough that a payment's
// fate is unknown and he taps the drink again), a reply is lost once, a
// customer is short and tops up a round amount, a mistake is cancelled from
// the keyboard, his session lapses and his card brings it back, and he looks
// at a regular's history, tonight on top. Then the ledger, read through the
// API, must hold each operation exactly once.
import { test, lancer, demarrer, navigateur, page, jetonPrez, affirmer, egal, capture, espionner, taper } from './lib.mjs';

const BARMAN = { login: 'bar1', mdp: 'bar1-secret-1', carte: 'BA2C0FFE' };
const NOUVELLE = '04A224B3C4D580';
const JOUR = 24 * 3600 * 1000;
// A USB reader's swipe. The page runs on Playwright's clock (set to tonight),
// which stamps each key with its own time: paused while the reader types,
// it sees the keys come at one instant, faster than any person.
async function lecteur(p, id) {
	await p.clock.pauseAt(await p.evaluate(() => Date.now()) + 1000);
	await taper(p, id, 8);
	await p.clock.resume();
}
const attendreSolde = (p, t) => p.waitForFunction((t) => document.querySelector('#solde')?.textContent.replace(/\s/g, ' ') === t, t.replace(/\s/g, ' '));
const bande = (p, texte) => p.locator('.bande').getByText(texte).waitFor();
const boisson = (p, q) => p.click(`.boisson[data-quantite="${q}"]`);

test('la soirée d’un barman au téléphone : deux coupures, une réponse perdue, chaque opération une fois', async ({ nav, pile, debut }) => {
	const p = await page(nav, 'telephone');
	await p.clock.install({ time: pile.maintenant() });
	const payer = espionner(p, 'client/payer');

	// His card on the reader, the cursor where the page put it.
	await p.goto(pile.url);
	await p.waitForSelector('body[data-ecran="connexion"]');
	await lecteur(p, BARMAN.carte);
	await p.waitForSelector('body[data-ecran="caisse"]');
	await p.getByText('● En direct.').waitFor();

	// A regular.
	await lecteur(p, 'HABITUE1');
	await attendreSolde(p, '15,70 €');
	await boisson(p, 2);
	await attendreSolde(p, '12,90 €');

	// The Wi-Fi drops for a moment: the till says it retries, then it goes through.
	const coupure = (route) => route.abort('internetdisconnected');
	await p.route('**/api/**', coupure);
	await boisson(p, 1);
	await p.locator('#reseau').getByText('nouvel essai').waitFor();
	await capture(p, 'soiree-barman-coupure');
	await p.unroute('**/api/**', coupure);
	await bande(p, /1 conso.*: fait\. Nouveau solde 11,40/);

	// A newcomer: the account opened with the amount typed, then a drink.
	await lecteur(p, NOUVELLE);
	await p.getByText('aucun compte').waitFor();
	await p.keyboard.type('10');
	await p.keyboard.press('Enter');
	await attendreSolde(p, '10,00 €');
	await boisson(p, 1);
	await attendreSolde(p, '8,50 €');

	// A reply lost on the way back: sent again by itself, charged once.
	let perdue = true;
	const perdre = async (route) => {
		if (!perdue) return route.continue();
		perdue = false;
		await route.fetch();
		await route.abort('connectionreset');
	};
	await p.route('**/api/client/payer', perdre);
	await boisson(p, 2);
	await bande(p, /2 consos.*: fait\. Nouveau solde 5,70/);
	await p.unroute('**/api/client/payer', perdre);

	// Short by 4,50 €: a round 5 € in cash, then the drinks.
	await lecteur(p, 'AMIE2');
	await attendreSolde(p, '3,00 €');
	await boisson(p, 6);
	await bande(p, 'il manque 4,50 €');
	await p.getByRole('button', { name: '+5,00 € et payer' }).click();
	await attendreSolde(p, '0,50 €');

	// The Wi-Fi drops for good in the middle of a payment that the server
	// took: no answer at all. He taps the drink again once it is back.
	await lecteur(p, 'HABITUE1');
	await attendreSolde(p, '11,40 €');
	let n = 0;
	const longue = async (route) => {
		if (n++ === 0) await route.fetch();
		await route.abort('internetdisconnected');
	};
	await p.route('**/api/client/payer', longue);
	await boisson(p, 1);
	await bande(p, /pas de réponse du serveur/i);
	await capture(p, 'soiree-barman-doute');
	await p.unroute('**/api/client/payer', longue);
	await boisson(p, 1);
	await bande(p, 'Rien d’autre n’a été débité');
	await attendreSolde(p, '9,90 €');

	// Two drinks by mistake: cancelled from the keyboard.
	await boisson(p, 2);
	await attendreSolde(p, '7,10 €');
	await p.locator('.ops li').first().getByRole('button', { name: /Annuler/ }).focus();
	await p.keyboard.press('Enter');
	await attendreSolde(p, '9,90 €');

	// Six minutes without a sale: the session lapses; his card brings it back.
	pile.horloge(pile.maintenant() + 6 * 60000);
	await boisson(p, 1);
	await p.getByRole('dialog', { name: 'Session expirée' }).waitFor();
	await lecteur(p, BARMAN.carte);
	await attendreSolde(p, '8,40 €');

	// The regular asks what he had: newest first, tonight on top.
	await p.getByRole('link', { name: 'Historique' }).click();
	await p.waitForSelector('tbody tr[data-id]');
	const rangees = await p.locator('tbody tr').evaluateAll((l) => l.map((tr) => (tr.dataset.id ? 'op' : tr.textContent)));
	egal(rangees[0], 'Ce soir', 'ce soir en tête');
	egal(rangees.filter((r) => r !== 'op').length, 2, 'ce soir, puis la semaine dernière');
	egal(rangees.indexOf(rangees.filter((r) => r !== 'op')[1]), 6, 'les cinq opérations de ce soir, puis celles d’avant');
	egal((await p.locator('tbody tr[data-id] td:nth-child(2)').first().innerText()).split('\n')[0], '1 conso', 'la dernière conso en tête');
	const l = await p.locator('.tableau').evaluate((e) => [e.scrollWidth, e.clientWidth]);
	affirmer(l[0] <= l[1], `le tableau tient dans l’écran (${l[0]} px dans ${l[1]})`);
	await capture(p, 'soiree-barman-historique');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	egal(new Set(payer.map((e) => e.get('idRequete'))).size, 9, 'neuf paiements demandés, chacun sous son idRequete');

	// The ledger, through the API: tonight's operations, each once.
	const J = await jetonPrez(pile);
	const r = await pile.api('transactions', { jeton: J, ordre: 'recent', apres: debut });
	egal(r.status, 'ok', 'transactions');
	egal(r.transactions.reverse().map((t) => [t.client, t.type, t.montant, t.valide, t.utilisateur]), [
		['HABITUE1', 3, 2.8, true, 'bar1'],
		['HABITUE1', 3, 1.5, true, 'bar1'],
		[NOUVELLE, 1, 10, true, 'bar1'],
		[NOUVELLE, 3, 1.5, true, 'bar1'],
		[NOUVELLE, 3, 2.8, true, 'bar1'],
		['AMIE2', 2, 5, true, 'bar1'],
		['AMIE2', 3, 7.5, true, 'bar1'],
		['HABITUE1', 3, 1.5, true, 'bar1'],
		['HABITUE1', 3, 2.8, false, 'bar1'],
		['HABITUE1', 3, 1.5, true, 'bar1'],
	], 'chaque opération de la soirée une fois, dans l’ordre');
	for (const [carte, attendu] of [['HABITUE1', 8.4], [NOUVELLE, 5.7], ['AMIE2', 0.5]]) {
		const f = await pile.api('client/fiche', { jeton: J, idCarte: carte });
		const somme = f.transactions.filter((t) => t.valide).reduce((s, t) => s + Math.round(100 * (t.type === 3 || t.type === 4 ? -t.montant : t.montant)), 0);
		egal([f.solde, somme / 100], [attendu, attendu], `${carte} : solde et somme de ses opérations`);
	}
	await p.context().close();
});

lancer(async () => {
	const pile = await demarrer();
	const J = await jetonPrez(pile);
	for (const [q, x] of [[1, '1.5'], [2, '2.8'], [6, '7.5'], [10, '13']]) await pile.api('prix/modifier', { jeton: J, quantite: q, prix: x });
	await pile.api('utilisateur/ajouter', { jeton: J, login: BARMAN.login, mdp: BARMAN.mdp, idCarte: BARMAN.carte, droit: 2 });
	// Last week: a regular's first drinks.
	await pile.api('client/ajouter', { jeton: J, idCarte: 'HABITUE1', solde: '20' });
	await pile.api('client/payer', { jeton: J, idCarte: 'HABITUE1', quantite: 1 });
	await pile.api('client/payer', { jeton: J, idCarte: 'HABITUE1', quantite: 2 });
	await pile.api('client/ajouter', { jeton: J, idCarte: 'AMIE2', solde: '3' });
	const debut = pile.db('SELECT max(id) id FROM transactions')[0].id;
	// Tonight: three days on.
	pile.horloge(pile.maintenant() + 3 * JOUR);
	return { pile, nav: await navigateur(), debut };
}, async (c) => {
	await c?.nav?.close();
	await c?.pile?.arreter();
});
