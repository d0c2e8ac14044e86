/*
 * libdmarc - counting the objects made from a context, so that
 * configuring a context they depend on is refused (DMARC_EBUSY) rather
 * than changed under them.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "internal.h"

/* The counter changes on a context the objects see as const: it is the
 * one part of a shared context that is not configuration. */
void dmarc__ctx_hold(const dmarc_ctx *ctx)
{
	atomic_fetch_add(&((dmarc_ctx *)(uintptr_t)ctx)->users, 1);
}

void dmarc__ctx_release(const dmarc_ctx *ctx)
{
	atomic_fetch_sub(&((dmarc_ctx *)(uintptr_t)ctx)->users, 1);
}

dmarc_status dmarc__ctx_configurable(const dmarc_ctx *ctx)
{
	if (ctx == NULL)
		return DMARC_EINVAL;
	return atomic_load(&ctx->users) != 0 ? DMARC_EBUSY : DMARC_OK;
}
