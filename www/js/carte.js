// Reading a card: the wire format is 1–32 characters [A-Za-z0-9]. A USB
// reader types the UID and Enter into the card field (or anywhere on the
// till: keys typed outside a field are sent to it; on the login screens,
// its fast burst is told from a person's typing, lecteurUsb); Web NFC, where
// the browser has it, gives the serial number as "04:a2:…", which becomes
// "04A2…" (colons gone, upper case, as Android apps print a tag's UID).
import { h } from './ui.js';

// Typed or read text → the card id, or null if it cannot be one.
export function normaliser(texte) {
	const t = String(texte).trim().replace(/[\s:.-]/g, '');
	return /^[A-Za-z0-9]{1,32}$/.test(t) ? t : null;
}

export function depuisNfc(serie) { return normaliser(serie.replace(/:/g, '').toUpperCase()); }

export const nfcDisponible = () => 'NDEFReader' in window;

// A button that starts Web NFC (the browser asks for permission on a tap),
// then calls lu(id) for every card read. Null where there is no Web NFC.
export function boutonNfc(lu, surErreur) {
	if (!nfcDisponible()) return null;
	const b = h('button', { type: 'button', class: 'nfc' }, 'Activer le NFC');
	b.addEventListener('click', async () => {
		try {
			const lecteur = new window.NDEFReader();
			await lecteur.scan();
			lecteur.addEventListener('reading', (e) => { const id = depuisNfc(e.serialNumber || ''); if (id) lu(id); });
			lecteur.addEventListener('readingerror', () => surErreur('Carte mal lue : reposez-la.'));
			b.textContent = 'NFC actif : approchez une carte';
			b.disabled = true;
		} catch (e) {
			surErreur('NFC indisponible : ' + (e.message || e.name));
		}
	});
	return b;
}

// While the returned function is not called, a key typed outside any field
// (a USB reader after a tap on a button) goes into `champ` instead.
export function capterClavier(champ) {
	const f = (e) => {
		const t = e.target;
		if (e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1 || !/[A-Za-z0-9]/.test(e.key)) return;
		if (t.closest?.('input, textarea, select, dialog')) return;
		e.preventDefault();
		champ.focus();
		champ.value += e.key;
	};
	document.addEventListener('keydown', f);
	return () => document.removeEventListener('keydown', f);
}

// A USB reader types a card's UID (hexadecimal, 8 characters or more: 4- and
// 7-byte UIDs, or a decimal number) and Enter far faster than anyone types:
// at most ECART_MS between keys, by the keys' own times (a busy page that
// handles a person's keys late does not make them fast). While the returned
// function is not called, such a burst anywhere on the page is a card: its
// Enter does nothing else, the field it went into gets back what it held
// before, and lu(id) is called. Slower typing is left alone.
const ECART_MS = 50, LONGUEUR_MIN = 8;
export function lecteurUsb(lu) {
	let rafale = '', dernier = -Infinity, champ = null, avant = '';
	const f = (e) => {
		const rapide = e.timeStamp - dernier <= ECART_MS;
		dernier = e.timeStamp;
		if (e.key === 'Enter' && rapide && rafale.length >= LONGUEUR_MIN) {
			e.preventDefault();
			e.stopImmediatePropagation();
			if (champ) champ.value = avant;
			const id = normaliser(rafale);
			rafale = '';
			if (id) lu(id);
			return;
		}
		if (e.ctrlKey || e.metaKey || e.altKey || !/^[0-9A-Fa-f]$/.test(e.key)) { rafale = ''; return; }
		if (!rapide || !rafale) {
			rafale = '';
			champ = e.target instanceof HTMLInputElement ? e.target : null;
			avant = champ?.value ?? '';
		}
		rafale += e.key;
	};
	document.addEventListener('keydown', f, true);
	return () => document.removeEventListener('keydown', f, true);
}
