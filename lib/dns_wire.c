/*
 * libdmarc - reading a DNS response message (RFC 1035 section 4) into an
 * answer: the header, the question skipped, the records of the asked type
 * (TXT strings joined per record), TTLs (RFC 2181 section 8) and the
 * negative TTL of the SOA (RFC 2308 section 5).  The whole message is
 * checked before anything is written; every length from the wire is
 * checked before use.  The default resolver and callers with their own
 * resolver read responses alike through this one parser.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "dns_int.h"

#define DNS_HEADER_SIZE 12u
#define DNS_FLAG_QR 0x8000u
#define DNS_FLAG_TC 0x0200u
#define DNS_OPCODE_QUERY 0u
#define DNS_RCODE_NOERROR 0u
#define DNS_RCODE_SERVFAIL 2u
#define DNS_RCODE_NXDOMAIN 3u
#define DNS_RCODE_REFUSED 5u
#define DNS_CLASS_IN 1u
#define DNS_TYPE_SOA 6u
#define DNS_MAX_NAME 255u

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | (unsigned)p[1]);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* RFC 2181 section 8: a TTL with the top bit set counts as zero. */
static unsigned long wire_ttl(uint32_t ttl)
{
	return ttl > 0x7fffffffu ? 0ul : (unsigned long)ttl;
}

/* Step over the domain name at *off, which must end before end; a
 * compression pointer ends it and must point back into the message.  The
 * pointer's target is not read. */
static bool skip_name(const unsigned char *m, size_t end, size_t *off)
{
	size_t i = *off, octets = 0;

	for (;;) {
		unsigned int c;

		if (i >= end)
			return false;
		c = m[i];
		if (c == 0) {
			*off = i + 1u;
			return true;
		}
		if ((c & 0xc0u) == 0xc0u) {
			size_t target;

			if (end - i < 2u)
				return false;
			target = (size_t)(c & 0x3fu) << 8 | (size_t)m[i + 1u];
			if (target >= i)
				return false;
			*off = i + 2u;
			return true;
		}
		if ((c & 0xc0u) != 0)
			return false;   /* obsolete or extended label type */
		octets += 1u + c;
		if (octets >= DNS_MAX_NAME || end - i - 1u < c)
			return false;
		i += 1u + c;
	}
}

struct rr {
	uint16_t type, rclass;
	uint32_t ttl;
	size_t rdata, rdlen;
};

/* Read the resource record at *off and step over it. */
static bool read_rr(const unsigned char *m, size_t len, size_t *off,
    struct rr *rr)
{
	size_t i = *off;

	if (!skip_name(m, len, &i) || len - i < 10u)
		return false;
	rr->type = get16(m + i);
	rr->rclass = get16(m + i + 2u);
	rr->ttl = get32(m + i + 4u);
	rr->rdlen = get16(m + i + 8u);
	i += 10u;
	if (len - i < rr->rdlen)
		return false;
	rr->rdata = i;
	*off = i + rr->rdlen;
	return true;
}

/* Is the rdata of rr well formed for its type?  Types not listed are
 * taken as they are. */
static bool rdata_ok(const unsigned char *m, const struct rr *rr)
{
	size_t i = rr->rdata, end = rr->rdata + rr->rdlen;

	switch (rr->type) {
	case DMARC_RR_A:
		return rr->rdlen == 4u;
	case DMARC_RR_AAAA:
		return rr->rdlen == 16u;
	case DMARC_RR_MX:
		return rr->rdlen >= 3u && (i += 2u, skip_name(m, end, &i)) &&
		    i == end;
	case DMARC_RR_TXT:
		/* character-strings filling the rdata exactly; no strings at
		 * all is taken as an empty record */
		while (i < end) {
			size_t n = m[i];

			if (end - i - 1u < n)
				return false;
			i += 1u + n;
		}
		return true;
	default:
		return true;
	}
}

/* The negative TTL an SOA record gives (RFC 2308 section 5). */
static bool soa_ttl(const unsigned char *m, const struct rr *rr,
    unsigned long *ttl)
{
	size_t i = rr->rdata, end = rr->rdata + rr->rdlen;
	unsigned long minimum;

	if (!skip_name(m, end, &i) || !skip_name(m, end, &i) ||
	    end - i != 20u)
		return false;
	minimum = wire_ttl(get32(m + i + 16u));
	*ttl = wire_ttl(rr->ttl);
	if (minimum < *ttl)
		*ttl = minimum;
	return true;
}

/* Fill answer from the response m of len bytes to a question of type
 * qtype.  The message is checked whole before anything is written. */
static dmarc_status read_response(const unsigned char *m, size_t len,
    unsigned int qtype, dmarc_dns_answer *answer)
{
	unsigned int flags, rcode, qdcount, ancount, nscount, i;
	size_t off, answers;
	unsigned long ttl = 0, neg_ttl = 0, soa;
	bool have_ttl = false, have_soa = false;
	uint32_t matches = 0;
	struct rr rr;

	if (len < DNS_HEADER_SIZE)
		goto malformed;
	flags = get16(m + 2);
	if ((flags & DNS_FLAG_QR) == 0 || (flags >> 11 & 0xfu) !=
	    DNS_OPCODE_QUERY)
		goto malformed;
	if ((flags & DNS_FLAG_TC) != 0) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
		return DMARC_ETRUNCATED;
	}
	rcode = flags & 0xfu;
	if (rcode == DNS_RCODE_SERVFAIL || rcode == DNS_RCODE_REFUSED) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
		return DMARC_OK;
	}
	if (rcode != DNS_RCODE_NOERROR && rcode != DNS_RCODE_NXDOMAIN) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_PERMFAIL, 0);
		return DMARC_OK;
	}
	qdcount = get16(m + 4);
	ancount = get16(m + 6);
	nscount = get16(m + 8);
	off = DNS_HEADER_SIZE;
	for (i = 0; i < qdcount; i++) {
		if (!skip_name(m, len, &off) || len - off < 4u)
			goto malformed;
		off += 4u;
	}
	answers = off;
	for (i = 0; i < ancount; i++) {
		if (!read_rr(m, len, &off, &rr))
			goto malformed;
		/* every record of the section bounds the TTL: a CNAME
		 * leading to the records is part of the answer */
		if (!have_ttl || wire_ttl(rr.ttl) < ttl)
			ttl = wire_ttl(rr.ttl);
		have_ttl = true;
		if (rr.type != qtype || rr.rclass != DNS_CLASS_IN)
			continue;
		if (!rdata_ok(m, &rr))
			goto malformed;
		matches++;
	}
	for (i = 0; i < nscount; i++) {
		if (!read_rr(m, len, &off, &rr))
			goto malformed;
		if (rr.type != DNS_TYPE_SOA || rr.rclass != DNS_CLASS_IN)
			continue;
		if (!soa_ttl(m, &rr, &soa))
			goto malformed;
		if (!have_soa || soa < neg_ttl)
			neg_ttl = soa; /* several SOAs: the least */
		have_soa = true;
	}
	/* the additional section is not needed and not read */

	if (rcode == DNS_RCODE_NXDOMAIN) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_NXDOMAIN, neg_ttl);
		return DMARC_OK;
	}
	if (matches == 0) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_NODATA, neg_ttl);
		return DMARC_OK;
	}
	(void)dmarc_dns_answer_set(answer, DMARC_DNS_RECORDS, ttl);
	if (qtype != DMARC_RR_TXT)
		return DMARC_OK;
	off = answers;
	for (i = 0; i < ancount; i++) {
		if (!read_rr(m, len, &off, &rr))
			break;  /* cannot happen: checked above */
		if (rr.type != qtype || rr.rclass != DNS_CLASS_IN)
			continue;
		/* out of memory is kept in the answer (its nomem flag) */
		(void)dmarc__answer_add_wire_txt(answer, m + rr.rdata,
		    rr.rdlen);
	}
	return DMARC_OK;

malformed:
	(void)dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
	return DMARC_EMESSAGE;
}

DMARC_EXPORT dmarc_status dmarc_dns_answer_parse(dmarc_dns_answer *answer,
    dmarc_rrtype qtype, const unsigned char *msg, size_t len)
{
	if (answer == NULL || msg == NULL)
		return DMARC_EINVAL;
	dmarc__answer_reset(answer, answer->ctx);
	return read_response(msg, len, (unsigned int)qtype, answer);
}

