/*
 * What an evaluation says about its inputs: diagnostics for From fields
 * (with the offset where one broke), Authentication-Results fields not
 * used and why (and the "used" answer of dmarc_eval_add_authres), DKIM
 * signatures dropped over the limit; the three Authentication-Results
 * output styles; message-derived text given as pointer and length.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "fake-dns.h"
#include "test-data.h"
#include <dmarc/dmarc.h>

static struct fake_zone Z;
static const struct fake_rr ZONE[] = {
	{ "_dmarc.example.com", DMARC_RR_TXT, 0, "v=DMARC1; p=reject", 0 },
	{ "_dmarc.example.net", DMARC_RR_TXT, 0, "v=DMARC1; p=none", 0 },
	{ NULL, (dmarc_rrtype)0, 0, NULL, 0 }
};

static dmarc_ctx *CTX;
static dmarc_eval *EV;

static void setup_ctx(dmarc_mode mode, unsigned int options)
{
	ck_assert_int_eq(dmarc_ctx_new(&CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(CTX, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl(CTX, psl_path()), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_eval_options(CTX, options), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX, "mx.example.org"),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_limit(CTX, DMARC_LIMIT_DKIM_SIGNATURES,
	    2), DMARC_OK);
	fake_zone_init(&Z, ZONE);
	ck_assert_int_eq(dmarc_ctx_set_lookup(CTX, fake_lookup, &Z), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&EV, CTX), DMARC_OK);
}

static void setup(void)
{
	setup_ctx(DMARC_MODE_RFC9989, 0);
}

static void teardown(void)
{
	dmarc_eval_free(EV);
	dmarc_ctx_free(CTX);
	EV = NULL;
	CTX = NULL;
}

static void from(const char *value)
{
	ck_assert_int_eq(dmarc_eval_add_from(EV, value, strlen(value)),
	    DMARC_OK);
}

/* The evaluation's diagnostic with code, which must be there once. */
static const dmarc_diag *the_diag(dmarc_diag_code code)
{
	const dmarc_diag *found = NULL;
	size_t i, n = dmarc_eval_get_diag_count(EV);

	for (i = 0; i < n; i++) {
		const dmarc_diag *g = dmarc_eval_get_diag(EV, i);
		if (dmarc_diag_get_code(g) != code)
			continue;
		ck_assert_msg(found == NULL, "diagnostic %d twice", (int)code);
		found = g;
	}
	ck_assert_msg(found != NULL, "no diagnostic %d among %zu", (int)code,
	    n);
	return found;
}

static void expect_diag(dmarc_diag_code code, dmarc_severity severity,
    const char *name, size_t offset)
{
	const dmarc_diag *g = the_diag(code);

	ck_assert_int_eq(dmarc_diag_get_severity(g), severity);
	ck_assert_str_eq(dmarc_diag_get_name(g), name);
	ck_assert_uint_eq(dmarc_diag_get_offset(g), offset);
	ck_assert_ptr_null(dmarc_diag_get_tag(g));
	ck_assert_ptr_null(dmarc_diag_get_domain(g));
	ck_assert_ptr_nonnull(dmarc_diag_get_text(g));
}

START_TEST(test_from_missing)
{
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	ck_assert_int_eq(dmarc_eval_get_result(EV), DMARC_RESULT_PENDING);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), 1);
	expect_diag(DMARC_DIAG_FROM_MISSING, DMARC_SEVERITY_ERROR,
	    "from-missing", 0);
}
END_TEST

START_TEST(test_from_repeated)
{
	from("a@example.com");
	from("b@example.com");
	from("c@example.com");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), 1);
	expect_diag(DMARC_DIAG_FROM_REPEATED, DMARC_SEVERITY_ERROR,
	    "from-repeated", 0);
}
END_TEST

/* The parser's error offset reaches the caller. */
START_TEST(test_from_syntax_offset)
{
	from("Alice <alice@example.com"); /* the "<" at 6 never closes */
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	expect_diag(DMARC_DIAG_FROM_SYNTAX, DMARC_SEVERITY_ERROR,
	    "from-syntax", 6);
	dmarc_eval_reset(EV);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), 0);
	from("a@exa mple.com");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	ck_assert_uint_gt(dmarc_diag_get_offset(the_diag(
	    DMARC_DIAG_FROM_SYNTAX)), 0);
}
END_TEST

START_TEST(test_from_too_long)
{
	char big[9000];

	memset(big, 'a', sizeof big);
	memcpy(big + sizeof big - 12, "@example.com", 12);
	ck_assert_int_eq(dmarc_eval_add_from(EV, big, sizeof big), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	expect_diag(DMARC_DIAG_FROM_TOO_LONG, DMARC_SEVERITY_ERROR,
	    "from-too-long", 0);
	ck_assert_uint_eq(dmarc_diag_get_length(the_diag(
	    DMARC_DIAG_FROM_TOO_LONG)), sizeof big);
}
END_TEST

START_TEST(test_from_domains)
{
	from("a@example.com, b@example.net");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	expect_diag(DMARC_DIAG_FROM_DOMAINS, DMARC_SEVERITY_ERROR,
	    "from-domains", 0);
}
END_TEST

/* With DMARC_EVAL_MULTI_FROM the same field is evaluated, silently. */
START_TEST(test_from_domains_allowed)
{
	teardown();
	setup_ctx(DMARC_MODE_RFC9989, DMARC_EVAL_MULTI_FROM);
	from("a@example.com, b@example.net");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_result(EV), DMARC_RESULT_FAIL);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), 0);
}
END_TEST

START_TEST(test_from_no_domain)
{
	from("undisclosed-recipients:;");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_result(EV), DMARC_RESULT_NONE);
	expect_diag(DMARC_DIAG_FROM_NO_DOMAIN, DMARC_SEVERITY_WARNING,
	    "from-no-domain", 0);
}
END_TEST

static int authres(const char *value)
{
	int used = 7;

	ck_assert_int_eq(dmarc_eval_add_authres(EV, value, strlen(value),
	    &used), DMARC_OK);
	ck_assert(used == 0 || used == 1);
	return used;
}

START_TEST(test_authres_used)
{
	ck_assert_int_eq(authres("mx.example.org; dkim=pass "
	    "header.d=example.com"), 1);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), 0);
	/* the optional pointer */
	ck_assert_int_eq(dmarc_eval_add_authres(EV, "mx.example.org; none", 20,
	    NULL), DMARC_OK);
	from("a@example.com");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_result(EV), DMARC_RESULT_PASS);
}
END_TEST

START_TEST(test_authres_untrusted)
{
	static const char foreign[] = "evil.example; dkim=pass "
	    "header.d=example.com";

	ck_assert_int_eq(authres(foreign), 0);
	expect_diag(DMARC_DIAG_AR_UNTRUSTED, DMARC_SEVERITY_WARNING,
	    "ar-untrusted", 0);
	ck_assert_uint_eq(dmarc_diag_get_length(the_diag(
	    DMARC_DIAG_AR_UNTRUSTED)), sizeof foreign - 1);
	from("a@example.com");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_result(EV), DMARC_RESULT_FAIL);
}
END_TEST

/* A trusted field that does not parse: not used, and the parser's own
 * diagnostic, with its offset, is the evaluation's. */
START_TEST(test_authres_malformed)
{
	ck_assert_int_eq(authres("mx.example.org; dkim=pass header.d=(x"), 0);
	ck_assert_int_eq(dmarc_diag_get_severity(the_diag(
	    DMARC_DIAG_AR_SYNTAX)), DMARC_SEVERITY_ERROR);
	ck_assert_uint_gt(dmarc_diag_get_offset(the_diag(
	    DMARC_DIAG_AR_SYNTAX)), 15);
	ck_assert_int_eq(authres("mx.example.org 2; dkim=pass "
	    "header.d=example.com"), 0);
	the_diag(DMARC_DIAG_AR_VERSION);
}
END_TEST

/* A field over the header length limit: not read at all, said so. */
START_TEST(test_authres_too_long)
{
	char big[9000];

	memset(big, 'x', sizeof big);
	memcpy(big, "mx.example.org; dkim=pass ", 26);
	ck_assert_int_eq(dmarc_eval_add_authres(EV, big, sizeof big, NULL),
	    DMARC_OK);
	/* the span beyond the limit, as the parser reports it */
	expect_diag(DMARC_DIAG_AR_TOO_LONG, DMARC_SEVERITY_ERROR,
	    "ar-too-long", 8192);
	ck_assert_uint_eq(dmarc_diag_get_length(the_diag(
	    DMARC_DIAG_AR_TOO_LONG)), sizeof big - 8192);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), 1);
}
END_TEST

START_TEST(test_dkim_dropped)
{
	int i;

	for (i = 0; i < 5; i++)
		ck_assert_int_eq(dmarc_eval_add_dkim(EV, DMARC_VERDICT_FAIL,
		    "example.net", 11, "s", 1), i < 2 ? DMARC_OK : DMARC_ERANGE);
	ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(EV), 3);
	/* once per message, however many */
	expect_diag(DMARC_DIAG_DKIM_DROPPED, DMARC_SEVERITY_WARNING,
	    "dkim-dropped", 0);
}
END_TEST

/* The list is bounded; its last entry says more were dropped. */
START_TEST(test_diag_limit)
{
	size_t i, n;

	for (i = 0; i < 40; i++)
		ck_assert_int_eq(authres("foreign.example; none"), 0);
	n = dmarc_eval_get_diag_count(EV);
	ck_assert_uint_gt(n, 1);
	ck_assert_uint_lt(n, 40);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_eval_get_diag(EV, n - 1)),
	    DMARC_DIAG_TOO_MANY_DIAGS);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_eval_get_diag(EV, n - 2)),
	    DMARC_DIAG_AR_UNTRUSTED);
	ck_assert_ptr_null(dmarc_eval_get_diag(EV, n));
	/* why DMARC does not apply is still said */
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), n + 1);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_eval_get_diag(EV, n)),
	    DMARC_DIAG_FROM_MISSING);
	/* the same list when the From field's problem comes first */
	dmarc_eval_reset(EV);
	from("a@example.com");
	from("b@example.com");
	for (i = 0; i < 40; i++)
		ck_assert_int_eq(authres("foreign.example; none"), 0);
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	ck_assert_uint_eq(dmarc_eval_get_diag_count(EV), n + 1);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_eval_get_diag(EV, 0)),
	    DMARC_DIAG_FROM_REPEATED);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_eval_get_diag(EV, n)),
	    DMARC_DIAG_TOO_MANY_DIAGS);
	ck_assert_ptr_null(dmarc_eval_get_diag(NULL, 0));
	ck_assert_uint_eq(dmarc_eval_get_diag_count(NULL), 0);
	ck_assert_int_eq(dmarc_diag_get_code(NULL), DMARC_DIAG_NONE);
}
END_TEST

static void format(dmarc_authres_style style, const char *want)
{
	char buf[512];
	size_t len = 0, need = 0;

	ck_assert_int_eq(dmarc_eval_format_authres(EV, "mx.example.org", style,
	    buf, sizeof buf, &len), DMARC_OK);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(len, strlen(want));
	/* the size needed, and nothing cut */
	ck_assert_int_eq(dmarc_eval_format_authres(EV, "mx.example.org", style,
	    buf, len, &need), DMARC_EBUFFER);
	ck_assert_uint_eq(need, len);
	ck_assert_str_eq(buf, "");
}

START_TEST(test_authres_styles)
{
	char buf[64];

	from("Alice <alice@example.com>");
	ck_assert_int_eq(dmarc_eval_add_dkim(EV, DMARC_VERDICT_PASS,
	    "example.com", 11, "s1", 2), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	format(DMARC_AUTHRES_FIELD, "Authentication-Results: mx.example.org;"
	    "\r\n\tdmarc=pass (p=reject sp=reject dis=none)"
	    "\r\n\theader.from=example.com\r\n\tpolicy.dmarc=reject\r\n");
	format(DMARC_AUTHRES_VALUE, "mx.example.org; dmarc=pass "
	    "(p=reject sp=reject dis=none) header.from=example.com "
	    "policy.dmarc=reject");
	format(DMARC_AUTHRES_VALUE_LF, "mx.example.org;\n\tdmarc=pass "
	    "(p=reject sp=reject dis=none)\n\theader.from=example.com"
	    "\n\tpolicy.dmarc=reject");
	ck_assert_int_eq(dmarc_eval_format_authres(EV, "mx.example.org",
	    (dmarc_authres_style)0, buf, sizeof buf, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_format_authres(EV, "mx.example.org",
	    (dmarc_authres_style)4, buf, sizeof buf, NULL), DMARC_EINVAL);
}
END_TEST

/* Message-derived text is pointer and length: nothing past len is
 * read, and a NUL inside is refused rather than cutting the text. */
START_TEST(test_lengths_not_nul)
{
	static const char ip[] = "192.0.2.1junk";
	static const char human[] = "signature verified, more";

	ck_assert_int_eq(dmarc_eval_set_ip(EV, ip, 9), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_set_ip(EV, ip, sizeof ip - 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_set_ip(EV, "192.0.2.1\0" "5", 11),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_set_ip(EV, "2001:db8::1", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_set_ip(EV, "", 0), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_add_dkim(EV, DMARC_VERDICT_PASS,
	    "example.com", 11, "s1", 2), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_set_dkim_human_result(EV, 0, human, 18),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_set_dkim_human_result(EV, 0, "a\0b", 3),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_set_time(EV, UINT64_C(5000000000)),
	    DMARC_OK); /* past 2106 in 32 bits */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("eval-diag");
	TCase *tc = tcase_create("from");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_from_missing);
	tcase_add_test(tc, test_from_repeated);
	tcase_add_test(tc, test_from_syntax_offset);
	tcase_add_test(tc, test_from_too_long);
	tcase_add_test(tc, test_from_domains);
	tcase_add_test(tc, test_from_domains_allowed);
	tcase_add_test(tc, test_from_no_domain);
	suite_add_tcase(s, tc);

	tc = tcase_create("inputs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_authres_used);
	tcase_add_test(tc, test_authres_untrusted);
	tcase_add_test(tc, test_authres_malformed);
	tcase_add_test(tc, test_authres_too_long);
	tcase_add_test(tc, test_dkim_dropped);
	tcase_add_test(tc, test_diag_limit);
	tcase_add_test(tc, test_lengths_not_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_authres_styles);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
