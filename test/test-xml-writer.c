/*
 * The streaming XML writer (lib/report/xml_writer.c): exact output of
 * small documents, compact and pretty; hostile text (every byte, invalid
 * UTF-8, overlong forms, surrogates, U+FFFE) still gives well-formed XML
 * that expat reads back as the text where it was valid and U+FFFD where
 * not; the character check against a reference decoder over every
 * sequence of up to three bytes and many of four; misuse; a failing sink; allocation
 * failure.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-main.h"
#include "report-fixture.h"
#include "report/xml_writer.h"
#include "xml-oracle.h"

#define FFFD "\xEF\xBF\xBD"
#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define NS_2 "urn:ietf:params:xml:ns:dmarc-2.0"

static struct dmarc__xml_writer *w;

static void setup(void)
{
	report_setup();
	w = NULL;
}

static void teardown(void)
{
	dmarc__xml_writer_free(w);
	report_teardown();
}

static struct dmarc__xml_writer *writer(unsigned int options)
{
	OK(dmarc__xml_writer_new(&w, ctx, to_out(), options));
	return w;
}

static dmarc_status leaf(const char *name, const char *text)
{
	return dmarc__xml_element(w, name, text, strlen(text));
}

static const struct dmarc__xml_ns ext_ns[] = {
	{ "ext", "urn:example:dmarc-ext" },
};

/* The document of the exact-output tests. */
static void small_document(void)
{
	OK(dmarc__xml_declaration(w));
	OK(dmarc__xml_start_root(w, "feedback", NS_2, ext_ns, 1));
	OK(leaf("version", "1.0"));
	OK(dmarc__xml_start(w, "report_metadata"));
	OK(dmarc__xml_start(w, "extra_contact_info"));
	OK(dmarc__xml_attribute(w, "lang", "en", 2));
	OK(dmarc__xml_text(w, "a&b<c>d\"e'", 10));
	OK(dmarc__xml_end(w, "extra_contact_info"));
	OK(dmarc__xml_start(w, "envelope_from"));
	OK(dmarc__xml_text(w, "", 0));
	OK(dmarc__xml_end(w, "envelope_from"));
	OK(dmarc__xml_end(w, "report_metadata"));
	OK(leaf("ext:note", "x"));
	OK(dmarc__xml_end(w, "feedback"));
	OK(dmarc__xml_finish(w));
}

START_TEST(test_compact)
{
	static const char expected[] = DECL
	    "<feedback xmlns=\"" NS_2 "\" xmlns:ext=\"urn:example:dmarc-ext\">"
	    "<version>1.0</version><report_metadata>"
	    "<extra_contact_info lang=\"en\">a&amp;b&lt;c&gt;d\"e'"
	    "</extra_contact_info><envelope_from/></report_metadata>"
	    "<ext:note>x</ext:note></feedback>\n";

	writer(0);
	small_document();
	ck_assert_str_eq(out.data, expected);
	ck_assert_uint_eq(dmarc__xml_bytes_out(w), strlen(expected));
	ck_assert_uint_eq(dmarc__xml_replacements(w), 0);
	ck_assert(xml_trace(out.data, out.len, NULL));
}
END_TEST

START_TEST(test_pretty)
{
	static const char expected[] = DECL
	    "<feedback xmlns=\"" NS_2 "\" xmlns:ext=\"urn:example:dmarc-ext\">\n"
	    "  <version>1.0</version>\n"
	    "  <report_metadata>\n"
	    "    <extra_contact_info lang=\"en\">a&amp;b&lt;c&gt;d\"e'"
	    "</extra_contact_info>\n"
	    "    <envelope_from/>\n"
	    "  </report_metadata>\n"
	    "  <ext:note>x</ext:note>\n"
	    "</feedback>\n";

	writer(DMARC__XML_PRETTY);
	small_document();
	ck_assert_str_eq(out.data, expected);
}
END_TEST

/* Line ends and tabs read back as written: entities where a parser
 * would normalize them. */
START_TEST(test_escapes)
{
	static const char value[] = "a\"b\t\n\r<&>'";
	static const char text[] = "l1\r\nl2\tx]]>";
	struct mem_sink trace, want;

	writer(0);
	OK(dmarc__xml_start(w, "r"));
	OK(dmarc__xml_attribute(w, "a", value, strlen(value)));
	OK(dmarc__xml_text(w, text, strlen(text)));
	OK(dmarc__xml_end(w, "r"));
	OK(dmarc__xml_finish(w));
	ck_assert_str_eq(out.data, "<r a=\"a&quot;b&#9;&#10;&#13;&lt;&amp;"
	    "&gt;'\">l1&#13;\nl2\tx]]&gt;</r>\n");
	mem_sink_init(&trace);
	mem_sink_init(&want);
	ck_assert(xml_trace(out.data, out.len, &trace));
	mem_sink_append(&want, "Sr\0Aa\0", 6);
	mem_sink_append(&want, value, sizeof value);
	mem_sink_append(&want, "E", 1);
	mem_sink_append(&want, text, sizeof text);
	ck_assert_uint_eq(trace.len, want.len);
	ck_assert(memcmp(trace.data, want.data, want.len) == 0);
	mem_sink_dispose(&trace);
	mem_sink_dispose(&want);
}
END_TEST

/* Writes <r a="text">text</r> and checks what expat reads back against
 * the reference decoder; returns the replacements counted. */
static uint64_t round_trip(const char *text, size_t len)
{
	struct mem_sink trace, want;
	size_t replaced;
	uint64_t count;

	out.len = 0;
	OK(dmarc__xml_writer_new(&w, ctx, to_out(), 0));
	OK(dmarc__xml_start(w, "r"));
	OK(dmarc__xml_attribute(w, "a", text, len));
	OK(dmarc__xml_text(w, text, len));
	OK(dmarc__xml_end(w, "r"));
	OK(dmarc__xml_finish(w));
	count = dmarc__xml_replacements(w);
	dmarc__xml_writer_free(w);
	w = NULL;

	mem_sink_init(&trace);
	mem_sink_init(&want);
	ck_assert_msg(xml_trace(out.data, out.len, &trace),
	    "not well-formed: %s", out.data);
	mem_sink_append(&want, "Sr\0Aa\0", 6);
	replaced = expected_text(&want, text, len);
	mem_sink_append(&want, "\0E", 2);
	expected_text(&want, text, len);
	mem_sink_append(&want, "", 1);
	ck_assert_uint_eq(trace.len, want.len);
	ck_assert(memcmp(trace.data, want.data, want.len) == 0);
	ck_assert_uint_eq(count, 2 * replaced);
	mem_sink_dispose(&trace);
	mem_sink_dispose(&want);
	return count / 2;
}

START_TEST(test_every_byte)
{
	char all[256];
	size_t i;

	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	/* 0-8, 11, 12, 14-31 and the 128 non-ASCII bytes, each alone */
	ck_assert_uint_eq(round_trip(all, sizeof all), 29 + 128);
	for (i = 0; i < 256; i++) /* and one by one */
		round_trip(all + i, 1);
}
END_TEST

/* Known answers, the reference decoder checked too. */
static const struct {
	const char *in, *out;
	unsigned int replaced;
} cases[] = {
	{ "\xC0\xAF", FFFD FFFD, 2 },                  /* overlong '/' */
	{ "\xC1\xBF", FFFD FFFD, 2 },
	{ "\xE0\x80\xAF", FFFD FFFD FFFD, 3 },         /* overlong */
	{ "\xE0\x9F\xBF", FFFD FFFD FFFD, 3 },
	{ "\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, 4 },
	{ "\xF0\x8F\xBF\xBF", FFFD FFFD FFFD FFFD, 4 },
	{ "\xED\xA0\x80", FFFD FFFD FFFD, 3 },         /* U+D800 */
	{ "\xED\xBF\xBF", FFFD FFFD FFFD, 3 },         /* U+DFFF */
	{ "\xED\xA0\xBD\xED\xB8\x80", FFFD FFFD FFFD FFFD FFFD FFFD, 6 },
	{ "\xEF\xBF\xBE", FFFD, 1 },                   /* U+FFFE */
	{ "\xEF\xBF\xBF", FFFD, 1 },                   /* U+FFFF */
	{ "\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4 }, /* U+110000 */
	{ "\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, 4 },
	{ "\xF8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD, 5 },
	{ "\xF0\x9F\x98", FFFD, 1 },                   /* cut short */
	{ "\xE2\x82x", FFFD "x", 1 },
	{ "\xE2x\x82", FFFD "x" FFFD, 2 },
	{ "\x80\xBF", FFFD FFFD, 2 },                  /* stray */
	{ "\xFE\xFF", FFFD FFFD, 2 },
	{ "a\x01" "b\x1F" "c\x0B\x0C", "a" FFFD "b" FFFD "c" FFFD FFFD, 4 },
	{ "\x7F", "\x7F", 0 },
	{ "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" FFFD,
	  "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" FFFD, 0 },
	{ "\xED\x9F\xBF\xEE\x80\x80", "\xED\x9F\xBF\xEE\x80\x80", 0 },
	{ "\xEF\xBF\xBD\xF4\x8F\xBF\xBF", "\xEF\xBF\xBD\xF4\x8F\xBF\xBF", 0 },
	{ "\xF0\x90\x80\x80", "\xF0\x90\x80\x80", 0 },  /* U+10000 */
};

START_TEST(test_known_replacements)
{
	struct mem_sink want;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mem_sink_init(&want);
		ck_assert_uint_eq(expected_text(&want, cases[i].in,
		    strlen(cases[i].in)), cases[i].replaced);
		ck_assert_str_eq(want.data, cases[i].out);
		mem_sink_dispose(&want);
		ck_assert_uint_eq(round_trip(cases[i].in, strlen(cases[i].in)),
		    cases[i].replaced);
	}
	/* a NUL too, which strlen cannot show */
	ck_assert_uint_eq(round_trip("a\0b", 3), 1);
}
END_TEST

/* dmarc__xml_char against the reference at s[0..len). */
static void same_as_reference(const unsigned char *s, size_t len)
{
	size_t n, ref_n;
	int ok, ref_ok;

	ok = dmarc__xml_char(s, len, &n);
	ref_n = ref_unit(s, len, &ref_ok);
	if (ok != ref_ok || n != ref_n)
		ck_abort_msg("%02x %02x %02x %02x (len %zu): %d/%zu, reference "
		    "%d/%zu", s[0], len > 1 ? s[1] : 0, len > 2 ? s[2] : 0,
		    len > 3 ? s[3] : 0, len, ok, n, ref_ok, ref_n);
}

START_TEST(test_char_exhaustive)
{
	static const unsigned char edges[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F,
	    0x90, 0x9F, 0xA0, 0xBE, 0xBF, 0xC0, 0xFF };
	unsigned char s[4] = { 0, 0, 0, 0 };
	unsigned long v;
	size_t a, b;

	for (v = 0; v < 1ul << 16; v++) { /* every 1- and 2-byte input */
		s[0] = (unsigned char)(v >> 8);
		s[1] = (unsigned char)v;
		same_as_reference(s, 2);
		if ((v & 0xFF) == 0)
			same_as_reference(s, 1);
	}
	for (v = 0xE00000; v <= 0xEFFFFF; v++) { /* every 3-byte sequence */
		s[0] = (unsigned char)(v >> 16);
		s[1] = (unsigned char)(v >> 8);
		s[2] = (unsigned char)v;
		same_as_reference(s, 3);
	}
	for (v = 0xF000; v <= 0xFFFF; v++) /* 4-byte leads, edges after */
		for (a = 0; a < sizeof edges; a++)
			for (b = 0; b < sizeof edges; b++) {
				s[0] = (unsigned char)(v >> 8);
				s[1] = (unsigned char)v;
				s[2] = edges[a];
				s[3] = edges[b];
				same_as_reference(s, 4);
				same_as_reference(s, 3);
			}
}
END_TEST

/* Names: ASCII NCNames, one declared prefix, at most 64 bytes. */
START_TEST(test_names)
{
	static const char *const bad[] = { "", "1a", "-a", ".a", "a b", "a:",
	    ":a", "a:b:c", "x:y", "\xC3\xA9", "a/b", "a>",
	    "a2345678901234567890123456789012345678901234567890123456789012345" };
	char longest[65];
	size_t i;

	writer(0);
	OK(dmarc__xml_start_root(w, "r", NULL, ext_ns, 1));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(dmarc__xml_start(w, bad[i]), DMARC_EINVAL);
		ck_assert_int_eq(dmarc__xml_attribute(w, bad[i], "", 0),
		    DMARC_EINVAL);
	}
	ck_assert_int_eq(dmarc__xml_start(w, NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__xml_attribute(w, "xmlns", "", 0),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__xml_attribute(w, "xmlns:e", "u", 1),
	    DMARC_EINVAL);
	OK(dmarc__xml_attribute(w, "xml:lang", "en", 2));
	OK(dmarc__xml_attribute(w, "ext:a", "1", 1));
	ck_assert_int_eq(dmarc__xml_attribute(w, "ext:a", "2", 1),
	    DMARC_EINVAL); /* once per element */
	memset(longest, 'n', 64);
	longest[64] = '\0';
	OK(leaf(longest, ""));
	OK(leaf("_a-b.c9", "t"));
	OK(leaf("ext:_x", "t"));
	OK(dmarc__xml_end(w, "r"));
	OK(dmarc__xml_finish(w));
	ck_assert(xml_trace(out.data, out.len, NULL));
	ck_assert_ptr_nonnull(strstr(out.data, "<r xmlns:ext=\"urn:example:"
	    "dmarc-ext\" xml:lang=\"en\" ext:a=\"1\"><nnnn"));
}
END_TEST

START_TEST(test_namespaces)
{
	static const struct dmarc__xml_ns bad[][2] = {
		{ { "xml", "urn:a" }, { "b", "urn:b" } },
		{ { "xmlns", "urn:a" }, { "b", "urn:b" } },
		{ { "a", "urn:a" }, { "a", "urn:b" } },   /* prefix twice */
		{ { "a", "urn:a" }, { "b", "urn:a" } },   /* URI twice */
		{ { "a", "" }, { "b", "urn:b" } },
		{ { "a", "http://www.w3.org/XML/1998/namespace" },
		  { "b", "urn:b" } },
		{ { "a:b", "urn:a" }, { "b", "urn:b" } },
		{ { "a", NULL }, { "b", "urn:b" } },
	};
	struct dmarc__xml_ns many[DMARC__XML_MAX_NAMESPACES + 1];
	char prefixes[DMARC__XML_MAX_NAMESPACES + 1][4];
	char uris[DMARC__XML_MAX_NAMESPACES + 1][8];
	size_t i;

	writer(0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_int_eq(dmarc__xml_start_root(w, "r", NULL, bad[i], 2),
		    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__xml_start_root(w, "r",
	    "http://www.w3.org/2000/xmlns/", NULL, 0), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__xml_start_root(w, "r", NULL, NULL, 1),
	    DMARC_EINVAL);
	for (i = 0; i <= DMARC__XML_MAX_NAMESPACES; i++) {
		snprintf(prefixes[i], sizeof prefixes[i], "p%zu", i);
		snprintf(uris[i], sizeof uris[i], "urn:%zu", i);
		many[i].prefix = prefixes[i];
		many[i].uri = uris[i];
	}
	ck_assert_int_eq(dmarc__xml_start_root(w, "r", NULL, many,
	    DMARC__XML_MAX_NAMESPACES + 1), DMARC_ERANGE);
	/* the root's own prefix may be one it declares */
	ck_assert_int_eq(dmarc__xml_start_root(w, "q:r", NULL, many, 1),
	    DMARC_EINVAL);
	OK(dmarc__xml_start_root(w, "p1:r", "", many,
	    DMARC__XML_MAX_NAMESPACES));
	OK(leaf("p7:x", ""));
	OK(dmarc__xml_end(w, "p1:r"));
	OK(dmarc__xml_finish(w));
	ck_assert(xml_trace(out.data, out.len, NULL));
	ck_assert(strncmp(out.data, "<p1:r xmlns=\"\" xmlns:p0=\"urn:0\"", 31)
	    == 0);
}
END_TEST

START_TEST(test_misuse)
{
	writer(0);
	ck_assert_int_eq(dmarc__xml_end(w, "r"), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_text(w, "x", 1), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_attribute(w, "a", "x", 1), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_finish(w), DMARC_ESTATE);
	OK(dmarc__xml_declaration(w));
	ck_assert_int_eq(dmarc__xml_declaration(w), DMARC_ESTATE);
	OK(dmarc__xml_start(w, "r"));
	ck_assert_int_eq(dmarc__xml_declaration(w), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_start_root(w, "s", NULL, NULL, 0),
	    DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_text(w, NULL, 1), DMARC_EINVAL);
	OK(dmarc__xml_text(w, "t", 1));
	ck_assert_int_eq(dmarc__xml_attribute(w, "a", "x", 1), DMARC_ESTATE);
	OK(dmarc__xml_start(w, "c"));
	ck_assert_int_eq(dmarc__xml_end(w, "r"), DMARC_ESTATE); /* not c */
	ck_assert_int_eq(dmarc__xml_end(w, NULL), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_finish(w), DMARC_ESTATE);   /* open */
	OK(dmarc__xml_end(w, "c"));
	ck_assert_int_eq(dmarc__xml_attribute(w, "a", "x", 1), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_element(w, "d", NULL, 1), DMARC_EINVAL);
	OK(dmarc__xml_end(w, "r"));
	/* after the root */
	ck_assert_int_eq(dmarc__xml_start(w, "s"), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_element(w, "s", "", 0), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_text(w, "x", 1), DMARC_ESTATE);
	ck_assert_int_eq(dmarc__xml_end(w, "r"), DMARC_ESTATE);
	OK(dmarc__xml_finish(w));
	/* the refused calls wrote nothing */
	ck_assert_str_eq(out.data, DECL "<r>t<c/></r>\n");
}
END_TEST

START_TEST(test_limits)
{
	char name[8];
	size_t i;

	writer(DMARC__XML_PRETTY);
	for (i = 0; i < DMARC__XML_MAX_DEPTH; i++)
		OK(dmarc__xml_start(w, "e"));
	ck_assert_int_eq(dmarc__xml_start(w, "e"), DMARC_ERANGE);
	ck_assert_int_eq(dmarc__xml_element(w, "e", "x", 1), DMARC_ERANGE);
	for (i = 0; i < DMARC__XML_MAX_ATTRIBUTES; i++) {
		snprintf(name, sizeof name, "a%zu", i);
		OK(dmarc__xml_attribute(w, name, "v", 1));
	}
	ck_assert_int_eq(dmarc__xml_attribute(w, "z", "v", 1), DMARC_ERANGE);
	for (i = 0; i < DMARC__XML_MAX_DEPTH; i++)
		OK(dmarc__xml_end(w, "e"));
	OK(dmarc__xml_finish(w));
	ck_assert(xml_trace(out.data, out.len, NULL));
}
END_TEST

/* A document of about 140 KB, in many calls. */
static dmarc_status big_document(void)
{
	dmarc_status st;
	int i;

	if ((st = dmarc__xml_start_root(w, "feedback", NS_2, NULL, 0)) !=
	    DMARC_OK)
		return st;
	for (i = 0; i < 2000; i++) {
		if ((st = dmarc__xml_start(w, "record")) != DMARC_OK ||
		    (st = leaf("source_ip", "192.0.2.1")) != DMARC_OK ||
		    (st = leaf("count", "12")) != DMARC_OK ||
		    (st = leaf("header_from", "example.com")) != DMARC_OK ||
		    (st = dmarc__xml_end(w, "record")) != DMARC_OK)
			return st;
	}
	if ((st = dmarc__xml_end(w, "feedback")) != DMARC_OK)
		return st;
	return dmarc__xml_finish(w);
}

START_TEST(test_failing_sink)
{
	size_t calls, k;
	dmarc_status st;

	writer(0);
	OK(big_document());
	calls = out.calls;
	ck_assert_uint_ge(calls, 10); /* pieces of at most the buffer */
	ck_assert_uint_eq(dmarc__xml_bytes_out(w), out.len);
	dmarc__xml_writer_free(w);
	for (k = 1; k <= calls + 1; k++) {
		mem_sink_dispose(&out);
		out.fail_at_call = k;
		out.fail_status = DMARC_EBUFFER;
		writer(0);
		st = big_document();
		if (k > calls) {
			OK(st);
		} else {
			ck_assert_int_eq(st, DMARC_EBUFFER);
			ck_assert_uint_eq(out.calls, k); /* not called again */
			ck_assert_int_eq(dmarc__xml_text(w, "x", 1), DMARC_EBUFFER);
			ck_assert_int_eq(dmarc__xml_start(w, "x"), DMARC_EBUFFER);
			ck_assert_int_eq(dmarc__xml_finish(w), DMARC_EBUFFER);
			ck_assert_uint_eq(out.calls, k);
			ck_assert_uint_eq(dmarc__xml_bytes_out(w), out.len);
		}
		dmarc__xml_writer_free(w);
	}
	w = NULL;
}
END_TEST

START_TEST(test_nomem)
{
	struct dmarc__sink sink = to_out();
	long before = live;

	fail_at = n_allocs;
	ck_assert_int_eq(dmarc__xml_writer_new(&w, ctx, sink, 0),
	    DMARC_ENOMEM);
	ck_assert_ptr_null(w);
	ck_assert_int_eq(live, before);
	fail_at = -1;
	ck_assert_int_eq(dmarc__xml_writer_new(&w, ctx, sink, 2), DMARC_EINVAL);
	ck_assert_ptr_null(w);
	ck_assert_int_eq(dmarc__xml_writer_new(&w, ctx,
	    dmarc__sink_make(NULL, NULL), 0), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__xml_writer_new(NULL, ctx, sink, 0),
	    DMARC_EINVAL);
	OK(dmarc__xml_writer_new(&w, ctx, sink, 0));
	ck_assert_int_eq(live, before + 1); /* one block, nothing after */
	OK(big_document());
	ck_assert_int_eq(live, before + 1);
}
END_TEST

static Suite *xml_writer_suite(void)
{
	Suite *s = suite_create("xml_writer");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_compact);
	tcase_add_test(tc, test_pretty);
	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_known_replacements);
	tcase_add_test(tc, test_char_exhaustive);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_namespaces);
	tcase_add_test(tc, test_misuse);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_failing_sink);
	tcase_add_test(tc, test_nomem);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(xml_writer_suite());
}
