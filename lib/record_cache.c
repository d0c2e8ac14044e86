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
#include "hash.h"

void dmarc__records_init(struct record_cache *c, size_t max)
{
	c->slot = NULL;
	c->hash = NULL;
	c->n = c->cap = c->hand = 0;
	c->max = max;
	c->clock = c->epoch = 0;
	c->peer[0] = c->peer[1] = NULL;
}

void dmarc__records_peer(struct record_cache *c, const struct record_cache *a,
    const struct record_cache *b)
{
	c->peer[0] = a;
	c->peer[1] = b;
}

/* A record leaves a cache: freed by the last one holding it. */
static void release(dmarc_record *rec)
{
	if (rec != NULL && rec->holders > 0)
		rec->holders--;
	else
		dmarc_record_free(rec);
}

/* The slot of c holding text, or NULL. */
static struct record_slot *find(const struct record_cache *c,
    const char *text, size_t len, uint32_t hash)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct record_slot *s;
		if (c->hash[i] != hash) /* the usual case first */
			continue;
		s = &c->slot[i];
		if (s->rec != NULL && s->len == len &&
		    memcmp(s->text, text, len) == 0)
			return s;
	}
	return NULL;
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

	const struct record_cache *a = c->peer[0], *b = c->peer[1];

	for (i = 0; i < c->n; i++) {
		release(c->slot[i].rec);
		if (c->slot[i].text != NULL)
			dmarc__free(ctx, c->slot[i].text);
	}
	if (c->slot != NULL)
		dmarc__free(ctx, c->slot);
	if (c->hash != NULL)
		dmarc__free(ctx, c->hash);
	dmarc__records_init(c, c->max);
	dmarc__records_peer(c, a, b);
}

/* A new empty slot while the cache is under its maximum, the array
 * grown by doubling; NULL at the maximum or when it cannot grow
 * (*nomem). */
static struct record_slot *new_slot(struct record_cache *c,
    const dmarc_ctx *ctx, bool *nomem)
{
	size_t cap = c->cap == 0 ? 4 : c->cap * 2;
	struct record_slot *p;
	uint32_t *h;

	*nomem = false;
	if (c->n == c->max)
		return NULL;
	if (c->n == c->cap) {
		if (cap > c->max)
			cap = c->max;
		/* the hashes first: a grown array alone does no harm */
		h = dmarc__realloc(ctx, c->hash, cap * sizeof *h);
		if (h != NULL)
			c->hash = h;
		p = h != NULL ? dmarc__realloc(ctx, c->slot, cap * sizeof *p)
		    : NULL;
		if (p == NULL) {
			*nomem = true;
			return NULL;
		}
		memset(p + c->cap, 0, (cap - c->cap) * sizeof *p);
		c->slot = p;
		c->cap = cap;
	}
	c->hash[c->n] = 0;
	return &c->slot[c->n++];
}

/* A slot not touched by the current lookup, by the clock algorithm: the
 * hand passes over slots used since it last came by (clearing their
 * mark), so records in use stay and the victim is one unused for a
 * while, at a constant cost where a least-recently-used scan reads every
 * slot. */
static struct record_slot *victim(struct record_cache *c)
{
	size_t k;

	for (k = 0; k < 2 * c->n; k++) {
		struct record_slot *s = &c->slot[c->hand];
		if (++c->hand == c->n)
			c->hand = 0;
		if (s->used >= c->epoch)
			continue;
		if (!s->referenced)
			return s;
		s->referenced = false;
	}
	return NULL;
}

const dmarc_record *dmarc__records_get(struct record_cache *c,
    const dmarc_ctx *ctx, const char *text, size_t len)
{
	uint32_t hash = dmarc__hash_bytes(text, len);
	struct record_slot *s, *shared = NULL;
	dmarc_record *rec;
	bool nomem;
	size_t i;

	if ((s = find(c, text, len, hash)) != NULL) {
		s->used = ++c->clock;
		s->referenced = true;
		return s->rec;
	}
	for (i = 0; i < RECORD_PEERS && shared == NULL; i++)
		if (c->peer[i] != NULL)
			shared = find(c->peer[i], text, len, hash);
	if ((s = new_slot(c, ctx, &nomem)) == NULL &&
	    (nomem || (s = victim(c)) == NULL))
		return NULL; /* no victim cannot happen: the owner sizes
		                the cache */
	if (len > s->cap) {
		char *p = dmarc__realloc(ctx, s->text, len != 0 ? len : 1);
		if (p == NULL)
			return NULL;
		s->text = p;
		s->cap = len;
	}
	if (shared != NULL) { /* immutable: one more holder */
		rec = shared->rec;
		rec->holders++;
	} else if (dmarc_record_parse(&rec, ctx, text, len) != DMARC_OK) {
		return NULL;
	}
	release(s->rec);
	s->rec = rec;
	if (len != 0)
		memcpy(s->text, text, len);
	s->len = len;
	c->hash[s - c->slot] = hash;
	s->used = ++c->clock;
	return rec;
}
