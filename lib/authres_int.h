/*
 * libdmarc - what the Authentication-Results parser offers the rest of
 * the library.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_AUTHRES_INT_H
#define DMARC_AUTHRES_INT_H

#include "internal.h"

/* Whether a field value starts with an authserv-id the context trusts.
 * Only the authserv-id is read, nothing is allocated: a foreign field
 * is dropped before its body is looked at (RFC 8601 5).  A value over
 * DMARC_LIMIT_HEADER_LENGTH is never trusted, as it cannot be parsed. */
bool dmarc__authres_trusted(const dmarc_ctx *ctx, const char *value,
    size_t len);

#endif /* DMARC_AUTHRES_INT_H */
