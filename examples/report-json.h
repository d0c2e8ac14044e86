/*
 * dmarc-report --json: JSON Lines (RFC 8259 text, one object a line),
 * one object per report found, in input order; a report's rows are held
 * in a temporary file until its REPORT_END, so a report that fails
 * halfway gives only its error object.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_JSON_H
#define DMARC_EXAMPLES_REPORT_JSON_H

#include <stdio.h>

#include <dmarc/reader.h>

#include "report-row.h"

struct json_out;

/* Objects are written to out.  NULL with errno when no temporary file
 * could be made. */
struct json_out *json_out_new(FILE *out);
void json_out_free(struct json_out *j);

/* An aggregate report begins (DMARC_READER_REPORT).  0 or -1. */
int json_report_begin(struct json_out *j);
/* One of its rows.  0 or -1 (a write error). */
int json_row(struct json_out *j, const struct report_row *r);
/* Its REPORT_END: the whole object, from source.  0 or -1. */
int json_report_end(struct json_out *j, const dmarc_reader *rd,
    const char *source);
/* A failure report (DMARC_READER_FAILURE_REPORT).  0 or -1. */
int json_failure_report(struct json_out *j, const dmarc_reader *rd,
    const char *source);
/* DMARC_READER_FAILED: the rows held are dropped and the error object
 * written.  0 or -1. */
int json_failed(struct json_out *j, const dmarc_reader *rd,
    const char *source);
/* An input that could not be read at all (error "io"). */
int json_io_error(struct json_out *j, const char *source,
    const char *message);

#endif /* DMARC_EXAMPLES_REPORT_JSON_H */
