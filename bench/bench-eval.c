/*
 * Per-message evaluation benchmark (not a test): parse From, one SPF and
 * one DKIM verdict, discovery answered by an in-memory resolver,
 * evaluate, reset; over four scenarios.  Reports ns per message and
 * messages per second on 1 and 2 threads, and allocations per message;
 * run-bench.sh adds instructions per message under callgrind.
 *
 *   bench-eval [--mode 9989|7489] [--messages N] [--threads T]
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmarc/dmarc.h>

struct scenario {
	const char *from;
	const char *spf_domain;
	dmarc_verdict spf;
	const char *dkim_domain;
	dmarc_verdict dkim;
	dmarc_result want;
};

static const struct scenario scenarios[] = {
	{ "Example <news@example.com>", "bounce.example.com", DMARC_VERDICT_PASS,
	  "example.com", DMARC_VERDICT_PASS, DMARC_RESULT_PASS },
	{ "News <n@news.example.co.uk>", "bounce.example.co.uk",
	  DMARC_VERDICT_PASS, "esp-mailer.net", DMARC_VERDICT_PASS,
	  DMARC_RESULT_PASS },
	{ "Bank <alerts@bank.com>", "phish.net", DMARC_VERDICT_PASS,
	  "phish.net", DMARC_VERDICT_PASS, DMARC_RESULT_FAIL },
	{ "Shop <orders@shop.example.org>", "shop.example.org",
	  DMARC_VERDICT_FAIL, "example.org", DMARC_VERDICT_FAIL,
	  DMARC_RESULT_FAIL },
};
#define N_SCENARIOS (sizeof scenarios / sizeof scenarios[0])

static const struct { const char *name, *txt; } zone[] = {
	{ "_dmarc.example.com", "v=DMARC1; p=reject; "
	  "rua=mailto:dmarc-rua@example.com; ruf=mailto:dmarc-ruf@example.com; "
	  "fo=1" },
	{ "_dmarc.example.co.uk", "v=DMARC1; p=quarantine; sp=none; adkim=r; "
	  "aspf=r; pct=100; rua=mailto:agg@example.co.uk" },
	{ "_dmarc.bank.com", "v=DMARC1; p=reject; adkim=s; aspf=s; "
	  "rua=mailto:d@bank.com" },
	{ "_dmarc.example.org", "v=DMARC1; p=none; sp=quarantine; "
	  "rua=mailto:a@example.org" },
};

static atomic_ulong allocations;

static void *counting_malloc(size_t n)
{
	atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
	return malloc(n);
}

static void *counting_realloc(void *p, size_t n)
{
	atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
	return realloc(p, n);
}

static void lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	size_t i;

	(void)user;
	for (i = 0; qtype == DMARC_RR_TXT && i < sizeof zone / sizeof zone[0];
	    i++)
		if (strcmp(qname, zone[i].name) == 0) {
			dmarc_dns_answer_add_txt(answer, zone[i].txt,
			    strlen(zone[i].txt));
			return;
		}
	/* the Author Domains exist; everything else is absent */
	dmarc_dns_answer_set(answer, qtype == DMARC_RR_TXT ? DMARC_DNS_NXDOMAIN
	    : DMARC_DNS_NODATA, 300);
}

struct job {
	const dmarc_ctx *ctx;
	long messages;
	int failed;
};

static int one(dmarc_eval *ev, const struct scenario *s)
{
	dmarc_eval_reset(ev);
	dmarc_eval_add_from(ev, s->from, strlen(s->from));
	dmarc_eval_set_spf(ev, s->spf, s->spf_domain, strlen(s->spf_domain),
	    DMARC_SPF_MAILFROM);
	dmarc_eval_add_dkim(ev, s->dkim, s->dkim_domain, strlen(s->dkim_domain),
	    "s1", 2);
	return dmarc_eval_run(ev) == DMARC_OK &&
	    dmarc_eval_get_result(ev) == s->want ? 0 : 1;
}

static void *worker(void *arg)
{
	struct job *j = arg;
	dmarc_eval *ev;
	long i;

	if (dmarc_eval_new(&ev, j->ctx) != DMARC_OK) {
		j->failed = 1;
		return NULL;
	}
	for (i = 0; i < j->messages; i++)
		j->failed |= one(ev, &scenarios[(size_t)i % N_SCENARIOS]);
	dmarc_eval_free(ev);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run messages per thread on threads threads; returns seconds. */
static double run(const dmarc_ctx *ctx, long messages, int threads)
{
	pthread_t tid[16];
	struct job jobs[16];
	double t0 = now();
	int i;

	for (i = 0; i < threads; i++) {
		jobs[i].ctx = ctx;
		jobs[i].messages = messages;
		jobs[i].failed = 0;
		pthread_create(&tid[i], NULL, worker, &jobs[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		if (jobs[i].failed) {
			fputs("bench-eval: a verdict was wrong\n", stderr);
			exit(1);
		}
	}
	return now() - t0;
}

int main(int argc, char **argv)
{
	dmarc_mode mode = DMARC_MODE_RFC7489;
	long messages = 400000;
	int threads = 0, i;
	dmarc_ctx *ctx;
	double t1, t2;
	unsigned long a0;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--mode") == 0)
			mode = strcmp(argv[i + 1], "9989") == 0 ? DMARC_MODE_RFC9989 :
			    DMARC_MODE_RFC7489;
		else if (strcmp(argv[i], "--messages") == 0)
			messages = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--threads") == 0)
			threads = atoi(argv[i + 1]);
	}
	if (dmarc_ctx_new_with_allocator(&ctx, counting_malloc,
	    counting_realloc, free) != DMARC_OK ||
	    dmarc_ctx_set_mode(ctx, mode) != DMARC_OK ||
	    dmarc_ctx_set_lookup(ctx, lookup, NULL) != DMARC_OK ||
	    (mode == DMARC_MODE_RFC7489 && dmarc_ctx_load_psl(ctx, NULL) !=
	    DMARC_OK))
		return 2;
	if (threads > 0) { /* callgrind: one fixed run, no timing */
		run(ctx, messages, threads);
		dmarc_ctx_free(ctx);
		return 0;
	}
	run(ctx, 1000, 1); /* warm: buffers and parsed records */
	a0 = atomic_load(&allocations);
	t1 = run(ctx, messages, 1);
	printf("mode=%s messages=%ld ns/message=%.0f messages/s(1 thread)=%.0f "
	    "allocations/message=%.3f\n", mode == DMARC_MODE_RFC7489 ? "7489" :
	    "9989", messages, t1 * 1e9 / (double)messages,
	    (double)messages / t1,
	    (double)(atomic_load(&allocations) - a0) / (double)messages);
	t2 = run(ctx, messages, 2);
	printf("mode=%s messages/s(2 threads)=%.0f speedup=%.2fx\n",
	    mode == DMARC_MODE_RFC7489 ? "7489" : "9989",
	    2.0 * (double)messages / t2, 2.0 * t1 / t2);
	dmarc_ctx_free(ctx);
	return 0;
}
