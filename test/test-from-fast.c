/*
 * The From field's fast path (lib/from_fast.c): which values it takes
 * and which it leaves to the general parser, and that the public parse
 * (fast path first) and the general parser alone give the same result
 * for each of them, for every number of domains kept.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include <check.h>

#include "check-main.h"
#include "from-compare.h"
#include "rfc5322.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The usual shapes: the fast path reads them, with the domain kept. */
static const struct { const char *value, *domain; } taken[] = {
	{ "user@example.com", "example.com" },
	{ "  user@example.com\t", "example.com" },
	{ "first.last@Mail.Example.COM", "mail.example.com" },
	{ "user@example.com.", "example.com" },
	{ "<user@example.com>", "example.com" },
	{ "Example <news@example.com>", "example.com" },
	{ "Example News  Desk\t<news@example.com>  ", "example.com" },
	{ "Example<news@example.com>", "example.com" },
	{ "\"Example, Inc.\" <news@example.com>", "example.com" },
	{ "\"\" <news@example.com>", "example.com" },
	{ "\"a\"\"b\" x <news@example.com>", "example.com" },
	{ "=?utf-8?q?Caf=C3=A9?= <cafe@example.fr>", "example.fr" },
	{ "Caf\xc3\xa9 <cafe@example.fr>", "example.fr" },
	{ "\"Caf\xc3\xa9 \xe2\x98\x95\" <cafe@example.fr>", "example.fr" },
	{ "a+tag!#$%&'*/=?^_`{|}~-@example.com", "example.com" },
	{ "user@b\xc3\xbc" "cher.example", "xn--bcher-kva.example" },
	{ "user@xn--bcher-kva.example", "xn--bcher-kva.example" },
	/* the plain domain taken whole up to the '>' or the value's end */
	{ "Name <user@example.com.>", "example.com" },
	{ "Name <user@example.com> \t ", "example.com" },
	{ "user@example.com. ", "example.com" },
	{ "<u@a>", "a" },
	{ "u@a", "a" },
	{ "Name <user@Example.com>", "example.com" },
	{ "Name <user@example.com\xc3\xa9>", "example.xn--com-dma" },
};

/* What the fast path leaves to the general parser: unusual shapes
 * (valid or not) and names that do not normalize. */
static const char *const declined[] = {
	"",
	"   ",
	"user",
	"<user>",
	"<>",
	"user@",
	"@example.com",
	"user@.example.com",
	"user@example..com",
	"user@-example.com",
	"user@exa_mple.com",
	"user@[192.0.2.1]",
	"a..b@example.com",
	".a@example.com",
	"a.@example.com",
	"\"john doe\"@example.com",
	"user@example.com (comment)",
	"(comment) user@example.com",
	"user@example(c).com",
	"user @ example.com",
	"Name < user@example.com >",
	"Name <user@example.com",
	"Name user@example.com>",
	"John Q. Public <john@example.com>",
	"\"Quoted \\\" pair\" <q@example.com>",
	"\"Unterminated <u@example.com>",
	"a@example.com, b@example.org",
	"a@example.com,",
	"Group: a@example.com;",
	"Group:;",
	"<@route.example:user@example.com>",
	"Name <user@example.com> trailing",
	"Name\r\n <user@example.com>",
	"Name\n <user@example.com>",
	"user@example.com\r\n",
	"Na\x01me <user@example.com>",
	"\"Na\x7fme\" <user@example.com>",
	"user@example.com>",
	"Name <user@example.com>>",
	"Name <user@exa>mple.com>",
	"Name <user@example.com>x",
	"Name <user@example.com",
	"Name <user@example.com.>.",
	"Name <user@>",
	"Name <user@",
	"<user@example.com> <b@example.org>",
	"user@example.com.. ",
	"user@example.com <",
	"Name <user@example.com\t>",
};

static void compare(const char *value, size_t len, unsigned int max)
{
	static struct from_room ra, rb;
	struct from_result *a, *b;
	size_t oa = 99, ob = 77;
	dmarc_status sa, sb;
	const char *what;

	memset(&ra, 0xa5, sizeof ra);
	memset(&rb, 0x5a, sizeof rb);
	a = dmarc__from_room(&ra);
	b = dmarc__from_room(&rb);
	sa = dmarc__from_parse(value, len, max, a, &oa);
	sb = dmarc__from_parse_general(value, len, max, b, &ob);
	what = from_results_differ(sa, oa, a, sb, ob, b);
	ck_assert_msg(what == NULL, "\"%s\" (max %u): %s differs", value, max,
	    what);
}

/* The domain scan reads atoms and dots with one class test: the table's
 * dot bit is '.' alone, and '.' is no atext. */
START_TEST(dot_class_is_the_dot_alone)
{
	unsigned int c;

	for (c = 0; c < 256; c++) {
		ck_assert_msg(((dmarc__ctype[c] & DMARC_CT_DOT) != 0) == (c == '.'),
		    "byte %u", c);
	}
	ck_assert(!rfc5322_is_atext('.'));
}
END_TEST

START_TEST(usual_values_take_the_fast_path)
{
	char names[1][DMARC_DOMAIN_SIZE];
	struct from_result r;
	size_t i;

	for (i = 0; i < COUNT(taken); i++) {
		memset(&r, 0, sizeof r);
		r.domains = names;
		r.cap = 1;
		ck_assert_msg(dmarc__from_parse_fast(taken[i].value,
		    strlen(taken[i].value), 1, &r), "\"%s\" declined",
		    taken[i].value);
		ck_assert_uint_eq(r.n_mailboxes, 1);
		ck_assert_uint_eq(r.n_domains, 1);
		ck_assert(!r.more_domains);
		ck_assert_str_eq(r.domains[0], taken[i].domain);
		ck_assert_uint_eq(r.domain_len[0], strlen(taken[i].domain));
	}
}
END_TEST

START_TEST(unusual_values_are_left_to_the_general_parser)
{
	char names[1][DMARC_DOMAIN_SIZE];
	struct from_result r;
	size_t i;

	for (i = 0; i < COUNT(declined); i++) {
		memset(&r, 0, sizeof r);
		r.domains = names;
		r.cap = 1;
		r.n_mailboxes = 42;
		ck_assert_msg(!dmarc__from_parse_fast(declined[i],
		    strlen(declined[i]), 8, &r), "\"%s\" taken", declined[i]);
		ck_assert_uint_eq(r.n_mailboxes, 42); /* untouched */
	}
}
END_TEST

START_TEST(no_domain_kept_is_left_to_the_general_parser)
{
	static char big[DMARC_FROM_FAST_MAX + 2];
	char names[1][DMARC_DOMAIN_SIZE];
	struct from_result r = { .domains = names, .cap = 1 };

	ck_assert(!dmarc__from_parse_fast("a@example.com", 13, 0, &r));
	/* past the fast path's length */
	memset(big, ' ', sizeof big);
	memcpy(big, "a@example.com", 13);
	ck_assert(!dmarc__from_parse_fast(big, sizeof big, 1, &r));
	ck_assert(dmarc__from_parse_fast(big, DMARC_FROM_FAST_MAX, 1, &r));
	compare(big, sizeof big, 1);
	compare(big, DMARC_FROM_FAST_MAX, 1);
}
END_TEST

START_TEST(both_parsers_agree)
{
	unsigned int max;
	size_t i;

	for (max = 0; max <= DMARC_FROM_MAX_DOMAINS; max++) {
		for (i = 0; i < COUNT(taken); i++)
			compare(taken[i].value, strlen(taken[i].value), max);
		for (i = 0; i < COUNT(declined); i++)
			compare(declined[i], strlen(declined[i]), max);
	}
}
END_TEST

/* Every prefix of the usual shapes: the fast path must decline or agree
 * wherever the value is cut. */
START_TEST(prefixes_agree)
{
	size_t i, n;

	for (i = 0; i < COUNT(taken); i++)
		for (n = 0; n <= strlen(taken[i].value); n++)
			compare(taken[i].value, n, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("from-fast");
	TCase *tc = tcase_create("fast path");

	tcase_add_test(tc, dot_class_is_the_dot_alone);
	tcase_add_test(tc, usual_values_take_the_fast_path);
	tcase_add_test(tc, unusual_values_are_left_to_the_general_parser);
	tcase_add_test(tc, no_domain_kept_is_left_to_the_general_parser);
	tcase_add_test(tc, both_parsers_agree);
	tcase_add_test(tc, prefixes_agree);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
