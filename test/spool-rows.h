/*
 * Report rows made by hand for the spool suites and the benchmark: a
 * plain row, and parts to add to it.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_SPOOL_ROWS_H
#define DMARC_TEST_SPOOL_ROWS_H

#include <stdio.h>
#include <string.h>

#include "report/row.h"

/* example.com, p=reject under RFC 9989, one message from 192.0.2.1
 * passing by SPF and DKIM. */
static inline void spool_row_base(struct report_row *r)
{
	static const unsigned char ip[4] = { 192, 0, 2, 1 };

	memset(r, 0, sizeof *r);
	r->count = 1;
	r->arrival = 1718000000u;
	strcpy(r->policy_domain, "example.com");
	r->policy.mode = DMARC_MODE_RFC9989;
	r->policy.method = DMARC_METHOD_TREEWALK;
	r->policy.p = r->policy.sp = r->policy.np = DMARC_POLICY_REJECT;
	r->policy.adkim = r->policy.aspf = DMARC_ALIGN_RELAXED;
	r->policy.fo = DMARC_FO_ALL_FAIL;
	r->policy.pct = 100;
	r->policy.psd = DMARC_PSD_UNKNOWN;
	r->policy.ri = 86400;
	r->ip.family = 4;
	memcpy(r->ip.addr, ip, sizeof ip);
	strcpy(r->header_from, "example.com");
	r->has_envelope_from = true;
	strcpy(r->envelope_from, "example.com");
	r->disposition = DMARC_DISPOSITION_PASS;
	r->dkim_aligned = r->spf_aligned = true;
	r->has_spf = true;
	r->spf.result = DMARC_VERDICT_PASS;
	r->spf.scope = DMARC_SPF_MAILFROM;
	strcpy(r->spf.domain, "example.com");
	r->n_dkim = 1;
	r->dkim[0].result = DMARC_VERDICT_PASS;
	strcpy(r->dkim[0].domain, "example.com");
	strcpy(r->dkim[0].selector, "s1");
}

/* The line spool_row_base() makes (TABs between fields). */
#define SPOOL_BASE_LINE \
	"dmarc-spool/1\ttime=1718000000\tcount=1\tdomain=example.com" \
	"\tmode=rfc9989\tdiscovery_method=treewalk\tp=reject\tsp=reject" \
	"\tnp=reject\tadkim=r\taspf=r\tfo=0\tpct=100\tt=n\tpsd=u\tri=86400" \
	"\tsource_ip=192.0.2.1\theader_from=example.com" \
	"\tenvelope_from=example.com\tdisposition=pass\tdkim_aligned=pass" \
	"\tspf_aligned=pass\tspf=example.com,mfrom,pass" \
	"\tdkim=example.com,s1,pass\n"

static inline void spool_row_add_dkim(struct report_row *r,
    dmarc_verdict result, const char *domain, const char *selector,
    const char *human)
{
	struct report_dkim *d = &r->dkim[r->n_dkim++];

	d->result = (uint8_t)result;
	snprintf(d->domain, sizeof d->domain, "%s", domain);
	snprintf(d->selector, sizeof d->selector, "%s", selector);
	snprintf(d->human, sizeof d->human, "%s", human);
}

static inline void spool_row_add_reason(struct report_row *r,
    dmarc_reason type, const char *comment)
{
	struct report_reason *x = &r->reasons[r->n_reasons++];

	x->type = (uint8_t)type;
	x->has_comment = comment != NULL;
	snprintf(x->comment, sizeof x->comment, "%s",
	    comment != NULL ? comment : "");
}

#endif /* DMARC_TEST_SPOOL_ROWS_H */
