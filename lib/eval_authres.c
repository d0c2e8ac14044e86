/*
 * libdmarc - the evaluation settings of the context, and feeding an
 * evaluation from trusted Authentication-Results fields (digest 8.3-8.4):
 * only fields whose authserv-id the context trusts, nearest first; spf
 * from smtp.mailfrom (or smtp.helo for the null path), dkim from header.d
 * (or, approximated, the domain of header.i).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "authres_int.h"
#include "eval_int.h"

DMARC_EXPORT dmarc_status dmarc_ctx_set_eval_options(dmarc_ctx *ctx,
    unsigned int options)
{
	if (ctx == NULL)
		return DMARC_EINVAL;
	if (options & ~(unsigned int)(DMARC_EVAL_MULTI_FROM |
	    DMARC_EVAL_REJECT_EVIDENCE))
		return DMARC_ERANGE;
	ctx->eval_options = options;
	return DMARC_OK;
}

DMARC_EXPORT unsigned int dmarc_ctx_get_eval_options(const dmarc_ctx *ctx)
{
	return ctx != NULL ? ctx->eval_options : 0u;
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_random(dmarc_ctx *ctx,
    dmarc_random_fn fn, void *user)
{
	if (ctx == NULL)
		return DMARC_EINVAL;
	ctx->random_fn = fn;
	ctx->random_user = user;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_add_authserv_id(dmarc_ctx *ctx,
    const char *id)
{
	size_t n;

	if (ctx == NULL || id == NULL || (n = strlen(id)) == 0 || n > 255)
		return DMARC_EINVAL;
	return dmarc__strlist_add(ctx, &ctx->authserv_ids, id, n);
}

static dmarc_verdict verdict(const char *word)
{
	static const char *const words[] = { "none", "pass", "fail",
		"softfail", "neutral", "temperror", "permerror", "policy" };
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(word, words[i]) == 0)
			return (dmarc_verdict)(DMARC_VERDICT_NONE + i);
	return (dmarc_verdict)0;
}

/* The domain of an identity: after the last '@', or all of it. */
static const char *domain_of(const char *identity)
{
	const char *at = strrchr(identity, '@');

	return at != NULL ? at + 1 : identity;
}

/* A non-null MAIL FROM in an spf result, or NULL. */
static const char *mailfrom(const dmarc_authres *ar, size_t i)
{
	const char *mf = dmarc_authres_get_property(ar, i, "smtp", "mailfrom");

	return mf != NULL && *mf != '\0' && strcmp(mf, "<>") != 0 ? mf : NULL;
}

/* Whether any spf result of the field names a non-null MAIL FROM. */
static bool has_mailfrom(const dmarc_authres *ar)
{
	size_t i;

	for (i = 0; i < dmarc_authres_get_result_count(ar); i++)
		if (strcmp(dmarc_authres_get_method(ar, i), "spf") == 0 &&
		    mailfrom(ar, i) != NULL)
			return true;
	return false;
}

/* The MAIL FROM result; a HELO result only when there is none, i.e. the
 * path was null (RFC 7208 2.4; never beside a real MAIL FROM, the
 * CVE-2019-20790 trap). */
static void take_spf(dmarc_eval *ev, const dmarc_authres *ar, size_t i,
    dmarc_verdict v)
{
	const char *mf = mailfrom(ar, i);
	const char *helo = dmarc_authres_get_property(ar, i, "smtp", "helo");
	const char *d;

	if (ev->spf_set)
		return; /* the nearest trusted result wins */
	if (mf != NULL) {
		d = domain_of(mf);
		dmarc_eval_set_spf(ev, v, d, strlen(d), DMARC_SPF_MAILFROM);
	} else if (helo != NULL && !has_mailfrom(ar)) {
		if (!ev->env_from_set)
			dmarc_eval_set_envelope_from(ev, "", 0);
		dmarc_eval_set_spf(ev, v, helo, strlen(helo), DMARC_SPF_HELO);
	}
}

static void take_dkim(dmarc_eval *ev, const dmarc_authres *ar, size_t i,
    dmarc_verdict v)
{
	const char *d = dmarc_authres_get_property(ar, i, "header", "d");
	const char *s = dmarc_authres_get_property(ar, i, "header", "s");
	const char *id;

	if (d == NULL && (id = dmarc_authres_get_property(ar, i, "header",
	    "i")) != NULL)
		d = domain_of(id); /* approximation: i may be below d */
	if (d == NULL)
		d = "";
	dmarc_eval_add_dkim(ev, v, d, strlen(d), s, s != NULL ? strlen(s) : 0);
}

DMARC_EXPORT dmarc_status dmarc_eval_add_authres(dmarc_eval *ev,
    const char *value, size_t len)
{
	dmarc_authres *ar;
	dmarc_status st;
	size_t i;

	if (ev == NULL || (value == NULL && len != 0))
		return DMARC_EINVAL;
	if (ev->phase != EV_IDLE)
		return DMARC_ESTATE;
	/* a foreign field is dropped on its authserv-id, unparsed: it costs
	 * no allocation and its body cannot matter (RFC 8601 5) */
	if (!dmarc__authres_trusted(ev->ctx, value, len))
		return DMARC_OK;
	if ((st = dmarc_authres_parse(&ar, ev->ctx, value, len)) != DMARC_OK)
		return st;
	if (dmarc_authres_get_state(ar) == DMARC_AUTHRES_VALID) {
		for (i = 0; i < dmarc_authres_get_result_count(ar); i++) {
			const char *m = dmarc_authres_get_method(ar, i);
			dmarc_verdict v = verdict(dmarc_authres_get_result(ar, i));
			if (v == 0)
				continue; /* unknown result: ignored (RFC 8601 4.1) */
			if (strcmp(m, "spf") == 0)
				take_spf(ev, ar, i, v);
			else if (strcmp(m, "dkim") == 0)
				take_dkim(ev, ar, i, v);
		}
	}
	dmarc_authres_free(ar);
	return DMARC_OK;
}
