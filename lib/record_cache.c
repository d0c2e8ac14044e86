/*
 * libdmarc - the records a discovery object has parsed, kept by their
 * text: the same TXT record seen again (the common case for a busy
 * receiver) is not parsed or allocated again.  Records are immutable, so
 * one can stand in several places; a record used during the current
 * lookup is never evicted while the lookup may still point at it.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"

void dmarc__records_init(struct record_cache *c, struct record_slot *slot,
    size_t n)
{
	memset(slot, 0, n * sizeof *slot);
	c->slot = slot;
	c->n = n;
	c->clock = c->epoch = 0;
}

void dmarc__records_begin(struct record_cache *c)
{
	c->epoch = ++c->clock;
}

void dmarc__records_keep(struct record_cache *c, const dmarc_record *rec)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->slot[i].rec == rec)
			c->slot[i].used = ++c->clock;
}

void dmarc__records_free(struct record_cache *c, const dmarc_ctx *ctx)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		dmarc_record_free(c->slot[i].rec);
		if (c->slot[i].text != NULL)
			dmarc__free(ctx, c->slot[i].text);
	}
	dmarc__records_init(c, c->slot, c->n);
}

/* The least recently used slot not touched by the current lookup. */
static struct record_slot *victim(struct record_cache *c)
{
	struct record_slot *best = NULL;
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct record_slot *s = &c->slot[i];
		if (s->used >= c->epoch)
			continue;
		if (best == NULL || s->used < best->used)
			best = s;
	}
	return best;
}

const dmarc_record *dmarc__records_get(struct record_cache *c,
    const dmarc_ctx *ctx, const char *text, size_t len)
{
	struct record_slot *s;
	dmarc_record *rec;
	size_t i;

	for (i = 0; i < c->n; i++) {
		s = &c->slot[i];
		if (s->rec != NULL && s->len == len &&
		    memcmp(s->text, text, len) == 0) {
			s->used = ++c->clock;
			return s->rec;
		}
	}
	if ((s = victim(c)) == NULL)
		return NULL; /* cannot happen: the owner sizes the slots */
	if (len > s->cap) {
		char *p = dmarc__realloc(ctx, s->text, len != 0 ? len : 1);
		if (p == NULL)
			return NULL;
		s->text = p;
		s->cap = len;
	}
	if (dmarc_record_parse(&rec, ctx, text, len) != DMARC_OK)
		return NULL;
	dmarc_record_free(s->rec);
	s->rec = rec;
	if (len != 0)
		memcpy(s->text, text, len);
	s->len = len;
	s->used = ++c->clock;
	return rec;
}
