/*
 * Comparing two From field parses (the fast path's and the general
 * parser's): status, error offset, counts, and each kept domain with its
 * length.  Shared by test/test-from-fast.c and the fuzz-from-fast target.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef TEST_FROM_COMPARE_H
#define TEST_FROM_COMPARE_H

#include <string.h>

#include "from_int.h"

/* What differs, or NULL when the two are the same. */
static inline const char *from_results_differ(dmarc_status sa, size_t oa,
    const struct from_result *a, dmarc_status sb, size_t ob,
    const struct from_result *b)
{
	unsigned int i;

	if (sa != sb)
		return "status";
	if (oa != ob)
		return "error offset";
	if (a->n_mailboxes != b->n_mailboxes)
		return "mailboxes";
	if (a->n_domains != b->n_domains)
		return "domains";
	if (a->more_domains != b->more_domains)
		return "more domains";
	for (i = 0; i < a->n_domains; i++) {
		if (strcmp(a->domains[i], b->domains[i]) != 0)
			return "domain text";
		if (a->domain_len[i] != b->domain_len[i] ||
		    strlen(a->domains[i]) != a->domain_len[i])
			return "domain length";
	}
	return NULL;
}

#endif /* TEST_FROM_COMPARE_H */
