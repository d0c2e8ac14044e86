/*
 * dmarc-report: the summary a domain owner asks for first (RFC 9990
 * section 3; the seed BCP sections 8.2.2-8.2.3), per policy domain and
 * UTC day: sources with their volumes, the total, the volume that
 * passed aligned DKIM only, SPF only, both or neither, dispositions,
 * override reasons, and the anomalies: authentication that passed
 * without alignment (with the identifiers), a reject policy with
 * failing rows neither rejected nor explained, duplicate reports.
 *
 * A report's rows are provisional until the reader's REPORT_END: they
 * go into a delta of the aggregates (bounded by the report's distinct
 * sources, not its rows) that summary_commit() adds to the summary and
 * summary_drop() forgets.  A report covering several days is spread
 * evenly over them, integer-exact: each row's count is divided by the
 * number of days, the remainder going one message each to the first
 * days.  A period over SUMMARY_MAX_DAYS days counts as its first
 * SUMMARY_MAX_DAYS days.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_SUMMARY_H
#define DMARC_EXAMPLES_REPORT_SUMMARY_H

#include <stdint.h>

#include <dmarc/dmarc.h>

#include "report-row.h"
#include "strmap.h"

#define SUMMARY_MAX_DAYS 366

/* One policy domain on one UTC day. */
struct day_stats {
	int64_t day;                /* days since 1970-01-01 */
	uint64_t total, both, dkim_only, spf_only, neither;
	/* failing messages under p=reject (sp= for a subdomain) whose
	 * disposition is not reject, with no reason given */
	uint64_t reject_unenforced;
	struct strmap dispositions, reasons, sources;   /* v[0]: messages */
	/* key "dkim" or "spf", NUL, the identifier, NUL, header_from:
	 * v[0] messages where it passed unaligned, v[1] of them failing
	 * DMARC */
	struct strmap unaligned;
};

struct domain_stats {
	char *domain;
	struct strmap days;         /* 8-byte day keys; p: struct day_stats */
	/* key as summary_key_split() reads it; v[0]: copies skipped (in
	 * all: skipped) */
	struct strmap duplicates;
	uint64_t reports, skipped, failure_reports, incidents;
};

struct summary;

/* ctx gives the Public Suffix List for relaxed alignment
 * (dmarc_psl_org_domain(3)); NULL when memory ran out. */
struct summary *summary_new(const dmarc_ctx *ctx);
void summary_free(struct summary *s);

/* An aggregate report begins.  0, or -1 when memory ran out. */
int summary_begin(struct summary *s, const struct report_meta *m);
/* One of its rows.  0 or -1. */
int summary_row(struct summary *s, const struct report_row *r);
/* Its REPORT_END: its delta is added, unless a report with the same key
 * (org_name, report_id, policy domain, begin, end) was added before:
 * then it is counted as a duplicate.  0 added, 1 duplicate, -1. */
int summary_commit(struct summary *s);
/* Its FAILED: forget its rows. */
void summary_drop(struct summary *s);
/* A duplicate found elsewhere (the database), copies times.  0 or -1. */
int summary_add_duplicate(struct summary *s, const struct report_meta *m,
    uint64_t copies);
/* A failure report about domain (NULL: unknown).  0 or -1. */
int summary_failure_report(struct summary *s, const char *domain,
    uint64_t incidents);

/* The policy domains, sorted by name; *n of them (see strmap_sorted). */
struct strmap_entry **summary_domains(const struct summary *s, size_t *n);
/* Reports added, duplicates skipped, failure reports. */
uint64_t summary_reports(const struct summary *s);
uint64_t summary_duplicates(const struct summary *s);
uint64_t summary_failure_reports(const struct summary *s);

/* The days of d in order; *n of them.  NULL when there are none or
 * memory ran out (*n is then 0 or (size_t)-1). */
struct day_stats **summary_days(const struct domain_stats *d, size_t *n);
/* Every day of d added into out (zeroed first by the caller).  0 or -1. */
int summary_domain_total(const struct domain_stats *d,
    struct day_stats *out);
/* Add src's counts to dst.  0 or -1. */
int day_stats_add(struct day_stats *dst, const struct day_stats *src);
void day_stats_clear(struct day_stats *d);
/* The parts of a duplicate's key; 0, or -1 for a key not made here. */
int summary_key_split(const struct strmap_entry *e, const char **org,
    const char **report_id, uint64_t *begin, uint64_t *end);
/* day as YYYY-MM-DD into buf (at least 11 bytes). */
void summary_day_text(int64_t day, char *buf, size_t size);

#endif /* DMARC_EXAMPLES_REPORT_SUMMARY_H */
