/*
 * libdmarc - the DNS boundary.  libdmarc never opens a socket by itself:
 * it asks questions (a name and a type) and the caller answers them,
 * either through a lookup function set on the context (synchronous) or
 * step by step (see dmarc_discovery_step).  See libdmarc-dns(3).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DNS_H
#define DMARC_DNS_H

#include <stddef.h>
#include <dmarc/common.h>
#include <dmarc/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Query types libdmarc asks for (their DNS type numbers). */
typedef enum dmarc_rrtype {
	DMARC_RR_A = 1,
	DMARC_RR_MX = 15,
	DMARC_RR_TXT = 16,
	DMARC_RR_AAAA = 28
} dmarc_rrtype;

/* How a query came out. */
typedef enum dmarc_dns_outcome {
	DMARC_DNS_RECORDS = 1,  /* NOERROR with records of the type */
	DMARC_DNS_NODATA = 2,   /* NOERROR, the name has no such records */
	DMARC_DNS_NXDOMAIN = 3, /* the name does not exist */
	DMARC_DNS_TEMPFAIL = 4, /* SERVFAIL, REFUSED, timeout, malformed: try
	                           again later */
	DMARC_DNS_PERMFAIL = 5  /* any other failure */
} dmarc_dns_outcome;

/* Where an answer is written; owned by the library, valid only for the
 * question it was handed out with. */
typedef struct dmarc_dns_answer dmarc_dns_answer;

/* Set the outcome and its TTL in seconds (for a negative answer: the SOA
 * minimum).  Calling it again replaces the outcome. */
DMARC_EXPORT dmarc_status dmarc_dns_answer_set(dmarc_dns_answer *answer,
    dmarc_dns_outcome outcome, uint32_t ttl);

/* Add one TXT record (its character-strings joined in order, nothing
 * between them) of len bytes; sets the outcome to DMARC_DNS_RECORDS if it
 * was not set.  Records that are not DMARC records are counted and
 * dropped; DMARC_ERANGE for one longer than 65535 bytes. */
DMARC_EXPORT dmarc_status dmarc_dns_answer_add_txt(dmarc_dns_answer *answer,
    const char *text, size_t len);

/* Fill answer from a DNS response message in wire format (as an
 * asynchronous resolver hands it back) for a question of type qtype:
 * the RCODE, records of qtype in the answer section (TXT strings joined
 * per record), their smallest TTL, or for NXDOMAIN and NODATA the SOA
 * minimum.  A truncated message gives DMARC_ETRUNCATED (ask again over
 * TCP) and a malformed one DMARC_EMESSAGE; both leave the outcome
 * DMARC_DNS_TEMPFAIL. */
DMARC_EXPORT dmarc_status dmarc_dns_answer_parse(dmarc_dns_answer *answer,
    dmarc_rrtype qtype, const unsigned char *msg, size_t len);

/* A synchronous lookup: answer qtype at qname (lower-case A-labels, no
 * trailing dot) into answer.  It may block; it is called from the thread
 * that runs dmarc_discovery_run().  An answer left unset counts as
 * DMARC_DNS_TEMPFAIL. */
typedef void (*dmarc_lookup_fn)(void *user, const char *qname,
    dmarc_rrtype qtype, dmarc_dns_answer *answer);

/* The lookup function dmarc_discovery_run() uses (NULL removes it). */
DMARC_EXPORT dmarc_status dmarc_ctx_set_lookup(dmarc_ctx *ctx,
    dmarc_lookup_fn fn, void *user);

/* A clock returning seconds (for TTLs and run deadlines); default: the
 * monotonic clock (CLOCK_MONOTONIC_COARSE where there is one). */
typedef uint64_t (*dmarc_clock_fn)(void *user);
DMARC_EXPORT dmarc_status dmarc_ctx_set_clock(dmarc_ctx *ctx,
    dmarc_clock_fn fn, void *user);

/* Keep up to max_entries DNS answers (0, the default, turns the cache
 * off), each for its TTL, negative ones for their SOA minimum.  This is
 * configuration (not while other threads use the context); the cache
 * itself is then safe to use from several threads at once. */
DMARC_EXPORT dmarc_status dmarc_ctx_set_cache(dmarc_ctx *ctx,
    size_t max_entries);
/* Cache hits and misses so far (either pointer may be NULL). */
DMARC_EXPORT void dmarc_ctx_get_cache_stats(const dmarc_ctx *ctx,
    uint64_t *hits, uint64_t *misses);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_DNS_H */
