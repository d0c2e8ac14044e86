/*
 * Helpers shared by the record unit suites (test-record.c, test-uri.c,
 * test-format.c): parse a text under a given mode and options, and look
 * up diagnostics.  Everything is static inline so that a suite using only
 * part of it compiles without unused-function warnings.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef TEST_RECORD_CHECK_H
#define TEST_RECORD_CHECK_H

#include <stddef.h>
#include <string.h>

#include <check.h>
#include <dmarc/dmarc.h>

/* A context with the C library allocator, the given mode and options. */
static inline dmarc_ctx *new_ctx(dmarc_mode mode, unsigned int options)
{
	dmarc_ctx *ctx = NULL;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(dmarc_ctx_set_mode(ctx, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_parse_options(ctx, options), DMARC_OK);
	return ctx;
}

/* Parse len bytes of text under ctx; the record must be made. */
static inline dmarc_record *parse_ctx(const dmarc_ctx *ctx, const char *text,
    size_t len)
{
	dmarc_record *rec = NULL;

	ck_assert_int_eq(dmarc_record_parse(&rec, ctx, text, len), DMARC_OK);
	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(dmarc_record_get_mode(rec), dmarc_ctx_get_mode(ctx));
	return rec;
}

/* Parse len bytes (which may hold NUL or 8-bit bytes).  The context is
 * freed before returning: a record does not refer to it afterwards. */
static inline dmarc_record *parse_len_in(dmarc_mode mode, unsigned int options,
    const char *text, size_t len)
{
	dmarc_ctx *ctx = new_ctx(mode, options);
	dmarc_record *rec = parse_ctx(ctx, text, len);

	dmarc_ctx_free(ctx);
	return rec;
}

/* Parse a NUL-terminated text. */
static inline dmarc_record *parse_in(dmarc_mode mode, unsigned int options,
    const char *text)
{
	return parse_len_in(mode, options, text, strlen(text));
}

/* First diagnostic with this code, or NULL. */
static inline const dmarc_diag *find_diag(const dmarc_record *rec,
    dmarc_diag_code code)
{
	size_t i, n = dmarc_record_get_diag_count(rec);

	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		if (dmarc_diag_get_code(d) == code)
			return d;
	}
	return NULL;
}

/* First diagnostic with this code at this offset, or NULL. */
static inline const dmarc_diag *find_diag_at(const dmarc_record *rec,
    dmarc_diag_code code, size_t offset)
{
	size_t i, n = dmarc_record_get_diag_count(rec);

	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		if (dmarc_diag_get_code(d) == code &&
		    dmarc_diag_get_offset(d) == offset)
			return d;
	}
	return NULL;
}

/* Number of diagnostics with this code. */
static inline size_t count_diag(const dmarc_record *rec, dmarc_diag_code code)
{
	size_t i, k = 0, n = dmarc_record_get_diag_count(rec);

	for (i = 0; i < n; i++)
		if (dmarc_diag_get_code(dmarc_record_get_diag(rec, i)) == code)
			k++;
	return k;
}

static inline int has_diag(const dmarc_record *rec, dmarc_diag_code code)
{
	return find_diag(rec, code) != NULL;
}

/* The last diagnostic, or NULL when there is none. */
static inline const dmarc_diag *last_diag(const dmarc_record *rec)
{
	size_t n = dmarc_record_get_diag_count(rec);

	return n == 0 ? NULL : dmarc_record_get_diag(rec, n - 1);
}

/* Check that rec has a diagnostic code with this severity at this byte
 * offset, attributed to tag name tag ("" for none, NULL: not checked);
 * returns it.  Failures name the caller's file and line. */
static inline const dmarc_diag *check_diag(const dmarc_record *rec,
    dmarc_diag_code code, dmarc_severity severity, size_t offset,
    const char *tag, const char *what, const char *file, int line)
{
	const dmarc_diag *d = find_diag_at(rec, code, offset);

	ck_assert_msg(d != NULL, "%s:%d: no %s diagnostic at offset %zu "
	    "(%zu of that code, the first at %zu)", file, line, what, offset,
	    count_diag(rec, code), dmarc_diag_get_offset(find_diag(rec, code)));
	ck_assert_msg(dmarc_diag_get_severity(d) == severity,
	    "%s:%d: %s at %zu has severity %d, expected %d", file, line, what,
	    offset, (int)dmarc_diag_get_severity(d), (int)severity);
	if (tag != NULL) {
		const char *got = dmarc_diag_get_tag(d);
		/* absent is NULL, never "" */
		ck_assert_msg(got == NULL ? *tag == '\0' : *got != '\0' &&
		    strcmp(got, tag) == 0,
		    "%s:%d: %s at %zu has tag \"%s\", expected \"%s\"", file,
		    line, what, offset, got != NULL ? got : "(none)", tag);
	}
	return d;
}

#define ck_assert_diag(rec, code, severity, offset, tag) \
	check_diag((rec), (code), (severity), (offset), (tag), #code, \
	    __FILE__, __LINE__)

/* Assert that the diagnostic codes of rec are exactly the list given, in
 * order.  Use ck_assert_no_diags() for an empty list. */
#define ck_assert_diag_codes(rec, ...) \
	check_diag_codes((rec), (const dmarc_diag_code[]){ __VA_ARGS__ }, \
	    sizeof((const dmarc_diag_code[]){ __VA_ARGS__ }) / \
	    sizeof(dmarc_diag_code), __FILE__, __LINE__)

#define ck_assert_no_diags(rec) \
	check_diag_codes((rec), NULL, 0, __FILE__, __LINE__)

static inline void check_diag_codes(const dmarc_record *rec,
    const dmarc_diag_code *codes, size_t n, const char *file, int line)
{
	size_t i, have = dmarc_record_get_diag_count(rec);

	ck_assert_msg(have == n, "%s:%d: %zu diagnostics, expected %zu%s%s",
	    file, line, have, n, have > 0 ? "; first is " : "",
	    have > 0 ? dmarc_diag_get_name(dmarc_record_get_diag(rec, 0)) : "");
	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		ck_assert_msg(dmarc_diag_get_code(d) == codes[i],
		    "%s:%d: diagnostic %zu is %s (%d), expected code %d", file,
		    line, i, dmarc_diag_get_name(d), (int)dmarc_diag_get_code(d),
		    (int)codes[i]);
	}
}

/* The URI at index of list tag; it must exist. */
static inline const dmarc_uri *get_uri(const dmarc_record *rec, dmarc_tag tag,
    size_t index)
{
	const dmarc_uri *u = dmarc_record_get_uri(rec, tag, index);

	ck_assert_msg(u != NULL, "no URI %zu in list %d", index, (int)tag);
	return u;
}

#endif /* TEST_RECORD_CHECK_H */
