/*
 * What the XML writer's output must read back as, for its unit test and
 * its fuzz target, computed without the writer's code:
 *
 * - expected_text(): the characters a parser gives back for text the
 *   writer was given: well-formed UTF-8 of XML 1.0 Chars as is, and one
 *   U+FFFD per maximal ill-formed subpart or forbidden character.  This
 *   reference decides "well-formed" from the code points a prefix can
 *   still lead to (RFC 3629: shortest form, no surrogates, at most
 *   U+10FFFF) where the library uses RFC 3629's table of byte ranges.
 * - xml_trace(): parses a document with expat, twice (with and without
 *   namespace processing, so it is namespace-well-formed too), and
 *   writes what it saw as a trace: for each start tag "S" name NUL, then
 *   per attribute "A" name NUL value NUL; for each end "E" and the
 *   element's own character data NUL.  XML text never holds a NUL, so
 *   the trace reads one way only.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_XML_ORACLE_H
#define DMARC_TEST_XML_ORACLE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "mem-sink.h"

/* ---- the reference decoder ---- */

/* The length of the sequence a lead byte announces; 0 if it is none. */
static inline size_t ref_sequence_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xC0)
		return 0;
	if (c < 0xE0)
		return 2;
	if (c < 0xF0)
		return 3;
	return c < 0xF8 ? 4 : 0;
}

/* Whether the first k bytes of an n-byte sequence can still be completed
 * into a well-formed one: the code points reachable from them,
 * [lo, hi], meet the valid ones for n bytes. */
static inline int ref_prefix_ok(const unsigned char *s, size_t k, size_t n)
{
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t lo = s[0] & (0x7Fu >> n), hi;
	size_t i;

	for (i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		lo = lo << 6 | (s[i] & 0x3Fu);
	}
	hi = lo;
	for (; i < n; i++) {
		lo <<= 6;
		hi = hi << 6 | 0x3F;
	}
	if (lo < least[n])
		lo = least[n];
	if (hi > 0x10FFFF)
		hi = 0x10FFFF;
	if (lo > hi)
		return 0;
	/* all of [lo, hi] surrogates? */
	return !(lo >= 0xD800 && hi <= 0xDFFF);
}

/* The code point of a complete, well-formed sequence of n bytes. */
static inline uint32_t ref_decode(const unsigned char *s, size_t n)
{
	uint32_t cp = s[0] & (0x7Fu >> n);
	size_t i;

	if (n == 1)
		return s[0];
	for (i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3Fu);
	return cp;
}

static inline int ref_is_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	    (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	    (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Bytes of the next unit at s: a character (*ok = 1) or what one U+FFFD
 * stands for (*ok = 0). */
static inline size_t ref_unit(const unsigned char *s, size_t len, int *ok)
{
	size_t n = ref_sequence_length(s[0]), k;

	*ok = 0;
	if (n == 0)
		return 1;
	if (n == 1) {
		*ok = ref_is_char(s[0]);
		return 1;
	}
	for (k = 1; k <= n && k <= len && ref_prefix_ok(s, k, n); k++)
		;
	k--; /* the longest prefix that can still be completed */
	if (k < n)
		return k > 0 ? k : 1;
	*ok = ref_is_char(ref_decode(s, n));
	return n;
}

/* Appends what a parser reads back for text; returns the number of
 * U+FFFD that stand for bad bytes. */
static inline size_t expected_text(struct mem_sink *dst, const char *text,
    size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n, replaced = 0;
	int ok;

	while (i < len) {
		n = ref_unit(s + i, len - i, &ok);
		if (ok) {
			mem_sink_append(dst, text + i, n);
		} else {
			mem_sink_append(dst, "\xEF\xBF\xBD", 3);
			replaced++;
		}
		i += n;
	}
	return replaced;
}

/* ---- the expat trace ---- */

#define XML_TRACE_DEPTH 64

struct xml_trace_state {
	struct mem_sink *trace;
	struct mem_sink text[XML_TRACE_DEPTH]; /* per open element */
	int depth;
	int too_deep;
};

static void XMLCALL trace_start(void *user, const XML_Char *name,
    const XML_Char **atts)
{
	struct xml_trace_state *t = user;
	size_t i;

	mem_sink_append(t->trace, "S", 1);
	mem_sink_append(t->trace, name, strlen(name) + 1);
	for (i = 0; atts[i] != NULL; i += 2) {
		mem_sink_append(t->trace, "A", 1);
		mem_sink_append(t->trace, atts[i], strlen(atts[i]) + 1);
		mem_sink_append(t->trace, atts[i + 1], strlen(atts[i + 1]) + 1);
	}
	if (t->depth == XML_TRACE_DEPTH) {
		t->too_deep = 1;
		return;
	}
	t->text[t->depth++].len = 0;
}

static void XMLCALL trace_end(void *user, const XML_Char *name)
{
	struct xml_trace_state *t = user;
	struct mem_sink *text;

	(void)name;
	if (t->depth == 0 || t->too_deep)
		return;
	text = &t->text[--t->depth];
	mem_sink_append(t->trace, "E", 1);
	mem_sink_append(t->trace, text->data != NULL ? text->data : "",
	    text->len);
	mem_sink_append(t->trace, "", 1);
}

static void XMLCALL trace_text(void *user, const XML_Char *s, int len)
{
	struct xml_trace_state *t = user;

	if (t->depth > 0 && !t->too_deep)
		mem_sink_append(&t->text[t->depth - 1], s, (size_t)len);
}

/* Parses doc; 1 if it is well-formed, with its trace appended to trace
 * (when not NULL). */
static inline int xml_parse(const char *doc, size_t len, int namespaces,
    struct mem_sink *trace)
{
	struct xml_trace_state *t = calloc(1, sizeof *t);
	struct mem_sink scratch;
	XML_Parser p;
	int ok, i;

	if (t == NULL)
		abort();
	mem_sink_init(&scratch);
	t->trace = trace != NULL ? trace : &scratch;
	p = namespaces ? XML_ParserCreateNS("UTF-8", '|') :
	    XML_ParserCreate("UTF-8");
	if (p == NULL)
		abort();
	XML_SetUserData(p, t);
	XML_SetElementHandler(p, trace_start, trace_end);
	XML_SetCharacterDataHandler(p, trace_text);
	ok = XML_Parse(p, doc, (int)len, 1) == XML_STATUS_OK && !t->too_deep;
	XML_ParserFree(p);
	for (i = 0; i < XML_TRACE_DEPTH; i++)
		mem_sink_dispose(&t->text[i]);
	mem_sink_dispose(&scratch);
	free(t);
	return ok;
}

/* Well-formed with and without namespace processing; the trace is the
 * one without (names as written, xmlns attributes included). */
static inline int xml_trace(const char *doc, size_t len,
    struct mem_sink *trace)
{
	return xml_parse(doc, len, 1, NULL) && xml_parse(doc, len, 0, trace);
}

#endif /* DMARC_TEST_XML_ORACLE_H */
