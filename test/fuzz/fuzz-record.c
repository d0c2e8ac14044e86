/*
 * Fuzz target for the record parser.  Each input is parsed under every
 * mode with the options chosen by its first byte; every getter is read,
 * and a usable record must survive format -> parse -> format unchanged.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void touch_getters(const dmarc_record *rec)
{
	static const dmarc_tag lists[] = { DMARC_TAG_RUA, DMARC_TAG_RUF };
	volatile size_t sink = 0;
	size_t i, k;
	int t;

	for (t = DMARC_TAG_V; t <= DMARC_TAG_T; t++)
		sink += (size_t)dmarc_record_has_tag(rec, (dmarc_tag)t);
	sink += dmarc_record_get_policy(rec, DMARC_TAG_NP);
	sink += dmarc_record_get_pct(rec) + dmarc_record_get_fo(rec);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < dmarc_record_get_uri_count(rec, lists[k]); i++) {
			const dmarc_uri *u = dmarc_record_get_uri(rec, lists[k], i);
			sink += strlen(dmarc_uri_get_text(u));
			sink += strlen(dmarc_uri_get_scheme(u));
			if (dmarc_uri_get_address(u) != NULL)
				sink += strlen(dmarc_uri_get_address(u));
		}
	}
	for (i = 0; i < dmarc_record_get_diag_count(rec); i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		sink += strlen(dmarc_diag_get_text(d)) +
		    strlen(dmarc_diag_get_tag(d)) + strlen(dmarc_diag_get_name(d));
	}
	(void)sink;
}

static void check_round_trip(const dmarc_ctx *ctx, const dmarc_record *rec)
{
	static char first[140000], second[140000];
	dmarc_record *again;
	size_t n1, n2;

	if (dmarc_record_format(rec, first, sizeof first, &n1) != DMARC_OK)
		return;
	if (dmarc_record_parse(&again, ctx, first, n1) != DMARC_OK)
		return; /* out of memory only */
	if (dmarc_record_get_state(again) != DMARC_RECORD_VALID ||
	    dmarc_record_format(again, second, sizeof second, &n2) != DMARC_OK ||
	    n1 != n2 || memcmp(first, second, n1) != 0)
		abort();
	dmarc_record_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD };
	dmarc_ctx *ctx;
	unsigned int options = 0;
	size_t m;

	if (size > 0) {
		options = data[0] & 7u;
		data++;
		size--;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	dmarc_ctx_set_parse_options(ctx, options);
	for (m = 0; m < 3; m++) {
		dmarc_record *rec;
		dmarc_ctx_set_mode(ctx, modes[m]);
		if (dmarc_record_parse(&rec, ctx, (const char *)data, size) !=
		    DMARC_OK)
			continue;
		touch_getters(rec);
		check_round_trip(ctx, rec);
		dmarc_record_free(rec);
	}
	dmarc_ctx_free(ctx);
	return 0;
}
