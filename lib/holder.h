/*
 * The holder code (doc/api.md, card holders): 12 characters of an alphabet
 * without look-alikes (no 0/O, 1/I/L), shown once in groups of four, typed
 * back with any dashes, spaces and case. What is hashed and checked is the
 * bare 12 upper-case characters.
 */
#ifndef TENP5_HOLDER_H
#define TENP5_HOLDER_H

#define HOLDER_CODE_LEN 12
#define HOLDER_CODE_SHOWN 15 /* XXXX-XXXX-XXXX */

/* Makes a new code, uniformly drawn, into out (13 bytes). Returns 1, or 0 if
 * randomness failed. */
int holder_code_make(char out[HOLDER_CODE_LEN + 1]);

/* Reads a typed code into its bare form (13 bytes): dashes and spaces
 * dropped, letters upper-cased. Returns 1, or 0 if what is left is not 12
 * characters of the alphabet. */
int holder_code_read(const char *typed, char out[HOLDER_CODE_LEN + 1]);

/* Writes the bare code grouped as XXXX-XXXX-XXXX into out (16 bytes). */
void holder_code_show(const char *code, char out[HOLDER_CODE_SHOWN + 1]);

#endif
