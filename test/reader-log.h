/*
 * What the report reader's tests and fuzz targets share: a run of a
 * reader over an input in a given chunking, with every event written to
 * a log (its kind, failure class, status, every field's values through
 * the getters, its diagnostics), so that two runs compare by their logs;
 * and the checks every event must pass (values NUL-terminated and of
 * the length reported, number fields that read as numbers, rows inside
 * a report, the sum of their counts equal to MESSAGES at REPORT_END).
 * The log is kept with the C library's allocator, apart from the
 * reader's.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_READER_LOG_H
#define DMARC_TEST_READER_LOG_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

struct reader_log {
	char *data;
	size_t len, cap;
	const char *broken;    /* the first check that failed, or NULL */
	unsigned long events[DMARC_READER_DONE + 1];
	/* the report being read */
	bool in_report;
	uint64_t rows, sum;
	bool sum_overflow;
};

static inline void reader_log_init(struct reader_log *l)
{
	memset(l, 0, sizeof *l);
}

static inline void reader_log_free(struct reader_log *l)
{
	free(l->data);
	reader_log_init(l);
}

static inline void reader_log_add(struct reader_log *l, const char *p,
    size_t n)
{
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->len + n + 1) * 2;
		char *q = realloc(l->data, cap);

		if (q == NULL)
			abort();
		l->data = q;
		l->cap = cap;
	}
	memcpy(l->data + l->len, p, n);
	l->len += n;
	l->data[l->len] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void reader_log_printf(struct reader_log *l, const char *fmt,
    ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		reader_log_add(l, buf, (size_t)n < sizeof buf ? (size_t)n :
		    sizeof buf - 1);
}

static inline void reader_log_break(struct reader_log *l, const char *why)
{
	if (l->broken == NULL)
		l->broken = why;
}

/* Number fields whose text the reader checked (aggregate reports): they
 * must read as numbers.  A failure report's Source-Port and Incidents
 * are given as sent. */
static inline bool reader_checked_number(dmarc_reader_field f)
{
	switch (f) {
	case DMARC_FIELD_MESSAGE_INDEX:
	case DMARC_FIELD_BEGIN:
	case DMARC_FIELD_END:
	case DMARC_FIELD_PCT:
	case DMARC_FIELD_RECORDS:
	case DMARC_FIELD_MESSAGES:
	case DMARC_FIELD_COUNT:
		return true;
	default:
		return false;
	}
}

static inline bool reader_number_field(dmarc_reader_field f)
{
	return reader_checked_number(f) || f == DMARC_FIELD_SOURCE_PORT ||
	    f == DMARC_FIELD_INCIDENTS;
}

/* Every value of field f in the current event, into the log. */
static inline void reader_log_field(struct reader_log *l,
    const dmarc_reader *rd, dmarc_reader_field f)
{
	size_t n = dmarc_reader_get_count(rd, f), i, len;
	uint64_t v;

	if (n == 0) {
		if (dmarc_reader_get_text(rd, f, 0, NULL) != NULL)
			reader_log_break(l, "a value where the count is 0");
		return;
	}
	reader_log_printf(l, " %s[%zu]", dmarc_reader_field_name(f), n);
	for (i = 0; i < n; i++) {
		const char *t;

		len = (size_t)-1;
		t = dmarc_reader_get_text(rd, f, i, &len);
		if (t == NULL) {
			reader_log_add(l, " -", 2);
			if (dmarc_reader_get_number(rd, f, i, &v) !=
			    DMARC_EINVAL)
				reader_log_break(l, "a number where absent");
			continue;
		}
		if (strlen(t) != len)
			reader_log_break(l, "a value whose length is not its "
			    "strlen");
		reader_log_printf(l, " =%zu:", len);
		reader_log_add(l, t, len);
		if (reader_number_field(f)) {
			dmarc_status st = dmarc_reader_get_number(rd, f, i, &v);

			if (st == DMARC_OK)
				reader_log_printf(l, " #%" PRIu64, v);
			else if (reader_checked_number(f))
				reader_log_break(l, "a number field that is "
				    "no number");
		} else if (dmarc_reader_get_number(rd, f, i, &v) !=
		    DMARC_EINVAL)
			reader_log_break(l, "get_number on a text field");
	}
	if (dmarc_reader_get_text(rd, f, n, NULL) != NULL)
		reader_log_break(l, "a value past the count");
}

/* The totals of a report against its rows. */
static inline void reader_log_totals(struct reader_log *l,
    const dmarc_reader *rd, dmarc_reader_event ev)
{
	uint64_t v;

	switch (ev) {
	case DMARC_READER_REPORT:
		if (l->in_report)
			reader_log_break(l, "a report inside a report");
		l->in_report = true;
		l->rows = l->sum = 0;
		l->sum_overflow = false;
		break;
	case DMARC_READER_ROW:
		if (!l->in_report)
			reader_log_break(l, "a row outside a report");
		if (dmarc_reader_get_number(rd, DMARC_FIELD_COUNT, 0, &v) !=
		    DMARC_OK)
			reader_log_break(l, "a row without count");
		else if (v > UINT64_MAX - l->sum)
			l->sum_overflow = true;
		else
			l->sum += v;
		l->rows++;
		break;
	case DMARC_READER_REPORT_END:
		if (!l->in_report)
			reader_log_break(l, "an end outside a report");
		if (dmarc_reader_get_number(rd, DMARC_FIELD_MESSAGES, 0, &v) !=
		    DMARC_OK || v != l->sum || l->sum_overflow)
			reader_log_break(l, "MESSAGES is not the sum of counts");
		if (dmarc_reader_get_number(rd, DMARC_FIELD_RECORDS, 0, &v) !=
		    DMARC_OK || v != l->rows)
			reader_log_break(l, "RECORDS is not the rows given");
		l->in_report = false;
		break;
	case DMARC_READER_FAILED:
		l->in_report = false; /* its rows are discarded */
		if (dmarc_reader_get_failure(rd) == DMARC_READER_FAILURE_NONE)
			reader_log_break(l, "FAILED without a class");
		break;
	case DMARC_READER_FAILURE_REPORT:
		if (l->in_report)
			reader_log_break(l, "a failure report inside a report");
		break;
	default:
		break;
	}
}

static int reader_log_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The diagnostics of a report, when it closes, sorted: the repairs of
 * the XML are said when its bytes arrive, ahead of the rows expat reads
 * from them, so their place in the list depends on the chunking (not
 * what they say). */
static inline void reader_log_diags(struct reader_log *l,
    const dmarc_reader *rd, dmarc_reader_event ev)
{
	char *lines[64];
	size_t i, k = 0, n = dmarc_reader_get_diag_count(rd);

	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_reader_get_diag(rd, i);
		const char *tag = dmarc_diag_get_tag(d);
		char buf[128];

		if (d == NULL || strcmp(dmarc_diag_get_name(d), "unknown") == 0) {
			reader_log_break(l, "a diagnostic that cannot be read");
			continue;
		}
		if (k == sizeof lines / sizeof lines[0]) {
			reader_log_break(l, "more diagnostics than kept");
			break;
		}
		(void)snprintf(buf, sizeof buf, " <%s %d %zu %s>",
		    dmarc_diag_get_name(d), (int)dmarc_diag_get_severity(d),
		    dmarc_diag_get_offset(d), tag != NULL ? tag : "-");
		lines[k] = malloc(strlen(buf) + 1);
		if (lines[k] == NULL)
			abort();
		memcpy(lines[k++], buf, strlen(buf) + 1);
	}
	if (dmarc_reader_get_diag(rd, n) != NULL)
		reader_log_break(l, "a diagnostic past the count");
	qsort(lines, k, sizeof lines[0], reader_log_cmp);
	for (i = 0; i < k; i++) {
		/* a failed document: the repairs said depend on how far
		 * ahead of expat the repair filter had been given bytes,
		 * past the failure in a whole input, not in pieces */
		bool ahead = ev == DMARC_READER_FAILED &&
		    strncmp(lines[i], " <report-repaired ", 18) == 0;

		if ((ev == DMARC_READER_REPORT_END || ev == DMARC_READER_FAILED ||
		    ev == DMARC_READER_FAILURE_REPORT) && !ahead)
			reader_log_add(l, lines[i], strlen(lines[i]));
		free(lines[i]);
	}
}

/* One event, into the log. */
static inline void reader_log_event(struct reader_log *l,
    const dmarc_reader *rd, dmarc_reader_event ev)
{
	unsigned f;
	uint64_t v;

	if ((unsigned)ev <= DMARC_READER_DONE)
		l->events[ev]++;
	/* (the status speaks of the last failure: logged with it) */
	reader_log_printf(l, "%s %s %d", dmarc_reader_event_name(ev),
	    dmarc_reader_failure_name(dmarc_reader_get_failure(rd)),
	    ev == DMARC_READER_FAILED ? (int)dmarc_reader_get_status(rd) : 0);
	if (ev != DMARC_READER_FAILED &&
	    dmarc_reader_get_failure(rd) != DMARC_READER_FAILURE_NONE)
		reader_log_break(l, "a failure class outside FAILED");
	for (f = 1; f < 128; f++)
		if (dmarc_reader_field_name((dmarc_reader_field)f) != NULL)
			reader_log_field(l, rd, (dmarc_reader_field)f);
		else if (dmarc_reader_get_count(rd, (dmarc_reader_field)f) != 0)
			reader_log_break(l, "values of an unknown field");
	if (dmarc_reader_get_number(rd, DMARC_FIELD_ORG_NAME, 0, &v) !=
	    DMARC_EINVAL || dmarc_reader_get_number(rd, DMARC_FIELD_COUNT, 0,
	    NULL) != DMARC_EINVAL)
		reader_log_break(l, "get_number where it cannot be");
	reader_log_diags(l, rd, ev);
	reader_log_add(l, "\n", 1);
	reader_log_totals(l, rd, ev);
}

/* Reads len bytes of data with rd (fresh or reset) in pieces of chunk
 * bytes (0: whole, a negative chunk: sizes drawn from a generator seeded
 * by -chunk, 1 to 300 bytes), every event into l.  Stops after
 * max_events events (0: no limit).  False when the reader's API did
 * not behave (the reason in l->broken). */
static inline bool reader_log_run(struct reader_log *l, dmarc_reader *rd,
    const char *data, size_t len, long chunk, unsigned long max_events)
{
	dmarc_reader_event ev;
	size_t pos = 0, n;
	uint32_t seed = chunk < 0 ? (uint32_t)-chunk : 0;
	unsigned long events = 0;

	do {
		if (chunk == 0)
			n = len;
		else if (chunk > 0)
			n = (size_t)chunk;
		else {
			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 8) % 300;
		}
		if (n > len - pos)
			n = len - pos;
		if (dmarc_reader_push(rd, data + pos, n) != DMARC_OK) {
			reader_log_break(l, "push refused");
			return false;
		}
		/* the bytes are being read: no more until NEED_INPUT */
		if (n > 0 && (dmarc_reader_push(rd, data, 1) != DMARC_ESTATE ||
		    dmarc_reader_finish(rd) != DMARC_ESTATE)) {
			reader_log_break(l, "a push over pending bytes");
			return false;
		}
		pos += n;
		while ((ev = dmarc_reader_next(rd)) != DMARC_READER_NEED_INPUT) {
			if (ev == DMARC_READER_DONE) {
				reader_log_break(l, "DONE before finish");
				return false;
			}
			reader_log_event(l, rd, ev);
			if (max_events != 0 && ++events >= max_events)
				return true;
		}
	} while (pos < len);
	if (dmarc_reader_finish(rd) != DMARC_OK) {
		reader_log_break(l, "finish refused");
		return false;
	}
	if (dmarc_reader_finish(rd) != DMARC_ESTATE) {
		reader_log_break(l, "finish twice");
		return false;
	}
	while ((ev = dmarc_reader_next(rd)) != DMARC_READER_DONE) {
		if (ev == DMARC_READER_NEED_INPUT) {
			reader_log_break(l, "NEED_INPUT after finish");
			return false;
		}
		reader_log_event(l, rd, ev);
		if (max_events != 0 && ++events >= max_events)
			return true;
	}
	if (dmarc_reader_next(rd) != DMARC_READER_DONE) {
		reader_log_break(l, "an event after DONE");
		return false;
	}
	if (l->in_report)
		reader_log_break(l, "a report without its end");
	return l->broken == NULL;
}

#endif /* DMARC_TEST_READER_LOG_H */
