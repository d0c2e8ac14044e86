/*
 * libdmarc - a gunzip filter (RFC 1952) for the report wing: gzip bytes
 * written to it in any chunking come out decompressed, in pieces of at
 * most DMARC__DECODE_BUFFER bytes, into the next sink as they are
 * decoded.  The filter convention is in sink.h; limits, diagnostics and
 * failure classes in decode.h.
 *
 * The member header and trailer are read here (RFC 1952 section 2.3),
 * the deflate data by zlib's raw inflate on the context's allocator, so
 * offsets and failures are exact: bad magic, CM other than 8 or reserved
 * FLG bits (section 2.3.1.2), a wrong FHCRC, bad deflate data, a CRC32 or
 * ISIZE that differs (section 2.3.1).  FEXTRA, FNAME and FCOMMENT are
 * skipped whatever their length, in constant memory.
 *
 * Several members (section 2.2) are decoded in turn into one output.
 * After a member, bytes that do not start with ID1 ID2 (1F 8B) are
 * trailing bytes (zero padding, garbage): ignored, and reported by finish
 * as a DMARC__DD_TRAILING warning with their offset and length, as
 * gzip(1) does.  Bytes that start with 1F 8B are a member and must be
 * whole.  finish fails DMARC__DD_TRUNCATED when the input ends inside a
 * member, and for empty input.
 *
 * Status: DMARC_ENOMEM (at _new, or at the first write that produces
 * output: inflate allocates its window then), a failure class's status
 * (decode.h), the next sink's status, DMARC_ESTATE after finish.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_GUNZIP_H
#define DMARC_REPORT_GUNZIP_H

#include "decode.h"

struct dmarc__gunzip;

/* A gunzip filter into next with limits (NULL: the defaults of
 * decode.h).  *out is NULL on failure. */
dmarc_status dmarc__gunzip_new(struct dmarc__gunzip **out,
    const dmarc_ctx *ctx, struct dmarc__sink next,
    const struct dmarc__decode_limits *limits);
/* Frees the filter and zlib's memory (NULL is accepted). */
void dmarc__gunzip_free(struct dmarc__gunzip *g);

/* Decodes len bytes (a dmarc_sink_fn: self is the struct dmarc__gunzip). */
dmarc_status dmarc__gunzip_write(void *self, const char *data, size_t len);
/* Ends the input: DMARC_OK when it ended after a whole member. */
dmarc_status dmarc__gunzip_finish(void *self);
/* The filter for the stage before it (sink.h). */
struct dmarc__filter dmarc__gunzip_filter(struct dmarc__gunzip *g);

/* Counters, diagnostics and the failure (decode.h). */
const struct dmarc__decode *dmarc__gunzip_decode(const struct dmarc__gunzip *g);
/* Members decoded whole, trailer checked. */
uint32_t dmarc__gunzip_members(const struct dmarc__gunzip *g);

#endif /* DMARC_REPORT_GUNZIP_H */
