/*
 * libdmarc - reading received reports, for domain owners: aggregate
 * reports (RFC 9990, RFC 7489 section 7.2 and the forms real generators
 * send) and failure reports (ARF: RFC 9991, RFC 6591, RFC 5965), in any
 * container, pushed in any chunking, pulled out as events.
 *
 *   dmarc_reader_new(&rd, ctx);
 *   while ((n = read(fd, buf, sizeof buf)) > 0) {
 *       dmarc_reader_push(rd, buf, n);
 *       while ((ev = dmarc_reader_next(rd)) != DMARC_READER_NEED_INPUT)
 *           handle(rd, ev);
 *   }
 *   dmarc_reader_finish(rd);
 *   while ((ev = dmarc_reader_next(rd)) != DMARC_READER_DONE)
 *       handle(rd, ev);
 *
 * What the bytes are is decided by their content, never by a file name
 * or a media type: XML (UTF-8 with or without a byte order mark, UTF-16
 * with one, ISO-8859-1, US-ASCII or windows-1252 when declared), gzip
 * (several members), zip (stored or deflated entries), an RFC 5322
 * message with MIME parts at any depth up to a limit (a forwarded
 * report inside message/rfc822 too), or an mbox of such messages.
 * Every report found in the input gives its events; a part that cannot
 * be read gives DMARC_READER_FAILED and reading goes on with the next.
 *
 * Rows come out one at a time and memory stays bounded whatever the
 * report's size.  A report's rows are provisional until its
 * DMARC_READER_REPORT_END: a report that fails later (a count that is
 * not a number, a limit, truncation) ends with DMARC_READER_FAILED
 * instead, and its rows must be discarded.
 *
 * Tolerant by default: quirks of real generators are read with a
 * diagnostic each (code, byte offset, element); with
 * dmarc_reader_set_strict() a report that departs from its schema fails
 * with DMARC_READER_FAILURE_INVALID_VALUE (quirks the schema allows,
 * such as comments, count 0 or an odd date range, are only said).  DTDs are refused, entities are
 * never expanded, nothing outside the input is ever read.
 *
 * A reader is used by one thread at a time.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_READER_H
#define DMARC_READER_H

#include <stddef.h>
#include <stdint.h>
#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/diag.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_reader dmarc_reader;

/* What dmarc_reader_next() found.  May grow. */
typedef enum dmarc_reader_event {
	DMARC_READER_NEED_INPUT = 0,  /* push more bytes, or finish */
	DMARC_READER_REPORT = 1,      /* an aggregate report begins: its
	                                 metadata and published policy */
	DMARC_READER_ROW = 2,         /* one record of that report */
	DMARC_READER_REPORT_END = 3,  /* the report was read whole: its
	                                 totals; its rows are final */
	DMARC_READER_FAILURE_REPORT = 4, /* a failure report (ARF) */
	DMARC_READER_FAILED = 5,      /* a report or a part could not be
	                                 read: dmarc_reader_get_failure() */
	DMARC_READER_DONE = 6         /* finished and every event given */
} dmarc_reader_event;

/* Why a report or a part could not be read.  May grow. */
typedef enum dmarc_reader_failure {
	DMARC_READER_FAILURE_NONE = 0,
	DMARC_READER_FAILURE_TRUNCATED = 1,   /* the input ended inside it */
	DMARC_READER_FAILURE_CORRUPT = 2,     /* damaged container, XML that
	                                         is not well-formed */
	DMARC_READER_FAILURE_LIMIT = 3,       /* a limit was passed */
	DMARC_READER_FAILURE_DTD_FORBIDDEN = 4, /* a DOCTYPE declaration */
	DMARC_READER_FAILURE_INVALID_VALUE = 5, /* a count or time that is
	                                         no number; strict mode: any
	                                         departure from the schema */
	DMARC_READER_FAILURE_NOT_A_REPORT = 6, /* readable, but no report */
	DMARC_READER_FAILURE_UNSUPPORTED = 7  /* a container form that
	                                         cannot be read as a stream:
	                                         an encrypted zip entry, a
	                                         stored one of unknown size */
} dmarc_reader_failure;

/* The fields of an event, for the keyed getters.  Report fields are
 * valid from DMARC_READER_REPORT to its REPORT_END or FAILED; row
 * fields during DMARC_READER_ROW; failure report fields during
 * DMARC_READER_FAILURE_REPORT.  Keywords (results, dispositions,
 * policies, reasons, scopes, alignment modes) are given as the library
 * names them (dmarc/keyword.h) when the text was one, in any case or
 * padding, else as sent.  Fields marked "several" have one value per
 * element; the DKIM, SPF and reason fields have one value for each
 * dkim, spf or reason element, absent (NULL) where that element lacked
 * it, so index i of each speaks of the same element.  May grow. */
typedef enum dmarc_reader_field {
	DMARC_FIELD_NONE = 0,
	/* where the event came from (every event but NEED_INPUT, DONE) */
	DMARC_FIELD_CONTAINERS = 1,      /* the chain, e.g. "mbox mime gzip xml" */
	DMARC_FIELD_PART_NAME = 2,       /* file name of the MIME part or zip
	                                 entry that held it */
	DMARC_FIELD_MESSAGE_INDEX = 3,   /* number: mbox message, from 0 */
	DMARC_FIELD_FAILURE_TEXT = 4,    /* FAILED: what went wrong, where */
	/* aggregate report: report_metadata */
	DMARC_FIELD_FORMAT = 10,         /* "dmarc-2.0" (RFC 9990), "7489-0.1"
	                                 (RFC 7489), "draft-0.2", "none"
	                                 (no namespace) */
	DMARC_FIELD_VERSION = 11,
	DMARC_FIELD_ORG_NAME = 12,
	DMARC_FIELD_EMAIL = 13,
	DMARC_FIELD_EXTRA_CONTACT_INFO = 14,
	DMARC_FIELD_REPORT_ID = 15,
	DMARC_FIELD_BEGIN = 16,          /* number: epoch seconds */
	DMARC_FIELD_END = 17,            /* number: epoch seconds */
	DMARC_FIELD_ERROR = 18,          /* several */
	DMARC_FIELD_GENERATOR = 19,
	/* aggregate report: policy_published */
	DMARC_FIELD_POLICY_DOMAIN = 30,
	DMARC_FIELD_DISCOVERY_METHOD = 31,
	DMARC_FIELD_P = 32,
	DMARC_FIELD_SP = 33,
	DMARC_FIELD_NP = 34,
	DMARC_FIELD_PCT = 35,            /* number */
	DMARC_FIELD_FO = 36,
	DMARC_FIELD_ADKIM = 37,
	DMARC_FIELD_ASPF = 38,
	DMARC_FIELD_TESTING = 39,
	/* aggregate report: totals, at REPORT_END */
	DMARC_FIELD_RECORDS = 45,        /* number: record elements */
	DMARC_FIELD_MESSAGES = 46,       /* number: the sum of their counts */
	/* row */
	DMARC_FIELD_SOURCE_IP = 50,      /* a failure report's Source-IP too */
	DMARC_FIELD_COUNT = 51,          /* number */
	DMARC_FIELD_DISPOSITION = 52,
	DMARC_FIELD_DKIM_ALIGNED = 53,   /* policy_evaluated dkim: pass, fail */
	DMARC_FIELD_SPF_ALIGNED = 54,    /* policy_evaluated spf: pass, fail */
	DMARC_FIELD_REASON_TYPE = 55,    /* several */
	DMARC_FIELD_REASON_COMMENT = 56, /* several */
	DMARC_FIELD_HEADER_FROM = 57,
	DMARC_FIELD_ENVELOPE_FROM = 58,  /* "" for the null path */
	DMARC_FIELD_ENVELOPE_TO = 59,
	DMARC_FIELD_DKIM_DOMAIN = 60,    /* several */
	DMARC_FIELD_DKIM_SELECTOR = 61,  /* several */
	DMARC_FIELD_DKIM_RESULT = 62,    /* several */
	DMARC_FIELD_DKIM_HUMAN_RESULT = 63, /* several */
	DMARC_FIELD_SPF_DOMAIN = 64,     /* several */
	DMARC_FIELD_SPF_SCOPE = 65,      /* several */
	DMARC_FIELD_SPF_RESULT = 66,     /* several */
	DMARC_FIELD_SPF_HUMAN_RESULT = 67, /* several */
	/* failure report: the feedback-report fields (RFC 5965 3.5,
	 * RFC 6591 3.1, RFC 9991 4) and the original message */
	DMARC_FIELD_FEEDBACK_TYPE = 80,
	DMARC_FIELD_USER_AGENT = 81,
	DMARC_FIELD_ARF_VERSION = 82,
	DMARC_FIELD_AUTH_FAILURE = 83,
	DMARC_FIELD_IDENTITY_ALIGNMENT = 84, /* as sent: its meaning differs
	                                     between RFC 7489 and RFC 9991 */
	DMARC_FIELD_DELIVERY_RESULT = 85,
	DMARC_FIELD_AUTHENTICATION_RESULTS = 86, /* several */
	DMARC_FIELD_SOURCE_PORT = 87,    /* number */
	DMARC_FIELD_REPORTED_DOMAIN = 88, /* several */
	DMARC_FIELD_REPORTED_URI = 89,   /* several */
	DMARC_FIELD_ORIGINAL_MAIL_FROM = 90,
	DMARC_FIELD_ORIGINAL_RCPT_TO = 91, /* several */
	DMARC_FIELD_ORIGINAL_ENVELOPE_ID = 92,
	DMARC_FIELD_ARRIVAL_DATE = 93,   /* as sent (Received-Date too) */
	DMARC_FIELD_REPORTING_MTA = 94,
	DMARC_FIELD_INCIDENTS = 95,      /* number; 1 when absent */
	DMARC_FIELD_ARF_DKIM_DOMAIN = 96,
	DMARC_FIELD_ARF_DKIM_IDENTITY = 97,
	DMARC_FIELD_ARF_DKIM_SELECTOR = 98,
	DMARC_FIELD_SPF_DNS = 99,
	DMARC_FIELD_ORIGINAL_HEADERS = 100 /* the reported message's header
	                                   section, as sent */
} dmarc_reader_field;

/* A reader for one input (a file, a message, a stream of them).  Its
 * limits come from the context: DMARC_LIMIT_REPORT_BYTES,
 * DMARC_LIMIT_REPORT_RATIO, DMARC_LIMIT_XML_DEPTH,
 * DMARC_LIMIT_XML_ELEMENTS, DMARC_LIMIT_XML_STRING,
 * DMARC_LIMIT_REPORT_RECORDS, DMARC_LIMIT_MIME_DEPTH,
 * DMARC_LIMIT_MIME_PARTS, taken when it is made. */
DMARC_EXPORT dmarc_status dmarc_reader_new(dmarc_reader **out,
    const dmarc_ctx *ctx);
/* NULL is accepted. */
DMARC_EXPORT void dmarc_reader_free(dmarc_reader *rd);
/* Ready for a new input, keeping what was allocated. */
DMARC_EXPORT void dmarc_reader_reset(dmarc_reader *rd);

/* Strict mode (strict non-zero): only reports that follow their schema
 * to the letter are returned.  Before the first push; DMARC_ESTATE
 * after. */
DMARC_EXPORT dmarc_status dmarc_reader_set_strict(dmarc_reader *rd,
    int strict);

/* The next len bytes of the input.  They are not copied: they must stay
 * valid and unchanged until dmarc_reader_next() returns
 * DMARC_READER_NEED_INPUT.  DMARC_ESTATE unless the last
 * dmarc_reader_next() returned DMARC_READER_NEED_INPUT (or none was
 * called since the reader was made or reset), and after finish. */
DMARC_EXPORT dmarc_status dmarc_reader_push(dmarc_reader *rd,
    const char *data, size_t len);
/* The input is complete.  DMARC_ESTATE if pushed bytes are still being
 * read (call dmarc_reader_next() first) or if finished already. */
DMARC_EXPORT dmarc_status dmarc_reader_finish(dmarc_reader *rd);
/* Read on to the next event.  After DMARC_READER_DONE, DONE again;
 * an allocation failure is DMARC_READER_FAILED with class
 * DMARC_READER_FAILURE_LIMIT and status DMARC_ENOMEM
 * (dmarc_reader_get_status). */
DMARC_EXPORT dmarc_reader_event dmarc_reader_next(dmarc_reader *rd);

/* The class of the last DMARC_READER_FAILED, else NONE. */
DMARC_EXPORT dmarc_reader_failure dmarc_reader_get_failure(
    const dmarc_reader *rd);
/* DMARC_ENOMEM when the last failure was an allocation, else DMARC_OK. */
DMARC_EXPORT dmarc_status dmarc_reader_get_status(const dmarc_reader *rd);
/* Bytes of input read so far (pushed and used). */
DMARC_EXPORT uint64_t dmarc_reader_get_offset(const dmarc_reader *rd);

/* How many values field has in the current event: 0 when it has none. */
DMARC_EXPORT size_t dmarc_reader_get_count(const dmarc_reader *rd,
    dmarc_reader_field field);
/* Value index of field as text (NUL-terminated; *len, if not NULL, its
 * length), valid until the next call of dmarc_reader_next(); NULL when
 * absent.  Text from a report is UTF-8 (invalid bytes replaced by
 * U+FFFD). */
DMARC_EXPORT const char *dmarc_reader_get_text(const dmarc_reader *rd,
    dmarc_reader_field field, size_t index, size_t *len);
/* Value index of a number field.  DMARC_EINVAL when field is not a
 * number field or absent. */
DMARC_EXPORT dmarc_status dmarc_reader_get_number(const dmarc_reader *rd,
    dmarc_reader_field field, size_t index, uint64_t *value);

/* Diagnostics of the current report (from its DMARC_READER_REPORT, or
 * of the failure report or failed part), the quirks read and the
 * failure: dmarc_diag_get_tag() names the element or container,
 * dmarc_diag_get_offset() the byte offset in the decoded document. */
DMARC_EXPORT size_t dmarc_reader_get_diag_count(const dmarc_reader *rd);
DMARC_EXPORT const dmarc_diag *dmarc_reader_get_diag(const dmarc_reader *rd,
    size_t index);

/* Names (dmarc/keyword.h conventions). */
DMARC_EXPORT const char *dmarc_reader_event_name(dmarc_reader_event value);
DMARC_EXPORT dmarc_status dmarc_reader_event_parse(const char *text,
    size_t len, dmarc_reader_event *out);
DMARC_EXPORT const char *dmarc_reader_failure_name(
    dmarc_reader_failure value);
DMARC_EXPORT dmarc_status dmarc_reader_failure_parse(const char *text,
    size_t len, dmarc_reader_failure *out);
DMARC_EXPORT const char *dmarc_reader_field_name(dmarc_reader_field value);
DMARC_EXPORT dmarc_status dmarc_reader_field_parse(const char *text,
    size_t len, dmarc_reader_field *out);

#ifdef __cplusplus
}
#endif

#endif /* DMARC_READER_H */
