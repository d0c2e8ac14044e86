/*
 * Writes report emails built by lib/report/mail.c to standard output,
 * for test/report-mail.sh to parse with Python's email package:
 *
 *   report-mail-sample xml          the XML the reports carry
 *   report-mail-sample report       gzip-compressed, with a text part
 *   report-mail-sample report-long  plain XML, host id and parts, long
 *                                   names: a folded Subject, no text
 *   report-mail-sample error        an RFC 7489 7.2.2 error report
 *
 * Names come from lib/report/report_name.c, the gzip from gzip_sink.c.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "report/gzip_sink.h"
#include "report/mail.h"
#include "report/report_name.h"

static const char xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n"
    "  <version>1.0</version>\n"
    "  <report_metadata><org_name>receiver.example</org_name>"
    "<report_id>1717200000.example.com@receiver.example</report_id>"
    "</report_metadata>\n"
    "</feedback>\n";

static const char summary[] =
    "This is an aggregate DMARC report (RFC 9990) for example.com\n"
    "from receiver.example, 2024-06-01 00:00:00 to 23:59:59 UTC.\n"
    "\n"
    "-- \n"
    "libdmarc\n";

#define BEGIN UINT64_C(1717200000) /* 2024-06-01T00:00:00Z */
#define END (BEGIN + 86399)
#define LONG_DOMAIN "a-rather-long-policy-domain-name.subsidiary.example.com"
#define LONG_SUBMITTER "reports.mail-receiver-with-a-long-name.example.net"

static dmarc_status to_stdout(void *user, const char *data, size_t len)
{
	(void)user;
	return fwrite(data, 1, len, stdout) == len ? DMARC_OK : DMARC_EBUFFER;
}

/* The report's message with the XML, gzip-compressed when gzip. */
static dmarc_status write_report(const dmarc_ctx *ctx,
    struct dmarc__mail_spec *spec, const char *host_id, unsigned int part,
    unsigned int n_parts)
{
	char rid[DMARC__REPORT_ID_SIZE], file[DMARC__REPORT_FILENAME_SIZE];
	struct dmarc__filter f[2];
	struct dmarc__gzip *gz = NULL;
	struct dmarc__mail *m;
	dmarc_status st;

	st = dmarc__report_id(rid, sizeof rid, NULL, spec->policy_domain, BEGIN,
	    spec->submitter, host_id, part, n_parts);
	if (st == DMARC_OK)
		st = dmarc__report_filename(file, sizeof file, NULL,
		    spec->submitter, spec->policy_domain, BEGIN, END, host_id,
		    part, n_parts, spec->gzip);
	if (st != DMARC_OK)
		return st;
	spec->report_id = rid;
	spec->filename = file;
	if ((st = dmarc__mail_new(&m, ctx, dmarc__sink_make(to_stdout, NULL),
	    spec)) != DMARC_OK)
		return st;
	f[1] = dmarc__mail_filter(m);
	f[0] = f[1];
	if (spec->gzip && (st = dmarc__gzip_new(&gz, ctx,
	    dmarc__filter_sink(&f[1]), 9)) == DMARC_OK)
		f[0] = dmarc__gzip_filter(gz);
	if (st == DMARC_OK)
		st = dmarc__filter_write(&f[0], xml, strlen(xml));
	if (st == DMARC_OK && gz != NULL)
		st = dmarc__filter_finish(&f[0]);
	if (st == DMARC_OK)
		st = dmarc__filter_finish(&f[1]);
	dmarc__gzip_free(gz);
	dmarc__mail_free(m);
	return st;
}

static dmarc_status write_error(const dmarc_ctx *ctx)
{
	static const char *const uris[] = {
	    "mailto:dmarc@" LONG_DOMAIN "!10k",
	    "mailto:reports@third-party-reports.example.org!50k",
	    "mailto:x@example.com" };
	struct dmarc__mail_error_spec spec = {
		"dmarc-noreply@receiver.example", "dmarc@example.com",
		BEGIN + 90000, "error.1717200000.example.com@receiver.example",
		"example.com", "1717200000.example.com@receiver.example", 123456,
		"receiver.example", uris, 3,
		"The report was larger than every size limit of the rua tag.\n" };

	return dmarc__mail_error_report(ctx, dmarc__sink_make(to_stdout, NULL),
	    &spec);
}

int main(int argc, char **argv)
{
	struct dmarc__mail_spec spec = {
		"dmarc-noreply@receiver.example", "dmarc@example.com",
		"example.com", "receiver.example", NULL,
		"1717200000.example.com@receiver.example", BEGIN + 86400, NULL,
		true, summary };
	const char *what = argc > 1 ? argv[1] : "";
	dmarc_status st = DMARC_EINVAL;
	dmarc_ctx *ctx;

	if (strcmp(what, "xml") == 0)
		return fputs(xml, stdout) >= 0 && fflush(stdout) == 0 ? 0 : 1;
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		return 1;
	if (strcmp(what, "report") == 0) {
		st = write_report(ctx, &spec, NULL, 1, 1);
	} else if (strcmp(what, "report-long") == 0) {
		spec.policy_domain = LONG_DOMAIN;
		spec.submitter = LONG_SUBMITTER;
		spec.to = "dmarc-aggregate-reports@" LONG_DOMAIN;
		spec.gzip = false;
		spec.text = NULL;
		st = write_report(ctx, &spec, "mx2", 2, 3);
	} else if (strcmp(what, "error") == 0) {
		st = write_error(ctx);
	} else {
		fputs("usage: report-mail-sample xml|report|report-long|error\n",
		    stderr);
	}
	dmarc_ctx_free(ctx);
	if (st != DMARC_OK) {
		fprintf(stderr, "report-mail-sample: %s\n", dmarc_strerror(st));
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
