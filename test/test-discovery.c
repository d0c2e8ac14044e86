/*
 * Policy discovery, the Organizational Domain and report destination
 * verification against the fake resolver of test/fake-dns.h: the digest's
 * vectors D01-D26 (10.2) and O18-O25 (10.3), choice A4 (11), the step
 * and synchronous drivers, the answer cache and allocation failures.
 *
 * The RFC 7489 modes use the small list test/data/psl-test.dat, found
 * through $top_srcdir (automake exports it to tests) or "..".
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "fake-dns.h"
#include "test-data.h"
#include <dmarc/dmarc.h>

/* ---- zone tables ---- */

#define TXT(name, text) { name, DMARC_RR_TXT, 0, text, 0 }
#define TXT_TTL(name, text, ttl) { name, DMARC_RR_TXT, 0, text, ttl }
#define RR(name, type) { name, type, 0, NULL, 0 }
#define FORCE(name, type, outcome) { name, type, outcome, NULL, 0 }
#define END { NULL, (dmarc_rrtype)0, 0, NULL, 0 }

/* One line of the expected query log. */
#define Q(name) "TXT _dmarc." name "\n"
#define QT(name) "TXT " name "\n"
#define QA(name) "A " name "\n"
#define QAAAA(name) "AAAA " name "\n"
#define QMX(name) "MX " name "\n"

static struct fake_zone Z;

/* "Any value": a field the test does not check. */
static const char ANY[] = "<any>";


/* A context in mode, with the test PSL, the PSD list psd (NULL: none)
 * and the fake resolver on Z. */
static dmarc_ctx *new_ctx(dmarc_mode mode, const char *psd)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_msg(dmarc_ctx_load_psl(ctx, psl_path()) == DMARC_OK,
	    "cannot load %s", psl_path());
	if (psd != NULL)
		ck_assert_int_eq(dmarc_ctx_add_psd(ctx, psd),
		    DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup, &Z), DMARC_OK);
	return ctx;
}

/* The diagnostics as text: one "name domain\n" line each. */
static const char *diag_text(const dmarc_discovery *d)
{
	static char buf[4096];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < dmarc_discovery_get_diag_count(d); i++) {
		const dmarc_diag *g = dmarc_discovery_get_diag(d, i);
		int k = snprintf(buf + used, sizeof buf - used, "%s %s\n",
		    dmarc_diag_get_name(g), dmarc_diag_get_domain(g) != NULL ?
		    dmarc_diag_get_domain(g) : "");
		if (k < 0 || (size_t)k >= sizeof buf - used)
			break;
		used += (size_t)k;
	}
	return buf;
}

static void expect_str(const char *label, const char *what, const char *got,
    const char *want)
{
	if (want == ANY)
		return;
	if (want == NULL)
		ck_assert_msg(got == NULL, "%s: %s is \"%s\", want NULL", label,
		    what, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "%s: %s is \"%s\", want \"%s\"", label, what,
		    got != NULL ? got : "(null)", want);
}

static void expect_queries(const char *label, const char *want)
{
	const char *got = fake_log_text(&Z);

	ck_assert_msg(strcmp(got, want) == 0, "%s: queries were\n%swant\n%s",
	    label, got, want);
}

enum { EX_UNTESTED = 0, EX_YES = 1, EX_NO = 2 };

struct expect {
	dmarc_discovery_result result;
	const char *queries;       /* exact log; NULL: not checked */
	const char *policy_domain; /* NULL: none; ANY: not checked */
	const char *org_domain;    /* NULL: none; ANY: not checked */
	dmarc_source source;
	dmarc_tag tag;             /* 0: none */
	dmarc_policy policy;
	int exists;                /* EX_* */
	const char *failed;        /* failed name, NULL for none */
	const char *diags;         /* diag_text(); NULL: none */
};

/* Run one discovery and check everything; drive 0 uses
 * dmarc_discovery_run, drive 1 the step API. */
static void check_one(const char *id, dmarc_mode mode, const char *psd,
    const char *author, const struct fake_rr *zone, const struct expect *e,
    int drive)
{
	char label[128];
	dmarc_ctx *ctx = new_ctx(mode, psd);
	dmarc_discovery *d;
	dmarc_status st;

	snprintf(label, sizeof label, "%s %s %s", id, mode_name(mode),
	    drive == 0 ? "run" : "step");
	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	st = dmarc_discovery_start(d, author, strlen(author));
	ck_assert_msg(st == DMARC_OK, "%s: start: %d", label, (int)st);
	if (drive == 0) {
		st = dmarc_discovery_run(d);
		ck_assert_msg(st == DMARC_OK, "%s: run: %d", label, (int)st);
	} else {
		fake_drive(&Z, d);
	}
	ck_assert_msg(dmarc_discovery_get_result(d) == e->result,
	    "%s: result %d, want %d", label, (int)dmarc_discovery_get_result(d),
	    (int)e->result);
	if (e->queries != NULL)
		expect_queries(label, e->queries);
	ck_assert_msg(dmarc_discovery_get_query_count(d) == Z.n_log,
	    "%s: query count %u, the resolver was asked %u", label,
	    dmarc_discovery_get_query_count(d), Z.n_log);
	expect_str(label, "policy domain", dmarc_discovery_get_policy_domain(d),
	    e->policy_domain);
	expect_str(label, "org domain", dmarc_discovery_get_org_domain(d),
	    e->org_domain);
	ck_assert_msg(dmarc_discovery_get_source(d) == e->source,
	    "%s: source %d, want %d", label, (int)dmarc_discovery_get_source(d),
	    (int)e->source);
	ck_assert_msg(dmarc_discovery_get_applied_tag(d) == e->tag,
	    "%s: applied tag %d, want %d", label,
	    (int)dmarc_discovery_get_applied_tag(d), (int)e->tag);
	ck_assert_msg(dmarc_discovery_get_policy(d) == e->policy,
	    "%s: policy %d, want %d", label, (int)dmarc_discovery_get_policy(d),
	    (int)e->policy);
	ck_assert_msg(dmarc_discovery_get_author_exists(d) ==
	    (e->exists == EX_YES ? 1 : e->exists == EX_NO ? 0 : -1),
	    "%s: author exists %d", label, dmarc_discovery_get_author_exists(d));
	expect_str(label, "failed name", dmarc_discovery_get_failed_name(d),
	    e->failed);
	ck_assert_msg(strcmp(diag_text(d), e->diags != NULL ? e->diags : "")
	    == 0, "%s: diagnostics\n%swant\n%s", label, diag_text(d),
	    e->diags != NULL ? e->diags : "");
	ck_assert_int_eq(dmarc_discovery_get_method(d),
	    mode == DMARC_MODE_RFC9989 ? DMARC_METHOD_TREEWALK : DMARC_METHOD_PSL);
	if (e->result == DMARC_DISCOVERY_FOUND ||
	    e->result == DMARC_DISCOVERY_PERMERROR)
		ck_assert_ptr_nonnull(dmarc_discovery_get_record(d));
	else if (e->result == DMARC_DISCOVERY_NONE)
		ck_assert_ptr_null(dmarc_discovery_get_record(d));
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}

static void check_discovery(const char *id, dmarc_mode mode, const char *psd,
    const char *author, const struct fake_rr *zone, const struct expect *e)
{
	check_one(id, mode, psd, author, zone, e, 0);
	check_one(id, mode, psd, author, zone, e, 1);
}

#define BIS DMARC_MODE_RFC9989
#define R7489 DMARC_MODE_RFC7489
#define R9091 DMARC_MODE_RFC7489_PSD
#define FOUND DMARC_DISCOVERY_FOUND
#define NONE DMARC_DISCOVERY_NONE
#define TEMPERROR DMARC_DISCOVERY_TEMPERROR
#define PERMERROR DMARC_DISCOVERY_PERMERROR

/* ---- 10.2 policy discovery ---- */

START_TEST(test_D01)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=spf1 -all"),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};

	check_discovery("D01", BIS, NULL, "example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_REJECT });
	check_discovery("D01", R7489, NULL, "example.com", zone,
	    &(struct expect){ .result = FOUND, .queries = Q("example.com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_REJECT });
}
END_TEST

static const struct fake_rr zone_d02[] = {
	TXT("_dmarc.mail.example.com", "v=DMARC1; p=none"),
	TXT("_dmarc.mail.example.com", "v=DMARC1; p=quarantine"),
	TXT("_dmarc.example.com", "v=DMARC1; p=quarantine; sp=reject"),
	END
};

START_TEST(test_D02)
{
	check_discovery("D02", R7489, NULL, "mail.example.com", zone_d02,
	    &(struct expect){ .result = NONE,
	    .queries = Q("mail.example.com"),
	    .policy_domain = NULL, .org_domain = "example.com",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .diags = "multiple-records _dmarc.mail.example.com\n" });
}
END_TEST

START_TEST(test_D03)
{
	check_discovery("D03", BIS, NULL, "mail.example.com", zone_d02,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("mail.example.com") Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_REJECT,
	    .diags = "multiple-records _dmarc.mail.example.com\n" });
}
END_TEST

START_TEST(test_D04)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"),
		END
	};

	check_discovery("D04", BIS, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("mail.example.com") Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE });
	check_discovery("D04", R7489, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("mail.example.com") Q("example.com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE });
}
END_TEST

START_TEST(test_D05)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=none; sp=reject"),
		END
	};

	check_discovery("D05", BIS, NULL, "example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_NONE });
	check_discovery("D05", R7489, NULL, "example.com", zone,
	    &(struct expect){ .result = FOUND, .queries = Q("example.com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_NONE });
}
END_TEST

START_TEST(test_D06)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.mail.example.com", "v=DMARC1; p=none; sp=reject"),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};

	/* bis: the walk goes on for the Organizational Domain (2.5 step 1) */
	check_discovery("D06", BIS, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("mail.example.com") Q("example.com") Q("com"),
	    .policy_domain = "mail.example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_NONE });
	check_discovery("D06", R7489, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("mail.example.com"),
	    .policy_domain = "mail.example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_NONE });
}
END_TEST

static const struct fake_rr zone_d07[] = {
	TXT("_dmarc.mail.example.com", "v=DMARC1; p=none; sp=none"),
	TXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"),
	END
};

START_TEST(test_D07)
{
	check_discovery("D07", BIS, NULL, "a.mail.example.com", zone_d07,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("a.mail.example.com") Q("mail.example.com")
	    Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE });
}
END_TEST

START_TEST(test_D08)
{
	check_discovery("D08", R7489, NULL, "a.mail.example.com", zone_d07,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("a.mail.example.com") Q("example.com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE });
}
END_TEST

static const struct fake_rr zone_d09[] = {
	TXT("_dmarc.mail.example.com", "v=DMARC1; p=none; sp=none; psd=n"),
	TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
	END
};

START_TEST(test_D09)
{
	check_discovery("D09", BIS, NULL, "a.mail.example.com", zone_d09,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("a.mail.example.com") Q("mail.example.com"),
	    .policy_domain = "mail.example.com",
	    .org_domain = "mail.example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_NONE });
}
END_TEST

START_TEST(test_D10)
{
	check_discovery("D10", R7489, NULL, "a.mail.example.com", zone_d09,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("a.mail.example.com") Q("example.com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_REJECT });
}
END_TEST

START_TEST(test_D11)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.com", "v=DMARC1; p=reject; sp=quarantine; psd=y"),
		END
	};

	/* no np in the record: no existence test is needed */
	check_discovery("D11", BIS, NULL, "a.mail.example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("a.mail.example.com") Q("mail.example.com")
	    Q("example.com") Q("com"),
	    .policy_domain = "com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE });
}
END_TEST

START_TEST(test_D12)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.giant.bank.example", "v=DMARC1; p=quarantine"),
		TXT("_dmarc.bank.example", "v=DMARC1; p=reject; psd=y"),
		END
	};

	check_discovery("D12", BIS, NULL, "giant.bank.example", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("giant.bank.example") Q("bank.example"),
	    .policy_domain = "giant.bank.example",
	    .org_domain = "giant.bank.example",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_QUARANTINE });
}
END_TEST

START_TEST(test_D13)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};

	check_discovery("D13", BIS, NULL,
	    "a.b.c.d.e.f.g.h.i.j.mail.example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("a.b.c.d.e.f.g.h.i.j.mail.example.com")
	    Q("g.h.i.j.mail.example.com") Q("h.i.j.mail.example.com")
	    Q("i.j.mail.example.com") Q("j.mail.example.com")
	    Q("mail.example.com") Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_REJECT });
}
END_TEST

START_TEST(test_D14)
{
	static const struct fake_rr zone[] = { END };

	check_discovery("D14", BIS, NULL, "a.b.c.d.e.f.example.com", zone,
	    &(struct expect){ .result = NONE,
	    .queries = Q("a.b.c.d.e.f.example.com") Q("b.c.d.e.f.example.com")
	    Q("c.d.e.f.example.com") Q("d.e.f.example.com")
	    Q("e.f.example.com") Q("f.example.com") Q("example.com")
	    Q("com"),
	    .policy_domain = NULL, .org_domain = "a.b.c.d.e.f.example.com",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
}
END_TEST

START_TEST(test_D15)
{
	static const struct fake_rr zone[] = { END };

	check_discovery("D15", BIS, NULL, "a.b.c.d.e.f.g.h.example", zone,
	    &(struct expect){ .result = NONE,
	    .queries = Q("a.b.c.d.e.f.g.h.example") Q("c.d.e.f.g.h.example")
	    Q("d.e.f.g.h.example") Q("e.f.g.h.example") Q("f.g.h.example")
	    Q("g.h.example") Q("h.example") Q("example"),
	    .policy_domain = NULL, .org_domain = "a.b.c.d.e.f.g.h.example",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
}
END_TEST

START_TEST(test_D16)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.b.c.d.e.f.g.example.com",
		    "v=DMARC1; p=reject; psd=n"),
		TXT("_dmarc.example.com", "v=DMARC1; p=none"),
		END
	};

	check_discovery("D16", BIS, NULL, "mail.a.b.c.d.e.f.g.example.com",
	    zone, &(struct expect){ .result = FOUND,
	    .queries = Q("mail.a.b.c.d.e.f.g.example.com")
	    Q("c.d.e.f.g.example.com") Q("d.e.f.g.example.com")
	    Q("e.f.g.example.com") Q("f.g.example.com") Q("g.example.com")
	    Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_NONE });
}
END_TEST

START_TEST(test_D17)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank",
		    "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y"),
		RR("foo.bank", DMARC_RR_A),
		END
	};

	/* the record has np: one existence query (2.6) */
	check_discovery("D17", BIS, NULL, "foo.bank", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("foo.bank") Q("bank") QA("foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE, .exists = EX_YES });
}
END_TEST

START_TEST(test_D18)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank",
		    "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y"),
		END
	};
	/* bis: NODATA means the name exists (RFC 8020) */
	static const struct fake_rr zone_nodata[] = {
		TXT("_dmarc.bank",
		    "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y"),
		FORCE("foo.bank", DMARC_RR_A, DMARC_DNS_NODATA),
		END
	};

	check_discovery("D18", BIS, NULL, "foo.bank", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("foo.bank") Q("bank") QA("foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_NP,
	    .policy = DMARC_POLICY_REJECT, .exists = EX_NO });
	check_discovery("D18 nodata", BIS, NULL, "foo.bank", zone_nodata,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("foo.bank") Q("bank") QA("foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE, .exists = EX_YES });
}
END_TEST

START_TEST(test_D19)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; sp=quarantine; np=reject"),
		RR("www.foo.bank", DMARC_RR_A),
		END
	};
	static const struct fake_rr zone_nx[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; sp=quarantine; np=reject"),
		END
	};
	/* RFC 9091: NODATA for all of A, AAAA and MX is non-existent too */
	static const struct fake_rr zone_nodata[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; sp=quarantine; np=reject"),
		TXT("www.foo.bank", "not an address"),
		END
	};
	static const struct fake_rr zone_mx[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; sp=quarantine; np=reject"),
		RR("www.foo.bank", DMARC_RR_MX),
		END
	};
	/* an error answer says nothing about the name: temperror */
	static const struct fake_rr zone_fail[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; sp=quarantine; np=reject"),
		{ "www.foo.bank", DMARC_RR_A, DMARC_DNS_PERMFAIL, NULL, 0 },
		END
	};

	check_discovery("D19", R9091, "bank", "www.foo.bank", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("www.foo.bank") Q("foo.bank") Q("bank")
	    QA("www.foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE, .exists = EX_YES });
	check_discovery("D19 permfail", R9091, "bank", "www.foo.bank", zone_fail,
	    &(struct expect){ .result = TEMPERROR,
	    .queries = Q("www.foo.bank") Q("foo.bank") Q("bank")
	    QA("www.foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED, .failed = "www.foo.bank",
	    .diags = "dns-permfail www.foo.bank\n" });
	/* NXDOMAIN for A means no type exists there: no need to ask more */
	check_discovery("D19 nxdomain", R9091, "bank", "www.foo.bank", zone_nx,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("www.foo.bank") Q("foo.bank") Q("bank")
	    QA("www.foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_NP,
	    .policy = DMARC_POLICY_REJECT, .exists = EX_NO });
	check_discovery("D19 nodata", R9091, "bank", "www.foo.bank",
	    zone_nodata, &(struct expect){ .result = FOUND,
	    .queries = Q("www.foo.bank") Q("foo.bank") Q("bank")
	    QA("www.foo.bank") QAAAA("www.foo.bank") QMX("www.foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_NP,
	    .policy = DMARC_POLICY_REJECT, .exists = EX_NO });
	check_discovery("D19 mx", R9091, "bank", "www.foo.bank", zone_mx,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("www.foo.bank") Q("foo.bank") Q("bank")
	    QA("www.foo.bank") QAAAA("www.foo.bank") QMX("www.foo.bank"),
	    .policy_domain = "bank", .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE, .exists = EX_YES });
}
END_TEST

START_TEST(test_D20)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; sp=quarantine; np=reject"),
		RR("www.foo.bank", DMARC_RR_A),
		END
	};

	check_discovery("D20", R9091, NULL, "www.foo.bank", zone,
	    &(struct expect){ .result = NONE,
	    .queries = Q("www.foo.bank") Q("foo.bank"),
	    .policy_domain = NULL, .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
	/* another PSD on the list does not help */
	check_discovery("D20 other", R9091, "example", "www.foo.bank", zone,
	    &(struct expect){ .result = NONE,
	    .queries = Q("www.foo.bank") Q("foo.bank"),
	    .policy_domain = NULL, .org_domain = "foo.bank",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
}
END_TEST

START_TEST(test_D21)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.mail.example.com", DMARC_RR_TXT,
		    DMARC_DNS_TEMPFAIL),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};

	check_discovery("D21", BIS, NULL, "x.mail.example.com", zone,
	    &(struct expect){ .result = TEMPERROR,
	    .queries = Q("x.mail.example.com") Q("mail.example.com"),
	    .policy_domain = NULL, .org_domain = NULL,
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .failed = "_dmarc.mail.example.com",
	    .diags = "dns-tempfail _dmarc.mail.example.com\n" });
}
END_TEST

START_TEST(test_D22)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.example.org", DMARC_RR_TXT, DMARC_DNS_NXDOMAIN),
		FORCE("_dmarc.org", DMARC_RR_TXT, DMARC_DNS_NXDOMAIN),
		END
	};

	check_discovery("D22", BIS, NULL, "example.org", zone,
	    &(struct expect){ .result = NONE,
	    .queries = Q("example.org") Q("org"),
	    .policy_domain = NULL, .org_domain = "example.org",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
	check_discovery("D22", R7489, NULL, "example.org", zone,
	    &(struct expect){ .result = NONE, .queries = Q("example.org"),
	    .policy_domain = NULL, .org_domain = "example.org",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
}
END_TEST

START_TEST(test_D23)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; psd=y"),
		END
	};

	check_discovery("D23", BIS, NULL, "bank", zone,
	    &(struct expect){ .result = FOUND, .queries = Q("bank"),
	    .policy_domain = "bank", .org_domain = "bank",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_REJECT });
}
END_TEST

START_TEST(test_D24)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};
	dmarc_ctx *ctx;
	dmarc_discovery *d;

	check_discovery("D24", BIS, NULL, "Example.COM.", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("example.com") Q("com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_REJECT });
	check_discovery("D24", R7489, NULL, "Example.COM.", zone,
	    &(struct expect){ .result = FOUND, .queries = Q("example.com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_REJECT });
	ctx = new_ctx(BIS, NULL);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, "Example.COM.", 12),
	    DMARC_OK);
	ck_assert_str_eq(dmarc_discovery_get_domain(d), "example.com");
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_D25)
{
	static const struct fake_rr zone[] = { END };

	check_discovery("D25", BIS, NULL, "b\xc3\xbc" "cher.example", zone,
	    &(struct expect){ .result = NONE,
	    .queries = Q("xn--bcher-kva.example") Q("example"),
	    .policy_domain = NULL, .org_domain = "xn--bcher-kva.example",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
	check_discovery("D25", R7489, NULL, "b\xc3\xbc" "cher.example", zone,
	    &(struct expect){ .result = NONE,
	    .queries = Q("xn--bcher-kva.example"),
	    .policy_domain = NULL, .org_domain = "xn--bcher-kva.example",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
}
END_TEST

START_TEST(test_D26)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.mail.example.com", "v=DMARC1; p=bogus"),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};

	/* bis: the vector gives no query list (the walk may go on for the
	 * Organizational Domain); the record at example.com is not used */
	check_discovery("D26", BIS, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = PERMERROR, .queries = NULL,
	    .policy_domain = "mail.example.com", .org_domain = ANY,
	    .source = DMARC_SOURCE_AUTHOR, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .diags = "invalid-record mail.example.com\n" });
	check_discovery("D26", R7489, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = PERMERROR,
	    .queries = Q("mail.example.com"),
	    .policy_domain = "mail.example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_AUTHOR, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .diags = "invalid-record mail.example.com\n" });
}
END_TEST

/* ---- 10.3 Organizational Domain by the tree walk ---- */

/* An Organizational Domain lookup (dmarc_discovery_start_org) in mode. */
static void check_org(const char *id, dmarc_mode mode, const char *name,
    const struct fake_rr *zone, const char *queries, const char *org,
    const char *diags)
{
	char label[128];
	dmarc_ctx *ctx = new_ctx(mode, NULL);
	dmarc_discovery *d;
	int drive;

	for (drive = 0; drive < 2; drive++) {
		snprintf(label, sizeof label, "%s %s org %s", id,
		    mode_name(mode), drive == 0 ? "run" : "step");
		fake_zone_init(&Z, zone);
		ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_start_org(d, name, strlen(name)),
		    DMARC_OK);
		if (drive == 0)
			ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		else
			fake_drive(&Z, d);
		expect_queries(label, queries);
		ck_assert_uint_eq(dmarc_discovery_get_query_count(d), Z.n_log);
		expect_str(label, "org domain", dmarc_discovery_get_org_domain(d),
		    org);
		ck_assert_int_ne(dmarc_discovery_get_result(d),
		    DMARC_DISCOVERY_PENDING);
		ck_assert_ptr_null(dmarc_discovery_get_record(d));
		ck_assert_ptr_null(dmarc_discovery_get_policy_domain(d));
		ck_assert_int_eq(dmarc_discovery_get_method(d),
		    mode == BIS ? DMARC_METHOD_TREEWALK : DMARC_METHOD_PSL);
		ck_assert_msg(strcmp(diag_text(d), diags) == 0,
		    "%s: diagnostics\n%swant\n%s", label, diag_text(d), diags);
		dmarc_discovery_free(d);
	}
	dmarc_ctx_free(ctx);
}

START_TEST(test_O18)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.mail.example.com", "v=DMARC1; p=none"),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};

	check_org("O18", BIS, "a.mail.example.com", zone,
	    Q("a.mail.example.com") Q("mail.example.com") Q("example.com")
	    Q("com"), "example.com", "");
}
END_TEST

START_TEST(test_O19)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.mail.example.com", "v=DMARC1; p=none; psd=n"),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};

	check_org("O19", BIS, "a.mail.example.com", zone,
	    Q("a.mail.example.com") Q("mail.example.com"), "mail.example.com",
	    "");
}
END_TEST

START_TEST(test_O20)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.com", "v=DMARC1; p=reject; psd=y"),
		END
	};

	/* example.com was queried: no org-not-queried diagnostic */
	check_org("O20", BIS, "a.mail.example.com", zone,
	    Q("a.mail.example.com") Q("mail.example.com") Q("example.com")
	    Q("com"), "example.com", "");
}
END_TEST

START_TEST(test_O21)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank.example", "v=DMARC1; p=reject; psd=y"),
		END
	};

	check_org("O21", BIS, "mail.mega.bank.example", zone,
	    Q("mail.mega.bank.example") Q("mega.bank.example")
	    Q("bank.example"), "mega.bank.example", "");
}
END_TEST

START_TEST(test_O22)
{
	static const struct fake_rr zone[] = { END };

	check_org("O22", BIS, "example.net", zone, Q("example.net") Q("net"),
	    "example.net", "");
}
END_TEST

START_TEST(test_O23)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.signing.example.com", "v=DMARC1; p=reject"),
		TXT("_dmarc.example.com", "v=DMARC1; p=none"),
		END
	};

	check_org("O23", BIS, "signing.example.com", zone,
	    Q("signing.example.com") Q("example.com") Q("com"), "example.com",
	    "");
}
END_TEST

START_TEST(test_O24)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; psd=y"),
		END
	};

	check_org("O24", BIS, "bank", zone, Q("bank"), "bank", "");
}
END_TEST

START_TEST(test_O25)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.blogspot.com", "v=DMARC1; p=none"),
		END
	};

	check_org("O25", BIS, "alice.blogspot.com", zone,
	    Q("alice.blogspot.com") Q("blogspot.com") Q("com"), "blogspot.com",
	    "");
	/* contrast: RFC 7489 with the full PSL asks nothing */
	check_org("O25", R7489, "alice.blogspot.com", zone, "",
	    "alice.blogspot.com", "");
}
END_TEST

/* ---- choice A4: the Organizational Domain skipped by the walk ---- */

/* 10 labels; psd=y at the 7-label ancestor a.b.c.d.e.example.com, so the
 * Organizational Domain is x3.a.b.c.d.e.example.com, never queried. */
#define A4_AUTHOR "x1.x2.x3.a.b.c.d.e.example.com"
#define A4_OD "x3.a.b.c.d.e.example.com"
#define A4_PSD "a.b.c.d.e.example.com"

static const struct fake_rr zone_a4[] = {
	TXT("_dmarc." A4_PSD, "v=DMARC1; p=reject; sp=quarantine; psd=y"),
	/* invisible to the walk */
	TXT("_dmarc." A4_OD, "v=DMARC1; p=none"),
	END
};

START_TEST(test_A4_policy)
{
	check_discovery("A4", BIS, NULL, A4_AUTHOR, zone_a4,
	    &(struct expect){ .result = FOUND,
	    .queries = Q(A4_AUTHOR) Q(A4_PSD),
	    .policy_domain = A4_PSD, .org_domain = A4_OD,
	    .source = DMARC_SOURCE_PSD, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE,
	    .diags = "org-not-queried " A4_OD "\n" });
}
END_TEST

START_TEST(test_A4_org)
{
	check_org("A4", BIS, A4_AUTHOR, zone_a4, Q(A4_AUTHOR) Q(A4_PSD), A4_OD,
	    "org-not-queried " A4_OD "\n");
}
END_TEST

/* ---- the walk never asks more than 8 questions ---- */

START_TEST(test_walk_at_most_8)
{
	static const struct fake_rr zone[] = { END };
	char name[DMARC_DOMAIN_SIZE], want[64];
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d;
	unsigned int k, i, n, org;

	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	for (k = 1; k <= 20; k++) {
		size_t used = 0;
		for (i = 0; i < k; i++)
			used += (size_t)snprintf(name + used, sizeof name - used,
			    "%sl%u", i == 0 ? "" : ".", i + 1);
		n = k < 8 ? k : 8;
		for (org = 0; org < 2; org++) {
			fake_zone_init(&Z, zone);
			ck_assert_int_eq(org ? dmarc_discovery_start_org(d, name,
			    used) : dmarc_discovery_start(d, name, used), DMARC_OK);
			ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
			ck_assert_msg(Z.n_log == n, "%u labels: %u questions, want %u",
			    k, Z.n_log, n);
			ck_assert_uint_eq(fake_count(&Z, DMARC_RR_TXT), n);
			ck_assert_uint_eq(fake_count_name(&Z, "_dmarc."), n);
			ck_assert_uint_eq(dmarc_discovery_get_query_count(d), n);
			/* first the name itself, last the top-level domain */
			ck_assert_str_eq(Z.log[0].name + 7, name);
			snprintf(want, sizeof want, "_dmarc.l%u", k);
			ck_assert_str_eq(Z.log[n - 1].name, want);
		}
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* RFC 7489: at most 2 queries (plus the RFC 9091 PSD query and the
 * existence test). */
START_TEST(test_psl_at_most_2)
{
	static const struct fake_rr zone[] = { END };
	static const char *const names[] = { "com", "example.com",
		"mail.example.com", "a.b.c.d.e.f.g.h.i.j.example.com",
		"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.example.co.uk" };
	dmarc_ctx *ctx = new_ctx(R7489, NULL);
	dmarc_discovery *d;
	size_t i;

	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		fake_zone_init(&Z, zone);
		ck_assert_int_eq(dmarc_discovery_start(d, names[i],
		    strlen(names[i])), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		ck_assert_uint_le(Z.n_log, 2);
		ck_assert_int_eq(dmarc_discovery_get_result(d), NONE);
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- drivers ---- */

START_TEST(test_step_api)
{
	const char *qname, *first;
	dmarc_rrtype qtype;
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d;
	char saved[FAKE_QNAME_SIZE];
	int i;

	fake_zone_init(&Z, zone_d02);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	/* nothing started */
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, &qtype),
	    DMARC_STEP_DONE);
	ck_assert_ptr_null(dmarc_discovery_get_answer(d));
	ck_assert_int_eq(dmarc_discovery_get_result(d), DMARC_DISCOVERY_PENDING);
	ck_assert_int_eq(dmarc_discovery_step(NULL, &qname, &qtype),
	    DMARC_STEP_DONE);
	ck_assert_ptr_null(dmarc_discovery_get_answer(NULL));

	ck_assert_int_eq(dmarc_discovery_start(d, "mail.example.com", 16),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d), DMARC_DISCOVERY_PENDING);
	ck_assert_int_eq(dmarc_discovery_step(d, &first, &qtype),
	    DMARC_STEP_QUERY);
	ck_assert_str_eq(first, "_dmarc.mail.example.com");
	ck_assert_int_eq(qtype, DMARC_RR_TXT);
	ck_assert_ptr_nonnull(dmarc_discovery_get_answer(d));
	snprintf(saved, sizeof saved, "%s", first);
	/* unanswered: asked again, and counted once */
	for (i = 0; i < 3; i++) {
		qname = NULL;
		qtype = (dmarc_rrtype)0;
		ck_assert_int_eq(dmarc_discovery_step(d, &qname, &qtype),
		    DMARC_STEP_QUERY);
		ck_assert_str_eq(qname, saved);
		ck_assert_int_eq(qtype, DMARC_RR_TXT);
		ck_assert_int_eq(dmarc_discovery_get_result(d),
		    DMARC_DISCOVERY_PENDING);
	}
	ck_assert_uint_eq(dmarc_discovery_get_query_count(d), 1);
	/* answer it, and go on to the end */
	fake_answer(&Z, qname, qtype, dmarc_discovery_get_answer(d));
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, &qtype),
	    DMARC_STEP_QUERY);
	ck_assert_str_eq(qname, "_dmarc.example.com");
	fake_answer(&Z, qname, qtype, dmarc_discovery_get_answer(d));
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, &qtype),
	    DMARC_STEP_QUERY);
	ck_assert_str_eq(qname, "_dmarc.com");
	fake_answer(&Z, qname, qtype, dmarc_discovery_get_answer(d));
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(dmarc_discovery_step(d, &qname, &qtype),
		    DMARC_STEP_DONE);
		ck_assert_ptr_null(dmarc_discovery_get_answer(d));
		ck_assert_int_eq(dmarc_discovery_get_result(d), FOUND);
		ck_assert_str_eq(dmarc_discovery_get_policy_domain(d),
		    "example.com");
		ck_assert_int_eq(dmarc_discovery_get_policy(d),
		    DMARC_POLICY_REJECT);
		ck_assert_uint_eq(dmarc_discovery_get_query_count(d), 3);
	}
	/* run after the end: nothing more */
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_uint_eq(Z.n_log, 3);
	ck_assert_int_eq(dmarc_discovery_get_result(d), FOUND);

	/* the object starts again for the next lookup */
	fake_zone_init(&Z, zone_d07);
	ck_assert_int_eq(dmarc_discovery_start(d, "a.mail.example.com", 18),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d), DMARC_DISCOVERY_PENDING);
	ck_assert_ptr_null(dmarc_discovery_get_record(d));
	ck_assert_uint_eq(dmarc_discovery_get_query_count(d), 0);
	ck_assert_uint_eq(dmarc_discovery_get_diag_count(d), 0);
	ck_assert_uint_eq(fake_drive(&Z, d), 4);
	ck_assert_int_eq(dmarc_discovery_get_result(d), FOUND);
	ck_assert_int_eq(dmarc_discovery_get_policy(d), DMARC_POLICY_QUARANTINE);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_run_errors)
{
	static const struct fake_rr zone[] = { END };
	dmarc_ctx *ctx;
	dmarc_discovery *d;

	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_discovery_run(NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_discovery_new(NULL, NULL), DMARC_EINVAL);
	d = (dmarc_discovery *)&d;
	ck_assert_int_eq(dmarc_discovery_new(&d, NULL), DMARC_EINVAL);
	ck_assert_ptr_null(d);
	dmarc_discovery_free(NULL);

	/* before start */
	ctx = new_ctx(BIS, NULL);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_ESTATE);
	/* after a start that failed */
	ck_assert_int_eq(dmarc_discovery_start(d, "a..example.com", 14),
	    DMARC_ENAME_EMPTY);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_discovery_start(d, "example.net(.example.com",
	    24), DMARC_ENAME_CHAR);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_ESTATE);
	ck_assert_uint_eq(Z.n_log, 0);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_discovery_start(NULL, "example.com", 11),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_discovery_start_org(NULL, "example.com", 11),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_discovery_start_verify(NULL), DMARC_EINVAL);
	dmarc_discovery_free(d);
	/* no lookup function */
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, NULL, NULL), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, "example.com", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_ENOLOOKUP);
	ck_assert_uint_eq(Z.n_log, 0);
	/* the step API needs none */
	ck_assert_uint_eq(fake_drive(&Z, d), 2);
	ck_assert_int_eq(dmarc_discovery_get_result(d), NONE);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_unset_answer_is_tempfail)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.example.com", DMARC_RR_TXT, FAKE_NO_ANSWER),
		END
	};

	check_one("unset", BIS, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = TEMPERROR,
	    .queries = Q("mail.example.com") Q("example.com"),
	    .policy_domain = NULL, .org_domain = NULL,
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .failed = "_dmarc.example.com",
	    .diags = "dns-tempfail _dmarc.example.com\n" }, 0);
	check_one("unset", R7489, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = TEMPERROR,
	    .queries = Q("mail.example.com") Q("example.com"),
	    .policy_domain = NULL, .org_domain = ANY,
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .failed = "_dmarc.example.com",
	    .diags = "dns-tempfail _dmarc.example.com\n" }, 0);
}
END_TEST

/* Only records, NODATA and NXDOMAIN say what a name holds: any other
 * answer (FORMERR, NOTIMP, a name the resolver cannot ask) is a failure,
 * never "no record" (RFC 9989 4.10.1). */
START_TEST(test_permfail_is_failure)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.mail.example.com", DMARC_RR_TXT, DMARC_DNS_PERMFAIL),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"),
		END
	};
	static const struct fake_rr zone_org[] = {
		FORCE("_dmarc.example.com", DMARC_RR_TXT, DMARC_DNS_PERMFAIL),
		END
	};

	check_discovery("permfail", BIS, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = TEMPERROR,
	    .queries = Q("mail.example.com"),
	    .policy_domain = NULL, .org_domain = NULL,
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .failed = "_dmarc.mail.example.com",
	    .diags = "dns-permfail _dmarc.mail.example.com\n" });
	check_discovery("permfail", R7489, NULL, "mail.example.com", zone,
	    &(struct expect){ .result = TEMPERROR,
	    .queries = Q("mail.example.com"),
	    .policy_domain = NULL, .org_domain = "example.com",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .failed = "_dmarc.mail.example.com",
	    .diags = "dns-permfail _dmarc.mail.example.com\n" });
	check_discovery("permfail org", BIS, NULL, "mail.example.com",
	    zone_org, &(struct expect){ .result = TEMPERROR,
	    .queries = Q("mail.example.com") Q("example.com"),
	    .policy_domain = NULL, .org_domain = NULL,
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .failed = "_dmarc.example.com",
	    .diags = "dns-permfail _dmarc.example.com\n" });
	check_discovery("permfail org", R7489, NULL, "mail.example.com",
	    zone_org, &(struct expect){ .result = TEMPERROR,
	    .queries = Q("mail.example.com") Q("example.com"),
	    .policy_domain = NULL, .org_domain = "example.com",
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED,
	    .failed = "_dmarc.example.com",
	    .diags = "dns-permfail _dmarc.example.com\n" });
}
END_TEST

/* The existence test failing temporarily: the outcome is unknown. */
START_TEST(test_exists_tempfail)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank",
		    "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y"),
		FORCE("foo.bank", DMARC_RR_A, DMARC_DNS_TEMPFAIL),
		END
	};

	check_discovery("exists tempfail", BIS, NULL, "foo.bank", zone,
	    &(struct expect){ .result = TEMPERROR,
	    .queries = Q("foo.bank") Q("bank") QA("foo.bank"),
	    .policy_domain = ANY, .org_domain = ANY,
	    .source = DMARC_SOURCE_PSD, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED, .failed = "foo.bank",
	    .diags = "dns-tempfail foo.bank\n" });
}
END_TEST

/* RFC 7489 has no np (P16): sp applies, no existence test. */
START_TEST(test_np_ignored_in_7489)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com",
		    "v=DMARC1; p=reject; sp=quarantine; np=none"),
		END
	};

	check_discovery("np 7489", R7489, NULL, "nx.example.com", zone,
	    &(struct expect){ .result = FOUND,
	    .queries = Q("nx.example.com") Q("example.com"),
	    .policy_domain = "example.com", .org_domain = "example.com",
	    .source = DMARC_SOURCE_ORG, .tag = DMARC_TAG_SP,
	    .policy = DMARC_POLICY_QUARANTINE });
}
END_TEST

/* RFC 7489: a public suffix has no Organizational Domain (2.1). */
START_TEST(test_public_suffix_author_7489)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.co.uk", "v=DMARC1; p=reject"),
		END
	};

	check_discovery("co.uk 7489", R7489, NULL, "co.uk", zone,
	    &(struct expect){ .result = FOUND, .queries = Q("co.uk"),
	    .policy_domain = "co.uk", .org_domain = NULL,
	    .source = DMARC_SOURCE_AUTHOR, .tag = DMARC_TAG_P,
	    .policy = DMARC_POLICY_REJECT });
	check_discovery("uk 7489", R7489, NULL, "uk", zone,
	    &(struct expect){ .result = NONE, .queries = Q("uk"),
	    .policy_domain = NULL, .org_domain = NULL,
	    .source = DMARC_SOURCE_NONE, .tag = 0,
	    .policy = DMARC_POLICY_UNSPECIFIED });
}
END_TEST

/* The answer sink's rules (dns.h). */
START_TEST(test_answer_sink)
{
	static const char dmarc[] = "v=DMARC1; p=reject";
	static const struct fake_rr zone[] = { END };
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d;
	dmarc_dns_answer *a;
	const char *qname;
	char *big;

	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_ptr_null(dmarc_discovery_get_domain(d));
	ck_assert_int_eq(dmarc_discovery_start(d, "example.com", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, NULL),
	    DMARC_STEP_QUERY);
	a = dmarc_discovery_get_answer(d);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(dmarc_dns_answer_set(NULL, DMARC_DNS_NODATA, 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_dns_answer_set(a, (dmarc_dns_outcome)0, 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_dns_answer_set(a, (dmarc_dns_outcome)6, 1),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(NULL, dmarc, 18),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(a, NULL, 3), DMARC_EINVAL);
	/* the length limit: 65535 bytes */
	big = malloc(65536);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', 65536);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(a, big, 65536), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(a, big, 65535), DMARC_OK);
	free(big);
	/* a DMARC record, then the outcome replaced: no record here */
	ck_assert_int_eq(dmarc_dns_answer_add_txt(a, dmarc, 18), DMARC_OK);
	ck_assert_int_eq(dmarc_dns_answer_set(a, DMARC_DNS_NODATA, 60),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, NULL),
	    DMARC_STEP_QUERY);
	ck_assert_str_eq(qname, "_dmarc.com");
	a = dmarc_discovery_get_answer(d);
	/* NODATA set first: adding a record does not change it */
	ck_assert_int_eq(dmarc_dns_answer_set(a, DMARC_DNS_NODATA, 60),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(a, dmarc, 18), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, NULL),
	    DMARC_STEP_DONE);
	ck_assert_int_eq(dmarc_discovery_get_result(d), NONE);
	ck_assert_ptr_null(dmarc_discovery_get_answer(d));
	/* an empty RECORDS answer has no record either; set again replaces */
	ck_assert_int_eq(dmarc_discovery_start(d, "example.com", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, NULL),
	    DMARC_STEP_QUERY);
	a = dmarc_discovery_get_answer(d);
	ck_assert_int_eq(dmarc_dns_answer_set(a, DMARC_DNS_TEMPFAIL, 0),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_dns_answer_set(a, DMARC_DNS_RECORDS, 60),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, NULL),
	    DMARC_STEP_QUERY);
	ck_assert_str_eq(qname, "_dmarc.com");
	ck_assert_int_eq(dmarc_dns_answer_add_txt(dmarc_discovery_get_answer(d),
	    "v=DMARC1; p=none; psd=y", 23), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, NULL),
	    DMARC_STEP_DONE);
	ck_assert_int_eq(dmarc_discovery_get_result(d), FOUND);
	ck_assert_str_eq(dmarc_discovery_get_policy_domain(d), "com");
	ck_assert_int_eq(dmarc_discovery_get_source(d), DMARC_SOURCE_PSD);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- verification of external report destinations ---- */

#define VERIFY_RECORD "v=DMARC1; p=reject; " \
	"rua=mailto:a@example.com,mailto:r@reports.example.net," \
	"mailto:n@noauth.example.org,mailto:t@tf.example.info; " \
	"ruf=mailto:f@sub.example.com"

static const struct fake_rr zone_verify[] = {
	TXT("_dmarc.example.com", VERIFY_RECORD),
	TXT("example.com._report._dmarc.reports.example.net", "v=DMARC1"),
	FORCE("example.com._report._dmarc.tf.example.info", DMARC_RR_TXT,
	    DMARC_DNS_TEMPFAIL),
	END
};

/* Discover mail.example.com, then verify; the log then holds only the
 * verification's questions. */
static dmarc_discovery *discover_and_verify(dmarc_ctx *ctx,
    const char *author, const struct fake_rr *zone, int drive)
{
	dmarc_discovery *d;

	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, author, strlen(author)),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_authorization(d, DMARC_TAG_RUA, 0),
	    DMARC_AUTH_UNCHECKED);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d), FOUND);
	ck_assert_int_eq(dmarc_discovery_get_authorization(d, DMARC_TAG_RUA, 0),
	    DMARC_AUTH_UNCHECKED);
	fake_log_clear(&Z);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_OK);
	if (drive == 0)
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	else
		fake_drive(&Z, d);
	/* the discovery's results stand */
	ck_assert_int_eq(dmarc_discovery_get_result(d), FOUND);
	ck_assert_int_eq(dmarc_discovery_step(d, NULL, NULL), DMARC_STEP_DONE);
	return d;
}

static void expect_auth(const dmarc_discovery *d, dmarc_tag tag, size_t i,
    dmarc_authorization want)
{
	dmarc_authorization got = dmarc_discovery_get_authorization(d, tag, i);

	ck_assert_msg(got == want, "%s[%zu]: authorization %d, want %d",
	    tag == DMARC_TAG_RUA ? "rua" : "ruf", i, (int)got, (int)want);
}

static void expect_verify_auths(const dmarc_discovery *d)
{
	const dmarc_record *rec = dmarc_discovery_get_record(d);

	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 4);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUF), 1);
	expect_auth(d, DMARC_TAG_RUA, 0, DMARC_AUTH_INTERNAL);
	expect_auth(d, DMARC_TAG_RUA, 1, DMARC_AUTH_AUTHORIZED);
	expect_auth(d, DMARC_TAG_RUA, 2, DMARC_AUTH_REFUSED);
	expect_auth(d, DMARC_TAG_RUA, 3, DMARC_AUTH_TEMPFAIL);
	expect_auth(d, DMARC_TAG_RUF, 0, DMARC_AUTH_INTERNAL);
	/* out of range */
	expect_auth(d, DMARC_TAG_RUA, 4, DMARC_AUTH_UNCHECKED);
	expect_auth(d, DMARC_TAG_RUF, 1, DMARC_AUTH_UNCHECKED);
	expect_auth(d, DMARC_TAG_P, 0, DMARC_AUTH_UNCHECKED);
	/* the left part is the policy domain, not the Author Domain */
	ck_assert_uint_eq(fake_count_name(&Z, "mail.example.com._report"), 0);
}

START_TEST(test_verify_bis)
{
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d;
	int drive;

	for (drive = 0; drive < 2; drive++) {
		d = discover_and_verify(ctx, "mail.example.com", zone_verify,
		    drive);
		/* RFC 9989: the destination's Organizational Domain by a walk;
		 * no report query for the internal ones */
		expect_queries(drive == 0 ? "verify bis run" : "verify bis step",
		    Q("example.com") Q("com")
		    Q("reports.example.net") Q("example.net") Q("net")
		    QT("example.com._report._dmarc.reports.example.net")
		    Q("noauth.example.org") Q("example.org") Q("org")
		    QT("example.com._report._dmarc.noauth.example.org")
		    Q("tf.example.info") Q("example.info") Q("info")
		    QT("example.com._report._dmarc.tf.example.info")
		    Q("sub.example.com") Q("example.com") Q("com"));
		expect_verify_auths(d);
		ck_assert_str_eq(diag_text(d), "dns-tempfail "
		    "example.com._report._dmarc.tf.example.info\n");
		ck_assert_str_eq(dmarc_discovery_get_policy_domain(d),
		    "example.com");
		ck_assert_int_eq(dmarc_discovery_get_policy(d),
		    DMARC_POLICY_REJECT);
		dmarc_discovery_free(d);
	}
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_verify_7489)
{
	dmarc_ctx *ctx = new_ctx(R7489, NULL);
	dmarc_discovery *d;
	int drive;

	for (drive = 0; drive < 2; drive++) {
		d = discover_and_verify(ctx, "mail.example.com", zone_verify,
		    drive);
		/* RFC 7489: the destination's Organizational Domain from the
		 * PSL; only the report queries */
		expect_queries(drive == 0 ? "verify 7489 run" : "verify 7489 step",
		    QT("example.com._report._dmarc.reports.example.net")
		    QT("example.com._report._dmarc.noauth.example.org")
		    QT("example.com._report._dmarc.tf.example.info"));
		expect_verify_auths(d);
		dmarc_discovery_free(d);
	}
	dmarc_ctx_free(ctx);
}
END_TEST

/* The Organizational Domain of the destination decides, not the host:
 * under the tree walk a psd=n record splits example.net. */
START_TEST(test_verify_org_of_destination)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=none; "
		    "rua=mailto:r@a.example.com,mailto:r@x.dept.example.com"),
		TXT("_dmarc.dept.example.com", "v=DMARC1; p=none; psd=n"),
		END
	};
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d = discover_and_verify(ctx, "example.com", zone, 0);

	expect_queries("verify split",
	    Q("a.example.com") Q("example.com") Q("com")
	    Q("x.dept.example.com") Q("dept.example.com")
	    QT("example.com._report._dmarc.x.dept.example.com"));
	expect_auth(d, DMARC_TAG_RUA, 0, DMARC_AUTH_INTERNAL);
	expect_auth(d, DMARC_TAG_RUA, 1, DMARC_AUTH_REFUSED);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
	/* RFC 7489: the PSL puts both in example.com */
	ctx = new_ctx(R7489, NULL);
	d = discover_and_verify(ctx, "example.com", zone, 0);
	expect_queries("verify split 7489", "");
	expect_auth(d, DMARC_TAG_RUA, 0, DMARC_AUTH_INTERNAL);
	expect_auth(d, DMARC_TAG_RUA, 1, DMARC_AUTH_INTERNAL);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_verify_walk_tempfail)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=none; "
		    "rua=mailto:r@walk.example.net,mailto:r@ok.example.org"),
		FORCE("_dmarc.example.net", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
		TXT("example.com._report._dmarc.ok.example.org", "v=DMARC1;"),
		END
	};
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d = discover_and_verify(ctx, "example.com", zone, 0);

	expect_auth(d, DMARC_TAG_RUA, 0, DMARC_AUTH_TEMPFAIL);
	expect_auth(d, DMARC_TAG_RUA, 1, DMARC_AUTH_AUTHORIZED);
	ck_assert_uint_eq(fake_count_name(&Z, "._report._dmarc.walk"), 0);
	ck_assert_int_eq(dmarc_discovery_get_result(d), FOUND);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* A lookup keeps 16 diagnostics, the sixteenth too-many-diagnostics;
 * one handed out early stays where it is, the same, while later ones
 * come (they are kept in a second block). */
START_TEST(test_diags_bounded_and_stable)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.example.net", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
		END
	};
	char record[1024], domain[DMARC_DOMAIN_SIZE];
	struct fake_rr rr[3];
	const dmarc_diag *first = NULL;
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d;
	const char *qname;
	dmarc_rrtype qtype;
	size_t used, i, n;

	/* a record keeps 8 URIs of each list (DMARC_LIMIT_URIS_PER_LIST):
	 * 16 verified, each failing */
	used = (size_t)snprintf(record, sizeof record, "v=DMARC1; p=none");
	for (i = 0; i < 20; i++)
		used += (size_t)snprintf(record + used, sizeof record - used,
		    "%smailto:r@h%zu.example.net", i == 0 ? "; rua=" :
		    i == 10 ? "; ruf=" : ",", i);
	ck_assert_uint_lt(used, sizeof record);
	rr[0] = (struct fake_rr)TXT("_dmarc.example.com", record);
	rr[1] = zone[0];
	rr[2] = (struct fake_rr)END;
	fake_zone_init(&Z, rr);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, "example.com", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_OK);
	while (dmarc_discovery_step(d, &qname, &qtype) == DMARC_STEP_QUERY) {
		fake_lookup(&Z, qname, qtype, dmarc_discovery_get_answer(d));
		if (first == NULL && dmarc_discovery_get_diag_count(d) > 0) {
			first = dmarc_discovery_get_diag(d, 0);
			snprintf(domain, sizeof domain, "%s",
			    dmarc_diag_get_domain(first));
		}
	}
	n = dmarc_discovery_get_diag_count(d);
	ck_assert_uint_eq(n, 16);
	ck_assert_ptr_eq(dmarc_discovery_get_diag(d, 0), first);
	ck_assert_str_eq(dmarc_diag_get_domain(first), domain);
	ck_assert_str_eq(domain, "_dmarc.example.net");
	for (i = 0; i + 1 < n; i++) {
		const dmarc_diag *g = dmarc_discovery_get_diag(d, i);
		ck_assert_int_eq(dmarc_diag_get_code(g), DMARC_DIAG_DNS_TEMPFAIL);
		ck_assert_str_eq(dmarc_diag_get_domain(g), "_dmarc.example.net");
	}
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_discovery_get_diag(d,
	    n - 1)), DMARC_DIAG_TOO_MANY_DIAGS);
	ck_assert_ptr_null(dmarc_discovery_get_diag(d, n));
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* A label of n 'a's then ".". */
static size_t put_label(char *p, unsigned int n)
{
	memset(p, 'a', n);
	p[n] = '.';
	return n + 1;
}

START_TEST(test_verify_long_name)
{
	/* example.com._report._dmarc.<dest>: 27 + strlen(dest) octets */
	char dest253[256], dest254[256], record[1024], report[300];
	struct fake_rr zone[3];
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	size_t n = 0;
	int mode;

	n += put_label(dest253 + n, 63);
	n += put_label(dest253 + n, 63);
	n += put_label(dest253 + n, 63);
	n += put_label(dest253 + n, 22);
	memcpy(dest253 + n, "example.net", 12);
	ck_assert_uint_eq(strlen(dest253), 226);
	n = 0;
	n += put_label(dest254 + n, 63);
	n += put_label(dest254 + n, 63);
	n += put_label(dest254 + n, 63);
	n += put_label(dest254 + n, 23);
	memcpy(dest254 + n, "example.net", 12);
	ck_assert_uint_eq(strlen(dest254), 227);
	snprintf(record, sizeof record, "v=DMARC1; p=none; "
	    "rua=mailto:r@%s,mailto:r@%s", dest253, dest254);
	snprintf(report, sizeof report, "example.com._report._dmarc.%s",
	    dest253);
	ck_assert_uint_eq(strlen(report), 253);
	zone[0] = (struct fake_rr)TXT("_dmarc.example.com", record);
	zone[1] = (struct fake_rr)TXT(report, "v=DMARC1");
	zone[2] = (struct fake_rr)END;
	for (mode = 0; mode < 2; mode++) {
		ctx = new_ctx(mode == 0 ? BIS : R7489, NULL);
		d = discover_and_verify(ctx, "example.com", zone, 0);
		ck_assert_uint_eq(dmarc_record_get_uri_count(
		    dmarc_discovery_get_record(d), DMARC_TAG_RUA), 2);
		/* 253 octets: asked */
		expect_auth(d, DMARC_TAG_RUA, 0, DMARC_AUTH_AUTHORIZED);
		/* 254 octets: refused without a query */
		expect_auth(d, DMARC_TAG_RUA, 1, DMARC_AUTH_REFUSED);
		ck_assert_uint_eq(fake_count_name(&Z, "._report._dmarc."), 1);
		dmarc_discovery_free(d);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

START_TEST(test_verify_not_mailto)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; "
		    "rua=https://reports.example.net/dmarc,"
		    "mailto:r@reports.example.net"),
		TXT("example.com._report._dmarc.reports.example.net", "v=DMARC1"),
		END
	};
	int mode;

	for (mode = 0; mode < 2; mode++) {
		dmarc_ctx *ctx = new_ctx(mode == 0 ? BIS : R7489, NULL);
		dmarc_discovery *d = discover_and_verify(ctx, "example.com", zone,
		    0);
		ck_assert_uint_eq(dmarc_record_get_uri_count(
		    dmarc_discovery_get_record(d), DMARC_TAG_RUA), 2);
		expect_auth(d, DMARC_TAG_RUA, 0, DMARC_AUTH_UNCHECKED);
		expect_auth(d, DMARC_TAG_RUA, 1, DMARC_AUTH_AUTHORIZED);
		/* one report query, for the mailto URI */
		ck_assert_uint_eq(fake_count_name(&Z, "._report._dmarc."), 1);
		dmarc_discovery_free(d);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

START_TEST(test_verify_state)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.mail.example.com", "v=DMARC1; p=bogus"),
		END
	};
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	dmarc_discovery *d;

	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_ESTATE);
	/* not finished */
	ck_assert_int_eq(dmarc_discovery_start(d, "mail.example.com", 16),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_ESTATE);
	/* permerror */
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d), PERMERROR);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_ESTATE);
	/* none */
	ck_assert_int_eq(dmarc_discovery_start(d, "example.org", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d), NONE);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_ESTATE);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- the answer cache ---- */

static uint64_t clock_now;

static uint64_t test_clock(void *user)
{
	(void)user;
	return clock_now;
}

static dmarc_ctx *cache_ctx(void)
{
	dmarc_ctx *ctx = new_ctx(BIS, NULL);

	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 16), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_clock(ctx, test_clock, NULL), DMARC_OK);
	return ctx;
}

struct snapshot {
	dmarc_discovery_result result;
	char policy_domain[DMARC_DOMAIN_SIZE], org_domain[DMARC_DOMAIN_SIZE];
	char failed[600], diags[4096];
	dmarc_source source;
	dmarc_tag tag;
	dmarc_policy policy;
	unsigned int queries;
	int exists;
};

static void snap(struct snapshot *s, const dmarc_discovery *d)
{
	const char *p = dmarc_discovery_get_policy_domain(d);
	const char *o = dmarc_discovery_get_org_domain(d);
	const char *f = dmarc_discovery_get_failed_name(d);

	s->result = dmarc_discovery_get_result(d);
	snprintf(s->policy_domain, sizeof s->policy_domain, "%s",
	    p != NULL ? p : "(null)");
	snprintf(s->org_domain, sizeof s->org_domain, "%s",
	    o != NULL ? o : "(null)");
	snprintf(s->failed, sizeof s->failed, "%s", f != NULL ? f : "(null)");
	snprintf(s->diags, sizeof s->diags, "%s", diag_text(d));
	s->source = dmarc_discovery_get_source(d);
	s->tag = dmarc_discovery_get_applied_tag(d);
	s->policy = dmarc_discovery_get_policy(d);
	s->queries = dmarc_discovery_get_query_count(d);
	s->exists = dmarc_discovery_get_author_exists(d);
}

static void expect_same(const struct snapshot *a, const struct snapshot *b)
{
	ck_assert_int_eq(a->result, b->result);
	ck_assert_str_eq(a->policy_domain, b->policy_domain);
	ck_assert_str_eq(a->org_domain, b->org_domain);
	ck_assert_str_eq(a->failed, b->failed);
	ck_assert_str_eq(a->diags, b->diags);
	ck_assert_int_eq(a->source, b->source);
	ck_assert_int_eq(a->tag, b->tag);
	ck_assert_int_eq(a->policy, b->policy);
	ck_assert_uint_eq(a->queries, b->queries);
	ck_assert_int_eq(a->exists, b->exists);
}

/* One discovery of author with a new object; the log is cleared first. */
static void cached_run(dmarc_ctx *ctx, const char *author,
    struct snapshot *s)
{
	dmarc_discovery *d;

	fake_log_clear(&Z);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, author, strlen(author)),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	snap(s, d);
	dmarc_discovery_free(d);
}

static void expect_stats(const dmarc_ctx *ctx, uint64_t hits,
    uint64_t misses)
{
	uint64_t h = 99, m = 99;

	dmarc_ctx_get_cache_stats(ctx, &h, &m);
	ck_assert_msg(h == hits && m == misses,
	    "cache stats: %lu hits, %lu misses; want %lu, %lu", h, m, hits,
	    misses);
}

START_TEST(test_cache_hits)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.mail.example.com", "v=DMARC1; p=none; sp=none"),
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"),
		TXT("_dmarc.bank", "v=DMARC1; p=reject; np=quarantine; psd=y"),
		END
	};
	dmarc_ctx *ctx = cache_ctx();
	struct snapshot s1, s2;

	clock_now = 1000;
	fake_zone_init(&Z, zone);
	expect_stats(ctx, 0, 0);
	cached_run(ctx, "a.mail.example.com", &s1);
	ck_assert_uint_eq(Z.n_log, 4);
	expect_stats(ctx, 0, 4);
	cached_run(ctx, "a.mail.example.com", &s2);
	ck_assert_msg(Z.n_log == 0, "the cache did not answer: asked\n%s",
	    fake_log_text(&Z));
	expect_same(&s1, &s2);
	ck_assert_uint_eq(s2.queries, 4); /* cache hits included */
	ck_assert_int_eq(s2.policy, DMARC_POLICY_QUARANTINE);
	expect_stats(ctx, 4, 4);
	/* a name sharing part of the walk asks only what is new */
	cached_run(ctx, "b.mail.example.com", &s2);
	expect_queries("cache b.mail", Q("b.mail.example.com"));
	expect_stats(ctx, 7, 5);
	/* the existence answer (A) is cached too */
	cached_run(ctx, "nx.bank", &s1);
	expect_queries("cache nx.bank", Q("nx.bank") Q("bank") QA("nx.bank"));
	ck_assert_int_eq(s1.tag, DMARC_TAG_NP);
	cached_run(ctx, "nx.bank", &s2);
	ck_assert_uint_eq(Z.n_log, 0);
	expect_same(&s1, &s2);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_cache_expiry)
{
	static const struct fake_rr zone[] = {
		TXT_TTL("_dmarc.mail.example.com", "v=DMARC1; p=none; sp=none",
		    300),
		TXT_TTL("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine",
		    600),
		END
	};
	dmarc_ctx *ctx = cache_ctx();
	struct snapshot s1, s2;

	fake_zone_init(&Z, zone);
	Z.neg_ttl = 60;
	clock_now = 1000;
	cached_run(ctx, "a.mail.example.com", &s1);
	ck_assert_uint_eq(Z.n_log, 4);
	/* everything still live */
	clock_now = 1059;
	cached_run(ctx, "a.mail.example.com", &s2);
	ck_assert_uint_eq(Z.n_log, 0);
	expect_same(&s1, &s2);
	/* the negative answers (60 s) are gone */
	clock_now = 1061;
	cached_run(ctx, "a.mail.example.com", &s2);
	expect_queries("expiry 61", Q("a.mail.example.com") Q("com"));
	expect_same(&s1, &s2);
	/* 300 s: mail.example.com too; example.com (600 s) stays */
	clock_now = 1301;
	cached_run(ctx, "a.mail.example.com", &s2);
	expect_queries("expiry 301", Q("a.mail.example.com")
	    Q("mail.example.com") Q("com"));
	expect_same(&s1, &s2);
	clock_now = 1601;
	cached_run(ctx, "a.mail.example.com", &s2);
	expect_queries("expiry 601", Q("a.mail.example.com")
	    Q("mail.example.com") Q("example.com") Q("com"));
	expect_same(&s1, &s2);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_cache_tempfail_not_kept)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.mail.example.com", DMARC_RR_TXT,
		    DMARC_DNS_TEMPFAIL),
		END
	};
	dmarc_ctx *ctx = cache_ctx();
	struct snapshot s1, s2;

	clock_now = 5000;
	fake_zone_init(&Z, zone);
	cached_run(ctx, "x.mail.example.com", &s1);
	expect_queries("tempfail 1", Q("x.mail.example.com")
	    Q("mail.example.com"));
	ck_assert_int_eq(s1.result, TEMPERROR);
	cached_run(ctx, "x.mail.example.com", &s2);
	/* the NXDOMAIN is cached, the failure is asked again */
	expect_queries("tempfail 2", Q("mail.example.com"));
	expect_same(&s1, &s2);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_cache_off)
{
	static const struct fake_rr zone[] = { END };
	dmarc_ctx *ctx = new_ctx(BIS, NULL);
	struct snapshot s;

	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_ctx_set_cache(NULL, 16), DMARC_EINVAL);
	cached_run(ctx, "example.com", &s);
	cached_run(ctx, "example.com", &s);
	ck_assert_uint_eq(Z.n_log, 2);
	expect_stats(ctx, 0, 0);
	dmarc_ctx_get_cache_stats(ctx, NULL, NULL);
	dmarc_ctx_get_cache_stats(NULL, NULL, NULL);
	/* on, then off again */
	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 16), DMARC_OK);
	cached_run(ctx, "example.com", &s);
	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 0), DMARC_OK);
	cached_run(ctx, "example.com", &s);
	ck_assert_uint_eq(Z.n_log, 2);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- allocation failures ---- */

#include "failing-alloc.h"

static const struct fake_rr zone_alloc[] = {
	TXT("_dmarc.mail.example.com", "v=spf1 -all"),
	TXT("_dmarc.mail.example.com", "v=DMARC2; p=quarantine"),
	TXT("_dmarc.example.com", "v=DMARC1; p=quarantine; sp=reject; "
	    "rua=mailto:a@example.com,mailto:r@reports.example.net; "
	    "ruf=mailto:f@reports.example.net,mailto:x@other.example.org"),
	TXT("example.com._report._dmarc.reports.example.net", "v=DMARC1"),
	END
};

struct flow_result {
	dmarc_discovery_result result;
	dmarc_policy policy;
	int auth[4];
};

/* Discovery and verification of mail.example.com with allocation k
 * failing (-1: none).  Every call must give DMARC_ENOMEM or succeed;
 * what succeeds must agree with ref (when given). */
static long run_flow(long k, dmarc_mode mode, int cache,
    const struct flow_result *ref, struct flow_result *out)
{
	dmarc_ctx *ctx = (dmarc_ctx *)&ctx;
	dmarc_discovery *d = (dmarc_discovery *)&d;
	dmarc_status st;
	int round;

	fail_at = k;
	n_allocs = 0;
	st = dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free);
	if (st != DMARC_OK) {
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(ctx);
		return n_allocs;
	}
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	/* the list is read through the context's allocator: a failure there
	 * is DMARC_ENOMEM, not a missing list */
	if (mode != BIS && (st = dmarc_ctx_load_psl(ctx, psl_path())) !=
	    DMARC_OK) {
		ck_assert_int_eq(st, DMARC_ENOMEM);
		dmarc_ctx_free(ctx);
		return n_allocs;
	}
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup, &Z), DMARC_OK);
	if (cache) {
		st = dmarc_ctx_set_cache(ctx, 16);
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "set_cache: %d", (int)st);
		ck_assert_int_eq(dmarc_ctx_set_clock(ctx, test_clock, NULL),
		    DMARC_OK);
	}
	st = dmarc_discovery_new(&d, ctx);
	if (st != DMARC_OK) {
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(d);
		dmarc_ctx_free(ctx);
		return n_allocs;
	}
	/* twice: the second round finds the answers in the cache */
	for (round = 0; round < (cache ? 2 : 1); round++) {
		size_t i;
		fake_zone_init(&Z, zone_alloc);
		st = dmarc_discovery_start(d, "mail.example.com", 16);
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "start: %d", (int)st);
		if (st != DMARC_OK)
			continue;
		st = dmarc_discovery_run(d);
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "run: %d", (int)st);
		if (st != DMARC_OK)
			continue;
		if (out != NULL) {
			out->result = dmarc_discovery_get_result(d);
			out->policy = dmarc_discovery_get_policy(d);
		}
		if (ref != NULL) {
			ck_assert_msg(dmarc_discovery_get_result(d) == ref->result,
			    "allocation %ld failed: run gave DMARC_OK with "
			    "result %d, want %d", k,
			    (int)dmarc_discovery_get_result(d), (int)ref->result);
			ck_assert_int_eq(dmarc_discovery_get_policy(d), ref->policy);
		}
		if (dmarc_discovery_get_result(d) != FOUND)
			continue;
		st = dmarc_discovery_start_verify(d);
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "start_verify: %d", (int)st);
		if (st != DMARC_OK)
			continue;
		st = dmarc_discovery_run(d);
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "verify run: %d", (int)st);
		if (st != DMARC_OK)
			continue;
		for (i = 0; i < 4; i++) {
			dmarc_authorization a = dmarc_discovery_get_authorization(d,
			    i < 2 ? DMARC_TAG_RUA : DMARC_TAG_RUF, i % 2);
			if (out != NULL)
				out->auth[i] = (int)a;
			if (ref != NULL)
				ck_assert_msg((int)a == ref->auth[i],
				    "allocation %ld failed: verification gave "
				    "DMARC_OK but URI %zu is %d, want %d", k, i,
				    (int)a, ref->auth[i]);
		}
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
	return n_allocs;
}

/* A failed question's name is kept in room made by the first failure:
 * with each allocation failing in turn, the run gives DMARC_ENOMEM or
 * the lookup whole, its failed name and diagnostic included. */
START_TEST(test_failed_name_allocation)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.mail.example.com", DMARC_RR_TXT,
		    DMARC_DNS_TEMPFAIL),
		END
	};
	dmarc_mode modes[] = { BIS, R7489 };
	size_t m;

	for (m = 0; m < 2; m++) {
		int failed = 1;
		long k;
		for (k = 0; failed; k++) {
			dmarc_ctx *ctx;
			dmarc_discovery *d;
			dmarc_status st;
			fail_at = -1;
			ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx,
			    failing_malloc, failing_realloc, failing_free),
			    DMARC_OK);
			ck_assert_int_eq(dmarc_ctx_set_mode(ctx, modes[m]),
			    DMARC_OK);
			ck_assert_int_eq(dmarc_ctx_load_psl(ctx, psl_path()),
			    DMARC_OK);
			ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup,
			    &Z), DMARC_OK);
			fake_zone_init(&Z, zone);
			n_allocs = 0;
			fail_at = k;
			st = dmarc_discovery_new(&d, ctx);
			if (st == DMARC_OK) {
				st = dmarc_discovery_start(d, "mail.example.com",
				    16);
				if (st == DMARC_OK)
					st = dmarc_discovery_run(d);
			}
			failed = n_allocs > k;
			fail_at = -1;
			if (st == DMARC_OK) {
				ck_assert_int_eq(dmarc_discovery_get_result(d),
				    TEMPERROR);
				ck_assert_pstr_eq(dmarc_discovery_get_failed_name(d),
				    "_dmarc.mail.example.com");
				ck_assert_str_eq(diag_text(d), "dns-tempfail "
				    "_dmarc.mail.example.com\n");
			} else {
				ck_assert_int_eq(st, DMARC_ENOMEM);
			}
			dmarc_discovery_free(d);
			dmarc_ctx_free(ctx);
		}
		ck_assert_int_gt(k, 1);
	}
}
END_TEST

/* discovery.h: "It allocates nothing after its first lookups." */
START_TEST(test_allocations_per_repeat)
{
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	long before;
	int round;

	fail_at = -1;
	n_allocs = 0;
	live = 0;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup, &Z), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	before = 0;
	for (round = 0; round < 3; round++) {
		fake_zone_init(&Z, zone_alloc);
		ck_assert_int_eq(dmarc_discovery_start(d, "mail.example.com", 16),
		    DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_get_authorization(d,
		    DMARC_TAG_RUA, 1), DMARC_AUTH_AUTHORIZED);
		/* buffers and parsed records are kept: nothing is allocated
		 * again for the same answers */
		if (round > 0)
			ck_assert_msg(n_allocs == before, "lookup %d made %ld "
			    "allocations", round + 1, n_allocs - before);
		before = n_allocs;
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

static void each_allocation_fails(dmarc_mode mode, int cache)
{
	struct flow_result ref;
	long total, k;

	clock_now = 100;
	live = 0;
	memset(&ref, 0, sizeof ref);
	total = run_flow(-1, mode, cache, NULL, &ref);
	ck_assert_int_eq(live, 0);
	ck_assert_int_eq(ref.result, FOUND);
	ck_assert_int_eq(ref.policy, DMARC_POLICY_REJECT);
	ck_assert_int_eq(ref.auth[0], DMARC_AUTH_INTERNAL);
	ck_assert_int_eq(ref.auth[1], DMARC_AUTH_AUTHORIZED);
	ck_assert_int_eq(ref.auth[2], DMARC_AUTH_AUTHORIZED);
	ck_assert_int_eq(ref.auth[3], DMARC_AUTH_REFUSED);
	ck_assert_int_ge(total, 3);
	for (k = 0; k < total; k++) {
		run_flow(k, mode, cache, &ref, NULL);
		ck_assert_msg(live == 0, "%s%s: allocation %ld failed: %ld blocks "
		    "leaked", mode_name(mode), cache ? " cache" : "", k, live);
	}
}

START_TEST(test_alloc_failures_bis)
{
	each_allocation_fails(BIS, 0);
}
END_TEST

START_TEST(test_alloc_failures_7489)
{
	each_allocation_fails(R7489, 0);
}
END_TEST

START_TEST(test_alloc_failures_cache)
{
	each_allocation_fails(BIS, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("discovery");
	TCase *tv = tcase_create("vectors");
	TCase *to = tcase_create("org");
	TCase *td = tcase_create("drivers");
	TCase *tr = tcase_create("verify");
	TCase *tc = tcase_create("cache");
	TCase *ta = tcase_create("alloc");

	tcase_add_test(tv, test_D01);
	tcase_add_test(tv, test_D02);
	tcase_add_test(tv, test_D03);
	tcase_add_test(tv, test_D04);
	tcase_add_test(tv, test_D05);
	tcase_add_test(tv, test_D06);
	tcase_add_test(tv, test_D07);
	tcase_add_test(tv, test_D08);
	tcase_add_test(tv, test_D09);
	tcase_add_test(tv, test_D10);
	tcase_add_test(tv, test_D11);
	tcase_add_test(tv, test_D12);
	tcase_add_test(tv, test_D13);
	tcase_add_test(tv, test_D14);
	tcase_add_test(tv, test_D15);
	tcase_add_test(tv, test_D16);
	tcase_add_test(tv, test_D17);
	tcase_add_test(tv, test_D18);
	tcase_add_test(tv, test_D19);
	tcase_add_test(tv, test_D20);
	tcase_add_test(tv, test_D21);
	tcase_add_test(tv, test_D22);
	tcase_add_test(tv, test_D23);
	tcase_add_test(tv, test_D24);
	tcase_add_test(tv, test_D25);
	tcase_add_test(tv, test_D26);
	suite_add_tcase(s, tv);

	tcase_add_test(to, test_O18);
	tcase_add_test(to, test_O19);
	tcase_add_test(to, test_O20);
	tcase_add_test(to, test_O21);
	tcase_add_test(to, test_O22);
	tcase_add_test(to, test_O23);
	tcase_add_test(to, test_O24);
	tcase_add_test(to, test_O25);
	tcase_add_test(to, test_A4_policy);
	tcase_add_test(to, test_A4_org);
	tcase_add_test(to, test_walk_at_most_8);
	tcase_add_test(to, test_psl_at_most_2);
	suite_add_tcase(s, to);

	tcase_add_test(td, test_step_api);
	tcase_add_test(td, test_run_errors);
	tcase_add_test(td, test_unset_answer_is_tempfail);
	tcase_add_test(td, test_permfail_is_failure);
	tcase_add_test(td, test_exists_tempfail);
	tcase_add_test(td, test_np_ignored_in_7489);
	tcase_add_test(td, test_public_suffix_author_7489);
	tcase_add_test(td, test_answer_sink);
	suite_add_tcase(s, td);

	tcase_add_test(tr, test_verify_bis);
	tcase_add_test(tr, test_verify_7489);
	tcase_add_test(tr, test_verify_org_of_destination);
	tcase_add_test(tr, test_verify_walk_tempfail);
	tcase_add_test(tr, test_verify_long_name);
	tcase_add_test(tr, test_verify_not_mailto);
	tcase_add_test(tr, test_verify_state);
	suite_add_tcase(s, tr);

	tcase_add_test(tc, test_cache_hits);
	tcase_add_test(tc, test_cache_expiry);
	tcase_add_test(tc, test_cache_tempfail_not_kept);
	tcase_add_test(tc, test_cache_off);
	suite_add_tcase(s, tc);

	tcase_add_test(ta, test_alloc_failures_bis);
	tcase_add_test(ta, test_alloc_failures_7489);
	tcase_add_test(ta, test_alloc_failures_cache);
	tcase_add_test(ta, test_allocations_per_repeat);
	tcase_add_test(ta, test_failed_name_allocation);
	tcase_add_test(ta, test_diags_bounded_and_stable);
	tcase_set_timeout(ta, 60);
	suite_add_tcase(s, ta);
	return run_suite(s);
}
