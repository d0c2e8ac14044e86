/*
 * libdmarc - the RFC 7489 section 7.2.2 error report (mail.h), built
 * whole in memory (it is short) and handed to the sink in one call.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "mail_text.h"

static dmarc_status check(const struct dmarc__mail_error_spec *s,
    struct mail_head *h, char *date, char *boundary)
{
	size_t i;

	h->from = s->from;
	h->to = s->to;
	h->subject = "DMARC report not delivered: Domain: ";
	h->domain = s->report_domain;
	h->submitter = s->submitter;
	h->report_id = s->report_id;
	h->message_id = s->message_id;
	h->date = date;
	h->boundary = boundary;
	if (dmarc__mail_check_head(h) != DMARC_OK || s->uris == NULL ||
	    s->n_uris == 0 || dmarc__report_date(date, s->date) != DMARC_OK)
		return DMARC_EINVAL;
	for (i = 0; i < s->n_uris; i++)
		if (!dmarc__mail_is_uri(s->uris[i]))
			return DMARC_EINVAL;
	dmarc__mail_boundary(boundary, "error", s->report_id);
	return dmarc__mail_text_ok(s->text, boundary) ? DMARC_OK : DMARC_EINVAL;
}

/* One "Field: value" line of the first part. */
static void field(struct mail_text *t, const char *name, const char *value)
{
	dmarc__mail_puts(t, name);
	dmarc__mail_puts(t, ": ");
	dmarc__mail_puts(t, value);
	dmarc__mail_puts(t, "\r\n");
}

static void put_message(struct mail_text *t,
    const struct dmarc__mail_error_spec *s, const struct mail_head *h)
{
	static const char text_plain[] = "Content-Type: text/plain; "
	    "charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
	char size[24];
	size_t i;

	snprintf(size, sizeof size, "%" PRIu64, s->report_size);
	dmarc__mail_put_head(t, h);
	dmarc__mail_put_delimiter(t, h->boundary, true, false);
	dmarc__mail_puts(t, text_plain);
	field(t, "Report-Date", h->date);
	field(t, "Report-Domain", s->report_domain);
	field(t, "Report-ID", s->report_id);
	field(t, "Report-Size", size);
	field(t, "Submitter", s->submitter);
	dmarc__mail_puts(t, "Submitting-URI: ");
	dmarc__mail_puts(t, s->uris[0]);
	for (i = 1; i < s->n_uris; i++) {
		dmarc__mail_puts(t, ",");
		dmarc__mail_put_folded(t, " ", s->uris[i], "");
	}
	dmarc__mail_puts(t, "\r\n");
	if (s->text != NULL && s->text[0] != '\0') {
		dmarc__mail_put_delimiter(t, h->boundary, false, false);
		dmarc__mail_puts(t, text_plain);
		dmarc__mail_put_body(t, s->text);
	}
	dmarc__mail_put_delimiter(t, h->boundary, false, true);
}

dmarc_status dmarc__mail_error_report(const dmarc_ctx *ctx,
    struct dmarc__sink sink, const struct dmarc__mail_error_spec *spec)
{
	char date[DMARC__REPORT_DATE_SIZE], boundary[DMARC__MAIL_BOUNDARY_SIZE];
	struct mail_head h;
	struct mail_text t;
	dmarc_status st;
	char *buf;

	if (ctx == NULL || sink.fn == NULL || spec == NULL ||
	    check(spec, &h, date, boundary) != DMARC_OK)
		return DMARC_EINVAL;
	dmarc__mail_text_init(&t, NULL, 0); /* measure, check the lines */
	put_message(&t, spec, &h);
	if (t.longest > DMARC__MAIL_LINE_MAX)
		return DMARC_EINVAL;
	if (t.len == SIZE_MAX || (buf = dmarc__alloc(ctx, t.len + 1)) == NULL)
		return DMARC_ENOMEM;
	dmarc__mail_text_init(&t, buf, t.len + 1);
	put_message(&t, spec, &h);
	st = dmarc__sink_put(&sink, buf, t.len);
	dmarc__free(ctx, buf);
	return st;
}
