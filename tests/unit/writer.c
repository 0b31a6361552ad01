/*
 * Unit tests for lib/writer.c (with lib/transport.c and lib/request.c): the
 * group-commit writer driven over a real Unix socket by hand-made FastCGI
 * requests. Writes of one turn share one commit; a refusal stays private to
 * its request; a failed commit fails the whole group; a stalled peer delays
 * nobody past the read deadline; a read of the turn sees its writes.
 */
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../tap.h"
#include "clock.h"
#include "server.h"
#include "unitdb.h"
#include "writer.h"

/* test/add: adds the price of `quantite` drinks (13 is refused). */
static enum status
h_add(struct req *r, json_object *out)
{
	(void)out;
	if (r->v[FLD_QUANTITE].i == 13)
		return ST_PRODUIT_INCONNU;
	return db_exec("INSERT INTO prices (qty, price) VALUES (?1, 100)", "i", r->v[FLD_QUANTITE].i)
	    ? ST_OK : ST_ERREUR_BDD;
}

/* test/count: how many prices there are. */
static enum status
h_count(struct req *r, json_object *out)
{
	(void)r;
	reply_int(out, K_QUANTITE, db_int("SELECT count(*) FROM prices", -1));
	return ST_OK;
}

/* The rows each row writer has formatted. */
static int rows_qty, rows_price;

static int
row_qty(sqlite3_stmt *st, char *buf, size_t cap)
{
	rows_qty++;
	return snprintf(buf, cap, "%lld", (long long)sqlite3_column_int64(st, 0));
}

static int
row_price(sqlite3_stmt *st, char *buf, size_t cap)
{
	rows_price++;
	return snprintf(buf, cap, "\"%lld\"", (long long)sqlite3_column_int64(st, 1));
}

/* test/list and test/prices: the same query, through two row writers. */
static enum status
list(struct req *r, row_fn row)
{
	sqlite3_stmt *st = db_query("SELECT qty, price FROM prices WHERE qty > ?1 ORDER BY qty LIMIT ?2",
	    "ii", r->v[FLD_APRES].i, r->v[FLD_LIMITE].i > 0 ? r->v[FLD_LIMITE].i + 1 : -1);

	if (!st)
		return ST_ERREUR_BDD;
	req_stream(r, K_PRIX, st, row, r->v[FLD_LIMITE].i);
	return ST_OK;
}

static enum status
h_list(struct req *r, json_object *out)
{
	(void)out;
	return list(r, row_qty);
}

static enum status
h_prices(struct req *r, json_object *out)
{
	(void)out;
	return list(r, row_price);
}

/* test/card: the ids of card `quantite`'s ledger rows, kept while that card
 * is unchanged. */
static enum status
h_card(struct req *r, json_object *out)
{
	sqlite3_stmt *st = db_query("SELECT id FROM transactions WHERE client_id = ?1 ORDER BY id",
	    "i", r->v[FLD_QUANTITE].i);

	(void)out;
	if (!st)
		return ST_ERREUR_BDD;
	req_stream(r, K_PRIX, st, row_qty, 0);
	req_stream_card(r, r->v[FLD_QUANTITE].i);
	return ST_OK;
}

static const struct route routes[] = {
	{ .path = "test/add", .handler = h_add, .flags = R_PUBLIC | R_WRITE,
	  .takes = FB(FLD_QUANTITE), .needs = FB(FLD_QUANTITE) },
	{ .path = "test/count", .handler = h_count, .flags = R_PUBLIC },
	{ .path = "test/list", .handler = h_list, .flags = R_PUBLIC,
	  .takes = FB(FLD_LIMITE) | FB(FLD_APRES) },
	{ .path = "test/prices", .handler = h_prices, .flags = R_PUBLIC,
	  .takes = FB(FLD_LIMITE) | FB(FLD_APRES) },
	{ .path = "test/card", .handler = h_card, .flags = R_PUBLIC,
	  .takes = FB(FLD_QUANTITE), .needs = FB(FLD_QUANTITE) },
};
static const struct area area = { .name = "test", .routes = routes, .n = 5 };

static int commits, refuse_commit;

static int
on_commit(void *arg)
{
	(void)arg;
	commits++;
	return refuse_commit; /* non-zero turns the COMMIT into a ROLLBACK */
}

static void
record(unsigned char *b, size_t *n, int type, const void *content, size_t len)
{
	unsigned char h[8] = { 1, (unsigned char)type, 0, 1, (unsigned char)(len >> 8),
		(unsigned char)(len & 0xff), 0, 0 };

	memcpy(b + *n, h, 8);
	memcpy(b + *n + 8, content, len);
	*n += 8 + len;
}

static void
param(unsigned char *p, size_t *n, const char *name, const char *value)
{
	p[(*n)++] = (unsigned char)strlen(name);
	p[(*n)++] = (unsigned char)strlen(value);
	memcpy(p + *n, name, strlen(name));
	*n += strlen(name);
	memcpy(p + *n, value, strlen(value));
	*n += strlen(value);
}

/* A FastCGI request for route with body, whole or (half) cut after its
 * parameters' first bytes. */
static size_t
request(unsigned char *b, const char *route, const char *body, int half)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	unsigned char p[512];
	char len[24];
	size_t n = 0, pn = 0;

	snprintf(len, sizeof len, "%zu", strlen(body));
	param(p, &pn, "REQUEST_METHOD", "POST");
	param(p, &pn, "TENP5_ROUTE", route);
	param(p, &pn, "CONTENT_LENGTH", len);
	record(b, &n, 1, begin, sizeof begin);
	record(b, &n, 4, p, pn);
	if (half)
		return 16 + 11; /* the BEGIN record, then the parameters cut short */
	record(b, &n, 4, "", 0);
	record(b, &n, 5, body, strlen(body));
	record(b, &n, 5, "", 0);
	return n;
}

static int
client(const char *path, const char *route, const char *body, int half)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned char b[1024];
	size_t n = request(b, route, body, half);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || write(fd, b, n) != (ssize_t)n)
		return -1;
	return fd;
}

/* The JSON body of the answer on fd (its STDOUT records after the headers),
 * "" if the connection was closed with no answer. */
static const char *
answer(int fd)
{
	static char out[4096];
	unsigned char buf[8192];
	size_t have = 0, pos = 0, w = 0;
	ssize_t r;
	char *body;

	while (have < sizeof buf && (r = read(fd, buf + have, sizeof buf - have)) > 0)
		have += (size_t)r;
	close(fd);
	while (pos + 8 <= have) {
		size_t len = (size_t)buf[pos + 4] << 8 | buf[pos + 5];

		if (buf[pos + 1] == 6 && w + len < sizeof out) {
			memcpy(out + w, buf + pos + 8, len);
			w += len;
		}
		pos += 8 + len + buf[pos + 6];
	}
	out[w] = '\0';
	body = strstr(out, "\r\n\r\n");
	return body ? body + 4 : "";
}

/* Serves one turn: accepts the first waiting connection and gathers the rest. */
static size_t
turn(int listener, struct req *slots)
{
	int fd = transport_accept(listener, 1000);
	size_t n;

	if (fd < 0)
		return 0;
	n = writer_gather(listener, fd, slots, 16);
	writer_run(slots, n);
	return n;
}

/* Runs sql on a connection of its own, as another worker would commit. */
static int
elsewhere(const char *sql)
{
	sqlite3 *other;
	int rc;

	if (sqlite3_open(unitdb_path, &other) != SQLITE_OK)
		return 0;
	sqlite3_busy_timeout(other, 5000);
	rc = sqlite3_exec(other, sql, NULL, NULL, NULL);
	sqlite3_close(other);
	return rc == SQLITE_OK;
}

/* One request, alone in its turn: its answer. */
static const char *
ask(const char *path, int listener, struct req *slots, const char *route, const char *body)
{
	int fd = client(path, route, body, 0);

	turn(listener, slots);
	return answer(fd);
}

int
main(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct req slots[16];
	int listener, fds[8];
	char path[100];
	int64_t t0;

	setenv("TENP5_GROUP", "16", 1);
	setenv("TENP5_READ_TIMEOUT", "300", 1);
	if (!unitdb_open("unit-writer") || FCGX_Init() != 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sqlite3_commit_hook(db_handle(), on_commit, NULL);
	snprintf(path, sizeof path, "%s/sock", unitdb_dir);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) != 0 || listen(listener, 64) != 0)
		return 2;
	transport_init(listener);
	for (int i = 0; i < 16; i++)
		if (!req_init(&slots[i], &area, false))
			return 2;

	for (int i = 0; i < 5; i++) {
		char body[32];

		snprintf(body, sizeof body, "quantite=%d", i + 1);
		fds[i] = client(path, "test/add", body, 0);
	}
	commits = 0;
	is_int(turn(listener, slots), 5, "five waiting requests are taken in one turn");
	is_int(commits, 1, "their five writes share one commit");
	for (int i = 0; i < 5; i++)
		is_str(answer(fds[i]), "{\"status\":\"ok\"}", "write %d is answered ok after it", i + 1);
	is_int(db_int("SELECT count(*) FROM prices", -1), 5, "and all five are in the database");

	fds[0] = client(path, "test/add", "quantite=20", 0);
	fds[1] = client(path, "test/add", "quantite=13", 0);
	fds[2] = client(path, "test/add", "quantite=21", 0);
	fds[3] = client(path, "test/count", "", 0);
	commits = 0;
	is_int(turn(listener, slots), 4, "three writes and a read in one turn");
	is_int(commits, 1, "one commit");
	is_str(answer(fds[0]), "{\"status\":\"ok\"}", "the first write is ok");
	is_str(answer(fds[1]), "{\"status\":\"produit_inconnu\"}", "a refusal is answered as such");
	is_str(answer(fds[2]), "{\"status\":\"ok\"}", "and does not spoil the write after it");
	is_str(answer(fds[3]), "{\"status\":\"ok\",\"quantite\":7}", "the read of the turn sees its writes");

	refuse_commit = 1;
	fds[0] = client(path, "test/add", "quantite=30", 0);
	fds[1] = client(path, "test/add", "quantite=31", 0);
	is_int(turn(listener, slots), 2, "two writes whose commit fails");
	is_str(answer(fds[0]), "{\"status\":\"erreur_bdd\"}", "the first is told erreur_bdd");
	is_str(answer(fds[1]), "{\"status\":\"erreur_bdd\"}", "so is the second: none of the group happened");
	refuse_commit = 0;
	is_int(db_int("SELECT count(*) FROM prices", -1), 7, "nothing of theirs is in the database");

	fds[0] = client(path, "test/add", "", 1);
	fds[1] = client(path, "test/add", "quantite=40", 0);
	t0 = mono_ms();
	is_int(turn(listener, slots), 1, "a peer stalled mid-request is dropped, the whole one behind it served");
	ok(mono_ms() - t0 < 2000, "after the read deadline (TENP5_READ_TIMEOUT 300 ms), not for ever");
	is_str(answer(fds[0]), "", "the stalled peer's connection is closed without an answer");
	is_str(answer(fds[1]), "{\"status\":\"ok\"}", "the other is answered");
	ok(db_int("SELECT count(*) FROM prices WHERE qty = 40", -1) == 1, "and done");

	/* Long answers kept until the next commit (lib/answers.c). */
	const char *first;
	static char kept[4096];

	first = ask(path, listener, slots, "test/list", "");
	is_str(first, "{\"status\":\"ok\",\"prix\":[1,2,3,4,5,20,21,40]}", "a list is answered");
	snprintf(kept, sizeof kept, "%s", first);
	is_int(rows_qty, 8, "each of its rows formatted");
	is_str(ask(path, listener, slots, "test/list", ""), kept, "asked again, the same answer");
	is_int(rows_qty, 8, "without formatting a row again: it was kept");
	is_str(ask(path, listener, slots, "test/list", "limite=2&apres=3"),
	    "{\"status\":\"ok\",\"prix\":[4,5],\"suivant\":5}", "other parameters are another list");
	is_str(ask(path, listener, slots, "test/prices", ""),
	    "{\"status\":\"ok\",\"prix\":[\"100\",\"100\",\"100\",\"100\",\"100\",\"100\",\"100\",\"100\"]}",
	    "so is the same query through another row writer");
	is_int(rows_price, 8, "which formats its own rows");

	ok(elsewhere("INSERT INTO prices (qty, price) VALUES (50, 100)"), "another connection commits a row");
	is_str(ask(path, listener, slots, "test/list", ""),
	    "{\"status\":\"ok\",\"prix\":[1,2,3,4,5,20,21,40,50]}", "the list asked again shows it");
	is_int(rows_qty, 8 + 2 + 9, "read afresh");
	is_str(ask(path, listener, slots, "test/add", "quantite=60"), "{\"status\":\"ok\"}",
	    "this worker writes a row");
	is_str(ask(path, listener, slots, "test/list", ""),
	    "{\"status\":\"ok\",\"prix\":[1,2,3,4,5,20,21,40,50,60]}", "the list shows that one too");
	(void)ask(path, listener, slots, "test/add", "quantite=13");
	ok(strstr(ask(path, listener, slots, "test/list", ""), ",60]}") != NULL,
	    "a refused write changes nothing the list shows");
	/* A card's history is kept while that card is unchanged, through other
	 * cards' commits (schema/013_card_versions.sql). */
	ok(elsewhere("INSERT INTO users (id, login, password, droit, created_ms) VALUES (1, 'u', 'x', 3, 0);"
	    "INSERT INTO clients (id, card, balance, created_ms) VALUES"
	    " (1, 'A', 0, 0), (2, 'B', 0, 0), (3, 'C', 0, 0), (4, 'D', 0, 0), (5, 'E', 0, 0), (6, 'F', 0, 0),"
	    " (7, 'G', 0, 0);"
	    "INSERT INTO transactions (id, type, client_id, user_id, date_ms, amount) VALUES"
	    " (11, 1, 1, 1, 0, 0), (12, 1, 2, 1, 0, 0), (13, 1, 3, 1, 0, 0), (14, 1, 4, 1, 0, 0),"
	    " (15, 1, 5, 1, 0, 0), (16, 1, 6, 1, 0, 0), (17, 1, 7, 1, 0, 0)"), "seven cards with a row each");
	rows_qty = 0;
	is_str(ask(path, listener, slots, "test/card", "quantite=1"), "{\"status\":\"ok\",\"prix\":[11]}",
	    "card A's rows");
	is_str(ask(path, listener, slots, "test/card", "quantite=2"), "{\"status\":\"ok\",\"prix\":[12]}",
	    "card B's: another card's list is never A's");
	is_int(rows_qty, 2, "each read and formatted");
	ok(elsewhere("INSERT INTO transactions (id, type, client_id, user_id, date_ms, amount) VALUES"
	    " (20, 2, 2, 1, 0, 100)"), "another worker commits a top-up of card B");
	is_str(ask(path, listener, slots, "test/card", "quantite=1"), "{\"status\":\"ok\",\"prix\":[11]}",
	    "card A's rows asked again");
	is_int(rows_qty, 2, "are given as kept: B's commit changed nothing of A");
	is_str(ask(path, listener, slots, "test/card", "quantite=2"), "{\"status\":\"ok\",\"prix\":[12,20]}",
	    "card B's show the top-up: read afresh");
	is_int(rows_qty, 4, "both of its rows formatted again");
	is_str(ask(path, listener, slots, "test/add", "quantite=80"), "{\"status\":\"ok\"}",
	    "this worker commits a write of its own, on no card");
	is_str(ask(path, listener, slots, "test/card", "quantite=1"), "{\"status\":\"ok\",\"prix\":[11]}",
	    "card A's rows are still the kept ones");
	is_int(rows_qty, 4, "not formatted again");
	ok(elsewhere("UPDATE transactions SET valid = 0 WHERE id = 11"), "A's row is cancelled elsewhere");
	is_str(ask(path, listener, slots, "test/card", "quantite=1"), "{\"status\":\"ok\",\"prix\":[11]}",
	    "A's rows asked again");
	is_int(rows_qty, 5, "are read afresh: a change to a row of the card changes its version");
	ok(elsewhere("INSERT INTO transactions (id, type, client_id, user_id, date_ms, amount) VALUES"
	    " (21, 3, 1, 1, 0, 50)"), "a payment of card A elsewhere");
	is_str(ask(path, listener, slots, "test/card", "quantite=1"), "{\"status\":\"ok\",\"prix\":[11,21]}",
	    "A's rows show it");
	ok(elsewhere("UPDATE clients SET card = 'A2' WHERE id = 1"), "card A's number changes");
	(void)ask(path, listener, slots, "test/card", "quantite=1");
	is_int(rows_qty, 5 + 2 + 2, "its rows, which show the number, are read afresh");
	ok(!elsewhere("DELETE FROM clients WHERE id = 6"), "a card is never deleted: its id and version stay its own");

	/* Eviction: room for four of these answers; the fifth card's makes room
	 * by letting go the least recently used, which is then read afresh. */
	cfg.answer_cache = 4 * strlen(",\"prix\":[13]}");
	for (const char *const *c = (const char *const[]){ "quantite=3", "quantite=4", "quantite=5",
	    "quantite=6", NULL }; *c; c++)
		(void)ask(path, listener, slots, "test/card", *c);
	rows_qty = 0;
	is_str(ask(path, listener, slots, "test/card", "quantite=7"), "{\"status\":\"ok\",\"prix\":[17]}",
	    "a fifth card's rows");
	is_str(ask(path, listener, slots, "test/card", "quantite=7"), "{\"status\":\"ok\",\"prix\":[17]}",
	    "asked again");
	is_int(rows_qty, 1, "are kept, in the room of the least recently used (C's)");
	is_str(ask(path, listener, slots, "test/card", "quantite=6"), "{\"status\":\"ok\",\"prix\":[16]}",
	    "F's rows, among the last four, are right");
	is_int(rows_qty, 1, "and given as kept");
	is_str(ask(path, listener, slots, "test/card", "quantite=3"), "{\"status\":\"ok\",\"prix\":[13]}",
	    "C's rows, let go, are right");
	is_int(rows_qty, 2, "and read afresh");
	cfg.answer_cache = 16 << 20;
	ok(elsewhere("DELETE FROM prices WHERE qty = 80"), "the write of no card is taken back");

	cfg.answer_cache = 100; /* keeps answers of 25 bytes at most */
	is_str(ask(path, listener, slots, "test/add", "quantite=70"), "{\"status\":\"ok\"}",
	    "a write forgets the answers kept");
	rows_qty = 0;
	for (int i = 0; i < 2; i++)
		ok(strstr(ask(path, listener, slots, "test/list", ""), ",70]}") != NULL,
		    "an answer longer than a quarter of the bound (%d)", i + 1);
	is_int(rows_qty, 22, "is formatted every time: it is not kept");
	cfg.answer_cache = 0;
	for (int i = 0; i < 2; i++)
		is_str(ask(path, listener, slots, "test/list", "limite=1"),
		    "{\"status\":\"ok\",\"prix\":[1],\"suivant\":1}", "with no bound (%d)", i + 1);
	is_int(rows_qty, 22 + 2, "nothing is kept");

	for (int i = 0; i < 16; i++)
		req_free(&slots[i]);
	close(listener);
	unitdb_close();
	return done_testing();
}
