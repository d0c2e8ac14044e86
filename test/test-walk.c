/*
 * The RFC 9989 tree walk's bookkeeping (lib/walk.c) against plain
 * byte-by-byte statements of what it computes: the label offsets of a
 * start name (found eight bytes at a time), and the names two walks'
 * start names share (the common tail found a word at a time), over
 * random names of every length with dots anywhere, doubled, first and
 * last, and bytes of every value.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "check-main.h"
#include "discovery_int.h"

#define ROUNDS 200000

static unsigned long seed = 12345;

static unsigned int rnd(unsigned int n)
{
	seed = seed * 6364136223846793005u + 1442695040888963407u;
	return (unsigned int)((seed >> 33) % n);
}

/* A name of len bytes (no NUL inside: walks start from C strings):
 * mostly letters and dots, sometimes any byte. */
static void random_name(char *buf, size_t len)
{
	size_t i;
	unsigned int dots = 2 + rnd(6);

	for (i = 0; i < len; i++) {
		unsigned int r = rnd(16);
		if (r < dots)
			buf[i] = '.';
		else if (r == 15)
			buf[i] = (char)(1 + rnd(255));
		else
			buf[i] = (char)('a' + rnd(3));
	}
	buf[len] = '\0';
}

/* The offsets as the walk defines them: 0, then after every dot. */
static unsigned int plain_labels(const char *s, size_t len, uint8_t *out)
{
	unsigned int n = 0;
	size_t i;

	out[n++] = 0;
	for (i = 0; i < len && n < MAX_LABELS; i++)
		if (s[i] == '.')
			out[n++] = (uint8_t)(i + 1);
	return n;
}

/* The levels a walk of a start name of n labels asks, in order, as RFC
 * 9989 4.10 says it: the start name, then each ancestor of at most 7
 * labels (one label fewer each time); returns how many. */
static unsigned int plain_plan(unsigned int n, unsigned int *plan)
{
	unsigned int k = 0, level;

	plan[k++] = 0;
	for (level = 1; level < n; level++)
		if (n - level <= 7)
			plan[k++] = level;
	return k;
}

/* Whether the last len bytes of s (n bytes) are a whole name of it. */
static bool is_name_of(const char *s, size_t n, size_t len)
{
	return len <= n && (len == n || s[n - len - 1] == '.');
}

/* Whether a name has more labels than a walk keeps: a normalized name
 * never has (253 bytes hold at most 127 labels), names with empty
 * labels may. */
static bool too_many_labels(const char *s, size_t n)
{
	size_t i, labels = 1;

	for (i = 0; i < n; i++)
		labels += s[i] == '.';
	return labels > MAX_LABELS;
}

/* The longest name both end with, by trying every length. */
static size_t plain_shared(const char *a, size_t na, const char *b, size_t nb)
{
	size_t len;

	for (len = na < nb ? na : nb; len > 0; len--)
		if (is_name_of(a, na, len) && is_name_of(b, nb, len) &&
		    memcmp(a + na - len, b + nb - len, len) == 0)
			return len;
	return 0;
}

/* Whether a new walk of n labels asks the names RFC 9989 4.10 asks, in
 * that order, and nothing after them (each taken with no record). */
static bool plan_is(struct walk *w, unsigned int n)
{
	unsigned int plan[WALK_MAX_QUERIES], k, n_plan = plain_plan(n, plan);
	const char *name;

	if (w->n_plan != n_plan)
		return false;
	for (k = 0; (name = dmarc__walk_next(w)) != NULL; k++) {
		if (k == n_plan || dmarc__walk_level(w, k) != plan[k] ||
		    name != dmarc__walk_name(w, plan[k]))
			return false;
		dmarc__walk_take(w, 0, NULL);
	}
	return k == n_plan;
}

START_TEST(test_label_offsets)
{
	static struct walk w;
	char name[DMARC_DOMAIN_SIZE];
	uint8_t want[MAX_LABELS];
	unsigned int r, n;

	for (r = 0; r < ROUNDS; r++) {
		size_t len = r < DNS_MAX_NAME + 1 ? r : rnd(DNS_MAX_NAME + 1);
		random_name(name, len);
		dmarc__walk_init(&w, name, len);
		n = plain_labels(name, len, want);
		/* Check only on a difference: each assertion costs it a
		 * message to the runner */
		if (w.n_labels != n || memcmp(w.label, want, n) != 0 ||
		    w.len != len || strcmp(w.start, name) != 0)
			ck_abort_msg("labels of \"%s\" (%u, want %u)", name,
			    (unsigned int)w.n_labels, n);
		if (!plan_is(&w, n))
			ck_abort_msg("the walk of \"%s\" (%u labels)", name, n);
	}
}
END_TEST

START_TEST(test_shared)
{
	static struct walk a, b;
	char x[DMARC_DOMAIN_SIZE], y[DMARC_DOMAIN_SIZE];
	unsigned int r;

	for (r = 0; r < ROUNDS; r++) {
		size_t nx = rnd(DNS_MAX_NAME + 1), tail = rnd(40), ny;
		random_name(x, nx);
		/* y: some bytes of its own, then a tail of x */
		ny = rnd(20);
		random_name(y, ny);
		if (tail > nx)
			tail = nx;
		if (ny + tail > DNS_MAX_NAME)
			ny = DNS_MAX_NAME - tail;
		memcpy(y + ny, x + nx - tail, tail + 1);
		ny += tail;
		if (too_many_labels(x, nx) || too_many_labels(y, ny))
			continue; /* not a walk's start */
		dmarc__walk_init(&a, x, nx);
		dmarc__walk_init(&b, y, ny);
		if (dmarc__walk_shared(&a, &b) != plain_shared(x, nx, y, ny) ||
		    dmarc__walk_shared(&b, &a) != plain_shared(y, ny, x, nx))
			ck_abort_msg("shared tail of \"%s\" and \"%s\"", x, y);
	}
}
END_TEST

/* Names of a walk that the shared length admits are names the other
 * walk asked, and no others (the evaluation's identifier walks). */
START_TEST(test_shared_names)
{
	static const char *const pairs[][2] = {
		{ "example.com", "bounce.example.com" },
		{ "news.example.co.uk", "bounce.example.co.uk" },
		{ "example.com", "xexample.com" },
		{ "a.b.c.d.e.f.g.h.i.example", "z.h.i.example" },
		{ "example.com", "example.com" },
		{ "com", "example.org" },
	};
	static struct walk a, b;
	size_t k, shared;
	unsigned int i;

	for (k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
		dmarc__walk_init(&a, pairs[k][0], strlen(pairs[k][0]));
		dmarc__walk_init(&b, pairs[k][1], strlen(pairs[k][1]));
		while (dmarc__walk_next(&a) != NULL)
			dmarc__walk_take(&a, 0, NULL);
		shared = dmarc__walk_shared(&a, &b);
		for (i = 0; i < b.n_labels; i++) {
			const char *name = dmarc__walk_name(&b, i);
			size_t len = strlen(name);
			unsigned int count;
			const dmarc_record *rec;
			bool asked = len <= shared &&
			    dmarc__walk_asked(&a, len, &count, &rec);
			bool want = false;
			unsigned int j, plan[WALK_MAX_QUERIES];
			unsigned int n_plan = plain_plan(a.n_labels, plan);
			for (j = 0; j < n_plan; j++)
				want |= strcmp(dmarc__walk_name(&a, plan[j]),
				    name) == 0;
			ck_assert_msg(asked == want, "%s in the walk of %s",
			    name, pairs[k][0]);
		}
	}
}
END_TEST

/* A name of n labels, each one of three short ones, so that two such
 * names often end alike. */
static size_t label_name(char *buf, unsigned int n)
{
	static const char *const labels[] = { "a", "bb", "c" };
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *l = labels[rnd(3)];
		if (i > 0)
			buf[len++] = '.';
		memcpy(buf + len, l, strlen(l));
		len += strlen(l);
	}
	buf[len] = '\0';
	return len;
}

/* A random answer for a walk's name: mostly none, often one record
 * (sometimes psd=y or psd=n, which stops the walk), now and then
 * several. */
static unsigned int random_answer(const dmarc_record **rec)
{
	static dmarc_record recs[3];
	unsigned int r = rnd(20);

	recs[0].v.psd = DMARC_PSD_UNKNOWN;
	recs[1].v.psd = DMARC_PSD_YES;
	recs[2].v.psd = DMARC_PSD_NO;
	*rec = NULL;
	if (r < 11)
		return 0;
	if (r < 18) {
		*rec = &recs[r == 16 ? 1 : r == 17 ? 2 : 0];
		return 1;
	}
	return 2 + rnd(2);
}

/* The end of a walk read in one pass (dmarc__walk_outcome) is what the
 * walk's own functions say one by one: the Organizational Domain's
 * level, the records at the start and at that level, the first psd=y. */
static void check_outcome(const struct walk *w, const char *start)
{
	struct walk_outcome o;
	const struct walk_found *psd = NULL;
	unsigned int i, od;
	bool unqueried;

	dmarc__walk_outcome(w, &o);
	od = dmarc__walk_org_level(w, &unqueried);
	for (i = w->n_found; i-- > 0;)
		if (w->found[i].rec->v.psd == DMARC_PSD_YES)
			psd = &w->found[i];
	if (o.org_level != od || o.unqueried != unqueried ||
	    o.at_author != dmarc__walk_at(w, 0) ||
	    o.at_org != dmarc__walk_at(w, od) || o.psd != psd)
		ck_abort_msg("the outcome of the walk of %s", start);
}

/* Taking an identifier's names from the Author Domain's walk at once
 * (dmarc__walk_take_shared) does what taking them one by one did: each
 * name the shared length admits and the other walk asked, its count and
 * record as that walk took them; also when a walk skips levels (past 8
 * labels) and when the Author Domain's walk ended early.  The end of
 * both walks read in one pass too (check_outcome). */
START_TEST(test_take_shared)
{
	static struct walk a, b, c;
	char x[DMARC_DOMAIN_SIZE], y[DMARC_DOMAIN_SIZE];
	unsigned int r, k, runs = 0, skips = 0;

	for (r = 0; r < ROUNDS; r++) {
		size_t nx = label_name(x, 1 + rnd(11));
		size_t ny = label_name(y, 1 + rnd(11)), shared, len;
		unsigned int want = 0, got, stop = rnd(3) == 0 ? rnd(9) : 9;
		unsigned int count, q0;
		const dmarc_record *rec;
		bool several, want_several = false;
		const char *name;

		if (rnd(8) == 0) { /* the Author Domain itself */
			memcpy(y, x, nx + 1);
			ny = nx;
		}
		dmarc__walk_init(&a, x, nx);
		dmarc__walk_init(&b, y, ny);
		/* the Author Domain's walk, perhaps ended by a failure */
		while (dmarc__walk_next(&a) != NULL && a.next < stop) {
			count = random_answer(&rec);
			dmarc__walk_take(&a, count, rec);
		}
		shared = dmarc__walk_shared(&a, &b);
		/* the identifier's own names, asked: none taken */
		while ((name = dmarc__walk_next(&b)) != NULL &&
		    dmarc__walk_name_len(&b, name) > shared) {
			c = b;
			if (dmarc__walk_take_shared(&c, &a, shared,
			    &several) != 0 || c.next != b.next)
				ck_abort_msg("%s of %s taken from the walk of "
				    "%s", name, y, x);
			count = random_answer(&rec);
			dmarc__walk_take(&b, count, rec);
		}
		c = b;
		q0 = b.next;
		got = dmarc__walk_take_shared(&b, &a, shared, &several);
		/* one by one, as the discovery did */
		while ((name = dmarc__walk_next(&c)) != NULL &&
		    (len = dmarc__walk_name_len(&c, name)) <= shared &&
		    dmarc__walk_asked(&a, len, &count, &rec)) {
			dmarc__walk_take(&c, count, rec);
			want_several |= count > 1;
			want++;
		}
		check_outcome(&a, x);
		check_outcome(&b, y);
		runs += got > 1;
		skips += got > 1 && (a.first > 1 || b.first > 1);
		for (k = 0; k < b.n_found && k < c.n_found; k++)
			if (b.found[k].level != c.found[k].level ||
			    b.found[k].rec != c.found[k].rec)
				break;
		if (got != want || several != want_several ||
		    b.next != c.next || b.n_found != c.n_found ||
		    k != b.n_found || b.stopped != c.stopped ||
		    memcmp(b.count, c.count, b.next) != 0 || q0 + got != b.next)
			ck_abort_msg("names of %s taken from the walk of %s: %u, "
			    "want %u", y, x, got, want);
	}
	/* both ways were taken: one level after another, and past 8
	 * labels */
	ck_assert_uint_gt(runs, ROUNDS / 50);
	ck_assert_uint_gt(skips, ROUNDS / 500);
}
END_TEST

static Suite *walk_suite(void)
{
	Suite *s = suite_create("walk");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_label_offsets);
	tcase_add_test(tc, test_shared);
	tcase_add_test(tc, test_shared_names);
	tcase_add_test(tc, test_take_shared);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(walk_suite());
}
