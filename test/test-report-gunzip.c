/*
 * The gunzip filter (lib/report/gunzip.c): members built here by zlib's
 * deflate decode to their input in every chunking (1 byte, fixed and
 * random sizes) with the same output and diagnostics; header fields;
 * several members; trailing bytes; truncation at every offset; corrupt
 * headers, data, CRC and ISIZE; output and ratio limits (a 100 MB bomb
 * of zeros stops early in bounded memory); a failing sink; allocation
 * failures; misuse.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "check-main.h"
#include "decode-check.h"
#include "report/gzip_sink.h"

START_TEST(test_gunzip_chunkings)
{
	static const size_t sizes[] = { 0, 1, 100, 16383, 16384, 16385,
	    200000 };
	struct mem_sink gz;
	struct result r;
	size_t i;
	char *data = sample(200000, 1);

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		mem_sink_init(&gz);
		gzip_member(&gz, data, sizes[i]);
		result_init(&r);
		run_all(GUNZIP, gz.data, gz.len, NULL, &r);
		OK(r.st);
		ck_assert_uint_eq(r.out.len, sizes[i]);
		ck_assert(memcmp(r.out.data, data, sizes[i]) == 0);
		ck_assert_uint_eq(r.parts, 1);
		ck_assert_uint_eq(r.n_diags, 0);
		ck_assert_uint_eq(r.in, gz.len);
		result_dispose(&r);
		mem_sink_dispose(&gz);
	}
	free(data);
}
END_TEST

/* FEXTRA, FNAME, FCOMMENT, FHCRC (RFC 1952 section 2.3.1), each set by
 * zlib's deflateSetHeader. */
START_TEST(test_gunzip_header_fields)
{
	static unsigned char extra[300], name[] = "report.xml",
	    comment[] = "a comment";
	struct mem_sink gz;
	struct result r;
	gz_header h;
	unsigned k;
	char *data = sample(5000, 2);

	for (k = 0; k < 16; k++) {
		memset(&h, 0, sizeof h);
		h.os = 3;
		h.extra = k & 1 ? extra : Z_NULL;
		h.extra_len = sizeof extra;
		h.name = k & 2 ? name : Z_NULL;
		h.comment = k & 4 ? comment : Z_NULL;
		h.hcrc = (k & 8) != 0;
		mem_sink_init(&gz);
		deflate_into(&gz, data, 5000, 15 + 16, &h);
		ck_assert_uint_eq((unsigned char)gz.data[3],
		    (k & 1 ? 4 : 0) | (k & 2 ? 8 : 0) | (k & 4 ? 16 : 0) |
		    (k & 8 ? 2 : 0));
		result_init(&r);
		run_all(GUNZIP, gz.data, gz.len, NULL, &r);
		OK(r.st);
		ck_assert(r.out.len == 5000 &&
		    memcmp(r.out.data, data, 5000) == 0);
		result_dispose(&r);
		if (k == 15) { /* a wrong header CRC: its 2 bytes are at 10 +
			2 + 300 + 11 + 10 */
			gz.data[333] ^= 1;
			result_init(&r);
			run_all(GUNZIP, gz.data, gz.len, NULL, &r);
			failed_with(&r, DMARC__DD_BAD_HEADER, 333);
			result_dispose(&r);
		}
		mem_sink_dispose(&gz);
	}
	free(data);
}
END_TEST

START_TEST(test_gunzip_bad_header)
{
	static const struct {
		size_t at;
		unsigned char value;
		enum dmarc__decode_code code;
	} cases[] = {
		{ 0, 0x1E, DMARC__DD_BAD_MAGIC },
		{ 1, 0x8C, DMARC__DD_BAD_MAGIC },
		{ 2, 7, DMARC__DD_BAD_HEADER }, /* CM 7 */
		{ 3, 0x20, DMARC__DD_BAD_HEADER }, /* reserved FLG bits */
		{ 3, 0x80, DMARC__DD_BAD_HEADER },
	};
	struct mem_sink gz;
	struct result r;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mem_sink_init(&gz);
		gzip_member(&gz, "abc", 3);
		gz.data[cases[i].at] = (char)cases[i].value;
		result_init(&r);
		run_all(GUNZIP, gz.data, gz.len, NULL, &r);
		failed_with(&r, cases[i].code, cases[i].at == 1 ? 0 :
		    (long long)cases[i].at);
		ck_assert_uint_eq(r.out.len, 0);
		result_dispose(&r);
		mem_sink_dispose(&gz);
	}
	/* not gzip at all: XML */
	result_init(&r);
	run_all(GUNZIP, "<?xml version=\"1.0\"?>", 21, NULL, &r);
	failed_with(&r, DMARC__DD_BAD_MAGIC, 0);
	result_dispose(&r);
}
END_TEST

/* RFC 1952 section 2.2: members one after the other, an empty one too. */
START_TEST(test_gunzip_members)
{
	struct mem_sink gz;
	struct result r;
	char *data = sample(100000, 3);

	mem_sink_init(&gz);
	gzip_member(&gz, data, 40000);
	gzip_member(&gz, data, 0);
	gzip_member(&gz, data + 40000, 60000);
	result_init(&r);
	run_all(GUNZIP, gz.data, gz.len, NULL, &r);
	OK(r.st);
	ck_assert(r.out.len == 100000 && memcmp(r.out.data, data, 100000) == 0);
	ck_assert_uint_eq(r.parts, 3);
	ck_assert_uint_eq(r.n_diags, 0);
	result_dispose(&r);
	mem_sink_dispose(&gz);
	free(data);
}
END_TEST

/* Bytes after the last member: a warning with their offset and length,
 * unless they start with ID1 ID2 (then they are a member). */
START_TEST(test_gunzip_trailing)
{
	static const struct {
		const char *bytes;
		size_t len;
		bool warning; /* else truncated */
	} cases[] = {
		{ "\0\0\0\0\0\0\0\0", 8, true }, { "garbage\n", 8, true },
		{ "\x1F", 1, true }, { "\x1F\x1F\x8B", 3, true },
		{ "\x8B\x1F", 2, true }, { "\x1F\x8B", 2, false },
		{ "\x1F\x8B\x08\0\0\0\0\0\0", 9, false },
	};
	struct mem_sink gz;
	struct result r;
	size_t i, member;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mem_sink_init(&gz);
		gzip_member(&gz, "hello", 5);
		member = gz.len;
		put_bytes(&gz, cases[i].bytes, cases[i].len);
		result_init(&r);
		run_all(GUNZIP, gz.data, gz.len, NULL, &r);
		ck_assert_str_eq(r.out.data, "hello");
		if (cases[i].warning) {
			OK(r.st);
			ck_assert_uint_eq(r.n_diags, 1);
			ck_assert_int_eq(r.diags[0].code, DMARC__DD_TRAILING);
			ck_assert_int_eq(r.diags[0].cls, DMARC__DECODE_WARNING);
			ck_assert_uint_eq(r.diags[0].offset, member);
			ck_assert_uint_eq(r.diags[0].length, cases[i].len);
			ck_assert_uint_eq(r.diags[0].part, 1);
		} else {
			failed_with(&r, DMARC__DD_TRUNCATED, (long long)gz.len);
		}
		ck_assert_uint_eq(r.parts, 1);
		result_dispose(&r);
		mem_sink_dispose(&gz);
	}
	/* much padding, in any chunking */
	mem_sink_init(&gz);
	gzip_member(&gz, "hello", 5);
	member = gz.len;
	while (gz.len < member + 100000)
		put_bytes(&gz, "\0\0\0\0\0\0\0\0\0\0", 10);
	result_init(&r);
	run_all(GUNZIP, gz.data, gz.len, NULL, &r);
	OK(r.st);
	ck_assert_uint_eq(r.diags[0].length, 100000);
	ck_assert_uint_eq(r.in, gz.len);
	result_dispose(&r);
	mem_sink_dispose(&gz);
}
END_TEST

/* Cut at every offset, in one piece and a byte at a time: a truncated
 * failure at the cut, never success, whatever came out before. */
START_TEST(test_gunzip_truncated)
{
	struct mem_sink gz;
	struct result r;
	gz_header h;
	size_t cut, first;
	int chunk;
	char *data = sample(3000, 4);

	memset(&h, 0, sizeof h);
	h.name = (unsigned char *)(uintptr_t)"name";
	h.hcrc = 1;
	mem_sink_init(&gz);
	deflate_into(&gz, data, 3000, 15 + 16, &h);
	first = gz.len;
	gzip_member(&gz, data, 100);
	for (cut = 0; cut < gz.len; cut++) {
		if (cut == first || cut == first + 1) {
			/* a whole member, then nothing or a lone 1F:
			 * trailing bytes, as gunzip.h says */
			result_init(&r);
			run(GUNZIP, gz.data, cut, 0, NULL, &r);
			OK(r.st);
			ck_assert_uint_eq(r.n_diags, cut - first);
			result_dispose(&r);
			continue;
		}
		for (chunk = 0; chunk <= 1; chunk++) {
			result_init(&r);
			run(GUNZIP, gz.data, cut, (size_t)chunk, NULL, &r);
			failed_with(&r, DMARC__DD_TRUNCATED, (long long)cut);
			ck_assert_uint_eq(r.in, cut);
			result_dispose(&r);
		}
	}
	mem_sink_dispose(&gz);
	free(data);
}
END_TEST

START_TEST(test_gunzip_corrupt)
{
	struct mem_sink gz;
	struct result r;
	size_t i;
	char *data = sample(20000, 5);

	mem_sink_init(&gz);
	gzip_member(&gz, data, 20000);
	/* CRC32, then ISIZE (RFC 1952 section 2.3.1) */
	gz.data[gz.len - 8] ^= 0x40;
	result_init(&r);
	run_all(GUNZIP, gz.data, gz.len, NULL, &r);
	failed_with(&r, DMARC__DD_BAD_CRC, (long long)gz.len - 8);
	ck_assert_uint_eq(r.out.len, 20000); /* handed on before the check */
	result_dispose(&r);
	gz.data[gz.len - 8] ^= 0x40;
	gz.data[gz.len - 1] ^= 0x01;
	result_init(&r);
	run_all(GUNZIP, gz.data, gz.len, NULL, &r);
	failed_with(&r, DMARC__DD_BAD_SIZE, (long long)gz.len - 4);
	result_dispose(&r);
	gz.data[gz.len - 1] ^= 0x01;
	/* every byte flipped in turn: MTIME, XFL and OS do not matter;
	 * elsewhere a failure (the data may look shorter or longer) */
	for (i = 0; i < gz.len; i++) {
		gz.data[i] ^= (char)0xFF;
		result_init(&r);
		run(GUNZIP, gz.data, gz.len, i % 2 == 0 ? 0 : 1000, NULL, &r);
		if (i >= 4 && i < 10)
			REQUIRE(r.st == DMARC_OK);
		else
			REQUIRE(r.failed && (r.failure.cls ==
			    DMARC__DECODE_CORRUPT || r.failure.cls ==
			    DMARC__DECODE_TRUNCATED));
		result_dispose(&r);
		gz.data[i] ^= (char)0xFF;
	}
	mem_sink_dispose(&gz);
	free(data);
}
END_TEST

START_TEST(test_gunzip_output_limit)
{
	struct dmarc__decode_limits lim;
	struct mem_sink gz;
	struct result r;
	char *data = sample(200000, 6);

	mem_sink_init(&gz);
	gzip_member(&gz, data, 100000);
	gzip_member(&gz, data + 100000, 100000);
	dmarc__decode_limits_default(&lim);
	lim.max_output = 200000; /* exactly: fine */
	result_init(&r);
	run_all(GUNZIP, gz.data, gz.len, &lim, &r);
	OK(r.st);
	result_dispose(&r);
	lim.max_output = 150000; /* over it in the second member */
	result_init(&r);
	run_all(GUNZIP, gz.data, gz.len, &lim, &r);
	failed_with(&r, DMARC__DD_LIMIT_OUTPUT, -1);
	ck_assert_uint_eq(r.out.len, 150000); /* up to the limit, exactly */
	ck_assert_uint_eq(r.failure.part, 1);
	ck_assert(memcmp(r.out.data, data, r.out.len) == 0);
	result_dispose(&r);
	/* the ratio: this text compresses about 4:1 */
	lim.max_output = UINT64_MAX;
	lim.ratio_floor = 0;
	lim.max_ratio = 2;
	result_init(&r);
	run_all(GUNZIP, gz.data, gz.len, &lim, &r);
	failed_with(&r, DMARC__DD_LIMIT_RATIO, -1);
	result_dispose(&r);
	lim.ratio_floor = 150000; /* not checked before */
	result_init(&r);
	run(GUNZIP, gz.data, gz.len, 0, &lim, &r);
	ck_assert_uint_ge(r.out.len, 150000 - DMARC__DECODE_BUFFER);
	result_dispose(&r);
	lim.max_ratio = 0; /* off */
	result_init(&r);
	run(GUNZIP, gz.data, gz.len, 0, &lim, &r);
	OK(r.st);
	result_dispose(&r);
	mem_sink_dispose(&gz);
	free(data);
}
END_TEST

/* 100 MB of zeros compressed (about 100 KB): the chain gzip -> gunzip
 * stops at the default ratio as soon as 1 MiB has come out, without an
 * allocation past zlib's window. */
START_TEST(test_gunzip_bomb)
{
	static const char zeros[65536];
	struct dmarc__gunzip *g;
	struct dmarc__gzip *gz;
	struct dmarc__filter f, gf;
	const struct dmarc__decode *d;
	const struct dmarc__decode_diag *fail;
	uint64_t written = 0, plain = 0;
	long allocs;
	dmarc_status st = DMARC_OK;

	OK(dmarc__gunzip_new(&g, ctx, dmarc__sink_make(count_sink_write,
	    &plain), NULL));
	gf = dmarc__gunzip_filter(g);
	OK(dmarc__gzip_new(&gz, ctx, dmarc__filter_sink(&gf), 9));
	f = dmarc__gzip_filter(gz);
	allocs = n_allocs;
	while (written < 100000000u && st == DMARC_OK) {
		st = dmarc__filter_write(&f, zeros, sizeof zeros);
		written += sizeof zeros;
	}
	if (st == DMARC_OK)
		st = dmarc__filter_finish(&f);
	ck_assert_int_eq(st, DMARC_ERANGE);
	d = dmarc__gunzip_decode(g);
	fail = dmarc__decode_failure(d);
	ck_assert_ptr_nonnull(fail);
	ck_assert_int_eq(fail->code, DMARC__DD_LIMIT_RATIO);
	/* past 1 MiB, once the headers weigh little enough (1028:1 here) */
	ck_assert_uint_gt(plain + DMARC__DECODE_BUFFER,
	    DMARC__DECODE_RATIO_FLOOR);
	ck_assert_uint_le(plain, 4 * DMARC__DECODE_RATIO_FLOOR);
	ck_assert_uint_lt(written, 40000000u); /* deflate's 16 KiB buffer */
	ck_assert_int_le(n_allocs - allocs, 1); /* inflate's window */
	dmarc__gzip_free(gz);
	dmarc__gunzip_free(g);
}
END_TEST

/* The sink fails at its call k: that status, kept, and no more calls. */
START_TEST(test_gunzip_failing_sink)
{
	struct dmarc__gunzip *g;
	const struct dmarc__decode *d;
	struct dmarc__filter f;
	struct mem_sink gz;
	size_t k;
	dmarc_status st;
	char *data = sample(100000, 7);

	mem_sink_init(&gz);
	gzip_member(&gz, data, 100000);
	for (k = 1; k <= 3; k++) {
		mem_sink_dispose(&out);
		out.fail_at_call = k;
		out.fail_status = DMARC_EBUFFER;
		OK(dmarc__gunzip_new(&g, ctx, to_out(), NULL));
		f = dmarc__gunzip_filter(g);
		st = dmarc__filter_write(&f, gz.data, gz.len);
		ck_assert_int_eq(st, DMARC_EBUFFER);
		ck_assert_uint_eq(out.calls, k);
		ck_assert_int_eq(dmarc__filter_write(&f, "x", 1),
		    DMARC_EBUFFER);
		ck_assert_int_eq(dmarc__filter_finish(&f), DMARC_EBUFFER);
		ck_assert_uint_eq(out.calls, k);
		d = dmarc__gunzip_decode(g);
		ck_assert_ptr_null(dmarc__decode_failure(d));
		ck_assert_uint_eq(dmarc__decode_bytes_out(d),
		    (k - 1) * DMARC__DECODE_BUFFER);
		dmarc__gunzip_free(g);
	}
	mem_sink_dispose(&gz);
	free(data);
}
END_TEST

/* Allocation i fails, for each i: DMARC_ENOMEM from _new or from the
 * first write (inflate's window), nothing leaked; then success. */
START_TEST(test_gunzip_nomem)
{
	struct dmarc__gunzip *g;
	struct mem_sink gz;
	long i, before = live;
	dmarc_status st;

	mem_sink_init(&gz);
	gzip_member(&gz, "abcabcabc", 9);
	for (i = 0;; i++) {
		mem_sink_dispose(&out);
		fail_at = n_allocs + i;
		st = dmarc__gunzip_new(&g, ctx, to_out(), NULL);
		if (st == DMARC_OK) {
			st = dmarc__gunzip_write(g, gz.data, gz.len);
			if (st == DMARC_OK)
				st = dmarc__gunzip_finish(g);
			else /* kept */
				ck_assert_int_eq(dmarc__gunzip_finish(g), st);
			ck_assert_ptr_null(dmarc__decode_failure(
			    dmarc__gunzip_decode(g)));
			dmarc__gunzip_free(g);
		} else {
			ck_assert_ptr_null(g);
		}
		ck_assert_int_eq(live, before);
		if (st == DMARC_OK)
			break;
		ck_assert_int_eq(st, DMARC_ENOMEM);
	}
	fail_at = -1;
	ck_assert_int_ge(i, 3); /* filter, zlib's state, its window */
	ck_assert_str_eq(out.data, "abcabcabc");
	mem_sink_dispose(&gz);
}
END_TEST

START_TEST(test_gunzip_misuse)
{
	struct dmarc__decode_limits lim;
	struct dmarc__gunzip *g = NULL;
	struct mem_sink gz;

	ck_assert_int_eq(dmarc__gunzip_new(NULL, ctx, to_out(), NULL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__gunzip_new(&g, NULL, to_out(), NULL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__gunzip_new(&g, ctx, dmarc__sink_make(NULL,
	    NULL), NULL), DMARC_EINVAL);
	ck_assert_ptr_null(g);
	dmarc__decode_limits_default(&lim);
	lim.max_name = 65536;
	ck_assert_int_eq(dmarc__gunzip_new(&g, ctx, to_out(), &lim),
	    DMARC_ERANGE);
	/* empty input is truncated */
	OK(dmarc__gunzip_new(&g, ctx, to_out(), NULL));
	OK(dmarc__gunzip_write(g, NULL, 0));
	ck_assert_int_eq(dmarc__gunzip_finish(g), DMARC_ETRUNCATED);
	ck_assert_int_eq(dmarc__gunzip_finish(g), DMARC_ETRUNCATED);
	dmarc__gunzip_free(g);
	/* after finish */
	mem_sink_init(&gz);
	gzip_member(&gz, "x", 1);
	OK(dmarc__gunzip_new(&g, ctx, to_out(), NULL));
	OK(dmarc__gunzip_write(g, gz.data, gz.len));
	OK(dmarc__gunzip_finish(g));
	ck_assert_int_eq(dmarc__gunzip_write(g, gz.data, gz.len), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__gunzip_finish(g), DMARC_ESTATE);
	ck_assert_uint_eq(dmarc__gunzip_members(g), 1);
	dmarc__gunzip_free(g);
	dmarc__gunzip_free(NULL);
	mem_sink_dispose(&gz);
	ck_assert_str_eq(dmarc__decode_code_text(DMARC__DD_TRAILING),
	    "bytes after the end of the data, ignored");
	ck_assert_ptr_nonnull(dmarc__decode_code_text(
	    (enum dmarc__decode_code)200));
}
END_TEST

static Suite *gunzip_suite(void)
{
	Suite *s = suite_create("report_gunzip");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, report_setup, report_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_gunzip_chunkings);
	tcase_add_test(tc, test_gunzip_header_fields);
	tcase_add_test(tc, test_gunzip_bad_header);
	tcase_add_test(tc, test_gunzip_members);
	tcase_add_test(tc, test_gunzip_trailing);
	tcase_add_test(tc, test_gunzip_truncated);
	tcase_add_test(tc, test_gunzip_corrupt);
	tcase_add_test(tc, test_gunzip_output_limit);
	tcase_add_test(tc, test_gunzip_bomb);
	tcase_add_test(tc, test_gunzip_failing_sink);
	tcase_add_test(tc, test_gunzip_nomem);
	tcase_add_test(tc, test_gunzip_misuse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(gunzip_suite());
}
