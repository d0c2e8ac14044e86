/*
 * The aggregate's benchmarks (results in bench/RESULTS.md):
 *
 *   bench-aggregate --add N
 *       evaluate N messages of one tuple and add each (every add after
 *       the first finds its row): run under callgrind with
 *       --toggle-collect=dmarc_aggregate_add_eval and two N, and take the
 *       difference for the instructions of one add; fails when an add
 *       after the first allocated;
 *   bench-aggregate --collect MESSAGES ROWS [--mode 9989|7489]
 *       write a spool of MESSAGES lines over ROWS distinct rows (1,000
 *       policy domains, one UTC day) to a temporary file (not timed), then
 *       time reading it into an aggregate and writing every report,
 *       gzip, to a counting sink; print the times, the bytes of XML and
 *       gzip, and what the aggregate allocated per row at its peak.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dmarc/dmarc.h>

/* ---- a counting allocator: bytes live and their peak ---- */

static size_t live_bytes, peak_bytes, n_allocs;

static void *count_malloc(size_t n)
{
	size_t *p = malloc(n + sizeof(size_t) * 2);

	if (p == NULL)
		return NULL;
	p[0] = n;
	live_bytes += n;
	n_allocs++;
	if (live_bytes > peak_bytes)
		peak_bytes = live_bytes;
	return p + 2;
}

static void count_free(void *q)
{
	size_t *p = q;

	if (p == NULL)
		return;
	live_bytes -= p[-2];
	free(p - 2);
}

static void *count_realloc(void *q, size_t n)
{
	size_t *p = q, old = p != NULL ? p[-2] : 0, *np;

	np = realloc(p != NULL ? p - 2 : NULL, n + sizeof(size_t) * 2);
	if (np == NULL)
		return NULL;
	np[0] = n;
	live_bytes = live_bytes - old + n;
	n_allocs++;
	if (live_bytes > peak_bytes)
		peak_bytes = live_bytes;
	return np + 2;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- --add ---- */

static void one_answer(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	static const char rec[] = "v=DMARC1; p=reject";

	(void)user;
	(void)qtype;
	if (strcmp(qname, "_dmarc.example.com") == 0)
		dmarc_dns_answer_add_txt(answer, rec, sizeof rec - 1);
	else
		dmarc_dns_answer_set(answer, DMARC_DNS_NXDOMAIN, 60);
}

/* One message of the same tuple, evaluated afresh. */
static int evaluate(dmarc_eval *ev)
{
	static const char from[] = "Alice <alice@example.com>";

	dmarc_eval_reset(ev);
	dmarc_eval_add_from(ev, from, sizeof from - 1);
	dmarc_eval_set_spf(ev, DMARC_VERDICT_PASS, "bounce.example.com", 18,
	    DMARC_SPF_MAILFROM);
	dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS, "example.com", 11,
	    "selector1", 9);
	dmarc_eval_set_ip(ev, "192.0.2.1", 9);
	dmarc_eval_set_envelope_from(ev, "bounce.example.com", 18);
	dmarc_eval_set_time(ev, 1718000000u);
	return dmarc_eval_run(ev) == DMARC_OK ? 0 : 1;
}

/* Under callgrind, --toggle-collect=dmarc_aggregate_add_eval counts the
 * adds alone: every one after the first finds its row. */
static int bench_add(dmarc_ctx *ctx, unsigned long n)
{
	dmarc_aggregate *agg;
	dmarc_eval *ev;
	unsigned long i;
	size_t allocs = 0;

	if (dmarc_ctx_set_lookup(ctx, one_answer, NULL) != DMARC_OK ||
	    dmarc_eval_new(&ev, ctx) != DMARC_OK ||
	    dmarc_aggregate_new(&agg, ctx) != DMARC_OK)
		return 1;
	for (i = 0; i < n; i++) {
		size_t before;
		if (evaluate(ev))
			return 1;
		before = n_allocs;
		if (dmarc_aggregate_add_eval(agg, ev) != DMARC_OK)
			return 1;
		if (i > 0)
			allocs += n_allocs - before;
	}
	printf("adds %lu rows %llu allocations after the first %zu\n", n,
	    (unsigned long long)dmarc_aggregate_get_count(agg,
	    DMARC_COUNT_ROWS), allocs);
	dmarc_aggregate_free(agg);
	dmarc_eval_free(ev);
	if (allocs != 0) /* issue 10: an existing row allocates nothing */
		fputs("bench-aggregate: adding to an existing row allocated\n",
		    stderr);
	return allocs != 0;
}

/* ---- --collect ---- */

/* Message i of the spool: row i % rows, so every row has about
 * messages / rows messages. */
static void spool_line(FILE *fp, unsigned long i, unsigned long rows)
{
	unsigned long r = i % rows, d = r % 1000;

	fprintf(fp, "dmarc-spool/1\ttime=%lu\tcount=1\tdomain=d%lu.example"
	    "\tmode=rfc9989\tdiscovery_method=treewalk\tp=reject"
	    "\tsp=reject\tnp=reject\tadkim=r\taspf=r\tfo=0\tpct=100\tt=n"
	    "\tpsd=u\tsource_ip=10.%lu.%lu.%lu\theader_from=d%lu.example"
	    "\tenvelope_from=bounce.d%lu.example\tdisposition=%s"
	    "\tdkim_aligned=pass\tspf_aligned=fail"
	    "\tspf=bounce.d%lu.example,mfrom,pass"
	    "\tdkim=d%lu.example,selector%lu,pass\n",
	    1717977600ul + i % 86400, d, r >> 16 & 255, r >> 8 & 255,
	    r & 255, d, d, r % 3 ? "pass" : "reject", d, d, r % 7);
}

struct counter {
	uint64_t bytes;
};

static dmarc_status count_sink(void *user, const char *data, size_t len)
{
	(void)data;
	((struct counter *)user)->bytes += len;
	return DMARC_OK;
}

static int write_reports(dmarc_aggregate *agg, struct counter *xml,
    struct counter *gz)
{
	uint64_t n = dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS), i;

	for (i = 0; i < n; i++) {
		const dmarc_report *r = dmarc_aggregate_get_report(agg, i);
		if (dmarc_report_write(r, 1, 1, DMARC_REPORT_GZIP, count_sink,
		    gz) != DMARC_OK)
			return 1;
		if (xml != NULL && dmarc_report_write(r, 1, 1, 0, count_sink,
		    xml) != DMARC_OK)
			return 1;
	}
	return 0;
}

static int bench_collect(dmarc_ctx *ctx, unsigned long messages,
    unsigned long rows)
{
	char path[] = "/tmp/bench-aggregate-XXXXXX";
	struct counter xml = { 0 }, gz = { 0 };
	dmarc_aggregate *agg;
	double t0, t1, t2;
	unsigned long i;
	size_t base;
	FILE *fp;
	int fd = mkstemp(path);

	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL)
		return 1;
	for (i = 0; i < messages; i++)
		spool_line(fp, i, rows);
	if (fclose(fp) != 0)
		return 1;
	base = live_bytes;
	peak_bytes = live_bytes;
	t0 = now();
	if (dmarc_aggregate_new(&agg, ctx) != DMARC_OK ||
	    dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_ORG_NAME,
	    "Bench") != DMARC_OK ||
	    dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_EMAIL,
	    "dmarc@bench.example") != DMARC_OK ||
	    dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_SUBMITTER,
	    "bench.example") != DMARC_OK ||
	    dmarc_aggregate_read_spool(agg, path, NULL) != DMARC_OK)
		return 1;
	t1 = now();
	if (write_reports(agg, NULL, &gz))
		return 1;
	t2 = now();
	printf("messages %lu rows %llu reports %llu\n", messages,
	    (unsigned long long)dmarc_aggregate_get_count(agg,
	    DMARC_COUNT_ROWS), (unsigned long long)dmarc_aggregate_get_count(
	    agg, DMARC_COUNT_REPORTS));
	printf("collect %.3f s, write (gzip) %.3f s, total %.3f s\n", t1 - t0,
	    t2 - t1, t2 - t0);
	printf("peak memory %zu bytes, %.1f bytes/row\n", peak_bytes - base,
	    (double)(peak_bytes - base) / (double)dmarc_aggregate_get_count(
	    agg, DMARC_COUNT_ROWS));
	if (write_reports(agg, &xml, &gz))
		return 1;
	printf("XML %llu bytes (%.1f MB/s of XML through gzip)\n",
	    (unsigned long long)xml.bytes, (double)xml.bytes / 1e6 / (t2 - t1));
	dmarc_aggregate_free(agg);
	unlink(path);
	return 0;
}

int main(int argc, char **argv)
{
	dmarc_ctx *ctx;
	int rc = 2;

	if (dmarc_ctx_new_with_allocator(&ctx, count_malloc, count_realloc,
	    count_free) != DMARC_OK)
		return 1;
	if (argc >= 5 && strcmp(argv[4], "--mode") == 0 && argc == 6 &&
	    strcmp(argv[5], "7489") == 0)
		dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489);
	if (argc == 3 && strcmp(argv[1], "--add") == 0)
		rc = bench_add(ctx, strtoul(argv[2], NULL, 10));
	else if ((argc == 4 || argc == 6) && strcmp(argv[1], "--collect") == 0)
		rc = bench_collect(ctx, strtoul(argv[2], NULL, 10),
		    strtoul(argv[3], NULL, 10));
	else
		fputs("usage: bench-aggregate --add N | --collect MESSAGES ROWS "
		    "[--mode 9989|7489]\n", stderr);
	dmarc_ctx_free(ctx);
	return rc;
}
