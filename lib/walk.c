/*
 * libdmarc - the RFC 9989 DNS tree walk (section 4.10) and the choice of
 * the Organizational Domain from what it found (section 4.10.2).  Pure
 * bookkeeping: the state machine in lib/discovery.c asks the questions.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"

_Static_assert(DMARC_DOMAIN_SIZE <= 256, "label offsets fit in a byte");

void dmarc__walk_init(struct walk *w, const char *start, size_t len)
{
	unsigned int i, n = 0, first;
	const char *dot = start, *end = start + len;

	memcpy(w->start, start, len + 1);
	w->len = (uint8_t)len;
	w->label[n++] = 0;
	while (n < MAX_LABELS &&
	    (dot = memchr(dot, '.', (size_t)(end - dot))) != NULL)
		w->label[n++] = (uint8_t)(++dot - start);
	w->n_labels = n;
	/* the start, then its ancestors; past 7 labels only the last 7 */
	w->plan[0] = 0;
	w->n_plan = 1;
	first = n < WALK_MAX_QUERIES ? 1 : n - (WALK_MAX_QUERIES - 1);
	for (i = first; i < n; i++)
		w->plan[w->n_plan++] = i;
	w->next = 0;
	w->n_found = 0;
	w->stopped = false;
}

void dmarc__walk_clear(struct walk *w)
{
	w->n_found = 0;
}

const char *dmarc__walk_name(const struct walk *w, unsigned int level)
{
	return w->start + w->label[level];
}

const char *dmarc__walk_next(const struct walk *w)
{
	if (w->stopped || w->next >= w->n_plan)
		return NULL;
	return dmarc__walk_name(w, w->plan[w->next]);
}

/* Whether a record can stand for its organization: one whose policy is
 * unusable (no DMARC processing) is no evidence that the names below it
 * form one, so it never becomes anyone's Organizational Domain. */
static bool usable(const dmarc_record *rec)
{
	return dmarc_record_get_state(rec) != DMARC_RECORD_INVALID;
}

void dmarc__walk_take(struct walk *w, unsigned int count,
    const dmarc_record *rec)
{
	unsigned int level = w->plan[w->next];
	dmarc_psd psd;

	w->count[w->next++] = (uint8_t)(count < 255 ? count : 255);
	if (count != 1)
		return; /* none, or several: all discarded */
	w->found[w->n_found].level = level;
	w->found[w->n_found++].rec = rec;
	/* RFC 9989 4.10 reads only the psd tag to stop the walk: a PSO's
	 * psd=y counts even when the rest of its record is broken, so a
	 * broken PSD record still keeps its registrants apart */
	psd = dmarc_record_get_psd(rec);
	w->stopped = psd == DMARC_PSD_YES || psd == DMARC_PSD_NO;
}

unsigned int dmarc__walk_answer(struct walk *w, struct record_cache *c,
    const dmarc_ctx *ctx, const dmarc_dns_answer *a, bool *nomem)
{
	unsigned int count = a->outcome == DMARC_DNS_RECORDS ? a->n_dmarc : 0;
	const dmarc_record *rec = NULL;

	*nomem = false;
	if (count == 1 && (a->nomem || (rec = dmarc__records_get(c, ctx,
	    a->text, a->text_len)) == NULL)) {
		*nomem = true;
		return count;
	}
	dmarc__walk_take(w, count, rec);
	return count;
}

bool dmarc__walk_asked(const struct walk *w, const char *name, size_t len,
    unsigned int *count, const dmarc_record **rec)
{
	const struct walk_found *found;
	size_t at = (size_t)w->len - len; /* where name would begin */
	unsigned int i;

	/* the walk's names are the suffixes of its start at a label */
	if (len > w->len || (at != 0 && w->start[at - 1] != '.') ||
	    memcmp(w->start + at, name, len) != 0)
		return false;
	for (i = 0; i < w->next && w->label[w->plan[i]] != at; i++)
		continue;
	if (i == w->next)
		return false; /* a name the walk did not ask */
	found = w->count[i] == 1 ? dmarc__walk_at(w, w->plan[i]) : NULL;
	*count = w->count[i];
	*rec = found != NULL ? found->rec : NULL;
	return true;
}

const struct walk_found *dmarc__walk_at(const struct walk *w,
    unsigned int level)
{
	unsigned int i;

	for (i = 0; i < w->n_found; i++)
		if (w->found[i].level == level)
			return &w->found[i];
	return NULL;
}

const struct walk_found *dmarc__walk_psd(const struct walk *w)
{
	unsigned int i;

	for (i = 0; i < w->n_found; i++)
		if (dmarc_record_get_psd(w->found[i].rec) == DMARC_PSD_YES)
			return &w->found[i];
	return NULL;
}

static bool was_queried(const struct walk *w, unsigned int level)
{
	unsigned int i;

	for (i = 0; i < w->next; i++)
		if (w->plan[i] == level)
			return true;
	return false;
}

unsigned int dmarc__walk_org_level(const struct walk *w, bool *unqueried)
{
	const struct walk_found *last;
	unsigned int i;

	*unqueried = false;
	if (w->n_found == 0)
		return 0;             /* rule 4: the start name */
	/* The walk stops at psd=y/n, so such a record is the last found,
	 * and the last found has the fewest labels. */
	last = &w->found[w->n_found - 1];
	if (dmarc_record_get_psd(last->rec) == DMARC_PSD_YES && last->level != 0) {
		/* rule 2: one label below the PSD, towards the start */
		*unqueried = !was_queried(w, last->level - 1);
		return last->level - 1;
	}
	/* rule 1 (psd=n) and rule 3: the shortest name with a usable
	 * record; an unusable one is passed over */
	for (i = w->n_found; i-- > 0;)
		if (usable(w->found[i].rec))
			return w->found[i].level;
	return 0;
}
