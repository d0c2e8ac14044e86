/*
 * libdmarc - the dmarc_record object: built in one allocation from the
 * parser's state, read through getters, freed in one call.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "record_int.h"

/* Copy n bytes and a NUL to the pool; returns the pool's new end. */
static char *pool_put(char *pool, const char *s, size_t n)
{
	memcpy(pool, s, n);
	pool[n] = '\0';
	return pool + n + 1;
}

static char *pool_put_lower(char *pool, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pool[i] = (char)dmarc__lower((unsigned char)s[i]);
	pool[n] = '\0';
	return pool + n + 1;
}

/* A URI's text is its span of the record's copy of the input, ended by
 * a NUL written over the separator after it; what else it needs goes to
 * the pool, whose new end is returned (see uri_pool_size() in uri.c). */
static char *build_uri(dmarc_uri *u, const struct uri_span *span,
    char *copy, const char *text, char *pool)
{
	u->text = copy + span->off;
	copy[span->off + span->len] = '\0';
	u->size_limit = span->size_limit;
	u->flags = span->flags;
	u->scheme = "mailto";
	if (!(span->flags & DMARC_URI_MAILTO)) {
		u->scheme = pool;
		u->address = NULL;
		return pool_put_lower(pool, text + span->off, span->scheme_len);
	}
	if (span->addr_len != span->addr_decoded_len) {
		size_t n = dmarc__percent_decode(pool, text + span->addr_off,
		    span->addr_len);
		pool[n] = '\0';
		u->address = pool;
		return pool + n + 1;
	}
	if (span->addr_off + span->addr_len == span->off + span->len) {
		u->address = copy + span->addr_off; /* the text's tail */
		return pool;
	}
	u->address = pool;
	return pool_put(pool, text + span->addr_off, span->addr_len);
}

/* Both URI lists, rua first, into uris; the text copy goes to copy and
 * the rest to pool, whose new end is returned. */
static char *build_uris(dmarc_uri *uris, const struct parse_state *st,
    char *copy, char *pool)
{
	const struct uri_span *span, *stop;
	unsigned int k;

	memcpy(copy, st->text, st->len);
	copy[st->len] = '\0';
	for (k = 0; k < 2; k++)
		for (span = st->uris[k], stop = span + st->n_uris[k];
		    span < stop; span++)
			pool = build_uri(uris++, span, copy, st->text, pool);
	return pool;
}

/* The diagnostics, with the names of unknown tags copied to pool. */
static void build_diags(dmarc_diag *diags, const struct parse_state *st,
    char *pool)
{
	uint32_t i;

	memcpy(diags, st->diags, st->n_diags * sizeof *diags);
	for (i = 0; i < st->n_diags; i++) {
		if (diags[i].tag == NULL) {
			diags[i].tag = pool;
			pool = pool_put_lower(pool, st->text + st->diag_names[i].off,
			    st->diag_names[i].len);
		}
	}
}

/* The counter is the one part of a shared context records write (the
 * context itself was never defined const): reports tell records apart
 * by it, never by their address, which a later record may reuse. */
static uint64_t next_serial(const dmarc_ctx *ctx)
{
	dmarc_ctx *shared = (dmarc_ctx *)(uintptr_t)ctx;

	return atomic_fetch_add_explicit(&shared->record_serial, 1u,
	    memory_order_relaxed) + 1u;
}

dmarc_status dmarc__record_build(dmarc_record **out,
    const struct parse_state *st, dmarc_record *spare)
{
	size_t n_uris = st->n_uris[LIST_RUA] + st->n_uris[LIST_RUF];
	size_t copy_len = n_uris > 0 ? st->len + 1u : 0;
	size_t size = sizeof(dmarc_record) + n_uris * sizeof(dmarc_uri) +
	    st->n_diags * sizeof(dmarc_diag) + copy_len + st->pool;
	dmarc_record *rec;
	dmarc_uri *uris;
	dmarc_diag *diags;
	char *copy, *pool;

	if (spare != NULL && spare->size >= size &&
	    spare->free_fn == st->ctx->free_fn) {
		rec = spare;
		size = spare->size;
	} else if ((rec = dmarc__alloc(st->ctx, size)) == NULL) {
		return DMARC_ENOMEM;
	}
	uris = (dmarc_uri *)(void *)(rec + 1);
	diags = (dmarc_diag *)(void *)(uris + n_uris);
	copy = (char *)(diags + st->n_diags);
	pool = copy + copy_len;
	rec->free_fn = st->ctx->free_fn;
	rec->serial = next_serial(st->ctx);
	rec->holders = 0;
	rec->size = size;
	rec->v = st->v;
	rec->n_rua = st->n_uris[LIST_RUA];
	rec->n_ruf = st->n_uris[LIST_RUF];
	rec->n_diags = st->n_diags;
	rec->uris = uris;
	rec->diags = diags;
	if (n_uris > 0)
		pool = build_uris(uris, st, copy, pool);
	if (st->n_diags > 0)
		build_diags(diags, st, pool);
	*out = rec;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_record_free(dmarc_record *rec)
{
	if (rec != NULL)
		rec->free_fn(rec);
}

DMARC_EXPORT dmarc_record_state dmarc_record_get_state(const dmarc_record *rec)
{
	return rec != NULL ? (dmarc_record_state)rec->v.state
	    : DMARC_RECORD_NOT_DMARC;
}

DMARC_EXPORT dmarc_mode dmarc_record_get_mode(const dmarc_record *rec)
{
	return rec != NULL ? (dmarc_mode)rec->v.mode : DMARC_MODE_RFC9989;
}

DMARC_EXPORT int dmarc_record_has_tag(const dmarc_record *rec, dmarc_tag tag)
{
	if (rec == NULL || tag < DMARC_TAG_V || tag > DMARC_TAG_T)
		return 0;
	return (rec->v.present & DMARC_TAG_BIT(tag)) != 0;
}

DMARC_EXPORT dmarc_policy dmarc_record_get_policy(const dmarc_record *rec,
    dmarc_tag tag)
{
	uint8_t p;

	if (rec == NULL || rec->v.state == DMARC_RECORD_INVALID ||
	    rec->v.state == DMARC_RECORD_NOT_DMARC)
		return DMARC_POLICY_UNSPECIFIED;
	if (rec->v.state == DMARC_RECORD_AS_NONE)
		return tag == DMARC_TAG_P || tag == DMARC_TAG_SP ||
		    tag == DMARC_TAG_NP ? DMARC_POLICY_NONE
		    : DMARC_POLICY_UNSPECIFIED;
	switch (tag) {
	case DMARC_TAG_P:
		p = rec->v.p;
		break;
	case DMARC_TAG_SP:
		p = rec->v.sp != 0 ? rec->v.sp : rec->v.p;
		break;
	case DMARC_TAG_NP:
		p = rec->v.np != 0 ? rec->v.np : rec->v.sp != 0 ? rec->v.sp : rec->v.p;
		break;
	default:
		p = 0;
		break;
	}
	return (dmarc_policy)p;
}

DMARC_EXPORT dmarc_alignment dmarc_record_get_alignment(
    const dmarc_record *rec, dmarc_tag tag)
{
	if (rec != NULL && tag == DMARC_TAG_ADKIM)
		return (dmarc_alignment)rec->v.adkim;
	if (rec != NULL && tag == DMARC_TAG_ASPF)
		return (dmarc_alignment)rec->v.aspf;
	return DMARC_ALIGN_RELAXED;
}

DMARC_EXPORT unsigned int dmarc_record_get_pct(const dmarc_record *rec)
{
	return rec != NULL ? rec->v.pct : 100u;
}

DMARC_EXPORT uint32_t dmarc_record_get_ri(const dmarc_record *rec)
{
	return rec != NULL ? rec->v.ri : 86400ul;
}

DMARC_EXPORT unsigned int dmarc_record_get_fo(const dmarc_record *rec)
{
	return rec != NULL ? rec->v.fo : (unsigned int)DMARC_FO_ALL_FAIL;
}

DMARC_EXPORT unsigned int dmarc_record_get_rf(const dmarc_record *rec)
{
	return rec != NULL ? rec->v.rf : (unsigned int)DMARC_RF_AFRF;
}

DMARC_EXPORT dmarc_psd dmarc_record_get_psd(const dmarc_record *rec)
{
	return rec != NULL ? (dmarc_psd)rec->v.psd : DMARC_PSD_UNKNOWN;
}

DMARC_EXPORT int dmarc_record_get_testing(const dmarc_record *rec)
{
	return rec != NULL ? rec->v.testing : 0;
}

DMARC_EXPORT size_t dmarc_record_get_uri_count(const dmarc_record *rec,
    dmarc_tag tag)
{
	if (rec == NULL)
		return 0;
	if (tag == DMARC_TAG_RUA)
		return rec->n_rua;
	if (tag == DMARC_TAG_RUF)
		return rec->n_ruf;
	return 0;
}

DMARC_EXPORT const dmarc_uri *dmarc_record_get_uri(const dmarc_record *rec,
    dmarc_tag tag, size_t index)
{
	if (index >= dmarc_record_get_uri_count(rec, tag))
		return NULL;
	return &rec->uris[(tag == DMARC_TAG_RUF ? rec->n_rua : 0) + index];
}

DMARC_EXPORT size_t dmarc_record_get_diag_count(const dmarc_record *rec)
{
	return rec != NULL ? rec->n_diags : 0;
}

DMARC_EXPORT const dmarc_diag *dmarc_record_get_diag(const dmarc_record *rec,
    size_t index)
{
	if (rec == NULL || index >= rec->n_diags)
		return NULL;
	return &rec->diags[index];
}
