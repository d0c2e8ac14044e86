/*
 * dmarc-demo: per-message DMARC evaluation of sample messages.  Each
 * message's From field, the SPF and DKIM verdicts in its trusted
 * Authentication-Results fields (authserv-id mx.demo.example) and its
 * Return-Path (and the client address of its topmost Received field, for
 * the reports) go through dmarc_eval; a table shows what came out, then
 * the Authentication-Results field each message would get.  Then the
 * aggregate report side: every message is given the same arrival time
 * (2026-12-01 12:00 UTC), its row is appended to a spool file in a
 * temporary directory (dmarc_spool_append_eval), the spool is read back
 * into an aggregate (dmarc_aggregate_read_spool), and each report of that
 * day is listed (Report-ID, file name, records, messages) before the
 * first one is printed as pretty XML.
 *
 *   dmarc-demo [--mode 9989|7489] [--data DIR] [--zone FILE]
 *              [--server ADDR[:PORT]] [--trace] [FILE.eml...]
 *
 * Without files: every *.eml file in DIR, examples/data unless --data
 * says otherwise (so run it from the source tree, or give --data).  DNS answers come from DIR/demo.zone
 * (or --zone FILE), no network; with --server from that name server.
 * --trace prints each DNS question answered from the zone file.
 *
 * Exit status: 0 every message was evaluated, 1 some could not be read
 * or evaluated (or the reports could not be made), 2 usage or setup
 * error.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dmarc/dmarc.h>

#include "zone-file.h"

#define AUTHSERV_ID "mx.demo.example"
#define NCOLS 8
/* Every sample message arrives on 2026-12-01 at 12:00 UTC (a fixed time,
 * so the reports are the same on every run). */
#define ARRIVAL 1796126400u

struct options {
	const char *data;
	const char *zone;
	const char *server;
	int trace;
	char **files;
	size_t n_files;
};

/* One message's outcome: the table cells, the field to add, reasons. */
struct row {
	char *cell[NCOLS];
	char *authres;
	char *reasons;
	int ok;
};

static const char *const headings[NCOLS] = { "FILE", "FROM DOMAIN",
	"POLICY DOMAIN", "POLICY", "SPF", "DKIM", "RESULT", "DISPOSITION" };

static char *copy_str(const char *s)
{
	size_t n = strlen(s != NULL ? s : "-") + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s != NULL ? s : "-", n);
	return p;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static void row_free(struct row *r)
{
	int i;

	for (i = 0; i < NCOLS; i++)
		free(r->cell[i]);
	free(r->authres);
	free(r->reasons);
}

/* Cells that do not depend on the discovery. */
static int set_cells(struct row *r, const char *file, const char *from,
    const char *pdom, const char *policy, const char *spf,
    const char *dkim, const char *result, const char *disposition)
{
	const char *v[NCOLS];
	int i;

	v[0] = file; v[1] = from; v[2] = pdom; v[3] = policy;
	v[4] = spf; v[5] = dkim; v[6] = result; v[7] = disposition;
	for (i = 0; i < NCOLS; i++)
		if ((r->cell[i] = copy_str(v[i])) == NULL)
			return -1;
	return 0;
}

/* A table cell for an alignment: "no", "exact" or "org". */
static const char *aligned(dmarc_alignment_result a)
{
	return a == DMARC_UNALIGNED ? "no" : dmarc_alignment_result_name(a);
}

/* "sp=quarantine": the tag that applied and the policy it gives. */
static void policy_cell(const dmarc_discovery *d, char *buf, size_t size)
{
	dmarc_tag applied = dmarc_discovery_get_applied_tag(d);
	dmarc_policy policy = dmarc_discovery_get_policy(d);
	const char *tag = dmarc_tag_name(applied);
	const char *p = dmarc_policy_name(policy);

	if (applied == DMARC_TAG_NONE || policy == DMARC_POLICY_UNSPECIFIED ||
	    tag == NULL || p == NULL)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%s=%s", tag, p);
}

/* The Authentication-Results field, CRLF turned into LF. */
static char *authres_text(const dmarc_eval *ev)
{
	size_t need = 0, i, k;
	char *buf;

	if (dmarc_eval_format_authres(ev, AUTHSERV_ID, DMARC_AUTHRES_FIELD,
	    NULL, 0, &need) !=
	    DMARC_EBUFFER || (buf = malloc(need + 1)) == NULL)
		return NULL;
	if (dmarc_eval_format_authres(ev, AUTHSERV_ID, DMARC_AUTHRES_FIELD, buf,
	    need + 1, NULL) !=
	    DMARC_OK) {
		free(buf);
		return NULL;
	}
	for (i = k = 0; buf[i] != '\0'; i++)
		if (buf[i] != '\r')
			buf[k++] = buf[i];
	buf[k] = '\0';
	return buf;
}

/* The report keyword of reason index ("mailing_list"). */
static const char *reason_word(const dmarc_eval *ev, size_t index)
{
	const char *name = dmarc_reason_name(dmarc_eval_get_reason(ev, index));

	return name != NULL ? name : "?";
}

static char *reasons_text(const dmarc_eval *ev)
{
	size_t i, n = dmarc_eval_get_reason_count(ev), len = 1;
	char *buf;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *c = dmarc_eval_get_reason_comment(ev, i);
		len += strlen(reason_word(ev, i)) +
		    (c != NULL ? strlen(c) + 3 : 0) + 2;
	}
	if ((buf = malloc(len)) == NULL)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *c = dmarc_eval_get_reason_comment(ev, i);
		if (i > 0)
			strcat(buf, ", ");
		strcat(buf, reason_word(ev, i));
		if (c != NULL) {
			strcat(buf, " (");
			strcat(buf, c);
			strcat(buf, ")");
		}
	}
	return buf;
}

/* The client address the topmost Received field gives in brackets
 * ("from host (host [192.0.2.1])"), for the report rows; ignored when
 * there is none. */
static void client_ip(dmarc_eval *ev, const struct msg *m)
{
	const char *open, *close;
	size_t i;

	for (i = 0; i < m->n_fields; i++)
		if (msg_field_is(&m->fields[i], "Received"))
			break;
	if (i == m->n_fields ||
	    (open = strchr(m->fields[i].value, '[')) == NULL ||
	    (close = strchr(open, ']')) == NULL)
		return;
	(void)dmarc_eval_set_ip(ev, open + 1, (size_t)(close - open - 1));
}

/* Feed the message to ev: the envelope sender and client first, then
 * every From and Authentication-Results field in order (nearest first).
 * 0, or -1 with a message in err. */
static int feed(dmarc_eval *ev, const char *path, const struct msg *m,
    char *err, size_t size)
{
	const char *dom;
	dmarc_status st;
	size_t i, len;
	int rp;

	for (i = 0; i < m->n_fields; i++) {
		if (!msg_field_is(&m->fields[i], "Return-Path"))
			continue;
		rp = msg_return_path(m->fields[i].value, &dom, &len);
		if (rp == 0)
			st = dmarc_eval_set_envelope_from(ev, "", 0);
		else if (rp > 0)
			st = dmarc_eval_set_envelope_from(ev, dom, len);
		else
			st = DMARC_EINVAL;
		if (st != DMARC_OK)
			fprintf(stderr, "dmarc-demo: %s: line %lu: Return-Path "
			    "without a usable domain, ignored\n", path,
			    m->fields[i].line);
		break; /* the topmost one is the final delivery's */
	}
	client_ip(ev, m);
	for (i = 0; i < m->n_fields; i++) {
		const struct msg_field *f = &m->fields[i];
		if (msg_field_is(f, "From"))
			st = dmarc_eval_add_from(ev, f->value, f->value_len);
		else if (msg_field_is(f, "Authentication-Results"))
			st = dmarc_eval_add_authres(ev, f->value, f->value_len,
			    NULL);
		else
			continue;
		if (st != DMARC_OK) {
			snprintf(err, size, "line %lu: %s: %s", f->line, f->name,
			    dmarc_strerror(st));
			return -1;
		}
	}
	return 0;
}

/* Evaluate one file into r.  0, or -1 when it could not be evaluated
 * (r then holds an error row). */
static int evaluate(dmarc_ctx *ctx, dmarc_eval *ev, const char *path,
    struct row *r, dmarc_spool *spool)
{
	const char *file = base_name(path), *author;
	const dmarc_discovery *d;
	char err[256], policy[32];
	struct msg m;
	dmarc_status st;
	FILE *fp;

	memset(r, 0, sizeof *r);
	dmarc_eval_reset(ev);
	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, sizeof err, "cannot open");
		goto fail;
	}
	if (msg_read(&m, fp, dmarc_ctx_get_limit(ctx, DMARC_LIMIT_HEADER_LENGTH),
	    err, sizeof err) != 0) {
		fclose(fp);
		goto fail;
	}
	fclose(fp);
	if (feed(ev, path, &m, err, sizeof err) != 0) {
		msg_free(&m);
		goto fail;
	}
	msg_free(&m);
	dmarc_eval_set_time(ev, ARRIVAL);
	st = dmarc_eval_run(ev);
	if (st == DMARC_OK && spool != NULL &&
	    (st = dmarc_spool_append_eval(spool, ev)) == DMARC_ESTATE)
		st = DMARC_OK; /* nothing to report: no usable policy record */
	if (st == DMARC_EFROM) {
		r->ok = 1;
		return set_cells(r, file, NULL, NULL, NULL, NULL, NULL, "n/a",
		    "not applicable (From)");
	}
	if (st != DMARC_OK) {
		snprintf(err, sizeof err, "%s", dmarc_strerror(st));
		goto fail;
	}
	/* The discovery belongs to this message only when there was an
	 * Author Domain to look up. */
	author = dmarc_eval_get_author_domain(ev);
	d = dmarc_eval_get_discovery(ev);
	if (author != NULL)
		policy_cell(d, policy, sizeof policy);
	else
		snprintf(policy, sizeof policy, "-");
	r->ok = 1;
	r->authres = authres_text(ev);
	r->reasons = reasons_text(ev);
	return set_cells(r, file, author, author != NULL ?
	    dmarc_discovery_get_policy_domain(d) : NULL, policy,
	    aligned(dmarc_eval_get_spf_alignment(ev)),
	    aligned(dmarc_eval_get_dkim_alignment(ev)),
	    dmarc_result_name(dmarc_eval_get_result(ev)),
	    dmarc_disposition_name(dmarc_eval_get_applied_disposition(ev)));
fail:
	fprintf(stderr, "dmarc-demo: %s: %s\n", path, err);
	set_cells(r, file, NULL, NULL, NULL, NULL, NULL, "error", NULL);
	return -1;
}

/* Cells separated by two spaces, padded; the last one is not. */
static void print_line(const char *const *cells, const int *width)
{
	int i;

	for (i = 0; i < NCOLS - 1; i++)
		printf("%-*s  ", width[i], cells[i] != NULL ? cells[i] : "?");
	printf("%s\n", cells[i] != NULL ? cells[i] : "?");
}

static void print_table(const struct row *rows, size_t n)
{
	int width[NCOLS], i;
	size_t k;

	for (i = 0; i < NCOLS; i++)
		width[i] = (int)strlen(headings[i]);
	for (k = 0; k < n; k++)
		for (i = 0; i < NCOLS; i++)
			if (rows[k].cell[i] != NULL &&
			    (int)strlen(rows[k].cell[i]) > width[i])
				width[i] = (int)strlen(rows[k].cell[i]);
	print_line(headings, width);
	for (k = 0; k < n; k++)
		print_line((const char *const *)rows[k].cell, width);
}

static void print_fields(const struct row *rows, size_t n)
{
	size_t k;

	printf("\nAuthentication-Results fields added by %s:\n", AUTHSERV_ID);
	for (k = 0; k < n; k++) {
		const struct row *r = &rows[k];
		printf("\n%s\n", r->cell[0] != NULL ? r->cell[0] : "?");
		if (r->authres != NULL)
			fputs(r->authres, stdout);
		else if (r->ok)
			puts("(none: DMARC does not apply to this From field)");
		else
			puts("(not evaluated)");
		if (r->reasons != NULL)
			printf("(reasons: %s)\n", r->reasons);
	}
}

/* ------------------------------------------------- aggregate reports */

/* A temporary directory and the spool file in it. */
struct spool_dir {
	char dir[4096];
	char path[4160];
};

static int spool_dir_make(struct spool_dir *sd)
{
	const char *t = getenv("TMPDIR");

	if ((size_t)snprintf(sd->dir, sizeof sd->dir, "%s/dmarc-demo.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp") >= sizeof sd->dir ||
	    mkdtemp(sd->dir) == NULL)
		return -1;
	snprintf(sd->path, sizeof sd->path, "%s/rows", sd->dir);
	return 0;
}

static void spool_dir_remove(const struct spool_dir *sd)
{
	unlink(sd->path);
	rmdir(sd->dir);
}

static dmarc_status to_stdout(void *user, const char *data, size_t len)
{
	return fwrite(data, 1, len, (FILE *)user) == len ? DMARC_OK :
	    DMARC_ESYSTEM;
}

static int by_domain(const void *a, const void *b)
{
	const dmarc_report *x = *(const dmarc_report *const *)a;
	const dmarc_report *y = *(const dmarc_report *const *)b;
	int c = strcmp(dmarc_report_get_domain(x), dmarc_report_get_domain(y));

	if (c != 0)
		return c;
	return dmarc_report_get_begin(x) < dmarc_report_get_begin(y) ? -1 :
	    dmarc_report_get_begin(x) > dmarc_report_get_begin(y);
}

/* One line per report (sorted by policy domain), then the first one. */
static int list_reports(const dmarc_aggregate *agg)
{
	size_t i, n = (size_t)dmarc_aggregate_get_count(agg,
	    DMARC_COUNT_REPORTS);
	const dmarc_report **list = calloc(n + 1, sizeof *list);
	char id[512], file[1024];
	dmarc_status st = DMARC_OK;

	if (list == NULL)
		return -1;
	for (i = 0; i < n; i++)
		list[i] = dmarc_aggregate_get_report(agg, i);
	qsort(list, n, sizeof *list, by_domain);
	if (n == 0)
		puts("(none: no message had a policy record to report to)");
	else
		printf("%-46s %7s %8s  %s\n", "REPORT-ID", "RECORDS",
		    "MESSAGES", "FILE");
	for (i = 0; i < n && st == DMARC_OK; i++) {
		if ((st = dmarc_report_get_id(list[i], 1, 1, id, sizeof id,
		    NULL)) == DMARC_OK)
			st = dmarc_report_get_filename(list[i], 1, 1,
			    DMARC_REPORT_GZIP, file, sizeof file, NULL);
		printf("%-46s %7llu %8llu  %s\n", id, (unsigned long long)
		    dmarc_report_get_count(list[i], DMARC_COUNT_ROWS),
		    (unsigned long long)dmarc_report_get_count(list[i],
		    DMARC_COUNT_MESSAGES), file);
	}
	if (n > 0 && st == DMARC_OK) {
		printf("\nThe first report, as XML (pretty-printed; the file "
		    "is gzip-compressed):\n\n");
		st = dmarc_report_write(list[0], 1, 1, DMARC_REPORT_PRETTY,
		    to_stdout, stdout);
	}
	free(list);
	return st == DMARC_OK ? 0 : -1;
}

/* Read the spool into an aggregate and list its reports.  0 or -1. */
static int print_reports(dmarc_ctx *ctx, const char *spool_path)
{
	dmarc_aggregate *agg = NULL;
	dmarc_status st;
	int rc = -1, e = 0;

	printf("\nAggregate reports: each message's row was appended to a "
	    "spool file,\nread back into one aggregate: one report per policy "
	    "domain and day\n(all messages arrived on 2026-12-01 12:00 UTC; "
	    "reporter receiver.example):\n\n");
	if ((st = dmarc_aggregate_new(&agg, ctx)) != DMARC_OK ||
	    (st = dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_ORG_NAME,
	    "Demo Receiver")) != DMARC_OK ||
	    (st = dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_EMAIL,
	    "dmarc@receiver.example")) != DMARC_OK ||
	    (st = dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_SUBMITTER,
	    "receiver.example")) != DMARC_OK ||
	    (st = dmarc_aggregate_read_spool(agg, spool_path, &e)) != DMARC_OK)
		fprintf(stderr, "dmarc-demo: %s: %s\n", spool_path,
		    e != 0 ? strerror(e) : dmarc_strerror(st));
	else if (list_reports(agg) != 0)
		fputs("dmarc-demo: the reports could not be written\n", stderr);
	else
		rc = 0;
	dmarc_aggregate_free(agg);
	return rc;
}

static int usage(void)
{
	fputs("usage: dmarc-demo [--mode 9989|7489] [--data DIR] [--zone FILE]\n"
	    "                  [--server ADDR[:PORT]] [--trace] [FILE.eml...]\n",
	    stderr);
	return 2;
}

static int parse_args(int argc, char **argv, dmarc_ctx *ctx,
    struct options *o)
{
	int i;

	memset(o, 0, sizeof *o);
	o->data = "examples/data";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int more = i + 1 < argc;
		if (strcmp(a, "--trace") == 0)
			o->trace = 1;
		else if (strcmp(a, "--mode") == 0 && more) {
			a = argv[++i];
			if (strcmp(a, "9989") == 0)
				dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC9989);
			else if (strcmp(a, "7489") == 0)
				dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489);
			else
				return -1;
		} else if (strcmp(a, "--data") == 0 && more)
			o->data = argv[++i];
		else if (strcmp(a, "--zone") == 0 && more)
			o->zone = argv[++i];
		else if (strcmp(a, "--server") == 0 && more)
			o->server = argv[++i];
		else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (a[0] == '-')
			return -1;
		else
			break;
	}
	if (o->zone != NULL && o->server != NULL)
		return -1;
	o->files = argv + i;
	o->n_files = (size_t)(argc - i);
	return 0;
}

/* DNS from the zone file or the name server; 0 or -1. */
static int setup_dns(dmarc_ctx *ctx, const struct options *o,
    struct zone **z, dmarc_resolver **r)
{
	char err[512], path[4096];

	if (o->server != NULL) {
		if (!dmarc_has_feature(DMARC_FEATURE_RESOLVER)) {
			fputs("dmarc-demo: --server: this libdmarc was built "
			    "without the default resolver\n", stderr);
			return -1;
		}
		if (dmarc_resolver_new(r, ctx) != DMARC_OK ||
		    dmarc_resolver_set_server(*r, o->server) != DMARC_OK) {
			fprintf(stderr, "dmarc-demo: cannot use server %s\n", o->server);
			return -1;
		}
		dmarc_ctx_set_lookup(ctx, dmarc_resolver_lookup, *r);
		return 0;
	}
	if (o->zone == NULL &&
	    (size_t)snprintf(path, sizeof path, "%s/demo.zone", o->data) >=
	    sizeof path) {
		fputs("dmarc-demo: --data path too long\n", stderr);
		return -1;
	}
	if (zone_load(z, o->zone != NULL ? o->zone : path, err, sizeof err) !=
	    0) {
		fprintf(stderr, "dmarc-demo: %s\n", err);
		return -1;
	}
	if (o->trace)
		zone_set_trace(*z, stdout);
	dmarc_ctx_set_lookup(ctx, zone_lookup, *z);
	return 0;
}

static int run(dmarc_ctx *ctx, char **files, size_t n, int trace)
{
	struct row *rows = calloc(n, sizeof *rows);
	dmarc_spool *spool = NULL;
	dmarc_eval *ev = NULL;
	struct spool_dir sd;
	int rc = 0, e = 0;
	size_t k;

	if (rows == NULL || dmarc_eval_new(&ev, ctx) != DMARC_OK) {
		fputs("dmarc-demo: out of memory\n", stderr);
		free(rows);
		return 2;
	}
	if (spool_dir_make(&sd) != 0 || dmarc_spool_open(&spool, ctx, sd.path,
	    0600, 0, &e) != DMARC_OK) {
		fprintf(stderr, "dmarc-demo: no spool in %s: %s\n", sd.dir,
		    strerror(e != 0 ? e : errno));
		free(rows);
		dmarc_eval_free(ev);
		return 2;
	}
	for (k = 0; k < n; k++) {
		if (trace)
			printf("%s:\n", files[k]);
		if (evaluate(ctx, ev, files[k], &rows[k], spool) != 0)
			rc = 1;
	}
	dmarc_spool_close(spool);
	if (trace)
		putchar('\n');
	print_table(rows, n);
	print_fields(rows, n);
	if (print_reports(ctx, sd.path) != 0)
		rc = 1;
	spool_dir_remove(&sd);
	for (k = 0; k < n; k++)
		row_free(&rows[k]);
	free(rows);
	dmarc_eval_free(ev);
	return rc;
}

int main(int argc, char **argv)
{
	dmarc_resolver *r = NULL;
	struct zone *z = NULL;
	dmarc_ctx *ctx = NULL;
	struct options o;
	glob_t g;
	int rc = 2, globbed = 0;

	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 2;
	if (parse_args(argc, argv, ctx, &o) != 0) {
		dmarc_ctx_free(ctx);
		return usage();
	}
	if (dmarc_ctx_get_mode(ctx) == DMARC_MODE_RFC7489 &&
	    dmarc_ctx_load_psl(ctx, NULL) != DMARC_OK) {
		fputs("dmarc-demo: cannot load the system Public Suffix List\n",
		    stderr);
		goto out;
	}
	if (dmarc_ctx_add_authserv_id(ctx, AUTHSERV_ID) != DMARC_OK ||
	    setup_dns(ctx, &o, &z, &r) != 0)
		goto out;
	if (o.n_files == 0) {
		char pattern[4096];
		if ((size_t)snprintf(pattern, sizeof pattern, "%s/*.eml",
		    o.data) >= sizeof pattern ||
		    glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
			fprintf(stderr, "dmarc-demo: no messages in %s (run from the "
			    "source tree, or give --data DIR)\n", o.data);
			goto out;
		}
		globbed = 1;
		o.files = g.gl_pathv;
		o.n_files = g.gl_pathc;
	}
	rc = run(ctx, o.files, o.n_files, o.trace);
out:
	if (globbed)
		globfree(&g);
	zone_free(z);
	dmarc_resolver_free(r);
	dmarc_ctx_free(ctx);
	return rc;
}
