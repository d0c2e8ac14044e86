/*
 * libdmarc - one report of an aggregate (include/dmarc/report.h): what
 * it holds, its names (Report-ID, file name), and writing it as XML,
 * gzip or an email.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "aggregate_int.h"
#include "gzip_sink.h"
#include "report_name.h"

/* The public sizes are the internal ones. */
_Static_assert(DMARC_REPORT_ID_SIZE == DMARC__REPORT_ID_SIZE, "id size");
_Static_assert(DMARC_REPORT_FILENAME_SIZE == DMARC__REPORT_FILENAME_SIZE,
    "file name size");

DMARC_EXPORT const char *dmarc_report_get_domain(const dmarc_report *r)
{
	const struct agg_group *g;

	if (r == NULL)
		return NULL;
	g = dmarc__report_group(r);
	return dmarc__agg_group_domain(g);
}

DMARC_EXPORT uint64_t dmarc_report_get_begin(const dmarc_report *r)
{
	return r != NULL ? dmarc__report_group(r)->begin : 0;
}

DMARC_EXPORT uint64_t dmarc_report_get_end(const dmarc_report *r)
{
	return r != NULL ? dmarc__report_group(r)->end : 0;
}

DMARC_EXPORT uint64_t dmarc_report_get_count(const dmarc_report *r,
    dmarc_aggregate_count which)
{
	const struct agg_group *g;

	if (r == NULL)
		return 0;
	g = dmarc__report_group(r);
	switch (which) {
	case DMARC_COUNT_ROWS: return g->n_rows;
	case DMARC_COUNT_MESSAGES: return g->messages;
	case DMARC_COUNT_DROPPED: return g->dropped;
	default: return 0;
	}
}

DMARC_EXPORT dmarc_policy dmarc_report_get_policy(const dmarc_report *r,
    dmarc_tag tag)
{
	const struct report_policy *p;

	if (r == NULL)
		return DMARC_POLICY_UNSPECIFIED;
	p = &dmarc__report_group(r)->policy;
	switch (tag) {
	case DMARC_TAG_P: return (dmarc_policy)p->p;
	case DMARC_TAG_SP: return (dmarc_policy)p->sp;
	case DMARC_TAG_NP: return (dmarc_policy)p->np;
	default: return DMARC_POLICY_UNSPECIFIED;
	}
}

/* A part of n_parts the report can be cut into: every part has rows. */
static bool part_ok(const dmarc_report *r, unsigned int part,
    unsigned int n_parts)
{
	return r != NULL && n_parts >= 1 && n_parts <= 65535 && part >= 1 &&
	    part <= n_parts && n_parts <= dmarc__report_group(r)->n_rows;
}

static void clear(char *buf, size_t size, size_t *length)
{
	if (length != NULL)
		*length = 0;
	if (buf != NULL && size > 0)
		buf[0] = '\0';
}

DMARC_EXPORT dmarc_status dmarc_report_get_id(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, char *buf, size_t size,
    size_t *length)
{
	const struct dmarc_aggregate *agg;
	const char *submitter;

	clear(buf, size, length);
	if (!part_ok(r, part, n_parts) || (buf == NULL && size != 0))
		return DMARC_EINVAL;
	agg = dmarc__report_aggregate(r);
	if ((submitter = dmarc__reporter(agg, DMARC_REPORTER_SUBMITTER)) ==
	    NULL)
		return DMARC_ESTATE;
	return dmarc__report_id(buf, size, length, dmarc_report_get_domain(r),
	    dmarc__report_group(r)->begin, submitter,
	    dmarc__reporter(agg, DMARC_REPORTER_HOST_ID), part, n_parts);
}

DMARC_EXPORT dmarc_status dmarc_report_get_filename(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, unsigned int flags, char *buf,
    size_t size, size_t *length)
{
	const struct dmarc_aggregate *agg;
	const struct agg_group *g;
	const char *submitter;

	clear(buf, size, length);
	if (!part_ok(r, part, n_parts) || (buf == NULL && size != 0) ||
	    (flags & ~(unsigned int)(DMARC_REPORT_GZIP | DMARC_REPORT_PRETTY)))
		return DMARC_EINVAL;
	agg = dmarc__report_aggregate(r);
	g = dmarc__report_group(r);
	if ((submitter = dmarc__reporter(agg, DMARC_REPORTER_SUBMITTER)) ==
	    NULL)
		return DMARC_ESTATE;
	return dmarc__report_filename(buf, size, length, submitter,
	    dmarc_report_get_domain(r), g->begin, g->end,
	    dmarc__reporter(agg, DMARC_REPORTER_HOST_ID), part, n_parts,
	    (flags & DMARC_REPORT_GZIP) != 0);
}

dmarc_status dmarc__report_out(const dmarc_report *r, unsigned int part,
    unsigned int n_parts, const char *id, unsigned int flags,
    struct dmarc__sink next)
{
	const dmarc_ctx *ctx = dmarc__report_aggregate(r)->ctx;
	bool pretty = (flags & DMARC_REPORT_PRETTY) != 0;
	struct dmarc__gzip *gz;
	struct dmarc__filter f;
	dmarc_status st;

	if (!(flags & DMARC_REPORT_GZIP))
		return dmarc__report_xml(r, part, n_parts, id, pretty, next);
	st = dmarc__gzip_new(&gz, ctx, next, DMARC__GZIP_LEVEL_DEFAULT);
	if (st != DMARC_OK)
		return st;
	f = dmarc__gzip_filter(gz);
	st = dmarc__report_xml(r, part, n_parts, id, pretty,
	    dmarc__filter_sink(&f));
	if (st == DMARC_OK)
		st = dmarc__filter_finish(&f);
	dmarc__gzip_free(gz);
	return st;
}

DMARC_EXPORT dmarc_status dmarc_report_write(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, unsigned int flags,
    dmarc_sink_fn sink, void *user)
{
	char id[DMARC__REPORT_ID_SIZE];
	dmarc_status st;

	if (!part_ok(r, part, n_parts) || sink == NULL ||
	    (flags & ~(unsigned int)(DMARC_REPORT_GZIP | DMARC_REPORT_PRETTY)))
		return DMARC_EINVAL;
	st = dmarc_report_get_id(r, part, n_parts, id, sizeof id, NULL);
	if (st != DMARC_OK)
		return st;
	return dmarc__report_out(r, part, n_parts, id, flags,
	    dmarc__sink_make(sink, user));
}
