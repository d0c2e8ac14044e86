/*
 * libdmarc - the Public Suffix List (through libpsl) for the RFC 7489
 * Organizational Domain, and the RFC 9091 list of accepted PSDs.  The
 * list is loaded once per context (on demand: the system list) and is
 * read-only afterwards, shared by every thread using the context.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <libpsl.h>

#include "psl_int.h"

struct dmarc_psl {
	psl_ctx_t *list;
	atomic_bool settled;    /* list loaded, or loading failed */
	pthread_mutex_t lock;   /* serializes the on-demand load */
	dmarc_psl_sections sections;
};

struct dmarc_psl *dmarc__psl_new(const dmarc_ctx *ctx)
{
	struct dmarc_psl *p = dmarc__alloc(ctx, sizeof *p);

	if (p == NULL)
		return NULL;
	p->list = NULL;
	atomic_init(&p->settled, false);
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		dmarc__free(ctx, p);
		return NULL;
	}
	p->sections = DMARC_PSL_ALL;
	return p;
}

void dmarc__psl_free(const dmarc_ctx *ctx, struct dmarc_psl *p)
{
	if (p == NULL)
		return;
	psl_free(p->list);
	pthread_mutex_destroy(&p->lock);
	dmarc__free(ctx, p);
}

static dmarc_status install(dmarc_ctx *ctx, psl_ctx_t *list)
{
	if (list == NULL)
		return DMARC_ENOPSL;
	psl_free(ctx->psl->list);
	ctx->psl->list = list;
	atomic_store(&ctx->psl->settled, true);
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_load_psl(dmarc_ctx *ctx, const char *path)
{
	if (ctx == NULL)
		return DMARC_EINVAL;
	return install(ctx, path != NULL ? psl_load_file(path) : psl_latest(NULL));
}

DMARC_EXPORT dmarc_status dmarc_ctx_load_psl_buffer(dmarc_ctx *ctx,
    const char *data, size_t len)
{
	psl_ctx_t *list;
	FILE *fp;

	if (ctx == NULL || data == NULL || len == 0)
		return DMARC_EINVAL;
	fp = fmemopen((void *)(uintptr_t)data, len, "r");
	if (fp == NULL)
		return DMARC_ENOMEM;
	list = psl_load_fp(fp);
	fclose(fp);
	return install(ctx, list);
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_psl_sections(dmarc_ctx *ctx,
    dmarc_psl_sections sections)
{
	if (ctx == NULL)
		return DMARC_EINVAL;
	if (sections != DMARC_PSL_ALL && sections != DMARC_PSL_ICANN_ONLY)
		return DMARC_ERANGE;
	ctx->psl->sections = sections;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_psl_sections dmarc_ctx_get_psl_sections(
    const dmarc_ctx *ctx)
{
	return ctx != NULL ? ctx->psl->sections : DMARC_PSL_ALL;
}

/* The loaded list, loading the system list the first time if none was
 * given; NULL when there is none to be had. */
static const psl_ctx_t *get_list(const dmarc_ctx *ctx)
{
	struct dmarc_psl *p = ctx->psl;

	if (!atomic_load_explicit(&p->settled, memory_order_acquire)) {
		pthread_mutex_lock(&p->lock);
		if (!atomic_load_explicit(&p->settled, memory_order_relaxed)) {
			p->list = psl_latest(NULL);
			atomic_store_explicit(&p->settled, true,
			    memory_order_release);
		}
		pthread_mutex_unlock(&p->lock);
	}
	return p->list;
}

/* ICANN section only: the registrable domain is one label more than the
 * longest suffix that is an ICANN public suffix. */
static const char *icann_org(const psl_ctx_t *list, const char *name)
{
	const char *prev = NULL, *s = name;

	for (;;) {
		if (psl_is_public_suffix2(list, s, PSL_TYPE_ICANN))
			return prev;
		prev = s;
		s = strchr(s, '.');
		if (s == NULL)
			return NULL; /* cannot happen: the last label matches '*' */
		s++;
	}
}

dmarc_status dmarc__psl_org(const dmarc_ctx *ctx, const char *name,
    const char **org)
{
	const psl_ctx_t *list = get_list(ctx);

	if (list == NULL)
		return DMARC_ENOPSL;
	if (ctx->psl->sections == DMARC_PSL_ICANN_ONLY)
		*org = icann_org(list, name);
	else
		*org = psl_registrable_domain(list, name);
	return DMARC_OK;
}

static uint32_t name_hash(const char *s, size_t *len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	const char *p;

	for (p = s; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	*len = (size_t)(p - s);
	return h;
}

dmarc_status dmarc__psl_org_memo(const dmarc_ctx *ctx, struct psl_memo *m,
    const char *name, const char **org)
{
	struct psl_memo_slot *s, *old = &m->slot[0];
	size_t i, len;
	uint32_t h = name_hash(name, &len);
	dmarc_status st;

	for (i = 0; i < PSL_MEMO_SLOTS; i++) {
		s = &m->slot[i];
		if (s->valid && s->hash == h && strcmp(s->name, name) == 0) {
			s->used = ++m->clock;
			*org = s->has_org ? name + s->org_off : NULL;
			return DMARC_OK;
		}
		if (s->used < old->used)
			old = s;
	}
	if ((st = dmarc__psl_org(ctx, name, org)) != DMARC_OK ||
	    len >= sizeof old->name)
		return st;
	memcpy(old->name, name, len + 1);
	old->hash = h;
	old->valid = true;
	old->has_org = *org != NULL;
	old->org_off = (uint8_t)(*org != NULL ? (size_t)(*org - name) : 0);
	old->used = ++m->clock;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_psl_org_domain(const dmarc_ctx *ctx,
    char *out, size_t size, int *found, const char *name, size_t len)
{
	char norm[DMARC_DOMAIN_SIZE];
	const char *org;
	dmarc_status st;

	if (ctx == NULL || out == NULL || found == NULL)
		return DMARC_EINVAL;
	*found = 0;
	if (size != 0)
		out[0] = '\0';
	st = dmarc_domain_normalize(norm, sizeof norm, name, len);
	if (st == DMARC_OK)
		st = dmarc__psl_org(ctx, norm, &org);
	if (st != DMARC_OK || org == NULL)
		return st;
	len = strlen(org);
	if (len >= size)
		return DMARC_EBUFFER;
	memcpy(out, org, len + 1);
	*found = 1;
	return DMARC_OK;
}

/* ---- RFC 9091: the receiver's list of PSDs ---- */

DMARC_EXPORT dmarc_status dmarc_ctx_add_psd(dmarc_ctx *ctx, const char *name,
    size_t len)
{
	char norm[DMARC_DOMAIN_SIZE];
	dmarc_status st;

	if (ctx == NULL)
		return DMARC_EINVAL;
	st = dmarc_domain_normalize(norm, sizeof norm, name, len);
	if (st != DMARC_OK)
		return st;
	return dmarc__strlist_add(ctx, &ctx->psds, norm, strlen(norm));
}

bool dmarc__psd_accepted(const dmarc_ctx *ctx, const char *name)
{
	return dmarc__strlist_has(&ctx->psds, name, false);
}
