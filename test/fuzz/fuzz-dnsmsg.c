/*
 * Fuzz target for the DNS response parser (dmarc_dns_answer_parse).
 * The first byte picks the question type (b % 4) and, with bit 2 set,
 * says that an Author Domain line follows (else "example.com"); the rest
 * is the response to the discovery's first question, "_dmarc.<domain>"
 * TXT.  Any message must leave a known outcome, a malformed or truncated
 * one a temporary failure, and never a read outside the message; the
 * discovery then goes on with the answer, so parsed records reach the
 * record parser.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dmarc_discovery *discovery(void)
{
	static dmarc_ctx *ctx;
	static dmarc_discovery *d;

	if (ctx == NULL && (dmarc_ctx_new(&ctx) != DMARC_OK ||
	    dmarc_discovery_new(&d, ctx) != DMARC_OK))
		return NULL;
	return d;
}

/* The rest of the lookup: every later question has no answer. */
static void finish(dmarc_discovery *d)
{
	const char *qname;
	dmarc_rrtype qtype;
	unsigned int steps = 0;

	while (dmarc_discovery_step(d, &qname, &qtype) == DMARC_STEP_QUERY) {
		if (++steps > 200)
			abort(); /* it must terminate */
		dmarc_dns_answer_set(dmarc_discovery_get_answer(d),
		    DMARC_DNS_NXDOMAIN, 60);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const dmarc_rrtype types[] = { DMARC_RR_TXT, DMARC_RR_A,
		DMARC_RR_AAAA, DMARC_RR_MX };
	struct input in = { data, size };
	const char *author = "example.com", *qname;
	size_t alen = 11;
	dmarc_discovery *d;
	dmarc_dns_answer *a;
	dmarc_rrtype qtype;
	dmarc_status st;
	int first = take(&in);

	if (first < 0 || (d = discovery()) == NULL)
		return 0;
	if (first & 4)
		alen = take_line(&in, &author);
	if (dmarc_discovery_start(d, author, alen) != DMARC_OK ||
	    dmarc_discovery_step(d, &qname, &qtype) != DMARC_STEP_QUERY)
		return 0;
	a = dmarc_discovery_get_answer(d);
	st = dmarc_dns_answer_parse(a, types[first % 4], in.p, in.n);
	if (st != DMARC_OK && st != DMARC_EMESSAGE && st != DMARC_ETRUNCATED)
		abort();
	/* whatever came, the discovery goes on: the answer must be usable */
	if (st != DMARC_OK && dmarc_dns_answer_set(a, DMARC_DNS_TEMPFAIL, 1) !=
	    DMARC_OK)
		abort();
	finish(d);
	return 0;
}
