/*
 * Fuzz target for allocation failures in discovery and evaluation,
 * over DNS answers (given directly or as wire messages the parser
 * reads) from a fuzzed zone.  Input: two bytes k, then a scenario
 * (fuzz-scenario.h): a discovery of its Author Domain line with
 * verification, and an evaluation of its calls.
 *
 * Each input runs twice on a context whose allocator counts: once with
 * no failure, then failing allocation number k modulo the count of the
 * first run.  Oracles: DMARC_ENOMEM (from dmarc_discovery_run or
 * _get_status, dmarc_eval_run, an input call, dmarc_dns_answer_parse or
 * _add_txt) only after an allocation failed; a run that says DMARC_OK
 * comes to the same outcome as the run without failure; no block is
 * left allocated.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fuzz-scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long fail_at = -1, n_allocs, live;
static bool failed;

static void *count_malloc(size_t n)
{
	void *p;

	if (n_allocs++ == fail_at) {
		failed = true;
		return NULL;
	}
	p = malloc(n);
	live += p != NULL;
	return p;
}

static void *count_realloc(void *p, size_t n)
{
	void *q;

	if (n_allocs++ == fail_at) {
		failed = true;
		return NULL;
	}
	q = realloc(p, n);
	live += p == NULL && q != NULL;
	return q;
}

static void count_free(void *p)
{
	live -= p != NULL;
	free(p);
}

struct disc_outcome {
	dmarc_status status, verify;
	dmarc_discovery_result result;
	dmarc_policy policy;
	dmarc_tag tag;
	dmarc_source source;
	dmarc_authorization auth[4];
	char policy_domain[256], org[256];
};

static void verify(dmarc_discovery *d, struct disc_outcome *o)
{
	size_t i;

	o->verify = dmarc_discovery_start_verify(d);
	if (o->verify != DMARC_OK)
		return;
	o->verify = dmarc_discovery_run(d);
	if (o->verify != dmarc_discovery_get_status(d))
		abort();
	for (i = 0; i < 4; i++)
		o->auth[i] = dmarc_discovery_get_authorization(d,
		    i < 2 ? DMARC_TAG_RUA : DMARC_TAG_RUF, i % 2);
}

static void discover(const dmarc_ctx *ctx, const struct scenario *sc,
    struct disc_outcome *o)
{
	dmarc_discovery *d;

	memset(o, 0, sizeof *o);
	if ((o->status = dmarc_discovery_new(&d, ctx)) != DMARC_OK)
		return;
	o->status = dmarc_discovery_start(d, sc->author, sc->author_len);
	if (o->status == DMARC_OK) {
		o->status = dmarc_discovery_run(d);
		if (o->status != dmarc_discovery_get_status(d))
			abort();
		o->result = dmarc_discovery_get_result(d);
		o->policy = dmarc_discovery_get_policy(d);
		o->tag = dmarc_discovery_get_applied_tag(d);
		o->source = dmarc_discovery_get_source(d);
		sc_copy(o->policy_domain, dmarc_discovery_get_policy_domain(d));
		sc_copy(o->org, dmarc_discovery_get_org_domain(d));
		if (o->status == DMARC_OK && o->result == DMARC_DISCOVERY_FOUND)
			verify(d, o);
	}
	dmarc_discovery_free(d);
}

static bool same_discovery(const struct disc_outcome *a,
    const struct disc_outcome *b)
{
	if (a->status != b->status || a->result != b->result ||
	    a->policy != b->policy || a->tag != b->tag ||
	    a->source != b->source ||
	    strcmp(a->policy_domain, b->policy_domain) != 0 ||
	    strcmp(a->org, b->org) != 0)
		return false;
	/* the verification, when it finished as well */
	return b->verify != DMARC_OK ||
	    (a->verify == DMARC_OK && memcmp(a->auth, b->auth, sizeof a->auth) == 0);
}

/* Whether a run said out of memory anywhere. */
static bool disc_nomem(const struct disc_outcome *o)
{
	return o->status == DMARC_ENOMEM || o->verify == DMARC_ENOMEM;
}

static bool evaluate(const dmarc_ctx *ctx, struct scenario *sc,
    struct sc_outcome *o)
{
	dmarc_eval *ev;
	bool nomem;

	memset(o, 0, sizeof *o);
	if ((o->status = dmarc_eval_new(&ev, ctx)) != DMARC_OK)
		return o->status == DMARC_ENOMEM;
	nomem = sc_apply(ev, sc, false) == DMARC_ENOMEM;
	sc_outcome(ev, dmarc_eval_run(ev), o);
	dmarc_eval_free(ev);
	return nomem || o->status == DMARC_ENOMEM;
}

/* Both runs; fail_at < 0 for none. */
static void runs(const dmarc_ctx *ctx, struct scenario *sc, long k)
{
	struct disc_outcome d0, d1;
	struct sc_outcome e0, e1;
	long start = n_allocs, total, before = live;
	bool nomem;

	fail_at = -1;
	sc->parse_nomem = false;
	discover(ctx, sc, &d0);
	if (disc_nomem(&d0) || sc->parse_nomem || evaluate(ctx, sc, &e0) ||
	    sc->parse_nomem)
		abort(); /* out of memory with no allocation failed */
	if (!sc->cache && live != before)
		abort(); /* a leak (cached answers stay, by design) */
	total = n_allocs - start;
	if (total == 0)
		return;
	failed = false;
	fail_at = n_allocs + k % total;
	discover(ctx, sc, &d1);
	if ((disc_nomem(&d1) || sc->parse_nomem) && !failed)
		abort();
	if (d1.status == DMARC_OK && !same_discovery(&d0, &d1))
		abort(); /* an allocation failure changed the outcome */
	nomem = evaluate(ctx, sc, &e1);
	if ((nomem || sc->parse_nomem) && !failed)
		abort();
	if (!nomem && e1.status == DMARC_OK && !sc_same(&e0, &e1))
		abort();
	if (!sc->cache && live != before)
		abort();
	fail_at = -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario sc;
	dmarc_ctx *ctx;
	long k;

	if (size < 2)
		return 0;
	k = (long)data[0] << 8 | data[1];
	read_scenario(&sc, data + 2, size - 2);
	fail_at = -1;
	if (dmarc_ctx_new_with_allocator(&ctx, count_malloc, count_realloc,
	    count_free) != DMARC_OK)
		return 0;
	if (sc_configure(ctx, &sc) != DMARC_OK)
		abort();
	runs(ctx, &sc, k);
	dmarc_ctx_free(ctx);
	return 0;
}
