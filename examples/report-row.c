/*
 * dmarc-report: reports and rows as plain C values (report-row.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include "report-row.h"

static const char *text(const dmarc_reader *rd, dmarc_reader_field f)
{
	return dmarc_reader_get_text(rd, f, 0, NULL);
}

static uint64_t number(const dmarc_reader *rd, dmarc_reader_field f)
{
	uint64_t v = 0;

	if (dmarc_reader_get_number(rd, f, 0, &v) != DMARC_OK)
		v = 0;
	return v;
}

void meta_read(struct report_meta *m, const dmarc_reader *rd)
{
	memset(m, 0, sizeof *m);
	m->format = text(rd, DMARC_FIELD_FORMAT);
	m->org_name = text(rd, DMARC_FIELD_ORG_NAME);
	m->report_id = text(rd, DMARC_FIELD_REPORT_ID);
	m->policy_domain = text(rd, DMARC_FIELD_POLICY_DOMAIN);
	m->p = text(rd, DMARC_FIELD_P);
	m->sp = text(rd, DMARC_FIELD_SP);
	m->adkim = text(rd, DMARC_FIELD_ADKIM);
	m->aspf = text(rd, DMARC_FIELD_ASPF);
	m->begin = number(rd, DMARC_FIELD_BEGIN);
	m->end = number(rd, DMARC_FIELD_END);
	m->records = number(rd, DMARC_FIELD_RECORDS);
	m->messages = number(rd, DMARC_FIELD_MESSAGES);
}

int list_push(struct text_list *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		const char **v = realloc((void *)l->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

const char *list_at(const struct text_list *l, size_t i)
{
	return i < l->n ? l->v[i] : NULL;
}

/* Every value of a several field into l.  0 or -1. */
static int read_list(struct text_list *l, const dmarc_reader *rd,
    dmarc_reader_field f)
{
	size_t i, n = dmarc_reader_get_count(rd, f);

	for (i = 0; i < n; i++)
		if (list_push(l, dmarc_reader_get_text(rd, f, i, NULL)) != 0)
			return -1;
	return 0;
}

void row_clear(struct report_row *r)
{
	struct text_list *lists[] = { &r->dkim_domain, &r->dkim_selector,
		&r->dkim_result, &r->dkim_human, &r->spf_domain, &r->spf_scope,
		&r->spf_result, &r->spf_human, &r->reason_type,
		&r->reason_comment };
	size_t i;

	r->source_ip = r->disposition = r->dkim_aligned = NULL;
	r->spf_aligned = r->header_from = r->envelope_from = NULL;
	r->envelope_to = NULL;
	r->count = 0;
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		lists[i]->n = 0;
}

void row_free(struct report_row *r)
{
	struct text_list *lists[] = { &r->dkim_domain, &r->dkim_selector,
		&r->dkim_result, &r->dkim_human, &r->spf_domain, &r->spf_scope,
		&r->spf_result, &r->spf_human, &r->reason_type,
		&r->reason_comment };
	size_t i;

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		free((void *)lists[i]->v);
	memset(r, 0, sizeof *r);
}

int row_read(struct report_row *r, const dmarc_reader *rd)
{
	static const struct {
		size_t offset;
		dmarc_reader_field field;
	} lists[] = {
		{ offsetof(struct report_row, dkim_domain), DMARC_FIELD_DKIM_DOMAIN },
		{ offsetof(struct report_row, dkim_selector),
		  DMARC_FIELD_DKIM_SELECTOR },
		{ offsetof(struct report_row, dkim_result), DMARC_FIELD_DKIM_RESULT },
		{ offsetof(struct report_row, dkim_human),
		  DMARC_FIELD_DKIM_HUMAN_RESULT },
		{ offsetof(struct report_row, spf_domain), DMARC_FIELD_SPF_DOMAIN },
		{ offsetof(struct report_row, spf_scope), DMARC_FIELD_SPF_SCOPE },
		{ offsetof(struct report_row, spf_result), DMARC_FIELD_SPF_RESULT },
		{ offsetof(struct report_row, spf_human),
		  DMARC_FIELD_SPF_HUMAN_RESULT },
		{ offsetof(struct report_row, reason_type), DMARC_FIELD_REASON_TYPE },
		{ offsetof(struct report_row, reason_comment),
		  DMARC_FIELD_REASON_COMMENT }
	};
	size_t i;

	row_clear(r);
	r->source_ip = text(rd, DMARC_FIELD_SOURCE_IP);
	r->count = number(rd, DMARC_FIELD_COUNT);
	r->disposition = text(rd, DMARC_FIELD_DISPOSITION);
	r->dkim_aligned = text(rd, DMARC_FIELD_DKIM_ALIGNED);
	r->spf_aligned = text(rd, DMARC_FIELD_SPF_ALIGNED);
	r->header_from = text(rd, DMARC_FIELD_HEADER_FROM);
	r->envelope_from = text(rd, DMARC_FIELD_ENVELOPE_FROM);
	r->envelope_to = text(rd, DMARC_FIELD_ENVELOPE_TO);
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		struct text_list *l = (struct text_list *)(void *)
		    ((char *)r + lists[i].offset);
		if (read_list(l, rd, lists[i].field) != 0)
			return -1;
	}
	return 0;
}

static size_t longest(const struct text_list *a, const struct text_list *b,
    const struct text_list *c, const struct text_list *d)
{
	size_t n = a->n;

	if (b->n > n)
		n = b->n;
	if (c != NULL && c->n > n)
		n = c->n;
	if (d != NULL && d->n > n)
		n = d->n;
	return n;
}

size_t row_dkim_count(const struct report_row *r)
{
	return longest(&r->dkim_domain, &r->dkim_selector, &r->dkim_result,
	    &r->dkim_human);
}

size_t row_spf_count(const struct report_row *r)
{
	return longest(&r->spf_domain, &r->spf_scope, &r->spf_result,
	    &r->spf_human);
}

size_t row_reason_count(const struct report_row *r)
{
	return longest(&r->reason_type, &r->reason_comment, NULL, NULL);
}
