/*
 * libdmarc - the aggregate object (include/dmarc/report.h) inside: its
 * store, its reporter fields and diagnostics.  A dmarc_report handed
 * out is a pointer to one of the store's groups.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_AGGREGATE_INT_H
#define DMARC_REPORT_AGGREGATE_INT_H

#include "agg_key.h"
#include "agg_store.h"
#include "sink.h"

#define AGG_MAX_DIAGS 64u
#define AGG_REPORTER_FIELDS 8u   /* dmarc_reporter_field values + 1 */
/* The longest reporter field (RFC 5321 4.5.3.1.3: a path is at most
 * 256 octets; names and texts get as much). */
#define AGG_REPORTER_MAX 255u

struct dmarc_aggregate {
	const dmarc_ctx *ctx;
	struct agg_store store;
	struct agg_period_rule rule;
	char *reporter[AGG_REPORTER_FIELDS];
	dmarc_diag diags[AGG_MAX_DIAGS];
	size_t n_diags;
	bool full_noted;                /* the row limit's diagnostic given */
	uint64_t spool_rows, spool_torn, spool_bad;
	struct report_row *scratch;     /* a decoded spool line */
	uint8_t *blob;                  /* a key's, AGG_BLOB_MAX bytes */
	/* the records of the last evaluations */
	struct agg_key_memo last;
};

static inline const struct agg_group *dmarc__report_group(
    const dmarc_report *r)
{
	return (const struct agg_group *)(const void *)r;
}

/* The aggregate a report belongs to. */
const struct dmarc_aggregate *dmarc__report_aggregate(const dmarc_report *r);

/* A reporter field, or its default (generator, From), or NULL. */
const char *dmarc__reporter(const struct dmarc_aggregate *agg,
    dmarc_reporter_field field);

/* Count the outcome of dmarc__agg_count: a status, and the row limit's
 * diagnostic the first time. */
dmarc_status dmarc__aggregate_outcome(struct dmarc_aggregate *agg,
    enum agg_outcome out);

/* Count key: a status other than DMARC_OK goes to *result (the last
 * one); false when memory ran out (stop: *result is DMARC_ENOMEM). */
bool dmarc__aggregate_take(struct dmarc_aggregate *agg,
    const struct agg_key *key, dmarc_status *result);

/* Add a diagnostic (the first AGG_MAX_DIAGS are kept). */
void dmarc__aggregate_diag(struct dmarc_aggregate *agg, dmarc_diag_code code,
    size_t offset);

/* Write part of n_parts of the report, whose Report-ID that part has,
 * as XML, gzip with DMARC_REPORT_GZIP in flags, into next. */
dmarc_status dmarc__report_out(const dmarc_report *r, unsigned int part,
    unsigned int n_parts, const char *id, unsigned int flags,
    struct dmarc__sink next);

/* Write part of n_parts of the report, whose Report-ID that part has,
 * as XML to sink (pretty or not). */
dmarc_status dmarc__report_xml(const dmarc_report *r, unsigned int part,
    unsigned int n_parts, const char *report_id, bool pretty,
    struct dmarc__sink sink);

#endif /* DMARC_REPORT_AGGREGATE_INT_H */
