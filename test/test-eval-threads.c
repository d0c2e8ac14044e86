/*
 * Stress test of evaluation on many threads: one shared context (RFC
 * 7489 mode, the test PSL, an in-memory lookup function over a fixed
 * table, and the shared answer cache), and on each thread its own
 * dmarc_eval going through a cycle of messages whose verdicts are known.
 * Every verdict is checked; any mismatch makes the exit status non-zero.
 *
 * DMARC_STRESS_EVALS sets the evaluations per thread (default 100000),
 * DMARC_STRESS_THREADS the threads (default 4): lower them for valgrind
 * or ThreadSanitizer runs.  The PSL is $top_srcdir/test/data/psl-test.dat
 * ("..": run from the build tree).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#define DEFAULT_EVALS 100000ul
#define DEFAULT_THREADS 4u
#define MAX_THREADS 64u
#define MAX_REPORTED 20ul

/* ---- the zone: a fixed table, read only, so safe on any thread ---- */

struct rr {
	const char *name;
	dmarc_rrtype type;
	dmarc_dns_outcome outcome; /* DMARC_DNS_RECORDS: txt is one record */
	const char *txt;
};

static const struct rr ZONE[] = {
	{ "_dmarc.example.com", DMARC_RR_TXT, DMARC_DNS_RECORDS,
	  "v=DMARC1; p=reject; sp=quarantine" },
	{ "_dmarc.example.com", DMARC_RR_TXT, DMARC_DNS_RECORDS,
	  "v=spf1 -all" },
	{ "_dmarc.none.example", DMARC_RR_TXT, DMARC_DNS_RECORDS,
	  "v=DMARC1; p=none" },
	{ "_dmarc.strict.example.org", DMARC_RR_TXT, DMARC_DNS_RECORDS,
	  "v=DMARC1; p=reject; adkim=s; aspf=s" },
	{ "_dmarc.pct0.example", DMARC_RR_TXT, DMARC_DNS_RECORDS,
	  "v=DMARC1; p=reject; pct=0" },
	{ "_dmarc.example.co.uk", DMARC_RR_TXT, DMARC_DNS_RECORDS,
	  "v=DMARC1; p=quarantine" },
	{ "_dmarc.bad.example", DMARC_RR_TXT, DMARC_DNS_RECORDS,
	  "v=DMARC1; p=bogus" },
	{ "_dmarc.temp.example", DMARC_RR_TXT, DMARC_DNS_TEMPFAIL, NULL },
	{ "www.example.com", DMARC_RR_A, DMARC_DNS_RECORDS, NULL },
	{ NULL, (dmarc_rrtype)0, (dmarc_dns_outcome)0, NULL }
};

static atomic_ulong lookups;

/* Whether name is owner or a proper ancestor of it. */
static int exists_at(const char *name, const char *owner)
{
	size_t n = strlen(name), o = strlen(owner);

	if (o == n)
		return strcmp(name, owner) == 0;
	return o > n && owner[o - n - 1] == '.' &&
	    strcmp(owner + (o - n), name) == 0;
}

/* A dmarc_lookup_fn: records, forced outcomes, NODATA for a name that
 * exists, else NXDOMAIN.  No state but an atomic counter. */
static void lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	const struct rr *r;
	int records = 0, exists = 0;

	(void)user;
	atomic_fetch_add_explicit(&lookups, 1, memory_order_relaxed);
	for (r = ZONE; r->name != NULL; r++) {
		if (!exists_at(qname, r->name))
			continue;
		exists = 1;
		if (strcmp(r->name, qname) != 0 || r->type != qtype)
			continue;
		if (r->outcome != DMARC_DNS_RECORDS) {
			dmarc_dns_answer_set(answer, r->outcome, 300);
			return;
		}
		if (r->txt != NULL)
			(void)dmarc_dns_answer_add_txt(answer, r->txt,
			    strlen(r->txt));
		records++;
	}
	if (records != 0)
		dmarc_dns_answer_set(answer, DMARC_DNS_RECORDS, 300);
	else
		dmarc_dns_answer_set(answer, exists ? DMARC_DNS_NODATA :
		    DMARC_DNS_NXDOMAIN, 60);
}

/* ---- the messages and their verdicts ---- */

struct message {
	const char *from;
	dmarc_verdict spf;      /* 0: none */
	const char *spf_domain;
	dmarc_verdict dkim;     /* 0: none */
	const char *dkim_domain;
	/* expected */
	dmarc_status status;
	dmarc_result result;
	dmarc_disposition disposition;
	dmarc_alignment_result spf_align, dkim_align;
	const char *author;
};

#define PASS DMARC_VERDICT_PASS
#define FAIL DMARC_VERDICT_FAIL

static const struct message MESSAGES[] = {
	/* aligned DKIM pass */
	{ "Alice <alice@example.com>", FAIL, "other.example", PASS,
	  "example.com", DMARC_OK, DMARC_RESULT_PASS, DMARC_DISPOSITION_NONE,
	  DMARC_UNALIGNED, DMARC_ALIGNED_EXACT, "example.com" },
	/* relaxed SPF by the PSL */
	{ "a@example.com", PASS, "bounce.example.com", 0, NULL, DMARC_OK,
	  DMARC_RESULT_PASS, DMARC_DISPOSITION_NONE, DMARC_ALIGNED_ORG,
	  DMARC_UNALIGNED, "example.com" },
	/* nothing aligned: p=reject */
	{ "a@example.com", PASS, "example.net", PASS, "example.net", DMARC_OK,
	  DMARC_RESULT_FAIL, DMARC_DISPOSITION_REJECT, DMARC_UNALIGNED,
	  DMARC_UNALIGNED, "example.com" },
	/* a subdomain: sp=quarantine from the Organizational Domain */
	{ "b@mail.example.com", 0, NULL, FAIL, "mail.example.com", DMARC_OK,
	  DMARC_RESULT_FAIL, DMARC_DISPOSITION_QUARANTINE, DMARC_UNALIGNED,
	  DMARC_UNALIGNED, "mail.example.com" },
	{ "c@www.example.com", 0, NULL, PASS, "example.com", DMARC_OK,
	  DMARC_RESULT_PASS, DMARC_DISPOSITION_NONE, DMARC_UNALIGNED,
	  DMARC_ALIGNED_ORG, "www.example.com" },
	/* no record */
	{ "x@example.net", PASS, "example.net", 0, NULL, DMARC_OK,
	  DMARC_RESULT_NONE, DMARC_DISPOSITION_NONE, DMARC_UNALIGNED,
	  DMARC_UNALIGNED, "example.net" },
	/* p=none */
	{ "x@none.example", 0, NULL, 0, NULL, DMARC_OK, DMARC_RESULT_FAIL,
	  DMARC_DISPOSITION_NONE, DMARC_UNALIGNED, DMARC_UNALIGNED,
	  "none.example" },
	/* strict alignment */
	{ "x@strict.example.org", PASS, "mail.strict.example.org", PASS,
	  "sub.strict.example.org", DMARC_OK, DMARC_RESULT_FAIL,
	  DMARC_DISPOSITION_REJECT, DMARC_UNALIGNED, DMARC_UNALIGNED,
	  "strict.example.org" },
	{ "x@strict.example.org", PASS, "Strict.Example.ORG", 0, NULL,
	  DMARC_OK, DMARC_RESULT_PASS, DMARC_DISPOSITION_NONE,
	  DMARC_ALIGNED_EXACT, DMARC_UNALIGNED, "strict.example.org" },
	/* pct=0: sampled out, reject applied as quarantine */
	{ "x@pct0.example", 0, NULL, 0, NULL, DMARC_OK, DMARC_RESULT_FAIL,
	  DMARC_DISPOSITION_QUARANTINE, DMARC_UNALIGNED, DMARC_UNALIGNED,
	  "pct0.example" },
	/* the PSL: other.co.uk is another organization */
	{ "x@a.example.co.uk", 0, NULL, PASS, "other.co.uk", DMARC_OK,
	  DMARC_RESULT_FAIL, DMARC_DISPOSITION_QUARANTINE, DMARC_UNALIGNED,
	  DMARC_UNALIGNED, "a.example.co.uk" },
	{ "x@a.example.co.uk", 0, NULL, PASS, "b.example.co.uk", DMARC_OK,
	  DMARC_RESULT_PASS, DMARC_DISPOSITION_NONE, DMARC_UNALIGNED,
	  DMARC_ALIGNED_ORG, "a.example.co.uk" },
	/* an unusable record */
	{ "x@bad.example", 0, NULL, PASS, "bad.example", DMARC_OK,
	  DMARC_RESULT_PERMERROR, DMARC_DISPOSITION_NONE, DMARC_UNALIGNED,
	  DMARC_UNALIGNED, "bad.example" },
	/* DNS failure */
	{ "x@temp.example", 0, NULL, PASS, "temp.example", DMARC_OK,
	  DMARC_RESULT_TEMPERROR, DMARC_DISPOSITION_NONE, DMARC_UNALIGNED,
	  DMARC_UNALIGNED, "temp.example" },
	/* From problems */
	{ "a@example.com, b@example.net", 0, NULL, PASS, "example.net",
	  DMARC_EFROM, DMARC_RESULT_PENDING, DMARC_DISPOSITION_NONE,
	  DMARC_UNALIGNED, DMARC_UNALIGNED, NULL },
	{ "undisclosed-recipients:;", 0, NULL, 0, NULL, DMARC_OK,
	  DMARC_RESULT_NONE, DMARC_DISPOSITION_NONE, DMARC_UNALIGNED,
	  DMARC_UNALIGNED, NULL }
};
#define N_MESSAGES (sizeof MESSAGES / sizeof MESSAGES[0])

/* ---- the threads ---- */

struct worker {
	pthread_t thread;
	unsigned int id;
	unsigned long evals;
	const dmarc_ctx *ctx;
	unsigned long checked, mismatches;
};

static atomic_ulong reported;

static void mismatch(struct worker *w, unsigned long i, const char *what,
    long got, long want)
{
	w->mismatches++;
	if (atomic_fetch_add(&reported, 1) < MAX_REPORTED)
		fprintf(stderr, "thread %u evaluation %lu (message %lu, %s): %s "
		    "%ld, want %ld\n", w->id, i, (i + w->id) % N_MESSAGES,
		    MESSAGES[(i + w->id) % N_MESSAGES].from, what, got, want);
}

static const char *result_word(dmarc_result r)
{
	switch (r) {
	case DMARC_RESULT_NONE:
		return "none";
	case DMARC_RESULT_PASS:
		return "pass";
	case DMARC_RESULT_FAIL:
		return "fail";
	case DMARC_RESULT_TEMPERROR:
		return "temperror";
	case DMARC_RESULT_PERMERROR:
		return "permerror";
	case DMARC_RESULT_PENDING:
		break;
	}
	return "none";
}

static void check_one(struct worker *w, dmarc_eval *ev, unsigned long i)
{
	const struct message *m = &MESSAGES[(i + w->id) % N_MESSAGES];
	const char *author;
	char field[512], want_text[64];
	dmarc_status st;

	dmarc_eval_reset(ev);
	if (dmarc_eval_add_from(ev, m->from, strlen(m->from)) != DMARC_OK)
		mismatch(w, i, "add_from", 1, 0);
	if (m->spf != 0) {
		(void)dmarc_eval_set_envelope_from(ev, m->spf_domain,
		    strlen(m->spf_domain));
		(void)dmarc_eval_set_spf(ev, m->spf, m->spf_domain,
		    strlen(m->spf_domain), DMARC_SPF_MAILFROM);
	}
	if (m->dkim != 0)
		(void)dmarc_eval_add_dkim(ev, m->dkim, m->dkim_domain,
		    strlen(m->dkim_domain), "s", 1);
	st = dmarc_eval_run(ev);
	w->checked++;
	if (st != m->status) {
		mismatch(w, i, "status", st, m->status);
		return;
	}
	if (st != DMARC_OK)
		return;
	if (dmarc_eval_get_result(ev) != m->result)
		mismatch(w, i, "result", dmarc_eval_get_result(ev), m->result);
	if (dmarc_eval_get_disposition(ev) != m->disposition)
		mismatch(w, i, "disposition", dmarc_eval_get_disposition(ev),
		    m->disposition);
	if (dmarc_eval_get_spf_alignment(ev) != m->spf_align)
		mismatch(w, i, "SPF alignment", dmarc_eval_get_spf_alignment(ev),
		    m->spf_align);
	if (dmarc_eval_get_dkim_alignment(ev) != m->dkim_align)
		mismatch(w, i, "DKIM alignment",
		    dmarc_eval_get_dkim_alignment(ev), m->dkim_align);
	author = dmarc_eval_get_author_domain(ev);
	if ((author == NULL) != (m->author == NULL) ||
	    (author != NULL && strcmp(author, m->author) != 0))
		mismatch(w, i, "author domain", author != NULL ? 1 : 0,
		    m->author != NULL ? 1 : 0);
	/* the field written says the same */
	if (dmarc_eval_format_authres(ev, "mx.example.org", DMARC_AUTHRES_FIELD,
	    field,
	    sizeof field, NULL) != DMARC_OK) {
		mismatch(w, i, "format", 1, 0);
		return;
	}
	snprintf(want_text, sizeof want_text, "\tdmarc=%s",
	    result_word(m->result));
	if (strstr(field, want_text) == NULL)
		mismatch(w, i, "Authentication-Results", 0, 1);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	dmarc_eval *ev;
	unsigned long i;

	if (dmarc_eval_new(&ev, w->ctx) != DMARC_OK) {
		w->mismatches++;
		fprintf(stderr, "thread %u: dmarc_eval_new failed\n", w->id);
		return NULL;
	}
	for (i = 0; i < w->evals; i++)
		check_one(w, ev, i);
	dmarc_eval_free(ev);
	return NULL;
}

static unsigned long env_count(const char *name, unsigned long dflt,
    unsigned long max)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (v == NULL || *v == '\0')
		return dflt;
	n = strtoul(v, &end, 10);
	if (*end != '\0' || n == 0 || n > max) {
		fprintf(stderr, "%s=%s: not a count from 1 to %lu\n", name, v,
		    max);
		exit(EXIT_FAILURE);
	}
	return n;
}

int main(void)
{
	static struct worker workers[MAX_THREADS];
	char path[4096];
	const char *top = getenv("top_srcdir");
	unsigned long evals, total = 0, bad = 0;
	uint64_t hits = 0, misses = 0;
	unsigned int n_threads, t;
	dmarc_ctx *ctx;
	dmarc_status st;

	evals = env_count("DMARC_STRESS_EVALS", DEFAULT_EVALS, 100000000ul);
	n_threads = (unsigned int)env_count("DMARC_STRESS_THREADS",
	    DEFAULT_THREADS, MAX_THREADS);
	snprintf(path, sizeof path, "%s/test/data/psl-test.dat",
	    top != NULL && top[0] != '\0' ? top : "..");

	if (dmarc_ctx_new(&ctx) != DMARC_OK ||
	    dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489) != DMARC_OK ||
	    dmarc_ctx_set_lookup(ctx, lookup, NULL) != DMARC_OK ||
	    dmarc_ctx_set_cache(ctx, 256) != DMARC_OK) {
		fprintf(stderr, "cannot set up the context\n");
		return EXIT_FAILURE;
	}
	if ((st = dmarc_ctx_load_psl(ctx, path)) != DMARC_OK) {
		fprintf(stderr, "%s: %s\n", path, dmarc_strerror(st));
		return EXIT_FAILURE;
	}

	for (t = 0; t < n_threads; t++) {
		workers[t].id = t;
		workers[t].evals = evals;
		workers[t].ctx = ctx;
		if (pthread_create(&workers[t].thread, NULL, work,
		    &workers[t]) != 0) {
			fprintf(stderr, "cannot start thread %u\n", t);
			return EXIT_FAILURE;
		}
	}
	for (t = 0; t < n_threads; t++) {
		pthread_join(workers[t].thread, NULL);
		total += workers[t].checked;
		bad += workers[t].mismatches;
	}
	dmarc_ctx_get_cache_stats(ctx, &hits, &misses);
	dmarc_ctx_free(ctx);

	printf("%u threads x %lu evaluations: %lu checked, %lu mismatches; "
	    "%lu lookups, cache %lu hits %lu misses\n", n_threads, evals,
	    total, bad, atomic_load(&lookups), (unsigned long)hits,
	    (unsigned long)misses);
	if (total != evals * n_threads) {
		fprintf(stderr, "only %lu of %lu evaluations ran\n", total,
		    evals * n_threads);
		return EXIT_FAILURE;
	}
	if (hits == 0) {
		fprintf(stderr, "the shared cache was never hit\n");
		return EXIT_FAILURE;
	}
	printf("%lu passed, %lu failed\n", total - bad, bad);
	return bad == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
