/*
 * libdmarc - the capped growing buffer (growbuf.h): doubling, clamped to
 * the cap, so appending n bytes in small pieces costs O(n) in all and
 * O(log n) allocations.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "growbuf.h"

/* The first allocation: small enough for a short string, large enough
 * not to reallocate at every byte. */
#define GROWBUF_MIN_SIZE 64u

void dmarc__growbuf_init(struct growbuf *b, const dmarc_ctx *ctx, size_t cap)
{
	b->ctx = ctx;
	b->data = NULL;
	b->len = b->size = 0;
	b->cap = cap;
}

void dmarc__growbuf_dispose(struct growbuf *b)
{
	if (b->data != NULL)
		dmarc__free(b->ctx, b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

void dmarc__growbuf_clear(struct growbuf *b)
{
	b->len = 0;
}

/* The size to grow to for need bytes (need <= cap): double, from the
 * minimum, clamped to the cap. */
static size_t grown_size(const struct growbuf *b, size_t need)
{
	size_t size = b->size != 0 ? b->size : GROWBUF_MIN_SIZE;

	while (size < need && size <= SIZE_MAX / 2)
		size *= 2;
	if (size > b->cap)
		size = b->cap;
	return size < need ? need : size;
}

dmarc_status dmarc__growbuf_reserve(struct growbuf *b, size_t n)
{
	size_t size;
	char *data;

	if (n > b->cap - b->len)
		return DMARC_EBUFFER;
	if (n <= b->size - b->len)
		return DMARC_OK;
	size = grown_size(b, b->len + n);
	/* a caller's realloc need not take NULL */
	data = b->data == NULL ? dmarc__alloc(b->ctx, size) :
	    dmarc__realloc(b->ctx, b->data, size);
	if (data == NULL)
		return DMARC_ENOMEM;
	b->data = data;
	b->size = size;
	return DMARC_OK;
}

dmarc_status dmarc__growbuf_append(struct growbuf *b, const void *data,
    size_t n)
{
	dmarc_status st;

	if (n == 0)
		return DMARC_OK;
	if ((st = dmarc__growbuf_reserve(b, n)) != DMARC_OK)
		return st;
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return DMARC_OK;
}

dmarc_status dmarc__growbuf_append_byte(struct growbuf *b, unsigned char c)
{
	dmarc_status st;

	if (b->len == b->size && (st = dmarc__growbuf_reserve(b, 1)) != DMARC_OK)
		return st;
	b->data[b->len++] = (char)c;
	return DMARC_OK;
}

dmarc_status dmarc__growbuf_terminate(struct growbuf *b)
{
	dmarc_status st;

	if ((st = dmarc__growbuf_reserve(b, 1)) != DMARC_OK)
		return st;
	b->data[b->len] = '\0';
	return DMARC_OK;
}
