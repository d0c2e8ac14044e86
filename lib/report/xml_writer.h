/*
 * libdmarc - a streaming XML writer onto a sink, for the aggregate report
 * builder (RFC 9990 and RFC 7489 documents) and anything else the report
 * wing writes as XML.  The document is never held whole: output gathers
 * in a fixed buffer of DMARC__XML_BUFFER bytes that goes to the sink each
 * time it fills, and at the end.
 *
 * What it guarantees: the output is a well-formed, namespace-well-formed
 * XML 1.0 document in UTF-8, whatever text it is given.
 *   - Text and attribute values are escaped: & < > always, " in
 *     attribute values; CR as &#13; (a parser would turn a raw CR into
 *     LF, XML 1.0 section 2.11), and TAB and LF in attribute values as
 *     &#9; and &#10; (attribute-value normalization, section 3.3.3), so
 *     that every character reads back as written.
 *   - Text comes from mail and may hold any byte.  Bytes that are not
 *     well-formed UTF-8 (RFC 3629), and characters XML 1.0 forbids
 *     (section 2.2 Char: C0 controls other than TAB, LF and CR; U+FFFE,
 *     U+FFFF; surrogates), are each replaced by U+FFFD, the REPLACEMENT
 *     CHARACTER, one per maximal ill-formed subpart (xml_char.h).  The
 *     writer counts them (dmarc__xml_replacements) so the caller can say
 *     so.  Dropping them would hide that something was there; failing
 *     would lose a whole report to one odd byte in one header.  Each
 *     call's text is checked by itself: a character cut between two calls
 *     is two ill-formed pieces.
 *   - Names are ASCII NCNames, or prefix:NCName with a prefix the root
 *     declared (or "xml"), at most DMARC__XML_MAX_NAME bytes; an
 *     attribute appears once per element.  The writer takes only the
 *     fixed names of the report tables, so a bad name is a caller's bug:
 *     DMARC_EINVAL.
 *   - Tags balance: open elements are kept on a stack of at most
 *     DMARC__XML_MAX_DEPTH, and each end names the element it closes.
 *
 * Status of every call:
 *   DMARC_OK;
 *   DMARC_ENOMEM  (dmarc__xml_writer_new) the context's allocator failed;
 *   DMARC_EINVAL  a name the writer does not take (above), or a namespace
 *                 declaration XML forbids;
 *   DMARC_ESTATE  misuse: an end without its start or naming another
 *                 element, text or an attribute where none can be, a
 *                 second root, the declaration after the start, finish
 *                 with elements open;
 *   DMARC_ERANGE  deeper than DMARC__XML_MAX_DEPTH, more attributes than
 *                 DMARC__XML_MAX_ATTRIBUTES on one element, more
 *                 namespaces than DMARC__XML_MAX_NAMESPACES;
 *   or the sink's status, which stops the writer: that call and every
 *   later one return it.
 * A refused call (EINVAL, ESTATE, ERANGE) writes nothing and leaves the
 * writer as it was.
 *
 * Pretty-printing (DMARC__XML_PRETTY) puts each element on a line of its
 * own, indented by two spaces a level, and keeps the text of an element
 * without children on its line.  It adds white space only between tags,
 * which is harmless where elements hold either text or elements (as
 * reports do), but changes mixed content.  Without it, the only white
 * space the writer adds is a newline after the declaration and after the
 * root's end tag.
 *
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_XML_WRITER_H
#define DMARC_REPORT_XML_WRITER_H

#include "sink.h"
#include "xml_char.h"

#define DMARC__XML_BUFFER 8192u      /* bytes gathered before the sink */
#define DMARC__XML_MAX_DEPTH 32u     /* reports nest 5 deep, extensions more */
#define DMARC__XML_MAX_ATTRIBUTES 8u /* per element */
#define DMARC__XML_MAX_NAMESPACES 8u /* prefixes declared on the root */

/* Options of dmarc__xml_writer_new. */
#define DMARC__XML_PRETTY 1u

struct dmarc__xml_writer;

/* A namespace declaration on the root: xmlns:prefix="uri". */
struct dmarc__xml_ns {
	const char *prefix;
	const char *uri;
};

/* A writer whose output goes to sink; options is 0 or DMARC__XML_PRETTY.
 * *out is NULL on failure (DMARC_ENOMEM, or DMARC_EINVAL for a sink
 * without a function or an unknown option). */
dmarc_status dmarc__xml_writer_new(struct dmarc__xml_writer **out,
    const dmarc_ctx *ctx, struct dmarc__sink sink, unsigned int options);
/* Frees the writer (NULL is accepted) without writing anything more. */
void dmarc__xml_writer_free(struct dmarc__xml_writer *w);

/* <?xml version="1.0" encoding="UTF-8"?>: optional, and first. */
dmarc_status dmarc__xml_declaration(struct dmarc__xml_writer *w);

/* The start tag of the root element, declaring the default namespace
 * (default_ns; NULL for none) and n_ns prefixed ones (ns; NULL when
 * n_ns is 0).  A prefix is an NCName other than xml and xmlns, declared
 * once, and bound to a URI that is not empty, not the one of another
 * prefix, nor one of those reserved for xml and xmlns. */
dmarc_status dmarc__xml_start_root(struct dmarc__xml_writer *w,
    const char *name, const char *default_ns,
    const struct dmarc__xml_ns *ns, size_t n_ns);

/* The start tag of an element (of the root, without namespaces, when
 * none is open yet). */
dmarc_status dmarc__xml_start(struct dmarc__xml_writer *w, const char *name);

/* An attribute of the element just started (before its content). */
dmarc_status dmarc__xml_attribute(struct dmarc__xml_writer *w,
    const char *name, const char *value, size_t len);

/* Text content of the open element, len bytes (any bytes; see above). */
dmarc_status dmarc__xml_text(struct dmarc__xml_writer *w, const char *text,
    size_t len);

/* The end of the open element, which must be name.  An element without
 * content is written as <name/>. */
dmarc_status dmarc__xml_end(struct dmarc__xml_writer *w, const char *name);

/* <name>text</name>: start, text and end in one call. */
dmarc_status dmarc__xml_element(struct dmarc__xml_writer *w,
    const char *name, const char *text, size_t len);

/* After the root's end: hands what is buffered to the sink.  Filters
 * after the sink are finished by the caller. */
dmarc_status dmarc__xml_finish(struct dmarc__xml_writer *w);

/* U+FFFD written in place of ill-formed or forbidden text so far. */
uint64_t dmarc__xml_replacements(const struct dmarc__xml_writer *w);
/* Bytes handed to the sink so far. */
uint64_t dmarc__xml_bytes_out(const struct dmarc__xml_writer *w);

#endif /* DMARC_REPORT_XML_WRITER_H */
