/*
 * A throw-away database for the unit tests that need one: created in a fresh
 * directory with every migration, removed at the end; and a callback for
 * ledger_verify that counts the clients it names.
 */
#ifndef TENP5_UNITDB_H
#define TENP5_UNITDB_H

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

static char unitdb_dir[] = "/tmp/10p5-unit.XXXXXX";
static char unitdb_path[128];

/* Loads the configuration from the environment and opens a new database,
 * which is also the configured one (password hashes keep their turns next to
 * it). Returns 1, or 0 (the test should bail out). */
static __attribute__((unused)) int
unitdb_open(const char *name)
{
	log_init(name);
	if (!config_load() || !crypto_init() || !mkdtemp(unitdb_dir))
		return 0;
	snprintf(unitdb_path, sizeof unitdb_path, "%s/t.db", unitdb_dir);
	cfg.db_path = unitdb_path;
	return db_open(unitdb_path, true);
}

static __attribute__((unused)) void
unitdb_close(void)
{
	char cmd[200];

	db_close();
	snprintf(cmd, sizeof cmd, "rm -rf %s", unitdb_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", unitdb_dir);
}

/* A ledger_verify callback: counts, in the int at arg, each client whose
 * balance is not the sum of its valid rows. */
static __attribute__((unused)) void
unitdb_count_bad(const char *card, int64_t balance, int64_t sum, void *arg)
{
	(void)card;
	(void)balance;
	(void)sum;
	(*(int *)arg)++;
}

#endif
