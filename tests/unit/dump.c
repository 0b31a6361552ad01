/* Unit tests for cli/dump.c, the reader of MySQL dumps: amounts to cents,
 * integers and dates, then whole dumps in buffers that end at a guard page
 * (no terminator), every prefix of one, and each kind of refusal. */
#include "../tap.h"
#include "../../cli/dump.h"

/* What the callbacks saw, as text: "T:name", "C:name(col/type,...)",
 * "I:table(col,...)", "R:v|v|...@zone"; NULL values as \N, NULs as \0. */
static char seen[8192];
static size_t seen_n;
static const char *refuse_table; /* the table callback refuses this one */

/* Appends n bytes of s to what was seen. */
static void
addn(const char *s, size_t n)
{
	if (n < sizeof seen - seen_n) {
		memcpy(seen + seen_n, s, n);
		seen_n += n;
		seen[seen_n] = '\0';
	}
}

static void
add(const char *s)
{
	addn(s, strlen(s));
}

static int
on_table(void *arg, const char *name, long line, long col, struct dump_error *err)
{
	(void)arg;
	if (refuse_table && strcmp(name, refuse_table) == 0)
		return dump_fail(err, line, col, name, "refused by the caller");
	add("T:");
	add(name);
	add(" ");
	return 1;
}

static int
on_create(void *arg, const struct dump_table *t, long line, struct dump_error *err)
{
	(void)arg;
	(void)line;
	(void)err;
	add("C:");
	add(t->name);
	add("(");
	for (size_t i = 0; i < t->ncolumns; i++) {
		add(i ? "," : "");
		add(t->columns[i].name);
		add("/");
		add(t->columns[i].type);
	}
	add(")");
	add(t->charset == DCS_LATIN1 ? "latin1 " : " ");
	return 1;
}

static int
on_insert(void *arg, const char *table, const char *const *columns, size_t n, long line,
    struct dump_error *err)
{
	(void)arg;
	(void)line;
	(void)err;
	add("I:");
	add(table);
	add("(");
	for (size_t i = 0; i < n; i++) {
		add(i ? "," : "");
		add(columns[i]);
	}
	add(") ");
	return 1;
}

static int
on_row(void *arg, const struct dump_value *v, size_t n, const char *zone, struct dump_error *err)
{
	(void)arg;
	(void)err;
	add("R:");
	for (size_t i = 0; i < n; i++) {
		add(i ? "|" : "");
		if (v[i].kind == DV_NULL)
			add("\\N");
		for (size_t k = 0; k < v[i].len; k++) {
			if (v[i].s[k])
				addn(v[i].s + k, 1);
			else
				add("\\0");
		}
	}
	add("@");
	add(zone ? zone : "-");
	add(" ");
	return 1;
}

static const struct dump_handler handler = { on_table, on_create, on_insert, on_row };
static struct dump_error err;
static struct dump_info info;

/* Reads s (without its terminator) from a guarded buffer. */
static int
read_n(const char *s, size_t n)
{
	seen_n = 0;
	seen[0] = '\0';
	return dump_read(guarded_copy(s, n), n, &handler, NULL, &info, &err);
}

static int
read_s(const char *s)
{
	return read_n(s, strlen(s));
}

/* A latin1 INSERT of one row: sixteen values of DUMP_VALUE_MAX - 1 bytes,
 * then `empty` empty strings. */
static const char *
full_row(int empty)
{
	static char dump[20 * DUMP_VALUE_MAX];
	size_t n = (size_t)snprintf(dump, sizeof dump, "SET NAMES latin1;\nINSERT INTO t (");

	for (int i = 0; i < 16 + empty; i++)
		n += (size_t)snprintf(dump + n, sizeof dump - n, "%sa%d", i ? "," : "", i);
	n += (size_t)snprintf(dump + n, sizeof dump - n, ") VALUES (");
	for (int i = 0; i < 16 + empty; i++) {
		n += (size_t)snprintf(dump + n, sizeof dump - n, "%s'", i ? "," : "");
		if (i < 16) {
			memset(dump + n, 'x', DUMP_VALUE_MAX - 1);
			n += DUMP_VALUE_MAX - 1;
		}
		dump[n++] = '\'';
	}
	snprintf(dump + n, sizeof dump - n, ");\n");
	return dump;
}

static const char mysqldump[] =
    "/*M!999999\\- enable the sandbox mode */ \n"
    "-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB\n"
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
    "/*!40101 SET NAMES utf8mb4 */;\n"
    "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n"
    "/*!40103 SET TIME_ZONE='+00:00' */;\n"
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n"
    "DROP TABLE IF EXISTS `Prix`;\n"
    "/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
    "/*!40101 SET character_set_client = utf8mb4 */;\n"
    "CREATE TABLE `Prix` (\n"
    "  `produit` char(30) DEFAULT NULL COMMENT 'a, b (c)',\n"
    "  `prix` FLOAT(7,2) DEFAULT NULL,\n"
    "  PRIMARY KEY (`produit`),\n"
    "  CONSTRAINT `x` FOREIGN KEY (`produit`) REFERENCES `Autre` (`nom`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;\n"
    "/*!40101 SET character_set_client = @saved_cs_client */;\n"
    "LOCK TABLES `Prix` WRITE;\n"
    "/*!40000 ALTER TABLE `Prix` DISABLE KEYS */;\n"
    "INSERT INTO `Prix` VALUES ('it\\'s',-1.5),('a''b\\\\c',2e-05),(\"d\\0q\",NULL);\n"
    "/*!40000 ALTER TABLE `Prix` ENABLE KEYS */;\n"
    "UNLOCK TABLES;\n"
    "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n"
    "INSERT INTO `Prix` (`prix`, `produit`) VALUES (1,'x');\n"
    "-- Dump completed on 2026-12-01  0:01:30\n";

int
main(void)
{
	int64_t v;
	struct dump_datetime d;

	/* Amounts: rounded half away from zero at the cent, from text. */
	static const struct { const char *s; int64_t cents; } money[] = {
		{ "48.29999923706055", 4830 }, { "48.3", 4830 }, { "48.30", 4830 },
		{ "1.005", 101 }, { "1.00499999", 100 }, { "-0.125", -13 }, { "-0.124", -12 },
		{ "-0.004", 0 }, { "0", 0 }, { "1e-05", 0 }, { "4.83e1", 4830 },
		{ "1.2345E+3", 123450 }, { "999.989990234375", 99999 },
		{ "0.07000000029802322", 7 }, { "+5", 500 }, { "1.", 100 },
		{ "10000000000000", 1000000000000000 }, { "0.005e0", 1 },
	};
	static const char *const not_money[] = {
		"", "-", ".5", "1.2.3", "1e", "1e1000", "abc", "1,5", "10000000000000.01",
		"1e+1234", "0x10", " 1", "1 ",
	};

	for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
		ok(dump_cents(money[i].s, &v) && v == money[i].cents, "'%s' is %" PRId64 " cents",
		    money[i].s, money[i].cents);
	for (size_t i = 0; i < sizeof not_money / sizeof not_money[0]; i++)
		ok(!dump_cents(not_money[i], &v), "'%s' is not an amount", not_money[i]);

	ok(dump_integer("9223372036854775807", 0, INT64_MAX, &v) && v == INT64_MAX, "the largest id");
	ok(!dump_integer("9223372036854775808", 0, INT64_MAX, &v), "one more is refused");
	ok(dump_integer("-3", -5, 5, &v) && v == -3, "a negative integer");
	ok(!dump_integer("4", 1, 3, &v), "out of bounds is refused");
	ok(!dump_integer("1.0", 0, 9, &v) && !dump_integer("", 0, 9, &v), "and so are 1.0 and ''");

	ok(dump_datetime("2016-05-01 20:15:07", &d) && d.year == 2016 && d.mon == 5 && d.day == 1 &&
	    d.hour == 20 && d.min == 15 && d.sec == 7 && d.msec == 0, "a date and time");
	ok(dump_datetime("2016-05-01 20:15:07.123456", &d) && d.msec == 123, "fractions to milliseconds");
	ok(dump_datetime("2016-02-29 00:00:00", &d), "a leap day");
	ok(!dump_datetime("2015-02-29 00:00:00", &d), "not in a common year");
	ok(!dump_datetime("0000-00-00 00:00:00", &d), "the zero date is refused");
	ok(!dump_datetime("2016-05-01T20:15:07", &d), "ISO's T is not MySQL's");
	ok(!dump_datetime("2016-05-01 24:00:00", &d), "hour 24 is refused");
	ok(!dump_datetime("2016-05-01 20:15:07.", &d), "an empty fraction is refused");

	/* A whole dump. */
	ok(read_s(mysqldump), "a mysqldump file is read");
	is_str(seen, "T:Prix T:Prix C:Prix(produit/char,prix/float) T:Prix T:Prix T:Prix "
	    "I:Prix(produit,prix) R:it's|-1.5@+00:00 R:a'b\\c|2e-05@+00:00 R:d\\0q|\\N@+00:00 "
	    "T:Prix T:Prix I:Prix(prix,produit) R:1|x@- ",
	    "tables, columns, escapes, NULL, numbers and the time zone in force");
	is_int(info.format, DF_MYSQLDUMP, "the format is recognised from the header");
	is_int(info.names, DCS_UTF8, "SET NAMES utf8mb4 is UTF-8");
	is_int(info.rows, 4, "four rows");

	/* Between the header that says mysqldump wrote it and the trailer that
	 * says it finished, every prefix is refused; no prefix, however short,
	 * reads past its end. */
	{
		size_t n = strlen(mysqldump), bad = 0;
		size_t header = (size_t)(strstr(mysqldump, "-- MariaDB dump") - mysqldump) + 15;
		size_t trailer = (size_t)(strstr(mysqldump, "-- Dump completed") - mysqldump) + 17;

		for (size_t k = 0; k < n; k++)
			if (read_n(mysqldump, k) && k >= header && k < trailer)
				bad++;
		is_int(bad, 0, "each of the %zu prefixes that lack the trailer is refused",
		    trailer - header);
		read_n(mysqldump, trailer - 30);
		ok(strstr(err.msg, "truncated") != NULL, "as truncated: %s", err.msg);
	}

	/* latin1 to UTF-8. */
	ok(read_s("SET NAMES latin1;\nCREATE TABLE t (a char(9));\n"
	    "INSERT INTO t VALUES ('caf\xe9 \x80 \x81');\n"), "a latin1 dump is read");
	is_str(seen, "T:t C:t(a/char) T:t I:t(a) R:caf\xc3\xa9 \xe2\x82\xac \xc2\x81@- ",
	    "its text decoded to UTF-8 (0x80 the euro sign, as in MySQL's latin1)");
	ok(read_s("CREATE TABLE t (a char(9)) DEFAULT CHARSET=latin1;\n"
	    "INSERT INTO t VALUES ('\xe9');\n"), "without SET NAMES, the table's charset decides");
	is_str(seen, "T:t C:t(a/char)latin1 T:t I:t(a) R:\xc3\xa9@- ", "latin1 again");

	/* Refusals, each with its place. */
	ok(!read_s("CREATE TABLE t (a char(9));\nINSERT INTO t VALUES ('\xe9');\n") &&
	    err.line == 2 && err.col == 23 && strstr(err.msg, "not UTF-8"),
	    "bytes that are not UTF-8, with no latin1 declared: line %ld col %ld", err.line, err.col);
	ok(!read_s("SET NAMES utf8;\n/*!40101 SET NAMES latin2 */;\n") && err.line == 2 &&
	    strstr(err.msg, "latin2"), "another charset: %s", err.msg);
	ok(!read_s("CREATE TABLE t (a char(9)) DEFAULT CHARSET=koi8r;\n") &&
	    strstr(err.msg, "koi8r"), "a table in another charset");
	ok(!read_s("CREATE TABLE t (a char(9) CHARACTER SET sjis);\n") && strstr(err.msg, "sjis"),
	    "a column in another charset");
	ok(!read_n("SET NAMES utf8;\n\0x", 17) && err.line == 2 && err.col == 1 &&
	    strstr(err.msg, "NUL"), "a NUL byte: line %ld col %ld", err.line, err.col);
	ok(!read_s("INSERT INTO t VALUES (1);\n") && strstr(err.msg, "order of its values"),
	    "an INSERT without columns before its CREATE TABLE");
	ok(!read_s("CREATE TABLE t (a int, b int);\nINSERT INTO t VALUES (1);\n") && err.line == 2 &&
	    strstr(err.msg, "1 values for 2 columns"), "a row with too few values");
	ok(!read_s("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1, 2);\n") &&
	    strstr(err.msg, "more values"), "a row with too many");
	ok(!read_s("SET NAMES utf8;\n\nDELETE FROM t;\n") && err.line == 3 && err.col == 1 &&
	    strstr(err.msg, "DELETE"), "a statement dumps do not hold: %s", err.msg);
	ok(!read_s("CREATE TABLE t (a int);\nINSERT INTO t VALUES (0x41);\n") &&
	    strstr(err.msg, "hexadecimal"), "hexadecimal literals are refused");
	ok(!read_s("SET GLOBAL general_log = 1;\n") && strstr(err.msg, "general_log"),
	    "SET of a variable dumps do not set");
	ok(!read_s("ALTER TABLE t ADD COLUMN x int;\n") && strstr(err.msg, "keys and constraints"),
	    "ALTER TABLE that adds a column");
	ok(!read_s("CREATE TABLE t (a int);\nALTER TABLE t MODIFY a char(3);\n") &&
	    strstr(err.msg, "changes the type"), "ALTER TABLE that changes a type");
	ok(!read_s("START TRANSACTION;\nCREATE TABLE t (a int);\n") && strstr(err.msg, "COMMIT"),
	    "a transaction left open");
	ok(read_s("START TRANSACTION;\nCREATE TABLE t (a int);\nCOMMIT;\n"), "and closed");
	ok(!read_s("CREATE TABLE t (a int);\nCREATE TABLE T (b int);\n") &&
	    strstr(err.msg, "created twice"), "a table created twice");
	ok(!read_s("CREATE TABLE t (a int, A int);\n") && strstr(err.msg, "twice"),
	    "a column declared twice");
	ok(!read_s("/*!40101 SET NAMES utf8; */\n") && strstr(err.msg, "conditional comment"),
	    "';' inside a conditional comment");
	refuse_table = "secret";
	ok(!read_s("DROP TABLE IF EXISTS `secret`;\n") && strcmp(err.table, "secret") == 0 &&
	    strstr(err.msg, "refused by the caller"), "a callback's refusal stops the reading");
	refuse_table = NULL;
	{
		char deep[200] = "CREATE TABLE t (a int CHECK ";
		size_t n = strlen(deep);

		for (int i = 0; i < 40; i++)
			deep[n++] = '(';
		strcpy(deep + n, "1");
		ok(!read_s(deep) && strstr(err.msg, "too deep"), "parentheses nest 32 deep at most");
	}
	{
		static char big[DUMP_VALUE_MAX + 200];
		size_t n = (size_t)snprintf(big, sizeof big, "CREATE TABLE t (a text);\n"
		    "INSERT INTO t VALUES ('");

		memset(big + n, 'x', DUMP_VALUE_MAX + 1);
		strcpy(big + n + DUMP_VALUE_MAX + 1, "');\n");
		ok(!read_s(big) && strstr(err.msg, "longer than"), "a value over %d bytes",
		    DUMP_VALUE_MAX);
	}
	/* A row's decoded values, each with its NUL, fill 65 536 bytes at most:
	 * sixteen values of 4 095 bytes fill it exactly, and one more value,
	 * even an empty one (latin1 decodes it without a byte), is one too many. */
	ok(read_s(full_row(0)) && info.rows == 1, "sixteen values of 4095 bytes fill a row exactly");
	ok(!read_s(full_row(1)) && strstr(err.msg, "a row longer than 65536 bytes"),
	    "an empty latin1 string after them is refused: %s", err.msg);
	return done_testing();
}
