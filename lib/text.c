/*
 * Text building for HTML pages and redirect URLs.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

void
text_add(struct text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->n + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		char *p;

		while (cap < t->n + n + 1)
			cap *= 2;
		if (!(p = realloc(t->p, cap))) {
			t->failed = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
}

void
text_puts(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

void
text_html(struct text *t, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': text_puts(t, "&amp;"); break;
		case '<': text_puts(t, "&lt;"); break;
		case '>': text_puts(t, "&gt;"); break;
		case '"': text_puts(t, "&quot;"); break;
		case '\'': text_puts(t, "&#39;"); break;
		default: text_add(t, s, 1);
		}
	}
}

void
text_url(struct text *t, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			text_add(t, s, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			text_add(t, e, 3);
		}
	}
}

char *
text_take(struct text *t, size_t *len)
{
	char *p = t->failed ? NULL : t->p;

	if (t->failed)
		free(t->p);
	*len = p ? t->n : 0;
	t->p = NULL;
	t->n = t->cap = 0;
	t->failed = false;
	return p;
}

void
text_free(struct text *t)
{
	free(t->p);
	t->p = NULL;
	t->n = t->cap = 0;
	t->failed = false;
}
