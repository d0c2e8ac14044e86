/*
 * libdmarc - diagnostics: what is wrong with an input, and where.
 *
 * Objects that read untrusted input (records, Authentication-Results
 * fields, discoveries, evaluations, aggregates) keep a list of
 * diagnostics.  A dmarc_diag is borrowed from its object and lives
 * as long as the object.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DIAG_H
#define DMARC_DIAG_H

#include <stddef.h>
#include <dmarc/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_diag dmarc_diag;

typedef enum dmarc_severity {
	DMARC_SEVERITY_ERROR = 1,  /* the input breaks a MUST; a value or the
	                              whole input was not used */
	DMARC_SEVERITY_WARNING = 2 /* tolerated, ignored or obsolete */
} dmarc_severity;

/* Diagnostic codes.  Append-only: a new version may add codes, so
 * callers must accept values they do not know; a new value needs its
 * name in lib/keyword.c. */
typedef enum dmarc_diag_code {
	DMARC_DIAG_NONE = 0,            /* no diagnostic (NULL given) */
	DMARC_DIAG_NO_VERSION = 1,      /* does not start with a v tag */
	DMARC_DIAG_BAD_VERSION = 2,     /* v is not exactly DMARC1 */
	DMARC_DIAG_SYNTAX = 3,          /* malformed tag specification */
	DMARC_DIAG_DUPLICATE_TAG = 4,   /* a tag appears twice */
	DMARC_DIAG_BAD_VALUE = 5,       /* value not allowed for the tag */
	DMARC_DIAG_MISSING_P = 6,       /* no p tag */
	DMARC_DIAG_P_NOT_SECOND = 7,    /* RFC 7489: p is not the 2nd tag */
	DMARC_DIAG_UNKNOWN_TAG = 8,     /* tag not known in this mode */
	DMARC_DIAG_HISTORIC_TAG = 9,    /* pct, rf, ri under RFC 9989 */
	DMARC_DIAG_URI_NO_SCHEME = 10,  /* URI without a scheme (mailto:) */
	DMARC_DIAG_URI_UNSUPPORTED = 11,/* scheme other than mailto */
	DMARC_DIAG_URI_MALFORMED = 12,  /* not a valid URI */
	DMARC_DIAG_BAD_SIZE = 13,       /* malformed !size suffix */
	DMARC_DIAG_SIZE_OBSOLETE = 14,  /* !size suffix under RFC 9989 */
	DMARC_DIAG_RECORD_TOO_LONG = 15,/* over DMARC_LIMIT_RECORD_LENGTH */
	DMARC_DIAG_TOO_MANY_URIS = 16,  /* over DMARC_LIMIT_URIS_PER_LIST */
	DMARC_DIAG_URI_TOO_LONG = 17,   /* over DMARC_LIMIT_URI_LENGTH */
	DMARC_DIAG_EMPTY_TAG = 18,      /* nothing between two separators */
	DMARC_DIAG_CASE = 19,           /* upper case in a tag or keyword */
	DMARC_DIAG_LEADING_SPACE = 20,  /* white space before v=DMARC1 */
	DMARC_DIAG_AS_NONE = 21,        /* bad policy, valid rua: p=none */
	DMARC_DIAG_NO_POLICY = 22,      /* bad policy, no rua: unusable */
	DMARC_DIAG_FO_WITHOUT_RUF = 23, /* fo given but no ruf */
	DMARC_DIAG_TOO_MANY_DIAGS = 24, /* further diagnostics dropped */
	DMARC_DIAG_MULTIPLE_RECORDS = 25, /* several DMARC records at a name */
	DMARC_DIAG_INVALID_RECORD = 26, /* the record at a name is unusable */
	DMARC_DIAG_DNS_TEMPFAIL = 27,   /* temporary DNS failure at a name */
	DMARC_DIAG_DNS_PERMFAIL = 28,   /* a DNS error other than a temporary
	                                   one (FORMERR, NOTIMP, a name the
	                                   resolver cannot ask): the name's
	                                   records are unknown, as for 27 */
	DMARC_DIAG_ORG_NOT_QUERIED = 29,/* the Organizational Domain lies in
	                                   the part of a long name the walk
	                                   skips: a PSD record applies */
	DMARC_DIAG_AR_SYNTAX = 30,      /* malformed Authentication-Results
	                                   field: none of its results used */
	DMARC_DIAG_AR_VERSION = 31,     /* A-R header version other than 1:
	                                   the field is ignored */
	DMARC_DIAG_AR_METHOD_VERSION = 32, /* A-R method version other than
	                                   1: that result is ignored */
	DMARC_DIAG_AR_TOO_MANY = 33,    /* more A-R results or properties
	                                   than the limits: the rest dropped */
	DMARC_DIAG_AR_TOO_LONG = 34,    /* A-R field over
	                                   DMARC_LIMIT_HEADER_LENGTH */
	DMARC_DIAG_LINE_BREAK = 35,     /* CR or LF (folded or trailing line
	                                   break) read as white space */
	DMARC_DIAG_UNICODE_SPACE = 36,  /* no-break space, byte order mark or
	                                   other Unicode space read as white
	                                   space */
	DMARC_DIAG_ORG_UNKNOWN = 37,    /* a DNS failure above the Author
	                                   Domain's record: its policy applies,
	                                   its Organizational Domain is not
	                                   known */
	DMARC_DIAG_QUERY_LIMIT = 38,    /* over DMARC_LIMIT_EVAL_QUERIES: the
	                                   question was not asked */
	DMARC_DIAG_DEADLINE = 39,       /* DMARC_LIMIT_RUN_SECONDS passed: the
	                                   question was not asked */
	DMARC_DIAG_FROM_MISSING = 40,   /* no From field */
	DMARC_DIAG_FROM_REPEATED = 41,  /* more than one From field */
	DMARC_DIAG_FROM_SYNTAX = 42,    /* malformed From field value, or a
	                                   domain in it that is not a host
	                                   name: offset says where */
	DMARC_DIAG_FROM_TOO_LONG = 43,  /* From field over
	                                   DMARC_LIMIT_HEADER_LENGTH */
	DMARC_DIAG_FROM_DOMAINS = 44,   /* several Author Domains (without
	                                   DMARC_EVAL_MULTI_FROM, or over
	                                   DMARC_LIMIT_FROM_DOMAINS) */
	DMARC_DIAG_FROM_NO_DOMAIN = 45, /* no mailbox with a domain: no Author
	                                   Domain, result none */
	DMARC_DIAG_AR_UNTRUSTED = 46,   /* Authentication-Results field with
	                                   an authserv-id not trusted: ignored */
	DMARC_DIAG_DKIM_DROPPED = 47,   /* DKIM signatures over
	                                   DMARC_LIMIT_DKIM_SIGNATURES dropped */
	DMARC_DIAG_AGGREGATE_FULL = 48, /* a new row over
	                                   DMARC_LIMIT_AGGREGATE_ROWS: its
	                                   message dropped, counted */
	DMARC_DIAG_SPOOL_TORN = 49,     /* a spool line a writer left torn:
	                                   skipped; offset is its line number */
	DMARC_DIAG_SPOOL_BAD = 50,      /* a spool line that is no row:
	                                   skipped; offset is its line number */
	/* the report reader (dmarc/reader.h): the tag names the element
	 * or container, the offset is in the decoded document */
	DMARC_DIAG_REPORT_NAMESPACE = 51,  /* unknown or mixed namespace */
	DMARC_DIAG_REPORT_WRAPPER = 52,    /* feedback is not the root */
	DMARC_DIAG_REPORT_UNKNOWN_ELEMENT = 53, /* skipped with its content */
	DMARC_DIAG_REPORT_ORDER = 54,      /* out of its schema order */
	DMARC_DIAG_REPORT_MISSING = 55,    /* a required element missing */
	DMARC_DIAG_REPORT_REPEATED = 56,   /* again: the first is kept */
	DMARC_DIAG_REPORT_KEYWORD = 57,    /* case, padding or an alias */
	DMARC_DIAG_REPORT_VALUE = 58,      /* not what the schema allows */
	DMARC_DIAG_REPORT_TEXT = 59,       /* stray text */
	DMARC_DIAG_REPORT_REPAIRED = 60,   /* raw < or &, bad UTF-8 */
	DMARC_DIAG_REPORT_MARKUP = 61,     /* comment, CDATA, PI */
	DMARC_DIAG_REPORT_RANGE = 62,      /* date range unusual */
	DMARC_DIAG_REPORT_COUNT_ZERO = 63, /* a record with count 0 */
	DMARC_DIAG_REPORT_CONTAINER = 64,  /* a container quirk */
	DMARC_DIAG_REPORT_FAILED = 65,     /* the report or part failed */
	DMARC_DIAG_ARF_FIELD = 66          /* failure report field quirk */
} dmarc_diag_code;

DMARC_EXPORT dmarc_diag_code dmarc_diag_get_code(const dmarc_diag *diag);
DMARC_EXPORT dmarc_severity dmarc_diag_get_severity(const dmarc_diag *diag);
/* Byte offset of the problem in the input, from 0. */
DMARC_EXPORT size_t dmarc_diag_get_offset(const dmarc_diag *diag);
/* Number of input bytes the problem covers (may be 0). */
DMARC_EXPORT size_t dmarc_diag_get_length(const dmarc_diag *diag);
/* Tag name as written, lower-cased; NULL when no tag is concerned. */
DMARC_EXPORT const char *dmarc_diag_get_tag(const dmarc_diag *diag);
/* Stable identifier of the code, e.g. "bad-value"; for logs and JSON. */
DMARC_EXPORT const char *dmarc_diag_get_name(const dmarc_diag *diag);
/* Human explanation, e.g. the values the tag allows.  Never NULL. */
DMARC_EXPORT const char *dmarc_diag_get_text(const dmarc_diag *diag);
/* The DNS name concerned (discovery diagnostics); NULL when none. */
DMARC_EXPORT const char *dmarc_diag_get_domain(const dmarc_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_DIAG_H */
