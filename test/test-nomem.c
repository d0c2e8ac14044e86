/*
 * Allocation failures inside the libraries libdmarc calls (libidn2 and
 * libpsl allocate with the C library's malloc, not the context's
 * allocator): this program puts its own malloc in front of the C
 * library's, fails each allocation in turn while one call runs, and
 * checks that the call reports DMARC_ENOMEM rather than a bad name or a
 * missing list.  glibc only, and not under a sanitizer that replaces
 * malloc itself.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define NO_INTERPOSER 1
#endif
#endif
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__) || \
    defined(__SANITIZE_THREAD__)
#define NO_INTERPOSER 1
#endif

#ifndef NO_INTERPOSER
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static int armed;      /* count and fail only while a call runs */
static long fail_at;   /* allocation to fail, from 0; -1 none */
static long n_allocs;

static int fail_now(void)
{
	if (!armed)
		return 0;
	if (n_allocs++ != fail_at)
		return 0;
	errno = ENOMEM;
	return 1;
}

void *malloc(size_t n)
{
	return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	return fail_now() ? NULL : __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

static void arm(long k)
{
	fail_at = k;
	n_allocs = 0;
	armed = 1;
}

static long disarm(void)
{
	armed = 0;
	return n_allocs;
}

/* Whether the libraries' malloc calls reach this program's: valgrind
 * redirects them to its own, and then nothing here can fail one. */
static int interposed(void)
{
	char *(*volatile dup)(const char *) = strdup; /* not a builtin */
	char *p;

	arm(-1);
	p = dup("probe"); /* the C library calls malloc inside */
	free(p);
	if (disarm() > 0)
		return 1;
	/* only a wrapper such as valgrind (make check-valgrind) may do that */
	p = getenv("DMARC_TEST_WRAPPER");
	ck_assert_msg(p != NULL && *p != '\0', "malloc is not interposed");
	return 0;
}

/* A name libidn2 must convert: each allocation failing in turn gives
 * DMARC_ENOMEM (or a result, if the failure was recovered from). */
START_TEST(test_idna_nomem)
{
	static const char name[] = "b\xc3\xbc" "cher.example";
	char out[DMARC_DOMAIN_SIZE];
	dmarc_status st;
	long total, k;

	if (!interposed())
		return; /* under valgrind: the plain build runs it */
	arm(-1);
	st = dmarc_domain_normalize(name, sizeof name - 1, out, sizeof out,
	    NULL);
	total = disarm();
	ck_assert_int_eq(st, DMARC_OK);
	ck_assert_str_eq(out, "xn--bcher-kva.example");
	ck_assert_int_gt(total, 0);
	for (k = 0; k < total; k++) {
		arm(k);
		st = dmarc_domain_normalize(name, sizeof name - 1, out,
		    sizeof out, NULL);
		disarm();
		ck_assert_msg(st == DMARC_ENOMEM || st == DMARC_OK,
		    "allocation %ld of %ld failed: %s", k, total,
		    dmarc_strerror(st));
		if (st == DMARC_OK)
			ck_assert_str_eq(out, "xn--bcher-kva.example");
	}
}
END_TEST

/* A list libpsl must load: its allocation failures are DMARC_ENOMEM,
 * never DMARC_ENOPSL, and the context keeps working. */
START_TEST(test_psl_nomem)
{
	static const char list[] = "// ===BEGIN ICANN DOMAINS===\n"
	    "com\nuk\nco.uk\njp\n*.kawasaki.jp\n!city.kawasaki.jp\n"
	    "// ===END ICANN DOMAINS===\n";
	dmarc_ctx *ctx;
	dmarc_status st;
	char out[DMARC_DOMAIN_SIZE];
	long total, k;

	if (!interposed())
		return; /* under valgrind: the plain build runs it */
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	arm(-1);
	st = dmarc_ctx_load_psl_buffer(ctx, list, sizeof list - 1);
	total = disarm();
	ck_assert_int_eq(st, DMARC_OK);
	ck_assert_int_gt(total, 0);
	for (k = 0; k < total; k++) {
		arm(k);
		st = dmarc_ctx_load_psl_buffer(ctx, list, sizeof list - 1);
		disarm();
		ck_assert_msg(st == DMARC_ENOMEM || st == DMARC_OK,
		    "allocation %ld of %ld failed: %s", k, total,
		    dmarc_strerror(st));
		ck_assert_int_eq(dmarc_psl_org_domain(ctx, "kawasaki.jp", 11,
		    out, sizeof out, NULL), DMARC_OK);
		ck_assert_str_eq(out, "kawasaki.jp");
	}
	dmarc_ctx_free(ctx);
}
END_TEST
#else
START_TEST(test_skipped)
{
	/* no way to put a malloc in front of the C library's here */
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("nomem");
	TCase *tc = tcase_create("libraries");

#ifndef NO_INTERPOSER
	tcase_add_test(tc, test_idna_nomem);
	tcase_add_test(tc, test_psl_nomem);
#else
	tcase_add_test(tc, test_skipped);
#endif
	suite_add_tcase(s, tc);
	return run_suite(s);
}
