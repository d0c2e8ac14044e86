/*
 * libdmarc - the RFC 5322 lexer (rfc5322.h): one loop for comments,
 * quoted strings and domain literals, nesting counted rather than
 * recursed, every read bounded by the cursor.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "rfc5322.h"

static bool fail(struct rfc5322 *lx, enum rfc5322_error_code code,
    const unsigned char *at)
{
	lx->error = code;
	lx->error_offset = (size_t)(at - lx->c.start);
	return false;
}

/* Whether a backslash may quote b: VCHAR, WSP and 8-bit bytes
 * (quoted-pair, 3.2.1), or anything under obs-qp (4.1). */
static bool quotable(const struct rfc5322 *lx, unsigned char b)
{
	return !rfc5322_is_ctl(b) || (lx->options & RFC5322_OBS_QP) != 0;
}

/* A comment, quoted string or domain literal from its opening byte at
 * the position to its closing one: quoted-pairs, folding and 8-bit
 * bytes inside, no control; only comments nest, and a literal may not
 * hold a '['.  Unterminated is an error at the opening byte. */
static bool scan_delimited(struct rfc5322 *lx, unsigned char close)
{
	struct cursor *c = &lx->c;
	const unsigned char *open = c->pos;
	unsigned int depth = 1;
	size_t n;

	cursor_advance(c, 1);
	while (!cursor_eof(c)) {
		unsigned char b = *c->pos;

		if (b == close) {
			cursor_advance(c, 1);
			if (--depth == 0)
				return true;
		} else if (b == '(' && close == ')') {
			if (++depth > RFC5322_MAX_COMMENT_DEPTH)
				return fail(lx, RFC5322_EDEPTH, c->pos);
			cursor_advance(c, 1);
		} else if (b == '\\') {
			if (cursor_left(c) < 2)
				break;
			if (!quotable(lx, c->pos[1]))
				return fail(lx, RFC5322_EBYTE, c->pos + 1);
			cursor_advance(c, 2);
		} else if ((n = rfc5322_fws_len(c)) != 0) {
			cursor_advance(c, n);
		} else if (rfc5322_is_ctl(b) || (close == ']' && b == '[')) {
			return fail(lx, RFC5322_EBYTE, c->pos);
		} else {
			cursor_advance(c, 1);
		}
	}
	return fail(lx, RFC5322_EUNTERMINATED, open);
}

bool dmarc__rfc5322_comment(struct rfc5322 *lx)
{
	return scan_delimited(lx, ')');
}

bool dmarc__rfc5322_quoted_string(struct rfc5322 *lx)
{
	return scan_delimited(lx, '"');
}

bool dmarc__rfc5322_domain_literal(struct rfc5322 *lx)
{
	return scan_delimited(lx, ']');
}

static bool may_start_cfws(unsigned char b)
{
	return b == ' ' || b == '\t' || b == '(' || b == '\r' || b == '\n';
}

/* [CFWS], the white space first as it is the common case; a line break
 * is folding only when white space follows it. */
static bool skip_cfws(struct rfc5322 *lx)
{
	struct cursor *c = &lx->c;

	while (!cursor_eof(c)) {
		unsigned char b = *c->pos;
		size_t n;

		if (b == ' ' || b == '\t')
			c->pos++;
		else if (b == '(') {
			if (!scan_delimited(lx, ')'))
				return false;
		} else if ((b == '\r' || b == '\n') &&
		    (n = rfc5322_fws_len(c)) != 0)
			cursor_advance(c, n);
		else
			break;
	}
	return true;
}

bool dmarc__rfc5322_skip_cfws(struct rfc5322 *lx)
{
	return skip_cfws(lx);
}

size_t dmarc__rfc5322_dot_atom(struct rfc5322 *lx)
{
	const unsigned char *from = lx->c.pos, *dot;

	if (rfc5322_atom(lx) == 0)
		return 0;
	for (;;) {
		dot = lx->c.pos;
		if (!cursor_accept(&lx->c, '.') || rfc5322_atom(lx) == 0)
			break;
	}
	lx->c.pos = dot;
	return (size_t)(dot - from);
}

bool dmarc__rfc5322_next_token(struct rfc5322 *lx, uint64_t specials,
    struct rfc5322_token *tok)
{
	struct cursor *c = &lx->c;
	unsigned char b;

	/* most tokens follow another directly: no call for no CFWS */
	if (!cursor_eof(c) && may_start_cfws(*c->pos) && !skip_cfws(lx))
		return false;
	tok->start = cursor_offset(c);
	if (cursor_eof(c)) {
		tok->type = RFC5322_T_END;
	} else if (rfc5322_is_atext(b = *c->pos)) {
		tok->type = RFC5322_T_ATOM;
		(void)rfc5322_atom(lx);
	} else if (b == '"' || b == '[') {
		tok->type = b == '"' ? RFC5322_T_QUOTED : RFC5322_T_LITERAL;
		if (!scan_delimited(lx, b == '"' ? '"' : ']'))
			return false;
	} else if (b >= 0x20 && b < 0x60 &&
	    ((specials >> (b - 0x20)) & 1u) != 0) {
		tok->type = RFC5322_T_SPECIAL;
		tok->special = b;
		c->pos++;
	} else {
		return fail(lx, RFC5322_EBYTE, c->pos);
	}
	tok->end = cursor_offset(c);
	return true;
}

/* ---- header sections ---- */

/* RFC 5322 3.6.8 ftext: printable US-ASCII but ':'. */
static bool is_ftext(unsigned char b)
{
	return b > 0x20 && b < 0x7f && b != ':';
}

/* Bytes of the line break at the position (CRLF or LF), 0 if none. */
static size_t line_break_len(const struct cursor *c)
{
	int b = cursor_peek(c);

	if (b == '\n')
		return 1;
	return b == '\r' && cursor_peek_at(c, 1) == '\n' ? 2 : 0;
}

/* Moves past the value of a field to the line break that ends it (or to
 * the end): a line break followed by a WSP is a fold, part of it. */
static void skip_value(struct cursor *c)
{
	while (!cursor_eof(c)) {
		size_t n = line_break_len(c);
		int next;

		if (n == 0) {
			cursor_advance(c, 1);
			continue;
		}
		next = cursor_peek_at(c, n);
		if (next != ' ' && next != '\t')
			return;
		cursor_advance(c, n + 1);
	}
}

enum rfc5322_field_result dmarc__rfc5322_next_field(struct rfc5322 *lx,
    struct rfc5322_field *field)
{
	struct cursor *c = &lx->c;
	size_t n = line_break_len(c);

	if (cursor_eof(c))
		return RFC5322_FIELDS_END;
	if (n != 0) {
		cursor_advance(c, n);
		return RFC5322_FIELDS_END;
	}
	field->name = cursor_offset(c);
	field->name_len = cursor_skip_while(c, is_ftext);
	if (field->name_len != 0)
		while (cursor_is(c, ' ') || cursor_is(c, '\t'))
			cursor_advance(c, 1);
	if (field->name_len == 0 || !cursor_accept(c, ':')) {
		(void)fail(lx, RFC5322_EFIELD, c->pos);
		return RFC5322_FIELD_ERROR;
	}
	field->value = cursor_offset(c);
	skip_value(c);
	field->value_len = cursor_offset(c) - field->value;
	cursor_advance(c, line_break_len(c));
	return RFC5322_FIELD;
}

size_t dmarc__rfc5322_unfold(char *dst, const char *src, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		size_t n = src[i] == '\n' ? 1 : src[i] == '\r' &&
		    i + 1 < len && src[i + 1] == '\n' ? 2 : 0;

		if (n != 0 && i + n < len &&
		    (src[i + n] == ' ' || src[i + n] == '\t')) {
			i += n;
			continue;
		}
		dst[o++] = src[i++];
	}
	return o;
}

size_t dmarc__rfc5322_unquote(char *dst, const char *src, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char b = src[i];

		if (b == '"' || b == '\r' || b == '\n')
			continue;
		if (b == '\\' && i + 1 < len)
			b = src[++i];
		dst[o++] = b;
	}
	return o;
}
