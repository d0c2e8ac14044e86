/*
 * dmarc-report --html FILE: the summary as one self-contained page:
 * inline SVG charts (volume per day, the pass/fail split, the top
 * sources) drawn by the browser without scripts, fonts or anything
 * fetched, and every number as text in tables.  The tables carry
 * data-domain, data-day and data-k attributes so a program can read the
 * numbers back (test/dmarc-report-html.sh does).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_HTML_H
#define DMARC_EXAMPLES_REPORT_HTML_H

#include <stdio.h>

#include "report-summary.h"

/* The page on fp, at most top sources charted.  0, or -1 when memory
 * ran out or writing failed. */
int summary_print_html(const struct summary *s, FILE *fp, size_t top);

#endif /* DMARC_EXAMPLES_REPORT_HTML_H */
