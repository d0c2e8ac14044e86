/*
 * libdmarc - the report reader (dmarc/reader.h): the queue between the
 * container chain and the XML stage, and the events handed out.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "reader_int.h"

#define ARENA_CAP ((size_t)1 << 31)

static struct ritem *item_at(const struct dmarc_reader *rd, size_t i)
{
	return (struct ritem *)(void *)rd->items.data + i;
}

static size_t item_count(const struct dmarc_reader *rd)
{
	return rd->items.len / sizeof(struct ritem);
}

/* An item's text at off in the arena (empty, and NULL, when nothing was
 * ever queued with text: no arithmetic on a null pointer). */
static const char *arena_at(const struct dmarc_reader *rd, size_t off)
{
	return rd->arena.data != NULL ? rd->arena.data + off : "";
}

/* ---- the object ---- */

DMARC_EXPORT dmarc_status dmarc_reader_new(dmarc_reader **out,
    const dmarc_ctx *ctx)
{
	dmarc_reader *rd;
	size_t i;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return DMARC_EINVAL;
	rd = dmarc__alloc(ctx, sizeof *rd);
	if (rd == NULL)
		return DMARC_ENOMEM;
	memset(rd, 0, sizeof *rd);
	rd->ctx = ctx;
	dmarc__growbuf_init(&rd->items, ctx, ARENA_CAP);
	dmarc__growbuf_init(&rd->arena, ctx, ARENA_CAP);
	dmarc__growbuf_init(&rd->arf_text, ctx, READER_ARF_MAX);
	dmarc__growbuf_init(&rd->headers_text, ctx, READER_ARF_MAX);
	dmarc__rfields_init(&rd->report, ctx);
	dmarc__rfields_init(&rd->row, ctx);
	dmarc__rfields_init(&rd->fail, ctx);
	for (i = 0; i < READER_ARF_SLOTS; i++)
		dmarc__rfields_init(&rd->arf[i], ctx);
	if (dmarc__xml_new(&rd->xml, rd) != DMARC_OK) {
		dmarc_reader_free(rd);
		return DMARC_ENOMEM;
	}
	dmarc__chain_defaults(rd);
	dmarc_reader_reset(rd);
	*out = rd;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_reader_free(dmarc_reader *rd)
{
	size_t i;

	if (rd == NULL)
		return;
	dmarc__chain_dispose(rd);
	dmarc__xml_free(rd->xml);
	dmarc__growbuf_dispose(&rd->items);
	dmarc__growbuf_dispose(&rd->arena);
	dmarc__growbuf_dispose(&rd->arf_text);
	dmarc__growbuf_dispose(&rd->headers_text);
	dmarc__rfields_dispose(&rd->report);
	dmarc__rfields_dispose(&rd->row);
	dmarc__rfields_dispose(&rd->fail);
	for (i = 0; i < READER_ARF_SLOTS; i++)
		dmarc__rfields_dispose(&rd->arf[i]);
	dmarc__free(rd->ctx, rd);
}

DMARC_EXPORT void dmarc_reader_reset(dmarc_reader *rd)
{
	if (rd == NULL)
		return;
	dmarc__chain_reset(rd);
	dmarc__growbuf_clear(&rd->items);
	dmarc__growbuf_clear(&rd->arena);
	dmarc__rfields_clear(&rd->report);
	dmarc__rfields_clear(&rd->row);
	dmarc__rfields_clear(&rd->fail);
	rd->item_pos = 0;
	rd->arf_used = 0;
	rd->arf_pending = -1;
	rd->arf_view = NULL;
	rd->started = rd->finishing = rd->chain_done = rd->done = false;
	rd->chain_failed = rd->oom_unsaid = false;
	rd->in = NULL;
	rd->in_len = rd->in_pos = 0;
	rd->in_total = 0;
	rd->event = DMARC_READER_NEED_INPUT;
	rd->failure = DMARC_READER_FAILURE_NONE;
	rd->status = DMARC_OK;
	rd->n_diags = 0;
	rd->clear_diags = false;
	rd->doc_open = rd->doc_failed = rd->doc_ending = false;
}

DMARC_EXPORT dmarc_status dmarc_reader_set_strict(dmarc_reader *rd,
    int strict)
{
	if (rd == NULL)
		return DMARC_EINVAL;
	if (rd->started)
		return DMARC_ESTATE;
	rd->strict = strict != 0;
	return DMARC_OK;
}

/* Bytes may come only when the last ones were read whole: queued XML
 * may still point into them until next() says it needs input. */
static bool ready_for_input(const dmarc_reader *rd)
{
	return !rd->finishing && rd->in_pos == rd->in_len &&
	    rd->event == DMARC_READER_NEED_INPUT;
}

DMARC_EXPORT dmarc_status dmarc_reader_push(dmarc_reader *rd,
    const char *data, size_t len)
{
	if (rd == NULL || (data == NULL && len > 0))
		return DMARC_EINVAL;
	if (!ready_for_input(rd))
		return DMARC_ESTATE;
	rd->started = true;
	rd->in = data;
	rd->in_len = len;
	rd->in_pos = 0;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_reader_finish(dmarc_reader *rd)
{
	if (rd == NULL)
		return DMARC_EINVAL;
	if (rd->finishing || rd->in_pos < rd->in_len)
		return DMARC_ESTATE;
	rd->started = true;
	rd->finishing = true;
	return DMARC_OK;
}

/* ---- events ---- */

static dmarc_reader_event failed(dmarc_reader *rd, dmarc_reader_failure cls)
{
	rd->failure = cls;
	rd->doc_failed = true;
	return DMARC_READER_FAILED;
}

static dmarc_reader_event xml_failed(dmarc_reader *rd);

static dmarc_reader_event from_xml(dmarc_reader *rd, enum xml_outcome o)
{
	switch (o) {
	case XO_REPORT:
		return DMARC_READER_REPORT;
	case XO_ROW:
		return DMARC_READER_ROW;
	case XO_FAILED:
		return xml_failed(rd);
	default:
		return DMARC_READER_NEED_INPUT; /* nothing yet */
	}
}

static dmarc_status set_text(struct rfields *f, unsigned field,
    const char *text)
{
	return dmarc__rfields_set(f, field, text, strlen(text));
}

/* An event whose fields could not all be kept: instead of it, a FAILED
 * of class limit with DMARC_ENOMEM (an event never lacks a value). */
static dmarc_reader_event out_of_memory(dmarc_reader *rd)
{
	rd->status = DMARC_ENOMEM;
	dmarc__rfields_clear(&rd->fail);
	(void)dmarc__rfields_set(&rd->fail, DMARC_FIELD_FAILURE_TEXT,
	    "out of memory", 13);
	return failed(rd, DMARC_READER_FAILURE_LIMIT);
}

/* The XML stage failed.  A document its container cut short (a limit,
 * corrupt data) has the container's class, not expat's "no element
 * found": the final parse still runs, so bytes held back are read and
 * a document broken before the cut fails the same in every chunking. */
static dmarc_reader_event xml_failed(dmarc_reader *rd)
{
	if (rd->doc_ending && rd->doc_end_cls != DMARC_READER_FAILURE_NONE &&
	    dmarc__xml_failure(rd->xml) == DMARC_READER_FAILURE_TRUNCATED) {
		if (set_text(&rd->fail, DMARC_FIELD_FAILURE_TEXT,
		    rd->doc_end_text) != DMARC_OK)
			return out_of_memory(rd);
		return failed(rd, rd->doc_end_cls);
	}
	return failed(rd, dmarc__xml_failure(rd->xml));
}

/* The document ended and expat has read it all. */
static dmarc_reader_event doc_finished(dmarc_reader *rd)
{
	dmarc_status st;

	rd->doc_ending = false;
	rd->doc_open = false;
	if (rd->doc_failed)
		return DMARC_READER_NEED_INPUT;
	if (rd->doc_end_cls != DMARC_READER_FAILURE_NONE) {
		if (set_text(&rd->fail, DMARC_FIELD_FAILURE_TEXT,
		    rd->doc_end_text) != DMARC_OK)
			return out_of_memory(rd);
		dmarc__reader_diag(rd, RD_FAILED, DMARC_SEVERITY_ERROR, 0,
		    NULL);
		return failed(rd, rd->doc_end_cls);
	}
	if (!dmarc__xml_complete(rd->xml)) {
		if (set_text(&rd->fail, DMARC_FIELD_FAILURE_TEXT,
		    "the report ended early") != DMARC_OK)
			return out_of_memory(rd);
		return failed(rd, DMARC_READER_FAILURE_TRUNCATED);
	}
	st = dmarc__rfields_set_number(&rd->report, DMARC_FIELD_RECORDS,
	    dmarc__xml_records(rd->xml));
	if (st == DMARC_OK)
		st = dmarc__rfields_set_number(&rd->report,
		    DMARC_FIELD_MESSAGES, dmarc__xml_messages(rd->xml));
	return st == DMARC_OK ? DMARC_READER_REPORT_END : out_of_memory(rd);
}

static dmarc_reader_event doc_begin(dmarc_reader *rd, const struct ritem *it)
{
	const char *a = arena_at(rd, it->off);
	dmarc_status st;

	dmarc__rfields_clear(&rd->report);
	dmarc__rfields_clear(&rd->row);
	dmarc__rfields_clear(&rd->fail);
	rd->doc_open = true;
	rd->doc_failed = false;
	rd->doc_ending = false;
	st = dmarc__rfields_set(&rd->report, DMARC_FIELD_CONTAINERS, a,
	    it->len);
	if (st == DMARC_OK && it->len2 > 0)
		st = dmarc__rfields_set(&rd->report, DMARC_FIELD_PART_NAME,
		    arena_at(rd, it->off2), it->len2);
	if (st == DMARC_OK && rd->mbox != NULL)
		st = dmarc__rfields_set_number(&rd->report,
		    DMARC_FIELD_MESSAGE_INDEX, it->number);
	if (st == DMARC_OK)
		st = dmarc__xml_begin(rd->xml);
	return st == DMARC_OK ? DMARC_READER_NEED_INPUT : out_of_memory(rd);
}

static dmarc_reader_event part_failed(dmarc_reader *rd, const struct ritem *it)
{
	const char *a = arena_at(rd, it->off);
	size_t chain = strnlen(a, it->len);

	dmarc_status st;

	dmarc__rfields_clear(&rd->report);
	dmarc__rfields_clear(&rd->fail);
	st = dmarc__rfields_set(&rd->fail, DMARC_FIELD_CONTAINERS, a, chain);
	if (st == DMARC_OK && chain < it->len)
		st = dmarc__rfields_set(&rd->fail, DMARC_FIELD_FAILURE_TEXT,
		    a + chain + 1, it->len - chain - 1);
	if (st == DMARC_OK && it->len2 > 0)
		st = dmarc__rfields_set(&rd->fail, DMARC_FIELD_PART_NAME,
		    arena_at(rd, it->off2), it->len2);
	if (st == DMARC_OK && rd->mbox != NULL)
		st = dmarc__rfields_set_number(&rd->fail,
		    DMARC_FIELD_MESSAGE_INDEX, it->number);
	if (st != DMARC_OK)
		return out_of_memory(rd);
	dmarc__reader_diag(rd, RD_FAILED, DMARC_SEVERITY_ERROR, 0, NULL);
	rd->failure = (dmarc_reader_failure)it->cls;
	return DMARC_READER_FAILED;
}

/* One item of the queue: an event, or NEED_INPUT to go on. */
static dmarc_reader_event take_item(dmarc_reader *rd, const struct ritem *it)
{
	const char *a = it->ext != NULL ? it->ext : arena_at(rd, it->off);
	char tag[32];

	switch (it->kind) {
	case RI_DOC_BEGIN:
		return doc_begin(rd, it);
	case RI_XML:
		if (!rd->doc_open || rd->doc_failed)
			return DMARC_READER_NEED_INPUT;
		return from_xml(rd, dmarc__xml_parse(rd->xml, a, it->len,
		    false));
	case RI_DOC_END:
		if (!rd->doc_open)
			return DMARC_READER_NEED_INPUT;
		rd->doc_ending = true;
		rd->doc_end_cls = (dmarc_reader_failure)it->cls;
		(void)snprintf(rd->doc_end_text, sizeof rd->doc_end_text,
		    "%.*s", (int)it->len, a);
		if (!rd->doc_failed) {
			dmarc_reader_event ev = from_xml(rd,
			    dmarc__xml_parse(rd->xml, NULL, 0, true));
			if (ev != DMARC_READER_NEED_INPUT)
				return ev;
		}
		return doc_finished(rd);
	case RI_FAILED:
		return part_failed(rd, it);
	case RI_ARF:
		rd->arf_view = &rd->arf[it->slot];
		rd->arf_view_slot = it->slot;
		return DMARC_READER_FAILURE_REPORT;
	case RI_DIAG:
		/* the tag is queued without its NUL */
		(void)snprintf(tag, sizeof tag, "%.*s", (int)it->len, a);
		dmarc__reader_diag(rd, it->code, DMARC_SEVERITY_WARNING,
		    it->number, it->len > 0 ? tag : NULL);
		return DMARC_READER_NEED_INPUT;
	default:
		return DMARC_READER_NEED_INPUT;
	}
}

/* The chain's allocation failure, when even its item could not be
 * queued: said without allocating. */
static dmarc_reader_event oom_failed(dmarc_reader *rd)
{
	dmarc__rfields_clear(&rd->report);
	dmarc__rfields_clear(&rd->fail);
	(void)dmarc__rfields_set(&rd->fail, DMARC_FIELD_FAILURE_TEXT,
	    "out of memory", 13);
	return failed(rd, DMARC_READER_FAILURE_LIMIT);
}

/* Feeds the chain its next slice of input, or its end.  False when
 * there is nothing to feed. */
static bool feed(dmarc_reader *rd)
{
	size_t slice, left = rd->in_len - rd->in_pos;
	dmarc_status st;

	if (left > 0 && rd->chain_failed) { /* dropped, to the finish */
		rd->in_pos = rd->in_len;
		rd->in_total += left;
		return false;
	}
	dmarc__growbuf_clear(&rd->items);
	dmarc__growbuf_clear(&rd->arena);
	rd->item_pos = 0;
	if (left > 0) {
		slice = dmarc__chain_plain(rd) ? READER_XML_SLICE : READER_SLICE;
		if (slice > left)
			slice = left;
		st = dmarc__chain_write(rd, rd->in + rd->in_pos, slice);
		rd->in_pos += slice;
		rd->in_total += slice;
	} else if (rd->finishing && !rd->chain_done) {
		st = rd->chain_failed ? DMARC_OK : dmarc__chain_finish(rd);
		rd->chain_done = true;
	} else
		return false;
	if (st != DMARC_OK) {
		/* only an allocation stops the chain; the rest is per part.
		 * The input is still taken to its finish: DONE only then */
		rd->status = st;
		rd->in_pos = rd->in_len;
		rd->chain_failed = true;
		if (dmarc__reader_item_failed(rd, DMARC_READER_FAILURE_LIMIT,
		    "out of memory") != DMARC_OK)
			rd->oom_unsaid = true;
	}
	return true;
}

static void leave_event(dmarc_reader *rd)
{
	if (rd->event == DMARC_READER_FAILURE_REPORT) {
		dmarc__reader_slot_release(rd, rd->arf_view_slot);
		rd->arf_view = NULL;
	}
	if (rd->event == DMARC_READER_REPORT_END ||
	    rd->event == DMARC_READER_FAILED ||
	    rd->event == DMARC_READER_FAILURE_REPORT)
		rd->clear_diags = true;
	if (rd->event == DMARC_READER_FAILED)
		rd->failure = DMARC_READER_FAILURE_NONE;
}

static dmarc_reader_event step(dmarc_reader *rd)
{
	dmarc_reader_event ev;

	for (;;) {
		if (rd->doc_open && !rd->doc_failed &&
		    dmarc__xml_suspended(rd->xml)) {
			ev = from_xml(rd, dmarc__xml_resume(rd->xml));
			if (ev != DMARC_READER_NEED_INPUT)
				return ev;
			if (rd->doc_ending) {
				ev = doc_finished(rd);
				if (ev != DMARC_READER_NEED_INPUT)
					return ev;
			}
			continue;
		}
		if (rd->doc_ending) {
			ev = doc_finished(rd);
			if (ev != DMARC_READER_NEED_INPUT)
				return ev;
			continue;
		}
		if (rd->item_pos < item_count(rd)) {
			ev = take_item(rd, item_at(rd, rd->item_pos++));
			if (ev != DMARC_READER_NEED_INPUT)
				return ev;
			continue;
		}
		if (rd->oom_unsaid) {
			rd->oom_unsaid = false;
			return oom_failed(rd);
		}
		if (!feed(rd))
			break;
	}
	if (rd->chain_done) {
		rd->done = true;
		return DMARC_READER_DONE;
	}
	return DMARC_READER_NEED_INPUT;
}

DMARC_EXPORT dmarc_reader_event dmarc_reader_next(dmarc_reader *rd)
{
	if (rd == NULL)
		return DMARC_READER_DONE;
	if (rd->done)
		return DMARC_READER_DONE;
	leave_event(rd);
	if (rd->clear_diags && rd->event != DMARC_READER_NEED_INPUT) {
		rd->n_diags = 0;
		rd->clear_diags = false;
	}
	rd->event = step(rd);
	return rd->event;
}

/* ---- getters ---- */

DMARC_EXPORT dmarc_reader_failure dmarc_reader_get_failure(
    const dmarc_reader *rd)
{
	return rd != NULL && rd->event == DMARC_READER_FAILED ? rd->failure :
	    DMARC_READER_FAILURE_NONE;
}

DMARC_EXPORT dmarc_status dmarc_reader_get_status(const dmarc_reader *rd)
{
	return rd != NULL ? rd->status : DMARC_EINVAL;
}

DMARC_EXPORT uint64_t dmarc_reader_get_offset(const dmarc_reader *rd)
{
	return rd != NULL ? rd->in_total : 0;
}

/* The field sets the current event shows, in the order they are asked. */
static size_t views(const dmarc_reader *rd, const struct rfields *v[2])
{
	switch (rd->event) {
	case DMARC_READER_REPORT:
	case DMARC_READER_REPORT_END:
		v[0] = &rd->report;
		return 1;
	case DMARC_READER_ROW:
		v[0] = &rd->row;
		v[1] = &rd->report;
		return 2;
	case DMARC_READER_FAILED:
		v[0] = &rd->fail;
		v[1] = &rd->report;
		return 2;
	case DMARC_READER_FAILURE_REPORT:
		v[0] = rd->arf_view;
		return rd->arf_view != NULL ? 1 : 0;
	default:
		return 0;
	}
}

DMARC_EXPORT size_t dmarc_reader_get_count(const dmarc_reader *rd,
    dmarc_reader_field field)
{
	const struct rfields *v[2];
	size_t i, n, c;

	if (rd == NULL)
		return 0;
	n = views(rd, v);
	for (i = 0; i < n; i++)
		if ((c = dmarc__rfields_count(v[i], (unsigned)field)) > 0)
			return c;
	return 0;
}

DMARC_EXPORT const char *dmarc_reader_get_text(const dmarc_reader *rd,
    dmarc_reader_field field, size_t index, size_t *len)
{
	const struct rfields *v[2];
	size_t i, n;

	if (rd == NULL)
		return NULL;
	n = views(rd, v);
	for (i = 0; i < n; i++)
		if (dmarc__rfields_count(v[i], (unsigned)field) > 0)
			return dmarc__rfields_get(v[i], (unsigned)field, index,
			    len);
	return NULL;
}

static bool number_field(dmarc_reader_field f)
{
	switch (f) {
	case DMARC_FIELD_MESSAGE_INDEX:
	case DMARC_FIELD_BEGIN:
	case DMARC_FIELD_END:
	case DMARC_FIELD_PCT:
	case DMARC_FIELD_RECORDS:
	case DMARC_FIELD_MESSAGES:
	case DMARC_FIELD_COUNT:
	case DMARC_FIELD_SOURCE_PORT:
	case DMARC_FIELD_INCIDENTS:
		return true;
	default:
		return false;
	}
}

DMARC_EXPORT dmarc_status dmarc_reader_get_number(const dmarc_reader *rd,
    dmarc_reader_field field, size_t index, uint64_t *value)
{
	size_t len;
	const char *s;

	if (value == NULL || !number_field(field))
		return DMARC_EINVAL;
	s = dmarc_reader_get_text(rd, field, index, &len);
	if (s == NULL || !dmarc__rfields_read_number(s, len, value))
		return DMARC_EINVAL;
	return DMARC_OK;
}

DMARC_EXPORT size_t dmarc_reader_get_diag_count(const dmarc_reader *rd)
{
	if (rd == NULL || rd->event == DMARC_READER_NEED_INPUT ||
	    rd->event == DMARC_READER_DONE)
		return 0;
	return rd->n_diags;
}

DMARC_EXPORT const dmarc_diag *dmarc_reader_get_diag(const dmarc_reader *rd,
    size_t index)
{
	if (rd == NULL || index >= dmarc_reader_get_diag_count(rd))
		return NULL;
	return &rd->diags[index].d;
}
