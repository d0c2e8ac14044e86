/*
 * dmarc-report: the summary of aggregate reports (report-summary.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "report-summary.h"

/* Names kept by align_cached() at most. */
#define NAME_CACHE 4096

struct summary {
	const dmarc_ctx *ctx;
	struct strmap names;        /* align_cached(): p the name made */
	struct strmap domains;      /* p: struct domain_stats */
	struct strmap keys;         /* the key of every report added */
	uint64_t reports, duplicates, failure_reports;
	/* the report being read */
	char *key, *domain, *p, *sp;
	size_t key_len;
	int strict_dkim, strict_spf;
	int64_t day0;
	unsigned ndays;
	struct domain_stats delta;  /* only its days are used */
};

/* ------------------------------------------------------ day stats */

void day_stats_clear(struct day_stats *d)
{
	int64_t day = d->day;

	strmap_clear(&d->dispositions, NULL);
	strmap_clear(&d->reasons, NULL);
	strmap_clear(&d->sources, NULL);
	strmap_clear(&d->unaligned, NULL);
	memset(d, 0, sizeof *d);
	d->day = day;
}

static void day_free(void *p)
{
	day_stats_clear(p);
	free(p);
}

/* Add src's counters to dst's.  0 or -1. */
static int map_add(struct strmap *dst, const struct strmap *src)
{
	size_t i;

	for (i = 0; i < src->size; i++) {
		const struct strmap_entry *e = &src->slots[i];
		struct strmap_entry *t;
		if (e->key == NULL)
			continue;
		if ((t = strmap_get(dst, e->key, e->len)) == NULL)
			return -1;
		t->v[0] += e->v[0];
		t->v[1] += e->v[1];
	}
	return 0;
}

int day_stats_add(struct day_stats *dst, const struct day_stats *src)
{
	dst->total += src->total;
	dst->both += src->both;
	dst->dkim_only += src->dkim_only;
	dst->spf_only += src->spf_only;
	dst->neither += src->neither;
	dst->reject_unenforced += src->reject_unenforced;
	if (map_add(&dst->dispositions, &src->dispositions) != 0 ||
	    map_add(&dst->reasons, &src->reasons) != 0 ||
	    map_add(&dst->sources, &src->sources) != 0 ||
	    map_add(&dst->unaligned, &src->unaligned) != 0)
		return -1;
	return 0;
}

/* The stats of day in days, made when missing; NULL when memory ran
 * out. */
static struct day_stats *day_get(struct strmap *days, int64_t day)
{
	struct strmap_entry *e = strmap_get(days, (const char *)&day,
	    sizeof day);

	if (e == NULL)
		return NULL;
	if (e->p == NULL) {
		struct day_stats *d = calloc(1, sizeof *d);
		if (d == NULL)
			return NULL;
		d->day = day;
		e->p = d;
	}
	return e->p;
}

void summary_day_text(int64_t day, char *buf, size_t size)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, size, "day %" PRId64, day);
}

/* --------------------------------------------------------- domains */

static void domain_free(void *p)
{
	struct domain_stats *d = p;

	strmap_clear(&d->days, day_free);
	strmap_clear(&d->duplicates, NULL);
	free(d->domain);
	free(d);
}

/* The stats of a policy domain, made when missing; NULL on ENOMEM. */
static struct domain_stats *domain_get(struct summary *s, const char *name)
{
	struct strmap_entry *e = strmap_get(&s->domains, name, strlen(name));

	if (e == NULL)
		return NULL;
	if (e->p == NULL) {
		struct domain_stats *d = calloc(1, sizeof *d);
		if (d == NULL || (d->domain = strdup(name)) == NULL) {
			free(d);
			return NULL;
		}
		e->p = d;
	}
	return e->p;
}

struct strmap_entry **summary_domains(const struct summary *s, size_t *n)
{
	return strmap_sorted(&s->domains, strmap_by_key, n);
}

static int by_day(const void *a, const void *b)
{
	const struct day_stats *x = *(const struct day_stats *const *)a;
	const struct day_stats *y = *(const struct day_stats *const *)b;

	return x->day < y->day ? -1 : x->day > y->day;
}

struct day_stats **summary_days(const struct domain_stats *d, size_t *n)
{
	struct day_stats **list;
	size_t i;

	*n = 0;
	if (d->days.used == 0)
		return NULL;
	if ((list = malloc(d->days.used * sizeof *list)) == NULL) {
		*n = (size_t)-1;
		return NULL;
	}
	for (i = 0; i < d->days.size; i++)
		if (d->days.slots[i].key != NULL)
			list[(*n)++] = d->days.slots[i].p;
	qsort(list, *n, sizeof *list, by_day);
	return list;
}

int summary_domain_total(const struct domain_stats *d, struct day_stats *out)
{
	size_t i;

	for (i = 0; i < d->days.size; i++)
		if (d->days.slots[i].key != NULL &&
		    day_stats_add(out, d->days.slots[i].p) != 0)
			return -1;
	return 0;
}

uint64_t summary_reports(const struct summary *s)
{
	return s->reports;
}

uint64_t summary_duplicates(const struct summary *s)
{
	return s->duplicates;
}

uint64_t summary_failure_reports(const struct summary *s)
{
	return s->failure_reports;
}

/* ------------------------------------------------------ the object */

struct summary *summary_new(const dmarc_ctx *ctx)
{
	struct summary *s = calloc(1, sizeof *s);

	if (s != NULL)
		s->ctx = ctx;
	return s;
}

static void report_forget(struct summary *s)
{
	strmap_clear(&s->delta.days, day_free);
	free(s->key);
	free(s->domain);
	free(s->p);
	free(s->sp);
	s->key = s->domain = s->p = s->sp = NULL;
}

void summary_free(struct summary *s)
{
	if (s == NULL)
		return;
	report_forget(s);
	strmap_clear(&s->domains, domain_free);
	strmap_clear(&s->keys, NULL);
	strmap_clear(&s->names, free);
	free(s);
}

static char *copy(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/* The report key: org_name, report_id, policy domain, begin, end, each
 * ended by a NUL (absent text as ""). */
static char *make_key(const struct report_meta *m, size_t *len)
{
	const char *org = m->org_name ? m->org_name : "";
	const char *id = m->report_id ? m->report_id : "";
	const char *dom = m->policy_domain ? m->policy_domain : "";
	size_t size = strlen(org) + strlen(id) + strlen(dom) + 48;
	char *key = malloc(size);
	int n;

	if (key == NULL)
		return NULL;
	n = snprintf(key, size, "%s%c%s%c%s%c%" PRIu64 "%c%" PRIu64, org, 0,
	    id, 0, dom, 0, m->begin, 0, m->end);
	*len = (size_t)n + 1;
	return key;
}

int summary_key_split(const struct strmap_entry *e, const char **org,
    const char **report_id, uint64_t *begin, uint64_t *end)
{
	const char *p = e->key, *stop = e->key + e->len, *parts[5];
	int i;

	for (i = 0; i < 5; i++) {
		if (p >= stop)
			return -1;
		parts[i] = p;
		p += strlen(p) + 1;
	}
	*org = parts[0];
	*report_id = parts[1];
	*begin = strtoull(parts[3], NULL, 10);
	*end = strtoull(parts[4], NULL, 10);
	return 0;
}

static int is_strict(const char *mode)
{
	return mode != NULL && (*mode == 's' || *mode == 'S');
}

int summary_begin(struct summary *s, const struct report_meta *m)
{
	int64_t last;

	report_forget(s);
	if ((s->key = make_key(m, &s->key_len)) == NULL ||
	    (s->domain = copy(m->policy_domain)) == NULL ||
	    (m->p != NULL && (s->p = copy(m->p)) == NULL) ||
	    (m->sp != NULL && (s->sp = copy(m->sp)) == NULL))
		return -1;
	s->strict_dkim = is_strict(m->adkim);
	s->strict_spf = is_strict(m->aspf);
	/* end is the period's last second or the next period's first one
	 * (both are sent): a period ending at 00:00:00 leaves that day */
	s->day0 = (int64_t)(m->begin / 86400);
	last = m->end > m->begin ? (int64_t)((m->end - 1) / 86400) : s->day0;
	s->ndays = last - s->day0 >= SUMMARY_MAX_DAYS ? SUMMARY_MAX_DAYS :
	    (unsigned)(last - s->day0 + 1);
	return 0;
}

/* ------------------------------------------------------------ rows */

/* Day d's share of count messages spread over n days. */
static uint64_t share(uint64_t count, unsigned n, unsigned d)
{
	return count / n + (d < count % n ? 1 : 0);
}

/* name normalized, and as its Organizational Domain unless strict, into
 * buf (DMARC_DOMAIN_SIZE bytes).  0, or -1 when it is no domain name. */
static int align_name(const struct summary *s, const char *name, int strict,
    char *buf)
{
	char org[DMARC_DOMAIN_SIZE];
	size_t len, olen;

	if (dmarc_domain_normalize(name, strlen(name), buf, DMARC_DOMAIN_SIZE,
	    &len) != DMARC_OK)
		return -1;
	/* without a Public Suffix List, names compare whole */
	if (!strict && dmarc_psl_org_domain(s->ctx, buf, len, org, sizeof org,
	    &olen) == DMARC_OK && olen > 0)
		memcpy(buf, org, olen + 1);
	return 0;
}

/* name as align_name() makes it, from a cache of the names seen (they
 * repeat: a few senders' domains over many rows), into buf.  0, or -1
 * when it is no domain name.  The cache is emptied when full. */
static int align_cached(struct summary *s, const char *name, int strict,
    char *buf)
{
	char key[DMARC_DOMAIN_SIZE + 2];
	size_t len = strlen(name);
	struct strmap_entry *e;

	if (len >= DMARC_DOMAIN_SIZE)
		return align_name(s, name, strict, buf);
	key[0] = strict ? 's' : 'r';
	memcpy(key + 1, name, len + 1);
	if ((e = strmap_find(&s->names, key, len + 1)) == NULL) {
		if (s->names.used >= NAME_CACHE)
			strmap_clear(&s->names, free);
		if (align_name(s, name, strict, buf) != 0)
			buf[0] = '\0';
		/* without memory the answer is still right, only not kept */
		if ((e = strmap_get(&s->names, key, len + 1)) != NULL &&
		    (e->p = strdup(buf)) == NULL)
			e->v[0] = 1;
		return buf[0] != '\0' ? 0 : -1;
	}
	if (e->p == NULL)
		return align_name(s, name, strict, buf);
	memcpy(buf, e->p, strlen(e->p) + 1);
	return buf[0] != '\0' ? 0 : -1;
}

/* Whether identifier id is aligned with from (RFC 7489 3.1: the same
 * name in strict mode, the same Organizational Domain in relaxed):
 * 1 aligned, 0 not, -1 when either is no domain name. */
static int aligned(struct summary *s, const char *id, const char *from,
    int strict)
{
	char a[DMARC_DOMAIN_SIZE], b[DMARC_DOMAIN_SIZE];

	if (strcasecmp(id, from) == 0)
		return 1;
	if (align_cached(s, id, strict, a) != 0 ||
	    align_cached(s, from, strict, b) != 0)
		return -1;
	return strcmp(a, b) == 0;
}

static int is(const char *value, const char *keyword)
{
	return value != NULL && strcmp(value, keyword) == 0;
}

/* Add n messages to key in map.  0 or -1. */
static int count(struct strmap *map, const char *key, uint64_t n,
    uint64_t n2)
{
	struct strmap_entry *e;

	if (key == NULL)
		key = "";
	if ((e = strmap_get(map, key, strlen(key))) == NULL)
		return -1;
	e->v[0] += n;
	e->v[1] += n2;
	return 0;
}

/* The row's counts, dispositions, reasons and source, spread.  0/-1. */
static int add_volumes(struct summary *s, const struct report_row *r,
    int unenforced)
{
	int dkim = is(r->dkim_aligned, "pass"), spf = is(r->spf_aligned, "pass");
	unsigned d;
	size_t i, nr = row_reason_count(r);

	for (d = 0; d < s->ndays; d++) {
		uint64_t n = share(r->count, s->ndays, d);
		struct day_stats *ds;
		if (n == 0)
			break;
		if ((ds = day_get(&s->delta.days, s->day0 + d)) == NULL)
			return -1;
		ds->total += n;
		*(dkim && spf ? &ds->both : dkim ? &ds->dkim_only : spf ?
		    &ds->spf_only : &ds->neither) += n;
		if (unenforced)
			ds->reject_unenforced += n;
		if (count(&ds->dispositions, r->disposition, n, 0) != 0 ||
		    count(&ds->sources, r->source_ip, n, 0) != 0)
			return -1;
		for (i = 0; i < nr; i++)
			if (count(&ds->reasons, list_at(&r->reason_type, i), n,
			    0) != 0)
				return -1;
	}
	return 0;
}

/* An identifier that passed unaligned, spread.  0 or -1. */
static int add_unaligned(struct summary *s, const char *kind, const char *id,
    const struct report_row *r, int dmarc_fail)
{
	size_t size = strlen(kind) + strlen(id) + strlen(r->header_from) + 3;
	char *key = malloc(size);
	unsigned d;
	int rc = 0;

	if (key == NULL)
		return -1;
	snprintf(key, size, "%s%c%s%c%s", kind, 0, id, 0, r->header_from);
	for (d = 0; d < s->ndays && rc == 0; d++) {
		uint64_t n = share(r->count, s->ndays, d);
		struct day_stats *ds;
		struct strmap_entry *e;
		if (n == 0)
			break;
		if ((ds = day_get(&s->delta.days, s->day0 + d)) == NULL ||
		    (e = strmap_get(&ds->unaligned, key, size - 1)) == NULL) {
			rc = -1;
			break;
		}
		e->v[0] += n;
		e->v[1] += dmarc_fail ? n : 0;
	}
	free(key);
	return rc;
}

/* Every DKIM and SPF pass of the row that is not aligned with its
 * header_from (an SPF HELO result is no DMARC identifier).  0 or -1. */
static int find_unaligned(struct summary *s, const struct report_row *r,
    int dmarc_fail)
{
	size_t i, n;

	if (r->header_from == NULL)
		return 0;
	for (i = 0, n = row_dkim_count(r); i < n; i++) {
		const char *id = list_at(&r->dkim_domain, i);
		if (is(list_at(&r->dkim_result, i), "pass") && id != NULL &&
		    aligned(s, id, r->header_from, s->strict_dkim) == 0 &&
		    add_unaligned(s, "dkim", id, r, dmarc_fail) != 0)
			return -1;
	}
	for (i = 0, n = row_spf_count(r); i < n; i++) {
		const char *id = list_at(&r->spf_domain, i);
		if (is(list_at(&r->spf_result, i), "pass") && id != NULL &&
		    !is(list_at(&r->spf_scope, i), "helo") &&
		    aligned(s, id, r->header_from, s->strict_spf) == 0 &&
		    add_unaligned(s, "spf", id, r, dmarc_fail) != 0)
			return -1;
	}
	return 0;
}

int summary_row(struct summary *s, const struct report_row *r)
{
	int fail = !is(r->dkim_aligned, "pass") && !is(r->spf_aligned, "pass");
	/* the subdomain policy for mail from below the policy domain */
	int sub = r->header_from != NULL &&
	    strcasecmp(r->header_from, s->domain) != 0;
	const char *policy = sub && s->sp != NULL ? s->sp : s->p;
	int unenforced = fail && is(policy, "reject") &&
	    !is(r->disposition, "reject") && row_reason_count(r) == 0;

	if (s->key == NULL || r->count == 0)
		return 0;
	if (add_volumes(s, r, unenforced) != 0)
		return -1;
	return find_unaligned(s, r, fail);
}

/* ------------------------------------------------- commit and drop */

/* One more copy of the current report's key in the domain's list. */
static int note_duplicate(struct summary *s, struct domain_stats *dom,
    uint64_t copies)
{
	struct strmap_entry *e = strmap_get(&dom->duplicates, s->key,
	    s->key_len);

	if (e == NULL)
		return -1;
	e->v[0] += copies;
	dom->skipped += copies;
	s->duplicates += copies;
	return 0;
}

/* A day of the report's delta into the domain: moved when the domain
 * has no such day yet (no copy, so the peak is one set of sources),
 * else added.  0 or -1. */
static int day_commit(struct domain_stats *dom, struct strmap_entry *e)
{
	struct day_stats *src = e->p;
	struct strmap_entry *t = strmap_get(&dom->days,
	    (const char *)&src->day, sizeof src->day);

	if (t == NULL)
		return -1;
	if (t->p == NULL) {
		t->p = src;
		e->p = NULL;
		return 0;
	}
	return day_stats_add(t->p, src);
}

int summary_commit(struct summary *s)
{
	struct domain_stats *dom;
	struct strmap_entry *k;
	size_t i;
	int rc = 0;

	if (s->key == NULL)
		return 0;
	if ((dom = domain_get(s, s->domain)) == NULL)
		return -1;
	if (strmap_find(&s->keys, s->key, s->key_len) != NULL) {
		rc = note_duplicate(s, dom, 1) == 0 ? 1 : -1;
		report_forget(s);
		return rc;
	}
	if ((k = strmap_get(&s->keys, s->key, s->key_len)) == NULL)
		return -1;
	for (i = 0; i < s->delta.days.size && rc == 0; i++)
		if (s->delta.days.slots[i].key != NULL)
			rc = day_commit(dom, &s->delta.days.slots[i]);
	dom->reports++;
	s->reports++;
	report_forget(s);
	return rc;
}

void summary_drop(struct summary *s)
{
	report_forget(s);
}

int summary_add_duplicate(struct summary *s, const struct report_meta *m,
    uint64_t copies)
{
	struct domain_stats *dom;
	int rc;

	report_forget(s);
	if ((s->key = make_key(m, &s->key_len)) == NULL ||
	    (dom = domain_get(s, m->policy_domain ? m->policy_domain : ""))
	    == NULL)
		rc = -1;
	else
		rc = note_duplicate(s, dom, copies);
	report_forget(s);
	return rc;
}

int summary_failure_report(struct summary *s, const char *domain,
    uint64_t incidents)
{
	struct domain_stats *dom = domain_get(s, domain ? domain : "");

	if (dom == NULL)
		return -1;
	dom->failure_reports++;
	dom->incidents += incidents;
	s->failure_reports++;
	return 0;
}
