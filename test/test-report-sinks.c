/*
 * The report wing's filters (lib/report/gzip_sink.c, base64_sink.c): gzip
 * output inflates (zlib, and gzip -dc when it is installed) to the input
 * for chunkings of 1 byte to 64 KiB and for 5 MB; base64 output decodes to
 * the input, in lines of 76 characters and CRLF; the chain xml -> gzip ->
 * base64 end to end; counters; misuse, a failing sink and allocation
 * failure.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <zlib.h>

#include "check-main.h"
#include "report-fixture.h"
#include "report/base64_sink.h"
#include "report/gzip_sink.h"
#include "report/xml_writer.h"

/* n bytes of report-like text with some noise, the same every time. */
static char *sample(size_t n)
{
	static const char line[] = "<record><row><source_ip>192.0.2.%u"
	    "</source_ip><count>%u</count></row></record>\n";
	char *p = malloc(n + 128);
	uint32_t x = 12345;
	size_t i = 0;

	ck_assert_ptr_nonnull(p);
	while (i < n) {
		x = x * 1103515245u + 12345u;
		if ((x >> 16) % 8 == 0) {
			p[i++] = (char)(x >> 24); /* a binary byte */
			continue;
		}
		i += (size_t)sprintf(p + i, line, (x >> 8) % 256, (x >> 4) % 1000);
	}
	return p;
}

/* Writes len bytes to a filter in pieces of chunk bytes. */
static void write_chunked(const struct dmarc__filter *f, const char *data,
    size_t len, size_t chunk)
{
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = len - i < chunk ? len - i : chunk;
		REQUIRE(dmarc__filter_write(f, data + i, n) == DMARC_OK);
	}
}

/* ---- gzip ---- */

/* Inflates a gzip stream (RFC 1952) into a new buffer of *len bytes. */
static char *gunzip(const char *gz, size_t gz_len, size_t *len)
{
	struct mem_sink plain;
	unsigned char buf[65536];
	z_stream zs;
	int rc;

	mem_sink_init(&plain);
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)gz;
	zs.avail_in = (uInt)gz_len;
	do {
		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		rc = inflate(&zs, Z_NO_FLUSH);
		ck_assert_msg(rc == Z_OK || rc == Z_STREAM_END, "inflate: %d", rc);
		mem_sink_append(&plain, (char *)buf, sizeof buf - zs.avail_out);
	} while (rc != Z_STREAM_END);
	ck_assert_uint_eq(zs.avail_in, 0); /* nothing after the trailer */
	inflateEnd(&zs);
	*len = plain.len;
	return plain.data;
}

/* Compresses data in pieces of chunk bytes into out. */
static void gzip_all(const char *data, size_t len, size_t chunk, int level)
{
	struct dmarc__gzip *gz;
	struct dmarc__filter f;

	out.len = 0;
	OK(dmarc__gzip_new(&gz, ctx, to_out(), level));
	f = dmarc__gzip_filter(gz);
	write_chunked(&f, data, len, chunk);
	OK(dmarc__filter_finish(&f));
	ck_assert_uint_eq(dmarc__gzip_bytes_in(gz), len);
	ck_assert_uint_eq(dmarc__gzip_bytes_out(gz), out.len);
	dmarc__gzip_free(gz);
}

static void check_gunzip(const char *data, size_t len)
{
	size_t plain_len;
	char *plain = gunzip(out.data, out.len, &plain_len);

	ck_assert_uint_eq(plain_len, len);
	ck_assert(len == 0 || memcmp(plain, data, len) == 0);
	free(plain);
}

START_TEST(test_gzip_chunkings)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 100, 4095, 4096, 16383,
	    16384, 16385, 65536 };
	size_t len = 200000, i;
	char *data = sample(len);

	for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		gzip_all(data, len, chunks[i], DMARC__GZIP_LEVEL_DEFAULT);
		/* RFC 1952 section 2.3: ID1 ID2 CM=8 (deflate) */
		ck_assert(memcmp(out.data, "\x1F\x8B\x08", 3) == 0);
		ck_assert_uint_lt(out.len, len / 3);
		check_gunzip(data, len);
	}
	for (i = 1; i <= 9; i++) {
		gzip_all(data, 50000, 1000, (int)i);
		check_gunzip(data, 50000);
	}
	gzip_all(data, 0, 1, 6); /* empty input: header and trailer */
	check_gunzip(data, 0);
	free(data);
}
END_TEST

/* Runs gzip -dc on out; 0 when gzip is not installed. */
static int gzip_program(const char *data, size_t len)
{
	char in_name[] = "/tmp/test-report-sinks-XXXXXX";
	char cmd[256], *plain;
	size_t plain_len;
	FILE *f, *p;
	int fd;

	if (system("command -v gzip >/dev/null 2>&1") != 0) {
		fputs("test-report-sinks: gzip(1) is not installed: the check "
		    "through gzip -dc is skipped (zlib's inflate still ran)\n",
		    stderr);
		return 0;
	}
	fd = mkstemp(in_name);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(out.data, 1, out.len, f), out.len);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(cmd, sizeof cmd, "gzip -dc < %s", in_name);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	plain = malloc(len + 1);
	ck_assert_ptr_nonnull(plain);
	plain_len = fread(plain, 1, len + 1, p);
	ck_assert_int_eq(pclose(p), 0);
	unlink(in_name);
	ck_assert_uint_eq(plain_len, len);
	ck_assert(memcmp(plain, data, len) == 0);
	free(plain);
	return 1;
}

START_TEST(test_gzip_5mb)
{
	size_t len = 5u << 20;
	char *data = sample(len);

	gzip_all(data, len, 65536, DMARC__GZIP_LEVEL_DEFAULT);
	check_gunzip(data, len);
	gzip_program(data, len);
	free(data);
}
END_TEST

START_TEST(test_gzip_misuse)
{
	struct dmarc__gzip *gz = NULL;

	ck_assert_int_eq(dmarc__gzip_new(&gz, ctx, to_out(), 0), DMARC_ERANGE);
	ck_assert_ptr_null(gz);
	ck_assert_int_eq(dmarc__gzip_new(&gz, ctx, to_out(), 10), DMARC_ERANGE);
	ck_assert_int_eq(dmarc__gzip_new(&gz, ctx, dmarc__sink_make(NULL,
	    NULL), 6), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__gzip_new(NULL, ctx, to_out(), 6), DMARC_EINVAL);
	OK(dmarc__gzip_new(&gz, ctx, to_out(), 6));
	OK(dmarc__gzip_write(gz, "abc", 3));
	OK(dmarc__gzip_write(gz, NULL, 0));
	OK(dmarc__gzip_finish(gz));
	ck_assert_int_eq(dmarc__gzip_write(gz, "abc", 3), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__gzip_finish(gz), DMARC_ESTATE);
	check_gunzip("abc", 3);
	dmarc__gzip_free(gz);
	dmarc__gzip_free(NULL);
}
END_TEST

/* Writes len bytes and finishes, into a sink failing at its call k:
 * the sink's status stops the filter there, and comes back from every
 * later call, which does not reach the sink again. */
static void check_failing_sink(const struct dmarc__filter *f,
    const char *data, size_t len, size_t k)
{
	dmarc_status st = dmarc__filter_write(f, data, len);

	if (st == DMARC_OK)
		st = dmarc__filter_finish(f);
	ck_assert_int_eq(st, out.fail_status);
	ck_assert_uint_eq(out.calls, k);
	ck_assert_int_eq(dmarc__filter_write(f, "x", 1), out.fail_status);
	ck_assert_int_eq(dmarc__filter_finish(f), out.fail_status);
	ck_assert_uint_eq(out.calls, k);
}

/* A fresh sink failing at its call k with status. */
static void fail_sink_at(size_t k, dmarc_status status)
{
	mem_sink_dispose(&out);
	out.fail_at_call = k;
	out.fail_status = status;
}

START_TEST(test_gzip_failing_sink)
{
	size_t len = 1u << 20, k;
	char *data = sample(len);
	struct dmarc__gzip *gz;
	struct dmarc__filter f;

	for (k = 1; k <= 3; k++) {
		fail_sink_at(k, DMARC_EBUFFER);
		OK(dmarc__gzip_new(&gz, ctx, to_out(), 6));
		f = dmarc__gzip_filter(gz);
		check_failing_sink(&f, data, len, k);
		ck_assert_uint_eq(dmarc__gzip_bytes_out(gz), out.len);
		dmarc__gzip_free(gz);
	}
	free(data);
}
END_TEST

/* zlib's memory comes from the context: fail each allocation in turn. */
START_TEST(test_gzip_nomem)
{
	struct dmarc__gzip *gz;
	long i, before = live, used;
	dmarc_status st;

	for (i = 0;; i++) {
		fail_at = n_allocs + i;
		st = dmarc__gzip_new(&gz, ctx, to_out(), 6);
		if (st == DMARC_OK)
			break;
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(gz);
		ck_assert_int_eq(live, before);
	}
	fail_at = -1;
	ck_assert_int_ge(i, 2); /* the filter and zlib's state at least */
	used = live - before;
	OK(dmarc__gzip_write(gz, "abc", 3));
	OK(dmarc__gzip_finish(gz));
	ck_assert_int_eq(live - before, used); /* deflate allocates no more */
	dmarc__gzip_free(gz);
	ck_assert_int_eq(live, before);
}
END_TEST

/* ---- base64 ---- */

static int b64_value(char c)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(alphabet, c) : NULL;

	return p != NULL ? (int)(p - alphabet) : -1;
}

/* Decodes out, checking the lines: 76 characters and CRLF each, the last
 * one at most 76, padding only at the end.  Returns a new buffer. */
static char *b64_decode(size_t *len)
{
	struct mem_sink plain;
	size_t i = 0, line, groups = 0, chars = 0;
	int v[4], k, pad = 0;
	char b[3];

	mem_sink_init(&plain);
	mem_sink_append(&plain, "", 0);
	while (i < out.len) {
		const char *eol = strstr(out.data + i, "\r\n");

		REQUIRE(eol != NULL);
		line = (size_t)(eol - (out.data + i));
		REQUIRE(line <= 76);
		REQUIRE(line % 4 == 0);
		if (eol + 2 != out.data + out.len)
			REQUIRE(line == 76);
		for (; line > 0; line -= 4, i += 4) {
			REQUIRE(pad == 0); /* "=" ends the data */
			for (k = 0; k < 4; k++)
				v[k] = b64_value(out.data[i + (size_t)k]);
			REQUIRE(v[0] >= 0 && v[1] >= 0);
			pad = v[2] < 0 ? 2 : v[3] < 0 ? 1 : 0;
			REQUIRE(pad == 0 || out.data[i + 3] == '=');
			REQUIRE(pad < 2 || out.data[i + 2] == '=');
			b[0] = (char)(v[0] << 2 | v[1] >> 4);
			b[1] = (char)((v[1] & 15) << 4 | (pad < 2 ? v[2] >> 2 : 0));
			b[2] = (char)((pad < 2 ? (v[2] & 3) << 6 : 0) |
			    (pad == 0 ? v[3] : 0));
			mem_sink_append(&plain, b, 3 - (size_t)pad);
			groups++;
			chars += 4;
		}
		i += 2;
	}
	ck_assert_uint_eq(chars, groups * 4);
	*len = plain.len;
	return plain.data;
}

static void base64_all(const char *data, size_t len, size_t chunk)
{
	struct dmarc__base64 *b;
	struct dmarc__filter f;
	size_t chars = (len + 2) / 3 * 4;

	out.len = 0;
	if (out.data != NULL)
		out.data[0] = '\0';
	OK(dmarc__base64_new(&b, ctx, to_out()));
	f = dmarc__base64_filter(b);
	write_chunked(&f, data, len, chunk);
	OK(dmarc__filter_finish(&f));
	/* 4 characters per 3 bytes, a CRLF per line of 76 */
	ck_assert_uint_eq(out.len, chars + 2 * ((chars + 75) / 76));
	ck_assert_uint_eq(dmarc__base64_bytes_out(b), out.len);
	dmarc__base64_free(b);
}

static void check_base64(const char *data, size_t len)
{
	size_t plain_len;
	char *plain = b64_decode(&plain_len);

	ck_assert_uint_eq(plain_len, len);
	ck_assert(len == 0 || memcmp(plain, data, len) == 0);
	free(plain);
}

/* RFC 4648 section 10. */
START_TEST(test_base64_vectors)
{
	static const char *const vectors[][2] = {
		{ "", "" }, { "f", "Zg==\r\n" }, { "fo", "Zm8=\r\n" },
		{ "foo", "Zm9v\r\n" }, { "foob", "Zm9vYg==\r\n" },
		{ "fooba", "Zm9vYmE=\r\n" }, { "foobar", "Zm9vYmFy\r\n" },
	};
	size_t i;

	for (i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		base64_all(vectors[i][0], strlen(vectors[i][0]), 1);
		ck_assert_str_eq(out.len != 0 ? out.data : "", vectors[i][1]);
	}
	base64_all("\xFB\xFF\xBF", 3, 3);
	ck_assert_str_eq(out.data, "+/+/\r\n");
}
END_TEST

START_TEST(test_base64_lines)
{
	static const size_t chunks[] = { 1, 2, 3, 4, 56, 57, 58, 4096, 65536 };
	size_t len, i;
	char *data = sample(300000);

	for (len = 0; len <= 240; len++) /* every length round a line */
		for (i = 0; i < 4; i++) {
			base64_all(data, len, chunks[i]);
			check_base64(data, len);
		}
	for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		base64_all(data, 300000, chunks[i]);
		check_base64(data, 300000);
	}
	base64_all(data, 57, 57); /* exactly one line */
	ck_assert_uint_eq(out.len, 78);
	free(data);
}
END_TEST

START_TEST(test_base64_misuse)
{
	struct dmarc__base64 *b = NULL;
	size_t k;

	ck_assert_int_eq(dmarc__base64_new(&b, ctx, dmarc__sink_make(NULL,
	    NULL)), DMARC_EINVAL);
	ck_assert_ptr_null(b);
	OK(dmarc__base64_new(&b, ctx, to_out()));
	OK(dmarc__base64_finish(b));
	ck_assert_uint_eq(out.calls, 0); /* no input, no output */
	ck_assert_int_eq(dmarc__base64_write(b, "x", 1), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__base64_finish(b), DMARC_ESTATE);
	dmarc__base64_free(b);
	dmarc__base64_free(NULL);
	/* a failing sink */
	for (k = 1; k <= 3; k++) {
		char *data = sample(30000);
		struct dmarc__filter f;

		fail_sink_at(k, DMARC_ENOMEM);
		OK(dmarc__base64_new(&b, ctx, to_out()));
		f = dmarc__base64_filter(b);
		check_failing_sink(&f, data, 30000, k);
		ck_assert_uint_eq(dmarc__base64_bytes_out(b), out.len);
		dmarc__base64_free(b);
		free(data);
	}
	/* allocation failure */
	fail_at = n_allocs;
	ck_assert_int_eq(dmarc__base64_new(&b, ctx, to_out()), DMARC_ENOMEM);
	ck_assert_ptr_null(b);
}
END_TEST

/* ---- the chain ---- */

/* A report-like document through w. */
static void write_report(struct dmarc__xml_writer *w)
{
	char n[16];
	int i;

	OK(dmarc__xml_declaration(w));
	OK(dmarc__xml_start_root(w, "feedback",
	    "urn:ietf:params:xml:ns:dmarc-2.0", NULL, 0));
	for (i = 0; i < 3000; i++) {
		snprintf(n, sizeof n, "%d", i);
		OK(dmarc__xml_start(w, "record"));
		OK(dmarc__xml_element(w, "source_ip", "198.51.100.7", 12));
		OK(dmarc__xml_element(w, "count", n, strlen(n)));
		OK(dmarc__xml_element(w, "header_from", "caf\xC3\xA9.example",
		    13));
		OK(dmarc__xml_end(w, "record"));
	}
	OK(dmarc__xml_end(w, "feedback"));
	OK(dmarc__xml_finish(w));
}

START_TEST(test_chain)
{
	struct mem_sink direct;
	struct dmarc__xml_writer *w;
	struct dmarc__base64 *b64;
	struct dmarc__gzip *gz;
	struct dmarc__filter stages[2];
	char *zipped, *plain;
	size_t zipped_len, plain_len, i;

	/* the XML alone */
	mem_sink_init(&direct);
	OK(dmarc__xml_writer_new(&w, ctx, dmarc__sink_make(mem_sink_write,
	    &direct), DMARC__XML_PRETTY));
	write_report(w);
	dmarc__xml_writer_free(w);

	/* built from the end: base64 into out, gzip into base64, xml into
	 * gzip; finished from the start */
	OK(dmarc__base64_new(&b64, ctx, to_out()));
	stages[1] = dmarc__base64_filter(b64);
	OK(dmarc__gzip_new(&gz, ctx, dmarc__filter_sink(&stages[1]), 6));
	stages[0] = dmarc__gzip_filter(gz);
	OK(dmarc__xml_writer_new(&w, ctx, dmarc__filter_sink(&stages[0]),
	    DMARC__XML_PRETTY));
	write_report(w);
	for (i = 0; i < 2; i++)
		OK(dmarc__filter_finish(&stages[i]));
	ck_assert_uint_eq(dmarc__xml_bytes_out(w), direct.len);
	ck_assert_uint_eq(dmarc__gzip_bytes_in(gz), direct.len);
	ck_assert_uint_eq(dmarc__base64_bytes_out(b64), out.len);

	zipped = b64_decode(&zipped_len);
	ck_assert_uint_eq(zipped_len, dmarc__gzip_bytes_out(gz));
	plain = gunzip(zipped, zipped_len, &plain_len);
	ck_assert_uint_eq(plain_len, direct.len);
	ck_assert(memcmp(plain, direct.data, plain_len) == 0);
	free(plain);
	free(zipped);
	dmarc__xml_writer_free(w);
	dmarc__gzip_free(gz);
	dmarc__base64_free(b64);
	mem_sink_dispose(&direct);
}
END_TEST

static Suite *sinks_suite(void)
{
	Suite *s = suite_create("report_sinks");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, report_setup, report_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_gzip_chunkings);
	tcase_add_test(tc, test_gzip_5mb);
	tcase_add_test(tc, test_gzip_misuse);
	tcase_add_test(tc, test_gzip_failing_sink);
	tcase_add_test(tc, test_gzip_nomem);
	tcase_add_test(tc, test_base64_vectors);
	tcase_add_test(tc, test_base64_lines);
	tcase_add_test(tc, test_base64_misuse);
	tcase_add_test(tc, test_chain);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(sinks_suite());
}
