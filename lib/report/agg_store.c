/*
 * libdmarc - the aggregate's storage (agg_store.h): interned strings,
 * compact rows, reports, and the hash indices that find them.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "agg_store.h"

#define WORDS_PER_REASON 2u
/* The hot path's small helpers, inlined: counting a row that exists
 * hashes and compares every string of its key. */
#define HOT static inline __attribute__((always_inline))
#define WORDS_PER_DKIM 4u

/* ---- hashing ---- */

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15u;
	return h ^ (h >> 29);
}

static inline uint64_t load64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

static inline uint32_t load32(const char *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

/* A string of fewer than eight bytes as one word, read in overlapping
 * pieces (never past its end).  Longer strings are read a word at a
 * time, the last word ending at the last byte (overlapping the one
 * before): equal strings give equal words. */
HOT uint64_t short64(const char *s, size_t n)
{
	if (n >= 4)
		return (uint64_t)load32(s) << 32 | load32(s + n - 4);
	if (n == 0)
		return 0;
	return (uint64_t)(unsigned char)s[0] << 16 |
	    (uint64_t)(unsigned char)s[n / 2] << 8 |
	    (unsigned char)s[n - 1];
}

/* Eight bytes at a time and the length; an absent string differs from
 * "". */
HOT uint64_t hash_text(uint64_t h, struct agg_text t)
{
	size_t i;

	if (t.s == NULL)
		return mix(h, 0xa5u);
	if (t.n < 8)
		return mix(h ^ t.n, short64(t.s, t.n));
	for (i = 0; i + 8 < t.n; i += 8)
		h = mix(h, load64(t.s + i));
	return mix(h ^ t.n, load64(t.s + t.n - 8));
}

static uint64_t hash_group(const struct agg_key *k)
{
	return mix(mix(hash_text(0x5bd1e995u, k->domain), k->begin), k->end);
}

static uint64_t hash_auth(uint64_t h, const struct agg_key *k)
{
	size_t i;

	h = mix(h, (uint64_t)k->spf_result << 8 | k->spf_scope);
	h = hash_text(h, k->spf_domain);
	for (i = 0; i < k->n_dkim; i++) {
		h = mix(h, k->dkim_result[i]);
		h = hash_text(h, k->dkim_domain[i]);
		h = hash_text(h, k->dkim_selector[i]);
		h = hash_text(h, k->dkim_human[i]);
	}
	return h;
}

static uint32_t hash_key(const struct agg_key *k, uint64_t group_hash)
{
	uint64_t h = group_hash, ip[2];
	size_t i;

	memcpy(ip, k->ip.addr, sizeof ip);
	h = mix(mix(mix(h, k->ip.family), ip[0]), ip[1]);
	h = hash_text(h, k->header_from);
	h = hash_text(h, k->envelope_from);
	h = hash_text(h, k->envelope_to);
	h = mix(h, (uint64_t)k->disposition | (uint64_t)k->flags << 8 |
	    (uint64_t)k->n_reasons << 16 | (uint64_t)k->n_dkim << 24);
	for (i = 0; i < k->n_reasons; i++)
		h = hash_text(mix(h, k->reason_type[i]), k->reason_comment[i]);
	h = hash_auth(h, k);
	return (uint32_t)(h ^ (h >> 32));
}

/* ---- indices ---- */

/* Room for one more entry; the hash of entry v - 1 is the uint32_t at
 * hash_offset in the element of stride bytes at base. */
static bool index_grow(const dmarc_ctx *ctx, struct agg_index *ix,
    const void *base, size_t stride, size_t hash_offset)
{
	size_t n = ix->slots == NULL ? 64 : (ix->mask + 1) * 2, i;
	uint32_t *slots;

	if (ix->slots != NULL && ix->used + 1 <= (ix->mask + 1) / 2)
		return true;
	if (n > SIZE_MAX / sizeof *slots)
		return false;
	slots = dmarc__alloc(ctx, n * sizeof *slots);
	if (slots == NULL)
		return false;
	memset(slots, 0, n * sizeof *slots);
	for (i = 0; ix->slots != NULL && i <= ix->mask; i++) {
		uint32_t v = ix->slots[i];
		size_t j;
		if (v == 0)
			continue;
		uint32_t h;
		memcpy(&h, (const char *)base + (size_t)(v - 1) * stride +
		    hash_offset, sizeof h);
		j = h & (n - 1);
		while (slots[j] != 0)
			j = (j + 1) & (n - 1);
		slots[j] = v;
	}
	dmarc__free(ctx, ix->slots);
	ix->slots = slots;
	ix->mask = n - 1;
	return true;
}

static void index_put(struct agg_index *ix, uint32_t hash, uint32_t value)
{
	size_t j = hash & ix->mask;

	while (ix->slots[j] != 0)
		j = (j + 1) & ix->mask;
	ix->slots[j] = value;
	ix->used++;
}

/* Grow an array of elements of size bytes to hold one more. */
static bool room_for_one(const dmarc_ctx *ctx, void **array, size_t *cap,
    size_t used, size_t size)
{
	size_t n;
	void *p;

	if (used < *cap)
		return true;
	n = *cap == 0 ? 16 : *cap * 2;
	if (n > SIZE_MAX / size)
		return false;
	p = dmarc__realloc(ctx, *array, n * size);
	if (p == NULL)
		return false;
	*array = p;
	*cap = n;
	return true;
}

/* ---- strings ---- */

/* The text table: the hash and the length of a string are kept before
 * it, so the index can grow without hashing again and strings compare
 * without a scan.  Offset 0 holds "" for id 0. */
#define TEXT_HEADER (2 * sizeof(uint32_t))

static uint32_t text_hash_at(const struct agg_store *st, uint32_t id)
{
	return load32(st->text + id - TEXT_HEADER);
}

HOT bool text_equal_at(const struct agg_store *st, uint32_t id,
    struct agg_text t)
{
	const char *s = st->text + id;
	size_t i;

	if (load32(s - sizeof(uint32_t)) != t.n)
		return false;
	if (t.n < 8)
		return short64(s, t.n) == short64(t.s, t.n);
	for (i = 0; i + 8 < t.n; i += 8)
		if (load64(s + i) != load64(t.s + i))
			return false;
	return load64(s + t.n - 8) == load64(t.s + t.n - 8);
}

static uint32_t text_find(const struct agg_store *st, struct agg_text t,
    uint32_t h)
{
	size_t j;

	if (st->text_index.slots == NULL)
		return 0;
	for (j = h & st->text_index.mask; st->text_index.slots[j] != 0;
	    j = (j + 1) & st->text_index.mask) {
		uint32_t id = st->text_index.slots[j];
		if (text_hash_at(st, id) == h && text_equal_at(st, id, t))
			return id;
	}
	return 0;
}

static bool text_index_grow(struct agg_store *st)
{
	struct agg_index *ix = &st->text_index;
	size_t n = ix->slots == NULL ? 256 : (ix->mask + 1) * 2, i;
	uint32_t *slots;

	if (ix->slots != NULL && ix->used + 1 <= (ix->mask + 1) / 2)
		return true;
	if (n > SIZE_MAX / sizeof *slots)
		return false;
	if ((slots = dmarc__alloc(st->ctx, n * sizeof *slots)) == NULL)
		return false;
	memset(slots, 0, n * sizeof *slots);
	for (i = 0; ix->slots != NULL && i <= ix->mask; i++) {
		uint32_t id = ix->slots[i];
		size_t j;
		if (id == 0)
			continue;
		for (j = text_hash_at(st, id) & (n - 1); slots[j] != 0;
		    j = (j + 1) & (n - 1))
			continue;
		slots[j] = id;
	}
	dmarc__free(st->ctx, ix->slots);
	ix->slots = slots;
	ix->mask = n - 1;
	return true;
}

/* The id of t (present), stored when new; 0 when memory ran out or the
 * table would pass 4 GiB. */
static uint32_t text_intern(struct agg_store *st, struct agg_text t)
{
	uint32_t h = (uint32_t)hash_text(0, t), id, len = (uint32_t)t.n;
	size_t need = TEXT_HEADER + t.n + 1, n;
	char *p;

	if ((id = text_find(st, t, h)) != 0)
		return id;
	if (!text_index_grow(st) || t.n > UINT32_MAX ||
	    st->text_used + need > UINT32_MAX)
		return 0;
	if (st->text_used + need > st->text_cap) {
		n = st->text_cap == 0 ? 4096 : st->text_cap;
		while (n < st->text_used + need)
			n *= 2;
		if ((p = dmarc__realloc(st->ctx, st->text, n)) == NULL)
			return 0;
		st->text = p;
		st->text_cap = n;
	}
	memcpy(st->text + st->text_used, &h, sizeof h);
	memcpy(st->text + st->text_used + sizeof h, &len, sizeof len);
	id = (uint32_t)(st->text_used + TEXT_HEADER);
	memcpy(st->text + id, t.s, t.n);
	st->text[id + t.n] = '\0';
	st->text_used += need;
	index_put(&st->text_index, h, id);
	return id;
}

/* An optional string: 0 for absent, else its id (*ok false when it
 * could not be stored). */
static uint32_t text_intern_optional(struct agg_store *st, struct agg_text t,
    bool *ok)
{
	uint32_t id;

	if (t.s == NULL)
		return 0;
	if ((id = text_intern(st, t)) == 0)
		*ok = false;
	return id;
}

void dmarc__agg_store_init(struct agg_store *st, const dmarc_ctx *ctx,
    size_t max_rows)
{
	memset(st, 0, sizeof *st);
	st->ctx = ctx;
	st->max_rows = max_rows;
	st->text_used = TEXT_HEADER; /* id 0 is no string */
}

void dmarc__agg_store_free(struct agg_store *st)
{
	size_t i;

	for (i = 0; i < st->n_groups; i++)
		dmarc__free(st->ctx, st->groups[i].rows);
	dmarc__free(st->ctx, st->groups);
	dmarc__free(st->ctx, st->group_index.slots);
	dmarc__free(st->ctx, st->rows);
	dmarc__free(st->ctx, st->row_index.slots);
	dmarc__free(st->ctx, st->extra);
	dmarc__free(st->ctx, st->text);
	dmarc__free(st->ctx, st->text_index.slots);
	memset(st, 0, sizeof *st);
}

/* ---- comparing a key with what is stored ---- */

HOT bool same_text(const struct agg_store *st, uint32_t id,
    struct agg_text t)
{
	if (t.s == NULL || id == 0)
		return t.s == NULL && id == 0;
	return text_equal_at(st, id, t);
}

static bool same_group(const struct agg_store *st, const struct agg_group *g,
    const struct agg_key *k)
{
	return g->begin == k->begin && g->end == k->end &&
	    same_text(st, g->domain, k->domain);
}

static bool same_extra(const struct agg_store *st, const uint32_t *x,
    const struct agg_key *k)
{
	size_t i;

	for (i = 0; i < k->n_reasons; i++, x += WORDS_PER_REASON)
		if (x[0] != k->reason_type[i] ||
		    !same_text(st, x[1], k->reason_comment[i]))
			return false;
	for (i = 0; i < k->n_dkim; i++, x += WORDS_PER_DKIM)
		if (x[0] != k->dkim_result[i] ||
		    !same_text(st, x[1], k->dkim_domain[i]) ||
		    !same_text(st, x[2], k->dkim_selector[i]) ||
		    !same_text(st, x[3], k->dkim_human[i]))
			return false;
	return true;
}

static bool same_row(const struct agg_store *st, const struct agg_row *r,
    const struct agg_key *k)
{
	return r->ip.family == k->ip.family &&
	    memcmp(r->ip.addr, k->ip.addr, sizeof r->ip.addr) == 0 &&
	    r->disposition == k->disposition && r->flags == k->flags &&
	    r->n_reasons == k->n_reasons && r->n_dkim == k->n_dkim &&
	    r->spf_result == k->spf_result && r->spf_scope == k->spf_scope &&
	    same_group(st, &st->groups[r->group], k) &&
	    same_text(st, r->header_from, k->header_from) &&
	    same_text(st, r->envelope_from, k->envelope_from) &&
	    same_text(st, r->envelope_to, k->envelope_to) &&
	    same_text(st, r->spf_domain, k->spf_domain) &&
	    same_extra(st, st->extra + r->extra, k);
}

static struct agg_row *find_row(struct agg_store *st,
    const struct agg_key *k, uint32_t h)
{
	size_t j;

	if (st->row_index.slots == NULL)
		return NULL;
	for (j = h & st->row_index.mask; st->row_index.slots[j] != 0;
	    j = (j + 1) & st->row_index.mask) {
		struct agg_row *r = &st->rows[st->row_index.slots[j] - 1];
		if (r->hash == h && same_row(st, r, k))
			return r;
	}
	return NULL;
}

static struct agg_group *find_group(struct agg_store *st,
    const struct agg_key *k, uint32_t h)
{
	size_t j;

	if (st->group_index.slots == NULL)
		return NULL;
	for (j = h & st->group_index.mask; st->group_index.slots[j] != 0;
	    j = (j + 1) & st->group_index.mask) {
		struct agg_group *g = &st->groups[st->group_index.slots[j] - 1];
		if (g->hash == h && same_group(st, g, k))
			return g;
	}
	return NULL;
}

/* ---- the report's policy and errors ---- */

static int policy_compare(const struct report_policy *a,
    const struct report_policy *b)
{
	const uint8_t x[] = { a->mode, a->method, a->p, a->sp, a->np,
	    a->adkim, a->aspf, a->fo, a->pct, a->testing, a->psd };
	const uint8_t y[] = { b->mode, b->method, b->p, b->sp, b->np,
	    b->adkim, b->aspf, b->fo, b->pct, b->testing, b->psd };
	int c = memcmp(x, y, sizeof x);

	if (c != 0)
		return c;
	return a->ri < b->ri ? -1 : a->ri > b->ri;
}

/* The policy of the latest message (ties: the greater policy, so the
 * outcome does not depend on the order rows came in). */
static void take_policy(struct agg_group *g, const struct agg_key *k)
{
	if (k->policy_arrival < g->policy_arrival ||
	    memcmp(k->policy, &g->policy, sizeof g->policy) == 0)
		return; /* older, or the same policy */
	if (k->policy_arrival > g->policy_arrival ||
	    (k->policy_arrival == g->policy_arrival &&
	    policy_compare(k->policy, &g->policy) > 0)) {
		g->policy = *k->policy;
		g->policy_arrival = k->policy_arrival;
	}
}

/* Add error id to the sorted set of the report's first errors. */
static void take_error(const struct agg_store *st, struct agg_group *g,
    uint32_t id)
{
	size_t i = 0, n = g->n_errors;
	int cmp = 1;

	while (i < n && (cmp = strcmp(dmarc__agg_text(st, g->errors[i]),
	    dmarc__agg_text(st, id))) < 0)
		i++;
	if (cmp == 0 || i == REPORT_ROW_MAX_ERRORS)
		return;
	if (n == REPORT_ROW_MAX_ERRORS)
		n--;
	memmove(&g->errors[i + 1], &g->errors[i], (n - i) * sizeof g->errors[0]);
	g->errors[i] = id;
	g->n_errors = (uint8_t)(n + 1);
}

/* ---- adding ---- */

/* Room for one more row, its words, and its report (new or not). */
static bool reserve_row(struct agg_store *st, size_t words)
{
	size_t n;
	uint32_t *p;

	if (!room_for_one(st->ctx, (void **)&st->rows, &st->cap_rows,
	    st->n_rows, sizeof *st->rows) ||
	    !index_grow(st->ctx, &st->row_index, st->rows, sizeof *st->rows,
	    offsetof(struct agg_row, hash)))
		return false;
	if (st->n_extra + words <= st->cap_extra)
		return true;
	n = st->cap_extra == 0 ? 1024 : st->cap_extra * 2;
	while (n < st->n_extra + words)
		n *= 2;
	if (n > SIZE_MAX / sizeof *p ||
	    (p = dmarc__realloc(st->ctx, st->extra, n * sizeof *p)) == NULL)
		return false;
	st->extra = p;
	st->cap_extra = n;
	return true;
}

static bool reserve_group_row(struct agg_store *st, struct agg_group *g)
{
	size_t cap = g->cap_rows;
	bool ok = room_for_one(st->ctx, (void **)&g->rows, &cap, g->n_rows,
	    sizeof *g->rows);

	g->cap_rows = (uint32_t)cap;
	return ok;
}

/* A report for key, not yet in the store's list (*fresh), or the one
 * there; NULL when memory ran out. */
static struct agg_group *open_group(struct agg_store *st,
    const struct agg_key *k, uint32_t h, struct agg_group *fresh)
{
	struct agg_group *g = find_group(st, k, h);

	if (g != NULL)
		return reserve_group_row(st, g) ? g : NULL;
	memset(fresh, 0, sizeof *fresh);
	if (!room_for_one(st->ctx, (void **)&st->groups, &st->cap_groups,
	    st->n_groups, sizeof *st->groups) ||
	    !index_grow(st->ctx, &st->group_index, st->groups,
	    sizeof *st->groups, offsetof(struct agg_group, hash)) ||
	    (fresh->domain = text_intern(st, k->domain)) == 0 ||
	    !reserve_group_row(st, fresh)) {
		dmarc__free(st->ctx, fresh->rows);
		return NULL;
	}
	fresh->store = st;
	fresh->hash = h;
	fresh->begin = k->begin;
	fresh->end = k->end;
	fresh->policy = *k->policy;
	fresh->policy_arrival = k->policy_arrival;
	return fresh;
}

/* The row's strings and words; false when a string could not be
 * stored (words written past n_extra are then not counted). */
static bool store_strings(struct agg_store *st, struct agg_row *r,
    const struct agg_key *k)
{
	uint32_t *x = st->extra + st->n_extra;
	bool ok = true;
	size_t i;

	r->header_from = text_intern_optional(st, k->header_from, &ok);
	r->envelope_from = text_intern_optional(st, k->envelope_from, &ok);
	r->envelope_to = text_intern_optional(st, k->envelope_to, &ok);
	r->spf_domain = text_intern_optional(st, k->spf_domain, &ok);
	for (i = 0; i < k->n_reasons; i++, x += WORDS_PER_REASON) {
		x[0] = k->reason_type[i];
		x[1] = text_intern_optional(st, k->reason_comment[i], &ok);
	}
	for (i = 0; i < k->n_dkim; i++, x += WORDS_PER_DKIM) {
		x[0] = k->dkim_result[i];
		x[1] = text_intern_optional(st, k->dkim_domain[i], &ok);
		x[2] = text_intern_optional(st, k->dkim_selector[i], &ok);
		x[3] = text_intern_optional(st, k->dkim_human[i], &ok);
	}
	return ok;
}

static enum agg_outcome add_row(struct agg_store *st,
    const struct agg_key *k, uint32_t h, uint32_t gh)
{
	size_t words = k->n_reasons * WORDS_PER_REASON +
	    k->n_dkim * WORDS_PER_DKIM;
	struct agg_group fresh, *g;
	struct agg_row *r;

	if (st->n_rows >= st->max_rows || st->n_rows >= UINT32_MAX - 1 ||
	    st->n_extra + words > UINT32_MAX)
		return AGG_FULL;
	if (!reserve_row(st, words) ||
	    (g = open_group(st, k, gh, &fresh)) == NULL)
		return AGG_NOMEM;
	r = &st->rows[st->n_rows];
	memset(r, 0, sizeof *r);
	if (!store_strings(st, r, k)) {
		if (g == &fresh)
			dmarc__free(st->ctx, fresh.rows);
		return AGG_NOMEM;
	}
	if (g == &fresh) {
		st->groups[st->n_groups] = fresh;
		g = &st->groups[st->n_groups++];
		index_put(&st->group_index, gh, (uint32_t)st->n_groups);
	}
	r->hash = h;
	r->group = (uint32_t)(g - st->groups);
	r->extra = (uint32_t)st->n_extra;
	r->ip = k->ip;
	r->disposition = k->disposition;
	r->flags = k->flags;
	r->n_reasons = k->n_reasons;
	r->n_dkim = k->n_dkim;
	r->spf_result = k->spf_result;
	r->spf_scope = k->spf_scope;
	st->n_extra += words;
	g->rows[g->n_rows++] = (uint32_t)st->n_rows++;
	index_put(&st->row_index, h, (uint32_t)st->n_rows);
	return AGG_COUNTED;
}

/* The key's errors as ids (stored first, so that running out of memory
 * changes nothing that shows). */
static bool intern_errors(struct agg_store *st, const struct agg_key *k,
    uint32_t ids[REPORT_ROW_MAX_ERRORS])
{
	size_t i;

	for (i = 0; i < k->n_errors; i++)
		if ((ids[i] = text_intern(st, k->errors[i])) == 0)
			return false;
	return true;
}

/* A message without room for its row: counted as dropped, in its
 * report too when that exists. */
static void note_dropped(struct agg_store *st, const struct agg_key *k,
    uint32_t gh)
{
	struct agg_group *g = find_group(st, k, gh);

	st->dropped += k->count;
	if (g != NULL)
		g->dropped += k->count;
}

enum agg_outcome dmarc__agg_count(struct agg_store *st,
    const struct agg_key *k)
{
	uint32_t gh = (uint32_t)hash_group(k);
	uint32_t h = hash_key(k, gh), errors[REPORT_ROW_MAX_ERRORS];
	struct agg_row *r = find_row(st, k, h);
	struct agg_group *g;
	enum agg_outcome out;
	size_t i;

	if (k->n_errors > 0 && !intern_errors(st, k, errors))
		return AGG_NOMEM;
	if (r == NULL) {
		out = add_row(st, k, h, gh);
		if (out != AGG_COUNTED) {
			if (out == AGG_FULL)
				note_dropped(st, k, gh);
			return out;
		}
		r = &st->rows[st->n_rows - 1];
	}
	r->count += k->count;
	if (k->arrival > r->arrival)
		r->arrival = k->arrival;
	g = &st->groups[r->group];
	g->messages += k->count;
	st->messages += k->count;
	take_policy(g, k);
	for (i = 0; i < k->n_errors; i++)
		take_error(st, g, errors[i]);
	return AGG_COUNTED;
}

/* ---- reading rows back ---- */

static struct agg_text stored(const struct agg_store *st, uint32_t id)
{
	struct agg_text t = { NULL, 0 };

	if (id != 0) {
		t.s = st->text + id;
		t.n = load32(t.s - sizeof(uint32_t));
	}
	return t;
}

void dmarc__agg_row_key(const struct agg_store *st, const struct agg_row *row,
    struct agg_key *k)
{
	const struct agg_group *g = &st->groups[row->group];
	const uint32_t *x = st->extra + row->extra;
	size_t i;

	k->domain = stored(st, g->domain);
	k->begin = g->begin;
	k->end = g->end;
	k->ip = row->ip;
	k->header_from = stored(st, row->header_from);
	k->envelope_from = stored(st, row->envelope_from);
	k->envelope_to = stored(st, row->envelope_to);
	k->disposition = row->disposition;
	k->flags = row->flags;
	k->n_reasons = row->n_reasons;
	for (i = 0; i < row->n_reasons; i++, x += WORDS_PER_REASON) {
		k->reason_type[i] = (uint8_t)x[0];
		k->reason_comment[i] = stored(st, x[1]);
	}
	k->spf_result = row->spf_result;
	k->spf_scope = row->spf_scope;
	k->spf_domain = stored(st, row->spf_domain);
	k->n_dkim = row->n_dkim;
	for (i = 0; i < row->n_dkim; i++, x += WORDS_PER_DKIM) {
		k->dkim_result[i] = (uint8_t)x[0];
		k->dkim_domain[i] = stored(st, x[1]);
		k->dkim_selector[i] = stored(st, x[2]);
		k->dkim_human[i] = stored(st, x[3]);
	}
	k->count = row->count;
	k->arrival = row->arrival;
	k->policy = &g->policy;
	k->policy_arrival = g->policy_arrival;
	k->n_errors = g->n_errors;
	for (i = 0; i < g->n_errors; i++)
		k->errors[i] = stored(st, g->errors[i]);
}

/* Absent before present, then byte order. */
static int text_compare(const struct agg_store *st, uint32_t a, uint32_t b)
{
	if (a == 0 || b == 0)
		return (a != 0) - (b != 0);
	return a == b ? 0 : strcmp(st->text + a, st->text + b);
}

static int number_compare(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

/* The words of two rows with the same numbers of reasons and
 * signatures: result and type words as numbers, the rest as text. */
static int extra_compare(const struct agg_store *st, const struct agg_row *a,
    const struct agg_row *b)
{
	const uint32_t *x = st->extra + a->extra, *y = st->extra + b->extra;
	size_t n = a->n_reasons * WORDS_PER_REASON +
	    a->n_dkim * WORDS_PER_DKIM, i;
	int c;

	for (i = 0; i < n; i++) {
		bool number = i < a->n_reasons * WORDS_PER_REASON ?
		    i % WORDS_PER_REASON == 0 :
		    (i - a->n_reasons * WORDS_PER_REASON) % WORDS_PER_DKIM == 0;
		c = number ? number_compare(x[i], y[i]) :
		    text_compare(st, x[i], y[i]);
		if (c != 0)
			return c;
	}
	return 0;
}

int dmarc__agg_row_compare(const struct agg_store *st,
    const struct agg_row *a, const struct agg_row *b)
{
	const uint8_t x[] = { a->disposition, a->flags, a->n_reasons,
	    a->n_dkim, a->spf_result, a->spf_scope };
	const uint8_t y[] = { b->disposition, b->flags, b->n_reasons,
	    b->n_dkim, b->spf_result, b->spf_scope };
	int c;

	if ((c = number_compare(a->ip.family, b->ip.family)) != 0 ||
	    (c = memcmp(a->ip.addr, b->ip.addr, sizeof a->ip.addr)) != 0 ||
	    (c = text_compare(st, a->header_from, b->header_from)) != 0 ||
	    (c = text_compare(st, a->envelope_from, b->envelope_from)) != 0 ||
	    (c = text_compare(st, a->envelope_to, b->envelope_to)) != 0 ||
	    (c = memcmp(x, y, sizeof x)) != 0 ||
	    (c = text_compare(st, a->spf_domain, b->spf_domain)) != 0)
		return c;
	return extra_compare(st, a, b);
}
