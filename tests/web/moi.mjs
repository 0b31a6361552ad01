// The card holders' page (moi/): a holder logs in with the card and the code
// of the slip the bar printed (client/code), sees the balance and the
// history as the ledger has them, page after page and without the staff's
// names, blocks a lost card after one confirmation (then the till refuses
// it), and is sent back to the form, plainly told why, when a code is wrong,
// when guesses are held back, and when the session lapses.
import { test, lancer, demarrer, navigateur, page, jetonPrez, affirmer, egal, capture, accessibilite } from './lib.mjs';

const BARMAN = { login: 'bar1', mdp: 'bar1-secret-1' };
const EUR = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const texte = (s) => s.replace(/\s+/g, ' ').trim();
const euros = (cents) => texte(EUR.format(cents / 100));
const codes = {};

// The card's history as the ledger holds it, newest first: [id, signed
// cents], and the balance it adds up to (valid rows only).
function grandLivre(pile, carte) {
	const rows = pile.db(`SELECT t.id, CASE WHEN t.type IN (3, 4) THEN -t.amount ELSE t.amount END AS effet, t.valid
		FROM transactions t JOIN clients c ON c.id = t.client_id WHERE c.card = '${carte}' ORDER BY t.id DESC`);
	return { rows, solde: rows.reduce((s, r) => s + (r.valid ? r.effet : 0), 0) };
}

// Opens the page from the slip's QR code (?carte=) and types the code where
// the focus is, then Enter: the keyboard alone.
async function entrer(p, pile, carte, code = codes[carte]) {
	await p.goto(`${pile.url}moi/?carte=${carte}`);
	await p.waitForFunction(() => document.activeElement?.name === 'code');
	await p.keyboard.type(code);
	await p.keyboard.press('Enter');
}
const etat = (p) => p.locator('.etat p').innerText().then(texte);

test('le code du ticket ouvre la carte : solde et opérations comme au grand livre, sans nom du bar', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	await entrer(p, pile, 'TITU1', codes.TITU1.toLowerCase().replace(/-/g, ' '));
	await p.waitForSelector('#solde');
	const gl = grandLivre(pile, 'TITU1');
	egal(gl.solde, pile.db("SELECT balance FROM clients WHERE card = 'TITU1'")[0].balance, 'le grand livre donne le solde en base');
	egal(texte(await p.textContent('#solde')), euros(gl.solde), 'le solde affiché');
	const lignes = await p.$$eval('.ops li', (lis) => lis.map((li) => [Number(li.dataset.id),
		li.querySelector('.montant').textContent.replace(/\s+/g, ' ').trim()]));
	egal(lignes, gl.rows.map((r) => [r.id, (r.effet > 0 ? '+' : '') + euros(r.effet)]), 'les opérations, des plus récentes aux plus anciennes');
	affirmer(!(await p.textContent('body')).includes(BARMAN.login), 'aucun nom du bar sur la page');
	await capture(p, 'moi-carte');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

test('?carte= : le numéro est prérempli et le curseur attend le code', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	const rep = await p.goto(`${pile.url}moi/?carte=TITU1`);
	affirmer(/^default-src 'self'/.test(rep.headers()['content-security-policy'] ?? ''), 'la page a la politique de l’app');
	await p.waitForFunction(() => document.activeElement?.name === 'code');
	egal(await p.getByLabel('Numéro de la carte').inputValue(), 'TITU1', 'le numéro de la carte');
	await capture(p, 'moi-connexion');
	await p.context().close();
});

test('pages : « Opérations plus anciennes » amène la suite jusqu’à la première, chacune une fois', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	await entrer(p, pile, 'TITU2');
	const plus = p.getByRole('button', { name: 'Opérations plus anciennes' });
	await p.waitForSelector('.ops li');
	egal(await p.locator('.ops li').count(), 20, 'une première page de 20');
	for (let n = 40; n <= 60; n += 20) {
		await plus.click();
		await p.waitForFunction((n) => document.querySelectorAll('.ops li').length >= Math.min(n, 46), n);
	}
	await plus.waitFor({ state: 'hidden' });
	const ids = await p.$$eval('.ops li', (lis) => lis.map((li) => Number(li.dataset.id)));
	egal(ids, grandLivre(pile, 'TITU2').rows.map((r) => r.id), 'toutes les opérations du grand livre, dans l’ordre');
	await p.context().close();
});

test('mauvais code : « Numéro de carte ou code incorrect », et aucune session', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	const avant = sessions(pile, 'TITU1');
	await entrer(p, pile, 'TITU1', 'ABCD-EFGH-JKMN');
	await p.getByText('Numéro de carte ou code incorrect.').waitFor();
	egal(sessions(pile, 'TITU1'), avant, 'aucune session de plus');
	egal(await p.locator('#solde').count(), 0, 'la carte reste fermée');
	await p.context().close();
});

test('trop d’essais : l’attente dite en clair', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	await entrer(p, pile, 'TITU3', 'ABCD-EFGH-JKMN');
	for (let i = 1; i <= 3; i++) {
		await p.getByText('Numéro de carte ou code incorrect.').waitFor();
		await p.getByRole('button', { name: 'Voir ma carte' }).click();
		await p.waitForFunction(() => !/Connexion…/.test(document.querySelector('.etat')?.textContent));
	}
	egal(await etat(p), 'Trop d’essais pour cette carte : réessayez dans 2 min.', 'le message');
	await capture(p, 'moi-trop-essais');
	await p.context().close();
});

test('carte perdue : une confirmation, puis bloquée en base, et la caisse la refuse', async ({ nav, pile, B }) => {
	const p = await page(nav, 'telephone');
	await entrer(p, pile, 'TITU4');
	const bouton = p.getByRole('button', { name: 'Carte perdue' });
	await bouton.click();
	await p.getByRole('button', { name: 'Oui, bloquer ma carte' }).waitFor();
	egal(pile.db("SELECT blocked FROM clients WHERE card = 'TITU4'")[0].blocked, 0, 'pas encore bloquée après un seul appui');
	await capture(p, 'moi-confirmer');
	await p.getByRole('button', { name: 'Oui, bloquer ma carte' }).click();
	await p.getByRole('heading', { name: 'Carte bloquée' }).waitFor();
	affirmer((await p.textContent('.perte')).includes('passez au bar avec une nouvelle carte'), 'la page dit quoi faire');
	egal(pile.db("SELECT blocked FROM clients WHERE card = 'TITU4'")[0].blocked, 1, 'bloquée en base');
	const rep = await pile.api('client/payer', { jeton: B, idCarte: 'TITU4', montant: '1' });
	egal(rep.status, 'carte_bloquee', 'la caisse refuse la carte');
	await capture(p, 'moi-bloquee');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

test('session expirée : retour au code, avec la raison, la carte gardée', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	await entrer(p, pile, 'TITU1');
	await p.waitForSelector('#solde');
	pile.horloge(pile.maintenant() + 16 * 60 * 1000);
	await p.getByRole('button', { name: 'Actualiser' }).click();
	await p.getByText('Session terminée après 15 minutes sans activité : entrez de nouveau votre code.').waitFor();
	egal(await p.getByLabel('Numéro de la carte').inputValue(), 'TITU1', 'la carte gardée');
	await p.waitForFunction(() => document.activeElement?.name === 'code');
	await p.context().close();
});

test('se déconnecter : retour au formulaire, la session close en base', async ({ nav, pile }) => {
	const p = await page(nav, 'telephone');
	await entrer(p, pile, 'TITU5');
	await p.waitForSelector('#solde');
	egal(sessions(pile, 'TITU5'), 1, 'une session ouverte');
	await p.getByRole('button', { name: 'Se déconnecter' }).click();
	await p.getByText('Vous êtes déconnecté.').waitFor();
	egal(sessions(pile, 'TITU5'), 0, 'plus de session en base');
	await p.context().close();
});

test('à l’ordinateur : la carte et le formulaire, sans violation d’accessibilité', async ({ nav, pile }) => {
	const p = await page(nav, 'portable');
	await p.goto(`${pile.url}moi/`);
	await p.waitForFunction(() => document.activeElement?.name === 'carte');
	egal(await accessibilite(p), [], 'formulaire : axe');
	await p.getByLabel('Numéro de la carte').fill('TITU2');
	await p.getByLabel('Code (sur votre ticket)').fill(codes.TITU2);
	await p.getByRole('button', { name: 'Voir ma carte' }).click();
	await p.waitForSelector('.ops li');
	egal(await accessibilite(p), [], 'carte : axe');
	await capture(p, 'moi-carte');
	egal(p.erreurs, [], 'aucune erreur dans la page');
	await p.context().close();
});

const sessions = (pile, carte) => pile.db(`SELECT count(*) n FROM holder_sessions h JOIN clients c ON c.id = h.client_id
	WHERE c.card = '${carte}'`)[0].n;

lancer(async () => {
	// 3 wrong codes per card and address answered at once, then 2 minutes.
	const pile = await demarrer({ TENP5_LOGIN_FAILS: '3', TENP5_LOGIN_DELAY: '120' });
	const J = await jetonPrez(pile);
	await pile.api('utilisateur/ajouter', { jeton: J, ...BARMAN, droit: 2 });
	const B = (await pile.api('utilisateur/connexion', BARMAN)).jeton;
	const ok = async (chemin, params) => {
		const r = await pile.api(chemin, { jeton: B, ...params });
		affirmer(r.status === 'ok', `${chemin} : ${JSON.stringify(r)}`);
		return r;
	};
	for (const carte of ['TITU1', 'TITU2', 'TITU3', 'TITU4', 'TITU5']) {
		await ok('client/ajouter', { idCarte: carte, solde: '30' });
		codes[carte] = (await ok('client/code', { idCarte: carte })).codeClient;
	}
	await ok('client/payer', { idCarte: 'TITU1', montant: '2' });
	await ok('client/recharger', { idCarte: 'TITU1', montant: '10' });
	const t = await ok('client/payer', { idCarte: 'TITU1', montant: '3.5' });
	await ok('annuler', { idTransaction: t.idTransaction });
	await ok('client/payer', { idCarte: 'TITU1', montant: '1.2' });
	for (let i = 0; i < 45; i++) await ok('client/payer', { idCarte: 'TITU2', montant: '0.5' });
	return { pile, B, nav: await navigateur() };
}, async (c) => {
	await c?.nav?.close();
	await c?.pile?.arreter();
});
