// A bar chart drawn as SVG by hand (a few dozen lines beat a vendored chart
// library of 60 KB or more): one bar per bucket, a labelled y axis with
// round steps, times along the x axis, a <title> on each bar for its value.
const NS = 'http://www.w3.org/2000/svg';
const H = 200, G = 56, B = 26, HAUT = 10; // height, left, bottom and top margins, in px

function el(tag, attrs, texte) {
	const e = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
	if (texte !== undefined) e.textContent = texte;
	return e;
}

// A "round" step (1, 2 or 5 × 10^n) giving about four lines up to max;
// whole numbers only for counts.
function pas(max, entier) {
	const brut = max / 4, p = 10 ** Math.floor(Math.log10(brut));
	const m = [1, 2, 5, 10].map((k) => k * p).find((k) => k >= brut);
	return entier ? Math.max(1, Math.round(m)) : m;
}

// Which buckets get a time label: every I of local time, I the first of
// these (15 min … 7 days), no finer than a bucket, that leaves room for the
// labels; a bucket is labelled when it starts on a multiple of I since
// local midnight (whole hours, midnights…), not every k-th bucket.
const M = 60000, J = 24 * 60 * M;
const INTERVALLES = [15 * M, 30 * M, 60 * M, 120 * M, 180 * M, 240 * M, 360 * M, 720 * M, J, 2 * J, 7 * J];
function reperes(points, place) {
	const pas = points.length > 1 ? points[1].debut - points[0].debut : J;
	const etendue = pas * points.length;
	const I = INTERVALLES.find((i) => i >= pas && etendue / i <= place) ?? 7 * J;
	return (debut) => {
		const d = new Date(debut);
		const depuisMinuit = (d.getHours() * 60 + d.getMinutes()) * M;
		if (I < J) return depuisMinuit % I === 0;
		const jour = Math.round((new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - new Date(2000, 0, 3).getTime()) / J);
		return depuisMinuit === 0 && jour % (I / J) === 0;
	};
}

// points: [{debut: ms, valeur: number}]; format: number → label (axe: the
// shorter one on the y axis); largeur: the width it will take on screen, so
// that one unit is one pixel and labels keep their size; classe: the
// bars' CSS class; titre: the accessible name; heure: a bucket's start as a
// time label, detail: as each bar's title; entier: whole numbers (counts)
// on the y axis. Returns an <svg>.
export function barres(points, { format, axe = format, classe, titre, heure, detail = heure, largeur = 640, entier = false }) {
	const L = Math.max(280, Math.round(largeur));
	const svg = el('svg', { viewBox: `0 0 ${L} ${H}`, role: 'img', 'aria-label': titre });
	svg.append(el('title', {}, titre));
	const max = Math.max(0, ...points.map((p) => p.valeur));
	const etape = max > 0 ? pas(max, entier) : 1;
	const haut = Math.max(etape, Math.ceil(max / etape) * etape);
	const y = (v) => H - B - (v / haut) * (H - B - HAUT);
	for (let v = 0; v <= haut + 1e-9; v += etape) {
		svg.append(el('line', { class: 'axe', x1: G, x2: L, y1: y(v), y2: y(v) }));
		svg.append(el('text', { x: G - 6, y: y(v) + 4, 'text-anchor': 'end' }, axe(v)));
	}
	const n = Math.max(points.length, 1), w = (L - G) / n;
	const repere = reperes(points, Math.max(2, Math.floor((L - G) / 70))); // a time label every 70 px at most
	points.forEach((p, i) => {
		const x = G + i * w;
		if (p.valeur > 0) {
			const r = el('rect', { class: classe, 'data-debut': p.debut, x: x + w * 0.12, width: Math.max(1, w * 0.76), y: y(p.valeur), height: H - B - y(p.valeur), rx: Math.min(3, w / 4) });
			r.append(el('title', {}, `${detail(p.debut)} : ${format(p.valeur)}`));
			svg.append(r);
		}
		if (repere(p.debut)) {
			svg.append(el('line', { class: 'repere', x1: x, x2: x, y1: H - B, y2: H - B + 4 }));
			const ancre = x - G < 18 ? 'start' : L - x < 18 ? 'end' : 'middle';
			svg.append(el('text', { x, y: H - 8, 'text-anchor': ancre }, heure(p.debut)));
		}
	});
	return svg;
}
