/*
 * dmarc-report --json (report-json.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <inttypes.h>
#include <stdlib.h>

#include "print.h"
#include "report-json.h"
#include "spill.h"

struct json_out {
	FILE *out, *rows;
	size_t n_rows;
};

struct json_out *json_out_new(FILE *out)
{
	struct json_out *j = calloc(1, sizeof *j);

	if (j == NULL)
		return NULL;
	j->out = out;
	if ((j->rows = spill_open()) == NULL) {
		free(j);
		return NULL;
	}
	return j;
}

void json_out_free(struct json_out *j)
{
	if (j == NULL)
		return;
	fclose(j->rows);
	free(j);
}

/* ", "key": " */
static void key(FILE *fp, const char *name)
{
	fprintf(fp, ", \"%s\": ", name);
}

static void text_field(FILE *fp, const char *name, const dmarc_reader *rd,
    dmarc_reader_field f)
{
	key(fp, name);
	json_str(fp, dmarc_reader_get_text(rd, f, 0, NULL));
}

static void number_field(FILE *fp, const char *name, const dmarc_reader *rd,
    dmarc_reader_field f)
{
	uint64_t v;

	key(fp, name);
	if (dmarc_reader_get_number(rd, f, 0, &v) == DMARC_OK)
		fprintf(fp, "%" PRIu64, v);
	else
		fputs("null", fp);
}

static void list_field(FILE *fp, const char *name, const dmarc_reader *rd,
    dmarc_reader_field f)
{
	size_t i, n = dmarc_reader_get_count(rd, f);

	key(fp, name);
	putc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", fp);
		json_str(fp, dmarc_reader_get_text(rd, f, i, NULL));
	}
	putc(']', fp);
}

/* Where the event came from, and its diagnostics. */
static void origin(FILE *fp, const dmarc_reader *rd)
{
	size_t i, n = dmarc_reader_get_diag_count(rd);

	text_field(fp, "containers", rd, DMARC_FIELD_CONTAINERS);
	text_field(fp, "part", rd, DMARC_FIELD_PART_NAME);
	number_field(fp, "message_index", rd, DMARC_FIELD_MESSAGE_INDEX);
	key(fp, "diagnostics");
	putc('[', fp);
	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_reader_get_diag(rd, i);
		fputs(i > 0 ? ", {\"name\": " : "{\"name\": ", fp);
		json_str(fp, dmarc_diag_get_name(d));
		fprintf(fp, ", \"offset\": %zu", dmarc_diag_get_offset(d));
		key(fp, "element");
		json_str(fp, dmarc_diag_get_tag(d));
		key(fp, "text");
		json_str(fp, dmarc_diag_get_text(d));
		putc('}', fp);
	}
	putc(']', fp);
}

static int finish(FILE *fp)
{
	fputs("}\n", fp);
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}

int json_report_begin(struct json_out *j)
{
	j->n_rows = 0;
	return spill_reset(j->rows);
}

/* Entries i of the lists as one object with the given names. */
static void entry(FILE *fp, const struct text_list *const *lists,
    const char *const *names, size_t n_lists, size_t i)
{
	size_t k;

	putc('{', fp);
	for (k = 0; k < n_lists; k++) {
		fprintf(fp, "%s\"%s\": ", k > 0 ? ", " : "", names[k]);
		json_str(fp, list_at(lists[k], i));
	}
	putc('}', fp);
}

static void entries(FILE *fp, const char *name,
    const struct text_list *const *lists, const char *const *names,
    size_t n_lists, size_t n)
{
	size_t i;

	key(fp, name);
	putc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", fp);
		entry(fp, lists, names, n_lists, i);
	}
	putc(']', fp);
}

int json_row(struct json_out *j, const struct report_row *r)
{
	static const char *const auth[] = { "domain", "selector", "result",
		"human_result" };
	static const char *const spf[] = { "domain", "scope", "result",
		"human_result" };
	static const char *const reason[] = { "type", "comment" };
	const struct text_list *dl[] = { &r->dkim_domain, &r->dkim_selector,
		&r->dkim_result, &r->dkim_human };
	const struct text_list *sl[] = { &r->spf_domain, &r->spf_scope,
		&r->spf_result, &r->spf_human };
	const struct text_list *rl[] = { &r->reason_type, &r->reason_comment };
	FILE *fp = j->rows;

	fputs(j->n_rows++ > 0 ? ", {\"source_ip\": " : "{\"source_ip\": ", fp);
	json_str(fp, r->source_ip);
	fprintf(fp, ", \"count\": %" PRIu64, r->count);
	key(fp, "disposition");
	json_str(fp, r->disposition);
	key(fp, "dkim_aligned");
	json_str(fp, r->dkim_aligned);
	key(fp, "spf_aligned");
	json_str(fp, r->spf_aligned);
	entries(fp, "reasons", rl, reason, 2, row_reason_count(r));
	key(fp, "header_from");
	json_str(fp, r->header_from);
	key(fp, "envelope_from");
	json_str(fp, r->envelope_from);
	key(fp, "envelope_to");
	json_str(fp, r->envelope_to);
	entries(fp, "dkim", dl, auth, 4, row_dkim_count(r));
	entries(fp, "spf", sl, spf, 4, row_spf_count(r));
	putc('}', fp);
	return ferror(fp) ? -1 : 0;
}

int json_report_end(struct json_out *j, const dmarc_reader *rd,
    const char *source)
{
	FILE *fp = j->out;

	fputs("{\"source\": ", fp);
	json_str(fp, source);
	fputs(", \"kind\": \"aggregate\"", fp);
	text_field(fp, "format", rd, DMARC_FIELD_FORMAT);
	text_field(fp, "report_id", rd, DMARC_FIELD_REPORT_ID);
	text_field(fp, "org_name", rd, DMARC_FIELD_ORG_NAME);
	text_field(fp, "email", rd, DMARC_FIELD_EMAIL);
	text_field(fp, "policy_domain", rd, DMARC_FIELD_POLICY_DOMAIN);
	number_field(fp, "begin", rd, DMARC_FIELD_BEGIN);
	number_field(fp, "end", rd, DMARC_FIELD_END);
	text_field(fp, "p", rd, DMARC_FIELD_P);
	text_field(fp, "sp", rd, DMARC_FIELD_SP);
	text_field(fp, "adkim", rd, DMARC_FIELD_ADKIM);
	text_field(fp, "aspf", rd, DMARC_FIELD_ASPF);
	number_field(fp, "pct", rd, DMARC_FIELD_PCT);
	number_field(fp, "records", rd, DMARC_FIELD_RECORDS);
	number_field(fp, "messages", rd, DMARC_FIELD_MESSAGES);
	key(fp, "rows");
	putc('[', fp);
	if (spill_copy(j->rows, fp) != 0)
		return -1;
	putc(']', fp);
	j->n_rows = 0;
	origin(fp, rd);
	return finish(fp);
}

int json_failure_report(struct json_out *j, const dmarc_reader *rd,
    const char *source)
{
	FILE *fp = j->out;
	uint64_t incidents = 1;

	if (dmarc_reader_get_number(rd, DMARC_FIELD_INCIDENTS, 0, &incidents) !=
	    DMARC_OK)
		incidents = 1;
	fputs("{\"source\": ", fp);
	json_str(fp, source);
	fputs(", \"kind\": \"failure\"", fp);
	text_field(fp, "format", rd, DMARC_FIELD_FORMAT);
	fputs(", \"report_id\": null, \"org_name\": null", fp);
	text_field(fp, "policy_domain", rd, DMARC_FIELD_REPORTED_DOMAIN);
	fputs(", \"begin\": null, \"end\": null, \"records\": 0", fp);
	fprintf(fp, ", \"messages\": %" PRIu64 ", \"rows\": []", incidents);
	text_field(fp, "feedback_type", rd, DMARC_FIELD_FEEDBACK_TYPE);
	text_field(fp, "auth_failure", rd, DMARC_FIELD_AUTH_FAILURE);
	text_field(fp, "source_ip", rd, DMARC_FIELD_SOURCE_IP);
	text_field(fp, "identity_alignment", rd, DMARC_FIELD_IDENTITY_ALIGNMENT);
	list_field(fp, "reported_domain", rd, DMARC_FIELD_REPORTED_DOMAIN);
	text_field(fp, "original_mail_from", rd, DMARC_FIELD_ORIGINAL_MAIL_FROM);
	text_field(fp, "arrival_date", rd, DMARC_FIELD_ARRIVAL_DATE);
	text_field(fp, "delivery_result", rd, DMARC_FIELD_DELIVERY_RESULT);
	text_field(fp, "user_agent", rd, DMARC_FIELD_USER_AGENT);
	text_field(fp, "reporting_mta", rd, DMARC_FIELD_REPORTING_MTA);
	text_field(fp, "dkim_domain", rd, DMARC_FIELD_ARF_DKIM_DOMAIN);
	list_field(fp, "authentication_results", rd,
	    DMARC_FIELD_AUTHENTICATION_RESULTS);
	origin(fp, rd);
	return finish(fp);
}

int json_failed(struct json_out *j, const dmarc_reader *rd,
    const char *source)
{
	FILE *fp = j->out;

	j->n_rows = 0;
	if (spill_reset(j->rows) != 0)
		return -1;
	fputs("{\"source\": ", fp);
	json_str(fp, source);
	key(fp, "error");
	json_str(fp, dmarc_reader_failure_name(dmarc_reader_get_failure(rd)));
	text_field(fp, "message", rd, DMARC_FIELD_FAILURE_TEXT);
	origin(fp, rd);
	return finish(fp);
}

int json_io_error(struct json_out *j, const char *source,
    const char *message)
{
	FILE *fp = j->out;

	fputs("{\"source\": ", fp);
	json_str(fp, source);
	fputs(", \"error\": \"io\", \"message\": ", fp);
	json_str(fp, message);
	return finish(fp);
}
