/*
 * Domain names: dmarc_domain_normalize (digest 3 step 4), the RFC 7489
 * Organizational Domain by the Public Suffix List (digest 2.1, 2.3, test
 * vectors O01-O17) with the small list test/data/psl-test.dat, the system
 * list, and the RFC 9091 PSD list.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

/* ---- helpers ---- */

/* Normalize a NUL-terminated name; out gets the result. */
static dmarc_status norm(char *out, const char *name)
{
	return dmarc_domain_normalize(name, strlen(name), out,
	    DMARC_DOMAIN_SIZE, NULL);
}

/* Assert that name normalizes to want. */
static void norm_ok(const char *name, const char *want)
{
	char out[DMARC_DOMAIN_SIZE];
	dmarc_status st = norm(out, name);
	char again[DMARC_DOMAIN_SIZE];

	ck_assert_msg(st == DMARC_OK, "normalize(\"%s\"): status %d (%s)",
	    name, (int)st, dmarc_strerror(st));
	ck_assert_str_eq(out, want);
	/* idempotent: the evaluation copies a name equal to one it has
	 * normalized instead of normalizing it again */
	ck_assert_int_eq(norm(again, out), DMARC_OK);
	ck_assert_str_eq(again, out);
}

/* Assert that name is refused with want, and out holds "". */
static void norm_fails(const char *name, size_t len, dmarc_status want)
{
	char out[DMARC_DOMAIN_SIZE];
	dmarc_status st;

	memset(out, 'x', sizeof out);
	st = dmarc_domain_normalize(name, len, out, sizeof out, NULL);
	ck_assert_msg(st == want, "normalize(\"%.*s\"): status %d, want %d",
	    (int)len, name, (int)st, (int)want);
	ck_assert_msg(out[0] == '\0', "normalize(\"%.*s\") failed but left "
	    "\"%.20s\" in out", (int)len, name, out);
}

static void norm_fails_str(const char *name, dmarc_status want)
{
	norm_fails(name, strlen(name), want);
}

/* A name of labels of the given lengths (made of 'a'...), for limits. */
static void make_name(char *buf, size_t size, const unsigned int *lens,
    size_t n)
{
	size_t i, used = 0;
	unsigned int j;

	for (i = 0; i < n; i++) {
		if (i != 0 && used + 1 < size)
			buf[used++] = '.';
		for (j = 0; j < lens[i] && used + 1 < size; j++)
			buf[used++] = (char)('a' + (char)(i % 26));
	}
	buf[used] = '\0';
}

/* ---- dmarc_domain_normalize ---- */

START_TEST(test_normalize_empty)
{
	norm_fails("", 0, DMARC_ENAME_EMPTY);
	norm_fails_str(".", DMARC_ENAME_EMPTY);
	norm_fails_str(".example.com", DMARC_ENAME_EMPTY);   /* O12 */
	norm_fails_str("a..example.com", DMARC_ENAME_EMPTY); /* O13 */
	norm_fails_str("example.com..", DMARC_ENAME_EMPTY);  /* one dot only */
	norm_fails_str("..", DMARC_ENAME_EMPTY);
}
END_TEST

START_TEST(test_normalize_label_length)
{
	char name[400];
	static const unsigned int l63[] = { 63, 7, 3 };
	static const unsigned int l64[] = { 64, 7, 3 };
	static const unsigned int l64_last[] = { 7, 64 };

	make_name(name, sizeof name, l63, 3);
	ck_assert_uint_eq(strlen(name), 75);
	norm_ok(name, name);
	make_name(name, sizeof name, l64, 3);
	norm_fails_str(name, DMARC_ENAME_LABEL);
	make_name(name, sizeof name, l64_last, 2);
	norm_fails_str(name, DMARC_ENAME_LABEL);
}
END_TEST

START_TEST(test_normalize_name_length)
{
	char name[400], dotted[400];
	static const unsigned int l253[] = { 63, 63, 63, 61 };
	static const unsigned int l254[] = { 63, 63, 63, 62 };

	make_name(name, sizeof name, l253, 4);
	ck_assert_uint_eq(strlen(name), 253);
	norm_ok(name, name);
	/* 253 plus the root dot: still fine */
	snprintf(dotted, sizeof dotted, "%s.", name);
	norm_ok(dotted, name);
	make_name(name, sizeof name, l254, 4);
	ck_assert_uint_eq(strlen(name), 254);
	norm_fails_str(name, DMARC_ENAME_LENGTH);
	snprintf(dotted, sizeof dotted, "%s.", name);
	norm_fails_str(dotted, DMARC_ENAME_LENGTH);
}
END_TEST

START_TEST(test_normalize_bad_chars)
{
	/* OpenDMARC CVE-2020-12272: refused, never cut at the '(' */
	norm_fails_str("example.net(.example.com", DMARC_ENAME_CHAR);
	norm_fails_str("exa mple.com", DMARC_ENAME_CHAR);
	norm_fails_str(" example.com", DMARC_ENAME_CHAR);
	norm_fails_str("example.com ", DMARC_ENAME_CHAR);
	norm_fails_str("_dmarc.example.com", DMARC_ENAME_CHAR);
	/* a host name label neither starts nor ends with a hyphen */
	norm_fails_str("-foo.example", DMARC_ENAME_CHAR);
	norm_fails_str("foo-.example", DMARC_ENAME_CHAR);
	norm_fails_str("foo.example-", DMARC_ENAME_CHAR);
	norm_fails_str("foo.-example", DMARC_ENAME_CHAR);
	norm_ok("a-b.ex--ample.com", "a-b.ex--ample.com");
	norm_fails_str("a_b.example.com", DMARC_ENAME_CHAR);
	norm_fails("exa\0mple.com", 12, DMARC_ENAME_CHAR);
	norm_fails("example.com\0", 12, DMARC_ENAME_CHAR);
	norm_fails_str("user@example.com", DMARC_ENAME_CHAR);
	norm_fails_str("example.com@", DMARC_ENAME_CHAR);
	norm_fails_str("[192.0.2.1]", DMARC_ENAME_CHAR);
	norm_fails_str("example.com;", DMARC_ENAME_CHAR);
	norm_fails_str("exa/mple.com", DMARC_ENAME_CHAR);
}
END_TEST

START_TEST(test_normalize_idna_errors)
{
	norm_fails_str("xn--zz.example", DMARC_ENAME_IDNA);
	norm_fails_str("XN--ZZ.example", DMARC_ENAME_IDNA);
	/* U+2603 SNOWMAN: DISALLOWED in IDNA2008 */
	norm_fails_str("\xe2\x98\x83.example", DMARC_ENAME_IDNA);
	/* U+2615 HOT BEVERAGE */
	norm_fails_str("mail.\xe2\x98\x95.example", DMARC_ENAME_IDNA);
}
END_TEST

/* The limits hold for the A-label form: a U-label whose A-label is over
 * 63 octets is a label too long, a name over 253 octets once converted
 * is a name too long (common.h: DMARC_ENAME_LABEL, DMARC_ENAME_LENGTH). */
START_TEST(test_normalize_idna_label_limit)
{
	char name[80];

	/* 60 'a' and u-umlaut: xn--<60 a>-3hg, 68 octets */
	memset(name, 'a', 60);
	memcpy(name + 60, "\xc3\xbc.example", 11);
	norm_fails_str(name, DMARC_ENAME_LABEL);
}
END_TEST

START_TEST(test_normalize_idna_name_limit)
{
	char name[600], want[300];
	size_t n = 0, w = 0;
	int i;

	/* four labels of 45 'a' and u-umlaut (53 octets as A-labels), one of
	 * 29 'a', and "example": exactly 253 octets */
	for (i = 0; i < 4; i++) {
		memset(name + n, 'a', 45);
		memcpy(name + n + 45, "\xc3\xbc.", 3);
		n += 48;
		memcpy(want + w, "xn--", 4);
		memset(want + w + 4, 'a', 45);
		memcpy(want + w + 49, "-jye.", 5);
		w += 54;
	}
	memset(name + n, 'a', 29);
	memcpy(name + n + 29, ".example", 9);
	memset(want + w, 'a', 29);
	memcpy(want + w + 29, ".example", 9);
	ck_assert_uint_eq(strlen(want), 253);
	norm_ok(name, want);
	/* one more octet: 254 */
	memmove(name + n + 1, name + n, 29 + 9);
	name[n] = 'a';
	norm_fails_str(name, DMARC_ENAME_LENGTH);
	/* five such labels: 277 octets */
	n = 0;
	for (i = 0; i < 5; i++) {
		memset(name + n, 'a', 45);
		memcpy(name + n + 45, "\xc3\xbc.", 3);
		n += 48;
	}
	memcpy(name + n, "example", 8);
	norm_fails_str(name, DMARC_ENAME_LENGTH);
}
END_TEST

START_TEST(test_normalize_trailing_dot_and_case)
{
	norm_ok("example.com", "example.com");
	norm_ok("example.com.", "example.com");
	norm_ok("Example.COM.", "example.com");
	norm_ok("WWW.Example.COM", "www.example.com");
	norm_ok("a-b.0-9.example", "a-b.0-9.example");
	norm_ok("com", "com");
	norm_ok("com.", "com");
}
END_TEST

START_TEST(test_normalize_idna)
{
	norm_ok("b\xc3\xbc" "cher.example", "xn--bcher-kva.example");
	norm_ok("B\xc3\x9c" "CHER.Example", "xn--bcher-kva.example");
	norm_ok("XN--BCHER-KVA.example", "xn--bcher-kva.example");
	/* IDNA2008, non-transitional: not fass.de (O17) */
	norm_ok("fa\xc3\x9f.de", "xn--fa-hia.de");
	/* www.食狮.中国 */
	norm_ok("www.\xe9\xa3\x9f\xe7\x8b\xae.\xe4\xb8\xad\xe5\x9b\xbd",
	    "www.xn--85x722f.xn--fiqs8s");
	/* mail.пример.рф */
	norm_ok("mail.\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80."
	    "\xd1\x80\xd1\x84", "mail.xn--e1afmkfd.xn--p1ai");
	norm_ok("mail.\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80."
	    "\xd1\x80\xd1\x84.", "mail.xn--e1afmkfd.xn--p1ai");
}
END_TEST

START_TEST(test_normalize_buffer)
{
	char out[DMARC_DOMAIN_SIZE];

	ck_assert_int_eq(dmarc_domain_normalize("example.com", 11, out, 11,
	    NULL),
	    DMARC_EBUFFER);
	ck_assert_int_eq(dmarc_domain_normalize("example.com", 11, out, 0,
	    NULL),
	    DMARC_EBUFFER);
	ck_assert_int_eq(dmarc_domain_normalize("example.com", 11, out, 12,
	    NULL),
	    DMARC_OK);
	ck_assert_str_eq(out, "example.com");
	/* the A-label is longer than the input */
	ck_assert_int_eq(dmarc_domain_normalize("b\xc3\xbc" "cher.example", 15,
	    out, 21, NULL), DMARC_EBUFFER);
	ck_assert_int_eq(dmarc_domain_normalize("b\xc3\xbc" "cher.example", 15,
	    out, 22, NULL), DMARC_OK);
	ck_assert_str_eq(out, "xn--bcher-kva.example");
}
END_TEST

/* Size 0 writes nothing, size 1 only the terminating NUL, whatever the
 * name (fast ASCII path, A-labels, U-labels, refused names). */
static void check_small_buffers(const char *name)
{
	char out[8];
	size_t size;

	for (size = 0; size < 2; size++) {
		memset(out, 'x', sizeof out);
		ck_assert_int_ne(dmarc_domain_normalize(name, strlen(name), out,
		    size, NULL), DMARC_OK);
		ck_assert_msg(out[0] == (size == 0 ? 'x' : '\0'),
		    "normalize(\"%s\", size %zu) wrote %02x", name, size,
		    (unsigned char)out[0]);
		ck_assert_msg(out[1] == 'x', "normalize(\"%s\", size %zu) "
		    "wrote past its buffer", name, size);
	}
}

START_TEST(test_normalize_tiny_buffer)
{
	check_small_buffers("example.com");
	check_small_buffers("EXAMPLE.COM.");
	check_small_buffers("xn--bcher-kva.example");
	check_small_buffers("b\xc3\xbc" "cher.example");
	check_small_buffers("a..b");
	check_small_buffers("exa mple.com");
	check_small_buffers("-a.example");
}
END_TEST

START_TEST(test_normalize_null)
{
	char out[DMARC_DOMAIN_SIZE];

	ck_assert_int_eq(dmarc_domain_normalize("example.com", 11, NULL,
	    sizeof out, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_domain_normalize(NULL, 5, out, sizeof out, NULL),
	    DMARC_EINVAL);
	ck_assert_int_ne(dmarc_domain_normalize(NULL, 0, out, sizeof out, NULL),
	    DMARC_OK);
}
END_TEST

/* ---- the Public Suffix List ---- */

static const char *psl_path(char *buf, size_t size)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, size, "%s/test/data/psl-test.dat",
	    top != NULL && top[0] != '\0' ? top : "..");
	return buf;
}

static dmarc_ctx *ctx_with_psl(void)
{
	dmarc_ctx *ctx;
	char path[4096];

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_msg(dmarc_ctx_load_psl(ctx, psl_path(path, sizeof path)) ==
	    DMARC_OK, "cannot load %s", path);
	return ctx;
}

static dmarc_ctx *ctx_with_psl_buffer(void)
{
	dmarc_ctx *ctx;
	char path[4096], *data;
	FILE *fp = fopen(psl_path(path, sizeof path), "rb");
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_gt(n, 0);
	rewind(fp);
	data = malloc((size_t)n);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, data, (size_t)n),
	    DMARC_OK);
	free(data);
	return ctx;
}

/* Assert the Organizational Domain of name: want NULL for none. */
static void org_is(const dmarc_ctx *ctx, const char *name, const char *want)
{
	char out[DMARC_DOMAIN_SIZE];
	size_t length = 99;
	dmarc_status st;

	st = dmarc_psl_org_domain(ctx, name, strlen(name), out, sizeof out,
	    &length);
	ck_assert_msg(st == DMARC_OK, "org(\"%s\"): status %d (%s)", name,
	    (int)st, dmarc_strerror(st));
	ck_assert_uint_eq(length, strlen(out));
	if (want == NULL) {
		ck_assert_msg(length == 0,
		    "org(\"%s\"): found \"%s\", want none",
		    name, out);
	} else {
		ck_assert_msg(length != 0, "org(\"%s\"): none, want \"%s\"",
		    name,
		    want);
		ck_assert_str_eq(out, want);
	}
}

static void org_fails(const dmarc_ctx *ctx, const char *name,
    dmarc_status want)
{
	char out[DMARC_DOMAIN_SIZE];
	size_t length = 99;
	dmarc_status st;

	st = dmarc_psl_org_domain(ctx, name, strlen(name), out, sizeof out,
	    &length);
	ck_assert_msg(st == want, "org(\"%s\"): status %d, want %d", name,
	    (int)st, (int)want);
	ck_assert_uint_eq(length, 0);
	ck_assert_str_eq(out, "");
}

/* Digest 2.3's table and O01-O17, full list (ICANN + PRIVATE): the rows
 * without a wildcard or exception rule. */
static void check_full_list(const dmarc_ctx *ctx)
{
	/* O01 */
	org_is(ctx, "mail.example.co.uk", "example.co.uk");
	/* O02 and the other public suffixes */
	org_is(ctx, "co.uk", NULL);
	org_is(ctx, "uk", NULL);
	org_is(ctx, "com", NULL);
	/* O09: the default rule */
	org_is(ctx, "a.b.example.example", "example.example");
	org_is(ctx, "example", NULL);
	/* O10, O11 */
	org_is(ctx, "WWW.Example.COM", "example.com");
	org_is(ctx, "example.com.", "example.com");
	/* O14: www.食狮.中国 */
	org_is(ctx, "www.\xe9\xa3\x9f\xe7\x8b\xae.\xe4\xb8\xad\xe5\x9b\xbd",
	    "xn--85x722f.xn--fiqs8s");
	org_is(ctx, "www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s");
	org_is(ctx, "\xe4\xb8\xad\xe5\x9b\xbd", NULL);
	/* O15: mail.пример.рф */
	org_is(ctx, "mail.\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80."
	    "\xd1\x80\xd1\x84", "xn--e1afmkfd.xn--p1ai");
	org_is(ctx, "xn--p1ai", NULL);
	/* O16 and blogspot: the PRIVATE section counts */
	org_is(ctx, "user.github.io", "user.github.io");
	org_is(ctx, "a.user.github.io", "user.github.io");
	org_is(ctx, "github.io", NULL);
	org_is(ctx, "x.blogspot.com", "x.blogspot.com");
	org_is(ctx, "blogspot.com", NULL);
	/* O17 */
	org_is(ctx, "fa\xc3\x9f.de", "xn--fa-hia.de");
	org_is(ctx, "mail.fa\xc3\x9f.de", "xn--fa-hia.de");
	/* O12, O13: invalid input, no result */
	org_fails(ctx, ".example.com", DMARC_ENAME_EMPTY);
	org_fails(ctx, "a..example.com", DMARC_ENAME_EMPTY);
	org_fails(ctx, "example.net(.example.com", DMARC_ENAME_CHAR);
	org_fails(ctx, "", DMARC_ENAME_EMPTY);
}

/* Digest 2.3's rows with wildcard and exception rules (O03-O08). */
static void check_wildcards(const dmarc_ctx *ctx)
{
	/* O03, O04 */
	org_is(ctx, "b.test.ck", "b.test.ck");
	org_is(ctx, "a.b.test.ck", "b.test.ck");
	org_is(ctx, "test.ck", NULL);
	org_is(ctx, "ck", NULL);
	/* O05 */
	org_is(ctx, "www.ck", "www.ck");
	org_is(ctx, "www.www.ck", "www.ck");
	org_is(ctx, "mail.www.ck", "www.ck");
	/* O06, O07 */
	org_is(ctx, "city.kawasaki.jp", "city.kawasaki.jp");
	org_is(ctx, "www.city.kawasaki.jp", "city.kawasaki.jp");
	org_is(ctx, "foo.kawasaki.jp", NULL);
	org_is(ctx, "a.foo.kawasaki.jp", "a.foo.kawasaki.jp");
	/* O08 */
	org_is(ctx, "b.a.example.sch.uk", "a.example.sch.uk");
	org_is(ctx, "example.sch.uk", NULL);
	/* wildcard only */
	org_is(ctx, "foo.bar.mm", "foo.bar.mm");
	org_is(ctx, "bar.mm", NULL);
	org_is(ctx, "mm", NULL);
	/* A wildcard's parent listed by no rule of its own: "*.kawasaki.jp"
	 * needs one more label, so "jp" prevails and the name is
	 * registrable (not a suffix, as libpsl would have it). */
	org_is(ctx, "kawasaki.jp", "kawasaki.jp");
	org_is(ctx, "sch.uk", "sch.uk");
	/* below it the wildcard and the exception still decide */
	org_is(ctx, "foo.kawasaki.jp", NULL);
	org_is(ctx, "city.kawasaki.jp", "city.kawasaki.jp");
	org_is(ctx, "example.sch.uk", NULL);
}

/* The wildcard rules written as the real list has them: no normal rule
 * for the wildcard's parent (no "ck" beside "*.ck"). */
static const char real_order_list[] =
	"// ===BEGIN ICANN DOMAINS===\n"
	"com\nuk\nco.uk\n*.sch.uk\n*.ck\n!www.ck\njp\n*.kawasaki.jp\n"
	"!city.kawasaki.jp\n*.mm\n"
	"// ===END ICANN DOMAINS===\n";

START_TEST(test_psl_file)
{
	dmarc_ctx *ctx = ctx_with_psl();

	ck_assert_int_eq(dmarc_ctx_get_psl_sections(ctx), DMARC_PSL_ALL);
	check_full_list(ctx);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_psl_file_wildcards)
{
	dmarc_ctx *ctx = ctx_with_psl();

	check_wildcards(ctx);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_psl_buffer)
{
	dmarc_ctx *ctx = ctx_with_psl_buffer();

	check_full_list(ctx);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_psl_buffer_wildcards)
{
	dmarc_ctx *ctx = ctx_with_psl_buffer();

	check_wildcards(ctx);
	dmarc_ctx_free(ctx);
}
END_TEST

/* The same rows with the rules as the real list writes them. */
START_TEST(test_psl_wildcards_real_order)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, real_order_list,
	    sizeof real_order_list - 1), DMARC_OK);
	check_wildcards(ctx);
	dmarc_ctx_free(ctx);
}
END_TEST

static void check_icann_only(dmarc_ctx *ctx)
{
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx, DMARC_PSL_ICANN_ONLY),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_get_psl_sections(ctx), DMARC_PSL_ICANN_ONLY);
	/* O16 */
	org_is(ctx, "user.github.io", "github.io");
	org_is(ctx, "github.io", "github.io");
	org_is(ctx, "x.blogspot.com", "blogspot.com");
	org_is(ctx, "a.x.blogspot.com", "blogspot.com");
	/* the ICANN rules are unchanged */
	org_is(ctx, "mail.example.co.uk", "example.co.uk");
	org_is(ctx, "co.uk", NULL);
	org_is(ctx, "mail.www.ck", "www.ck");
	org_is(ctx, "www.city.kawasaki.jp", "city.kawasaki.jp");
	org_is(ctx, "a.b.example.example", "example.example");
	org_is(ctx, "io", NULL);
	/* wildcard parents are registrable here too */
	org_is(ctx, "kawasaki.jp", "kawasaki.jp");
	org_is(ctx, "sch.uk", "sch.uk");
	org_is(ctx, "foo.kawasaki.jp", NULL);
	org_is(ctx, "ck", NULL);
	/* back to the whole list */
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx, DMARC_PSL_ALL),
	    DMARC_OK);
	org_is(ctx, "user.github.io", "user.github.io");
}

START_TEST(test_psl_icann_only)
{
	dmarc_ctx *ctx = ctx_with_psl();

	check_icann_only(ctx);
	dmarc_ctx_free(ctx);
	ctx = ctx_with_psl_buffer();
	check_icann_only(ctx);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_psl_sections_args)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(NULL, DMARC_PSL_ALL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx,
	    (dmarc_psl_sections)3), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx,
	    (dmarc_psl_sections)0), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_ctx_get_psl_sections(ctx), DMARC_PSL_ALL);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_psl_org_buffer_and_args)
{
	dmarc_ctx *ctx = ctx_with_psl();
	char out[DMARC_DOMAIN_SIZE];
	size_t length = 99;

	/* EBUFFER: buf "", *length the length needed */
	ck_assert_int_eq(dmarc_psl_org_domain(ctx, "mail.example.co.uk", 18,
	    out, 13, &length), DMARC_EBUFFER);
	ck_assert_uint_eq(length, 13);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(dmarc_psl_org_domain(ctx, "mail.example.co.uk", 18,
	    out, 14, &length), DMARC_OK);
	ck_assert_uint_eq(length, 13);
	ck_assert_str_eq(out, "example.co.uk");
	/* the length is optional */
	ck_assert_int_eq(dmarc_psl_org_domain(ctx, "a.example.com", 13,
	    out, sizeof out, NULL), DMARC_OK);
	ck_assert_str_eq(out, "example.com");
	ck_assert_int_eq(dmarc_psl_org_domain(NULL, "example.com", 11,
	    out, sizeof out, &length), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_psl_org_domain(ctx, "example.com", 11,
	    NULL, sizeof out, &length), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_psl_org_domain(ctx, NULL, 11, out, sizeof out,
	    &length), DMARC_EINVAL);
	dmarc_ctx_free(ctx);
}
END_TEST

/* The caller's buffer: size 0 untouched, size 1 only the NUL. */
START_TEST(test_psl_org_tiny_buffer)
{
	static const char *const names[] = { "mail.example.co.uk", "co.uk",
		"a..b" };
	dmarc_ctx *ctx = ctx_with_psl();
	char out[8];
	size_t i, size, length;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (size = 0; size < 2; size++) {
			memset(out, 'x', sizeof out);
			(void)dmarc_psl_org_domain(ctx, names[i],
			    strlen(names[i]),
			    out, size, &length);
			ck_assert_uint_eq(length, i == 0 ? 13 : 0);
			ck_assert_int_eq(out[0], size == 0 ? 'x' : '\0');
			ck_assert_int_eq(out[1], 'x');
		}
	}
	dmarc_ctx_free(ctx);
}
END_TEST

/* The real list, where it is installed: the reference rows for the
 * publicsuffix.org algorithm and the parents of wildcard rules, ICANN
 * ("kawasaki.jp", "nom.br", "bd") and PRIVATE ("customer-oci.com" with
 * "*.customer-oci.com" and "*.oci.customer-oci.com"). */
static void check_real_list(dmarc_ctx *ctx)
{
	org_is(ctx, "mail.example.co.uk", "example.co.uk");
	org_is(ctx, "co.uk", NULL);
	org_is(ctx, "test.ck", NULL);
	org_is(ctx, "a.b.test.ck", "b.test.ck");
	org_is(ctx, "mail.www.ck", "www.ck");
	org_is(ctx, "ck", NULL);
	org_is(ctx, "foo.kawasaki.jp", NULL);
	org_is(ctx, "www.city.kawasaki.jp", "city.kawasaki.jp");
	org_is(ctx, "kawasaki.jp", "kawasaki.jp");
	org_is(ctx, "b.a.example.sch.uk", "a.example.sch.uk");
	org_is(ctx, "sch.uk", "sch.uk");
	org_is(ctx, "foo.bar.mm", "foo.bar.mm");
	org_is(ctx, "bar.mm", NULL);
	org_is(ctx, "mm", NULL);
	org_is(ctx, "nom.br", "nom.br");
	org_is(ctx, "x.nom.br", NULL);
	org_is(ctx, "y.x.nom.br", "y.x.nom.br");
	org_is(ctx, "bd", NULL);
	org_is(ctx, "x.bd", NULL);
	org_is(ctx, "y.x.bd", "y.x.bd");
	org_is(ctx, "a.b.example.example", "example.example");
	org_is(ctx, "user.github.io", "user.github.io");
	org_is(ctx, "customer-oci.com", "customer-oci.com");
	org_is(ctx, "oci.customer-oci.com", NULL);
	org_is(ctx, "x.oci.customer-oci.com", NULL);
}

START_TEST(test_psl_real_list)
{
	static const char path[] = "/usr/share/publicsuffix/public_suffix_list.dat";
	FILE *fp = fopen(path, "r");
	dmarc_ctx *ctx;

	if (fp == NULL)
		return; /* the publicsuffix package is not installed */
	fclose(fp);
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl(ctx, path), DMARC_OK);
	check_real_list(ctx);
	dmarc_ctx_free(ctx);
	/* the system list (libpsl may read a compiled copy) */
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	check_real_list(ctx);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_psl_system)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl(ctx, NULL), DMARC_OK);
	org_is(ctx, "mail.example.co.uk", "example.co.uk");
	org_is(ctx, "co.uk", NULL);
	dmarc_ctx_free(ctx);
	/* without a load: the system list, on demand */
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	org_is(ctx, "mail.example.co.uk", "example.co.uk");
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_psl_missing_file)
{
	dmarc_ctx *ctx = ctx_with_psl();

	ck_assert_int_eq(dmarc_ctx_load_psl(ctx,
	    "/nonexistent/libdmarc-test/no-such-list.dat"), DMARC_ENOPSL);
	/* the list loaded before is still there */
	org_is(ctx, "user.github.io", "user.github.io");
	ck_assert_int_eq(dmarc_ctx_load_psl(NULL, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, NULL, 10),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(NULL, "com\n", 4),
	    DMARC_EINVAL);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_add_psd_args)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_add_psd(NULL, "bank"), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, ""), DMARC_ENAME_EMPTY);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "."), DMARC_ENAME_EMPTY);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "a..bank"),
	    DMARC_ENAME_EMPTY);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "ba nk"), DMARC_ENAME_CHAR);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "xn--zz"), DMARC_ENAME_IDNA);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "bank"), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "BANK."), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "co.uk"), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "\xd1\x80\xd1\x84"),
	    DMARC_OK);
	dmarc_ctx_free(ctx);
}
END_TEST

/* The host-name rules for an ASCII name without A-labels, written out
 * plainly: the reference for the normalizer's word-at-a-time path for
 * plain names.  Returns whether name (trailing dot stripped) is a host
 * name, with its lower-case form in out.  *skip when a label starts
 * with "xn--" (libidn2's to judge). */
static bool reference_ascii(const char *name, size_t len, char *out,
    bool *skip)
{
	size_t i, start = 0;

	*skip = false;
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i <= len; i++) {
		char c = i < len ? name[i] : '.';
		if (c == '.') {
			size_t n = i - start;
			if (n == 0 || n > 63 || name[start] == '-' ||
			    name[i - 1] == '-')
				return false;
			if (n >= 4 && (name[start] | 0x20) == 'x' &&
			    (name[start + 1] | 0x20) == 'n' &&
			    name[start + 2] == '-' && name[start + 3] == '-')
				*skip = true;
			start = i + 1;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	for (i = 0; i < len; i++)
		out[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20 :
		    name[i]);
	out[len] = '\0';
	return true;
}

/* One generated name of len bytes: mostly letters (one byte in 1 << sparse
 * from the alphabet of bytes that matter), so that long labels happen as
 * well as runs of dots and hyphens. */
static void generate(char *name, size_t len, uint32_t *x, unsigned int sparse)
{
	static const char alphabet[] = "aaaaz09-..-A_x\x80n/";
	size_t i;

	for (i = 0; i < len; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 17;
		*x ^= *x << 5;
		name[i] = (*x >> 8) % (1u << sparse) != 0 ? (char)('a' + *x % 26) :
		    alphabet[*x % (sizeof alphabet - 1)];
	}
	name[len] = '\0';
}

/* The normalizer against the plain rules on one name.  Check is called
 * only on a difference: each assertion costs it a message to the
 * runner, and these tests ask hundreds of thousands. */
static void against_reference(const char *name, size_t len)
{
	char want[300], got[DMARC_DOMAIN_SIZE];
	bool ok, skip;
	dmarc_status st;

	if (memchr(name, 0x80, len) != NULL) {
		/* a lone 0x80 is no UTF-8: never a name */
		if (dmarc_domain_normalize(name, len, got, sizeof got, NULL) ==
		    DMARC_OK)
			ck_abort_msg("\"%s\" (a lone 0x80) accepted", name);
		return;
	}
	ok = reference_ascii(name, len, want, &skip);
	if (skip)
		return;
	st = dmarc_domain_normalize(name, len, got, sizeof got, NULL);
	if ((st == DMARC_OK) != ok)
		ck_abort_msg("\"%s\": want %s", name, ok ? "ok" : "refused");
	if (ok && strcmp(got, want) != 0)
		ck_abort_msg("\"%s\": got \"%s\", want \"%s\"", name, got,
		    want);
}

/* 200,000 names of every length up to 90 from a few bytes that matter
 * (dots and hyphens at word edges, upper case, bytes no name has),
 * against the plain rules: the eight-bytes-a-step path must agree
 * wherever the dots and the bad bytes fall; then 60,000 of every length
 * up to 260 (labels over 63 bytes, names over 253) with one byte in two
 * or four from the alphabet (a dot or hyphen next to another, at either
 * end). */
START_TEST(test_normalize_plain_names_by_words)
{
	char name[300];
	uint32_t x = 12345;
	size_t round, len;

	for (round = 0; round < 200000; round++) {
		len = 1 + round % 90;
		generate(name, len, &x, 4);
		against_reference(name, len);
	}
	for (round = 0; round < 60000; round++) {
		len = 1 + round % 260;
		generate(name, len, &x, round % 3 == 0 ? 6 : 1 + round % 2);
		against_reference(name, len);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("domain");
	TCase *tn = tcase_create("normalize");
	TCase *tp = tcase_create("psl");

	tcase_add_test(tn, test_normalize_empty);
	tcase_add_test(tn, test_normalize_plain_names_by_words);
	tcase_add_test(tn, test_normalize_label_length);
	tcase_add_test(tn, test_normalize_name_length);
	tcase_add_test(tn, test_normalize_bad_chars);
	tcase_add_test(tn, test_normalize_idna_errors);
	tcase_add_test(tn, test_normalize_idna_label_limit);
	tcase_add_test(tn, test_normalize_idna_name_limit);
	tcase_add_test(tn, test_normalize_trailing_dot_and_case);
	tcase_add_test(tn, test_normalize_idna);
	tcase_add_test(tn, test_normalize_buffer);
	tcase_add_test(tn, test_normalize_tiny_buffer);
	tcase_add_test(tn, test_normalize_null);
	suite_add_tcase(s, tn);

	tcase_add_test(tp, test_psl_file);
	tcase_add_test(tp, test_psl_file_wildcards);
	tcase_add_test(tp, test_psl_buffer);
	tcase_add_test(tp, test_psl_buffer_wildcards);
	tcase_add_test(tp, test_psl_wildcards_real_order);
	tcase_add_test(tp, test_psl_icann_only);
	tcase_add_test(tp, test_psl_sections_args);
	tcase_add_test(tp, test_psl_org_buffer_and_args);
	tcase_add_test(tp, test_psl_org_tiny_buffer);
	tcase_add_test(tp, test_psl_system);
	tcase_add_test(tp, test_psl_real_list);
	tcase_add_test(tp, test_psl_missing_file);
	tcase_add_test(tp, test_add_psd_args);
	suite_add_tcase(s, tp);
	return run_suite(s);
}
