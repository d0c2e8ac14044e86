/*
 * libdmarc - running an evaluation: the From checks, the discovery of the
 * Author Domain's policy, the Organizational Domain lookups alignment
 * needs, and, with DMARC_EVAL_MULTI_FROM, one pass per From domain.
 * Driven step by step or synchronously, like dmarc_discovery.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"
#include "eval_int.h"

static void finish(dmarc_eval *ev, dmarc_status status)
{
	ev->status = status;
	ev->phase = EV_DONE;
	if (status == DMARC_OK)
		dmarc__policy_reasons(ev);
}

static void start_domain(dmarc_eval *ev)
{
	unsigned int i = ev->domain_index;
	dmarc_status st;

	memset(&ev->out, 0, sizeof ev->out);
	ev->out.aligned_dkim = -1;
	/* No question is asked twice.  An identifier's walk (ev->org)
	 * takes the Author Domain's answers from that walk and keeps what
	 * else it asks for the identifiers after it; a policy lookup keeps
	 * its answers only when another From domain's may meet them, and
	 * the first never asks a name twice */
	ev->disc->keep_answers = ev->from.n_domains > 1;
	ev->disc->seek_answers = i > 0;
	st = dmarc__discovery_start_normalized(ev->disc, ev->from.domains[i],
	    ev->from.domain_len[i], false);
	if (st != DMARC_OK)
		finish(ev, st);
	else
		ev->phase = EV_DISCOVERY;
}

/* Severity order for choosing among several From domains: the
 * strictest failure first. */
static int rank(const struct eval_outcome *o)
{
	switch (o->result) {
	case DMARC_RESULT_FAIL: return 10 + (int)o->requested;
	case DMARC_RESULT_TEMPERROR: return 5;
	case DMARC_RESULT_PERMERROR: return 4;
	case DMARC_RESULT_PASS: return 3;
	case DMARC_RESULT_NONE: return 2;
	case DMARC_RESULT_PENDING: break;
	}
	return 0;
}

static void finish_domain(dmarc_eval *ev)
{
	unsigned int n = ev->from.n_domains;

	if (ev->domain_index == 0 || rank(&ev->out) > rank(&ev->best)) {
		ev->kept = ev->disc; /* keep the chosen lookup */
		ev->best = ev->out;
		ev->best_domain = ev->domain_index;
	}
	if (++ev->domain_index >= n) {
		finish(ev, DMARC_OK);
		return;
	}
	if (ev->kept == ev->disc) { /* the next domain in the other object */
		dmarc_discovery *d;
		if (dmarc__eval_discovery(ev, &ev->spare) != DMARC_OK) {
			finish(ev, DMARC_ENOMEM);
			return;
		}
		d = ev->spare;
		ev->spare = ev->disc;
		ev->disc = d;
	}
	/* the last domain's identifiers' answers, for this one's lookups */
	if (ev->org != NULL && dmarc__discovery_keep_unkept(ev->org) !=
	    DMARC_OK) {
		finish(ev, DMARC_ENOMEM);
		return;
	}
	start_domain(ev);
}

static void continue_alignment(dmarc_eval *ev)
{
	if (dmarc__align_next(ev)) {
		ev->phase = EV_ORG;
		return;
	}
	if (ev->align_status != DMARC_OK) {
		finish(ev, ev->align_status);
		return;
	}
	dmarc__policy_decide(ev);
	finish_domain(ev);
}

static void discovery_done(dmarc_eval *ev)
{
	if (ev->disc->nomem) { /* not a DNS failure: say so */
		finish(ev, DMARC_ENOMEM);
		return;
	}
	switch (ev->disc->result) {
	case DMARC_DISCOVERY_FOUND:
		dmarc__align_begin(ev);
		continue_alignment(ev);
		return;
	case DMARC_DISCOVERY_TEMPERROR:
		ev->out.result = DMARC_RESULT_TEMPERROR;
		break;
	case DMARC_DISCOVERY_PERMERROR:
		ev->out.result = DMARC_RESULT_PERMERROR;
		break;
	default:
		ev->out.result = DMARC_RESULT_NONE;
		break;
	}
	ev->out.disposition = DMARC_DISPOSITION_NONE;
	finish_domain(ev);
}

/* The From checks of RFC 9989 (Author Domain extraction): one From
 * field, parsed, and one domain unless several are allowed. */
static void begin(dmarc_eval *ev)
{
	bool multi = (ev->ctx->eval_options & DMARC_EVAL_MULTI_FROM) != 0;

	if (ev->n_from_fields != 1 || ev->from_status != DMARC_OK) {
		if (ev->n_from_fields == 0)
			dmarc__eval_diag(ev, DMARC_DIAG_FROM_MISSING,
			    DMARC_SEVERITY_ERROR, 0, 0);
		finish(ev, DMARC_EFROM);
		return;
	}
	if (ev->from.n_domains == 0) { /* no Author Domain: none */
		dmarc__eval_diag(ev, DMARC_DIAG_FROM_NO_DOMAIN,
		    DMARC_SEVERITY_WARNING, 0, 0);
		ev->best.result = DMARC_RESULT_NONE;
		ev->best.disposition = DMARC_DISPOSITION_NONE;
		finish(ev, DMARC_OK);
		return;
	}
	if ((ev->from.n_domains > 1 || ev->from.more_domains) && (!multi ||
	    ev->from.more_domains || ev->from.n_domains >
	    ev->ctx->max_from_domains)) {
		/* one domain, or all of them: skipping some would let the
		 * target hide past the cap */
		dmarc__eval_diag(ev, DMARC_DIAG_FROM_DOMAINS,
		    DMARC_SEVERITY_ERROR, 0, 0);
		finish(ev, DMARC_EFROM);
		return;
	}
	/* one budget for every lookup of the message (the discovery
	 * objects point to it): a sender chooses how many identifiers it
	 * shows */
	ev->queries_left = ev->ctx->max_eval_queries;
	/* and one set of answers: none asked twice (see start_domain) */
	dmarc__memo_clear(&ev->memo);
	dmarc__discovery_drop_unkept(ev->org);
	ev->domain_index = 0;
	start_domain(ev);
}

/* The lookup of the current phase finished: go on with the
 * evaluation. */
static void lookup_done(dmarc_eval *ev)
{
	if (ev->phase == EV_DISCOVERY) {
		discovery_done(ev);
	} else if (ev->org->nomem) {
		finish(ev, DMARC_ENOMEM);
	} else {
		dmarc__align_org_done(ev);
		continue_alignment(ev);
	}
}

/* The lookup of the current phase. */
static dmarc_discovery *current(const dmarc_eval *ev)
{
	return ev->phase == EV_DISCOVERY ? ev->disc : ev->org;
}

/* dmarc_eval_step; *asking is the lookup whose question it is. */
static dmarc_step eval_step(dmarc_eval *ev, const char **qname,
    dmarc_rrtype *qtype, dmarc_discovery **asking)
{
	if (ev->phase == EV_IDLE)
		begin(ev);
	for (;;) {
		dmarc_discovery *d;
		if (ev->phase == EV_DONE)
			return DMARC_STEP_DONE;
		d = current(ev);
		if (dmarc__discovery_step(d, qname, qtype) == DMARC_STEP_QUERY) {
			*asking = d;
			return DMARC_STEP_QUERY;
		}
		lookup_done(ev);
	}
}

DMARC_EXPORT dmarc_step dmarc_eval_step(dmarc_eval *ev, const char **qname,
    dmarc_rrtype *qtype)
{
	dmarc_discovery *asking;

	if (ev == NULL)
		return DMARC_STEP_DONE;
	return eval_step(ev, qname, qtype, &asking);
}

DMARC_EXPORT dmarc_dns_answer *dmarc_eval_get_answer(dmarc_eval *ev)
{
	if (ev == NULL)
		return NULL;
	if (ev->phase == EV_DISCOVERY)
		return dmarc_discovery_get_answer(ev->disc);
	if (ev->phase == EV_ORG)
		return dmarc_discovery_get_answer(ev->org);
	return NULL;
}

DMARC_EXPORT dmarc_status dmarc_eval_run(dmarc_eval *ev)
{
	uint64_t deadline = 0; /* one for all the run's lookups */

	if (ev == NULL)
		return DMARC_EINVAL;
	if (ev->ctx->lookup_fn == NULL)
		return DMARC_ENOLOOKUP;
	if (ev->phase == EV_IDLE)
		begin(ev);
	/* each lookup asks its questions itself (dmarc__discovery_run_sync) */
	while (ev->phase != EV_DONE) {
		dmarc__discovery_run_sync(current(ev), &deadline);
		lookup_done(ev);
	}
	return ev->status;
}

DMARC_EXPORT dmarc_status dmarc_eval_get_status(const dmarc_eval *ev)
{
	if (ev == NULL)
		return DMARC_EINVAL;
	return ev->phase == EV_DONE ? ev->status : DMARC_ESTATE;
}
