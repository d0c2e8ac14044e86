/*
 * Fuzz target for policy discovery driven by fuzzed DNS answers.  Input:
 * a mode byte (mode m % 3, parse options and limits (m / 3) % 16), an
 * Author Domain up to the first newline, then for each
 * question one outcome byte and, for TXT answers, a record count byte and
 * newline-terminated records.  The machine must finish, ask at most 8
 * _dmarc questions for the walk, and never crash; a verification pass
 * after a found record must finish as well.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


/* Answer one question from the input; an exhausted input says NXDOMAIN. */
static void answer(struct input *in, dmarc_rrtype qtype, dmarc_dns_answer *a)
{
	int b = take(in), count, i;

	if (b < 0) {
		dmarc_dns_answer_set(a, DMARC_DNS_NXDOMAIN, 60);
		return;
	}
	if (qtype != DMARC_RR_TXT || b % 6 != 0) {
		dmarc_dns_answer_set(a, (dmarc_dns_outcome)(1 + b % 5),
		    (uint32_t)b);
		return;
	}
	count = take(in);
	count = count < 0 ? 0 : count % 4;
	for (i = 0; i < count; i++) {
		const char *line;
		size_t len = take_line(in, &line);
		dmarc_dns_answer_add_txt(a, line, len);
	}
	if (count == 0) /* every question gets an answer */
		dmarc_dns_answer_set(a, DMARC_DNS_NODATA, 30);
}

/* Step to the end; returns the _dmarc questions asked before anything
 * else was. */
static unsigned int drive(dmarc_discovery *d, struct input *in)
{
	const char *qname;
	dmarc_rrtype qtype;
	unsigned int steps = 0, walk = 0;
	int other = 0;

	while (dmarc_discovery_step(d, &qname, &qtype) == DMARC_STEP_QUERY) {
		if (++steps > 200)
			abort(); /* it must terminate */
		if (strncmp(qname, "_dmarc.", 7) == 0 && !other)
			walk++;
		else
			other = 1;
		answer(in, qtype, dmarc_discovery_get_answer(d));
	}
	return walk;
}

/* The options and limits of configuration cfg (0: the defaults). */
static void configure(dmarc_ctx *ctx, int cfg)
{
	if (cfg & 1)
		dmarc_ctx_set_parse_options(ctx, DMARC_PARSE_DUPLICATE_FIRST_WINS |
		    DMARC_PARSE_SKIP_LEADING_SPACE);
	if (cfg & 2)
		dmarc_ctx_set_parse_options(ctx, dmarc_ctx_get_parse_options(ctx) |
		    DMARC_PARSE_STRICT);
	if (cfg & 4) {
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH, 64);
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST, 1);
	}
	if (cfg & 8)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH, 65535);
}

/* One context per mode and configuration, made once: loading the PSL
 * for every input would make the fuzzer crawl. */
static dmarc_ctx *context(int m)
{
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD };
	static dmarc_ctx *ctxs[48];

	if (ctxs[m] == NULL && dmarc_ctx_new(&ctxs[m]) == DMARC_OK) {
		dmarc_ctx_set_mode(ctxs[m], modes[m % 3]);
		dmarc_ctx_add_psd(ctxs[m], "example");
		configure(ctxs[m], m / 3);
	}
	return ctxs[m];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	dmarc_discovery *d = NULL;
	dmarc_ctx *ctx;
	const char *author;
	size_t len;
	int m = take(&in);

	if (m < 0 || (ctx = context(m % 48)) == NULL)
		return 0;
	len = take_line(&in, &author);
	if (dmarc_discovery_new(&d, ctx) == DMARC_OK &&
	    dmarc_discovery_start(d, author, len) == DMARC_OK) {
		if (drive(d, &in) > 8)
			abort();
		if (dmarc_discovery_start_verify(d) == DMARC_OK)
			drive(d, &in);
	}
	dmarc_discovery_free(d);
	return 0;
}
