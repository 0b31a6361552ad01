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

// A "round" step (1, 2 or 5 × 10^n) giving about four lines up to max.
function pas(max) {
	const brut = max / 4, p = 10 ** Math.floor(Math.log10(brut));
	return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= brut);
}

// points: [{debut: ms, valeur: number}]; format: number → label (axe: the
// shorter one on the y axis); largeur: the width it will take on screen, so
// that one unit is one pixel and labels keep their size; classe: the
// bars' CSS class; titre: the accessible name. Returns an <svg>.
export function barres(points, { format, axe = format, classe, titre, heure, largeur = 640 }) {
	const L = Math.max(280, Math.round(largeur));
	const svg = el('svg', { viewBox: `0 0 ${L} ${H}`, role: 'img', 'aria-label': titre });
	svg.append(el('title', {}, titre));
	const max = Math.max(0, ...points.map((p) => p.valeur));
	const etape = max > 0 ? pas(max) : 1;
	const haut = Math.max(etape, Math.ceil(max / etape) * etape);
	const y = (v) => H - B - (v / haut) * (H - B - HAUT);
	for (let v = 0; v <= haut + 1e-9; v += etape) {
		svg.append(el('line', { class: 'axe', x1: G, x2: L, y1: y(v), y2: y(v) }));
		svg.append(el('text', { x: G - 6, y: y(v) + 4, 'text-anchor': 'end' }, axe(v)));
	}
	const n = Math.max(points.length, 1), w = (L - G) / n;
	const chaque = Math.ceil(n / Math.max(2, Math.floor(L / 80))); // a time label every 80 px at most
	points.forEach((p, i) => {
		const x = G + i * w;
		if (p.valeur > 0) {
			const r = el('rect', { class: classe, x: x + w * 0.12, width: Math.max(1, w * 0.76), y: y(p.valeur), height: H - B - y(p.valeur), rx: Math.min(3, w / 4) });
			r.append(el('title', {}, `${heure(p.debut)} : ${format(p.valeur)}`));
			svg.append(r);
		}
		if (i % chaque === 0) svg.append(el('text', { x: x + w / 2, y: H - 8, 'text-anchor': 'middle' }, heure(p.debut)));
	});
	return svg;
}
