/*
 * libdmarc - verification of external report destinations (RFC 9990 4,
 * RFC 9991 5, RFC 7489 7.1): a URI whose host lies outside the policy
 * domain's Organizational Domain needs a v=DMARC1 record at
 * <policy-domain>._report._dmarc.<host>.  That record's own rua (ruf)
 * URIs replace the URI if they all name the same host; if one names
 * another host, reports go to neither.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"
#include "psl_int.h"

#define REPORT_INFIX "._report._dmarc."

static size_t n_uris(const dmarc_discovery *d)
{
	return dmarc_record_get_uri_count(d->record, DMARC_TAG_RUA) +
	    dmarc_record_get_uri_count(d->record, DMARC_TAG_RUF);
}

static const dmarc_uri *uri_at(const dmarc_discovery *d, size_t i)
{
	size_t n_rua = dmarc_record_get_uri_count(d->record, DMARC_TAG_RUA);

	return i < n_rua ? dmarc_record_get_uri(d->record, DMARC_TAG_RUA, i)
	    : dmarc_record_get_uri(d->record, DMARC_TAG_RUF, i - n_rua);
}

/* The list URI i belongs to. */
static dmarc_tag uri_tag(const dmarc_discovery *d, size_t i)
{
	return i < dmarc_record_get_uri_count(d->record, DMARC_TAG_RUA) ?
	    DMARC_TAG_RUA : DMARC_TAG_RUF;
}

/* The normalized domain part of a mailto address into host (a
 * DMARC_DOMAIN_SIZE buffer): the destination host, digest 6.9 step 1. */
static dmarc_status host_of(const char *addr, char *host)
{
	const char *at = strrchr(addr, '@');

	if (at == NULL)
		return DMARC_ENAME_EMPTY;
	return dmarc_domain_normalize(at + 1, strlen(at + 1), host,
	    DMARC_DOMAIN_SIZE, NULL);
}

/* The Organizational Domain of the domain the record came from. */
static const char *policy_org(const dmarc_discovery *d)
{
	if (d->source == DMARC_SOURCE_PSD || !d->has_org)
		return d->policy_domain;
	return d->org_domain;
}

static void settle(dmarc_discovery *d, dmarc_authorization auth)
{
	d->verify->auth[d->verify_index++] = (uint8_t)auth;
	d->phase = PH_VERIFY_QUERY;
	d->verify_asked = false;
}

/* The destination's Organizational Domain is known: same organization,
 * or ask for the authorization record. */
static void compare_orgs(dmarc_discovery *d, const char *dest_org)
{
	char prefix[DMARC_DOMAIN_SIZE + sizeof REPORT_INFIX];
	const char *dest = d->verify->dest;
	size_t p = strlen(d->policy_domain);

	if (dest_org != NULL && strcmp(dest_org, policy_org(d)) == 0) {
		settle(d, DMARC_AUTH_INTERNAL);
		return;
	}
	if (p + strlen(REPORT_INFIX) + strlen(dest) > DNS_MAX_NAME) {
		settle(d, DMARC_AUTH_REFUSED); /* cannot be asked in DNS */
		return;
	}
	memcpy(prefix, d->policy_domain, p);
	memcpy(prefix + p, REPORT_INFIX, sizeof REPORT_INFIX);
	d->phase = PH_VERIFY_QUERY;
	d->verify_asked = dmarc__discovery_ask(d, prefix, dest, DMARC_RR_TXT);
}

/* Begin on URI verify_index: find its host and that host's org domain. */
static void begin_uri(dmarc_discovery *d)
{
	const dmarc_uri *u = uri_at(d, d->verify_index);
	const char *addr = dmarc_uri_get_address(u), *org;
	struct verify_state *v = d->verify;
	dmarc_status st;

	if (addr == NULL) { /* not mailto: nothing to send there anyway */
		settle(d, DMARC_AUTH_UNCHECKED);
		return;
	}
	if ((st = host_of(addr, v->dest)) != DMARC_OK) {
		d->nomem |= st == DMARC_ENOMEM;
		settle(d, st == DMARC_ENOMEM ? DMARC_AUTH_TEMPFAIL :
		    DMARC_AUTH_REFUSED);
		return;
	}
	if (d->org_unknown) { /* internal or not cannot be told */
		settle(d, DMARC_AUTH_TEMPFAIL);
		return;
	}
	if (d->ctx->mode == DMARC_MODE_RFC9989) {
		/* each destination's walk may use every record slot but the
		 * policy record's */
		dmarc__records_begin(&d->records);
		dmarc__records_keep(&d->records, d->record);
		dmarc__walk_clear(&v->dest_walk);
		dmarc__walk_init(&v->dest_walk, v->dest, strlen(v->dest));
		d->phase = PH_VERIFY_WALK;
		return;
	}
	if (dmarc__psl_org_memo(d->ctx, d->psl_memo, v->dest, strlen(v->dest),
	    &org) != DMARC_OK)
		org = NULL;
	compare_orgs(d, org);
}

void dmarc__verify_advance(dmarc_discovery *d)
{
	struct walk *w = &d->verify->dest_walk;

	while (!d->pending) {
		const char *name;
		bool unqueried;
		if (d->phase == PH_VERIFY_WALK) {
			name = dmarc__walk_next(w);
			if (name != NULL) {
				dmarc__discovery_ask(d, "_dmarc.", name, DMARC_RR_TXT);
				continue;
			}
			compare_orgs(d, dmarc__walk_name(w,
			    dmarc__walk_org_level(w, &unqueried)));
			continue;
		}
		if (d->verify_index >= n_uris(d)) {
			d->phase = PH_DONE; /* the discovery result stands */
			return;
		}
		begin_uri(d);
	}
}

/* The v=DMARC1 record at <policy>._report._dmarc.<host> authorizes the
 * URI; its own rua (ruf) list, if any, replaces it (RFC 9990 4 step 7,
 * RFC 7489 7.1 step 6).  Every mailto URI there must name the host, or
 * the URI gets no destination (MUST NOT); other schemes are ignored
 * (RFC 9989 4.7).  Of several v=DMARC1 records the answer keeps the
 * first (dns_int.h), so that one decides. */
static dmarc_authorization authorize(dmarc_discovery *d,
    const dmarc_dns_answer *a)
{
	dmarc_tag tag = uri_tag(d, d->verify_index);
	const dmarc_record *rec;
	size_t i, n, mail = 0;

	rec = dmarc__records_get(&d->verify->auth_records, d->ctx, a->text,
	    a->text_len);
	if (rec == NULL) { /* dmarc_discovery_get_status() */
		d->nomem = true;
		return DMARC_AUTH_TEMPFAIL;
	}
	n = dmarc_record_get_uri_count(rec, tag);
	for (i = 0; i < n; i++) {
		const char *addr = dmarc_uri_get_address(
		    dmarc_record_get_uri(rec, tag, i));
		char host[DMARC_DOMAIN_SIZE];
		dmarc_status st;
		if (addr == NULL)
			continue;
		if ((st = host_of(addr, host)) == DMARC_ENOMEM) {
			d->nomem = true;
			return DMARC_AUTH_TEMPFAIL;
		}
		if (st != DMARC_OK || strcmp(host, d->verify->dest) != 0)
			return DMARC_AUTH_OVERRIDE_REFUSED;
		mail++;
	}
	if (mail > 0)
		d->verify->override[d->verify_index] = rec;
	return DMARC_AUTH_AUTHORIZED;
}

void dmarc__verify_answer(dmarc_discovery *d)
{
	const dmarc_dns_answer *a = &d->answer;
	bool nomem = a->nomem;

	if (!nomem && dmarc__dns_failed(a)) {
		dmarc__discovery_diag(d, dmarc__failure_code(d),
		    DMARC_SEVERITY_WARNING, d->qname);
		settle(d, DMARC_AUTH_TEMPFAIL);
		return;
	}
	if (!nomem && d->phase == PH_VERIFY_WALK)
		dmarc__walk_answer(&d->verify->dest_walk, &d->records, d->ctx,
		    a, &nomem);
	if (nomem) { /* not a DNS answer: dmarc_discovery_get_status() */
		d->nomem = true;
		settle(d, DMARC_AUTH_TEMPFAIL);
		return;
	}
	if (d->phase == PH_VERIFY_WALK)
		return;
	settle(d, a->outcome == DMARC_DNS_RECORDS && a->n_dmarc > 0 ?
	    authorize(d, a) : DMARC_AUTH_REFUSED);
}

size_t dmarc__verify_destination(const dmarc_discovery *d, dmarc_tag tag,
    size_t index, size_t n, const dmarc_uri **out)
{
	const dmarc_record *over;
	size_t i, k, found = 0;
	uint8_t auth;

	*out = NULL;
	if (d == NULL || d->record == NULL || !d->verified ||
	    (tag != DMARC_TAG_RUA && tag != DMARC_TAG_RUF) ||
	    index >= dmarc_record_get_uri_count(d->record, tag))
		return 0;
	k = (tag == DMARC_TAG_RUF ?
	    dmarc_record_get_uri_count(d->record, DMARC_TAG_RUA) : 0) + index;
	auth = d->verify->auth[k];
	if (auth != DMARC_AUTH_INTERNAL && auth != DMARC_AUTH_AUTHORIZED)
		return 0;
	if ((over = d->verify->override[k]) == NULL) {
		if (n == 0)
			*out = dmarc_record_get_uri(d->record, tag, index);
		return 1;
	}
	for (i = 0; i < dmarc_record_get_uri_count(over, tag); i++) {
		const dmarc_uri *u = dmarc_record_get_uri(over, tag, i);
		if (!(dmarc_uri_get_flags(u) & DMARC_URI_MAILTO))
			continue;
		if (found++ == n)
			*out = u;
	}
	return found;
}
