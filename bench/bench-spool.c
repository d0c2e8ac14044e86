/*
 * Spool benchmark (not a test): rows appended by one process to a spool
 * file, one write(2) each, timed by the wall clock over several runs;
 * the same with DMARC__SPOOL_FOLLOW (a stat(2) per row); and the rows
 * read back.  --encode N only encodes N rows, for callgrind
 * (run-bench.sh takes the difference of two lengths).
 *
 *   bench-spool [--rows N] [--runs K] [--dir D] [--encode N]
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spool-rows.h"
#include "report/spool_codec.h"
#include "report/spool_file.h"

#define SHAPES 4u

/* Four rows in rotation: a pass, a failure with reasons, three DKIM
 * signatures, IPv6 and the null path. */
static struct report_row rows[SHAPES];

static void make_rows(void)
{
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x25 };
	struct report_row *r;

	spool_row_base(&rows[0]);
	r = &rows[1];
	spool_row_base(r);
	r->disposition = DMARC_DISPOSITION_QUARANTINE;
	r->dkim_aligned = r->spf_aligned = false;
	r->spf.result = DMARC_VERDICT_FAIL;
	strcpy(r->spf.domain, "mail.attacker.example");
	r->dkim[0].result = DMARC_VERDICT_FAIL;
	spool_row_add_reason(r, DMARC_REASON_LOCAL_POLICY,
	    "p=reject applied as quarantine (RFC 9989 7.4)");
	r = &rows[2];
	spool_row_base(r);
	spool_row_add_dkim(r, DMARC_VERDICT_PASS, "esp.example.net", "k2024",
	    "");
	spool_row_add_dkim(r, DMARC_VERDICT_FAIL, "example.com", "old",
	    "signature expired");
	r = &rows[3];
	spool_row_base(r);
	r->ip.family = 6;
	memcpy(r->ip.addr, v6, sizeof v6);
	r->envelope_from[0] = '\0';
	r->spf.scope = DMARC_SPF_HELO;
	strcpy(r->spf.domain, "mx1.example.com");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Append rows to a new file; rows per second. */
static double append_run(dmarc_ctx *ctx, const char *path, unsigned long n,
    unsigned int flags)
{
	struct dmarc__spool *s;
	unsigned long i;
	double t;

	unlink(path);
	if (dmarc__spool_open(&s, ctx, path, 0, flags, NULL) != DMARC_OK) {
		perror(path);
		exit(1);
	}
	t = now();
	for (i = 0; i < n; i++) {
		rows[i % SHAPES].arrival = 1718000000u + i;
		if (dmarc__spool_append(s, &rows[i % SHAPES]) != DMARC_OK) {
			fprintf(stderr, "append %lu failed\n", i);
			exit(1);
		}
	}
	t = now() - t;
	dmarc__spool_close(s);
	return (double)n / t;
}

/* Read the file back; rows per second (all must be rows). */
static double read_run(dmarc_ctx *ctx, const char *path, unsigned long n)
{
	struct dmarc__spool_reader *r;
	const struct report_row *row;
	unsigned long got = 0;
	double t = now();

	if (dmarc__spool_reader_open(&r, ctx, path, NULL) != DMARC_OK)
		exit(1);
	while (dmarc__spool_next(r, &row) == DMARC__SPOOL_ROW)
		got++;
	t = now() - t;
	dmarc__spool_reader_close(r);
	if (got != n) {
		fprintf(stderr, "read %lu rows of %lu\n", got, n);
		exit(1);
	}
	return (double)n / t;
}

static void report(const char *what, double *rate, unsigned int runs)
{
	qsort(rate, runs, sizeof *rate, compare_doubles);
	printf("%-28s median %8.0f rows/s (%.0f ns/row), min %.0f, max %.0f, "
	    "%u runs\n", what, rate[runs / 2], 1e9 / rate[runs / 2], rate[0],
	    rate[runs - 1], runs);
}

static void encode_only(unsigned long n)
{
	char line[DMARC__SPOOL_LINE_SIZE];
	unsigned long i, bytes = 0;
	size_t len;

	for (i = 0; i < n; i++) {
		if (dmarc__spool_encode(&rows[i % SHAPES], line, sizeof line,
		    &len) != DMARC_OK)
			exit(1);
		bytes += len;
	}
	printf("encoded %lu rows, %lu bytes\n", n, bytes);
}

int main(int argc, char **argv)
{
	unsigned long n = 300000, encode = 0;
	unsigned int runs = 5, k;
	const char *dir = getenv("TMPDIR");
	char path[4096];
	double rate[3][64];
	dmarc_ctx *ctx;
	int i;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--rows") == 0)
			n = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = (unsigned int)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--dir") == 0)
			dir = argv[i + 1];
		else if (strcmp(argv[i], "--encode") == 0)
			encode = strtoul(argv[i + 1], NULL, 10);
	}
	if (runs == 0 || runs > 64 || n == 0)
		return 2;
	make_rows();
	if (encode != 0) {
		encode_only(encode);
		return 0;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 1;
	snprintf(path, sizeof path, "%s/bench-spool.%ld", dir, (long)getpid());
	for (k = 0; k < runs; k++) {
		rate[0][k] = append_run(ctx, path, n, 0);
		rate[2][k] = read_run(ctx, path, n);
		rate[1][k] = append_run(ctx, path, n, DMARC__SPOOL_FOLLOW);
	}
	unlink(path);
	printf("%lu rows per run to %s\n", n, dir);
	report("append", rate[0], runs);
	report("append, following rotation", rate[1], runs);
	report("read back", rate[2], runs);
	dmarc_ctx_free(ctx);
	return 0;
}
