/*
 * Writes the reports of seeded pseudo-random aggregates (test/
 * agg-messages.h) as XML files for test/report-xmllint.sh to validate
 * against the schemas:
 *
 *   report-random 9989|7489 SEED MESSAGES DIR
 *
 * Each report goes to DIR/SEED-N.xml, every other one pretty-printed;
 * reports with three rows or more are also written in three parts.  The
 * number of files written is printed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg-messages.h"
#include "test-data.h"

static uint32_t always_99(void *user)
{
	(void)user;
	return 99;
}

static dmarc_status file_sink(void *user, const char *data, size_t len)
{
	return fwrite(data, 1, len, user) == len ? DMARC_OK : DMARC_ESYSTEM;
}

static int write_one(const dmarc_report *r, unsigned int part,
    unsigned int n_parts, unsigned int flags, const char *path)
{
	FILE *fp = fopen(path, "w");
	dmarc_status st;

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	st = dmarc_report_write(r, part, n_parts, flags, file_sink, fp);
	if (fclose(fp) != 0 || st != DMARC_OK) {
		fprintf(stderr, "%s: %s\n", path, dmarc_strerror(st));
		return -1;
	}
	return 0;
}

static int write_all(const dmarc_aggregate *agg, const char *dir,
    unsigned long seed)
{
	size_t n = dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS), i;
	int files = 0;
	char path[4096];
	unsigned int p;

	for (i = 0; i < n; i++) {
		const dmarc_report *r = dmarc_aggregate_get_report(agg, i);
		snprintf(path, sizeof path, "%s/%lu-%zu.xml", dir, seed, i);
		if (write_one(r, 1, 1, i % 2 ? DMARC_REPORT_PRETTY : 0, path))
			return -1;
		files++;
		if (dmarc_report_get_count(r, DMARC_COUNT_ROWS) < 3)
			continue;
		for (p = 1; p <= 3; p++) {
			snprintf(path, sizeof path, "%s/%lu-%zu-part%u.xml", dir,
			    seed, i, p);
			if (write_one(r, p, 3, 0, path))
				return -1;
			files++;
		}
	}
	return files;
}

static dmarc_aggregate *collect(dmarc_ctx *ctx, unsigned long seed,
    unsigned long messages)
{
	dmarc_aggregate *agg;
	dmarc_eval *ev;
	unsigned long i;

	if (dmarc_aggregate_new(&agg, ctx) != DMARC_OK ||
	    dmarc_eval_new(&ev, ctx) != DMARC_OK)
		return NULL;
	dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_ORG_NAME,
	    "Receiver <& \"Co\">");
	dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_EMAIL,
	    "dmarc@receiver.example");
	dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_EXTRA_CONTACT,
	    "https://receiver.example/dmarc?a=1&b=2");
	dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_SUBMITTER,
	    "receiver.example");
	for (i = 0; i < messages; i++)
		if (agg_message(ev, seed, i) == DMARC_OK)
			dmarc_aggregate_add_eval(agg, ev);
	dmarc_eval_free(ev);
	return agg;
}

int main(int argc, char **argv)
{
	struct fake_zone z;
	dmarc_ctx *ctx;
	dmarc_aggregate *agg;
	unsigned long seed;
	int files;

	if (argc != 5 || (strcmp(argv[1], "9989") && strcmp(argv[1], "7489"))) {
		fputs("usage: report-random 9989|7489 SEED MESSAGES DIR\n",
		    stderr);
		return 2;
	}
	seed = strtoul(argv[2], NULL, 10);
	fake_zone_init(&z, AGG_ZONE);
	if (dmarc_ctx_new(&ctx) != DMARC_OK ||
	    dmarc_ctx_set_mode(ctx, argv[1][0] == '9' ? DMARC_MODE_RFC9989 :
	    DMARC_MODE_RFC7489) != DMARC_OK ||
	    dmarc_ctx_load_psl(ctx, psl_path()) != DMARC_OK ||
	    dmarc_ctx_set_random(ctx, always_99, NULL) != DMARC_OK ||
	    dmarc_ctx_set_limit(ctx, DMARC_LIMIT_REPORT_INTERVAL, 3600) !=
	    DMARC_OK ||
	    dmarc_ctx_set_lookup(ctx, fake_lookup, &z) != DMARC_OK ||
	    (agg = collect(ctx, seed, strtoul(argv[3], NULL, 10))) == NULL) {
		fputs("report-random: setup failed\n", stderr);
		return 1;
	}
	files = write_all(agg, argv[4], seed);
	dmarc_aggregate_free(agg);
	dmarc_ctx_free(ctx);
	if (files < 0)
		return 1;
	printf("%d\n", files);
	return 0;
}
