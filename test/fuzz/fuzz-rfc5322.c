/*
 * Fuzz target for the RFC 5322 lexer, its cursor and the capped growing
 * buffer.  The first byte picks the options (bit 0: obs-qp), the
 * specials of the token lexer (bits 1-2: none, From's, all of RFC 5322,
 * RFC 2045's tspecials) and the buffer's cap (64 << bits 3-5); the rest
 * is lexed three ways: as tokens to the end or the first error, as a
 * header section whose unfolded and unquoted values are appended to the
 * buffer, and as a dot-atom and a MIME token.  Every token must advance
 * and lie inside the input, every error offset too; a field's name must
 * be ftext; the buffer must hold exactly what fit under its cap.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "growbuf.h"
#include "rfc5322.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint64_t specials_sets[4] = {
	0,
	RFC5322_SPECIAL('<') | RFC5322_SPECIAL('>') | RFC5322_SPECIAL('@') |
	    RFC5322_SPECIAL(',') | RFC5322_SPECIAL(':') | RFC5322_SPECIAL(';') |
	    RFC5322_SPECIAL('.'),
	RFC5322_SPECIAL('(') | RFC5322_SPECIAL(')') | RFC5322_SPECIAL('<') |
	    RFC5322_SPECIAL('>') | RFC5322_SPECIAL('[') | RFC5322_SPECIAL(']') |
	    RFC5322_SPECIAL(':') | RFC5322_SPECIAL(';') | RFC5322_SPECIAL('@') |
	    RFC5322_SPECIAL('\\') | RFC5322_SPECIAL(',') | RFC5322_SPECIAL('.') |
	    RFC5322_SPECIAL('"'),
	RFC5322_SPECIAL('/') | RFC5322_SPECIAL('=') | RFC5322_SPECIAL('?') |
	    RFC5322_SPECIAL(';') | RFC5322_SPECIAL(':') | RFC5322_SPECIAL(','),
};

static void check_error(const struct rfc5322 *lx, size_t size)
{
	if (lx->error == RFC5322_OK || lx->error_offset > size)
		abort();
}

static void lex_tokens(const uint8_t *data, size_t size, unsigned int opt,
    uint64_t specials)
{
	struct rfc5322 lx;
	struct rfc5322_token tok;
	size_t last = 0;

	rfc5322_init(&lx, data, size, opt);
	for (;;) {
		if (!dmarc__rfc5322_next_token(&lx, specials, &tok)) {
			check_error(&lx, size);
			return;
		}
		if (tok.start < last || tok.end > size || tok.end < tok.start)
			abort();
		if (tok.type == RFC5322_T_END) {
			if (tok.start != size || tok.end != size)
				abort();
			return;
		}
		if (tok.end == tok.start)
			abort(); /* no progress */
		if (tok.type == RFC5322_T_SPECIAL &&
		    (tok.end != tok.start + 1 || data[tok.start] != tok.special))
			abort();
		last = tok.end;
	}
}

/* Appends the value unfolded and unquoted; the buffer holds what it
 * held plus the value, or (on a refusal) what it held. */
static void append_value(struct growbuf *b, const uint8_t *v, size_t len)
{
	char *copy = malloc(len + 1);
	size_t n, before = growbuf_len(b);
	dmarc_status st;

	if (copy == NULL)
		return;
	n = dmarc__rfc5322_unfold(copy, (const char *)v, len);
	if (n > len)
		abort();
	n = dmarc__rfc5322_unquote(copy, copy, n);
	st = dmarc__growbuf_append(b, copy, n);
	if (st == DMARC_OK) {
		if (growbuf_len(b) != before + n || growbuf_len(b) > b->cap ||
		    (n != 0 && memcmp(growbuf_data(b) + before, copy, n) != 0))
			abort();
	} else if (st != DMARC_EBUFFER || growbuf_len(b) != before ||
	    before + n <= b->cap) {
		abort();
	}
	free(copy);
}

static void lex_fields(const uint8_t *data, size_t size, unsigned int opt,
    struct growbuf *b)
{
	struct rfc5322 lx;
	struct rfc5322_field f;
	enum rfc5322_field_result r;
	size_t i, last = 0;

	rfc5322_init(&lx, data, size, opt);
	while ((r = dmarc__rfc5322_next_field(&lx, &f)) == RFC5322_FIELD) {
		if (f.name < last || f.name_len == 0 ||
		    f.value + f.value_len > size || f.value <= f.name ||
		    cursor_offset(&lx.c) <= last)
			abort();
		for (i = 0; i < f.name_len; i++)
			if (data[f.name + i] <= 0x20 || data[f.name + i] >= 0x7f ||
			    data[f.name + i] == ':')
				abort();
		append_value(b, data + f.value, f.value_len);
		last = cursor_offset(&lx.c);
	}
	if (r == RFC5322_FIELD_ERROR)
		check_error(&lx, size);
	else if (r != RFC5322_FIELDS_END)
		abort();
}

static void lex_words(const uint8_t *data, size_t size, unsigned int opt)
{
	struct rfc5322 lx;
	size_t n;

	rfc5322_init(&lx, data, size, opt);
	if (!dmarc__rfc5322_skip_cfws(&lx)) {
		check_error(&lx, size);
		return;
	}
	n = dmarc__rfc5322_dot_atom(&lx);
	if (n > size || cursor_offset(&lx.c) > size ||
	    (n != 0 && data[cursor_offset(&lx.c) - 1] == '.'))
		abort();
	(void)rfc5322_token(&lx);
	if (cursor_offset(&lx.c) > size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dmarc_ctx *ctx;
	struct growbuf b;
	unsigned int opt;

	if (size == 0 || dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	opt = data[0] & 1u ? RFC5322_OBS_QP : 0;
	dmarc__growbuf_init(&b, ctx, (size_t)64 << (data[0] >> 3 & 7u));
	lex_tokens(data + 1, size - 1, opt, specials_sets[data[0] >> 1 & 3u]);
	lex_fields(data + 1, size - 1, opt, &b);
	lex_words(data + 1, size - 1, opt);
	dmarc__growbuf_dispose(&b);
	dmarc_ctx_free(ctx);
	return 0;
}
