/*
 * libdmarc - reading a DNS response message (RFC 1035 section 4) into an
 * answer: header, question skipped, answer records of the asked type,
 * the SOA of the authority section for negative TTLs.  Every length
 * comes from the network and is checked before use.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "dns_int.h"

#define HEADER_SIZE 12u
#define TYPE_SOA 6u
#define CLASS_IN 1u
#define MAX_POINTERS 64u

struct msg {
	const unsigned char *p;
	size_t len;
};

static unsigned int get16(const struct msg *m, size_t at)
{
	return (unsigned int)m->p[at] << 8 | m->p[at + 1];
}

static unsigned long get32(const struct msg *m, size_t at)
{
	return (unsigned long)get16(m, at) << 16 | get16(m, at + 2);
}

/* Skip a (possibly compressed) name at *at; false when malformed. */
static bool skip_name(const struct msg *m, size_t *at)
{
	size_t i = *at;
	unsigned int total = 0;

	for (;;) {
		unsigned char c;
		if (i >= m->len)
			return false;
		c = m->p[i];
		if (c == 0) {
			*at = i + 1;
			return true;
		}
		if ((c & 0xc0) == 0xc0) { /* a pointer ends the name here */
			if (i + 2 > m->len)
				return false;
			*at = i + 2;
			return true;
		}
		if ((c & 0xc0) != 0 || (total += c + 1u) > 255)
			return false;
		i += 1u + c;
	}
}

struct rr {
	unsigned int type, class;
	unsigned long ttl;
	size_t rdata, rdlen;
};

/* Read the resource record at *at. */
static bool read_rr(const struct msg *m, size_t *at, struct rr *rr)
{
	size_t i = *at;

	if (!skip_name(m, &i) || m->len - i < 10)
		return false;
	rr->type = get16(m, i);
	rr->class = get16(m, i + 2);
	rr->ttl = get32(m, i + 4) & 0x7fffffffUL;
	rr->rdlen = get16(m, i + 8);
	rr->rdata = i + 10;
	if (m->len - rr->rdata < rr->rdlen)
		return false;
	*at = rr->rdata + rr->rdlen;
	return true;
}

/* The negative-answer TTL: min(SOA TTL, SOA MINIMUM), or 0. */
static unsigned long soa_ttl(const struct msg *m, size_t at, unsigned int ns)
{
	struct rr rr;
	size_t i;

	while (ns-- > 0 && read_rr(m, &at, &rr)) {
		if (rr.type != TYPE_SOA)
			continue;
		i = rr.rdata;
		if (!skip_name(m, &i) || !skip_name(m, &i) ||
		    rr.rdata + rr.rdlen < i + 20)
			return 0;
		return get32(m, i + 16) < rr.ttl ? get32(m, i + 16) : rr.ttl;
	}
	return 0;
}

static dmarc_status malformed(dmarc_dns_answer *a)
{
	dmarc__answer_reset(a, a->ctx);
	a->outcome = DMARC_DNS_TEMPFAIL;
	return DMARC_EMESSAGE;
}

/* The answer section: records of qtype; *after is where it ends. */
static bool read_answers(dmarc_dns_answer *a, const struct msg *m,
    unsigned int qtype, size_t *at, unsigned int count)
{
	unsigned long ttl = 0;
	unsigned int found = 0;
	struct rr rr;

	while (count-- > 0) {
		if (!read_rr(m, at, &rr))
			return false;
		if (rr.type != qtype || rr.class != CLASS_IN)
			continue; /* e.g. the CNAME that led here */
		if (qtype == DMARC_RR_TXT && !dmarc__answer_add_wire_txt(a,
		    m->p + rr.rdata, rr.rdlen))
			return false;
		ttl = found++ == 0 || rr.ttl < ttl ? rr.ttl : ttl;
	}
	if (found > 0)
		dmarc_dns_answer_set(a, DMARC_DNS_RECORDS, ttl);
	return true;
}

DMARC_EXPORT dmarc_status dmarc_dns_answer_parse(dmarc_dns_answer *answer,
    dmarc_rrtype qtype, const unsigned char *msg, size_t len)
{
	struct msg m = { msg, len };
	unsigned int flags, rcode, qd, an, ns;
	size_t at = HEADER_SIZE;

	if (answer == NULL || msg == NULL)
		return DMARC_EINVAL;
	dmarc__answer_reset(answer, answer->ctx);
	if (len < HEADER_SIZE || !((flags = get16(&m, 2)) & 0x8000))
		return malformed(answer);
	if (flags & 0x0200) {
		answer->outcome = DMARC_DNS_TEMPFAIL;
		return DMARC_ETRUNCATED;
	}
	rcode = flags & 0x000f;
	qd = get16(&m, 4);
	an = get16(&m, 6);
	ns = get16(&m, 8);
	while (qd-- > 0)
		if (!skip_name(&m, &at) || (at += 4) > len)
			return malformed(answer);
	if (rcode == 2 || rcode == 5) { /* SERVFAIL, REFUSED */
		answer->outcome = DMARC_DNS_TEMPFAIL;
		return DMARC_OK;
	}
	if (rcode != 0 && rcode != 3) {
		answer->outcome = DMARC_DNS_PERMFAIL;
		return DMARC_OK;
	}
	if (!read_answers(answer, &m, (unsigned int)qtype, &at, an))
		return malformed(answer);
	if (rcode == 3)
		dmarc_dns_answer_set(answer, DMARC_DNS_NXDOMAIN, soa_ttl(&m, at, ns));
	else if (answer->outcome == 0)
		dmarc_dns_answer_set(answer, DMARC_DNS_NODATA, soa_ttl(&m, at, ns));
	return DMARC_OK;
}
