/*
 * libdmarc - small growable lists of strings kept by the context (the
 * RFC 9091 PSD list, trusted authserv-ids), through its allocator.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "internal.h"

dmarc_status dmarc__strlist_add(const dmarc_ctx *ctx, struct strlist *l,
    const char *s, size_t len)
{
	char **grown, *copy = dmarc__alloc(ctx, len + 1);

	grown = copy == NULL ? NULL : dmarc__realloc(ctx, l->items,
	    (l->n + 1) * sizeof *grown);
	if (grown == NULL) {
		if (copy != NULL)
			dmarc__free(ctx, copy);
		return DMARC_ENOMEM;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	grown[l->n++] = copy;
	l->items = grown;
	return DMARC_OK;
}

void dmarc__strlist_free(const dmarc_ctx *ctx, struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		dmarc__free(ctx, l->items[i]);
	if (l->items != NULL)
		dmarc__free(ctx, l->items);
	l->items = NULL;
	l->n = 0;
}

bool dmarc__strlist_has(const struct strlist *l, const char *s, bool nocase)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((nocase ? strcasecmp(l->items[i], s) : strcmp(l->items[i], s))
		    == 0)
			return true;
	return false;
}
