/*
 * libdmarc - pieces of the MIME reader (mime.h): the body decoders
 * (mime_decode.c) and the header section reader (mime_header.c).
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_MIME_INT_H
#define DMARC_REPORT_MIME_INT_H

#include "mime.h"

/* ---- base64 (RFC 2045 6.8), tolerant: white space and line breaks
 * skipped, other bytes outside the alphabet skipped and reported, "="
 * ends a group (missing padding is fine), decoding goes on after it ---- */
struct dmarc__b64dec {
	uint32_t acc;
	unsigned int n;   /* sextets in acc */
};

/* Decodes len bytes into out (room for len / 4 * 3 + 3); returns the
 * bytes written.  *bad is the index of the first byte skipped as bad,
 * SIZE_MAX if none. */
size_t dmarc__b64dec_run(struct dmarc__b64dec *d, const char *in,
    size_t len, unsigned char *out, size_t *bad);
/* The end of the data: the bytes of a partial group (0 to 2) into out;
 * *partial when bits were left over (a lone sextet). */
size_t dmarc__b64dec_end(struct dmarc__b64dec *d, unsigned char *out,
    bool *partial);

/* ---- quoted-printable (RFC 2045 6.7), fed line content and line
 * breaks separately; trailing white space of a line dropped (rule 3),
 * a bad "=" sequence kept as is (6.7, note 1) ---- */
#define DMARC__QP_HOLD 64u
struct dmarc__qpdec {
	unsigned int eq;           /* 0, or 1/2 after "=" and its hex */
	unsigned char hex;         /* the first hex digit after "=" */
	size_t ws;                 /* white space held */
	unsigned char held[DMARC__QP_HOLD];
};

/* Line content: room for len + DMARC__QP_HOLD + 3 bytes in out.  *bad
 * as for base64. */
size_t dmarc__qpdec_run(struct dmarc__qpdec *d, const char *in, size_t len,
    unsigned char *out, size_t *bad);
/* A line break (eol, 1 or 2 bytes), or the end of the data (eol_len 0):
 * room for 5 bytes.  *bad when a "=" sequence was cut. */
size_t dmarc__qpdec_eol(struct dmarc__qpdec *d, const char *eol,
    size_t eol_len, unsigned char *out, bool *bad);

/* ---- one header section (mime_header.c) ---- */
#define DMARC__MIME_HDIAG_MAX 8u

struct dmarc__mime_fields {
	char type[DMARC__MIME_TYPE_MAX + 1];      /* lower; "" if none */
	char boundary[DMARC__MIME_BOUNDARY_MAX + 1];
	size_t boundary_len;                       /* 0: none */
	char name[DMARC__MIME_NAME_MAX + 1];
	size_t name_len;
	enum dmarc__mime_cte cte;
	unsigned int n_fields;                     /* fields read */
	unsigned int n_diag;
	struct {
		enum dmarc__mime_diag code;
		size_t offset;                     /* in the section */
	} diag[DMARC__MIME_HDIAG_MAX];
};

/* Reads the header section at block (len bytes, changed in place: values
 * unfolded, unquoted): Content-Type, Content-Transfer-Encoding and
 * Content-Disposition, field names case-insensitive, the first of each
 * taken. */
void dmarc__mime_fields_read(struct dmarc__mime_fields *f, char *block,
    size_t len);

/* Decodes RFC 2047 encoded words in s (len bytes) in place; returns the
 * new length.  Bytes are left in the word's charset. */
size_t dmarc__mime_decode_words(char *s, size_t len);

#endif /* DMARC_REPORT_MIME_INT_H */
