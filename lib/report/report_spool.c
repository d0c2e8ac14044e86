/*
 * libdmarc - a report's rows as spool lines (dmarc_report_write_spool):
 * each stored row read back into a report row, with the report's policy
 * and errors, and written by the line codec.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "aggregate_int.h"
#include "spool_codec.h"

static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = src != NULL ? strlen(src) : 0;

	if (n >= size)
		n = size - 1; /* cannot happen: the blob came from a row */
	memcpy(dst, src != NULL ? src : "", n);
	dst[n] = '\0';
}

#define COPY(dst, src) copy_text((dst), sizeof(dst), (src))

static void take_lists(struct report_row *row, const struct agg_view *v)
{
	size_t i;

	row->n_reasons = v->n_reasons;
	for (i = 0; i < v->n_reasons; i++) {
		row->reasons[i].type = v->reason_type[i];
		row->reasons[i].has_comment = v->reason_comment[i] != NULL;
		COPY(row->reasons[i].comment, v->reason_comment[i]);
	}
	row->n_dkim = v->n_dkim;
	for (i = 0; i < v->n_dkim; i++) {
		row->dkim[i].result = v->dkim_result[i];
		COPY(row->dkim[i].domain, v->dkim_domain[i]);
		COPY(row->dkim[i].selector, v->dkim_selector[i]);
		COPY(row->dkim[i].human, v->dkim_human[i]);
	}
}

/* The report row of stored row r of report g. */
static void row_of(struct report_row *row, const struct agg_group *g,
    const struct agg_row *r)
{
	struct agg_view v;
	size_t i;

	dmarc__agg_view(&v, dmarc__agg_blob(g->store, r), r->len);
	row->count = r->count;
	row->arrival = r->arrival;
	COPY(row->policy_domain, v.domain);
	row->policy = g->policy;
	row->n_errors = g->n_errors;
	for (i = 0; i < g->n_errors; i++)
		COPY(row->errors[i], g->errors[i]);
	row->ip = v.ip;
	COPY(row->header_from, v.header_from);
	row->has_envelope_from = v.envelope_from != NULL;
	COPY(row->envelope_from, v.envelope_from);
	row->has_envelope_to = v.envelope_to != NULL;
	COPY(row->envelope_to, v.envelope_to);
	row->disposition = v.disposition;
	row->dkim_aligned = (v.flags & AGG_DKIM_ALIGNED) != 0;
	row->spf_aligned = (v.flags & AGG_SPF_ALIGNED) != 0;
	row->has_spf = (v.flags & AGG_HAS_SPF) != 0;
	row->spf.result = v.spf_result;
	row->spf.scope = v.spf_scope;
	COPY(row->spf.domain, v.spf_domain);
	take_lists(row, &v);
}

DMARC_EXPORT dmarc_status dmarc_report_write_spool(const dmarc_report *r,
    dmarc_sink_fn sink, void *user)
{
	const struct agg_group *g;
	const dmarc_ctx *ctx;
	struct report_row *row;
	char *line;
	size_t i, len;
	dmarc_status st = DMARC_OK;

	if (r == NULL || sink == NULL)
		return DMARC_EINVAL;
	g = dmarc__report_group(r);
	ctx = dmarc__report_aggregate(r)->ctx;
	row = dmarc__alloc(ctx, sizeof *row);
	line = dmarc__alloc(ctx, DMARC__SPOOL_LINE_SIZE);
	for (i = 0; row != NULL && line != NULL && st == DMARC_OK &&
	    i < g->n_rows; i++) {
		row_of(row, g, &g->store->rows[g->rows[i]]);
		st = dmarc__spool_encode(row, line, DMARC__SPOOL_LINE_SIZE, &len);
		if (st == DMARC_OK)
			st = sink(user, line, len);
	}
	if (row == NULL || line == NULL)
		st = DMARC_ENOMEM;
	dmarc__free(ctx, row);
	dmarc__free(ctx, line);
	return st;
}
