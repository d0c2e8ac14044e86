/*
 * Discovery benchmarks (not tests).  Modes:
 *   psl-lib N      bare libpsl psl_registrable_domain() on a
 *                  psl_load_file() context, N rounds over the names
 *   psl-dmarc N    dmarc_psl_org_domain() on the same list and names
 *   walk3 N        RFC 9989 discovery for a 3-label name, in-memory DNS
 *   walk12 N       the same for a 12-label name
 *   cached N       walk12 with the answer cache warm (all hits)
 * run-bench.sh runs each under callgrind twice and takes the difference.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include <dmarc/dmarc.h>

static const char *const names[] = {
	"mail.example.co.uk", "www.example.com", "a.b.example.org",
	"user.github.io", "x.blogspot.com", "shop.example.de",
	"news.bbc.co.uk", "mail.google.com",
};
#define N_NAMES (sizeof names / sizeof names[0])

static const char *psl_file(void)
{
	const char *f = getenv("DMARC_BENCH_PSL");

	return f != NULL ? f : "/usr/share/publicsuffix/public_suffix_list.dat";
}

static int bench_psl_lib(long rounds)
{
	psl_ctx_t *psl = psl_load_file(psl_file());
	volatile size_t sink = 0;
	long r;
	size_t i;

	if (psl == NULL)
		return 1;
	for (r = 0; r < rounds; r++)
		for (i = 0; i < N_NAMES; i++) {
			const char *od = psl_registrable_domain(psl, names[i]);
			sink += od != NULL ? strlen(od) : 0;
		}
	psl_free(psl);
	return 0;
}

static int bench_psl_dmarc(long rounds)
{
	char out[DMARC_DOMAIN_SIZE];
	volatile size_t sink = 0;
	dmarc_ctx *ctx;
	long r;
	size_t i;
	size_t found;

	if (dmarc_ctx_new(&ctx) != DMARC_OK ||
	    dmarc_ctx_load_psl(ctx, psl_file()) != DMARC_OK)
		return 1;
	for (r = 0; r < rounds; r++)
		for (i = 0; i < N_NAMES; i++) {
			dmarc_psl_org_domain(ctx, names[i], strlen(names[i]),
			    out, sizeof out, &found);
			sink += found;
		}
	dmarc_ctx_free(ctx);
	return 0;
}

/* In-memory DNS: a record at example.com only. */
static void lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	static const char rec[] = "v=DMARC1; p=reject; rua=mailto:d@example.com";

	(void)user;
	if (qtype == DMARC_RR_TXT && strcmp(qname, "_dmarc.example.com") == 0)
		dmarc_dns_answer_add_txt(answer, rec, sizeof rec - 1);
	else
		dmarc_dns_answer_set(answer, DMARC_DNS_NXDOMAIN, 300);
}

static unsigned long fixed_clock(void *user)
{
	(void)user;
	return 1000;
}

static int bench_walk(const char *name, long rounds, int cached)
{
	dmarc_discovery *d;
	dmarc_ctx *ctx;
	long r;

	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 1;
	dmarc_ctx_set_lookup(ctx, lookup, NULL);
	dmarc_ctx_set_clock(ctx, fixed_clock, NULL);
	if (cached)
		dmarc_ctx_set_cache(ctx, 64);
	if (dmarc_discovery_new(&d, ctx) != DMARC_OK)
		return 1;
	for (r = 0; r < rounds; r++) {
		if (dmarc_discovery_start(d, name, strlen(name)) != DMARC_OK ||
		    dmarc_discovery_run(d) != DMARC_OK ||
		    dmarc_discovery_get_result(d) != DMARC_DISCOVERY_FOUND)
			return 1;
	}
	dmarc_discovery_free(d);
	dmarc_ctx_free(ctx);
	return 0;
}

int main(int argc, char **argv)
{
	long rounds = argc > 2 ? atol(argv[2]) : 1000;
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "psl-lib") == 0)
		return bench_psl_lib(rounds);
	if (strcmp(mode, "psl-dmarc") == 0)
		return bench_psl_dmarc(rounds);
	if (strcmp(mode, "walk3") == 0)
		return bench_walk("mail.example.com", rounds, 0);
	if (strcmp(mode, "walk12") == 0)
		return bench_walk("a.b.c.d.e.f.g.h.i.mail.example.com", rounds, 0);
	if (strcmp(mode, "cached") == 0)
		return bench_walk("a.b.c.d.e.f.g.h.i.mail.example.com", rounds, 1);
	fputs("usage: bench-discovery psl-lib|psl-dmarc|walk3|walk12|cached "
	    "[ROUNDS]\n", stderr);
	return 2;
}
