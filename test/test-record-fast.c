/*
 * The record parser's fast path (lib/record_fast.c): which records it
 * takes and which it leaves to the general parser, and that the public
 * parser (fast path first) and the general parser alone give the same
 * record for each of them, in every mode and under every option.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "record_int.h"
#include "check-main.h"
#include "record-compare.h"

static const dmarc_mode modes[] = { DMARC_MODE_RFC9989, DMARC_MODE_RFC7489,
	DMARC_MODE_RFC7489_PSD };

/* Records written the usual way: the fast path reads them. */
static const char *const taken[] = {
	"v=DMARC1",
	"v=DMARC1;",
	"v=DMARC1; p=none",
	"v=DMARC1; p=none;",
	"v=DMARC1; p=none; ",
	"v=DMARC1;p=reject;sp=quarantine",
	"v=DMARC1;   p=reject",
	"v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com",
	"v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=r; "
	    "pct=50; fo=1:d:s; rf=afrf; ri=3600; "
	    "rua=mailto:agg@example.com,mailto:agg@thirdparty.example.net; "
	    "ruf=mailto:fail@example.com",
	"v=DMARC1; p=none; t=y; psd=n",
	"v=DMARC1; p=none; fo=0; ruf=mailto:f+dmarc@Sub-1.Example.ORG",
	"v=DMARC1; p=none; fo=d",            /* fo without ruf: a warning */
	"v=DMARC1; rua=mailto:a@example.com", /* no p */
	"v=DMARC1; p=none; pct=007; ri=0",
	"v=DMARC1; p=none; rua=mailto:a@x1234567890123456789012345678901234"
	    "5678901234567890123456789012.com",
	"v=DMARC1; p=none; rua=mailto:a@ex-ample.com",
};

/* What the fast path leaves to the general parser, in every mode. */
static const char *const declined[] = {
	" v=DMARC1; p=none",
	"v=DMARC1 ; p=none",
	"V=DMARC1; p=none",
	"v=DMARC1;; p=none",
	"v=DMARC1; p = none",
	"v=DMARC1; p=none ;",
	"v=DMARC1;\tp=none",
	"v=DMARC1; P=none",
	"v=DMARC1; p=None",
	"v=DMARC1; p=nonee",
	"v=DMARC1; p=none; x=y",
	"v=DMARC1; p=none; p=reject",
	"v=DMARC1; p=none; adkim=x",
	"v=DMARC1; p=none; fo=1:",
	"v=DMARC1; p=none; rua=",
	"v=DMARC1; p=none; rua=mailto:a@example.com,",
	"v=DMARC1; p=none; rua=mailto:a@example.com.",
	"v=DMARC1; p=none; rua=mailto:@example.com",
	"v=DMARC1; p=none; rua=mailto:a@",
	"v=DMARC1; p=none; rua=mailto:a%40b@example.com",
	"v=DMARC1; p=none; rua=mailto:a@example.com!10m",
	"v=DMARC1; p=none; rua=mailto:a@example.com?subject=x",
	"v=DMARC1; p=none; rua=MAILTO:a@example.com",
	"v=DMARC1; p=none; rua=https://example.com/r",
	"v=DMARC1; p=none; rua=mailto:a@b@example.com",
	"v=DMARC1; p=none; rua=mailto://agg@example.com",
	"v=DMARC1; p=none; rua=mailto:a/b@example.com",
	"v=DMARC1; p=none; rua=mailto:agg@example..com",
	"v=DMARC1; p=none; rua=mailto:a@.example.com",
	"v=DMARC1; p=none; rua=mailto:a@-example.com",
	"v=DMARC1; p=none; rua=mailto:a@example-.com",
	"v=DMARC1; p=none; rua=mailto:a@x12345678901234567890123456789012345"
	    "6789012345678901234567890123.com",
	"v=DMARC1; p=reject; rua=mailto:agg@example.com!bad",
	"v=DMARC1; p=reject; rua=mailto:agg@example.com!",
	"v=DMARC1; p=none; fo=0 : d; ruf=mailto:f@example.com",
	"v=DMARC1;\r\n p=reject",
	"v=DMARC1; p=reject\r\n",
	"v=DMARC1; p=reject\r\n; rua=mailto:a@example.com",
	"v=DMARC1; \xc2\xa0p=reject",
	"v=DMARC1; \xef\xbb\xbfp=reject",
	"v=DMARC1; p=reject\xc2\xa0",
	"v=DMARC1; p=none; rua=mailto:a@example.com\r\n",
	"v=DMARC1; p=none; rua=mailto:a@example.com, mailto:b@example.com",
};

/* Taken or not depending on the mode (RFC 9989, 7489, 7489 with PSD). */
static const struct {
	const char *text;
	bool taken[3];
} by_mode[] = {
	/* RFC 7489 wants p first */
	{ "v=DMARC1; sp=none; p=reject", { true, false, false } },
	/* fo=0:0 is an error in RFC 9989 only; then p is not first */
	{ "v=DMARC1; fo=0:0; p=none", { false, false, false } },
	{ "v=DMARC1; p=none; fo=0:0", { false, true, true } },
	/* historic tags twice warn twice under RFC 9989, are duplicates
	 * under RFC 7489 */
	{ "v=DMARC1; p=none; pct=1; pct=2", { true, false, false } },
	/* ri too long for the fast reader, ignored under RFC 9989 */
	{ "v=DMARC1; p=none; ri=1234567890", { true, false, false } },
	/* more warnings than the fast path writes */
	{ "v=DMARC1; rf=a; rf=a; rf=a; rf=a; rf=a; rf=a; rf=a; rf=a; rf=a",
	    { false, false, false } },
	{ "v=DMARC1; p=none; rf=a; rf=a; rf=a; rf=a; rf=a; rf=a; rf=a; rf=a",
	    { true, false, false } },
	/* np is unknown to RFC 7489, read with PSD */
	{ "v=DMARC1; p=none; np=reject", { true, true, true } },
	{ "v=DMARC1; p=none; np=REJECT", { false, true, false } },
};

static dmarc_ctx *ctx_for(dmarc_mode mode, unsigned int options)
{
	dmarc_ctx *ctx = NULL;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_parse_options(ctx, options), DMARC_OK);
	return ctx;
}

static bool fast_takes(const dmarc_ctx *ctx, const char *text)
{
	static struct parse_state st; /* too big for Check's stack */

	dmarc__record_init(&st, ctx, text, strlen(text));
	return dmarc__record_parse_fast(&st);
}

/* The public parser and the general parser agree on text. */
static void check_same(const dmarc_ctx *ctx, const char *text)
{
	dmarc_record *a = NULL, *b = NULL;
	const char *what;

	ck_assert_int_eq(dmarc_record_parse(&a, ctx, text, strlen(text)),
	    DMARC_OK);
	ck_assert_int_eq(dmarc__record_parse_general(&b, ctx, text,
	    strlen(text)), DMARC_OK);
	what = records_differ(a, b);
	ck_assert_msg(what == NULL, "%s differs for \"%s\" in mode %d", what,
	    text, (int)dmarc_ctx_get_mode(ctx));
	dmarc_record_free(a);
	dmarc_record_free(b);
}

START_TEST(usual_records_take_the_fast_path)
{
	size_t m, i;

	for (m = 0; m < 3; m++) {
		dmarc_ctx *ctx = ctx_for(modes[m], 0);
		for (i = 0; i < sizeof taken / sizeof taken[0]; i++)
			ck_assert_msg(fast_takes(ctx, taken[i]),
			    "not taken in mode %d: %s", (int)modes[m], taken[i]);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

START_TEST(unusual_records_are_left_to_the_general_parser)
{
	size_t m, i;

	for (m = 0; m < 3; m++) {
		dmarc_ctx *ctx = ctx_for(modes[m], 0);
		for (i = 0; i < sizeof declined / sizeof declined[0]; i++)
			ck_assert_msg(!fast_takes(ctx, declined[i]),
			    "taken in mode %d: %s", (int)modes[m], declined[i]);
		for (i = 0; i < sizeof by_mode / sizeof by_mode[0]; i++)
			ck_assert_msg(fast_takes(ctx, by_mode[i].text) ==
			    by_mode[i].taken[m], "mode %d: %s", (int)modes[m],
			    by_mode[i].text);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

START_TEST(limits_send_records_to_the_general_parser)
{
	const char *two = "v=DMARC1; p=none; "
	    "rua=mailto:a@example.com,mailto:b@example.com";
	dmarc_ctx *ctx = ctx_for(DMARC_MODE_RFC9989, 0);

	ck_assert(fast_takes(ctx, two));
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST,
	    1), DMARC_OK);
	ck_assert(!fast_takes(ctx, two));
	check_same(ctx, two);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST,
	    2), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 19),
	    DMARC_OK);
	ck_assert(!fast_takes(ctx, two));
	check_same(ctx, two);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 64),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
	    32), DMARC_OK);
	ck_assert(!fast_takes(ctx, two));
	check_same(ctx, two);
	dmarc_ctx_free(ctx);
}
END_TEST

/* Every record above, in every mode and under every option: both
 * parsers give the same record. */
START_TEST(both_parsers_agree)
{
	unsigned int options;
	size_t m, i;

	for (options = 0; options < 8; options++) {
		for (m = 0; m < 3; m++) {
			dmarc_ctx *ctx = ctx_for(modes[m], options);
			for (i = 0; i < sizeof taken / sizeof taken[0]; i++)
				check_same(ctx, taken[i]);
			for (i = 0; i < sizeof declined / sizeof declined[0]; i++)
				check_same(ctx, declined[i]);
			for (i = 0; i < sizeof by_mode / sizeof by_mode[0]; i++)
				check_same(ctx, by_mode[i].text);
			dmarc_ctx_free(ctx);
		}
	}
}
END_TEST

/* What the fast path reads, spelled out for the benchmark's record. */
START_TEST(fast_path_values)
{
	dmarc_ctx *ctx = ctx_for(DMARC_MODE_RFC7489, 0);
	const char *text = taken[8];
	dmarc_record *rec = NULL;
	const dmarc_uri *u;

	ck_assert(fast_takes(ctx, text));
	ck_assert_int_eq(dmarc_record_parse(&rec, ctx, text, strlen(text)),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_VALID);
	ck_assert_int_eq(dmarc_record_get_policy(rec, DMARC_TAG_P),
	    DMARC_POLICY_QUARANTINE);
	ck_assert_int_eq(dmarc_record_get_policy(rec, DMARC_TAG_SP),
	    DMARC_POLICY_REJECT);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_STRICT);
	ck_assert_uint_eq(dmarc_record_get_pct(rec), 50);
	ck_assert_uint_eq(dmarc_record_get_ri(rec), 3600);
	ck_assert_uint_eq(dmarc_record_get_fo(rec),
	    DMARC_FO_ANY_FAIL | DMARC_FO_DKIM | DMARC_FO_SPF);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 2);
	u = dmarc_record_get_uri(rec, DMARC_TAG_RUA, 1);
	ck_assert_str_eq(dmarc_uri_get_text(u),
	    "mailto:agg@thirdparty.example.net");
	ck_assert_str_eq(dmarc_uri_get_address(u), "agg@thirdparty.example.net");
	ck_assert_str_eq(dmarc_uri_get_scheme(u), "mailto");
	u = dmarc_record_get_uri(rec, DMARC_TAG_RUF, 0);
	ck_assert_str_eq(dmarc_uri_get_address(u), "fail@example.com");
	/* np is not RFC 7489's: one warning */
	ck_assert_uint_eq(dmarc_record_get_diag_count(rec), 1);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_record_get_diag(rec, 0)),
	    DMARC_DIAG_UNKNOWN_TAG);
	ck_assert_str_eq(dmarc_diag_get_tag(dmarc_record_get_diag(rec, 0)),
	    "np");
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

static unsigned long seed = 9989;

static unsigned int rnd(unsigned int n)
{
	seed = seed * 6364136223846793005u + 1442695040888963407u;
	return (unsigned int)((seed >> 33) % n);
}

/* An address part of up to 20 bytes: mostly lower-case letters, digits,
 * '-' and '.', now and then a byte the usual address has not (upper
 * case, a separator, '@', a percent-encoding, a byte over 0x7f). */
static size_t address_part(char *out, unsigned int odd)
{
	static const char plain[] = "abcxyz0189-.";
	static const char other[] = "AZ_+!,;@%=?#/[ ~:\x80\xff";
	size_t i, n = rnd(21);

	for (i = 0; i < n; i++)
		out[i] = rnd(odd) == 0 ? other[rnd(sizeof other - 1)] :
		    plain[rnd(sizeof plain - 1)];
	return n;
}

/* Generated rua and ruf lists, usual and nearly usual: the public parser
 * (fast path first) and the general parser give the same record for
 * each, in every mode; Check is called only on a difference. */
START_TEST(generated_uri_lists_agree)
{
	char text[512];
	unsigned int r, fast = 0;
	size_t m;

	for (m = 0; m < 3; m++) {
		dmarc_ctx *ctx = ctx_for(modes[m], 0);
		for (r = 0; r < 20000; r++) {
			dmarc_record *a = NULL, *b = NULL;
			size_t n = 0, k, uris = 1 + rnd(3);
			unsigned int odd = 2 + rnd(60);

			n += (size_t)sprintf(text, "v=DMARC1; p=none; %s=",
			    rnd(4) == 0 ? "ruf" : "rua");
			for (k = 0; k < uris; k++) {
				if (k > 0)
					text[n++] = ',';
				memcpy(text + n, "mailto:", 7);
				n += 7;
				n += address_part(text + n, odd);
				if (rnd(8) != 0)
					text[n++] = '@';
				n += address_part(text + n, odd);
			}
			if (rnd(3) == 0)
				n += (size_t)sprintf(text + n, "%s",
				    rnd(2) ? ";" : "; sp=none");
			text[n] = '\0';
			fast += fast_takes(ctx, text);
			if (dmarc_record_parse(&a, ctx, text, n) != DMARC_OK ||
			    dmarc__record_parse_general(&b, ctx, text, n) !=
			    DMARC_OK || records_differ(a, b) != NULL)
				ck_abort_msg("parsers differ for \"%s\"", text);
			dmarc_record_free(a);
			dmarc_record_free(b);
		}
		dmarc_ctx_free(ctx);
	}
	/* the fast path saw a good share of them */
	ck_assert_uint_gt(fast, 3 * 20000 / 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("record-fast");
	TCase *tc = tcase_create("fast path");

	tcase_add_test(tc, usual_records_take_the_fast_path);
	tcase_add_test(tc, unusual_records_are_left_to_the_general_parser);
	tcase_add_test(tc, limits_send_records_to_the_general_parser);
	tcase_add_test(tc, both_parsers_agree);
	tcase_add_test(tc, fast_path_values);
	tcase_add_test(tc, generated_uri_lists_agree);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
