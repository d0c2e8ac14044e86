/*
 * libdmarc - the gunzip filter (gunzip.h): RFC 1952 members read as a
 * push state machine around raw inflate (decode.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "gunzip.h"

/* RFC 1952 section 2.3.1 */
#define ID1 0x1Fu
#define ID2 0x8Bu
#define CM_DEFLATE 8u
#define FHCRC 0x02u
#define FEXTRA 0x04u
#define FNAME 0x08u
#define FCOMMENT 0x10u
#define FRESERVED 0xE0u
#define HEADER_SIZE 10u  /* ID1 ID2 CM FLG MTIME(4) XFL OS */
#define TRAILER_SIZE 8u  /* CRC32 ISIZE */

enum gz_state {
	GZ_HEADER,    /* the 10 fixed bytes of a member */
	GZ_XLEN,      /* FEXTRA: its length ... */
	GZ_EXTRA,     /* ... and its bytes */
	GZ_NAME,      /* FNAME, zero-terminated */
	GZ_COMMENT,   /* FCOMMENT, zero-terminated */
	GZ_HCRC,      /* FHCRC: CRC16 of the header */
	GZ_DATA,      /* deflate data (RFC 1951) */
	GZ_TRAILER,   /* CRC32 ISIZE */
	GZ_TRAILING   /* after the last member: ignored */
};

struct dmarc__gunzip {
	struct dmarc__decode d;
	enum gz_state state;
	unsigned int flags;   /* FLG of the member's header, fields to read */
	uint32_t crc;         /* CRC-32 of the member's output */
	uint32_t hcrc;        /* CRC-32 of its header so far (FHCRC) */
	uint64_t member_in;   /* input offset of the member */
	uint64_t member_out;  /* output before the member (ISIZE) */
	uint64_t left;        /* FEXTRA bytes to skip */
	uint32_t members;     /* decoded whole */
};

dmarc_status dmarc__gunzip_new(struct dmarc__gunzip **out,
    const dmarc_ctx *ctx, struct dmarc__sink next,
    const struct dmarc__decode_limits *limits)
{
	struct dmarc__gunzip *g;
	dmarc_status st;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || next.fn == NULL)
		return DMARC_EINVAL;
	g = dmarc__alloc(ctx, sizeof *g);
	if (g == NULL)
		return DMARC_ENOMEM;
	st = dmarc__decode_init(&g->d, ctx, next, limits);
	if (st != DMARC_OK) {
		dmarc__free(ctx, g);
		return st;
	}
	g->state = GZ_HEADER;
	g->flags = 0;
	g->crc = g->hcrc = 0;
	g->member_in = g->member_out = g->left = 0;
	g->members = 0;
	*out = g;
	return DMARC_OK;
}

void dmarc__gunzip_free(struct dmarc__gunzip *g)
{
	if (g == NULL)
		return;
	dmarc__decode_dispose(&g->d);
	dmarc__free(g->d.ctx, g);
}

/* After the fixed header or an optional field: the next field the flags
 * announce, else the data (RFC 1952 section 2.3: that order). */
static void next_field(struct dmarc__gunzip *g)
{
	g->d.have = 0;
	if (g->flags & FEXTRA) {
		g->flags &= ~FEXTRA;
		g->state = GZ_XLEN;
	} else if (g->flags & FNAME) {
		g->flags &= ~FNAME;
		g->state = GZ_NAME;
	} else if (g->flags & FCOMMENT) {
		g->flags &= ~FCOMMENT;
		g->state = GZ_COMMENT;
	} else if (g->flags & FHCRC) {
		g->flags &= ~FHCRC;
		g->state = GZ_HCRC;
	} else {
		g->state = GZ_DATA;
		g->crc = 0;
		dmarc__decode_inflate_reset(&g->d);
	}
}

/* Whether the first n (<= 2) gathered bytes can begin a member. */
static bool magic_prefix(const struct dmarc__gunzip *g, size_t n)
{
	return (n < 1 || g->d.field[0] == ID1) &&
	    (n < 2 || g->d.field[1] == ID2);
}

/* The 10 fixed bytes are in field (RFC 1952 section 2.3.1). */
static dmarc_status fixed_header(struct dmarc__gunzip *g)
{
	const unsigned char *f = g->d.field;

	if (!magic_prefix(g, 2)) {
		if (g->d.part == 0)
			return dmarc__decode_fail(&g->d, DMARC__DD_BAD_MAGIC,
			    g->member_in);
		g->state = GZ_TRAILING;
		return DMARC_OK;
	}
	if (f[2] != CM_DEFLATE)
		return dmarc__decode_fail(&g->d, DMARC__DD_BAD_HEADER,
		    g->member_in + 2);
	if (f[3] & FRESERVED) /* section 2.3.1.2: MUST give an error */
		return dmarc__decode_fail(&g->d, DMARC__DD_BAD_HEADER,
		    g->member_in + 3);
	g->flags = f[3];
	g->hcrc = dmarc__decode_crc32(0, f, HEADER_SIZE);
	next_field(g);
	return DMARC_OK;
}

/* Consumes up to *left header bytes, hashed for FHCRC. */
static bool header_skip(struct dmarc__gunzip *g, const unsigned char **in,
    size_t *len, uint64_t *left)
{
	size_t n = *left < *len ? (size_t)*left : *len;

	g->hcrc = dmarc__decode_crc32(g->hcrc, *in, n);
	return dmarc__decode_skip(&g->d, in, len, left);
}

/* FNAME or FCOMMENT: bytes up to and with a zero byte. */
static void header_string(struct dmarc__gunzip *g, const unsigned char **in,
    size_t *len)
{
	const unsigned char *nul = memchr(*in, 0, *len);
	uint64_t n = nul != NULL ? (uint64_t)(nul - *in) + 1 : *len;

	header_skip(g, in, len, &n);
	if (nul != NULL)
		next_field(g);
}

/* CRC32 and ISIZE (RFC 1952 section 2.3.1): ISIZE is the size mod 2^32. */
static dmarc_status trailer(struct dmarc__gunzip *g)
{
	const unsigned char *f = g->d.field;
	uint64_t size = g->d.out - g->member_out;

	if (dmarc__le32(f) != g->crc)
		return dmarc__decode_fail(&g->d, DMARC__DD_BAD_CRC,
		    g->d.in - TRAILER_SIZE);
	if (dmarc__le32(f + 4) != (uint32_t)size)
		return dmarc__decode_fail(&g->d, DMARC__DD_BAD_SIZE,
		    g->d.in - 4);
	g->members++;
	g->d.part++;
	g->d.have = 0;
	g->member_in = g->d.in;
	g->member_out = g->d.out;
	g->state = GZ_HEADER;
	return DMARC_OK;
}

/* Runs the state machine over the input; returns at its end or a stop. */
static dmarc_status run(struct dmarc__gunzip *g, const unsigned char *in,
    size_t len)
{
	struct dmarc__decode *d = &g->d;
	bool done;

	while (len > 0 && d->status == DMARC_OK) {
		switch (g->state) {
		case GZ_HEADER:
			if (dmarc__decode_gather(d, &in, &len, HEADER_SIZE))
				fixed_header(g);
			else if (d->part > 0 && !magic_prefix(g, d->have))
				g->state = GZ_TRAILING;
			break;
		case GZ_XLEN:
			if (!dmarc__decode_gather(d, &in, &len, 2))
				break;
			g->hcrc = dmarc__decode_crc32(g->hcrc, d->field, 2);
			g->left = dmarc__le16(d->field);
			g->state = GZ_EXTRA;
			break;
		case GZ_EXTRA:
			if (header_skip(g, &in, &len, &g->left))
				next_field(g);
			break;
		case GZ_NAME:
		case GZ_COMMENT:
			header_string(g, &in, &len);
			break;
		case GZ_HCRC: /* the low 16 bits of the header's CRC-32 */
			if (!dmarc__decode_gather(d, &in, &len, 2))
				break;
			if (dmarc__le16(d->field) != (g->hcrc & 0xFFFFu))
				return dmarc__decode_fail(d,
				    DMARC__DD_BAD_HEADER, d->in - 2);
			next_field(g);
			break;
		case GZ_DATA:
			if (dmarc__decode_inflate(d, &in, &len, &done,
			    &g->crc) == DMARC_OK && done) {
				d->have = 0;
				g->state = GZ_TRAILER;
			}
			break;
		case GZ_TRAILER:
			if (dmarc__decode_gather(d, &in, &len, TRAILER_SIZE))
				trailer(g);
			break;
		case GZ_TRAILING:
			d->in += len;
			len = 0;
			break;
		}
	}
	return d->status;
}

dmarc_status dmarc__gunzip_write(void *self, const char *data, size_t len)
{
	struct dmarc__gunzip *g = self;
	dmarc_status st;

	if ((st = dmarc__decode_enter(&g->d, false)) != DMARC_OK)
		return st;
	return run(g, (const unsigned char *)data, len);
}

dmarc_status dmarc__gunzip_finish(void *self)
{
	struct dmarc__gunzip *g = self;
	struct dmarc__decode *d = &g->d;
	dmarc_status st;

	if ((st = dmarc__decode_enter(d, true)) != DMARC_OK)
		return st;
	/* after a member: a lone 1F is no member's start */
	if (g->state == GZ_HEADER && d->part > 0 && d->have == 1)
		g->state = GZ_TRAILING;
	if (g->state == GZ_TRAILING)
		dmarc__decode_warn(d, DMARC__DD_TRAILING, g->member_in,
		    d->in - g->member_in);
	else if (g->state != GZ_HEADER || d->part == 0 || d->have != 0)
		return dmarc__decode_fail(d, DMARC__DD_TRUNCATED, d->in);
	return DMARC_OK;
}

struct dmarc__filter dmarc__gunzip_filter(struct dmarc__gunzip *g)
{
	struct dmarc__filter f = { dmarc__gunzip_write, dmarc__gunzip_finish,
	    g };
	return f;
}

const struct dmarc__decode *dmarc__gunzip_decode(const struct dmarc__gunzip *g)
{
	return &g->d;
}

uint32_t dmarc__gunzip_members(const struct dmarc__gunzip *g)
{
	return g->members;
}
