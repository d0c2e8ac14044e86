/*
 * libdmarc - domain names: normalization and the Organizational Domain by
 * the Public Suffix List.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DOMAIN_H
#define DMARC_DOMAIN_H

#include <stddef.h>
#include <dmarc/common.h>
#include <dmarc/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes a normalized name can need, with its NUL. */
#define DMARC_DOMAIN_SIZE 254

/* Normalize a domain name of len bytes (UTF-8 or ASCII) into buf (size
 * bytes, NUL-terminated): one trailing dot stripped, U-labels converted
 * to A-labels (IDNA2008 with UTS #46 non-transitional processing), lower
 * case; *length (optional) gets its length.  Fails with DMARC_ENAME_*
 * (buf then holds "") on an empty name or label, a label over 63 or a
 * name over 253 octets, or a character that cannot be in a host name;
 * never shortens a name.  DMARC_EBUFFER when buf is too small
 * (DMARC_DOMAIN_SIZE always suffices). */
DMARC_EXPORT dmarc_status dmarc_domain_normalize(const char *name,
    size_t len, char *buf, size_t size, size_t *length);

/* Sections of the Public Suffix List to use (RFC 7489 modes). */
typedef enum dmarc_psl_sections {
	DMARC_PSL_ALL = 1,       /* ICANN and PRIVATE sections; the default */
	DMARC_PSL_ICANN_ONLY = 2
} dmarc_psl_sections;

/* Load the Public Suffix List the RFC 7489 modes use: path names a list
 * in publicsuffix.org text format or libpsl DAFSA format; NULL loads the
 * system list (Debian: the publicsuffix package).  Without a call, the
 * system list is loaded the first time it is needed.  Configuration:
 * not while other threads use the context. */
DMARC_EXPORT dmarc_status dmarc_ctx_load_psl(dmarc_ctx *ctx, const char *path);
/* The same from a buffer holding the list in text format. */
DMARC_EXPORT dmarc_status dmarc_ctx_load_psl_buffer(dmarc_ctx *ctx,
    const char *data, size_t len);
DMARC_EXPORT dmarc_status dmarc_ctx_set_psl_sections(dmarc_ctx *ctx,
    dmarc_psl_sections sections);
DMARC_EXPORT dmarc_psl_sections dmarc_ctx_get_psl_sections(
    const dmarc_ctx *ctx);

/* The RFC 7489 Organizational Domain of name by the context's PSL (the
 * public suffix plus one label) into buf, as dmarc_domain_normalize
 * writes.  A public suffix has none: then the return is DMARC_OK, buf
 * holds "" and *length is 0.  name is normalized first (see
 * dmarc_domain_normalize for its errors). */
DMARC_EXPORT dmarc_status dmarc_psl_org_domain(const dmarc_ctx *ctx,
    const char *name, size_t len, char *buf, size_t size, size_t *length);

/* RFC 9091 (mode DMARC_MODE_RFC7489_PSD): add a Public Suffix Domain the
 * receiver accepts PSD DMARC records for (a NUL-terminated name). */
DMARC_EXPORT dmarc_status dmarc_ctx_add_psd(dmarc_ctx *ctx, const char *name);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_DOMAIN_H */
