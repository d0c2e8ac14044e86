/*
 * libdmarc - what the report wing's decompressing filters share (gunzip.h,
 * unzip.h): their limits, their diagnostics and failure classes, and a
 * core that runs zlib's raw inflate on the context's allocator into the
 * next sink through a fixed buffer, counting input and output.
 *
 * Input is hostile (DMARC-DIGEST 6.7: decompression bombs), so every
 * filter is bounded: total output (handed on up to the limit exactly,
 * then the stop), output/input ratio (all output so far over all input
 * taken so far, checked as each piece of output is handed on, once past
 * a floor; where it stops thus depends a little on the chunking), and
 * for zip the number of entries and the length of a name.  Memory is fixed at
 * creation: the filter, zlib's state and its 32 KiB window (allocated by
 * inflate on first output), and the zip name buffer; nothing grows with
 * the input.
 *
 * Failure classes.  A filter that meets bad input stops (sink.h) with a
 * status that tells the class; the diagnostic (dmarc__decode_failure)
 * tells the code and the input offset.  The statuses are borrowed from
 * the library's enum until the reader maps the classes to its own:
 *
 *   truncated    the input ended inside the container    DMARC_ETRUNCATED
 *   corrupt      bad magic, header, data, CRC or size     DMARC_EMESSAGE
 *   limit        a limit of dmarc__decode_limits          DMARC_ERANGE
 *   unsupported  valid but not decodable as a stream      DMARC_ENOTSUP
 *
 * A stop that has no failure diagnostic came from the next sink (its
 * status, e.g. an inner decoder's) or was DMARC_ENOMEM.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_DECODE_H
#define DMARC_REPORT_DECODE_H

#define ZLIB_CONST /* next_in points to const bytes */
#include <zlib.h>

#include "sink.h"

#define DMARC__DECODE_BUFFER 16384u  /* decoded bytes handed on at once */
#define DMARC__DECODE_MAX_DIAGS 16u  /* kept; later ones are counted */
#define DMARC__DECODE_FIELD 64u      /* longest fixed header part gathered */

/* Defaults.  Deflate's best ratio is about 1032:1 (258-byte matches in
 * about 2 bits), so 1000:1 catches a stream of nothing but runs while
 * XML reports (10:1 to 50:1) stay far below it. */
#define DMARC__DECODE_MAX_OUTPUT (1ull << 30)   /* 1 GiB */
#define DMARC__DECODE_MAX_RATIO 1000u
#define DMARC__DECODE_RATIO_FLOOR (1ull << 20)  /* ratio checked past 1 MiB */
#define DMARC__DECODE_MAX_ENTRIES 64u
#define DMARC__DECODE_MAX_NAME 1024u            /* zip names, bytes */
#define DMARC__DECODE_NAME_CEILING 65535u       /* the 16-bit field */

struct dmarc__decode_limits {
	uint64_t max_output;   /* decoded bytes in all, all members/entries */
	uint64_t ratio_floor;  /* output up to this is not ratio-checked */
	uint32_t max_ratio;    /* output / input; 0: not checked */
	uint32_t max_entries;  /* zip local headers, skipped ones too */
	uint32_t max_name;     /* zip name bytes, at most 65535 */
};

enum dmarc__decode_class {
	DMARC__DECODE_WARNING = 0,  /* decoding went on */
	DMARC__DECODE_TRUNCATED = 1,
	DMARC__DECODE_CORRUPT = 2,
	DMARC__DECODE_LIMIT = 3,
	DMARC__DECODE_UNSUPPORTED = 4
};

/* Diagnostic codes; the class of each is fixed (decode.c). */
enum dmarc__decode_code {
	/* warnings */
	DMARC__DD_TRAILING = 1,       /* bytes after the last gzip member or
	                                 after the zip's end record: ignored */
	DMARC__DD_SKIP_METHOD = 2,    /* zip entry not stored nor deflated */
	DMARC__DD_SKIP_ENCRYPTED = 3, /* zip entry encrypted (flag bit 0) */
	/* truncated */
	DMARC__DD_TRUNCATED = 4,
	/* corrupt */
	DMARC__DD_BAD_MAGIC = 5,      /* not gzip (1F 8B) / not a zip record */
	DMARC__DD_BAD_HEADER = 6,     /* gzip CM, reserved FLG bits, FHCRC */
	DMARC__DD_BAD_DATA = 7,       /* inflate refused the deflate data */
	DMARC__DD_BAD_CRC = 8,        /* CRC-32 of the output differs */
	DMARC__DD_BAD_SIZE = 9,       /* ISIZE or a zip size differs */
	DMARC__DD_BAD_RECORD = 10,    /* zip: unknown record signature */
	/* limit */
	DMARC__DD_LIMIT_OUTPUT = 11,
	DMARC__DD_LIMIT_RATIO = 12,
	DMARC__DD_LIMIT_ENTRIES = 13,
	DMARC__DD_LIMIT_NAME = 14,
	/* unsupported */
	DMARC__DD_STORED_DESCRIPTOR = 15, /* stored entry, sizes after data:
	                                     its end cannot be found */
	DMARC__DD_SKIP_UNSIZED = 16   /* an entry to skip, sizes after data */
};

struct dmarc__decode_diag {
	uint8_t code;     /* enum dmarc__decode_code */
	uint8_t cls;      /* enum dmarc__decode_class */
	uint32_t part;    /* gzip member or zip entry, from 0 */
	uint64_t offset;  /* in the filter's input */
	uint64_t length;  /* input bytes concerned: trailing ones, a skipped
	                     entry's (as its header says), else 0 */
};

/* The state every decoder starts with; the filters embed it first. */
struct dmarc__decode {
	const dmarc_ctx *ctx;
	struct dmarc__sink next;
	struct dmarc__decode_limits lim;
	dmarc_status status;   /* the first stop, then returned */
	bool finished;
	uint64_t in, out;      /* input consumed, output handed on */
	uint32_t part;         /* the current member or entry */
	uint32_t n_diags, dropped;
	struct dmarc__decode_diag diags[DMARC__DECODE_MAX_DIAGS];
	struct dmarc__decode_diag failure; /* code 0: none */
	size_t have;           /* bytes in field */
	unsigned char field[DMARC__DECODE_FIELD];
	z_stream zs;           /* raw inflate (RFC 1951) */
	unsigned char buf[DMARC__DECODE_BUFFER];
};

void dmarc__decode_limits_default(struct dmarc__decode_limits *lim);

/* Sets d up (raw inflate, window 2^15) with limits (NULL: defaults).
 * DMARC_ERANGE for a max_name over the ceiling, DMARC_ENOMEM; on failure
 * nothing is left to dispose of. */
dmarc_status dmarc__decode_init(struct dmarc__decode *d, const dmarc_ctx *ctx,
    struct dmarc__sink next, const struct dmarc__decode_limits *lim);
void dmarc__decode_dispose(struct dmarc__decode *d);

/* What write and finish check first (sink.h); finish sets finished. */
dmarc_status dmarc__decode_enter(struct dmarc__decode *d, bool finish);

/* Records a warning; decoding goes on. */
void dmarc__decode_warn(struct dmarc__decode *d, enum dmarc__decode_code code,
    uint64_t offset, uint64_t length);
/* Records the failure and stops d: returns the class's status. */
dmarc_status dmarc__decode_fail(struct dmarc__decode *d,
    enum dmarc__decode_code code, uint64_t offset);

/* Hands n decoded bytes on after the limits; *crc (optional) is the
 * running CRC-32 of the output. */
dmarc_status dmarc__decode_output(struct dmarc__decode *d,
    const unsigned char *p, size_t n, uint32_t *crc);

/* zlib's CRC-32 (RFC 1952 section 8) of n more bytes. */
uint32_t dmarc__decode_crc32(uint32_t crc, const unsigned char *p, size_t n);

/* Inflates from *in (len bytes, both moved past what was consumed) into
 * the next sink until the input is used or the deflate stream ends
 * (*ended).  Counts d->in. */
dmarc_status dmarc__decode_inflate(struct dmarc__decode *d,
    const unsigned char **in, size_t *len, bool *ended, uint32_t *crc);
/* Starts a new deflate stream (the window stays allocated). */
void dmarc__decode_inflate_reset(struct dmarc__decode *d);

/* Moves input into d->field until it holds want bytes (<= the field's
 * size): true when it does; false when the input ran out first. */
bool dmarc__decode_gather(struct dmarc__decode *d, const unsigned char **in,
    size_t *len, size_t want);
/* Consumes up to *left bytes of input: true once *left is 0. */
bool dmarc__decode_skip(struct dmarc__decode *d, const unsigned char **in,
    size_t *len, uint64_t *left);

/* Reading what a filter found (for the reader and the tests). */
uint64_t dmarc__decode_bytes_in(const struct dmarc__decode *d);
uint64_t dmarc__decode_bytes_out(const struct dmarc__decode *d);
size_t dmarc__decode_diag_count(const struct dmarc__decode *d);
const struct dmarc__decode_diag *dmarc__decode_diag_at(
    const struct dmarc__decode *d, size_t i);
/* Diagnostics that did not fit (past DMARC__DECODE_MAX_DIAGS). */
uint32_t dmarc__decode_diags_dropped(const struct dmarc__decode *d);
/* The failure that stopped the filter, or NULL (none, or the stop came
 * from the next sink or an allocation). */
const struct dmarc__decode_diag *dmarc__decode_failure(
    const struct dmarc__decode *d);
enum dmarc__decode_class dmarc__decode_code_class(
    enum dmarc__decode_code code);
/* A short English text for a code; never NULL. */
const char *dmarc__decode_code_text(enum dmarc__decode_code code);

/* Little-endian fields (RFC 1952 section 2.1, APPNOTE 4.4.1.1). */
static inline uint32_t dmarc__le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t dmarc__le32(const unsigned char *p)
{
	return dmarc__le16(p) | dmarc__le16(p + 2) << 16;
}

static inline uint64_t dmarc__le64(const unsigned char *p)
{
	return (uint64_t)dmarc__le32(p) | (uint64_t)dmarc__le32(p + 4) << 32;
}

#endif /* DMARC_REPORT_DECODE_H */
