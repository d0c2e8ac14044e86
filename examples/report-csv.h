/*
 * dmarc-report --csv: one line per row (RFC 4180), after a header line;
 * a report's lines are held in a temporary file until its REPORT_END
 * and dropped when it fails.  Several DKIM, SPF or reason values are
 * joined with ';' in the order of their elements (an absent one empty),
 * so column k of one list matches column k of the others.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_CSV_H
#define DMARC_EXAMPLES_REPORT_CSV_H

#include <stdio.h>

#include "report-row.h"

struct csv_out;

/* Writes the header line to out.  NULL with errno. */
struct csv_out *csv_out_new(FILE *out);
void csv_out_free(struct csv_out *c);

/* A report begins; m must stay valid until its end or failure. */
int csv_report_begin(struct csv_out *c, const struct report_meta *m);
int csv_row(struct csv_out *c, const struct report_row *r);
/* REPORT_END: its lines onto the output.  0 or -1. */
int csv_report_end(struct csv_out *c);
/* FAILED: its lines dropped.  0 or -1. */
int csv_report_drop(struct csv_out *c);

#endif /* DMARC_EXAMPLES_REPORT_CSV_H */
