/*
 * libdmarc - the DNS answer cache: up to max_entries answers keyed by
 * (qname, qtype) and at most DMARC_LIMIT_CACHE_BYTES bytes, each kept
 * until its TTL (capped by DMARC_LIMIT_CACHE_TTL) runs out, the least
 * recently used ones giving way when the cache is full.  A hash table finds an
 * entry, a doubly linked list keeps them in order of use, and one mutex
 * guards both, so threads sharing a context share its cache.  Also the
 * context's settings and statistics of it.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "dns_int.h"

struct entry {
	struct entry *chain;        /* next in the same bucket */
	struct entry *newer, *older;
	uint64_t expiry;       /* live while now < expiry */
	uint32_t hash;
	dmarc_rrtype qtype;
	dmarc_dns_answer answer;    /* its text buffer is kept on reuse */
	size_t qlen, qcap;
	char qname[];               /* qcap bytes, NUL-terminated */
};

struct dmarc_cache {
	const dmarc_ctx *ctx;
	pthread_mutex_t lock;       /* guards everything but the counters */
	struct entry **buckets;
	size_t mask;                /* bucket count less one */
	size_t count, max;
	size_t bytes;               /* held by the entries and their texts */
	struct entry *newest, *oldest;
	_Atomic uint64_t hits, misses;  /* atomic: stats take a const cache */
};

struct key {
	const char *name;
	size_t len;
	dmarc_rrtype type;
	uint32_t hash;
};

/* FNV-1a over the name, then the type. */
static bool make_key(struct key *k, const char *qname, dmarc_rrtype qtype)
{
	uint32_t h = 2166136261u;
	size_t i;

	if (qname == NULL)
		return false;
	k->len = strnlen(qname, DMARC_QNAME_SIZE);
	if (k->len == DMARC_QNAME_SIZE)
		return false;
	for (i = 0; i < k->len; i++)
		h = (h ^ (unsigned char)qname[i]) * 16777619u;
	k->name = qname;
	k->type = qtype;
	k->hash = (h ^ (uint32_t)qtype) * 16777619u;
	return true;
}

static struct entry *find(const struct dmarc_cache *c, const struct key *k)
{
	struct entry *e;

	for (e = c->buckets[k->hash & c->mask]; e != NULL; e = e->chain)
		if (e->hash == k->hash && e->qtype == k->type &&
		    e->qlen == k->len && memcmp(e->qname, k->name, k->len) == 0)
			return e;
	return NULL;
}

static void lru_unlink(struct dmarc_cache *c, struct entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
}

static void lru_push(struct dmarc_cache *c, struct entry *e)
{
	e->newer = NULL;
	e->older = c->newest;
	if (c->newest != NULL)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
}

static void entry_free(const dmarc_ctx *ctx, struct entry *e)
{
	dmarc__answer_free(&e->answer);
	dmarc__free(ctx, e);
}

/* What an entry holds in memory. */
static size_t entry_bytes(const struct entry *e)
{
	return sizeof *e + e->qcap + e->answer.text_cap;
}

static void attach(struct dmarc_cache *c, struct entry *e)
{
	struct entry **b = &c->buckets[e->hash & c->mask];

	e->chain = *b;
	*b = e;
	lru_push(c, e);
	c->count++;
	c->bytes += entry_bytes(e);
}

static void detach(struct dmarc_cache *c, struct entry *e)
{
	struct entry **p = &c->buckets[e->hash & c->mask];

	while (*p != e)
		p = &(*p)->chain;
	*p = e->chain;
	lru_unlink(c, e);
	c->count--;
	c->bytes -= entry_bytes(e);
}

/* Drop the least recently used entries until need more bytes fit. */
static void make_room(struct dmarc_cache *c, size_t need)
{
	while (c->oldest != NULL && c->bytes + need > c->ctx->max_cache_bytes) {
		struct entry *e = c->oldest;
		detach(c, e);
		entry_free(c->ctx, e);
	}
}

/* A detached entry with room for a qlen-byte name: the oldest one when
 * the cache is full (grown if its name room is short), else a new one. */
static struct entry *take_slot(struct dmarc_cache *c, size_t qlen)
{
	struct entry *old = NULL, *e;

	if (c->count >= c->max) {
		old = c->oldest;
		detach(c, old);
		if (old->qcap > qlen)
			return old;
		e = dmarc__realloc(c->ctx, old, sizeof *e + qlen + 1);
		if (e == NULL)
			entry_free(c->ctx, old);
	} else {
		e = dmarc__alloc(c->ctx, sizeof *e + qlen + 1);
		if (e != NULL)  /* no buffers yet, whatever the answer holds */
			e->answer = (dmarc_dns_answer){ .text = NULL };
	}
	if (e != NULL)
		e->qcap = qlen + 1;
	return e;
}

static bool fill(struct dmarc_cache *c, struct entry *e, const struct key *k,
    uint64_t now, const dmarc_dns_answer *a)
{
	uint64_t ttl;

	dmarc__answer_reset(&e->answer, c->ctx);
	if (!dmarc__answer_copy(&e->answer, a))
		return false;
	memcpy(e->qname, k->name, k->len);
	e->qname[k->len] = '\0';
	e->qlen = k->len;
	e->qtype = k->type;
	e->hash = k->hash;
	ttl = a->ttl < c->ctx->max_cache_ttl ? a->ttl : c->ctx->max_cache_ttl;
	e->answer.ttl = (uint32_t)ttl;
	e->expiry = ttl > UINT64_MAX - now ? UINT64_MAX : now + ttl;
	return true;
}

/* Failures are worth asking again; an answer whose text could not be
 * kept is incomplete and must not outlive the lookup that made it; a
 * record over the length limit is unusable whatever it says, and only
 * what the limit lets be used is worth memory. */
static bool storable(const struct dmarc_cache *c, const dmarc_dns_answer *a)
{
	if (a == NULL || a->ttl == 0 || a->nomem ||
	    a->text_len > c->ctx->max_record_length)
		return false;
	return a->outcome == DMARC_DNS_RECORDS ||
	    a->outcome == DMARC_DNS_NODATA || a->outcome == DMARC_DNS_NXDOMAIN;
}

struct dmarc_cache *dmarc__cache_new(const dmarc_ctx *ctx, size_t max_entries)
{
	struct dmarc_cache *c;
	size_t n = 1, i;

	if (max_entries == 0 || max_entries > SIZE_MAX / 2 / sizeof(void *))
		return NULL;
	while (n < max_entries)
		n <<= 1;
	c = dmarc__alloc(ctx, sizeof *c);
	if (c == NULL)
		return NULL;
	c->buckets = dmarc__alloc(ctx, n * sizeof *c->buckets);
	if (c->buckets == NULL || pthread_mutex_init(&c->lock, NULL) != 0) {
		if (c->buckets != NULL)
			dmarc__free(ctx, c->buckets);
		dmarc__free(ctx, c);
		return NULL;
	}
	for (i = 0; i < n; i++)
		c->buckets[i] = NULL;
	c->ctx = ctx;
	c->mask = n - 1;
	c->count = c->bytes = 0;
	c->max = max_entries;
	c->newest = c->oldest = NULL;
	atomic_init(&c->hits, 0);
	atomic_init(&c->misses, 0);
	return c;
}

void dmarc__cache_free(const dmarc_ctx *ctx, struct dmarc_cache *c)
{
	struct entry *e, *older;

	if (c == NULL)
		return;
	for (e = c->newest; e != NULL; e = older) {
		older = e->older;
		entry_free(ctx, e);
	}
	pthread_mutex_destroy(&c->lock);
	dmarc__free(ctx, c->buckets);
	dmarc__free(ctx, c);
}

bool dmarc__cache_get(struct dmarc_cache *c, const char *qname,
    dmarc_rrtype qtype, uint64_t now, dmarc_dns_answer *out)
{
	struct key k;
	struct entry *e;
	bool hit = false;

	if (c == NULL)
		return false;
	if (make_key(&k, qname, qtype)) {
		pthread_mutex_lock(&c->lock);
		e = find(c, &k);
		if (e != NULL && now >= e->expiry) {
			detach(c, e);
			entry_free(c->ctx, e);
		} else if (e != NULL && dmarc__answer_copy(out, &e->answer)) {
			lru_unlink(c, e);
			lru_push(c, e);
			hit = true;
		}
		pthread_mutex_unlock(&c->lock);
	}
	atomic_fetch_add_explicit(hit ? &c->hits : &c->misses, 1,
	    memory_order_relaxed);
	return hit;
}

void dmarc__cache_put(struct dmarc_cache *c, const char *qname,
    dmarc_rrtype qtype, uint64_t now, const dmarc_dns_answer *a)
{
	struct key k;
	struct entry *e;

	if (c == NULL || !storable(c, a) || !make_key(&k, qname, qtype))
		return;
	pthread_mutex_lock(&c->lock);
	e = find(c, &k);
	if (e != NULL)
		detach(c, e);   /* refilled in place, keeping its buffer */
	make_room(c, sizeof *e + k.len + 1 + a->text_len);
	if (e == NULL)
		e = take_slot(c, k.len);
	if (e != NULL) {
		if (fill(c, e, &k, now, a))
			attach(c, e);
		else
			entry_free(c->ctx, e);
		make_room(c, 0); /* a reused entry may hold a larger buffer */
	}
	pthread_mutex_unlock(&c->lock);
}

size_t dmarc__cache_bytes(struct dmarc_cache *c)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = c->bytes;
	pthread_mutex_unlock(&c->lock);
	return n;
}

void dmarc__cache_stats(const struct dmarc_cache *c, uint64_t *hits,
    uint64_t *misses)
{
	*hits = atomic_load_explicit(&c->hits, memory_order_relaxed);
	*misses = atomic_load_explicit(&c->misses, memory_order_relaxed);
}

/* ---- the context's cache: configuration and statistics ---- */

void dmarc__cache_release(dmarc_ctx *ctx)
{
	if (ctx->cache != NULL)
		dmarc__cache_free(ctx, ctx->cache);
	ctx->cache = NULL;
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_cache(dmarc_ctx *ctx,
    size_t max_entries)
{
	struct dmarc_cache *c = NULL;
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	if (max_entries > 1000000u)
		return DMARC_ERANGE;
	if (max_entries != 0 && (c = dmarc__cache_new(ctx, max_entries)) == NULL)
		return DMARC_ENOMEM;
	dmarc__cache_release(ctx);
	ctx->cache = c;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_ctx_get_cache_stats(const dmarc_ctx *ctx,
    uint64_t *hits, uint64_t *misses)
{
	uint64_t h = 0, m = 0;

	if (ctx != NULL && ctx->cache != NULL)
		dmarc__cache_stats(ctx->cache, &h, &m);
	if (hits != NULL)
		*hits = h;
	if (misses != NULL)
		*misses = m;
}
