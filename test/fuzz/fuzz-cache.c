/*
 * Fuzz target for the DNS answer cache (lib/cache.c), driven by a
 * sequence of operations read from the input: puts of answers with
 * fuzzed names, types, outcomes, counts, TTLs and texts up to 64 KiB,
 * gets, and a clock moving both ways, under small entry counts, byte
 * budgets and TTL ceilings.  A model of what was last stored per key
 * checks every hit: the same outcome, counts and text, and only while
 * now < put time + min(ttl, ceiling).  The cache never holds more bytes
 * than its budget; ASan finds the leaks.
 *
 * Input: entries byte, budget byte, ceiling byte, clock byte, then
 * operations (see step()).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns_int.h"
#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_NAMES 12  /* 8 fixed names, 4 slots named from the input */
#define N_KEYS (N_NAMES * 4)
#define N_RENAMES 16
#define N_MODELS ((8 + 4 + N_RENAMES) * 4)

static const char *const fixed[8] = { "_dmarc.example.com", "example.com",
	"_dmarc.a.example.com", "a.example.com", "_dmarc.com", "com",
	"x._report._dmarc.example.net", "" };
static const dmarc_rrtype types[4] = { DMARC_RR_TXT, DMARC_RR_A,
	DMARC_RR_AAAA, DMARC_RR_MX };

/* What the last storable put of a key holds; a text is either in the
 * input (ptr) or made by gen() from a seed. */
struct model {
	const char *name;           /* the key: name and type */
	dmarc_rrtype type;
	bool set;
	dmarc_dns_outcome outcome;
	uint32_t n_txt, n_dmarc;
	const char *ptr;
	int seed;
	size_t len;
	uint64_t expiry, ttl;
};

struct run {
	struct input in;
	dmarc_ctx *ctx;
	struct dmarc_cache *cache;
	uint64_t now;
	char names[4 + N_RENAMES][DMARC_QNAME_SIZE + 8];
	int slot[4];                /* the name each slot has now */
	int renames;
	struct model models[N_MODELS];
	size_t n_models;
	dmarc_dns_answer out;
};

/* Made texts: 64 KiB of a pattern, from an offset (the seed). */
static char gen_buf[65536 + 256];

static const char *gen(int seed)
{
	size_t i;

	if (gen_buf[1] == 0)
		for (i = 0; i < sizeof gen_buf; i++)
			gen_buf[i] = (char)(i * 7 + 1);
	return gen_buf + seed;
}

static const char *name_of(struct run *r, int k)
{
	return k % N_NAMES < 8 ? fixed[k % N_NAMES] :
	    r->names[r->slot[k % N_NAMES - 8]];
}

/* The model of key k: by its name's text, as the cache keys it (two
 * slots may hold the same name). */
static struct model *model_of(struct run *r, int k)
{
	const char *name = name_of(r, k);
	dmarc_rrtype type = types[k / N_NAMES];
	size_t i;

	for (i = 0; i < r->n_models; i++)
		if (r->models[i].type == type &&
		    strcmp(r->models[i].name, name) == 0)
			return &r->models[i];
	if (r->n_models == N_MODELS)
		abort(); /* cannot happen: bounded names */
	r->models[i] = (struct model){ .name = name, .type = type };
	r->n_models++;
	return &r->models[i];
}

static uint32_t ttl_of(int b)
{
	static const uint32_t big[] = { 3600, 86400, 604800, 604801,
		UINT32_C(1) << 31, UINT32_MAX - 1, UINT32_MAX };

	return b < 200 ? (uint32_t)b : big[(b - 200) % 7];
}

/* Put an answer for key k; the text comes from the input or gen(). */
static void put(struct run *r, int k, bool from_input)
{
	int o = take(&r->in), t = take(&r->in), c = take(&r->in);
	int l0 = take(&r->in), l1 = take(&r->in);
	dmarc_dns_answer a;
	struct model m = { .set = true }, *old;
	uint64_t ceiling = r->ctx->max_cache_ttl;

	dmarc__answer_init(&a, r->ctx);
	a.outcome = (dmarc_dns_outcome)(1 + (o < 0 ? 0 : o % 5));
	a.ttl = ttl_of(t < 0 ? 0 : t);
	a.n_txt = c < 0 ? 0 : (uint32_t)c % 4;
	a.n_dmarc = c < 0 ? 0 : (uint32_t)(c / 4) % 3;
	a.nomem = c >= 0 && (c & 0x80);
	if (from_input) {
		m.len = take_line(&r->in, &m.ptr);
	} else {
		/* mostly short (speed); up to 64 KiB from l0 >= 240 */
		l0 = l0 < 0 ? 0 : l0;
		l1 = l1 < 0 ? 0 : l1;
		m.seed = l1;
		m.len = l0 < 240 ? (size_t)l0 : (size_t)(l0 - 240) << 12 |
		    (size_t)l1 << 4;
		m.ptr = NULL;
	}
	/* the cache only reads it */
	a.text = (char *)(uintptr_t)(m.ptr != NULL ? m.ptr : gen(m.seed));
	a.text_len = a.text_cap = m.len;
	dmarc__cache_put(r->cache, name_of(r, k), types[k / N_NAMES], r->now,
	    &a);
	/* what cache.c may keep: the rest leaves an older entry alone */
	if (a.ttl == 0 || a.nomem || a.outcome > DMARC_DNS_NXDOMAIN ||
	    a.text_len > r->ctx->max_record_length ||
	    strlen(name_of(r, k)) >= DMARC_QNAME_SIZE)
		return;
	old = model_of(r, k);
	m.name = old->name;
	m.type = old->type;
	m.outcome = a.outcome;
	m.n_txt = a.n_txt;
	m.n_dmarc = a.n_dmarc;
	m.ttl = a.ttl < ceiling ? a.ttl : ceiling;
	m.expiry = m.ttl > UINT64_MAX - r->now ? UINT64_MAX : r->now + m.ttl;
	*old = m;
}

static void get(struct run *r, int k)
{
	const struct model *m = model_of(r, k);
	const char *want;

	if (!dmarc__cache_get(r->cache, name_of(r, k), types[k / N_NAMES],
	    r->now, &r->out))
		return; /* evicted, expired or never there: always allowed */
	if (!m->set || r->now >= m->expiry)
		abort(); /* a hit for nothing, or past its time */
	if (r->out.outcome != m->outcome || r->out.n_txt != m->n_txt ||
	    r->out.n_dmarc != m->n_dmarc || r->out.ttl != m->ttl ||
	    r->out.text_len != m->len || r->out.nomem)
		abort();
	want = m->ptr != NULL ? m->ptr : gen(m->seed);
	if (m->len != 0 && memcmp(r->out.text, want, m->len) != 0)
		abort();
}

/* A new name from the input for slot s (up to 527 bytes, so some are
 * too long for a question); names are never overwritten, as models
 * point to them. */
static void rename_slot(struct run *r, int s)
{
	const char *line;
	size_t len = take_line(&r->in, &line);
	char *name;

	if (r->renames == N_RENAMES)
		return;
	name = r->names[4 + r->renames];
	if (len > DMARC_QNAME_SIZE + 7)
		len = DMARC_QNAME_SIZE + 7;
	memcpy(name, line, len);
	name[len] = '\0';
	r->slot[s] = 4 + r->renames++;
}

static void step(struct run *r, int op)
{
	int b = take(&r->in);

	if (b < 0)
		return;
	switch (op % 5) {
	case 0: put(r, b % N_KEYS, false); break;
	case 1: put(r, b % N_KEYS, true); break;
	case 2: get(r, b % N_KEYS); break;
	case 3: /* the clock: small steps both ways, or a jump */
		if (b < 128)
			r->now += (uint64_t)b;
		else if (b < 192)
			r->now -= (uint64_t)(b - 128);
		else if (b & 1)
			r->now += UINT64_C(1) << (b % 64);
		else
			r->now -= UINT64_C(1) << (b % 64);
		break;
	default: rename_slot(r, b % (N_NAMES - 8)); break;
	}
}

static dmarc_ctx *context(int b, int c)
{
	static const size_t budgets[] = { 65536, 70000, 131072, 1u << 20 };
	static const size_t ceilings[] = { 1, 2, 10, 60, 3600, 86400, 604800 };
	static const size_t lengths[] = { 0, 16, 65535 };
	dmarc_ctx *ctx;

	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return NULL;
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_CACHE_BYTES, budgets[b % 4]);
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_CACHE_TTL, ceilings[c % 7]);
	if (lengths[c / 7 % 3] != 0)
		dmarc_ctx_set_limit(ctx, DMARC_LIMIT_RECORD_LENGTH,
		    lengths[c / 7 % 3]);
	return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t starts[] = { 0, 1000, UINT64_MAX - 1000,
		UINT64_C(1) << 32 };
	static const char *const slots[4] = { "b.example.org",
		"_dmarc.b.example.org", "example.org", "_dmarc.example.org" };
	static struct run r;
	int e, b, c, t, i, op;
	size_t budget;

	memset(&r, 0, sizeof r);
	r.in = (struct input){ data, size };
	e = take(&r.in);
	b = take(&r.in);
	c = take(&r.in);
	t = take(&r.in);
	if (t < 0 || (r.ctx = context(b, c)) == NULL)
		return 0;
	for (i = 0; i < 4; i++) {
		strcpy(r.names[i], slots[i]);
		r.slot[i] = i;
	}
	r.now = starts[t % 4];
	budget = dmarc_ctx_get_limit(r.ctx, DMARC_LIMIT_CACHE_BYTES);
	dmarc__answer_init(&r.out, r.ctx);
	r.cache = dmarc__cache_new(r.ctx, 1u + (size_t)e % 32u);
	while (r.cache != NULL && (op = take(&r.in)) >= 0) {
		step(&r, op);
		if (dmarc__cache_bytes(r.cache) > budget)
			abort();
	}
	dmarc__answer_free(&r.out);
	dmarc__cache_free(r.ctx, r.cache);
	dmarc_ctx_free(r.ctx);
	return 0;
}
