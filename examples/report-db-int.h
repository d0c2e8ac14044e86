/*
 * dmarc-report: what the database's writer (report-db.c) and reader
 * (report-db-read.c) share.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_DB_INT_H
#define DMARC_EXAMPLES_REPORT_DB_INT_H

#include <sqlite3.h>

#include "report-db.h"

enum db_stmt {
	DB_INSERT_REPORT, DB_UPDATE_TOTALS, DB_INSERT_ROW, DB_INSERT_AUTH,
	DB_INSERT_REASON, DB_NOTE_DUPLICATE, DB_INSERT_FAILURE,
	DB_N_STMTS
};

struct report_db {
	sqlite3 *db;
	sqlite3_stmt *stmt[DB_N_STMTS];
	int64_t report;     /* rowid of the report being stored */
	int in_report, duplicate, in_file;
};

/* The database's message for what failed; -1. */
int db_error(struct report_db *db, const char *what);
/* Run SQL without results.  0 or -1 with a message. */
int db_exec(struct report_db *db, const char *sql);

#endif /* DMARC_EXAMPLES_REPORT_DB_INT_H */
