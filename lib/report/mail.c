/*
 * libdmarc - the aggregate report's message as a filter (mail.h): the
 * headers, the text part and the attachment's headers are built once by
 * dmarc__mail_new, the attachment goes through a base64 filter
 * (base64_sink.h), finish closes the multipart.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "base64_sink.h"
#include "mail_text.h"

/* CRLF "--" boundary "--" CRLF and the NUL */
#define TRAILER_SIZE (DMARC__MAIL_BOUNDARY_SIZE + 8u)

struct dmarc__mail {
	const dmarc_ctx *ctx;
	struct dmarc__sink next;
	struct dmarc__base64 *b64;  /* into the mail itself (to_next) */
	dmarc_status status;        /* the first failure, then returned */
	bool started, finished;
	uint64_t bytes_out;
	char trailer[TRAILER_SIZE];
	size_t head_len;
	char head[];                /* up to the attachment's body */
};

/* Everything before the attachment's body: the header section, the text
 * part, the attachment's headers (RFC 9990 3.5.2; RFC 2183 for
 * Content-Disposition; parameters unfolded on lines of their own,
 * DMARC-DIGEST 6.7). */
static void put_head(struct mail_text *t, const struct dmarc__mail_spec *s,
    const struct mail_head *h)
{
	bool text = s->text != NULL && s->text[0] != '\0';

	dmarc__mail_put_head(t, h);
	dmarc__mail_put_delimiter(t, h->boundary, true, false);
	if (text) {
		dmarc__mail_puts(t, "Content-Type: text/plain; "
		    "charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
		dmarc__mail_put_body(t, s->text);
		dmarc__mail_put_delimiter(t, h->boundary, false, false);
	}
	dmarc__mail_puts(t, s->gzip ? "Content-Type: application/gzip;\r\n"
	    : "Content-Type: text/xml;\r\n");
	dmarc__mail_puts(t, " name=\"");
	dmarc__mail_puts(t, s->filename);
	dmarc__mail_puts(t, "\"\r\nContent-Disposition: attachment;\r\n"
	    " filename=\"");
	dmarc__mail_puts(t, s->filename);
	dmarc__mail_puts(t, "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
}

/* The header section's fields from the spec; DMARC_EINVAL for a field
 * that fails its check. */
static dmarc_status make_head(struct mail_head *h,
    const struct dmarc__mail_spec *s, char *date, char *boundary)
{
	h->from = s->from;
	h->to = s->to;
	h->subject = "Report Domain: ";
	h->domain = s->policy_domain;
	h->submitter = s->submitter;
	h->report_id = s->report_id;
	h->message_id = s->message_id;
	h->date = date;
	h->boundary = boundary;
	if (dmarc__mail_check_head(h) != DMARC_OK ||
	    !dmarc__mail_is_filename(s->filename) ||
	    dmarc__report_date(date, s->date) != DMARC_OK)
		return DMARC_EINVAL;
	dmarc__mail_boundary(boundary, "report", s->report_id);
	return dmarc__mail_text_ok(s->text, boundary) ? DMARC_OK : DMARC_EINVAL;
}

/* The base64 filter's sink: the next one, counted. */
static dmarc_status to_next(void *self, const char *data, size_t len)
{
	struct dmarc__mail *m = self;
	dmarc_status st = dmarc__sink_put(&m->next, data, len);

	if (st == DMARC_OK)
		m->bytes_out += len;
	return st;
}

/* Allocates the mail with room for head_len bytes of head. */
static struct dmarc__mail *mail_alloc(const dmarc_ctx *ctx, size_t head_len)
{
	struct dmarc__mail *m;

	if (head_len > SIZE_MAX - sizeof *m - 1)
		return NULL;
	m = dmarc__alloc(ctx, sizeof *m + head_len + 1);
	if (m != NULL) {
		memset(m, 0, sizeof *m);
		m->ctx = ctx;
		m->status = DMARC_OK;
		m->head_len = head_len;
	}
	return m;
}

dmarc_status dmarc__mail_new(struct dmarc__mail **out, const dmarc_ctx *ctx,
    struct dmarc__sink next, const struct dmarc__mail_spec *spec)
{
	char date[DMARC__REPORT_DATE_SIZE], boundary[DMARC__MAIL_BOUNDARY_SIZE];
	struct mail_head h;
	struct mail_text t;
	struct dmarc__mail *m;
	dmarc_status st;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || next.fn == NULL || spec == NULL ||
	    make_head(&h, spec, date, boundary) != DMARC_OK)
		return DMARC_EINVAL;
	dmarc__mail_text_init(&t, NULL, 0); /* measure, check the lines */
	put_head(&t, spec, &h);
	if (t.longest > DMARC__MAIL_LINE_MAX)
		return DMARC_EINVAL;
	if ((m = mail_alloc(ctx, t.len)) == NULL)
		return DMARC_ENOMEM;
	m->next = next;
	dmarc__mail_text_init(&t, m->head, m->head_len + 1);
	put_head(&t, spec, &h);
	dmarc__mail_text_init(&t, m->trailer, sizeof m->trailer);
	dmarc__mail_put_delimiter(&t, boundary, false, true);
	m->trailer[t.len] = '\0';
	st = dmarc__base64_new(&m->b64, ctx, dmarc__sink_make(to_next, m));
	if (st != DMARC_OK) {
		dmarc__free(ctx, m);
		return st;
	}
	*out = m;
	return DMARC_OK;
}

void dmarc__mail_free(struct dmarc__mail *m)
{
	if (m == NULL)
		return;
	dmarc__base64_free(m->b64);
	dmarc__free(m->ctx, m);
}

/* The head, before the attachment's first byte. */
static dmarc_status start(struct dmarc__mail *m)
{
	if (!m->started) {
		m->started = true;
		m->status = to_next(m, m->head, m->head_len);
	}
	return m->status;
}

dmarc_status dmarc__mail_write(void *self, const char *data, size_t len)
{
	struct dmarc__mail *m = self;
	dmarc_status st;

	if ((st = dmarc__filter_check(m->status, m->finished)) != DMARC_OK)
		return st;
	if (len == 0 || start(m) != DMARC_OK)
		return m->status;
	return m->status = dmarc__base64_write(m->b64, data, len);
}

dmarc_status dmarc__mail_finish(void *self)
{
	struct dmarc__mail *m = self;
	dmarc_status st;

	if ((st = dmarc__filter_check(m->status, m->finished)) != DMARC_OK)
		return st;
	m->finished = true;
	if (start(m) != DMARC_OK)
		return m->status;
	if ((m->status = dmarc__base64_finish(m->b64)) != DMARC_OK)
		return m->status;
	return m->status = to_next(m, m->trailer, strlen(m->trailer));
}

struct dmarc__filter dmarc__mail_filter(struct dmarc__mail *m)
{
	struct dmarc__filter f = { dmarc__mail_write, dmarc__mail_finish, m };
	return f;
}

uint64_t dmarc__mail_bytes_out(const struct dmarc__mail *m)
{
	return m->bytes_out;
}
