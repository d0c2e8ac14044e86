/*
 * libdmarc - rua/ruf URI lists (RFC 9989 4.7-4.8, RFC 7489 6.2 and 6.4):
 * splitting, RFC 3986 syntax, mailto addresses, the !size suffix, and the
 * URI getters.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "record_int.h"
#include "uri_fast.h"

/* Character classes of each byte.  C_URI is what RFC 3986 allows in a URI
 * outside percent-encoding, less ',', '!' and ';', which DMARC uses as
 * list separator, size suffix and tag separator; C_DOMAIN is letter,
 * digit, '-' and '.'; C_LOCAL is C_URI less '@', '?', '#' and the '/',
 * '[' and ']' RFC 6068 2 wants percent-encoded in an address: what the
 * fast path takes for a mailto local part.  Generated. */
const unsigned char dmarc__uri_classes[256] = {
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  2, 18,  0, 18, 18, 18, 18, 18, 19,  0, 27, 27,  2,
	31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 18,  0,  0, 18,  0,  2,
	 2, 31, 31, 31, 31, 31, 31, 27, 27, 27, 27, 27, 27, 27, 27, 27,
	27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27,  2,  0,  2,  0, 18,
	 0, 31, 31, 31, 31, 31, 31, 27, 27, 27, 27, 27, 27, 27, 27, 27,
	27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27,  0,  0,  0, 18,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
};

static unsigned int hex_value(unsigned char c)
{
	return dmarc__is_digit(c) ? (unsigned int)(c - '0')
	    : (unsigned int)((c | 0x20) - 'a' + 10);
}

static void uri_diag(struct parse_state *st, dmarc_diag_code code,
    size_t off, size_t len)
{
	dmarc__diag_add(st, code, DMARC_SEVERITY_ERROR, off, len);
}

/* Two hex digits at t[i], t[i + 1] (both before e): their value, or -1. */
static int pct_byte(const char *t, size_t i, size_t e)
{
	if (e - i < 2 || !(uri_class((unsigned char)t[i]) & C_HEX) ||
	    !(uri_class((unsigned char)t[i + 1]) & C_HEX))
		return -1;
	return (int)(hex_value((unsigned char)t[i]) * 16u +
	    hex_value((unsigned char)t[i + 1]));
}

/* What one pass over a URI body finds. */
struct body_scan {
	size_t bad;        /* offset of the first invalid byte, or e */
	size_t addr_end;   /* first '?' or '#', or e */
	size_t n_pct;      /* percent-encodings before addr_end */
};

/* One pass over [s, e): RFC 3986 characters, and where a mailto address
 * (which ends at '?' or '#') ends on the way. */
static void scan_body(const char *t, size_t s, size_t e, struct body_scan *b)
{
	size_t i;

	b->addr_end = e;
	b->n_pct = 0;
	for (i = s; i < e; i++) {
		unsigned char c = (unsigned char)t[i];
		unsigned char k = uri_class(c);
		if (k & C_DOMAIN)
			continue;
		if (c == '%') {
			if (pct_byte(t, i + 1, e) < 0)
				break;
			b->n_pct += b->addr_end == e;
			i += 2;
		} else if (!(k & C_URI)) {
			break;
		} else if ((c == '?' || c == '#') && b->addr_end == e) {
			b->addr_end = i;
		}
	}
	b->bad = i;
}

/* 1*DIGIT [k/m/g/t], saturating at 2^64-1. */
static bool parse_size(const char *t, size_t s, size_t e, uint64_t *out)
{
	static const char units[] = "kmgt";
	uint64_t n = 0;
	unsigned int shift = 0;
	const char *u;
	size_t i;

	if (e > s && !dmarc__is_digit((unsigned char)t[e - 1])) {
		u = strchr(units, dmarc__lower((unsigned char)t[e - 1]));
		if (u == NULL || *u == '\0')
			return false;
		shift = 10u * (unsigned int)(u - units + 1);
		e--;
	}
	if (s == e)
		return false;
	for (i = s; i < e; i++) {
		unsigned int d = (unsigned int)(t[i] - '0');
		if (d > 9)
			return false;
		n = n > (UINT64_MAX - d) / 10u ? UINT64_MAX : n * 10u + d;
	}
	*out = n > (UINT64_MAX >> shift) ? UINT64_MAX : n << shift;
	return true;
}

/* The !size suffix in [s, e) (after the '!'); false drops the URI. */
static bool apply_size(struct parse_state *st, struct uri_span *u, size_t s,
    size_t e)
{
	bool bis = st->mode == DMARC_MODE_RFC9989;
	uint64_t size;

	/* RFC 9989 4.8 keeps the suffix in its grammar (obs-dmarc-uri), so a
	 * malformed one is a syntax error there too, not an obsolete size */
	if (!parse_size(st->text, s, e, &size)) {
		dmarc__diag_add(st, DMARC_DIAG_BAD_SIZE, DMARC_SEVERITY_ERROR,
		    s - 1, e - s + 1);
		return false;
	}
	u->flags |= DMARC_URI_HAS_SIZE;
	if (bis) {
		dmarc__diag_add(st, DMARC_DIAG_SIZE_OBSOLETE,
		    DMARC_SEVERITY_WARNING, s - 1, e - s + 1);
		u->flags |= DMARC_URI_SIZE_OBSOLETE;
	} else {
		u->size_limit = size;
	}
	return true;
}

/* "mailto" in any case.  OR-ing 0x20 folds only letters onto these
 * lower-case letters, so no other byte can match. */
static bool is_mailto(const char *scheme, size_t len)
{
	const unsigned char *s = (const unsigned char *)scheme;
	uint32_t head, tail;

	if (len != 6)
		return false;
	/* assembled byte by byte, so it does not depend on endianness */
	head = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 |
	    (uint32_t)s[3] << 24;
	tail = (uint32_t)s[4] | (uint32_t)s[5] << 8;
	return (head | 0x20202020u) == ((uint32_t)'m' | (uint32_t)'a' << 8 |
	    (uint32_t)'i' << 16 | (uint32_t)'l' << 24) &&
	    (tail | 0x2020u) == ((uint32_t)'t' | (uint32_t)'o' << 8);
}

/* The local part of a mailto address, one decoded byte at a time: a
 * '"' opens or closes a quoted string, where '\\' escapes the next byte
 * and '@' is text (RFC 5322 3.4.1).  Returns true at the unquoted '@'. */
struct local_check {
	size_t len;
	bool quoted, escaped;
};

static bool local_byte(struct local_check *l, unsigned char c)
{
	if (l->escaped)
		l->escaped = false;
	else if (l->quoted && c == '\\')
		l->escaped = true;
	else if (c == '"')
		l->quoted = !l->quoted;
	else if (c == '@' && !l->quoted)
		return true;
	l->len++;
	return false;
}

/* A mailto address in [s, end): one RFC 5322 addr-spec, printable (RFC
 * 6532 UTF-8 allowed), with exactly one unquoted '@' and a host name
 * after it; '/', '[' and ']' must be percent-encoded (RFC 6068 2), so a
 * "mailto://" is refused.  Percent-encodings are read decoded. */
static bool mailto_ok(const char *t, size_t s, size_t end)
{
	struct local_check l = { 0, false, false };
	struct host_check h = HOST_CHECK_INIT;
	bool in_host = false;
	size_t i;

	for (i = s; i < end; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '/' || c == '[' || c == ']')
			return false;
		if (c == '%') {
			c = (unsigned char)pct_byte(t, i + 1, end);
			i += 2;
		}
		if (c <= 0x20 || c == 0x7f)
			return false;
		if (in_host)
			host_byte(&h, c);
		else if (local_byte(&l, c))
			in_host = true;
	}
	return in_host && l.len > 0 && !l.quoted && host_done(&h);
}

/* scheme ":" body, with a mailto address checked; false drops it.  The
 * body ends at e or at a '!' (the size suffix): *uri_end says where. */
static bool check_uri(struct parse_state *st, struct uri_span *u, size_t s,
    size_t e, size_t *uri_end)
{
	const char *t = st->text;
	struct body_scan b;
	size_t i = s;

	if (e - s > 7 && t[s + 6] == ':' && is_mailto(t + s, 6))
		i = s + 6; /* the usual scheme, without the loop */
	while (i < e && (uri_class((unsigned char)t[i]) & C_SCHEME))
		i++;
	if (i == s || i == e || t[i] != ':' ||
	    !dmarc__is_alpha((unsigned char)t[s])) {
		uri_diag(st, DMARC_DIAG_URI_NO_SCHEME, s, e - s);
		return false;
	}
	u->scheme_len = (uint32_t)(i - s);
	scan_body(t, i + 1, e, &b);
	if (b.bad < e && t[b.bad] == '!') /* the scan stopped at the suffix */
		scan_body(t, i + 1, e = b.bad, &b);
	*uri_end = e;
	if (i + 1 == e || b.bad != e) {
		uri_diag(st, DMARC_DIAG_URI_MALFORMED, i + 1 == e ? s : b.bad,
		    i + 1 == e ? e - s : 1);
		return false;
	}
	if (!is_mailto(t + s, u->scheme_len)) {
		dmarc__diag_add(st, DMARC_DIAG_URI_UNSUPPORTED,
		    DMARC_SEVERITY_WARNING, s, u->scheme_len);
		u->flags |= DMARC_URI_UNSUPPORTED;
		return true;
	}
	if (!mailto_ok(t, i + 1, b.addr_end)) {
		uri_diag(st, DMARC_DIAG_URI_MALFORMED, i + 1, b.addr_end - i - 1);
		return false;
	}
	u->flags |= DMARC_URI_MAILTO;
	u->addr_off = (uint32_t)(i + 1);
	u->addr_len = (uint32_t)(b.addr_end - i - 1);
	u->addr_decoded_len = (uint32_t)(u->addr_len - 2 * b.n_pct);
	return true;
}

/* Bytes of the record's string pool that a URI needs besides its text
 * (which stays in the record's copy of the input); must agree with
 * build_uri() in lib/record.c. */
static inline size_t uri_pool_size(const struct uri_span *u)
{
	if (!(u->flags & DMARC_URI_MAILTO))
		return u->scheme_len + 1u;
	if (u->addr_len != u->addr_decoded_len ||
	    u->addr_off + u->addr_len != u->off + u->len)
		return u->addr_decoded_len + 1u;
	return 0;
}

static void parse_one_uri(struct parse_state *st, unsigned int list,
    size_t s, size_t e)
{
	struct uri_span *u;
	size_t uri_end;

	if (s == e) {
		uri_diag(st, DMARC_DIAG_URI_MALFORMED, s, 0);
		return;
	}
	if (st->n_uris[list] >= st->ctx->max_uris_per_list) {
		if (!st->uri_overflow[list])
			dmarc__diag_add(st, DMARC_DIAG_TOO_MANY_URIS,
			    DMARC_SEVERITY_WARNING, s, e - s);
		st->uri_overflow[list] = true;
		return;
	}
	if (e - s > st->ctx->max_uri_length) {
		uri_diag(st, DMARC_DIAG_URI_TOO_LONG, s, e - s);
		return;
	}
	u = &st->uris[list][st->n_uris[list]];
	u->flags = 0;
	u->size_limit = 0;
	u->addr_off = u->addr_len = u->addr_decoded_len = 0;
	if (!check_uri(st, u, s, e, &uri_end))
		return;
	if (uri_end != e && !apply_size(st, u, uri_end + 1, e))
		return;
	u->off = (uint32_t)s;
	u->len = (uint32_t)(uri_end - s);
	st->pool += uri_pool_size(u);
	st->n_uris[list]++;
}

bool dmarc__parse_uri_list(struct parse_state *st, unsigned int list,
    size_t vs, size_t ve)
{
	const char *t = st->text;
	size_t s = vs;

	if (vs == ve) {
		dmarc__diag_add(st, DMARC_DIAG_BAD_VALUE, DMARC_SEVERITY_ERROR,
		    vs, 0);
		return false;
	}
	for (;;) {
		const char *comma = memchr(t + s, ',', ve - s);
		size_t e = comma != NULL ? (size_t)(comma - t) : ve;
		size_t next = e;
		s = dmarc__skip_space(st, s, e);
		e = dmarc__trim_space(st, s, e);
		parse_one_uri(st, list, s, e);
		if (comma == NULL)
			break;
		s = next + 1;
	}
	return st->n_uris[list] > 0;
}

size_t dmarc__percent_decode(char *out, const char *in, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (in[i] == '%' && n - i > 2) {
			out[o++] = (char)(hex_value((unsigned char)in[i + 1]) * 16u +
			    hex_value((unsigned char)in[i + 2]));
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	return o;
}

DMARC_EXPORT const char *dmarc_uri_get_text(const dmarc_uri *uri)
{
	return uri != NULL ? uri->text : NULL;
}

DMARC_EXPORT const char *dmarc_uri_get_scheme(const dmarc_uri *uri)
{
	return uri != NULL ? uri->scheme : NULL;
}

DMARC_EXPORT const char *dmarc_uri_get_address(const dmarc_uri *uri)
{
	return uri != NULL ? uri->address : NULL;
}

DMARC_EXPORT uint64_t dmarc_uri_get_size_limit(const dmarc_uri *uri)
{
	return uri != NULL ? uri->size_limit : 0;
}

DMARC_EXPORT unsigned int dmarc_uri_get_flags(const dmarc_uri *uri)
{
	return uri != NULL ? uri->flags : 0u;
}
