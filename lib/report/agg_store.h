/*
 * libdmarc - the aggregate's storage: distinct report rows, grouped by
 * report (policy domain and period), found by hash.  A row is its key,
 * one contiguous blob of bytes (below), with its count: a row to count
 * comes in as a blob built from an evaluation, a decoded spool line or
 * another store, is hashed in one pass and compared with one memcmp,
 * and counting a row that exists copies and allocates nothing.  Never
 * installed.
 *
 * The blob (RFC 9990 3.1.1.7: what makes a record distinct, and the
 * report it belongs to), short: every byte of it is copied, hashed and
 * compared each time a message is counted.
 *
 *   begin             8 bytes, host order (the period's start)
 *   hours             1 byte: the period's length (end = begin +
 *                     hours * 3600 - 1)
 *   disposition, flags, n_reasons, n_dkim, spf_result, spf_scope
 *                     6 bytes
 *   ip family, ip     1 byte (0, 4 or 6), then 0, 4 or 16 bytes
 *   reason types      n_reasons bytes
 *   dkim results      n_dkim bytes
 *   strings           header_from, policy domain, envelope_from,
 *                     envelope_to, SPF domain, each reason's comment,
 *                     each signature's domain, selector, human result
 *
 * A string is its text and a NUL, or the one byte AGG_ABSENT when it
 * is not there (no string of a row holds a control character).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_AGG_STORE_H
#define DMARC_REPORT_AGG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../internal.h"
#include "row.h"

enum {
	AGG_DKIM_ALIGNED = 1,
	AGG_SPF_ALIGNED = 2,
	AGG_HAS_SPF = 4
};

/* The blob's fixed part: begin, hours, the six bytes, the family. */
#define AGG_BLOB_FIXED 16u
#define AGG_AT_HOURS 8u
#define AGG_AT_SMALL 9u
#define AGG_AT_FAMILY 15u
/* The longest blob: every string at its longest. */
#define AGG_BLOB_MAX (AGG_BLOB_FIXED + 16u + REPORT_ROW_MAX_REASONS + \
	REPORT_ROW_MAX_DKIM + 5u * DMARC_DOMAIN_SIZE + \
	REPORT_ROW_MAX_REASONS * REPORT_ROW_COMMENT_SIZE + \
	REPORT_ROW_MAX_DKIM * (DMARC_DOMAIN_SIZE + REPORT_ROW_SELECTOR_SIZE + \
	REPORT_ROW_HUMAN_SIZE))
/* Room a key's buffer has past AGG_BLOB_MAX: strings are copied into it
 * 16 or 32 bytes at a time (lib/report/agg_key.c). */
#define AGG_BLOB_SLACK 32u
/* The marker of an absent string. */
#define AGG_ABSENT 1u

/* The bytes of the address of family (0, 4 or 6) in a blob. */
static inline size_t dmarc__agg_ip_bytes(uint8_t family)
{
	return family == 6 ? 16u : family == 4 ? 4u : 0u;
}

/* A row to count: its blob, and what is not the tuple. */
struct agg_key {
	const uint8_t *blob;
	size_t len;
	uint64_t count, arrival;
	const struct report_policy *policy;
	uint64_t policy_arrival;    /* when that policy was seen */
	uint8_t n_errors;
	const char *errors[REPORT_ROW_MAX_ERRORS];
};

/* A blob read back: its fields, strings pointing into it (NULL for an
 * absent one). */
struct agg_view {
	uint64_t begin, end;
	struct report_ip ip;
	uint8_t disposition, flags, n_reasons, n_dkim, spf_result, spf_scope;
	const uint8_t *reason_type, *dkim_result;
	const char *domain, *header_from, *envelope_from, *envelope_to;
	const char *spf_domain;
	const char *reason_comment[REPORT_ROW_MAX_REASONS];
	const char *dkim_domain[REPORT_ROW_MAX_DKIM];
	const char *dkim_selector[REPORT_ROW_MAX_DKIM];
	const char *dkim_human[REPORT_ROW_MAX_DKIM];
};

struct agg_row {
	uint64_t count;
	uint64_t arrival;           /* the latest */
	uint64_t blob;              /* offset in the store's blob bytes */
	uint32_t len;               /* the blob's */
	uint32_t hash;
	uint32_t group;
};

/* A report: its rows and the policy it gives (fields in this order:
 * no padding, 128 bytes on LP64, so that a row's report is found by a
 * shift on the hot path). */
struct agg_group {
	const struct agg_store *store; /* the one it is in */
	uint32_t hash;              /* of the period and the domain */
	uint32_t first_row;         /* its domain: this row's blob */
	uint64_t begin, end;
	struct report_policy policy;
	uint8_t n_errors;
	uint64_t policy_arrival;
	char *errors[REPORT_ROW_MAX_ERRORS]; /* sorted, distinct */
	uint64_t messages, dropped;
	uint32_t *rows;             /* row indices, in the order they came */
	uint32_t n_rows, cap_rows;
};

/* An open-addressing table of indices + 1 (0: empty); an empty index
 * has the one slot dmarc__agg_no_slots. */
struct agg_index {
	uint32_t *slots;
	size_t mask;                /* slots - 1; slots a power of two */
	size_t used;
};

struct agg_store {
	const dmarc_ctx *ctx;
	uint8_t *bytes;             /* the rows' blobs, one after another */
	size_t n_bytes, cap_bytes;
	struct agg_row *rows;
	size_t n_rows, cap_rows;
	struct agg_index row_index;
	struct agg_group *groups;
	size_t n_groups, cap_groups;
	struct agg_index group_index;
	size_t max_rows;
	uint64_t seed, key;         /* of the hashes (agg_store.c) */
	uint64_t dropped;           /* messages dropped (those counted: the
	                               reports' sum, dmarc__agg_messages) */
};

extern uint32_t dmarc__agg_no_slots[1];

/* What dmarc__agg_count did. */
enum agg_outcome {
	AGG_COUNTED = 0,            /* the row existed or was added */
	AGG_FULL = 1,               /* a new row over max_rows: dropped */
	AGG_NOMEM = 2,              /* an allocation failed: nothing changed */
	AGG_TOO_MANY = 3            /* a count past AGG_COUNT_MAX: nothing
	                               changed */
};

/* The most messages a row or a report counts from spool lines and
 * merges (whose counts are any number): past it an add is refused, so
 * that no count wraps.  An evaluation adds one, which would take 2^63
 * of them to wrap. */
#define AGG_COUNT_MAX (UINT64_MAX / 2u)

/* Whether n more messages fit a count that holds have. */
static inline bool dmarc__agg_fits(uint64_t have, uint64_t n)
{
	return have <= AGG_COUNT_MAX && n <= AGG_COUNT_MAX - have;
}

/* a + b, or UINT64_MAX when that does not fit (counts of dropped
 * messages, sums). */
static inline uint64_t dmarc__agg_sum(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

void dmarc__agg_store_init(struct agg_store *st, const dmarc_ctx *ctx,
    size_t max_rows);
void dmarc__agg_store_free(struct agg_store *st);

/* Count key's messages: its row's count grows (its arrival is the
 * latest), or a new row is made, the report too when it is new; the
 * report's policy is the one of the latest arrival. */
enum agg_outcome dmarc__agg_count(struct agg_store *st,
    const struct agg_key *key);

/* ---- the hot path's parts, inline (counting a row that exists) ---- */

static inline uint64_t dmarc__agg_load64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

/* The 128-bit product of a and b folded to 64 bits: every bit of
 * either factor reaches the result. */
static inline uint64_t dmarc__agg_fold_mul(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	__extension__ typedef unsigned __int128 u128;
	u128 p = (u128)a * b;

	return (uint64_t)p ^ (uint64_t)(p >> 64);
#else
	uint64_t lo_lo = (a & 0xffffffffu) * (b & 0xffffffffu);
	uint64_t hi_lo = (a >> 32) * (b & 0xffffffffu);
	uint64_t lo_hi = (a & 0xffffffffu) * (b >> 32);
	uint64_t hi_hi = (a >> 32) * (b >> 32);
	uint64_t mid = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;

	return ((mid << 32) | (lo_lo & 0xffffffffu)) ^
	    (hi_hi + (hi_lo >> 32) + (mid >> 32));
#endif
}

/* One step of the hash below: the 16 bytes at p into state h. */
static inline uint64_t dmarc__agg_hash_step(uint64_t h, const uint8_t *p,
    uint64_t key)
{
	return dmarc__agg_fold_mul(dmarc__agg_load64(p) ^ key,
	    dmarc__agg_load64(p + 8) ^ h);
}

/* The hash of blob b of n bytes: 16 bytes a step, each one product of
 * the two words, one keyed with the store's key, the other with the
 * state; the last step ends at the last byte (blobs are never shorter
 * than AGG_BLOB_FIXED).  Seed and key are the store's own, so that rows
 * made to collide in one process do not collide in another (the rows
 * come from mail: a chain of collisions would make counting slow, never
 * wrong), and a word cannot zero a product without knowing them.  The
 * steps but the last are unrolled for blobs of up to 144 bytes (most
 * rows): no loop counter to keep. */
static inline uint32_t dmarc__agg_hash(const uint8_t *b, size_t n,
    uint64_t seed, uint64_t key)
{
	const uint8_t *end = b + n, *q;
	uint64_t h = seed ^ n;
	size_t steps = (n - 1) / 16; /* the steps before the last */

	for (; steps > 8; steps--, b += 16)
		h = dmarc__agg_hash_step(h, b, key);
	q = b + 16 * steps; /* case k is the step k steps before q */
	switch (steps) {
	case 8: h = dmarc__agg_hash_step(h, q - 128, key); DMARC_FALLTHROUGH;
	case 7: h = dmarc__agg_hash_step(h, q - 112, key); DMARC_FALLTHROUGH;
	case 6: h = dmarc__agg_hash_step(h, q - 96, key); DMARC_FALLTHROUGH;
	case 5: h = dmarc__agg_hash_step(h, q - 80, key); DMARC_FALLTHROUGH;
	case 4: h = dmarc__agg_hash_step(h, q - 64, key); DMARC_FALLTHROUGH;
	case 3: h = dmarc__agg_hash_step(h, q - 48, key); DMARC_FALLTHROUGH;
	case 2: h = dmarc__agg_hash_step(h, q - 32, key); DMARC_FALLTHROUGH;
	case 1: h = dmarc__agg_hash_step(h, q - 16, key); DMARC_FALLTHROUGH;
	default: break;
	}
	return (uint32_t)dmarc__agg_hash_step(h, end - 16, key);
}

/* The first row of hash h and n bytes after slot *j, or NULL; *j is
 * where it was found. */
static inline struct agg_row *dmarc__agg_next_candidate(struct agg_store *st,
    uint32_t h, size_t n, size_t *j)
{
	const struct agg_index *ix = &st->row_index;
	uint32_t v;

	while ((v = ix->slots[*j]) != 0) {
		struct agg_row *r = &st->rows[v - 1];
		if (r->hash == h && r->len == n)
			return r;
		*j = (*j + 1) & ix->mask;
	}
	return NULL;
}

/* The first row of hash h and n bytes, or NULL. */
static inline struct agg_row *dmarc__agg_candidate(struct agg_store *st,
    uint32_t h, size_t n)
{
	size_t j = h & st->row_index.mask;

	return dmarc__agg_next_candidate(st, h, n, &j);
}

/* The row of blob b (n bytes, hash h), or NULL. */
static inline struct agg_row *dmarc__agg_find(struct agg_store *st,
    const uint8_t *b, size_t n, uint32_t h)
{
	size_t j = h & st->row_index.mask;
	struct agg_row *r;

	while ((r = dmarc__agg_next_candidate(st, h, n, &j)) != NULL) {
		if (memcmp(st->bytes + r->blob, b, n) == 0)
			return r;
		j = (j + 1) & st->row_index.mask;
	}
	return NULL;
}

/* Whether policy p of arrival t replaces that of report g (the latest;
 * ties: the greater policy, so the outcome does not depend on the order
 * rows came in). */
bool dmarc__agg_policy_wins(const struct agg_group *g,
    const struct report_policy *p, uint64_t t);

/* Count n messages in row r of report g, the latest arrived at t under
 * policy p. */
static inline void dmarc__agg_count_in(struct agg_row *r,
    struct agg_group *g, uint64_t n, uint64_t t,
    const struct report_policy *p, uint64_t policy_t)
{
	uint64_t a[2], b[2];

	r->count += n;
	if (t > r->arrival)
		r->arrival = t;
	g->messages += n;
	if (policy_t < g->policy_arrival)
		return; /* older */
	memcpy(a, p, sizeof a); /* no padding: equal bytes */
	memcpy(b, &g->policy, sizeof b);
	if (a[0] == b[0] && a[1] == b[1])
		return; /* the same policy */
	if (dmarc__agg_policy_wins(g, p, policy_t)) {
		g->policy = *p;
		g->policy_arrival = policy_t;
	}
}

/* A stored row's blob. */
static inline const uint8_t *dmarc__agg_blob(const struct agg_store *st,
    const struct agg_row *row)
{
	return st->bytes + row->blob;
}

/* Read a blob of len bytes (one dmarc__agg_count took, or one a
 * builder made). */
void dmarc__agg_view(struct agg_view *v, const uint8_t *blob, size_t len);

/* The messages counted in every report. */
uint64_t dmarc__agg_messages(const struct agg_store *st);

/* The policy domain of a report. */
const char *dmarc__agg_group_domain(const struct agg_group *g);

/* The key of a stored row (its blob borrowed from the store). */
void dmarc__agg_row_key(const struct agg_store *st, const struct agg_row *row,
    struct agg_key *key);

/* A total order on the rows of a report: the same rows come out in the
 * same order, whatever order they were counted in (by source IP
 * first). */
int dmarc__agg_row_compare(const struct agg_store *st,
    const struct agg_row *a, const struct agg_row *b);

#endif /* DMARC_REPORT_AGG_STORE_H */
