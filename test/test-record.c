/*
 * Unit tests of the DMARC policy record parser: every record-parsing
 * vector of the specification digest (section 10.1, P01-P36), each
 * diagnostic code, the parse options, the modes and the limits.
 * URI lists are tested in more depth in test-uri.c.
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

#define STRICT DMARC_PARSE_STRICT
#define FIRST_WINS DMARC_PARSE_DUPLICATE_FIRST_WINS
#define SKIP_SPACE DMARC_PARSE_SKIP_LEADING_SPACE

/* Vectors marked "both" run as loop tests: _i indexes this array. */
static const dmarc_mode both_modes[2] = { BIS, OLD };

/* ---- helpers ---- */

#define ck_assert_state(rec, st) \
	ck_assert_int_eq(dmarc_record_get_state(rec), (st))

#define ck_assert_policies(rec, p, sp, np) do { \
	ck_assert_int_eq(dmarc_record_get_policy((rec), DMARC_TAG_P), (p)); \
	ck_assert_int_eq(dmarc_record_get_policy((rec), DMARC_TAG_SP), (sp)); \
	ck_assert_int_eq(dmarc_record_get_policy((rec), DMARC_TAG_NP), (np)); \
} while (0)

#define ck_assert_all_policies(rec, p) ck_assert_policies(rec, p, p, p)

/* The defaults of every value other than the policies. */
static void assert_value_defaults(const dmarc_record *rec)
{
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_RELAXED);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ASPF),
	    DMARC_ALIGN_RELAXED);
	ck_assert_uint_eq(dmarc_record_get_pct(rec), 100);
	ck_assert_uint_eq(dmarc_record_get_ri(rec), 86400);
	ck_assert_uint_eq(dmarc_record_get_fo(rec), DMARC_FO_ALL_FAIL);
	ck_assert_uint_eq(dmarc_record_get_rf(rec), DMARC_RF_AFRF);
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_UNKNOWN);
	ck_assert_int_eq(dmarc_record_get_testing(rec), 0);
}

/* has_tag for every tag: set is a bit set of (1 << dmarc_tag). */
static void assert_tags_exactly(const dmarc_record *rec, unsigned int set)
{
	int t;

	for (t = DMARC_TAG_V; t <= DMARC_TAG_T; t++)
		ck_assert_msg(dmarc_record_has_tag(rec, (dmarc_tag)t) ==
		    ((set >> t) & 1u ? 1 : 0), "has_tag(%d) is %d", t,
		    dmarc_record_has_tag(rec, (dmarc_tag)t));
}

#define TAGBIT(t) (1u << (t))

static void assert_single_uri(const dmarc_record *rec, dmarc_tag list,
    const char *text, const char *address, uint64_t size, unsigned int flags)
{
	const dmarc_uri *u;

	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, list), 1);
	u = get_uri(rec, list, 0);
	ck_assert_str_eq(dmarc_uri_get_text(u), text);
	ck_assert_str_eq(dmarc_uri_get_scheme(u), "mailto");
	ck_assert_str_eq(dmarc_uri_get_address(u), address);
	ck_assert_uint_eq(dmarc_uri_get_size_limit(u), size);
	ck_assert_uint_eq(dmarc_uri_get_flags(u), flags);
	ck_assert_ptr_null(dmarc_record_get_uri(rec, list, 1));
}

static void assert_no_uris(const dmarc_record *rec)
{
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 0);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUF), 0);
	ck_assert_ptr_null(dmarc_record_get_uri(rec, DMARC_TAG_RUA, 0));
	ck_assert_ptr_null(dmarc_record_get_uri(rec, DMARC_TAG_RUF, 0));
}

/* ======================================================================
 * Digest 10.1, vectors P01-P36
 * ====================================================================== */

START_TEST(test_P01)
{
	dmarc_mode mode = both_modes[_i];
	dmarc_record *rec = parse_in(mode, 0, "v=DMARC1; p=reject");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_int_eq(dmarc_record_get_mode(rec), mode);
	ck_assert_policies(rec, DMARC_POLICY_REJECT, DMARC_POLICY_REJECT,
	    DMARC_POLICY_REJECT);
	/* adkim=r, aspf=r, fo=0; 7489: pct=100, ri=86400, rf=afrf;
	 * bis: psd=u, t=n. */
	assert_value_defaults(rec);
	assert_tags_exactly(rec, TAGBIT(DMARC_TAG_V) | TAGBIT(DMARC_TAG_P));
	assert_no_uris(rec);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P02)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1;p=quarantine;");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_QUARANTINE);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P03)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v = DMARC1 ;  p = none ; ");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_P));
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P04)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0, "v=dmarc1; p=reject");

	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_P));
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VERSION);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VERSION, ERR, 2, NULL);
	ck_assert_uint_eq(dmarc_diag_get_length(dmarc_record_get_diag(rec, 0)),
	    6);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P05)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0, "p=reject; v=DMARC1");

	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_NO_VERSION);
	ck_assert_diag(rec, DMARC_DIAG_NO_VERSION, ERR, 0, "v");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P06)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0, "v=DMARC2; p=reject");

	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VERSION);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VERSION, ERR, 2, NULL);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P07)
{
	/* The caller joins the character-strings with nothing between. */
	static const char *const strings[] = { "v=DMARC1; p=rej", "ect" };
	char joined[64];
	dmarc_record *rec;

	snprintf(joined, sizeof joined, "%s%s", strings[0], strings[1]);
	rec = parse_in(both_modes[_i], 0, joined);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	/* The first string alone is not the same record. */
	rec = parse_in(both_modes[_i], 0, strings[0]);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P08)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	assert_no_uris(rec);
	ck_assert_diag_codes(rec, DMARC_DIAG_MISSING_P, DMARC_DIAG_NO_POLICY);
	ck_assert_diag(rec, DMARC_DIAG_MISSING_P, ERR, 0, "p");
	ck_assert_diag(rec, DMARC_DIAG_NO_POLICY, ERR, 0, "");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P09)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1");

	/* Digest A1: an absent p is p=none (monitoring, no reports). */
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_P));
	assert_no_uris(rec);
	ck_assert_diag_codes(rec, DMARC_DIAG_MISSING_P);
	ck_assert_diag(rec, DMARC_DIAG_MISSING_P, WARN, 0, "p");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P10)
{
	dmarc_mode mode = both_modes[_i];
	dmarc_record *rec = parse_in(mode, 0,
	    "v=DMARC1; rua=mailto:d@example.com");

	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	assert_single_uri(rec, DMARC_TAG_RUA, "mailto:d@example.com",
	    "d@example.com", 0, DMARC_URI_MAILTO);
	if (mode == BIS) {
		/* A1: absent p is p=none, the record is valid as it is. */
		ck_assert_state(rec, DMARC_RECORD_VALID);
		ck_assert_diag_codes(rec, DMARC_DIAG_MISSING_P);
		ck_assert_diag(rec, DMARC_DIAG_MISSING_P, WARN, 0, "p");
	} else {
		/* 7489: no valid policy, but a valid rua: act as p=none. */
		ck_assert_state(rec, DMARC_RECORD_AS_NONE);
		ck_assert_diag_codes(rec, DMARC_DIAG_MISSING_P,
		    DMARC_DIAG_AS_NONE);
		ck_assert_diag(rec, DMARC_DIAG_MISSING_P, ERR, 0, "p");
		ck_assert_diag(rec, DMARC_DIAG_AS_NONE, WARN, 0, "");
	}
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P11)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=rejekt; rua=mailto:d@example.com");

	ck_assert_state(rec, DMARC_RECORD_AS_NONE);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_P));
	assert_single_uri(rec, DMARC_TAG_RUA, "mailto:d@example.com",
	    "d@example.com", 0, DMARC_URI_MAILTO);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE, DMARC_DIAG_AS_NONE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	ck_assert_diag(rec, DMARC_DIAG_AS_NONE, WARN, 0, "");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P12)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0, "v=DMARC1; p=rejekt");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE, DMARC_DIAG_NO_POLICY);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	ck_assert_diag(rec, DMARC_DIAG_NO_POLICY, ERR, 0, "");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P13)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com");

	/* The whole record acts as p=none: reject is lost. */
	ck_assert_state(rec, DMARC_RECORD_AS_NONE);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_SP));
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 1);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE, DMARC_DIAG_AS_NONE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 23, "sp");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P14)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=reject; sp=bogus");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE, DMARC_DIAG_NO_POLICY);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 23, "sp");
	ck_assert_diag(rec, DMARC_DIAG_NO_POLICY, ERR, 0, "");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P15)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=reject; np=bogus");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE, DMARC_DIAG_NO_POLICY);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 23, "np");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P16)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1; p=reject; np=bogus");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_NP));
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG);
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 20, "np");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P17)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=reject; adkim=x; aspf=S");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_RELAXED);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ASPF),
	    DMARC_ALIGN_STRICT);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_ADKIM));
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_ASPF));
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE, DMARC_DIAG_CASE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 26, "adkim");
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 34, "aspf");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P18)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=reject; foo=bar");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	assert_value_defaults(rec);
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG);
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 20, "foo");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P19)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1; p=quarantine; pct=25");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_QUARANTINE);
	ck_assert_uint_eq(dmarc_record_get_pct(rec), 25);
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_PCT));
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P20)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=quarantine; pct=25");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_QUARANTINE);
	ck_assert_uint_eq(dmarc_record_get_pct(rec), 100);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_PCT));
	ck_assert_diag_codes(rec, DMARC_DIAG_HISTORIC_TAG);
	ck_assert_diag(rec, DMARC_DIAG_HISTORIC_TAG, WARN, 24, "pct");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P21)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1; p=reject; pct=101");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_uint_eq(dmarc_record_get_pct(rec), 100);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_PCT));
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 24, "pct");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P22)
{
	dmarc_record *rec = parse_in(OLD, 0,
	    "v=DMARC1; p=none; rua=mailto:r@example.com!10m");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	assert_single_uri(rec, DMARC_TAG_RUA, "mailto:r@example.com",
	    "r@example.com", UINT64_C(10485760),
	    DMARC_URI_MAILTO | DMARC_URI_HAS_SIZE);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P23)
{
	dmarc_record *rec = parse_in(OLD, 0,
	    "v=DMARC1; p=none; rua=mailto:r@example.com!500");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	assert_single_uri(rec, DMARC_TAG_RUA, "mailto:r@example.com",
	    "r@example.com", 500, DMARC_URI_MAILTO | DMARC_URI_HAS_SIZE);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P24)
{
	dmarc_record *rec = parse_in(BIS, 0,
	    "v=DMARC1; p=none; rua=mailto:r@example.com!10m");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	assert_single_uri(rec, DMARC_TAG_RUA, "mailto:r@example.com",
	    "r@example.com", 0, DMARC_URI_MAILTO | DMARC_URI_HAS_SIZE |
	    DMARC_URI_SIZE_OBSOLETE);
	ck_assert_diag_codes(rec, DMARC_DIAG_SIZE_OBSOLETE);
	ck_assert_diag(rec, DMARC_DIAG_SIZE_OBSOLETE, WARN, 42, "rua");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P25)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0, "v=DMARC1; p=none; "
	    "rua=mailto:a@example.com , mailto:b@example.net");
	const dmarc_uri *u;

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 2);
	u = get_uri(rec, DMARC_TAG_RUA, 0);
	ck_assert_str_eq(dmarc_uri_get_text(u), "mailto:a@example.com");
	ck_assert_str_eq(dmarc_uri_get_address(u), "a@example.com");
	u = get_uri(rec, DMARC_TAG_RUA, 1);
	ck_assert_str_eq(dmarc_uri_get_text(u), "mailto:b@example.net");
	ck_assert_str_eq(dmarc_uri_get_address(u), "b@example.net");
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUF), 0);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P26)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=none; rua=mailto:a%2Cb@example.com");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	assert_single_uri(rec, DMARC_TAG_RUA, "mailto:a%2Cb@example.com",
	    "a,b@example.com", 0, DMARC_URI_MAILTO);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P27)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=reject; rua=dmarc@example.com");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	assert_no_uris(rec);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_RUA));
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_NO_SCHEME);
	ck_assert_diag(rec, DMARC_DIAG_URI_NO_SCHEME, ERR, 24, "rua");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P28)
{
	dmarc_record *rec = parse_in(BIS, 0,
	    "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=0:1");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_uint_eq(dmarc_record_get_fo(rec), DMARC_FO_ALL_FAIL);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_FO));
	assert_single_uri(rec, DMARC_TAG_RUF, "mailto:f@example.com",
	    "f@example.com", 0, DMARC_URI_MAILTO);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 47, "fo");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P29)
{
	dmarc_record *rec = parse_in(OLD, 0,
	    "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=0:1");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_uint_eq(dmarc_record_get_fo(rec),
	    DMARC_FO_ALL_FAIL | DMARC_FO_ANY_FAIL);
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_FO));
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUF), 1);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P30)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=none; fo=1");

	/* fo is ignored: there is nowhere to send failure reports. */
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	assert_no_uris(rec);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_RUF));
	ck_assert_diag_codes(rec, DMARC_DIAG_FO_WITHOUT_RUF);
	ck_assert_int_eq(dmarc_diag_get_severity(
	    find_diag(rec, DMARC_DIAG_FO_WITHOUT_RUF)), WARN);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P31)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none; psd=Y; t=yes");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_YES);
	ck_assert_int_eq(dmarc_record_get_testing(rec), 0);
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_PSD));
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_T));
	ck_assert_diag_codes(rec, DMARC_DIAG_CASE, DMARC_DIAG_BAD_VALUE);
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 22, "psd");
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 27, "t");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P32)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1; p=reject; psd=y; t=y");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_UNKNOWN);
	ck_assert_int_eq(dmarc_record_get_testing(rec), 0);
	assert_tags_exactly(rec, TAGBIT(DMARC_TAG_V) | TAGBIT(DMARC_TAG_P));
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG,
	    DMARC_DIAG_UNKNOWN_TAG);
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 20, "psd");
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 27, "t");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P33)
{
	dmarc_record *rec = parse_in(OLD, 0,
	    "v=DMARC1; rua=mailto:d@example.com; p=reject");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 1);
	ck_assert_diag_codes(rec, DMARC_DIAG_P_NOT_SECOND);
	ck_assert_diag(rec, DMARC_DIAG_P_NOT_SECOND, WARN, 36, "p");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P34)
{
	dmarc_record *rec = parse_in(BIS, 0,
	    "v=DMARC1; rua=mailto:d@example.com; p=reject");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 1);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P35)
{
	dmarc_record *rec = parse_in(both_modes[_i], 0,
	    "v=DMARC1; p=none; p=reject");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_DUPLICATE_TAG), 1);
	ck_assert_diag(rec, DMARC_DIAG_DUPLICATE_TAG, ERR, 18, "p");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_P36)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1; p=none; rf=iodef");

	/* The unregistered format is ignored; the record stays usable. */
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert_uint_eq(dmarc_record_get_rf(rec), DMARC_RF_AFRF);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_RF));
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, WARN, 21, "rf");
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * Every diagnostic code: severity, offset, length and tag name
 * ====================================================================== */

struct diag_case {
	dmarc_mode mode;
	unsigned int options;
	dmarc_limit limit;   /* 0: none */
	size_t limit_value;
	const char *text;
	dmarc_diag_code code;
	const char *name;
};

static const struct diag_case diag_cases[] = {
	{ BIS, 0, 0, 0, "p=reject; v=DMARC1", DMARC_DIAG_NO_VERSION,
	  "no-version" },
	{ BIS, 0, 0, 0, "v=DMARC2; p=reject", DMARC_DIAG_BAD_VERSION,
	  "bad-version" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=reject; foo", DMARC_DIAG_SYNTAX,
	  "syntax" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; p=none", DMARC_DIAG_DUPLICATE_TAG,
	  "duplicate-tag" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; adkim=x", DMARC_DIAG_BAD_VALUE,
	  "bad-value" },
	{ BIS, 0, 0, 0, "v=DMARC1", DMARC_DIAG_MISSING_P, "missing-p" },
	{ OLD, 0, 0, 0, "v=DMARC1; adkim=s; p=none", DMARC_DIAG_P_NOT_SECOND,
	  "p-not-second" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; foo=bar", DMARC_DIAG_UNKNOWN_TAG,
	  "unknown-tag" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; ri=3600", DMARC_DIAG_HISTORIC_TAG,
	  "historic-tag" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; rua=x@example.com",
	  DMARC_DIAG_URI_NO_SCHEME, "uri-no-scheme" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; rua=https://example.com/r",
	  DMARC_DIAG_URI_UNSUPPORTED, "uri-unsupported" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; rua=mailto:a b@example.com",
	  DMARC_DIAG_URI_MALFORMED, "uri-malformed" },
	{ OLD, 0, 0, 0, "v=DMARC1; p=none; rua=mailto:r@example.com!x",
	  DMARC_DIAG_BAD_SIZE, "bad-size" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; rua=mailto:r@example.com!1k",
	  DMARC_DIAG_SIZE_OBSOLETE, "size-obsolete" },
	{ BIS, 0, DMARC_LIMIT_RECORD_LENGTH, 16, "v=DMARC1; p=reject",
	  DMARC_DIAG_RECORD_TOO_LONG, "record-too-long" },
	{ BIS, 0, DMARC_LIMIT_URIS_PER_LIST, 1,
	  "v=DMARC1; p=none; rua=mailto:a@example.com,mailto:b@example.com",
	  DMARC_DIAG_TOO_MANY_URIS, "too-many-uris" },
	{ BIS, 0, DMARC_LIMIT_URI_LENGTH, 16,
	  "v=DMARC1; p=none; rua=mailto:a@example.com",
	  DMARC_DIAG_URI_TOO_LONG, "uri-too-long" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none;; adkim=s", DMARC_DIAG_EMPTY_TAG,
	  "empty-tag" },
	{ BIS, 0, 0, 0, "v=DMARC1; P=none", DMARC_DIAG_CASE, "case" },
	{ BIS, SKIP_SPACE, 0, 0, "  v=DMARC1; p=none",
	  DMARC_DIAG_LEADING_SPACE, "leading-space" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=bogus; rua=mailto:a@example.com",
	  DMARC_DIAG_AS_NONE, "as-none" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=bogus", DMARC_DIAG_NO_POLICY,
	  "no-policy" },
	{ BIS, 0, 0, 0, "v=DMARC1; p=none; fo=1", DMARC_DIAG_FO_WITHOUT_RUF,
	  "fo-without-ruf" },
	{ BIS, 0, 0, 0, "v=DMARC1;\r\n p=none", DMARC_DIAG_LINE_BREAK,
	  "line-break" },
	{ BIS, 0, 0, 0, "v=DMARC1; \xc2\xa0p=none", DMARC_DIAG_UNICODE_SPACE,
	  "unicode-space" },
	/* DMARC_DIAG_TOO_MANY_DIAGS: test_diag_too_many_diags. */
};

static dmarc_record *parse_case(const struct diag_case *c)
{
	dmarc_ctx *ctx = new_ctx(c->mode, c->options);
	dmarc_record *rec;

	if (c->limit != 0)
		ck_assert_int_eq(dmarc_ctx_set_limit(ctx, c->limit,
		    c->limit_value), DMARC_OK);
	rec = parse_ctx(ctx, c->text, strlen(c->text));
	dmarc_ctx_free(ctx);
	return rec;
}

/* Each code can be produced, has its stable name and an explanation. */
START_TEST(test_diag_names)
{
	const struct diag_case *c = &diag_cases[_i];
	dmarc_record *rec = parse_case(c);
	const dmarc_diag *d = find_diag(rec, c->code);

	ck_assert_msg(d != NULL, "\"%s\" gives no %s", c->text, c->name);
	ck_assert_str_eq(dmarc_diag_get_name(d), c->name);
	ck_assert_ptr_nonnull(dmarc_diag_get_text(d));
	ck_assert_uint_gt(strlen(dmarc_diag_get_text(d)), 0);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_no_version)
{
	dmarc_record *rec = parse_in(BIS, 0, "v DMARC1; p=reject");

	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_diag_codes(rec, DMARC_DIAG_NO_VERSION);
	ck_assert_diag(rec, DMARC_DIAG_NO_VERSION, ERR, 0, "v");
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, 0, "", 0);
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_diag(rec, DMARC_DIAG_NO_VERSION, ERR, 0, "v");
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=spf1 -all");
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VERSION);
	dmarc_record_free(rec);
}
END_TEST

/* bad-version is a bad value of the v tag: the tag is "v". */
START_TEST(test_diag_bad_version)
{
	dmarc_record *rec = parse_in(BIS, 0, "v = DMARC1x ; p=reject");
	const dmarc_diag *d;

	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	d = ck_assert_diag(rec, DMARC_DIAG_BAD_VERSION, ERR, 4, NULL);
	ck_assert_uint_eq(dmarc_diag_get_length(d), 7);
	ck_assert_str_eq(dmarc_diag_get_tag(d), "v");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_syntax)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=reject; foo");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_SYNTAX);
	ck_assert_diag(rec, DMARC_DIAG_SYNTAX, WARN, 20, "");
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=reject; 1x=y; aspf=s");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag(rec, DMARC_DIAG_SYNTAX, WARN, 20, "");
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ASPF),
	    DMARC_ALIGN_STRICT);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_duplicate_tag)
{
	dmarc_record *rec = parse_in(BIS, 0,
	    "v=DMARC1; p=none; adkim=s; adkim=r");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_DUPLICATE_TAG);
	ck_assert_diag(rec, DMARC_DIAG_DUPLICATE_TAG, ERR, 27, "adkim");
	dmarc_record_free(rec);
	/* A duplicated v is a duplicate too. */
	rec = parse_in(BIS, 0, "v=DMARC1; p=none; v=DMARC1");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_DUPLICATE_TAG, ERR, 18, "v");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_bad_value)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none; adkim = x ");
	const dmarc_diag *d;

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE);
	d = ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 26, "adkim");
	ck_assert_uint_eq(dmarc_diag_get_length(d), 1);
	/* The explanation names what the tag allows. */
	ck_assert_ptr_nonnull(strstr(dmarc_diag_get_text(d), "adkim"));
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=Rejekt");
	d = ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	ck_assert_ptr_nonnull(strstr(dmarc_diag_get_text(d), "quarantine"));
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_missing_p)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; adkim=s");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_MISSING_P);
	ck_assert_diag(rec, DMARC_DIAG_MISSING_P, WARN, 0, "p");
	dmarc_record_free(rec);
	rec = parse_in(OLD, 0, "v=DMARC1; adkim=s");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_MISSING_P, ERR, 0, "p");
	dmarc_record_free(rec);
	rec = parse_in(PSD, 0, "v=DMARC1; adkim=s");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_MISSING_P, ERR, 0, "p");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_p_not_second)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1; adkim=s; p=none");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert_diag_codes(rec, DMARC_DIAG_P_NOT_SECOND);
	ck_assert_diag(rec, DMARC_DIAG_P_NOT_SECOND, WARN, 19, "p");
	dmarc_record_free(rec);
	/* An unknown tag before p counts as a tag. */
	rec = parse_in(PSD, 0, "v=DMARC1; foo=bar; p=none");
	ck_assert_diag(rec, DMARC_DIAG_P_NOT_SECOND, WARN, 19, "p");
	dmarc_record_free(rec);
	/* An empty tag is not a tag. */
	rec = parse_in(OLD, 0, "v=DMARC1;; p=none");
	ck_assert(!has_diag(rec, DMARC_DIAG_P_NOT_SECOND));
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_unknown_tag)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none; Foo=bar; x=1");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG,
	    DMARC_DIAG_UNKNOWN_TAG);
	/* Tag names are reported lower-cased. */
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 18, "foo");
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 27, "x");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_historic_tag)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none; ri=3600");

	ck_assert_diag_codes(rec, DMARC_DIAG_HISTORIC_TAG);
	ck_assert_diag(rec, DMARC_DIAG_HISTORIC_TAG, WARN, 18, "ri");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_uri_codes)
{
	dmarc_record *rec = parse_in(BIS, 0,
	    "v=DMARC1; p=none; rua=x@example.com; ruf=https://example.com/r");

	ck_assert_diag_codes(rec, DMARC_DIAG_URI_NO_SCHEME,
	    DMARC_DIAG_URI_UNSUPPORTED);
	ck_assert_diag(rec, DMARC_DIAG_URI_NO_SCHEME, ERR, 22, "rua");
	ck_assert_diag(rec, DMARC_DIAG_URI_UNSUPPORTED, WARN, 41, "ruf");
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=none; ruf=mailto:a b@example.com");
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_MALFORMED);
	ck_assert_diag(rec, DMARC_DIAG_URI_MALFORMED, ERR, 30, "ruf");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_size_codes)
{
	dmarc_record *rec = parse_in(OLD, 0,
	    "v=DMARC1; p=none; rua=mailto:r@example.com!x");
	const dmarc_diag *d;

	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_SIZE);
	d = ck_assert_diag(rec, DMARC_DIAG_BAD_SIZE, ERR, 42, "rua");
	ck_assert_uint_eq(dmarc_diag_get_length(d), 2);
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=none; rua=mailto:r@example.com!x");
	ck_assert_diag(rec, DMARC_DIAG_BAD_SIZE, ERR, 42, "rua");
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=none; ruf=mailto:r@example.com!1k");
	d = ck_assert_diag(rec, DMARC_DIAG_SIZE_OBSOLETE, WARN, 42, "ruf");
	ck_assert_uint_eq(dmarc_diag_get_length(d), 3);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_record_too_long)
{
	dmarc_ctx *ctx = new_ctx(BIS, 0);
	dmarc_record *rec;
	const dmarc_diag *d;

	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
	    16), DMARC_OK);
	rec = parse_ctx(ctx, "v=DMARC1; p=reject", 18);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_RECORD_TOO_LONG);
	d = ck_assert_diag(rec, DMARC_DIAG_RECORD_TOO_LONG, ERR, 16, "");
	ck_assert_uint_eq(dmarc_diag_get_length(d), 2);
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_diag_uri_limits)
{
	static const char two[] = "v=DMARC1; p=none; "
	    "rua=mailto:a@example.com,mailto:b@example.com";
	static const char one[] = "v=DMARC1; p=none; ruf=mailto:a@example.com";
	dmarc_ctx *ctx = new_ctx(BIS, 0);
	dmarc_record *rec;

	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URIS_PER_LIST,
	    1), DMARC_OK);
	rec = parse_ctx(ctx, two, sizeof two - 1);
	ck_assert_diag_codes(rec, DMARC_DIAG_TOO_MANY_URIS);
	ck_assert_diag(rec, DMARC_DIAG_TOO_MANY_URIS, WARN, 43, "rua");
	dmarc_record_free(rec);
	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_URI_LENGTH, 16),
	    DMARC_OK);
	rec = parse_ctx(ctx, one, sizeof one - 1);
	ck_assert_diag_codes(rec, DMARC_DIAG_URI_TOO_LONG);
	ck_assert_diag(rec, DMARC_DIAG_URI_TOO_LONG, ERR, 22, "ruf");
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_diag_empty_tag)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none;; adkim=s; ;");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_STRICT);
	ck_assert_diag_codes(rec, DMARC_DIAG_EMPTY_TAG, DMARC_DIAG_EMPTY_TAG);
	ck_assert_diag(rec, DMARC_DIAG_EMPTY_TAG, WARN, 17, "");
	ck_assert_diag(rec, DMARC_DIAG_EMPTY_TAG, WARN, 28, "");
	dmarc_record_free(rec);
	/* One trailing separator is allowed, even followed by space. */
	rec = parse_in(BIS, 0, "v=DMARC1; p=none; \t");
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_case)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; P=none; ADKIM=S");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_STRICT);
	ck_assert_diag_codes(rec, DMARC_DIAG_CASE, DMARC_DIAG_CASE,
	    DMARC_DIAG_CASE);
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 10, "p");
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 18, "adkim");
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 24, "adkim");
	dmarc_record_free(rec);
}
END_TEST

/* An upper-case V is a case problem of the v tag: tag "v". */
START_TEST(test_diag_case_version)
{
	dmarc_record *rec = parse_in(BIS, 0, "V=DMARC1; p=none");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_CASE);
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 0, "v");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_leading_space)
{
	dmarc_record *rec = parse_in(BIS, SKIP_SPACE, " \tv=DMARC1; p=none");
	const dmarc_diag *d;

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_LEADING_SPACE);
	d = ck_assert_diag(rec, DMARC_DIAG_LEADING_SPACE, WARN, 0, "");
	ck_assert_uint_eq(dmarc_diag_get_length(d), 2);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_diag_verdicts)
{
	dmarc_record *rec = parse_in(BIS, 0,
	    "v=DMARC1; p=bogus; rua=mailto:a@example.com");

	ck_assert_state(rec, DMARC_RECORD_AS_NONE);
	ck_assert_diag(rec, DMARC_DIAG_AS_NONE, WARN, 0, "");
	ck_assert_ptr_eq(last_diag(rec), find_diag(rec, DMARC_DIAG_AS_NONE));
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=bogus");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_NO_POLICY, ERR, 0, "");
	ck_assert_ptr_eq(last_diag(rec), find_diag(rec, DMARC_DIAG_NO_POLICY));
	dmarc_record_free(rec);
}
END_TEST

/* fo-without-ruf is about the fo tag, which is written in the record:
 * the diagnostic carries that tag and its place. */
START_TEST(test_diag_fo_without_ruf)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=none; fo=1");

	ck_assert_diag_codes(rec, DMARC_DIAG_FO_WITHOUT_RUF);
	ck_assert_diag(rec, DMARC_DIAG_FO_WITHOUT_RUF, WARN, 18, "fo");
	dmarc_record_free(rec);
}
END_TEST

/* Builds "v=DMARC1; <head>" followed by n unknown tags "; x??=1". */
static char *many_unknown_tags(const char *head, unsigned int n)
{
	size_t size = 16 + strlen(head) + 8u * n, len;
	char *text = malloc(size);
	unsigned int i;

	ck_assert_ptr_nonnull(text);
	len = (size_t)snprintf(text, size, "v=DMARC1; %s", head);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, size - len, "; x%c%c=1",
		    'a' + (int)(i / 26u), 'a' + (int)(i % 26u));
	return text;
}

/* The too-many-diagnostics marker says diagnostics were dropped; it is
 * about no tag. */
START_TEST(test_diag_too_many_diags)
{
	char *text = many_unknown_tags("p=none", 60);
	dmarc_record *rec = parse_in(BIS, 0, text);
	const dmarc_diag *d = last_diag(rec);

	ck_assert_int_eq(dmarc_diag_get_code(d), DMARC_DIAG_TOO_MANY_DIAGS);
	ck_assert_int_eq(dmarc_diag_get_severity(d), WARN);
	ck_assert_str_eq(dmarc_diag_get_name(d), "too-many-diagnostics");
	ck_assert_uint_lt(dmarc_diag_get_offset(d), strlen(text));
	ck_assert_ptr_null(dmarc_diag_get_tag(d));
	dmarc_record_free(rec);
	free(text);
}
END_TEST

/* Every diagnostic covers bytes of the input: offset + length <= len. */
START_TEST(test_diag_spans_within_input)
{
	static const struct { dmarc_mode mode; unsigned int options;
	    const char *text; } cases[] = {
		{ BIS, 0, "v=DMARC1; p=reject; adkim s" },
		{ BIS, 0, "v=DMARC1; p=reject; a-b=c" },
		{ BIS, 0, "v=DMARC1; p=reject; adkim s; aspf=r" },
		{ BIS, 0, "v=DMARC1; p=reject; foo" },
		{ BIS, 0, "v=DMARC1; p=reject;;" },
		{ BIS, 0, "v=DMARC1; p=reject; rua=mailto:a@example.com," },
		{ BIS, 0, "v=DMARC1; p=reject; rua=mailto:a@b.c!" },
		{ OLD, 0, "v=DMARC1; rua=mailto:a b@example.com!9x" },
		{ BIS, 0, "v=DMARC9" },
		{ BIS, 0, "v=" },
		{ BIS, SKIP_SPACE, "   " },
		{ OLD, STRICT, "v=DMARC1; p=reject; x" },
	};
	size_t k, i;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		size_t len = strlen(cases[k].text);
		dmarc_record *rec = parse_in(cases[k].mode, cases[k].options,
		    cases[k].text);
		for (i = 0; i < dmarc_record_get_diag_count(rec); i++) {
			const dmarc_diag *d = dmarc_record_get_diag(rec, i);
			size_t off = dmarc_diag_get_offset(d);
			size_t n = dmarc_diag_get_length(d);
			ck_assert_msg(off <= len && n <= len - off,
			    "\"%s\": %s covers [%zu, %zu), input is %zu bytes",
			    cases[k].text, dmarc_diag_get_name(d), off, off + n,
			    len);
		}
		dmarc_record_free(rec);
	}
}
END_TEST

/* ======================================================================
 * The cap on diagnostics
 * ====================================================================== */

START_TEST(test_too_many_diags_cap)
{
	char *text60 = many_unknown_tags("p=none", 60);
	char *text200 = many_unknown_tags("p=none", 200);
	dmarc_record *rec60 = parse_in(BIS, 0, text60);
	dmarc_record *rec200 = parse_in(BIS, 0, text200);
	size_t n = dmarc_record_get_diag_count(rec60);

	ck_assert_state(rec60, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec60, DMARC_POLICY_NONE);
	/* Bounded: fewer than one per problem, and no more for 200. */
	ck_assert_uint_lt(n, 60);
	ck_assert_uint_gt(n, 1);
	ck_assert_uint_eq(dmarc_record_get_diag_count(rec200), n);
	ck_assert_uint_eq(count_diag(rec60, DMARC_DIAG_TOO_MANY_DIAGS), 1);
	ck_assert_uint_eq(count_diag(rec60, DMARC_DIAG_UNKNOWN_TAG), n - 1);
	ck_assert_int_eq(dmarc_diag_get_code(last_diag(rec60)),
	    DMARC_DIAG_TOO_MANY_DIAGS);
	ck_assert_int_eq(dmarc_diag_get_code(last_diag(rec200)),
	    DMARC_DIAG_TOO_MANY_DIAGS);
	/* The kept ones are the first problems, in order. */
	ck_assert_uint_eq(dmarc_diag_get_offset(dmarc_record_get_diag(rec60, 0)),
	    18);
	dmarc_record_free(rec60);
	dmarc_record_free(rec200);
	free(text60);
	free(text200);
}
END_TEST

START_TEST(test_too_many_diags_keeps_verdict)
{
	char *bad = many_unknown_tags("p=bogus", 60);
	char *none = many_unknown_tags("p=bogus; rua=mailto:a@example.com", 60);
	dmarc_record *rec = parse_in(BIS, 0, bad);

	/* no-policy decides the record: it is never dropped. */
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert(has_diag(rec, DMARC_DIAG_TOO_MANY_DIAGS));
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_NO_POLICY), 1);
	ck_assert_int_eq(dmarc_diag_get_code(last_diag(rec)),
	    DMARC_DIAG_NO_POLICY);
	ck_assert_uint_lt(dmarc_record_get_diag_count(rec), 60);
	dmarc_record_free(rec);
	rec = parse_in(OLD, 0, none);
	ck_assert_state(rec, DMARC_RECORD_AS_NONE);
	ck_assert(has_diag(rec, DMARC_DIAG_TOO_MANY_DIAGS));
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_AS_NONE), 1);
	ck_assert_int_eq(dmarc_diag_get_code(last_diag(rec)),
	    DMARC_DIAG_AS_NONE);
	dmarc_record_free(rec);
	free(bad);
	free(none);
}
END_TEST

/* ======================================================================
 * DMARC_PARSE_STRICT
 * ====================================================================== */

START_TEST(test_strict_lower_case_record)
{
	dmarc_record *rec = parse_in(BIS, STRICT, "v=DMARC1; p=reject; "
	    "sp=quarantine; np=none; adkim=s; aspf=s; fo=1; "
	    "ruf=mailto:f@example.com; psd=n; t=y;");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_policies(rec, DMARC_POLICY_REJECT, DMARC_POLICY_QUARANTINE,
	    DMARC_POLICY_NONE);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_strict_upper_case_tag_is_unknown)
{
	dmarc_record *rec = parse_in(BIS, STRICT, "v=DMARC1; P=reject");

	/* "P" is an unknown tag, so the record has no p (bis: p=none). */
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_P));
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG, DMARC_DIAG_MISSING_P);
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 10, "p");
	ck_assert(!has_diag(rec, DMARC_DIAG_CASE));
	dmarc_record_free(rec);
	rec = parse_in(OLD, STRICT, "v=DMARC1; P=reject");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert(has_diag(rec, DMARC_DIAG_MISSING_P));
	dmarc_record_free(rec);
	/* An upper-case tag after a good one does not override it. */
	rec = parse_in(BIS, STRICT, "v=DMARC1; p=reject; ADKIM=s; P=none");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_RELAXED);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_UNKNOWN_TAG), 2);
	ck_assert(!has_diag(rec, DMARC_DIAG_DUPLICATE_TAG));
	dmarc_record_free(rec);
	/* An upper-case V: the record does not start with the v tag. */
	rec = parse_in(BIS, STRICT, "V=DMARC1; p=reject");
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_diag(rec, DMARC_DIAG_NO_VERSION, ERR, 0, "v");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_strict_upper_case_keyword_is_bad)
{
	dmarc_record *rec = parse_in(BIS, STRICT, "v=DMARC1; p=REJECT");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE, DMARC_DIAG_NO_POLICY);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	dmarc_record_free(rec);
	rec = parse_in(OLD, STRICT, "v=DMARC1; p=none; adkim=S; fo=D; rf=AFRF");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_RELAXED);
	ck_assert_uint_eq(dmarc_record_get_fo(rec), DMARC_FO_ALL_FAIL);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_ADKIM));
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_FO));
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_RF));
	ck_assert(!has_diag(rec, DMARC_DIAG_CASE));
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 24, "adkim");
	ck_assert(find_diag_at(rec, DMARC_DIAG_BAD_VALUE, 30) != NULL);
	dmarc_record_free(rec);
	rec = parse_in(BIS, STRICT, "v=DMARC1; p=none; psd=Y; t=N");
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_UNKNOWN);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_BAD_VALUE), 2);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_strict_empty_tag_invalid)
{
	dmarc_record *rec = parse_in(BIS, STRICT, "v=DMARC1; p=reject;; adkim=s");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_EMPTY_TAG);
	ck_assert_diag(rec, DMARC_DIAG_EMPTY_TAG, ERR, 19, "");
	dmarc_record_free(rec);
	rec = parse_in(OLD, STRICT, "v=DMARC1;  ; p=reject");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_EMPTY_TAG, ERR, 11, "");
	dmarc_record_free(rec);
	/* One trailing separator is part of the grammar. */
	rec = parse_in(BIS, STRICT, "v=DMARC1; p=reject; ");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_strict_malformed_tag_invalid)
{
	static const char *const texts[] = {
		"v=DMARC1; p=reject; foo",
		"v=DMARC1; p=reject; 1x=y",
		"v=DMARC1; p=reject; =y",
		"v=DMARC1; p=reject; a-b=c",
	};
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		dmarc_record *rec = parse_in(BIS, STRICT, texts[i]);
		ck_assert_msg(dmarc_record_get_state(rec) ==
		    DMARC_RECORD_INVALID, "\"%s\" is not INVALID", texts[i]);
		ck_assert_int_eq(dmarc_diag_get_severity(
		    find_diag(rec, DMARC_DIAG_SYNTAX)), ERR);
		ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
		dmarc_record_free(rec);
		/* Without the option: a warning, the record stands. */
		rec = parse_in(BIS, 0, texts[i]);
		ck_assert_state(rec, DMARC_RECORD_VALID);
		ck_assert_int_eq(dmarc_diag_get_severity(
		    find_diag(rec, DMARC_DIAG_SYNTAX)), WARN);
		dmarc_record_free(rec);
	}
}
END_TEST

/* "Follow the grammar to the letter": a tag value is 1*tagchar, printable
 * ASCII except ';'.  A control or 8-bit byte in a value is a malformed
 * tag spec under DMARC_PARSE_STRICT, also in a tag libdmarc ignores. */
START_TEST(test_strict_value_outside_tagchar)
{
	static const char nul[] = "v=DMARC1; p=reject; foo=a\0b";
	static const char high[] = "v=DMARC1; p=reject; foo=caf\xc3\xa9";
	dmarc_record *rec = parse_len_in(BIS, STRICT, nul, sizeof nul - 1);

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, STRICT, high, sizeof high - 1);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_strict_p_not_second)
{
	dmarc_record *rec = parse_in(OLD, STRICT, "v=DMARC1; adkim=s; p=reject");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_P_NOT_SECOND);
	ck_assert_diag(rec, DMARC_DIAG_P_NOT_SECOND, ERR, 19, "p");
	dmarc_record_free(rec);
	rec = parse_in(PSD, STRICT, "v=DMARC1; adkim=s; p=reject");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_P_NOT_SECOND, ERR, 19, "p");
	dmarc_record_free(rec);
	/* RFC 9989 only requires v first. */
	rec = parse_in(BIS, STRICT, "v=DMARC1; adkim=s; p=reject");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	rec = parse_in(OLD, STRICT, "v=DMARC1; p=reject; adkim=s");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * DMARC_PARSE_DUPLICATE_FIRST_WINS
 * ====================================================================== */

START_TEST(test_duplicate_default_invalid)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=reject; "
	    "rua=mailto:a@example.com; rua=mailto:b@example.com");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert_diag_codes(rec, DMARC_DIAG_DUPLICATE_TAG);
	ck_assert_diag(rec, DMARC_DIAG_DUPLICATE_TAG, ERR, 46, "rua");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_duplicate_first_wins)
{
	dmarc_record *rec = parse_in(BIS, FIRST_WINS,
	    "v=DMARC1; p=none; p=reject; adkim=s; adkim=r; "
	    "rua=mailto:a@example.com; rua=mailto:b@example.com");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_STRICT);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 1);
	ck_assert_str_eq(dmarc_uri_get_address(get_uri(rec, DMARC_TAG_RUA, 0)),
	    "a@example.com");
	ck_assert_diag_codes(rec, DMARC_DIAG_DUPLICATE_TAG,
	    DMARC_DIAG_DUPLICATE_TAG, DMARC_DIAG_DUPLICATE_TAG);
	ck_assert_diag(rec, DMARC_DIAG_DUPLICATE_TAG, WARN, 18, "p");
	ck_assert_diag(rec, DMARC_DIAG_DUPLICATE_TAG, WARN, 37, "adkim");
	ck_assert_diag(rec, DMARC_DIAG_DUPLICATE_TAG, WARN, 72, "rua");
	dmarc_record_free(rec);
	/* The first value wins even when it is the bad one. */
	rec = parse_in(BIS, FIRST_WINS, "v=DMARC1; p=bogus; p=reject");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert(has_diag(rec, DMARC_DIAG_NO_POLICY));
	dmarc_record_free(rec);
}
END_TEST

/* In RFC 7489 mode the first p of "v=DMARC1; p=none; p=reject" is the
 * second tag: the duplicate is not also a p-not-second problem, and under
 * STRICT|FIRST_WINS the record is usable with p=none. */
START_TEST(test_duplicate_first_wins_rfc7489_p)
{
	static const unsigned int options[] = { FIRST_WINS, FIRST_WINS | STRICT };
	size_t i;

	for (i = 0; i < 2; i++) {
		dmarc_record *rec = parse_in(OLD, options[i],
		    "v=DMARC1; p=none; p=reject");
		ck_assert_msg(!has_diag(rec, DMARC_DIAG_P_NOT_SECOND),
		    "options %u: p-not-second for a p that is second",
		    options[i]);
		ck_assert_state(rec, DMARC_RECORD_VALID);
		ck_assert_all_policies(rec, DMARC_POLICY_NONE);
		ck_assert_diag_codes(rec, DMARC_DIAG_DUPLICATE_TAG);
		dmarc_record_free(rec);
	}
}
END_TEST

/* ======================================================================
 * DMARC_PARSE_SKIP_LEADING_SPACE
 * ====================================================================== */

START_TEST(test_leading_space_default_not_dmarc)
{
	static const char *const texts[] = {
		" v=DMARC1; p=reject", "\tv=DMARC1; p=reject",
		"  \t v=DMARC1; p=reject",
	};
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		dmarc_record *rec = parse_in(BIS, 0, texts[i]);
		ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
		ck_assert_diag_codes(rec, DMARC_DIAG_NO_VERSION);
		ck_assert(!has_diag(rec, DMARC_DIAG_LEADING_SPACE));
		dmarc_record_free(rec);
		rec = parse_in(OLD, STRICT | FIRST_WINS, texts[i]);
		ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
		dmarc_record_free(rec);
	}
}
END_TEST

START_TEST(test_leading_space_skipped)
{
	dmarc_record *rec = parse_in(OLD, SKIP_SPACE,
	    " \t v=DMARC1; p=reject; foo=1");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_diag_codes(rec, DMARC_DIAG_LEADING_SPACE,
	    DMARC_DIAG_UNKNOWN_TAG);
	ck_assert_uint_eq(dmarc_diag_get_length(
	    ck_assert_diag(rec, DMARC_DIAG_LEADING_SPACE, WARN, 0, "")), 3);
	/* Offsets stay offsets in the input as given. */
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 23, "foo");
	dmarc_record_free(rec);
	/* No space: no warning. */
	rec = parse_in(BIS, SKIP_SPACE, "v=DMARC1; p=reject");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	/* Only space: still not a DMARC record. */
	rec = parse_in(BIS, SKIP_SPACE, "   ");
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert(has_diag(rec, DMARC_DIAG_NO_VERSION));
	dmarc_record_free(rec);
	/* Space then something else. */
	rec = parse_in(BIS, SKIP_SPACE, "  spf1; v=DMARC1");
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_diag(rec, DMARC_DIAG_NO_VERSION, ERR, 2, "v");
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * Modes
 * ====================================================================== */

START_TEST(test_mode_rfc7489_psd)
{
	dmarc_record *rec = parse_in(PSD, 0, "v=DMARC1; p=reject; np=none; "
	    "psd=y; t=y; pct=50; rf=afrf; ri=3600");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_int_eq(dmarc_record_get_mode(rec), PSD);
	/* np understood (RFC 9091); psd and t are not. */
	ck_assert_policies(rec, DMARC_POLICY_REJECT, DMARC_POLICY_REJECT,
	    DMARC_POLICY_NONE);
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_UNKNOWN);
	ck_assert_int_eq(dmarc_record_get_testing(rec), 0);
	/* The RFC 7489 tags are processed. */
	ck_assert_uint_eq(dmarc_record_get_pct(rec), 50);
	ck_assert_uint_eq(dmarc_record_get_ri(rec), 3600);
	assert_tags_exactly(rec, TAGBIT(DMARC_TAG_V) | TAGBIT(DMARC_TAG_P) |
	    TAGBIT(DMARC_TAG_NP) | TAGBIT(DMARC_TAG_PCT) |
	    TAGBIT(DMARC_TAG_RF) | TAGBIT(DMARC_TAG_RI));
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG,
	    DMARC_DIAG_UNKNOWN_TAG);
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 29, "psd");
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 36, "t");
	dmarc_record_free(rec);
	/* A bad np is a bad policy in this mode. */
	rec = parse_in(PSD, 0, "v=DMARC1; p=reject; np=bogus");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 23, "np");
	ck_assert(has_diag(rec, DMARC_DIAG_NO_POLICY));
	dmarc_record_free(rec);
	rec = parse_in(PSD, 0,
	    "v=DMARC1; p=reject; np=bogus; rua=mailto:a@example.com");
	ck_assert_state(rec, DMARC_RECORD_AS_NONE);
	ck_assert_all_policies(rec, DMARC_POLICY_NONE);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_mode_rfc7489_unknown_tags)
{
	dmarc_record *rec = parse_in(OLD, 0,
	    "v=DMARC1; p=reject; np=none; psd=n; t=y");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_UNKNOWN);
	ck_assert_int_eq(dmarc_record_get_testing(rec), 0);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_UNKNOWN_TAG), 3);
	ck_assert_diag(rec, DMARC_DIAG_UNKNOWN_TAG, WARN, 20, "np");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_mode_bis_historic_tags)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=reject; pct=50; "
	    "rf=afrf; ri=3600; PCT=bad; ri=x");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_uint_eq(dmarc_record_get_pct(rec), 100);
	ck_assert_uint_eq(dmarc_record_get_ri(rec), 86400);
	ck_assert_uint_eq(dmarc_record_get_rf(rec), DMARC_RF_AFRF);
	assert_tags_exactly(rec, TAGBIT(DMARC_TAG_V) | TAGBIT(DMARC_TAG_P));
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_HISTORIC_TAG), 5);
	ck_assert_diag(rec, DMARC_DIAG_HISTORIC_TAG, WARN, 20, "pct");
	ck_assert_diag(rec, DMARC_DIAG_HISTORIC_TAG, WARN, 28, "rf");
	ck_assert_diag(rec, DMARC_DIAG_HISTORIC_TAG, WARN, 37, "ri");
	ck_assert_diag(rec, DMARC_DIAG_HISTORIC_TAG, WARN, 46, "pct");
	/* Ignored tags are neither checked nor counted as duplicates. */
	ck_assert(!has_diag(rec, DMARC_DIAG_BAD_VALUE));
	ck_assert(!has_diag(rec, DMARC_DIAG_DUPLICATE_TAG));
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_mode_bis_new_tags)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=reject; psd=n; t=y");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_NO);
	ck_assert_int_eq(dmarc_record_get_testing(rec), 1);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=reject; psd=u; t=n");
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_UNKNOWN);
	ck_assert_int_eq(dmarc_record_get_testing(rec), 0);
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_PSD));
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_T));
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=reject; psd=x");
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_UNKNOWN);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 24, "psd");
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * Invisible white space: line breaks, no-break spaces, byte order marks
 * ====================================================================== */

/* What is read as white space (lenient) but is not WSP. */
static const struct { const char *bytes, *name; dmarc_diag_code code; }
    invisible[] = {
	{ "\r\n", "CRLF", DMARC_DIAG_LINE_BREAK },
	{ "\r\n ", "CRLF SP (folding)", DMARC_DIAG_LINE_BREAK },
	{ "\r\n\t", "CRLF HTAB (folding)", DMARC_DIAG_LINE_BREAK },
	{ "\n", "LF", DMARC_DIAG_LINE_BREAK },
	{ "\r", "CR", DMARC_DIAG_LINE_BREAK },
	{ "\xc2\xa0", "U+00A0", DMARC_DIAG_UNICODE_SPACE },
	{ "\xef\xbb\xbf", "U+FEFF (BOM)", DMARC_DIAG_UNICODE_SPACE },
	{ "\xe2\x80\x83", "U+2003", DMARC_DIAG_UNICODE_SPACE },
	{ "\xe2\x80\x8b", "U+200B", DMARC_DIAG_UNICODE_SPACE },
	{ "\xe2\x80\xaf", "U+202F", DMARC_DIAG_UNICODE_SPACE },
	{ "\xe2\x81\xa0", "U+2060", DMARC_DIAG_UNICODE_SPACE },
	{ "\xe3\x80\x80", "U+3000", DMARC_DIAG_UNICODE_SPACE },
	{ " \xc2\xa0\t", "SP U+00A0 HTAB", DMARC_DIAG_UNICODE_SPACE },
};

/* Each '#' of a template is where WSP may stand; one of them at a time
 * gets the invisible bytes. */
static const char *const invisible_templates[] = {
	"v=DMARC1;#p=reject;#sp=quarantine#",
	"v=DMARC1#;#p#=#reject#;#sp#=#quarantine#;#",
	"v=DMARC1; p=reject; sp=quarantine; rua=mailto:a@example.com,#"
	    "mailto:b@example.com#",
};

static size_t fill_template(char *out, const char *tpl, int hole,
    const char *bytes, size_t *at)
{
	size_t n = 0;
	int k = 0;

	for (; *tpl != '\0'; tpl++) {
		if (*tpl != '#') {
			out[n++] = *tpl;
			continue;
		}
		if (k++ == hole) {
			*at = n;
			memcpy(out + n, bytes, strlen(bytes));
			n += strlen(bytes);
		}
	}
	out[n] = '\0';
	return n;
}

static int template_holes(const char *tpl)
{
	int k = 0;

	for (; *tpl != '\0'; tpl++)
		k += *tpl == '#';
	return k;
}

/* Lenient: in every place WSP may stand, in every mode, the invisible
 * character is white space with a warning, and the stated policy stays. */
START_TEST(test_invisible_space_lenient)
{
	static const dmarc_mode modes[] = { BIS, OLD, PSD };
	char text[256];
	size_t i, t, m, at, n;
	int h;

	for (t = 0; t < sizeof invisible_templates / sizeof *invisible_templates;
	    t++)
	for (i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
	for (h = 0; h < template_holes(invisible_templates[t]); h++)
	for (m = 0; m < 3; m++) {
		dmarc_record *rec;
		const dmarc_diag *d;
		n = fill_template(text, invisible_templates[t], h,
		    invisible[i].bytes, &at);
		rec = parse_len_in(modes[m], 0, text, n);
		ck_assert_msg(dmarc_record_get_state(rec) == DMARC_RECORD_VALID &&
		    dmarc_record_get_policy(rec, DMARC_TAG_P) ==
		    DMARC_POLICY_REJECT && dmarc_record_get_policy(rec,
		    DMARC_TAG_SP) == DMARC_POLICY_QUARANTINE,
		    "mode %d, %s at %zu of \"%s\": state %d p %d",
		    (int)modes[m], invisible[i].name, at, text,
		    (int)dmarc_record_get_state(rec),
		    (int)dmarc_record_get_policy(rec, DMARC_TAG_P));
		d = find_diag(rec, invisible[i].code);
		ck_assert_msg(d != NULL, "%s at %zu: no %s warning",
		    invisible[i].name, at, invisible[i].name);
		ck_assert_int_eq(dmarc_diag_get_severity(d), WARN);
		ck_assert_msg(dmarc_diag_get_offset(d) >= at &&
		    dmarc_diag_get_offset(d) + dmarc_diag_get_length(d) <=
		    at + strlen(invisible[i].bytes), "%s at %zu: warning at "
		    "%zu+%zu", invisible[i].name, at, dmarc_diag_get_offset(d),
		    dmarc_diag_get_length(d));
		ck_assert(!has_diag(rec, DMARC_DIAG_SYNTAX));
		ck_assert(!has_diag(rec, DMARC_DIAG_BAD_VALUE));
		if (t == 2)
			ck_assert_uint_eq(dmarc_record_get_uri_count(rec,
			    DMARC_TAG_RUA), 2);
		dmarc_record_free(rec);
	}
}
END_TEST

/* The cases of the report, spelled out. */
START_TEST(test_invisible_space_cases)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1;\r\n p=reject");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_diag_codes(rec, DMARC_DIAG_LINE_BREAK);
	ck_assert_uint_eq(dmarc_diag_get_length(ck_assert_diag(rec,
	    DMARC_DIAG_LINE_BREAK, WARN, 9, "")), 2);
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=reject\r\n");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_diag_codes(rec, DMARC_DIAG_LINE_BREAK);
	ck_assert_diag(rec, DMARC_DIAG_LINE_BREAK, WARN, 18, "");
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; \xc2\xa0p=reject");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_diag_codes(rec, DMARC_DIAG_UNICODE_SPACE);
	ck_assert_uint_eq(dmarc_diag_get_length(ck_assert_diag(rec,
	    DMARC_DIAG_UNICODE_SPACE, WARN, 10, "")), 2);
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1;\xef\xbb\xbfp=reject");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_uint_eq(dmarc_diag_get_length(ck_assert_diag(rec,
	    DMARC_DIAG_UNICODE_SPACE, WARN, 9, "")), 3);
	dmarc_record_free(rec);
	/* a folded version tag */
	rec = parse_in(OLD, 0, "v=DMARC1\r\n ;\r\n p=quarantine\r\n");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_QUARANTINE);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_LINE_BREAK), 3);
	ck_assert_diag(rec, DMARC_DIAG_LINE_BREAK, WARN, 8, "v");
	dmarc_record_free(rec);
}
END_TEST

/* Inside a value an invisible character is no white space: the value is
 * bad, as any other, and a bad p never reads as p=none without a rua. */
START_TEST(test_invisible_inside_value)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=re\r\n ject");

	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=re\xc2\xa0ject");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	dmarc_record_free(rec);
	/* only whole characters count: E2 80 then a letter is no space */
	rec = parse_in(BIS, 0, "v=DMARC1; p=reject\xe2\x80" "A");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert(!has_diag(rec, DMARC_DIAG_UNICODE_SPACE));
	dmarc_record_free(rec);
}
END_TEST

/* Strict: the grammar's WSP is SP and HTAB only, so these characters are
 * syntax errors (the record is invalid) or bad values (the rua rule). */
START_TEST(test_invisible_space_strict)
{
	static const dmarc_mode modes[] = { BIS, OLD };
	size_t m, i;

	for (m = 0; m < 2; m++) {
		for (i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
			char text[128];
			dmarc_record *rec;
			snprintf(text, sizeof text, "v=DMARC1;%sp=reject",
			    invisible[i].bytes);
			rec = parse_in(modes[m], STRICT, text);
			ck_assert_msg(dmarc_record_get_state(rec) ==
			    DMARC_RECORD_INVALID, "strict %s before p: state %d",
			    invisible[i].name, (int)dmarc_record_get_state(rec));
			ck_assert(has_diag(rec, DMARC_DIAG_SYNTAX));
			ck_assert(!has_diag(rec, invisible[i].code));
			dmarc_record_free(rec);
			snprintf(text, sizeof text, "v=DMARC1; p=reject%s",
			    invisible[i].bytes);
			rec = parse_in(modes[m], STRICT, text);
			ck_assert_state(rec, DMARC_RECORD_INVALID);
			ck_assert(has_diag(rec, DMARC_DIAG_BAD_VALUE));
			ck_assert(has_diag(rec, DMARC_DIAG_NO_POLICY));
			dmarc_record_free(rec);
		}
	}
}
END_TEST

/* Before v, invisible characters are leading white space: the text is
 * not a DMARC record unless DMARC_PARSE_SKIP_LEADING_SPACE is set. */
START_TEST(test_invisible_leading)
{
	const char *text = "\xef\xbb\xbfv=DMARC1; p=reject";
	dmarc_record *rec = parse_in(BIS, 0, text);

	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_diag_codes(rec, DMARC_DIAG_NO_VERSION);
	dmarc_record_free(rec);
	rec = parse_in(BIS, SKIP_SPACE, text);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_diag(rec, DMARC_DIAG_LEADING_SPACE, WARN, 0, "");
	ck_assert_diag(rec, DMARC_DIAG_UNICODE_SPACE, WARN, 0, "v");
	dmarc_record_free(rec);
	rec = parse_in(BIS, SKIP_SPACE | STRICT, text);
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * Record length limit
 * ====================================================================== */

START_TEST(test_record_too_long)
{
	static const char text[] = "v=DMARC1; p=reject; foo=bar";
	dmarc_ctx *ctx = new_ctx(BIS, 0);
	dmarc_record *rec;

	ck_assert_int_eq(dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
	    18), DMARC_OK);
	/* Exactly at the limit. */
	rec = parse_ctx(ctx, text, 18);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	dmarc_record_free(rec);
	/* Over it: invalid as a whole, not read up to the limit. */
	rec = parse_ctx(ctx, text, sizeof text - 1);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_all_policies(rec, DMARC_POLICY_UNSPECIFIED);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_P));
	ck_assert_diag_codes(rec, DMARC_DIAG_RECORD_TOO_LONG);
	ck_assert_uint_eq(dmarc_diag_get_length(ck_assert_diag(rec,
	    DMARC_DIAG_RECORD_TOO_LONG, ERR, 18, "")), 9);
	dmarc_record_free(rec);
	/* A long text that is not DMARC is simply not DMARC. */
	rec = parse_ctx(ctx, "v=spf1 include:_spf.example.com -all", 36);
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert(!has_diag(rec, DMARC_DIAG_RECORD_TOO_LONG));
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

/* The default takes any record DNS can carry (a TXT RDATA is at most
 * 65535 octets, RFC 1035 3.3.14): no RFC caps a DMARC record's length. */
START_TEST(test_record_length_default)
{
	size_t limit = 65535;
	char *text = malloc(limit + 2);
	dmarc_ctx *ctx = new_ctx(OLD, 0);
	dmarc_record *rec;
	size_t n;

	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(dmarc_ctx_get_limit(ctx, DMARC_LIMIT_RECORD_LENGTH),
	    limit);
	n = (size_t)snprintf(text, limit + 2, "v=DMARC1; p=quarantine; x=");
	memset(text + n, 'a', limit + 1 - n);
	text[limit + 1] = '\0';
	rec = parse_ctx(ctx, text, limit);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_QUARANTINE);
	dmarc_record_free(rec);
	rec = parse_ctx(ctx, text, limit + 1);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_RECORD_TOO_LONG, ERR, limit, "");
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
	free(text);
}
END_TEST

/* A correct p=reject record of 4 KiB, many reporting URIs and unknown
 * tags: valid by default in every mode, p=reject kept. */
START_TEST(test_long_record_default)
{
	char *text = malloc(8192);
	size_t n, m;

	ck_assert_ptr_nonnull(text);
	n = (size_t)sprintf(text, "v=DMARC1; p=reject; "
	    "rua=mailto:a@example.com,mailto:b@example.com");
	while (n < 4096) /* unknown tags x<letters>, each a new name */
		n += (size_t)sprintf(text + n, "; x%c%c=%s",
		    'a' + (int)(n % 26), 'a' + (int)(n / 26 % 26),
		    "some-future-tag-value");
	for (m = 0; m < 2; m++) {
		dmarc_record *rec = parse_len_in(both_modes[m], 0, text, n);
		ck_assert_state(rec, DMARC_RECORD_VALID);
		ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
		ck_assert(!has_diag(rec, DMARC_DIAG_RECORD_TOO_LONG));
		dmarc_record_free(rec);
	}
	free(text);
}
END_TEST

/* ======================================================================
 * NUL and 8-bit bytes; explicit lengths
 * ====================================================================== */

START_TEST(test_nul_bytes)
{
	static const char in_p[] = "v=DMARC1; p=re\0ject";
	static const char after_v[] = "v=DMARC1\0; p=reject";
	static const char at_end[] = "v=DMARC1; p=reject\0";
	static const char in_other[] = "v=DMARC1; foo=\0; p=reject";
	static const char first[] = "\0v=DMARC1; p=reject";
	dmarc_record *rec;

	rec = parse_len_in(BIS, 0, in_p, sizeof in_p - 1);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_uint_eq(dmarc_diag_get_length(ck_assert_diag(rec,
	    DMARC_DIAG_BAD_VALUE, ERR, 12, "p")), 7);
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, 0, after_v, sizeof after_v - 1);
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VERSION, ERR, 2, NULL);
	dmarc_record_free(rec);
	rec = parse_len_in(OLD, 0, at_end, sizeof at_end - 1);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert(has_diag(rec, DMARC_DIAG_BAD_VALUE));
	dmarc_record_free(rec);
	/* The parser does not stop at a NUL: p after it is read. */
	rec = parse_len_in(BIS, 0, in_other, sizeof in_other - 1);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	/* the ignored value still holds a byte no tag value may hold */
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG, DMARC_DIAG_SYNTAX);
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, SKIP_SPACE, first, sizeof first - 1);
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	dmarc_record_free(rec);
	/* The length given is what is parsed: no NUL needed after it. */
	rec = parse_len_in(BIS, 0, "v=DMARC1; p=rejectXYZ", 18);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_all_policies(rec, DMARC_POLICY_REJECT);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, 0, "v=DMARC1; p=reject", 8);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_P));
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_high_bytes)
{
	static const char in_name[] = "v=DMARC1; p=reject; \xe9x=1";
	static const char in_value[] = "v=DMARC1; p=reject; foo=\x80\xff";
	static const char in_keyword[] = "v=DMARC1; p=reject; adkim=\xd3";
	static const char in_policy[] = "v=DMARC1; p=r\xc3\xa9ject";
	static const char in_version[] = "v=DMARC\xb9; p=reject";
	dmarc_record *rec;

	rec = parse_len_in(BIS, 0, in_name, sizeof in_name - 1);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_SYNTAX);
	ck_assert_diag(rec, DMARC_DIAG_SYNTAX, WARN, 20, "");
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, 0, in_value, sizeof in_value - 1);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag_codes(rec, DMARC_DIAG_UNKNOWN_TAG, DMARC_DIAG_SYNTAX);
	ck_assert_diag(rec, DMARC_DIAG_SYNTAX, WARN, 24, "foo");
	dmarc_record_free(rec);
	rec = parse_len_in(OLD, 0, in_keyword, sizeof in_keyword - 1);
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 26, "adkim");
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_RELAXED);
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, 0, in_policy, sizeof in_policy - 1);
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	dmarc_record_free(rec);
	rec = parse_len_in(BIS, 0, in_version, sizeof in_version - 1);
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	dmarc_record_free(rec);
}
END_TEST

/* ======================================================================
 * Values
 * ====================================================================== */

START_TEST(test_policy_fallbacks)
{
	static const struct {
		dmarc_mode mode;
		const char *text;
		dmarc_policy p, sp, np;
	} cases[] = {
		{ BIS, "v=DMARC1; p=reject", DMARC_POLICY_REJECT,
		  DMARC_POLICY_REJECT, DMARC_POLICY_REJECT },
		{ BIS, "v=DMARC1; p=reject; sp=quarantine", DMARC_POLICY_REJECT,
		  DMARC_POLICY_QUARANTINE, DMARC_POLICY_QUARANTINE },
		{ BIS, "v=DMARC1; p=reject; np=none", DMARC_POLICY_REJECT,
		  DMARC_POLICY_REJECT, DMARC_POLICY_NONE },
		{ BIS, "v=DMARC1; np=reject; sp=none; p=quarantine",
		  DMARC_POLICY_QUARANTINE, DMARC_POLICY_NONE,
		  DMARC_POLICY_REJECT },
		{ BIS, "v=DMARC1; sp=reject", DMARC_POLICY_NONE,
		  DMARC_POLICY_REJECT, DMARC_POLICY_REJECT },
		{ BIS, "v=DMARC1; np=quarantine", DMARC_POLICY_NONE,
		  DMARC_POLICY_NONE, DMARC_POLICY_QUARANTINE },
		{ OLD, "v=DMARC1; p=none; sp=reject", DMARC_POLICY_NONE,
		  DMARC_POLICY_REJECT, DMARC_POLICY_REJECT },
		{ OLD, "v=DMARC1; p=none; sp=reject; np=quarantine",
		  DMARC_POLICY_NONE, DMARC_POLICY_REJECT, DMARC_POLICY_REJECT },
		{ PSD, "v=DMARC1; p=none; np=quarantine", DMARC_POLICY_NONE,
		  DMARC_POLICY_NONE, DMARC_POLICY_QUARANTINE },
		{ PSD, "v=DMARC1; p=none; sp=reject", DMARC_POLICY_NONE,
		  DMARC_POLICY_REJECT, DMARC_POLICY_REJECT },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dmarc_record *rec = parse_in(cases[i].mode, 0, cases[i].text);
		ck_assert_msg(dmarc_record_get_state(rec) == DMARC_RECORD_VALID,
		    "\"%s\" not valid", cases[i].text);
		ck_assert_msg(dmarc_record_get_policy(rec, DMARC_TAG_P) ==
		    cases[i].p, "\"%s\": p", cases[i].text);
		ck_assert_msg(dmarc_record_get_policy(rec, DMARC_TAG_SP) ==
		    cases[i].sp, "\"%s\": sp", cases[i].text);
		ck_assert_msg(dmarc_record_get_policy(rec, DMARC_TAG_NP) ==
		    cases[i].np, "\"%s\": np", cases[i].text);
		/* Only policy tags have a policy. */
		ck_assert_int_eq(dmarc_record_get_policy(rec, DMARC_TAG_ADKIM),
		    DMARC_POLICY_UNSPECIFIED);
		dmarc_record_free(rec);
	}
}
END_TEST

START_TEST(test_has_tag)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p=reject; sp=none; "
	    "np=quarantine; adkim=s; aspf=r; rua=mailto:a@example.com; "
	    "ruf=mailto:f@example.com; fo=d:s; psd=y; t=n");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	assert_tags_exactly(rec, TAGBIT(DMARC_TAG_V) | TAGBIT(DMARC_TAG_P) |
	    TAGBIT(DMARC_TAG_SP) | TAGBIT(DMARC_TAG_NP) |
	    TAGBIT(DMARC_TAG_ADKIM) | TAGBIT(DMARC_TAG_ASPF) |
	    TAGBIT(DMARC_TAG_RUA) | TAGBIT(DMARC_TAG_RUF) |
	    TAGBIT(DMARC_TAG_FO) | TAGBIT(DMARC_TAG_PSD) | TAGBIT(DMARC_TAG_T));
	ck_assert_uint_eq(dmarc_record_get_fo(rec), DMARC_FO_DKIM | DMARC_FO_SPF);
	ck_assert_int_eq(dmarc_record_get_psd(rec), DMARC_PSD_YES);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ASPF),
	    DMARC_ALIGN_RELAXED);
	/* Not tags at all. */
	ck_assert_int_eq(dmarc_record_has_tag(rec, (dmarc_tag)0), 0);
	ck_assert_int_eq(dmarc_record_has_tag(rec, (dmarc_tag)15), 0);
	ck_assert_int_eq(dmarc_record_has_tag(rec, (dmarc_tag)-1), 0);
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	rec = parse_in(OLD, 0, "v=DMARC1; p=none; pct=0; rf=afrf; ri=60");
	assert_tags_exactly(rec, TAGBIT(DMARC_TAG_V) | TAGBIT(DMARC_TAG_P) |
	    TAGBIT(DMARC_TAG_PCT) | TAGBIT(DMARC_TAG_RF) | TAGBIT(DMARC_TAG_RI));
	dmarc_record_free(rec);
	/* A tag given with an unusable value is not present. */
	rec = parse_in(OLD, 0, "v=DMARC1; p=none; pct=x; rf=x; ri=x; adkim=x; "
	    "aspf=x; fo=x; rua=x; ruf=x; sp=none");
	assert_tags_exactly(rec, TAGBIT(DMARC_TAG_V) | TAGBIT(DMARC_TAG_P) |
	    TAGBIT(DMARC_TAG_SP));
	dmarc_record_free(rec);
	/* Not a DMARC record: nothing is present. */
	rec = parse_in(BIS, 0, "v=DMARC2; p=none");
	assert_tags_exactly(rec, 0);
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_ri_edges)
{
	static const struct { const char *value; int ok; uint32_t ri; }
	    cases[] = {
		{ "4294967295", 1, 4294967295ul },
		{ "4294967296", 0, 86400 },
		{ "0", 1, 0 },
		{ "3600", 1, 3600 },
		{ "0000000000000086400", 1, 86400 },
		{ "12345678901", 0, 86400 },
		{ "-1", 0, 86400 },
		{ "+5", 0, 86400 },
		{ "1h", 0, 86400 },
		{ "1 0", 0, 86400 },
		{ "", 0, 86400 },
	};
	static const char prefix[] = "v=DMARC1; p=none; ri=";
	char text[80];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dmarc_record *rec;
		snprintf(text, sizeof text, "%s%s", prefix, cases[i].value);
		rec = parse_in(OLD, 0, text);
		ck_assert_state(rec, DMARC_RECORD_VALID);
		ck_assert_msg(dmarc_record_get_ri(rec) == cases[i].ri,
		    "ri=%s gives %lu", cases[i].value,
		    (unsigned long)dmarc_record_get_ri(rec));
		ck_assert_int_eq(dmarc_record_has_tag(rec, DMARC_TAG_RI),
		    cases[i].ok);
		if (cases[i].ok)
			ck_assert_no_diags(rec);
		else
			ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR,
			    sizeof prefix - 1, "ri");
		dmarc_record_free(rec);
	}
}
END_TEST

START_TEST(test_pct_edges)
{
	static const struct { const char *value; int ok; unsigned int pct; }
	    cases[] = {
		{ "0", 1, 0 },
		{ "100", 1, 100 },
		{ "101", 0, 100 },
		{ "0100", 0, 100 },
		{ "050", 1, 50 },
		{ "7", 1, 7 },
		{ "", 0, 100 },
		{ "-0", 0, 100 },
		{ "5%", 0, 100 },
		{ "1000", 0, 100 },
	};
	static const char prefix[] = "v=DMARC1; p=reject; pct=";
	char text[80];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dmarc_record *rec;
		snprintf(text, sizeof text, "%s%s", prefix, cases[i].value);
		rec = parse_in(OLD, 0, text);
		ck_assert_state(rec, DMARC_RECORD_VALID);
		ck_assert_msg(dmarc_record_get_pct(rec) == cases[i].pct,
		    "pct=%s gives %u", cases[i].value, dmarc_record_get_pct(rec));
		ck_assert_int_eq(dmarc_record_has_tag(rec, DMARC_TAG_PCT),
		    cases[i].ok);
		if (!cases[i].ok)
			ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR,
			    sizeof prefix - 1, "pct");
		dmarc_record_free(rec);
		/* RFC 9989: always 100. */
		rec = parse_in(BIS, 0, text);
		ck_assert_uint_eq(dmarc_record_get_pct(rec), 100);
		dmarc_record_free(rec);
	}
}
END_TEST

START_TEST(test_fo_combinations)
{
	enum { BAD = 0xff };
	static const struct { const char *value; unsigned int bis, old; }
	    cases[] = {
		{ "0", DMARC_FO_ALL_FAIL, DMARC_FO_ALL_FAIL },
		{ "1", DMARC_FO_ANY_FAIL, DMARC_FO_ANY_FAIL },
		{ "d", DMARC_FO_DKIM, DMARC_FO_DKIM },
		{ "s", DMARC_FO_SPF, DMARC_FO_SPF },
		{ "d:s", DMARC_FO_DKIM | DMARC_FO_SPF,
		  DMARC_FO_DKIM | DMARC_FO_SPF },
		{ "1:d:s", DMARC_FO_ANY_FAIL | DMARC_FO_DKIM | DMARC_FO_SPF,
		  DMARC_FO_ANY_FAIL | DMARC_FO_DKIM | DMARC_FO_SPF },
		/* RFC 7489 allows WSP around ':', RFC 9989 does not */
		{ "s : 1\t:d", BAD,
		  DMARC_FO_ANY_FAIL | DMARC_FO_DKIM | DMARC_FO_SPF },
		{ "0 : d", BAD, DMARC_FO_ALL_FAIL | DMARC_FO_DKIM },
		{ "0: d", BAD, DMARC_FO_ALL_FAIL | DMARC_FO_DKIM },
		{ "0 :d", BAD, DMARC_FO_ALL_FAIL | DMARC_FO_DKIM },
		{ "0:d\t", DMARC_FO_ALL_FAIL | DMARC_FO_DKIM,
		  DMARC_FO_ALL_FAIL | DMARC_FO_DKIM }, /* trailing WSP is eq's */
		{ "0:d", DMARC_FO_ALL_FAIL | DMARC_FO_DKIM,
		  DMARC_FO_ALL_FAIL | DMARC_FO_DKIM },
		{ "D", DMARC_FO_DKIM, DMARC_FO_DKIM },
		{ "0:1", BAD, DMARC_FO_ALL_FAIL | DMARC_FO_ANY_FAIL },
		{ "1:0", BAD, DMARC_FO_ALL_FAIL | DMARC_FO_ANY_FAIL },
		{ "d:d", BAD, DMARC_FO_DKIM },
		{ "0:0", BAD, DMARC_FO_ALL_FAIL },
		{ "1:0:d:s", BAD, DMARC_FO_ALL_FAIL | DMARC_FO_ANY_FAIL |
		  DMARC_FO_DKIM | DMARC_FO_SPF },
		{ "2", BAD, BAD },
		{ "", BAD, BAD },
		{ "d:", BAD, BAD },
		{ ":d", BAD, BAD },
		{ "ds", BAD, BAD },
		{ "d s", BAD, BAD },
		{ "d;", DMARC_FO_DKIM, DMARC_FO_DKIM }, /* value ends at ';' */
	};
	static const dmarc_mode modes[] = { BIS, OLD, PSD };
	static const char prefix[] = "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=";
	char text[96];
	size_t i, m;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "%s%s", prefix, cases[i].value);
		for (m = 0; m < 3; m++) {
			unsigned int want = modes[m] == BIS ? cases[i].bis
			    : cases[i].old;
			dmarc_record *rec = parse_in(modes[m], 0, text);

			ck_assert_state(rec, DMARC_RECORD_VALID);
			ck_assert_msg(dmarc_record_get_fo(rec) ==
			    (want == BAD ? DMARC_FO_ALL_FAIL : want),
			    "mode %d fo=%s gives %u", (int)modes[m],
			    cases[i].value, dmarc_record_get_fo(rec));
			ck_assert_int_eq(dmarc_record_has_tag(rec, DMARC_TAG_FO),
			    want != BAD);
			ck_assert_int_eq(has_diag(rec, DMARC_DIAG_BAD_VALUE),
			    want == BAD);
			if (want == BAD)
				ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR,
				    sizeof prefix - 1, "fo");
			ck_assert(!has_diag(rec, DMARC_DIAG_FO_WITHOUT_RUF));
			dmarc_record_free(rec);
		}
	}
}
END_TEST

START_TEST(test_rf_values)
{
	dmarc_record *rec = parse_in(OLD, 0, "v=DMARC1; p=none; rf=afrf:iodef");

	/* afrf is there: rf is usable, the unknown format is ignored. */
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_uint_eq(dmarc_record_get_rf(rec), DMARC_RF_AFRF);
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_RF));
	ck_assert_diag_codes(rec, DMARC_DIAG_BAD_VALUE);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, WARN, 26, "rf");
	dmarc_record_free(rec);
	rec = parse_in(OLD, 0, "v=DMARC1; p=none; rf = iodef : afrf ");
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_RF));
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, WARN, 23, "rf");
	dmarc_record_free(rec);
	rec = parse_in(OLD, 0, "v=DMARC1; p=none; rf=afrf");
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_RF));
	ck_assert_no_diags(rec);
	dmarc_record_free(rec);
	rec = parse_in(PSD, 0, "v=DMARC1; p=none; rf=AFRF");
	ck_assert(dmarc_record_has_tag(rec, DMARC_TAG_RF));
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 21, "rf");
	dmarc_record_free(rec);
	/* Not a keyword list at all: a bad value. */
	rec = parse_in(OLD, 0, "v=DMARC1; p=none; rf=afrf:");
	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert(!dmarc_record_has_tag(rec, DMARC_TAG_RF));
	ck_assert_uint_eq(dmarc_record_get_rf(rec), DMARC_RF_AFRF);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 21, "rf");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_keyword_values)
{
	dmarc_record *rec = parse_in(BIS, 0, "v=DMARC1; p = Quarantine ; "
	    "sp=REJECT; adkim=s; aspf=s");

	ck_assert_state(rec, DMARC_RECORD_VALID);
	ck_assert_policies(rec, DMARC_POLICY_QUARANTINE, DMARC_POLICY_REJECT,
	    DMARC_POLICY_REJECT);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM),
	    DMARC_ALIGN_STRICT);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_ASPF),
	    DMARC_ALIGN_STRICT);
	ck_assert_uint_eq(count_diag(rec, DMARC_DIAG_CASE), 2);
	ck_assert_diag(rec, DMARC_DIAG_CASE, WARN, 14, "p");
	dmarc_record_free(rec);
	/* Prefixes and interior space are not keywords. */
	rec = parse_in(BIS, 0, "v=DMARC1; p=rej");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=re ject");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=rejectx");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	dmarc_record_free(rec);
	rec = parse_in(BIS, 0, "v=DMARC1; p=");
	ck_assert_state(rec, DMARC_RECORD_INVALID);
	ck_assert_diag(rec, DMARC_DIAG_BAD_VALUE, ERR, 12, "p");
	dmarc_record_free(rec);
}
END_TEST

START_TEST(test_version_forms)
{
	static const struct { const char *text; dmarc_record_state state; }
	    cases[] = {
		{ "v=DMARC1", DMARC_RECORD_VALID },
		{ "v=DMARC1;", DMARC_RECORD_VALID },
		{ "v\t=\tDMARC1\t;p=none", DMARC_RECORD_VALID },
		{ "v=DMARC1 p=none", DMARC_RECORD_NOT_DMARC },
		{ "v=DMARC10; p=none", DMARC_RECORD_NOT_DMARC },
		{ "v=DMARC; p=none", DMARC_RECORD_NOT_DMARC },
		{ "v=Dmarc1; p=none", DMARC_RECORD_NOT_DMARC },
		{ "v=; p=none", DMARC_RECORD_NOT_DMARC },
		{ "v", DMARC_RECORD_NOT_DMARC },
		{ "vv=DMARC1; p=none", DMARC_RECORD_NOT_DMARC },
		{ "ver=DMARC1; p=none", DMARC_RECORD_NOT_DMARC },
		{ "v=spf1 -all", DMARC_RECORD_NOT_DMARC },
		{ "", DMARC_RECORD_NOT_DMARC },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dmarc_record *rec = parse_in(BIS, 0, cases[i].text);
		ck_assert_msg(dmarc_record_get_state(rec) == cases[i].state,
		    "\"%s\": state %d, expected %d", cases[i].text,
		    (int)dmarc_record_get_state(rec), (int)cases[i].state);
		if (cases[i].state == DMARC_RECORD_NOT_DMARC)
			ck_assert(has_diag(rec, DMARC_DIAG_NO_VERSION) ||
			    has_diag(rec, DMARC_DIAG_BAD_VERSION));
		dmarc_record_free(rec);
	}
}
END_TEST

/* ======================================================================
 * NULL arguments
 * ====================================================================== */

START_TEST(test_parse_null_arguments)
{
	static char sentinel;
	dmarc_ctx *ctx = new_ctx(BIS, 0);
	dmarc_record *rec = (dmarc_record *)(void *)&sentinel;

	ck_assert_int_eq(dmarc_record_parse(NULL, ctx, "v=DMARC1", 8),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_record_parse(&rec, NULL, "v=DMARC1", 8),
	    DMARC_EINVAL);
	ck_assert_ptr_null(rec);
	rec = (dmarc_record *)(void *)&sentinel;
	ck_assert_int_eq(dmarc_record_parse(&rec, ctx, NULL, 8), DMARC_EINVAL);
	ck_assert_ptr_null(rec);
	/* NULL with length 0 is the empty text. */
	ck_assert_int_eq(dmarc_record_parse(&rec, ctx, NULL, 0), DMARC_OK);
	ck_assert_ptr_nonnull(rec);
	ck_assert_state(rec, DMARC_RECORD_NOT_DMARC);
	ck_assert(has_diag(rec, DMARC_DIAG_NO_VERSION));
	dmarc_record_free(rec);
	dmarc_record_free(NULL);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_getters_null)
{
	const dmarc_record *rec = NULL;

	ck_assert_int_eq(dmarc_record_get_state(rec), DMARC_RECORD_NOT_DMARC);
	ck_assert_int_eq(dmarc_record_has_tag(rec, DMARC_TAG_V), 0);
	ck_assert_int_eq(dmarc_record_get_policy(rec, DMARC_TAG_P),
	    DMARC_POLICY_UNSPECIFIED);
	ck_assert_int_eq(dmarc_record_get_policy(rec, DMARC_TAG_NP),
	    DMARC_POLICY_UNSPECIFIED);
	assert_value_defaults(rec);
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_RUA), 0);
	ck_assert_ptr_null(dmarc_record_get_uri(rec, DMARC_TAG_RUA, 0));
	ck_assert_uint_eq(dmarc_record_get_diag_count(rec), 0);
	ck_assert_ptr_null(dmarc_record_get_diag(rec, 0));
	ck_assert_ptr_null(dmarc_uri_get_text(NULL));
	ck_assert_ptr_null(dmarc_uri_get_scheme(NULL));
	ck_assert_ptr_null(dmarc_uri_get_address(NULL));
	ck_assert_uint_eq(dmarc_uri_get_size_limit(NULL), 0);
	ck_assert_uint_eq(dmarc_uri_get_flags(NULL), 0);
	ck_assert_uint_eq(dmarc_diag_get_offset(NULL), 0);
	ck_assert_uint_eq(dmarc_diag_get_length(NULL), 0);
	ck_assert_ptr_null(dmarc_diag_get_tag(NULL));
	ck_assert_ptr_nonnull(dmarc_diag_get_name(NULL));
	ck_assert_ptr_nonnull(dmarc_diag_get_text(NULL));
}
END_TEST

START_TEST(test_getters_out_of_range)
{
	dmarc_record *rec = parse_in(BIS, 0,
	    "v=DMARC1; p=none; rua=mailto:a@example.com; foo=1");

	ck_assert_uint_eq(dmarc_record_get_diag_count(rec), 1);
	ck_assert_ptr_nonnull(dmarc_record_get_diag(rec, 0));
	ck_assert_ptr_null(dmarc_record_get_diag(rec, 1));
	ck_assert_ptr_null(dmarc_record_get_diag(rec, (size_t)-1));
	ck_assert_ptr_nonnull(dmarc_record_get_uri(rec, DMARC_TAG_RUA, 0));
	ck_assert_ptr_null(dmarc_record_get_uri(rec, DMARC_TAG_RUA, 1));
	ck_assert_ptr_null(dmarc_record_get_uri(rec, DMARC_TAG_RUF, 0));
	ck_assert_ptr_null(dmarc_record_get_uri(rec, DMARC_TAG_P, 0));
	ck_assert_uint_eq(dmarc_record_get_uri_count(rec, DMARC_TAG_P), 0);
	ck_assert_int_eq(dmarc_record_get_alignment(rec, DMARC_TAG_P),
	    DMARC_ALIGN_RELAXED);
	dmarc_record_free(rec);
}
END_TEST

/* ====================================================================== */

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc;

	tc = tcase_create("vectors");
	tcase_add_loop_test(tc, test_P01, 0, 2);
	tcase_add_loop_test(tc, test_P02, 0, 2);
	tcase_add_loop_test(tc, test_P03, 0, 2);
	tcase_add_loop_test(tc, test_P04, 0, 2);
	tcase_add_loop_test(tc, test_P05, 0, 2);
	tcase_add_loop_test(tc, test_P06, 0, 2);
	tcase_add_loop_test(tc, test_P07, 0, 2);
	tcase_add_test(tc, test_P08);
	tcase_add_test(tc, test_P09);
	tcase_add_loop_test(tc, test_P10, 0, 2);
	tcase_add_loop_test(tc, test_P11, 0, 2);
	tcase_add_loop_test(tc, test_P12, 0, 2);
	tcase_add_loop_test(tc, test_P13, 0, 2);
	tcase_add_loop_test(tc, test_P14, 0, 2);
	tcase_add_test(tc, test_P15);
	tcase_add_test(tc, test_P16);
	tcase_add_loop_test(tc, test_P17, 0, 2);
	tcase_add_loop_test(tc, test_P18, 0, 2);
	tcase_add_test(tc, test_P19);
	tcase_add_test(tc, test_P20);
	tcase_add_test(tc, test_P21);
	tcase_add_test(tc, test_P22);
	tcase_add_test(tc, test_P23);
	tcase_add_test(tc, test_P24);
	tcase_add_loop_test(tc, test_P25, 0, 2);
	tcase_add_loop_test(tc, test_P26, 0, 2);
	tcase_add_loop_test(tc, test_P27, 0, 2);
	tcase_add_test(tc, test_P28);
	tcase_add_test(tc, test_P29);
	tcase_add_loop_test(tc, test_P30, 0, 2);
	tcase_add_test(tc, test_P31);
	tcase_add_test(tc, test_P32);
	tcase_add_test(tc, test_P33);
	tcase_add_test(tc, test_P34);
	tcase_add_loop_test(tc, test_P35, 0, 2);
	tcase_add_test(tc, test_P36);
	suite_add_tcase(s, tc);

	tc = tcase_create("diagnostics");
	tcase_add_loop_test(tc, test_diag_names, 0,
	    (int)(sizeof diag_cases / sizeof diag_cases[0]));
	tcase_add_test(tc, test_diag_no_version);
	tcase_add_test(tc, test_diag_bad_version);
	tcase_add_test(tc, test_diag_syntax);
	tcase_add_test(tc, test_diag_duplicate_tag);
	tcase_add_test(tc, test_diag_bad_value);
	tcase_add_test(tc, test_diag_missing_p);
	tcase_add_test(tc, test_diag_p_not_second);
	tcase_add_test(tc, test_diag_unknown_tag);
	tcase_add_test(tc, test_diag_historic_tag);
	tcase_add_test(tc, test_diag_uri_codes);
	tcase_add_test(tc, test_diag_size_codes);
	tcase_add_test(tc, test_diag_record_too_long);
	tcase_add_test(tc, test_diag_uri_limits);
	tcase_add_test(tc, test_diag_empty_tag);
	tcase_add_test(tc, test_diag_case);
	tcase_add_test(tc, test_diag_case_version);
	tcase_add_test(tc, test_diag_leading_space);
	tcase_add_test(tc, test_diag_verdicts);
	tcase_add_test(tc, test_diag_fo_without_ruf);
	tcase_add_test(tc, test_diag_too_many_diags);
	tcase_add_test(tc, test_diag_spans_within_input);
	tcase_add_test(tc, test_too_many_diags_cap);
	tcase_add_test(tc, test_too_many_diags_keeps_verdict);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_test(tc, test_strict_lower_case_record);
	tcase_add_test(tc, test_strict_upper_case_tag_is_unknown);
	tcase_add_test(tc, test_strict_upper_case_keyword_is_bad);
	tcase_add_test(tc, test_strict_empty_tag_invalid);
	tcase_add_test(tc, test_strict_malformed_tag_invalid);
	tcase_add_test(tc, test_strict_value_outside_tagchar);
	tcase_add_test(tc, test_strict_p_not_second);
	tcase_add_test(tc, test_duplicate_default_invalid);
	tcase_add_test(tc, test_duplicate_first_wins);
	tcase_add_test(tc, test_duplicate_first_wins_rfc7489_p);
	tcase_add_test(tc, test_leading_space_default_not_dmarc);
	tcase_add_test(tc, test_leading_space_skipped);
	suite_add_tcase(s, tc);

	tc = tcase_create("modes");
	tcase_add_test(tc, test_mode_rfc7489_psd);
	tcase_add_test(tc, test_mode_rfc7489_unknown_tags);
	tcase_add_test(tc, test_mode_bis_historic_tags);
	tcase_add_test(tc, test_mode_bis_new_tags);
	suite_add_tcase(s, tc);

	tc = tcase_create("input");
	tcase_add_test(tc, test_record_too_long);
	tcase_add_test(tc, test_record_length_default);
	tcase_add_test(tc, test_long_record_default);
	tcase_add_test(tc, test_invisible_space_lenient);
	tcase_add_test(tc, test_invisible_space_cases);
	tcase_add_test(tc, test_invisible_inside_value);
	tcase_add_test(tc, test_invisible_space_strict);
	tcase_add_test(tc, test_invisible_leading);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_high_bytes);
	tcase_add_test(tc, test_version_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_policy_fallbacks);
	tcase_add_test(tc, test_has_tag);
	tcase_add_test(tc, test_ri_edges);
	tcase_add_test(tc, test_pct_edges);
	tcase_add_test(tc, test_fo_combinations);
	tcase_add_test(tc, test_rf_values);
	tcase_add_test(tc, test_keyword_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_test(tc, test_parse_null_arguments);
	tcase_add_test(tc, test_getters_null);
	tcase_add_test(tc, test_getters_out_of_range);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(record_suite());
}
