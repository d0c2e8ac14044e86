/*
 * libdmarc - the aggregate's storage (agg_store.h): rows as blobs, the
 * reports they belong to, and the hash index that finds them.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "agg_store.h"

_Static_assert(sizeof(struct report_policy) == 16, "policy: two words");

/* ---- growing arrays and the index ---- */

/* The one slot of an empty index (mask 0), never written: a search
 * finds nothing without a test for a table. */
uint32_t dmarc__agg_no_slots[1];

/* Grow an array of elements of size bytes to hold `more` more. */
static bool room_for(const dmarc_ctx *ctx, void **array, size_t *cap,
    size_t used, size_t more, size_t size)
{
	size_t n = *cap == 0 ? 16 : *cap;
	void *p;

	if (used + more <= *cap)
		return true;
	while (n < used + more) {
		if (n > SIZE_MAX / 2 / size)
			return false;
		n *= 2;
	}
	p = dmarc__realloc(ctx, *array, n * size);
	if (p == NULL)
		return false;
	*array = p;
	*cap = n;
	return true;
}

/* Room for one more entry in an index whose entry v - 1 has its hash
 * at hash_offset in the element of stride bytes at base. */
static bool index_grow(const dmarc_ctx *ctx, struct agg_index *ix,
    const void *base, size_t stride, size_t hash_offset)
{
	bool none = ix->slots == dmarc__agg_no_slots;
	size_t n = none ? 64 : (ix->mask + 1) * 2, i, j;
	uint32_t *slots, h;

	if (!none && ix->used + 1 <= (ix->mask + 1) / 2)
		return true;
	if (n > SIZE_MAX / sizeof *slots ||
	    (slots = dmarc__alloc(ctx, n * sizeof *slots)) == NULL)
		return false;
	memset(slots, 0, n * sizeof *slots);
	for (i = 0; !none && i <= ix->mask; i++) {
		uint32_t v = ix->slots[i];
		if (v == 0)
			continue;
		memcpy(&h, (const char *)base + (size_t)(v - 1) * stride +
		    hash_offset, sizeof h);
		for (j = h & (n - 1); slots[j] != 0; j = (j + 1) & (n - 1))
			continue;
		slots[j] = v;
	}
	if (!none)
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

void dmarc__agg_store_init(struct agg_store *st, const dmarc_ctx *ctx,
    size_t max_rows)
{
	uintptr_t where = (uintptr_t)st;
	uint64_t s = (uint64_t)where * 0x9e3779b97f4a7c15u;

	memset(st, 0, sizeof *st);
	st->ctx = ctx;
	st->max_rows = max_rows;
	st->seed = s ^ (s >> 31) ^ 0x5bd1e995u; /* where the store lives */
	s = (st->seed ^ 0xc2b2ae3d27d4eb4fu) * 0x9e3779b97f4a7c15u;
	st->key = s ^ (s >> 29);
	st->row_index.slots = st->group_index.slots = dmarc__agg_no_slots;
}

void dmarc__agg_store_free(struct agg_store *st)
{
	size_t i, k;

	for (i = 0; i < st->n_groups; i++) {
		for (k = 0; k < st->groups[i].n_errors; k++)
			dmarc__free(st->ctx, st->groups[i].errors[k]);
		dmarc__free(st->ctx, st->groups[i].rows);
	}
	dmarc__free(st->ctx, st->groups);
	if (st->group_index.slots != dmarc__agg_no_slots)
		dmarc__free(st->ctx, st->group_index.slots);
	dmarc__free(st->ctx, st->rows);
	if (st->row_index.slots != dmarc__agg_no_slots)
		dmarc__free(st->ctx, st->row_index.slots);
	dmarc__free(st->ctx, st->bytes);
	memset(st, 0, sizeof *st);
}

/* ---- reading blobs ---- */

static uint64_t blob_end(const uint8_t *b, uint64_t begin)
{
	return begin + (uint64_t)b[AGG_AT_HOURS] * 3600u - 1;
}

/* The first string: after the fixed part, the address and the reason
 * and signature bytes. */
static const uint8_t *blob_strings(const uint8_t *b)
{
	const uint8_t *small = b + AGG_AT_SMALL;

	return b + AGG_BLOB_FIXED + dmarc__agg_ip_bytes(b[AGG_AT_FAMILY]) +
	    small[2] + small[3];
}

/* The string at *p, NULL when absent; *p moves past it. */
static const char *next_string(const uint8_t **p)
{
	const char *s = (const char *)*p;

	if (**p == AGG_ABSENT) {
		*p += 1;
		return NULL;
	}
	*p += strlen(s) + 1;
	return s;
}

static void view_fixed(struct agg_view *v, const uint8_t *b)
{
	const uint8_t *small = b + AGG_AT_SMALL;

	memcpy(&v->begin, b, 8);
	v->end = blob_end(b, v->begin);
	v->disposition = small[0];
	v->flags = small[1];
	v->n_reasons = small[2];
	v->n_dkim = small[3];
	v->spf_result = small[4];
	v->spf_scope = small[5];
	memset(&v->ip, 0, sizeof v->ip);
	v->ip.family = b[AGG_AT_FAMILY];
	memcpy(v->ip.addr, b + AGG_BLOB_FIXED,
	    dmarc__agg_ip_bytes(v->ip.family));
	v->reason_type = b + AGG_BLOB_FIXED +
	    dmarc__agg_ip_bytes(v->ip.family);
	v->dkim_result = v->reason_type + v->n_reasons;
}

void dmarc__agg_view(struct agg_view *v, const uint8_t *b, size_t len)
{
	const uint8_t *p;
	size_t i;

	(void)len;
	view_fixed(v, b);
	p = v->dkim_result + v->n_dkim;
	v->header_from = next_string(&p);
	v->domain = next_string(&p);
	v->envelope_from = next_string(&p);
	v->envelope_to = next_string(&p);
	v->spf_domain = next_string(&p);
	for (i = 0; i < v->n_reasons; i++)
		v->reason_comment[i] = next_string(&p);
	for (i = 0; i < v->n_dkim; i++) {
		v->dkim_domain[i] = next_string(&p);
		v->dkim_selector[i] = next_string(&p);
		v->dkim_human[i] = next_string(&p);
	}
}

/* The policy domain: the second string. */
static const char *blob_domain(const uint8_t *b)
{
	const char *from = (const char *)blob_strings(b);

	return from + strlen(from) + 1;
}

uint64_t dmarc__agg_messages(const struct agg_store *st)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < st->n_groups; i++)
		n = dmarc__agg_sum(n, st->groups[i].messages);
	return n;
}

const char *dmarc__agg_group_domain(const struct agg_group *g)
{
	const struct agg_store *st = g->store;

	return blob_domain(dmarc__agg_blob(st, &st->rows[g->first_row]));
}

void dmarc__agg_row_key(const struct agg_store *st, const struct agg_row *row,
    struct agg_key *k)
{
	const struct agg_group *g = &st->groups[row->group];
	size_t i;

	k->blob = dmarc__agg_blob(st, row);
	k->len = row->len;
	k->count = row->count;
	k->arrival = row->arrival;
	k->policy = &g->policy;
	k->policy_arrival = g->policy_arrival;
	k->n_errors = g->n_errors;
	for (i = 0; i < g->n_errors; i++)
		k->errors[i] = g->errors[i];
}

/* Rows of one report by source address (family, then bytes), then the
 * six bytes, then what follows the address. */
int dmarc__agg_row_compare(const struct agg_store *st,
    const struct agg_row *a, const struct agg_row *b)
{
	const uint8_t *x = dmarc__agg_blob(st, a), *y = dmarc__agg_blob(st, b);
	size_t ip = dmarc__agg_ip_bytes(x[AGG_AT_FAMILY]), n;
	int c;

	if (x[AGG_AT_FAMILY] != y[AGG_AT_FAMILY])
		return x[AGG_AT_FAMILY] < y[AGG_AT_FAMILY] ? -1 : 1;
	if ((c = memcmp(x + AGG_BLOB_FIXED, y + AGG_BLOB_FIXED, ip)) != 0 ||
	    (c = memcmp(x + AGG_AT_SMALL, y + AGG_AT_SMALL, 6)) != 0)
		return c;
	n = (a->len < b->len ? a->len : b->len) - AGG_BLOB_FIXED - ip;
	if ((c = memcmp(x + AGG_BLOB_FIXED + ip, y + AGG_BLOB_FIXED + ip,
	    n)) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* ---- finding ---- */

/* The report of blob b: the period, and the policy domain. */
static bool same_report(const struct agg_group *g, const uint8_t *b)
{
	uint64_t begin;

	memcpy(&begin, b, 8);
	return g->begin == begin && g->end == blob_end(b, begin) &&
	    strcmp(dmarc__agg_group_domain(g), blob_domain(b)) == 0;
}

/* The hash of a report: its period and policy domain (not on the hot
 * path: only new rows look for their report). */
static uint32_t group_hash(const uint8_t *b, uint64_t seed)
{
	const char *d = blob_domain(b);
	uint64_t h = 0xcbf29ce484222325u ^ seed;
	size_t i;

	for (i = 0; i <= AGG_AT_HOURS; i++)
		h = (h ^ b[i]) * 0x100000001b3u;
	for (i = 0; d[i] != '\0'; i++)
		h = (h ^ (unsigned char)d[i]) * 0x100000001b3u;
	return (uint32_t)(h ^ (h >> 32));
}

static struct agg_group *find_group(struct agg_store *st, const uint8_t *b,
    uint32_t h)
{
	size_t j;

	for (j = h & st->group_index.mask; st->group_index.slots[j] != 0;
	    j = (j + 1) & st->group_index.mask) {
		struct agg_group *g = &st->groups[st->group_index.slots[j] - 1];
		if (g->hash == h && same_report(g, b))
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

/* Whether policy a of arrival t replaces the report's (ties: the
 * greater policy, so the outcome does not depend on the order rows came
 * in). */
bool dmarc__agg_policy_wins(const struct agg_group *g,
    const struct report_policy *a, uint64_t t)
{
	return t > g->policy_arrival || policy_compare(a, &g->policy) > 0;
}

/* Whether text would be among the report's first errors and is not
 * there yet (g NULL: a new report). */
static bool error_wanted(const struct agg_group *g, const char *text)
{
	size_t i;

	if (g == NULL)
		return true;
	for (i = 0; i < g->n_errors; i++)
		if (strcmp(g->errors[i], text) == 0)
			return false;
	return g->n_errors < REPORT_ROW_MAX_ERRORS ||
	    strcmp(text, g->errors[g->n_errors - 1]) < 0;
}

/* Copies of the key's errors the report may take, made before anything
 * changes; false (nothing allocated) when memory ran out. */
static bool copy_errors(struct agg_store *st, const struct agg_group *g,
    const struct agg_key *k, char *copy[REPORT_ROW_MAX_ERRORS])
{
	size_t i, n;

	for (i = 0; i < k->n_errors; i++) {
		copy[i] = NULL;
		if (!error_wanted(g, k->errors[i]))
			continue;
		n = strlen(k->errors[i]) + 1;
		if ((copy[i] = dmarc__alloc(st->ctx, n)) == NULL) {
			while (i-- > 0)
				dmarc__free(st->ctx, copy[i]);
			return false;
		}
		memcpy(copy[i], k->errors[i], n);
	}
	return true;
}

/* Put a copy in its place among the report's sorted, distinct first
 * errors, or free it. */
static void place_error(struct agg_store *st, struct agg_group *g, char *text)
{
	size_t at = 0;
	int cmp = 1;

	while (at < g->n_errors && (cmp = strcmp(g->errors[at], text)) < 0)
		at++;
	if (cmp == 0 || at == REPORT_ROW_MAX_ERRORS) {
		dmarc__free(st->ctx, text);
		return;
	}
	if (g->n_errors == REPORT_ROW_MAX_ERRORS)
		dmarc__free(st->ctx, g->errors[--g->n_errors]);
	memmove(&g->errors[at + 1], &g->errors[at],
	    (g->n_errors - at) * sizeof g->errors[0]);
	g->errors[at] = text;
	g->n_errors++;
}

static void free_copies(struct agg_store *st, const struct agg_key *k,
    char *copy[REPORT_ROW_MAX_ERRORS])
{
	size_t i;

	for (i = 0; i < k->n_errors; i++)
		dmarc__free(st->ctx, copy[i]);
}

/* ---- adding ---- */

static bool reserve_group_row(struct agg_store *st, struct agg_group *g)
{
	size_t cap = g->cap_rows;
	bool ok = room_for(st->ctx, (void **)&g->rows, &cap, g->n_rows, 1,
	    sizeof *g->rows);

	g->cap_rows = (uint32_t)cap;
	return ok;
}

/* The report for a new row (index row) of blob b: g when it exists,
 * else a new one; NULL when memory ran out. */
static struct agg_group *open_group(struct agg_store *st, struct agg_group *g,
    const uint8_t *b, uint32_t gh, const struct agg_key *k, size_t row)
{
	if (g != NULL)
		return reserve_group_row(st, g) ? g : NULL;
	if (!room_for(st->ctx, (void **)&st->groups, &st->cap_groups,
	    st->n_groups, 1, sizeof *st->groups) ||
	    !index_grow(st->ctx, &st->group_index, st->groups,
	    sizeof *st->groups, offsetof(struct agg_group, hash)))
		return NULL;
	g = &st->groups[st->n_groups];
	memset(g, 0, sizeof *g);
	if (!reserve_group_row(st, g))
		return NULL;
	g->store = st;
	g->hash = gh;
	memcpy(&g->begin, b, 8);
	g->end = blob_end(b, g->begin);
	g->first_row = (uint32_t)row;
	g->policy = *k->policy;
	g->policy_arrival = k->policy_arrival;
	index_put(&st->group_index, gh, (uint32_t)++st->n_groups);
	return g;
}

/* A new row for key in report g (NULL: new too); room is reserved
 * before anything changes. */
static enum agg_outcome add_row(struct agg_store *st, struct agg_group *g,
    const struct agg_key *k, uint32_t h, uint32_t gh)
{
	size_t at = st->n_bytes;
	struct agg_row *r;

	if (!room_for(st->ctx, (void **)&st->rows, &st->cap_rows, st->n_rows,
	    1, sizeof *st->rows) ||
	    !index_grow(st->ctx, &st->row_index, st->rows, sizeof *st->rows,
	    offsetof(struct agg_row, hash)) ||
	    !room_for(st->ctx, (void **)&st->bytes, &st->cap_bytes, at, k->len,
	    1))
		return AGG_NOMEM;
	memcpy(st->bytes + at, k->blob, k->len);
	if ((g = open_group(st, g, st->bytes + at, gh, k, st->n_rows)) == NULL)
		return AGG_NOMEM;
	r = &st->rows[st->n_rows];
	memset(r, 0, sizeof *r);
	r->blob = at;
	r->len = (uint32_t)k->len;
	r->hash = h;
	r->group = (uint32_t)(g - st->groups);
	st->n_bytes += k->len;
	g->rows[g->n_rows++] = (uint32_t)st->n_rows++;
	index_put(&st->row_index, h, (uint32_t)st->n_rows);
	return AGG_COUNTED;
}

/* A new row: counted, or dropped at the limit (in its report too when
 * that exists). */
static enum agg_outcome new_row(struct agg_store *st,
    const struct agg_key *k, uint32_t h, char *copy[REPORT_ROW_MAX_ERRORS],
    struct agg_group **g)
{
	uint32_t gh = group_hash(k->blob, st->seed);
	enum agg_outcome out;

	*g = find_group(st, k->blob, gh);
	if (st->n_rows >= st->max_rows || st->n_rows >= UINT32_MAX - 1 ||
	    k->len > UINT32_MAX) {
		st->dropped = dmarc__agg_sum(st->dropped, k->count);
		if (*g != NULL)
			(*g)->dropped = dmarc__agg_sum((*g)->dropped, k->count);
		return AGG_FULL;
	}
	if (!dmarc__agg_fits(*g != NULL ? (*g)->messages : 0, k->count))
		return AGG_TOO_MANY;
	if (!copy_errors(st, *g, k, copy))
		return AGG_NOMEM;
	out = add_row(st, *g, k, h, gh);
	if (out != AGG_COUNTED) {
		free_copies(st, k, copy);
		return out;
	}
	*g = &st->groups[st->rows[st->n_rows - 1].group];
	return AGG_COUNTED;
}

/* A key with errors for its report, or a new row (r NULL). */
DMARC_COLD static enum agg_outcome count_slow(struct agg_store *st,
    const struct agg_key *k, uint32_t h, struct agg_row *r)
{
	char *copy[REPORT_ROW_MAX_ERRORS];
	struct agg_group *g;
	enum agg_outcome out;
	size_t i;

	if (r != NULL) {
		g = &st->groups[r->group];
		if (!dmarc__agg_fits(r->count, k->count) ||
		    !dmarc__agg_fits(g->messages, k->count))
			return AGG_TOO_MANY;
		if (!copy_errors(st, g, k, copy))
			return AGG_NOMEM;
	} else {
		if ((out = new_row(st, k, h, copy, &g)) != AGG_COUNTED)
			return out;
		r = &st->rows[st->n_rows - 1];
	}
	for (i = 0; i < k->n_errors; i++)
		if (copy[i] != NULL)
			place_error(st, g, copy[i]);
	dmarc__agg_count_in(r, g, k->count, k->arrival, k->policy,
	    k->policy_arrival);
	return AGG_COUNTED;
}

enum agg_outcome dmarc__agg_count(struct agg_store *st,
    const struct agg_key *k)
{
	uint32_t h = dmarc__agg_hash(k->blob, k->len, st->seed, st->key);
	struct agg_row *r = dmarc__agg_find(st, k->blob, k->len, h);
	struct agg_group *g;

	if (r == NULL || k->n_errors != 0)
		return count_slow(st, k, h, r);
	g = &st->groups[r->group];
	if (!dmarc__agg_fits(r->count, k->count) ||
	    !dmarc__agg_fits(g->messages, k->count))
		return AGG_TOO_MANY;
	dmarc__agg_count_in(r, g, k->count, k->arrival, k->policy,
	    k->policy_arrival); /* nothing allocated */
	return AGG_COUNTED;
}
