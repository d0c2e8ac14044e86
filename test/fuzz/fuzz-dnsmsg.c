/*
 * Fuzz target for the DNS response parser (dmarc_dns_answer_parse): the
 * first byte picks the question type, the rest is the message.  Any
 * message must leave a known outcome, a malformed or truncated one a
 * temporary failure, and never a read outside the message.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An answer sink comes from a discovery waiting for its first answer. */
static dmarc_dns_answer *sink(void)
{
	static dmarc_ctx *ctx;
	static dmarc_discovery *d;
	const char *qname;
	dmarc_rrtype qtype;

	if (ctx == NULL && (dmarc_ctx_new(&ctx) != DMARC_OK ||
	    dmarc_discovery_new(&d, ctx) != DMARC_OK))
		return NULL;
	if (dmarc_discovery_start(d, "example.com", 11) != DMARC_OK ||
	    dmarc_discovery_step(d, &qname, &qtype) != DMARC_STEP_QUERY)
		return NULL;
	return dmarc_discovery_get_answer(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const dmarc_rrtype types[] = { DMARC_RR_TXT, DMARC_RR_A,
		DMARC_RR_AAAA, DMARC_RR_MX };
	dmarc_dns_answer *a;
	dmarc_status st;

	if (size == 0 || (a = sink()) == NULL)
		return 0;
	st = dmarc_dns_answer_parse(a, types[data[0] % 4], data + 1, size - 1);
	if (st != DMARC_OK && st != DMARC_EMESSAGE && st != DMARC_ETRUNCATED)
		abort();
	/* whatever came, the discovery goes on: the answer must be usable */
	if (dmarc_dns_answer_set(a, DMARC_DNS_NODATA, 1) != DMARC_OK)
		abort();
	return 0;
}
