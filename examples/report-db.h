/*
 * dmarc-report --db FILE: reports stored in SQLite, so a cron job can
 * feed the database daily and summarize everything stored.  Tables:
 * reports (one per aggregate report, its key org_name, report_id,
 * policy_domain, begin, end UNIQUE), rows, auth (the DKIM and SPF
 * results of a row), reasons, failure_reports, and duplicates (the key
 * of every duplicate skipped, with how many copies).  A report is
 * written under a savepoint released at its REPORT_END and rolled back
 * when it fails; each input file is one transaction.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_DB_H
#define DMARC_EXAMPLES_REPORT_DB_H

#include <stdint.h>

#include <dmarc/reader.h>

#include "report-row.h"
#include "report-summary.h"

struct report_db;

/* Open or create the database at path.  0, or -1 with a message on
 * standard error. */
int db_open(struct report_db **out, const char *path);
void db_close(struct report_db *db);

/* A file begins, a file ends (its transaction).  0 or -1. */
int db_file_begin(struct report_db *db);
int db_file_end(struct report_db *db);

/* An aggregate report begins: 0, 1 when its key is stored already (its
 * rows are then skipped), -1. */
int db_report_begin(struct report_db *db, const struct report_meta *m,
    const char *source);
int db_row(struct report_db *db, const struct report_row *r);
/* Its REPORT_END (m read again then, with its totals): 0 stored, 1 a
 * duplicate counted, -1. */
int db_report_end(struct report_db *db, const struct report_meta *m);
/* Its FAILED: nothing of it stays.  0 or -1. */
int db_report_drop(struct report_db *db);
/* A failure report: 0 stored, 1 a duplicate, -1. */
int db_failure_report(struct report_db *db, const dmarc_reader *rd,
    const char *source);

/* Everything stored, into s.  0, or -1 (memory, database). */
int db_summarize(struct report_db *db, struct summary *s);

#endif /* DMARC_EXAMPLES_REPORT_DB_H */
