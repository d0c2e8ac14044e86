/*
 * libdmarc - the default resolver in a build without one (configure
 * --without-resolver, for C libraries without res_ninit such as musl).
 *
 * The functions are still exported, so the ABI is the same in every
 * build: they return DMARC_ENOTSUP, and a lookup made through
 * dmarc_resolver_lookup anyway is a temporary failure (temperror), never
 * "no record".
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "dns_int.h"

DMARC_EXPORT dmarc_status dmarc_resolver_new(dmarc_resolver **out,
    const dmarc_ctx *ctx)
{
	(void)ctx;
	if (out != NULL)
		*out = NULL;
	return DMARC_ENOTSUP;
}

DMARC_EXPORT void dmarc_resolver_free(dmarc_resolver *r)
{
	(void)r; /* no resolver can have been made */
}

DMARC_EXPORT dmarc_status dmarc_resolver_set_server(dmarc_resolver *r,
    const char *server)
{
	(void)r;
	(void)server;
	return DMARC_ENOTSUP;
}

DMARC_EXPORT dmarc_status dmarc_resolver_set_timeout(dmarc_resolver *r,
    unsigned int seconds)
{
	(void)r;
	(void)seconds;
	return DMARC_ENOTSUP;
}

DMARC_EXPORT dmarc_status dmarc_resolver_set_retries(dmarc_resolver *r,
    unsigned int tries)
{
	(void)r;
	(void)tries;
	return DMARC_ENOTSUP;
}

DMARC_EXPORT void dmarc_resolver_lookup(void *user, const char *qname,
    dmarc_rrtype qtype, dmarc_dns_answer *answer)
{
	(void)user;
	(void)qname;
	(void)qtype;
	if (answer != NULL)
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
}
