/*
 * Unit tests of rua/ruf URI lists: splitting, percent-decoding of mailto
 * addresses, schemes, malformed URIs, the !size suffix in each mode, the
 * per-list and per-URI limits, and the rua rule for an unusable policy.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-main.h"
#include "record-check.h"

#define BIS DMARC_MODE_RFC9989
#define OLD DMARC_MODE_RFC7489
#define PSD DMARC_MODE_RFC7489_PSD

#define ERR DMARC_SEVERITY_ERROR
#define WARN DMARC_SEVERITY_WARNING

#define RUA DMARC_TAG_RUA
#define RUF DMARC_TAG_RUF

/* Every record below starts with this: URIs start at offset 22. */
#define HEAD "v=DMARC1; p=none; rua="
#define AT 22u

#define ck_assert_uri_count(rec, list, n) \
	ck_assert_uint_eq(dmarc_record_get_uri_count((rec), (list)), (n))

/* One URI of rua, parsed under mode. */
static dmarc_record *parse_rua(dmarc_mode mode, const char *list)
{
	char text[1024];

	ck_assert_uint_lt(strlen(HEAD) + strlen(list), sizeof text);
	snprintf(text, sizeof text, "%s%s", HEAD, list);
	return parse_in(mode, 0, text);
}

static void assert_mailto(const dmarc_uri *u, const char *text,
    const char *address)
{
	ck_assert_str_eq(dmarc_uri_get_text(u), text);
	ck_assert_str_eq(dmarc_uri_get_scheme(u), "mailto");
	ck_assert_str_eq(dmarc_uri_get_address(u), address);
	ck_assert_uint_eq(dmarc_uri_get_flags(u) & DMARC_URI_MAILTO,
	    DMARC_URI_MAILTO);
	ck_assert_uint_eq(dmarc_uri_get_flags(u) & DMARC_URI_UNSUPPORTED, 0);
}

/* The list holds no URI and gives exactly one diagnostic, code at
 * offset. */
static void assert_rejected(dmarc_mode mode, const char *list,
    dmarc_diag_code code, size_t offset)
{
	dmarc_record *rec = parse_rua(mode, list);
	const dmarc_diag *d;

	ck_assert_msg(dmarc_record_get_uri_count(rec, RUA) == 0,
	    "rua=%s: %zu URIs kept", list, dmarc_record_get_uri_count(rec, RUA));
	ck_assert_msg(!dmarc_record_has_tag(rec, RUA), "rua=%s present", list);
	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_VALID);
	ck_assert_msg(dmarc_record_get_diag_count(rec) == 1,
	    "rua=%s: %zu diagnostics", list, dmarc_record_get_diag_count(rec));
	d = dmarc_record_get_diag(rec, 0);
	ck_assert_msg(dmarc_diag_get_code(d) == code, "rua=%s gives %s", list,
	    dmarc_diag_get_name(d));
	ck_assert_msg(dmarc_diag_get_offset(d) == offset,
	    "rua=%s: %s at %zu, expected %zu", list, dmarc_diag_get_name(d),
	    dmarc_diag_get_offset(d), offset);
	ck_assert_int_eq(dmarc_diag_get_severity(d), ERR);
	ck_assert_str_eq(dmarc_diag_get_tag(d), "rua");
	dmarc_record_free(rec);
}

/* ======================================================================
 * Splitting
 * ====================================================================== */

START_TEST(test_split_commas)
{
	dmarc_record *rec = parse_rua(BIS,
	    "mailto:a@example.com,mailto:b@example.com,mailto:c@example.org");

	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_VALID);
	ck_assert_uri_count(rec, RUA, 3);
	assert_mailto(get_uri(rec, RUA, 0), "mailto:a@example.com",
	    "a@example.com");
	assert_mailto(get_uri(rec, RUA, 1), "mailto:b@example.com",
	    "b@example.com");
	assert_mailto(get_uri(rec, RUA, 2), "mailto:c@example.org",
	    "c@example.org");
	ck_assert_ptr_null(dmarc_record_get_uri(rec, RUA, 3));
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_split_whitespace)
{
	dmarc_record *rec = parse_rua(OLD, " mailto:a@example.com \t,\t "
	    "mailto:b@example.com!5k , mailto:c@example.com  ");

	ck_assert_uri_count(rec, RUA, 3);
	assert_mailto(get_uri(rec, RUA, 0), "mailto:a@example.com",
	    "a@example.com");
	assert_mailto(get_uri(rec, RUA, 1), "mailto:b@example.com",
	    "b@example.com");
	ck_assert_uint_eq(dmarc_uri_get_size_limit(get_uri(rec, RUA, 1)),
	    5 * 1024);
	assert_mailto(get_uri(rec, RUA, 2), "mailto:c@example.com",
	    "c@example.com");
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_split_empty_element)
{
	dmarc_record *rec = parse_rua(BIS,
	    "mailto:a@example.com,,mailto:b@example.com");

	/* The empty element is malformed; its neighbours are kept. */
	ck_assert_uri_count(rec, RUA, 2);
	assert_mailto(get_uri(rec, RUA, 1), "mailto:b@example.com",
	    "b@example.com");
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_MALFORMED);
	ck_assert_diag(rec, DMARC_DIAG_URI_MALFORMED, ERR, AT + 21, "rua");
	dmarc_record_free(rec);
	rec = parse_rua(BIS, "mailto:a@example.com, ,mailto:b@example.com");
	ck_assert_uri_count(rec, RUA, 2);
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_MALFORMED);
	dmarc_record_free(rec);
	/* A trailing comma leaves an empty element too. */
	rec = parse_rua(BIS, "mailto:a@example.com,");
	ck_assert_uri_count(rec, RUA, 1);
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_MALFORMED);
	ck_assert_diag(rec, DMARC_DIAG_URI_MALFORMED, ERR, AT + 21, "rua");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_empty_list)
{
	dmarc_record *rec = parse_rua(BIS, "");

	ck_assert_uri_count(rec, RUA, 0);
	ck_assert(!dmarc_record_has_tag(rec, RUA));
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, AT, "rua");
	dmarc_record_free(rec);
	rec = parse_rua(BIS, ",");
	ck_assert_uri_count(rec, RUA, 0);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_URI_MALFORMED), 2);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_rua_and_ruf)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none; "
	    "ruf=mailto:f1@example.com, mailto:f2@example.com; "
	    "rua=mailto:a@example.com");

	ck_assert_uri_count(rec, RUA, 1);
	ck_assert_uri_count(rec, RUF, 2);
	assert_mailto(get_uri(rec, RUA, 0), "mailto:a@example.com",
	    "a@example.com");
	assert_mailto(get_uri(rec, RUF, 0), "mailto:f1@example.com",
	    "f1@example.com");
	assert_mailto(get_uri(rec, RUF, 1), "mailto:f2@example.com",
	    "f2@example.com");
	ck_assert_ptr_null(dmarc_record_get_uri(rec, RUF, 2));
	ck_assert_ptr_null(dmarc_record_get_uri(rec, RUA, 1));
	ck_assert(dmarc_record_has_tag(rec, RUA));
	ck_assert(dmarc_record_has_tag(rec, RUF));
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * mailto addresses
 * ====================================================================== */

START_TEST(test_decode_separators)
{
	static const struct { const char *uri, *address; } cases[] = {
		{ "mailto:a%2Cb@example.com", "a,b@example.com" },
		{ "mailto:a%2cb@example.com", "a,b@example.com" },
		{ "mailto:a%21b@example.com", "a!b@example.com" },
		/* an '@' decoded in the local part is text only when quoted */
		{ "mailto:%22a%40b%22@example.com", "\"a@b\"@example.com" },
		{ "mailto:a%3Bb@example.com", "a;b@example.com" },
		{ "mailto:dmarc%2Breports@example.com",
		  "dmarc+reports@example.com" },
		{ "mailto:%72@example.com", "r@example.com" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dmarc_record *rec = parse_rua(BIS, cases[i].uri);
		ck_assert_msg(dmarc_record_get_uri_count(rec, RUA) == 1,
		    "%s not kept", cases[i].uri);
		/* The text stays as written; the address is decoded. */
		assert_mailto(get_uri(rec, RUA, 0), cases[i].uri,
		    cases[i].address);
		ck_assert_no_diags(rec);
		dmarc_record_free(rec);
	}
}
END_TEST

START_TEST(test_decode_utf8)
{
	dmarc_record *rec = parse_rua(BIS,
	    "mailto:%C3%A9@example.com, mailto:ren%c3%a9@ex%C3%A9mple.com");

	ck_assert_uri_count(rec, RUA, 2);
	assert_mailto(get_uri(rec, RUA, 0), "mailto:%C3%A9@example.com",
	    "\xc3\xa9@example.com");
	assert_mailto(get_uri(rec, RUA, 1),
	    "mailto:ren%c3%a9@ex%C3%A9mple.com",
	    "ren\xc3\xa9@ex\xc3\xa9mple.com");
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_query_after_address)
{
	dmarc_record *rec = parse_rua(OLD,
	    "mailto:a@example.com?subject=DMARC%20report!20m");

	ck_assert_uri_count(rec, RUA, 1);
	assert_mailto(get_uri(rec, RUA, 0),
	    "mailto:a@example.com?subject=DMARC%20report", "a@example.com");
	ck_assert_uint_eq(dmarc_uri_get_size_limit(get_uri(rec, RUA, 0)),
	    UINT64_C(20) << 20);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	rec = parse_rua(BIS, "mailto:r%2Bx@example.com?subject=a%2Cb");
	assert_mailto(get_uri(rec, RUA, 0),
	    "mailto:r%2Bx@example.com?subject=a%2Cb", "r+x@example.com");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_scheme_case)
{
	dmarc_record *rec = parse_rua(BIS, "MailTo:a@example.com");
	const dmarc_uri *u;

	ck_assert_uri_count(rec, RUA, 1);
	u = get_uri(rec, RUA, 0);
	/* Text as written; scheme lower-cased. */
	ck_assert_str_eq(dmarc_uri_get_text(u), "MailTo:a@example.com");
	ck_assert_str_eq(dmarc_uri_get_scheme(u), "mailto");
	ck_assert_str_eq(dmarc_uri_get_address(u), "a@example.com");
	ck_assert_uint_eq(dmarc_uri_get_flags(u), DMARC_URI_MAILTO);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * Schemes
 * ====================================================================== */

START_TEST(test_unsupported_scheme)
{
	dmarc_record *rec = parse_rua(BIS,
	    "https://example.com/dmarc?x=1, mailto:a@example.com, "
	    "urn:ietf:x, HTTP://example.net/");
	const dmarc_uri *u;

	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_VALID);
	/* Kept, in order, flagged. */
	ck_assert_uri_count(rec, RUA, 4);
	u = get_uri(rec, RUA, 0);
	ck_assert_str_eq(dmarc_uri_get_text(u), "https://example.com/dmarc?x=1");
	ck_assert_str_eq(dmarc_uri_get_scheme(u), "https");
	ck_assert_ptr_null(dmarc_uri_get_address(u));
	ck_assert_uint_eq(dmarc_uri_get_flags(u), DMARC_URI_UNSUPPORTED);
	ck_assert_uint_eq(dmarc_uri_get_size_limit(u), 0);
	assert_mailto(get_uri(rec, RUA, 1), "mailto:a@example.com",
	    "a@example.com");
	u = get_uri(rec, RUA, 2);
	ck_assert_str_eq(dmarc_uri_get_scheme(u), "urn");
	ck_assert_uint_eq(dmarc_uri_get_flags(u), DMARC_URI_UNSUPPORTED);
	u = get_uri(rec, RUA, 3);
	ck_assert_str_eq(dmarc_uri_get_text(u), "HTTP://example.net/");
	ck_assert_str_eq(dmarc_uri_get_scheme(u), "http");
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_URI_UNSUPPORTED), 3);
	ck_assert_uint_eq(dmarc_record_get_diag_count(rec), 3);
	ck_assert_diag(rec, DMARC_DIAG_URI_UNSUPPORTED, WARN, AT, "rua");
	ck_assert_diag(rec, DMARC_DIAG_URI_UNSUPPORTED, WARN, AT + 53, "rua");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_unsupported_scheme_with_size)
{
	dmarc_record *rec = parse_rua(OLD, "https://example.com/r!2k");
	const dmarc_uri *u;

	ck_assert_uri_count(rec, RUA, 1);
	u = get_uri(rec, RUA, 0);
	ck_assert_str_eq(dmarc_uri_get_text(u), "https://example.com/r");
	ck_assert_uint_eq(dmarc_uri_get_flags(u),
	    DMARC_URI_UNSUPPORTED | DMARC_URI_HAS_SIZE);
	ck_assert_uint_eq(dmarc_uri_get_size_limit(u), 2048);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_no_scheme)
{
	assert_rejected(BIS, "dmarc@example.com", DMARC_DIAG_URI_NO_SCHEME, AT);
	assert_rejected(BIS, ":a@example.com", DMARC_DIAG_URI_NO_SCHEME, AT);
	assert_rejected(BIS, "1mailto:a@example.com", DMARC_DIAG_URI_NO_SCHEME,
	    AT);
	assert_rejected(OLD, "mail_to:a@example.com", DMARC_DIAG_URI_NO_SCHEME,
	    AT);
	assert_rejected(OLD, "example.com!10m", DMARC_DIAG_URI_NO_SCHEME, AT);
}
END_TEST

/* ======================================================================
 * Malformed URIs
 * ====================================================================== */

START_TEST(test_malformed_characters)
{
	/* Offsets point at the offending byte. */
	assert_rejected(BIS, "mailto:a b@example.com", DMARC_DIAG_URI_MALFORMED,
	    AT + 8);
	assert_rejected(BIS, "mailto:a%4@example.com", DMARC_DIAG_URI_MALFORMED,
	    AT + 8);
	assert_rejected(BIS, "mailto:a%zz@example.com",
	    DMARC_DIAG_URI_MALFORMED, AT + 8);
	assert_rejected(BIS, "mailto:a%G0@example.com",
	    DMARC_DIAG_URI_MALFORMED, AT + 8);
	assert_rejected(BIS, "mailto:a@example.com%4", DMARC_DIAG_URI_MALFORMED,
	    AT + 20);
	assert_rejected(BIS, "mailto:a@example.com%", DMARC_DIAG_URI_MALFORMED,
	    AT + 20);
	assert_rejected(BIS, "mailto:a\x01@example.com",
	    DMARC_DIAG_URI_MALFORMED, AT + 8);
	assert_rejected(BIS, "mailto:a\x7f@example.com",
	    DMARC_DIAG_URI_MALFORMED, AT + 8);
	assert_rejected(BIS, "mailto:a\"b@example.com",
	    DMARC_DIAG_URI_MALFORMED, AT + 8);
	assert_rejected(BIS, "mailto:<a@example.com>",
	    DMARC_DIAG_URI_MALFORMED, AT + 7);
	assert_rejected(BIS, "mailto:\xc3\xa9@example.com",
	    DMARC_DIAG_URI_MALFORMED, AT + 7);
	assert_rejected(OLD, "mailto:a@example.com !10m",
	    DMARC_DIAG_URI_MALFORMED, AT + 20);
}
END_TEST

START_TEST(test_malformed_nul)
{
	static const char text[] = HEAD "mailto:a@ex\0ample.com";
	dmarc_record *rec = parse_len_in(BIS, 0, text, sizeof text - 1);

	ck_assert_uri_count(rec, RUA, 0);
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_MALFORMED);
	ck_assert_diag(rec, DMARC_DIAG_URI_MALFORMED, ERR, AT + 11, "rua");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_malformed_mailto_address)
{
	static const char *const bad[] = {
		"mailto:",
		"mailto:example.com",
		"mailto:@example.com",
		"mailto:a@",
		"mailto:a@example.com.",
		"mailto:a@exa_mple.com",
		"mailto:a%00@example.com",
		"mailto:a%20b@example.com",
		"mailto:a%0A@example.com",
		"mailto:?to=a@example.com",
		"mailto:a@[192.0.2.1]",
		/* not one RFC 5322 addr-spec with a host name (RFC 6068 2) */
		"mailto:a@b@example.com",
		"mailto:a%40b@example.com",
		"mailto:a@b%40example.com",
		"mailto:%22a@b@example.com",
		"mailto:agg@example..com",
		"mailto:agg@example.%2Ecom",
		"mailto:a@.example.com",
		"mailto:a@-example.com",
		"mailto:a@example-.com",
		"mailto:a@example.-com",
		"mailto:a@example.com-",
		"mailto:a@exa%22mple.com",
		"mailto:a@x123456789012345678901234567890123456789012345678901"
		    "234567890123.com",
		/* '/' must be percent-encoded in an address (RFC 6068 2) */
		"mailto://agg@example.com",
		"mailto:a/b@example.com",
		"mailto:a@example.com/",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dmarc_record *rec = parse_rua(BIS, bad[i]);
		ck_assert_msg(dmarc_record_get_uri_count(rec, RUA) == 0,
		    "%s kept", bad[i]);
		ck_assert_msg(has_diag(rec, DMARC_DIAG_URI_MALFORMED),
		    "%s: no uri-malformed", bad[i]);
		dmarc_record_free(rec);
	}
	/* The diagnostic points at the address. */
	assert_rejected(BIS, "mailto:example.com", DMARC_DIAG_URI_MALFORMED,
	    AT + 7);
	assert_rejected(BIS, "mailto:@example.com", DMARC_DIAG_URI_MALFORMED,
	    AT + 7);
	assert_rejected(BIS, "mailto:a@example.com.", DMARC_DIAG_URI_MALFORMED,
	    AT + 7);
	assert_rejected(BIS, "mailto:a@b@example.com", DMARC_DIAG_URI_MALFORMED,
	    AT + 7);
	assert_rejected(OLD, "mailto://agg@example.com",
	    DMARC_DIAG_URI_MALFORMED, AT + 7);
	assert_rejected(OLD, "mailto:agg@example..com",
	    DMARC_DIAG_URI_MALFORMED, AT + 7);
}
END_TEST

/* A trailing '.' is refused in the domain as written; it must be refused
 * the same when it is written %2E (the address is checked decoded). */
START_TEST(test_malformed_encoded_trailing_dot)
{
	assert_rejected(BIS, "mailto:a@example.com%2E", DMARC_DIAG_URI_MALFORMED,
	    AT + 7);
}
END_TEST

START_TEST(test_good_mailto_addresses)
{
	static const char *const good[] = {
		"mailto:a@b",
		"mailto:a.b-c_d@sub.example-x.com",
		"mailto:a@xn--exmple-cua.com",
		"mailto:a@example.com#frag",
		"mailto:a@EXAMPLE.COM",
		"mailto:~user@example.com",
		"mailto:%22a@b%22@example.com",
		"mailto:a%2Fb@example.com",
		"mailto:a@ex-ample.com",
		"mailto:a@b%C3%BCcher.example",
		"mailto:a@x12345678901234567890123456789012345678901234567890"
		    "123456789012.com",
		"mailto:a@example.com?subject=a/b",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		dmarc_record *rec = parse_rua(BIS, good[i]);
		ck_assert_msg(dmarc_record_get_uri_count(rec, RUA) == 1,
		    "%s not kept", good[i]);
		ck_assert_msg(dmarc_record_get_diag_count(rec) == 0,
		    "%s: %s", good[i],
		    dmarc_diag_get_name(dmarc_record_get_diag(rec, 0)));
		dmarc_record_free(rec);
	}
}
END_TEST

/* ======================================================================
 * !size under RFC 7489
 * ====================================================================== */

START_TEST(test_size_rfc7489)
{
	static const struct { const char *suffix; uint64_t size; } cases[] = {
		{ "0", 0 },
		{ "500", 500 },
		{ "007", 7 },
		{ "10k", UINT64_C(10) << 10 },
		{ "10K", UINT64_C(10) << 10 },
		{ "10m", UINT64_C(10) << 20 },
		{ "10M", UINT64_C(10) << 20 },
		{ "1g", UINT64_C(1) << 30 },
		{ "3G", UINT64_C(3) << 30 },
		{ "1t", UINT64_C(1) << 40 },
		{ "2T", UINT64_C(2) << 40 },
		{ "18446744073709551615", UINT64_MAX },
		{ "16777215t", UINT64_C(16777215) << 40 },
		/* saturation */
		{ "18446744073709551616", UINT64_MAX },
		{ "99999999999999999999", UINT64_MAX },
		{ "99999999999999999999t", UINT64_MAX },
		{ "16777216t", UINT64_MAX },
		{ "17179869184g", UINT64_MAX },
		{ "000000000000000000000000000001k", 1024 },
	};
	static const dmarc_mode modes[] = { OLD, PSD };
	char list[128];
	size_t i, m;

	for (m = 0; m < 2; m++) {
		for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			dmarc_record *rec;
			const dmarc_uri *u;
			snprintf(list, sizeof list, "mailto:r@example.com!%s",
			    cases[i].suffix);
			rec = parse_rua(modes[m], list);
			ck_assert_msg(dmarc_record_get_uri_count(rec, RUA) == 1,
			    "!%s: URI dropped", cases[i].suffix);
			u = get_uri(rec, RUA, 0);
			assert_mailto(u, "mailto:r@example.com",
			    "r@example.com");
			ck_assert_msg(dmarc_uri_get_size_limit(u) ==
			    cases[i].size, "!%s gives %llu", cases[i].suffix,
			    (unsigned long long)dmarc_uri_get_size_limit(u));
			ck_assert_uint_eq(dmarc_uri_get_flags(u),
			    DMARC_URI_MAILTO | DMARC_URI_HAS_SIZE);
			ck_assert_msg(dmarc_record_get_diag_count(rec) == 0,
			    "!%s: %s", cases[i].suffix, dmarc_diag_get_name(
			    dmarc_record_get_diag(rec, 0)));
			dmarc_record_free(rec);
		}
	}
}
END_TEST

START_TEST(test_size_rfc7489_without_suffix)
{
	dmarc_record *rec = parse_rua(OLD, "mailto:r@example.com");
	const dmarc_uri *u = get_uri(rec, RUA, 0);

	ck_assert_uint_eq(dmarc_uri_get_size_limit(u), 0);
	ck_assert_uint_eq(dmarc_uri_get_flags(u), DMARC_URI_MAILTO);
	dmarc_record_free(rec);
}
END_TEST

/* A malformed suffix makes the URI a syntax error in every mode (RFC 7489
 * 6.4 and RFC 9989 4.8 obs-dmarc-uri share one grammar): it is dropped,
 * whether or not RFC 9989 would ignore a well-formed size. */
START_TEST(test_size_malformed)
{
	static const char *const suffixes[] = {
		"", "k", "10x", "10kb", "-1", "1 0", "1.5m", "k10", "10k!5",
		"+1", "0x10", "bad", "10m!20k", "!",
	};
	static const dmarc_mode modes[] = { OLD, BIS };
	char list[128];
	size_t i, m;

	for (m = 0; m < 2; m++) {
		for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
			dmarc_record *rec;
			const dmarc_diag *d;
			snprintf(list, sizeof list,
			    "mailto:r@example.com!%s,mailto:s@example.com",
			    suffixes[i]);
			rec = parse_rua(modes[m], list);
			/* The URI is dropped; the next one is kept. */
			ck_assert_msg(dmarc_record_get_uri_count(rec, RUA) == 1,
			    "mode %d !%s: %zu URIs", (int)modes[m], suffixes[i],
			    dmarc_record_get_uri_count(rec, RUA));
			ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, RUA,
			    0)), "s@example.com");
			ck_assert_msg(dmarc_record_get_diag_count(rec) == 1 &&
			    has_diag(rec, DMARC_DIAG_BAD_SIZE),
			    "!%s: no bad-size alone", suffixes[i]);
			d = ck_assert_diag(rec, DMARC_DIAG_BAD_SIZE, ERR, AT + 20,
			    "rua");
			ck_assert_uint_eq(dmarc_diag_get_length(d),
			    1 + strlen(suffixes[i]));
			dmarc_record_free(rec);
		}
	}
}
END_TEST

/* ======================================================================
 * !size under RFC 9989: obsolete
 * ====================================================================== */

START_TEST(test_size_rfc9989_obsolete)
{
	static const char *const suffixes[] = {
		"10m", "500", "0", "2T", "99999999999999999999t",
		"18446744073709551616",
	};
	char list[128];
	size_t i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		dmarc_record *rec;
		const dmarc_uri *u;
		const dmarc_diag *d;
		snprintf(list, sizeof list, "mailto:r@example.com!%s",
		    suffixes[i]);
		rec = parse_rua(BIS, list);
		ck_assert_uri_count(rec, RUA, 1);
		u = get_uri(rec, RUA, 0);
		assert_mailto(u, "mailto:r@example.com", "r@example.com");
		ck_assert_uint_eq(dmarc_uri_get_size_limit(u), 0);
		ck_assert_uint_eq(dmarc_uri_get_flags(u), DMARC_URI_MAILTO |
		    DMARC_URI_HAS_SIZE | DMARC_URI_SIZE_OBSOLETE);
		ck_assert_diag_codes(rec, DMARC_DIAG_SIZE_OBSOLETE);
		d = ck_assert_diag(rec, DMARC_DIAG_SIZE_OBSOLETE, WARN, AT + 20,
		    "rua");
		ck_assert_uint_eq(dmarc_diag_get_length(d),
		    1 + strlen(suffixes[i]));
		dmarc_record_free(rec);
	}
}
END_TEST

/* A URI with a malformed suffix is no valid URI, so it cannot save an
 * invalid p by the rua rule (RFC 9989 4.10.1): the record is unusable
 * rather than p=none. */
START_TEST(test_size_malformed_no_rua_rule)
{
	static const char *const suffixes[] = { "bad", "", "10x", "1.5m",
		"10m!20k" };
	static const dmarc_mode modes[] = { OLD, BIS };
	char text[256];
	size_t i, m;

	for (m = 0; m < 2; m++) {
		for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
			dmarc_record *rec;
			snprintf(text, sizeof text, "v=DMARC1; p=bogus; "
			    "rua=mailto:agg@example.com!%s", suffixes[i]);
			rec = parse_in(modes[m], 0, text);
			ck_assert_msg(dmarc_record_get_state(rec) ==
			    DMARC_RECORD_INVALID, "mode %d !%s: state %d",
			    (int)modes[m], suffixes[i],
			    (int)dmarc_record_get_state(rec));
			ck_assert_int_eq(dmarc_record_get_policy(rec,
			    DMARC_TAG_P), DMARC_POLICY_UNSPECIFIED);
			ck_assert(has_diag(rec, DMARC_DIAG_NO_POLICY));
			dmarc_record_free(rec);
		}
	}
}
END_TEST

/* ======================================================================
 * Limits
 * ====================================================================== */

/* "mailto:r1@example.com,mailto:r2@example.com,..." (n URIs). */
static void make_list(char *buf, size_t size, unsigned int n)
{
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 1; i <= n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%smailto:r%u@"
		    "example.com", i > 1 ? "," : "", i);
	ck_assert_uint_lt(len, size);
}

START_TEST(test_uris_per_list_default)
{
	char list[1024], text[4096], want[32];
	dmarc_ctx *ctx = new_ctx(BIS, 0);
	dmarc_record *rec;
	size_t i;

	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_URIS_PER_LIST),
	    8);
	make_list(list, sizeof list, 8);
	snprintf(text, sizeof text, "v=DMARC1; p=none; rua=%s", list);
	rec = parse_ctx(ctx, text, strlen(text));
	ck_assert_uri_count(rec, RUA, 8);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	make_list(list, sizeof list, 9);
	snprintf(text, sizeof text, "v=DMARC1; p=none; rua=%s", list);
	rec = parse_ctx(ctx, text, strlen(text));
	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_VALID);
	ck_assert_uri_count(rec, RUA, 8);
	for (i = 0; i < 8; i++) {
		snprintf(want, sizeof want, "r%zu@example.com", i + 1);
		ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, RUA, i)),
		    want);
	}
	ck_assert_diag_codes(rec, DMARC_DIAG_TOO_MANY_URIS);
	ck_assert_diag(rec, DMARC_DIAG_TOO_MANY_URIS, WARN,
	    (size_t)(strstr(text, "mailto:r9@") - text), "rua");
	dmarc_record_free(rec);
	/* Twelve: still one warning per list. */
	make_list(list, sizeof list, 12);
	snprintf(text, sizeof text, "v=DMARC1; p=none; rua=%s; ruf=%s", list,
	    list);
	rec = parse_ctx(ctx, text, strlen(text));
	ck_assert_uri_count(rec, RUA, 8);
	ck_assert_uri_count(rec, RUF, 8);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_TOO_MANY_URIS), 2);
	ck_assert_str_eq(dmarc_diag_get_tag(dmarc_record_get_diag(rec, 0)),
	    "rua");
	ck_assert_str_eq(dmarc_diag_get_tag(dmarc_record_get_diag(rec, 1)),
	    "ruf");
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_uris_per_list_set)
{
	char list[2048], text[4096];
	dmarc_ctx *ctx = new_ctx(OLD, 0);
	dmarc_record *rec;

	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST, 2),
	    DMARC_OK);
	/* Unusable URIs take no place in the list. */
	rec = parse_ctx(ctx, HEAD "bad,mailto:a@example.com,mailto:b@"
	    "example.com,mailto:c@example.com", strlen(HEAD "bad,mailto:a@"
	    "example.com,mailto:b@example.com,mailto:c@example.com"));
	ck_assert_uri_count(rec, RUA, 2);
	ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, RUA, 0)),
	    "a@example.com");
	ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, RUA, 1)),
	    "b@example.com");
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_NO_SCHEME,
	    DMARC_DIAG_TOO_MANY_URIS);
	dmarc_record_free(rec);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST,
	    32), DMARC_OK);
	make_list(list, sizeof list, 33);
	snprintf(text, sizeof text, "v=DMARC1; p=none; ruf=%s", list);
	rec = parse_ctx(ctx, text, strlen(text));
	ck_assert_uri_count(rec, RUF, 32);
	ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, RUF, 31)),
	    "r32@example.com");
	ck_assert_diag_codes(rec, DMARC_DIAG_TOO_MANY_URIS);
	dmarc_record_free(rec);
	/* Outside 1..32. */
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST, 0),
	    DMARC_ERANGE);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST,
	    33), DMARC_ERANGE);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_uri_length_limit)
{
	static const char exact[] = HEAD "mailto:a@exa.com";    /* 16 */
	static const char over[] = HEAD "mailto:a@exam.com";    /* 17 */
	static const char both[] = HEAD "mailto:a@exam.com, mailto:b@exa.com";
	dmarc_ctx *ctx = new_ctx(BIS, 0);
	dmarc_record *rec;

	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_URI_LENGTH), 512);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 16),
	    DMARC_OK);
	rec = parse_ctx(ctx, exact, sizeof exact - 1);
	ck_assert_uri_count(rec, RUA, 1);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	rec = parse_ctx(ctx, over, sizeof over - 1);
	ck_assert_uri_count(rec, RUA, 0);
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_TOO_LONG);
	ck_assert_uint_eq(dmarc_diag_get_length(ck_assert_diag(rec,
	    DMARC_DIAG_URI_TOO_LONG, ERR, AT, "rua")), 17);
	dmarc_record_free(rec);
	rec = parse_ctx(ctx, both, sizeof both - 1);
	ck_assert_uri_count(rec, RUA, 1);
	ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, RUA, 0)),
	    "b@exa.com");
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_TOO_LONG);
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_uri_length_default)
{
	char text[1200];
	dmarc_ctx *ctx = new_ctx(BIS, 0);
	dmarc_record *rec;
	size_t n, local;

	/* mailto: + local + @example.com = 512 bytes, then 513. */
	for (n = 512; n <= 513; n++) {
		local = n - strlen("mailto:") - strlen("@example.com");
		memcpy(text, HEAD "mailto:", strlen(HEAD "mailto:"));
		memset(text + strlen(HEAD "mailto:"), 'x', local);
		snprintf(text + strlen(HEAD "mailto:") + local,
		    sizeof text - strlen(HEAD "mailto:") - local, "@example.com");
		rec = parse_ctx(ctx, text, strlen(text));
		ck_assert_uint_eq(dmarc_record_get_uri_count(rec, RUA),
		    n == 512 ? 1 : 0);
		ck_assert_int_eq(has_diag(rec, DMARC_DIAG_URI_TOO_LONG),
		    n == 512 ? 0 : 1);
		dmarc_record_free(rec);
	}
	dmarc_ctx_free(ctx);
}
END_TEST

/* ======================================================================
 * The rua rule: a bad policy with a syntactically valid rua is p=none
 * ====================================================================== */

START_TEST(test_as_none_counts_valid_uris)
{
	static const struct {
		dmarc_mode mode;
		const char *text;
		dmarc_record_state state;
	} cases[] = {
		/* Any syntactically valid URI counts, supported or not. */
		{ BIS, "v=DMARC1; p=bogus; rua=https://example.com/r",
		  DMARC_RECORD_AS_NONE },
		{ OLD, "v=DMARC1; p=bogus; rua=ftp://x", DMARC_RECORD_AS_NONE },
		{ BIS, "v=DMARC1; p=bogus; rua=mailto:a@example.com",
		  DMARC_RECORD_AS_NONE },
		{ OLD, "v=DMARC1; p=bogus; rua=bad, mailto:a@example.com",
		  DMARC_RECORD_AS_NONE },
		/* Unusable URIs do not. */
		{ BIS, "v=DMARC1; p=bogus; rua=dmarc@example.com",
		  DMARC_RECORD_INVALID },
		{ BIS, "v=DMARC1; p=bogus; rua=mailto:example.com",
		  DMARC_RECORD_INVALID },
		{ BIS, "v=DMARC1; p=bogus; rua=", DMARC_RECORD_INVALID },
		/* Only rua counts, not ruf. */
		{ BIS, "v=DMARC1; p=bogus; ruf=mailto:a@example.com",
		  DMARC_RECORD_INVALID },
		/* A malformed size drops the URI in every mode. */
		{ OLD, "v=DMARC1; p=bogus; rua=mailto:a@example.com!x",
		  DMARC_RECORD_INVALID },
		{ BIS, "v=DMARC1; p=bogus; rua=mailto:a@example.com!x",
		  DMARC_RECORD_INVALID },
		{ OLD, "v=DMARC1; p=none; sp=bogus; rua=https://example.com/",
		  DMARC_RECORD_AS_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dmarc_record *rec = parse_in(cases[i].mode, 0, cases[i].text);
		dmarc_record_state want = cases[i].state;
		ck_assert_msg(dmarc_record_get_state(rec) == want,
		    "\"%s\" (mode %d): state %d, expected %d", cases[i].text,
		    (int)cases[i].mode, (int)dmarc_record_get_state(rec),
		    (int)want);
		ck_assert_int_eq(has_diag(rec, DMARC_DIAG_AS_NONE),
		    want == DMARC_RECORD_AS_NONE);
		ck_assert_int_eq(has_diag(rec, DMARC_DIAG_NO_POLICY),
		    want == DMARC_RECORD_INVALID);
		ck_assert_int_eq(dmarc_record_get_policy(rec, DMARC_TAG_P),
		    want == DMARC_RECORD_AS_NONE ? DMARC_POLICY_NONE
		    : DMARC_POLICY_UNSPECIFIED);
		dmarc_record_free(rec);
	}
}
END_TEST

START_TEST(test_duplicate_rua)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none; "
	    "rua=mailto:a@example.com; rua=mailto:b@example.com");

	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_INVALID);
	ck_assert(has_diag(rec, DMARC_DIAG_DUPLICATE_TAG));
	dmarc_record_free(rec);
	rec = parse_in(BIS, DMARC_PARSE_DUPLICATE_FIRST_WINS, "v=DMARC1; "
	    "p=none; rua=mailto:a@example.com; rua=mailto:b@example.com");
	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_VALID);
	ck_assert_uri_count(rec, RUA, 1);
	ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, RUA, 0)),
	    "a@example.com");
	dmarc_record_free(rec);
}
END_TEST

/* ====================================================================== */

static Suite *uri_suite(void)
{
	Suite *s = suite_create("uri");
	TCase *tc;

	tc = tcase_create("split");
	tcase_add_test(tc, test_split_commas);
	tcase_add_test(tc, test_split_whitespace);
	tcase_add_test(tc, test_split_empty_element);
	tcase_add_test(tc, test_empty_list);
	tcase_add_test(tc, test_rua_and_ruf);
	suite_add_tcase(s, tc);

	tc = tcase_create("mailto");
	tcase_add_test(tc, test_decode_separators);
	tcase_add_test(tc, test_decode_utf8);
	tcase_add_test(tc, test_query_after_address);
	tcase_add_test(tc, test_scheme_case);
	tcase_add_test(tc, test_good_mailto_addresses);
	suite_add_tcase(s, tc);

	tc = tcase_create("scheme");
	tcase_add_test(tc, test_unsupported_scheme);
	tcase_add_test(tc, test_unsupported_scheme_with_size);
	tcase_add_test(tc, test_no_scheme);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_malformed_characters);
	tcase_add_test(tc, test_malformed_nul);
	tcase_add_test(tc, test_malformed_mailto_address);
	tcase_add_test(tc, test_malformed_encoded_trailing_dot);
	suite_add_tcase(s, tc);

	tc = tcase_create("size");
	tcase_add_test(tc, test_size_rfc7489);
	tcase_add_test(tc, test_size_rfc7489_without_suffix);
	tcase_add_test(tc, test_size_malformed);
	tcase_add_test(tc, test_size_rfc9989_obsolete);
	tcase_add_test(tc, test_size_malformed_no_rua_rule);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_uris_per_list_default);
	tcase_add_test(tc, test_uris_per_list_set);
	tcase_add_test(tc, test_uri_length_limit);
	tcase_add_test(tc, test_uri_length_default);
	suite_add_tcase(s, tc);

	tc = tcase_create("policy");
	tcase_add_test(tc, test_as_none_counts_valid_uris);
	tcase_add_test(tc, test_duplicate_rua);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(uri_suite());
}
