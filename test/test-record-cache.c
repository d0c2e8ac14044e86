/*
 * The record cache of a discovery object (lib/record_cache.c): a text
 * seen again gives the record parsed the first time without parsing or
 * allocating, every record given is the one of the text asked for, and
 * the hash index stays in step with the slots while records come and
 * go: texts chosen to crowd a few index entries, texts alike where
 * their hash reads them, and random ones, with peers, and with each
 * allocation failing in turn; a victim's block lent to the record that
 * replaces it; what a lookup uses kept to its end, the cache no larger
 * than RECORD_KEEP unless a lookup needed it.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "check-main.h"
#include "discovery_int.h"
#include "failing-alloc.h"
#include "hash.h"

#define N_TEXTS 60
#define TEXT_SIZE 96

static char texts[N_TEXTS][TEXT_SIZE];

/* Text k: its number in the rua host, so a record tells whose it is. */
static size_t make_text(char *buf, unsigned long k)
{
	return (size_t)snprintf(buf, TEXT_SIZE,
	    "v=DMARC1; p=none; rua=mailto:r@d%lu.example", k);
}

static const char *text_host(const dmarc_record *rec, char *buf)
{
	const char *addr = dmarc_uri_get_address(dmarc_record_get_uri(rec,
	    DMARC_TAG_RUA, 0));

	snprintf(buf, TEXT_SIZE, "%s", addr);
	return buf;
}

/* N_TEXTS texts; crowded: all with hashes in three neighbouring index
 * entries of the largest index (64 entries), so runs are long and
 * removals move entries back across them. */
static void make_texts(bool crowded)
{
	unsigned long k = 0;
	size_t i = 0;

	while (i < N_TEXTS) {
		size_t n = make_text(texts[i], k++);
		if (crowded && (dmarc__hash_text(texts[i], n) & 63u) > 2u)
			continue;
		i++;
	}
}

static dmarc_ctx *new_ctx(void)
{
	dmarc_ctx *ctx = NULL;

	fail_at = -1;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
	return ctx;
}

/* Every slot holding a record is in the index once, where a search from
 * its hash finds it before an empty entry; nothing else is.  (One
 * assertion at the end: Check's cost a call.) */
static void check_index(const struct record_cache *c)
{
	size_t i, j, held = 0, entries = 0, lost = SIZE_MAX;

	for (j = 0; c->index != NULL && j <= c->mask; j++)
		entries += c->index[j] != 0;
	for (i = 0; i < c->n && lost == SIZE_MAX; i++) {
		if (c->slot[i].rec == NULL)
			continue;
		held++;
		if (c->index == NULL) {
			lost = i;
			break;
		}
		for (j = c->hash[i] & c->mask; c->index[j] != i + 1;
		    j = (j + 1) & c->mask)
			if (c->index[j] == 0) {
				lost = i;
				break;
			}
	}
	ck_assert_msg(lost == SIZE_MAX, "slot %zu not found from its hash",
	    lost);
	ck_assert_uint_eq(entries, held);
}

/* Text k asked for in the lookup under way: its own record; asked again
 * at once: the same one, with nothing allocated. */
static const dmarc_record *get_in_lookup(struct record_cache *c,
    const dmarc_ctx *ctx, size_t k)
{
	const char *t = texts[k];
	const dmarc_record *rec, *again;
	char want[TEXT_SIZE], got[TEXT_SIZE];
	long before;

	rec = dmarc__records_get(c, ctx, t, strlen(t));
	ck_assert_ptr_nonnull(rec);
	snprintf(want, sizeof want, "%s", strstr(t, "r@"));
	ck_assert_str_eq(text_host(rec, got), want);
	before = n_allocs;
	again = dmarc__records_get(c, ctx, t, strlen(t));
	ck_assert_ptr_eq(again, rec);
	ck_assert_int_eq(n_allocs, before);
	return rec;
}

/* The same, in a lookup of its own. */
static const dmarc_record *get_checked(struct record_cache *c,
    const dmarc_ctx *ctx, size_t k)
{
	dmarc__records_begin(c);
	return get_in_lookup(c, ctx, k);
}

/* Lookups of per_lookup records each: every record of a lookup stays
 * its text's until the lookup ends, and the cache holds RECORD_KEEP
 * slots unless a lookup used more (at most RECORD_SLOTS). */
static void churn(bool crowded, unsigned int seed, size_t per_lookup)
{
	struct record_cache c;
	const dmarc_record *got[RECORD_SLOTS];
	size_t used[RECORD_SLOTS], most = 0;
	dmarc_ctx *ctx = new_ctx();
	unsigned int x = seed;
	size_t i, j, k, n = 0;

	make_texts(crowded);
	dmarc__records_init(&c, RECORD_SLOTS);
	for (i = 0; i < 10000; i++) {
		if (i % per_lookup == 0) {
			dmarc__records_begin(&c);
			n = 0;
		}
		x = x * 1103515245u + 12345u;
		/* the first texts more often: some stay, some come and go */
		k = (x >> 16) % (i % 3 == 0 ? N_TEXTS : RECORD_SLOTS / 2);
		for (j = 0; j < n && used[j] != k; j++)
			;
		if (j == n) {
			used[n] = k;
			got[n++] = get_in_lookup(&c, ctx, k);
		}
		for (j = 0; j < n; j++) /* none of the lookup's evicted */
			ck_assert_ptr_eq(dmarc__records_get(&c, ctx,
			    texts[used[j]], strlen(texts[used[j]])), got[j]);
		if (n > most)
			most = n;
		check_index(&c);
	}
	ck_assert_uint_eq(c.n, most > RECORD_KEEP ? most : RECORD_KEEP);
	dmarc__records_free(&c, ctx);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}

START_TEST(test_crowded_churn)
{
	churn(true, 7u, 1);
}
END_TEST

START_TEST(test_random_churn)
{
	churn(false, 12345u, 1);
}
END_TEST

/* Lookups of up to 15 records: the cache grows past RECORD_KEEP for
 * them, and only as far as the largest needed. */
START_TEST(test_lookup_churn)
{
	churn(true, 99u, 15);
	churn(false, 4242u, 15);
}
END_TEST

/* Until RECORD_KEEP texts, every text stays: each found again after all
 * the others came, without an allocation. */
START_TEST(test_kept_until_full)
{
	struct record_cache c;
	const dmarc_record *rec[RECORD_KEEP];
	dmarc_ctx *ctx = new_ctx();
	size_t k;
	long before;

	make_texts(true);
	dmarc__records_init(&c, RECORD_SLOTS);
	for (k = 0; k < RECORD_KEEP; k++)
		rec[k] = get_checked(&c, ctx, k);
	check_index(&c);
	before = n_allocs;
	for (k = 0; k < RECORD_KEEP; k++)
		ck_assert_ptr_eq(dmarc__records_get(&c, ctx, texts[k],
		    strlen(texts[k])), rec[k]);
	ck_assert_int_eq(n_allocs, before);
	dmarc__records_free(&c, ctx);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

/* Texts alike where their hash reads them (their length, middle and
 * end: dmarc__hash_text) and different elsewhere, all used by one
 * lookup: in one run of the index, each still its own record, found
 * again without an allocation. */
START_TEST(test_texts_alike_where_hashed)
{
	struct record_cache c;
	const dmarc_record *rec[RECORD_SLOTS];
	dmarc_ctx *ctx = new_ctx();
	char got[TEXT_SIZE], want[TEXT_SIZE];
	size_t k, n = 0;
	long before;

	for (k = 0; k < RECORD_SLOTS; k++) {
		n = (size_t)snprintf(texts[k], TEXT_SIZE, "v=DMARC1; "
		    "rua=mailto:r@d%04zu.example; p=none; fo=1; adkim=r; "
		    "aspf=r; pct=100", k);
		ck_assert_uint_eq(dmarc__hash_text(texts[k], n),
		    dmarc__hash_text(texts[0], n));
	}
	ck_assert_uint_gt(n, 32); /* the hash of a long text */
	dmarc__records_init(&c, RECORD_SLOTS);
	dmarc__records_begin(&c); /* one lookup: all of them kept */
	for (k = 0; k < RECORD_SLOTS; k++) {
		rec[k] = dmarc__records_get(&c, ctx, texts[k], n);
		ck_assert_ptr_nonnull(rec[k]);
	}
	check_index(&c);
	before = n_allocs;
	for (k = RECORD_SLOTS; k-- > 0;) {
		ck_assert_ptr_eq(dmarc__records_get(&c, ctx, texts[k], n),
		    rec[k]);
		snprintf(want, sizeof want, "r@d%04zu.example", k);
		ck_assert_str_eq(text_host(rec[k], got), want);
	}
	ck_assert_int_eq(n_allocs, before);
	dmarc__records_free(&c, ctx);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

/* A full cache lends a victim's block to the next record that fits in
 * it: records of long texts give way to shorter ones without an
 * allocation, each new record its own text's. */
START_TEST(test_victim_block_reused)
{
	struct record_cache c;
	dmarc_ctx *ctx = new_ctx();
	char long_text[2 * TEXT_SIZE];
	size_t k;
	long before;

	make_texts(false);
	dmarc__records_init(&c, RECORD_SLOTS);
	for (k = 0; k < RECORD_SLOTS; k++) {
		int n = snprintf(long_text, sizeof long_text,
		    "v=DMARC1; p=reject; rua=mailto:long-local-part@d%zu.example,"
		    "mailto:other@d%zu.example", k, k);
		dmarc__records_begin(&c);
		ck_assert_ptr_nonnull(dmarc__records_get(&c, ctx, long_text,
		    (size_t)n));
	}
	before = n_allocs;
	for (k = 0; k < RECORD_SLOTS; k++)
		get_checked(&c, ctx, k);
	ck_assert_int_eq(n_allocs, before);
	check_index(&c);
	dmarc__records_free(&c, ctx);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

/* A record a peer parsed is shared, not parsed again, and stays valid
 * (its block not lent to another record) when the peer lets it go: a
 * long text, pushed out of the peer by shorter ones that would fit. */
START_TEST(test_peer_shares)
{
	static const char long_text[] = "v=DMARC1; p=none; "
	    "rua=mailto:a-long-local-part@shared.example";
	struct record_cache a, b;
	const dmarc_record *ra, *rb;
	dmarc_ctx *ctx = new_ctx();
	char got[TEXT_SIZE];
	size_t k;

	make_texts(false);
	dmarc__records_init(&a, RECORD_SLOTS);
	dmarc__records_init(&b, RECORD_SLOTS);
	dmarc__records_peer(&b, &a, NULL);
	dmarc__records_begin(&a);
	ra = dmarc__records_get(&a, ctx, long_text, sizeof long_text - 1);
	dmarc__records_begin(&b);
	rb = dmarc__records_get(&b, ctx, long_text, sizeof long_text - 1);
	ck_assert_ptr_nonnull(ra);
	ck_assert_ptr_eq(ra, rb);
	for (k = 0; k < N_TEXTS; k++) /* three times a's slots: it leaves */
		get_checked(&a, ctx, k);
	check_index(&a);
	for (k = 0; k < a.n; k++)
		ck_assert_ptr_ne(a.slot[k].rec, rb);
	ck_assert_str_eq(text_host(rb, got),
	    "a-long-local-part@shared.example");
	dmarc__records_free(&a, ctx);
	dmarc__records_free(&b, ctx);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

/* Each allocation of a run failing in turn: NULL for that text, the
 * index still in step, the same texts then found or parsed, no leak
 * (one context for all runs: its own allocations are not the cache's). */
START_TEST(test_allocation_failure)
{
	dmarc_ctx *ctx = new_ctx();
	long f, held = live;
	bool failed = true;

	make_texts(true);
	for (f = 0; failed; f++) {
		struct record_cache c;
		size_t i;

		dmarc__records_init(&c, RECORD_SLOTS);
		failed = false;
		n_allocs = 0;
		fail_at = f;
		for (i = 0; i < 2 * RECORD_SLOTS; i++) {
			size_t k = (i * 7) % N_TEXTS;
			dmarc__records_begin(&c);
			if (dmarc__records_get(&c, ctx, texts[k],
			    strlen(texts[k])) == NULL)
				failed = true;
			check_index(&c);
		}
		fail_at = -1;
		for (i = 0; i < RECORD_SLOTS + 5; i++)
			get_checked(&c, ctx, (i * 7) % N_TEXTS);
		check_index(&c);
		dmarc__records_free(&c, ctx);
		ck_assert_int_eq(live, held);
	}
	ck_assert_int_gt(f, 3);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

static Suite *record_cache_suite(void)
{
	Suite *s = suite_create("record cache");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_kept_until_full);
	tcase_add_test(tc, test_texts_alike_where_hashed);
	tcase_add_test(tc, test_crowded_churn);
	tcase_add_test(tc, test_random_churn);
	tcase_add_test(tc, test_lookup_churn);
	tcase_add_test(tc, test_victim_block_reused);
	tcase_add_test(tc, test_peer_shares);
	tcase_add_test(tc, test_allocation_failure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(record_cache_suite());
}
