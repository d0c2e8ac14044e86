/*
 * libdmarc - what the report's message (mail.c) and the error report
 * (mail_error.c) share: the checks of what goes into a header, a text
 * builder that measures as it writes, the header section and the MIME
 * boundary.  The rules are in mail.h.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_MAIL_TEXT_H
#define DMARC_REPORT_MAIL_TEXT_H

#include "mail.h"
#include "report_name.h"

/* "=_dmarc_" KIND "_" 16 hex digits, and the NUL: at most 70 characters
 * (RFC 2046 section 5.1.1); '=' and '_' are in no base64 line. */
#define DMARC__MAIL_BOUNDARY_SIZE 48u

/* Text measured as it is written: with buf NULL (or too small) nothing
 * is written and len still counts, so one pass sizes the buffer of the
 * next.  line is the current line's length, longest the longest line's
 * (CR and LF not counted). */
struct mail_text {
	char *buf;
	size_t size, len;
	size_t line, longest;
};

static inline void dmarc__mail_text_init(struct mail_text *t, char *buf,
    size_t size)
{
	t->buf = buf;
	t->size = size;
	t->len = t->line = t->longest = 0;
}

void dmarc__mail_put(struct mail_text *t, const char *s, size_t n);
void dmarc__mail_puts(struct mail_text *t, const char *s);
/* a, b and c, after a fold (CRLF; a starts with a space) when they would
 * take the line past DMARC__MAIL_FOLD_AT (RFC 5322 section 3.2.2). */
void dmarc__mail_put_folded(struct mail_text *t, const char *a,
    const char *b, const char *c);
/* A checked text part, every line ending in CRLF. */
void dmarc__mail_put_body(struct mail_text *t, const char *text);

/* The checks of mail.h; NULL is false. */
bool dmarc__mail_is_addr(const char *s);     /* dot-atom "@" dot-atom */
bool dmarc__mail_is_rid(const char *s);      /* RFC 9990 ridfmt */
bool dmarc__mail_is_domain(const char *s);
bool dmarc__mail_is_filename(const char *s);
bool dmarc__mail_is_uri(const char *s);
/* NULL, or a text part of the allowed bytes (mail.h) that does not
 * contain boundary. */
bool dmarc__mail_text_ok(const char *text, const char *boundary);

/* The header section both messages open with. */
struct mail_head {
	const char *from, *to;
	const char *subject;      /* the Subject's words before the domain */
	const char *domain, *submitter, *report_id, *message_id;
	const char *date;         /* RFC 5322 date-time */
	const char *boundary;
};

/* DMARC_EINVAL when a field of h other than date and boundary fails its
 * check (mail.h), else DMARC_OK. */
dmarc_status dmarc__mail_check_head(const struct mail_head *h);
/* The boundary of a message of kind ("report", "error") about
 * report_id: a hash of it, the same every time. */
void dmarc__mail_boundary(char buf[DMARC__MAIL_BOUNDARY_SIZE],
    const char *kind, const char *report_id);
/* From to Content-Type, and the empty line that ends the section. */
void dmarc__mail_put_head(struct mail_text *t, const struct mail_head *h);
/* A delimiter line (RFC 2046 section 5.1.1): the first one opens the
 * body; the others start with the CRLF that belongs to them, after a
 * part whose every line ended in CRLF; the last one closes the
 * multipart. */
void dmarc__mail_put_delimiter(struct mail_text *t, const char *boundary,
    bool first, bool last);

#endif /* DMARC_REPORT_MAIL_TEXT_H */
