/*
 * libdmarc - DNS answers inside the library, and the answer cache.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DNS_INT_H
#define DMARC_DNS_INT_H

#include <time.h>

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
/* Prepare an answer for a new question; keeps its buffers.  Inline:
 * every question a discovery asks starts with it. */
static inline void dmarc__answer_reset(dmarc_dns_answer *a,
    const dmarc_ctx *ctx)
{
	a->ctx = ctx;
	a->outcome = (dmarc_dns_outcome)0;
	a->ttl = 0;
	a->n_txt = a->n_dmarc = 0;
	a->text_len = 0;
	a->nomem = false;
}
/* Release the buffer. */
void dmarc__answer_free(dmarc_dns_answer *a);
/* Add a TXT record from its wire rdata (character-strings); false when
 * the rdata is malformed.  Sets nomem when joining needs memory it
 * cannot get. */
bool dmarc__answer_add_wire_txt(dmarc_dns_answer *a,
    const unsigned char *rdata, size_t rdlen);
/* Make dst a copy of src (outcome, ttl, counts, text); false on ENOMEM. */
bool dmarc__answer_copy(dmarc_dns_answer *dst, const dmarc_dns_answer *src);

/* Fill an answer (its buffer kept, grown when needed); false on
 * ENOMEM, the answer then unchanged. */
bool dmarc__answer_fill(dmarc_dns_answer *a, dmarc_dns_outcome outcome,
    uint32_t ttl, uint32_t n_txt, uint32_t n_dmarc, const char *text,
    size_t text_len);

/* ---- the answers of one evaluation (lib/answer_memo.c) ---- */

/* Every answer an evaluation was given, so that it never asks the same
 * question twice: the tree walk of an identifier passes through names
 * the Author Domain's walk (or an earlier identifier's) has asked.  Kept
 * whole until cleared, never evicted: the evaluation's query budget and
 * its walks bound what it holds. */
struct memo_entry {
	uint64_t tail;               /* the name's last 8 bytes: most
	                                names differ there */
	uint32_t key;                /* the name's length, the type << 16 */
	uint32_t name_at, text_at;   /* offsets in bytes */
	uint32_t text_len;
	uint32_t ttl, n_txt, n_dmarc;
	uint8_t outcome;
};

struct answer_memo {
	struct memo_entry *entry;    /* made on the first answer, kept */
	size_t n, cap;
	char *bytes;                 /* the names and texts */
	size_t used, size;
};

/* Forget the answers, keeping the memory. */
static inline void dmarc__memo_clear(struct answer_memo *m)
{
	m->n = m->used = 0;
}
void dmarc__memo_free(struct answer_memo *m, const dmarc_ctx *ctx);
/* Keep the answer a to (qname of len bytes, qtype); false on ENOMEM. */
bool dmarc__memo_keep(struct answer_memo *m, const dmarc_ctx *ctx,
    const char *qname, size_t len, dmarc_rrtype qtype,
    const dmarc_dns_answer *a);
/* The same with the text given apart (a's own is not read). */
bool dmarc__memo_keep_text(struct answer_memo *m, const dmarc_ctx *ctx,
    const char *qname, size_t len, dmarc_rrtype qtype,
    const dmarc_dns_answer *a, const char *text, size_t text_len);
/* The kept answer to the question, filled into *out: 1 when there was
 * one, 0 when not, -1 when filling it ran out of memory. */
int dmarc__memo_find(const struct answer_memo *m, const char *qname,
    size_t len, dmarc_rrtype qtype, dmarc_dns_answer *out);

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

/* Seconds are all the library needs: the coarse clock is cheaper to read
 * and is the same monotonic clock. */
#ifdef CLOCK_MONOTONIC_COARSE
#define DMARC_CLOCK CLOCK_MONOTONIC_COARSE
#else
#define DMARC_CLOCK CLOCK_MONOTONIC
#endif

/* The context's clock, in seconds.  Inline: a synchronous run reads it
 * before every question. */
static inline uint64_t dmarc__now(const dmarc_ctx *ctx)
{
	struct timespec ts;

	if (ctx->clock_fn != NULL)
		return ctx->clock_fn(ctx->clock_user);
	if (clock_gettime(DMARC_CLOCK, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec;
}
/* Whether a synchronous run is out of time (DMARC_LIMIT_RUN_SECONDS);
 * *deadline starts at 0 and is set at the run's first question, so a
 * run answered from the cache never reads the clock.  Inline: it runs
 * before every question the caller answers. */
static inline bool dmarc__past_deadline(const dmarc_ctx *ctx,
    uint64_t *deadline)
{
	uint64_t now = dmarc__now(ctx);

	if (*deadline == 0) { /* the run's first question starts the clock */
		*deadline = now > UINT64_MAX - ctx->max_run_seconds ?
		    UINT64_MAX : now + ctx->max_run_seconds;
		return false;
	}
	return now >= *deadline;
}

#endif /* DMARC_DNS_INT_H */
