/*
 * Fuzz target for the record parser.  Each input is parsed under every
 * mode with the options and limits chosen by its first byte (bits 0-2
 * options, 3-5 the record length limit up to 65535, 6-7 URI limits);
 * every getter is read, and a usable record must survive format -> parse
 * -> format unchanged.
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
		const char *tag = dmarc_diag_get_tag(d);
		if (tag != NULL && *tag == '\0') /* absent is NULL */
			abort();
		sink += strlen(dmarc_diag_get_text(d)) +
		    (tag != NULL ? strlen(tag) : 0) + strlen(dmarc_diag_get_name(d));
	}
	(void)sink;
}

static void check_round_trip(const dmarc_ctx *ctx, const dmarc_record *rec)
{
	static char first[140000], second[140000];
	dmarc_record *again;
	size_t n1, n2;

	if (dmarc_record_format(rec, first, sizeof first, &n1) != DMARC_OK ||
	    n1 > dmarc_ctx_get_limit(ctx, DMARC_LIMIT_RECORD_LENGTH))
		return; /* the canonical form may be longer than the input */
	if (dmarc_record_parse(&again, ctx, first, n1) != DMARC_OK)
		return; /* out of memory only */
	if (dmarc_record_get_state(again) != DMARC_RECORD_VALID ||
	    dmarc_record_format(again, second, sizeof second, &n2) != DMARC_OK ||
	    n1 != n2 || memcmp(first, second, n1) != 0)
		abort();
	dmarc_record_free(again);
}

/* Limits from the first byte; 0 in a field keeps the default, so the
 * bytes 0-7 give the defaults as before. */
static void set_limits(dmarc_ctx *ctx, unsigned int first)
{
	static const size_t lengths[] = { 0, 16, 100, 2048, 4096, 16384,
		32768, 65535 };
	unsigned int uris = first >> 6;

	if (lengths[(first >> 3) & 7u] != 0)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
		    lengths[(first >> 3) & 7u]);
	if (uris == 1)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST, 1);
	else if (uris == 2)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 16);
	else if (uris == 3) {
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST, 32);
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 2048);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD };
	dmarc_ctx *ctx;
	unsigned int first = 0;
	size_t m;

	if (size > 0) {
		first = data[0];
		data++;
		size--;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	dmarc_ctx_set_parse_options(ctx, first & 7u);
	set_limits(ctx, first);
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
