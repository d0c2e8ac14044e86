/*
 * Writes a small but complete aggregate report with the XML writer
 * (lib/report/xml_writer.c) to standard output, for test/report-xmllint.sh
 * to validate against the schemas:
 *
 *   report-sample rfc9990|rfc7489|rfc7489-prefixed|rfc7489-qualified [pretty]
 *
 * rfc9990 is the RFC 9990 form (default namespace, an extension element
 * in a namespace of its own); rfc7489 the no-namespace RFC 7489 form
 * libdmarc emits; rfc7489-prefixed the RFC 7489 schema's literal form
 * (d:feedback, children in no namespace); rfc7489-qualified the form
 * with a default namespace.  Text fields carry bytes from hostile mail
 * (invalid UTF-8, controls), which must still validate.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "report/xml_writer.h"

/* A document as a list of steps: START name, LEAF name text, ATTR name
 * value (on the element just started), END name. */
enum step_kind { START, LEAF, ATTR, END };
struct step {
	enum step_kind kind;
	const char *name, *text;
};

#define HOSTILE "bad \xC0\xAF utf-8 \xED\xA0\x80 and \x01 controls"

static const struct step rfc9990_body[] = {
	{ LEAF, "version", "1.0" },
	{ START, "report_metadata", NULL },
	{ LEAF, "org_name", "receiver.example" },
	{ LEAF, "email", "dmarc-reports@receiver.example" },
	{ START, "extra_contact_info", NULL },
	{ ATTR, "lang", "en" },
	{ END, "extra_contact_info", NULL },
	{ LEAF, "report_id", "1700006400-example.com@receiver.example" },
	{ START, "date_range", NULL },
	{ LEAF, "begin", "1700006400" },
	{ LEAF, "end", "1700092799" },
	{ END, "date_range", NULL },
	{ LEAF, "generator", "libdmarc 0.1.0" },
	{ END, "report_metadata", NULL },
	{ START, "policy_published", NULL },
	{ LEAF, "domain", "example.com" },
	{ LEAF, "discovery_method", "treewalk" },
	{ LEAF, "p", "reject" },
	{ LEAF, "testing", "n" },
	{ END, "policy_published", NULL },
	{ START, "extension", NULL },
	{ LEAF, "ext:note", "<&> \"quoted\"" },
	{ END, "extension", NULL },
	{ START, "record", NULL },
	{ START, "row", NULL },
	{ LEAF, "source_ip", "2001:db8::1" },
	{ LEAF, "count", "3" },
	{ START, "policy_evaluated", NULL },
	{ LEAF, "disposition", "pass" },
	{ LEAF, "dkim", "pass" },
	{ LEAF, "spf", "fail" },
	{ START, "reason", NULL },
	{ LEAF, "type", "local_policy" },
	{ START, "comment", NULL },
	{ ATTR, "lang", "en" },
	{ LEAF, NULL, HOSTILE }, /* text of the open element */
	{ END, "comment", NULL },
	{ END, "reason", NULL },
	{ END, "policy_evaluated", NULL },
	{ END, "row", NULL },
	{ START, "identifiers", NULL },
	{ LEAF, "header_from", "example.com" },
	{ LEAF, "envelope_from", "" },
	{ END, "identifiers", NULL },
	{ START, "auth_results", NULL },
	{ START, "dkim", NULL },
	{ LEAF, "domain", "example.com" },
	{ LEAF, "selector", "sel1" },
	{ LEAF, "result", "pass" },
	{ LEAF, "human_result", HOSTILE },
	{ END, "dkim", NULL },
	{ END, "auth_results", NULL },
	{ LEAF, "ext:record-note", "record-level extension" },
	{ END, "record", NULL },
};

static const struct step rfc7489_body[] = {
	{ LEAF, "version", "1.0" },
	{ START, "report_metadata", NULL },
	{ LEAF, "org_name", "receiver.example" },
	{ LEAF, "email", "dmarc-reports@receiver.example" },
	{ LEAF, "report_id", "1700000000.example.com" },
	{ START, "date_range", NULL },
	{ LEAF, "begin", "1700006400" },
	{ LEAF, "end", "1700092799" },
	{ END, "date_range", NULL },
	{ LEAF, "error", HOSTILE },
	{ END, "report_metadata", NULL },
	{ START, "policy_published", NULL },
	{ LEAF, "domain", "example.com" },
	{ LEAF, "p", "reject" },
	{ LEAF, "sp", "reject" },
	{ LEAF, "pct", "100" },
	{ LEAF, "fo", "0" },
	{ END, "policy_published", NULL },
	{ START, "record", NULL },
	{ START, "row", NULL },
	{ LEAF, "source_ip", "2001:db8:0:0:0:0:0:1" },
	{ LEAF, "count", "2" },
	{ START, "policy_evaluated", NULL },
	{ LEAF, "disposition", "none" },
	{ LEAF, "dkim", "fail" },
	{ LEAF, "spf", "fail" },
	{ START, "reason", NULL },
	{ LEAF, "type", "sampled_out" },
	{ LEAF, "comment", HOSTILE },
	{ END, "reason", NULL },
	{ END, "policy_evaluated", NULL },
	{ END, "row", NULL },
	{ START, "identifiers", NULL },
	{ LEAF, "envelope_from", "example.com" },
	{ LEAF, "header_from", "example.com" },
	{ END, "identifiers", NULL },
	{ START, "auth_results", NULL },
	{ START, "spf", NULL },
	{ LEAF, "domain", "example.com" },
	{ LEAF, "scope", "mfrom" },
	{ LEAF, "result", "softfail" },
	{ END, "spf", NULL },
	{ END, "auth_results", NULL },
	{ END, "record", NULL },
};

static dmarc_status to_stdout(void *user, const char *data, size_t len)
{
	(void)user;
	return fwrite(data, 1, len, stdout) == len ? DMARC_OK : DMARC_EBUFFER;
}

static dmarc_status run_step(struct dmarc__xml_writer *w,
    const struct step *s)
{
	const char *text = s->text != NULL ? s->text : "";

	switch (s->kind) {
	case START: return dmarc__xml_start(w, s->name);
	case ATTR: return dmarc__xml_attribute(w, s->name, text, strlen(text));
	case END: return dmarc__xml_end(w, s->name);
	case LEAF:
		if (s->name == NULL)
			return dmarc__xml_text(w, text, strlen(text));
		return dmarc__xml_element(w, s->name, text, strlen(text));
	}
	return DMARC_EINVAL;
}

static dmarc_status write_report(struct dmarc__xml_writer *w,
    const char *form)
{
	static const struct dmarc__xml_ns ext = { "ext", "urn:example:dmarc-ext" };
	static const struct dmarc__xml_ns d = { "d",
	    "http://dmarc.org/dmarc-xml/0.1" };
	const struct step *body = rfc7489_body;
	size_t n = sizeof rfc7489_body / sizeof rfc7489_body[0], i;
	const char *root = "feedback";
	dmarc_status st = dmarc__xml_declaration(w);

	if (st != DMARC_OK)
		return st;
	if (strcmp(form, "rfc9990") == 0) {
		body = rfc9990_body;
		n = sizeof rfc9990_body / sizeof rfc9990_body[0];
		st = dmarc__xml_start_root(w, root,
		    "urn:ietf:params:xml:ns:dmarc-2.0", &ext, 1);
	} else if (strcmp(form, "rfc7489") == 0) {
		st = dmarc__xml_start_root(w, root, NULL, NULL, 0);
	} else if (strcmp(form, "rfc7489-prefixed") == 0) {
		root = "d:feedback";
		st = dmarc__xml_start_root(w, root, NULL, &d, 1);
	} else if (strcmp(form, "rfc7489-qualified") == 0) {
		st = dmarc__xml_start_root(w, root, d.uri, NULL, 0);
	} else {
		return DMARC_EINVAL;
	}
	for (i = 0; i < n && st == DMARC_OK; i++)
		st = run_step(w, &body[i]);
	if (st == DMARC_OK)
		st = dmarc__xml_end(w, root);
	return st == DMARC_OK ? dmarc__xml_finish(w) : st;
}

int main(int argc, char **argv)
{
	struct dmarc__xml_writer *w;
	dmarc_status st;
	dmarc_ctx *ctx;

	if (argc < 2) {
		fputs("usage: report-sample rfc9990|rfc7489|rfc7489-prefixed|"
		    "rfc7489-qualified [pretty]\n", stderr);
		return 2;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 1;
	st = dmarc__xml_writer_new(&w, ctx, dmarc__sink_make(to_stdout, NULL),
	    argc > 2 && strcmp(argv[2], "pretty") == 0 ? DMARC__XML_PRETTY : 0);
	if (st == DMARC_OK) {
		st = write_report(w, argv[1]);
		dmarc__xml_writer_free(w);
	}
	dmarc_ctx_free(ctx);
	if (st != DMARC_OK) {
		fprintf(stderr, "report-sample: %s\n", dmarc_strerror(st));
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
