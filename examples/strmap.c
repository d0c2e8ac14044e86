/*
 * dmarc-report: a hash map from byte strings to counters (strmap.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

/* FNV-1a, 64 bits. */
static uint64_t hash(const char *key, size_t len)
{
	uint64_t h = 14695981039346656037u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211u;
	}
	return h;
}

static struct strmap_entry *probe(const struct strmap *m, const char *key,
    size_t len)
{
	size_t i = (size_t)hash(key, len) & (m->size - 1);

	while (m->slots[i].key != NULL && (m->slots[i].len != len ||
	    memcmp(m->slots[i].key, key, len) != 0))
		i = (i + 1) & (m->size - 1);
	return &m->slots[i];
}

/* Twice the slots, every entry moved.  0 or -1. */
static int grow(struct strmap *m)
{
	size_t size = m->size ? m->size * 2 : 16, i;
	struct strmap old = *m;

	if ((m->slots = calloc(size, sizeof *m->slots)) == NULL) {
		*m = old;
		return -1;
	}
	m->size = size;
	for (i = 0; i < old.size; i++)
		if (old.slots[i].key != NULL)
			*probe(m, old.slots[i].key, old.slots[i].len) =
			    old.slots[i];
	free(old.slots);
	return 0;
}

struct strmap_entry *strmap_find(const struct strmap *m, const char *key,
    size_t len)
{
	struct strmap_entry *e;

	if (m->size == 0)
		return NULL;
	e = probe(m, key, len);
	return e->key != NULL ? e : NULL;
}

struct strmap_entry *strmap_get(struct strmap *m, const char *key,
    size_t len)
{
	struct strmap_entry *e;

	/* at most 3/4 full, so a probe always ends */
	if ((m->used + 1) * 4 > m->size * 3 && grow(m) != 0)
		return NULL;
	e = probe(m, key, len);
	if (e->key == NULL) {
		if ((e->key = malloc(len + 1)) == NULL)
			return NULL;
		memcpy(e->key, key, len);
		e->key[len] = '\0';
		e->len = len;
		m->used++;
	}
	return e;
}

int strmap_by_count(const void *a, const void *b)
{
	const struct strmap_entry *x = *(const struct strmap_entry *const *)a;
	const struct strmap_entry *y = *(const struct strmap_entry *const *)b;

	if (x->v[0] != y->v[0])
		return x->v[0] > y->v[0] ? -1 : 1;
	return strmap_by_key(a, b);
}

int strmap_by_key(const void *a, const void *b)
{
	const struct strmap_entry *x = *(const struct strmap_entry *const *)a;
	const struct strmap_entry *y = *(const struct strmap_entry *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

struct strmap_entry **strmap_sorted(const struct strmap *m,
    int (*cmp)(const void *, const void *), size_t *n)
{
	struct strmap_entry **list;
	size_t i;

	*n = 0;
	if (m->used == 0)
		return NULL;
	if ((list = malloc(m->used * sizeof *list)) == NULL) {
		*n = (size_t)-1;
		return NULL;
	}
	for (i = 0; i < m->size; i++)
		if (m->slots[i].key != NULL)
			list[(*n)++] = &m->slots[i];
	qsort(list, *n, sizeof *list, cmp);
	return list;
}

void strmap_clear(struct strmap *m, void (*free_p)(void *))
{
	size_t i;

	for (i = 0; i < m->size; i++) {
		if (m->slots[i].key == NULL)
			continue;
		free(m->slots[i].key);
		if (free_p != NULL && m->slots[i].p != NULL)
			free_p(m->slots[i].p);
	}
	free(m->slots);
	m->slots = NULL;
	m->size = m->used = 0;
}
