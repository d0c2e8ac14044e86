/*
 * libdmarc - the RFC 5322 lexer, on a bounded cursor: folding white
 * space, comments (nesting capped), quoted strings, domain literals,
 * atoms, dot-atoms, RFC 2045 tokens, a one-token lexer with the caller's
 * choice of specials, and the header-section helpers (split a section
 * into fields, unfold a value, unquote a value).  Shared by the From and
 * Authentication-Results parsers (and by MIME and ARF to come).  Never
 * installed.
 *
 * Choices every parser gets alike:
 * - a line break in folding is CRLF or a bare LF (fields read from Unix
 *   mailboxes), and folding needs white space after it (RFC 5322 3.2.2;
 *   obs-FWS, lines of only white space, is the same loop);
 * - controls other than HTAB are refused everywhere, a lone CR too;
 * - bytes >= 0x80 are text in atoms, tokens, comments, quoted strings
 *   and literals, without a UTF-8 check (RFC 6532; Latin-1 display names
 *   are common);
 * - errors are byte offsets from the cursor's start: the byte that does
 *   not fit, the opening byte of what is unterminated, the '(' too deep.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_RFC5322_H
#define DMARC_RFC5322_H

#include "cursor.h"
#include "internal.h"

/* Deepest comment nesting: bounds the work per '(' without recursion. */
#define RFC5322_MAX_COMMENT_DEPTH 32u

/* Options of a lexer. */
enum {
	/* RFC 5322 4.1 obs-qp: a backslash may quote any byte, NUL, CR, LF
	 * and the other controls included */
	RFC5322_OBS_QP = 1u
};

enum rfc5322_error_code {
	RFC5322_OK = 0,
	RFC5322_EBYTE,          /* a byte the grammar does not allow here */
	RFC5322_EUNTERMINATED,  /* a comment, quoted string or literal
	                           without its end: at its opening byte */
	RFC5322_EDEPTH,         /* a comment nested too deep: at its '(' */
	RFC5322_EFIELD          /* a header line that is not a field: at
	                           the byte where the name should end */
};

struct rfc5322 {
	struct cursor c;
	unsigned int options;
	enum rfc5322_error_code error;
	size_t error_offset;    /* from the start of the input */
};

/* What the one-token lexer returns. */
enum rfc5322_token_type {
	RFC5322_T_END,          /* no more input */
	RFC5322_T_ATOM,         /* 1*atext */
	RFC5322_T_QUOTED,       /* quoted-string, quotes included */
	RFC5322_T_LITERAL,      /* domain-literal, brackets included */
	RFC5322_T_SPECIAL       /* one of the caller's specials */
};

struct rfc5322_token {
	enum rfc5322_token_type type;
	unsigned char special;  /* the byte of a RFC5322_T_SPECIAL */
	size_t start, end;      /* [start, end) from the input's start */
};

/* A set of specials for dmarc__rfc5322_next_token: the bits
 * RFC5322_SPECIAL(c) of the characters (all between 0x20 and 0x5f). */
#define RFC5322_SPECIAL(c) ((uint64_t)1 << ((unsigned char)(c) - 0x20u))

/* One header field: the name (without the colon, nor the white space
 * obs-optional allows before it) and the raw value (after the colon, up
 * to the line break that ends the field; folds kept). */
struct rfc5322_field {
	size_t name, name_len;
	size_t value, value_len;
};

enum rfc5322_field_result {
	RFC5322_FIELD,          /* *field is the next field */
	RFC5322_FIELDS_END,     /* the header section ended */
	RFC5322_FIELD_ERROR     /* malformed: see the lexer's error */
};

static inline void rfc5322_init(struct rfc5322 *lx, const void *data,
    size_t len, unsigned int options)
{
	cursor_init(&lx->c, data, len);
	lx->options = options;
	lx->error = RFC5322_OK;
	lx->error_offset = 0;
}

/* Controls other than HTAB (RFC 5322 text excludes them). */
static inline bool rfc5322_is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* atext, with RFC 6532's bytes >= 0x80 (RFC 5322 3.2.3). */
static inline bool rfc5322_is_atext(unsigned char c)
{
	return (dmarc__ctype[c] & DMARC_CT_ATEXT) != 0;
}

/* RFC 2045 5.1 tspecials. */
static inline bool rfc5322_is_tspecial(unsigned char c)
{
	const uint64_t tspecials = RFC5322_SPECIAL('(') | RFC5322_SPECIAL(')') |
	    RFC5322_SPECIAL('<') | RFC5322_SPECIAL('>') | RFC5322_SPECIAL('@') |
	    RFC5322_SPECIAL(',') | RFC5322_SPECIAL(';') | RFC5322_SPECIAL(':') |
	    RFC5322_SPECIAL('\\') | RFC5322_SPECIAL('"') | RFC5322_SPECIAL('/') |
	    RFC5322_SPECIAL('[') | RFC5322_SPECIAL(']') | RFC5322_SPECIAL('?') |
	    RFC5322_SPECIAL('=');

	return c >= 0x20 && c < 0x60 && ((tspecials >> (c - 0x20)) & 1u) != 0;
}

/* RFC 2045 5.1 token characters (RFC 8601 value), and bytes >= 0x80. */
static inline bool rfc5322_is_token(unsigned char c)
{
	return c >= 0x80 || (c > 0x20 && c != 0x7f && !rfc5322_is_tspecial(c));
}

/* Bytes of one piece of folding white space at the position: a WSP, or a
 * line break (CRLF or LF) followed by a WSP, which is left for the next
 * call; 0 if none. */
static inline size_t rfc5322_fws_len(const struct cursor *c)
{
	int b = cursor_peek(c);
	size_t n;

	if (b == ' ' || b == '\t')
		return 1;
	n = b == '\r' && cursor_peek_at(c, 1) == '\n' ? 2 : b == '\n' ? 1 : 0;
	b = n != 0 ? cursor_peek_at(c, n) : -1;
	return b == ' ' || b == '\t' ? n : 0;
}

/* [FWS]: consumes folding white space; whether there was any. */
static inline bool rfc5322_skip_fws(struct rfc5322 *lx)
{
	const unsigned char *from = lx->c.pos;
	size_t n;

	while ((n = rfc5322_fws_len(&lx->c)) != 0)
		cursor_advance(&lx->c, n);
	return lx->c.pos != from;
}

/* 1*atext at the position; its length, 0 if none. */
static inline size_t rfc5322_atom(struct rfc5322 *lx)
{
	return cursor_skip_while(&lx->c, rfc5322_is_atext);
}

/* An RFC 2045 token at the position; its length, 0 if none. */
static inline size_t rfc5322_token(struct rfc5322 *lx)
{
	return cursor_skip_while(&lx->c, rfc5322_is_token);
}

/* [CFWS]: white space, folds and comments, in any order. */
bool dmarc__rfc5322_skip_cfws(struct rfc5322 *lx);
/* At '(': a comment, nested ones included (3.2.2). */
bool dmarc__rfc5322_comment(struct rfc5322 *lx);
/* At '"': a quoted-string up to its closing quote (3.2.4). */
bool dmarc__rfc5322_quoted_string(struct rfc5322 *lx);
/* At '[': a domain-literal up to its ']' (3.4.1, obs-dtext of 4.4). */
bool dmarc__rfc5322_domain_literal(struct rfc5322 *lx);
/* dot-atom-text at the position (3.2.3): atoms joined by single dots;
 * a dot that no atom follows is left.  Its length, 0 if none. */
size_t dmarc__rfc5322_dot_atom(struct rfc5322 *lx);

/* After [CFWS], the next token: an atom, a quoted string, a domain
 * literal, or one of specials (a set of RFC5322_SPECIAL bits), else an
 * RFC5322_EBYTE error at the byte.  At the end, RFC5322_T_END. */
bool dmarc__rfc5322_next_token(struct rfc5322 *lx, uint64_t specials,
    struct rfc5322_token *tok);

/* The next field of a header section at the position (RFC 5322 2.2,
 * 3.6.8; 4.5.8 white space before the colon), the cursor left after the
 * line break that ends it.  RFC5322_FIELDS_END at an empty line (then
 * consumed, the cursor at the body) or at the end of the input.  A lone
 * CR, a NUL or 8-bit bytes in a value are left for the value's parser. */
enum rfc5322_field_result dmarc__rfc5322_next_field(struct rfc5322 *lx,
    struct rfc5322_field *field);

/* Unfolds len bytes of src into dst (which may be src): every line break
 * (CRLF or LF) followed by a WSP is removed (2.2.3).  Returns the length
 * written, at most len. */
size_t dmarc__rfc5322_unfold(char *dst, const char *src, size_t len);

/* The content of a lexed value (quoted strings, folds and text mixed)
 * into dst (which may be src): without the quotes, the backslashes of
 * quoted-pairs, and the line breaks of folds (3.2.4: none of them is
 * part of the value).  Returns the length written, at most len. */
size_t dmarc__rfc5322_unquote(char *dst, const char *src, size_t len);

#endif /* DMARC_RFC5322_H */
