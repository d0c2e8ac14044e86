/*
 * libdmarc - policy discovery and the Organizational Domain (RFC 9989
 * 4.10 tree walk; RFC 7489 6.6.3 with the Public Suffix List; RFC 9091),
 * and verification of external report destinations.
 *
 * A dmarc_discovery is a state machine: it stops with a question and
 * resumes with its answer.  Drive it with dmarc_discovery_run() and the
 * context's lookup function, or step by step with your own resolver:
 *
 *   dmarc_discovery_start(d, "mail.example.com", 16);
 *   while (dmarc_discovery_step(d, &qname, &qtype) == DMARC_STEP_QUERY)
 *       answer_it(qname, qtype, dmarc_discovery_get_answer(d));
 *
 * One object serves one lookup at a time on one thread; start it again
 * for the next.  It keeps its buffers, and the last records it parsed,
 * between lookups: a record seen again is neither parsed nor allocated
 * again.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DISCOVERY_H
#define DMARC_DISCOVERY_H

#include <stddef.h>
#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/diag.h>
#include <dmarc/dns.h>
#include <dmarc/record.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_discovery dmarc_discovery;

typedef enum dmarc_step {
	DMARC_STEP_QUERY = 1, /* answer the question, then step again */
	DMARC_STEP_DONE = 2   /* finished: read the results */
} dmarc_step;

typedef enum dmarc_discovery_result {
	DMARC_DISCOVERY_PENDING = 0,   /* not finished */
	DMARC_DISCOVERY_FOUND = 1,     /* a policy record applies */
	DMARC_DISCOVERY_NONE = 2,      /* no record: DMARC does not apply */
	DMARC_DISCOVERY_TEMPERROR = 3, /* a needed query failed temporarily */
	DMARC_DISCOVERY_PERMERROR = 4  /* the record that applies is unusable */
} dmarc_discovery_result;

/* Where the applied record was found. */
typedef enum dmarc_source {
	DMARC_SOURCE_NONE = 0,
	DMARC_SOURCE_AUTHOR = 1, /* at the Author Domain */
	DMARC_SOURCE_ORG = 2,    /* at its Organizational Domain */
	DMARC_SOURCE_PSD = 3     /* at a Public Suffix Domain */
} dmarc_source;

/* How the Organizational Domain was found (RFC 9990 discovery_method). */
typedef enum dmarc_method {
	DMARC_METHOD_PSL = 1,
	DMARC_METHOD_TREEWALK = 2
} dmarc_method;

/* Whether an external report destination accepts reports.
 * Append-only; a new value needs its keyword in lib/keyword.c. */
typedef enum dmarc_authorization {
	DMARC_AUTH_UNCHECKED = 0,   /* not verified (yet) */
	DMARC_AUTH_INTERNAL = 1,    /* same Organizational Domain: no check */
	DMARC_AUTH_AUTHORIZED = 2,  /* v=DMARC1 at <domain>._report._dmarc */
	DMARC_AUTH_REFUSED = 3,     /* no such record: do not send */
	DMARC_AUTH_TEMPFAIL = 4,    /* DNS failed; try again later */
	DMARC_AUTH_OVERRIDE_REFUSED = 5 /* the authorizing record redirects
	                               to another host: send to neither */
} dmarc_authorization;

DMARC_EXPORT dmarc_status dmarc_discovery_new(dmarc_discovery **out,
    const dmarc_ctx *ctx);
/* NULL is accepted. */
DMARC_EXPORT void dmarc_discovery_free(dmarc_discovery *d);

/* Begin policy discovery for an Author Domain (normalized first; its
 * errors are dmarc_domain_normalize's). */
DMARC_EXPORT dmarc_status dmarc_discovery_start(dmarc_discovery *d,
    const char *author_domain, size_t len);
/* Begin a lookup of the Organizational Domain of any name (no policy). */
DMARC_EXPORT dmarc_status dmarc_discovery_start_org(dmarc_discovery *d,
    const char *domain, size_t len);
/* After a discovery that found a record: check every rua and ruf URI
 * whose host lies outside the policy domain's Organizational Domain. */
DMARC_EXPORT dmarc_status dmarc_discovery_start_verify(dmarc_discovery *d);

/* Advance.  DMARC_STEP_QUERY: *qname and *qtype are the question (valid
 * until the next step), to be answered through
 * dmarc_discovery_get_answer(); an unanswered question is asked again. */
DMARC_EXPORT dmarc_step dmarc_discovery_step(dmarc_discovery *d,
    const char **qname, dmarc_rrtype *qtype);
/* The answer sink of the pending question (NULL when there is none). */
DMARC_EXPORT dmarc_dns_answer *dmarc_discovery_get_answer(dmarc_discovery *d);
/* Run to the end with the context's lookup function (and cache).
 * DMARC_ENOMEM when an allocation failed on the way (the result is then
 * DMARC_DISCOVERY_TEMPERROR, but no DNS query failed). */
DMARC_EXPORT dmarc_status dmarc_discovery_run(dmarc_discovery *d);
/* After the last step: DMARC_ENOMEM when an allocation failed on the way
 * (so a TEMPERROR result is not a DNS failure), DMARC_ESTATE before the
 * lookup is done, else DMARC_OK. */
DMARC_EXPORT dmarc_status dmarc_discovery_get_status(
    const dmarc_discovery *d);

DMARC_EXPORT dmarc_discovery_result dmarc_discovery_get_result(
    const dmarc_discovery *d);
/* The applied record, or NULL; borrowed, valid until the next start. */
DMARC_EXPORT const dmarc_record *dmarc_discovery_get_record(
    const dmarc_discovery *d);
/* The normalized Author Domain (or start name of an org lookup). */
DMARC_EXPORT const char *dmarc_discovery_get_domain(const dmarc_discovery *d);
/* Where the applied record was found; NULL when none. */
DMARC_EXPORT const char *dmarc_discovery_get_policy_domain(
    const dmarc_discovery *d);
/* The Organizational Domain; NULL when there is none (an RFC 7489 public
 * suffix) or it is not known: after a temperror, or when a DNS failure
 * above the Author Domain's own record left it unknown (the record still
 * applies; the diagnostic "org-unknown" says so). */
DMARC_EXPORT const char *dmarc_discovery_get_org_domain(
    const dmarc_discovery *d);
DMARC_EXPORT dmarc_source dmarc_discovery_get_source(const dmarc_discovery *d);
DMARC_EXPORT dmarc_method dmarc_discovery_get_method(const dmarc_discovery *d);
/* The tag whose policy applies (DMARC_TAG_P, _SP or _NP), 0 if none. */
DMARC_EXPORT dmarc_tag dmarc_discovery_get_applied_tag(
    const dmarc_discovery *d);
/* The policy that tag gives (DMARC_POLICY_UNSPECIFIED if none). */
DMARC_EXPORT dmarc_policy dmarc_discovery_get_policy(const dmarc_discovery *d);
/* 1 the Author Domain exists, 0 it does not, -1 not tested. */
DMARC_EXPORT int dmarc_discovery_get_author_exists(const dmarc_discovery *d);
/* DNS queries asked so far (cache hits included). */
DMARC_EXPORT unsigned int dmarc_discovery_get_query_count(
    const dmarc_discovery *d);
/* The name whose query failed (temperror, or org-unknown); NULL when
 * none did. */
DMARC_EXPORT const char *dmarc_discovery_get_failed_name(
    const dmarc_discovery *d);
/* Verification result for URI index of DMARC_TAG_RUA or DMARC_TAG_RUF. */
DMARC_EXPORT dmarc_authorization dmarc_discovery_get_authorization(
    const dmarc_discovery *d, dmarc_tag tag, size_t index);
/* After verification: how many URIs the reports for URI index of tag go
 * to.  1 (the URI itself) when internal or authorized; the authorizing
 * record's own mailto URIs of that tag when it has them (RFC 9990 4);
 * 0 otherwise. */
DMARC_EXPORT size_t dmarc_discovery_get_destination_count(
    const dmarc_discovery *d, dmarc_tag tag, size_t index);
/* The n-th of those URIs, or NULL; borrowed, valid until the next
 * start. */
DMARC_EXPORT const dmarc_uri *dmarc_discovery_get_destination(
    const dmarc_discovery *d, dmarc_tag tag, size_t index, size_t n);

DMARC_EXPORT size_t dmarc_discovery_get_diag_count(const dmarc_discovery *d);
DMARC_EXPORT const dmarc_diag *dmarc_discovery_get_diag(
    const dmarc_discovery *d, size_t index);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_DISCOVERY_H */
