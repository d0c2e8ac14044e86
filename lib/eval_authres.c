/*
 * libdmarc - the evaluation settings of the context, and feeding an
 * evaluation from trusted Authentication-Results fields (RFC 8601 5, 7):
 * only fields whose authserv-id the context trusts, nearest first; spf
 * from smtp.mailfrom (or smtp.helo for an explicit null path), dkim from
 * header.d (or, approximated, the domain of header.i).
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
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
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
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	ctx->random_fn = fn;
	ctx->random_user = user;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_add_authserv_id(dmarc_ctx *ctx,
    const char *id)
{
	size_t n;
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	if (id == NULL || (n = strlen(id)) == 0 || n > 255)
		return DMARC_EINVAL;
	return dmarc__strlist_add(ctx, &ctx->authserv_ids, id, n);
}

/* An RFC 8601 result keyword (lower case, as the parser gives it) as a
 * verdict; 0 for any other word. */
static dmarc_verdict verdict(const char *word)
{
	int v;

	return dmarc__keyword_match(DMARC__KW_VERDICT, word, strlen(word),
	    &v) == DMARC__KW_EXACT ? (dmarc_verdict)v : (dmarc_verdict)0;
}

/* The domain of an identity: after the last '@', or all of it. */
static const char *domain_of(const char *identity)
{
	const char *at = strrchr(identity, '@');

	return at != NULL ? at + 1 : identity;
}

/* The trusted fields' SPF results, made on the first field read. */
static dmarc_status spf_room(dmarc_eval *ev)
{
	if (ev->ar_spf == NULL) {
		ev->ar_spf = dmarc__alloc(ev->ctx, sizeof *ev->ar_spf);
		if (ev->ar_spf == NULL)
			return DMARC_ENOMEM;
		memset(ev->ar_spf, 0, sizeof *ev->ar_spf);
	}
	return DMARC_OK;
}

/* Keep the first result of a kind: fields come nearest first. */
static void keep_spf(struct eval_ar_spf *k, dmarc_verdict v, const char *d)
{
	if (k->set)
		return;
	k->set = true;
	k->result = (uint8_t)v;
	k->usable = dmarc__take_domain(k->domain, &k->domain_len, d,
	    d != NULL ? strlen(d) : 0);
}

/* Sort an spf result by the identity it names; which one counts is
 * decided in dmarc__authres_settle, once every input is known. */
static void take_spf(dmarc_eval *ev, const dmarc_authres *ar, size_t i,
    dmarc_verdict v)
{
	const char *mf = dmarc_authres_get_property(ar, i, "smtp", "mailfrom");
	const char *helo = dmarc_authres_get_property(ar, i, "smtp", "helo");

	if (mf != NULL && *mf != '\0' && strcmp(mf, "<>") != 0)
		keep_spf(&ev->ar_spf->mailfrom, v, domain_of(mf));
	else if (mf != NULL)
		keep_spf(&ev->ar_spf->null, v, helo); /* postmaster@HELO */
	else if (helo != NULL)
		keep_spf(&ev->ar_spf->helo, v, helo);
}

/* The field result that counts for SPF.  A named MAIL FROM always wins;
 * a HELO result counts only for an explicit null path (RFC 7208 2.4),
 * the caller's empty envelope sender or a field's empty or "<>"
 * smtp.mailfrom, and never when any input names a real MAIL FROM
 * (CVE-2019-20790). */
static const struct eval_ar_spf *ar_spf_choice(const dmarc_eval *ev,
    bool *null_by_ar)
{
	const struct eval_ar_spfs *f = ev->ar_spf;
	bool caller_env = ev->env_from_set && !ev->env_by_ar;

	*null_by_ar = false;
	if (f == NULL) /* no trusted field read yet */
		return NULL;
	if (f->mailfrom.set)
		return &f->mailfrom;
	if (caller_env ? ev->env_from[0] != '\0' : !f->null.set)
		return NULL;
	*null_by_ar = !caller_env;
	if (f->null.set && f->null.usable)
		return &f->null;
	if (f->helo.set)
		return &f->helo;
	return f->null.set ? &f->null : NULL;
}

void dmarc__authres_settle(dmarc_eval *ev)
{
	const struct eval_ar_spf *k;
	bool null_by_ar;

	if (ev->env_by_ar) /* recorded by a field: decided again */
		ev->env_from_set = ev->env_by_ar = false;
	k = ar_spf_choice(ev, &null_by_ar);
	if (k != NULL && null_by_ar) {
		ev->env_from[0] = '\0'; /* the null path, for reports */
		ev->env_from_len = 0;
		ev->env_from_set = ev->env_by_ar = true;
	}
	if (ev->spf_set && !ev->spf_by_ar)
		return; /* the caller's own verdict */
	ev->spf_set = ev->spf_by_ar = k != NULL;
	ev->spf_result = k != NULL ? k->result : DMARC_VERDICT_NONE;
	ev->spf_usable = k != NULL && k->usable;
	ev->spf_scope = k != NULL && k != &ev->ar_spf->mailfrom && k->usable ?
	    DMARC_SPF_HELO : DMARC_SPF_MAILFROM;
	ev->spf_domain_len = k != NULL ? k->domain_len : 0;
	memcpy(ev->spf_domain, k != NULL ? k->domain : "",
	    (size_t)ev->spf_domain_len + 1);
}

/* Selectors are DNS labels: the same without regard to case. */
static bool same_selector(const char *a, const char *b)
{
	while (*a != '\0' && dmarc__lower((unsigned char)*a) ==
	    dmarc__lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

/* header.b gives a leading part of the signature, of any length (RFC
 * 6008 2): one signature when either starts the other, or one is not
 * given. */
static bool same_b(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	return memcmp(a, b, na < nb ? na : nb) == 0;
}

/* A signature an earlier trusted field reported that k is again: same
 * d=, s= and header.b.  Results of one field are distinct signatures,
 * so each earlier one matches once per field; the one with the same
 * header.b, then the same verdict, is preferred. */
static struct eval_dkim *same_signature(dmarc_eval *ev,
    const struct eval_dkim *k)
{
	struct eval_dkim *best = NULL;
	int best_score = -1;
	size_t i;

	for (i = 0; i < ev->n_dkim; i++) {
		struct eval_dkim *c = &ev->dkim[i];
		int score;
		if (c->field == 0 || c->field == k->field ||
		    c->matched == k->field || c->usable != k->usable ||
		    strcmp(c->domain, k->domain) != 0 ||
		    !same_selector(c->selector, k->selector) ||
		    !same_b(c->b, k->b))
			continue;
		score = (c->b[0] != '\0' && k->b[0] != '\0' ? 2 : 0) +
		    (c->result == k->result ? 1 : 0);
		if (score > best_score) {
			best = c;
			best_score = score;
		}
	}
	return best;
}

/* How much a verdict lets DMARC pass: a pass, a temporary error (it
 * might have been one), anything else. */
static int favour(uint8_t v)
{
	return v == DMARC_VERDICT_PASS ? 2 : v == DMARC_VERDICT_TEMPERROR;
}

static void take_dkim(dmarc_eval *ev, const dmarc_authres *ar, size_t i,
    dmarc_verdict v)
{
	const char *d = dmarc_authres_get_property(ar, i, "header", "d");
	const char *s = dmarc_authres_get_property(ar, i, "header", "s");
	const char *b = dmarc_authres_get_property(ar, i, "header", "b");
	const char *id;
	struct eval_dkim k, *same;
	size_t n;

	if (d == NULL && (id = dmarc_authres_get_property(ar, i, "header",
	    "i")) != NULL)
		d = domain_of(id); /* approximation: i may be below d */
	if (d == NULL && v == DMARC_VERDICT_NONE)
		return; /* "dkim=none": not signed, no signature to report */
	if (d == NULL)
		d = "";
	dmarc__eval_dkim_init(ev, &k, v, d, strlen(d), s,
	    s != NULL ? strlen(s) : 0);
	k.field = ev->n_fields;
	if (b != NULL && (n = strlen(b)) > 0) {
		n = n < EVAL_B_SIZE - 1 ? n : EVAL_B_SIZE - 1; /* a prefix */
		memcpy(k.b, b, n);
		k.b[n] = '\0';
	}
	if ((same = same_signature(ev, &k)) == NULL) {
		(void)dmarc__eval_dkim_keep(ev, &k); /* a drop is counted */
		return;
	}
	/* one signature, two reports: a pass only if both say pass, a
	 * sure failure before a temporary error */
	same->matched = k.field;
	if (favour(k.result) < favour(same->result))
		same->result = k.result;
	if (same->b[0] == '\0')
		memcpy(same->b, k.b, sizeof k.b);
}

/* The field's own diagnostics (syntax, versions, limits) become the
 * evaluation's. */
static void copy_diags(dmarc_eval *ev, const dmarc_authres *ar)
{
	size_t i, n = dmarc_authres_get_diag_count(ar);

	for (i = 0; i < n; i++) {
		const dmarc_diag *g = dmarc_authres_get_diag(ar, i);
		dmarc__eval_diag(ev, dmarc_diag_get_code(g),
		    dmarc_diag_get_severity(g), dmarc_diag_get_offset(g),
		    dmarc_diag_get_length(g));
	}
}

static void take_results(dmarc_eval *ev, const dmarc_authres *ar)
{
	size_t i;

	ev->n_fields++;
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
	dmarc__authres_settle(ev);
}

DMARC_EXPORT dmarc_status dmarc_eval_add_authres(dmarc_eval *ev,
    const char *value, size_t len, int *used)
{
	dmarc_authres *ar;
	dmarc_status st;

	if (used != NULL)
		*used = 0;
	if (ev == NULL || (value == NULL && len != 0))
		return DMARC_EINVAL;
	if (ev->phase != EV_IDLE)
		return DMARC_ESTATE;
	/* a foreign field is dropped on its authserv-id, unparsed: it costs
	 * no allocation and its body cannot matter (RFC 8601 5) */
	if (len > ev->ctx->max_header_length) { /* not even its id read */
		dmarc__eval_diag(ev, DMARC_DIAG_AR_TOO_LONG, DMARC_SEVERITY_ERROR,
		    ev->ctx->max_header_length, len - ev->ctx->max_header_length);
		return DMARC_OK;
	}
	if (!dmarc__authres_trusted(ev->ctx, value, len)) {
		dmarc__eval_diag(ev, DMARC_DIAG_AR_UNTRUSTED,
		    DMARC_SEVERITY_WARNING, 0, len);
		return DMARC_OK;
	}
	if ((st = dmarc_authres_parse(&ar, ev->ctx, value, len)) != DMARC_OK)
		return st;
	/* room for every signature the field may add, and for its SPF
	 * results, before any is taken: without memory the evaluation stays
	 * as it was */
	if ((st = dmarc__eval_dkim_room(ev, ev->n_dkim +
	    dmarc_authres_get_result_count(ar))) != DMARC_OK ||
	    (st = spf_room(ev)) != DMARC_OK) {
		dmarc_authres_free(ar);
		return st;
	}
	copy_diags(ev, ar);
	if (dmarc_authres_get_state(ar) == DMARC_AUTHRES_VALID) {
		take_results(ev, ar);
		if (used != NULL)
			*used = 1;
	}
	dmarc_authres_free(ar);
	return DMARC_OK;
}
