/*
 * report-read-dump - pushes a file through the report reader in chunks of
 * a given size and prints its events one per line, for the corpus test
 * (test/report-reader.sh; the format is in test/data/reports/README).
 *
 * Usage: report-read-dump [--strict] [--chunk N] FILE
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

static void field(const dmarc_reader *rd, const char *label,
    dmarc_reader_field f)
{
	const char *v = dmarc_reader_get_text(rd, f, 0, NULL);

	printf(" %s=%s", label, v != NULL ? v : "-");
}

static void diags(const dmarc_reader *rd)
{
	size_t i, j, n = dmarc_reader_get_diag_count(rd);

	for (i = 0; i < n; i++) {
		const char *name = dmarc_diag_get_name(dmarc_reader_get_diag(rd, i));

		for (j = 0; j < i; j++)
			if (strcmp(name, dmarc_diag_get_name(
			    dmarc_reader_get_diag(rd, j))) == 0)
				break;
		if (j == i)
			printf("diag %s\n", name);
	}
}

static void show(const dmarc_reader *rd, dmarc_reader_event ev)
{
	switch (ev) {
	case DMARC_READER_REPORT:
		printf("report");
		field(rd, "format", DMARC_FIELD_FORMAT);
		field(rd, "org", DMARC_FIELD_ORG_NAME);
		field(rd, "id", DMARC_FIELD_REPORT_ID);
		field(rd, "domain", DMARC_FIELD_POLICY_DOMAIN);
		field(rd, "begin", DMARC_FIELD_BEGIN);
		field(rd, "end", DMARC_FIELD_END);
		field(rd, "p", DMARC_FIELD_P);
		break;
	case DMARC_READER_ROW:
		printf("row");
		field(rd, "ip", DMARC_FIELD_SOURCE_IP);
		field(rd, "count", DMARC_FIELD_COUNT);
		field(rd, "disp", DMARC_FIELD_DISPOSITION);
		field(rd, "dkim", DMARC_FIELD_DKIM_ALIGNED);
		field(rd, "spf", DMARC_FIELD_SPF_ALIGNED);
		field(rd, "from", DMARC_FIELD_HEADER_FROM);
		break;
	case DMARC_READER_REPORT_END:
		printf("end");
		field(rd, "records", DMARC_FIELD_RECORDS);
		field(rd, "messages", DMARC_FIELD_MESSAGES);
		break;
	case DMARC_READER_FAILURE_REPORT:
		printf("failure-report");
		field(rd, "type", DMARC_FIELD_FEEDBACK_TYPE);
		field(rd, "auth", DMARC_FIELD_AUTH_FAILURE);
		field(rd, "ip", DMARC_FIELD_SOURCE_IP);
		field(rd, "domain", DMARC_FIELD_REPORTED_DOMAIN);
		field(rd, "align", DMARC_FIELD_IDENTITY_ALIGNMENT);
		break;
	case DMARC_READER_FAILED:
		printf("failed class=%s",
		    dmarc_reader_failure_name(dmarc_reader_get_failure(rd)));
		if (getenv("DUMP_TEXT") != NULL) {
			const char *t = dmarc_reader_get_text(rd,
			    DMARC_FIELD_FAILURE_TEXT, 0, NULL);
			printf(" (%s)", t != NULL ? t : "-");
		}
		break;
	default:
		return;
	}
	printf("\n");
	if (ev == DMARC_READER_REPORT_END || ev == DMARC_READER_FAILED ||
	    ev == DMARC_READER_FAILURE_REPORT)
		diags(rd);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (*len == size) {
			char *p = realloc(buf, size = size * 2 + 65536);
			if (p == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + *len, 1, size - *len, f);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	dmarc_ctx *ctx;
	dmarc_reader *rd;
	dmarc_reader_event ev;
	size_t chunk = 0, len, pos = 0, n;
	int strict = 0, i = 1;
	char *data;

	for (; i < argc - 1; i++) {
		if (strcmp(argv[i], "--strict") == 0)
			strict = 1;
		else if (strcmp(argv[i], "--chunk") == 0 && i + 1 < argc - 1)
			chunk = (size_t)strtoul(argv[++i], NULL, 10);
		else
			break;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: report-read-dump [--strict] "
		    "[--chunk N] FILE\n");
		return 2;
	}
	data = slurp(argv[i], &len);
	if (data == NULL && len == 0 && argv[i][0] == '\0')
		return 2;
	if (dmarc_ctx_new(&ctx) != DMARC_OK || dmarc_reader_new(&rd, ctx) !=
	    DMARC_OK || dmarc_reader_set_strict(rd, strict) != DMARC_OK)
		return 1;
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	while (pos < len) {
		n = len - pos < chunk ? len - pos : chunk;
		if (dmarc_reader_push(rd, data + pos, n) != DMARC_OK)
			return 1;
		pos += n;
		while ((ev = dmarc_reader_next(rd)) != DMARC_READER_NEED_INPUT)
			show(rd, ev);
	}
	if (dmarc_reader_finish(rd) != DMARC_OK)
		return 1;
	while ((ev = dmarc_reader_next(rd)) != DMARC_READER_DONE)
		show(rd, ev);
	printf("done\n");
	dmarc_reader_free(rd);
	dmarc_ctx_free(ctx);
	free(data);
	return 0;
}
