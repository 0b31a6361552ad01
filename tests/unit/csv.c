/* Unit tests for lib/csv.c: cells quoted and escaped in both formats, money,
 * and local dates with their offset, across a change of summer time and in
 * zones a quarter of an hour off UTC. */
#include <time.h>

#include "../tap.h"
#include "csv.h"

/* One line of cells written by fn, as text ("" when it did not fit). */
static char line[256];

static const char *
one_cell(enum csv_format f, size_t cap, void (*fn)(struct csv *, const void *), const void *arg)
{
	struct csv c;
	int n;

	csv_start(&c, line, cap, f);
	fn(&c, arg);
	n = csv_end(&c);
	line[n > 0 ? n : 0] = '\0';
	return line;
}

static void
text(struct csv *c, const void *s)
{
	csv_text(c, s);
}

static void
date(struct csv *c, const void *ms)
{
	csv_date(c, *(const int64_t *)ms);
}

static const char *
at(int64_t ms)
{
	return one_cell(CSV_FR, sizeof line, date, &ms);
}

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

int
main(void)
{
	struct csv c;
	char buf[64];
	size_t len;
	char *head;
	int n;

	csv_start(&c, buf, sizeof buf, CSV_FR);
	csv_int(&c, -42);
	csv_money(&c, 170);
	csv_money(&c, -5);
	csv_bool(&c, true);
	csv_empty(&c);
	csv_text(&c, "a");
	n = csv_end(&c);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "-42;1,70;-0,05;oui;;a\r\n", "French: ';', decimal commas, oui/non, CRLF");
	csv_start(&c, buf, sizeof buf, CSV_RFC4180);
	csv_money(&c, 100000);
	csv_bool(&c, false);
	csv_text(&c, NULL);
	n = csv_end(&c);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "1000.00,false,\r\n", "RFC 4180: ',', decimal points, true/false");

	is_str(one_cell(CSV_FR, sizeof line, text, "a;b"), "\"a;b\"\r\n", "a cell holding ';' is quoted (French)");
	is_str(one_cell(CSV_FR, sizeof line, text, "a,b"), "a,b\r\n", "but not one holding ','");
	is_str(one_cell(CSV_RFC4180, sizeof line, text, "a,b"), "\"a,b\"\r\n", "which is quoted in RFC 4180");
	is_str(one_cell(CSV_FR, sizeof line, text, "say \"hi\""), "\"say \"\"hi\"\"\"\r\n",
	    "quotes are doubled inside quotes");
	is_str(one_cell(CSV_FR, sizeof line, text, "two\nlines"), "\"two\nlines\"\r\n", "a line break is quoted");
	is_str(one_cell(CSV_FR, sizeof line, text, "=SOMME(A1)"), "'=SOMME(A1)\r\n",
	    "a cell a spreadsheet would compute starts with '");
	is_str(one_cell(CSV_FR, sizeof line, text, "-bar"), "'-bar\r\n", "- first too");
	is_str(one_cell(CSV_RFC4180, sizeof line, text, "@x,y"), "\"'@x,y\"\r\n", "@ first, quoted");
	is_str(one_cell(CSV_FR, 8, text, "12345678"), "", "a line that does not fit is refused, not cut");

	head = csv_head(CSV_FR, (const char *const[]){ "id", "montant" }, 2, &len);
	ok(head && len == 15 && memcmp(head, "\xEF\xBB\xBFid;montant\r\n", 15) == 0,
	    "the French head starts with the byte-order mark");
	free(head);
	head = csv_head(CSV_RFC4180, (const char *const[]){ "id", "montant" }, 2, &len);
	ok(head && len == 12 && memcmp(head, "id,montant\r\n", 12) == 0, "the RFC 4180 head has none");
	free(head);

	zone("Europe/Paris");
	is_str(at(1764713703120), "2025-12-02T23:15:03.120+01:00\r\n", "a winter date in Paris: +01:00");
	is_str(at(1751400000001), "2025-07-01T22:00:00.001+02:00\r\n", "a summer one: +02:00");
	/* Summer time began on 2026-03-29 at 01:00 UTC. */
	is_str(at(1774745999999), "2026-03-29T01:59:59.999+01:00\r\n", "the last millisecond of winter time");
	is_str(at(1774746000000), "2026-03-29T03:00:00.000+02:00\r\n", "the first of summer time");
	is_str(at(1774745100000), "2026-03-29T01:45:00.000+01:00\r\n", "and back, in the quarter before");
	is_str(at(0), "1970-01-01T01:00:00.000+01:00\r\n", "the epoch");
	zone("Asia/Kathmandu");
	is_str(at(1764713703120), "2025-12-03T04:00:03.120+05:45\r\n", "Kathmandu: +05:45");
	is_str(at(1764713703120 + 899999), "2025-12-03T04:15:03.119+05:45\r\n", "across its quarters");
	zone("America/St_Johns");
	is_str(at(1764713703120), "2025-12-02T18:45:03.120-03:30\r\n", "St John's: -03:30");
	zone("UTC");
	is_str(at(-1), "1969-12-31T23:59:59.999+00:00\r\n", "a millisecond before the epoch");
	is_str(at(INT64_MAX), "9223372036854775807\r\n", "a date past year 9999: its milliseconds");
	return done_testing();
}
