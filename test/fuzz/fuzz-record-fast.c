/*
 * Fuzz target: the record parser's fast path against the general parser.
 * Each input is parsed both ways under every mode, with the options and
 * limits (small or the largest) chosen by its first byte; the two
 * records must be the same in every getter, URI and diagnostic.  Aborts
 * on the first difference.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "record_int.h"
#include "../record-compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD };
	const char *text;
	dmarc_ctx *ctx;
	unsigned int first = 0;
	size_t m;

	if (size > 0) {
		first = data[0];
		data++;
		size--;
	}
	text = (const char *)data;
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	dmarc_ctx_set_parse_options(ctx, first & 7u);
	/* the limits the fast path checks on its own */
	if (first & 8u)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST, 2);
	if (first & 16u)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 24);
	if (first & 32u)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH, 64);
	/* and the largest, for long records whatever the default */
	if (first & 64u)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH, 65535);
	if (first & 128u)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 2048);
	for (m = 0; m < 3; m++) {
		dmarc_record *fast = NULL, *general = NULL;
		dmarc_ctx_set_mode(ctx, modes[m]);
		if (dmarc_record_parse(&fast, ctx, text, size) == DMARC_OK &&
		    dmarc__record_parse_general(&general, ctx, text, size) ==
		    DMARC_OK) {
			if (records_differ(fast, general) != NULL)
				abort();
		}
		dmarc_record_free(fast);
		dmarc_record_free(general);
	}
	dmarc_ctx_free(ctx);
	return 0;
}
