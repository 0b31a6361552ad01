/*
 * A reader for the SQL dumps MySQL and MariaDB users can get: mysqldump's, and
 * phpMyAdmin's SQL export. It knows the few statements such files hold, and
 * hands table definitions and rows, one at a time, to callbacks. The input is
 * hostile: no recursion, every length bounded, every string decoded to UTF-8
 * (from UTF-8 or latin1) or refused with its line and column.
 */
#ifndef TENP5_DUMP_H
#define TENP5_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DUMP_NAME_MAX    64      /* longest identifier, as in MySQL */
#define DUMP_COLUMNS_MAX 64      /* columns in a table or an INSERT */
#define DUMP_TABLES_MAX  32      /* CREATE TABLE statements in a dump */
#define DUMP_VALUE_MAX   4096    /* longest string value, in bytes, before decoding */
#define DUMP_CENTS_MAX   ((int64_t)1000000000000000) /* 10^15 cents */

/* The character sets a dump may be written in; every other one is refused. */
enum dump_charset {
	DCS_UNSET,   /* nothing declared (read as UTF-8) */
	DCS_UTF8,    /* utf8, utf8mb3, utf8mb4 */
	DCS_LATIN1,  /* MySQL's latin1, which is Windows-1252 */
	DCS__MAX
};
extern const char *const dump_charset_words[DCS__MAX];

/* Which program wrote the dump, from its header comment. */
enum dump_format {
	DF_PLAIN,      /* no header we know */
	DF_MYSQLDUMP,  /* "-- MySQL dump" or "-- MariaDB dump" */
	DF_PHPMYADMIN, /* "-- phpMyAdmin SQL Dump" */
	DF__MAX
};
extern const char *const dump_format_words[DF__MAX];

struct dump_column {
	char name[DUMP_NAME_MAX + 1];
	char type[DUMP_NAME_MAX + 1];  /* the type's first word, lower case: "float" */
	enum dump_charset charset;     /* its CHARACTER SET, or DCS_UNSET */
};

struct dump_table {
	char name[DUMP_NAME_MAX + 1];
	size_t ncolumns;
	struct dump_column columns[DUMP_COLUMNS_MAX];
	enum dump_charset charset;     /* its DEFAULT CHARSET, or DCS_UNSET */
};

enum dump_kind {
	DV_NULL,
	DV_STRING,
	DV_NUMBER,   /* the literal's text, sign included: "-1.5", "2e-05" */
	DV__MAX
};

struct dump_value {
	enum dump_kind kind;
	const char *s;   /* UTF-8 and NUL-terminated; a string may also hold NULs
	                  * (from \0), so len is its length; "" for NULL */
	size_t len;
	long line, col;  /* where the value starts */
};

struct dump_error {
	long line, col;                  /* 0: no position */
	char table[DUMP_NAME_MAX + 1];   /* "": no table */
	char msg[384];
};

/* Fills e; line/col 0 and table NULL when they do not apply. Returns 0, so a
 * callback can end with `return dump_fail(...)`. */
int dump_fail(struct dump_error *e, long line, long col, const char *table, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * What the reader tells its user. Each callback returns 1 to go on, or 0 to
 * stop the reading after filling err. Pointers are valid during the call only.
 */
struct dump_handler {
	/* A statement names a table (CREATE, DROP, ALTER, LOCK or INSERT). */
	int (*table)(void *arg, const char *name, long line, long col, struct dump_error *err);
	/* A CREATE TABLE has been read. */
	int (*create)(void *arg, const struct dump_table *t, long line, struct dump_error *err);
	/* An INSERT into `table` begins, with its column list or, without one,
	 * the columns of the table's CREATE TABLE. */
	int (*insert)(void *arg, const char *table, const char *const *columns, size_t n,
	    long line, struct dump_error *err);
	/* One row of that INSERT: n values in column order. zone is the time zone
	 * the dump set for TIMESTAMP values (SET TIME_ZONE='+00:00'), or NULL if
	 * none is in force. */
	int (*row)(void *arg, const struct dump_value *v, size_t n, const char *zone,
	    struct dump_error *err);
};

struct dump_info {
	enum dump_format format;
	enum dump_charset names;  /* the last SET NAMES, DCS_UNSET if none */
	long statements;
	long rows;
	long lines;
};

/*
 * Reads the dump buf[0..len) to its end. Accepts the three kinds of comment,
 * MySQL's conditional comments (slash, star, bang and a version) whose content
 * is read as SQL, and these statements: SET (NAMES, the session variables dumps set, user
 * variables), LOCK/UNLOCK TABLES, DROP TABLE, CREATE TABLE, ALTER TABLE (keys,
 * constraints, MODIFY, AUTO_INCREMENT), CREATE DATABASE, USE, START
 * TRANSACTION/BEGIN/COMMIT, and INSERT INTO t [(columns)] VALUES (...),...;
 * Refuses anything else, NUL bytes, text that is not valid in its character
 * set, character sets other than UTF-8 and latin1, and a file that ends
 * inside a statement, before mysqldump's "Dump completed" line, or inside a
 * transaction it opened. Returns 1 with *info filled, or 0 with *err filled.
 */
int dump_read(const char *buf, size_t len, const struct dump_handler *h, void *arg,
    struct dump_info *info, struct dump_error *err);

/* Parses the decimal text s (optional sign, digits, optional fraction and
 * exponent) into cents, rounding half away from zero at the cent, without
 * going through floating point: "48.29999923706055" is 4830, "-0.125" is -13,
 * "1e-05" is 0. Returns 1, or 0 if s is not such a number or is beyond
 * DUMP_CENTS_MAX cents. */
int dump_cents(const char *s, int64_t *out);

/* Parses a decimal integer (optional '-', 1-19 digits) within [min, max].
 * Returns 1, or 0. */
int dump_integer(const char *s, int64_t min, int64_t max, int64_t *out);

struct dump_datetime {
	int year, mon, day, hour, min, sec, msec;
};

/* Parses "YYYY-MM-DD HH:MM:SS" with an optional fraction of 1-6 digits
 * (truncated to milliseconds), a real calendar date from year 1000. Returns
 * 1, or 0 (the zero date "0000-00-00 00:00:00" included). */
int dump_datetime(const char *s, struct dump_datetime *out);

#endif
