/*
 * Tests of the default resolver (lib/resolver.c) against a real server.
 * test/dns-integration.sh starts nsd with test/data/test.example.zone
 * and test/data/lowttl.example.zone and runs this program with
 *   DMARC_TEST_DNS=127.0.0.1:PORT     nsd
 *   DMARC_TEST_DNS6=[::1]:PORT        nsd over IPv6 (optional)
 *   DMARC_TEST_DEAD=127.0.0.1:PORT    a port nothing listens on
 * Without DMARC_TEST_DNS it skips (exit 77).  The expected values below
 * are those of the zone files; see the comment at the top of
 * test.example.zone.  A small fake server on a thread of this program
 * sends the answers nsd will not: SERVFAIL, FORMERR, broken messages.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "check-main.h"
#include "dns_int.h"

#define NEG_TTL 321ul       /* test.example's SOA MINIMUM (SOA TTL 3600) */
#define LOW_NEG_TTL 30ul    /* lowttl.example's SOA TTL (MINIMUM 321) */
#define TTL 300ul           /* $TTL of both zones */

static const char *server;  /* DMARC_TEST_DNS */
static dmarc_ctx *ctx;
static dmarc_resolver *res;
static struct dmarc_dns_answer ans;

static void setup(void)
{
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_new(&res, ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_server(res, server), DMARC_OK);
	memset(&ans, 0, sizeof ans);
	dmarc__answer_reset(&ans, ctx);
}

static void teardown(void)
{
	dmarc__answer_free(&ans);
	dmarc_resolver_free(res);
	dmarc_ctx_free(ctx);
	res = NULL;
	ctx = NULL;
}

/* Ask res; the answer is left in ans. */
static void ask(const char *qname, dmarc_rrtype qtype)
{
	dmarc__answer_reset(&ans, ctx);
	dmarc_resolver_lookup(res, qname, qtype, &ans);
}

static void expect(dmarc_dns_outcome outcome, uint32_t ttl)
{
	ck_assert_int_eq((int)ans.outcome, (int)outcome);
	ck_assert_uint_eq(ans.ttl, ttl);
}

/* One TXT record, a DMARC one, whose text is exactly text. */
static void expect_record(const char *text, uint32_t ttl)
{
	expect(DMARC_DNS_RECORDS, ttl);
	ck_assert_uint_eq(ans.n_txt, 1);
	ck_assert_uint_eq(ans.n_dmarc, 1);
	ck_assert_uint_eq(ans.text_len, strlen(text));
	ck_assert_mem_eq(ans.text, text, strlen(text));
	ck_assert(!ans.nomem);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- setters */

START_TEST(test_new_free)
{
	dmarc_resolver *r = NULL;
	dmarc_ctx *cx;

	ck_assert_int_eq(dmarc_ctx_new(&cx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_new(NULL, cx), DMARC_EINVAL);
	r = (dmarc_resolver *)&r;
	ck_assert_int_eq(dmarc_resolver_new(&r, NULL), DMARC_EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(dmarc_resolver_new(&r, cx), DMARC_OK);
	ck_assert_ptr_nonnull(r);
	/* making a resolver does not make the context busy */
	ck_assert_int_eq(dmarc_ctx_set_lookup(cx, dmarc_resolver_lookup, r),
	    DMARC_OK);
	dmarc_resolver_free(r);
	dmarc_resolver_free(NULL);
	dmarc_ctx_free(cx);
}
END_TEST

START_TEST(test_set_server)
{
	static const char *const good[] = {
		"127.0.0.1", "127.0.0.1:53", "127.0.0.1:1", "127.0.0.1:65535",
		"192.0.2.1:5353", "::1", "2001:db8::1", "[::1]", "[::1]:5353",
		"[2001:db8::53]:53", "::ffff:192.0.2.1",
	};
	static const char *const bad[] = {
		"", "localhost", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
		"127.0.0.1:99999999999999999999", "127.0.0.1:53x",
		"127.0.0.1:-1", "127.0.0.1:+53", "127.0.0.1: 53", "1.2.3",
		"256.1.1.1", " 127.0.0.1", "127.0.0.1 ", "127.0.0.1:53:53",
		"[::1", "[::1]x", "[::1]:", "[::1]:0", "[]", "[]:53",
		"[127.0.0.1]:53", "::1::2", "fe80::1%lo", "2001:db8::g",
		"[[::1]]", ":53",
		"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0001",
	};
	dmarc_resolver *r = NULL;
	dmarc_ctx *cx;
	size_t i;

	ck_assert_int_eq(dmarc_ctx_new(&cx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_new(&r, cx), DMARC_OK);
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(dmarc_resolver_set_server(r, good[i]) == DMARC_OK,
		    "refused \"%s\"", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(dmarc_resolver_set_server(r, bad[i]) ==
		    DMARC_EINVAL, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(dmarc_resolver_set_server(r, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_resolver_set_server(NULL, "127.0.0.1"),
	    DMARC_EINVAL);
	dmarc_resolver_free(r);
	dmarc_ctx_free(cx);
}
END_TEST

START_TEST(test_set_limits)
{
	dmarc_resolver *r = NULL;
	dmarc_ctx *cx;

	ck_assert_int_eq(dmarc_ctx_new(&cx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_new(&r, cx), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_timeout(r, 0), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_resolver_set_timeout(r, 61), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_resolver_set_timeout(r, 1), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_timeout(r, 60), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_retries(r, 0), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_resolver_set_retries(r, 11), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_resolver_set_retries(r, 1), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_retries(r, 10), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_timeout(NULL, 5), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_resolver_set_retries(NULL, 2), DMARC_EINVAL);
	dmarc_resolver_free(r);
	dmarc_ctx_free(cx);
}
END_TEST

/* A refused server string leaves the one set before in place. */
START_TEST(test_bad_server_keeps_old)
{
	ck_assert_int_eq(dmarc_resolver_set_server(res, "127.0.0.1:0"),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_resolver_set_server(res, "[::1"), DMARC_EINVAL);
	ask("_dmarc.split.test.example", DMARC_RR_TXT);
	expect_record("v=DMARC1; p=reject", TTL);
}
END_TEST

/* ------------------------------------------------------- TXT answers */

START_TEST(test_split_strings)
{
	ask("_dmarc.split.test.example", DMARC_RR_TXT);
	expect_record("v=DMARC1; p=reject", TTL);
}
END_TEST

START_TEST(test_cname)
{
	/* the CNAME's TTL (60) bounds the answer's */
	ask("_dmarc.alias.test.example", DMARC_RR_TXT);
	expect_record("v=DMARC1; p=reject", 60);
}
END_TEST

START_TEST(test_multiple_dmarc)
{
	ask("_dmarc.multi.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_RECORDS, TTL);
	ck_assert_uint_eq(ans.n_txt, 3);
	ck_assert_uint_eq(ans.n_dmarc, 2);
	/* the first DMARC record in the server's order is kept */
	ck_assert(ans.text_len == strlen("v=DMARC1; p=none") ||
	    ans.text_len == strlen("v=DMARC1; p=reject"));
	ck_assert(memcmp(ans.text, "v=DMARC1; p=", 12) == 0);
}
END_TEST

START_TEST(test_spf_only)
{
	ask("_dmarc.spf.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_RECORDS, TTL);
	ck_assert_uint_eq(ans.n_txt, 1);
	ck_assert_uint_eq(ans.n_dmarc, 0);
	ck_assert_uint_eq(ans.text_len, 0);
}
END_TEST

START_TEST(test_empty_string)
{
	ask("_dmarc.empty.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_RECORDS, TTL);
	ck_assert_uint_eq(ans.n_txt, 1);
	ck_assert_uint_eq(ans.n_dmarc, 0);
}
END_TEST

START_TEST(test_report_authorization)
{
	ask("example.com._report._dmarc.test.example", DMARC_RR_TXT);
	expect_record("v=DMARC1", TTL);
	ask("example.net._report._dmarc.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_NXDOMAIN, NEG_TTL);
	ck_assert_uint_eq(ans.n_txt, 0);
}
END_TEST

/* --------------------------------------------------- negative answers */

START_TEST(test_nodata)
{
	ask("nodata.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_NODATA, NEG_TTL);
	ck_assert_uint_eq(ans.n_txt, 0);
	ck_assert_uint_eq(ans.text_len, 0);
	ask("nodata.test.example", DMARC_RR_AAAA);
	expect(DMARC_DNS_NODATA, NEG_TTL);
	ask("nodata.test.example", DMARC_RR_MX);
	expect(DMARC_DNS_NODATA, NEG_TTL);
}
END_TEST

START_TEST(test_nxdomain)
{
	ask("_dmarc.nonexistent.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_NXDOMAIN, NEG_TTL);
	ck_assert_uint_eq(ans.n_txt, 0);
	ask("nonexistent.test.example", DMARC_RR_A);
	expect(DMARC_DNS_NXDOMAIN, NEG_TTL);
	ask("x.y.nonexistent.test.example", DMARC_RR_MX);
	expect(DMARC_DNS_NXDOMAIN, NEG_TTL);
}
END_TEST

/* The SOA's own TTL below its MINIMUM: the lesser wins. */
START_TEST(test_negative_ttl_soa_ttl)
{
	ask("_dmarc.lowttl.example", DMARC_RR_TXT);
	expect(DMARC_DNS_NXDOMAIN, LOW_NEG_TTL);
	ask("www.lowttl.example", DMARC_RR_TXT);
	expect(DMARC_DNS_NODATA, LOW_NEG_TTL);
	ask("www.lowttl.example", DMARC_RR_A);
	expect(DMARC_DNS_RECORDS, TTL);
}
END_TEST

/* ------------------------------------------------------ other types */

START_TEST(test_a_aaaa_mx)
{
	ask("nodata.test.example", DMARC_RR_A);
	expect(DMARC_DNS_RECORDS, TTL);
	ck_assert_uint_eq(ans.n_txt, 0);
	ask("v6.test.example", DMARC_RR_AAAA);
	expect(DMARC_DNS_RECORDS, TTL);
	ask("v6.test.example", DMARC_RR_A);
	expect(DMARC_DNS_NODATA, NEG_TTL);
	ask("mx.test.example", DMARC_RR_MX);
	expect(DMARC_DNS_RECORDS, TTL);
	ask("mx.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_NODATA, NEG_TTL);
	ask("ns.test.example", DMARC_RR_A);
	expect(DMARC_DNS_RECORDS, TTL);
}
END_TEST

/* ------------------------------------------------------ large answers */

/* The joined text of _dmarc.big: a prefix, then 9 strings of 250 bytes,
 * "a" x 250 to "i" x 250. */
static size_t big_text(char *buf)
{
	static const char prefix[] = "v=DMARC1; p=reject; x=";
	size_t n = sizeof prefix - 1u;
	int k;

	memcpy(buf, prefix, n);
	for (k = 0; k < 9; k++, n += 250u)
		memset(buf + n, 'a' + k, 250);
	return n;
}

/* _dmarc.huge: a prefix, then 40 strings of 250 bytes, string k made of
 * 'A' + k mod 26. */
static size_t huge_text(char *buf)
{
	static const char prefix[] = "v=DMARC1; p=none; x=";
	size_t n = sizeof prefix - 1u;
	int k;

	memcpy(buf, prefix, n);
	for (k = 0; k < 40; k++, n += 250u)
		memset(buf + n, 'A' + k % 26, 250);
	return n;
}

START_TEST(test_big_over_tcp)
{
	static char want[4096];
	size_t n = big_text(want);

	ck_assert_uint_eq(n, 2272);
	ask("_dmarc.big.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_RECORDS, TTL);
	ck_assert_uint_eq(ans.n_txt, 1);
	ck_assert_uint_eq(ans.n_dmarc, 1);
	ck_assert_uint_eq(ans.text_len, n);
	ck_assert(memcmp(ans.text, want, n) == 0);
}
END_TEST

START_TEST(test_huge_over_tcp)
{
	static char want[16384];
	size_t n = huge_text(want);

	ck_assert_uint_eq(n, 10020);
	ask("_dmarc.huge.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_RECORDS, TTL);
	ck_assert_uint_eq(ans.n_txt, 2);
	ck_assert_uint_eq(ans.n_dmarc, 1);
	ck_assert_uint_eq(ans.text_len, n);
	ck_assert(memcmp(ans.text, want, n) == 0);
}
END_TEST

/* ---------------------------------------------------------- tree walk */

struct walk_step {
	const char *qname;
	dmarc_dns_outcome outcome;
	const char *text;   /* for RECORDS */
};

static const struct walk_step walk[] = {
	{ "_dmarc.a.b.c.d.e.f.g.ten.test.example", DMARC_DNS_RECORDS,
	  "v=DMARC1; p=none; x=10" },
	{ "_dmarc.b.c.d.e.f.g.ten.test.example", DMARC_DNS_NXDOMAIN, NULL },
	{ "_dmarc.c.d.e.f.g.ten.test.example", DMARC_DNS_NXDOMAIN, NULL },
	{ "_dmarc.d.e.f.g.ten.test.example", DMARC_DNS_RECORDS,
	  "v=DMARC1; p=quarantine; x=7" },
	{ "_dmarc.e.f.g.ten.test.example", DMARC_DNS_NXDOMAIN, NULL },
	{ "_dmarc.f.g.ten.test.example", DMARC_DNS_NXDOMAIN, NULL },
	{ "_dmarc.g.ten.test.example", DMARC_DNS_NXDOMAIN, NULL },
	{ "_dmarc.ten.test.example", DMARC_DNS_RECORDS,
	  "v=DMARC1; p=reject; x=3" },
	{ "_dmarc.test.example", DMARC_DNS_RECORDS,
	  "v=DMARC1; p=none; psd=y; x=2" },
	/* the names on the path are empty non-terminals */
	{ "a.b.c.d.e.f.g.ten.test.example", DMARC_DNS_NODATA, NULL },
	{ "d.e.f.g.ten.test.example", DMARC_DNS_NODATA, NULL },
	{ "ten.test.example", DMARC_DNS_NODATA, NULL },
	/* the parent zone example. is served, empty, with MINIMUM 321 */
	{ "_dmarc.example", DMARC_DNS_NXDOMAIN, NULL },
};

START_TEST(test_tree_walk)
{
	const struct walk_step *s = &walk[_i];

	ask(s->qname, DMARC_RR_TXT);
	ck_assert_msg(ans.outcome == s->outcome, "%s: outcome %d, not %d",
	    s->qname, (int)ans.outcome, (int)s->outcome);
	if (s->text != NULL)
		expect_record(s->text, TTL);
	else if (s->outcome != DMARC_DNS_TEMPFAIL)
		ck_assert_uint_eq(ans.ttl, NEG_TTL);
}
END_TEST

/* -------------------------------------------------------- failures */

START_TEST(test_refused)
{
	/* nsd answers REFUSED for a zone it does not serve */
	ask("_dmarc.example.org", DMARC_RR_TXT);
	expect(DMARC_DNS_TEMPFAIL, 0);
	ck_assert_uint_eq(ans.n_txt, 0);
}
END_TEST

START_TEST(test_dead_port)
{
	const char *dead = getenv("DMARC_TEST_DEAD");
	double t;

	if (dead == NULL)
		return;
	ck_assert_int_eq(dmarc_resolver_set_server(res, dead), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_timeout(res, 1), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_retries(res, 1), DMARC_OK);
	t = now();
	ask("_dmarc.split.test.example", DMARC_RR_TXT);
	t = now() - t;
	expect(DMARC_DNS_TEMPFAIL, 0);
	ck_assert_msg(t < 2.5, "took %.2f s", t);
}
END_TEST

START_TEST(test_bad_names)
{
	char label[80];

	/* a label of 64 octets cannot be put in a question */
	memset(label, 'a', 64);
	memcpy(label + 64, ".test.example", sizeof ".test.example");
	ask(label, DMARC_RR_TXT);
	expect(DMARC_DNS_PERMFAIL, 0);
	ask(NULL, DMARC_RR_TXT);
	expect(DMARC_DNS_PERMFAIL, 0);
	dmarc_resolver_lookup(res, "_dmarc.test.example", DMARC_RR_TXT, NULL);
}
END_TEST

/* ------------------------------------------------------ IPv6 transport */

START_TEST(test_ipv6)
{
	const char *v6 = getenv("DMARC_TEST_DNS6");
	static char want[4096];
	size_t n;

	if (v6 == NULL)
		return;
	ck_assert_int_eq(dmarc_resolver_set_server(res, v6), DMARC_OK);
	ask("_dmarc.split.test.example", DMARC_RR_TXT);
	expect_record("v=DMARC1; p=reject", TTL);
	ask("_dmarc.nonexistent.test.example", DMARC_RR_TXT);
	expect(DMARC_DNS_NXDOMAIN, NEG_TTL);
	n = big_text(want);
	ask("_dmarc.big.test.example", DMARC_RR_TXT);
	ck_assert_uint_eq(ans.text_len, n);
	ck_assert(memcmp(ans.text, want, n) == 0);
}
END_TEST

/* ------------------------------------------------------- many threads */

#define N_THREADS 4
#define N_ROUNDS 25

static atomic_uint thread_errors;

static void *lookup_thread(void *arg)
{
	char want[4096];
	struct dmarc_dns_answer a;
	size_t big = big_text(want);   /* same bytes in every thread */
	int i;

	(void)arg;
	memset(&a, 0, sizeof a);
	for (i = 0; i < N_ROUNDS; i++) {
		dmarc__answer_reset(&a, ctx);
		dmarc_resolver_lookup(res, "_dmarc.split.test.example",
		    DMARC_RR_TXT, &a);
		if (a.outcome != DMARC_DNS_RECORDS || a.text_len != 18 ||
		    memcmp(a.text, "v=DMARC1; p=reject", 18) != 0)
			atomic_fetch_add(&thread_errors, 1u);
		dmarc__answer_reset(&a, ctx);
		dmarc_resolver_lookup(res, "nope.test.example", DMARC_RR_TXT,
		    &a);
		if (a.outcome != DMARC_DNS_NXDOMAIN || a.ttl != NEG_TTL)
			atomic_fetch_add(&thread_errors, 1u);
		dmarc__answer_reset(&a, ctx);
		dmarc_resolver_lookup(res, "_dmarc.big.test.example",
		    DMARC_RR_TXT, &a);
		if (a.outcome != DMARC_DNS_RECORDS || a.text_len != big ||
		    memcmp(a.text, want, big) != 0)
			atomic_fetch_add(&thread_errors, 1u);
	}
	dmarc__answer_free(&a);
	return NULL;
}

START_TEST(test_threads)
{
	pthread_t th[N_THREADS];
	int i;

	atomic_store(&thread_errors, 0u);
	for (i = 0; i < N_THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, lookup_thread,
		    NULL), 0);
	for (i = 0; i < N_THREADS; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	ck_assert_uint_eq(atomic_load(&thread_errors), 0);
}
END_TEST

/* --------------------------------------------------------- fake server */

/* What the fake server on 127.0.0.1 (UDP only) sends back. */
enum fake_mode {
	FAKE_SILENT,        /* nothing: the resolver times out */
	FAKE_SERVFAIL,
	FAKE_FORMERR,
	FAKE_NOTIMP,
	FAKE_NO_RR,         /* ANCOUNT 1 and no record */
	FAKE_RDLEN_PAST_END, /* RDLENGTH beyond the message */
	FAKE_TXT_OVERRUN,   /* a character-string longer than the rdata */
	FAKE_HIGH_TTL,      /* TTL with the top bit set: counts as 0 */
	FAKE_CHAIN,         /* CNAME, A, TXT: the TXT is found */
	FAKE_CHAIN_BROKEN,  /* CNAME, then A and TXT of the question name */
	FAKE_FOREIGN_OWNER, /* only a TXT record of another name */
	FAKE_CNAME_LOOP,    /* two CNAMEs pointing at each other */
	FAKE_OTHER_CLASS,   /* a TXT record of class CH only */
	FAKE_SOA,           /* NODATA, SOA TTL 500 and MINIMUM 100 */
	FAKE_BAD_SOA,       /* NXDOMAIN, SOA rdata too short */
	FAKE_NO_SOA,        /* NXDOMAIN without an SOA */
	FAKE_FORWARD_PTR,   /* a compression pointer to itself */
	FAKE_LABEL_TYPE,    /* an extended label type (0x40) */
	FAKE_NOT_RESPONSE,  /* QR bit clear */
	FAKE_TC             /* truncated, and no TCP server */
};

struct fake {
	int fd;
	unsigned int port;
	enum fake_mode mode;
	atomic_bool stop;
	pthread_t thread;
};

static size_t put16(unsigned char *m, size_t o, unsigned int v)
{
	m[o] = (unsigned char)(v >> 8 & 0xffu);
	m[o + 1] = (unsigned char)(v & 0xffu);
	return o + 2;
}

static size_t put32(unsigned char *m, size_t o, uint32_t v)
{
	o = put16(m, o, (unsigned int)(v >> 16));
	return put16(m, o, (unsigned int)(v & 0xffffu));
}

/* A record owned by the name at offset owner (a compression pointer). */
static size_t put_rr_at(unsigned char *m, size_t o, size_t owner,
    unsigned int type, unsigned int rclass, uint32_t ttl, unsigned int rdlen)
{
	o = put16(m, o, 0xc000u | (unsigned int)owner);
	o = put16(m, o, type);
	o = put16(m, o, rclass);
	o = put32(m, o, ttl);
	return put16(m, o, rdlen);
}

/* A record owned by the question's name (at offset 12). */
static size_t put_rr(unsigned char *m, size_t o, unsigned int type,
    unsigned int rclass, uint32_t ttl, unsigned int rdlen)
{
	return put_rr_at(m, o, 12u, type, rclass, ttl, rdlen);
}

static size_t put_bytes(unsigned char *m, size_t o, const char *s,
    size_t n)
{
	memcpy(m + o, s, n);
	return o + n;
}

/* The reply to query q (header and question only, as res_nmkquery makes
 * them) in mode; returns its length. */
static size_t fake_reply(enum fake_mode mode, const unsigned char *q,
    size_t qlen, unsigned char *m)
{
	unsigned int flags = 0x8400u | ((unsigned int)q[2] << 8 & 0x0100u);
	unsigned int an = 0, ns = 0;
	size_t o, target;

	memcpy(m, q, qlen);
	o = qlen;
	switch (mode) {
	case FAKE_SILENT:
		break;
	case FAKE_SERVFAIL:
		flags |= 2u;
		break;
	case FAKE_FORMERR:
		flags |= 1u;
		break;
	case FAKE_NOTIMP:
		flags |= 4u;
		break;
	case FAKE_NO_RR:
		an = 1;
		break;
	case FAKE_RDLEN_PAST_END:
		an = 1;
		o = put_rr(m, o, 16, 1, 300, 100);
		o = put_bytes(m, o, "\011v=DMARC1", 10);
		break;
	case FAKE_TXT_OVERRUN:
		an = 1;
		o = put_rr(m, o, 16, 1, 300, 5);
		o = put_bytes(m, o, "\012abcd", 5);
		break;
	case FAKE_HIGH_TTL:
		an = 1;
		o = put_rr(m, o, 16, 1, 0x80000000u, 9);
		o = put_bytes(m, o, "\010v=DMARC1", 9);
		break;
	case FAKE_CHAIN:
	case FAKE_CHAIN_BROKEN:
		an = 3;
		/* CNAME to "t" + pointer to the qname, TTL 50; the A and TXT
		 * records are the target's (or the qname's, which has the
		 * CNAME and so no other data) */
		o = put_rr(m, o, 5, 1, 50, 4);
		target = o;
		o = put_bytes(m, o, "\001t\300\014", 4);
		o = put_rr_at(m, o, mode == FAKE_CHAIN ? target : 12u, 1, 1, 10,
		    4);
		o = put_bytes(m, o, "\300\000\002\001", 4);
		o = put_rr_at(m, o, mode == FAKE_CHAIN ? target : 12u, 16, 1, 200,
		    17);
		o = put_bytes(m, o, "\020v=DMARC1; p=none", 17);
		break;
	case FAKE_FOREIGN_OWNER:
		/* a TXT record of a name that was not asked for */
		an = 1;
		o = put_bytes(m, o, "\005other\007example\000", 15);
		o = put16(m, o, 16);
		o = put16(m, o, 1);
		o = put32(m, o, 300);
		o = put16(m, o, 17);
		o = put_bytes(m, o, "\020v=DMARC1; p=none", 17);
		break;
	case FAKE_CNAME_LOOP:
		/* q -> t.q -> q: never ends in the records */
		an = 3;
		o = put_rr(m, o, 5, 1, 50, 4);
		target = o;
		o = put_bytes(m, o, "\001t\300\014", 4);
		o = put_rr_at(m, o, target, 5, 1, 50, 2);
		o = put16(m, o, 0xc00cu);
		o = put_rr(m, o, 16, 1, 200, 17);
		o = put_bytes(m, o, "\020v=DMARC1; p=none", 17);
		break;
	case FAKE_OTHER_CLASS:
		an = 1;
		o = put_rr(m, o, 16, 3, 300, 9);
		o = put_bytes(m, o, "\010v=DMARC1", 9);
		break;
	case FAKE_SOA:
	case FAKE_BAD_SOA:
		ns = 1;
		if (mode == FAKE_BAD_SOA) {
			flags |= 3u;
			o = put_rr(m, o, 6, 1, 500, 6);
			o = put_bytes(m, o, "\300\014\300\014\000\001", 6);
			break;
		}
		o = put_rr(m, o, 6, 1, 500, 26);
		o = put_bytes(m, o, "\300\014\001h\300\014", 6);
		o = put32(m, o, 1);
		o = put32(m, o, 3600);
		o = put32(m, o, 600);
		o = put32(m, o, 86400);
		o = put32(m, o, 100);
		break;
	case FAKE_NO_SOA:
		flags |= 3u;
		break;
	case FAKE_FORWARD_PTR:
		an = 1;
		o = put16(m, o, 0xc000u | (unsigned int)o);
		o = put16(m, o, 16);
		o = put16(m, o, 1);
		o = put32(m, o, 300);
		o = put16(m, o, 9);
		o = put_bytes(m, o, "\010v=DMARC1", 9);
		break;
	case FAKE_LABEL_TYPE:
		an = 1;
		o = put_bytes(m, o, "\101x\000", 3);
		o = put16(m, o, 16);
		o = put16(m, o, 1);
		o = put32(m, o, 300);
		o = put16(m, o, 9);
		o = put_bytes(m, o, "\010v=DMARC1", 9);
		break;
	case FAKE_NOT_RESPONSE:
		flags &= ~0x8000u;
		break;
	case FAKE_TC:
		flags |= 0x0200u;
		break;
	}
	put16(m, 2, flags);
	put16(m, 6, an);
	put16(m, 8, ns);
	put16(m, 10, 0);
	return o;
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	unsigned char q[512], r[1024];

	while (!atomic_load(&f->stop)) {
		struct pollfd p;
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof from;
		ssize_t n;

		p.fd = f->fd;
		p.events = POLLIN;
		p.revents = 0;
		if (poll(&p, 1, 50) <= 0)
			continue;
		n = recvfrom(f->fd, q, sizeof q, 0, (struct sockaddr *)&from,
		    &fromlen);
		if (n < 12 || f->mode == FAKE_SILENT)
			continue;
		(void)sendto(f->fd, r, fake_reply(f->mode, q, (size_t)n, r), 0,
		    (struct sockaddr *)&from, fromlen);
	}
	return NULL;
}

static void fake_start(struct fake *f, enum fake_mode mode)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	char name[32];

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->mode = mode;
	atomic_store(&f->stop, false);
	f->fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(f->fd, 0);
	ck_assert_int_eq(bind(f->fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(getsockname(f->fd, (struct sockaddr *)&sin, &len),
	    0);
	f->port = ntohs(sin.sin_port);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, fake_main, f), 0);
	snprintf(name, sizeof name, "127.0.0.1:%u", f->port);
	ck_assert_int_eq(dmarc_resolver_set_server(res, name), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_timeout(res, 1), DMARC_OK);
	ck_assert_int_eq(dmarc_resolver_set_retries(res, 1), DMARC_OK);
}

static void fake_stop(struct fake *f)
{
	atomic_store(&f->stop, true);
	pthread_join(f->thread, NULL);
	close(f->fd);
}

/* Ask the fake server in mode; the answer is left in ans. */
static void ask_fake(enum fake_mode mode, dmarc_rrtype qtype)
{
	struct fake f;

	fake_start(&f, mode);
	ask("q.fake.example", qtype);
	fake_stop(&f);
}

START_TEST(test_timeout)
{
	double t;

	/* one try of 1 s */
	t = now();
	ask_fake(FAKE_SILENT, DMARC_RR_TXT);
	t = now() - t;
	expect(DMARC_DNS_TEMPFAIL, 0);
	ck_assert_msg(t >= 0.9 && t < 2.5, "took %.2f s", t);
}
END_TEST

START_TEST(test_timeout_retries)
{
	struct fake f;
	double t;

	/* two tries of 1 s */
	fake_start(&f, FAKE_SILENT);
	ck_assert_int_eq(dmarc_resolver_set_retries(res, 2), DMARC_OK);
	t = now();
	ask("q.fake.example", DMARC_RR_TXT);
	t = now() - t;
	fake_stop(&f);
	expect(DMARC_DNS_TEMPFAIL, 0);
	ck_assert_msg(t >= 1.9 && t < 3.5, "took %.2f s", t);
}
END_TEST

START_TEST(test_fake_rcodes)
{
	ask_fake(FAKE_SERVFAIL, DMARC_RR_TXT);
	expect(DMARC_DNS_TEMPFAIL, 0);
	ask_fake(FAKE_FORMERR, DMARC_RR_TXT);
	expect(DMARC_DNS_PERMFAIL, 0);
	/* glibc gives up on NOTIMP like on SERVFAIL: no response seen */
	ask_fake(FAKE_NOTIMP, DMARC_RR_TXT);
	expect(DMARC_DNS_TEMPFAIL, 0);
}
END_TEST

START_TEST(test_fake_malformed)
{
	static const enum fake_mode bad[] = {
		FAKE_NO_RR, FAKE_RDLEN_PAST_END, FAKE_TXT_OVERRUN,
		FAKE_BAD_SOA, FAKE_FORWARD_PTR, FAKE_LABEL_TYPE,
		FAKE_NOT_RESPONSE, FAKE_TC,
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ask_fake(bad[i], DMARC_RR_TXT);
		ck_assert_msg(ans.outcome == DMARC_DNS_TEMPFAIL,
		    "mode %d: outcome %d", (int)bad[i], (int)ans.outcome);
		ck_assert_uint_eq(ans.n_txt, 0);
	}
}
END_TEST

START_TEST(test_fake_answers)
{
	ask_fake(FAKE_HIGH_TTL, DMARC_RR_TXT);
	expect_record("v=DMARC1", 0);
	ask_fake(FAKE_CHAIN, DMARC_RR_TXT);
	expect_record("v=DMARC1; p=none", 10);
	ask_fake(FAKE_CHAIN, DMARC_RR_A);
	expect(DMARC_DNS_RECORDS, 10);
	ck_assert_uint_eq(ans.n_txt, 0);
	ask_fake(FAKE_CHAIN, DMARC_RR_MX);
	expect(DMARC_DNS_NODATA, 0);
	ask_fake(FAKE_OTHER_CLASS, DMARC_RR_TXT);
	expect(DMARC_DNS_NODATA, 0);
	ck_assert_uint_eq(ans.n_txt, 0);
	/* records of names neither asked nor reached by the CNAME chain
	 * are not the answer (RFC 1034 4.3.2) */
	ask_fake(FAKE_CHAIN_BROKEN, DMARC_RR_TXT);
	expect(DMARC_DNS_NODATA, 0);
	ck_assert_uint_eq(ans.n_txt, 0);
	ask_fake(FAKE_FOREIGN_OWNER, DMARC_RR_TXT);
	expect(DMARC_DNS_NODATA, 0);
	ck_assert_uint_eq(ans.n_txt, 0);
	ask_fake(FAKE_CNAME_LOOP, DMARC_RR_TXT);
	expect(DMARC_DNS_TEMPFAIL, 0);
	ck_assert_uint_eq(ans.n_txt, 0);
	ask_fake(FAKE_SOA, DMARC_RR_TXT);
	expect(DMARC_DNS_NODATA, 100);
	ask_fake(FAKE_NO_SOA, DMARC_RR_TXT);
	expect(DMARC_DNS_NXDOMAIN, 0);
}
END_TEST

static Suite *resolver_suite(void)
{
	Suite *s = suite_create("resolver");
	TCase *tc;

	tc = tcase_create("settings");
	tcase_add_test(tc, test_new_free);
	tcase_add_test(tc, test_set_server);
	tcase_add_test(tc, test_set_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("nsd");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_bad_server_keeps_old);
	tcase_add_test(tc, test_split_strings);
	tcase_add_test(tc, test_cname);
	tcase_add_test(tc, test_multiple_dmarc);
	tcase_add_test(tc, test_spf_only);
	tcase_add_test(tc, test_empty_string);
	tcase_add_test(tc, test_report_authorization);
	tcase_add_test(tc, test_nodata);
	tcase_add_test(tc, test_nxdomain);
	tcase_add_test(tc, test_negative_ttl_soa_ttl);
	tcase_add_test(tc, test_a_aaaa_mx);
	tcase_add_test(tc, test_big_over_tcp);
	tcase_add_test(tc, test_huge_over_tcp);
	tcase_add_loop_test(tc, test_tree_walk, 0,
	    (int)(sizeof walk / sizeof walk[0]));
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_dead_port);
	tcase_add_test(tc, test_bad_names);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("fake");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_timeout_retries);
	tcase_add_test(tc, test_fake_rcodes);
	tcase_add_test(tc, test_fake_malformed);
	tcase_add_test(tc, test_fake_answers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	server = getenv("DMARC_TEST_DNS");
	if (server == NULL || *server == '\0') {
		printf("SKIP: DMARC_TEST_DNS is not set; "
		    "test/dns-integration.sh runs this test against nsd\n");
		return 77;
	}
	return run_suite(resolver_suite());
}
