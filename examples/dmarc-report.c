/*
 * dmarc-report: read received DMARC reports (aggregate, RFC 9990 and
 * RFC 7489; failure, RFC 9991 and RFC 6591) from files, directories,
 * mboxes and Maildirs, in whatever container they came, and summarize
 * them for the domain owner, or list them as JSON Lines or CSV, draw
 * them as a web page, store them in SQLite.
 *
 *   dmarc-report [--json | --csv] [--html FILE] [--db FILE] [--strict]
 *                [--top N] PATH...
 *   dmarc-report --db FILE [--html FILE] [--top N]
 *   dmarc-report --help | --version
 *
 * Exit status: 0 every input was read, 1 some input (a file, a part, a
 * report) could not be, or an output failed; 2 usage error.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dmarc/dmarc.h>
#include <dmarc/reader.h>

#include "config.h"
#include "print.h"
#include "report-csv.h"
#include "report-html.h"
#include "report-input.h"
#include "report-json.h"
#include "report-row.h"
#include "report-summary.h"
#include "report-text.h"
#ifdef DMARC_HAVE_SQLITE3
#include "report-db.h"
#else
struct report_db;
#endif

#define PROG "dmarc-report"

struct options {
	int json, csv, strict;
	const char *html, *db;
	unsigned long long top;
	char **paths;
	size_t n_paths;
};

/* What the run has seen and where it goes. */
struct run {
	const struct options *o;
	struct summary *sum;        /* NULL when no summary is made */
	struct json_out *json;
	struct csv_out *csv;
	struct report_db *db;
	struct report_meta meta;
	struct report_row row;
	int in_report, failed, nomem;
	uint64_t files, reports, failures, failure_reports, duplicates, bytes;
	int progress;
	struct timespec shown;
};

static int usage(FILE *fp, int status)
{
	fputs("usage: dmarc-report [--json | --csv] [--html FILE] [--db FILE] "
	    "[--strict]\n"
	    "                    [--top N] PATH...\n"
	    "       dmarc-report --db FILE [--html FILE] [--top N]\n"
	    "       dmarc-report --help | --version\n", fp);
	return status;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int i, dashdash = 0;

	memset(o, 0, sizeof *o);
	o->top = 10;
	/* the paths are gathered into argv's own slots, already read */
	o->paths = argv + 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (dashdash || a[0] != '-' || strcmp(a, "-") == 0)
			o->paths[o->n_paths++] = argv[i];
		else if (strcmp(a, "--") == 0)
			dashdash = 1;
		else if (strcmp(a, "--json") == 0)
			o->json = 1;
		else if (strcmp(a, "--csv") == 0)
			o->csv = 1;
		else if (strcmp(a, "--strict") == 0)
			o->strict = 1;
		else if (i + 1 < argc && strcmp(a, "--html") == 0 && !o->html)
			o->html = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--db") == 0 && !o->db)
			o->db = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--top") == 0 &&
		    parse_decimal(argv[i + 1], &o->top) == 0)
			i++;
		else
			return -1;
	}
	if ((o->json && o->csv) || (o->n_paths == 0 && o->db == NULL) ||
	    (o->html != NULL && *o->html == '\0') ||
	    (o->db != NULL && *o->db == '\0'))
		return -1;
	return 0;
}

/* --------------------------------------------------------- progress */

static void progress_show(struct run *r, int force)
{
	struct timespec now;

	if (!r->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && now.tv_sec - r->shown.tv_sec < 1 &&
	    (now.tv_sec - r->shown.tv_sec) * 1000000000L + now.tv_nsec -
	    r->shown.tv_nsec < 200000000L)
		return;
	r->shown = now;
	fprintf(stderr, "\r" PROG ": %" PRIu64 " files, %.1f MB, %" PRIu64
	    " reports, %" PRIu64 " failure reports, %" PRIu64 " failed\033[K",
	    r->files, (double)r->bytes / 1e6, r->reports, r->failure_reports,
	    r->failures);
}

static void on_progress(void *user, const char *source, uint64_t bytes)
{
	struct run *r = user;

	(void)source;
	r->bytes += bytes;
	progress_show(r, 0);
}

/* ----------------------------------------------------------- events */

/* The rows of a report that failed are forgotten everywhere. */
static int drop_report(struct run *r)
{
	int rc = 0;

	if (!r->in_report)
		return 0;
	r->in_report = 0;
	if (r->sum != NULL)
		summary_drop(r->sum);
	if (r->csv != NULL && csv_report_drop(r->csv) != 0)
		rc = -1;
#ifdef DMARC_HAVE_SQLITE3
	if (r->db != NULL && db_report_drop(r->db) != 0)
		rc = -1;
#endif
	return rc;
}

/* Each file is one database transaction. */
static int on_file(void *user, const char *source)
{
	struct run *r = user;

	(void)source;
	r->files++;
	progress_show(r, 0);
#ifdef DMARC_HAVE_SQLITE3
	if (r->db != NULL && r->files > 1 && db_file_end(r->db) != 0)
		return -1;
	if (r->db != NULL && db_file_begin(r->db) != 0)
		return -1;
#endif
	return 0;
}

static int on_report(struct run *r, const dmarc_reader *rd,
    const char *source)
{
	int rc = 0;

	if (drop_report(r) != 0)
		return -1;
	meta_read(&r->meta, rd);
	r->in_report = 1;
	if (r->sum != NULL && summary_begin(r->sum, &r->meta) != 0)
		r->nomem = 1, rc = -1;
	if (r->json != NULL && json_report_begin(r->json) != 0)
		rc = -1;
	if (r->csv != NULL && csv_report_begin(r->csv, &r->meta) != 0)
		rc = -1;
#ifdef DMARC_HAVE_SQLITE3
	if (r->db != NULL && db_report_begin(r->db, &r->meta, source) < 0)
		rc = -1;
#else
	(void)source;
#endif
	return rc;
}

static int on_row(struct run *r, const dmarc_reader *rd)
{
	int rc = 0;

	if (!r->in_report)
		return 0;
	if (row_read(&r->row, rd) != 0) {
		r->nomem = 1;
		return -1;
	}
	if (r->sum != NULL && summary_row(r->sum, &r->row) != 0)
		r->nomem = 1, rc = -1;
	if (r->json != NULL && json_row(r->json, &r->row) != 0)
		rc = -1;
	if (r->csv != NULL && csv_row(r->csv, &r->row) != 0)
		rc = -1;
#ifdef DMARC_HAVE_SQLITE3
	if (r->db != NULL && db_row(r->db, &r->row) != 0)
		rc = -1;
#endif
	return rc;
}

static int on_report_end(struct run *r, const dmarc_reader *rd,
    const char *source)
{
	int rc = 0, dup = 0;

	if (!r->in_report)
		return 0;
	r->in_report = 0;
	r->reports++;
	meta_read(&r->meta, rd);
	if (r->sum != NULL && (dup = summary_commit(r->sum)) < 0)
		r->nomem = 1, rc = -1;
	if (r->json != NULL && json_report_end(r->json, rd, source) != 0)
		rc = -1;
	if (r->csv != NULL && csv_report_end(r->csv) != 0)
		rc = -1;
#ifdef DMARC_HAVE_SQLITE3
	if (r->db != NULL && (dup = db_report_end(r->db, &r->meta)) < 0)
		rc = -1;
#endif
	if (dup > 0)
		r->duplicates++;
	return rc;
}

static int on_failure_report(struct run *r, const dmarc_reader *rd,
    const char *source)
{
	uint64_t incidents = 1;
	int rc = 0;

	r->failure_reports++;
	if (dmarc_reader_get_number(rd, DMARC_FIELD_INCIDENTS, 0, &incidents) !=
	    DMARC_OK)
		incidents = 1;
	if (r->sum != NULL && summary_failure_report(r->sum,
	    dmarc_reader_get_text(rd, DMARC_FIELD_REPORTED_DOMAIN, 0, NULL),
	    incidents) != 0)
		r->nomem = 1, rc = -1;
	if (r->json != NULL && json_failure_report(r->json, rd, source) != 0)
		rc = -1;
#ifdef DMARC_HAVE_SQLITE3
	if (r->db != NULL && db_failure_report(r->db, rd, source) < 0)
		rc = -1;
#endif
	return rc;
}

static int on_failed(struct run *r, const dmarc_reader *rd,
    const char *source)
{
	const char *cls = dmarc_reader_failure_name(
	    dmarc_reader_get_failure(rd));
	const char *text = dmarc_reader_get_text(rd, DMARC_FIELD_FAILURE_TEXT, 0,
	    NULL);

	r->failed = 1;
	r->failures++;
	if (drop_report(r) != 0)
		return -1;
	if (r->json != NULL)
		return json_failed(r->json, rd, source);
	progress_show(r, 1);
	fprintf(stderr, "%s" PROG ": ", r->progress ? "\r\033[K" : "");
	text_safe(stderr, source);
	fprintf(stderr, ": %s%s", cls != NULL ? cls : "failed",
	    text != NULL ? ": " : "");
	text_safe(stderr, text != NULL ? text : "");
	putc('\n', stderr);
	return 0;
}

static int on_event(void *user, const dmarc_reader *rd,
    dmarc_reader_event ev, const char *source)
{
	struct run *r = user;

	switch (ev) {
	case DMARC_READER_REPORT:
		return on_report(r, rd, source);
	case DMARC_READER_ROW:
		return on_row(r, rd);
	case DMARC_READER_REPORT_END:
		return on_report_end(r, rd, source);
	case DMARC_READER_FAILURE_REPORT:
		return on_failure_report(r, rd, source);
	case DMARC_READER_FAILED:
		return on_failed(r, rd, source);
	case DMARC_READER_NEED_INPUT:
	case DMARC_READER_DONE:
	default:
		return 0;
	}
}

static int on_io_error(void *user, const char *source, const char *message)
{
	struct run *r = user;

	r->failed = 1;
	r->failures++;
	if (drop_report(r) != 0)
		return -1;
	if (r->json != NULL)
		return json_io_error(r->json, source, message);
	fprintf(stderr, "%s" PROG ": ", r->progress ? "\r\033[K" : "");
	text_safe(stderr, source);
	fprintf(stderr, ": %s\n", message);
	return 0;
}

/* ------------------------------------------------------------- main */

/* The summary's outputs: text on standard output unless --json or
 * --csv, the page with --html.  0 or 1. */
static int write_summary(const struct run *r)
{
	const struct options *o = r->o;
	size_t top = (size_t)o->top;
	FILE *fp;
	int rc = 0;

	if (!o->json && !o->csv && summary_print_text(r->sum, stdout, top) != 0) {
		fputs(PROG ": writing the summary failed\n", stderr);
		rc = 1;
	}
	if (o->html == NULL)
		return rc;
	if ((fp = fopen(o->html, "w")) == NULL) {
		perror(o->html);
		return 1;
	}
	if (summary_print_html(r->sum, fp, top) != 0 || fclose(fp) != 0) {
		fprintf(stderr, PROG ": %s: writing the page failed\n", o->html);
		return 1;
	}
	return rc;
}

/* Outputs, database and summary as the options ask.  0 or -1. */
static int setup(struct run *r, dmarc_ctx *ctx)
{
	const struct options *o = r->o;

	if ((o->json && (r->json = json_out_new(stdout)) == NULL) ||
	    (o->csv && (r->csv = csv_out_new(stdout)) == NULL)) {
		perror(PROG ": a temporary file");
		return -1;
	}
	if ((!o->json && !o->csv) || o->html != NULL) {
		/* relaxed alignment needs the Organizational Domain */
		if (dmarc_ctx_load_psl(ctx, NULL) != DMARC_OK)
			fputs(PROG ": no Public Suffix List: identifiers are "
			    "aligned only when equal\n", stderr);
		if (o->db == NULL && (r->sum = summary_new(ctx)) == NULL) {
			fputs(PROG ": out of memory\n", stderr);
			return -1;
		}
	}
#ifdef DMARC_HAVE_SQLITE3
	if (o->db != NULL && db_open(&r->db, o->db) != 0)
		return -1;
#endif
	return 0;
}

/* --db: the summary of everything the database holds.  0 or 1. */
static int summarize_db(struct run *r, const dmarc_ctx *ctx)
{
#ifdef DMARC_HAVE_SQLITE3
	if (r->o->json || r->o->csv) {
		if (r->o->html == NULL)
			return 0;
	}
	if ((r->sum = summary_new(ctx)) == NULL ||
	    db_summarize(r->db, r->sum) != 0)
		return 1;
	return write_summary(r);
#else
	(void)r;
	(void)ctx;
	return 1;
#endif
}

static int read_all(struct run *r, dmarc_reader *rd)
{
	struct input_handler h;
	int rc;

	memset(&h, 0, sizeof h);
	h.user = r;
	h.file = on_file;
	h.event = on_event;
	h.io_error = on_io_error;
	h.progress = on_progress;
	rc = input_read_paths(rd, r->o->paths, r->o->n_paths, &h);
#ifdef DMARC_HAVE_SQLITE3
	if (rc == 0 && r->db != NULL && r->files > 0 && db_file_end(r->db) != 0)
		rc = -1;
#endif
	if (r->progress) {
		progress_show(r, 1);
		fputc('\n', stderr);
	}
	if (r->nomem)
		fputs(PROG ": out of memory\n", stderr);
	if (r->db != NULL && r->duplicates > 0)
		fprintf(stderr, PROG ": %" PRIu64 " duplicate %s skipped\n",
		    r->duplicates, r->duplicates == 1 ? "report" : "reports");
	return rc;
}

static void run_free(struct run *r)
{
	json_out_free(r->json);
	csv_out_free(r->csv);
	summary_free(r->sum);
	row_free(&r->row);
#ifdef DMARC_HAVE_SQLITE3
	db_close(r->db);
#endif
}

int main(int argc, char **argv)
{
	dmarc_reader *rd = NULL;
	dmarc_ctx *ctx = NULL;
	struct options o;
	struct run r;
	int rc = 1;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, 0);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf(PROG " (libdmarc) %s\n", dmarc_version());
		return 0;
	}
	if (parse_args(argc, argv, &o) != 0)
		return usage(stderr, 2);
#ifndef DMARC_HAVE_SQLITE3
	if (o.db != NULL) {
		fputs(PROG ": --db is not available: built without libsqlite3\n",
		    stderr);
		return 2;
	}
#endif
	memset(&r, 0, sizeof r);
	r.o = &o;
	r.progress = isatty(2);
	if (dmarc_ctx_new(&ctx) != DMARC_OK ||
	    dmarc_reader_new(&rd, ctx) != DMARC_OK ||
	    (o.strict && dmarc_reader_set_strict(rd, 1) != DMARC_OK)) {
		fputs(PROG ": out of memory\n", stderr);
		goto out;
	}
	if (setup(&r, ctx) != 0)
		goto out;
	if (o.n_paths > 0 && read_all(&r, rd) != 0)
		goto out;
	rc = r.failed ? 1 : 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = 1;
	if (o.db != NULL) {
		if (summarize_db(&r, ctx) != 0)
			rc = 1;
	} else if (r.sum != NULL && write_summary(&r) != 0)
		rc = 1;
out:
	run_free(&r);
	dmarc_reader_free(rd);
	dmarc_ctx_free(ctx);
	return rc;
}
