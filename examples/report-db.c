/*
 * dmarc-report --db: storing reports (report-db.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report-db-int.h"

/* Absent text is stored as "" in the key columns, so that UNIQUE sees
 * two reports without a report_id as the same key (NULLs are all
 * distinct in SQL). */
static const char schema[] =
    "PRAGMA foreign_keys = ON;"
    "CREATE TABLE IF NOT EXISTS reports ("
    " id INTEGER PRIMARY KEY,"
    " org_name TEXT NOT NULL, report_id TEXT NOT NULL,"
    " policy_domain TEXT NOT NULL, begin INTEGER NOT NULL,"
    " end INTEGER NOT NULL,"
    " format TEXT, p TEXT, sp TEXT, adkim TEXT, aspf TEXT,"
    " records INTEGER, messages INTEGER, source TEXT, stored INTEGER,"
    " UNIQUE (org_name, report_id, policy_domain, begin, end));"
    "CREATE TABLE IF NOT EXISTS rows ("
    " id INTEGER PRIMARY KEY,"
    " report INTEGER NOT NULL REFERENCES reports(id),"
    " source_ip TEXT, count INTEGER NOT NULL, disposition TEXT,"
    " dkim_aligned TEXT, spf_aligned TEXT, header_from TEXT,"
    " envelope_from TEXT, envelope_to TEXT);"
    "CREATE INDEX IF NOT EXISTS rows_report ON rows (report);"
    "CREATE TABLE IF NOT EXISTS auth ("
    " row INTEGER NOT NULL REFERENCES rows(id),"
    " kind TEXT NOT NULL CHECK (kind IN ('dkim', 'spf')),"
    " idx INTEGER NOT NULL,"
    " domain TEXT, selector_or_scope TEXT, result TEXT, human_result TEXT);"
    "CREATE INDEX IF NOT EXISTS auth_row ON auth (row);"
    "CREATE TABLE IF NOT EXISTS reasons ("
    " row INTEGER NOT NULL REFERENCES rows(id), idx INTEGER NOT NULL,"
    " type TEXT, comment TEXT);"
    "CREATE INDEX IF NOT EXISTS reasons_row ON reasons (row);"
    "CREATE TABLE IF NOT EXISTS failure_reports ("
    " id INTEGER PRIMARY KEY,"
    " reported_domain TEXT NOT NULL, source_ip TEXT NOT NULL,"
    " arrival_date TEXT NOT NULL, original_mail_from TEXT NOT NULL,"
    " original_envelope_id TEXT NOT NULL, original_headers TEXT NOT NULL,"
    " feedback_type TEXT, auth_failure TEXT, identity_alignment TEXT,"
    " delivery_result TEXT, incidents INTEGER, source TEXT, stored INTEGER,"
    " UNIQUE (reported_domain, source_ip, arrival_date,"
    "  original_mail_from, original_envelope_id, original_headers));"
    "CREATE TABLE IF NOT EXISTS duplicates ("
    " org_name TEXT NOT NULL, report_id TEXT NOT NULL,"
    " policy_domain TEXT NOT NULL, begin INTEGER NOT NULL,"
    " end INTEGER NOT NULL, copies INTEGER NOT NULL,"
    " UNIQUE (org_name, report_id, policy_domain, begin, end));";

static const char *const statements[DB_N_STMTS] = {
	"INSERT OR IGNORE INTO reports (org_name, report_id, policy_domain,"
	" begin, end, format, p, sp, adkim, aspf, source, stored)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"UPDATE reports SET records = ?, messages = ? WHERE id = ?",
	"INSERT INTO rows (report, source_ip, count, disposition,"
	" dkim_aligned, spf_aligned, header_from, envelope_from, envelope_to)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO auth (row, kind, idx, domain, selector_or_scope, result,"
	" human_result) VALUES (?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO reasons (row, idx, type, comment) VALUES (?, ?, ?, ?)",
	"INSERT INTO duplicates (org_name, report_id, policy_domain, begin,"
	" end, copies) VALUES (?, ?, ?, ?, ?, 1)"
	" ON CONFLICT (org_name, report_id, policy_domain, begin, end)"
	" DO UPDATE SET copies = copies + 1",
	"INSERT OR IGNORE INTO failure_reports (reported_domain, source_ip,"
	" arrival_date, original_mail_from, original_envelope_id,"
	" original_headers, feedback_type, auth_failure, identity_alignment,"
	" delivery_result, incidents, source, stored)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
};

int db_error(struct report_db *db, const char *what)
{
	fprintf(stderr, "dmarc-report: database: %s: %s\n", what,
	    sqlite3_errmsg(db->db));
	return -1;
}

int db_exec(struct report_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	fprintf(stderr, "dmarc-report: database: %s\n",
	    msg != NULL ? msg : sqlite3_errmsg(db->db));
	sqlite3_free(msg);
	return -1;
}

int db_open(struct report_db **out, const char *path)
{
	struct report_db *db = calloc(1, sizeof *db);
	int i;

	*out = NULL;
	if (db == NULL) {
		fputs("dmarc-report: out of memory\n", stderr);
		return -1;
	}
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fprintf(stderr, "dmarc-report: %s: %s\n", path,
		    db->db ? sqlite3_errmsg(db->db) : "cannot open");
		db_close(db);
		return -1;
	}
	/* a cron run and a manual one may overlap: wait for the lock */
	sqlite3_busy_timeout(db->db, 30000);
	if (db_exec(db, schema) != 0) {
		db_close(db);
		return -1;
	}
	for (i = 0; i < DB_N_STMTS; i++)
		if (sqlite3_prepare_v2(db->db, statements[i], -1, &db->stmt[i],
		    NULL) != SQLITE_OK) {
			db_error(db, "prepare");
			db_close(db);
			return -1;
		}
	*out = db;
	return 0;
}

void db_close(struct report_db *db)
{
	int i;

	if (db == NULL)
		return;
	if (db->in_file)
		db_exec(db, "ROLLBACK");
	for (i = 0; i < DB_N_STMTS; i++)
		sqlite3_finalize(db->stmt[i]);
	sqlite3_close(db->db);
	free(db);
}

int db_file_begin(struct report_db *db)
{
	if (db_exec(db, "BEGIN") != 0)
		return -1;
	db->in_file = 1;
	return 0;
}

int db_file_end(struct report_db *db)
{
	if (db->in_report && db_report_drop(db) != 0)
		return -1;
	db->in_file = 0;
	return db_exec(db, "COMMIT");
}

/* ------------------------------------------------------ statements */

static int text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* Key text: absent is "". */
static int key_text(sqlite3_stmt *st, int i, const char *s)
{
	return text(st, i, s != NULL ? s : "");
}

static int number(sqlite3_stmt *st, int i, uint64_t v)
{
	/* stored as the same 64 bits; read back as uint64_t */
	return sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* Run a bound statement to its end.  0 or -1. */
static int run(struct report_db *db, enum db_stmt which)
{
	sqlite3_stmt *st = db->stmt[which];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "write");
}

static int bind_key(sqlite3_stmt *st, const struct report_meta *m)
{
	return key_text(st, 1, m->org_name) | key_text(st, 2, m->report_id) |
	    key_text(st, 3, m->policy_domain) | number(st, 4, m->begin) |
	    number(st, 5, m->end);
}

/* ---------------------------------------------------------- reports */

int db_report_begin(struct report_db *db, const struct report_meta *m,
    const char *source)
{
	sqlite3_stmt *st = db->stmt[DB_INSERT_REPORT];

	if (db->in_report && db_report_drop(db) != 0)
		return -1;
	if (db_exec(db, "SAVEPOINT report") != 0)
		return -1;
	db->in_report = 1;
	if ((bind_key(st, m) | text(st, 6, m->format) | text(st, 7, m->p) |
	    text(st, 8, m->sp) | text(st, 9, m->adkim) |
	    text(st, 10, m->aspf) | text(st, 11, source) |
	    sqlite3_bind_int64(st, 12, (sqlite3_int64)time(NULL))) !=
	    SQLITE_OK)
		return db_error(db, "bind");
	if (run(db, DB_INSERT_REPORT) != 0)
		return -1;
	db->duplicate = sqlite3_changes(db->db) == 0;
	db->report = sqlite3_last_insert_rowid(db->db);
	return db->duplicate;
}

/* The DKIM or SPF entries of row rowid.  0 or -1. */
static int store_auth(struct report_db *db, int64_t rowid, const char *kind,
    const struct text_list *const *lists, size_t n)
{
	sqlite3_stmt *st = db->stmt[DB_INSERT_AUTH];
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		int rc = sqlite3_bind_int64(st, 1, rowid) |
		    text(st, 2, kind) | sqlite3_bind_int64(st, 3,
		    (sqlite3_int64)i);
		for (k = 0; k < 4; k++)
			rc |= text(st, 4 + k, list_at(lists[k], i));
		if (rc != SQLITE_OK)
			return db_error(db, "bind");
		if (run(db, DB_INSERT_AUTH) != 0)
			return -1;
	}
	return 0;
}

static int store_reasons(struct report_db *db, int64_t rowid,
    const struct report_row *r)
{
	sqlite3_stmt *st = db->stmt[DB_INSERT_REASON];
	size_t i, n = row_reason_count(r);

	for (i = 0; i < n; i++) {
		if ((sqlite3_bind_int64(st, 1, rowid) |
		    sqlite3_bind_int64(st, 2, (sqlite3_int64)i) |
		    text(st, 3, list_at(&r->reason_type, i)) |
		    text(st, 4, list_at(&r->reason_comment, i))) != SQLITE_OK)
			return db_error(db, "bind");
		if (run(db, DB_INSERT_REASON) != 0)
			return -1;
	}
	return 0;
}

int db_row(struct report_db *db, const struct report_row *r)
{
	sqlite3_stmt *st = db->stmt[DB_INSERT_ROW];
	const struct text_list *dkim[] = { &r->dkim_domain, &r->dkim_selector,
		&r->dkim_result, &r->dkim_human };
	const struct text_list *spf[] = { &r->spf_domain, &r->spf_scope,
		&r->spf_result, &r->spf_human };
	int64_t rowid;

	if (!db->in_report || db->duplicate)
		return 0;
	if ((sqlite3_bind_int64(st, 1, db->report) |
	    text(st, 2, r->source_ip) | number(st, 3, r->count) |
	    text(st, 4, r->disposition) | text(st, 5, r->dkim_aligned) |
	    text(st, 6, r->spf_aligned) | text(st, 7, r->header_from) |
	    text(st, 8, r->envelope_from) | text(st, 9, r->envelope_to)) !=
	    SQLITE_OK)
		return db_error(db, "bind");
	if (run(db, DB_INSERT_ROW) != 0)
		return -1;
	rowid = sqlite3_last_insert_rowid(db->db);
	if (store_auth(db, rowid, "dkim", dkim, row_dkim_count(r)) != 0 ||
	    store_auth(db, rowid, "spf", spf, row_spf_count(r)) != 0)
		return -1;
	return store_reasons(db, rowid, r);
}

int db_report_end(struct report_db *db, const struct report_meta *m)
{
	sqlite3_stmt *st;
	int dup = db->duplicate;

	if (!db->in_report)
		return 0;
	if (dup) {
		st = db->stmt[DB_NOTE_DUPLICATE];
		if (bind_key(st, m) != SQLITE_OK)
			return db_error(db, "bind");
		if (run(db, DB_NOTE_DUPLICATE) != 0)
			return -1;
	} else {
		st = db->stmt[DB_UPDATE_TOTALS];
		if ((number(st, 1, m->records) | number(st, 2, m->messages) |
		    sqlite3_bind_int64(st, 3, db->report)) != SQLITE_OK)
			return db_error(db, "bind");
		if (run(db, DB_UPDATE_TOTALS) != 0)
			return -1;
	}
	db->in_report = 0;
	if (db_exec(db, "RELEASE report") != 0)
		return -1;
	return dup;
}

int db_report_drop(struct report_db *db)
{
	if (!db->in_report)
		return 0;
	db->in_report = 0;
	if (db_exec(db, "ROLLBACK TO report") != 0)
		return -1;
	return db_exec(db, "RELEASE report");
}

int db_failure_report(struct report_db *db, const dmarc_reader *rd,
    const char *source)
{
	static const dmarc_reader_field keys[] = { DMARC_FIELD_REPORTED_DOMAIN,
		DMARC_FIELD_SOURCE_IP, DMARC_FIELD_ARRIVAL_DATE,
		DMARC_FIELD_ORIGINAL_MAIL_FROM, DMARC_FIELD_ORIGINAL_ENVELOPE_ID,
		DMARC_FIELD_ORIGINAL_HEADERS };
	static const dmarc_reader_field more[] = { DMARC_FIELD_FEEDBACK_TYPE,
		DMARC_FIELD_AUTH_FAILURE, DMARC_FIELD_IDENTITY_ALIGNMENT,
		DMARC_FIELD_DELIVERY_RESULT };
	sqlite3_stmt *st = db->stmt[DB_INSERT_FAILURE];
	uint64_t incidents = 1;
	int rc = SQLITE_OK, i;

	if (dmarc_reader_get_number(rd, DMARC_FIELD_INCIDENTS, 0, &incidents) !=
	    DMARC_OK)
		incidents = 1;
	for (i = 0; i < 6; i++)
		rc |= key_text(st, i + 1, dmarc_reader_get_text(rd, keys[i], 0,
		    NULL));
	for (i = 0; i < 4; i++)
		rc |= text(st, i + 7, dmarc_reader_get_text(rd, more[i], 0,
		    NULL));
	rc |= number(st, 11, incidents) | text(st, 12, source) |
	    sqlite3_bind_int64(st, 13, (sqlite3_int64)time(NULL));
	if (rc != SQLITE_OK)
		return db_error(db, "bind");
	if (run(db, DB_INSERT_FAILURE) != 0)
		return -1;
	return sqlite3_changes(db->db) == 0;
}
