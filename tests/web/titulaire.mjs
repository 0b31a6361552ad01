// A lost card, from the bar's side (doc/cards.md): blocking and unblocking
// from the card's fiche (one confirmation for blocking), the blocked card
// shown in red on its fiche, in the list and at the till, whose refusal says
// « Carte bloquée »; replacing a card from its fiche and from the clients'
// list, the confirmation saying what moves, and each refusal said of its
// card; a former card's fiche naming its replacement; a holder code shown
// once on a slip whose QR code zbarimg reads back from a screenshot, and its
// print rendering (the slip alone); the holder page's address written onto
// the card by Web NFC where the browser has it (a fake NDEFReader here), the
// button absent where it has not. The database is checked after each action.
import { execFileSync } from 'node:child_process';
import { test, lancer, demarrer, navigateur, page, connecter, jetonPrez, affirmer, egal, capture, PREZ, fermer, accessibilite, solde } from './lib.mjs';

const J = {};
const BDE = { login: 'bde1', mdp: 'bde1-secret-1' };
const BAR = { login: 'bar1', mdp: 'bar1-secret-1', carte: 'CAFE0042' };

const client = (pile, carte) => pile.db(`SELECT id, card, balance, overdraft, blocked, code_hash IS NOT NULL AS code FROM clients WHERE card='${carte}'`)[0];
// The client events journaled for an account, as their details say `cle` (creation's have none).
const journal = (pile, id, cle) => pile.db(`SELECT detail FROM journal WHERE client_id=${id} AND event='client' ORDER BY id`)
	.map((r) => JSON.parse(r.detail ?? '{}')?.[cle]).filter((v) => v !== undefined);
const ouvrir = (pile, carte, euros) => pile.api('client/ajouter', { jeton: J.prez, idCarte: carte, solde: euros });

// The fiche of `carte` open at `taille` for `qui`, its balance on screen.
async function fiche(nav, pile, qui, carte, taille = 'telephone') {
	const p = await page(nav, taille);
	await connecter(p, pile, qui, 'clients/' + carte);
	await p.waitForSelector('.solde');
	return p;
}

test('bloquer depuis la fiche (droit 2) : deux touches, bloquée en base, au journal, dite sur la fiche', async ({ nav, pile }) => {
	await ouvrir(pile, 'PERDUE01', '12.30');
	const p = await fiche(nav, pile, BAR, 'PERDUE01');
	const b = p.getByRole('button', { name: 'Bloquer la carte' });
	await b.click();
	await p.getByRole('button', { name: 'Confirmer ?' }).waitFor();
	egal(client(pile, 'PERDUE01').blocked, 0, 'une touche ne bloque pas');
	await p.getByRole('button', { name: 'Confirmer ?' }).click();
	await p.getByText('Carte bloquée : plus aucun paiement ni rechargement.').waitFor();
	await p.getByText('Carte bloquée : elle ne paie ni ne se recharge plus.').waitFor();
	await p.locator('h1 .badge.bloquee').waitFor();
	const c = client(pile, 'PERDUE01');
	egal([c.blocked, c.balance], [1, 1230], 'bloquée, solde intact');
	egal(journal(pile, c.id, 'bloquee'), [true], 'le blocage au journal');
	await p.getByRole('button', { name: 'Débloquer' }).waitFor();
	await capture(p, 'fiche-bloquee');
	await p.setViewportSize({ width: 1366, height: 768 });
	await capture(p, 'fiche-bloquee');
	await p.context().close();
});

test('débloquer : une touche, débloquée en base et au journal', async ({ nav, pile }) => {
	await ouvrir(pile, 'RETROUVE1', '5');
	await pile.api('client/bloquer', { jeton: J.prez, idCarte: 'RETROUVE1' });
	const p = await fiche(nav, pile, BAR, 'RETROUVE1');
	await p.getByText('Carte bloquée : elle ne paie ni ne se recharge plus.').waitFor();
	await p.getByRole('button', { name: 'Débloquer' }).click();
	await p.getByText('Carte débloquée : elle paie et se recharge de nouveau.').waitFor();
	await p.getByRole('button', { name: 'Bloquer la carte' }).waitFor();
	const c = client(pile, 'RETROUVE1');
	egal(c.blocked, 0, 'débloquée en base');
	egal(journal(pile, c.id, 'bloquee'), [true, false], 'blocage puis déblocage au journal');
	affirmer(await p.locator('h1 .badge').count() === 0, 'plus de badge « bloquée »');
	await p.context().close();
});

test('la liste des clients dit « bloquée » en face de la carte', async ({ nav, pile }) => {
	await ouvrir(pile, 'LISTEBLOQ', '3');
	await pile.api('client/bloquer', { jeton: J.prez, idCarte: 'LISTEBLOQ' });
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BAR, 'clients');
	await p.fill('#recherche', 'LISTEBLOQ');
	const r = p.locator('.rangee', { hasText: 'LISTEBLOQ' });
	await r.locator('.aide', { hasText: 'bloquée' }).waitFor();
	affirmer(await r.evaluate((e) => e.classList.contains('bloquee')), 'la rangée est marquée');
	await p.context().close();
});

test('caisse : une carte bloquée se dit « Carte bloquée : … » à la lecture et au paiement refusé, rien débité', async ({ nav, pile }) => {
	await ouvrir(pile, 'CAISSEBLQ', '10');
	await pile.api('client/bloquer', { jeton: J.prez, idCarte: 'CAISSEBLQ' });
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BAR);
	await p.fill('#carte', 'CAISSEBLQ');
	await p.press('#carte', 'Enter');
	await p.locator('.fiche .badge.bloquee', { hasText: 'carte bloquée' }).waitFor();
	await p.locator('.bande .erreur', { hasText: 'Carte bloquée : elle ne paie ni ne se recharge plus' }).waitFor();
	await capture(p, 'caisse-carte-bloquee');
	await p.fill('#montant-payer', '2');
	await p.press('#montant-payer', 'Enter');
	await p.locator('.bande .erreur', { hasText: 'refusé. Carte bloquée' }).waitFor();
	egal(solde(pile, 'CAISSEBLQ'), 1000, 'rien débité');
	await p.context().close();
});

test('caisse : une ancienne carte dit par quelle carte elle a été remplacée', async ({ nav, pile }) => {
	await ouvrir(pile, 'CAISSEANC', '4');
	await pile.api('client/remplacer', { jeton: J.prez, idCarte: 'CAISSEANC', nouvelleCarte: 'CAISSENEU' });
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BAR);
	await p.fill('#carte', 'CAISSEANC');
	await p.press('#carte', 'Enter');
	await p.locator('.bande .erreur', { hasText: 'Carte bloquée : elle a été remplacée par la carte CAISSENEU.' }).waitFor();
	await p.context().close();
});

test('remplacer depuis la fiche (droit 3) : la confirmation dit le solde et le découvert, puis la fiche de la nouvelle carte', async ({ nav, pile }) => {
	await ouvrir(pile, 'VIEILLE01', '23.45');
	await pile.api('client/decouvert', { jeton: J.prez, idCarte: 'VIEILLE01', decouvert: 'oui' });
	await pile.api('client/payer', { jeton: J.prez, idCarte: 'VIEILLE01', montant: '1.15' });
	const avant = client(pile, 'VIEILLE01');
	const p = await fiche(nav, pile, PREZ, 'VIEILLE01', 'portable');
	const bloc = p.locator('section', { has: p.getByRole('heading', { name: 'Remplacer la carte' }) });
	await bloc.getByLabel('Nouvelle carte').fill('NEUVE001');
	await bloc.getByRole('button', { name: 'Remplacer…' }).click();
	await bloc.getByText('Le compte de la carte VIEILLE01 passe sur la carte NEUVE001 : 22,30 € (découvert autorisé), l’historique et le code titulaire. La carte VIEILLE01 restera bloquée pour toujours.').waitFor();
	egal(client(pile, 'NEUVE001'), undefined, 'rien de fait avant la confirmation');
	await capture(p, 'remplacer-confirmation');
	await bloc.getByRole('button', { name: 'Confirmer le remplacement' }).click();
	await p.getByRole('heading', { name: 'Carte NEUVE001' }).waitFor();
	await p.locator('.solde', { hasText: '22,30 €' }).waitFor();
	const apres = client(pile, 'NEUVE001');
	egal([apres.id, apres.balance, apres.overdraft, apres.blocked], [avant.id, 2230, 1, 0], 'le même compte, au centime, découvert compris');
	egal(pile.db("SELECT client_id FROM former_cards WHERE card='VIEILLE01'"), [{ client_id: avant.id }], 'l’ancienne carte gardée');
	egal(pile.db(`SELECT count(*) AS n FROM transactions WHERE client_id=${avant.id}`)[0].n, 2, 'l’historique suit, sans ligne de plus');
	egal(journal(pile, avant.id, 'nouvelleCarte'), ['NEUVE001'], 'le remplacement au journal');
	await p.context().close();
});

test('remplacer depuis la liste (droit 2) : ancienne puis nouvelle carte tapées, la confirmation dit le solde', async ({ nav, pile }) => {
	await ouvrir(pile, 'LISTEVIEI', '7.5');
	const id = client(pile, 'LISTEVIEI').id;
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BAR, 'clients');
	const bloc = p.locator('section', { has: p.getByRole('heading', { name: 'Remplacer une carte perdue' }) });
	await bloc.getByLabel('Ancienne carte (perdue)').fill('LISTEVIEI');
	await bloc.getByLabel('Ancienne carte (perdue)').press('Enter');
	egal(await bloc.getByLabel('Nouvelle carte').evaluate((e) => e === document.activeElement), true, 'Entrée passe à la nouvelle carte');
	await p.keyboard.type('LISTENEUV');
	await p.keyboard.press('Enter');
	await bloc.getByText('Le compte de la carte LISTEVIEI passe sur la carte LISTENEUV : 7,50 € (son découvert s’il en a un)').waitFor();
	await capture(p, 'remplacer-liste');
	await bloc.getByRole('button', { name: 'Confirmer le remplacement' }).click();
	await p.getByRole('heading', { name: 'Carte LISTENEUV' }).waitFor();
	egal([client(pile, 'LISTENEUV').id, client(pile, 'LISTENEUV').balance], [id, 750], 'le compte sur la nouvelle carte, au centime');
	egal(client(pile, 'LISTEVIEI'), undefined, 'plus de compte sur l’ancienne');
	await p.context().close();
});

// One refusal, said of its card: before the confirmation (the old card's
// fiche, or the page itself), or by client/remplacer once confirmed.
async function refus(nav, pile, ancienne, nouvelle, texte, confirme) {
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BAR, 'clients');
	const bloc = p.locator('section', { has: p.getByRole('heading', { name: 'Remplacer une carte perdue' }) });
	await bloc.getByLabel('Ancienne carte (perdue)').fill(ancienne);
	await bloc.getByLabel('Nouvelle carte').fill(nouvelle);
	await bloc.getByRole('button', { name: 'Remplacer…' }).click();
	if (confirme) await bloc.getByRole('button', { name: 'Confirmer le remplacement' }).click();
	await bloc.locator('.etat .erreur', { hasText: texte }).waitFor();
	await p.context().close();
}

test('remplacer vers une carte qui a déjà un compte : refusé, dit, rien ne bouge', async ({ nav, pile }) => {
	await ouvrir(pile, 'REFA1', '5');
	await ouvrir(pile, 'REFA2', '6');
	await refus(nav, pile, 'REFA1', 'REFA2', 'La carte REFA2 a déjà un compte : prenez une carte neuve.', true);
	egal([solde(pile, 'REFA1'), solde(pile, 'REFA2')], [500, 600], 'les deux comptes intacts');
	egal(pile.db("SELECT count(*) AS n FROM former_cards WHERE card='REFA1'")[0].n, 0, 'aucune ancienne carte');
});

test('remplacer une carte sans compte : refusé, dit', async ({ nav, pile }) => {
	await refus(nav, pile, 'SANSCOMPTE', 'REFB2', 'Aucun compte sur la carte SANSCOMPTE : rien à déplacer.', false);
	egal(client(pile, 'REFB2'), undefined, 'aucun compte ouvert');
});

test('remplacer vers la carte d’un membre du bar : refusé au moment de confirmer, dit', async ({ nav, pile }) => {
	await ouvrir(pile, 'REFC1', '5');
	await refus(nav, pile, 'REFC1', BAR.carte, `La carte ${BAR.carte} est celle d’un membre du bar : prenez une carte neuve.`, true);
	egal(client(pile, 'REFC1').balance, 500, 'le compte reste sur sa carte');
});

test('remplacer une carte par elle-même : dit avant tout envoi', async ({ nav, pile }) => {
	await ouvrir(pile, 'REFD1', '5');
	await refus(nav, pile, 'REFD1', 'REFD1', 'La nouvelle carte est l’ancienne', false);
	egal(pile.db("SELECT count(*) AS n FROM former_cards WHERE card='REFD1'")[0].n, 0, 'rien fait');
});

test('la fiche d’une ancienne carte dit la carte qui l’a remplacée, avec un lien', async ({ nav, pile }) => {
	await ouvrir(pile, 'ANCIENNE1', '9');
	await pile.api('client/remplacer', { jeton: J.prez, idCarte: 'ANCIENNE1', nouvelleCarte: 'SUIVANTE1' });
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BAR, 'clients/ANCIENNE1');
	await p.getByText('Ancienne carte, bloquée pour toujours : son compte est passé sur la carte SUIVANTE1.').waitFor();
	egal(await p.getByRole('button', { name: /Bloquer la carte|Remplacer…|Nouveau code titulaire/ }).count(), 0,
		'ni blocage, ni remplacement, ni code sur une ancienne carte');
	await capture(p, 'fiche-ancienne-carte');
	await p.getByRole('link', { name: 'SUIVANTE1' }).click();
	await p.getByRole('heading', { name: 'Carte SUIVANTE1' }).waitFor();
	await p.locator('.solde', { hasText: '9,00 €' }).waitFor();
	await p.context().close();
});

// The slip's QR code, cut from a screenshot of the page, read by zbarimg.
async function lireQr(p) {
	const f = await capture(p, 'ticket-qr');
	await p.locator('.ticket svg').screenshot({ path: f });
	return execFileSync('zbarimg', ['--raw', '-q', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\n$/, '');
}

for (const [qui, droit] of [[BAR, 2], [PREZ, 3]]) {
	test(`code titulaire (droit ${droit}) : montré une fois, groupé par quatre, il ouvre moi/ ; le QR du ticket mène à la page du titulaire`, async ({ nav, pile }) => {
		const carte = 'TITUL' + droit;
		await ouvrir(pile, carte, '15');
		const p = await fiche(nav, pile, qui, carte, droit === 3 ? 'portable' : 'telephone');
		egal(await p.getByRole('button', { name: /NFC/ }).count(), 0, 'sans Web NFC, aucun bouton NFC');
		await p.getByRole('button', { name: 'Nouveau code titulaire' }).click();
		await p.getByRole('button', { name: 'Confirmer ?' }).click();
		const code = await p.locator('#code-titulaire').innerText();
		affirmer(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/.test(code), 'code groupé par quatre : ' + code);
		egal(client(pile, carte).code, 1, 'le code en base (son empreinte)');
		const m = await pile.api('moi/connexion', { idCarte: carte, code });
		egal(m.status, 'ok', 'le code affiché ouvre la page du titulaire');
		await p.locator('.ticket', { hasText: new URL(pile.url).hostname }).waitFor();
		egal(await lireQr(p), new URL('moi/?carte=' + carte, pile.url).href, 'le QR code relu par zbarimg');
		egal(await accessibilite(p), [], 'axe : aucune violation grave');
		await capture(p, `ticket-droit-${droit}`);
		await p.context().close();
	});
}

test('code titulaire dont la réponse se perd : le nouvel essai le dit, sans ticket vide', async ({ nav, pile }) => {
	await ouvrir(pile, 'PERTE001', '15');
	const p = await fiche(nav, pile, BAR, 'PERTE001');
	let envois = 0;
	// The first request reaches the server, its answer never the page: api.js
	// sends it again with the same idRequete, answered without the secret.
	await p.route('**/api/client/code', async (r) => {
		if (envois++ === 0) { await r.fetch(); return r.abort('connectionreset'); }
		return r.continue();
	});
	await p.getByRole('button', { name: 'Nouveau code titulaire' }).click();
	await p.getByRole('button', { name: 'Confirmer ?' }).click();
	await p.getByText('Code fait, mais sa réponse s’est perdue en route : faites-en un nouveau.').waitFor();
	egal(envois, 2, 'envoyée deux fois');
	egal(client(pile, 'PERTE001').code, 1, 'le code fait en base');
	egal(await p.locator('.ticket').count(), 0, 'aucun ticket sans code');
	await p.context().close();
});

test('ticket imprimé : le ticket seul, noir sur blanc, dans la largeur d’un ticket de caisse', async ({ nav, pile }) => {
	await ouvrir(pile, 'IMPRIME1', '15');
	const p = await fiche(nav, pile, BAR, 'IMPRIME1', 'portable');
	await p.getByRole('button', { name: 'Nouveau code titulaire' }).click();
	await p.getByRole('button', { name: 'Confirmer ?' }).click();
	await p.locator('.ticket').waitFor();
	await p.emulateMedia({ media: 'print' });
	const vu = await p.evaluate(() => {
		const visible = (e) => e.getClientRects().length > 0;
		const t = document.querySelector('.ticket'), s = getComputedStyle(t);
		return {
			autres: [...document.querySelectorAll('header, h1, table, .bloc h2, button')].filter(visible).map((e) => e.tagName + ' ' + e.textContent.slice(0, 30)),
			ticket: visible(t), couleurs: [s.color, s.backgroundColor], largeur: t.getBoundingClientRect().width,
		};
	});
	egal(vu.autres, [], 'rien d’autre que le ticket à l’impression');
	affirmer(vu.ticket, 'le ticket est imprimé');
	egal(vu.couleurs, ['rgb(0, 0, 0)', 'rgb(255, 255, 255)'], 'noir sur blanc');
	affirmer(vu.largeur <= 72 * 96 / 25.4 + 1, `ticket de ${vu.largeur} px, plus de 72 mm`);
	await capture(p, 'ticket-impression');
	const pdf = await p.pdf({ preferCSSPageSize: true });
	egal((pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length, 1, 'une seule page');
	await p.context().close();
});

// A Web NFC stand-in: each write is kept ({message, options}); with
// window.cartePleine set, a write that may not overwrite fails as a card
// holding data does.
const FAUX_NFC = () => {
	window.ecritures = [];
	window.NDEFReader = class {
		async scan() {}
		addEventListener() {}
		async write(message, options) {
			window.ecritures.push({ message, options });
			if (window.cartePleine && options?.overwrite === false) throw new DOMException('déjà des données', 'NotAllowedError');
		}
	};
};

test('Web NFC : l’adresse de la page du titulaire écrite sur la carte, en un enregistrement URL, sans écraser', async ({ nav, pile }) => {
	await ouvrir(pile, 'NFC00001', '2');
	const p = await page(nav, 'telephone');
	await p.addInitScript(FAUX_NFC);
	await connecter(p, pile, BAR, 'clients/NFC00001');
	await p.getByRole('button', { name: 'Écrire l’adresse sur la carte (NFC)' }).click();
	await p.getByText('Adresse écrite : un téléphone posé sur la carte ouvre la page du titulaire.').waitFor();
	egal(await p.evaluate(() => window.ecritures), [{ message: { records: [{ recordType: 'url', data: new URL('moi/?carte=NFC00001', pile.url).href }] },
		options: { overwrite: false } }], 'un enregistrement URL, sans écraser');
	await p.context().close();
});

test('Web NFC : une carte qui porte déjà des données n’est écrasée qu’après confirmation', async ({ nav, pile }) => {
	await ouvrir(pile, 'NFC00002', '2');
	const p = await page(nav, 'telephone');
	await p.addInitScript(FAUX_NFC);
	await p.addInitScript(() => { window.cartePleine = true; });
	await connecter(p, pile, BAR, 'clients/NFC00002');
	await p.getByRole('button', { name: 'Écrire l’adresse sur la carte (NFC)' }).click();
	await p.getByText('La carte contient déjà des données').waitFor();
	egal(await p.evaluate(() => window.ecritures.map((e) => e.options.overwrite)), [false], 'un essai sans écraser');
	await p.getByRole('button', { name: 'Remplacer ce qu’elle contient' }).click();
	await p.getByRole('button', { name: 'Confirmer ?' }).click();
	await p.getByText('Adresse écrite').waitFor();
	egal(await p.evaluate(() => window.ecritures.map((e) => e.options.overwrite)), [false, true], 'écrasée après confirmation');
	await p.context().close();
});

test('droit 1 : ni la fiche ni la caisse n’offrent de bloquer, remplacer ou donner un code', async ({ nav, pile }) => {
	await ouvrir(pile, 'DROIT1A', '5');
	const p = await page(nav, 'telephone');
	await connecter(p, pile, BDE, 'clients/DROIT1A');
	await p.getByText('réservé au droit 2').waitFor();
	await p.goto(pile.url + '#/caisse');
	await p.fill('#carte', 'DROIT1A');
	await p.press('#carte', 'Enter');
	await p.getByText('a déjà un compte').waitFor();
	egal(await p.getByRole('button', { name: /Bloquer|Remplacer|code titulaire/ }).count(), 0, 'aucun de ces boutons');
	await p.context().close();
});

lancer(async () => {
	const pile = await demarrer();
	J.prez = await jetonPrez(pile);
	await pile.api('utilisateur/ajouter', { jeton: J.prez, login: BAR.login, mdp: BAR.mdp, idCarte: BAR.carte, droit: 2 });
	await pile.api('utilisateur/ajouter', { jeton: J.prez, ...BDE, droit: 1 });
	const nav = await navigateur();
	return { pile, nav };
}, fermer);
