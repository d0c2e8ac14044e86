/*
 * libdmarc - the default resolver: a blocking dmarc_lookup_fn built on
 * the system's libresolv.
 *
 * Each lookup makes its own resolver state (res_ninit ... res_nclose), so
 * one dmarc_resolver may serve several threads at once; nothing here is
 * static and mutable.  The question is built with res_nmkquery and sent
 * with res_nsend, which hands back the raw response whatever its RCODE
 * (res_nquery hides NXDOMAIN responses), and the response is read by the
 * bounded parser below: every length taken from the wire is checked
 * against the end of the message before it is used.
 *
 * Transport: the first try is UDP into a 4096-byte buffer (no EDNS0, so
 * servers send at most 512 bytes and set TC for more; glibc then repeats
 * the question over TCP by itself).  When the response still comes back
 * truncated (TC set, or as long as the buffer) the question is asked again
 * over TCP (RES_USEVC) into a 65535-byte buffer, which holds any DNS
 * message.
 *
 * Outcomes: NOERROR with answer records of the asked type -> RECORDS, TTL
 * the least TTL in the answer section (records of the type are taken
 * anywhere in it, so a CNAME chain the server followed is followed too,
 * and its CNAMEs' TTLs count);
 * NOERROR without them -> NODATA and NXDOMAIN -> NXDOMAIN, both with the
 * negative TTL of RFC 2308 (the lesser of the SOA record's TTL and its
 * MINIMUM field, 0 without an SOA in the authority section); SERVFAIL,
 * REFUSED, no response at all and malformed responses -> TEMPFAIL; any
 * other RCODE -> PERMFAIL.  glibc's res_nsend moves on to the next server
 * on SERVFAIL, NOTIMP and REFUSED and fails when none is left, so NOTIMP
 * comes out as TEMPFAIL too.
 *
 * A configured server replaces the system's list.  IPv6 servers use
 * glibc's extension area of struct __res_state (_u._ext.nsaddrs, which
 * res_nclose frees); with other C libraries only IPv4 servers can be set
 * and an IPv6 one is DMARC_ENOTSUP.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "dns_int.h"

#define DEFAULT_TIMEOUT 5u
#define MIN_TIMEOUT 1u
#define MAX_TIMEOUT 60u
#define DEFAULT_RETRIES 2u
#define MIN_RETRIES 1u
#define MAX_RETRIES 10u

#define QUERY_SIZE 512u     /* 12 + a 255-octet name + 4, with room */
#define UDP_SIZE 4096u
#define TCP_SIZE 65535u

/* DNS numbers used here (RFC 1035, RFC 6895). */
#define DNS_HEADER_SIZE 12u
#define DNS_FLAG_TC_BYTE2 0x02u /* TC, in the third header byte */

struct dmarc_resolver {
	const dmarc_ctx *ctx;       /* whose allocator it uses */
	unsigned int timeout;       /* seconds per try */
	unsigned int retries;       /* tries per server */
	int family;                 /* 0: system servers; AF_INET, AF_INET6 */
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/* ------------------------------------------------------------ settings */

DMARC_EXPORT dmarc_status dmarc_resolver_new(dmarc_resolver **out,
    const dmarc_ctx *ctx)
{
	struct __res_state st;
	dmarc_resolver *r;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return DMARC_EINVAL;
	/* Find out now whether the system configuration can be read at all,
	 * rather than failing every lookup later. */
	memset(&st, 0, sizeof st);
	if (res_ninit(&st) != 0)
		return DMARC_ERESOLVER;
	res_nclose(&st);
	r = dmarc__alloc(ctx, sizeof *r);
	if (r == NULL)
		return DMARC_ENOMEM;
	memset(r, 0, sizeof *r);
	r->ctx = ctx;
	r->timeout = DEFAULT_TIMEOUT;
	r->retries = DEFAULT_RETRIES;
	r->family = 0;
	*out = r;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_resolver_free(dmarc_resolver *r)
{
	if (r != NULL)
		dmarc__free(r->ctx, r);
}

/* A decimal port 1..65535, digits only. */
static bool parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10u + (unsigned long)(*s - '0');
		if (v > 65535u)
			return false;
	}
	if (v == 0)
		return false;
	*port = (uint16_t)v;
	return true;
}

DMARC_EXPORT dmarc_status dmarc_resolver_set_server(dmarc_resolver *r,
    const char *server)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port_text = NULL, *colon, *end;
	uint16_t port = 53;
	size_t len, hlen;
	int family;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (r == NULL || server == NULL)
		return DMARC_EINVAL;
	len = strlen(server);
	if (server[0] == '[') {
		/* "[V6]" or "[V6]:PORT" */
		end = memchr(server, ']', len);
		if (end == NULL)
			return DMARC_EINVAL;
		hlen = (size_t)(end - server) - 1u;
		if (end[1] == ':')
			port_text = end + 2;
		else if (end[1] != '\0')
			return DMARC_EINVAL;
		if (hlen == 0 || hlen >= sizeof host)
			return DMARC_EINVAL;
		memcpy(host, server + 1, hlen);
		host[hlen] = '\0';
		family = AF_INET6;
	} else if ((colon = strchr(server, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL) {
		/* two colons or more: a bare IPv6 address */
		if (len >= sizeof host)
			return DMARC_EINVAL;
		memcpy(host, server, len + 1u);
		family = AF_INET6;
	} else {
		/* "ADDR" or "ADDR:PORT" */
		hlen = colon != NULL ? (size_t)(colon - server) : len;
		if (colon != NULL)
			port_text = colon + 1;
		if (hlen == 0 || hlen >= sizeof host)
			return DMARC_EINVAL;
		memcpy(host, server, hlen);
		host[hlen] = '\0';
		family = AF_INET;
	}
	if (port_text != NULL && !parse_port(port_text, &port))
		return DMARC_EINVAL;
	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (family == AF_INET) {
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			return DMARC_EINVAL;
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
	} else {
		if (inet_pton(AF_INET6, host, &sin6.sin6_addr) != 1)
			return DMARC_EINVAL;
#ifndef __GLIBC__
		return DMARC_ENOTSUP;
#endif
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
	}
	r->family = family;
	r->sin = sin;
	r->sin6 = sin6;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_resolver_set_timeout(dmarc_resolver *r,
    unsigned int seconds)
{
	if (r == NULL)
		return DMARC_EINVAL;
	if (seconds < MIN_TIMEOUT || seconds > MAX_TIMEOUT)
		return DMARC_ERANGE;
	r->timeout = seconds;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_resolver_set_retries(dmarc_resolver *r,
    unsigned int tries)
{
	if (r == NULL)
		return DMARC_EINVAL;
	if (tries < MIN_RETRIES || tries > MAX_RETRIES)
		return DMARC_ERANGE;
	r->retries = tries;
	return DMARC_OK;
}

/* Replace the state's server list by r's server; false on ENOMEM. */
static bool use_server(struct __res_state *st, const dmarc_resolver *r)
{
#ifdef __GLIBC__
	int i;

	/* IPv6 servers from resolv.conf live in malloc'ed _ext.nsaddrs, which
	 * res_nclose frees only up to nscount: release them all now. */
	for (i = 0; i < st->nscount && i < MAXNS; i++) {
		free(st->_u._ext.nsaddrs[i]);
		st->_u._ext.nsaddrs[i] = NULL;
		st->_u._ext.nssocks[i] = -1;
	}
	st->_u._ext.nscount = 0; /* res_nsend rebuilds its copy */
#endif
	memset(&st->nsaddr_list[0], 0, sizeof st->nsaddr_list[0]);
	if (r->family == AF_INET) {
		st->nsaddr_list[0] = r->sin;
	} else {
#ifdef __GLIBC__
		/* family 0 in nsaddr_list tells res_nsend to take the address
		 * from _ext.nsaddrs; malloc, not the context's allocator,
		 * because res_nclose frees it with free() */
		struct sockaddr_in6 *sa6 = malloc(sizeof *sa6);

		if (sa6 == NULL)
			return false;
		*sa6 = r->sin6;
		st->_u._ext.nsaddrs[0] = sa6;
#else
		return false; /* refused by dmarc_resolver_set_server */
#endif
	}
	st->nscount = 1;
	return true;
}

/* --------------------------------------------------------------- lookup */

static bool truncated(const unsigned char *m, int n, size_t size)
{
	return (size_t)n >= size ||
	    ((size_t)n >= DNS_HEADER_SIZE && (m[2] & DNS_FLAG_TC_BYTE2) != 0);
}

DMARC_EXPORT void dmarc_resolver_lookup(void *user, const char *qname,
    dmarc_rrtype qtype, dmarc_dns_answer *answer)
{
	const dmarc_resolver *r = user;
	struct __res_state st;
	unsigned char query[QUERY_SIZE];
	unsigned char udp[UDP_SIZE];
	unsigned char *tcp = NULL, *resp = udp;
	int qlen, n;

	if (answer == NULL)
		return;
	if (qname == NULL || (unsigned int)qtype == 0 ||
	    (unsigned int)qtype > 65535u) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_PERMFAIL, 0);
		return;
	}
	memset(&st, 0, sizeof st);
	if (res_ninit(&st) != 0) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
		return;
	}
	st.retrans = (int)(r != NULL ? r->timeout : DEFAULT_TIMEOUT);
	st.retry = (int)(r != NULL ? r->retries : DEFAULT_RETRIES);
	if (r != NULL && r->family != 0 && !use_server(&st, r)) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
		goto done;
	}
	qlen = res_nmkquery(&st, ns_o_query, qname, ns_c_in, (int)qtype, NULL,
	    0, NULL, query, (int)sizeof query);
	if (qlen < 0) {
		/* the name cannot be put in a question: asking again will
		 * not help */
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_PERMFAIL, 0);
		goto done;
	}
	n = res_nsend(&st, query, qlen, udp, (int)sizeof udp);
	if (n >= 0 && truncated(udp, n, sizeof udp)) {
		tcp = dmarc__alloc(answer->ctx, TCP_SIZE);
		if (tcp == NULL) { /* not a DNS failure: the run says ENOMEM */
			(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
			answer->nomem = true;
			goto done;
		}
		st.options |= RES_USEVC;
		n = res_nsend(&st, query, qlen, tcp, (int)TCP_SIZE);
		resp = tcp;
		if (n > (int)TCP_SIZE)
			n = -1;
	}
	if (n < 0) {
		/* no usable response from any server: timeout, refused
		 * connection, or SERVFAIL/REFUSED/NOTIMP everywhere */
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
		goto done;
	}
	/* a malformed response leaves the answer TEMPFAIL */
	(void)dmarc_dns_answer_parse(answer, qtype, resp, (size_t)n);
done:
	res_nclose(&st);
	if (tcp != NULL)
		dmarc__free(answer->ctx, tcp);
}
