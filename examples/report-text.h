/*
 * dmarc-report: the readable summary (the default output).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_TEXT_H
#define DMARC_EXAMPLES_REPORT_TEXT_H

#include <stdio.h>

#include "report-summary.h"

/* The summary on fp, at most top sources per list.  0, or -1 when
 * memory ran out or writing failed. */
int summary_print_text(const struct summary *s, FILE *fp, size_t top);

#endif /* DMARC_EXAMPLES_REPORT_TEXT_H */
