/*
 * The From field parser (lib/from.c): digest section 3 and test vectors
 * F01-F10, OpenDMARC regression inputs (CVE-2019-16378, CVE-2021-34555,
 * issue 44), display-name tricks, comments, folding, obsolete routes,
 * groups, encoded words, EAI, the domain cap, error offsets and limits.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "from_int.h"

/* ---- helpers ---- */

static struct from_room room = { .r = { .cap = DMARC_FROM_MAX_DOMAINS,
	.domains = room.names } };
static struct from_result *const res = &room.r;
static size_t err_off;

static dmarc_status parse_max(const char *v, unsigned int max)
{
	err_off = (size_t)-1;
	return dmarc__from_parse(v, strlen(v), max, res, &err_off);
}

/* Assert v parses with n_mailboxes mailboxes and exactly the domains
 * given (a NULL-terminated list), in order, none left over. */
static void ok(const char *v, unsigned int mailboxes, ...)
{
	dmarc_status st = parse_max(v, DMARC_FROM_MAX_DOMAINS);
	unsigned int n = 0;
	const char *d;
	va_list ap;

	ck_assert_msg(st == DMARC_OK, "parse(\"%s\"): status %d, offset %zu",
	    v, (int)st, err_off);
	ck_assert_msg(err_off == 0, "parse(\"%s\"): offset %zu", v, err_off);
	ck_assert_msg(res->n_mailboxes == mailboxes,
	    "parse(\"%s\"): %u mailboxes, want %u", v, res->n_mailboxes,
	    mailboxes);
	va_start(ap, mailboxes);
	while ((d = va_arg(ap, const char *)) != NULL) {
		ck_assert_msg(n < res->n_domains, "parse(\"%s\"): %u domains, "
		    "want more", v, res->n_domains);
		ck_assert_str_eq(res->domains[n], d);
		n++;
	}
	va_end(ap);
	ck_assert_msg(res->n_domains == n, "parse(\"%s\"): %u domains, want %u",
	    v, res->n_domains, n);
	ck_assert(!res->more_domains);
}

/* Assert v of len bytes is refused at offset, leaving no result. */
static void bad_len(const char *v, size_t len, size_t offset)
{
	dmarc_status st;

	err_off = (size_t)-1;
	st = dmarc__from_parse(v, len, DMARC_FROM_MAX_DOMAINS, res, &err_off);
	ck_assert_msg(st == DMARC_EFROM, "parse(\"%.*s\"): status %d, want "
	    "DMARC_EFROM", (int)len, v, (int)st);
	ck_assert_msg(err_off == offset, "parse(\"%.*s\"): offset %zu, want "
	    "%zu", (int)len, v, err_off, offset);
	ck_assert(res->n_domains == 0 && res->n_mailboxes == 0 &&
	    !res->more_domains);
}

static void bad(const char *v, size_t offset)
{
	bad_len(v, strlen(v), offset);
}

/* ---- digest test vectors 10.4 (values after "From:") ---- */

START_TEST(test_f01_display_name)
{
	ok(" Alice <alice@Example.COM>", 1, "example.com", NULL);
}
END_TEST

START_TEST(test_f02_one_distinct_domain)
{
	ok(" a@example.com, b@EXAMPLE.com", 2, "example.com", NULL);
}
END_TEST

START_TEST(test_f03_two_domains)
{
	ok(" a@example.com, b@example.net", 2, "example.com", "example.net",
	    NULL);
}
END_TEST

/* F04: two From fields are the caller's to see; each value alone parses. */
START_TEST(test_f04_each_field_alone)
{
	ok(" a@example.com", 1, "example.com", NULL);
	ok(" b@example.net", 1, "example.net", NULL);
}
END_TEST

/* F05: no From field is the caller's; an empty value is malformed. */
START_TEST(test_f05_empty_value)
{
	bad("", 0);
	bad("   ", 3);
	bad(" (only a comment) ", 18);
	err_off = 7;
	ck_assert_int_eq(dmarc__from_parse(NULL, 0, 5, res, &err_off),
	    DMARC_EFROM);
	ck_assert_uint_eq(err_off, 0);
}
END_TEST

START_TEST(test_f06_empty_group)
{
	ok(" undisclosed-recipients:;", 1, NULL);
	ok("undisclosed-recipients: ; (c)", 1, NULL);
	ok("undisclosed-recipients:,;", 1, NULL);
}
END_TEST

START_TEST(test_f07_quoted_display_name)
{
	ok(" \"support@bank.example\" <x@evil.example>", 1, "evil.example",
	    NULL);
}
END_TEST

START_TEST(test_f08_domain_literal)
{
	ok(" user@[192.0.2.1]", 1, NULL);
	ok("<user@[IPv6:2001:db8::1]>", 1, NULL);
	ok("user@[192.0.2.1], b@example.com", 2, "example.com", NULL);
}
END_TEST

START_TEST(test_f09_eai_domain)
{
	ok(" u@b\xc3\xbc" "cher.example", 1, "xn--bcher-kva.example", NULL);
}
END_TEST

START_TEST(test_f10_no_at)
{
	ok(" user", 1, NULL);
	ok("<user>", 1, NULL);
	ok("first.last", 1, NULL);
}
END_TEST

/* ---- OpenDMARC regressions ---- */

/* CVE-2019-16378: every mailbox counts, not only the first. */
START_TEST(test_cve_2019_16378)
{
	const char *v = "Support <support@example.com>, "
	    "Support <support@thedomain.com>";

	ok(v, 2, "example.com", "thedomain.com", NULL);
	ck_assert_int_eq(parse_max(v, 1), DMARC_OK);
	ck_assert_uint_eq(res->n_domains, 1);
	ck_assert(res->more_domains);
}
END_TEST

/* CVE-2021-34555: degenerate multi-valued fields. */
START_TEST(test_cve_2021_34555)
{
	bad(",", 1);
	bad(", ,", 3);
	bad(" , , ", 5);
	bad("<>, <>", 1);
	bad("<>", 1);
	ok(",a@example.com", 1, "example.com", NULL);
	ok("a@example.com,", 1, "example.com", NULL);
	ok(", a@example.com, ,b@example.com ,", 2, "example.com", NULL);
	ok("a@x.com, , b@y.com", 2, "x.com", "y.com", NULL);
}
END_TEST

/* Issue 44: escaped quotes and a comma inside a quoted display name. */
START_TEST(test_issue_44_escaped_quotes)
{
	ok("\"\\\"AcmeCorp, Inc.\\\"\" <ordersender-prod@otheraddress."
	    "random.com>", 1, "otheraddress.random.com", NULL);
	ok("\"'X, Y' via Z\" <spam@googlegroups.com>", 1, "googlegroups.com",
	    NULL);
}
END_TEST

/* ---- display names ---- */

/* An unquoted '@' in a display name makes an addr-spec followed by
 * garbage: malformed, never bank.example. */
START_TEST(test_display_name_tricks)
{
	ok("\"a@bank.example\" <x@evil.example>", 1, "evil.example", NULL);
	bad("a@bank.example <x@evil.example>", 15);
	bad("Bank Support a@bank.example", 5);
	bad("x@evil.example <a@bank.example>", 15);
	ok("(a@bank.example) <x@evil.example>", 1, "evil.example", NULL);
	ok("John Q. Public <jqp@example.com>", 1, "example.com", NULL);
	ok("\"Joe Q. Public\" <john.q.public@example.com>", 1, "example.com",
	    NULL);
	ok("<x@example.com>", 1, "example.com", NULL);
	bad("John Doe", 5);
	bad("John Doe <>", 10);
}
END_TEST

START_TEST(test_encoded_words)
{
	ok("=?UTF-8?B?QWxpY2U=?= <a@example.com>", 1, "example.com", NULL);
	ok("=?iso-8859-1?q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", 1,
	    "vm1.ulg.ac.be", NULL);
	/* an encoded word is an atom: never decoded into an address */
	ok("=?UTF-8?B?YUBiYW5rLmV4YW1wbGU=?= <x@evil.example>", 1,
	    "evil.example", NULL);
}
END_TEST

START_TEST(test_utf8_display_names)
{
	ok("\"B\xc3\xbc" "cher GmbH\" <u@example.com>", 1, "example.com",
	    NULL);
	ok("B\xc3\xbc" "cher <u@b\xc3\xbc" "cher.example>", 1,
	    "xn--bcher-kva.example", NULL);
	ok("(\xc3\xa9t\xc3\xa9) u@example.com", 1, "example.com", NULL);
	ok("\xc3\xa9t\xc3\xa9@example.com", 1, "example.com", NULL);
}
END_TEST

/* ---- comments and folding ---- */

START_TEST(test_comments_everywhere)
{
	ok(" (c) u@Example.COM (c2)", 1, "example.com", NULL);
	ok("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
	    1, "silly.test", NULL);
	ok("Chris Jones <c@(Chris's host.)public.example>", 1,
	    "public.example", NULL);
	ok("u@example.com (c)", 1, "example.com", NULL);
	ok("u@example.net(.example.com)", 1, "example.net", NULL);
	ok("(a)<(b)u(c)@(d)example.com(e)>(f)", 1, "example.com", NULL);
	ok("u@example.com(\\(\\\\)", 1, "example.com", NULL);
}
END_TEST

START_TEST(test_nested_comments)
{
	char deep[80];
	size_t i;

	ok("((a(b)c)) u@example.com ((x) (y))", 1, "example.com", NULL);
	ok("(a \\( b) u@example.com", 1, "example.com", NULL);
	/* 32 levels are fine, 33 are an error at the 33rd '(' */
	for (i = 0; i < 32; i++) {
		deep[i] = '(';
		deep[32 + i] = ')';
	}
	memcpy(deep + 64, "u@example.com", 14);
	ok(deep, 1, "example.com", NULL);
	memmove(deep + 1, deep, strlen(deep) + 1);
	memmove(deep + 34, deep + 33, strlen(deep + 33) + 1);
	deep[33] = ')';
	bad(deep, 32);
}
END_TEST

START_TEST(test_folding)
{
	ok("Alice\r\n <alice@example.com>", 1, "example.com", NULL);
	ok("a@example.com,\r\n\tb@example.net", 2, "example.com",
	    "example.net", NULL);
	ok("\"Alice\r\n Smith\" <a@example.com>", 1, "example.com", NULL);
	ok("(a\r\n comment) a@example.com", 1, "example.com", NULL);
	/* a bare LF before WSP is taken as folding too */
	ok("Alice\n <alice@example.com>", 1, "example.com", NULL);
	bad("Alice\r\n<alice@example.com>", 5);
	bad("a@example.com\r\n", 13);
	bad("Alice\r <alice@example.com>", 5);
	bad("\"a\rb\" <a@example.com>", 2);
}
END_TEST

/* ---- addresses ---- */

START_TEST(test_obsolete_route)
{
	ok("<@relay.example,@r2.example:user@example.com>", 1, "example.com",
	    NULL);
	ok("Mary <@machine.tld:mary@example.net>", 1, "example.net", NULL);
	ok("<,@relay.example,,@r2.example:user@example.com>", 1,
	    "example.com", NULL);
	bad("<@relay.example>", 15);
	bad("<@relay.example user@example.com>", 16);
	bad("<@a.example@b.example:u@example.com>", 11);
	bad("<,:u@example.com>", 2);
}
END_TEST

START_TEST(test_local_parts)
{
	ok("\"a b\"@example.com", 1, "example.com", NULL);
	ok("\"a\\\"b\"@example.com", 1, "example.com", NULL);
	ok("a.\"b c\".d@example.com", 1, "example.com", NULL);
	ok("john..doe@example.com", 1, "example.com", NULL);
	ok("john.@example.com", 1, "example.com", NULL);
	ok("!#$%&'*+-/=?^_`{|}~@example.com", 1, "example.com", NULL);
	bad("\"a\"b@example.com", 3);
	bad("a b@example.com", 2);
	bad("@example.com", 0);
}
END_TEST

START_TEST(test_groups)
{
	ok("team: a@x.example, b@y.example;", 2, "x.example", "y.example",
	    NULL);
	ok("team: Al <a@x.example>, b@x.example; (c)", 2, "x.example", NULL);
	ok("team:a@x.example;, c@z.example", 2, "x.example", "z.example",
	    NULL);
	ok("a:;, b:;", 2, NULL);
	bad("team: a@x.example", 17);
	bad("team: a@x.example, inner: b@y.example;;", 24);
	bad(":;", 0);
	bad("team: a@x.example; b@y.example", 19);
	bad("a@x.example;", 11);
}
END_TEST

START_TEST(test_distinct_domains)
{
	ok("a@x.example, b@X.EXAMPLE., c@x.example", 3, "x.example", NULL);
	ok("a@b.example, a@a.example, a@b.example", 3, "b.example",
	    "a.example", NULL);
}
END_TEST

/* 10 distinct domains, 5 kept. */
START_TEST(test_cap)
{
	char v[400];
	size_t used = 0;
	int i;

	for (i = 0; i < 10; i++)
		used += (size_t)snprintf(v + used, sizeof v - used,
		    "%su@d%d.example", i ? ", " : "", i);
	ck_assert_int_eq(parse_max(v, 5), DMARC_OK);
	ck_assert_uint_eq(res->n_mailboxes, 10);
	ck_assert_uint_eq(res->n_domains, 5);
	ck_assert(res->more_domains);
	for (i = 0; i < 5; i++) {
		char want[16];
		snprintf(want, sizeof want, "d%d.example", i);
		ck_assert_str_eq(res->domains[i], want);
	}
	/* more than DMARC_FROM_MAX_DOMAINS asked: that many */
	ck_assert_int_eq(parse_max(v, 100), DMARC_OK);
	ck_assert_uint_eq(res->n_domains, DMARC_FROM_MAX_DOMAINS);
	ck_assert(res->more_domains);
	ck_assert_int_eq(parse_max(v, 0), DMARC_OK);
	ck_assert_uint_eq(res->n_domains, 0);
	ck_assert(res->more_domains);
	/* repeats of kept domains are not "more" */
	ck_assert_int_eq(parse_max("a@x.example, b@x.example", 1), DMARC_OK);
	ck_assert_uint_eq(res->n_domains, 1);
	ck_assert(!res->more_domains);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_unbalanced_angles)
{
	bad("user@example.net>", 16);
	bad("<user@example.net", 0);
	bad("Alice <user@example.net", 6);
	bad("<<a@example.com>>", 1);
	bad("<a@example.com>>", 15);
	bad("<a@example.com> <b@example.com>", 16);
	bad(">", 0);
}
END_TEST

START_TEST(test_unterminated)
{
	bad("\"abc <a@example.com>", 0);
	bad("(abc u@example.com", 0);
	bad("u@example.com (a (b)", 14);
	bad("u@[192.0.2.1", 2);
	bad("\"abc\\", 0);
	bad("u@[192.0.[2.1]", 9);
}
END_TEST

/* RFC 5322 4.4 obs-domain and obs-local-part: CFWS (white space,
 * folding, comments) between the atoms and dots; none of it is part of
 * the address. */
START_TEST(test_obs_domain)
{
	ok("alice@relaxed . example", 1, "relaxed.example", NULL);
	ok("alice@relaxed. example", 1, "relaxed.example", NULL);
	ok("alice@relaxed .example", 1, "relaxed.example", NULL);
	ok("alice@relaxed(c).example", 1, "relaxed.example", NULL);
	ok("alice@relaxed (c) . (d (nested)) example (e)", 1,
	    "relaxed.example", NULL);
	ok("alice@relaxed\r\n .example", 1, "relaxed.example", NULL);
	ok("alice@relaxed.\r\n\texample", 1, "relaxed.example", NULL);
	ok("alice@relaxed\n .example", 1, "relaxed.example", NULL);
	ok("alice@ Mail . Relaxed . EXAMPLE ", 1, "mail.relaxed.example",
	    NULL);
	ok("a@example.net(x).example.com", 1, "example.net.example.com", NULL);
	ok("a@example .com", 1, "example.com", NULL);
	ok("u@example.com. foo", 1, "example.com.foo", NULL);
	ok("Alice <alice @ relaxed . example>", 1, "relaxed.example", NULL);
	ok("<@route . example:alice@relaxed . example>", 1, "relaxed.example",
	    NULL);
	ok("team: a@x . example, b@y (c) . example;", 2, "x.example",
	    "y.example", NULL);
	ok("a@relaxed . example, b@relaxed.example", 2, "relaxed.example",
	    NULL);
	ok("u@b\xc3\xbc" "cher . example", 1, "xn--bcher-kva.example", NULL);
	/* obs-local-part: words and dots with CFWS between */
	ok("alice . smith (c) . \"x y\" @ relaxed . example", 1,
	    "relaxed.example", NULL);
	ok("a (c) @ (d) relaxed . example", 1, "relaxed.example", NULL);
	/* the labels must still make a name */
	bad("a@relaxed . . example", 2);
	bad("a@relaxed .(c). example", 2);
	bad("a@. relaxed.example", 2);
	bad("a@relaxed ex ample", 10);
	bad("a@relaxed . exa_mple", 2);
	bad("a@ (c) . example", 7);
}
END_TEST

START_TEST(test_bad_domains)
{
	bad("a@example.net(.example.com", 13);
	bad("a@", 2);
	bad("a@ ", 3);
	bad("a@>", 2);
	bad("<a@>", 3);
	bad("a@exa_mple.com", 2);
	bad("a@example..com", 2);
	bad("a@.example.com", 2);
	bad("a@example.com..", 2);
	bad("a@-example.com", 2);
	bad("a@b@example.com", 3);
	bad("a@\"example.com\"", 2);
	bad("a@x.example, b@", 15);
	/* a label over 63 octets */
	bad("a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".example", 2);
}
END_TEST

START_TEST(test_control_chars)
{
	bad("a@exam\x01ple.com", 6);
	bad_len("a@example.com\0", 14, 13);
	bad_len("Al\0ce <a@example.com>", 21, 2);
	bad("\"a\x7f\" <a@example.com>", 2);
	bad("(a\x1b) a@example.com", 2);
	bad("\"a\\\x01\" <a@example.com>", 3);
	bad("a@example.com\x7f", 13);
	bad("a@example.com)", 13);
	bad("a@example.com]", 13);
	bad("\\a@example.com", 0);
	ok("\"a\tb\" <a@example.com>", 1, "example.com", NULL);
}
END_TEST

START_TEST(test_trailing_garbage)
{
	bad("a@example.com b", 14);
	bad("a@example.com <b@example.com>", 14);
	bad("a@example.com:", 13);
	bad("a@example.com @", 14);
	bad("u@example.com. foo bar", 19);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_long_values)
{
	size_t n = 70000, i;
	char *v = malloc(n + 1);

	ck_assert_ptr_nonnull(v);
	/* a 65536-byte value is parsed; one byte more is refused */
	memcpy(v, "a@example.com (", 15);
	for (i = 15; i < 65535; i++)
		v[i] = 'x';
	v[65535] = ')';
	v[65536] = '\0';
	ok(v, 1, "example.com", NULL);
	memset(v + 15, 'x', n - 16);
	v[n - 1] = ')';
	v[n] = '\0';
	bad_len(v, n, 65536);
	bad_len(v, 65537, 65536);
	/* many mailboxes, one domain */
	for (i = 0; i + 15 <= 65530; i += 15)
		memcpy(v + i, "a@example.com, ", 15);
	v[i] = '\0';
	ok(v, (unsigned int)(i / 15), "example.com", NULL);
	free(v);
}
END_TEST

START_TEST(test_long_domain)
{
	char v[600];
	size_t i;

	/* three labels of 63 and one of 61: 253 octets, the most */
	memcpy(v, "a@", 2);
	for (i = 0; i < 252; i++)
		v[2 + i] = (i % 64 == 63) ? '.' : 'a';
	v[254] = 'b';
	v[255] = '\0';
	ck_assert_int_eq(parse_max(v, 1), DMARC_OK);
	ck_assert_uint_eq(strlen(res->domains[0]), 253);
	v[255] = 'c';
	v[256] = '\0';
	bad(v, 2);
}
END_TEST

START_TEST(test_arguments)
{
	size_t off = 9;

	ck_assert_int_eq(dmarc__from_parse("a@b.example", 11, 1, NULL, &off),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__from_parse(NULL, 1, 1, res, &off),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__from_parse("a@b.example", 11, 1, res, NULL),
	    DMARC_OK);
	ck_assert_int_eq(dmarc__from_parse("a@b.example>", 12, 1, res, NULL),
	    DMARC_EFROM);
	/* a length shorter than the string: only those bytes */
	ck_assert_int_eq(dmarc__from_parse("a@b.example>", 11, 1, res, &off),
	    DMARC_OK);
	ck_assert_str_eq(res->domains[0], "b.example");
}
END_TEST

static Suite *from_suite(void)
{
	Suite *s = suite_create("from");
	TCase *tc = tcase_create("vectors");

	tcase_add_test(tc, test_f01_display_name);
	tcase_add_test(tc, test_f02_one_distinct_domain);
	tcase_add_test(tc, test_f03_two_domains);
	tcase_add_test(tc, test_f04_each_field_alone);
	tcase_add_test(tc, test_f05_empty_value);
	tcase_add_test(tc, test_f06_empty_group);
	tcase_add_test(tc, test_f07_quoted_display_name);
	tcase_add_test(tc, test_f08_domain_literal);
	tcase_add_test(tc, test_f09_eai_domain);
	tcase_add_test(tc, test_f10_no_at);
	suite_add_tcase(s, tc);
	tc = tcase_create("opendmarc");
	tcase_add_test(tc, test_cve_2019_16378);
	tcase_add_test(tc, test_cve_2021_34555);
	tcase_add_test(tc, test_issue_44_escaped_quotes);
	suite_add_tcase(s, tc);
	tc = tcase_create("syntax");
	tcase_add_test(tc, test_display_name_tricks);
	tcase_add_test(tc, test_encoded_words);
	tcase_add_test(tc, test_utf8_display_names);
	tcase_add_test(tc, test_comments_everywhere);
	tcase_add_test(tc, test_nested_comments);
	tcase_add_test(tc, test_folding);
	tcase_add_test(tc, test_obsolete_route);
	tcase_add_test(tc, test_local_parts);
	tcase_add_test(tc, test_groups);
	tcase_add_test(tc, test_distinct_domains);
	tcase_add_test(tc, test_cap);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_unbalanced_angles);
	tcase_add_test(tc, test_unterminated);
	tcase_add_test(tc, test_obs_domain);
	tcase_add_test(tc, test_bad_domains);
	tcase_add_test(tc, test_control_chars);
	tcase_add_test(tc, test_trailing_garbage);
	tcase_add_test(tc, test_long_values);
	tcase_add_test(tc, test_long_domain);
	tcase_add_test(tc, test_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(from_suite());
}
