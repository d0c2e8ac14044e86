/*
 * libdmarc - a gzip filter (RFC 1952) for the report wing: what is
 * written to it is compressed with zlib's deflate and handed, in pieces
 * of at most DMARC__GZIP_BUFFER bytes, to the next sink; finish writes
 * the rest and the gzip trailer (CRC-32 and ISIZE, RFC 1952 section
 * 2.3.1).  Aggregate reports SHOULD travel gzip-compressed (RFC 9990
 * section 3.5.2, RFC 7489 section 7.2.1.1).  zlib's memory comes from the
 * context's allocator.  The filter convention is in sink.h.
 *
 * Status: DMARC_ENOMEM when zlib could not get its memory (at
 * dmarc__gzip_new; deflate allocates nothing later), DMARC_ERANGE for a
 * level outside 1..9, DMARC_ESTATE for a write or finish after finish,
 * the next sink's status (then returned by every later call).
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_GZIP_SINK_H
#define DMARC_REPORT_GZIP_SINK_H

#include "sink.h"

#define DMARC__GZIP_LEVEL_DEFAULT 6  /* zlib's and gzip(1)'s default */
#define DMARC__GZIP_BUFFER 16384u    /* compressed bytes gathered */

struct dmarc__gzip;

/* A gzip stream into next at compression level 1 (fastest) to 9
 * (smallest).  *out is NULL on failure. */
dmarc_status dmarc__gzip_new(struct dmarc__gzip **out, const dmarc_ctx *ctx,
    struct dmarc__sink next, int level);
/* Frees the filter and zlib's memory (NULL is accepted). */
void dmarc__gzip_free(struct dmarc__gzip *gz);

/* Compresses len bytes (a dmarc_sink_fn: self is the struct dmarc__gzip). */
dmarc_status dmarc__gzip_write(void *self, const char *data, size_t len);
/* Ends the stream: the last compressed bytes and the trailer. */
dmarc_status dmarc__gzip_finish(void *self);
/* The filter for the stage before it (sink.h). */
struct dmarc__filter dmarc__gzip_filter(struct dmarc__gzip *gz);

/* Bytes written to the filter, and bytes it handed to the next sink. */
uint64_t dmarc__gzip_bytes_in(const struct dmarc__gzip *gz);
uint64_t dmarc__gzip_bytes_out(const struct dmarc__gzip *gz);

#endif /* DMARC_REPORT_GZIP_SINK_H */
