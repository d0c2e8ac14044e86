/*
 * Report output benchmark (not a test): writes an aggregate-report-like
 * document, 20 small elements per record (10,000 records: 200,000
 * elements, pretty-printed as reports are), with the XML writer alone
 * (--mode xml), through the gzip filter at level 6 (--mode gzip), or
 * gzips the same document held in memory with the filter alone
 * (--mode gzip-only, the baseline).  Prints the XML size and MB/s of XML
 * (10^6 bytes per second), best and median of --runs runs, wall clock.
 * run-bench.sh runs it under callgrind for instructions per XML byte.
 *
 *   bench-report-sinks [--mode xml|gzip|gzip-only] [--records N] [--runs R]
 *
 * Built by make check (it reaches internal functions through the
 * library's static copy); run by make bench.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem-sink.h" /* test/: sinks to memory and to a counter */
#include "report/gzip_sink.h"
#include "report/xml_writer.h"

#define MAX_RUNS 50

/* Values that vary from record to record, made up once so that the
 * timed loop formats nothing: addresses (a quarter IPv6), counts,
 * domains and selectors, picked at random per record, so the document
 * compresses about as well as a real report (not 60:1 as one record
 * repeated would). */
#define N_VALUES 4096u
static char ips[N_VALUES][40], counts[N_VALUES][8];
static char domains[N_VALUES][32], selectors[N_VALUES][24];
static uint32_t seed = 2463534242u, document_seed;

static uint32_t next_random(void)
{
	seed ^= seed << 13; /* xorshift32 */
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static void make_word(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (char)('a' + next_random() % 26);
	p[len] = '\0';
}

static void make_values(void)
{
	static const char *const tlds[] = { "com", "net", "org", "de", "co.uk" };
	uint32_t i, r;
	char word[16];

	for (i = 0; i < N_VALUES; i++) {
		r = next_random();
		if (r % 4 == 0)
			snprintf(ips[i], sizeof ips[i], "2001:db8:%x:%x::%x",
			    r >> 16, (r >> 4) & 0xfff, next_random() & 0xffff);
		else
			snprintf(ips[i], sizeof ips[i], "%u.%u.%u.%u", 1 + r % 223,
			    (r >> 8) & 255, (r >> 16) & 255, r >> 24);
		snprintf(counts[i], sizeof counts[i], "%u",
		    1 + next_random() % (i % 8 == 0 ? 5000 : 20));
		make_word(word, 4 + next_random() % 10);
		snprintf(domains[i], sizeof domains[i], "%s.%s", word,
		    tlds[next_random() % 5]);
		make_word(word, 2 + next_random() % 10);
		snprintf(selectors[i], sizeof selectors[i], "%s%u", word,
		    next_random() % 2030);
	}
}

/* A value of a table, at random. */
#define ANY(table) (table)[next_random() % N_VALUES]

static dmarc_status leaf(struct dmarc__xml_writer *w, const char *name,
    const char *text)
{
	return dmarc__xml_element(w, name, text, strlen(text));
}

/* One record: 20 elements. */
static dmarc_status record(struct dmarc__xml_writer *w)
{
	uint32_t r = next_random();
	const char *from = ANY(domains);
	const char *bounce = r % 2 ? from : ANY(domains);
	dmarc_status st = DMARC_OK;

#define STEP(call) if (st == DMARC_OK) st = (call)
	STEP(dmarc__xml_start(w, "record"));
	STEP(dmarc__xml_start(w, "row"));
	STEP(leaf(w, "source_ip", ANY(ips)));
	STEP(leaf(w, "count", ANY(counts)));
	STEP(dmarc__xml_start(w, "policy_evaluated"));
	STEP(leaf(w, "disposition", r % 3 ? "none" : "quarantine"));
	STEP(leaf(w, "dkim", r % 5 ? "pass" : "fail"));
	STEP(leaf(w, "spf", r % 7 ? "pass" : "fail"));
	STEP(dmarc__xml_end(w, "policy_evaluated"));
	STEP(dmarc__xml_end(w, "row"));
	STEP(dmarc__xml_start(w, "identifiers"));
	STEP(leaf(w, "header_from", from));
	STEP(leaf(w, "envelope_from", r % 11 ? bounce : ""));
	STEP(dmarc__xml_end(w, "identifiers"));
	STEP(dmarc__xml_start(w, "auth_results"));
	STEP(dmarc__xml_start(w, "dkim"));
	STEP(leaf(w, "domain", from));
	STEP(leaf(w, "selector", ANY(selectors)));
	STEP(leaf(w, "result", r % 5 ? "pass" : "fail"));
	STEP(dmarc__xml_end(w, "dkim"));
	STEP(dmarc__xml_start(w, "spf"));
	STEP(leaf(w, "domain", bounce));
	STEP(leaf(w, "scope", "mfrom"));
	STEP(leaf(w, "result", r % 7 ? "pass" : "softfail"));
	STEP(dmarc__xml_end(w, "spf"));
	STEP(dmarc__xml_end(w, "auth_results"));
	STEP(dmarc__xml_end(w, "record"));
#undef STEP
	return st;
}

static dmarc_status document(struct dmarc__xml_writer *w, unsigned long n)
{
	dmarc_status st = dmarc__xml_declaration(w);
	unsigned long i;

	seed = document_seed; /* the same document every run */
	if (st == DMARC_OK)
		st = dmarc__xml_start_root(w, "feedback",
		    "urn:ietf:params:xml:ns:dmarc-2.0", NULL, 0);
	for (i = 0; i < n && st == DMARC_OK; i++)
		st = record(w);
	if (st == DMARC_OK)
		st = dmarc__xml_end(w, "feedback");
	return st == DMARC_OK ? dmarc__xml_finish(w) : st;
}

/* Writes the document into sink, through gzip at level 6 if asked;
 * *xml_bytes gets the size of the XML. */
static dmarc_status run_once(const dmarc_ctx *ctx, struct dmarc__sink sink,
    int gzip, unsigned long n, uint64_t *xml_bytes)
{
	struct dmarc__xml_writer *w = NULL;
	struct dmarc__gzip *gz = NULL;
	dmarc_status st = DMARC_OK;

	if (gzip) {
		st = dmarc__gzip_new(&gz, ctx, sink, DMARC__GZIP_LEVEL_DEFAULT);
		sink = dmarc__sink_make(dmarc__gzip_write, gz);
	}
	if (st == DMARC_OK)
		st = dmarc__xml_writer_new(&w, ctx, sink, DMARC__XML_PRETTY);
	if (st == DMARC_OK)
		st = document(w, n);
	if (st == DMARC_OK && gzip)
		st = dmarc__gzip_finish(gz);
	if (st == DMARC_OK)
		*xml_bytes = dmarc__xml_bytes_out(w);
	dmarc__xml_writer_free(w);
	dmarc__gzip_free(gz);
	return st;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *mode = "xml";
	unsigned long n = 10000;
	int runs = 5, r;
	double secs[MAX_RUNS], t0;
	struct mem_sink xml;
	uint64_t xml_bytes = 0, out_bytes;
	dmarc_status st;
	dmarc_ctx *ctx;

	for (r = 1; r + 1 < argc; r += 2) {
		if (strcmp(argv[r], "--mode") == 0)
			mode = argv[r + 1];
		else if (strcmp(argv[r], "--records") == 0)
			n = strtoul(argv[r + 1], NULL, 10);
		else if (strcmp(argv[r], "--runs") == 0)
			runs = atoi(argv[r + 1]);
	}
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	make_values();
	document_seed = seed;
	mem_sink_init(&xml);
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 2;
	/* gzip-only compresses the document held in memory */
	if (strcmp(mode, "gzip-only") == 0 &&
	    run_once(ctx, dmarc__sink_make(mem_sink_write, &xml), 0, n,
	    &xml_bytes) != DMARC_OK)
		return 1;
	for (r = 0; r < runs; r++) {
		out_bytes = 0;
		t0 = now_s();
		if (strcmp(mode, "gzip-only") == 0) {
			struct dmarc__gzip *gz;
			st = dmarc__gzip_new(&gz, ctx, dmarc__sink_make(count_sink_write,
			    &out_bytes), DMARC__GZIP_LEVEL_DEFAULT);
			if (st == DMARC_OK &&
			    (st = dmarc__gzip_write(gz, xml.data, xml.len)) ==
			    DMARC_OK)
				st = dmarc__gzip_finish(gz);
			dmarc__gzip_free(gz);
		} else {
			st = run_once(ctx, dmarc__sink_make(count_sink_write,
			    &out_bytes), strcmp(mode, "gzip") == 0, n, &xml_bytes);
		}
		secs[r] = now_s() - t0;
		if (st != DMARC_OK) {
			fprintf(stderr, "bench-report-sinks: %s\n",
			    dmarc_strerror(st));
			return 1;
		}
	}
	qsort(secs, (size_t)runs, sizeof secs[0], by_value);
	printf("mode=%s records=%lu elements=%lu xml_bytes=%llu out_bytes=%llu "
	    "MB/s best=%.1f median=%.1f\n", mode, n, n * 20 + 1,
	    (unsigned long long)xml_bytes, (unsigned long long)out_bytes,
	    (double)xml_bytes / secs[0] / 1e6,
	    (double)xml_bytes / secs[runs / 2] / 1e6);
	mem_sink_dispose(&xml);
	dmarc_ctx_free(ctx);
	return 0;
}
