/*
 * Fuzz target for evaluations with several From fields, several
 * Authentication-Results fields (trusted and foreign authserv-ids), many
 * DKIM verdicts and a fuzzed DNS zone, with the mode, evaluation options
 * and limits from the input (fuzz-scenario.h gives the format).  SPF is
 * given directly only by an item of its own, so fields' SPF results
 * count too.
 *
 * Oracles: the status is one dmarc_eval_run documents; the result is
 * pending exactly when the status is not DMARC_OK; stepping with the
 * same answers (from the cache, when one is on) gives what the run gave,
 * also with the Authentication-Results fields added in reverse order
 * (when the input asks) if at most one of them may carry an SPF result
 * (the nearest SPF result counts, so their order matters then) and no
 * DKIM signature was dropped over the limit (the first ones are kept)
 * and the query budget was not used up (which questions it leaves
 * unasked depends on the order of the signatures).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fuzz-scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether a field's text may name the spf method (any case). */
static bool may_have_spf(const struct call *c)
{
	size_t i;

	for (i = 0; i + 3 <= c->n; i++)
		if ((c->s[i] | 0x20) == 's' && (c->s[i + 1] | 0x20) == 'p' &&
		    (c->s[i + 2] | 0x20) == 'f')
			return true;
	return false;
}

static bool reversible(const struct scenario *sc)
{
	size_t i, n = 0;

	for (i = 0; i < sc->n_calls; i++)
		if (is_ar(&sc->calls[i]) && may_have_spf(&sc->calls[i]))
			n++;
	return n <= 1;
}

static void check_field(const dmarc_eval *ev)
{
	char buf[2048];
	size_t i, len;

	if (dmarc_eval_format_authres(ev, "mx.example", DMARC_AUTHRES_FIELD,
	    buf, sizeof buf, &len) !=
	    DMARC_OK)
		return;
	for (i = 0; i < len; i++) /* only CRLF-TAB folding, no other control */
		if ((unsigned char)buf[i] < 0x20 && !(buf[i] == '\r' &&
		    buf[i + 1] == '\n') && !(buf[i] == '\n' && i > 0 &&
		    buf[i - 1] == '\r') && buf[i] != '\t')
			abort();
}

/* dmarc_eval_run with the context's lookup function. */
static void run(const dmarc_ctx *ctx, struct scenario *sc,
    struct sc_outcome *o)
{
	dmarc_eval *ev;
	dmarc_status st;

	if (dmarc_eval_new(&ev, ctx) != DMARC_OK)
		abort();
	if (sc_apply(ev, sc, false) != DMARC_OK)
		abort(); /* no allocation fails here */
	st = dmarc_eval_run(ev);
	if (st != DMARC_OK && st != DMARC_EFROM)
		abort();
	if ((st == DMARC_OK) != (dmarc_eval_get_result(ev) !=
	    DMARC_RESULT_PENDING) || dmarc_eval_get_status(ev) != st)
		abort();
	check_field(ev);
	sc_outcome(ev, st, o);
	dmarc_eval_free(ev);
}

/* The same by steps, answering from the zone as the run did. */
static void step(const dmarc_ctx *ctx, struct scenario *sc, bool reverse,
    struct sc_outcome *o)
{
	dmarc_eval *ev;
	const char *qname;
	dmarc_rrtype qtype;
	unsigned int steps = 0;

	if (dmarc_eval_new(&ev, ctx) != DMARC_OK)
		abort();
	if (sc_apply(ev, sc, reverse) != DMARC_OK)
		abort();
	while (dmarc_eval_step(ev, &qname, &qtype) == DMARC_STEP_QUERY) {
		dmarc_dns_answer *a = dmarc_eval_get_answer(ev);
		if (++steps > 5000)
			abort(); /* it must terminate */
		sc_lookup(sc, qname, qtype, a);
	}
	sc_outcome(ev, dmarc_eval_get_status(ev), o);
	dmarc_eval_free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario sc;
	struct sc_outcome a, b;
	dmarc_ctx *ctx;
	bool reverse, budget_spent;

	read_scenario(&sc, data, size);
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	if (sc_configure(ctx, &sc) != DMARC_OK)
		abort();
	sc.asked = 0;
	run(ctx, &sc, &a);
	budget_spent = sc.asked >= sc.queries;
	reverse = sc.reverse && reversible(&sc);
	sc.asked = 0;
	step(ctx, &sc, reverse, &b);
	budget_spent = !sc.cache && (budget_spent || sc.asked >= sc.queries);
	if (sc.parse_nomem)
		abort(); /* no allocation fails here */
	if (!(reverse && (a.dropped != 0 || b.dropped != 0 || budget_spent)) &&
	    !sc_same(&a, &b))
		abort();
	dmarc_ctx_free(ctx);
	return 0;
}
