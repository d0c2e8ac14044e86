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
#include "name_plain.h"

_Static_assert(DMARC_DOMAIN_SIZE <= 256, "label offsets fit in a byte");
_Static_assert(DNS_MAX_NAME < SHARED_UNKNOWN, "a shared length is never taken for unknown");

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_DOTS 1
#endif

#if defined(DMARC_PLAIN_SSE2)
/* The dots among the sixteen bytes of x, bit k for byte k. */
static inline unsigned int dot_bits(__m128i x)
{
	return (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
	    _mm_set1_epi8('.')));
}

/* The labels after the dots marked in m (bit k: the byte at base + k),
 * n labels so far (at most MAX_LABELS kept); returns the count. */
static inline unsigned int add_labels(struct walk *w, unsigned int m,
    size_t base, unsigned int n)
{
	for (; m != 0; m &= m - 1) {
		if (n == MAX_LABELS)
			return n;
		w->label[n++] = (uint8_t)(base + (size_t)__builtin_ctz(m) + 1);
	}
	return n;
}

/* The label offsets of start (len bytes, under DMARC_DOMAIN_SIZE) after
 * the first, sixteen bytes at a time, reading only the name's bytes (the
 * loads as in name_plain.h); returns the label count. */
static unsigned int find_labels(struct walk *w, const char *start,
    size_t len)
{
	uint64_t a, b;
	unsigned int m, n = 1;
	size_t i;
	__m128i x;

	if (len < 8) {
		if (len == 0)
			return n;
		a = plain_load_short(start, len); /* the bytes above it 0 */
		return add_labels(w, dot_bits(_mm_cvtsi64_si128((long long)a)),
		    0, n);
	}
	if (len < 16) { /* the first eight bytes and the last eight */
		memcpy(&a, start, 8);
		memcpy(&b, start + len - 8, 8);
		m = dot_bits(_mm_set_epi64x((long long)b, (long long)a));
		return add_labels(w, (m & 0xffu) | (m >> 8) << (len - 8), 0, n);
	}
	for (i = 0; len - i > 16; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(start + i));
		n = add_labels(w, dot_bits(x), i, n);
	}
	/* the last sixteen bytes, of which those from i on are new */
	x = _mm_loadu_si128((const __m128i *)(const void *)(start + len - 16));
	return add_labels(w, dot_bits(x) >> (i - (len - 16)), i, n);
}
#elif defined(WORD_DOTS)
#define LOWS (0x7fu * PLAIN_ONES)

/* The dots of a word, each marked by its byte's high bit. */
static inline uint64_t dots_in(uint64_t x)
{
	x ^= '.' * PLAIN_ONES;
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

#if !defined(DMARC_PLAIN_SSE2)
static unsigned int find_labels(struct walk *w, const char *start,
    size_t len)
{
	return label_offsets(w, start, len, 1);
}
#endif

void dmarc__walk_init(struct walk *w, const char *start, size_t len)
{
	unsigned int n;

	w->start = start;
	w->len = (uint8_t)len;
	w->label[0] = 0;
	w->n_labels = n = find_labels(w, start, len);
	/* the start, then its ancestors; past 8 labels only the last 7
	 * (dmarc__walk_level) */
	w->first = n <= WALK_MAX_QUERIES ? 1 : n - (WALK_MAX_QUERIES - 1);
	w->n_plan = n - w->first + 1;
	w->next = 0;
	w->n_found = 0;
	w->stopped = false;
	w->unkept = 0;
}

void dmarc__walk_clear(struct walk *w)
{
	w->n_found = 0;
}

/* Whether a record can stand for its organization: one whose policy is
 * unusable (no DMARC processing) is no evidence that the names below it
 * form one, so it never becomes anyone's Organizational Domain. */
static bool usable(const dmarc_record *rec)
{
	return rec->v.state != DMARC_RECORD_INVALID;
}

/* Record count DMARC records at the current name (rec the one when
 * there is one) and move on. */
static inline void take(struct walk *w, unsigned int count,
    const dmarc_record *rec)
{
	unsigned int level = dmarc__walk_level(w, w->next);
	dmarc_psd psd;

	w->count[w->next++] = (uint8_t)(count < 255 ? count : 255);
	if (count != 1)
		return; /* none, or several: all discarded */
	w->found[w->n_found].level = level;
	w->found[w->n_found++].rec = rec;
	/* RFC 9989 4.10 reads only the psd tag to stop the walk: a PSO's
	 * psd=y counts even when the rest of its record is broken, so a
	 * broken PSD record still keeps its registrants apart */
	psd = (dmarc_psd)rec->v.psd;
	w->stopped = psd == DMARC_PSD_YES || psd == DMARC_PSD_NO;
}

void dmarc__walk_take(struct walk *w, unsigned int count,
    const dmarc_record *rec)
{
	take(w, count, rec);
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
	take(w, count, rec);
	return count;
}

/* How many bytes a (i bytes) and b (j bytes) end with alike. */
static size_t common_tail(const char *a, size_t i, const char *b, size_t j)
{
	size_t n = 0;
#ifdef WORD_DOTS
	uint64_t x, y;
	size_t r;

	if (i >= 8 && j >= 8) {
		for (;;) { /* a word at a time */
			r = (i < j ? i : j) - n;
			if (r == 0)
				return n;
			if (r < 8) /* the last word of the shorter: its r
			              low bytes new, the others alike */
				n -= 8 - r;
			memcpy(&x, a + i - n - 8, 8);
			memcpy(&y, b + j - n - 8, 8);
			if (x != y) /* the last byte is the highest */
				return n + (size_t)__builtin_clzll(x ^ y) / 8;
			n += 8;
		}
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

/* The question of w that asked the name beginning at byte at of its
 * start, into *i and its level into *level; false when none did. */
static bool asked_question(const struct walk *w, size_t at, unsigned int *i,
    unsigned int *level)
{
	/* question 0 asked level 0, question i > 0 level first + i - 1 */
	for (*i = at == 0 ? 0 : 1, *level = at == 0 ? 0 : w->first;
	    *i < w->next && w->label[*level] != at; (*i)++, (*level)++)
		continue;
	return *i < w->next;
}

bool dmarc__walk_asked(const struct walk *w, size_t len, unsigned int *count,
    const dmarc_record **rec)
{
	const struct walk_found *found;
	unsigned int i, level;

	if (!asked_question(w, (size_t)w->len - len, &i, &level))
		return false; /* a name the walk did not ask */
	found = w->count[i] == 1 ? dmarc__walk_at(w, level) : NULL;
	*count = w->count[i];
	*rec = found != NULL ? found->rec : NULL;
	return true;
}

unsigned int dmarc__walk_take_shared(struct walk *w, const struct walk *a,
    size_t shared, bool *several)
{
	unsigned int i, level, j = w->next, k, t, f, from, many = 0;
	size_t at;

	*several = false;
	if (w->stopped || j >= w->n_plan)
		return 0;
	at = (size_t)w->len - w->label[dmarc__walk_level(w, j)];
	if (at > shared)
		return 0;
	if (!asked_question(a, (size_t)a->len - at, &i, &level))
		return 0; /* a name a did not ask */
	/* From there both walks go one label up at a time to the same root,
	 * so the rest of a's answers are w's.  (A walk skips levels only
	 * after its start, past 8 labels: a name that long is asked only as
	 * a start, so w's start is then a's and both skip alike.) */
	from = level;
	k = a->next - i;
	for (t = 0; t < k; t++) {
		w->count[j + t] = a->count[i + t];
		many |= a->count[i + t] & ~1u; /* 2 or more */
	}
	/* a's records at those levels, the last it found */
	for (f = 0; f < a->n_found; f++)
		if (a->found[f].level >= from) {
			w->found[w->n_found].level = a->found[f].level - from +
			    dmarc__walk_level(w, j);
			w->found[w->n_found++].rec = a->found[f].rec;
		}
	w->next = j + k;
	/* a stopped at its last name, now w's, or at none of them */
	w->stopped = a->stopped;
	*several = many != 0;
	return k;
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

static bool was_queried(const struct walk *w, unsigned int level)
{
	/* question 0 asks level 0, question k > 0 level first + k - 1 */
	if (level == 0)
		return w->next > 0;
	return level >= w->first && level - w->first + 1 < w->next;
}

static inline unsigned int org_level(const struct walk *w, bool *unqueried)
{
	const struct walk_found *last;
	unsigned int i;

	*unqueried = false;
	if (w->n_found == 0)
		return 0;             /* rule 4: the start name */
	/* The walk stops at psd=y/n, so such a record is the last found,
	 * and the last found has the fewest labels. */
	last = &w->found[w->n_found - 1];
	if (last->rec->v.psd == DMARC_PSD_YES && last->level != 0) {
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

unsigned int dmarc__walk_org_level(const struct walk *w, bool *unqueried)
{
	return org_level(w, unqueried);
}

void dmarc__walk_outcome(const struct walk *w, struct walk_outcome *o)
{
	const struct walk_found *f;
	unsigned int od = org_level(w, &o->unqueried);

	o->org_level = od;
	o->at_author = o->at_org = o->psd = NULL;
	/* one pass: a level has one record at most (each question asks
	 * its own level, and one record at a name is the only kind kept);
	 * of psd=y records the first */
	for (f = w->found; f < w->found + w->n_found; f++) {
		if (f->level == 0)
			o->at_author = f;
		if (f->level == od)
			o->at_org = f;
		if (f->rec->v.psd == DMARC_PSD_YES && o->psd == NULL)
			o->psd = f;
	}
}
