/*
 * dmarc-report --html (report-html.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report-html.h"

/* The four classes of volume, in chart order (bottom up) and colour. */
static const struct {
	const char *key, *label, *colour;
} classes[] = {
	{ "both", "DKIM and SPF aligned", "#2e7d32" },
	{ "dkim_only", "DKIM aligned only", "#7cb342" },
	{ "spf_only", "SPF aligned only", "#fbc02d" },
	{ "neither", "neither aligned", "#c62828" }
};

static uint64_t class_count(const struct day_stats *d, size_t c)
{
	const uint64_t v[] = { d->both, d->dkim_only, d->spf_only, d->neither };

	return v[c];
}

/* Text in HTML, element content or quoted attribute value (HTML
 * section 13.1.2.6): markup characters as references, control
 * characters as '?'. */
static void html_text(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '&')
			fputs("&amp;", fp);
		else if (c == '<')
			fputs("&lt;", fp);
		else if (c == '>')
			fputs("&gt;", fp);
		else if (c == '"')
			fputs("&quot;", fp);
		else if (c == '\'')
			fputs("&#39;", fp);
		else
			putc(c < 0x20 || c == 0x7f ? '?' : c, fp);
	}
}

static const char style[] =
    "body{font-family:sans-serif;margin:24px;color:#222;background:#fff}"
    "table{border-collapse:collapse;margin:8px 0}"
    "th,td{border:1px solid #bbb;padding:2px 8px;text-align:right}"
    "th:first-child,td:first-child{text-align:left}"
    "svg{display:block;margin:8px 0}"
    "section{border-top:2px solid #888;margin-top:24px}"
    ".key{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}";

/* ------------------------------------------------------------ charts */

#define CHART_W 720
#define CHART_H 200
#define LEFT 70

/* Stacked bars of the four classes, one per day. */
static void chart_days(FILE *fp, struct day_stats *const *days, size_t n)
{
	uint64_t max = 1;
	size_t i, c;
	double step, bar;

	for (i = 0; i < n; i++)
		if (days[i]->total > max)
			max = days[i]->total;
	step = (double)(CHART_W - LEFT - 10) / (double)n;
	bar = step > 4 ? step * 0.8 : step;
	if (bar > 48)
		bar = 48;
	fprintf(fp, "<svg width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"volume per day\">\n", CHART_W, CHART_H + 40);
	fprintf(fp, "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#444\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#444\"/>\n", LEFT, LEFT, CHART_H + 10, LEFT,
	    CHART_H + 10, CHART_W, CHART_H + 10);
	fprintf(fp, "<text x=\"%d\" y=\"16\" text-anchor=\"end\" "
	    "font-size=\"12\">%" PRIu64 "</text><text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\" font-size=\"12\">0</text>\n", LEFT - 4, max,
	    LEFT - 4, CHART_H + 10);
	for (i = 0; i < n; i++) {
		double x = LEFT + 4 + step * (double)i, y = CHART_H + 10;
		char when[32];
		summary_day_text(days[i]->day, when, sizeof when);
		for (c = 0; c < 4; c++) {
			double h = (double)class_count(days[i], c) *
			    (CHART_H - 10) / (double)max;
			if (class_count(days[i], c) == 0)
				continue;
			y -= h;
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"><title>%s %s: %" PRIu64
			    "</title></rect>\n", x, y, bar, h, classes[c].colour,
			    when, classes[c].label, class_count(days[i], c));
		}
		if (n <= 16)
			fprintf(fp, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
			    "text-anchor=\"middle\">%s</text>\n", x + bar / 2,
			    CHART_H + 26, when + 5);
	}
	fputs("</svg>\n", fp);
}

/* One bar split into the four classes, with a legend. */
static void chart_split(FILE *fp, const struct day_stats *all)
{
	double x = 0;
	size_t c;

	fprintf(fp, "<svg width=\"%d\" height=\"36\" role=\"img\" "
	    "aria-label=\"pass and fail\">\n", CHART_W);
	for (c = 0; c < 4 && all->total > 0; c++) {
		double w = (double)class_count(all, c) * CHART_W /
		    (double)all->total;
		if (w <= 0)
			continue;
		fprintf(fp, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" "
		    "height=\"36\" fill=\"%s\"><title>%s: %" PRIu64
		    "</title></rect>\n", x, w, classes[c].colour,
		    classes[c].label, class_count(all, c));
		x += w;
	}
	fputs("</svg>\n<p>", fp);
	for (c = 0; c < 4; c++)
		fprintf(fp, "<span class=\"key\" style=\"background:%s\">"
		    "</span>%s: <span data-k=\"split-%s\">%" PRIu64 "</span>",
		    classes[c].colour, classes[c].label, classes[c].key,
		    class_count(all, c));
	fputs("</p>\n", fp);
}

/* Horizontal bars of the top sources, and their table. */
static int chart_sources(FILE *fp, const struct day_stats *all, size_t top)
{
	size_t i, n;
	struct strmap_entry **list = strmap_sorted(&all->sources,
	    strmap_by_count, &n);

	if (n == (size_t)-1)
		return -1;
	if (top != 0 && n > top)
		n = top;
	fprintf(fp, "<svg width=\"%d\" height=\"%zu\" role=\"img\" "
	    "aria-label=\"top sources\">\n", CHART_W, n * 22 + 4);
	for (i = 0; i < n; i++) {
		double w = (double)list[i]->v[0] * (CHART_W - 280) /
		    (double)list[0]->v[0];
		fprintf(fp, "<text x=\"196\" y=\"%zu\" text-anchor=\"end\" "
		    "font-size=\"12\">", i * 22 + 16);
		html_text(fp, list[i]->key);
		fprintf(fp, "</text><rect x=\"200\" y=\"%zu\" width=\"%.1f\" "
		    "height=\"18\" fill=\"#1565c0\"/><text x=\"%.1f\" y=\"%zu\" "
		    "font-size=\"12\">%" PRIu64 "</text>\n", i * 22 + 2, w,
		    204 + w, i * 22 + 16, list[i]->v[0]);
	}
	fputs("</svg>\n", fp);
	free(list);
	return 0;
}

/* ------------------------------------------------------------ tables */

/* A table of map's entries, most messages first, at most top (0: all);
 * each number carries data-k="key" and data-key="the entry" (as shown). */
static int count_table(FILE *fp, const char *title, const char *key,
    const struct strmap *map, size_t top)
{
	size_t i, n;
	struct strmap_entry **list = strmap_sorted(map, strmap_by_count, &n);

	if (n == (size_t)-1)
		return -1;
	if (n == 0)
		return 0;
	if (top != 0 && n > top)
		n = top;
	fprintf(fp, "<table class=\"%s\"><tr><th>%s</th><th>Messages</th>"
	    "</tr>\n", key, title);
	for (i = 0; i < n; i++) {
		const char *name = list[i]->len > 0 ? list[i]->key :
		    "(none given)";
		fputs("<tr><td>", fp);
		html_text(fp, name);
		fputs("</td><td data-key=\"", fp);
		html_text(fp, name);
		fprintf(fp, "\" data-k=\"%s\">%" PRIu64 "</td></tr>\n", key,
		    list[i]->v[0]);
	}
	fputs("</table>\n", fp);
	free(list);
	return 0;
}

static void day_row(FILE *fp, const char *when, const struct day_stats *d)
{
	const uint64_t v[] = { d->total, d->both, d->dkim_only, d->spf_only,
		d->neither, d->reject_unenforced };
	static const char *const keys[] = { "total", "both", "dkim_only",
		"spf_only", "neither", "reject_unenforced" };
	size_t i;

	fprintf(fp, "<tr data-day=\"%s\"><td>%s</td>", when, when);
	for (i = 0; i < 6; i++)
		fprintf(fp, "<td data-k=\"%s\">%" PRIu64 "</td>", keys[i], v[i]);
	fputs("</tr>\n", fp);
}

static void day_table(FILE *fp, struct day_stats *const *days, size_t n,
    const struct day_stats *all)
{
	char when[32];
	size_t i;

	fputs("<table class=\"days\"><tr><th>Day (UTC)</th><th>Messages</th>"
	    "<th>DKIM and SPF</th><th>DKIM only</th><th>SPF only</th>"
	    "<th>Neither</th><th>Reject not enforced</th></tr>\n", fp);
	for (i = 0; i < n; i++) {
		summary_day_text(days[i]->day, when, sizeof when);
		day_row(fp, when, days[i]);
	}
	day_row(fp, "all", all);
	fputs("</table>\n", fp);
}

static int anomalies(FILE *fp, const struct domain_stats *dom,
    const struct day_stats *all)
{
	size_t i, n;
	struct strmap_entry **list = strmap_sorted(&all->unaligned,
	    strmap_by_count, &n);

	if (n == (size_t)-1)
		return -1;
	fprintf(fp, "<h3>Anomalies</h3>\n<ul>\n<li>duplicate reports skipped: "
	    "<span data-k=\"duplicates\">%" PRIu64 "</span></li>\n",
	    dom->skipped);
	for (i = 0; i < n; i++) {
		const char *kind = list[i]->key;
		const char *id = kind + strlen(kind) + 1;
		const char *from = id + strlen(id) + 1;
		fprintf(fp, "<li>%s pass not aligned: ", kind);
		html_text(fp, id);
		fputs(" for header_from ", fp);
		html_text(fp, from);
		fprintf(fp, ": %" PRIu64 " messages, %" PRIu64
		    " failing DMARC</li>\n", list[i]->v[0], list[i]->v[1]);
	}
	fputs("</ul>\n", fp);
	free(list);
	return 0;
}

static int domain_section(FILE *fp, const struct domain_stats *dom,
    size_t top)
{
	struct day_stats all, **days;
	const struct day_stats *total;
	size_t n;
	int rc;

	memset(&all, 0, sizeof all);
	if (((days = summary_days(dom, &n)) == NULL && n != 0) ||
	    (n != 1 && summary_domain_total(dom, &all) != 0)) {
		free(days);
		day_stats_clear(&all);
		return -1;
	}
	/* one day is its own total: no copy of its sources */
	total = n == 1 ? days[0] : &all;
	fputs("<section data-domain=\"", fp);
	html_text(fp, dom->domain);
	fputs("\">\n<h2>", fp);
	html_text(fp, dom->domain[0] != '\0' ? dom->domain :
	    "(no policy domain)");
	fprintf(fp, "</h2>\n<p><span data-k=\"reports\">%" PRIu64 "</span> "
	    "report%s, <span data-k=\"failure_reports\">%" PRIu64 "</span> "
	    "failure report%s</p>\n<h3>Volume per day</h3>\n", dom->reports,
	    dom->reports == 1 ? "" : "s", dom->failure_reports,
	    dom->failure_reports == 1 ? "" : "s");
	if (n > 0)
		chart_days(fp, days, n);
	day_table(fp, days, n, total);
	fputs("<h3>Pass and fail</h3>\n", fp);
	chart_split(fp, total);
	fputs("<h3>Top sources</h3>\n", fp);
	rc = chart_sources(fp, total, top);
	if (rc == 0)
		rc = count_table(fp, "Source", "source", &total->sources, top);
	if (rc == 0) {
		fputs("<h3>Dispositions and override reasons</h3>\n", fp);
		rc = count_table(fp, "Disposition", "disposition",
		    &total->dispositions, 0);
	}
	if (rc == 0)
		rc = count_table(fp, "Reason", "reason", &total->reasons, 0);
	if (rc == 0)
		rc = anomalies(fp, dom, total);
	fputs("</section>\n", fp);
	free(days);
	day_stats_clear(&all);
	return rc;
}

int summary_print_html(const struct summary *s, FILE *fp, size_t top)
{
	struct strmap_entry **doms;
	size_t i, n;
	int rc = 0;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>DMARC reports</title>"
	    "<style>%s</style></head>\n<body>\n<h1>DMARC reports</h1>\n"
	    "<p><span data-k=\"reports\">%" PRIu64 "</span> reports, "
	    "<span data-k=\"duplicates\">%" PRIu64 "</span> duplicates "
	    "skipped, <span data-k=\"failure_reports\">%" PRIu64 "</span> "
	    "failure reports</p>\n", style, summary_reports(s),
	    summary_duplicates(s), summary_failure_reports(s));
	if ((doms = summary_domains(s, &n)) == NULL && n != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = domain_section(fp, doms[i]->p, top);
	free(doms);
	fputs("</body></html>\n", fp);
	if (rc == 0 && (fflush(fp) != 0 || ferror(fp)))
		rc = -1;
	return rc;
}
