// The evening's charts from the server's own series (statistiques with
// depuis, jusqua, pas → serie): payments, top-ups and a cancellation made at
// known times on the server's test clock, two days ahead, then the screen
// opened with the browser's clock set to the server's. Each bar must stand in
// its quarter of an hour (or hour, or day), with its value, in Paris time.
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, affirmer, egal, diag, capture } from './lib.mjs';

const MIN = 60000;
const HM = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const hm = (ms) => HM.format(new Date(ms));
// Two days from now, 20:00 UTC (21:00 or 22:00 in Paris): on the hour everywhere.
const T0 = (() => { const d = new Date(); d.setUTCDate(d.getUTCDate() + 2); d.setUTCHours(20, 0, 0, 0); return d.getTime(); })();
const T1 = T0 + 150 * MIN; // "now" when the screen is opened
const sp = (t) => t.replace(/\s/g, ' ');

// The bars of a chart: their titles ("21:00 : 3,00 €"), left to right.
const barres = (p, serie) => p.locator(`.graphe[data-serie="${serie}"] svg rect`).evaluateAll((l) => l.map((r) => r.querySelector('title').textContent.replace(/\s/g, ' ')));
const chiffre = (p, titre) => p.locator('.chiffre', { has: p.getByText(titre, { exact: true }) }).locator('b').innerText().then(sp);

async function ouvrir(nav, pile, taille) {
	const p = await page(nav, taille);
	await p.clock.install({ time: pile.maintenant() });
	await connecter(p, pile, undefined, 'soiree');
	await p.waitForSelector('.graphe svg');
	return p;
}

test('ce soir, par quarts d’heure : chaque barre à son heure, les annulations exclues', async ({ nav, pile }) => {
	const p = await ouvrir(nav, pile, 'telephone');
	egal(await barres(p, 'recettes'), [`${hm(T0)} : 3,00 €`, `${hm(T0 + 60 * MIN)} : 2,80 €`], 'recettes (le paiement annulé n’y est pas)');
	egal(await barres(p, 'consommations'), [`${hm(T0)} : 2`, `${hm(T0 + 60 * MIN)} : 2`], 'consommations');
	egal(await barres(p, 'rechargements'), [`${hm(T0 + 15 * MIN)} : 10,00 €`], 'rechargements');
	egal(await chiffre(p, 'Recettes · ce soir'), '5,80 €', 'total de la soirée');
	egal(await chiffre(p, 'Consommations · ce soir'), '4', 'consommations de la soirée');
	egal(await chiffre(p, 'Rechargements · ce soir'), '10,00 €', 'rechargements de la soirée');
	// The same figures in the table under each chart.
	const bloc = p.locator('.graphe[data-serie="recettes"]');
	await bloc.getByText('Voir en tableau').click();
	egal((await bloc.locator('tbody tr').allInnerTexts()).map(sp), [`${hm(T0)} 3,00 €`, `${hm(T0 + 60 * MIN)} 2,80 €`], 'le tableau des recettes');
	// And what the server said, bucket by bucket.
	const st = await pile.api('statistiques', { jeton: pile.cle, depuis: T0 - 60 * MIN, jusqua: T1, pas: 900 });
	egal(st.serie.filter((b) => b.recettes).map((b) => [b.debut - T0, b.recettes]), [[0, 3], [60 * MIN, 2.8]], 'la série du serveur');
	await capture(p, 'soiree-graphes');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

test('24 heures par heure, 7 jours par 6 heures, 30 jours par jour', async ({ nav, pile }) => {
	const p = await ouvrir(nav, pile, 'portable');
	await p.getByRole('button', { name: '24 heures' }).click();
	await p.waitForFunction(() => document.querySelector('.graphe h2')?.textContent.includes('5,80') && document.querySelectorAll('.graphe[data-serie="recettes"] rect').length === 2
		&& document.querySelector('.graphe svg').getAttribute('aria-label').includes('1 h'));
	egal(await barres(p, 'recettes'), [`${hm(T0)} : 3,00 €`, `${hm(T0 + 60 * MIN)} : 2,80 €`], 'une barre par heure');
	await p.getByRole('button', { name: '7 jours' }).click();
	await p.waitForFunction(() => document.querySelector('.graphe svg').getAttribute('aria-label').includes('6 h'));
	egal((await barres(p, 'recettes')).length, 1, 'une seule tranche de 6 heures');
	affirmer((await barres(p, 'recettes'))[0].endsWith(': 5,80 €'), 'qui porte toute la soirée : ' + (await barres(p, 'recettes'))[0]);
	await p.getByRole('button', { name: '30 jours' }).click();
	await p.waitForFunction(() => document.querySelector('.graphe svg').getAttribute('aria-label').includes('24 h'));
	egal((await barres(p, 'rechargements')).map((t) => t.split(' : ')[1]), ['10,00 €'], 'un jour, ses rechargements');
	egal(await chiffre(p, 'Recettes · 30 jours'), '5,80 €', 'total sur 30 jours');
	egal(await chiffre(p, 'Recettes'), '5,80 €', 'depuis l’ouverture');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

lancer(async () => {
	const pile = await demarrer();
	const J = await jetonPrez(pile);
	// An API key makes the evening: a session would lapse as the clock jumps.
	pile.cle = (await pile.api('cle/creer', { jeton: J, nom: 'Soirée', droit: 3 })).cle;
	const api = (chemin, params) => pile.api(chemin, { jeton: pile.cle, ...params }).then((r) => { affirmer(r.status === 'ok', chemin + ' : ' + JSON.stringify(r)); return r; });
	await api('prix/modifier', { quantite: 1, prix: '1.5' });
	await api('prix/modifier', { quantite: 2, prix: '2.8' });
	await api('client/ajouter', { idCarte: 'SOIR1', solde: '30' });
	pile.horloge(T0 + 5 * MIN);
	await api('client/payer', { idCarte: 'SOIR1', quantite: 1 });
	await api('client/payer', { idCarte: 'SOIR1', quantite: 1 });
	pile.horloge(T0 + 20 * MIN);
	await api('client/recharger', { idCarte: 'SOIR1', montant: '10' });
	pile.horloge(T0 + 65 * MIN);
	await api('client/payer', { idCarte: 'SOIR1', quantite: 2 });
	const r = await api('client/payer', { idCarte: 'SOIR1', montant: '7' });
	await api('annuler', { idTransaction: r.idTransaction });
	pile.horloge(T1);
	diag(`soirée du ${new Date(T0).toISOString()} : paiements à ${hm(T0 + 5 * MIN)} et ${hm(T0 + 65 * MIN)}, rechargement à ${hm(T0 + 20 * MIN)}`);
	return { pile, nav: await navigateur() };
}, async (c) => {
	await c?.nav?.close();
	await c?.pile?.arreter();
});
