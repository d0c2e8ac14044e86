/*
 * dmarc-report --db: the summary of everything stored (report-db.h).
 * Reports, rows, DKIM/SPF results and reasons are read by four queries
 * in the order of their keys and walked side by side, so a row's
 * results come without one query per row.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-db-int.h"

enum { Q_REPORTS, Q_ROWS, Q_AUTH, Q_REASONS, Q_FAILURES, Q_DUPLICATES,
	N_QUERIES };

static const char *const queries[N_QUERIES] = {
	"SELECT id, org_name, report_id, policy_domain, begin, end, format,"
	" p, sp, adkim, aspf, records, messages FROM reports ORDER BY id",
	"SELECT report, id, source_ip, count, disposition, dkim_aligned,"
	" spf_aligned, header_from, envelope_from, envelope_to FROM rows"
	" ORDER BY report, id",
	"SELECT row, kind, domain, selector_or_scope, result, human_result"
	" FROM auth ORDER BY row, kind, idx",
	"SELECT row, type, comment FROM reasons ORDER BY row, idx",
	"SELECT reported_domain, incidents FROM failure_reports ORDER BY id",
	"SELECT org_name, report_id, policy_domain, begin, end, copies"
	" FROM duplicates"
};

struct cursor {
	sqlite3_stmt *st;
	int rc;             /* of the last sqlite3_step */
};

/* Copies of a row's DKIM, SPF and reason texts (their statements move
 * on while the row is being built). */
struct pool {
	char **v;
	size_t n, cap;
};

struct walk {
	struct report_db *db;
	struct cursor q[N_QUERIES];
	struct pool pool;
	struct report_row row;
};

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static uint64_t col_number(sqlite3_stmt *st, int i)
{
	return (uint64_t)sqlite3_column_int64(st, i);
}

/* A copy of s kept until pool_clear; *out NULL for NULL.  0 or -1. */
static int pool_copy(struct pool *p, const char *s, const char **out)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		char **v = realloc(p->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	if ((p->v[p->n] = strdup(s)) == NULL)
		return -1;
	*out = p->v[p->n++];
	return 0;
}

static void pool_clear(struct pool *p)
{
	while (p->n > 0)
		free(p->v[--p->n]);
}

static int step(struct walk *w, int q)
{
	w->q[q].rc = sqlite3_step(w->q[q].st);
	if (w->q[q].rc != SQLITE_ROW && w->q[q].rc != SQLITE_DONE)
		return db_error(w->db, "read");
	return 0;
}

static int at_row(const struct walk *w, int q)
{
	return w->q[q].rc == SQLITE_ROW;
}

/* A copied text pushed on a list.  0 or -1. */
static int push_copy(struct walk *w, struct text_list *l, const char *s)
{
	const char *c;

	return pool_copy(&w->pool, s, &c) != 0 || list_push(l, c) != 0 ?
	    -1 : 0;
}

/* The DKIM and SPF results of row id from the auth cursor.  0 or -1. */
static int read_auth(struct walk *w, int64_t id)
{
	sqlite3_stmt *st = w->q[Q_AUTH].st;
	struct report_row *r = &w->row;

	while (at_row(w, Q_AUTH) && sqlite3_column_int64(st, 0) <= id) {
		if (sqlite3_column_int64(st, 0) == id) {
			int dkim = strcmp(col(st, 1), "dkim") == 0;
			if (push_copy(w, dkim ? &r->dkim_domain : &r->spf_domain,
			    col(st, 2)) != 0 || push_copy(w, dkim ?
			    &r->dkim_selector : &r->spf_scope, col(st, 3)) != 0 ||
			    push_copy(w, dkim ? &r->dkim_result : &r->spf_result,
			    col(st, 4)) != 0 || push_copy(w, dkim ?
			    &r->dkim_human : &r->spf_human, col(st, 5)) != 0)
				return -1;
		}
		if (step(w, Q_AUTH) != 0)
			return -1;
	}
	return 0;
}

static int read_reasons(struct walk *w, int64_t id)
{
	sqlite3_stmt *st = w->q[Q_REASONS].st;

	while (at_row(w, Q_REASONS) && sqlite3_column_int64(st, 0) <= id) {
		if (sqlite3_column_int64(st, 0) == id &&
		    (push_copy(w, &w->row.reason_type, col(st, 1)) != 0 ||
		    push_copy(w, &w->row.reason_comment, col(st, 2)) != 0))
			return -1;
		if (step(w, Q_REASONS) != 0)
			return -1;
	}
	return 0;
}

/* Every row of report id into the summary.  0 or -1. */
static int read_rows(struct walk *w, struct summary *s, int64_t id)
{
	sqlite3_stmt *st = w->q[Q_ROWS].st;
	struct report_row *r = &w->row;

	while (at_row(w, Q_ROWS) && sqlite3_column_int64(st, 0) <= id) {
		int64_t row = sqlite3_column_int64(st, 1);
		row_clear(r);
		pool_clear(&w->pool);
		r->source_ip = col(st, 2);
		r->count = col_number(st, 3);
		r->disposition = col(st, 4);
		r->dkim_aligned = col(st, 5);
		r->spf_aligned = col(st, 6);
		r->header_from = col(st, 7);
		r->envelope_from = col(st, 8);
		r->envelope_to = col(st, 9);
		if (read_auth(w, row) != 0 || read_reasons(w, row) != 0)
			return -1;
		if (sqlite3_column_int64(st, 0) == id && summary_row(s, r) != 0)
			return -1;
		if (step(w, Q_ROWS) != 0)
			return -1;
	}
	return 0;
}

static void meta_of(sqlite3_stmt *st, struct report_meta *m, int first)
{
	memset(m, 0, sizeof *m);
	m->org_name = col(st, first);
	m->report_id = col(st, first + 1);
	m->policy_domain = col(st, first + 2);
	m->begin = col_number(st, first + 3);
	m->end = col_number(st, first + 4);
}

static int read_reports(struct walk *w, struct summary *s)
{
	sqlite3_stmt *st = w->q[Q_REPORTS].st;

	while (at_row(w, Q_REPORTS)) {
		struct report_meta m;
		meta_of(st, &m, 1);
		m.format = col(st, 6);
		m.p = col(st, 7);
		m.sp = col(st, 8);
		m.adkim = col(st, 9);
		m.aspf = col(st, 10);
		if (summary_begin(s, &m) != 0 ||
		    read_rows(w, s, sqlite3_column_int64(st, 0)) != 0 ||
		    summary_commit(s) < 0 || step(w, Q_REPORTS) != 0)
			return -1;
	}
	return 0;
}

static int read_others(struct walk *w, struct summary *s)
{
	sqlite3_stmt *st = w->q[Q_FAILURES].st;

	while (at_row(w, Q_FAILURES)) {
		if (summary_failure_report(s, col(st, 0), col_number(st, 1)) !=
		    0 || step(w, Q_FAILURES) != 0)
			return -1;
	}
	st = w->q[Q_DUPLICATES].st;
	while (at_row(w, Q_DUPLICATES)) {
		struct report_meta m;
		meta_of(st, &m, 0);
		if (summary_add_duplicate(s, &m, col_number(st, 5)) != 0 ||
		    step(w, Q_DUPLICATES) != 0)
			return -1;
	}
	return 0;
}

int db_summarize(struct report_db *db, struct summary *s)
{
	struct walk w;
	int q, rc = 0;

	memset(&w, 0, sizeof w);
	w.db = db;
	for (q = 0; q < N_QUERIES && rc == 0; q++) {
		if (sqlite3_prepare_v2(db->db, queries[q], -1, &w.q[q].st, NULL)
		    != SQLITE_OK)
			rc = db_error(db, "prepare");
		else
			rc = step(&w, q);
	}
	if (rc == 0)
		rc = read_reports(&w, s);
	if (rc == 0)
		rc = read_others(&w, s);
	if (rc != 0)
		fputs("dmarc-report: the summary of the database failed\n",
		    stderr);
	for (q = 0; q < N_QUERIES; q++)
		sqlite3_finalize(w.q[q].st);
	pool_clear(&w.pool);
	free(w.pool.v);
	row_free(&w.row);
	return rc;
}
