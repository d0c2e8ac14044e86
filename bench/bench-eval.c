/*
 * Per-message evaluation benchmark (not a test): parse From, one SPF and
 * one DKIM verdict, discovery answered by an in-memory resolver,
 * evaluate, reset; over four scenarios.  Reports ns per message and
 * messages per second on 1 and 2 threads, and allocations per message;
 * run-bench.sh adds instructions per message under callgrind.
 *
 *   bench-eval [--mode 9989|7489] [--messages N] [--threads T] [--cold 1]
 *              [--psl FILE] [--extra-dkim K] [--footprint 1]
 *
 * --psl FILE: RFC 7489 mode with the list read from FILE rather than the
 * default (dmarc_ctx_load_psl(ctx, NULL)).
 *
 * --cold 1: the cold path instead, every message from a domain never seen
 * before (brand<i>.com, i the message's number), each with a record of
 * its own (its rua names the domain, so no two records share a text),
 * SPF for mail.brand<i>.com and DKIM for brand<i>.com, both passing
 * relaxed: a record parsed, a discovery run and Organizational Domains
 * looked up for new names on every message.
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
#define N_ZONE (sizeof zone / sizeof zone[0])

/* The inputs' lengths, which an MTA knows without counting (set by
 * measure_inputs) */
static size_t from_len[N_SCENARIOS], spf_len[N_SCENARIOS],
    dkim_len[N_SCENARIOS], name_len[N_ZONE], txt_len[N_ZONE];

static atomic_ulong allocations;
static atomic_long live_bytes; /* held now, through the allocator below */

/* Each block carries its size in front, so that what is held can be
 * counted: the footprint of an evaluation object. */
#define SIZE_HEADER 16u

static void *counting_malloc(size_t n)
{
	unsigned char *p = malloc(n + SIZE_HEADER);

	atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
	if (p == NULL)
		return NULL;
	memcpy(p, &n, sizeof n);
	atomic_fetch_add_explicit(&live_bytes, (long)n, memory_order_relaxed);
	return p + SIZE_HEADER;
}

static void counting_free(void *q)
{
	unsigned char *p = q;
	size_t n;

	if (p == NULL)
		return;
	p -= SIZE_HEADER;
	memcpy(&n, p, sizeof n);
	atomic_fetch_sub_explicit(&live_bytes, (long)n, memory_order_relaxed);
	free(p);
}

static void *counting_realloc(void *q, size_t n)
{
	unsigned char *p = q != NULL ? (unsigned char *)q - SIZE_HEADER : NULL;
	size_t old = 0;

	atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
	if (p != NULL)
		memcpy(&old, p, sizeof old);
	p = realloc(p, n + SIZE_HEADER);
	if (p == NULL)
		return NULL;
	memcpy(p, &n, sizeof n);
	atomic_fetch_add_explicit(&live_bytes, (long)n - (long)old,
	    memory_order_relaxed);
	return p + SIZE_HEADER;
}

/* The caller's resolver (its cache, in a real MTA): lengths compared
 * before bytes, as a hashed cache would, so that its own cost stays
 * small next to the library's. */
static void lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	size_t i, n = strlen(qname);

	(void)user;
	for (i = 0; qtype == DMARC_RR_TXT && i < N_ZONE; i++)
		if (n == name_len[i] && memcmp(qname, zone[i].name, n) == 0) {
			dmarc_dns_answer_add_txt(answer, zone[i].txt,
			    txt_len[i]);
			return;
		}
	/* the Author Domains exist; everything else is absent */
	dmarc_dns_answer_set(answer, qtype == DMARC_RR_TXT ? DMARC_DNS_NXDOMAIN
	    : DMARC_DNS_NODATA, 300);
}

/* --extra-dkim K: K more passing signatures on every message, of
 * domains unrelated to any From domain (their cost is the difference). */
static size_t extra_len[8];
static const char *const extra_signers[] = {
	"esp-one.example.net", "esp-two.example.net", "mailer.example.info",
	"relay.example.biz", "signer.example.io", "lists.example.org.uk",
	"bulk.example.de", "outbound.example.fr",
};
#define MAX_EXTRA (sizeof extra_signers / sizeof extra_signers[0])
static size_t extra_dkim;

static void add_extra_dkim(dmarc_eval *ev)
{
	size_t k;

	for (k = 0; k < extra_dkim; k++)
		dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS, extra_signers[k],
		    extra_len[k], "x1", 2);
}

/* ---- the cold path: distinct domains, each with its own record ---- */

#define COLD_MAX_TEXT 128

/* n in decimal at p, returning the end: cheaper than snprintf, whose
 * cost would swamp the library's in the counts. */
static char *put_number(char *p, unsigned long n)
{
	char digits[24];
	size_t k = 0;

	do
		digits[k++] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	while (k > 0)
		*p++ = digits[--k];
	return p;
}

static char *put_text(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* brand<n>.com's record for "_dmarc.brand<n>.com", anything else absent. */
static void cold_lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	static const char prefix[] = "_dmarc.brand";
	char txt[COLD_MAX_TEXT], *p = txt;
	unsigned long n = 0;
	const char *q;

	(void)user;
	if (qtype == DMARC_RR_TXT &&
	    strncmp(qname, prefix, sizeof prefix - 1) == 0) {
		for (q = qname + sizeof prefix - 1; *q >= '0' && *q <= '9'; q++)
			n = n * 10 + (unsigned long)(*q - '0');
		if (q > qname + sizeof prefix - 1 && strcmp(q, ".com") == 0) {
			p = put_text(p, "v=DMARC1; p=reject; "
			    "rua=mailto:dmarc@brand");
			p = put_number(p, n);
			p = put_text(p, ".com");
			dmarc_dns_answer_add_txt(answer, txt, (size_t)(p - txt));
			return;
		}
	}
	dmarc_dns_answer_set(answer, qtype == DMARC_RR_TXT ? DMARC_DNS_NXDOMAIN
	    : DMARC_DNS_NODATA, 300);
}

/* Message n of the cold path: from brand<n>.com, passing (a pass needs
 * the record found). */
static int cold_one(dmarc_eval *ev, unsigned long n)
{
	char from[COLD_MAX_TEXT], spf[COLD_MAX_TEXT], dkim[COLD_MAX_TEXT];
	char *f = from, *s = spf, *d = dkim;

	f = put_text(f, "Brand <news@brand");
	f = put_number(f, n);
	f = put_text(f, ".com>");
	s = put_text(s, "mail.brand");
	s = put_number(s, n);
	s = put_text(s, ".com");
	d = put_text(d, "brand");
	d = put_number(d, n);
	d = put_text(d, ".com");
	dmarc_eval_reset(ev);
	dmarc_eval_add_from(ev, from, (size_t)(f - from));
	dmarc_eval_set_spf(ev, DMARC_VERDICT_PASS, spf, (size_t)(s - spf),
	    DMARC_SPF_MAILFROM);
	dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS, dkim, (size_t)(d - dkim),
	    "s1", 2);
	add_extra_dkim(ev);
	return dmarc_eval_run(ev) == DMARC_OK &&
	    dmarc_eval_get_result(ev) == DMARC_RESULT_PASS ? 0 : 1;
}

static int cold;              /* --cold 1 */
static atomic_ulong cold_next; /* the next never-seen domain */

struct job {
	const dmarc_ctx *ctx;
	long messages;
	int failed;
};

static int one(dmarc_eval *ev, size_t k)
{
	const struct scenario *s = &scenarios[k];

	dmarc_eval_reset(ev);
	dmarc_eval_add_from(ev, s->from, from_len[k]);
	dmarc_eval_set_spf(ev, s->spf, s->spf_domain, spf_len[k],
	    DMARC_SPF_MAILFROM);
	dmarc_eval_add_dkim(ev, s->dkim, s->dkim_domain, dkim_len[k], "s1", 2);
	add_extra_dkim(ev);
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
		j->failed |= cold ? cold_one(ev, atomic_fetch_add(&cold_next, 1))
		    : one(ev, (size_t)i % N_SCENARIOS);
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

/* The bytes one evaluation object holds: made, then after messages
 * (what it keeps in steady state: buffers, parsed records, memos).  A
 * first object runs before, so that what the context loads on first use
 * is not counted. */
static int print_footprint(dmarc_ctx *ctx, long messages)
{
	struct job j = { ctx, 100, 0 };
	long before, made;
	dmarc_eval *ev;

	worker(&j);
	before = atomic_load(&live_bytes);
	if (j.failed || dmarc_eval_new(&ev, ctx) != DMARC_OK)
		return 1;
	made = atomic_load(&live_bytes) - before;
	for (j.messages = 0; j.messages < messages; j.messages++)
		j.failed |= cold ? cold_one(ev, atomic_fetch_add(&cold_next, 1))
		    : one(ev, (size_t)j.messages % N_SCENARIOS);
	printf("footprint: made=%ld bytes, after %ld messages=%ld bytes\n",
	    made, messages, atomic_load(&live_bytes) - before);
	dmarc_eval_free(ev);
	dmarc_ctx_free(ctx);
	return j.failed;
}

/* The lengths the benchmark's caller knows without counting. */
static void measure_inputs(void)
{
	size_t i;

	for (i = 0; i < N_SCENARIOS; i++) {
		from_len[i] = strlen(scenarios[i].from);
		spf_len[i] = strlen(scenarios[i].spf_domain);
		dkim_len[i] = strlen(scenarios[i].dkim_domain);
	}
	for (i = 0; i < N_ZONE; i++) {
		name_len[i] = strlen(zone[i].name);
		txt_len[i] = strlen(zone[i].txt);
	}
	for (i = 0; i < MAX_EXTRA; i++)
		extra_len[i] = strlen(extra_signers[i]);
}

int main(int argc, char **argv)
{
	dmarc_mode mode = DMARC_MODE_RFC7489;
	long messages = 400000;
	int threads = 0, footprint = 0, i;
	const char *psl = NULL;
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
		else if (strcmp(argv[i], "--cold") == 0)
			cold = atoi(argv[i + 1]) != 0;
		else if (strcmp(argv[i], "--extra-dkim") == 0)
			extra_dkim = (size_t)atoi(argv[i + 1]) < MAX_EXTRA ?
			    (size_t)atoi(argv[i + 1]) : MAX_EXTRA;
		else if (strcmp(argv[i], "--psl") == 0)
			psl = argv[i + 1];
		else if (strcmp(argv[i], "--footprint") == 0)
			footprint = atoi(argv[i + 1]) != 0;
	}
	measure_inputs();
	if (dmarc_ctx_new_with_allocator(&ctx, counting_malloc,
	    counting_realloc, counting_free) != DMARC_OK ||
	    dmarc_ctx_set_mode(ctx, mode) != DMARC_OK ||
	    dmarc_ctx_set_lookup(ctx, cold ? cold_lookup : lookup, NULL) !=
	    DMARC_OK ||
	    (mode == DMARC_MODE_RFC7489 && dmarc_ctx_load_psl(ctx, psl) !=
	    DMARC_OK))
		return 2;
	if (footprint)
		return print_footprint(ctx, messages);
	if (threads > 0) { /* callgrind: one fixed run, no timing */
		run(ctx, messages, threads);
		/* the difference of two runs is allocations per message */
		printf("allocations=%lu\n", atomic_load(&allocations));
		dmarc_ctx_free(ctx);
		return 0;
	}
	run(ctx, 1000, 1); /* warm: buffers and parsed records */
	a0 = atomic_load(&allocations);
	t1 = run(ctx, messages, 1);
	printf("mode=%s%s messages=%ld ns/message=%.0f messages/s(1 thread)=%.0f "
	    "allocations/message=%.3f\n", mode == DMARC_MODE_RFC7489 ? "7489" :
	    "9989", cold ? " cold" : "", messages, t1 * 1e9 / (double)messages,
	    (double)messages / t1,
	    (double)(atomic_load(&allocations) - a0) / (double)messages);
	t2 = run(ctx, messages, 2);
	printf("mode=%s%s messages/s(2 threads)=%.0f speedup=%.2fx\n",
	    mode == DMARC_MODE_RFC7489 ? "7489" : "9989", cold ? " cold" : "",
	    2.0 * (double)messages / t2, 2.0 * t1 / t2);
	dmarc_ctx_free(ctx);
	return 0;
}
