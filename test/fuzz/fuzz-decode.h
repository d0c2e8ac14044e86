/*
 * What the decoder fuzz targets (fuzz-gunzip.c, fuzz-unzip.c) share: the
 * first input byte picks limits and a chunking, the rest is decoded once
 * in one piece and once in chunks; both runs must say the same (status,
 * failure, diagnostics, output and zip events; where the ratio limit
 * stopped one, only the output both made), and what each says must hold
 * together.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_FUZZ_DECODE_H
#define DMARC_FUZZ_DECODE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/gunzip.h"
#include "report/unzip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_OUT_CAP (8u << 20) /* more than any input of 64 KiB makes */

struct fuzz_buf {
	unsigned char *p;
	size_t len, size;
};

static void fuzz_put(struct fuzz_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->size) {
		size_t size = b->size != 0 ? b->size : 4096;

		while (b->len + n > size)
			size *= 2;
		if (size > FUZZ_OUT_CAP || (b->p = realloc(b->p, size)) == NULL)
			abort();
		b->size = size;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

struct fuzz_run {
	dmarc_status st;
	struct fuzz_buf out, log;
	struct dmarc__decode_diag diags[DMARC__DECODE_MAX_DIAGS];
	size_t n_diags;
	bool failed;
	struct dmarc__decode_diag failure;
	uint32_t parts;
	int depth;          /* inside an entry (zip events) */
	size_t begin_out;   /* output when it began */
};

static dmarc_status fuzz_sink(void *user, const char *data, size_t len)
{
	struct fuzz_run *r = user;

	if (len == 0)
		abort(); /* sinks are never called with 0 bytes */
	fuzz_put(&r->out, data, len);
	return DMARC_OK;
}

static dmarc_status fuzz_event(struct fuzz_run *r, int begin,
    const struct dmarc__zip_entry *e)
{
	if (r->depth != !begin || e->name[e->name_len] != '\0' ||
	    (e->method != 0 && e->method != 8))
		abort();
	if (!begin && e->uncompressed != r->out.len - r->begin_out)
		abort(); /* the entry's bytes are those between its events */
	r->depth = begin;
	r->begin_out = r->out.len;
	fuzz_put(&r->log, &begin, sizeof begin);
	fuzz_put(&r->log, &e->index, sizeof e->index);
	fuzz_put(&r->log, &e->crc, sizeof e->crc);
	fuzz_put(&r->log, &e->compressed, sizeof e->compressed);
	fuzz_put(&r->log, &e->uncompressed, sizeof e->uncompressed);
	fuzz_put(&r->log, &e->offset, sizeof e->offset);
	fuzz_put(&r->log, e->name, e->name_len);
	return DMARC_OK;
}

static dmarc_status fuzz_begin(void *user, const struct dmarc__zip_entry *e)
{
	return fuzz_event(user, 1, e);
}

static dmarc_status fuzz_end(void *user, const struct dmarc__zip_entry *e)
{
	return fuzz_event(user, 0, e);
}

/* Limits from the selector byte: the defaults, or small ones. */
static void fuzz_limits(struct dmarc__decode_limits *lim, unsigned sel)
{
	dmarc__decode_limits_default(lim);
	if (sel & 1)
		lim->max_output = (sel >> 4) * 1000u;
	if (sel & 2) {
		lim->ratio_floor = (sel >> 4) * 100u;
		lim->max_ratio = 1 + (sel >> 5);
	}
	if (sel & 4) {
		lim->max_entries = (sel >> 4) % 4;
		lim->max_name = (sel >> 4) % 8;
	}
}

/* Decodes in: in one piece (seed 0), else in chunks of 1 to 8 * seed
 * bytes. */
static void fuzz_decode(int zip, const uint8_t *in, size_t len,
    const struct dmarc__decode_limits *lim, unsigned seed, struct fuzz_run *r)
{
	static dmarc_ctx *ctx;
	struct dmarc__zip_events ev = { fuzz_begin, fuzz_end, r };
	struct dmarc__sink next = dmarc__sink_make(fuzz_sink, r);
	struct dmarc__gunzip *g = NULL;
	struct dmarc__unzip *u = NULL;
	const struct dmarc__decode *d;
	const struct dmarc__decode_diag *f;
	struct dmarc__filter flt;
	uint32_t x = seed;
	size_t i, n;

	if (ctx == NULL && dmarc_ctx_new(&ctx) != DMARC_OK)
		abort();
	if (zip ? dmarc__unzip_new(&u, ctx, next, &ev, lim) :
	    dmarc__gunzip_new(&g, ctx, next, lim))
		abort();
	flt = zip ? dmarc__unzip_filter(u) : dmarc__gunzip_filter(g);
	d = zip ? dmarc__unzip_decode(u) : dmarc__gunzip_decode(g);
	r->st = DMARC_OK;
	for (i = 0; i < len && r->st == DMARC_OK; i += n) {
		x = x * 1103515245u + 12345u;
		n = seed == 0 ? len - i : 1 + (x >> 8) % (8 * seed);
		if (n > len - i)
			n = len - i;
		r->st = dmarc__filter_write(&flt, (const char *)in + i, n);
	}
	if (r->st == DMARC_OK)
		r->st = dmarc__filter_finish(&flt);
	else if (dmarc__filter_finish(&flt) != r->st)
		abort(); /* the stop is kept */
	r->n_diags = dmarc__decode_diag_count(d);
	for (i = 0; i < r->n_diags; i++)
		r->diags[i] = *dmarc__decode_diag_at(d, i);
	f = dmarc__decode_failure(d);
	r->failed = f != NULL;
	if (f != NULL)
		r->failure = *f;
	r->parts = zip ? dmarc__unzip_entries(u) : dmarc__gunzip_members(g);
	if (dmarc__decode_bytes_out(d) != r->out.len ||
	    dmarc__decode_bytes_in(d) > len || r->out.len > lim->max_output)
		abort();
	dmarc__gunzip_free(g);
	dmarc__unzip_free(u);
}

/* What one run says must hold together. */
static void fuzz_check_run(const struct fuzz_run *r, size_t len)
{
	static const dmarc_status by_class[] = { DMARC_OK, DMARC_ETRUNCATED,
	    DMARC_EMESSAGE, DMARC_ERANGE, DMARC_ENOTSUP };
	size_t i;

	if (r->failed != (r->st != DMARC_OK) || (!r->failed && r->depth != 0))
		abort(); /* no sink or event stops here */
	if (r->failed && (r->failure.cls == DMARC__DECODE_WARNING ||
	    r->failure.cls > DMARC__DECODE_UNSUPPORTED ||
	    by_class[r->failure.cls] != r->st || r->failure.offset > len))
		abort();
	/* warnings: trailing bytes run to the end; a skipped entry's length
	 * is its header's, which the input may not have */
	for (i = 0; i < r->n_diags; i++)
		if (r->diags[i].cls != DMARC__DECODE_WARNING ||
		    r->diags[i].offset > len ||
		    (r->diags[i].code == DMARC__DD_TRAILING &&
		    (r->diags[i].length == 0 ||
		    r->diags[i].offset + r->diags[i].length != len)))
			abort();
}

static int fuzz_ratio(const struct fuzz_run *r)
{
	return r->failed && r->failure.code == DMARC__DD_LIMIT_RATIO;
}

/* Two runs say the same.  The ratio is measured after each inflate call,
 * so where it stopped one run, the other may have gone further (even to
 * another end): then only the output both made must agree. */
static void fuzz_same(const struct fuzz_run *a, const struct fuzz_run *b)
{
	int limit = a->failed && a->failure.cls == DMARC__DECODE_LIMIT;
	size_t n = a->out.len < b->out.len ? a->out.len : b->out.len;
	size_t m = a->log.len < b->log.len ? a->log.len : b->log.len;

	if ((n != 0 && memcmp(a->out.p, b->out.p, n) != 0) ||
	    (m != 0 && memcmp(a->log.p, b->log.p, m) != 0))
		abort();
	if (fuzz_ratio(a) || fuzz_ratio(b))
		return;
	if (a->st != b->st || a->failed != b->failed || a->parts != b->parts ||
	    a->n_diags != b->n_diags || a->out.len != b->out.len ||
	    a->log.len != b->log.len || (a->n_diags != 0 &&
	    memcmp(a->diags, b->diags, a->n_diags * sizeof a->diags[0]) != 0))
		abort();
	if (a->failed && (a->failure.code != b->failure.code ||
	    a->failure.part != b->failure.part ||
	    (!limit && a->failure.offset != b->failure.offset)))
		abort();
}

static void fuzz_dispose(struct fuzz_run *r)
{
	free(r->out.p);
	free(r->log.p);
}

/* The whole target: selector byte, two runs, checks; returns the run in
 * one piece for more checks (dispose it). */
static void fuzz_both(int zip, const uint8_t *data, size_t size,
    struct fuzz_run *whole)
{
	struct dmarc__decode_limits lim;
	struct fuzz_run chunked;
	unsigned sel = data[0];

	memset(whole, 0, sizeof *whole);
	memset(&chunked, 0, sizeof chunked);
	fuzz_limits(&lim, sel);
	fuzz_decode(zip, data + 1, size - 1, &lim, 0, whole);
	fuzz_decode(zip, data + 1, size - 1, &lim, 1 + (sel >> 3) % 16,
	    &chunked);
	fuzz_check_run(whole, size - 1);
	fuzz_check_run(&chunked, size - 1);
	fuzz_same(whole, &chunked);
	fuzz_dispose(&chunked);
}

#endif /* DMARC_FUZZ_DECODE_H */
