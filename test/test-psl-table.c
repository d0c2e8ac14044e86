/*
 * The Public Suffix List table (lib/psl_table.c) against the way the
 * library answered before it, libpsl corrected by lib/psl_wild.c (kept
 * as dmarc__psl_org_libpsl), in both views (all sections, ICANN only):
 * every rule of the system list with its children, grandchildren and
 * parent, names longer than libpsl looks at, top-level labels listed or
 * not; the same for a small list of awkward rules
 * (test/data/psl-tricky.dat).  Then what the table does on purpose
 * where libpsl reads the list otherwise, the limits, and allocation
 * failure at every allocation of a load.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "check-main.h"
#include "failing-alloc.h"
#include "psl_int.h"

static const char system_list[] =
    "/usr/share/publicsuffix/public_suffix_list.dat";

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s (Debian: publicsuffix)",
	    path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_gt(n, 0);
	rewind(fp);
	data = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

static const char *tricky_path(char *buf, size_t size)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, size, "%s/test/data/psl-tricky.dat",
	    top != NULL && top[0] != '\0' ? top : "..");
	return buf;
}

/* A context holding the list both ways: the table and libpsl's copy. */
static dmarc_ctx *ctx_both(const char *data, size_t len)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	dmarc__psl_keep_libpsl(ctx, true);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, data, len), DMARC_OK);
	ck_assert_ptr_nonnull(dmarc__psl_get_table(ctx));
	return ctx;
}

struct tally {
	unsigned long names, differ;
};

/* Both answers for one name in both views; a difference is counted and
 * the first ones printed. */
static void compare(dmarc_ctx *ctx, const char *raw, struct tally *t)
{
	static const dmarc_psl_sections views[2] = { DMARC_PSL_ALL,
	    DMARC_PSL_ICANN_ONLY };
	char name[DMARC_DOMAIN_SIZE];
	const char *table, *libpsl;
	size_t i;

	if (dmarc_domain_normalize(raw, strlen(raw), name, sizeof name,
	    NULL) != DMARC_OK)
		return;
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx, views[i]),
		    DMARC_OK);
		ck_assert_int_eq(dmarc__psl_org(ctx, name, &table), DMARC_OK);
		ck_assert_int_eq(dmarc__psl_org_libpsl(ctx, name, &libpsl),
		    DMARC_OK);
		t->names++;
		if (table == libpsl)
			continue;
		if (t->differ++ < 20)
			fprintf(stderr, "%s (%s): table %s, libpsl %s\n", name,
			    i == 0 ? "all" : "icann", table ? table : "-",
			    libpsl ? libpsl : "-");
	}
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx, DMARC_PSL_ALL),
	    DMARC_OK);
}

static void compare_prefixed(dmarc_ctx *ctx, const char *prefix,
    const char *base, size_t len, struct tally *t)
{
	char name[1200];

	snprintf(name, sizeof name, "%s%.*s", prefix, (int)len, base);
	compare(ctx, name, t);
}

/* Every rule of the list (read here plainly, line by line) as the names
 * around it: itself, a child, a grandchild, a name of twelve labels
 * ending in it, and its parent. */
static void compare_around_rules(dmarc_ctx *ctx, const char *data,
    size_t size, struct tally *t)
{
	const char *p = data, *end = data + size, *eol, *r, *dot;
	size_t len;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (eol - p < 1 || (p[0] == '/' && p[1] == '/'))
			continue;
		for (len = 0; p + len < eol && p[len] != ' ' &&
		    p[len] != '\t' && p[len] != '\r'; len++)
			;
		r = p;
		if (len > 0 && r[0] == '!') {
			r++;
			len--;
		} else if (len > 1 && r[0] == '*' && r[1] == '.') {
			r += 2;
			len -= 2;
		}
		compare_prefixed(ctx, "", r, len, t);
		compare_prefixed(ctx, "x.", r, len, t);
		compare_prefixed(ctx, "y.x.", r, len, t);
		compare_prefixed(ctx, "a.b.c.d.e.f.g.h.i.j.k.", r, len, t);
		if ((dot = memchr(r, '.', len)) != NULL)
			compare_prefixed(ctx, "", dot + 1,
			    len - (size_t)(dot + 1 - r), t);
	}
}

static const char *const unlisted[] = {
	"tld", "x.tld", "example", "mail.example", "a.b.example",
	"zz-no-such-tld", "q.zz-no-such-tld", "com", "x.com", "y.x.com",
	"a.b.c.d.e.f.g.h.i.j.example.com", "xn--p1ai", "x.xn--p1ai",
	"localhost", "x.co.uk", "co.uk", "a.b.kawasaki.jp", "kawasaki.jp",
};

START_TEST(test_system_list_against_libpsl)
{
	struct tally t = { 0, 0 };
	size_t len, i;
	char *data = read_all(system_list, &len);
	dmarc_ctx *ctx = ctx_both(data, len);
	struct psl_table_stats s;

	compare_around_rules(ctx, data, len, &t);
	for (i = 0; i < sizeof unlisted / sizeof unlisted[0]; i++)
		compare(ctx, unlisted[i], &t);
	dmarc__psl_table_stats(dmarc__psl_get_table(ctx), &s);
	fprintf(stderr, "system list: %lu answers compared, %lu differ; "
	    "table: %zu rules, %zu keys, %zu slots, longest probe %zu, "
	    "%zu bytes\n", t.names, t.differ, s.rules, s.keys, s.slots,
	    s.longest_probe, s.bytes);
	ck_assert_uint_gt(t.names, 80000);
	ck_assert_uint_eq(t.differ, 0);
	ck_assert_uint_gt(s.rules, 9000);
	ck_assert_uint_le(s.keys * 2, s.slots);
	ck_assert_uint_le(s.longest_probe, 64);
	dmarc_ctx_free(ctx);
	free(data);
}
END_TEST

START_TEST(test_tricky_list_against_libpsl)
{
	static const char *const names[] = {
		"keep.wild.tld", "a.keep.wild.tld", "wild.tld", "a.wild.tld",
		"b.a.wild.tld", "deep.co.tld", "x.deep.co.tld",
		"y.x.deep.co.tld", "w1.tld", "w2.w1.tld", "a.w2.w1.tld",
		"b.a.w2.w1.tld", "wt", "x.wt", "y.x.wt", "open.wt", "a.open.wt",
		"café.tld", "a.café.tld", "bücher.tld", "x.bücher.tld",
		"y.x.bücher.tld", "ausnahme.bücher.tld", "a.ausnahme.bücher.tld",
		"ελ.tld", "a.ελ.tld", "www.cloud.tld", "a.www.cloud.tld",
		"cloud.tld", "x.cloud.tld", "indented.tld", "a.indented.tld",
		"tabbed.tld", "a.tabbed.tld", "s3.eu.host.tld", "a.s3.eu.host.tld",
		"eu.host.tld", "x.eu.host.tld", "host.tld", "away.tld",
		"x.away.tld", "x.far.away.tld",
	};
	struct tally t = { 0, 0 };
	char path[4096];
	size_t len, i;
	char *data = read_all(tricky_path(path, sizeof path), &len);
	dmarc_ctx *ctx = ctx_both(data, len);

	compare_around_rules(ctx, data, len, &t);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		compare(ctx, names[i], &t);
	for (i = 0; i < sizeof unlisted / sizeof unlisted[0]; i++)
		compare(ctx, unlisted[i], &t);
	ck_assert_uint_gt(t.names, 200);
	ck_assert_uint_eq(t.differ, 0);
	dmarc_ctx_free(ctx);
	free(data);
}
END_TEST

/* The Organizational Domain by the table, "" for none. */
static void org_is(const dmarc_ctx *ctx, const char *name, const char *want)
{
	char out[DMARC_DOMAIN_SIZE];

	ck_assert_int_eq(dmarc_psl_org_domain(ctx, name, strlen(name), out,
	    sizeof out, NULL), DMARC_OK);
	ck_assert_msg(strcmp(out, want) == 0, "%s: got \"%s\", want \"%s\"",
	    name, out, want);
}

static dmarc_ctx *ctx_list(const char *list)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, list, strlen(list)),
	    DMARC_OK);
	ck_assert_ptr_nonnull(dmarc__psl_get_table(ctx));
	return ctx;
}

/* Where the table reads the list by its algorithm and libpsl does not:
 * rules normalized like names (libpsl compares the text as written), an
 * exception without a wildcard above it still prevails, and the rules
 * the table skips (documented in lib/psl_table.c). */
START_TEST(test_table_by_the_algorithm)
{
	dmarc_ctx *ctx = ctx_list(
	    "UP.TLD\n"             /* upper case: normalized */
	    "!a.b.tld\n"           /* an exception with no "*.b.tld" */
	    "dot.tld.\n"           /* trailing dot: skipped */
	    "x.*.tld\n"            /* not a host name: skipped */
	    "*\n"                  /* a bare star: skipped */
	    "!solo\n"              /* a one-label exception: skipped */
	    "!\n"                  /* nothing after the "!": skipped */
	    "*.wide.tld\n"
	    "!c.wide.tld\n"
	    "d.c.wide.tld\n");     /* below an exception */

	org_is(ctx, "up.tld", "");
	org_is(ctx, "x.Up.tld", "x.up.tld");
	org_is(ctx, "x.a.b.tld", "a.b.tld");
	org_is(ctx, "a.b.tld", "a.b.tld");
	org_is(ctx, "b.tld", "b.tld");
	org_is(ctx, "x.dot.tld", "dot.tld");
	org_is(ctx, "x.y.tld", "y.tld");
	org_is(ctx, "solo", "");
	org_is(ctx, "x.solo", "x.solo");
	/* exception rules prevail over the longer rule below them */
	org_is(ctx, "e.d.c.wide.tld", "c.wide.tld");
	org_is(ctx, "c.wide.tld", "c.wide.tld");
	org_is(ctx, "z.wide.tld", "");
	org_is(ctx, "y.z.wide.tld", "y.z.wide.tld");
	org_is(ctx, "wide.tld", "wide.tld");
	dmarc_ctx_free(ctx);
	/* a name both plain rule and wildcard parent: both count (libpsl
	 * keeps only the plain rule) */
	ctx = ctx_list("both.tld\n*.both.tld\n");
	org_is(ctx, "both.tld", "");
	org_is(ctx, "x.both.tld", "");
	org_is(ctx, "y.x.both.tld", "y.x.both.tld");
	dmarc_ctx_free(ctx);
}
END_TEST

/* A rule in one section only counts in its views; a name with rules in
 * both takes each view's. */
START_TEST(test_table_sections)
{
	dmarc_ctx *ctx = ctx_list(
	    "outside.tld\n" /* before any section: private */
	    "// ===BEGIN ICANN DOMAINS===\n"
	    "both.tld\n"
	    "// ===BEGIN PRIVATE DOMAINS=== (ignored: ICANN is open)\n"
	    "still.tld\n"
	    "// ===END ICANN DOMAINS===\n"
	    "// ===BEGIN PRIVATE DOMAINS===\n"
	    "*.both.tld\n"
	    "!k.both.tld\n"
	    "priv.tld\n"
	    "// ===END PRIVATE DOMAINS===\n");

	org_is(ctx, "a.outside.tld", "a.outside.tld");
	org_is(ctx, "a.still.tld", "a.still.tld");
	org_is(ctx, "b.a.both.tld", "b.a.both.tld");
	org_is(ctx, "k.both.tld", "k.both.tld");
	org_is(ctx, "a.priv.tld", "a.priv.tld");
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx, DMARC_PSL_ICANN_ONLY),
	    DMARC_OK);
	org_is(ctx, "a.outside.tld", "outside.tld");
	org_is(ctx, "a.still.tld", "a.still.tld");
	org_is(ctx, "b.a.both.tld", "a.both.tld");
	org_is(ctx, "k.both.tld", "k.both.tld");
	org_is(ctx, "a.priv.tld", "priv.tld");
	dmarc_ctx_free(ctx);
}
END_TEST

/* A private wildcard below an ICANN one: in the ICANN view the ICANN
 * wildcard still matches the private wildcard's parent (libpsl stops at
 * the private rule and calls cloud.wild.tld registrable). */
START_TEST(test_table_wildcard_below_other_section)
{
	dmarc_ctx *ctx = ctx_list(
	    "// ===BEGIN ICANN DOMAINS===\n"
	    "*.wild.tld\n"
	    "// ===END ICANN DOMAINS===\n"
	    "// ===BEGIN PRIVATE DOMAINS===\n"
	    "*.cloud.wild.tld\n"
	    "// ===END PRIVATE DOMAINS===\n");

	org_is(ctx, "cloud.wild.tld", "");
	org_is(ctx, "x.cloud.wild.tld", "");
	org_is(ctx, "a.x.cloud.wild.tld", "a.x.cloud.wild.tld");
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx, DMARC_PSL_ICANN_ONLY),
	    DMARC_OK);
	org_is(ctx, "cloud.wild.tld", "");
	org_is(ctx, "x.cloud.wild.tld", "x.cloud.wild.tld");
	org_is(ctx, "a.x.cloud.wild.tld", "x.cloud.wild.tld");
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_table_limits)
{
	size_t n = PSL_RULES_MAX + 1, i, len = 0;
	char *list = malloc(n * 12 + PSL_RULE_MAX + 8);
	dmarc_ctx *ctx;

	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	/* a rule one byte over the limit (a comment may be longer) */
	list[len++] = '/';
	list[len++] = '/';
	memset(list + len, 'a', PSL_RULE_MAX + 1);
	len += PSL_RULE_MAX + 1;
	list[len++] = '\n';
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, list, len), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, list + 2, len - 2),
	    DMARC_ENOPSL);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, list + 3, len - 3),
	    DMARC_OK);
	/* one rule too many, then as many as allowed */
	for (len = 0, i = 0; i < n; i++)
		len += (size_t)sprintf(list + len, "r%zu.tld\n", i);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, list, len),
	    DMARC_ENOPSL);
	/* the list loaded before is still the context's */
	org_is(ctx, "x.r7.tld", "r7.tld");
	len -= strlen("r524288.tld\n");
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, list, len), DMARC_OK);
	org_is(ctx, "x.r524287.tld", "x.r524287.tld");
	org_is(ctx, "x.r524288.tld", "r524288.tld");
	dmarc_ctx_free(ctx);
	free(list);
}
END_TEST

/* Every allocation of a load failed in turn: DMARC_ENOMEM and nothing
 * held, or the same answers as a load that did not fail. */
static void load_under_failures(const char *data, size_t len)
{
	static const char *const names[] = {
		"a.b.wild.tld", "keep.wild.tld", "x.deep.co.tld", "a.café.tld",
		"x.y.www.cloud.tld", "mail.example.co.uk", "x.city.kawasaki.jp",
		"kawasaki.jp", "a.b.unlisted",
	};
	char want[sizeof names / sizeof names[0]][DMARC_DOMAIN_SIZE];
	char out[DMARC_DOMAIN_SIZE];
	dmarc_ctx *ctx;
	size_t i;
	dmarc_status st;
	bool done = false;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, data, len), DMARC_OK);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		ck_assert_int_eq(dmarc_psl_org_domain(ctx, names[i],
		    strlen(names[i]), want[i], sizeof want[i], NULL),
		    DMARC_OK);
	dmarc_ctx_free(ctx);
	for (fail_at = 0; !done; fail_at++) {
		n_allocs = 0;
		live = 0;
		if (dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
		    failing_realloc, failing_free) != DMARC_OK)
			continue;
		st = dmarc_ctx_load_psl_buffer(ctx, data, len);
		done = n_allocs <= fail_at;
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "allocation %ld: %d", fail_at, (int)st);
		if (st == DMARC_OK)
			for (i = 0; i < sizeof names / sizeof names[0]; i++) {
				ck_assert_int_eq(dmarc_psl_org_domain(ctx,
				    names[i], strlen(names[i]), out,
				    sizeof out, NULL), DMARC_OK);
				ck_assert_str_eq(out, want[i]);
			}
		else
			ck_assert(!done);
		dmarc_ctx_free(ctx);
		ck_assert_int_eq(live, 0);
	}
	ck_assert_int_gt(fail_at, 5);
}

START_TEST(test_table_allocation_failure)
{
	char path[4096];
	size_t len;
	char *data = read_all(tricky_path(path, sizeof path), &len);

	load_under_failures(data, len);
	free(data);
	data = read_all(system_list, &len);
	load_under_failures(data, len);
	free(data);
}
END_TEST

/* The on-demand load of the system list under failures: DMARC_ENOMEM,
 * then the same answer once allocations succeed again. */
START_TEST(test_table_on_demand_failure)
{
	char out[DMARC_DOMAIN_SIZE];
	dmarc_ctx *ctx;
	dmarc_status st;
	bool done = false;
	long k;

	for (k = 0; !done; k++) {
		fail_at = k;
		n_allocs = 0;
		live = 0;
		if (dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
		    failing_realloc, failing_free) != DMARC_OK)
			continue;
		st = dmarc_psl_org_domain(ctx, "a.b.example.co.uk", 17, out,
		    sizeof out, NULL);
		done = n_allocs <= k;
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "allocation %ld: %d", k, (int)st);
		if (st == DMARC_ENOMEM) {
			ck_assert_str_eq(out, "");
			fail_at = -1; /* asked again, the load is tried again */
			ck_assert_int_eq(dmarc_psl_org_domain(ctx,
			    "a.b.example.co.uk", 17, out, sizeof out, NULL),
			    DMARC_OK);
		}
		ck_assert_str_eq(out, "example.co.uk");
		dmarc_ctx_free(ctx);
		ck_assert_int_eq(live, 0);
	}
	ck_assert_int_gt(k, 5);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("psl-table");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_system_list_against_libpsl);
	tcase_add_test(tc, test_tricky_list_against_libpsl);
	tcase_add_test(tc, test_table_by_the_algorithm);
	tcase_add_test(tc, test_table_sections);
	tcase_add_test(tc, test_table_wildcard_below_other_section);
	tcase_add_test(tc, test_table_limits);
	tcase_add_test(tc, test_table_allocation_failure);
	tcase_add_test(tc, test_table_on_demand_failure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
