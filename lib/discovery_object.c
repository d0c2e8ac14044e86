/*
 * libdmarc - the dmarc_discovery object: creation, the three ways to
 * start it, and the getters of its results.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"
#include "psl_int.h"

DMARC_EXPORT dmarc_status dmarc_discovery_new(dmarc_discovery **out,
    const dmarc_ctx *ctx)
{
	dmarc_discovery *d;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return DMARC_EINVAL;
	d = dmarc__alloc(ctx, sizeof *d);
	if (d == NULL)
		return DMARC_ENOMEM;
	memset(d, 0, sizeof *d);
	d->ctx = ctx;
	d->psl_memo = &d->own_memo;
	d->org_domain = "";
	dmarc__records_init(&d->records, RECORD_SLOTS);
	dmarc__ctx_hold(ctx);
	d->phase = PH_IDLE;
	d->author_exists = -1;
	d->method = ctx->mode == DMARC_MODE_RFC9989 ? DMARC_METHOD_TREEWALK :
	    DMARC_METHOD_PSL;
	dmarc__answer_init(&d->answer, ctx);
	*out = d;
	return DMARC_OK;
}

/* Drop what the previous lookup found. */
static void clear(dmarc_discovery *d)
{
	if (d->walk != NULL)
		dmarc__walk_clear(d->walk);
	dmarc__records_begin(&d->records);
	d->record = NULL;
	d->pending = d->cached = d->nomem = d->has_org = false;
	d->org_unknown = false;
	d->author_shared = SHARED_UNKNOWN;
	d->queries = 0;
	d->result = DMARC_DISCOVERY_PENDING;
	d->source = DMARC_SOURCE_NONE;
	d->applied_tag = DMARC_TAG_NONE;
	d->author_exists = -1;
	d->policy_domain[0] = '\0';
	d->org_domain = "";
	d->has_failed_name = false;
	d->policy_domain_len = 0;
	d->n_diags = 0;
	d->verify_index = 0;
	if (d->verified) { /* only a verification writes them */
		dmarc__walk_clear(&d->verify->dest_walk);
		memset(d->verify->auth, 0, sizeof d->verify->auth);
		memset(d->verify->override, 0, sizeof d->verify->override);
		d->verified = false;
	}
}

DMARC_EXPORT void dmarc_discovery_free(dmarc_discovery *d)
{
	if (d == NULL)
		return;
	clear(d);
	dmarc__records_free(&d->records, d->ctx);
	if (d->verify != NULL) {
		dmarc__records_free(&d->verify->auth_records, d->ctx);
		dmarc__free(d->ctx, d->verify);
	}
	dmarc__answer_free(&d->answer);
	dmarc__psl_memo_free(d->ctx, d->own_memo);
	if (d->walk != NULL)
		dmarc__free(d->ctx, d->walk);
	if (d->diags != NULL)
		dmarc__free(d->ctx, d->diags);
	if (d->more_diags != NULL)
		dmarc__free(d->ctx, d->more_diags);
	if (d->failed_name != NULL)
		dmarc__free(d->ctx, d->failed_name);
	dmarc__ctx_release(d->ctx);
	dmarc__free(d->ctx, d);
}

/* Forget the last lookup and get ready for a new one. */
static void prepare(dmarc_discovery *d, bool org_only)
{
	clear(d);
	d->phase = PH_IDLE;
	d->org_only = org_only;
	d->domain[0] = '\0';
	d->method = d->ctx->mode == DMARC_MODE_RFC9989 ?
	    DMARC_METHOD_TREEWALK : DMARC_METHOD_PSL;
}

static dmarc_status begin(dmarc_discovery *d, const char *name, size_t len,
    bool org_only)
{
	dmarc_status st;

	if (d == NULL)
		return DMARC_EINVAL;
	prepare(d, org_only);
	st = dmarc_domain_normalize(name, len, d->domain, sizeof d->domain,
	    &len);
	if (st != DMARC_OK)
		return st;
	d->domain_len = (uint8_t)len;
	return dmarc__discovery_begin(d, org_only);
}

dmarc_status dmarc__discovery_start_normalized(dmarc_discovery *d,
    const char *name, size_t len, bool org_only)
{
	prepare(d, org_only);
	dmarc__copy_name(d->domain, name, len);
	d->domain[len] = '\0';
	d->domain_len = (uint8_t)len;
	return dmarc__discovery_begin(d, org_only);
}

/* RFC 9989 4.10.2 for an evaluation's identifier (its object ev->org,
 * started only here): an Organizational Domain lookup by a tree walk
 * alone.  Such a lookup never sets the policy results (record, source,
 * applied tag, existence, policy domain), never verifies and never
 * leaves its Organizational Domain unknown, so they keep the values
 * dmarc_discovery_new gave them and are not cleared again; the walk
 * refers to the name, the evaluation's identifier, unchanged while the
 * evaluation runs (d->domain stays empty: no policy is reported for
 * it).  What such a walk writes is reset below. */
dmarc_status dmarc__discovery_start_walk(dmarc_discovery *d,
    const char *name, size_t len)
{
	if (d->walk == NULL &&
	    (d->walk = dmarc__alloc(d->ctx, sizeof *d->walk)) == NULL)
		return DMARC_ENOMEM;
	dmarc__records_begin(&d->records);
	d->pending = d->cached = d->nomem = d->has_org = false;
	d->author_shared = SHARED_UNKNOWN;
	d->queries = 0;
	d->result = DMARC_DISCOVERY_PENDING;
	d->org_domain = "";
	d->has_failed_name = false;
	d->n_diags = 0;
	d->org_only = true;
	dmarc__walk_init(d->walk, name, len);
	d->phase = PH_WALK;
	return DMARC_OK;
}

/* d->domain holds the normalized name: set up the first step. */
dmarc_status dmarc__discovery_begin(dmarc_discovery *d, bool org_only)
{
	const char *org;
	dmarc_status st;

	if (d->ctx->mode == DMARC_MODE_RFC9989) {
		if (d->walk == NULL &&
		    (d->walk = dmarc__alloc(d->ctx, sizeof *d->walk)) == NULL)
			return DMARC_ENOMEM;
		dmarc__walk_init(d->walk, d->domain, d->domain_len);
		d->phase = PH_WALK;
		return DMARC_OK;
	}
	st = dmarc__psl_org_memo(d->ctx, d->psl_memo, d->domain, d->domain_len,
	    &org);
	if (st != DMARC_OK)
		return st;
	if (org != NULL) { /* a suffix of the name */
		d->org_domain = org;
		d->org_domain_len = (uint8_t)(d->domain_len - (org - d->domain));
		d->has_org = true;
	}
	if (org_only) {
		d->result = DMARC_DISCOVERY_NONE;
		d->phase = PH_DONE;
	} else {
		d->phase = PH_PSL_AUTHOR;
	}
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_discovery_start(dmarc_discovery *d,
    const char *author_domain, size_t len)
{
	return begin(d, author_domain, len, false);
}

DMARC_EXPORT dmarc_status dmarc_discovery_start_org(dmarc_discovery *d,
    const char *domain, size_t len)
{
	return begin(d, domain, len, true);
}

/* The verification state, made on the first verification. */
static struct verify_state *verify_state(dmarc_discovery *d)
{
	struct verify_state *v = d->verify;

	if (v == NULL && (v = dmarc__alloc(d->ctx, sizeof *v)) != NULL) {
		memset(v, 0, sizeof *v);
		dmarc__records_init(&v->auth_records, AUTH_SLOTS);
		d->verify = v;
	}
	return v;
}

DMARC_EXPORT dmarc_status dmarc_discovery_start_verify(dmarc_discovery *d)
{
	struct verify_state *v;

	if (d == NULL)
		return DMARC_EINVAL;
	if (d->phase != PH_DONE || d->result != DMARC_DISCOVERY_FOUND ||
	    d->record == NULL)
		return DMARC_ESTATE;
	if ((v = verify_state(d)) == NULL)
		return DMARC_ENOMEM;
	d->verify_index = 0;
	dmarc__walk_clear(&v->dest_walk);
	memset(v->auth, 0, sizeof v->auth);
	memset(v->override, 0, sizeof v->override);
	d->verified = true;
	dmarc__records_begin(&v->auth_records);
	d->phase = PH_VERIFY_QUERY;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_discovery_result dmarc_discovery_get_result(
    const dmarc_discovery *d)
{
	return d != NULL ? d->result : DMARC_DISCOVERY_PENDING;
}

DMARC_EXPORT const dmarc_record *dmarc_discovery_get_record(
    const dmarc_discovery *d)
{
	return d != NULL ? d->record : NULL;
}

DMARC_EXPORT const char *dmarc_discovery_get_domain(const dmarc_discovery *d)
{
	return d != NULL && d->domain[0] != '\0' ? d->domain : NULL;
}

DMARC_EXPORT const char *dmarc_discovery_get_policy_domain(
    const dmarc_discovery *d)
{
	return d != NULL && d->record != NULL ? d->policy_domain : NULL;
}

DMARC_EXPORT const char *dmarc_discovery_get_org_domain(
    const dmarc_discovery *d)
{
	return d != NULL && d->has_org ? d->org_domain : NULL;
}

DMARC_EXPORT dmarc_source dmarc_discovery_get_source(const dmarc_discovery *d)
{
	return d != NULL ? d->source : DMARC_SOURCE_NONE;
}

DMARC_EXPORT dmarc_method dmarc_discovery_get_method(const dmarc_discovery *d)
{
	return d != NULL ? d->method : DMARC_METHOD_TREEWALK;
}

DMARC_EXPORT dmarc_tag dmarc_discovery_get_applied_tag(
    const dmarc_discovery *d)
{
	return d != NULL ? d->applied_tag : DMARC_TAG_NONE;
}

DMARC_EXPORT dmarc_policy dmarc_discovery_get_policy(const dmarc_discovery *d)
{
	return d != NULL ? dmarc__discovery_policy(d) : DMARC_POLICY_UNSPECIFIED;
}

DMARC_EXPORT int dmarc_discovery_get_author_exists(const dmarc_discovery *d)
{
	return d != NULL ? d->author_exists : -1;
}

DMARC_EXPORT unsigned int dmarc_discovery_get_query_count(
    const dmarc_discovery *d)
{
	return d != NULL ? d->queries : 0;
}

DMARC_EXPORT const char *dmarc_discovery_get_failed_name(
    const dmarc_discovery *d)
{
	return d != NULL && d->has_failed_name ? d->failed_name : NULL;
}

DMARC_EXPORT dmarc_authorization dmarc_discovery_get_authorization(
    const dmarc_discovery *d, dmarc_tag tag, size_t index)
{
	size_t n_rua;

	if (d == NULL || d->record == NULL || !d->verified ||
	    index >= dmarc_record_get_uri_count(d->record, tag))
		return DMARC_AUTH_UNCHECKED;
	n_rua = dmarc_record_get_uri_count(d->record, DMARC_TAG_RUA);
	return (dmarc_authorization)d->verify->auth[
	    (tag == DMARC_TAG_RUF ? n_rua : 0) + index];
}

DMARC_EXPORT size_t dmarc_discovery_get_destination_count(
    const dmarc_discovery *d, dmarc_tag tag, size_t index)
{
	const dmarc_uri *u;

	return dmarc__verify_destination(d, tag, index, 0, &u);
}

DMARC_EXPORT const dmarc_uri *dmarc_discovery_get_destination(
    const dmarc_discovery *d, dmarc_tag tag, size_t index, size_t n)
{
	const dmarc_uri *u;

	dmarc__verify_destination(d, tag, index, n, &u);
	return u;
}

DMARC_EXPORT size_t dmarc_discovery_get_diag_count(const dmarc_discovery *d)
{
	return d != NULL ? d->n_diags : 0;
}

DMARC_EXPORT const dmarc_diag *dmarc_discovery_get_diag(
    const dmarc_discovery *d, size_t index)
{
	if (d == NULL || index >= d->n_diags)
		return NULL;
	return &dmarc__discovery_diag_at(d, (unsigned int)index)->diag;
}
