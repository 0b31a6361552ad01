// The till, as a barman uses it: a card typed or read by a USB reader, one
// tap per drink, an amount, top-ups, an unknown card opened, a card emptied,
// the refusals, cancel and redo with the countdown, keyboard only, a change
// shown while it is sent, buttons that stay where they are whatever is said,
// and the time from a tap on a drink to the new balance on screen.
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, solde, affirmer, egal, diag, capture, fermer, espionner } from './lib.mjs';

const PRIX = [[1, '1.5'], [2, '2.8'], [6, '7.5'], [10, '13']];
const BARMAN = { login: 'bar1', mdp: 'bar1-secret-1' };
const texte = (p, sel) => p.locator(sel).innerText();
const attendreSolde = (p, t) => p.waitForFunction((t) => document.querySelector('#solde')?.textContent.replace(/\s/g, ' ') === t, t.replace(/\s/g, ' '));
const lire = async (p, carte) => { await p.fill('#carte', carte); await p.press('#carte', 'Enter'); };
// A card read afresh, its fiche drawn (not the one shown before).
async function ouvrir(p, carte) {
	if (await p.locator('.fiche:not([hidden])').count()) await p.getByRole('button', { name: 'Autre carte' }).click();
	await p.locator('.fiche[hidden]').waitFor({ state: 'attached' });
	await lire(p, carte);
	await p.locator('.fiche:not([hidden]) .id', { hasText: carte }).waitFor();
}

test('une carte lue montre son solde et ses boutons de boissons', async ({ p, pile }) => {
	await lire(p, 'AHS0DIEX');
	await attendreSolde(p, '20,00 €');
	egal(await p.locator('.boisson').count(), 4, 'un bouton par prix');
	affirmer((await texte(p, '.boisson[data-quantite="2"]')).includes('2,80'), 'le prix de 2 consos est affiché');
	await capture(p, 'caisse-carte');
});

test('au téléphone, « 10 consos » tient dans son bouton', async ({ p }) => {
	const coupes = await p.locator('.boisson').evaluateAll((l) => l.filter((b) => {
		const u = b.querySelector('.u').getBoundingClientRect(), r = b.getBoundingClientRect();
		return u.right > r.right || u.bottom > r.bottom;
	}).map((b) => b.textContent));
	egal(coupes, [], 'aucun bouton ne coupe son texte');
});

test('un tap sur « 1 conso » débite 1,50 € une seule fois', async ({ p, pile }) => {
	await p.click('.boisson[data-quantite="1"]');
	await attendreSolde(p, '18,50 €');
	egal(solde(pile, 'AHS0DIEX'), 1850, 'solde en base');
	egal(pile.db("SELECT count(*) n FROM transactions WHERE type=3")[0].n, 1, 'un paiement');
});

test('paiement par montant avec une virgule', async ({ p, pile }) => {
	await p.fill('#montant-payer', '2,30');
	await p.press('#montant-payer', 'Enter');
	await attendreSolde(p, '16,20 €');
	egal(solde(pile, 'AHS0DIEX'), 1620, 'solde en base');
});

test('un montant illisible est refusé sans appel au serveur', async ({ p, pile }) => {
	await p.fill('#montant-payer', '2,345');
	await p.press('#montant-payer', 'Enter');
	await p.getByText('Montant invalide').waitFor();
	egal(solde(pile, 'AHS0DIEX'), 1620, 'rien débité');
});

test('rechargement en un tap et par montant', async ({ p, pile }) => {
	await p.getByRole('button', { name: '+10 €' }).click();
	await attendreSolde(p, '26,20 €');
	await p.fill('#montant-recharger', '3.80');
	await p.press('#montant-recharger', 'Enter');
	await attendreSolde(p, '30,00 €');
	egal(solde(pile, 'AHS0DIEX'), 3000, 'solde en base');
});

test('montant trop élevé : refus dit en clair', async ({ p, pile }) => {
	await p.fill('#montant-recharger', '5000');
	await p.press('#montant-recharger', 'Enter');
	await p.getByText('Montant trop élevé').waitFor();
	egal(solde(pile, 'AHS0DIEX'), 3000, 'rien rechargé');
});

test('solde insuffisant : le manque est affiché, « recharger et payer » en un tap, des montants ronds d’abord', async ({ p, pile }) => {
	await lire(p, 'PAUVRE1');
	await attendreSolde(p, '1,00 €');
	await p.click('.boisson[data-quantite="2"]');
	await p.getByText('il manque 1,80 €').waitFor();
	await capture(p, 'caisse-solde-insuffisant');
	egal(solde(pile, 'PAUVRE1'), 100, 'rien débité');
	egal((await p.locator('.bande .actions button').allInnerTexts()).map((t) => t.replace(/\s/g, ' ')),
		['+5,00 € et payer', '+10,00 € et payer', '+1,80 € et payer'], 'des montants ronds d’abord (pas de monnaie à rendre), le manque exact en dernier');
	await p.getByRole('button', { name: '+5,00 € et payer' }).click();
	await attendreSolde(p, '3,20 €');
	egal(pile.db("SELECT group_concat(type || ':' || amount) t FROM transactions t JOIN clients c ON c.id=t.client_id WHERE c.card='PAUVRE1' ORDER BY t.id")[0].t,
		'1:100,2:500,3:280', 'création, rechargement de 5 €, paiement');
});

test('les prix relus (direct qui repart, prix inchangé) ne remplacent pas les boutons : le focus reste', async ({ p, pile }) => {
	await ouvrir(p, 'PLACE1');
	await p.focus('.boisson[data-quantite="1"]');
	await p.evaluate(() => { window.vu = document.activeElement; });
	const J = await jetonPrez(pile);
	const relu = p.waitForResponse((r) => r.url().endsWith('/api/prix/liste'));
	await pile.api('prix/modifier', { jeton: J, quantite: 6, prix: '7.5' }); // the same price: the feed says prix, the till reads them again
	await relu;
	await p.evaluate(() => new Promise(requestAnimationFrame));
	egal(await p.evaluate(() => document.activeElement === window.vu && window.vu.isConnected), true, 'le même bouton, toujours focalisé');
	const relu2 = p.waitForResponse((r) => r.url().endsWith('/api/prix/liste'));
	await pile.api('prix/modifier', { jeton: J, quantite: 6, prix: '7.6' });
	await relu2;
	await p.locator('.boisson[data-quantite="6"]', { hasText: '7,60' }).waitFor();
	await pile.api('prix/modifier', { jeton: J, quantite: 6, prix: '7.5' });
	await p.locator('.boisson[data-quantite="6"]', { hasText: '7,50' }).waitFor();
});

test('les messages ont une place fixe : résultat, refus, envoi, réseau coupé ne déplacent pas les boutons', async ({ p }) => {
	await ouvrir(p, 'PLACE1');
	const position = () => p.locator('.boisson[data-quantite="1"]').evaluate((b) => Math.round(b.getBoundingClientRect().top + scrollY));
	const avant = await position();
	const vues = {};
	await p.click('.boisson[data-quantite="1"]');
	await p.getByText(/: fait\. Nouveau solde/).waitFor();
	vues.resultat = await position();
	await p.fill('#montant-payer', '900');
	await p.press('#montant-payer', 'Enter');
	await p.getByText('il manque').waitFor();
	vues.refus = await position();
	// The network drops at the first try; the second is held while we look.
	let n = 0, relacher, tenu;
	const retenu = new Promise((r) => { relacher = r; });
	const vu = new Promise((r) => { tenu = r; });
	const couper = async (route) => {
		if (n++ === 0) return route.abort('internetdisconnected');
		tenu();
		await retenu;
		await route.continue();
	};
	await p.route('**/api/client/payer', couper);
	await p.click('.boisson[data-quantite="2"]');
	await vu;
	await p.locator('#reseau').getByText('nouvel essai').waitFor();
	vues.envoi = await position();
	relacher();
	await p.getByText(/2 consos.*: fait/).waitFor();
	await p.unroute('**/api/client/payer', couper);
	egal(vues, { resultat: avant, refus: avant, envoi: avant }, 'la place du bouton « 1 conso » (px)');
});

test('un paiement en cours se voit, et un tap pendant ce temps ne débite rien et le dit', async ({ p, pile }) => {
	await ouvrir(p, 'PLACE1');
	const envois = espionner(p, 'client/payer');
	const paiements = () => pile.db("SELECT count(*) n FROM transactions t JOIN clients c ON c.id=t.client_id WHERE c.card='PLACE1' AND type=3")[0].n;
	const avant = paiements();
	let relacher;
	const retenu = new Promise((r) => { relacher = r; });
	const tenir = async (route) => { await retenu; await route.continue(); };
	await p.route('**/api/client/payer', tenir);
	let vue;
	try {
		await p.click('.boisson[data-quantite="1"]');
		await p.waitForSelector('.fiche[aria-busy="true"] .boisson[data-quantite="1"].envoi');
		// Seen, not only marked: the button sent pulses (outlined, with
		// reduced motion) and the others are dimmed.
		vue = await p.evaluate(() => {
			const envoi = getComputedStyle(document.querySelector('.boisson.envoi'));
			const autre = getComputedStyle(document.querySelector('.boisson[data-quantite="2"]'));
			return { envoi: envoi.animationName === 'envoi' || envoi.outlineStyle === 'dashed', autres: Number(autre.opacity) < 1 };
		});
		await p.locator('.bande').getByText('Paiement de 1 conso (1,50 €) : envoi…').waitFor();
		await capture(p, 'caisse-envoi');
		await p.click('.boisson[data-quantite="2"]');
		await p.locator('.bande').getByText('ce tap n’a rien débité').waitFor();
	} finally {
		relacher(); // even when this test fails: the tests after it pay on this till
	}
	await p.locator('.bande').getByText('Un tap fait pendant l’envoi n’a rien débité').waitFor();
	await p.unroute('**/api/client/payer', tenir);
	egal(vue, { envoi: true, autres: true }, 'le bouton envoyé se distingue, les autres sont estompés');
	egal(envois.length, 1, 'un seul envoi');
	egal(paiements(), avant + 1, 'un seul paiement en base');
	egal(await p.locator('.fiche[aria-busy]').count(), 0, 'plus rien en cours');
});

test('carte inconnue : le curseur est sur le montant, une touche Entrée égarée et un double tap n’ouvrent qu’un compte', async ({ p, pile }) => {
	await lire(p, 'DOUBLE1');
	await p.getByText('aucun compte').waitFor();
	await p.waitForFunction(() => document.activeElement?.id === 'solde-initial');
	await p.keyboard.press('Enter');
	await p.getByText('Montant invalide').waitFor();
	const envois = espionner(p, 'client/ajouter');
	await p.getByRole('button', { name: 'Ouvrir avec 5,00 €' }).click({ clickCount: 2 });
	await attendreSolde(p, '5,00 €');
	await p.getByText('Compte ouvert sur DOUBLE1').waitFor();
	egal(envois.length, 1, 'une seule demande d’ouverture');
	egal(solde(pile, 'DOUBLE1'), 500, 'en base');
});

test('carte inconnue : un « Ouvrir » tapé pendant l’envoi d’un autre n’envoie rien et le dit', async ({ p, pile }) => {
	await ouvrir(p, 'DOUBLE2');
	await p.getByText('aucun compte').waitFor();
	const envois = espionner(p, 'client/ajouter');
	let relacher;
	const retenu = new Promise((r) => { relacher = r; });
	const tenir = async (route) => { await retenu; await route.continue(); };
	await p.route('**/api/client/ajouter', tenir);
	try {
		const t = await p.evaluate(() => performance.now());
		await p.getByRole('button', { name: 'Ouvrir avec 5,00 €' }).click();
		await p.locator('.bande').getByText('Ouverture avec 5,00 € : envoi…').waitFor();
		// Past the till's bounce guard (400 ms): only the opening in flight
		// holds this tap back.
		await p.waitForFunction((t) => performance.now() - t > 500, t);
		await p.getByRole('button', { name: 'Ouvrir avec 10,00 €' }).click();
		await p.locator('.bande').getByText('Attendez la réponse').waitFor();
	} finally {
		relacher();
	}
	await p.getByText('Compte ouvert sur DOUBLE2').waitFor();
	await p.unroute('**/api/client/ajouter', tenir);
	egal(envois.length, 1, 'une seule demande d’ouverture');
	egal(solde(pile, 'DOUBLE2'), 500, 'ouvert avec 5,00 €');
});

test('carte inconnue : ouvrir un compte', async ({ p, pile }) => {
	await lire(p, '04:a2:b3:c4');
	await p.getByText('aucun compte').waitFor();
	await capture(p, 'caisse-carte-inconnue');
	await p.getByRole('button', { name: 'Ouvrir avec 10,00 €' }).click();
	await attendreSolde(p, '10,00 €');
	egal(solde(pile, '04a2b3c4'), 1000, 'compte ouvert sur l’identifiant sans deux-points');
});

test('vider la carte demande une confirmation', async ({ p, pile }) => {
	await p.getByRole('button', { name: 'Vider la carte' }).click();
	egal(solde(pile, '04a2b3c4'), 1000, 'le premier tap ne vide rien');
	await p.getByRole('button', { name: /Confirmer : rendre 10,00/ }).click();
	await attendreSolde(p, '0,00 €');
	egal(solde(pile, '04a2b3c4'), 0, 'vidée');
	await p.getByRole('button', { name: 'Vider la carte' }).click();
	await p.getByRole('button', { name: /Confirmer/ }).click();
	await p.getByText('Le solde doit être positif').waitFor();
});

test('droit 2 : annuler puis refaire sa dernière opération pendant le compte à rebours', async ({ nav, pile }) => {
	const b = await page(nav, 'telephone');
	await connecter(b, pile, BARMAN);
	await lire(b, 'AHS0DIEX');
	await attendreSolde(b, '30,00 €');
	await b.click('.boisson[data-quantite="1"]');
	await attendreSolde(b, '28,50 €');
	const premiere = b.locator('.ops li').first();
	const compte = await premiere.locator('.compte').innerText();
	affirmer(/^\s*[12]:\d\d$/.test(compte), 'compte à rebours affiché : ' + compte);
	await b.waitForFunction((avant) => document.querySelector('.ops li .compte')?.textContent !== avant, compte);
	await capture(b, 'caisse-annulation');
	await premiere.getByRole('button', { name: /Annuler/ }).click();
	await attendreSolde(b, '30,00 €');
	egal(pile.db('SELECT valid FROM transactions ORDER BY id DESC LIMIT 1')[0].valid, 0, 'annulée en base');
	await premiere.getByRole('button', { name: /Refaire/ }).click();
	await attendreSolde(b, '28,50 €');
	egal(pile.db('SELECT valid FROM transactions ORDER BY id DESC LIMIT 1')[0].valid, 1, 'rétablie en base');
	egal(solde(pile, 'AHS0DIEX'), 2850, 'solde en base');
	egal(b.erreurs, [], 'aucune erreur dans la page');
	await b.context().close();
});

test('le compte à rebours ne prend pas le focus d’« Annuler » : Entrée l’annule secondes après', async ({ nav, pile }) => {
	const b = await page(nav, 'telephone');
	await connecter(b, pile, BARMAN);
	await lire(b, 'AHS0DIEX');
	await attendreSolde(b, '28,50 €');
	await b.click('.boisson[data-quantite="1"]');
	await attendreSolde(b, '27,00 €');
	const bouton = b.locator('.ops li').first().getByRole('button', { name: /Annuler/ });
	await bouton.focus();
	await b.evaluate(() => { window.annulerVu = document.activeElement; });
	const compte = await bouton.locator('.compte').innerText();
	await b.waitForFunction((avant) => document.querySelector('.ops li .compte')?.textContent !== avant, compte);
	await b.waitForFunction((avant) => document.querySelector('.ops li .compte')?.textContent !== avant, await bouton.locator('.compte').innerText());
	egal(await b.evaluate(() => document.activeElement === window.annulerVu && window.annulerVu.isConnected), true,
		'le même bouton garde le focus après deux secondes de compte à rebours');
	await b.keyboard.press('Enter');
	await attendreSolde(b, '28,50 €');
	egal(solde(pile, 'AHS0DIEX'), 2850, 'annulé en base');
	await b.context().close();
});

test('carte illisible : refus avant tout appel', async ({ p }) => {
	await lire(p, 'carte*invalide');
	await p.getByText('Numéro de carte illisible').waitFor();
});

test('un double tap (rebond) ne débite qu’une fois', async ({ p, pile }) => {
	await lire(p, 'AHS0DIEX');
	await attendreSolde(p, '28,50 €');
	const avant = pile.db('SELECT count(*) n FROM transactions')[0].n;
	await p.click('.boisson[data-quantite="1"]', { clickCount: 2 });
	await attendreSolde(p, '27,00 €');
	await p.click('#carte'); // a later action, to be sure nothing else is in flight
	egal(pile.db('SELECT count(*) n FROM transactions')[0].n, avant + 1, 'une seule transaction');
});

test('au clavier seul : connexion, carte, boisson, rechargement, ouverture, annulation', async ({ nav, pile }) => {
	const k = await page(nav, 'portable');
	await k.goto(pile.url);
	await k.waitForSelector('body[data-ecran="connexion"]');
	await k.keyboard.type('prez');
	await k.keyboard.press('Tab');
	await k.keyboard.type('prez-secret-1');
	await k.keyboard.press('Enter');
	await k.waitForSelector('body[data-ecran="caisse"]');
	await k.waitForFunction(() => document.activeElement?.id === 'carte');
	await k.keyboard.type('CLAVIER1');
	await k.keyboard.press('Enter');
	await k.getByText('aucun compte').waitFor();
	await k.keyboard.type('5'); // focus is on the amount
	await k.keyboard.press('Enter');
	await attendreSolde(k, '5,00 €');
	await k.waitForFunction(() => document.activeElement?.classList.contains('boisson'));
	await k.keyboard.press('Enter'); // 1 conso
	await attendreSolde(k, '3,50 €');
	const tabJusqua = async (nom) => {
		for (let i = 0; i < 40; i++) {
			await k.keyboard.press('Tab');
			if ((await k.evaluate(() => document.activeElement?.textContent.trim())).startsWith(nom)) return;
		}
		throw new Error('pas atteint au clavier : ' + nom);
	};
	await tabJusqua('+5 €');
	await k.keyboard.press('Enter');
	await attendreSolde(k, '8,50 €');
	await tabJusqua('Annuler');
	await k.keyboard.press('Enter');
	await attendreSolde(k, '3,50 €');
	await k.keyboard.press('Escape');
	await k.waitForFunction(() => document.activeElement?.id === 'carte');
	// A USB reader typing while focus is on a button still lands in the card field.
	await k.evaluate(() => document.querySelector('.boisson, button')?.focus());
	await k.keyboard.type('AHS0DIEX');
	await k.keyboard.press('Enter');
	await attendreSolde(k, '27,00 €');
	egal(solde(pile, 'CLAVIER1'), 350, 'solde en base');
	egal(k.erreurs, [], 'aucune erreur dans la page');
	await k.context().close();
});

test('mesure : du tap sur une boisson au nouveau solde affiché (50 taps)', async ({ p, pile }) => {
	await lire(p, 'MESURE1');
	await attendreSolde(p, '500,00 €');
	const temps = [];
	for (let i = 0; i < 50; i++) {
		const q = i % 2 ? 2 : 1; // two buttons in turn: a same-button repeat within 400 ms counts as a bounce
		await p.evaluate((q) => {
			window.__t1 = null;
			const el = document.querySelector('#solde'), avant = el.textContent;
			document.querySelector(`.boisson[data-quantite="${q}"]`).addEventListener('pointerdown', () => { window.__t0 = performance.now(); }, { once: true });
			const obs = new MutationObserver(() => {
				if (el.textContent === avant) return;
				obs.disconnect();
				requestAnimationFrame(() => { window.__t1 = performance.now(); });
			});
			obs.observe(el, { childList: true, characterData: true, subtree: true });
		}, q);
		await p.click(`.boisson[data-quantite="${q}"]`);
		await p.waitForFunction(() => window.__t1 !== null);
		// The live feed may show the new balance before the till has its own
		// answer; a tap before that answer would rightly debit nothing.
		await p.waitForSelector('.fiche:not([aria-busy])');
		temps.push(await p.evaluate(() => window.__t1 - window.__t0));
	}
	temps.sort((a, b) => a - b);
	const p50 = temps[24], p90 = temps[44];
	diag(`tap → solde affiché : p50 ${p50.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${temps[49].toFixed(1)} ms (objectif p50 ≤ 50 ms)`);
	// A measure reported, not a timed test: a busy machine is slower, not wrong.
	egal(solde(pile, 'MESURE1'), 50000 - 25 * 150 - 25 * 280, '50 paiements exacts en base');
});

lancer(async () => {
	const pile = await demarrer();
	const J = await jetonPrez(pile);
	for (const [q, x] of PRIX) await pile.api('prix/modifier', { jeton: J, quantite: q, prix: x });
	await pile.api('utilisateur/ajouter', { jeton: J, ...BARMAN, droit: 2 });
	await pile.api('client/ajouter', { jeton: J, idCarte: 'AHS0DIEX', solde: '20' });
	await pile.api('client/ajouter', { jeton: J, idCarte: 'PAUVRE1', solde: '1' });
	await pile.api('client/ajouter', { jeton: J, idCarte: 'MESURE1', solde: '500' });
	await pile.api('client/ajouter', { jeton: J, idCarte: 'PLACE1', solde: '50' });
	const nav = await navigateur();
	const p = await page(nav, 'telephone');
	await connecter(p, pile);
	return { pile, nav, p };
}, fermer);
