/*
 * libdmarc - an unzip filter (PKWARE APPNOTE.TXT 6.3) for the report
 * wing.  Reports arrive as pushed bytes, so the archive is read front to
 * back by its local file headers (APPNOTE 4.3.7), never by seeking to the
 * central directory: every entry is decoded in order into the one next
 * sink, announced before its bytes and closed after them by two events.
 *
 * Entries (APPNOTE 4.3.7, 4.4): the name is kept (up to max_name bytes;
 * empty or odd names, any bytes, are passed as they are).  Method 0
 * (stored) and 8 (deflate, zlib's raw inflate on the context's allocator)
 * are decoded; the sizes come from the local header, or from the zip64
 * extended information extra field (APPNOTE 4.5.3) where those are
 * 0xFFFFFFFF.  With general purpose bit 3 the sizes follow the data in a
 * data descriptor (APPNOTE 4.3.9), with or without its signature
 * 0x08074b50, its sizes 8 bytes when the entry has the zip64 field: a
 * deflated entry ends where the deflate stream ends; a stored one cannot
 * be delimited, and is refused (DMARC__DD_STORED_DESCRIPTOR, class
 * unsupported).  The CRC-32 and both sizes are checked for every decoded
 * entry.  Other methods and encrypted entries (bit 0) are skipped with a
 * warning (DMARC__DD_SKIP_METHOD, _SKIP_ENCRYPTED) when their size is in
 * the local header (with bit 3 too: Info-ZIP puts it there for encrypted
 * entries; the descriptor is skipped after it), refused
 * (DMARC__DD_SKIP_UNSIZED, unsupported) when it is 0 there.
 *
 * After the entries, the central directory (4.3.12), digital signature
 * (4.3.13), zip64 end records (4.3.14, 4.3.15) and the end of central
 * directory record (4.3.16) are walked by their lengths, not used: the
 * input is whole when that last record and its comment are.  Bytes after
 * it are a DMARC__DD_TRAILING warning.  A split-archive marker (8.5.3,
 * 8.5.4) at offset 0 is skipped.  finish fails DMARC__DD_TRUNCATED when
 * the input ends before the end record is whole.
 *
 * Limits (decode.h): total output and ratio over the whole archive,
 * max_entries local headers, max_name bytes of a name.  Memory is fixed
 * at _new: the filter, zlib's state and window, max_name + 1 bytes.
 *
 * For a pull reader: events and bytes arrive synchronously, in stream
 * order, inside write and finish: begin(entry), the entry's bytes through
 * next (none for an empty entry), end(entry) with the checked sizes and
 * CRC.  Skipped entries get no events, only their warning.  The reader
 * keeps which entry it is in (say, the first whose name ends in ".xml",
 * else the first) and drops the bytes of the others in its sink; it
 * queues its own events (metadata, rows) and hands them out from its
 * next().  Each write decodes all it is given, so the reader bounds that
 * work by pushing slices of its input: a slice of n bytes makes at most
 * max(ratio_floor, n * max_ratio) bytes of output.  A non-OK status from
 * an event stops the filter like a sink's.
 *
 * Status: as gunzip.h.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_UNZIP_H
#define DMARC_REPORT_UNZIP_H

#include "decode.h"

/* One entry, as the events see it (valid during the call only). */
struct dmarc__zip_entry {
	uint32_t index;       /* from 0 in stream order, skipped ones too */
	const char *name;     /* name_len bytes, then a NUL; may hold NULs */
	size_t name_len;
	uint16_t flags;       /* general purpose bit flag (APPNOTE 4.4.4) */
	uint16_t method;      /* 0 stored, 8 deflate */
	bool utf8;            /* flag bit 11: the name is UTF-8, else CP437 */
	bool descriptor;      /* flag bit 3: sizes after the data */
	bool zip64;           /* the zip64 extra field was there */
	/* at begin: from the local header (0 with a descriptor); at end:
	 * what the data had, checked against the header or descriptor */
	uint32_t crc;
	uint64_t compressed, uncompressed;
	uint64_t offset;      /* input offset of the local header */
};

struct dmarc__zip_events {
	/* either may be NULL; DMARC_OK to go on */
	dmarc_status (*begin)(void *user, const struct dmarc__zip_entry *e);
	dmarc_status (*end)(void *user, const struct dmarc__zip_entry *e);
	void *user;
};

struct dmarc__unzip;

/* An unzip filter into next, with events (NULL: none) and limits (NULL:
 * the defaults of decode.h).  *out is NULL on failure; DMARC_ERANGE for a
 * max_name over 65535. */
dmarc_status dmarc__unzip_new(struct dmarc__unzip **out, const dmarc_ctx *ctx,
    struct dmarc__sink next, const struct dmarc__zip_events *events,
    const struct dmarc__decode_limits *limits);
/* Frees the filter and zlib's memory (NULL is accepted). */
void dmarc__unzip_free(struct dmarc__unzip *u);

/* Decodes len bytes (a dmarc_sink_fn: self is the struct dmarc__unzip). */
dmarc_status dmarc__unzip_write(void *self, const char *data, size_t len);
/* Ends the input: DMARC_OK when the end record was read whole. */
dmarc_status dmarc__unzip_finish(void *self);
/* The filter for the stage before it (sink.h). */
struct dmarc__filter dmarc__unzip_filter(struct dmarc__unzip *u);

/* Counters, diagnostics and the failure (decode.h). */
const struct dmarc__decode *dmarc__unzip_decode(const struct dmarc__unzip *u);
/* Local headers read (entries decoded or skipped). */
uint32_t dmarc__unzip_entries(const struct dmarc__unzip *u);

#endif /* DMARC_REPORT_UNZIP_H */
