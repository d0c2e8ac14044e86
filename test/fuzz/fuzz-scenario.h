/*
 * A whole evaluation scenario read from a fuzzer's input, shared by
 * fuzz-eval-multi and fuzz-alloc: the context's mode, options and limits,
 * the message's inputs as a list of calls (From fields, SPF and DKIM
 * verdicts, Authentication-Results fields, envelope sender) and a DNS
 * zone that answers every question the same way each time it is asked,
 * directly or as a wire-format response.
 *
 * Input: 4 configuration bytes (see configure()), then items, each a
 * kind byte and its data (see read_item()).  Lines end at '\n'; in
 * header field values a '\r' stands for a CRLF fold.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_FUZZ_SCENARIO_H
#define DMARC_FUZZ_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fuzz-input.h"

#define SC_MAX_CALLS 48
#define SC_MAX_ZONE 24
#define SC_MAX_TXT 3
#define SC_FIELD_SIZE 8192

enum call_kind { CALL_FROM, CALL_SPF, CALL_DKIM, CALL_AR_TRUSTED,
	CALL_AR_RAW, CALL_ENVELOPE, CALL_DKIM_BURST };

struct call {
	enum call_kind kind;
	int v;                  /* verdict byte, or burst count */
	const char *s;
	size_t n;
};

struct zone_entry {
	const char *name;
	size_t len;
	int flags;              /* 1: also "_dmarc." + name; 2: wire */
	dmarc_dns_outcome outcome;
	uint32_t ttl;
	int split;              /* TXT character-string size on the wire */
	const char *txt[SC_MAX_TXT];
	size_t txt_len[SC_MAX_TXT];
	int n_txt;
};

struct scenario {
	dmarc_mode mode;
	unsigned int parse_options, eval_options;
	size_t from_domains, dkim, queries, record_length;
	size_t asked;           /* questions the lookup function answered */
	bool cache;
	bool reverse;           /* Authentication-Results in reverse too */
	uint32_t random;
	const char *author;     /* for a discovery of its own */
	size_t author_len;
	struct call calls[SC_MAX_CALLS + 1];   /* the last: a scratch slot */
	size_t n_calls;
	struct zone_entry zone[SC_MAX_ZONE + 1];
	size_t n_zone;
	bool parse_nomem;       /* a wire parse said ENOMEM */
};

static void read_config(struct scenario *sc, struct input *in)
{
	static const size_t dkims[] = { 1, 2, 4, 16, 64 };
	static const size_t queries[] = { 8, 32, 1024 };
	static const size_t lengths[] = { 0, 64, 65535 };
	int b0 = take(in), b1 = take(in), b2 = take(in), b3 = take(in);

	b0 = b0 < 0 ? 0 : b0;
	b1 = b1 < 0 ? 0 : b1;
	b2 = b2 < 0 ? 0 : b2;
	sc->mode = (dmarc_mode)(b0 % 3);
	sc->parse_options = (unsigned int)(b0 / 3 % 8);
	sc->eval_options = (unsigned int)(b1 & 3);
	sc->cache = (b1 & 4) != 0;
	sc->reverse = (b1 & 64) != 0;
	sc->from_domains = 1u + (size_t)(b1 >> 3) % 8u;
	sc->dkim = dkims[b2 % 5];
	sc->queries = queries[b2 / 5 % 3];
	sc->record_length = lengths[b2 / 15 % 3];
	sc->random = (uint32_t)(b3 < 0 ? 0 : b3) * 0x1010101u;
}

static void read_zone_entry(struct scenario *sc, struct input *in)
{
	struct zone_entry *z = &sc->zone[sc->n_zone];
	int f = take(in), o, t, i;

	z->name = NULL;
	z->len = take_line(in, &z->name);
	o = take(in);
	t = take(in);
	z->flags = f < 0 ? 1 : f & 3;
	z->split = f < 0 ? 255 : 1 + (f >> 2) % 64 * 4;
	z->outcome = (dmarc_dns_outcome)(1 + (o < 0 ? 0 : o % 5));
	z->ttl = t < 0 ? 60 : (uint32_t)t;
	z->n_txt = o < 0 ? 0 : o / 5 % (SC_MAX_TXT + 1);
	for (i = 0; i < z->n_txt; i++)
		z->txt_len[i] = take_line(in, &z->txt[i]);
	if (sc->n_zone < SC_MAX_ZONE)
		sc->n_zone++;
}

/* One item; false at the end of the input. */
static bool read_item(struct scenario *sc, struct input *in)
{
	int k = take(in);
	struct call *c = &sc->calls[sc->n_calls];

	if (k < 0)
		return false;
	if (k % 8 == 7) {
		read_zone_entry(sc, in);
		return true;
	}
	c->kind = (enum call_kind)(k % 8);
	c->v = (c->kind == CALL_SPF || c->kind == CALL_DKIM ||
	    c->kind == CALL_DKIM_BURST) ? take(in) : 0;
	if (c->v < 0)
		c->v = 0;
	c->n = take_line(in, &c->s);
	if (sc->n_calls < SC_MAX_CALLS)
		sc->n_calls++;
	return true;
}

/* The config bytes, an Author Domain line (for a discovery of its own),
 * then items. */
static void read_scenario(struct scenario *sc, const uint8_t *data,
    size_t size)
{
	struct input in = { data, size };

	memset(sc, 0, sizeof *sc);
	read_config(sc, &in);
	sc->author_len = take_line(&in, &sc->author);
	while (read_item(sc, &in))
		;
}

/* ---- the zone ---- */

static const struct zone_entry *sc_find(const struct scenario *sc,
    const char *qname)
{
	size_t i, qlen = strlen(qname);

	for (i = 0; i < sc->n_zone; i++) {
		const struct zone_entry *z = &sc->zone[i];
		if (z->len == qlen && memcmp(z->name, qname, qlen) == 0)
			return z;
		if ((z->flags & 1) && qlen == z->len + 7 &&
		    memcmp(qname, "_dmarc.", 7) == 0 &&
		    memcmp(qname + 7, z->name, z->len) == 0)
			return z;
	}
	return NULL;
}

static size_t put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t put32(uint8_t *p, unsigned long v)
{
	put16(p, (unsigned int)(v >> 16 & 0xffff));
	put16(p + 2, (unsigned int)(v & 0xffff));
	return 4;
}

/* A question name as the library asks it: dotted, valid labels. */
static size_t put_name(uint8_t *p, const char *name)
{
	size_t o = 0;

	while (*name != '\0') {
		const char *dot = strchr(name, '.');
		size_t l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		p[o++] = (uint8_t)l;
		memcpy(p + o, name, l);
		o += l;
		name += l + (dot != NULL);
	}
	p[o++] = 0;
	return o;
}

/* One answer record (owner: the question, by pointer) with its rdata
 * split into character-strings of z->split bytes for TXT. */
static size_t put_rr(uint8_t *p, const struct zone_entry *z,
    dmarc_rrtype qtype, int i)
{
	size_t o = 0, rd, k;

	o += put16(p + o, 0xc00c);
	o += put16(p + o, qtype);
	o += put16(p + o, 1);
	o += put32(p + o, z->ttl);
	rd = o;
	o += 2;
	if (qtype != DMARC_RR_TXT) { /* an address, or MX 0 "." */
		k = qtype == DMARC_RR_AAAA ? 16 : qtype == DMARC_RR_A ? 4 : 3;
		memset(p + o, 0, k);
		o += k;
	} else {
		for (k = 0; k == 0 || k < z->txt_len[i]; k += (size_t)z->split) {
			size_t n = z->txt_len[i] - k < (size_t)z->split ?
			    z->txt_len[i] - k : (size_t)z->split;
			p[o++] = (uint8_t)n;
			memcpy(p + o, z->txt[i] + k, n);
			o += n;
		}
	}
	put16(p + rd, (unsigned int)(o - rd - 2));
	return o;
}

/* The response message for an entry: the RCODE of its outcome, its
 * records, a SOA with its TTL as minimum for a negative answer. */
static size_t sc_wire(uint8_t *p, const struct zone_entry *z,
    const char *qname, dmarc_rrtype qtype)
{
	static const uint8_t rcodes[] = { 0, 0, 0, 3, 2, 5 };
	int i, n = z->outcome != DMARC_DNS_RECORDS ? 0 :
	    qtype == DMARC_RR_TXT ? z->n_txt : 1;
	bool neg = z->outcome == DMARC_DNS_NODATA ||
	    z->outcome == DMARC_DNS_NXDOMAIN;
	size_t o = 0;

	o += put16(p + o, 0x1234);
	o += put16(p + o, 0x8180u | rcodes[z->outcome]);
	o += put16(p + o, 1);
	o += put16(p + o, (unsigned int)n);
	o += put16(p + o, neg ? 1 : 0);
	o += put16(p + o, 0);
	o += put_name(p + o, qname);
	o += put16(p + o, qtype);
	o += put16(p + o, 1);
	for (i = 0; i < n; i++)
		o += put_rr(p + o, z, qtype, i);
	if (neg) {
		o += put16(p + o, 0xc00c);
		o += put16(p + o, 6);
		o += put16(p + o, 1);
		o += put32(p + o, z->ttl);
		o += put16(p + o, 22);
		p[o++] = 0;
		p[o++] = 0;
		for (i = 0; i < 4; i++)
			o += put32(p + o, 1);
		o += put32(p + o, z->ttl);
	}
	return o;
}

static void sc_answer_wire(struct scenario *sc, const struct zone_entry *z,
    const char *qname, dmarc_rrtype qtype, dmarc_dns_answer *a)
{
	static uint8_t msg[600 + SC_MAX_TXT * (2 * 65536 + 16) + 64];
	size_t len, total = 0;
	dmarc_status st;
	int i;

	for (i = 0; i < z->n_txt; i++)
		total += z->txt_len[i];
	if (total > 65535) { /* more than a message holds */
		dmarc_dns_answer_set(a, DMARC_DNS_TEMPFAIL, 0);
		return;
	}
	len = sc_wire(msg, z, qname, qtype);
	st = dmarc_dns_answer_parse(a, qtype, msg, len);

	if (st == DMARC_ENOMEM)
		sc->parse_nomem = true;
	else if (st != DMARC_OK)
		abort(); /* a well-formed response refused */
}

/* The lookup function: the first entry for the name, else NXDOMAIN. */
static void sc_lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *a)
{
	struct scenario *sc = user;
	const struct zone_entry *z = sc_find(sc, qname);
	int i;

	sc->asked++;
	if (z == NULL) {
		dmarc_dns_answer_set(a, DMARC_DNS_NXDOMAIN, 300);
		return;
	}
	if (z->flags & 2) {
		sc_answer_wire(sc, z, qname, qtype, a);
		return;
	}
	if (z->outcome == DMARC_DNS_RECORDS && qtype == DMARC_RR_TXT)
		for (i = 0; i < z->n_txt; i++)
			if (dmarc_dns_answer_add_txt(a, z->txt[i], z->txt_len[i]) ==
			    DMARC_ENOMEM)
				sc->parse_nomem = true;
	dmarc_dns_answer_set(a, z->outcome, z->ttl);
}

/* ---- the context and the calls ---- */

static uint64_t sc_clock(void *user)
{
	(void)user;
	return 1000000u; /* still: no deadline passes, no entry expires */
}

static uint32_t sc_random(void *user)
{
	return ((const struct scenario *)user)->random;
}

static dmarc_status sc_configure(dmarc_ctx *ctx, struct scenario *sc)
{
	static const char psl[] = "com\norg\nnet\nexample\nco.uk\n*.ck\n"
	    "!www.ck\n// ===BEGIN PRIVATE DOMAINS===\nblogspot.com\n";

	dmarc_ctx_set_mode(ctx, sc->mode);
	dmarc_ctx_set_parse_options(ctx, sc->parse_options);
	dmarc_ctx_set_eval_options(ctx, sc->eval_options);
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_FROM_DOMAINS, sc->from_domains);
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_DKIM_SIGNATURES, sc->dkim);
	/* cached answers are free: with a cache, a budget would differ
	 * between two runs */
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_EVAL_QUERIES,
	    sc->cache ? 1024 : sc->queries);
	if (sc->record_length != 0)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
		    sc->record_length);
	dmarc_ctx_set_clock(ctx, sc_clock, NULL);
	dmarc_ctx_set_random(ctx, sc_random, sc);
	dmarc_ctx_set_lookup(ctx, sc_lookup, sc);
	dmarc_ctx_add_psd(ctx, "example");
	if (sc->cache)
		dmarc_ctx_set_cache(ctx, 16);
	if (dmarc_ctx_load_psl_buffer(ctx, psl, sizeof psl - 1) != DMARC_OK)
		return DMARC_ENOMEM;
	return dmarc_ctx_add_authserv_id(ctx, "mx.example");
}

/* A header field value: an optional prefix, then the line with each
 * '\r' made a CRLF fold. */
static size_t sc_field(char *out, const char *prefix, const char *s,
    size_t n)
{
	size_t o = strlen(prefix), i;

	memcpy(out, prefix, o);
	for (i = 0; i < n && o < SC_FIELD_SIZE - 2; i++) {
		out[o++] = s[i];
		if (s[i] == '\r')
			out[o++] = '\n';
	}
	return o;
}

static dmarc_status sc_dkim(dmarc_eval *ev, int v, const char *d, size_t n,
    int sel)
{
	static const char *const sels[] = { "s1", "s2", "S1", NULL };
	const char *s = sels[sel % 4];

	return dmarc_eval_add_dkim(ev, (dmarc_verdict)(1 + v % 8), d, n, s,
	    s != NULL ? strlen(s) : 0);
}

/* A burst of signatures of one domain (more than any limit keeps). */
static dmarc_status sc_burst(dmarc_eval *ev, int v, const char *d, size_t n)
{
	dmarc_status st, worst = DMARC_OK;
	int i;

	for (i = 0; i <= v % 80; i++) {
		char sel[3] = { 's', (char)('a' + i % 26), (char)('a' + i / 26) };
		st = dmarc_eval_add_dkim(ev, (dmarc_verdict)(1 + (v + i) % 8),
		    d, n, sel, sizeof sel);
		if (st != DMARC_OK)
			worst = st;
	}
	return worst;
}

static dmarc_status sc_call(dmarc_eval *ev, const struct call *c)
{
	static char field[SC_FIELD_SIZE];
	size_t n;

	switch (c->kind) {
	case CALL_FROM:
		n = sc_field(field, "", c->s, c->n);
		return dmarc_eval_add_from(ev, field, n);
	case CALL_SPF:
		return dmarc_eval_set_spf(ev, (dmarc_verdict)(1 + c->v % 8), c->s,
		    c->n, c->v & 8 ? DMARC_SPF_HELO : DMARC_SPF_MAILFROM);
	case CALL_DKIM:
		return sc_dkim(ev, c->v, c->s, c->n, c->v >> 3);
	case CALL_AR_TRUSTED:
		n = sc_field(field, "mx.example; ", c->s, c->n);
		return dmarc_eval_add_authres(ev, field, n, NULL);
	case CALL_AR_RAW:
		n = sc_field(field, "", c->s, c->n);
		return dmarc_eval_add_authres(ev, field, n, NULL);
	case CALL_ENVELOPE:
		return dmarc_eval_set_envelope_from(ev, c->s, c->n);
	default:
		return sc_burst(ev, c->v, c->s, c->n);
	}
}

static bool is_ar(const struct call *c)
{
	return c->kind == CALL_AR_TRUSTED || c->kind == CALL_AR_RAW;
}

/* Every call in order, the Authentication-Results fields in reverse
 * order when asked (in the same places); DMARC_ENOMEM when any call
 * said so. */
static dmarc_status sc_apply(dmarc_eval *ev, const struct scenario *sc,
    bool reverse)
{
	size_t i, j = 0, n_ar = 0;
	dmarc_status worst = DMARC_OK;

	for (i = 0; i < sc->n_calls; i++)
		n_ar += is_ar(&sc->calls[i]);
	for (i = 0; i < sc->n_calls; i++) {
		const struct call *c = &sc->calls[i];
		size_t k;
		if (is_ar(c) && reverse) {
			size_t want = n_ar - 1 - j++, seen = 0;
			for (k = 0; k < sc->n_calls; k++)
				if (is_ar(&sc->calls[k]) && seen++ == want)
					break;
			c = &sc->calls[k];
		}
		if (sc_call(ev, c) == DMARC_ENOMEM)
			worst = DMARC_ENOMEM;
	}
	return worst;
}

/* What an evaluation came to, for comparing two runs. */
struct sc_outcome {
	dmarc_status status;
	dmarc_result result;
	dmarc_disposition disposition;
	dmarc_policy requested;
	dmarc_alignment_result spf, dkim;
	size_t dropped;         /* DKIM signatures over the limit */
	size_t n_diags;         /* the evaluation's own diagnostics */
	char author[256], policy_domain[256], org[256];
};

static void sc_copy(char *dst, const char *src)
{
	size_t n = src != NULL ? strlen(src) : 0;

	if (n > 255)
		abort(); /* no domain is that long */
	memcpy(dst, src != NULL ? src : "", n);
	dst[n] = '\0';
}

/* Every diagnostic of the evaluation is a known code about a place in
 * one of its inputs (none is longer than a field). */
static size_t sc_diags(const dmarc_eval *ev)
{
	size_t i, n = dmarc_eval_get_diag_count(ev);

	for (i = 0; i < n; i++) {
		const dmarc_diag *g = dmarc_eval_get_diag(ev, i);
		dmarc_severity sev = dmarc_diag_get_severity(g);
		if (dmarc_diag_get_code(g) == DMARC_DIAG_NONE ||
		    strcmp(dmarc_diag_get_name(g), "unknown") == 0 ||
		    (sev != DMARC_SEVERITY_ERROR &&
		    sev != DMARC_SEVERITY_WARNING) ||
		    dmarc_diag_get_offset(g) > SC_FIELD_SIZE ||
		    dmarc_diag_get_length(g) > SC_FIELD_SIZE ||
		    dmarc_diag_get_tag(g) != NULL)
			abort();
	}
	if (dmarc_eval_get_diag(ev, n) != NULL)
		abort();
	return n;
}

static void sc_outcome(const dmarc_eval *ev, dmarc_status st,
    struct sc_outcome *o)
{
	const dmarc_discovery *d = dmarc_eval_get_discovery(ev);

	memset(o, 0, sizeof *o);
	o->status = st;
	o->result = dmarc_eval_get_result(ev);
	o->disposition = dmarc_eval_get_disposition(ev);
	o->requested = dmarc_eval_get_requested_policy(ev);
	o->spf = dmarc_eval_get_spf_alignment(ev);
	o->dkim = dmarc_eval_get_dkim_alignment(ev);
	o->dropped = dmarc_eval_get_dkim_dropped(ev);
	o->n_diags = sc_diags(ev);
	sc_copy(o->author, dmarc_eval_get_author_domain(ev));
	sc_copy(o->policy_domain, dmarc_discovery_get_policy_domain(d));
	sc_copy(o->org, dmarc_discovery_get_org_domain(d));
}

static bool sc_same(const struct sc_outcome *a, const struct sc_outcome *b)
{
	return a->status == b->status && a->result == b->result &&
	    a->disposition == b->disposition && a->requested == b->requested &&
	    a->spf == b->spf && a->dkim == b->dkim &&
	    a->n_diags == b->n_diags && strcmp(a->author, b->author) == 0 &&
	    strcmp(a->policy_domain, b->policy_domain) == 0 &&
	    strcmp(a->org, b->org) == 0;
}

#endif /* DMARC_FUZZ_SCENARIO_H */
