/*
 * libdmarc - the unzip filter (unzip.h): zip records read front to back
 * as a push state machine around raw inflate (decode.c).  Sections are
 * those of PKWARE's APPNOTE.TXT 6.3.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "unzip.h"

/* Record signatures, "PK" and two bytes, little-endian (APPNOTE 4.3) */
#define SIG_LOCAL 0x04034b50u          /* 4.3.7 local file header */
#define SIG_DESCRIPTOR 0x08074b50u     /* 4.3.9.3, also 8.5.3 */
#define SIG_ARCHIVE_EXTRA 0x08064b50u  /* 4.3.11 */
#define SIG_CENTRAL 0x02014b50u        /* 4.3.12 */
#define SIG_DIGITAL 0x05054b50u        /* 4.3.13 */
#define SIG_ZIP64_END 0x06064b50u      /* 4.3.14 */
#define SIG_ZIP64_LOCATOR 0x07064b50u  /* 4.3.15 */
#define SIG_END 0x06054b50u            /* 4.3.16 */
#define SIG_SPLIT_ONE 0x30304b50u      /* 8.5.4 "PK00" */

#define FLAG_ENCRYPTED 0x0001u         /* 4.4.4 bit 0 */
#define FLAG_DESCRIPTOR 0x0008u        /* bit 3 */
#define FLAG_UTF8 0x0800u              /* bit 11 */
#define METHOD_STORED 0u               /* 4.4.5 */
#define METHOD_DEFLATE 8u
#define ZIP64_EXTRA 0x0001u            /* 4.5.3 header ID */
#define ZIP64_SIZES 16u                /* its two sizes, in the local one */
#define SIZE_IN_ZIP64 0xFFFFFFFFu      /* 4.4.8, 4.4.9 */

enum zip_state {
	Z_SIGNATURE,  /* the 4 bytes of the next record */
	Z_RECORD,     /* the fixed part of the record (rec_size bytes) */
	Z_NAME,       /* the entry's name */
	Z_EXTRA,      /* a field header of the entry's extra field (4.5.1) */
	Z_EXTRA_ZIP64,/* the zip64 field's sizes */
	Z_EXTRA_SKIP, /* the rest of an extra field */
	Z_STORED,     /* the entry's data, method 0 */
	Z_DEFLATE,    /* the entry's data, method 8 */
	Z_DESCRIPTOR, /* the data descriptor (4.3.9) */
	Z_SKIP,       /* left bytes of a record or skipped entry */
	Z_SKIP_DESCRIPTOR, /* the descriptor after a skipped entry */
	Z_COMMENT,    /* the end record's comment */
	Z_DONE        /* after the end record: trailing bytes */
};

struct dmarc__unzip {
	struct dmarc__decode d;
	enum zip_state state;
	struct dmarc__zip_events ev;
	struct dmarc__zip_entry e;  /* the current entry */
	char *name;                 /* lim.max_name + 1 bytes */
	uint32_t sig;               /* of the record being read */
	size_t rec_size;            /* its fixed part, signature included */
	uint64_t record_at;         /* its offset */
	uint64_t left;              /* bytes to skip, or of the entry's data */
	bool skip_descriptor;       /* after the skipped bytes */
	uint32_t extra_left;        /* of the extra field */
	uint32_t sub_size;          /* of the zip64 field */
	uint32_t crc;               /* CRC-32 of the entry's output */
	uint64_t data_in, data_out; /* offsets when the entry's data began */
	uint64_t data_len;          /* its compressed length, once known */
	uint32_t entries;
	uint32_t records;
	uint64_t done_at;           /* end of the end record */
};

dmarc_status dmarc__unzip_new(struct dmarc__unzip **out, const dmarc_ctx *ctx,
    struct dmarc__sink next, const struct dmarc__zip_events *events,
    const struct dmarc__decode_limits *limits)
{
	struct dmarc__unzip *u;
	dmarc_status st;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || next.fn == NULL)
		return DMARC_EINVAL;
	if (limits != NULL && limits->max_name > DMARC__DECODE_NAME_CEILING)
		return DMARC_ERANGE;
	u = dmarc__alloc(ctx, sizeof *u);
	if (u == NULL)
		return DMARC_ENOMEM;
	memset(&u->state, 0, sizeof *u - offsetof(struct dmarc__unzip, state));
	st = dmarc__decode_init(&u->d, ctx, next, limits);
	if (st != DMARC_OK) {
		dmarc__free(ctx, u);
		return st;
	}
	u->name = dmarc__alloc(ctx, (size_t)u->d.lim.max_name + 1);
	if (u->name == NULL) {
		dmarc__decode_dispose(&u->d);
		dmarc__free(ctx, u);
		return DMARC_ENOMEM;
	}
	if (events != NULL)
		u->ev = *events;
	u->state = Z_SIGNATURE;
	*out = u;
	return DMARC_OK;
}

void dmarc__unzip_free(struct dmarc__unzip *u)
{
	if (u == NULL)
		return;
	dmarc__decode_dispose(&u->d);
	dmarc__free(u->d.ctx, u->name);
	dmarc__free(u->d.ctx, u);
}

/* Skips n bytes, then reads the next record. */
static void skip_then_record(struct dmarc__unzip *u, uint64_t n)
{
	u->left = n;
	u->skip_descriptor = false;
	u->state = Z_SKIP;
}

/* The fixed size of a record with signature sig (APPNOTE 4.3.6: the
 * records of an archive), 0 for none. */
static size_t record_size(uint32_t sig)
{
	switch (sig) {
	case SIG_LOCAL: return 30;
	case SIG_CENTRAL: return 46;
	case SIG_DIGITAL: return 6;
	case SIG_ZIP64_END: return 12;
	case SIG_ZIP64_LOCATOR: return 20;
	case SIG_END: return 22;
	case SIG_ARCHIVE_EXTRA: return 8;
	default: return 0;
	}
}

/* The signature is in field. */
static dmarc_status signature(struct dmarc__unzip *u)
{
	struct dmarc__decode *d = &u->d;

	u->sig = dmarc__le32(d->field);
	u->record_at = d->in - 4;
	u->rec_size = record_size(u->sig);
	if (u->rec_size == 0 && u->record_at == 0 &&
	    (u->sig == SIG_DESCRIPTOR || u->sig == SIG_SPLIT_ONE)) {
		d->have = 0; /* 8.5.3, 8.5.4: a split marker, first only */
		return DMARC_OK;
	}
	if (u->rec_size == 0)
		return dmarc__decode_fail(d, u->records == 0 ?
		    DMARC__DD_BAD_MAGIC : DMARC__DD_BAD_RECORD, u->record_at);
	u->records++;
	u->state = Z_RECORD;
	return DMARC_OK;
}

/* A local file header (APPNOTE 4.3.7) is in field. */
static dmarc_status local_header(struct dmarc__unzip *u)
{
	struct dmarc__decode *d = &u->d;
	struct dmarc__zip_entry *e = &u->e;
	const unsigned char *f = d->field;

	if (u->entries >= d->lim.max_entries)
		return dmarc__decode_fail(d, DMARC__DD_LIMIT_ENTRIES,
		    u->record_at);
	d->part = e->index = u->entries++;
	e->flags = (uint16_t)dmarc__le16(f + 6);
	e->method = (uint16_t)dmarc__le16(f + 8);
	e->utf8 = (e->flags & FLAG_UTF8) != 0;
	e->descriptor = (e->flags & FLAG_DESCRIPTOR) != 0;
	e->zip64 = false;
	e->crc = dmarc__le32(f + 14);
	e->compressed = dmarc__le32(f + 18);
	e->uncompressed = dmarc__le32(f + 22);
	e->name_len = dmarc__le16(f + 26);
	e->name = u->name;
	e->offset = u->record_at;
	u->extra_left = dmarc__le16(f + 28);
	if (e->name_len > d->lim.max_name)
		return dmarc__decode_fail(d, DMARC__DD_LIMIT_NAME,
		    u->record_at + 30);
	d->have = 0;
	u->state = Z_NAME;
	return DMARC_OK;
}

/* The fixed part of a record is in field: what follows it. */
static dmarc_status record(struct dmarc__unzip *u)
{
	const unsigned char *f = u->d.field;

	u->d.have = 0;
	switch (u->sig) {
	case SIG_LOCAL:
		return local_header(u);
	case SIG_CENTRAL: /* name, extra field, comment (4.3.12) */
		skip_then_record(u, (uint64_t)dmarc__le16(f + 28) +
		    dmarc__le16(f + 30) + dmarc__le16(f + 32));
		break;
	case SIG_DIGITAL:
		skip_then_record(u, dmarc__le16(f + 4));
		break;
	case SIG_ZIP64_END: /* its size does not count its first 12 bytes */
		skip_then_record(u, dmarc__le64(f + 4));
		break;
	case SIG_ARCHIVE_EXTRA:
		skip_then_record(u, dmarc__le32(f + 4));
		break;
	case SIG_END:
		u->left = dmarc__le16(f + 20);
		u->state = Z_COMMENT;
		break;
	default: /* SIG_ZIP64_LOCATOR: fixed size */
		skip_then_record(u, 0);
		break;
	}
	return DMARC_OK;
}

/* The zip64 field's sizes (APPNOTE 4.5.3), each used where its 32-bit
 * field is 0xFFFFFFFF: a local header has both, the original size
 * first; a field of 8 bytes has the one that is needed. */
static void zip64_sizes(struct dmarc__unzip *u, size_t n)
{
	struct dmarc__zip_entry *e = &u->e;
	const unsigned char *f = u->d.field;

	e->zip64 = true;
	if (n >= ZIP64_SIZES) {
		if (e->uncompressed == SIZE_IN_ZIP64)
			e->uncompressed = dmarc__le64(f);
		if (e->compressed == SIZE_IN_ZIP64)
			e->compressed = dmarc__le64(f + 8);
	} else if (n >= 8 && e->uncompressed == SIZE_IN_ZIP64) {
		e->uncompressed = dmarc__le64(f);
	} else if (n >= 8 && e->compressed == SIZE_IN_ZIP64) {
		e->compressed = dmarc__le64(f);
	}
}

/* The header is read: decode the entry, skip it, or refuse it. */
static dmarc_status entry_start(struct dmarc__unzip *u)
{
	struct dmarc__decode *d = &u->d;
	struct dmarc__zip_entry *e = &u->e;
	bool encrypted = (e->flags & FLAG_ENCRYPTED) != 0;
	dmarc_status st;

	if (encrypted || (e->method != METHOD_STORED &&
	    e->method != METHOD_DEFLATE)) {
		/* with bit 3 the header's size is 0, or the right one (Info-ZIP
		 * writes it for encrypted entries) */
		if (e->descriptor && e->compressed == 0)
			return dmarc__decode_fail(d, DMARC__DD_SKIP_UNSIZED,
			    e->offset);
		dmarc__decode_warn(d, encrypted ? DMARC__DD_SKIP_ENCRYPTED :
		    DMARC__DD_SKIP_METHOD, e->offset, e->compressed);
		skip_then_record(u, e->compressed);
		u->skip_descriptor = e->descriptor;
		return DMARC_OK;
	}
	if (e->method == METHOD_STORED && e->descriptor)
		return dmarc__decode_fail(d, DMARC__DD_STORED_DESCRIPTOR,
		    e->offset);
	if (e->descriptor) { /* whatever the header says (4.4.4 bit 3) */
		e->crc = 0;
		e->compressed = e->uncompressed = 0;
	}
	if (u->ev.begin != NULL &&
	    (st = u->ev.begin(u->ev.user, e)) != DMARC_OK)
		return d->status = st;
	u->crc = 0;
	u->data_in = d->in;
	u->data_out = d->out;
	u->left = e->compressed;
	u->state = e->method == METHOD_STORED ? Z_STORED : Z_DEFLATE;
	if (e->method == METHOD_DEFLATE)
		dmarc__decode_inflate_reset(d);
	return DMARC_OK;
}

/* The entry's data ended: check it against crc and the sizes (from the
 * header or the descriptor; wide: 64-bit sizes, else compared mod 2^32),
 * then tell the end. */
static dmarc_status entry_end(struct dmarc__unzip *u, uint32_t crc,
    uint64_t compressed, uint64_t uncompressed, bool wide)
{
	struct dmarc__decode *d = &u->d;
	struct dmarc__zip_entry *e = &u->e;
	uint64_t made = d->out - u->data_out;
	uint64_t mask = wide ? UINT64_MAX : 0xFFFFFFFFu;
	dmarc_status st;

	if (crc != u->crc)
		return dmarc__decode_fail(d, DMARC__DD_BAD_CRC, d->in);
	if ((compressed & mask) != (u->data_len & mask) ||
	    (uncompressed & mask) != (made & mask))
		return dmarc__decode_fail(d, DMARC__DD_BAD_SIZE, d->in);
	e->crc = crc;
	e->compressed = u->data_len;
	e->uncompressed = made;
	if (u->ev.end != NULL && (st = u->ev.end(u->ev.user, e)) != DMARC_OK)
		return d->status = st;
	d->have = 0;
	u->state = Z_SIGNATURE;
	return DMARC_OK;
}

/* The data ended where the header said (no descriptor). */
static dmarc_status header_end(struct dmarc__unzip *u)
{
	u->data_len = u->d.in - u->data_in;
	return entry_end(u, u->e.crc, u->e.compressed, u->e.uncompressed,
	    true);
}

/* Stored data (APPNOTE 4.4.5 method 0): the bytes themselves. */
static dmarc_status stored(struct dmarc__unzip *u, const unsigned char **in,
    size_t *len)
{
	size_t n = u->left < *len ? (size_t)u->left : *len;

	u->d.in += n;
	if (dmarc__decode_output(&u->d, *in, n, &u->crc) != DMARC_OK)
		return u->d.status;
	*in += n;
	*len -= n;
	u->left -= n;
	return u->left == 0 ? header_end(u) : DMARC_OK;
}

/* Deflate data (method 8): with the sizes known, the stream must end
 * with the compressed size; with a descriptor, it ends where it ends. */
static dmarc_status deflated(struct dmarc__unzip *u, const unsigned char **in,
    size_t *len)
{
	struct dmarc__decode *d = &u->d;
	size_t n, k;
	bool ended;

	if (u->e.descriptor) {
		if (dmarc__decode_inflate(d, in, len, &ended, &u->crc) ==
		    DMARC_OK && ended) {
			u->data_len = d->in - u->data_in;
			d->have = 0;
			u->state = Z_DESCRIPTOR;
		}
		return d->status;
	}
	n = k = u->left < *len ? (size_t)u->left : *len;
	if (dmarc__decode_inflate(d, in, &k, &ended, &u->crc) != DMARC_OK)
		return d->status;
	*len -= n - k;
	u->left -= n - k;
	if (ended && u->left == 0)
		return header_end(u);
	if (ended || u->left == 0) /* the stream and the size disagree */
		return dmarc__decode_fail(d, DMARC__DD_BAD_SIZE, d->in);
	return DMARC_OK;
}

/* The data descriptor (APPNOTE 4.3.9): [signature] crc-32, compressed
 * size, uncompressed size, the sizes 8 bytes each with zip64.  The
 * signature is optional (4.3.9.3); when the CRC-32 itself equals it, the
 * next 4 bytes tell. */
static dmarc_status descriptor(struct dmarc__unzip *u,
    const unsigned char **in, size_t *len)
{
	struct dmarc__decode *d = &u->d;
	const unsigned char *f = d->field;
	size_t wide = u->e.zip64 ? 8 : 4, sig;

	if (!dmarc__decode_gather(d, in, len, 4))
		return DMARC_OK;
	sig = dmarc__le32(f) == SIG_DESCRIPTOR ? 4 : 0;
	if (sig != 0 && u->crc == SIG_DESCRIPTOR) {
		if (!dmarc__decode_gather(d, in, len, 8))
			return DMARC_OK;
		sig = dmarc__le32(f + 4) == SIG_DESCRIPTOR ? 4 : 0;
	}
	if (!dmarc__decode_gather(d, in, len, sig + 4 + 2 * wide))
		return DMARC_OK;
	f += sig;
	if (wide == 8)
		return entry_end(u, dmarc__le32(f), dmarc__le64(f + 4),
		    dmarc__le64(f + 12), true);
	return entry_end(u, dmarc__le32(f), dmarc__le32(f + 4),
	    dmarc__le32(f + 8), false);
}

/* The descriptor after a skipped entry: its signature, if there, tells
 * its length (a CRC-32 equal to it, 1 in 2^32, makes it corrupt). */
static dmarc_status skip_descriptor(struct dmarc__unzip *u,
    const unsigned char **in, size_t *len)
{
	struct dmarc__decode *d = &u->d;
	size_t want = 4 + (u->e.zip64 ? 16u : 8u);

	if (!dmarc__decode_gather(d, in, len, 4))
		return DMARC_OK;
	if (dmarc__le32(d->field) == SIG_DESCRIPTOR)
		want += 4;
	if (dmarc__decode_gather(d, in, len, want)) {
		d->have = 0;
		u->state = Z_SIGNATURE;
	}
	return DMARC_OK;
}

/* The name: name_len bytes into the name buffer. */
static void name_bytes(struct dmarc__unzip *u, const unsigned char **in,
    size_t *len)
{
	size_t want = u->e.name_len - u->d.have;
	size_t n = want < *len ? want : *len;

	memcpy(u->name + u->d.have, *in, n);
	u->d.have += n;
	u->d.in += n;
	*in += n;
	*len -= n;
	if (u->d.have == u->e.name_len) {
		u->name[u->e.name_len] = '\0';
		u->d.have = 0;
		u->state = Z_EXTRA;
	}
}

/* An extra field's header (APPNOTE 4.5.1): ID and size; a field longer
 * than what is left is cut to it, bytes too few for a header skipped. */
static dmarc_status extra_field(struct dmarc__unzip *u,
    const unsigned char **in, size_t *len)
{
	struct dmarc__decode *d = &u->d;
	uint32_t id, size;

	if (u->extra_left < 4) {
		u->left = u->extra_left;
		u->extra_left = 0;
		u->state = Z_EXTRA_SKIP;
		return DMARC_OK;
	}
	if (!dmarc__decode_gather(d, in, len, 4))
		return DMARC_OK;
	id = dmarc__le16(d->field);
	size = dmarc__le16(d->field + 2);
	d->have = 0;
	u->extra_left -= 4;
	if (size > u->extra_left)
		size = u->extra_left;
	u->extra_left -= size;
	u->left = size;
	u->state = Z_EXTRA_SKIP;
	if (id == ZIP64_EXTRA) {
		u->sub_size = size < ZIP64_SIZES ? size : ZIP64_SIZES;
		u->left = size - u->sub_size;
		u->state = Z_EXTRA_ZIP64;
	}
	return DMARC_OK;
}

/* States that move on without input: a count of bytes that reached 0. */
static bool ready(const struct dmarc__unzip *u)
{
	switch (u->state) {
	case Z_EXTRA:
		return u->extra_left == 0;
	case Z_EXTRA_SKIP: case Z_STORED: case Z_SKIP: case Z_COMMENT:
		return u->left == 0;
	case Z_DEFLATE:
		return u->left == 0 && !u->e.descriptor;
	default:
		return false;
	}
}

/* One step of the state machine. */
static dmarc_status step(struct dmarc__unzip *u, const unsigned char **in,
    size_t *len)
{
	struct dmarc__decode *d = &u->d;

	switch (u->state) {
	case Z_SIGNATURE:
		return dmarc__decode_gather(d, in, len, 4) ? signature(u) :
		    DMARC_OK;
	case Z_RECORD:
		return dmarc__decode_gather(d, in, len, u->rec_size) ?
		    record(u) : DMARC_OK;
	case Z_NAME:
		name_bytes(u, in, len);
		return DMARC_OK;
	case Z_EXTRA:
		if (u->extra_left == 0)
			return entry_start(u);
		return extra_field(u, in, len);
	case Z_EXTRA_ZIP64:
		if (dmarc__decode_gather(d, in, len, u->sub_size)) {
			zip64_sizes(u, u->sub_size);
			d->have = 0;
			u->state = Z_EXTRA_SKIP;
		}
		return DMARC_OK;
	case Z_EXTRA_SKIP:
		if (dmarc__decode_skip(d, in, len, &u->left))
			u->state = Z_EXTRA;
		return DMARC_OK;
	case Z_STORED:
		return stored(u, in, len);
	case Z_DEFLATE:
		return deflated(u, in, len);
	case Z_DESCRIPTOR:
		return descriptor(u, in, len);
	case Z_SKIP:
		if (dmarc__decode_skip(d, in, len, &u->left)) {
			d->have = 0;
			u->state = u->skip_descriptor ? Z_SKIP_DESCRIPTOR :
			    Z_SIGNATURE;
		}
		return DMARC_OK;
	case Z_SKIP_DESCRIPTOR:
		return skip_descriptor(u, in, len);
	case Z_COMMENT:
		if (dmarc__decode_skip(d, in, len, &u->left)) {
			u->done_at = d->in;
			u->state = Z_DONE;
		}
		return DMARC_OK;
	case Z_DONE:
		d->in += *len;
		*len = 0;
		return DMARC_OK;
	}
	return d->status = DMARC_ESTATE;
}

dmarc_status dmarc__unzip_write(void *self, const char *data, size_t len)
{
	struct dmarc__unzip *u = self;
	const unsigned char *in = (const unsigned char *)data;
	dmarc_status st;

	if ((st = dmarc__decode_enter(&u->d, false)) != DMARC_OK)
		return st;
	while ((len > 0 || ready(u)) && u->d.status == DMARC_OK)
		step(u, &in, &len);
	return u->d.status;
}

dmarc_status dmarc__unzip_finish(void *self)
{
	struct dmarc__unzip *u = self;
	struct dmarc__decode *d = &u->d;
	dmarc_status st;

	if ((st = dmarc__decode_enter(d, true)) != DMARC_OK)
		return st;
	if (u->state != Z_DONE)
		return dmarc__decode_fail(d, DMARC__DD_TRUNCATED, d->in);
	if (d->in > u->done_at)
		dmarc__decode_warn(d, DMARC__DD_TRAILING, u->done_at,
		    d->in - u->done_at);
	return DMARC_OK;
}

struct dmarc__filter dmarc__unzip_filter(struct dmarc__unzip *u)
{
	struct dmarc__filter f = { dmarc__unzip_write, dmarc__unzip_finish, u };
	return f;
}

const struct dmarc__decode *dmarc__unzip_decode(const struct dmarc__unzip *u)
{
	return &u->d;
}

uint32_t dmarc__unzip_entries(const struct dmarc__unzip *u)
{
	return u->entries;
}
