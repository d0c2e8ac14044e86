/*
 * Seeded pseudo-random messages for the aggregate tests, the randomized
 * schema check and the aggregate benchmark: a small zone of policies
 * (every p, sp, np, adkim, aspf, fo, pct, t, ri; records with problems
 * for the error element) and messages evaluated against it with varied
 * sources, envelopes, SPF and DKIM verdicts (several signatures, human
 * results), overrides and arrival times over three days.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_AGG_MESSAGES_H
#define DMARC_TEST_AGG_MESSAGES_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fake-dns.h"

static const struct fake_rr AGG_ZONE[] = {
	{ "_dmarc.example.com", DMARC_RR_TXT, 0,
	    "v=DMARC1; p=reject; rua=mailto:d@example.com", 0 },
	{ "_dmarc.example.org", DMARC_RR_TXT, 0,
	    "v=DMARC1; p=quarantine; sp=none; pct=50; adkim=s; fo=1:d; ri=3600",
	    0 },
	{ "_dmarc.example.net", DMARC_RR_TXT, 0,
	    "v=DMARC1; p=none; t=y; np=reject; aspf=s", 0 },
	{ "_dmarc.odd.example", DMARC_RR_TXT, 0,
	    "v=DMARC1; p=reject; rua=ftp://x; foo=bar; sp=maybe", 0 },
	{ "_dmarc.xn--bcher-kva.example", DMARC_RR_TXT, 0,
	    "v=DMARC1; p=quarantine; fo=s", 0 },
	{ "a.example.com", DMARC_RR_A, 0, NULL, 0 },
	{ NULL, (dmarc_rrtype)0, 0, NULL, 0 }
};

/* xorshift64*: the same messages for the same seed everywhere. */
static inline uint64_t agg_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static inline unsigned int agg_pick(uint64_t *s, unsigned int n)
{
	return (unsigned int)(agg_rand(s) % n);
}

static const char *const AGG_DOMAINS[] = {
	"example.com", "a.example.com", "nx.example.com", "example.org",
	"b.example.org", "example.net", "nope.example.net", "odd.example",
	"xn--bcher-kva.example", "unrelated.example"
};
static const dmarc_verdict AGG_VERDICTS[] = {
	DMARC_VERDICT_PASS, DMARC_VERDICT_PASS, DMARC_VERDICT_FAIL,
	DMARC_VERDICT_SOFTFAIL, DMARC_VERDICT_NEUTRAL, DMARC_VERDICT_NONE,
	DMARC_VERDICT_TEMPERROR, DMARC_VERDICT_PERMERROR, DMARC_VERDICT_POLICY
};
#define AGG_COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* 2024-06-10 00:00:00 UTC */
#define AGG_DAY0 1717977600u

static inline const char *agg_domain(uint64_t *s)
{
	return AGG_DOMAINS[agg_pick(s, AGG_COUNT(AGG_DOMAINS))];
}

static inline dmarc_verdict agg_verdict(uint64_t *s)
{
	return AGG_VERDICTS[agg_pick(s, AGG_COUNT(AGG_VERDICTS))];
}

static inline void agg_source(dmarc_eval *ev, uint64_t *s)
{
	char ip[64];
	unsigned int k = agg_pick(s, 8);

	if (k < 5)
		snprintf(ip, sizeof ip, "192.0.2.%u", k * 7);
	else if (k < 7)
		snprintf(ip, sizeof ip, "2001:db8::%x", k);
	else
		snprintf(ip, sizeof ip, "2001:db8:0:1:2:3:4:%x", k);
	dmarc_eval_set_ip(ev, ip, strlen(ip));
}

static inline void agg_auth(dmarc_eval *ev, uint64_t *s, const char *from)
{
	static const char *const humans[] = { "", "good signature",
	    "bad <sig> & \"stuff\"", "body hash did not verify" };
	unsigned int n = agg_pick(s, 4), i;

	if (agg_pick(s, 5) != 0) {
		const char *d = agg_pick(s, 2) ? from : agg_domain(s);
		dmarc_eval_set_spf(ev, agg_verdict(s), d, strlen(d),
		    agg_pick(s, 6) == 0 ? DMARC_SPF_HELO : DMARC_SPF_MAILFROM);
	}
	for (i = 0; i < n; i++) {
		const char *d = agg_pick(s, 2) ? from : agg_domain(s);
		const char *sel = agg_pick(s, 2) ? "s1" : "sel-2024";
		const char *h = humans[agg_pick(s, AGG_COUNT(humans))];
		dmarc_eval_add_dkim(ev, agg_verdict(s), d, strlen(d), sel,
		    strlen(sel));
		if (h[0] != '\0')
			dmarc_eval_set_dkim_human_result(ev, i, h, strlen(h));
	}
}

/* Evaluate message number i of a stream (its own state, so any message
 * can be made alone): DMARC_OK when it ran. */
static inline dmarc_status agg_message(dmarc_eval *ev, uint64_t seed,
    uint64_t i)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + i * 2654435761ull + 1;
	const char *from = agg_domain(&s), *env;
	char field[300];
	dmarc_status st;

	agg_rand(&s);
	dmarc_eval_reset(ev);
	snprintf(field, sizeof field, "Someone <x@%s>", from);
	dmarc_eval_add_from(ev, field, strlen(field));
	agg_source(ev, &s);
	env = agg_pick(&s, 4) == 0 ? "" : from;
	if (agg_pick(&s, 5) != 0)
		dmarc_eval_set_envelope_from(ev, env, strlen(env));
	if (agg_pick(&s, 3) == 0)
		dmarc_eval_set_envelope_to(ev, "receiver.example", 16);
	agg_auth(ev, &s, from);
	dmarc_eval_set_time(ev, AGG_DAY0 + agg_rand(&s) % (3 * 86400u));
	st = dmarc_eval_run(ev);
	if (st == DMARC_OK && agg_pick(&s, 10) == 0)
		dmarc_eval_override(ev, DMARC_DISPOSITION_NONE,
		    agg_pick(&s, 2) ? DMARC_REASON_MAILING_LIST :
		    DMARC_REASON_LOCAL_POLICY,
		    agg_pick(&s, 2) ? "list <x> & co" : NULL);
	return st;
}

#endif /* DMARC_TEST_AGG_MESSAGES_H */
