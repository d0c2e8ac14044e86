/*
 * libdmarc - the base64 filter (base64_sink.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "base64_sink.h"

/* Whole lines of output (76 characters and CRLF) gathered at most. */
#define BASE64_LINES 64u
#define BASE64_BUFFER (BASE64_LINES * (DMARC__BASE64_LINE + 2))

struct dmarc__base64 {
	const dmarc_ctx *ctx;
	struct dmarc__sink next;
	dmarc_status status; /* the first failure, then returned */
	bool finished;
	unsigned char carry[3]; /* input bytes short of a 24-bit group */
	size_t n_carry;
	size_t line;            /* characters on the current line */
	size_t used;            /* bytes in out */
	uint64_t bytes_out;
	char out[BASE64_BUFFER];
};

/* RFC 2045 section 6.8, Table 1. */
static const char alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

dmarc_status dmarc__base64_new(struct dmarc__base64 **out,
    const dmarc_ctx *ctx, struct dmarc__sink next)
{
	struct dmarc__base64 *b;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || next.fn == NULL)
		return DMARC_EINVAL;
	b = dmarc__alloc(ctx, sizeof *b);
	if (b == NULL)
		return DMARC_ENOMEM;
	memset(b, 0, offsetof(struct dmarc__base64, out));
	b->ctx = ctx;
	b->next = next;
	b->status = DMARC_OK;
	*out = b;
	return DMARC_OK;
}

void dmarc__base64_free(struct dmarc__base64 *b)
{
	if (b != NULL)
		dmarc__free(b->ctx, b);
}

static void flush(struct dmarc__base64 *b)
{
	b->status = dmarc__sink_put(&b->next, b->out, b->used);
	if (b->status == DMARC_OK)
		b->bytes_out += b->used;
	b->used = 0;
}

/* Encodes one group of n (1 to 3) bytes as four characters, "="
 * standing for the missing ones, and ends the line when it is full. */
static void put_group(struct dmarc__base64 *b, const unsigned char *in,
    size_t n)
{
	uint32_t v = (uint32_t)in[0] << 16;
	char *o;

	if (b->used + 6 > sizeof b->out) /* four characters and a CRLF */
		flush(b);
	if (n > 1)
		v |= (uint32_t)in[1] << 8;
	if (n > 2)
		v |= in[2];
	o = b->out + b->used;
	o[0] = alphabet[v >> 18];
	o[1] = alphabet[(v >> 12) & 63];
	o[2] = n > 1 ? alphabet[(v >> 6) & 63] : '=';
	o[3] = n > 2 ? alphabet[v & 63] : '=';
	b->used += 4;
	b->line += 4;
	if (b->line == DMARC__BASE64_LINE) {
		memcpy(b->out + b->used, "\r\n", 2);
		b->used += 2;
		b->line = 0;
	}
}

dmarc_status dmarc__base64_write(void *self, const char *data, size_t len)
{
	struct dmarc__base64 *b = self;
	const unsigned char *in = (const unsigned char *)data;
	dmarc_status st;

	if ((st = dmarc__filter_check(b->status, b->finished)) != DMARC_OK)
		return st;
	/* complete the group the last write left short */
	while (b->n_carry > 0 && b->n_carry < 3 && len > 0) {
		b->carry[b->n_carry++] = *in++;
		len--;
	}
	if (b->n_carry == 3) {
		put_group(b, b->carry, 3);
		b->n_carry = 0;
	}
	for (; len >= 3 && b->status == DMARC_OK; in += 3, len -= 3)
		put_group(b, in, 3);
	if (b->status != DMARC_OK)
		return b->status;
	memcpy(b->carry + b->n_carry, in, len); /* 0 to 2 bytes */
	b->n_carry += len;
	return DMARC_OK;
}

dmarc_status dmarc__base64_finish(void *self)
{
	struct dmarc__base64 *b = self;
	dmarc_status st;

	if ((st = dmarc__filter_check(b->status, b->finished)) != DMARC_OK)
		return st;
	b->finished = true;
	if (b->n_carry > 0)
		put_group(b, b->carry, b->n_carry);
	if (b->status == DMARC_OK && b->line > 0) {
		memcpy(b->out + b->used, "\r\n", 2); /* put_group left room */
		b->used += 2;
		b->line = 0;
	}
	if (b->status == DMARC_OK)
		flush(b);
	return b->status;
}

struct dmarc__filter dmarc__base64_filter(struct dmarc__base64 *b)
{
	struct dmarc__filter f = { dmarc__base64_write, dmarc__base64_finish,
	    b };
	return f;
}

uint64_t dmarc__base64_bytes_out(const struct dmarc__base64 *b)
{
	return b->bytes_out;
}
