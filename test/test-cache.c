/*
 * Tests of the DNS answer cache (lib/cache.c) through its internal API:
 * hits and misses, TTLs, what is not stored, keys, replacement, LRU
 * eviction, counters, many threads at once and allocation failure.
 *
 * The stress test's size can be lowered for valgrind --tool=helgrind
 * with TEST_CACHE_THREADS and TEST_CACHE_OPS.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "dns_int.h"

#define QNAME "_dmarc.example.com"
#define REC1 "v=DMARC1; p=reject; rua=mailto:agg@example.com"
#define REC2 "v=DMARC1; p=none"

static dmarc_ctx *ctx;

static void setup(void)
{
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
}

static void teardown(void)
{
	dmarc_ctx_free(ctx);
	ctx = NULL;
}

/* An empty answer belonging to cx, as the library hands one out. */
static void blank(dmarc_dns_answer *a, const dmarc_ctx *cx)
{
	memset(a, 0, sizeof *a);
	dmarc__answer_reset(a, cx);
}

/* Refill a (blank()ed once, keeping its buffer) with an answer of the
 * given outcome and TTL carrying txt (may be NULL) and n_other records
 * that are not DMARC records. */
static void make(dmarc_dns_answer *a, const dmarc_ctx *cx,
    dmarc_dns_outcome outcome, uint32_t ttl, const char *txt,
    unsigned n_other)
{
	unsigned i;

	dmarc__answer_reset(a, cx);
	for (i = 0; i < n_other; i++)
		dmarc_dns_answer_add_txt(a, "v=spf1 -all", 11);
	if (txt != NULL)
		dmarc_dns_answer_add_txt(a, txt, strlen(txt));
	ck_assert_int_eq(dmarc_dns_answer_set(a, outcome, ttl), DMARC_OK);
}

static bool same(const dmarc_dns_answer *x, const dmarc_dns_answer *y)
{
	return x->outcome == y->outcome && x->ttl == y->ttl &&
	    x->n_txt == y->n_txt && x->n_dmarc == y->n_dmarc &&
	    x->text_len == y->text_len && x->nomem == y->nomem &&
	    (x->text_len == 0 || memcmp(x->text, y->text, x->text_len) == 0);
}

static void assert_same(const dmarc_dns_answer *got,
    const dmarc_dns_answer *want)
{
	ck_assert_int_eq(got->outcome, want->outcome);
	ck_assert_uint_eq(got->ttl, want->ttl);
	ck_assert_uint_eq(got->n_txt, want->n_txt);
	ck_assert_uint_eq(got->n_dmarc, want->n_dmarc);
	ck_assert_uint_eq(got->text_len, want->text_len);
	if (want->text_len != 0)
		ck_assert_mem_eq(got->text, want->text, want->text_len);
}

static bool get(struct dmarc_cache *c, const char *name, dmarc_rrtype t,
    uint64_t now, dmarc_dns_answer *out)
{
	return dmarc__cache_get(c, name, t, now, out);
}

START_TEST(test_miss_then_hit)
{
	struct dmarc_cache *c = dmarc__cache_new(ctx, 8);
	dmarc_dns_answer a, out;
	uint64_t h, m;

	ck_assert_ptr_nonnull(c);
	blank(&a, ctx);
	blank(&out, ctx);
	make(&a, ctx, DMARC_DNS_RECORDS, 300, REC1, 2);
	ck_assert_uint_eq(a.n_txt, 3);
	ck_assert_uint_eq(a.n_dmarc, 1);
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 1000, &out));
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1000, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1000, &out));
	assert_same(&out, &a);
	ck_assert_ptr_eq(out.ctx, ctx);
	/* the cache holds a copy: changing the original changes nothing */
	a.text[0] = 'x';
	a.ttl = 1;
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1000, &out));
	ck_assert_uint_eq(out.ttl, 300);
	ck_assert_mem_eq(out.text, REC1, strlen(REC1));
	/* out now has a buffer larger than the next answer needs */
	make(&a, ctx, DMARC_DNS_RECORDS, 60, REC2, 0);
	dmarc__cache_put(c, "short.example", DMARC_RR_TXT, 1000, &a);
	ck_assert(get(c, "short.example", DMARC_RR_TXT, 1001, &out));
	assert_same(&out, &a);
	make(&a, ctx, DMARC_DNS_RECORDS, 300, REC1, 2);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1200, &out));
	assert_same(&out, &a);
	dmarc__cache_stats(c, &h, &m);
	ck_assert_uint_eq(h, 4);
	ck_assert_uint_eq(m, 1);
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

START_TEST(test_expiry)
{
	struct dmarc_cache *c = dmarc__cache_new(ctx, 8);
	dmarc_dns_answer a, out;

	blank(&a, ctx);
	blank(&out, ctx);
	make(&a, ctx, DMARC_DNS_RECORDS, 60, REC1, 0);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1000, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1000, &out));
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1059, &out));
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 1060, &out));
	/* an expired entry is gone, even for a clock that steps back */
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 1000, &out));
	/* storing it again makes it live again */
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 2000, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 2059, &out));
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 2060, &out));
	/* expiry saturates instead of wrapping round */
	a.ttl = 100;
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, UINT64_MAX - 10, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, UINT64_MAX - 1, &out));
	/* and a TTL over DMARC_LIMIT_CACHE_TTL (default one day) keeps an
	 * answer no longer than that: a zone's change is seen in time */
	a.ttl = 0x7fffffffu;
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 5, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 5 + 86399, &out));
	ck_assert_uint_eq(out.ttl, 86400);
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 5 + 86400, &out));
	a.ttl = UINT32_MAX;
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, UINT64_MAX - 10, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, UINT64_MAX - 1, &out));
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

/* The TTL ceiling is the context's, and configurable. */
START_TEST(test_ttl_ceiling)
{
	struct dmarc_cache *c;
	dmarc_dns_answer a, out;

	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_CACHE_TTL), 86400);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_CACHE_TTL, 0),
	    DMARC_ERANGE);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_CACHE_TTL,
	    604801), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_CACHE_TTL, 300),
	    DMARC_OK);
	c = dmarc__cache_new(ctx, 8);
	blank(&a, ctx);
	blank(&out, ctx);
	make(&a, ctx, DMARC_DNS_RECORDS, 0x7fffffffu, REC1, 0);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1000, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1299, &out));
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 1300, &out));
	/* negative answers alike */
	make(&a, ctx, DMARC_DNS_NXDOMAIN, 100000, NULL, 0);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 2000, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 2299, &out));
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 2300, &out));
	/* a TTL under the ceiling is kept as it is */
	make(&a, ctx, DMARC_DNS_RECORDS, 60, REC1, 0);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 3000, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 3059, &out));
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 3060, &out));
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

/* The cache is bounded in bytes, not only entries: 64 KiB records
 * cannot make 20,000 entries half a gigabyte. */
START_TEST(test_byte_budget)
{
	static char big[65536];
	struct dmarc_cache *c;
	dmarc_dns_answer a, out;
	char name[64];
	size_t budget = 1u << 20, i, live = 0;

	memcpy(big, "v=DMARC1; p=reject; x=", 22);
	memset(big + 22, 'a', sizeof big - 22);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
	    65535), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_CACHE_BYTES,
	    budget), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_CACHE_BYTES,
	    1000), DMARC_ERANGE);
	c = dmarc__cache_new(ctx, 20000);
	blank(&a, ctx);
	blank(&out, ctx);
	make(&a, ctx, DMARC_DNS_RECORDS, 300, NULL, 0);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(&a, big, 65535), DMARC_OK);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "_dmarc.d%zu.example", i);
		dmarc__cache_put(c, name, DMARC_RR_TXT, 1000, &a);
		ck_assert_uint_le(dmarc__cache_bytes(c), budget);
	}
	/* the most recent ones are kept, as many as fit */
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "_dmarc.d%zu.example", i);
		live += get(c, name, DMARC_RR_TXT, 1001, &out);
	}
	ck_assert_uint_ge(live, budget / 65536 / 2);
	ck_assert_uint_le(live, budget / 65535);
	snprintf(name, sizeof name, "_dmarc.d%d.example", 199);
	ck_assert(get(c, name, DMARC_RR_TXT, 1001, &out));
	ck_assert_uint_eq(out.text_len, 65535);
	/* many small answers fill the same budget with many entries */
	make(&a, ctx, DMARC_DNS_RECORDS, 300, REC2, 0);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof name, "_dmarc.s%zu.example", i);
		dmarc__cache_put(c, name, DMARC_RR_TXT, 1000, &a);
	}
	ck_assert_uint_le(dmarc__cache_bytes(c), budget);
	ck_assert(get(c, "_dmarc.s19999.example", DMARC_RR_TXT, 1001, &out));
	ck_assert(!get(c, "_dmarc.d199.example", DMARC_RR_TXT, 1001, &out));
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

/* A record over the length limit is unusable whatever it says: it is
 * not worth memory in the cache. */
START_TEST(test_over_length_not_stored)
{
	static char big[4096];
	struct dmarc_cache *c;
	dmarc_dns_answer a, out;

	memcpy(big, "v=DMARC1; p=reject; x=", 22);
	memset(big + 22, 'a', sizeof big - 22);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
	    2048), DMARC_OK);
	c = dmarc__cache_new(ctx, 8);
	blank(&a, ctx);
	blank(&out, ctx);
	make(&a, ctx, DMARC_DNS_RECORDS, 300, NULL, 0);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(&a, big, 2049), DMARC_OK);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1000, &a);
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 1000, &out));
	make(&a, ctx, DMARC_DNS_RECORDS, 300, NULL, 0);
	ck_assert_int_eq(dmarc_dns_answer_add_txt(&a, big, 2048), DMARC_OK);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1000, &a);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1000, &out));
	ck_assert_uint_eq(out.text_len, 2048);
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

START_TEST(test_not_stored)
{
	struct dmarc_cache *c = dmarc__cache_new(ctx, 1);
	dmarc_dns_answer a, out;
	uint64_t h, m;

	blank(&a, ctx);
	blank(&out, ctx);
	/* the only slot: nothing below may take it */
	make(&a, ctx, DMARC_DNS_NODATA, 300, NULL, 0);
	dmarc__cache_put(c, "keep.example", DMARC_RR_TXT, 1000, &a);
	make(&a, ctx, DMARC_DNS_RECORDS, 0, REC1, 0);
	dmarc__cache_put(c, "ttl0.example", DMARC_RR_TXT, 1000, &a);
	ck_assert(!get(c, "ttl0.example", DMARC_RR_TXT, 1000, &out));
	make(&a, ctx, DMARC_DNS_TEMPFAIL, 300, NULL, 0);
	dmarc__cache_put(c, "temp.example", DMARC_RR_TXT, 1000, &a);
	ck_assert(!get(c, "temp.example", DMARC_RR_TXT, 1000, &out));
	make(&a, ctx, DMARC_DNS_PERMFAIL, 300, NULL, 0);
	dmarc__cache_put(c, "perm.example", DMARC_RR_TXT, 1000, &a);
	ck_assert(!get(c, "perm.example", DMARC_RR_TXT, 1000, &out));
	dmarc__answer_reset(&a, ctx);   /* never answered */
	a.ttl = 300;
	dmarc__cache_put(c, "unset.example", DMARC_RR_TXT, 1000, &a);
	ck_assert(!get(c, "unset.example", DMARC_RR_TXT, 1000, &out));
	/* an answer whose text could not be kept */
	make(&a, ctx, DMARC_DNS_RECORDS, 300, REC1, 0);
	a.nomem = true;
	dmarc__cache_put(c, "nomem.example", DMARC_RR_TXT, 1000, &a);
	ck_assert(!get(c, "nomem.example", DMARC_RR_TXT, 1000, &out));
	ck_assert(get(c, "keep.example", DMARC_RR_TXT, 1000, &out));
	dmarc__cache_stats(c, &h, &m);
	ck_assert_uint_eq(h, 1);
	ck_assert_uint_eq(m, 5);
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

START_TEST(test_negative)
{
	struct dmarc_cache *c = dmarc__cache_new(ctx, 8);
	dmarc_dns_answer nx, nodata, out;

	blank(&nx, ctx);
	blank(&nodata, ctx);
	blank(&out, ctx);
	make(&nx, ctx, DMARC_DNS_NXDOMAIN, 900, NULL, 0);
	make(&nodata, ctx, DMARC_DNS_NODATA, 600, NULL, 0);
	dmarc__cache_put(c, "_dmarc.nx.example", DMARC_RR_TXT, 1000, &nx);
	dmarc__cache_put(c, "_dmarc.empty.example", DMARC_RR_TXT, 1000,
	    &nodata);
	ck_assert(get(c, "_dmarc.nx.example", DMARC_RR_TXT, 1899, &out));
	assert_same(&out, &nx);
	ck_assert_uint_eq(out.n_txt, 0);
	ck_assert(get(c, "_dmarc.empty.example", DMARC_RR_TXT, 1599, &out));
	assert_same(&out, &nodata);
	ck_assert(!get(c, "_dmarc.empty.example", DMARC_RR_TXT, 1600, &out));
	ck_assert(!get(c, "_dmarc.nx.example", DMARC_RR_TXT, 1900, &out));
	dmarc__answer_free(&nx);
	dmarc__answer_free(&nodata);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

START_TEST(test_keys)
{
	struct dmarc_cache *c = dmarc__cache_new(ctx, 8);
	dmarc_dns_answer txt, a, out;
	char longname[DMARC_QNAME_SIZE + 1];

	blank(&txt, ctx);
	blank(&a, ctx);
	blank(&out, ctx);
	make(&txt, ctx, DMARC_DNS_RECORDS, 300, REC1, 1);
	make(&a, ctx, DMARC_DNS_NODATA, 100, NULL, 0);
	dmarc__cache_put(c, "example.com", DMARC_RR_TXT, 1000, &txt);
	ck_assert(!get(c, "example.com", DMARC_RR_A, 1000, &out));
	ck_assert(!get(c, "example.com", DMARC_RR_AAAA, 1000, &out));
	ck_assert(!get(c, "example.co", DMARC_RR_TXT, 1000, &out));
	ck_assert(!get(c, "example.comx", DMARC_RR_TXT, 1000, &out));
	dmarc__cache_put(c, "example.com", DMARC_RR_A, 1000, &a);
	ck_assert(get(c, "example.com", DMARC_RR_A, 1000, &out));
	assert_same(&out, &a);
	ck_assert(get(c, "example.com", DMARC_RR_TXT, 1000, &out));
	assert_same(&out, &txt);
	/* names too long to be questions are neither stored nor found */
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	dmarc__cache_put(c, longname, DMARC_RR_TXT, 1000, &txt);
	ck_assert(!get(c, longname, DMARC_RR_TXT, 1000, &out));
	longname[DMARC_QNAME_SIZE - 1] = '\0';
	dmarc__cache_put(c, longname, DMARC_RR_TXT, 1000, &txt);
	ck_assert(get(c, longname, DMARC_RR_TXT, 1000, &out));
	dmarc__answer_free(&txt);
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

START_TEST(test_replace)
{
	struct dmarc_cache *c = dmarc__cache_new(ctx, 2);
	dmarc_dns_answer v1, v2, neg, out;

	blank(&v1, ctx);
	blank(&v2, ctx);
	blank(&neg, ctx);
	blank(&out, ctx);
	make(&v1, ctx, DMARC_DNS_RECORDS, 300, REC2, 0);
	make(&v2, ctx, DMARC_DNS_RECORDS, 50, REC1, 3);
	make(&neg, ctx, DMARC_DNS_NXDOMAIN, 30, NULL, 0);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1000, &v1);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1010, &v2);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1010, &out));
	assert_same(&out, &v2);
	/* the new TTL counts from the new time */
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 1060, &out));
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1100, &v1);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1100, &neg);
	/* replacing took one slot: a second name fits beside it */
	dmarc__cache_put(c, "other.example", DMARC_RR_TXT, 1100, &v1);
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1100, &out));
	assert_same(&out, &neg);
	ck_assert_uint_eq(out.text_len, 0);
	ck_assert(get(c, "other.example", DMARC_RR_TXT, 1100, &out));
	assert_same(&out, &v1);
	dmarc__answer_free(&v1);
	dmarc__answer_free(&v2);
	dmarc__answer_free(&neg);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

START_TEST(test_lru)
{
	static const char *const names[] = { "a.example", "b.example",
	    "c.example", "d.example", "a-much-longer-name.e.example" };
	struct dmarc_cache *c = dmarc__cache_new(ctx, 3);
	dmarc_dns_answer ans[5], out;
	char rec[64];
	size_t i;

	blank(&out, ctx);
	for (i = 0; i < 5; i++) {
		snprintf(rec, sizeof rec, "v=DMARC1; p=none; ri=%zu", i + 1);
		blank(&ans[i], ctx);
		make(&ans[i], ctx, DMARC_DNS_RECORDS, 300, rec, 0);
	}
	for (i = 0; i < 3; i++)
		dmarc__cache_put(c, names[i], DMARC_RR_TXT, 1000, &ans[i]);
	ck_assert(get(c, names[0], DMARC_RR_TXT, 1000, &out));  /* a c b */
	dmarc__cache_put(c, names[3], DMARC_RR_TXT, 1000, &ans[3]);
	ck_assert(!get(c, names[1], DMARC_RR_TXT, 1000, &out)); /* d a c */
	dmarc__cache_put(c, names[4], DMARC_RR_TXT, 1000, &ans[4]);
	ck_assert(!get(c, names[2], DMARC_RR_TXT, 1000, &out)); /* e d a */
	for (i = 0; i < 5; i++) {
		if (i == 1 || i == 2)
			continue;
		ck_assert_msg(get(c, names[i], DMARC_RR_TXT, 1000, &out),
		    "%s evicted", names[i]);
		assert_same(&out, &ans[i]);
	}
	/* a d e: replacing d makes it the newest, so a goes next */
	dmarc__cache_put(c, names[3], DMARC_RR_TXT, 1000, &ans[3]);
	dmarc__cache_put(c, names[1], DMARC_RR_TXT, 1000, &ans[1]);
	ck_assert(!get(c, names[0], DMARC_RR_TXT, 1000, &out));
	ck_assert(get(c, names[3], DMARC_RR_TXT, 1000, &out));
	ck_assert(get(c, names[4], DMARC_RR_TXT, 1000, &out));
	ck_assert(get(c, names[1], DMARC_RR_TXT, 1000, &out));
	assert_same(&out, &ans[1]);
	for (i = 0; i < 5; i++)
		dmarc__answer_free(&ans[i]);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

/* An evicted entry is reused for the next name: shorter, equal, one
 * longer and much longer names must all fit (run under valgrind). */
START_TEST(test_reuse)
{
	static const char *const names[] = { "abcdefghi", "bcdefghij",
	    "abcdefghij", "abcdefgh", "abcdefghijk", "x",
	    "a-much-longer-name-than-any-before.example" };
	struct dmarc_cache *c = dmarc__cache_new(ctx, 1);
	dmarc_dns_answer a, out;
	size_t i;

	blank(&a, ctx);
	blank(&out, ctx);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		make(&a, ctx, i % 2 == 0 ? DMARC_DNS_RECORDS : DMARC_DNS_NODATA,
		    (uint32_t)(100 + i), i % 2 == 0 ? REC1 : NULL,
		    (unsigned)(i % 3));
		dmarc__cache_put(c, names[i], DMARC_RR_TXT, 1000, &a);
		ck_assert(get(c, names[i], DMARC_RR_TXT, 1000, &out));
		assert_same(&out, &a);
		if (i > 0)
			ck_assert(!get(c, names[i - 1], DMARC_RR_TXT, 1000,
			    &out));
	}
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(ctx, c);
}
END_TEST

START_TEST(test_counters)
{
	dmarc_dns_answer a, out;
	uint64_t h = 7, m = 7;
	int i;

	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 1000001), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_ctx_set_cache(NULL, 4), DMARC_EINVAL);
	dmarc_ctx_get_cache_stats(ctx, &h, &m);
	ck_assert_uint_eq(h, 0);
	ck_assert_uint_eq(m, 0);
	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 4), DMARC_OK);
	ck_assert_ptr_nonnull(ctx->cache);
	blank(&a, ctx);
	blank(&out, ctx);
	make(&a, ctx, DMARC_DNS_RECORDS, 10, REC1, 0);
	for (i = 0; i < 3; i++)
		ck_assert(!get(ctx->cache, QNAME, DMARC_RR_TXT, 100, &out));
	dmarc__cache_put(ctx->cache, QNAME, DMARC_RR_TXT, 100, &a);
	for (i = 0; i < 5; i++)
		ck_assert(get(ctx->cache, QNAME, DMARC_RR_TXT, 105, &out));
	ck_assert(!get(ctx->cache, QNAME, DMARC_RR_TXT, 110, &out));
	dmarc_ctx_get_cache_stats(ctx, &h, &m);
	ck_assert_uint_eq(h, 5);
	ck_assert_uint_eq(m, 4);
	dmarc_ctx_get_cache_stats(ctx, NULL, &m);
	ck_assert_uint_eq(m, 4);
	/* a new cache starts from nothing; 0 turns it off */
	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 16), DMARC_OK);
	dmarc_ctx_get_cache_stats(ctx, &h, &m);
	ck_assert_uint_eq(h + m, 0);
	ck_assert_int_eq(dmarc_ctx_set_cache(ctx, 0), DMARC_OK);
	ck_assert_ptr_null(ctx->cache);
	ck_assert(!dmarc__cache_get(NULL, QNAME, DMARC_RR_TXT, 0, &out));
	dmarc__cache_put(NULL, QNAME, DMARC_RR_TXT, 0, &a);
	dmarc__cache_free(ctx, NULL);
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
}
END_TEST

/* ---- many threads ---- */

#define STRESS_KEYS 200u

struct stress {
	pthread_t tid;
	struct dmarc_cache *c;
	unsigned seed;
	long ops;
	long gets, hits, bad;
};

static dmarc_dns_answer expected[STRESS_KEYS];

static void stress_key(unsigned k, char *name, size_t size, dmarc_rrtype *t)
{
	snprintf(name, size, "_dmarc.host%u.example", k / 2);
	*t = k % 2 != 0 ? DMARC_RR_A : DMARC_RR_TXT;
}

static void stress_init(void)
{
	char rec[128];
	unsigned k;

	for (k = 0; k < STRESS_KEYS; k++) {
		blank(&expected[k], ctx);
		snprintf(rec, sizeof rec, "v=DMARC1; p=quarantine; rua=mailto:"
		    "r%u@example.com%.*s", k, (int)(k % 40), "!!!!!!!!!!!!!!!"
		    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
		if (k % 7 == 0)
			make(&expected[k], ctx, DMARC_DNS_NXDOMAIN, 5 + k % 20,
			    NULL, 0);
		else
			make(&expected[k], ctx, DMARC_DNS_RECORDS, 5 + k % 20,
			    rec, k % 3);
	}
}

static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Looks a random key up, stores it on a miss (as discovery would) and
 * sometimes stores it anyway; every hit must be that key's answer. */
static void *stress_run(void *arg)
{
	struct stress *st = arg;
	dmarc_dns_answer out;
	char name[64];
	dmarc_rrtype t;
	unsigned k, r;
	uint64_t now;
	long i;

	blank(&out, ctx);
	for (i = 0; i < st->ops; i++) {
		r = next_rand(&st->seed);
		k = r % STRESS_KEYS;
		now = 1000 + (uint64_t)i / 64;
		stress_key(k, name, sizeof name, &t);
		if ((r >> 16) % 8 == 0) {
			dmarc__cache_put(st->c, name, t, now, &expected[k]);
			continue;
		}
		st->gets++;
		if (dmarc__cache_get(st->c, name, t, now, &out)) {
			st->hits++;
			if (!same(&out, &expected[k]))
				st->bad++;
		} else {
			dmarc__cache_put(st->c, name, t, now, &expected[k]);
		}
	}
	dmarc__answer_free(&out);
	return NULL;
}

static long env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	long v = s != NULL ? strtol(s, NULL, 10) : 0;

	return v > 0 ? v : dflt;
}

START_TEST(test_threads)
{
	struct dmarc_cache *c = dmarc__cache_new(ctx, 64);
	long n = env_long("TEST_CACHE_THREADS", 4);
	long ops = env_long("TEST_CACHE_OPS", 20000);
	struct stress st[16];
	long i, gets = 0, hits = 0, bad = 0;
	uint64_t h, m;

	ck_assert_ptr_nonnull(c);
	if (n > 16)
		n = 16;
	stress_init();
	for (i = 0; i < n; i++) {
		memset(&st[i], 0, sizeof st[i]);
		st[i].c = c;
		st[i].ops = ops;
		st[i].seed = (unsigned)i * 7919u + 1u;
		ck_assert_int_eq(pthread_create(&st[i].tid, NULL, stress_run,
		    &st[i]), 0);
	}
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(pthread_join(st[i].tid, NULL), 0);
		gets += st[i].gets;
		hits += st[i].hits;
		bad += st[i].bad;
	}
	ck_assert_int_eq(bad, 0);
	ck_assert_int_gt(hits, 0);
	ck_assert_int_lt(hits, gets);
	dmarc__cache_stats(c, &h, &m);
	ck_assert_uint_eq(h, (uint64_t)hits);
	ck_assert_uint_eq(h + m, (uint64_t)gets);
	for (i = 0; i < (long)STRESS_KEYS; i++)
		dmarc__answer_free(&expected[i]);
	dmarc__cache_free(ctx, c);
}
END_TEST

/* ---- allocation failure ---- */

static long fail_at;   /* index of the allocation to fail from, -1: none */
static long n_allocs;  /* allocations attempted since fail_at was set */
static long live;      /* blocks allocated and not yet freed */

static bool failing(void)
{
	return n_allocs++ >= fail_at && fail_at >= 0;
}

static void *failing_malloc(size_t n)
{
	void *p;

	if (failing())
		return NULL;
	if ((p = malloc(n)) != NULL)
		live++;
	return p;
}

static void *failing_realloc(void *p, size_t n)
{
	void *q;

	if (failing())
		return NULL;
	q = realloc(p, n);
	if (p == NULL && q != NULL)
		live++;
	return q;
}

static void failing_free(void *p)
{
	if (p != NULL)
		live--;
	free(p);
}

static void fail_from(long k)
{
	fail_at = k;
	n_allocs = 0;
}

static dmarc_ctx *failing_ctx(void)
{
	dmarc_ctx *cx;

	fail_from(-1);
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&cx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
	return cx;
}

START_TEST(test_new_fails)
{
	dmarc_ctx *cx;
	long base, k;
	struct dmarc_cache *c = NULL;

	live = 0;
	cx = failing_ctx();
	base = live;
	for (k = 0; c == NULL; k++) {
		fail_from(k);
		c = dmarc__cache_new(cx, 10);
		if (c == NULL)
			ck_assert_int_eq(live, base);
		fail_from(k);
		ck_assert_int_eq(dmarc_ctx_set_cache(cx, 10),
		    c == NULL ? DMARC_ENOMEM : DMARC_OK);
	}
	ck_assert_int_ge(k, 2);
	fail_from(-1);
	dmarc__cache_free(cx, c);
	dmarc_ctx_free(cx);
	ck_assert_int_eq(live, 0);
}
END_TEST

/* Puts and gets with allocation number k and every later one failing;
 * returns how many allocations they attempted. */
static long fail_flow(long k)
{
	static const char *const names[] = { "a.example", "b.example",
	    "a-much-longer-name.c.example" };
	dmarc_ctx *cx = failing_ctx();
	struct dmarc_cache *c = dmarc__cache_new(cx, 2);
	dmarc_dns_answer ans[3], out;
	size_t i;

	ck_assert_ptr_nonnull(c);
	blank(&out, cx);
	for (i = 0; i < 3; i++)
		blank(&ans[i], cx);
	make(&ans[0], cx, DMARC_DNS_RECORDS, 300, REC2, 0);
	make(&ans[1], cx, DMARC_DNS_RECORDS, 300, REC1, 1);
	make(&ans[2], cx, DMARC_DNS_NXDOMAIN, 300, NULL, 0);
	fail_from(k);
	dmarc__cache_put(c, names[0], DMARC_RR_TXT, 1, &ans[0]);
	dmarc__cache_put(c, names[1], DMARC_RR_TXT, 1, &ans[0]);
	dmarc__cache_put(c, names[0], DMARC_RR_TXT, 1, &ans[1]); /* grows */
	dmarc__cache_put(c, names[2], DMARC_RR_TXT, 1, &ans[2]); /* evicts */
	dmarc__cache_put(c, names[1], DMARC_RR_TXT, 1, &ans[1]); /* evicts */
	for (i = 0; i < 3; i++)
		if (get(c, names[i], DMARC_RR_TXT, 2, &out))
			assert_same(&out, &ans[i == 2 ? 2 : 1]);
	k = n_allocs;
	fail_from(-1);
	for (i = 0; i < 3; i++)
		dmarc__answer_free(&ans[i]);
	dmarc__answer_free(&out);
	dmarc__cache_free(cx, c);
	dmarc_ctx_free(cx);
	return k;
}

START_TEST(test_put_fails)
{
	long total, k;

	live = 0;
	total = fail_flow(-1);
	ck_assert_int_eq(live, 0);
	ck_assert_int_ge(total, 5);
	for (k = 0; k <= total; k++) {
		fail_flow(k);
		ck_assert_msg(live == 0, "allocation %ld failed: %ld blocks "
		    "leaked", k, live);
	}
}
END_TEST

START_TEST(test_get_copy_fails)
{
	dmarc_ctx *cx;
	struct dmarc_cache *c;
	dmarc_dns_answer a, out;
	uint64_t h, m;

	live = 0;
	cx = failing_ctx();
	c = dmarc__cache_new(cx, 4);
	blank(&a, cx);
	make(&a, cx, DMARC_DNS_RECORDS, 300, REC1, 0);
	dmarc__cache_put(c, QNAME, DMARC_RR_TXT, 1, &a);
	blank(&out, cx);
	fail_from(0);
	/* out has no buffer and cannot get one: a miss, out untouched */
	ck_assert(!get(c, QNAME, DMARC_RR_TXT, 1, &out));
	ck_assert_int_eq(out.outcome, 0);
	/* a failed put stores nothing and keeps the other entries */
	dmarc__cache_put(c, "new.example", DMARC_RR_TXT, 1, &a);
	fail_from(-1);
	ck_assert(!get(c, "new.example", DMARC_RR_TXT, 1, &out));
	ck_assert(get(c, QNAME, DMARC_RR_TXT, 1, &out));
	assert_same(&out, &a);
	dmarc__cache_stats(c, &h, &m);
	ck_assert_uint_eq(h, 1);
	ck_assert_uint_eq(m, 2);
	dmarc__answer_free(&a);
	dmarc__answer_free(&out);
	dmarc__cache_free(cx, c);
	dmarc_ctx_free(cx);
	ck_assert_int_eq(live, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("cache");
	TCase *tt = tcase_create("threads");
	TCase *ta = tcase_create("alloc");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_miss_then_hit);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_not_stored);
	tcase_add_test(tc, test_ttl_ceiling);
	tcase_add_test(tc, test_byte_budget);
	tcase_add_test(tc, test_over_length_not_stored);
	tcase_add_test(tc, test_negative);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_replace);
	tcase_add_test(tc, test_lru);
	tcase_add_test(tc, test_reuse);
	tcase_add_test(tc, test_counters);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tt, setup, teardown);
	tcase_set_timeout(tt, 600);
	tcase_add_test(tt, test_threads);
	suite_add_tcase(s, tt);
	tcase_add_test(ta, test_new_fails);
	tcase_add_test(ta, test_put_fails);
	tcase_add_test(ta, test_get_copy_fails);
	suite_add_tcase(s, ta);
	return run_suite(s);
}
