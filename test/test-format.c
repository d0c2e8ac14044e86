/*
 * Tests of the canonical formatter: expected output, and parse -> format
 * -> parse giving the same record.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

static dmarc_record *parse_mode(dmarc_mode mode, const char *text)
{
	dmarc_ctx *ctx;
	dmarc_record *rec;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_record_parse(&rec, ctx, text, strlen(text)),
	    DMARC_OK);
	dmarc_ctx_free(ctx);
	return rec;
}

/* Every getter agrees between two records. */
static void assert_same_record(const dmarc_record *a, const dmarc_record *b)
{
	static const dmarc_tag lists[] = { DMARC_TAG_RUA, DMARC_TAG_RUF };
	size_t i, k;
	int t;

	ck_assert_int_eq(dmarc_record_get_state(a), dmarc_record_get_state(b));
	for (t = DMARC_TAG_P; t <= DMARC_TAG_NP; t++)
		ck_assert_int_eq(dmarc_record_get_policy(a, (dmarc_tag)t),
		    dmarc_record_get_policy(b, (dmarc_tag)t));
	ck_assert_int_eq(dmarc_record_get_alignment(a, DMARC_TAG_ADKIM),
	    dmarc_record_get_alignment(b, DMARC_TAG_ADKIM));
	ck_assert_int_eq(dmarc_record_get_alignment(a, DMARC_TAG_ASPF),
	    dmarc_record_get_alignment(b, DMARC_TAG_ASPF));
	ck_assert_uint_eq(dmarc_record_get_pct(a), dmarc_record_get_pct(b));
	ck_assert_uint_eq(dmarc_record_get_ri(a), dmarc_record_get_ri(b));
	ck_assert_uint_eq(dmarc_record_get_fo(a), dmarc_record_get_fo(b));
	ck_assert_uint_eq(dmarc_record_get_rf(a), dmarc_record_get_rf(b));
	ck_assert_int_eq(dmarc_record_get_psd(a), dmarc_record_get_psd(b));
	ck_assert_int_eq(dmarc_record_get_testing(a), dmarc_record_get_testing(b));
	for (k = 0; k < 2; k++) {
		size_t n = dmarc_record_get_uri_count(a, lists[k]);
		ck_assert_uint_eq(n, dmarc_record_get_uri_count(b, lists[k]));
		for (i = 0; i < n; i++) {
			const dmarc_uri *ua = dmarc_record_get_uri(a, lists[k], i);
			const dmarc_uri *ub = dmarc_record_get_uri(b, lists[k], i);
			ck_assert_str_eq(dmarc_uri_get_text(ua), dmarc_uri_get_text(ub));
			ck_assert_uint_eq(dmarc_uri_get_size_limit(ua),
			    dmarc_uri_get_size_limit(ub));
		}
	}
}

static const struct {
	dmarc_mode mode;
	const char *in;
	const char *out;
} cases[] = {
	{ DMARC_MODE_RFC9989, "v=DMARC1; p=reject", "v=DMARC1; p=reject" },
	{ DMARC_MODE_RFC9989, "v = DMARC1 ;  P = Quarantine ; ",
	  "v=DMARC1; p=quarantine" },
	{ DMARC_MODE_RFC9989, "v=DMARC1", "v=DMARC1" },
	{ DMARC_MODE_RFC9989,
	  "v=DMARC1; t=y; psd=N; ruf=mailto:f@example.com; fo=s:d:1; "
	  "rua=mailto:a@example.com!10m , https://r.example/x; aspf=s; "
	  "adkim=s; np=reject; sp=none; p=quarantine; pct=5",
	  "v=DMARC1; p=quarantine; sp=none; np=reject; adkim=s; aspf=s; "
	  "fo=1:d:s; rua=mailto:a@example.com,https://r.example/x; "
	  "ruf=mailto:f@example.com; psd=n; t=y" },
	{ DMARC_MODE_RFC7489,
	  "v=DMARC1; p=none; pct=25; ri=3600; rf=afrf; fo=0:1; np=reject; "
	  "rua=mailto:a@example.com!10m,mailto:b@example.com!500,"
	  "mailto:c@example.com!2048,mailto:d@example.com!1G",
	  "v=DMARC1; p=none; pct=25; fo=0:1; rf=afrf; ri=3600; "
	  "rua=mailto:a@example.com!10m,mailto:b@example.com!500,"
	  "mailto:c@example.com!2k,mailto:d@example.com!1g" },
	{ DMARC_MODE_RFC7489_PSD, "v=DMARC1; p=none; np=reject; psd=y",
	  "v=DMARC1; p=none; np=reject" },
	{ DMARC_MODE_RFC7489,
	  "v=DMARC1; p=reject; rua=mailto:x@example.com!99999999999999999999t",
	  "v=DMARC1; p=reject; rua=mailto:x@example.com!18446744073709551615" },
	/* acts as p=none: the broken policy tags are gone */
	{ DMARC_MODE_RFC9989,
	  "v=DMARC1; p=reject; sp=bogus; adkim=s; rua=mailto:d@example.com",
	  "v=DMARC1; p=none; adkim=s; rua=mailto:d@example.com" },
};

START_TEST(test_canonical_and_round_trip)
{
	char buf[1024], again[1024];
	size_t len, len2;
	dmarc_record *rec = parse_mode(cases[_i].mode, cases[_i].in);
	dmarc_record *rec2;

	ck_assert_int_eq(dmarc_record_format(rec, buf, sizeof buf, &len),
	    DMARC_OK);
	ck_assert_str_eq(buf, cases[_i].out);
	ck_assert_uint_eq(len, strlen(cases[_i].out));
	rec2 = parse_mode(cases[_i].mode, buf);
	ck_assert_int_eq(dmarc_record_get_state(rec2), DMARC_RECORD_VALID);
	if (dmarc_record_get_state(rec) == DMARC_RECORD_VALID)
		assert_same_record(rec, rec2);
	ck_assert_int_eq(dmarc_record_format(rec2, again, sizeof again, &len2),
	    DMARC_OK);
	ck_assert_str_eq(again, buf);
	dmarc_record_free(rec);
	dmarc_record_free(rec2);
}
END_TEST

START_TEST(test_buffer_too_small)
{
	dmarc_record *rec = parse_mode(DMARC_MODE_RFC9989, "v=DMARC1; p=reject");
	char buf[32];
	size_t len = 0;

	/* size query */
	ck_assert_int_eq(dmarc_record_format(rec, NULL, 0, &len), DMARC_EBUFFER);
	ck_assert_uint_eq(len, 18);
	/* exactly one byte short: no truncated output */
	memset(buf, 'x', sizeof buf);
	ck_assert_int_eq(dmarc_record_format(rec, buf, 18, &len), DMARC_EBUFFER);
	ck_assert_str_eq(buf, "");
	/* size 0 writes nothing, size 1 only the NUL */
	memset(buf, 'x', sizeof buf);
	ck_assert_int_eq(dmarc_record_format(rec, buf, 0, &len), DMARC_EBUFFER);
	ck_assert_int_eq(buf[0], 'x');
	ck_assert_int_eq(dmarc_record_format(rec, buf, 1, &len), DMARC_EBUFFER);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(buf[1], 'x');
	ck_assert_int_eq(dmarc_record_format(rec, buf, 19, NULL), DMARC_OK);
	ck_assert_str_eq(buf, "v=DMARC1; p=reject");
	ck_assert_int_eq(dmarc_record_format(NULL, buf, sizeof buf, NULL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_record_format(rec, NULL, 5, NULL), DMARC_EINVAL);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_unusable_record)
{
	static const char *const bad[] = { "v=DMARC1; p=rejekt",
		"v=spf1 -all", "v=DMARC1; p=none; p=reject" };
	char buf[64];
	size_t i;

	for (i = 0; i < 3; i++) {
		dmarc_record *rec = parse_mode(DMARC_MODE_RFC9989, bad[i]);
		ck_assert_int_eq(dmarc_record_format(rec, buf, sizeof buf, NULL),
		    DMARC_ERECORD);
		dmarc_record_free(rec);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");

	tcase_add_loop_test(tc, test_canonical_and_round_trip, 0,
	    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_buffer_too_small);
	tcase_add_test(tc, test_unusable_record);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
