/*
 * Tests of the name and parse function of every public enum
 * (include/dmarc/keyword.h): every value of every enum has a keyword
 * that parses back to it, the RFC keywords are the RFC's, parsing is
 * exact but for case, and every value a getter returns has a name.
 *
 * The enumerators come from the headers themselves (test/keyword-enums.h,
 * made by test/keyword-enums.awk), so a value appended to an enum without
 * a keyword, or an enum without name and parse functions, fails here.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include <dmarc/dmarc.h>

/* The name of value, checked: not NULL, lower-case letters, digits, '-'
 * and '_' (DNS types upper case), and parsing it, in either case, gives
 * the value back. */
#define CHECK_ROUND_TRIP(type, v)                                          \
	do {                                                               \
		const char *name_ = type##_name(v);                        \
		char swapped_[64];                                         \
		type back_;                                                \
		size_t i_, n_;                                             \
		ck_assert_msg(name_ != NULL, "%s %d has no name", #type,   \
		    (int)(v));                                             \
		n_ = strlen(name_);                                        \
		ck_assert_msg(n_ > 0 && n_ < sizeof swapped_,              \
		    "%s %d: name length %u", #type, (int)(v), (unsigned)n_); \
		for (i_ = 0; i_ < n_; i_++) {                              \
			unsigned char c_ = (unsigned char)name_[i_];       \
			ck_assert_msg(isdigit(c_) || c_ == '-' ||          \
			    c_ == '_' || islower(c_) || (isupper(c_) &&    \
			    strcmp(#type, "dmarc_rrtype") == 0),           \
			    "%s %d: bad character in \"%s\"", #type,       \
			    (int)(v), name_);                              \
			swapped_[i_] = (char)(islower(c_) ? toupper(c_) :  \
			    tolower(c_));                                  \
		}                                                          \
		back_ = (type)-1;                                          \
		ck_assert_int_eq(type##_parse(name_, n_, &back_), DMARC_OK); \
		ck_assert_msg(back_ == (v), "%s \"%s\" parses as %d, not %d", \
		    #type, name_, (int)back_, (int)(v));                   \
		back_ = (type)-1;                                          \
		ck_assert_int_eq(type##_parse(swapped_, n_, &back_),       \
		    DMARC_OK);                                             \
		ck_assert_int_eq(back_, (v));                              \
	} while (0)

/* check_<type>(): every enumerator round-trips, and every other value
 * from below the smallest to above the largest has no name. */
#define KW_ENUM(type, ...)                                                 \
	static void check_##type(void)                                     \
	{                                                                  \
		static const type values[] = { __VA_ARGS__ };              \
		size_t i, n = sizeof values / sizeof values[0];            \
		long lo = (long)values[0], hi = (long)values[0], v;        \
		for (i = 0; i < n; i++) {                                  \
			CHECK_ROUND_TRIP(type, values[i]);                 \
			lo = (long)values[i] < lo ? (long)values[i] : lo;  \
			hi = (long)values[i] > hi ? (long)values[i] : hi;  \
		}                                                          \
		for (v = lo - 2; v <= hi + 2; v++) {                       \
			int known = 0;                                     \
			for (i = 0; i < n; i++)                            \
				known |= (long)values[i] == v;             \
			if (!known)                                        \
				ck_assert_msg(type##_name((type)v) == NULL, \
				    "%s %ld is no value but has a name",   \
				    #type, v);                             \
		}                                                          \
	}
#include "keyword-enums.h"
#undef KW_ENUM

START_TEST(test_every_value_round_trips)
{
#define KW_ENUM(type, ...) check_##type();
#include "keyword-enums.h"
#undef KW_ENUM
}
END_TEST

/* The names of every value of an enum, in header order, joined by
 * spaces, into buf; "?" for a value without a name. */
#define KW_ENUM(type, ...)                                                 \
	static const char *names_##type(char *buf, size_t size)            \
	{                                                                  \
		static const type values[] = { __VA_ARGS__ };              \
		size_t i, used = 0;                                        \
		buf[0] = '\0';                                             \
		for (i = 0; i < sizeof values / sizeof values[0]; i++) {   \
			const char *name = type##_name(values[i]);         \
			int k = snprintf(buf + used, size - used, "%s%s",  \
			    i > 0 ? " " : "", name != NULL ? name : "?");  \
			ck_assert(k > 0 && (size_t)k < size - used);       \
			used += (size_t)k;                                 \
		}                                                          \
		return buf;                                                \
	}
#include "keyword-enums.h"
#undef KW_ENUM

/* Every keyword, pinned: the RFC ones (record tags and values, RFC 8601
 * results, RFC 9990 and RFC 7489 report keywords) and libdmarc's names,
 * which never change once released. */
START_TEST(test_every_keyword)
{
	static const struct {
		const char *enum_name, *names;
	} expected[] = {
		{ "dmarc_status", "ok enomem einval erange ebuffer erecord "
		    "enotsup ename-empty ename-label ename-length ename-char "
		    "ename-idna enopsl estate enolookup eresolver etruncated "
		    "emessage efrom ebusy esystem efull" },
		{ "dmarc_feature", "record-parser rfc7489 rfc9091 psl treewalk "
		    "resolver evaluation aggregate failure" },
		{ "dmarc_mode", "rfc9989 rfc7489 rfc7489-psd" },
		{ "dmarc_parse_option", "strict duplicate-first-wins "
		    "skip-leading-space" },
		{ "dmarc_limit", "record-length uris-per-list uri-length "
		    "header-length from-domains dkim-signatures eval-queries "
		    "run-seconds cache-bytes cache-ttl aggregate-rows "
		    "report-interval report-bytes report-ratio xml-depth "
		    "xml-elements xml-string report-records mime-depth "
		    "mime-parts" },
		{ "dmarc_record_state", "valid as-none invalid not-dmarc" },
		{ "dmarc_tag", "none v p sp np adkim aspf pct rua ruf fo rf ri "
		    "psd t" },
		{ "dmarc_policy", "unspecified none quarantine reject" },
		{ "dmarc_alignment", "r s" },
		{ "dmarc_psd", "u y n" },
		{ "dmarc_fo", "0 1 d s" },
		{ "dmarc_rf", "afrf" },
		{ "dmarc_uri_flag", "mailto unsupported has-size size-obsolete" },
		{ "dmarc_select", "none one discarded multiple" },
		{ "dmarc_severity", "error warning" },
		{ "dmarc_diag_code", "none no-version bad-version syntax "
		    "duplicate-tag bad-value missing-p p-not-second unknown-tag "
		    "historic-tag uri-no-scheme uri-unsupported uri-malformed "
		    "bad-size size-obsolete record-too-long too-many-uris "
		    "uri-too-long empty-tag case leading-space as-none "
		    "no-policy fo-without-ruf too-many-diagnostics "
		    "multiple-records invalid-record dns-tempfail dns-permfail "
		    "org-not-queried ar-syntax ar-version ar-method-version "
		    "ar-too-many ar-too-long line-break unicode-space "
		    "org-unknown query-limit deadline from-missing "
		    "from-repeated from-syntax from-too-long from-domains "
		    "from-no-domain ar-untrusted dkim-dropped aggregate-full "
		    "spool-torn spool-bad report-namespace report-wrapper "
		    "report-unknown-element report-order report-missing "
		    "report-repeated report-keyword report-value report-text "
		    "report-repaired report-markup report-range "
		    "report-count-zero report-container report-failed "
		    "arf-field" },
		{ "dmarc_step", "query done" },
		{ "dmarc_discovery_result", "pending found none temperror "
		    "permerror" },
		{ "dmarc_source", "none author org psd" },
		{ "dmarc_method", "psl treewalk" },
		{ "dmarc_authorization", "unchecked internal authorized refused "
		    "tempfail override-refused" },
		{ "dmarc_result", "pending none pass fail temperror permerror" },
		{ "dmarc_verdict", "none pass fail softfail neutral temperror "
		    "permerror policy" },
		{ "dmarc_spf_scope", "mfrom helo" },
		{ "dmarc_alignment_result", "unaligned exact org" },
		{ "dmarc_disposition", "none quarantine reject pass" },
		{ "dmarc_reason", "none forwarded sampled_out trusted_forwarder "
		    "mailing_list local_policy other policy_test_mode" },
		{ "dmarc_eval_option", "multi-from reject-evidence" },
		{ "dmarc_authres_state", "valid bad-version syntax" },
		{ "dmarc_rrtype", "A MX TXT AAAA" },
		{ "dmarc_dns_outcome", "records nodata nxdomain tempfail "
		    "permfail" },
		{ "dmarc_psl_sections", "all icann-only" },
		{ "dmarc_authres_style", "field value value-lf" },
		{ "dmarc_reporter_field", "org-name email extra-contact "
		    "submitter generator host-id from" },
		{ "dmarc_report_flag", "gzip pretty" },
		{ "dmarc_aggregate_count", "rows messages dropped reports "
		    "spool-rows spool-torn spool-bad" },
		{ "dmarc_spool_flag", "sync follow" },
		{ "dmarc_reader_event", "need-input report row report-end "
		    "failure-report failed done" },
		{ "dmarc_reader_failure", "none truncated corrupt limit "
		    "dtd-forbidden invalid-value not-a-report unsupported" },
		{ "dmarc_reader_field", "none containers part-name "
		    "message-index failure-text format version org-name email "
		    "extra-contact-info report-id begin end error generator "
		    "policy-domain discovery-method p sp np pct fo adkim aspf "
		    "testing records messages source-ip count disposition "
		    "dkim-aligned spf-aligned reason-type reason-comment "
		    "header-from envelope-from envelope-to dkim-domain "
		    "dkim-selector dkim-result dkim-human-result spf-domain "
		    "spf-scope spf-result spf-human-result feedback-type "
		    "user-agent arf-version auth-failure identity-alignment "
		    "delivery-result authentication-results source-port "
		    "reported-domain reported-uri original-mail-from "
		    "original-rcpt-to original-envelope-id arrival-date "
		    "reporting-mta incidents arf-dkim-domain arf-dkim-identity "
		    "arf-dkim-selector spf-dns original-headers" },
	};
	char buf[1024];
	size_t i, found = 0;

#define KW_ENUM(type, ...)                                                 \
	for (i = 0; i < sizeof expected / sizeof expected[0]; i++)         \
		if (strcmp(expected[i].enum_name, #type) == 0) {           \
			ck_assert_str_eq(names_##type(buf, sizeof buf),    \
			    expected[i].names);                            \
			found++;                                           \
		}
#include "keyword-enums.h"
#undef KW_ENUM
	/* each expected enum exists (and a new enum is added here) */
	ck_assert_uint_eq(found, sizeof expected / sizeof expected[0]);
}
END_TEST

/* A diagnostic's name is its code's name. */
START_TEST(test_diag_name_agrees)
{
	const char *txt = "v=DMARC1; p=bogus; P=none; adkim=x; foo=1";
	dmarc_ctx *ctx;
	dmarc_record *rec;
	size_t i, n;

	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_record_parse(&rec, ctx, txt, strlen(txt)),
	    DMARC_OK);
	n = dmarc_record_get_diag_count(rec);
	ck_assert_uint_gt(n, 2);
	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		ck_assert_str_eq(dmarc_diag_get_name(d),
		    dmarc_diag_code_name(dmarc_diag_get_code(d)));
	}
	ck_assert_str_eq(dmarc_diag_get_name(NULL), "unknown");
	dmarc_record_free(rec);
	dmarc_ctx_free(ctx);
}
END_TEST

START_TEST(test_parse_exact)
{
	dmarc_policy p = DMARC_POLICY_NONE;
	dmarc_fo fo = DMARC_FO_SPF;
	dmarc_spf_scope scope = DMARC_SPF_HELO;
	dmarc_rrtype rr = DMARC_RR_A;

	ck_assert_int_eq(dmarc_policy_parse("ReJeCt", 6, &p), DMARC_OK);
	ck_assert_int_eq(p, DMARC_POLICY_REJECT);
	/* the length counts, not a NUL */
	ck_assert_int_eq(dmarc_policy_parse("none of it", 4, &p), DMARC_OK);
	ck_assert_int_eq(p, DMARC_POLICY_NONE);
	p = DMARC_POLICY_QUARANTINE;
	ck_assert_int_eq(dmarc_policy_parse("rejec", 5, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse("rejects", 7, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse("reject ", 7, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse(" reject", 7, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse("reject\0", 7, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse("", 0, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse(NULL, 0, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse(NULL, 6, &p), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse("reject", 6, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_policy_parse("r\xc5ject", 6, &p), DMARC_EINVAL);
	ck_assert_int_eq(p, DMARC_POLICY_QUARANTINE); /* unchanged */
	ck_assert_int_eq(dmarc_fo_parse("D", 1, &fo), DMARC_OK);
	ck_assert_int_eq(fo, DMARC_FO_DKIM);
	/* one flag at a time */
	ck_assert_int_eq(dmarc_fo_parse("0:1", 3, &fo), DMARC_EINVAL);
	/* only letters fold: 0x10 and 0x11 differ from "0" and "1" in bit
	 * 0x20 alone, as 'D' from 'd' */
	ck_assert_int_eq(dmarc_fo_parse("\x10", 1, &fo), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_fo_parse("\x11", 1, &fo), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_fo_parse("\x04", 1, &fo), DMARC_EINVAL);
	ck_assert_int_eq(fo, DMARC_FO_DKIM);
	/* RFC 8601 writes the SPF scope smtp.mailfrom: read, never given */
	ck_assert_int_eq(dmarc_spf_scope_parse("MailFrom", 8, &scope),
	    DMARC_OK);
	ck_assert_int_eq(scope, DMARC_SPF_MAILFROM);
	ck_assert_int_eq(dmarc_spf_scope_parse("helo", 4, &scope), DMARC_OK);
	ck_assert_int_eq(scope, DMARC_SPF_HELO);
	ck_assert_int_eq(dmarc_rrtype_parse("txt", 3, &rr), DMARC_OK);
	ck_assert_int_eq(rr, DMARC_RR_TXT);
	ck_assert_int_eq(dmarc_rrtype_parse("TXT.", 4, &rr), DMARC_EINVAL);
}
END_TEST

START_TEST(test_out_of_range)
{
	ck_assert_ptr_null(dmarc_policy_name((dmarc_policy)4));
	ck_assert_ptr_null(dmarc_policy_name((dmarc_policy)-1));
	ck_assert_ptr_null(dmarc_status_name((dmarc_status)(DMARC_EFULL + 1)));
	ck_assert_ptr_null(dmarc_fo_name((dmarc_fo)3)); /* two flags */
	ck_assert_ptr_null(dmarc_fo_name((dmarc_fo)16));
	ck_assert_ptr_null(dmarc_rrtype_name((dmarc_rrtype)5));
	ck_assert_ptr_null(dmarc_diag_code_name(
	    (dmarc_diag_code)(DMARC_DIAG_ARF_FIELD + 1)));
	ck_assert_ptr_null(dmarc_tag_name((dmarc_tag)(DMARC_TAG_T + 1)));
	ck_assert_ptr_null(dmarc_reason_name((dmarc_reason)1000));
}
END_TEST

/* ---- every value a getter returns has a name ---- */

#define NAMED(type, expr)                                                  \
	ck_assert_msg(type##_name(expr) != NULL, "%s: %d has no name",     \
	    #expr, (int)(expr))

/* Every bit of a bit set is a named flag. */
#define NAMED_BITS(type, expr)                                             \
	do {                                                               \
		unsigned int bits_ = (expr), bit_;                         \
		for (bit_ = 1; bit_ != 0; bit_ <<= 1)                      \
			ck_assert_msg(!(bits_ & bit_) ||                   \
			    type##_name((type)bit_) != NULL,               \
			    "%s: bit %#x has no name", #expr, bit_);       \
	} while (0)

static void record_getters(const dmarc_record *rec)
{
	static const dmarc_tag tags[] = { DMARC_TAG_NONE, DMARC_TAG_P,
		DMARC_TAG_SP, DMARC_TAG_NP, DMARC_TAG_ADKIM, DMARC_TAG_ASPF,
		(dmarc_tag)99 };
	size_t i;

	NAMED(dmarc_record_state, dmarc_record_get_state(rec));
	NAMED(dmarc_mode, dmarc_record_get_mode(rec));
	NAMED(dmarc_psd, dmarc_record_get_psd(rec));
	NAMED_BITS(dmarc_fo, dmarc_record_get_fo(rec));
	NAMED_BITS(dmarc_rf, dmarc_record_get_rf(rec));
	for (i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		NAMED(dmarc_policy, dmarc_record_get_policy(rec, tags[i]));
		NAMED(dmarc_alignment,
		    dmarc_record_get_alignment(rec, tags[i]));
	}
	for (i = 0; i < dmarc_record_get_uri_count(rec, DMARC_TAG_RUA); i++)
		NAMED_BITS(dmarc_uri_flag, dmarc_uri_get_flags(
		    dmarc_record_get_uri(rec, DMARC_TAG_RUA, i)));
	for (i = 0; i <= dmarc_record_get_diag_count(rec); i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		NAMED(dmarc_diag_code, dmarc_diag_get_code(d));
		NAMED(dmarc_severity, dmarc_diag_get_severity(d));
	}
}

START_TEST(test_getters_records)
{
	static const char *const texts[] = {
		"v=DMARC1; p=reject; sp=none; adkim=s; fo=1:d; psd=y; "
		    "rua=mailto:a@example.com!10m,https://x.example/",
		"v=DMARC1; p=bogus; rua=mailto:a@example.com",
		"v=DMARC1; p=none; p=reject",
		"v=DMARC2; p=none",
		"v=DMARC1; P=Reject; pct=50; rf=afrf; ri=7; x=y;;",
	};
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD };
	const char *const *t;
	dmarc_select sel = DMARC_SELECT_NONE;
	size_t lens[2];
	size_t m, i;

	record_getters(NULL);
	NAMED(dmarc_diag_code, dmarc_diag_get_code(NULL));
	NAMED(dmarc_severity, dmarc_diag_get_severity(NULL));
	for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		dmarc_ctx *ctx;
		dmarc_record *rec;
		ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
		NAMED(dmarc_mode, dmarc_ctx_get_mode(ctx));
		NAMED(dmarc_psl_sections, dmarc_ctx_get_psl_sections(ctx));
		ck_assert_int_eq(dmarc_ctx_set_mode(ctx, modes[m]), DMARC_OK);
		NAMED(dmarc_mode, dmarc_ctx_get_mode(ctx));
		ck_assert_int_eq(dmarc_ctx_set_parse_options(ctx,
		    DMARC_PARSE_STRICT | DMARC_PARSE_SKIP_LEADING_SPACE),
		    DMARC_OK);
		NAMED_BITS(dmarc_parse_option, dmarc_ctx_get_parse_options(ctx));
		ck_assert_int_eq(dmarc_ctx_set_eval_options(ctx,
		    DMARC_EVAL_MULTI_FROM | DMARC_EVAL_REJECT_EVIDENCE),
		    DMARC_OK);
		NAMED_BITS(dmarc_eval_option, dmarc_ctx_get_eval_options(ctx));
		for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			ck_assert_int_eq(dmarc_record_parse(&rec, ctx, texts[i],
			    strlen(texts[i])), DMARC_OK);
			record_getters(rec);
			dmarc_record_free(rec);
		}
		for (t = texts; t < texts + 3; t += 2) {
			lens[0] = strlen(t[0]);
			lens[1] = strlen(t[1]);
			rec = NULL;
			ck_assert_int_eq(dmarc_record_select(&rec, &sel, ctx, t,
			    lens, 2), DMARC_OK);
			NAMED(dmarc_select, sel);
			dmarc_record_free(rec);
		}
		dmarc_ctx_free(ctx);
	}
	NAMED(dmarc_mode, dmarc_ctx_get_mode(NULL));
	NAMED(dmarc_psl_sections, dmarc_ctx_get_psl_sections(NULL));
}
END_TEST

static void discovery_getters(const dmarc_discovery *d)
{
	static const dmarc_tag lists[] = { DMARC_TAG_RUA, DMARC_TAG_RUF,
		DMARC_TAG_P };
	size_t k, i;

	NAMED(dmarc_discovery_result, dmarc_discovery_get_result(d));
	NAMED(dmarc_source, dmarc_discovery_get_source(d));
	NAMED(dmarc_method, dmarc_discovery_get_method(d));
	NAMED(dmarc_tag, dmarc_discovery_get_applied_tag(d));
	NAMED(dmarc_policy, dmarc_discovery_get_policy(d));
	for (k = 0; k < 3; k++)
		for (i = 0; i < 3; i++)
			NAMED(dmarc_authorization,
			    dmarc_discovery_get_authorization(d, lists[k], i));
	for (i = 0; i <= dmarc_discovery_get_diag_count(d); i++) {
		const dmarc_diag *g = dmarc_discovery_get_diag(d, i);
		NAMED(dmarc_diag_code, dmarc_diag_get_code(g));
		NAMED(dmarc_severity, dmarc_diag_get_severity(g));
	}
}

/* Answers every question: a record at _dmarc.example.com (and an
 * authorization for the report domain), NXDOMAIN elsewhere, a temporary
 * failure for names under fail.example. */
static void answer(const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *a)
{
	static const char rec[] = "v=DMARC1; p=reject; "
	    "rua=mailto:r@example.com,mailto:r@reports.example.net; "
	    "ruf=mailto:f@example.com";
	static const char auth[] = "v=DMARC1";

	NAMED(dmarc_rrtype, qtype);
	if (strstr(qname, "fail.example") != NULL)
		dmarc_dns_answer_set(a, DMARC_DNS_TEMPFAIL, 60);
	else if (strcmp(qname, "_dmarc.example.com") == 0 &&
	    qtype == DMARC_RR_TXT)
		dmarc_dns_answer_add_txt(a, rec, sizeof rec - 1);
	else if (strstr(qname, "._report._dmarc.reports.example.net") !=
	    NULL && qtype == DMARC_RR_TXT)
		dmarc_dns_answer_add_txt(a, auth, sizeof auth - 1);
	else
		dmarc_dns_answer_set(a, DMARC_DNS_NXDOMAIN, 60);
}

static void run_discovery(dmarc_discovery *d)
{
	const char *qname;
	dmarc_rrtype qtype;
	dmarc_step step;

	while ((step = dmarc_discovery_step(d, &qname, &qtype)) ==
	    DMARC_STEP_QUERY) {
		NAMED(dmarc_step, step);
		answer(qname, qtype, dmarc_discovery_get_answer(d));
	}
	NAMED(dmarc_step, step);
}

START_TEST(test_getters_discovery)
{
	static const char *const names[] = { "mail.example.com", "example.org",
		"x.fail.example" };
	dmarc_ctx *ctx;
	dmarc_discovery *d;
	size_t i;

	discovery_getters(NULL);
	NAMED(dmarc_step, dmarc_discovery_step(NULL, NULL, NULL));
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	ck_assert_int_eq(dmarc_discovery_new(&d, ctx), DMARC_OK);
	discovery_getters(d); /* before a start */
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		ck_assert_int_eq(dmarc_discovery_start(d, names[i],
		    strlen(names[i])), DMARC_OK);
		discovery_getters(d); /* started, not run */
		run_discovery(d);
		discovery_getters(d);
		if (dmarc_discovery_get_result(d) == DMARC_DISCOVERY_FOUND &&
		    dmarc_discovery_start_verify(d) == DMARC_OK) {
			run_discovery(d);
			discovery_getters(d);
		}
	}
	ck_assert_int_eq(dmarc_discovery_start_org(d, "a.b.example.com", 15),
	    DMARC_OK);
	run_discovery(d);
	discovery_getters(d);
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
}
END_TEST

static void eval_getters(const dmarc_eval *ev)
{
	size_t i;

	NAMED(dmarc_result, dmarc_eval_get_result(ev));
	NAMED(dmarc_alignment_result, dmarc_eval_get_spf_alignment(ev));
	NAMED(dmarc_alignment_result, dmarc_eval_get_dkim_alignment(ev));
	NAMED(dmarc_policy, dmarc_eval_get_requested_policy(ev));
	NAMED(dmarc_disposition, dmarc_eval_get_disposition(ev));
	NAMED(dmarc_disposition, dmarc_eval_get_applied_disposition(ev));
	NAMED(dmarc_verdict, dmarc_eval_get_spf_result(ev));
	NAMED(dmarc_spf_scope, dmarc_eval_get_spf_scope(ev));
	NAMED_BITS(dmarc_fo, dmarc_eval_get_failure_reports(ev));
	for (i = 0; i <= dmarc_eval_get_reason_count(ev); i++)
		NAMED(dmarc_reason, dmarc_eval_get_reason(ev, i));
	for (i = 0; i <= dmarc_eval_get_dkim_count(ev); i++)
		NAMED(dmarc_verdict, dmarc_eval_get_dkim_result(ev, i));
	discovery_getters(dmarc_eval_get_discovery(ev));
}

static void run_eval(dmarc_eval *ev)
{
	const char *qname;
	dmarc_rrtype qtype;
	dmarc_step step;

	while ((step = dmarc_eval_step(ev, &qname, &qtype)) ==
	    DMARC_STEP_QUERY)
		answer(qname, qtype, dmarc_eval_get_answer(ev));
	NAMED(dmarc_step, step);
}

START_TEST(test_getters_eval)
{
	static const char *const froms[] = { "a@example.com",
		"a@mail.example.com", "a@nowhere.example", "a@x.fail.example" };
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489_PSD };
	size_t m, i;

	eval_getters(NULL);
	NAMED(dmarc_step, dmarc_eval_step(NULL, NULL, NULL));
	for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		dmarc_ctx *ctx;
		dmarc_eval *ev;
		ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
		ck_assert_int_eq(dmarc_ctx_set_mode(ctx, modes[m]), DMARC_OK);
		ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
		eval_getters(ev); /* before a run */
		for (i = 0; i < sizeof froms / sizeof froms[0]; i++) {
			dmarc_eval_reset(ev);
			ck_assert_int_eq(dmarc_eval_add_from(ev, froms[i],
			    strlen(froms[i])), DMARC_OK);
			ck_assert_int_eq(dmarc_eval_set_spf(ev,
			    (dmarc_verdict)(DMARC_VERDICT_NONE + i),
			    "bounce.example.com", 18, i % 2 == 0 ?
			    DMARC_SPF_MAILFROM : DMARC_SPF_HELO), DMARC_OK);
			ck_assert_int_eq(dmarc_eval_add_dkim(ev,
			    i == 1 ? DMARC_VERDICT_PASS : DMARC_VERDICT_FAIL,
			    "example.com", 11, "s1", 2), DMARC_OK);
			eval_getters(ev); /* inputs, not run */
			run_eval(ev);
			eval_getters(ev);
			if (dmarc_eval_get_status(ev) == DMARC_OK &&
			    dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
			    DMARC_REASON_LOCAL_POLICY, "test") == DMARC_OK)
				eval_getters(ev);
		}
		dmarc_eval_free(ev);
		dmarc_ctx_free(ctx);
	}
}
END_TEST

START_TEST(test_getters_authres)
{
	static const char *const fields[] = {
		"mx.example.net; spf=pass smtp.mailfrom=example.com; "
		    "dkim=fail header.d=example.com",
		"mx.example.net 2; spf=pass",
		"mx.example.net; spf=",
		"",
	};
	dmarc_ctx *ctx;
	size_t i, k;

	NAMED(dmarc_authres_state, dmarc_authres_get_state(NULL));
	ck_assert_int_eq(dmarc_ctx_new(&ctx), DMARC_OK);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		dmarc_authres *ar;
		ck_assert_int_eq(dmarc_authres_parse(&ar, ctx, fields[i],
		    strlen(fields[i])), DMARC_OK);
		NAMED(dmarc_authres_state, dmarc_authres_get_state(ar));
		for (k = 0; k <= dmarc_authres_get_diag_count(ar); k++) {
			const dmarc_diag *g = dmarc_authres_get_diag(ar, k);
			NAMED(dmarc_diag_code, dmarc_diag_get_code(g));
			NAMED(dmarc_severity, dmarc_diag_get_severity(g));
		}
		dmarc_authres_free(ar);
	}
	dmarc_ctx_free(ctx);
}
END_TEST

/* Every status a call returns has a name, and the features too. */
START_TEST(test_status_and_features)
{
	dmarc_feature f;

	NAMED(dmarc_status, dmarc_ctx_new(NULL));
	NAMED(dmarc_status, dmarc_record_format(NULL, NULL, 0, NULL));
	for (f = DMARC_FEATURE_RECORD_PARSER; f <= DMARC_FEATURE_FAILURE;
	    f = (dmarc_feature)(f + 1))
		NAMED(dmarc_feature, f);
}
END_TEST

static Suite *keyword_suite(void)
{
	Suite *s = suite_create("keyword");
	TCase *tc = tcase_create("keyword");

	tcase_add_test(tc, test_every_value_round_trips);
	tcase_add_test(tc, test_every_keyword);
	tcase_add_test(tc, test_diag_name_agrees);
	tcase_add_test(tc, test_parse_exact);
	tcase_add_test(tc, test_out_of_range);
	tcase_add_test(tc, test_getters_records);
	tcase_add_test(tc, test_getters_discovery);
	tcase_add_test(tc, test_getters_eval);
	tcase_add_test(tc, test_getters_authres);
	tcase_add_test(tc, test_status_and_features);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(keyword_suite());
}
