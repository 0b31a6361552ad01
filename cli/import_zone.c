/*
 * The import's time zones: the --fuseau option and the zone a dump sets
 * (SET TIME_ZONE) read into a struct zone, described for the report, and a
 * dump's date and time read in one of them. A named or local zone goes
 * through the C library's local time, so $TZ is the import's to set while it
 * reads, and import_tz_use(im, NULL) gives it back as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "import_in.h"

/* Reads "+01:00", "-05:30", "local" or a zone name of the system's database
 * ("Europe/Paris", "UTC"). Returns 1, or 0. */
int
import_zone_parse(const char *s, struct zone *z)
{
	const char *dir = getenv("TZDIR");
	char path[256];
	int hh, mm;

	memset(z, 0, sizeof *z);
	snprintf(z->name, sizeof z->name, "%s", s);
	if ((s[0] == '+' || s[0] == '-') && strlen(s) == 6 && s[3] == ':' &&
	    strspn(s + 1, "0123456789") == 2 && strspn(s + 4, "0123456789") == 2) {
		hh = (s[1] - '0') * 10 + (s[2] - '0');
		mm = (s[4] - '0') * 10 + (s[5] - '0');
		if (hh > 14 || mm > 59)
			return 0;
		z->kind = ZK_OFFSET;
		z->offset_s = (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
		return 1;
	}
	if (strcmp(s, "local") == 0) {
		z->kind = ZK_LOCAL;
		return 1;
	}
	/* A name the C library would silently read as UTC if it had no file. */
	if (!*s || strlen(s) >= sizeof z->name || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(s) || strstr(s, "..") || *s == '/')
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", s);
	if (access(path, R_OK) != 0)
		return 0;
	z->kind = ZK_NAMED;
	return 1;
}

/* Describes z for the report. */
const char *
import_zone_words(const struct zone *z, char out[128])
{
	char link[256];
	const char *tz = getenv("TZ"), *at;
	ssize_t n;

	if (z->kind == ZK_OFFSET)
		snprintf(out, 128, "UTC%s", z->offset_s ? z->name : "");
	else if (z->kind == ZK_NAMED)
		snprintf(out, 128, "%s", z->name);
	else if (tz && *tz)
		snprintf(out, 128, "the local time zone (TZ=%s)", tz);
	else if ((n = readlink("/etc/localtime", link, sizeof link - 1)) > 0 &&
	    (link[n] = '\0', at = strstr(link, "zoneinfo/")) != NULL)
		snprintf(out, 128, "the local time zone (%s)", at + 9);
	else
		snprintf(out, 128, "the local time zone");
	return out;
}

/* Points the C library's local time at name (NULL: $TZ as it was). */
void
import_tz_use(struct import *im, const char *name)
{
	const char *want = name ? name : im->tz_orig;

	if (im->tz_now[0] && strcmp(im->tz_now + 1, want ? want : "") == 0 &&
	    (im->tz_now[0] == '=') == (want != NULL))
		return;
	if (want)
		setenv("TZ", want, 1);
	else
		unsetenv("TZ");
	tzset();
	snprintf(im->tz_now, sizeof im->tz_now, "%c%s", want ? '=' : '-', want ? want : "");
}

/* d read in zone z, as milliseconds since 1970. Returns 1, or 0 for a time
 * that does not exist there. */
int
import_zone_ms(struct import *im, const struct zone *z, const struct dump_datetime *d,
    int64_t *out)
{
	struct tm tm = {
		.tm_year = d->year - 1900, .tm_mon = d->mon - 1, .tm_mday = d->day,
		.tm_hour = d->hour, .tm_min = d->min, .tm_sec = d->sec, .tm_isdst = -1,
	};
	time_t t;

	if (z->kind == ZK_OFFSET)
		t = timegm(&tm) - z->offset_s;
	else {
		import_tz_use(im, z->kind == ZK_NAMED ? z->name : NULL);
		if ((t = mktime(&tm)) == (time_t)-1)
			return 0;
	}
	*out = (int64_t)t * 1000 + d->msec;
	return 1;
}
