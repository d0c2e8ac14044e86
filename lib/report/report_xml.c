/*
 * libdmarc - an aggregate report as XML: RFC 9990 (namespace
 * urn:ietf:params:xml:ns:dmarc-2.0) in RFC 9989 mode, the no-namespace
 * form of RFC 7489 Appendix C otherwise, with the differences between
 * the two (pct, np, testing, discovery_method, generator, the pass
 * disposition, reason vocabularies, selector, SPF scope, IPv6 written
 * in full for the RFC 7489 schema's pattern).  Records come in an order
 * of their own (dmarc__agg_row_compare), so the same rows give the same
 * document whatever order they were counted in.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "aggregate_int.h"
#include "xml_writer.h"

#define NS_9990 "urn:ietf:params:xml:ns:dmarc-2.0"

struct out {
	struct dmarc__xml_writer *w;
	const struct agg_store *st;
	bool bis;                   /* RFC 9990, else RFC 7489 */
	uint64_t count;             /* the record's */
	dmarc_status status;        /* the first failure */
};

/* ---- elements; after a failure, nothing more is written ---- */

static void start(struct out *o, const char *name)
{
	if (o->status == DMARC_OK)
		o->status = dmarc__xml_start(o->w, name);
}

static void end(struct out *o, const char *name)
{
	if (o->status == DMARC_OK)
		o->status = dmarc__xml_end(o->w, name);
}

static void leaf(struct out *o, const char *name, const char *text)
{
	if (o->status == DMARC_OK)
		o->status = dmarc__xml_element(o->w, name, text, strlen(text));
}

static void leaf_number(struct out *o, const char *name, uint64_t v)
{
	char digits[24];

	snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
	leaf(o, name, digits);
}

static const char *keyword(enum dmarc__kw_set set, unsigned int value)
{
	const char *k = dmarc__keyword_rfc(set, (int)value);

	return k != NULL ? k : "";
}

/* ---- report_metadata and policy_published ---- */

/* The error element's texts: the record's problems, and messages the
 * row limit kept out.  RFC 9990 3.1.5 allows one error element: there
 * they are joined. */
static void errors(struct out *o, const struct agg_group *g)
{
	/* room for every text and a "; " before each */
	char dropped[96], joined[REPORT_ROW_MAX_ERRORS *
	    (REPORT_ROW_COMMENT_SIZE + 2) + sizeof dropped + 2];
	const char *text[REPORT_ROW_MAX_ERRORS + 1];
	size_t n = 0, i, used = 0;

	for (i = 0; i < g->n_errors; i++)
		text[n++] = g->errors[i];
	if (g->dropped > 0) {
		snprintf(dropped, sizeof dropped, "%llu messages not reported: "
		    "the receiver's row limit was reached",
		    (unsigned long long)g->dropped);
		text[n++] = dropped;
	}
	if (!o->bis) {
		for (i = 0; i < n; i++)
			leaf(o, "error", text[i]);
		return;
	}
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(joined + used, sizeof joined - used,
		    "%s%s", i > 0 ? "; " : "", text[i]);
	if (n > 0)
		leaf(o, "error", joined);
}

static void metadata(struct out *o, const dmarc_report *r,
    const char *report_id)
{
	const struct dmarc_aggregate *agg = dmarc__report_aggregate(r);
	const struct agg_group *g = dmarc__report_group(r);
	const char *extra = dmarc__reporter(agg, DMARC_REPORTER_EXTRA_CONTACT);

	start(o, "report_metadata");
	leaf(o, "org_name", dmarc__reporter(agg, DMARC_REPORTER_ORG_NAME));
	leaf(o, "email", dmarc__reporter(agg, DMARC_REPORTER_EMAIL));
	if (extra != NULL)
		leaf(o, "extra_contact_info", extra);
	leaf(o, "report_id", report_id);
	start(o, "date_range");
	leaf_number(o, "begin", g->begin);
	leaf_number(o, "end", g->end);
	end(o, "date_range");
	errors(o, g);
	if (o->bis)
		leaf(o, "generator", dmarc__reporter(agg,
		    DMARC_REPORTER_GENERATOR));
	end(o, "report_metadata");
}

/* fo=0:1:d:s as the record gives it. */
static void fo_text(char *buf, size_t size, unsigned int fo)
{
	unsigned int bit;
	size_t used = 0;

	buf[0] = '\0';
	for (bit = 1; bit <= DMARC_FO_SPF; bit <<= 1)
		if (fo & bit)
			used += (size_t)snprintf(buf + used, size - used, "%s%s",
			    used > 0 ? ":" : "", keyword(DMARC__KW_FO, bit));
}

static void policy(struct out *o, const struct agg_group *g)
{
	const struct report_policy *p = &g->policy;
	char fo[16];

	fo_text(fo, sizeof fo, p->fo);
	start(o, "policy_published");
	leaf(o, "domain", dmarc__agg_group_domain(g));
	if (o->bis) {
		leaf(o, "discovery_method", keyword(DMARC__KW_METHOD,
		    p->method));
		leaf(o, "p", keyword(DMARC__KW_POLICY, p->p));
		leaf(o, "sp", keyword(DMARC__KW_POLICY, p->sp));
		leaf(o, "np", keyword(DMARC__KW_POLICY, p->np));
		leaf(o, "fo", fo);
	}
	leaf(o, "adkim", keyword(DMARC__KW_ALIGNMENT, p->adkim));
	leaf(o, "aspf", keyword(DMARC__KW_ALIGNMENT, p->aspf));
	if (o->bis) {
		leaf(o, "testing", keyword(DMARC__KW_TESTING, p->testing));
	} else {
		leaf(o, "p", keyword(DMARC__KW_POLICY, p->p));
		leaf(o, "sp", keyword(DMARC__KW_POLICY, p->sp));
		leaf_number(o, "pct", p->pct);
		leaf(o, "fo", fo);
	}
	end(o, "policy_published");
}

/* ---- records ---- */

/* RFC 7489's pattern takes IPv6 only as eight groups; RFC 9990 the
 * RFC 5952 form.  An unknown source is 0.0.0.0. */
static void source_ip(struct out *o, const struct report_ip *ip)
{
	char text[REPORT_ROW_IP_TEXT_SIZE];
	size_t i;

	if (ip->family == 6 && !o->bis) {
		size_t used = 0;
		for (i = 0; i < 8; i++)
			used += (size_t)snprintf(text + used, sizeof text - used,
			    "%s%x", i > 0 ? ":" : "",
			    (unsigned int)(ip->addr[2 * i] << 8 |
			    ip->addr[2 * i + 1]));
	} else if (ip->family != 0) {
		dmarc__row_ip_text(ip, text);
	} else {
		memcpy(text, "0.0.0.0", 8);
	}
	leaf(o, "source_ip", text);
}

/* Reasons the other vocabulary lacks become "other", named in the
 * comment when there is none. */
static void reason(struct out *o, unsigned int type, const char *comment)
{
	bool foreign = o->bis ? (type == DMARC_REASON_FORWARDED ||
	    type == DMARC_REASON_SAMPLED_OUT) :
	    type == DMARC_REASON_POLICY_TEST_MODE;

	start(o, "reason");
	leaf(o, "type", foreign ? "other" : keyword(DMARC__KW_REASON, type));
	if (comment == NULL && foreign)
		comment = keyword(DMARC__KW_REASON, type);
	if (comment != NULL)
		leaf(o, "comment", comment);
	end(o, "reason");
}

static void row(struct out *o, const struct agg_view *v)
{
	unsigned int disposition = v->disposition;
	size_t i;

	if (!o->bis && disposition == DMARC_DISPOSITION_PASS)
		disposition = DMARC_DISPOSITION_NONE;
	start(o, "row");
	source_ip(o, &v->ip);
	leaf_number(o, "count", o->count);
	start(o, "policy_evaluated");
	leaf(o, "disposition", keyword(DMARC__KW_DISPOSITION, disposition));
	leaf(o, "dkim", v->flags & AGG_DKIM_ALIGNED ? "pass" : "fail");
	leaf(o, "spf", v->flags & AGG_SPF_ALIGNED ? "pass" : "fail");
	for (i = 0; i < v->n_reasons; i++)
		reason(o, v->reason_type[i], v->reason_comment[i]);
	end(o, "policy_evaluated");
	end(o, "row");
}

/* RFC 7489 requires envelope_from: "" when the message had none. */
static void identifiers(struct out *o, const struct agg_view *v)
{
	start(o, "identifiers");
	if (v->envelope_to != NULL)
		leaf(o, "envelope_to", v->envelope_to);
	if (v->envelope_from != NULL || !o->bis)
		leaf(o, "envelope_from", v->envelope_from != NULL ?
		    v->envelope_from : "");
	leaf(o, "header_from", v->header_from);
	end(o, "identifiers");
}

/* DKIM has no softfail (RFC 8601 2.7.1): a checker's is a fail. */
static const char *dkim_result(unsigned int v)
{
	return keyword(DMARC__KW_VERDICT, v == DMARC_VERDICT_SOFTFAIL ?
	    DMARC_VERDICT_FAIL : v);
}

static void dkim(struct out *o, const struct agg_view *v, size_t i)
{
	start(o, "dkim");
	leaf(o, "domain", v->dkim_domain[i]);
	if (o->bis || v->dkim_selector[i][0] != '\0')
		leaf(o, "selector", v->dkim_selector[i]);
	leaf(o, "result", dkim_result(v->dkim_result[i]));
	if (v->dkim_human[i][0] != '\0')
		leaf(o, "human_result", v->dkim_human[i]);
	end(o, "dkim");
}

/* RFC 7489 requires one SPF result (none when the message had none)
 * and has no "policy"; RFC 9990 takes only the mfrom scope. */
static void spf(struct out *o, const struct agg_view *v)
{
	unsigned int result = v->spf_result;
	bool has = (v->flags & AGG_HAS_SPF) != 0;

	if (!has && o->bis)
		return;
	if (!o->bis && result == DMARC_VERDICT_POLICY)
		result = DMARC_VERDICT_PERMERROR;
	start(o, "spf");
	leaf(o, "domain", has ? v->spf_domain : "");
	if (!o->bis || v->spf_scope == DMARC_SPF_MAILFROM)
		leaf(o, "scope", !has ? "mfrom" :
		    keyword(DMARC__KW_SPF_SCOPE, v->spf_scope));
	leaf(o, "result", keyword(DMARC__KW_VERDICT, result));
	end(o, "spf");
}

static void auth_results(struct out *o, const struct agg_view *v)
{
	size_t i;

	start(o, "auth_results");
	for (i = 0; i < v->n_dkim; i++)
		dkim(o, v, i);
	spf(o, v);
	end(o, "auth_results");
}

static void record(struct out *o, const struct agg_row *r)
{
	struct agg_view v;

	dmarc__agg_view(&v, dmarc__agg_blob(o->st, r), r->len);
	o->count = r->count;
	start(o, "record");
	row(o, &v);
	identifiers(o, &v);
	auth_results(o, &v);
	end(o, "record");
}

/* ---- the records' order ---- */

/* A merge sort of row indices by dmarc__agg_row_compare. */
static void sort_rows(const struct agg_store *st, uint32_t *a, uint32_t *tmp,
    size_t n)
{
	size_t width, i;

	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t mid = i + width < n ? i + width : n;
			size_t hi = i + 2 * width < n ? i + 2 * width : n;
			size_t l = i, r = mid, k = i;
			while (l < mid && r < hi)
				tmp[k++] = dmarc__agg_row_compare(st,
				    &st->rows[a[l]], &st->rows[a[r]]) <= 0 ?
				    a[l++] : a[r++];
			while (l < mid)
				tmp[k++] = a[l++];
			while (r < hi)
				tmp[k++] = a[r++];
		}
		memcpy(a, tmp, n * sizeof *a);
	}
}

/* The report's rows in their order; NULL when memory ran out. */
static uint32_t *sorted_rows(const dmarc_ctx *ctx, const struct agg_group *g)
{
	size_t n = g->n_rows;
	uint32_t *a = dmarc__alloc(ctx, 2 * n * sizeof *a + 1);

	if (a == NULL)
		return NULL;
	memcpy(a, g->rows, n * sizeof *a);
	sort_rows(g->store, a, a + n, n);
	return a;
}

/* ---- the document ---- */

static void document(struct out *o, const dmarc_report *r,
    const uint32_t *rows, size_t first, size_t last, const char *report_id)
{
	const struct agg_group *g = dmarc__report_group(r);
	size_t i;

	if (o->status == DMARC_OK)
		o->status = dmarc__xml_declaration(o->w);
	if (o->status == DMARC_OK)
		o->status = dmarc__xml_start_root(o->w, "feedback",
		    o->bis ? NS_9990 : NULL, NULL, 0);
	leaf(o, "version", "1.0");
	metadata(o, r, report_id);
	policy(o, g);
	for (i = first; i < last; i++)
		record(o, &o->st->rows[rows[i]]);
	end(o, "feedback");
	if (o->status == DMARC_OK)
		o->status = dmarc__xml_finish(o->w);
}

dmarc_status dmarc__report_xml(const dmarc_report *r, unsigned int part,
    unsigned int n_parts, const char *report_id, bool pretty,
    struct dmarc__sink sink)
{
	const struct dmarc_aggregate *agg = dmarc__report_aggregate(r);
	const struct agg_group *g = dmarc__report_group(r);
	struct out o;
	uint32_t *rows;

	if (dmarc__reporter(agg, DMARC_REPORTER_ORG_NAME) == NULL ||
	    dmarc__reporter(agg, DMARC_REPORTER_EMAIL) == NULL)
		return DMARC_ESTATE;
	if ((rows = sorted_rows(agg->ctx, g)) == NULL)
		return DMARC_ENOMEM;
	o.st = g->store;
	o.bis = agg->rule.mode == DMARC_MODE_RFC9989;
	o.status = dmarc__xml_writer_new(&o.w, agg->ctx, sink,
	    pretty ? DMARC__XML_PRETTY : 0u);
	document(&o, r, rows, (size_t)g->n_rows * (part - 1) / n_parts,
	    (size_t)g->n_rows * part / n_parts, report_id);
	dmarc__xml_writer_free(o.w);
	dmarc__free(agg->ctx, rows);
	return o.status;
}
