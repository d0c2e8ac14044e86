/*
 * libdmarc - the aggregate object (include/dmarc/report.h): counting
 * evaluations, spool lines and other aggregates into reports.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "../eval_int.h"
#include "aggregate_int.h"
#include "mail_text.h"
#include "spool_codec.h"

DMARC_EXPORT dmarc_status dmarc_aggregate_new(dmarc_aggregate **out,
    const dmarc_ctx *ctx)
{
	dmarc_aggregate *agg;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return DMARC_EINVAL;
	if ((agg = dmarc__alloc(ctx, sizeof *agg)) == NULL)
		return DMARC_ENOMEM;
	memset(agg, 0, sizeof *agg);
	agg->scratch = dmarc__alloc(ctx, sizeof *agg->scratch);
	agg->blob = dmarc__alloc(ctx, AGG_BLOB_MAX + AGG_BLOB_SLACK);
	if (agg->scratch == NULL || agg->blob == NULL) {
		dmarc__free(ctx, agg->scratch);
		dmarc__free(ctx, agg->blob);
		dmarc__free(ctx, agg);
		return DMARC_ENOMEM;
	}
	agg->ctx = ctx;
	agg->last.own = ctx;
	agg->rule.mode = dmarc_ctx_get_mode(ctx);
	agg->rule.shortest = dmarc_ctx_get_limit(ctx,
	    DMARC_LIMIT_REPORT_INTERVAL);
	dmarc__agg_store_init(&agg->store, ctx,
	    dmarc_ctx_get_limit(ctx, DMARC_LIMIT_AGGREGATE_ROWS));
	*out = agg;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_aggregate_free(dmarc_aggregate *agg)
{
	size_t i;

	if (agg == NULL)
		return;
	for (i = 0; i < AGG_REPORTER_FIELDS; i++)
		dmarc__free(agg->ctx, agg->reporter[i]);
	dmarc__agg_store_free(&agg->store);
	dmarc__free(agg->ctx, agg->scratch);
	dmarc__free(agg->ctx, agg->blob);
	dmarc__free(agg->ctx, agg);
}

/* ---- reporter fields ---- */

static bool printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static bool alnum(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!dmarc__is_digit((unsigned char)s[i]) &&
		    !dmarc__is_alpha((unsigned char)s[i]))
			return false;
	return true;
}

static dmarc_status check_field(dmarc_reporter_field field, const char *v,
    size_t n, char *domain)
{
	if (n == 0 || n > AGG_REPORTER_MAX || !printable(v, n))
		return DMARC_EINVAL;
	switch (field) {
	case DMARC_REPORTER_SUBMITTER:
		return dmarc_domain_normalize(v, n, domain, DMARC_DOMAIN_SIZE,
		    NULL);
	case DMARC_REPORTER_HOST_ID:
		return n <= 32 && alnum(v, n) ? DMARC_OK : DMARC_EINVAL;
	case DMARC_REPORTER_EMAIL:
	case DMARC_REPORTER_FROM: /* what the report's email takes */
		return dmarc__mail_is_addr(v) ? DMARC_OK : DMARC_EINVAL;
	default:
		return DMARC_OK;
	}
}

DMARC_EXPORT dmarc_status dmarc_aggregate_set_reporter(dmarc_aggregate *agg,
    dmarc_reporter_field field, const char *value)
{
	char domain[DMARC_DOMAIN_SIZE], *copy = NULL;
	dmarc_status st;
	size_t n;

	if (agg == NULL || field < DMARC_REPORTER_ORG_NAME ||
	    field >= (int)AGG_REPORTER_FIELDS)
		return DMARC_EINVAL;
	if (value != NULL) {
		n = strlen(value);
		if ((st = check_field(field, value, n, domain)) != DMARC_OK)
			return st;
		if (field == DMARC_REPORTER_SUBMITTER) {
			value = domain;
			n = strlen(domain);
		}
		if ((copy = dmarc__alloc(agg->ctx, n + 1)) == NULL)
			return DMARC_ENOMEM;
		memcpy(copy, value, n + 1);
	}
	dmarc__free(agg->ctx, agg->reporter[field]);
	agg->reporter[field] = copy;
	return DMARC_OK;
}

DMARC_EXPORT const char *dmarc_aggregate_get_reporter(
    const dmarc_aggregate *agg, dmarc_reporter_field field)
{
	if (agg == NULL || field < DMARC_REPORTER_ORG_NAME ||
	    field >= (int)AGG_REPORTER_FIELDS)
		return NULL;
	return dmarc__reporter(agg, field);
}

const char *dmarc__reporter(const struct dmarc_aggregate *agg,
    dmarc_reporter_field field)
{
	if (agg->reporter[field] != NULL)
		return agg->reporter[field];
	if (field == DMARC_REPORTER_GENERATOR)
		return "libdmarc " PACKAGE_VERSION;
	if (field == DMARC_REPORTER_FROM)
		return agg->reporter[DMARC_REPORTER_EMAIL];
	return NULL;
}

/* ---- counting ---- */

void dmarc__aggregate_diag(struct dmarc_aggregate *agg, dmarc_diag_code code,
    size_t offset)
{
	dmarc_diag *d;

	if (agg->n_diags == AGG_MAX_DIAGS)
		return;
	d = &agg->diags[agg->n_diags++];
	memset(d, 0, sizeof *d);
	d->code = (uint8_t)code;
	d->severity = DMARC_SEVERITY_WARNING;
	d->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
	d->tag = d->domain = "";
}

dmarc_status dmarc__aggregate_outcome(struct dmarc_aggregate *agg,
    enum agg_outcome out)
{
	switch (out) {
	case AGG_COUNTED:
		return DMARC_OK;
	case AGG_FULL:
		if (!agg->full_noted)
			dmarc__aggregate_diag(agg, DMARC_DIAG_AGGREGATE_FULL,
			    agg->store.n_rows);
		agg->full_noted = true;
		return DMARC_EFULL;
	case AGG_TOO_MANY:
		return DMARC_ERANGE;
	default:
		return DMARC_ENOMEM;
	}
}

bool dmarc__aggregate_take(struct dmarc_aggregate *agg,
    const struct agg_key *key, dmarc_status *result)
{
	dmarc_status st = dmarc__aggregate_outcome(agg,
	    dmarc__agg_count(&agg->store, key));

	if (st != DMARC_OK && *result != DMARC_ERANGE)
		*result = st; /* a refused count outweighs a dropped row */
	return st != DMARC_ENOMEM;
}

DMARC_EXPORT dmarc_status dmarc_aggregate_add_spool_line(
    dmarc_aggregate *agg, const char *line, size_t len, size_t *offset)
{
	struct agg_key key;
	dmarc_status st;

	if (offset != NULL)
		*offset = 0;
	if (agg == NULL || (line == NULL && len != 0))
		return DMARC_EINVAL;
	st = dmarc__spool_decode(agg->scratch, line, len, offset);
	if (st != DMARC_OK)
		return st;
	dmarc__agg_key_from_row(&key, agg->blob, &agg->rule, agg->scratch);
	return dmarc__aggregate_outcome(agg, dmarc__agg_count(&agg->store,
	    &key));
}

/* other's messages dropped at its limit stay counted as dropped. */
static void merge_dropped(struct agg_store *st, const struct agg_store *from)
{
	size_t i, j;

	st->dropped = dmarc__agg_sum(st->dropped, from->dropped);
	for (i = 0; i < from->n_groups; i++) {
		const struct agg_group *g = &from->groups[i];
		for (j = 0; g->dropped != 0 && j < st->n_groups; j++)
			if (st->groups[j].begin == g->begin &&
			    st->groups[j].end == g->end &&
			    strcmp(dmarc__agg_group_domain(&st->groups[j]),
			    dmarc__agg_group_domain(g)) == 0)
				st->groups[j].dropped = dmarc__agg_sum(
				    st->groups[j].dropped, g->dropped);
	}
}

DMARC_EXPORT dmarc_status dmarc_aggregate_merge(dmarc_aggregate *agg,
    const dmarc_aggregate *other)
{
	const struct agg_store *from;
	size_t i, n;
	dmarc_status result = DMARC_OK;

	if (agg == NULL || other == NULL)
		return DMARC_EINVAL;
	from = &other->store;
	n = from->n_rows; /* merging into itself adds each row once */
	for (i = 0; i < n; i++) {
		struct agg_key key;
		dmarc__agg_row_key(from, &from->rows[i], &key);
		if (!dmarc__aggregate_take(agg, &key, &result))
			return result;
	}
	merge_dropped(&agg->store, from);
	return result;
}

/* ---- what it counted ---- */

DMARC_EXPORT uint64_t dmarc_aggregate_get_count(const dmarc_aggregate *agg,
    dmarc_aggregate_count which)
{
	if (agg == NULL)
		return 0;
	switch (which) {
	case DMARC_COUNT_ROWS: return agg->store.n_rows;
	case DMARC_COUNT_MESSAGES: return dmarc__agg_messages(&agg->store);
	case DMARC_COUNT_DROPPED: return agg->store.dropped;
	case DMARC_COUNT_REPORTS: return agg->store.n_groups;
	case DMARC_COUNT_SPOOL_ROWS: return agg->spool_rows;
	case DMARC_COUNT_SPOOL_TORN: return agg->spool_torn;
	case DMARC_COUNT_SPOOL_BAD: return agg->spool_bad;
	default: return 0;
	}
}

DMARC_EXPORT size_t dmarc_aggregate_get_diag_count(
    const dmarc_aggregate *agg)
{
	return agg != NULL ? agg->n_diags : 0;
}

DMARC_EXPORT const dmarc_diag *dmarc_aggregate_get_diag(
    const dmarc_aggregate *agg, size_t index)
{
	return agg != NULL && index < agg->n_diags ? &agg->diags[index] : NULL;
}

DMARC_EXPORT const dmarc_report *dmarc_aggregate_get_report(
    const dmarc_aggregate *agg, size_t index)
{
	if (agg == NULL || index >= agg->store.n_groups)
		return NULL;
	return (const dmarc_report *)(const void *)&agg->store.groups[index];
}

const struct dmarc_aggregate *dmarc__report_aggregate(const dmarc_report *r)
{
	const struct agg_store *st = dmarc__report_group(r)->store;

	return (const struct dmarc_aggregate *)(const void *)((const char *)st -
	    offsetof(struct dmarc_aggregate, store));
}
