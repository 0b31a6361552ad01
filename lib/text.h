/*
 * A growing text buffer, and the escapings a page or a redirect needs: HTML
 * text and attributes, URL query components.
 */
#ifndef TENP5_TEXT_H
#define TENP5_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct text {
	char *p;       /* NUL-terminated; malloc'd; NULL until the first append */
	size_t n, cap;
	bool failed;   /* an allocation failed: the text is incomplete */
};

void text_add(struct text *t, const char *s, size_t n);
void text_puts(struct text *t, const char *s);
/* Appends s with & < > " ' escaped, fit for HTML text and quoted attributes. */
void text_html(struct text *t, const char *s);
/* Appends s percent-encoded but for RFC 3986's unreserved characters. */
void text_url(struct text *t, const char *s);
/* Hands the buffer over (the caller frees it); NULL if an allocation failed.
 * The text is left empty. */
char *text_take(struct text *t, size_t *len);
void text_free(struct text *t);

#endif
