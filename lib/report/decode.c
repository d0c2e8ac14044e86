/*
 * libdmarc - the decoders' shared core (decode.h): limits, diagnostics,
 * raw inflate (RFC 1951) on the context's allocator.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "decode.h"

/* Raw deflate, no zlib or gzip wrapper: the filters read RFC 1952 and
 * APPNOTE headers themselves; 2^15 is the largest window (RFC 1951). */
#define RAW_WINDOW_BITS (-15)

static const struct {
	uint8_t cls;
	const char *text;
} codes[] = {
	[DMARC__DD_TRAILING] = { DMARC__DECODE_WARNING,
	    "bytes after the end of the data, ignored" },
	[DMARC__DD_SKIP_METHOD] = { DMARC__DECODE_WARNING,
	    "zip entry compressed with an unsupported method, skipped" },
	[DMARC__DD_SKIP_ENCRYPTED] = { DMARC__DECODE_WARNING,
	    "encrypted zip entry, skipped" },
	[DMARC__DD_TRUNCATED] = { DMARC__DECODE_TRUNCATED,
	    "input ends inside the compressed data" },
	[DMARC__DD_BAD_MAGIC] = { DMARC__DECODE_CORRUPT,
	    "not gzip or zip data" },
	[DMARC__DD_BAD_HEADER] = { DMARC__DECODE_CORRUPT,
	    "malformed gzip header" },
	[DMARC__DD_BAD_DATA] = { DMARC__DECODE_CORRUPT,
	    "malformed deflate data" },
	[DMARC__DD_BAD_CRC] = { DMARC__DECODE_CORRUPT,
	    "CRC-32 of the decompressed data differs" },
	[DMARC__DD_BAD_SIZE] = { DMARC__DECODE_CORRUPT,
	    "size of the data differs from its header or trailer" },
	[DMARC__DD_BAD_RECORD] = { DMARC__DECODE_CORRUPT,
	    "unknown zip record signature" },
	[DMARC__DD_LIMIT_OUTPUT] = { DMARC__DECODE_LIMIT,
	    "decompressed size over its limit" },
	[DMARC__DD_LIMIT_RATIO] = { DMARC__DECODE_LIMIT,
	    "compression ratio over its limit" },
	[DMARC__DD_LIMIT_ENTRIES] = { DMARC__DECODE_LIMIT,
	    "more zip entries than the limit" },
	[DMARC__DD_LIMIT_NAME] = { DMARC__DECODE_LIMIT,
	    "zip entry name longer than the limit" },
	[DMARC__DD_STORED_DESCRIPTOR] = { DMARC__DECODE_UNSUPPORTED,
	    "stored zip entry with sizes after its data: its end is unknown" },
	[DMARC__DD_SKIP_UNSIZED] = { DMARC__DECODE_UNSUPPORTED,
	    "zip entry to skip has its sizes after its data: its end is "
	    "unknown" },
};

void dmarc__decode_limits_default(struct dmarc__decode_limits *lim)
{
	lim->max_output = DMARC__DECODE_MAX_OUTPUT;
	lim->ratio_floor = DMARC__DECODE_RATIO_FLOOR;
	lim->max_ratio = DMARC__DECODE_MAX_RATIO;
	lim->max_entries = DMARC__DECODE_MAX_ENTRIES;
	lim->max_name = DMARC__DECODE_MAX_NAME;
}

/* zlib's allocation functions, on the context's allocator. */
static voidpf decode_alloc(voidpf opaque, uInt items, uInt size)
{
	const struct dmarc__decode *d = opaque;

	if (size != 0 && items > SIZE_MAX / size)
		return Z_NULL;
	return dmarc__alloc(d->ctx, (size_t)items * size);
}

static void decode_free(voidpf opaque, voidpf ptr)
{
	const struct dmarc__decode *d = opaque;

	dmarc__free(d->ctx, ptr);
}

dmarc_status dmarc__decode_init(struct dmarc__decode *d, const dmarc_ctx *ctx,
    struct dmarc__sink next, const struct dmarc__decode_limits *lim)
{
	int rc;

	memset(d, 0, offsetof(struct dmarc__decode, buf));
	d->ctx = ctx;
	d->next = next;
	if (lim != NULL)
		d->lim = *lim;
	else
		dmarc__decode_limits_default(&d->lim);
	if (d->lim.max_name > DMARC__DECODE_NAME_CEILING)
		return DMARC_ERANGE;
	d->status = DMARC_OK;
	d->zs.zalloc = decode_alloc;
	d->zs.zfree = decode_free;
	d->zs.opaque = d;
	rc = inflateInit2(&d->zs, RAW_WINDOW_BITS);
	if (rc == Z_OK)
		return DMARC_OK;
	return rc == Z_MEM_ERROR ? DMARC_ENOMEM : DMARC_ENOTSUP;
}

void dmarc__decode_dispose(struct dmarc__decode *d)
{
	inflateEnd(&d->zs);
}

dmarc_status dmarc__decode_enter(struct dmarc__decode *d, bool finish)
{
	dmarc_status st = dmarc__filter_check(d->status, d->finished);

	if (st == DMARC_OK && finish)
		d->finished = true;
	return st;
}

static struct dmarc__decode_diag make_diag(const struct dmarc__decode *d,
    enum dmarc__decode_code code, uint64_t offset, uint64_t length)
{
	struct dmarc__decode_diag g;

	memset(&g, 0, sizeof g); /* padding too: diagnostics compare whole */
	g.code = (uint8_t)code;
	g.cls = (uint8_t)dmarc__decode_code_class(code);
	g.part = d->part;
	g.offset = offset;
	g.length = length;
	return g;
}

void dmarc__decode_warn(struct dmarc__decode *d, enum dmarc__decode_code code,
    uint64_t offset, uint64_t length)
{
	if (d->n_diags == DMARC__DECODE_MAX_DIAGS) {
		d->dropped++;
		return;
	}
	d->diags[d->n_diags++] = make_diag(d, code, offset, length);
}

static dmarc_status class_status(enum dmarc__decode_class cls)
{
	switch (cls) {
	case DMARC__DECODE_TRUNCATED: return DMARC_ETRUNCATED;
	case DMARC__DECODE_CORRUPT: return DMARC_EMESSAGE;
	case DMARC__DECODE_LIMIT: return DMARC_ERANGE;
	case DMARC__DECODE_UNSUPPORTED: return DMARC_ENOTSUP;
	case DMARC__DECODE_WARNING: break;
	}
	return DMARC_ESTATE; /* a warning code used as a failure: a bug */
}

dmarc_status dmarc__decode_fail(struct dmarc__decode *d,
    enum dmarc__decode_code code, uint64_t offset)
{
	d->failure = make_diag(d, code, offset, 0);
	return d->status = class_status(dmarc__decode_code_class(code));
}

/* Hands n bytes to the next sink, after the CRC. */
static dmarc_status hand_on(struct dmarc__decode *d, const unsigned char *p,
    size_t n, uint32_t *crc)
{
	if (crc != NULL)
		*crc = dmarc__decode_crc32(*crc, p, n);
	d->status = dmarc__sink_put(&d->next, (const char *)p, n);
	if (d->status == DMARC_OK)
		d->out += n;
	return d->status;
}

dmarc_status dmarc__decode_output(struct dmarc__decode *d,
    const unsigned char *p, size_t n, uint32_t *crc)
{
	const struct dmarc__decode_limits *lim = &d->lim;
	uint64_t total;

	if (n == 0)
		return DMARC_OK;
	if (n > lim->max_output - d->out) { /* up to the limit, then stop */
		if (hand_on(d, p, (size_t)(lim->max_output - d->out), crc) !=
		    DMARC_OK)
			return d->status;
		return dmarc__decode_fail(d, DMARC__DD_LIMIT_OUTPUT, d->in);
	}
	total = d->out + n;
	/* total > in * ratio, without overflow */
	if (lim->max_ratio != 0 && total > lim->ratio_floor &&
	    (total - 1) / lim->max_ratio >= d->in)
		return dmarc__decode_fail(d, DMARC__DD_LIMIT_RATIO, d->in);
	return hand_on(d, p, n, crc);
}

uint32_t dmarc__decode_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	uInt k;

	for (; n > 0; p += k, n -= k) { /* crc32 takes an unsigned int */
		k = n > UINT_MAX ? UINT_MAX : (uInt)n;
		crc = (uint32_t)crc32(crc, p, k);
	}
	return crc;
}

/* The status for what inflate returned, other than Z_OK/Z_STREAM_END. */
static dmarc_status inflate_failed(struct dmarc__decode *d, int rc)
{
	switch (rc) {
	case Z_BUF_ERROR: return DMARC_OK; /* no progress possible: no input */
	case Z_DATA_ERROR: return dmarc__decode_fail(d, DMARC__DD_BAD_DATA,
	    d->in);
	case Z_MEM_ERROR: return d->status = DMARC_ENOMEM;
	default: return d->status = DMARC_ESTATE; /* Z_STREAM_ERROR: a bug */
	}
}

dmarc_status dmarc__decode_inflate(struct dmarc__decode *d,
    const unsigned char **in, size_t *len, bool *ended, uint32_t *crc)
{
	size_t used, made;
	uInt n;
	int rc;

	*ended = false;
	for (;;) {
		n = *len > UINT_MAX ? UINT_MAX : (uInt)*len;
		d->zs.next_in = *in;
		d->zs.avail_in = n;
		d->zs.next_out = d->buf;
		d->zs.avail_out = (uInt)sizeof d->buf;
		rc = inflate(&d->zs, Z_NO_FLUSH);
		used = n - d->zs.avail_in;
		made = sizeof d->buf - d->zs.avail_out;
		*in += used;
		*len -= used;
		d->in += used;
		/* what came before an error is handed on first */
		if (dmarc__decode_output(d, d->buf, made, crc) != DMARC_OK)
			return d->status;
		if (rc == Z_STREAM_END)
			*ended = true;
		else if (rc != Z_OK && inflate_failed(d, rc) != DMARC_OK)
			return d->status;
		/* inflate stops when the output is full or the input used */
		if (*ended || (d->zs.avail_out != 0 && *len == 0) ||
		    (used == 0 && made == 0))
			return DMARC_OK;
	}
}

void dmarc__decode_inflate_reset(struct dmarc__decode *d)
{
	inflateReset(&d->zs);
}

bool dmarc__decode_gather(struct dmarc__decode *d, const unsigned char **in,
    size_t *len, size_t want)
{
	size_t n;

	if (d->have < want) {
		n = want - d->have < *len ? want - d->have : *len;
		memcpy(d->field + d->have, *in, n);
		d->have += n;
		*in += n;
		*len -= n;
		d->in += n;
	}
	return d->have >= want;
}

bool dmarc__decode_skip(struct dmarc__decode *d, const unsigned char **in,
    size_t *len, uint64_t *left)
{
	size_t n = *left < *len ? (size_t)*left : *len;

	*in += n;
	*len -= n;
	*left -= n;
	d->in += n;
	return *left == 0;
}

uint64_t dmarc__decode_bytes_in(const struct dmarc__decode *d)
{
	return d->in;
}

uint64_t dmarc__decode_bytes_out(const struct dmarc__decode *d)
{
	return d->out;
}

size_t dmarc__decode_diag_count(const struct dmarc__decode *d)
{
	return d->n_diags;
}

const struct dmarc__decode_diag *dmarc__decode_diag_at(
    const struct dmarc__decode *d, size_t i)
{
	return i < d->n_diags ? &d->diags[i] : NULL;
}

uint32_t dmarc__decode_diags_dropped(const struct dmarc__decode *d)
{
	return d->dropped;
}

const struct dmarc__decode_diag *dmarc__decode_failure(
    const struct dmarc__decode *d)
{
	return d->failure.code != 0 ? &d->failure : NULL;
}

enum dmarc__decode_class dmarc__decode_code_class(
    enum dmarc__decode_code code)
{
	size_t i = (size_t)code;

	if (i == 0 || i >= sizeof codes / sizeof codes[0])
		return DMARC__DECODE_CORRUPT;
	return (enum dmarc__decode_class)codes[i].cls;
}

const char *dmarc__decode_code_text(enum dmarc__decode_code code)
{
	size_t i = (size_t)code;

	if (i == 0 || i >= sizeof codes / sizeof codes[0])
		return "unknown decoder diagnostic";
	return codes[i].text;
}
