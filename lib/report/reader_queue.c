/*
 * libdmarc - the report reader's queue (reader_int.h): what the container
 * chain found, in order, for dmarc_reader_next() to take; the
 * diagnostics of the current report; the slots of failure reports
 * waiting in the queue.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "reader_int.h"

const char *dmarc__reader_kind_name(enum rstream_kind k)
{
	switch (k) {
	case RS_XML:
		return "xml";
	case RS_GZIP:
		return "gzip";
	case RS_ZIP:
		return "zip";
	case RS_MIME:
		return "mime";
	case RS_MBOX:
		return "mbox";
	case RS_ARF:
		return "arf";
	default:
		return "";
	}
}

/* "mbox mime gzip xml": the kinds of the levels up to s. */
size_t dmarc__reader_describe(const struct dmarc_reader *rd,
    const struct rstream *s, char *buf, size_t size)
{
	size_t n = 0, i;

	buf[0] = '\0';
	for (i = 0; i <= s->level && i < READER_LEVELS; i++) {
		const char *k = dmarc__reader_kind_name(rd->st[i].kind);
		int w;

		if (rd->st[i].kind == RS_MIME && i == 0 && rd->mbox != NULL &&
		    rd->st[0].kind == RS_MBOX)
			k = "mbox";
		if (*k == '\0')
			continue;
		w = snprintf(buf + n, size - n, "%s%s", n > 0 ? " " : "", k);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
	return n;
}

/* ---- diagnostics ---- */

static bool diag_known(const struct dmarc_reader *rd, unsigned code,
    const char *tag)
{
	size_t i;

	for (i = 0; i < rd->n_diags; i++)
		if (rd->diags[i].d.code == code &&
		    strcmp(rd->diags[i].tag, tag != NULL ? tag : "") == 0)
			return true;
	return false;
}

void dmarc__reader_diag(struct dmarc_reader *rd, unsigned code,
    dmarc_severity sev, uint64_t offset, const char *tag)
{
	struct reader_diag *g;

	if (rd->clear_diags) {
		rd->n_diags = 0;
		rd->clear_diags = false;
	}
	/* one per quirk and element: a report repeating one says it once */
	if (rd->n_diags >= READER_MAX_DIAGS || diag_known(rd, code, tag))
		return;
	g = &rd->diags[rd->n_diags++];
	memset(g, 0, sizeof *g);
	(void)snprintf(g->tag, sizeof g->tag, "%s", tag != NULL ? tag : "");
	g->d.code = (uint8_t)code;
	g->d.severity = (uint8_t)sev;
	g->d.offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
	g->d.tag = g->tag;
	g->d.domain = "";
}

/* ---- the queue ---- */

static dmarc_status queue(struct dmarc_reader *rd, struct ritem *it,
    const char *text, size_t len, const char *text2, size_t len2)
{
	dmarc_status st = DMARC_OK;

	it->off = rd->arena.len;
	it->len = len;
	if (text != NULL && it->ext == NULL)
		st = dmarc__growbuf_append(&rd->arena, text, len);
	it->off2 = rd->arena.len;
	it->len2 = len2;
	if (st == DMARC_OK && text2 != NULL)
		st = dmarc__growbuf_append(&rd->arena, text2, len2);
	if (st == DMARC_OK)
		st = dmarc__growbuf_append(&rd->items, it, sizeof *it);
	return st == DMARC_EBUFFER ? DMARC_ENOMEM : st;
}

dmarc_status dmarc__reader_item(struct dmarc_reader *rd, enum ritem_kind kind,
    const char *text, size_t len, const char *ext)
{
	struct ritem it;

	memset(&it, 0, sizeof it);
	it.kind = (uint8_t)kind;
	it.ext = ext;
	return queue(rd, &it, text, len, NULL, 0);
}

/* A begin or failure carries where it came from: the chain's kinds and
 * the part's name. */
static dmarc_status queue_sourced(struct dmarc_reader *rd, struct ritem *it,
    const struct rstream *s, const char *text)
{
	char chain[64];
	size_t n = dmarc__reader_describe(rd, s, chain, sizeof chain);

	(void)text;
	it->number = rd->message_index;
	if (text != NULL) {
		/* "chain\0text": both in the first string */
		char buf[64 + 200];
		int w = snprintf(buf, sizeof buf, "%s%c%s", chain, '\0', text);

		return queue(rd, it, buf, w > 0 ? (size_t)w : 0, s->part_name,
		    s->part_name_len);
	}
	return queue(rd, it, chain, n, s->part_name, s->part_name_len);
}

static const struct rstream *deepest_open(const struct dmarc_reader *rd)
{
	size_t i = READER_LEVELS;

	while (i > 1 && !rd->st[i - 1].open)
		i--;
	return &rd->st[i - 1];
}

dmarc_status dmarc__reader_item_doc(struct dmarc_reader *rd,
    const struct rstream *s)
{
	struct ritem it;

	memset(&it, 0, sizeof it);
	it.kind = RI_DOC_BEGIN;
	return queue_sourced(rd, &it, s, NULL);
}

dmarc_status dmarc__reader_item_failed(struct dmarc_reader *rd,
    dmarc_reader_failure cls, const char *text)
{
	struct ritem it;

	memset(&it, 0, sizeof it);
	it.kind = RI_FAILED;
	it.cls = (uint8_t)cls;
	return queue_sourced(rd, &it, deepest_open(rd), text);
}

dmarc_status dmarc__reader_item_end(struct dmarc_reader *rd,
    dmarc_reader_failure cls, const char *text)
{
	struct ritem it;

	memset(&it, 0, sizeof it);
	it.kind = RI_DOC_END;
	it.cls = (uint8_t)cls;
	return queue(rd, &it, text, text != NULL ? strlen(text) : 0, NULL, 0);
}

dmarc_status dmarc__reader_item_diag(struct dmarc_reader *rd, unsigned code,
    uint64_t offset, const char *tag)
{
	struct ritem it;

	memset(&it, 0, sizeof it);
	it.kind = RI_DIAG;
	it.code = (uint8_t)code;
	it.number = offset;
	return queue(rd, &it, tag, tag != NULL ? strlen(tag) : 0, NULL, 0);
}

/* ---- failure reports ---- */

dmarc_status dmarc__reader_item_slot(struct dmarc_reader *rd, int slot)
{
	struct ritem it;

	memset(&it, 0, sizeof it);
	it.kind = RI_ARF;
	it.slot = (uint8_t)slot;
	return queue(rd, &it, NULL, 0, NULL, 0);
}

int dmarc__reader_slot_take(struct dmarc_reader *rd)
{
	unsigned i;

	for (i = 0; i < READER_ARF_SLOTS; i++)
		if (!(rd->arf_used & (1u << i))) {
			rd->arf_used |= 1u << i;
			dmarc__rfields_clear(&rd->arf[i]);
			return (int)i;
		}
	return -1;
}

void dmarc__reader_slot_release(struct dmarc_reader *rd, int slot)
{
	if (slot >= 0)
		rd->arf_used &= ~(1u << (unsigned)slot);
}

