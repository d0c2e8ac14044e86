/*
 * Fuzz target for the aggregate: the input's first byte picks the mode
 * (RFC 9989 or RFC 7489) and the shortest interval granted, the rest is
 * spool lines.  Every line that decodes is counted; the aggregate is
 * merged into an empty one, which must count the same; every report of
 * both is written as XML, which expat must read as well-formed, with one
 * record per row and counts that add up to the report's messages; the
 * two aggregates' documents are the same; the lines counted again into
 * the copy make no new row and double its counts.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include <dmarc/dmarc.h>

#include "../mem-sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What expat saw of a report. */
struct seen {
	uint64_t records, messages;
	int depth, in_count;
	char count[24];
	size_t count_len;
	int bad;
};

static void XMLCALL on_start(void *user, const XML_Char *name,
    const XML_Char **attrs)
{
	struct seen *s = user;
	const char *local = strrchr(name, ' ');

	(void)attrs;
	local = local != NULL ? local + 1 : name;
	s->depth++;
	if (strcmp(local, "record") == 0)
		s->records++;
	s->in_count = strcmp(local, "count") == 0;
	s->count_len = 0;
}

static void XMLCALL on_end(void *user, const XML_Char *name)
{
	struct seen *s = user;

	(void)name;
	s->depth--;
	if (s->in_count) {
		s->count[s->count_len] = '\0';
		s->messages += strtoull(s->count, NULL, 10);
		if (s->count_len == 0 || s->count[0] == '0')
			s->bad = 1;
	}
	s->in_count = 0;
}

static void XMLCALL on_text(void *user, const XML_Char *text, int len)
{
	struct seen *s = user;

	if (!s->in_count)
		return;
	if (s->count_len + (size_t)len >= sizeof s->count) {
		s->bad = 1;
		return;
	}
	memcpy(s->count + s->count_len, text, (size_t)len);
	s->count_len += (size_t)len;
}

/* The report as XML into out (appended), checked by expat. */
static void write_checked(const dmarc_report *r, struct mem_sink *out)
{
	struct mem_sink one;
	struct seen s;
	XML_Parser p = XML_ParserCreateNS(NULL, ' ');

	mem_sink_init(&one);
	memset(&s, 0, sizeof s);
	if (p == NULL || dmarc_report_write(r, 1, 1, 0, mem_sink_write, &one) !=
	    DMARC_OK)
		abort();
	XML_SetUserData(p, &s);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	if (XML_Parse(p, one.data, (int)one.len, 1) != XML_STATUS_OK || s.bad ||
	    s.records != dmarc_report_get_count(r, DMARC_COUNT_ROWS) ||
	    s.messages != dmarc_report_get_count(r, DMARC_COUNT_MESSAGES))
		abort();
	XML_ParserFree(p);
	if (mem_sink_append(out, one.data, one.len) != DMARC_OK)
		abort();
	mem_sink_dispose(&one);
}

static void write_all(const dmarc_aggregate *agg, struct mem_sink *out)
{
	uint64_t n = dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS), i;

	for (i = 0; i < n; i++)
		write_checked(dmarc_aggregate_get_report(agg, i), out);
}

static dmarc_aggregate *new_aggregate(dmarc_ctx *ctx)
{
	dmarc_aggregate *agg;

	if (dmarc_aggregate_new(&agg, ctx) != DMARC_OK ||
	    dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_ORG_NAME, "f") ||
	    dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_EMAIL, "a@b.c") ||
	    dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_SUBMITTER, "b.c"))
		abort();
	return agg;
}

static void count_lines(dmarc_aggregate *agg, const uint8_t *data,
    size_t size)
{
	const uint8_t *end = data + size, *lf;
	size_t off;
	dmarc_status st;

	for (; data < end; data = lf + 1) {
		lf = memchr(data, '\n', (size_t)(end - data));
		if (lf == NULL)
			lf = end;
		st = dmarc_aggregate_add_spool_line(agg, (const char *)data,
		    (size_t)(lf - data), &off);
		if (st != DMARC_OK && st != DMARC_EINVAL &&
		    st != DMARC_ERANGE && st != DMARC_ENOTSUP &&
		    st != DMARC_EFULL)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem_sink a, b;
	dmarc_aggregate *agg, *copy;
	dmarc_ctx *ctx;

	if (size < 1 || dmarc_ctx_new(&ctx) != DMARC_OK)
		return 0;
	dmarc_ctx_set_mode(ctx, data[0] & 1 ? DMARC_MODE_RFC7489 :
	    DMARC_MODE_RFC9989);
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_REPORT_INTERVAL,
	    data[0] & 2 ? 3600 : 86400);
	dmarc_ctx_set_limit(ctx, DMARC_LIMIT_AGGREGATE_ROWS,
	    data[0] & 4 ? 2 : 1000);
	agg = new_aggregate(ctx);
	copy = new_aggregate(ctx);
	count_lines(agg, data + 1, size - 1);
	if (dmarc_aggregate_merge(copy, agg) != DMARC_OK ||
	    dmarc_aggregate_get_count(copy, DMARC_COUNT_MESSAGES) !=
	    dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES) ||
	    dmarc_aggregate_get_count(copy, DMARC_COUNT_ROWS) !=
	    dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS))
		abort();
	mem_sink_init(&a);
	mem_sink_init(&b);
	write_all(agg, &a);
	write_all(copy, &b);
	if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len) != 0))
		abort();
	mem_sink_dispose(&a);
	mem_sink_dispose(&b);
	/* the lines counted again into the merged copy (its hashes of
	 * another seed) find the rows the merge made: no new row */
	count_lines(copy, data + 1, size - 1);
	if (dmarc_aggregate_get_count(copy, DMARC_COUNT_ROWS) !=
	    dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS) ||
	    dmarc_aggregate_get_count(copy, DMARC_COUNT_MESSAGES) !=
	    2 * dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES) ||
	    dmarc_aggregate_get_count(copy, DMARC_COUNT_DROPPED) !=
	    2 * dmarc_aggregate_get_count(agg, DMARC_COUNT_DROPPED))
		abort();
	dmarc_aggregate_free(agg);
	dmarc_aggregate_free(copy);
	dmarc_ctx_free(ctx);
	return 0;
}
