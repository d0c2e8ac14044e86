/*
 * libdmarc - a base64 filter (RFC 2045 section 6.8) for the report wing:
 * the Content-Transfer-Encoding of a report attachment (RFC 9990 section
 * 3.5.2).  What is written to it goes to the next sink encoded, in lines
 * of 76 characters (the most section 6.8 allows) each ending in CRLF;
 * finish writes the last quantum, padded with "=", and ends the last
 * line.  No input, no output.  It counts the bytes it hands on: RFC 7489
 * section 7.2.1's "!size" limit is on the report after compression and
 * transport encoding.  The filter convention is in sink.h.
 *
 * Status: DMARC_ENOMEM (dmarc__base64_new), DMARC_ESTATE for a write or
 * finish after finish, the next sink's status (then returned by every
 * later call).  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_BASE64_SINK_H
#define DMARC_REPORT_BASE64_SINK_H

#include "sink.h"

#define DMARC__BASE64_LINE 76u /* characters a line, before CRLF */

struct dmarc__base64;

/* A base64 encoder into next; *out is NULL on failure. */
dmarc_status dmarc__base64_new(struct dmarc__base64 **out,
    const dmarc_ctx *ctx, struct dmarc__sink next);
/* Frees the filter (NULL is accepted). */
void dmarc__base64_free(struct dmarc__base64 *b);

/* Encodes len bytes (a dmarc_sink_fn: self is the struct dmarc__base64). */
dmarc_status dmarc__base64_write(void *self, const char *data, size_t len);
/* The last bytes, padded, and the end of the last line. */
dmarc_status dmarc__base64_finish(void *self);
/* The filter for the stage before it (sink.h). */
struct dmarc__filter dmarc__base64_filter(struct dmarc__base64 *b);

/* Bytes handed to the next sink, CRLFs included. */
uint64_t dmarc__base64_bytes_out(const struct dmarc__base64 *b);

#endif /* DMARC_REPORT_BASE64_SINK_H */
