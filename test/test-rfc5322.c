/*
 * The RFC 5322 lexer (lib/rfc5322.c) on its bounded cursor
 * (lib/cursor.h): folding, comments and their nesting cap, quoted
 * strings with quoted-pairs and obs-qp, domain literals, atoms,
 * dot-atoms, RFC 2045 tokens, the one-token lexer, header-section
 * splitting, unfolding and unquoting; hostile input (unterminated
 * constructs, lone CR, NUL and 8-bit bytes, huge input) with the offset
 * of every error.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "rfc5322.h"

/* ---- helpers ---- */

static struct rfc5322 lx;

static void start_len(const char *s, size_t len, unsigned int options)
{
	rfc5322_init(&lx, s, len, options);
}

static void start(const char *s)
{
	start_len(s, strlen(s), 0);
}

/* The lexer stopped at offset with no error. */
static void at(size_t offset)
{
	ck_assert_uint_eq(cursor_offset(&lx.c), offset);
	ck_assert_int_eq(lx.error, RFC5322_OK);
}

/* The lexer failed with code at offset. */
static void failed(bool ok, enum rfc5322_error_code code, size_t offset)
{
	ck_assert(!ok);
	ck_assert_int_eq(lx.error, code);
	ck_assert_uint_eq(lx.error_offset, offset);
}

typedef bool scan_fn(struct rfc5322 *lx);

/* scan takes len bytes of s under options and stops at end. */
static void lexes_len(scan_fn *scan, const char *s, size_t len,
    unsigned int options, size_t end)
{
	start_len(s, len, options);
	ck_assert(scan(&lx));
	at(end);
}

static void lexes(scan_fn *scan, const char *s, size_t end)
{
	lexes_len(scan, s, strlen(s), 0, end);
}

/* scan refuses len bytes of s under options with code at offset. */
static void refuses_len(scan_fn *scan, const char *s, size_t len,
    unsigned int options, enum rfc5322_error_code code, size_t offset)
{
	start_len(s, len, options);
	failed(scan(&lx), code, offset);
}

static void refuses(scan_fn *scan, const char *s,
    enum rfc5322_error_code code, size_t offset)
{
	refuses_len(scan, s, strlen(s), 0, code, offset);
}

/* ---- cursor ---- */

START_TEST(test_cursor_bounds)
{
	struct cursor c;

	cursor_init(&c, "abc", 3);
	ck_assert_int_eq(cursor_peek(&c), 'a');
	ck_assert_int_eq(cursor_peek_at(&c, 2), 'c');
	ck_assert_int_eq(cursor_peek_at(&c, 3), -1);
	ck_assert_int_eq(cursor_peek_at(&c, (size_t)-1), -1);
	cursor_advance(&c, 2);
	ck_assert_uint_eq(cursor_offset(&c), 2);
	ck_assert(cursor_accept(&c, 'c'));
	ck_assert(cursor_eof(&c));
	ck_assert_int_eq(cursor_peek(&c), -1);
	ck_assert(!cursor_accept(&c, '\0'));
	/* advancing or seeking past the end stops at the end */
	cursor_advance(&c, (size_t)-1);
	ck_assert_uint_eq(cursor_offset(&c), 3);
	cursor_seek(&c, 1);
	ck_assert_uint_eq(cursor_left(&c), 2);
	cursor_seek(&c, 99);
	ck_assert_uint_eq(cursor_offset(&c), 3);
	/* NULL with no length is an empty input */
	cursor_init(&c, NULL, 5);
	ck_assert(cursor_eof(&c));
	ck_assert_uint_eq(cursor_length(&c), 0);
}
END_TEST

/* ---- folding white space and comments ---- */

START_TEST(test_fws)
{
	start(" \t\r\n \n\tx");
	ck_assert(rfc5322_skip_fws(&lx));
	at(7);
	/* obs-FWS: lines of white space only */
	start(" \r\n \r\n\t x");
	ck_assert(rfc5322_skip_fws(&lx));
	at(8);
	/* a line break without white space after it is no fold */
	start(" \r\nx");
	ck_assert(rfc5322_skip_fws(&lx));
	at(1);
	start("\r\n");
	ck_assert(!rfc5322_skip_fws(&lx));
	at(0);
	/* a lone CR is never white space */
	start("\r x");
	ck_assert(!rfc5322_skip_fws(&lx));
	at(0);
}
END_TEST

START_TEST(test_cfws)
{
	scan_fn *cfws = dmarc__rfc5322_skip_cfws;

	lexes(cfws, " (a (b) \\) c)\r\n (d)x", 19);
	lexes(cfws, "(\")x", 3); /* a quote in a comment is text */
	lexes(cfws, "(a\r\n\tb)x", 7);
	lexes(cfws, "(caf\xc3\xa9 \xff)x", 9);
}
END_TEST

START_TEST(test_comment_errors)
{
	scan_fn *comment = dmarc__rfc5322_comment;

	start("x (abc");
	cursor_advance(&lx.c, 2);
	failed(dmarc__rfc5322_skip_cfws(&lx), RFC5322_EUNTERMINATED, 2);
	refuses(comment, "(a (b)", RFC5322_EUNTERMINATED, 0);
	/* a backslash that ends the input quotes nothing */
	refuses(comment, "(a\\", RFC5322_EUNTERMINATED, 0);
	/* a lone CR, a line break without white space after it */
	refuses(comment, "(a\rb)", RFC5322_EBYTE, 2);
	refuses(comment, "(a\r\nb)", RFC5322_EBYTE, 2);
	refuses(comment, "(a\nb)", RFC5322_EBYTE, 2);
	refuses(comment, "(a\x7f)", RFC5322_EBYTE, 2);
	refuses_len(comment, "(a\0b)", 5, 0, RFC5322_EBYTE, 2);
	/* a quoted control: at the control */
	refuses(comment, "(a\\\x01)", RFC5322_EBYTE, 3);
}
END_TEST

START_TEST(test_nesting_cap)
{
	char v[2 * RFC5322_MAX_COMMENT_DEPTH + 4];
	size_t i;

	/* the cap is fine, one more is an error at that '(' */
	for (i = 0; i < RFC5322_MAX_COMMENT_DEPTH; i++) {
		v[i] = '(';
		v[RFC5322_MAX_COMMENT_DEPTH + i] = ')';
	}
	lexes_len(dmarc__rfc5322_comment, v, 2 * RFC5322_MAX_COMMENT_DEPTH, 0,
	    2 * RFC5322_MAX_COMMENT_DEPTH);
	memmove(v + 1, v, 2 * RFC5322_MAX_COMMENT_DEPTH);
	v[0] = '(';
	v[2 * RFC5322_MAX_COMMENT_DEPTH + 1] = ')';
	refuses_len(dmarc__rfc5322_comment, v, 2 * RFC5322_MAX_COMMENT_DEPTH + 2,
	    0, RFC5322_EDEPTH, RFC5322_MAX_COMMENT_DEPTH);
}
END_TEST

/* ---- quoted strings, literals, atoms, tokens ---- */

START_TEST(test_quoted_string)
{
	scan_fn *qs = dmarc__rfc5322_quoted_string;

	lexes(qs, "\"a \\\" (b)\\\\\"x", 12);
	lexes(qs, "\"a\r\n b\"", 7);
	lexes(qs, "\"\xe2\x82\xac\"", 5);
	refuses(qs, "\"abc", RFC5322_EUNTERMINATED, 0);
	refuses(qs, "\"abc\\\"", RFC5322_EUNTERMINATED, 0);
	refuses(qs, "\"a\rb\"", RFC5322_EBYTE, 2);
	refuses(qs, "\"a\\\rb\"", RFC5322_EBYTE, 3);
	refuses_len(qs, "\"a\\\0\"", 5, 0, RFC5322_EBYTE, 3);
}
END_TEST

START_TEST(test_obs_qp)
{
	/* RFC 5322 4.1: under obs-qp a backslash quotes any byte */
	lexes_len(dmarc__rfc5322_quoted_string, "\"a\\\0\\\r\\\n\\\x7f\"x", 12,
	    RFC5322_OBS_QP, 11);
	lexes_len(dmarc__rfc5322_comment, "(\\\x01)", 4, RFC5322_OBS_QP, 4);
	/* an unquoted control is still refused */
	refuses_len(dmarc__rfc5322_quoted_string, "\"a\x01\"", 4,
	    RFC5322_OBS_QP, RFC5322_EBYTE, 2);
}
END_TEST

START_TEST(test_domain_literal)
{
	scan_fn *lit = dmarc__rfc5322_domain_literal;

	lexes(lit, "[192.0.2.1]x", 11);
	lexes(lit, "[a\\]b]", 6);
	refuses(lit, "[192.0.[2.1]", RFC5322_EBYTE, 7);
	refuses(lit, "[192.0.2.1", RFC5322_EUNTERMINATED, 0);
}
END_TEST

START_TEST(test_atoms)
{
	start("a!#$%&'*+-/=?^_`{|}~b c");
	ck_assert_uint_eq(rfc5322_atom(&lx), 21);
	start("caf\xc3\xa9.x");
	ck_assert_uint_eq(rfc5322_atom(&lx), 5);
	start("(a");
	ck_assert_uint_eq(rfc5322_atom(&lx), 0);
	at(0);
	start("a.b.c d");
	ck_assert_uint_eq(dmarc__rfc5322_dot_atom(&lx), 5);
	at(5);
	/* a dot no atom follows is not part of it */
	start("a.b..c");
	ck_assert_uint_eq(dmarc__rfc5322_dot_atom(&lx), 3);
	at(3);
	start("a.");
	ck_assert_uint_eq(dmarc__rfc5322_dot_atom(&lx), 1);
	at(1);
	start(".a");
	ck_assert_uint_eq(dmarc__rfc5322_dot_atom(&lx), 0);
	at(0);
}
END_TEST

START_TEST(test_mime_token)
{
	/* RFC 2045 token: atext minus tspecials, plus '.' */
	start("text.plain/x");
	ck_assert_uint_eq(rfc5322_token(&lx), 10);
	start("a=b");
	ck_assert_uint_eq(rfc5322_token(&lx), 1);
	start("\xc3\xa9t\xc3\xa9;");
	ck_assert_uint_eq(rfc5322_token(&lx), 5);
	start(" a");
	ck_assert_uint_eq(rfc5322_token(&lx), 0);
	ck_assert(!rfc5322_is_token('"'));
	ck_assert(!rfc5322_is_token('\x7f'));
	ck_assert(!rfc5322_is_token('\0'));
	ck_assert(rfc5322_is_token('.'));
	ck_assert(rfc5322_is_token('~'));
}
END_TEST

/* ---- the one-token lexer ---- */

static const uint64_t specials = RFC5322_SPECIAL('<') |
    RFC5322_SPECIAL('>') | RFC5322_SPECIAL('@') | RFC5322_SPECIAL('.');

static void token(enum rfc5322_token_type type, size_t from, size_t to)
{
	struct rfc5322_token tok;

	ck_assert(dmarc__rfc5322_next_token(&lx, specials, &tok));
	ck_assert_int_eq(tok.type, type);
	ck_assert_uint_eq(tok.start, from);
	ck_assert_uint_eq(tok.end, to);
}

START_TEST(test_tokens)
{
	struct rfc5322_token tok;

	start(" \"A B\" (c) <a.b@[1.2]>");
	token(RFC5322_T_QUOTED, 1, 6);
	token(RFC5322_T_SPECIAL, 11, 12);
	token(RFC5322_T_ATOM, 12, 13);
	token(RFC5322_T_SPECIAL, 13, 14);
	token(RFC5322_T_ATOM, 14, 15);
	token(RFC5322_T_SPECIAL, 15, 16);
	token(RFC5322_T_LITERAL, 16, 21);
	token(RFC5322_T_SPECIAL, 21, 22);
	token(RFC5322_T_END, 22, 22);
	token(RFC5322_T_END, 22, 22);
	/* a byte that starts no token, a special not asked for */
	start("a )");
	token(RFC5322_T_ATOM, 0, 1);
	failed(dmarc__rfc5322_next_token(&lx, specials, &tok), RFC5322_EBYTE,
	    2);
	start("a;");
	token(RFC5322_T_ATOM, 0, 1);
	failed(dmarc__rfc5322_next_token(&lx, specials, &tok), RFC5322_EBYTE,
	    1);
	start("a \"b");
	token(RFC5322_T_ATOM, 0, 1);
	failed(dmarc__rfc5322_next_token(&lx, specials, &tok),
	    RFC5322_EUNTERMINATED, 2);
	start_len("a\0", 2, 0);
	token(RFC5322_T_ATOM, 0, 1);
	failed(dmarc__rfc5322_next_token(&lx, specials, &tok), RFC5322_EBYTE,
	    1);
	start("\r\n");
	failed(dmarc__rfc5322_next_token(&lx, specials, &tok), RFC5322_EBYTE,
	    0);
}
END_TEST

/* ---- header sections ---- */

static void field(const char *name, const char *value)
{
	struct rfc5322_field f;

	ck_assert_int_eq(dmarc__rfc5322_next_field(&lx, &f), RFC5322_FIELD);
	ck_assert_uint_eq(f.name_len, strlen(name));
	ck_assert(memcmp(cursor_at(&lx.c, f.name), name, f.name_len) == 0);
	ck_assert_uint_eq(f.value_len, strlen(value));
	ck_assert(memcmp(cursor_at(&lx.c, f.value), value, f.value_len) == 0);
}

static void fields_end(void)
{
	struct rfc5322_field f;

	ck_assert_int_eq(dmarc__rfc5322_next_field(&lx, &f),
	    RFC5322_FIELDS_END);
}

static void field_error(size_t offset)
{
	struct rfc5322_field f;

	ck_assert_int_eq(dmarc__rfc5322_next_field(&lx, &f),
	    RFC5322_FIELD_ERROR);
	ck_assert_int_eq(lx.error, RFC5322_EFIELD);
	ck_assert_uint_eq(lx.error_offset, offset);
}

START_TEST(test_header_split)
{
	start("From: a@example.com\r\nSubject: hi\r\n there\r\n"
	    "X-Obs : v\nX-Empty:\r\n\r\nbody\r\n");
	field("From", " a@example.com");
	field("Subject", " hi\r\n there");
	field("X-Obs", " v");
	field("X-Empty", "");
	fields_end();
	ck_assert_str_eq(cursor_at(&lx.c, cursor_offset(&lx.c)), "body\r\n");
	/* no body, no final line break */
	start("A: 1\nB: 2");
	field("A", " 1");
	field("B", " 2");
	fields_end();
	fields_end();
	/* a lone CR, a NUL and 8-bit bytes stay in the value */
	start_len("A: x\ry\0\xff\r\n", 10, 0);
	{
		struct rfc5322_field f;
		ck_assert_int_eq(dmarc__rfc5322_next_field(&lx, &f),
		    RFC5322_FIELD);
		ck_assert_uint_eq(f.value, 2);
		ck_assert_uint_eq(f.value_len, 6);
		fields_end();
	}
}
END_TEST

START_TEST(test_header_errors)
{
	start(" continued: x\r\n");
	field_error(0);
	start(": x\r\n");
	field_error(0);
	start("No colon\r\n");
	field_error(3);
	start("A: 1\r\nB\xc3\xa9: 2\r\n");
	field("A", " 1");
	field_error(7);
	start("A: 1\r\nB\r\n");
	field("A", " 1");
	field_error(7);
}
END_TEST

START_TEST(test_unfold_unquote)
{
	char buf[64];
	const char *v = " a\r\n b\n\tc\r\nd\re";
	size_t n = dmarc__rfc5322_unfold(buf, v, strlen(v));

	ck_assert_uint_eq(n, 11);
	ck_assert(memcmp(buf, " a b\tc\r\nd\re", n) == 0);
	/* in place */
	strcpy(buf, "x\r\n y");
	ck_assert_uint_eq(dmarc__rfc5322_unfold(buf, buf, 5), 3);
	ck_assert(memcmp(buf, "x y", 3) == 0);
	v = "\"a \\\"b\\\\\"@x\r\n y";
	n = dmarc__rfc5322_unquote(buf, v, strlen(v));
	buf[n] = '\0';
	ck_assert_str_eq(buf, "a \"b\\@x y");
}
END_TEST

/* ---- hostile input ---- */

START_TEST(test_huge_input)
{
	size_t n = 1u << 20, i;
	char *v = malloc(n);
	struct rfc5322_token tok;

	ck_assert_ptr_nonnull(v);
	/* a megabyte of comment opened and never closed */
	v[0] = '(';
	memset(v + 1, 'x', n - 1);
	start_len(v, n, 0);
	failed(dmarc__rfc5322_skip_cfws(&lx), RFC5322_EUNTERMINATED, 0);
	/* of folding: read to the end */
	for (i = 0; i + 3 <= n; i += 3)
		memcpy(v + i, "\r\n ", 3);
	start_len(v, i, 0);
	ck_assert(dmarc__rfc5322_next_token(&lx, 0, &tok));
	ck_assert_int_eq(tok.type, RFC5322_T_END);
	ck_assert_uint_eq(tok.start, i);
	/* of one atom */
	memset(v, 'a', n);
	start_len(v, n, 0);
	ck_assert(dmarc__rfc5322_next_token(&lx, 0, &tok));
	ck_assert_uint_eq(tok.end, n);
	/* of nested comments: refused at the cap, not recursed */
	memset(v, '(', n);
	start_len(v, n, 0);
	failed(dmarc__rfc5322_skip_cfws(&lx), RFC5322_EDEPTH,
	    RFC5322_MAX_COMMENT_DEPTH);
	free(v);
}
END_TEST

static Suite *rfc5322_suite(void)
{
	Suite *s = suite_create("rfc5322");
	TCase *tc = tcase_create("lexer");

	tcase_add_test(tc, test_cursor_bounds);
	tcase_add_test(tc, test_fws);
	tcase_add_test(tc, test_cfws);
	tcase_add_test(tc, test_comment_errors);
	tcase_add_test(tc, test_nesting_cap);
	tcase_add_test(tc, test_quoted_string);
	tcase_add_test(tc, test_obs_qp);
	tcase_add_test(tc, test_domain_literal);
	tcase_add_test(tc, test_atoms);
	tcase_add_test(tc, test_mime_token);
	tcase_add_test(tc, test_tokens);
	tcase_add_test(tc, test_huge_input);
	suite_add_tcase(s, tc);
	tc = tcase_create("header");
	tcase_add_test(tc, test_header_split);
	tcase_add_test(tc, test_header_errors);
	tcase_add_test(tc, test_unfold_unquote);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(rfc5322_suite());
}
