/*
 * An allocator for allocation-failure tests: fails allocation number
 * fail_at (counting from 0; -1 fails none) and keeps count of the blocks
 * alive, so a test can fail each allocation in turn and check for leaks.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_FAILING_ALLOC_H
#define DMARC_TEST_FAILING_ALLOC_H

#include <stdlib.h>

static long fail_at;   /* index of the allocation to fail, -1 for none */
static long n_allocs;  /* allocations attempted so far */
static long live;      /* blocks allocated and not yet freed */

static inline void *failing_malloc(size_t n)
{
	if (n_allocs++ == fail_at)
		return NULL;
	live++;
	return malloc(n);
}

static inline void *failing_realloc(void *p, size_t n)
{
	void *q;

	if (n_allocs++ == fail_at)
		return NULL;
	q = realloc(p, n);
	if (p == NULL && q != NULL)
		live++;
	return q;
}

static inline void failing_free(void *p)
{
	if (p != NULL)
		live--;
	free(p);
}

#endif /* DMARC_TEST_FAILING_ALLOC_H */
