/*
 * Tests of the library context, status texts, version and features.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

#include "config.h"

START_TEST(test_new_defaults)
{
	dmarc_ctx *ctx = NULL;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(dmarc_ctx_get_mode(ctx), DMARC_MODE_RFC9989);
	ck_assert_uint_eq(dmarc_ctx_get_parse_options(ctx), 0);
	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_RECORD_LENGTH), 65535);
	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_URIS_PER_LIST), 8);
	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_URI_LENGTH), 512);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_new_invalid)
{
	dmarc_ctx *ctx = (dmarc_ctx *)&ctx;

	ck_assert_int_eq(dmarc_ctx_new(NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, malloc, NULL, free),
	    DMARC_EINVAL);
	ck_assert_ptr_null(ctx);
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, NULL, realloc, free),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, malloc, realloc,
	    NULL), DMARC_EINVAL);
	dmarc_ctx_free(NULL);
}
END_TEST

START_TEST(test_mode)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_get_mode(ctx), DMARC_MODE_RFC7489);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489_PSD),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_get_mode(ctx), DMARC_MODE_RFC7489_PSD);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, (dmarc_mode)77), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_ctx_get_mode(ctx), DMARC_MODE_RFC7489_PSD);
	ck_assert_int_eq(dmarc_ctx_set_mode(NULL, DMARC_MODE_RFC7489),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_get_mode(NULL), DMARC_MODE_RFC9989);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_parse_options)
{
	dmarc_ctx *ctx;
	unsigned int all = DMARC_PARSE_STRICT | DMARC_PARSE_DUPLICATE_FIRST_WINS |
	    DMARC_PARSE_SKIP_LEADING_SPACE;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_parse_options(ctx, all), DMARC_OK);
	ck_assert_uint_eq(dmarc_ctx_get_parse_options(ctx), all);
	ck_assert_int_eq(dmarc_ctx_set_parse_options(ctx, 0x100), DMARC_ERANGE);
	ck_assert_uint_eq(dmarc_ctx_get_parse_options(ctx), all);
	ck_assert_int_eq(dmarc_ctx_set_parse_options(NULL, 0), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_ctx_get_parse_options(NULL), 0);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_limits)
{
	static const struct { dmarc_limit limit; size_t lo, hi; } table[] = {
		{ DMARC_LIMIT_RECORD_LENGTH, 16, 65535 },
		{ DMARC_LIMIT_URIS_PER_LIST, 1, 32 },
		{ DMARC_LIMIT_URI_LENGTH, 16, 2048 },
	};
	dmarc_ctx *ctx;
	size_t i;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		dmarc_limit l = table[i].limit;
		size_t before = dmarc_ctx_get_limit(ctx, l);
		ck_assert_int_eq(dmarc_ctx_set_limit(ctx, l, table[i].lo), DMARC_OK);
		ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, l), table[i].lo);
		ck_assert_int_eq(dmarc_ctx_set_limit(ctx, l, table[i].hi), DMARC_OK);
		ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, l), table[i].hi);
		ck_assert_int_eq(dmarc_ctx_set_limit(ctx, l, table[i].lo - 1),
		    DMARC_ERANGE);
		ck_assert_int_eq(dmarc_ctx_set_limit(ctx, l, table[i].hi + 1),
		    DMARC_ERANGE);
		ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, l), table[i].hi);
		ck_assert_int_eq(dmarc_ctx_set_limit(ctx, l, before), DMARC_OK);
	}
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, (dmarc_limit)99, 5),
	    DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, (dmarc_limit)99), 0);
	ck_assert_uint_eq(dmarc_ctx_get_limit(NULL, DMARC_LIMIT_URI_LENGTH), 0);
	ck_assert_int_eq(dmarc_ctx_set_limit(NULL, DMARC_LIMIT_URI_LENGTH, 100),
	    DMARC_EINVAL);
	dmarc_ctx_free(ctx);
}
END_TEST

static size_t allocs, frees;

static void *counting_malloc(size_t n)
{
	allocs++;
	return malloc(n);
}

static void *counting_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

static void counting_free(void *p)
{
	if (p != NULL)
		frees++;
	free(p);
}

START_TEST(test_custom_allocator)
{
	dmarc_ctx *ctx;
	dmarc_record *rec;
	const char *txt = "v=DMARC1; p=reject; rua=mailto:a@example.com";

	allocs = frees = 0;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, counting_malloc,
	    counting_realloc, counting_free), DMARC_OK);
	/* the context and its (not yet loaded) public suffix list state */
	ck_assert_uint_eq(allocs, 2);
	ck_assert_int_eq(dmarc_record_parse(&rec, ctx, txt, strlen(txt)),
	    DMARC_OK);
	/* one allocation per parsed record */
	ck_assert_uint_eq(allocs, 3);
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
	ck_assert_uint_eq(frees, 3);
}
END_TEST

START_TEST(test_strerror)
{
	int s;

	for (s = DMARC_OK; s <= DMARC_EMESSAGE; s++) {
		const char *t = dmarc_strerror((dmarc_status)s);
		ck_assert_ptr_nonnull(t);
		ck_assert_str_ne(t, "unknown status");
	}
	ck_assert_str_eq(dmarc_strerror(DMARC_OK), "success");
	ck_assert_str_eq(dmarc_strerror(DMARC_ENOMEM), "out of memory");
	ck_assert_str_eq(dmarc_strerror((dmarc_status)12345), "unknown status");
	ck_assert_str_eq(dmarc_strerror((dmarc_status)-1), "unknown status");
}
END_TEST

START_TEST(test_version)
{
	char expect[32];
	uint32_t n = dmarc_version_number();

	snprintf(expect, sizeof expect, "%lu.%lu.%lu", (unsigned long)(n >> 16),
	    (unsigned long)((n >> 8) & 255), (unsigned long)(n & 255));
	ck_assert_str_eq(dmarc_version(), expect);
	ck_assert_str_eq(dmarc_version(), PACKAGE_VERSION);
	ck_assert_uint_eq(n, ((uint32_t)DMARC_VERSION_MAJOR << 16) |
	    ((uint32_t)DMARC_VERSION_MINOR << 8) | DMARC_VERSION_PATCH);
}
END_TEST

START_TEST(test_features)
{
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_RECORD_PARSER), 1);
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_RFC7489), 1);
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_RFC9091), 1);
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_PSL), 1);
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_TREEWALK), 1);
#ifdef DMARC_WITH_RESOLVER
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_RESOLVER), 1);
#else
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_RESOLVER), 0);
#endif
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_EVALUATION), 1);
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_AGGREGATE), 1);
	ck_assert_int_eq(dmarc_has_feature(DMARC_FEATURE_FAILURE), 0);
	ck_assert_int_eq(dmarc_has_feature((dmarc_feature)999), 0);
}
END_TEST

#ifndef DMARC_WITH_RESOLVER
/* --without-resolver: every resolver function says DMARC_ENOTSUP, and a
 * lookup through it anyway is temperror, never "no record". */
START_TEST(test_resolver_stubs)
{
	dmarc_resolver *r = (dmarc_resolver *)&r;
	dmarc_discovery *d;
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_new(&r, ctx), DMARC_ENOTSUP);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(dmarc_resolver_new(NULL, ctx), DMARC_ENOTSUP);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(dmarc_resolver_set_server(r, "127.0.0.1"),
	    DMARC_ENOTSUP);
	ck_assert_int_eq(dmarc_resolver_set_timeout(r, 5), DMARC_ENOTSUP);
	ck_assert_int_eq(dmarc_resolver_set_retries(r, 2), DMARC_ENOTSUP);
	dmarc_resolver_free(r);

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, dmarc_resolver_lookup, NULL),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, "example.com", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d),
	    DMARC_DISCOVERY_TEMPERROR);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST
#endif

static Suite *context_suite(void)
{
	Suite *s = suite_create("context");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_new_defaults);
	tcase_add_test(tc, test_new_invalid);
	tcase_add_test(tc, test_mode);
	tcase_add_test(tc, test_parse_options);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_custom_allocator);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_features);
#ifndef DMARC_WITH_RESOLVER
	tcase_add_test(tc, test_resolver_stubs);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(context_suite());
}
