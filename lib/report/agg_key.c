/*
 * libdmarc - the key an aggregate counts (agg_store.h): its blob,
 * written from a report row (a decoded spool line) in one pass, and the
 * reporting period a message's arrival falls in.  An evaluation's key
 * is written by lib/report/agg_eval.c.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L /* stpcpy */
#include "config.h"

#include <string.h>

#include "agg_key.h"

#define DAY 86400u
#define HOUR 3600u

/* RFC 7489 7.2: a requested interval (ri) the receiver grants is
 * rounded up to whole hours that divide a day, so periods align to
 * 00:00 UTC; under RFC 9989 (no ri) and by default, a UTC day (RFC 9990
 * 3.1.1.4: end = begin + 86399). */
static uint64_t interval_of(const struct agg_period_rule *rule,
    const struct report_policy *p)
{
	static const uint8_t hours[] = { 1, 2, 3, 4, 6, 8, 12, 24 };
	uint64_t want;
	size_t i;

	if (rule->mode == DMARC_MODE_RFC9989 || p->ri >= DAY)
		return DAY;
	want = p->ri > rule->shortest ? p->ri : rule->shortest;
	for (i = 0; i < sizeof hours; i++)
		if ((uint64_t)hours[i] * HOUR >= want)
			return (uint64_t)hours[i] * HOUR;
	return DAY;
}

uint8_t dmarc__agg_period_hours(const struct agg_period_rule *rule,
    const struct report_policy *p)
{
	return (uint8_t)(interval_of(rule, p) / HOUR);
}

/* ---- writing the blob ---- */

static uint8_t *put_text(uint8_t *b, const char *s)
{
	return dmarc__agg_put_len(b, s, strlen(s), 0);
}

static uint8_t *put_optional(uint8_t *b, bool present, const char *s)
{
	return present ? put_text(b, s) : dmarc__agg_put_absent(b);
}

/* The fixed part but the address, and the address; the reason and
 * signature bytes and the strings follow (agg_store.h). */
static uint8_t *put_fixed(uint8_t *b, uint64_t begin, uint8_t hours,
    const uint8_t small[6], uint8_t family, const uint8_t addr[16])
{
	memcpy(b, &begin, 8);
	b[AGG_AT_HOURS] = hours;
	memcpy(b + AGG_AT_SMALL, small, 6);
	b[AGG_AT_FAMILY] = family;
	memcpy(b + AGG_BLOB_FIXED, addr, 16);
	return b + AGG_BLOB_FIXED + dmarc__agg_ip_bytes(family);
}

static void finish_key(struct agg_key *k, const uint8_t *blob,
    const uint8_t *end)
{
	k->blob = blob;
	k->len = (size_t)(end - blob);
}

/* ---- from a report row ---- */

static uint8_t *put_row_texts(uint8_t *b, const struct report_row *row)
{
	size_t i;

	b = put_text(b, row->header_from);
	b = put_text(b, row->policy_domain);
	b = put_optional(b, row->has_envelope_from, row->envelope_from);
	b = put_optional(b, row->has_envelope_to, row->envelope_to);
	b = put_optional(b, row->has_spf, row->spf.domain);
	for (i = 0; i < row->n_reasons; i++)
		b = put_optional(b, row->reasons[i].has_comment,
		    row->reasons[i].comment);
	for (i = 0; i < row->n_dkim; i++) {
		b = put_text(b, row->dkim[i].domain);
		b = put_text(b, row->dkim[i].selector);
		b = put_text(b, row->dkim[i].human);
	}
	return b;
}

void dmarc__agg_key_from_row(struct agg_key *k, uint8_t *blob,
    const struct agg_period_rule *rule, const struct report_row *row)
{
	uint8_t small[6], hours = dmarc__agg_period_hours(rule, &row->policy),
	    *b;
	size_t i;

	small[0] = row->disposition;
	small[1] = (uint8_t)((row->dkim_aligned ? AGG_DKIM_ALIGNED : 0) |
	    (row->spf_aligned ? AGG_SPF_ALIGNED : 0) |
	    (row->has_spf ? AGG_HAS_SPF : 0));
	small[2] = row->n_reasons;
	small[3] = row->n_dkim;
	small[4] = row->has_spf ? row->spf.result : DMARC_VERDICT_NONE;
	small[5] = row->has_spf ? row->spf.scope : 0;
	b = put_fixed(blob, row->arrival - row->arrival % ((uint64_t)hours *
	    HOUR), hours, small, row->ip.family, row->ip.addr);
	for (i = 0; i < row->n_reasons; i++)
		*b++ = row->reasons[i].type;
	for (i = 0; i < row->n_dkim; i++)
		*b++ = row->dkim[i].result;
	b = put_row_texts(b, row);
	finish_key(k, blob, b);
	k->count = row->count;
	k->arrival = k->policy_arrival = row->arrival;
	k->policy = &row->policy;
	k->n_errors = row->n_errors;
	for (i = 0; i < row->n_errors; i++)
		k->errors[i] = row->errors[i];
}
