/*
 * libdmarc - repairs made to received XML before expat (xml_repair.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "xml_repair.h"

enum { ST_TEXT, ST_COMMENT, ST_CDATA, ST_PI };

#define ENTITY_MAX 32u   /* "&#x10FFFF;" and the predefined names fit */

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void dmarc__xml_repair_init(struct xml_repair *r, const dmarc_ctx *ctx)
{
	memset(r, 0, sizeof *r);
	dmarc__growbuf_init(&r->join, ctx, SIZE_MAX);
	dmarc__growbuf_init(&r->out, ctx, SIZE_MAX);
	dmarc__xml_repair_reset(r);
}

void dmarc__xml_repair_dispose(struct xml_repair *r)
{
	dmarc__growbuf_dispose(&r->join);
	dmarc__growbuf_dispose(&r->out);
}

void dmarc__xml_repair_reset(struct xml_repair *r)
{
	r->state = ST_TEXT;
	r->started = false;
	r->pass = false;
	r->utf8 = true;
	r->made = 0;
	r->first_at = 0;
	r->in = 0;
	r->nhold = 0;
}

/* One pass over src: where to stop (the rest is held), and the output. */
struct pass {
	struct xml_repair *r;
	const unsigned char *s;
	size_t n;
	bool final;
	size_t i;       /* next byte to look at */
	size_t mark;    /* bytes before it not yet copied to out (dirty) */
	bool dirty;
	dmarc_status st;
};

static void repair(struct pass *p, size_t skip, const char *with,
    size_t with_len, unsigned int kind)
{
	struct xml_repair *r = p->r;

	if (!p->dirty) {
		dmarc__growbuf_clear(&r->out);
		p->dirty = true;
	}
	if (r->made == 0)
		r->first_at = r->in + p->i;
	r->made |= kind;
	if (p->st == DMARC_OK)
		p->st = dmarc__growbuf_append(&r->out, p->s + p->mark,
		    p->i - p->mark);
	if (p->st == DMARC_OK)
		p->st = dmarc__growbuf_append(&r->out, with, with_len);
	p->i += skip;
	p->mark = p->i;
}

static bool is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool starts(const struct pass *p, const char *lit)
{
	size_t n = strlen(lit);

	return p->n - p->i >= n && memcmp(p->s + p->i, lit, n) == 0;
}

/* Bytes of a UTF-8 sequence at s[0..avail): its length when valid, 0
 * when invalid, SIZE_MAX when more bytes are needed to tell. */
static size_t utf8_length(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n, k;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED) /* no surrogates */
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	for (k = 1; k < n; k++) {
		if (k >= avail)
			return SIZE_MAX;
		if (s[k] < lo || s[k] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return n;
}

/* After "&": the length of a character reference or predefined entity
 * (through ";"), 0 when it is none, SIZE_MAX when more bytes are
 * needed. */
static size_t entity_length(const unsigned char *s, size_t avail)
{
	static const char *const predefined[] = {
		"amp;", "lt;", "gt;", "quot;", "apos;"
	};
	size_t k = 1, i;

	if (avail > ENTITY_MAX)
		avail = ENTITY_MAX;
	if (k < avail && s[k] == '#') {
		bool hex = k + 1 < avail && (s[k + 1] == 'x');
		size_t digits = 0;

		k += hex ? 2 : 1;
		while (k < avail && (hex ? is_hex(s[k]) : is_digit(s[k]))) {
			k++;
			digits++;
		}
		if (k == avail)
			return avail == ENTITY_MAX ? 0 : SIZE_MAX;
		return s[k] == ';' && digits > 0 ? k + 1 : 0;
	}
	for (i = 0; i < sizeof predefined / sizeof predefined[0]; i++) {
		size_t n = strlen(predefined[i]);
		size_t m = n < avail - 1 ? n : avail - 1;

		if (memcmp(s + 1, predefined[i], m) == 0)
			return m == n ? n + 1 : SIZE_MAX;
	}
	return 0;
}

/* Checks the byte at p->i outside markup rules: a control or UTF-8.
 * False when more bytes are needed. */
static bool check_byte(struct pass *p)
{
	unsigned char c = p->s[p->i];
	size_t n;

	if (c < 0x80) {
		repair(p, 1, replacement, 3, XR_BYTES);
		return true;
	}
	n = utf8_length(p->s + p->i, p->n - p->i);
	if (n == SIZE_MAX && !p->final)
		return false;
	if (n == 0 || n == SIZE_MAX)
		repair(p, 1, replacement, 3, XR_BYTES);
	else
		p->i += n;
	return true;
}

/* "<" in text.  False when more bytes are needed. */
static bool check_lt(struct pass *p)
{
	unsigned char c1;

	if (p->i + 1 >= p->n)
		return p->final ? (repair(p, 1, "&lt;", 4, XR_LT), true) : false;
	c1 = p->s[p->i + 1];
	if (c1 == '!') {
		if (p->n - p->i < 9 && !p->final)
			return false;
		if (starts(p, "<!--")) {
			p->r->state = ST_COMMENT;
			p->i += 4;
		} else if (starts(p, "<![CDATA[")) {
			p->r->state = ST_CDATA;
			p->i += 9;
		} else {
			/* a document type declaration: expat refuses it, and
			 * its entity values must not be repaired first */
			p->r->pass = true;
			p->i = p->n;
		}
	} else if (c1 == '?') {
		p->r->state = ST_PI;
		p->i += 2;
	} else if (is_alpha(c1) || c1 == '_' || c1 == ':' || c1 == '/' ||
	    c1 >= 0x80)
		p->i++;
	else
		repair(p, 1, "&lt;", 4, XR_LT);
	return true;
}

static bool check_amp(struct pass *p)
{
	size_t n = entity_length(p->s + p->i, p->n - p->i);

	if (n == SIZE_MAX) {
		if (!p->final)
			return false;
		n = 0;
	}
	if (n == 0)
		repair(p, 1, "&amp;", 5, XR_AMP);
	else
		p->i += n;
	return true;
}

/* Bytes that need a look in text (1), and the same without those past
 * ASCII, for documents not in UTF-8 (2). */
static const unsigned char look[256] = {
	[0] = 3, 3, 3, 3, 3, 3, 3, 3, 3, ['\v'] = 3, 3, ['\x0e'] = 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	['&'] = 3, ['<'] = 3,
	[0x80] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Text and tags: false when the rest must be held. */
static bool scan_text(struct pass *p)
{
	const struct xml_repair *r = p->r;
	const unsigned char *s = p->s;
	unsigned char mask = r->utf8 ? 1 : 2;

	while (p->i < p->n && r->state == ST_TEXT) {
		unsigned char c;
		bool ok;

		size_t i = p->i, n = p->n;

		for (;;) { /* what needs no look, and tags: the usual case */
			while (i < n && !(look[s[i]] & mask))
				i++;
			if (i + 1 < n && s[i] == '<' &&
			    (is_alpha(s[i + 1]) || s[i + 1] == '/'))
				i += 2;
			else
				break;
		}
		p->i = i;
		if (i == n)
			break;
		c = s[i];
		if (c == '<')
			ok = check_lt(p);
		else if (c == '&')
			ok = check_amp(p);
		else
			ok = check_byte(p);
		if (!ok)
			return false;
	}
	return true;
}

/* Inside a comment, CDATA section or processing instruction, up to its
 * end; bytes are still checked. */
static bool scan_markup(struct pass *p)
{
	struct xml_repair *r = p->r;
	const char *end = r->state == ST_COMMENT ? "-->" :
	    r->state == ST_CDATA ? "]]>" : "?>";
	size_t end_len = strlen(end);

	while (p->i < p->n) {
		unsigned char c = p->s[p->i];

		if (c == (unsigned char)end[0]) {
			if (p->n - p->i < end_len && !p->final)
				return false;
			if (starts(p, end)) {
				p->i += end_len;
				r->state = ST_TEXT;
				return true;
			}
			p->i++;
		} else if (c < 0x20 ? (c != '\t' && c != '\n' && c != '\r') :
		    (c >= 0x80 && r->utf8)) {
			if (!check_byte(p))
				return false;
		} else
			p->i++;
	}
	return true;
}

static bool ascii_case_equal(const unsigned char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((a[i] | 0x20) != (unsigned char)(b[i] | 0x20))
			return false;
	return true;
}

/* The document's start: the byte order mark, white space before it,
 * and the declared encoding.  False when more bytes are needed. */
static bool scan_start(struct pass *p)
{
	struct xml_repair *r = p->r;
	const unsigned char *s = p->s;
	size_t k, end;

	while (p->i < p->n && (s[p->i] == ' ' || s[p->i] == '\t' ||
	    s[p->i] == '\r' || s[p->i] == '\n'))
		repair(p, 1, "", 0, XR_LEADING);
	if (p->n - p->i < 2 && !p->final)
		return false;
	if (p->n - p->i >= 2 && ((s[p->i] == 0xFE && s[p->i + 1] == 0xFF) ||
	    (s[p->i] == 0xFF && s[p->i + 1] == 0xFE) || s[p->i] == 0 ||
	    s[p->i + 1] == 0)) {
		r->pass = true; /* UTF-16: expat reads it as it is */
		r->started = true;
		return true;
	}
	if (p->n - p->i >= 3 && memcmp(s + p->i, "\xEF\xBB\xBF", 3) == 0)
		p->i += 3;
	if (p->n - p->i < 5 && !p->final)
		return false;
	if (p->n - p->i >= 5 && memcmp(s + p->i, "<?xml", 5) == 0) {
		for (end = p->i; end + 1 < p->n && end - p->i < 200; end++)
			if (s[end] == '?' && s[end + 1] == '>')
				break;
		if (end + 1 >= p->n && !p->final && p->n - p->i < 200)
			return false;
		for (k = p->i; k + 9 < end; k++)
			if (ascii_case_equal(s + k, "encoding=", 9)) {
				k += 10; /* past the quote */
				r->utf8 = (end - k >= 5 &&
				    ascii_case_equal(s + k, "utf-8", 5)) ||
				    (end - k >= 4 &&
				    ascii_case_equal(s + k, "utf8", 4)) ||
				    (end - k >= 8 &&
				    ascii_case_equal(s + k, "us-ascii", 8)) ||
				    (end - k >= 5 &&
				    ascii_case_equal(s + k, "ascii", 5));
				break;
			}
	}
	r->started = true;
	return true;
}

static void run(struct pass *p)
{
	struct xml_repair *r = p->r;
	bool ok = true;

	if (!r->started)
		ok = scan_start(p);
	while (ok && p->i < p->n && !r->pass)
		ok = r->state == ST_TEXT ? scan_text(p) : scan_markup(p);
	if (r->pass)
		p->i = p->n;
}

dmarc_status dmarc__xml_repair(struct xml_repair *r, const char *data,
    size_t len, bool final, const char **out, size_t *out_len)
{
	struct pass p = { r, (const unsigned char *)data, len, final, 0, 0,
	    false, DMARC_OK };
	dmarc_status st;

	if (r->nhold > 0) {
		dmarc__growbuf_clear(&r->join);
		st = dmarc__growbuf_append(&r->join, r->hold, r->nhold);
		if (st == DMARC_OK)
			st = dmarc__growbuf_append(&r->join, data, len);
		if (st != DMARC_OK)
			return st;
		p.s = (const unsigned char *)r->join.data;
		p.n = r->join.len;
		/* r->in is where the held bytes begin: they were never
		 * counted as consumed */
		r->nhold = 0;
	}
	run(&p);
	if (p.st != DMARC_OK)
		return p.st;
	if (p.n - p.i > XML_REPAIR_HOLD) /* cannot be: look-aheads are short */
		p.i = p.n;
	if (p.n > p.i) /* (data is NULL at a final call without bytes) */
		memcpy(r->hold, p.s + p.i, p.n - p.i);
	r->nhold = p.n - p.i;
	r->in += p.i;
	if (p.dirty) {
		st = dmarc__growbuf_append(&r->out, p.s + p.mark, p.i - p.mark);
		if (st != DMARC_OK)
			return st;
		*out = growbuf_data(&r->out);
		*out_len = growbuf_len(&r->out);
	} else {
		*out = (const char *)p.s;
		*out_len = p.i;
	}
	return DMARC_OK;
}
