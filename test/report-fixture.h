/*
 * The fixture the report wing's Check suites share: a context on the
 * failing allocator (failing-alloc.h) and a memory sink, checked at the
 * end for leaks and for calls with 0 bytes.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_REPORT_FIXTURE_H
#define DMARC_TEST_REPORT_FIXTURE_H

#include <check.h>

#include "failing-alloc.h"
#include "mem-sink.h"
#include "report/sink.h"

static dmarc_ctx *ctx;
static struct mem_sink out;

static void report_setup(void)
{
	fail_at = -1;
	n_allocs = live = 0;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
	mem_sink_init(&out);
}

static void report_teardown(void)
{
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
	ck_assert_uint_eq(out.empty_calls, 0);
	mem_sink_dispose(&out);
}

/* The memory sink as a library sink. */
static inline struct dmarc__sink to_out(void)
{
	return dmarc__sink_make(mem_sink_write, &out);
}

#define OK(call) ck_assert_int_eq((call), DMARC_OK)
/* For loops: Check in fork mode reports every passing ck_assert to its
 * parent, a system call each. */
#define REQUIRE(cond) do { \
	if (!(cond)) \
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

#endif /* DMARC_TEST_REPORT_FIXTURE_H */
