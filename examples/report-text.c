/*
 * dmarc-report: the readable summary (report-text.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "print.h"
#include "report-text.h"

static const char *plural(uint64_t n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

/* "key n, key n, ..." of map sorted by volume, at most top entries. */
static int counts(FILE *fp, const char *label, const struct strmap *map,
    size_t top)
{
	size_t i, n;
	struct strmap_entry **list = strmap_sorted(map, strmap_by_count, &n);
	uint64_t rest = 0;

	if (n == (size_t)-1)
		return -1;
	if (n == 0)
		return 0;
	fprintf(fp, "    %s:", label);
	for (i = 0; i < n; i++) {
		if (top != 0 && i >= top) {
			rest += list[i]->v[0];
			continue;
		}
		fputs(i > 0 ? ", " : " ", fp);
		text_safe(fp, list[i]->len > 0 ? list[i]->key : "(none given)");
		fprintf(fp, " %" PRIu64, list[i]->v[0]);
	}
	if (top != 0 && n > top)
		fprintf(fp, ", and %zu more with %" PRIu64 " %s", n - top, rest,
		    plural(rest, "message", "messages"));
	putc('\n', fp);
	free(list);
	return 0;
}

/* One day's (or every day's) volumes and lists. */
static int day_lines(FILE *fp, const char *when, const struct day_stats *d,
    size_t top)
{
	fprintf(fp, "  %s: %" PRIu64 " %s; aligned dkim and spf %" PRIu64
	    ", dkim only %" PRIu64 ", spf only %" PRIu64 ", neither %" PRIu64
	    "\n", when, d->total, plural(d->total, "message", "messages"),
	    d->both, d->dkim_only, d->spf_only, d->neither);
	if (counts(fp, "dispositions", &d->dispositions, 0) != 0 ||
	    counts(fp, "reasons", &d->reasons, 0) != 0 ||
	    counts(fp, "sources", &d->sources, top) != 0)
		return -1;
	return 0;
}

/* The identifiers that passed without alignment, most messages first. */
static int unaligned_lines(FILE *fp, const struct day_stats *all)
{
	size_t i, n;
	struct strmap_entry **list = strmap_sorted(&all->unaligned,
	    strmap_by_count, &n);

	if (n == (size_t)-1)
		return -1;
	for (i = 0; i < n; i++) {
		const char *kind = list[i]->key;
		const char *id = kind + strlen(kind) + 1;
		const char *from = id + strlen(id) + 1;
		fprintf(fp, "  anomaly: %s pass not aligned: ", kind);
		text_safe(fp, id);
		fputs(" for header_from ", fp);
		text_safe(fp, from);
		fprintf(fp, ": %" PRIu64 " %s, %" PRIu64 " failing DMARC\n",
		    list[i]->v[0], plural(list[i]->v[0], "message", "messages"),
		    list[i]->v[1]);
	}
	free(list);
	return 0;
}

static void utc(FILE *fp, uint64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (t > (uint64_t)253402300799u || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		fprintf(fp, "%" PRIu64, t);
	else
		fputs(buf, fp);
}

static int duplicate_lines(FILE *fp, const struct domain_stats *dom)
{
	size_t i, n;
	struct strmap_entry **list = strmap_sorted(&dom->duplicates,
	    strmap_by_key, &n);

	if (n == (size_t)-1)
		return -1;
	for (i = 0; i < n; i++) {
		const char *org, *id;
		uint64_t begin, end;
		if (summary_key_split(list[i], &org, &id, &begin, &end) != 0)
			continue;
		fputs("  anomaly: duplicate report: org ", fp);
		text_safe(fp, org);
		fputs(" id ", fp);
		text_safe(fp, id);
		putc(' ', fp);
		utc(fp, begin);
		fputs("..", fp);
		utc(fp, end);
		fprintf(fp, ": %" PRIu64 " %s skipped\n", list[i]->v[0],
		    plural(list[i]->v[0], "copy", "copies"));
	}
	free(list);
	return 0;
}

/* Per day, then every day, then the anomalies. */
static int domain_lines(FILE *fp, const struct domain_stats *dom,
    size_t top)
{
	struct day_stats all, **days;
	const struct day_stats *total;
	size_t i, n;
	char when[32];
	int rc = 0;

	fputs(dom->domain[0] != '\0' ? "" : "(no policy domain)", fp);
	text_safe(fp, dom->domain);
	fprintf(fp, ": %" PRIu64 " %s\n", dom->reports,
	    plural(dom->reports, "report", "reports"));
	if ((days = summary_days(dom, &n)) == NULL && n != 0)
		return -1;
	memset(&all, 0, sizeof all);
	for (i = 0; i < n && rc == 0; i++) {
		const struct day_stats *d = days[i];
		summary_day_text(d->day, when, sizeof when);
		rc = day_lines(fp, when, d, top);
	}
	/* one day is its own total: no copy of its sources */
	if (rc == 0 && n > 1)
		rc = summary_domain_total(dom, &all) != 0 ? -1 :
		    day_lines(fp, "all days", &all, top);
	total = n == 1 ? days[0] : &all;
	if (rc == 0 && dom->failure_reports > 0)
		fprintf(fp, "  failure reports: %" PRIu64 " (%" PRIu64
		    " %s)\n", dom->failure_reports, dom->incidents,
		    plural(dom->incidents, "incident", "incidents"));
	if (rc == 0)
		rc = unaligned_lines(fp, total);
	for (i = 0; i < n && rc == 0; i++) {
		const struct day_stats *d = days[i];
		if (d->reject_unenforced == 0)
			continue;
		summary_day_text(d->day, when, sizeof when);
		fprintf(fp, "  anomaly: reject not enforced: %s: %" PRIu64
		    " failing %s neither rejected nor explained\n", when,
		    d->reject_unenforced, plural(d->reject_unenforced,
		    "message", "messages"));
	}
	if (rc == 0)
		rc = duplicate_lines(fp, dom);
	day_stats_clear(&all);
	free(days);
	return rc;
}

int summary_print_text(const struct summary *s, FILE *fp, size_t top)
{
	struct strmap_entry **doms;
	size_t i, n;
	int rc = 0;

	fprintf(fp, "%" PRIu64 " %s, %" PRIu64 " %s skipped, %" PRIu64
	    " failure %s\n", summary_reports(s),
	    plural(summary_reports(s), "report", "reports"),
	    summary_duplicates(s),
	    plural(summary_duplicates(s), "duplicate", "duplicates"),
	    summary_failure_reports(s),
	    plural(summary_failure_reports(s), "report", "reports"));
	if ((doms = summary_domains(s, &n)) == NULL && n != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = domain_lines(fp, doms[i]->p, top);
	free(doms);
	if (rc == 0 && (fflush(fp) != 0 || ferror(fp)))
		rc = -1;
	return rc;
}
