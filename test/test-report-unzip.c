/*
 * The unzip filter (lib/report/unzip.c): archives written here by hand
 * (APPNOTE 4.3) decode in every chunking with the same output, events
 * and diagnostics: stored and deflated entries, data descriptors with
 * and without signature, zip64 sizes, empty and odd names; skipped and
 * refused entries; the records after the entries; truncation at every
 * offset; corrupt CRC, sizes and records, every byte flipped; entry,
 * name, output and ratio limits; events and a sink that fail;
 * allocation failures; misuse.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "check-main.h"
#include "decode-check.h"

/* Where the event log has text (names may hold NULs), or NULL. */
static const char *find(const struct result *r, const char *text)
{
	size_t n = strlen(text), i;

	for (i = 0; i + n <= r->log.len; i++)
		if (memcmp(r->log.data + i, text, n) == 0)
			return r->log.data + i;
	return NULL;
}

/* Whether the event log has line (up to its name) followed by name. */
static bool logged(const struct result *r, const char *line,
    const char *name, size_t nlen)
{
	const char *p = find(r, line);
	size_t n = strlen(line);

	return p != NULL && memcmp(p + n, name, nlen) == 0 &&
	    p[n + nlen] == '\n';
}

static size_t count_lines(const struct result *r, char what)
{
	size_t n = 0, i;

	for (i = 0; i < r->log.len; i++)
		if (r->log.data[i] == what && (i == 0 ||
		    r->log.data[i - 1] == '\n'))
			n++;
	return n;
}

START_TEST(test_unzip_entries)
{
	static const struct {
		const char *name;
		size_t nlen, len;
		unsigned method, opts;
	} e[] = {
		{ "report.xml", 10, 50000, 8, ZB_EXTRA },
		{ "", 0, 1000, 0, 0 },
		{ "odd\0name\xFF", 9, 20000, 8, ZB_DESC },
		{ "sig.xml", 7, 30000, 8, ZB_DESC | ZB_DESC_SIG | ZB_EXTRA },
		{ "big.xml", 7, 10000, 8, ZB_ZIP64 },
		{ "big2.xml", 8, 10000, 8, ZB_ZIP64 | ZB_DESC | ZB_DESC_SIG },
		{ "big3.xml", 8, 10000, 8, ZB_ZIP64 | ZB_DESC },
		{ "stored64", 8, 500, 0, ZB_ZIP64 | ZB_EXTRA },
		{ "empty", 5, 0, 0, 0 },
		{ "emptyd", 6, 0, 8, ZB_DESC | ZB_HDR_SIZES },
		{ "dir/", 4, 0, 0, 0 },
	};
	struct zipb z;
	struct result r;
	size_t i, at[sizeof e / sizeof e[0]], pos = 0;
	char line[160], *data = sample(200000, 11);

	zb_init(&z);
	for (i = 0; i < sizeof e / sizeof e[0]; i++) {
		at[i] = zb_add(&z, e[i].name, e[i].nlen, e[i].method,
		    data + pos, e[i].len, e[i].opts);
		pos += e[i].len;
	}
	zb_end(&z, "a comment");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	OK(r.st);
	ck_assert_uint_eq(r.out.len, pos);
	ck_assert(memcmp(r.out.data, data, pos) == 0);
	ck_assert_uint_eq(r.parts, sizeof e / sizeof e[0]);
	ck_assert_uint_eq(count_lines(&r, 'B'), sizeof e / sizeof e[0]);
	ck_assert_uint_eq(count_lines(&r, 'E'), sizeof e / sizeof e[0]);
	ck_assert_uint_eq(r.n_diags, 0);
	ck_assert_uint_eq(r.in, z.b.len);
	/* sizes at begin from the header (0 with bit 3), at end checked */
	pos = 50000;
	snprintf(line, sizeof line, "B1 m0 f0 z0 crc %08x c1000 u1000 @%zu ",
	    (unsigned)crc32(0, (const Bytef *)data + pos, 1000), at[1]);
	ck_assert(logged(&r, line, "", 0));
	snprintf(line, sizeof line, "B2 m8 f8 z0 crc 00000000 c0 u0 @%zu ",
	    at[2]);
	ck_assert(logged(&r, line, "odd\0name\xFF", 9));
	snprintf(line, sizeof line, "E2 m8 f8 z0 crc %08x ",
	    (unsigned)crc32(0, (const Bytef *)data + pos + 1000, 20000));
	ck_assert(find(&r, line) != NULL);
	snprintf(line, sizeof line, "B4 m8 f0 z1 crc %08x c", (unsigned)crc32(0,
	    (const Bytef *)data + 101000, 10000));
	ck_assert(find(&r, line) != NULL);
	ck_assert(find(&r, "B5 m8 f8 z1 crc 00000000 c0 u0") != NULL);
	ck_assert(find(&r, "E7 m0 f0 z1 crc") != NULL);
	ck_assert(find(&r, "u500 ") != NULL);
	snprintf(line, sizeof line, "E10 m0 f0 z0 crc 00000000 c0 u0 @%zu ",
	    at[10]);
	ck_assert(logged(&r, line, "dir/", 4));
	result_dispose(&r);
	zb_dispose(&z);
	free(data);
}
END_TEST

START_TEST(test_unzip_skipped)
{
	struct zipb z;
	struct result r;
	size_t at[4];
	char *data = sample(10000, 12);

	zb_init(&z);
	at[0] = zb_add(&z, "a.bz2", 5, 12, data, 100, 0);    /* bzip2 */
	at[1] = zb_add(&z, "b.xml", 5, 8, data, 3000, ZB_ENCRYPT);
	at[2] = zb_add(&z, "c.xml", 5, 8, data, 3000, ZB_ENCRYPT | ZB_DESC |
	    ZB_DESC_SIG | ZB_HDR_SIZES);   /* as Info-ZIP writes them */
	at[3] = zb_add(&z, "ok.xml", 6, 8, data, 10000, 0);
	zb_end(&z, "");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	OK(r.st);
	ck_assert(r.out.len == 10000 && memcmp(r.out.data, data, 10000) == 0);
	ck_assert_uint_eq(count_lines(&r, 'B'), 1);
	ck_assert(find(&r, "B3 ") == r.log.data);
	ck_assert_uint_eq(r.parts, 4);
	ck_assert_uint_eq(r.n_diags, 3);
	ck_assert_int_eq(r.diags[0].code, DMARC__DD_SKIP_METHOD);
	ck_assert_int_eq(r.diags[1].code, DMARC__DD_SKIP_ENCRYPTED);
	ck_assert_int_eq(r.diags[2].code, DMARC__DD_SKIP_ENCRYPTED);
	ck_assert_uint_eq(r.diags[0].offset, at[0]);
	ck_assert_uint_eq(r.diags[0].length, 100);
	ck_assert_uint_eq(r.diags[1].offset, at[1]);
	ck_assert_uint_eq(r.diags[2].offset, at[2]);
	ck_assert_uint_eq(r.diags[2].part, 2);
	ck_assert_int_eq(r.diags[2].cls, DMARC__DECODE_WARNING);
	result_dispose(&r);
	zb_dispose(&z);

	/* refused: a stored entry or one to skip, with the sizes after */
	zb_init(&z);
	zb_add(&z, "ok.xml", 6, 8, data, 100, 0);
	at[1] = zb_add(&z, "s.xml", 5, 0, data, 100, ZB_DESC | ZB_DESC_SIG);
	zb_end(&z, "");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	failed_with(&r, DMARC__DD_STORED_DESCRIPTOR, (long long)at[1]);
	ck_assert_uint_eq(r.failure.part, 1);
	ck_assert_uint_eq(r.out.len, 100);
	result_dispose(&r);
	zb_dispose(&z);
	zb_init(&z);
	zb_add(&z, "x.xz", 4, 95, data, 100, ZB_DESC);
	zb_end(&z, "");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	failed_with(&r, DMARC__DD_SKIP_UNSIZED, 0);
	result_dispose(&r);
	zb_dispose(&z);
	free(data);
}
END_TEST

/* After the end record: trailing bytes; an empty archive; the records a
 * reader walks over; split markers at offset 0 only. */
START_TEST(test_unzip_records)
{
	struct zipb z;
	struct result r;
	struct mem_sink b;
	size_t end;

	zb_init(&z);
	zb_end(&z, "");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	OK(r.st);
	ck_assert_uint_eq(r.parts + r.out.len + r.n_diags, 0);
	result_dispose(&r);
	end = z.b.len;
	put_bytes(&z.b, "\0\0\0junk", 7);
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	OK(r.st);
	ck_assert_uint_eq(r.n_diags, 1);
	ck_assert_int_eq(r.diags[0].code, DMARC__DD_TRAILING);
	ck_assert_uint_eq(r.diags[0].offset, end);
	ck_assert_uint_eq(r.diags[0].length, 7);
	result_dispose(&r);
	zb_dispose(&z);

	/* a split marker, an entry, a digital signature (4.3.13) and an
	 * archive extra data record (4.3.11) */
	mem_sink_init(&b);
	put_bytes(&b, "PK\x07\x08", 4);
	zb_init(&z);
	zb_add(&z, "r.xml", 5, 8, "<feedback/>", 11, 0);
	put_bytes(&z.b, "PK\x06\x08\x02\0\0\0ab", 10);
	put_bytes(&z.cd, "PK\x05\x05\x03\0abc", 9);
	zb_end(&z, "comment");
	put_bytes(&b, z.b.data, z.b.len);
	result_init(&r);
	run_all(UNZIP, b.data, b.len, NULL, &r);
	OK(r.st);
	ck_assert_str_eq(r.out.data, "<feedback/>");
	result_dispose(&r);
	/* "PK00" too; after the end record, a marker is trailing bytes */
	memcpy(b.data, "PK00", 4);
	result_init(&r);
	run_all(UNZIP, b.data, b.len, NULL, &r);
	OK(r.st);
	result_dispose(&r);
	put_bytes(&b, "PK00", 4);
	result_init(&r);
	run_all(UNZIP, b.data + 4, b.len - 4, NULL, &r);
	OK(r.st); /* after the end record: trailing */
	ck_assert_int_eq(r.diags[0].code, DMARC__DD_TRAILING);
	result_dispose(&r);
	mem_sink_dispose(&b);
	zb_dispose(&z);

	/* not a zip; an unknown record after an entry */
	result_init(&r);
	run_all(UNZIP, "<?xml version=\"1.0\"?>", 21, NULL, &r);
	failed_with(&r, DMARC__DD_BAD_MAGIC, 0);
	result_dispose(&r);
	zb_init(&z);
	zb_add(&z, "r.xml", 5, 0, "<feedback/>", 11, 0);
	end = z.b.len;
	put_bytes(&z.b, "PK\x09\x09", 4);
	zb_end(&z, "");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	failed_with(&r, DMARC__DD_BAD_RECORD, (long long)end);
	ck_assert_str_eq(r.out.data, "<feedback/>");
	result_dispose(&r);
	zb_dispose(&z);
}
END_TEST

/* Cut at every offset: truncated at the cut, never success. */
START_TEST(test_unzip_truncated)
{
	struct zipb z;
	struct result r;
	size_t cut;
	int chunk;
	char *data = sample(2000, 13);

	zb_init(&z);
	zb_add(&z, "a.xml", 5, 8, data, 2000, ZB_DESC | ZB_DESC_SIG);
	zb_add(&z, "b", 1, 0, data, 50, ZB_EXTRA);
	zb_add(&z, "c", 1, 8, data, 500, ZB_ZIP64 | ZB_DESC);
	zb_end(&z, "c");
	for (cut = 0; cut < z.b.len; cut++)
		for (chunk = 0; chunk <= 1; chunk++) {
			result_init(&r);
			run(UNZIP, z.b.data, cut, (size_t)chunk, NULL, &r);
			failed_with(&r, DMARC__DD_TRUNCATED, (long long)cut);
			result_dispose(&r);
		}
	zb_dispose(&z);
	free(data);
}
END_TEST

/* An archive of one entry with a header field changed. */
static void one_entry_changed(unsigned method, unsigned opts, size_t field,
    uint32_t add, enum dmarc__decode_code code)
{
	struct zipb z;
	struct result r;
	char *data = sample(5000, 14);
	unsigned char *p;

	zb_init(&z);
	zb_add(&z, "a.xml", 5, method, data, 5000, opts);
	zb_end(&z, "");
	p = (unsigned char *)z.b.data + field;
	put_le(&z.cd, dmarc__le32(p) + add, 4); /* cd as scratch */
	memcpy(p, z.cd.data + z.cd.len - 4, 4);
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	failed_with(&r, code, -1);
	ck_assert_uint_eq(r.failure.part, 0);
	result_dispose(&r);
	zb_dispose(&z);
	free(data);
}

START_TEST(test_unzip_corrupt)
{
	struct zipb z;
	struct result r, other;
	size_t i;
	char *data = sample(300, 15);

	one_entry_changed(8, 0, 14, 1, DMARC__DD_BAD_CRC);
	one_entry_changed(0, 0, 14, 1, DMARC__DD_BAD_CRC);
	one_entry_changed(8, 0, 22, 1, DMARC__DD_BAD_SIZE);  /* uncompressed */
	one_entry_changed(0, 0, 22, 1, DMARC__DD_BAD_SIZE);
	one_entry_changed(8, 0, 18, 1, DMARC__DD_BAD_SIZE);  /* compressed */
	one_entry_changed(8, 0, 18, (uint32_t)-1, DMARC__DD_BAD_SIZE);
	one_entry_changed(8, ZB_BAD_CRC | ZB_DESC, 0, 0, DMARC__DD_BAD_CRC);
	one_entry_changed(8, ZB_BAD_CRC | ZB_DESC | ZB_DESC_SIG, 0, 0,
	    DMARC__DD_BAD_CRC);
	one_entry_changed(8, 0, 35, 2, DMARC__DD_BAD_DATA); /* BTYPE 11 */
	/* every byte flipped: no crash, the same in one piece and bytewise */
	zb_init(&z);
	zb_add(&z, "a.xml", 5, 8, data, 300, ZB_DESC | ZB_DESC_SIG);
	zb_add(&z, "b", 1, 0, data, 30, ZB_ZIP64);
	zb_end(&z, "");
	for (i = 0; i < z.b.len; i++) {
		z.b.data[i] ^= (char)0xFF;
		result_init(&r);
		result_init(&other);
		run(UNZIP, z.b.data, z.b.len, 0, NULL, &r);
		run(UNZIP, z.b.data, z.b.len, 1, NULL, &other);
		same_result(&r, &other);
		REQUIRE(r.st != DMARC_OK || r.out.len == 330 || r.n_diags > 0);
		result_dispose(&r);
		result_dispose(&other);
		z.b.data[i] ^= (char)0xFF;
	}
	zb_dispose(&z);
	free(data);
}
END_TEST

START_TEST(test_unzip_count_limits)
{
	struct dmarc__decode_limits lim;
	struct zipb z;
	struct result r;
	size_t i, at = 0;
	char name[16];

	zb_init(&z);
	for (i = 0; i <= DMARC__DECODE_MAX_ENTRIES; i++) {
		snprintf(name, sizeof name, "%zu.xml", i);
		at = zb_add(&z, name, strlen(name), 0, name, strlen(name), 0);
	}
	zb_end(&z, "");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	failed_with(&r, DMARC__DD_LIMIT_ENTRIES, (long long)at);
	ck_assert_uint_eq(count_lines(&r, 'E'), DMARC__DECODE_MAX_ENTRIES);
	result_dispose(&r);
	dmarc__decode_limits_default(&lim);
	lim.max_entries = DMARC__DECODE_MAX_ENTRIES + 1;
	result_init(&r);
	run(UNZIP, z.b.data, z.b.len, 0, &lim, &r);
	OK(r.st);
	result_dispose(&r);
	zb_dispose(&z);

	/* names: up to max_name bytes */
	lim.max_name = 8;
	zb_init(&z);
	zb_add(&z, "12345678", 8, 0, "x", 1, 0);
	at = zb_add(&z, "123456789", 9, 0, "x", 1, 0);
	zb_end(&z, "");
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, &lim, &r);
	failed_with(&r, DMARC__DD_LIMIT_NAME, (long long)at + 30);
	ck_assert(logged(&r, "E0 m0 f0 z0 crc 8cdc1683 c1 u1 @0 ",
	    "12345678", 8));
	result_dispose(&r);
	lim.max_name = 0;
	result_init(&r);
	run(UNZIP, z.b.data, z.b.len, 0, &lim, &r);
	failed_with(&r, DMARC__DD_LIMIT_NAME, 30);
	result_dispose(&r);
	zb_dispose(&z);
}
END_TEST

START_TEST(test_unzip_output_limit)
{
	struct dmarc__decode_limits lim;
	struct zipb z;
	struct result r;
	char *data = sample(100000, 16);

	zb_init(&z);
	zb_add(&z, "a", 1, 8, data, 60000, 0);
	zb_add(&z, "b", 1, 0, data, 40000, 0);
	zb_end(&z, "");
	dmarc__decode_limits_default(&lim);
	lim.max_output = 100000;
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, &lim, &r);
	OK(r.st);
	result_dispose(&r);
	lim.max_output = 99999; /* stored bytes count too */
	result_init(&r);
	run(UNZIP, z.b.data, z.b.len, 0, &lim, &r);
	failed_with(&r, DMARC__DD_LIMIT_OUTPUT, -1);
	ck_assert_uint_eq(r.failure.part, 1);
	result_dispose(&r);
	lim.max_output = UINT64_MAX;
	lim.ratio_floor = 0;
	lim.max_ratio = 2;
	result_init(&r);
	run_all(UNZIP, z.b.data, z.b.len, &lim, &r);
	failed_with(&r, DMARC__DD_LIMIT_RATIO, -1);
	ck_assert_uint_eq(r.failure.part, 0);
	result_dispose(&r);
	zb_dispose(&z);
	free(data);
}
END_TEST

/* An entry of 100 MB of zeros with a descriptor, deflated as it is
 * pushed: stopped by the ratio once 1 MiB came out, in bounded memory. */
START_TEST(test_unzip_bomb)
{
	static unsigned char zeros[65536];
	static unsigned char buf[16384];
	struct dmarc__unzip *u;
	struct mem_sink hdr;
	uint64_t plain = 0, fed = 0;
	z_stream zs;
	long allocs;
	dmarc_status st;

	OK(dmarc__unzip_new(&u, ctx, dmarc__sink_make(count_sink_write,
	    &plain), NULL, NULL));
	mem_sink_init(&hdr);
	put_bytes(&hdr, "PK\x03\x04\x14\0\x08\0\x08\0\0\0\0\0", 14);
	put_le(&hdr, 0, 12);
	put_le(&hdr, 8, 2);
	put_le(&hdr, 0, 2);
	put_bytes(&hdr, "bomb.xml", 8);
	allocs = n_allocs;
	st = dmarc__unzip_write(u, hdr.data, hdr.len);
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	while (st == DMARC_OK && fed < 100000000u) {
		zs.next_in = zeros;
		zs.avail_in = sizeof zeros;
		fed += sizeof zeros;
		do {
			zs.next_out = buf;
			zs.avail_out = sizeof buf;
			ck_assert_int_eq(deflate(&zs, Z_NO_FLUSH), Z_OK);
			if (zs.avail_out < sizeof buf)
				st = dmarc__unzip_write(u, (char *)buf,
				    sizeof buf - zs.avail_out);
		} while (st == DMARC_OK && zs.avail_out == 0);
	}
	deflateEnd(&zs);
	ck_assert_int_eq(st, DMARC_ERANGE);
	ck_assert_int_eq(dmarc__decode_failure(dmarc__unzip_decode(u))->code,
	    DMARC__DD_LIMIT_RATIO);
	/* the local header and the deflate block header count as input:
	 * the ratio passes 1000 a little later than 1 MiB */
	ck_assert_uint_gt(plain + DMARC__DECODE_BUFFER,
	    DMARC__DECODE_RATIO_FLOOR);
	ck_assert_uint_le(plain, 4 * DMARC__DECODE_RATIO_FLOOR);
	ck_assert_uint_lt(fed, 40000000u);
	ck_assert_int_le(n_allocs - allocs, 1); /* inflate's window */
	dmarc__unzip_free(u);
	mem_sink_dispose(&hdr);
}
END_TEST

/* Events and the sink stop the filter with their status. */
START_TEST(test_unzip_stops)
{
	struct dmarc__unzip *u;
	struct zipb z;
	struct result r;
	size_t k;
	char *data = sample(100000, 17);

	zb_init(&z);
	zb_add(&z, "a", 1, 8, data, 100000, 0);
	zb_add(&z, "b", 1, 0, data, 10, 0);
	zb_end(&z, "");
	result_init(&r);
	r.begin_st = DMARC_EBUFFER;
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	ck_assert_int_eq(r.st, DMARC_EBUFFER);
	ck_assert(!r.failed && r.out.len == 0 && count_lines(&r, 'B') == 1);
	result_dispose(&r);
	result_init(&r);
	r.end_st = DMARC_ERANGE;
	run_all(UNZIP, z.b.data, z.b.len, NULL, &r);
	ck_assert_int_eq(r.st, DMARC_ERANGE);
	ck_assert(!r.failed && r.out.len == 100000);
	result_dispose(&r);
	for (k = 1; k <= 3; k++) {
		mem_sink_dispose(&out);
		out.fail_at_call = k;
		out.fail_status = DMARC_EBUFFER;
		OK(dmarc__unzip_new(&u, ctx, to_out(), NULL, NULL));
		ck_assert_int_eq(dmarc__unzip_write(u, z.b.data, z.b.len),
		    DMARC_EBUFFER);
		ck_assert_int_eq(dmarc__unzip_write(u, "x", 1), DMARC_EBUFFER);
		ck_assert_int_eq(dmarc__unzip_finish(u), DMARC_EBUFFER);
		ck_assert_uint_eq(out.calls, k);
		ck_assert_ptr_null(dmarc__decode_failure(
		    dmarc__unzip_decode(u)));
		dmarc__unzip_free(u);
	}
	zb_dispose(&z);
	free(data);
}
END_TEST

START_TEST(test_unzip_nomem)
{
	struct dmarc__unzip *u;
	struct zipb z;
	long i, before = live;
	dmarc_status st;

	zb_init(&z);
	zb_add(&z, "a", 1, 8, "abcabcabc", 9, ZB_DESC);
	zb_end(&z, "");
	for (i = 0;; i++) {
		mem_sink_dispose(&out);
		fail_at = n_allocs + i;
		st = dmarc__unzip_new(&u, ctx, to_out(), NULL, NULL);
		if (st == DMARC_OK) {
			st = dmarc__unzip_write(u, z.b.data, z.b.len);
			if (st == DMARC_OK)
				st = dmarc__unzip_finish(u);
			dmarc__unzip_free(u);
		} else {
			ck_assert_ptr_null(u);
		}
		ck_assert_int_eq(live, before);
		if (st == DMARC_OK)
			break;
		ck_assert_int_eq(st, DMARC_ENOMEM);
	}
	fail_at = -1;
	ck_assert_int_ge(i, 4); /* filter, zlib's state, name, window */
	ck_assert_str_eq(out.data, "abcabcabc");
	zb_dispose(&z);
}
END_TEST

START_TEST(test_unzip_misuse)
{
	struct dmarc__decode_limits lim;
	struct dmarc__unzip *u = NULL;

	ck_assert_int_eq(dmarc__unzip_new(NULL, ctx, to_out(), NULL, NULL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__unzip_new(&u, ctx, dmarc__sink_make(NULL,
	    NULL), NULL, NULL), DMARC_EINVAL);
	ck_assert_ptr_null(u);
	dmarc__decode_limits_default(&lim);
	lim.max_name = 65536;
	ck_assert_int_eq(dmarc__unzip_new(&u, ctx, to_out(), NULL, &lim),
	    DMARC_ERANGE);
	lim.max_name = 65535;
	OK(dmarc__unzip_new(&u, ctx, to_out(), NULL, &lim));
	ck_assert_int_eq(dmarc__unzip_finish(u), DMARC_ETRUNCATED);
	ck_assert_int_eq(dmarc__unzip_write(u, "PK", 2), DMARC_ETRUNCATED);
	dmarc__unzip_free(u);
	OK(dmarc__unzip_new(&u, ctx, to_out(), NULL, NULL));
	OK(dmarc__unzip_write(u, "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
	    22));
	OK(dmarc__unzip_finish(u));
	ck_assert_int_eq(dmarc__unzip_finish(u), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__unzip_write(u, "x", 1), DMARC_ESTATE);
	ck_assert_uint_eq(dmarc__unzip_entries(u), 0);
	dmarc__unzip_free(u);
	dmarc__unzip_free(NULL);
}
END_TEST

static Suite *unzip_suite(void)
{
	Suite *s = suite_create("report_unzip");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, report_setup, report_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_unzip_entries);
	tcase_add_test(tc, test_unzip_skipped);
	tcase_add_test(tc, test_unzip_records);
	tcase_add_test(tc, test_unzip_truncated);
	tcase_add_test(tc, test_unzip_corrupt);
	tcase_add_test(tc, test_unzip_count_limits);
	tcase_add_test(tc, test_unzip_output_limit);
	tcase_add_test(tc, test_unzip_bomb);
	tcase_add_test(tc, test_unzip_stops);
	tcase_add_test(tc, test_unzip_nomem);
	tcase_add_test(tc, test_unzip_misuse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(unzip_suite());
}
