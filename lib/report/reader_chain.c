/*
 * libdmarc - the report reader's container chain (reader_int.h): what the
 * bytes are is decided by their content at each level (digest 6.7:
 * reports come as XML, gzip, zip, email and mbox, often mislabelled),
 * and bounded decoders are chained: top -> mbox -> MIME -> a part ->
 * gzip or zip -> XML.  What each level finds is appended to the reader's
 * queue.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "reader_int.h"

static dmarc_status stream_write(void *self, const char *data, size_t len);
static dmarc_status stream_close(struct rstream *s, dmarc_reader_failure cls,
    const char *why);

/* ---- telling what bytes are ---- */

static bool begins(const unsigned char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && memcmp(s, lit, k) == 0;
}

static bool contains(const unsigned char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, lit, k) == 0)
			return true;
	return false;
}

/* A header field's name and colon (RFC 5322 2.2) opening the bytes. */
static bool header_like(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] > 32 && s[i] < 127 && s[i] != ':'; i++)
		;
	return i > 0 && i < n && s[i] == ':';
}

static bool arf_like(const unsigned char *s, size_t n)
{
	static const char *const fields[] = {
		"feedback-type:", "user-agent:", "version:", "auth-failure:"
	};
	size_t i, k;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		k = strlen(fields[i]);
		if (n >= k) {
			size_t j;

			for (j = 0; j < k; j++)
				if ((s[j] | (s[j] >= 'A' && s[j] <= 'Z' ? 0x20 : 0))
				    != (unsigned char)fields[i][j])
					break;
			if (j == k)
				return true;
		}
	}
	return false;
}

static enum rstream_kind sniff(const struct rstream *s)
{
	const unsigned char *b = s->sniff;
	size_t n = s->have, i = 0;
	bool may_decode = s->level == 0 ||
	    (s->level == 1 && s->mime_leaf);

	if (s->mime_leaf && strcmp(s->type, "message/feedback-report") == 0)
		return RS_ARF;
	if (s->mime_leaf && strcmp(s->type, "text/rfc822-headers") == 0)
		return RS_HEADERS;
	if (begins(b, n, "\x1f\x8b"))
		return may_decode ? RS_GZIP : RS_NESTED;
	if (begins(b, n, "PK\x03\x04") || begins(b, n, "PK\x05\x06") ||
	    begins(b, n, "PK\x07\x08"))
		return may_decode ? RS_ZIP : RS_NESTED;
	if (begins(b, n, "\xef\xbb\xbf") || begins(b, n, "\xfe\xff") ||
	    begins(b, n, "\xff\xfe"))
		return RS_XML;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' ||
	    b[i] == '\n'))
		i++;
	if (i < n && b[i] == '<') {
		/* a mail's HTML part is no report: only parts that say so */
		if (!s->mime_leaf || contains(b, n, "feedback") ||
		    contains(b, n, "<?xml"))
			return RS_XML;
		return RS_SKIP;
	}
	if (s->level == 0 && begins(b, n, "From "))
		return RS_MBOX;
	if (s->level == 0 && header_like(b, n))
		return RS_MIME;
	if (s->mime_leaf && arf_like(b + i, n - i))
		return RS_ARF;
	return RS_SKIP;
}

/* ---- the decoders' failures ---- */

static dmarc_reader_failure decode_class(dmarc_status st)
{
	switch (st) {
	case DMARC_ETRUNCATED:
		return DMARC_READER_FAILURE_TRUNCATED;
	case DMARC_ERANGE:
		return DMARC_READER_FAILURE_LIMIT;
	case DMARC_ENOTSUP:
		return DMARC_READER_FAILURE_UNSUPPORTED;
	default:
		return DMARC_READER_FAILURE_CORRUPT;
	}
}

static void decode_text(const struct dmarc__decode *d, const char *what,
    char *buf, size_t size)
{
	const struct dmarc__decode_diag *f = dmarc__decode_failure(d);

	if (f == NULL)
		(void)snprintf(buf, size, "%s: stopped", what);
	else
		(void)snprintf(buf, size, "%s: %s at byte %llu", what,
		    dmarc__decode_code_text((enum dmarc__decode_code)f->code),
		    (unsigned long long)f->offset);
}

static const struct dmarc__decode *decoder_of(const struct rstream *s)
{
	struct dmarc_reader *rd = s->rd;

	if (s->kind == RS_GZIP)
		return dmarc__gunzip_decode(rd->gz[s->level]);
	return dmarc__unzip_decode(rd->zip[s->level]);
}

/* Whether a zip skipped entries it could not decode. */
static bool skipped_entries(const struct rstream *s)
{
	const struct dmarc__decode *d = decoder_of(s);
	size_t i, n = dmarc__decode_diag_count(d);

	for (i = 0; i < n; i++) {
		unsigned code = dmarc__decode_diag_at(d, i)->code;

		if (code == DMARC__DD_SKIP_METHOD ||
		    code == DMARC__DD_SKIP_ENCRYPTED)
			return true;
	}
	return false;
}

/* Warnings a decoder kept (bytes after the end, entries skipped). */
static dmarc_status decode_warnings(struct rstream *s)
{
	const struct dmarc__decode *d = decoder_of(s);
	size_t i, n = dmarc__decode_diag_count(d);

	for (i = 0; i < n; i++) {
		const struct dmarc__decode_diag *g = dmarc__decode_diag_at(d, i);

		if (g->cls == DMARC__DECODE_WARNING) {
			dmarc_status st = dmarc__reader_item_diag(s->rd,
			    RD_CONTAINER, g->offset, dmarc__reader_kind_name(s->kind));
			if (st != DMARC_OK)
				return st;
		}
	}
	return DMARC_OK;
}

/* A decoder stopped with st: the level below ends with its class. */
static dmarc_status decoder_failed(struct rstream *s, dmarc_status st)
{
	char why[160];

	if (st == DMARC_ENOMEM)
		return st;
	decode_text(decoder_of(s), dmarc__reader_kind_name(s->kind), why, sizeof why);
	s->kind = RS_SKIP;
	s->found = true; /* reported here, not as "no report" */
	if (s->level + 1 < READER_LEVELS && s->rd->st[s->level + 1].open)
		return stream_close(&s->rd->st[s->level + 1], decode_class(st),
		    why);
	return dmarc__reader_item_failed(s->rd, decode_class(st), why);
}

/* ---- levels ---- */

static void stream_open(struct rstream *s, bool mime_leaf, const char *type,
    const char *name, size_t name_len)
{
	s->kind = RS_SNIFF;
	s->open = true;
	s->have = 0;
	s->found = false;
	s->mime_leaf = mime_leaf;
	s->type = type != NULL ? type : "";
	if (name_len > DMARC__MIME_NAME_MAX)
		name_len = DMARC__MIME_NAME_MAX;
	memcpy(s->part_name, name, name_len);
	s->part_name[name_len] = '\0';
	s->part_name_len = name_len;
}

static struct rstream *below(struct rstream *s)
{
	return &s->rd->st[s->level + 1];
}

/* zip entries (unzip.h events) */
static dmarc_status zip_begin(void *user, const struct dmarc__zip_entry *e)
{
	struct rstream *s = user;

	stream_open(below(s), false, NULL, e->name, e->name_len);
	return DMARC_OK;
}

static dmarc_status zip_end(void *user, const struct dmarc__zip_entry *e)
{
	struct rstream *s = user;
	struct rstream *b = below(s);

	dmarc_status st;

	if (b->found || b->kind == RS_XML)
		s->found = true;
	else if (b->kind == RS_SNIFF || b->kind == RS_SKIP) {
		/* an entry that is no report: said, not failed */
		st = dmarc__reader_item_diag(s->rd, RD_CONTAINER, e->offset,
		    "zip");
		if (st != DMARC_OK)
			return st;
	}
	return stream_close(b, DMARC_READER_FAILURE_NONE, NULL);
}

static dmarc_status start_decoder(struct rstream *s)
{
	struct dmarc_reader *rd = s->rd;
	struct dmarc__sink next = dmarc__sink_make(stream_write, below(s));
	dmarc_status st;

	if (s->kind == RS_GZIP) {
		dmarc__gunzip_free(rd->gz[s->level]);
		st = dmarc__gunzip_new(&rd->gz[s->level], rd->ctx, next,
		    &rd->dlim);
		if (st == DMARC_OK)
			stream_open(below(s), false, NULL, s->part_name,
			    s->part_name_len);
	} else {
		struct dmarc__zip_events ev = { zip_begin, zip_end, s };

		dmarc__unzip_free(rd->zip[s->level]);
		st = dmarc__unzip_new(&rd->zip[s->level], rd->ctx, next, &ev,
		    &rd->dlim);
	}
	return st;
}

static dmarc_status start_mime(struct rstream *s);

/* The kind is known: set its stage up and hand it the bytes gathered. */
static dmarc_status decide(struct rstream *s)
{
	dmarc_status st = DMARC_OK;
	size_t have = s->have;

	s->kind = sniff(s);
	switch (s->kind) {
	case RS_XML:
		s->found = true;
		s->rd->message_found = true;
		st = dmarc__reader_item_doc(s->rd, s);
		break;
	case RS_GZIP:
	case RS_ZIP:
		st = start_decoder(s);
		break;
	case RS_MIME:
	case RS_MBOX:
		st = start_mime(s);
		break;
	case RS_ARF:
		s->rd->arf_seen = true;
		s->rd->message_found = true;
		dmarc__growbuf_clear(&s->rd->arf_text);
		break;
	case RS_HEADERS:
		dmarc__growbuf_clear(&s->rd->headers_text);
		break;
	default:
		break;
	}
	if (st != DMARC_OK)
		return st;
	s->have = 0;
	return have > 0 ? stream_write(s, (const char *)s->sniff, have) :
	    DMARC_OK;
}

static dmarc_status keep_text(struct growbuf *b, const char *data,
    size_t len)
{
	size_t room = b->cap - b->len;
	dmarc_status st = dmarc__growbuf_append(b, data,
	    len < room ? len : room);

	return st == DMARC_EBUFFER ? DMARC_OK : st;
}

static dmarc_status stream_write(void *self, const char *data, size_t len)
{
	struct rstream *s = self;
	struct dmarc_reader *rd = s->rd;
	dmarc_status st;
	size_t take;

	switch (s->kind) {
	case RS_SNIFF:
		take = READER_SNIFF - s->have < len ? READER_SNIFF - s->have :
		    len;
		memcpy(s->sniff + s->have, data, take);
		s->have += take;
		if (s->have < READER_SNIFF)
			return DMARC_OK;
		st = decide(s);
		return st == DMARC_OK && take < len ?
		    stream_write(s, data + take, len - take) : st;
	case RS_XML:
		return dmarc__reader_item(rd, RI_XML, data, len,
		    s->level == 0 && rd->writing_external ? data : NULL);
	case RS_GZIP:
		st = dmarc__gunzip_write(rd->gz[s->level], data, len);
		return st == DMARC_OK ? st : decoder_failed(s, st);
	case RS_ZIP:
		st = dmarc__unzip_write(rd->zip[s->level], data, len);
		return st == DMARC_OK ? st : decoder_failed(s, st);
	case RS_MIME:
		st = dmarc__mime_push(rd->mime, data, len);
		return st == DMARC_EMESSAGE ? DMARC_OK : st;
	case RS_MBOX:
		return dmarc__mbox_push(rd->mbox, data, len);
	case RS_ARF:
		return keep_text(&rd->arf_text, data, len);
	case RS_HEADERS:
		return keep_text(&rd->headers_text, data, len);
	default:
		return DMARC_OK;
	}
}

/* ---- MIME and mbox ---- */

static dmarc_status message_begin(struct dmarc_reader *rd)
{
	rd->message_found = false;
	rd->arf_seen = false;
	dmarc__growbuf_clear(&rd->headers_text);
	dmarc__growbuf_clear(&rd->arf_text);
	return DMARC_OK;
}

/* A message ended: its failure report, or "no report" if it had none. */
static dmarc_status message_end(struct dmarc_reader *rd, dmarc_status result)
{
	enum dmarc__mime_failure f;
	uint64_t at;
	char why[120];

	if (rd->st[1].open) {
		f = dmarc__mime_failure(rd->mime, &at);
		(void)snprintf(why, sizeof why, "mime: %s at byte %llu",
		    f == DMARC__MIME_F_TRUNCATED ? "truncated message" :
		    f == DMARC__MIME_F_LIMIT ? "a limit was passed" :
		    "malformed message", (unsigned long long)at);
		return stream_close(&rd->st[1], result == DMARC_OK ?
		    DMARC_READER_FAILURE_NONE :
		    f == DMARC__MIME_F_TRUNCATED ?
		    DMARC_READER_FAILURE_TRUNCATED :
		    f == DMARC__MIME_F_LIMIT ? DMARC_READER_FAILURE_LIMIT :
		    DMARC_READER_FAILURE_CORRUPT, why);
	}
	if (rd->arf_seen)
		return dmarc__reader_item_arf(rd);
	if (result != DMARC_OK) {
		f = dmarc__mime_failure(rd->mime, &at);
		return dmarc__reader_item_failed(rd,
		    f == DMARC__MIME_F_TRUNCATED ?
		    DMARC_READER_FAILURE_TRUNCATED :
		    f == DMARC__MIME_F_LIMIT ? DMARC_READER_FAILURE_LIMIT :
		    DMARC_READER_FAILURE_CORRUPT, "mime: unreadable message");
	}
	if (!rd->message_found)
		return dmarc__reader_item_failed(rd,
		    DMARC_READER_FAILURE_NOT_A_REPORT,
		    "no report in the message");
	return DMARC_OK;
}

static dmarc_status leaf_begin(void *user, const struct dmarc__mime_part *p)
{
	struct dmarc_reader *rd = user;

	static const char *const kept[] = {
		"message/feedback-report", "text/rfc822-headers"
	};
	size_t i;

	stream_open(&rd->st[1], true, NULL, p->name, p->name_len);
	/* the type string lives during this call only: keep the types
	 * sniff() looks for as constants */
	for (i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (strcmp(p->type, kept[i]) == 0)
			rd->st[1].type = kept[i];
	return DMARC_OK;
}

static dmarc_status leaf_data(void *user, const char *data, size_t len)
{
	struct dmarc_reader *rd = user;

	return stream_write(&rd->st[1], data, len);
}

static dmarc_status leaf_end(void *user)
{
	struct dmarc_reader *rd = user;

	return stream_close(&rd->st[1], DMARC_READER_FAILURE_NONE, NULL);
}

static void leaf_diag(void *user, enum dmarc__mime_diag code,
    uint64_t offset)
{
	struct dmarc_reader *rd = user;

	(void)code;
	(void)dmarc__reader_item_diag(rd, RD_CONTAINER, offset, "mime");
}

/* A message inside the message: the first one's header section is what
 * a failure report reports (RFC 5965 2, the message/rfc822 form). */
static void leaf_headers(void *user, const char *data, size_t len)
{
	struct dmarc_reader *rd = user;

	if (growbuf_len(&rd->headers_text) == 0)
		(void)keep_text(&rd->headers_text, data, len);
}

static dmarc_status mbox_begin(void *user, unsigned int index,
    uint64_t offset)
{
	struct dmarc_reader *rd = user;

	(void)offset;
	rd->message_index = index;
	return message_begin(rd);
}

static dmarc_status mbox_end(void *user, dmarc_status result)
{
	return message_end(user, result);
}

static dmarc_status start_mime(struct rstream *s)
{
	static const struct dmarc__mime_ops ops = {
		leaf_begin, leaf_data, leaf_end, leaf_diag, leaf_headers
	};
	static const struct dmarc__mbox_ops box = { mbox_begin, mbox_end };
	struct dmarc_reader *rd = s->rd;
	dmarc_status st;

	if (rd->mime == NULL) {
		st = dmarc__mime_new(&rd->mime, rd->ctx, &rd->mlim, &ops, rd);
		if (st != DMARC_OK)
			return st;
	} else
		dmarc__mime_reset(rd->mime, 0);
	if (s->kind == RS_MBOX) {
		dmarc__mbox_free(rd->mbox);
		rd->mbox = NULL;
		return dmarc__mbox_new(&rd->mbox, rd->ctx, rd->mime, &box, rd);
	}
	rd->message_index = 0;
	return message_begin(rd);
}

/* ---- ends ---- */

static dmarc_status close_decoder(struct rstream *s, dmarc_reader_failure cls,
    const char *why)
{
	struct dmarc_reader *rd = s->rd;
	dmarc_status st;

	if (cls != DMARC_READER_FAILURE_NONE) {
		/* the level above failed: below ends with its class */
		if (s->level + 1 < READER_LEVELS && below(s)->open)
			return stream_close(below(s), cls, why);
		return dmarc__reader_item_failed(rd, cls, why);
	}
	st = s->kind == RS_GZIP ? dmarc__gunzip_finish(rd->gz[s->level]) :
	    dmarc__unzip_finish(rd->zip[s->level]);
	if (st != DMARC_OK)
		return decoder_failed(s, st);
	st = decode_warnings(s);
	if (st == DMARC_OK && s->kind == RS_GZIP) {
		st = stream_close(below(s), DMARC_READER_FAILURE_NONE, NULL);
		if (below(s)->found || below(s)->kind == RS_XML)
			s->found = true;
	}
	return st;
}

static dmarc_status close_mime(struct rstream *s, dmarc_reader_failure cls)
{
	struct dmarc_reader *rd = s->rd;
	dmarc_status st;

	if (s->kind == RS_MBOX)
		return dmarc__mbox_finish(rd->mbox);
	st = dmarc__mime_finish(rd->mime);
	if (st != DMARC_OK && st != DMARC_EMESSAGE)
		return st;
	if (cls != DMARC_READER_FAILURE_NONE)
		st = DMARC_EMESSAGE;
	return message_end(rd, st == DMARC_OK ? DMARC_OK : DMARC_EMESSAGE);
}

static dmarc_status stream_close(struct rstream *s, dmarc_reader_failure cls,
    const char *why)
{
	struct dmarc_reader *rd = s->rd;
	dmarc_status st = DMARC_OK;

	if (!s->open)
		return DMARC_OK;
	if (s->kind == RS_SNIFF)
		st = decide(s);
	if (st != DMARC_OK)
		return st;
	s->open = false;
	switch (s->kind) {
	case RS_XML:
		return dmarc__reader_item_end(rd, cls, why);
	case RS_GZIP:
	case RS_ZIP:
		st = close_decoder(s, cls, why);
		if (st == DMARC_OK && !s->found && s->level == 0 &&
		    s->kind == RS_ZIP && skipped_entries(s))
			st = dmarc__reader_item_failed(rd,
			    DMARC_READER_FAILURE_UNSUPPORTED,
			    "zip: no entry that could be read (encrypted or an "
			    "unknown method)");
		else if (st == DMARC_OK && !s->found && s->level == 0)
			st = dmarc__reader_item_failed(rd,
			    DMARC_READER_FAILURE_NOT_A_REPORT,
			    s->kind == RS_ZIP ? "no report in the zip archive" :
			    "no report in the gzip data");
		return st;
	case RS_MIME:
	case RS_MBOX:
		return close_mime(s, cls);
	case RS_ARF:
		return dmarc__reader_arf_part(rd);
	default:
		break;
	}
	if (s->found) /* its failure was reported */
		return DMARC_OK;
	if (s->kind == RS_NESTED) {
		s->found = true; /* said here, not as "no report" */
		return dmarc__reader_item_failed(rd,
		    DMARC_READER_FAILURE_UNSUPPORTED,
		    "compressed data inside compressed data is not read");
	}
	if (cls != DMARC_READER_FAILURE_NONE && s->level == 0)
		return dmarc__reader_item_failed(rd, cls, why);
	if (s->level == 0 || (s->level == 1 && !s->mime_leaf &&
	    rd->st[0].kind == RS_GZIP))
		return dmarc__reader_item_failed(rd,
		    DMARC_READER_FAILURE_NOT_A_REPORT,
		    "neither a report nor a container of one");
	return DMARC_OK;
}

/* ---- the top ---- */

void dmarc__chain_defaults(struct dmarc_reader *rd)
{
	const dmarc_ctx *ctx = rd->ctx;

	dmarc__decode_limits_default(&rd->dlim);
	rd->dlim.max_output = dmarc_ctx_get_limit(ctx, DMARC_LIMIT_REPORT_BYTES);
	rd->dlim.max_ratio = (uint32_t)dmarc_ctx_get_limit(ctx,
	    DMARC_LIMIT_REPORT_RATIO);
	dmarc__mime_default_limits(&rd->mlim);
	rd->mlim.depth_max = (unsigned)dmarc_ctx_get_limit(ctx,
	    DMARC_LIMIT_MIME_DEPTH);
	rd->mlim.parts_max = (unsigned)dmarc_ctx_get_limit(ctx,
	    DMARC_LIMIT_MIME_PARTS);
	rd->mlim.decoded_max = rd->dlim.max_output;
}

void dmarc__chain_reset(struct dmarc_reader *rd)
{
	size_t i;

	for (i = 0; i < READER_LEVELS; i++) {
		memset(&rd->st[i], 0, sizeof rd->st[i]);
		rd->st[i].rd = rd;
		rd->st[i].level = (unsigned)i;
		rd->st[i].type = "";
	}
	stream_open(&rd->st[0], false, NULL, "", 0);
	rd->message_index = 0;
}

void dmarc__chain_dispose(struct dmarc_reader *rd)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		dmarc__gunzip_free(rd->gz[i]);
		dmarc__unzip_free(rd->zip[i]);
		rd->gz[i] = NULL;
		rd->zip[i] = NULL;
	}
	dmarc__mbox_free(rd->mbox);
	dmarc__mime_free(rd->mime);
	rd->mbox = NULL;
	rd->mime = NULL;
}

dmarc_status dmarc__chain_write(struct dmarc_reader *rd, const char *data,
    size_t len)
{
	dmarc_status st;

	rd->writing_external = true;
	st = stream_write(&rd->st[0], data, len);
	rd->writing_external = false;
	return st;
}

dmarc_status dmarc__chain_finish(struct dmarc_reader *rd)
{
	return stream_close(&rd->st[0], DMARC_READER_FAILURE_NONE, NULL);
}

bool dmarc__chain_plain(const struct dmarc_reader *rd)
{
	return rd->st[0].kind == RS_XML;
}

/* ---- failure reports ---- */

dmarc_status dmarc__reader_arf_part(struct dmarc_reader *rd)
{
	dmarc_status st;

	if (rd->arf_pending >= 0) /* one failure report per message */
		return dmarc__reader_item_diag(rd, RD_ARF_FIELD, 0, "arf");
	rd->arf_pending = dmarc__reader_slot_take(rd);
	if (rd->arf_pending < 0)
		return dmarc__reader_item_failed(rd, DMARC_READER_FAILURE_LIMIT,
		    "too many failure reports at once");
	st = dmarc__arf_parse(rd, &rd->arf[rd->arf_pending],
	    growbuf_data(&rd->arf_text), growbuf_len(&rd->arf_text));
	return st == DMARC_ERANGE ? DMARC_OK : st;
}

dmarc_status dmarc__reader_item_arf(struct dmarc_reader *rd)
{
	int slot;
	struct rfields *f;
	char chain[64];
	size_t n;
	dmarc_status st;

	if (rd->arf_pending < 0)
		return DMARC_OK;
	f = &rd->arf[rd->arf_pending];
	n = dmarc__reader_describe(rd, &rd->st[0], chain, sizeof chain);
	st = dmarc__rfields_set(f, DMARC_FIELD_CONTAINERS, chain, n);
	if (st == DMARC_OK && rd->mbox != NULL)
		st = dmarc__rfields_set_number(f, DMARC_FIELD_MESSAGE_INDEX,
		    rd->message_index);
	if (st == DMARC_OK && growbuf_len(&rd->headers_text) > 0)
		st = dmarc__rfields_set(f, DMARC_FIELD_ORIGINAL_HEADERS,
		    growbuf_data(&rd->headers_text),
		    growbuf_len(&rd->headers_text));
	if (st == DMARC_ERANGE)
		st = DMARC_OK;
	if (st != DMARC_OK)
		return st;
	slot = rd->arf_pending;
	rd->arf_pending = -1;
	return dmarc__reader_item_slot(rd, slot);
}
