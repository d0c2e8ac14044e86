/*
 * libdmarc - the DNS answer sink the caller fills, and the context's DNS
 * settings: lookup function and clock (the cache is lib/cache.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "dns_int.h"

void dmarc__answer_init(dmarc_dns_answer *a, const dmarc_ctx *ctx)
{
	memset(a, 0, sizeof *a);
	a->ctx = ctx;
}

void dmarc__answer_free(dmarc_dns_answer *a)
{
	if (a->text != NULL)
		dmarc__free(a->ctx, a->text);
	if (a->join != NULL)
		dmarc__free(a->ctx, a->join);
	a->text = a->join = NULL;
	a->text_cap = a->text_len = a->join_cap = 0;
}

bool dmarc__answer_add_wire_txt(dmarc_dns_answer *a,
    const unsigned char *rdata, size_t rdlen)
{
	size_t i, n = 0, strings = 0;
	char *p;

	for (i = 0; i < rdlen; i += 1u + rdata[i], strings++) {
		if (rdlen - i - 1 < rdata[i])
			return false;
		n += rdata[i];
	}
	if (strings == 1 || n == 0) { /* no joining needed */
		dmarc_dns_answer_add_txt(a, n == 0 ? "" : (const char *)rdata + 1,
		    n);
		return true;
	}
	if (n > a->join_cap) {
		p = dmarc__realloc(a->ctx, a->join, n);
		if (p == NULL) { /* counted, but its text is lost */
			a->n_txt++;
			a->outcome = DMARC_DNS_RECORDS;
			a->nomem = true;
			return true;
		}
		a->join = p;
		a->join_cap = n;
	}
	for (i = 0, n = 0; i < rdlen; i += 1u + rdata[i]) {
		memcpy(a->join + n, rdata + i + 1, rdata[i]);
		n += rdata[i];
	}
	dmarc_dns_answer_add_txt(a, a->join, n);
	return true;
}

/* Room for len bytes of text; the buffer is kept between questions. */
static bool reserve(dmarc_dns_answer *a, size_t len)
{
	char *p;

	if (len <= a->text_cap)
		return true;
	p = dmarc__realloc(a->ctx, a->text, len);
	if (p == NULL)
		return false;
	a->text = p;
	a->text_cap = len;
	return true;
}

bool dmarc__answer_copy(dmarc_dns_answer *dst, const dmarc_dns_answer *src)
{
	if (!reserve(dst, src->text_len))
		return false;
	dst->outcome = src->outcome;
	dst->ttl = src->ttl;
	dst->n_txt = src->n_txt;
	dst->n_dmarc = src->n_dmarc;
	dst->nomem = src->nomem;
	if (src->text_len != 0)
		memcpy(dst->text, src->text, src->text_len);
	dst->text_len = src->text_len;
	return true;
}

bool dmarc__answer_fill(dmarc_dns_answer *a, dmarc_dns_outcome outcome,
    uint32_t ttl, uint32_t n_txt, uint32_t n_dmarc, const char *text,
    size_t text_len)
{
	if (!reserve(a, text_len))
		return false;
	a->outcome = outcome;
	a->ttl = ttl;
	a->n_txt = n_txt;
	a->n_dmarc = n_dmarc;
	if (text_len != 0)
		memcpy(a->text, text, text_len);
	a->text_len = text_len;
	return true;
}

static bool known_outcome(dmarc_dns_outcome o)
{
	return o >= DMARC_DNS_RECORDS && o <= DMARC_DNS_PERMFAIL;
}

DMARC_EXPORT dmarc_status dmarc_dns_answer_set(dmarc_dns_answer *answer,
    dmarc_dns_outcome outcome, uint32_t ttl)
{
	if (answer == NULL || !known_outcome(outcome))
		return DMARC_EINVAL;
	answer->outcome = outcome;
	answer->ttl = ttl;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_dns_answer_add_txt(dmarc_dns_answer *answer,
    const char *text, size_t len)
{
	if (answer == NULL || (text == NULL && len != 0))
		return DMARC_EINVAL;
	if (len > DMARC_MAX_RECORD_LENGTH)
		return DMARC_ERANGE;
	if (answer->outcome == 0)
		answer->outcome = DMARC_DNS_RECORDS;
	answer->n_txt++;
	if (text == NULL || !dmarc__is_dmarc(answer->ctx, text, len))
		return DMARC_OK;
	if (answer->n_dmarc++ != 0)
		return DMARC_OK; /* the set is unusable; its count is enough */
	if (!reserve(answer, len)) {
		answer->nomem = true;
		return DMARC_ENOMEM;
	}
	if (len != 0)
		memcpy(answer->text, text, len);
	answer->text_len = len;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_lookup(dmarc_ctx *ctx,
    dmarc_lookup_fn fn, void *user)
{
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	ctx->lookup_fn = fn;
	ctx->lookup_user = user;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_clock(dmarc_ctx *ctx,
    dmarc_clock_fn fn, void *user)
{
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	ctx->clock_fn = fn;
	ctx->clock_user = user;
	return DMARC_OK;
}
