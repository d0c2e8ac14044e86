/*
 * A table-driven fake resolver for the discovery tests.
 *
 * A zone is an array of struct fake_rr ended by an entry whose name is
 * NULL.  The answer to a question (qname, qtype) is found by these rules,
 * in this order (names are compared exactly: the library asks in lower
 * case without a trailing dot, so write the table that way):
 *
 *  1. Forced outcome.  An entry for (qname, qtype) whose outcome is
 *     DMARC_DNS_NODATA, _NXDOMAIN, _TEMPFAIL or _PERMFAIL gives that
 *     outcome (with the entry's TTL), whatever else is listed there.
 *     FAKE_NO_ANSWER leaves the answer unset (a resolver that forgot to
 *     answer).
 *  2. Records.  Every entry for (qname, qtype) with outcome 0 (or
 *     DMARC_DNS_RECORDS) is one record of the RRset, in table order: for
 *     TXT its txt is added with dmarc_dns_answer_add_txt(); for other
 *     types only the outcome DMARC_DNS_RECORDS is set.  The RRset's TTL is
 *     the smallest of its entries' TTLs.
 *  3. NODATA.  No entry for (qname, qtype), but the name exists: some
 *     entry has qname as its name (any type), or qname is an ancestor of
 *     an entry's name (an empty non-terminal, as in real DNS: RFC 8020).
 *  4. NXDOMAIN otherwise.
 *
 * Negative answers of rules 3 and 4 carry the zone's neg_ttl (the "SOA
 * minimum").  An entry's ttl of 0 means FAKE_DEFAULT_TTL.
 *
 * Every question is logged (name and type, in order), also the ones left
 * unanswered, so a test can compare the exact list of queries.
 *
 * Use:
 *   struct fake_zone z;
 *   fake_zone_init(&z, table);
 *   dmarc_ctx_set_lookup(ctx, fake_lookup, &z);  -- synchronous, or
 *   fake_drive(&z, d);                           -- with the step API
 *   fake_log_text(&z) is "TXT _dmarc.a.example\nA a.example\n" ...
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_FAKE_DNS_H
#define DMARC_TEST_FAKE_DNS_H

#include <stdio.h>
#include <string.h>

#include <dmarc/dmarc.h>

#define FAKE_DEFAULT_TTL 300ul
#define FAKE_DEFAULT_NEG_TTL 60ul
#define FAKE_MAX_LOG 64u
#define FAKE_QNAME_SIZE 520u
/* outcome: leave the answer unset */
#define FAKE_NO_ANSWER (-1)

struct fake_rr {
	const char *name;
	dmarc_rrtype type;
	int outcome;            /* 0 (a record) or a dmarc_dns_outcome */
	const char *txt;        /* TXT data; NULL for other types */
	uint32_t ttl;      /* 0: FAKE_DEFAULT_TTL */
};

struct fake_query {
	char name[FAKE_QNAME_SIZE];
	dmarc_rrtype type;
};

struct fake_zone {
	const struct fake_rr *rrs;
	uint32_t neg_ttl;  /* TTL of NODATA/NXDOMAIN by rules 3 and 4 */
	unsigned int n_log;     /* questions asked (may exceed FAKE_MAX_LOG) */
	struct fake_query log[FAKE_MAX_LOG];
	char text[FAKE_MAX_LOG * (FAKE_QNAME_SIZE + 8)];
};

static inline void fake_zone_init(struct fake_zone *z,
    const struct fake_rr *rrs)
{
	z->rrs = rrs;
	z->neg_ttl = FAKE_DEFAULT_NEG_TTL;
	z->n_log = 0;
	z->text[0] = '\0';
}

/* Forget the questions asked so far. */
static inline void fake_log_clear(struct fake_zone *z)
{
	z->n_log = 0;
}

static inline const char *fake_type_name(dmarc_rrtype t)
{
	switch (t) {
	case DMARC_RR_A:
		return "A";
	case DMARC_RR_AAAA:
		return "AAAA";
	case DMARC_RR_MX:
		return "MX";
	case DMARC_RR_TXT:
		return "TXT";
	}
	return "?";
}

static inline uint32_t fake_ttl(const struct fake_rr *r)
{
	return r->ttl != 0 ? r->ttl : FAKE_DEFAULT_TTL;
}

/* Whether name is a proper ancestor of owner ("b.c" of "a.b.c"). */
static inline int fake_is_ancestor(const char *name, const char *owner)
{
	size_t n = strlen(name), o = strlen(owner);

	return o > n && owner[o - n - 1] == '.' &&
	    strcmp(owner + (o - n), name) == 0;
}

/* Log the question and answer it into a (which may be NULL: only log). */
static inline void fake_answer(struct fake_zone *z, const char *qname,
    dmarc_rrtype qtype, dmarc_dns_answer *a)
{
	const struct fake_rr *r;
	uint32_t ttl = 0;
	int records = 0, exists = 0;

	if (z->n_log < FAKE_MAX_LOG) {
		struct fake_query *q = &z->log[z->n_log];
		snprintf(q->name, sizeof q->name, "%s", qname);
		q->type = qtype;
	}
	z->n_log++;
	if (a == NULL)
		return;
	/* rule 1 */
	for (r = z->rrs; r->name != NULL; r++) {
		if (r->type != qtype || strcmp(r->name, qname) != 0 ||
		    r->outcome == 0 || r->outcome == DMARC_DNS_RECORDS)
			continue;
		if (r->outcome != FAKE_NO_ANSWER)
			dmarc_dns_answer_set(a, (dmarc_dns_outcome)r->outcome,
			    fake_ttl(r));
		return;
	}
	/* rule 2 */
	for (r = z->rrs; r->name != NULL; r++) {
		if (strcmp(r->name, qname) != 0) {
			exists |= fake_is_ancestor(qname, r->name);
			continue;
		}
		exists = 1;
		if (r->type != qtype)
			continue;
		if (records == 0 || fake_ttl(r) < ttl)
			ttl = fake_ttl(r);
		records++;
		if (qtype == DMARC_RR_TXT && r->txt != NULL)
			(void)dmarc_dns_answer_add_txt(a, r->txt, strlen(r->txt));
	}
	if (records != 0)
		dmarc_dns_answer_set(a, DMARC_DNS_RECORDS, ttl);
	else /* rules 3 and 4 */
		dmarc_dns_answer_set(a, exists ? DMARC_DNS_NODATA :
		    DMARC_DNS_NXDOMAIN, z->neg_ttl);
}

/* A dmarc_lookup_fn: user is the struct fake_zone. */
static inline void fake_lookup(void *user, const char *qname,
    dmarc_rrtype qtype, dmarc_dns_answer *answer)
{
	fake_answer((struct fake_zone *)user, qname, qtype, answer);
}

/* Drive a started discovery to the end with the step API, answering
 * every question from the zone; returns the number of questions. */
static inline unsigned int fake_drive(struct fake_zone *z,
    dmarc_discovery *d)
{
	const char *qname;
	dmarc_rrtype qtype;
	unsigned int n = 0;

	while (dmarc_discovery_step(d, &qname, &qtype) == DMARC_STEP_QUERY) {
		fake_answer(z, qname, qtype, dmarc_discovery_get_answer(d));
		if (++n > 10000)
			break; /* a runaway machine: let the test see it */
	}
	return n;
}

/* Questions of one type logged so far. */
static inline unsigned int fake_count(const struct fake_zone *z,
    dmarc_rrtype qtype)
{
	unsigned int i, n = 0;

	for (i = 0; i < z->n_log && i < FAKE_MAX_LOG; i++)
		n += z->log[i].type == qtype;
	return n;
}

/* Questions whose name contains part. */
static inline unsigned int fake_count_name(const struct fake_zone *z,
    const char *part)
{
	unsigned int i, n = 0;

	for (i = 0; i < z->n_log && i < FAKE_MAX_LOG; i++)
		n += strstr(z->log[i].name, part) != NULL;
	return n;
}

/* The log as text: one "TYPE name\n" line per question. */
static inline const char *fake_log_text(struct fake_zone *z)
{
	size_t used = 0;
	unsigned int i;

	z->text[0] = '\0';
	for (i = 0; i < z->n_log && i < FAKE_MAX_LOG; i++) {
		int k = snprintf(z->text + used, sizeof z->text - used, "%s %s\n",
		    fake_type_name(z->log[i].type), z->log[i].name);
		if (k < 0 || (size_t)k >= sizeof z->text - used)
			break;
		used += (size_t)k;
	}
	return z->text;
}

#endif /* DMARC_TEST_FAKE_DNS_H */
