/*
 * Authentication-Results field parser (RFC 8601): the H01-H12 vectors of
 * the specification digest (10.9), then the grammar corners, the limits,
 * allocation failure and NULL arguments.  Public API only.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

static dmarc_ctx *ctx;

static void setup(void)
{
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
}

static void teardown(void)
{
	dmarc_ctx_free(ctx);
	ctx = NULL;
}

static dmarc_authres *parse_n(const char *value, size_t len)
{
	dmarc_authres *ar = NULL;

	ck_assert_int_eq(dmarc_authres_parse(&ar, ctx, value, len), DMARC_OK);
	ck_assert_ptr_nonnull(ar);
	return ar;
}

static dmarc_authres *parse(const char *value)
{
	return parse_n(value, strlen(value));
}

/* Offset of needle in s (which must contain it). */
static size_t off_of(const char *s, const char *needle)
{
	const char *p = strstr(s, needle);

	ck_assert_ptr_nonnull(p);
	return (size_t)(p - s);
}

static dmarc_authres *parse_valid(const char *value, size_t n_results)
{
	dmarc_authres *ar = parse(value);

	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_VALID);
	ck_assert_uint_eq(dmarc_authres_get_result_count(ar), n_results);
	return ar;
}

static void check_result(const dmarc_authres *ar, size_t i,
    const char *method, const char *result)
{
	ck_assert_str_eq(dmarc_authres_get_method(ar, i), method);
	ck_assert_str_eq(dmarc_authres_get_result(ar, i), result);
}

static void check_prop(const dmarc_authres *ar, size_t i, const char *ptype,
    const char *property, const char *value)
{
	const char *v = dmarc_authres_get_property(ar, i, ptype, property);

	ck_assert_msg(v != NULL, "%s.%s missing", ptype, property);
	ck_assert_str_eq(v, value);
}

/* The last diagnostic has this code, offset and length. */
static void check_last_diag(const dmarc_authres *ar, dmarc_diag_code code,
    size_t offset, size_t length)
{
	size_t n = dmarc_authres_get_diag_count(ar);
	const dmarc_diag *d;

	ck_assert_uint_gt(n, 0);
	d = dmarc_authres_get_diag(ar, n - 1);
	ck_assert_int_eq(dmarc_diag_get_code(d), code);
	ck_assert_uint_eq(dmarc_diag_get_offset(d), offset);
	ck_assert_uint_eq(dmarc_diag_get_length(d), length);
}

/* value is malformed at [offset, offset + length). */
static void check_syntax(const char *value, size_t offset, size_t length)
{
	dmarc_authres *ar = parse(value);
	const dmarc_diag *d;

	ck_assert_msg(dmarc_authres_get_state(ar) == DMARC_AUTHRES_SYNTAX,
	    "not a syntax error: %s", value);
	ck_assert_uint_eq(dmarc_authres_get_result_count(ar), 0);
	ck_assert_ptr_null(dmarc_authres_get_method(ar, 0));
	ck_assert_ptr_null(dmarc_authres_get_authserv_id(ar));
	check_last_diag(ar, DMARC_DIAG_AR_SYNTAX, offset, length);
	d = dmarc_authres_get_diag(ar, dmarc_authres_get_diag_count(ar) - 1);
	ck_assert_int_eq(dmarc_diag_get_severity(d), DMARC_SEVERITY_ERROR);
	ck_assert_str_eq(dmarc_diag_get_name(d), "ar-syntax");
	dmarc_authres_free(ar);
}

/* ---- H01-H12 ---- */

START_TEST(test_H01)
{
	dmarc_authres *ar = parse_valid("mx.example.org; spf=pass "
	    "smtp.mailfrom=bounce.example.com; dkim=pass header.d=example.com "
	    "header.s=sel1; dmarc=pass header.from=example.com", 3);

	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "mx.example.org");
	check_result(ar, 0, "spf", "pass");
	check_prop(ar, 0, "smtp", "mailfrom", "bounce.example.com");
	check_result(ar, 1, "dkim", "pass");
	check_prop(ar, 1, "header", "d", "example.com");
	check_prop(ar, 1, "header", "s", "sel1");
	check_result(ar, 2, "dmarc", "pass");
	check_prop(ar, 2, "header", "from", "example.com");
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "header", "d"));
	ck_assert_ptr_null(dmarc_authres_get_reason(ar, 1));
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 0);
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H02)
{
	dmarc_authres *ar = parse_valid("mx.example.org; spf=pass "
	    "smtp.mailfrom=User@Example.COM", 1);

	/* kept as written; the consumer takes the domain after the last @ */
	check_prop(ar, 0, "smtp", "mailfrom", "User@Example.COM");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H03)
{
	dmarc_authres *ar = parse_valid("evil.example; dkim=pass "
	    "header.d=example.com", 1);

	/* trust is the caller's decision: it sees the authserv-id */
	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "evil.example");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H04)
{
	dmarc_authres *ar = parse_valid("mx.example.org; none", 0);

	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "mx.example.org");
	ck_assert_ptr_null(dmarc_authres_get_method(ar, 0));
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 0);
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H05)
{
	dmarc_authres *ar = parse_valid("mx.example.org; dkim=pass "
	    "(1024-bit key) header.i=@sub.example.com", 1);

	check_result(ar, 0, "dkim", "pass");
	check_prop(ar, 0, "header", "i", "@sub.example.com");
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "header", "d"));
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H06)
{
	static const char v[] = "mx.example.org 2; spf=pass "
	    "smtp.mailfrom=example.com";
	dmarc_authres *ar = parse(v);

	ck_assert_int_eq(dmarc_authres_get_state(ar),
	    DMARC_AUTHRES_BAD_VERSION);
	ck_assert_uint_eq(dmarc_authres_get_result_count(ar), 0);
	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "mx.example.org");
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 1);
	check_last_diag(ar, DMARC_DIAG_AR_VERSION, off_of(v, "2"), 1);
	ck_assert_str_eq(dmarc_diag_get_name(dmarc_authres_get_diag(ar, 0)),
	    "ar-version");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H07)
{
	static const char v[] = "mx.example.org; dkim/2=pass "
	    "header.d=example.com";
	dmarc_authres *ar = parse_valid(v, 0);
	const dmarc_diag *d = dmarc_authres_get_diag(ar, 0);

	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 1);
	ck_assert_int_eq(dmarc_diag_get_code(d), DMARC_DIAG_AR_METHOD_VERSION);
	ck_assert_int_eq(dmarc_diag_get_severity(d), DMARC_SEVERITY_WARNING);
	ck_assert_uint_eq(dmarc_diag_get_offset(d), off_of(v, "2"));
	ck_assert_str_eq(dmarc_diag_get_name(d), "ar-method-version");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H08)
{
	dmarc_authres *ar = parse_valid("mx.example.org; spf=pass "
	    "smtp.helo=mx.example.com", 1);

	check_prop(ar, 0, "smtp", "helo", "mx.example.com");
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "smtp",
	    "mailfrom"));
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H09)
{
	dmarc_authres *ar = parse_valid("mx.example.org; dkim=pass "
	    "header.d=\"example.com\" header.b=\"AbCd\"", 1);

	check_prop(ar, 0, "header", "d", "example.com");
	check_prop(ar, 0, "header", "b", "AbCd");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H10)
{
	dmarc_authres *ar = parse_valid("mx.example.org (c1); spf (c2) = (c3) "
	    "pass (c4) smtp (c5) . (c6) mailfrom (c7) = (c8) example.com", 1);

	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "mx.example.org");
	check_result(ar, 0, "spf", "pass");
	check_prop(ar, 0, "smtp", "mailfrom", "example.com");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H11)
{
	dmarc_authres *ar = parse_valid("mx.example.org; spf=softfail "
	    "smtp.mailfrom=example.com; dkim=neutral header.d=example.com", 2);

	check_result(ar, 0, "spf", "softfail");
	check_result(ar, 1, "dkim", "neutral");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_H12)
{
	dmarc_authres *ar = parse_valid("mx.example.org; dmarc=fail "
	    "policy.dmarc=quarantine header.from=example.com", 1);

	check_result(ar, 0, "dmarc", "fail");
	check_prop(ar, 0, "policy", "dmarc", "quarantine");
	check_prop(ar, 0, "header", "from", "example.com");
	dmarc_authres_free(ar);
}
END_TEST

/* ---- values ---- */

START_TEST(test_quoted_authserv_id)
{
	dmarc_authres *ar = parse_valid("\"mx.example.org\"; none", 0);

	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "mx.example.org");
	dmarc_authres_free(ar);
	ar = parse_valid("  \"mx \\\"a\\\" (b)\\\\ ;\" 1 ; spf=pass", 1);
	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar),
	    "mx \"a\" (b)\\ ;");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_header_version)
{
	dmarc_authres *ar = parse_valid("mx.example.org 1; spf=pass", 1);

	dmarc_authres_free(ar);
	ar = parse_valid("mx.example.org (v) 001 (c) ; none", 0);
	dmarc_authres_free(ar);
	ar = parse("mx.example.org 99999999999999999999999; none");
	ck_assert_int_eq(dmarc_authres_get_state(ar),
	    DMARC_AUTHRES_BAD_VERSION);
	check_last_diag(ar, DMARC_DIAG_AR_VERSION, 15, 23);
	dmarc_authres_free(ar);
	ar = parse("mx.example.org 0; none");
	ck_assert_int_eq(dmarc_authres_get_state(ar),
	    DMARC_AUTHRES_BAD_VERSION);
	dmarc_authres_free(ar);
	/* a version needs CFWS before it; digits after a token are the id */
	ar = parse_valid("mx2; none", 0);
	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "mx2");
	dmarc_authres_free(ar);
	check_syntax("\"mx\"1; none", 4, 1);
	check_syntax("mx 1x; none", 4, 1);
}
END_TEST

START_TEST(test_method_version)
{
	static const char v[] = "mx; dkim/1=pass header.d=a.example; "
	    "dkim (c) / (c) 3 (c) = (c) pass header.d=b.example; "
	    "spf / 01 = fail";
	dmarc_authres *ar = parse_valid(v, 2);

	check_result(ar, 0, "dkim", "pass");
	check_prop(ar, 0, "header", "d", "a.example");
	check_result(ar, 1, "spf", "fail");
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 1, "header", "d"));
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 1);
	check_last_diag(ar, DMARC_DIAG_AR_METHOD_VERSION, off_of(v, "3"), 1);
	dmarc_authres_free(ar);
	/* a dropped result must still be well-formed */
	check_syntax("mx; dkim/2=pass header.d", 24, 0);
	check_syntax("mx; dkim/=pass", 9, 1);
}
END_TEST

START_TEST(test_reason)
{
	dmarc_authres *ar = parse_valid("mx.example.org; dkim=fail "
	    "reason=\"signature verification failed\" (c) header.d=example.com; "
	    "spf=pass REASON = ok smtp.mailfrom=example.net; "
	    "iprev=pass reason.x=y", 3);

	ck_assert_str_eq(dmarc_authres_get_reason(ar, 0),
	    "signature verification failed");
	check_prop(ar, 0, "header", "d", "example.com");
	ck_assert_str_eq(dmarc_authres_get_reason(ar, 1), "ok");
	check_prop(ar, 1, "smtp", "mailfrom", "example.net");
	/* reason as a ptype is a property, not a reasonspec */
	ck_assert_ptr_null(dmarc_authres_get_reason(ar, 2));
	check_prop(ar, 2, "reason", "x", "y");
	ck_assert_ptr_null(dmarc_authres_get_reason(ar, 3));
	dmarc_authres_free(ar);
	/* RFC 8601 order: the reason comes before the properties, once */
	check_syntax("mx; spf=pass smtp.mailfrom=a.example reason=x", 43, 1);
	check_syntax("mx; spf=pass reason=x reason=y", 28, 1);
	/* white space is required after the reason */
	check_syntax("mx; spf=pass reason=\"x\"smtp.helo=a", 23, 1);
	check_syntax("mx; spf=pass reason=", 20, 0);
}
END_TEST

START_TEST(test_property_values)
{
	static const char v[] = "mx; spf=pass smtp.mailfrom=\"john doe\"@"
	    "Example.com; dkim=pass header.i=first.last+tag@sub.example "
	    "header.b=Ab/+9=; iprev=pass policy.iprev=2001:db8::1; "
	    "spf=none smtp.mailfrom=<>; spf=none smtp.mailfrom=; "
	    "spf=pass smtp.mailfrom=\"a\\\"b\"";
	dmarc_authres *ar = parse_valid(v, 6);

	check_prop(ar, 0, "smtp", "mailfrom", "john doe@Example.com");
	check_prop(ar, 1, "header", "i", "first.last+tag@sub.example");
	check_prop(ar, 1, "header", "b", "Ab/+9=");
	check_prop(ar, 2, "policy", "iprev", "2001:db8::1");
	check_prop(ar, 3, "smtp", "mailfrom", "<>");
	check_prop(ar, 4, "smtp", "mailfrom", "");
	check_prop(ar, 5, "smtp", "mailfrom", "a\"b");
	dmarc_authres_free(ar);
	check_syntax("mx; spf=pass smtp.mailfrom=a,b", 28, 1);
	check_syntax("mx; spf=pass smtp.mailfrom=\"x\"y", 31, 0);
}
END_TEST

START_TEST(test_keywords_lower_case)
{
	dmarc_authres *ar = parse_valid("MX.Example.ORG; SPF=PASS "
	    "SMTP.MailFrom=Bounce.Example.COM header.D=first.example "
	    "Header.d=second.example", 1);

	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "MX.Example.ORG");
	check_result(ar, 0, "spf", "pass");
	check_prop(ar, 0, "smtp", "mailfrom", "Bounce.Example.COM");
	check_prop(ar, 0, "SMTP", "MAILFROM", "Bounce.Example.COM");
	/* the first match wins */
	check_prop(ar, 0, "header", "d", "first.example");
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "smtp", "mail"));
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "smtp",
	    "mailfromx"));
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "", ""));
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 1, "smtp",
	    "mailfrom"));
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_unknown_methods)
{
	dmarc_authres *ar = parse_valid("mx.example.org; x-foo=bar "
	    "policy.x-y=1; iprev=pass policy.iprev=192.0.2.1; "
	    "auth=pass smtp.auth=user; arc=pass smtp.remote-ip=192.0.2.2 "
	    "header.oldest-pass=0; none=pass", 5);

	check_result(ar, 0, "x-foo", "bar");
	check_prop(ar, 0, "policy", "x-y", "1");
	check_result(ar, 1, "iprev", "pass");
	check_result(ar, 2, "auth", "pass");
	check_prop(ar, 3, "smtp", "remote-ip", "192.0.2.2");
	check_prop(ar, 3, "header", "oldest-pass", "0");
	/* "none" followed by = is a method */
	check_result(ar, 4, "none", "pass");
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_none_forms)
{
	dmarc_authres *ar = parse_valid("mx;none", 0);

	dmarc_authres_free(ar);
	ar = parse_valid(" (a) mx (b) ; (c) NONE (d) ; (e) ", 0);
	dmarc_authres_free(ar);
	check_syntax("mx; none; spf=pass", 10, 1);
	check_syntax("mx; spf=pass; none", 18, 0);
	check_syntax("mx; none x", 9, 1);
}
END_TEST

/* ---- CFWS and folding ---- */

START_TEST(test_cfws_everywhere)
{
	dmarc_authres *ar = parse_valid("(a (nested (deeper) \\) \\( x) b)"
	    "mx.example.org(c)1(d);(e)dkim(f)/(g)1(h)=(i)pass(j)"
	    "reason(k)=(l)\"r\"(m)header(n).(o)d(p)=(q)example.com(r);(s)", 1);

	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "mx.example.org");
	check_result(ar, 0, "dkim", "pass");
	ck_assert_str_eq(dmarc_authres_get_reason(ar, 0), "r");
	check_prop(ar, 0, "header", "d", "example.com");
	dmarc_authres_free(ar);
	/* comments may hold any text, UTF-8 included */
	ar = parse_valid("mx; spf=pass (\"quoted\" ; = . caf\xc3\xa9) "
	    "smtp.mailfrom=example.com", 1);
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_folding)
{
	static const char bad[] = "mx;\r\nspf=pass";
	dmarc_authres *ar = parse_valid("mx.example.org;\r\n\tspf=pass\r\n "
	    "smtp.mailfrom=example.com;\r\n dkim=pass (a\r\n b) header.b=\"x\r\n"
	    " y\"\r\n", 2);

	check_prop(ar, 0, "smtp", "mailfrom", "example.com");
	/* the line break of a fold is not part of the value */
	check_prop(ar, 1, "header", "b", "x y");
	dmarc_authres_free(ar);
	ar = parse_valid("mx;\n spf=pass\n\tsmtp.mailfrom=example.com\n", 1);
	dmarc_authres_free(ar);
	/* a line break must be followed by white space */
	check_syntax(bad, 3, 1);
	check_syntax("mx; spf=pass\r\n\r\n", 12, 1);
	check_syntax("mx; spf=pass (a\rb)", 15, 1);
	check_syntax("mx; spf=pass smtp.helo=\"a\nb\"", 25, 1);
}
END_TEST

START_TEST(test_trailing_semicolon)
{
	dmarc_authres *ar = parse_valid("mx; spf=pass;", 1);

	dmarc_authres_free(ar);
	ar = parse_valid("mx; spf=pass smtp.mailfrom=a.example ; (c) ", 1);
	dmarc_authres_free(ar);
	check_syntax("mx; spf=pass;;", 13, 1);
}
END_TEST

/* ---- syntax errors ---- */

START_TEST(test_syntax_errors)
{
	static const char *const unterminated_comment =
	    "mx; spf=pass (oops (deep) smtp.mailfrom=a";
	static const char *const unterminated_quote =
	    "mx; dkim=pass header.b=\"abc";

	check_syntax("", 0, 0);
	check_syntax("   ", 3, 0);
	check_syntax("mx.example.org", 14, 0);
	check_syntax("mx.example.org;", 15, 0);
	/* missing = */
	check_syntax("mx; spf pass", 8, 1);
	check_syntax("mx; spf=pass smtp.mailfrom example.com", 27, 1);
	check_syntax("mx; spf=pass smtp mailfrom=example.com", 18, 1);
	/* unterminated comment and quoted string: from the opening byte */
	check_syntax(unterminated_comment, off_of(unterminated_comment, "(o"),
	    strlen(unterminated_comment) - off_of(unterminated_comment, "(o"));
	check_syntax("(mx", 0, 3);
	check_syntax("mx; spf=pass (x\\", 13, 3);
	check_syntax(unterminated_quote, 23, 4);
	check_syntax("\"mx\\\"; none", 0, 11);
	/* garbage after a result */
	check_syntax("mx; dmarc=pass action=none header.from=a", 21, 1);
	check_syntax("mx; spf=pass foo", 16, 0);
	check_syntax("mx; spf=pass ]", 13, 1);
	check_syntax("mx; spf=pass\"x\"", 12, 1);
	check_syntax("mx; spf=pass.x", 12, 1);
	check_syntax("mx; spf=pass smtp.mailfrom=a b", 30, 0);
	/* empty method, result, ptype, property */
	check_syntax("mx; =pass", 4, 1);
	check_syntax("mx; ; spf=pass", 4, 1);
	check_syntax("mx; spf=", 8, 0);
	check_syntax("mx; spf=;", 8, 1);
	check_syntax("mx; spf=pass .d=x", 13, 1);
	check_syntax("mx; spf=pass smtp.=x", 18, 1);
	/* keywords: Ldh-str, not ending in a hyphen */
	check_syntax("mx; spf-=pass", 7, 1);
	check_syntax("mx; s_pf=pass", 5, 1);
	/* bad authserv-id */
	check_syntax("; none", 0, 1);
	check_syntax("mx@example; none", 2, 1);
	/* control bytes */
	check_syntax("mx; spf=pass (a\x01)", 15, 1);
	/* a quoted control: at the control, as a bare one (and as the From
	 * parser says), not at the backslash before it */
	check_syntax("mx; spf=pass smtp.helo=\"a\\\x01\"", 26, 1);
	check_syntax("mx; spf=pass (a\\\r\n b)", 16, 1);
	check_syntax("mx; spf=pass smtp.helo=a\x7f", 24, 1);
}
END_TEST

START_TEST(test_nul_bytes)
{
	static const char v[] = "mx; spf=pass\0 smtp.helo=a";
	dmarc_authres *ar = parse_n(v, sizeof v - 1);

	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_SYNTAX);
	check_last_diag(ar, DMARC_DIAG_AR_SYNTAX, 12, 1);
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_comment_depth)
{
	char v[200];
	size_t i, n = 0;

	/* 32 levels are fine */
	n = (size_t)snprintf(v, sizeof v, "mx; spf=pass ");
	for (i = 0; i < 32; i++)
		v[n++] = '(';
	for (i = 0; i < 32; i++)
		v[n++] = ')';
	v[n] = '\0';
	dmarc_authres_free(parse_valid(v, 1));
	/* the 33rd opening is where it fails */
	n = (size_t)snprintf(v, sizeof v, "mx; spf=pass ");
	for (i = 0; i < 33; i++)
		v[n++] = '(';
	for (i = 0; i < 33; i++)
		v[n++] = ')';
	v[n] = '\0';
	check_syntax(v, 13 + 32, 1);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_length_limit)
{
	char v[300];
	dmarc_authres *ar;
	size_t n;

	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_HEADER_LENGTH,
	    256), DMARC_OK);
	n = (size_t)snprintf(v, sizeof v, "mx; spf=pass smtp.mailfrom=");
	memset(v + n, 'a', 256 - n);
	ar = parse_n(v, 256);
	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_VALID);
	dmarc_authres_free(ar);
	/* the CRLF that ends a field does not count */
	memcpy(v + 256, "\r\n", 2);
	ar = parse_n(v, 258);
	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_VALID);
	dmarc_authres_free(ar);
	v[256] = 'a';
	ar = parse_n(v, 257);
	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_SYNTAX);
	ck_assert_uint_eq(dmarc_authres_get_result_count(ar), 0);
	ck_assert_ptr_null(dmarc_authres_get_authserv_id(ar));
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 1);
	check_last_diag(ar, DMARC_DIAG_AR_TOO_LONG, 256, 1);
	ck_assert_str_eq(dmarc_diag_get_name(dmarc_authres_get_diag(ar, 0)),
	    "ar-too-long");
	dmarc_authres_free(ar);
}
END_TEST

/* "mx" and n results "; m<i>=pass" */
static char *many_results(size_t n, const char *method_suffix)
{
	char *v = malloc(16 + n * 32);
	size_t i, len = 2;

	ck_assert_ptr_nonnull(v);
	memcpy(v, "mx", 2);
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(v + len, "; m%zu%s=pass", i, method_suffix);
	v[len] = '\0';
	return v;
}

START_TEST(test_result_cap)
{
	char *v = many_results(70, "");
	dmarc_authres *ar = parse(v);
	const dmarc_diag *d;

	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_VALID);
	ck_assert_uint_eq(dmarc_authres_get_result_count(ar), 64);
	check_result(ar, 63, "m63", "pass");
	ck_assert_ptr_null(dmarc_authres_get_method(ar, 64));
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 1);
	d = dmarc_authres_get_diag(ar, 0);
	ck_assert_int_eq(dmarc_diag_get_code(d), DMARC_DIAG_AR_TOO_MANY);
	ck_assert_uint_eq(dmarc_diag_get_offset(d), off_of(v, "m64="));
	ck_assert_uint_eq(dmarc_diag_get_length(d), 3);
	ck_assert_str_eq(dmarc_diag_get_name(d), "ar-too-many");
	dmarc_authres_free(ar);
	free(v);
	v = many_results(64, "");
	ar = parse_valid(v, 64);
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 0);
	dmarc_authres_free(ar);
	free(v);
}
END_TEST

START_TEST(test_property_cap)
{
	char v[1024];
	size_t i, len;
	dmarc_authres *ar;
	const dmarc_diag *d;

	len = (size_t)sprintf(v, "mx; dkim=pass");
	for (i = 0; i < 20; i++)
		len += (size_t)sprintf(v + len, " p%zu.x=v%zu", i, i);
	sprintf(v + len, "; spf=pass smtp.helo=h");
	ar = parse_valid(v, 2);
	check_prop(ar, 0, "p15", "x", "v15");
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "p16", "x"));
	check_prop(ar, 1, "smtp", "helo", "h");
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 1);
	d = dmarc_authres_get_diag(ar, 0);
	ck_assert_int_eq(dmarc_diag_get_code(d), DMARC_DIAG_AR_TOO_MANY);
	ck_assert_uint_eq(dmarc_diag_get_offset(d), off_of(v, "p16."));
	ck_assert_uint_eq(dmarc_diag_get_length(d), strlen("p16.x=v16"));
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_diag_cap)
{
	char *v = many_results(40, "/2");
	char *w;
	dmarc_authres *ar = parse_valid(v, 0);
	size_t n = dmarc_authres_get_diag_count(ar);

	/* 31 warnings and the marker */
	ck_assert_uint_eq(n, 32);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_authres_get_diag(ar, 30)),
	    DMARC_DIAG_AR_METHOD_VERSION);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_authres_get_diag(ar, 31)),
	    DMARC_DIAG_TOO_MANY_DIAGS);
	dmarc_authres_free(ar);
	/* the error that decides the state is never dropped */
	w = malloc(strlen(v) + 3);
	ck_assert_ptr_nonnull(w);
	sprintf(w, "%s ]", v);
	ar = parse(w);
	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_SYNTAX);
	ck_assert_uint_eq(dmarc_authres_get_diag_count(ar), 33);
	check_last_diag(ar, DMARC_DIAG_AR_SYNTAX, strlen(v) + 1, 1);
	dmarc_authres_free(ar);
	free(w);
	free(v);
}
END_TEST

/* ---- allocation failure ---- */

#include "failing-alloc.h"

START_TEST(test_alloc_failure)
{
	static const char v[] = "mx.example.org; spf=pass "
	    "smtp.mailfrom=a@example.com; dkim=pass reason=\"ok\" "
	    "header.d=example.com";
	dmarc_ctx *actx;
	long k, made = -1;

	fail_at = -1;
	n_allocs = live = 0;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&actx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
	/* fail the k-th allocation of the parse, until none fails */
	for (k = 0; made < 0; k++) {
		dmarc_authres *ar = (dmarc_authres *)&ar;
		long base = live;
		dmarc_status st;

		n_allocs = 0;
		fail_at = k;
		st = dmarc_authres_parse(&ar, actx, v, strlen(v));
		fail_at = -1;
		if (st == DMARC_OK) {
			made = n_allocs;
			ck_assert_uint_eq(dmarc_authres_get_result_count(ar), 2);
			dmarc_authres_free(ar);
		} else {
			ck_assert_int_eq(st, DMARC_ENOMEM);
			ck_assert_ptr_null(ar);
		}
		ck_assert_int_eq(live, base);
	}
	/* one allocation per parsed object */
	ck_assert_int_eq(made, 1);
	dmarc_ctx_free(actx);
	ck_assert_int_eq(live, 0);
}
END_TEST

/* ---- NULL arguments ---- */

START_TEST(test_null_arguments)
{
	dmarc_authres *ar = (dmarc_authres *)&ar;

	ck_assert_int_eq(dmarc_authres_parse(NULL, ctx, "mx; none", 8),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_authres_parse(&ar, NULL, "mx; none", 8),
	    DMARC_EINVAL);
	ck_assert_ptr_null(ar);
	ar = (dmarc_authres *)&ar;
	ck_assert_int_eq(dmarc_authres_parse(&ar, ctx, NULL, 8), DMARC_EINVAL);
	ck_assert_ptr_null(ar);
	/* NULL with length 0 is the empty value: malformed */
	ck_assert_int_eq(dmarc_authres_parse(&ar, ctx, NULL, 0), DMARC_OK);
	ck_assert_int_eq(dmarc_authres_get_state(ar), DMARC_AUTHRES_SYNTAX);
	dmarc_authres_free(ar);

	dmarc_authres_free(NULL);
	ck_assert_int_eq(dmarc_authres_get_state(NULL), DMARC_AUTHRES_SYNTAX);
	ck_assert_ptr_null(dmarc_authres_get_authserv_id(NULL));
	ck_assert_uint_eq(dmarc_authres_get_result_count(NULL), 0);
	ck_assert_ptr_null(dmarc_authres_get_method(NULL, 0));
	ck_assert_ptr_null(dmarc_authres_get_result(NULL, 0));
	ck_assert_ptr_null(dmarc_authres_get_reason(NULL, 0));
	ck_assert_ptr_null(dmarc_authres_get_property(NULL, 0, "smtp",
	    "mailfrom"));
	ck_assert_uint_eq(dmarc_authres_get_diag_count(NULL), 0);
	ck_assert_ptr_null(dmarc_authres_get_diag(NULL, 0));

	ar = parse_valid("mx; spf=pass smtp.mailfrom=a", 1);
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, NULL, "mailfrom"));
	ck_assert_ptr_null(dmarc_authres_get_property(ar, 0, "smtp", NULL));
	ck_assert_ptr_null(dmarc_authres_get_result(ar, 1));
	ck_assert_ptr_null(dmarc_authres_get_reason(ar, 1));
	ck_assert_ptr_null(dmarc_authres_get_diag(ar, 0));
	dmarc_authres_free(ar);
}
END_TEST

START_TEST(test_diag_texts)
{
	dmarc_authres *ar = parse("mx; spf pass");
	const dmarc_diag *d = dmarc_authres_get_diag(ar, 0);

	ck_assert_ptr_null(dmarc_diag_get_tag(d));
	ck_assert_ptr_null(dmarc_diag_get_domain(d));
	ck_assert_ptr_nonnull(strstr(dmarc_diag_get_text(d),
	    "Authentication-Results"));
	dmarc_authres_free(ar);
}
END_TEST

/* An empty quoted authserv-id is well-formed: "" is its value, and only
 * a malformed field has none (NULL). */
START_TEST(test_empty_quoted_authserv_id)
{
	dmarc_authres *ar = parse_valid("\"\"; none", 0);

	ck_assert_ptr_nonnull(dmarc_authres_get_authserv_id(ar));
	ck_assert_str_eq(dmarc_authres_get_authserv_id(ar), "");
	dmarc_authres_free(ar);
}
END_TEST

static Suite *authres_suite(void)
{
	Suite *s = suite_create("authres");
	TCase *tc = tcase_create("vectors");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_H01);
	tcase_add_test(tc, test_H02);
	tcase_add_test(tc, test_H03);
	tcase_add_test(tc, test_H04);
	tcase_add_test(tc, test_H05);
	tcase_add_test(tc, test_H06);
	tcase_add_test(tc, test_H07);
	tcase_add_test(tc, test_H08);
	tcase_add_test(tc, test_H09);
	tcase_add_test(tc, test_H10);
	tcase_add_test(tc, test_H11);
	tcase_add_test(tc, test_H12);
	suite_add_tcase(s, tc);

	tc = tcase_create("grammar");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_quoted_authserv_id);
	tcase_add_test(tc, test_header_version);
	tcase_add_test(tc, test_method_version);
	tcase_add_test(tc, test_reason);
	tcase_add_test(tc, test_property_values);
	tcase_add_test(tc, test_keywords_lower_case);
	tcase_add_test(tc, test_unknown_methods);
	tcase_add_test(tc, test_none_forms);
	tcase_add_test(tc, test_cfws_everywhere);
	tcase_add_test(tc, test_folding);
	tcase_add_test(tc, test_empty_quoted_authserv_id);
	tcase_add_test(tc, test_trailing_semicolon);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_comment_depth);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_length_limit);
	tcase_add_test(tc, test_result_cap);
	tcase_add_test(tc, test_property_cap);
	tcase_add_test(tc, test_diag_cap);
	tcase_add_test(tc, test_alloc_failure);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_diag_texts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *s = authres_suite();

	return run_suite(s);
}
