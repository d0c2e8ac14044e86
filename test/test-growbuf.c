/*
 * The capped growing buffer (lib/growbuf.c): growth through the
 * context's allocator, the cap refused whole (never cut), allocation
 * failure leaving the buffer unchanged, reuse after clear, no leak.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "failing-alloc.h"
#include "growbuf.h"

static dmarc_ctx *ctx;

static void setup(void)
{
	fail_at = -1;
	n_allocs = live = 0;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
}

static void teardown(void)
{
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}

START_TEST(test_append)
{
	struct growbuf b;
	size_t i;

	dmarc__growbuf_init(&b, ctx, 100000);
	ck_assert_str_eq(growbuf_data(&b), "");
	ck_assert_int_eq(dmarc__growbuf_append(&b, "abc", 3), DMARC_OK);
	ck_assert_int_eq(dmarc__growbuf_append(&b, NULL, 0), DMARC_OK);
	ck_assert_int_eq(dmarc__growbuf_append_byte(&b, 'd'), DMARC_OK);
	ck_assert_int_eq(dmarc__growbuf_terminate(&b), DMARC_OK);
	ck_assert_str_eq(growbuf_data(&b), "abcd");
	ck_assert_uint_eq(growbuf_len(&b), 4);
	/* many small appends: few allocations (doubling) */
	n_allocs = 0;
	for (i = 0; i < 50000; i++)
		ck_assert_int_eq(dmarc__growbuf_append_byte(&b, 'x'), DMARC_OK);
	ck_assert_uint_eq(growbuf_len(&b), 50004);
	ck_assert_int_le(n_allocs, 12);
	dmarc__growbuf_dispose(&b);
	ck_assert_uint_eq(growbuf_len(&b), 0);
	ck_assert_str_eq(growbuf_data(&b), "");
}
END_TEST

START_TEST(test_cap)
{
	struct growbuf b;

	dmarc__growbuf_init(&b, ctx, 10);
	ck_assert_int_eq(dmarc__growbuf_append(&b, "0123456", 7), DMARC_OK);
	/* what would pass the cap is refused whole, the buffer unchanged */
	ck_assert_int_eq(dmarc__growbuf_append(&b, "abcd", 4), DMARC_EBUFFER);
	ck_assert_uint_eq(growbuf_len(&b), 7);
	ck_assert_int_eq(dmarc__growbuf_append(&b, "abc", 3), DMARC_OK);
	ck_assert_int_eq(dmarc__growbuf_append_byte(&b, 'x'), DMARC_EBUFFER);
	/* the NUL takes a byte of the cap */
	ck_assert_int_eq(dmarc__growbuf_terminate(&b), DMARC_EBUFFER);
	ck_assert_uint_eq(growbuf_len(&b), 10);
	ck_assert(memcmp(growbuf_data(&b), "0123456abc", 10) == 0);
	ck_assert_int_eq(dmarc__growbuf_reserve(&b, (size_t)-1),
	    DMARC_EBUFFER);
	dmarc__growbuf_dispose(&b);
	/* a cap of 0 holds nothing and allocates nothing */
	n_allocs = 0;
	dmarc__growbuf_init(&b, ctx, 0);
	ck_assert_int_eq(dmarc__growbuf_append_byte(&b, 'x'), DMARC_EBUFFER);
	ck_assert_int_eq(n_allocs, 0);
}
END_TEST

START_TEST(test_alloc_failure)
{
	struct growbuf b;
	char big[300];

	memset(big, 'y', sizeof big);
	dmarc__growbuf_init(&b, ctx, 1000);
	fail_at = n_allocs;
	ck_assert_int_eq(dmarc__growbuf_append(&b, "a", 1), DMARC_ENOMEM);
	ck_assert_uint_eq(growbuf_len(&b), 0);
	ck_assert_int_eq(dmarc__growbuf_append(&b, "a", 1), DMARC_OK);
	/* a failed growth keeps what was held */
	fail_at = n_allocs;
	ck_assert_int_eq(dmarc__growbuf_append(&b, big, sizeof big),
	    DMARC_ENOMEM);
	ck_assert_uint_eq(growbuf_len(&b), 1);
	ck_assert_int_eq(*growbuf_data(&b), 'a');
	ck_assert_int_eq(dmarc__growbuf_append(&b, big, sizeof big), DMARC_OK);
	ck_assert_uint_eq(growbuf_len(&b), 301);
	dmarc__growbuf_dispose(&b);
}
END_TEST

START_TEST(test_clear_reuses)
{
	struct growbuf b;
	int round;

	dmarc__growbuf_init(&b, ctx, 4096);
	ck_assert_int_eq(dmarc__growbuf_reserve(&b, 1000), DMARC_OK);
	n_allocs = 0;
	for (round = 0; round < 10; round++) {
		dmarc__growbuf_clear(&b);
		ck_assert_uint_eq(growbuf_len(&b), 0);
		ck_assert_int_eq(dmarc__growbuf_append(&b, "0123456789", 10),
		    DMARC_OK);
	}
	ck_assert_int_eq(n_allocs, 0);
	dmarc__growbuf_dispose(&b);
}
END_TEST

static Suite *growbuf_suite(void)
{
	Suite *s = suite_create("growbuf");
	TCase *tc = tcase_create("growbuf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_cap);
	tcase_add_test(tc, test_alloc_failure);
	tcase_add_test(tc, test_clear_reuses);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(growbuf_suite());
}
