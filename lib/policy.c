/*
 * libdmarc - from alignment to what to do: the DMARC result, the policy
 * the record requests (pct sampling in RFC 7489, t=y in RFC 9989), the
 * suggested disposition (RFC 9989 7.4), the reasons reports carry, and
 * which failure reports fo= asks for.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"
#include "eval_int.h"

/* One level lower: reject to quarantine, quarantine to none. */
static dmarc_policy downgrade(dmarc_policy p)
{
	return p == DMARC_POLICY_REJECT ? DMARC_POLICY_QUARANTINE :
	    DMARC_POLICY_NONE;
}

/* 0..99 from the context's source, or the evaluation's own. */
static unsigned int percent(dmarc_eval *ev)
{
	uint32_t x;

	if (ev->ctx->random_fn != NULL)
		return (unsigned int)(ev->ctx->random_fn(ev->ctx->random_user) %
		    100u);
	x = ev->random; /* xorshift32: good enough to sample a percentage */
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	ev->random = x;
	return x % 100u;
}

/* The requested policy for a failing message. */
static dmarc_policy requested(dmarc_eval *ev, const dmarc_record *rec)
{
	dmarc_policy p = dmarc__discovery_policy(ev->disc);

	if (p == DMARC_POLICY_NONE || p == DMARC_POLICY_UNSPECIFIED)
		return DMARC_POLICY_NONE;
	if (ev->ctx->mode == DMARC_MODE_RFC9989) {
		if (dmarc_record_get_testing(rec)) {
			ev->out.test_mode = true;
			return downgrade(p);
		}
		return p;
	}
	if (percent(ev) >= dmarc_record_get_pct(rec)) {
		ev->out.sampled_out = true;
		return downgrade(p);
	}
	return p;
}

void dmarc__policy_decide(dmarc_eval *ev)
{
	const dmarc_record *rec = ev->disc->record;
	bool bis = ev->ctx->mode == DMARC_MODE_RFC9989;
	struct eval_outcome *o = &ev->out;

	if (o->spf_alignment != DMARC_UNALIGNED ||
	    o->dkim_alignment != DMARC_UNALIGNED) {
		o->result = DMARC_RESULT_PASS;
		/* RFC 9990 defines disposition "pass" as passing DMARC with
		 * a policy to apply: with p=none it stays "none" */
		o->disposition = bis && dmarc__discovery_policy(ev->disc) >
		    DMARC_POLICY_NONE ? DMARC_DISPOSITION_PASS :
		    DMARC_DISPOSITION_NONE;
		return;
	}
	if (o->temp_possible || ev->org_tempfail) {
		o->result = DMARC_RESULT_TEMPERROR;
		o->disposition = DMARC_DISPOSITION_NONE;
		return;
	}
	o->result = DMARC_RESULT_FAIL;
	o->requested = requested(ev, rec);
	o->disposition = (dmarc_disposition)o->requested;
	if (bis && o->requested == DMARC_POLICY_REJECT &&
	    !(ev->ctx->eval_options & DMARC_EVAL_REJECT_EVIDENCE)) {
		/* RFC 9989 7.4: without other evidence, treat as quarantine */
		o->disposition = DMARC_DISPOSITION_QUARANTINE;
		o->reject_softened = true;
	}
}

/* A reason; comment a constant, or already in the comment pool. */
static void add_reason(dmarc_eval *ev, dmarc_reason type, const char *comment)
{
	struct eval_reason *r;

	if (ev->n_reasons >= EVAL_MAX_REASONS)
		return;
	r = &ev->reasons[ev->n_reasons++];
	r->type = (uint8_t)type;
	r->has_comment = comment != NULL;
	r->comment = comment;
}

/* The caller's comment copied to the pool slot of the next reason
 * (there is one); *copy NULL for none. */
static dmarc_status keep_comment(dmarc_eval *ev, const char *comment,
    size_t n, const char **copy)
{
	*copy = NULL;
	if (comment == NULL)
		return DMARC_OK;
	if (ev->comments == NULL) {
		ev->comments = dmarc__alloc(ev->ctx,
		    EVAL_MAX_REASONS * sizeof *ev->comments);
		if (ev->comments == NULL)
			return DMARC_ENOMEM;
	}
	memcpy(ev->comments[ev->n_reasons], comment, n + 1);
	*copy = ev->comments[ev->n_reasons];
	return DMARC_OK;
}

void dmarc__policy_reasons(dmarc_eval *ev)
{
	if (ev->best.sampled_out)
		add_reason(ev, DMARC_REASON_SAMPLED_OUT, NULL);
	if (ev->best.test_mode)
		add_reason(ev, DMARC_REASON_POLICY_TEST_MODE, NULL);
	if (ev->best.reject_softened)
		add_reason(ev, DMARC_REASON_LOCAL_POLICY,
		    "p=reject applied as quarantine (RFC 9989 7.4)");
}

DMARC_EXPORT unsigned int dmarc_eval_get_failure_reports(
    const dmarc_eval *ev)
{
	const dmarc_record *rec;
	unsigned int fo, out = 0;
	size_t i;

	if (ev == NULL || ev->phase != EV_DONE || ev->status != DMARC_OK ||
	    (ev->best.result != DMARC_RESULT_PASS &&
	    ev->best.result != DMARC_RESULT_FAIL))
		return 0;
	rec = dmarc_discovery_get_record(ev->kept);
	/* a PSD's ruf is never used (RFC 9991 2, RFC 9091) */
	if (dmarc_record_get_uri_count(rec, DMARC_TAG_RUF) == 0 ||
	    dmarc_discovery_get_source(ev->kept) == DMARC_SOURCE_PSD ||
	    dmarc_record_get_psd(rec) == DMARC_PSD_YES)
		return 0;
	fo = dmarc_record_get_fo(rec);
	if ((fo & DMARC_FO_ALL_FAIL) && ev->best.result == DMARC_RESULT_FAIL)
		out |= DMARC_FO_ALL_FAIL;
	if ((fo & DMARC_FO_ANY_FAIL) && (ev->best.spf_alignment ==
	    DMARC_UNALIGNED || ev->best.dkim_alignment == DMARC_UNALIGNED))
		out |= DMARC_FO_ANY_FAIL;
	for (i = 0; i < ev->n_dkim; i++)
		if ((fo & DMARC_FO_DKIM) && ev->dkim[i].result == DMARC_VERDICT_FAIL)
			out |= DMARC_FO_DKIM;
	if ((fo & DMARC_FO_SPF) && ev->spf_set &&
	    ev->spf_result == DMARC_VERDICT_FAIL)
		out |= DMARC_FO_SPF;
	return out;
}

DMARC_EXPORT dmarc_status dmarc_eval_override(dmarc_eval *ev,
    dmarc_disposition applied, dmarc_reason reason, const char *comment)
{
	const char *copy;
	dmarc_status st;
	size_t i, n;

	if (ev == NULL || applied < DMARC_DISPOSITION_NONE ||
	    applied > DMARC_DISPOSITION_PASS || reason < DMARC_REASON_FORWARDED ||
	    reason > DMARC_REASON_POLICY_TEST_MODE)
		return DMARC_EINVAL;
	if (ev->ctx->mode == DMARC_MODE_RFC9989 ?
	    (reason == DMARC_REASON_FORWARDED ||
	    reason == DMARC_REASON_SAMPLED_OUT) :
	    reason == DMARC_REASON_POLICY_TEST_MODE)
		return DMARC_EINVAL; /* not a reason type of this mode */
	if (ev->phase != EV_DONE || ev->status != DMARC_OK)
		return DMARC_ESTATE;
	n = comment != NULL ? strlen(comment) : 0;
	if (n >= EVAL_COMMENT_SIZE)
		return DMARC_ERANGE;
	for (i = 0; i < n; i++) /* it ends up in reports: printable only */
		if ((unsigned char)comment[i] < 0x20 ||
		    (unsigned char)comment[i] > 0x7e)
			return DMARC_EINVAL;
	if (ev->n_reasons >= EVAL_MAX_REASONS)
		return DMARC_ERANGE;
	if ((st = keep_comment(ev, comment, n, &copy)) != DMARC_OK)
		return st;
	ev->overridden = true;
	ev->applied = applied;
	add_reason(ev, reason, copy);
	return DMARC_OK;
}
