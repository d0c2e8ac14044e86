/*
 * Discovery and evaluation when DNS fails, lies or runs long: a failure
 * above the Author Domain's record, broken records with psd=y/n, error
 * RCODEs, answers owned by other names, allocation failure while joining
 * a long TXT record, verification of many destinations, the query budget
 * and the run deadline (one for all the lookups of a run), a run taking
 * over from steps, and configuration refused while objects exist.
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
#include <dmarc/dmarc.h>

#define TXT(name, text) { name, DMARC_RR_TXT, 0, text, 0 }
#define FORCE(name, type, outcome) { name, type, outcome, NULL, 0 }
#define END { NULL, (dmarc_rrtype)0, 0, NULL, 0 }

#define BIS DMARC_MODE_RFC9989
#define PASS DMARC_VERDICT_PASS

static struct fake_zone Z;

static dmarc_ctx *new_ctx(const struct fake_rr *zone, unsigned int options)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_eval_options(ctx, options), DMARC_OK);
	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup, &Z), DMARC_OK);
	return ctx;
}

/* The diagnostics of a discovery as "name domain\n" lines. */
static const char *diag_text(const dmarc_discovery *d)
{
	static char buf[2048];
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

/* One DKIM verdict (NULL domain: none) for a message from "x@<from>". */
struct outcome {
	dmarc_status status;
	dmarc_result result;
	dmarc_policy requested;
	char diags[2048];
};

static struct outcome evaluate(dmarc_ctx *ctx, const char *from,
    const char *const *dkim)
{
	struct outcome o;
	char field[300];
	dmarc_eval *ev;

	snprintf(field, sizeof field, "x@%s", from);
	ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_add_from(ev, field, strlen(field)),
	    DMARC_OK);
	for (; dkim != NULL && *dkim != NULL; dkim++)
		ck_assert_int_eq(dmarc_eval_add_dkim(ev, PASS, *dkim,
		    strlen(*dkim), "s", 1), DMARC_OK);
	o.status = dmarc_eval_run(ev);
	o.result = dmarc_eval_get_result(ev);
	o.requested = dmarc_eval_get_requested_policy(ev);
	snprintf(o.diags, sizeof o.diags, "%s",
	    diag_text(dmarc_eval_get_discovery(ev)));
	dmarc_eval_free(ev);
	return o;
}

static void expect_eval(const char *label, dmarc_ctx *ctx, const char *from,
    const char *const *dkim, dmarc_result result, dmarc_policy requested)
{
	struct outcome o = evaluate(ctx, from, dkim);

	ck_assert_msg(o.status == DMARC_OK, "%s: status %d", label,
	    (int)o.status);
	ck_assert_msg(o.result == result, "%s: result %d, want %d (%s)", label,
	    (int)o.result, (int)result, o.diags);
	if (result == DMARC_RESULT_FAIL)
		ck_assert_msg(o.requested == requested, "%s: requested %d, "
		    "want %d", label, (int)o.requested, (int)requested);
}

#define DKIM(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ---- a failure above the Author Domain's record (RFC 9989 4.10.1) ---- */

START_TEST(test_failure_above_author_record)
{
	static const int outcomes[] = { DMARC_DNS_TEMPFAIL, DMARC_DNS_PERMFAIL };
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct fake_rr zone[] = {
			TXT("_dmarc.good.flaky",
			    "v=DMARC1; p=reject; rua=mailto:a@good.flaky"),
			TXT("_dmarc.other.flaky", "v=DMARC1; p=none"),
			FORCE("_dmarc.flaky", DMARC_RR_TXT, outcomes[i]),
			END
		};
		dmarc_ctx *ctx = new_ctx(zone, 0);
		dmarc_discovery *d;
		char want[256];

		ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_start(d, "good.flaky", 10),
		    DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_get_result(d),
		    DMARC_DISCOVERY_FOUND);
		ck_assert_int_eq(dmarc_discovery_get_source(d),
		    DMARC_SOURCE_AUTHOR);
		ck_assert_int_eq(dmarc_discovery_get_policy(d),
		    DMARC_POLICY_REJECT);
		ck_assert_ptr_null(dmarc_discovery_get_org_domain(d));
		ck_assert_str_eq(dmarc_discovery_get_failed_name(d),
		    "_dmarc.flaky");
		snprintf(want, sizeof want, "%s _dmarc.flaky\n"
		    "org-unknown good.flaky\n", i == 0 ? "dns-tempfail" :
		    "dns-permfail");
		ck_assert_str_eq(diag_text(d), want);
		/* whether a destination is internal cannot be told */
		ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_get_authorization(d,
		    DMARC_TAG_RUA, 0), DMARC_AUTH_TEMPFAIL);
		dmarc_discovery_free(d);

		/* the author's own identifier still aligns */
		expect_eval("exact", ctx, "good.flaky", DKIM("good.flaky"),
		    DMARC_RESULT_PASS, 0);
		/* nothing authenticated: the author's policy, not temperror */
		expect_eval("nothing", ctx, "good.flaky", NULL,
		    DMARC_RESULT_FAIL, DMARC_POLICY_REJECT);
		/* an unrelated signer can never align */
		expect_eval("unrelated", ctx, "good.flaky", DKIM("evil.example"),
		    DMARC_RESULT_FAIL, DMARC_POLICY_REJECT);
		/* only a relaxed match needing the unknown Organizational
		 * Domain is undecided */
		expect_eval("relaxed", ctx, "good.flaky", DKIM("mail.good.flaky"),
		    DMARC_RESULT_TEMPERROR, 0);
		expect_eval("exact beats", ctx, "good.flaky",
		    DKIM("mail.good.flaky", "good.flaky"), DMARC_RESULT_PASS, 0);
		/* with no record of its own, the author's policy depends on
		 * what lies above: temperror */
		expect_eval("no record", ctx, "a.b.flaky", NULL,
		    DMARC_RESULT_TEMPERROR, 0);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

/* ---- broken records with psd=y or psd=n ---- */

START_TEST(test_broken_psd_records)
{
	static const char *const parents[] = {
		"v=DMARC1; p=rejectt; psd=y", "v=DMARC1; p=rejectt; psd=n",
		"v=DMARC1; p=rejectt", "v=DMARC1; p=rejectt; psd=y; psd=y",
		"v=DMARC1; sp=bogus; psd=n",
	};
	size_t i;

	for (i = 0; i < sizeof parents / sizeof parents[0]; i++) {
		const struct fake_rr zone[] = {
			TXT("_dmarc.bank2", parents[i]),
			TXT("_dmarc.foo.bank2", "v=DMARC1; p=reject"),
			END
		};
		dmarc_ctx *ctx = new_ctx(zone, 0);
		dmarc_discovery *d;

		expect_eval(parents[i], ctx, "foo.bank2", DKIM("evil.bank2"),
		    DMARC_RESULT_FAIL, DMARC_POLICY_REJECT);
		expect_eval(parents[i], ctx, "foo.bank2", DKIM("foo.bank2"),
		    DMARC_RESULT_PASS, 0);
		/* a PSD's psd=y counts even in a broken record: a registrant
		 * without a record of its own gets the PSD's (unusable)
		 * policy, not "no record" */
		if (strstr(parents[i], "psd=y") != NULL)
			expect_eval(parents[i], ctx, "new.bank2", NULL,
			    DMARC_RESULT_PERMERROR, 0);
		/* a registrant without a record has itself for organization */
		ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_start_org(d, "evil.bank2", 10),
		    DMARC_OK);
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
		ck_assert_str_eq(dmarc_discovery_get_org_domain(d), "evil.bank2");
		dmarc_discovery_free(d);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

/* A usable psd=n record is what makes its subdomains one organization
 * (RFC 9989 4.10.2 rule 1): the guard above is about broken ones only. */
START_TEST(test_usable_psd_n_still_joins)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank2", "v=DMARC1; p=none; psd=n"),
		TXT("_dmarc.foo.bank2", "v=DMARC1; p=reject"),
		END
	};
	dmarc_ctx *ctx = new_ctx(zone, 0);

	expect_eval("psd=n", ctx, "foo.bank2", DKIM("evil.bank2"),
	    DMARC_RESULT_PASS, 0);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- DNS messages on the wire ---- */

struct wire {
	unsigned char m[4096];
	size_t len;
	unsigned int an;
};

static void put16(struct wire *w, unsigned int v)
{
	w->m[w->len++] = (unsigned char)(v >> 8);
	w->m[w->len++] = (unsigned char)v;
}

static void put_name(struct wire *w, const char *name)
{
	while (*name != '\0') {
		size_t k = strcspn(name, ".");
		w->m[w->len++] = (unsigned char)k;
		memcpy(w->m + w->len, name, k);
		w->len += k;
		name += k + (name[k] == '.');
	}
	w->m[w->len++] = 0;
}

/* A response header and the question (qname, qtype). */
static void wire_begin(struct wire *w, const char *qname, unsigned int qtype,
    unsigned int rcode)
{
	w->len = 0;
	w->an = 0;
	put16(w, 0x1234);
	put16(w, 0x8180u | rcode);
	put16(w, 1);
	put16(w, 0);
	put16(w, 0);
	put16(w, 0);
	put_name(w, qname);
	put16(w, qtype);
	put16(w, 1);
}

/* A TXT record of owner (NULL: the question's name) whose text is cut
 * into character-strings of at most 255 bytes. */
static void wire_txt(struct wire *w, const char *owner, const char *text)
{
	size_t n = strlen(text), rdlen = n + (n + 254) / 255, at;

	if (owner == NULL)
		put16(w, 0xc00c);
	else
		put_name(w, owner);
	put16(w, 16);
	put16(w, 1);
	put16(w, 0);
	put16(w, 300);
	put16(w, (unsigned int)rdlen);
	for (at = 0; at < n; at += 255) {
		size_t k = n - at < 255 ? n - at : 255;
		w->m[w->len++] = (unsigned char)k;
		memcpy(w->m + w->len, text + at, k);
		w->len += k;
	}
	w->an++;
	w->m[6] = (unsigned char)(w->an >> 8);
	w->m[7] = (unsigned char)w->an;
}

/* The answer a test server gives to (qname, qtype). */
typedef void (*server_fn)(const char *qname, unsigned int qtype,
    struct wire *w);

/* Drive a started discovery with the step API and messages from fn. */
static void drive_wire(dmarc_discovery *d, server_fn fn,
    dmarc_status *last)
{
	const char *qname;
	dmarc_rrtype qtype;
	struct wire w;

	while (dmarc_discovery_step(d, &qname, &qtype) == DMARC_STEP_QUERY) {
		fn(qname, (unsigned int)qtype, &w);
		*last = dmarc_dns_answer_parse(dmarc_discovery_get_answer(d),
		    qtype, w.m, w.len);
	}
}

static unsigned int server_rcode;

/* The author's query answered with server_rcode, nothing else exists. */
static void rcode_server(const char *qname, unsigned int qtype,
    struct wire *w)
{
	wire_begin(w, qname, qtype, strcmp(qname, "_dmarc.a.example") == 0 ?
	    server_rcode : 3u);
}

START_TEST(test_error_rcodes_are_failures)
{
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	dmarc_status last;
	unsigned int rcode;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	for (rcode = 0; rcode < 16; rcode++) {
		server_rcode = rcode;
		ck_assert_int_eq(dmarc_discovery_start(d, "a.example", 9),
		    DMARC_OK);
		drive_wire(d, rcode_server, &last);
		if (rcode == 0 || rcode == 3) /* NODATA, NXDOMAIN */
			ck_assert_msg(dmarc_discovery_get_result(d) ==
			    DMARC_DISCOVERY_NONE, "rcode %u", rcode);
		else
			ck_assert_msg(dmarc_discovery_get_result(d) ==
			    DMARC_DISCOVERY_TEMPERROR, "rcode %u: result %d",
			    rcode, (int)dmarc_discovery_get_result(d));
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

static int owner_case;

/* _dmarc.mismatch.test: a record of another name, a CNAME chain, or an
 * answer to another question. */
static void owner_server(const char *qname, unsigned int qtype,
    struct wire *w)
{
	if (strcmp(qname, "_dmarc.mismatch.test") != 0) {
		wire_begin(w, qname, qtype, 3);
		return;
	}
	switch (owner_case) {
	case 0: /* owned by another name */
		wire_begin(w, qname, qtype, 0);
		wire_txt(w, "_dmarc.evil.example", "v=DMARC1; p=none");
		break;
	case 1: /* the question name's own, next to a foreign one */
		wire_begin(w, qname, qtype, 0);
		wire_txt(w, "_dmarc.evil.example", "v=DMARC1; p=none");
		wire_txt(w, NULL, "v=DMARC1; p=reject");
		break;
	default: /* a response to another question */
		wire_begin(w, "_dmarc.evil.example", qtype, 0);
		wire_txt(w, NULL, "v=DMARC1; p=none");
		break;
	}
}

START_TEST(test_records_of_other_names)
{
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	dmarc_status last;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	for (owner_case = 0; owner_case < 3; owner_case++) {
		ck_assert_int_eq(dmarc_discovery_start(d, "mismatch.test", 13),
		    DMARC_OK);
		drive_wire(d, owner_server, &last);
		switch (owner_case) {
		case 0:
			ck_assert_int_eq(dmarc_discovery_get_result(d),
			    DMARC_DISCOVERY_NONE);
			break;
		case 1:
			ck_assert_int_eq(dmarc_discovery_get_result(d),
			    DMARC_DISCOVERY_FOUND);
			ck_assert_int_eq(dmarc_discovery_get_policy(d),
			    DMARC_POLICY_REJECT);
			break;
		default:
			ck_assert_int_eq(dmarc_discovery_get_result(d),
			    DMARC_DISCOVERY_TEMPERROR);
			break;
		}
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- allocation failure while joining a multi-string TXT record ---- */

static char long_record[600];

static void long_server(const char *qname, unsigned int qtype,
    struct wire *w)
{
	if (strcmp(qname, "_dmarc.long.example") == 0) {
		wire_begin(w, qname, qtype, 0);
		wire_txt(w, NULL, long_record);
	} else {
		wire_begin(w, qname, qtype, 3);
	}
}

/* The outcome of the long record's lookup: found with p=reject, or
 * DMARC_ENOMEM with nothing decided. */
static void check_long_outcome(const dmarc_discovery *d, long k,
    dmarc_status last, int *enomem_seen)
{
	dmarc_status st = dmarc_discovery_get_status(d);

	if (st == DMARC_OK) {
		ck_assert_msg(last == DMARC_OK, "k=%ld: parse %d", k,
		    (int)last);
		ck_assert_msg(dmarc_discovery_get_result(d) ==
		    DMARC_DISCOVERY_FOUND && dmarc_discovery_get_policy(d) ==
		    DMARC_POLICY_REJECT, "k=%ld: result %d", k,
		    (int)dmarc_discovery_get_result(d));
		return;
	}
	ck_assert_msg(st == DMARC_ENOMEM, "k=%ld: status %d", k, (int)st);
	ck_assert_int_eq(dmarc_discovery_get_result(d),
	    DMARC_DISCOVERY_TEMPERROR);
	ck_assert_ptr_null(dmarc_discovery_get_failed_name(d));
	*enomem_seen = 1;
}

/* Every allocation failing in turn: the outcome is the one without
 * failure, or DMARC_ENOMEM (never "no record", never another policy). */
START_TEST(test_long_record_alloc_failure)
{
	long k, total;
	int enomem_seen = 0;

	snprintf(long_record, sizeof long_record, "v=DMARC1; p=reject; "
	    "rua=mailto:%0500d@long.example", 7);
	for (k = -1;; k++) {
		dmarc_ctx *ctx;
		dmarc_discovery *d;
		dmarc_status last = DMARC_OK, st;

		fail_at = -1;
		n_allocs = live = 0;
		ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx,
		    failing_malloc, failing_realloc, failing_free), DMARC_OK);
		if (dmarc_discovery_new(&d, ctx) != DMARC_OK) {
			dmarc_ctx_free(ctx);
			continue;
		}
		fail_at = n_allocs + k;
		total = n_allocs;
		st = dmarc_discovery_start(d, "long.example", 12);
		if (st == DMARC_ENOMEM) {
			/* the walk's state, made by the first start */
			ck_assert_int_eq(dmarc_discovery_get_result(d),
			    DMARC_DISCOVERY_PENDING);
			enomem_seen = 1;
		} else {
			ck_assert_int_eq(st, DMARC_OK);
			drive_wire(d, long_server, &last);
			check_long_outcome(d, k, last, &enomem_seen);
		}
		dmarc_discovery_free(d);
		dmarc_ctx_free(ctx);
		ck_assert_int_eq(live, 0);
		if (k >= 0 && n_allocs - total <= k)
			break; /* k was past the last allocation */
	}
	ck_assert(enomem_seen);
}
END_TEST

/* ---- verification of many destinations ---- */

/* Four destinations whose walks each meet five records: every record
 * slot of the discovery is used, and each is still verified. */
START_TEST(test_verify_many_destinations)
{
	static const char *const levels[] = { "r.a.b.c.", "a.b.c.", "b.c.",
		"c.", "" };
	struct fake_rr zone[40];
	char owners[30][80], texts[30][40];
	size_t n = 0, i, k;
	dmarc_ctx *ctx;
	dmarc_discovery *d;

	zone[n++] = (struct fake_rr)TXT("_dmarc.example.com",
	    "v=DMARC1; p=reject; rua=mailto:a@r.a.b.c.s1.test,"
	    "mailto:b@r.a.b.c.s2.test,mailto:c@r.a.b.c.s3.test,"
	    "mailto:d@r.a.b.c.s4.test");
	for (i = 1; i <= 4; i++) {
		for (k = 0; k < 5; k++) {
			snprintf(owners[n], sizeof owners[n], "_dmarc.%ss%zu.test",
			    levels[k], i);
			snprintf(texts[n], sizeof texts[n],
			    "v=DMARC1; p=none; x=%zu", n);
			zone[n] = (struct fake_rr)TXT(owners[n], texts[n]);
			n++;
		}
		snprintf(owners[n], sizeof owners[n],
		    "example.com._report._dmarc.r.a.b.c.s%zu.test", i);
		zone[n] = (struct fake_rr)TXT(owners[n], "v=DMARC1");
		n++;
	}
	zone[n] = (struct fake_rr)END;
	ctx = new_ctx(zone, 0);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, "example.com", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start_verify(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_status(d), DMARC_OK);
	for (i = 0; i < 4; i++)
		ck_assert_msg(dmarc_discovery_get_authorization(d, DMARC_TAG_RUA,
		    i) == DMARC_AUTH_AUTHORIZED, "rua %zu: %d", i,
		    (int)dmarc_discovery_get_authorization(d, DMARC_TAG_RUA, i));
	/* the policy record is still the one found */
	ck_assert_int_eq(dmarc_discovery_get_policy(d), DMARC_POLICY_REJECT);
	ck_assert_uint_eq(dmarc_record_get_uri_count(dmarc_discovery_get_record(
	    d), DMARC_TAG_RUA), 4);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- names DNS cannot carry ---- */

/* "_dmarc." before a 250-octet name is longer than any DNS name: no
 * record can be there, so it is not asked, and the walk goes on. */
START_TEST(test_question_too_long_for_dns)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"),
		END
	};
	char author[256];
	dmarc_ctx *ctx = new_ctx(zone, 0);
	struct outcome o;
	size_t i;

	author[0] = '\0';
	for (i = 0; i < 4; i++) /* 4 * 60 + 11 = 251 octets */
		strcat(author, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
	strcat(author, "example.com");
	ck_assert_uint_eq(strlen(author), 251);
	o = evaluate(ctx, author, NULL);
	ck_assert_int_eq(o.status, DMARC_OK);
	ck_assert_int_eq(o.result, DMARC_RESULT_FAIL);
	ck_assert_int_eq(o.requested, DMARC_POLICY_QUARANTINE);
	/* the start name was never handed to the resolver */
	ck_assert_str_eq(Z.log[0].name, "_dmarc.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaa.example.com");
	ck_assert_uint_eq(Z.n_log, 5); /* the 5 ancestors */
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- the query budget and the deadline ---- */

/* Sixteen passing signatures of subdomains, each needing its own tree
 * walk to compare Organizational Domains, none aligning. */
START_TEST(test_query_budget_enough)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		TXT("_dmarc.com", "v=DMARC1; p=none; psd=y"),
		END
	};
	const char *dkim[17];
	char names[16][40];
	dmarc_ctx *ctx = new_ctx(zone, 0);
	struct outcome o;
	size_t i;

	for (i = 0; i < 16; i++) {
		snprintf(names[i], sizeof names[i], "a.b.c.s%zu.example.com", i);
		dkim[i] = names[i];
	}
	dkim[16] = NULL;
	/* each walk ends at com's psd=y with example.com: the first signer
	 * aligns, and the budget is not an obstacle; its walk asks the four
	 * names below example.com, and takes example.com and com from the
	 * Author Domain's walk */
	o = evaluate(ctx, "example.com", dkim);
	ck_assert_int_eq(o.status, DMARC_OK);
	ck_assert_int_eq(o.result, DMARC_RESULT_PASS);
	ck_assert_uint_eq(Z.n_log, 2 + 4);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_query_budget_exhausted)
{
	struct fake_rr zone[20];
	const char *dkim[17];
	char names[16][40], owners[16][48];
	dmarc_ctx *ctx;
	struct outcome o;
	size_t i;

	zone[0] = (struct fake_rr)TXT("_dmarc.example.com", "v=DMARC1; p=reject");
	for (i = 0; i < 16; i++) {
		/* each signer its own organization: unaligned, after a walk */
		snprintf(names[i], sizeof names[i], "a.b.c.s%zu.example.com", i);
		snprintf(owners[i], sizeof owners[i], "_dmarc.s%zu.example.com",
		    i);
		zone[i + 1] = (struct fake_rr)TXT(owners[i],
		    "v=DMARC1; p=none; psd=n");
		dkim[i] = names[i];
	}
	zone[17] = (struct fake_rr)END;
	dkim[16] = NULL;
	ctx = new_ctx(zone, 0);
	o = evaluate(ctx, "example.com", dkim);
	ck_assert_int_eq(o.status, DMARC_OK);
	ck_assert_msg(Z.n_log == 32, "%u questions", Z.n_log);
	/* what was not decided within the budget is temperror, and why */
	ck_assert_int_eq(o.result, DMARC_RESULT_TEMPERROR);
	ck_assert_msg(strstr(o.diags, "query-limit ") != NULL, "%s", o.diags);
	dmarc_ctx_free(ctx);

	/* a larger budget decides it: every signer is unaligned */
	ctx = new_ctx(zone, 0);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_EVAL_QUERIES,
	    100), DMARC_OK);
	o = evaluate(ctx, "example.com", dkim);
	ck_assert_int_eq(o.result, DMARC_RESULT_FAIL);
	ck_assert_uint_gt(Z.n_log, 32);
	ck_assert_uint_le(Z.n_log, 100);
	dmarc_ctx_free(ctx);
}
END_TEST

static uint64_t fake_time;

/* A clock that moves 10 seconds on each question answered. */
static uint64_t slow_clock(void *user)
{
	(void)user;
	return fake_time;
}

static void slow_lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	fake_time += 10;
	fake_lookup(user, qname, qtype, answer);
}

/* A context whose lookups answer from zone, each taking 10 s of the
 * fake clock. */
static dmarc_ctx *slow_ctx(const struct fake_rr *zone)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, slow_lookup, &Z), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_clock(ctx, slow_clock, NULL), DMARC_OK);
	return ctx;
}

START_TEST(test_run_deadline)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	struct outcome o;

	ctx = slow_ctx(zone);
	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_RUN_SECONDS), 30);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RUN_SECONDS, 15),
	    DMARC_OK);
	/* a.b.c.example.com: the walk needs 5 questions, 10 s each */
	fake_time = 1000;
	o = evaluate(ctx, "a.b.c.example.com", NULL);
	ck_assert_int_eq(o.status, DMARC_OK);
	ck_assert_int_eq(o.result, DMARC_RESULT_TEMPERROR);
	ck_assert_uint_eq(Z.n_log, 2);
	ck_assert_msg(strstr(o.diags, "deadline _dmarc.c.example.com\n") != NULL,
	    "%s", o.diags);
	/* the discovery driver too; each run has its own deadline */
	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, "example.com", 11), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d), DMARC_DISCOVERY_FOUND);
	ck_assert_int_eq(dmarc_discovery_start(d, "x.y.z.example.com", 17),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_get_result(d),
	    DMARC_DISCOVERY_TEMPERROR);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* One deadline for all the lookups of a run: an identifier's walk goes
 * on with the clock its Author Domain's walk started, not one of its
 * own (each lookup of dmarc_eval_run asks its questions itself). */
START_TEST(test_run_deadline_spans_lookups)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};
	dmarc_ctx *ctx;
	struct outcome o;

	ctx = slow_ctx(zone);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RUN_SECONDS, 25),
	    DMARC_OK);
	/* example.com and com asked (20 s), then a.b.example.com's walk:
	 * its first question at 20 s, its second past the 25 s */
	fake_time = 1000;
	o = evaluate(ctx, "example.com", DKIM("a.b.example.com"));
	ck_assert_int_eq(o.status, DMARC_OK);
	ck_assert_uint_eq(Z.n_log, 3);
	ck_assert_int_eq(o.result, DMARC_RESULT_TEMPERROR);
	ck_assert_msg(strstr(o.diags, "deadline _dmarc.b.example.com\n") !=
	    NULL, "%s", o.diags);
	/* with time enough the signature aligns */
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RUN_SECONDS, 45),
	    DMARC_OK);
	fake_zone_init(&Z, zone);
	fake_time = 1000;
	o = evaluate(ctx, "example.com", DKIM("a.b.example.com"));
	ck_assert_uint_eq(Z.n_log, 4);
	ck_assert_int_eq(o.result, DMARC_RESULT_PASS);
	dmarc_ctx_free(ctx);
}
END_TEST

/* A run takes over a question a step left unanswered: it is asked then,
 * once, and the lookup ends as a run alone would have ended it. */
START_TEST(test_run_after_step)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		END
	};
	const char *qname;
	dmarc_rrtype qtype;
	dmarc_ctx *ctx = new_ctx(zone, 0);
	dmarc_discovery *d;
	dmarc_eval *ev;

	ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_add_from(ev, "x@a.example.com", 15),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_step(ev, &qname, &qtype),
	    DMARC_STEP_QUERY);
	ck_assert_str_eq(qname, "_dmarc.a.example.com");
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	ck_assert_str_eq(fake_log_text(&Z), "TXT _dmarc.a.example.com\n"
	    "TXT _dmarc.example.com\nTXT _dmarc.com\n");
	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_FAIL);
	ck_assert_int_eq(dmarc_eval_get_requested_policy(ev),
	    DMARC_POLICY_REJECT);
	dmarc_eval_free(ev);
	/* the discovery driver the same way */
	fake_log_clear(&Z);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, "a.example.com", 13),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_step(d, &qname, &qtype),
	    DMARC_STEP_QUERY);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	ck_assert_uint_eq(Z.n_log, 3);
	ck_assert_int_eq(dmarc_discovery_get_result(d), DMARC_DISCOVERY_FOUND);
	ck_assert_str_eq(dmarc_discovery_get_policy_domain(d), "example.com");
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

/* ---- configuration while objects exist ---- */

START_TEST(test_configuration_refused_while_shared)
{
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	dmarc_eval *ev;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489),
	    DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_parse_options(ctx, DMARC_PARSE_STRICT),
	    DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
	    100), DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 10), DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup, &Z),
	    DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_clock(ctx, slow_clock, NULL),
	    DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_eval_options(ctx,
	    DMARC_EVAL_MULTI_FROM), DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_random(ctx, NULL, NULL), DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_add_authserv_id(ctx, "mx.example"),
	    DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_load_psl(ctx, NULL), DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, "com\n", 4),
	    DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_set_psl_sections(ctx,
	    DMARC_PSL_ICANN_ONLY), DMARC_EBUSY);
	ck_assert_int_eq(dmarc_ctx_add_psd(ctx, "bank"), DMARC_EBUSY);
	/* nothing changed */
	ck_assert_int_eq(dmarc_ctx_get_mode(ctx), DMARC_MODE_RFC9989);
	ck_assert_uint_eq(dmarc_ctx_get_parse_options(ctx), 0);
	ck_assert_uint_ne(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_RECORD_LENGTH),
	    100);
	dmarc_discovery_free(d);
	/* an evaluation holds the context the same way */
	ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489),
	    DMARC_EBUSY);
	dmarc_eval_free(ev);
	/* with every object freed, configuration is allowed again */
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 10), DMARC_OK);
	ck_assert_str_eq(dmarc_strerror(DMARC_EBUSY),
	    "context in use: configure it before making objects");
	dmarc_ctx_free(ctx);
}
END_TEST

static Suite *failures_suite(void)
{
	Suite *s = suite_create("dns-failures");
	TCase *tc = tcase_create("failures");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_failure_above_author_record);
	tcase_add_test(tc, test_broken_psd_records);
	tcase_add_test(tc, test_usable_psd_n_still_joins);
	tcase_add_test(tc, test_error_rcodes_are_failures);
	tcase_add_test(tc, test_records_of_other_names);
	tcase_add_test(tc, test_long_record_alloc_failure);
	tcase_add_test(tc, test_verify_many_destinations);
	tcase_add_test(tc, test_question_too_long_for_dns);
	tcase_add_test(tc, test_query_budget_enough);
	tcase_add_test(tc, test_query_budget_exhausted);
	tcase_add_test(tc, test_run_deadline);
	tcase_add_test(tc, test_run_deadline_spans_lookups);
	tcase_add_test(tc, test_run_after_step);
	tcase_add_test(tc, test_configuration_refused_while_shared);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(failures_suite());
}
