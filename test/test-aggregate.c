/*
 * The aggregate (include/dmarc/report.h): rows counted from evaluations
 * and from spool lines alike, merging in any order and grouping, giving
 * the same reports as one aggregate of everything; spools of three
 * "hosts" against one spool; periods, the policy snapshot, the row
 * limit, parts, and allocation failures.  Reports are compared as the
 * XML the library writes: the whole of what a report says.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "agg-messages.h"
#include "check-main.h"
#include "report/aggregate_int.h"
#include "failing-alloc.h"
#include "mem-sink.h"
#include "test-data.h"

static dmarc_ctx *CTX;
static dmarc_eval *EV;
static struct fake_zone Z;

static uint32_t always_99(void *user)
{
	(void)user;
	return 99;
}

static void make_ctx(dmarc_mode mode, size_t max_rows, size_t interval,
    int failing)
{
	if (failing)
		ck_assert_int_eq(dmarc_ctx_new_with_allocator(&CTX,
		    failing_malloc, failing_realloc, failing_free), DMARC_OK);
	else
		ck_assert_int_eq(dmarc_ctx_new(&CTX), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_mode(CTX, mode), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_load_psl(CTX, psl_path()), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_random(CTX, always_99, NULL), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_limit(CTX, DMARC_LIMIT_AGGREGATE_ROWS,
	    max_rows), DMARC_OK);
	ck_assert_int_eq(dmarc_ctx_set_limit(CTX, DMARC_LIMIT_REPORT_INTERVAL,
	    interval), DMARC_OK);
	fake_zone_init(&Z, AGG_ZONE);
	ck_assert_int_eq(dmarc_ctx_set_lookup(CTX, fake_lookup, &Z), DMARC_OK);
	ck_assert_int_eq(dmarc_eval_new(&EV, CTX), DMARC_OK);
}

static void setup(void)
{
	fail_at = -1;
	make_ctx(DMARC_MODE_RFC9989, 1000000, 86400, 0);
}

static void teardown(void)
{
	dmarc_eval_free(EV);
	dmarc_ctx_free(CTX);
	EV = NULL;
	CTX = NULL;
}

#define REQUIRE(cond) do { \
	if (!(cond)) \
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

static dmarc_aggregate *new_aggregate(void)
{
	dmarc_aggregate *agg;

	REQUIRE(dmarc_aggregate_new(&agg, CTX) == DMARC_OK);
	REQUIRE(dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_ORG_NAME,
	    "Receiver & Co") == DMARC_OK);
	REQUIRE(dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_EMAIL,
	    "dmarc@receiver.example") == DMARC_OK);
	REQUIRE(dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_SUBMITTER,
	    "receiver.example") == DMARC_OK);
	REQUIRE(dmarc_aggregate_set_reporter(agg, DMARC_REPORTER_GENERATOR,
	    "test") == DMARC_OK);
	return agg;
}

/* Messages [first, last) of the stream, each added: how many had
 * something to report. */
static size_t add_messages(dmarc_aggregate *agg, uint64_t seed,
    uint64_t first, uint64_t last)
{
	size_t n = 0;
	uint64_t i;

	for (i = first; i < last; i++) {
		if (agg_message(EV, seed, i) != DMARC_OK)
			continue;
		if (dmarc_aggregate_add_eval(agg, EV) == DMARC_OK)
			n++;
	}
	return n;
}

/* Every report of agg as text, in order of policy domain and begin
 * (the order reports come out in depends on the order rows came). */
struct report_ref {
	const dmarc_report *r;
};

static int by_domain_begin(const void *a, const void *b)
{
	const dmarc_report *x = ((const struct report_ref *)a)->r;
	const dmarc_report *y = ((const struct report_ref *)b)->r;
	int c = strcmp(dmarc_report_get_domain(x), dmarc_report_get_domain(y));

	if (c != 0)
		return c;
	return dmarc_report_get_begin(x) < dmarc_report_get_begin(y) ? -1 :
	    dmarc_report_get_begin(x) > dmarc_report_get_begin(y);
}

static void all_reports(const dmarc_aggregate *agg, struct mem_sink *out)
{
	size_t n = dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS), i;
	struct report_ref *refs = calloc(n + 1, sizeof *refs);

	REQUIRE(refs != NULL);
	for (i = 0; i < n; i++)
		refs[i].r = dmarc_aggregate_get_report(agg, i);
	qsort(refs, n, sizeof *refs, by_domain_begin);
	mem_sink_init(out);
	for (i = 0; i < n; i++)
		REQUIRE(dmarc_report_write(refs[i].r, 1, 1, DMARC_REPORT_PRETTY,
		    mem_sink_write, out) == DMARC_OK);
	REQUIRE(mem_sink_append(out, "", 1) == DMARC_OK); /* a C string */
	free(refs);
}

static void assert_same_reports(const dmarc_aggregate *a,
    const dmarc_aggregate *b)
{
	struct mem_sink x, y;

	all_reports(a, &x);
	all_reports(b, &y);
	ck_assert_str_eq(x.data, y.data);
	mem_sink_dispose(&x);
	mem_sink_dispose(&y);
}

/* ---- counting ---- */

START_TEST(test_counts)
{
	dmarc_aggregate *agg = new_aggregate();
	uint64_t sum = 0, rows = 0;
	size_t n = add_messages(agg, 1, 0, 3000), i;

	ck_assert_uint_gt(n, 2000);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    n);
	ck_assert_uint_lt(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), n);
	for (i = 0; i < dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS);
	    i++) {
		const dmarc_report *r = dmarc_aggregate_get_report(agg, i);
		sum += dmarc_report_get_count(r, DMARC_COUNT_MESSAGES);
		rows += dmarc_report_get_count(r, DMARC_COUNT_ROWS);
		ck_assert_uint_eq(dmarc_report_get_end(r),
		    dmarc_report_get_begin(r) + 86399);
		ck_assert_uint_eq(dmarc_report_get_begin(r) % 86400, 0);
	}
	ck_assert_uint_eq(sum, n);
	ck_assert_uint_eq(rows, dmarc_aggregate_get_count(agg,
	    DMARC_COUNT_ROWS));
	ck_assert_ptr_null(dmarc_aggregate_get_report(agg, i));
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_DROPPED),
	    0);
	dmarc_aggregate_free(agg);
}
END_TEST

/* The same message twice is one row counted twice. */
START_TEST(test_same_message_one_row)
{
	dmarc_aggregate *agg = new_aggregate();
	const dmarc_report *r;

	ck_assert_int_eq(agg_message(EV, 7, 0), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_OK);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), 1);
	r = dmarc_aggregate_get_report(agg, 0);
	ck_assert_uint_eq(dmarc_report_get_count(r, DMARC_COUNT_MESSAGES), 2);
	ck_assert_uint_eq(dmarc_report_get_count(r, DMARC_COUNT_ROWS), 1);
	/* nothing to report: not run */
	dmarc_eval_reset(EV);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_aggregate_add_eval(NULL, EV), DMARC_EINVAL);
	dmarc_aggregate_free(agg);
}
END_TEST

/* Counting an evaluation and counting its spool line are the same. */
START_TEST(test_eval_equals_spool_line)
{
	dmarc_aggregate *a = new_aggregate(), *b = new_aggregate();
	char line[DMARC_SPOOL_LINE_MAX + 1];
	size_t len;
	uint64_t i;

	for (i = 0; i < 2000; i++) {
		if (agg_message(EV, 3, i) != DMARC_OK ||
		    dmarc_aggregate_add_eval(a, EV) != DMARC_OK)
			continue;
		REQUIRE(dmarc_spool_encode_eval(EV, line, sizeof line, &len) ==
		    DMARC_OK);
		REQUIRE(dmarc_aggregate_add_spool_line(b, line, len, NULL) ==
		    DMARC_OK);
	}
	assert_same_reports(a, b);
	ck_assert_int_eq(dmarc_aggregate_add_spool_line(b, "dmarc-spool/1\tx",
	    15, &len), DMARC_EINVAL);
	ck_assert_uint_eq(len, 15); /* required fields missing */
	dmarc_aggregate_free(a);
	dmarc_aggregate_free(b);
}
END_TEST

/* A message counted from its evaluation and from its spool line lands
 * in one row: the two ways of making a key hash and compare alike. */
START_TEST(test_eval_and_line_one_row)
{
	dmarc_aggregate *both = new_aggregate(), *evals = new_aggregate();
	char line[DMARC_SPOOL_LINE_MAX + 1];
	size_t len, n = 0;
	uint64_t i;

	for (i = 0; i < 1500; i++) {
		if (agg_message(EV, 12, i) != DMARC_OK ||
		    dmarc_aggregate_add_eval(evals, EV) != DMARC_OK)
			continue;
		REQUIRE(dmarc_aggregate_add_eval(both, EV) == DMARC_OK);
		REQUIRE(dmarc_spool_encode_eval(EV, line, sizeof line, &len) ==
		    DMARC_OK);
		REQUIRE(dmarc_aggregate_add_spool_line(both, line, len, NULL) ==
		    DMARC_OK);
		n++;
	}
	ck_assert_uint_gt(n, 1000);
	ck_assert_uint_eq(dmarc_aggregate_get_count(both, DMARC_COUNT_ROWS),
	    dmarc_aggregate_get_count(evals, DMARC_COUNT_ROWS));
	ck_assert_uint_eq(dmarc_aggregate_get_count(both,
	    DMARC_COUNT_MESSAGES), 2 * n);
	ck_assert_uint_eq(dmarc_aggregate_get_count(both, DMARC_COUNT_REPORTS),
	    dmarc_aggregate_get_count(evals, DMARC_COUNT_REPORTS));
	dmarc_aggregate_free(both);
	dmarc_aggregate_free(evals);
}
END_TEST

/* Rows merged from another aggregate (its hashes of another seed) are
 * found again by evaluations: the stream added once more after the
 * merge doubles every count and makes no row. */
START_TEST(test_merged_rows_found)
{
	dmarc_aggregate *from = new_aggregate(), *into = new_aggregate();
	uint64_t rows, messages;

	add_messages(from, 13, 0, 1500);
	rows = dmarc_aggregate_get_count(from, DMARC_COUNT_ROWS);
	messages = dmarc_aggregate_get_count(from, DMARC_COUNT_MESSAGES);
	ck_assert_int_eq(dmarc_aggregate_merge(into, from), DMARC_OK);
	add_messages(into, 13, 0, 1500);
	ck_assert_uint_eq(dmarc_aggregate_get_count(into, DMARC_COUNT_ROWS),
	    rows);
	ck_assert_uint_eq(dmarc_aggregate_get_count(into, DMARC_COUNT_MESSAGES),
	    2 * messages);
	/* and the other way: rows made by evaluations, merged into rows
	 * made by merging */
	ck_assert_int_eq(dmarc_aggregate_merge(from, into), DMARC_OK);
	ck_assert_uint_eq(dmarc_aggregate_get_count(from, DMARC_COUNT_ROWS),
	    rows);
	ck_assert_uint_eq(dmarc_aggregate_get_count(from, DMARC_COUNT_MESSAGES),
	    3 * messages);
	dmarc_aggregate_free(from);
	dmarc_aggregate_free(into);
}
END_TEST

/* Counting an evaluation whose row exists allocates nothing: with
 * every allocation failing, the stream added a second time is counted
 * in full. */
START_TEST(test_existing_row_no_allocation)
{
	dmarc_aggregate *agg;
	uint64_t i, rows, messages;
	dmarc_status st;
	long before;

	teardown();
	make_ctx(DMARC_MODE_RFC9989, 1000000, 86400, 1);
	agg = new_aggregate();
	add_messages(agg, 14, 0, 1000);
	rows = dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS);
	messages = dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES);
	for (i = 0; i < 1000; i++) {
		if (agg_message(EV, 14, i) != DMARC_OK)
			continue;
		before = n_allocs;
		fail_at = n_allocs; /* the next allocation fails */
		st = dmarc_aggregate_add_eval(agg, EV);
		/* DMARC_ESTATE: nothing to report, not counted before */
		REQUIRE(st == DMARC_OK || st == DMARC_ESTATE);
		fail_at = -1;
		REQUIRE(n_allocs == before);
	}
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS),
	    rows);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    2 * messages);
	dmarc_aggregate_free(agg);
}
END_TEST

/* Messages that differ from one another in one field each: which
 * field, and how (strings of exactly 16 and 32 bytes, strings that
 * differ in their last byte only, a string against an absent one, one
 * byte of the fixed part). */
struct variant {
	const char *from, *env_from, *env_to, *ip, *spf, *selector, *human;
	dmarc_spf_scope scope;
	uint64_t time;
	int override;
};

static const struct variant BASE = {
	"abcd.example.com", "abcdefghijk.test", NULL, "192.0.2.1",
	"abcdefghijk.test", "sel-0123456789ab", "", DMARC_SPF_MAILFROM,
	AGG_DAY0 + 3600, 0
};

#define S32A "abcdefghijklmnopqrstuvwxyz0.test"
#define S32B "abcdefghijklmnopqrstuvwxyz0.tesu"

static void variants(struct variant *v, size_t *n)
{
	size_t k = 0;

	v[k++] = BASE;
	v[k] = BASE, v[k++].from = "abce.example.com";
	v[k] = BASE, v[k++].from = "abcdefghijklmnopqrst.example.com";
	v[k] = BASE, v[k++].from = "abcdefghijklmnopqrsu.example.com";
	v[k] = BASE, v[k++].env_from = "abcdefghijk.tesu";
	v[k] = BASE, v[k++].env_from = S32A;
	v[k] = BASE, v[k++].env_from = S32B;
	v[k] = BASE, v[k++].env_from = NULL;
	v[k] = BASE, v[k++].env_from = "";
	v[k] = BASE, v[k++].env_to = "receiver.example";
	v[k] = BASE, v[k++].env_to = "receiver.exampla";
	v[k] = BASE, v[k++].spf = NULL;
	v[k] = BASE, v[k++].spf = "";
	v[k] = BASE, v[k++].spf = "abcdefghijk.tesu";
	v[k] = BASE, v[k++].spf = S32B;
	v[k] = BASE, v[k++].scope = DMARC_SPF_HELO;
	v[k] = BASE, v[k++].selector = "sel-0123456789ac";
	v[k] = BASE, v[k++].selector = "sel-0123456789abcdef0123456789ab";
	v[k] = BASE, v[k++].selector = "sel-0123456789abcdef0123456789ac";
	v[k] = BASE, v[k++].selector = NULL; /* no signature */
	v[k] = BASE, v[k++].human = "x";
	v[k] = BASE, v[k++].human = "y";
	v[k] = BASE, v[k++].human = "body hash did no";
	v[k] = BASE, v[k++].human = "body hash did nu";
	v[k] = BASE, v[k++].ip = "192.0.2.2";
	v[k] = BASE, v[k++].ip = "::ffff:192.0.2.1";
	v[k] = BASE, v[k++].ip = "2001:db8::1";
	v[k] = BASE, v[k++].ip = "2001:db8::2";
	v[k] = BASE, v[k++].ip = NULL;
	v[k] = BASE, v[k++].time = AGG_DAY0 + 86400;
	v[k] = BASE, v[k++].override = 1;
	*n = k;
}

static void evaluate_variant(const struct variant *v)
{
	char field[300];

	dmarc_eval_reset(EV);
	snprintf(field, sizeof field, "Someone <x@%s>", v->from);
	REQUIRE(dmarc_eval_add_from(EV, field, strlen(field)) == DMARC_OK);
	if (v->ip != NULL)
		REQUIRE(dmarc_eval_set_ip(EV, v->ip, strlen(v->ip)) ==
		    DMARC_OK);
	if (v->env_from != NULL)
		REQUIRE(dmarc_eval_set_envelope_from(EV, v->env_from,
		    strlen(v->env_from)) == DMARC_OK);
	if (v->env_to != NULL)
		REQUIRE(dmarc_eval_set_envelope_to(EV, v->env_to,
		    strlen(v->env_to)) == DMARC_OK);
	if (v->spf != NULL)
		REQUIRE(dmarc_eval_set_spf(EV, DMARC_VERDICT_PASS, v->spf,
		    strlen(v->spf), v->scope) == DMARC_OK);
	if (v->selector != NULL) {
		REQUIRE(dmarc_eval_add_dkim(EV, DMARC_VERDICT_PASS, v->from,
		    strlen(v->from), v->selector, strlen(v->selector)) ==
		    DMARC_OK);
		if (v->human[0] != '\0')
			REQUIRE(dmarc_eval_set_dkim_human_result(EV, 0,
			    v->human, strlen(v->human)) == DMARC_OK);
	}
	REQUIRE(dmarc_eval_set_time(EV, v->time) == DMARC_OK);
	REQUIRE(dmarc_eval_run(EV) == DMARC_OK);
	if (v->override)
		REQUIRE(dmarc_eval_override(EV, DMARC_DISPOSITION_NONE,
		    DMARC_REASON_LOCAL_POLICY, NULL) == DMARC_OK);
}

/* Each field tells rows apart, whichever way a row is counted (an
 * evaluation whose row exists, a new one, a spool line), and a message
 * counted again lands in its own row: the key's comparison reads every
 * byte of every string, up to the last one, and no byte past it. */
START_TEST(test_one_field_apart)
{
	dmarc_aggregate *agg = new_aggregate(), *lines = new_aggregate();
	struct variant v[40];
	char line[DMARC_SPOOL_LINE_MAX + 1];
	size_t n, i, len, round;

	variants(v, &n);
	for (round = 0; round < 3; round++)
		for (i = 0; i < n; i++) {
			/* forwards, backwards, then forwards again */
			size_t k = round == 1 ? n - 1 - i : i;
			evaluate_variant(&v[k]);
			REQUIRE(dmarc_aggregate_add_eval(agg, EV) == DMARC_OK);
			REQUIRE(dmarc_aggregate_get_count(agg,
			    DMARC_COUNT_ROWS) == (round == 0 ? i + 1 : n));
			REQUIRE(dmarc_spool_encode_eval(EV, line, sizeof line,
			    &len) == DMARC_OK);
			REQUIRE(dmarc_aggregate_add_spool_line(lines, line, len,
			    NULL) == DMARC_OK);
			REQUIRE(dmarc_aggregate_add_spool_line(agg, line, len,
			    NULL) == DMARC_OK);
		}
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), n);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    6 * n);
	ck_assert_uint_eq(dmarc_aggregate_get_count(lines, DMARC_COUNT_ROWS),
	    n);
	/* rows made by spool lines first, then found by evaluations */
	for (i = 0; i < n; i++) {
		evaluate_variant(&v[i]);
		REQUIRE(dmarc_aggregate_add_eval(lines, EV) == DMARC_OK);
	}
	ck_assert_uint_eq(dmarc_aggregate_get_count(lines, DMARC_COUNT_ROWS),
	    n);
	ck_assert_uint_eq(dmarc_aggregate_get_count(lines,
	    DMARC_COUNT_MESSAGES), 4 * n);
	/* no time: refused, nothing counted */
	v[0].time = 0;
	evaluate_variant(&v[0]);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    6 * n);
	dmarc_aggregate_free(agg);
	dmarc_aggregate_free(lines);
}
END_TEST

/* A row that another key's hash leads to (made so by hand: with hashes
 * of 32 bits, seeded per store, tests never meet a collision) is told
 * apart by its bytes, on the evaluation's path and on the general one:
 * two keys that differ in one byte before their last (a human result's
 * last letter, then its NUL). */
START_TEST(test_collision_told_apart)
{
	dmarc_aggregate *agg = new_aggregate(), *probe = new_aggregate();
	struct agg_store *st = &agg->store;
	struct variant a = BASE, b = BASE;
	char line[DMARC_SPOOL_LINE_MAX + 1];
	uint32_t hb;
	size_t j, len;

	a.human = "body hash did no";
	b.human = "body hash did nu";
	/* b's hash under agg's seed and key */
	probe->store.seed = st->seed;
	probe->store.key = st->key;
	evaluate_variant(&b);
	ck_assert_int_eq(dmarc_aggregate_add_eval(probe, EV), DMARC_OK);
	hb = probe->store.rows[0].hash;
	evaluate_variant(&a);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_OK);
	ck_assert_uint_ne(st->rows[0].hash, hb);
	/* a's row where b's hash leads, with that hash */
	for (j = 0; j <= st->row_index.mask; j++)
		st->row_index.slots[j] = 0;
	st->row_index.slots[hb & st->row_index.mask] = 1;
	st->rows[0].hash = hb;
	evaluate_variant(&b);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_OK);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), 2);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_OK);
	ck_assert_int_eq(dmarc_spool_encode_eval(EV, line, sizeof line, &len),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_add_spool_line(agg, line, len, NULL),
	    DMARC_OK);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), 2);
	ck_assert_uint_eq(st->rows[0].count, 1);
	ck_assert_uint_eq(st->rows[1].count, 3);
	dmarc_aggregate_free(agg);
	dmarc_aggregate_free(probe);
}
END_TEST

/* The row hash (unrolled for short blobs) is the plain loop of its
 * steps (16 bytes each, the last ending at the last byte) for every
 * length from the shortest blob to past the unrolled ones, and each
 * byte reaches it. */
static uint32_t hash_by_loop(const uint8_t *b, size_t n, uint64_t seed,
    uint64_t key)
{
	uint64_t h = seed ^ n;
	size_t i;

	for (i = 0; i + 16 < n; i += 16)
		h = dmarc__agg_hash_step(h, b + i, key);
	return (uint32_t)dmarc__agg_hash_step(h, b + n - 16, key);
}

START_TEST(test_hash_steps)
{
	uint8_t b[400];
	uint64_t seed = 0x9e3779b97f4a7c15u, key = 0xc2b2ae3d27d4eb4fu;
	uint32_t h;
	size_t n, i;

	for (i = 0; i < sizeof b; i++)
		b[i] = (uint8_t)(i * 37u + 11u);
	for (n = AGG_BLOB_FIXED; n <= sizeof b; n++) {
		h = dmarc__agg_hash(b, n, seed, key);
		ck_assert_uint_eq(h, hash_by_loop(b, n, seed, key));
		for (i = 0; i < n; i += 1 + n / 64) {
			b[i] ^= 0x40;
			ck_assert_uint_ne(dmarc__agg_hash(b, n, seed, key), h);
			b[i] ^= 0x40;
		}
	}
}
END_TEST

/* ---- merging ---- */

/* Three parts of a stream merged as ((A + B) + C) and as (C + (B + A))
 * give the reports one aggregate of the whole stream gives. */
START_TEST(test_merge_laws)
{
	dmarc_aggregate *part[3], *whole = new_aggregate(), *x, *y, *t;
	size_t k;

	for (k = 0; k < 3; k++)
		part[k] = new_aggregate();
	add_messages(whole, 5, 0, 3000);
	add_messages(part[0], 5, 0, 700);
	add_messages(part[1], 5, 700, 2100);
	add_messages(part[2], 5, 2100, 3000);
	x = new_aggregate();
	ck_assert_int_eq(dmarc_aggregate_merge(x, part[0]), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_merge(x, part[1]), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_merge(x, part[2]), DMARC_OK);
	y = new_aggregate();
	t = new_aggregate();
	ck_assert_int_eq(dmarc_aggregate_merge(t, part[1]), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_merge(t, part[0]), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_merge(y, part[2]), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_merge(y, t), DMARC_OK);
	assert_same_reports(x, whole);
	assert_same_reports(y, whole);
	ck_assert_uint_eq(dmarc_aggregate_get_count(y, DMARC_COUNT_MESSAGES),
	    dmarc_aggregate_get_count(whole, DMARC_COUNT_MESSAGES));
	ck_assert_uint_eq(dmarc_aggregate_get_count(y, DMARC_COUNT_ROWS),
	    dmarc_aggregate_get_count(whole, DMARC_COUNT_ROWS));
	for (k = 0; k < 3; k++)
		dmarc_aggregate_free(part[k]);
	dmarc_aggregate_free(whole);
	dmarc_aggregate_free(x);
	dmarc_aggregate_free(y);
	dmarc_aggregate_free(t);
}
END_TEST

/* Merging an aggregate into itself doubles every count. */
START_TEST(test_merge_self)
{
	dmarc_aggregate *agg = new_aggregate();
	uint64_t rows, messages;

	add_messages(agg, 9, 0, 500);
	rows = dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS);
	messages = dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES);
	ck_assert_int_eq(dmarc_aggregate_merge(agg, agg), DMARC_OK);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS),
	    rows);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    2 * messages);
	dmarc_aggregate_free(agg);
}
END_TEST

/* ---- spools: three hosts against one ---- */

static void spool_path(char *buf, size_t size, const char *dir, int k)
{
	snprintf(buf, size, "%s/spool-%d", dir, k);
}

START_TEST(test_three_spools)
{
	char dir[] = "/tmp/test-aggregate-XXXXXX", path[4][128];
	dmarc_spool *spool[4];
	dmarc_aggregate *hosts = new_aggregate(), *one = new_aggregate();
	dmarc_status st;
	uint64_t i;
	int k, err;

	REQUIRE(mkdtemp(dir) != NULL);
	for (k = 0; k < 4; k++) {
		spool_path(path[k], sizeof path[k], dir, k);
		REQUIRE(dmarc_spool_open(&spool[k], CTX, path[k], 0, 0, &err) ==
		    DMARC_OK);
	}
	for (i = 0; i < 2500; i++) {
		if (agg_message(EV, 11, i) != DMARC_OK)
			continue;
		/* host i % 3 appends it, and so does the one spool */
		st = dmarc_spool_append_eval(spool[i % 3], EV);
		REQUIRE(st == DMARC_OK || st == DMARC_ESTATE);
		REQUIRE(dmarc_spool_append_eval(spool[3], EV) == st);
	}
	for (k = 0; k < 4; k++)
		dmarc_spool_close(spool[k]);
	for (k = 2; k >= 0; k--)
		ck_assert_int_eq(dmarc_aggregate_read_spool(hosts, path[k], &err),
		    DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_read_spool(one, path[3], &err),
	    DMARC_OK);
	assert_same_reports(hosts, one);
	ck_assert_uint_eq(dmarc_aggregate_get_count(hosts,
	    DMARC_COUNT_SPOOL_ROWS), dmarc_aggregate_get_count(one,
	    DMARC_COUNT_SPOOL_ROWS));
	ck_assert_uint_eq(dmarc_aggregate_get_count(one, DMARC_COUNT_SPOOL_TORN),
	    0);
	for (k = 0; k < 4; k++)
		unlink(path[k]);
	ck_assert_int_eq(dmarc_aggregate_read_spool(one, path[0], &err),
	    DMARC_ESYSTEM);
	ck_assert_int_ne(err, 0);
	rmdir(dir);
	dmarc_aggregate_free(hosts);
	dmarc_aggregate_free(one);
}
END_TEST

/* A torn line and a bad one are skipped, counted and named. */
START_TEST(test_spool_damage)
{
	char dir[] = "/tmp/test-aggregate-XXXXXX", path[128];
	char line[DMARC_SPOOL_LINE_MAX + 1];
	dmarc_aggregate *agg = new_aggregate();
	size_t len;
	FILE *fp;

	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/spool", dir);
	ck_assert_int_eq(agg_message(EV, 1, 0), DMARC_OK);
	ck_assert_int_eq(dmarc_spool_encode_eval(EV, line, sizeof line, &len),
	    DMARC_OK);
	REQUIRE((fp = fopen(path, "w")) != NULL);
	fputs(line, fp);
	fputs("dmarc-spool/1\tnot a row\n", fp);
	fputs(line, fp);
	fwrite(line, 1, len / 2, fp); /* a writer died here */
	fclose(fp);
	ck_assert_int_eq(dmarc_aggregate_read_spool(agg, path, NULL), DMARC_OK);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    2);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_SPOOL_ROWS),
	    2);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_SPOOL_BAD),
	    1);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg,
	    DMARC_COUNT_SPOOL_TORN), 1);
	ck_assert_uint_eq(dmarc_aggregate_get_diag_count(agg), 2);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_aggregate_get_diag(agg, 0)),
	    DMARC_DIAG_SPOOL_BAD);
	ck_assert_uint_eq(dmarc_diag_get_offset(dmarc_aggregate_get_diag(agg,
	    0)), 2);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_aggregate_get_diag(agg, 1)),
	    DMARC_DIAG_SPOOL_TORN);
	unlink(path);
	rmdir(dir);
	dmarc_aggregate_free(agg);
}
END_TEST

/* ---- periods, the policy, the limit ---- */

/* A spool line for example.org at time t with policy p and ri. */
static void org_line(char *buf, size_t size, uint64_t t, const char *p,
    unsigned int ri)
{
	snprintf(buf, size, "dmarc-spool/1\ttime=%llu\tcount=1"
	    "\tdomain=example.org\tmode=rfc7489\tdiscovery_method=psl"
	    "\tp=%s\tsp=none\tnp=none\tadkim=r\taspf=r\tfo=0\tpct=100"
	    "\tt=n\tpsd=u\tri=%u\tsource_ip=192.0.2.1"
	    "\theader_from=example.org\tdisposition=none"
	    "\tdkim_aligned=fail\tspf_aligned=fail\n",
	    (unsigned long long)t, p, ri);
}

static void add_line(dmarc_aggregate *agg, const char *line)
{
	ck_assert_int_eq(dmarc_aggregate_add_spool_line(agg, line,
	    strlen(line), NULL), DMARC_OK);
}

/* line with its count=1 made count=n (into buf). */
static void with_count(char *buf, size_t size, const char *line,
    const char *n)
{
	const char *c = strstr(line, "count=1\t");

	ck_assert_ptr_nonnull(c);
	snprintf(buf, size, "%.*scount=%s%s", (int)(c - line), line, n, c + 7);
}

static dmarc_status add_line_status(dmarc_aggregate *agg, const char *line)
{
	return dmarc_aggregate_add_spool_line(agg, line, strlen(line), NULL);
}

#define COUNT_MAX "9223372036854775807" /* 2^63 - 1 */
#define U64_MAX "18446744073709551615"

/* Counts from spool lines and merges never wrap: an add that would take
 * a row or a report past 2^63 - 1 messages is refused with nothing
 * changed; dropped messages stop at 2^64 - 1. */
START_TEST(test_count_never_wraps)
{
	char line[1024], big[1100], other[1024];
	dmarc_aggregate *agg = new_aggregate(), *full;
	unsigned int i;

	org_line(line, sizeof line, AGG_DAY0 + 1, "none", 86400);
	with_count(big, sizeof big, line, COUNT_MAX);
	ck_assert_int_eq(add_line_status(agg, big), DMARC_OK);
	ck_assert_int_eq(add_line_status(agg, line), DMARC_ERANGE);
	ck_assert_int_eq(add_line_status(agg, big), DMARC_ERANGE);
	/* a new row of that report */
	strcpy(other, line);
	other[strstr(other, "source_ip=192.0.2.1") - other + 18] = '7';
	ck_assert_int_eq(add_line_status(agg, other), DMARC_ERANGE);
	ck_assert_int_eq(dmarc_aggregate_merge(agg, agg), DMARC_ERANGE);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), 1);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    UINT64_MAX / 2);
	/* another report's rows still count, and the total stops at the
	 * top rather than wrap */
	org_line(other, sizeof other, AGG_DAY0 + 86400, "none", 86400);
	with_count(big, sizeof big, other, COUNT_MAX);
	ck_assert_int_eq(add_line_status(agg, big), DMARC_OK);
	ck_assert_int_eq(add_line_status(agg, line), DMARC_ERANGE);
	org_line(other, sizeof other, AGG_DAY0 + 2 * 86400, "none", 86400);
	ck_assert_int_eq(add_line_status(agg, other), DMARC_OK);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), 3);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_MESSAGES),
	    UINT64_MAX);
	dmarc_aggregate_free(agg);
	/* dropped messages of a full aggregate */
	teardown();
	make_ctx(DMARC_MODE_RFC9989, 1, 86400, 0);
	full = new_aggregate();
	for (i = 0; i < 3; i++) {
		org_line(line, sizeof line, AGG_DAY0 + i, "none", 86400);
		line[strstr(line, "source_ip=192.0.2.1") - line + 18] =
		    (char)('1' + i);
		with_count(big, sizeof big, line, U64_MAX);
		ck_assert_int_eq(add_line_status(full, i == 0 ? line : big),
		    i == 0 ? DMARC_OK : DMARC_EFULL);
	}
	ck_assert_uint_eq(dmarc_aggregate_get_count(full, DMARC_COUNT_DROPPED),
	    UINT64_MAX);
	ck_assert_uint_eq(dmarc_report_get_count(dmarc_aggregate_get_report(
	    full, 0), DMARC_COUNT_DROPPED), UINT64_MAX);
	dmarc_aggregate_free(full);
}
END_TEST

START_TEST(test_periods)
{
	char line[1024];
	dmarc_aggregate *agg;
	const dmarc_report *r;

	/* RFC 9989 mode: days, whatever ri says */
	agg = new_aggregate();
	org_line(line, sizeof line, AGG_DAY0 + 5000, "none", 3600);
	add_line(agg, line);
	r = dmarc_aggregate_get_report(agg, 0);
	ck_assert_uint_eq(dmarc_report_get_begin(r), AGG_DAY0);
	ck_assert_uint_eq(dmarc_report_get_end(r), AGG_DAY0 + 86399);
	dmarc_aggregate_free(agg);
	teardown();
	/* RFC 7489, the receiver grants 2 hours: ri=3600 gets 7200 */
	make_ctx(DMARC_MODE_RFC7489, 100, 7200, 0);
	agg = new_aggregate();
	add_line(agg, line);
	org_line(line, sizeof line, AGG_DAY0 + 9000, "none", 3600);
	add_line(agg, line);
	org_line(line, sizeof line, AGG_DAY0 + 9000, "none", 86400);
	add_line(agg, line);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS),
	    3);
	r = dmarc_aggregate_get_report(agg, 0);
	ck_assert_uint_eq(dmarc_report_get_begin(r), AGG_DAY0);
	ck_assert_uint_eq(dmarc_report_get_end(r), AGG_DAY0 + 7199);
	r = dmarc_aggregate_get_report(agg, 1);
	ck_assert_uint_eq(dmarc_report_get_begin(r), AGG_DAY0 + 7200);
	ck_assert_uint_eq(dmarc_report_get_end(r), AGG_DAY0 + 14399);
	r = dmarc_aggregate_get_report(agg, 2);
	ck_assert_uint_eq(dmarc_report_get_end(r), AGG_DAY0 + 86399);
	dmarc_aggregate_free(agg);
}
END_TEST

/* The report gives the policy of its latest message, in any order. */
START_TEST(test_policy_latest)
{
	char early[1024], late[1024];
	dmarc_aggregate *a = new_aggregate(), *b = new_aggregate();

	org_line(early, sizeof early, AGG_DAY0 + 10, "none", 86400);
	org_line(late, sizeof late, AGG_DAY0 + 20, "reject", 86400);
	add_line(a, early);
	add_line(a, late);
	add_line(b, late);
	add_line(b, early);
	ck_assert_int_eq(dmarc_report_get_policy(dmarc_aggregate_get_report(a,
	    0), DMARC_TAG_P), DMARC_POLICY_REJECT);
	assert_same_reports(a, b);
	/* the same second: the greater policy, in either order */
	org_line(early, sizeof early, AGG_DAY0 + 30, "quarantine", 86400);
	org_line(late, sizeof late, AGG_DAY0 + 30, "none", 86400);
	add_line(a, early);
	add_line(a, late);
	add_line(b, late);
	add_line(b, early);
	assert_same_reports(a, b);
	dmarc_aggregate_free(a);
	dmarc_aggregate_free(b);
}
END_TEST

START_TEST(test_row_limit)
{
	dmarc_aggregate *agg;
	struct mem_sink out;
	char line[1024];
	unsigned int i;

	teardown();
	make_ctx(DMARC_MODE_RFC9989, 3, 86400, 0);
	agg = new_aggregate();
	for (i = 0; i < 5; i++) {
		org_line(line, sizeof line, AGG_DAY0 + i, "none", 86400);
		line[strlen(line) - 1] = '\0';
		strcat(line, i < 3 ? "\tenvelope_to=a.example\n" :
		    "\tenvelope_to=b.example\n");
		line[strstr(line, "source_ip=192.0.2.1") - line + 18] =
		    (char)('1' + (i % 4));
		ck_assert_int_eq(dmarc_aggregate_add_spool_line(agg, line,
		    strlen(line), NULL), i < 3 ? DMARC_OK : DMARC_EFULL);
	}
	/* an existing row still counts */
	org_line(line, sizeof line, AGG_DAY0 + 1, "none", 86400);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS), 3);
	ck_assert_uint_eq(dmarc_aggregate_get_count(agg, DMARC_COUNT_DROPPED),
	    2);
	ck_assert_uint_eq(dmarc_aggregate_get_diag_count(agg), 1);
	ck_assert_int_eq(dmarc_diag_get_code(dmarc_aggregate_get_diag(agg, 0)),
	    DMARC_DIAG_AGGREGATE_FULL);
	ck_assert_uint_eq(dmarc_report_get_count(dmarc_aggregate_get_report(agg,
	    0), DMARC_COUNT_DROPPED), 2);
	mem_sink_init(&out);
	ck_assert_int_eq(dmarc_report_write(dmarc_aggregate_get_report(agg, 0),
	    1, 1, 0, mem_sink_write, &out), DMARC_OK);
	ck_assert_int_eq(mem_sink_append(&out, "", 1), DMARC_OK);
	ck_assert_ptr_nonnull(strstr(out.data, "<error>2 messages not "
	    "reported"));
	mem_sink_dispose(&out);
	dmarc_aggregate_free(agg);
}
END_TEST

/* Parts: disjoint runs of the rows, distinct names, counts summing. */
START_TEST(test_parts)
{
	dmarc_aggregate *agg = new_aggregate();
	const dmarc_report *r = NULL;
	char id[3][600], file[3][1200];
	struct mem_sink out;
	size_t i, records = 0;
	const char *p;

	add_messages(agg, 2, 0, 2000);
	for (i = 0; r == NULL || dmarc_report_get_count(r,
	    DMARC_COUNT_ROWS) < 3; i++)
		r = dmarc_aggregate_get_report(agg, i);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(dmarc_report_get_id(r, (unsigned int)i + 1, 3,
		    id[i], sizeof id[i], NULL), DMARC_OK);
		ck_assert_int_eq(dmarc_report_get_filename(r,
		    (unsigned int)i + 1, 3, DMARC_REPORT_GZIP, file[i],
		    sizeof file[i], NULL), DMARC_OK);
		mem_sink_init(&out);
		ck_assert_int_eq(dmarc_report_write(r, (unsigned int)i + 1, 3,
		    0, mem_sink_write, &out), DMARC_OK);
		ck_assert_int_eq(mem_sink_append(&out, "", 1), DMARC_OK);
		ck_assert_ptr_nonnull(strstr(out.data, id[i]));
		for (p = out.data; (p = strstr(p, "<record>")) != NULL; p++)
			records++;
		mem_sink_dispose(&out);
	}
	ck_assert_str_ne(id[0], id[1]);
	ck_assert_str_ne(id[1], id[2]);
	ck_assert_str_ne(file[0], file[2]);
	ck_assert_uint_eq(records, dmarc_report_get_count(r,
	    DMARC_COUNT_ROWS));
	ck_assert_int_eq(dmarc_report_write(r, 4, 3, 0, mem_sink_write, &out),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc_report_write(r, 0, 3, 0, mem_sink_write, &out),
	    DMARC_EINVAL);
	dmarc_aggregate_free(agg);
}
END_TEST

/* Reports written as spool lines and read back are the same reports;
 * an evaluation without an arrival time is refused. */
START_TEST(test_write_spool)
{
	dmarc_aggregate *agg = new_aggregate(), *back = new_aggregate();
	struct mem_sink lines;
	const char *p, *lf;
	size_t i;

	add_messages(agg, 6, 0, 1500);
	mem_sink_init(&lines);
	for (i = 0; i < dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS);
	    i++)
		ck_assert_int_eq(dmarc_report_write_spool(
		    dmarc_aggregate_get_report(agg, i), mem_sink_write, &lines),
		    DMARC_OK);
	for (p = lines.data; p < lines.data + lines.len; p = lf + 1) {
		lf = memchr(p, '\n', (size_t)(lines.data + lines.len - p));
		REQUIRE(lf != NULL);
		REQUIRE(dmarc_aggregate_add_spool_line(back, p,
		    (size_t)(lf - p + 1), NULL) == DMARC_OK);
	}
	assert_same_reports(agg, back);
	ck_assert_uint_eq(dmarc_aggregate_get_count(back, DMARC_COUNT_ROWS),
	    dmarc_aggregate_get_count(agg, DMARC_COUNT_ROWS));
	mem_sink_dispose(&lines);
	/* no arrival time: no period to count it in */
	dmarc_eval_reset(EV);
	ck_assert_int_eq(dmarc_eval_add_from(EV, "a@example.com", 13),
	    DMARC_OK);
	ck_assert_int_eq(dmarc_eval_run(EV), DMARC_OK);
	ck_assert_int_eq(dmarc_aggregate_add_eval(agg, EV), DMARC_EINVAL);
	dmarc_aggregate_free(agg);
	dmarc_aggregate_free(back);
}
END_TEST

START_TEST(test_reporter_fields)
{
	dmarc_aggregate *agg;

	ck_assert_int_eq(dmarc_aggregate_new(&agg, CTX), DMARC_OK);
	ck_assert_ptr_null(dmarc_aggregate_get_reporter(agg,
	    DMARC_REPORTER_ORG_NAME));
	ck_assert_ptr_nonnull(dmarc_aggregate_get_reporter(agg,
	    DMARC_REPORTER_GENERATOR));
	ck_assert_int_eq(dmarc_aggregate_set_reporter(agg,
	    DMARC_REPORTER_SUBMITTER, "Receiver.EXAMPLE"), DMARC_OK);
	ck_assert_str_eq(dmarc_aggregate_get_reporter(agg,
	    DMARC_REPORTER_SUBMITTER), "receiver.example");
	ck_assert_int_eq(dmarc_aggregate_set_reporter(agg,
	    DMARC_REPORTER_HOST_ID, "mx-1"), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_aggregate_set_reporter(agg,
	    DMARC_REPORTER_EMAIL, "no address"), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_aggregate_set_reporter(agg,
	    DMARC_REPORTER_ORG_NAME, "line\nbreak"), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_aggregate_set_reporter(agg,
	    (dmarc_reporter_field)99, "x"), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_aggregate_set_reporter(agg,
	    DMARC_REPORTER_EMAIL, "a@b.example"), DMARC_OK);
	ck_assert_str_eq(dmarc_aggregate_get_reporter(agg,
	    DMARC_REPORTER_FROM), "a@b.example");
	dmarc_aggregate_free(agg);
}
END_TEST

/* Allocation failures of the aggregate's calls only (evaluations run
 * on the same allocator, and must not fail): the k-th fails. */
static long agg_allocs, fail_k;

static dmarc_status guarded(dmarc_status (*call)(dmarc_aggregate *,
    void *), dmarc_aggregate *agg, void *arg)
{
	long before = n_allocs;
	dmarc_status st;

	fail_at = fail_k >= agg_allocs ? n_allocs + (fail_k - agg_allocs) : -1;
	st = call(agg, arg);
	fail_at = -1;
	agg_allocs += n_allocs - before;
	return st;
}

static dmarc_status call_add(dmarc_aggregate *agg, void *ev)
{
	return dmarc_aggregate_add_eval(agg, ev);
}

static dmarc_status call_merge(dmarc_aggregate *agg, void *other)
{
	return dmarc_aggregate_merge(agg, other);
}

static dmarc_status call_write(dmarc_aggregate *agg, void *out)
{
	size_t n = dmarc_aggregate_get_count(agg, DMARC_COUNT_REPORTS), i;
	dmarc_status st = DMARC_OK;

	for (i = 0; i < n && st == DMARC_OK; i++)
		st = dmarc_report_write(dmarc_aggregate_get_report(agg, i), 1,
		    1, DMARC_REPORT_GZIP, mem_sink_write, out);
	return st;
}

/* Every allocation of adding, merging and writing failing in turn:
 * DMARC_ENOMEM, or the same reports as without failures; nothing
 * leaks. */
START_TEST(test_alloc_failures)
{
	struct mem_sink expected, got, gz;
	dmarc_aggregate *a, *b;
	long before;
	bool done = false;

	teardown();
	make_ctx(DMARC_MODE_RFC9989, 1000000, 86400, 1);
	a = new_aggregate();
	add_messages(a, 4, 0, 300);
	all_reports(a, &expected);
	dmarc_aggregate_free(a);
	for (fail_k = 0; !done; fail_k++) {
		dmarc_status st = DMARC_OK;
		uint64_t i;
		before = live;
		agg_allocs = 0;
		a = new_aggregate();
		b = new_aggregate();
		for (i = 0; st == DMARC_OK && i < 300; i++) {
			if (agg_message(EV, 4, i) != DMARC_OK)
				continue;
			st = guarded(call_add, a, EV);
			if (st == DMARC_ESTATE)
				st = DMARC_OK;
		}
		if (st == DMARC_OK)
			st = guarded(call_merge, b, a);
		mem_sink_init(&gz);
		if (st == DMARC_OK)
			st = guarded(call_write, b, &gz);
		mem_sink_dispose(&gz);
		REQUIRE(st == DMARC_OK || st == DMARC_ENOMEM);
		if (st == DMARC_OK) {
			REQUIRE(fail_k >= agg_allocs); /* none failed */
			all_reports(b, &got);
			ck_assert_str_eq(got.data, expected.data);
			mem_sink_dispose(&got);
			done = true;
		}
		dmarc_aggregate_free(a);
		dmarc_aggregate_free(b);
		REQUIRE(live == before);
	}
	ck_assert_int_gt(fail_k, 10);
	mem_sink_dispose(&expected);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("aggregate");
	TCase *tc = tcase_create("aggregate");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_same_message_one_row);
	tcase_add_test(tc, test_eval_equals_spool_line);
	tcase_add_test(tc, test_eval_and_line_one_row);
	tcase_add_test(tc, test_merged_rows_found);
	tcase_add_test(tc, test_existing_row_no_allocation);
	tcase_add_test(tc, test_one_field_apart);
	tcase_add_test(tc, test_collision_told_apart);
	tcase_add_test(tc, test_hash_steps);
	tcase_add_test(tc, test_count_never_wraps);
	tcase_add_test(tc, test_merge_laws);
	tcase_add_test(tc, test_merge_self);
	tcase_add_test(tc, test_three_spools);
	tcase_add_test(tc, test_spool_damage);
	tcase_add_test(tc, test_periods);
	tcase_add_test(tc, test_policy_latest);
	tcase_add_test(tc, test_row_limit);
	tcase_add_test(tc, test_parts);
	tcase_add_test(tc, test_write_spool);
	tcase_add_test(tc, test_reporter_fields);
	tcase_add_test(tc, test_alloc_failures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
