/*
 * libdmarc - aggregate reports for receivers (RFC 9990; RFC 7489 section
 * 7.2 in RFC 7489 mode): collect finished evaluations, group them into
 * one report per policy domain and reporting period, merge what many
 * processes or hosts collected, and write each report as XML, gzip or
 * a whole email.
 *
 *   dmarc_aggregate_new(&agg, ctx);
 *   dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_ORG_NAME, "Example");
 *   ...
 *   dmarc_aggregate_add_eval(agg, ev);        for every evaluated message
 *   n = dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS);
 *   for (i = 0; i < n; i++) {
 *       const dmarc_report *r = dmarc_aggregate_get_report(agg, i);
 *       if (dmarc_report_get_end(r) < now)
 *           dmarc_report_write(r, 1, 1, DMARC_REPORT_GZIP, sink, user);
 *   }
 *
 * Rows are the distinct tuples of RFC 9990 3.1.1.7 (source IP, evaluated
 * results, identifiers, raw SPF and DKIM results, reasons) with their
 * message counts.  A report holds the policy as published, defaults
 * filled in, as the latest message of its period saw it (RFC 9990 3.3:
 * the final configuration).  Merging is associative and commutative, and
 * a report's rows are written in an order of their own: the same
 * messages give the same report whatever the order they were added in.
 *
 * An aggregate is used by one thread at a time.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_H
#define DMARC_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/diag.h>
#include <dmarc/eval.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Buffers that hold any Report-ID and any file name, with the NUL. */
#define DMARC_REPORT_ID_SIZE 600
#define DMARC_REPORT_FILENAME_SIZE 1200

typedef struct dmarc_aggregate dmarc_aggregate;
/* One report of an aggregate: a policy domain and a period. */
typedef struct dmarc_report dmarc_report;

/* Who writes the reports (RFC 9990 3.1.1.2; 3.5.2). */
typedef enum dmarc_reporter_field {
	DMARC_REPORTER_ORG_NAME = 1,      /* org_name (required) */
	DMARC_REPORTER_EMAIL = 2,         /* email: contact (required) */
	DMARC_REPORTER_EXTRA_CONTACT = 3, /* extra_contact_info */
	DMARC_REPORTER_SUBMITTER = 4,     /* the generator's domain: file
	                                     names, Report-IDs (required) */
	DMARC_REPORTER_GENERATOR = 5,     /* generator (RFC 9990 only;
	                                     default "libdmarc <version>") */
	DMARC_REPORTER_HOST_ID = 6,       /* 1..32 letters and digits that
	                                     tell apart the reports of hosts
	                                     that each send their own */
	DMARC_REPORTER_FROM = 7           /* the email's From address
	                                     (default: the email field) */
} dmarc_reporter_field;

/* Options of dmarc_report_write() and friends. */
typedef enum dmarc_report_flag {
	DMARC_REPORT_GZIP = 1,   /* gzip the XML (RFC 1952) */
	DMARC_REPORT_PRETTY = 2  /* one element per line, indented */
} dmarc_report_flag;

/* An empty aggregate.  Reports take the context's mode: RFC 9990 XML in
 * DMARC_MODE_RFC9989, the RFC 7489 form otherwise.  Its limits:
 * DMARC_LIMIT_AGGREGATE_ROWS, DMARC_LIMIT_REPORT_INTERVAL. */
DMARC_EXPORT dmarc_status dmarc_aggregate_new(dmarc_aggregate **out,
    const dmarc_ctx *ctx);
/* NULL is accepted. */
DMARC_EXPORT void dmarc_aggregate_free(dmarc_aggregate *agg);

/* Set a reporter field (a C string of printable ASCII, at most 255
 * bytes; NULL unsets it). */
DMARC_EXPORT dmarc_status dmarc_aggregate_set_reporter(dmarc_aggregate *agg,
    dmarc_reporter_field field, const char *value);
/* NULL when unset (the generator's default is given). */
DMARC_EXPORT const char *dmarc_aggregate_get_reporter(
    const dmarc_aggregate *agg, dmarc_reporter_field field);

/* Count a finished evaluation: DMARC_ESTATE when it has nothing to
 * report (not finished, no usable policy record), DMARC_EINVAL when it
 * has no arrival time (dmarc_eval_set_time()), DMARC_EFULL when its row
 * is new and the aggregate holds DMARC_LIMIT_AGGREGATE_ROWS rows already
 * (the message is counted as dropped, and a diagnostic says so). */
DMARC_EXPORT dmarc_status dmarc_aggregate_add_eval(dmarc_aggregate *agg,
    const dmarc_eval *ev);
/* Count a spool line (libdmarc-spool(5)); *offset (optional) gets where
 * a malformed line broke.  DMARC_EINVAL, DMARC_ERANGE or DMARC_ENOTSUP
 * for a line that is not a row; DMARC_EFULL as above. */
DMARC_EXPORT dmarc_status dmarc_aggregate_add_spool_line(
    dmarc_aggregate *agg, const char *line, size_t len, size_t *offset);
/* Add every row of other (unchanged) to agg. */
DMARC_EXPORT dmarc_status dmarc_aggregate_merge(dmarc_aggregate *agg,
    const dmarc_aggregate *other);

/* Read a spool file (libdmarc-spool(5)) a collector has rotated away
 * from its appenders: every row counts, a torn line (a writer killed
 * mid-write) or a line that is no row is skipped with a diagnostic and
 * counted.  DMARC_ESYSTEM when the file cannot be read (*sys_errno,
 * optional, gets errno); DMARC_EFULL as dmarc_aggregate_add_eval(). */
DMARC_EXPORT dmarc_status dmarc_aggregate_read_spool(dmarc_aggregate *agg,
    const char *path, int *sys_errno);

/* What an aggregate or a report counts. */
typedef enum dmarc_aggregate_count {
	DMARC_COUNT_ROWS = 1,        /* distinct rows */
	DMARC_COUNT_MESSAGES = 2,    /* messages counted in rows */
	DMARC_COUNT_DROPPED = 3,     /* messages dropped at the row limit */
	DMARC_COUNT_REPORTS = 4,     /* reports (aggregate only) */
	DMARC_COUNT_SPOOL_ROWS = 5,  /* spool lines read as rows */
	DMARC_COUNT_SPOOL_TORN = 6,  /* torn spool lines skipped */
	DMARC_COUNT_SPOOL_BAD = 7    /* other spool lines skipped */
} dmarc_aggregate_count;

/* 0 for what the object does not count. */
DMARC_EXPORT uint64_t dmarc_aggregate_get_count(const dmarc_aggregate *agg,
    dmarc_aggregate_count which);
/* Problems on the way (the row limit, spool lines skipped), the first
 * 64 of them; counts say how many there were. */
DMARC_EXPORT size_t dmarc_aggregate_get_diag_count(
    const dmarc_aggregate *agg);
DMARC_EXPORT const dmarc_diag *dmarc_aggregate_get_diag(
    const dmarc_aggregate *agg, size_t index);

/* Report index (0..DMARC_COUNT_REPORTS - 1), in the order their first
 * rows came.  A report is borrowed: valid until the aggregate is changed
 * or freed; NULL out of range. */
DMARC_EXPORT const dmarc_report *dmarc_aggregate_get_report(
    const dmarc_aggregate *agg, size_t index);

/* The policy domain (RFC 9990 3.1.1.6). */
DMARC_EXPORT const char *dmarc_report_get_domain(const dmarc_report *r);
/* The reporting period: seconds since the epoch, UTC, both included. */
DMARC_EXPORT uint64_t dmarc_report_get_begin(const dmarc_report *r);
DMARC_EXPORT uint64_t dmarc_report_get_end(const dmarc_report *r);
/* DMARC_COUNT_ROWS, _MESSAGES, _DROPPED of this report; 0 else. */
DMARC_EXPORT uint64_t dmarc_report_get_count(const dmarc_report *r,
    dmarc_aggregate_count which);
/* The published policy the report gives (p, sp or np). */
DMARC_EXPORT dmarc_policy dmarc_report_get_policy(const dmarc_report *r,
    dmarc_tag tag);

/* A report may be sent in n_parts parts (1..65535), part 1..n_parts, each
 * a complete report with a distinct Report-ID and file name holding a
 * share of the rows: for a size limit the whole cannot meet. */

/* The Report-ID (RFC 9990 3.1.1.3): letters, digits, '-', '.', '@'. */
DMARC_EXPORT dmarc_status dmarc_report_get_id(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, char *buf, size_t size,
    size_t *length);
/* The file name (RFC 9990 3.5.2), .xml.gz with DMARC_REPORT_GZIP. */
DMARC_EXPORT dmarc_status dmarc_report_get_filename(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, unsigned int flags, char *buf,
    size_t size, size_t *length);
/* Write the report (XML, or gzip with DMARC_REPORT_GZIP) to sink, as it
 * goes: never the whole report in memory. */
DMARC_EXPORT dmarc_status dmarc_report_write(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, unsigned int flags,
    dmarc_sink_fn sink, void *user);
/* Write the report email to the rua address to (RFC 9990 3.5.2): the
 * Subject with the Report-ID, Date from date (seconds since the epoch),
 * the report attached (gzip unless flags lack DMARC_REPORT_GZIP), in
 * base64. */
DMARC_EXPORT dmarc_status dmarc_report_write_email(const dmarc_report *r,
    unsigned int part, unsigned int n_parts, unsigned int flags,
    const char *to, uint64_t date, dmarc_sink_fn sink, void *user);

/* The report's rows as spool lines (libdmarc-spool(5)), each with its
 * count and latest arrival and the report's policy and errors: reading
 * them into an aggregate gives this report again (less the count of
 * messages dropped at the row limit).  For a collector that carries the
 * rows of periods not yet ended over to its next run. */
DMARC_EXPORT dmarc_status dmarc_report_write_spool(const dmarc_report *r,
    dmarc_sink_fn sink, void *user);

/* RFC 7489 7.2.2: the short error report to the rua address to when
 * the report (size bytes, as it would have been sent) could not go to
 * uri, which names the destination tried. */
DMARC_EXPORT dmarc_status dmarc_report_write_error_email(
    const dmarc_report *r, unsigned int part, unsigned int n_parts,
    const char *to, const char *uri, uint64_t size, uint64_t date,
    dmarc_sink_fn sink, void *user);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_REPORT_H */
