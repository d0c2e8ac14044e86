/*
 * Record parsing benchmark (not a test): parses three records in a loop
 * and reports nanoseconds and allocations per record.  run-bench.sh runs
 * it under callgrind for instructions per record.  --spaced writes the
 * same records with spaces around each '=', which the fast path leaves
 * to the general parser.
 *
 *   bench-record [--iterations N] [--mode 9989|7489] [--record K]
 *                [--spaced 1]
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmarc/dmarc.h>

static const char *const records[] = {
	"v=DMARC1; p=none",
	"v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com",
	"v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=r; "
	    "pct=50; fo=1:d:s; rf=afrf; ri=3600; "
	    "rua=mailto:agg@example.com,mailto:agg@thirdparty.example.net; "
	    "ruf=mailto:fail@example.com",
};
#define N_RECORDS (sizeof records / sizeof records[0])

static const char *const spaced[N_RECORDS] = {
	"v = DMARC1; p = none",
	"v = DMARC1; p = reject; rua = mailto:dmarc-reports@example.com",
	"v = DMARC1; p = quarantine; sp = reject; np = reject; adkim = s; "
	    "aspf = r; pct = 50; fo = 1:d:s; rf = afrf; ri = 3600; "
	    "rua = mailto:agg@example.com,mailto:agg@thirdparty.example.net; "
	    "ruf = mailto:fail@example.com",
};

static unsigned long allocations;

static void *counting_malloc(size_t n)
{
	allocations++;
	return malloc(n);
}

static void *counting_realloc(void *p, size_t n)
{
	allocations++;
	return realloc(p, n);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run(const dmarc_ctx *ctx, const char *const *texts,
    const size_t *lens, long iterations, size_t only)
{
	long i;
	size_t r;

	for (i = 0; i < iterations; i++) {
		for (r = 0; r < N_RECORDS; r++) {
			if (only < N_RECORDS && r != only)
				continue;
			dmarc_record *rec;
			if (dmarc_record_parse(&rec, ctx, texts[r], lens[r]) !=
			    DMARC_OK || dmarc_record_get_state(rec) !=
			    DMARC_RECORD_VALID)
				return -1;
			dmarc_record_free(rec);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long iterations = 1000000;
	size_t only = N_RECORDS; /* --record K: that record alone */
	dmarc_mode mode = DMARC_MODE_RFC9989;
	const char *const *texts = records;
	size_t lens[N_RECORDS], r;
	dmarc_ctx *ctx;
	double t0, t1;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--iterations") == 0)
			iterations = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--record") == 0)
			only = (size_t)atol(argv[i + 1]);
		else if (strcmp(argv[i], "--spaced") == 0)
			texts = atoi(argv[i + 1]) ? spaced : records;
		else if (strcmp(argv[i], "--mode") == 0)
			mode = strcmp(argv[i + 1], "7489") == 0 ?
			    DMARC_MODE_RFC7489 : DMARC_MODE_RFC9989;
	}
	for (r = 0; r < N_RECORDS; r++)
		lens[r] = strlen(texts[r]);
	if (dmarc_ctx_new_with_allocator(&ctx, counting_malloc,
	    counting_realloc, free) != DMARC_OK ||
	    dmarc_ctx_set_mode(ctx, mode) != DMARC_OK)
		return 2;
	allocations = 0;
	t0 = now_ns();
	if (run(ctx, texts, lens, iterations, only) != 0) {
		fputs("bench-record: a record did not parse as valid\n", stderr);
		return 1;
	}
	t1 = now_ns();
	printf("mode=%s%s records=%ld ns/record=%.1f allocations/record=%.2f\n",
	    mode == DMARC_MODE_RFC7489 ? "7489" : "9989",
	    texts == spaced ? " spaced" : "",
	    iterations * (long)N_RECORDS,
	    iterations > 0 ? (t1 - t0) / (double)(iterations * (long)N_RECORDS) : 0.0,
	    iterations > 0 ? (double)allocations / (double)(iterations *
	    (long)N_RECORDS) : 0.0);
	dmarc_ctx_free(ctx);
	return 0;
}
