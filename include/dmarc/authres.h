/*
 * libdmarc - Authentication-Results header fields (RFC 8601): a parser
 * for the field value, usable on its own.  A parsed field is immutable
 * and owned by the caller; strings read from it are borrowed and live as
 * long as it.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_AUTHRES_H
#define DMARC_AUTHRES_H

#include <stddef.h>
#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/diag.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_authres dmarc_authres;

/* What a parsed field amounts to. */
typedef enum dmarc_authres_state {
	DMARC_AUTHRES_VALID = 1,       /* results (possibly "none") parsed */
	DMARC_AUTHRES_BAD_VERSION = 2, /* header version other than 1:
	                                  ignore the whole field */
	DMARC_AUTHRES_SYNTAX = 3       /* malformed: no results are kept */
} dmarc_authres_state;

/* Parse one field value (the text after "Authentication-Results:", with
 * folding allowed) of len bytes.  On DMARC_OK *out is a new object,
 * whatever its state; limits: the header length limit of the context
 * (DMARC_LIMIT_HEADER_LENGTH) and at most 64 results of 16 properties. */
DMARC_EXPORT dmarc_status dmarc_authres_parse(dmarc_authres **out,
    const dmarc_ctx *ctx, const char *value, size_t len);
/* NULL is accepted. */
DMARC_EXPORT void dmarc_authres_free(dmarc_authres *ar);

DMARC_EXPORT dmarc_authres_state dmarc_authres_get_state(
    const dmarc_authres *ar);
/* The authserv-id (unquoted); NULL when the field is malformed. */
DMARC_EXPORT const char *dmarc_authres_get_authserv_id(
    const dmarc_authres *ar);
/* Results of methods with a supported version (results of other method
 * versions are dropped, with a diagnostic). */
DMARC_EXPORT size_t dmarc_authres_get_result_count(const dmarc_authres *ar);
/* Method ("spf", "dkim", ...) and result ("pass", ...) of result index,
 * lower case; NULL out of range. */
DMARC_EXPORT const char *dmarc_authres_get_method(const dmarc_authres *ar,
    size_t index);
DMARC_EXPORT const char *dmarc_authres_get_result(const dmarc_authres *ar,
    size_t index);
/* The reason= value, or NULL. */
DMARC_EXPORT const char *dmarc_authres_get_reason(const dmarc_authres *ar,
    size_t index);
/* The value of property ptype.property (e.g. "smtp", "mailfrom") of
 * result index, unquoted; NULL when absent.  ptype and property are
 * compared case-insensitively. */
DMARC_EXPORT const char *dmarc_authres_get_property(const dmarc_authres *ar,
    size_t index, const char *ptype, const char *property);

DMARC_EXPORT size_t dmarc_authres_get_diag_count(const dmarc_authres *ar);
DMARC_EXPORT const dmarc_diag *dmarc_authres_get_diag(const dmarc_authres *ar,
    size_t index);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_AUTHRES_H */
