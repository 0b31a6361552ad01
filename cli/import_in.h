/*
 * What the import from the PHP version reads and the write consumes: the
 * options, the rows of the original tables as read and checked, and the
 * names (cards, logins) they refer to. import_rows.c fills a struct import
 * from the dump, its names interned by import_names.c and its dates read in
 * the zones of import_zone.c; import_write.c writes it in one transaction;
 * import_php.c is the command around them.
 *
 * Invariants once import_read() returned true: every transaction's card and
 * login name an owner that was read (owner >= 0); the transactions are in
 * id order with no id twice; each client's sum is its valid rows' effects;
 * adjustments counts the clients whose balance differs from that sum, and
 * then no user is named ADJUSTER.
 */
#ifndef TENP5_IMPORT_IN_H
#define TENP5_IMPORT_IN_H

#include <stdbool.h>
#include <stdint.h>

#include "dump.h"

#define PRICES_MAX    1000
#define ADJUSTER      "import-php"       /* the deleted account adjustments are booked to */


/* The original schema (10p5-server's migrations/1462024985.sql). */
enum php_table {
	PT_CLIENTS,
	PT_TRANSACTIONS,
	PT_UTILISATEURS,
	PT_PRIX,
	PT_SESSIONS,
	PT__MAX
};

/* --renommer-carte / --renommer-login OLD=NEW */
struct rename {
	const char *from, *to;
	bool used;
};

enum zone_kind {
	ZK_LOCAL,   /* the time zone of the machine running the import */
	ZK_OFFSET,  /* "+01:00" */
	ZK_NAMED,   /* "Europe/Paris" */
	ZK__MAX
};

struct zone {
	enum zone_kind kind;
	int offset_s;
	char name[64];
};

struct options {
	const char *dump;
	struct zone zone;        /* --fuseau, else the local zone */
	bool zone_given;
	bool dry_run;            /* --essai */
	struct rename *cards, *logins;
	size_t ncards, nlogins;
};

/* Names (cards, logins) interned by their ASCII lower case, since MySQL
 * compared them without case: a transaction's 'ab12' is the client 'AB12'. */
struct name {
	char text[33];     /* the owner's spelling, once it is read */
	int32_t owner;     /* the client or user of that name; -1 while only referred to */
	long line;         /* where the owner was read */
};

struct names {
	struct name *v;
	size_t n, cap;
	uint32_t *slot;    /* 1 + an index into v; 0 when free */
	size_t nslot;      /* a power of two, more than twice n */
};

struct client_in {
	uint32_t card;
	int64_t balance;   /* as stored by the PHP version */
	bool overdraft;
	int64_t sum;       /* its valid rows' effects */
	int64_t first_ms;  /* its oldest row's date; 0 if it has none */
	int64_t adjustment_id;
};

struct user_in {
	uint32_t login;
	int32_t card;      /* in staff_cards, or -1 */
	int droit;
	char hash[61];
};

struct price_in {
	int64_t qty, cents;
	long line;
};

struct tx_in {
	int64_t id, date_ms, amount;
	uint32_t card, login, line;
	int32_t qty;
	uint8_t type, valid;
};

struct import {
	const struct options *o;
	enum php_table table;                /* of the INSERT being read */
	int map[DUMP_COLUMNS_MAX];           /* its columns, by the table's column enum */
	bool created[PT__MAX];
	bool date_local;                     /* Transactions.date is a DATETIME */
	const char *zone_text;               /* the dump's time zone for the row being read */
	struct names cards, logins, staff_cards;
	struct client_in *clients;
	size_t nclients, cap_clients;
	struct user_in *users;
	size_t nusers, cap_users;
	struct price_in prices[PRICES_MAX];
	size_t nprices;
	long bare_biere;                     /* the line of a "biere" without a number */
	struct tx_in *txs;
	size_t ntxs, cap_txs;
	long sessions, cancelled, presidents, adjustments;
	char dump_zone_text[65];             /* the last zone the dump set, parsed */
	struct zone dump_zone;
	long dates_dump, dates_fallback;
	char *tz_orig;                       /* $TZ as the import found it (NULL: unset) */
	char tz_now[80];                     /* what tzset last saw ("" before) */
	struct dump_info info;
};


/* Makes room for one more element of `size` bytes after the n of the array
 * whose pointer is at pp, *cap its capacity (doubled when full). Returns 1,
 * or 0 when out of memory (the array is left as it was). */
int import_grow(void *pp, size_t *cap, size_t n, size_t size);

/* The index of name s (at most 32 bytes) in ns, added if new; -1 when out of
 * memory. */
long names_intern(struct names *ns, const char *s);

/* The name s claimed by its owner (a client or a user) read at line: its
 * index, with *dup set to the earlier owner's line when the name had one
 * already (0 otherwise); -1 when out of memory. */
long names_claim(struct names *ns, const char *s, int32_t owner, long line, long *dup);

/* Frees what ns holds (not ns itself). */
void names_free(struct names *ns);

/* Reads the dump buf[0..len) into im (im->o set, the rest zero) and resolves
 * its references. Returns true, or false with err saying where and why. */
bool import_read(struct import *im, const char *buf, size_t len, struct dump_error *err);

/* Frees what import_read() allocated in im (not im itself). */
void import_free(struct import *im);

/* Reads "+01:00", "-05:30", "local" or a zone name of the system's
 * database into z. Returns 1, or 0 if s is none of those. */
int import_zone_parse(const char *s, struct zone *z);

/* Describes z for the report, in out. Returns out. */
const char *import_zone_words(const struct zone *z, char out[128]);

/* Points the C library's local time at name (NULL: $TZ as it was). */
void import_tz_use(struct import *im, const char *name);

/* d read in zone z, as milliseconds since 1970 into *out. Returns 1, or 0
 * for a time the C library cannot place there. */
int import_zone_ms(struct import *im, const struct zone *z, const struct dump_datetime *d,
    int64_t *out);

/* Inserts everything in one transaction, books the adjustments, checks the
 * invariant and journals the import; commits unless dry_run. Returns 1, or 0
 * after rolling back and saying why. */
int import_write(struct import *im, const char *file, const unsigned char *digest,
    const char *dates);

/* Prints what was imported (or checked, with --essai) on stdout. */
void import_report(const struct import *im, const char *file, const char *dates,
    const char *db_path);

#endif
