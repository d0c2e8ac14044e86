/*
 * libdmarc - keys for the aggregate's store (agg_store.h): the blob of
 * a report row, reporting periods, and what the blob of a finished
 * evaluation is made with (lib/report/agg_eval.c).
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_AGG_KEY_H
#define DMARC_REPORT_AGG_KEY_H

#include <string.h>

#include "agg_store.h"

/* How arrivals fall into periods: the report format's mode, and the
 * shortest interval the receiver grants (DMARC_LIMIT_REPORT_INTERVAL). */
struct agg_period_rule {
	dmarc_mode mode;
	uint64_t shortest;
};

/* The policy and errors of a record, kept for the next evaluations that
 * use the same record (of the same context).  An evaluation swaps two
 * discovery objects, each with its own copy of a record: two are kept. */
#define AGG_KEY_MEMOS 2u

struct agg_key_buffers {
	const dmarc_ctx *ctx;
	uint64_t serial;            /* the record's; 0: nothing kept */
	struct record_values v;     /* and its values, in case a context
	                               was made again where one was freed */
	uint8_t method;
	struct report_policy policy;
	uint8_t hours;              /* of its periods */
	uint32_t seconds;           /* the same in seconds */
	uint8_t n_errors;
	char errors[REPORT_ROW_MAX_ERRORS][REPORT_ROW_COMMENT_SIZE];
};

/* The buffers kept, and the one to take next (not the last one used);
 * the aggregate's own context; room to sort signatures in. */
struct agg_key_memo {
	struct agg_key_buffers slot[AGG_KEY_MEMOS];
	unsigned int next;
	const dmarc_ctx *own;
	uint8_t order[REPORT_ROW_MAX_DKIM];
};

/* The string s of n bytes and its NUL, from an array of size bytes:
 * a short one (most are) by two 16-byte copies, a longer one 16 bytes
 * at a time while the reads stay inside the array, else by memcpy; the
 * blob has AGG_BLOB_SLACK bytes of room past its longest.  The bytes
 * after the NUL are overwritten by what follows, or lie past the key's
 * length. */
static inline uint8_t *dmarc__agg_put_len(uint8_t *b, const char *s, size_t n,
    size_t size)
{
	size_t i;

	if (DMARC_LIKELY(n < 32) && size >= 32) {
		memcpy(b, s, 16);
		memcpy(b + 16, s + 16, 16);
	} else if (n + 16 <= size) {
		for (i = 0; i <= n; i += 16)
			memcpy(b + i, s + i, 16);
	} else {
		memcpy(b, s, n + 1);
	}
	return b + n + 1;
}

/* An absent string's marker. */
static inline uint8_t *dmarc__agg_put_absent(uint8_t *b)
{
	*b = AGG_ABSENT;
	return b + 1;
}

/* The length in hours of the periods arrivals fall into under policy p
 * (whole hours that divide a day); a period begins at a multiple of it. */
uint8_t dmarc__agg_period_hours(const struct agg_period_rule *rule,
    const struct report_policy *p);

/* The key of a report row, its blob written into blob. */
void dmarc__agg_key_from_row(struct agg_key *k, uint8_t *blob,
    const struct agg_period_rule *rule, const struct report_row *row);

#endif /* DMARC_REPORT_AGG_KEY_H */
