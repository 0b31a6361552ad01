/*
 * 10p5-admin: the operator's command, built from lib/. It creates or upgrades
 * the database, creates or resets a president, checks the ledger invariant
 * takes (or restores) an online backup, brings a replica back (replica.c)
 * and gives a restored database a new identity. It also imports the database
 * of the original PHP version (import_php.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "db.h"
#include "db_journal.h"
#include "db_ledger.h"
#include "db_user.h"
#include "field.h"
#include "import_php.h"
#include "replica.h"
#include "log.h"
#include "password.h"
#include "reply.h"
#include "crypto.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: 10p5-admin [-d database] command\n"
	    "  init              create the database, or apply pending migrations\n"
	    "  president LOGIN   create or reset a president (password: $ADMIN_MDP,\n"
	    "                    or one is generated and printed once)\n"
	    "  bootstrap         on a database without users, create the first\n"
	    "                    president from $ADMIN_LOGIN / $ADMIN_MDP (or generate)\n"
	    "  check             verify that every balance equals its valid ledger rows\n"
	    "  backup FILE       copy the live database to FILE (online)\n"
	    "  restore FILE      replace the database's content with FILE's, under a new\n"
	    "                    identity\n"
	    "  new-identity      give the database a new identity (a restored replica or\n"
	    "                    copy: the web tills then send again the sales it may lack)\n"
	    "  restore-replica URL\n"
	    "                    bring a replica (file:///dir, sftp://user@host/dir) back as\n"
	    "                    the database, in an empty directory; check it and give it\n"
	    "                    a new identity\n"
	    "  import-php [--essai] [--fuseau ZONE] [--renommer-carte OLD=NEW]...\n"
	    "             [--renommer-login OLD=NEW]... DUMP.sql\n"
	    "                    bring in the PHP version's database (mysqldump or phpMyAdmin\n"
	    "                    export) into an empty database, in one transaction\n"
	    "The database is -d, else $TENP5_DB, else var/10p5.db.\n");
}

/* Creates `login` as a president, or resets its password and right. */
static int
make_president(const char *login, const char *given)
{
	char generated[21], hash[PASSWORD_HASH_MAX];
	const char *pw = given;
	struct user u;
	int64_t id, now = now_ms();
	int found;
	struct journal_entry e = { .event = EV_UTILISATEUR };
	struct revoked gone = { 0 };
	int64_t dummy;

	if (!field_parse(FT_LOGIN, login, &dummy)) {
		fprintf(stderr, "10p5-admin: a login is 1-30 of [A-Za-z0-9._-]\n");
		return 0;
	}
	if (!pw || !*pw) {
		if (!rand_token(generated, 20))
			return 0;
		pw = generated;
	} else if (utf8_length(pw) < (size_t)cfg.pwd_min) {
		fprintf(stderr, "10p5-admin: the password needs %d characters at least\n", cfg.pwd_min);
		return 0;
	}
	if (!password_hash(pw, hash) || !db_begin(true))
		return 0;
	if ((found = user_by_login(login, &u)) < 0)
		goto fail;
	if (found) {
		if (!user_set_password(u.id, hash) || !user_set_droit(u.id, 3) ||
		    !auth_revoke_user(u.id, 0, true, now, &gone))
			goto fail;
	} else if (!user_insert(login, hash, NULL, 3, now, &id))
		goto fail;
	e.detail = json_object_new_object();
	reply_str(e.detail, K_REQUETE, found ? "admin/president/reinitialiser" : "admin/president/creer");
	reply_str(e.detail, K_LOGIN, login);
	if (found)
		auth_revoked_reply(e.detail, &gone);
	if (!journal_add(NULL, now, &e) || !db_commit())
		goto fail;
	if (found)
		printf("president %s reset; ended: sessions %" PRId64 ", API keys %" PRId64
		    ", OAuth grants %" PRId64 "\n", login, gone.sessions, gone.keys, gone.oauth);
	else
		printf("president %s created\n", login);
	if (pw == generated)
		printf("password (shown once): %s\n", generated);
	wipe(generated, sizeof generated);
	wipe(hash, sizeof hash);
	return 1;
fail:
	db_rollback();
	wipe(generated, sizeof generated);
	return 0;
}

static int
bootstrap(void)
{
	const char *login = getenv("ADMIN_LOGIN");
	int64_t n = user_count();

	if (n < 0)
		return 0;
	if (n > 0)
		return 1; /* never touches a database in use */
	return make_president(login && *login ? login : "president", getenv("ADMIN_MDP"));
}

static void
report(const char *card, int64_t balance, int64_t sum, void *arg)
{
	char a[MONEY_BUF], b[MONEY_BUF];

	(void)arg;
	printf("client %s: balance %s, valid transactions sum to %s\n", card,
	    money_format(balance, a), money_format(sum, b));
}

static int
check(void)
{
	sqlite3_stmt *st;
	int64_t bad;
	int ok;

	if (!db_begin(false))
		return 0;
	if (db_row(&st, "PRAGMA quick_check", "") != 1)
		goto fail;
	ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_reset(st);
	if (!ok) {
		printf("database file damaged: run PRAGMA integrity_check\n");
		goto fail;
	}
	if ((bad = ledger_verify(report, NULL)) != 0) {
		if (bad > 0)
			printf("%" PRId64 " client(s) differ from their ledger\n", bad);
		goto fail;
	}
	db_rollback();
	printf("ledger ok\n");
	return 1;
fail:
	db_rollback();
	return 0;
}

/* Gives the database a new identity and prints it. The web tills compare it
 * with the one they saw (coucou's base): a database that went back in time,
 * restored from a backup or a replica, must not pass for the one they sold
 * on, or they would not send again the sales it lacks (doc/bar.md). */
static int
new_identity(void)
{
	char id[DB_IDENTITY_LEN + 1];

	if (!db_identity_renew(id))
		return 0;
	printf("identity %s\n", id);
	return 1;
}

int
main(int argc, char **argv)
{
	const char *path;
	int c, ok = 0;
	bool create;

	log_init("10p5-admin");
	if (!config_load() || !crypto_init())
		return 2;
	if (!cfg.db_path)
		cfg.db_path = "var/10p5.db";
	path = cfg.db_path;
	/* "+": options stop at the command, which may have its own. */
	while ((c = getopt(argc, argv, "+d:h")) != -1) {
		if (c == 'd')
			path = cfg.db_path = optarg; /* the hashes' turns go next to it */
		else {
			usage();
			return c == 'h' ? 0 : 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage();
		return 2;
	}
	/* The import reads and checks its dump before it opens the database. */
	if (strcmp(argv[0], "import-php") == 0)
		return import_php_main(path, argc, argv);
	/* A replica becomes the database, which must not exist yet; then it is
	 * checked and given a new identity, as a restored backup is. */
	if (strcmp(argv[0], "restore-replica") == 0) {
		if (argc != 2) {
			usage();
			return 2;
		}
		if (!replica_restore(path, argv[1]))
			return 1;
		if (!db_open(path, false)) {
			fprintf(stderr, "10p5-admin: cannot open %s\n", path);
			return 1;
		}
		ok = check() && new_identity();
		db_close();
		return ok ? 0 : 1;
	}
	/* The commands that set a database up create it; the others need one. */
	create = strcmp(argv[0], "init") == 0 || strcmp(argv[0], "bootstrap") == 0 ||
	    strcmp(argv[0], "president") == 0;
	if (!create && access(path, F_OK) != 0) {
		fprintf(stderr, "10p5-admin: no database at %s (10p5-admin init creates it)\n", path);
		return 1;
	}
	if (!db_open(path, create)) {
		fprintf(stderr, "10p5-admin: cannot open %s\n", path);
		return 1;
	}
	if (strcmp(argv[0], "init") == 0 && argc == 1)
		ok = 1;
	else if (strcmp(argv[0], "president") == 0 && argc == 2)
		ok = make_president(argv[1], getenv("ADMIN_MDP"));
	else if (strcmp(argv[0], "bootstrap") == 0 && argc == 1)
		ok = bootstrap();
	else if (strcmp(argv[0], "check") == 0 && argc == 1)
		ok = check();
	else if (strcmp(argv[0], "backup") == 0 && argc == 2)
		ok = db_backup(argv[1]);
	else if (strcmp(argv[0], "restore") == 0 && argc == 2)
		ok = db_restore(argv[1]) && new_identity();
	else if (strcmp(argv[0], "new-identity") == 0 && argc == 1)
		ok = new_identity();
	else {
		usage();
		db_close();
		return 2;
	}
	db_close();
	return ok ? 0 : 1;
}
