/*
 * libdmarc - the aggregate's storage: distinct report rows in compact
 * form (about 100 bytes and the strings they do not share), grouped by
 * report (policy domain and period), found by hash.  A row to count
 * comes in as a key (struct agg_key) whose strings are borrowed from an
 * evaluation, a decoded spool line or another store: counting a row
 * that exists copies nothing and allocates nothing.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_AGG_STORE_H
#define DMARC_REPORT_AGG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../internal.h"
#include "row.h"

/* A borrowed string: s NULL for an absent one. */
struct agg_text {
	const char *s;
	size_t n;
};

/* What the RFC 9990 3.1.1.7 tuple holds, and what comes with it. */
struct agg_key {
	/* the report: policy domain and period start */
	struct agg_text domain;
	uint64_t begin, end;
	/* the tuple */
	struct report_ip ip;
	struct agg_text header_from, envelope_from, envelope_to;
	uint8_t disposition;
	uint8_t flags;              /* AGG_DKIM_ALIGNED, ... */
	uint8_t n_reasons;
	uint8_t reason_type[REPORT_ROW_MAX_REASONS];
	struct agg_text reason_comment[REPORT_ROW_MAX_REASONS];
	uint8_t spf_result, spf_scope;
	struct agg_text spf_domain;
	uint8_t n_dkim;
	uint8_t dkim_result[REPORT_ROW_MAX_DKIM];
	struct agg_text dkim_domain[REPORT_ROW_MAX_DKIM];
	struct agg_text dkim_selector[REPORT_ROW_MAX_DKIM];
	struct agg_text dkim_human[REPORT_ROW_MAX_DKIM];
	/* not the tuple: counted, or the report's */
	uint64_t count, arrival;
	const struct report_policy *policy;
	uint64_t policy_arrival;    /* when that policy was seen */
	uint8_t n_errors;
	struct agg_text errors[REPORT_ROW_MAX_ERRORS];
};

enum {
	AGG_DKIM_ALIGNED = 1,
	AGG_SPF_ALIGNED = 2,
	AGG_HAS_SPF = 4
};

/* A row as stored: strings are ids in the string table (0: absent);
 * reasons and signatures are words in the extra array from extra:
 * 2 per reason (type, comment), 4 per signature (result, domain,
 * selector, human). */
struct agg_row {
	uint64_t count;
	uint64_t arrival;           /* the latest */
	uint32_t hash;
	uint32_t group;
	uint32_t header_from, envelope_from, envelope_to, spf_domain;
	uint32_t extra;
	struct report_ip ip;
	uint8_t disposition, flags, n_reasons, n_dkim, spf_result, spf_scope;
};

/* A report: its rows and the policy it gives. */
struct agg_group {
	const struct agg_store *store; /* the one it is in */
	uint32_t domain;            /* string id */
	uint32_t hash;
	uint64_t begin, end;
	struct report_policy policy;
	uint64_t policy_arrival;
	uint8_t n_errors;
	uint32_t errors[REPORT_ROW_MAX_ERRORS]; /* string ids, sorted */
	uint64_t messages, dropped;
	uint32_t *rows;             /* row indices, in the order they came */
	uint32_t n_rows, cap_rows;
};

/* An open-addressing table of indices + 1 (0: empty). */
struct agg_index {
	uint32_t *slots;
	size_t mask;                /* slots - 1; slots a power of two */
	size_t used;
};

struct agg_store {
	const dmarc_ctx *ctx;
	char *text;                 /* strings with their NULs; id = offset */
	size_t text_used, text_cap;
	struct agg_index text_index;
	struct agg_row *rows;
	size_t n_rows, cap_rows;
	uint32_t *extra;
	size_t n_extra, cap_extra;
	struct agg_index row_index;
	struct agg_group *groups;
	size_t n_groups, cap_groups;
	struct agg_index group_index;
	size_t max_rows;
	uint64_t messages, dropped;
};

/* What dmarc__agg_count did. */
enum agg_outcome {
	AGG_COUNTED = 0,            /* the row existed or was added */
	AGG_FULL = 1,               /* a new row over max_rows: dropped */
	AGG_NOMEM = 2               /* an allocation failed: nothing changed */
};

void dmarc__agg_store_init(struct agg_store *st, const dmarc_ctx *ctx,
    size_t max_rows);
void dmarc__agg_store_free(struct agg_store *st);

/* Count key's messages: its row's count grows (its arrival is the
 * latest), or a new row is made, the report too when it is new; the
 * report's policy is the one of the latest arrival. */
enum agg_outcome dmarc__agg_count(struct agg_store *st,
    const struct agg_key *key);

/* A stored string (never NULL for an id in use; "" for id 0). */
static inline const char *dmarc__agg_text(const struct agg_store *st,
    uint32_t id)
{
	return id == 0 ? "" : st->text + id;
}

/* The key of a stored row (strings borrowed from the store). */
void dmarc__agg_row_key(const struct agg_store *st, const struct agg_row *row,
    struct agg_key *key);

/* Compare two stored rows: a total order on distinct rows, so a
 * report's records come out in an order of their own. */
int dmarc__agg_row_compare(const struct agg_store *st,
    const struct agg_row *a, const struct agg_row *b);

#endif /* DMARC_REPORT_AGG_STORE_H */
