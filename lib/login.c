/*
 * The login check. The attempt is counted before it is judged (a failure
 * then needs no further write); a success takes it back, once confirmed inside
 * the write transaction: scrypt runs outside it, so a password changed (or a
 * card moved) meanwhile makes the check stale, and a stale check is answered
 * as a wrong one, never re-run under the lock. Keys:
 *   a password: the login from this address (or from this browser, when it
 *   shows a valid device cookie), and the login from everywhere over a day,
 *   which does not apply where the user logged in before;
 *   a card: unknown cards from this address, which does not apply to a card
 *   whose user logged in before from this address or browser.
 * Known places: for a password, an address where that user's password was
 * right before, or a browser holding their device cookie; for a card, also an
 * address where the card was used (a UID identifies, it does not
 * authenticate: showing one never makes a place known for the password).
 * While passwords queue for their hash (lib/password.c), a password from a
 * place not known for it (a made-up login included) does not queue: it is
 * turned away uncounted, so that floods of guesses, which come from anywhere,
 * never make staff wait where they logged in before; nor does a user's
 * password within LIMIT_SPACING_MS of its last check from a known place,
 * right or wrong.
 * A device cookie is "v2.<user id>.<device id>.<mac>", the MAC an HMAC-SHA-256
 * of what precedes it under a key kept in the database, given after a right
 * password only: it proves that this browser logged in as that user, nothing
 * more (the password is still asked). A cookie of any other version is not
 * read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "db_client.h"
#include "hooks.h"
#include "log.h"
#include "login.h"
#include "parse.h"
#include "password.h"

#define DEVICE_BYTES 16

/* The key that signs device cookies, read once per process. */
static int
cookie_key(unsigned char key[32])
{
	static unsigned char cached[32];
	static bool have;
	sqlite3_stmt *st;

	if (!have) {
		if (db_row(&st, "SELECT value FROM secrets WHERE name = 'device_cookie'", "") != 1)
			return 0;
		if (sqlite3_column_bytes(st, 0) == (int)sizeof cached) {
			memcpy(cached, sqlite3_column_blob(st, 0), sizeof cached);
			have = true;
		}
		sqlite3_reset(st);
		if (!have)
			return 0;
	}
	memcpy(key, cached, sizeof cached);
	return 1;
}

/* The MAC of text, base64url: 43 characters and a terminator. */
static int
mac_of(const char *text, char mac[44])
{
	unsigned char key[32], h[SHA256_LEN];

	if (!cookie_key(key))
		return 0;
	hmac_sha256(key, sizeof key, text, strlen(text), h);
	base64url(h, sizeof h, mac);
	wipe(key, sizeof key);
	return 1;
}

/* The device id of a valid device cookie for user_id into device, or "".
 * A holder's cookie is "h1.<account id>.<device id>.<mac>", under its own
 * name: neither kind of cookie is ever taken for the other. */
static void
cookie_device(const char *cookies, const char *name, const char *tag, int64_t user_id,
    char device[48])
{
	char buf[LOGIN_COOKIE_MAX], want[64], mac[44], *dot;
	const char *v;
	size_t len, head;

	device[0] = '\0';
	if (!cookie_find(cookies, name, &v, &len) || len >= sizeof buf)
		return;
	memcpy(buf, v, len);
	buf[len] = '\0';
	snprintf(want, sizeof want, "%s.%" PRId64 ".", tag, user_id);
	if (strncmp(buf, want, strlen(want)) != 0 || !(dot = strrchr(buf, '.')))
		return;
	head = (size_t)(dot - buf);
	if (head <= strlen(want) || head - strlen(want) >= 48 || strlen(dot + 1) != 43)
		return;
	*dot = '\0';
	if (strchr(buf + strlen(want), '.') || !mac_of(buf, mac) || !ct_equal(mac, dot + 1, 43))
		return;
	snprintf(device, 48, "%s", buf + strlen(want));
}

int
login_cookie(const struct login *l, char out[LOGIN_COOKIE_MAX])
{
	char device[48], text[80], mac[44];

	if (l->device[0])
		snprintf(device, sizeof device, "%s", l->device);
	else {
		unsigned char raw[DEVICE_BYTES];

		rand_bytes(raw, sizeof raw);
		base64url(raw, sizeof raw, device);
	}
	snprintf(text, sizeof text, "%s.%" PRId64 ".%s", l->holder ? "h1" : "v2",
	    l->holder ? l->holder : l->user.id, device);
	if (!mac_of(text, mac))
		return 0;
	snprintf(out, LOGIN_COOKIE_MAX, "%s.%s", text, mac);
	return 1;
}

/* Logins turned away while hashes queue are counted nowhere, so that they
 * cost nothing: the log says how many, once a minute at most, for whoever
 * looks into a flood. */
static void
turned_away(int64_t now)
{
	static int64_t since = -1;
	static unsigned long n;

	n++;
	if (since >= 0 && now - since < 60000)
		return;
	log_error("logins turned away while passwords were being checked: %lu since this"
	    " line was last written (a flood of guesses?)", n);
	since = now;
	n = 0;
}

/* Refuses while a key of the attempt is locked, or (while passwords queue,
 * crowded >= 0 ms) while its user's last check is recent, else counts the
 * attempt. */
static enum status
admit(struct login *l, int64_t now, int64_t crowded, int64_t *wait)
{
	int64_t w_local = 0, w_global = 0, w_spaced = 0;

	if (!db_begin(true))
		return ST_ERREUR_BDD;
	/* A card known here is no guess: the address's card lock is not its. */
	if (!(l->by_card && l->known))
		w_local = limit_wait(&l->local, now);
	if (l->global.kind && !l->known)
		w_global = limit_wait(&l->global, now);
	if (w_local != 0 || w_global != 0) {
		db_rollback();
		if (w_local < 0 || w_global < 0)
			return ST_ERREUR_BDD;
		*wait = w_local > w_global ? w_local : w_global;
		return ST_TROP_DE_TENTATIVES;
	}
	/* A user's pace is set by checks from places known to them only:
	 * strangers' guesses, checked while the queue was short, must not hold
	 * the user back (while it is crowded, login_check turned them away). */
	if (!l->by_card && !l->holder && l->known) {
		int spaced = crowded < 0 ? 1 : limit_spaced(l->user.id, now, &w_spaced);

		if (spaced == 0) {
			db_rollback();
			turned_away(now);
			*wait = ((w_spaced > crowded ? w_spaced : crowded) + 999) / 1000;
			return ST_TROP_DE_TENTATIVES;
		}
		if (spaced < 0 || !limit_checked(l->user.id, now)) {
			db_rollback();
			return ST_ERREUR_BDD;
		}
	}
	if (!limit_fail(&l->local, now) || (l->global.kind && !limit_fail(&l->global, now)) ||
	    !db_commit()) {
		db_rollback();
		return ST_ERREUR_BDD;
	}
	return ST_OK;
}

/* The limits a login attempt is counted under, then counted: a card login
 * per address alone; a password or a holder code per device when the
 * browser is known by its cookie, else per address, and per login. While
 * the hashes' queue is crowded, a place not known for this login is told to
 * come back before anything is counted. */
static enum status
gate(struct login *l, bool card, int64_t now, int64_t *wait)
{
	int64_t ms = -1;

	if (card)
		l->local = (struct limit_key){ LIMIT_CARDS, "", l->addr };
	else if (l->device[0]) {
		snprintf(l->local_addr, sizeof l->local_addr, "d:%s", l->device);
		l->local = (struct limit_key){ LIMIT_LOGIN_DEVICE, l->login, l->local_addr };
	} else
		l->local = (struct limit_key){ LIMIT_LOGIN_ADDR, l->login, l->addr };
	if (!card)
		l->global = (struct limit_key){ LIMIT_LOGIN, l->login, "" };
	if (card || !password_crowded(&ms))
		ms = -1;
	else if (!l->known) {
		turned_away(now);
		*wait = (ms + 999) / 1000;
		return ST_TROP_DE_TENTATIVES;
	}
	return admit(l, now, ms, wait);
}

/* Judges secret against the stored hash (NULL when the login or card is
 * unknown: the same time is spent hashing, for nothing): l->verdict, and the
 * hash that was checked, which the write transaction confirms unchanged.
 * ST_ERREUR_GENERIQUE when the hash cannot be read. */
static enum status
judge(struct login *l, const char *hash, const char *secret)
{
	if (!hash) {
		password_waste(secret);
		l->verdict = ST_IDENTIFIANTS_INVALIDES;
		return ST_OK;
	}
	switch (password_check(hash, secret)) {
	case 1:
		l->verdict = ST_OK;
		memcpy(l->checked, hash, sizeof l->checked);
		return ST_OK;
	case 0:
		l->verdict = ST_IDENTIFIANTS_INVALIDES;
		return ST_OK;
	default:
		return ST_ERREUR_GENERIQUE;
	}
}

enum status
login_check(const char *addr, const char *cookies, const char *login, const char *mdp,
    const char *card, int64_t now, struct login *l, int64_t *wait)
{
	enum status st;
	int found, known = 0;

	memset(l, 0, sizeof *l);
	l->by_card = card != NULL;
	snprintf(l->login, sizeof l->login, "%s", card ? "" : login);
	snprintf(l->addr, sizeof l->addr, "%s", addr);
	found = card ? user_by_card(card, &l->user) : user_by_login(login, &l->user);
	if (found < 0)
		return ST_ERREUR_BDD;
	l->found = found;
	if (found) {
		cookie_device(cookies, LOGIN_COOKIE, "v2", l->user.id, l->device);
		if (!l->device[0] && (known = limit_known(l->user.id, addr, !card)) < 0)
			return ST_ERREUR_BDD;
		l->known = l->device[0] || known;
	}
	if ((st = gate(l, card != NULL, now, wait)) != ST_OK)
		return st;
	if (card) {
		l->verdict = found ? ST_OK : ST_CARTE_INCONNUE;
		l->max_droit = cfg.card_right;
	} else {
		if ((st = judge(l, found ? l->user.password : NULL, mdp)) != ST_OK ||
		    (l->verdict == ST_OK && password_kind(l->user.password) == PW_BCRYPT &&
		    !password_hash(mdp, l->rehash))) {
			wipe(l->user.password, sizeof l->user.password);
			return st != ST_OK ? st : ST_ERREUR_GENERIQUE;
		}
		l->max_droit = RIGHT_PRESIDENT;
	}
	wipe(l->user.password, sizeof l->user.password);
	hook_pause("login"); /* judged, not yet confirmed in the write transaction */
	return ST_OK;
}

enum status
login_holder_check(const char *addr, const char *cookies, const char *card, const char *code,
    int64_t now, struct login *l, int64_t *wait)
{
	char hash[PASSWORD_HASH_MAX];
	enum status st;
	int found;

	memset(l, 0, sizeof *l);
	snprintf(l->login, sizeof l->login, "carte:%s", card);
	snprintf(l->addr, sizeof l->addr, "%s", addr);
	if ((found = client_code(card, &l->holder, hash)) < 0)
		return ST_ERREUR_BDD;
	l->found = found;
	if (found) {
		cookie_device(cookies, HOLDER_COOKIE, "h1", l->holder, l->device);
		l->known = l->device[0] != '\0';
	}
	if ((st = gate(l, false, now, wait)) != ST_OK)
		return st;
	return judge(l, found ? hash : NULL, code);
}

enum status
login_holder_confirm(struct login *l)
{
	char hash[PASSWORD_HASH_MAX];
	int64_t id;
	int found = client_code_of(l->holder, &id, hash);

	if (found < 0)
		return ST_ERREUR_BDD;
	if (!found || strcmp(hash, l->checked) != 0)
		return ST_IDENTIFIANTS_INVALIDES;
	if (!limit_clear(&l->local) || !limit_undo(&l->global))
		return ST_ERREUR_BDD;
	return ST_OK;
}

enum status
login_confirm(struct login *l, int64_t now)
{
	struct user u;
	int found = user_by_id(l->user.id, &u);
	bool same;

	if (found < 0)
		return ST_ERREUR_BDD;
	/* Both compared strings come from the database: no secret is timed. */
	same = found && (l->by_card ? strcmp(u.card, l->user.card) == 0 :
	    strcmp(u.password, l->checked) == 0);
	wipe(u.password, sizeof u.password);
	if (!same)
		return l->by_card ? ST_CARTE_INCONNUE : ST_IDENTIFIANTS_INVALIDES;
	l->user = u;
	/* A card's attempt was counted against its address's unknown cards:
	 * take that one back; a password's key is forgotten. */
	if (!(l->by_card ? limit_undo(&l->local) : limit_clear(&l->local)))
		return ST_ERREUR_BDD;
	if (l->global.kind && !limit_undo(&l->global))
		return ST_ERREUR_BDD;
	if (l->rehash[0] && !user_set_password(u.id, l->rehash))
		return ST_ERREUR_BDD;
	return limit_remember(u.id, l->addr, now, !l->by_card) ? ST_OK : ST_ERREUR_BDD;
}
