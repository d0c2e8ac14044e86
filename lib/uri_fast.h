/*
 * libdmarc - the record parser's fast path for rua and ruf: plain
 * "mailto:local@domain" URIs separated by ',' (no white space,
 * percent-encoding, query or size suffix), read inline by
 * lib/record_fast.c.  Anything else is left to the general reader in
 * lib/uri.c, whose character classes this shares.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_URI_FAST_H
#define DMARC_URI_FAST_H

#include <string.h>

#include "name_plain.h"
#include "record_int.h"

/* Character classes of URI bytes (table in lib/uri.c). */
enum { C_SCHEME = 1, C_URI = 2, C_HEX = 4, C_DOMAIN = 8, C_LOCAL = 16 };
extern const unsigned char dmarc__uri_classes[256];

static inline unsigned char uri_class(unsigned char c)
{
	return dmarc__uri_classes[c];
}

/* The first byte from p on (or end) outside class k; eight at a time. */
static inline const char *span_class(const char *p, const char *end,
    unsigned char k)
{
	for (; end - p >= 8; p += 8) {
		if (!(uri_class((unsigned char)p[0]) & k))
			return p;
		if (!(uri_class((unsigned char)p[1]) & k))
			return p + 1;
		if (!(uri_class((unsigned char)p[2]) & k))
			return p + 2;
		if (!(uri_class((unsigned char)p[3]) & k))
			return p + 3;
		if (!(uri_class((unsigned char)p[4]) & k))
			return p + 4;
		if (!(uri_class((unsigned char)p[5]) & k))
			return p + 5;
		if (!(uri_class((unsigned char)p[6]) & k))
			return p + 6;
		if (!(uri_class((unsigned char)p[7]) & k))
			return p + 7;
	}
	while (p < end && (uri_class((unsigned char)*p) & k))
		p++;
	return p;
}

/* A host name, fed one (decoded) byte at a time: LDH labels (or UTF-8
 * U-label bytes), none empty, none starting or ending with '-', ASCII
 * ones at most 63 octets (RFC 1034 3.5, RFC 1123 2.1).  Both readers use
 * it, so they agree on every domain. */
struct host_check {
	size_t label;       /* bytes of the current label */
	bool ascii;         /* the current label is all ASCII */
	unsigned char last; /* its last byte */
	bool bad;
};

#define HOST_CHECK_INIT { 0, true, 0, false }

static inline void host_byte(struct host_check *h, unsigned char c)
{
	if (c == '.') {
		h->bad |= h->label == 0 || h->last == '-' ||
		    (h->ascii && h->label > 63);
		h->label = 0;
		h->ascii = true;
		return;
	}
	h->bad |= c < 0x80 && (!(uri_class(c) & C_DOMAIN) ||
	    (c == '-' && h->label == 0));
	h->ascii &= c < 0x80;
	h->label++;
	h->last = c;
}

/* The whole name was fed: true when it is a host name. */
static inline bool host_done(struct host_check *h)
{
	return !h->bad && h->label > 0 && h->last != '-' &&
	    (!h->ascii || h->label <= 63);
}

/* [p, e) holds only C_DOMAIN bytes: is it a host name?  The usual name
 * sixteen or eight bytes at a time first, inline and in place
 * (name_plain.h; what it accepts, the byte checks accept). */
static inline bool plain_host(const char *p, const char *e)
{
	struct host_check h = HOST_CHECK_INIT;

	if (dmarc__plain_name(p, (size_t)(e - p)))
		return true;
	while (p < e)
		host_byte(&h, (unsigned char)*p++);
	return host_done(&h);
}

#ifdef DMARC_PLAIN_SSE2
/* The bytes of x that are not a-z, 0-9, '-' or '.', bit k for byte k. */
static inline unsigned int plain_bad_bits(__m128i x)
{
	return ~(unsigned int)_mm_movemask_epi8(plain_vec_allowed(x)) &
	    0xffffu;
}
#endif

/* The first byte from p on (or end) that is not a-z, 0-9, '-' or '.':
 * the usual address's bytes, all of both C_LOCAL and C_DOMAIN.  Sixteen
 * at a time when the text [text, end) has sixteen bytes, the last block
 * ending at end; read inside it only. */
static inline const char *span_plain(const char *text, const char *p,
    const char *end)
{
#ifdef DMARC_PLAIN_SSE2
	unsigned int bad;

	if (end - text >= 16) {
		for (; end - p > 16; p += 16)
			if ((bad = plain_bad_bits(_mm_loadu_si128(
			    (const __m128i *)(const void *)p))) != 0)
				return p + __builtin_ctz(bad);
		/* the bytes of the last block before p out */
		bad = plain_bad_bits(_mm_loadu_si128(
		    (const __m128i *)(const void *)(end - 16))) >>
		    (16 - (end - p));
		return bad != 0 ? p + __builtin_ctz(bad) : end;
	}
#else
	(void)text;
#endif
	while (p != end && ((unsigned char)(*p - 'a') < 26u ||
	    (unsigned char)(*p - '0') < 10u || (unsigned char)(*p - '-') < 2u))
		p++;
	return p;
}

/* "mailto:" local "@" domain, nothing the general reader would have to
 * decode or complain about; returns where it ends or NULL.  The usual
 * address, lower-case letters, digits, '-' and '.', is spanned at once
 * (span_plain): when the local part then stops at its '@' and the
 * domain at the end, a ',' or a ';' (none of them C_LOCAL or
 * C_DOMAIN), span_class would have stopped there too; otherwise
 * span_class spans it again.  text is the record's (span_plain's
 * reads). */
static inline const char *plain_mailto(const char *text, const char *p,
    const char *end)
{
	const char *at;

	if (end - p < 7 || memcmp(p, "mailto:", 7) != 0)
		return NULL;
	at = span_plain(text, p += 7, end);
	if (at == end || *at != '@')
		at = span_class(p, end, C_LOCAL);
	if (at == p || at == end || *at != '@')
		return NULL;
	p = span_plain(text, at + 1, end);
	if (p != end && *p != ',' && *p != ';')
		p = span_class(at + 1, end, C_DOMAIN);
	return plain_host(at + 1, p) ? p : NULL;
}

/* The rua (list 0) or ruf value at p: where it ends (end or a ';'), or
 * NULL to give up.  The URIs go to st as the general reader would put
 * them; uri_pool_size() in lib/uri.c is 0 for each. */
static inline const char *uri_list_fast(struct parse_state *st,
    unsigned int list, const char *p, const char *end)
{
	struct uri_span *u = st->uris[list];
	size_t max_length = st->ctx->max_uri_length;
	uint32_t n = 0, max_uris = (uint32_t)st->ctx->max_uris_per_list;
	const char *e;

	for (;; p = e + 1) {
		e = plain_mailto(st->text, p, end);
		if (e == NULL || n == max_uris || (size_t)(e - p) > max_length)
			return NULL;
		u[n].off = (uint32_t)(p - st->text);
		u[n].len = (uint32_t)(e - p);
		u[n].addr_off = u[n].off + 7u;
		u[n].addr_len = u[n].addr_decoded_len = u[n].len - 7u;
		u[n].scheme_len = 6;
		u[n].flags = DMARC_URI_MAILTO;
		u[n++].size_limit = 0;
		if (e == end || *e == ';')
			break;
		if (*e != ',')
			return NULL;
	}
	st->n_uris[list] = n;
	return e;
}

#endif /* DMARC_URI_FAST_H */
