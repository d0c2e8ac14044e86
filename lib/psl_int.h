/*
 * libdmarc - the Public Suffix List inside the library.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_PSL_INT_H
#define DMARC_PSL_INT_H

#include "internal.h"

/* The RFC 7489 Organizational Domain of a normalized name: *org points
 * into name, or is NULL for a public suffix.  DMARC_ENOPSL without a
 * list. */
dmarc_status dmarc__psl_org(const dmarc_ctx *ctx, const char *name,
    const char **org);

/* Whether the receiver accepts PSD DMARC records for this normalized
 * name (RFC 9091). */
bool dmarc__psd_accepted(const dmarc_ctx *ctx, const char *name);

#endif /* DMARC_PSL_INT_H */
