/*
 * dmarc-report: a temporary file that holds a report's output while its
 * rows are provisional, so memory stays bounded whatever the report's
 * size and a report that fails halfway leaves no trace on the output.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_SPILL_H
#define DMARC_EXAMPLES_SPILL_H

#include <stdio.h>

/* An empty temporary file (removed when closed), or NULL with errno. */
FILE *spill_open(void);
/* Empty it again.  0, or -1 with errno. */
int spill_reset(FILE *fp);
/* Everything written to it so far onto out, then empty it.  0, or -1. */
int spill_copy(FILE *fp, FILE *out);

#endif /* DMARC_EXAMPLES_SPILL_H */
