/*
 * libdmarc - what an evaluation decided and recorded, for the caller and
 * for aggregate reports.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "eval_int.h"

static bool done(const dmarc_eval *ev)
{
	return ev != NULL && ev->phase == EV_DONE && ev->status == DMARC_OK;
}

DMARC_EXPORT dmarc_result dmarc_eval_get_result(const dmarc_eval *ev)
{
	return done(ev) ? ev->best.result : DMARC_RESULT_PENDING;
}

DMARC_EXPORT const char *dmarc_eval_get_author_domain(const dmarc_eval *ev)
{
	if (!done(ev) || ev->from.n_domains == 0)
		return NULL;
	return ev->from.domains[ev->best_domain];
}

DMARC_EXPORT const dmarc_discovery *dmarc_eval_get_discovery(
    const dmarc_eval *ev)
{
	/* only once a discovery ran for this message */
	if (!done(ev) || ev->from.n_domains == 0)
		return NULL;
	return ev->kept;
}

DMARC_EXPORT dmarc_alignment_result dmarc_eval_get_spf_alignment(
    const dmarc_eval *ev)
{
	return done(ev) ? (dmarc_alignment_result)ev->best.spf_alignment :
	    DMARC_UNALIGNED;
}

DMARC_EXPORT dmarc_alignment_result dmarc_eval_get_dkim_alignment(
    const dmarc_eval *ev)
{
	return done(ev) ? (dmarc_alignment_result)ev->best.dkim_alignment :
	    DMARC_UNALIGNED;
}

DMARC_EXPORT int dmarc_eval_get_aligned_dkim(const dmarc_eval *ev)
{
	return done(ev) ? ev->best.aligned_dkim : -1;
}

DMARC_EXPORT dmarc_policy dmarc_eval_get_requested_policy(
    const dmarc_eval *ev)
{
	return done(ev) ? ev->best.requested : DMARC_POLICY_UNSPECIFIED;
}

DMARC_EXPORT dmarc_disposition dmarc_eval_get_disposition(
    const dmarc_eval *ev)
{
	return done(ev) ? ev->best.disposition : DMARC_DISPOSITION_NONE;
}

DMARC_EXPORT dmarc_disposition dmarc_eval_get_applied_disposition(
    const dmarc_eval *ev)
{
	if (done(ev) && ev->overridden)
		return ev->applied;
	return dmarc_eval_get_disposition(ev);
}

DMARC_EXPORT size_t dmarc_eval_get_reason_count(const dmarc_eval *ev)
{
	return ev != NULL ? ev->n_reasons : 0;
}

DMARC_EXPORT dmarc_reason dmarc_eval_get_reason(const dmarc_eval *ev,
    size_t index)
{
	if (ev == NULL || index >= ev->n_reasons)
		return DMARC_REASON_NONE;
	return (dmarc_reason)ev->reasons[index].type;
}

DMARC_EXPORT const char *dmarc_eval_get_reason_comment(const dmarc_eval *ev,
    size_t index)
{
	if (ev == NULL || index >= ev->n_reasons ||
	    !ev->reasons[index].has_comment)
		return NULL;
	return ev->reasons[index].comment;
}

DMARC_EXPORT dmarc_verdict dmarc_eval_get_spf_result(const dmarc_eval *ev)
{
	return ev != NULL && ev->spf_set ? (dmarc_verdict)ev->spf_result :
	    DMARC_VERDICT_NONE;
}

DMARC_EXPORT const char *dmarc_eval_get_spf_domain(const dmarc_eval *ev)
{
	return ev != NULL && ev->spf_usable ? ev->spf_domain : NULL;
}

DMARC_EXPORT dmarc_spf_scope dmarc_eval_get_spf_scope(const dmarc_eval *ev)
{
	return ev != NULL ? (dmarc_spf_scope)ev->spf_scope : DMARC_SPF_MAILFROM;
}

DMARC_EXPORT size_t dmarc_eval_get_dkim_count(const dmarc_eval *ev)
{
	return ev != NULL ? ev->n_dkim : 0;
}

DMARC_EXPORT size_t dmarc_eval_get_dkim_dropped(const dmarc_eval *ev)
{
	return ev != NULL ? ev->dkim_dropped : 0;
}

DMARC_EXPORT dmarc_verdict dmarc_eval_get_dkim_result(const dmarc_eval *ev,
    size_t index)
{
	if (ev == NULL || index >= ev->n_dkim)
		return DMARC_VERDICT_NONE;
	return (dmarc_verdict)ev->dkim[index].result;
}

DMARC_EXPORT const char *dmarc_eval_get_dkim_domain(const dmarc_eval *ev,
    size_t index)
{
	if (ev == NULL || index >= ev->n_dkim || !ev->dkim[index].usable)
		return NULL;
	return ev->dkim[index].domain;
}

DMARC_EXPORT const char *dmarc_eval_get_dkim_selector(const dmarc_eval *ev,
    size_t index)
{
	if (ev == NULL || index >= ev->n_dkim || ev->dkim[index].selector[0] ==
	    '\0')
		return NULL;
	return ev->dkim[index].selector;
}
