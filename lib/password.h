/*
 * Passwords: scrypt through libscrypt, stored as MCF strings ("$s1$...") that
 * carry their own parameters, so raising TENP5_SCRYPT_N only affects new hashes.
 * This is the only file that touches libscrypt.
 */
#ifndef TENP5_PASSWORD_H
#define TENP5_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128

/* Hashes pw with a fresh salt and cfg.scrypt_n into out. Returns 1, or 0. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* Returns 1 if pw matches the stored MCF hash, 0 if not, -1 if the hash is
 * unreadable. */
int password_check(const char *stored, const char *pw);

/* Derives a 32-byte scrypt digest of pw under salt at the stored passwords'
 * cost, for the rare place a password must be compared later but may not sit
 * in a fast digest (the idRequete fingerprint). Returns 1, or 0. */
int password_digest(const char *pw, const unsigned char *salt, size_t saltlen,
    unsigned char out[32]);

/* Spends the time of one check against nothing, so that an unknown login
 * answers as slowly as a wrong password. */
void password_waste(const char *pw);

#endif
