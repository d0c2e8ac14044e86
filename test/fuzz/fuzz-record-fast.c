/*
 * Fuzz target: the record parser's fast path against the general parser.
 * Each input is parsed both ways under every mode, with the options
 * chosen by its first byte; the two records must be the same in every
 * getter, URI and diagnostic.  Aborts on the first difference.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(int equal)
{
	if (!equal)
		abort();
}

static int same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void compare_values(const dmarc_record *a, const dmarc_record *b)
{
	int t;

	same(dmarc_record_get_state(a) == dmarc_record_get_state(b));
	same(dmarc_record_get_mode(a) == dmarc_record_get_mode(b));
	for (t = DMARC_TAG_V; t <= DMARC_TAG_T; t++)
		same(dmarc_record_has_tag(a, (dmarc_tag)t) ==
		    dmarc_record_has_tag(b, (dmarc_tag)t));
	for (t = DMARC_TAG_P; t <= DMARC_TAG_NP; t++)
		same(dmarc_record_get_policy(a, (dmarc_tag)t) ==
		    dmarc_record_get_policy(b, (dmarc_tag)t));
	same(dmarc_record_get_alignment(a, DMARC_TAG_ADKIM) ==
	    dmarc_record_get_alignment(b, DMARC_TAG_ADKIM));
	same(dmarc_record_get_alignment(a, DMARC_TAG_ASPF) ==
	    dmarc_record_get_alignment(b, DMARC_TAG_ASPF));
	same(dmarc_record_get_pct(a) == dmarc_record_get_pct(b));
	same(dmarc_record_get_ri(a) == dmarc_record_get_ri(b));
	same(dmarc_record_get_fo(a) == dmarc_record_get_fo(b));
	same(dmarc_record_get_rf(a) == dmarc_record_get_rf(b));
	same(dmarc_record_get_psd(a) == dmarc_record_get_psd(b));
	same(dmarc_record_get_testing(a) == dmarc_record_get_testing(b));
}

static void compare_uris(const dmarc_record *a, const dmarc_record *b,
    dmarc_tag list)
{
	size_t i, n = dmarc_record_get_uri_count(a, list);

	same(n == dmarc_record_get_uri_count(b, list));
	for (i = 0; i < n; i++) {
		const dmarc_uri *x = dmarc_record_get_uri(a, list, i);
		const dmarc_uri *y = dmarc_record_get_uri(b, list, i);
		same(same_str(dmarc_uri_get_text(x), dmarc_uri_get_text(y)));
		same(same_str(dmarc_uri_get_scheme(x), dmarc_uri_get_scheme(y)));
		same(same_str(dmarc_uri_get_address(x),
		    dmarc_uri_get_address(y)));
		same(dmarc_uri_get_size_limit(x) == dmarc_uri_get_size_limit(y));
		same(dmarc_uri_get_flags(x) == dmarc_uri_get_flags(y));
	}
}

static void compare_diags(const dmarc_record *a, const dmarc_record *b)
{
	size_t i, n = dmarc_record_get_diag_count(a);

	same(n == dmarc_record_get_diag_count(b));
	for (i = 0; i < n; i++) {
		const dmarc_diag *x = dmarc_record_get_diag(a, i);
		const dmarc_diag *y = dmarc_record_get_diag(b, i);
		same(dmarc_diag_get_code(x) == dmarc_diag_get_code(y));
		same(dmarc_diag_get_severity(x) == dmarc_diag_get_severity(y));
		same(dmarc_diag_get_offset(x) == dmarc_diag_get_offset(y));
		same(dmarc_diag_get_length(x) == dmarc_diag_get_length(y));
		same(same_str(dmarc_diag_get_tag(x), dmarc_diag_get_tag(y)));
		same(same_str(dmarc_diag_get_text(x), dmarc_diag_get_text(y)));
		same(same_str(dmarc_diag_get_domain(x),
		    dmarc_diag_get_domain(y)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD };
	const char *text;
	dmarc_ctx *ctx;
	unsigned int options = 0;
	size_t m;

	if (size > 0) {
		options = data[0] & 7u;
		data++;
		size--;
	}
	text = (const char *)data;
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	dmarc_ctx_set_parse_options(ctx, options);
	for (m = 0; m < 3; m++) {
		dmarc_record *fast = NULL, *general = NULL;
		dmarc_ctx_set_mode(ctx, modes[m]);
		if (dmarc_record_parse(&fast, ctx, text, size) == DMARC_OK &&
		    dmarc__record_parse_general(&general, ctx, text, size) ==
		    DMARC_OK) {
			compare_values(fast, general);
			compare_uris(fast, general, DMARC_TAG_RUA);
			compare_uris(fast, general, DMARC_TAG_RUF);
			compare_diags(fast, general);
		}
		dmarc_record_free(fast);
		dmarc_record_free(general);
	}
	dmarc_ctx_free(ctx);
	return 0;
}
