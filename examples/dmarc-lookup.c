/*
 * dmarc-lookup: DMARC policy discovery for a domain with the default
 * resolver (or answers from a zone file): the record that applies, the
 * policy domain, the Organizational Domain, the method, the query count
 * and diagnostics; with --verify, each report URI's authorization and
 * where its reports go.
 *
 *   dmarc-lookup [--mode 9989|7489|9091] [--server ADDR[:PORT] | --zone FILE]
 *                [--psd NAME]... [--verify] [--json] DOMAIN
 *   dmarc-lookup --help | --version
 *
 * Exit status: 0 a record applies, 1 none applies (or it is unusable),
 * 2 temporary DNS failure (with --verify: also in the check of a report
 * destination), 3 usage or system error (with --verify: also when the
 * check could not be run).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "print.h"
#include "zone-file.h"

struct options {
	const char *domain;
	const char *server;
	const char *zone;
	int json;
	int verify;
};

/* Where the record was found; NULL (printed - or null) for nowhere. */
static const char *source_word(dmarc_source s)
{
	return s != DMARC_SOURCE_NONE ? dmarc_source_name(s) : NULL;
}

static void json_key(const char *key, const char *value, int first)
{
	printf("%s\"%s\": ", first ? "" : ", ", key);
	json_string(value);
}

/* The applied record in canonical form, or NULL; free() it.  Records
 * may be as long as DNS carries them, so the size is asked for first. */
static char *record_text(const dmarc_discovery *d)
{
	const dmarc_record *rec = dmarc_discovery_get_record(d);
	size_t len = 0;
	char *buf;

	if (rec == NULL || dmarc_record_format(rec, NULL, 0, &len) !=
	    DMARC_EBUFFER || (buf = malloc(len + 1)) == NULL)
		return NULL;
	if (dmarc_record_format(rec, buf, len + 1, NULL) != DMARC_OK) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The URIs the reports for URI i of tag go to, as a JSON list. */
static void print_destinations_json(const dmarc_discovery *d, dmarc_tag tag,
    size_t i)
{
	size_t k, n = dmarc_discovery_get_destination_count(d, tag, i);

	fputs(", \"destinations\": [", stdout);
	for (k = 0; k < n; k++) {
		fputs(k > 0 ? ", " : "", stdout);
		json_string(dmarc_uri_get_text(dmarc_discovery_get_destination(d,
		    tag, i, k)));
	}
	putchar(']');
}

static void print_uris_json(const dmarc_discovery *d, dmarc_tag tag)
{
	const dmarc_record *rec = dmarc_discovery_get_record(d);
	size_t i, n = dmarc_record_get_uri_count(rec, tag);

	printf(", \"%s\": [", dmarc_tag_name(tag));
	for (i = 0; i < n; i++) {
		printf("%s{", i > 0 ? ", " : "");
		json_key("uri", dmarc_uri_get_text(dmarc_record_get_uri(rec, tag,
		    i)), 1);
		json_key("authorization", dmarc_authorization_name(
		    dmarc_discovery_get_authorization(d, tag, i)), 0);
		print_destinations_json(d, tag, i);
		putchar('}');
	}
	putchar(']');
}

/* One "rua:" or "ruf:" line: the URI, its authorization and, when the
 * authorizing record replaced it, "-> " and the URIs that replace it. */
static void print_uri_text(const dmarc_discovery *d, dmarc_tag tag, size_t i)
{
	const dmarc_uri *u = dmarc_record_get_uri(dmarc_discovery_get_record(d),
	    tag, i);
	size_t k, n = dmarc_discovery_get_destination_count(d, tag, i);

	printf("%-15s %s %s", tag == DMARC_TAG_RUA ? "rua:" : "ruf:",
	    dmarc_uri_get_text(u), dmarc_authorization_name(
	    dmarc_discovery_get_authorization(d, tag, i)));
	for (k = 0; k < n && (n > 1 ||
	    dmarc_discovery_get_destination(d, tag, i, 0) != u); k++)
		printf("%s%s", k == 0 ? " -> " : ", ", dmarc_uri_get_text(
		    dmarc_discovery_get_destination(d, tag, i, k)));
	putchar('\n');
}

static void print_json(const dmarc_discovery *d, const struct options *o)
{
	char *text = record_text(d);
	size_t i, n = dmarc_discovery_get_diag_count(d);

	putchar('{');
	json_key("domain", dmarc_discovery_get_domain(d), 1);
	json_key("result",
	    dmarc_discovery_result_name(dmarc_discovery_get_result(d)), 0);
	json_key("record", text, 0);
	free(text);
	json_key("policy_domain", dmarc_discovery_get_policy_domain(d), 0);
	json_key("org_domain", dmarc_discovery_get_org_domain(d), 0);
	json_key("source", source_word(dmarc_discovery_get_source(d)), 0);
	json_key("method", dmarc_method_name(dmarc_discovery_get_method(d)), 0);
	json_key("applied_tag", tag_word(dmarc_discovery_get_applied_tag(d)), 0);
	json_key("policy", policy_word(dmarc_discovery_get_policy(d)), 0);
	printf(", \"queries\": %u", dmarc_discovery_get_query_count(d));
	json_key("failed_name", dmarc_discovery_get_failed_name(d), 0);
	if (o->verify && dmarc_discovery_get_record(d) != NULL) {
		print_uris_json(d, DMARC_TAG_RUA);
		print_uris_json(d, DMARC_TAG_RUF);
	}
	fputs(", \"diagnostics\": ", stdout);
	if (n == 0)
		fputs("null", stdout);
	for (i = 0; i < n; i++) {
		const dmarc_diag *g = dmarc_discovery_get_diag(d, i);
		printf("%s{", i == 0 ? "[" : ", ");
		json_key("code", dmarc_diag_get_name(g), 1);
		json_key("domain", dmarc_diag_get_domain(g), 0);
		json_key("text", dmarc_diag_get_text(g), 0);
		putchar('}');
	}
	fputs(n > 0 ? "]}\n" : "}\n", stdout);
}

static void print_line(const char *label, const char *value)
{
	printf("%-15s %s\n", label, value != NULL ? value : "-");
}

static void print_text(const dmarc_discovery *d, const struct options *o)
{
	static const dmarc_tag lists[] = { DMARC_TAG_RUA, DMARC_TAG_RUF };
	const dmarc_record *rec = dmarc_discovery_get_record(d);
	char *text = record_text(d);
	size_t i, k;

	print_line("domain:", dmarc_discovery_get_domain(d));
	print_line("result:",
	    dmarc_discovery_result_name(dmarc_discovery_get_result(d)));
	print_line("record:", text);
	free(text);
	print_line("policy domain:", dmarc_discovery_get_policy_domain(d));
	print_line("org domain:", dmarc_discovery_get_org_domain(d));
	print_line("source:", source_word(dmarc_discovery_get_source(d)));
	print_line("method:", dmarc_method_name(dmarc_discovery_get_method(d)));
	print_line("applied tag:", tag_word(dmarc_discovery_get_applied_tag(d)));
	print_line("policy:", policy_word(dmarc_discovery_get_policy(d)));
	printf("%-15s %u\n", "queries:", dmarc_discovery_get_query_count(d));
	print_line("failed name:", dmarc_discovery_get_failed_name(d));
	for (k = 0; o->verify && rec != NULL && k < 2; k++)
		for (i = 0; i < dmarc_record_get_uri_count(rec, lists[k]); i++)
			print_uri_text(d, lists[k], i);
	for (i = 0; i < dmarc_discovery_get_diag_count(d); i++) {
		const dmarc_diag *g = dmarc_discovery_get_diag(d, i);
		const char *at = dmarc_diag_get_domain(g);
		printf("%-15s %s%s%s: %s\n", "diagnostic:",
		    dmarc_diag_get_name(g), at != NULL ? " at " : "",
		    at != NULL ? at : "", dmarc_diag_get_text(g));
	}
}

/* The usage text: on stdout and status 0 for --help, else on stderr. */
static int usage(FILE *fp, int status)
{
	fputs("usage: dmarc-lookup [--mode 9989|7489|9091]\n"
	    "                    [--server ADDR[:PORT] | --zone FILE]\n"
	    "                    [--psd NAME]... [--verify] [--json] DOMAIN\n"
	    "       dmarc-lookup --help | --version\n", fp);
	return status;
}

static int set_mode(dmarc_ctx *ctx, const char *arg)
{
	if (strcmp(arg, "9989") == 0)
		return dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC9989);
	if (strcmp(arg, "7489") == 0)
		return dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489);
	if (strcmp(arg, "9091") == 0)
		return dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489_PSD);
	return -1;
}

static int parse_args(int argc, char **argv, dmarc_ctx *ctx,
    struct options *o)
{
	int i;

	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int more = i + 1 < argc;
		if (strcmp(a, "--json") == 0)
			o->json = 1;
		else if (strcmp(a, "--verify") == 0)
			o->verify = 1;
		else if (strcmp(a, "--mode") == 0 && more) {
			if (set_mode(ctx, argv[++i]) != DMARC_OK)
				return -1;
		} else if (strcmp(a, "--server") == 0 && more)
			o->server = argv[++i];
		else if (strcmp(a, "--zone") == 0 && more)
			o->zone = argv[++i];
		else if (strcmp(a, "--psd") == 0 && more) {
			a = argv[++i];
			if (dmarc_ctx_add_psd(ctx, a) != DMARC_OK)
				return -1;
		} else if (a[0] == '-' || o->domain != NULL)
			return -1;
		else
			o->domain = a;
	}
	if (o->server != NULL && o->zone != NULL)
		return -1;
	return o->domain != NULL ? 0 : -1;
}

/* The check of the record's external report destinations: 0 done, 2 a
 * destination could not be checked (temporary DNS failure), 3 the check
 * failed (its status is printed). */
static int verify(dmarc_discovery *d, const char *domain)
{
	static const dmarc_tag lists[] = { DMARC_TAG_RUA, DMARC_TAG_RUF };
	const dmarc_record *rec;
	dmarc_status st;
	size_t i, k;
	int rc = 0;

	if (dmarc_discovery_get_result(d) != DMARC_DISCOVERY_FOUND)
		return 0; /* no record, nothing to check */
	if ((st = dmarc_discovery_start_verify(d)) != DMARC_OK ||
	    (st = dmarc_discovery_run(d)) != DMARC_OK) {
		fprintf(stderr, "dmarc-lookup: %s: verification failed: %s\n",
		    domain, dmarc_strerror(st));
		return 3;
	}
	rec = dmarc_discovery_get_record(d);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < dmarc_record_get_uri_count(rec, lists[k]); i++) {
			if (dmarc_discovery_get_authorization(d, lists[k], i) !=
			    DMARC_AUTH_TEMPFAIL)
				continue;
			fprintf(stderr, "dmarc-lookup: %s: %s could not be "
			    "verified: temporary DNS failure\n", domain,
			    dmarc_uri_get_text(dmarc_record_get_uri(rec,
			    lists[k], i)));
			rc = 2;
		}
	}
	return rc;
}

static int lookup(dmarc_ctx *ctx, const struct options *o)
{
	dmarc_discovery *d;
	dmarc_status st;
	int rc, vrc = 0;

	if ((st = dmarc_discovery_new(&d, ctx)) != DMARC_OK ||
	    (st = dmarc_discovery_start(d, o->domain, strlen(o->domain))) !=
	    DMARC_OK || (st = dmarc_discovery_run(d)) != DMARC_OK) {
		fprintf(stderr, "dmarc-lookup: %s: %s\n", o->domain,
		    dmarc_strerror(st));
		dmarc_discovery_free(d);
		return 3;
	}
	if (o->verify)
		vrc = verify(d, o->domain);
	if (o->json)
		print_json(d, o);
	else
		print_text(d, o);
	switch (dmarc_discovery_get_result(d)) {
	case DMARC_DISCOVERY_FOUND: rc = 0; break;
	case DMARC_DISCOVERY_TEMPERROR: rc = 2; break;
	default: rc = 1; break;
	}
	dmarc_discovery_free(d);
	return vrc > rc ? vrc : rc;
}

int main(int argc, char **argv)
{
	dmarc_resolver *r = NULL;
	struct zone *z = NULL;
	dmarc_ctx *ctx;
	struct options o;
	int rc = 3;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, 0);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("dmarc-lookup (libdmarc) %s\n", dmarc_version());
		return 0;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 3;
	if (parse_args(argc, argv, ctx, &o) != 0) {
		dmarc_ctx_free(ctx);
		return usage(stderr, 3);
	}
	if (dns_setup(ctx, "dmarc-lookup", o.zone, o.server, &z, &r) == 0)
		rc = lookup(ctx, &o);
	zone_free(z);
	dmarc_resolver_free(r);
	dmarc_ctx_free(ctx);
	return rc;
}
