/*
 * What the decoder suites (test-report-gunzip.c, test-report-unzip.c)
 * share: inputs built here (gzip members by zlib's deflate, zip archives
 * written by hand after PKWARE's APPNOTE), a run of a decoder over an
 * input in a given chunking with everything it said kept, and the check
 * that every chunking says the same.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_DECODE_CHECK_H
#define DMARC_TEST_DECODE_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <zlib.h>

#include "report-fixture.h"
#include "report/gunzip.h"
#include "report/unzip.h"

/* ---- inputs ---- */

/* n bytes of report-like text with some binary noise, the same each
 * time for a seed. */
static inline char *sample(size_t n, uint32_t seed)
{
	static const char line[] = "<record><row><source_ip>192.0.2.%u"
	    "</source_ip><count>%u</count></row></record>\n";
	char *p = malloc(n + 128);
	uint32_t x = seed;
	size_t i = 0;

	ck_assert_ptr_nonnull(p);
	while (i < n) {
		x = x * 1103515245u + 12345u;
		if ((x >> 16) % 8 == 0) {
			p[i++] = (char)(x >> 24);
			continue;
		}
		i += (size_t)sprintf(p + i, line, (x >> 8) % 256,
		    (x >> 4) % 1000);
	}
	return p;
}

static inline void put_bytes(struct mem_sink *b, const void *p, size_t n)
{
	ck_assert_int_eq(mem_sink_append(b, p, n), DMARC_OK);
}

/* n bytes of v, little-endian, zeros past 8 */
static inline void put_le(struct mem_sink *b, uint64_t v, size_t n)
{
	unsigned char c[16] = { 0 };
	size_t i;

	ck_assert_uint_le(n, sizeof c);
	for (i = 0; i < n && i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	put_bytes(b, c, n);
}

/* Deflates data into b: windowBits -15 raw (RFC 1951), 15 + 16 gzip
 * (RFC 1952) with header h (NULL: zlib's plain one). */
static inline void deflate_into(struct mem_sink *b, const char *data,
    size_t len, int bits, gz_headerp h)
{
	unsigned char buf[16384];
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, bits, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	if (h != NULL)
		ck_assert_int_eq(deflateSetHeader(&zs, h), Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	do {
		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		rc = deflate(&zs, Z_FINISH);
		ck_assert(rc == Z_OK || rc == Z_STREAM_END);
		put_bytes(b, buf, sizeof buf - zs.avail_out);
	} while (rc != Z_STREAM_END);
	deflateEnd(&zs);
}

static inline void gzip_member(struct mem_sink *b, const char *data, size_t len)
{
	deflate_into(b, data, len, 15 + 16, NULL);
}

/* A zip archive written by hand (APPNOTE 4.3): local headers, data,
 * descriptors, then the central directory and end records. */
#define ZB_DESC 1u        /* flag bit 3: sizes in a descriptor after */
#define ZB_DESC_SIG 2u    /* ... which has its signature */
#define ZB_ZIP64 4u       /* 0xFFFFFFFF sizes, the zip64 extra field */
#define ZB_ENCRYPT 8u     /* flag bit 0 (the data is left as it is) */
#define ZB_EXTRA 16u      /* an extended timestamp field first */
#define ZB_BAD_CRC 32u    /* the CRC-32 given is off by one */
#define ZB_HDR_SIZES 64u  /* with bit 3, the sizes in the header too */

struct zipb {
	struct mem_sink b, cd;
	uint32_t n;
	bool zip64;
};

static inline void zb_init(struct zipb *z)
{
	mem_sink_init(&z->b);
	mem_sink_init(&z->cd);
	z->n = 0;
	z->zip64 = false;
}

static inline void zb_dispose(struct zipb *z)
{
	mem_sink_dispose(&z->b);
	mem_sink_dispose(&z->cd);
}

/* One entry: method 0 (stored), 8 (deflated here) or any other (data as
 * given); returns the offset of its local header. */
static inline size_t zb_add(struct zipb *z, const char *name, size_t nlen,
    unsigned method, const char *data, size_t len, unsigned opts)
{
	struct mem_sink packed;
	uint32_t crc = (uint32_t)crc32(0, (const Bytef *)data, (uInt)len);
	uint16_t flags = (uint16_t)((opts & ZB_DESC ? 8u : 0u) |
	    (opts & ZB_ENCRYPT ? 1u : 0u));
	bool desc = (opts & ZB_DESC) != 0, z64 = (opts & ZB_ZIP64) != 0;
	bool hdr_sizes = !desc || (opts & ZB_HDR_SIZES);
	size_t at = z->b.len, xlen = (z64 ? 20u : 0u) +
	    (opts & ZB_EXTRA ? 9u : 0u);
	uint64_t c, u = len;

	mem_sink_init(&packed);
	mem_sink_append(&packed, "", 0);
	if (method == 8)
		deflate_into(&packed, data, len, -15, NULL);
	else
		put_bytes(&packed, data, len);
	c = packed.len;
	if (opts & ZB_BAD_CRC)
		crc++;
	/* 4.3.7 local file header */
	put_le(&z->b, 0x04034b50, 4);
	put_le(&z->b, z64 ? 45 : 20, 2);
	put_le(&z->b, flags, 2);
	put_le(&z->b, method, 2);
	put_le(&z->b, 0x6000, 2);             /* 12:00 */
	put_le(&z->b, 0x5a21, 2);             /* 2025-01-01 */
	put_le(&z->b, hdr_sizes ? crc : 0, 4);
	put_le(&z->b, z64 ? 0xFFFFFFFFu : hdr_sizes ? c : 0, 4);
	put_le(&z->b, z64 ? 0xFFFFFFFFu : hdr_sizes ? u : 0, 4);
	put_le(&z->b, nlen, 2);
	put_le(&z->b, xlen, 2);
	put_bytes(&z->b, name, nlen);
	if (opts & ZB_EXTRA) { /* 0x5455 extended timestamp */
		put_le(&z->b, 0x5455, 2);
		put_le(&z->b, 5, 2);
		put_bytes(&z->b, "\x01\x00\x00\x00\x68", 5);
	}
	if (z64) { /* 4.5.3: both sizes in a local header */
		put_le(&z->b, 0x0001, 2);
		put_le(&z->b, 16, 2);
		put_le(&z->b, hdr_sizes ? u : 0, 8);
		put_le(&z->b, hdr_sizes ? c : 0, 8);
	}
	put_bytes(&z->b, packed.data, packed.len);
	if (desc) { /* 4.3.9 */
		if (opts & ZB_DESC_SIG)
			put_le(&z->b, 0x08074b50, 4);
		put_le(&z->b, crc, 4);
		put_le(&z->b, c, z64 ? 8 : 4);
		put_le(&z->b, u, z64 ? 8 : 4);
	}
	mem_sink_dispose(&packed);
	/* 4.3.12 central directory header, zip64 sizes and offset */
	put_le(&z->cd, 0x02014b50, 4);
	put_le(&z->cd, 0x031e, 2);
	put_le(&z->cd, z64 ? 45 : 20, 2);
	put_le(&z->cd, flags, 2);
	put_le(&z->cd, method, 2);
	put_le(&z->cd, 0x6000, 2);
	put_le(&z->cd, 0x5a21, 2);
	put_le(&z->cd, crc, 4);
	put_le(&z->cd, z64 ? 0xFFFFFFFFu : c, 4);
	put_le(&z->cd, z64 ? 0xFFFFFFFFu : u, 4);
	put_le(&z->cd, nlen, 2);
	put_le(&z->cd, z64 ? 28 : 0, 2);
	put_le(&z->cd, 0, 2 + 2 + 2 + 4);     /* comment, disk, attributes */
	put_le(&z->cd, z64 ? 0xFFFFFFFFu : at, 4);
	put_bytes(&z->cd, name, nlen);
	if (z64) {
		put_le(&z->cd, 0x0001, 2);
		put_le(&z->cd, 24, 2);
		put_le(&z->cd, u, 8);
		put_le(&z->cd, c, 8);
		put_le(&z->cd, at, 8);
		z->zip64 = true;
	}
	z->n++;
	return at;
}

/* The central directory, zip64 end records if needed, the end record
 * with comment (4.3.12 to 4.3.16). */
static inline void zb_end(struct zipb *z, const char *comment)
{
	size_t cd_at = z->b.len, z64_at;

	put_bytes(&z->b, z->cd.data != NULL ? z->cd.data : "", z->cd.len);
	if (z->zip64) {
		z64_at = z->b.len;
		put_le(&z->b, 0x06064b50, 4);
		put_le(&z->b, 44, 8);
		put_le(&z->b, 0x032d, 2);
		put_le(&z->b, 45, 2);
		put_le(&z->b, 0, 4 + 4);
		put_le(&z->b, z->n, 8);
		put_le(&z->b, z->n, 8);
		put_le(&z->b, z->cd.len, 8);
		put_le(&z->b, cd_at, 8);
		put_le(&z->b, 0x07064b50, 4);
		put_le(&z->b, 0, 4);
		put_le(&z->b, z64_at, 8);
		put_le(&z->b, 1, 4);
	}
	put_le(&z->b, 0x06054b50, 4);
	put_le(&z->b, 0, 2 + 2);
	put_le(&z->b, z->n, 2);
	put_le(&z->b, z->n, 2);
	put_le(&z->b, z->cd.len, 4);
	put_le(&z->b, cd_at, 4);
	put_le(&z->b, strlen(comment), 2);
	put_bytes(&z->b, comment, strlen(comment));
}

/* ---- runs ---- */

enum kind { GUNZIP, UNZIP };

struct result {
	dmarc_status st, finish_st;
	struct mem_sink out, log;   /* output; zip events as text */
	size_t n_diags;
	struct dmarc__decode_diag diags[DMARC__DECODE_MAX_DIAGS];
	uint32_t dropped, parts;
	bool failed;
	struct dmarc__decode_diag failure;
	uint64_t in, made;
	dmarc_status begin_st, end_st; /* what the events answer */
};

static inline void result_init(struct result *r)
{
	memset(r, 0, sizeof *r);
	mem_sink_init(&r->out);
	mem_sink_init(&r->log);
	mem_sink_append(&r->out, "", 0);
	mem_sink_append(&r->log, "", 0);
}

static inline void result_dispose(struct result *r)
{
	mem_sink_dispose(&r->out);
	mem_sink_dispose(&r->log);
}

static inline dmarc_status log_event(struct result *r, char what,
    const struct dmarc__zip_entry *e)
{
	char t[160];

	snprintf(t, sizeof t, "%c%u m%u f%x z%d crc %08x c%llu u%llu @%llu ",
	    what, e->index, e->method, e->flags, e->zip64, e->crc,
	    (unsigned long long)e->compressed,
	    (unsigned long long)e->uncompressed,
	    (unsigned long long)e->offset);
	REQUIRE(e->name[e->name_len] == '\0');
	put_bytes(&r->log, t, strlen(t));
	put_bytes(&r->log, e->name, e->name_len);
	put_bytes(&r->log, "\n", 1);
	return what == 'B' ? r->begin_st : r->end_st;
}

static inline dmarc_status on_begin(void *user,
    const struct dmarc__zip_entry *e)
{
	return log_event(user, 'B', e);
}

static inline dmarc_status on_end(void *user,
    const struct dmarc__zip_entry *e)
{
	return log_event(user, 'E', e);
}

/* Chunk sizes: 0 the whole input at once, 1..RANDOM-1 that size, RANDOM
 * + seed random sizes from 1 to 1 + seed % 4096. */
#define RANDOM 1000000u

static inline size_t next_chunk(size_t mode, uint32_t *x)
{
	if (mode < RANDOM)
		return mode == 0 ? SIZE_MAX : mode;
	*x = *x * 1103515245u + 12345u;
	return 1 + (*x >> 8) % (1 + (mode - RANDOM) % 4096);
}

static inline void keep_diags(struct result *r, const struct dmarc__decode *d)
{
	const struct dmarc__decode_diag *f = dmarc__decode_failure(d);
	size_t i;

	r->n_diags = dmarc__decode_diag_count(d);
	for (i = 0; i < r->n_diags; i++)
		r->diags[i] = *dmarc__decode_diag_at(d, i);
	r->dropped = dmarc__decode_diags_dropped(d);
	r->failed = f != NULL;
	if (f != NULL)
		r->failure = *f;
	r->in = dmarc__decode_bytes_in(d);
	r->made = dmarc__decode_bytes_out(d);
}

/* Runs a decoder of kind over in; r is filled (result_init first). */
static inline void run(enum kind kind, const char *in, size_t len, size_t mode,
    const struct dmarc__decode_limits *lim, struct result *r)
{
	struct dmarc__zip_events ev = { on_begin, on_end, r };
	struct dmarc__sink next = dmarc__sink_make(mem_sink_write, &r->out);
	struct dmarc__gunzip *g = NULL;
	struct dmarc__unzip *u = NULL;
	const struct dmarc__decode *d;
	struct dmarc__filter f;
	uint32_t x = (uint32_t)mode;
	size_t i, n;

	if (kind == GUNZIP) {
		OK(dmarc__gunzip_new(&g, ctx, next, lim));
		f = dmarc__gunzip_filter(g);
		d = dmarc__gunzip_decode(g);
	} else {
		OK(dmarc__unzip_new(&u, ctx, next, &ev, lim));
		f = dmarc__unzip_filter(u);
		d = dmarc__unzip_decode(u);
	}
	r->st = DMARC_OK;
	for (i = 0; i < len && r->st == DMARC_OK; i += n) {
		n = next_chunk(mode, &x);
		if (n > len - i)
			n = len - i;
		r->st = dmarc__filter_write(&f, in + i, n);
		REQUIRE(r->st == DMARC_OK || r->st == d->status);
	}
	r->finish_st = dmarc__filter_finish(&f);
	if (r->st == DMARC_OK)
		r->st = r->finish_st;
	else
		REQUIRE(r->finish_st == r->st); /* a stop is kept */
	keep_diags(r, d);
	REQUIRE(r->made == r->out.len);
	REQUIRE(r->out.empty_calls == 0);
	REQUIRE(r->in <= len);
	r->parts = g != NULL ? dmarc__gunzip_members(g) :
	    dmarc__unzip_entries(u);
	dmarc__gunzip_free(g);
	dmarc__unzip_free(u);
}

/* Two runs agree: the same output, events, diagnostics and failure.
 * Where a limit stopped them, the input taken by then depends on the
 * chunking (inflate reads ahead as far as it is given), so its offset
 * may differ.  The ratio is measured after each inflate call, so where
 * it stopped one run, the other may have gone further (even to another
 * end): then only the output both made must agree. */
static inline void same_result(const struct result *a,
    const struct result *b)
{
	bool limit = a->failed && a->failure.cls == DMARC__DECODE_LIMIT;
	bool ratio = (a->failed && a->failure.code == DMARC__DD_LIMIT_RATIO) ||
	    (b->failed && b->failure.code == DMARC__DD_LIMIT_RATIO);
	size_t n = a->out.len < b->out.len ? a->out.len : b->out.len;

	REQUIRE(memcmp(a->out.data, b->out.data, n) == 0);
	if (ratio)
		return;
	REQUIRE(a->st == b->st);
	REQUIRE(a->out.len == b->out.len);
	REQUIRE(a->log.len == b->log.len);
	REQUIRE(memcmp(a->log.data, b->log.data, a->log.len) == 0);
	REQUIRE(a->n_diags == b->n_diags && a->dropped == b->dropped);
	REQUIRE(memcmp(a->diags, b->diags, a->n_diags * sizeof a->diags[0])
	    == 0);
	REQUIRE(a->failed == b->failed);
	if (a->failed) {
		REQUIRE(a->failure.code == b->failure.code);
		REQUIRE(a->failure.part == b->failure.part);
		REQUIRE(limit || a->failure.offset == b->failure.offset);
	}
	REQUIRE(a->parts == b->parts);
}

/* Runs in every chunking of a list; all must agree.  *r gets the run of
 * the whole input at once (result_init first). */
static inline void run_all(enum kind kind, const char *in, size_t len,
    const struct dmarc__decode_limits *lim, struct result *r)
{
	static const size_t modes[] = { 1, 2, 3, 7, 64, 4095, 16384,
	    RANDOM + 16, RANDOM + 100, RANDOM + 1000, RANDOM + 4095 };
	struct result other;
	size_t i;

	run(kind, in, len, 0, lim, r);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (modes[i] < RANDOM && modes[i] >= len && i > 0)
			continue;
		result_init(&other);
		other.begin_st = r->begin_st;
		other.end_st = r->end_st;
		run(kind, in, len, modes[i], lim, &other);
		same_result(r, &other);
		result_dispose(&other);
	}
}

/* The failure r ended with: its code, and its offset unless -1. */
static inline void failed_with(const struct result *r,
    enum dmarc__decode_code code, long long offset)
{
	static const dmarc_status by_class[] = { DMARC_OK, DMARC_ETRUNCATED,
	    DMARC_EMESSAGE, DMARC_ERANGE, DMARC_ENOTSUP };

	ck_assert_msg(r->failed, "no failure (status %d)", r->st);
	ck_assert_int_eq(r->failure.code, code);
	ck_assert_int_eq(r->failure.cls, dmarc__decode_code_class(code));
	ck_assert_int_eq(r->st, by_class[r->failure.cls]);
	if (offset >= 0)
		ck_assert_uint_eq(r->failure.offset, (uint64_t)offset);
}

#endif /* DMARC_TEST_DECODE_CHECK_H */
