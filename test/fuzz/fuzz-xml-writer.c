/*
 * Fuzz target for the XML writer (lib/report/xml_writer.c), checked
 * against a model of it.  Byte 0 holds the options: bit 0 pretty-printing,
 * bit 1 the XML declaration, bit 2 a default namespace on the root, bit 3
 * the prefix "ext" declared on it, bit 4 a sink that fails at its call
 * 1 + (bits 5-6).  Then operations until the input ends, a byte each
 * (low 3 bits) with its arguments:
 *   0 start an element (name: the next byte picks one, some needing the
 *     ext prefix); the first start is the root's
 *   1 end the open element, by its name
 *   2 text: a length byte, then that many bytes
 *   3 attribute: a name byte, a length byte, the value's bytes
 *   4 a leaf element: a name byte, a length byte, the text's bytes
 *   5 end with another element's name
 *   6 start with a bad name
 *   7 the XML declaration again
 * Then every open element is ended (a root written if there was none)
 * and the document finished.  Oracle: every call returns the status the
 * model expects; the output parses with expat, with and without
 * namespace processing; expat reads back each element's name,
 * attributes and text as the model predicts (text that was valid
 * UTF-8 of XML Chars unchanged, U+FFFD where it was not, pretty-printing
 * white space where it goes); the replacement count agrees.  With the
 * failing sink, once a call returns the sink's status every later call
 * must return it too.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-input.h"
#include "../mem-sink.h"
#include "../xml-oracle.h"
#include "report/xml_writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEFAULT_NS "urn:ietf:params:xml:ns:dmarc-2.0"
#define EXT_NS "urn:example:dmarc-ext"

static const char *const names[] = { "feedback", "record", "row",
	"source_ip", "a", "_b.c-d", "ext:note", "ext:x" };
#define N_NAMES (sizeof names / sizeof names[0])
static const char *const attr_names[] = { "lang", "a", "xml:lang",
	"ext:a", "b" };
#define N_ATTRS (sizeof attr_names / sizeof attr_names[0])
static const char *const bad_names[] = { "1x", "a b", "", "x:y",
	"\xC3\xA9", "a:b:c", "xmlns:a" };
#define N_BAD (sizeof bad_names / sizeof bad_names[0])

struct model {
	struct dmarc__xml_writer *w;
	int pretty, ext_declared, default_ns;
	int declaration_allowed; /* nothing written yet */
	int root_started, root_done;
	size_t depth;
	const char *open[DMARC__XML_MAX_DEPTH];
	int has_children[DMARC__XML_MAX_DEPTH];
	struct mem_sink text[DMARC__XML_MAX_DEPTH]; /* expected, per element */
	int tag_open;        /* attributes may follow */
	unsigned attr_used;  /* bit per attr_names entry on the open tag */
	size_t replacements;
	struct mem_sink trace;
	dmarc_status dead;   /* the sink's status once it failed */
};

static int usable(const struct model *m, const char *name)
{
	return strncmp(name, "ext:", 4) != 0 || m->ext_declared;
}

/* Compares a call's status with the model's; a sink failure makes the
 * model dead, after which every call must give the same status.
 * Returns 1 when the call did what the model expects of DMARC_OK. */
static int check(struct model *m, dmarc_status got, dmarc_status want)
{
	if (m->dead != DMARC_OK) {
		if (got != m->dead)
			abort();
		return 0;
	}
	if (got == DMARC_EBUFFER && want == DMARC_OK) {
		m->dead = got; /* the failing sink */
		return 0;
	}
	if (got != want)
		abort();
	return want == DMARC_OK;
}

static void indent(struct mem_sink *text, size_t level)
{
	size_t i;

	mem_sink_append(text, "\n", 1);
	for (i = 0; i < level; i++)
		mem_sink_append(text, "  ", 2);
}

static void trace_name(struct model *m, const char *kind, const char *name)
{
	mem_sink_append(&m->trace, kind, 1);
	mem_sink_append(&m->trace, name, strlen(name) + 1);
}

/* The model's side of a start tag that succeeded. */
static void model_start(struct model *m, const char *name)
{
	if (m->depth > 0) {
		m->has_children[m->depth - 1] = 1;
		if (m->pretty)
			indent(&m->text[m->depth - 1], m->depth);
	}
	trace_name(m, "S", name);
	if (!m->root_started) {
		if (m->default_ns) {
			trace_name(m, "A", "xmlns");
			mem_sink_append(&m->trace, DEFAULT_NS, sizeof DEFAULT_NS);
		}
		if (m->ext_declared) {
			trace_name(m, "A", "xmlns:ext");
			mem_sink_append(&m->trace, EXT_NS, sizeof EXT_NS);
		}
	}
	m->open[m->depth] = name;
	m->has_children[m->depth] = 0;
	m->text[m->depth].len = 0;
	m->depth++;
	m->tag_open = 1;
	m->attr_used = 0;
	m->root_started = 1;
	m->declaration_allowed = 0;
}

static dmarc_status want_start(const struct model *m, const char *name,
    int good)
{
	if (m->root_done)
		return DMARC_ESTATE;
	if (m->depth == DMARC__XML_MAX_DEPTH)
		return DMARC_ERANGE;
	return good && usable(m, name) ? DMARC_OK : DMARC_EINVAL;
}

static void op_start(struct model *m, const char *name, int good)
{
	static const struct dmarc__xml_ns ext = { "ext", EXT_NS };
	dmarc_status got;

	if (m->root_started)
		got = dmarc__xml_start(m->w, name);
	else
		got = dmarc__xml_start_root(m->w, name,
		    m->default_ns ? DEFAULT_NS : NULL, &ext,
		    m->ext_declared ? 1 : 0);
	if (check(m, got, want_start(m, name, good)))
		model_start(m, name);
}

/* The model's side of an end tag that succeeded. */
static void model_end(struct model *m)
{
	struct mem_sink *text = &m->text[m->depth - 1];

	if (m->pretty && m->has_children[m->depth - 1])
		indent(text, m->depth - 1);
	mem_sink_append(&m->trace, "E", 1);
	mem_sink_append(&m->trace, text->data != NULL ? text->data : "",
	    text->len);
	mem_sink_append(&m->trace, "", 1);
	m->depth--;
	m->tag_open = 0;
	if (m->depth == 0)
		m->root_done = 1;
}

static void op_end(struct model *m, const char *name)
{
	int right = m->depth > 0 && strcmp(name, m->open[m->depth - 1]) == 0;

	if (check(m, dmarc__xml_end(m->w, name),
	    right ? DMARC_OK : DMARC_ESTATE))
		model_end(m);
}

/* The model's side of text that was taken. */
static void model_text(struct model *m, const char *s, size_t len)
{
	if (len == 0)
		return; /* an empty text leaves the start tag open */
	m->tag_open = 0;
	m->replacements += expected_text(&m->text[m->depth - 1], s, len);
}

static void op_text(struct model *m, const char *s, size_t len)
{
	if (check(m, dmarc__xml_text(m->w, s, len),
	    m->depth > 0 ? DMARC_OK : DMARC_ESTATE))
		model_text(m, s, len);
}

static void op_attribute(struct model *m, size_t k, const char *v,
    size_t len)
{
	const char *name = attr_names[k];
	dmarc_status want = DMARC_OK;

	if (!m->tag_open)
		want = DMARC_ESTATE;
	else if (!usable(m, name) || (m->attr_used & (1u << k)))
		want = DMARC_EINVAL;
	if (!check(m, dmarc__xml_attribute(m->w, name, v, len), want))
		return;
	m->attr_used |= 1u << k;
	trace_name(m, "A", name);
	m->replacements += expected_text(&m->trace, v, len);
	mem_sink_append(&m->trace, "", 1);
}

static void op_leaf(struct model *m, const char *name, const char *s,
    size_t len)
{
	if (!m->root_started) { /* a leaf root is a bare one */
		m->default_ns = 0;
		m->ext_declared = 0;
	}
	if (!check(m, dmarc__xml_element(m->w, name, s, len),
	    want_start(m, name, 1)))
		return;
	model_start(m, name);
	model_text(m, s, len);
	model_end(m);
}

/* A length byte and that many bytes (fewer at the end of the input). */
static size_t take_bytes(struct input *in, const char **s)
{
	int n = take(in);
	size_t len = n < 0 ? 0 : (size_t)n;

	if (len > in->n)
		len = in->n;
	*s = (const char *)in->p;
	in->p += len;
	in->n -= len;
	return len;
}

/* The next byte as an index below n (0 at the end of the input). */
static size_t take_index(struct input *in, size_t n)
{
	int k = take(in);

	return k < 0 ? 0 : (size_t)k % n;
}

static void run_ops(struct model *m, struct input *in)
{
	const char *s;
	size_t k, len;
	int op;

	while ((op = take(in)) >= 0) {
		switch (op & 7) {
		case 0:
			op_start(m, names[take_index(in, N_NAMES)], 1);
			break;
		case 1:
			op_end(m, m->depth > 0 ? m->open[m->depth - 1] : "a");
			break;
		case 2:
			len = take_bytes(in, &s);
			op_text(m, s, len);
			break;
		case 3:
			k = take_index(in, N_ATTRS);
			len = take_bytes(in, &s);
			op_attribute(m, k, s, len);
			break;
		case 4:
			k = take_index(in, N_NAMES);
			len = take_bytes(in, &s);
			op_leaf(m, names[k], s, len);
			break;
		case 5:
			op_end(m, names[take_index(in, N_NAMES)]);
			break;
		case 6:
			op_start(m, bad_names[take_index(in, N_BAD)], 0);
			break;
		default:
			check(m, dmarc__xml_declaration(m->w),
			    m->declaration_allowed ? DMARC_OK : DMARC_ESTATE);
			m->declaration_allowed = 0;
			break;
		}
	}
}

static void finish(struct model *m, const struct mem_sink *out)
{
	struct mem_sink trace;

	while (m->depth > 0 && m->dead == DMARC_OK)
		op_end(m, m->open[m->depth - 1]);
	if (!m->root_started) {
		op_start(m, "feedback", 1);
		op_end(m, "feedback");
	}
	check(m, dmarc__xml_finish(m->w), DMARC_OK);
	if (m->dead != DMARC_OK)
		return;
	if (dmarc__xml_replacements(m->w) != m->replacements ||
	    dmarc__xml_bytes_out(m->w) != out->len)
		abort();
	mem_sink_init(&trace);
	if (!xml_trace(out->data, out->len, &trace) || trace.len != m->trace.len ||
	    memcmp(trace.data, m->trace.data, trace.len) != 0)
		abort();
	mem_sink_dispose(&trace);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct mem_sink out;
	struct model *m;
	dmarc_ctx *ctx;
	int options = take(&in);
	size_t i;

	if (options < 0 || dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	m = calloc(1, sizeof *m);
	if (m == NULL)
		abort();
	mem_sink_init(&out);
	if (options & 16) {
		out.fail_at_call = 1 + (size_t)((options >> 5) & 3);
		out.fail_status = DMARC_EBUFFER;
	}
	m->pretty = options & 1;
	m->default_ns = (options & 4) != 0;
	m->ext_declared = (options & 8) != 0;
	m->declaration_allowed = 1;
	if (dmarc__xml_writer_new(&m->w, ctx, dmarc__sink_make(mem_sink_write,
	    &out), m->pretty ? DMARC__XML_PRETTY : 0) != DMARC_OK)
		abort();
	if (options & 2) {
		check(m, dmarc__xml_declaration(m->w), DMARC_OK);
		m->declaration_allowed = 0;
	}
	run_ops(m, &in);
	finish(m, &out);
	dmarc__xml_writer_free(m->w);
	for (i = 0; i < DMARC__XML_MAX_DEPTH; i++)
		mem_sink_dispose(&m->text[i]);
	mem_sink_dispose(&m->trace);
	mem_sink_dispose(&out);
	free(m);
	dmarc_ctx_free(ctx);
	return 0;
}
