/*
 * Fuzz target for the TXT-record selector (dmarc_record_select).  Input:
 * a byte for the mode (b % 3) and parse options (b / 3 % 8), a byte for
 * the record length limit, then up to 8 newline-ended TXT records (a
 * line of the single byte 0xff stands for a NULL text).  The selection
 * must agree with parsing each record directly: as many DMARC records
 * as the parser sees, and the one selected parsing the same.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fuzz-input.h"
#include "../record-compare.h"

#define MAX_TXT 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dmarc_ctx *context(int m, int l)
{
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD };
	static const size_t lengths[] = { 0, 16, 64, 2048, 65535 };
	dmarc_ctx *ctx;

	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return NULL;
	dmarc_ctx_set_mode(ctx, modes[m % 3]);
	dmarc_ctx_set_parse_options(ctx, (unsigned int)(m / 3 % 8));
	if (lengths[l % 5] != 0) /* 0: the default, whatever it is */
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
		    lengths[l % 5]);
	return ctx;
}

/* The index of the only record the parser calls DMARC, -1 for none, -2
 * for several; aborts on a parse failure other than ENOMEM. */
static int dmarc_index(const dmarc_ctx *ctx, const char *const *texts,
    const size_t *lens, size_t n, dmarc_record **only)
{
	int which = -1;
	size_t i;

	*only = NULL;
	for (i = 0; i < n; i++) {
		dmarc_record *r;
		if (texts[i] == NULL)
			continue;
		if (dmarc_record_parse(&r, ctx, texts[i], lens[i]) != DMARC_OK)
			abort();
		if (dmarc_record_get_state(r) == DMARC_RECORD_NOT_DMARC) {
			dmarc_record_free(r);
			continue;
		}
		if (which == -1) {
			which = (int)i;
			*only = r;
		} else {
			which = -2;
			dmarc_record_free(r);
		}
	}
	if (which == -2) {
		dmarc_record_free(*only);
		*only = NULL;
	}
	return which;
}

static void check(const dmarc_ctx *ctx, const char *const *texts,
    const size_t *lens, size_t n)
{
	dmarc_record *sel, *direct;
	dmarc_select result;
	int which = dmarc_index(ctx, texts, lens, n, &direct);

	if (dmarc_record_select(&sel, &result, ctx, texts, lens, n) !=
	    DMARC_OK)
		abort();
	if (which == -1 && (result != DMARC_SELECT_NONE || sel != NULL))
		abort();
	if (which == -2 && (sel != NULL || result != (dmarc_ctx_get_mode(ctx) ==
	    DMARC_MODE_RFC9989 ? DMARC_SELECT_DISCARDED :
	    DMARC_SELECT_MULTIPLE)))
		abort();
	if (which >= 0 && (result != DMARC_SELECT_ONE || sel == NULL ||
	    records_differ(sel, direct) != NULL))
		abort();
	dmarc_record_free(sel);
	dmarc_record_free(direct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	const char *texts[MAX_TXT];
	size_t lens[MAX_TXT], n = 0;
	int m = take(&in), l = take(&in);
	dmarc_ctx *ctx;

	if (l < 0 || (ctx = context(m, l)) == NULL)
		return 0;
	while (in.n > 0 && n < MAX_TXT) {
		lens[n] = take_line(&in, &texts[n]);
		if (lens[n] == 1 && (unsigned char)texts[n][0] == 0xff) {
			texts[n] = NULL;
			lens[n] = 0;
		}
		n++;
	}
	check(ctx, texts, lens, n);
	dmarc_ctx_free(ctx);
	return 0;
}
