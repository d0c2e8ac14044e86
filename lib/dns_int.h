/*
 * libdmarc - DNS answers inside the library, and the answer cache.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DNS_INT_H
#define DMARC_DNS_INT_H

#include "internal.h"

/* Longest question: "_dmarc." or a report-authorization prefix plus a
 * 253-octet name, with room to spare and a NUL. */
#define DMARC_QNAME_SIZE 520u

/* An answer, reduced to what DMARC needs: TXT records that are not
 * DMARC records are only counted, and of the DMARC ones the first is
 * kept whole (two or more make the name's record set unusable). */
struct dmarc_dns_answer {
	const dmarc_ctx *ctx;
	const char *qname;          /* the question, when known: a response
	                               to another name is refused */
	dmarc_dns_outcome outcome;  /* 0 while unanswered */
	uint32_t ttl;
	uint32_t n_txt;             /* TXT records given */
	uint32_t n_dmarc;           /* of which start with v=DMARC1 */
	char *text;                 /* the first DMARC record */
	size_t text_len, text_cap;
	bool nomem;                 /* keeping the text failed */
	char *join;                 /* scratch for joining TXT strings */
	size_t join_cap;
};

/* Make a new, empty answer (no buffers yet). */
void dmarc__answer_init(dmarc_dns_answer *a, const dmarc_ctx *ctx);
/* Prepare an answer for a new question; keeps its buffers. */
void dmarc__answer_reset(dmarc_dns_answer *a, const dmarc_ctx *ctx);
/* Release the buffer. */
void dmarc__answer_free(dmarc_dns_answer *a);
/* Add a TXT record from its wire rdata (character-strings); false when
 * the rdata is malformed.  Sets nomem when joining needs memory it
 * cannot get. */
bool dmarc__answer_add_wire_txt(dmarc_dns_answer *a,
    const unsigned char *rdata, size_t rdlen);
/* Make dst a copy of src (outcome, ttl, counts, text); false on ENOMEM. */
bool dmarc__answer_copy(dmarc_dns_answer *dst, const dmarc_dns_answer *src);

/* ---- the cache (lib/cache.c) ---- */
struct dmarc_cache;

/* A cache of at most max_entries answers and the context's
 * DMARC_LIMIT_CACHE_BYTES; NULL on ENOMEM. */
struct dmarc_cache *dmarc__cache_new(const dmarc_ctx *ctx, size_t max_entries);
void dmarc__cache_free(const dmarc_ctx *ctx, struct dmarc_cache *c);
/* Fill *out from a live entry for (qname, qtype): true on a hit.  now is
 * the context clock's value.  Counts a hit or a miss. */
bool dmarc__cache_get(struct dmarc_cache *c, const char *qname,
    dmarc_rrtype qtype, uint64_t now, dmarc_dns_answer *out);
/* Store a copy of a (TEMPFAIL and PERMFAIL answers are not stored);
 * replaces an older entry for the same question, evicts the least
 * recently used entry when full.  Allocation failure only skips it. */
void dmarc__cache_put(struct dmarc_cache *c, const char *qname,
    dmarc_rrtype qtype, uint64_t now, const dmarc_dns_answer *a);
/* Bytes the entries hold now (never over DMARC_LIMIT_CACHE_BYTES). */
size_t dmarc__cache_bytes(struct dmarc_cache *c);
void dmarc__cache_stats(const struct dmarc_cache *c, uint64_t *hits,
    uint64_t *misses);

/* The context's clock, in seconds. */
uint64_t dmarc__now(const dmarc_ctx *ctx);
/* Whether a synchronous run is out of time (DMARC_LIMIT_RUN_SECONDS);
 * *deadline starts at 0 and is set at the run's first question, so a
 * run answered from the cache never reads the clock. */
bool dmarc__past_deadline(const dmarc_ctx *ctx, uint64_t *deadline);

#endif /* DMARC_DNS_INT_H */
