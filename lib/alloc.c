/*
 * libdmarc - every allocation of the library goes through its context's
 * functions (malloc, realloc and free unless the caller gave others).
 * A file of its own so that what the context owns can allocate without
 * depending on the context's own code.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "internal.h"

void *dmarc__alloc(const dmarc_ctx *ctx, size_t size)
{
	return ctx->malloc_fn(size);
}

void *dmarc__realloc(const dmarc_ctx *ctx, void *ptr, size_t size)
{
	return ctx->realloc_fn(ptr, size);
}

void dmarc__free(const dmarc_ctx *ctx, void *ptr)
{
	ctx->free_fn(ptr);
}
