/*
 * The spool line codec and the report row: rows from real evaluations
 * (through the fake resolver) and rows made by hand survive a line and
 * back, identical and in canonical form; the DKIM priority of RFC 9990
 * 3.1.3; malformed lines with the offset where they break; unknown keys
 * skipped; a later major version refused; a row over the line limit
 * refused whole.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "fake-dns.h"
#include "spool-rows.h"
#include "test-data.h"
#include "report/row.h"
#include "report/spool_codec.h"

static struct fake_zone Z;
static const struct fake_rr ZONE[] = {
	{ "_dmarc.example.com", DMARC_RR_TXT, 0,
	    "v=DMARC1; p=reject; rua=mailto:d@example.com", 0 },
	{ "_dmarc.example.org", DMARC_RR_TXT, 0,
	    "v=DMARC1; p=quarantine; sp=none; pct=0; adkim=s; fo=1:d", 0 },
	{ "_dmarc.example.net", DMARC_RR_TXT, 0, "v=DMARC1; p=none; t=y", 0 },
	{ NULL, (dmarc_rrtype)0, 0, NULL, 0 }
};

static dmarc_ctx *CTX;
static dmarc_eval *EV;
/* rows are about 42 KiB: static, not on the stack */
static struct report_row ROW, BACK;

static uint32_t always_99(void *user)
{
	(void)user;
	return 99; /* pct sampling: never selected below pct=100 */
}

static void setup_mode(dmarc_mode mode)
{
	ck_assert_int_eq(dmarc_ctx_new(&CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(CTX, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl(CTX, psl_path()), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_random(CTX, always_99, NULL), DMARC_OK);
	fake_zone_init(&Z, ZONE);
	ck_assert_int_eq(dmarc_ctx_set_lookup(CTX, fake_lookup, &Z), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&EV, CTX), DMARC_OK);
}

static void setup(void)
{
	setup_mode(DMARC_MODE_RFC9989);
}

static void teardown(void)
{
	dmarc_eval_free(EV);
	dmarc_ctx_free(CTX);
	EV = NULL;
	CTX = NULL;
}

static void from(const char *value)
{
	ck_assert_int_eq(dmarc_eval_add_from(EV, value, strlen(value)),
	    DMARC_OK);
}

static void dkim(dmarc_verdict v, const char *d, const char *s)
{
	ck_assert_int_eq(dmarc_eval_add_dkim(EV, v, d, strlen(d), s,
	    strlen(s)), DMARC_OK);
}

static void spf(dmarc_verdict v, const char *domain, dmarc_spf_scope scope)
{
	ck_assert_int_eq(dmarc_eval_set_spf(EV, v, domain, strlen(domain),
	    scope), DMARC_OK);
}

static void ip(const char *text)
{
	ck_assert_int_eq(dmarc_eval_set_ip(EV, text, strlen(text)), DMARC_OK);
}

/* The row survives a line and back; the line is canonical (written
 * again the same) and has one LF, at its end. */
static void round_trip(const struct report_row *row, char *line,
    size_t size)
{
	char again[DMARC__SPOOL_LINE_SIZE];
	size_t len, len2, off = 99;

	ck_assert_int_eq(dmarc__spool_encode(row, line, size, &len), DMARC_OK);
	ck_assert_uint_eq(len, strlen(line));
	ck_assert_ptr_eq(strchr(line, '\n'), line + len - 1);
	ck_assert_uint_le(len, DMARC__SPOOL_LINE_MAX + 1);
	ck_assert_int_eq(dmarc__spool_decode(&BACK, line, len, &off), DMARC_OK);
	ck_assert_uint_eq(off, 0);
	ck_assert(dmarc__row_same_tuple(row, &BACK));
	ck_assert(dmarc__row_same_tuple(&BACK, row));
	ck_assert_uint_eq(dmarc__row_hash(row), dmarc__row_hash(&BACK));
	ck_assert_uint_eq(BACK.count, row->count);
	ck_assert_uint_eq(BACK.arrival, row->arrival);
	ck_assert_int_eq(dmarc__spool_encode(&BACK, again, sizeof again,
	    &len2), DMARC_OK);
	ck_assert_str_eq(again, line);
	/* without its LF it reads the same */
	ck_assert_int_eq(dmarc__spool_decode(&BACK, line, len - 1, NULL),
	    DMARC_OK);
	ck_assert(dmarc__row_same_tuple(row, &BACK));
}

static void eval_round_trip(char *line, size_t size)
{
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc__row_from_eval(&ROW, EV), DMARC_OK);
	round_trip(&ROW, line, size);
}

/* A pass: the whole line pinned down. */
START_TEST(test_eval_pass)
{
	char line[DMARC__SPOOL_LINE_SIZE];

	from("Alice <alice@example.com>");
	spf(DMARC_VERDICT_PASS, "example.com", DMARC_SPF_MAILFROM);
	dkim(DMARC_VERDICT_PASS, "example.com", "s1");
	ip("192.0.2.1");
	ck_assert_int_eq(dmarc_eval_set_envelope_from(EV, "example.com", 11),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_set_time(EV, 1718000000u), DMARC_OK);
	eval_round_trip(line, sizeof line);
	ck_assert_str_eq(line, SPOOL_BASE_LINE);
	spool_row_base(&BACK);
	ck_assert(dmarc__row_same_tuple(&ROW, &BACK));
}
END_TEST

/* A failure: reject applied as quarantine, with the library's reason
 * and its comment ("=" needs escaping); envelope_to; human result. */
START_TEST(test_eval_fail)
{
	char line[DMARC__SPOOL_LINE_SIZE];

	from("mallory@example.com");
	spf(DMARC_VERDICT_FAIL, "evil.example", DMARC_SPF_MAILFROM);
	dkim(DMARC_VERDICT_FAIL, "example.com", "s1");
	ck_assert_int_eq(dmarc_eval_set_dkim_human_result(EV, 0,
	    "bad signature, body hash", 24), DMARC_OK);
	ip("198.51.100.7");
	ck_assert_int_eq(dmarc_eval_set_envelope_to(EV, "Example.NET", 11),
	    DMARC_OK);
	eval_round_trip(line, sizeof line);
	ck_assert_int_eq(ROW.disposition, DMARC_DISPOSITION_QUARANTINE);
	ck_assert(!ROW.dkim_aligned && !ROW.spf_aligned);
	ck_assert_uint_eq(ROW.n_reasons, 1);
	ck_assert_int_eq(ROW.reasons[0].type, DMARC_REASON_LOCAL_POLICY);
	ck_assert_str_eq(ROW.dkim[0].human, "bad signature, body hash");
	ck_assert_str_eq(ROW.envelope_to, "example.net");
	ck_assert(!ROW.has_envelope_from);
	ck_assert_ptr_nonnull(strstr(line,
	    "\treason=local_policy,p%3Dreject applied as quarantine (RFC 9989 "
	    "7.4)\t"));
	ck_assert_ptr_nonnull(strstr(line,
	    "\tdkim=example.com,s1,fail,bad signature%2C body hash\n"));
	ck_assert_ptr_nonnull(strstr(line, "\tenvelope_to=example.net\t"));
}
END_TEST

/* The null path: envelope_from present and empty, SPF of HELO; IPv6 in
 * its RFC 5952 form; t=y gives policy_test_mode. */
START_TEST(test_eval_null_path_ipv6)
{
	char line[DMARC__SPOOL_LINE_SIZE];

	from("bounce@example.net");
	ck_assert_int_eq(dmarc_eval_set_envelope_from(EV, "", 0), DMARC_OK);
	spf(DMARC_VERDICT_PASS, "mx.example.net", DMARC_SPF_HELO);
	ip("2001:DB8:0:0:0:0:0:1");
	eval_round_trip(line, sizeof line);
	ck_assert(ROW.has_envelope_from);
	ck_assert_str_eq(ROW.envelope_from, "");
	ck_assert_int_eq(ROW.ip.family, 6);
	ck_assert_int_eq(ROW.policy.testing, 1);
	ck_assert_ptr_nonnull(strstr(line, "\tsource_ip=2001:db8::1\t"));
	ck_assert_ptr_nonnull(strstr(line, "\tenvelope_from=\t"));
	ck_assert_ptr_nonnull(strstr(line, "\tspf=mx.example.net,helo,pass"));
	ck_assert_ptr_nonnull(strstr(line, "\tt=y\t"));
	ck_assert_ptr_nonnull(strstr(line, "\tspf_aligned=pass\t"));
}
END_TEST

/* RFC 7489: pct sampling's reason, an override with a comment that
 * needs every escape, the record's other tags with defaults. */
START_TEST(test_eval_7489_override)
{
	char line[DMARC__SPOOL_LINE_SIZE];

	teardown();
	setup_mode(DMARC_MODE_RFC7489);
	from("a@www.example.org");
	ip("203.0.113.9");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_override(EV, DMARC_DISPOSITION_NONE,
	    DMARC_REASON_MAILING_LIST, "list, a/b 100% = ok"), DMARC_OK);
	ck_assert_int_eq(dmarc__row_from_eval(&ROW, EV), DMARC_OK);
	round_trip(&ROW, line, sizeof line);
	ck_assert_str_eq(ROW.policy_domain, "example.org");
	ck_assert_str_eq(ROW.header_from, "www.example.org");
	ck_assert_int_eq(ROW.policy.p, DMARC_POLICY_QUARANTINE);
	ck_assert_int_eq(ROW.policy.sp, DMARC_POLICY_NONE);
	ck_assert_int_eq(ROW.policy.pct, 0);
	ck_assert_int_eq(ROW.policy.method, DMARC_METHOD_PSL);
	ck_assert_uint_eq(ROW.n_reasons, 1); /* sp=none: nothing sampled */
	ck_assert_ptr_nonnull(strstr(line, "\tmode=rfc7489\tdiscovery_method="
	    "psl\tp=quarantine\tsp=none\tnp=none\tadkim=s\taspf=r\tfo=1:d\t"
	    "pct=0\tt=n\tpsd=u\t"));
	ck_assert_ptr_nonnull(strstr(line,
	    "\treason=mailing_list,list%2C a%2Fb 100%25 %3D ok\n"));
	ck_assert(!ROW.has_spf);
	ck_assert_uint_eq(ROW.n_dkim, 0);
}
END_TEST

/* RFC 9990 3.1.3: strictly aligned passes, relaxed-aligned passes,
 * other passes, failures; given order within each. */
START_TEST(test_dkim_priority)
{
	char line[DMARC__SPOOL_LINE_SIZE];

	from("a@example.com");
	dkim(DMARC_VERDICT_FAIL, "example.com", "f1");
	dkim(DMARC_VERDICT_PASS, "example.net", "o1");
	dkim(DMARC_VERDICT_PASS, "mail.example.com", "r1");
	dkim(DMARC_VERDICT_TEMPERROR, "example.com", "f2");
	dkim(DMARC_VERDICT_PASS, "example.com", "s1");
	dkim(DMARC_VERDICT_PASS, "other.example", "o2");
	eval_round_trip(line, sizeof line);
	ck_assert_uint_eq(ROW.n_dkim, 6);
	ck_assert_str_eq(ROW.dkim[0].selector, "s1");
	ck_assert_str_eq(ROW.dkim[1].selector, "r1");
	ck_assert_str_eq(ROW.dkim[2].selector, "o1");
	ck_assert_str_eq(ROW.dkim[3].selector, "o2");
	ck_assert_str_eq(ROW.dkim[4].selector, "f1");
	ck_assert_str_eq(ROW.dkim[5].selector, "f2");
	ck_assert_int_eq(ROW.dkim[5].result, DMARC_VERDICT_TEMPERROR);
}
END_TEST

/* Nothing to report: not run, no From, no record. */
START_TEST(test_eval_nothing)
{
	ck_assert_int_eq(dmarc__row_from_eval(&ROW, EV), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_EFROM);
	ck_assert_int_eq(dmarc__row_from_eval(&ROW, EV), DMARC_ESTATE);
	dmarc_eval_reset(EV);
	from("a@no-record.example");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_get_result(EV), DMARC_RESULT_NONE);
	ck_assert_int_eq(dmarc__row_from_eval(&ROW, EV), DMARC_ESTATE);
	dmarc_eval_reset(EV);
	from("undisclosed-recipients:;");
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc__row_from_eval(&ROW, EV), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__row_from_eval(NULL, EV), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__row_from_eval(&ROW, NULL), DMARC_EINVAL);
}
END_TEST

/* The most a row holds: 64 signatures, 4 reasons with escapes. */
START_TEST(test_edge_rows)
{
	char line[DMARC__SPOOL_LINE_SIZE], d[32], s[8];
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42 };
	unsigned int i;

	spool_row_base(&ROW);
	ROW.ip.family = 6;
	memcpy(ROW.ip.addr, v6, sizeof v6);
	strcpy(ROW.envelope_from, "");
	ROW.has_envelope_to = true;
	strcpy(ROW.envelope_to, "xn--bcher-kva.example");
	spool_row_add_reason(&ROW, DMARC_REASON_FORWARDED, "a=b, c/d 5% \\");
	spool_row_add_reason(&ROW, DMARC_REASON_OTHER, "");
	spool_row_add_reason(&ROW, DMARC_REASON_TRUSTED_FORWARDER, NULL);
	spool_row_add_reason(&ROW, DMARC_REASON_POLICY_TEST_MODE, "~!@#$^&*");
	ROW.n_dkim = 0;
	for (i = 0; i < REPORT_ROW_MAX_DKIM; i++) {
		snprintf(d, sizeof d, "d%u.example", i);
		snprintf(s, sizeof s, "s%u", i);
		spool_row_add_dkim(&ROW, (dmarc_verdict)(1 + i % 8), d,
		    i == 3 ? "a/b,c=d%" : s, i == 5 ? "x, y=z /%" : "");
	}
	round_trip(&ROW, line, sizeof line);
	ck_assert_uint_eq(BACK.n_dkim, 64);
	ck_assert_str_eq(BACK.dkim[3].selector, "a/b,c=d%");
	ck_assert_str_eq(BACK.reasons[0].comment, "a=b, c/d 5% \\");
	ck_assert(BACK.reasons[1].has_comment && !BACK.reasons[2].has_comment);
	ck_assert_ptr_nonnull(strstr(line, "\tsource_ip=2001:db8::42\t"));
	ck_assert_ptr_nonnull(strstr(line, "\treason=other,\t"));
	ck_assert_ptr_nonnull(strstr(line, "\treason=trusted_forwarder\t"));
	ck_assert_ptr_nonnull(strstr(line, "\tdkim=d3.example,a%2Fb%2Cc%3Dd%25,"
	    "softfail\t"));
	/* a raw '/' is only the version's */
	ck_assert_ptr_eq(strchr(line, '/'), strrchr(line, '/'));
	/* no source IP, no SPF, count and time at their bounds */
	ROW.ip.family = 0;
	ROW.has_spf = false;
	ROW.count = UINT64_MAX;
	ROW.arrival = 0;
	round_trip(&ROW, line, sizeof line);
	ck_assert_ptr_null(strstr(line, "source_ip"));
}
END_TEST

/* Over the line limit: refused whole, with the length it would need. */
START_TEST(test_too_long)
{
	char line[DMARC__SPOOL_LINE_SIZE], big[8192], d[64];
	size_t len;
	unsigned int i;

	spool_row_base(&ROW);
	ROW.n_dkim = 0;
	for (i = 0; i < 60; i++) {
		snprintf(d, sizeof d, "signer-%02u.long-domain-name.example", i);
		spool_row_add_dkim(&ROW, DMARC_VERDICT_PASS, d,
		    "selector-with-some-length-2024", "");
	}
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, &len),
	    DMARC_ERANGE);
	ck_assert_str_eq(line, "");
	ck_assert_uint_gt(len, DMARC__SPOOL_LINE_MAX + 1);
	/* even into a buffer that would hold it */
	ck_assert_int_eq(dmarc__spool_encode(&ROW, big, sizeof big, &len),
	    DMARC_ERANGE);
	ck_assert_str_eq(big, "");
	/* a buffer too small is another matter */
	spool_row_base(&ROW);
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, 10, &len),
	    DMARC_EBUFFER);
	ck_assert_str_eq(line, "");
	ck_assert_uint_eq(len, strlen(SPOOL_BASE_LINE));
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, len, NULL),
	    DMARC_EBUFFER);
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, len + 1, NULL),
	    DMARC_OK);
	ck_assert_int_eq(dmarc__spool_encode(&ROW, NULL, 0, &len),
	    DMARC_EBUFFER);
}
END_TEST

/* Rows no line can say are refused, not written wrong. */
START_TEST(test_unsayable_rows)
{
	char line[DMARC__SPOOL_LINE_SIZE];

	spool_row_base(&ROW);
	ROW.count = 0;
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, NULL),
	    DMARC_EINVAL);
	spool_row_base(&ROW);
	ROW.disposition = 0;
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, NULL),
	    DMARC_EINVAL);
	spool_row_base(&ROW);
	ROW.policy.p = DMARC_POLICY_UNSPECIFIED;
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, NULL),
	    DMARC_EINVAL);
	spool_row_base(&ROW);
	ROW.policy.fo = 0;
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, NULL),
	    DMARC_EINVAL);
	spool_row_base(&ROW);
	spool_row_add_reason(&ROW, DMARC_REASON_OTHER, "tab\there");
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, NULL),
	    DMARC_EINVAL);
	spool_row_base(&ROW);
	strcpy(ROW.dkim[0].selector, "s 1");
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, NULL),
	    DMARC_EINVAL);
	spool_row_base(&ROW);
	ROW.header_from[0] = '\0';
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, sizeof line, NULL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_encode(NULL, line, sizeof line, NULL),
	    DMARC_EINVAL);
}
END_TEST

/* The smallest line there is: only the required fields. */
#define MIN_LINE "dmarc-spool/1\ttime=1\tcount=1\tdomain=example.com" \
	"\tmode=rfc9989\tdiscovery_method=treewalk\tp=none\tsp=none" \
	"\tnp=none\tadkim=r\taspf=r\tfo=0\tpct=100\tt=n\tpsd=u" \
	"\theader_from=example.com\tdisposition=none\tdkim_aligned=fail" \
	"\tspf_aligned=fail"

static dmarc_status decode(const char *line, size_t *off)
{
	return dmarc__spool_decode(&ROW, line, strlen(line), off);
}

/* Whole lines that break at a known offset. */
static const struct {
	const char *line;
	dmarc_status status;
	size_t offset;
} BROKEN[] = {
	{ "", DMARC_EINVAL, 0 },
	{ "\n", DMARC_EINVAL, 0 },
	{ "dmarc-spool", DMARC_EINVAL, 11 },
	{ "xmarc-spool/1", DMARC_EINVAL, 0 },
	{ "dmarc-spool/", DMARC_EINVAL, 12 },
	{ "dmarc-spool/0\ttime=1", DMARC_EINVAL, 12 },
	{ "dmarc-spool/01", DMARC_EINVAL, 12 },
	{ "dmarc-spool/1x", DMARC_EINVAL, 13 },
	{ "dmarc-spool/2\ttime=1\tnew=field", DMARC_ENOTSUP, 12 },
	{ "dmarc-spool/12345678901234567890", DMARC_ENOTSUP, 12 },
	{ "dmarc-spool/1", DMARC_EINVAL, 13 },       /* nothing required */
	{ "dmarc-spool/1\t", DMARC_EINVAL, 14 },     /* an empty field */
	{ MIN_LINE "\n\n", DMARC_EINVAL, sizeof MIN_LINE - 1 },
	{ "dmarc-spool/1\ttime=1\ntime=2", DMARC_EINVAL, 20 },
};

/* A field added to MIN_LINE, breaking at rel from the field's start. */
static const struct {
	const char *field;
	dmarc_status status;
	size_t rel;
} BAD_FIELD[] = {
	{ "", DMARC_EINVAL, 0 },
	{ "time=2", DMARC_EINVAL, 0 },               /* said twice */
	{ "header_from=example.com", DMARC_EINVAL, 0 },
	{ "bogus", DMARC_EINVAL, 5 },
	{ "=x", DMARC_EINVAL, 0 },
	{ "Key=x", DMARC_EINVAL, 0 },
	{ "x=a%zz", DMARC_EINVAL, 3 },
	{ "x=a%4", DMARC_EINVAL, 3 },
	{ "x=a/b", DMARC_EINVAL, 3 },
	{ "x=a=b", DMARC_EINVAL, 3 },
	{ "x=a\rb", DMARC_EINVAL, 3 },
	{ "x=\xc3\xa9", DMARC_EINVAL, 2 },
	{ "reason=forwarded,a,b", DMARC_EINVAL, 18 },
	{ "reason=bogus", DMARC_EINVAL, 7 },
	{ "reason=none", DMARC_EINVAL, 7 },          /* a library name */
	{ "reason=other,%09", DMARC_EINVAL, 13 },    /* a TAB in a comment */
	{ "dkim=example.com,s1", DMARC_EINVAL, 19 },
	{ "dkim=example.com,s 1,pass", DMARC_EINVAL, 17 },
	{ "dkim=exa_mple..com,s1,pass", DMARC_EINVAL, 5 },
	{ "dkim=example.com,s1,passed", DMARC_EINVAL, 20 },
	{ "dkim=example.com,s1,pass,a,b", DMARC_EINVAL, 26 },
	{ "spf=example.com,helo", DMARC_EINVAL, 20 },
	{ "spf=example.com,mailfrom,pass", DMARC_EINVAL, 16 }, /* alias */
	{ "source_ip=192.0.2.256", DMARC_EINVAL, 10 },
	{ "source_ip=", DMARC_EINVAL, 10 },
	{ "envelope_to=-bad-.com", DMARC_EINVAL, 12 },
};

/* A field of MIN_LINE replaced; the line then breaks at rel from the
 * field's start, or decodes (DMARC_OK). */
static const struct {
	const char *old, *repl;
	dmarc_status status;
	size_t rel;
} CHANGED[] = {
	{ "count=1", "count=0", DMARC_ERANGE, 6 },
	{ "count=1", "count=01", DMARC_EINVAL, 6 },
	{ "count=1", "count=", DMARC_EINVAL, 6 },
	{ "count=1", "count=+1", DMARC_EINVAL, 6 },
	{ "time=1", "time=18446744073709551616", DMARC_ERANGE, 5 },
	{ "time=1", "time=18446744073709551615", DMARC_OK, 0 },
	{ "time=1", "time=%31", DMARC_OK, 0 },
	{ "pct=100", "pct=101", DMARC_ERANGE, 4 },
	{ "pct=100", "pct=0", DMARC_OK, 0 },
	{ "p=none", "p=unspecified", DMARC_EINVAL, 2 },
	{ "p=none", "p=None", DMARC_EINVAL, 2 },
	{ "fo=0", "fo=0:0", DMARC_EINVAL, 3 },
	{ "fo=0", "fo=", DMARC_EINVAL, 3 },
	{ "fo=0", "fo=0:", DMARC_EINVAL, 3 },
	{ "fo=0", "fo=s:d:1:0", DMARC_OK, 0 },
	{ "mode=rfc9989", "mode=rfc7489-psd", DMARC_OK, 0 },
	{ "mode=rfc9989", "mode=pending", DMARC_EINVAL, 5 },
	{ "t=n", "t=yes", DMARC_EINVAL, 2 },
	{ "discovery_method=treewalk", "discovery_method=dns",
	    DMARC_EINVAL, 17 },
	{ "dkim_aligned=fail", "dkim_aligned=none", DMARC_EINVAL, 13 },
	{ "disposition=none", "disposition=discard", DMARC_EINVAL, 12 },
	{ "header_from=example.com", "header_from=", DMARC_EINVAL, 12 },
	{ "domain=example.com", "domain=EXAMPLE.com.", DMARC_OK, 0 },
};

START_TEST(test_malformed_lines)
{
	size_t i, off;

	ck_assert_int_eq(decode(MIN_LINE, &off), DMARC_OK);
	for (i = 0; i < sizeof BROKEN / sizeof BROKEN[0]; i++) {
		off = 12345;
		ck_assert_msg(decode(BROKEN[i].line, &off) == BROKEN[i].status,
		    "line %zu: status", i);
		ck_assert_msg(off == BROKEN[i].offset, "line %zu: offset %zu",
		    i, off);
	}
	/* a required field missing: the offset is the line's end */
	ck_assert_int_eq(decode("dmarc-spool/1\ttime=1\tcount=1", &off),
	    DMARC_EINVAL);
	ck_assert_uint_eq(off, strlen("dmarc-spool/1\ttime=1\tcount=1"));
	/* never past the length: the same bytes, cut, are malformed */
	ck_assert_int_eq(dmarc__spool_decode(&ROW, MIN_LINE, 20, &off),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_decode(&ROW, NULL, 0, &off),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_decode(NULL, MIN_LINE, 5, &off),
	    DMARC_EINVAL);
}
END_TEST

START_TEST(test_malformed_fields)
{
	char line[DMARC__SPOOL_LINE_SIZE];
	size_t i, off;

	for (i = 0; i < sizeof BAD_FIELD / sizeof BAD_FIELD[0]; i++) {
		snprintf(line, sizeof line, "%s\t%s", MIN_LINE,
		    BAD_FIELD[i].field);
		off = 12345;
		ck_assert_msg(decode(line, &off) == BAD_FIELD[i].status,
		    "field %zu (%s): status", i, BAD_FIELD[i].field);
		ck_assert_msg(off == sizeof MIN_LINE + BAD_FIELD[i].rel,
		    "field %zu (%s): offset %zu", i, BAD_FIELD[i].field, off);
	}
}
END_TEST

START_TEST(test_changed_fields)
{
	char line[DMARC__SPOOL_LINE_SIZE];
	const char *at;
	size_t i, off, pos;

	for (i = 0; i < sizeof CHANGED / sizeof CHANGED[0]; i++) {
		at = strstr(MIN_LINE, CHANGED[i].old);
		ck_assert_ptr_nonnull(at);
		pos = (size_t)(at - MIN_LINE);
		snprintf(line, sizeof line, "%.*s%s%s", (int)pos, MIN_LINE,
		    CHANGED[i].repl, at + strlen(CHANGED[i].old));
		off = 12345;
		ck_assert_msg(decode(line, &off) == CHANGED[i].status,
		    "change %zu (%s): status", i, CHANGED[i].repl);
		if (CHANGED[i].status != DMARC_OK)
			ck_assert_msg(off == pos + CHANGED[i].rel,
			    "change %zu (%s): offset %zu", i, CHANGED[i].repl,
			    off);
	}
	snprintf(line, sizeof line, "%s", MIN_LINE);
	ck_assert_int_eq(decode(line, NULL), DMARC_OK);
	ck_assert_str_eq(ROW.policy_domain, "example.com");
}
END_TEST

/* Limits: repeats, fields, the line's length. */
START_TEST(test_limits)
{
	static char line[3 * DMARC__SPOOL_LINE_SIZE];
	size_t i, n, off;

	n = (size_t)snprintf(line, sizeof line, "%s", MIN_LINE);
	for (i = 0; i < 5; i++)
		n += (size_t)snprintf(line + n, sizeof line - n,
		    "\treason=other");
	ck_assert_int_eq(decode(line, &off), DMARC_ERANGE);
	ck_assert_uint_eq(off, n - strlen("reason=other"));
	n = (size_t)snprintf(line, sizeof line, "%s", MIN_LINE);
	for (i = 0; i < 65; i++)
		n += (size_t)snprintf(line + n, sizeof line - n,
		    "\tdkim=a.example,s,none");
	ck_assert_int_eq(decode(line, &off), DMARC_ERANGE);
	ck_assert_uint_eq(off, n - strlen("dkim=a.example,s,none"));
	/* 256 fields at most, unknown ones too */
	n = (size_t)snprintf(line, sizeof line, "%s", MIN_LINE);
	for (i = 18; i < 256; i++) /* MIN_LINE has 18 */
		n += (size_t)snprintf(line + n, sizeof line - n, "\tx=1");
	ck_assert_int_eq(decode(line, &off), DMARC_OK);
	n += (size_t)snprintf(line + n, sizeof line - n, "\tx=1");
	ck_assert_int_eq(decode(line, &off), DMARC_ERANGE);
	ck_assert_uint_eq(off, n - 4);
	/* 4000 bytes are a line, 4001 are not; with the LF either way */
	n = (size_t)snprintf(line, sizeof line, "%s\tpad=", MIN_LINE);
	memset(line + n, 'a', DMARC__SPOOL_LINE_MAX - n);
	line[DMARC__SPOOL_LINE_MAX] = '\n';
	line[DMARC__SPOOL_LINE_MAX + 1] = 'a';
	line[DMARC__SPOOL_LINE_MAX + 2] = '\n';
	ck_assert_int_eq(dmarc__spool_decode(&ROW, line,
	    DMARC__SPOOL_LINE_MAX, &off), DMARC_OK);
	ck_assert_int_eq(dmarc__spool_decode(&ROW, line,
	    DMARC__SPOOL_LINE_MAX + 1, &off), DMARC_OK);
	line[DMARC__SPOOL_LINE_MAX] = 'a';
	ck_assert_int_eq(dmarc__spool_decode(&ROW, line,
	    DMARC__SPOOL_LINE_MAX + 1, &off), DMARC_ERANGE);
	ck_assert_uint_eq(off, DMARC__SPOOL_LINE_MAX);
	ck_assert_int_eq(dmarc__spool_decode(&ROW, line,
	    DMARC__SPOOL_LINE_MAX + 2, &off), DMARC_ERANGE);
}
END_TEST

/* Fields this version does not know are skipped, wherever they are. */
START_TEST(test_unknown_keys)
{
	char line[2 * DMARC__SPOOL_LINE_SIZE], plain[DMARC__SPOOL_LINE_SIZE];
	const char *tab;

	spool_row_base(&ROW);
	ck_assert_int_eq(dmarc__spool_encode(&ROW, plain, sizeof plain, NULL),
	    DMARC_OK);
	tab = strchr(plain, '\t');
	snprintf(line, sizeof line, "dmarc-spool/1\tfuture_field=a%%2Cb"
	    "\trua=mailto:x@example.com\trf=afrf\tv=DMARC1\tx-y=%s",
	    tab);
	ck_assert_int_eq(dmarc__spool_decode(&BACK, line, strlen(line), NULL),
	    DMARC_OK);
	ck_assert(dmarc__row_same_tuple(&ROW, &BACK));
	/* the fields in another order read the same */
	snprintf(line, sizeof line, "%s\tx=1\n", MIN_LINE);
	ck_assert_int_eq(decode(line, NULL), DMARC_OK);
	memcpy(&BACK, &ROW, sizeof ROW);
	ck_assert_int_eq(decode("dmarc-spool/1\tspf_aligned=fail\tpsd=u\tt=n"
	    "\tpct=100\tfo=0\taspf=r\tadkim=r\tnp=none\tsp=none\tp=none"
	    "\tdiscovery_method=treewalk\tmode=rfc9989\tdomain=example.com"
	    "\tcount=1\ttime=1\tdkim_aligned=fail\tdisposition=none"
	    "\theader_from=example.com", NULL), DMARC_OK);
	ck_assert(dmarc__row_same_tuple(&ROW, &BACK));
}
END_TEST

/* What makes rows distinct: everything but count and arrival. */
START_TEST(test_tuple)
{
	spool_row_base(&ROW);
	memcpy(&BACK, &ROW, sizeof ROW);
	BACK.count = 7;
	BACK.arrival = 1;
	ck_assert(dmarc__row_same_tuple(&ROW, &BACK));
	ck_assert_uint_eq(dmarc__row_hash(&ROW), dmarc__row_hash(&BACK));
	/* unused room does not count */
	memset(BACK.dkim[1].domain, 'x', 20);
	BACK.reasons[0].comment[0] = 'x';
	strcpy(BACK.spf.domain, "example.com");
	ck_assert(dmarc__row_same_tuple(&ROW, &BACK));
	ck_assert_uint_eq(dmarc__row_hash(&ROW), dmarc__row_hash(&BACK));
	BACK.policy.sp = DMARC_POLICY_NONE; /* a policy change */
	ck_assert(!dmarc__row_same_tuple(&ROW, &BACK));
	ck_assert_uint_ne(dmarc__row_hash(&ROW), dmarc__row_hash(&BACK));
	memcpy(&BACK, &ROW, sizeof ROW);
	BACK.has_envelope_from = false; /* absent is not empty */
	BACK.envelope_from[0] = '\0';
	ROW.envelope_from[0] = '\0';
	ck_assert(!dmarc__row_same_tuple(&ROW, &BACK));
	memcpy(&BACK, &ROW, sizeof ROW);
	strcpy(BACK.dkim[0].human, "ok");
	ck_assert(!dmarc__row_same_tuple(&ROW, &BACK));
	memcpy(&BACK, &ROW, sizeof ROW);
	BACK.ip.addr[3] = 2;
	ck_assert(!dmarc__row_same_tuple(&ROW, &BACK));
	ck_assert_uint_ne(dmarc__row_hash(&ROW), dmarc__row_hash(&BACK));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("spool-codec");
	TCase *tc = tcase_create("evaluations");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_eval_pass);
	tcase_add_test(tc, test_eval_fail);
	tcase_add_test(tc, test_eval_null_path_ipv6);
	tcase_add_test(tc, test_eval_7489_override);
	tcase_add_test(tc, test_dkim_priority);
	tcase_add_test(tc, test_eval_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("rows");
	tcase_add_test(tc, test_edge_rows);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_unsayable_rows);
	tcase_add_test(tc, test_tuple);
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_test(tc, test_malformed_lines);
	tcase_add_test(tc, test_malformed_fields);
	tcase_add_test(tc, test_changed_fields);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_unknown_keys);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
