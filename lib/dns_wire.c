/*
 * libdmarc - reading a DNS response message (RFC 1035 section 4) into an
 * answer: the header, the question skipped, the records of the asked type
 * (TXT strings joined per record), TTLs (RFC 2181 section 8) and the
 * negative TTL of the SOA (RFC 2308 section 5).  Only records owned by
 * the question name, or by the end of the CNAME chain the answer section
 * gives for it, are the answer (RFC 1034 4.3.2); a question other than
 * the one asked makes the message malformed.  The whole message is
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
#define DNS_TYPE_CNAME 5u
#define DNS_TYPE_SOA 6u
#define DNS_MAX_NAME 255u
#define DNS_MAX_JUMPS 64u   /* compression pointers in one name */
#define DNS_MAX_CHAIN 8u    /* CNAME links followed */

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
static uint32_t wire_ttl(uint32_t ttl)
{
	return ttl > 0x7fffffffu ? 0u : ttl; /* RFC 2181 8 */
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

/* A domain name in wire form with its labels lower-cased and any
 * compression expanded, so two names compare with memcmp. */
struct wire_name {
	unsigned char b[DNS_MAX_NAME];
	size_t len;
};

static bool same_name(const struct wire_name *a, const struct wire_name *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* Read the name at off, following compression pointers; each must point
 * before itself, and their number is capped, so a loop ends. */
static bool read_name(const unsigned char *m, size_t len, size_t off,
    struct wire_name *out)
{
	size_t i = off, n = 0, k;
	unsigned int jumps = 0;

	for (;;) {
		unsigned int c;

		if (i >= len)
			return false;
		c = m[i];
		if ((c & 0xc0u) == 0xc0u) {
			size_t target;

			if (len - i < 2u || ++jumps > DNS_MAX_JUMPS)
				return false;
			target = (size_t)(c & 0x3fu) << 8 | (size_t)m[i + 1u];
			if (target >= i)
				return false;
			i = target;
			continue;
		}
		if ((c & 0xc0u) != 0 || n + 1u + c > DNS_MAX_NAME ||
		    len - i - 1u < c)
			return false;
		out->b[n++] = (unsigned char)c;
		if (c == 0) {
			out->len = n;
			return true;
		}
		for (k = 0; k < c; k++)
			out->b[n++] = dmarc__lower(m[i + 1u + k]);
		i += 1u + c;
	}
}

/* The wire form of a question name as the library writes it (dotted,
 * no trailing dot; "" is the root). */
static bool text_name(const char *text, struct wire_name *out)
{
	size_t n = 0, k, i;

	while (*text != '\0') {
		k = strcspn(text, ".");
		if (k == 0 || k > 63u || n + 2u + k > DNS_MAX_NAME)
			return false;
		out->b[n++] = (unsigned char)k;
		for (i = 0; i < k; i++)
			out->b[n++] = dmarc__lower((unsigned char)text[i]);
		text += k;
		if (*text == '.' && *++text == '\0')
			return false; /* a trailing dot is not how names come */
	}
	out->b[n++] = 0;
	out->len = n;
	return true;
}

struct rr {
	uint16_t type, rclass;
	uint32_t ttl;
	size_t owner, rdata, rdlen;
};

/* Read the resource record at *off and step over it. */
static bool read_rr(const unsigned char *m, size_t len, size_t *off,
    struct rr *rr)
{
	size_t i = *off;

	rr->owner = i;
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
    uint32_t *ttl)
{
	size_t i = rr->rdata, end = rr->rdata + rr->rdlen;
	uint32_t minimum;

	if (!skip_name(m, end, &i) || !skip_name(m, end, &i) ||
	    end - i != 20u)
		return false;
	minimum = wire_ttl(get32(m + i + 16u));
	*ttl = wire_ttl(rr->ttl);
	if (minimum < *ttl)
		*ttl = minimum;
	return true;
}

/* A response, checked whole: where its sections begin and what they say. */
struct response {
	const unsigned char *m;
	size_t len;
	unsigned int qtype, ancount;
	size_t answers;             /* offset of the answer section */
	struct wire_name owner;     /* of the records wanted: the question
	                               name or the end of its CNAME chain */
	uint32_t ttl, neg_ttl;
	uint32_t matches;           /* records of qtype owned by owner */
};

/* Is rr of type at the wanted owner name?  A malformed name is not. */
static bool owned(const struct response *r, const struct rr *rr,
    unsigned int type)
{
	struct wire_name name;

	return rr->type == type && rr->rclass == DNS_CLASS_IN &&
	    read_name(r->m, r->len, rr->owner, &name) &&
	    same_name(&name, &r->owner);
}

/* The question section: exactly the question asked (RFC 1035 7.3). */
static bool read_question(struct response *r, const char *asked,
    size_t *off)
{
	struct wire_name want;
	size_t i = *off;

	if (get16(r->m + 4) != 1u || !read_name(r->m, r->len, i, &r->owner) ||
	    !skip_name(r->m, r->len, &i) || r->len - i < 4u ||
	    get16(r->m + i) != r->qtype || get16(r->m + i + 2u) != DNS_CLASS_IN)
		return false;
	*off = i + 4u;
	return asked == NULL || (text_name(asked, &want) &&
	    same_name(&want, &r->owner));
}

/* Follow the CNAME chain in the answer section from the question name:
 * records owned by any other name are not part of the answer. */
static bool follow_cnames(struct response *r)
{
	unsigned int links, i;
	struct rr rr;

	for (links = 0; links <= DNS_MAX_CHAIN; links++) {
		size_t off = r->answers;
		for (i = 0; i < r->ancount; i++) {
			if (!read_rr(r->m, r->len, &off, &rr))
				return false;
			if (owned(r, &rr, DNS_TYPE_CNAME))
				break;
		}
		if (i == r->ancount)
			return true; /* the chain ends here */
		if (!read_name(r->m, rr.rdata + rr.rdlen, rr.rdata, &r->owner))
			return false;
	}
	return false; /* too long, or a loop */
}

/* The answer and authority sections: records well formed, TTLs, the
 * records wanted counted, the SOA's negative TTL. */
static bool read_sections(struct response *r, size_t off)
{
	bool have_ttl = false, have_soa = false;
	uint32_t soa;
	unsigned int i;
	struct rr rr;

	r->answers = off;
	for (i = 0; i < r->ancount; i++) {
		if (!read_rr(r->m, r->len, &off, &rr))
			return false;
		/* every record of the section bounds the TTL: a CNAME
		 * leading to the records is part of the answer */
		if (!have_ttl || wire_ttl(rr.ttl) < r->ttl)
			r->ttl = wire_ttl(rr.ttl);
		have_ttl = true;
		if (rr.type == r->qtype && rr.rclass == DNS_CLASS_IN &&
		    !rdata_ok(r->m, &rr))
			return false;
	}
	for (i = 0; i < get16(r->m + 8); i++) {
		if (!read_rr(r->m, r->len, &off, &rr))
			return false;
		if (rr.type != DNS_TYPE_SOA || rr.rclass != DNS_CLASS_IN)
			continue;
		if (!soa_ttl(r->m, &rr, &soa))
			return false;
		if (!have_soa || soa < r->neg_ttl)
			r->neg_ttl = soa; /* several SOAs: the least */
		have_soa = true;
	}
	/* the additional section is not needed and not read */
	if (!follow_cnames(r))
		return false;
	off = r->answers;
	for (i = 0; i < r->ancount; i++) {
		(void)read_rr(r->m, r->len, &off, &rr); /* checked above */
		r->matches += owned(r, &rr, r->qtype);
	}
	return true;
}

/* Hand the TXT records wanted to the answer. */
static dmarc_status add_txt(const struct response *r,
    dmarc_dns_answer *answer)
{
	size_t off = r->answers;
	unsigned int i;
	struct rr rr;

	for (i = 0; i < r->ancount; i++) {
		(void)read_rr(r->m, r->len, &off, &rr); /* checked before */
		if (owned(r, &rr, DMARC_RR_TXT))
			(void)dmarc__answer_add_wire_txt(answer, r->m + rr.rdata,
			    rr.rdlen);
	}
	/* out of memory is not "no record": the caller must know */
	return answer->nomem ? DMARC_ENOMEM : DMARC_OK;
}

/* Fill answer from the response m of len bytes to a question of type
 * qtype.  The message is checked whole before anything is written. */
static dmarc_status read_response(const unsigned char *m, size_t len,
    unsigned int qtype, dmarc_dns_answer *answer)
{
	struct response r = { .m = m, .len = len, .qtype = qtype };
	unsigned int flags, rcode;
	size_t off = DNS_HEADER_SIZE;

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
		/* FORMERR, NOTIMP and the rest: no answer about the name */
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_PERMFAIL, 0);
		return DMARC_OK;
	}
	r.ancount = get16(m + 6);
	if (!read_question(&r, answer->qname, &off) || !read_sections(&r, off))
		goto malformed;
	if (rcode == DNS_RCODE_NXDOMAIN) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_NXDOMAIN, r.neg_ttl);
		return DMARC_OK;
	}
	if (r.matches == 0) {
		(void)dmarc_dns_answer_set(answer, DMARC_DNS_NODATA, r.neg_ttl);
		return DMARC_OK;
	}
	(void)dmarc_dns_answer_set(answer, DMARC_DNS_RECORDS, r.ttl);
	return qtype == DMARC_RR_TXT ? add_txt(&r, answer) : DMARC_OK;

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

