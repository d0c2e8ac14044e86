/*
 * libdmarc - what every phase of a discovery (policy, Organizational
 * Domain, report destinations) shares: asking a question, telling a
 * failed answer, and keeping diagnostics about DNS names.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"

void dmarc__discovery_diag(dmarc_discovery *d, dmarc_diag_code code,
    dmarc_severity severity, const char *name)
{
	bool first = d->n_diags < DIAG_FIRST;
	struct discovery_diag **block = first ? &d->diags : &d->more_diags;
	struct discovery_diag *g;
	size_t n;

	if (d->n_diags >= DISCOVERY_MAX_DIAGS)
		return; /* bounded; the last entry says so */
	if (d->n_diags == DISCOVERY_MAX_DIAGS - 1) {
		code = DMARC_DIAG_TOO_MANY_DIAGS;
		severity = DMARC_SEVERITY_WARNING;
		name = "";
	}
	n = first ? DIAG_FIRST : DISCOVERY_MAX_DIAGS - DIAG_FIRST;
	if (*block == NULL && (*block = dmarc__alloc(d->ctx,
	    n * sizeof **block)) == NULL) {
		d->nomem = true; /* a diagnostic lost: the lookup says why */
		return;
	}
	n = strlen(name); /* of the name kept: "" for the last entry */
	g = dmarc__discovery_diag_at(d, d->n_diags++);
	if (n >= sizeof g->name)
		n = sizeof g->name - 1;
	memcpy(g->name, name, n);
	g->name[n] = '\0';
	memset(&g->diag, 0, sizeof g->diag);
	g->diag.code = (uint8_t)code;
	g->diag.severity = (uint8_t)severity;
	g->diag.tag = "";
	g->diag.domain = g->name;
}

/* No name over 253 octets can exist (RFC 1035 2.3.4): such a question
 * is answered NXDOMAIN without asking. */
void dmarc__discovery_ask_long(dmarc_discovery *d)
{
	(void)dmarc_dns_answer_set(&d->answer, DMARC_DNS_NXDOMAIN, 0);
}

void dmarc__discovery_refuse(dmarc_discovery *d, dmarc_diag_code code)
{
	(void)dmarc_dns_answer_set(&d->answer, DMARC_DNS_TEMPFAIL, 0);
	d->unasked = code;
}

dmarc_diag_code dmarc__failure_code(const dmarc_discovery *d)
{
	if (d->unasked != 0)
		return d->unasked;
	return d->answer.outcome == DMARC_DNS_TEMPFAIL ?
	    DMARC_DIAG_DNS_TEMPFAIL : DMARC_DIAG_DNS_PERMFAIL;
}
