// The QR generator (www/js/qr.js) read back by another program: codes of
// several lengths, one per version from 1 to 10 (level M, byte mode), drawn
// as grey-map images and decoded by zbarimg (zbar-tools), which must give
// back the very text; past the largest version, a clear refusal. No stack,
// no browser: the slip's QR code in the page is decoded by titulaire.t.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, lancer, egal, affirmer } from './lib.mjs';
import { qr } from '../../www/js/qr.js';

// `modules` as a PGM image, 4 pixels a module, with the quiet zone of 4 modules.
function image(modules, fichier) {
	const n = modules.length, z = 4, s = 4, c = (n + 2 * z) * s;
	const px = Buffer.alloc(c * c, 255);
	for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (modules[y][x])
		for (let a = 0; a < s; a++) px.fill(0, ((y + z) * s + a) * c + (x + z) * s, ((y + z) * s + a) * c + (x + z + 1) * s);
	writeFileSync(fichier, Buffer.concat([Buffer.from(`P5 ${c} ${c} 255\n`), px]));
}
const lire = (fichier) => execFileSync('zbarimg', ['--raw', '-q', fichier], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\n$/, '');

// An address of `n` characters, the holder page's with a card id grown to fit.
function adresse(n) {
	let t = 'https://bar.example.org/moi/?carte=';
	while (t.length < n) t += '0123456789ABCDEF'[t.length % 16];
	return t.slice(0, n);
}

// The longest text of each version at level M in byte mode (ISO/IEC 18004 table 7).
const CAPACITE = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];
CAPACITE.forEach((n, i) => {
	test(`QR version ${i + 1} (${n} octets) : zbarimg relit exactement le texte`, async ({ dir }) => {
		const t = adresse(n), { version, modules } = qr(t);
		egal(version, i + 1, 'la plus petite version qui le tient');
		egal(modules.length, 17 + 4 * version, 'côté de la matrice');
		image(modules, join(dir, 'q.pgm'));
		egal(lire(join(dir, 'q.pgm')), t, 'texte relu');
	});
});

test('QR : un octet de plus que la version 1 passe à la version 2, relue', async ({ dir }) => {
	const t = adresse(15), { version, modules } = qr(t);
	egal(version, 2, 'version');
	image(modules, join(dir, 'q.pgm'));
	egal(lire(join(dir, 'q.pgm')), t, 'texte relu');
});

test('QR : au-delà de 213 octets, une RangeError et aucun code', async () => {
	let erreur = null;
	try { qr(adresse(214)); } catch (e) { erreur = e; }
	affirmer(erreur instanceof RangeError, 'RangeError attendue, pas ' + erreur);
	affirmer(/214 octets, au plus 213/.test(erreur.message), 'message : ' + erreur.message);
});

lancer(async () => ({ dir: mkdtempSync(join(tmpdir(), '10p5-qr-')) }), (c) => c && rmSync(c.dir, { recursive: true, force: true }));
