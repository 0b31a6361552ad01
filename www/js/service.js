// A shift at a till (doc/api.md, "The treasurer"): open it with the float
// counted, close it with the cash counted; the server answers what the
// ledger expected and the gap. The counting aid takes how many coins and
// notes of each denomination, and the total is computed here in cents.
// The shift open on this browser is remembered per login (localStorage);
// one opened elsewhere is found again by the server's service_ouvert.
import { appel } from './api.js';
import { h, vider, euros, message, date, MOYENS } from './ui.js';

// Denominations in cents: notes, then coins.
const BILLETS = [20000, 10000, 5000, 2000, 1000, 500];
const PIECES = [200, 100, 50, 20, 10, 5, 2, 1];
const cle = (s) => '10p5.service.' + s.login;
const nom = (c) => (c >= 100 ? `${c / 100}\u00a0€` : `${c}\u00a0c`); // a value never split from its unit
const fil = (c) => (c / 100).toFixed(2); // cents → the wire's amount

// The counting aid: a number per denomination, the total computed.
// Returns { el, total() → cents, or null when a count is not a whole number }.
export function comptage(titre) {
	const total = h('output', { class: 'total-compte', 'aria-live': 'polite' }, euros(0));
	const champs = [];
	const ligne = (c, genre) => {
		const id = `compte-${genre}-${c}`;
		const input = h('input', { id, type: 'number', min: '0', step: '1', inputmode: 'numeric', placeholder: '0', oninput: maj });
		const sous = h('output', { for: id, class: 'sous' }, '');
		champs.push([c, input, sous]);
		return h('div', { class: 'denomination' }, h('label', { for: id }, `${genre === 'billet' ? 'Billets' : 'Pièces'} de ${nom(c)}`), input, sous);
	};
	function somme() {
		let t = 0;
		for (const [c, input] of champs) {
			const v = input.value.trim();
			if (v === '') continue;
			if (!/^\d{1,6}$/.test(v)) return null;
			t += c * Number(v);
		}
		return t;
	}
	function maj() {
		for (const [c, input, sous] of champs) sous.textContent = /^\d{1,6}$/.test(input.value.trim()) && Number(input.value) ? euros(c * Number(input.value) / 100) : '';
		const t = somme();
		total.textContent = t === null ? 'un nombre n’est pas entier' : euros(t / 100);
	}
	const el = h('fieldset', { class: 'comptage' }, h('legend', {}, titre),
		h('div', { class: 'denominations' }, BILLETS.map((c) => ligne(c, 'billet')), PIECES.map((c) => ligne(c, 'piece'))),
		h('p', { class: 'total' }, 'Total compté : ', total));
	return { el, total: somme };
}

export function afficher(racine, args, s) {
	const etat = h('div', { class: 'etat', role: 'status' });
	const corps = h('div', {});
	racine.append(h('h1', {}, 'Mon service'), etat, corps);
	const dire = (texte, genre = 'info') => vider(etat, texte && h('p', { class: genre }, texte));
	const lu = () => { try { return JSON.parse(localStorage.getItem(cle(s))); } catch { return null; } };

	function ouverture() {
		const caisse = h('input', { id: 'service-caisse', autocomplete: 'off', placeholder: s.login, maxlength: '64' });
		const fond = comptage('Fond de caisse compté');
		const params = {};
		vider(corps, h('form', { class: 'bloc pile', onsubmit: async (e) => {
			e.preventDefault();
			const t = fond.total();
			if (t === null) return dire('Comptez en nombres entiers de pièces et de billets.', 'erreur');
			// The same request until it is answered: a retry never opens two.
			Object.assign(params, { caisse: caisse.value.trim() || undefined, fond: fil(t) });
			dire('Ouverture…');
			const rep = await appel('service/ouvrir', params, { libelle: 'L’ouverture du service' });
			if (rep.status === 'ok' || rep.status === 'service_ouvert') {
				const sv = rep.status === 'ok' ? { id: rep.id, caisse: params.caisse ?? s.login, fond: t, ouverture: Date.now() } : { id: rep.id };
				localStorage.setItem(cle(s), JSON.stringify(sv));
				dire(rep.status === 'ok' ? `Service n° ${rep.id} ouvert, fond ${euros(t / 100)}.` : `Un service était déjà ouvert à votre nom (n° ${rep.id}) : le voici.`, rep.status === 'ok' ? 'ok' : 'info');
				return fermeture();
			}
			delete params.idRequete;
			dire(message(rep), 'erreur');
		} },
		h('h2', {}, 'Ouvrir un service'),
		h('div', { class: 'champ' }, h('label', { for: 'service-caisse' }, 'Caisse'), caisse),
		fond.el,
		h('button', { class: 'principal' }, 'Ouvrir le service')));
		caisse.focus();
	}

	function fermeture() {
		const sv = lu();
		const compte = comptage('Espèces comptées dans la caisse');
		const params = { id: sv.id };
		vider(corps, h('form', { class: 'bloc pile', onsubmit: async (e) => {
			e.preventDefault();
			const t = compte.total();
			if (t === null) return dire('Comptez en nombres entiers de pièces et de billets.', 'erreur');
			params.compte = fil(t);
			dire('Fermeture…');
			const rep = await appel('service/fermer', params, { libelle: 'La fermeture du service' });
			if (rep.status === 'ok') { localStorage.removeItem(cle(s)); dire(''); return bilan(rep); }
			delete params.idRequete;
			if (rep.status === 'service_ferme' || rep.status === 'service_inconnu') {
				localStorage.removeItem(cle(s));
				dire(message(rep), 'erreur');
				return ouverture();
			}
			dire(message(rep), 'erreur');
		} },
		h('h2', {}, `Service n° ${sv.id}`),
		h('p', {}, sv.caisse ? `Caisse ${sv.caisse} · ouvert ${date(sv.ouverture)} · fond ${euros(sv.fond / 100)}` : 'Ouvert sur un autre appareil.'),
		h('p', { class: 'aide' }, 'À la fin du service, comptez les espèces de la caisse (fond compris) puis fermez.'),
		compte.el,
		h('button', { class: 'principal' }, 'Fermer le service')));
	}

	function bilan(rep) {
		const ecart = rep.ecart;
		vider(corps, h('section', { class: 'bloc bilan' },
			h('h2', {}, `Service n° ${rep.id} fermé`),
			h('div', { class: 'chiffres' },
				[['Attendu', rep.attendu], ['Compté', rep.compte], ['Écart', ecart]].map(([t, v]) =>
					h('div', { class: 'chiffre' + (t === 'Écart' && v !== 0 ? ' ecart' : '') }, h('b', {}, euros(v)), h('span', {}, t)))),
			h('p', {}, ecart === 0 ? 'La caisse tombe juste.' : ecart < 0 ? `Il manque ${euros(-ecart)}.` : `Il y a ${euros(ecart)} de trop.`),
			h('h3', {}, 'Par moyen de paiement'),
			h('table', {}, h('tbody', {}, Object.entries(MOYENS).map(([k, t]) =>
				h('tr', {}, h('th', { scope: 'row' }, t), h('td', { class: 'nombre' }, euros(rep.totaux[k])))))),
			h('button', { type: 'button', class: 'principal', onclick: () => { dire(''); ouverture(); } }, 'Ouvrir un autre service')));
	}

	if (lu()) fermeture(); else ouverture();
}
