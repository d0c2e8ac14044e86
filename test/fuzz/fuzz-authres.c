/*
 * Fuzz target for the Authentication-Results parser.  The first byte
 * picks the header length limit (256 << b % 9), the rest is one field
 * value; every getter is read, and the invariants of the states
 * are checked: a malformed or wrongly versioned field keeps no result,
 * keywords are non-empty lower case, the caps hold, and diagnostics
 * point inside the input.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Properties DMARC consumers ask for, and some they never should find. */
static const char *const props[][2] = {
	{ "smtp", "mailfrom" }, { "smtp", "helo" }, { "header", "d" },
	{ "header", "i" }, { "header", "s" }, { "header", "b" },
	{ "header", "from" }, { "policy", "dmarc" }, { "HEADER", "D" },
	{ "smtp", "remote-ip" }, { "", "" }, { "header.d", "" },
};

static void check_keyword(const char *k)
{
	if (k == NULL || *k == '\0')
		abort();
	for (; *k != '\0'; k++)
		if (*k >= 'A' && *k <= 'Z')
			abort();
}

static size_t touch_result(const dmarc_authres *ar, size_t i)
{
	const char *reason = dmarc_authres_get_reason(ar, i);
	size_t sink = 0, k;

	check_keyword(dmarc_authres_get_method(ar, i));
	check_keyword(dmarc_authres_get_result(ar, i));
	if (reason != NULL)
		sink += strlen(reason);
	for (k = 0; k < sizeof props / sizeof props[0]; k++) {
		const char *v = dmarc_authres_get_property(ar, i, props[k][0],
		    props[k][1]);
		if (v != NULL)
			sink += strlen(v);
	}
	return sink;
}

static void touch_diags(const dmarc_authres *ar, size_t size)
{
	volatile size_t sink = 0;
	size_t i, n = dmarc_authres_get_diag_count(ar);

	if (n > 33 || dmarc_authres_get_diag(ar, n) != NULL)
		abort();
	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_authres_get_diag(ar, i);
		if (dmarc_diag_get_offset(d) > size ||
		    dmarc_diag_get_length(d) > size - dmarc_diag_get_offset(d))
			abort();
		if (dmarc_diag_get_tag(d) != NULL) /* absent is NULL */
			abort();
		sink += strlen(dmarc_diag_get_text(d)) +
		    strlen(dmarc_diag_get_name(d));
	}
	(void)sink;
}

static void touch(const dmarc_authres *ar, size_t size)
{
	volatile size_t sink = 0;
	dmarc_authres_state state = dmarc_authres_get_state(ar);
	size_t i, n = dmarc_authres_get_result_count(ar);

	if (n > 64 || (state != DMARC_AUTHRES_VALID && n != 0))
		abort();
	if ((state == DMARC_AUTHRES_SYNTAX) !=
	    (dmarc_authres_get_authserv_id(ar) == NULL))
		abort();
	if (state != DMARC_AUTHRES_SYNTAX)
		sink += strlen(dmarc_authres_get_authserv_id(ar));
	for (i = 0; i < n; i++)
		sink += touch_result(ar, i);
	if (dmarc_authres_get_method(ar, n) != NULL ||
	    dmarc_authres_get_property(ar, n, "smtp", "mailfrom") != NULL)
		abort();
	touch_diags(ar, size);
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dmarc_ctx *ctx;
	dmarc_authres *ar;

	if (size == 0 || dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	/* every limit from the smallest to the largest (b % 9 == 8) */
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_HEADER_LENGTH, 256u << data[0] % 9);
	data++;
	size--;
	if (dmarc_authres_parse(&ar, ctx, (const char *)data, size) ==
	    DMARC_OK) {
		touch(ar, size);
		dmarc_authres_free(ar);
	}
	dmarc_ctx_free(ctx);
	return 0;
}
