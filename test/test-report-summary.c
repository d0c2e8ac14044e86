/*
 * dmarc-report's summary (examples/report-summary.c), without a reader:
 * reports and rows given as values.  Checked: a report over several days
 * spread integer-exact with the remainder on the first days, the end
 * at 00:00:00 leaving that day, a reversed range on one day, a range over
 * SUMMARY_MAX_DAYS cut; the aligned DKIM/SPF split, dispositions,
 * reasons and sources; passes without alignment, relaxed (the test
 * Public Suffix List) and strict, SPF HELO results left out, more names
 * than the name cache keeps; reject not
 * enforced (sp= for a subdomain, a reason excuses it); rows of a dropped
 * report forgotten; duplicates skipped and counted.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "report-summary.h"

#define D1 1796083200u   /* 2026-12-01 00:00:00 UTC */
#define DAY 86400u

static dmarc_ctx *ctx;
static struct summary *s;

static void setup(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];

	snprintf(path, sizeof path, "%s/test/data/psl-test.dat",
	    top != NULL ? top : ".");
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl(ctx, path), DMARC_OK);
	ck_assert_ptr_nonnull(s = summary_new(ctx));
}

static void teardown(void)
{
	summary_free(s);
	dmarc_ctx_free(ctx);
}

static struct report_meta meta(const char *id, const char *domain,
    uint64_t begin, uint64_t end, const char *p)
{
	struct report_meta m;

	memset(&m, 0, sizeof m);
	m.org_name = "Receiver";
	m.report_id = id;
	m.policy_domain = domain;
	m.begin = begin;
	m.end = end;
	m.p = p;
	return m;
}

/* A row from header_from; dkim/spf are the policy_evaluated results. */
static void row(struct report_row *r, const char *ip, uint64_t count,
    const char *disp, const char *dkim, const char *spf, const char *from)
{
	row_clear(r);
	r->source_ip = ip;
	r->count = count;
	r->disposition = disp;
	r->dkim_aligned = dkim;
	r->spf_aligned = spf;
	r->header_from = from;
}

static void auth(struct text_list *domain, struct text_list *result,
    const char *d, const char *res)
{
	ck_assert_int_eq(list_push(domain, d), 0);
	ck_assert_int_eq(list_push(result, res), 0);
}

static const struct domain_stats *domain(const char *name)
{
	const struct strmap_entry *e = NULL;
	size_t i, n;
	struct strmap_entry **list = summary_domains(s, &n);

	for (i = 0; i < n; i++)
		if (strcmp(list[i]->key, name) == 0)
			e = list[i];
	free(list);
	ck_assert_ptr_nonnull(e);
	return e->p;
}

static const struct day_stats *day(const char *name, int64_t d)
{
	const struct domain_stats *dom = domain(name);
	const struct strmap_entry *e = strmap_find(&dom->days,
	    (const char *)&d, sizeof d);

	return e != NULL ? e->p : NULL;
}

static uint64_t counted(const struct strmap *m, const char *key)
{
	const struct strmap_entry *e = strmap_find(m, key, strlen(key));

	return e != NULL ? e->v[0] : 0;
}

START_TEST(test_spread)
{
	struct report_meta m = meta("r1", "example.com", D1, D1 + 3 * DAY - 1,
	    "none");
	struct report_row r;
	int64_t d0 = D1 / DAY;

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(summary_begin(s, &m), 0);
	row(&r, "192.0.2.1", 7, "none", "pass", "pass", "example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);
	row(&r, "192.0.2.2", 2, "none", "fail", "fail", "example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_commit(s), 0);
	/* 7 = 3 + 2 + 2 and 2 = 1 + 1 + 0: the remainder to the first days */
	ck_assert_uint_eq(day("example.com", d0)->total, 4);
	ck_assert_uint_eq(day("example.com", d0 + 1)->total, 3);
	ck_assert_uint_eq(day("example.com", d0 + 2)->total, 2);
	ck_assert_uint_eq(day("example.com", d0)->both, 3);
	ck_assert_uint_eq(day("example.com", d0)->neither, 1);
	ck_assert_uint_eq(counted(&day("example.com", d0 + 2)->sources,
	    "192.0.2.2"), 0);
	ck_assert_uint_eq(counted(&day("example.com", d0 + 1)->sources,
	    "192.0.2.2"), 1);
	ck_assert_ptr_null(day("example.com", d0 + 3));
	ck_assert_uint_eq(summary_reports(s), 1);
	row_free(&r);
}
END_TEST

START_TEST(test_day_edges)
{
	struct report_meta m;
	struct report_row r;
	struct day_stats all;
	int64_t d0 = D1 / DAY;
	size_t n;

	memset(&r, 0, sizeof r);
	/* ending at the next 00:00:00: one day */
	m = meta("a", "example.com", D1, D1 + DAY, "none");
	ck_assert_int_eq(summary_begin(s, &m), 0);
	row(&r, "192.0.2.1", 5, "none", "pass", "fail", "example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_commit(s), 0);
	ck_assert_uint_eq(day("example.com", d0)->dkim_only, 5);
	ck_assert_ptr_null(day("example.com", d0 + 1));
	/* end before begin: begin's day */
	m = meta("b", "example.com", D1 + DAY + 10, D1, "none");
	ck_assert_int_eq(summary_begin(s, &m), 0);
	row(&r, "192.0.2.1", 1, "none", "fail", "pass", "example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_commit(s), 0);
	ck_assert_uint_eq(day("example.com", d0 + 1)->spf_only, 1);
	/* ten years: cut to SUMMARY_MAX_DAYS days, still exact */
	m = meta("c", "example.org", D1, D1 + 3650 * (uint64_t)DAY, "none");
	ck_assert_int_eq(summary_begin(s, &m), 0);
	row(&r, "192.0.2.1", 1000, "none", "pass", "pass", "example.org");
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_commit(s), 0);
	ck_assert_uint_eq(domain("example.org")->days.used, SUMMARY_MAX_DAYS);
	ck_assert_uint_eq(day("example.org", d0)->total, 3);
	ck_assert_uint_eq(day("example.org", d0 + SUMMARY_MAX_DAYS - 1)->total,
	    2);
	memset(&all, 0, sizeof all);
	ck_assert_int_eq(summary_domain_total(domain("example.org"), &all), 0);
	ck_assert_uint_eq(all.total, 1000);
	ck_assert_uint_eq(all.both, 1000);
	day_stats_clear(&all);
	free(summary_days(domain("example.org"), &n));
	ck_assert_uint_eq(n, SUMMARY_MAX_DAYS);
	row_free(&r);
}
END_TEST

/* The entry of an identifier that passed unaligned (the key the
 * summary documents: kind, id, header_from, NUL between). */
static const struct strmap_entry *unaligned(const struct strmap *u,
    const char *kind, const char *id, const char *from)
{
	char key[256];
	int n = snprintf(key, sizeof key, "%s%c%s%c%s", kind, 0, id, 0, from);

	return strmap_find(u, key, (size_t)n);
}

START_TEST(test_unaligned)
{
	struct report_meta m = meta("r", "example.com", D1, D1 + DAY - 1,
	    "reject");
	const struct strmap_entry *e;
	const struct strmap *u;
	struct report_row r;
	int64_t d0 = D1 / DAY;

	memset(&r, 0, sizeof r);
	m.adkim = "r";
	m.aspf = "s";
	ck_assert_int_eq(summary_begin(s, &m), 0);
	/* relaxed DKIM: the parent of the From domain is aligned; an ESP's
	 * signature is not */
	row(&r, "192.0.2.1", 10, "none", "pass", "fail", "news.example.com");
	auth(&r.dkim_domain, &r.dkim_result, "example.com", "pass");
	auth(&r.dkim_domain, &r.dkim_result, "esp.example", "pass");
	auth(&r.dkim_domain, &r.dkim_result, "other.example", "fail");
	/* strict SPF: the parent is not aligned; a HELO result is no
	 * DMARC identifier */
	auth(&r.spf_domain, &r.spf_result, "example.com", "pass");
	auth(&r.spf_domain, &r.spf_result, "helo.example", "pass");
	ck_assert_int_eq(list_push(&r.spf_scope, "mfrom"), 0);
	ck_assert_int_eq(list_push(&r.spf_scope, "helo"), 0);
	ck_assert_int_eq(summary_row(s, &r), 0);
	/* failing DMARC, from a host under a public suffix rule (co.uk) */
	row(&r, "192.0.2.2", 3, "none", "fail", "fail", "example.com");
	auth(&r.dkim_domain, &r.dkim_result, "example.co.uk", "pass");
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_commit(s), 0);
	u = &day("example.com", d0)->unaligned;
	ck_assert_uint_eq(u->used, 3);
	e = unaligned(u, "dkim", "esp.example", "news.example.com");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->v[0], 10);
	ck_assert_uint_eq(e->v[1], 0);
	e = unaligned(u, "spf", "example.com", "news.example.com");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->v[0], 10);
	e = unaligned(u, "dkim", "example.co.uk", "example.com");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->v[0], 3);
	ck_assert_uint_eq(e->v[1], 3);
	/* 3 failing, p=reject, disposition none, no reason */
	ck_assert_uint_eq(day("example.com", d0)->reject_unenforced, 3);
	row_free(&r);
}
END_TEST

/* More names than the summary's cache keeps: the answers stay right
 * when it is emptied. */
START_TEST(test_many_names)
{
	struct report_meta m = meta("r", "example.com", D1, D1 + DAY - 1,
	    "none");
	static char names[5000][32];
	struct report_row r;
	size_t i;

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(summary_begin(s, &m), 0);
	row(&r, "192.0.2.1", 1, "none", "pass", "fail", "mail.example.com");
	for (i = 0; i < 5000; i++) {
		/* every tenth is a subdomain of example.com: aligned */
		snprintf(names[i], sizeof names[i], i % 10 == 0 ?
		    "s%zu.example.com" : "d%zu.example", i);
		auth(&r.dkim_domain, &r.dkim_result, names[i], "pass");
	}
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_commit(s), 0);
	ck_assert_uint_eq(day("example.com", D1 / DAY)->unaligned.used, 4500);
	ck_assert_ptr_nonnull(unaligned(&day("example.com", D1 / DAY)->unaligned,
	    "dkim", "d4999.example", "mail.example.com"));
	ck_assert_uint_eq(unaligned(&day("example.com", D1 / DAY)->unaligned,
	    "dkim", "d1.example", "mail.example.com")->v[0], 2);
	row_free(&r);
}
END_TEST

START_TEST(test_reject_unenforced)
{
	struct report_meta m = meta("r", "example.com", D1, D1 + DAY - 1,
	    "reject");
	struct report_row r;
	int64_t d0 = D1 / DAY;

	memset(&r, 0, sizeof r);
	m.sp = "none";
	ck_assert_int_eq(summary_begin(s, &m), 0);
	row(&r, "192.0.2.1", 2, "quarantine", "fail", "fail", "example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);       /* counted */
	row(&r, "192.0.2.1", 4, "reject", "fail", "fail", "example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);       /* enforced */
	row(&r, "192.0.2.1", 8, "none", "fail", "fail", "EXAMPLE.com");
	ck_assert_int_eq(list_push(&r.reason_type, "forwarded"), 0);
	ck_assert_int_eq(summary_row(s, &r), 0);       /* explained */
	row(&r, "192.0.2.1", 16, "none", "fail", "fail", "a.example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);       /* sp=none applies */
	row(&r, "192.0.2.1", 32, "none", "pass", "fail", "example.com");
	ck_assert_int_eq(summary_row(s, &r), 0);       /* passes */
	ck_assert_int_eq(summary_commit(s), 0);
	ck_assert_uint_eq(day("example.com", d0)->reject_unenforced, 2);
	ck_assert_uint_eq(day("example.com", d0)->total, 62);
	ck_assert_uint_eq(counted(&day("example.com", d0)->reasons,
	    "forwarded"), 8);
	ck_assert_uint_eq(counted(&day("example.com", d0)->dispositions,
	    "none"), 56);
	row_free(&r);
}
END_TEST

START_TEST(test_drop_and_duplicates)
{
	struct report_meta m = meta("r1", "example.com", D1, D1 + DAY - 1,
	    "none");
	struct report_row r;
	int64_t d0 = D1 / DAY;
	int i;

	memset(&r, 0, sizeof r);
	row(&r, "192.0.2.1", 5, "none", "pass", "pass", "example.com");
	/* a report that failed halfway adds nothing */
	ck_assert_int_eq(summary_begin(s, &m), 0);
	ck_assert_int_eq(summary_row(s, &r), 0);
	summary_drop(s);
	ck_assert_uint_eq(summary_reports(s), 0);
	/* then the same report whole, three times */
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(summary_begin(s, &m), 0);
		ck_assert_int_eq(summary_row(s, &r), 0);
		ck_assert_int_eq(summary_commit(s), i == 0 ? 0 : 1);
	}
	ck_assert_uint_eq(day("example.com", d0)->total, 5);
	ck_assert_uint_eq(summary_reports(s), 1);
	ck_assert_uint_eq(summary_duplicates(s), 2);
	ck_assert_uint_eq(domain("example.com")->skipped, 2);
	ck_assert_uint_eq(domain("example.com")->duplicates.used, 1);
	/* another report_id is another report */
	m.report_id = "r2";
	ck_assert_int_eq(summary_begin(s, &m), 0);
	ck_assert_int_eq(summary_row(s, &r), 0);
	ck_assert_int_eq(summary_commit(s), 0);
	ck_assert_uint_eq(day("example.com", d0)->total, 10);
	ck_assert_uint_eq(counted(&day("example.com", d0)->sources,
	    "192.0.2.1"), 10);
	row_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("report-summary");
	TCase *tc = tcase_create("summary");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_spread);
	tcase_add_test(tc, test_day_edges);
	tcase_add_test(tc, test_unaligned);
	tcase_add_test(tc, test_many_names);
	tcase_add_test(tc, test_reject_unenforced);
	tcase_add_test(tc, test_drop_and_duplicates);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return run_suite(suite());
}
