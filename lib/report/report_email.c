/*
 * libdmarc - a report as an email (RFC 9990 3.5.2; RFC 7489 7.2.1.1)
 * and the RFC 7489 7.2.2 error report: the report's names and counts
 * handed to the mail builder (mail.h).  The Message-ID is made of the
 * Report-ID and the date: the same report sent again is a new message
 * with the same Report-ID and file name.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "aggregate_int.h"
#include "mail.h"
#include "report_name.h"

/* The report's names and the email's, for one part. */
struct names {
	char id[DMARC__REPORT_ID_SIZE];
	char file[DMARC__REPORT_FILENAME_SIZE];
	char message_id[DMARC__REPORT_ID_SIZE + 32];
	char text[512];
};

/* <local part of the Report-ID>.<date>@<submitter> */
static void message_id(struct names *n, uint64_t date, const char *submitter)
{
	size_t local = strcspn(n->id, "@");

	snprintf(n->message_id, sizeof n->message_id, "%.*s.%llu@%s",
	    (int)local, n->id, (unsigned long long)date, submitter);
}

/* The human-readable part (RFC 9990 3.5.2 allows one). */
static void summary(struct names *n, const dmarc_report *r,
    unsigned int part, unsigned int n_parts)
{
	const struct dmarc_aggregate *agg = dmarc__report_aggregate(r);
	char begin[DMARC__REPORT_DATE_SIZE], end[DMARC__REPORT_DATE_SIZE];
	int k;

	dmarc__report_date(begin, dmarc_report_get_begin(r));
	dmarc__report_date(end, dmarc_report_get_end(r));
	k = snprintf(n->text, sizeof n->text,
	    "This is a DMARC aggregate report from %s\n"
	    "for %s, from %s to %s.\n",
	    dmarc__reporter(agg, DMARC_REPORTER_ORG_NAME),
	    dmarc_report_get_domain(r), begin, end);
	if (n_parts > 1 && k > 0 && (size_t)k < sizeof n->text)
		snprintf(n->text + k, sizeof n->text - (size_t)k,
		    "It is part %u of %u; the parts together hold the "
		    "period's records.\n", part, n_parts);
}

static dmarc_status take_names(struct names *n, const dmarc_report *r,
    unsigned int part, unsigned int n_parts, unsigned int flags,
    uint64_t date)
{
	const struct dmarc_aggregate *agg = dmarc__report_aggregate(r);
	dmarc_status st;

	if ((st = dmarc_report_get_id(r, part, n_parts, n->id, sizeof n->id,
	    NULL)) != DMARC_OK ||
	    (st = dmarc_report_get_filename(r, part, n_parts, flags, n->file,
	    sizeof n->file, NULL)) != DMARC_OK)
		return st;
	if (dmarc__reporter(agg, DMARC_REPORTER_FROM) == NULL ||
	    dmarc__reporter(agg, DMARC_REPORTER_ORG_NAME) == NULL)
		return DMARC_ESTATE;
	message_id(n, date, dmarc__reporter(agg, DMARC_REPORTER_SUBMITTER));
	summary(n, r, part, n_parts);
	return DMARC_OK;
}

/* The report (XML or gzip) as the mail's attachment, then the mail's
 * end. */
static dmarc_status send_through(const dmarc_report *r, unsigned int part,
    unsigned int n_parts, const char *id, unsigned int flags,
    struct dmarc__mail *m)
{
	struct dmarc__filter f = dmarc__mail_filter(m);
	dmarc_status st;

	st = dmarc__report_out(r, part, n_parts, id, flags,
	    dmarc__filter_sink(&f));
	return st == DMARC_OK ? dmarc__filter_finish(&f) : st;
}

DMARC_EXPORT dmarc_status dmarc_report_write_email(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, unsigned int flags,
    const char *to, uint64_t date, dmarc_sink_fn sink, void *user)
{
	const struct dmarc_aggregate *agg;
	struct dmarc__mail_spec spec;
	struct dmarc__mail *m;
	struct names n;
	dmarc_status st;

	if (r == NULL || to == NULL || sink == NULL)
		return DMARC_EINVAL;
	if ((st = take_names(&n, r, part, n_parts, flags, date)) != DMARC_OK)
		return st;
	agg = dmarc__report_aggregate(r);
	memset(&spec, 0, sizeof spec);
	spec.from = dmarc__reporter(agg, DMARC_REPORTER_FROM);
	spec.to = to;
	spec.policy_domain = dmarc_report_get_domain(r);
	spec.submitter = dmarc__reporter(agg, DMARC_REPORTER_SUBMITTER);
	spec.report_id = n.id;
	spec.message_id = n.message_id;
	spec.date = date;
	spec.filename = n.file;
	spec.gzip = (flags & DMARC_REPORT_GZIP) != 0;
	spec.text = n.text;
	st = dmarc__mail_new(&m, agg->ctx, dmarc__sink_make(sink, user), &spec);
	if (st != DMARC_OK)
		return st;
	st = send_through(r, part, n_parts, n.id, flags, m);
	dmarc__mail_free(m);
	return st;
}

DMARC_EXPORT dmarc_status dmarc_report_write_error_email(
    const dmarc_report *r, unsigned int part, unsigned int n_parts,
    const char *to, const char *uri, uint64_t size, uint64_t date,
    dmarc_sink_fn sink, void *user)
{
	const struct dmarc_aggregate *agg;
	struct dmarc__mail_error_spec spec;
	struct names n;
	dmarc_status st;

	if (r == NULL || to == NULL || uri == NULL || sink == NULL)
		return DMARC_EINVAL;
	if ((st = take_names(&n, r, part, n_parts, DMARC_REPORT_GZIP,
	    date)) != DMARC_OK)
		return st;
	agg = dmarc__report_aggregate(r);
	memset(&spec, 0, sizeof spec);
	spec.from = dmarc__reporter(agg, DMARC_REPORTER_FROM);
	spec.to = to;
	spec.date = date;
	spec.message_id = n.message_id;
	spec.report_domain = dmarc_report_get_domain(r);
	spec.report_id = n.id;
	spec.report_size = size;
	spec.submitter = dmarc__reporter(agg, DMARC_REPORTER_SUBMITTER);
	spec.uris = &uri;
	spec.n_uris = 1;
	spec.text = "The aggregate report was larger than the size limit "
	    "the destination it was meant for sets in the domain's rua tag.";
	return dmarc__mail_error_report(agg->ctx, dmarc__sink_make(sink, user),
	    &spec);
}
