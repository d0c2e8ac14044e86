/*
 * dmarc-reports: build and send the aggregate reports (RFC 9990; RFC
 * 7489 7.2 with --mode 7489) of the rows spooled by dmarc-eval --spool
 * or dmarc_spool_append_eval(3).
 *
 *   dmarc-reports --spool FILE [--spool FILE]... --org-name NAME
 *                 --org-email ADDR --submitter DOMAIN --outdir DIR
 *                 [--now EPOCH] [--mode 9989|7489]
 *                 [--server ADDR[:PORT] | --zone FILE] [--json]
 *                 [--sendmail COMMAND] [--from ADDR] [--host-id ID]
 *                 [--max-size BYTES] [--pretty] [--carry FILE]
 *   dmarc-reports --help | --version
 *
 * Every spool is read into one aggregate (a torn line, left by a writer
 * that died, or a line that is no row is skipped and counted on standard
 * error).  Each report whose period ended before --now (default: now) is
 * then, in the order of its policy domain and begin:
 *
 *  - written into DIR as the file the library names
 *    (submitter!domain!begin!end[!unique-id].xml.gz), whatever happens to
 *    its emails, so the operator always has it;
 *  - sent to the rua URIs of the policy domain's record as it is now
 *    (looked up like dmarc-lookup --verify): mailto URIs only, external
 *    ones only when authorized, and to the URIs the authorizing record
 *    names instead when it names some.  In RFC 7489 mode a URI's !size
 *    limit below the size of the whole email keeps it from that URI;
 *    when no URI can take the report for that reason, the URIs that
 *    refused it get the RFC 7489 error report.  --max-size BYTES cuts a
 *    report whose email is larger into 2, 4, 8, ... parts (at most one
 *    per record), each a complete report with its own Report-ID and file.
 *
 * The email to destination number N (from 1, in the order listed) is
 * written into DIR as <file without .xml.gz>.N.eml (the error report as
 * <...>.N.error.eml), or with --sendmail piped to
 *   /bin/sh -c 'COMMAND "$@"' sh ADDRESS
 * so the address is the command's last argument and never shell text
 * (e.g. --sendmail '/usr/sbin/sendmail -i -f dmarc@example.org').  The
 * emails' Date is --now; the names and Report-IDs depend only on the
 * rows, so a run over the same spools writes the same reports again.
 *
 * --carry FILE writes the rows of the reports whose period has not ended
 * to FILE as a spool (dmarc_report_write_spool(3); written under a
 * temporary name, then renamed): the next run reads FILE with the
 * spools rotated since, instead of the old spools again.
 *
 * Output: per report, a summary and one line per destination; with
 * --json one object per line with policy_domain, begin, end, report_id,
 * file, parts, files ([{file, report_id}] one per part), records,
 * messages, lookup and destinations ([{uri, address, status, rua, size,
 * limit}]; status: sent, written, refused, tempfail, too-big,
 * override-refused, error-report, unsupported, failed).
 *
 * Exit status: 0 everything was written or sent (refusals included), 1
 * some destination failed temporarily (DNS, the --sendmail command) or a
 * spool had lines skipped or rows over the aggregate's limit, 3 usage or
 * system error.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <dmarc/dmarc.h>

#include "print.h"
#include "reports-send.h"
#include "zone-file.h"

#define PROG "dmarc-reports"

struct options {
	const char **spools;
	size_t n_spools;
	const char *reporter[8];   /* by dmarc_reporter_field */
	const char *outdir, *server, *zone, *sendmail, *carry;
	unsigned long long now, max_size;
	int has_now, json, pretty;
};

static int usage(FILE *fp, int status)
{
	fputs("usage: dmarc-reports --spool FILE [--spool FILE]... "
	    "--org-name NAME\n"
	    "                     --org-email ADDR --submitter DOMAIN "
	    "--outdir DIR\n"
	    "                     [--now EPOCH] [--mode 9989|7489]\n"
	    "                     [--server ADDR[:PORT] | --zone FILE] "
	    "[--json]\n"
	    "                     [--sendmail COMMAND] [--from ADDR] "
	    "[--host-id ID]\n"
	    "                     [--max-size BYTES] [--pretty] "
	    "[--carry FILE]\n"
	    "       dmarc-reports --help | --version\n", fp);
	return status;
}

/* The reporter field an option sets, or 0. */
static int reporter_option(const char *a)
{
	static const struct {
		const char *name;
		int field;
	} opts[] = {
		{ "--org-name", DMARC_REPORTER_ORG_NAME },
		{ "--org-email", DMARC_REPORTER_EMAIL },
		{ "--submitter", DMARC_REPORTER_SUBMITTER },
		{ "--from", DMARC_REPORTER_FROM },
		{ "--host-id", DMARC_REPORTER_HOST_ID }
	};
	size_t i;

	for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (strcmp(a, opts[i].name) == 0)
			return opts[i].field;
	return 0;
}

/* One option with a value; 0, or -1 for a bad one. */
static int take_option(const char *a, const char *v, dmarc_ctx *ctx,
    struct options *o)
{
	int field = reporter_option(a);

	if (field != 0 && o->reporter[field] == NULL)
		o->reporter[field] = v;
	else if (strcmp(a, "--spool") == 0 && *v != '\0')
		o->spools[o->n_spools++] = v;
	else if (strcmp(a, "--outdir") == 0 && o->outdir == NULL && *v != '\0')
		o->outdir = v;
	else if (strcmp(a, "--server") == 0 && o->server == NULL)
		o->server = v;
	else if (strcmp(a, "--zone") == 0 && o->zone == NULL)
		o->zone = v;
	else if (strcmp(a, "--carry") == 0 && o->carry == NULL && *v != '\0')
		o->carry = v;
	else if (strcmp(a, "--sendmail") == 0 && o->sendmail == NULL &&
	    *v != '\0')
		o->sendmail = v;
	else if (strcmp(a, "--now") == 0 && parse_decimal(v, &o->now) == 0)
		o->has_now = 1;
	else if (strcmp(a, "--max-size") == 0 &&
	    parse_decimal(v, &o->max_size) == 0 && o->max_size > 0)
		;
	else if (strcmp(a, "--mode") == 0 && strcmp(v, "9989") == 0)
		dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC9989);
	else if (strcmp(a, "--mode") == 0 && strcmp(v, "7489") == 0)
		dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489);
	else
		return -1;
	return 0;
}

static int parse_args(int argc, char **argv, dmarc_ctx *ctx,
    struct options *o)
{
	int i;

	memset(o, 0, sizeof *o);
	if ((o->spools = calloc((size_t)argc, sizeof *o->spools)) == NULL)
		return -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0)
			o->json = 1;
		else if (strcmp(a, "--pretty") == 0)
			o->pretty = 1;
		else if (i + 1 >= argc || take_option(a, argv[++i], ctx, o) != 0)
			return -1;
	}
	if (o->n_spools == 0 || o->outdir == NULL ||
	    o->reporter[DMARC_REPORTER_ORG_NAME] == NULL ||
	    o->reporter[DMARC_REPORTER_EMAIL] == NULL ||
	    o->reporter[DMARC_REPORTER_SUBMITTER] == NULL ||
	    (o->server != NULL && o->zone != NULL))
		return -1;
	return 0;
}

/* ------------------------------------------------------------ input */

static int set_reporter(dmarc_aggregate *agg, const struct options *o)
{
	static const char *const names[] = { NULL, "--org-name",
		"--org-email", NULL, "--submitter", NULL, "--host-id", "--from" };
	int f;

	for (f = DMARC_REPORTER_ORG_NAME; f <= DMARC_REPORTER_FROM; f++) {
		if (o->reporter[f] == NULL)
			continue;
		if (dmarc_aggregate_set_reporter(agg, (dmarc_reporter_field)f,
		    o->reporter[f]) != DMARC_OK) {
			fprintf(stderr, PROG ": bad %s %s\n", names[f],
			    o->reporter[f]);
			return -1;
		}
	}
	return 0;
}

/* The lines of one spool skipped, with their numbers (the diagnostics
 * from index first on). */
static void say_skipped(const dmarc_aggregate *agg, const char *path,
    uint64_t torn, uint64_t bad, size_t first)
{
	size_t i, n = dmarc_aggregate_get_diag_count(agg);

	fprintf(stderr, PROG ": %s: %llu torn and %llu bad lines skipped\n",
	    path, (unsigned long long)torn, (unsigned long long)bad);
	for (i = first; i < n; i++) {
		const dmarc_diag *d = dmarc_aggregate_get_diag(agg, i);
		if (dmarc_diag_get_code(d) == DMARC_DIAG_SPOOL_TORN ||
		    dmarc_diag_get_code(d) == DMARC_DIAG_SPOOL_BAD)
			fprintf(stderr, PROG ": %s: line %zu: %s\n", path,
			    dmarc_diag_get_offset(d), dmarc_diag_get_text(d));
	}
}

/* Read every spool.  0, 1 (lines skipped, rows dropped), or 3. */
static int read_spools(dmarc_aggregate *agg, const struct options *o)
{
	int rc = 0, e;
	size_t i;

	for (i = 0; i < o->n_spools; i++) {
		uint64_t torn = dmarc_aggregate_get_count(agg,
		    DMARC_COUNT_SPOOL_TORN), bad = dmarc_aggregate_get_count(agg,
		    DMARC_COUNT_SPOOL_BAD);
		size_t diags = dmarc_aggregate_get_diag_count(agg);
		dmarc_status st = dmarc_aggregate_read_spool(agg, o->spools[i],
		    &e);
		if (st != DMARC_OK && st != DMARC_EFULL) {
			fprintf(stderr, PROG ": %s: %s\n", o->spools[i],
			    st == DMARC_ESYSTEM && e != 0 ? strerror(e) :
			    dmarc_strerror(st));
			return 3;
		}
		torn = dmarc_aggregate_get_count(agg, DMARC_COUNT_SPOOL_TORN) -
		    torn;
		bad = dmarc_aggregate_get_count(agg, DMARC_COUNT_SPOOL_BAD) - bad;
		if (torn + bad > 0) {
			say_skipped(agg, o->spools[i], torn, bad, diags);
			rc = 1;
		}
	}
	if (dmarc_aggregate_get_count(agg, DMARC_COUNT_DROPPED) > 0) {
		fprintf(stderr, PROG ": %llu messages dropped over the limit of "
		    "%zu rows\n", (unsigned long long)dmarc_aggregate_get_count(
		    agg, DMARC_COUNT_DROPPED), (size_t)dmarc_aggregate_get_count(
		    agg, DMARC_COUNT_ROWS));
		rc = 1;
	}
	return rc;
}

static int by_domain_begin(const void *a, const void *b)
{
	const dmarc_report *x = *(const dmarc_report *const *)a;
	const dmarc_report *y = *(const dmarc_report *const *)b;
	int c = strcmp(dmarc_report_get_domain(x), dmarc_report_get_domain(y));

	if (c != 0)
		return c;
	if (dmarc_report_get_begin(x) != dmarc_report_get_begin(y))
		return dmarc_report_get_begin(x) < dmarc_report_get_begin(y) ?
		    -1 : 1;
	return dmarc_report_get_end(x) < dmarc_report_get_end(y) ? -1 :
	    dmarc_report_get_end(x) > dmarc_report_get_end(y);
}

/* The reports whose period ended before now, sorted; *n of them.  NULL
 * when there are none or memory ran out (*n says which). */
static const dmarc_report **due_reports(const dmarc_aggregate *agg,
    uint64_t now, size_t *n)
{
	size_t i, total = (size_t)dmarc_aggregate_get_count(agg,
	    DMARC_COUNT_REPORTS);
	const dmarc_report **list;

	*n = 0;
	if (total == 0 || (list = calloc(total, sizeof *list)) == NULL) {
		*n = total == 0 ? 0 : (size_t)-1;
		return NULL;
	}
	for (i = 0; i < total; i++) {
		const dmarc_report *r = dmarc_aggregate_get_report(agg, i);
		if (dmarc_report_get_end(r) < now &&
		    dmarc_report_get_count(r, DMARC_COUNT_ROWS) > 0)
			list[(*n)++] = r;
	}
	qsort(list, *n, sizeof *list, by_domain_begin);
	if (*n < total)
		fprintf(stderr, PROG ": %zu reports whose period has not ended "
		    "left for later\n", total - *n);
	return list;
}

/* ----------------------------------------------------------- output */

static void json_key(const char *key, const char *value, int first)
{
	printf("%s\"%s\": ", first ? "" : ", ", key);
	json_string(value);
}

static void print_dest_json(const struct dest *d)
{
	json_key("uri", d->uri, 1);
	json_key("address", d->address, 0);
	json_key("status", dest_status_name(d->status), 0);
	json_key("rua", d->rua, 0);
	printf(", \"size\": %llu", (unsigned long long)d->size);
	if (d->limit != 0)
		printf(", \"limit\": %llu", (unsigned long long)d->limit);
	else
		fputs(", \"limit\": null", stdout);
}

static void print_json(const dmarc_report *r, const struct outcome *out)
{
	unsigned int p;
	size_t k;

	putchar('{');
	json_key("policy_domain", dmarc_report_get_domain(r), 1);
	printf(", \"begin\": %llu, \"end\": %llu",
	    (unsigned long long)dmarc_report_get_begin(r),
	    (unsigned long long)dmarc_report_get_end(r));
	json_key("report_id", out->names[0].id, 0);
	json_key("file", out->names[0].file, 0);
	printf(", \"parts\": %u, \"files\": [", out->parts);
	for (p = 0; p < out->parts; p++) {
		printf("%s{", p > 0 ? ", " : "");
		json_key("file", out->names[p].file, 1);
		json_key("report_id", out->names[p].id, 0);
		putchar('}');
	}
	printf("], \"records\": %llu, \"messages\": %llu",
	    (unsigned long long)dmarc_report_get_count(r, DMARC_COUNT_ROWS),
	    (unsigned long long)dmarc_report_get_count(r,
	    DMARC_COUNT_MESSAGES));
	json_key("lookup", dmarc_discovery_result_name(out->lookup), 0);
	fputs(", \"destinations\": [", stdout);
	for (k = 0; k < out->n_dests; k++) {
		printf("%s{", k > 0 ? ", " : "");
		print_dest_json(&out->dests[k]);
		putchar('}');
	}
	fputs("]}\n", stdout);
}

static void print_text(const dmarc_report *r, const struct outcome *out)
{
	unsigned int p;
	size_t k;

	printf("%s %llu-%llu: %llu records, %llu messages, %u part%s "
	    "(record: %s)\n", dmarc_report_get_domain(r),
	    (unsigned long long)dmarc_report_get_begin(r),
	    (unsigned long long)dmarc_report_get_end(r),
	    (unsigned long long)dmarc_report_get_count(r, DMARC_COUNT_ROWS),
	    (unsigned long long)dmarc_report_get_count(r, DMARC_COUNT_MESSAGES),
	    out->parts, out->parts == 1 ? "" : "s",
	    dmarc_discovery_result_name(out->lookup));
	for (p = 0; p < out->parts; p++)
		printf("  file %s  <%s>\n", out->names[p].file, out->names[p].id);
	for (k = 0; k < out->n_dests; k++) {
		const struct dest *d = &out->dests[k];
		printf("  %zu %s%s%s %s\n", k + 1, d->rua, d->uri != d->rua ?
		    " -> " : "", d->uri != d->rua ? d->uri : "",
		    dest_status_name(d->status));
	}
	if (out->n_dests == 0)
		puts("  (no destination)");
}

/* ------------------------------------------------------------- main */

/* Build, write and send every due report.  0, 1 or 3. */
static int run(dmarc_ctx *ctx, const dmarc_aggregate *agg,
    const struct options *o, const struct send_opts *so)
{
	dmarc_discovery *d = NULL;
	const dmarc_report **list;
	size_t i, n;
	int rc = 0;

	list = due_reports(agg, so->now, &n);
	if (n == (size_t)-1 || dmarc_discovery_new(&d, ctx) != DMARC_OK) {
		fputs(PROG ": out of memory\n", stderr);
		free(list);
		return 3;
	}
	for (i = 0; i < n && rc != 3; i++) {
		struct outcome out;
		memset(&out, 0, sizeof out);
		if (find_destinations(d, list[i], so, &out) != 0) {
			fputs(PROG ": out of memory\n", stderr);
			out.syserr = 1;
		} else if (deliver_report(list[i], so, &out) == 0) {
			if (o->json)
				print_json(list[i], &out);
			else
				print_text(list[i], &out);
			fflush(stdout);
		}
		rc = out.syserr ? 3 : out.tempfail && rc == 0 ? 1 : rc;
		outcome_free(&out);
	}
	dmarc_discovery_free(d);
	free(list);
	return rc;
}

static dmarc_status to_stream(void *user, const char *data, size_t len)
{
	return fwrite(data, 1, len, user) == len ? DMARC_OK : DMARC_ESYSTEM;
}

/* The rows of the reports not yet due, as a spool in path (through a
 * temporary file renamed over it).  0, or 3 with a message. */
static int carry_over(const dmarc_aggregate *agg, const char *path,
    uint64_t now)
{
	size_t i, n = (size_t)dmarc_aggregate_get_count(agg,
	    DMARC_COUNT_REPORTS), len = strlen(path) + 8;
	dmarc_status st = DMARC_OK;
	char *tmp = malloc(len);
	FILE *fp;

	if (tmp == NULL)
		return 3;
	snprintf(tmp, len, "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, PROG ": %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return 3;
	}
	for (i = 0; i < n && st == DMARC_OK; i++) {
		const dmarc_report *r = dmarc_aggregate_get_report(agg, i);
		if (dmarc_report_get_end(r) >= now)
			st = dmarc_report_write_spool(r, to_stream, fp);
	}
	if (fclose(fp) != 0 && st == DMARC_OK)
		st = DMARC_ESYSTEM;
	if (st != DMARC_OK || rename(tmp, path) != 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, st != DMARC_OK ?
		    dmarc_strerror(st) : strerror(errno));
		remove(tmp);
		free(tmp);
		return 3;
	}
	free(tmp);
	return 0;
}

/* The output directory: made when missing.  0, or -1 with a message. */
static int make_outdir(const char *dir)
{
	struct stat sb;

	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, PROG ": %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, PROG ": %s: not a directory\n", dir);
		return -1;
	}
	return 0;
}

/* Context, DNS, aggregate; 0 or -1 with a message. */
static int setup(dmarc_ctx *ctx, const struct options *o, struct zone **z,
    dmarc_resolver **r, dmarc_aggregate **agg)
{
	if (dmarc_ctx_get_mode(ctx) == DMARC_MODE_RFC7489 &&
	    dmarc_ctx_load_psl(ctx, NULL) != DMARC_OK) {
		fputs(PROG ": cannot load the system Public Suffix List\n",
		    stderr);
		return -1;
	}
	if (dns_setup(ctx, PROG, o->zone, o->server, z, r) != 0 ||
	    make_outdir(o->outdir) != 0)
		return -1;
	if (dmarc_aggregate_new(agg, ctx) != DMARC_OK) {
		fputs(PROG ": out of memory\n", stderr);
		return -1;
	}
	return set_reporter(*agg, o);
}

int main(int argc, char **argv)
{
	dmarc_aggregate *agg = NULL;
	dmarc_resolver *r = NULL;
	struct zone *z = NULL;
	dmarc_ctx *ctx = NULL;
	struct send_opts so;
	struct options o;
	int rc = 3, read_rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, 0);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("dmarc-reports (libdmarc) %s\n", dmarc_version());
		return 0;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 3;
	if (parse_args(argc, argv, ctx, &o) != 0) {
		free(o.spools);
		dmarc_ctx_free(ctx);
		return usage(stderr, 3);
	}
	signal(SIGPIPE, SIG_IGN); /* a --sendmail command that quits early */
	if (setup(ctx, &o, &z, &r, &agg) != 0 ||
	    (read_rc = read_spools(agg, &o)) == 3)
		goto out;
	memset(&so, 0, sizeof so);
	so.prog = PROG;
	so.outdir = o.outdir;
	so.sendmail = o.sendmail;
	so.now = o.has_now ? (uint64_t)o.now : (uint64_t)time(NULL);
	so.max_size = o.max_size;
	so.flags = DMARC_REPORT_GZIP | (o.pretty ? DMARC_REPORT_PRETTY : 0);
	so.stand_in = dmarc_aggregate_get_reporter(agg, DMARC_REPORTER_FROM);
	rc = run(ctx, agg, &o, &so);
	if (rc != 3 && o.carry != NULL && carry_over(agg, o.carry, so.now))
		rc = 3;
	if (rc == 0)
		rc = read_rc;
out:
	dmarc_aggregate_free(agg);
	free(o.spools);
	zone_free(z);
	dmarc_resolver_free(r);
	dmarc_ctx_free(ctx);
	return rc;
}
