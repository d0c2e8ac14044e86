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
_Static_assert(DNS_MAX_NAME < SHARED_UNKNOWN, "a shared length is never taken for unknown");

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_DOTS 1
#define ONES 0x0101010101010101u
#define LOWS (0x7fu * ONES)

/* The dots of a word, each marked by its byte's high bit. */
static inline uint64_t dots_in(uint64_t x)
{
	x ^= '.' * ONES;
	return ~(((x & LOWS) + LOWS) | x | LOWS);
}

/* The label offsets of start (len bytes) after the first: eight bytes
 * at a time, each byte equal to '.' marked by its high bit (exact: no
 * carry runs between bytes); n labels so far, returns the count. */
static unsigned int label_offsets(struct walk *w, const char *start,
    size_t len, unsigned int n)
{
	size_t i, j;
	uint64_t x, m;

	for (i = 0; i < len; i += 8) {
		if (len - i >= 8) {
			memcpy(&x, start + i, 8);
		} else if (len >= 8) { /* the last word, its seen bytes out */
			memcpy(&x, start + len - 8, 8);
			x >>= 8 * (8 - (len - i));
		} else {
			for (x = 0, j = len; j-- > 0;)
				x = x << 8 | (unsigned char)start[j];
		}
		/* bytes past the name are 0 here: no dots */
		for (m = dots_in(x); m != 0; m &= m - 1) {
			if (n == MAX_LABELS)
				return n;
			w->label[n++] = (uint8_t)(i + (size_t)__builtin_ctzll(m) /
			    8 + 1);
		}
	}
	return n;
}
#else
static unsigned int label_offsets(struct walk *w, const char *start,
    size_t len, unsigned int n)
{
	const char *dot = start, *end = start + len;

	while (n < MAX_LABELS &&
	    (dot = memchr(dot, '.', (size_t)(end - dot))) != NULL)
		w->label[n++] = (uint8_t)(++dot - start);
	return n;
}
#endif

void dmarc__walk_init(struct walk *w, const char *start, size_t len)
{
	unsigned int i, n, first;

	memcpy(w->start, start, len + 1);
	w->len = (uint8_t)len;
	w->label[0] = 0;
	n = label_offsets(w, start, len, 1);
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

/* How many bytes a (i bytes) and b (j bytes) end with alike. */
static size_t common_tail(const char *a, size_t i, const char *b, size_t j)
{
	size_t n = 0;
#ifdef WORD_DOTS
	uint64_t x, y;

	while (i - n >= 8 && j - n >= 8) { /* a word at a time */
		memcpy(&x, a + i - n - 8, 8);
		memcpy(&y, b + j - n - 8, 8);
		if (x != y) /* the last byte is the highest */
			return n + (size_t)__builtin_clzll(x ^ y) / 8;
		n += 8;
	}
#endif
	while (n < i && n < j && a[i - n - 1] == b[j - n - 1])
		n++;
	return n;
}

size_t dmarc__walk_shared(const struct walk *a, const struct walk *b)
{
	size_t n = common_tail(a->start, a->len, b->start, b->len);
	unsigned int k;

	if (n == a->len && (n == b->len || b->start[b->len - n - 1] == '.'))
		return n; /* all of a */
	/* the longest of a's names (after a label's dot) in the tail: the
	 * byte before it is a dot in both */
	for (k = 1; k < a->n_labels; k++)
		if ((size_t)a->len - a->label[k] < n ||
		    ((size_t)a->len - a->label[k] == n &&
		    (n == b->len || b->start[b->len - n - 1] == '.')))
			return (size_t)a->len - a->label[k];
	return 0;
}

bool dmarc__walk_asked(const struct walk *w, size_t len, unsigned int *count,
    const dmarc_record **rec)
{
	const struct walk_found *found;
	size_t at = (size_t)w->len - len; /* where the name begins */
	unsigned int i;

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
