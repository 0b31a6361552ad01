/* Unit tests for lib/text.c: growing text, HTML and URL escaping. */
#include "../tap.h"
#include "text.h"

int
main(void)
{
	struct text t = { 0 };
	char *s, big[5000];
	size_t len;

	text_puts(&t, "a");
	text_html(&t, "<b x='1'>\"&\"</b>");
	is_str(t.p, "a&lt;b x=&#39;1&#39;&gt;&quot;&amp;&quot;&lt;/b&gt;", "HTML escapes & < > \" '");
	text_free(&t);
	ok(t.p == NULL && t.n == 0, "text_free empties it");
	text_url(&t, "a b&c=d/é~-._");
	is_str(t.p, "a%20b%26c%3Dd%2F%C3%A9~-._", "URL encoding keeps only the unreserved characters");
	s = text_take(&t, &len);
	is_str(s, "a%20b%26c%3Dd%2F%C3%A9~-._", "text_take hands the buffer over");
	is_int(len, strlen(s), "with its length");
	ok(t.p == NULL && t.n == 0, "and leaves the text empty");
	free(s);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int i = 0; i < 10; i++)
		text_puts(&t, big);
	is_int(t.n, 10 * (sizeof big - 1), "the buffer grows past its first size");
	ok(!t.failed && t.p[t.n] == '\0', "still terminated, nothing failed");
	text_free(&t);
	text_free(&t);
	ok(1, "freeing twice is harmless");
	return done_testing();
}
