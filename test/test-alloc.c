/*
 * Allocation-failure test: every allocation the library makes is failed
 * in turn; each call must report DMARC_ENOMEM, leave its out-parameter
 * NULL, and leak nothing.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

#include "failing-alloc.h"

static const char *const records[] = {
	"v=DMARC1; p=none",
	"v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=r; "
	    "pct=50; fo=1:d:s; rf=afrf; ri=3600; "
	    "rua=mailto:agg@example.com,mailto:agg@thirdparty.example.net; "
	    "ruf=mailto:fail@example.com",
	"v=DMARC1; p=bogus; rua=https://x.example/, mailto:r@example.com!10m",
	"not a record",
};

/* Run the whole flow, failing allocation number k; returns the number of
 * allocations the flow made when none failed. */
static long run_flow(long k)
{
	static const char *const txts[] = { "v=spf1 -all", "v=DMARC1; p=none" };
	static const size_t lens[] = { 11, 16 };
	dmarc_ctx *ctx = (dmarc_ctx *)&ctx;
	dmarc_record *rec;
	dmarc_select sel;
	dmarc_status st;
	size_t i;

	fail_at = k;
	n_allocs = 0;
	st = dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free);
	if (st != DMARC_OK) {
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(ctx);
		return n_allocs;
	}
	dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489);
	for (i = 0; i < sizeof records / sizeof records[0]; i++) {
		rec = (dmarc_record *)&rec;
		st = dmarc_record_parse(&rec, ctx, records[i], strlen(records[i]));
		if (st == DMARC_ENOMEM) {
			ck_assert_ptr_null(rec);
			continue;
		}
		ck_assert_int_eq(st, DMARC_OK);
		dmarc_record_free(rec);
	}
	st = dmarc_record_select(&rec, &sel, ctx, txts, lens, 2);
	if (st == DMARC_ENOMEM) {
		ck_assert_ptr_null(rec);
		ck_assert_int_eq(sel, DMARC_SELECT_NONE);
	} else {
		ck_assert_int_eq(st, DMARC_OK);
		ck_assert_int_eq(sel, DMARC_SELECT_ONE);
		dmarc_record_free(rec);
	}
	dmarc_ctx_free(ctx);
	return n_allocs;
}

START_TEST(test_each_allocation_fails)
{
	long total, k;

	live = 0;
	total = run_flow(-1);
	ck_assert_int_eq(live, 0);
	ck_assert_int_ge(total, 6);
	for (k = 0; k < total; k++) {
		run_flow(k);
		ck_assert_msg(live == 0, "allocation %ld failed: %ld blocks leaked",
		    k, live);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = tcase_create("failures");

	tcase_add_test(tc, test_each_allocation_fails);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
