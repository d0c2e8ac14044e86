/*
 * dmarc-report --csv (report-csv.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "report-csv.h"
#include "spill.h"

struct csv_out {
	FILE *out, *rows;
	struct report_meta meta;
	char *joined;
	size_t joined_size;
};

static const char header[] = "org_name,report_id,policy_domain,begin,end,"
    "source_ip,count,disposition,dkim_aligned,spf_aligned,header_from,"
    "envelope_from,envelope_to,dkim_domains,dkim_selectors,dkim_results,"
    "spf_domains,spf_scopes,spf_results,reason_types,reason_comments\r\n";

struct csv_out *csv_out_new(FILE *out)
{
	struct csv_out *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	if ((c->rows = spill_open()) == NULL) {
		free(c);
		return NULL;
	}
	c->out = out;
	fputs(header, out);
	return c;
}

void csv_out_free(struct csv_out *c)
{
	if (c == NULL)
		return;
	fclose(c->rows);
	free(c->joined);
	free(c);
}

int csv_report_begin(struct csv_out *c, const struct report_meta *m)
{
	c->meta = *m;
	return spill_reset(c->rows);
}

/* The first n entries of l joined with ';' as one field.  0 or -1. */
static int joined_field(struct csv_out *c, const struct text_list *l,
    size_t n)
{
	size_t i, len = 0, need = 1;

	for (i = 0; i < n; i++)
		need += (list_at(l, i) ? strlen(list_at(l, i)) : 0) + 1;
	if (need > c->joined_size) {
		char *p = realloc(c->joined, need);
		if (p == NULL)
			return -1;
		c->joined = p;
		c->joined_size = need;
	}
	c->joined[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *v = list_at(l, i) ? list_at(l, i) : "";
		size_t vl = strlen(v);
		if (i > 0)
			c->joined[len++] = ';';
		memcpy(c->joined + len, v, vl + 1);
		len += vl;
	}
	csv_field(c->rows, c->joined);
	return 0;
}

int csv_row(struct csv_out *c, const struct report_row *r)
{
	const struct text_list *lists[] = { &r->dkim_domain,
		&r->dkim_selector, &r->dkim_result, &r->spf_domain,
		&r->spf_scope, &r->spf_result, &r->reason_type,
		&r->reason_comment };
	size_t dkim = row_dkim_count(r), spf = row_spf_count(r),
	    reasons = row_reason_count(r);
	const size_t counts[] = { dkim, dkim, dkim, spf, spf, spf, reasons,
		reasons };
	const char *after_count[] = { r->disposition, r->dkim_aligned,
		r->spf_aligned, r->header_from, r->envelope_from,
		r->envelope_to };
	FILE *fp = c->rows;
	size_t i;

	csv_field(fp, c->meta.org_name);
	putc(',', fp);
	csv_field(fp, c->meta.report_id);
	putc(',', fp);
	csv_field(fp, c->meta.policy_domain);
	fprintf(fp, ",%" PRIu64 ",%" PRIu64 ",", c->meta.begin, c->meta.end);
	csv_field(fp, r->source_ip);
	fprintf(fp, ",%" PRIu64, r->count);
	for (i = 0; i < sizeof after_count / sizeof after_count[0]; i++) {
		putc(',', fp);
		csv_field(fp, after_count[i]);
	}
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		putc(',', fp);
		if (joined_field(c, lists[i], counts[i]) != 0)
			return -1;
	}
	fputs("\r\n", fp);
	return ferror(fp) ? -1 : 0;
}

int csv_report_end(struct csv_out *c)
{
	if (spill_copy(c->rows, c->out) != 0)
		return -1;
	return fflush(c->out) == 0 ? 0 : -1;
}

int csv_report_drop(struct csv_out *c)
{
	return spill_reset(c->rows);
}
