/*
 * dmarc-report: a hash map from byte strings (copied) to two counters
 * and a pointer, for the summary's sources, dispositions, reasons,
 * identifiers and days.  Open addressing; it grows as needed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_STRMAP_H
#define DMARC_EXAMPLES_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
	char *key;        /* NUL-terminated copy; NULL for a free slot */
	size_t len;
	uint64_t v[2];
	void *p;
};

struct strmap {
	struct strmap_entry *slots;
	size_t size, used;
};

/* The entry of key (len bytes), made with zero values when missing;
 * NULL when memory ran out. */
struct strmap_entry *strmap_get(struct strmap *m, const char *key,
    size_t len);
/* The entry of key, NULL when missing. */
struct strmap_entry *strmap_find(const struct strmap *m, const char *key,
    size_t len);
/* Every entry, sorted by cmp (qsort's); *n of them.  NULL when the map
 * is empty or memory ran out (*n is then 0 or (size_t)-1). */
struct strmap_entry **strmap_sorted(const struct strmap *m,
    int (*cmp)(const void *, const void *), size_t *n);
/* Sort orders for strmap_sorted: v[0] descending then key; key. */
int strmap_by_count(const void *a, const void *b);
int strmap_by_key(const void *a, const void *b);
/* Empty the map; free_p (if not NULL) is called on each pointer. */
void strmap_clear(struct strmap *m, void (*free_p)(void *));

#endif /* DMARC_EXAMPLES_STRMAP_H */
