/*
 * Per-message DMARC evaluation (include/dmarc/eval.h) against the fake
 * resolver of test/fake-dns.h: the digest's vectors F01-F10 (10.4),
 * A01-A18 (10.5) and E01-E20 (10.6), OpenDMARC regressions
 * (CVE-2019-16378, CVE-2019-20790, PR 70, the leading-comma From),
 * trusted Authentication-Results input (10.9 H01/H03/H05/H08), local
 * overrides, failure report selection (fo), the Authentication-Results
 * field written, reuse without allocation, the step API and allocation
 * failures.  Public API only.
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
#include "eval_int.h" /* what reports read of an evaluation */

/* ---- zone tables ---- */

#define TXT(name, text) { name, DMARC_RR_TXT, 0, text, 0 }
#define RR(name, type) { name, type, 0, NULL, 0 }
#define FORCE(name, type, outcome) { name, type, outcome, NULL, 0 }
#define END { NULL, (dmarc_rrtype)0, 0, NULL, 0 }

/* One line of the expected query log. */
#define Q(name) "TXT _dmarc." name "\n"
#define QA(name) "A " name "\n"
#define QAAAA(name) "AAAA " name "\n"
#define QMX(name) "MX " name "\n"

#define BIS DMARC_MODE_RFC9989
#define R7489 DMARC_MODE_RFC7489
#define R9091 DMARC_MODE_RFC7489_PSD

#define PASS DMARC_VERDICT_PASS
#define FAIL DMARC_VERDICT_FAIL

#define UNALIGNED DMARC_UNALIGNED
#define EXACT DMARC_ALIGNED_EXACT
#define ORG DMARC_ALIGNED_ORG

static const dmarc_mode BOTH[] = { BIS, R7489 };
#define N_BOTH (sizeof BOTH / sizeof BOTH[0])

static struct fake_zone Z;
static dmarc_ctx *CTX;

/* "Any value": a field the test does not check. */
static const char ANY[] = "<any>";

/* pct sampling: when USE_RANDOM, contexts draw RANDOM_VALUE. */
static int USE_RANDOM;
static uint32_t RANDOM_VALUE;

static uint32_t fixed_random(void *user)
{
	(void)user;
	return RANDOM_VALUE;
}


/* A context in mode with the test PSL, the evaluation options and the
 * fake resolver answering from zone (its log cleared). */
static dmarc_ctx *new_ctx(dmarc_mode mode, const struct fake_rr *zone,
    unsigned int options)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_msg(dmarc_ctx_load_psl(ctx, psl_path()) == DMARC_OK,
	    "cannot load %s", psl_path());
	ck_assert_int_eq(dmarc_ctx_set_eval_options(ctx, options), DMARC_OK);
	if (USE_RANDOM)
		ck_assert_int_eq(dmarc_ctx_set_random(ctx, fixed_random, NULL),
		    DMARC_OK);
	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup, &Z), DMARC_OK);
	return ctx;
}

/* ---- messages ---- */

struct dk {
	dmarc_verdict v;            /* 0 ends the list */
	const char *d;
	const char *s;
};

struct msg {
	const char *from[3];        /* From field values; none when from[0]
	                               is NULL */
	dmarc_verdict spf;          /* 0: no SPF verdict given */
	const char *spf_domain;
	dmarc_spf_scope scope;      /* 0: MAIL FROM */
	const char *env_from;       /* NULL: not given; "": the null path */
	struct dk dkim[4];
	const char *authres[3];     /* Authentication-Results values */
};

/* Give the message's inputs to ev.  With may_fail, a From field or a
 * signature refused for want of memory (DMARC_ENOMEM: the room for a
 * second From domain is made when a field names one, the room for
 * signatures grows as they come) stops the feeding: false, the refused
 * input not taken. */
static bool feed_checked(dmarc_eval *ev, const struct msg *m, bool may_fail)
{
	dmarc_status st;
	size_t i;

	for (i = 0; i < 3 && m->from[i] != NULL; i++) {
		st = dmarc_eval_add_from(ev, m->from[i], strlen(m->from[i]));
		if (may_fail && st == DMARC_ENOMEM)
			return false; /* test_from_room_alloc: as it was */
		ck_assert_int_eq(st, DMARC_OK);
	}
	if (m->env_from != NULL)
		ck_assert_int_eq(dmarc_eval_set_envelope_from(ev, m->env_from,
		    strlen(m->env_from)), DMARC_OK);
	if (m->spf != 0)
		ck_assert_int_eq(dmarc_eval_set_spf(ev, m->spf, m->spf_domain,
		    strlen(m->spf_domain), m->scope != 0 ? m->scope :
		    DMARC_SPF_MAILFROM), DMARC_OK);
	for (i = 0; i < 4 && m->dkim[i].v != 0; i++) {
		st = dmarc_eval_add_dkim(ev, m->dkim[i].v,
		    m->dkim[i].d, strlen(m->dkim[i].d), m->dkim[i].s,
		    m->dkim[i].s != NULL ? strlen(m->dkim[i].s) : 0);
		if (may_fail && st == DMARC_ENOMEM) {
			ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), i);
			return false;
		}
		ck_assert_int_eq(st, DMARC_OK);
	}
	for (i = 0; i < 3 && m->authres[i] != NULL; i++)
		ck_assert_int_eq(dmarc_eval_add_authres(ev, m->authres[i],
		    strlen(m->authres[i]), NULL), DMARC_OK);
	return true;
}

static void feed(dmarc_eval *ev, const struct msg *m)
{
	(void)feed_checked(ev, m, false);
}

/* The evaluation never asks a question twice: no (name, type) twice in
 * the log since it was last cleared. */
static void expect_no_repeat(const char *label, dmarc_mode mode)
{
	unsigned int i, j, n = Z.n_log < FAKE_MAX_LOG ? Z.n_log : FAKE_MAX_LOG;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			ck_assert_msg(Z.log[i].type != Z.log[j].type ||
			    strcmp(Z.log[i].name, Z.log[j].name) != 0,
			    "%s %s: %s asked twice", label, mode_name(mode),
			    Z.log[i].name);
}

/* The helper: a context (CTX) in mode with options and the fake zone as
 * lookup, an evaluation of the message, run; the run's status must be
 * want.  Free both with done(). */
static dmarc_eval *evaluate(const char *label, dmarc_mode mode,
    unsigned int options, const struct fake_rr *zone, const struct msg *m,
    dmarc_status want)
{
	dmarc_eval *ev;
	dmarc_status st;

	CTX = new_ctx(mode, zone, options);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	feed(ev, m);
	st = dmarc_eval_run(ev);
	ck_assert_msg(st == want, "%s %s: run gave %d (%s), want %d (%s)",
	    label, mode_name(mode), (int)st, dmarc_strerror(st), (int)want,
	    dmarc_strerror(want));
	ck_assert_msg(dmarc_eval_get_status(ev) == want,
	    "%s %s: status %d, want %d", label, mode_name(mode),
	    (int)dmarc_eval_get_status(ev), (int)want);
	expect_no_repeat(label, mode);
	return ev;
}

static void done(dmarc_eval *ev)
{
	dmarc_eval_free(ev);
	dmarc_ctx_free(CTX);
	CTX = NULL;
}

/* ---- expectations ---- */

/* The envelope sender domain recorded for reports, or NULL. */
static const char *recorded_env_from(const dmarc_eval *ev)
{
	return ev->env_from_set ? ev->env_from : NULL;
}

/* The reasons as text: names separated by a space. */
static const char *reasons_text(const dmarc_eval *ev)
{
	static char buf[256];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < dmarc_eval_get_reason_count(ev); i++) {
		int k = snprintf(buf + used, sizeof buf - used, "%s%s",
		    i != 0 ? " " : "", dmarc_reason_name(dmarc_eval_get_reason(ev, i)));
		if (k < 0 || (size_t)k >= sizeof buf - used)
			break;
		used += (size_t)k;
	}
	return buf;
}

struct want {
	dmarc_result result;
	dmarc_alignment_result spf, dkim;
	dmarc_policy requested;          /* UNSPECIFIED unless it failed */
	dmarc_disposition disposition;   /* 0: not checked */
	const char *author;              /* NULL: none; ANY: not checked */
	const char *reasons;             /* NULL: none; ANY: not checked */
};

static void check(const char *label, dmarc_mode mode, const dmarc_eval *ev,
    const struct want *w)
{
	const char *author = dmarc_eval_get_author_domain(ev);
	const char *reasons = reasons_text(ev);
	const dmarc_discovery *d = dmarc_eval_get_discovery(ev);

	/* what the results refer to is the chosen Author Domain's lookup
	 * (with several From domains, not merely the last one) */
	if (d != NULL && author != NULL)
		ck_assert_msg(strcmp(dmarc_discovery_get_domain(d), author) == 0,
		    "%s %s: discovery is for %s, author is %s", label,
		    mode_name(mode), dmarc_discovery_get_domain(d), author);

	ck_assert_msg(dmarc_eval_get_result(ev) == w->result,
	    "%s %s: result %d, want %d", label, mode_name(mode),
	    (int)dmarc_eval_get_result(ev), (int)w->result);
	ck_assert_msg(dmarc_eval_get_spf_alignment(ev) == w->spf,
	    "%s %s: SPF alignment %d, want %d", label, mode_name(mode),
	    (int)dmarc_eval_get_spf_alignment(ev), (int)w->spf);
	ck_assert_msg(dmarc_eval_get_dkim_alignment(ev) == w->dkim,
	    "%s %s: DKIM alignment %d, want %d", label, mode_name(mode),
	    (int)dmarc_eval_get_dkim_alignment(ev), (int)w->dkim);
	ck_assert_msg(dmarc_eval_get_requested_policy(ev) == w->requested,
	    "%s %s: requested policy %d, want %d", label, mode_name(mode),
	    (int)dmarc_eval_get_requested_policy(ev), (int)w->requested);
	if (w->disposition != 0) {
		ck_assert_msg(dmarc_eval_get_disposition(ev) == w->disposition,
		    "%s %s: disposition %d, want %d", label, mode_name(mode),
		    (int)dmarc_eval_get_disposition(ev), (int)w->disposition);
		/* no override: applied is suggested */
		ck_assert_msg(dmarc_eval_get_applied_disposition(ev) ==
		    w->disposition, "%s %s: applied disposition %d, want %d",
		    label, mode_name(mode),
		    (int)dmarc_eval_get_applied_disposition(ev),
		    (int)w->disposition);
	}
	if (w->author != ANY) {
		if (w->author == NULL)
			ck_assert_msg(author == NULL, "%s %s: author \"%s\", want "
			    "none", label, mode_name(mode), author);
		else
			ck_assert_msg(author != NULL && strcmp(author, w->author)
			    == 0, "%s %s: author \"%s\", want \"%s\"", label,
			    mode_name(mode), author != NULL ? author : "(null)",
			    w->author);
	}
	if (w->reasons != ANY)
		ck_assert_msg(strcmp(reasons, w->reasons != NULL ? w->reasons :
		    "") == 0, "%s %s: reasons \"%s\", want \"%s\"", label,
		    mode_name(mode), reasons, w->reasons != NULL ? w->reasons :
		    "");
}

static void expect_queries(const char *label, dmarc_mode mode,
    const char *want)
{
	const char *got = fake_log_text(&Z);

	ck_assert_msg(strcmp(got, want) == 0, "%s %s: queries were\n%swant\n%s",
	    label, mode_name(mode), got, want);
}

/* Evaluate, check, free. */
static void expect(const char *label, dmarc_mode mode, unsigned int options,
    const struct fake_rr *zone, const struct msg *m, const struct want *w)
{
	dmarc_eval *ev = evaluate(label, mode, options, zone, m, DMARC_OK);

	check(label, mode, ev, w);
	done(ev);
}

/* Evaluate, check, check the exact query log, free. */
static void expect_q(const char *label, dmarc_mode mode, unsigned int options,
    const struct fake_rr *zone, const struct msg *m, const struct want *w,
    const char *queries)
{
	dmarc_eval *ev = evaluate(label, mode, options, zone, m, DMARC_OK);

	check(label, mode, ev, w);
	expect_queries(label, mode, queries);
	done(ev);
}

/* The run refuses the message: status want, nothing decided. */
static void expect_status(const char *label, dmarc_mode mode,
    unsigned int options, const struct fake_rr *zone, const struct msg *m,
    dmarc_status want)
{
	dmarc_eval *ev = evaluate(label, mode, options, zone, m, want);

	ck_assert_msg(dmarc_eval_get_result(ev) == DMARC_RESULT_PENDING,
	    "%s %s: result %d after status %d", label, mode_name(mode),
	    (int)dmarc_eval_get_result(ev), (int)want);
	ck_assert_int_eq(dmarc_eval_get_spf_alignment(ev), UNALIGNED);
	ck_assert_int_eq(dmarc_eval_get_dkim_alignment(ev), UNALIGNED);
	ck_assert_int_eq(dmarc_eval_get_requested_policy(ev),
	    DMARC_POLICY_UNSPECIFIED);
	done(ev);
}

/* A zone with one record at example.com. */
static const struct fake_rr ZONE_REJECT[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
	END
};

/* ---- 10.4 Author Domain extraction ---- */

static const struct fake_rr ZONE_F[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
	TXT("_dmarc.example.net", "v=DMARC1; p=none"),
	TXT("_dmarc.evil.example", "v=DMARC1; p=none"),
	TXT("_dmarc.xn--bcher-kva.example", "v=DMARC1; p=quarantine"),
	END
};

START_TEST(test_F01)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("F01", BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { "Alice <alice@Example.COM>" },
		    .dkim = { { PASS, "example.com", "s1" } } },
		    &(struct want){ .result = DMARC_RESULT_PASS, .dkim = EXACT,
		    .author = "example.com", .disposition = BOTH[i] == BIS ?
		    DMARC_DISPOSITION_PASS : DMARC_DISPOSITION_NONE });
}
END_TEST

START_TEST(test_F02)
{
	size_t i;

	/* one distinct domain: proceed */
	for (i = 0; i < N_BOTH; i++)
		expect("F02", BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { "a@example.com, b@EXAMPLE.com" } },
		    &(struct want){ .result = DMARC_RESULT_FAIL,
		    .requested = DMARC_POLICY_REJECT, .author = "example.com",
		    .reasons = ANY });
}
END_TEST

START_TEST(test_F03)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		/* two domains: not possible by default */
		expect_status("F03", BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { "a@example.com, b@example.net" },
		    .dkim = { { PASS, "example.com", NULL } } }, DMARC_EFROM);
		ck_assert_int_eq(Z.n_log, 0);
		/* opt-in: both evaluated, the failing one decides (example.com
		 * passes, example.net fails with p=none) */
		expect("F03 multi", BOTH[i], DMARC_EVAL_MULTI_FROM, ZONE_F,
		    &(struct msg){ .from = { "a@example.com, b@example.net" },
		    .dkim = { { PASS, "example.com", NULL } } },
		    &(struct want){ .result = DMARC_RESULT_FAIL,
		    .requested = DMARC_POLICY_NONE,
		    .disposition = DMARC_DISPOSITION_NONE,
		    .author = "example.net" });
	}
}
END_TEST

START_TEST(test_F04)
{
	size_t i;

	/* two From fields, even for the same domain */
	for (i = 0; i < N_BOTH; i++) {
		expect_status("F04", BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { "a@example.com", "b@example.net" },
		    .dkim = { { PASS, "example.com", NULL } } }, DMARC_EFROM);
		expect_status("F04 same", BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { "a@example.com", "a@example.com" },
		    .dkim = { { PASS, "example.com", NULL } } }, DMARC_EFROM);
		/* and never picked silently, multi-From mode or not */
		expect_status("F04 multi", BOTH[i], DMARC_EVAL_MULTI_FROM,
		    ZONE_F, &(struct msg){
		    .from = { "a@example.com", "b@example.net" } }, DMARC_EFROM);
		ck_assert_int_eq(Z.n_log, 0);
	}
}
END_TEST

START_TEST(test_F05)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		expect_status("F05", BOTH[i], 0, ZONE_F, &(struct msg){
		    .dkim = { { PASS, "example.com", NULL } } }, DMARC_EFROM);
		ck_assert_int_eq(Z.n_log, 0);
	}
}
END_TEST

/* No Author Domain: result none, no DNS. */
static void expect_no_domain(const char *label, const char *from)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		expect(label, BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { from }, .dkim = { { PASS, "example.com", NULL } } },
		    &(struct want){ .result = DMARC_RESULT_NONE,
		    .disposition = DMARC_DISPOSITION_NONE, .author = NULL });
		ck_assert_msg(Z.n_log == 0, "%s: %u queries", label, Z.n_log);
	}
}

START_TEST(test_F06)
{
	expect_no_domain("F06", "undisclosed-recipients:;");
}
END_TEST

START_TEST(test_F07)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect_q("F07", BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { "\"support@bank.example\" <x@evil.example>" } },
		    &(struct want){ .result = DMARC_RESULT_FAIL,
		    .requested = DMARC_POLICY_NONE, .author = "evil.example",
		    .disposition = DMARC_DISPOSITION_NONE },
		    BOTH[i] == BIS ? Q("evil.example") Q("example") :
		    Q("evil.example"));
}
END_TEST

START_TEST(test_F08)
{
	expect_no_domain("F08", "user@[192.0.2.1]");
}
END_TEST

START_TEST(test_F09)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_eval *ev = evaluate("F09", BOTH[i], 0, ZONE_F,
		    &(struct msg){ .from = { "u@b\xc3\xbc" "cher.example" } },
		    DMARC_OK);
		check("F09", BOTH[i], ev, &(struct want){
		    .result = DMARC_RESULT_FAIL,
		    .requested = DMARC_POLICY_QUARANTINE,
		    .author = "xn--bcher-kva.example", .reasons = ANY });
		ck_assert_str_eq(Z.log[0].name, "_dmarc.xn--bcher-kva.example");
		done(ev);
	}
}
END_TEST

START_TEST(test_F10)
{
	expect_no_domain("F10", "user");
}
END_TEST

/* The leading comma of obs-mbox-list: one mailbox, example.com. */
START_TEST(test_from_leading_comma)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("leading comma", BOTH[i], 0, ZONE_F, &(struct msg){
		    .from = { ",a@example.com" },
		    .dkim = { { PASS, "example.com", NULL } } },
		    &(struct want){ .result = DMARC_RESULT_PASS, .dkim = EXACT,
		    .author = "example.com" });
}
END_TEST

/* CVE-2019-16378 (OpenDMARC): only the first mailbox was checked, so a
 * signature of the second mailbox's domain passed for the first. */
START_TEST(test_cve_2019_16378)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		TXT("_dmarc.thedomain.com", "v=DMARC1; p=none"),
		END
	};
	static const struct msg m = {
		.from = { "Support <support@example.com>, "
		    "Support <support@thedomain.com>" },
		.dkim = { { PASS, "thedomain.com", "s" } }
	};
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_eval *ev;

		expect_status("CVE-2019-16378", BOTH[i], 0, zone, &m,
		    DMARC_EFROM);
		/* evaluated per domain: example.com fails, so the message
		 * fails with example.com's policy; never a pass */
		ev = evaluate("CVE-2019-16378 multi", BOTH[i],
		    DMARC_EVAL_MULTI_FROM, zone, &m, DMARC_OK);
		check("CVE-2019-16378 multi", BOTH[i], ev, &(struct want){
		    .result = DMARC_RESULT_FAIL, .requested = DMARC_POLICY_REJECT,
		    .author = "example.com", .reasons = ANY });
		ck_assert_int_ne(dmarc_eval_get_result(ev), DMARC_RESULT_PASS);
		done(ev);
	}
}
END_TEST

/* ---- 10.5 Identifier alignment ---- */

static const struct fake_rr ZONE_ASPF_R[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject; aspf=r"),
	END
};
static const struct fake_rr ZONE_ASPF_S[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject; aspf=s"),
	END
};
static const struct fake_rr ZONE_ADKIM_R[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject; adkim=r"),
	END
};
static const struct fake_rr ZONE_ADKIM_S[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s"),
	END
};

/* A failure of example.com's p=reject: in RFC 9989 mode suggested as
 * quarantine. */
#define FAILED_REJECT(mode) .result = DMARC_RESULT_FAIL, \
	.requested = DMARC_POLICY_REJECT, \
	.disposition = (mode) == BIS ? DMARC_DISPOSITION_QUARANTINE : \
	    DMARC_DISPOSITION_REJECT, \
	.reasons = (mode) == BIS ? "local_policy" : NULL
#define PASSED(mode) .result = DMARC_RESULT_PASS, \
	.disposition = (mode) == BIS ? DMARC_DISPOSITION_PASS : \
	    DMARC_DISPOSITION_NONE
/* choice A7: with p=none a pass is disposition none in both modes */
#define PASSED_P_NONE .result = DMARC_RESULT_PASS, \
	.disposition = DMARC_DISPOSITION_NONE

START_TEST(test_A01)
{
	static const struct msg m = {
		.from = { "a@example.com" },
		.spf = PASS, .spf_domain = "bounce.example.com",
		.env_from = "bounce.example.com"
	};
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_mode mode = BOTH[i];

		/* relaxed: in RFC 9989 mode the tree walk of the identifier
		 * runs after the Author Domain's discovery; it takes the
		 * answers for example.com and com from that walk (the
		 * evaluation never asks a question twice) */
		expect_q("A01 aspf=r", mode, 0, ZONE_ASPF_R, &m,
		    &(struct want){ PASSED(mode), .spf = ORG,
		    .author = "example.com" },
		    mode == BIS ? Q("example.com") Q("com")
		    Q("bounce.example.com") : Q("example.com"));
		/* strict: no walk of the identifier */
		expect_q("A01 aspf=s", mode, 0, ZONE_ASPF_S, &m,
		    &(struct want){ FAILED_REJECT(mode), .spf = UNALIGNED,
		    .author = "example.com" },
		    mode == BIS ? Q("example.com") Q("com") : Q("example.com"));
	}
}
END_TEST

START_TEST(test_A02)
{
	static const struct msg m = {
		.from = { "a@news.example.com" },
		.dkim = { { PASS, "example.com", "s1" } }
	};
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_mode mode = BOTH[i];
		dmarc_eval *ev;

		ev = evaluate("A02 adkim=r", mode, 0, ZONE_ADKIM_R, &m, DMARC_OK);
		check("A02 adkim=r", mode, ev, &(struct want){ PASSED(mode),
		    .dkim = ORG, .author = "news.example.com" });
		ck_assert_int_eq(dmarc_eval_get_aligned_dkim(ev), 0);
		ck_assert_str_eq(Z.log[0].name, "_dmarc.news.example.com");
		done(ev);
		ev = evaluate("A02 adkim=s", mode, 0, ZONE_ADKIM_S, &m, DMARC_OK);
		check("A02 adkim=s", mode, ev, &(struct want){
		    FAILED_REJECT(mode), .dkim = UNALIGNED,
		    .author = "news.example.com" });
		ck_assert_int_eq(dmarc_eval_get_aligned_dkim(ev), -1);
		done(ev);
	}
}
END_TEST

START_TEST(test_A03)
{
	size_t i;

	/* case-insensitive, strict */
	for (i = 0; i < N_BOTH; i++)
		expect("A03", BOTH[i], 0, ZONE_ADKIM_S, &(struct msg){
		    .from = { "a@example.com" },
		    .dkim = { { PASS, "EXAMPLE.com", "s1" } } },
		    &(struct want){ PASSED(BOTH[i]), .dkim = EXACT,
		    .author = "example.com" });
}
END_TEST

START_TEST(test_A04)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("A04", BOTH[i], 0, ZONE_REJECT, &(struct msg){
		    .from = { "a@example.com" },
		    .dkim = { { PASS, "example.net", "s1" } } },
		    &(struct want){ FAILED_REJECT(BOTH[i]), .dkim = UNALIGNED,
		    .author = "example.com" });
}
END_TEST

START_TEST(test_A05)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("A05", BOTH[i], 0, ZONE_REJECT, &(struct msg){
		    .from = { "a@example.com" }, .env_from = "example.com",
		    .spf = DMARC_VERDICT_SOFTFAIL, .spf_domain = "example.com" },
		    &(struct want){ FAILED_REJECT(BOTH[i]), .spf = UNALIGNED,
		    .author = "example.com" });
}
END_TEST

START_TEST(test_A06)
{
	/* MAIL FROM <>: SPF checked postmaster@HELO (RFC 7208 2.4) */
	static const struct msg m = {
		.from = { "a@example.com" }, .env_from = "",
		.spf = PASS, .spf_domain = "mx.example.com",
		.scope = DMARC_SPF_HELO
	};
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		expect("A06 aspf=r", BOTH[i], 0, ZONE_ASPF_R, &m,
		    &(struct want){ PASSED(BOTH[i]), .spf = ORG,
		    .author = "example.com" });
		expect("A06 aspf=s", BOTH[i], 0, ZONE_ASPF_S, &m,
		    &(struct want){ FAILED_REJECT(BOTH[i]), .spf = UNALIGNED,
		    .author = "example.com" });
	}
}
END_TEST

/* CVE-2019-20790 (OpenDMARC): a HELO pass beside a real, failing MAIL
 * FROM was taken as the SPF result and aligned.  It never counts. */
START_TEST(test_A07)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_mode mode = BOTH[i];

		/* MAIL FROM user@other.net; the HELO check is what was given */
		expect("A07", mode, 0, ZONE_ASPF_R, &(struct msg){
		    .from = { "a@example.com" }, .env_from = "other.net",
		    .spf = PASS, .spf_domain = "mx.example.com",
		    .scope = DMARC_SPF_HELO },
		    &(struct want){ FAILED_REJECT(mode), .spf = UNALIGNED,
		    .author = "example.com" });
		/* no envelope given at all: MAIL FROM not known to be null */
		expect("A07 no envelope", mode, 0, ZONE_ASPF_R, &(struct msg){
		    .from = { "a@example.com" },
		    .spf = PASS, .spf_domain = "mx.example.com",
		    .scope = DMARC_SPF_HELO },
		    &(struct want){ FAILED_REJECT(mode), .spf = UNALIGNED,
		    .author = "example.com" });
		/* the MAIL FROM result itself */
		expect("A07 mailfrom", mode, 0, ZONE_ASPF_R, &(struct msg){
		    .from = { "a@example.com" }, .env_from = "other.net",
		    .spf = FAIL, .spf_domain = "other.net" },
		    &(struct want){ FAILED_REJECT(mode), .spf = UNALIGNED,
		    .author = "example.com" });
	}
}
END_TEST

START_TEST(test_A08)
{
	/* RFC 7489 3.1.1: d=com never aligns (com has no Org Domain) */
	expect("A08", R7489, 0, ZONE_ADKIM_R, &(struct msg){
	    .from = { "a@example.com" }, .dkim = { { PASS, "com", "s" } } },
	    &(struct want){ FAILED_REJECT(R7489), .dkim = UNALIGNED,
	    .author = "example.com" });
}
END_TEST

/* OpenDMARC PR 70: a failing signature for the From domain followed by
 * a passing one for another domain was reported as a DMARC pass. */
START_TEST(test_A09)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_mode mode = BOTH[i];
		dmarc_eval *ev;

		ev = evaluate("A09", mode, 0, ZONE_ADKIM_R, &(struct msg){
		    .from = { "a@example.com" },
		    .dkim = { { FAIL, "example.com", "s1" },
		    { PASS, "example.net", "s2" } } }, DMARC_OK);
		check("A09", mode, ev, &(struct want){ FAILED_REJECT(mode),
		    .dkim = UNALIGNED, .author = "example.com" });
		ck_assert_int_eq(dmarc_eval_get_aligned_dkim(ev), -1);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 2);
		ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0), FAIL);
		ck_assert_str_eq(dmarc_eval_get_dkim_domain(ev, 1), "example.net");
		ck_assert_str_eq(dmarc_eval_get_dkim_selector(ev, 1), "s2");
		done(ev);
		/* the digest's order */
		expect("A09 reversed", mode, 0, ZONE_ADKIM_R, &(struct msg){
		    .from = { "a@example.com" },
		    .dkim = { { PASS, "example.net", "s2" },
		    { FAIL, "example.com", "s1" } } },
		    &(struct want){ FAILED_REJECT(mode), .dkim = UNALIGNED,
		    .author = "example.com" });
	}
}
END_TEST

START_TEST(test_A10)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.co.uk", "v=DMARC1; p=reject"),
		END
	};

	expect_q("A10", R7489, 0, zone, &(struct msg){
	    .from = { "a@a.example.co.uk" },
	    .dkim = { { PASS, "other.co.uk", "s" } } },
	    &(struct want){ FAILED_REJECT(R7489), .dkim = UNALIGNED,
	    .author = "a.example.co.uk" },
	    Q("a.example.co.uk") Q("example.co.uk"));
}
END_TEST

static const struct fake_rr ZONE_DEPT[] = {
	TXT("_dmarc.dept.example.com", "v=DMARC1; p=reject; psd=n"),
	TXT("_dmarc.example.com", "v=DMARC1; p=none"),
	END
};

START_TEST(test_A11)
{
	/* psd=n splits the organization: OD dept.example.com vs example.com */
	expect_q("A11", BIS, 0, ZONE_DEPT, &(struct msg){
	    .from = { "a@a.dept.example.com" },
	    .dkim = { { PASS, "example.com", "s" } } },
	    &(struct want){ FAILED_REJECT(BIS), .dkim = UNALIGNED,
	    .author = "a.dept.example.com" },
	    /* example.com's own org domain cannot be dept.example.com:
	     * no walk is spent on it */
	    Q("a.dept.example.com") Q("dept.example.com"));
}
END_TEST

/* A signer that cannot share the Author Domain's organization costs no
 * lookup: its failing name server cannot turn fail into temperror, nor
 * can many such signatures make the evaluation ask DNS at length. */
static const struct fake_rr ZONE_FLAKY[] = {
	TXT("_dmarc.bank.example", "v=DMARC1; p=reject"),
	FORCE("_dmarc.flaky.example", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
	FORCE("_dmarc.x.flaky.example", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
	END
};

START_TEST(test_unrelated_signer)
{
	expect_q("unrelated signer", BIS, 0, ZONE_FLAKY, &(struct msg){
	    .from = { "a@bank.example" },
	    .dkim = { { PASS, "flaky.example", "s" },
	    { PASS, "x.flaky.example", "s" } } },
	    &(struct want){ FAILED_REJECT(BIS), .dkim = UNALIGNED,
	    .author = "bank.example" },
	    Q("bank.example") Q("example"));
}
END_TEST


/* ---- review fixes ---- */

static const struct fake_rr ZONE_REVIEW[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject; psd=y; fo=1; "
	    "ruf=mailto:f@example.com"),
	END
};

/* The best DKIM alignment is reported: a later exact one beats an
 * earlier org one. */
START_TEST(test_dkim_best_alignment)
{
	dmarc_eval *ev = evaluate("best dkim", R7489, 0, ZONE_REVIEW,
	    &(struct msg){ .from = { "a@example.com" },
	    .dkim = { { PASS, "mail.example.com", "s1" },
	    { PASS, "example.com", "s2" } } }, DMARC_OK);

	ck_assert_int_eq(dmarc_eval_get_dkim_alignment(ev), DMARC_ALIGNED_EXACT);
	ck_assert_int_eq(dmarc_eval_get_aligned_dkim(ev), 1);
	done(ev);
}
END_TEST

/* A refused envelope sender records nothing: no null path appears that
 * would let a HELO result count. */
START_TEST(test_envelope_from_refused)
{
	dmarc_eval *ev;

	CTX = new_ctx(R7489, ZONE_REVIEW, 0);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_add_from(ev, "a@example.com", 13), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_set_envelope_from(ev, "bad domain", 10),
	    DMARC_EINVAL);
	ck_assert_ptr_null(recorded_env_from(ev));
	ck_assert_int_eq(dmarc_eval_set_spf(ev, DMARC_VERDICT_PASS,
	    "example.com", 11, DMARC_SPF_HELO), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_spf_alignment(ev), DMARC_UNALIGNED);
	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_FAIL);
	done(ev);
}
END_TEST

/* More From domains than are evaluated: not applicable, never a partial
 * evaluation the target domain could hide behind. */
START_TEST(test_multi_from_over_cap)
{
	dmarc_eval *ev = evaluate("over cap", BIS, DMARC_EVAL_MULTI_FROM,
	    ZONE_REVIEW, &(struct msg){ .from = { "a@a.example, b@b.example, "
	    "c@c.example, d@d.example, e@e.example, f@example.com" } },
	    DMARC_EFROM);

	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_PENDING);
	done(ev);
}
END_TEST

/* Selectors end up in reports: anything but printable ASCII is kept
 * empty, never cut. */
START_TEST(test_selector_checked)
{
	dmarc_eval *ev;

	CTX = new_ctx(R7489, ZONE_REVIEW, 0);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
	    "example.com", 11, "s1\r\nX: y", 9), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
	    "example.com", 11, "sel-2026", 8), DMARC_OK);
	ck_assert_ptr_null(dmarc_eval_get_dkim_selector(ev, 0));
	ck_assert_str_eq(dmarc_eval_get_dkim_selector(ev, 1), "sel-2026");
	done(ev);
}

/* The selector's bytes: '!' to '~' kept, a space, DEL or a byte above
 * 0x7f anywhere leaves it empty; 253 bytes kept, 254 not. */
START_TEST(test_selector_bytes)
{
	static const char *const refused[] = { "s 1", "s1\x7f", "\x80s1",
	    "abcdefgh\x01", " " };
	char longest[255];
	dmarc_eval *ev;
	size_t i;

	CTX = new_ctx(R7489, ZONE_REVIEW, 0);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
		    "example.com", 11, refused[i], strlen(refused[i])),
		    DMARC_OK);
		ck_assert_ptr_null(dmarc_eval_get_dkim_selector(ev, i));
	}
	dmarc_eval_reset(ev);
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
	    "example.com", 11, "!~", 2), DMARC_OK);
	ck_assert_str_eq(dmarc_eval_get_dkim_selector(ev, 0), "!~");
	memset(longest, 's', sizeof longest);
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
	    "example.com", 11, longest, 253), DMARC_OK);
	ck_assert_uint_eq(strlen(dmarc_eval_get_dkim_selector(ev, 1)), 253);
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
	    "example.com", 11, longest, 254), DMARC_OK);
	ck_assert_ptr_null(dmarc_eval_get_dkim_selector(ev, 2));
	done(ev);
}
END_TEST

/* Every byte value at every place of selectors of 1 to 9 bytes: kept
 * exactly when it is '!' to '~'. */
START_TEST(test_selector_every_byte)
{
	char sel[9];
	dmarc_eval *ev;
	size_t n, at;
	int c;

	CTX = new_ctx(R7489, ZONE_REVIEW, 0);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	for (n = 1; n <= sizeof sel; n++)
		for (at = 0; at < n; at++)
			for (c = 0; c < 256; c++) {
				const char *got;
				bool ok = c >= '!' && c <= '~';
				memset(sel, 'a' + (int)n, n);
				sel[at] = (char)c;
				dmarc_eval_reset(ev);
				dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
				    "example.com", 11, sel, n);
				got = dmarc_eval_get_dkim_selector(ev, 0);
				if (ok ? got == NULL || strlen(got) != n ||
				    memcmp(got, sel, n) != 0 : got != NULL)
					ck_abort_msg("%zu bytes, 0x%02x at %zu", n,
					    (unsigned int)c, at);
			}
	done(ev);
}
END_TEST

/* Signatures added from the strings of the one before, as a caller
 * copying one would, up to the default limit of 16 while the room for
 * them grows and moves (at 2, 4, 8 and 16): each is whole (valgrind and
 * ASan would see a read of the old room). */
START_TEST(test_dkim_from_own_strings)
{
	dmarc_eval *ev;
	size_t i;

	CTX = new_ctx(R7489, ZONE_REVIEW, 0);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS,
	    "signer.example.net", 18, "sel-first", 9), DMARC_OK);
	for (i = 1; i < 16; i++) {
		const char *d = dmarc_eval_get_dkim_domain(ev, i - 1);
		const char *sel = dmarc_eval_get_dkim_selector(ev, i - 1);
		ck_assert_int_eq(dmarc_eval_add_dkim(ev, DMARC_VERDICT_FAIL, d,
		    strlen(d), sel, strlen(sel)), DMARC_OK);
	}
	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 16);
	for (i = 0; i < 16; i++) {
		ck_assert_str_eq(dmarc_eval_get_dkim_domain(ev, i),
		    "signer.example.net");
		ck_assert_str_eq(dmarc_eval_get_dkim_selector(ev, i),
		    "sel-first");
	}
	done(ev);
}
END_TEST

/* A psd=y record's ruf is never used, wherever the record was found;
 * an empty authserv-id is refused and leaves the buffer empty. */
START_TEST(test_psd_ruf_and_empty_id)
{
	char buf[256] = "x";
	dmarc_eval *ev = evaluate("psd ruf", BIS, 0, ZONE_REVIEW,
	    &(struct msg){ .from = { "a@example.com" } }, DMARC_OK);

	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_FAIL);
	ck_assert_uint_eq(dmarc_eval_get_failure_reports(ev), 0);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "", DMARC_AUTHRES_FIELD,
	    buf, sizeof buf,
	    NULL), DMARC_EINVAL);
	ck_assert_str_eq(buf, "");
	done(ev);
}
END_TEST

START_TEST(test_A12)
{
	/* the PSL puts both in example.com; the record of example.com
	 * applies (p=none) */
	expect("A12", R7489, 0, ZONE_DEPT, &(struct msg){
	    .from = { "a@a.dept.example.com" },
	    .dkim = { { PASS, "example.com", "s" } } },
	    &(struct want){ PASSED(R7489), .dkim = ORG,
	    .author = "a.dept.example.com" });
}
END_TEST

static const struct fake_rr ZONE_BLOGSPOT[] = {
	TXT("_dmarc.blogspot.com", "v=DMARC1; p=none"),
	END
};

START_TEST(test_A13)
{
	/* the tree walk: both Organizational Domains are blogspot.com */
	expect_q("A13", BIS, 0, ZONE_BLOGSPOT, &(struct msg){
	    .from = { "a@alice.blogspot.com" },
	    .dkim = { { PASS, "bob.blogspot.com", "s" } } },
	    &(struct want){ PASSED_P_NONE, .dkim = ORG,
	    .author = "alice.blogspot.com" },
	    Q("alice.blogspot.com") Q("blogspot.com") Q("com")
	    Q("bob.blogspot.com"));
}
END_TEST

START_TEST(test_A14)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.alice.blogspot.com", "v=DMARC1; p=reject"),
		TXT("_dmarc.blogspot.com", "v=DMARC1; p=none"),
		END
	};

	/* full PSL: alice.blogspot.com is its own Organizational Domain, so
	 * the record at blogspot.com is not used: DMARC does not apply */
	expect_q("A14", R7489, 0, ZONE_BLOGSPOT, &(struct msg){
	    .from = { "a@alice.blogspot.com" },
	    .dkim = { { PASS, "bob.blogspot.com", "s" } } },
	    &(struct want){ .result = DMARC_RESULT_NONE, .dkim = UNALIGNED,
	    .disposition = DMARC_DISPOSITION_NONE,
	    .author = "alice.blogspot.com" },
	    Q("alice.blogspot.com"));
	/* with a record of its own: not aligned */
	expect("A14 own record", R7489, 0, zone, &(struct msg){
	    .from = { "a@alice.blogspot.com" },
	    .dkim = { { PASS, "bob.blogspot.com", "s" } } },
	    &(struct want){ FAILED_REJECT(R7489), .dkim = UNALIGNED,
	    .author = "alice.blogspot.com" });
}
END_TEST

START_TEST(test_A15)
{
	/* the walk from mail.example.com finds example.com */
	expect_q("A15", BIS, 0, ZONE_REJECT, &(struct msg){
	    .from = { "a@example.com" },
	    .dkim = { { PASS, "mail.example.com", "s" } } },
	    &(struct want){ PASSED(BIS), .dkim = ORG, .author = "example.com" },
	    Q("example.com") Q("com") Q("mail.example.com"));
}
END_TEST

START_TEST(test_A16)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank", "v=DMARC1; p=reject; psd=y"),
		END
	};

	/* rule 2: the OD of x.bank is x.bank */
	expect_q("A16", BIS, 0, zone, &(struct msg){
	    .from = { "a@bank" }, .dkim = { { PASS, "x.bank", "s" } } },
	    &(struct want){ FAILED_REJECT(BIS), .dkim = UNALIGNED,
	    .author = "bank" },
	    Q("bank") Q("x.bank"));
}
END_TEST

START_TEST(test_A17)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("A17", BOTH[i], 0, ZONE_REJECT, &(struct msg){
		    .from = { "a@example.com" }, .env_from = "example.net",
		    .spf = PASS, .spf_domain = "example.net",
		    .dkim = { { PASS, "example.com", "s" } } },
		    &(struct want){ PASSED(BOTH[i]), .spf = UNALIGNED,
		    .dkim = EXACT, .author = "example.com" });
}
END_TEST

START_TEST(test_A18)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s; aspf=r"),
		END
	};
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("A18", BOTH[i], 0, zone, &(struct msg){
		    .from = { "a@mail.example.com" },
		    .env_from = "bounce.example.com",
		    .spf = PASS, .spf_domain = "bounce.example.com",
		    .dkim = { { PASS, "example.com", "s" } } },
		    &(struct want){ PASSED(BOTH[i]), .spf = ORG,
		    .dkim = UNALIGNED, .author = "mail.example.com" });
}
END_TEST

/* ---- 10.6 Policy application and disposition ---- */

/* A message of example.com (or another author) that fails. */
#define FAILING(author) (&(struct msg){ .from = { "a@" author } })

static void expect_e(const char *label, dmarc_mode mode, const char *record,
    dmarc_policy requested, dmarc_disposition disposition,
    const char *reasons)
{
	const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", record),
		END
	};

	expect(label, mode, 0, zone, FAILING("example.com"), &(struct want){
	    .result = DMARC_RESULT_FAIL, .requested = requested,
	    .disposition = disposition, .author = "example.com",
	    .reasons = reasons });
}

START_TEST(test_E01)
{
	USE_RANDOM = 1;
	RANDOM_VALUE = 99;
	expect_e("E01", R7489, "v=DMARC1; p=reject; pct=100",
	    DMARC_POLICY_REJECT, DMARC_DISPOSITION_REJECT, NULL);
	RANDOM_VALUE = 0;
	expect_e("E01", R7489, "v=DMARC1; p=reject",
	    DMARC_POLICY_REJECT, DMARC_DISPOSITION_REJECT, NULL);
}
END_TEST

START_TEST(test_E02)
{
	USE_RANDOM = 1;
	RANDOM_VALUE = 0;
	expect_e("E02", R7489, "v=DMARC1; p=reject; pct=0",
	    DMARC_POLICY_QUARANTINE, DMARC_DISPOSITION_QUARANTINE,
	    "sampled_out");
}
END_TEST

START_TEST(test_E03)
{
	USE_RANDOM = 1;
	RANDOM_VALUE = 0;
	expect_e("E03", R7489, "v=DMARC1; p=quarantine; pct=0",
	    DMARC_POLICY_NONE, DMARC_DISPOSITION_NONE, "sampled_out");
}
END_TEST

START_TEST(test_E04)
{
	USE_RANDOM = 1;
	RANDOM_VALUE = 0;
	expect_e("E04", R7489, "v=DMARC1; p=none; pct=0",
	    DMARC_POLICY_NONE, DMARC_DISPOSITION_NONE, NULL);
}
END_TEST

/* pct=50: selected when (random mod 100) < 50. */
START_TEST(test_pct50)
{
	static const uint32_t selected[] = { 0, 49, 149, 1049 };
	static const uint32_t not_selected[] = { 50, 99, 150, 1099 };
	size_t i;

	USE_RANDOM = 1;
	for (i = 0; i < 4; i++) {
		RANDOM_VALUE = selected[i];
		expect_e("pct=50 selected", R7489, "v=DMARC1; p=reject; pct=50",
		    DMARC_POLICY_REJECT, DMARC_DISPOSITION_REJECT, NULL);
		RANDOM_VALUE = not_selected[i];
		expect_e("pct=50 sampled out", R7489,
		    "v=DMARC1; p=reject; pct=50", DMARC_POLICY_QUARANTINE,
		    DMARC_DISPOSITION_QUARANTINE, "sampled_out");
	}
	/* RFC 9989 ignores pct */
	RANDOM_VALUE = 99;
	expect_e("pct=50 bis", BIS, "v=DMARC1; p=quarantine; pct=50",
	    DMARC_POLICY_QUARANTINE, DMARC_DISPOSITION_QUARANTINE, NULL);
}
END_TEST

/* Issue 8 item 14: the default sampler of fresh evaluation objects is
 * not correlated (RFC 7489 6.6.4: the sample should match pct): 1,000
 * new evaluations in the same second at pct=50 are sampled out about
 * half the time, within 5 sigma of the binomial (500 +- 79). */
START_TEST(test_pct_fresh_objects)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; pct=50"),
		END
	};
	unsigned int i, out = 0;

	USE_RANDOM = 0;
	CTX = new_ctx(R7489, zone, 0);
	for (i = 0; i < 1000; i++) {
		dmarc_eval *ev;

		ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
		feed(ev, FAILING("example.com"));
		ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_FAIL);
		if (dmarc_eval_get_requested_policy(ev) ==
		    DMARC_POLICY_QUARANTINE)
			out++;
		dmarc_eval_free(ev);
	}
	ck_assert_msg(out >= 421 && out <= 579, "%u of 1000 fresh evaluations "
	    "sampled out at pct=50", out);
	/* the context's source, when set, still decides */
	ck_assert_int_eq(dmarc_ctx_set_random(CTX, fixed_random, NULL),
	    DMARC_OK);
	RANDOM_VALUE = 50; /* not below 50: sampled out, every time */
	for (i = 0, out = 0; i < 100; i++) {
		dmarc_eval *ev;

		ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
		feed(ev, FAILING("example.com"));
		ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
		out += dmarc_eval_get_requested_policy(ev) ==
		    DMARC_POLICY_QUARANTINE;
		dmarc_eval_free(ev);
	}
	ck_assert_uint_eq(out, 100);
	dmarc_ctx_free(CTX);
	CTX = NULL;
}
END_TEST

/* The Authentication-Results field of an evaluation. */
static const char *format(const dmarc_eval *ev)
{
	static char buf[1024];
	size_t len = 0;

	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, buf,
	    sizeof buf, &len), DMARC_OK);
	ck_assert_uint_eq(len, strlen(buf));
	return buf;
}

START_TEST(test_E05)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; t=y"),
		END
	};
	dmarc_eval *ev = evaluate("E05", BIS, 0, zone, FAILING("example.com"),
	    DMARC_OK);

	check("E05", BIS, ev, &(struct want){ .result = DMARC_RESULT_FAIL,
	    .requested = DMARC_POLICY_QUARANTINE,
	    .disposition = DMARC_DISPOSITION_QUARANTINE,
	    .author = "example.com", .reasons = "policy_test_mode" });
	ck_assert_ptr_nonnull(strstr(format(ev), "policy.dmarc=quarantine"));
	done(ev);
}
END_TEST

START_TEST(test_E06)
{
	expect_e("E06", BIS, "v=DMARC1; p=quarantine; t=y",
	    DMARC_POLICY_NONE, DMARC_DISPOSITION_NONE, "policy_test_mode");
}
END_TEST

START_TEST(test_E07)
{
	expect_e("E07", BIS, "v=DMARC1; p=none; t=y",
	    DMARC_POLICY_NONE, DMARC_DISPOSITION_NONE, NULL);
}
END_TEST

START_TEST(test_E08)
{
	dmarc_eval *ev;

	/* no other evidence: treated as quarantine (RFC 9989 7.4) */
	ev = evaluate("E08", BIS, 0, ZONE_REJECT, FAILING("example.com"),
	    DMARC_OK);
	check("E08", BIS, ev, &(struct want){ .result = DMARC_RESULT_FAIL,
	    .requested = DMARC_POLICY_REJECT,
	    .disposition = DMARC_DISPOSITION_QUARANTINE,
	    .author = "example.com", .reasons = "local_policy" });
	ck_assert_ptr_nonnull(strstr(format(ev), "dis=quarantine"));
	ck_assert_ptr_nonnull(strstr(format(ev), "policy.dmarc=reject"));
	done(ev);
	/* the receiver has evidence */
	expect("E08 evidence", BIS, DMARC_EVAL_REJECT_EVIDENCE, ZONE_REJECT,
	    FAILING("example.com"), &(struct want){
	    .result = DMARC_RESULT_FAIL, .requested = DMARC_POLICY_REJECT,
	    .disposition = DMARC_DISPOSITION_REJECT, .author = "example.com",
	    .reasons = NULL });
	/* RFC 7489 mode applies reject as published */
	expect("E08 7489", R7489, 0, ZONE_REJECT, FAILING("example.com"),
	    &(struct want){ .result = DMARC_RESULT_FAIL,
	    .requested = DMARC_POLICY_REJECT,
	    .disposition = DMARC_DISPOSITION_REJECT, .author = "example.com",
	    .reasons = NULL });
}
END_TEST

START_TEST(test_E09)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("E09", BOTH[i], 0, ZONE_REJECT, &(struct msg){
		    .from = { "a@example.com" },
		    .dkim = { { PASS, "example.com", "s" } } },
		    &(struct want){ .result = DMARC_RESULT_PASS, .dkim = EXACT,
		    .requested = DMARC_POLICY_UNSPECIFIED,
		    .disposition = BOTH[i] == BIS ? DMARC_DISPOSITION_PASS :
		    DMARC_DISPOSITION_NONE, .author = "example.com",
		    .reasons = NULL });
}
END_TEST

START_TEST(test_E10)
{
	expect_e("E10", BIS, "v=DMARC1; p=none", DMARC_POLICY_NONE,
	    DMARC_DISPOSITION_NONE, NULL);
}
END_TEST

START_TEST(test_E11)
{
	static const struct fake_rr zone[] = {
		FORCE("_dmarc.example.com", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
		END
	};
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("E11", BOTH[i], 0, zone, &(struct msg){
		    .from = { "a@example.com" },
		    .dkim = { { FAIL, "example.com", "s" } } },
		    &(struct want){ .result = DMARC_RESULT_TEMPERROR,
		    .requested = DMARC_POLICY_UNSPECIFIED,
		    .disposition = DMARC_DISPOSITION_NONE,
		    .author = "example.com", .reasons = NULL });
}
END_TEST

START_TEST(test_E12)
{
	/* SPF temperror on a MAIL FROM aligned with the From domain */
	expect("E12", R7489, 0, ZONE_REJECT, &(struct msg){
	    .from = { "a@example.com" }, .env_from = "example.com",
	    .spf = DMARC_VERDICT_TEMPERROR, .spf_domain = "example.com" },
	    &(struct want){ .result = DMARC_RESULT_TEMPERROR,
	    .requested = DMARC_POLICY_UNSPECIFIED,
	    .disposition = DMARC_DISPOSITION_NONE, .author = "example.com",
	    .reasons = NULL });
}
END_TEST

START_TEST(test_E13)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++)
		expect("E13", BOTH[i], 0, ZONE_REJECT, &(struct msg){
		    .from = { "a@example.com" }, .env_from = "example.com",
		    .spf = FAIL, .spf_domain = "example.com",
		    .dkim = { { PASS, "example.com", "s" } } },
		    &(struct want){ PASSED(BOTH[i]), .dkim = EXACT,
		    .spf = UNALIGNED, .author = "example.com", .reasons = NULL });
}
END_TEST

/* A failing message of author under the zone: requested policy and the
 * existence questions asked (A, AAAA, MX counts). */
static void expect_np(const char *label, dmarc_mode mode,
    const struct fake_rr *zone, const char *author, dmarc_policy requested,
    unsigned int n_exist)
{
	char from[300];
	dmarc_eval *ev;
	unsigned int n;

	snprintf(from, sizeof from, "a@%s", author);
	ev = evaluate(label, mode, 0, zone, &(struct msg){ .from = { from } },
	    DMARC_OK);
	check(label, mode, ev, &(struct want){ .result = DMARC_RESULT_FAIL,
	    .requested = requested, .author = author, .reasons = ANY });
	n = fake_count(&Z, DMARC_RR_A) + fake_count(&Z, DMARC_RR_AAAA) +
	    fake_count(&Z, DMARC_RR_MX);
	ck_assert_msg(n == n_exist, "%s %s: %u existence queries, want %u:\n%s",
	    label, mode_name(mode), n, n_exist, fake_log_text(&Z));
	done(ev);
}

START_TEST(test_E14)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com",
		    "v=DMARC1; p=reject; sp=none; np=quarantine"),
		RR("www.example.com", DMARC_RR_A),
		END
	};
	dmarc_eval *ev;

	expect_np("E14 nx", BIS, zone, "nx.example.com",
	    DMARC_POLICY_QUARANTINE, 1);
	ck_assert_str_eq(fake_log_text(&Z), Q("nx.example.com")
	    Q("example.com") Q("com") QA("nx.example.com"));
	expect_np("E14 www", BIS, zone, "www.example.com", DMARC_POLICY_NONE, 1);
	expect_np("E14 author", BIS, zone, "example.com", DMARC_POLICY_REJECT, 0);
	ev = evaluate("E14 nx", BIS, 0, zone, FAILING("nx.example.com"),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_disposition(ev),
	    DMARC_DISPOSITION_QUARANTINE);
	ck_assert_int_eq(dmarc_discovery_get_applied_tag(
	    dmarc_eval_get_discovery(ev)), DMARC_TAG_NP);
	ck_assert_int_eq(dmarc_discovery_get_author_exists(
	    dmarc_eval_get_discovery(ev)), 0);
	done(ev);
}
END_TEST

START_TEST(test_E15)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; np=none"),
		RR("www.example.com", DMARC_RR_A),
		END
	};

	expect_np("E15 www", BIS, zone, "www.example.com",
	    DMARC_POLICY_REJECT, 1);
	expect_np("E15 nx", BIS, zone, "nx.example.com", DMARC_POLICY_NONE, 1);
}
END_TEST

START_TEST(test_E16)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=none; sp=reject"),
		END
	};

	/* no np: np would fall back to sp, so no existence test is needed
	 * (digest 2.6) */
	expect_np("E16 nx", BIS, zone, "nx.example.com", DMARC_POLICY_REJECT,
	    0);
}
END_TEST

static const struct fake_rr ZONE_E17[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=none; sp=quarantine; np=reject"),
	END
};

START_TEST(test_E17)
{
	/* np is an unknown tag in RFC 7489: no existence test */
	expect_np("E17", R7489, ZONE_E17, "nx.example.com",
	    DMARC_POLICY_QUARANTINE, 0);
}
END_TEST

START_TEST(test_E18)
{
	dmarc_eval *ev;

	expect_np("E18", R9091, ZONE_E17, "nx.example.com",
	    DMARC_POLICY_REJECT, 1);
	ck_assert_str_eq(fake_log_text(&Z), Q("nx.example.com")
	    Q("example.com") QA("nx.example.com"));
	ev = evaluate("E18", R9091, 0, ZONE_E17, FAILING("nx.example.com"),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_disposition(ev),
	    DMARC_DISPOSITION_REJECT);
	done(ev);
}
END_TEST

START_TEST(test_E19)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=none; np=reject"),
		/* the name exists, with no A, AAAA or MX (NODATA) */
		TXT("nodata.example.com", "v=spf1 -all"),
		END
	};

	expect_np("E19 bis", BIS, zone, "nodata.example.com",
	    DMARC_POLICY_NONE, 1);
	ck_assert_str_eq(fake_log_text(&Z), Q("nodata.example.com")
	    Q("example.com") Q("com") QA("nodata.example.com"));
	expect_np("E19 9091", R9091, zone, "nodata.example.com",
	    DMARC_POLICY_REJECT, 3);
	ck_assert_str_eq(fake_log_text(&Z), Q("nodata.example.com")
	    Q("example.com") QA("nodata.example.com")
	    QAAAA("nodata.example.com") QMX("nodata.example.com"));
}
END_TEST

static const struct fake_rr ZONE_E20[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
	TXT("_dmarc.example.net", "v=DMARC1; p=quarantine"),
	END
};

START_TEST(test_E20)
{
	static const char *const froms[] = {
		"a@example.com, b@example.net",
		"b@example.net, a@example.com",
		"B <b@example.net>, A <a@example.com>"
	};
	size_t i, j;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_mode mode = BOTH[i];

		for (j = 0; j < 3; j++)
			expect(froms[j], mode, DMARC_EVAL_MULTI_FROM, ZONE_E20,
			    &(struct msg){ .from = { froms[j] } },
			    &(struct want){ FAILED_REJECT(mode),
			    .author = "example.com" });
		/* example.com passes: example.net's failure decides */
		expect("E20 one passes", mode, DMARC_EVAL_MULTI_FROM, ZONE_E20,
		    &(struct msg){ .from = { froms[0] },
		    .dkim = { { PASS, "example.com", "s" } } },
		    &(struct want){ .result = DMARC_RESULT_FAIL,
		    .requested = DMARC_POLICY_QUARANTINE,
		    .disposition = DMARC_DISPOSITION_QUARANTINE,
		    .author = "example.net", .reasons = NULL });
		/* both pass */
		expect("E20 both pass", mode, DMARC_EVAL_MULTI_FROM, ZONE_E20,
		    &(struct msg){ .from = { froms[0] },
		    .dkim = { { PASS, "example.com", "s" },
		    { PASS, "example.net", "s" } } },
		    &(struct want){ PASSED(mode), .dkim = EXACT,
		    .author = ANY, .reasons = NULL });
	}
}
END_TEST

/* ---- Authentication-Results input (digest 8.3, 8.4, 10.9) ---- */

static const char H01[] = "mx.example.org; spf=pass "
    "smtp.mailfrom=bounce.example.com; dkim=pass header.d=example.com "
    "header.s=sel1; dmarc=pass header.from=example.com";
static const char H03[] = "evil.example; dkim=pass header.d=example.com";
static const char H05[] = "mx.example.org; dkim=pass (1024-bit key) "
    "header.i=@sub.example.com";
static const char H08[] = "mx.example.org; spf=pass smtp.helo=mx.example.com";
/* H08 with the null path said */
static const char H08_NULL[] = "mx.example.org; spf=pass smtp.mailfrom=<> "
    "smtp.helo=mx.example.com";

/* A context trusting mx.example.org, and an evaluation of a message of
 * example.com fed only from the given Authentication-Results values. */
static dmarc_eval *eval_authres(dmarc_mode mode, int trust, const char *ar1,
    const char *ar2)
{
	dmarc_eval *ev;

	CTX = new_ctx(mode, ZONE_REJECT, 0);
	if (trust)
		ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX, "mx.example.org"),
		    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	feed(ev, &(struct msg){ .from = { "a@example.com" },
	    .authres = { ar1, ar2 } });
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	return ev;
}

START_TEST(test_authres_H01)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_eval *ev = eval_authres(BOTH[i], 1, H01, NULL);

		ck_assert_int_eq(dmarc_eval_get_spf_result(ev), PASS);
		ck_assert_int_eq(dmarc_eval_get_spf_scope(ev), DMARC_SPF_MAILFROM);
		ck_assert_pstr_eq(dmarc_eval_get_spf_domain(ev),
		    "bounce.example.com");
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
		ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0), PASS);
		ck_assert_pstr_eq(dmarc_eval_get_dkim_domain(ev, 0), "example.com");
		ck_assert_pstr_eq(dmarc_eval_get_dkim_selector(ev, 0), "sel1");
		check("H01", BOTH[i], ev, &(struct want){ PASSED(BOTH[i]),
		    .spf = ORG, .dkim = EXACT, .author = "example.com" });
		done(ev);
		/* not trusted: nothing taken */
		ev = eval_authres(BOTH[i], 0, H01, NULL);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 0);
		ck_assert_int_eq(dmarc_eval_get_spf_result(ev), DMARC_VERDICT_NONE);
		check("H01 untrusted", BOTH[i], ev, &(struct want){
		    FAILED_REJECT(BOTH[i]), .author = "example.com" });
		done(ev);
	}
}
END_TEST

START_TEST(test_authres_H03)
{
	/* an authserv-id not trusted: ignored entirely */
	dmarc_eval *ev = eval_authres(BIS, 1, H03, NULL);

	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 0);
	check("H03", BIS, ev, &(struct want){ FAILED_REJECT(BIS),
	    .author = "example.com" });
	done(ev);
	/* beside a trusted one: only the trusted one counts */
	ev = eval_authres(R7489, 1, H03,
	    "mx.example.org; dkim=fail header.d=example.com");
	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
	ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0), FAIL);
	check("H03 + trusted", R7489, ev, &(struct want){
	    FAILED_REJECT(R7489), .author = "example.com" });
	done(ev);
}
END_TEST

START_TEST(test_authres_H05)
{
	/* header.d missing: the domain of header.i, an approximation */
	dmarc_eval *ev = eval_authres(R7489, 1, H05, NULL);

	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
	ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0), PASS);
	ck_assert_pstr_eq(dmarc_eval_get_dkim_domain(ev, 0), "sub.example.com");
	check("H05", R7489, ev, &(struct want){ PASSED(R7489), .dkim = ORG,
	    .author = "example.com" });
	done(ev);
}
END_TEST

/* A message of example.com fed from up to two trusted fields, with the
 * envelope sender env (NULL: not given) given before the fields, or
 * after them when env_after. */
static dmarc_eval *eval_ar_env(dmarc_mode mode, const char *env,
    int env_after, const char *ar1, const char *ar2)
{
	dmarc_eval *ev;

	CTX = new_ctx(mode, ZONE_REJECT, 0);
	ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX, "mx.example.org"),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	if (env != NULL && !env_after)
		ck_assert_int_eq(dmarc_eval_set_envelope_from(ev, env,
		    strlen(env)), DMARC_OK);
	feed(ev, &(struct msg){ .from = { "a@example.com" },
	    .authres = { ar1, ar2 } });
	if (env != NULL && env_after)
		ck_assert_int_eq(dmarc_eval_set_envelope_from(ev, env,
		    strlen(env)), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	return ev;
}

/* The HELO result counted, for mx.example.com. */
static void expect_helo_pass(const char *label, dmarc_mode mode,
    dmarc_eval *ev)
{
	ck_assert_msg(dmarc_eval_get_spf_result(ev) == PASS &&
	    dmarc_eval_get_spf_scope(ev) == DMARC_SPF_HELO, "%s %s: SPF %d "
	    "scope %d", label, mode_name(mode),
	    (int)dmarc_eval_get_spf_result(ev),
	    (int)dmarc_eval_get_spf_scope(ev));
	ck_assert_pstr_eq(dmarc_eval_get_spf_domain(ev), "mx.example.com");
	check(label, mode, ev, &(struct want){ PASSED(mode), .spf = ORG,
	    .author = "example.com" });
	done(ev);
}

START_TEST(test_authres_H08)
{
	static const char *const nulls[] = {
		H08_NULL,
		"mx.example.org; spf=pass smtp.helo=mx.example.com "
		    "smtp.mailfrom=",
		"mx.example.org; spf=none smtp.mailfrom=<>; "
		    "spf=pass smtp.helo=mx.example.com",
	};
	size_t i, j;

	/* MAIL FROM was null: the HELO identity is the SPF identity, when
	 * the null path is explicit (RFC 7208 2.4): the caller's empty
	 * envelope sender, before or after the field ... */
	for (i = 0; i < N_BOTH; i++) {
		expect_helo_pass("H08 env first", BOTH[i],
		    eval_ar_env(BOTH[i], "", 0, H08, NULL));
		expect_helo_pass("H08 env after", BOTH[i],
		    eval_ar_env(BOTH[i], "", 1, H08, NULL));
		/* ... or an empty or "<>" smtp.mailfrom */
		for (j = 0; j < sizeof nulls / sizeof nulls[0]; j++)
			expect_helo_pass("H08 <>", BOTH[i],
			    eval_ar_env(BOTH[i], NULL, 0, nulls[j], NULL));
		/* in another field, in either order */
		expect_helo_pass("H08 <> after", BOTH[i], eval_ar_env(BOTH[i],
		    NULL, 0, H08, "mx.example.org; spf=none smtp.mailfrom=<>"));
		expect_helo_pass("H08 <> before", BOTH[i], eval_ar_env(BOTH[i],
		    NULL, 0, "mx.example.org; spf=none smtp.mailfrom=<>", H08));
	}
}
END_TEST

/* A HELO result alone says nothing of MAIL FROM: a field may leave out
 * smtp.mailfrom, or another hop checked it.  Without an explicit null
 * path it never counts. */
START_TEST(test_authres_helo_needs_null)
{
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_eval *ev = eval_ar_env(BOTH[i], NULL, 0, H08, NULL);

		check("HELO alone", BOTH[i], ev, &(struct want){
		    FAILED_REJECT(BOTH[i]), .spf = UNALIGNED,
		    .author = "example.com" });
		ck_assert_ptr_null(recorded_env_from(ev));
		done(ev);
		/* a real envelope sender given by the caller, either order */
		ev = eval_ar_env(BOTH[i], "other.net", 0,
		    "mx.example.org; spf=pass smtp.mailfrom=<> "
		    "smtp.helo=mx.example.com", NULL);
		check("HELO, caller's sender first", BOTH[i], ev,
		    &(struct want){ FAILED_REJECT(BOTH[i]), .spf = UNALIGNED,
		    .author = "example.com" });
		done(ev);
		ev = eval_ar_env(BOTH[i], "other.net", 1,
		    "mx.example.org; spf=pass smtp.mailfrom=<> "
		    "smtp.helo=mx.example.com", NULL);
		check("HELO, caller's sender after", BOTH[i], ev,
		    &(struct want){ FAILED_REJECT(BOTH[i]), .spf = UNALIGNED,
		    .author = "example.com" });
		ck_assert_pstr_eq(recorded_env_from(ev), "other.net");
		done(ev);
	}
}
END_TEST

/* Issue 8 item 11: a HELO pass in the nearest trusted field, the MAIL
 * FROM fail in another; whatever the order, MAIL FROM decides. */
START_TEST(test_authres_helo_across_fields)
{
	static const char helo[] = "mx.example.org; spf=pass "
	    "smtp.helo=example.com";
	static const char helo_null[] = "mx.example.org; spf=pass "
	    "smtp.mailfrom=<> smtp.helo=example.com";
	static const char mf[] = "mx.example.org; spf=fail "
	    "smtp.mailfrom=x@evil.example";
	const char *const firsts[] = { helo, helo_null };
	size_t i, j, k;

	for (i = 0; i < N_BOTH; i++)
		for (j = 0; j < 2; j++)
			for (k = 0; k < 4; k++) {
				/* the caller's null path or not, the field's
				 * or not, HELO field first or second */
				const char *h = firsts[k >> 1];
				dmarc_eval *ev = eval_ar_env(BOTH[i],
				    k & 1 ? "" : NULL, 0, j ? mf : h,
				    j ? h : mf);
				check("HELO + MAIL FROM fields", BOTH[i], ev,
				    &(struct want){ FAILED_REJECT(BOTH[i]),
				    .spf = UNALIGNED, .author = "example.com" });
				ck_assert_int_eq(dmarc_eval_get_spf_result(ev),
				    FAIL);
				ck_assert_int_eq(dmarc_eval_get_spf_scope(ev),
				    DMARC_SPF_MAILFROM);
				ck_assert_pstr_eq(dmarc_eval_get_spf_domain(ev),
				    "evil.example");
				done(ev);
			}
}
END_TEST

/* The caller's HELO verdict counts for a null path said by a field, the
 * field given before or after it. */
START_TEST(test_authres_null_path_for_caller_helo)
{
	static const char null_mf[] = "mx.example.org; spf=none "
	    "smtp.mailfrom=<>";
	dmarc_eval *ev;
	int after;

	for (after = 0; after < 2; after++) {
		CTX = new_ctx(BIS, ZONE_REJECT, 0);
		ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX,
		    "mx.example.org"), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_add_from(ev, "a@example.com", 13),
		    DMARC_OK);
		if (after)
			ck_assert_int_eq(dmarc_eval_add_authres(ev, null_mf,
			    strlen(null_mf), NULL), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_set_spf(ev, PASS, "mx.example.com",
		    14, DMARC_SPF_HELO), DMARC_OK);
		if (!after)
			ck_assert_int_eq(dmarc_eval_add_authres(ev, null_mf,
			    strlen(null_mf), NULL), DMARC_OK);
		ck_assert_pstr_eq(recorded_env_from(ev), "");
		ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
		check("caller HELO, field null path", BIS, ev, &(struct want){
		    PASSED(BIS), .spf = ORG, .author = "example.com" });
		done(ev);
	}
}
END_TEST

/* dmarc_eval_set_spf wins over fields, given before or after them. */
START_TEST(test_authres_direct_spf_wins)
{
	static const char mf[] = "mx.example.org; spf=pass "
	    "smtp.mailfrom=bounce.example.com";
	dmarc_eval *ev;
	int after;

	for (after = 0; after < 2; after++) {
		CTX = new_ctx(BIS, ZONE_REJECT, 0);
		ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX,
		    "mx.example.org"), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_add_from(ev, "a@example.com", 13),
		    DMARC_OK);
		if (after)
			ck_assert_int_eq(dmarc_eval_add_authres(ev, mf,
			    strlen(mf), NULL), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_set_spf(ev, FAIL, "other.net", 9,
		    DMARC_SPF_MAILFROM), DMARC_OK);
		if (!after)
			ck_assert_int_eq(dmarc_eval_add_authres(ev, mf,
			    strlen(mf), NULL), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
		ck_assert_pstr_eq(dmarc_eval_get_spf_domain(ev), "other.net");
		check("direct SPF", BIS, ev, &(struct want){
		    FAILED_REJECT(BIS), .spf = UNALIGNED,
		    .author = "example.com" });
		done(ev);
	}
}
END_TEST

/* CVE-2019-20790 through Authentication-Results: a HELO pass is not
 * used when a non-null MAIL FROM was checked (digest 8.4 step 2),
 * whichever comes first. */
START_TEST(test_authres_cve_2019_20790)
{
	static const char *const ars[] = {
		"mx.example.org; spf=fail smtp.mailfrom=user@other.net; "
		    "spf=pass smtp.helo=mx.example.com",
		"mx.example.org; spf=pass smtp.helo=mx.example.com; "
		    "spf=fail smtp.mailfrom=user@other.net"
	};
	size_t i, j;

	for (i = 0; i < N_BOTH; i++)
		for (j = 0; j < 2; j++) {
			dmarc_eval *ev = eval_authres(BOTH[i], 1, ars[j], NULL);

			check(j == 0 ? "A-R CVE-2019-20790" :
			    "A-R CVE-2019-20790 helo first", BOTH[i], ev,
			    &(struct want){ FAILED_REJECT(BOTH[i]),
			    .spf = UNALIGNED, .author = "example.com" });
			done(ev);
		}
}
END_TEST

/* Issue 8 item 12: one signature reported by two trusted fields is one
 * signature, identified by d=, s= and, when given, header.b (RFC 6008,
 * a prefix of either).  Conflicting verdicts for it: a pass counts only
 * when every report of it says pass. */
static dmarc_eval *eval_dkim_ar(dmarc_mode mode, const char *ar1,
    const char *ar2)
{
	dmarc_eval *ev = eval_ar_env(mode, NULL, 0, ar1, ar2);

	return ev;
}

/* "dkim=none" (RFC 8601 2.7.1: the message was not signed) is no
 * signature: nothing for the report's auth_results; "dkim=none" with a
 * header.d still names one. */
START_TEST(test_authres_dkim_none)
{
	dmarc_eval *ev = eval_authres(BIS, 1,
	    "mx.example.org; spf=pass smtp.mailfrom=example.com; dkim=none",
	    NULL);

	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 0);
	check("dkim=none", BIS, ev, &(struct want){ PASSED(BIS),
	    .spf = EXACT, .author = "example.com" });
	done(ev);
	ev = eval_authres(BIS, 1, "mx.example.org; dkim=none "
	    "header.d=example.com header.s=sel1", NULL);
	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
	ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0), DMARC_VERDICT_NONE);
	done(ev);
}
END_TEST

START_TEST(test_authres_dkim_once)
{
	static const char pass[] = "mx.example.org; dkim=pass "
	    "header.d=example.com header.s=sel1";
	static const char pass_b[] = "mx.example.org; dkim=pass "
	    "header.d=Example.COM header.s=sel1 header.b=AbCdEfGh12";
	static const char pass_b2[] = "mx.example.org; dkim=pass "
	    "header.d=example.com header.s=sel1 header.b=AbCdEfGh";
	static const char pass_other_b[] = "mx.example.org; dkim=pass "
	    "header.d=example.com header.s=sel1 header.b=ZZZZZZZZ";
	static const char fail[] = "mx.example.org; dkim=fail "
	    "header.d=example.com header.s=sel1";
	static const char temp[] = "mx.example.org; dkim=temperror "
	    "header.d=example.com header.s=sel1";
	static const char two[] = "mx.example.org; dkim=pass "
	    "header.d=example.com header.s=sel1; dkim=fail "
	    "header.d=example.com header.s=sel1";
	dmarc_eval *ev;
	size_t i;
	int order;

	for (i = 0; i < N_BOTH; i++) {
		/* the same verdict twice: one signature */
		ev = eval_dkim_ar(BOTH[i], pass, pass);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
		check("dkim twice", BOTH[i], ev, &(struct want){
		    PASSED(BOTH[i]), .dkim = EXACT, .author = "example.com" });
		done(ev);
		/* header.b: a prefix of the other is the same signature */
		ev = eval_dkim_ar(BOTH[i], pass_b, pass_b2);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
		done(ev);
		ev = eval_dkim_ar(BOTH[i], pass, pass_b);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
		done(ev);
		/* another header.b is another signature */
		ev = eval_dkim_ar(BOTH[i], pass_b, pass_other_b);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 2);
		done(ev);
		for (order = 0; order < 2; order++) {
			/* pass and fail for one signature: not a pass */
			ev = eval_dkim_ar(BOTH[i], order ? fail : pass,
			    order ? pass : fail);
			ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
			ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0), FAIL);
			check("dkim pass+fail", BOTH[i], ev, &(struct want){
			    FAILED_REJECT(BOTH[i]), .author = "example.com" });
			done(ev);
			/* pass and temperror: it might not have passed */
			ev = eval_dkim_ar(BOTH[i], order ? temp : pass,
			    order ? pass : temp);
			ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
			ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0),
			    DMARC_VERDICT_TEMPERROR);
			ck_assert_int_eq(dmarc_eval_get_result(ev),
			    DMARC_RESULT_TEMPERROR);
			done(ev);
		}
		/* two signatures of one field stay two; reported again, each
		 * matches its own */
		ev = eval_dkim_ar(BOTH[i], two, two);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 2);
		ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 0), PASS);
		ck_assert_int_eq(dmarc_eval_get_dkim_result(ev, 1), FAIL);
		check("dkim two twice", BOTH[i], ev, &(struct want){
		    PASSED(BOTH[i]), .dkim = EXACT, .author = "example.com" });
		done(ev);
	}
	/* verdicts the caller gives directly are never merged */
	ev = evaluate("direct twice", BIS, 0, ZONE_REJECT, &(struct msg){
	    .from = { "a@example.com" }, .dkim = { { PASS, "example.com", "s" },
	    { FAIL, "example.com", "s" } } }, DMARC_OK);
	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 2);
	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_PASS);
	done(ev);
}
END_TEST

/* Issue 8 item 13: over DMARC_LIMIT_DKIM_SIGNATURES, signatures are kept
 * in the priority of RFC 9990 3.1.3 as far as it is known when they are
 * given (pass first, then a domain nearer a From domain), and the drops
 * are counted. */
static dmarc_eval *new_ev_from(dmarc_mode mode, const char *from)
{
	dmarc_eval *ev;

	CTX = new_ctx(mode, ZONE_REJECT, 0);
	ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX, "mx.example.org"),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	if (from != NULL)
		ck_assert_int_eq(dmarc_eval_add_from(ev, from, strlen(from)),
		    DMARC_OK);
	return ev;
}

static void add_sig(dmarc_eval *ev, dmarc_verdict v, const char *d,
    dmarc_status want)
{
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, v, d, strlen(d), "s", 1),
	    want);
}

START_TEST(test_dkim_limit_priority)
{
	char d[64], ar[4096];
	dmarc_eval *ev;
	size_t i, m, used;

	for (m = 0; m < N_BOTH; m++) {
		/* 16 failing signatures, then an aligned pass */
		ev = new_ev_from(BOTH[m], "a@example.com");
		for (i = 0; i < 16; i++) {
			snprintf(d, sizeof d, "f%zu.example.net", i);
			add_sig(ev, FAIL, d, DMARC_OK);
		}
		ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(ev), 0);
		add_sig(ev, PASS, "example.com", DMARC_OK);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 16);
		ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(ev), 1);
		/* the last one given is the last index */
		ck_assert_pstr_eq(dmarc_eval_get_dkim_domain(ev, 15),
		    "example.com");
		ck_assert_int_eq(dmarc_eval_set_dkim_human_result(ev, 15, "ok",
		    sizeof "ok" - 1),
		    DMARC_OK);
		/* one ranking no higher than any kept is refused */
		add_sig(ev, FAIL, "late.example.net", DMARC_ERANGE);
		ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(ev), 2);
		ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
		check("aligned pass after 16 failures", BOTH[m], ev,
		    &(struct want){ PASSED(BOTH[m]), .dkim = EXACT,
		    .author = "example.com" });
		ck_assert_int_eq(dmarc_eval_get_aligned_dkim(ev), 15);
		done(ev);

		/* the same through one trusted field */
		used = (size_t)snprintf(ar, sizeof ar, "mx.example.org");
		for (i = 0; i < 16; i++)
			used += (size_t)snprintf(ar + used, sizeof ar - used,
			    "; dkim=fail header.d=f%zu.example.net", i);
		snprintf(ar + used, sizeof ar - used,
		    "; dkim=pass header.d=example.com header.s=s1");
		ev = eval_ar_env(BOTH[m], NULL, 0, ar, NULL);
		ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(ev), 1);
		check("A-R aligned pass after 16 failures", BOTH[m], ev,
		    &(struct want){ PASSED(BOTH[m]), .dkim = EXACT,
		    .author = "example.com" });
		done(ev);

		/* 16 unrelated passes: a pass nearer the From domain ranks
		 * higher, the nearest highest */
		ev = new_ev_from(BOTH[m], "a@mail.example.com");
		for (i = 0; i < 16; i++) {
			snprintf(d, sizeof d, "p%zu.example.net", i);
			add_sig(ev, PASS, d, DMARC_OK);
		}
		add_sig(ev, PASS, "other.example.com", DMARC_OK);
		add_sig(ev, PASS, "example.com", DMARC_OK);
		add_sig(ev, PASS, "mail.example.com", DMARC_OK);
		add_sig(ev, PASS, "x.example.net", DMARC_ERANGE);
		ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(ev), 4);
		ck_assert_pstr_eq(dmarc_eval_get_dkim_domain(ev, 13),
		    "other.example.com");
		ck_assert_pstr_eq(dmarc_eval_get_dkim_domain(ev, 15),
		    "mail.example.com");
		/* a failing one never displaces a pass */
		add_sig(ev, FAIL, "mail.example.com", DMARC_ERANGE);
		ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_PASS);
		ck_assert_int_eq(dmarc_eval_get_aligned_dkim(ev), 15);
		done(ev);
	}
	/* reset forgets the count */
	ev = new_ev_from(BIS, NULL);
	for (i = 0; i < 17; i++)
		add_sig(ev, FAIL, "example.net", i < 16 ? DMARC_OK :
		    DMARC_ERANGE);
	ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(ev), 1);
	dmarc_eval_reset(ev);
	ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(ev), 0);
	ck_assert_uint_eq(dmarc_eval_get_dkim_dropped(NULL), 0);
	done(ev);
}
END_TEST

/* ---- overrides ---- */

START_TEST(test_override)
{
	char long_comment[300];
	dmarc_eval *ev;

	/* before the run */
	CTX = new_ctx(R7489, ZONE_REJECT, 0);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	feed(ev, FAILING("example.com"));
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_MAILING_LIST, NULL), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	check("override", R7489, ev, &(struct want){ FAILED_REJECT(R7489),
	    .author = "example.com" });

	/* bad comments change nothing */
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_OTHER, "line\r\nX-Injected: 1"), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_OTHER, "tab\there"), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_OTHER, "del\x7f"), DMARC_EINVAL);
	memset(long_comment, 'x', 256);
	long_comment[256] = '\0';
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_OTHER, long_comment), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_eval_override(ev, (dmarc_disposition)0,
	    DMARC_REASON_OTHER, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    (dmarc_reason)0, NULL), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_eval_get_reason_count(ev), 0);
	ck_assert_int_eq(dmarc_eval_get_applied_disposition(ev),
	    DMARC_DISPOSITION_REJECT);

	/* a mailing list: delivered */
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_MAILING_LIST, "list.example.org"), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_applied_disposition(ev),
	    DMARC_DISPOSITION_NONE);
	ck_assert_int_eq(dmarc_eval_get_disposition(ev),
	    DMARC_DISPOSITION_REJECT);
	ck_assert_int_eq(dmarc_eval_get_requested_policy(ev),
	    DMARC_POLICY_REJECT);
	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_FAIL);
	ck_assert_uint_eq(dmarc_eval_get_reason_count(ev), 1);
	ck_assert_int_eq(dmarc_eval_get_reason(ev, 0), DMARC_REASON_MAILING_LIST);
	ck_assert_pstr_eq(dmarc_eval_get_reason_comment(ev, 0),
	    "list.example.org");
	ck_assert_ptr_null(dmarc_eval_get_reason_comment(ev, 1));
	/* the A-R comment shows what was applied */
	ck_assert_ptr_nonnull(strstr(format(ev), "dis=none"));
	/* 255 bytes is the most */
	long_comment[255] = '\0';
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_QUARANTINE,
	    DMARC_REASON_OTHER, long_comment), DMARC_OK);
	ck_assert_uint_eq(dmarc_eval_get_reason_count(ev), 2);
	ck_assert_int_eq(dmarc_eval_get_applied_disposition(ev),
	    DMARC_DISPOSITION_QUARANTINE);
	ck_assert_uint_eq(strlen(dmarc_eval_get_reason_comment(ev, 1)), 255);

	/* reset forgets it */
	dmarc_eval_reset(ev);
	ck_assert_uint_eq(dmarc_eval_get_reason_count(ev), 0);
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_OTHER, NULL), DMARC_ESTATE);
	done(ev);

	/* after a refused message */
	ev = evaluate("override EFROM", BIS, 0, ZONE_REJECT,
	    &(struct msg){ .from = { "a@example.com", "b@example.com" } },
	    DMARC_EFROM);
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_OTHER, NULL), DMARC_ESTATE);
	done(ev);
}
END_TEST

/* ---- failure reports (fo) ---- */

static unsigned int failure_reports(const char *record, const struct msg *m)
{
	const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", record),
		END
	};
	dmarc_eval *ev = evaluate(record, R7489, 0, zone, m, DMARC_OK);
	unsigned int fo = dmarc_eval_get_failure_reports(ev);

	done(ev);
	return fo;
}

/* messages of example.com */
static const struct msg MSG_FAIL = {
	.from = { "a@example.com" }, .env_from = "example.com",
	.spf = FAIL, .spf_domain = "example.com"
};
/* DKIM aligned pass, SPF fail for the aligned MAIL FROM (X02) */
static const struct msg MSG_DKIM_ONLY = {
	.from = { "a@example.com" }, .env_from = "example.com",
	.spf = FAIL, .spf_domain = "example.com",
	.dkim = { { PASS, "example.com", "s" } }
};
/* both aligned and passing */
static const struct msg MSG_ALL_PASS = {
	.from = { "a@example.com" }, .env_from = "example.com",
	.spf = PASS, .spf_domain = "example.com",
	.dkim = { { PASS, "example.com", "s" } }
};
/* passes by SPF; an unaligned signature failed (X06) */
static const struct msg MSG_DKIM_FAILED = {
	.from = { "a@example.com" }, .env_from = "example.com",
	.spf = PASS, .spf_domain = "example.com",
	.dkim = { { FAIL, "example.net", "s" } }
};
/* passes by DKIM; SPF failed for another domain (X07) */
static const struct msg MSG_SPF_FAILED = {
	.from = { "a@example.com" }, .env_from = "other.example",
	.spf = FAIL, .spf_domain = "other.example",
	.dkim = { { PASS, "example.com", "s" } }
};

#define RUF "; ruf=mailto:f@example.com"

START_TEST(test_failure_reports)
{
	/* fo=0 (the default): only when DMARC fails */
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject" RUF, &MSG_FAIL),
	    DMARC_FO_ALL_FAIL);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=0" RUF,
	    &MSG_FAIL), DMARC_FO_ALL_FAIL);
	/* X01 */
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=0" RUF,
	    &MSG_DKIM_ONLY), 0);
	/* fo=1: any mechanism without an aligned pass (X02) */
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=1" RUF,
	    &MSG_DKIM_ONLY), DMARC_FO_ANY_FAIL);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=1" RUF,
	    &MSG_FAIL), DMARC_FO_ANY_FAIL);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=1" RUF,
	    &MSG_ALL_PASS), 0);
	/* fo=d: a signature failed (X06) */
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=d" RUF,
	    &MSG_DKIM_FAILED), DMARC_FO_DKIM);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=d" RUF,
	    &MSG_ALL_PASS), 0);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=d" RUF,
	    &MSG_SPF_FAILED), 0);
	/* fo=s: SPF failed (X07) */
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=s" RUF,
	    &MSG_SPF_FAILED), DMARC_FO_SPF);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=s" RUF,
	    &MSG_DKIM_FAILED), 0);
	/* several options */
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=0:d:s" RUF,
	    &(struct msg){ .from = { "a@example.com" },
	    .env_from = "example.com", .spf = FAIL, .spf_domain = "example.com",
	    .dkim = { { FAIL, "example.com", "s" } } }),
	    DMARC_FO_ALL_FAIL | DMARC_FO_DKIM | DMARC_FO_SPF);
	/* without ruf: never (X03) */
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject", &MSG_FAIL), 0);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=1",
	    &MSG_DKIM_ONLY), 0);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=d",
	    &MSG_DKIM_FAILED), 0);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=s",
	    &MSG_SPF_FAILED), 0);
	ck_assert_uint_eq(failure_reports("v=DMARC1; p=reject; fo=0:1:d:s",
	    &MSG_FAIL), 0);
}
END_TEST

/* X04: ruf of a record with psd=y MUST NOT be used (RFC 9991 2). */
START_TEST(test_failure_reports_psd)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.bank",
		    "v=DMARC1; p=reject; psd=y; fo=1; ruf=mailto:f@bank"),
		RR("foo.bank", DMARC_RR_A),
		END
	};
	dmarc_eval *ev = evaluate("X04", BIS, 0, zone,
	    FAILING("foo.bank"), DMARC_OK);

	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_FAIL);
	ck_assert_uint_eq(dmarc_eval_get_failure_reports(ev), 0);
	done(ev);
}
END_TEST

/* ---- the Authentication-Results field written ---- */

#define AR "Authentication-Results: mx.example.org;\r\n\tdmarc="

static void expect_format(const char *label, dmarc_mode mode,
    const char *record, const struct msg *m, const char *want)
{
	const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", record),
		END
	};
	dmarc_eval *ev = evaluate(label, mode, 0, zone, m, DMARC_OK);
	const char *got = format(ev);

	ck_assert_msg(strcmp(got, want) == 0, "%s: wrote\n%s\nwant\n%s", label,
	    got, want);
	done(ev);
}

static const struct msg MSG_PASS = {
	.from = { "Alice <alice@example.com>" },
	.dkim = { { PASS, "example.com", "s" } }
};

START_TEST(test_format_authres)
{
	expect_format("pass", BIS, "v=DMARC1; p=reject", &MSG_PASS,
	    AR "pass (p=reject sp=reject dis=none)\r\n"
	    "\theader.from=example.com\r\n"
	    "\tpolicy.dmarc=reject\r\n");
	expect_format("fail t=y", BIS, "v=DMARC1; p=reject; sp=none; t=y",
	    FAILING("example.com"),
	    AR "fail (p=reject sp=none dis=quarantine)\r\n"
	    "\theader.from=example.com\r\n"
	    "\tpolicy.dmarc=quarantine\r\n");
	expect_format("7489 fail", R7489, "v=DMARC1; p=reject",
	    FAILING("example.com"),
	    AR "fail (p=reject sp=reject dis=reject)\r\n"
	    "\theader.from=example.com\r\n");
	expect_format("7489 pass", R7489, "v=DMARC1; p=quarantine", &MSG_PASS,
	    AR "pass (p=quarantine sp=quarantine dis=none)\r\n"
	    "\theader.from=example.com\r\n");
	expect_format("none", BIS, "v=spf1 -all", FAILING("example.com"),
	    AR "none\r\n\theader.from=example.com\r\n");
	expect_format("none 7489", R7489, "v=spf1 -all", FAILING("example.com"),
	    AR "none\r\n\theader.from=example.com\r\n");
}
END_TEST

START_TEST(test_format_authres_id)
{
	static const char quoted[] = "Authentication-Results: "
	    "\"my mx; \\\"a\\\\b\\\"\";\r\n\tdmarc=pass ";
	char buf[512], small[16];
	size_t len = 0, need;
	dmarc_eval *ev;

	ev = evaluate("format id", BIS, 0, ZONE_REJECT, &MSG_PASS, DMARC_OK);
	/* a token */
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, buf,
	    sizeof buf, &len), DMARC_OK);
	need = len;
	ck_assert_uint_eq(need, strlen(buf));
	/* quoted when not a token */
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "my mx; \"a\\b\"",
	    DMARC_AUTHRES_FIELD, buf,
	    sizeof buf, NULL), DMARC_OK);
	ck_assert_msg(strncmp(buf, quoted, strlen(quoted)) == 0,
	    "wrote %s", buf);
	/* a control character cannot be written */
	strcpy(buf, "unchanged");
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx\r\nX-Injected: 1",
	    DMARC_AUTHRES_FIELD,
	    buf, sizeof buf, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx\x01",
	    DMARC_AUTHRES_FIELD, buf,
	    sizeof buf, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx\x7f",
	    DMARC_AUTHRES_FIELD, buf,
	    sizeof buf, NULL), DMARC_EINVAL);
	ck_assert_ptr_null(strstr(buf, "X-Injected"));
	/* size 0 writes nothing, size 1 only the NUL, even when refused */
	memset(small, 'x', sizeof small);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, small,
	    0, &len), DMARC_EBUFFER);
	ck_assert_int_eq(small[0], 'x');
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx\r\n",
	    DMARC_AUTHRES_FIELD, small, 0,
	    NULL), DMARC_EINVAL);
	ck_assert_int_eq(small[0], 'x');
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, small,
	    1, &len), DMARC_EBUFFER);
	ck_assert_int_eq(small[0], '\0');
	ck_assert_int_eq(small[1], 'x');
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx\r\n",
	    DMARC_AUTHRES_FIELD, small, 1,
	    NULL), DMARC_EINVAL);
	ck_assert_int_eq(small[0], '\0');
	ck_assert_int_eq(small[1], 'x');
	/* too small: "" and the length needed */
	len = 0;
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, small,
	    sizeof small, &len), DMARC_EBUFFER);
	ck_assert_str_eq(small, "");
	ck_assert_uint_eq(len, need);
	len = 0;
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, buf,
	    need, &len), DMARC_EBUFFER);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(len, need);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, NULL, 0,
	    &len), DMARC_EBUFFER);
	ck_assert_uint_eq(len, need);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, buf,
	    need + 1, &len), DMARC_OK);
	ck_assert_uint_eq(strlen(buf), need);
	dmarc_eval_reset(ev);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "mx.example.org",
	    DMARC_AUTHRES_FIELD, buf,
	    sizeof buf, &len), DMARC_ESTATE);
	done(ev);
}
END_TEST

/* Every CRLF in the field is followed by a tab, except the last. */
static void expect_no_injection(const char *label, const char *field)
{
	const char *p;
	size_t n_semicolons = 0;

	for (p = field; *p != '\0'; p++) {
		if (*p == ';')
			n_semicolons++;
		if (*p == '\r') {
			ck_assert_msg(p[1] == '\n', "%s: bare CR in\n%s", label,
			    field);
			ck_assert_msg(p[2] == '\t' || p[2] == '\0',
			    "%s: unfolded line in\n%s", label, field);
		} else if (*p == '\n') {
			ck_assert_msg(p != field && p[-1] == '\r',
			    "%s: bare LF in\n%s", label, field);
		} else {
			ck_assert_msg(((unsigned char)*p >= 0x20 &&
			    (unsigned char)*p < 0x7f) || *p == '\t',
			    "%s: control character in\n%s", label, field);
		}
	}
	ck_assert_msg(n_semicolons == 1, "%s: %zu ';' in\n%s", label,
	    n_semicolons, field);
	ck_assert_msg(strstr(field, "Evil") == NULL &&
	    strstr(field, "Injected") == NULL && strstr(field, "evil") == NULL,
	    "%s: message text in\n%s", label, field);
}

START_TEST(test_format_no_message_text)
{
	static const char *const froms[] = {
		"\"Evil; dmarc=pass\r\n X-Injected: yes\" <a@example.com>",
		"Evil (evil; comment\r\n\tX-Injected: 1) <a@example.com>",
		"\"Evil\\\"; X-Injected=1;\" <a@example.com>"
	};
	size_t i, j;

	for (i = 0; i < N_BOTH; i++)
		for (j = 0; j < 3; j++) {
			dmarc_eval *ev;
			const char *field;

			CTX = new_ctx(BOTH[i], ZONE_REJECT, 0);
			ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX,
			    "mx.example.org"), DMARC_OK);
			ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
			feed(ev, &(struct msg){ .from = { froms[j] },
			    .authres = { "mx.example.org; spf=fail "
			    "(Evil; dmarc=pass\r\n X-Injected: 1) "
			    "smtp.mailfrom=evil@example.com; dkim=fail "
			    "reason=\"Evil; X-Injected\" header.d=example.com "
			    "header.s=evil" } });
			ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
			ck_assert_int_eq(dmarc_eval_get_result(ev),
			    DMARC_RESULT_FAIL);
			field = format(ev);
			expect_no_injection(froms[j], field);
			ck_assert_ptr_nonnull(strstr(field,
			    "\r\n\theader.from=example.com\r\n"));
			dmarc_eval_free(ev);
			dmarc_ctx_free(CTX);
		}
}
END_TEST

/* ---- reset and reuse without allocation ---- */

static long n_allocs, n_frees, fail_at = -1, n_calls;
static unsigned int COUNT_OPTIONS; /* evaluation options of counting_ctx */

static void *counting_malloc(size_t n)
{
	if (n_calls++ == fail_at)
		return NULL;
	n_allocs++;
	return malloc(n);
}

static void *counting_realloc(void *p, size_t n)
{
	void *q;

	if (n_calls++ == fail_at)
		return NULL;
	q = realloc(p, n);
	if (p == NULL && q != NULL)
		n_allocs++;
	return q;
}

static void counting_free(void *p)
{
	if (p != NULL)
		n_frees++;
	free(p);
}

static dmarc_ctx *counting_ctx(dmarc_mode mode, const struct fake_rr *zone)
{
	dmarc_ctx *ctx;

	fail_at = -1;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, counting_malloc,
	    counting_realloc, counting_free), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl(ctx, psl_path()), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_eval_options(ctx, COUNT_OPTIONS),
	    DMARC_OK);
	fake_zone_init(&Z, zone);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fake_lookup, &Z), DMARC_OK);
	return ctx;
}

static const struct fake_rr ZONE_REUSE[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
	TXT("_dmarc.example.net", "v=DMARC1; p=quarantine; adkim=s"),
	FORCE("_dmarc.temp.example", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
	END
};

/* A cycle of messages: pass (relaxed), fail, none, temperror. */
static const struct msg REUSE[] = {
	{ .from = { "a@example.com" }, .env_from = "bounce.example.com",
	  .spf = PASS, .spf_domain = "bounce.example.com",
	  .dkim = { { PASS, "mail.example.com", "s" } } },
	{ .from = { "a@mail.example.net" },
	  .dkim = { { PASS, "example.net", "s" } } },
	{ .from = { "a@example.org" }, .dkim = { { PASS, "example.org", "s" } } },
	{ .from = { "a@temp.example" } }
};
static const dmarc_result REUSE_RESULTS[] = { DMARC_RESULT_PASS,
	DMARC_RESULT_FAIL, DMARC_RESULT_NONE, DMARC_RESULT_TEMPERROR };
#define N_REUSE 4u
#define N_MESSAGES 1000u

START_TEST(test_reset_reuse)
{
	static long per_msg[N_MESSAGES], live_after[N_MESSAGES];
	size_t m;
	unsigned int i;

	for (m = 0; m < N_BOTH; m++) {
		dmarc_mode mode = BOTH[m];
		dmarc_ctx *ctx;
		dmarc_eval *ev;
		long before, max = 0;

		n_allocs = n_frees = 0;
		ctx = counting_ctx(mode, ZONE_REUSE);
		ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
		for (i = 0; i < N_MESSAGES; i++) {
			const struct msg *msg = &REUSE[i % N_REUSE];

			before = n_allocs;
			dmarc_eval_reset(ev);
			feed(ev, msg);
			ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
			ck_assert_msg(dmarc_eval_get_result(ev) ==
			    REUSE_RESULTS[i % N_REUSE], "%s message %u: result %d",
			    mode_name(mode), i, (int)dmarc_eval_get_result(ev));
			per_msg[i] = n_allocs - before;
			live_after[i] = n_allocs - n_frees;
		}
		/* after the first few messages: the same allocations for the
		 * same message each time, and no growth */
		for (i = 4 * N_REUSE; i < N_MESSAGES; i++) {
			ck_assert_msg(per_msg[i] == per_msg[i - N_REUSE],
			    "%s message %u: %ld allocations, %ld before",
			    mode_name(mode), i, per_msg[i], per_msg[i - N_REUSE]);
			ck_assert_msg(live_after[i] == live_after[i - N_REUSE],
			    "%s message %u: %ld blocks live, %ld before",
			    mode_name(mode), i, live_after[i],
			    live_after[i - N_REUSE]);
			if (per_msg[i] > max)
				max = per_msg[i];
		}
		ck_assert_msg(max <= 8, "%s: %ld allocations per message",
		    mode_name(mode), max);
		printf("eval reuse %s: allocations per message after warm-up: "
		    "%ld %ld %ld %ld (first message %ld), live blocks %ld\n",
		    mode_name(mode), per_msg[N_MESSAGES - 4],
		    per_msg[N_MESSAGES - 3], per_msg[N_MESSAGES - 2],
		    per_msg[N_MESSAGES - 1], per_msg[0],
		    live_after[N_MESSAGES - 1]);
		dmarc_eval_free(ev);
		dmarc_ctx_free(ctx);
		ck_assert_int_eq(n_allocs, n_frees);
	}
}
END_TEST

/* ---- no question twice ---- */

static const struct fake_rr ZONE_REUSED[] = {
	TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
	TXT("_dmarc.example.co.uk", "v=DMARC1; p=quarantine"),
	TXT("_dmarc.blogspot.com", "v=DMARC1; p=none"),
	TXT("_dmarc.bank", "v=DMARC1; p=reject; psd=y"),
	TXT("_dmarc.two.example.net", "v=DMARC1; p=none"),
	TXT("_dmarc.two.example.net", "v=DMARC1; p=reject"),
	TXT("_dmarc.example.net", "v=DMARC1; p=reject"),
	TXT("_dmarc.own.example.com", "v=DMARC1; p=none; psd=n"),
	END
};

/* Messages whose identifiers' walks climb through names asked before:
 * by the Author Domain's walk, by another identifier's, or by another
 * From domain's lookup. */
static const struct msg REUSED[] = {
	{ .from = { "a@example.com" }, .spf = PASS,
	  .spf_domain = "bounce.example.com",
	  .dkim = { { PASS, "mail.example.com", "s" },
	  { PASS, "example.com", "s" } } },
	{ .from = { "a@news.example.co.uk" }, .spf = PASS,
	  .spf_domain = "bounce.example.co.uk",
	  .dkim = { { PASS, "esp-mailer.net", "s" } } },
	{ .from = { "a@alice.blogspot.com" }, .spf = PASS,
	  .spf_domain = "a.b.alice.blogspot.com",
	  .dkim = { { PASS, "bob.blogspot.com", "s" } } },
	{ .from = { "a@bank" }, .spf = PASS, .spf_domain = "y.x.bank",
	  .dkim = { { PASS, "x.bank", "s" } } },
	/* two identifiers meet below the Author Domain */
	{ .from = { "a@a.b.example.com" }, .spf = PASS,
	  .spf_domain = "c.b.example.com",
	  .dkim = { { PASS, "d.b.example.com", "s" } } },
	/* the same domain twice */
	{ .from = { "a@example.com" }, .spf = PASS,
	  .spf_domain = "x.example.com",
	  .dkim = { { PASS, "x.example.com", "s" } } },
	/* several DMARC records at a name, met again */
	{ .from = { "a@example.net" }, .spf = PASS,
	  .spf_domain = "one.two.example.net",
	  .dkim = { { PASS, "three.two.example.net", "s" } } },
	/* a record met again, which ends both walks (psd=n): an
	 * organization of its own */
	{ .from = { "a@example.com" }, .spf = PASS,
	  .spf_domain = "m.own.example.com",
	  .dkim = { { PASS, "n.own.example.com", "s" } } },
};
#define N_REUSED (sizeof REUSED / sizeof REUSED[0])
/* bank is a PSD: x.bank is an organization of its own */
static const dmarc_result REUSED_RESULTS[N_REUSED] = { DMARC_RESULT_PASS,
	DMARC_RESULT_PASS, DMARC_RESULT_PASS, DMARC_RESULT_FAIL,
	DMARC_RESULT_PASS, DMARC_RESULT_PASS, DMARC_RESULT_PASS,
	DMARC_RESULT_FAIL };

/* The Organizational Domain of name found by a lookup of its own (which
 * asks every question of its walk, as evaluations did before they kept
 * their answers): into od, "" when there is none. */
static void own_org_domain(const char *name, char *od, size_t size)
{
	dmarc_discovery *d;
	const char *org;

	ck_assert_int_eq(dmarc_discovery_new(&d, CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start_org(d, name, strlen(name)),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	org = dmarc_discovery_get_org_domain(d);
	snprintf(od, size, "%s", org != NULL ? org : "");
	dmarc_discovery_free(d);
}

/* Relaxed alignment of id with the Author Domain, as separate lookups
 * of the two tell it. */
static dmarc_alignment_result own_alignment(const char *id,
    const char *author)
{
	char a[DMARC_DOMAIN_SIZE], b[DMARC_DOMAIN_SIZE];

	if (strcmp(id, author) == 0)
		return EXACT;
	own_org_domain(id, a, sizeof a);
	own_org_domain(author, b, sizeof b);
	return a[0] != '\0' && strcmp(a, b) == 0 ? ORG : UNALIGNED;
}

/* Each message: no question twice, every question one that separate
 * lookups of its names ask too, and the alignments those lookups give. */
START_TEST(test_no_question_twice)
{
	static struct fake_query asked[FAKE_MAX_LOG];
	size_t i, k;

	for (i = 0; i < N_REUSED; i++) {
		const struct msg *m = &REUSED[i];
		const char *author = strchr(m->from[0], '@') + 1;
		dmarc_alignment_result spf, dkim = UNALIGNED;
		unsigned int n, j, q;
		dmarc_eval *ev;

		ev = evaluate("no question twice", BIS, 0, ZONE_REUSED, m,
		    DMARC_OK);
		n = Z.n_log;
		ck_assert_uint_le(n, FAKE_MAX_LOG);
		memcpy(asked, Z.log, n * sizeof asked[0]);
		/* what the lookups of each name on their own give */
		fake_log_clear(&Z);
		spf = own_alignment(m->spf_domain, author);
		for (k = 0; k < 4 && m->dkim[k].v != 0; k++) {
			dmarc_alignment_result r = own_alignment(m->dkim[k].d,
			    author);
			if (r == EXACT || (r == ORG && dkim == UNALIGNED))
				dkim = r;
		}
		ck_assert_msg(dmarc_eval_get_spf_alignment(ev) == spf,
		    "message %zu: SPF alignment %d, alone %d", i,
		    (int)dmarc_eval_get_spf_alignment(ev), (int)spf);
		ck_assert_msg(dmarc_eval_get_dkim_alignment(ev) == dkim,
		    "message %zu: DKIM alignment %d, alone %d", i,
		    (int)dmarc_eval_get_dkim_alignment(ev), (int)dkim);
		ck_assert_int_eq(dmarc_eval_get_result(ev), spf != UNALIGNED ||
		    dkim != UNALIGNED ? DMARC_RESULT_PASS : DMARC_RESULT_FAIL);
		ck_assert_int_eq(dmarc_eval_get_result(ev), REUSED_RESULTS[i]);
		for (j = 0; j < n; j++) {
			for (q = 0; q < Z.n_log && q < FAKE_MAX_LOG; q++)
				if (strcmp(Z.log[q].name, asked[j].name) == 0)
					break;
			ck_assert_msg(q < Z.n_log, "message %zu: %s asked only "
			    "by the evaluation", i, asked[j].name);
		}
		done(ev);
	}
}
END_TEST

/* The questions of the messages above, and the names answered from
 * before: the Author Domain's walk, another identifier's, the same
 * domain's. */
START_TEST(test_reused_sequences)
{
	expect_q("reused: two walks", BIS, 0, ZONE_REUSED, &REUSED[0],
	    &(struct want){ PASSED(BIS), .spf = ORG, .dkim = EXACT,
	    .author = "example.com" },
	    Q("example.com") Q("com") Q("bounce.example.com")
	    Q("mail.example.com"));
	expect_q("reused: below the author", BIS, 0, ZONE_REUSED, &REUSED[4],
	    &(struct want){ PASSED(BIS), .spf = ORG, .dkim = ORG,
	    .author = "a.b.example.com" },
	    Q("a.b.example.com") Q("b.example.com") Q("example.com") Q("com")
	    Q("c.b.example.com") Q("d.b.example.com"));
	expect_q("reused: same domain", BIS, 0, ZONE_REUSED, &REUSED[5],
	    &(struct want){ PASSED(BIS), .spf = ORG, .dkim = ORG,
	    .author = "example.com" },
	    Q("example.com") Q("com") Q("x.example.com"));
	/* one From domain's names met again by the next's */
	expect_q("reused: From domains", BIS, DMARC_EVAL_MULTI_FROM,
	    ZONE_REUSED, &(struct msg){
	    .from = { "a@x.b.example.com, c@y.b.example.com" },
	    .dkim = { { PASS, "b.example.com", "s" } } },
	    &(struct want){ PASSED(BIS), .dkim = ORG, .author = ANY },
	    Q("x.b.example.com") Q("b.example.com") Q("example.com") Q("com")
	    Q("y.b.example.com"));
	/* a record an identifier's walk found, met by the next's */
	expect_q("reused: a record", BIS, 0, ZONE_REUSED, &REUSED[7],
	    &(struct want){ FAILED_REJECT(BIS), .author = "example.com" },
	    Q("example.com") Q("com") Q("m.own.example.com")
	    Q("own.example.com") Q("n.own.example.com"));
	/* an identifier's names met again by the next From domain's */
	expect_q("reused: identifier, From domains", BIS,
	    DMARC_EVAL_MULTI_FROM, ZONE_REUSED, &(struct msg){
	    .from = { "a@x.example.com, c@y.sub.example.com" },
	    .dkim = { { PASS, "sub.example.com", "s" } } },
	    &(struct want){ PASSED(BIS), .dkim = ORG, .author = ANY },
	    Q("x.example.com") Q("example.com") Q("com") Q("sub.example.com")
	    Q("y.sub.example.com"));
	expect_q("reused: From domains", R7489, DMARC_EVAL_MULTI_FROM,
	    ZONE_REUSED, &(struct msg){
	    .from = { "a@x.example.com, c@y.example.com" },
	    .dkim = { { PASS, "example.com", "s" } } },
	    &(struct want){ PASSED(R7489), .dkim = ORG, .author = ANY },
	    Q("x.example.com") Q("example.com") Q("y.example.com"));
}
END_TEST

/* How many diagnostics of the evaluation's discovery have code at the
 * name given. */
static unsigned int count_diags(const dmarc_eval *ev, dmarc_diag_code code,
    const char *name)
{
	const dmarc_discovery *d = dmarc_eval_get_discovery(ev);
	size_t i, n = dmarc_discovery_get_diag_count(d);
	unsigned int c = 0;

	for (i = 0; i < n; i++) {
		const dmarc_diag *g = dmarc_discovery_get_diag(d, i);
		c += dmarc_diag_get_code(g) == code &&
		    strcmp(dmarc_diag_get_domain(g), name) == 0;
	}
	return c;
}

/* A temporary failure met again stays a temporary failure for that
 * name: the second identifier's lookup fails as if it had asked. */
START_TEST(test_reused_tempfail)
{
	static const struct fake_rr zone[] = {
		TXT("_dmarc.example.com", "v=DMARC1; p=reject"),
		FORCE("_dmarc.bounce.example.com", DMARC_RR_TXT,
		    DMARC_DNS_TEMPFAIL),
		END
	};
	static const struct msg both = { .from = { "a@example.com" },
		.spf = PASS, .spf_domain = "bounce.example.com",
		.dkim = { { PASS, "x.bounce.example.com", "s" } } };
	static const struct msg dkim_only = { .from = { "a@example.com" },
		.dkim = { { PASS, "x.bounce.example.com", "s" } } };
	dmarc_eval *ev;

	/* asked once, failing for both identifiers */
	ev = evaluate("reused tempfail", BIS, 0, zone, &both, DMARC_OK);
	expect_queries("reused tempfail", BIS, Q("example.com") Q("com")
	    Q("bounce.example.com") Q("x.bounce.example.com"));
	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_TEMPERROR);
	ck_assert_int_eq(dmarc_eval_get_spf_alignment(ev), UNALIGNED);
	ck_assert_int_eq(dmarc_eval_get_dkim_alignment(ev), UNALIGNED);
	/* one diagnostic per lookup that failed, as when asked twice */
	ck_assert_uint_eq(count_diags(ev, DMARC_DIAG_DNS_TEMPFAIL,
	    "_dmarc.bounce.example.com"), 2);
	done(ev);
	/* the signature's lookup alone, asking: the same verdict */
	ev = evaluate("tempfail asked", BIS, 0, zone, &dkim_only, DMARC_OK);
	expect_queries("tempfail asked", BIS, Q("example.com") Q("com")
	    Q("x.bounce.example.com") Q("bounce.example.com"));
	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_TEMPERROR);
	ck_assert_uint_eq(count_diags(ev, DMARC_DIAG_DNS_TEMPFAIL,
	    "_dmarc.bounce.example.com"), 1);
	done(ev);
}
END_TEST

/* ---- the step API gives what dmarc_eval_run gives ---- */

struct outcome {
	dmarc_status status;
	dmarc_result result;
	dmarc_alignment_result spf, dkim;
	int aligned_dkim;
	dmarc_policy requested;
	dmarc_disposition disposition;
	char author[DMARC_DOMAIN_SIZE];
	char reasons[256];
	char queries[FAKE_MAX_LOG * (FAKE_QNAME_SIZE + 8)];
};

static void take_outcome(struct outcome *o, dmarc_eval *ev)
{
	const char *a = dmarc_eval_get_author_domain(ev);

	o->status = dmarc_eval_get_status(ev);
	o->result = dmarc_eval_get_result(ev);
	o->spf = dmarc_eval_get_spf_alignment(ev);
	o->dkim = dmarc_eval_get_dkim_alignment(ev);
	o->aligned_dkim = dmarc_eval_get_aligned_dkim(ev);
	o->requested = dmarc_eval_get_requested_policy(ev);
	o->disposition = dmarc_eval_get_disposition(ev);
	snprintf(o->author, sizeof o->author, "%s", a != NULL ? a : "(none)");
	snprintf(o->reasons, sizeof o->reasons, "%s", reasons_text(ev));
	snprintf(o->queries, sizeof o->queries, "%s", fake_log_text(&Z));
}

static void compare_step(const char *label, dmarc_mode mode,
    unsigned int options, const struct fake_rr *zone, const struct msg *m)
{
	static struct outcome by_run, by_step;
	const char *qname;
	dmarc_rrtype qtype;
	dmarc_eval *ev;
	unsigned int n = 0;
	dmarc_status st;

	CTX = new_ctx(mode, zone, options);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	feed(ev, m);
	st = dmarc_eval_run(ev);
	take_outcome(&by_run, ev);
	ck_assert_int_eq(st, by_run.status);
	/* the same object again, driven by hand */
	dmarc_eval_reset(ev);
	ck_assert_int_eq(dmarc_eval_get_status(ev), DMARC_ESTATE);
	ck_assert_ptr_null(dmarc_eval_get_answer(ev));
	feed(ev, m);
	fake_log_clear(&Z);
	while (dmarc_eval_step(ev, &qname, &qtype) == DMARC_STEP_QUERY) {
		dmarc_dns_answer *a = dmarc_eval_get_answer(ev);

		ck_assert_ptr_nonnull(a);
		ck_assert_int_eq(dmarc_eval_add_dkim(ev, PASS, "example.com", 11,
		    NULL, 0), DMARC_ESTATE);
		fake_answer(&Z, qname, qtype, a);
		ck_assert_msg(++n < 100, "%s: runaway", label);
	}
	expect_no_repeat(label, mode);
	/* done stays done */
	ck_assert_int_eq(dmarc_eval_step(ev, &qname, &qtype), DMARC_STEP_DONE);
	ck_assert_ptr_null(dmarc_eval_get_answer(ev));
	ck_assert_uint_eq(n, Z.n_log);
	take_outcome(&by_step, ev);
	ck_assert_msg(memcmp(&by_run, &by_step, sizeof by_run) == 0 ||
	    (by_run.status == by_step.status && by_run.result ==
	    by_step.result && by_run.spf == by_step.spf && by_run.dkim ==
	    by_step.dkim && by_run.aligned_dkim == by_step.aligned_dkim &&
	    by_run.requested == by_step.requested && by_run.disposition ==
	    by_step.disposition && strcmp(by_run.author, by_step.author) == 0 &&
	    strcmp(by_run.reasons, by_step.reasons) == 0 &&
	    strcmp(by_run.queries, by_step.queries) == 0),
	    "%s %s: step gave status %d result %d author %s queries\n%s"
	    "run gave status %d result %d author %s queries\n%s", label,
	    mode_name(mode), (int)by_step.status, (int)by_step.result,
	    by_step.author, by_step.queries, (int)by_run.status,
	    (int)by_run.result, by_run.author, by_run.queries);
	done(ev);
}

START_TEST(test_step_api)
{
	static const struct fake_rr zone_e14[] = {
		TXT("_dmarc.example.com",
		    "v=DMARC1; p=reject; sp=none; np=quarantine"),
		RR("www.example.com", DMARC_RR_A),
		END
	};
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		dmarc_mode mode = BOTH[i];

		compare_step("A01", mode, 0, ZONE_ASPF_R, &(struct msg){
		    .from = { "a@example.com" }, .env_from = "bounce.example.com",
		    .spf = PASS, .spf_domain = "bounce.example.com" });
		compare_step("A13", mode, 0, ZONE_BLOGSPOT, &(struct msg){
		    .from = { "a@alice.blogspot.com" },
		    .dkim = { { PASS, "bob.blogspot.com", "s" } } });
		compare_step("A15", mode, 0, ZONE_REJECT, &(struct msg){
		    .from = { "a@example.com" },
		    .dkim = { { FAIL, "example.com", "s" },
		    { PASS, "mail.example.com", "s" } } });
		compare_step("E14", mode, 0, zone_e14,
		    FAILING("nx.example.com"));
		compare_step("E20", mode, DMARC_EVAL_MULTI_FROM, ZONE_E20,
		    &(struct msg){ .from = { "b@example.net, a@example.com" },
		    .dkim = { { PASS, "example.net", "s" } } });
		compare_step("E11", mode, 0, (const struct fake_rr[]){
		    FORCE("_dmarc.example.com", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL),
		    END }, FAILING("example.com"));
		compare_step("F04", mode, 0, ZONE_REJECT, &(struct msg){
		    .from = { "a@example.com", "a@example.com" } });
		compare_step("F06", mode, 0, ZONE_REJECT, &(struct msg){
		    .from = { "undisclosed-recipients:;" } });
		compare_step("answers reused", mode, DMARC_EVAL_MULTI_FROM,
		    ZONE_REUSED, &(struct msg){
		    .from = { "a@x.b.example.com, c@y.b.example.com" },
		    .spf = PASS, .spf_domain = "z.b.example.com",
		    .dkim = { { PASS, "w.z.b.example.com", "s" } } });
	}
	compare_step("E19", R9091, 0, (const struct fake_rr[]){
	    TXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=none; np=reject"),
	    TXT("nodata.example.com", "v=spf1 -all"), END },
	    FAILING("nodata.example.com"));
}
END_TEST

/* ---- allocation failures ---- */

/* Run one message with allocation number k failing (k < 0: none);
 * returns the number of allocations tried.  Whatever fails, the run
 * gives DMARC_ENOMEM or the right answer, and nothing leaks. */
static long run_failing(long k, dmarc_mode mode, size_t cache,
    const struct fake_rr *zone, const struct msg *m, dmarc_result want,
    int authres)
{
	dmarc_ctx *ctx;
	dmarc_eval *ev = NULL;
	dmarc_status st;
	long tried;

	n_allocs = n_frees = 0;
	ctx = counting_ctx(mode, zone);
	if (cache != 0)
		ck_assert_int_eq(dmarc_ctx_set_cache(ctx, cache), DMARC_OK);
	if (authres)
		ck_assert_int_eq(dmarc_ctx_add_authserv_id(ctx, "mx.example.org"),
		    DMARC_OK);
	n_calls = 0;
	fail_at = k;
	st = dmarc_eval_new(&ev, ctx);
	if (st != DMARC_OK) {
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(ev);
		goto out;
	}
	if (!feed_checked(ev, m, true))
		goto out;
	if (authres) {
		st = dmarc_eval_add_authres(ev, authres == 1 ? H01 : H08_NULL,
		    strlen(authres == 1 ? H01 : H08_NULL), NULL);
		ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
		    "allocation %ld: add_authres %d", k, (int)st);
		if (st == DMARC_ENOMEM)
			goto out;
	}
	st = dmarc_eval_run(ev);
	ck_assert_msg(st == DMARC_OK || st == DMARC_ENOMEM,
	    "%s allocation %ld: run gave %d", mode_name(mode), k, (int)st);
	if (st == DMARC_OK)
		ck_assert_msg(dmarc_eval_get_result(ev) == want,
		    "%s allocation %ld failed: result %d, want %d (status OK)",
		    mode_name(mode), k, (int)dmarc_eval_get_result(ev),
		    (int)want);
out:
	tried = n_calls;
	fail_at = -1;
	dmarc_eval_free(ev);
	dmarc_ctx_free(ctx);
	ck_assert_msg(n_allocs == n_frees, "%s allocation %ld failed: %ld "
	    "blocks leaked", mode_name(mode), k, n_allocs - n_frees);
	return tried;
}

static void each_allocation_fails(dmarc_mode mode, size_t cache,
    const struct fake_rr *zone, const struct msg *m, dmarc_result want,
    int authres)
{
	long k, total;

	total = run_failing(-1, mode, cache, zone, m, want, authres);
	ck_assert_int_ge(total, 1);
	for (k = 0; k < total + 2; k++)
		run_failing(k, mode, cache, zone, m, want, authres);
}

START_TEST(test_allocation_failures)
{
	static const struct msg pass = {
		.from = { "a@example.com" }, .env_from = "bounce.example.com",
		.spf = PASS, .spf_domain = "bounce.example.com",
		.dkim = { { FAIL, "example.com", "s" },
		    { PASS, "mail.example.com", "s" } }
	};
	static const struct msg fail = {
		.from = { "a@example.com, b@example.net" }
	};
	static const struct msg ar = { .from = { "a@example.com" } };
	size_t i;

	for (i = 0; i < N_BOTH; i++) {
		each_allocation_fails(BOTH[i], 0, ZONE_REUSE, &pass,
		    DMARC_RESULT_PASS, 0);
		each_allocation_fails(BOTH[i], 16, ZONE_REUSE, &pass,
		    DMARC_RESULT_PASS, 0);
		each_allocation_fails(BOTH[i], 0, ZONE_REUSE, &ar,
		    DMARC_RESULT_PASS, 1);
		each_allocation_fails(BOTH[i], 0, ZONE_REUSE, &ar,
		    DMARC_RESULT_PASS, 2);
	}
	/* answers reused: identifiers meeting below the Author Domain, and
	 * another From domain's names */
	for (i = 0; i < N_REUSED; i++)
		each_allocation_fails(BIS, 0, ZONE_REUSED, &REUSED[i],
		    REUSED_RESULTS[i], 0);
	COUNT_OPTIONS = DMARC_EVAL_MULTI_FROM;
	each_allocation_fails(BIS, 0, ZONE_REUSED, &(struct msg){
	    .from = { "a@x.b.example.com, c@y.b.example.com" },
	    .spf = PASS, .spf_domain = "z.b.example.com",
	    .dkim = { { PASS, "w.z.b.example.com", "s" } } },
	    DMARC_RESULT_PASS, 0);
	/* multi-From: both domains evaluated */
	each_allocation_fails(BIS, 0, ZONE_REUSE, &fail, DMARC_RESULT_FAIL, 0);
	each_allocation_fails(R7489, 0, ZONE_REUSE, &fail, DMARC_RESULT_FAIL, 0);
	COUNT_OPTIONS = 0;
}
END_TEST

/* The caller's override comment is kept in storage made by the first
 * override with a comment: when it cannot be made, DMARC_ENOMEM and the
 * evaluation as it was; the next call succeeds and keeps the text. */
START_TEST(test_override_comment_alloc)
{
	static const struct msg pass = { .from = { "a@example.com" },
		.dkim = { { PASS, "example.com", "s" } } };
	dmarc_ctx *ctx;
	dmarc_eval *ev;

	n_allocs = n_frees = 0;
	ctx = counting_ctx(BIS, ZONE_REUSE);
	ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
	feed(ev, &pass);
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	/* a comment-less override needs no storage */
	fail_at = n_calls;
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_MAILING_LIST, NULL), DMARC_OK);
	ck_assert_uint_eq(dmarc_eval_get_reason_count(ev), 1);
	fail_at = n_calls;
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_LOCAL_POLICY, "allow-listed"), DMARC_ENOMEM);
	ck_assert_uint_eq(dmarc_eval_get_reason_count(ev), 1);
	fail_at = -1;
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_LOCAL_POLICY, "allow-listed"), DMARC_OK);
	ck_assert_uint_eq(dmarc_eval_get_reason_count(ev), 2);
	ck_assert_ptr_null(dmarc_eval_get_reason_comment(ev, 0));
	ck_assert_str_eq(dmarc_eval_get_reason_comment(ev, 1), "allow-listed");
	/* kept across a reset: the next comment allocates nothing */
	dmarc_eval_reset(ev);
	feed(ev, &pass);
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	fail_at = n_calls;
	ck_assert_int_eq(dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_OTHER, "second"), DMARC_OK);
	ck_assert_str_eq(dmarc_eval_get_reason_comment(ev, 0), "second");
	fail_at = -1;
	dmarc_eval_free(ev);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(n_allocs, n_frees);
}
END_TEST

/* An evaluation has room for one From domain until a field names two:
 * the room for all is made then, and when it cannot be the field is
 * refused with DMARC_ENOMEM and the evaluation is as it was (the same
 * field given again is the first From field, not a second one). */
START_TEST(test_from_room_alloc)
{
	static const char two[] = "a@example.com, b@example.net";
	dmarc_ctx *ctx;
	dmarc_eval *ev;
	int round;

	n_allocs = n_frees = 0;
	COUNT_OPTIONS = DMARC_EVAL_MULTI_FROM;
	ctx = counting_ctx(BIS, ZONE_REUSE);
	COUNT_OPTIONS = 0;
	ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
	/* one domain: no allocation */
	fail_at = n_calls;
	ck_assert_int_eq(dmarc_eval_add_from(ev, "a@example.com", 13),
	    DMARC_OK);
	dmarc_eval_reset(ev);
	ck_assert_int_eq(dmarc_eval_add_from(ev, two, strlen(two)),
	    DMARC_ENOMEM);
	fail_at = -1;
	for (round = 0; round < 2; round++) { /* the room is kept */
		long before = n_calls;
		ck_assert_int_eq(dmarc_eval_add_from(ev, two, strlen(two)),
		    DMARC_OK);
		ck_assert_int_eq(n_calls - before, round == 0 ? 1 : 0);
		/* not DMARC_EFROM: no From field was counted before */
		ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_FAIL);
		ck_assert_str_eq(dmarc_eval_get_author_domain(ev),
		    "example.com");
		dmarc_eval_reset(ev);
	}
	dmarc_eval_free(ev);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(n_allocs, n_frees);
}
END_TEST

/* A foreign Authentication-Results field (authserv-id not trusted) is
 * dropped on its authserv-id alone (RFC 8601 5): nothing allocated,
 * nothing else read, so a malformed or badly versioned body, or an
 * allocator that fails, changes nothing. */
START_TEST(test_authres_foreign_early)
{
	static const char *const foreign[] = {
		H03,
		"evil.example; dkim=pass header.d=(unterminated",
		"evil.example; ;;; = garbage \\ \"",
		"\"evil.example\" 2; dkim=pass header.d=example.com",
		"(c) evil.example (c); spf=pass smtp.mailfrom=example.com",
		"mx.example.org.evil.example; dkim=pass header.d=example.com",
	};
	dmarc_ctx *ctx;
	dmarc_eval *ev;
	size_t i;
	long before;

	n_allocs = n_frees = 0;
	ctx = counting_ctx(BIS, ZONE_REJECT);
	ck_assert_int_eq(dmarc_ctx_add_authserv_id(ctx, "mx.example.org"),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
	for (i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
		before = n_calls;
		fail_at = n_calls; /* the next allocation would fail */
		ck_assert_msg(dmarc_eval_add_authres(ev, foreign[i],
		    strlen(foreign[i]), NULL) == DMARC_OK,
		    "foreign %zu refused", i);
		ck_assert_msg(n_calls == before, "foreign field %zu: %ld "
		    "allocations", i, n_calls - before);
		fail_at = -1;
	}
	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 0);
	ck_assert_int_eq(dmarc_eval_get_spf_result(ev), DMARC_VERDICT_NONE);
	/* a trusted field is parsed: one allocation, and the first one
	 * makes room for its signatures and for the fields' SPF results
	 * (both kept); the failure of any is DMARC_ENOMEM with nothing
	 * taken */
	for (i = 0; i < 3; i++) {
		fail_at = n_calls + (long)i;
		ck_assert_int_eq(dmarc_eval_add_authres(ev, H01, strlen(H01),
		    NULL), DMARC_ENOMEM);
		ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 0);
		ck_assert_int_eq(dmarc_eval_get_spf_result(ev),
		    DMARC_VERDICT_NONE);
	}
	fail_at = -1;
	before = n_calls;
	ck_assert_int_eq(dmarc_eval_add_authres(ev, H01, strlen(H01), NULL),
	    DMARC_OK);
	/* the parse and the SPF results: the third try above made the
	 * signatures' room before its SPF results failed */
	ck_assert_int_eq(n_calls - before, 2);
	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
	dmarc_eval_reset(ev); /* the room is kept: one allocation now */
	before = n_calls;
	ck_assert_int_eq(dmarc_eval_add_authres(ev, H01, strlen(H01), NULL),
	    DMARC_OK);
	ck_assert_int_eq(n_calls - before, 1);
	ck_assert_uint_eq(dmarc_eval_get_dkim_count(ev), 1);
	dmarc_eval_free(ev);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(n_allocs, n_frees);
}
END_TEST

START_TEST(test_bad_arguments)
{
	dmarc_eval *ev = (dmarc_eval *)&ev;
	char buf[64];

	ck_assert_int_eq(dmarc_eval_new(&ev, NULL), DMARC_EINVAL);
	ck_assert_ptr_null(ev);
	ck_assert_int_eq(dmarc_eval_new(NULL, NULL), DMARC_EINVAL);
	dmarc_eval_free(NULL);
	dmarc_eval_reset(NULL);
	ck_assert_int_eq(dmarc_eval_run(NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_get_result(NULL), DMARC_RESULT_PENDING);
	ck_assert_int_eq(dmarc_eval_format_authres(NULL, "x",
	    DMARC_AUTHRES_FIELD, buf, sizeof buf,
	    NULL), DMARC_EINVAL);

	CTX = new_ctx(BIS, ZONE_REJECT, 0);
	ck_assert_int_eq(dmarc_ctx_set_eval_options(CTX, 64), DMARC_ERANGE);
	ck_assert_uint_eq(dmarc_ctx_get_eval_options(CTX), 0);
	ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX, ""), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_ctx_add_authserv_id(CTX, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_set_spf(ev, (dmarc_verdict)0, "a.example",
	    9, DMARC_SPF_MAILFROM), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_set_spf(ev, PASS, "a.example", 9,
	    (dmarc_spf_scope)3), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_add_dkim(ev, (dmarc_verdict)99, "a.example",
	    9, NULL, 0), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_set_ip(ev, "192.0.2.1",
	    sizeof "192.0.2.1" - 1), DMARC_OK);
	ck_assert_str_eq(ev->ip, "192.0.2.1");
	ck_assert_int_eq(dmarc_eval_set_ip(ev, "192.0.2.1\r\n",
	    sizeof "192.0.2.1\r\n" - 1), DMARC_EINVAL);
	/* results before the run */
	ck_assert_int_eq(dmarc_eval_get_result(ev), DMARC_RESULT_PENDING);
	ck_assert_int_eq(dmarc_eval_get_status(ev), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_eval_format_authres(ev, "x", DMARC_AUTHRES_FIELD,
	    buf, sizeof buf,
	    NULL), DMARC_ESTATE);
	ck_assert_uint_eq(dmarc_eval_get_failure_reports(ev), 0);
	/* inputs after the run */
	feed(ev, FAILING("example.com"));
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_add_from(ev, "a@example.com", 13),
	    DMARC_ESTATE);
	ck_assert_int_eq(dmarc_eval_set_spf(ev, PASS, "example.com", 11,
	    DMARC_SPF_MAILFROM), DMARC_ESTATE);
	done(ev);
	/* no lookup function */
	ck_assert_int_eq(dmarc_ctx_new(&CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	feed(ev, FAILING("example.com"));
	ck_assert_int_eq(dmarc_eval_run(ev), DMARC_ENOLOOKUP);
	done(ev);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("eval");
	TCase *tc;

	tc = tcase_create("author");
	tcase_add_test(tc, test_F01);
	tcase_add_test(tc, test_F02);
	tcase_add_test(tc, test_F03);
	tcase_add_test(tc, test_F04);
	tcase_add_test(tc, test_F05);
	tcase_add_test(tc, test_F06);
	tcase_add_test(tc, test_F07);
	tcase_add_test(tc, test_F08);
	tcase_add_test(tc, test_F09);
	tcase_add_test(tc, test_F10);
	tcase_add_test(tc, test_from_leading_comma);
	tcase_add_test(tc, test_cve_2019_16378);
	suite_add_tcase(s, tc);

	tc = tcase_create("alignment");
	tcase_add_test(tc, test_A01);
	tcase_add_test(tc, test_A02);
	tcase_add_test(tc, test_A03);
	tcase_add_test(tc, test_A04);
	tcase_add_test(tc, test_A05);
	tcase_add_test(tc, test_A06);
	tcase_add_test(tc, test_A07);
	tcase_add_test(tc, test_A08);
	tcase_add_test(tc, test_A09);
	tcase_add_test(tc, test_A10);
	tcase_add_test(tc, test_A11);
	tcase_add_test(tc, test_unrelated_signer);
	tcase_add_test(tc, test_dkim_best_alignment);
	tcase_add_test(tc, test_envelope_from_refused);
	tcase_add_test(tc, test_multi_from_over_cap);
	tcase_add_test(tc, test_selector_checked);
	tcase_add_test(tc, test_selector_bytes);
	tcase_add_test(tc, test_selector_every_byte);
	tcase_add_test(tc, test_dkim_from_own_strings);
	tcase_add_test(tc, test_psd_ruf_and_empty_id);
	tcase_add_test(tc, test_A12);
	tcase_add_test(tc, test_A13);
	tcase_add_test(tc, test_A14);
	tcase_add_test(tc, test_A15);
	tcase_add_test(tc, test_A16);
	tcase_add_test(tc, test_A17);
	tcase_add_test(tc, test_A18);
	suite_add_tcase(s, tc);

	tc = tcase_create("policy");
	tcase_add_test(tc, test_E01);
	tcase_add_test(tc, test_E02);
	tcase_add_test(tc, test_E03);
	tcase_add_test(tc, test_E04);
	tcase_add_test(tc, test_pct50);
	tcase_add_test(tc, test_pct_fresh_objects);
	tcase_add_test(tc, test_E05);
	tcase_add_test(tc, test_E06);
	tcase_add_test(tc, test_E07);
	tcase_add_test(tc, test_E08);
	tcase_add_test(tc, test_E09);
	tcase_add_test(tc, test_E10);
	tcase_add_test(tc, test_E11);
	tcase_add_test(tc, test_E12);
	tcase_add_test(tc, test_E13);
	tcase_add_test(tc, test_E14);
	tcase_add_test(tc, test_E15);
	tcase_add_test(tc, test_E16);
	tcase_add_test(tc, test_E17);
	tcase_add_test(tc, test_E18);
	tcase_add_test(tc, test_E19);
	tcase_add_test(tc, test_E20);
	suite_add_tcase(s, tc);

	tc = tcase_create("authres");
	tcase_add_test(tc, test_authres_H01);
	tcase_add_test(tc, test_authres_H03);
	tcase_add_test(tc, test_authres_H05);
	tcase_add_test(tc, test_authres_H08);
	tcase_add_test(tc, test_authres_cve_2019_20790);
	tcase_add_test(tc, test_authres_helo_needs_null);
	tcase_add_test(tc, test_authres_helo_across_fields);
	tcase_add_test(tc, test_authres_direct_spf_wins);
	tcase_add_test(tc, test_authres_null_path_for_caller_helo);
	tcase_add_test(tc, test_authres_dkim_once);
	tcase_add_test(tc, test_authres_dkim_none);
	tcase_add_test(tc, test_dkim_limit_priority);
	tcase_add_test(tc, test_authres_foreign_early);
	suite_add_tcase(s, tc);

	tc = tcase_create("decisions");
	tcase_add_test(tc, test_override);
	tcase_add_test(tc, test_failure_reports);
	tcase_add_test(tc, test_failure_reports_psd);
	tcase_add_test(tc, test_format_authres);
	tcase_add_test(tc, test_format_authres_id);
	tcase_add_test(tc, test_format_no_message_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("object");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_reset_reuse);
	tcase_add_test(tc, test_no_question_twice);
	tcase_add_test(tc, test_reused_sequences);
	tcase_add_test(tc, test_reused_tempfail);
	tcase_add_test(tc, test_step_api);
	tcase_add_test(tc, test_allocation_failures);
	tcase_add_test(tc, test_override_comment_alloc);
	tcase_add_test(tc, test_from_room_alloc);
	tcase_add_test(tc, test_bad_arguments);
	suite_add_tcase(s, tc);

	return run_suite(s);
}
