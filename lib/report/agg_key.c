/*
 * libdmarc - the key an aggregate counts (agg_store.h), taken from a
 * finished evaluation without copying its strings, or from a report
 * row (a decoded spool line); and the reporting period a message's
 * arrival falls in.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

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

void dmarc__agg_period(struct agg_key *k, const struct agg_period_rule *rule,
    uint64_t arrival, const struct report_policy *p)
{
	uint64_t span = interval_of(rule, p);

	k->begin = arrival - arrival % span;
	k->end = k->begin + span - 1;
}

static struct agg_text text_of(const char *s)
{
	struct agg_text t = { s, strlen(s) };
	return t;
}

static struct agg_text optional(bool present, const char *s)
{
	struct agg_text t = { NULL, 0 };
	return present ? text_of(s) : t;
}

static void key_reasons(struct agg_key *k, const dmarc_eval *ev)
{
	size_t i;

	k->n_reasons = (uint8_t)ev->n_reasons;
	for (i = 0; i < ev->n_reasons; i++) {
		k->reason_type[i] = ev->reasons[i].type;
		k->reason_comment[i] = optional(ev->reasons[i].has_comment,
		    ev->reasons[i].comment);
	}
}

static void key_auth(struct agg_key *k, const dmarc_eval *ev)
{
	uint8_t order[REPORT_ROW_MAX_DKIM];
	size_t i;

	if (ev->spf_set)
		k->flags |= AGG_HAS_SPF;
	k->spf_result = ev->spf_set ? ev->spf_result : DMARC_VERDICT_NONE;
	k->spf_scope = ev->spf_set ? ev->spf_scope : 0;
	k->spf_domain = ev->spf_set && ev->spf_usable ?
	    text_of(ev->spf_domain) : text_of("");
	k->n_dkim = (uint8_t)dmarc__row_dkim_order(ev, k->header_from.s,
	    order);
	for (i = 0; i < k->n_dkim; i++) {
		const struct eval_dkim *d = &ev->dkim[order[i]];
		k->dkim_result[i] = d->result;
		k->dkim_domain[i] = text_of(d->domain);
		k->dkim_selector[i] = text_of(d->selector);
		k->dkim_human[i] = text_of(d->human);
	}
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

/* The policy and errors of the discovery's record: kept ones, or
 * taken afresh into the buffer not used last. */
static const struct agg_key_buffers *record_facts(struct agg_key_memo *memo,
    const dmarc_eval *ev, const dmarc_discovery *d)
{
	const dmarc_record *rec = dmarc_discovery_get_record(d);
	uint8_t method = (uint8_t)dmarc_discovery_get_method(d);
	struct agg_key_buffers *buf;
	unsigned int i;

	for (i = 0; i < AGG_KEY_MEMOS; i++) {
		buf = &memo->slot[i];
		if (buf->ctx == ev->ctx && buf->serial == rec->serial &&
		    buf->method == method) {
			memo->next = (i + 1) % AGG_KEY_MEMOS;
			return buf;
		}
	}
	buf = &memo->slot[memo->next];
	memo->next = (memo->next + 1) % AGG_KEY_MEMOS;
	dmarc__row_policy(&buf->policy, d);
	key_errors(buf, rec);
	buf->ctx = ev->ctx;
	buf->serial = rec->serial;
	buf->method = method;
	return buf;
}

dmarc_status dmarc__agg_key_from_eval(struct agg_key *k,
    struct agg_key_memo *memo, const struct agg_period_rule *rule,
    const dmarc_eval *ev)
{
	const dmarc_discovery *d = dmarc__row_discovery(ev);
	const struct agg_key_buffers *buf;
	size_t i;

	if (d == NULL)
		return DMARC_ESTATE;
	buf = record_facts(memo, ev, d);
	k->policy = &buf->policy;
	k->domain = text_of(dmarc_discovery_get_policy_domain(d));
	dmarc__agg_period(k, rule, ev->arrival, &buf->policy);
	k->ip.family = ev->ip_family;
	memcpy(k->ip.addr, ev->ip_addr, sizeof k->ip.addr);
	k->header_from = text_of(ev->from.domains[ev->best_domain]);
	k->envelope_from = optional(ev->env_from_set, ev->env_from);
	k->envelope_to = optional(ev->env_to[0] != '\0', ev->env_to);
	k->disposition = (uint8_t)dmarc_eval_get_applied_disposition(ev);
	k->flags = 0;
	if (ev->best.dkim_alignment != DMARC_UNALIGNED)
		k->flags |= AGG_DKIM_ALIGNED;
	if (ev->best.spf_alignment != DMARC_UNALIGNED)
		k->flags |= AGG_SPF_ALIGNED;
	key_reasons(k, ev);
	key_auth(k, ev);
	k->count = 1;
	k->arrival = k->policy_arrival = ev->arrival;
	k->n_errors = buf->n_errors;
	for (i = 0; i < buf->n_errors; i++)
		k->errors[i] = text_of(buf->errors[i]);
	return DMARC_OK;
}

void dmarc__agg_key_from_row(struct agg_key *k,
    const struct agg_period_rule *rule, const struct report_row *row)
{
	size_t i;

	k->policy = &row->policy;
	k->domain = text_of(row->policy_domain);
	dmarc__agg_period(k, rule, row->arrival, &row->policy);
	k->ip = row->ip;
	k->header_from = text_of(row->header_from);
	k->envelope_from = optional(row->has_envelope_from, row->envelope_from);
	k->envelope_to = optional(row->has_envelope_to, row->envelope_to);
	k->disposition = row->disposition;
	k->flags = (uint8_t)((row->dkim_aligned ? AGG_DKIM_ALIGNED : 0) |
	    (row->spf_aligned ? AGG_SPF_ALIGNED : 0) |
	    (row->has_spf ? AGG_HAS_SPF : 0));
	k->n_reasons = row->n_reasons;
	for (i = 0; i < row->n_reasons; i++) {
		k->reason_type[i] = row->reasons[i].type;
		k->reason_comment[i] = optional(row->reasons[i].has_comment,
		    row->reasons[i].comment);
	}
	k->spf_result = row->has_spf ? row->spf.result : DMARC_VERDICT_NONE;
	k->spf_scope = row->has_spf ? row->spf.scope : 0;
	k->spf_domain = text_of(row->has_spf ? row->spf.domain : "");
	k->n_dkim = row->n_dkim;
	for (i = 0; i < row->n_dkim; i++) {
		k->dkim_result[i] = row->dkim[i].result;
		k->dkim_domain[i] = text_of(row->dkim[i].domain);
		k->dkim_selector[i] = text_of(row->dkim[i].selector);
		k->dkim_human[i] = text_of(row->dkim[i].human);
	}
	k->count = row->count;
	k->arrival = k->policy_arrival = row->arrival;
	k->n_errors = row->n_errors;
	for (i = 0; i < row->n_errors; i++)
		k->errors[i] = text_of(row->errors[i]);
}
