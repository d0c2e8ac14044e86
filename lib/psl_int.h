/*
 * libdmarc - the Public Suffix List inside the library.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_PSL_INT_H
#define DMARC_PSL_INT_H

#include "internal.h"

/* The RFC 7489 Organizational Domain of a normalized name: *org points
 * into name, or is NULL for a public suffix.  DMARC_ENOPSL without a
 * list. */
dmarc_status dmarc__psl_org(const dmarc_ctx *ctx, const char *name,
    const char **org);

/* The last Organizational Domains one object asked the PSL for: a busy
 * receiver sees the same domains again and again, and a lookup in the
 * list costs thousands of instructions where this costs tens.  Per
 * object, so no locking. */
#define PSL_MEMO_SLOTS 16u
#define PSL_MEMO_WAYS 4u            /* slots a name may be in */
#define PSL_MEMO_NAME 96u           /* longer names are not kept */

struct psl_memo_slot {
	uint32_t hash;
	uint32_t used;              /* the memo's clock at the last use */
	bool valid, has_org;
	uint8_t len;
	uint8_t org_off;            /* the org domain is name + org_off */
	char name[PSL_MEMO_NAME];
};

/* Set-associative: a name's hash picks a set of PSL_MEMO_WAYS slots,
 * the least recently used of them makes room. */
struct psl_memo {
	struct psl_memo_slot slot[PSL_MEMO_SLOTS];
	uint32_t clock;
};

/* dmarc__psl_org through a memo; *org points into name.  *m is made on
 * first use (an object that never asks holds none) and kept; when it
 * cannot be made the list is asked directly, the answer the same. */
dmarc_status dmarc__psl_org_memo(const dmarc_ctx *ctx, struct psl_memo **m,
    const char *name, const char **org);
/* Release a memo made by dmarc__psl_org_memo (NULL is fine). */
void dmarc__psl_memo_free(const dmarc_ctx *ctx, struct psl_memo *m);

/* The wildcard parents libpsl wrongly takes for public suffixes, read
 * from a list's text (lib/psl_wild.c).  *out stays NULL for a compiled
 * (DAFSA) list or one without wildcards. */
struct psl_wild;
dmarc_status dmarc__psl_wild_build(const dmarc_ctx *ctx, const char *data,
    size_t size, struct psl_wild **out);
void dmarc__psl_wild_free(const dmarc_ctx *ctx, struct psl_wild *w);

/* Whether the normalized name is such a parent, where libpsl says it is
 * a public suffix and the list's algorithm does not (ICANN rules only,
 * or all). */
bool dmarc__psl_wild_only(const struct psl_wild *w, const char *name,
    bool icann_only);

/* Whether the receiver accepts PSD DMARC records for this normalized
 * name (RFC 9091). */
bool dmarc__psd_accepted(const dmarc_ctx *ctx, const char *name);

#endif /* DMARC_PSL_INT_H */
