/*
 * libdmarc - the Public Suffix List inside the library.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_PSL_INT_H
#define DMARC_PSL_INT_H

#include "hash.h"
#include "internal.h"
#include "name_plain.h"

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
 * the least recently used of them makes room for a name asked for the
 * second time (seen: the hashes of the set's last PSL_MEMO_WAYS names
 * missed, replaced in turn), so that names seen once (most of a stream
 * of new domains) cost no copy and push out none that come back, and
 * names that take turns are kept too. */
struct psl_memo {
	struct psl_memo_slot slot[PSL_MEMO_SLOTS];
	uint32_t seen[PSL_MEMO_SLOTS];
	uint32_t clock;
};

/* dmarc__psl_org_memo's miss: the list asked, the answer kept when the
 * name comes again; h is the name's hash. */
dmarc_status dmarc__psl_org_memo_miss(const dmarc_ctx *ctx,
    struct psl_memo **m, const char *name, size_t len, uint32_t h,
    const char **org);

/* dmarc__psl_org through a memo, name of len bytes (NUL-terminated);
 * *org points into name.  *m is made on
 * first use (an object that never asks holds none) and kept; when it
 * cannot be made the list is asked directly, the answer the same.  The
 * hit is inline: it is most of a busy receiver's lookups. */
static inline dmarc_status dmarc__psl_org_memo(const dmarc_ctx *ctx,
    struct psl_memo **mp, const char *name, size_t len, const char **org)
{
	struct psl_memo *m = *mp;
	struct psl_memo_slot *s;
	uint32_t h = dmarc__hash_bytes(name, len);
	size_t i;

	if (m != NULL) {
		s = &m->slot[(h % (PSL_MEMO_SLOTS / PSL_MEMO_WAYS)) *
		    PSL_MEMO_WAYS];
		for (i = 0; i < PSL_MEMO_WAYS; i++, s++)
			if (s->hash == h && s->len == len && s->valid &&
			    dmarc__same_bytes(s->name, name, len)) {
				s->used = ++m->clock;
				*org = s->has_org ? name + s->org_off : NULL;
				return DMARC_OK;
			}
	}
	return dmarc__psl_org_memo_miss(ctx, mp, name, len, h, org);
}
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

/* Reading the list's text (publicsuffix.org format) as libpsl reads it:
 * white space before a line's text skipped, a rule up to the next white
 * space, "//" comments, of which the "===BEGIN ICANN DOMAINS===" and
 * "===END ICANN DOMAINS===" lines (PRIVATE alike) open and close the
 * sections (lib/psl_table.c). */
#define DMARC__PSL_SEC_ICANN 1
#define DMARC__PSL_SEC_PRIVATE 2
struct psl_rule_text {
	const char *text; /* in the list, not terminated */
	size_t len;       /* 0: no rule on the line */
	unsigned char sec; /* the section the line is in; 0: outside both */
};
/* The line at p (before end): its rule into *r, r->sec kept or changed
 * by a comment; returns where the next line starts. */
const char *dmarc__psl_next_rule(const char *p, const char *end,
    struct psl_rule_text *r);

/* The list as our own hash table of normalized rules (lib/psl_table.c),
 * made from the text; *out stays NULL for a compiled (DAFSA) list.
 * DMARC_ENOPSL past PSL_RULES_MAX rules or a rule over PSL_RULE_MAX
 * bytes. */
#define PSL_RULES_MAX 524288u
#define PSL_RULE_MAX 1024u
struct psl_table;
dmarc_status dmarc__psl_table_build(const dmarc_ctx *ctx, const char *data,
    size_t size, struct psl_table **out);
void dmarc__psl_table_free(const dmarc_ctx *ctx, struct psl_table *t);
/* The Organizational Domain of a normalized name by the list's
 * algorithm, pointing into name; NULL for a public suffix. */
const char *dmarc__psl_table_org(const struct psl_table *t,
    const char *name, bool icann_only);

struct psl_table_stats {
	size_t rules, keys, slots, longest_probe;
	size_t bytes; /* allocated for the table */
};
void dmarc__psl_table_stats(const struct psl_table *t,
    struct psl_table_stats *s);

/* libpsl's answer corrected by lib/psl_wild.c, the way the library
 * answered before the table: kept for a compiled list and as the tests'
 * oracle.  DMARC_ENOPSL when libpsl holds no list (a text list loads
 * into libpsl too only after dmarc__psl_keep_libpsl). */
dmarc_status dmarc__psl_org_libpsl(const dmarc_ctx *ctx, const char *name,
    const char **org);
/* Whether the next loads of a text list also load it into libpsl
 * (tests: the oracle above); off by default. */
void dmarc__psl_keep_libpsl(dmarc_ctx *ctx, bool keep);
/* The context's table, NULL without one (tests, measurements). */
const struct psl_table *dmarc__psl_get_table(const dmarc_ctx *ctx);

#endif /* DMARC_PSL_INT_H */
