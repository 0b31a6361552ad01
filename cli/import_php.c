/*
 * 10p5-admin import-php, the command: its options, the dump read whole into
 * memory, then the import's three stages. The dump is checked row by row and
 * its references resolved (import_rows.c, over dump.c's reader); then one
 * write transaction inserts everything, books an adjustment (type 5) for
 * each balance that differs from its ledger, checks the invariant and
 * journals the import (import_write.c). A refusal comes before the write, or
 * rolls it back. A trial (--essai) on a database that does not exist yet
 * runs in a throw-away one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "crypto.h"
#include "db.h"
#include "field.h"
#include "import_in.h"
#include "import_php.h"

#define DUMP_FILE_MAX ((size_t)1 << 30)  /* 1 GiB, some ten million transactions */

/* Reads the file (or standard input for "-") whole, up to DUMP_FILE_MAX.
 * Returns a buffer to free, or NULL after saying why. */
static char *
read_all(const char *path, size_t *len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 1 << 20, n = 0;
	char *buf = NULL, *more;
	ssize_t r;

	if (fd < 0) {
		fprintf(stderr, "10p5-admin: import-php: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap || !buf) {
			if (buf)
				cap *= 2;
			if (cap > DUMP_FILE_MAX + 1)
				cap = DUMP_FILE_MAX + 1;
			if (!(more = realloc(buf, cap)))
				goto fail;
			buf = more;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "10p5-admin: import-php: %s: %s\n", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > DUMP_FILE_MAX) {
			fprintf(stderr, "10p5-admin: import-php: %s is larger than 1 GiB\n", path);
			goto fail;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*len = n;
	return buf;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return NULL;
}

static int
usage(void)
{
	fprintf(stderr, "usage: 10p5-admin [-d database] import-php [--essai] [--fuseau ZONE]\n"
	    "           [--renommer-carte OLD=NEW]... [--renommer-login OLD=NEW]... DUMP.sql\n"
	    "  DUMP.sql is mysqldump's output or phpMyAdmin's SQL export of the PHP version's\n"
	    "  database (- reads standard input). --essai checks and reports, writes nothing.\n"
	    "  --fuseau: the old server's time zone (+01:00, Europe/Paris; default: local),\n"
	    "  for dates the dump does not place itself (no SET TIME_ZONE, or DATETIME).\n");
	return 2;
}

/* Adds "OLD=NEW" (split at the last '=') to a rename list. */
static int
add_rename(struct rename **list, size_t *n, char *arg, enum ftype type)
{
	char *eq = strrchr(arg, '=');
	struct rename *more;
	int64_t dummy;

	if (!eq || eq == arg || !field_parse(type, eq + 1, &dummy)) {
		fprintf(stderr, "10p5-admin: import-php: '%s': OLD=NEW, where NEW is %s\n", arg,
		    type == FT_CARD ? "1-32 letters and digits" : "1-30 of letters, digits, '.', '_', '-'");
		return 0;
	}
	if (!(more = realloc(*list, (*n + 1) * sizeof **list)))
		return 0;
	*list = more;
	*eq = '\0';
	more[*n].from = arg;
	more[*n].to = eq + 1;
	more[*n].used = false;
	(*n)++;
	return 1;
}

static int
parse_options(struct options *o, int argc, char **argv)
{
	int i;

	o->zone.kind = ZK_LOCAL;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *opt = argv[i];

		if (strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(opt, "--essai") == 0) {
			o->dry_run = true;
			continue;
		}
		if (i + 1 == argc)
			return usage();
		if (strcmp(opt, "--fuseau") == 0) {
			if (!import_zone_parse(argv[++i], &o->zone)) {
				fprintf(stderr, "10p5-admin: import-php: --fuseau %s: an offset such as "
				    "+01:00, a zone such as Europe/Paris, or local\n", argv[i]);
				return 2;
			}
			o->zone_given = true;
		} else if (strcmp(opt, "--renommer-carte") == 0) {
			if (!add_rename(&o->cards, &o->ncards, argv[++i], FT_CARD))
				return 2;
		} else if (strcmp(opt, "--renommer-login") == 0) {
			if (!add_rename(&o->logins, &o->nlogins, argv[++i], FT_LOGIN))
				return 2;
		} else
			return usage();
	}
	if (i != argc - 1)
		return usage();
	o->dump = argv[i];
	return 0;
}

/* What the report and the journal say about the dates. */
static void
dates_words(const struct import *im, char *out, size_t cap)
{
	char z[128];
	size_t w = 0;

	if (im->dates_dump)
		w += (size_t)snprintf(out, cap, "%ld TIMESTAMP values in %s, as the dump's SET "
		    "TIME_ZONE says", im->dates_dump, import_zone_words(&im->dump_zone, z));
	if (im->dates_fallback && w < cap)
		w += (size_t)snprintf(out + w, cap - w, "%s%ld %s values in %s%s", w ? "; " : "",
		    im->dates_fallback, im->date_local ? "DATETIME" : "TIMESTAMP",
		    import_zone_words(&im->o->zone, z), im->o->zone_given ? " (--fuseau)"
		    : ", assumed to be the old server's (--fuseau to change)");
	if (!im->dates_dump && !im->dates_fallback)
		snprintf(out, cap, "none");
}

int
import_php_main(const char *db_path, int argc, char **argv)
{
	struct options o = { 0 };
	struct import *im = NULL;
	struct dump_error err;
	unsigned char digest[SHA256_LEN];
	char *buf = NULL, file[4096], dates[512], tmpdir[] = "/tmp/10p5-essai.XXXXXX";
	char trial[sizeof tmpdir + 8];
	const char *tz = getenv("TZ"), *target = db_path;
	size_t len = 0;
	int status = 1, r;

	if ((r = parse_options(&o, argc, argv)) != 0) {
		free(o.cards);
		free(o.logins);
		return r;
	}
	if (!(im = calloc(1, sizeof *im)) || (tz && !(im->tz_orig = strdup(tz)))) {
		fprintf(stderr, "10p5-admin: import-php: out of memory\n");
		goto out;
	}
	im->o = &o;
	if (!(buf = read_all(o.dump, &len)))
		goto out;
	if (strcmp(o.dump, "-") == 0)
		snprintf(file, sizeof file, "(standard input)");
	else if (!realpath(o.dump, file))
		snprintf(file, sizeof file, "%s", o.dump);
	sha256(buf, len, digest);
	if (!import_read(im, buf, len, &err)) {
		fprintf(stderr, "10p5-admin: import-php: %s", o.dump);
		if (err.line)
			fprintf(stderr, ", line %ld", err.line);
		if (err.col)
			fprintf(stderr, ", column %ld", err.col);
		if (err.table[0])
			fprintf(stderr, " (table %s)", err.table);
		fprintf(stderr, ": %s\nnothing was written\n", err.msg);
		goto out;
	}
	import_tz_use(im, NULL);
	dates_words(im, dates, sizeof dates);
	/* A trial on a database that does not exist yet runs in a throw-away
	 * one, so that it creates nothing. */
	if (o.dry_run && access(db_path, F_OK) != 0) {
		if (!mkdtemp(tmpdir)) {
			fprintf(stderr, "10p5-admin: import-php: %s: %s\n", tmpdir, strerror(errno));
			goto out;
		}
		snprintf(trial, sizeof trial, "%s/10p5.db", tmpdir);
		target = trial;
	}
	if (!db_open(target, true)) {
		fprintf(stderr, "10p5-admin: import-php: cannot open %s\n", target);
		goto out;
	}
	/* The history's indexes are filled in client order, not id order: a
	 * cache that holds them keeps a million rows from going to disk
	 * page by page (256 MB at most, for this command only). */
	if (sqlite3_exec(db_handle(), "PRAGMA cache_size = -262144", NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "10p5-admin: import-php: cannot enlarge the page cache\n");
	if (import_write(im, file, digest, dates)) {
		import_report(im, file, dates, db_path);
		status = 0;
	} else
		fprintf(stderr, "nothing was written\n");
	db_close();
out:
	if (im && im->tz_now[0])
		import_tz_use(im, NULL); /* $TZ as it was */
	if (target == trial) {
		static const char *const suffix[] = { "", "-wal", "-shm", "-writer" };
		char f[sizeof trial + 8];

		for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
			snprintf(f, sizeof f, "%s%s", trial, suffix[i]);
			unlink(f);
		}
		rmdir(tmpdir);
	}
	if (im)
		import_free(im);
	free(im);
	free(buf);
	free(o.cards);
	free(o.logins);
	return status;
}

