/*
 * libdmarc - the dmarc_eval object: creation, reset, and the message's
 * inputs but its DKIM signatures (lib/eval_dkim.c).
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

#include "discovery_int.h"
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

/* Each discovery object's record cache shares the records of the
 * others (the objects never move: the evaluation swaps its pointers). */
static void share_records(dmarc_eval *ev)
{
	dmarc_discovery *all[3] = { ev->disc, ev->spare, ev->org };
	const struct record_cache *peer[2];
	size_t i, j, n;

	for (i = 0; i < 3; i++) {
		if (all[i] == NULL)
			continue;
		for (j = n = 0; j < 3; j++)
			if (j != i)
				peer[n++] = all[j] != NULL ? &all[j]->records :
				    NULL;
		dmarc__records_peer(&all[i]->records, peer[0], peer[1]);
	}
}

dmarc_status dmarc__eval_discovery(dmarc_eval *ev, dmarc_discovery **slot)
{
	if (*slot != NULL)
		return DMARC_OK;
	if (dmarc_discovery_new(slot, ev->ctx) != DMARC_OK)
		return DMARC_ENOMEM;
	/* one memo for the object's lookups: the Author Domain's org
	 * domain is asked by discovery and again by alignment */
	(*slot)->psl_memo = &ev->psl_memo;
	/* one budget for every lookup of the message: a sender chooses how
	 * many identifiers it shows */
	(*slot)->budget = &ev->queries_left;
	/* and one set of answers: a walk never asks a name an earlier walk
	 * of the message asked */
	(*slot)->memo = &ev->memo;
	(*slot)->author = &ev->disc;
	/* the identifiers' walks always use them (start_domain in
	 * lib/eval_run.c says when the policy lookups do) */
	(*slot)->keep_answers = (*slot)->seek_answers = slot == &ev->org;
	/* and keep them when another lookup starts: a message's first
	 * identifier walk is most often its only one */
	(*slot)->keep_later = slot == &ev->org;
	share_records(ev);
	return DMARC_OK;
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
	ev->max_dkim = ctx->max_dkim_signatures; /* made as they come */
	/* the Author Domain's discovery; the others are made on first use */
	if (dmarc__eval_discovery(ev, &ev->disc) != DMARC_OK) {
		dmarc_eval_free(ev);
		return DMARC_ENOMEM;
	}
	ev->kept = ev->disc;
	ev->from.domains = ev->first_domain;
	ev->from.cap = 1;
	ev->random = pct_seed(ctx, ev);
	dmarc_eval_reset(ev);
	*out = ev;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_eval_free(dmarc_eval *ev)
{
	if (ev == NULL)
		return;
	dmarc_discovery_free(ev->disc); /* ev->kept is one of these */
	dmarc_discovery_free(ev->spare);
	dmarc_discovery_free(ev->org);
	dmarc__psl_memo_free(ev->ctx, ev->psl_memo);
	dmarc__memo_free(&ev->memo, ev->ctx);
	if (ev->dkim != NULL)
		dmarc__free(ev->ctx, ev->dkim);
	if (ev->ar_spf != NULL)
		dmarc__free(ev->ctx, ev->ar_spf);
	if (ev->comments != NULL)
		dmarc__free(ev->ctx, ev->comments);
	if (ev->many_domains != NULL)
		dmarc__free(ev->ctx, ev->many_domains);
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
	ev->spf_domain_len = ev->env_from_len = ev->env_to_len = 0;
	ev->n_dkim = 0;
	ev->dkim_dropped = 0;
	ev->env_from_set = false;
	ev->env_from[0] = ev->env_to[0] = ev->ip[0] = '\0';
	ev->ip_family = 0;
	memset(ev->ip_addr, 0, sizeof ev->ip_addr);
	ev->arrival = 0;
	ev->n_diags = 0;
	ev->n_other_diags = 0;
	ev->candidate = -1;
	ev->org_tempfail = false;
	memset(&ev->out, 0, sizeof ev->out);
	memset(&ev->best, 0, sizeof ev->best);
	ev->best.aligned_dkim = -1;
	ev->best_domain = 0;
	ev->overridden = false;
	ev->applied = (dmarc_disposition)0;
	ev->n_reasons = 0;
	if (ev->ar_spf != NULL)
		ev->ar_spf->mailfrom.set = ev->ar_spf->null.set =
		    ev->ar_spf->helo.set = false;
	ev->spf_by_ar = ev->env_by_ar = false;
	ev->n_fields = 0;
}

/* Room for every domain a From field may name. */
static dmarc_status more_domains_room(dmarc_eval *ev)
{
	ev->many_domains = dmarc__alloc(ev->ctx,
	    DMARC_FROM_MAX_DOMAINS * sizeof *ev->many_domains);
	if (ev->many_domains == NULL)
		return DMARC_ENOMEM;
	ev->from.domains = ev->many_domains;
	ev->from.cap = DMARC_FROM_MAX_DOMAINS;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_add_from(dmarc_eval *ev,
    const char *value, size_t len)
{
	dmarc_status st;
	size_t at = 0;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
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
	if (value == NULL)
		value = "";
	/* the fast path called here, not through dmarc__from_parse: most
	 * fields take it */
	ev->from_status = dmarc__from_parse_fast(value, len,
	    DMARC_FROM_MAX_DOMAINS, &ev->from) ? DMARC_OK :
	    dmarc__from_parse_general(value, len, DMARC_FROM_MAX_DOMAINS,
	    &ev->from, &at);
	if (ev->from_status == DMARC_OK && ev->from.more_domains &&
	    ev->from.cap < DMARC_FROM_MAX_DOMAINS) {
		/* room for one name was not enough: read it again with room
		 * for all (rare, so one name's room is the usual size) */
		if (more_domains_room(ev) != DMARC_OK) {
			ev->n_from_fields = 0; /* as it was */
			ev->from.n_domains = ev->from.n_mailboxes = 0;
			ev->from.more_domains = false;
			return DMARC_ENOMEM;
		}
		ev->from_status = dmarc__from_parse(value, len,
		    DMARC_FROM_MAX_DOMAINS, &ev->from, &at);
	}
	if (ev->from_status != DMARC_OK)
		dmarc__eval_diag(ev, DMARC_DIAG_FROM_SYNTAX,
		    DMARC_SEVERITY_ERROR, at, 0);
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_spf(dmarc_eval *ev,
    dmarc_verdict result, const char *domain, size_t len,
    dmarc_spf_scope scope)
{
	dmarc_status st;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
		return st;
	if (!dmarc__known_verdict(result) ||
	    (scope != DMARC_SPF_MAILFROM && scope != DMARC_SPF_HELO))
		return DMARC_EINVAL;
	ev->spf_set = true;
	ev->spf_by_ar = false; /* the caller's verdict beats any field's */
	ev->spf_result = (uint8_t)result;
	ev->spf_scope = (uint8_t)scope;
	ev->spf_usable = dmarc__eval_take_domain(ev, ev->spf_domain,
	    &ev->spf_domain_len, domain, len);
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_time(dmarc_eval *ev,
    uint64_t seconds)
{
	dmarc_status st;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
		return st;
	ev->arrival = seconds;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_ip(dmarc_eval *ev, const char *ip,
    size_t len)
{
	unsigned char addr[16] = { 0 };
	char text[sizeof ev->ip];
	uint8_t family = 4;
	dmarc_status st;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
		return st;
	if (ip == NULL || len >= sizeof text || memchr(ip, '\0', len) != NULL)
		return DMARC_EINVAL;
	memcpy(text, ip, len); /* inet_pton needs a C string */
	text[len] = '\0';
	if (inet_pton(AF_INET, text, addr) != 1) {
		if (inet_pton(AF_INET6, text, addr) != 1)
			return DMARC_EINVAL;
		family = 6;
	}
	memcpy(ev->ip, text, len + 1);
	ev->ip_family = family;
	memcpy(ev->ip_addr, addr, sizeof addr);
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_set_envelope_from(dmarc_eval *ev,
    const char *domain, size_t len)
{
	dmarc_status st;

	char d[DMARC_DOMAIN_SIZE] = "";
	uint8_t n = 0;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
		return st;
	/* nothing is recorded unless valid: a refused domain must not pass
	 * for the null path (which lets a HELO result count) */
	if (len != 0 && !dmarc__take_domain(d, &n, domain, len))
		return DMARC_EINVAL;
	memcpy(ev->env_from, d, (size_t)n + 1);
	ev->env_from_len = n;
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
	uint8_t n;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
		return st;
	if (!dmarc__take_domain(d, &n, domain, len))
		return DMARC_EINVAL;
	memcpy(ev->env_to, d, (size_t)n + 1);
	ev->env_to_len = n;
	return DMARC_OK;
}
