/*
 * libdmarc - the library context.
 *
 * A dmarc_ctx holds configuration: allocator, protocol mode, parsing
 * options and limits.  Configure it first; afterwards it is read-only and
 * may be shared by any number of threads.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_CONTEXT_H
#define DMARC_CONTEXT_H

#include <stddef.h>
#include <dmarc/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_ctx dmarc_ctx;

/* Allocator functions, shaped like malloc, realloc and free (and like
 * expat's XML_Memory_Handling_Suite, so they can be handed to it). */
typedef void *(*dmarc_malloc_fn)(size_t size);
typedef void *(*dmarc_realloc_fn)(void *ptr, size_t size);
typedef void (*dmarc_free_fn)(void *ptr);

/* Which DMARC specification the context follows.  Append-only; a new
 * value needs its name in lib/keyword.c. */
typedef enum dmarc_mode {
	DMARC_MODE_RFC9989 = 0,     /* RFC 9989 (DMARCbis); the default */
	DMARC_MODE_RFC7489 = 1,     /* RFC 7489 compatibility */
	DMARC_MODE_RFC7489_PSD = 2  /* RFC 7489 plus RFC 9091 (PSD DMARC) */
} dmarc_mode;

/* Record parsing options: a bit set, 0 gives the documented defaults. */
typedef enum dmarc_parse_option {
	/* Follow the grammar to the letter (RFC 6376 reading): an upper-case
	 * tag name is an unknown tag and an upper-case keyword a bad value,
	 * empty tags and malformed tag specs make the record invalid, white
	 * space is only SP and HTAB (no line breaks, no-break spaces or
	 * BOMs), and in RFC 7489 modes p must be the second tag. */
	DMARC_PARSE_STRICT = 1,
	/* A duplicated tag keeps its first value (with a warning) instead of
	 * making the record invalid. */
	DMARC_PARSE_DUPLICATE_FIRST_WINS = 2,
	/* Skip white space before "v=DMARC1" (with a warning) instead of
	 * treating the text as not a DMARC record. */
	DMARC_PARSE_SKIP_LEADING_SPACE = 4
} dmarc_parse_option;

/* Limits on untrusted input.  Append-only; a new value needs its name in
 * lib/keyword.c. */
typedef enum dmarc_limit {
	/* Longest record accepted, in bytes (default 65535, any record a
	 * TXT RR can carry; 16..65535). */
	DMARC_LIMIT_RECORD_LENGTH = 1,
	/* URIs used per rua or ruf list (default 8, 1..32). */
	DMARC_LIMIT_URIS_PER_LIST = 2,
	/* Longest URI accepted, in bytes, counting a !size suffix
	 * (default 512, 16..2048). */
	DMARC_LIMIT_URI_LENGTH = 3,
	/* Longest header field value accepted (From, Authentication-Results),
	 * in bytes (default 8192, 256..65536). */
	DMARC_LIMIT_HEADER_LENGTH = 4,
	/* From domains evaluated with DMARC_EVAL_MULTI_FROM (default 5,
	 * 1..8). */
	DMARC_LIMIT_FROM_DOMAINS = 5,
	/* DKIM signatures an evaluation keeps (default 16, 1..64). */
	DMARC_LIMIT_DKIM_SIGNATURES = 6,
	/* DNS questions one evaluation may hand to the resolver (default
	 * 32, 8..1024; cached answers are free); a question over the limit
	 * is not asked and counts as a failed query, so what needs it is
	 * temperror. */
	DMARC_LIMIT_EVAL_QUERIES = 7,
	/* Seconds one dmarc_eval_run() or dmarc_discovery_run() may take, by
	 * the context's clock (default 30, 1..3600); questions left when it
	 * runs out are not asked and count as failed queries. */
	DMARC_LIMIT_RUN_SECONDS = 8,
	/* Bytes the DNS answer cache may hold, entries and texts (default
	 * 8 MiB, 64 KiB..1 GiB). */
	DMARC_LIMIT_CACHE_BYTES = 9,
	/* Longest time in seconds an answer is cached, whatever its TTL
	 * (default 86400, 1..604800). */
	DMARC_LIMIT_CACHE_TTL = 10,
	/* Distinct rows an aggregate report collector holds, all reports
	 * together (default 1000000, 1..100000000); a message whose row
	 * would be one more is dropped and counted (dmarc/report.h). */
	DMARC_LIMIT_AGGREGATE_ROWS = 11,
	/* The shortest reporting interval, in seconds, the receiver grants
	 * an RFC 7489 ri tag (default 86400: daily only; 3600..86400).
	 * Intervals are whole hours dividing a day, aligned to 00:00 UTC
	 * (RFC 7489 7.2); RFC 9989 reports are daily. */
	DMARC_LIMIT_REPORT_INTERVAL = 12,
	/* Report reader (dmarc/reader.h): bytes decoded from one input, all
	 * containers together (default 1 GiB, 1 MiB..16 GiB on 64-bit
	 * systems). */
	DMARC_LIMIT_REPORT_BYTES = 13,
	/* Decoded bytes per compressed byte a decompressor may give, past
	 * its first MiB (default 1000, 10..100000). */
	DMARC_LIMIT_REPORT_RATIO = 14,
	/* XML elements nested in a report (default 32, 8..256). */
	DMARC_LIMIT_XML_DEPTH = 15,
	/* XML elements in one report document (default 400000000, about
	 * 40 per record, 1000..4000000000). */
	DMARC_LIMIT_XML_ELEMENTS = 16,
	/* Bytes of one element's text (default 65536, 256..16777216). */
	DMARC_LIMIT_XML_STRING = 17,
	/* Records in one report (default 10000000, 1..1000000000). */
	DMARC_LIMIT_REPORT_RECORDS = 18,
	/* MIME nesting of a report email (default 8, 1..16). */
	DMARC_LIMIT_MIME_DEPTH = 19,
	/* MIME parts of one message, all levels (default 256, 1..10000). */
	DMARC_LIMIT_MIME_PARTS = 20
} dmarc_limit;

/* Create a context with the C library's malloc, realloc and free. */
DMARC_EXPORT dmarc_status dmarc_ctx_new(dmarc_ctx **out);

/* Create a context whose every allocation, and every allocation of
 * objects made from it, goes through the given functions, except the
 * memory libidn2 and libpsl allocate themselves (see
 * dmarc_ctx_new_with_allocator(3)).  All three must be given. */
DMARC_EXPORT dmarc_status dmarc_ctx_new_with_allocator(dmarc_ctx **out,
    dmarc_malloc_fn malloc_fn, dmarc_realloc_fn realloc_fn,
    dmarc_free_fn free_fn);

/* Free a context.  NULL is accepted.  Objects made from the context must
 * be freed first. */
DMARC_EXPORT void dmarc_ctx_free(dmarc_ctx *ctx);

/* Configuration comes first: while discovery or evaluation objects made
 * from a context exist, every dmarc_ctx_set_*, _add_* and _load_* call
 * on it returns DMARC_EBUSY and changes nothing (those objects keep
 * records parsed, and lists read, under the settings they began with). */
DMARC_EXPORT dmarc_status dmarc_ctx_set_mode(dmarc_ctx *ctx, dmarc_mode mode);
DMARC_EXPORT dmarc_mode dmarc_ctx_get_mode(const dmarc_ctx *ctx);

/* options: bitwise OR of dmarc_parse_option values. */
DMARC_EXPORT dmarc_status dmarc_ctx_set_parse_options(dmarc_ctx *ctx,
    unsigned int options);
DMARC_EXPORT unsigned int dmarc_ctx_get_parse_options(const dmarc_ctx *ctx);

DMARC_EXPORT dmarc_status dmarc_ctx_set_limit(dmarc_ctx *ctx,
    dmarc_limit limit, size_t value);
/* Returns 0 for an unknown limit. */
DMARC_EXPORT size_t dmarc_ctx_get_limit(const dmarc_ctx *ctx,
    dmarc_limit limit);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_CONTEXT_H */
