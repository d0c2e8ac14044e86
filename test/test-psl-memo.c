/*
 * The PSL memo of an object (lib/psl.c, dmarc__psl_org_memo): every
 * answer, hit or miss, is the list's own; a name asked once is not
 * kept, a name asked again is, and names that take turns in one set
 * are all kept even when their hashes share the low bits; a memo that
 * cannot be made gives the same answers.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "check-main.h"
#include "failing-alloc.h"
#include "hash.h"
#include "psl_int.h"

static const char list[] =
    "com\nuk\nco.uk\norg\nnet\n*.ck\n!www.ck\n";

static dmarc_ctx *new_ctx(bool failing)
{
	dmarc_ctx *ctx;

	if (failing)
		ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx,
		    failing_malloc, failing_realloc, failing_free), DMARC_OK);
	else
		ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl_buffer(ctx, list,
	    sizeof list - 1), DMARC_OK);
	return ctx;
}

static const char *const suffixes[] = { "com", "co.uk", "org", "uk",
	"net", "x.ck", "www.ck", "example" };
#define N_SUFFIXES (sizeof suffixes / sizeof suffixes[0])

/* Name k: zero to two labels over one of the suffixes. */
static size_t make_name(char *buf, size_t size, unsigned int k)
{
	const char *sfx = suffixes[k % N_SUFFIXES];

	switch ((k / N_SUFFIXES) % 3) {
	case 0:
		return (size_t)snprintf(buf, size, "%s", sfx);
	case 1:
		return (size_t)snprintf(buf, size, "d%u.%s", k, sfx);
	default:
		return (size_t)snprintf(buf, size, "mail.d%u.%s", k, sfx);
	}
}

/* The memo's answer for name, as an offset into it (-1: none), checked
 * against the list's own. */
static int org_offset(const dmarc_ctx *ctx, struct psl_memo **m,
    const char *name, size_t len)
{
	const char *org = NULL, *want = NULL;

	if (dmarc__psl_org_memo(ctx, m, name, len, &org) != DMARC_OK ||
	    dmarc__psl_org(ctx, name, &want) != DMARC_OK)
		ck_abort_msg("%s: lookup failed", name);
	if ((org == NULL) != (want == NULL) ||
	    (org != NULL && org - name != want - name))
		ck_abort_msg("%s: memo says %s, the list %s", name,
		    org ? org : "(none)", want ? want : "(none)");
	return org != NULL ? (int)(org - name) : -1;
}

static bool kept(const struct psl_memo *m, const char *name)
{
	size_t i;

	for (i = 0; m != NULL && i < PSL_MEMO_SLOTS; i++)
		if (m->slot[i].valid && strcmp(m->slot[i].name, name) == 0)
			return true;
	return false;
}

/* 300 names asked 20,000 times in a scrambled order that repeats some
 * often and others rarely: every answer the list's. */
START_TEST(test_answers_are_the_lists)
{
	dmarc_ctx *ctx = new_ctx(false);
	struct psl_memo *m = NULL;
	char name[64];
	uint32_t x = 12345;
	int i;

	for (i = 0; i < 20000; i++) {
		unsigned int k;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		k = (x & 7) != 0 ? x % 12 : x % 300; /* a few hot names */
		org_offset(ctx, &m, name, make_name(name, sizeof name, k));
	}
	ck_assert_ptr_nonnull(m);
	dmarc__psl_memo_free(ctx, m);
	dmarc_ctx_free(ctx);
}
END_TEST

/* Once is not kept; twice is. */
START_TEST(test_kept_when_asked_again)
{
	dmarc_ctx *ctx = new_ctx(false);
	struct psl_memo *m = NULL;

	org_offset(ctx, &m, "a.example.com", 13);
	ck_assert(!kept(m, "a.example.com"));
	org_offset(ctx, &m, "a.example.com", 13);
	ck_assert(kept(m, "a.example.com"));
	ck_assert_int_eq(org_offset(ctx, &m, "a.example.com", 13), 2);
	dmarc__psl_memo_free(ctx, m);
	dmarc_ctx_free(ctx);
}
END_TEST

/* Up to PSL_MEMO_WAYS names of one set, all with the same hash bits
 * below PSL_MEMO_SLOTS, asked in turn: each is kept once asked twice
 * (a memo that remembered one name missed per slot would keep none). */
START_TEST(test_names_taking_turns_are_kept)
{
	dmarc_ctx *ctx = new_ctx(false);
	struct psl_memo *m = NULL;
	char names[PSL_MEMO_WAYS][64];
	uint32_t first = 0;
	unsigned int k, n = 0, round, i;

	for (k = 0; n < PSL_MEMO_WAYS; k++) {
		size_t len = (size_t)snprintf(names[n], sizeof names[n],
		    "host%u.example.org", k);
		uint32_t h = dmarc__hash_bytes(names[n], len) % PSL_MEMO_SLOTS;
		if (n == 0)
			first = h;
		if (h == first)
			n++;
	}
	for (round = 0; round < 3; round++)
		for (i = 0; i < n; i++)
			org_offset(ctx, &m, names[i], strlen(names[i]));
	for (i = 0; i < n; i++)
		ck_assert_msg(kept(m, names[i]), "%s not kept", names[i]);
	dmarc__psl_memo_free(ctx, m);
	dmarc_ctx_free(ctx);
}
END_TEST

/* The memo's allocation failing: the list answers, and the memo is
 * made at the next lookup. */
START_TEST(test_no_memory_same_answers)
{
	dmarc_ctx *ctx = new_ctx(true);
	struct psl_memo *m = NULL;
	const char *org;
	char name[64];
	unsigned int k;

	/* the list is made ready on first use: not the failure wanted */
	ck_assert_int_eq(dmarc__psl_org(ctx, "example.com", &org), DMARC_OK);
	fail_at = n_allocs; /* the memo's */
	org_offset(ctx, &m, "a.example.com", 13);
	ck_assert_ptr_null(m);
	fail_at = -1;
	for (k = 0; k < 40; k++)
		org_offset(ctx, &m, name, make_name(name, sizeof name, k % 5));
	ck_assert_ptr_nonnull(m);
	dmarc__psl_memo_free(ctx, m);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("psl-memo");
	TCase *tc = tcase_create("memo");

	fail_at = -1;
	tcase_add_test(tc, test_answers_are_the_lists);
	tcase_add_test(tc, test_kept_when_asked_again);
	tcase_add_test(tc, test_names_taking_turns_are_kept);
	tcase_add_test(tc, test_no_memory_same_answers);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
