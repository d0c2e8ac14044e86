/*
 * libdmarc - the key an aggregate counts (agg_store.h): its blob,
 * written from a finished evaluation or a report row (a decoded spool
 * line) in one pass, and the reporting period a message's arrival falls
 * in.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L /* stpcpy */
#include "config.h"

#include <string.h>

#include "../discovery_int.h"
#include "../eval_int.h"
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

/* The string s of n bytes and its NUL, from an array of size bytes:
 * a short one (most are) by two 16-byte copies, a longer one 16 bytes
 * at a time while the reads stay inside the array, else by memcpy; the
 * blob has AGG_BLOB_SLACK bytes of room past its longest.  The bytes
 * after the NUL are overwritten by what follows, or lie past the key's
 * length. */
static inline uint8_t *put_len(uint8_t *b, const char *s, size_t n,
    size_t size)
{
	size_t i;

	if (n < 32 && size >= 32) {
		memcpy(b, s, 16);
		memcpy(b + 16, s + 16, 16);
	} else if (n + 16 <= size) {
		for (i = 0; i <= n; i += 16)
			memcpy(b + i, s + i, 16);
	} else {
		memcpy(b, s, n + 1);
	}
	return b + n + 1;
}

static uint8_t *put_text(uint8_t *b, const char *s)
{
	return put_len(b, s, strlen(s), 0);
}

static uint8_t *put_marker(uint8_t *b, uint8_t marker)
{
	*b = marker;
	return b + 1;
}

static uint8_t *put_optional(uint8_t *b, bool present, const char *s)
{
	return present ? put_text(b, s) : put_marker(b, AGG_ABSENT);
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

/* ---- from an evaluation ---- */

/* The record's problems, as texts in buf (sorted, distinct, the first
 * few: a row's errors). */
static void key_errors(struct agg_key_buffers *buf, const dmarc_record *rec)
{
	size_t i, n = dmarc_record_get_diag_count(rec);

	buf->n_errors = 0;
	for (i = 0; i < n; i++) {
		char text[REPORT_ROW_COMMENT_SIZE];
		dmarc__row_error_text(text, dmarc_record_get_diag(rec, i));
		dmarc__row_add_error(buf->errors, &buf->n_errors, text);
	}
}

/* The policy and errors of the discovery's record taken afresh into
 * the buffer not used last. */
DMARC_COLD static const struct agg_key_buffers *take_facts(
    struct agg_key_memo *memo, const struct agg_period_rule *rule,
    const dmarc_eval *ev, const dmarc_discovery *d)
{
	struct agg_key_buffers *buf = &memo->slot[memo->next];

	memo->next = (memo->next + 1) % AGG_KEY_MEMOS;
	dmarc__row_policy(&buf->policy, d);
	buf->hours = dmarc__agg_period_hours(rule, &buf->policy);
	key_errors(buf, d->record);
	buf->ctx = ev->ctx;
	buf->serial = d->record->serial;
	buf->v = d->record->v;
	buf->method = (uint8_t)d->method;
	return buf;
}

/* The policy and errors of the discovery's record: kept ones, or taken
 * afresh.  A record of the aggregate's own context is told by its
 * serial number (that context outlives the aggregate: its serials
 * never start again); one of another context by its values too (a
 * context freed and made again at the same address starts its serials
 * again). */
static inline const struct agg_key_buffers *record_facts(
    struct agg_key_memo *memo, const struct agg_period_rule *rule,
    const dmarc_eval *ev, const dmarc_discovery *d)
{
	const dmarc_record *rec = d->record; /* the getters, read directly */
	uint8_t method = (uint8_t)d->method;
	struct agg_key_buffers *buf;
	unsigned int i;

	for (i = 0; i < AGG_KEY_MEMOS; i++) {
		buf = &memo->slot[i];
		if (buf->serial == rec->serial && buf->ctx == ev->ctx &&
		    buf->method == method && (ev->ctx == memo->own ||
		    memcmp(&buf->v, &rec->v, sizeof rec->v) == 0)) {
			memo->next = (i + 1) % AGG_KEY_MEMOS;
			return buf;
		}
	}
	return take_facts(memo, rule, ev, d);
}

/* The reason and signature bytes and the strings, with the lengths the
 * evaluation kept as it set them: each reason's and signature's byte is
 * written with its strings, into its place before the strings. */
static uint8_t *put_eval_rest(uint8_t *b, const dmarc_eval *ev,
    const dmarc_discovery *disc, const uint8_t *order, size_t n_dkim)
{
	uint8_t *types = b, *results = b + ev->n_reasons;
	unsigned int f = ev->best_domain;
	size_t i;

	b = put_len(results + n_dkim, ev->from.domains[f],
	    ev->from.domain_len[f], sizeof ev->from.domains[f]);
	b = put_len(b, disc->policy_domain, disc->policy_domain_len,
	    sizeof disc->policy_domain);
	b = ev->env_from_set ? put_len(b, ev->env_from, ev->env_from_len,
	    sizeof ev->env_from) : put_marker(b, AGG_ABSENT);
	b = ev->env_to[0] != '\0' ? put_len(b, ev->env_to, ev->env_to_len,
	    sizeof ev->env_to) : put_marker(b, AGG_ABSENT);
	if (!ev->spf_set)
		b = put_marker(b, AGG_ABSENT);
	else /* "" when not usable */
		b = put_len(b, ev->spf_domain, ev->spf_usable ?
		    ev->spf_domain_len : 0, sizeof ev->spf_domain);
	for (i = 0; i < ev->n_reasons; i++) { /* rare: by length */
		types[i] = ev->reasons[i].type;
		b = put_optional(b, ev->reasons[i].has_comment,
		    ev->reasons[i].comment);
	}
	for (i = 0; i < n_dkim; i++) {
		const struct eval_dkim *d = &ev->dkim[order[i]];
		results[i] = d->result;
		b = put_len(b, d->domain, d->domain_len, sizeof d->domain);
		b = put_len(b, d->selector, d->selector_len,
		    sizeof d->selector);
		b = put_len(b, d->human, d->human_len, sizeof d->human);
	}
	return b;
}

/* The fixed part of an evaluation's key, written in place. */
static uint8_t *put_eval_fixed(uint8_t *b, const dmarc_eval *ev,
    uint64_t begin, uint8_t hours, size_t n_dkim)
{
	uint8_t *small = b + AGG_AT_SMALL;

	memcpy(b, &begin, 8);
	b[AGG_AT_HOURS] = hours;
	/* the applied disposition (dmarc_eval_get_applied_disposition)
	 * read directly: the evaluation is done */
	small[0] = (uint8_t)(ev->overridden ? ev->applied :
	    ev->best.disposition);
	small[1] = (uint8_t)((ev->best.dkim_alignment != DMARC_UNALIGNED ?
	    AGG_DKIM_ALIGNED : 0) | (ev->best.spf_alignment != DMARC_UNALIGNED ?
	    AGG_SPF_ALIGNED : 0) | (ev->spf_set ? AGG_HAS_SPF : 0));
	small[2] = (uint8_t)ev->n_reasons;
	small[3] = (uint8_t)n_dkim;
	small[4] = ev->spf_set ? ev->spf_result : DMARC_VERDICT_NONE;
	small[5] = ev->spf_set ? ev->spf_scope : 0;
	b[AGG_AT_FAMILY] = ev->ip_family;
	memcpy(b + AGG_BLOB_FIXED, ev->ip_addr, 16);
	return b + AGG_BLOB_FIXED + dmarc__agg_ip_bytes(ev->ip_family);
}

/* The evaluation's kept signatures in report order, into order; their
 * number. */
DMARC_COLD static size_t sort_dkim(const dmarc_eval *ev, uint8_t *order)
{
	return dmarc__row_dkim_order(ev, ev->from.domains[ev->best_domain],
	    order);
}

dmarc_status dmarc__agg_key_from_eval(struct agg_key *k, uint8_t *blob,
    struct agg_key_memo *memo, const struct agg_period_rule *rule,
    const dmarc_eval *ev)
{
	static const uint8_t in_order[1] = { 0 };
	const dmarc_discovery *d = dmarc__row_discovery(ev);
	const struct agg_key_buffers *buf;
	const uint8_t *order = in_order;
	size_t i, n_dkim = ev->n_dkim;
	uint8_t *b;

	if (d == NULL)
		return DMARC_ESTATE;
	buf = record_facts(memo, rule, ev, d);
	if (n_dkim > 1) { /* one is in order, as dmarc__row_dkim_order says */
		n_dkim = sort_dkim(ev, memo->order);
		order = memo->order;
	}
	b = put_eval_fixed(blob, ev, ev->arrival - ev->arrival %
	    ((uint64_t)buf->hours * HOUR), buf->hours, n_dkim);
	b = put_eval_rest(b, ev, d, order, n_dkim);
	finish_key(k, blob, b);
	k->count = 1;
	k->arrival = k->policy_arrival = ev->arrival;
	k->policy = &buf->policy;
	k->n_errors = buf->n_errors;
	for (i = 0; i < buf->n_errors; i++)
		k->errors[i] = buf->errors[i];
	return DMARC_OK;
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
