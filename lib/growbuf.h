/*
 * libdmarc - a growing byte buffer with a hard cap, allocated through
 * the context's allocator.  What does not fit under the cap is refused
 * whole (never cut), and a failed append leaves the buffer as it was.
 * For text read or written in pieces of unknown total size (reports,
 * MIME parts, spool lines); a caller's fixed buffer is lib/strbuf.h.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_GROWBUF_H
#define DMARC_GROWBUF_H

#include "internal.h"

struct growbuf {
	const dmarc_ctx *ctx;
	char *data;   /* NULL until the first byte is held */
	size_t len;   /* bytes held */
	size_t size;  /* bytes allocated */
	size_t cap;   /* most bytes it may ever hold */
};

/* An empty buffer that may hold up to cap bytes; allocates nothing. */
void dmarc__growbuf_init(struct growbuf *b, const dmarc_ctx *ctx, size_t cap);
/* Frees the memory; the buffer is empty again, with the same cap. */
void dmarc__growbuf_dispose(struct growbuf *b);
/* Forgets the bytes but keeps the memory, for reuse without allocation. */
void dmarc__growbuf_clear(struct growbuf *b);

/* Room for n more bytes.  DMARC_EBUFFER when len + n would pass the cap
 * (callers turn it into their limit's error or diagnostic), DMARC_ENOMEM
 * when the allocator fails; the buffer is unchanged on either. */
dmarc_status dmarc__growbuf_reserve(struct growbuf *b, size_t n);
/* Appends n bytes (or none), with the outcomes of reserve. */
dmarc_status dmarc__growbuf_append(struct growbuf *b, const void *data,
    size_t n);
dmarc_status dmarc__growbuf_append_byte(struct growbuf *b, unsigned char c);
/* Writes a NUL after the bytes, not counted in len (it takes a byte of
 * the cap), so that the data reads as a string. */
dmarc_status dmarc__growbuf_terminate(struct growbuf *b);

/* The bytes held ("" while there are none). */
static inline const char *growbuf_data(const struct growbuf *b)
{
	return b->data != NULL ? b->data : "";
}

static inline size_t growbuf_len(const struct growbuf *b)
{
	return b->len;
}

#endif /* DMARC_GROWBUF_H */
