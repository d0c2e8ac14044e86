/*
 * Tests of the TXT record selector (digest 1.7 and vector D01).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

static dmarc_select run(dmarc_mode mode, const char *const *txts, size_t n,
    dmarc_record **out)
{
	size_t lens[8], i;
	dmarc_ctx *ctx;
	dmarc_select sel = (dmarc_select)0;

	for (i = 0; i < n; i++)
		lens[i] = strlen(txts[i]);
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_record_select(out, &sel, ctx, txts, lens, n),
	    DMARC_OK);
	dmarc_ctx_free(ctx);
	return sel;
}

/* D01: SPF beside DMARC; the SPF record is discarded. */
START_TEST(test_d01_spf_discarded)
{
	static const char *const txts[] = { "v=spf1 -all", "v=DMARC1; p=reject" };
	dmarc_mode modes[] = { DMARC_MODE_RFC9989, DMARC_MODE_RFC7489 };
	dmarc_record *rec;
	int m;

	for (m = 0; m < 2; m++) {
		ck_assert_int_eq(run(modes[m], txts, 2, &rec), DMARC_SELECT_ONE);
		ck_assert_ptr_nonnull(rec);
		ck_assert_int_eq(dmarc_record_get_policy(rec, DMARC_TAG_P),
		    DMARC_POLICY_REJECT);
		dmarc_record_free(rec);
	}
}
END_TEST

START_TEST(test_none)
{
	static const char *const txts[] = { "v=spf1 -all", "v=dmarc1; p=reject",
		"v=DMARC2; p=reject", " v=DMARC1; p=reject", "p=reject; v=DMARC1" };
	dmarc_record *rec = (dmarc_record *)&rec;

	ck_assert_int_eq(run(DMARC_MODE_RFC9989, txts, 5, &rec),
	    DMARC_SELECT_NONE);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(run(DMARC_MODE_RFC9989, txts, 0, &rec),
	    DMARC_SELECT_NONE);
	ck_assert_ptr_null(rec);
}
END_TEST

/* Several DMARC records: RFC 9989 discards them all (the walk goes on),
 * RFC 7489 does not apply DMARC. */
START_TEST(test_multiple)
{
	static const char *const txts[] = { "v=DMARC1; p=reject",
		"v=spf1 -all", "v=DMARC1; p=none" };
	dmarc_record *rec = (dmarc_record *)&rec;

	ck_assert_int_eq(run(DMARC_MODE_RFC9989, txts, 3, &rec),
	    DMARC_SELECT_DISCARDED);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(run(DMARC_MODE_RFC7489, txts, 3, &rec),
	    DMARC_SELECT_MULTIPLE);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(run(DMARC_MODE_RFC7489_PSD, txts, 3, &rec),
	    DMARC_SELECT_MULTIPLE);
}
END_TEST

/* A broken DMARC record still counts as the one record (choice A2). */
START_TEST(test_broken_record_counts)
{
	static const char *const txts[] = { "v=DMARC1; p=rejekt", "hello" };
	dmarc_record *rec;

	ck_assert_int_eq(run(DMARC_MODE_RFC9989, txts, 2, &rec),
	    DMARC_SELECT_ONE);
	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_INVALID);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_invalid_arguments)
{
	static const char *const txts[] = { "v=DMARC1; p=reject", NULL };
	static const size_t lens[] = { 18, 5 };
	dmarc_ctx *ctx;
	dmarc_record *rec;
	dmarc_select sel;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_record_select(NULL, &sel, ctx, txts, lens, 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_record_select(&rec, NULL, ctx, txts, lens, 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_record_select(&rec, &sel, NULL, txts, lens, 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_record_select(&rec, &sel, ctx, NULL, lens, 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_record_select(&rec, &sel, ctx, txts, lens, 2),
	    DMARC_EINVAL);
	ck_assert_ptr_null(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("select");
	TCase *tc = tcase_create("select");

	tcase_add_test(tc, test_d01_spf_discarded);
	tcase_add_test(tc, test_none);
	tcase_add_test(tc, test_multiple);
	tcase_add_test(tc, test_broken_record_counts);
	tcase_add_test(tc, test_invalid_arguments);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
