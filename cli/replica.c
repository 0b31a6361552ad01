/*
 * A replica brought back as a database, for the standby taking over from a
 * dead primary (doc/deploy.md, "The primary is dead"). The replication
 * engine (Litestream) writes the copy; we only choose where, refuse to put it
 * over anything, and clean up after a failure.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "replica.h"

extern char **environ;

/* The engine's program: $TENP5_LITESTREAM, else "litestream" beside this
 * command (/opt/10p5/bin/ in production), else on the PATH. */
static char *
engine(char *buf, size_t len)
{
	char *env = getenv("TENP5_LITESTREAM");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	if ((n = readlink("/proc/self/exe", buf, len - 1)) > 0) {
		buf[n] = '\0';
		if ((slash = strrchr(buf, '/')) && (size_t)(slash - buf) + sizeof "/litestream" <= len) {
			strcpy(slash, "/litestream");
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, len, "litestream");
	return buf;
}

/* Whether dir exists and holds nothing: 1 empty, 0 not, -1 unreadable. */
static int
empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

/* Whether dir belongs to the user running this: 1 yes, 0 not (said on
 * stderr), -1 unreadable. The database takes its maker's ownership: made by
 * another user (root forgetting sudo -u tenp5), the server could not write
 * it and every payment would fail. */
static int
own_dir(const char *dir)
{
	struct stat st;
	const struct passwd *pw;
	char owner[32];

	if (stat(dir, &st) != 0)
		return -1;
	if (st.st_uid == geteuid())
		return 1;
	if ((pw = getpwuid(st.st_uid)))
		snprintf(owner, sizeof owner, "%s", pw->pw_name);
	else
		snprintf(owner, sizeof owner, "%ld", (long)st.st_uid);
	fprintf(stderr, "10p5-admin: %s belongs to %s: run restore-replica as %s (sudo -u %s), "
	    "or the server could not write the database\n", dir, owner, owner, owner);
	return 0;
}

/* Removes what a restore leaves beside the database: the engine's temporary
 * copy's side files; and after a failure (all) the database and its own. */
static void
clean(const char *db_path, bool all)
{
	static const char *const suffixes[] = { ".tmp", ".tmp-wal", ".tmp-shm", "", "-wal", "-shm" };
	char name[PATH_MAX + 16];

	for (size_t i = 0; i < (all ? 6 : 3); i++) {
		snprintf(name, sizeof name, "%s%s", db_path, suffixes[i]);
		(void)unlink(name);
	}
}

int
replica_restore(const char *db_path, const char *url)
{
	char dir[PATH_MAX], prog[PATH_MAX], out[PATH_MAX], from[PATH_MAX];
	char verb[] = "restore", opt[] = "-o";
	const char *slash = strrchr(db_path, '/');
	char *argv[6];
	pid_t pid;
	int status, rc;

	if (strlen(db_path) >= sizeof dir || strlen(url) >= sizeof from) {
		fprintf(stderr, "10p5-admin: path too long\n");
		return 0;
	}
	strcpy(out, db_path);
	strcpy(from, url);
	if (!slash)
		strcpy(dir, ".");
	else if (slash == db_path)
		strcpy(dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - db_path), db_path);
	switch (empty_dir(dir)) {
	case -1:
		fprintf(stderr, "10p5-admin: cannot read the directory %s: %s\n", dir, strerror(errno));
		return 0;
	case 0:
		fprintf(stderr, "10p5-admin: %s is not empty: a replica is restored into a fresh "
		    "data directory only\n", dir);
		return 0;
	default:
		break;
	}
	switch (own_dir(dir)) {
	case -1:
		fprintf(stderr, "10p5-admin: cannot read the directory %s: %s\n", dir, strerror(errno));
		return 0;
	case 0:
		return 0;
	default:
		break;
	}
	argv[0] = engine(prog, sizeof prog);
	argv[1] = verb;
	argv[2] = opt;
	argv[3] = out;
	argv[4] = from;
	argv[5] = NULL;
	if ((rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ)) != 0) {
		fprintf(stderr, "10p5-admin: cannot run %s: %s\n", argv[0], strerror(rc));
		return 0;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "10p5-admin: waiting for %s: %s\n", argv[0], strerror(errno));
			clean(db_path, true);
			return 0;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || access(db_path, F_OK) != 0) {
		fprintf(stderr, "10p5-admin: the replica at %s could not be restored\n", url);
		clean(db_path, true);
		return 0;
	}
	clean(db_path, false);
	return 1;
}
