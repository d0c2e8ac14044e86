/*
 * libdmarc - the names the Public Suffix List gives only as the parent
 * of a wildcard rule ("kawasaki.jp" for "*.kawasaki.jp" with no rule
 * "kawasaki.jp").  By the list's algorithm (publicsuffix.org, "Formal
 * Algorithm") such a name is not a public suffix: "*.kawasaki.jp" needs
 * one more label, so "jp" prevails and kawasaki.jp is registrable.
 * libpsl treats every wildcard parent as a suffix and its API cannot say
 * which ones the list states, so the list's text is read here once, at
 * load time, for the few names where libpsl's answer must be corrected.
 * libpsl answers for a compiled list (and in the tests, as the oracle of
 * lib/psl_table.c, which answers for a text list by the algorithm).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "psl_int.h"

/* The sections a rule of the list is in. */
enum { SEC_ICANN = DMARC__PSL_SEC_ICANN, SEC_PRIVATE = DMARC__PSL_SEC_PRIVATE };

/* The two ways the list is read: its ICANN rules only, or all rules. */
enum { VIEW_ICANN = 1, VIEW_ALL = 2 };

struct rule_ref {
	const char *text;        /* in the list's text, not terminated */
	size_t len;
	unsigned char wildcard;  /* sections with "*." text */
	unsigned char plain;     /* sections with text itself */
	unsigned char exception; /* sections with "!" text */
};

struct wild_name {
	char name[DMARC_DOMAIN_SIZE]; /* normalized */
	unsigned char views; /* where libpsl's wildcard shortcut is wrong */
};

struct psl_wild {
	size_t n;
	struct wild_name names[];
};

static int ref_cmp(const void *a, const void *b)
{
	const struct rule_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->text, y->text, n);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static struct rule_ref *find_ref(struct rule_ref *refs, size_t n,
    const char *text, size_t len)
{
	struct rule_ref key = { text, len, 0, 0, 0 };

	return bsearch(&key, refs, n, sizeof *refs, ref_cmp);
}

enum scan { SCAN_COUNT, SCAN_FILL, SCAN_MARK };

/* One pass over the list: count the wildcard rules, fill refs with
 * their parents, or mark the plain and exception rules among those
 * (refs sorted); returns the number of wildcard rules. */
static size_t scan_list(const char *data, size_t size, enum scan what,
    struct rule_ref *refs, size_t n)
{
	const char *p = data, *end = data + size, *r;
	struct psl_rule_text line = { NULL, 0, 0 };
	unsigned char bit;
	size_t len, k = 0;
	struct rule_ref *ref;
	bool bang;

	while (p < end) {
		p = dmarc__psl_next_rule(p, end, &line);
		r = line.text;
		len = line.len;
		if (len == 0)
			continue;
		/* outside both sections: private */
		bit = line.sec != 0 ? line.sec : SEC_PRIVATE;
		if (len > 2 && r[0] == '*' && r[1] == '.') {
			if (what == SCAN_FILL) {
				refs[k].text = r + 2;
				refs[k].len = len - 2;
				refs[k].wildcard = bit;
				refs[k].plain = refs[k].exception = 0;
			}
			k++;
			continue;
		}
		bang = r[0] == '!';
		if (what != SCAN_MARK || (ref = find_ref(refs, n,
		    r + bang, len - bang)) == NULL)
			continue;
		if (bang)
			ref->exception |= bit;
		else
			ref->plain |= bit;
	}
	return k;
}

/* Sort and merge duplicates; returns the new count. */
static size_t merge_refs(struct rule_ref *refs, size_t n)
{
	size_t i, k = 0;

	qsort(refs, n, sizeof *refs, ref_cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && ref_cmp(&refs[k - 1], &refs[i]) == 0)
			refs[k - 1].wildcard |= refs[i].wildcard;
		else
			refs[k++] = refs[i];
	}
	return k;
}

/* The views in which the wildcard parent ref is no suffix by the
 * algorithm but is one for libpsl: not a rule itself, not a top-level
 * label (the implicit "*" rule makes those suffixes), and not matched by
 * a wildcard on its own parent (unless an exception takes it out). */
static unsigned char wrong_views(struct rule_ref *refs, size_t n,
    const struct rule_ref *ref)
{
	const char *dot = memchr(ref->text, '.', ref->len);
	const struct rule_ref *up;
	unsigned char v, secs, wrong = 0;

	if (dot == NULL)
		return 0;
	up = find_ref(refs, n, dot + 1, ref->len - (size_t)(dot + 1 -
	    ref->text));
	for (v = VIEW_ICANN; v <= VIEW_ALL; v = (unsigned char)(v << 1)) {
		secs = v == VIEW_ICANN ? SEC_ICANN : SEC_ICANN | SEC_PRIVATE;
		if (!(ref->wildcard & secs) || (ref->plain & secs))
			continue;
		if (up != NULL && (up->wildcard & secs) &&
		    !(ref->exception & secs))
			continue;
		wrong |= v;
	}
	return wrong;
}

/* The wrong names, normalized, into w; returns how many. */
static size_t collect(struct rule_ref *refs, size_t n, struct psl_wild *w)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char wrong = wrong_views(refs, n, &refs[i]);
		if (wrong == 0 || dmarc_domain_normalize(refs[i].text,
		    refs[i].len, w->names[k].name, sizeof w->names[k].name,
		    NULL) != DMARC_OK)
			continue;
		w->names[k++].views = wrong;
	}
	return k;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wild_name *)a)->name,
	    ((const struct wild_name *)b)->name);
}

dmarc_status dmarc__psl_wild_build(const dmarc_ctx *ctx, const char *data,
    size_t size, struct psl_wild **out)
{
	struct rule_ref *refs;
	struct psl_wild *w;
	size_t n;

	*out = NULL;
	if (size >= 11 && memcmp(data, ".DAFSA@PSL_", 11) == 0)
		return DMARC_OK; /* compiled, no text to read */
	n = scan_list(data, size, SCAN_COUNT, NULL, 0);
	if (n == 0)
		return DMARC_OK;
	refs = dmarc__alloc(ctx, n * sizeof *refs);
	w = dmarc__alloc(ctx, sizeof *w + n * sizeof w->names[0]);
	if (refs == NULL || w == NULL) {
		dmarc__free(ctx, refs);
		dmarc__free(ctx, w);
		return DMARC_ENOMEM;
	}
	scan_list(data, size, SCAN_FILL, refs, n);
	n = merge_refs(refs, n);
	scan_list(data, size, SCAN_MARK, refs, n);
	w->n = collect(refs, n, w);
	dmarc__free(ctx, refs);
	qsort(w->names, w->n, sizeof w->names[0], name_cmp);
	*out = w;
	return DMARC_OK;
}

void dmarc__psl_wild_free(const dmarc_ctx *ctx, struct psl_wild *w)
{
	dmarc__free(ctx, w);
}

bool dmarc__psl_wild_only(const struct psl_wild *w, const char *name,
    bool icann_only)
{
	const struct wild_name *found;
	struct wild_name key;
	size_t len;

	if (w == NULL || w->n == 0 || (len = strlen(name)) >= sizeof key.name)
		return false;
	memcpy(key.name, name, len + 1);
	found = bsearch(&key, w->names, w->n, sizeof w->names[0], name_cmp);
	return found != NULL &&
	    (found->views & (icann_only ? VIEW_ICANN : VIEW_ALL)) != 0;
}
