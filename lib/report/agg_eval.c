/*
 * libdmarc - counting a finished evaluation in an aggregate
 * (include/dmarc/report.h): the blob of its key (agg_store.h) written
 * from the evaluation's fields, and, on the path of a row that exists,
 * that row found and counted in one function: nothing allocated, no
 * key but the blob made.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "aggregate_int.h"
#include "row_eval.h"

#define HOUR 3600u

static uint8_t *put_optional(uint8_t *b, bool present, const char *s)
{
	return present ? dmarc__agg_put_len(b, s, strlen(s), 0) :
	    dmarc__agg_put_absent(b);
}

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
	buf->seconds = (uint32_t)buf->hours * HOUR;
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
static DMARC_ALWAYS_INLINE bool facts_kept(const struct agg_key_buffers *buf,
    const struct agg_key_memo *memo, const dmarc_eval *ev,
    const dmarc_record *rec, uint8_t method)
{
	return buf->serial == rec->serial && buf->ctx == ev->ctx &&
	    buf->method == method && (ev->ctx == memo->own ||
	    memcmp(&buf->v, &rec->v, sizeof rec->v) == 0);
}

static DMARC_ALWAYS_INLINE const struct agg_key_buffers *record_facts(
    struct agg_key_memo *memo, const struct agg_period_rule *rule,
    const dmarc_eval *ev, const dmarc_discovery *d)
{
	const dmarc_record *rec = d->record; /* the getters, read directly */
	uint8_t method = (uint8_t)d->method;

	_Static_assert(AGG_KEY_MEMOS == 2, "two slots");
	if (DMARC_LIKELY(facts_kept(&memo->slot[0], memo, ev, rec, method))) {
		memo->next = 1;
		return &memo->slot[0];
	}
	if (DMARC_LIKELY(facts_kept(&memo->slot[1], memo, ev, rec,
	    method))) {
		memo->next = 0;
		return &memo->slot[1];
	}
	return take_facts(memo, rule, ev, d);
}

/* The strings but the signatures', and each reason's byte, with the
 * lengths the evaluation kept as it set them: each reason's byte is
 * written with its strings, into its place before the strings (types;
 * the signatures' bytes follow it), the strings at b. */
static DMARC_ALWAYS_INLINE uint8_t *put_eval_texts(uint8_t *restrict b,
    uint8_t *restrict types, const dmarc_eval *restrict ev,
    const dmarc_discovery *restrict disc, size_t n_reasons)
{
	unsigned int f = ev->best_domain;
	size_t i;

	b = dmarc__agg_put_len(b, ev->from.domains[f], ev->from.domain_len[f],
	    sizeof ev->from.domains[f]);
	b = dmarc__agg_put_len(b, disc->policy_domain, disc->policy_domain_len,
	    sizeof disc->policy_domain);
	b = ev->env_from_set ? dmarc__agg_put_len(b, ev->env_from,
	    ev->env_from_len, sizeof ev->env_from) : dmarc__agg_put_absent(b);
	b = ev->env_to[0] != '\0' ? dmarc__agg_put_len(b, ev->env_to,
	    ev->env_to_len, sizeof ev->env_to) : dmarc__agg_put_absent(b);
	/* a domain that is not usable is "" of length 0 (dmarc__take_domain
	 * in lib/eval.c and lib/eval_authres.c) */
	b = ev->spf_set ? dmarc__agg_put_len(b, ev->spf_domain,
	    ev->spf_domain_len, sizeof ev->spf_domain) :
	    dmarc__agg_put_absent(b);
	for (i = 0; i < n_reasons; i++) { /* rare: by length */
		types[i] = ev->reasons[i].type;
		b = put_optional(b, ev->reasons[i].has_comment,
		    ev->reasons[i].comment);
	}
	return b;
}

/* A signature's strings at b, its byte at *result. */
static DMARC_ALWAYS_INLINE uint8_t *put_eval_dkim(uint8_t *restrict b,
    uint8_t *restrict result, const struct eval_dkim *restrict d)
{
	*result = d->result;
	b = dmarc__agg_put_len(b, d->domain, d->domain_len, sizeof d->domain);
	b = dmarc__agg_put_len(b, d->selector, d->selector_len,
	    sizeof d->selector);
	if (d->human_len == 0) { /* most checkers give none */
		*b = '\0';
		return b + 1;
	}
	return dmarc__agg_put_len(b, d->human, d->human_len, sizeof d->human);
}

/* The fixed part of an evaluation's key, written in place; where the
 * reason bytes go. */
static DMARC_ALWAYS_INLINE uint8_t *put_eval_fixed(uint8_t *restrict b,
    const dmarc_eval *restrict ev, uint64_t begin, uint8_t hours,
    size_t n_dkim)
{
	static const uint8_t ip_bytes[8] = { 0, 0, 0, 0, 4, 0, 16, 0 };
	uint8_t *small = b + AGG_AT_SMALL;

	memcpy(b, &begin, 8);
	b[AGG_AT_HOURS] = hours;
	/* the applied disposition (dmarc_eval_get_applied_disposition)
	 * read directly: the evaluation is done */
	small[0] = (uint8_t)(DMARC_UNLIKELY(ev->overridden) ? ev->applied :
	    ev->best.disposition);
	small[1] = (uint8_t)((ev->best.dkim_alignment != DMARC_UNALIGNED ?
	    AGG_DKIM_ALIGNED : 0) | (ev->best.spf_alignment != DMARC_UNALIGNED ?
	    AGG_SPF_ALIGNED : 0) | (ev->spf_set ? AGG_HAS_SPF : 0));
	small[2] = (uint8_t)ev->n_reasons;
	small[3] = (uint8_t)n_dkim;
	/* DMARC_VERDICT_NONE while spf_set is false (lib/eval.c,
	 * lib/eval_authres.c keep it so) */
	small[4] = ev->spf_result;
	small[5] = (uint8_t)(ev->spf_scope & -(unsigned int)ev->spf_set);
	b[AGG_AT_FAMILY] = ev->ip_family;
	memcpy(b + AGG_BLOB_FIXED, ev->ip_addr, 16);
	return b + AGG_BLOB_FIXED + ip_bytes[ev->ip_family & 7];
}

/* The evaluation's kept signatures in report order, into order; their
 * number. */
DMARC_COLD static size_t sort_dkim(const dmarc_eval *ev, uint8_t *order)
{
	return dmarc__row_dkim_order(ev, ev->from.domains[ev->best_domain],
	    order);
}

static dmarc_status key_from_eval(struct agg_key *k, uint8_t *blob,
    struct agg_key_memo *memo, const struct agg_period_rule *rule,
    const dmarc_eval *ev)
{
	static const uint8_t in_order[1] = { 0 };
	const dmarc_discovery *d = dmarc__row_eval_discovery(ev);
	const struct agg_key_buffers *buf;
	const uint8_t *order = in_order;
	size_t i, n_dkim = ev->n_dkim;
	uint8_t *b, *t;

	if (d == NULL)
		return DMARC_ESTATE;
	buf = record_facts(memo, rule, ev, d);
	if (n_dkim > 1) { /* one is in order, as dmarc__row_dkim_order says */
		n_dkim = sort_dkim(ev, memo->order);
		order = memo->order;
	}
	b = put_eval_fixed(blob, ev, ev->arrival - ev->arrival %
	    ((uint64_t)buf->hours * HOUR), buf->hours, n_dkim);
	t = b;
	b = put_eval_texts(b + ev->n_reasons + n_dkim, t, ev, d,
	    ev->n_reasons);
	for (i = 0; i < n_dkim; i++)
		b = put_eval_dkim(b, t + ev->n_reasons + i, &ev->dkim[order[i]]);
	k->blob = blob;
	k->len = (size_t)(b - blob);
	k->count = 1;
	k->arrival = k->policy_arrival = ev->arrival;
	k->policy = &buf->policy;
	k->n_errors = buf->n_errors;
	for (i = 0; i < buf->n_errors; i++)
		k->errors[i] = buf->errors[i];
	return DMARC_OK;
}


/* ---- counting ---- */

/* An evaluation whose row does not exist yet, or that is not counted
 * on the path below (record errors, several signatures, no time). */
DMARC_COLD static dmarc_status add_with_key(dmarc_aggregate *agg,
    const dmarc_eval *ev)
{
	struct agg_key key;
	dmarc_status st;

	st = key_from_eval(&key, agg->blob, &agg->last, &agg->rule, ev);
	if (st == DMARC_OK && ev->arrival == 0)
		return DMARC_EINVAL; /* no period: dmarc_eval_set_time() */
	if (st != DMARC_OK)
		return st;
	return dmarc__aggregate_outcome(agg, dmarc__agg_count(&agg->store,
	    &key));
}

DMARC_EXPORT dmarc_status dmarc_aggregate_add_eval(dmarc_aggregate *agg,
    const dmarc_eval *ev)
{
	const struct agg_key_buffers *buf;
	const dmarc_discovery *d;
	struct agg_store *st;
	struct agg_row *r;
	uint8_t *b, *t;
	size_t len, n_dkim, n_reasons;
	uint64_t arrival;
	uint32_t h;

	if (agg == NULL || ev == NULL)
		return DMARC_EINVAL;
	if ((d = dmarc__row_eval_discovery(ev)) == NULL)
		return DMARC_ESTATE;
	buf = record_facts(&agg->last, &agg->rule, ev, d);
	/* read once: the blob's byte stores could be the evaluation's for
	 * all the compiler knows */
	n_dkim = ev->n_dkim;
	n_reasons = ev->n_reasons;
	arrival = ev->arrival;
	if (n_dkim > 1 || buf->n_errors != 0 || arrival == 0)
		return add_with_key(agg, ev);
	b = put_eval_fixed(agg->blob, ev, arrival - arrival % buf->seconds,
	    buf->hours, n_dkim);
	t = b;
	b = put_eval_texts(b + n_reasons + n_dkim, t, ev, d, n_reasons);
	if (DMARC_LIKELY(n_dkim != 0)) /* most mail is signed */
		b = put_eval_dkim(b, t + n_reasons, &ev->dkim[0]);
	len = (size_t)(b - agg->blob);
	st = &agg->store;
	h = dmarc__agg_hash(agg->blob, len, st->seed, st->key);
	/* the first row of that hash and length: most often the one (the
	 * general path looks further) */
	r = dmarc__agg_candidate(st, h, len);
	if (r == NULL || memcmp(st->bytes + r->blob, agg->blob, len) != 0)
		return add_with_key(agg, ev);
	dmarc__agg_count_in(r, &st->groups[r->group], 1, arrival,
	    &buf->policy, arrival);
	return DMARC_OK;
}
