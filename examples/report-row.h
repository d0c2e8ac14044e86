/*
 * dmarc-report: a report's metadata and one row as plain C values, read
 * from the reader's keyed getters (dmarc_reader_get_text(3)) or from the
 * database, so the summary and the writers need not know where they
 * came from.  Strings point into the source (the reader's current event,
 * a database row) and are valid as long as it is.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_ROW_H
#define DMARC_EXAMPLES_REPORT_ROW_H

#include <stddef.h>
#include <stdint.h>

#include <dmarc/reader.h>

/* One value per element of a "several" field; entries may be NULL. */
struct text_list {
	const char **v;
	size_t n, cap;
};

/* An aggregate report's metadata and published policy. */
struct report_meta {
	const char *format, *org_name, *report_id, *policy_domain;
	const char *p, *sp, *adkim, *aspf;
	uint64_t begin, end;
	uint64_t records, messages;   /* at REPORT_END */
};

struct report_row {
	const char *source_ip, *disposition, *dkim_aligned, *spf_aligned;
	const char *header_from, *envelope_from, *envelope_to;
	uint64_t count;
	/* index i of each list speaks of the same dkim, spf, reason */
	struct text_list dkim_domain, dkim_selector, dkim_result, dkim_human;
	struct text_list spf_domain, spf_scope, spf_result, spf_human;
	struct text_list reason_type, reason_comment;
};

/* The metadata of the reader's current report (at REPORT or
 * REPORT_END). */
void meta_read(struct report_meta *m, const dmarc_reader *rd);
/* The reader's current row.  0, or -1 when memory ran out. */
int row_read(struct report_row *r, const dmarc_reader *rd);
/* Every list empty, keeping what was allocated. */
void row_clear(struct report_row *r);
void row_free(struct report_row *r);

/* Append s to the list.  0, or -1 when memory ran out. */
int list_push(struct text_list *l, const char *s);
/* The DKIM, SPF or reason entries of a row: the longest of the lists
 * of that element. */
size_t row_dkim_count(const struct report_row *r);
size_t row_spf_count(const struct report_row *r);
size_t row_reason_count(const struct report_row *r);
/* Entry i of l, NULL past its end. */
const char *list_at(const struct text_list *l, size_t i);

#endif /* DMARC_EXAMPLES_REPORT_ROW_H */
