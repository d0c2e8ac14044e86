/*
 * libdmarc - DMARC policy records (RFC 9989 section 4.7, RFC 7489 6.3).
 *
 * A dmarc_record is one parsed TXT record.  It is immutable once made and
 * owned by the caller, who frees it with dmarc_record_free().  URIs and
 * diagnostics read from it are borrowed and live as long as the record.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_RECORD_H
#define DMARC_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/diag.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_record dmarc_record;
typedef struct dmarc_uri dmarc_uri;

/* What a parsed record amounts to. */
typedef enum dmarc_record_state {
	DMARC_RECORD_VALID = 1,    /* usable as published */
	DMARC_RECORD_AS_NONE = 2,  /* bad p/sp/np but a valid rua: act as
	                              p=none and keep reporting */
	DMARC_RECORD_INVALID = 3,  /* a DMARC record that cannot be used:
	                              no DMARC processing (permerror) */
	DMARC_RECORD_NOT_DMARC = 4 /* not v=DMARC1 first: discard it */
} dmarc_record_state;

/* Record tags.  Append-only; a new value needs its keyword in
 * lib/keyword.c. */
typedef enum dmarc_tag {
	DMARC_TAG_NONE = 0, /* no tag (a getter's "none") */
	DMARC_TAG_V = 1,
	DMARC_TAG_P = 2,
	DMARC_TAG_SP = 3,
	DMARC_TAG_NP = 4,
	DMARC_TAG_ADKIM = 5,
	DMARC_TAG_ASPF = 6,
	DMARC_TAG_PCT = 7,
	DMARC_TAG_RUA = 8,
	DMARC_TAG_RUF = 9,
	DMARC_TAG_FO = 10,
	DMARC_TAG_RF = 11,
	DMARC_TAG_RI = 12,
	DMARC_TAG_PSD = 13,
	DMARC_TAG_T = 14
} dmarc_tag;

typedef enum dmarc_policy {
	DMARC_POLICY_UNSPECIFIED = 0, /* record unusable */
	DMARC_POLICY_NONE = 1,
	DMARC_POLICY_QUARANTINE = 2,
	DMARC_POLICY_REJECT = 3
} dmarc_policy;

typedef enum dmarc_alignment {
	DMARC_ALIGN_RELAXED = 1,
	DMARC_ALIGN_STRICT = 2
} dmarc_alignment;

typedef enum dmarc_psd {
	DMARC_PSD_UNKNOWN = 1, /* psd=u, the default */
	DMARC_PSD_YES = 2,     /* psd=y */
	DMARC_PSD_NO = 3       /* psd=n */
} dmarc_psd;

/* Failure reporting options (fo), a bit set. */
typedef enum dmarc_fo {
	DMARC_FO_ALL_FAIL = 1, /* fo=0 */
	DMARC_FO_ANY_FAIL = 2, /* fo=1 */
	DMARC_FO_DKIM = 4,     /* fo=d */
	DMARC_FO_SPF = 8       /* fo=s */
} dmarc_fo;

/* Failure report formats (rf, RFC 7489 only), a bit set. */
typedef enum dmarc_rf {
	DMARC_RF_AFRF = 1
} dmarc_rf;

/* URI properties, a bit set. */
typedef enum dmarc_uri_flag {
	DMARC_URI_MAILTO = 1,        /* scheme is mailto */
	DMARC_URI_UNSUPPORTED = 2,   /* scheme libdmarc cannot deliver to */
	DMARC_URI_HAS_SIZE = 4,      /* a !size suffix was given */
	DMARC_URI_SIZE_OBSOLETE = 8  /* ... and ignored (RFC 9989) */
} dmarc_uri_flag;

/* How the TXT records at one name resolve (dmarc_record_select). */
typedef enum dmarc_select {
	DMARC_SELECT_NONE = 1,      /* no v=DMARC1 record at the name */
	DMARC_SELECT_ONE = 2,       /* exactly one: *out is set */
	DMARC_SELECT_DISCARDED = 3, /* RFC 9989: several, all discarded; the
	                               name counts as having no record */
	DMARC_SELECT_MULTIPLE = 4   /* RFC 7489: several; DMARC is not
	                               applied (result none) */
} dmarc_select;

/* Parse one TXT record (its character-strings already joined) of len
 * bytes under ctx's mode, options and limits.  On DMARC_OK *out is a new
 * record, whatever its state; read dmarc_record_get_state(). */
DMARC_EXPORT dmarc_status dmarc_record_parse(dmarc_record **out,
    const dmarc_ctx *ctx, const char *text, size_t len);

/* Apply the discard and multiple-record rules to the count TXT records
 * found at one name (texts[i] of lengths[i] bytes). */
DMARC_EXPORT dmarc_status dmarc_record_select(dmarc_record **out,
    dmarc_select *result, const dmarc_ctx *ctx,
    const char *const *texts, const size_t *lengths, size_t count);

/* NULL is accepted. */
DMARC_EXPORT void dmarc_record_free(dmarc_record *rec);

/* Write the canonical form of a VALID or AS_NONE record into buf (size
 * bytes, NUL-terminated).  *length (optional) receives the length without
 * the NUL; DMARC_EBUFFER when it does not fit (buf then holds ""). */
DMARC_EXPORT dmarc_status dmarc_record_format(const dmarc_record *rec,
    char *buf, size_t size, size_t *length);

DMARC_EXPORT dmarc_record_state dmarc_record_get_state(const dmarc_record *rec);
DMARC_EXPORT dmarc_mode dmarc_record_get_mode(const dmarc_record *rec);
/* 1 when the tag was present with a usable value, else 0. */
DMARC_EXPORT int dmarc_record_has_tag(const dmarc_record *rec, dmarc_tag tag);
/* Effective p, sp or np: sp falls back to p, np to sp. */
DMARC_EXPORT dmarc_policy dmarc_record_get_policy(const dmarc_record *rec,
    dmarc_tag tag);
/* Effective adkim or aspf (default relaxed). */
DMARC_EXPORT dmarc_alignment dmarc_record_get_alignment(
    const dmarc_record *rec, dmarc_tag tag);
/* pct, 0..100 (default 100; always 100 under RFC 9989). */
DMARC_EXPORT unsigned int dmarc_record_get_pct(const dmarc_record *rec);
/* ri in seconds (default 86400). */
DMARC_EXPORT uint32_t dmarc_record_get_ri(const dmarc_record *rec);
/* fo as dmarc_fo bits (default DMARC_FO_ALL_FAIL). */
DMARC_EXPORT unsigned int dmarc_record_get_fo(const dmarc_record *rec);
/* rf as dmarc_rf bits (default DMARC_RF_AFRF). */
DMARC_EXPORT unsigned int dmarc_record_get_rf(const dmarc_record *rec);
DMARC_EXPORT dmarc_psd dmarc_record_get_psd(const dmarc_record *rec);
/* 1 for t=y, else 0. */
DMARC_EXPORT int dmarc_record_get_testing(const dmarc_record *rec);

/* Syntactically valid URIs of DMARC_TAG_RUA or DMARC_TAG_RUF, in record
 * order; those libdmarc cannot deliver to carry DMARC_URI_UNSUPPORTED. */
DMARC_EXPORT size_t dmarc_record_get_uri_count(const dmarc_record *rec,
    dmarc_tag tag);
/* NULL when index is out of range. */
DMARC_EXPORT const dmarc_uri *dmarc_record_get_uri(const dmarc_record *rec,
    dmarc_tag tag, size_t index);

DMARC_EXPORT size_t dmarc_record_get_diag_count(const dmarc_record *rec);
DMARC_EXPORT const dmarc_diag *dmarc_record_get_diag(const dmarc_record *rec,
    size_t index);

/* The URI as written, without a !size suffix. */
DMARC_EXPORT const char *dmarc_uri_get_text(const dmarc_uri *uri);
/* The scheme, lower-cased ("mailto"). */
DMARC_EXPORT const char *dmarc_uri_get_scheme(const dmarc_uri *uri);
/* mailto: the percent-decoded address; NULL for other schemes. */
DMARC_EXPORT const char *dmarc_uri_get_address(const dmarc_uri *uri);
/* Effective size limit in bytes; it applies only when the flags have
 * DMARC_URI_HAS_SIZE without DMARC_URI_SIZE_OBSOLETE (0 otherwise). */
DMARC_EXPORT uint64_t dmarc_uri_get_size_limit(const dmarc_uri *uri);
/* dmarc_uri_flag bits. */
DMARC_EXPORT unsigned int dmarc_uri_get_flags(const dmarc_uri *uri);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_RECORD_H */
