/*
 * libdmarc - the repairs the report reader makes to XML before expat sees
 * it, so that what real generators send is read (tolerant mode): a raw
 * "<" that starts no markup becomes "&lt;", a raw "&" that starts no
 * character reference or predefined entity becomes "&amp;" (so "&nbsp;"
 * reads as text and no entity is ever looked up), invalid UTF-8 and
 * control characters XML forbids become U+FFFD, and white space before
 * the document is dropped.  Comments, CDATA sections and processing
 * instructions pass untouched.  A document in UTF-16 (byte order mark)
 * passes untouched; one declaring another 8-bit encoding is not checked
 * as UTF-8.
 *
 * Streaming: bytes are pushed in any pieces; a piece ending inside what
 * must be looked at whole (a "<!" opener, an entity, a UTF-8 sequence,
 * the XML declaration) is held back until the next.  Output is the
 * input itself when nothing needed repair, else a buffer of the filter.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_XML_REPAIR_H
#define DMARC_REPORT_XML_REPAIR_H

#include "../growbuf.h"

#define XML_REPAIR_HOLD 256u  /* longest look-ahead (the XML declaration) */

enum xml_repair_kind {
	XR_NONE = 0,
	XR_LT = 1,        /* raw "<" */
	XR_AMP = 2,       /* raw "&" or an undefined entity */
	XR_BYTES = 4,     /* invalid UTF-8 or a forbidden control */
	XR_LEADING = 8    /* bytes before the document */
};

struct xml_repair {
	int state;            /* in text, comment, CDATA, PI */
	bool started;         /* the document's first bytes were seen */
	bool pass;            /* UTF-16: nothing is repaired */
	bool utf8;            /* UTF-8 is checked */
	unsigned int made;    /* xml_repair_kind bits since the last take */
	uint64_t first_at;    /* input offset of the first repair made */
	uint64_t in;          /* input bytes consumed */
	size_t nhold;
	unsigned char hold[XML_REPAIR_HOLD];
	struct growbuf join;  /* held bytes and the next piece */
	struct growbuf out;
};

void dmarc__xml_repair_init(struct xml_repair *r, const dmarc_ctx *ctx);
void dmarc__xml_repair_dispose(struct xml_repair *r);
/* A new document. */
void dmarc__xml_repair_reset(struct xml_repair *r);

/* Repairs the next len bytes (final: nothing follows).  *out, *out_len:
 * the bytes to parse now (valid until the next call).  DMARC_ENOMEM. */
dmarc_status dmarc__xml_repair(struct xml_repair *r, const char *data,
    size_t len, bool final, const char **out, size_t *out_len);

#endif /* DMARC_REPORT_XML_REPAIR_H */
