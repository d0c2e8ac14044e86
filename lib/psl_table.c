/*
 * libdmarc - the Public Suffix List as a hash table of our own, built
 * from the list's text when it is loaded, for the RFC 7489
 * Organizational Domain.  A lookup walks the name's labels right to
 * left, hashing each suffix from the one before, and stops at the first
 * suffix no rule ends with: a few hundred instructions, where libpsl's
 * sorted vector of the same text costs about 3,000 (bench/RESULTS.md).
 *
 * The answer is the list's own algorithm (publicsuffix.org, "Formal
 * Algorithm"): the longest matching rule, an exception rule before any
 * other, the implicit "*" rule for a top-level label not listed.  Rules
 * are normalized as libdmarc normalizes names (lower-case A-labels), so
 * a rule written with U-labels matches the names mail carries.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "psl_int.h"

/* What a key's rules are, by section: a key with none is only the end
 * of longer rules, there so that a lookup can stop at the first miss. */
enum {
	PLAIN_ICANN = 0x01, PLAIN_PRIVATE = 0x02,
	WILD_ICANN = 0x04, WILD_PRIVATE = 0x08,     /* "*." + key */
	EXCEPT_ICANN = 0x10, EXCEPT_PRIVATE = 0x20  /* "!" + key */
};
#define KINDS_ICANN (PLAIN_ICANN | WILD_ICANN | EXCEPT_ICANN)
#define KINDS_ALL 0x3fu
#define KINDS_PLAIN (PLAIN_ICANN | PLAIN_PRIVATE)
#define KINDS_WILD (WILD_ICANN | WILD_PRIVATE)
#define KINDS_EXCEPT (EXCEPT_ICANN | EXCEPT_PRIVATE)

/* Eight bytes: the hash's high half tells most keys apart before their
 * text is compared; the whole hash is made again when the table grows. */
struct psl_slot {
	uint32_t off;     /* the key's text in the pool */
	uint16_t tag;     /* the key's hash >> 16 */
	uint8_t len;      /* 0: a free slot (no key is empty) */
	uint8_t kinds;
};

struct psl_table {
	struct psl_slot *slots;
	uint32_t mask;    /* slots - 1, a power of two less one */
	uint32_t shift;   /* 32 - log2(slots) */
	uint32_t used;    /* keys, at most half the slots */
	uint32_t longest; /* most slots a lookup has looked at */
	char *pool;       /* the normalized rules, not terminated */
	size_t pool_len, pool_size;
	size_t rules;     /* rules taken */
};

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u
#define FIRST_SLOTS 1024u

/* FNV-1a over a suffix read right to left, one byte further left. */
static inline uint32_t hash_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * FNV_PRIME;
}

/* Fibonacci hashing: the product's high bits pick the slot, so that
 * FNV's weaker low bits do not cluster keys. */
static inline uint32_t first_slot(const struct psl_table *t, uint32_t h)
{
	return (uint32_t)(h * 2654435769u) >> t->shift;
}

static const struct psl_slot *find(const struct psl_table *t, uint32_t h,
    const char *key, size_t len)
{
	uint32_t i = first_slot(t, h);
	const struct psl_slot *s;

	for (;;) { /* ends: half the slots at least are free */
		s = &t->slots[i];
		if (s->len == 0)
			return NULL;
		if (s->tag == (uint16_t)(h >> 16) && s->len == len &&
		    memcmp(t->pool + s->off, key, len) == 0)
			return s;
		i = (i + 1) & t->mask;
	}
}

/* ---- building ---- */

/* The slot for a key not in the table (which has room). */
static struct psl_slot *free_slot(struct psl_table *t, uint32_t h)
{
	uint32_t i = first_slot(t, h), n = 1;

	while (t->slots[i].len != 0) {
		i = (i + 1) & t->mask;
		n++;
	}
	if (n > t->longest)
		t->longest = n;
	return &t->slots[i];
}

/* The hash of a key: its bytes right to left. */
static uint32_t key_hash(const char *key, size_t len)
{
	uint32_t h = FNV_BASIS;

	while (len > 0)
		h = hash_step(h, (unsigned char)key[--len]);
	return h;
}

/* Twice the slots, the keys placed again. */
static dmarc_status grow(const dmarc_ctx *ctx, struct psl_table *t)
{
	struct psl_slot *old = t->slots;
	uint32_t n = t->mask + 1, i;

	if (n > UINT32_MAX / 2 / sizeof *old)
		return DMARC_ENOMEM;
	t->slots = dmarc__alloc(ctx, 2 * (size_t)n * sizeof *old);
	if (t->slots == NULL) {
		t->slots = old;
		return DMARC_ENOMEM;
	}
	memset(t->slots, 0, 2 * (size_t)n * sizeof *old);
	t->mask = 2 * n - 1;
	t->shift--;
	t->longest = 0;
	for (i = 0; i < n; i++)
		if (old[i].len != 0)
			*free_slot(t, key_hash(t->pool + old[i].off,
			    old[i].len)) = old[i];
	dmarc__free(ctx, old);
	return DMARC_OK;
}

/* The key of len bytes at off in the pool, with the kinds given (none
 * for the end of a longer rule), added or merged. */
static dmarc_status add_key(const dmarc_ctx *ctx, struct psl_table *t,
    uint32_t h, size_t off, size_t len, uint8_t kinds)
{
	struct psl_slot *s = (struct psl_slot *)(uintptr_t)find(t, h,
	    t->pool + off, len);
	dmarc_status st;

	if (s != NULL) {
		s->kinds |= kinds;
		return DMARC_OK;
	}
	if (t->used + 1 > (t->mask + 1) / 2 && (st = grow(ctx, t)) != DMARC_OK)
		return st;
	s = free_slot(t, h);
	s->tag = (uint16_t)(h >> 16);
	s->off = (uint32_t)off;
	s->len = (uint8_t)len;
	s->kinds = kinds;
	t->used++;
	return DMARC_OK;
}

/* The normalized rule at the pool's end (len bytes) with its kinds, and
 * every suffix of it as the end of a longer rule.  A rule seen before
 * only gains the kinds and leaves its second copy out of the pool. */
static dmarc_status add_rule(const dmarc_ctx *ctx, struct psl_table *t,
    size_t len, uint8_t kinds)
{
	const char *key = t->pool + t->pool_len;
	uint32_t h = key_hash(key, len);
	size_t i;
	struct psl_slot *s;
	dmarc_status st;

	if ((s = (struct psl_slot *)(uintptr_t)find(t, h, key, len)) != NULL) {
		s->kinds |= kinds;
		return DMARC_OK;
	}
	h = FNV_BASIS;
	for (i = len; i > 0; i--) {
		if (key[i - 1] == '.' &&
		    (st = add_key(ctx, t, h, t->pool_len + i, len - i, 0)) !=
		    DMARC_OK)
			return st;
		h = hash_step(h, (unsigned char)key[i - 1]);
	}
	if ((st = add_key(ctx, t, h, t->pool_len, len, kinds)) != DMARC_OK)
		return st;
	t->pool_len += len;
	t->rules++;
	return DMARC_OK;
}

/* Room for one more normalized rule at the pool's end. */
static dmarc_status pool_room(const dmarc_ctx *ctx, struct psl_table *t)
{
	size_t size = t->pool_size == 0 ? 65536 : t->pool_size * 2;
	char *more;

	if (t->pool_size - t->pool_len >= DMARC_DOMAIN_SIZE)
		return DMARC_OK;
	if ((more = dmarc__realloc(ctx, t->pool, size)) == NULL)
		return DMARC_ENOMEM;
	t->pool = more;
	t->pool_size = size;
	return DMARC_OK;
}

/* One rule of the list, as read by dmarc__psl_next_rule: normalized
 * into the table, or skipped when it is not a rule for host names.
 * Skipped: "*" not followed by "." (the list has no other wildcard
 * form; libpsl ignores these too), an empty rule, a rule ending in a
 * dot (the normalizer would drop the dot; libpsl keeps it and never
 * matches it), an exception of a single label (the algorithm would
 * leave it no public suffix; libpsl ignores it), and a rule that does
 * not normalize ("a.*.b", a label over 63 bytes, text IDNA2008 refuses:
 * no normalized name could match it). */
static dmarc_status take_rule(const dmarc_ctx *ctx, struct psl_table *t,
    const char *r, size_t len, unsigned char sec)
{
	bool icann = sec == DMARC__PSL_SEC_ICANN;
	uint8_t kinds = icann ? PLAIN_ICANN : PLAIN_PRIVATE;
	size_t n;
	dmarc_status st;

	if (r[0] == '!') {
		kinds = icann ? EXCEPT_ICANN : EXCEPT_PRIVATE;
		r++;
		len--;
	} else if (r[0] == '*') {
		if (len < 2 || r[1] != '.')
			return DMARC_OK;
		kinds = icann ? WILD_ICANN : WILD_PRIVATE;
		r += 2;
		len -= 2;
	}
	if (len == 0 || r[len - 1] == '.' ||
	    ((kinds & KINDS_EXCEPT) && memchr(r, '.', len) == NULL))
		return DMARC_OK;
	if ((st = pool_room(ctx, t)) != DMARC_OK)
		return st;
	if (dmarc_domain_normalize(r, len, t->pool + t->pool_len,
	    DMARC_DOMAIN_SIZE, &n) != DMARC_OK)
		return DMARC_OK;
	return add_rule(ctx, t, n, kinds);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *find_word(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= len; i++)
		if (s[i] == word[0] && memcmp(s + i, word, n) == 0)
			return s + i;
	return NULL;
}

/* A comment moves between sections as libpsl reads them: a BEGIN line
 * only outside both sections, an END line only for the section open. */
static unsigned char section_after(const char *c, size_t len,
    unsigned char sec)
{
	if (sec == 0) {
		if (find_word(c, len, "===BEGIN ICANN DOMAINS===") != NULL)
			return DMARC__PSL_SEC_ICANN;
		if (find_word(c, len, "===BEGIN PRIVATE DOMAINS===") != NULL)
			return DMARC__PSL_SEC_PRIVATE;
	} else if (sec == DMARC__PSL_SEC_ICANN) {
		if (find_word(c, len, "===END ICANN DOMAINS===") != NULL)
			return 0;
	} else if (find_word(c, len, "===END PRIVATE DOMAINS===") != NULL) {
		return 0;
	}
	return sec;
}

const char *dmarc__psl_next_rule(const char *p, const char *end,
    struct psl_rule_text *r)
{
	const char *eol = memchr(p, '\n', (size_t)(end - p)), *q;

	if (eol == NULL)
		eol = end;
	while (p < eol && is_space(*p))
		p++;
	r->text = p;
	r->len = 0;
	if (eol - p >= 2 && p[0] == '/' && p[1] == '/') {
		r->sec = section_after(p + 2, (size_t)(eol - p - 2), r->sec);
		return eol < end ? eol + 1 : end;
	}
	for (q = p; q < eol && !is_space(*q); q++)
		;
	r->len = (size_t)(q - p);
	return eol < end ? eol + 1 : end;
}

static void table_free(const dmarc_ctx *ctx, struct psl_table *t)
{
	if (t == NULL)
		return;
	dmarc__free(ctx, t->slots);
	dmarc__free(ctx, t->pool);
	dmarc__free(ctx, t);
}

void dmarc__psl_table_free(const dmarc_ctx *ctx, struct psl_table *t)
{
	table_free(ctx, t);
}

/* Every rule of the list into t; DMARC_ENOPSL past the limits. */
static dmarc_status fill(const dmarc_ctx *ctx, struct psl_table *t,
    const char *data, size_t size)
{
	const char *p = data, *end = data + size;
	struct psl_rule_text r = { NULL, 0, 0 };
	size_t seen = 0;
	dmarc_status st;

	while (p < end) {
		p = dmarc__psl_next_rule(p, end, &r);
		if (r.len == 0)
			continue;
		if (r.len > PSL_RULE_MAX || ++seen > PSL_RULES_MAX)
			return DMARC_ENOPSL;
		st = take_rule(ctx, t, r.text, r.len, r.sec != 0 ? r.sec
		    : DMARC__PSL_SEC_PRIVATE); /* outside both: private */
		if (st != DMARC_OK)
			return st;
	}
	return DMARC_OK;
}

dmarc_status dmarc__psl_table_build(const dmarc_ctx *ctx, const char *data,
    size_t size, struct psl_table **out)
{
	struct psl_table *t;
	char *fit;
	dmarc_status st;

	*out = NULL;
	if (size >= 11 && memcmp(data, ".DAFSA@PSL_", 11) == 0)
		return DMARC_OK; /* compiled: libpsl's own */
	if ((t = dmarc__alloc(ctx, sizeof *t)) == NULL)
		return DMARC_ENOMEM;
	memset(t, 0, sizeof *t);
	t->slots = dmarc__alloc(ctx, FIRST_SLOTS * sizeof *t->slots);
	if (t->slots == NULL) {
		dmarc__free(ctx, t);
		return DMARC_ENOMEM;
	}
	memset(t->slots, 0, FIRST_SLOTS * sizeof *t->slots);
	t->mask = FIRST_SLOTS - 1;
	t->shift = 32 - 10;
	if ((st = fill(ctx, t, data, size)) != DMARC_OK) {
		table_free(ctx, t);
		return st;
	}
	/* the pool's spare room back (kept as it is if that fails) */
	if (t->pool_len != 0 && t->pool_len < t->pool_size &&
	    (fit = dmarc__realloc(ctx, t->pool, t->pool_len)) != NULL) {
		t->pool = fit;
		t->pool_size = t->pool_len;
	}
	*out = t;
	return DMARC_OK;
}

void dmarc__psl_table_stats(const struct psl_table *t,
    struct psl_table_stats *s)
{
	s->rules = t->rules;
	s->keys = t->used;
	s->slots = (size_t)t->mask + 1;
	s->longest_probe = t->longest;
	s->bytes = sizeof *t + s->slots * sizeof *t->slots + t->pool_size;
}

/* ---- lookup ---- */

/* The label before suffix (which is not name itself) and suffix. */
static const char *label_before(const char *name, const char *suffix)
{
	const char *p = suffix - 1; /* the dot */

	while (p > name && p[-1] != '.')
		p--;
	return p;
}

const char *dmarc__psl_table_org(const struct psl_table *t,
    const char *name, bool icann_only)
{
	unsigned kinds, view = icann_only ? KINDS_ICANN : KINDS_ALL;
	const char *end = name + strlen(name), *p = end, *s, *prev = NULL;
	const char *suffix = NULL, *except = NULL, *org = NULL;
	const struct psl_slot *slot;
	bool wild = false;
	uint32_t h = FNV_BASIS;

	if (p == name)
		return NULL;
	for (;;) {
		while (p > name && p[-1] != '.')
			h = hash_step(h, (unsigned char)*--p);
		s = p; /* the next longer suffix of name */
		if (prev == suffix)
			org = s; /* the suffix so far and one label */
		if (wild || suffix == NULL)
			suffix = s; /* a wildcard's match, or the implicit "*" */
		if ((slot = find(t, h, s, (size_t)(end - s))) == NULL)
			break; /* no rule ends with s: none longer matches */
		kinds = slot->kinds & view;
		if (kinds & KINDS_PLAIN)
			suffix = s;
		if (kinds & KINDS_EXCEPT)
			except = s;
		wild = (kinds & KINDS_WILD) != 0;
		if (p == name)
			break;
		h = hash_step(h, (unsigned char)*--p);
		prev = s;
	}
	/* an exception rule prevails; its public suffix is its parent, so
	 * the Organizational Domain is the text it matched */
	if (except != NULL)
		return except;
	if (suffix == name)
		return NULL;
	/* org is one label more than suffix unless the walk stopped at the
	 * suffix itself */
	return org != NULL && org < suffix ? org : label_before(name, suffix);
}
