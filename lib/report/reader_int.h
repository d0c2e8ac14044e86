/*
 * libdmarc - the report reader's pieces (dmarc/reader.h): the queue of
 * what the container chain found, the chain itself (reader_chain.c), the
 * XML stage (xml_read.c), failure reports (arf.c) and the reader that
 * hands events out (reader.c).  Never installed.
 *
 * How bytes flow.  dmarc_reader_next() feeds the chain a slice of the
 * pushed input at a time (READER_SLICE bytes when a decompressor may be
 * in the chain, so what one slice can produce stays bounded), and the
 * chain appends items to the queue: a document begins, XML bytes, a
 * document ends, a part failed, a failure report.  Then the items are
 * taken in order: XML bytes go to expat, which stops after each record,
 * so rows come out one at a time; the queue is refilled only when it is
 * empty.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_READER_INT_H
#define DMARC_REPORT_READER_INT_H

#include <dmarc/reader.h>

#include "../growbuf.h"
#include "gunzip.h"
#include "mbox.h"
#include "mime.h"
#include "rfields.h"
#include "unzip.h"

#define READER_SLICE 256u            /* input per step through decoders */
#define READER_XML_SLICE 65536u      /* plain XML handed to expat at once */
#define READER_SNIFF 512u            /* bytes looked at to tell the kind */
#define READER_MAX_DIAGS 64u         /* kept per report */
#define READER_ARF_MAX (64u << 10)   /* a feedback part, header section */
#define READER_ARF_SLOTS 16u
#define READER_LEVELS 3u             /* top, inside MIME or a decoder, both */

/* Diagnostic codes of the reader (dmarc/diag.h). */
#define RD_NAMESPACE 51
#define RD_WRAPPER 52
#define RD_UNKNOWN_ELEMENT 53
#define RD_ORDER 54
#define RD_MISSING 55
#define RD_REPEATED 56
#define RD_KEYWORD 57
#define RD_VALUE 58
#define RD_TEXT 59
#define RD_REPAIRED 60
#define RD_MARKUP 61
#define RD_RANGE 62
#define RD_COUNT_ZERO 63
#define RD_CONTAINER 64
#define RD_FAILED 65
#define RD_ARF_FIELD 66

enum ritem_kind {
	RI_DOC_BEGIN,  /* an XML document begins: source in text */
	RI_XML,        /* bytes of it */
	RI_DOC_END,    /* it ended; cls: its container's failure, or none */
	RI_FAILED,     /* a part that is no report or could not be read */
	RI_ARF,        /* a failure report: slot */
	RI_DIAG        /* a container's warning for the next report */
};

struct ritem {
	uint8_t kind;
	uint8_t cls;        /* dmarc_reader_failure */
	uint8_t code;       /* RI_DIAG */
	uint8_t slot;       /* RI_ARF */
	const char *ext;    /* RI_XML: bytes outside the arena, or NULL */
	size_t off, len;    /* in the arena (or ext) */
	size_t off2, len2;  /* a second text: part name */
	uint64_t number;    /* message index, diag offset */
};

/* One level of the container chain: what a stream of bytes turned out
 * to be, and where its bytes go. */
enum rstream_kind {
	RS_SNIFF,   /* not known yet: bytes gathered */
	RS_XML,     /* a report document */
	RS_GZIP,
	RS_ZIP,
	RS_MIME,
	RS_MBOX,
	RS_ARF,     /* a feedback-report part */
	RS_HEADERS, /* text/rfc822-headers: the reported message */
	RS_SKIP,    /* bytes dropped: no report, or after a failure */
	RS_NESTED   /* compressed inside compressed: not read (the
	               output of one slice would no longer be bounded) */
};

struct rstream {
	struct dmarc_reader *rd;
	unsigned int level;
	enum rstream_kind kind;
	bool open;
	bool mime_leaf;       /* a MIME part: ARF kinds possible */
	const char *type;     /* MIME type of that leaf, while sniffing */
	size_t have;
	unsigned char sniff[READER_SNIFF];
	char part_name[DMARC__MIME_NAME_MAX + 1];
	size_t part_name_len;
	bool found;           /* a report began in it (zip: any entry) */
};

struct reader_diag {
	struct dmarc_diag d;
	char tag[32];
};

struct dmarc_reader {
	const dmarc_ctx *ctx;
	bool strict;
	bool started, finishing, chain_done, done;
	bool chain_failed;     /* an allocation failed: the rest is dropped */
	bool oom_unsaid;       /* ... and its FAILED could not be queued */
	/* input */
	const char *in;
	size_t in_len, in_pos;
	uint64_t in_total;
	/* the chain */
	struct rstream st[READER_LEVELS];
	struct dmarc__gunzip *gz[2];
	struct dmarc__unzip *zip[2];
	struct dmarc__mime *mime;
	struct dmarc__mbox *mbox;
	struct dmarc__decode_limits dlim;
	struct dmarc__mime_limits mlim;
	unsigned int message_index;
	bool message_found;    /* a report (or failure report) in it */
	struct growbuf arf_text, headers_text;
	bool arf_seen;
	int arf_pending;       /* slot of the message's failure report, -1 */
	bool writing_external; /* top-level bytes are the caller's */
	/* the queue */
	struct growbuf items;  /* struct ritem */
	size_t item_pos;
	struct growbuf arena;
	/* failure reports waiting in the queue */
	struct rfields arf[READER_ARF_SLOTS];
	uint32_t arf_used;     /* bit per slot */
	/* the XML stage */
	struct xml_read *xml;
	/* the current event */
	dmarc_reader_event event;
	dmarc_reader_failure failure;
	dmarc_status status;
	struct rfields report, row, fail;
	const struct rfields *arf_view;
	uint8_t arf_view_slot;
	struct reader_diag diags[READER_MAX_DIAGS];
	size_t n_diags;
	bool clear_diags;      /* the last event closed a report */
	/* the document being read */
	bool doc_open, doc_failed, doc_ending;
	dmarc_reader_failure doc_end_cls;
	char doc_end_text[160];
};

/* ---- the queue (reader_queue.c) ---- */
int dmarc__reader_slot_take(struct dmarc_reader *rd);
/* A failure report waiting in slot. */
dmarc_status dmarc__reader_item_slot(struct dmarc_reader *rd, int slot);
void dmarc__reader_slot_release(struct dmarc_reader *rd, int slot);
const char *dmarc__reader_kind_name(enum rstream_kind k);
/* The kinds of the levels down to s, e.g. "mbox mime gzip xml". */
size_t dmarc__reader_describe(const struct dmarc_reader *rd,
    const struct rstream *s, char *buf, size_t size);
dmarc_status dmarc__reader_item(struct dmarc_reader *rd, enum ritem_kind kind,
    const char *text, size_t len, const char *ext);
dmarc_status dmarc__reader_item_failed(struct dmarc_reader *rd,
    dmarc_reader_failure cls, const char *text);
dmarc_status dmarc__reader_item_diag(struct dmarc_reader *rd, unsigned code,
    uint64_t offset, const char *tag);
dmarc_status dmarc__reader_item_doc(struct dmarc_reader *rd,
    const struct rstream *s);
dmarc_status dmarc__reader_item_end(struct dmarc_reader *rd,
    dmarc_reader_failure cls, const char *text);
/* The failure report of the message that ended, the feedback part that
 * ended (reader_chain.c; arf.c reads it). */
dmarc_status dmarc__reader_item_arf(struct dmarc_reader *rd);
dmarc_status dmarc__reader_arf_part(struct dmarc_reader *rd);
/* A diagnostic of the current report; tag is a static string. */
void dmarc__reader_diag(struct dmarc_reader *rd, unsigned code,
    dmarc_severity sev, uint64_t offset, const char *tag);

/* ---- the chain (reader_chain.c) ---- */
void dmarc__chain_dispose(struct dmarc_reader *rd);
void dmarc__chain_reset(struct dmarc_reader *rd);
/* Bytes of the top stream; its end. */
dmarc_status dmarc__chain_write(struct dmarc_reader *rd, const char *data,
    size_t len);
dmarc_status dmarc__chain_finish(struct dmarc_reader *rd);
/* Whether the top stream is plain XML (slices may be large). */
bool dmarc__chain_plain(const struct dmarc_reader *rd);
void dmarc__chain_defaults(struct dmarc_reader *rd);

/* ---- failure reports (arf.c) ---- */
/* Reads a feedback-report part's fields into f; its quirks as queued
 * diagnostics.  DMARC_ENOMEM, DMARC_ERANGE. */
dmarc_status dmarc__arf_parse(struct dmarc_reader *rd, struct rfields *f,
    const char *text, size_t len);

/* ---- the XML stage (xml_read.c) ---- */
struct xml_read;
enum xml_outcome {
	XO_MORE,        /* give more bytes */
	XO_REPORT,      /* an event is ready in rd */
	XO_ROW,
	XO_FAILED       /* the document failed: rd->failure, rd->fail */
};
dmarc_status dmarc__xml_new(struct xml_read **out, struct dmarc_reader *rd);
void dmarc__xml_free(struct xml_read *x);
/* A new document. */
dmarc_status dmarc__xml_begin(struct xml_read *x);
/* Bytes of it (NULL, 0 with final at its end); or, after an event,
 * resume (data NULL, len 0, final false). */
enum xml_outcome dmarc__xml_parse(struct xml_read *x, const char *data,
    size_t len, bool final);
enum xml_outcome dmarc__xml_resume(struct xml_read *x);
/* Whether the document holds a complete report, ready for its end. */
bool dmarc__xml_complete(const struct xml_read *x);
bool dmarc__xml_suspended(const struct xml_read *x);
dmarc_reader_failure dmarc__xml_failure(const struct xml_read *x);
uint64_t dmarc__xml_records(const struct xml_read *x);
uint64_t dmarc__xml_messages(const struct xml_read *x);

#endif /* DMARC_REPORT_READER_INT_H */
