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
#include "record_int.h"

void dmarc__records_init(struct record_cache *c, size_t max)
{
	c->slot = NULL;
	c->hash = NULL;
	c->index = NULL;
	c->mask = 0;
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

/* ---- the index ----
 *
 * Open addressing over a power of two of at least twice the slots made,
 * each entry a slot's number + 1 (0: empty), at the slot's hash or the
 * first empty entry after it.  A slot is in the index while it holds a
 * record.  An entry removed is filled by moving later ones of its run
 * back (no tombstones), so a miss, the usual case for a stream of new
 * domains, ends at the first empty entry instead of reading every
 * slot. */

_Static_assert(RECORD_SLOTS < 255 && AUTH_SLOTS < 255,
    "a slot's number + 1 fits an index entry");

static size_t index_size(size_t slots)
{
	size_t n = 8;

	while (n < 2 * slots)
		n *= 2;
	return n;
}

static void index_put(struct record_cache *c, size_t slot)
{
	size_t j = c->hash[slot] & c->mask;

	while (c->index[j] != 0)
		j = (j + 1) & c->mask;
	c->index[j] = (uint8_t)(slot + 1);
}

static void index_remove(struct record_cache *c, size_t slot)
{
	size_t j = c->hash[slot] & c->mask, i, home;

	while (c->index[j] != slot + 1)
		j = (j + 1) & c->mask;
	for (i = (j + 1) & c->mask; c->index[i] != 0; i = (i + 1) & c->mask) {
		home = c->hash[c->index[i] - 1] & c->mask;
		/* the entry at i may fill j unless its home lies after j */
		if (((i - home) & c->mask) >= ((i - j) & c->mask)) {
			c->index[j] = c->index[i];
			j = i;
		}
	}
	c->index[j] = 0;
}

/* The index made again, of size entries (c->index freed). */
static void index_build(struct record_cache *c, uint8_t *index, size_t size)
{
	size_t i;

	memset(index, 0, size);
	c->index = index;
	c->mask = size - 1;
	for (i = 0; i < c->n; i++)
		if (c->slot[i].rec != NULL)
			index_put(c, i);
}

/* The slot of c holding text, or NULL. */
static inline struct record_slot *find(const struct record_cache *c,
    const char *text, size_t len, uint32_t hash)
{
	size_t j;

	if (c->index == NULL)
		return NULL;
	for (j = hash & c->mask; c->index[j] != 0; j = (j + 1) & c->mask) {
		size_t i = c->index[j] - 1u;
		struct record_slot *s = &c->slot[i];
		if (c->hash[i] == hash && s->len == len &&
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
	if (c->index != NULL)
		dmarc__free(ctx, c->index);
	dmarc__records_init(c, c->max);
	dmarc__records_peer(c, a, b);
}

/* A new empty slot while the cache is under its maximum, the array
 * grown by doubling (to RECORD_KEEP first); NULL at the maximum or when
 * it cannot grow (*nomem). */
static struct record_slot *new_slot(struct record_cache *c,
    const dmarc_ctx *ctx, bool *nomem)
{
	size_t cap = c->cap == 0 ? 4 : c->cap * 2, size;
	struct record_slot *p;
	uint32_t *h;
	uint8_t *index;

	*nomem = false;
	if (c->n == c->max)
		return NULL;
	if (c->n == c->cap) {
		if (c->n < RECORD_KEEP && cap > RECORD_KEEP)
			cap = RECORD_KEEP;
		if (cap > c->max)
			cap = c->max;
		size = index_size(cap);
		/* the hashes first: a grown array alone does no harm; the
		 * index is made again from the slots there are */
		h = dmarc__realloc(ctx, c->hash, cap * sizeof *h);
		if (h != NULL)
			c->hash = h;
		index = h != NULL ? dmarc__alloc(ctx, size) : NULL;
		p = index != NULL ? dmarc__realloc(ctx, c->slot,
		    cap * sizeof *p) : NULL;
		if (p == NULL) {
			if (index != NULL)
				dmarc__free(ctx, index);
			*nomem = true;
			return NULL;
		}
		memset(p + c->cap, 0, (cap - c->cap) * sizeof *p);
		c->slot = p;
		c->cap = cap;
		if (c->index != NULL)
			dmarc__free(ctx, c->index);
		index_build(c, index, size);
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

/* A text c does not hold: a peer's record, or one parsed now. */
DMARC_NOINLINE static const dmarc_record *get_new(struct record_cache *c,
    const dmarc_ctx *ctx, const char *text, size_t len, uint32_t hash)
{
	struct record_slot *s, *shared = NULL;
	dmarc_record *rec, *spare;
	bool nomem;
	size_t i;

	for (i = 0; i < RECORD_PEERS && shared == NULL; i++)
		if (c->peer[i] != NULL)
			shared = find(c->peer[i], text, len, hash);
	/* past RECORD_KEEP slots an unused record makes room first: what
	 * an object holds between lookups stays small, and the cache grows
	 * to its maximum only while one lookup uses that many */
	if ((c->n < RECORD_KEEP || (s = victim(c)) == NULL) &&
	    (s = new_slot(c, ctx, &nomem)) == NULL)
		return NULL; /* nomem; no room cannot happen: the owner
		                sizes the cache */
	if (len > s->cap) {
		char *p = dmarc__realloc(ctx, s->text, len != 0 ? len : 1);
		if (p == NULL)
			return NULL;
		s->text = p;
		s->cap = len;
	}
	/* a victim no other cache holds lends its block to the new record:
	 * a stream of new domains then allocates nothing */
	spare = s->rec != NULL && s->rec->holders == 0 ? s->rec : NULL;
	if (shared != NULL) { /* immutable: one more holder */
		rec = shared->rec;
		rec->holders++;
	} else if (dmarc__record_parse_into(&rec, ctx, text, len, spare) !=
	    DMARC_OK) {
		return NULL;
	}
	if (s->rec != NULL)
		index_remove(c, (size_t)(s - c->slot));
	if (rec != s->rec)
		release(s->rec);
	s->rec = rec;
	if (len != 0)
		memcpy(s->text, text, len);
	s->len = len;
	c->hash[s - c->slot] = hash;
	index_put(c, (size_t)(s - c->slot));
	s->used = ++c->clock;
	return rec;
}

/* Found again (the usual case) without get_new's frame. */
const dmarc_record *dmarc__records_get(struct record_cache *c,
    const dmarc_ctx *ctx, const char *text, size_t len)
{
	uint32_t hash = dmarc__hash_text(text, len);
	struct record_slot *s = find(c, text, len, hash);

	if (s == NULL)
		return get_new(c, ctx, text, len, hash);
	s->used = ++c->clock;
	s->referenced = true;
	return s->rec;
}

const char *dmarc__records_text(const struct record_cache *c,
    const dmarc_record *rec, size_t *len)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->slot[i].rec == rec) {
			*len = c->slot[i].len;
			return c->slot[i].text;
		}
	return NULL;
}
