/*
 * The plain-name fast paths of lib/name_plain.h, held to the rules
 * written out plainly and to each other: the sixteen-byte (SSE2) and the
 * eight-byte classification of a name, the whole plain check, the
 * comparison with a name the library holds and the copy of a byte range.
 * Each input is copied to a block of exactly its size, so that a read
 * past it is caught by the sanitizers and valgrind.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "name_plain.h"

static uint32_t next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* len bytes: mostly letters, one in 1 << sparse from the bytes that
 * matter (marks next to each other, bytes no name has, upper case). */
static void generate(char *name, size_t len, uint32_t *x, unsigned int sparse)
{
	static const char alphabet[] = "aaaaz09-..-A_x\x80n/\xff";
	size_t i;

	for (i = 0; i < len; i++) {
		uint32_t r = next(x);
		name[i] = (r >> 8) % (1u << sparse) != 0 ? (char)('a' + r % 26) :
		    alphabet[r % (sizeof alphabet - 1)];
	}
}

/* A copy of the n bytes at s in a block of its own size. */
static char *exact(const char *s, size_t n)
{
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, n);
	return p;
}

static bool is_mark(char c)
{
	return c == '-' || c == '.';
}

/* What both classifications decide: every byte a-z, 0-9, '-' or '.',
 * no '-' or '.' next to another. */
static bool reference_bytes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    is_mark(c)))
			return false;
		if (i > 0 && is_mark(c) && is_mark(s[i - 1]))
			return false;
	}
	return true;
}

/* The whole plain check: the above, neither end a mark, labels of at
 * most 63 bytes. */
static bool reference_plain(const char *s, size_t n)
{
	size_t i, label = 0;

	if (!reference_bytes(s, n) || is_mark(s[0]) || is_mark(s[n - 1]))
		return false;
	for (i = 0; i < n; i++) {
		label = s[i] == '.' ? 0 : label + 1;
		if (label > 63)
			return false;
	}
	return true;
}

/* A copy that succeeded holds the name and its NUL.  (Check is called
 * only on a difference here and below: each assertion costs it a
 * message to the runner, and these tests make millions.) */
static void copied(const char *out, const char *name, size_t n)
{
	if (memcmp(out, name, n) != 0 || out[n] != '\0')
		ck_abort_msg("%zu bytes: the copy differs", n);
}

/* 300,000 names of every length from 1 to 253, marks and bad bytes
 * dense or sparse: each form of the classification, and the whole plain
 * check, against the rules. */
START_TEST(test_plain_forms_agree)
{
	char name[256], out[DMARC_DOMAIN_SIZE];
	uint32_t x = 2024;
	size_t round, n;
	bool want;

	for (round = 0; round < 300000; round++) {
		char *in;
		n = 1 + round % 253;
		generate(name, n, &x, 1 + (unsigned int)(round % 6));
		in = exact(name, n);
		want = reference_bytes(in, n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		if (plain_copy_words(out, in, n) != want ||
		    plain_check_words(in, n) != want)
			ck_abort_msg("words, %zu bytes: want %d", n, want);
		if (want)
			copied(out, in, n);
#endif
#ifdef DMARC_PLAIN_SSE2
		/* the sixteen-byte form judges the ends as well */
		want = want && !is_mark(in[0]) && !is_mark(in[n - 1]);
		if (plain_copy_sse2(out, in, n) != want ||
		    plain_check_sse2(in, n) != want)
			ck_abort_msg("sse2, %zu bytes: want %d", n, want);
		if (want)
			copied(out, in, n);
#endif
		want = reference_plain(in, n);
		if (dmarc__plain_copy(out, in, n) != want ||
		    dmarc__plain_name(in, n) != want)
			ck_abort_msg("plain, %zu bytes: want %d", n, want);
		if (want)
			copied(out, in, n);
		free(in);
	}
	/* the check alone takes any length: none is no name, nor 254 */
	memset(name, 'a', 254);
	if (dmarc__plain_name(name, 0) || !dmarc__plain_name(name, 63) ||
	    dmarc__plain_name(name, 64) || dmarc__plain_name(name, 254))
		ck_abort_msg("plain check of 0, 63, 64 or 254 bytes");
}
END_TEST

/* For every length from 1 to 253, a name the library holds and the
 * caller's bytes: the same, or different in one byte at each place in
 * turn (the comparison must see it wherever it falls). */
START_TEST(test_same_name_copy)
{
	char known[DMARC_DOMAIN_SIZE], name[256], out[DMARC_DOMAIN_SIZE];
	uint32_t x = 77;
	size_t n, at;

	for (n = 1; n <= 253; n++) {
		generate(known, n, &x, 3);
		known[n] = '\0';
		for (at = 0; at <= n; at++) {
			char *in;
			memcpy(name, known, n);
			if (at < n)
				name[at] = (char)(name[at] ^ (1 << (at % 8)));
			in = exact(name, n);
			if (dmarc__same_name_copy(out, in, known, n) != (at == n))
				ck_abort_msg("%zu bytes, differing at %zu", n,
				    at);
			if (at == n)
				copied(out, known, n);
			free(in);
		}
	}
}
END_TEST

/* dmarc__copy_name against memcpy: every length from 0 to 253 from a
 * block of exactly that size, at every alignment of the destination in
 * turn, the bytes around it untouched. */
START_TEST(test_copy_name)
{
	char name[256], out[300], want[300];
	uint32_t x = 4711;
	size_t n;

	for (n = 0; n <= 253; n++) {
		size_t at = n % 16 + 1;
		char *in;
		generate(name, n, &x, 1 + (unsigned int)(n % 6));
		in = exact(name, n != 0 ? n : 1);
		memset(out, '#', sizeof out);
		memset(want, '#', sizeof want);
		memcpy(want + at, in, n);
		dmarc__copy_name(out + at, in, n);
		if (memcmp(out, want, sizeof out) != 0)
			ck_abort_msg("copy of %zu bytes to offset %zu", n, at);
		free(in);
	}
}
END_TEST

/* dmarc__same_bytes against memcmp, for every length from 0 to 253, both
 * sides in blocks of exactly their size (valgrind and ASan see a read
 * past them), differing in one byte at each place in turn. */
START_TEST(test_same_bytes)
{
	char a[256], b[256];
	uint32_t x = 91;
	size_t n, at;

	for (n = 0; n <= 253; n++) {
		char *pa;

		generate(a, n, &x, 2);
		pa = exact(a, n > 0 ? n : 1);
		for (at = 0; at <= n; at++) {
			char *pb;
			memcpy(b, a, n);
			if (at < n)
				b[at] = (char)(b[at] ^ (1 << (at % 8)));
			pb = exact(b, n > 0 ? n : 1);
			if (dmarc__same_bytes(pa, pb, n) != (at == n) ||
			    dmarc__same_bytes(pb, pa, n) != (at == n))
				ck_abort_msg("%zu bytes, differing at %zu", n,
				    at);
			free(pb);
		}
		free(pa);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("name-plain");
	TCase *tc = tcase_create("forms");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_plain_forms_agree);
	tcase_add_test(tc, test_same_name_copy);
	tcase_add_test(tc, test_copy_name);
	tcase_add_test(tc, test_same_bytes);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
