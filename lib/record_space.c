/*
 * libdmarc - white space in a policy record.  The grammar's white space
 * is WSP (SP and HTAB; RFC 9989 4.8, RFC 7489 6.4).  Records copied
 * from zone files, web pages and editors also carry line breaks (folded
 * or trailing CRLF), no-break spaces and byte order marks, which nobody
 * sees.  Read as syntax errors they would drop a tag, and a dropped p
 * reads as p=none under RFC 9989: an invisible character must not
 * lower a policy.  So, unless DMARC_PARSE_STRICT is set, the parser
 * reads them as white space wherever WSP may stand, with a warning.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "record_int.h"

/* The Unicode spaces and invisible separators read as white space, as
 * UTF-8: U+00A0, U+1680, U+2000-U+200B, U+202F, U+205F, U+2060, U+3000
 * and U+FEFF (the byte order mark). */
static size_t unicode_space_len(const unsigned char *u, size_t avail)
{
	if (avail >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (avail < 3)
		return 0;
	switch (u[0]) {
	case 0xe1:
		return u[1] == 0x9a && u[2] == 0x80 ? 3 : 0;
	case 0xe2:
		if (u[1] == 0x80)
			return (u[2] >= 0x80 && u[2] <= 0x8b) || u[2] == 0xaf ?
			    3 : 0;
		return u[1] == 0x81 && (u[2] == 0x9f || u[2] == 0xa0) ? 3 : 0;
	case 0xe3:
		return u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
	case 0xef:
		return u[1] == 0xbb && u[2] == 0xbf ? 3 : 0;
	default:
		return 0;
	}
}

/* The white space at t[i] (i < e): its length, 0 for none; *code gets
 * 0 for WSP or the warning the other kinds earn. */
static size_t space_at(const char *t, size_t i, size_t e, bool lenient,
    dmarc_diag_code *code)
{
	unsigned char c = (unsigned char)t[i];
	size_t n;

	*code = DMARC_DIAG_NONE;
	if (dmarc__is_wsp(c))
		return 1;
	if (!lenient || (c != '\r' && c != '\n' && c < 0xc2))
		return 0;
	if (c == '\r' || c == '\n') {
		*code = DMARC_DIAG_LINE_BREAK;
		return 1;
	}
	n = unicode_space_len((const unsigned char *)t + i, e - i);
	if (n != 0)
		*code = DMARC_DIAG_UNICODE_SPACE;
	return n;
}

/* The white space ending at t[e - 1] (s < e), as space_at(). */
static size_t space_before(const char *t, size_t s, size_t e, bool lenient,
    dmarc_diag_code *code)
{
	size_t n;

	if ((n = space_at(t, e - 1, e, lenient, code)) == 1)
		return 1;
	if (e - s >= 2 && space_at(t, e - 2, e, lenient, code) == 2)
		return 2;
	if (e - s >= 3 && space_at(t, e - 3, e, lenient, code) == 3)
		return 3;
	*code = DMARC_DIAG_NONE;
	return 0;
}

size_t dmarc__space_skip(const char *t, size_t i, size_t e, bool lenient)
{
	dmarc_diag_code code;
	size_t n;

	while (i < e && (n = space_at(t, i, e, lenient, &code)) != 0)
		i += n;
	return i;
}

size_t dmarc__space_trim(const char *t, size_t s, size_t e, bool lenient)
{
	dmarc_diag_code code;
	size_t n;

	while (e > s && (n = space_before(t, s, e, lenient, &code)) != 0)
		e -= n;
	return e;
}

/* Adjacent characters of one kind make one warning. */
struct space_run {
	dmarc_diag_code code;
	size_t off, len;
};

static void run_flush(struct parse_state *st, struct space_run *r)
{
	if (r->len != 0)
		dmarc__diag_add(st, r->code, DMARC_SEVERITY_WARNING, r->off,
		    r->len);
	r->len = 0;
}

static void run_add(struct parse_state *st, struct space_run *r,
    dmarc_diag_code code, size_t off, size_t n)
{
	if (code == 0)
		return;
	if (r->len != 0 && r->code == code && (r->off + r->len == off ||
	    off + n == r->off)) {
		r->len += n;
		if (off < r->off)
			r->off = off;
		return;
	}
	run_flush(st, r);
	r->code = code;
	r->off = off;
	r->len = n;
}

static bool lenient(const struct parse_state *st)
{
	return (st->options & DMARC_PARSE_STRICT) == 0;
}

size_t dmarc__skip_space(struct parse_state *st, size_t i, size_t e)
{
	struct space_run r = { DMARC_DIAG_NONE, 0, 0 };
	dmarc_diag_code code;
	size_t n;

	while (i < e && (n = space_at(st->text, i, e, lenient(st), &code)) != 0) {
		run_add(st, &r, code, i, n);
		i += n;
	}
	run_flush(st, &r);
	return i;
}

size_t dmarc__trim_space(struct parse_state *st, size_t s, size_t e)
{
	struct space_run r = { DMARC_DIAG_NONE, 0, 0 };
	dmarc_diag_code code;
	size_t n;

	while (e > s && (n = space_before(st->text, s, e, lenient(st),
	    &code)) != 0) {
		e -= n;
		run_add(st, &r, code, e, n);
	}
	run_flush(st, &r);
	return e;
}

void dmarc__warn_space(struct parse_state *st, size_t i, size_t e)
{
	struct space_run r = { DMARC_DIAG_NONE, 0, 0 };
	dmarc_diag_code code;
	size_t n;

	while (i < e) {
		n = space_at(st->text, i, e, lenient(st), &code);
		run_add(st, &r, code, i, n);
		i += n != 0 ? n : 1;
	}
	run_flush(st, &r);
}
