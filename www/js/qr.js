// QR codes as ISO/IEC 18004:2015 defines them, for the holder's slip: byte
// mode, error correction level M (15 % of the code may be lost), versions 1
// to 10 (up to 213 bytes: the holder page's address with any bar's origin),
// Reed–Solomon codewords over GF(256), the eight masks scored by the
// standard's penalty rules. Written here rather than vendored: see
// doc/cards.md#qr-code. No DOM in qr(); svg() draws its result.

const VERSION_MAX = 10;
// Level M, per version 1–10: codewords of error correction per block, blocks.
const CORRECTION = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26];
const BLOCS = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5];
const FORMAT_M = 0; // level M's two bits in the format information

// Codewords a version holds (data and correction), from the modules left
// once the function patterns are drawn.
function codewords(v) {
	let n = (16 * v + 128) * v + 64;
	if (v >= 2) {
		const a = Math.floor(v / 7) + 2;
		n -= (25 * a - 10) * a - 55;
		if (v >= 7) n -= 36;
	}
	return Math.floor(n / 8);
}
const donneesMax = (v) => codewords(v) - CORRECTION[v - 1] * BLOCS[v - 1];
// Byte mode: a 4-bit mode, the length on 8 bits (16 from version 10), the bytes.
const bitsDeLongueur = (v) => (v < 10 ? 8 : 16);

// --- GF(256), polynomial x^8 + x^4 + x^3 + x^2 + 1 ------------------------
function fois(x, y) {
	let z = 0;
	for (let i = 7; i >= 0; i--) {
		z = (z << 1) ^ ((z >>> 7) * 0x11d);
		z ^= ((y >>> i) & 1) * x;
	}
	return z;
}

// The generator polynomial of degree n (roots α^0 … α^(n-1)), its leading 1 left out.
function generateur(n) {
	const g = new Array(n).fill(0);
	g[n - 1] = 1;
	let racine = 1;
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			g[j] = fois(g[j], racine);
			if (j + 1 < n) g[j] ^= g[j + 1];
		}
		racine = fois(racine, 2);
	}
	return g;
}

// The remainder of data × x^n divided by the generator: the correction codewords.
function reste(donnees, g) {
	const r = new Array(g.length).fill(0);
	for (const b of donnees) {
		const f = b ^ r.shift();
		r.push(0);
		g.forEach((c, i) => { r[i] ^= fois(c, f); });
	}
	return r;
}

// --- the codewords --------------------------------------------------------
function encoder(octets, v) {
	const bits = [];
	const mettre = (val, n) => { for (let i = n - 1; i >= 0; i--) bits.push((val >>> i) & 1); };
	mettre(0b0100, 4);
	mettre(octets.length, bitsDeLongueur(v));
	for (const b of octets) mettre(b, 8);
	const capacite = donneesMax(v) * 8;
	mettre(0, Math.min(4, capacite - bits.length));
	mettre(0, (8 - bits.length % 8) % 8);
	for (let p = 0xec; bits.length < capacite; p ^= 0xec ^ 0x11) mettre(p, 8);
	const donnees = [];
	for (let i = 0; i < bits.length; i += 8) donnees.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b));

	// Split into blocks (the short ones first), each with its correction,
	// then interleaved column by column.
	const nb = BLOCS[v - 1], nc = CORRECTION[v - 1], total = codewords(v);
	const courts = nb - total % nb, longueurCourte = Math.floor(total / nb);
	const g = generateur(nc);
	const blocs = [];
	for (let i = 0, k = 0; i < nb; i++) {
		const d = donnees.slice(k, k += longueurCourte - nc + (i < courts ? 0 : 1));
		blocs.push([d, reste(d, g)]);
	}
	const sortie = [];
	for (let j = 0; j <= longueurCourte - nc; j++)
		for (const [d] of blocs) if (j < d.length) sortie.push(d[j]);
	for (let j = 0; j < nc; j++) for (const [, c] of blocs) sortie.push(c[j]);
	return sortie;
}

// --- the matrix (x: column, y: row) --------------------------------------
function matrice(v) {
	const n = 17 + 4 * v;
	const m = Array.from({ length: n }, () => new Array(n).fill(false));
	const fonction = Array.from({ length: n }, () => new Array(n).fill(false));
	const poser = (x, y, noir) => { m[y][x] = noir; fonction[y][x] = true; };

	for (let i = 0; i < n; i++) { poser(6, i, i % 2 === 0); poser(i, 6, i % 2 === 0); }
	// Finders with their separators, in three corners.
	for (const [cx, cy] of [[3, 3], [n - 4, 3], [3, n - 4]])
		for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) {
			const x = cx + dx, y = cy + dy, d = Math.max(Math.abs(dx), Math.abs(dy));
			if (x >= 0 && x < n && y >= 0 && y < n) poser(x, y, d !== 2 && d !== 4);
		}
	// Alignment patterns, except where a finder is.
	if (v >= 2) {
		const a = Math.floor(v / 7) + 2;
		const pas = Math.ceil((v * 4 + 4) / (a * 2 - 2)) * 2;
		const pos = [6];
		for (let p = n - 7; pos.length < a; p -= pas) pos.splice(1, 0, p);
		for (const y of pos) for (const x of pos) {
			if ((x === 6 && y === 6) || (x === 6 && y === n - 7) || (x === n - 7 && y === 6)) continue;
			for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++)
				poser(x + dx, y + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
		}
	}
	// The version information (from version 7), 18 bits twice.
	if (v >= 7) {
		let r = v;
		for (let i = 0; i < 12; i++) r = (r << 1) ^ ((r >>> 11) * 0x1f25);
		const bits = (v << 12) | r;
		for (let i = 0; i < 18; i++) {
			const noir = ((bits >>> i) & 1) === 1, a = n - 11 + i % 3, b = Math.floor(i / 3);
			poser(a, b, noir);
			poser(b, a, noir);
		}
	}
	format(m, fonction, 0); // reserves its modules; drawn again once the mask is chosen
	return { n, m, fonction };
}

// The format information (level and mask, 15 bits) twice, and the dark module.
function format(m, fonction, masque) {
	const n = m.length;
	const d = (FORMAT_M << 3) | masque;
	let r = d;
	for (let i = 0; i < 10; i++) r = (r << 1) ^ ((r >>> 9) * 0x537);
	const bits = ((d << 10) | r) ^ 0x5412;
	const bit = (i) => ((bits >>> i) & 1) === 1;
	const poser = (x, y, noir) => { m[y][x] = noir; if (fonction) fonction[y][x] = true; };
	for (let i = 0; i <= 5; i++) poser(8, i, bit(i));
	poser(8, 7, bit(6));
	poser(8, 8, bit(7));
	poser(7, 8, bit(8));
	for (let i = 9; i < 15; i++) poser(14 - i, 8, bit(i));
	for (let i = 0; i < 8; i++) poser(n - 1 - i, 8, bit(i));
	for (let i = 8; i < 15; i++) poser(8, n - 15 + i, bit(i));
	poser(8, n - 8, true);
}

// The codewords in the standard's zigzag, two columns at a time from the right.
function placer(m, fonction, mots) {
	const n = m.length;
	let i = 0;
	for (let droite = n - 1; droite >= 1; droite -= 2) {
		if (droite === 6) droite = 5;
		for (let k = 0; k < n; k++) for (let j = 0; j < 2; j++) {
			const x = droite - j, y = ((droite + 1) & 2) === 0 ? n - 1 - k : k;
			if (fonction[y][x]) continue;
			m[y][x] = i < mots.length * 8 && ((mots[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
			i++;
		}
	}
}

const MASQUES = [
	(x, y) => (x + y) % 2 === 0,
	(x, y) => y % 2 === 0,
	(x) => x % 3 === 0,
	(x, y) => (x + y) % 3 === 0,
	(x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
	(x, y) => (x * y) % 2 + (x * y) % 3 === 0,
	(x, y) => ((x * y) % 2 + (x * y) % 3) % 2 === 0,
	(x, y) => ((x + y) % 2 + (x * y) % 3) % 2 === 0,
];

function masquer(m, fonction, k) {
	for (let y = 0; y < m.length; y++) for (let x = 0; x < m.length; x++)
		if (!fonction[y][x] && MASQUES[k](x, y)) m[y][x] = !m[y][x];
}

// The standard's penalty: runs of five or more, 2×2 blocks, finder-like
// patterns (1:1:3:1:1 with four light modules on a side), dark/light balance.
function penalite(m) {
	const n = m.length;
	let p = 0, noirs = 0;
	const motifs = [[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]];
	for (let a = 0; a < n; a++) {
		for (const lire of [(b) => m[a][b], (b) => m[b][a]]) {
			let serie = 1;
			for (let b = 1; b <= n; b++) {
				if (b < n && lire(b) === lire(b - 1)) { serie++; continue; }
				if (serie >= 5) p += serie - 2;
				serie = 1;
			}
			for (let b = 0; b + 11 <= n; b++)
				for (const mo of motifs) if (mo.every((c, i) => lire(b + i) === (c === 1))) p += 40;
		}
		for (let b = 0; b < n; b++) if (m[a][b]) noirs++;
	}
	for (let y = 0; y + 1 < n; y++) for (let x = 0; x + 1 < n; x++) {
		const c = m[y][x];
		if (c === m[y][x + 1] && c === m[y + 1][x] && c === m[y + 1][x + 1]) p += 3;
	}
	return p + 10 * Math.floor(Math.abs(noirs * 20 - n * n * 10) / (n * n));
}

// The QR code of `texte` (its UTF-8 bytes): {version, modules} where
// modules[y][x] is true for a dark module, without the quiet zone. Throws
// a RangeError past 213 bytes.
export function qr(texte) {
	const octets = new TextEncoder().encode(texte);
	let v = 1;
	while (v <= VERSION_MAX && 4 + bitsDeLongueur(v) + octets.length * 8 > donneesMax(v) * 8) v++;
	if (v > VERSION_MAX) throw new RangeError(`QR : ${octets.length} octets, au plus ${donneesMax(VERSION_MAX) - 3}`);
	const { m, fonction } = matrice(v);
	placer(m, fonction, encoder(octets, v));
	let meilleur = null;
	for (let k = 0; k < 8; k++) {
		masquer(m, fonction, k);
		format(m, null, k);
		const p = penalite(m);
		if (!meilleur || p < meilleur.p) meilleur = { p, k };
		masquer(m, fonction, k);
	}
	masquer(m, fonction, meilleur.k);
	format(m, null, meilleur.k);
	return { version: v, modules: m };
}

// An <svg> of `texte`'s QR code with its quiet zone of 4 modules, black on
// white, `titre` as its accessible name.
export function svg(texte, titre) {
	const { modules } = qr(texte);
	const n = modules.length, cote = n + 8;
	const NS = 'http://www.w3.org/2000/svg';
	const s = document.createElementNS(NS, 'svg');
	s.setAttribute('viewBox', `0 0 ${cote} ${cote}`);
	s.setAttribute('role', 'img');
	s.setAttribute('aria-label', titre);
	s.setAttribute('shape-rendering', 'crispEdges');
	const fond = document.createElementNS(NS, 'rect');
	for (const [k, v] of [['width', cote], ['height', cote], ['fill', '#fff']]) fond.setAttribute(k, v);
	let d = '';
	for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (modules[y][x]) d += `M${x + 4} ${y + 4}h1v1h-1z`;
	const chemin = document.createElementNS(NS, 'path');
	chemin.setAttribute('d', d);
	chemin.setAttribute('fill', '#000');
	s.append(fond, chemin);
	return s;
}
