/*
 * The report's names and its email (lib/report/report_name.c, mail.c,
 * mail_error.c): Report-IDs and file names for fixed inputs, characters
 * dropped, buffer and argument errors; RFC 5322 dates for known epochs
 * and against gmtime_r; the message byte for byte, Subject folding,
 * header injection refused, the attachment decoding to what was
 * written; the error report; allocation failure at every allocation and
 * a failing sink.  Parsing by real tooling: test/report-mail.sh.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "check-main.h"
#include "report-fixture.h"
#include "report/mail.h"
#include "report/report_name.h"

#define BEGIN UINT64_C(1717200000) /* 2024-06-01T00:00:00Z */
#define END (BEGIN + 86399)

/* ---- Report-ID ---- */

static const char *rid(const char *pd, uint64_t begin, const char *sub,
    const char *host, unsigned int part, unsigned int n)
{
	static char buf[DMARC__REPORT_ID_SIZE];
	size_t len = 12345;

	OK(dmarc__report_id(buf, sizeof buf, &len, pd, begin, sub, host, part,
	    n));
	ck_assert_uint_eq(len, strlen(buf));
	return buf;
}

START_TEST(test_report_id)
{
	ck_assert_str_eq(rid("example.com", BEGIN, "receiver.example", NULL, 1,
	    1), "1717200000.example.com@receiver.example");
	ck_assert_str_eq(rid("example.com", BEGIN, "receiver.example", "", 1,
	    1), "1717200000.example.com@receiver.example");
	ck_assert_str_eq(rid("example.com", BEGIN, "receiver.example", "mx1",
	    1, 1), "1717200000.example.com.mx1@receiver.example");
	ck_assert_str_eq(rid("example.com", BEGIN, "receiver.example", NULL, 2,
	    3), "1717200000.example.com.2-of-3@receiver.example");
	ck_assert_str_eq(rid("example.com", BEGIN, "receiver.example", "MX1",
	    12, 12), "1717200000.example.com.MX1.12-of-12@receiver.example");
	ck_assert_str_eq(rid("a", 0, "b", NULL, 1, 1), "0.a@b");
	ck_assert_str_eq(rid("a", UINT64_MAX, "b", NULL, 1, 1),
	    "18446744073709551615.a@b");
	/* deterministic */
	ck_assert_str_eq(rid("example.com", BEGIN, "r.example", "h", 1, 2),
	    rid("example.com", BEGIN, "r.example", "h", 1, 2));
}
END_TEST

/* Other characters, empty labels and case. */
START_TEST(test_report_id_dropped)
{
	ck_assert_str_eq(rid("_dmarc.Ex_ample..COM.", 0,
	    ".Mail_Receiver.example", NULL, 1, 1),
	    "0.dmarc.example.com@mailreceiver.example");
	ck_assert_str_eq(rid("caf\xC3\xA9.example", 1, "a!b#c$d.e f", NULL, 1,
	    1), "1.caf.example@abcd.ef");
	ck_assert_str_eq(rid("..x-y..", 1, "_._.z", NULL, 1, 1), "1.x-y@z");
	ck_assert_str_eq(rid("a.\xFF.b", 1, "c@d", NULL, 1, 1), "1.a.b@cd");
}
END_TEST

START_TEST(test_report_id_errors)
{
	static const char *const bad_domains[] = { "", ".", "...", "_", "_._",
	    "\xC3\xA9", "@!" };
	char buf[64], big[40];
	size_t len, i;

	for (i = 0; i < sizeof bad_domains / sizeof bad_domains[0]; i++) {
		strcpy(buf, "x");
		len = 99;
		ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len,
		    bad_domains[i], 1, "b", NULL, 1, 1), DMARC_EINVAL);
		ck_assert_str_eq(buf, "");
		ck_assert_uint_eq(len, 0);
		ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1,
		    bad_domains[i], NULL, 1, 1), DMARC_EINVAL);
	}
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, NULL, 1, "b",
	    NULL, 1, 1), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, NULL,
	    NULL, 1, 1), DMARC_EINVAL);
	/* host ids: 1 to 32 letters and digits */
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b",
	    "mx_1", 1, 1), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b",
	    "mx.1", 1, 1), DMARC_EINVAL);
	memset(big, 'h', 33);
	big[33] = '\0';
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b",
	    big, 1, 1), DMARC_EINVAL);
	big[32] = '\0';
	OK(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b", big, 1, 1));
	ck_assert_uint_eq(len, 2 + 2 + 32 + 2);
	/* parts */
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b",
	    NULL, 0, 1), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b",
	    NULL, 1, 0), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b",
	    NULL, 4, 3), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_id(buf, sizeof buf, &len, "a", 1, "b",
	    NULL, 2, 1), DMARC_EINVAL);
}
END_TEST

START_TEST(test_report_id_buffer)
{
	const char *want = "1717200000.example.com@receiver.example";
	size_t n = strlen(want), len;
	char buf[64];

	strcpy(buf, "x");
	ck_assert_int_eq(dmarc__report_id(buf, n, &len, "example.com", BEGIN,
	    "receiver.example", NULL, 1, 1), DMARC_EBUFFER);
	ck_assert_uint_eq(len, n);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(dmarc__report_id(NULL, 0, &len, "example.com", BEGIN,
	    "receiver.example", NULL, 1, 1), DMARC_EBUFFER);
	ck_assert_uint_eq(len, n);
	OK(dmarc__report_id(buf, n + 1, NULL, "example.com", BEGIN,
	    "receiver.example", NULL, 1, 1));
	ck_assert_str_eq(buf, want);
}
END_TEST

/* ---- file name ---- */

static const char *fname(const char *sub, const char *pd, uint64_t begin,
    uint64_t end, const char *host, unsigned int part, unsigned int n,
    bool gz)
{
	static char buf[DMARC__REPORT_FILENAME_SIZE];
	size_t len;

	OK(dmarc__report_filename(buf, sizeof buf, &len, sub, pd, begin, end,
	    host, part, n, gz));
	ck_assert_uint_eq(len, strlen(buf));
	return buf;
}

START_TEST(test_report_filename)
{
	char want[DMARC__REPORT_FILENAME_SIZE], id[DMARC__REPORT_ID_SIZE];
	size_t i, j;

	ck_assert_str_eq(fname("receiver.example", "example.com", BEGIN, END,
	    NULL, 1, 1, true),
	    "receiver.example!example.com!1717200000!1717286399.xml.gz");
	ck_assert_str_eq(fname("receiver.example", "example.com", BEGIN, END,
	    "", 1, 1, false),
	    "receiver.example!example.com!1717200000!1717286399.xml");
	ck_assert_str_eq(fname("receiver.example", "example.com", BEGIN, END,
	    "mx1", 1, 1, true),
	    "receiver.example!example.com!1717200000!1717286399"
	    "!1717200000examplecommx1receiverexample.xml.gz");
	ck_assert_str_eq(fname("receiver.example", "example.com", BEGIN, END,
	    NULL, 2, 3, true),
	    "receiver.example!example.com!1717200000!1717286399"
	    "!1717200000examplecom2of3receiverexample.xml.gz");
	ck_assert_str_eq(fname("Mail_Rx.Example.", "_dmarc.EXAMPLE.com", 5, 5,
	    NULL, 1, 1, false), "mailrx.example!dmarc.example.com!5!5.xml");
	/* the unique-id is the Report-ID's letters and digits (A8) */
	strcpy(id, rid("Ex-ample.com", 7, "rx.example", "H0st", 3, 4));
	for (i = j = 0; id[i] != '\0'; i++)
		if ((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9'))
			want[j++] = id[i];
	want[j] = '\0';
	ck_assert_str_eq(want, "7examplecomH0st3of4rxexample");
	ck_assert_str_eq(fname("rx.example", "Ex-ample.com", 7, 9, "H0st", 3,
	    4, true), "rx.example!ex-ample.com!7!9!7examplecomH0st3of4rxexample"
	    ".xml.gz");
}
END_TEST

START_TEST(test_report_filename_errors)
{
	char buf[128];
	size_t len;

	strcpy(buf, "x");
	ck_assert_int_eq(dmarc__report_filename(buf, sizeof buf, &len, "r", "p",
	    2, 1, NULL, 1, 1, true), DMARC_EINVAL);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(dmarc__report_filename(buf, sizeof buf, &len, "_", "p",
	    1, 2, NULL, 1, 1, true), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_filename(buf, sizeof buf, &len, "r", "..",
	    1, 2, NULL, 1, 1, true), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_filename(buf, sizeof buf, &len, "r", NULL,
	    1, 2, NULL, 1, 1, true), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_filename(buf, sizeof buf, &len, "r", "p",
	    1, 2, "a-b", 1, 1, true), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_filename(buf, sizeof buf, &len, "r", "p",
	    1, 2, NULL, 3, 2, true), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_filename(buf, 12, &len, "r", "p", 1, 2,
	    NULL, 1, 1, true), DMARC_EBUFFER);
	ck_assert_uint_eq(len, strlen("r!p!1!2.xml.gz"));
	ck_assert_str_eq(buf, "");
	OK(dmarc__report_filename(buf, len + 1, NULL, "r", "p", 1, 2, NULL, 1,
	    1, true));
	ck_assert_str_eq(buf, "r!p!1!2.xml.gz");
}
END_TEST

/* ---- dates ---- */

START_TEST(test_report_date)
{
	static const struct { uint64_t epoch; const char *text; } dates[] = {
		{ 0, "Thu, 01 Jan 1970 00:00:00 +0000" },
		{ 68169600, "Tue, 29 Feb 1972 00:00:00 +0000" },
		{ 951782400, "Tue, 29 Feb 2000 00:00:00 +0000" },
		{ 951868799, "Tue, 29 Feb 2000 23:59:59 +0000" },
		{ 1709164800, "Thu, 29 Feb 2024 00:00:00 +0000" },
		{ 1717200000, "Sat, 01 Jun 2024 00:00:00 +0000" },
		{ 2147483647, "Tue, 19 Jan 2038 03:14:07 +0000" },
		{ 2147483648, "Tue, 19 Jan 2038 03:14:08 +0000" },
		{ 4102444800, "Fri, 01 Jan 2100 00:00:00 +0000" },
		{ 4107542399, "Sun, 28 Feb 2100 23:59:59 +0000" }, /* no leap */
		{ 4107542400, "Mon, 01 Mar 2100 00:00:00 +0000" },
		{ 13574563200, "Tue, 29 Feb 2400 00:00:00 +0000" },
		{ 253402300799, "Fri, 31 Dec 9999 23:59:59 +0000" },
	};
	char buf[DMARC__REPORT_DATE_SIZE];
	size_t i;

	for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		OK(dmarc__report_date(buf, dates[i].epoch));
		ck_assert_str_eq(buf, dates[i].text);
	}
	ck_assert_uint_eq(DMARC__REPORT_DATE_MAX, 253402300799);
	strcpy(buf, "x");
	ck_assert_int_eq(dmarc__report_date(buf, DMARC__REPORT_DATE_MAX + 1),
	    DMARC_EINVAL);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(dmarc__report_date(buf, UINT64_MAX), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__report_date(NULL, 0), DMARC_EINVAL);
}
END_TEST

/* Against the C library's gmtime_r (UTC whatever TZ says), where time_t
 * reaches: every day of 1970-2100 at a moving time, then big steps. */
START_TEST(test_report_date_gmtime)
{
	static const char wdays[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char buf[DMARC__REPORT_DATE_SIZE], want[64];
	uint64_t e;
	struct tm tm;
	time_t t;

	for (e = 0; e <= DMARC__REPORT_DATE_MAX;
	    e += e < 4200000000u ? 86400 + 37 : 99991 * 997) {
		t = (time_t)e;
		if ((uint64_t)t != e || gmtime_r(&t, &tm) == NULL)
			break; /* a 32-bit time_t */
		snprintf(want, sizeof want,
		    "%.3s, %02d %.3s %04d %02d:%02d:%02d +0000",
		    wdays + 3 * tm.tm_wday, tm.tm_mday, months + 3 * tm.tm_mon,
		    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		OK(dmarc__report_date(buf, e));
		if (strcmp(buf, want) != 0)
			ck_abort_msg("%" PRIu64 ": %s, not %s", e, buf, want);
	}
}
END_TEST

/* ---- the report's message ---- */

static struct dmarc__mail_spec spec(void)
{
	struct dmarc__mail_spec s = { "dmarc@rx.example", "rua@example.com",
	    "example.com", "rx.example", "1717200000.example.com@rx.example",
	    "m1@rx.example", BEGIN + 86400,
	    "rx.example!example.com!1717200000!1717286399.xml.gz", true,
	    NULL };
	return s;
}

/* The message of s with attachment data, written in one piece. */
static dmarc_status mail(const struct dmarc__mail_spec *s, const char *data,
    size_t len)
{
	struct dmarc__mail *m;
	struct dmarc__filter f;
	dmarc_status st;

	out.len = 0;
	if (out.data != NULL)
		out.data[0] = '\0';
	if ((st = dmarc__mail_new(&m, ctx, to_out(), s)) != DMARC_OK)
		return st;
	f = dmarc__mail_filter(m);
	st = dmarc__filter_write(&f, data, len);
	if (st == DMARC_OK)
		st = dmarc__filter_finish(&f);
	ck_assert_uint_eq(dmarc__mail_bytes_out(m), out.len);
	dmarc__mail_free(m);
	return st;
}

#define BOUNDARY "=_dmarc_report_8e9314922dd1745e"

START_TEST(test_mail_exact)
{
	struct dmarc__mail_spec s = spec();
	static const char want[] =
	    "From: dmarc@rx.example\r\n"
	    "To: rua@example.com\r\n"
	    "Subject: Report Domain: example.com Submitter: rx.example\r\n"
	    " Report-ID: <1717200000.example.com@rx.example>\r\n"
	    "Date: Sun, 02 Jun 2024 00:00:00 +0000\r\n"
	    "Message-ID: <m1@rx.example>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed;\r\n"
	    " boundary=\"" BOUNDARY "\"\r\n"
	    "\r\n"
	    "--" BOUNDARY "\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "Hello,\r\n"
	    "\r\n"
	    "a report.\r\n"
	    "\r\n"
	    "--" BOUNDARY "\r\n"
	    "Content-Type: application/gzip;\r\n"
	    " name=\"rx.example!example.com!1717200000!1717286399.xml.gz\"\r\n"
	    "Content-Disposition: attachment;\r\n"
	    " filename=\"rx.example!example.com!1717200000!1717286399.xml.gz\""
	    "\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "Zm9vYmFy\r\n"
	    "\r\n"
	    "--" BOUNDARY "--\r\n";
	struct mem_sink first;

	s.text = "Hello,\n\r\na report.";
	OK(mail(&s, "foobar", 6));
	ck_assert_str_eq(out.data, want);
	/* the same inputs, the same bytes */
	mem_sink_init(&first);
	mem_sink_append(&first, out.data, out.len);
	OK(mail(&s, "foobar", 6));
	ck_assert_str_eq(out.data, first.data);
	mem_sink_dispose(&first);
	/* plain XML, no text part */
	s.gzip = false;
	s.text = "";
	s.filename = "r.xml";
	OK(mail(&s, "<a/>", 4));
	ck_assert_ptr_nonnull(strstr(out.data, "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed;\r\n boundary=\"" BOUNDARY "\"\r\n"
	    "\r\n--" BOUNDARY "\r\nContent-Type: text/xml;\r\n"
	    " name=\"r.xml\"\r\nContent-Disposition: attachment;\r\n"
	    " filename=\"r.xml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
	    "PGEvPg==\r\n\r\n--" BOUNDARY "--\r\n"));
}
END_TEST

/* The Subject field, unfolded (folds marked '|'), of the last message. */
static const char *subject(void)
{
	static char buf[1200];
	const char *p = strstr(out.data, "\r\nSubject: "), *end;
	size_t n = 0;

	ck_assert_ptr_nonnull(p);
	p += 2;
	end = strstr(p, "\r\nDate: ");
	ck_assert_ptr_nonnull(end);
	for (; p < end && n + 1 < sizeof buf; p++)
		if (p[0] == '\r' && p[1] == '\n') {
			buf[n++] = '|';
			p++;
		} else {
			buf[n++] = *p;
		}
	buf[n] = '\0';
	return buf;
}

START_TEST(test_mail_subject_folding)
{
	struct dmarc__mail_spec s = spec();
	char pd[1000];

	/* 73, 78 and 79 characters on one line */
	s.policy_domain = "a.example";
	s.submitter = "b.example";
	s.report_id = "1.a@b";
	OK(mail(&s, "x", 1));
	ck_assert_str_eq(subject(), "Subject: Report Domain: a.example "
	    "Submitter: b.example Report-ID: <1.a@b>");
	s.report_id = "1.a@bcdefg";
	OK(mail(&s, "x", 1));
	ck_assert_uint_eq(strlen(subject()), 78);
	ck_assert_ptr_null(strchr(subject(), '|'));
	s.report_id = "1.a@bcdefgh";
	OK(mail(&s, "x", 1));
	ck_assert_str_eq(subject(), "Subject: Report Domain: a.example "
	    "Submitter: b.example| Report-ID: <1.a@bcdefgh>");
	/* both folds */
	s.policy_domain = "a-much-longer-policy-domain.subsidiary.example.com";
	OK(mail(&s, "x", 1));
	ck_assert_str_eq(subject(), "Subject: Report Domain: "
	    "a-much-longer-policy-domain.subsidiary.example.com| Submitter: "
	    "b.example Report-ID: <1.a@bcdefgh>");
	s.submitter = "a-much-longer-submitter-name.example.net"; /* 77 */
	OK(mail(&s, "x", 1));
	ck_assert_str_eq(subject(), "Subject: Report Domain: "
	    "a-much-longer-policy-domain.subsidiary.example.com| Submitter: "
	    "a-much-longer-submitter-name.example.net Report-ID: "
	    "<1.a@bcdefgh>");
	s.submitter = "a-much-longer-submitter-name.reports.example.net";
	OK(mail(&s, "x", 1));
	ck_assert_str_eq(subject(), "Subject: Report Domain: "
	    "a-much-longer-policy-domain.subsidiary.example.com| Submitter: "
	    "a-much-longer-submitter-name.reports.example.net| Report-ID: "
	    "<1.a@bcdefgh>");
	/* a Subject line of 998 characters, then 999 */
	memset(pd, 'd', sizeof pd);
	pd[998 - strlen("Subject: Report Domain: ")] = '\0';
	s.policy_domain = pd;
	OK(mail(&s, "x", 1));
	ck_assert_ptr_nonnull(strstr(out.data, pd));
	pd[998 - strlen("Subject: Report Domain: ")] = 'd';
	pd[998 - strlen("Subject: Report Domain: ") + 1] = '\0';
	ck_assert_int_eq(mail(&s, "x", 1), DMARC_EINVAL);
}
END_TEST

/* DMARC_EINVAL, with nothing written and nothing left allocated. */
static void refused(const struct dmarc__mail_spec *s, const char *what)
{
	struct dmarc__mail *m = (struct dmarc__mail *)&out;
	size_t calls = out.calls;
	long before = live;
	dmarc_status st = dmarc__mail_new(&m, ctx, to_out(), s);

	ck_assert_msg(st == DMARC_EINVAL, "%s: %s", what, dmarc_strerror(st));
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(out.calls, calls);
	ck_assert_int_eq(live, before);
}

START_TEST(test_mail_injection)
{
	static const char *const hostile[] = { "a@b\r\nBcc: x@y", "a@b\nX: y",
	    "a@b\r", "a@b\rX", "\r\na@b", "a@b\xC3\xA9", "a@b c", "a@b\t",
	    "" };
	struct dmarc__mail_spec s;
	const char **fields[7];
	size_t i, j;

	for (i = 0; i < 7; i++) {
		for (j = 0; j < sizeof hostile / sizeof hostile[0]; j++) {
			s = spec();
			fields[0] = &s.from;
			fields[1] = &s.to;
			fields[2] = &s.policy_domain;
			fields[3] = &s.submitter;
			fields[4] = &s.report_id;
			fields[5] = &s.message_id;
			fields[6] = &s.filename;
			*fields[i] = hostile[j];
			refused(&s, hostile[j]);
			*fields[i] = NULL;
			refused(&s, "NULL");
		}
	}
	/* the text part */
	s = spec();
	s.text = "line\r\nX: y\r\n\xC3\xA9";
	refused(&s, "8-bit text");
	s.text = "a bare\rCR";
	refused(&s, "bare CR");
	s.text = "a control \x01";
	refused(&s, "control");
	s.text = "a line\n--" BOUNDARY "\nand more";
	refused(&s, "boundary in the text");
	s.text = "ends in CR\r";
	refused(&s, "CR at the end");
}
END_TEST

/* What is an address, a Report-ID, a domain, a file name. */
START_TEST(test_mail_syntax)
{
	static const char *const bad_addrs[] = { "a", "@b", "a@", "a..b@c",
	    "a@b..c", ".a@b", "a@b.", "a.@b", "\"q\"@b", "a@[192.0.2.1]",
	    "a@b@c", "<a@b>", "a(b)@c", "a@b;c" };
	static const char *const good_addrs[] = { "a@b", "a.b+c@d-e.f",
	    "x!#$%&'*/=?^_`{|}~-@y" };
	static const char *const bad_rids[] = { "a@b@c", "<a@b>", "a..b",
	    "a b", ".a", "a@", "a@.b" };
	static const char *const bad_domains[] = { "a..b", ".a", "a.", "a@b",
	    "a+b", "a b", "a/b" };
	static const char *const bad_files[] = { "a\"b", "a\\b", "a/b", "a b",
	    "" };
	struct dmarc__mail_spec s = spec();
	char file[1000];
	size_t i;

	for (i = 0; i < sizeof bad_addrs / sizeof bad_addrs[0]; i++) {
		s = spec();
		s.from = bad_addrs[i];
		refused(&s, bad_addrs[i]);
		s = spec();
		s.message_id = bad_addrs[i];
		refused(&s, bad_addrs[i]);
	}
	for (i = 0; i < sizeof good_addrs / sizeof good_addrs[0]; i++) {
		s = spec();
		s.to = good_addrs[i];
		s.message_id = good_addrs[i];
		OK(mail(&s, "x", 1));
	}
	for (i = 0; i < sizeof bad_rids / sizeof bad_rids[0]; i++) {
		s = spec();
		s.report_id = bad_rids[i];
		refused(&s, bad_rids[i]);
	}
	s = spec();
	s.report_id = "2024-03-27_example.com"; /* ridfmt without "@" */
	OK(mail(&s, "x", 1));
	for (i = 0; i < sizeof bad_domains / sizeof bad_domains[0]; i++) {
		s = spec();
		s.submitter = bad_domains[i];
		refused(&s, bad_domains[i]);
	}
	s = spec();
	s.policy_domain = "_dmarc.Example-1.COM";
	OK(mail(&s, "x", 1));
	for (i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		s = spec();
		s.filename = bad_files[i];
		refused(&s, bad_files[i]);
	}
	/* ' filename="..."' of 998 characters, then 999 */
	memset(file, 'f', sizeof file);
	file[998 - strlen(" filename=\"\"")] = '\0';
	s = spec();
	s.filename = file;
	OK(mail(&s, "x", 1));
	file[998 - strlen(" filename=\"\"")] = 'f';
	file[998 - strlen(" filename=\"\"") + 1] = '\0';
	refused(&s, "a long file name");
	/* text lines of 998 characters, then 999 */
	memset(file, 't', sizeof file);
	file[998] = '\0';
	s = spec();
	s.text = file;
	OK(mail(&s, "x", 1));
	file[998] = 't';
	file[999] = '\0';
	refused(&s, "a long text line");
	/* the date */
	s = spec();
	s.date = DMARC__REPORT_DATE_MAX + 1;
	refused(&s, "year 10000");
	s.date = DMARC__REPORT_DATE_MAX;
	OK(mail(&s, "x", 1));
	ck_assert_ptr_nonnull(strstr(out.data,
	    "\r\nDate: Fri, 31 Dec 9999 23:59:59 +0000\r\n"));
}
END_TEST

START_TEST(test_mail_misuse)
{
	struct dmarc__mail_spec s = spec();
	struct dmarc__mail *m = NULL;
	char *head;

	ck_assert_int_eq(dmarc__mail_new(NULL, ctx, to_out(), &s),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__mail_new(&m, NULL, to_out(), &s),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__mail_new(&m, ctx, dmarc__sink_make(NULL, NULL),
	    &s), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__mail_new(&m, ctx, to_out(), NULL),
	    DMARC_EINVAL);
	ck_assert_ptr_null(m);
	/* nothing goes out before the first byte of the attachment */
	OK(dmarc__mail_new(&m, ctx, to_out(), &s));
	ck_assert_uint_eq(out.calls, 0);
	OK(dmarc__mail_write(m, NULL, 0));
	ck_assert_uint_eq(out.calls, 0);
	/* an empty attachment: its headers, then the closing delimiter */
	OK(dmarc__mail_finish(m));
	head = strstr(out.data, "Content-Transfer-Encoding: base64\r\n");
	ck_assert_ptr_nonnull(head);
	ck_assert_str_eq(head, "Content-Transfer-Encoding: base64\r\n\r\n"
	    "\r\n--" BOUNDARY "--\r\n");
	ck_assert_uint_eq(dmarc__mail_bytes_out(m), out.len);
	ck_assert_int_eq(dmarc__mail_write(m, "x", 1), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__mail_finish(m), DMARC_ESTATE);
	dmarc__mail_free(m);
	dmarc__mail_free(NULL);
}
END_TEST

/* n bytes of every value, the same every time. */
static char *sample(size_t n)
{
	char *p = malloc(n);
	uint32_t x = 2024;
	size_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (char)(x >> 23);
	}
	return p;
}

static int b64(char c)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(alphabet, c) : NULL;

	return p != NULL ? (int)(p - alphabet) : -1;
}

/* The attachment of the last message, decoded, in *len bytes: the lines
 * between its headers and the closing delimiter, 76 characters at most,
 * each ending in CRLF. */
static char *attachment(size_t *len)
{
	const char *p = strstr(out.data, "base64\r\n\r\n");
	const char *end = strstr(out.data, "\r\n\r\n--" BOUNDARY "--\r\n");
	char *plain = malloc(out.len), *q = plain;
	unsigned int bits = 0, n = 0, col = 0;
	int v;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(end);
	ck_assert_ptr_nonnull(plain);
	for (p += 10; p < end + 2; p++) {
		if (*p == '\r') {
			REQUIRE(p[1] == '\n');
			p++;
			col = 0;
			continue;
		}
		REQUIRE(++col <= 76);
		if (*p == '=')
			continue;
		v = b64(*p);
		REQUIRE(v >= 0);
		bits = bits << 6 | (unsigned int)v;
		if ((n += 6) >= 8) {
			n -= 8;
			*q++ = (char)(bits >> n & 0xFF);
		}
	}
	*len = (size_t)(q - plain);
	return plain;
}

/* The attachment in pieces of 1 byte to more than a base64 buffer. */
START_TEST(test_mail_attachment)
{
	static const size_t chunks[] = { 1, 2, 3, 57, 4096, 100000 };
	static const size_t lens[] = { 1, 2, 3, 56, 57, 58, 5000, 200000 };
	struct dmarc__mail_spec s = spec();
	struct dmarc__mail *m;
	struct dmarc__filter f;
	size_t i, j, k, n, len;
	char *data = sample(200000), *plain;

	for (i = 0; i < sizeof lens / sizeof lens[0]; i++)
		for (j = 0; j < sizeof chunks / sizeof chunks[0]; j++) {
			out.len = 0;
			OK(dmarc__mail_new(&m, ctx, to_out(), &s));
			f = dmarc__mail_filter(m);
			for (k = 0; k < lens[i]; k += n) {
				n = lens[i] - k < chunks[j] ? lens[i] - k : chunks[j];
				REQUIRE(dmarc__filter_write(&f, data + k, n) ==
				    DMARC_OK);
			}
			OK(dmarc__filter_finish(&f));
			ck_assert_uint_eq(dmarc__mail_bytes_out(m), out.len);
			dmarc__mail_free(m);
			plain = attachment(&len);
			ck_assert_uint_eq(len, lens[i]);
			ck_assert(memcmp(plain, data, len) == 0);
			free(plain);
		}
	free(data);
}
END_TEST

/* Each allocation fails in turn: DMARC_ENOMEM, nothing out, no leak. */
START_TEST(test_mail_nomem)
{
	struct dmarc__mail_spec s = spec();
	struct dmarc__mail *m;
	long i, before = live;
	dmarc_status st;

	s.text = "a summary";
	for (i = 0;; i++) {
		fail_at = n_allocs + i;
		st = dmarc__mail_new(&m, ctx, to_out(), &s);
		if (st == DMARC_OK)
			break;
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(m);
		ck_assert_int_eq(live, before);
		ck_assert_uint_eq(out.calls, 0);
	}
	fail_at = -1;
	ck_assert_int_eq(i, 2); /* the mail and its base64 filter */
	OK(dmarc__mail_write(m, "abc", 3));
	OK(dmarc__mail_finish(m));
	dmarc__mail_free(m);
	ck_assert_int_eq(live, before);
}
END_TEST

/* A sink failing at its call k stops the filter there: the status comes
 * back from that call and every later one, none of which reaches the
 * sink. */
START_TEST(test_mail_failing_sink)
{
	struct dmarc__mail_spec s = spec();
	char *data = sample(100000);
	struct dmarc__mail *m;
	struct dmarc__filter f;
	dmarc_status st;
	size_t k, i;

	for (k = 1; k <= 4; k++) {
		mem_sink_dispose(&out);
		out.fail_at_call = k;
		out.fail_status = DMARC_EBUFFER;
		OK(dmarc__mail_new(&m, ctx, to_out(), &s));
		f = dmarc__mail_filter(m);
		st = DMARC_OK;
		for (i = 0; i < 100000 && st == DMARC_OK; i += 10000)
			st = dmarc__filter_write(&f, data + i, 10000);
		if (st == DMARC_OK)
			st = dmarc__filter_finish(&f);
		ck_assert_int_eq(st, DMARC_EBUFFER);
		ck_assert_uint_eq(out.calls, k);
		ck_assert_int_eq(dmarc__filter_write(&f, "x", 1), DMARC_EBUFFER);
		ck_assert_int_eq(dmarc__filter_finish(&f), DMARC_EBUFFER);
		ck_assert_uint_eq(out.calls, k);
		ck_assert_uint_eq(dmarc__mail_bytes_out(m), out.len);
		dmarc__mail_free(m);
	}
	/* the trailer's call fails: after the head and two base64 buffers */
	mem_sink_dispose(&out);
	out.fail_at_call = 4;
	out.fail_status = DMARC_ENOMEM;
	OK(dmarc__mail_new(&m, ctx, to_out(), &s));
	OK(dmarc__mail_write(m, data, 4000));
	ck_assert_int_eq(dmarc__mail_finish(m), DMARC_ENOMEM);
	ck_assert_uint_eq(out.calls, 4);
	dmarc__mail_free(m);
	free(data);
}
END_TEST

/* ---- the error report ---- */

static const char *const uris[] = { "mailto:a@example.com!10m",
    "mailto:b@example.net" };

static struct dmarc__mail_error_spec error_spec(void)
{
	struct dmarc__mail_error_spec s = { "dmarc@rx.example",
	    "a@example.com", BEGIN + 90000, "e1@rx.example", "example.com",
	    "1717200000.example.com@rx.example", 12345678, "rx.example", uris,
	    2, NULL };
	return s;
}

#define EBOUNDARY "=_dmarc_error_8e9314922dd1745e"

START_TEST(test_error_report)
{
	struct dmarc__mail_error_spec s = error_spec();
	static const char want[] =
	    "From: dmarc@rx.example\r\n"
	    "To: a@example.com\r\n"
	    "Subject: DMARC report not delivered: Domain: example.com"
	    " Submitter: rx.example\r\n"
	    " Report-ID: <1717200000.example.com@rx.example>\r\n"
	    "Date: Sun, 02 Jun 2024 01:00:00 +0000\r\n"
	    "Message-ID: <e1@rx.example>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed;\r\n"
	    " boundary=\"" EBOUNDARY "\"\r\n"
	    "\r\n"
	    "--" EBOUNDARY "\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "Report-Date: Sun, 02 Jun 2024 01:00:00 +0000\r\n"
	    "Report-Domain: example.com\r\n"
	    "Report-ID: 1717200000.example.com@rx.example\r\n"
	    "Report-Size: 12345678\r\n"
	    "Submitter: rx.example\r\n"
	    "Submitting-URI: mailto:a@example.com!10m, mailto:b@example.net\r\n"
	    "\r\n"
	    "--" EBOUNDARY "\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "Too big.\r\n"
	    "\r\n"
	    "--" EBOUNDARY "--\r\n";

	s.text = "Too big.\n";
	OK(dmarc__mail_error_report(ctx, to_out(), &s));
	ck_assert_str_eq(out.data, want);
	ck_assert_uint_eq(out.calls, 1);
	/* no explanation: the fields' part closes the message */
	s.text = NULL;
	s.n_uris = 1;
	out.len = 0;
	OK(dmarc__mail_error_report(ctx, to_out(), &s));
	ck_assert_ptr_nonnull(strstr(out.data, "\r\nSubmitting-URI: "
	    "mailto:a@example.com!10m\r\n\r\n--" EBOUNDARY "--\r\n"));
	ck_assert_ptr_null(strstr(out.data, "Too big"));
}
END_TEST

START_TEST(test_error_report_uris)
{
	static const char *const many[] = {
	    "mailto:first-address@a-long-domain-name.example.com",
	    "mailto:second-address@a-long-domain-name.example.com!10m",
	    "mailto:c@d", "mailto:e@f" };
	static const char *const bad[] = { "mailto:a@b c", "mailto:a@b,c@d",
	    "mailto:a@b\r\nBcc: x@y", "mailto:\xC3\xA9@b", "" };
	struct dmarc__mail_error_spec s = error_spec();
	const char *one[1];
	size_t i;

	s.uris = many;
	s.n_uris = 4;
	OK(dmarc__mail_error_report(ctx, to_out(), &s));
	ck_assert_ptr_nonnull(strstr(out.data, "\r\nSubmitting-URI: "
	    "mailto:first-address@a-long-domain-name.example.com,\r\n"
	    " mailto:second-address@a-long-domain-name.example.com!10m,"
	    " mailto:c@d,\r\n mailto:e@f\r\n"));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		one[0] = bad[i];
		s.uris = one;
		s.n_uris = 1;
		ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
		    DMARC_EINVAL);
	}
	s.uris = one;
	s.n_uris = 0;
	one[0] = "mailto:a@b";
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
	    DMARC_EINVAL);
	s.uris = NULL;
	s.n_uris = 1;
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
	    DMARC_EINVAL);
	ck_assert_uint_eq(out.calls, 1);
}
END_TEST

START_TEST(test_error_report_refused)
{
	struct dmarc__mail_error_spec s = error_spec();
	const char **fields[6];
	size_t i;

	for (i = 0; i < 6; i++) {
		s = error_spec();
		fields[0] = &s.from;
		fields[1] = &s.to;
		fields[2] = &s.message_id;
		fields[3] = &s.report_domain;
		fields[4] = &s.report_id;
		fields[5] = &s.submitter;
		*fields[i] = "x@y\r\nBcc: z@w";
		ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
		    DMARC_EINVAL);
		*fields[i] = NULL;
		ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
		    DMARC_EINVAL);
	}
	s = error_spec();
	s.text = "\xC3\xA9";
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
	    DMARC_EINVAL);
	s.text = "--" EBOUNDARY "--";
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
	    DMARC_EINVAL);
	s = error_spec();
	s.date = UINT64_MAX;
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__mail_error_report(NULL, to_out(), &s),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), NULL),
	    DMARC_EINVAL);
	ck_assert_uint_eq(out.calls, 0);
	/* allocation failure, a failing sink */
	s = error_spec();
	fail_at = n_allocs;
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
	    DMARC_ENOMEM);
	ck_assert_uint_eq(out.calls, 0);
	out.fail_at_call = 1;
	out.fail_status = DMARC_EBUFFER;
	ck_assert_int_eq(dmarc__mail_error_report(ctx, to_out(), &s),
	    DMARC_EBUFFER);
}
END_TEST

static Suite *mail_suite(void)
{
	Suite *s = suite_create("report_mail");
	TCase *names = tcase_create("names"), *tc = tcase_create("mail");

	tcase_add_test(names, test_report_id);
	tcase_add_test(names, test_report_id_dropped);
	tcase_add_test(names, test_report_id_errors);
	tcase_add_test(names, test_report_id_buffer);
	tcase_add_test(names, test_report_filename);
	tcase_add_test(names, test_report_filename_errors);
	tcase_add_test(names, test_report_date);
	tcase_add_test(names, test_report_date_gmtime);
	suite_add_tcase(s, names);
	tcase_add_checked_fixture(tc, report_setup, report_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_mail_exact);
	tcase_add_test(tc, test_mail_subject_folding);
	tcase_add_test(tc, test_mail_injection);
	tcase_add_test(tc, test_mail_syntax);
	tcase_add_test(tc, test_mail_misuse);
	tcase_add_test(tc, test_mail_attachment);
	tcase_add_test(tc, test_mail_nomem);
	tcase_add_test(tc, test_mail_failing_sink);
	tcase_add_test(tc, test_error_report);
	tcase_add_test(tc, test_error_report_uris);
	tcase_add_test(tc, test_error_report_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(mail_suite());
}
