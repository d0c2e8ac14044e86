/*
 * libdmarc - private definitions shared by the library's sources.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_INTERNAL_H
#define DMARC_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <dmarc/dmarc.h>

/* Hard ceilings: the configurable limits may go up to these, and the
 * parser's fixed working arrays are sized by them. */
#define DMARC_MAX_RECORD_LENGTH 65535u
#define DMARC_MAX_URIS_PER_LIST 32u
#define DMARC_MAX_URI_LENGTH 2048u
#define DMARC_MAX_DIAGS 32u
#define DMARC_MAX_DKIM_SIGNATURES 64u /* report rows hold this many */

struct dmarc_psl;   /* lib/psl.c */

/* A list of strings the context owns (lib/strlist.c). */
struct strlist {
	char **items;
	size_t n;
};
struct dmarc_cache; /* lib/cache.c */

struct dmarc_ctx {
	dmarc_malloc_fn malloc_fn;
	dmarc_realloc_fn realloc_fn;
	dmarc_free_fn free_fn;
	dmarc_mode mode;
	unsigned int parse_options;
	size_t max_record_length;
	size_t max_uris_per_list;
	size_t max_uri_length;
	size_t max_header_length;
	size_t max_from_domains;
	size_t max_dkim_signatures;
	/* evaluation */
	unsigned int eval_options;
	uint32_t (*random_fn)(void *user);
	void *random_user;
	struct strlist authserv_ids; /* trusted Authentication-Results ids */
	/* DNS */
	dmarc_lookup_fn lookup_fn;
	void *lookup_user;
	dmarc_clock_fn clock_fn;
	void *clock_user;
	struct dmarc_cache *cache;
	/* Organizational Domain data */
	struct dmarc_psl *psl;
	struct strlist psds;        /* RFC 9091 PSD list, normalized */
	/* DNS budgets and the cache's bounds */
	size_t max_eval_queries;
	size_t max_run_seconds;
	size_t max_cache_bytes;
	size_t max_cache_ttl;
	size_t max_aggregate_rows;  /* aggregate reports (lib/report/) */
	size_t report_interval;
	size_t report_bytes, report_ratio; /* the report reader */
	size_t xml_depth, xml_elements, xml_string, report_records;
	size_t mime_depth, mime_parts;
	/* the fields written while the context is shared, hence atomic:
	 * discovery objects made from the context and not yet freed (while
	 * any exist, configuration is refused with DMARC_EBUSY) ... */
	atomic_size_t users;
	/* ... and evaluations made, mixed into each one's pct seed */
	atomic_uint eval_seq;
	/* records parsed: each record's serial number */
	atomic_ullong record_serial;
};

struct dmarc_diag {
	uint8_t code;       /* dmarc_diag_code */
	uint8_t severity;   /* dmarc_severity */
	uint8_t tag_id;     /* dmarc_tag, 0 if none or unknown */
	uint32_t offset;
	uint32_t length;
	const char *tag;    /* lower-cased name, "" if none */
	const char *domain; /* DNS name concerned, "" if none */
};

struct dmarc_uri {
	const char *text;
	const char *scheme;
	const char *address; /* NULL unless mailto */
	uint64_t size_limit;
	unsigned int flags;
};

/* The tag values of a record, with defaults applied; the parser fills one
 * and the record keeps a copy. */
struct record_values {
	uint8_t mode;       /* dmarc_mode */
	uint8_t state;      /* dmarc_record_state */
	uint8_t p, sp, np;  /* dmarc_policy; sp/np 0 = not given */
	uint8_t adkim, aspf;
	uint8_t psd;
	uint8_t testing;
	uint8_t pct;
	uint8_t fo;
	uint8_t rf;
	uint16_t present;   /* bit (1 << dmarc_tag) for each usable tag */
	uint32_t ri;
};

struct dmarc_record {
	dmarc_free_fn free_fn;
	uint64_t serial;           /* distinct for each record of a context */
	uint32_t holders;          /* record caches holding it but the first
	                              (lib/record_cache.c); 0 otherwise */
	size_t size;               /* of its one block, which a record cache
	                              may use again for another record */
	struct record_values v;
	uint32_t n_rua, n_ruf, n_diags;
	const dmarc_uri *uris;     /* rua then ruf */
	const dmarc_diag *diags;
};

#define DMARC_TAG_BIT(tag) ((uint16_t)(1u << (unsigned)(tag)))

/* ---- allocation through the context (lib/context.c) ---- */
void *dmarc__alloc(const dmarc_ctx *ctx, size_t size);
void *dmarc__realloc(const dmarc_ctx *ctx, void *ptr, size_t size);
void dmarc__free(const dmarc_ctx *ctx, void *ptr);

/* ---- objects that depend on the context's configuration ---- */
void dmarc__ctx_hold(const dmarc_ctx *ctx);
void dmarc__ctx_release(const dmarc_ctx *ctx);
/* DMARC_EBUSY while objects made from ctx exist, DMARC_EINVAL for NULL,
 * else DMARC_OK: every configuration setter starts with it. */
dmarc_status dmarc__ctx_configurable(const dmarc_ctx *ctx);

/* ---- parts of the context kept by other files ---- */
/* lib/psl.c: the PSL state, made at context creation; freed with it. */
struct dmarc_psl *dmarc__psl_new(const dmarc_ctx *ctx);
void dmarc__psl_free(const dmarc_ctx *ctx, struct dmarc_psl *psl);
/* lib/dns_answer.c */
void dmarc__cache_release(dmarc_ctx *ctx);
/* lib/strlist.c */
dmarc_status dmarc__strlist_add(const dmarc_ctx *ctx, struct strlist *l,
    const char *s, size_t len);
void dmarc__strlist_free(const dmarc_ctx *ctx, struct strlist *l);
bool dmarc__strlist_has(const struct strlist *l, const char *s, bool nocase);

/* Inlining told to the compiler where the hot path needs it; DMARC_COLD
 * keeps a rarely taken path out of its caller, so that the caller saves
 * no registers it does not use. */
#if defined(__GNUC__)
#define DMARC_ALWAYS_INLINE inline __attribute__((always_inline))
#define DMARC_NOINLINE __attribute__((noinline))
#define DMARC_COLD __attribute__((noinline, cold))
#else
#define DMARC_ALWAYS_INLINE inline
#define DMARC_NOINLINE
#define DMARC_COLD
#endif
/* The way a branch of the hot path most often goes, for the layout of
 * the code: the usual case falls through, no jump back. */
#if defined(__GNUC__)
#define DMARC_LIKELY(x) __builtin_expect(!!(x), 1)
#define DMARC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define DMARC_LIKELY(x) (x)
#define DMARC_UNLIKELY(x) (x)
#endif
/* A switch case that goes on into the next one on purpose. */
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 7)
#define DMARC_FALLTHROUGH __attribute__((fallthrough))
#else
#define DMARC_FALLTHROUGH ((void)0)
#endif

/* ---- record parsing (lib/record_parse.c) ---- */
/* The common spelling, "v=DMARC1;" or "v=DMARC1" alone, which every
 * option accepts: a yes without the version scan (RFC 9989 4.7: the
 * version tag comes first). */
static inline bool dmarc__is_dmarc_common(const char *text, size_t len)
{
	return len >= 8 && memcmp(text, "v=DMARC1", 8) == 0 &&
	    (len == 8 || text[8] == ';');
}
/* The version scan under ctx's options, for any other spelling. */
bool dmarc__is_dmarc_scanned(const dmarc_ctx *ctx, const char *text,
    size_t len);
/* Returns true when text starts with a v=DMARC1 tag under ctx's options;
 * used to discard other TXT records cheaply (the common spelling
 * inline). */
static inline bool dmarc__is_dmarc(const dmarc_ctx *ctx, const char *text,
    size_t len)
{
	return dmarc__is_dmarc_common(text, len) ||
	    dmarc__is_dmarc_scanned(ctx, text, len);
}

/* ---- small character helpers (table in lib/chars.c) ---- */
enum { DMARC_CT_WSP = 1, DMARC_CT_ALPHA = 2, DMARC_CT_DIGIT = 4,
	DMARC_CT_UPPER = 8, DMARC_CT_LDH = 16,
	DMARC_CT_ATEXT = 32, /* RFC 5322 atext, with RFC 6532's 8-bit bytes */
	DMARC_CT_VALUE = 64, /* printable, not space or ';': a plain tag value */
	DMARC_CT_DOT = 128 /* '.' alone: a name's atoms and dots in one test */ };
extern const unsigned char dmarc__ctype[256];

static inline bool dmarc__is_wsp(unsigned char c)
{
	return (dmarc__ctype[c] & DMARC_CT_WSP) != 0;
}

static inline bool dmarc__is_alpha(unsigned char c)
{
	return (dmarc__ctype[c] & DMARC_CT_ALPHA) != 0;
}

static inline bool dmarc__is_digit(unsigned char c)
{
	return (dmarc__ctype[c] & DMARC_CT_DIGIT) != 0;
}

static inline bool dmarc__is_upper(unsigned char c)
{
	return (dmarc__ctype[c] & DMARC_CT_UPPER) != 0;
}

static inline unsigned char dmarc__lower(unsigned char c)
{
	return dmarc__is_upper(c) ? (unsigned char)(c | 0x20u) : c;
}

/* the keyword table (its inline lookup uses dmarc__lower) */
#include "keyword_int.h"

#endif /* DMARC_INTERNAL_H */
