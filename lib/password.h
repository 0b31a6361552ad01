/*
 * Passwords: scrypt through libscrypt, stored as MCF strings ("$s1$...") that
 * carry their own parameters, so raising TENP5_SCRYPT_N only affects new hashes.
 * This is the only file that touches libscrypt. Accounts imported from the PHP
 * version keep their bcrypt hash until their first login, which replaces it.
 */
#ifndef TENP5_PASSWORD_H
#define TENP5_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PASSWORD_HASH_MAX 128

/* What a stored hash is. */
enum password_kind {
	PW_SCRYPT,   /* ours: "$s1$..." */
	PW_BCRYPT,   /* PHP's password_hash or htpasswd -B: "$2y$10$" and 53 characters
	              * ($2b$ and $2a$ too), cost 04-14 */
	PW_UNKNOWN,  /* anything else: unreadable (password_check answers -1) */
	PW__MAX
};

/* The kind of the stored hash s. */
enum password_kind password_kind(const char *s);

/* Hashes pw with a fresh salt and cfg.scrypt_n into out. Returns 1, or 0. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* Returns 1 if pw matches the stored hash (scrypt, or bcrypt checked with the
 * system's crypt_rn and compared whole in constant time), 0 if not, -1 if the
 * hash is unreadable. */
int password_check(const char *stored, const char *pw);

/* Derives a 32-byte scrypt digest of pw under salt at the stored passwords'
 * cost, for the rare place a password must be compared later but may not sit
 * in a fast digest (the idRequete fingerprint). Returns 1, or 0. */
int password_digest(const char *pw, const unsigned char *salt, size_t saltlen,
    unsigned char out[32]);

/* Whether hashes are queued for their turns on the machine: a hash asked now
 * would wait more than one turn (a hash and its rest). If so, *wait_ms is how
 * long until it would not. */
bool password_crowded(int64_t *wait_ms);

/* Spends the time of one check against nothing, so that an unknown login
 * answers as slowly as a wrong password. */
void password_waste(const char *pw);

#endif
