/*
 * The authorizing record's override of a report destination (digest
 * 6.9 step 5, RFC 9990 4 step 7, RFC 7489 7.1 step 6) and the
 * destination getters, against the fake resolver of test/fake-dns.h in
 * both discovery modes: the same host replaces, another host gives
 * neither, no override keeps the URI; rua and ruf apart; a wildcard
 * answer; several records; the URI cap; allocation failures.
 *
 * The RFC 7489 mode uses test/data/psl-test.dat (see test-data.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "failing-alloc.h"
#include "fake-dns.h"
#include "test-data.h"
#include <dmarc/dmarc.h>

#define TXT(name, text) { name, DMARC_RR_TXT, 0, text, 0 }
#define FORCE(name, type, outcome) { name, type, outcome, NULL, 0 }
#define END { NULL, (dmarc_rrtype)0, 0, NULL, 0 }

#define BIS DMARC_MODE_RFC9989
#define R7489 DMARC_MODE_RFC7489
#define RUA DMARC_TAG_RUA
#define RUF DMARC_TAG_RUF
#define AUTH_REPORTS "example.com._report._dmarc.reports.example.net"

static struct fake_zone Z;

/* Answer from Z, with RFC 4592 wildcards: a name with no entry of its
 * own takes the entries of "*.<suffix>", the longest suffix first. */
static void wild_lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *a)
{
	struct fake_zone *z = user;
	const struct fake_rr *r;
	const char *dot;
	char wild[FAKE_QNAME_SIZE];

	for (r = z->rrs; r->name != NULL; r++)
		if (strcmp(r->name, qname) == 0)
			break;
	for (dot = qname; r->name == NULL && (dot = strchr(dot, '.')) != NULL;
	    dot++) {
		snprintf(wild, sizeof wild, "*%s", dot);
		for (r = z->rrs; r->name != NULL; r++)
			if (strcmp(r->name, wild) == 0) {
				unsigned int at = z->n_log;
				fake_answer(z, wild, qtype, a);
				if (at < FAKE_MAX_LOG) /* log the name asked */
					snprintf(z->log[at].name, sizeof z->log[at].name,
					    "%s", qname);
				return;
			}
	}
	fake_answer(z, qname, qtype, a);
}

static dmarc_ctx *new_ctx(dmarc_mode mode)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_msg(dmarc_ctx_load_psl(ctx, psl_path()) == DMARC_OK,
	    "cannot load %s", psl_path());
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, wild_lookup, &Z), DMARC_OK);
	return ctx;
}

/* Discover the policy of author in zone, then verify: drive 0 with
 * dmarc_discovery_run, 1 with the step API. */
static void discover_and_verify(dmarc_discovery *d, const char *author,
    const struct fake_rr *zone, int drive)
{
	const char *qname;
	dmarc_rrtype qtype;

	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_discovery_start(d, author, strlen(author)),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d), DMARC_DISCOVERY_FOUND);
	/* nothing to send to before the check */
	ck_assert_uint_eq(dmarc_discovery_get_destination_count(d, RUA, 0), 0);
	ck_assert_ptr_null(dmarc_discovery_get_destination(d, RUA, 0, 0));
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_OK);
	if (drive == 0) {
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		return;
	}
	while (dmarc_discovery_step(d, &qname, &qtype) == DMARC_STEP_QUERY)
		wild_lookup(&Z, qname, qtype, dmarc_discovery_get_answer(d));
	ck_assert_int_eq(dmarc_discovery_get_status(d), DMARC_OK);
}

/* The destinations of URI index of tag as text: "address" for each,
 * with " !<bytes>" for a size limit that applies and " !obsolete" for
 * one RFC 9989 ignores, joined by ", "; "-" for none. */
static const char *dests(const dmarc_discovery *d, dmarc_tag tag,
    size_t index)
{
	static char buf[2048];
	size_t n = dmarc_discovery_get_destination_count(d, tag, index), i;
	size_t used = 0;

	snprintf(buf, sizeof buf, "-");
	for (i = 0; i < n; i++) {
		const dmarc_uri *u = dmarc_discovery_get_destination(d, tag, index,
		    i);
		unsigned int f;
		int k;
		ck_assert_ptr_nonnull(u);
		f = dmarc_uri_get_flags(u);
		ck_assert_uint_ne(f & DMARC_URI_MAILTO, 0);
		k = snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "",
		    dmarc_uri_get_address(u));
		used += (size_t)k;
		if (f & DMARC_URI_SIZE_OBSOLETE)
			k = snprintf(buf + used, sizeof buf - used, " !obsolete");
		else if (f & DMARC_URI_HAS_SIZE)
			k = snprintf(buf + used, sizeof buf - used, " !%llu",
			    (unsigned long long)dmarc_uri_get_size_limit(u));
		else
			k = 0;
		used += (size_t)k;
		ck_assert_uint_lt(used, sizeof buf);
	}
	/* past the end */
	ck_assert_ptr_null(dmarc_discovery_get_destination(d, tag, index, n));
	return buf;
}

static void expect_uri(const dmarc_discovery *d, dmarc_tag tag, size_t i,
    dmarc_authorization auth, const char *want)
{
	dmarc_authorization got = dmarc_discovery_get_authorization(d, tag, i);
	const char *list = tag == RUA ? "rua" : "ruf";
	const char *have = dests(d, tag, i);

	ck_assert_msg(got == auth, "%s[%zu]: authorization %s, want %s", list,
	    i, dmarc_authorization_name(got), dmarc_authorization_name(auth));
	ck_assert_msg(strcmp(have, want) == 0, "%s[%zu]: destinations \"%s\", "
	    "want \"%s\"", list, i, have, want);
}

/* Run zone for author in both modes and both drivers; check(d, mode). */
static void each_mode(const char *author, const struct fake_rr *zone,
    void (*check)(const dmarc_discovery *, dmarc_mode))
{
	int mode, drive;

	for (mode = 0; mode < 2; mode++) {
		dmarc_ctx *ctx = new_ctx(mode == 0 ? BIS : R7489);
		dmarc_discovery *d;
		ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
		for (drive = 0; drive < 2; drive++) {
			discover_and_verify(d, author, zone, drive);
			check(d, mode == 0 ? BIS : R7489);
		}
		dmarc_discovery_free(d);
		dmarc_ctx_free(ctx);
	}
}

/* ---- the same host: the override replaces the URI ---- */

static const struct fake_rr zone_same[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject; "
	    "rua=mailto:a@example.com,mailto:r@reports.example.net!1m; "
	    "ruf=mailto:f@reports.example.net"),
	/* no p: not needed here (RFC 9989 4.7); an unsupported scheme is
	 * ignored, case does not make another host */
	TXT(AUTH_REPORTS, "v=DMARC1; rua=mailto:new@reports.example.net!10m,"
	    "https://reports.example.net/dmarc,"
	    "mailto:second@REPORTS.Example.NET"),
	END
};

static void check_same(const dmarc_discovery *d, dmarc_mode mode)
{
	const dmarc_uri *u;

	expect_uri(d, RUA, 0, DMARC_AUTH_INTERNAL, "a@example.com");
	/* the override's address and size, not the original's */
	expect_uri(d, RUA, 1, DMARC_AUTH_AUTHORIZED, mode == BIS ?
	    "new@reports.example.net !obsolete, "
	    "second@REPORTS.Example.NET" :
	    "new@reports.example.net !10485760, "
	    "second@REPORTS.Example.NET");
	u = dmarc_discovery_get_destination(d, RUA, 1, 0);
	ck_assert_str_eq(dmarc_uri_get_text(u), "mailto:new@reports.example.net");
	/* the authorizing record has no ruf: the URI stands */
	expect_uri(d, RUF, 0, DMARC_AUTH_AUTHORIZED, "f@reports.example.net");
	/* the internal URI is the record's own */
	ck_assert_ptr_eq(dmarc_discovery_get_destination(d, RUA, 0, 0),
	    dmarc_record_get_uri(dmarc_discovery_get_record(d), RUA, 0));
	/* out of range, other tags, NULL */
	ck_assert_uint_eq(dmarc_discovery_get_destination_count(d, RUA, 2), 0);
	ck_assert_uint_eq(dmarc_discovery_get_destination_count(d, RUF, 1), 0);
	ck_assert_uint_eq(dmarc_discovery_get_destination_count(d,
	    DMARC_TAG_P, 0), 0);
	ck_assert_ptr_null(dmarc_discovery_get_destination(d, DMARC_TAG_P, 0,
	    0));
	ck_assert_uint_eq(dmarc_discovery_get_destination_count(NULL, RUA, 0),
	    0);
	ck_assert_ptr_null(dmarc_discovery_get_destination(NULL, RUA, 0, 0));
}

START_TEST(test_override_same_host)
{
	each_mode("mail.example.com", zone_same, check_same);
}
END_TEST

/* ---- another host: send to neither ---- */

static const struct fake_rr zone_other[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=none; "
	    "rua=mailto:r@reports.example.net,mailto:r@mixed.example.net,"
	    "mailto:r@sub.example.org,mailto:r@ok.example.org; "
	    "ruf=mailto:f@reports.example.net"),
	/* rua elsewhere; ruf not overridden */
	TXT(AUTH_REPORTS, "v=DMARC1; rua=mailto:steal@attacker.example.net"),
	/* one of two on another host is enough */
	TXT("example.com._report._dmarc.mixed.example.net", "v=DMARC1; "
	    "rua=mailto:ok@mixed.example.net,mailto:x@elsewhere.example.net"),
	/* the same Organizational Domain is not the same host */
	TXT("example.com._report._dmarc.sub.example.org", "v=DMARC1; "
	    "rua=mailto:x@example.org"),
	/* only the ruf list redirects */
	TXT("example.com._report._dmarc.ok.example.org", "v=DMARC1; "
	    "ruf=mailto:x@attacker.example.net"),
	END
};

static void check_other(const dmarc_discovery *d, dmarc_mode mode)
{
	(void)mode;
	expect_uri(d, RUA, 0, DMARC_AUTH_OVERRIDE_REFUSED, "-");
	expect_uri(d, RUA, 1, DMARC_AUTH_OVERRIDE_REFUSED, "-");
	expect_uri(d, RUA, 2, DMARC_AUTH_OVERRIDE_REFUSED, "-");
	expect_uri(d, RUA, 3, DMARC_AUTH_AUTHORIZED, "r@ok.example.org");
	expect_uri(d, RUF, 0, DMARC_AUTH_AUTHORIZED, "f@reports.example.net");
	ck_assert_str_eq(dmarc_authorization_name(
	    DMARC_AUTH_OVERRIDE_REFUSED), "override-refused");
}

START_TEST(test_override_other_host)
{
	each_mode("example.com", zone_other, check_other);
}
END_TEST

/* ---- no usable override: the URI stands ---- */

static const struct fake_rr zone_keep[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=none; "
	    "rua=mailto:a@plain.example.net,mailto:b@https.example.net,"
	    "mailto:c@bad.example.net,mailto:d@refused.example.net,"
	    "mailto:e@tf.example.net"),
	TXT("example.com._report._dmarc.plain.example.net", "v=DMARC1; p=none"),
	/* no mailto URI: nothing libdmarc can send to replaces it */
	TXT("example.com._report._dmarc.https.example.net",
	    "v=DMARC1; rua=https://elsewhere.example.org/r"),
	/* malformed URIs are ignored (RFC 9989 4.7) */
	TXT("example.com._report._dmarc.bad.example.net",
	    "v=DMARC1; rua=bogus"),
	/* not v=DMARC1 first: no authorization at all */
	TXT("example.com._report._dmarc.refused.example.net",
	    "rua=mailto:x@refused.example.net; v=DMARC1"),
	FORCE("example.com._report._dmarc.tf.example.net", DMARC_RR_TXT,
	    DMARC_DNS_TEMPFAIL),
	END
};

static void check_keep(const dmarc_discovery *d, dmarc_mode mode)
{
	(void)mode;
	expect_uri(d, RUA, 0, DMARC_AUTH_AUTHORIZED, "a@plain.example.net");
	expect_uri(d, RUA, 1, DMARC_AUTH_AUTHORIZED, "b@https.example.net");
	expect_uri(d, RUA, 2, DMARC_AUTH_AUTHORIZED, "c@bad.example.net");
	expect_uri(d, RUA, 3, DMARC_AUTH_REFUSED, "-");
	expect_uri(d, RUA, 4, DMARC_AUTH_TEMPFAIL, "-");
}

START_TEST(test_no_override)
{
	each_mode("example.com", zone_keep, check_keep);
}
END_TEST

/* ---- rua and ruf lists of the authorizing record apart ---- */

static const struct fake_rr zone_lists[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=none; "
	    "rua=mailto:agg@reports.example.net; "
	    "ruf=mailto:fail@reports.example.net,mailto:x@other.example.org"),
	TXT(AUTH_REPORTS, "v=DMARC1; rua=mailto:agg2@reports.example.net; "
	    "ruf=mailto:fail2@reports.example.net,"
	    "mailto:fail3@reports.example.net"),
	TXT("example.com._report._dmarc.other.example.org", "v=DMARC1; "
	    "rua=mailto:nope@reports.example.net; ruf=mailto:y@other.example.org"),
	END
};

static void check_lists(const dmarc_discovery *d, dmarc_mode mode)
{
	(void)mode;
	expect_uri(d, RUA, 0, DMARC_AUTH_AUTHORIZED, "agg2@reports.example.net");
	expect_uri(d, RUF, 0, DMARC_AUTH_AUTHORIZED,
	    "fail2@reports.example.net, fail3@reports.example.net");
	/* its rua names another host, but only its ruf concerns a ruf URI */
	expect_uri(d, RUF, 1, DMARC_AUTH_AUTHORIZED, "y@other.example.org");
}

START_TEST(test_override_rua_ruf)
{
	each_mode("example.com", zone_lists, check_lists);
}
END_TEST

/* ---- a wildcard answers for every policy domain ---- */

static const struct fake_rr zone_wild[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=none; "
	    "rua=mailto:r@reports.example.net"),
	TXT("_dmarc.xn--bcher-kva.example.org", "v=DMARC1; p=none; "
	    "rua=mailto:r@reports.example.net"),
	TXT("*._report._dmarc.reports.example.net", "v=DMARC1; "
	    "rua=mailto:all@reports.example.net"),
	END
};

START_TEST(test_override_wildcard)
{
	static const char *const authors[] = { "example.com",
		"b\xc3\xbc" "cher.example.org", "example.com" };
	int mode;
	size_t i;

	for (mode = 0; mode < 2; mode++) {
		dmarc_ctx *ctx = new_ctx(mode == 0 ? BIS : R7489);
		dmarc_discovery *d;
		ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
		for (i = 0; i < 3; i++) {
			discover_and_verify(d, authors[i], zone_wild, (int)i % 2);
			expect_uri(d, RUA, 0, DMARC_AUTH_AUTHORIZED,
			    "all@reports.example.net");
			/* the policy domain goes into the name as an A-label */
			ck_assert_uint_eq(fake_count_name(&Z, i == 1 ?
			    "xn--bcher-kva.example.org._report._dmarc.reports" :
			    "example.com._report._dmarc.reports"), 1);
		}
		dmarc_discovery_free(d);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

/* ---- the host compared as a normalized name ---- */

static const struct fake_rr zone_idn[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=none; "
	    "rua=mailto:r@xn--bcher-kva.example.net"),
	TXT("example.com._report._dmarc.xn--bcher-kva.example.net",
	    "v=DMARC1; rua=mailto:neu@b%C3%BCcher.EXAMPLE.net"),
	END
};

static void check_idn(const dmarc_discovery *d, dmarc_mode mode)
{
	(void)mode;
	expect_uri(d, RUA, 0, DMARC_AUTH_AUTHORIZED,
	    "neu@b\xc3\xbc" "cher.EXAMPLE.net");
}

START_TEST(test_override_idn)
{
	each_mode("example.com", zone_idn, check_idn);
}
END_TEST

/* ---- several records at the name: the first DMARC one decides ---- */

static const struct fake_rr zone_several[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=none; "
	    "rua=mailto:r@reports.example.net,mailto:r@two.example.net"),
	TXT(AUTH_REPORTS, "v=spf1 -all"),
	TXT(AUTH_REPORTS, "v=DMARC1; rua=mailto:first@reports.example.net"),
	TXT(AUTH_REPORTS, "v=DMARC1; rua=mailto:x@attacker.example.net"),
	TXT("example.com._report._dmarc.two.example.net", "v=DMARC1"),
	TXT("example.com._report._dmarc.two.example.net",
	    "v=DMARC1; rua=mailto:second@two.example.net"),
	END
};

static void check_several(const dmarc_discovery *d, dmarc_mode mode)
{
	(void)mode;
	expect_uri(d, RUA, 0, DMARC_AUTH_AUTHORIZED,
	    "first@reports.example.net");
	expect_uri(d, RUA, 1, DMARC_AUTH_AUTHORIZED, "r@two.example.net");
}

START_TEST(test_override_several_records)
{
	each_mode("example.com", zone_several, check_several);
}
END_TEST

/* ---- the cap on URIs: the authorizing record's lists too ---- */

START_TEST(test_override_cap)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=none; "
		    "rua=mailto:r@reports.example.net"),
		TXT(AUTH_REPORTS, "v=DMARC1; rua=mailto:1@reports.example.net,"
		    "mailto:2@reports.example.net,mailto:3@reports.example.net,"
		    "mailto:x@attacker.example.net"),
		END
	};
	dmarc_ctx *ctx = new_ctx(BIS);
	dmarc_discovery *d;

	/* URIs past DMARC_LIMIT_URIS_PER_LIST are dropped when parsed */
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST, 2),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	discover_and_verify(d, "example.com", zone, 0);
	expect_uri(d, RUA, 0, DMARC_AUTH_AUTHORIZED,
	    "1@reports.example.net, 2@reports.example.net");
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
	ctx = new_ctx(BIS);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	discover_and_verify(d, "example.com", zone, 1);
	expect_uri(d, RUA, 0, DMARC_AUTH_OVERRIDE_REFUSED, "-");
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- 32 rua and 32 ruf URIs, each overridden by its own record ---- */

#define MANY 32
static char many_names[2 * MANY + 1][64];
static char many_texts[2 * MANY + 1][2048];
static struct fake_rr many_zone[2 * MANY + 2];

/* Round r: the authorizing record of URI i names "<r>-<i>@<host>". */
static void build_many(int round)
{
	char *p = many_texts[2 * MANY];
	int i;

	p += sprintf(p, "v=DMARC1; p=none; rua=");
	for (i = 0; i < 2 * MANY; i++) {
		if (i == MANY)
			p += sprintf(p, "; ruf=");
		p += sprintf(p, "%smailto:r@h%d.example.net",
		    i % MANY ? "," : "", i);
		snprintf(many_names[i], sizeof many_names[i],
		    "example.com._report._dmarc.h%d.example.net", i);
		snprintf(many_texts[i], sizeof many_texts[i], "v=DMARC1; %s="
		    "mailto:%d-%d@h%d.example.net", i < MANY ? "rua" : "ruf",
		    round, i, i);
		many_zone[i] = (struct fake_rr)TXT(many_names[i], many_texts[i]);
	}
	many_zone[2 * MANY] = (struct fake_rr)TXT("_dmarc.example.com",
	    many_texts[2 * MANY]);
	many_zone[2 * MANY + 1] = (struct fake_rr)END;
}

START_TEST(test_override_many)
{
	dmarc_ctx *ctx = new_ctx(_i == 0 ? BIS : R7489);
	dmarc_discovery *d;
	char want[64];
	int round, i;

	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST,
	    MANY), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	/* new texts each round: every authorizing record parsed anew */
	for (round = 0; round < 3; round++) {
		build_many(round);
		discover_and_verify(d, "example.com", many_zone, round % 2);
		for (i = 0; i < 2 * MANY; i++) {
			snprintf(want, sizeof want, "%d-%d@h%d.example.net", round, i,
			    i);
			expect_uri(d, i < MANY ? RUA : RUF, (size_t)(i % MANY),
			    DMARC_AUTH_AUTHORIZED, want);
		}
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- a new start forgets, a new check starts over ---- */

START_TEST(test_restart)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=none; "
		    "rua=mailto:r@reports.example.net"),
		FORCE(AUTH_REPORTS, DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
		END
	};
	dmarc_ctx *ctx = new_ctx(BIS);
	dmarc_discovery *d;

	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	discover_and_verify(d, "example.com", zone_same, 0);
	expect_uri(d, RUA, 1, DMARC_AUTH_AUTHORIZED,
	    "new@reports.example.net !obsolete, second@REPORTS.Example.NET");
	/* checked again: the same answer */
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_OK);
	ck_assert_uint_eq(dmarc_discovery_get_destination_count(d, RUA, 1), 0);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	expect_uri(d, RUA, 1, DMARC_AUTH_AUTHORIZED,
	    "new@reports.example.net !obsolete, second@REPORTS.Example.NET");
	/* another lookup: a failure leaves no destination behind */
	discover_and_verify(d, "example.com", zone, 0);
	expect_uri(d, RUA, 0, DMARC_AUTH_TEMPFAIL, "-");
	dmarc_discovery_start_org(d, "example.com", 11);
	ck_assert_uint_eq(dmarc_discovery_get_destination_count(d, RUA, 0), 0);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- allocation failures: DMARC_ENOMEM, never another answer ---- */

/* Discovery and verification of mail.example.com in zone_same with
 * allocation k failing (-1: none), twice on one discovery; the
 * destinations as text into out, or compared with ref. */
static long run_flow(long k, dmarc_mode mode, const char *ref, char *out)
{
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	dmarc_status st;
	char got[1024];
	int round;

	fail_at = k;
	n_allocs = 0;
	if (dmarc_ctx_new_with_allocator(&ctx, failing_malloc, failing_realloc,
	    failing_free) != DMARC_OK)
		return n_allocs;
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, wild_lookup, &Z), DMARC_OK);
	if ((mode != BIS && dmarc_ctx_load_psl(ctx, psl_path()) != DMARC_OK) ||
	    dmarc_discovery_new(&d, ctx) != DMARC_OK) {
		dmarc_ctx_free(ctx);
		return n_allocs;
	}
	for (round = 0; round < 2; round++) {
		fake_zone_init(&Z, zone_same);
		st = dmarc_discovery_start(d, "mail.example.com", 16);
		if (st == DMARC_OK)
			st = dmarc_discovery_run(d);
		if (st == DMARC_OK)
			st = dmarc_discovery_start_verify(d);
		if (st == DMARC_OK)
			st = dmarc_discovery_run(d);
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "allocation %ld: status %d", k, (int)st);
		if (st != DMARC_OK)
			continue;
		ck_assert_int_eq(dmarc_discovery_get_status(d), DMARC_OK);
		snprintf(got, sizeof got, "%s", dests(d, RUA, 0));
		strcat(got, " | ");
		strcat(got, dests(d, RUA, 1));
		strcat(got, " | ");
		strcat(got, dests(d, RUF, 0));
		if (out != NULL)
			snprintf(out, 1024, "%s", got);
		if (ref != NULL)
			ck_assert_msg(strcmp(got, ref) == 0, "allocation %ld "
			    "failed, yet DMARC_OK with \"%s\", want \"%s\"", k, got,
			    ref);
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
	return n_allocs;
}

START_TEST(test_alloc_failures)
{
	dmarc_mode mode = _i == 0 ? BIS : R7489;
	char ref[1024];
	long total, k;

	live = 0;
	total = run_flow(-1, mode, NULL, ref);
	ck_assert_int_eq(live, 0);
	ck_assert_str_eq(ref, mode == BIS ? "a@example.com | "
	    "new@reports.example.net !obsolete, second@REPORTS.Example.NET | "
	    "f@reports.example.net" : "a@example.com | "
	    "new@reports.example.net !10485760, second@REPORTS.Example.NET | "
	    "f@reports.example.net");
	for (k = 0; k < total; k++) {
		run_flow(k, mode, ref, NULL);
		ck_assert_msg(live == 0, "%s: allocation %ld failed: %ld blocks "
		    "leaked", mode_name(mode), k, live);
	}
}
END_TEST

/* The authorizing records are kept like the policy records: the same
 * answers again allocate nothing. */
START_TEST(test_allocations_per_repeat)
{
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	long before = 0;
	int round;

	fail_at = -1;
	n_allocs = 0;
	live = 0;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, wild_lookup, &Z), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	for (round = 0; round < 3; round++) {
		discover_and_verify(d, "mail.example.com", zone_same, 0);
		ck_assert_uint_eq(dmarc_discovery_get_destination_count(d, RUA, 1),
		    2);
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

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *to = tcase_create("override");
	TCase *ta = tcase_create("alloc");

	tcase_add_test(to, test_override_same_host);
	tcase_add_test(to, test_override_other_host);
	tcase_add_test(to, test_no_override);
	tcase_add_test(to, test_override_rua_ruf);
	tcase_add_test(to, test_override_wildcard);
	tcase_add_test(to, test_override_idn);
	tcase_add_test(to, test_override_several_records);
	tcase_add_test(to, test_override_cap);
	tcase_add_loop_test(to, test_override_many, 0, 2);
	tcase_add_test(to, test_restart);
	suite_add_tcase(s, to);

	tcase_add_loop_test(ta, test_alloc_failures, 0, 2);
	tcase_add_test(ta, test_allocations_per_repeat);
	tcase_set_timeout(ta, 60);
	suite_add_tcase(s, ta);
	return run_suite(s);
}
