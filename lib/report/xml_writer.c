/*
 * libdmarc - the streaming XML writer (xml_writer.h): output buffer,
 * escaping, the stack of open elements, and the checks that keep the
 * document well-formed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "xml_writer.h"

enum writer_state {
	W_START,    /* nothing written */
	W_PROLOG,   /* the declaration written, no root yet */
	W_TAG_OPEN, /* in a start tag: attributes may follow */
	W_CONTENT,  /* in an element's content */
	W_DONE      /* the root ended */
};

struct open_element {
	char name[DMARC__XML_MAX_NAME + 1];
	size_t len;
	bool has_children; /* pretty-printing puts its end tag on a new line */
};

struct dmarc__xml_writer {
	const dmarc_ctx *ctx;
	struct dmarc__sink out;
	dmarc_status status; /* the sink's first failure, then returned */
	bool pretty;
	enum writer_state state;
	size_t depth;
	size_t n_attributes; /* on the open start tag */
	size_t n_prefixes;
	uint64_t replacements;
	uint64_t bytes_out;
	size_t used; /* bytes in buf */
	struct open_element open[DMARC__XML_MAX_DEPTH];
	char attributes[DMARC__XML_MAX_ATTRIBUTES][DMARC__XML_MAX_NAME + 1];
	char prefixes[DMARC__XML_MAX_NAMESPACES][DMARC__XML_MAX_NAME + 1];
	char buf[DMARC__XML_BUFFER];
};

static const char XML_NAMESPACE[] = "http://www.w3.org/XML/1998/namespace";
static const char XMLNS_NAMESPACE[] = "http://www.w3.org/2000/xmlns/";

/* ---- output ---- */

static void flush(struct dmarc__xml_writer *w)
{
	dmarc_status st;

	if (w->status != DMARC_OK || w->used == 0)
		return;
	st = dmarc__sink_put(&w->out, w->buf, w->used);
	if (st != DMARC_OK) {
		w->status = st;
		return;
	}
	w->bytes_out += w->used;
	w->used = 0;
}

/* Appends n bytes, through the sink when they do not fit; after a sink
 * failure, nothing (the status says so). */
static void put_slow(struct dmarc__xml_writer *w, const char *s, size_t n)
{
	size_t room;

	while (n > (room = DMARC__XML_BUFFER - w->used)) {
		memcpy(w->buf + w->used, s, room);
		w->used += room;
		s += room;
		n -= room;
		flush(w);
		if (w->status != DMARC_OK)
			return;
	}
	memcpy(w->buf + w->used, s, n);
	w->used += n;
}

static inline void put(struct dmarc__xml_writer *w, const char *s, size_t n)
{
	if (n <= DMARC__XML_BUFFER - w->used) {
		memcpy(w->buf + w->used, s, n);
		w->used += n;
	} else {
		put_slow(w, s, n);
	}
}

/* Room for n more bytes (n far below DMARC__XML_BUFFER), the buffer
 * flushed first if need be; NULL after a sink failure.  The caller
 * writes there and then sets w->used (tag_end). */
static char *room(struct dmarc__xml_writer *w, size_t n)
{
	if (n > DMARC__XML_BUFFER - w->used)
		flush(w);
	return w->status == DMARC_OK ? w->buf + w->used : NULL;
}

static void tag_end(struct dmarc__xml_writer *w, const char *p)
{
	w->used = (size_t)(p - w->buf);
}

/* The most a tag takes with its indentation: the parent's '>', newline,
 * two spaces a level, "</", the name, '>', the root's newline. */
#define TAG_ROOM (1 + 1 + 2 * DMARC__XML_MAX_DEPTH + 2 + \
	DMARC__XML_MAX_NAME + 1 + 1)

/* A newline and two spaces per level at p when pretty-printing. */
static char *indent(const struct dmarc__xml_writer *w, char *p, size_t level)
{
	static const char spaces[1 + 2 * DMARC__XML_MAX_DEPTH + 1] =
	    "\n                                "
	    "                                ";

	if (!w->pretty)
		return p;
	memcpy(p, spaces, 1 + 2 * level);
	return p + 1 + 2 * level;
}

/* ---- escaping ---- */

/* Bytes that need more than a copy: bit TEXT in text content, bit ATTR
 * in a (double-quoted) attribute value.  The markup characters & < >
 * (and " in attributes), CR, TAB and LF in attributes (entities keep
 * them from normalization), the other C0 controls (not Chars) and every
 * byte above ASCII (its UTF-8 sequence is checked). */
enum { TEXT = 1, ATTR = 2, BOTH = 3 };
static const unsigned char special[256] = {
	3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 3, 3, 3, 3, 3, /* TAB LF CR */
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* " & */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0, /* < > */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

/* The entity or character reference for an ASCII byte, NULL if none. */
static const char *reference(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\t': return "&#9;";
	case '\n': return "&#10;";
	case '\r': return "&#13;";
	default: return NULL;
	}
}

/* Writes the special byte or character at s; returns the bytes used. */
static size_t put_special(struct dmarc__xml_writer *w, const unsigned char *s,
    size_t len)
{
	const char *ref = reference(s[0]);
	size_t n;

	if (ref != NULL) {
		put(w, ref, strlen(ref));
		return 1;
	}
	if (dmarc__xml_char(s, len, &n)) {
		put(w, (const char *)s, n);
	} else {
		put(w, "\xEF\xBF\xBD", 3); /* U+FFFD */
		w->replacements++;
	}
	return n;
}

/* Writes text escaped for the context given by mask (TEXT or ATTR):
 * runs of plain bytes are copied whole. */
static void put_escaped(struct dmarc__xml_writer *w, const char *text,
    size_t len, unsigned char mask)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, start;

	while (i < len && w->status == DMARC_OK) {
		start = i;
		while (i < len && (special[s[i]] & mask) == 0)
			i++;
		put(w, text + start, i - start);
		if (i < len)
			i += put_special(w, s + i, len - i);
	}
}

/* ---- checks ---- */

/* Whether the prefix of a name (prefix_len bytes) may be used: "xml",
 * or one the root declared. */
static bool prefix_known(const struct dmarc__xml_writer *w, const char *name,
    size_t prefix_len)
{
	size_t i;

	if (prefix_len == 3 && memcmp(name, "xml", 3) == 0)
		return true;
	for (i = 0; i < w->n_prefixes; i++)
		if (strlen(w->prefixes[i]) == prefix_len &&
		    memcmp(w->prefixes[i], name, prefix_len) == 0)
			return true;
	return false;
}

/* The length of an element or attribute name the writer takes, else 0. */
static size_t usable_name(const struct dmarc__xml_writer *w, const char *name)
{
	size_t prefix_len, len;

	if (name == NULL || (len = dmarc__xml_name_len(name, &prefix_len)) == 0)
		return 0;
	if (prefix_len != 0 && !prefix_known(w, name, prefix_len))
		return 0;
	return len;
}

/* Whether a start tag may come now (DMARC_OK, *len the name's length)
 * or why not. */
static dmarc_status can_start(const struct dmarc__xml_writer *w,
    const char *name, size_t *len)
{
	if (w->status != DMARC_OK)
		return w->status;
	if (w->state == W_DONE)
		return DMARC_ESTATE; /* a second root */
	if (w->depth == DMARC__XML_MAX_DEPTH)
		return DMARC_ERANGE;
	return (*len = usable_name(w, name)) != 0 ? DMARC_OK : DMARC_EINVAL;
}

/* Namespaces in XML 1.0 section 3: a prefix other than xml and xmlns,
 * declared once, bound to a URI that is not empty, not reserved and not
 * bound to another prefix (two prefixes of one URI would let two
 * attributes of one element have the same expanded name). */
static dmarc_status check_namespaces(const char *default_ns,
    const struct dmarc__xml_ns *ns, size_t n_ns)
{
	size_t i, j, prefix_len;

	if (n_ns > DMARC__XML_MAX_NAMESPACES)
		return DMARC_ERANGE;
	if (n_ns != 0 && ns == NULL)
		return DMARC_EINVAL;
	if (default_ns != NULL && (strcmp(default_ns, XML_NAMESPACE) == 0 ||
	    strcmp(default_ns, XMLNS_NAMESPACE) == 0))
		return DMARC_EINVAL;
	for (i = 0; i < n_ns; i++) {
		if (ns[i].prefix == NULL || ns[i].uri == NULL ||
		    dmarc__xml_name_len(ns[i].prefix, &prefix_len) == 0 ||
		    prefix_len != 0 || strcmp(ns[i].prefix, "xml") == 0 ||
		    strcmp(ns[i].prefix, "xmlns") == 0 || ns[i].uri[0] == '\0' ||
		    strcmp(ns[i].uri, XML_NAMESPACE) == 0 ||
		    strcmp(ns[i].uri, XMLNS_NAMESPACE) == 0)
			return DMARC_EINVAL;
		for (j = 0; j < i; j++)
			if (strcmp(ns[i].prefix, ns[j].prefix) == 0 ||
			    strcmp(ns[i].uri, ns[j].uri) == 0)
				return DMARC_EINVAL;
	}
	return DMARC_OK;
}

/* Whether the open start tag has this attribute already. */
static bool has_attribute(const struct dmarc__xml_writer *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->n_attributes; i++)
		if (strcmp(w->attributes[i], name) == 0)
			return true;
	return false;
}

/* ---- the document ---- */

dmarc_status dmarc__xml_writer_new(struct dmarc__xml_writer **out,
    const dmarc_ctx *ctx, struct dmarc__sink sink, unsigned int options)
{
	struct dmarc__xml_writer *w;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || sink.fn == NULL || (options & ~DMARC__XML_PRETTY))
		return DMARC_EINVAL;
	w = dmarc__alloc(ctx, sizeof *w);
	if (w == NULL)
		return DMARC_ENOMEM;
	memset(w, 0, offsetof(struct dmarc__xml_writer, open));
	w->ctx = ctx;
	w->out = sink;
	w->status = DMARC_OK;
	w->pretty = (options & DMARC__XML_PRETTY) != 0;
	w->state = W_START;
	*out = w;
	return DMARC_OK;
}

void dmarc__xml_writer_free(struct dmarc__xml_writer *w)
{
	if (w != NULL)
		dmarc__free(w->ctx, w);
}

dmarc_status dmarc__xml_declaration(struct dmarc__xml_writer *w)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

	if (w->status != DMARC_OK)
		return w->status;
	if (w->state != W_START)
		return DMARC_ESTATE;
	put(w, decl, sizeof decl - 1);
	w->state = W_PROLOG;
	return w->status;
}

/* Ends the open start tag, if any: its content follows. */
static void close_start_tag(struct dmarc__xml_writer *w)
{
	if (w->state == W_TAG_OPEN)
		put(w, ">", 1);
	w->state = W_CONTENT;
}

/* Writes <name (checked by can_start) and opens the element. */
static void open_element(struct dmarc__xml_writer *w, const char *name,
    size_t len)
{
	struct open_element *e = &w->open[w->depth];
	char *p = room(w, TAG_ROOM);

	if (p == NULL)
		return;
	if (w->depth > 0) {
		if (w->state == W_TAG_OPEN)
			*p++ = '>';
		w->open[w->depth - 1].has_children = true;
		p = indent(w, p, w->depth);
	}
	*p++ = '<';
	memcpy(p, name, len);
	tag_end(w, p + len);
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->len = len;
	e->has_children = false;
	w->depth++;
	w->n_attributes = 0;
	w->state = W_TAG_OPEN;
}

/* Writes the end tag of the innermost element (<name/> when it has no
 * content) and closes it. */
static void close_element(struct dmarc__xml_writer *w)
{
	struct open_element *e = &w->open[w->depth - 1];
	char *p = room(w, TAG_ROOM);

	if (p == NULL)
		return;
	if (w->state == W_TAG_OPEN) {
		*p++ = '/';
	} else {
		if (e->has_children)
			p = indent(w, p, w->depth - 1);
		*p++ = '<';
		*p++ = '/';
		memcpy(p, e->name, e->len);
		p += e->len;
	}
	*p++ = '>';
	w->depth--;
	w->state = W_CONTENT;
	if (w->depth == 0) {
		*p++ = '\n';
		w->state = W_DONE;
	}
	tag_end(w, p);
}

/* Writes name="value" (a value from configuration: escaped too). */
static void put_attribute(struct dmarc__xml_writer *w, const char *name,
    size_t name_len, const char *value, size_t len)
{
	put(w, " ", 1);
	put(w, name, name_len);
	put(w, "=\"", 2);
	put_escaped(w, value, len, ATTR);
	put(w, "\"", 1);
}

static void declare_namespaces(struct dmarc__xml_writer *w,
    const char *default_ns, const struct dmarc__xml_ns *ns, size_t n_ns)
{
	char name[sizeof "xmlns:" + DMARC__XML_MAX_NAME];
	size_t i, len;

	if (default_ns != NULL)
		put_attribute(w, "xmlns", 5, default_ns, strlen(default_ns));
	for (i = 0; i < n_ns; i++) {
		len = strlen(ns[i].prefix);
		memcpy(name, "xmlns:", 6);
		memcpy(name + 6, ns[i].prefix, len);
		put_attribute(w, name, 6 + len, ns[i].uri, strlen(ns[i].uri));
	}
}

dmarc_status dmarc__xml_start_root(struct dmarc__xml_writer *w,
    const char *name, const char *default_ns,
    const struct dmarc__xml_ns *ns, size_t n_ns)
{
	dmarc_status st;
	size_t i, len;

	if (w->status != DMARC_OK)
		return w->status;
	if (w->state != W_START && w->state != W_PROLOG)
		return DMARC_ESTATE;
	if ((st = check_namespaces(default_ns, ns, n_ns)) != DMARC_OK)
		return st;
	for (i = 0; i < n_ns; i++)
		strcpy(w->prefixes[i], ns[i].prefix);
	w->n_prefixes = n_ns;
	if ((st = can_start(w, name, &len)) != DMARC_OK) {
		w->n_prefixes = 0;
		return st;
	}
	open_element(w, name, len);
	declare_namespaces(w, default_ns, ns, n_ns);
	return w->status;
}

dmarc_status dmarc__xml_start(struct dmarc__xml_writer *w, const char *name)
{
	size_t len;
	dmarc_status st = can_start(w, name, &len);

	if (st != DMARC_OK)
		return st;
	open_element(w, name, len);
	return w->status;
}

dmarc_status dmarc__xml_attribute(struct dmarc__xml_writer *w,
    const char *name, const char *value, size_t len)
{
	size_t name_len;

	if (w->status != DMARC_OK)
		return w->status;
	if (w->state != W_TAG_OPEN)
		return DMARC_ESTATE;
	/* (an xmlns: prefix is never declared, so never usable) */
	if ((name_len = usable_name(w, name)) == 0 ||
	    strcmp(name, "xmlns") == 0 || has_attribute(w, name) ||
	    (value == NULL && len != 0))
		return DMARC_EINVAL;
	if (w->n_attributes == DMARC__XML_MAX_ATTRIBUTES)
		return DMARC_ERANGE;
	memcpy(w->attributes[w->n_attributes++], name, name_len + 1);
	put_attribute(w, name, name_len, value, len);
	return w->status;
}

dmarc_status dmarc__xml_text(struct dmarc__xml_writer *w, const char *text,
    size_t len)
{
	if (w->status != DMARC_OK)
		return w->status;
	if (w->depth == 0)
		return DMARC_ESTATE; /* outside the root */
	if (text == NULL && len != 0)
		return DMARC_EINVAL;
	if (len == 0)
		return DMARC_OK;
	close_start_tag(w);
	put_escaped(w, text, len, TEXT);
	return w->status;
}

dmarc_status dmarc__xml_end(struct dmarc__xml_writer *w, const char *name)
{
	if (w->status != DMARC_OK)
		return w->status;
	if (w->depth == 0 || name == NULL ||
	    strcmp(name, w->open[w->depth - 1].name) != 0)
		return DMARC_ESTATE;
	close_element(w);
	return w->status;
}

dmarc_status dmarc__xml_element(struct dmarc__xml_writer *w,
    const char *name, const char *text, size_t len)
{
	size_t name_len;
	dmarc_status st;

	if (text == NULL && len != 0)
		return DMARC_EINVAL;
	if ((st = can_start(w, name, &name_len)) != DMARC_OK)
		return st;
	open_element(w, name, name_len);
	if (len > 0) {
		close_start_tag(w);
		put_escaped(w, text, len, TEXT);
	}
	close_element(w);
	return w->status;
}

dmarc_status dmarc__xml_finish(struct dmarc__xml_writer *w)
{
	if (w->status != DMARC_OK)
		return w->status;
	if (w->state != W_DONE)
		return DMARC_ESTATE;
	flush(w);
	return w->status;
}

uint64_t dmarc__xml_replacements(const struct dmarc__xml_writer *w)
{
	return w->replacements;
}

uint64_t dmarc__xml_bytes_out(const struct dmarc__xml_writer *w)
{
	return w->bytes_out;
}
