/*
 * libdmarc - the MIME reader of received reports: a push parser over a
 * message (RFC 5322, MIME of RFC 2045/2046) in any chunking, handing the
 * decoded body of each leaf part to an output.  Never installed.
 *
 * Output: a table of function pointers (struct dmarc__mime_ops), internal
 * to the library.  Decoded bytes go on to the next stage at once (gunzip,
 * unzip, the XML reader), so nothing is queued here and memory stays
 * bounded; the later pull reader implements the ops itself and queues
 * its own events (rows), so no C callback reaches a user.  For each leaf
 * part: begin (type, file name, encoding, depth), data (decoded bytes, in
 * pieces), end.  Tolerated quirks go to diag with a byte offset; a
 * failure stops the parser (class and offset from dmarc__mime_failure).
 *
 * Structure (RFC 2046 5.1): multipart entities nested up to the depth limit,
 * preamble and epilogue ignored, delimiters with transport padding; a
 * message/rfc822 (or message/global) part is parsed as a message one
 * level deeper; any other type is a leaf, whatever its label (the caller
 * sniffs content).  A message that is not multipart is one leaf.  The
 * delimiters of every enclosing multipart are recognized, so an inner
 * multipart left open is closed (with a diagnostic) by an outer one.
 *
 * Offsets are byte offsets from the first byte pushed (since the last
 * reset, plus the base given to dmarc__mime_reset).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_MIME_H
#define DMARC_REPORT_MIME_H

#include "../internal.h"

/* Default limits (struct dmarc__mime_limits). */
#define DMARC__MIME_HEADER_MAX (64u * 1024u)   /* a header section */
#define DMARC__MIME_PARTS_MAX 256u             /* parts of all multiparts */
#define DMARC__MIME_DEPTH_MAX 8u               /* nesting, the top is 0 */
#define DMARC__MIME_DECODED_MAX ((uint64_t)512 << 20) /* decoded bytes */
/* Hard bounds: boundaries up to 200 bytes (RFC 2046 5.1.1 says 70);
 * depth limits up to 16; file names kept up to 1024 bytes. */
#define DMARC__MIME_BOUNDARY_MAX 200u
#define DMARC__MIME_DEPTH_HARD 16u
#define DMARC__MIME_NAME_MAX 1024u
#define DMARC__MIME_TYPE_MAX 127u

struct dmarc__mime_limits {
	size_t header_max;
	unsigned int parts_max;
	unsigned int depth_max;     /* at most DMARC__MIME_DEPTH_HARD */
	uint64_t decoded_max;
};

/* Content-Transfer-Encoding (RFC 2045 6.1). */
enum dmarc__mime_cte {
	DMARC__CTE_7BIT, DMARC__CTE_8BIT, DMARC__CTE_BINARY,
	DMARC__CTE_QP, DMARC__CTE_BASE64
};

/* Tolerated quirks, each reported at most once per part (per header
 * section for the header ones). */
enum dmarc__mime_diag {
	DMARC__MIME_D_BASE64_CHAR = 0,  /* a byte outside base64: skipped */
	DMARC__MIME_D_BASE64_END,       /* base64 ending in a partial group */
	DMARC__MIME_D_QP_ESCAPE,        /* "=" not followed by 2 hex: kept */
	DMARC__MIME_D_CTE_UNKNOWN,      /* unknown encoding: read as 8bit */
	DMARC__MIME_D_NO_CLOSE,         /* a multipart without its close
	                                   delimiter (truncated?) */
	DMARC__MIME_D_NO_BOUNDARY,      /* multipart without boundary: leaf */
	DMARC__MIME_D_BOUNDARY_LONG,    /* boundary over 70 bytes */
	DMARC__MIME_D_HEADER_LINE,      /* a header line not a field: skipped */
	DMARC__MIME_D_PARAM,            /* a malformed parameter: skipped */
	DMARC__MIME_D_NAME_LONG,        /* a file name cut to the limit */
	DMARC__MIME_D_HEADER_OPEN,      /* a part's header ended by a
	                                   delimiter: the part is dropped */
	DMARC__MIME_D_COUNT
};

/* Failure classes (the parser stops). */
enum dmarc__mime_failure {
	DMARC__MIME_F_NONE = 0,
	DMARC__MIME_F_TRUNCATED,  /* input ended inside a header section, or
	                             a multipart without any part */
	DMARC__MIME_F_CORRUPT,    /* the top header section has no field */
	DMARC__MIME_F_LIMIT       /* a limit was passed */
};

/* A leaf part, as given to begin (valid during that call only). */
struct dmarc__mime_part {
	const char *type;     /* "type/subtype" lower-cased; "text/plain"
	                         when absent or malformed (RFC 2045 5.2) */
	const char *name;     /* file name bytes (charset as sent, NULs
	                         dropped), "" if none; NUL-terminated */
	size_t name_len;
	enum dmarc__mime_cte cte;
	unsigned int depth;   /* 0 for a message that is one leaf */
	unsigned int index;   /* leaves so far, from 0 */
	uint64_t offset;      /* of the part's header section */
};

struct dmarc__mime_ops {
	dmarc_status (*begin)(void *user, const struct dmarc__mime_part *p);
	dmarc_status (*data)(void *user, const char *data, size_t len);
	dmarc_status (*end)(void *user);
	void (*diag)(void *user, enum dmarc__mime_diag code, uint64_t offset);
	/* optional: the header section of a message/rfc822 part, as sent
	 * (a failure report's reported message) */
	void (*headers)(void *user, const char *data, size_t len);
};

struct dmarc__mime;

/* A parser with the default limits, or limits (copied) when not NULL;
 * DMARC_ERANGE for a depth over DMARC__MIME_DEPTH_HARD. */
dmarc_status dmarc__mime_new(struct dmarc__mime **out, const dmarc_ctx *ctx,
    const struct dmarc__mime_limits *limits,
    const struct dmarc__mime_ops *ops, void *user);
void dmarc__mime_free(struct dmarc__mime *m);
void dmarc__mime_default_limits(struct dmarc__mime_limits *l);

/* Bytes of the message.  DMARC_OK; DMARC_ENOMEM; the status of an op
 * that stopped the parser; DMARC_EMESSAGE on a failure (see
 * dmarc__mime_failure); DMARC_ESTATE after finish.  Once not DMARC_OK,
 * every later call returns the same. */
dmarc_status dmarc__mime_push(struct dmarc__mime *m, const char *data,
    size_t len);
/* The end of the message: the last part ended, open multiparts reported
 * (DMARC__MIME_D_NO_CLOSE).  Statuses as push. */
dmarc_status dmarc__mime_finish(struct dmarc__mime *m);
/* Ready for another message, offsets counted from base (mbox). */
void dmarc__mime_reset(struct dmarc__mime *m, uint64_t base);
/* The failure class and its offset (DMARC__MIME_F_NONE if none). */
enum dmarc__mime_failure dmarc__mime_failure(const struct dmarc__mime *m,
    uint64_t *offset);

#endif /* DMARC_REPORT_MIME_H */
