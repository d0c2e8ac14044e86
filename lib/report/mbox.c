/*
 * libdmarc - the mbox splitter (mbox.h): the start of each line is held
 * until it is known to be a From line, an escaped one, or neither.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "mbox.h"

#define HOLD 64u

enum line { L_START, L_PASS, L_FROM };

struct dmarc__mbox {
	const dmarc_ctx *ctx;
	struct dmarc__mime *mime;
	const struct dmarc__mbox_ops *ops;
	void *user;
	dmarc_status status;
	bool finished;
	bool in_message;
	dmarc_status result;      /* of the message: OK or EMESSAGE */
	unsigned int index;
	uint64_t pos;
	enum line line;
	char hb[HOLD];
	size_t held;
};

dmarc_status dmarc__mbox_new(struct dmarc__mbox **out, const dmarc_ctx *ctx,
    struct dmarc__mime *mime, const struct dmarc__mbox_ops *ops, void *user)
{
	struct dmarc__mbox *b;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || mime == NULL || ops == NULL ||
	    ops->message_begin == NULL || ops->message_end == NULL)
		return DMARC_EINVAL;
	if ((b = dmarc__alloc(ctx, sizeof *b)) == NULL)
		return DMARC_ENOMEM;
	memset(b, 0, sizeof *b);
	b->ctx = ctx;
	b->mime = mime;
	b->ops = ops;
	b->user = user;
	*out = b;
	return DMARC_OK;
}

void dmarc__mbox_free(struct dmarc__mbox *b)
{
	if (b != NULL)
		dmarc__free(b->ctx, b);
}

/* Bytes of the current message to the MIME parser; a failure of the
 * message is kept for its end, the rest of it dropped. */
static void feed(struct dmarc__mbox *b, const char *p, size_t n)
{
	dmarc_status st;

	if (!b->in_message || b->result != DMARC_OK || n == 0)
		return;
	st = dmarc__mime_push(b->mime, p, n);
	if (st == DMARC_EMESSAGE)
		b->result = st;
	else
		b->status = st;
}

static void message_end(struct dmarc__mbox *b)
{
	dmarc_status st;

	if (!b->in_message)
		return;
	b->in_message = false;
	if (b->result == DMARC_OK) {
		st = dmarc__mime_finish(b->mime);
		if (st == DMARC_EMESSAGE)
			b->result = st;
		else if (st != DMARC_OK) {
			b->status = st;
			return;
		}
	}
	b->status = b->ops->message_end(b->user, b->result);
}

/* After a From line: the next message begins at pos. */
static void message_begin(struct dmarc__mbox *b)
{
	dmarc__mime_reset(b->mime, b->pos);
	b->in_message = true;
	b->result = DMARC_OK;
	b->status = b->ops->message_begin(b->user, b->index++, b->pos);
}

/* The held start of a line after one more byte: decided or not. */
static void decide(struct dmarc__mbox *b)
{
	static const char from[] = "From ";
	size_t q = 0, k;

	while (q < b->held && b->hb[q] == '>')
		q++;
	k = b->held - q;
	if (k < 5 && memcmp(b->hb + q, from, k) == 0 && b->held < HOLD)
		return; /* maybe */
	if (k >= 5 && memcmp(b->hb + q, from, 5) == 0) {
		if (q == 0) {
			message_end(b);
			b->line = L_FROM;
			return;
		}
		feed(b, b->hb + 1, b->held - 1); /* mboxrd: one ">" less */
	} else {
		feed(b, b->hb, b->held);
	}
	b->line = L_PASS;
}

dmarc_status dmarc__mbox_push(struct dmarc__mbox *b, const char *data,
    size_t len)
{
	if (b == NULL || (data == NULL && len != 0))
		return DMARC_EINVAL;
	if (b->status != DMARC_OK)
		return b->status;
	if (b->finished)
		return DMARC_ESTATE;
	while (len > 0 && b->status == DMARC_OK) {
		const char *nl;
		size_t n;

		if (b->line == L_START) {
			b->hb[b->held++] = *data++;
			len--;
			b->pos++;
			if (b->hb[b->held - 1] == '\n') {
				feed(b, b->hb, b->held);
				b->held = 0;
				continue;
			}
			decide(b);
			if (b->line != L_START)
				b->held = 0;
			continue;
		}
		nl = memchr(data, '\n', len);
		n = nl != NULL ? (size_t)(nl - data) + 1 : len;
		if (b->line == L_PASS)
			feed(b, data, n);
		data += n;
		len -= n;
		b->pos += n;
		if (nl != NULL && b->status == DMARC_OK) {
			if (b->line == L_FROM)
				message_begin(b);
			b->line = L_START;
		}
	}
	return b->status;
}

dmarc_status dmarc__mbox_finish(struct dmarc__mbox *b)
{
	if (b == NULL)
		return DMARC_EINVAL;
	if (b->status != DMARC_OK)
		return b->status;
	if (b->finished)
		return DMARC_ESTATE;
	if (b->line == L_START && b->held > 0)
		feed(b, b->hb, b->held);
	if (b->status == DMARC_OK)
		message_end(b);
	b->finished = true;
	return b->status;
}
