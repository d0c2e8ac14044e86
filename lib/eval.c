/*
 * libdmarc - the dmarc_eval object: creation, reset, the message's
 * inputs, and the getters of what was recorded and decided.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

#include "eval_int.h"

/* splitmix64's finalizer: every input bit moves about half the output. */
static uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

/* Entropy for a seed: the kernel's, never blocking; else the clocks in
 * nanoseconds and the object's address (weak, so the counter below
 * keeps seeds apart). */
static uint64_t entropy(const void *obj)
{
	uint64_t e = 0;
	struct timespec t;

#ifdef HAVE_GETRANDOM
	if (getrandom(&e, sizeof e, GRND_NONBLOCK) == (ssize_t)sizeof e &&
	    e != 0)
		return e;
#endif
	if (clock_gettime(CLOCK_REALTIME, &t) == 0)
		e = mix64((uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec);
	if (clock_gettime(CLOCK_MONOTONIC, &t) == 0)
		e ^= mix64((uint64_t)t.tv_sec ^ ((uint64_t)t.tv_nsec << 32));
	return e ^ mix64((uint64_t)(uintptr_t)obj);
}

/* The default pct sampler's seed (RFC 7489 6.6.4: the sample must
 * match pct across messages, so evaluation objects made together must
 * not draw alike): entropy mixed with the context's count of
 * evaluations, which makes each seed distinct even when entropy fails. */
static uint32_t pct_seed(const dmarc_ctx *ctx, const void *ev)
{
	/* the counter is the one part of a shared context that is written;
	 * the context itself was never defined const */
	dmarc_ctx *shared = (dmarc_ctx *)(uintptr_t)ctx;
	unsigned int n = atomic_fetch_add_explicit(&shared->eval_seq, 1u,
	    memory_order_relaxed);
	uint64_t x = mix64(entropy(ev) ^ mix64((uint64_t)n + 1u));
	uint32_t s = (uint32_t)(x ^ (x >> 32));

	return s != 0 ? s : 0x9e3779b9u; /* xorshift32 stays at 0 */
}

DMARC_EXPORT dmarc_status dmarc_eval_new(dmarc_eval **out,
    const dmarc_ctx *ctx)
{
	dmarc_eval *ev;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return DMARC_EINVAL;
	ev = dmarc__alloc(ctx, sizeof *ev);
	if (ev == NULL)
		return DMARC_ENOMEM;
	memset(ev, 0, sizeof *ev);
	ev->ctx = ctx;
	ev->max_dkim = ctx->max_dkim_signatures;
	ev->dkim = dmarc__alloc(ctx, ev->max_dkim * sizeof *ev->dkim);
	if (ev->dkim == NULL || dmarc_discovery_new(&ev->disc, ctx) != DMARC_OK ||
	    dmarc_discovery_new(&ev->kept, ctx) != DMARC_OK ||
	    dmarc_discovery_new(&ev->org, ctx) != DMARC_OK) {
		dmarc_eval_free(ev);
		return DMARC_ENOMEM;
	}
	ev->random = pct_seed(ctx, ev);
	dmarc_eval_reset(ev);
	*out = ev;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_eval_free(dmarc_eval *ev)
{
	if (ev == NULL)
		return;
	dmarc_discovery_free(ev->disc);
	dmarc_discovery_free(ev->kept);
	dmarc_discovery_free(ev->org);
	if (ev->dkim != NULL)
		dmarc__free(ev->ctx, ev->dkim);
	dmarc__free(ev->ctx, ev);
}

DMARC_EXPORT void dmarc_eval_reset(dmarc_eval *ev)
{
	if (ev == NULL)
		return;
	ev->phase = EV_IDLE;
	ev->status = DMARC_OK;
	ev->n_from_fields = 0;
	ev->from_status = DMARC_OK;
	ev->from.n_domains = ev->from.n_mailboxes = 0; /* the rest is unused */
	ev->from.more_domains = false;
	ev->domain_index = 0;
	ev->spf_set = ev->spf_usable = false;
	ev->spf_result = DMARC_VERDICT_NONE;
	ev->spf_scope = DMARC_SPF_MAILFROM;
	ev->spf_domain[0] = '\0';
	ev->n_dkim = 0;
	ev->dkim_dropped = 0;
	ev->env_from_set = false;
	ev->env_from[0] = ev->env_to[0] = ev->ip[0] = '\0';
	ev->arrival = 0;
	ev->n_diags = 0;
	ev->candidate = -1;
	ev->org_tempfail = false;
	memset(&ev->out, 0, sizeof ev->out);
	memset(&ev->best, 0, sizeof ev->best);
	ev->best.aligned_dkim = -1;
	ev->best_domain = 0;
	ev->overridden = false;
	ev->applied = (dmarc_disposition)0;
	ev->n_reasons = 0;
	ev->ar_mailfrom.set = ev->ar_null.set = ev->ar_helo.set = false;
	ev->spf_by_ar = ev->env_by_ar = false;
	ev->n_fields = 0;
}

void dmarc__eval_diag(dmarc_eval *ev, dmarc_diag_code code,
    dmarc_severity severity, size_t offset, size_t length)
{
	dmarc_diag *g;

	if (ev->n_diags >= EVAL_MAX_DIAGS)
		return; /* bounded; the last entry says so */
	if (ev->n_diags == EVAL_MAX_DIAGS - 1) {
		code = DMARC_DIAG_TOO_MANY_DIAGS;
		severity = DMARC_SEVERITY_WARNING;
		offset = length = 0;
	}
	g = &ev->diags[ev->n_diags++];
	memset(g, 0, sizeof *g);
	g->code = (uint8_t)code;
	g->severity = (uint8_t)severity;
	g->offset = (uint32_t)offset;
	g->length = (uint32_t)length;
	g->tag = g->domain = "";
}

/* Inputs are accepted only before the evaluation starts. */
static dmarc_status can_add(const dmarc_eval *ev)
{
	if (ev == NULL)
		return DMARC_EINVAL;
	return ev->phase == EV_IDLE ? DMARC_OK : DMARC_ESTATE;
}

DMARC_EXPORT dmarc_status dmarc_eval_add_from(dmarc_eval *ev,
    const char *value, size_t len)
{
	dmarc_status st;
	size_t at;

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	if (value == NULL && len != 0)
		return DMARC_EINVAL;
	if (++ev->n_from_fields == 2)
		dmarc__eval_diag(ev, DMARC_DIAG_FROM_REPEATED,
		    DMARC_SEVERITY_ERROR, 0, len);
	if (ev->n_from_fields > 1 || ev->from_status != DMARC_OK)
		return DMARC_OK; /* several From fields: decided at the run */
	if (len > ev->ctx->max_header_length) {
		ev->from_status = DMARC_EFROM;
		dmarc__eval_diag(ev, DMARC_DIAG_FROM_TOO_LONG,
		    DMARC_SEVERITY_ERROR, 0, len);
		return DMARC_OK;
	}
	ev->from_status = dmarc__from_parse(value != NULL ? value : "", len,
	    DMARC_FROM_MAX_DOMAINS, &ev->from, &at);
	if (ev->from_status != DMARC_OK)
		dmarc__eval_diag(ev, DMARC_DIAG_FROM_SYNTAX,
		    DMARC_SEVERITY_ERROR, at, 0);
	return DMARC_OK;
}

/* Normalize a domain input into dst; false (dst "") when it is not one. */
static bool take_domain(char *dst, const char *src, size_t len)
{
	return src != NULL && dmarc_domain_normalize(src, len, dst,
	    DMARC_DOMAIN_SIZE, NULL) == DMARC_OK;
}

static bool known_verdict(dmarc_verdict v)
{
	return v >= DMARC_VERDICT_NONE && v <= DMARC_VERDICT_POLICY;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_spf(dmarc_eval *ev,
    dmarc_verdict result, const char *domain, size_t len,
    dmarc_spf_scope scope)
{
	dmarc_status st;

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	if (!known_verdict(result) ||
	    (scope != DMARC_SPF_MAILFROM && scope != DMARC_SPF_HELO))
		return DMARC_EINVAL;
	ev->spf_set = true;
	ev->spf_by_ar = false; /* the caller's verdict beats any field's */
	ev->spf_result = (uint8_t)result;
	ev->spf_scope = (uint8_t)scope;
	ev->spf_usable = take_domain(ev->spf_domain, domain, len);
	return DMARC_OK;
}

/* Text that ends up in reports: printable ASCII only. */
static bool printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

void dmarc__eval_dkim_init(struct eval_dkim *k, dmarc_verdict result,
    const char *domain, size_t dlen, const char *selector, size_t slen)
{
	k->result = (uint8_t)result;
	k->alignment = DMARC_UNALIGNED;
	k->usable = take_domain(k->domain, domain, dlen);
	if (!k->usable)
		k->domain[0] = '\0';
	if (slen != 0 && (selector == NULL || slen >= sizeof k->selector ||
	    !printable(selector, slen) || memchr(selector, ' ', slen) != NULL))
		slen = 0; /* not a selector: kept empty, never cut */
	if (slen != 0)
		memcpy(k->selector, selector, slen);
	k->selector[slen] = '\0';
	k->human[0] = k->b[0] = '\0';
	k->field = k->matched = 0;
}

/* The last two labels of a name, or NULL for one label. */
static const char *last_two(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return NULL;
	while (dot > name && dot[-1] != '.')
		dot--;
	return dot;
}

/* How near a signing domain is to a From domain, as far as it is known
 * before any Organizational Domain is: 4 the same name (strict
 * alignment), 3 one under the other, 2 the same last two labels, 1
 * unrelated. */
static unsigned int nearness(const char *d, const char *from)
{
	size_t n = strlen(d), f = strlen(from);
	const char *td = last_two(d), *tf = last_two(from);

	if (strcmp(d, from) == 0)
		return 4;
	if ((n > f && d[n - f - 1] == '.' && strcmp(d + n - f, from) == 0) ||
	    (f > n && from[f - n - 1] == '.' && strcmp(from + f - n, d) == 0))
		return 3;
	return td != NULL && tf != NULL && strcmp(td, tf) == 0 ? 2 : 1;
}

/* The priority of RFC 9990 3.1.3 (aligned passes first, failures last)
 * from what is known when a signature is given: its verdict, then how
 * near it is to a From domain given so far. */
static unsigned int dkim_rank(const dmarc_eval *ev, const struct eval_dkim *k)
{
	unsigned int v = k->result == DMARC_VERDICT_PASS ? 2u :
	    k->result == DMARC_VERDICT_TEMPERROR ? 1u : 0u, near = 0, i, r;

	if (k->usable) {
		near = 1;
		for (i = 0; ev->n_from_fields == 1 && i < ev->from.n_domains; i++)
			if ((r = nearness(k->domain, ev->from.domains[i])) > near)
				near = r;
	}
	return v * 5u + near;
}

dmarc_status dmarc__eval_dkim_keep(dmarc_eval *ev, const struct eval_dkim *k)
{
	size_t low = 0, i;

	if (ev->n_dkim < ev->max_dkim) {
		ev->dkim[ev->n_dkim++] = *k;
		return DMARC_OK;
	}
	if (ev->dkim_dropped++ == 0) /* bounded, and said, never silent */
		dmarc__eval_diag(ev, DMARC_DIAG_DKIM_DROPPED,
		    DMARC_SEVERITY_WARNING, 0, 0);
	for (i = 1; i < ev->n_dkim; i++) /* the last of the lowest */
		if (dkim_rank(ev, &ev->dkim[i]) <= dkim_rank(ev, &ev->dkim[low]))
			low = i;
	if (ev->n_dkim == 0 || dkim_rank(ev, k) <= dkim_rank(ev, &ev->dkim[low]))
		return DMARC_ERANGE;
	/* the new one is the last, as callers number them */
	memmove(&ev->dkim[low], &ev->dkim[low + 1],
	    (ev->n_dkim - low - 1) * sizeof *ev->dkim);
	ev->dkim[ev->n_dkim - 1] = *k;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_add_dkim(dmarc_eval *ev,
    dmarc_verdict result, const char *domain, size_t dlen,
    const char *selector, size_t slen)
{
	struct eval_dkim k;
	dmarc_status st;

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	if (!known_verdict(result) || (selector == NULL && slen != 0))
		return DMARC_EINVAL;
	if (ev->n_dkim < ev->max_dkim) { /* room: made in place, not copied */
		dmarc__eval_dkim_init(&ev->dkim[ev->n_dkim++], result, domain,
		    dlen, selector, slen);
		return DMARC_OK;
	}
	dmarc__eval_dkim_init(&k, result, domain, dlen, selector, slen);
	return dmarc__eval_dkim_keep(ev, &k);
}

DMARC_EXPORT dmarc_status dmarc_eval_set_dkim_human_result(dmarc_eval *ev,
    size_t index, const char *text, size_t len)
{
	dmarc_status st;

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	if (index >= ev->n_dkim || text == NULL || !printable(text, len))
		return DMARC_EINVAL;
	if (len >= EVAL_HUMAN_SIZE)
		return DMARC_ERANGE;
	memcpy(ev->dkim[index].human, text, len);
	ev->dkim[index].human[len] = '\0';
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_time(dmarc_eval *ev,
    uint64_t seconds)
{
	dmarc_status st;

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	ev->arrival = seconds;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_ip(dmarc_eval *ev, const char *ip,
    size_t len)
{
	unsigned char addr[16];
	char text[sizeof ev->ip];
	dmarc_status st;

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	if (ip == NULL || len >= sizeof text || memchr(ip, '\0', len) != NULL)
		return DMARC_EINVAL;
	memcpy(text, ip, len); /* inet_pton needs a C string */
	text[len] = '\0';
	if (inet_pton(AF_INET, text, addr) != 1 &&
	    inet_pton(AF_INET6, text, addr) != 1)
		return DMARC_EINVAL;
	memcpy(ev->ip, text, len + 1);
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_envelope_from(dmarc_eval *ev,
    const char *domain, size_t len)
{
	dmarc_status st;

	char d[DMARC_DOMAIN_SIZE] = "";

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	/* nothing is recorded unless valid: a refused domain must not pass
	 * for the null path (which lets a HELO result count) */
	if (len != 0 && !take_domain(d, domain, len))
		return DMARC_EINVAL;
	memcpy(ev->env_from, d, sizeof d);
	ev->env_from_set = true;
	ev->env_by_ar = false;
	dmarc__authres_settle(ev);
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_envelope_to(dmarc_eval *ev,
    const char *domain, size_t len)
{
	dmarc_status st;

	char d[DMARC_DOMAIN_SIZE];

	if ((st = can_add(ev)) != DMARC_OK)
		return st;
	if (!take_domain(d, domain, len))
		return DMARC_EINVAL;
	memcpy(ev->env_to, d, sizeof d);
	return DMARC_OK;
}
