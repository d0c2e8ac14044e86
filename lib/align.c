/*
 * libdmarc - identifier alignment (RFC 9989 4.4, RFC 7489 3.1): the SPF
 * and DKIM domains that passed, against the Author Domain, strict or
 * relaxed; relaxed compares Organizational Domains (the PSL, or a tree
 * walk of the identifier run through ev->org).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"
#include "eval_int.h"

/* An identifier is a candidate when it passed, or failed only for the
 * moment (a temporary error that might have been an aligned pass). */
static bool candidate_verdict(uint8_t v)
{
	return v == DMARC_VERDICT_PASS || v == DMARC_VERDICT_TEMPERROR;
}

/* SPF counts for its MAIL FROM identity, or for HELO when MAIL FROM was
 * the null path (RFC 7208 2.4): a HELO result beside a real MAIL FROM
 * never aligns (CVE-2019-20790). */
static bool spf_counts(const dmarc_eval *ev)
{
	if (!ev->spf_set || !ev->spf_usable ||
	    !candidate_verdict(ev->spf_result))
		return false;
	return ev->spf_scope == DMARC_SPF_MAILFROM ||
	    (ev->env_from_set && ev->env_from[0] == '\0');
}

static const char *author(const dmarc_eval *ev)
{
	return ev->from.domains[ev->domain_index];
}

/* The alignment mode of a tag (adkim or aspf) in the Author Domain's
 * record; relaxed by default. */
static dmarc_alignment mode_of(const dmarc_eval *ev, bool dkim)
{
	const dmarc_record *rec = ev->disc->record;

	if (rec == NULL)
		return DMARC_ALIGN_RELAXED;
	return (dmarc_alignment)(dkim ? rec->v.adkim : rec->v.aspf);
}

/* The current candidate's domain, its length and alignment mode. */
static const char *candidate_domain(const dmarc_eval *ev, dmarc_alignment *mode,
    size_t *len)
{
	if (ev->candidate < 0) {
		*mode = mode_of(ev, false);
		*len = ev->spf_domain_len;
		return ev->spf_domain;
	}
	*mode = mode_of(ev, true);
	*len = ev->dkim[ev->candidate].domain_len;
	return ev->dkim[ev->candidate].domain;
}

/* Whether the identifier of len bytes is the Author Domain. */
static bool is_author(const dmarc_eval *ev, const char *id, size_t len)
{
	return len == ev->from.domain_len[ev->domain_index] &&
	    dmarc__same_bytes(id, author(ev), len);
}

/* Record that the current candidate aligns. */
static void aligned(dmarc_eval *ev, dmarc_alignment_result how)
{
	uint8_t verdict = ev->candidate < 0 ? ev->spf_result :
	    ev->dkim[ev->candidate].result;

	if (verdict != DMARC_VERDICT_PASS) {
		ev->out.temp_possible = true; /* it might have passed */
		return;
	}
	if (ev->candidate < 0) {
		ev->out.spf_alignment = (uint8_t)how;
	} else {
		ev->dkim[ev->candidate].alignment = (uint8_t)how;
		if (ev->out.dkim_alignment == DMARC_UNALIGNED ||
		    how == DMARC_ALIGNED_EXACT) { /* exact beats org */
			ev->out.dkim_alignment = (uint8_t)how;
			ev->out.aligned_dkim = ev->candidate;
		}
	}
}

/* The Author Domain's Organizational Domain; NULL for an RFC 7489
 * public suffix. */
static const char *author_org(const dmarc_eval *ev)
{
	return ev->disc->has_org ? ev->disc->org_domain : NULL;
}

/* RFC 9989: a DNS failure above the Author Domain's record left its
 * Organizational Domain unknown (the record still applies). */
static bool org_unknown(const dmarc_eval *ev)
{
	return ev->disc->org_unknown;
}

/* Two names can share an Organizational Domain only if they share at
 * least their last label. */
static bool same_tld(const char *a, const char *b)
{
	const char *x = strrchr(a, '.'), *y = strrchr(b, '.');

	return strcmp(x != NULL ? x + 1 : a, y != NULL ? y + 1 : b) == 0;
}

/* Whether org (of o bytes) is id (of n bytes) itself or one of its
 * parents: otherwise id's own Organizational Domain (a name on id's
 * path) can never be org, and no lookup is spent on it (an unrelated
 * signer could make it fail). */
static bool on_path(const char *id, size_t n, const char *org, size_t o)
{
	/* the last bytes first: names that differ mostly differ there */
	if (n < o || o == 0 || id[n - 1] != org[o - 1])
		return false;
	return n == o ? dmarc__same_bytes(id, org, n) :
	    id[n - o - 1] == '.' && dmarc__same_bytes(id + n - o, org, o);
}

/* The length of the Author Domain's Organizational Domain. */
static size_t author_org_len(const dmarc_eval *ev)
{
	return ev->disc->org_domain_len;
}

/* Advance ev->candidate to the next identifier worth checking. */
static bool next_candidate(dmarc_eval *ev)
{
	while (++ev->candidate < (int)ev->n_dkim) {
		const struct eval_dkim *k;
		if (ev->candidate < 0) {
			if (spf_counts(ev))
				return true;
			continue;
		}
		if (ev->out.dkim_alignment == DMARC_ALIGNED_EXACT)
			return false; /* nothing better to find */
		k = &ev->dkim[ev->candidate];
		if (k->usable && candidate_verdict(k->result))
			return true;
	}
	return false;
}

void dmarc__align_begin(dmarc_eval *ev)
{
	size_t i;

	ev->candidate = -2;
	ev->org_tempfail = false;
	ev->align_status = DMARC_OK;
	for (i = 0; i < ev->n_dkim; i++)
		ev->dkim[i].alignment = DMARC_UNALIGNED;
}

bool dmarc__align_next(dmarc_eval *ev)
{
	while (next_candidate(ev)) {
		dmarc_alignment mode;
		size_t len;
		const char *id = candidate_domain(ev, &mode, &len);
		const char *org;

		if (is_author(ev, id, len)) {
			aligned(ev, DMARC_ALIGNED_EXACT);
			continue;
		}
		if (mode == DMARC_ALIGN_RELAXED && org_unknown(ev) &&
		    same_tld(id, author(ev))) {
			ev->org_tempfail = true; /* undecidable, not unaligned */
			continue;
		}
		if (mode == DMARC_ALIGN_STRICT || author_org(ev) == NULL ||
		    !on_path(id, len, author_org(ev), author_org_len(ev)) ||
		    (ev->candidate >= 0 &&
		    ev->out.dkim_alignment != DMARC_UNALIGNED))
			continue; /* no lookup can help, or an org match is had */
		if (ev->ctx->mode == DMARC_MODE_RFC9989) {
			/* a tree walk of the identifier, run by the caller */
			ev->align_status = dmarc__eval_discovery(ev, &ev->org);
			/* the last identifier's answers, for this one */
			if (ev->align_status == DMARC_OK)
				ev->align_status =
				    dmarc__discovery_keep_unkept(ev->org);
			if (ev->align_status == DMARC_OK)
				ev->align_status = dmarc__discovery_start_walk(
				    ev->org, id, len);
			if (ev->align_status == DMARC_OK)
				return true;
			if (ev->align_status == DMARC_ENOMEM)
				return false; /* never "unaligned" for want of
				                 memory */
			ev->align_status = DMARC_OK;
			continue;
		}
		ev->align_status = dmarc__psl_org_memo(ev->ctx, &ev->psl_memo,
		    id, len, &org);
		if (ev->align_status != DMARC_OK)
			return false; /* never "unaligned" for want of memory */
		/* org is a suffix of id: equal to the Author Domain's when of
		 * its length, as id is on its path */
		if (org != NULL && len - (size_t)(org - id) == author_org_len(ev))
			aligned(ev, DMARC_ALIGNED_ORG);
	}
	return false;
}

void dmarc__align_org_done(dmarc_eval *ev)
{
	const dmarc_discovery *o = ev->org;

	if (o->result == DMARC_DISCOVERY_TEMPERROR) {
		/* say where on the evaluation's own discovery */
		const char *name = dmarc_discovery_get_failed_name(ev->org);
		size_t n = dmarc_discovery_get_diag_count(ev->org);
		if (name != NULL && n > 0)
			dmarc__discovery_diag(ev->disc, (dmarc_diag_code)
			    dmarc_discovery_get_diag(ev->org, n - 1)->code,
			    DMARC_SEVERITY_WARNING, name);
		ev->org_tempfail = true;
		return;
	}
	/* the lengths first (the Author Domain's is known: a lookup is
	 * started only when it has one) */
	if (o->has_org && o->org_domain_len == author_org_len(ev) &&
	    dmarc__same_bytes(o->org_domain, author_org(ev), o->org_domain_len))
		aligned(ev, DMARC_ALIGNED_ORG);
}
