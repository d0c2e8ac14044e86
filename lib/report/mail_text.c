/*
 * libdmarc - header checks, text builder and header section of the
 * report's messages (mail_text.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mail_text.h"

void dmarc__mail_put(struct mail_text *t, const char *s, size_t n)
{
	size_t i;

	if (t->buf != NULL && t->len + n < t->size)
		memcpy(t->buf + t->len, s, n);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			t->line = 0;
		else if (s[i] != '\r' && ++t->line > t->longest)
			t->longest = t->line;
	}
	t->len += n;
}

void dmarc__mail_puts(struct mail_text *t, const char *s)
{
	dmarc__mail_put(t, s, strlen(s));
}

void dmarc__mail_put_folded(struct mail_text *t, const char *a,
    const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c);

	if (t->line + n > DMARC__MAIL_FOLD_AT)
		dmarc__mail_put(t, "\r\n", 2); /* a's space makes it FWS */
	dmarc__mail_puts(t, a);
	dmarc__mail_puts(t, b);
	dmarc__mail_puts(t, c);
}

void dmarc__mail_put_body(struct mail_text *t, const char *text)
{
	size_t n;

	while (*text != '\0') {
		n = strcspn(text, "\r\n");
		dmarc__mail_put(t, text, n);
		dmarc__mail_put(t, "\r\n", 2);
		text += n;
		if (*text == '\r') /* dmarc__mail_text_ok: CR only before LF */
			text++;
		if (*text == '\n')
			text++;
	}
}

/* ---- checks (mail.h) ---- */

static bool is_alnum(unsigned char c)
{
	return dmarc__is_alpha(c) || dmarc__is_digit(c);
}

/* RFC 5322 section 3.2.3 atext, ASCII only. */
static bool is_atext(char c)
{
	return is_alnum((unsigned char)c) ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* The length of the dot-atom-text s starts with (RFC 5322 section
 * 3.2.3: atoms joined by single dots), 0 for none. */
static size_t dot_atom(const char *s)
{
	size_t i = 0, end = 0, start;

	for (;;) {
		for (start = i; is_atext(s[i]); i++)
			continue;
		if (i == start) /* nothing after the dot: not part of it */
			return end;
		end = i;
		if (s[i] != '.')
			return end;
		i++;
	}
}

/* dot-atom-text [ "@" dot-atom-text ], the "@" part required when
 * need_at is true. */
static bool atoms(const char *s, bool need_at)
{
	size_t n;

	if (s == NULL || (n = dot_atom(s)) == 0)
		return false;
	if (s[n] == '\0')
		return !need_at;
	if (s[n] != '@')
		return false;
	s += n + 1;
	n = dot_atom(s);
	return n > 0 && s[n] == '\0';
}

bool dmarc__mail_is_addr(const char *s)
{
	return atoms(s, true);
}

/* ridfmt = dot-atom-text [ "@" dot-atom-text ] (RFC 9990 3.5.2). */
bool dmarc__mail_is_rid(const char *s)
{
	return atoms(s, false);
}

bool dmarc__mail_is_domain(const char *s)
{
	size_t label = 0;

	if (s == NULL)
		return false;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (is_alnum((unsigned char)*s) || *s == '-' || *s == '_') {
			label++;
		} else {
			return false;
		}
	}
	return label > 0;
}

/* 1*(printable ASCII, no space, none of the bytes in not). */
static bool printable(const char *s, const char *not)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < 0x21 || *s > 0x7e || strchr(not, *s) != NULL)
			return false;
	return true;
}

/* Goes in a quoted-string (RFC 2045 section 5.1, RFC 2183). */
bool dmarc__mail_is_filename(const char *s)
{
	return printable(s, "\"\\/");
}

bool dmarc__mail_is_uri(const char *s)
{
	return printable(s, ",");
}

bool dmarc__mail_text_ok(const char *text, const char *boundary)
{
	const char *p;

	if (text == NULL)
		return true;
	for (p = text; *p != '\0'; p++) {
		if (*p == '\r' && p[1] != '\n')
			return false;
		if (*p != '\r' && *p != '\n' && *p != '\t' &&
		    (*p < 0x20 || *p > 0x7e))
			return false;
	}
	return strstr(text, boundary) == NULL;
}

/* ---- the header section ---- */

dmarc_status dmarc__mail_check_head(const struct mail_head *h)
{
	if (!dmarc__mail_is_addr(h->from) || !dmarc__mail_is_addr(h->to) ||
	    !dmarc__mail_is_domain(h->domain) ||
	    !dmarc__mail_is_domain(h->submitter) ||
	    !dmarc__mail_is_rid(h->report_id) ||
	    !dmarc__mail_is_addr(h->message_id))
		return DMARC_EINVAL;
	return DMARC_OK;
}

void dmarc__mail_boundary(char buf[DMARC__MAIL_BOUNDARY_SIZE],
    const char *kind, const char *report_id)
{
	uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a, 64 bits */
	const unsigned char *p;

	for (p = (const unsigned char *)report_id; *p != '\0'; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	snprintf(buf, DMARC__MAIL_BOUNDARY_SIZE, "=_dmarc_%.16s_%016" PRIx64,
	    kind, h);
}

void dmarc__mail_put_head(struct mail_text *t, const struct mail_head *h)
{
	dmarc__mail_puts(t, "From: ");
	dmarc__mail_puts(t, h->from);
	dmarc__mail_puts(t, "\r\nTo: ");
	dmarc__mail_puts(t, h->to);
	/* RFC 9990 3.5.2, RFC 7489 7.2.1.1 */
	dmarc__mail_puts(t, "\r\nSubject: ");
	dmarc__mail_puts(t, h->subject);
	dmarc__mail_puts(t, h->domain);
	dmarc__mail_put_folded(t, " Submitter: ", h->submitter, "");
	dmarc__mail_put_folded(t, " Report-ID: <", h->report_id, ">");
	dmarc__mail_puts(t, "\r\nDate: ");
	dmarc__mail_puts(t, h->date);
	dmarc__mail_puts(t, "\r\nMessage-ID: <");
	dmarc__mail_puts(t, h->message_id);
	/* RFC 2045 section 4, RFC 2046 section 5.1.3 */
	dmarc__mail_puts(t, ">\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed;\r\n boundary=\"");
	dmarc__mail_puts(t, h->boundary);
	dmarc__mail_puts(t, "\"\r\n\r\n");
}

void dmarc__mail_put_delimiter(struct mail_text *t, const char *boundary,
    bool first, bool last)
{
	dmarc__mail_puts(t, first ? "--" : "\r\n--");
	dmarc__mail_puts(t, boundary);
	dmarc__mail_puts(t, last ? "--\r\n" : "\r\n");
}
