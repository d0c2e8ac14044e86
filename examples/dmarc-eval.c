/*
 * dmarc-eval: DMARC evaluation of one message, for scripts.  The message
 * (its header block is enough) is read on standard input; the SPF and
 * DKIM verdicts come from the options, or from the message's own
 * Authentication-Results fields written by a trusted authserv-id.
 *
 *   dmarc-eval [--spf RESULT:DOMAIN[:helo]] [--dkim RESULT:DOMAIN[:SELECTOR]]...
 *              [--ip ADDR] [--envelope-from DOMAIN] [--authserv-id ID]
 *              [--server ADDR[:PORT] | --zone FILE] [--mode 9989|7489]
 *              [--time EPOCH] [--spool FILE] [--json] < MESSAGE
 *   dmarc-eval --help | --version
 *
 * RESULT is an SPF or DKIM result word (pass, fail, softfail, neutral,
 * none, temperror, permerror, policy).  --spf gives the MAIL FROM result
 * (":helo": the HELO identity's, which counts only for the null
 * envelope sender).  --envelope-from "" is the null reverse-path; without
 * the option the message's Return-Path is used when it has one.
 * --authserv-id ID: take the verdicts from the message's
 * Authentication-Results fields with that authserv-id instead (not with
 * --spf or --dkim); ID also names the host in the field written, which
 * otherwise is this host's name.  DNS: the system resolver, the given
 * server, or a zone file in examples/data/demo.zone format.
 *
 * --spool FILE: after the evaluation, append the message's aggregate
 * report row to the spool FILE (libdmarc-spool(5); created when missing,
 * reopened when a collector renamed it), for dmarc-reports(1).  A message
 * with nothing to report (no usable policy record, DMARC not applicable)
 * appends nothing.  --time EPOCH: when the message arrived, in seconds
 * since the epoch (default: now); it decides the report's period.
 *
 * Output: one "name: value" line per fact, or with --json one object with
 * result, author_domain, policy_domain, org_domain, applied_tag,
 * requested_policy, disposition, spf_aligned, dkim_aligned, reasons,
 * authentication_results and error ("from" when DMARC does not apply to
 * the From field).
 *
 * Exit status: 0 pass, 1 fail, 2 none, temperror, permerror or not
 * applicable, 3 usage or system error (a spool that cannot be opened or
 * written too, reported on standard error after the output).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dmarc/dmarc.h>

#include "print.h"

#include "zone-file.h"

struct options {
	const char *spf;
	const char **dkim;
	size_t n_dkim;
	const char *ip;
	const char *envelope_from;
	const char *authserv_id;
	const char *server;
	const char *zone;
	const char *spool;
	unsigned long long time;    /* arrival (with has_time) */
	int has_time;
	int json;
};

/* What the evaluation came to, as printed. */
struct report {
	const char *result, *author, *policy_domain, *org_domain, *tag;
	const char *requested, *disposition, *error;
	int spf_aligned, dkim_aligned;    /* dmarc_alignment_result */
	char *authres;
};

/* "RESULT:DOMAIN[:EXTRA]": 0 and the parts, or -1. */
static int split_verdict(const char *arg, dmarc_verdict *v,
    const char **domain, size_t *dlen, const char **extra)
{
	const char *c1 = strchr(arg, ':'), *c2;

	if (c1 == NULL ||
	    dmarc_verdict_parse(arg, (size_t)(c1 - arg), v) != DMARC_OK)
		return -1;
	*domain = c1 + 1;
	c2 = strchr(*domain, ':');
	*dlen = c2 != NULL ? (size_t)(c2 - *domain) : strlen(*domain);
	*extra = c2 != NULL ? c2 + 1 : NULL;
	return 0;
}

/* The scope after the domain: MAIL FROM when absent, else a keyword of
 * dmarc_spf_scope_parse() (helo, mfrom, mailfrom). */
static int spf_scope(const char *extra, dmarc_spf_scope *scope)
{
	if (extra == NULL) {
		*scope = DMARC_SPF_MAILFROM;
		return 0;
	}
	return dmarc_spf_scope_parse(extra, strlen(extra), scope) == DMARC_OK ?
	    0 : -1;
}

static void json_key(const char *key, const char *value, int first)
{
	printf("%s\"%s\": ", first ? "" : ", ", key);
	json_string(value);
}

static void print_json(const dmarc_eval *ev, const struct report *r)
{
	size_t i, n = r->error == NULL ? dmarc_eval_get_reason_count(ev) : 0;

	putchar('{');
	json_key("result", r->result, 1);
	json_key("author_domain", r->author, 0);
	json_key("policy_domain", r->policy_domain, 0);
	json_key("org_domain", r->org_domain, 0);
	json_key("applied_tag", r->tag, 0);
	json_key("requested_policy", r->requested, 0);
	json_key("disposition", r->disposition, 0);
	printf(", \"spf_aligned\": %s, \"dkim_aligned\": %s",
	    r->spf_aligned != DMARC_UNALIGNED ? "true" : "false",
	    r->dkim_aligned != DMARC_UNALIGNED ? "true" : "false");
	fputs(", \"reasons\": [", stdout);
	for (i = 0; i < n; i++) {
		printf("%s{", i > 0 ? ", " : "");
		json_key("type", dmarc_reason_name(dmarc_eval_get_reason(ev, i)),
		    1);
		json_key("comment", dmarc_eval_get_reason_comment(ev, i), 0);
		putchar('}');
	}
	putchar(']');
	json_key("authentication_results", r->authres, 0);
	json_key("error", r->error, 0);
	fputs("}\n", stdout);
}

static void print_line(const char *label, const char *value)
{
	printf("%-23s %s\n", label, value != NULL ? value : "-");
}

static const char *alignment_text(int a)
{
	return a == DMARC_ALIGNED_EXACT ? "yes (exact)" :
	    a == DMARC_ALIGNED_ORG ? "yes (org)" : "no";
}

static void print_text(const dmarc_eval *ev, const struct report *r)
{
	size_t i, n = r->error == NULL ? dmarc_eval_get_reason_count(ev) : 0;
	const char *s;

	print_line("result:", r->result);
	print_line("author domain:", r->author);
	print_line("policy domain:", r->policy_domain);
	print_line("org domain:", r->org_domain);
	print_line("applied tag:", r->tag);
	print_line("requested policy:", r->requested);
	print_line("disposition:", r->disposition);
	print_line("spf aligned:", r->result != NULL ?
	    alignment_text(r->spf_aligned) : NULL);
	print_line("dkim aligned:", r->result != NULL ?
	    alignment_text(r->dkim_aligned) : NULL);
	for (i = 0; i < n; i++) {
		const char *c = dmarc_eval_get_reason_comment(ev, i);
		const char *type = dmarc_reason_name(dmarc_eval_get_reason(ev, i));
		printf("%-23s %s%s%s\n", "reason:", type != NULL ? type : "?",
		    c != NULL ? ": " : "", c != NULL ? c : "");
	}
	/* the field on one line: folding undone, the tabs made spaces */
	printf("%-23s ", "authentication-results:");
	for (s = r->authres; s != NULL && *s != '\0'; s++)
		if (*s != '\r' && *s != '\n')
			putchar(*s == '\t' ? ' ' : *s);
	puts(r->authres != NULL ? "" : "-");
	print_line("error:", r->error);
}

/* The Authentication-Results field (malloc'd), or NULL. */
static char *format_authres(const dmarc_eval *ev, const char *id)
{
	size_t need = 0;
	char *buf;

	if (dmarc_eval_format_authres(ev, id, DMARC_AUTHRES_FIELD, NULL, 0,
	    &need) != DMARC_EBUFFER ||
	    (buf = malloc(need + 1)) == NULL)
		return NULL;
	if (dmarc_eval_format_authres(ev, id, DMARC_AUTHRES_FIELD, buf,
	    need + 1, NULL) != DMARC_OK) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ------------------------------------------------------------ options */

/* The usage text: on stdout and status 0 for --help, else on stderr. */
static int usage(FILE *fp, int status)
{
	fputs("usage: dmarc-eval [--spf RESULT:DOMAIN[:helo]] "
	    "[--dkim RESULT:DOMAIN[:SELECTOR]]...\n"
	    "                  [--ip ADDR] [--envelope-from DOMAIN] "
	    "[--authserv-id ID]\n"
	    "                  [--server ADDR[:PORT] | --zone FILE] "
	    "[--mode 9989|7489]\n"
	    "                  [--time EPOCH] [--spool FILE] [--json] "
	    "< MESSAGE\n"
	    "       dmarc-eval --help | --version\n", fp);
	return status;
}

static int check_verdict_arg(const char *arg, int spf)
{
	const char *domain, *extra;
	dmarc_spf_scope scope;
	dmarc_verdict v;
	size_t len;

	if (split_verdict(arg, &v, &domain, &len, &extra) != 0)
		return -1;
	return spf ? spf_scope(extra, &scope) : 0;
}

static int parse_args(int argc, char **argv, dmarc_ctx *ctx,
    struct options *o)
{
	int i;

	memset(o, 0, sizeof *o);
	if ((o->dkim = calloc((size_t)argc, sizeof *o->dkim)) == NULL)
		return -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--json") == 0) {
			o->json = 1;
			continue;
		}
		if (v == NULL)
			return -1;
		i++;
		if (strcmp(a, "--spf") == 0 && o->spf == NULL &&
		    check_verdict_arg(v, 1) == 0)
			o->spf = v;
		else if (strcmp(a, "--dkim") == 0 && check_verdict_arg(v, 0) == 0)
			o->dkim[o->n_dkim++] = v;
		else if (strcmp(a, "--ip") == 0)
			o->ip = v;
		else if (strcmp(a, "--envelope-from") == 0)
			o->envelope_from = v;
		else if (strcmp(a, "--authserv-id") == 0)
			o->authserv_id = v;
		else if (strcmp(a, "--server") == 0)
			o->server = v;
		else if (strcmp(a, "--zone") == 0)
			o->zone = v;
		else if (strcmp(a, "--spool") == 0 && *v != '\0')
			o->spool = v;
		else if (strcmp(a, "--time") == 0 &&
		    parse_decimal(v, &o->time) == 0)
			o->has_time = 1;
		else if (strcmp(a, "--mode") == 0 && strcmp(v, "9989") == 0)
			dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC9989);
		else if (strcmp(a, "--mode") == 0 && strcmp(v, "7489") == 0)
			dmarc_ctx_set_mode(ctx, DMARC_MODE_RFC7489);
		else
			return -1;
	}
	if (o->server != NULL && o->zone != NULL)
		return -1;
	if (o->authserv_id != NULL && (o->spf != NULL || o->n_dkim > 0))
		return -1;
	return 0;
}

/* The inputs: envelope, client, verdicts, then the fields. */
static int feed(dmarc_eval *ev, const struct options *o, const struct msg *m)
{
	const char *domain, *extra;
	dmarc_spf_scope scope = DMARC_SPF_MAILFROM;
	dmarc_verdict v;
	dmarc_status st;
	size_t i, len;

	if (o->envelope_from != NULL) {
		if (dmarc_eval_set_envelope_from(ev, o->envelope_from,
		    strlen(o->envelope_from)) != DMARC_OK) {
			fprintf(stderr, "dmarc-eval: bad --envelope-from %s\n",
			    o->envelope_from);
			return -1;
		}
	} else {
		for (i = 0; i < m->n_fields; i++)
			if (msg_field_is(&m->fields[i], "Return-Path"))
				break;
		if (i < m->n_fields) {
			int rp = msg_return_path(m->fields[i].value, &domain, &len);
			if (rp >= 0)
				dmarc_eval_set_envelope_from(ev, domain, rp > 0 ? len : 0);
		}
	}
	dmarc_eval_set_time(ev, o->has_time ? (uint64_t)o->time :
	    (uint64_t)time(NULL));
	if (o->ip != NULL && dmarc_eval_set_ip(ev, o->ip,
	    strlen(o->ip)) != DMARC_OK) {
		fprintf(stderr, "dmarc-eval: bad --ip %s\n", o->ip);
		return -1;
	}
	if (o->spf != NULL) {
		split_verdict(o->spf, &v, &domain, &len, &extra);
		spf_scope(extra, &scope);
		dmarc_eval_set_spf(ev, v, domain, len, scope);
	}
	for (i = 0; i < o->n_dkim; i++) {
		split_verdict(o->dkim[i], &v, &domain, &len, &extra);
		st = dmarc_eval_add_dkim(ev, v, domain, len, extra,
		    extra != NULL ? strlen(extra) : 0);
		if (st != DMARC_OK) {
			fprintf(stderr, "dmarc-eval: --dkim %s: %s\n", o->dkim[i],
			    dmarc_strerror(st));
			return -1;
		}
	}
	for (i = 0; i < m->n_fields; i++) {
		const struct msg_field *f = &m->fields[i];
		if (msg_field_is(f, "From"))
			st = dmarc_eval_add_from(ev, f->value, f->value_len);
		else if (o->authserv_id != NULL &&
		    msg_field_is(f, "Authentication-Results"))
			st = dmarc_eval_add_authres(ev, f->value, f->value_len,
			    NULL);
		else
			continue;
		if (st != DMARC_OK) {
			fprintf(stderr, "dmarc-eval: line %lu: %s: %s\n", f->line,
			    f->name, dmarc_strerror(st));
			return -1;
		}
	}
	return 0;
}

/* The result as an exit status. */
static int exit_status(dmarc_result r)
{
	switch (r) {
	case DMARC_RESULT_PASS: return 0;
	case DMARC_RESULT_FAIL: return 1;
	case DMARC_RESULT_NONE:
	case DMARC_RESULT_TEMPERROR:
	case DMARC_RESULT_PERMERROR: return 2;
	case DMARC_RESULT_PENDING: break;
	}
	return 3;
}

/* Append the evaluation's row to the spool (when there is one and the
 * message has something to report).  0, or 3 with a message. */
static int append_row(dmarc_spool *spool, const struct options *o,
    const dmarc_eval *ev)
{
	dmarc_status st;

	if (spool == NULL)
		return 0;
	st = dmarc_spool_append_eval(spool, ev);
	if (st == DMARC_OK || st == DMARC_ESTATE) /* ESTATE: nothing to report */
		return 0;
	if (st == DMARC_ESYSTEM)
		fprintf(stderr, "dmarc-eval: %s: %s\n", o->spool,
		    strerror(dmarc_spool_get_errno(spool)));
	else
		fprintf(stderr, "dmarc-eval: %s: %s\n", o->spool,
		    dmarc_strerror(st));
	return 3;
}

static int evaluate(dmarc_ctx *ctx, const struct options *o,
    const struct msg *m, dmarc_spool *spool)
{
	char host[256] = "localhost";
	const dmarc_discovery *d;
	struct report r;
	dmarc_eval *ev;
	dmarc_status st;
	int rc;

	if (dmarc_eval_new(&ev, ctx) != DMARC_OK) {
		fputs("dmarc-eval: out of memory\n", stderr);
		return 3;
	}
	if (feed(ev, o, m) != 0) {
		dmarc_eval_free(ev);
		return 3;
	}
	memset(&r, 0, sizeof r);
	st = dmarc_eval_run(ev);
	if (st == DMARC_EFROM) {
		r.error = "from";
		rc = 2;
	} else if (st != DMARC_OK) {
		r.error = dmarc_strerror(st);
		rc = 3;
	} else {
		d = dmarc_eval_get_discovery(ev);
		r.result = dmarc_result_name(dmarc_eval_get_result(ev));
		r.author = dmarc_eval_get_author_domain(ev);
		if (r.author != NULL) { /* else nothing was looked up */
			r.policy_domain = dmarc_discovery_get_policy_domain(d);
			r.org_domain = dmarc_discovery_get_org_domain(d);
			r.tag = tag_word(dmarc_discovery_get_applied_tag(d));
		}
		r.requested = policy_word(dmarc_eval_get_requested_policy(ev));
		r.disposition = dmarc_disposition_name(
		    dmarc_eval_get_applied_disposition(ev));
		r.spf_aligned = (int)dmarc_eval_get_spf_alignment(ev);
		r.dkim_aligned = (int)dmarc_eval_get_dkim_alignment(ev);
		if (o->authserv_id == NULL &&
		    (gethostname(host, sizeof host) != 0 || host[0] == '\0'))
			snprintf(host, sizeof host, "localhost");
		host[sizeof host - 1] = '\0';
		r.authres = format_authres(ev, o->authserv_id != NULL ?
		    o->authserv_id : host);
		rc = exit_status(dmarc_eval_get_result(ev));
	}
	if (st != DMARC_OK && st != DMARC_EFROM)
		fprintf(stderr, "dmarc-eval: %s\n", r.error);
	if (o->json)
		print_json(ev, &r);
	else
		print_text(ev, &r);
	fflush(stdout);
	if (st == DMARC_OK && append_row(spool, o, ev) != 0)
		rc = 3;
	free(r.authres);
	dmarc_eval_free(ev);
	return rc;
}

int main(int argc, char **argv)
{
	dmarc_resolver *r = NULL;
	dmarc_spool *spool = NULL;
	struct zone *z = NULL;
	dmarc_ctx *ctx = NULL;
	struct options o;
	struct msg m;
	char err[256];
	int rc = 3, e = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, 0);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("dmarc-eval (libdmarc) %s\n", dmarc_version());
		return 0;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 3;
	if (parse_args(argc, argv, ctx, &o) != 0) {
		free(o.dkim);
		dmarc_ctx_free(ctx);
		return usage(stderr, 3);
	}
	if (dmarc_ctx_get_mode(ctx) == DMARC_MODE_RFC7489 &&
	    dmarc_ctx_load_psl(ctx, NULL) != DMARC_OK) {
		fputs("dmarc-eval: cannot load the system Public Suffix List\n",
		    stderr);
		goto out;
	}
	if ((o.authserv_id != NULL &&
	    dmarc_ctx_add_authserv_id(ctx, o.authserv_id) != DMARC_OK)) {
		fprintf(stderr, "dmarc-eval: bad --authserv-id %s\n", o.authserv_id);
		goto out;
	}
	if (dns_setup(ctx, "dmarc-eval", o.zone, o.server, &z, &r) != 0)
		goto out;
	if (o.spool != NULL && dmarc_spool_open(&spool, ctx, o.spool, 0,
	    DMARC_SPOOL_FOLLOW, &e) != DMARC_OK) {
		fprintf(stderr, "dmarc-eval: %s: %s\n", o.spool,
		    e != 0 ? strerror(e) : "cannot open the spool");
		goto out;
	}
	if (msg_read(&m, stdin, dmarc_ctx_get_limit(ctx,
	    DMARC_LIMIT_HEADER_LENGTH), err, sizeof err) != 0) {
		fprintf(stderr, "dmarc-eval: standard input: %s\n", err);
		goto out;
	}
	rc = evaluate(ctx, &o, &m, spool);
	msg_free(&m);
out:
	dmarc_spool_close(spool);
	free(o.dkim);
	zone_free(z);
	dmarc_resolver_free(r);
	dmarc_ctx_free(ctx);
	return rc;
}
