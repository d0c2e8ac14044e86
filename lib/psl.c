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
#include <sys/stat.h>
#include <time.h>

#include <libpsl.h>

#include "hash.h"
#include "psl_int.h"

struct dmarc_psl {
	psl_ctx_t *list;
	struct psl_wild *wild;  /* wildcard parents libpsl gets wrong */
	dmarc_status load_status; /* of the on-demand load */
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
	p->wild = NULL;
	p->load_status = DMARC_OK;
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
	dmarc__psl_wild_free(ctx, p->wild);
	pthread_mutex_destroy(&p->lock);
	dmarc__free(ctx, p);
}

static void install(dmarc_ctx *ctx, psl_ctx_t *list, struct psl_wild *wild)
{
	psl_free(ctx->psl->list);
	dmarc__psl_wild_free(ctx, ctx->psl->wild);
	ctx->psl->list = list;
	ctx->psl->wild = wild;
	ctx->psl->load_status = DMARC_OK;
	atomic_store(&ctx->psl->settled, true);
}

static bool is_dafsa(const char *data, size_t len)
{
	return len >= 11 && memcmp(data, ".DAFSA@PSL_", 11) == 0;
}

/* A list in memory: libpsl reads it, and its text gives the wildcard
 * parents.  libpsl takes any text for rules, so a text it fails to load
 * means its own allocation failed; a compiled (DAFSA) list it refuses
 * may be either. */
static dmarc_status load_memory(const dmarc_ctx *ctx, const char *data,
    size_t len, psl_ctx_t **list, struct psl_wild **wild)
{
	dmarc_status st = dmarc__psl_wild_build(ctx, data, len, wild);
	FILE *fp;

	*list = NULL;
	if (st != DMARC_OK)
		return st;
	fp = fmemopen((void *)(uintptr_t)data, len, "r");
	if (fp != NULL) {
		*list = psl_load_fp(fp);
		fclose(fp);
	}
	if (*list != NULL)
		return DMARC_OK;
	dmarc__psl_wild_free(ctx, *wild);
	*wild = NULL;
	if (fp != NULL && is_dafsa(data, len))
		return DMARC_ENOPSL;
	return DMARC_ENOMEM;
}

/* The whole file at path, in a block from the context's allocator. */
static dmarc_status read_file(const dmarc_ctx *ctx, const char *path,
    char **data, size_t *len)
{
	FILE *fp = path != NULL ? fopen(path, "rb") : NULL;
	size_t size = 0, n = 0, got;
	char *buf = NULL, *more;
	dmarc_status st = DMARC_OK;

	*data = NULL;
	if (fp == NULL)
		return DMARC_ENOPSL;
	do {
		if (n == size) {
			size = size == 0 ? 65536 : size * 2;
			if ((more = dmarc__realloc(ctx, buf, size)) == NULL) {
				st = DMARC_ENOMEM;
				break;
			}
			buf = more;
		}
		got = fread(buf + n, 1, size - n, fp);
		n += got;
	} while (got != 0);
	if (st == DMARC_OK && (ferror(fp) || n == 0))
		st = DMARC_ENOPSL;
	fclose(fp);
	if (st != DMARC_OK) {
		dmarc__free(ctx, buf);
		return st;
	}
	*data = buf;
	*len = n;
	return DMARC_OK;
}

/* The list in the file at path. */
static dmarc_status load_file(const dmarc_ctx *ctx, const char *path,
    psl_ctx_t **list, struct psl_wild **wild)
{
	dmarc_status st;
	char *data;
	size_t len;

	*list = NULL;
	*wild = NULL;
	if ((st = read_file(ctx, path, &data, &len)) != DMARC_OK)
		return st;
	st = load_memory(ctx, data, len, list, wild);
	dmarc__free(ctx, data);
	return st;
}

/* A file's modification time; 0 when it cannot be had. */
static time_t mtime_of(const char *path)
{
	struct stat sb;

	return path != NULL && stat(path, &sb) == 0 ? sb.st_mtime : 0;
}

/* A compiled list made from a text file when a package is built is a
 * little newer than the text: the same list. */
#define SAME_LIST_SLACK ((time_t)86400)

/* The system's list from a text file as new as what libpsl would choose
 * (within SAME_LIST_SLACK: Debian installs one list as text and, made
 * from it a minute later, as DAFSA): libpsl
 * hashes the rules of a text list, where the DAFSA is walked byte by
 * byte.  Measured (bench/RESULTS.md): a lookup about 3,000 instructions
 * instead of 8,900, for 1.6 MB instead of 55 KB and 35 M instructions
 * (about 10 ms) once at load; a context serves every evaluation, which
 * asks the list for each domain it has not seen.  DMARC_ENOPSL when
 * there is no such file. */
static dmarc_status load_system_text(const dmarc_ctx *ctx,
    const char *const paths[2], psl_ctx_t **list, struct psl_wild **wild)
{
	time_t newest = (time_t)psl_builtin_file_time(), t;
	dmarc_status st;
	char *data;
	size_t len, i;

	if ((t = mtime_of(paths[0])) > newest)
		newest = t;
	for (i = 0; i < 2; i++) {
		if (paths[i] == NULL ||
		    mtime_of(paths[i]) + SAME_LIST_SLACK < newest ||
		    read_file(ctx, paths[i], &data, &len) != DMARC_OK)
			continue;
		st = is_dafsa(data, len) ? DMARC_ENOPSL
		    : load_memory(ctx, data, len, list, wild);
		dmarc__free(ctx, data);
		if (st == DMARC_OK || st == DMARC_ENOMEM)
			return st;
	}
	return DMARC_ENOPSL;
}

/* The system's list: as text when there is one (above); else as libpsl
 * chooses it (its distribution file or its built-in copy, whichever is
 * newer), and the wildcard parents from the text it was made of (the
 * distribution file may be compiled). */
static dmarc_status load_system(const dmarc_ctx *ctx, psl_ctx_t **list,
    struct psl_wild **wild)
{
	const char *paths[2] = { psl_dist_filename(), psl_builtin_filename() };
	dmarc_status st = DMARC_OK;
	char *data;
	size_t len, i;

	*wild = NULL;
	*list = NULL;
	if ((st = load_system_text(ctx, paths, list, wild)) != DMARC_ENOPSL)
		return st;
	if ((*list = psl_latest(NULL)) == NULL)
		return DMARC_ENOPSL; /* no list, or no memory: cannot tell */
	for (i = 0; i < 2 && *wild == NULL; i++) {
		if ((st = read_file(ctx, paths[i], &data, &len)) == DMARC_OK) {
			st = dmarc__psl_wild_build(ctx, data, len, wild);
			dmarc__free(ctx, data);
		}
		if (st == DMARC_ENOMEM) {
			psl_free(*list);
			*list = NULL;
			return st;
		}
	}
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_load_psl(dmarc_ctx *ctx, const char *path)
{
	struct psl_wild *wild;
	psl_ctx_t *list;
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	st = path != NULL ? load_file(ctx, path, &list, &wild)
	    : load_system(ctx, &list, &wild);
	if (st == DMARC_OK)
		install(ctx, list, wild);
	return st;
}

DMARC_EXPORT dmarc_status dmarc_ctx_load_psl_buffer(dmarc_ctx *ctx,
    const char *data, size_t len)
{
	struct psl_wild *wild;
	psl_ctx_t *list;
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	if (data == NULL || len == 0)
		return DMARC_EINVAL;
	st = load_memory(ctx, data, len, &list, &wild);
	if (st == DMARC_OK)
		install(ctx, list, wild);
	return st;
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_psl_sections(dmarc_ctx *ctx,
    dmarc_psl_sections sections)
{
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
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
 * given; NULL, with the reason in *st, when there is none to be had.  An
 * allocation failure is tried again on the next call. */
static const struct dmarc_psl *get_list(const dmarc_ctx *ctx,
    dmarc_status *st)
{
	struct dmarc_psl *p = ctx->psl;

	if (!atomic_load_explicit(&p->settled, memory_order_acquire)) {
		pthread_mutex_lock(&p->lock);
		if (!atomic_load_explicit(&p->settled, memory_order_relaxed)) {
			p->load_status = load_system(ctx, &p->list, &p->wild);
			if (p->load_status != DMARC_ENOMEM)
				atomic_store_explicit(&p->settled, true,
				    memory_order_release);
		}
		*st = p->load_status;
		pthread_mutex_unlock(&p->lock);
		return p->list != NULL ? p : NULL;
	}
	*st = p->load_status != DMARC_OK ? p->load_status : DMARC_ENOPSL;
	return p->list != NULL ? p : NULL;
}

/* The registrable domain by the list's algorithm, walking up from name
 * to the first public suffix: libpsl's answer for each name, less name
 * itself when it is a wildcard parent libpsl takes for a suffix (a rule
 * "*.P" alone does not match P).  Higher up such a parent is the suffix:
 * the walk reached it from a child the wildcard did not match, which
 * only an exception rule does, and an exception's suffix is its parent
 * (publicsuffix.org algorithm, "Formal Algorithm"). */
static const char *walk_org(const struct dmarc_psl *p, const char *name,
    int type)
{
	bool icann = type == PSL_TYPE_ICANN;
	const char *prev = NULL, *s = name;

	for (;;) {
		if (psl_is_public_suffix2(p->list, s, type) && (prev != NULL ||
		    !dmarc__psl_wild_only(p->wild, s, icann)))
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
	dmarc_status st;
	const struct dmarc_psl *p = get_list(ctx, &st);

	if (p == NULL)
		return st;
	if (p->sections == DMARC_PSL_ICANN_ONLY) {
		*org = walk_org(p, name, PSL_TYPE_ICANN);
		return DMARC_OK;
	}
	/* libpsl's answer is right but for a name that is itself a
	 * wildcard parent (below it the wildcard matches first) */
	*org = psl_registrable_domain(p->list, name);
	if (*org == NULL && dmarc__psl_wild_only(p->wild, name, false))
		*org = walk_org(p, name, PSL_TYPE_ANY);
	return DMARC_OK;
}

void dmarc__psl_memo_free(const dmarc_ctx *ctx, struct psl_memo *m)
{
	if (m != NULL)
		dmarc__free(ctx, m);
}

dmarc_status dmarc__psl_org_memo(const dmarc_ctx *ctx, struct psl_memo **mp,
    const char *name, const char **org)
{
	struct psl_memo *m = *mp;
	struct psl_memo_slot *s, *old;
	size_t i, len;
	uint32_t h;
	dmarc_status st;

	if (m == NULL) {
		if ((m = dmarc__alloc(ctx, sizeof *m)) == NULL)
			return dmarc__psl_org(ctx, name, org); /* slower, alike */
		memset(m, 0, sizeof *m);
		*mp = m;
	}
	len = strlen(name);
	h = dmarc__hash_bytes(name, len);
	s = &m->slot[(h % (PSL_MEMO_SLOTS / PSL_MEMO_WAYS)) * PSL_MEMO_WAYS];
	old = s;
	for (i = 0; i < PSL_MEMO_WAYS; i++, s++) {
		if (s->valid && s->hash == h && s->len == len &&
		    memcmp(s->name, name, len) == 0) {
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
	old->len = (uint8_t)len;
	old->valid = true;
	old->has_org = *org != NULL;
	old->org_off = (uint8_t)(*org != NULL ? (size_t)(*org - name) : 0);
	old->used = ++m->clock;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_psl_org_domain(const dmarc_ctx *ctx,
    const char *name, size_t len, char *buf, size_t size, size_t *length)
{
	char norm[DMARC_DOMAIN_SIZE];
	const char *org;
	dmarc_status st;

	if (length != NULL)
		*length = 0;
	if (ctx == NULL || buf == NULL)
		return DMARC_EINVAL;
	if (size != 0)
		buf[0] = '\0';
	st = dmarc_domain_normalize(name, len, norm, sizeof norm, NULL);
	if (st == DMARC_OK)
		st = dmarc__psl_org(ctx, norm, &org);
	if (st != DMARC_OK || org == NULL)
		return st; /* a public suffix has none: "" */
	len = strlen(org);
	if (length != NULL)
		*length = len;
	if (len >= size)
		return DMARC_EBUFFER;
	memcpy(buf, org, len + 1);
	return DMARC_OK;
}

/* ---- RFC 9091: the receiver's list of PSDs ---- */

DMARC_EXPORT dmarc_status dmarc_ctx_add_psd(dmarc_ctx *ctx, const char *name)
{
	char norm[DMARC_DOMAIN_SIZE];
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	if (name == NULL)
		return DMARC_EINVAL;
	st = dmarc_domain_normalize(name, strlen(name), norm, sizeof norm,
	    NULL);
	if (st != DMARC_OK)
		return st;
	return dmarc__strlist_add(ctx, &ctx->psds, norm, strlen(norm));
}

bool dmarc__psd_accepted(const dmarc_ctx *ctx, const char *name)
{
	return dmarc__strlist_has(&ctx->psds, name, false);
}
