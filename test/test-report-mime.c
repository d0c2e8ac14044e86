/*
 * The MIME reader and the mbox splitter (lib/report/mime.c, mbox.c):
 * every message pushed whole, a byte at a time and in random pieces
 * gives the same events; structures, names, encodings, limits,
 * truncation at every offset, allocation failure at every allocation.
 * Every message is written here.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "mime-log.h"
#include "report-fixture.h"

/* LF lines to CRLF lines (a new string, freed by the caller). */
static char *crlf(const char *s)
{
	char *o = malloc(strlen(s) * 2 + 1), *p = o;

	ck_assert_ptr_nonnull(o);
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			*p++ = '\r';
		*p++ = *s;
	}
	*p = '\0';
	return o;
}

/* Runs msg in several chunkings, checks they agree, returns the whole
 * run's log (to free). */
static struct mime_log run_all(const char *msg, size_t len, bool mbox,
    const struct dmarc__mime_limits *lim)
{
	static const size_t max[] = { 1, 2, 3, 7, 64, 300 };
	struct mime_log whole, other;
	size_t i;
	uint32_t seed;

	OK(mime_log_run(&whole, ctx, lim, msg, len, 0, 0, mbox));
	for (i = 0; i < sizeof max / sizeof max[0]; i++)
		for (seed = 1; seed <= (max[i] == 1 ? 1u : 4u); seed++) {
			OK(mime_log_run(&other, ctx, lim, msg, len, max[i],
			    seed, mbox));
			if (!mime_log_same(&whole, &other))
				ck_abort_msg("chunking %zu/%u differs:\n%s\n"
				    "%s\n%s\n%s", max[i], seed, whole.ev.p,
				    other.ev.p, whole.dg.p, other.dg.p);
			mime_log_free(&other);
		}
	return whole;
}

/* msg (LF lines) and its CRLF form give ev_lf (and, when ev_crlf is not
 * NULL, ev_crlf) and result OK. */
static void expect(const char *msg, const char *ev_lf, const char *ev_crlf,
    const char *diags)
{
	struct mime_log l = run_all(msg, strlen(msg), false, NULL);
	char *m2 = crlf(msg);

	ck_assert_int_eq(l.result, DMARC_OK);
	ck_assert_str_eq(l.ev.p, ev_lf);
	if (diags != NULL)
		ck_assert_str_eq(l.dg.p, diags);
	mime_log_free(&l);
	l = run_all(m2, strlen(m2), false, NULL);
	ck_assert_int_eq(l.result, DMARC_OK);
	if (ev_crlf != NULL)
		ck_assert_str_eq(l.ev.p, ev_crlf);
	mime_log_free(&l);
	free(m2);
}

static void expect_fail(const char *msg, size_t len,
    const struct dmarc__mime_limits *lim, enum dmarc__mime_failure f)
{
	struct mime_log l = run_all(msg, len, false, lim);

	ck_assert_int_eq(l.result, DMARC_EMESSAGE);
	ck_assert_int_eq(l.fail, f);
	ck_assert_uint_le(l.fail_off, len);
	mime_log_free(&l);
}

START_TEST(test_single_part)
{
	expect("From: a@example.com\nSubject: Report Domain: example.com\n"
	    "MIME-Version: 1.0\nCONTENT-type:  Text/XML ; charset=utf-8\n\n"
	    "<feedback/>\n",
	    "[text/xml||0|0]<feedback/>\n[end]",
	    "[text/xml||0|0]<feedback/>\r\n[end]", "");
	/* no Content-Type: text/plain; a message of headers then nothing */
	expect("Subject: x\n\n", "[text/plain||0|0][end]", NULL, "");
	/* folded header, names case-insensitive, comments */
	expect("content-type: application/gzip;\n\t(c) name=\n \"a b.gz\"\n"
	    "CONTENT-TRANSFER-ENCODING: BASE64\n\nH4sI\n",
	    "[application/gzip|a b.gz|4|0]\x1f\x8b\x08[end]", NULL, "");
}
END_TEST

/* base64 of n bytes in lines of 76. */
static void b64(struct text *t, const unsigned char *p, size_t n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, col = 0;

	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 |
		    (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		    (i + 2 < n ? p[i + 2] : 0);
		char q[4] = { a[v >> 18], a[(v >> 12) & 63],
		    i + 1 < n ? a[(v >> 6) & 63] : '=',
		    i + 2 < n ? a[v & 63] : '=' };

		text_add(t, q, 4);
		if ((col += 4) == 76) {
			text_add(t, "\n", 1);
			col = 0;
		}
	}
	text_add(t, "\n", 1);
}

START_TEST(test_multipart_gzip)
{
	unsigned char bin[700];
	struct text m = { NULL, 0, 0 }, want = { NULL, 0, 0 };
	struct mime_log l;
	size_t i;

	for (i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(i * 7 + (i >> 8));
	bin[0] = 0x1f;
	bin[1] = 0x8b;
	text_printf(&m, "From: r@example.net\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed;\n boundary=\"=_XyZ 1\"\n\n"
	    "This is a preamble.\n--=_XyZ 1  \t\n"
	    "Content-Type: text/plain\n\nHi.\n\n--=_XyZ 1\n"
	    "Content-Type: application/gzip;\n"
	    " name=\"r.example!example.com!1!2.xml.gz\"\n"
	    "Content-Disposition: attachment;\n"
	    " filename=\"r.example!example.com!1!2.xml.gz\"\n"
	    "Content-Transfer-Encoding: base64\n\n");
	b64(&m, bin, sizeof bin);
	text_printf(&m, "--=_XyZ 1--\nepilogue\n--=_XyZ 1\nignored\n");
	text_printf(&want, "[text/plain||0|1]Hi.\n[end]"
	    "[application/gzip|r.example!example.com!1!2.xml.gz|4|1]");
	text_add(&want, bin, sizeof bin);
	text_printf(&want, "[end]");
	l = run_all(m.p, m.len, false, NULL);
	ck_assert_int_eq(l.result, DMARC_OK);
	ck_assert_uint_eq(l.ev.len, want.len);
	ck_assert(memcmp(l.ev.p, want.p, want.len) == 0);
	ck_assert_str_eq(l.dg.p, "");
	mime_log_free(&l);
	free(m.p);
	free(want.p);
}
END_TEST

static const char nested[] =
    "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
    "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
    "--inner\nContent-Type: text/plain\n\nplain\n"
    "--inner\nContent-Type: text/html\n\n<p>html</p>\n--inner--\n"
    "--outer\nContent-Type: application/octet-stream; name=report.xml\n"
    "Content-Transfer-Encoding: 8bit\n\n<feedback/>\n--outer--\n";

START_TEST(test_nested)
{
	expect(nested, "[text/plain||0|2]plain[end][text/html||0|2]"
	    "<p>html</p>[end][application/octet-stream|report.xml|1|1]"
	    "<feedback/>[end]", NULL, "");
	/* a part without headers; an inner multipart closed by the outer */
	expect("Content-Type: multipart/mixed; boundary=o\n\n--o\n\nbare\n"
	    "--o\nContent-Type: multipart/mixed; boundary=i\n\n--i\n\nin\n"
	    "--o--\n", "[text/plain||0|1]bare[end][text/plain||0|2]in[end]",
	    NULL, "4@108>50;");
}
END_TEST

START_TEST(test_forwarded)
{
	expect("From: me@example.org\nContent-Type: multipart/mixed; "
	    "boundary=fw\n\n--fw\nContent-Type: text/plain\n\nsee attached\n"
	    "--fw\nContent-Type: message/rfc822\n\nFrom: r@example.net\n"
	    "Content-Type: multipart/mixed; boundary=in\n\n--in\n"
	    "Content-Type: application/gzip; name=\"x.xml.gz\"\n"
	    "Content-Transfer-Encoding: base64\n\nH4sI\n--in--\n--fw--\n",
	    "[text/plain||0|1]see attached[end]"
	    "[application/gzip|x.xml.gz|4|3]\x1f\x8b\x08[end]", NULL, "");
}
END_TEST

START_TEST(test_names)
{
	expect("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: application/gzip\nContent-Disposition: attachment;"
	    "\n filename*0=\"mail.receiver.example!example.com!\";\n"
	    " filename*1=\"1013662812!1013749130.xml.gz\"\n\nx\n--b\n"
	    "Content-Type: application/zip; name*=utf-8''r%C3%A9port%20one.zip"
	    "\n\ny\n--b\nContent-Disposition: attachment; filename*1=c;\n"
	    " filename*0*=utf-8'en'a%20b; filename=ignored\n\nz\n--b\n"
	    "Content-Type: application/gzip;\n"
	    " name=\"=?utf-8?b?cmFwcG9ydC54bWwuZ3o=?=\"\n\nw\n--b\n"
	    "Content-Disposition: attachment; filename=\"=?UTF-8?Q?caf=C3=A9_"
	    "report?= =?utf-8?q?.xml?=\"\n\nv\n--b--\n",
	    "[application/gzip|mail.receiver.example!example.com!1013662812!"
	    "1013749130.xml.gz|0|1]x[end]"
	    "[application/zip|r\xc3\xa9port one.zip|0|1]y[end]"
	    "[text/plain|a bc|0|1]z[end]"
	    "[application/gzip|rapport.xml.gz|0|1]w[end]"
	    "[text/plain|caf\xc3\xa9 report.xml|0|1]v[end]", NULL, "");
}
END_TEST

START_TEST(test_quoted_printable)
{
	expect("Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: Quoted-Printable\n\n"
	    "caf=C3=A9 soft=\nbreak  \ntail=3D=\n",
	    "[text/plain||3|0]caf\xc3\xa9 softbreak\ntail=[end]",
	    "[text/plain||3|0]caf\xc3\xa9 softbreak\r\ntail=[end]", "");
	/* bad escapes kept, reported once */
	expect("Content-Transfer-Encoding: quoted-printable\n\na=ZZb=4\n",
	    "[text/plain||3|0]a=ZZb=4\n[end]", NULL, "2@47>18;");
	/* base64 with junk, no padding; unknown encoding */
	expect("Content-Transfer-Encoding: base64\n\nH4s*I\n",
	    "[text/plain||4|0]\x1f\x8b\x08[end]", NULL, "0@38>17;");
	/* the diagnostic follows the bytes decoded before the bad one, in
	 * every chunking; base64 and quoted-printable */
	expect("Content-Transfer-Encoding: base64\n\nQUJD*REVG\n",
	    "[text/plain||4|0]ABCDEF[end]", NULL, "0@39>20;");
	expect("Content-Transfer-Encoding: quoted-printable\n\nabc=ZZ\n",
	    "[text/plain||3|0]abc=ZZ\n[end]", NULL, "2@49>20;");
	expect("Content-Transfer-Encoding: x-uuencode\n\nabc\n",
	    "[text/plain||1|0]abc\n[end]", NULL, "3@27>0;");
}
END_TEST

START_TEST(test_missing_close)
{
	expect("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n"
	    "--b\n\ntwo\n", "[text/plain||0|1]one[end][text/plain||0|1]"
	    "two\n[end]", NULL, "4@61>51;");
	/* a multipart without boundary is one leaf */
	expect("Content-Type: multipart/mixed\n\n--b\n",
	    "[multipart/mixed||0|0]--b\n[end]", NULL, "5@0>0;");
}
END_TEST

/* n multiparts nested, a leaf in the innermost. */
static void nest(struct text *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		text_printf(t, "Content-Type: multipart/mixed; boundary=b%u\n"
		    "\n--b%u\n", i, i);
	text_printf(t, "\nleaf\n");
}

START_TEST(test_depth)
{
	struct text t = { NULL, 0, 0 };
	struct mime_log l;

	nest(&t, 8);
	l = run_all(t.p, t.len, false, NULL);
	ck_assert_int_eq(l.result, DMARC_OK);
	ck_assert_str_eq(l.ev.p, "[text/plain||0|8]leaf\n[end]");
	mime_log_free(&l);
	free(t.p);
	memset(&t, 0, sizeof t);
	nest(&t, 9);
	expect_fail(t.p, t.len, NULL, DMARC__MIME_F_LIMIT);
	free(t.p);
}
END_TEST

START_TEST(test_parts)
{
	struct dmarc__mime_limits lim;
	struct text t = { NULL, 0, 0 };
	struct mime_log l;
	unsigned int i;

	text_printf(&t, "Content-Type: multipart/mixed; boundary=p\n\n");
	for (i = 0; i < 256; i++)
		text_printf(&t, "--p\n\n%u\n", i);
	OK(mime_log_run(&l, ctx, NULL, t.p, t.len, 0, 0, false));
	ck_assert_int_eq(l.result, DMARC_OK);
	mime_log_free(&l);
	text_printf(&t, "--p\n\nlast\n--p--\n");
	expect_fail(t.p, t.len, NULL, DMARC__MIME_F_LIMIT);
	dmarc__mime_default_limits(&lim);
	lim.parts_max = 1000;
	OK(mime_log_run(&l, ctx, &lim, t.p, t.len, 0, 0, false));
	ck_assert_int_eq(l.result, DMARC_OK);
	mime_log_free(&l);
	free(t.p);
}
END_TEST

START_TEST(test_header_limit)
{
	struct text t = { NULL, 0, 0 };
	size_t i;

	text_printf(&t, "Subject: ");
	for (i = 0; i < 70000 / 50; i++)
		text_printf(&t, "0123456789012345678901234567890123456789"
		    "01234567\n ");
	text_printf(&t, "x\n\nbody\n");
	expect_fail(t.p, t.len, NULL, DMARC__MIME_F_LIMIT);
	/* the decoded limit */
	{
		struct dmarc__mime_limits lim;
		static const char m[] = "Subject: x\n\n0123456789\n";

		dmarc__mime_default_limits(&lim);
		lim.decoded_max = 8;
		expect_fail(m, sizeof m - 1, &lim, DMARC__MIME_F_LIMIT);
	}
	expect_fail("not a header line\n\nbody\n", 24, NULL,
	    DMARC__MIME_F_CORRUPT);
	expect_fail("", 0, NULL, DMARC__MIME_F_TRUNCATED);
	free(t.p);
}
END_TEST

/* Every prefix of a multipart: a failure or a missing-close warning
 * until the close delimiter is whole. */
START_TEST(test_truncated)
{
	const char *m = nested;
	size_t len = strlen(m), whole = (size_t)(strstr(m, "--outer--") + 9 - m), n;

	for (n = 0; n < len; n++) {
		struct mime_log l;

		OK(mime_log_run(&l, ctx, NULL, m, n, 0, 0, false));
		if (n < whole)
			REQUIRE(l.result == DMARC_EMESSAGE ||
			    strstr(l.dg.p, "4@") != NULL);
		else
			REQUIRE(l.result == DMARC_OK);
		REQUIRE(l.result == DMARC_OK || l.result == DMARC_EMESSAGE);
		REQUIRE(l.fail_off <= n);
		mime_log_free(&l);
	}
}
END_TEST

START_TEST(test_nomem)
{
	static const char *msgs[] = { nested, "From x\nSubject: x\n\nbody\n" };
	size_t i;

	for (i = 0; i < 2; i++) {
		dmarc_status st = DMARC_ENOMEM, r = DMARC_OK;
		struct mime_log l;
		long before = live;

		for (fail_at = 0; st == DMARC_ENOMEM || r == DMARC_ENOMEM;
		    fail_at++) {
			n_allocs = 0;
			st = mime_log_run(&l, ctx, NULL, msgs[i],
			    strlen(msgs[i]), 1, 1, i == 1);
			REQUIRE(st == DMARC_OK || st == DMARC_ENOMEM);
			r = st == DMARC_OK ? l.result : DMARC_OK;
			REQUIRE(r == DMARC_OK || r == DMARC_ENOMEM);
			mime_log_free(&l);
			REQUIRE(live == before);
			REQUIRE(fail_at < 100);
		}
		ck_assert_int_gt(fail_at, 2);
	}
	fail_at = -1;
}
END_TEST

START_TEST(test_mbox)
{
	static const char m[] =
	    "From sender@example.com Mon Jan  1 00:00:00 2024\n"
	    "Content-Type: text/plain\n\none\n>From here\n\n"
	    "From bob@example.net Tue Jan  2 00:00:00 2024\n"
	    "Content-Type: multipart/mixed; boundary=q\n\n--q\n"
	    "Content-Type: text/xml\n\n<two/>\n>>From x\n--q--\n\n"
	    "From c Wed Jan  3 00:00:00 2024\nSubject: three\n\nthree\n";
	struct mime_log l = run_all(m, sizeof m - 1, true, NULL);

	ck_assert_int_eq(l.result, DMARC_OK);
	ck_assert_str_eq(l.ev.p, "{msg 0@49}[text/plain||0|0]one\nFrom here"
	    "\n\n[end]{end 0 0@0}{msg 1@137}[text/xml||0|1]<two/>\n>From x"
	    "[end]{end 0 0@0}{msg 2@263}[text/plain||0|0]three\n[end]"
	    "{end 0 0@0}");
	mime_log_free(&l);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report-mime");
	TCase *tc = tcase_create("mime");

	tcase_add_checked_fixture(tc, report_setup, report_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_single_part);
	tcase_add_test(tc, test_multipart_gzip);
	tcase_add_test(tc, test_nested);
	tcase_add_test(tc, test_forwarded);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_quoted_printable);
	tcase_add_test(tc, test_missing_close);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_parts);
	tcase_add_test(tc, test_header_limit);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_nomem);
	tcase_add_test(tc, test_mbox);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
