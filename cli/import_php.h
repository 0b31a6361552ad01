/*
 * 10p5-admin import-php: brings the original PHP 10p5's database in, from a
 * mysqldump file or a phpMyAdmin SQL export, into an empty 10p5 database, in
 * one transaction: cards and balances, the history with its ids, staff with
 * their rights and bcrypt passwords, and prices. Sessions stay behind.
 */
#ifndef TENP5_IMPORT_PHP_H
#define TENP5_IMPORT_PHP_H

/* Runs `import-php [options] DUMP.sql` (argv[0] is "import-php") against the
 * database at db_path, which it creates if needed. The dump is read and
 * checked whole before the database is opened. Prints the report on stdout
 * and any refusal, naming its line, on stderr. Returns the exit status: 0
 * imported (or checked, with --essai), 1 refused with nothing written, 2 a
 * usage error. */
int import_php_main(const char *db_path, int argc, char **argv);

#endif
