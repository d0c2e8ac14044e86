/*
 * libdmarc - the default resolver, built on the system's libresolv
 * (res_ninit/res_nquery with state per call, so it is thread-safe).  It
 * blocks; event-driven programs use the step API with their own resolver.
 *
 *   dmarc_resolver_new(&r, ctx);
 *   dmarc_ctx_set_lookup(ctx, dmarc_resolver_lookup, r);
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_RESOLVER_H
#define DMARC_RESOLVER_H

#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_resolver dmarc_resolver;

/* A resolver using the system configuration (/etc/resolv.conf),
 * allocating through ctx's allocator; ctx must outlive it.  Making a
 * resolver does not count as using ctx: it can still be configured
 * (dmarc_ctx_set_lookup with this resolver, typically). */
DMARC_EXPORT dmarc_status dmarc_resolver_new(dmarc_resolver **out,
    const dmarc_ctx *ctx);
DMARC_EXPORT void dmarc_resolver_free(dmarc_resolver *r);

/* Ask this server instead: "ADDR" or "ADDR:PORT" (IPv4), "[ADDR]:PORT"
 * or a bare IPv6 address; port 53 by default. */
DMARC_EXPORT dmarc_status dmarc_resolver_set_server(dmarc_resolver *r,
    const char *server);
/* Seconds to wait for each try (default 5, 1..60). */
DMARC_EXPORT dmarc_status dmarc_resolver_set_timeout(dmarc_resolver *r,
    unsigned int seconds);
/* Tries per query (default 2, 1..10). */
DMARC_EXPORT dmarc_status dmarc_resolver_set_retries(dmarc_resolver *r,
    unsigned int tries);

/* A dmarc_lookup_fn: user is the dmarc_resolver.  TXT answers are joined
 * per record; answers too large for UDP are retried over TCP. */
DMARC_EXPORT void dmarc_resolver_lookup(void *user, const char *qname,
    dmarc_rrtype qtype, dmarc_dns_answer *answer);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_RESOLVER_H */
