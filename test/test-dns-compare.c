/*
 * The default resolver against a real server must give what the fake
 * resolver gives on the same data.  One table of records is both: with
 * --zone this program prints it as the zone cmp.example. (every TXT cut
 * into short character-strings, so the server's answers need joining),
 * which test/dns-integration.sh serves with nsd; then, with DMARC_TEST_DNS
 * naming that server, every discovery and verification below runs once
 * through the fake and once through dmarc_resolver_lookup, and every
 * result (report destinations included) and the list of questions must
 * be the same.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "fake-dns.h"

#define NEG_TTL 321ul

static const struct fake_rr zone_rrs[] = {
	{ "_dmarc.cmp.example", DMARC_RR_TXT, 0, "v=DMARC1; p=quarantine; "
	  "sp=reject; rua=mailto:agg@cmp.example,mailto:r@other.cmp.example; "
	  "ruf=mailto:f@nowhere.cmp.example", 0 },
	{ "cmp.example._report._dmarc.other.cmp.example", DMARC_RR_TXT, 0,
	  "v=DMARC1", 0 },
	{ "_dmarc.other.cmp.example", DMARC_RR_TXT, 0,
	  "v=DMARC1; p=none; psd=n", 0 },
	{ "_dmarc.mail.cmp.example", DMARC_RR_TXT, 0, "v=DMARC1; p=none", 0 },
	{ "_dmarc.mail.cmp.example", DMARC_RR_TXT, 0, "v=DMARC1; p=reject", 0 },
	{ "_dmarc.spf.cmp.example", DMARC_RR_TXT, 0, "v=spf1 -all", 0 },
	{ "_dmarc.broken.cmp.example", DMARC_RR_TXT, 0, "v=DMARC1; p=bogus", 0 },
	{ "_dmarc.np.cmp.example", DMARC_RR_TXT, 0,
	  "v=DMARC1; p=none; sp=quarantine; np=reject", 0 },
	{ "here.np.cmp.example", DMARC_RR_A, 0, NULL, 0 },
	{ "_dmarc.d.e.f.g.h.ten.cmp.example", DMARC_RR_TXT, 0,
	  "v=DMARC1; p=reject; adkim=s", 0 },
	{ "_dmarc.long.cmp.example", DMARC_RR_TXT, 0, "v=DMARC1; p=reject; "
	  "rua=mailto:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@cmp.example,"
	  "mailto:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb@cmp.example,"
	  "mailto:cccccccccccccccccccccccccccccccccccccccccccccccccccccc@cmp.example,"
	  "mailto:dddddddddddddddddddddddddddddddddddddddddddddddddddddd@cmp.example,"
	  "mailto:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee@cmp.example,"
	  "mailto:ffffffffffffffffffffffffffffffffffffffffffffffffffffff@cmp.example,"
	  "mailto:gggggggggggggggggggggggggggggggggggggggggggggggggggggg@cmp.example,"
	  "mailto:hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh@cmp.example",
	  0 },
	/* an authorizing record that replaces the URI (RFC 9990 4), and
	 * one that redirects to another host (send to neither) */
	{ "_dmarc.ovr.cmp.example", DMARC_RR_TXT, 0, "v=DMARC1; p=none; "
	  "rua=mailto:a@other.cmp.example,mailto:b@y.other.cmp.example; "
	  "ruf=mailto:f@other.cmp.example", 0 },
	{ "ovr.cmp.example._report._dmarc.other.cmp.example", DMARC_RR_TXT, 0,
	  "v=DMARC1; rua=mailto:new@other.cmp.example!10m,"
	  "mailto:new2@other.cmp.example", 0 },
	{ "ovr.cmp.example._report._dmarc.y.other.cmp.example", DMARC_RR_TXT,
	  0, "v=DMARC1; rua=mailto:steal@cmp.example", 0 },
	{ NULL, (dmarc_rrtype)0, 0, NULL, 0 },
};

static const char *const authors[] = {
	"cmp.example", "x.cmp.example", "mail.cmp.example",
	"a.mail.cmp.example", "spf.cmp.example", "broken.cmp.example",
	"here.np.cmp.example", "gone.np.cmp.example",
	"a.b.c.d.e.f.g.h.ten.cmp.example", "other.cmp.example",
	"y.other.cmp.example", "long.cmp.example", "nothing.example",
	"ovr.cmp.example",
};
#define OVR_SUMMARY " auth=2 dest=mailto:new@other.cmp.example " \
	"dest=mailto:new2@other.cmp.example auth=5 auth=2 " \
	"dest=mailto:f@other.cmp.example"
#define N_AUTHORS (sizeof authors / sizeof authors[0])

/* ---- the table as a zone file ---- */

static void print_txt(const char *owner, const char *txt)
{
	size_t n = strlen(txt), i;

	printf("%s.\t300\tIN TXT\t", owner);
	for (i = 0; i < n; i += 20) /* short strings: answers need joining */
		printf("\"%.*s\" ", (int)(n - i < 20 ? n - i : 20), txt + i);
	putchar('\n');
}

static void print_zone(void)
{
	const struct fake_rr *r;

	printf("$ORIGIN cmp.example.\n$TTL 300\n"
	    "@\t3600\tIN SOA\tns.cmp.example. host.cmp.example. "
	    "1 3600 600 86400 %lu\n@\tIN NS\tns.cmp.example.\n"
	    "ns\tIN A\t127.0.0.1\n", NEG_TTL);
	for (r = zone_rrs; r->name != NULL; r++) {
		if (r->type == DMARC_RR_TXT)
			print_txt(r->name, r->txt);
		else
			printf("%s.\t300\tIN A\t192.0.2.1\n", r->name);
	}
}

/* ---- one discovery, summarized ---- */

struct outcome {
	char text[4096];
	struct fake_zone *log;   /* questions asked, for the fake run */
};

/* The real resolver, with its questions logged like the fake's. */
struct logged {
	dmarc_resolver *r;
	struct fake_zone log;
};

static void logged_lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	struct logged *l = user;
	struct fake_query *q;

	if (l->log.n_log < FAKE_MAX_LOG) {
		q = &l->log.log[l->log.n_log];
		snprintf(q->name, sizeof q->name, "%s", qname);
		q->type = qtype;
	}
	l->log.n_log++;
	dmarc_resolver_lookup(l->r, qname, qtype, answer);
}

/* Append " label=value" (value may be NULL). */
static void append(char *buf, size_t size, const char *label, const char *s)
{
	size_t used = strlen(buf);

	snprintf(buf + used, size - used, " %s=%s", label,
	    s != NULL ? s : "(null)");
}

static void summarize(dmarc_discovery *d, char *buf, size_t size)
{
	char rec[1024] = "";
	const dmarc_record *r = dmarc_discovery_get_record(d);
	size_t i;
	char num[64];

	if (r != NULL)
		dmarc_record_format(r, rec, sizeof rec, NULL);
	snprintf(buf, size, "result=%d source=%d tag=%d policy=%d queries=%u",
	    dmarc_discovery_get_result(d), dmarc_discovery_get_source(d),
	    dmarc_discovery_get_applied_tag(d), dmarc_discovery_get_policy(d),
	    dmarc_discovery_get_query_count(d));
	append(buf, size, "record", rec);
	append(buf, size, "pd", dmarc_discovery_get_policy_domain(d));
	append(buf, size, "od", dmarc_discovery_get_org_domain(d));
	append(buf, size, "failed", dmarc_discovery_get_failed_name(d));
	for (i = 0; i < dmarc_discovery_get_diag_count(d); i++) {
		const dmarc_diag *g = dmarc_discovery_get_diag(d, i);
		append(buf, size, "diag", dmarc_diag_get_name(g));
		append(buf, size, "at", dmarc_diag_get_domain(g));
	}
	for (i = 0; r != NULL && i < 16; i++) {
		dmarc_tag tag = i < 8 ? DMARC_TAG_RUA : DMARC_TAG_RUF;
		size_t k, n = dmarc_discovery_get_destination_count(d, tag, i % 8);
		if (i % 8 >= dmarc_record_get_uri_count(r, tag))
			continue;
		snprintf(num, sizeof num, "%d",
		    dmarc_discovery_get_authorization(d, tag, i % 8));
		append(buf, size, "auth", num);
		for (k = 0; k < n; k++)
			append(buf, size, "dest", dmarc_uri_get_text(
			    dmarc_discovery_get_destination(d, tag, i % 8, k)));
	}
}

static void run_one(dmarc_ctx *ctx, const char *author, char *buf,
    size_t size)
{
	dmarc_discovery *d;

	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_start(d, author, strlen(author)),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	if (dmarc_discovery_start_verify(d) == DMARC_OK)
		ck_assert_int_eq(dmarc_discovery_run(d), DMARC_OK);
	summarize(d, buf, size);
	dmarc_discovery_free(d);
}

static dmarc_ctx *context(dmarc_mode mode, dmarc_lookup_fn fn, void *user)
{
	dmarc_ctx *ctx;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_lookup(ctx, fn, user), DMARC_OK);
	return ctx;
}

static void compare(dmarc_mode mode, const char *author)
{
	static struct fake_zone fake;
	static struct logged real;
	static char a[8192], b[8192], qa[8192], qb[8192];
	dmarc_ctx *ctx;

	fake_zone_init(&fake, zone_rrs);
	fake.neg_ttl = NEG_TTL;
	ctx = context(mode, fake_lookup, &fake);
	run_one(ctx, author, a, sizeof a);
	dmarc_ctx_free(ctx);

	memset(&real.log, 0, sizeof real.log);
	ctx = context(mode, logged_lookup, &real);
	ck_assert_int_eq(dmarc_resolver_new(&real.r, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_server(real.r,
	    getenv("DMARC_TEST_DNS")), DMARC_OK);
	run_one(ctx, author, b, sizeof b);
	dmarc_resolver_free(real.r);
	dmarc_ctx_free(ctx);

	ck_assert_msg(strcmp(a, b) == 0, "%s (mode %d):\n fake: %s\n real: %s",
	    author, mode, a, b);
	/* the override is there to be compared (RFC 7489: the PSL puts
	 * other.cmp.example in the policy domain's organization) */
	if (mode == DMARC_MODE_RFC9989 &&
	    strcmp(author, "ovr.cmp.example") == 0)
		ck_assert_msg(strstr(a, OVR_SUMMARY) != NULL, "%s", a);
	snprintf(qa, sizeof qa, "%s", fake_log_text(&fake));
	snprintf(qb, sizeof qb, "%s", fake_log_text(&real.log));
	ck_assert_msg(strcmp(qa, qb) == 0, "%s (mode %d) questions:\n"
	    " fake: %s\n real: %s", author, mode, qa, qb);
	ck_assert_uint_gt(fake.n_log, 0);
}

START_TEST(test_rfc9989)
{
	compare(DMARC_MODE_RFC9989, authors[_i]);
}
END_TEST

START_TEST(test_rfc7489)
{
	compare(DMARC_MODE_RFC7489, authors[_i]);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s;
	TCase *tc;

	if (argc > 1 && strcmp(argv[1], "--zone") == 0) {
		print_zone();
		return 0;
	}
	if (getenv("DMARC_TEST_DNS") == NULL) {
		fputs("SKIP: DMARC_TEST_DNS is not set (run by "
		    "test/dns-integration.sh)\n", stderr);
		return 77;
	}
	s = suite_create("dns-compare");
	tc = tcase_create("fake-vs-real");
	tcase_add_loop_test(tc, test_rfc9989, 0, (int)N_AUTHORS);
	tcase_add_loop_test(tc, test_rfc7489, 0, (int)N_AUTHORS);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
