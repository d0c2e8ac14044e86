/*
 * libdmarc - verification of external report destinations (RFC 9990 4,
 * RFC 9991 5, RFC 7489 7.1): a URI whose host lies outside the policy
 * domain's Organizational Domain needs a v=DMARC1 record at
 * <policy-domain>._report._dmarc.<host>.
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

/* The Organizational Domain of the domain the record came from. */
static const char *policy_org(const dmarc_discovery *d)
{
	if (d->source == DMARC_SOURCE_PSD || !d->has_org)
		return d->policy_domain;
	return d->org_domain;
}

static void settle(dmarc_discovery *d, dmarc_authorization auth)
{
	d->auth[d->verify_index++] = (uint8_t)auth;
	d->phase = PH_VERIFY_QUERY;
	d->verify_asked = false;
}

/* The destination's Organizational Domain is known: same organization,
 * or ask for the authorization record. */
static void compare_orgs(dmarc_discovery *d, const char *dest_org)
{
	char prefix[DMARC_DOMAIN_SIZE + sizeof REPORT_INFIX];
	size_t p = strlen(d->policy_domain);

	if (dest_org != NULL && strcmp(dest_org, policy_org(d)) == 0) {
		settle(d, DMARC_AUTH_INTERNAL);
		return;
	}
	if (p + strlen(REPORT_INFIX) + strlen(d->dest) > DNS_MAX_NAME) {
		settle(d, DMARC_AUTH_REFUSED); /* cannot be asked in DNS */
		return;
	}
	memcpy(prefix, d->policy_domain, p);
	memcpy(prefix + p, REPORT_INFIX, sizeof REPORT_INFIX);
	d->phase = PH_VERIFY_QUERY;
	d->verify_asked = dmarc__discovery_ask(d, prefix, d->dest, DMARC_RR_TXT);
}

/* Begin on URI verify_index: find its host and that host's org domain. */
static void begin_uri(dmarc_discovery *d)
{
	const dmarc_uri *u = uri_at(d, d->verify_index);
	const char *addr = dmarc_uri_get_address(u), *at, *org;

	if (addr == NULL) { /* not mailto: nothing to send there anyway */
		settle(d, DMARC_AUTH_UNCHECKED);
		return;
	}
	at = strrchr(addr, '@');
	if (at == NULL || dmarc_domain_normalize(at + 1, strlen(at + 1),
	    d->dest, sizeof d->dest, NULL) != DMARC_OK) {
		settle(d, DMARC_AUTH_REFUSED);
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
		dmarc__walk_clear(&d->dest_walk);
		dmarc__walk_init(&d->dest_walk, d->dest);
		d->phase = PH_VERIFY_WALK;
		return;
	}
	if (dmarc__psl_org_memo(d->ctx, &d->psl_memo, d->dest, &org) != DMARC_OK)
		org = NULL;
	compare_orgs(d, org);
}

void dmarc__verify_advance(dmarc_discovery *d)
{
	while (!d->pending) {
		const char *name;
		bool unqueried;
		if (d->phase == PH_VERIFY_WALK) {
			name = dmarc__walk_next(&d->dest_walk);
			if (name != NULL) {
				dmarc__discovery_ask(d, "_dmarc.", name, DMARC_RR_TXT);
				continue;
			}
			compare_orgs(d, dmarc__walk_name(&d->dest_walk,
			    dmarc__walk_org_level(&d->dest_walk, &unqueried)));
			continue;
		}
		if (d->verify_index >= n_uris(d)) {
			d->phase = PH_DONE; /* the discovery result stands */
			return;
		}
		begin_uri(d);
	}
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
		dmarc__walk_answer(&d->dest_walk, &d->records, d->ctx, a, &nomem);
	if (nomem) { /* not a DNS answer: dmarc_discovery_get_status() */
		d->nomem = true;
		settle(d, DMARC_AUTH_TEMPFAIL);
		return;
	}
	if (d->phase == PH_VERIFY_WALK)
		return;
	settle(d, a->outcome == DMARC_DNS_RECORDS && a->n_dmarc > 0 ?
	    DMARC_AUTH_AUTHORIZED : DMARC_AUTH_REFUSED);
}
