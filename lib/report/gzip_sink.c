/*
 * libdmarc - the gzip filter (gzip_sink.h) on zlib.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#define ZLIB_CONST /* next_in points to const bytes */
#include <zlib.h>

#include "gzip_sink.h"

/* deflateInit2's window: 2^15 bytes, the largest; + 16 asks for the
 * gzip header and trailer of RFC 1952 instead of the zlib ones. */
#define GZIP_WINDOW_BITS (15 + 16)
#define GZIP_MEM_LEVEL 8 /* zlib's default */

struct dmarc__gzip {
	const dmarc_ctx *ctx;
	struct dmarc__sink next;
	dmarc_status status; /* the first failure, then returned */
	bool finished;
	z_stream zs;
	uint64_t bytes_in, bytes_out;
	unsigned char out[DMARC__GZIP_BUFFER];
};

/* zlib's allocation functions, on the context's allocator. */
static voidpf gzip_alloc(voidpf opaque, uInt items, uInt size)
{
	const struct dmarc__gzip *gz = opaque;

	if (size != 0 && items > SIZE_MAX / size)
		return Z_NULL;
	return dmarc__alloc(gz->ctx, (size_t)items * size);
}

static void gzip_free(voidpf opaque, voidpf ptr)
{
	const struct dmarc__gzip *gz = opaque;

	dmarc__free(gz->ctx, ptr);
}

/* The status for a zlib return code that is not success. */
static dmarc_status zlib_status(int rc)
{
	switch (rc) {
	case Z_MEM_ERROR: return DMARC_ENOMEM;
	case Z_VERSION_ERROR: return DMARC_ENOTSUP;
	default: return DMARC_ESTATE; /* Z_STREAM_ERROR: a misused stream */
	}
}

dmarc_status dmarc__gzip_new(struct dmarc__gzip **out, const dmarc_ctx *ctx,
    struct dmarc__sink next, int level)
{
	struct dmarc__gzip *gz;
	int rc;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || next.fn == NULL)
		return DMARC_EINVAL;
	if (level < 1 || level > 9)
		return DMARC_ERANGE;
	gz = dmarc__alloc(ctx, sizeof *gz);
	if (gz == NULL)
		return DMARC_ENOMEM;
	memset(gz, 0, offsetof(struct dmarc__gzip, out));
	gz->ctx = ctx;
	gz->next = next;
	gz->status = DMARC_OK;
	gz->zs.zalloc = gzip_alloc;
	gz->zs.zfree = gzip_free;
	gz->zs.opaque = gz;
	rc = deflateInit2(&gz->zs, level, Z_DEFLATED, GZIP_WINDOW_BITS,
	    GZIP_MEM_LEVEL, Z_DEFAULT_STRATEGY);
	if (rc != Z_OK) { /* zlib has freed what it got */
		dmarc__free(ctx, gz);
		return zlib_status(rc);
	}
	*out = gz;
	return DMARC_OK;
}

void dmarc__gzip_free(struct dmarc__gzip *gz)
{
	if (gz == NULL)
		return;
	deflateEnd(&gz->zs);
	dmarc__free(gz->ctx, gz);
}

/* Runs deflate over the pending input with flush mode Z_NO_FLUSH (until
 * the input is taken) or Z_FINISH (until the trailer is out), handing
 * each buffer of output to the next sink. */
static dmarc_status run_deflate(struct dmarc__gzip *gz, int mode)
{
	size_t n;
	int rc;

	for (;;) {
		gz->zs.next_out = gz->out;
		gz->zs.avail_out = (uInt)sizeof gz->out;
		rc = deflate(&gz->zs, mode);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			return gz->status = zlib_status(rc);
		n = sizeof gz->out - gz->zs.avail_out;
		gz->status = dmarc__sink_put(&gz->next, (const char *)gz->out, n);
		if (gz->status != DMARC_OK)
			return gz->status;
		gz->bytes_out += n;
		if (mode == Z_FINISH ? rc == Z_STREAM_END : gz->zs.avail_out != 0)
			return DMARC_OK;
	}
}

dmarc_status dmarc__gzip_write(void *self, const char *data, size_t len)
{
	struct dmarc__gzip *gz = self;
	dmarc_status st;
	uInt n;

	if ((st = dmarc__filter_check(gz->status, gz->finished)) != DMARC_OK)
		return st;
	while (len > 0) { /* avail_in is an unsigned int */
		n = len > UINT_MAX ? UINT_MAX : (uInt)len;
		gz->zs.next_in = (const Bytef *)data;
		gz->zs.avail_in = n;
		if (run_deflate(gz, Z_NO_FLUSH) != DMARC_OK)
			return gz->status;
		gz->bytes_in += n;
		data += n;
		len -= n;
	}
	return DMARC_OK;
}

dmarc_status dmarc__gzip_finish(void *self)
{
	struct dmarc__gzip *gz = self;
	dmarc_status st;

	if ((st = dmarc__filter_check(gz->status, gz->finished)) != DMARC_OK)
		return st;
	gz->finished = true;
	gz->zs.next_in = NULL;
	gz->zs.avail_in = 0;
	return run_deflate(gz, Z_FINISH);
}

struct dmarc__filter dmarc__gzip_filter(struct dmarc__gzip *gz)
{
	struct dmarc__filter f = { dmarc__gzip_write, dmarc__gzip_finish, gz };
	return f;
}

uint64_t dmarc__gzip_bytes_in(const struct dmarc__gzip *gz)
{
	return gz->bytes_in;
}

uint64_t dmarc__gzip_bytes_out(const struct dmarc__gzip *gz)
{
	return gz->bytes_out;
}
