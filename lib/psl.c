/*
 * libdmarc - the Public Suffix List for the RFC 7489 Organizational
 * Domain (a text list in our own table, lib/psl_table.c; a compiled one
 * through libpsl), and the RFC 9091 list of accepted PSDs.  The list is
 * loaded once per context (on demand: the system list) and is read-only
 * afterwards, shared by every thread using the context.
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

/* A list as loaded: from text, our own table (lib/psl_table.c); a
 * compiled list, or a text list when asked to keep libpsl's copy (the
 * tests' oracle), in libpsl with the wildcard parents it gets wrong. */
struct psl_loaded {
	struct psl_table *table;
	psl_ctx_t *list;
	struct psl_wild *wild;
};

struct dmarc_psl {
	struct psl_loaded l;
	dmarc_status load_status; /* of the on-demand load */
	atomic_bool settled;    /* list loaded, or loading failed */
	pthread_mutex_t lock;   /* serializes the on-demand load */
	dmarc_psl_sections sections;
	bool keep_libpsl;       /* a text list into libpsl as well */
};

static void loaded_free(const dmarc_ctx *ctx, struct psl_loaded *l)
{
	psl_free(l->list);
	dmarc__psl_wild_free(ctx, l->wild);
	dmarc__psl_table_free(ctx, l->table);
	l->list = NULL;
	l->wild = NULL;
	l->table = NULL;
}

struct dmarc_psl *dmarc__psl_new(const dmarc_ctx *ctx)
{
	struct dmarc_psl *p = dmarc__alloc(ctx, sizeof *p);

	if (p == NULL)
		return NULL;
	p->l.list = NULL;
	p->l.wild = NULL;
	p->l.table = NULL;
	p->keep_libpsl = false;
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
	loaded_free(ctx, &p->l);
	pthread_mutex_destroy(&p->lock);
	dmarc__free(ctx, p);
}

static void install(dmarc_ctx *ctx, const struct psl_loaded *l)
{
	loaded_free(ctx, &ctx->psl->l);
	ctx->psl->l = *l;
	ctx->psl->load_status = DMARC_OK;
	atomic_store(&ctx->psl->settled, true);
}

static bool is_dafsa(const char *data, size_t len)
{
	return len >= 11 && memcmp(data, ".DAFSA@PSL_", 11) == 0;
}

/* A list in memory.  Text: our own table, and libpsl's copy only when
 * asked (measured in bench/RESULTS.md: 1.6 MB and, with the wildcard
 * parents, 47 M instructions of load that the table makes useless).
 * Compiled (DAFSA): libpsl.
 * libpsl takes any text for rules, so a text it fails to load means its
 * own allocation failed; a compiled list it refuses may be either. */
static dmarc_status load_memory(const dmarc_ctx *ctx, const char *data,
    size_t len, bool keep_libpsl, struct psl_loaded *l)
{
	dmarc_status st;
	FILE *fp;

	l->list = NULL;
	l->wild = NULL;
	if ((st = dmarc__psl_table_build(ctx, data, len, &l->table)) !=
	    DMARC_OK)
		return st;
	if (l->table != NULL && !keep_libpsl)
		return DMARC_OK;
	if ((st = dmarc__psl_wild_build(ctx, data, len, &l->wild)) !=
	    DMARC_OK) {
		loaded_free(ctx, l);
		return st;
	}
	fp = fmemopen((void *)(uintptr_t)data, len, "r");
	if (fp != NULL) {
		l->list = psl_load_fp(fp);
		fclose(fp);
	}
	if (l->list != NULL)
		return DMARC_OK;
	loaded_free(ctx, l);
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
    bool keep_libpsl, struct psl_loaded *l)
{
	dmarc_status st;
	char *data;
	size_t len;

	if ((st = read_file(ctx, path, &data, &len)) != DMARC_OK)
		return st;
	st = load_memory(ctx, data, len, keep_libpsl, l);
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
 * from it a minute later, as DAFSA), into our own table, where libpsl
 * walks the DAFSA byte by byte.  Measured (bench/RESULTS.md): a lookup
 * a few hundred instructions instead of 8,900; a context serves every
 * evaluation, which asks the list for each domain it has not seen.
 * DMARC_ENOPSL when there is no such file. */
static dmarc_status load_system_text(const dmarc_ctx *ctx,
    const char *const paths[2], bool keep_libpsl, struct psl_loaded *l)
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
		    : load_memory(ctx, data, len, keep_libpsl, l);
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
static dmarc_status load_system(const dmarc_ctx *ctx, bool keep_libpsl,
    struct psl_loaded *l)
{
	const char *paths[2] = { psl_dist_filename(), psl_builtin_filename() };
	dmarc_status st = DMARC_OK;
	char *data;
	size_t len, i;

	l->table = NULL;
	l->wild = NULL;
	l->list = NULL;
	if ((st = load_system_text(ctx, paths, keep_libpsl, l)) !=
	    DMARC_ENOPSL)
		return st;
	if ((l->list = psl_latest(NULL)) == NULL)
		return DMARC_ENOPSL; /* no list, or no memory: cannot tell */
	for (i = 0; i < 2 && l->wild == NULL; i++) {
		if ((st = read_file(ctx, paths[i], &data, &len)) == DMARC_OK) {
			st = dmarc__psl_wild_build(ctx, data, len, &l->wild);
			dmarc__free(ctx, data);
		}
		if (st == DMARC_ENOMEM) {
			loaded_free(ctx, l);
			return st;
		}
	}
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_load_psl(dmarc_ctx *ctx, const char *path)
{
	struct psl_loaded l = { NULL, NULL, NULL };
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	st = path != NULL ? load_file(ctx, path, ctx->psl->keep_libpsl, &l)
	    : load_system(ctx, ctx->psl->keep_libpsl, &l);
	if (st == DMARC_OK)
		install(ctx, &l);
	return st;
}

DMARC_EXPORT dmarc_status dmarc_ctx_load_psl_buffer(dmarc_ctx *ctx,
    const char *data, size_t len)
{
	struct psl_loaded l = { NULL, NULL, NULL };
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	if (data == NULL || len == 0)
		return DMARC_EINVAL;
	st = load_memory(ctx, data, len, ctx->psl->keep_libpsl, &l);
	if (st == DMARC_OK)
		install(ctx, &l);
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

static bool has_list(const struct dmarc_psl *p)
{
	return p->l.table != NULL || p->l.list != NULL;
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
			p->load_status = load_system(ctx, p->keep_libpsl,
			    &p->l);
			if (p->load_status != DMARC_ENOMEM)
				atomic_store_explicit(&p->settled, true,
				    memory_order_release);
		}
		*st = p->load_status;
		pthread_mutex_unlock(&p->lock);
		return has_list(p) ? p : NULL;
	}
	*st = p->load_status != DMARC_OK ? p->load_status : DMARC_ENOPSL;
	return has_list(p) ? p : NULL;
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
		if (psl_is_public_suffix2(p->l.list, s, type) && (prev != NULL ||
		    !dmarc__psl_wild_only(p->l.wild, s, icann)))
			return prev;
		prev = s;
		s = strchr(s, '.');
		if (s == NULL)
			return NULL; /* cannot happen: the last label matches '*' */
		s++;
	}
}

/* libpsl's answer, corrected for the wildcard parents it gets wrong. */
static const char *org_libpsl(const struct dmarc_psl *p, const char *name)
{
	const char *org;

	if (p->sections == DMARC_PSL_ICANN_ONLY)
		return walk_org(p, name, PSL_TYPE_ICANN);
	/* libpsl's answer is right but for a name that is itself a
	 * wildcard parent (below it the wildcard matches first) */
	org = psl_registrable_domain(p->l.list, name);
	if (org == NULL && dmarc__psl_wild_only(p->l.wild, name, false))
		org = walk_org(p, name, PSL_TYPE_ANY);
	return org;
}

dmarc_status dmarc__psl_org(const dmarc_ctx *ctx, const char *name,
    const char **org)
{
	dmarc_status st;
	const struct dmarc_psl *p = get_list(ctx, &st);

	if (p == NULL)
		return st;
	if (p->l.table != NULL) {
		*org = dmarc__psl_table_org(p->l.table, name,
		    p->sections == DMARC_PSL_ICANN_ONLY);
		return DMARC_OK;
	}
	*org = org_libpsl(p, name);
	return DMARC_OK;
}

dmarc_status dmarc__psl_org_libpsl(const dmarc_ctx *ctx, const char *name,
    const char **org)
{
	dmarc_status st;
	const struct dmarc_psl *p = get_list(ctx, &st);

	if (p == NULL)
		return st;
	if (p->l.list == NULL)
		return DMARC_ENOPSL;
	*org = org_libpsl(p, name);
	return DMARC_OK;
}

void dmarc__psl_keep_libpsl(dmarc_ctx *ctx, bool keep)
{
	ctx->psl->keep_libpsl = keep;
}

const struct psl_table *dmarc__psl_get_table(const dmarc_ctx *ctx)
{
	dmarc_status st;
	const struct dmarc_psl *p = get_list(ctx, &st);

	return p != NULL ? p->l.table : NULL;
}

void dmarc__psl_memo_free(const dmarc_ctx *ctx, struct psl_memo *m)
{
	if (m != NULL)
		dmarc__free(ctx, m);
}

/* the four compares of the hashes a set missed (cheaper than a loop) */
_Static_assert(PSL_MEMO_WAYS == 4, "one seen hash for each way");

dmarc_status dmarc__psl_org_memo_miss(const dmarc_ctx *ctx,
    struct psl_memo **mp, const char *name, size_t len, uint32_t h,
    const char **org)
{
	struct psl_memo *m = *mp;
	struct psl_memo_slot *set, *old;
	size_t i;
	uint32_t *seen;
	dmarc_status st;

	if (m == NULL) {
		if ((m = dmarc__alloc(ctx, sizeof *m)) == NULL)
			return dmarc__psl_org(ctx, name, org); /* slower, alike */
		memset(m, 0, sizeof *m);
		*mp = m;
	}
	set = &m->slot[(h % (PSL_MEMO_SLOTS / PSL_MEMO_WAYS)) * PSL_MEMO_WAYS];
	if ((st = dmarc__psl_org(ctx, name, org)) != DMARC_OK ||
	    len >= sizeof set->name)
		return st;
	seen = &m->seen[(size_t)(set - m->slot)];
	if (seen[0] != h && seen[1] != h && seen[2] != h && seen[3] != h) {
		/* the first time: only its hash is kept, in turn */
		seen[++m->clock % PSL_MEMO_WAYS] = h;
		return DMARC_OK;
	}
	for (i = 1, old = set; i < PSL_MEMO_WAYS; i++)
		if (set[i].used < old->used)
			old = &set[i];
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
